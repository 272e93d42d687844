/* pt-processor-panel.c: the vCPU count and the cores that run them: the planner's choice, or
 * the user's own picks on the grid, with the reasons and the host isolation switch. */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pt-processor-panel.h"
#include "pt-resources.h"

struct _PtProcessorPanel
{
  PtPanel        parent_instance;

  /* template children */
  AdwActionRow  *vcpus_row;
  GtkSpinButton *vcpus_spin;
  GtkButton     *optimal_button;
  AdwActionRow  *status_row;
  PtCpuGrid     *grid;
  GtkLabel      *offline_label;
  GtkListBox    *reasons_list;
  AdwActionRow  *isolate_row;
  GtkSwitch     *isolate_switch;

  PtSetup       *setup;           /* watched; the panel base owns it */
  GBinding      *isolate_binding;
  PtCpuPlan     *plan;            /* on screen */
  gboolean       updating;        /* writing the count ourselves: no new plan for it */
};

G_DEFINE_FINAL_TYPE (PtProcessorPanel, pt_processor_panel, PT_TYPE_PANEL)

static const PtCpuTopology *
get_topology (PtProcessorPanel *self)
{
  PtHostScan *scan = pt_panel_get_scan (PT_PANEL (self));

  return scan != NULL ? pt_host_scan_get_cpu (scan) : NULL;
}

static int
get_gpu_node (PtProcessorPanel *self)
{
  PtHostScan *scan = pt_panel_get_scan (PT_PANEL (self));
  const char *address = self->setup != NULL ? pt_setup_get_gpu (self->setup) : NULL;
  PtPciDevice *gpu;

  if (scan == NULL || address == NULL)
    return -1;
  gpu = pt_pci_find (pt_host_scan_get_pci (scan), address);
  return gpu != NULL ? gpu->numa_node : -1;
}

static PtGuestOs
get_guest (PtProcessorPanel *self)
{
  return self->setup != NULL ? pt_setup_get_guest (self->setup) : PT_GUEST_WINDOWS;
}

static void
show_status (PtProcessorPanel *self,
             const char       *message)
{
  gtk_widget_set_visible (GTK_WIDGET (self->status_row), message != NULL);
  if (message != NULL)
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->status_row), message);
}

/* Sets the spin button without planning again for it. */
static void
set_count (PtProcessorPanel *self,
           guint             count)
{
  GtkAdjustment *adjustment = gtk_spin_button_get_adjustment (self->vcpus_spin);

  self->updating = TRUE;
  /* Hand-picked cores may include core 0 and go past the planner's limit. */
  if (count > gtk_adjustment_get_upper (adjustment))
    gtk_adjustment_set_upper (adjustment, count);
  gtk_spin_button_set_value (self->vcpus_spin, count);
  if (self->setup != NULL)
    pt_setup_set_vcpus (self->setup, count);
  self->updating = FALSE;
}

static void
clear_reasons (PtProcessorPanel *self)
{
  GtkWidget *row;

  while ((row = gtk_widget_get_first_child (GTK_WIDGET (self->reasons_list))) != NULL)
    gtk_list_box_remove (self->reasons_list, row);
}

static void
show_reasons (PtProcessorPanel *self)
{
  clear_reasons (self);
  for (guint i = 0; self->plan != NULL && self->plan->reasons[i] != NULL; i++)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), self->plan->reasons[i]);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_list_box_append (self->reasons_list, row);
    }
}

/* "3 cores with 2 threads each, on CCX 1" */
static char *
describe_topology (PtProcessorPanel *self)
{
  const PtCpuPlan *plan = self->plan;
  g_autofree char *shape = NULL;

  if (plan->threads > 1)
    shape = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "%u core with %u threads",
                                          "%u cores with %u threads each", plan->cores),
                             plan->cores, plan->threads);
  else
    shape = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "%u core of one thread",
                                          "%u cores of one thread", plan->cores),
                             plan->cores);
  if (plan->manual)
    /* Translators: "3 cores with 2 threads each, picked by hand" */
    return g_strdup_printf (_("%s, picked by hand"), shape);
  return g_steal_pointer (&shape);
}

