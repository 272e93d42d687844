/* pt-vm-panel.c: puts the user's choices into a libvirt virtual machine: which libvirt, a new VM
 * or one it has, a few guest options, the define itself with its XML preview, and the backups
 * kept before every change, each of which can be restored. */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pt-application.h"
#include "pt-domain-define.h"
#include "pt-resources.h"
#include "pt-vm-backups-group.h"
#include "pt-vm-choice-group.h"
#include "pt-vm-connection-group.h"
#include "pt-vm-panel.h"
#include "pt-vm-xml-window.h"

struct _PtVmPanel
{
  PtPanel              parent_instance;

  /* template children */
  AdwToastOverlay     *toast_overlay;
  PtVmConnectionGroup *connection_group;
  PtVmChoiceGroup     *choice_group;
  AdwComboRow         *guest_row;
  GtkSwitch           *hide_switch;
  GtkWidget           *xml_button;
  GtkWidget           *define_button;
  GtkSpinner          *define_spinner;
  GtkLabel            *define_label;
  GtkLabel            *define_hint;
  AdwPreferencesGroup *notes_group;
  PtVmBackupsGroup    *backups_group;

  guint                connect_idle_id;
  /* Bumped by every new connection or listing: answers for an older one are dropped. */
  guint                connection_generation;
  guint                domains_generation;
  PtVmConnectionState  connection;
  guint64              library_version;  /* from the probe; 0 until it answered */
  char                *other_computer;   /* from the probe: libvirt's host, when not this one */
  gboolean             listing_domains;
  gboolean             defining;         /* a define or a restore */
  gboolean             previewing;
  gboolean             busy;             /* what "busy" last said */
  GPtrArray           *domains;          /* PtLibvirtDomain*; NULL while libvirt has not listed */
  char                *domains_error;    /* why the last listing failed */
  GPtrArray           *note_rows;        /* GtkWidget*, owned by notes_group */
  char                *known_name;       /* the setup's name as the entry last showed it */
  char                *connected_uri;    /* the URI the domains are from */
  AdwToast            *toast;            /* the last one shown */
  gint64               toast_shown_at;   /* g_get_monotonic_time() when it was */
  AdwToast            *pending_toast;    /* the next one, until the last one is all in */
  guint                toast_timeout_id;
  gboolean             syncing;          /* the guest row is being set from the setup */
};

G_DEFINE_FINAL_TYPE (PtVmPanel, pt_vm_panel, PT_TYPE_PANEL)

/* A toast slides in for up to 500 ms when it replaces another. */
#define TOAST_SETTLE_MS 600

