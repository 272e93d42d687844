/* pt-overview-panel.c: shows the host snapshot in words and runs the readiness checks on it. */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pt-host-check.h"
#include "pt-overview-panel.h"
#include "pt-resources.h"

struct _PtOverviewPanel
{
  PtPanel          parent_instance;

  /* template children */
  GtkStack        *verdict_icon_stack;
  GtkSpinner      *verdict_spinner;
  GtkImage        *verdict_icon;
  GtkLabel        *verdict_title;
  GtkLabel        *verdict_description;
  AdwPreferencesGroup *checks_group;
  GtkWidget       *checking_row;
  GtkSpinner      *checking_spinner;
  AdwActionRow    *os_row;
  AdwActionRow    *cpu_row;
  AdwActionRow    *memory_row;
  AdwActionRow    *iommu_row;
  AdwActionRow    *kernel_row;
  AdwPreferencesGroup *gpu_group;

  GPtrArray       *checks;        /* PtHostCheck*, as on screen */
  GPtrArray       *check_rows;    /* GtkWidget*, owned by checks_group */
  GPtrArray       *gpu_rows;      /* GtkWidget*, owned by gpu_group */
  guint            generation;    /* which scan the running checks belong to */
  gboolean         ready;
};

G_DEFINE_FINAL_TYPE (PtOverviewPanel, pt_overview_panel, PT_TYPE_PANEL)

enum {
  PROP_0,
  PROP_READY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Why each check matters, for someone who has never heard of VFIO. */
static const struct {
  const char *id;
  const char *why;
} check_reasons[] = {
  { "cpu-virtualization", N_("Virtual machines run at full speed only with the processor’s "
                             "virtualization feature.") },
  { "kvm", N_("/dev/kvm is how QEMU uses the processor’s virtualization feature.") },
  { "iommu", N_("The IOMMU fences a device off, so that a virtual machine can own it without "
                "reaching into the rest of the computer.") },
  { "kernel-args", N_("Some IOMMU features are switched on by options Linux gets when it "
                      "starts.") },
  { "vfio-pci", N_("vfio-pci holds a graphics card for the virtual machine, so that the host’s "
                   "own driver leaves it alone.") },
  { "libvirt", N_("libvirt stores the virtual machine and starts it; virt-manager and GNOME "
                  "Boxes use it too.") },
  { "ovmf", N_("Current graphics cards only start in a virtual machine that boots with UEFI, "
               "which OVMF provides.") },
  { "libvirt-group", N_("Members of the libvirt group may create and start virtual machines "
                        "without typing a password each time.") },
  { "memory", N_("The virtual machine’s memory is taken from this computer while it runs.") },
};

static const char *
reason_for (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (check_reasons); i++)
    if (g_str_equal (check_reasons[i].id, id))
      return g_dgettext (GETTEXT_PACKAGE, check_reasons[i].why);
  return NULL;
}

static void
set_ready (PtOverviewPanel *self,
           gboolean         ready)
{
  if (self->ready == ready)
    return;

  self->ready = ready;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
}