static void
show_plan (PtProcessorPanel *self,
           PtCpuPlan        *plan)
{
  const PtCpuTopology *topology = get_topology (self);
  g_autofree char *subtitle = NULL;
  g_autofree char *isolation = NULL;
  gboolean optimal = TRUE;

  if (plan != self->plan)
    {
      g_clear_pointer (&self->plan, pt_cpu_plan_unref);
      self->plan = plan != NULL ? pt_cpu_plan_ref (plan) : NULL;
    }
  pt_cpu_grid_set_plan (self->grid, plan);
  show_reasons (self);

  if (plan == NULL)
    {
      adw_action_row_set_subtitle (self->vcpus_row, "");
      adw_action_row_set_subtitle (self->isolate_row, "");
      gtk_widget_set_sensitive (GTK_WIDGET (self->optimal_button), FALSE);
      return;
    }

  show_status (self, NULL);
  set_count (self, plan->vcpus->len);
  /* Hand-picked cores travel with the setup to the domain; the planner's need not. */
  if (self->setup != NULL)
    {
      self->updating = TRUE;
      pt_setup_set_cpu_pins (self->setup, plan->manual ? plan->vcpus : NULL);
      self->updating = FALSE;
    }
  subtitle = describe_topology (self);
  adw_action_row_set_subtitle (self->vcpus_row, subtitle);
  isolation = pt_cpu_plan_describe_isolation (plan);
  adw_action_row_set_subtitle (self->isolate_row, isolation);

  /* "Optimal" has something to do only when the picks differ from the planner's. */
  if (plan->manual && topology != NULL)
    {
      g_autoptr(PtCpuPlan) best = pt_cpu_planner_plan (topology, plan->vcpus->len,
                                                       get_gpu_node (self), get_guest (self),
                                                       NULL);

      optimal = best != NULL && pt_cpu_plan_equal (best, plan);
      if (best == NULL)
        optimal = pt_cpu_planner_max_vcpus (topology) == 0;
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->optimal_button), !optimal);
}

/* The planner's choice for the count in the spin button. */
static void
plan_optimal (PtProcessorPanel *self)
{
  const PtCpuTopology *topology = get_topology (self);
  g_autoptr(PtCpuPlan) plan = NULL;
  g_autoptr(GError) error = NULL;
  guint count = (guint) gtk_spin_button_get_value_as_int (self->vcpus_spin);

  if (topology == NULL)
    return;

  plan = pt_cpu_planner_plan (topology, count, get_gpu_node (self), get_guest (self), &error);
  if (plan == NULL)
    {
      show_plan (self, NULL);
      show_status (self, error->message);
      return;
    }
  show_plan (self, plan);
}

/* The user's picks with @cpus, kept when the GPU or guest changes. */
static void
plan_manual (PtProcessorPanel *self,
             GArray           *cpus)
{
  g_autoptr(PtCpuPlan) plan = NULL;
  g_autoptr(GError) error = NULL;

  plan = pt_cpu_planner_plan_manual (get_topology (self), cpus, get_gpu_node (self), &error);
  if (plan == NULL)
    {
      /* The grid keeps the last good picks; say why this one did not take. */
      show_status (self, error->message);
      return;
    }
  show_plan (self, plan);
}

static void
vcpus_changed_cb (GtkSpinButton    *spin,
                  PtProcessorPanel *self)
{
  if (self->updating)
    return;

  self->updating = TRUE;
  if (self->setup != NULL)
    pt_setup_set_vcpus (self->setup, (guint) gtk_spin_button_get_value_as_int (spin));
  self->updating = FALSE;
  plan_optimal (self);
}

static void
optimal_clicked_cb (GtkButton        *button,
                    PtProcessorPanel *self)
{
  plan_optimal (self);
}

