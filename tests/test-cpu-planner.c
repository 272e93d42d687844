/* test-cpu-planner.c: every planner rule, checked on every fixture and on synthetic hosts that
 * no fixture has (3D V-Cache, NUMA per quarter socket, sub-NUMA clusters, SMT4, no L3 info),
 * for many vCPU counts; plus exact plans for the well-known machines. */
#include <string.h>

#include "pt-cpu-planner.h"
#include "pt-test-cpu.h"

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
      g_assert_false (pt_test_cpu_in_list (plan->vcpus, cpu));
    }
  for (guint i = 0; i < plan->iothreads->len; i++)
    g_assert_false (pt_test_cpu_in_list (plan->vcpus, g_array_index (plan->iothreads, guint, i)));
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
    g_assert_false (pt_test_cpu_in_list (plan->vcpus,
                                         g_array_index (plan->host_cpus, guint, i)));
  for (guint i = 0; i < host_core->cpus->len; i++)
    g_assert_true (pt_test_cpu_in_list (plan->host_cpus,
                                        g_array_index (host_core->cpus, guint, i)));

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

static void
test_rules_on_host (gconstpointer data)
{
  const char *name = data;
  PtTestCpuHost *host = pt_test_cpu_host_find (name);
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
          pt_test_cpu_check_json (plan);
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
  PtTestCpuHost *host = pt_test_cpu_host_find (c->host);
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

int
main (int    argc,
      char **argv)
{
  g_auto(GStrv) hosts = NULL;
  int status;

  g_setenv ("LC_ALL", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

  hosts = pt_test_cpu_host_names ();
  for (guint i = 0; hosts[i] != NULL; i++)
    {
      g_autofree char *path = g_strdup_printf ("/cpu-planner/rules/%s", hosts[i]);

      g_test_add_data_func (path, hosts[i], test_rules_on_host);
    }
  for (guint i = 0; i < G_N_ELEMENTS (exact_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/cpu-planner/exact/%s/%u-%s-node%d",
                                               exact_cases[i].host, exact_cases[i].n,
                                               pt_guest_os_to_string (exact_cases[i].guest),
                                               exact_cases[i].gpu_node);

      g_test_add_data_func (path, &exact_cases[i], test_exact);
    }

  status = g_test_run ();

  pt_test_cpu_hosts_free ();
  return status;
}
