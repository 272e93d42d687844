/* pt-memory-panel.c: lets the user size the virtual machine's RAM against what this computer
 * keeps, and choose hugepages with their size and where they come from; shows the plan's
 * arithmetic and the exact change it makes. */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pt-devices-style.h"
#include "pt-memory-panel.h"
#include "pt-resources.h"

#define KIB_PER_GIB (G_GUINT64_CONSTANT (1024) * 1024)

struct _PtMemoryPanel
{
  PtPanel              parent_instance;

  /* template children */
  GtkAdjustment       *memory_adjustment;
  GtkSpinButton       *memory_spin;
  GtkScale            *memory_scale;
  GtkLabel            *guest_share_label;
  GtkLabel            *host_share_label;
  AdwActionRow        *share_problem_row;
  GtkImage            *share_problem_icon;
  AdwExpanderRow      *hugepages_row;
  AdwActionRow        *page_size_row;
  GtkToggleButton     *page_2m_button;
  GtkToggleButton     *page_1g_button;
  AdwActionRow        *pages_row;
  GtkCheckButton      *reserve_boot_check;
  GtkCheckButton      *reserve_demand_check;
  AdwActionRow        *numa_row;
  AdwActionRow        *change_row;
  AdwPreferencesGroup *notes_group;
  AdwActionRow        *total_row;
  AdwActionRow        *available_row;
  AdwActionRow        *reserved_row;

  GPtrArray           *note_rows;    /* GtkWidget*, owned by notes_group */
  PtMemoryPlan        *plan;
  gboolean             syncing;      /* widgets are being set from the setup */
};

G_DEFINE_FINAL_TYPE (PtMemoryPanel, pt_memory_panel, PT_TYPE_PANEL)

static char *
format_mib (guint64 mib)
{
  return pt_memory_format_exact (mib * 1024);
}

static char *
format_approx_kib (guint64 kib)
{
  return g_format_size_full (kib * 1024, G_FORMAT_SIZE_IEC_UNITS);
}

/* "16 GiB" for a whole number, "23.3 GiB" otherwise: the way people say sizes. */
static char *
format_friendly_kib (guint64 kib)
{
  if (kib > 0 && kib % KIB_PER_GIB == 0)
    return pt_memory_format_exact (kib);
  return format_approx_kib (kib);
}

/* The entry shows "8 GiB", and takes "12", "12G", "12 GiB", "12288M" or "12288 MiB". */
static gboolean
memory_output_cb (GtkSpinButton *spin,
                  gpointer       user_data)
{
  g_autofree char *text = format_mib ((guint64) gtk_adjustment_get_value (
                                        gtk_spin_button_get_adjustment (spin)));

  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (spin)), text) != 0)
    gtk_editable_set_text (GTK_EDITABLE (spin), text);
  return TRUE;
}

static int
memory_input_cb (GtkSpinButton *spin,
                 double        *new_value,
                 gpointer       user_data)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (spin)));
  GString *compact = g_string_new (NULL);
  g_autofree char *joined = NULL;
  guint64 mib = 0;
  guint64 number;

  /* "12 GiB" and "12GiB" alike. */
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      g_string_append_c (compact, *p);
  joined = g_string_free (compact, FALSE);

  /* A bare number is GiB, the unit the entry shows most of the time. */
  if (pt_parse_uint64 (joined, 10, &number, NULL) && number > 0 && number < 1024 * 1024)
    mib = number * 1024;
  else if (!pt_parse_memory_size (joined, &mib, NULL))
    return GTK_INPUT_ERROR;

  *new_value = (double) mib;
  return TRUE;
}

/* The slider moves in steps of 256 MiB; the entry takes any size. */
static gboolean
memory_scale_change_value_cb (GtkRange      *range,
                              GtkScrollType  scroll,
                              double         value,
                              PtMemoryPanel *self)
{
  GtkAdjustment *adjustment = gtk_range_get_adjustment (range);
  double rounded = CLAMP (256.0 * (guint64) (value / 256.0 + 0.5),
                          gtk_adjustment_get_lower (adjustment),
                          gtk_adjustment_get_upper (adjustment));

  gtk_adjustment_set_value (adjustment, rounded);
  return TRUE;
}

static void
clear_notes (PtMemoryPanel *self)
{
  for (guint i = 0; i < self->note_rows->len; i++)
    adw_preferences_group_remove (self->notes_group, g_ptr_array_index (self->note_rows, i));
  g_ptr_array_set_size (self->note_rows, 0);
}