enum {
  PROP_0,
  PROP_CHOSEN,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void update_define (PtVmPanel *self);
static void list_domains (PtVmPanel *self);
static void show_domains_failure (PtVmPanel *self);

/* One async call of the panel. The panel is kept alive until the answer; the answer is dropped
 * when the panel was disposed meanwhile (cancelled) or a newer call of the same kind started. */
typedef struct {
  PtVmPanel *self;
  guint      generation;
  char      *name;    /* the domain it is about */
  char      *when;    /* a backup's time as the user saw it */
  gboolean   undo;    /* a restore started from a toast's Undo */
} Call;

static Call *
call_new (PtVmPanel  *self,
          guint       generation,
          const char *name)
{
  Call *call = g_new0 (Call, 1);

  call->self = g_object_ref (self);
  call->generation = generation;
  call->name = g_strdup (name);
  return call;
}

static void
call_free (Call *call)
{
  g_clear_object (&call->self);
  g_free (call->name);
  g_free (call->when);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Call, call_free)

/* The panel went away meanwhile: its widgets are gone, so the answer is not shown. */
static gboolean
call_cancelled (Call         *call,
                const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
         || g_cancellable_is_cancelled (pt_panel_get_cancellable (PT_PANEL (call->self)));
}

static PtApplication *
get_application (PtVmPanel *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkApplication *app;

  if (!GTK_IS_WINDOW (root))
    return NULL;
  app = gtk_window_get_application (GTK_WINDOW (root));
  return PT_IS_APPLICATION (app) ? PT_APPLICATION (app) : NULL;
}

static GtkWindow *
get_parent_window (PtVmPanel *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
update_busy (PtVmPanel *self)
{
  gboolean busy = self->connection == PT_VM_CONNECTION_CONNECTING || self->listing_domains
                  || pt_vm_backups_group_get_busy (self->backups_group) || self->defining
                  || self->previewing || self->connect_idle_id != 0
                  || self->toast_timeout_id != 0;

  if (self->busy == busy)
    return;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static const char *
get_chosen (PtVmPanel *self)
{
  return pt_vm_choice_group_get_chosen (self->choice_group);
}

/* A new toast replaces the last one rather than waiting in line behind it: it is the news.
 * @toast is taken over. */
static void
show_toast_now (PtVmPanel *self,
                AdwToast  *toast)
{
  if (self->toast != NULL)
    adw_toast_dismiss (self->toast);
  g_set_object (&self->toast, toast);
  self->toast_shown_at = g_get_monotonic_time ();
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static gboolean
toast_settled_cb (gpointer user_data)
{
  PtVmPanel *self = user_data;

  self->toast_timeout_id = 0;
  show_toast_now (self, g_steal_pointer (&self->pending_toast));
  update_busy (self);
  return G_SOURCE_REMOVE;
}

/* libadwaita 1.2 frees a toast whose hiding ends before its sliding in does, and then ends the
 * sliding on freed memory: a toast is replaced only once it is all in. */
static void
show_toast (PtVmPanel *self,
            AdwToast  *toast)
{
  gint64 elapsed_ms = (g_get_monotonic_time () - self->toast_shown_at) / 1000;

  if (self->toast == NULL || elapsed_ms >= TOAST_SETTLE_MS)
    {
      show_toast_now (self, toast);
      return;
    }

  /* One still waiting is old news by now. */
  g_clear_object (&self->pending_toast);
  self->pending_toast = toast;
  if (self->toast_timeout_id == 0)
    self->toast_timeout_id = g_timeout_add ((guint) (TOAST_SETTLE_MS - elapsed_ms),
                                            toast_settled_cb, self);
  update_busy (self);
}

static void
show_error (PtVmPanel  *self,
            const char *heading,
            const char *body)
{
  GtkWidget *dialog = adw_message_dialog_new (get_parent_window (self), heading, body);

  gtk_widget_set_name (dialog, "vm-error-dialog");
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Connection */

/* The group shows the connection as the panel knows it. */
static void
show_connection (PtVmPanel *self,
                 const char *message)
{
  PtApplication *app = get_application (self);
  /* --connect and --demo make a new address last for this run only. */
  gboolean saved = app == NULL || !pt_application_get_libvirt_uri_overridden (app);

  pt_vm_connection_group_show (self->connection_group, self->connection,
                               pt_panel_get_libvirt_uri (PT_PANEL (self)), message);
  pt_vm_connection_group_set_contents (self->connection_group, self->library_version,
                                       self->domains);
  pt_vm_connection_group_set_other_computer (self->connection_group, self->other_computer);
  pt_vm_connection_group_set_saved (self->connection_group, saved);
}

static void
probe_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(Call) call = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PtLibvirtInfo) info = pt_libvirt_probe_finish (result, &error);
  PtVmPanel *self = call->self;

  if (call_cancelled (call, error) || call->generation != self->connection_generation)
    return;

  if (info == NULL)
    self->connection = PT_VM_CONNECTION_FAILED;
  else
    {
      self->connection = PT_VM_CONNECTION_CONNECTED;
      self->library_version = info->library_version;
      if (info->other_computer)
        self->other_computer = g_strdup (info->hostname);
    }
  show_connection (self, info == NULL ? error->message : NULL);
  show_domains_failure (self);
  update_define (self);
  update_busy (self);
}

static void
connect_to_libvirt (PtVmPanel *self)
{
  const char *uri = pt_panel_get_libvirt_uri (PT_PANEL (self));

  self->connection_generation++;
  self->connection = PT_VM_CONNECTION_CONNECTING;
  self->library_version = 0;
  g_clear_pointer (&self->other_computer, g_free);
  /* Another libvirt, or the same one asked again: nothing of the old answer is kept. */
  g_clear_pointer (&self->domains, g_ptr_array_unref);
  /* A domain of another libvirt is no choice here; the same one asked again keeps it. */
  if (g_strcmp0 (self->connected_uri, uri) != 0)
    {
      g_free (self->connected_uri);
      self->connected_uri = g_strdup (uri);
      pt_vm_choice_group_set_chosen (self->choice_group, NULL);
    }
  show_connection (self, NULL);

  pt_libvirt_probe_async (uri, pt_panel_get_cancellable (PT_PANEL (self)), probe_done_cb,
                          call_new (self, self->connection_generation, NULL));
  list_domains (self);
}

static gboolean
connect_idle_cb (gpointer user_data)
{
  PtVmPanel *self = user_data;

  self->connect_idle_id = 0;
  connect_to_libvirt (self);
  return G_SOURCE_REMOVE;
}

/* The window sets the URI and then the scan, one after the other: one connection for both. */
static void
queue_connect (PtVmPanel *self)
{
  if (pt_panel_get_scan (PT_PANEL (self)) == NULL || self->connect_idle_id != 0)
    return;

  self->connect_idle_id = g_idle_add (connect_idle_cb, self);
  update_busy (self);
}

static void
retry_cb (PtVmPanel *self)
{
  queue_connect (self);
}

static void
apply_uri_cb (PtVmPanel  *self,
              const char *uri)
{
  PtApplication *app = get_application (self);

  if (g_strcmp0 (uri, pt_panel_get_libvirt_uri (PT_PANEL (self))) == 0)
    {
      queue_connect (self);
      return;
    }

  /* Through the app, so that the setting and every panel of every window follow. */
  if (app != NULL)
    pt_application_set_libvirt_uri (app, uri);
  else
    pt_panel_set_libvirt_uri (PT_PANEL (self), uri);
}

static void
pt_vm_panel_libvirt_uri_changed (PtPanel *panel)
{
  queue_connect (PT_VM_PANEL (panel));
}

/* Domains */

/* A listing that failed: the connection row says why when libvirt did not answer at all. */
static void
show_domains_failure (PtVmPanel *self)
{
  if (self->domains != NULL || self->listing_domains)
    return;

  pt_vm_choice_group_set_domains (self->choice_group, NULL,
                                  self->connection == PT_VM_CONNECTION_FAILED
                                  ? _("Its virtual machines are listed here once libvirt answers.")
                                  : self->domains_error,
                                  FALSE);
}

static void
domains_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(Call) call = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) domains = pt_libvirt_list_domains_finish (result, &error);
  PtVmPanel *self = call->self;

  if (call_cancelled (call, error) || call->generation != self->domains_generation)
    return;

  self->listing_domains = FALSE;
  g_clear_pointer (&self->domains, g_ptr_array_unref);
  self->domains = g_steal_pointer (&domains);
  g_clear_pointer (&self->domains_error, g_free);
  if (self->domains == NULL)
    {
      self->domains_error = g_strdup (error->message);
      show_domains_failure (self);
    }
  else
    pt_vm_choice_group_set_domains (self->choice_group, self->domains, NULL, FALSE);

  pt_vm_connection_group_set_contents (self->connection_group, self->library_version,
                                       self->domains);
  pt_vm_backups_group_show (self->backups_group, get_chosen (self));
  update_define (self);
  update_busy (self);
}

static void
list_domains (PtVmPanel *self)
{
  self->domains_generation++;
  self->listing_domains = TRUE;
  /* Rows stay until the new list is in: a re-list after a define should not flicker. */
  if (self->domains == NULL)
    pt_vm_choice_group_set_domains (self->choice_group, NULL,
                                    _("Asking libvirt for its virtual machines…"), TRUE);
  pt_libvirt_list_domains_async (pt_panel_get_libvirt_uri (PT_PANEL (self)),
                                 pt_panel_get_cancellable (PT_PANEL (self)), domains_done_cb,
                                 call_new (self, self->domains_generation, NULL));
  update_define (self);
  update_busy (self);
}

static void
chosen_cb (PtVmPanel *self)
{
  pt_vm_backups_group_show (self->backups_group, get_chosen (self));
  update_define (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHOSEN]);
}

