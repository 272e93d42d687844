/* test-gpu.c: the guest GPU choice on the fixture hosts, and on copies of them changed so that a
 * card shares its group with what the host cannot lose. */

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pt-gpu.h"
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

/* Moves the function @address of the tree at @root into IOMMU group @group, as a board without
 * ACS below that slot would have it. */
static void
move_to_group (const char *root,
               const char *address,
               int         group)
{
  g_autofree char *device_link = g_strdup_printf ("/sys/bus/pci/devices/%s", address);
  g_autofree char *device_host = g_build_filename (root, device_link, NULL);
  g_autofree char *device_dir = realpath (device_host, NULL);
  g_autofree char *group_link = g_build_filename (device_dir, "iommu_group", NULL);
  g_autofree char *old_member = NULL;
  g_autofree char *new_member = g_strdup_printf ("/sys/kernel/iommu_groups/%d/devices/%s",
                                                 group, address);
  g_autofree char *new_group = g_strdup_printf ("/sys/kernel/iommu_groups/%d", group);
  g_autofree char *device_path = g_strdup (device_dir + strlen (root));
  g_autofree char *old_target = g_file_read_link (group_link, NULL);
  g_autofree char *old_name = NULL;

  g_assert_nonnull (device_dir);
  g_assert_nonnull (old_target);
  old_name = g_path_get_basename (old_target);
  old_member = g_strdup_printf ("%s/sys/kernel/iommu_groups/%s/devices/%s", root, old_name,
                                address);
  g_assert_cmpint (unlink (old_member), ==, 0);
  g_assert_cmpint (unlink (group_link), ==, 0);
  g_assert_cmpint (symlink (new_group, group_link), ==, 0);
  pt_test_make_link (root, new_member, device_path);
}

/* The plan's rule, from the expected report (an oracle independent of the readers): the GPU's
 * IOMMU group minus its bridges, or the functions of its slot when there are no groups. */
static GPtrArray *
expected_devices (JsonObject *report,
                  const char *gpu)
{
  JsonArray *pci = json_object_get_array_member (report, "pci");
  GPtrArray *devices = g_ptr_array_new_with_free_func (g_free);
  JsonObject *gpu_entry = NULL;
  gboolean has_group;

  for (guint i = 0; i < json_array_get_length (pci); i++)
    {
      JsonObject *entry = json_array_get_object_element (pci, i);

      if (g_str_equal (json_object_get_string_member (entry, "address"), gpu))
        gpu_entry = entry;
    }
  g_assert_nonnull (gpu_entry);
  has_group = !json_object_get_null_member (gpu_entry, "iommu_group");

  for (guint i = 0; i < json_array_get_length (pci); i++)
    {
      JsonObject *entry = json_array_get_object_element (pci, i);
      const char *address = json_object_get_string_member (entry, "address");
      const char *class = json_object_get_string_member (entry, "class");
      gboolean bridge = g_str_equal (class, "0600") || g_str_equal (class, "0604")
                        || g_str_equal (class, "0609");
      gboolean member;

      if (has_group)
        member = !json_object_get_null_member (entry, "iommu_group")
                 && json_object_get_int_member (entry, "iommu_group")
                    == json_object_get_int_member (gpu_entry, "iommu_group");
      else
        /* "dddd:bb:ss." is the slot. */
        member = strncmp (address, gpu, strlen ("0000:00:00.")) == 0;
      if (member && !bridge)
        g_ptr_array_add (devices, g_strdup (address));
    }
  return devices;
}

static gboolean
issue_names (const PtGpuChoice *choice,
             const char        *address)
{
  for (guint i = 0; i < choice->issues->len; i++)
    {
      const PtGpuIssue *issue = g_ptr_array_index (choice->issues, i);

      if (strstr (issue->message, address) != NULL)
        return TRUE;
    }
  return FALSE;
}