static void
add_note (PtMemoryPanel *self,
          const char    *text,
          gboolean       blocker)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (blocker ? "dialog-error-symbolic"
                                                          : "dialog-warning-symbolic");
  const char *label = blocker ? _("Cannot work like this") : _("Note");

  gtk_widget_add_css_class (icon, blocker ? "error" : "warning");
  gtk_widget_set_valign (icon, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  /* The sentence is the row; a title of its own would only repeat the icon. */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_set_name (row, blocker ? "memory-blocker" : "memory-warning");
  gtk_widget_add_css_class (row, "note-row");
  adw_preferences_group_add (self->notes_group, row);
  g_ptr_array_add (self->note_rows, row);
}

static char *
describe_change (const PtMemoryPlan *plan)
{
  switch (plan->source)
    {
    case PT_HUGEPAGE_SOURCE_KERNEL_ARGS:
      {
        g_autofree char *args = g_strjoinv (" ", plan->kernel_args_add);
        g_autofree char *old = g_strjoinv (" ", plan->kernel_args_remove);

        if (old[0] != '\0')
          /* TRANSLATORS: kernel options Passthrough adds, and those they replace */
          return g_strdup_printf (_("Start-up options: %s, in place of %s"), args, old);
        /* TRANSLATORS: the kernel options Passthrough adds, "hugepagesz=1G hugepages=8 …" */
        return g_strdup_printf (_("Start-up options: %s"), args);
      }
    case PT_HUGEPAGE_SOURCE_SYSCTL:
      {
        g_auto(GStrv) lines = g_strsplit (plan->sysctl_content, "\n", -1);
        const char *setting = "";

        /* The setting, without the file's comment. */
        for (guint i = 0; lines[i] != NULL; i++)
          if (lines[i][0] != '#' && lines[i][0] != '\0')
            setting = lines[i];
        return g_strdup_printf ("%s: %s", plan->sysctl_path, setting);
      }
    case PT_HUGEPAGE_SOURCE_ON_DEMAND:
      /* TRANSLATORS: the path of the libvirt hook Passthrough installs */
      return g_strdup_printf (_("A libvirt hook, %s"), PT_MEMORY_PLAN_HOOK_PATH);
    case PT_HUGEPAGE_SOURCE_NONE:
    default:
      return g_strdup (_("None"));
    }
}

static void
show_share (PtMemoryPanel      *self,
            const PtMemoryPlan *plan)
{
  g_autofree char *guest = format_friendly_kib (plan->guest_kib);
  g_autofree char *keeps = format_friendly_kib (plan->host_keeps_kib);
  g_autofree char *total = format_approx_kib (plan->host_total_kib);
  g_autofree char *guest_text = NULL;
  g_autofree char *host_text = NULL;
  GtkWidget *scale = GTK_WIDGET (self->memory_scale);

  /* TRANSLATORS: under the memory slider: "Virtual machine: 8 GiB" */
  guest_text = g_strdup_printf (_("Virtual machine: %s"), guest);
  /* TRANSLATORS: under the memory slider: "This computer keeps 23.3 GiB of 31.3 GiB" */
  host_text = g_strdup_printf (_("This computer keeps %s of %s"), keeps, total);
  gtk_label_set_label (self->guest_share_label, guest_text);
  gtk_label_set_label (self->host_share_label, host_text);

  /* The slider's filled part is the guest's share: amber, then red, as the host's shrinks. */
  gtk_widget_remove_css_class (scale, "share-warning");
  gtk_widget_remove_css_class (scale, "share-error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->host_share_label), "warning");
  gtk_widget_remove_css_class (GTK_WIDGET (self->host_share_label), "error");
  if (plan->host_keeps_kib < KIB_PER_GIB)
    {
      gtk_widget_add_css_class (scale, "share-error");
      gtk_widget_add_css_class (GTK_WIDGET (self->host_share_label), "error");
    }
  else if (plan->host_keeps_kib < plan->host_floor_kib)
    {
      gtk_widget_add_css_class (scale, "share-warning");
      gtk_widget_add_css_class (GTK_WIDGET (self->host_share_label), "warning");
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->memory_scale),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, host_text,
                                  -1);

  /* Said right under the slider that caused it, not further down with the other notes. */
  gtk_widget_set_visible (GTK_WIDGET (self->share_problem_row), plan->share_problem != NULL);
  if (plan->share_problem != NULL)
    {
      gboolean blocks = plan->host_keeps_kib < KIB_PER_GIB;
      GtkWidget *icon = GTK_WIDGET (self->share_problem_icon);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->share_problem_row),
                                     plan->share_problem);
      gtk_image_set_from_icon_name (self->share_problem_icon,
                                    blocks ? "dialog-error-symbolic" : "dialog-warning-symbolic");
      gtk_widget_remove_css_class (icon, blocks ? "warning" : "error");
      gtk_widget_add_css_class (icon, blocks ? "error" : "warning");
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      blocks ? _("Cannot work like this") : _("Note"),
                                      -1);
    }
}