static void
name_changed_cb (PtVmPanel *self)
{
  const char *name = pt_vm_choice_group_get_name (self->choice_group);
  PtSetup *setup = pt_panel_get_setup (PT_PANEL (self));

  /* A name that libvirt has is still a name; an empty one or one with "/" is not written. */
  if (setup != NULL && pt_vm_name_is_usable (name))
    {
      g_free (self->known_name);
      self->known_name = g_strdup (name);
      pt_setup_set_name (setup, name);
    }
  update_define (self);
}

/* Define */

static void
update_define (PtVmPanel *self)
{
  PtHostScan *scan = pt_panel_get_scan (PT_PANEL (self));
  PtSetup *setup = pt_panel_get_setup (PT_PANEL (self));
  const char *entry_name = pt_vm_choice_group_get_name (self->choice_group);
  const char *chosen_name = get_chosen (self);
  const char *name = chosen_name != NULL ? chosen_name : entry_name;
  const PtLibvirtDomain *chosen = pt_vm_choice_group_find_domain (self->choice_group,
                                                                  chosen_name);
  g_autofree char *problem = pt_vm_choice_group_dup_name_problem (self->choice_group);
  g_autofree char *label = NULL;
  g_autofree char *hint = NULL;
  gboolean sensitive = FALSE;

  if (chosen_name != NULL)
    /* TRANSLATORS: the define button for an existing domain */
    label = g_strdup_printf (_("_Apply to “%s”"), chosen_name);
  else
    label = g_strdup (_("_Create Virtual Machine"));
  gtk_label_set_label (self->define_label, label);

  if (self->defining)
    hint = chosen_name != NULL
           ? g_strdup_printf (_("Applying your choices to “%s”…"), chosen_name)
           : g_strdup_printf (_("Creating “%s”…"), entry_name);
  else if (scan == NULL || setup == NULL)
    hint = g_strdup (_("The scan of this computer has to finish first."));
  else if (self->connection == PT_VM_CONNECTION_FAILED)
    hint = g_strdup (_("Connect to libvirt first: see Connection above."));
  else if (self->connection != PT_VM_CONNECTION_CONNECTED || self->domains == NULL)
    hint = g_strdup (self->listing_domains || self->connection != PT_VM_CONNECTION_CONNECTED
                     ? _("Waiting for libvirt…")
                     : _("libvirt did not list its virtual machines: see above."));
  else if (problem != NULL)
    hint = g_steal_pointer (&problem);
  else if (chosen_name == NULL)
    {
      sensitive = TRUE;
      hint = g_strdup_printf (_("Creates “%s” with your choices. libvirt checks it before "
                                "keeping it."),
                              name);
    }
  else
    {
      sensitive = TRUE;
      hint = g_strdup_printf (_("Keeps a backup of “%s”, then changes only what Passthrough "
                                "sets up; everything else stays as it is."),
                              name);
      if (chosen != NULL && chosen->active)
        {
          g_autofree char *joined = g_strdup_printf ("%s %s", hint,
                                                     _("It is running: the changes apply "
                                                       "when it next starts."));

          g_free (hint);
          hint = g_steal_pointer (&joined);
        }
    }

  gtk_label_set_label (self->define_hint, hint);
  gtk_widget_set_sensitive (self->define_button, sensitive);
  gtk_widget_set_visible (GTK_WIDGET (self->define_spinner), self->defining);
  gtk_spinner_set_spinning (self->define_spinner, self->defining);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->define_button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, hint,
                                  -1);

  /* The XML can be shown whenever it can be built, even when libvirt does not answer. */
  gtk_widget_set_sensitive (self->xml_button,
                            scan != NULL && setup != NULL && !self->previewing
                            && !self->defining
                            && (chosen_name != NULL || pt_vm_name_is_usable (entry_name)));
}

