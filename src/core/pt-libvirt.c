/* pt-libvirt.c: libvirt connections for the app, kept off the main thread and out of stderr. */

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <string.h>

#include "pt-libvirt.h"
#include "pt-libvirt-private.h"

G_DEFINE_QUARK (pt-libvirt-error-quark, pt_libvirt_error)


static void
silence_libvirt_cb (void        *user_data,
                    virErrorPtr  error)
{
  /* libvirt's default handler prints every error to stderr, also the ones the app expects
   * (no daemon yet); they reach the user as GErrors instead. */
}

static void
ensure_libvirt_initialized (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      /* virInitialize must run once before threads open connections concurrently. */
      virInitialize ();
      virSetErrorFunc (NULL, silence_libvirt_cb);
      g_once_init_leave (&initialized, 1);
    }
}

static PtLibvirtError
classify_libvirt_error (const virError *last)
{
  if (last == NULL)
    return PT_LIBVIRT_ERROR_FAILED;

  if (last->code == VIR_ERR_SYSTEM_ERROR)
    {
      /* For system errors libvirt keeps the errno in int1. */
      if (last->int1 == ENOENT || last->int1 == ECONNREFUSED)
        return PT_LIBVIRT_ERROR_NOT_RUNNING;
      if (last->int1 == EACCES || last->int1 == EPERM)
        return PT_LIBVIRT_ERROR_PERMISSION;
      return PT_LIBVIRT_ERROR_FAILED;
    }

  if (last->code == VIR_ERR_AUTH_FAILED
      || last->code == VIR_ERR_AUTH_CANCELLED
      || last->code == VIR_ERR_AUTH_UNAVAILABLE
      || last->code == VIR_ERR_ACCESS_DENIED
      || last->code == VIR_ERR_OPERATION_DENIED)
    return PT_LIBVIRT_ERROR_PERMISSION;

  if (last->code == VIR_ERR_NO_CONNECT
      || last->code == VIR_ERR_NO_SUPPORT
      || last->code == VIR_ERR_INVALID_ARG)
    return PT_LIBVIRT_ERROR_INVALID_URI;

  return PT_LIBVIRT_ERROR_FAILED;
}

/* Sets @error from libvirt's last error of this thread: a sentence, then libvirt's words. */
static void
set_error_from_libvirt (GError     **error,
                        const char  *uri,
                        gboolean     connecting)
{
  const virError *last = virGetLastError ();
  PtLibvirtError code = classify_libvirt_error (last);
  const char *detail = (last != NULL && last->message != NULL)
                       ? last->message : _("libvirt gave no reason");
  g_autofree char *sentence = NULL;

  if (!connecting)
    sentence = g_strdup_printf (_("libvirt at “%s” did not answer a question about its "
                                  "virtual machines."), uri);
  else
    switch (code)
      {
      case PT_LIBVIRT_ERROR_NOT_RUNNING:
        sentence = g_strdup_printf (_("No libvirt service is running for “%s”."), uri);
        break;
      case PT_LIBVIRT_ERROR_PERMISSION:
        sentence = g_strdup_printf (_("libvirt at “%s” does not let this user in."), uri);
        break;
      case PT_LIBVIRT_ERROR_INVALID_URI:
        sentence = g_strdup_printf (_("libvirt cannot open the connection address “%s”."), uri);
        break;
      case PT_LIBVIRT_ERROR_FAILED:
      default:
        sentence = g_strdup_printf (_("Could not connect to libvirt at “%s”."), uri);
        break;
      }

  g_set_error (error, PT_LIBVIRT_ERROR, code, "%s (%s)", sentence, detail);
  virResetLastError ();
}

void
pt_libvirt_info_free (PtLibvirtInfo *self)
{
  if (self == NULL)
    return;

  g_free (self->uri);
  g_free (self->hypervisor);
  g_free (self->hostname);
  g_free (self);
}

/* "Server.example.org" → "server"; an address stays whole; NULL for an unknown or local name. */
static char *
short_hostname (const char *hostname)
{
  g_autofree char *lower = NULL;
  char *dot;

  if (hostname == NULL || hostname[0] == '\0' || hostname[0] == '.')
    return NULL;
  lower = g_ascii_strdown (hostname, -1);
  if (!g_hostname_is_ip_address (lower))
    {
      dot = strchr (lower, '.');
      if (dot != NULL)
        *dot = '\0';
    }
  if (g_str_equal (lower, "localhost") || g_str_equal (lower, "127.0.0.1")
      || g_str_equal (lower, "::1") || g_str_equal (lower, "[::1]"))
    return NULL;
  return g_steal_pointer (&lower);
}

