/* pt-vm-choice-group.c: a new virtual machine by the name typed, or one of the connection's
 * domains, as grouped check buttons; says why a name cannot be used and why a transient domain
 * cannot be chosen. */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pt-domain-define.h"
#include "pt-resources.h"
#include "pt-vm-choice-group.h"

struct _PtVmChoiceGroup
{
  AdwPreferencesGroup  parent_instance;

  /* template children */
  AdwEntryRow         *new_row;
  GtkCheckButton      *new_check;
  AdwActionRow        *problem_row;
  AdwActionRow        *status_row;
  GtkSpinner          *spinner;

  GPtrArray           *domains;  /* PtLibvirtDomain*; NULL while there is no list */
  GPtrArray           *rows;     /* GtkWidget*, owned by the group */
  char                *chosen;
  gboolean             syncing;  /* check buttons or the entry are being set, not the user */
};

G_DEFINE_FINAL_TYPE (PtVmChoiceGroup, pt_vm_choice_group, ADW_TYPE_PREFERENCES_GROUP)

enum {
  PROP_0,
  PROP_CHOSEN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  NAME_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

gboolean
pt_vm_name_is_usable (const char *name)
{
  return pt_domain_check_name (name, NULL);
}

static void
set_chosen (PtVmChoiceGroup *self,
            const char      *name)
{
  if (g_strcmp0 (self->chosen, name) == 0)
    return;

  g_free (self->chosen);
  self->chosen = g_strdup (name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHOSEN]);
}

/* A lone check button is a check box, not a choice: with nothing else to pick, none. A chosen
 * VM waiting for its libvirt's list keeps the choice in sight. */
static void
show_new_check (PtVmChoiceGroup *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->new_check),
                          self->rows->len > 0 || self->chosen != NULL);
}

/* The name's problem is said under the entry, and only while a new VM is chosen. */
static void
show_problem (PtVmChoiceGroup *self)
{
  g_autofree char *problem = pt_vm_choice_group_dup_name_problem (self);

  gtk_widget_set_visible (GTK_WIDGET (self->problem_row), problem != NULL);
  if (problem != NULL)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->problem_row), problem);
      gtk_widget_add_css_class (GTK_WIDGET (self->new_row), "error");
    }
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->new_row), "error");
}

static void
choice_toggled_cb (PtVmChoiceGroup *self,
                   GtkCheckButton  *check)
{
  /* Both the old and the new choice toggle; the one that became active speaks. */
  if (self->syncing || !gtk_check_button_get_active (check))
    return;

  set_chosen (self, g_object_get_data (G_OBJECT (check), "domain-name"));
  show_problem (self);
}

static void
name_changed_cb (PtVmChoiceGroup *self)
{
  if (self->syncing)
    return;

  /* Typing a name means a new virtual machine. */
  if (!gtk_check_button_get_active (self->new_check))
    gtk_check_button_set_active (self->new_check, TRUE);
  show_problem (self);
  g_signal_emit (self, signals[NAME_CHANGED], 0);
}

static char *
describe_domain (const PtLibvirtDomain *domain)
{
  const char *state = pt_libvirt_domain_state_to_string (domain->state);

  if (!domain->persistent)
    /* TRANSLATORS: a domain's state, and why it cannot be chosen */
    return g_strdup_printf (_("%s · started without a definition that libvirt keeps, so there "
                              "is nothing lasting to change"),
                            state);
  if (domain->active)
    /* TRANSLATORS: "running · changes apply when it next starts" */
    return g_strdup_printf (_("%s · changes apply when it next starts"), state);
  return g_strdup (state);
}

