/* pt-cpu-planner-search.c: the search for the cores that hold N vCPUs best: the fewest L3
 * domains, then NUMA nodes, then the softer preferences, as a lexicographic cost. */
#include "config.h"

#include "pt-cpu-planner-private.h"

/* Bounds on the search; past them (hosts with dozens of NUMA nodes or L3 domains) the planner
 * picks greedily and still uses the fewest L3 domains. */
#define MAX_NODE_SETS        4096
#define MAX_NODE_CANDIDATES  8
#define MAX_DOMAIN_SETS      1024

typedef struct {
  int gpu_node;
  int host_node;
} NodeOrder;

static guint
node_rank (const NodeOrder *order,
           int              node)
{
  if (order->gpu_node >= 0 && node == order->gpu_node)
    return 0;
  return node == order->host_node ? 1 : 2;
}

static int
compare_nodes (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  const NodeOrder *order = user_data;
  int x = *(const int *) a;
  int y = *(const int *) b;
  guint rx = node_rank (order, x);
  guint ry = node_rank (order, y);

  if (rx != ry)
    return rx < ry ? -1 : 1;
  return x < y ? -1 : x > y;
}

void
pt_cpu_search_init (PtCpuSearch         *p,
                    const PtCpuTopology *topology,
                    guint                n_vcpus,
                    int                  gpu_numa_node,
                    PtGuestOs            guest)
{
  const PtCpuCore *host;
  NodeOrder node_order;

  memset (p, 0, sizeof *p);
  p->topology = topology;
  p->n_vcpus = n_vcpus;
  p->gpu_node = gpu_numa_node;
  p->guest = guest;
  p->n_cores = topology->cores->len;
  p->host_core = 0;
  p->n_domains = topology->l3->len + MAX (topology->packages->len, 1);
  p->domain_of = g_new0 (guint, MAX (p->n_cores, 1));
  p->domain_kib = g_new0 (guint64, p->n_domains);
  p->node_pos = g_new0 (guint, MAX (p->n_cores, 1));
  p->nodes = g_new0 (int, MAX (p->n_cores, 1));

  for (guint l = 0; l < topology->l3->len; l++)
    p->domain_kib[l] = ((PtCpuCache *) g_ptr_array_index (topology->l3, l))->size_kib;

  for (guint c = 0; c < p->n_cores; c++)
    {
      const PtCpuCore *core = pt_cpu_search_core (p, c);

      if (core->l3 >= 0 && (guint) core->l3 < topology->l3->len)
        p->domain_of[c] = (guint) core->l3;
      else
        {
          /* No L3 is known: the cores of one package count as one domain. */
          guint package = 0;

          for (guint k = 0; k < topology->packages->len; k++)
            if (((PtCpuPackage *) g_ptr_array_index (topology->packages, k))->id == core->package)
              package = k;
          p->domain_of[c] = topology->l3->len + package;
        }
    }

  /* Nodes in the order the search tries them: the GPU's, core 0's, then by number. */
  host = p->n_cores > 0 ? pt_cpu_search_core (p, p->host_core) : NULL;
  for (guint c = 0; c < p->n_cores; c++)
    {
      int node = pt_cpu_search_core (p, c)->numa_node;
      gboolean seen = FALSE;

      for (guint k = 0; k < p->n_nodes && !seen; k++)
        seen = p->nodes[k] == node;
      if (!seen)
        p->nodes[p->n_nodes++] = node;
    }
  node_order.gpu_node = gpu_numa_node;
  node_order.host_node = host != NULL ? host->numa_node : -1;
  g_qsort_with_data (p->nodes, (int) p->n_nodes, sizeof (int), compare_nodes, &node_order);

  for (guint c = 0; c < p->n_cores; c++)
    for (guint k = 0; k < p->n_nodes; k++)
      if (p->nodes[k] == pt_cpu_search_core (p, c)->numa_node)
        p->node_pos[c] = k;

  for (guint c = 0; c < p->n_cores; c++)
    if (c != p->host_core)
      p->max_kib = MAX (p->max_kib, p->domain_kib[p->domain_of[c]]);
}

void
pt_cpu_search_clear (PtCpuSearch *p)
{
  g_free (p->domain_of);
  g_free (p->domain_kib);
  g_free (p->node_pos);
  g_free (p->nodes);
}