static void
clear_notes (PtVmPanel *self)
{
  for (guint i = 0; i < self->note_rows->len; i++)
    adw_preferences_group_remove (self->notes_group, g_ptr_array_index (self->note_rows, i));
  g_ptr_array_set_size (self->note_rows, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->notes_group), FALSE);
}

static void
show_notes (PtVmPanel *self,
            GPtrArray *warnings)
{
  clear_notes (self);
  for (guint i = 0; warnings != NULL && i < warnings->len; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

      gtk_widget_add_css_class (icon, "warning");
      gtk_widget_set_valign (icon, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Note"), -1);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), g_ptr_array_index (warnings, i));
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
      gtk_widget_set_name (row, "vm-note");
      adw_preferences_group_add (self->notes_group, row);
      g_ptr_array_add (self->note_rows, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->notes_group), self->note_rows->len > 0);
}

static void restore_backup (PtVmPanel  *self,
                            const char *path,
                            const char *name,
                            const char *when,
                            gboolean    undo);

static void
undo_clicked_cb (AdwToast  *toast,
                 PtVmPanel *self)
{
  restore_backup (self, g_object_get_data (G_OBJECT (toast), "backup-path"),
                  g_object_get_data (G_OBJECT (toast), "domain-name"), NULL, TRUE);
}

static void
define_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(Call) call = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PtDomainDefineResult) defined = pt_domain_define_finish (result, &error);
  PtVmPanel *self = call->self;
  g_autofree char *escaped = NULL;
  g_autofree char *title = NULL;
  AdwToast *toast;

  if (call_cancelled (call, error))
    return;

  self->defining = FALSE;
  if (defined == NULL)
    {
      g_autofree char *heading = g_strdup_printf (_("Could Not Define “%s”"), call->name);

      show_error (self, heading, error->message);
      update_define (self);
      update_busy (self);
      return;
    }

  show_notes (self, defined->warnings);

  /* Toast titles are markup; a domain name is text. */
  escaped = g_markup_escape_text (defined->name, -1);
  if (defined->domain != NULL && defined->domain->active)
    title = g_strdup_printf (_("“%s” is defined; the changes apply when it next starts"),
                             escaped);
  else
    title = g_strdup_printf (_("“%s” is defined"), escaped);
  toast = adw_toast_new (title);
  if (defined->backup_path != NULL)
    {
      adw_toast_set_button_label (toast, _("_Undo"));
      g_object_set_data_full (G_OBJECT (toast), "backup-path", g_strdup (defined->backup_path),
                              g_free);
      g_object_set_data_full (G_OBJECT (toast), "domain-name", g_strdup (defined->name), g_free);
      g_signal_connect_object (toast, "button-clicked", G_CALLBACK (undo_clicked_cb), self,
                               G_CONNECT_DEFAULT);
    }
  show_toast (self, toast);

  /* The new VM is the one the next change goes to. */
  pt_vm_choice_group_set_chosen (self->choice_group, defined->name);
  list_domains (self);
  update_define (self);
  update_busy (self);
}

