/* pt-cpu-grid.h: the host's processor drawn as packages, NUMA nodes, L3 domains, cores and their
 * threads, each thread a button showing what it does in a CPU plan. */
#pragma once

#include <gtk/gtk.h>

#include "pt-cpu-planner.h"
#include "pt-host-scan.h"

G_BEGIN_DECLS

#define PT_TYPE_CPU_GRID (pt_cpu_grid_get_type ())
G_DECLARE_FINAL_TYPE (PtCpuGrid, pt_cpu_grid, PT, CPU_GRID, GtkWidget)

/*
 * Signals:
 *   "core-activated" (guint core): a thread of core @core (an index into the topology's cores)
 *   was clicked or activated from the keyboard; the whole core is meant.
 */
GtkWidget   *pt_cpu_grid_new          (void);
/* Draws the topology of @scan (NULL: nothing); cells start as host CPUs. */
void         pt_cpu_grid_set_scan     (PtCpuGrid  *self,
                                       PtHostScan *scan);
/* Marks the NUMA node of the guest's graphics card (-1: none). */
void         pt_cpu_grid_set_gpu_node (PtCpuGrid  *self,
                                       int         gpu_node);
/* Shows the roles of @plan (NULL: all host) without rebuilding, so focus stays where it is. */
void         pt_cpu_grid_set_plan     (PtCpuGrid  *self,
                                       PtCpuPlan  *plan);
PtCpuPlan   *pt_cpu_grid_get_plan     (PtCpuGrid  *self);
/* The button of @cpu, NULL when it is not online. */
GtkWidget   *pt_cpu_grid_get_cell     (PtCpuGrid  *self,
                                       guint       cpu);
/* The accessible name of @cpu's cell: "CPU 9, core 3, CCX 1" (", P-core" on hybrid parts). */
char        *pt_cpu_grid_describe_cpu (PtCpuGrid  *self,
                                       guint       cpu);

G_END_DECLS
