/* test-cpu-topology.c: SMT sets, L3 domains, packages, NUMA and hybrid types, per fixture. */
#include <glib/gstdio.h>
#include <unistd.h>

#include "pt-cpu-topology.h"
#include "pt-test-utils.h"

typedef struct {
  const char *fixture;
  const char *vendor;
  const char *online;       /* cpulist */
  const char *offline;
  guint       n_cores;
  guint       smt_width;
  guint       n_packages;
  const char *l3;           /* "cpus@size_kib;..." in order of first CPU */
  const char *numa;         /* "node:cpus;..." */
  gboolean    hybrid;
  const char *flags;        /* flags that must be present, space separated */
  const char *probe_core;   /* "cpu:core_id:package:siblings" of one core */
} TopologyCase;

static const TopologyCase cases[] = {
  { "ryzen-2600x-desktop", "AuthenticAMD", "0-11", "", 6, 2, 1,
    "0-2,6-8@8192;3-5,9-11@8192", "0:0-11", FALSE, "svm pdpe1gb topoext ht",
    "3:4:0:3,9" },
  { "intel-hybrid-laptop-iommu-off", "GenuineIntel", "0-19", "", 14, 2, 1,
    "0-19@24576", "0:0-19", TRUE, "vmx",
    "12:24:0:12" },
  { "dual-socket-server", "AuthenticAMD", "0-59", "60-63", 32, 2, 2,
    "0-3,32-35@32768;4-7,36-39@32768;8-11,40-43@32768;12-15,44-47@32768;"
    "16-19,48-51@32768;20-23,52-55@32768;24-27,56-59@32768;28-31@32768",
    "0:0-15,32-47;1:16-31,48-59", FALSE, "svm",
    "16:0:1:16,48" },
  { "shared-group-board", "GenuineIntel", "0-11", "", 6, 2, 1,
    "0-11@12288", "0:0-11", FALSE, "vmx", "5:5:0:5,11" },
  { "identical-gpus", "AuthenticAMD", "0-15", "", 8, 2, 1,
    "0-15@32768", "0:0-15", FALSE, "svm", "1:1:0:1,9" },
  { "no-smt-desktop", "GenuineIntel", "0-5", "", 6, 1, 1,
    "0-5@9216", "0:0-5", FALSE, "vmx", "2:2:0:2" },
};

static char *
format_cpus (GArray *cpus)
{
  return pt_format_cpu_list (cpus);
}

static PtCpuTopology *
read_fixture (const char *name)
{
  g_autofree char *root = pt_test_fixture_path (name);
  g_autoptr(PtSysroot) sysroot = pt_sysroot_new (root, NULL);
  g_autoptr(GError) error = NULL;
  PtCpuTopology *topology;

  g_assert_nonnull (sysroot);
  topology = pt_cpu_topology_read (sysroot, &error);
  g_assert_no_error (error);
  return topology;
}

/* Rules that hold for every topology: cores and L3 domains partition the online CPUs, a
 * core never straddles two L3 domains, NUMA nodes do not overlap. */