static PtDomainDefineFlags
define_flags (PtVmPanel *self)
{
  return gtk_switch_get_active (self->hide_switch) ? PT_DOMAIN_DEFINE_KVM_HIDDEN
                                                   : PT_DOMAIN_DEFINE_FLAGS_NONE;
}

static void
define_clicked_cb (PtVmPanel *self)
{
  PtSetup *setup = pt_panel_get_setup (PT_PANEL (self));
  PtHostScan *scan = pt_panel_get_scan (PT_PANEL (self));
  const char *name;

  if (!gtk_widget_get_sensitive (self->define_button) || scan == NULL || setup == NULL)
    return;

  name = get_chosen (self) != NULL ? get_chosen (self) : pt_setup_get_name (setup);
  self->defining = TRUE;
  update_define (self);
  update_busy (self);
  pt_domain_define_async (pt_panel_get_libvirt_uri (PT_PANEL (self)), scan, setup,
                          get_chosen (self), define_flags (self),
                          pt_panel_get_cancellable (PT_PANEL (self)), define_done_cb,
                          call_new (self, 0, name));
}

static void
preview_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(Call) call = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PtDomainDefineResult) preview = pt_domain_define_finish (result, &error);
  PtVmPanel *self = call->self;

  if (call_cancelled (call, error))
    return;

  self->previewing = FALSE;
  update_define (self);
  update_busy (self);
  if (preview == NULL)
    {
      show_error (self, _("Could Not Build the XML"), error->message);
      return;
    }

  gtk_window_present (GTK_WINDOW (pt_vm_xml_window_new (get_parent_window (self), preview->name,
                                                       preview->xml)));
}

static void
show_xml_clicked_cb (PtVmPanel *self)
{
  PtSetup *setup = pt_panel_get_setup (PT_PANEL (self));
  PtHostScan *scan = pt_panel_get_scan (PT_PANEL (self));

  if (scan == NULL || setup == NULL || self->previewing)
    return;

  self->previewing = TRUE;
  update_define (self);
  update_busy (self);
  pt_domain_define_async (pt_panel_get_libvirt_uri (PT_PANEL (self)), scan, setup,
                          get_chosen (self), define_flags (self) | PT_DOMAIN_DEFINE_PREVIEW,
                          pt_panel_get_cancellable (PT_PANEL (self)), preview_done_cb,
                          call_new (self, 0, NULL));
}

