/* test-pci.c: PCI functions as libpci and sysfs give them, on fixtures, small trees, the host. */
#include <pci/pci.h>
#include <string.h>
#include <unistd.h>

#include "pt-pci.h"
#include "pt-test-tree.h"
#include "pt-test-utils.h"

/* --- helpers --- */

typedef struct {
  const char *address;     /* "0000:09:00.0" */
  const char *parent_dir;  /* below /sys/devices: "pci0000:00/0000:00:03.1" */
  const char *vendor;      /* the attributes, without newline */
  const char *device;
  const char *class;
} FakeFunction;

/* A function in /sys/devices with its /sys/bus/pci/devices link. */
static void
add_function (const char         *root,
              const FakeFunction *f)
{
  g_autofree char *dir = g_strdup_printf ("%s/%s", f->parent_dir, f->address);
  const PtTestAttribute attributes[] = {
    { "vendor", f->vendor }, { "device", f->device }, { "class", f->class },
  };

  pt_test_add_device (root, "pci", dir, attributes, G_N_ELEMENTS (attributes));
}

static GPtrArray *
read_tree (const char  *root,
           GError     **error)
{
  g_autoptr(PtSysroot) sysroot = pt_sysroot_new (root, NULL);

  g_assert_nonnull (sysroot);
  return pt_pci_read (sysroot, error);
}

/* lspci -mm, pointed at @sysfs_pci: address → "vendor device" exactly as it prints them. */
static GHashTable *
lspci_names (const char *sysfs_pci)
{
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *option = g_strconcat ("sysfs.path=", sysfs_pci, NULL);
  const char *argv[] = { "lspci", "-mm", "-D", "-A", "linux-sysfs", "-O", option, NULL };
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  int status;

  out = pt_test_spawn_stdout (argv, &status, NULL);
  g_assert_cmpint (status, ==, 0);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = NULL;

      if (*lines[i] == '\0')
        continue;
      /* 0000:09:00.0 "Class" "Vendor" "Device" -rXX -pXX "SVendor" "SDevice" */
      g_assert_true (g_shell_parse_argv (lines[i], NULL, &fields, NULL));
      g_assert_cmpuint (g_strv_length (fields), >=, 4);
      g_hash_table_insert (names, g_strdup (fields[0]),
                           g_strdup_printf ("%s %s", fields[2], fields[3]));
    }
  return g_steal_pointer (&names);
}

static gboolean
have_program (const char *name)
{
  g_autofree char *path = g_find_program_in_path (name);

  return path != NULL;
}

/* --- fixtures --- */