static const PtGpuIssue *
find_issue (const PtGpuChoice *choice,
            PtGpuIssueKind     kind)
{
  for (guint i = 0; i < choice->issues->len; i++)
    {
      const PtGpuIssue *issue = g_ptr_array_index (choice->issues, i);

      if (issue->kind == kind)
        return issue;
    }
  return NULL;
}

static void
assert_devices (const PtGpuChoice  *choice,
                const char * const *expected)
{
  g_assert_cmpuint (choice->devices->len, ==, g_strv_length ((char **) expected));
  for (guint i = 0; expected[i] != NULL; i++)
    g_assert_cmpstr (((PtPciDevice *) g_ptr_array_index (choice->devices, i))->address, ==,
                     expected[i]);
}

/* For every GPU of every fixture: the devices are the group minus bridges, each storage, USB or
 * network controller among them is named in an issue, and every issue names a device. */
static void
test_every_gpu (void)
{
  g_auto(GStrv) names = pt_test_fixture_names ();

  g_assert_cmpuint (g_strv_length (names), >=, 6);
  for (guint f = 0; names[f] != NULL; f++)
    {
      g_autoptr(PtHostScan) scan = scan_fixture (names[f]);
      g_autofree char *fixture = pt_test_fixture_path (names[f]);
      g_autofree char *report_path = g_strconcat (fixture, ".expected.json", NULL);
      g_autoptr(JsonNode) report = pt_test_load_json (report_path);
      g_autoptr(PtDeviceUsage) usage = pt_device_usage_new (scan);
      g_autoptr(GPtrArray) gpus = pt_gpu_list (scan);

      g_assert_cmpuint (gpus->len, >=, 1);
      for (guint g = 0; g < gpus->len; g++)
        {
          const PtPciDevice *gpu = g_ptr_array_index (gpus, g);
          g_autoptr(GPtrArray) expected = expected_devices (json_node_get_object (report),
                                                            gpu->address);
          g_autoptr(GError) error = NULL;
          g_autoptr(PtGpuChoice) choice = pt_gpu_choice_new (scan, usage, gpu->address, FALSE,
                                                             &error);

          g_test_message ("%s %s", names[f], gpu->address);
          g_assert_no_error (error);
          g_assert_true (choice->gpu == gpu);
          g_assert_cmpuint (choice->devices->len, ==, expected->len);
          for (guint i = 0; i < expected->len; i++)
            {
              const PtPciDevice *device = g_ptr_array_index (choice->devices, i);
              PtDeviceKind kind = pt_device_kind_of (device);

              g_assert_cmpstr (device->address, ==, g_ptr_array_index (expected, i));
              g_assert_true (pt_gpu_choice_contains (choice, device->address));
              if (!g_ptr_array_find (choice->card, device, NULL)
                  && (kind == PT_DEVICE_KIND_STORAGE || kind == PT_DEVICE_KIND_USB
                      || kind == PT_DEVICE_KIND_NETWORK))
                g_assert_true (issue_names (choice, device->address));
            }
          for (guint i = 0; i < choice->issues->len; i++)
            {
              const PtGpuIssue *issue = g_ptr_array_index (choice->issues, i);

              if (issue->device != NULL)
                g_assert_nonnull (strstr (issue->message, issue->device));
              /* Blockers come first. */
              if (i > 0 && issue->blocker)
                g_assert_true (((PtGpuIssue *) g_ptr_array_index (choice->issues, i - 1))->blocker);
            }
        }
    }
}