static void
show_hugepages (PtMemoryPanel      *self,
                const PtMemoryPlan *plan,
                PtHostScan         *scan)
{
  const PtCpuTopology *cpu = pt_host_scan_get_cpu (scan);
  gboolean has_1g = cpu == NULL || pt_cpu_topology_has_flag (cpu, "pdpe1gb");
  g_autofree char *change = describe_change (plan);

  /* Without pdpe1gb the 1 GiB button stays off, with the reason where the user looks. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->page_1g_button),
                            has_1g || plan->hugepages == PT_HUGEPAGES_1G);
  adw_action_row_set_subtitle (self->page_size_row,
                               has_1g ? _("1 GiB pages suit large amounts of memory best")
                                      : _("This processor has no 1 GiB pages (pdpe1gb)"));

  if (plan->arithmetic != NULL)
    adw_action_row_set_subtitle (self->pages_row, plan->arithmetic);
  adw_action_row_set_subtitle (self->change_row, change);

  gtk_widget_set_visible (GTK_WIDGET (self->numa_row), cpu != NULL && cpu->numa->len > 1);
  if (plan->numa_node >= 0)
    {
      g_autofree char *text = NULL;

      /* TRANSLATORS: "Node 1, next to the graphics card and the virtual machine’s processors" */
      text = g_strdup_printf (_("Node %d, next to the virtual machine’s graphics card"),
                              plan->numa_node);
      adw_action_row_set_subtitle (self->numa_row, text);
    }
  else
    adw_action_row_set_subtitle (self->numa_row,
                                 _("Any node: choose a graphics card to keep memory next to it"));
}

static void
show_notes (PtMemoryPanel      *self,
            const PtMemoryPlan *plan)
{
  clear_notes (self);
  /* The share's own note is by the slider already. */
  for (guint i = 0; plan->blockers[i] != NULL; i++)
    if (g_strcmp0 (plan->blockers[i], plan->share_problem) != 0)
      add_note (self, plan->blockers[i], TRUE);
  for (guint i = 0; plan->warnings[i] != NULL; i++)
    if (g_strcmp0 (plan->warnings[i], plan->share_problem) != 0)
      add_note (self, plan->warnings[i], FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->notes_group), self->note_rows->len > 0);
}

static char *
describe_reserved (const PtMemory *memory)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; memory->hugepages != NULL && i < memory->hugepages->len; i++)
    {
      const PtHugepagePool *pool = g_ptr_array_index (memory->hugepages, i);
      g_autofree char *size = NULL;
      g_autofree char *total = NULL;
      g_autofree char *free_pages = NULL;

      if (pool->total == 0)
        continue;
      size = pt_memory_format_exact (pool->size_kib);
      total = g_strdup_printf ("%" G_GUINT64_FORMAT, pool->total);
      free_pages = g_strdup_printf ("%" G_GUINT64_FORMAT, pool->free);
      /* TRANSLATORS: hugepages set aside: "16 × 1 GiB, 16 free" */
      g_ptr_array_add (parts, g_strdup_printf (_("%s × %s, %s free"), total, size, free_pages));
    }

  if (parts->len == 0)
    return g_strdup (_("None"));
  g_ptr_array_add (parts, NULL);
  return g_strjoinv ("; ", (char **) parts->pdata);
}

