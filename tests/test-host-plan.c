/* test-host-plan.c: the host plan on the fixture hosts, its JSON both ways, the strict reader
 * the helper relies on, and the module lookups behind the softdeps. */

#include "config.h"

#include <string.h>
#include <unistd.h>

#include "pt-host-plan.h"
#include "pt-json.h"
#include "pt-kmod.h"
#include "pt-test-utils.h"

static PtHostScan *
scan_tree (const char *root)
{
  g_autoptr(GError) error = NULL;
  PtHostScan *scan = pt_host_scan_new_sync (root, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (scan);
  return scan;
}

static PtHostScan *
scan_fixture (const char *name)
{
  g_autofree char *root = pt_test_fixture_path (name);

  return scan_tree (root);
}

static PtHostPlan *
build_plan (PtHostScan *scan,
            const char *gpu,
            gboolean    single_gpu,
            PtGuestOs   guest)
{
  g_autoptr(PtSetup) setup = pt_setup_new ();
  g_autoptr(GError) error = NULL;
  PtHostPlan *plan;

  pt_setup_set_gpu (setup, gpu);
  pt_setup_set_single_gpu (setup, single_gpu);
  pt_setup_set_guest (setup, guest);
  plan = pt_host_plan_build (scan, setup, &error);
  g_assert_no_error (error);
  g_assert_nonnull (plan);
  return plan;
}

static void
assert_strings (GPtrArray          *actual,
                const char * const *expected)
{
  for (guint i = 0; i < actual->len && expected[i] != NULL; i++)
    g_assert_cmpstr (g_ptr_array_index (actual, i), ==, expected[i]);
  g_assert_cmpuint (actual->len, ==, g_strv_length ((char **) expected));
}

static gboolean
contains (GPtrArray  *strings,
          const char *text)
{
  return g_ptr_array_find_with_equal_func (strings, text, g_str_equal, NULL);
}

/* Whether a sentence of @strings holds every one of @words. */
static gboolean
any_sentence_has (GPtrArray          *strings,
                  const char * const *words)
{
  for (guint i = 0; i < strings->len; i++)
    {
      gboolean all = TRUE;

      for (guint j = 0; words[j] != NULL && all; j++)
        all = strstr (g_ptr_array_index (strings, i), words[j]) != NULL;
      if (all)
        return TRUE;
    }
  return FALSE;
}

static const PtPlanFile *
find_file (PtHostPlan *plan,
           const char *path)
{
  for (guint i = 0; i < plan->files->len; i++)
    if (g_str_equal (((PtPlanFile *) g_ptr_array_index (plan->files, i))->path, path))
      return g_ptr_array_index (plan->files, i);
  return NULL;
}

static gboolean
has_arg_named (GPtrArray  *args,
               const char *prefix)
{
  for (guint i = 0; i < args->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (args, i), prefix))
      return TRUE;
  return FALSE;
}

static void
assert_round_trip (PtHostPlan *plan)
{
  g_autofree char *json = pt_host_plan_to_json (plan);
  g_autoptr(GError) error = NULL;
  g_autoptr(PtHostPlan) back = pt_host_plan_new_from_json (json, strlen (json), &error);
  g_autofree char *again = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (back);
  g_assert_true (g_str_has_suffix (json, "}\n"));
  again = pt_host_plan_to_json (back);
  g_assert_cmpstr (again, ==, json);
}

/* The 2600X: the GTX 1080 Ti and its audio, by ID; nouveau waits for vfio-pci, snd_hda_intel
 * (the host's sound) does not. */
static void
test_ryzen (void)
{
  static const char * const ids[] = { "10de:1b06", "10de:10ef", NULL };
  static const char * const devices[] = { "0000:09:00.0", "0000:09:00.1", NULL };
  static const char * const softdeps[] = { "nouveau", NULL };
  static const char * const add[] = { "iommu=pt", NULL };
  static const char * const modules[] = {
    "vfio_pci", "vfio", "vfio_iommu_type1", "vfio_virqfd", NULL
  };
  static const char * const audio_words[] = { "snd_hda_intel", "0000:09:00.1", NULL };
  g_autoptr(PtHostScan) scan = scan_fixture ("ryzen-2600x-desktop");
  g_autoptr(PtHostPlan) plan = build_plan (scan, "09:00.0", FALSE, PT_GUEST_WINDOWS);
  g_autoptr(PtHostPlan) linux_plan = build_plan (scan, "0000:09:00.1", FALSE, PT_GUEST_LINUX);
  const PtPlanFile *vfio;
  const PtPlanFile *kvm;

  assert_strings (plan->vfio_ids, ids);
  assert_strings (plan->vfio_devices, devices);
  assert_strings (plan->vfio_softdeps, softdeps);
  /* AMD: the IOMMU is on by default, so nothing but passthrough mode. */
  assert_strings (plan->kernel_args_add, add);
  g_assert_cmpuint (plan->kernel_args_remove->len, ==, 0);
  g_assert_cmpuint (plan->blockers->len, ==, 0);
  g_assert_true (any_sentence_has (plan->warnings, audio_words));

  vfio = find_file (plan, PT_HOST_PLAN_VFIO_FILE);
  g_assert_nonnull (vfio);
  g_assert_cmpuint (vfio->mode, ==, 0644);
  g_assert_nonnull (strstr (vfio->content,
                            "\noptions vfio-pci ids=10de:1b06,10de:10ef disable_vga=1\n"));
  g_assert_nonnull (strstr (vfio->content, "\nsoftdep nouveau pre: vfio-pci\n"));
  g_assert_null (strstr (vfio->content, "snd_hda_intel"));
  g_assert_true (pt_host_plan_check_file (vfio->path, vfio->content, NULL));

  kvm = find_file (plan, PT_HOST_PLAN_KVM_FILE);
  g_assert_nonnull (kvm);
  g_assert_nonnull (strstr (kvm->content, "options kvm ignore_msrs=1 report_ignored_msrs=0\n"));
  g_assert_null (find_file (linux_plan, PT_HOST_PLAN_KVM_FILE));
  assert_strings (linux_plan->vfio_devices, devices);

  /* Both kernels are 6.1: vfio_virqfd is still a module of its own. */
  g_assert_true (plan->initramfs_regenerate);
  g_assert_cmpint (plan->initramfs_tool, ==, PT_INITRAMFS_INITRAMFS_TOOLS);
  assert_strings (plan->initramfs_modules, modules);
  g_assert_cmpuint (plan->hooks->len, ==, 0);
  g_assert_cmpuint (plan->hugepages_size_kib, ==, 0);

  assert_round_trip (plan);
}