/* Backups */

static void
restore_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(Call) call = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PtDomainDefineResult) restored = pt_domain_restore_backup_finish (result, &error);
  PtVmPanel *self = call->self;
  g_autofree char *escaped = NULL;
  g_autofree char *title = NULL;

  if (call_cancelled (call, error))
    return;

  self->defining = FALSE;
  if (restored == NULL)
    {
      g_autofree char *heading = g_strdup_printf (_("Could Not Restore “%s”"), call->name);

      show_error (self, heading, error->message);
      update_define (self);
      update_busy (self);
      return;
    }

  clear_notes (self);
  escaped = g_markup_escape_text (restored->name, -1);
  if (call->undo)
    title = g_strdup_printf (_("The change to “%s” is undone"), escaped);
  else if (call->when != NULL)
    /* TRANSLATORS: "“win11” is as it was on 5 March 2026, 14:03:07" */
    title = g_strdup_printf (_("“%s” is as it was on %s"), escaped, call->when);
  else
    title = g_strdup_printf (_("“%s” is restored"), escaped);
  show_toast (self, adw_toast_new (title));

  pt_vm_choice_group_set_chosen (self->choice_group, restored->name);
  list_domains (self);
  update_define (self);
  update_busy (self);
}

static void
restore_backup (PtVmPanel  *self,
                const char *path,
                const char *name,
                const char *when,
                gboolean    undo)
{
  Call *call;

  if (path == NULL || self->defining)
    return;

  call = call_new (self, 0, name);
  call->when = g_strdup (when);
  call->undo = undo;
  self->defining = TRUE;
  update_define (self);
  update_busy (self);
  pt_domain_restore_backup_async (pt_panel_get_libvirt_uri (PT_PANEL (self)), path,
                                  pt_panel_get_cancellable (PT_PANEL (self)), restore_done_cb,
                                  call);
}

/* The Backups group asked, and the user confirmed. */
static void
restore_cb (PtVmPanel  *self,
            const char *path,
            const char *name,
            const char *when)
{
  restore_backup (self, path, name, when, FALSE);
}

static void
backups_busy_cb (PtVmPanel *self)
{
  update_busy (self);
}

/* The setup and the scan */

static void
guest_selected_cb (PtVmPanel *self)
{
  PtSetup *setup = pt_panel_get_setup (PT_PANEL (self));

  if (self->syncing || setup == NULL)
    return;
  pt_setup_set_guest (setup, adw_combo_row_get_selected (self->guest_row) == 1
                             ? PT_GUEST_LINUX : PT_GUEST_WINDOWS);
}

static void
pt_vm_panel_setup_changed (PtPanel *panel)
{
  PtVmPanel *self = PT_VM_PANEL (panel);
  PtSetup *setup = pt_panel_get_setup (panel);
  const char *name;

  if (setup == NULL)
    return;

  self->syncing = TRUE;
  adw_combo_row_set_selected (self->guest_row,
                              pt_setup_get_guest (setup) == PT_GUEST_LINUX ? 1 : 0);
  /* Only a name that changed elsewhere replaces what the user is typing. */
  name = pt_setup_get_name (setup);
  if (g_strcmp0 (name, self->known_name) != 0)
    {
      g_free (self->known_name);
      self->known_name = g_strdup (name);
      pt_vm_choice_group_set_name (self->choice_group, name);
    }
  self->syncing = FALSE;
  update_define (self);
}

static void
pt_vm_panel_scan_changed (PtPanel *panel)
{
  PtVmPanel *self = PT_VM_PANEL (panel);

  /* A re-scan asks libvirt again too. */
  queue_connect (self);
  update_define (self);
}

