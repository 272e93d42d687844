/* pt-test-cpu.h: the hosts the CPU planner tests plan for, and the check of a plan's JSON. */
#pragma once

#include "pt-cpu-planner.h"

G_BEGIN_DECLS

typedef struct {
  char          *name;
  char          *root;
  PtCpuTopology *topology;
  GArray        *gpu_nodes;   /* int: the NUMA node of each GPU the host has (-1 included) */
} PtTestCpuHost;

/* Every host there is: the fixtures, then the synthetic hosts (3D V-Cache, NUMA per quarter
 * socket, sub-NUMA clusters, SMT4, no L3 info...). */
char         **pt_test_cpu_host_names  (void);
/* Reads the host the first time it is asked for; a synthetic one is written as a sysfs tree in
 * a temp dir first. NULL when no fixture or synthetic host has that name. */
PtTestCpuHost *pt_test_cpu_host_find   (const char *name);
/* Removes the synthetic hosts' trees and forgets every host: after g_test_run(). */
void           pt_test_cpu_hosts_free  (void);

gboolean       pt_test_cpu_in_list     (GArray     *cpus,
                                        guint       cpu);
/* Asserts the JSON says exactly what @plan says, in DESIGN.md's shape. */
void           pt_test_cpu_check_json  (PtCpuPlan  *plan);

G_END_DECLS