gboolean
pt_libvirt_is_other_computer (const char *uri,
                              const char *hostname,
                              const char *local_hostname)
{
  g_autoptr(GUri) parsed = NULL;
  g_autofree char *server = NULL;
  g_autofree char *remote = NULL;
  g_autofree char *local = NULL;

  /* No server in the URI: a socket on this computer, whatever name libvirt gives it (a
   * container may have its own). */
  if (uri == NULL)
    return FALSE;
  parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  if (parsed == NULL)
    return FALSE;
  server = short_hostname (g_uri_get_host (parsed));
  if (server == NULL)
    return FALSE;

  remote = short_hostname (hostname);
  local = short_hostname (local_hostname);
  return remote != NULL && local != NULL && !g_str_equal (remote, local);
}

char *
pt_libvirt_format_version (guint64 version)
{
  if (version == 0)
    return g_strdup ("");

  return g_strdup_printf ("%" G_GUINT64_FORMAT ".%" G_GUINT64_FORMAT ".%" G_GUINT64_FORMAT,
                          version / 1000000, (version / 1000) % 1000, version % 1000);
}

PtLibvirtInfo *
pt_libvirt_probe_sync (const char    *uri,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(virConnect) conn = NULL;
  g_autoptr(PtLibvirtInfo) info = NULL;
  virDomainPtr *domains = NULL;
  unsigned long hypervisor_version = 0;
  unsigned long library_version = 0;
  const char *type;
  char *canonical_uri;
  char *hostname;
  int n_domains;

  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Read-only is all a probe needs, and it does not trigger polkit prompts. */
  conn = pt_libvirt_open_connection (uri, TRUE, cancellable, error);
  if (conn == NULL)
    return NULL;

  info = g_new0 (PtLibvirtInfo, 1);

  canonical_uri = virConnectGetURI (conn);
  info->uri = g_strdup (canonical_uri != NULL ? canonical_uri : uri);
  free (canonical_uri);

  type = virConnectGetType (conn);
  info->hypervisor = g_strdup (type != NULL ? type : "");

  /* Some drivers do not know a hypervisor version; that is not worth failing for. */
  if (virConnectGetVersion (conn, &hypervisor_version) < 0)
    {
      hypervisor_version = 0;
      virResetLastError ();
    }
  if (virConnectGetLibVersion (conn, &library_version) < 0)
    {
      library_version = 0;
      virResetLastError ();
    }
  info->hypervisor_version = hypervisor_version;
  info->library_version = library_version;

  /* Which computer answered: the VM is built from this computer's devices. */
  hostname = virConnectGetHostname (conn);
  if (hostname == NULL)
    virResetLastError ();
  else if (g_utf8_validate (hostname, -1, NULL))
    info->hostname = g_strdup (hostname);
  free (hostname);
  info->other_computer = pt_libvirt_is_other_computer (info->uri, info->hostname,
                                                       g_get_host_name ());

  n_domains = virConnectListAllDomains (conn, &domains, 0);
  if (n_domains < 0)
    {
      set_error_from_libvirt (error, uri, FALSE);
      return NULL;
    }

  info->domain_count = (guint) n_domains;
  for (int i = 0; i < n_domains; i++)
    {
      if (virDomainIsActive (domains[i]) == 1)
        info->active_count++;
      virDomainFree (domains[i]);
    }
  free (domains);

  return g_steal_pointer (&info);
}

static gpointer
probe_call (const char    *uri,
            const char    *argument,
            GCancellable  *cancellable,
            GError       **error)
{
  return pt_libvirt_probe_sync (uri, cancellable, error);
}

void
pt_libvirt_probe_async (const char          *uri,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (uri != NULL);
  pt_libvirt_call_async (probe_call, (GDestroyNotify) pt_libvirt_info_free, uri, NULL,
                         pt_libvirt_probe_async, cancellable, callback, user_data);
}