/* Sets the slider's range and the host rows for a new snapshot. */
static void
show_host (PtMemoryPanel *self,
           PtHostScan    *scan)
{
  const PtMemory *memory = pt_host_scan_get_memory (scan);
  guint64 total_mib = memory->total_kib / 1024;
  guint64 floor_mib = pt_memory_host_floor_kib (memory->total_kib) / 1024;
  guint64 upper = total_mib > 2048 ? (total_mib - 1024) / 256 * 256 : 1024;
  g_autofree char *total = format_approx_kib (memory->total_kib);
  g_autofree char *available = format_approx_kib (memory->available_kib);
  g_autofree char *reserved = describe_reserved (memory);
  g_autofree char *low = format_mib (1024);
  g_autofree char *safe = NULL;

  self->syncing = TRUE;
  gtk_adjustment_set_upper (self->memory_adjustment, upper);
  gtk_scale_clear_marks (self->memory_scale);
  gtk_scale_add_mark (self->memory_scale, 1024, GTK_POS_BOTTOM, low);
  if (total_mib > floor_mib + 1024)
    {
      g_autofree char *keeps = format_friendly_kib (floor_mib * 1024);
      double at = (double) (total_mib - floor_mib - 1024) / (upper - 1024);

      /* TRANSLATORS: a mark on the memory slider: beyond it the host keeps less than this */
      safe = g_strdup_printf (_("Host keeps %s"), keeps);
      /* Close to the end (a big server) the words would run off the slider: a tick only. */
      gtk_scale_add_mark (self->memory_scale, total_mib - floor_mib, GTK_POS_BOTTOM,
                          at <= 0.9 ? safe : NULL);
    }
  self->syncing = FALSE;

  adw_action_row_set_subtitle (self->total_row, total);
  adw_action_row_set_subtitle (self->available_row, available);
  adw_action_row_set_subtitle (self->reserved_row, reserved);
}

/* Puts the setup's choices on screen and works out the plan for them. */
static void
refresh (PtMemoryPanel *self)
{
  PtHostScan *scan = pt_panel_get_scan (PT_PANEL (self));
  PtSetup *setup = pt_panel_get_setup (PT_PANEL (self));
  PtHugepages hugepages;

  if (scan == NULL || setup == NULL)
    return;

  g_clear_pointer (&self->plan, pt_memory_plan_free);
  self->plan = pt_memory_plan_new_for_scan (scan, setup, NULL);
  hugepages = pt_setup_get_hugepages (setup);

  self->syncing = TRUE;
  gtk_adjustment_set_value (self->memory_adjustment, pt_setup_get_memory_mib (setup));
  adw_expander_row_set_enable_expansion (self->hugepages_row, hugepages != PT_HUGEPAGES_OFF);
  if (hugepages == PT_HUGEPAGES_1G)
    gtk_toggle_button_set_active (self->page_1g_button, TRUE);
  else if (hugepages == PT_HUGEPAGES_2M)
    gtk_toggle_button_set_active (self->page_2m_button, TRUE);
  if (pt_setup_get_hugepages_on_demand (setup))
    gtk_check_button_set_active (self->reserve_demand_check, TRUE);
  else
    gtk_check_button_set_active (self->reserve_boot_check, TRUE);
  self->syncing = FALSE;

  show_share (self, self->plan);
  show_hugepages (self, self->plan, scan);
  show_notes (self, self->plan);
}

static void
memory_value_changed_cb (PtMemoryPanel *self,
                         GtkAdjustment *adjustment)
{
  PtSetup *setup = pt_panel_get_setup (PT_PANEL (self));

  if (self->syncing || setup == NULL)
    return;
  pt_setup_set_memory_mib (setup, (guint64) gtk_adjustment_get_value (adjustment));
}

static PtHugepages
chosen_page_size (PtMemoryPanel *self)
{
  return gtk_toggle_button_get_active (self->page_1g_button) ? PT_HUGEPAGES_1G : PT_HUGEPAGES_2M;
}

static void
hugepages_enabled_cb (PtMemoryPanel *self)
{
  PtSetup *setup = pt_panel_get_setup (PT_PANEL (self));

  if (self->syncing || setup == NULL)
    return;
  pt_setup_set_hugepages (setup, adw_expander_row_get_enable_expansion (self->hugepages_row)
                                 ? chosen_page_size (self) : PT_HUGEPAGES_OFF);
}

static void
page_size_toggled_cb (PtMemoryPanel   *self,
                      GtkToggleButton *button)
{
  PtSetup *setup = pt_panel_get_setup (PT_PANEL (self));

  /* Both buttons of the group toggle; the one that became active speaks. */
  if (self->syncing || setup == NULL || !gtk_toggle_button_get_active (button)
      || !adw_expander_row_get_enable_expansion (self->hugepages_row))
    return;
  pt_setup_set_hugepages (setup, chosen_page_size (self));
}

static void
reserve_toggled_cb (PtMemoryPanel  *self,
                    GtkCheckButton *button)
{
  PtSetup *setup = pt_panel_get_setup (PT_PANEL (self));

  if (self->syncing || setup == NULL || !gtk_check_button_get_active (button))
    return;
  pt_setup_set_hugepages_on_demand (setup,
                                    gtk_check_button_get_active (self->reserve_demand_check));
}

static void
pt_memory_panel_setup_changed (PtPanel *panel)
{
  refresh (PT_MEMORY_PANEL (panel));
}