static GtkWidget *
create_status_icon (PtCheckState state)
{
  GtkWidget *icon = gtk_image_new ();
  const char *icon_name;
  const char *css_class;
  const char *label;

  switch (state)
    {
    case PT_CHECK_OK:
      icon_name = "emblem-ok-symbolic";
      css_class = "success";
      label = _("Ready");
      break;
    case PT_CHECK_WARNING:
      icon_name = "dialog-warning-symbolic";
      css_class = "warning";
      label = _("Works, could be better");
      break;
    case PT_CHECK_FAILED:
      icon_name = "dialog-error-symbolic";
      css_class = "error";
      label = _("Needs fixing");
      break;
    case PT_CHECK_UNKNOWN:
    default:
      icon_name = "dialog-question-symbolic";
      css_class = "dim-label";
      label = _("Could not check");
      break;
    }

  gtk_image_set_from_icon_name (GTK_IMAGE (icon), icon_name);
  gtk_widget_add_css_class (icon, css_class);
  gtk_widget_add_css_class (icon, "status-icon");
  gtk_widget_set_valign (icon, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (icon, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  return icon;
}

static GtkWidget *
create_wrapping_label (const char *text,
                       const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

/* The part below a check that did not pass: how to fix it, and why it matters. */
static GtkWidget *
create_fix_row (const PtHostCheck *check)
{
  GtkWidget *row;
  GtkWidget *box;
  GtkWidget *heading;
  GtkWidget *fix;
  const char *why = reason_for (check->id);
  /* A warning works already; its fix is advice rather than a repair. */
  const char *heading_text = check->state == PT_CHECK_WARNING ? _("Suggestion") : _("How to fix");
  g_autofree char *fix_name = g_strdup_printf ("fix-%s", check->id);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_widget_add_css_class (box, "fix");

  heading = create_wrapping_label (heading_text, "caption-heading");
  gtk_box_append (GTK_BOX (box), heading);

  fix = create_wrapping_label (check->fix, NULL);
  gtk_widget_set_name (fix, fix_name);
  /* Fixes often hold a command to copy. */
  gtk_label_set_selectable (GTK_LABEL (fix), TRUE);
  gtk_box_append (GTK_BOX (box), fix);

  if (why != NULL)
    {
      GtkWidget *reason = create_wrapping_label (why, "dim-label");

      gtk_widget_set_margin_top (reason, 6);
      gtk_box_append (GTK_BOX (box), reason);
    }

  row = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, heading_text,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, check->fix,
                                  -1);
  return row;
}

static GtkWidget *
create_check_row (const PtHostCheck *check)
{
  g_autofree char *name = g_strdup_printf ("check-%s", check->id);
  g_autofree char *state_class = NULL;
  GtkWidget *icon = create_status_icon (check->state);
  GtkWidget *row;

  if (check->fix == NULL)
    {
      row = adw_action_row_new ();
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), check->detail);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      gtk_widget_set_tooltip_text (row, reason_for (check->id));
    }
  else
    {
      row = adw_expander_row_new ();
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), check->detail);
      adw_expander_row_add_prefix (ADW_EXPANDER_ROW (row), icon);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), create_fix_row (check));
      /* Open from the start: the fix is the point of the row. */
      adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
    }

  /* Details quote paths and libvirt messages; they are text, not markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), check->title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, check->title,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, check->detail,
                                  -1);
  gtk_widget_set_name (row, name);
  /* Prefixed: a bare .warning or .error would colour the whole row. */
  state_class = g_strdup_printf ("check-%s", pt_check_state_to_string (check->state));
  gtk_widget_add_css_class (row, state_class);
  return row;
}

static void
clear_rows (AdwPreferencesGroup *group,
            GPtrArray           *rows)
{
  for (guint i = 0; i < rows->len; i++)
    adw_preferences_group_remove (group, g_ptr_array_index (rows, i));
  g_ptr_array_set_size (rows, 0);
}

