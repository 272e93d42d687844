/* pt-cpu-planner-private.h: the planner's search state, shared by pt-cpu-planner.c (plans and
 * reasons) and pt-cpu-planner-search.c (the search). */
#pragma once

#include "pt-cpu-planner.h"

G_BEGIN_DECLS

/* Every AMD L3 without stacked cache is 32 MiB or less (a Zen 3/4/5 CCD). */
#define PT_CPU_VCACHE_MIN_KIB (32 * 1024 + 1)

/* The search state: the topology seen as cores in domains in nodes. */
typedef struct {
  const PtCpuTopology *topology;
  guint                n_vcpus;
  int                  gpu_node;      /* -1: no preference */
  PtGuestOs            guest;
  guint                n_cores;
  guint                host_core;     /* core 0: the core of the first online CPU */
  guint               *domain_of;     /* per core: L3 index, or one domain per package past them */
  guint                n_domains;
  guint64             *domain_kib;    /* per domain, 0 when unknown */
  guint64              max_kib;       /* largest L3 holding a core the guest may use */
  guint               *node_pos;      /* per core: position in nodes */
  int                 *nodes;         /* distinct NUMA nodes (-1 = unknown), preferred first */
  guint                n_nodes;
} PtCpuSearch;

/* Lexicographic cost of a choice, most important first. */
enum {
  KEY_L3_DOMAINS,
  KEY_NUMA_NODES,
  KEY_EMULATOR_REMOTE,
  KEY_OFF_GPU_NODE,
  KEY_E_CORE_THREADS,
  KEY_SPLIT_CORE,
  KEY_SMALL_L3_THREADS,
  KEY_NOT_UNIFORM,
  KEY_HOST_CPUS_IN_L3,
  KEY_HOST_L3_THREADS,
  N_KEYS
};

typedef struct {
  GArray   *cores;           /* guint core indices in vCPU order; a split core is last */
  gboolean *selected;        /* per core: in cores */
  GArray   *split_cpus;      /* guint: the CPUs the last core gives when it is split, or NULL */
  GArray   *emulator;        /* guint CPUs, sorted */
  gboolean  emulator_local;  /* in a NUMA node of the vCPUs */
  guint     key[N_KEYS];
} PtCpuCandidate;

static inline GArray *
pt_cpu_array_new (void)
{
  return g_array_new (FALSE, FALSE, sizeof (guint));
}

static inline const PtCpuCore *
pt_cpu_search_core (const PtCpuSearch *p,
                    guint              core)
{
  return g_ptr_array_index (p->topology->cores, core);
}

static inline guint
pt_cpu_search_core_width (const PtCpuSearch *p,
                          guint              core)
{
  return pt_cpu_search_core (p, core)->cpus->len;
}

static inline int
pt_cpu_compare (gconstpointer a,
                gconstpointer b)
{
  guint x = *(const guint *) a;
  guint y = *(const guint *) b;

  return x < y ? -1 : x > y;
}

static inline gboolean
pt_cpu_array_contains (GArray *cpus,
                       guint   cpu)
{
  for (guint i = 0; i < cpus->len; i++)
    if (g_array_index (cpus, guint, i) == cpu)
      return TRUE;
  return FALSE;
}

gboolean        pt_cpu_topology_is_amd      (const PtCpuTopology *topology);

void            pt_cpu_search_init          (PtCpuSearch         *p,
                                             const PtCpuTopology *topology,
                                             guint                n_vcpus,
                                             int                  gpu_numa_node,
                                             PtGuestOs            guest);
void            pt_cpu_search_clear         (PtCpuSearch         *p);
/* The best choice of whole cores outside core 0; NULL when they cannot hold the vCPUs. */
PtCpuCandidate *pt_cpu_search_run           (const PtCpuSearch   *p);

/* @cores (whole, taken), then @split_core giving only @split_cpus (taken) when it is >= 0. */
PtCpuCandidate *pt_cpu_candidate_new        (const PtCpuSearch   *p,
                                             GArray              *cores,
                                             int                  split_core,
                                             GArray              *split_cpus);
void            pt_cpu_candidate_free       (PtCpuCandidate      *candidate);
/* Picks the emulator's CPUs and computes the cost. */
void            pt_cpu_candidate_finish     (const PtCpuSearch   *p,
                                             PtCpuCandidate      *candidate);
guint           pt_cpu_candidate_threads    (const PtCpuSearch   *p,
                                             const PtCpuCandidate *candidate,
                                             guint                i);
gboolean        pt_cpu_candidate_has_core   (const PtCpuCandidate *candidate,
                                             guint                core);
/* Every core gives the same number of threads, all it has: the guest can mirror it. */
gboolean        pt_cpu_candidate_is_uniform (const PtCpuSearch   *p,
                                             const PtCpuCandidate *candidate);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtCpuCandidate, pt_cpu_candidate_free)

G_END_DECLS