static void
test_shared_group (void)
{
  static const char * const sata[] = { "SATA", "0000:00:17.0", NULL };
  static const char * const usb[] = { "USB", "0000:00:14.0", NULL };
  static const char * const modules[] = { "vfio_pci", "vfio", "vfio_iommu_type1", NULL };
  g_autoptr(PtHostScan) scan = scan_fixture ("shared-group-board");
  g_autoptr(PtHostPlan) plan = build_plan (scan, "02:00.0", FALSE, PT_GUEST_WINDOWS);

  g_assert_true (pt_host_plan_has_blockers (plan));
  g_assert_true (any_sentence_has (plan->blockers, sata));
  g_assert_true (any_sentence_has (plan->blockers, usb));
  /* Intel: the IOMMU needs switching on. */
  g_assert_true (contains (plan->kernel_args_add, "intel_iommu=on"));
  g_assert_true (contains (plan->kernel_args_add, "iommu=pt"));
  /* 6.1 and 6.6: vfio_virqfd is gone from the newer one. */
  g_assert_cmpint (plan->initramfs_tool, ==, PT_INITRAMFS_MKINITCPIO);
  assert_strings (plan->initramfs_modules, modules);
  assert_round_trip (plan);
}

/* Two RTX 3070 with the same IDs: only by address; the built-in vfio-pci gets no IDs. */
static void
test_identical (void)
{
  static const char * const devices[] = { "0000:0b:00.0", "0000:0b:00.1", NULL };
  static const char * const address_words[] = { "0000:0b:00.0", "address", NULL };
  g_autoptr(PtHostScan) scan = scan_fixture ("identical-gpus");
  g_autoptr(PtHostPlan) plan = build_plan (scan, "0b:00.0", FALSE, PT_GUEST_WINDOWS);

  assert_strings (plan->vfio_devices, devices);
  g_assert_cmpuint (plan->vfio_ids->len, ==, 0);
  g_assert_cmpuint (plan->blockers->len, ==, 0);
  g_assert_false (has_arg_named (plan->kernel_args_add, "vfio-pci.ids="));
  g_assert_null (find_file (plan, PT_HOST_PLAN_VFIO_FILE));
  g_assert_true (any_sentence_has (plan->warnings, address_words));
  /* Built into both kernels: nothing to load early. */
  g_assert_cmpuint (plan->initramfs_modules->len, ==, 0);
  assert_round_trip (plan);
}

/* The laptop: the IOMMU is off, so the plan turns it on; vfio-pci is built in, so the IDs go
 * on the command line. */
static void
test_iommu_off (void)
{
  static const char * const expected[] = { "intel_iommu=on", "iommu=pt", NULL };
  g_autoptr(PtHostScan) scan = scan_fixture ("intel-hybrid-laptop-iommu-off");
  g_autoptr(PtHostPlan) plan = build_plan (scan, "01:00.0", FALSE, PT_GUEST_WINDOWS);
  g_auto(GStrv) iommu_args = pt_host_plan_iommu_kernel_args (scan);

  g_assert_cmpstrv (iommu_args, expected);
  g_assert_true (contains (plan->kernel_args_add, "intel_iommu=on"));
  g_assert_true (contains (plan->kernel_args_add, "iommu=pt"));
  g_assert_true (contains (plan->kernel_args_add, "vfio-pci.ids=10de:2560,10de:228e"));
  g_assert_cmpuint (plan->blockers->len, ==, 0);
  g_assert_cmpint (plan->initramfs_tool, ==, PT_INITRAMFS_DRACUT);
  assert_round_trip (plan);
}

/* Arguments the host has (running, or in its boot loader's configuration) are not added again;
 * ones that turn the IOMMU off go. */