void
pt_cpu_candidate_free (PtCpuCandidate *candidate)
{
  if (candidate == NULL)
    return;
  g_clear_pointer (&candidate->cores, g_array_unref);
  g_clear_pointer (&candidate->split_cpus, g_array_unref);
  g_clear_pointer (&candidate->emulator, g_array_unref);
  g_free (candidate->selected);
  g_free (candidate);
}

guint
pt_cpu_candidate_threads (const PtCpuSearch    *p,
                          const PtCpuCandidate *candidate,
                          guint                 i)
{
  guint core = g_array_index (candidate->cores, guint, i);

  if (i == candidate->cores->len - 1 && candidate->split_cpus != NULL)
    return candidate->split_cpus->len;
  return pt_cpu_search_core_width (p, core);
}

gboolean
pt_cpu_candidate_has_core (const PtCpuCandidate *candidate,
                           guint                 core)
{
  return candidate->selected[core];
}

/* A candidate of @cores (whole), then @split_core giving only @split_cpus when they are set. */
PtCpuCandidate *
pt_cpu_candidate_new (const PtCpuSearch *p,
                      GArray            *cores,
                      int                split_core,
                      GArray            *split_cpus)
{
  PtCpuCandidate *candidate = g_new0 (PtCpuCandidate, 1);

  candidate->cores = cores;
  candidate->selected = g_new0 (gboolean, MAX (p->n_cores, 1));
  if (split_core >= 0)
    {
      guint core = (guint) split_core;

      g_array_append_val (candidate->cores, core);
      candidate->split_cpus = split_cpus;
    }
  for (guint i = 0; i < candidate->cores->len; i++)
    candidate->selected[g_array_index (candidate->cores, guint, i)] = TRUE;
  return candidate;
}

/* The CPUs of a split core that the guest leaves to the host. */
static void
append_split_spare (const PtCpuSearch    *p,
                    const PtCpuCandidate *candidate,
                    GArray               *ret_cpus)
{
  guint core = g_array_index (candidate->cores, guint, candidate->cores->len - 1);
  GArray *cpus = pt_cpu_search_core (p, core)->cpus;

  for (guint i = 0; i < cpus->len; i++)
    if (!pt_cpu_array_contains (candidate->split_cpus, g_array_index (cpus, guint, i)))
      g_array_append_val (ret_cpus, g_array_index (cpus, guint, i));
}

static void
append_core (const PtCpuSearch *p,
             guint              core,
             GArray            *ret_cpus)
{
  GArray *cpus = pt_cpu_search_core (p, core)->cpus;

  g_array_append_vals (ret_cpus, cpus->data, cpus->len);
}

/* Emulator and I/O thread: core 0 when it shares a NUMA node with the vCPUs; else a free core
 * there, rather outside the guest's L3; else the free threads of a split core; else core 0. */
static void
choose_emulator (const PtCpuSearch *p,
                 PtCpuCandidate    *candidate)
{
  g_autofree gboolean *used_node = g_new0 (gboolean, MAX (p->n_nodes, 1));
  g_autofree gboolean *used_domain = g_new0 (gboolean, p->n_domains);
  gboolean host_free = !pt_cpu_candidate_has_core (candidate, p->host_core);
  int best = -1;
  gboolean best_outside = FALSE;

  for (guint i = 0; i < candidate->cores->len; i++)
    {
      guint core = g_array_index (candidate->cores, guint, i);

      used_node[p->node_pos[core]] = TRUE;
      used_domain[p->domain_of[core]] = TRUE;
    }

  candidate->emulator = pt_cpu_array_new ();
  candidate->emulator_local = TRUE;

  if (host_free && used_node[p->node_pos[p->host_core]])
    {
      append_core (p, p->host_core, candidate->emulator);
      return;
    }

  for (guint c = 0; c < p->n_cores; c++)
    {
      gboolean outside;

      if (pt_cpu_candidate_has_core (candidate, c) || !used_node[p->node_pos[c]])
        continue;
      outside = !used_domain[p->domain_of[c]];
      if (best < 0 || (outside && !best_outside))
        {
          best = (int) c;
          best_outside = outside;
        }
    }
  if (best >= 0)
    {
      append_core (p, best, candidate->emulator);
      return;
    }

  if (candidate->split_cpus != NULL)
    {
      guint split_core = g_array_index (candidate->cores, guint, candidate->cores->len - 1);

      if (used_node[p->node_pos[split_core]])
        {
          append_split_spare (p, candidate, candidate->emulator);
          return;
        }
    }

  /* Nothing is free next to the vCPUs: the host's core, else any free core. */
  candidate->emulator_local = FALSE;
  if (host_free)
    {
      append_core (p, p->host_core, candidate->emulator);
      return;
    }
  for (guint c = 0; c < p->n_cores; c++)
    if (!pt_cpu_candidate_has_core (candidate, c))
      {
        append_core (p, c, candidate->emulator);
        return;
      }
  if (candidate->split_cpus != NULL)
    append_split_spare (p, candidate, candidate->emulator);
}