static void
show_verdict (PtOverviewPanel *self)
{
  guint failed = 0;
  guint warnings = 0;
  guint unknown = 0;
  g_autofree char *title = NULL;
  const char *description;
  const char *icon_name;
  const char *css_class;

  for (guint i = 0; i < self->checks->len; i++)
    {
      const PtHostCheck *check = g_ptr_array_index (self->checks, i);

      switch (check->state)
        {
        case PT_CHECK_FAILED:
          failed++;
          break;
        case PT_CHECK_WARNING:
          warnings++;
          break;
        case PT_CHECK_UNKNOWN:
          unknown++;
          break;
        case PT_CHECK_OK:
        default:
          break;
        }
    }

  if (failed > 0)
    {
      title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Problem to Fix",
                                            "%u Problems to Fix", failed), failed);
      description = g_dngettext (GETTEXT_PACKAGE,
                                 "A virtual machine cannot have its own graphics card until "
                                 "this is fixed. The check below says how.",
                                 "A virtual machine cannot have its own graphics card until "
                                 "these are fixed. Each check below says how.",
                                 failed);
      icon_name = "dialog-error-symbolic";
      css_class = "error";
    }
  else if (warnings > 0 || unknown > 0)
    {
      title = g_strdup (_("Ready, With Suggestions"));
      description = _("Passthrough can work on this computer; the notes below make it work "
                      "better.");
      icon_name = "dialog-warning-symbolic";
      css_class = "warning";
    }
  else
    {
      title = g_strdup (_("Ready for Passthrough"));
      description = _("This computer has everything a virtual machine with its own graphics "
                      "card needs.");
      icon_name = "emblem-ok-symbolic";
      css_class = "success";
    }

  gtk_image_set_from_icon_name (self->verdict_icon, icon_name);
  gtk_widget_remove_css_class (GTK_WIDGET (self->verdict_icon), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->verdict_icon), "warning");
  gtk_widget_remove_css_class (GTK_WIDGET (self->verdict_icon), "success");
  gtk_widget_add_css_class (GTK_WIDGET (self->verdict_icon), css_class);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->verdict_icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  -1);
  gtk_stack_set_visible_child_name (self->verdict_icon_stack, "icon");
  gtk_spinner_stop (self->verdict_spinner);
  gtk_label_set_label (self->verdict_title, title);
  gtk_label_set_label (self->verdict_description, description);
}

static void
show_checking (PtOverviewPanel *self)
{
  gtk_stack_set_visible_child_name (self->verdict_icon_stack, "spinner");
  gtk_spinner_start (self->verdict_spinner);
  gtk_label_set_label (self->verdict_title, _("Checking This Computer…"));
  gtk_label_set_label (self->verdict_description,
                       _("Looking for virtualization support, the IOMMU, libvirt and the "
                         "firmware virtual machines need."));

  /* Keep earlier results visible but dimmed until the new ones arrive. */
  for (guint i = 0; i < self->check_rows->len; i++)
    gtk_widget_set_sensitive (g_ptr_array_index (self->check_rows, i), FALSE);

  gtk_widget_set_visible (self->checking_row, self->check_rows->len == 0);
  gtk_spinner_set_spinning (self->checking_spinner, self->check_rows->len == 0);
}

/* One run of the checks, remembering which snapshot it was for. The reference is weak: a
 * panel that went away must not be kept alive by checks still running. */
typedef struct {
  GWeakRef  panel;
  guint     generation;
} ChecksRun;

static void
checks_run_free (ChecksRun *run)
{
  g_weak_ref_clear (&run->panel);
  g_free (run);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ChecksRun, checks_run_free)

static void
checks_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(ChecksRun) run = user_data;
  g_autoptr(PtOverviewPanel) self = g_weak_ref_get (&run->panel);
  g_autoptr(GPtrArray) checks = NULL;
  g_autoptr(GError) error = NULL;

  checks = pt_host_check_run_finish (result, &error);
  if (self == NULL || g_cancellable_is_cancelled (pt_panel_get_cancellable (PT_PANEL (self))))
    return;

  /* A newer snapshot arrived while these ran; its own run fills in the rows. */
  if (run->generation != self->generation)
    return;

  if (checks == NULL)
    {
      /* pt_host_check_run_sync always answers; only a cancelled run lands here. */
      g_debug ("The checks did not finish: %s", error->message);
      return;
    }

  clear_rows (self->checks_group, self->check_rows);
  g_ptr_array_unref (self->checks);
  self->checks = g_steal_pointer (&checks);

  for (guint i = 0; i < self->checks->len; i++)
    {
      GtkWidget *row = create_check_row (g_ptr_array_index (self->checks, i));

      adw_preferences_group_add (self->checks_group, row);
      g_ptr_array_add (self->check_rows, row);
    }

  gtk_widget_set_visible (self->checking_row, FALSE);
  gtk_spinner_set_spinning (self->checking_spinner, FALSE);
  show_verdict (self);
  set_ready (self, TRUE);
}

