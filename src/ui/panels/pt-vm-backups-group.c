/* pt-vm-backups-group.c: lists the definitions kept of a domain before each change, newest
 * first, and asks before one is restored; the Virtual Machine panel does the restore. */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pt-domain-define.h"
#include "pt-resources.h"
#include "pt-vm-backups-group.h"

struct _PtVmBackupsGroup
{
  AdwPreferencesGroup  parent_instance;

  /* template children */
  AdwActionRow        *status_row;
  GtkSpinner          *spinner;

  GCancellable        *cancellable;  /* cancelled on dispose */
  GPtrArray           *rows;         /* GtkWidget*, owned by the group */
  char                *name;         /* the domain listed; NULL: none */
  guint                generation;   /* bumped by every listing; older answers are dropped */
  gboolean             busy;
};

G_DEFINE_FINAL_TYPE (PtVmBackupsGroup, pt_vm_backups_group, ADW_TYPE_PREFERENCES_GROUP)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  RESTORE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* "5 March 2026, 14:03:07", in local time. */
static char *
format_backup_time (GDateTime *time)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (time);

  /* TRANSLATORS: when a backup was kept, in g_date_time_format() notation:
   * "5 March 2026, 14:03:07" */
  /* xgettext:no-c-format */
  return g_date_time_format (local, _("%-d %B %Y, %H:%M:%S"));
}

static void
set_busy (PtVmBackupsGroup *self,
          gboolean          busy)
{
  if (self->busy == busy)
    return;

  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
restore_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     PtVmBackupsGroup *self)
{
  if (g_strcmp0 (response, "restore") != 0)
    return;

  g_signal_emit (self, signals[RESTORE], 0,
                 g_object_get_data (G_OBJECT (dialog), "backup-path"),
                 g_object_get_data (G_OBJECT (dialog), "domain-name"),
                 g_object_get_data (G_OBJECT (dialog), "backup-time"));
}

static void
restore_clicked_cb (GtkButton        *button,
                    PtVmBackupsGroup *self)
{
  const char *path = g_object_get_data (G_OBJECT (button), "backup-path");
  const char *name = g_object_get_data (G_OBJECT (button), "domain-name");
  const char *when = g_object_get_data (G_OBJECT (button), "backup-time");
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *heading = g_strdup_printf (_("Restore “%s”?"), name);
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  /* TRANSLATORS: the restore question; %s is when the backup was kept */
  body = g_strdup_printf (_("It goes back to its definition as kept on %s. The one it has now is "
                            "kept as a backup first, so this can be undone too."),
                          when);
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading,
                                   body);
  gtk_widget_set_name (dialog, "vm-restore-dialog");
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "restore", _("_Restore"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "restore",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "restore");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  /* Copies: the list may be made again while the question is open. */
  g_object_set_data_full (G_OBJECT (dialog), "backup-path", g_strdup (path), g_free);
  g_object_set_data_full (G_OBJECT (dialog), "domain-name", g_strdup (name), g_free);
  g_object_set_data_full (G_OBJECT (dialog), "backup-time", g_strdup (when), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (restore_response_cb), self,
                           G_CONNECT_DEFAULT);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
clear_rows (PtVmBackupsGroup *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);
}

static GtkWidget *
create_row (PtVmBackupsGroup     *self,
            const PtDomainBackup *backup,
            guint                 index)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Restore…"));
  g_autofree char *when = format_backup_time (backup->time);
  g_autofree char *title = NULL;
  g_autofree char *button_label = NULL;
  g_autofree char *row_name = g_strdup_printf ("vm-backup-%u", index);
  g_autofree char *file_name = g_path_get_basename (backup->path);

  /* TRANSLATORS: a backup row: "Kept 5 March 2026, 14:03:07" */
  title = g_strdup_printf (_("Kept %s"), when);
  /* TRANSLATORS: the accessible name of a backup's Restore button */
  button_label = g_strdup_printf (_("Restore the definition kept %s"), when);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_name (button, "vm-backup-restore");
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  button_label, -1);
  g_object_set_data_full (G_OBJECT (button), "backup-path", g_strdup (backup->path), g_free);
  g_object_set_data_full (G_OBJECT (button), "domain-name", g_strdup (backup->name), g_free);
  g_object_set_data_full (G_OBJECT (button), "backup-time", g_strdup (when), g_free);
  g_signal_connect_object (button, "clicked", G_CALLBACK (restore_clicked_cb), self,
                           G_CONNECT_DEFAULT);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  /* The file name tells two backups of the same second apart; the path is a hover away. */
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), file_name);
  gtk_widget_set_tooltip_text (row, backup->path);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  gtk_widget_set_name (row, row_name);
  return row;
}

