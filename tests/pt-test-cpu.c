/* pt-test-cpu.c: the hosts the CPU planner tests plan for: every fixture, and synthetic hosts
 * written as sysfs trees for what no fixture has; and the check of a plan's JSON. */
#include "pt-test-cpu.h"

#include "pt-pci.h"
#include "pt-test-utils.h"

/* ---- synthetic hosts, written as sysfs trees ---- */

typedef struct {
  guint       package;
  int         node;        /* -1: the host has no NUMA directory */
  int         l3;          /* the L3's id; -1: the cores have no L3 */
  guint       l3_kib;
  guint       n_cores;
  guint       width;       /* SMT threads per core */
  char        type;        /* 'P', 'E' on hybrid parts, else 0 */
} CoreGroup;

typedef struct {
  const char      *name;
  const char      *vendor;
  const char      *model;
  gboolean         pairs;    /* siblings numbered next to each other (0,1 2,3), else a core
                              * count apart (0,16 1,17) */
  const char      *offline;  /* cpulist */
  CoreGroup        groups[20];   /* up to the first with n_cores 0 */
} Machine;

static const Machine machines[] = {
  /* The case the issue names: CCD0 has the 96 MiB 3D V-Cache, CCD1 32 MiB and higher clocks. */
  { "ryzen-7950x3d", "AuthenticAMD", "AMD Ryzen 9 7950X3D 16-Core Processor", FALSE, "",
    { { 0, 0, 0, 98304, 8, 2, 0 }, { 0, 0, 1, 32768, 8, 2, 0 } } },
  /* Zen 2: four CCXs of three cores, each with 16 MiB. */
  { "ryzen-3900x", "AuthenticAMD", "AMD Ryzen 9 3900X 12-Core Processor", FALSE, "",
    { { 0, 0, 0, 16384, 3, 2, 0 }, { 0, 0, 1, 16384, 3, 2, 0 },
      { 0, 0, 2, 16384, 3, 2, 0 }, { 0, 0, 3, 16384, 3, 2, 0 } } },
  /* Two EPYC 7502 in NPS4: eight NUMA nodes of two CCXs each. */
  { "epyc-nps4-dual", "AuthenticAMD", "AMD EPYC 7502 32-Core Processor", FALSE, "",
    { { 0, 0, 0, 16384, 4, 2, 0 }, { 0, 0, 1, 16384, 4, 2, 0 },
      { 0, 1, 2, 16384, 4, 2, 0 }, { 0, 1, 3, 16384, 4, 2, 0 },
      { 0, 2, 4, 16384, 4, 2, 0 }, { 0, 2, 5, 16384, 4, 2, 0 },
      { 0, 3, 6, 16384, 4, 2, 0 }, { 0, 3, 7, 16384, 4, 2, 0 },
      { 1, 4, 8, 16384, 4, 2, 0 }, { 1, 4, 9, 16384, 4, 2, 0 },
      { 1, 5, 10, 16384, 4, 2, 0 }, { 1, 5, 11, 16384, 4, 2, 0 },
      { 1, 6, 12, 16384, 4, 2, 0 }, { 1, 6, 13, 16384, 4, 2, 0 },
      { 1, 7, 14, 16384, 4, 2, 0 }, { 1, 7, 15, 16384, 4, 2, 0 } } },
  /* A Xeon with sub-NUMA clustering: one L3 over two NUMA nodes. */
  { "xeon-snc2", "GenuineIntel", "Intel(R) Xeon(R) Gold 6326 CPU @ 2.90GHz", FALSE, "",
    { { 0, 0, 0, 24576, 8, 2, 0 }, { 0, 1, 0, 24576, 8, 2, 0 } } },
  { "raptor-lake-13900k", "GenuineIntel", "13th Gen Intel(R) Core(TM) i9-13900K", TRUE, "",
    { { 0, 0, 0, 36864, 8, 2, 'P' }, { 0, 0, 0, 36864, 16, 1, 'E' } } },
  /* Meteor Lake: the low-power E-cores on the SoC tile have no L3. */
  { "meteor-lake-155h", "GenuineIntel", "Intel(R) Core(TM) Ultra 7 155H", TRUE, "",
    { { 0, 0, 0, 24576, 6, 2, 'P' }, { 0, 0, 0, 24576, 8, 1, 'E' },
      { 0, 0, -1, 0, 2, 1, 'E' } } },
  /* A small VM's view: no caches, no NUMA. */
  { "vm-no-cache", "GenuineIntel", "QEMU Virtual CPU version 2.5+", FALSE, "",
    { { 0, -1, -1, 0, 4, 1, 0 } } },
  { "smt4", "GenuineIntel", "Intel(R) Xeon Phi(TM) CPU 7210 @ 1.30GHz", TRUE, "",
    { { 0, 0, 0, 16384, 4, 4, 0 } } },
  { "single-core", "GenuineIntel", "Intel(R) Pentium(R) CPU G4400", FALSE, "",
    { { 0, 0, 0, 3072, 1, 2, 0 } } },
  /* A 2600X whose CPU 9 (sibling of 3) and 11 were taken offline. */
  { "ryzen-2600x-offline", "AuthenticAMD", "AMD Ryzen 5 2600X Six-Core Processor", FALSE, "9,11",
    { { 0, 0, 0, 8192, 3, 2, 0 }, { 0, 0, 1, 8192, 3, 2, 0 } } },
  /* Two 64-core EPYCs (NPS1, eight CCDs of 8 cores each): the search must stay quick. */
  { "epyc-7763-dual", "AuthenticAMD", "AMD EPYC 7763 64-Core Processor", FALSE, "",
    { { 0, 0, 0, 32768, 64, 2, 0 }, { 1, 1, 8, 32768, 64, 2, 0 } } },
};