static void
run_checks (PtOverviewPanel *self)
{
  PtHostScan *scan = pt_panel_get_scan (PT_PANEL (self));
  PtHostCheckOptions options = { 0 };
  ChecksRun *run;

  if (scan == NULL)
    return;

  self->generation++;
  set_ready (self, FALSE);
  show_checking (self);

  run = g_new0 (ChecksRun, 1);
  g_weak_ref_init (&run->panel, self);
  run->generation = self->generation;

  /* The options are copied before the call returns. */
  options.libvirt_uri = (char *) pt_panel_get_libvirt_uri (PT_PANEL (self));
  pt_host_check_run_async (scan, &options, pt_panel_get_cancellable (PT_PANEL (self)),
                           checks_done_cb, run);
}

static char *
format_cpu (const PtCpuTopology *cpu)
{
  g_autofree char *cores = NULL;
  g_autofree char *threads = NULL;
  g_autofree char *counts = NULL;
  const char *model;

  if (cpu == NULL)
    return g_strdup (_("Unknown"));

  model = cpu->model != NULL && cpu->model[0] != '\0' ? cpu->model : _("Unknown processor");
  cores = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u core", "%u cores", cpu->cores->len),
                           cpu->cores->len);
  threads = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u thread", "%u threads",
                                          cpu->online->len),
                             cpu->online->len);

  if (cpu->packages->len > 1)
    {
      g_autofree char *sockets = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u socket",
                                                               "%u sockets",
                                                               cpu->packages->len),
                                                  cpu->packages->len);

      /* TRANSLATORS: "2 sockets, 32 cores, 64 threads" */
      counts = g_strdup_printf (_("%s, %s, %s"), sockets, cores, threads);
    }
  else
    /* TRANSLATORS: "6 cores, 12 threads" */
    counts = g_strdup_printf (_("%s, %s"), cores, threads);

  if (cpu->hybrid)
    /* TRANSLATORS: "Intel Core i7-12700H — 14 cores, 20 threads; performance and efficiency
     * cores" */
    return g_strdup_printf (_("%s — %s; performance and efficiency cores"), model, counts);

  /* TRANSLATORS: "AMD Ryzen 5 2600X Six-Core Processor — 6 cores, 12 threads" */
  return g_strdup_printf (_("%s — %s"), model, counts);
}

static char *
format_memory (const PtMemory *memory)
{
  g_autofree char *total = NULL;
  g_autofree char *available = NULL;

  if (memory == NULL || memory->total_kib == 0)
    return g_strdup (_("Unknown"));

  total = g_format_size_full (memory->total_kib * 1024, G_FORMAT_SIZE_IEC_UNITS);
  available = g_format_size_full (memory->available_kib * 1024, G_FORMAT_SIZE_IEC_UNITS);
  /* TRANSLATORS: "15.6 GiB, 12.1 GiB available" */
  return g_strdup_printf (_("%s, %s available"), total, available);
}

static char *
format_iommu (const PtIommu *iommu)
{
  if (iommu == NULL)
    return g_strdup (_("Unknown"));
  if (!iommu->enabled)
    return g_strdup (_("Off"));

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "On, %u group", "On, %u groups",
                                       iommu->groups->len),
                          iommu->groups->len);
}

static const char *
bootloader_display_name (PtBootloader bootloader)
{
  switch (bootloader)
    {
    case PT_BOOTLOADER_GRUB:
      return "GRUB";
    case PT_BOOTLOADER_GRUBBY:
      return "GRUB (grubby)";
    case PT_BOOTLOADER_SYSTEMD_BOOT:
      return "systemd-boot";
    case PT_BOOTLOADER_KERNELSTUB:
      return "systemd-boot (kernelstub)";
    case PT_BOOTLOADER_RPM_OSTREE:
      return "rpm-ostree";
    case PT_BOOTLOADER_UNKNOWN:
    default:
      return NULL;
    }
}

static char *
format_kernel (const PtBoot *boot)
{
  const char *bootloader;
  const char *kernel;

  if (boot == NULL)
    return g_strdup (_("Unknown"));

  kernel = boot->running_kernel != NULL && boot->running_kernel[0] != '\0'
           ? boot->running_kernel : _("Unknown version");
  bootloader = bootloader_display_name (boot->bootloader);
  if (bootloader == NULL)
    return g_strdup (kernel);

  /* TRANSLATORS: "6.1.0-13-amd64, started by GRUB" */
  return g_strdup_printf (_("%s, started by %s"), kernel, bootloader);
}