static void
pt_memory_panel_scan_changed (PtPanel *panel)
{
  PtMemoryPanel *self = PT_MEMORY_PANEL (panel);
  PtHostScan *scan = pt_panel_get_scan (panel);

  if (scan == NULL)
    return;

  show_host (self, scan);
  refresh (self);
}

static void
pt_memory_panel_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PT_TYPE_MEMORY_PANEL);

  G_OBJECT_CLASS (pt_memory_panel_parent_class)->dispose (object);
}

static void
pt_memory_panel_finalize (GObject *object)
{
  PtMemoryPanel *self = PT_MEMORY_PANEL (object);

  g_clear_pointer (&self->note_rows, g_ptr_array_unref);
  g_clear_pointer (&self->plan, pt_memory_plan_free);

  G_OBJECT_CLASS (pt_memory_panel_parent_class)->finalize (object);
}

static void
pt_memory_panel_class_init (PtMemoryPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  PtPanelClass *panel_class = PT_PANEL_CLASS (klass);

  object_class->dispose = pt_memory_panel_dispose;
  object_class->finalize = pt_memory_panel_finalize;
  panel_class->scan_changed = pt_memory_panel_scan_changed;
  panel_class->setup_changed = pt_memory_panel_setup_changed;

  /* Naming the bundle pulls it out of the static library; its constructor registers it. */
  g_assert (pt_get_resource () != NULL);
  pt_devices_style_ensure ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/passthrough/Passthrough/ui/"
                                               "pt-memory-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, PtMemoryPanel, memory_adjustment);
  gtk_widget_class_bind_template_child (widget_class, PtMemoryPanel, memory_spin);
  gtk_widget_class_bind_template_child (widget_class, PtMemoryPanel, memory_scale);
  gtk_widget_class_bind_template_child (widget_class, PtMemoryPanel, guest_share_label);
  gtk_widget_class_bind_template_child (widget_class, PtMemoryPanel, host_share_label);
  gtk_widget_class_bind_template_child (widget_class, PtMemoryPanel, share_problem_row);
  gtk_widget_class_bind_template_child (widget_class, PtMemoryPanel, share_problem_icon);
  gtk_widget_class_bind_template_child (widget_class, PtMemoryPanel, hugepages_row);
  gtk_widget_class_bind_template_child (widget_class, PtMemoryPanel, page_size_row);
  gtk_widget_class_bind_template_child (widget_class, PtMemoryPanel, page_2m_button);
  gtk_widget_class_bind_template_child (widget_class, PtMemoryPanel, page_1g_button);
  gtk_widget_class_bind_template_child (widget_class, PtMemoryPanel, pages_row);
  gtk_widget_class_bind_template_child (widget_class, PtMemoryPanel, reserve_boot_check);
  gtk_widget_class_bind_template_child (widget_class, PtMemoryPanel, reserve_demand_check);
  gtk_widget_class_bind_template_child (widget_class, PtMemoryPanel, numa_row);
  gtk_widget_class_bind_template_child (widget_class, PtMemoryPanel, change_row);
  gtk_widget_class_bind_template_child (widget_class, PtMemoryPanel, notes_group);
  gtk_widget_class_bind_template_child (widget_class, PtMemoryPanel, total_row);
  gtk_widget_class_bind_template_child (widget_class, PtMemoryPanel, available_row);
  gtk_widget_class_bind_template_child (widget_class, PtMemoryPanel, reserved_row);
  gtk_widget_class_bind_template_callback (widget_class, memory_input_cb);
  gtk_widget_class_bind_template_callback (widget_class, memory_output_cb);
  gtk_widget_class_bind_template_callback (widget_class, memory_scale_change_value_cb);
  gtk_widget_class_bind_template_callback (widget_class, memory_value_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, hugepages_enabled_cb);
  gtk_widget_class_bind_template_callback (widget_class, page_size_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, reserve_toggled_cb);
}

static void
pt_memory_panel_init (PtMemoryPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->note_rows = g_ptr_array_new ();

  pt_panel_set_title (PT_PANEL (self), _("Memory"));
  pt_panel_set_icon_name (PT_PANEL (self), "application-x-firmware-symbolic");
}

GtkWidget *
pt_memory_panel_new (void)
{
  return g_object_new (PT_TYPE_MEMORY_PANEL, NULL);
}

const PtMemoryPlan *
pt_memory_panel_get_plan (PtMemoryPanel *self)
{
  g_return_val_if_fail (PT_IS_MEMORY_PANEL (self), NULL);

  return self->plan;
}