/* The big EPYC's groups stand for eight CCDs each: a group's cores split into L3s of 8. */
static guint
cores_per_l3 (const Machine *machine)
{
  return g_str_equal (machine->name, "epyc-7763-dual") ? 8 : G_MAXUINT;
}

typedef struct {
  guint package;
  int   node;
  int   l3;
  guint l3_kib;
  char  type;
  guint core_id;
  GArray *cpus;   /* guint, all threads (online or not) */
} SynthCore;

static void
synth_core_free (SynthCore *core)
{
  g_array_unref (core->cpus);
  g_free (core);
}

static GPtrArray *
layout_machine (const Machine *machine)
{
  GPtrArray *cores = g_ptr_array_new_with_free_func ((GDestroyNotify) synth_core_free);
  guint max_width = 0;
  guint next_cpu = 0;
  guint per_package[4] = { 0 };

  for (const CoreGroup *group = machine->groups; group->n_cores > 0; group++)
    {
      for (guint i = 0; i < group->n_cores; i++)
        {
          SynthCore *core = g_new0 (SynthCore, 1);

          core->package = group->package;
          core->node = group->node;
          core->l3 = group->l3 >= 0 && cores_per_l3 (machine) != G_MAXUINT
                     ? group->l3 + (int) (i / cores_per_l3 (machine)) : group->l3;
          core->l3_kib = group->l3_kib;
          core->type = group->type;
          core->core_id = per_package[group->package]++;
          core->cpus = g_array_new (FALSE, FALSE, sizeof (guint));
          g_array_set_size (core->cpus, group->width);
          g_ptr_array_add (cores, core);
        }
      max_width = MAX (max_width, group->width);
    }

  /* Linux numbers the first thread of every core, then the second ones (AMD, most Intel); on
   * hybrid Intel a P-core's threads are next to each other. */
  if (machine->pairs)
    for (guint c = 0; c < cores->len; c++)
      {
        SynthCore *core = g_ptr_array_index (cores, c);

        for (guint t = 0; t < core->cpus->len; t++)
          g_array_index (core->cpus, guint, t) = next_cpu++;
      }
  else
    for (guint t = 0; t < max_width; t++)
      for (guint c = 0; c < cores->len; c++)
        {
          SynthCore *core = g_ptr_array_index (cores, c);

          if (t < core->cpus->len)
            g_array_index (core->cpus, guint, t) = next_cpu++;
        }
  return cores;
}

static int
compare_guint (gconstpointer a,
               gconstpointer b)
{
  guint x = *(const guint *) a;
  guint y = *(const guint *) b;

  return x < y ? -1 : x > y;
}