static void
test_ryzen (void)
{
  static const char * const guest[] = { "0000:09:00.0", "0000:09:00.1", NULL };
  static const char * const host[] = { "0000:0a:00.0", "0000:0a:00.1", NULL };
  g_autoptr(PtHostScan) scan = scan_fixture ("ryzen-2600x-desktop");
  g_autoptr(GError) error = NULL;
  g_autoptr(PtGpuChoice) choice = pt_gpu_choice_new (scan, NULL, "09:00.0", FALSE, &error);
  g_autoptr(PtGpuChoice) by_audio = NULL;
  g_autoptr(PtGpuChoice) boot = NULL;
  const PtGpuIssue *issue;

  g_assert_no_error (error);
  assert_devices (choice, guest);
  g_assert_cmpint (choice->iommu_group, ==, 16);
  g_assert_cmpuint (choice->card->len, ==, 2);
  g_assert_cmpuint (choice->companions->len, ==, 0);
  g_assert_cmpuint (choice->bridges->len, ==, 0);
  g_assert_cmpuint (choice->host_gpus->len, ==, 1);
  g_assert_cmpuint (choice->issues->len, ==, 0);
  g_assert_false (pt_gpu_choice_has_blockers (choice));
  g_assert_false (pt_gpu_choice_contains (choice, "0000:0a:00.0"));

  /* Any function picks the whole card. */
  by_audio = pt_gpu_choice_new (scan, NULL, "0000:09:00.1", FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (by_audio->gpu->address, ==, "0000:09:00.0");
  assert_devices (by_audio, guest);

  /* The boot display may go when another card stays, with a word about the start-up screen. */
  boot = pt_gpu_choice_new (scan, NULL, "0a:00.0", FALSE, &error);
  g_assert_no_error (error);
  assert_devices (boot, host);
  g_assert_false (pt_gpu_choice_has_blockers (boot));
  issue = find_issue (boot, PT_GPU_ISSUE_BOOT_VGA);
  g_assert_nonnull (issue);
  g_assert_false (issue->blocker);
  g_assert_nonnull (strstr (issue->message, "0000:09:00.0"));
}

static void
test_errors (void)
{
  static const struct {
    const char *address;
    PtGpuError  code;
  } cases[] = {
    { "graphics", PT_GPU_ERROR_INVALID_ADDRESS },
    { "", PT_GPU_ERROR_INVALID_ADDRESS },
    { "09:00.8", PT_GPU_ERROR_INVALID_ADDRESS },
    { "0000:77:00.0", PT_GPU_ERROR_UNKNOWN_DEVICE },
    { "02:00.1", PT_GPU_ERROR_NOT_A_GPU },      /* the chipset's SATA controller */
    { "0000:07:00.0", PT_GPU_ERROR_NOT_A_GPU }, /* the network card */
  };
  g_autoptr(PtHostScan) scan = scan_fixture ("ryzen-2600x-desktop");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PtGpuChoice) choice = pt_gpu_choice_new (scan, NULL, cases[i].address, FALSE,
                                                         &error);

      g_assert_null (choice);
      g_assert_error (error, PT_GPU_ERROR, (int) cases[i].code);
      g_assert_cmpstr (error->message, !=, "");
    }
}

/* The RX 580 in a PCH slot: its group holds the xHCI controller with every keyboard and the SATA
 * controller of a data disk; the root ports stay. */
static void
test_shared_group (void)
{
  static const char * const devices[] = {
    "0000:00:14.0", "0000:00:14.2", "0000:00:17.0", "0000:02:00.0", "0000:02:00.1", NULL
  };
  g_autoptr(PtHostScan) scan = scan_fixture ("shared-group-board");
  g_autoptr(GError) error = NULL;
  g_autoptr(PtGpuChoice) choice = pt_gpu_choice_new (scan, NULL, "02:00.0", FALSE, &error);
  const PtGpuIssue *keyboard;
  gboolean sata_blocker = FALSE;

  g_assert_no_error (error);
  assert_devices (choice, devices);
  g_assert_cmpuint (choice->bridges->len, ==, 3);
  g_assert_cmpuint (choice->companions->len, ==, 3);
  g_assert_true (pt_gpu_choice_has_blockers (choice));

  keyboard = find_issue (choice, PT_GPU_ISSUE_ONLY_KEYBOARD);
  g_assert_nonnull (keyboard);
  g_assert_true (keyboard->blocker);
  g_assert_cmpstr (keyboard->device, ==, "0000:00:14.0");
  g_assert_nonnull (strstr (keyboard->message, "USB Controller"));
  g_assert_nonnull (strstr (keyboard->message, "Keychron"));

  for (guint i = 0; i < choice->issues->len; i++)
    {
      const PtGpuIssue *issue = g_ptr_array_index (choice->issues, i);

      if (g_strcmp0 (issue->device, "0000:00:17.0") == 0 && issue->blocker)
        {
          sata_blocker = TRUE;
          g_assert_nonnull (strstr (issue->message, "SATA"));
          g_assert_nonnull (strstr (issue->message, "Samsung SSD 870"));
          g_assert_nonnull (strstr (issue->message, "ACS"));
        }
    }
  g_assert_true (sata_blocker);
}

