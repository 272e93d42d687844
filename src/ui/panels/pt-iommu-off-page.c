/* pt-iommu-off-page.c: how to turn the IOMMU on, in the firmware and on the kernel command line,
 * shown instead of an empty list of groups. */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pt-iommu-off-page.h"

struct _PtIommuOffPage
{
  AdwBin               parent_instance;

  /* template children */
  AdwPreferencesGroup *firmware_group;
  GtkLabel            *kernel_args_label;
  AdwPreferencesGroup *gpu_group;

  GPtrArray           *firmware_rows;  /* GtkWidget*, owned by firmware_group */
  GPtrArray           *gpu_rows;       /* GtkWidget*, owned by gpu_group */
};

G_DEFINE_FINAL_TYPE (PtIommuOffPage, pt_iommu_off_page, ADW_TYPE_BIN)

static void
clear_rows (AdwPreferencesGroup *group,
            GPtrArray           *rows)
{
  for (guint i = 0; i < rows->len; i++)
    adw_preferences_group_remove (group, g_ptr_array_index (rows, i));
  g_ptr_array_set_size (rows, 0);
}

/* Firmware menus name the IOMMU after the processor's maker. */
static void
show_firmware_steps (PtIommuOffPage *self,
                     PtHostScan     *scan)
{
  const PtCpuTopology *cpu = pt_host_scan_get_cpu (scan);
  const char *steps[3];

  steps[0] = _("Restart the computer and open its firmware setup (UEFI or BIOS), usually by "
               "pressing Del, F2 or F10 while the maker’s logo shows.");
  if (cpu != NULL && g_strcmp0 (cpu->vendor, "GenuineIntel") == 0)
    steps[1] = _("Turn on “Intel Virtualization Technology” (VT-x) and “VT-d” (Virtualization "
                 "Technology for Directed I/O), usually under Advanced › CPU or System Agent "
                 "Configuration.");
  else if (cpu != NULL && (g_strcmp0 (cpu->vendor, "AuthenticAMD") == 0
                           || g_strcmp0 (cpu->vendor, "HygonGenuine") == 0))
    steps[1] = _("Turn on “SVM Mode” and “IOMMU” (sometimes “AMD-Vi”), usually under Advanced "
                 "› CPU Configuration and AMD CBS › NBIO.");
  else
    steps[1] = _("Turn on the processor’s virtualization (VT-x or SVM) and the IOMMU (VT-d or "
                 "AMD-Vi).");
  steps[2] = _("Save the settings and start Linux again.");

  clear_rows (self->firmware_group, self->firmware_rows);
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autofree char *name = g_strdup_printf ("firmware-step-%u", i + 1);
      g_autofree char *number = g_strdup_printf ("%u", i + 1);
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      GtkWidget *number_label = gtk_label_new (number);
      GtkWidget *text = gtk_label_new (steps[i]);

      gtk_widget_set_name (box, name);
      gtk_widget_set_margin_bottom (box, 6);
      gtk_widget_add_css_class (box, "firmware-step");
      gtk_widget_add_css_class (number_label, "heading");
      gtk_widget_add_css_class (number_label, "dim-label");
      gtk_widget_set_valign (number_label, GTK_ALIGN_START);
      gtk_label_set_wrap (GTK_LABEL (text), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (text), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_xalign (GTK_LABEL (text), 0);
      gtk_widget_set_hexpand (text, TRUE);
      gtk_box_append (GTK_BOX (box), number_label);
      gtk_box_append (GTK_BOX (box), text);
      adw_preferences_group_add (self->firmware_group, box);
      g_ptr_array_add (self->firmware_rows, box);
    }
}

/* A row chooses its card as its button does. */
static void
gpu_row_activated_cb (AdwActionRow *row)
{
  gtk_widget_activate_action (GTK_WIDGET (row), "graphics.choose", "s",
                              g_object_get_data (G_OBJECT (row), "address"));
}