/* The report's view of a function (pt-report.h), to compare with the fixture's expectation. */
static JsonNode *
device_to_json (const PtPciDevice *d)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *vendor = g_strdup_printf ("%04x", d->vendor_id);
  g_autofree char *device = g_strdup_printf ("%04x", d->device_id);
  g_autofree char *class = g_strdup_printf ("%04x", d->class_id);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "address");
  json_builder_add_string_value (b, d->address);
  json_builder_set_member_name (b, "vendor");
  json_builder_add_string_value (b, vendor);
  json_builder_set_member_name (b, "device");
  json_builder_add_string_value (b, device);
  json_builder_set_member_name (b, "class");
  json_builder_add_string_value (b, class);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, d->name);
  json_builder_set_member_name (b, "driver");
  if (d->driver)
    json_builder_add_string_value (b, d->driver);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "iommu_group");
  if (d->iommu_group >= 0)
    json_builder_add_int_value (b, d->iommu_group);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "boot_vga");
  json_builder_add_boolean_value (b, d->boot_vga);
  json_builder_set_member_name (b, "numa_node");
  if (d->numa_node >= 0)
    json_builder_add_int_value (b, d->numa_node);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "reset_method");
  if (d->reset_method)
    json_builder_add_string_value (b, d->reset_method);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "subsystem");
  if (d->subsystem_vendor_id != 0)
    {
      g_autofree char *subsystem = g_strdup_printf ("%04x:%04x", d->subsystem_vendor_id,
                                                    d->subsystem_device_id);
      json_builder_add_string_value (b, subsystem);
    }
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static void
test_fixture_expected (gconstpointer data)
{
  const char *name = data;
  g_autofree char *root = pt_test_fixture_path (name);
  g_autofree char *expected_path = g_strconcat (root, ".expected.json", NULL);
  g_autoptr(JsonNode) expected = NULL;
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *pci;

  devices = read_tree (root, &error);
  g_assert_no_error (error);
  g_assert_nonnull (devices);

  if (!g_file_test (expected_path, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("the fixture has no expected report yet");
      return;
    }
  expected = pt_test_load_json (expected_path);
  pci = json_object_get_array_member (json_node_get_object (expected), "pci");
  g_assert_cmpuint (json_array_get_length (pci), ==, devices->len);

  for (guint i = 0; i < devices->len; i++)
    {
      JsonObject *want = json_array_get_object_element (pci, i);
      g_autoptr(JsonNode) got = device_to_json (g_ptr_array_index (devices, i));
      g_autoptr(GList) keys = json_object_get_members (want);

      /* Keys the expectation leaves out are extras the report may add later. */
      for (GList *l = keys; l != NULL; l = l->next)
        {
          JsonNode *member = json_object_get_member (json_node_get_object (got), l->data);
          g_autofree char *diff = NULL;

          if (member == NULL)
            g_error ("%s: pci[%u] has no “%s”", name, i, (const char *) l->data);
          diff = pt_test_json_diff (json_object_get_member (want, l->data), member);
          if (diff != NULL)
            g_error ("%s: pci[%u].%s: %s", name, i, (const char *) l->data, diff);
        }
    }
}

/* The same functions and names as lspci reading the same tree. */
static void
test_fixture_lspci (gconstpointer data)
{
  const char *name = data;
  g_autofree char *root = pt_test_fixture_path (name);
  g_autofree char *sysfs_pci = g_build_filename (root, "sys", "bus", "pci", NULL);
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GHashTable) names = NULL;
  g_autoptr(GError) error = NULL;

  if (!have_program ("lspci"))
    {
      g_test_skip ("lspci (pciutils) is not installed");
      return;
    }

  devices = read_tree (root, &error);
  g_assert_no_error (error);
  names = lspci_names (sysfs_pci);
  g_assert_cmpuint (g_hash_table_size (names), ==, devices->len);
  for (guint i = 0; i < devices->len; i++)
    {
      PtPciDevice *d = g_ptr_array_index (devices, i);

      g_assert_cmpstr (d->name, ==, g_hash_table_lookup (names, d->address));
    }
}

/* What a user relies on in particular fixtures: the GPU they pass through and the one they keep. */
typedef struct {
  const char *fixture;
  const char *address;
  guint       vendor_id;
  guint       device_id;
  gboolean    is_gpu;
  gboolean    boot_vga;
  gboolean    has_group;   /* FALSE: IOMMU off, iommu_group must be -1 */
  int         numa_node;
} KnownDevice;

static const KnownDevice known_devices[] = {
  /* The GTX 1080 Ti for the guest, the R9 280X showing the host's console. */
  { "ryzen-2600x-desktop", "0000:09:00.0", 0x10de, 0x1b06, TRUE, FALSE, TRUE, -1 },
  { "ryzen-2600x-desktop", "0000:0a:00.0", 0x1002, 0x6798, TRUE, TRUE, TRUE, -1 },
  { "ryzen-2600x-desktop", "0000:09:00.1", 0x10de, 0x10ef, FALSE, FALSE, TRUE, -1 },
  /* IOMMU off: no function has a group. */
  { "intel-hybrid-laptop-iommu-off", "0000:00:02.0", 0x8086, 0x46a6, TRUE, TRUE, FALSE, -1 },
  { "intel-hybrid-laptop-iommu-off", "0000:01:00.0", 0x10de, 0x2560, TRUE, FALSE, FALSE, -1 },
  /* The guest GPU hangs off the second socket; the BMC's VGA off the first. */
  { "dual-socket-server", "0000:a1:00.0", 0x10de, 0x24b0, TRUE, FALSE, TRUE, 1 },
  { "dual-socket-server", "0000:42:00.0", 0x1a03, 0x2000, TRUE, TRUE, TRUE, 0 },
  /* Two cards with the same ids: only the address tells them apart. */
  { "identical-gpus", "0000:0a:00.0", 0x10de, 0x2484, TRUE, TRUE, TRUE, -1 },
  { "identical-gpus", "0000:0b:00.0", 0x10de, 0x2484, TRUE, FALSE, TRUE, -1 },
  { "shared-group-board", "0000:02:00.0", 0x1002, 0x67df, TRUE, FALSE, TRUE, -1 },
  { "no-smt-desktop", "0000:01:00.0", 0x10de, 0x2184, TRUE, FALSE, TRUE, -1 },
};

