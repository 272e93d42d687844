/* pt-cpu-planner.h: which host CPUs run the guest's vCPUs, its emulator and its I/O thread. */
#pragma once

#include <glib-object.h>

#include "pt-cpu-topology.h"
#include "pt-host-scan.h"
#include "pt-setup.h"

G_BEGIN_DECLS

#define PT_CPU_PLANNER_ERROR (pt_cpu_planner_error_quark ())

typedef enum {
  PT_CPU_PLANNER_ERROR_NO_VCPUS,      /* N = 0, or no CPU chosen by hand */
  PT_CPU_PLANNER_ERROR_TOO_MANY,      /* more vCPUs than the CPUs left after the host's share */
  PT_CPU_PLANNER_ERROR_INVALID_CPU,   /* a hand-picked CPU that is not online, or twice */
  PT_CPU_PLANNER_ERROR_SPLIT_CORE,    /* more than one core split between guest and host */
  PT_CPU_PLANNER_ERROR_UNKNOWN_GPU,   /* the GPU address is not on this host */
} PtCpuPlannerError;

GQuark pt_cpu_planner_error_quark (void);

/* What one host CPU does in a plan; a CPU can be the emulator's and the I/O thread's. */
typedef enum {
  PT_CPU_ROLE_HOST      = 0,
  PT_CPU_ROLE_VCPU      = 1 << 0,
  PT_CPU_ROLE_EMULATOR  = 1 << 1,
  PT_CPU_ROLE_IOTHREAD  = 1 << 2,
} PtCpuRole;

/*
 * A plan. Read-only once made; shared by reference (a boxed type for properties).
 *
 * The host keeps at least one whole core: core 0 and its SMT siblings (the core of the first
 * online CPU), where Linux runs much of its own work. Emulator and I/O thread run on host CPUs.
 */
typedef struct {
  GArray     *vcpus;       /* guint: the host CPU of vCPU 0, 1, ...; siblings are consecutive */
  GArray     *emulator;    /* guint, sorted: <emulatorpin> */
  GArray     *iothreads;   /* guint, sorted: <iothreadpin iothread='1'>; there is one I/O thread */
  GArray     *host_cpus;   /* guint, sorted: online CPUs that run no vCPU */
  GArray     *online;      /* guint, sorted: every online CPU of the host */
  guint       sockets;     /* guest topology: always 1 socket, 1 die */
  guint       dies;
  guint       cores;
  guint       threads;     /* the SMT width used; 1 when a core gives fewer threads than it has */
  gboolean    topoext;     /* AMD: the guest needs topoext to see SMT siblings */
  gboolean    manual;      /* made from the user's own picks */
  char      **reasons;     /* one translated line per choice, for the panel and --plan-cpus */

  /*< private >*/
  gint        ref_count;
} PtCpuPlan;

#define PT_TYPE_CPU_PLAN (pt_cpu_plan_get_type ())
GType          pt_cpu_plan_get_type      (void) G_GNUC_CONST;
PtCpuPlan     *pt_cpu_plan_ref           (PtCpuPlan        *self);
void           pt_cpu_plan_unref         (PtCpuPlan        *self);

/*
 * The best pins for @n_vcpus vCPUs on @topology, by these rules, each before the next:
 * - whole cores with all their online SMT siblings, the siblings on consecutive vCPUs; with an
 *   odd count on an SMT host the last core gives one thread (the guest then sees N cores of
 *   one thread);
 * - core 0 and its siblings stay with the host: N larger than the CPUs left is an error;
 * - the fewest L3 domains (CCX/CCD), then the fewest NUMA nodes;
 * - emulator and I/O thread on host CPUs in a NUMA node of the vCPUs (core 0 when it is there);
 * - the NUMA node of the guest's GPU (@gpu_numa_node, -1 when unknown or none);
 * - P-cores before E-cores on hybrid CPUs;
 * - whole cores rather than a split one;
 * - for a Windows (gaming) guest, the largest L3 (a 3D V-Cache CCD) on mixed-L3 parts;
 * - few host CPUs sharing the guest's L3, and away from core 0's L3;
 * - then the lowest core numbers.
 * Guest topology: sockets=1 dies=1 cores=N/T threads=T.
 */
