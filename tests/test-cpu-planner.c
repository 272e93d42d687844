/* test-cpu-planner.c: every planner rule, checked on every fixture and on synthetic hosts that
 * no fixture has (3D V-Cache, NUMA per quarter socket, sub-NUMA clusters, SMT4, no L3 info),
 * for many vCPU counts; plus exact plans for the well-known machines and hand-picked pins. */
#include <json-glib/json-glib.h>

#include "pt-cpu-planner.h"
#include "pt-host-scan.h"
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

static gboolean
in_list (GArray *cpus,
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
    if (!in_list (offline, g_array_index (cpus, guint, i)))
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

          if (in_list (offline, cpu))
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

typedef struct {
  char          *name;
  char          *root;
  PtCpuTopology *topology;
  GArray        *gpu_nodes;   /* int: the NUMA node of each GPU the host has (-1 included) */
} Host;

static GPtrArray *hosts;       /* Host* */
static char *synthetic_dir;

static void
host_free (Host *host)
{
  g_free (host->name);
  g_free (host->root);
  pt_cpu_topology_free (host->topology);
  g_array_unref (host->gpu_nodes);
  g_free (host);
}

static Host *
load_host (const char *name,
           const char *root)
{
  g_autoptr(PtSysroot) sysroot = pt_sysroot_new (root, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pci = NULL;
  Host *host = g_new0 (Host, 1);
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

static Host *
find_host (const char *name)
{
  for (guint i = 0; i < hosts->len; i++)
    if (g_str_equal (((Host *) g_ptr_array_index (hosts, i))->name, name))
      return g_ptr_array_index (hosts, i);
  return NULL;
}

/* ---- the checker: every rule, on any host ---- */

static guint
domain_of (const PtCpuTopology *t,
           const PtCpuCore     *core)
{
  /* Cores without an L3 count as one domain per package. */
  return core->l3 >= 0 ? (guint) core->l3 : 10000 + (guint) MAX (core->package, 0);
}

typedef struct {
  const PtCpuTopology *t;
  GArray   *eligible;     /* guint: core indices other than core 0 */
} Oracle;

/* The fewest domains among the eligible cores within the nodes of @node_mask (all when 0)
 * whose CPUs reach @n; G_MAXUINT when they do not. */
static guint
fewest_domains (const Oracle *o,
                guint64       node_mask,
                const int    *nodes,
                guint         n_nodes,
                guint         n,
                gboolean      largest_l3_only)
{
  g_autoptr(GHashTable) capacity = g_hash_table_new (NULL, NULL);
  g_autoptr(GList) values = NULL;
  guint64 largest = 0;
  guint sum = 0;
  guint k = 0;

  for (guint i = 0; i < o->eligible->len; i++)
    {
      guint c = g_array_index (o->eligible, guint, i);
      const PtCpuCore *core = g_ptr_array_index (o->t->cores, c);

      if (core->l3 >= 0)
        largest = MAX (largest, ((PtCpuCache *) g_ptr_array_index (o->t->l3, core->l3))->size_kib);
    }

  for (guint i = 0; i < o->eligible->len; i++)
    {
      guint c = g_array_index (o->eligible, guint, i);
      const PtCpuCore *core = g_ptr_array_index (o->t->cores, c);
      gboolean in_mask = node_mask == 0;
      gpointer key = GUINT_TO_POINTER (domain_of (o->t, core) + 1);

      for (guint b = 0; b < n_nodes && !in_mask; b++)
        in_mask = (node_mask & (G_GUINT64_CONSTANT (1) << b)) && nodes[b] == core->numa_node;
      if (!in_mask)
        continue;
      if (largest_l3_only
          && (core->l3 < 0
              || ((PtCpuCache *) g_ptr_array_index (o->t->l3, core->l3))->size_kib != largest))
        continue;
      g_hash_table_insert (capacity, key,
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (capacity, key))
                                             + core->cpus->len));
    }

  values = g_hash_table_get_values (capacity);
  for (GList *l = values; l != NULL; l = l->next)
    for (GList *m = l->next; m != NULL; m = m->next)
      if (GPOINTER_TO_UINT (m->data) > GPOINTER_TO_UINT (l->data))
        {
          gpointer swap = l->data;

          l->data = m->data;
          m->data = swap;
        }
  for (GList *l = values; l != NULL; l = l->next)
    {
      sum += GPOINTER_TO_UINT (l->data);
      k++;
      if (sum >= n)
        return k;
    }
  return G_MAXUINT;
}

static guint
count_bits (guint64 mask)
{
  guint bits = 0;

  for (; mask != 0; mask &= mask - 1)
    bits++;
  return bits;
}

/* Asserts every rule of the issue on @plan, planned for @n vCPUs. */
static void
check_plan (const PtCpuTopology *t,
            const PtCpuPlan     *plan,
            guint                n,
            int                  gpu_node,
            PtGuestOs            guest,
            const char          *label)
{
  const PtCpuCore *host_core = g_ptr_array_index (t->cores, 0);
  g_autofree guint *used = g_new0 (guint, t->cores->len);
  g_autofree int *first_vcpu = g_new0 (int, t->cores->len);
  g_autoptr(GHashTable) domains = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) vcpu_nodes = g_hash_table_new (NULL, NULL);
  Oracle oracle = { t, g_array_new (FALSE, FALSE, sizeof (guint)) };
  int nodes[64];
  guint n_nodes = 0;
  guint k_min, m_min = G_MAXUINT;
  int split = -1;
  guint e_threads = 0;
  guint common_width = 0;
  gboolean uniform = TRUE;
  gboolean free_core_in_vcpu_nodes = FALSE;
  int prev_core = -1;

  {
    g_autofree char *vcpus = pt_format_cpu_list (plan->vcpus);
    g_autofree char *emulator = pt_format_cpu_list (plan->emulator);

    g_test_message ("%s: vcpus %s emulator %s", label, vcpus, emulator);
  }

  for (guint c = 1; c < t->cores->len; c++)
    g_array_append_val (oracle.eligible, c);
  for (guint c = 0; c < t->cores->len; c++)
    {
      int node = ((PtCpuCore *) g_ptr_array_index (t->cores, c))->numa_node;
      gboolean seen = FALSE;

      for (guint i = 0; i < n_nodes; i++)
        seen |= nodes[i] == node;
      if (!seen && n_nodes < G_N_ELEMENTS (nodes))
        nodes[n_nodes++] = node;
    }

  /* N vCPUs, each on a distinct online CPU, none on core 0. */
  g_assert_cmpuint (plan->vcpus->len, ==, n);
  for (guint c = 0; c < t->cores->len; c++)
    first_vcpu[c] = -1;
  for (guint i = 0; i < n; i++)
    {
      guint cpu = g_array_index (plan->vcpus, guint, i);
      const PtCpuCore *core = pt_cpu_topology_core_of (t, cpu);

      g_assert_nonnull (core);
      g_assert_cmpuint (core->index, !=, 0);
      for (guint j = 0; j < i; j++)
        g_assert_cmpuint (g_array_index (plan->vcpus, guint, j), !=, cpu);

      /* Siblings on consecutive vCPUs, in the core's order. */
      if ((int) core->index != prev_core)
        {
          g_assert_cmpint (first_vcpu[core->index], ==, -1);
          first_vcpu[core->index] = (int) i;
        }
      g_assert_cmpuint (g_array_index (core->cpus, guint, used[core->index]), ==, cpu);
      used[core->index]++;
      prev_core = (int) core->index;

      g_hash_table_add (domains, GUINT_TO_POINTER (domain_of (t, core) + 1));
      g_hash_table_add (vcpu_nodes, GINT_TO_POINTER (core->numa_node + 1));
      if (core->type == PT_CORE_TYPE_EFFICIENCY)
        e_threads++;
    }

  /* Whole cores; at most one split, and it gives the last vCPUs. */
  for (guint c = 0; c < t->cores->len; c++)
    {
      const PtCpuCore *core = g_ptr_array_index (t->cores, c);

      if (used[c] == 0)
        continue;
      if (used[c] < core->cpus->len)
        {
          g_assert_cmpint (split, ==, -1);
          split = (int) c;
          g_assert_cmpuint (first_vcpu[c] + used[c], ==, n);
        }
      if (common_width == 0)
        common_width = used[c];
      uniform &= used[c] == common_width && used[c] == core->cpus->len;
    }

  /* The fewest L3 domains, then the fewest NUMA nodes. */
  k_min = fewest_domains (&oracle, 0, nodes, n_nodes, n, FALSE);
  g_assert_cmpuint (g_hash_table_size (domains), ==, k_min);
  for (guint64 mask = 1; mask < (G_GUINT64_CONSTANT (1) << n_nodes); mask++)
    if (fewest_domains (&oracle, mask, nodes, n_nodes, n, FALSE) == k_min)
      m_min = MIN (m_min, count_bits (mask));
  g_assert_cmpuint (g_hash_table_size (vcpu_nodes), ==, m_min);

  /* The GPU's node when it alone has room (and a free core for the emulator). */
  if (gpu_node >= 0 && m_min == 1)
    {
      guint64 mask = 0;
      guint room = 0;

      for (guint b = 0; b < n_nodes; b++)
        if (nodes[b] == gpu_node)
          mask = G_GUINT64_CONSTANT (1) << b;
      for (guint c = 1; c < t->cores->len; c++)
        if (((PtCpuCore *) g_ptr_array_index (t->cores, c))->numa_node == gpu_node)
          room += ((PtCpuCore *) g_ptr_array_index (t->cores, c))->cpus->len;
      if (mask != 0 && fewest_domains (&oracle, mask, nodes, n_nodes, n, FALSE) == k_min
          && (host_core->numa_node == gpu_node || room > n))
        {
          g_assert_cmpuint (g_hash_table_size (vcpu_nodes), ==, 1);
          g_assert_true (g_hash_table_contains (vcpu_nodes, GINT_TO_POINTER (gpu_node + 1)));
        }
    }

  /* P-cores first: an E-core only once the P-cores of the used domains are all taken. */
  if (e_threads > 0)
    for (guint c = 1; c < t->cores->len; c++)
      {
        const PtCpuCore *core = g_ptr_array_index (t->cores, c);

        if (core->type == PT_CORE_TYPE_PERFORMANCE
            && g_hash_table_contains (domains, GUINT_TO_POINTER (domain_of (t, core) + 1)))
          g_assert_cmpuint (used[c], ==, core->cpus->len);
      }
  if (t->hybrid)
    {
      guint p_room = 0;

      for (guint c = 1; c < t->cores->len; c++)
        if (((PtCpuCore *) g_ptr_array_index (t->cores, c))->type == PT_CORE_TYPE_PERFORMANCE)
          p_room += ((PtCpuCore *) g_ptr_array_index (t->cores, c))->cpus->len;
      if (n <= p_room && k_min == 1)
        g_assert_cmpuint (e_threads, ==, 0);
    }

  /* A Windows guest on a mixed-L3 part: the largest L3 when it alone has room. */
  if (guest == PT_GUEST_WINDOWS && n_nodes == 1
      && fewest_domains (&oracle, 0, nodes, n_nodes, n, TRUE) == k_min)
    {
      guint64 largest = 0;

      for (guint l = 0; l < t->l3->len; l++)
        largest = MAX (largest, ((PtCpuCache *) g_ptr_array_index (t->l3, l))->size_kib);
      for (guint i = 0; i < n; i++)
        {
          const PtCpuCore *core = pt_cpu_topology_core_of (t, g_array_index (plan->vcpus,
                                                                             guint, i));

          g_assert_cmpint (core->l3, >=, 0);
          g_assert_cmpuint (((PtCpuCache *) g_ptr_array_index (t->l3, core->l3))->size_kib, ==,
                            largest);
        }
    }

  /* Emulator and I/O thread: host CPUs, next to the vCPUs whenever a host core is there. */
  g_assert_cmpuint (plan->emulator->len, >, 0);
  g_assert_cmpuint (plan->iothreads->len, >, 0);
  for (guint i = 0; i < plan->emulator->len; i++)
    {
      guint cpu = g_array_index (plan->emulator, guint, i);

      g_assert_nonnull (pt_cpu_topology_core_of (t, cpu));
      g_assert_false (in_list (plan->vcpus, cpu));
    }
  for (guint i = 0; i < plan->iothreads->len; i++)
    g_assert_false (in_list (plan->vcpus, g_array_index (plan->iothreads, guint, i)));
  for (guint c = 0; c < t->cores->len; c++)
    if (used[c] == 0 && g_hash_table_contains (vcpu_nodes, GINT_TO_POINTER (
          ((PtCpuCore *) g_ptr_array_index (t->cores, c))->numa_node + 1)))
      free_core_in_vcpu_nodes = TRUE;
  if (free_core_in_vcpu_nodes)
    for (guint i = 0; i < plan->emulator->len; i++)
      {
        const PtCpuCore *core = pt_cpu_topology_core_of (t, g_array_index (plan->emulator,
                                                                           guint, i));

        g_assert_true (g_hash_table_contains (vcpu_nodes, GINT_TO_POINTER (core->numa_node + 1)));
      }
  if (g_hash_table_contains (vcpu_nodes, GINT_TO_POINTER (host_core->numa_node + 1)))
    {
      g_autofree char *expected = pt_format_cpu_list (host_core->cpus);
      g_autofree char *emulator = pt_format_cpu_list (plan->emulator);

      g_assert_cmpstr (emulator, ==, expected);
    }

  /* Host CPUs: everything online that runs no vCPU. */
  g_assert_cmpuint (plan->host_cpus->len + n, ==, t->online->len);
  for (guint i = 0; i < plan->host_cpus->len; i++)
    g_assert_false (in_list (plan->vcpus, g_array_index (plan->host_cpus, guint, i)));
  for (guint i = 0; i < host_core->cpus->len; i++)
    g_assert_true (in_list (plan->host_cpus, g_array_index (host_core->cpus, guint, i)));

  /* Guest topology: one socket, one die, N/T cores of T threads; a split core means T = 1. */
  g_assert_cmpuint (plan->sockets, ==, 1);
  g_assert_cmpuint (plan->dies, ==, 1);
  g_assert_cmpuint (plan->sockets * plan->dies * plan->cores * plan->threads, ==, n);
  if (split >= 0 || !uniform)
    {
      g_assert_cmpuint (plan->threads, ==, 1);
      g_assert_cmpuint (plan->cores, ==, n);
    }
  else
    g_assert_cmpuint (plan->threads, ==, common_width);
  /* An even count on a host of uniform SMT cores never needs a split core. */
  if (n % pt_cpu_topology_smt_width (t) == 0 && split >= 0)
    {
      gboolean uniform_host = TRUE;

      for (guint c = 0; c < t->cores->len; c++)
        uniform_host &= ((PtCpuCore *) g_ptr_array_index (t->cores, c))->cpus->len
                        == pt_cpu_topology_smt_width (t);
      g_assert_false (uniform_host);
    }
  g_assert_cmpint (plan->topoext, ==, g_str_equal (t->vendor, "AuthenticAMD")
                                      && pt_cpu_topology_has_flag (t, "topoext"));

  /* Reasons: one line each. */
  g_assert_nonnull (plan->reasons);
  g_assert_cmpuint (g_strv_length (plan->reasons), >=, 3);
  for (guint i = 0; plan->reasons[i] != NULL; i++)
    {
      g_assert_cmpuint (strlen (plan->reasons[i]), >, 10);
      g_assert_null (strchr (plan->reasons[i], '\n'));
    }

  g_array_unref (oracle.eligible);
}