static void
write_int (const char *root,
           const char *path,
           int         value)
{
  g_autofree char *text = g_strdup_printf ("%d\n", value);

  pt_test_write_file (root, path, text);
}

static void
write_cpus (const char *root,
            const char *path,
            GArray     *cpus)
{
  g_autoptr(GArray) sorted = g_array_copy (cpus);
  g_autofree char *list = NULL;
  g_autofree char *text = NULL;

  g_array_sort (sorted, compare_guint);
  list = pt_format_cpu_list (sorted);
  text = g_strconcat (list, "\n", NULL);
  pt_test_write_file (root, path, text);
}

gboolean
pt_test_cpu_in_list (GArray *cpus,
                     guint   cpu)
{
  for (guint i = 0; i < cpus->len; i++)
    if (g_array_index (cpus, guint, i) == cpu)
      return TRUE;
  return FALSE;
}

/* Only the online members of @cpus, sorted. */
static GArray *
online_of (GArray *cpus,
           GArray *offline)
{
  GArray *online = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; i < cpus->len; i++)
    if (!pt_test_cpu_in_list (offline, g_array_index (cpus, guint, i)))
      g_array_append_val (online, g_array_index (cpus, guint, i));
  g_array_sort (online, compare_guint);
  return online;
}

/* Writes @machine as the kernel shows it, into a new directory under @parent. */
static char *
write_machine (const char    *parent,
               const Machine *machine)
{
  g_autofree char *root = g_build_filename (parent, machine->name, NULL);
  g_autoptr(GPtrArray) cores = layout_machine (machine);
  g_autoptr(GArray) offline = NULL;
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) p_cpus = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) e_cpus = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GString) cpuinfo = g_string_new (NULL);
  g_autoptr(GArray) online = NULL;
  const char *flags = g_str_equal (machine->vendor, "AuthenticAMD")
                      ? "fpu vme de pse tsc msr pae mce cx8 apic sep ht svm topoext"
                      : "fpu vme de pse tsc msr pae mce cx8 apic sep ht vmx";
  gboolean has_nodes = FALSE;

  g_assert_true (pt_parse_cpu_list (machine->offline, &offline, NULL));

  for (guint c = 0; c < cores->len; c++)
    {
      SynthCore *core = g_ptr_array_index (cores, c);

      g_array_append_vals (all, core->cpus->data, core->cpus->len);
      if (core->type == 'P')
        g_array_append_vals (p_cpus, core->cpus->data, core->cpus->len);
      if (core->type == 'E')
        g_array_append_vals (e_cpus, core->cpus->data, core->cpus->len);
      has_nodes |= core->node >= 0;
    }
  g_array_sort (all, compare_guint);
  online = online_of (all, offline);
  write_cpus (root, "sys/devices/system/cpu/online", online);
  write_cpus (root, "sys/devices/system/cpu/present", all);
  write_cpus (root, "sys/devices/system/cpu/possible", all);
  if (p_cpus->len > 0)
    {
      write_cpus (root, "sys/devices/cpu_core/cpus", p_cpus);
      write_cpus (root, "sys/devices/cpu_atom/cpus", e_cpus);
    }

  for (guint c = 0; c < cores->len; c++)
    {
      SynthCore *core = g_ptr_array_index (cores, c);
      g_autoptr(GArray) siblings = online_of (core->cpus, offline);
      g_autoptr(GArray) l3_cpus = g_array_new (FALSE, FALSE, sizeof (guint));
      g_autoptr(GArray) l3_online = NULL;

      for (guint d = 0; d < cores->len; d++)
        {
          SynthCore *other = g_ptr_array_index (cores, d);

          if (core->l3 >= 0 && other->l3 == core->l3 && other->package == core->package)
            g_array_append_vals (l3_cpus, other->cpus->data, other->cpus->len);
        }
      l3_online = online_of (l3_cpus, offline);

      for (guint t = 0; t < core->cpus->len; t++)
        {
          guint cpu = g_array_index (core->cpus, guint, t);
          g_autofree char *dir = g_strdup_printf ("sys/devices/system/cpu/cpu%u", cpu);
          g_autofree char *path = NULL;

          if (pt_test_cpu_in_list (offline, cpu))
            {
              path = g_build_filename (dir, "online", NULL);
              write_int (root, path, 0);
              continue;
            }

#define CPU_FILE(name) (g_free (path), path = g_build_filename (dir, name, NULL))
          write_int (root, CPU_FILE ("online"), 1);
          write_int (root, CPU_FILE ("topology/physical_package_id"), (int) core->package);
          write_int (root, CPU_FILE ("topology/die_id"), 0);
          write_int (root, CPU_FILE ("topology/core_id"), (int) core->core_id);
          write_cpus (root, CPU_FILE ("topology/core_cpus_list"), siblings);
          write_cpus (root, CPU_FILE ("topology/thread_siblings_list"), siblings);
          write_int (root, CPU_FILE ("cache/index0/level"), 1);
          pt_test_write_file (root, CPU_FILE ("cache/index0/type"), "Data\n");
          pt_test_write_file (root, CPU_FILE ("cache/index0/size"), "32K\n");
          if (core->l3 >= 0)
            {
              g_autofree char *size = g_strdup_printf ("%uK\n", core->l3_kib);

              write_int (root, CPU_FILE ("cache/index3/level"), 3);
              pt_test_write_file (root, CPU_FILE ("cache/index3/type"), "Unified\n");
              pt_test_write_file (root, CPU_FILE ("cache/index3/size"), size);
              write_int (root, CPU_FILE ("cache/index3/id"), core->l3);
              write_cpus (root, CPU_FILE ("cache/index3/shared_cpu_list"), l3_online);
            }
#undef CPU_FILE

          g_string_append_printf (cpuinfo,
                                  "processor\t: %u\nvendor_id\t: %s\nmodel name\t: %s\n"
                                  "physical id\t: %u\ncore id\t\t: %u\nflags\t\t: %s\n\n",
                                  cpu, machine->vendor, machine->model, core->package,
                                  core->core_id, flags);
        }
    }
  pt_test_write_file (root, "proc/cpuinfo", cpuinfo->str);

  if (has_nodes)
    for (int node = 0; node < 64; node++)
      {
        g_autoptr(GArray) node_cpus = g_array_new (FALSE, FALSE, sizeof (guint));
        g_autoptr(GArray) node_online = NULL;
        g_autofree char *path = g_strdup_printf ("sys/devices/system/node/node%d/cpulist", node);
        g_autofree char *meminfo_path = g_strdup_printf ("sys/devices/system/node/node%d/meminfo",
                                                         node);
        g_autofree char *meminfo = g_strdup_printf ("Node %d MemTotal:       65536000 kB\n",
                                                    node);

        for (guint c = 0; c < cores->len; c++)
          {
            SynthCore *core = g_ptr_array_index (cores, c);

            if (core->node == node)
              g_array_append_vals (node_cpus, core->cpus->data, core->cpus->len);
          }
        if (node_cpus->len == 0)
          continue;
        node_online = online_of (node_cpus, offline);
        write_cpus (root, path, node_online);
        pt_test_write_file (root, meminfo_path, meminfo);
      }

  return g_steal_pointer (&root);
}