gboolean
pt_cpu_candidate_is_uniform (const PtCpuSearch    *p,
                             const PtCpuCandidate *candidate)
{
  if (candidate->split_cpus != NULL)
    return FALSE;
  for (guint i = 1; i < candidate->cores->len; i++)
    if (pt_cpu_candidate_threads (p, candidate, i) != pt_cpu_candidate_threads (p, candidate, 0))
      return FALSE;
  return TRUE;
}

/* Fills in the emulator and the cost of a candidate whose cores are chosen. */
void
pt_cpu_candidate_finish (const PtCpuSearch *p,
                         PtCpuCandidate    *candidate)
{
  g_autofree gboolean *used_node = g_new0 (gboolean, MAX (p->n_nodes, 1));
  g_autofree gboolean *used_domain = g_new0 (gboolean, p->n_domains);
  guint host_domain = p->domain_of[p->host_core];
  guint in_domains = 0;

  choose_emulator (p, candidate);
  memset (candidate->key, 0, sizeof candidate->key);

  for (guint i = 0; i < candidate->cores->len; i++)
    {
      guint core = g_array_index (candidate->cores, guint, i);
      const PtCpuCore *info = pt_cpu_search_core (p, core);
      guint threads = pt_cpu_candidate_threads (p, candidate, i);

      if (!used_node[p->node_pos[core]])
        candidate->key[KEY_NUMA_NODES]++;
      used_node[p->node_pos[core]] = TRUE;
      if (!used_domain[p->domain_of[core]])
        candidate->key[KEY_L3_DOMAINS]++;
      used_domain[p->domain_of[core]] = TRUE;

      if (p->gpu_node >= 0 && info->numa_node != p->gpu_node)
        candidate->key[KEY_OFF_GPU_NODE] += threads;
      if (info->type == PT_CORE_TYPE_EFFICIENCY)
        candidate->key[KEY_E_CORE_THREADS] += threads;
      if (p->guest == PT_GUEST_WINDOWS && p->domain_kib[p->domain_of[core]] < p->max_kib)
        candidate->key[KEY_SMALL_L3_THREADS] += threads;
      if (p->domain_of[core] == host_domain)
        candidate->key[KEY_HOST_L3_THREADS] += threads;
    }

  candidate->key[KEY_EMULATOR_REMOTE] = !candidate->emulator_local;
  candidate->key[KEY_SPLIT_CORE] = candidate->split_cpus != NULL;
  candidate->key[KEY_NOT_UNIFORM] = !pt_cpu_candidate_is_uniform (p, candidate);

  for (guint c = 0; c < p->n_cores; c++)
    if (used_domain[p->domain_of[c]])
      in_domains += pt_cpu_search_core_width (p, c);
  candidate->key[KEY_HOST_CPUS_IN_L3] = in_domains - p->n_vcpus;
}

/* <0 when @a is the better choice. */
static int
candidate_compare (const PtCpuCandidate *a,
                   const PtCpuCandidate *b)
{
  for (guint k = 0; k < N_KEYS; k++)
    if (a->key[k] != b->key[k])
      return a->key[k] < b->key[k] ? -1 : 1;

  for (guint i = 0; i < MIN (a->cores->len, b->cores->len); i++)
    {
      guint x = g_array_index (a->cores, guint, i);
      guint y = g_array_index (b->cores, guint, i);

      if (x != y)
        return x < y ? -1 : 1;
    }
  return (int) a->cores->len - (int) b->cores->len;
}

static void
offer (PtCpuCandidate **best,
       PtCpuCandidate  *candidate)
{
  if (candidate == NULL)
    return;
  if (*best == NULL || candidate_compare (candidate, *best) < 0)
    {
      pt_cpu_candidate_free (*best);
      *best = candidate;
    }
  else
    pt_cpu_candidate_free (candidate);
}

typedef struct {
  const PtCpuSearch *p;
  gboolean       narrow_first;
} CoreOrder;