static void
check_invariants (const PtCpuTopology *t)
{
  g_autoptr(GHashTable) in_core = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) in_l3 = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) in_node = g_hash_table_new (NULL, NULL);

  for (guint c = 0; c < t->cores->len; c++)
    {
      PtCpuCore *core = g_ptr_array_index (t->cores, c);

      g_assert_cmpuint (core->index, ==, c);
      g_assert_cmpuint (core->cpus->len, >, 0);
      for (guint i = 0; i < core->cpus->len; i++)
        {
          guint cpu = g_array_index (core->cpus, guint, i);

          g_assert_true (g_hash_table_add (in_core, GUINT_TO_POINTER (cpu + 1)));
          g_assert_true (pt_cpu_topology_core_of (t, cpu) == core);
          if (core->l3 >= 0)
            {
              PtCpuCache *cache = g_ptr_array_index (t->l3, core->l3);
              gboolean found = FALSE;

              for (guint j = 0; j < cache->cpus->len; j++)
                found |= g_array_index (cache->cpus, guint, j) == cpu;
              g_assert_true (found);
            }
        }
    }
  g_assert_cmpuint (g_hash_table_size (in_core), ==, t->online->len);

  for (guint l = 0; l < t->l3->len; l++)
    {
      PtCpuCache *cache = g_ptr_array_index (t->l3, l);

      for (guint i = 0; i < cache->cpus->len; i++)
        g_assert_true (g_hash_table_add (in_l3,
                                         GUINT_TO_POINTER (g_array_index (cache->cpus, guint, i) + 1)));
    }

  for (guint n = 0; n < t->numa->len; n++)
    {
      PtNumaNode *node = g_ptr_array_index (t->numa, n);

      for (guint i = 0; i < node->cpus->len; i++)
        g_assert_true (g_hash_table_add (in_node,
                                         GUINT_TO_POINTER (g_array_index (node->cpus, guint, i) + 1)));
    }
}

static void
test_fixture (gconstpointer data)
{
  const TopologyCase *c = data;
  g_autoptr(PtCpuTopology) t = read_fixture (c->fixture);
  g_autofree char *online = format_cpus (t->online);
  g_autofree char *offline = format_cpus (t->offline);
  g_autoptr(GString) l3 = g_string_new ("");
  g_autoptr(GString) numa = g_string_new ("");
  g_auto(GStrv) flags = g_strsplit (c->flags, " ", -1);
  g_auto(GStrv) probe = g_strsplit (c->probe_core, ":", -1);
  const PtCpuCore *core;
  g_autofree char *siblings = NULL;

  check_invariants (t);

  g_assert_cmpstr (t->vendor, ==, c->vendor);
  g_assert_cmpstr (online, ==, c->online);
  g_assert_cmpstr (offline, ==, c->offline);
  g_assert_cmpuint (t->cores->len, ==, c->n_cores);
  g_assert_cmpuint (pt_cpu_topology_smt_width (t), ==, c->smt_width);
  g_assert_cmpuint (t->packages->len, ==, c->n_packages);
  g_assert_cmpint (t->hybrid, ==, c->hybrid);

  for (guint i = 0; i < t->l3->len; i++)
    {
      PtCpuCache *cache = g_ptr_array_index (t->l3, i);
      g_autofree char *cpus = format_cpus (cache->cpus);

      g_string_append_printf (l3, "%s%s@%" G_GUINT64_FORMAT, i ? ";" : "", cpus, cache->size_kib);
    }
  g_assert_cmpstr (l3->str, ==, c->l3);

  for (guint i = 0; i < t->numa->len; i++)
    {
      PtNumaNode *node = g_ptr_array_index (t->numa, i);
      g_autofree char *cpus = format_cpus (node->cpus);

      g_string_append_printf (numa, "%s%d:%s", i ? ";" : "", node->node, cpus);
      g_assert_cmpuint (node->memory_kib, >, 0);
    }
  g_assert_cmpstr (numa->str, ==, c->numa);

  for (guint i = 0; flags[i] != NULL; i++)
    g_assert_true (pt_cpu_topology_has_flag (t, flags[i]));
  g_assert_false (pt_cpu_topology_has_flag (t, "no-such-flag"));

  core = pt_cpu_topology_core_of (t, (guint) g_ascii_strtoull (probe[0], NULL, 10));
  g_assert_nonnull (core);
  g_assert_cmpint (core->core_id, ==, (int) g_ascii_strtoll (probe[1], NULL, 10));
  g_assert_cmpint (core->package, ==, (int) g_ascii_strtoll (probe[2], NULL, 10));
  siblings = format_cpus (core->cpus);
  g_assert_cmpstr (siblings, ==, probe[3]);
}

