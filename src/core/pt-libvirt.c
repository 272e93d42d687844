/* pt-libvirt.c: libvirt connections for the app, kept off the main thread and out of stderr. */

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "pt-libvirt.h"

G_DEFINE_QUARK (pt-libvirt-error-quark, pt_libvirt_error)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (virConnect, virConnectClose)

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
  g_free (self);
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
  int n_domains;

  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  ensure_libvirt_initialized ();

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  /* Read-only is all a probe needs, and it does not trigger polkit prompts. */
  conn = virConnectOpenReadOnly (uri);
  if (conn == NULL)
    {
      set_error_from_libvirt (error, uri, TRUE);
      return NULL;
    }

  /* An open cannot be interrupted; drop its result when the caller went away meanwhile. */
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
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

static void
probe_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  const char *uri = task_data;
  g_autoptr(GError) error = NULL;
  PtLibvirtInfo *info;

  info = pt_libvirt_probe_sync (uri, cancellable, &error);
  if (info == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, info, (GDestroyNotify) pt_libvirt_info_free);
}

void
pt_libvirt_probe_async (const char          *uri,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (uri != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, pt_libvirt_probe_async);
  g_task_set_task_data (task, g_strdup (uri), g_free);
  g_task_run_in_thread (task, probe_thread);
}

PtLibvirtInfo *
pt_libvirt_probe_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pt_libvirt_probe_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