/* A click on any thread of a core gives the whole core to the guest, or takes it back. */
static void
core_activated_cb (PtCpuGrid        *grid,
                   guint             core_index,
                   PtProcessorPanel *self)
{
  const PtCpuTopology *topology = get_topology (self);
  const PtCpuCore *core;
  g_autoptr(GArray) cpus = g_array_new (FALSE, FALSE, sizeof (guint));
  gboolean in_guest = FALSE;

  if (topology == NULL || core_index >= topology->cores->len)
    return;
  core = g_ptr_array_index (topology->cores, core_index);

  for (guint i = 0; self->plan != NULL && i < self->plan->vcpus->len; i++)
    {
      guint cpu = g_array_index (self->plan->vcpus, guint, i);

      if (pt_cpu_topology_core_of (topology, cpu) == core)
        in_guest = TRUE;
      else
        g_array_append_val (cpus, cpu);
    }
  if (!in_guest)
    g_array_append_vals (cpus, core->cpus->data, core->cpus->len);

  plan_manual (self, cpus);
}

static void
setup_vcpus_cb (PtSetup          *setup,
                GParamSpec       *pspec,
                PtProcessorPanel *self)
{
  if (self->updating)
    return;

  self->updating = TRUE;
  gtk_spin_button_set_value (self->vcpus_spin, pt_setup_get_vcpus (setup));
  self->updating = FALSE;
  plan_optimal (self);
}

/* Another GPU or guest: a new optimum, or the same picks with the emulator moved. */
static void
setup_target_cb (PtSetup          *setup,
                 GParamSpec       *pspec,
                 PtProcessorPanel *self)
{
  pt_cpu_grid_set_gpu_node (self->grid, get_gpu_node (self));
  if (self->plan != NULL && self->plan->manual)
    plan_manual (self, self->plan->vcpus);
  else
    plan_optimal (self);
}

static void
disconnect_setup (PtProcessorPanel *self)
{
  g_clear_pointer (&self->isolate_binding, g_binding_unbind);
  /* By function: the base's own "changed" handler on the setup shares our data pointer. */
  if (self->setup != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->setup, setup_vcpus_cb, self);
      g_signal_handlers_disconnect_by_func (self->setup, setup_target_cb, self);
    }
  g_clear_object (&self->setup);
}

/* The count, the card and the guest each have a handler of their own, since each asks for a
 * different update: of the base's calls, only the one for a new setup has work to do. */
static void
pt_processor_panel_setup_changed (PtPanel *panel)
{
  PtProcessorPanel *self = PT_PROCESSOR_PANEL (panel);
  PtSetup *setup = pt_panel_get_setup (panel);

  if (setup == self->setup)
    return;

  disconnect_setup (self);
  g_set_object (&self->setup, setup);
  if (setup == NULL)
    return;

  g_signal_connect_object (setup, "notify::vcpus", G_CALLBACK (setup_vcpus_cb), self,
                           G_CONNECT_DEFAULT);
  g_signal_connect_object (setup, "notify::gpu", G_CALLBACK (setup_target_cb), self,
                           G_CONNECT_DEFAULT);
  g_signal_connect_object (setup, "notify::guest", G_CALLBACK (setup_target_cb), self,
                           G_CONNECT_DEFAULT);
  self->isolate_binding = g_object_bind_property (setup, "isolate-host",
                                                  self->isolate_switch, "active",
                                                  G_BINDING_BIDIRECTIONAL
                                                  | G_BINDING_SYNC_CREATE);
}