/* ---- hosts under test ---- */

/* Each host is read (and a synthetic one written) only when a test asks for it: the trees of
 * the synthetic hosts run to thousands of files. */
static GHashTable *hosts;        /* name → PtTestCpuHost* */
static char **fixture_names;
static char *synthetic_dir;

static void
host_free (PtTestCpuHost *host)
{
  g_free (host->name);
  g_free (host->root);
  pt_cpu_topology_free (host->topology);
  g_array_unref (host->gpu_nodes);
  g_free (host);
}

static PtTestCpuHost *
load_host (const char *name,
           const char *root)
{
  g_autoptr(PtSysroot) sysroot = pt_sysroot_new (root, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pci = NULL;
  PtTestCpuHost *host = g_new0 (PtTestCpuHost, 1);
  int none = -1;

  g_assert_nonnull (sysroot);
  host->name = g_strdup (name);
  host->root = g_strdup (root);
  host->topology = pt_cpu_topology_read (sysroot, &error);
  g_assert_no_error (error);
  host->gpu_nodes = g_array_new (FALSE, FALSE, sizeof (int));
  g_array_append_val (host->gpu_nodes, none);

  /* GPUs of the fixtures; synthetic hosts have none, so every node stands for one. */
  pci = pt_pci_read (sysroot, NULL);
  for (guint i = 0; pci != NULL && i < pci->len; i++)
    {
      PtPciDevice *device = g_ptr_array_index (pci, i);

      if (pt_pci_device_is_gpu (device) && device->numa_node >= 0)
        g_array_append_val (host->gpu_nodes, device->numa_node);
    }
  if (pci == NULL || pci->len == 0)
    for (guint n = 0; n < host->topology->numa->len; n++)
      g_array_append_val (host->gpu_nodes,
                          ((PtNumaNode *) g_ptr_array_index (host->topology->numa, n))->node);
  return host;
}

static const char * const *
get_fixture_names (void)
{
  if (fixture_names == NULL)
    fixture_names = pt_test_fixture_names ();
  return (const char * const *) fixture_names;
}

char **
pt_test_cpu_host_names (void)
{
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();

  g_strv_builder_addv (names, (const char **) get_fixture_names ());
  for (guint i = 0; i < G_N_ELEMENTS (machines); i++)
    g_strv_builder_add (names, machines[i].name);
  return g_strv_builder_end (names);
}

PtTestCpuHost *
pt_test_cpu_host_find (const char *name)
{
  PtTestCpuHost *host;

  if (hosts == NULL)
    hosts = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) host_free);
  host = g_hash_table_lookup (hosts, name);
  if (host != NULL)
    return host;

  if (g_strv_contains (get_fixture_names (), name))
    {
      g_autofree char *root = pt_test_fixture_path (name);

      host = load_host (name, root);
    }
  for (guint i = 0; host == NULL && i < G_N_ELEMENTS (machines); i++)
    if (g_str_equal (machines[i].name, name))
      {
        g_autofree char *root = NULL;

        if (synthetic_dir == NULL)
          {
            g_autoptr(GError) error = NULL;

            synthetic_dir = g_dir_make_tmp ("pt-test-cpu-XXXXXX", &error);
            g_assert_no_error (error);
          }
        root = write_machine (synthetic_dir, &machines[i]);
        host = load_host (name, root);
      }
  if (host != NULL)
    g_hash_table_insert (hosts, host->name, host);
  return host;
}