static void
show_off_gpus (PtIommuOffPage *self,
               PtHostScan     *scan)
{
  g_autoptr(GPtrArray) gpus = pt_gpu_list (scan);

  clear_rows (self->gpu_group, self->gpu_rows);
  for (guint i = 0; i < gpus->len; i++)
    {
      const PtPciDevice *gpu = g_ptr_array_index (gpus, i);
      g_autofree char *name = g_strdup_printf ("gpu-%s", gpu->address);
      g_autofree char *vendor = pt_gpu_short_vendor (gpu->vendor_name);
      g_autofree char *title = g_strdup_printf ("%s %s", vendor, gpu->device_name);
      g_autofree char *subtitle = NULL;
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *icon = gtk_image_new_from_icon_name ("video-display-symbolic");
      GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");
      GtkWidget *button;

      subtitle = gpu->boot_vga
                 /* TRANSLATORS: "0000:00:02.0 · shows the start-up screen" */
                 ? g_strdup_printf (_("%s · shows the start-up screen"), gpu->address)
                 : g_strdup (gpu->address);
      gtk_widget_set_name (row, name);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      gtk_widget_set_name (check, "chosen-icon");
      gtk_widget_add_css_class (check, "accent");
      gtk_widget_set_tooltip_text (check, _("Goes to the virtual machine"));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), check);
      button = gtk_button_new_with_label (_("Give to VM"));
      gtk_widget_set_name (button, "choose-button");
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", gpu->address);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "graphics.choose");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "address", g_strdup (gpu->address), g_free);
      g_object_set_data (G_OBJECT (row), "check", check);
      g_object_set_data (G_OBJECT (row), "button", button);
      g_signal_connect (row, "activated", G_CALLBACK (gpu_row_activated_cb), NULL);
      adw_preferences_group_add (self->gpu_group, row);
      g_ptr_array_add (self->gpu_rows, row);
    }
}

void
pt_iommu_off_page_set_host (PtIommuOffPage     *self,
                            PtHostScan         *scan,
                            const char * const *kernel_args)
{
  g_autofree char *args = NULL;

  g_return_if_fail (PT_IS_IOMMU_OFF_PAGE (self));
  g_return_if_fail (PT_IS_HOST_SCAN (scan));

  show_firmware_steps (self, scan);
  args = kernel_args != NULL && kernel_args[0] != NULL
         ? g_strjoinv (" ", (char **) kernel_args)
         : g_strdup (_("Nothing: the command line has what the IOMMU needs already."));
  gtk_label_set_label (self->kernel_args_label, args);
  show_off_gpus (self, scan);
}

void
pt_iommu_off_page_set_choice (PtIommuOffPage    *self,
                              const PtGpuChoice *choice)
{
  g_return_if_fail (PT_IS_IOMMU_OFF_PAGE (self));

  for (guint i = 0; i < self->gpu_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->gpu_rows, i);
      const char *address = g_object_get_data (G_OBJECT (row), "address");
      GtkWidget *check = g_object_get_data (G_OBJECT (row), "check");
      GtkWidget *button = g_object_get_data (G_OBJECT (row), "button");
      gboolean chosen = choice != NULL && pt_gpu_choice_contains (choice, address);

      gtk_widget_set_visible (check, chosen);
      gtk_widget_set_visible (button, !chosen);
    }
}

static void
pt_iommu_off_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PT_TYPE_IOMMU_OFF_PAGE);

  G_OBJECT_CLASS (pt_iommu_off_page_parent_class)->dispose (object);
}

static void
pt_iommu_off_page_finalize (GObject *object)
{
  PtIommuOffPage *self = PT_IOMMU_OFF_PAGE (object);

  g_clear_pointer (&self->firmware_rows, g_ptr_array_unref);
  g_clear_pointer (&self->gpu_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (pt_iommu_off_page_parent_class)->finalize (object);
}

static void
pt_iommu_off_page_class_init (PtIommuOffPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pt_iommu_off_page_dispose;
  object_class->finalize = pt_iommu_off_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/passthrough/Passthrough/ui/"
                                               "pt-iommu-off-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PtIommuOffPage, firmware_group);
  gtk_widget_class_bind_template_child (widget_class, PtIommuOffPage, kernel_args_label);
  gtk_widget_class_bind_template_child (widget_class, PtIommuOffPage, gpu_group);
}

static void
pt_iommu_off_page_init (PtIommuOffPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->firmware_rows = g_ptr_array_new ();
  self->gpu_rows = g_ptr_array_new ();
}

GtkWidget *
pt_iommu_off_page_new (void)
{
  return g_object_new (PT_TYPE_IOMMU_OFF_PAGE, NULL);
}