static void
test_identical (void)
{
  g_autoptr(PtHostScan) scan = scan_fixture ("identical-gpus");
  g_autoptr(GError) error = NULL;
  g_autoptr(PtGpuChoice) choice = pt_gpu_choice_new (scan, NULL, "0b:00.0", FALSE, &error);
  guint twins = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < choice->issues->len; i++)
    {
      const PtGpuIssue *issue = g_ptr_array_index (choice->issues, i);

      if (issue->kind != PT_GPU_ISSUE_SAME_IDS)
        continue;
      twins++;
      g_assert_false (issue->blocker);
      g_assert_true (g_str_has_prefix (issue->device, "0000:0b:00."));
      g_assert_nonnull (strstr (issue->message, "0000:0a:00."));
    }
  g_assert_cmpuint (twins, ==, 2);
}

static void
test_iommu_off (void)
{
  static const char * const devices[] = { "0000:01:00.0", "0000:01:00.1", NULL };
  g_autoptr(PtHostScan) scan = scan_fixture ("intel-hybrid-laptop-iommu-off");
  g_autoptr(GError) error = NULL;
  g_autoptr(PtGpuChoice) choice = pt_gpu_choice_new (scan, NULL, "01:00.0", FALSE, &error);
  const PtGpuIssue *issue;

  g_assert_no_error (error);
  assert_devices (choice, devices);
  g_assert_cmpint (choice->iommu_group, ==, -1);
  issue = find_issue (choice, PT_GPU_ISSUE_NO_IOMMU);
  g_assert_nonnull (issue);
  g_assert_false (issue->blocker);
  g_assert_false (pt_gpu_choice_has_blockers (choice));
}

/* The Turing card's four functions go together; the CPU root port of its group stays. */
static void
test_four_functions (void)
{
  static const char * const devices[] = {
    "0000:01:00.0", "0000:01:00.1", "0000:01:00.2", "0000:01:00.3", NULL
  };
  g_autoptr(PtHostScan) scan = scan_fixture ("no-smt-desktop");
  g_autoptr(GError) error = NULL;
  g_autoptr(PtGpuChoice) choice = pt_gpu_choice_new (scan, NULL, "0000:01:00.3", FALSE, &error);

  g_assert_no_error (error);
  assert_devices (choice, devices);
  g_assert_cmpuint (choice->card->len, ==, 4);
  g_assert_cmpuint (choice->bridges->len, ==, 1);
  g_assert_cmpstr (((PtPciDevice *) g_ptr_array_index (choice->bridges, 0))->address, ==,
                   "0000:00:01.0");
  g_assert_false (pt_gpu_choice_has_blockers (choice));
}