static GtkWidget *
create_row (PtVmChoiceGroup       *self,
            const PtLibvirtDomain *domain)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();
  g_autofree char *subtitle = describe_domain (domain);
  g_autofree char *row_name = g_strdup_printf ("vm-domain-%s", domain->name);
  g_autofree char *check_label = NULL;

  /* TRANSLATORS: the accessible name of the check button that chooses a domain */
  check_label = g_strdup_printf (_("Apply the choices to %s"), domain->name);
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  gtk_check_button_set_group (GTK_CHECK_BUTTON (check), self->new_check);
  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  check_label, -1);
  g_object_set_data_full (G_OBJECT (check), "domain-name", g_strdup (domain->name), g_free);
  g_signal_connect_object (check, "toggled", G_CALLBACK (choice_toggled_cb), self,
                           G_CONNECT_SWAPPED);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), domain->name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  gtk_widget_set_name (row, row_name);

  /* A transient domain vanishes when it stops: there is no definition to change. */
  if (domain->persistent)
    adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  else
    gtk_widget_set_sensitive (check, FALSE);
  return row;
}

static void
show_status (PtVmChoiceGroup *self,
             const char      *text,
             gboolean         loading)
{
  gtk_widget_set_visible (GTK_WIDGET (self->status_row), text != NULL);
  if (text != NULL)
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->status_row), text);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), loading);
  gtk_spinner_set_spinning (self->spinner, loading);
}

void
pt_vm_choice_group_set_domains (PtVmChoiceGroup *self,
                                GPtrArray       *domains,
                                const char      *status,
                                gboolean         loading)
{
  const PtLibvirtDomain *chosen;

  g_return_if_fail (PT_IS_VM_CHOICE_GROUP (self));

  self->syncing = TRUE;
  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);
  g_clear_pointer (&self->domains, g_ptr_array_unref);
  if (domains != NULL)
    self->domains = g_ptr_array_ref (domains);

  /* What was chosen stays chosen while it is there and can be; without a list, it waits. */
  chosen = pt_vm_choice_group_find_domain (self, self->chosen);
  if (domains != NULL && (chosen == NULL || !chosen->persistent))
    set_chosen (self, NULL);
  if (self->chosen == NULL)
    gtk_check_button_set_active (self->new_check, TRUE);

  for (guint i = 0; domains != NULL && i < domains->len; i++)
    {
      const PtLibvirtDomain *domain = g_ptr_array_index (domains, i);
      GtkWidget *row = create_row (self, domain);

      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);
      g_ptr_array_add (self->rows, row);
      if (g_strcmp0 (domain->name, self->chosen) == 0)
        gtk_check_button_set_active (GTK_CHECK_BUTTON (adw_action_row_get_activatable_widget (
                                                         ADW_ACTION_ROW (row))),
                                     TRUE);
    }
  show_new_check (self);
  self->syncing = FALSE;

  if (domains != NULL)
    show_status (self, domains->len == 0 ? _("This libvirt has no virtual machines yet.") : NULL,
                 FALSE);
  else
    show_status (self, status, loading);
  show_problem (self);
}

const PtLibvirtDomain *
pt_vm_choice_group_find_domain (PtVmChoiceGroup *self,
                                const char      *name)
{
  g_return_val_if_fail (PT_IS_VM_CHOICE_GROUP (self), NULL);

  for (guint i = 0; self->domains != NULL && name != NULL && i < self->domains->len; i++)
    {
      const PtLibvirtDomain *domain = g_ptr_array_index (self->domains, i);

      if (g_strcmp0 (domain->name, name) == 0)
        return domain;
    }
  return NULL;
}

const char *
pt_vm_choice_group_get_chosen (PtVmChoiceGroup *self)
{
  g_return_val_if_fail (PT_IS_VM_CHOICE_GROUP (self), NULL);

  return self->chosen;
}

void
pt_vm_choice_group_set_chosen (PtVmChoiceGroup *self,
                               const char      *name)
{
  g_return_if_fail (PT_IS_VM_CHOICE_GROUP (self));

  set_chosen (self, name);
  show_new_check (self);
  self->syncing = TRUE;
  if (name == NULL)
    gtk_check_button_set_active (self->new_check, TRUE);
  for (guint i = 0; name != NULL && i < self->rows->len; i++)
    {
      GtkWidget *check = adw_action_row_get_activatable_widget (g_ptr_array_index (self->rows, i));

      if (check != NULL && g_strcmp0 (g_object_get_data (G_OBJECT (check), "domain-name"),
                                      name) == 0)
        gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
    }
  self->syncing = FALSE;
  show_problem (self);
}