PtCpuPlan     *pt_cpu_planner_plan        (const PtCpuTopology *topology,
                                           guint                n_vcpus,
                                           int                  gpu_numa_node,
                                           PtGuestOs            guest,
                                           GError             **error);
/*
 * A plan from CPUs the user picked (the panel toggles whole cores). Checks them: online, each
 * once, at least one whole core left to the host, at most one core split between guest and
 * host (it goes last). Picks emulator, I/O thread and topology as pt_cpu_planner_plan() does.
 */
PtCpuPlan     *pt_cpu_planner_plan_manual (const PtCpuTopology *topology,
                                           GArray              *cpus,
                                           int                  gpu_numa_node,
                                           GError             **error);
/*
 * For a host snapshot: @gpu_address ("0000:09:00.0" or "09:00.0", NULL for none) names the
 * guest GPU whose NUMA node is preferred; an address that is not on the host is an error.
 */
PtCpuPlan     *pt_cpu_planner_plan_for_scan (PtHostScan        *scan,
                                             guint              n_vcpus,
                                             const char        *gpu_address,
                                             PtGuestOs          guest,
                                             GError           **error);
/* The largest vCPU count pt_cpu_planner_plan() accepts: online CPUs minus core 0's. */
guint          pt_cpu_planner_max_vcpus   (const PtCpuTopology *topology);

/* How the panel and the reasons name an L3 domain: "CCX 1" on AMD (a core complex shares one
 * L3 on every Zen), "L3 cache 0" elsewhere; @l3 indexes PtCpuTopology.l3. */
char          *pt_cpu_l3_name             (const PtCpuTopology *topology,
                                           guint                l3);
/* "32 MiB", "1.5 MiB": a cache size as the panel and the reasons write it. */
char          *pt_cpu_format_cache_size   (guint64              size_kib);
/* An AMD L3 of more than 32 MiB: a 3D V-Cache CCD (96 MiB on a 7950X3D's first CCD). */
gboolean       pt_cpu_l3_is_vcache        (const PtCpuTopology *topology,
                                           guint                l3);

/* What @cpu does; @ret_vcpu (may be NULL) gets its vCPU number, -1 when it runs none. */
PtCpuRole      pt_cpu_plan_get_role      (const PtCpuPlan  *self,
                                          guint             cpu,
                                          int              *ret_vcpu);
gboolean       pt_cpu_plan_equal         (const PtCpuPlan  *a,
                                          const PtCpuPlan  *b);

/*
 * DESIGN.md's --plan-cpus JSON, pretty-printed with a trailing newline:
 * {"vcpus": [..], "emulator": [..], "iothreads": [..],
 *  "topology": {"sockets": 1, "dies": 1, "cores": C, "threads": T}, "reasons": ["…"]}
 */
char          *pt_cpu_plan_to_json       (PtCpuPlan        *self);

/*
 * Host isolation while the guest runs ("isolate-host" in the host plan's hooks).
 *
 * Instead of isolcpus= on the kernel command line (a reboot to change, and the CPUs stay
 * fenced off even while no guest runs), a libvirt qemu hook confines the host while the VM
 * runs, through systemd's cgroup v2 cpuset controller:
 *   on "<vm> prepare begin":  systemctl set-property --runtime -- system.slice AllowedCPUs=<host>
 *                             (and the same for user.slice and init.scope)
 *   on "<vm> release end":    the same three with AllowedCPUs=<online>
 * where <host> is pt_cpu_plan_get_host_cpus() and <online> the plan's online CPUs, both as
 * cpulists ("0-2,6-8"). --runtime keeps it out of /etc, so a crash or a reboot restores the
 * host. The hook file itself is rendered by the root helper's own template from this data.
 */
GArray        *pt_cpu_plan_get_host_cpus (const PtCpuPlan  *self);
/* One translated sentence for the switch that turns the hook on. */
char          *pt_cpu_plan_describe_isolation (const PtCpuPlan *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtCpuPlan, pt_cpu_plan_unref)

G_END_DECLS
