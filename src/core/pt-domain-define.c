/* pt-domain-define.c: read the chosen domain, keep a backup, apply the choices, define with
 * validation; list and restore backups. Blocking work, run in worker threads by the _async. */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "pt-domain-define.h"
#include "pt-domain-private.h"

void
pt_domain_define_result_free (PtDomainDefineResult *self)
{
  if (self == NULL)
    return;

  g_free (self->name);
  g_free (self->old_xml);
  g_free (self->xml);
  g_free (self->backup_path);
  g_clear_pointer (&self->warnings, g_ptr_array_unref);
  g_clear_pointer (&self->domain, pt_libvirt_domain_free);
  g_free (self);
}

static PtDomainDefineResult *
result_new (void)
{
  PtDomainDefineResult *self = g_new0 (PtDomainDefineResult, 1);

  self->warnings = g_ptr_array_new_with_free_func (g_free);
  return self;
}

gboolean
pt_domain_check_name (const char  *name,
                      GError     **error)
{
  const char *problem = NULL;

  if (name == NULL || *name == '\0')
    problem = _("A virtual machine needs a name.");
  else if (!g_utf8_validate (name, -1, NULL))
    problem = _("The name is not valid text.");
  else if (strlen (name) > 200)
    problem = _("The name is too long; keep it under 200 characters.");
  else if (strchr (name, '/') != NULL)
    problem = _("The name cannot contain “/”.");
  else if (name[0] == '.')
    problem = _("The name cannot start with a dot.");
  else
    for (const char *p = name; *p != '\0' && problem == NULL; p = g_utf8_next_char (p))
      if (g_unichar_iscntrl (g_utf8_get_char (p)))
        problem = _("The name cannot contain control characters.");

  if (problem != NULL)
    {
      g_set_error_literal (error, PT_DOMAIN_ERROR, PT_DOMAIN_ERROR_NAME, problem);
      return FALSE;
    }
  return TRUE;
}

PtDomainFirmware *
pt_domain_firmware_for_uri (const char   *uri,
                            PtHostScan   *scan,
                            GPtrArray    *warnings,
                            GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *capabilities = NULL;
  PtDomainFirmware *firmware = NULL;

  capabilities = pt_libvirt_get_domain_capabilities_sync (uri, cancellable, &error);
  if (capabilities != NULL)
    firmware = pt_domain_firmware_from_capabilities (capabilities, &error);
  if (firmware != NULL)
    return firmware;

  if (warnings != NULL)
    g_ptr_array_add (warnings,
                     g_strdup_printf (_("The virtual machine lets libvirt choose its UEFI "
                                        "firmware when it starts: %s"), error->message));
  return pt_domain_firmware_new_default (scan);
}

/* Whether @uri has a domain called @name (defined or only running). */
static gboolean
domain_exists (const char    *uri,
               const char    *name,
               gboolean      *ret_exists,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autoptr(GPtrArray) domains = pt_libvirt_list_domains_sync (uri, cancellable, error);

  if (domains == NULL)
    return FALSE;

  *ret_exists = FALSE;
  for (guint i = 0; i < domains->len; i++)
    {
      PtLibvirtDomain *domain = g_ptr_array_index (domains, i);

      if (g_str_equal (domain->name, name))
        *ret_exists = TRUE;
    }
  return TRUE;
}

