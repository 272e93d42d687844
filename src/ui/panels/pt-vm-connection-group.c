/* pt-vm-connection-group.c: says which libvirt the Virtual Machine panel talks to and how that
 * goes: what it holds ("libvirt 9.0.0 · 3 virtual machines"), or its error with Try Again; and
 * takes a new address. The panel does the talking. */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pt-libvirt.h"
#include "pt-resources.h"
#include "pt-vm-connection-group.h"

struct _PtVmConnectionGroup
{
  AdwPreferencesGroup  parent_instance;

  /* template children */
  AdwActionRow        *connection_row;
  GtkStack            *state_stack;
  GtkSpinner          *spinner;
  GtkWidget           *retry_button;
  AdwActionRow        *other_computer_row;
  AdwEntryRow         *uri_row;

  PtVmConnectionState  state;
  char                *uri;
  gboolean             syncing;  /* the entry is being set to the URI in use */
};

G_DEFINE_FINAL_TYPE (PtVmConnectionGroup, pt_vm_connection_group, ADW_TYPE_PREFERENCES_GROUP)

enum {
  RETRY,
  APPLY_URI,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* "libvirt 9.0.0 · 3 virtual machines, 1 running" */
static char *
describe_contents (guint64    library_version,
                   GPtrArray *domains)
{
  g_autofree char *version = pt_libvirt_format_version (library_version);
  g_autofree char *count = NULL;
  guint total = domains != NULL ? domains->len : 0;
  guint running = 0;

  for (guint i = 0; i < total; i++)
    if (((PtLibvirtDomain *) g_ptr_array_index (domains, i))->active)
      running++;

  if (running > 0)
    /* TRANSLATORS: what a libvirt holds: "3 virtual machines, 1 running" */
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u virtual machine, %u running",
                                          "%u virtual machines, %u running", total),
                             total, running);
  else
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u virtual machine",
                                          "%u virtual machines", total),
                             total);
  if (version[0] == '\0')
    return g_steal_pointer (&count);
  /* TRANSLATORS: the connection's summary: "libvirt 9.0.0 · 3 virtual machines" */
  return g_strdup_printf (_("libvirt %s · %s"), version, count);
}

void
pt_vm_connection_group_show (PtVmConnectionGroup *self,
                             PtVmConnectionState  state,
                             const char          *uri,
                             const char          *message)
{
  gboolean busy = state == PT_VM_CONNECTION_WAITING || state == PT_VM_CONNECTION_CONNECTING;

  g_return_if_fail (PT_IS_VM_CONNECTION_GROUP (self));
  g_return_if_fail (uri != NULL);

  self->state = state;
  g_free (self->uri);
  self->uri = g_strdup (uri);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->connection_row), uri);
  gtk_widget_set_visible (self->retry_button, state == PT_VM_CONNECTION_FAILED);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_stack_set_visible_child_name (self->state_stack,
                                    busy ? "busy"
                                    : state == PT_VM_CONNECTION_CONNECTED ? "ok" : "error");
  if (state == PT_VM_CONNECTION_WAITING)
    adw_action_row_set_subtitle (self->connection_row,
                                 _("Waiting for the scan of this computer to finish…"));
  else if (state == PT_VM_CONNECTION_CONNECTING)
    adw_action_row_set_subtitle (self->connection_row, _("Connecting…"));
  else if (state == PT_VM_CONNECTION_FAILED)
    adw_action_row_set_subtitle (self->connection_row, message);
  /* CONNECTED: pt_vm_connection_group_set_contents() says what it holds. */

  self->syncing = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->uri_row), uri);
  self->syncing = FALSE;
}

void
pt_vm_connection_group_set_contents (PtVmConnectionGroup *self,
                                     guint64              library_version,
                                     GPtrArray           *domains)
{
  g_autofree char *summary = NULL;

  g_return_if_fail (PT_IS_VM_CONNECTION_GROUP (self));

  if (self->state != PT_VM_CONNECTION_CONNECTED)
    return;
  summary = describe_contents (library_version, domains);
  adw_action_row_set_subtitle (self->connection_row, summary);
}