static void
test_fixture_known (gconstpointer data)
{
  const KnownDevice *k = data;
  g_autofree char *root = pt_test_fixture_path (k->fixture);
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GError) error = NULL;
  PtPciDevice *d;

  if (!g_file_test (root, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("the fixture is not in tests/fixtures");
      return;
    }
  devices = read_tree (root, &error);
  g_assert_no_error (error);
  d = pt_pci_find (devices, k->address);
  g_assert_nonnull (d);
  g_assert_cmphex (d->vendor_id, ==, k->vendor_id);
  g_assert_cmphex (d->device_id, ==, k->device_id);
  g_assert_cmpint (pt_pci_device_is_gpu (d), ==, k->is_gpu);
  g_assert_cmpint (d->boot_vga, ==, k->boot_vga);
  g_assert_cmpint (d->iommu_group >= 0, ==, k->has_group);
  g_assert_cmpint (d->numa_node, ==, k->numa_node);
  g_assert_nonnull (d->driver);
}

/* --- small trees --- */

static void
test_no_pci (void)
{
  g_autofree char *root = g_dir_make_tmp ("pt-pci-XXXXXX", NULL);
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GError) error = NULL;

  /* A host without PCI (some ARM boards) is not an error. */
  pt_test_write_file (root, "sys/devices/system/cpu/online", "0-3\n");
  devices = read_tree (root, &error);
  g_assert_no_error (error);
  g_assert_nonnull (devices);
  g_assert_cmpuint (devices->len, ==, 0);
  pt_test_remove_tree (root);
}

static void
test_no_devices_dir (void)
{
  g_autofree char *root = g_dir_make_tmp ("pt-pci-XXXXXX", NULL);
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GError) error = NULL;

  pt_test_write_file (root, "sys/bus/pci/drivers_probe", "");
  devices = read_tree (root, &error);
  g_assert_null (devices);
  g_assert_error (error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_NOT_FOUND);
  pt_test_remove_tree (root);
}

static const FakeFunction small_tree[] = {
  { "0000:00:03.1", "pci0000:00", "0x1022", "0x1453", "0x060400" },
  { "0000:09:00.1", "pci0000:00/0000:00:03.1", "0x10de", "0x10ef", "0x040300" },
  { "0000:0a:00.0", "pci0000:00/0000:00:03.1", "0x1234", "0x5678", "0x010802" },
  { "0000:09:00.0", "pci0000:00/0000:00:03.1", "0x10de", "0x1b06", "0x030000" },
  { "0000:00:00.0", "pci0000:00", "0x1022", "0x1450", "0x060000" },
};

static void
build_small_tree (const char *root)
{
  const char *gpu = "sys/devices/pci0000:00/0000:00:03.1/0000:09:00.0";
  static const PtTestAttribute gpu_files[] = {
    { "subsystem_vendor", "0x1458" },
    { "subsystem_device", "0x3702" },
    { "revision", "0xa1" },
    { "boot_vga", "0" },
    { "numa_node", "-1" },
    { "reset_method", "flr bus" },
    { "modalias", "pci:v000010DEd00001B06sv00001458sd00003702bc03sc00i00" },
  };
  g_autofree char *driver = NULL;
  g_autofree char *group = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (small_tree); i++)
    add_function (root, &small_tree[i]);
  pt_test_write_attributes (root, gpu, gpu_files, G_N_ELEMENTS (gpu_files));
  pt_test_write_file (root, "sys/bus/pci/drivers/vfio-pci/new_id", "");
  driver = g_strconcat (gpu, "/driver", NULL);
  pt_test_make_link (root, driver, "../../../../bus/pci/drivers/vfio-pci");
  group = g_strconcat (gpu, "/iommu_group", NULL);
  pt_test_make_link (root, group, "../../../../kernel/iommu_groups/16");
  pt_test_write_file (root, "sys/kernel/iommu_groups/16/type", "DMA\n");
}