/* The JSON says exactly what the plan says, in DESIGN.md's shape. */
static void
check_json (PtCpuPlan *plan)
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

static void
test_rules_on_host (gconstpointer data)
{
  const char *name = data;
  Host *host = find_host (name);
  const PtCpuTopology *t;
  guint max;
  g_autoptr(GArray) counts = g_array_new (FALSE, FALSE, sizeof (guint));
  const guint fixed[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 14, 16, 24, 31, 32, 48, 64, 100 };

  if (host == NULL)
    {
      g_test_skip_printf ("host %s is not there", name);
      return;
    }
  t = host->topology;
  max = pt_cpu_planner_max_vcpus (t);
  for (guint i = 0; i < G_N_ELEMENTS (fixed); i++)
    if (fixed[i] <= max)
      g_array_append_val (counts, fixed[i]);
  for (guint extra = max > 2 ? max - 2 : 1; extra <= max; extra++)
    g_array_append_val (counts, extra);

  for (guint i = 0; i < counts->len; i++)
    for (guint g = 0; g < host->gpu_nodes->len; g++)
      for (int guest = PT_GUEST_WINDOWS; guest <= PT_GUEST_LINUX; guest++)
        {
          guint n = g_array_index (counts, guint, i);
          int gpu_node = g_array_index (host->gpu_nodes, int, g);
          g_autoptr(GError) error = NULL;
          g_autoptr(PtCpuPlan) plan = pt_cpu_planner_plan (t, n, gpu_node, guest, &error);
          g_autoptr(PtCpuPlan) again = pt_cpu_planner_plan (t, n, gpu_node, guest, NULL);
          g_autofree char *label = g_strdup_printf ("%s N=%u gpu-node=%d %s", name, n, gpu_node,
                                                    pt_guest_os_to_string (guest));

          g_assert_no_error (error);
          g_assert_nonnull (plan);
          check_plan (t, plan, n, gpu_node, guest, label);
          g_assert_true (pt_cpu_plan_equal (plan, again));
          check_json (plan);
        }

  /* Too many, and none. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(PtCpuPlan) plan = pt_cpu_planner_plan (t, max + 1, -1, PT_GUEST_WINDOWS, &error);
    g_autofree char *leaves = g_strdup_printf ("leaves %u.", max);

    g_assert_null (plan);
    g_assert_error (error, PT_CPU_PLANNER_ERROR, PT_CPU_PLANNER_ERROR_TOO_MANY);
    g_assert_nonnull (strstr (error->message, "core 0"));
    g_assert_true (g_str_has_suffix (error->message, leaves));
    g_clear_error (&error);

    plan = pt_cpu_planner_plan (t, 0, -1, PT_GUEST_WINDOWS, &error);
    g_assert_null (plan);
    g_assert_error (error, PT_CPU_PLANNER_ERROR, PT_CPU_PLANNER_ERROR_NO_VCPUS);
  }
}

/* ---- exact plans ---- */

typedef struct {
  const char *host;
  guint       n;
  int         gpu_node;
  PtGuestOs   guest;
  const char *vcpus;       /* in vCPU order, comma separated */
  const char *emulator;    /* cpulist */
  guint       cores;
  guint       threads;
} ExactCase;

static const ExactCase exact_cases[] = {
  /* The example: one whole CCX, not the guide's 2,8,3,9,4,10,5,11 over both. */
  { "ryzen-2600x-desktop", 6, -1, PT_GUEST_WINDOWS, "3,9,4,10,5,11", "0,6", 3, 2 },
  { "ryzen-2600x-desktop", 4, -1, PT_GUEST_WINDOWS, "3,9,4,10", "0,6", 2, 2 },
  { "ryzen-2600x-desktop", 2, -1, PT_GUEST_LINUX, "3,9", "0,6", 1, 2 },
  { "ryzen-2600x-desktop", 3, -1, PT_GUEST_WINDOWS, "3,9,4", "0,6", 3, 1 },
  { "ryzen-2600x-desktop", 8, -1, PT_GUEST_WINDOWS, "1,7,3,9,4,10,5,11", "0,6", 4, 2 },
  { "ryzen-2600x-desktop", 10, -1, PT_GUEST_WINDOWS, "1,7,2,8,3,9,4,10,5,11", "0,6", 5, 2 },
  /* Offline siblings: core 3's CPU 9 is gone, so four vCPUs fit in CCX 1 only whole. */
  { "ryzen-2600x-offline", 4, -1, PT_GUEST_WINDOWS, "1,7,2,8", "0,6", 2, 2 },
  { "ryzen-2600x-offline", 3, -1, PT_GUEST_WINDOWS, "3,4,10", "0,6", 3, 1 },
  /* The graphics card on node 1: the vCPUs, emulator and I/O thread go there. */
  { "dual-socket-server", 8, 1, PT_GUEST_WINDOWS, "16,48,17,49,18,50,19,51", "20,52", 4, 2 },
  { "dual-socket-server", 8, -1, PT_GUEST_WINDOWS, "4,36,5,37,6,38,7,39", "0,32", 4, 2 },
  /* Four vCPUs fill the CCD whose siblings are offline: four whole cores, an L3 of their own. */
  { "dual-socket-server", 4, 1, PT_GUEST_WINDOWS, "28,29,30,31", "16,48", 4, 1 },
  { "dual-socket-server", 5, 1, PT_GUEST_WINDOWS, "16,48,17,49,18", "20,52", 5, 1 },
  { "intel-hybrid-laptop-iommu-off", 4, -1, PT_GUEST_WINDOWS, "2,3,4,5", "0-1", 2, 2 },
  { "intel-hybrid-laptop-iommu-off", 10, -1, PT_GUEST_WINDOWS, "2,3,4,5,6,7,8,9,10,11", "0-1",
    5, 2 },
  { "intel-hybrid-laptop-iommu-off", 12, -1, PT_GUEST_WINDOWS,
    "2,3,4,5,6,7,8,9,10,11,12,13", "0-1", 12, 1 },
  { "intel-hybrid-laptop-iommu-off", 9, -1, PT_GUEST_WINDOWS, "2,3,4,5,6,7,8,9,10", "0-1",
    9, 1 },
  { "no-smt-desktop", 5, -1, PT_GUEST_WINDOWS, "1,2,3,4,5", "0", 5, 1 },
  { "identical-gpus", 8, -1, PT_GUEST_WINDOWS, "1,9,2,10,3,11,4,12", "0,8", 4, 2 },
  { "shared-group-board", 6, -1, PT_GUEST_LINUX, "1,7,2,8,3,9", "0,6", 3, 2 },
  /* 3D V-Cache: a Windows guest gets the 96 MiB CCD, a Linux guest the other one. */
  { "ryzen-7950x3d", 8, -1, PT_GUEST_WINDOWS, "1,17,2,18,3,19,4,20", "0,16", 4, 2 },
  { "ryzen-7950x3d", 14, -1, PT_GUEST_WINDOWS,
    "1,17,2,18,3,19,4,20,5,21,6,22,7,23", "0,16", 7, 2 },
  { "ryzen-7950x3d", 8, -1, PT_GUEST_LINUX, "8,24,9,25,10,26,11,27", "0,16", 4, 2 },
  /* 16 do not fit the V-Cache CCD beside core 0: one L3 beats the bigger one. */
  { "ryzen-7950x3d", 16, -1, PT_GUEST_WINDOWS,
    "8,24,9,25,10,26,11,27,12,28,13,29,14,30,15,31", "0,16", 8, 2 },
  { "ryzen-3900x", 6, -1, PT_GUEST_WINDOWS, "3,15,4,16,5,17", "0,12", 3, 2 },
  { "ryzen-3900x", 12, -1, PT_GUEST_WINDOWS, "3,15,4,16,5,17,6,18,7,19,8,20", "0,12", 6, 2 },
  { "epyc-nps4-dual", 8, 5, PT_GUEST_WINDOWS, "40,104,41,105,42,106,43,107", "44,108", 4, 2 },
  { "xeon-snc2", 8, 1, PT_GUEST_WINDOWS, "8,24,9,25,10,26,11,27", "12,28", 4, 2 },
  { "xeon-snc2", 8, -1, PT_GUEST_WINDOWS, "1,17,2,18,3,19,4,20", "0,16", 4, 2 },
  { "raptor-lake-13900k", 15, -1, PT_GUEST_WINDOWS, "2,3,4,5,6,7,8,9,10,11,12,13,14,15,16",
    "0-1", 15, 1 },
  { "smt4", 6, -1, PT_GUEST_WINDOWS, "4,5,6,7,8,9", "0-3", 6, 1 },
  { "smt4", 8, -1, PT_GUEST_WINDOWS, "4,5,6,7,8,9,10,11", "0-3", 2, 4 },
  { "vm-no-cache", 3, -1, PT_GUEST_WINDOWS, "1,2,3", "0", 3, 1 },
};

static void
test_exact (gconstpointer data)
{
  const ExactCase *c = data;
  Host *host = find_host (c->host);
  g_autoptr(GError) error = NULL;
  g_autoptr(PtCpuPlan) plan = NULL;
  g_autoptr(GString) vcpus = g_string_new (NULL);
  g_autofree char *emulator = NULL;
  g_autofree char *iothreads = NULL;

  if (host == NULL)
    {
      g_test_skip_printf ("host %s is not there", c->host);
      return;
    }

  plan = pt_cpu_planner_plan (host->topology, c->n, c->gpu_node, c->guest, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < plan->vcpus->len; i++)
    g_string_append_printf (vcpus, i > 0 ? ",%u" : "%u", g_array_index (plan->vcpus, guint, i));
  emulator = pt_format_cpu_list (plan->emulator);
  iothreads = pt_format_cpu_list (plan->iothreads);

  g_assert_cmpstr (vcpus->str, ==, c->vcpus);
  g_assert_cmpstr (emulator, ==, c->emulator);
  g_assert_cmpstr (iothreads, ==, c->emulator);
  g_assert_cmpuint (plan->cores, ==, c->cores);
  g_assert_cmpuint (plan->threads, ==, c->threads);
  g_assert_false (plan->manual);
  check_plan (host->topology, plan, c->n, c->gpu_node, c->guest, c->host);
}

/* The example, through the host snapshot and with the JSON of --plan-cpus. */
static void
test_2600x_json (void)
{
  g_autofree char *root = pt_test_fixture_path ("ryzen-2600x-desktop");
  g_autoptr(GError) error = NULL;
  g_autoptr(PtHostScan) scan = NULL;
  g_autoptr(PtCpuPlan) plan = NULL;
  g_autoptr(JsonNode) actual = NULL;
  g_autoptr(JsonNode) expected = NULL;
  g_autofree char *text = NULL;
  g_autofree char *diff = NULL;
  JsonObject *object;

  if (!g_file_test (root, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("fixture ryzen-2600x-desktop is not there");
      return;
    }
  scan = pt_host_scan_new_sync (root, NULL, &error);
  g_assert_no_error (error);
  plan = pt_cpu_planner_plan_for_scan (scan, 6, "09:00.0", PT_GUEST_WINDOWS, &error);
  g_assert_no_error (error);
  text = pt_cpu_plan_to_json (plan);
  actual = json_from_string (text, &error);
  g_assert_no_error (error);

  expected = json_from_string ("{\"vcpus\": [3, 9, 4, 10, 5, 11], \"emulator\": [0, 6],"
                               " \"iothreads\": [0, 6],"
                               " \"topology\": {\"sockets\": 1, \"dies\": 1, \"cores\": 3,"
                               "               \"threads\": 2}, \"reasons\": []}", NULL);
  /* Reasons are prose; compare them apart. */
  object = json_node_get_object (actual);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "reasons")),
                    >=, 4);
  json_object_set_array_member (object, "reasons", json_array_new ());
  diff = pt_test_json_diff (expected, actual);
  g_assert_null (diff);

  /* The reasons say what a person needs to hear. */
  g_assert_nonnull (strstr (plan->reasons[0], "CCX 1"));
  g_assert_true (g_strv_contains ((const char * const *) plan->reasons,
                                  "Core 0 (CPUs 0,6) stays with the host, which runs most of its "
                                  "own work and interrupts there."));
}

