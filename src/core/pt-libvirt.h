/* pt-libvirt.h: talking to libvirt (connect, versions, domains), always from worker threads. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define PT_LIBVIRT_ERROR (pt_libvirt_error_quark ())

typedef enum {
  PT_LIBVIRT_ERROR_NOT_RUNNING,   /* no daemon answers at the URI's socket */
  PT_LIBVIRT_ERROR_PERMISSION,    /* the daemon refused this user */
  PT_LIBVIRT_ERROR_INVALID_URI,   /* no driver for the URI, or a URI libvirt cannot parse */
  PT_LIBVIRT_ERROR_FAILED,        /* anything else libvirt reports */
} PtLibvirtError;

GQuark pt_libvirt_error_quark (void);

typedef struct {
  char    *uri;                 /* as the connection names itself ("qemu:///system") */
  char    *hypervisor;          /* driver name: "QEMU", "TEST" */
  guint64  hypervisor_version;  /* major * 1000000 + minor * 1000 + micro; 0 when unknown */
  guint64  library_version;     /* of the daemon's libvirt (the local library for local URIs) */
  guint    domain_count;        /* defined and running domains together */
  guint    active_count;        /* running domains */
} PtLibvirtInfo;

/*
 * Opens @uri read-only, reads versions and counts the domains, closes it again. Errors are
 * PT_LIBVIRT_ERROR with a sentence for the user followed by libvirt's own message.
 * Blocking: call from a worker thread, or use the async variant.
 */
PtLibvirtInfo *pt_libvirt_probe_sync    (const char           *uri,
                                         GCancellable         *cancellable,
                                         GError              **error);
void           pt_libvirt_probe_async   (const char           *uri,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
PtLibvirtInfo *pt_libvirt_probe_finish  (GAsyncResult         *result,
                                         GError              **error);
void           pt_libvirt_info_free     (PtLibvirtInfo        *self);

/* "9.0.0" for 9000000; "" for 0. */
char          *pt_libvirt_format_version (guint64              version);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtLibvirtInfo, pt_libvirt_info_free)

G_END_DECLS