/* The order in which a domain set's cores are taken. */
static int
compare_cores (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  const CoreOrder *order = user_data;
  const PtCpuSearch *p = order->p;
  guint x = *(const guint *) a;
  guint y = *(const guint *) b;
  const PtCpuCore *cx = pt_cpu_search_core (p, x);
  const PtCpuCore *cy = pt_cpu_search_core (p, y);
  guint host_domain = p->domain_of[p->host_core];
  int kx[5], ky[5];

  kx[0] = p->gpu_node >= 0 && cx->numa_node != p->gpu_node;
  ky[0] = p->gpu_node >= 0 && cy->numa_node != p->gpu_node;
  kx[1] = cx->type == PT_CORE_TYPE_EFFICIENCY;
  ky[1] = cy->type == PT_CORE_TYPE_EFFICIENCY;
  kx[2] = p->guest == PT_GUEST_WINDOWS && p->domain_kib[p->domain_of[x]] < p->max_kib;
  ky[2] = p->guest == PT_GUEST_WINDOWS && p->domain_kib[p->domain_of[y]] < p->max_kib;
  kx[3] = p->domain_of[x] == host_domain;
  ky[3] = p->domain_of[y] == host_domain;
  kx[4] = order->narrow_first ? (int) cx->cpus->len : -(int) cx->cpus->len;
  ky[4] = order->narrow_first ? (int) cy->cpus->len : -(int) cy->cpus->len;

  for (guint k = 0; k < G_N_ELEMENTS (kx); k++)
    if (kx[k] != ky[k])
      return kx[k] < ky[k] ? -1 : 1;
  return x < y ? -1 : x > y;
}

typedef enum {
  BUILD_NARROW_FIRST = 1 << 0,   /* narrow cores first: whole single-thread cores for odd N */
  BUILD_WHOLE_FIRST  = 1 << 1,   /* skip ahead to cores that fit whole before splitting one */
  BUILD_RESERVE      = 1 << 2,   /* leave the last core free for the emulator */
  N_BUILD_VARIANTS   = 1 << 3,
} BuildVariant;

/* Takes cores of the domains in @domains, within the nodes in @nodes, in preference order. */
static PtCpuCandidate *
build (const PtCpuSearch *p,
       const gboolean    *domains,
       const gboolean    *nodes,
       BuildVariant       variant)
{
  g_autoptr(GArray) order = pt_cpu_array_new ();
  g_autoptr(GArray) whole = pt_cpu_array_new ();
  g_autoptr(PtCpuCandidate) candidate = NULL;
  g_autoptr(GArray) split_cpus = NULL;
  CoreOrder core_order = { p, (variant & BUILD_NARROW_FIRST) != 0 };
  guint capacity = 0;
  guint remaining = p->n_vcpus;
  int split = -1;

  for (guint c = 0; c < p->n_cores; c++)
    if (c != p->host_core && domains[p->domain_of[c]] && nodes[p->node_pos[c]])
      {
        g_array_append_val (order, c);
        capacity += pt_cpu_search_core_width (p, c);
      }
  g_array_sort_with_data (order, compare_cores, &core_order);

  if (variant & BUILD_RESERVE)
    {
      guint last;

      /* Only worth it where core 0 cannot serve: outside its node. */
      if (nodes[p->node_pos[p->host_core]] || order->len == 0)
        return NULL;
      last = g_array_index (order, guint, order->len - 1);
      if (capacity - pt_cpu_search_core_width (p, last) < p->n_vcpus)
        return NULL;
      g_array_set_size (order, order->len - 1);
    }

  for (guint i = 0; i < order->len && remaining > 0; i++)
    {
      guint core = g_array_index (order, guint, i);
      guint width = pt_cpu_search_core_width (p, core);

      if (width <= remaining)
        {
          g_array_append_val (whole, core);
          remaining -= width;
        }
      else if (!(variant & BUILD_WHOLE_FIRST))
        {
          split = (int) core;
          break;
        }
    }
  if (remaining > 0 && split < 0)
    for (guint i = 0; i < order->len && split < 0; i++)
      {
        guint core = g_array_index (order, guint, i);

        if (!pt_cpu_array_contains (whole, core))
          split = (int) core;
      }
  if (remaining > 0 && split < 0)
    return NULL;

  if (remaining > 0)
    {
      split_cpus = pt_cpu_array_new ();
      g_array_append_vals (split_cpus, pt_cpu_search_core (p, split)->cpus->data, remaining);
    }
  g_array_sort (whole, pt_cpu_compare);
  candidate = pt_cpu_candidate_new (p, g_steal_pointer (&whole), remaining > 0 ? split : -1,
                             g_steal_pointer (&split_cpus));
  pt_cpu_candidate_finish (p, candidate);
  return g_steal_pointer (&candidate);
}