static void
test_small_tree (void)
{
  g_autofree char *root = g_dir_make_tmp ("pt-pci-XXXXXX", NULL);
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GError) error = NULL;
  const char *order[] = { "0000:00:00.0", "0000:00:03.1", "0000:09:00.0", "0000:09:00.1",
                          "0000:0a:00.0" };
  PtPciDevice *gpu, *audio, *nvme, *bridge;
  g_autofree char *ids = NULL;

  build_small_tree (root);
  devices = read_tree (root, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (devices->len, ==, G_N_ELEMENTS (order));

  /* Sorted by number: 0a comes after 09 even though natural text order says otherwise. */
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    g_assert_cmpstr (((PtPciDevice *) g_ptr_array_index (devices, i))->address, ==, order[i]);

  gpu = pt_pci_find (devices, "09:00.0");
  g_assert_nonnull (gpu);
  g_assert_true (gpu == pt_pci_find (devices, "0000:09:00.0"));
  g_assert_cmphex (gpu->vendor_id, ==, 0x10de);
  g_assert_cmphex (gpu->device_id, ==, 0x1b06);
  g_assert_cmphex (gpu->class_id, ==, PT_PCI_CLASS_DISPLAY_VGA);
  g_assert_cmphex (gpu->subsystem_vendor_id, ==, 0x1458);
  g_assert_cmphex (gpu->subsystem_device_id, ==, 0x3702);
  g_assert_cmphex (gpu->revision, ==, 0xa1);
  g_assert_cmpuint (gpu->domain, ==, 0);
  g_assert_cmpuint (gpu->bus, ==, 9);
  g_assert_true (pt_pci_device_is_gpu (gpu));
  g_assert_false (pt_pci_device_is_bridge (gpu));
  g_assert_cmpstr (gpu->driver, ==, "vfio-pci");
  g_assert_cmpint (gpu->iommu_group, ==, 16);
  g_assert_cmpint (gpu->numa_node, ==, -1);
  g_assert_false (gpu->boot_vga);
  g_assert_cmpstr (gpu->reset_method, ==, "flr bus");
  g_assert_cmpstr (gpu->modalias, ==, "pci:v000010DEd00001B06sv00001458sd00003702bc03sc00i00");
  g_assert_cmpstr (gpu->parent, ==, "0000:00:03.1");
  g_assert_cmpstr (gpu->class_name, ==, "VGA compatible controller");
  g_assert_nonnull (gpu->subsystem_name);
  ids = pt_pci_device_dup_ids (gpu);
  g_assert_cmpstr (ids, ==, "10de:1b06");
  if (g_file_test ("/usr/share/misc/pci.ids", G_FILE_TEST_EXISTS))
    {
      g_assert_cmpstr (gpu->vendor_name, ==, "NVIDIA Corporation");
      g_assert_cmpstr (gpu->device_name, ==, "GP102 [GeForce GTX 1080 Ti]");
      g_assert_cmpstr (gpu->name, ==, "NVIDIA Corporation GP102 [GeForce GTX 1080 Ti]");
    }

  audio = pt_pci_find (devices, "0000:09:00.1");
  g_assert_cmphex (audio->class_id, ==, PT_PCI_CLASS_AUDIO_HDA);
  g_assert_null (audio->driver);
  g_assert_cmpint (audio->iommu_group, ==, -1);
  g_assert_null (audio->reset_method);
  g_assert_null (audio->subsystem_name);

  /* An unknown vendor is named the way lspci -mm names it. */
  nvme = pt_pci_find (devices, "0a:00.0");
  g_assert_cmphex (nvme->class_id, ==, PT_PCI_CLASS_STORAGE_NVME);
  g_assert_cmphex (nvme->prog_if, ==, 0x02);
  g_assert_cmpstr (nvme->name, ==, "Vendor 1234 Device 5678");

  bridge = pt_pci_find (devices, "0000:00:03.1");
  g_assert_true (pt_pci_device_is_bridge (bridge));
  g_assert_null (bridge->parent);
  g_assert_true (pt_pci_device_is_bridge (pt_pci_find (devices, "00:00.0")));

  g_assert_null (pt_pci_find (devices, "0000:42:00.0"));
  g_assert_null (pt_pci_find (devices, "not an address"));

  if (have_program ("lspci"))
    {
      g_autofree char *sysfs_pci = g_build_filename (root, "sys", "bus", "pci", NULL);
      g_autoptr(GHashTable) names = lspci_names (sysfs_pci);

      for (guint i = 0; i < devices->len; i++)
        {
          PtPciDevice *d = g_ptr_array_index (devices, i);
          g_assert_cmpstr (d->name, ==, g_hash_table_lookup (names, d->address));
        }
    }
  pt_test_remove_tree (root);
}