static void
test_for_scan_gpu (void)
{
  g_autofree char *root = pt_test_fixture_path ("dual-socket-server");
  g_autoptr(GError) error = NULL;
  g_autoptr(PtHostScan) scan = NULL;
  g_autoptr(PtCpuPlan) plan = NULL;
  g_autoptr(PtCpuPlan) none = NULL;

  if (!g_file_test (root, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("fixture dual-socket-server is not there");
      return;
    }
  scan = pt_host_scan_new_sync (root, NULL, &error);
  g_assert_no_error (error);

  /* The RTX A4000 sits on node 1. */
  plan = pt_cpu_planner_plan_for_scan (scan, 8, "a1:00.0", PT_GUEST_WINDOWS, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_array_index (plan->vcpus, guint, 0), ==, 16);
  {
    gboolean says_gpu = FALSE;

    for (guint i = 0; plan->reasons[i] != NULL; i++)
      says_gpu |= strstr (plan->reasons[i], "NUMA node 1, the graphics card’s") != NULL;
    g_assert_true (says_gpu);
  }

  none = pt_cpu_planner_plan_for_scan (scan, 8, "0000:77:00.0", PT_GUEST_WINDOWS, &error);
  g_assert_null (none);
  g_assert_error (error, PT_CPU_PLANNER_ERROR, PT_CPU_PLANNER_ERROR_UNKNOWN_GPU);
}

/* ---- hand-picked pins ---- */

static GArray *
cpus_from (const char *list)
{
  GArray *cpus = g_array_new (FALSE, FALSE, sizeof (guint));
  g_auto(GStrv) parts = g_strsplit (list, ",", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      guint64 value;

      if (*parts[i] == '\0')
        continue;
      g_assert_true (pt_parse_uint64 (parts[i], 10, &value, NULL));
      g_array_append_val (cpus, value);
    }
  return cpus;
}

typedef struct {
  const char *host;
  const char *picked;        /* comma separated, in the order given */
  int         error_code;    /* -1: a plan */
  const char *vcpus;
  guint       cores;
  guint       threads;
} ManualCase;

static const ManualCase manual_cases[] = {
  { "ryzen-2600x-desktop", "4,10,3,9", -1, "3,9,4,10", 2, 2 },
  /* Across both CCXs: allowed, and the reasons say what it costs. */
  { "ryzen-2600x-desktop", "1,7,3,9,4,10", -1, "1,7,3,9,4,10", 3, 2 },
  /* Core 0 by hand: allowed; the emulator moves to a free host core. */
  { "ryzen-2600x-desktop", "0,6", -1, "0,6", 1, 2 },
  /* The sibling that is left of a split core is the last vCPU. */
  { "ryzen-2600x-desktop", "9,4,10", -1, "4,10,9", 3, 1 },
  { "ryzen-2600x-desktop", "", PT_CPU_PLANNER_ERROR_NO_VCPUS, NULL, 0, 0 },
  { "ryzen-2600x-desktop", "3,12", PT_CPU_PLANNER_ERROR_INVALID_CPU, NULL, 0, 0 },
  { "ryzen-2600x-desktop", "3,9,3", PT_CPU_PLANNER_ERROR_INVALID_CPU, NULL, 0, 0 },
  { "ryzen-2600x-desktop", "3,4", PT_CPU_PLANNER_ERROR_SPLIT_CORE, NULL, 0, 0 },
  { "ryzen-2600x-desktop", "0,1,2,3,4,5,6,7,8,9,10,11", PT_CPU_PLANNER_ERROR_TOO_MANY, NULL, 0,
    0 },
  { "dual-socket-server", "60", PT_CPU_PLANNER_ERROR_INVALID_CPU, NULL, 0, 0 },
  { "dual-socket-server", "28,29", -1, "28,29", 2, 1 },
};

static void
test_manual (gconstpointer data)
{
  const ManualCase *c = data;
  Host *host = find_host (c->host);
  g_autoptr(GArray) picked = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PtCpuPlan) plan = NULL;
  g_autoptr(GString) vcpus = g_string_new (NULL);

  if (host == NULL)
    {
      g_test_skip_printf ("host %s is not there", c->host);
      return;
    }
  picked = cpus_from (c->picked);
  plan = pt_cpu_planner_plan_manual (host->topology, picked, -1, &error);
  if (c->error_code >= 0)
    {
      g_assert_null (plan);
      g_assert_error (error, PT_CPU_PLANNER_ERROR, c->error_code);
      g_assert_true (error->message[0] != '\0');
      return;
    }
  g_assert_no_error (error);
  g_assert_true (plan->manual);
  for (guint i = 0; i < plan->vcpus->len; i++)
    g_string_append_printf (vcpus, i > 0 ? ",%u" : "%u", g_array_index (plan->vcpus, guint, i));
  g_assert_cmpstr (vcpus->str, ==, c->vcpus);
  g_assert_cmpuint (plan->cores, ==, c->cores);
  g_assert_cmpuint (plan->threads, ==, c->threads);
  g_assert_cmpuint (plan->cores * plan->threads, ==, picked->len);
  g_assert_cmpuint (plan->host_cpus->len + picked->len, ==, host->topology->online->len);
  g_assert_cmpuint (plan->emulator->len, >, 0);
  for (guint i = 0; i < plan->emulator->len; i++)
    {
      g_assert_false (in_list (plan->vcpus, g_array_index (plan->emulator, guint, i)));
      g_assert_true (in_list (plan->host_cpus, g_array_index (plan->emulator, guint, i)));
    }
  g_assert_true (g_str_has_prefix (plan->reasons[0], "Picked by hand"));
  check_json (plan);
}

