/* pt-choice-summary.c: the chosen guest GPU in a sentence, what stops it or is worth knowing, and
 * the single-GPU switch. */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pt-choice-summary.h"

struct _PtChoiceSummary
{
  AdwBin               parent_instance;

  /* template children */
  AdwPreferencesGroup *choice_group;
  AdwActionRow        *chosen_row;
  GtkImage            *chosen_row_icon;
  GtkLabel            *chosen_status;
  GtkButton           *clear_button;
  AdwActionRow        *single_gpu_row;
  GtkSwitch           *single_gpu_switch;

  GtkWidget           *issues_row;     /* AdwExpanderRow in choice_group, NULL without issues */
  GPtrArray           *issue_rows;     /* GtkWidget*, owned by issues_row */
};

G_DEFINE_FINAL_TYPE (PtChoiceSummary, pt_choice_summary, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SINGLE_GPU,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GtkWidget *
create_text_row (const char *icon_name,
                 const char *style,
                 const char *text,
                 const char *name)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_add_css_class (box, "issue");
  if (icon_name != NULL)
    {
      GtkWidget *icon = gtk_image_new_from_icon_name (icon_name);

      gtk_widget_set_valign (icon, GTK_ALIGN_START);
      if (style != NULL)
        gtk_widget_add_css_class (icon, style);
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      g_strcmp0 (style, "error") == 0 ? _("Problem") : _("Note"),
                                      -1);
      gtk_box_append (GTK_BOX (box), icon);
    }
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), label);

  gtk_widget_set_name (row, name);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, text,
                                  -1);
  return row;
}

static void
set_status (PtChoiceSummary *self,
            const char      *text,
            const char      *style)
{
  static const char * const styles[] = { "success", "warning", "error" };

  for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->chosen_status), styles[i]);
  gtk_widget_set_visible (GTK_WIDGET (self->chosen_status), text != NULL);
  if (text == NULL)
    return;
  gtk_label_set_label (self->chosen_status, text);
  gtk_widget_add_css_class (GTK_WIDGET (self->chosen_status), style);
}

/* The choice's problems and notes, in one row that opens: open from the start, since they say
 * what to do, yet closable to make room for the list. */
static void
show_issues (PtChoiceSummary   *self,
             const PtGpuChoice *choice,
             gboolean           blocked)
{
  guint blockers = 0;
  guint notes = 0;
  g_autofree char *title = NULL;
  GtkWidget *icon;

  for (guint i = 0; i < choice->issues->len; i++)
    {
      if (((PtGpuIssue *) g_ptr_array_index (choice->issues, i))->blocker)
        blockers++;
      else
        notes++;
    }

  self->issues_row = adw_expander_row_new ();
  gtk_widget_set_name (self->issues_row, "issues-row");
  if (blocked)
    {
      title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Problem Keeps This Card Here",
                                            "%u Problems Keep This Card Here", blockers),
                               blockers);
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self->issues_row),
                                     _("Each says what to do; or choose another card"));
      icon = gtk_image_new_from_icon_name ("dialog-error-symbolic");
      gtk_widget_add_css_class (icon, "error");
    }
  else
    {
      title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Note", "%u Notes", notes),
                               notes);
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self->issues_row),
                                     _("The card can go; this is worth knowing first"));
      icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
      gtk_widget_add_css_class (icon, "warning");
    }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->issues_row), title);
  adw_expander_row_add_prefix (ADW_EXPANDER_ROW (self->issues_row), icon);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (self->issues_row), TRUE);

  for (guint i = 0; i < choice->issues->len; i++)
    {
      const PtGpuIssue *issue = g_ptr_array_index (choice->issues, i);
      g_autofree char *name = g_strdup_printf ("issue-%u", i);
      GtkWidget *issue_row = create_text_row (issue->blocker ? "dialog-error-symbolic"
                                                             : "dialog-warning-symbolic",
                                              issue->blocker ? "error" : "warning",
                                              issue->message, name);

      gtk_widget_add_css_class (issue_row, issue->blocker ? "issue-blocker" : "issue-warning");
      adw_expander_row_add_row (ADW_EXPANDER_ROW (self->issues_row), issue_row);
      g_ptr_array_add (self->issue_rows, issue_row);
    }
  adw_preferences_group_add (self->choice_group, self->issues_row);
}