static GtkWidget *
create_gpu_row (const PtPciDevice *gpu)
{
  g_autofree char *name = g_strdup_printf ("gpu-%s", gpu->address);
  g_autofree char *group = NULL;
  g_autofree char *subtitle = NULL;
  const char *title;
  const char *vendor;
  GtkWidget *row;
  GtkWidget *icon;

  title = gpu->device_name != NULL && gpu->device_name[0] != '\0'
          ? gpu->device_name : gpu->name;
  vendor = gpu->vendor_name != NULL ? gpu->vendor_name : "";
  group = gpu->iommu_group >= 0
          ? g_strdup_printf (_("IOMMU group %d"), gpu->iommu_group)
          : g_strdup (_("no IOMMU group"));

  /* TRANSLATORS: "NVIDIA Corporation · 0000:09:00.0 · IOMMU group 16 · driver nvidia" */
  subtitle = g_strdup_printf (_("%s · %s · %s · driver %s"), vendor, gpu->address, group,
                              gpu->driver != NULL ? gpu->driver : _("none"));

  row = adw_action_row_new ();
  gtk_widget_set_name (row, name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, subtitle,
                                  -1);

  icon = gtk_image_new_from_icon_name ("video-display-symbolic");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Graphics card"),
                                  -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);

  if (gpu->boot_vga)
    {
      GtkWidget *tag = gtk_label_new (_("Boot display"));

      gtk_widget_set_name (tag, "boot-display");
      gtk_widget_set_valign (tag, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (tag, "tag");
      gtk_widget_set_tooltip_text (tag, _("This card shows the start-up screen"));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), tag);
    }

  return row;
}

static void
show_summary (PtOverviewPanel *self,
              PtHostScan      *scan)
{
  const PtBoot *boot = pt_host_scan_get_boot (scan);
  GPtrArray *pci = pt_host_scan_get_pci (scan);
  g_autofree char *cpu = format_cpu (pt_host_scan_get_cpu (scan));
  g_autofree char *memory = format_memory (pt_host_scan_get_memory (scan));
  g_autofree char *iommu = format_iommu (pt_host_scan_get_iommu (scan));
  g_autofree char *kernel = format_kernel (boot);

  adw_action_row_set_subtitle (self->os_row,
                               boot != NULL && boot->os_name != NULL && boot->os_name[0] != '\0'
                               ? boot->os_name : _("Unknown"));
  adw_action_row_set_subtitle (self->cpu_row, cpu);
  adw_action_row_set_subtitle (self->memory_row, memory);
  adw_action_row_set_subtitle (self->iommu_row, iommu);
  adw_action_row_set_subtitle (self->kernel_row, kernel);

  clear_rows (self->gpu_group, self->gpu_rows);
  for (guint i = 0; pci != NULL && i < pci->len; i++)
    {
      const PtPciDevice *device = g_ptr_array_index (pci, i);
      GtkWidget *row;

      if (!pt_pci_device_is_gpu (device))
        continue;

      row = create_gpu_row (device);
      adw_preferences_group_add (self->gpu_group, row);
      g_ptr_array_add (self->gpu_rows, row);
    }

  if (self->gpu_rows->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      gtk_widget_set_name (row, "gpu-none");
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No graphics cards found"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   _("Passthrough needs a graphics card that the virtual machine "
                                     "can own."));
      adw_preferences_group_add (self->gpu_group, row);
      g_ptr_array_add (self->gpu_rows, row);
    }
}

static void
pt_overview_panel_scan_changed (PtPanel *panel)
{
  PtOverviewPanel *self = PT_OVERVIEW_PANEL (panel);
  PtHostScan *scan = pt_panel_get_scan (panel);

  if (scan == NULL)
    return;

  show_summary (self, scan);
  run_checks (self);
}

