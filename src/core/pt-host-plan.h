/* pt-host-plan.h: what must change on the host for the guest GPU: kernel arguments, vfio-pci
 * binding, modprobe.d files, initramfs. Data that the root helper applies (DESIGN.md). */
#pragma once

#include "pt-host-scan.h"
#include "pt-setup.h"

G_BEGIN_DECLS

#define PT_HOST_PLAN_ERROR (pt_host_plan_error_quark ())

typedef enum {
  PT_HOST_PLAN_ERROR_NO_GPU,     /* the setup names no guest GPU */
  PT_HOST_PLAN_ERROR_INVALID,    /* JSON that is not a plan: syntax, keys, types, values */
  PT_HOST_PLAN_ERROR_TOO_LARGE,
} PtHostPlanError;

GQuark pt_host_plan_error_quark (void);

#define PT_HOST_PLAN_VERSION 1
/* A real plan is a few KiB; anything near this is not one. */
#define PT_HOST_PLAN_MAX_JSON_SIZE (256 * 1024)
#define PT_HOST_PLAN_VFIO_FILE "/etc/modprobe.d/passthrough-vfio.conf"
#define PT_HOST_PLAN_KVM_FILE "/etc/modprobe.d/passthrough-kvm.conf"

typedef struct {
  char  *path;      /* "/etc/modprobe.d/passthrough-vfio.conf" */
  char  *content;   /* whole file, lines of the plan's grammar */
  guint  mode;      /* 0644 */
} PtPlanFile;

typedef struct {
  GPtrArray   *kernel_args_add;     /* char*: "intel_iommu=on", "iommu=pt" */
  GPtrArray   *kernel_args_remove;  /* char*: arguments as they are now ("intel_iommu=off") */
  GPtrArray   *vfio_ids;            /* char*: "10de:1b06", IDs no host device shares */
  GPtrArray   *vfio_devices;        /* char*: "0000:09:00.0", every function to bind */
  GPtrArray   *vfio_softdeps;       /* char*: modules that must wait for vfio-pci */
  GPtrArray   *files;               /* PtPlanFile*, sorted by path */
  guint64      hugepages_size_kib;  /* 0 when the guest has no hugepages */
  guint64      hugepages_count;
  gboolean     initramfs_regenerate;
  PtInitramfs  initramfs_tool;
  GPtrArray   *initramfs_modules;   /* char*: loaded early ("vfio_pci", "vfio", ...) */
  GPtrArray   *hooks;               /* char*: "isolate-host", "hugepages-on-demand" */
  GPtrArray   *warnings;            /* char*: sentences */
  GPtrArray   *blockers;            /* char*: sentences; the plan must not be applied */
} PtHostPlan;

/*
 * The plan for the GPU of @setup on the host of @scan. Fails only for an impossible request:
 * no GPU chosen, or an address that is no graphics card (PT_GPU_ERROR). Anything that would
 * break the host's boot is in the plan's blockers instead.
 */
PtHostPlan *pt_host_plan_build            (PtHostScan        *scan,
                                           PtSetup           *setup,
                                           GError           **error);
void        pt_host_plan_free             (PtHostPlan        *plan);
gboolean    pt_host_plan_has_blockers     (const PtHostPlan  *plan);
/* Pretty JSON with a trailing newline, the keys in DESIGN.md's order. */
char       *pt_host_plan_to_json          (PtHostPlan        *plan);
/*
 * The inverse of pt_host_plan_to_json(), strict, for the root helper: refuses unknown and
 * duplicate keys, wrong types, values outside the plan's grammar (kernel arguments, IDs,
 * addresses, module names, file paths and contents), and more than
 * PT_HOST_PLAN_MAX_JSON_SIZE bytes.
 */
PtHostPlan *pt_host_plan_new_from_json    (const char        *json,
                                           gsize              len,
                                           GError           **error);
/* Kernel arguments the plan adds so that the IOMMU is on for this host (none for what is there
 * already): for the explanation shown while it is off. */
GStrv       pt_host_plan_iommu_kernel_args (PtHostScan       *scan);
/* TRUE when every line of @content is one the helper accepts in a plan file at @path. */
gboolean    pt_host_plan_check_file       (const char        *path,
                                           const char        *content,
                                           GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtHostPlan, pt_host_plan_free)

G_END_DECLS