const char *
pt_vm_choice_group_get_name (PtVmChoiceGroup *self)
{
  g_return_val_if_fail (PT_IS_VM_CHOICE_GROUP (self), NULL);

  return gtk_editable_get_text (GTK_EDITABLE (self->new_row));
}

void
pt_vm_choice_group_set_name (PtVmChoiceGroup *self,
                             const char      *name)
{
  g_return_if_fail (PT_IS_VM_CHOICE_GROUP (self));

  self->syncing = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->new_row), name != NULL ? name : "");
  self->syncing = FALSE;
  show_problem (self);
}

char *
pt_vm_choice_group_dup_name_problem (PtVmChoiceGroup *self)
{
  g_autoptr(GError) error = NULL;
  const char *name;

  g_return_val_if_fail (PT_IS_VM_CHOICE_GROUP (self), NULL);

  if (self->chosen != NULL)
    return NULL;

  name = pt_vm_choice_group_get_name (self);
  /* The same rules core applies before defining, in the same words. */
  if (!pt_domain_check_name (name, &error))
    return g_strdup (error->message);
  if (pt_vm_choice_group_find_domain (self, name) != NULL)
    return g_strdup_printf (_("libvirt already has a virtual machine named “%s”. Choose another "
                              "name, or choose it below to apply your choices to it."),
                            name);
  return NULL;
}

static void
pt_vm_choice_group_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PT_TYPE_VM_CHOICE_GROUP);

  G_OBJECT_CLASS (pt_vm_choice_group_parent_class)->dispose (object);
}

static void
pt_vm_choice_group_finalize (GObject *object)
{
  PtVmChoiceGroup *self = PT_VM_CHOICE_GROUP (object);

  g_clear_pointer (&self->domains, g_ptr_array_unref);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->chosen, g_free);

  G_OBJECT_CLASS (pt_vm_choice_group_parent_class)->finalize (object);
}

static void
pt_vm_choice_group_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  PtVmChoiceGroup *self = PT_VM_CHOICE_GROUP (object);

  switch (prop_id)
    {
    case PROP_CHOSEN:
      g_value_set_string (value, self->chosen);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pt_vm_choice_group_class_init (PtVmChoiceGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pt_vm_choice_group_dispose;
  object_class->finalize = pt_vm_choice_group_finalize;
  object_class->get_property = pt_vm_choice_group_get_property;

  properties[PROP_CHOSEN] =
    g_param_spec_string ("chosen", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[NAME_CHANGED] =
    g_signal_new ("name-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);

  /* Naming the bundle pulls it out of the static library; its constructor registers it. */
  g_assert (pt_get_resource () != NULL);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/passthrough/Passthrough/ui/"
                                               "pt-vm-choice-group.ui");
  gtk_widget_class_bind_template_child (widget_class, PtVmChoiceGroup, new_row);
  gtk_widget_class_bind_template_child (widget_class, PtVmChoiceGroup, new_check);
  gtk_widget_class_bind_template_child (widget_class, PtVmChoiceGroup, problem_row);
  gtk_widget_class_bind_template_child (widget_class, PtVmChoiceGroup, status_row);
  gtk_widget_class_bind_template_child (widget_class, PtVmChoiceGroup, spinner);
  gtk_widget_class_bind_template_callback (widget_class, choice_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, name_changed_cb);
}

static void
pt_vm_choice_group_init (PtVmChoiceGroup *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->rows = g_ptr_array_new ();
  show_status (self, _("Asking libvirt for its virtual machines…"), TRUE);
}

GtkWidget *
pt_vm_choice_group_new (void)
{
  return g_object_new (PT_TYPE_VM_CHOICE_GROUP, NULL);
}