static void
show_status (PtVmBackupsGroup *self,
             const char       *text,
             gboolean          loading)
{
  gtk_widget_set_visible (GTK_WIDGET (self->status_row), text != NULL);
  if (text != NULL)
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->status_row), text);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), loading);
  gtk_spinner_set_spinning (self->spinner, loading);
}

/* One listing: the group stays alive until its answer, which is dropped when it is outdated. */
typedef struct {
  PtVmBackupsGroup *self;
  guint             generation;
} Listing;

static void
listing_free (Listing *listing)
{
  g_clear_object (&listing->self);
  g_free (listing);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Listing, listing_free)

static void
backups_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(Listing) listing = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) backups = pt_domain_list_backups_finish (result, &error);
  PtVmBackupsGroup *self = listing->self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || g_cancellable_is_cancelled (self->cancellable)
      || listing->generation != self->generation)
    return;

  clear_rows (self);
  if (backups == NULL)
    show_status (self, error->message, FALSE);
  else if (backups->len == 0)
    show_status (self, _("None yet. One is kept before every change, so that each change can be "
                         "undone."),
                 FALSE);
  else
    {
      show_status (self, NULL, FALSE);
      for (guint i = 0; i < backups->len; i++)
        {
          GtkWidget *row = create_row (self, g_ptr_array_index (backups, i), i);

          adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);
          g_ptr_array_add (self->rows, row);
        }
    }
  set_busy (self, FALSE);
}

void
pt_vm_backups_group_show (PtVmBackupsGroup *self,
                          const char       *name)
{
  g_autofree char *description = NULL;
  Listing *listing;

  g_return_if_fail (PT_IS_VM_BACKUPS_GROUP (self));

  self->generation++;
  gtk_widget_set_visible (GTK_WIDGET (self), name != NULL);
  /* Another domain's rows go at once; the same domain's stay until its new list is in. */
  if (g_strcmp0 (self->name, name) != 0 || self->rows->len == 0)
    {
      clear_rows (self);
      show_status (self, _("Looking for backups…"), TRUE);
    }
  g_free (self->name);
  self->name = g_strdup (name);
  if (name == NULL)
    {
      set_busy (self, FALSE);
      return;
    }

  description = g_strdup_printf (_("The definition of “%s” as it was before each change that "
                                   "Passthrough made."),
                                 name);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self), description);
  set_busy (self, TRUE);

  listing = g_new0 (Listing, 1);
  listing->self = g_object_ref (self);
  listing->generation = self->generation;
  pt_domain_list_backups_async (name, self->cancellable, backups_done_cb, listing);
}

gboolean
pt_vm_backups_group_get_busy (PtVmBackupsGroup *self)
{
  g_return_val_if_fail (PT_IS_VM_BACKUPS_GROUP (self), FALSE);

  return self->busy;
}

static void
pt_vm_backups_group_dispose (GObject *object)
{
  PtVmBackupsGroup *self = PT_VM_BACKUPS_GROUP (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (object), PT_TYPE_VM_BACKUPS_GROUP);

  G_OBJECT_CLASS (pt_vm_backups_group_parent_class)->dispose (object);
}

static void
pt_vm_backups_group_finalize (GObject *object)
{
  PtVmBackupsGroup *self = PT_VM_BACKUPS_GROUP (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->name, g_free);

  G_OBJECT_CLASS (pt_vm_backups_group_parent_class)->finalize (object);
}

static void
pt_vm_backups_group_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  PtVmBackupsGroup *self = PT_VM_BACKUPS_GROUP (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pt_vm_backups_group_class_init (PtVmBackupsGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pt_vm_backups_group_dispose;
  object_class->finalize = pt_vm_backups_group_finalize;
  object_class->get_property = pt_vm_backups_group_get_property;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[RESTORE] =
    g_signal_new ("restore", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);

  /* Naming the bundle pulls it out of the static library; its constructor registers it. */
  g_assert (pt_get_resource () != NULL);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/passthrough/Passthrough/ui/"
                                               "pt-vm-backups-group.ui");
  gtk_widget_class_bind_template_child (widget_class, PtVmBackupsGroup, status_row);
  gtk_widget_class_bind_template_child (widget_class, PtVmBackupsGroup, spinner);
}

static void
pt_vm_backups_group_init (PtVmBackupsGroup *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->rows = g_ptr_array_new ();
}

GtkWidget *
pt_vm_backups_group_new (void)
{
  return g_object_new (PT_TYPE_VM_BACKUPS_GROUP, NULL);
}