/* The checks ask libvirt too: ask the one now in use. */
static void
pt_overview_panel_libvirt_uri_changed (PtPanel *panel)
{
  run_checks (PT_OVERVIEW_PANEL (panel));
}

static void
pt_overview_panel_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PT_TYPE_OVERVIEW_PANEL);

  G_OBJECT_CLASS (pt_overview_panel_parent_class)->dispose (object);
}

static void
pt_overview_panel_finalize (GObject *object)
{
  PtOverviewPanel *self = PT_OVERVIEW_PANEL (object);

  g_clear_pointer (&self->checks, g_ptr_array_unref);
  g_clear_pointer (&self->check_rows, g_ptr_array_unref);
  g_clear_pointer (&self->gpu_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (pt_overview_panel_parent_class)->finalize (object);
}

static void
pt_overview_panel_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  PtOverviewPanel *self = PT_OVERVIEW_PANEL (object);

  switch (prop_id)
    {
    case PROP_READY:
      g_value_set_boolean (value, self->ready);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pt_overview_panel_class_init (PtOverviewPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  PtPanelClass *panel_class = PT_PANEL_CLASS (klass);

  object_class->dispose = pt_overview_panel_dispose;
  object_class->finalize = pt_overview_panel_finalize;
  object_class->get_property = pt_overview_panel_get_property;
  panel_class->scan_changed = pt_overview_panel_scan_changed;
  panel_class->libvirt_uri_changed = pt_overview_panel_libvirt_uri_changed;

  properties[PROP_READY] =
    g_param_spec_boolean ("ready", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Naming the bundle pulls it out of the static library; its constructor registers it. */
  g_assert (pt_get_resource () != NULL);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/passthrough/Passthrough/ui/"
                                               "pt-overview-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, PtOverviewPanel, verdict_icon_stack);
  gtk_widget_class_bind_template_child (widget_class, PtOverviewPanel, verdict_spinner);
  gtk_widget_class_bind_template_child (widget_class, PtOverviewPanel, verdict_icon);
  gtk_widget_class_bind_template_child (widget_class, PtOverviewPanel, verdict_title);
  gtk_widget_class_bind_template_child (widget_class, PtOverviewPanel, verdict_description);
  gtk_widget_class_bind_template_child (widget_class, PtOverviewPanel, checks_group);
  gtk_widget_class_bind_template_child (widget_class, PtOverviewPanel, checking_row);
  gtk_widget_class_bind_template_child (widget_class, PtOverviewPanel, checking_spinner);
  gtk_widget_class_bind_template_child (widget_class, PtOverviewPanel, os_row);
  gtk_widget_class_bind_template_child (widget_class, PtOverviewPanel, cpu_row);
  gtk_widget_class_bind_template_child (widget_class, PtOverviewPanel, memory_row);
  gtk_widget_class_bind_template_child (widget_class, PtOverviewPanel, iommu_row);
  gtk_widget_class_bind_template_child (widget_class, PtOverviewPanel, kernel_row);
  gtk_widget_class_bind_template_child (widget_class, PtOverviewPanel, gpu_group);
}

static void
pt_overview_panel_init (PtOverviewPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->checks = g_ptr_array_new_with_free_func ((GDestroyNotify) pt_host_check_free);
  self->check_rows = g_ptr_array_new ();
  self->gpu_rows = g_ptr_array_new ();

  pt_panel_set_title (PT_PANEL (self), _("Overview"));
  pt_panel_set_icon_name (PT_PANEL (self), "computer-symbolic");
}

GtkWidget *
pt_overview_panel_new (void)
{
  return g_object_new (PT_TYPE_OVERVIEW_PANEL, NULL);
}

gboolean
pt_overview_panel_get_ready (PtOverviewPanel *self)
{
  g_return_val_if_fail (PT_IS_OVERVIEW_PANEL (self), FALSE);

  return self->ready;
}

GPtrArray *
pt_overview_panel_get_checks (PtOverviewPanel *self)
{
  g_return_val_if_fail (PT_IS_OVERVIEW_PANEL (self), NULL);

  return self->checks;
}