PtLibvirtInfo *
pt_libvirt_probe_finish (GAsyncResult  *result,
                         GError       **error)
{
  return pt_libvirt_call_finish (result, pt_libvirt_probe_async, error);
}

/* ---- domains ------------------------------------------------------------------------- */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (virDomain, virDomainFree)

/* @error from libvirt's last error of this thread, after a sentence of the caller's. */
void
pt_libvirt_set_error (GError     **error,
                      const char  *sentence)
{
  const virError *last = virGetLastError ();
  PtLibvirtError code = classify_libvirt_error (last);
  const char *detail = (last != NULL && last->message != NULL)
                       ? last->message : _("libvirt gave no reason");

  g_set_error (error, PT_LIBVIRT_ERROR, code, "%s (%s)", sentence, detail);
  virResetLastError ();
}

/*
 * Connections stay open for the life of the process, one read-only and one read-write per URI:
 * a remote URI (qemu+ssh://) then logs in once, not on every question, and libvirt's
 * test:///default driver, which forgets its domains when its last connection closes, keeps
 * what the app defined (the demo relies on that). virConnect is safe to share between threads.
 */
static GMutex connections_lock;
static GHashTable *connections;   /* "ro:" or "rw:" + URI -> virConnect* */

static void
close_connection_cb (gpointer conn)
{
  virConnectClose (conn);
}

/* A read-write connection: defining needs one; as root or in the libvirt group it opens
 * without a prompt. Returns a new reference: close it with virConnectClose(). */
virConnect *
pt_libvirt_open_connection (const char    *uri,
                            gboolean       read_only,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_autofree char *key = g_strconcat (read_only ? "ro:" : "rw:", uri, NULL);
  g_autoptr(GMutexLocker) locker = NULL;
  virConnect *conn;

  ensure_libvirt_initialized ();
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  /* Held while opening too, so that two threads do not both log in to the same URI. */
  locker = g_mutex_locker_new (&connections_lock);
  if (connections == NULL)
    connections = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, close_connection_cb);

  conn = g_hash_table_lookup (connections, key);
  /* A daemon that restarted, or an ssh link that dropped, leaves a dead connection behind. */
  if (conn != NULL && virConnectIsAlive (conn) != 1)
    {
      virResetLastError ();
      g_hash_table_remove (connections, key);
      conn = NULL;
    }
  if (conn == NULL)
    {
      conn = read_only ? virConnectOpenReadOnly (uri) : virConnectOpen (uri);
      if (conn == NULL)
        {
          set_error_from_libvirt (error, uri, TRUE);
          return NULL;
        }
      g_hash_table_insert (connections, g_steal_pointer (&key), conn);
    }
  virConnectRef (conn);
  g_clear_pointer (&locker, g_mutex_locker_free);

  /* An open cannot be interrupted; drop its result when the caller went away meanwhile. */
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      virConnectClose (conn);
      return NULL;
    }
  return conn;
}

void
pt_libvirt_close_connections (void)
{
  g_mutex_lock (&connections_lock);
  g_clear_pointer (&connections, g_hash_table_unref);
  g_mutex_unlock (&connections_lock);
}

void
pt_libvirt_domain_free (PtLibvirtDomain *self)
{
  if (self == NULL)
    return;

  g_free (self->name);
  g_free (self->uuid);
  g_free (self);
}

const char *
pt_libvirt_domain_state_to_string (int state)
{
  switch (state)
    {
    case VIR_DOMAIN_RUNNING:
      return _("running");
    case VIR_DOMAIN_BLOCKED:
      return _("blocked");
    case VIR_DOMAIN_PAUSED:
      return _("paused");
    case VIR_DOMAIN_SHUTDOWN:
      return _("shutting down");
    case VIR_DOMAIN_SHUTOFF:
      return _("shut off");
    case VIR_DOMAIN_CRASHED:
      return _("crashed");
    case VIR_DOMAIN_PMSUSPENDED:
      return _("suspended");
    case VIR_DOMAIN_NOSTATE:
    default:
      return _("unknown");
    }
}

