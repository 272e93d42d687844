/* pt-cpu-topology.h: logical CPUs, SMT sibling sets, L3 (CCX/CCD) domains, dies, packages, NUMA. */
#pragma once

#include "pt-sysroot.h"

G_BEGIN_DECLS

typedef enum {
  PT_CORE_TYPE_UNKNOWN,        /* not a hybrid CPU, or the kernel does not say */
  PT_CORE_TYPE_PERFORMANCE,
  PT_CORE_TYPE_EFFICIENCY,
} PtCoreType;

/* One SMT sibling set: the unit the planner pins. */
typedef struct {
  guint       index;       /* position in PtCpuTopology.cores */
  int         package;     /* physical_package_id, -1 when unknown */
  int         die;         /* die_id, -1 when unknown */
  int         core_id;     /* as the kernel says; repeats across packages, may have gaps */
  GArray     *cpus;        /* guint, sorted: the online SMT siblings */
  int         l3;          /* index into PtCpuTopology.l3, -1 when none */
  int         numa_node;   /* node number, -1 when unknown */
  PtCoreType  type;
} PtCpuCore;

/* One last-level-cache domain (L3: a CCX on Zen 1/2, a CCD on Zen 3+, a socket on Intel). */
typedef struct {
  guint       index;       /* position in PtCpuTopology.l3 */
  int         id;          /* the kernel's cache id where present, else the index */
  guint64     size_kib;
  GArray     *cpus;        /* guint, sorted, online CPUs sharing it */
} PtCpuCache;

typedef struct {
  int         node;
  GArray     *cpus;        /* guint, sorted, online CPUs */
  guint64     memory_kib;  /* MemTotal of the node, 0 when unknown */
} PtNumaNode;

typedef struct {
  int         id;
  GArray     *cpus;        /* guint, sorted */
} PtCpuPackage;

typedef struct {
  char       *vendor;      /* vendor_id: "AuthenticAMD", "GenuineIntel"; "" when unknown */
  char       *model;       /* "AMD Ryzen 5 2600X Six-Core Processor"; "" when unknown */
  char      **flags;       /* sorted, from /proc/cpuinfo ("svm", "pdpe1gb", ...) */
  GArray     *online;      /* guint, sorted */
  GArray     *offline;     /* guint, sorted: present or possible CPUs that are not online */
  GPtrArray  *cores;       /* PtCpuCore*, ordered by their first CPU */
  GPtrArray  *l3;          /* PtCpuCache*, ordered by their first CPU */
  GPtrArray  *numa;        /* PtNumaNode*, ordered by node; empty without NUMA info */
  GPtrArray  *packages;    /* PtCpuPackage*, ordered by id */
  gboolean    hybrid;      /* cores of more than one PtCoreType */
} PtCpuTopology;

PtCpuTopology *pt_cpu_topology_read        (PtSysroot           *sysroot,
                                            GError             **error);
void           pt_cpu_topology_free        (PtCpuTopology       *self);
gboolean       pt_cpu_topology_has_flag    (const PtCpuTopology *self,
                                            const char          *flag);
/* The core holding @cpu, or NULL when @cpu is not online. */
const PtCpuCore *pt_cpu_topology_core_of   (const PtCpuTopology *self,
                                            guint                cpu);
/* Largest number of threads in one core (1 without SMT). */
guint          pt_cpu_topology_smt_width   (const PtCpuTopology *self);
const char    *pt_core_type_to_string      (PtCoreType           type);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtCpuTopology, pt_cpu_topology_free)

G_END_DECLS
