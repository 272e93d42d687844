/* test-iommu.c: IOMMU groups on fixtures, small trees and the running host. */
#include <string.h>
#include <unistd.h>

#include "pt-iommu.h"
#include "pt-pci.h"
#include "pt-test-tree.h"
#include "pt-test-utils.h"

static PtIommu *
read_tree (const char  *root,
           GError     **error)
{
  g_autoptr(PtSysroot) sysroot = pt_sysroot_new (root, NULL);

  g_assert_nonnull (sysroot);
  return pt_iommu_read (sysroot, error);
}

static char *
join_devices (const PtIommuGroup *group)
{
  g_autoptr(GString) out = g_string_new ("");

  for (guint i = 0; i < group->devices->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, g_ptr_array_index (group->devices, i));
    }
  return g_strdup (out->str);
}

/* The report's "iommu" object (pt-report.h). */
static JsonNode *
iommu_to_json (const PtIommu *iommu)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "enabled");
  json_builder_add_boolean_value (b, iommu->enabled);
  json_builder_set_member_name (b, "groups");
  json_builder_begin_array (b);
  for (guint i = 0; i < iommu->groups->len; i++)
    {
      const PtIommuGroup *group = g_ptr_array_index (iommu->groups, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_int_value (b, group->id);
      json_builder_set_member_name (b, "devices");
      json_builder_begin_array (b);
      for (guint j = 0; j < group->devices->len; j++)
        json_builder_add_string_value (b, g_ptr_array_index (group->devices, j));
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static void
test_fixture_expected (gconstpointer data)
{
  const char *name = data;
  g_autofree char *root = pt_test_fixture_path (name);
  g_autofree char *expected_path = g_strconcat (root, ".expected.json", NULL);
  g_autoptr(PtIommu) iommu = NULL;
  g_autoptr(JsonNode) expected = NULL;
  g_autoptr(JsonNode) got = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *want;
  g_autoptr(GList) keys = NULL;

  iommu = read_tree (root, &error);
  g_assert_no_error (error);
  g_assert_cmpint (iommu->enabled, ==, iommu->groups->len > 0);

  if (!g_file_test (expected_path, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("the fixture has no expected report yet");
      return;
    }
  expected = pt_test_load_json (expected_path);
  want = json_object_get_object_member (json_node_get_object (expected), "iommu");
  got = iommu_to_json (iommu);
  keys = json_object_get_members (want);
  for (GList *l = keys; l != NULL; l = l->next)
    {
      JsonNode *member = json_object_get_member (json_node_get_object (got), l->data);
      g_autofree char *diff = NULL;

      if (member == NULL)
        g_error ("%s: iommu has no “%s”", name, (const char *) l->data);
      diff = pt_test_json_diff (json_object_get_member (want, l->data), member);
      if (diff != NULL)
        g_error ("%s: iommu.%s: %s", name, (const char *) l->data, diff);
    }
}

/* A PCI function names the group that lists it, a function without a group is in no list, and
 * no group lists a function twice. */
static void
test_fixture_consistent_with_pci (gconstpointer data)
{
  const char *name = data;
  g_autofree char *root = pt_test_fixture_path (name);
  g_autoptr(PtSysroot) sysroot = pt_sysroot_new (root, NULL);
  g_autoptr(PtIommu) iommu = NULL;
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;

  iommu = pt_iommu_read (sysroot, &error);
  g_assert_no_error (error);
  devices = pt_pci_read (sysroot, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < iommu->groups->len; i++)
    {
      const PtIommuGroup *group = g_ptr_array_index (iommu->groups, i);

      g_assert_true (pt_iommu_find_group (iommu, group->id) == group);
      for (guint j = 0; j < group->devices->len; j++)
        {
          const char *address = g_ptr_array_index (group->devices, j);
          PtPciDevice *device = pt_pci_find (devices, address);

          g_assert_false (g_hash_table_contains (seen, address));
          g_hash_table_add (seen, (gpointer) address);
          if (device != NULL)
            g_assert_cmpint (device->iommu_group, ==, group->id);
        }
    }
  for (guint i = 0; i < devices->len; i++)
    {
      PtPciDevice *device = g_ptr_array_index (devices, i);

      /* The IOMMU itself and AMD's host bridges have no group even with the IOMMU on. */
      g_assert_cmpint (g_hash_table_contains (seen, device->address), ==,
                       device->iommu_group >= 0);
      if (!iommu->enabled)
        g_assert_cmpint (device->iommu_group, ==, -1);
    }
}

typedef struct {
  const char *fixture;
  gboolean    enabled;
  const char *address;   /* a device whose group is checked, or NULL */
  const char *group;     /* its group's members, space separated */
} KnownGroup;

static const KnownGroup known_groups[] = {
  /* The GPU and its audio function alone: the textbook case that passes through cleanly. */
  { "ryzen-2600x-desktop", TRUE, "0000:09:00.0", "0000:09:00.0 0000:09:00.1" },
  /* IOMMU off in firmware or on the command line: no groups at all. */
  { "intel-hybrid-laptop-iommu-off", FALSE, NULL, NULL },
  /* No ACS below the chipset: the GPU shares its group with USB, SATA and more. */
  { "shared-group-board", TRUE, "0000:02:00.1",
    "0000:00:14.0 0000:00:14.2 0000:00:17.0 0000:00:1b.0 0000:00:1b.4 0000:00:1c.0 "
    "0000:02:00.0 0000:02:00.1" },
  /* A CPU root port without ACS: the port itself and all four functions of the card. */
  { "no-smt-desktop", TRUE, "0000:01:00.0",
    "0000:00:01.0 0000:01:00.0 0000:01:00.1 0000:01:00.2 0000:01:00.3" },
  { "identical-gpus", TRUE, "0000:0b:00.0", "0000:0b:00.0 0000:0b:00.1" },
  { "dual-socket-server", TRUE, "0000:a1:00.0", "0000:a1:00.0 0000:a1:00.1" },
};

static void
test_fixture_known (gconstpointer data)
{
  const KnownGroup *k = data;
  g_autofree char *root = pt_test_fixture_path (k->fixture);
  g_autoptr(PtSysroot) sysroot = NULL;
  g_autoptr(PtIommu) iommu = NULL;
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_file_test (root, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("the fixture is not in tests/fixtures");
      return;
    }
  sysroot = pt_sysroot_new (root, NULL);
  iommu = pt_iommu_read (sysroot, &error);
  g_assert_no_error (error);
  g_assert_cmpint (iommu->enabled, ==, k->enabled);
  if (!k->enabled)
    {
      g_assert_cmpuint (iommu->groups->len, ==, 0);
      return;
    }

  devices = pt_pci_read (sysroot, &error);
  g_assert_no_error (error);
  {
    PtPciDevice *device = pt_pci_find (devices, k->address);
    const PtIommuGroup *group;
    g_autofree char *members = NULL;

    g_assert_nonnull (device);
    group = pt_iommu_find_group (iommu, device->iommu_group);
    g_assert_nonnull (group);
    members = join_devices (group);
    g_assert_cmpstr (members, ==, k->group);
  }
}

/* --- small trees --- */

/* A function on the root bus, listed in /sys/bus/pci/devices, in IOMMU group @group. */
static void
add_group_device (const char *root,
                  const char *group,
                  const char *address)
{
  g_autofree char *dir = g_strconcat ("pci0000:00/", address, NULL);
  const PtTestAttribute attributes[] = { { "vendor", "0x1022" } };

  pt_test_add_device (root, "pci", dir, attributes, G_N_ELEMENTS (attributes));
  pt_test_add_iommu_group_member (root, group, dir);
}

static void
test_missing_dir (void)
{
  g_autofree char *root = g_dir_make_tmp ("pt-iommu-XXXXXX", NULL);
  g_autoptr(PtIommu) iommu = NULL;
  g_autoptr(GError) error = NULL;

  pt_test_write_file (root, "sys/kernel/mm/transparent_hugepage/enabled",
                      "always [madvise] never\n");
  iommu = read_tree (root, &error);
  g_assert_no_error (error);
  g_assert_false (iommu->enabled);
  g_assert_cmpuint (iommu->groups->len, ==, 0);
  g_assert_cmpuint (g_strv_length (iommu->units), ==, 0);
  g_assert_null (pt_iommu_find_group (iommu, 0));
  pt_test_remove_tree (root);
}

static void
test_empty_dir (void)
{
  g_autofree char *root = g_dir_make_tmp ("pt-iommu-XXXXXX", NULL);
  g_autoptr(PtIommu) iommu = NULL;
  g_autoptr(GError) error = NULL;

  /* What a kernel with intel_iommu=off shows: the folder, but no groups. */
  pt_test_make_dir (root, "sys/kernel/iommu_groups");
  iommu = read_tree (root, &error);
  g_assert_no_error (error);
  g_assert_false (iommu->enabled);
  g_assert_cmpuint (iommu->groups->len, ==, 0);
  pt_test_remove_tree (root);
}

static void
test_groups (void)
{
  g_autofree char *root = g_dir_make_tmp ("pt-iommu-XXXXXX", NULL);
  g_autoptr(PtIommu) iommu = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *g10 = NULL;
  g_autofree char *g2 = NULL;
  const PtIommuGroup *group;

  add_group_device (root, "10", "0000:0a:00.0");
  add_group_device (root, "10", "0000:09:00.1");
  add_group_device (root, "10", "0000:09:00.0");
  add_group_device (root, "2", "0000:00:01.0");
  add_group_device (root, "0", "0000:00:00.0");
  pt_test_write_file (root, "sys/kernel/iommu_groups/10/type", "DMA\n");
  /* Not groups: skipped, not fatal. */
  pt_test_write_file (root, "sys/kernel/iommu_groups/README/devices/x", "");
  pt_test_write_file (root, "sys/kernel/iommu_groups/-1/devices/x", "");
  pt_test_write_file (root, "sys/kernel/iommu_groups/3x/devices/x", "");
  /* A group the kernel is still setting up has no devices folder yet. */
  pt_test_write_file (root, "sys/kernel/iommu_groups/7/type", "DMA\n");
  pt_test_write_file (root, "sys/devices/virtual/iommu/ivhd0/uevent", "");
  pt_test_make_link (root, "sys/class/iommu/ivhd0", "../../devices/virtual/iommu/ivhd0");
  pt_test_write_file (root, "sys/devices/virtual/iommu/dmar1/uevent", "");
  pt_test_make_link (root, "sys/class/iommu/dmar1", "../../devices/virtual/iommu/dmar1");

  iommu = read_tree (root, &error);
  g_assert_no_error (error);
  g_assert_true (iommu->enabled);
  g_assert_cmpuint (iommu->groups->len, ==, 4);
  g_assert_cmpint (((PtIommuGroup *) g_ptr_array_index (iommu->groups, 0))->id, ==, 0);
  g_assert_cmpint (((PtIommuGroup *) g_ptr_array_index (iommu->groups, 1))->id, ==, 2);
  g_assert_cmpint (((PtIommuGroup *) g_ptr_array_index (iommu->groups, 2))->id, ==, 7);
  g_assert_cmpint (((PtIommuGroup *) g_ptr_array_index (iommu->groups, 3))->id, ==, 10);

  group = pt_iommu_find_group (iommu, 10);
  g_assert_nonnull (group);
  g10 = join_devices (group);
  g_assert_cmpstr (g10, ==, "0000:09:00.0 0000:09:00.1 0000:0a:00.0");
  g2 = join_devices (pt_iommu_find_group (iommu, 2));
  g_assert_cmpstr (g2, ==, "0000:00:01.0");
  g_assert_cmpuint (pt_iommu_find_group (iommu, 7)->devices->len, ==, 0);
  g_assert_null (pt_iommu_find_group (iommu, 3));
  g_assert_null (pt_iommu_find_group (iommu, -1));

  g_assert_cmpuint (g_strv_length (iommu->units), ==, 2);
  g_assert_cmpstr (iommu->units[0], ==, "dmar1");
  g_assert_cmpstr (iommu->units[1], ==, "ivhd0");
  pt_test_remove_tree (root);
}

/* A groups "folder" that is a file is not "IOMMU off": the tree is broken, and saying so beats
 * telling the user to turn on an IOMMU that may well be on. */
static void
test_groups_not_a_dir (void)
{
  g_autofree char *root = g_dir_make_tmp ("pt-iommu-XXXXXX", NULL);
  g_autoptr(PtIommu) iommu = NULL;
  g_autoptr(GError) error = NULL;

  pt_test_write_file (root, "sys/kernel/iommu_groups", "not a folder\n");
  iommu = read_tree (root, &error);
  g_assert_null (iommu);
  g_assert_nonnull (error);
  pt_test_remove_tree (root);
}

/* --- the running host --- */

static void
test_host (void)
{
  g_autoptr(PtSysroot) sysroot = pt_sysroot_new ("/", NULL);
  g_autoptr(PtIommu) iommu = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open ("/sys/kernel/iommu_groups", 0, NULL);
  guint n_groups = 0;
  const char *name;

  iommu = pt_iommu_read (sysroot, &error);
  g_assert_no_error (error);

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_ascii_isdigit (name[0]))
      n_groups++;
  g_assert_cmpuint (iommu->groups->len, ==, n_groups);
  g_assert_cmpint (iommu->enabled, ==, n_groups > 0);
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
      g_autofree char *expected = g_strdup_printf ("/iommu/fixture/%s/expected", fixtures[i]);
      g_autofree char *pci = g_strdup_printf ("/iommu/fixture/%s/pci", fixtures[i]);

      g_test_add_data_func (expected, fixtures[i], test_fixture_expected);
      g_test_add_data_func (pci, fixtures[i], test_fixture_consistent_with_pci);
    }
  for (guint i = 0; i < G_N_ELEMENTS (known_groups); i++)
    {
      g_autofree char *path = g_strdup_printf ("/iommu/known/%s/%u", known_groups[i].fixture, i);
      g_test_add_data_func (path, &known_groups[i], test_fixture_known);
    }

  g_test_add_func ("/iommu/tree/missing", test_missing_dir);
  g_test_add_func ("/iommu/tree/empty", test_empty_dir);
  g_test_add_func ("/iommu/tree/groups", test_groups);
  g_test_add_func ("/iommu/tree/not-a-dir", test_groups_not_a_dir);
  g_test_add_func ("/iommu/host", test_host);

  return g_test_run ();
}