static void
pt_processor_panel_scan_changed (PtPanel *panel)
{
  PtProcessorPanel *self = PT_PROCESSOR_PANEL (panel);
  const PtCpuTopology *topology = get_topology (self);
  GtkAdjustment *adjustment = gtk_spin_button_get_adjustment (self->vcpus_spin);
  guint max;
  guint count;

  pt_cpu_grid_set_scan (self->grid, pt_panel_get_scan (panel));
  pt_cpu_grid_set_gpu_node (self->grid, get_gpu_node (self));
  g_clear_pointer (&self->plan, pt_cpu_plan_unref);
  if (topology == NULL)
    {
      show_plan (self, NULL);
      return;
    }

  if (topology->offline->len > 0)
    {
      g_autofree char *list = pt_format_cpu_list (topology->offline);
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "CPU %s is offline and not shown.",
                                                            "CPUs %s are offline and not shown.",
                                                            topology->offline->len),
                                               list);

      gtk_label_set_text (self->offline_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->offline_label), topology->offline->len > 0);

  max = pt_cpu_planner_max_vcpus (topology);
  gtk_widget_set_sensitive (GTK_WIDGET (self->vcpus_spin), max > 0);
  if (max == 0)
    {
      show_plan (self, NULL);
      show_status (self, _("This computer has a single core and needs it for itself: there is "
                           "none to give to a virtual machine."));
      return;
    }

  count = self->setup != NULL ? pt_setup_get_vcpus (self->setup) : PT_SETUP_DEFAULT_VCPUS;
  count = CLAMP (count, 1, max);
  self->updating = TRUE;
  gtk_adjustment_configure (adjustment, count, 1, max, 1, 2, 0);
  self->updating = FALSE;
  set_count (self, count);
  plan_optimal (self);
}

static void
pt_processor_panel_dispose (GObject *object)
{
  PtProcessorPanel *self = PT_PROCESSOR_PANEL (object);

  disconnect_setup (self);
  g_clear_pointer (&self->plan, pt_cpu_plan_unref);
  gtk_widget_dispose_template (GTK_WIDGET (object), PT_TYPE_PROCESSOR_PANEL);

  G_OBJECT_CLASS (pt_processor_panel_parent_class)->dispose (object);
}

static void
pt_processor_panel_class_init (PtProcessorPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  PtPanelClass *panel_class = PT_PANEL_CLASS (klass);

  object_class->dispose = pt_processor_panel_dispose;
  panel_class->scan_changed = pt_processor_panel_scan_changed;
  panel_class->setup_changed = pt_processor_panel_setup_changed;

  g_type_ensure (PT_TYPE_CPU_GRID);
  /* Naming the bundle pulls it out of the static library; its constructor registers it. */
  g_assert (pt_get_resource () != NULL);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/passthrough/Passthrough/ui/"
                                               "pt-processor-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, PtProcessorPanel, vcpus_row);
  gtk_widget_class_bind_template_child (widget_class, PtProcessorPanel, vcpus_spin);
  gtk_widget_class_bind_template_child (widget_class, PtProcessorPanel, optimal_button);
  gtk_widget_class_bind_template_child (widget_class, PtProcessorPanel, status_row);
  gtk_widget_class_bind_template_child (widget_class, PtProcessorPanel, grid);
  gtk_widget_class_bind_template_child (widget_class, PtProcessorPanel, offline_label);
  gtk_widget_class_bind_template_child (widget_class, PtProcessorPanel, reasons_list);
  gtk_widget_class_bind_template_child (widget_class, PtProcessorPanel, isolate_row);
  gtk_widget_class_bind_template_child (widget_class, PtProcessorPanel, isolate_switch);
  gtk_widget_class_bind_template_callback (widget_class, vcpus_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, optimal_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, core_activated_cb);
}

static void
pt_processor_panel_init (PtProcessorPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  pt_panel_set_title (PT_PANEL (self), _("Processor"));
  pt_panel_set_icon_name (PT_PANEL (self), "pt-processor-symbolic");
  gtk_widget_set_sensitive (GTK_WIDGET (self->optimal_button), FALSE);
}

GtkWidget *
pt_processor_panel_new (void)
{
  return g_object_new (PT_TYPE_PROCESSOR_PANEL, NULL);
}

PtCpuPlan *
pt_processor_panel_get_plan (PtProcessorPanel *self)
{
  g_return_val_if_fail (PT_IS_PROCESSOR_PANEL (self), NULL);

  return self->plan;
}

PtCpuGrid *
pt_processor_panel_get_grid (PtProcessorPanel *self)
{
  g_return_val_if_fail (PT_IS_PROCESSOR_PANEL (self), NULL);

  return self->grid;
}