static PtLibvirtDomain *
domain_info (virDomain *domain)
{
  PtLibvirtDomain *info = g_new0 (PtLibvirtDomain, 1);
  char uuid[VIR_UUID_STRING_BUFLEN] = "";
  int state = VIR_DOMAIN_NOSTATE;
  int reason;

  info->name = g_strdup (virDomainGetName (domain));
  if (virDomainGetUUIDString (domain, uuid) < 0)
    virResetLastError ();
  info->uuid = g_strdup (uuid);
  if (virDomainGetState (domain, &state, &reason, 0) < 0)
    {
      state = VIR_DOMAIN_NOSTATE;
      virResetLastError ();
    }
  info->state = state;
  info->active = virDomainIsActive (domain) == 1;
  info->persistent = virDomainIsPersistent (domain) == 1;
  virResetLastError ();
  return info;
}

static int
compare_domains (gconstpointer a,
                 gconstpointer b)
{
  const PtLibvirtDomain *da = *(PtLibvirtDomain * const *) a;
  const PtLibvirtDomain *db = *(PtLibvirtDomain * const *) b;

  return g_utf8_collate (da->name, db->name);
}

GPtrArray *
pt_libvirt_list_domains_sync (const char    *uri,
                              GCancellable  *cancellable,
                              GError       **error)
{
  g_autoptr(virConnect) conn = NULL;
  virDomainPtr *domains = NULL;
  GPtrArray *list;
  int n;

  g_return_val_if_fail (uri != NULL, NULL);

  conn = pt_libvirt_open_connection (uri, TRUE, cancellable, error);
  if (conn == NULL)
    return NULL;

  n = virConnectListAllDomains (conn, &domains, 0);
  if (n < 0)
    {
      set_error_from_libvirt (error, uri, FALSE);
      return NULL;
    }

  list = g_ptr_array_new_with_free_func ((GDestroyNotify) pt_libvirt_domain_free);
  for (int i = 0; i < n; i++)
    {
      g_ptr_array_add (list, domain_info (domains[i]));
      virDomainFree (domains[i]);
    }
  free (domains);
  g_ptr_array_sort (list, compare_domains);
  return list;
}

char *
pt_libvirt_get_domain_xml_sync (const char    *uri,
                                const char    *name,
                                GCancellable  *cancellable,
                                GError       **error)
{
  g_autoptr(virConnect) conn = NULL;
  g_autoptr(virDomain) domain = NULL;
  char *xml;
  char *copy;

  g_return_val_if_fail (uri != NULL && name != NULL, NULL);

  conn = pt_libvirt_open_connection (uri, TRUE, cancellable, error);
  if (conn == NULL)
    return NULL;

  domain = virDomainLookupByName (conn, name);
  if (domain == NULL)
    {
      g_autofree char *sentence = g_strdup_printf (_("libvirt at “%s” has no virtual machine "
                                                     "named “%s”."), uri, name);

      pt_libvirt_set_error (error, sentence);
      return NULL;
    }

  /* The inactive XML is the configuration; the live one holds runtime details an edit must
   * not write back. */
  xml = virDomainGetXMLDesc (domain, VIR_DOMAIN_XML_INACTIVE);
  if (xml == NULL)
    {
      g_autofree char *sentence = g_strdup_printf (_("Could not read the configuration of "
                                                     "“%s”."), name);

      pt_libvirt_set_error (error, sentence);
      return NULL;
    }
  copy = g_strdup (xml);
  free (xml);
  return copy;
}

PtLibvirtDomain *
pt_libvirt_define_domain_sync (const char    *uri,
                               const char    *xml,
                               GCancellable  *cancellable,
                               GError       **error)
{
  g_autoptr(virConnect) conn = NULL;
  g_autoptr(virDomain) domain = NULL;

  g_return_val_if_fail (uri != NULL && xml != NULL, NULL);

  conn = pt_libvirt_open_connection (uri, FALSE, cancellable, error);
  if (conn == NULL)
    return NULL;

  domain = virDomainDefineXMLFlags (conn, xml, VIR_DOMAIN_DEFINE_VALIDATE);
  if (domain == NULL)
    {
      pt_libvirt_set_error (error, _("libvirt did not accept the virtual machine."));
      return NULL;
    }
  return domain_info (domain);
}

/* Undefines with the UEFI variables and saved state; drivers that do not know a flag (the test
 * driver knows no snapshot metadata) get asked with fewer. */