void
pt_test_cpu_hosts_free (void)
{
  if (synthetic_dir != NULL)
    pt_test_remove_tree (synthetic_dir);
  g_clear_pointer (&synthetic_dir, g_free);
  g_clear_pointer (&hosts, g_hash_table_unref);
  g_clear_pointer (&fixture_names, g_strfreev);
}

/* ---- what every plan must say ---- */

/* The JSON says exactly what the plan says, in DESIGN.md's shape. */
void
pt_test_cpu_check_json (PtCpuPlan *plan)
{
  g_autofree char *text = pt_cpu_plan_to_json (plan);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GList) members = NULL;
  JsonObject *root;
  JsonObject *topology;
  const char *keys[] = { "vcpus", "emulator", "iothreads" };
  GArray *lists[3];

  g_assert_true (g_str_has_suffix (text, "}\n"));
  g_assert_nonnull (strstr (text, "\n  \"vcpus\" : ["));
  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  members = json_object_get_members (root);
  g_assert_cmpuint (g_list_length (members), ==, 5);

  lists[0] = plan->vcpus;
  lists[1] = plan->emulator;
  lists[2] = plan->iothreads;
  for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
    {
      JsonArray *array = json_object_get_array_member (root, keys[k]);

      g_assert_cmpuint (json_array_get_length (array), ==, lists[k]->len);
      for (guint i = 0; i < lists[k]->len; i++)
        g_assert_cmpint (json_array_get_int_element (array, i), ==,
                         g_array_index (lists[k], guint, i));
    }
  topology = json_object_get_object_member (root, "topology");
  g_assert_cmpint (json_object_get_int_member (topology, "sockets"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (topology, "dies"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (topology, "cores"), ==, plan->cores);
  g_assert_cmpint (json_object_get_int_member (topology, "threads"), ==, plan->threads);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "reasons")), ==,
                    g_strv_length (plan->reasons));
}
