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
  char    *hostname;            /* the computer libvirt runs on; NULL when it does not say */
  gboolean other_computer;      /* that is not this computer (qemu+ssh://server/system) */
} PtLibvirtInfo;

/* Whether the libvirt at @uri runs on another computer: @uri names a server that is not this
 * one ("qemu+ssh://server/system"; "qemu:///system" is a local socket) and libvirt's @hostname
 * is not @local_hostname, compared without the domain and case-blind ("Server.lan" is
 * "server"). FALSE when anything is unknown (NULL or empty). */
gboolean pt_libvirt_is_other_computer (const char *uri,
                                       const char *hostname,
                                       const char *local_hostname);

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

/* Connections are kept open per URI for the life of the process (a remote URI logs in once;
 * libvirt's test:///default keeps its domains). This closes them all, e.g. before exit. */
void           pt_libvirt_close_connections (void);

/* "9.0.0" for 9000000; "" for 0. */
char          *pt_libvirt_format_version (guint64              version);

/* A domain of the connection, as the VM list shows it. */
typedef struct {
  char     *name;
  char     *uuid;        /* "5c1d8a0e-3f4b-4a7e-9d2c-6e8f1b2a3c4d" */
  int       state;       /* virDomainState: VIR_DOMAIN_RUNNING, VIR_DOMAIN_SHUTOFF, ... */
  gboolean  active;      /* running or paused */
  gboolean  persistent;  /* defined, not only started from XML */
} PtLibvirtDomain;

void           pt_libvirt_domain_free   (PtLibvirtDomain      *self);
/* "running", "shut off", ...: translated, for the list. */
const char    *pt_libvirt_domain_state_to_string (int          state);

/*
 * Each has a blocking _sync variant (for worker threads and tests) and an _async/_finish pair
 * that runs it in a worker thread. Errors are PT_LIBVIRT_ERROR with a sentence first.
 */

/* Every domain of @uri, defined and running, sorted by name: PtLibvirtDomain*. */
GPtrArray     *pt_libvirt_list_domains_sync   (const char           *uri,
                                               GCancellable         *cancellable,
                                               GError              **error);
void           pt_libvirt_list_domains_async  (const char           *uri,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
GPtrArray     *pt_libvirt_list_domains_finish (GAsyncResult         *result,
                                               GError              **error);

/* The persistent configuration of domain @name (VIR_DOMAIN_XML_INACTIVE): what an edit
 * starts from, and what a backup keeps. */
char          *pt_libvirt_get_domain_xml_sync   (const char         *uri,
                                                 const char         *name,
                                                 GCancellable       *cancellable,
                                                 GError            **error);
void           pt_libvirt_get_domain_xml_async  (const char         *uri,
                                                 const char         *name,
                                                 GCancellable       *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer            user_data);
char          *pt_libvirt_get_domain_xml_finish (GAsyncResult       *result,
                                                 GError            **error);

/* Defines (or redefines) the domain in @xml, checked against libvirt's schema
 * (VIR_DOMAIN_DEFINE_VALIDATE). Returns what libvirt now holds for it. */
PtLibvirtDomain *pt_libvirt_define_domain_sync   (const char         *uri,
                                                  const char         *xml,
                                                  GCancellable       *cancellable,
                                                  GError            **error);
void             pt_libvirt_define_domain_async  (const char         *uri,
                                                  const char         *xml,
                                                  GCancellable       *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer            user_data);
PtLibvirtDomain *pt_libvirt_define_domain_finish (GAsyncResult       *result,
                                                  GError            **error);

/* Removes the definition of the (stopped) domain @name with its UEFI variables. */
gboolean       pt_libvirt_undefine_domain_sync   (const char         *uri,
                                                  const char         *name,
                                                  GCancellable       *cancellable,
                                                  GError            **error);
void           pt_libvirt_undefine_domain_async  (const char         *uri,
                                                  const char         *name,
                                                  GCancellable       *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer            user_data);
gboolean       pt_libvirt_undefine_domain_finish (GAsyncResult       *result,
                                                  GError            **error);

/* libvirt's <domainCapabilities> for a KVM q35 x86_64 guest: firmware (OVMF, Secure Boot) and
 * TPM support; pt_domain_firmware_from_capabilities() reads it. */
char          *pt_libvirt_get_domain_capabilities_sync   (const char         *uri,
                                                          GCancellable       *cancellable,
                                                          GError            **error);
void           pt_libvirt_get_domain_capabilities_async  (const char         *uri,
                                                          GCancellable       *cancellable,
                                                          GAsyncReadyCallback callback,
                                                          gpointer            user_data);
char          *pt_libvirt_get_domain_capabilities_finish (GAsyncResult       *result,
                                                          GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtLibvirtInfo, pt_libvirt_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtLibvirtDomain, pt_libvirt_domain_free)

G_END_DECLS