/* Capacity of each domain within @nodes, for the cores the guest may take. */
static void
domain_capacities (const PtCpuSearch *p,
                   const gboolean    *nodes,
                   guint             *ret_capacity)
{
  memset (ret_capacity, 0, p->n_domains * sizeof (guint));
  for (guint c = 0; c < p->n_cores; c++)
    if (c != p->host_core && (nodes == NULL || nodes[p->node_pos[c]]))
      ret_capacity[p->domain_of[c]] += pt_cpu_search_core_width (p, c);
}

static int
compare_guint_desc (gconstpointer a,
                    gconstpointer b)
{
  return -pt_cpu_compare (a, b);
}

/* The fewest domains whose capacities reach the vCPU count, G_MAXUINT when none do. */
static guint
fewest_domains (const PtCpuSearch *p,
                const guint       *capacity)
{
  g_autofree guint *sorted = g_memdup2 (capacity, p->n_domains * sizeof (guint));
  guint sum = 0;

  qsort (sorted, p->n_domains, sizeof (guint), compare_guint_desc);
  for (guint k = 0; k < p->n_domains; k++)
    {
      sum += sorted[k];
      if (sum >= p->n_vcpus)
        return k + 1;
    }
  return G_MAXUINT;
}

/* C(n, k), saturating at G_MAXUINT. */
static guint
binomial (guint n,
          guint k)
{
  guint64 result = 1;

  if (k > n)
    return 0;
  k = MIN (k, n - k);
  for (guint i = 1; i <= k; i++)
    {
      result = result * (n - k + i) / i;
      if (result > G_MAXUINT)
        return G_MAXUINT;
    }
  return (guint) result;
}

/* Steps @index (k ascending positions below n) to the next k-combination; FALSE at the end. */
static gboolean
next_combination (guint *index,
                  guint  k,
                  guint  n)
{
  int i = (int) k - 1;

  while (i >= 0 && index[i] == n - k + (guint) i)
    i--;
  if (i < 0)
    return FALSE;
  index[i]++;
  for (guint j = (guint) i + 1; j < k; j++)
    index[j] = index[j - 1] + 1;
  return TRUE;
}

typedef struct {
  const PtCpuSearch *p;
  const guint   *capacity;
  gboolean       by_capacity;
} DomainOrder;

static int
compare_domains (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  const DomainOrder *order = user_data;
  const PtCpuSearch *p = order->p;
  guint x = *(const guint *) a;
  guint y = *(const guint *) b;
  int kx[4] = { 0 }, ky[4] = { 0 };

  if (order->by_capacity)
    {
      kx[0] = -(int) order->capacity[x];
      ky[0] = -(int) order->capacity[y];
    }
  kx[1] = p->guest == PT_GUEST_WINDOWS && p->domain_kib[x] < p->max_kib;
  ky[1] = p->guest == PT_GUEST_WINDOWS && p->domain_kib[y] < p->max_kib;
  kx[2] = x == p->domain_of[p->host_core];
  ky[2] = y == p->domain_of[p->host_core];
  for (guint k = 0; k < G_N_ELEMENTS (kx); k++)
    if (kx[k] != ky[k])
      return kx[k] < ky[k] ? -1 : 1;
  return x < y ? -1 : x > y;
}

static void
offer_builds (const PtCpuSearch  *p,
              const gboolean     *domains,
              const gboolean     *nodes,
              PtCpuCandidate    **best)
{
  for (guint variant = 0; variant < N_BUILD_VARIANTS; variant++)
    offer (best, build (p, domains, nodes, variant));
}