PtDomainDefineResult *
pt_domain_define_sync (const char           *uri,
                       PtHostScan           *scan,
                       PtSetup              *setup,
                       const char           *existing,
                       PtDomainDefineFlags   flags,
                       GCancellable         *cancellable,
                       GError              **error)
{
  g_autoptr(PtDomainDefineResult) result = result_new ();
  g_autoptr(PtDomainFirmware) firmware = NULL;
  PtDomainOptions options = { 0 };

  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (PT_IS_HOST_SCAN (scan), NULL);
  g_return_val_if_fail (PT_IS_SETUP (setup), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  firmware = pt_domain_firmware_for_uri (uri, scan, result->warnings, cancellable);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  options.firmware = firmware;
  options.kvm_hidden = (flags & PT_DOMAIN_DEFINE_KVM_HIDDEN) != 0;

  if (existing != NULL)
    {
      result->name = g_strdup (existing);
      result->old_xml = pt_libvirt_get_domain_xml_sync (uri, existing, cancellable, error);
      if (result->old_xml == NULL)
        return NULL;
      result->xml = pt_domain_edit_xml (result->old_xml, -1, scan, setup, &options,
                                        result->warnings, error);
    }
  else
    {
      gboolean taken = FALSE;

      result->name = g_strdup (pt_setup_get_name (setup));
      if (!pt_domain_check_name (result->name, error)
          || !domain_exists (uri, result->name, &taken, cancellable, error))
        return NULL;
      /* libvirt would refuse it too, but only after a sentence the user cannot act on. */
      if (taken)
        {
          g_set_error (error, PT_DOMAIN_ERROR, PT_DOMAIN_ERROR_NAME,
                       _("A virtual machine named “%s” already exists. Choose another name, "
                         "or choose that machine to change it."), result->name);
          return NULL;
        }
      result->xml = pt_domain_new_xml (scan, setup, &options, result->warnings, error);
    }
  if (result->xml == NULL)
    return NULL;

  if ((flags & PT_DOMAIN_DEFINE_PREVIEW) != 0)
    return g_steal_pointer (&result);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  /* Nothing is defined without a way back. */
  if (result->old_xml != NULL
      && !pt_domain_save_backup (result->old_xml, &result->backup_path, error))
    return NULL;

  result->domain = pt_libvirt_define_domain_sync (uri, result->xml, cancellable, error);
  if (result->domain == NULL)
    return NULL;

  return g_steal_pointer (&result);
}

/* ---- backups ------------------------------------------------------------------------- */

void
pt_domain_backup_free (PtDomainBackup *self)
{
  if (self == NULL)
    return;

  g_free (self->path);
  g_free (self->name);
  g_clear_pointer (&self->time, g_date_time_unref);
  g_free (self);
}

/* Reads a backup file, refusing what no backup can be (too large, not a file). */
static char *
read_backup (const char  *path,
             GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  GStatBuf info;

  if (g_lstat (path, &info) != 0 || !S_ISREG (info.st_mode))
    {
      g_set_error (error, PT_DOMAIN_ERROR, PT_DOMAIN_ERROR_BACKUP,
                   _("The backup %s is gone or is not a file."), path);
      return NULL;
    }
  if (info.st_size > PT_DOMAIN_MAX_XML_BYTES)
    {
      g_set_error (error, PT_DOMAIN_ERROR, PT_DOMAIN_ERROR_TOO_LARGE,
                   _("The backup %s is larger than any virtual machine needs."), path);
      return NULL;
    }
  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;
  if (strlen (contents) != length)
    {
      g_set_error (error, PT_DOMAIN_ERROR, PT_DOMAIN_ERROR_INVALID_XML,
                   _("The backup %s is not a text file."), path);
      return NULL;
    }
  return g_steal_pointer (&contents);
}

/* Two to four digits at @text as a number; the stamp is fixed-width, so no sign, no spaces. */
static int
stamp_field (const char *text,
             guint       digits)
{
  int value = 0;

  for (guint i = 0; i < digits; i++)
    value = value * 10 + (text[i] - '0');
  return value;
}

/* "20261125T194403Z.xml" or "20261125T194403Z-2.xml" (the second in that second). */
static gboolean
parse_backup_suffix (const char  *suffix,
                     GDateTime  **ret_time,
                     guint       *ret_serial)
{
  static const char pattern[] = "########T######Z";
  const char *rest = suffix + strlen (pattern);
  guint64 serial = 1;

  if (strlen (suffix) < strlen (pattern))
    return FALSE;
  for (gsize i = 0; pattern[i] != '\0'; i++)
    if (pattern[i] == '#' ? !g_ascii_isdigit (suffix[i]) : suffix[i] != pattern[i])
      return FALSE;

  if (!g_str_equal (rest, ".xml"))
    {
      g_autofree char *number = NULL;

      if (rest[0] != '-' || !g_str_has_suffix (rest, ".xml") || strlen (rest) > 12)
        return FALSE;
      number = g_strndup (rest + 1, strlen (rest) - 5);
      if (!g_ascii_string_to_unsigned (number, 10, 2, G_MAXUINT, &serial, NULL))
        return FALSE;
    }

  *ret_time = g_date_time_new_utc (stamp_field (suffix, 4), stamp_field (suffix + 4, 2),
                                   stamp_field (suffix + 6, 2), stamp_field (suffix + 9, 2),
                                   stamp_field (suffix + 11, 2), stamp_field (suffix + 13, 2));
  *ret_serial = (guint) serial;
  return *ret_time != NULL;
}

typedef struct {
  PtDomainBackup *backup;
  guint           serial;
} SortableBackup;

static void
clear_sortable_backup (gpointer data)
{
  g_clear_pointer (&((SortableBackup *) data)->backup, pt_domain_backup_free);
}

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  const SortableBackup *x = a;
  const SortableBackup *y = b;
  int by_time = g_date_time_compare (y->backup->time, x->backup->time);

  if (by_time != 0)
    return by_time;
  return y->serial < x->serial ? -1 : y->serial > x->serial;
}

