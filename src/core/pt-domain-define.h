/* pt-domain-define.h: the VM step as one call: read the chosen domain from libvirt, keep a
 * backup of it, apply the user's choices, define the result with validation; and restoring a
 * backup the same way. Everything runs in a worker thread. */
#pragma once

#include <gio/gio.h>

#include "pt-domain.h"
#include "pt-host-scan.h"
#include "pt-libvirt.h"
#include "pt-setup.h"

G_BEGIN_DECLS

typedef enum {
  PT_DOMAIN_DEFINE_FLAGS_NONE = 0,
  PT_DOMAIN_DEFINE_PREVIEW    = 1 << 0,  /* build the XML only: no backup, nothing defined */
  PT_DOMAIN_DEFINE_KVM_HIDDEN = 1 << 1,  /* <kvm><hidden state='on'/></kvm> */
} PtDomainDefineFlags;

typedef struct {
  char            *name;         /* the domain's name */
  char            *old_xml;      /* its definition before; NULL for a new VM */
  char            *xml;          /* what was defined (or, for a preview, would be) */
  char            *backup_path;  /* where old_xml was kept; NULL for a new VM or a preview */
  GPtrArray       *warnings;     /* char*: what the user should know; never NULL */
  PtLibvirtDomain *domain;       /* what libvirt now holds; NULL for a preview */
} PtDomainDefineResult;

void pt_domain_define_result_free (PtDomainDefineResult *self);

/* Whether @name can name a new VM: not empty, no "/", not starting with ".", no control
 * characters, at most 200 bytes (it becomes a file name too). FALSE with
 * PT_DOMAIN_ERROR_NAME and a sentence otherwise. */
gboolean pt_domain_check_name (const char *name,
                               GError    **error);

/*
 * The firmware a new VM gets at @uri, from libvirt's domain capabilities. When libvirt cannot
 * say (an older or a test driver), the default of pt_domain_firmware_new_default() with a
 * sentence about it added to @warnings (char*). Blocking.
 */
PtDomainFirmware *pt_domain_firmware_for_uri (const char    *uri,
                                              PtHostScan    *scan,
                                              GPtrArray     *warnings,
                                              GCancellable  *cancellable);

/*
 * Builds the domain for @setup on @scan's host and defines it at @uri
 * (VIR_DOMAIN_DEFINE_VALIDATE). @existing names the domain to edit; NULL makes a new VM named
 * pt_setup_get_name(@setup), refused with PT_DOMAIN_ERROR_NAME when the name is unusable
 * (pt_domain_check_name()) or @uri already has a domain of that name. An edit first keeps the
 * current definition with pt_domain_save_backup(), and nothing is defined when that fails. The
 * firmware comes from the connection's domain capabilities, or libvirt's own choice when it has
 * none (with a warning).
 * @setup is copied when the call starts, so the user may go on changing it.
 */
PtDomainDefineResult *pt_domain_define_sync   (const char           *uri,
                                               PtHostScan           *scan,
                                               PtSetup              *setup,
                                               const char           *existing,
                                               PtDomainDefineFlags   flags,
                                               GCancellable         *cancellable,
                                               GError              **error);
void                  pt_domain_define_async  (const char           *uri,
                                               PtHostScan           *scan,
                                               PtSetup              *setup,
                                               const char           *existing,
                                               PtDomainDefineFlags   flags,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
PtDomainDefineResult *pt_domain_define_finish (GAsyncResult         *result,
                                               GError              **error);

/* A kept definition, as the backup list shows it. */
typedef struct {
  char      *path;
  char      *name;   /* the domain's name, read from the file */
  GDateTime *time;   /* when it was kept (UTC) */
} PtDomainBackup;

void       pt_domain_backup_free          (PtDomainBackup *self);

/* The backups of domain @name, newest first; an empty array when there are none. Files that
 * are not backups of @name (another domain whose name starts the same, unreadable or foreign
 * files) are skipped. */
GPtrArray *pt_domain_list_backups_sync    (const char           *name,
                                           GCancellable         *cancellable,
                                           GError              **error);
void       pt_domain_list_backups_async   (const char           *name,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
GPtrArray *pt_domain_list_backups_finish  (GAsyncResult         *result,
                                           GError              **error);

/*
 * Defines the backup at @path again at @uri. When the domain exists, its current definition is
 * kept as a new backup first, so that a restore can be undone too. result->xml is the backup's
 * text, result->old_xml the definition it replaced (NULL when the domain was gone).
 */
PtDomainDefineResult *pt_domain_restore_backup_sync   (const char          *uri,
                                                       const char          *path,
                                                       GCancellable        *cancellable,
                                                       GError             **error);
void                  pt_domain_restore_backup_async  (const char          *uri,
                                                       const char          *path,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
PtDomainDefineResult *pt_domain_restore_backup_finish (GAsyncResult        *result,
                                                       GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtDomainDefineResult, pt_domain_define_result_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtDomainBackup, pt_domain_backup_free)

G_END_DECLS