typedef struct {
  const char *description;
  const char *entry;        /* extra /sys/bus/pci/devices entry, or NULL */
  const char *entry_target;
  const char *file;         /* file of 0000:09:00.0 to overwrite, or NULL */
  const char *contents;
  gboolean    fails;
} BrokenCase;

static const BrokenCase broken_cases[] = {
  { "garbage vendor id", NULL, NULL, "vendor", "0xnvidia\n", TRUE },
  { "empty class", NULL, NULL, "class", "", TRUE },
  { "a group that is no number", NULL, NULL, NULL, NULL, TRUE },
  { "an entry that is no address", "not-a-device", "../../../devices/pci0000:00/0000:00:03.1",
    NULL, NULL, TRUE },
  { "a dangling device link", "0000:0b:00.0", "../../../devices/pci0000:00/0000:0b:00.0",
    NULL, NULL, TRUE },
  { "a link out of the tree", "0000:0c:00.0", "/sys/devices/pci0000:00/0000:00:00.0",
    NULL, NULL, TRUE },
  { "a vendor id wider than 16 bits", NULL, NULL, "vendor", "0x110de\n", TRUE },
  { "a class wider than 24 bits", NULL, NULL, "class", "0x1030000\n", TRUE },
  { "garbage in a value libpci does not use", NULL, NULL, "irq", "nonsense\n", FALSE },
  { "garbage in the NUMA node", NULL, NULL, "numa_node", "zero\n", TRUE },
};

static void
test_broken_tree (gconstpointer data)
{
  const BrokenCase *c = data;
  g_autofree char *root = g_dir_make_tmp ("pt-pci-XXXXXX", NULL);
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GError) error = NULL;
  const char *gpu = "sys/devices/pci0000:00/0000:00:03.1/0000:09:00.0";

  build_small_tree (root);
  if (c->entry != NULL)
    {
      g_autofree char *link = g_strconcat ("sys/bus/pci/devices/", c->entry, NULL);
      pt_test_make_link (root, link, c->entry_target);
    }
  if (c->file != NULL)
    {
      g_autofree char *path = g_strconcat (gpu, "/", c->file, NULL);
      pt_test_write_file (root, path, c->contents);
    }
  if (c->entry == NULL && c->file == NULL)
    {
      g_autofree char *link = g_strconcat (gpu, "/iommu_group", NULL);
      g_autofree char *full = g_build_filename (root, link, NULL);

      g_assert_cmpint (unlink (full), ==, 0);
      pt_test_make_link (root, link, "../../../../kernel/iommu_groups/x16");
    }

  devices = read_tree (root, &error);
  if (c->fails)
    {
      g_assert_null (devices);
      g_assert_nonnull (error);
      g_assert_true (error->domain == PT_SYSROOT_ERROR);
      g_test_message ("%s: %s", c->description, error->message);
    }
  else
    {
      g_assert_no_error (error);
      g_assert_cmpuint (devices->len, ==, G_N_ELEMENTS (small_tree));
    }
  pt_test_remove_tree (root);
}

/* libpci's own errors (here: a value too long for its buffer) come back as a GError instead of
 * ending the program. */
static void
test_libpci_error_is_caught (void)
{
  g_autofree char *root = g_dir_make_tmp ("pt-pci-XXXXXX", NULL);
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) padded = g_string_new ("0x");

  build_small_tree (root);
  /* Still a valid number for a strict parser, but libpci reads at most one buffer of it. */
  for (guint i = 0; i < 4096; i++)
    g_string_append_c (padded, '0');
  g_string_append (padded, "10de\n");
  pt_test_write_file (root, "sys/devices/pci0000:00/0000:00:03.1/0000:09:00.0/vendor", padded->str);

  devices = read_tree (root, &error);
  g_assert_null (devices);
  g_assert_error (error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_IO);

  /* And the next read works: no state is left behind. */
  g_clear_error (&error);
  pt_test_write_file (root, "sys/devices/pci0000:00/0000:00:03.1/0000:09:00.0/vendor", "0x10de\n");
  devices = read_tree (root, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (devices->len, ==, G_N_ELEMENTS (small_tree));
  pt_test_remove_tree (root);
}