GPtrArray *
pt_domain_list_backups_sync (const char    *name,
                             GCancellable  *cancellable,
                             GError       **error)
{
  g_autofree char *dir_path = pt_domain_backup_dir ();
  g_autofree char *prefix = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GArray) found = g_array_new (FALSE, FALSE, sizeof (SortableBackup));
  GPtrArray *backups;
  const char *file;

  g_return_val_if_fail (name != NULL, NULL);

  if (!pt_domain_check_name (name, error))
    return NULL;

  g_array_set_clear_func (found, clear_sortable_backup);
  dir = g_dir_open (dir_path, 0, &local_error);
  if (dir == NULL)
    {
      /* No backup was ever kept: nothing to list, nothing wrong. */
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_ptr_array_new_with_free_func ((GDestroyNotify) pt_domain_backup_free);
      g_set_error (error, PT_DOMAIN_ERROR, PT_DOMAIN_ERROR_BACKUP,
                   _("Could not read the backup folder (%s)."), local_error->message);
      return NULL;
    }

  prefix = g_strconcat (name, "-", NULL);
  while ((file = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *contents = NULL;
      g_autofree char *inner_name = NULL;
      GDateTime *time = NULL;
      SortableBackup entry;
      guint serial = 0;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      /* "win11-gaming-…" is not a backup of "win11": the rest must be exactly a time stamp. */
      if (!g_str_has_prefix (file, prefix)
          || !parse_backup_suffix (file + strlen (prefix), &time, &serial))
        continue;

      path = g_build_filename (dir_path, file, NULL);
      contents = read_backup (path, NULL);
      inner_name = contents != NULL ? pt_domain_get_name (contents, -1, NULL) : NULL;
      if (g_strcmp0 (inner_name, name) != 0)
        {
          g_date_time_unref (time);
          continue;
        }

      entry.backup = g_new0 (PtDomainBackup, 1);
      entry.backup->path = g_steal_pointer (&path);
      entry.backup->name = g_steal_pointer (&inner_name);
      entry.backup->time = time;
      entry.serial = serial;
      g_array_append_val (found, entry);
    }

  g_array_sort (found, compare_newest_first);
  backups = g_ptr_array_new_full (found->len, (GDestroyNotify) pt_domain_backup_free);
  for (guint i = 0; i < found->len; i++)
    {
      SortableBackup *entry = &g_array_index (found, SortableBackup, i);

      g_ptr_array_add (backups, g_steal_pointer (&entry->backup));
    }
  return backups;
}