void
pt_vm_connection_group_set_other_computer (PtVmConnectionGroup *self,
                                           const char          *hostname)
{
  g_autofree char *subtitle = NULL;

  g_return_if_fail (PT_IS_VM_CONNECTION_GROUP (self));

  gtk_widget_set_visible (GTK_WIDGET (self->other_computer_row), hostname != NULL);
  if (hostname == NULL)
    return;

  subtitle = g_strdup_printf (_("This libvirt runs on “%s”. The virtual machine gets the "
                                "graphics card, processor cores, disks and input devices of "
                                "this computer, which “%s” may not have or may need itself. "
                                "To set up a virtual machine there, run Passthrough on “%s”."),
                              hostname, hostname, hostname);
  adw_action_row_set_subtitle (self->other_computer_row, subtitle);
}

void
pt_vm_connection_group_set_saved (PtVmConnectionGroup *self,
                                  gboolean             saved)
{
  g_return_if_fail (PT_IS_VM_CONNECTION_GROUP (self));

  adw_preferences_group_set_description (
    ADW_PREFERENCES_GROUP (self),
    saved ? _("Where the virtual machine is kept: qemu:///system on this computer, as in "
              "virt-manager, or another computer’s, such as qemu+ssh://host/system. A new "
              "address is kept for next time.")
          : _("Where the virtual machine is kept: qemu:///system on this computer, as in "
              "virt-manager, or another computer’s, such as qemu+ssh://host/system. This run "
              "was started with its own address, so a new one lasts until Passthrough closes."));
}

static void
retry_clicked_cb (PtVmConnectionGroup *self)
{
  g_signal_emit (self, signals[RETRY], 0);
}

static void
uri_apply_cb (PtVmConnectionGroup *self)
{
  g_autofree char *uri = g_strstrip (g_strdup (gtk_editable_get_text (
                                                 GTK_EDITABLE (self->uri_row))));

  if (self->syncing)
    return;

  /* An empty address is no address: the one in use comes back, asked again. */
  if (uri[0] == '\0' || g_strcmp0 (uri, self->uri) == 0)
    {
      self->syncing = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->uri_row), self->uri != NULL ? self->uri : "");
      self->syncing = FALSE;
      g_signal_emit (self, signals[RETRY], 0);
      return;
    }
  g_signal_emit (self, signals[APPLY_URI], 0, uri);
}

static void
pt_vm_connection_group_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PT_TYPE_VM_CONNECTION_GROUP);

  G_OBJECT_CLASS (pt_vm_connection_group_parent_class)->dispose (object);
}

static void
pt_vm_connection_group_finalize (GObject *object)
{
  PtVmConnectionGroup *self = PT_VM_CONNECTION_GROUP (object);

  g_clear_pointer (&self->uri, g_free);

  G_OBJECT_CLASS (pt_vm_connection_group_parent_class)->finalize (object);
}

static void
pt_vm_connection_group_class_init (PtVmConnectionGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pt_vm_connection_group_dispose;
  object_class->finalize = pt_vm_connection_group_finalize;

  signals[RETRY] =
    g_signal_new ("retry", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  signals[APPLY_URI] =
    g_signal_new ("apply-uri", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  /* Naming the bundle pulls it out of the static library; its constructor registers it. */
  g_assert (pt_get_resource () != NULL);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/passthrough/Passthrough/ui/"
                                               "pt-vm-connection-group.ui");
  gtk_widget_class_bind_template_child (widget_class, PtVmConnectionGroup, connection_row);
  gtk_widget_class_bind_template_child (widget_class, PtVmConnectionGroup, state_stack);
  gtk_widget_class_bind_template_child (widget_class, PtVmConnectionGroup, spinner);
  gtk_widget_class_bind_template_child (widget_class, PtVmConnectionGroup, retry_button);
  gtk_widget_class_bind_template_child (widget_class, PtVmConnectionGroup, other_computer_row);
  gtk_widget_class_bind_template_child (widget_class, PtVmConnectionGroup, uri_row);
  gtk_widget_class_bind_template_callback (widget_class, retry_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, uri_apply_cb);
}

static void
pt_vm_connection_group_init (PtVmConnectionGroup *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  pt_vm_connection_group_set_saved (self, TRUE);
}

GtkWidget *
pt_vm_connection_group_new (void)
{
  return g_object_new (PT_TYPE_VM_CONNECTION_GROUP, NULL);
}