static void
test_existing_args (void)
{
  g_autofree char *laptop = pt_test_copy_fixture ("intel-hybrid-laptop-iommu-off");
  g_autofree char *ryzen = pt_test_copy_fixture ("ryzen-2600x-desktop");
  g_autoptr(PtHostScan) server_scan = scan_fixture ("dual-socket-server");
  g_autoptr(PtHostScan) laptop_scan = NULL;
  g_autoptr(PtHostScan) ryzen_scan = NULL;
  g_autoptr(PtHostPlan) server = NULL;
  g_autoptr(PtHostPlan) laptop_plan = NULL;
  g_autoptr(PtHostPlan) ryzen_plan = NULL;
  g_auto(GStrv) none = NULL;

  /* The server has amd_iommu=on iommu=pt already; its A4000 goes by ID on the command line. */
  server = build_plan (server_scan, "a1:00.0", FALSE, PT_GUEST_LINUX);
  g_assert_false (contains (server->kernel_args_add, "iommu=pt"));
  g_assert_false (has_arg_named (server->kernel_args_add, "amd_iommu"));
  g_assert_false (has_arg_named (server->kernel_args_add, "intel_iommu"));
  g_assert_true (contains (server->kernel_args_add, "vfio-pci.ids=10de:24b0,10de:228b"));
  none = pt_host_plan_iommu_kernel_args (server_scan);
  g_assert_cmpuint (g_strv_length (none), ==, 0);

  /* Off on the command line, an earlier ID in the way, and iommu=pt waiting in the grub file
   * for the next start. */
  pt_test_write_file (laptop, "proc/cmdline",
                      "BOOT_IMAGE=(hd0,gpt2)/vmlinuz-6.6.2-201.fc39.x86_64 ro intel_iommu=off "
                      "vfio-pci.ids=1234:5678 quiet\n");
  pt_test_write_file (laptop, "etc/default/grub",
                      "GRUB_TIMEOUT=5\nGRUB_CMDLINE_LINUX=\"rhgb quiet iommu=pt\"\n");
  laptop_scan = scan_tree (laptop);
  laptop_plan = build_plan (laptop_scan, "01:00.0", FALSE, PT_GUEST_WINDOWS);
  g_assert_true (contains (laptop_plan->kernel_args_remove, "intel_iommu=off"));
  g_assert_true (contains (laptop_plan->kernel_args_add, "intel_iommu=on"));
  g_assert_false (contains (laptop_plan->kernel_args_add, "iommu=pt"));
  g_assert_true (contains (laptop_plan->kernel_args_remove, "vfio-pci.ids=1234:5678"));
  g_assert_true (contains (laptop_plan->kernel_args_add,
                           "vfio-pci.ids=1234:5678,10de:2560,10de:228e"));
  assert_round_trip (laptop_plan);

  pt_test_write_file (ryzen, "etc/default/grub",
                      "GRUB_CMDLINE_LINUX_DEFAULT=\"quiet iommu=pt\"\nGRUB_CMDLINE_LINUX=\"\"\n");
  ryzen_scan = scan_tree (ryzen);
  ryzen_plan = build_plan (ryzen_scan, "09:00.0", FALSE, PT_GUEST_WINDOWS);
  g_assert_cmpuint (ryzen_plan->kernel_args_add->len, ==, 0);
  g_assert_cmpuint (ryzen_plan->kernel_args_remove->len, ==, 0);

  pt_test_remove_copy (laptop);
  pt_test_remove_copy (ryzen);
}

/* A one-GPU host: the boot display is refused unless single-GPU mode is chosen. */
static void
test_boot_vga (void)
{
  g_autofree char *root = pt_test_copy_fixture ("ryzen-2600x-desktop");
  g_autofree char *radeon_group = g_build_filename (root, "sys/kernel/iommu_groups/17", NULL);
  g_autoptr(PtHostScan) scan = NULL;
  g_autoptr(PtHostPlan) refused = NULL;
  g_autoptr(PtHostPlan) single = NULL;
  static const char * const devices[] = { "0000:09:00.0", "0000:09:00.1", NULL };
  static const char * const words[] = { "only graphics card", "0000:09:00.0", NULL };

  for (guint fn = 0; fn < 2; fn++)
    {
      g_autofree char *link = g_strdup_printf ("%s/sys/bus/pci/devices/0000:0a:00.%u", root, fn);

      g_assert_cmpint (unlink (link), ==, 0);
    }
  pt_test_remove_tree (radeon_group);
  pt_test_write_file (root, "sys/devices/pci0000:00/0000:00:03.1/0000:09:00.0/boot_vga", "1\n");
  scan = scan_tree (root);

  refused = build_plan (scan, "09:00.0", FALSE, PT_GUEST_WINDOWS);
  g_assert_true (any_sentence_has (refused->blockers, words));
  /* The plan still says what it would bind. */
  assert_strings (refused->vfio_devices, devices);

  single = build_plan (scan, "09:00.0", TRUE, PT_GUEST_WINDOWS);
  g_assert_cmpuint (single->blockers->len, ==, 0);
  assert_strings (single->vfio_devices, devices);

  pt_test_remove_copy (root);
}

static void
test_errors (void)
{
  g_autoptr(PtHostScan) scan = scan_fixture ("ryzen-2600x-desktop");
  g_autoptr(PtSetup) setup = pt_setup_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PtHostPlan) none = NULL;
  g_autoptr(PtHostPlan) sata = NULL;

  none = pt_host_plan_build (scan, setup, &error);
  g_assert_null (none);
  g_assert_error (error, PT_HOST_PLAN_ERROR, PT_HOST_PLAN_ERROR_NO_GPU);
  g_clear_error (&error);

  pt_setup_set_gpu (setup, "02:00.1");
  sata = pt_host_plan_build (scan, setup, &error);
  g_assert_null (sata);
  g_assert_nonnull (error);
  g_assert_cmpstr (error->message, !=, "");
}