static void
test_hybrid_types (void)
{
  g_autoptr(PtCpuTopology) t = read_fixture ("intel-hybrid-laptop-iommu-off");
  guint p = 0, e = 0;

  for (guint i = 0; i < t->cores->len; i++)
    {
      PtCpuCore *core = g_ptr_array_index (t->cores, i);

      if (core->type == PT_CORE_TYPE_PERFORMANCE)
        {
          p++;
          g_assert_cmpuint (core->cpus->len, ==, 2);
        }
      else
        {
          g_assert_cmpint (core->type, ==, PT_CORE_TYPE_EFFICIENCY);
          g_assert_cmpuint (core->cpus->len, ==, 1);
          e++;
        }
    }
  g_assert_cmpuint (p, ==, 6);
  g_assert_cmpuint (e, ==, 8);
}

/* The 2600X's core ids have the real gap (0,1,2,4,5,6) and two CCXs. */
static void
test_2600x_core_ids (void)
{
  g_autoptr(PtCpuTopology) t = read_fixture ("ryzen-2600x-desktop");
  static const int core_ids[] = { 0, 1, 2, 4, 5, 6 };

  g_assert_cmpuint (t->cores->len, ==, G_N_ELEMENTS (core_ids));
  for (guint i = 0; i < t->cores->len; i++)
    {
      PtCpuCore *core = g_ptr_array_index (t->cores, i);

      g_assert_cmpint (core->core_id, ==, core_ids[i]);
      g_assert_cmpint (core->l3, ==, i < 3 ? 0 : 1);
      g_assert_cmpint (g_array_index (core->cpus, guint, 0), ==, i);
      g_assert_cmpint (g_array_index (core->cpus, guint, 1), ==, i + 6);
    }
  g_assert_cmpint (((PtCpuCache *) g_ptr_array_index (t->l3, 1))->id, ==, 1);
}

/* --- small trees for what no fixture covers --- */

/* A tree with garbage and missing files must still give a usable topology. */
static void
test_degraded (void)
{
  g_autofree char *root = g_dir_make_tmp ("pt-cpu-XXXXXX", NULL);
  g_autoptr(PtSysroot) sysroot = NULL;
  g_autoptr(PtCpuTopology) t = NULL;
  g_autoptr(GError) error = NULL;

  pt_test_write_file (root, "sys/devices/system/cpu/online", "0-3\n");
  for (guint cpu = 0; cpu < 4; cpu++)
    {
      g_autofree char *base = g_strdup_printf ("sys/devices/system/cpu/cpu%u", cpu);
      g_autofree char *p = g_strconcat (base, "/topology/physical_package_id", NULL);
      g_autofree char *c = g_strconcat (base, "/topology/core_id", NULL);
      g_autofree char *s = g_strconcat (base, "/topology/thread_siblings_list", NULL);
      g_autofree char *l = g_strconcat (base, "/cache/index2/level", NULL);
      g_autofree char *t2 = g_strconcat (base, "/cache/index2/type", NULL);
      g_autofree char *sh = g_strconcat (base, "/cache/index2/shared_cpu_map", NULL);
      g_autofree char *sz = g_strconcat (base, "/cache/index2/size", NULL);

      pt_test_write_file (root, p, cpu == 3 ? "banana\n" : "-1\n");
      pt_test_write_file (root, c, cpu == 2 ? "" : "7\n");
      /* Inconsistent siblings: 0 claims 1, 1 claims only itself. */
      pt_test_write_file (root, s, cpu == 0 ? "0-1\n" : cpu == 1 ? "1\n" : "zz\n");
      /* L3 found at index2 through its level, shared set only as a mask. */
      pt_test_write_file (root, l, "3\n");
      pt_test_write_file (root, t2, "Unified\n");
      pt_test_write_file (root, sh, "f\n");
      pt_test_write_file (root, sz, "16384K\n");
    }
  pt_test_write_file (root, "proc/cpuinfo", "processor\t: 0\nvendor_id\t: GenuineIntel\n"
              "model name\t: Test CPU\nflags\t\t: vmx ht vmx\n\nprocessor\t: 1\n"
              "flags\t\t: svm\n");

  sysroot = pt_sysroot_new (root, NULL);
  t = pt_cpu_topology_read (sysroot, &error);
  g_assert_no_error (error);
  check_invariants (t);
  g_assert_cmpuint (t->cores->len, ==, 3);
  g_assert_cmpuint (((PtCpuCore *) g_ptr_array_index (t->cores, 0))->cpus->len, ==, 2);
  g_assert_cmpint (((PtCpuCore *) g_ptr_array_index (t->cores, 0))->package, ==, -1);
  g_assert_cmpint (((PtCpuCore *) g_ptr_array_index (t->cores, 1))->core_id, ==, -1);
  g_assert_cmpuint (t->l3->len, ==, 1);
  g_assert_cmpuint (((PtCpuCache *) g_ptr_array_index (t->l3, 0))->size_kib, ==, 16384);
  g_assert_cmpuint (t->numa->len, ==, 0);
  g_assert_cmpstr (t->model, ==, "Test CPU");
  g_assert_cmpuint (g_strv_length (t->flags), ==, 2);    /* sorted, unique, first CPU only */
  g_assert_cmpstr (t->flags[0], ==, "ht");
  g_assert_false (pt_cpu_topology_has_flag (t, "svm"));

  pt_test_remove_tree (root);
}