static gboolean
undefine_with_its_files (virDomain *domain)
{
  static const unsigned int attempts[] = {
    VIR_DOMAIN_UNDEFINE_NVRAM | VIR_DOMAIN_UNDEFINE_MANAGED_SAVE
    | VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA | VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA,
    VIR_DOMAIN_UNDEFINE_NVRAM | VIR_DOMAIN_UNDEFINE_MANAGED_SAVE,
    0,
  };

  for (guint i = 0; i < G_N_ELEMENTS (attempts); i++)
    {
      const virError *last;

      if (virDomainUndefineFlags (domain, attempts[i]) == 0)
        return TRUE;
      last = virGetLastError ();
      if (last == NULL || (last->code != VIR_ERR_INVALID_ARG && last->code != VIR_ERR_NO_SUPPORT))
        return FALSE;
      if (i + 1 < G_N_ELEMENTS (attempts))
        virResetLastError ();
    }
  return FALSE;
}

gboolean
pt_libvirt_undefine_domain_sync (const char    *uri,
                                 const char    *name,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  g_autoptr(virConnect) conn = NULL;
  g_autoptr(virDomain) domain = NULL;

  g_return_val_if_fail (uri != NULL && name != NULL, FALSE);

  conn = pt_libvirt_open_connection (uri, FALSE, cancellable, error);
  if (conn == NULL)
    return FALSE;

  domain = virDomainLookupByName (conn, name);
  if (domain == NULL)
    {
      g_autofree char *sentence = g_strdup_printf (_("libvirt at “%s” has no virtual machine "
                                                     "named “%s”."), uri, name);

      pt_libvirt_set_error (error, sentence);
      return FALSE;
    }
  if (!undefine_with_its_files (domain))
    {
      g_autofree char *sentence = g_strdup_printf (_("Could not remove the virtual machine "
                                                     "“%s”."), name);

      pt_libvirt_set_error (error, sentence);
      return FALSE;
    }
  return TRUE;
}

char *
pt_libvirt_get_domain_capabilities_sync (const char    *uri,
                                         GCancellable  *cancellable,
                                         GError       **error)
{
  g_autoptr(virConnect) conn = NULL;
  char *xml;
  char *copy;

  g_return_val_if_fail (uri != NULL, NULL);

  /* libvirt refuses domain capabilities on read-only connections. */
  conn = pt_libvirt_open_connection (uri, FALSE, cancellable, error);
  if (conn == NULL)
    return NULL;

  xml = virConnectGetDomainCapabilities (conn, NULL, "x86_64", "q35", "kvm", 0);
  if (xml == NULL)
    {
      /* A host without KVM still describes what a QEMU-emulated guest gets. */
      virResetLastError ();
      xml = virConnectGetDomainCapabilities (conn, NULL, "x86_64", "q35", "qemu", 0);
    }
  if (xml == NULL)
    {
      pt_libvirt_set_error (error, _("libvirt could not say which firmware a virtual "
                                        "machine can use."));
      return NULL;
    }
  copy = g_strdup (xml);
  free (xml);
  return copy;
}

/* ---- the same in worker threads ------------------------------------------------------ */

typedef struct {
  PtLibvirtCallFunc  func;
  GDestroyNotify     free_result;
  char              *uri;
  char              *argument;
} Call;

static void
call_free (Call *call)
{
  g_free (call->uri);
  g_free (call->argument);
  g_free (call);
}

static void
call_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Call *call = task_data;
  g_autoptr(GError) error = NULL;
  gpointer result = call->func (call->uri, call->argument, cancellable, &error);

  if (result != NULL && error == NULL)
    {
      g_task_return_pointer (task, result, call->free_result);
      return;
    }

  /* Callers read the error of a NULL result: there is always one, and no result leaks. */
  if (result != NULL && call->free_result != NULL)
    call->free_result (result);
  if (error == NULL)
    g_set_error (&error, PT_LIBVIRT_ERROR, PT_LIBVIRT_ERROR_FAILED,
                 _("libvirt at “%s” gave no answer."), call->uri);
  g_task_return_error (task, g_steal_pointer (&error));
}