static gpointer
read_in_thread (gpointer data)
{
  const char *root = data;
  GPtrArray *devices = NULL;

  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(GError) error = NULL;

      g_clear_pointer (&devices, g_ptr_array_unref);
      devices = read_tree (root, &error);
      g_assert_no_error (error);
    }
  return devices;
}

/* Scans run in worker threads; two at once must not trip over libpci's shared state. */
static void
test_threads (void)
{
  g_autofree char *root = g_dir_make_tmp ("pt-pci-XXXXXX", NULL);
  GThread *threads[4];

  build_small_tree (root);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("pci-reader", read_in_thread, root);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      g_autoptr(GPtrArray) devices = g_thread_join (threads[i]);
      PtPciDevice *gpu = pt_pci_find (devices, "09:00.0");

      g_assert_cmpuint (devices->len, ==, G_N_ELEMENTS (small_tree));
      g_assert_cmpstr (gpu->driver, ==, "vfio-pci");
    }
  pt_test_remove_tree (root);
}

typedef struct {
  const char *input;
  const char *normalized;  /* NULL: not an address */
} AddressCase;

static const AddressCase address_cases[] = {
  { "0000:09:00.0", "0000:09:00.0" },
  { "09:00.0", "0000:09:00.0" },
  { "0000:0A:1f.7", "0000:0a:1f.7" },
  { "10000:00:02.0", "10000:00:02.0" },
  { "9:0.1", "0000:09:00.1" },
  { "0000:09:00", NULL },
  { "0000:09:20.0", NULL },
  { "0000:09:00.8", NULL },
  { "0000:109:00.0", NULL },
  { "x:09:00.0", NULL },
  { "0000:09:00.0 ", NULL },
  { "", NULL },
  { "1:2:3:4.0", NULL },
};

static void
test_normalize_address (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (address_cases); i++)
    {
      g_autofree char *normalized = pt_pci_normalize_address (address_cases[i].input);

      g_test_message ("“%s”", address_cases[i].input);
      g_assert_cmpstr (normalized, ==, address_cases[i].normalized);
    }
  g_assert_null (pt_pci_normalize_address (NULL));
}

typedef struct {
  const char *path;      /* canonical, as pt_sysroot_resolve gives it */
  const char *function;  /* NULL: the device hangs off no PCI function */
} SysfsPathCase;

static const SysfsPathCase sysfs_path_cases[] = {
  /* A USB hub on a controller three bridges down: the last function counts, not a bridge. */
  { "/sys/devices/pci0000:00/0000:00:01.2/0000:02:00.0/0000:03:08.0/0000:0b:00.3/usb3/3-2",
    "0000:0b:00.3" },
  /* A keyboard's event node: the HID name has two colons too, but is no address. */
  { "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-4/1-4:1.0/0003:046D:C52B.0001/input/input7/"
    "event3", "0000:00:14.0" },
  { "/sys/devices/pci0000:00/0000:00:17.0/ata1/host0/target0:0:0/0:0:0:0/block/sda",
    "0000:00:17.0" },
  { "/sys/devices/pci0000:00/0000:00:01.1/0000:01:00.0/nvme/nvme0/nvme0n1", "0000:01:00.0" },
  /* A touchpad on a laptop's I2C controller. */
  { "/sys/devices/pci0000:00/0000:00:15.1/i2c_designware.1/i2c-2/i2c-ELAN0001:00/"
    "0018:04F3:3140.0002/input/input12", "0000:00:15.1" },
  /* Intel VMD puts its NVMe disks in a domain of their own. */
  { "/sys/devices/pci0000:00/0000:00:0e.0/pci10000:e0/10000:e1:00.0/nvme/nvme1",
    "10000:e1:00.0" },
  { "/sys/devices/pci0000:00/0000:00:1F.3/sound/card0", "0000:00:1f.3" },
  /* Platform and virtual devices, and the root bus alone. */
  { "/sys/devices/platform/soc/fe980000.usb/usb3/3-1", NULL },
  { "/sys/devices/virtual/block/dm-0", NULL },
  { "/sys/devices/virtual/input/input3/event2", NULL },
  { "/sys/devices/pci0000:00", NULL },
  { "/", NULL },
  { "", NULL },
  /* Components that only look like functions. */
  { "/sys/devices/pci0000:00/0000:0g:00.0/usb1", NULL },
  { "/sys/devices/pci0000:00/0000:00:1f.7x/usb1", NULL },
  { "/sys/devices/pci0000:00/0000:00:20.0/usb1", NULL },
  { "/sys/devices/pci0000:00/0000:00:1f.8/usb1", NULL },
  { "/sys/devices/pci0000:00/1:2:3:4.0/usb1", NULL },
  { "/sys/devices/pci0000:00/0000:00:14.0/0000:0g:00.0/usb1", "0000:00:14.0" },
  /* A short address in a path is something else: sysfs writes the domain. */
  { "/sys/devices/pci0000:00/00:14.0/usb1", NULL },
};