/* Chooses @k domains among @list greedily in its order, keeping the count reachable. */
static void
greedy_domains (const PtCpuSearch *p,
                GArray            *list,
                const guint       *capacity,
                guint              k,
                gboolean          *ret_domains)
{
  guint picked = 0;
  guint sum = 0;

  memset (ret_domains, 0, p->n_domains * sizeof (gboolean));
  for (guint i = 0; i < list->len && picked < k; i++)
    {
      guint d = g_array_index (list, guint, i);
      g_autoptr(GArray) rest = pt_cpu_array_new ();
      guint reach = sum + capacity[d];

      for (guint j = 0; j < list->len; j++)
        {
          guint e = g_array_index (list, guint, j);

          if (e != d && !ret_domains[e])
            g_array_append_val (rest, capacity[e]);
        }
      g_array_sort (rest, compare_guint_desc);
      for (guint j = 0; j < rest->len && j + picked + 1 < k; j++)
        reach += g_array_index (rest, guint, j);
      if (reach >= p->n_vcpus)
        {
          ret_domains[d] = TRUE;
          sum += capacity[d];
          picked++;
        }
    }
}

/* Tries the sets of @k domains within @nodes that can hold the vCPUs. */
static void
search_domains (const PtCpuSearch  *p,
                const gboolean     *nodes,
                guint               k,
                PtCpuCandidate    **best)
{
  g_autofree guint *capacity = g_new0 (guint, p->n_domains);
  g_autofree gboolean *domains = g_new0 (gboolean, p->n_domains);
  g_autoptr(GArray) list = pt_cpu_array_new ();

  domain_capacities (p, nodes, capacity);
  for (guint d = 0; d < p->n_domains; d++)
    if (capacity[d] > 0)
      g_array_append_val (list, d);
  if (list->len < k)
    return;

  if (binomial (list->len, k) <= MAX_DOMAIN_SETS)
    {
      g_autofree guint *index = g_new0 (guint, k);

      for (guint i = 0; i < k; i++)
        index[i] = i;
      do
        {
          guint sum = 0;

          memset (domains, 0, p->n_domains * sizeof (gboolean));
          for (guint i = 0; i < k; i++)
            {
              guint d = g_array_index (list, guint, index[i]);

              domains[d] = TRUE;
              sum += capacity[d];
            }
          if (sum >= p->n_vcpus)
            offer_builds (p, domains, nodes, best);
        }
      while (next_combination (index, k, list->len));
      return;
    }

  for (int by_capacity = 0; by_capacity < 2; by_capacity++)
    {
      DomainOrder order = { p, capacity, by_capacity };

      g_array_sort_with_data (list, compare_domains, &order);
      greedy_domains (p, list, capacity, k, domains);
      offer_builds (p, domains, nodes, best);
    }
}

/* The best choice of whole cores outside core 0. */
PtCpuCandidate *
pt_cpu_search_run (const PtCpuSearch *p)
{
  g_autofree guint *capacity = g_new0 (guint, p->n_domains);
  g_autofree gboolean *nodes = g_new0 (gboolean, MAX (p->n_nodes, 1));
  g_autoptr(GPtrArray) node_sets = g_ptr_array_new_with_free_func (g_free);
  PtCpuCandidate *best = NULL;
  guint k_min;
  guint tried = 0;

  domain_capacities (p, NULL, capacity);
  k_min = fewest_domains (p, capacity);
  if (k_min == G_MAXUINT)
    return NULL;

  /* The fewest nodes whose cores fill k_min domains. */
  for (guint m = 1; m <= p->n_nodes && node_sets->len == 0 && tried <= MAX_NODE_SETS; m++)
    {
      g_autofree guint *index = g_new0 (guint, m);

      for (guint i = 0; i < m; i++)
        index[i] = i;
      do
        {
          memset (nodes, 0, p->n_nodes * sizeof (gboolean));
          for (guint i = 0; i < m; i++)
            nodes[index[i]] = TRUE;
          domain_capacities (p, nodes, capacity);
          if (fewest_domains (p, capacity) == k_min)
            g_ptr_array_add (node_sets, g_memdup2 (nodes, p->n_nodes * sizeof (gboolean)));
        }
      while (++tried <= MAX_NODE_SETS && node_sets->len < MAX_NODE_CANDIDATES
             && next_combination (index, m, p->n_nodes));
    }

  if (node_sets->len == 0)
    {
      /* Too many nodes to try their sets: all of them. */
      for (guint i = 0; i < p->n_nodes; i++)
        nodes[i] = TRUE;
      g_ptr_array_add (node_sets, g_memdup2 (nodes, p->n_nodes * sizeof (gboolean)));
    }

  for (guint i = 0; i < node_sets->len; i++)
    search_domains (p, g_ptr_array_index (node_sets, i), k_min, &best);
  return best;
}