/* Roles, as the panel shows them. */
static void
test_roles (void)
{
  Host *host = find_host ("ryzen-2600x-desktop");
  g_autoptr(PtCpuPlan) plan = NULL;
  g_autofree char *isolation = NULL;
  g_autofree char *host_cpus = NULL;
  int vcpu;

  if (host == NULL)
    {
      g_test_skip ("fixture ryzen-2600x-desktop is not there");
      return;
    }
  plan = pt_cpu_planner_plan (host->topology, 6, -1, PT_GUEST_WINDOWS, NULL);
  g_assert_cmpint (pt_cpu_plan_get_role (plan, 9, &vcpu), ==, PT_CPU_ROLE_VCPU);
  g_assert_cmpint (vcpu, ==, 1);
  g_assert_cmpint (pt_cpu_plan_get_role (plan, 0, &vcpu), ==,
                   PT_CPU_ROLE_EMULATOR | PT_CPU_ROLE_IOTHREAD);
  g_assert_cmpint (vcpu, ==, -1);
  g_assert_cmpint (pt_cpu_plan_get_role (plan, 1, NULL), ==, PT_CPU_ROLE_HOST);

  /* The host keeps the rest while the guest runs; the hook gets them as a cpulist. */
  host_cpus = pt_format_cpu_list (pt_cpu_plan_get_host_cpus (plan));
  g_assert_cmpstr (host_cpus, ==, "0-2,6-8");
  isolation = pt_cpu_plan_describe_isolation (plan);
  g_assert_nonnull (strstr (isolation, "0-2,6-8"));
}

