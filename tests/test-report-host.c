/* test-report-host.c: the scan agrees with lscpu and lspci, on this very host and on every
 * fixture (lscpu --sysroot, lspci -A linux-sysfs), so the readers follow the kernel's ABI. */
#include <string.h>

#include "pt-host-scan.h"
#include "pt-test-utils.h"

/* Two labelings of the same CPUs describe the same grouping. */
static void
assert_same_partition (GHashTable *ours,     /* cpu → our group id */
                       GHashTable *theirs,   /* cpu → lscpu's group id */
                       const char *what)
{
  g_autoptr(GHashTable) ours_to_theirs = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) theirs_to_ours = g_hash_table_new (NULL, NULL);
  GHashTableIter iter;
  gpointer cpu, their_group;

  g_assert_cmpuint (g_hash_table_size (ours), ==, g_hash_table_size (theirs));
  g_hash_table_iter_init (&iter, theirs);
  while (g_hash_table_iter_next (&iter, &cpu, &their_group))
    {
      gpointer our_group;
      gpointer seen;

      if (!g_hash_table_lookup_extended (ours, cpu, NULL, &our_group))
        g_error ("%s: CPU %u is online for lscpu but not for us", what,
                 GPOINTER_TO_UINT (cpu) - 1);
      if (g_hash_table_lookup_extended (ours_to_theirs, our_group, NULL, &seen) && seen != their_group)
        g_error ("%s: CPU %u is grouped differently from lscpu", what, GPOINTER_TO_UINT (cpu) - 1);
      if (g_hash_table_lookup_extended (theirs_to_ours, their_group, NULL, &seen) && seen != our_group)
        g_error ("%s: CPU %u is grouped differently from lscpu", what, GPOINTER_TO_UINT (cpu) - 1);
      g_hash_table_insert (ours_to_theirs, our_group, their_group);
      g_hash_table_insert (theirs_to_ours, their_group, our_group);
    }
}

/* A numeric lscpu field; the test fails on anything else. */
static int
field_int (const char *text)
{
  gint64 value;
  g_autoptr(GError) error = NULL;

  if (!pt_parse_int64 (text, &value, &error))
    g_error ("lscpu printed %s", error->message);
  return (int) value;
}

#define KEY(cpu) GUINT_TO_POINTER ((cpu) + 1)
#define GROUP(id) GINT_TO_POINTER ((id) + 2)

static void
compare_with_lscpu (const char *root)
{
  g_autofree char *lscpu = g_find_program_in_path ("lscpu");
  g_autoptr(GError) error = NULL;
  g_autoptr(PtHostScan) scan = NULL;
  const PtCpuTopology *cpu;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) lines = NULL;
  int status = -1;
  int l3_column = -1;
  g_autoptr(GHashTable) our_core = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) our_package = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) our_node = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) our_l3 = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) lscpu_core = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) lscpu_package = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) lscpu_node = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) lscpu_l3 = g_hash_table_new (NULL, NULL);
  gboolean lscpu_has_nodes = FALSE;

  if (lscpu == NULL)
    {
      g_test_skip ("lscpu is not installed (util-linux)");
      return;
    }

  scan = pt_host_scan_new_sync (root, NULL, &error);
  g_assert_no_error (error);
  cpu = pt_host_scan_get_cpu (scan);

  {
    const char *argv[] = { lscpu, "-p", "--sysroot", root, NULL };
    const char *host_argv[] = { lscpu, "-p", NULL };

    out = pt_test_spawn_stdout (g_str_equal (root, "/") ? host_argv : argv, &status, &err);
    g_assert_cmpint (status, ==, 0);
  }

  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = NULL;
      guint64 number;
      guint n;

      if (g_str_has_prefix (lines[i], "# CPU,"))
        {
          fields = g_strsplit (lines[i] + 2, ",", -1);
          for (guint f = 0; fields[f] != NULL; f++)
            if (g_str_equal (fields[f], "L3"))
              l3_column = (int) f;
          continue;
        }
      if (lines[i][0] == '#' || lines[i][0] == '\0')
        continue;

      fields = g_strsplit (lines[i], ",", -1);
      n = g_strv_length (fields);
      g_assert_cmpuint (n, >=, 4);
      g_assert_true (pt_parse_uint64 (fields[0], 10, &number, NULL));
      /* lscpu -p lists online CPUs only. */
      g_hash_table_insert (lscpu_core, KEY (number), GROUP (field_int (fields[1])));
      g_hash_table_insert (lscpu_package, KEY (number), GROUP (*fields[2] ? field_int (fields[2]) : -1));
      if (*fields[3] != '\0')
        {
          lscpu_has_nodes = TRUE;
          g_hash_table_insert (lscpu_node, KEY (number), GROUP (field_int (fields[3])));
        }
      if (l3_column >= 0 && (guint) l3_column < n && *fields[l3_column] != '\0')
        g_hash_table_insert (lscpu_l3, KEY (number), GROUP (field_int (fields[l3_column])));
    }

  for (guint c = 0; c < cpu->cores->len; c++)
    {
      PtCpuCore *core = g_ptr_array_index (cpu->cores, c);

      for (guint i = 0; i < core->cpus->len; i++)
        {
          guint n = g_array_index (core->cpus, guint, i);

          g_hash_table_insert (our_core, KEY (n), GROUP ((int) c));
          g_hash_table_insert (our_package, KEY (n), GROUP (core->package));
          if (core->numa_node >= 0)
            g_hash_table_insert (our_node, KEY (n), GROUP (core->numa_node));
          if (core->l3 >= 0)
            g_hash_table_insert (our_l3, KEY (n), GROUP (core->l3));
        }
    }

  g_test_message ("%s: %u CPUs, %u cores, %u L3 domains, %u NUMA nodes", root,
                  cpu->online->len, cpu->cores->len, cpu->l3->len, cpu->numa->len);
  assert_same_partition (our_core, lscpu_core, "cores");
  assert_same_partition (our_package, lscpu_package, "packages");
  if (lscpu_has_nodes)
    assert_same_partition (our_node, lscpu_node, "NUMA nodes");
  if (g_hash_table_size (lscpu_l3) > 0 || g_hash_table_size (our_l3) > 0)
    {
      /* A CPU's L3 must agree with lscpu's; lscpu leaves CPUs without one out. */
      g_assert_cmpuint (g_hash_table_size (our_l3), ==, g_hash_table_size (lscpu_l3));
      assert_same_partition (our_l3, lscpu_l3, "L3 domains");
    }
}

