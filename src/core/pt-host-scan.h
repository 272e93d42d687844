/* pt-host-scan.h: one immutable snapshot of everything the app reads from a host. */
#pragma once

#include <gio/gio.h>

#include "pt-boot.h"
#include "pt-cpu-topology.h"
#include "pt-input.h"
#include "pt-iommu.h"
#include "pt-memory.h"
#include "pt-pci.h"
#include "pt-storage.h"
#include "pt-sysroot.h"
#include "pt-usb.h"

G_BEGIN_DECLS

#define PT_TYPE_HOST_SCAN (pt_host_scan_get_type ())
G_DECLARE_FINAL_TYPE (PtHostScan, pt_host_scan, PT, HOST_SCAN, GObject)

/* Blocking; for the CLI and worker threads. */
PtHostScan          *pt_host_scan_new_sync     (const char          *root,
                                                GCancellable        *cancellable,
                                                GError             **error);
/* Runs the scan in a worker thread. */
void                 pt_host_scan_new_async    (const char          *root,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
PtHostScan          *pt_host_scan_new_finish   (GAsyncResult        *result,
                                                GError             **error);

PtSysroot           *pt_host_scan_get_sysroot  (PtHostScan *self);
const PtCpuTopology *pt_host_scan_get_cpu      (PtHostScan *self);
const PtIommu       *pt_host_scan_get_iommu    (PtHostScan *self);
GPtrArray           *pt_host_scan_get_pci      (PtHostScan *self);   /* PtPciDevice* */
const PtMemory      *pt_host_scan_get_memory   (PtHostScan *self);
GPtrArray           *pt_host_scan_get_input    (PtHostScan *self);   /* PtInputDevice* */
GPtrArray           *pt_host_scan_get_disks    (PtHostScan *self);   /* PtDisk* */
GPtrArray           *pt_host_scan_get_usb      (PtHostScan *self);   /* PtUsbDevice* */
const PtBoot        *pt_host_scan_get_boot     (PtHostScan *self);
/* Non-fatal problems met while reading ("cpu5/topology/core_id: not a number"). */
const char * const  *pt_host_scan_get_notes    (PtHostScan *self);

G_END_DECLS