void
pt_choice_summary_show (PtChoiceSummary   *self,
                        const char        *address,
                        const PtGpuChoice *choice,
                        const GError      *error)
{
  AdwPreferencesRow *row;
  GtkWidget *single_row;

  g_return_if_fail (PT_IS_CHOICE_SUMMARY (self));

  row = ADW_PREFERENCES_ROW (self->chosen_row);
  single_row = GTK_WIDGET (self->single_gpu_row);

  g_object_ref (single_row);
  adw_preferences_group_remove (self->choice_group, single_row);
  if (self->issues_row != NULL)
    adw_preferences_group_remove (self->choice_group, g_steal_pointer (&self->issues_row));
  g_ptr_array_set_size (self->issue_rows, 0);

  gtk_widget_set_visible (GTK_WIDGET (self->clear_button), address != NULL);
  gtk_widget_remove_css_class (GTK_WIDGET (self->chosen_row_icon), "dim-label");
  gtk_widget_remove_css_class (GTK_WIDGET (self->chosen_row_icon), "accent");

  if (address == NULL)
    {
      adw_preferences_row_set_title (row, _("No Card Chosen Yet"));
      adw_action_row_set_subtitle (self->chosen_row,
                                   _("Press “Give to VM” next to a graphics card below."));
      gtk_widget_add_css_class (GTK_WIDGET (self->chosen_row_icon), "dim-label");
      set_status (self, NULL, NULL);
    }
  else if (choice == NULL)
    {
      adw_preferences_row_set_title (row, _("This Card Is Not Here"));
      adw_action_row_set_subtitle (self->chosen_row, error != NULL ? error->message : address);
      gtk_widget_add_css_class (GTK_WIDGET (self->chosen_row_icon), "dim-label");
      set_status (self, _("Not found"), "error");
    }
  else
    {
      const PtPciDevice *gpu = choice->gpu;
      g_autofree char *vendor = pt_gpu_short_vendor (gpu->vendor_name);
      g_autofree char *title = g_strdup_printf ("%s %s", vendor, gpu->device_name);
      g_autofree char *functions = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                 "%u function goes to the "
                                                                 "virtual machine",
                                                                 "%u functions go to the "
                                                                 "virtual machine",
                                                                 choice->devices->len),
                                                    choice->devices->len);
      g_autofree char *subtitle = NULL;
      gboolean blocked = pt_gpu_choice_has_blockers (choice);

      if (choice->iommu_group >= 0)
        /* TRANSLATORS: "0000:09:00.0 · IOMMU group 16 · 2 functions go to the virtual
         * machine" */
        subtitle = g_strdup_printf (_("%s · IOMMU group %d · %s"), gpu->address,
                                    choice->iommu_group, functions);
      else
        subtitle = g_strdup_printf ("%s · %s", gpu->address, functions);

      adw_preferences_row_set_title (row, title);
      adw_action_row_set_subtitle (self->chosen_row, subtitle);
      gtk_widget_add_css_class (GTK_WIDGET (self->chosen_row_icon), "accent");
      if (blocked)
        set_status (self, _("Cannot go"), "error");
      else
        set_status (self, _("Ready"), "success");

      if (choice->issues->len > 0)
        show_issues (self, choice, blocked);
    }

  adw_preferences_group_add (self->choice_group, single_row);
  g_object_unref (single_row);
}

gboolean
pt_choice_summary_get_single_gpu (PtChoiceSummary *self)
{
  g_return_val_if_fail (PT_IS_CHOICE_SUMMARY (self), FALSE);

  return gtk_switch_get_active (self->single_gpu_switch);
}

void
pt_choice_summary_set_single_gpu (PtChoiceSummary *self,
                                  gboolean         single_gpu)
{
  g_return_if_fail (PT_IS_CHOICE_SUMMARY (self));

  /* The switch notifies; its handler passes the change on. */
  gtk_switch_set_active (self->single_gpu_switch, single_gpu);
}

static void
switch_active_cb (PtChoiceSummary *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SINGLE_GPU]);
}

static void
pt_choice_summary_dispose (GObject *object)
{
  PtChoiceSummary *self = PT_CHOICE_SUMMARY (object);

  self->issues_row = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (object), PT_TYPE_CHOICE_SUMMARY);

  G_OBJECT_CLASS (pt_choice_summary_parent_class)->dispose (object);
}

static void
pt_choice_summary_finalize (GObject *object)
{
  PtChoiceSummary *self = PT_CHOICE_SUMMARY (object);

  g_clear_pointer (&self->issue_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (pt_choice_summary_parent_class)->finalize (object);
}

static void
pt_choice_summary_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  PtChoiceSummary *self = PT_CHOICE_SUMMARY (object);

  switch (prop_id)
    {
    case PROP_SINGLE_GPU:
      g_value_set_boolean (value, pt_choice_summary_get_single_gpu (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pt_choice_summary_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  PtChoiceSummary *self = PT_CHOICE_SUMMARY (object);

  switch (prop_id)
    {
    case PROP_SINGLE_GPU:
      pt_choice_summary_set_single_gpu (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pt_choice_summary_class_init (PtChoiceSummaryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pt_choice_summary_dispose;
  object_class->finalize = pt_choice_summary_finalize;
  object_class->get_property = pt_choice_summary_get_property;
  object_class->set_property = pt_choice_summary_set_property;

  properties[PROP_SINGLE_GPU] =
    g_param_spec_boolean ("single-gpu", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/passthrough/Passthrough/ui/"
                                               "pt-choice-summary.ui");
  gtk_widget_class_bind_template_child (widget_class, PtChoiceSummary, choice_group);
  gtk_widget_class_bind_template_child (widget_class, PtChoiceSummary, chosen_row);
  gtk_widget_class_bind_template_child (widget_class, PtChoiceSummary, chosen_row_icon);
  gtk_widget_class_bind_template_child (widget_class, PtChoiceSummary, chosen_status);
  gtk_widget_class_bind_template_child (widget_class, PtChoiceSummary, clear_button);
  gtk_widget_class_bind_template_child (widget_class, PtChoiceSummary, single_gpu_row);
  gtk_widget_class_bind_template_child (widget_class, PtChoiceSummary, single_gpu_switch);
  gtk_widget_class_bind_template_callback (widget_class, switch_active_cb);
}

static void
pt_choice_summary_init (PtChoiceSummary *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->issue_rows = g_ptr_array_new ();
  pt_choice_summary_show (self, NULL, NULL, NULL);
}

GtkWidget *
pt_choice_summary_new (void)
{
  return g_object_new (PT_TYPE_CHOICE_SUMMARY, NULL);
}