/* One line of `lspci -mm`: address, then quoted fields and -rXX/-pXX options. */
static char **
split_lspci_line (const char *line)
{
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_shell_parse_argv (line, NULL, &argv, &error))
    g_error ("Cannot parse lspci line “%s”: %s", line, error->message);
  return g_steal_pointer (&argv);
}

static void
compare_with_lspci (const char *root)
{
  g_autofree char *lspci = g_find_program_in_path ("lspci");
  g_autoptr(GError) error = NULL;
  g_autoptr(PtHostScan) scan = NULL;
  GPtrArray *devices;
  g_autofree char *sysfs = NULL;
  g_autofree char *numeric = NULL;
  g_autofree char *named = NULL;
  g_auto(GStrv) numeric_lines = NULL;
  g_auto(GStrv) named_lines = NULL;
  guint count = 0;
  int status = -1;

  if (lspci == NULL)
    {
      g_test_skip ("lspci is not installed (pciutils)");
      return;
    }

  scan = pt_host_scan_new_sync (root, NULL, &error);
  g_assert_no_error (error);
  devices = pt_host_scan_get_pci (scan);

  sysfs = g_strdup_printf ("sysfs.path=%s/sys/bus/pci", g_str_equal (root, "/") ? "" : root);
  {
    const char *argv_n[] = { lspci, "-A", "linux-sysfs", "-O", sysfs, "-D", "-n", "-mm", NULL };
    const char *argv_m[] = { lspci, "-A", "linux-sysfs", "-O", sysfs, "-D", "-mm", NULL };

    numeric = pt_test_spawn_stdout (argv_n, &status, NULL);
    g_assert_cmpint (status, ==, 0);
    named = pt_test_spawn_stdout (argv_m, &status, NULL);
    g_assert_cmpint (status, ==, 0);
  }

  numeric_lines = g_strsplit (numeric, "\n", -1);
  named_lines = g_strsplit (named, "\n", -1);
  for (guint i = 0; numeric_lines[i] != NULL && *numeric_lines[i] != '\0'; i++)
    {
      g_auto(GStrv) n = split_lspci_line (numeric_lines[i]);
      g_auto(GStrv) m = split_lspci_line (named_lines[i]);
      PtPciDevice *device = pt_pci_find (devices, n[0]);
      g_autofree char *class_hex = NULL;
      g_autofree char *vendor_hex = NULL;
      g_autofree char *device_hex = NULL;
      g_autofree char *name = NULL;

      if (device == NULL)
        g_error ("%s: lspci lists %s, the scan does not", root, n[0]);
      class_hex = g_strdup_printf ("%04x", device->class_id);
      vendor_hex = g_strdup_printf ("%04x", device->vendor_id);
      device_hex = g_strdup_printf ("%04x", device->device_id);
      g_assert_cmpstr (n[1], ==, class_hex);
      g_assert_cmpstr (n[2], ==, vendor_hex);
      g_assert_cmpstr (n[3], ==, device_hex);
      name = g_strdup_printf ("%s %s", m[2], m[3]);
      g_assert_cmpstr (device->name, ==, name);
      count++;
    }
  g_test_message ("%s: %u PCI functions agree with lspci", root, count);
  g_assert_cmpuint (count, ==, devices->len);
}

static void
test_host_lscpu (void)
{
  compare_with_lscpu ("/");
}

static void
test_host_lspci (void)
{
  compare_with_lspci ("/");
}

static void
test_fixture_lscpu (gconstpointer data)
{
  g_autofree char *root = pt_test_fixture_path (data);

  compare_with_lscpu (root);
}

static void
test_fixture_lspci (gconstpointer data)
{
  g_autofree char *root = pt_test_fixture_path (data);

  compare_with_lspci (root);
}

int
main (int    argc,
      char **argv)
{
  g_auto(GStrv) fixtures = NULL;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/report-host/this-host/lscpu", test_host_lscpu);
  g_test_add_func ("/report-host/this-host/lspci", test_host_lspci);

  fixtures = pt_test_fixture_names ();
  for (guint i = 0; fixtures[i] != NULL; i++)
    {
      g_autofree char *lscpu_path = g_strdup_printf ("/report-host/fixture/%s/lscpu", fixtures[i]);
      g_autofree char *lspci_path = g_strdup_printf ("/report-host/fixture/%s/lspci", fixtures[i]);

      g_test_add_data_func (lscpu_path, fixtures[i], test_fixture_lscpu);
      g_test_add_data_func (lspci_path, fixtures[i], test_fixture_lspci);
    }

  return g_test_run ();
}
