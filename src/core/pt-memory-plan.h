/* pt-memory-plan.h: the guest's RAM against the host's: what the host keeps, the hugepages (how
 * many, reserved when, on which NUMA node), and the domain's <memory> and <memoryBacking>. */
#pragma once

#include <libxml/tree.h>

#include "pt-boot.h"
#include "pt-cpu-topology.h"
#include "pt-host-scan.h"
#include "pt-memory.h"
#include "pt-setup.h"

G_BEGIN_DECLS

#define PT_MEMORY_PLAN_ERROR (pt_memory_plan_error_quark ())

typedef enum {
  PT_MEMORY_PLAN_ERROR_INVALID,   /* a value the hook template does not accept */
} PtMemoryPlanError;

GQuark pt_memory_plan_error_quark (void);

/* The drop-in that reserves 2 MiB pages at start-up; the helper allows sysctl.d files whose
 * names hold "passthrough". */
#define PT_MEMORY_PLAN_SYSCTL_PATH "/etc/sysctl.d/90-passthrough-hugepages.conf"
/* The libvirt hook that reserves pages when the VM starts and frees them when it stops. */
#define PT_MEMORY_PLAN_HOOK_PATH   "/etc/libvirt/hooks/qemu.d/passthrough-hugepages"
/* Its name in the host plan's "hooks" list. */
#define PT_MEMORY_PLAN_HOOK_NAME   "hugepages-on-demand"

typedef enum {
  PT_HUGEPAGE_SOURCE_NONE,         /* hugepages off */
  PT_HUGEPAGE_SOURCE_KERNEL_ARGS,  /* reserved at start-up by kernel options */
  PT_HUGEPAGE_SOURCE_SYSCTL,       /* reserved at start-up by vm.nr_hugepages in sysctl.d */
  PT_HUGEPAGE_SOURCE_ON_DEMAND,    /* reserved by a libvirt hook when the VM starts */
} PtHugepageSource;

/* What the plan knows about the host. */
typedef struct {
  const PtMemory      *memory;      /* required */
  const PtCpuTopology *cpu;         /* NULL: no pdpe1gb flag, no NUMA nodes */
  const PtBoot        *boot;        /* NULL: no kernel command line or release */
  int                  gpu_node;    /* NUMA node of the guest GPU; -1 when unknown or none */
  GArray              *guest_cpus;  /* guint host CPUs the vCPUs are pinned to; NULL: not yet */
} PtMemoryHost;

typedef struct {
  guint64           requested_kib;    /* the RAM the user asked for */
  guint64           guest_kib;        /* what the domain gets: rounded up to whole pages */
  guint64           host_total_kib;   /* MemTotal */
  guint64           host_keeps_kib;   /* total - guest; 0 when the guest asks for all of it */
  guint64           host_floor_kib;   /* below this the host gets sluggish */

  PtHugepages       hugepages;
  guint64           page_size_kib;    /* 0 when off */
  guint64           page_count;       /* pages the guest needs */
  char             *arithmetic;       /* "8 GiB ÷ 2 MiB = 4096 pages"; NULL when off */
  PtHugepageSource  source;
  int               numa_node;        /* host node the guest's RAM comes from; -1: no choice
                                       * (one node, or nothing to go by) */
  guint64           reserve_count;    /* pages the host reserves in all: page_count, or
                                       * page_count × nodes where a kernel spreads them evenly */
  guint64           reserved_now;     /* pages of this size reserved today (on numa_node) */

  char            **kernel_args_add;     /* KERNEL_ARGS: "hugepagesz=1G", "hugepages=8", ... */
  char            **kernel_args_remove;  /* hugepage options of the command line they replace */
  char             *sysctl_path;         /* SYSCTL: PT_MEMORY_PLAN_SYSCTL_PATH */
  char             *sysctl_content;      /* SYSCTL: "vm.nr_hugepages = 4096\n" with a comment */

  char            **warnings;         /* sentences; the plan works, but the user should know */
  char            **blockers;         /* sentences; the plan cannot work like this */
  char             *share_problem;    /* the one of them about the host keeping too little, to
                                       * show by the size; NULL when the share is fine */
} PtMemoryPlan;

/* Never fails: what cannot work is in "blockers". */
PtMemoryPlan *pt_memory_plan_new           (const PtMemoryHost *host,
                                            PtSetup            *setup);
/* The same, with the host taken from @scan and the GPU from @setup's "gpu". */
PtMemoryPlan *pt_memory_plan_new_for_scan  (PtHostScan         *scan,
                                            PtSetup            *setup,
                                            GArray             *guest_cpus);
void          pt_memory_plan_free          (PtMemoryPlan       *self);

/* The host's floor for @total_kib: an eighth to the nearest 512 MiB, from 2 GiB to 4 GiB. */
guint64       pt_memory_host_floor_kib     (guint64             total_kib);
/* Exact sizes for arithmetic: "8 GiB", "8704 MiB", "2 MiB", "4 KiB". */
char         *pt_memory_format_exact       (guint64             kib);

/*
 * Appends <memory unit='KiB'>, <currentMemory unit='KiB'>, <memoryBacking><hugepages><page
 * size= unit='KiB'/></hugepages></memoryBacking> (when hugepages are on) and, on a host with
 * more than one NUMA node, <numatune><memory mode= nodeset=/></numatune> to @domain.
 * @guest_nodeset: the guest NUMA cells the pages back ("0-1"), NULL for all of them; this is the
 * page's nodeset, which libvirt reads as guest cells; the host node goes into <numatune>.
 */
void          pt_memory_plan_append_domain (const PtMemoryPlan *self,
                                            xmlNode            *domain,
                                            const char         *guest_nodeset);

/*
 * The on-demand hook for PT_MEMORY_PLAN_HOOK_PATH, from checked values only: libvirt runs it
 * with the domain name and "prepare" before QEMU starts and "release" after it stops. It
 * compacts memory, reserves @count pages of @size_kib (on @node, or anywhere for -1), and when
 * the kernel finds fewer it gives them back and fails with a sentence saying what to do,
 * instead of QEMU's "unable to map backing store". @domain_name: any libvirt name without
 * control characters or "/".
 */
char         *pt_memory_plan_render_hook   (const char         *domain_name,
                                            guint64             size_kib,
                                            guint64             count,
                                            int                 node,
                                            GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtMemoryPlan, pt_memory_plan_free)

G_END_DECLS