/* Which card each fixture host is online through, also behind a bridge and a bond. */
static void
test_network_usage (void)
{
  static const struct {
    const char *fixture;
    const char *address;
    const char *interface;
    gboolean    active;
  } cases[] = {
    { "ryzen-2600x-desktop", "0000:07:00.0", "enp7s0", TRUE },
    { "intel-hybrid-laptop-iommu-off", "0000:03:00.0", "enp3s0", FALSE },
    { "intel-hybrid-laptop-iommu-off", "0000:00:14.3", "wlp0s20f3", TRUE },
    { "shared-group-board", "0000:00:1f.6", "br0", TRUE },
    { "dual-socket-server", "0000:21:00.1", "eno2", FALSE },
    { "dual-socket-server", "0000:c1:00.1", "bond0", TRUE },
    { "identical-gpus", "0000:04:00.0", "enp4s0", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PtHostScan) scan = scan_fixture (cases[i].fixture);
      g_autoptr(PtDeviceUsage) usage = pt_device_usage_new (scan);
      const char * const *interfaces;
      gboolean active = !cases[i].active;

      g_test_message ("%s %s", cases[i].fixture, cases[i].address);
      g_assert_true (pt_device_usage_knows_network (usage));
      interfaces = pt_device_usage_get_interfaces (usage, cases[i].address, &active);
      g_assert_nonnull (interfaces);
      g_assert_true (g_strv_contains (interfaces, cases[i].interface));
      g_assert_cmpint (active, ==, cases[i].active);
    }
}

/* The GPU moved into the 2600X's chipset group: the keyboards' USB controller, the data disk's
 * SATA controller and the network card the host is online through all block. */