static void
test_names (void)
{
  Host *amd = find_host ("ryzen-7950x3d");
  Host *intel = find_host ("raptor-lake-13900k");
  g_autofree char *ccx = pt_cpu_l3_name (amd->topology, 1);
  g_autofree char *l3 = pt_cpu_l3_name (intel->topology, 0);

  g_assert_cmpstr (ccx, ==, "CCX 1");
  g_assert_cmpstr (l3, ==, "L3 cache 0");
  g_assert_true (pt_cpu_l3_is_vcache (amd->topology, 0));
  g_assert_false (pt_cpu_l3_is_vcache (amd->topology, 1));
  g_assert_false (pt_cpu_l3_is_vcache (intel->topology, 0));
}

int
main (int    argc,
      char **argv)
{
  g_auto(GStrv) fixtures = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_setenv ("LC_ALL", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

  hosts = g_ptr_array_new_with_free_func ((GDestroyNotify) host_free);
  fixtures = pt_test_fixture_names ();
  for (guint i = 0; fixtures[i] != NULL; i++)
    {
      g_autofree char *root = pt_test_fixture_path (fixtures[i]);

      g_ptr_array_add (hosts, load_host (fixtures[i], root));
    }
  synthetic_dir = g_dir_make_tmp ("pt-test-cpu-planner-XXXXXX", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (machines); i++)
    {
      g_autofree char *root = write_machine (synthetic_dir, &machines[i]);

      g_ptr_array_add (hosts, load_host (machines[i].name, root));
    }

  for (guint i = 0; i < hosts->len; i++)
    {
      Host *host = g_ptr_array_index (hosts, i);
      g_autofree char *path = g_strdup_printf ("/cpu-planner/rules/%s", host->name);

      g_test_add_data_func (path, host->name, test_rules_on_host);
    }
  for (guint i = 0; i < G_N_ELEMENTS (exact_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/cpu-planner/exact/%s/%u-%s-node%d",
                                               exact_cases[i].host, exact_cases[i].n,
                                               pt_guest_os_to_string (exact_cases[i].guest),
                                               exact_cases[i].gpu_node);

      g_test_add_data_func (path, &exact_cases[i], test_exact);
    }
  for (guint i = 0; i < G_N_ELEMENTS (manual_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/cpu-planner/manual/%s/%u", manual_cases[i].host,
                                               i);

      g_test_add_data_func (path, &manual_cases[i], test_manual);
    }
  g_test_add_func ("/cpu-planner/2600x-json", test_2600x_json);
  g_test_add_func ("/cpu-planner/for-scan-gpu", test_for_scan_gpu);
  g_test_add_func ("/cpu-planner/roles", test_roles);
  g_test_add_func ("/cpu-planner/names", test_names);

  status = g_test_run ();

  pt_test_remove_tree (synthetic_dir);
  g_free (synthetic_dir);
  g_ptr_array_unref (hosts);
  return status;
}