static void
test_broken_trees (void)
{
  g_autofree char *root = g_dir_make_tmp ("pt-cpu-XXXXXX", NULL);
  g_autoptr(PtSysroot) sysroot = pt_sysroot_new (root, NULL);
  g_autoptr(GError) error = NULL;

  /* Not a sysfs tree at all. */
  g_assert_null (pt_cpu_topology_read (sysroot, &error));
  g_assert_error (error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* No CPU online. */
  pt_test_write_file (root, "sys/devices/system/cpu/online", "\n");
  g_assert_null (pt_cpu_topology_read (sysroot, &error));
  g_assert_error (error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_PARSE);
  g_clear_error (&error);

  pt_test_remove_tree (root);
}

/* Old kernels: no cpu/online, per-CPU online files decide. */
static void
test_online_without_list (void)
{
  g_autofree char *root = g_dir_make_tmp ("pt-cpu-XXXXXX", NULL);
  g_autoptr(PtSysroot) sysroot = NULL;
  g_autoptr(PtCpuTopology) t = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *online = NULL;
  g_autofree char *offline = NULL;

  pt_test_write_file (root, "sys/devices/system/cpu/present", "0-2\n");
  pt_test_write_file (root, "sys/devices/system/cpu/cpu0/topology/core_id", "0\n");
  pt_test_write_file (root, "sys/devices/system/cpu/cpu1/online", "0\n");
  pt_test_write_file (root, "sys/devices/system/cpu/cpu2/online", "1\n");
  pt_test_write_file (root, "sys/devices/system/cpu/cpu2/topology/core_id", "1\n");

  sysroot = pt_sysroot_new (root, NULL);
  t = pt_cpu_topology_read (sysroot, &error);
  g_assert_no_error (error);
  online = pt_format_cpu_list (t->online);
  offline = pt_format_cpu_list (t->offline);
  g_assert_cmpstr (online, ==, "0,2");
  g_assert_cmpstr (offline, ==, "1");
  g_assert_cmpstr (t->vendor, ==, "");

  pt_test_remove_tree (root);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/cpu-topology/fixture/%s", cases[i].fixture);

      g_test_add_data_func (path, &cases[i], test_fixture);
    }
  g_test_add_func ("/cpu-topology/hybrid-types", test_hybrid_types);
  g_test_add_func ("/cpu-topology/2600x-core-ids", test_2600x_core_ids);
  g_test_add_func ("/cpu-topology/degraded", test_degraded);
  g_test_add_func ("/cpu-topology/broken", test_broken_trees);
  g_test_add_func ("/cpu-topology/online-without-list", test_online_without_list);

  return g_test_run ();
}