static void
test_chipset_slot (void)
{
  g_autofree char *root = pt_test_copy_fixture ("ryzen-2600x-desktop");
  g_autoptr(PtHostScan) scan = NULL;
  g_autoptr(PtGpuChoice) choice = NULL;
  g_autoptr(GError) error = NULL;
  const PtGpuIssue *issue;
  gboolean sata = FALSE;

  move_to_group (root, "0000:09:00.0", 15);
  move_to_group (root, "0000:09:00.1", 15);
  scan = scan_tree (root);
  choice = pt_gpu_choice_new (scan, NULL, "09:00.0", FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (choice->iommu_group, ==, 15);
  g_assert_true (pt_gpu_choice_contains (choice, "0000:07:00.0"));
  g_assert_false (pt_gpu_choice_contains (choice, "0000:02:00.2"));

  issue = find_issue (choice, PT_GPU_ISSUE_ACTIVE_NETWORK);
  g_assert_nonnull (issue);
  g_assert_true (issue->blocker);
  g_assert_cmpstr (issue->device, ==, "0000:07:00.0");
  g_assert_nonnull (strstr (issue->message, "I211"));
  g_assert_nonnull (strstr (issue->message, "enp7s0"));

  issue = find_issue (choice, PT_GPU_ISSUE_ONLY_KEYBOARD);
  g_assert_nonnull (issue);
  g_assert_true (issue->blocker);
  g_assert_cmpstr (issue->device, ==, "0000:02:00.0");
  g_assert_nonnull (strstr (issue->message, "Dell"));

  for (guint i = 0; i < choice->issues->len; i++)
    {
      issue = g_ptr_array_index (choice->issues, i);
      if (g_strcmp0 (issue->device, "0000:02:00.1") == 0 && issue->blocker)
        sata = strstr (issue->message, "WDC WD40EFRX") != NULL;
    }
  g_assert_true (sata);

  pt_test_remove_copy (root);
}

/* The root disk's controller in the GPU's group blocks, naming the disk. */
static void
test_root_disk (void)
{
  g_autofree char *root = pt_test_copy_fixture ("ryzen-2600x-desktop");
  g_autoptr(PtHostScan) scan = NULL;
  g_autoptr(PtGpuChoice) choice = NULL;
  g_autoptr(GError) error = NULL;
  const PtGpuIssue *issue;

  move_to_group (root, "0000:01:00.0", 16);
  scan = scan_tree (root);
  choice = pt_gpu_choice_new (scan, NULL, "09:00.0", FALSE, &error);
  g_assert_no_error (error);
  issue = find_issue (choice, PT_GPU_ISSUE_HOST_DISK);
  g_assert_nonnull (issue);
  g_assert_true (issue->blocker);
  g_assert_cmpstr (issue->device, ==, "0000:01:00.0");
  g_assert_nonnull (strstr (issue->message, "/dev/nvme0n1"));

  pt_test_remove_copy (root);
}

/* Without the Radeon, the 1080 Ti is the only card and shows the start-up screen. */
static void
test_only_gpu (void)
{
  g_autofree char *root = pt_test_copy_fixture ("ryzen-2600x-desktop");
  g_autofree char *boot_vga = NULL;
  g_autofree char *radeon_group = g_build_filename (root, "sys/kernel/iommu_groups/17", NULL);
  g_autoptr(PtHostScan) scan = NULL;
  g_autoptr(PtGpuChoice) refused = NULL;
  g_autoptr(PtGpuChoice) single = NULL;
  g_autoptr(GError) error = NULL;
  const PtGpuIssue *issue;

  for (guint fn = 0; fn < 2; fn++)
    {
      g_autofree char *link = g_strdup_printf ("%s/sys/bus/pci/devices/0000:0a:00.%u", root, fn);

      g_assert_cmpint (unlink (link), ==, 0);
    }
  pt_test_remove_tree (radeon_group);
  boot_vga = g_build_filename (root, "sys/bus/pci/devices/0000:09:00.0/boot_vga", NULL);
  g_assert_true (g_file_set_contents (boot_vga, "1\n", -1, NULL));

  scan = scan_tree (root);
  refused = pt_gpu_choice_new (scan, NULL, "09:00.0", FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (refused->host_gpus->len, ==, 0);
  issue = find_issue (refused, PT_GPU_ISSUE_ONLY_GPU);
  g_assert_nonnull (issue);
  g_assert_true (issue->blocker);
  g_assert_nonnull (strstr (issue->message, "single-GPU"));

  single = pt_gpu_choice_new (scan, NULL, "09:00.0", TRUE, &error);
  g_assert_no_error (error);
  g_assert_false (pt_gpu_choice_has_blockers (single));
  issue = find_issue (single, PT_GPU_ISSUE_BOOT_VGA);
  g_assert_nonnull (issue);
  g_assert_false (issue->blocker);

  pt_test_remove_copy (root);
}

static void
test_short_vendor (void)
{
  static const struct {
    const char *vendor;
    const char *expected;
  } cases[] = {
    { "NVIDIA Corporation", "NVIDIA" },
    { "Advanced Micro Devices, Inc. [AMD/ATI]", "AMD/ATI" },
    { "Advanced Micro Devices, Inc. [AMD]", "AMD" },
    { "Intel Corporation", "Intel" },
    { "ASPEED Technology, Inc.", "ASPEED" },
    { "Samsung Electronics Co Ltd", "Samsung" },
    { "Vendor 1234", "Vendor 1234" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = pt_gpu_short_vendor (cases[i].vendor);

      g_assert_cmpstr (name, ==, cases[i].expected);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gpu/every-gpu-every-fixture", test_every_gpu);
  g_test_add_func ("/gpu/ryzen", test_ryzen);
  g_test_add_func ("/gpu/errors", test_errors);
  g_test_add_func ("/gpu/shared-group", test_shared_group);
  g_test_add_func ("/gpu/identical", test_identical);
  g_test_add_func ("/gpu/iommu-off", test_iommu_off);
  g_test_add_func ("/gpu/four-functions", test_four_functions);
  g_test_add_func ("/gpu/network-usage", test_network_usage);
  g_test_add_func ("/gpu/chipset-slot", test_chipset_slot);
  g_test_add_func ("/gpu/root-disk", test_root_disk);
  g_test_add_func ("/gpu/only-gpu", test_only_gpu);
  g_test_add_func ("/gpu/short-vendor", test_short_vendor);

  return g_test_run ();
}