static void
test_address_from_sysfs_path (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (sysfs_path_cases); i++)
    {
      g_autofree char *function = NULL;

      function = pt_pci_address_from_sysfs_path (sysfs_path_cases[i].path);
      g_test_message ("“%s”", sysfs_path_cases[i].path);
      g_assert_cmpstr (function, ==, sysfs_path_cases[i].function);
    }
  g_assert_null (pt_pci_address_from_sysfs_path (NULL));
}

/* --- the running host --- */

static void
test_host_matches_lspci (void)
{
  g_autoptr(PtSysroot) sysroot = pt_sysroot_new ("/", NULL);
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GPtrArray) listed = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "lspci", "-D", "-n", NULL };
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  int status;

  if (!have_program ("lspci"))
    {
      g_test_skip ("lspci (pciutils) is not installed");
      return;
    }

  devices = pt_pci_read (sysroot, &error);
  g_assert_no_error (error);

  out = pt_test_spawn_stdout (argv, &status, NULL);
  g_assert_cmpint (status, ==, 0);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (*lines[i] != '\0')
      g_ptr_array_add (listed, g_strndup (lines[i], strcspn (lines[i], " ")));

  /* Both sorted by address; an empty list on a host without PCI is a valid answer. */
  g_assert_cmpuint (devices->len, ==, listed->len);
  for (guint i = 0; i < devices->len; i++)
    g_assert_cmpstr (((PtPciDevice *) g_ptr_array_index (devices, i))->address, ==,
                     g_ptr_array_index (listed, i));

  {
    g_autoptr(GHashTable) names = lspci_names ("/sys/bus/pci");

    for (guint i = 0; i < devices->len; i++)
      {
        PtPciDevice *d = g_ptr_array_index (devices, i);
        g_assert_cmpstr (d->name, ==, g_hash_table_lookup (names, d->address));
      }
  }
}

int
main (int    argc,
      char **argv)
{
  g_auto(GStrv) fixtures = NULL;

  g_test_init (&argc, &argv, NULL);

  fixtures = pt_test_fixture_names ();
  for (guint i = 0; fixtures[i] != NULL; i++)
    {
      g_autofree char *expected = g_strdup_printf ("/pci/fixture/%s/expected", fixtures[i]);
      g_autofree char *lspci = g_strdup_printf ("/pci/fixture/%s/lspci", fixtures[i]);

      g_test_add_data_func (expected, fixtures[i], test_fixture_expected);
      g_test_add_data_func (lspci, fixtures[i], test_fixture_lspci);
    }
  for (guint i = 0; i < G_N_ELEMENTS (known_devices); i++)
    {
      g_autofree char *path = g_strdup_printf ("/pci/known/%s/%u", known_devices[i].fixture, i);
      g_test_add_data_func (path, &known_devices[i], test_fixture_known);
    }

  g_test_add_func ("/pci/tree/no-pci", test_no_pci);
  g_test_add_func ("/pci/tree/no-devices-dir", test_no_devices_dir);
  g_test_add_func ("/pci/tree/small", test_small_tree);
  for (guint i = 0; i < G_N_ELEMENTS (broken_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/pci/tree/broken/%u", i);
      g_test_add_data_func (path, &broken_cases[i], test_broken_tree);
    }
  g_test_add_func ("/pci/tree/libpci-error", test_libpci_error_is_caught);
  g_test_add_func ("/pci/tree/threads", test_threads);
  g_test_add_func ("/pci/address", test_normalize_address);
  g_test_add_func ("/pci/address-from-sysfs-path", test_address_from_sysfs_path);
  g_test_add_func ("/pci/host/lspci", test_host_matches_lspci);

  return g_test_run ();
}