/* Every GPU of every fixture: the plan binds the GPU's group minus bridges (read from the
 * expected report, not from the readers), names every storage, USB and network controller it
 * would take, and survives its own JSON. */
static void
test_every_gpu (void)
{
  g_auto(GStrv) names = pt_test_fixture_names ();

  for (guint f = 0; names[f] != NULL; f++)
    {
      g_autofree char *fixture = pt_test_fixture_path (names[f]);
      g_autofree char *report_path = g_strconcat (fixture, ".expected.json", NULL);
      g_autoptr(JsonNode) report = pt_test_load_json (report_path);
      JsonArray *pci = json_object_get_array_member (json_node_get_object (report), "pci");
      g_autoptr(PtHostScan) scan = scan_tree (fixture);

      for (guint g = 0; g < json_array_get_length (pci); g++)
        {
          JsonObject *gpu = json_array_get_object_element (pci, g);
          const char *gpu_address = json_object_get_string_member (gpu, "address");
          gboolean grouped = !json_object_get_null_member (gpu, "iommu_group");
          g_autoptr(GPtrArray) expected = g_ptr_array_new ();
          g_autoptr(PtHostPlan) plan = NULL;

          if (!g_str_has_prefix (json_object_get_string_member (gpu, "class"), "03"))
            continue;
          g_test_message ("%s %s", names[f], gpu_address);
          plan = build_plan (scan, gpu_address, FALSE, PT_GUEST_WINDOWS);

          for (guint i = 0; i < json_array_get_length (pci); i++)
            {
              JsonObject *entry = json_array_get_object_element (pci, i);
              const char *address = json_object_get_string_member (entry, "address");
              const char *class = json_object_get_string_member (entry, "class");
              gboolean member;

              if (grouped)
                member = !json_object_get_null_member (entry, "iommu_group")
                         && json_object_get_int_member (entry, "iommu_group")
                            == json_object_get_int_member (gpu, "iommu_group");
              else
                member = strncmp (address, gpu_address, strlen ("0000:00:00.")) == 0;
              if (!member || g_str_equal (class, "0600") || g_str_equal (class, "0604"))
                continue;
              g_ptr_array_add (expected, (gpointer) address);

              /* A controller that is not part of the card is named. */
              if (strncmp (address, gpu_address, strlen ("0000:00:00.")) != 0
                  && (g_str_has_prefix (class, "01") || g_str_has_prefix (class, "02")
                      || g_str_equal (class, "0c03")))
                {
                  const char * const words[] = { address, NULL };

                  g_assert_true (any_sentence_has (plan->blockers, words)
                                 || any_sentence_has (plan->warnings, words));
                }
            }
          g_ptr_array_add (expected, NULL);
          assert_strings (plan->vfio_devices, (const char * const *) expected->pdata);
          for (guint i = 0; i < plan->files->len; i++)
            {
              const PtPlanFile *file = g_ptr_array_index (plan->files, i);
              g_autoptr(GError) error = NULL;

              g_assert_true (pt_host_plan_check_file (file->path, file->content, &error));
              g_assert_no_error (error);
            }
          assert_round_trip (plan);
        }
    }
}

/* Hugepages come from the memory plan: a sysctl.d file for 2 MiB pages, kernel arguments for
 * 1 GiB ones, a hook when they are reserved as the VM starts; every variant reads back. */