static void
pt_vm_panel_dispose (GObject *object)
{
  PtVmPanel *self = PT_VM_PANEL (object);

  g_clear_handle_id (&self->connect_idle_id, g_source_remove);
  g_clear_handle_id (&self->toast_timeout_id, g_source_remove);
  g_clear_object (&self->pending_toast);
  /* The toast overlay is AdwBin's child and a template child both: unparented once, here. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), PT_TYPE_VM_PANEL);

  G_OBJECT_CLASS (pt_vm_panel_parent_class)->dispose (object);
}

static void
pt_vm_panel_finalize (GObject *object)
{
  PtVmPanel *self = PT_VM_PANEL (object);

  g_clear_pointer (&self->domains, g_ptr_array_unref);
  g_clear_pointer (&self->domains_error, g_free);
  g_clear_pointer (&self->note_rows, g_ptr_array_unref);
  g_clear_pointer (&self->known_name, g_free);
  g_clear_pointer (&self->connected_uri, g_free);
  g_clear_pointer (&self->other_computer, g_free);
  g_clear_object (&self->toast);

  G_OBJECT_CLASS (pt_vm_panel_parent_class)->finalize (object);
}

static void
pt_vm_panel_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  PtVmPanel *self = PT_VM_PANEL (object);

  switch (prop_id)
    {
    case PROP_CHOSEN:
      g_value_set_string (value, get_chosen (self));
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pt_vm_panel_class_init (PtVmPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  PtPanelClass *panel_class = PT_PANEL_CLASS (klass);

  object_class->dispose = pt_vm_panel_dispose;
  object_class->finalize = pt_vm_panel_finalize;
  object_class->get_property = pt_vm_panel_get_property;
  panel_class->scan_changed = pt_vm_panel_scan_changed;
  panel_class->setup_changed = pt_vm_panel_setup_changed;
  panel_class->libvirt_uri_changed = pt_vm_panel_libvirt_uri_changed;

  properties[PROP_CHOSEN] =
    g_param_spec_string ("chosen", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Naming the bundle pulls it out of the static library; its constructor registers it. */
  g_assert (pt_get_resource () != NULL);
  g_type_ensure (PT_TYPE_VM_CONNECTION_GROUP);
  g_type_ensure (PT_TYPE_VM_BACKUPS_GROUP);
  g_type_ensure (PT_TYPE_VM_CHOICE_GROUP);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/passthrough/Passthrough/ui/"
                                               "pt-vm-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, PtVmPanel, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PtVmPanel, connection_group);
  gtk_widget_class_bind_template_child (widget_class, PtVmPanel, choice_group);
  gtk_widget_class_bind_template_child (widget_class, PtVmPanel, guest_row);
  gtk_widget_class_bind_template_child (widget_class, PtVmPanel, hide_switch);
  gtk_widget_class_bind_template_child (widget_class, PtVmPanel, xml_button);
  gtk_widget_class_bind_template_child (widget_class, PtVmPanel, define_button);
  gtk_widget_class_bind_template_child (widget_class, PtVmPanel, define_spinner);
  gtk_widget_class_bind_template_child (widget_class, PtVmPanel, define_label);
  gtk_widget_class_bind_template_child (widget_class, PtVmPanel, define_hint);
  gtk_widget_class_bind_template_child (widget_class, PtVmPanel, notes_group);
  gtk_widget_class_bind_template_child (widget_class, PtVmPanel, backups_group);
  gtk_widget_class_bind_template_callback (widget_class, retry_cb);
  gtk_widget_class_bind_template_callback (widget_class, apply_uri_cb);
  gtk_widget_class_bind_template_callback (widget_class, restore_cb);
  gtk_widget_class_bind_template_callback (widget_class, backups_busy_cb);
  gtk_widget_class_bind_template_callback (widget_class, name_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, chosen_cb);
  gtk_widget_class_bind_template_callback (widget_class, guest_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, show_xml_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, define_clicked_cb);
}

static void
pt_vm_panel_init (PtVmPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->note_rows = g_ptr_array_new ();

  pt_panel_set_title (PT_PANEL (self), _("Virtual Machine"));
  pt_panel_set_icon_name (PT_PANEL (self), "pt-vm-symbolic");

  show_connection (self, NULL);
  update_define (self);
}

GtkWidget *
pt_vm_panel_new (void)
{
  return g_object_new (PT_TYPE_VM_PANEL, NULL);
}

const char *
pt_vm_panel_get_chosen (PtVmPanel *self)
{
  g_return_val_if_fail (PT_IS_VM_PANEL (self), NULL);

  return get_chosen (self);
}

gboolean
pt_vm_panel_get_busy (PtVmPanel *self)
{
  g_return_val_if_fail (PT_IS_VM_PANEL (self), FALSE);

  return self->busy;
}