PtDomainDefineResult *
pt_domain_restore_backup_sync (const char    *uri,
                               const char    *path,
                               GCancellable  *cancellable,
                               GError       **error)
{
  g_autoptr(PtDomainDefineResult) result = result_new ();
  gboolean exists = FALSE;

  g_return_val_if_fail (uri != NULL && path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  result->xml = read_backup (path, error);
  if (result->xml == NULL)
    return NULL;
  result->name = pt_domain_get_name (result->xml, -1, error);
  if (result->name == NULL || !domain_exists (uri, result->name, &exists, cancellable, error))
    return NULL;

  /* What the backup replaces is kept too, so that restoring can be undone. */
  if (exists)
    {
      result->old_xml = pt_libvirt_get_domain_xml_sync (uri, result->name, cancellable, error);
      if (result->old_xml == NULL
          || !pt_domain_save_backup (result->old_xml, &result->backup_path, error))
        return NULL;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  result->domain = pt_libvirt_define_domain_sync (uri, result->xml, cancellable, error);
  if (result->domain == NULL)
    return NULL;

  return g_steal_pointer (&result);
}

/* ---- in worker threads ----------------------------------------------------------------- */

typedef struct {
  char                *uri;
  PtHostScan          *scan;
  PtSetup             *setup;     /* a copy: the user may go on changing theirs */
  char                *existing;  /* the domain to edit, or a backup's path, or a name */
  PtDomainDefineFlags  flags;
} Job;

static void
job_free (Job *job)
{
  g_free (job->uri);
  g_clear_object (&job->scan);
  g_clear_object (&job->setup);
  g_free (job->existing);
  g_free (job);
}

static GTask *
start_job (gpointer             source_tag,
           const char          *uri,
           const char          *existing,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Job *job = g_new0 (Job, 1);

  job->uri = g_strdup (uri);
  job->existing = g_strdup (existing);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  return task;
}

static void
return_result (GTask                *task,
               PtDomainDefineResult *result,
               GError               *error)
{
  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify) pt_domain_define_result_free);
}

static void
define_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Job *job = task_data;
  GError *error = NULL;
  PtDomainDefineResult *result = pt_domain_define_sync (job->uri, job->scan, job->setup,
                                                        job->existing, job->flags, cancellable,
                                                        &error);

  return_result (task, result, error);
}

void
pt_domain_define_async (const char           *uri,
                        PtHostScan           *scan,
                        PtSetup              *setup,
                        const char           *existing,
                        PtDomainDefineFlags   flags,
                        GCancellable         *cancellable,
                        GAsyncReadyCallback   callback,
                        gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (uri != NULL);
  g_return_if_fail (PT_IS_HOST_SCAN (scan));
  g_return_if_fail (PT_IS_SETUP (setup));

  task = start_job (pt_domain_define_async, uri, existing, cancellable, callback, user_data);
  job = g_task_get_task_data (task);
  job->scan = g_object_ref (scan);
  job->setup = pt_setup_copy (setup);
  job->flags = flags;
  g_task_run_in_thread (task, define_thread);
}

PtDomainDefineResult *
pt_domain_define_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pt_domain_define_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
list_backups_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  Job *job = task_data;
  GError *error = NULL;
  GPtrArray *backups = pt_domain_list_backups_sync (job->existing, cancellable, &error);

  if (backups == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, backups, (GDestroyNotify) g_ptr_array_unref);
}

void
pt_domain_list_backups_async (const char          *name,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (name != NULL);

  task = start_job (pt_domain_list_backups_async, NULL, name, cancellable, callback,
                    user_data);
  g_task_run_in_thread (task, list_backups_thread);
}

GPtrArray *
pt_domain_list_backups_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == pt_domain_list_backups_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
restore_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Job *job = task_data;
  GError *error = NULL;
  PtDomainDefineResult *result = pt_domain_restore_backup_sync (job->uri, job->existing,
                                                                cancellable, &error);

  return_result (task, result, error);
}

void
pt_domain_restore_backup_async (const char          *uri,
                                const char          *path,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (uri != NULL && path != NULL);

  task = start_job (pt_domain_restore_backup_async, uri, path, cancellable, callback,
                    user_data);
  g_task_run_in_thread (task, restore_thread);
}

PtDomainDefineResult *
pt_domain_restore_backup_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == pt_domain_restore_backup_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
