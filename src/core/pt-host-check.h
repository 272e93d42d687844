/* pt-host-check.h: the readiness checklist of the Overview panel, like virt-host-validate. */
#pragma once

#include <gio/gio.h>

#include "pt-host-scan.h"

G_BEGIN_DECLS

typedef enum {
  PT_CHECK_OK,
  PT_CHECK_WARNING,   /* works, but not as well as it could */
  PT_CHECK_FAILED,    /* passthrough cannot work until this is fixed */
  PT_CHECK_UNKNOWN,   /* could not tell */
} PtCheckState;

typedef struct {
  char         *id;      /* "cpu-virtualization", "kvm", "iommu", "kernel-args", "vfio-pci",
                            "libvirt", "ovmf", "libvirt-group", "memory" */
  char         *title;   /* "CPU virtualization", translated */
  PtCheckState  state;
  char         *detail;  /* what was found: "AMD-V (svm) is on" */
  char         *fix;     /* one sentence on how to fix it; NULL when state is OK */
} PtHostCheck;

typedef struct {
  char *libvirt_uri;     /* "qemu:///system"; "test:///default" in the demo */
  char *user_name;       /* whose group membership to check; NULL for the current user */
} PtHostCheckOptions;

/* Runs every check. Blocking (libvirt is contacted): call from a worker thread. */
GPtrArray   *pt_host_check_run_sync  (PtHostScan               *scan,
                                      const PtHostCheckOptions *options,
                                      GCancellable             *cancellable);
void         pt_host_check_run_async (PtHostScan               *scan,
                                      const PtHostCheckOptions *options,
                                      GCancellable             *cancellable,
                                      GAsyncReadyCallback       callback,
                                      gpointer                  user_data);
GPtrArray   *pt_host_check_run_finish (GAsyncResult            *result,
                                       GError                 **error);
void         pt_host_check_free      (PtHostCheck              *self);
const char  *pt_check_state_to_string (PtCheckState             state);

G_END_DECLS