void
pt_libvirt_call_async (PtLibvirtCallFunc    func,
                       GDestroyNotify       free_result,
                       const char          *uri,
                       const char          *argument,
                       gpointer             source_tag,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  Call *call = g_new0 (Call, 1);

  call->func = func;
  call->free_result = free_result;
  call->uri = g_strdup (uri);
  call->argument = g_strdup (argument);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);
  g_task_run_in_thread (task, call_thread);
}

gpointer
pt_libvirt_call_finish (GAsyncResult  *result,
                        gpointer       source_tag,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The synchronous calls in PtLibvirtCallFunc's shape. */

static gpointer
list_domains_call (const char    *uri,
                   const char    *argument,
                   GCancellable  *cancellable,
                   GError       **error)
{
  return pt_libvirt_list_domains_sync (uri, cancellable, error);
}

static gpointer
get_domain_xml_call (const char    *uri,
                     const char    *name,
                     GCancellable  *cancellable,
                     GError       **error)
{
  return pt_libvirt_get_domain_xml_sync (uri, name, cancellable, error);
}

static gpointer
define_domain_call (const char    *uri,
                    const char    *xml,
                    GCancellable  *cancellable,
                    GError       **error)
{
  return pt_libvirt_define_domain_sync (uri, xml, cancellable, error);
}

static gpointer
undefine_domain_call (const char    *uri,
                      const char    *name,
                      GCancellable  *cancellable,
                      GError       **error)
{
  return GINT_TO_POINTER (pt_libvirt_undefine_domain_sync (uri, name, cancellable, error));
}

static gpointer
get_domain_capabilities_call (const char    *uri,
                              const char    *argument,
                              GCancellable  *cancellable,
                              GError       **error)
{
  return pt_libvirt_get_domain_capabilities_sync (uri, cancellable, error);
}

void
pt_libvirt_list_domains_async (const char          *uri,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (uri != NULL);
  pt_libvirt_call_async (list_domains_call, (GDestroyNotify) g_ptr_array_unref, uri, NULL,
                         pt_libvirt_list_domains_async, cancellable, callback, user_data);
}

GPtrArray *
pt_libvirt_list_domains_finish (GAsyncResult  *result,
                                GError       **error)
{
  return pt_libvirt_call_finish (result, pt_libvirt_list_domains_async, error);
}

void
pt_libvirt_get_domain_xml_async (const char          *uri,
                                 const char          *name,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (uri != NULL && name != NULL);
  pt_libvirt_call_async (get_domain_xml_call, g_free, uri, name,
                         pt_libvirt_get_domain_xml_async, cancellable, callback, user_data);
}

char *
pt_libvirt_get_domain_xml_finish (GAsyncResult  *result,
                                  GError       **error)
{
  return pt_libvirt_call_finish (result, pt_libvirt_get_domain_xml_async, error);
}

void
pt_libvirt_define_domain_async (const char          *uri,
                                const char          *xml,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (uri != NULL && xml != NULL);
  pt_libvirt_call_async (define_domain_call, (GDestroyNotify) pt_libvirt_domain_free, uri, xml,
                         pt_libvirt_define_domain_async, cancellable, callback, user_data);
}

PtLibvirtDomain *
pt_libvirt_define_domain_finish (GAsyncResult  *result,
                                 GError       **error)
{
  return pt_libvirt_call_finish (result, pt_libvirt_define_domain_async, error);
}

void
pt_libvirt_undefine_domain_async (const char          *uri,
                                  const char          *name,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (uri != NULL && name != NULL);
  pt_libvirt_call_async (undefine_domain_call, NULL, uri, name,
                         pt_libvirt_undefine_domain_async, cancellable, callback, user_data);
}

gboolean
pt_libvirt_undefine_domain_finish (GAsyncResult  *result,
                                   GError       **error)
{
  return pt_libvirt_call_finish (result, pt_libvirt_undefine_domain_async, error) != NULL;
}

void
pt_libvirt_get_domain_capabilities_async (const char          *uri,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_return_if_fail (uri != NULL);
  pt_libvirt_call_async (get_domain_capabilities_call, g_free, uri, NULL,
                         pt_libvirt_get_domain_capabilities_async, cancellable, callback,
                         user_data);
}

char *
pt_libvirt_get_domain_capabilities_finish (GAsyncResult  *result,
                                           GError       **error)
{
  return pt_libvirt_call_finish (result, pt_libvirt_get_domain_capabilities_async, error);
}