static void
test_hugepages (void)
{
  g_autoptr(PtHostScan) ryzen = scan_fixture ("ryzen-2600x-desktop");
  g_autoptr(PtHostScan) server = scan_fixture ("dual-socket-server");
  g_autoptr(PtSetup) setup = pt_setup_new ();
  g_autoptr(PtHostPlan) small = NULL;
  g_autoptr(PtHostPlan) large = NULL;
  g_autoptr(PtHostPlan) on_demand = NULL;
  g_autoptr(PtHostPlan) off = NULL;
  g_autoptr(GError) error = NULL;
  const PtPlanFile *sysctl = NULL;

  pt_setup_set_gpu (setup, "09:00.0");
  off = pt_host_plan_build (ryzen, setup, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (off->hugepages_size_kib, ==, 0);
  g_assert_false (has_arg_named (off->kernel_args_add, "hugepages"));

  pt_setup_set_memory_mib (setup, 8192);
  pt_setup_set_hugepages (setup, PT_HUGEPAGES_2M);
  small = pt_host_plan_build (ryzen, setup, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (small->hugepages_size_kib, ==, 2048);
  g_assert_cmpuint (small->hugepages_count, ==, 4096);
  for (guint i = 0; i < small->files->len; i++)
    if (g_str_has_prefix (((PtPlanFile *) g_ptr_array_index (small->files, i))->path,
                          "/etc/sysctl.d/"))
      sysctl = g_ptr_array_index (small->files, i);
  g_assert_nonnull (sysctl);
  g_assert_nonnull (strstr (sysctl->content, "vm.nr_hugepages = 4096\n"));
  assert_round_trip (small);

  pt_setup_set_gpu (setup, "a1:00.0");
  pt_setup_set_hugepages (setup, PT_HUGEPAGES_1G);
  large = pt_host_plan_build (server, setup, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (large->hugepages_size_kib, ==, 1024 * 1024);
  g_assert_true (has_arg_named (large->kernel_args_add, "hugepagesz=1G"));
  assert_round_trip (large);

  pt_setup_set_hugepages_on_demand (setup, TRUE);
  on_demand = pt_host_plan_build (server, setup, &error);
  g_assert_no_error (error);
  g_assert_true (contains (on_demand->hooks, "hugepages-on-demand"));
  g_assert_false (has_arg_named (on_demand->kernel_args_add, "hugepagesz="));
  assert_round_trip (on_demand);
}

/* ---- Strict reading ------------------------------------------------------------------------- */

static const char minimal_plan[] =
  "{\"version\":1,\"kernel_args\":{\"add\":[],\"remove\":[]},"
  "\"vfio\":{\"ids\":[],\"devices\":[],\"softdeps\":[]},\"files\":[],"
  "\"initramfs\":{\"regenerate\":false},\"hooks\":[],\"warnings\":[],\"blockers\":[]}";

/* @minimal_plan with @from replaced by @to. */
static char *
minimal_with (const char *from,
              const char *to)
{
  const char *at = strstr (minimal_plan, from);
  g_autoptr(GString) text = g_string_new (minimal_plan);

  g_assert_nonnull (at);
  g_string_erase (text, at - minimal_plan, strlen (from));
  g_string_insert (text, at - minimal_plan, to);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
test_json_minimal (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PtHostPlan) plan = pt_host_plan_new_from_json (minimal_plan, strlen (minimal_plan),
                                                           &error);
  g_autofree char *good_file = minimal_with (
    "\"files\":[]",
    "\"files\":[{\"path\":\"/etc/modprobe.d/passthrough-vfio.conf\","
    "\"content\":\"# vfio\\noptions vfio-pci ids=10de:1b06 disable_vga=1\\n"
    "softdep nouveau pre: vfio-pci\\n\",\"mode\":\"0644\"},"
    "{\"path\":\"/etc/sysctl.d/80-passthrough-hugepages.conf\","
    "\"content\":\"vm.nr_hugepages = 4096\\n\",\"mode\":\"0644\"}]");
  g_autoptr(PtHostPlan) with_files = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (plan);
  g_assert_false (plan->initramfs_regenerate);
  g_assert_cmpint (plan->initramfs_tool, ==, PT_INITRAMFS_UNKNOWN);

  with_files = pt_host_plan_new_from_json (good_file, strlen (good_file), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (with_files->files->len, ==, 2);
}

static void
test_json_bad (void)
{
  static const struct {
    const char *what;
    const char *from;   /* NULL: @to is the whole input */
    const char *to;
  } cases[] = {
    { "empty", NULL, "" },
    { "garbage", NULL, "plan please" },
    { "an array", NULL, "[]" },
    { "trailing data", "\"blockers\":[]}", "\"blockers\":[]} {}" },
    { "trailing comma", "\"blockers\":[]}", "\"blockers\":[],}" },
    { "single quotes", "\"hooks\":[]", "'hooks':[]" },
    { "a comment", "\"hooks\":[]", "/* x */\"hooks\":[]" },
    { "duplicate key", "\"hooks\":[]", "\"hooks\":[],\"hooks\":[]" },
    { "duplicate nested key", "\"add\":[]", "\"add\":[],\"add\":[]" },
    { "unknown key", "\"hooks\":[]", "\"hooks\":[],\"script\":\"rm -rf /\"" },
    { "unknown nested key", "\"softdeps\":[]", "\"softdeps\":[],\"install\":[]" },
    { "missing key", ",\"blockers\":[]", "" },
    { "version as text", "\"version\":1", "\"version\":\"1\"" },
    { "version 2", "\"version\":1", "\"version\":2" },
    { "version 1.0", "\"version\":1", "\"version\":1.0" },
    { "ids not an array", "\"ids\":[]", "\"ids\":\"10de:1b06\"" },
    { "id as number", "\"ids\":[]", "\"ids\":[10]" },
    { "id in capitals", "\"ids\":[]", "\"ids\":[\"10DE:1B06\"]" },
    { "id twice", "\"ids\":[]", "\"ids\":[\"10de:1b06\",\"10de:1b06\"]" },
    { "short address", "\"devices\":[]", "\"devices\":[\"09:00.0\"]" },
    { "not an address", "\"devices\":[]", "\"devices\":[\"../../etc\"]" },
    { "module with a slash", "\"softdeps\":[]", "\"softdeps\":[\"../nouveau\"]" },
    { "argument with a space", "\"add\":[]", "\"add\":[\"quiet splash\"]" },
    { "argument with a quote", "\"add\":[]", "\"add\":[\"a=\\\"b\\\"\"]" },
    { "argument with a semicolon", "\"add\":[]", "\"add\":[\"a;reboot\"]" },
    { "argument starting with a dash", "\"add\":[]", "\"add\":[\"--\"]" },
    { "unknown hook", "\"hooks\":[]", "\"hooks\":[\"run-anything\"]" },
    { "warning with a new line", "\"warnings\":[]", "\"warnings\":[\"a\\nb\"]" },
    { "regenerate as text", "\"regenerate\":false", "\"regenerate\":\"no\"" },
    { "unknown initramfs tool", "\"regenerate\":false",
      "\"regenerate\":false,\"tool\":\"mkinitrd\"" },
    { "hugepages of 4 KiB", "\"files\":[]",
      "\"files\":[],\"hugepages\":{\"size_kib\":4,\"count\":1}" },
    { "no hugepages", "\"files\":[]",
      "\"files\":[],\"hugepages\":{\"size_kib\":2048,\"count\":0}" },
    { "negative hugepages", "\"files\":[]",
      "\"files\":[],\"hugepages\":{\"size_kib\":2048,\"count\":-1}" },
    { "file outside the allowlist", "\"files\":[]",
      "\"files\":[{\"path\":\"/etc/passwd\",\"content\":\"\\n\",\"mode\":\"0644\"}]" },
    { "file path with ..", "\"files\":[]",
      "\"files\":[{\"path\":\"/etc/modprobe.d/passthrough-../../x.conf\","
      "\"content\":\"\\n\",\"mode\":\"0644\"}]" },
    { "install line", "\"files\":[]",
      "\"files\":[{\"path\":\"/etc/modprobe.d/passthrough-vfio.conf\","
      "\"content\":\"install nouveau /bin/sh -c reboot\\n\",\"mode\":\"0644\"}]" },
    { "options of another module", "\"files\":[]",
      "\"files\":[{\"path\":\"/etc/modprobe.d/passthrough-vfio.conf\","
      "\"content\":\"options nouveau modeset=0\\n\",\"mode\":\"0644\"}]" },
    { "sysctl of another key", "\"files\":[]",
      "\"files\":[{\"path\":\"/etc/sysctl.d/80-passthrough.conf\","
      "\"content\":\"kernel.randomize_va_space = 0\\n\",\"mode\":\"0644\"}]" },
    { "executable file", "\"files\":[]",
      "\"files\":[{\"path\":\"/etc/modprobe.d/passthrough-vfio.conf\","
      "\"content\":\"softdep nouveau pre: vfio-pci\\n\",\"mode\":\"0755\"}]" },
    { "no final new line", "\"files\":[]",
      "\"files\":[{\"path\":\"/etc/modprobe.d/passthrough-vfio.conf\","
      "\"content\":\"softdep nouveau pre: vfio-pci\",\"mode\":\"0644\"}]" },
    { "file without a mode", "\"files\":[]",
      "\"files\":[{\"path\":\"/etc/modprobe.d/passthrough-vfio.conf\","
      "\"content\":\"softdep nouveau pre: vfio-pci\\n\"}]" },
    { "lone surrogate", "\"warnings\":[]", "\"warnings\":[\"\\ud800\"]" },
    { "escaped NUL", "\"warnings\":[]", "\"warnings\":[\"a\\u0000b\"]" },
    { "invalid UTF-8", "\"warnings\":[]", "\"warnings\":[\"\xc3\x28\"]" },
    { "leading zero", "\"version\":1", "\"version\":01" },
    { "nested too deep", "\"hooks\":[]", "\"hooks\":[[[[[[[[[[]]]]]]]]]]" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = cases[i].from != NULL ? minimal_with (cases[i].from, cases[i].to)
                                                    : g_strdup (cases[i].to);
      g_autoptr(GError) error = NULL;
      g_autoptr(PtHostPlan) plan = pt_host_plan_new_from_json (json, strlen (json), &error);

      g_test_message ("%s: %s", cases[i].what, error != NULL ? error->message : "accepted");
      g_assert_null (plan);
      g_assert_error (error, PT_HOST_PLAN_ERROR, PT_HOST_PLAN_ERROR_INVALID);
    }
}

static void
test_json_limits (void)
{
  g_autoptr(GString) big = g_string_new (minimal_plan);
  g_autoptr(GError) error = NULL;
  g_autoptr(PtHostPlan) plan = NULL;
  g_autofree char *with_nul = g_strdup (minimal_plan);

  /* White space is valid JSON: only the size refuses it. */
  while (big->len <= PT_HOST_PLAN_MAX_JSON_SIZE)
    g_string_append_c (big, ' ');
  plan = pt_host_plan_new_from_json (big->str, big->len, &error);
  g_assert_null (plan);
  g_assert_error (error, PT_HOST_PLAN_ERROR, PT_HOST_PLAN_ERROR_TOO_LARGE);
  g_clear_error (&error);

  /* A NUL byte inside the given length. */
  with_nul[strlen ("{\"version\":1,")] = '\0';
  plan = pt_host_plan_new_from_json (with_nul, strlen (minimal_plan), &error);
  g_assert_null (plan);
  g_assert_error (error, PT_HOST_PLAN_ERROR, PT_HOST_PLAN_ERROR_INVALID);
}

/* The strict reader on its own: what json-glib 1.6 lets through, and what it must keep. */
static void
test_json_strict (void)
{
  static const struct {
    const char *json;
    int         code;   /* -1: accepted */
  } cases[] = {
    { "{\"a\":1,\"a\":2}", PT_JSON_ERROR_DUPLICATE_KEY },
    { "{\"a\":1} x", PT_JSON_ERROR_SYNTAX },
    { "{'a':1}", PT_JSON_ERROR_SYNTAX },
    { "[1,]", PT_JSON_ERROR_SYNTAX },
    { "[01]", PT_JSON_ERROR_SYNTAX },
    { "[1.]", PT_JSON_ERROR_SYNTAX },
    { "[\"\t\"]", PT_JSON_ERROR_SYNTAX },
    { "[\"\\x\"]", PT_JSON_ERROR_SYNTAX },
    { "[\"\\udc00\"]", PT_JSON_ERROR_ENCODING },
    { "[[[[[]]]]]", PT_JSON_ERROR_TOO_DEEP },
    { "[NaN]", PT_JSON_ERROR_SYNTAX },
    { "[1e999]", PT_JSON_ERROR_SYNTAX },
    { " {\"a\":[true,false,null,-1.5e3,\"\\u00e9\\ud83d\\ude00\\n\"]} ", -1 },
    { "\"just a string\"", -1 },
    { "[[[[]]]]", -1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = pt_json_parse_strict (cases[i].json, strlen (cases[i].json),
                                                       1024, 4, &error);

      g_test_message ("%s", cases[i].json);
      if (cases[i].code < 0)
        {
          g_assert_no_error (error);
          g_assert_nonnull (node);
        }
      else
        {
          g_assert_null (node);
          g_assert_error (error, PT_JSON_ERROR, cases[i].code);
        }
    }
}

static void
test_json_strict_values (void)
{
  const char *json = "{\"n\":9007199254740993,\"s\":\"\\u00e9\\ud83d\\ude00\",\"f\":0.5}";
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = pt_json_parse_strict (json, strlen (json), 1024, 4, &error);
  JsonObject *object;

  g_assert_no_error (error);
  object = json_node_get_object (node);
  /* Integers stay exact, beyond what a double holds. */
  g_assert_cmpint (json_object_get_int_member (object, "n"), ==, G_GINT64_CONSTANT (9007199254740993));
  g_assert_cmpstr (json_object_get_string_member (object, "s"), ==, "é😀");
  g_assert_cmpfloat (json_object_get_double_member (object, "f"), ==, 0.5);
}

static void
test_check_file (void)
{
  static const struct {
    const char *path;
    const char *content;
    gboolean    valid;
  } cases[] = {
    { "/etc/modprobe.d/passthrough-vfio.conf", "options vfio-pci ids=10de:1b06,10de:10ef\n", TRUE },
    { "/etc/modprobe.d/passthrough-vfio.conf", "options vfio-pci disable_vga=1\n", TRUE },
    { "/etc/modprobe.d/passthrough-vfio.conf", "softdep amdgpu pre: vfio-pci\n\n# why\n", TRUE },
    { "/etc/modprobe.d/passthrough-kvm.conf", "options kvm ignore_msrs=1 report_ignored_msrs=0\n",
      TRUE },
    { "/etc/sysctl.d/80-passthrough-hugepages.conf", "vm.nr_hugepages = 4096\n", TRUE },
    { "/etc/modprobe.d/passthrough-vfio.conf", "options vfio-pci ids=10de:1b06 ids=10de:10ef\n",
      FALSE },
    { "/etc/modprobe.d/passthrough-vfio.conf", "options vfio-pci ids=\n", FALSE },
    { "/etc/modprobe.d/passthrough-vfio.conf", "options vfio-pci\n", FALSE },
    { "/etc/modprobe.d/passthrough-vfio.conf", "options vfio-pci  ids=10de:1b06\n", FALSE },
    { "/etc/modprobe.d/passthrough-vfio.conf", "options kvm ignore_msrs=2\n", FALSE },
    { "/etc/modprobe.d/passthrough-vfio.conf", "softdep amdgpu post: vfio-pci\n", FALSE },
    { "/etc/modprobe.d/passthrough-vfio.conf", "softdep amdgpu pre: vfio-pci evil\n", FALSE },
    { "/etc/modprobe.d/passthrough-vfio.conf", "blacklist nouveau\n", FALSE },
    { "/etc/modprobe.d/passthrough-vfio.conf", "#no space\n", FALSE },
    { "/etc/modprobe.d/passthrough-vfio.conf", "# bell \a\n", FALSE },
    { "/etc/modprobe.d/passthrough-vfio.conf", "vm.nr_hugepages = 4\n", FALSE },
    { "/etc/sysctl.d/80-passthrough-hugepages.conf", "softdep amdgpu pre: vfio-pci\n", FALSE },
    { "/etc/sysctl.d/80-passthrough-hugepages.conf", "vm.nr_hugepages = -1\n", FALSE },
    { "/etc/sysctl.d/80-hugepages.conf", "vm.nr_hugepages = 4\n", FALSE },
    { "/etc/modprobe.d/vfio.conf", "options vfio-pci disable_vga=1\n", FALSE },
    { "/etc/modprobe.d/passthrough-vfio.sh", "options vfio-pci disable_vga=1\n", FALSE },
    { "/etc/modprobe.d/passthrough-a/b.conf", "options vfio-pci disable_vga=1\n", FALSE },
    { "/etc/modprobe.d/passthrough-vfio.conf", "", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean valid = pt_host_plan_check_file (cases[i].path, cases[i].content, &error);

      g_test_message ("%s: %s", cases[i].path, cases[i].content);
      g_assert_cmpint (valid, ==, cases[i].valid);
      if (!valid)
        g_assert_error (error, PT_HOST_PLAN_ERROR, PT_HOST_PLAN_ERROR_INVALID);
    }
}

/* ---- Module lookups ------------------------------------------------------------------------- */

static void
test_kmod_fixture (void)
{
  g_autofree char *root = pt_test_fixture_path ("ryzen-2600x-desktop");
  g_autoptr(GError) error = NULL;
  g_autoptr(PtSysroot) sysroot = pt_sysroot_new (root, &error);
  g_autoptr(PtKmod) kmod = NULL;
  g_auto(GStrv) gpu = NULL;
  g_auto(GStrv) audio = NULL;
  g_auto(GStrv) nothing = NULL;
  g_autofree char *xhci = NULL;
  g_autofree char *unbound = NULL;
  static const char * const kernels[] = { "6.1.0-9-amd64", "6.1.0-13-amd64", NULL };

  g_assert_no_error (error);
  kmod = pt_kmod_new (sysroot, NULL);
  g_assert_cmpstrv (pt_kmod_get_kernels (kmod), kernels);

  gpu = pt_kmod_lookup (kmod, "pci:v000010DEd00001B06sv00001458sd00003752bc03sc00i00");
  g_assert_cmpuint (g_strv_length (gpu), ==, 1);
  g_assert_cmpstr (gpu[0], ==, "nouveau");
  audio = pt_kmod_lookup (kmod, "pci:v000010DEd000010EFsv00001458sd00003752bc04sc03i00");
  g_assert_cmpuint (g_strv_length (audio), ==, 1);
  g_assert_cmpstr (audio[0], ==, "snd_hda_intel");
  nothing = pt_kmod_lookup (kmod, "pci:v0000FFFFd0000FFFFsv00000000sd00000000bc08sc80i00");
  g_assert_cmpuint (g_strv_length (nothing), ==, 0);

  g_assert_cmpint (pt_kmod_module_state (kmod, "6.1.0-13-amd64", "vfio-pci"), ==,
                   PT_MODULE_LOADABLE);
  g_assert_cmpint (pt_kmod_module_state (kmod, "6.1.0-13-amd64", "portdrv"), ==,
                   PT_MODULE_BUILTIN);
  g_assert_cmpint (pt_kmod_module_state (kmod, "6.1.0-13-amd64", "amdgpu"), ==,
                   PT_MODULE_MISSING);
  g_assert_cmpint (pt_kmod_module_state (kmod, "5.10.0-1-amd64", "vfio_pci"), ==,
                   PT_MODULE_MISSING);

  /* The bound driver's module link: xhci_hcd is the driver, xhci_pci its module. */
  xhci = pt_kmod_driver_module (sysroot, "xhci_hcd");
  g_assert_cmpstr (xhci, ==, "xhci_pci");
  unbound = pt_kmod_driver_module (sysroot, "some-driver");
  g_assert_cmpstr (unbound, ==, "some_driver");
  g_assert_null (pt_kmod_driver_module (sysroot, "../x"));
}

/* Aliases of the sysroot's modprobe.d count (through libkmod), next to the text index. */
static void
test_kmod_config_alias (void)
{
  g_autofree char *root = g_dir_make_tmp ("pt-test-kmod-XXXXXX", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PtSysroot) sysroot = NULL;
  g_autoptr(PtKmod) kmod = NULL;
  g_auto(GStrv) found = NULL;
  static const char * const expected[] = { "configdriver", "textdriver", NULL };

  pt_test_write_file (root, "lib/modules/6.6.0-test/modules.alias",
                      "# Aliases extracted from modules themselves.\n"
                      "alias pci:v0000ABCDd*sv*sd*bc*sc*i* textdriver\n"
                      "alias broken line\n");
  pt_test_write_file (root, "lib/modules/6.6.0-test/modules.dep", "");
  pt_test_write_file (root, "etc/modprobe.d/local.conf",
                      "alias pci:v0000ABCDd00001234* configdriver\n");
  sysroot = pt_sysroot_new (root, &error);
  g_assert_no_error (error);
  kmod = pt_kmod_new (sysroot, NULL);
  found = pt_kmod_lookup (kmod, "pci:v0000ABCDd00001234sv00000000sd00000000bc03sc00i00");
  g_assert_cmpstrv (found, expected);

  pt_test_remove_tree (root);
}

static void
test_kernel_versions (void)
{
  static const struct {
    const char *version;
    gboolean    before_6_2;
  } cases[] = {
    { "6.1.0-13-amd64", TRUE },
    { "6.1.64-1-lts", TRUE },
    { "4.19.16-lp151.2-default", TRUE },
    { "6.2", FALSE },
    { "6.2.0-rc1", FALSE },
    { "6.10.3-arch1-1", FALSE },
    { "7.0", FALSE },
    { "linux", FALSE },
    { "", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (pt_kmod_kernel_older_than (cases[i].version, 6, 2), ==,
                     cases[i].before_6_2);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/host-plan/ryzen", test_ryzen);
  g_test_add_func ("/host-plan/shared-group", test_shared_group);
  g_test_add_func ("/host-plan/identical", test_identical);
  g_test_add_func ("/host-plan/iommu-off", test_iommu_off);
  g_test_add_func ("/host-plan/existing-args", test_existing_args);
  g_test_add_func ("/host-plan/boot-vga", test_boot_vga);
  g_test_add_func ("/host-plan/errors", test_errors);
  g_test_add_func ("/host-plan/every-gpu-every-fixture", test_every_gpu);
  g_test_add_func ("/host-plan/hugepages", test_hugepages);
  g_test_add_func ("/host-plan/json/minimal", test_json_minimal);
  g_test_add_func ("/host-plan/json/bad", test_json_bad);
  g_test_add_func ("/host-plan/json/limits", test_json_limits);
  g_test_add_func ("/host-plan/json/strict", test_json_strict);
  g_test_add_func ("/host-plan/json/strict-values", test_json_strict_values);
  g_test_add_func ("/host-plan/check-file", test_check_file);
  g_test_add_func ("/host-plan/kmod/fixture", test_kmod_fixture);
  g_test_add_func ("/host-plan/kmod/config-alias", test_kmod_config_alias);
  g_test_add_func ("/host-plan/kmod/kernel-versions", test_kernel_versions);

  return g_test_run ();
}
