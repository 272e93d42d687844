/* pt-storage-panel.c: lets the user give the virtual machine whole disks (never the host's own),
 * a new image in a libvirt pool, install and driver discs, USB devices and whole controllers. */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pt-devices-domain.h"
#include "pt-devices-style.h"
#include "pt-guest-devices.h"
#include "pt-resources.h"
#include "pt-storage-panel.h"

/* Where a pool list cannot be had, libvirt's usual pool is the best guess. */
#define FALLBACK_POOL "default"

typedef enum {
  CHOICE_DISK,
  CHOICE_USB_DEVICE,
  CHOICE_USB_CONTROLLER,
} ChoiceKind;

/* One tickable row: a disk, a USB device or a controller, and how PtSetup spells it. */
typedef struct {
  GtkWidget           *row;    /* owned by its group */
  GtkCheckButton      *check;
  AdwPreferencesGroup *group;
  ChoiceKind           kind;
  char                *value;  /* "/dev/disk/by-id/…", "046d:c52b", "0000:0b:00.3" */
} ChoiceRow;

typedef enum {
  DISC_INSTALLER,
  DISC_DRIVERS,
} Disc;

struct _PtStoragePanel
{
  PtPanel              parent_instance;

  /* template children */
  AdwPreferencesGroup *disks_group;
  AdwExpanderRow      *image_row;
  AdwComboRow         *pool_row;
  GtkStringList       *pool_names;
  GtkAdjustment       *image_size_adjustment;
  AdwActionRow        *volume_name_row;
  AdwActionRow        *installer_row;
  GtkWidget           *installer_clear_button;
  AdwActionRow        *drivers_row;
  GtkWidget           *drivers_clear_button;
  AdwPreferencesGroup *usb_group;
  AdwPreferencesGroup *controllers_group;

  GPtrArray           *rows;          /* ChoiceRow* */
  GPtrArray           *placeholders;  /* GtkWidget*, each with its group as "group" data */
  char                *discs[2];      /* Disc → path, NULL when none */
  GtkNativeDialog     *chooser;
  Disc                 chooser_disc;
  guint                pools_generation;
  gboolean             pools_ready;
  guint                offers_generation;
  gboolean             offers_ready;
  char                *offers_gpu;    /* the guest GPU the controller rows were made for */
  char                *pools_error;
  gboolean             syncing;
};

G_DEFINE_FINAL_TYPE (PtStoragePanel, pt_storage_panel, PT_TYPE_PANEL)

static void
choice_row_free (ChoiceRow *row)
{
  g_free (row->value);
  g_free (row);
}

static void
clear_rows (PtStoragePanel *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      ChoiceRow *row = g_ptr_array_index (self->rows, i);

      adw_preferences_group_remove (row->group, row->row);
    }
  g_ptr_array_set_size (self->rows, 0);

  for (guint i = 0; i < self->placeholders->len; i++)
    {
      GtkWidget *placeholder = g_ptr_array_index (self->placeholders, i);

      adw_preferences_group_remove (g_object_get_data (G_OBJECT (placeholder), "group"),
                                    placeholder);
    }
  g_ptr_array_set_size (self->placeholders, 0);
}

static const char *
selected_pool (PtStoragePanel *self)
{
  guint selected = adw_combo_row_get_selected (self->pool_row);

  if (selected == GTK_INVALID_LIST_POSITION)
    return NULL;
  return gtk_string_list_get_string (self->pool_names, selected);
}

/* "passthrough-vm.qcow2" for the VM "passthrough-vm": libvirt names are looser than volumes'. */
static char *
volume_name (PtStoragePanel *self)
{
  PtSetup *setup = pt_panel_get_setup (PT_PANEL (self));
  const char *name = setup != NULL ? pt_setup_get_name (setup) : NULL;
  GString *volume = g_string_new (NULL);

  for (const char *p = name != NULL ? name : PT_SETUP_DEFAULT_NAME; *p != '\0'; p++)
    g_string_append_c (volume, g_ascii_isalnum (*p) || *p == '-' || *p == '_' ? *p : '-');
  if (volume->len == 0 || volume->str[0] == '-')
    g_string_prepend (volume, "vm");
  g_string_append (volume, ".qcow2");
  return g_string_free (volume, FALSE);
}

static void
write_setup (PtStoragePanel *self)
{
  PtSetup *setup = pt_panel_get_setup (PT_PANEL (self));
  g_autoptr(GPtrArray) disks = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) usb = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) isos = g_ptr_array_new ();
  const char *pool = selected_pool (self);

  if (self->syncing || setup == NULL)
    return;

  for (guint i = 0; i < self->rows->len; i++)
    {
      ChoiceRow *row = g_ptr_array_index (self->rows, i);

      if (!gtk_check_button_get_active (row->check))
        continue;
      g_ptr_array_add (row->kind == CHOICE_DISK ? disks : usb, g_strdup (row->value));
    }

  if (adw_expander_row_get_enable_expansion (self->image_row) && pool != NULL)
    {
      PtVolumeSpec spec = { 0 };
      g_autofree char *name = volume_name (self);

      spec.pool = (char *) pool;
      spec.name = name;
      spec.capacity_bytes = (guint64) gtk_adjustment_get_value (self->image_size_adjustment)
                            * 1024 * 1024 * 1024;
      g_ptr_array_add (disks, pt_volume_spec_to_string (&spec));
    }

  for (guint i = 0; i < G_N_ELEMENTS (self->discs); i++)
    if (self->discs[i] != NULL)
      g_ptr_array_add (isos, self->discs[i]);

  g_ptr_array_add (disks, NULL);
  g_ptr_array_add (usb, NULL);
  g_ptr_array_add (isos, NULL);
  pt_setup_set_disks (setup, (const char * const *) disks->pdata);
  pt_setup_set_usb (setup, (const char * const *) usb->pdata);
  pt_setup_set_isos (setup, (const char * const *) isos->pdata);
}

static void
check_toggled_cb (GtkCheckButton *check,
                  PtStoragePanel *self)
{
  write_setup (self);
}

static void
image_changed_cb (PtStoragePanel *self)
{
  write_setup (self);
}

static void
show_disc (PtStoragePanel *self,
           Disc            disc)
{
  AdwActionRow *row = disc == DISC_INSTALLER ? self->installer_row : self->drivers_row;
  GtkWidget *clear = disc == DISC_INSTALLER ? self->installer_clear_button
                                            : self->drivers_clear_button;
  const char *path = self->discs[disc];

  if (path != NULL)
    {
      g_autofree char *file = g_path_get_basename (path);

      adw_action_row_set_subtitle (row, file);
      gtk_widget_set_tooltip_text (GTK_WIDGET (row), path);
    }
  else
    {
      adw_action_row_set_subtitle (row, disc == DISC_INSTALLER
                                   ? _("None: the virtual machine starts from its disk")
                                   : _("Windows needs them to see a virtio disk; they are on "
                                       "virtio-win.iso from the Fedora project"));
      gtk_widget_set_tooltip_text (GTK_WIDGET (row), NULL);
    }
  gtk_widget_set_visible (clear, path != NULL);
}

static void
set_disc (PtStoragePanel *self,
          Disc            disc,
          const char     *path)
{
  g_free (self->discs[disc]);
  self->discs[disc] = g_strdup (path);
  show_disc (self, disc);
  write_setup (self);
}

static void
chooser_response_cb (GtkNativeDialog *dialog,
                     int              response,
                     PtStoragePanel  *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      /* Only local files: QEMU opens the image itself, by its path. */
      if (path != NULL)
        set_disc (self, self->chooser_disc, path);
    }
  gtk_native_dialog_destroy (dialog);
  g_clear_object (&self->chooser);
}

static void
choose_disc (PtStoragePanel *self,
             Disc            disc)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autoptr(GtkFileFilter) images = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;

  if (self->chooser != NULL)
    return;

  /* GtkFileDialog needs GTK 4.10; the native chooser also uses the portal where there is one. */
  chooser = gtk_file_chooser_native_new (disc == DISC_INSTALLER ? _("Choose the Installer")
                                                                : _("Choose the VirtIO Drivers"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"),
                                         _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (images, _("Disc images"));
  gtk_file_filter_add_mime_type (images, "application/x-cd-image");
  gtk_file_filter_add_suffix (images, "iso");
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), images);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);

  self->chooser = GTK_NATIVE_DIALOG (chooser);
  self->chooser_disc = disc;
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (self->chooser);
}

static void
installer_choose_cb (PtStoragePanel *self)
{
  choose_disc (self, DISC_INSTALLER);
}

static void
drivers_choose_cb (PtStoragePanel *self)
{
  choose_disc (self, DISC_DRIVERS);
}

static void
installer_clear_cb (PtStoragePanel *self)
{
  set_disc (self, DISC_INSTALLER, NULL);
}

static void
drivers_clear_cb (PtStoragePanel *self)
{
  set_disc (self, DISC_DRIVERS, NULL);
}

static ChoiceRow *
add_choice_row (PtStoragePanel      *self,
                AdwPreferencesGroup *group,
                ChoiceKind           kind,
                const char          *value,
                const char          *name,
                const char          *title,
                const char          *subtitle,
                gboolean             offered)
{
  ChoiceRow *choice = g_new0 (ChoiceRow, 1);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();

  gtk_widget_set_name (row, name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (check),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, subtitle,
                                  -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  if (offered)
    adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  else
    /* Greyed with its reason: seen, never ticked. */
    gtk_widget_set_sensitive (row, FALSE);

  choice->row = row;
  choice->check = GTK_CHECK_BUTTON (check);
  choice->group = group;
  choice->kind = kind;
  choice->value = g_strdup (value);
  g_signal_connect (check, "toggled", G_CALLBACK (check_toggled_cb), self);
  adw_preferences_group_add (group, row);
  g_ptr_array_add (self->rows, choice);
  return choice;
}

static void
add_suffix_icon (ChoiceRow  *choice,
                 const char *icon_name,
                 const char *css_class,
                 const char *label)
{
  GtkWidget *icon = gtk_image_new_from_icon_name (icon_name);

  gtk_widget_set_valign (icon, GTK_ALIGN_CENTER);
  if (css_class != NULL)
    gtk_widget_add_css_class (icon, css_class);
  gtk_widget_set_tooltip_text (icon, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (choice->row), icon);
}

static void
add_placeholder (PtStoragePanel      *self,
                 AdwPreferencesGroup *group,
                 const char          *name,
                 const char          *title,
                 const char          *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  gtk_widget_set_name (row, name);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_add_css_class (row, "dim-label");
  g_object_set_data (G_OBJECT (row), "group", group);
  adw_preferences_group_add (group, row);
  g_ptr_array_add (self->placeholders, row);
}

static void
show_disks (PtStoragePanel *self,
            GPtrArray      *offers)
{
  for (guint i = 0; i < offers->len; i++)
    {
      const PtDiskOffer *offer = g_ptr_array_index (offers, i);
      const PtDisk *disk = offer->disk;
      g_autofree char *file = g_path_get_basename (disk->path);
      g_autofree char *name = g_strdup_printf ("disk-%s", file);
      g_autofree char *size = g_format_size (disk->size_bytes);
      g_autofree char *partitions = NULL;
      g_autofree char *details = NULL;
      g_autofree char *subtitle = NULL;
      guint n_partitions = disk->partitions != NULL ? g_strv_length (disk->partitions) : 0;
      const char *title = disk->model != NULL && disk->model[0] != '\0' ? disk->model : file;
      ChoiceRow *choice;

      partitions = n_partitions == 0
                   ? g_strdup (_("no partitions"))
                   : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u partition",
                                                   "%u partitions", n_partitions),
                                      n_partitions);
      /* TRANSLATORS: "4.0 TB · /dev/sda · 1 partition" */
      details = g_strdup_printf (_("%s · %s · %s"), size, disk->device, partitions);
      subtitle = offer->reason != NULL ? g_strdup_printf ("%s\n%s", details, offer->reason)
                                       : g_strdup (details);

      choice = add_choice_row (self, self->disks_group, CHOICE_DISK, disk->path, name, title,
                               subtitle, offer->offered);
      gtk_widget_set_tooltip_text (choice->row, disk->path);
      if (!offer->offered)
        add_suffix_icon (choice, "changes-prevent-symbolic", NULL,
                         _("This computer’s own disk"));
      else if (offer->reason != NULL)
        add_suffix_icon (choice, "dialog-warning-symbolic", "warning", offer->reason);
    }

  if (offers->len == 0)
    add_placeholder (self, self->disks_group, "disks-none", _("No disks found"),
                     _("This computer lists no disks in /dev/disk/by-id. A new disk image works "
                       "anywhere."));
}

static char *
usb_ids (const PtUsbDevice *device)
{
  return g_strdup_printf ("%04x:%04x", device->vendor_id, device->product_id);
}

/* pci.ids names some controllers only "Device 43d0"; the class and vendor say more. */
static char *
controller_title (const PtPciDevice *controller)
{
  if (controller->device_name != NULL && controller->device_name[0] != '\0'
      && !g_str_has_prefix (controller->device_name, "Device "))
    return g_strdup (controller->device_name);
  if (controller->vendor_name != NULL && controller->vendor_name[0] != '\0')
    /* TRANSLATORS: a USB controller pci.ids has no name for: "USB controller by AMD" */
    return g_strdup_printf (_("USB controller by %s"), controller->vendor_name);
  return g_strdup (_("USB controller"));
}

static void
show_usb (PtStoragePanel *self,
          GPtrArray      *devices,
          GPtrArray      *controllers)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < devices->len; i++)
    {
      const PtUsbDevice *device = g_ptr_array_index (devices, i);
      g_autofree char *ids = usb_ids (device);
      g_autofree char *name = g_strdup_printf ("usb-%s", ids);
      g_autofree char *subtitle = NULL;

      /* One row per id: that is how the guest gets them. */
      if (g_hash_table_contains (seen, ids))
        continue;
      g_hash_table_add (seen, g_strdup (ids));

      /* TRANSLATORS: "046d:c52b · bus 1, device 2" */
      subtitle = g_strdup_printf (_("%s · bus %u, device %u"), ids, device->bus, device->device);
      add_choice_row (self, self->usb_group, CHOICE_USB_DEVICE, ids, name,
                      device->name != NULL && device->name[0] != '\0' ? device->name : ids,
                      subtitle, TRUE);
    }
  if (devices->len == 0)
    add_placeholder (self, self->usb_group, "usb-none", _("No USB devices"),
                     _("Nothing is plugged in, or this computer has no USB."));

  for (guint i = 0; i < controllers->len; i++)
    {
      const PtUsbControllerOffer *offer = g_ptr_array_index (controllers, i);
      const PtPciDevice *controller = offer->controller;
      g_autofree char *name = g_strdup_printf ("controller-%s", controller->address);
      g_autoptr(GPtrArray) plugged = g_ptr_array_new ();
      g_autoptr(GString) subtitle = g_string_new (controller->address);
      g_autofree char *title = NULL;
      ChoiceRow *choice;

      if (controller->iommu_group >= 0)
        g_string_append_printf (subtitle, _(" · IOMMU group %d"), controller->iommu_group);
      for (guint j = 0; j < offer->devices->len; j++)
        {
          const PtUsbDevice *device = g_ptr_array_index (offer->devices, j);

          g_ptr_array_add (plugged, device->name != NULL ? device->name : (char *) "?");
        }
      if (plugged->len > 0)
        {
          g_autofree char *joined = NULL;

          g_ptr_array_add (plugged, NULL);
          joined = g_strjoinv (", ", (char **) plugged->pdata);
          /* TRANSLATORS: the devices on a USB controller, "Plugged in: USB2.0 Hub, …" */
          g_string_append_printf (subtitle, _(" · Plugged in: %s"), joined);
        }
      else
        g_string_append (subtitle, _(" · Nothing plugged in"));
      if (offer->reason != NULL)
        g_string_append_printf (subtitle, "\n%s", offer->reason);

      title = controller_title (controller);
      choice = add_choice_row (self, self->controllers_group, CHOICE_USB_CONTROLLER,
                               controller->address, name, title, subtitle->str, offer->offered);
      if (!offer->offered)
        add_suffix_icon (choice, "changes-prevent-symbolic", NULL, _("Cannot go on its own"));
      else if (offer->reason != NULL)
        add_suffix_icon (choice, "dialog-warning-symbolic", "warning", offer->reason);
    }
  if (controllers->len == 0)
    add_placeholder (self, self->controllers_group, "controllers-none",
                     _("No USB controllers"), _("This computer has no USB controller on PCI."));
}

/* Ticks and fills in what the setup says. */
static void
read_setup (PtStoragePanel *self)
{
  PtSetup *setup = pt_panel_get_setup (PT_PANEL (self));
  const char * const *disks;
  const char * const *usb;
  const char * const *isos;
  gboolean image = FALSE;
  g_autofree char *name = NULL;

  if (setup == NULL)
    return;

  disks = pt_setup_get_disks (setup);
  usb = pt_setup_get_usb (setup);
  isos = pt_setup_get_isos (setup);

  self->syncing = TRUE;
  for (guint i = 0; i < self->rows->len; i++)
    {
      ChoiceRow *row = g_ptr_array_index (self->rows, i);
      const char * const *chosen = row->kind == CHOICE_DISK ? disks : usb;
      gboolean active = FALSE;

      for (guint j = 0; chosen != NULL && chosen[j] != NULL && !active; j++)
        {
          g_autofree char *address = NULL;

          active = g_ascii_strcasecmp (chosen[j], row->value) == 0;
          if (!active && row->kind == CHOICE_USB_CONTROLLER)
            {
              address = pt_pci_normalize_address (chosen[j]);
              active = g_strcmp0 (address, row->value) == 0;
            }
        }
      /* A greyed row is never ticked, whatever the setup says. */
      gtk_check_button_set_active (row->check, active && gtk_widget_get_sensitive (row->row));
    }

  for (guint i = 0; disks != NULL && disks[i] != NULL; i++)
    {
      g_autoptr(PtVolumeSpec) spec = pt_volume_spec_parse (disks[i], NULL);
      guint position = GTK_INVALID_LIST_POSITION;

      if (spec == NULL)
        continue;
      image = TRUE;
      for (guint p = 0; p < g_list_model_get_n_items (G_LIST_MODEL (self->pool_names)); p++)
        if (g_str_equal (gtk_string_list_get_string (self->pool_names, p), spec->pool))
          position = p;
      if (position == GTK_INVALID_LIST_POSITION)
        {
          gtk_string_list_append (self->pool_names, spec->pool);
          position = g_list_model_get_n_items (G_LIST_MODEL (self->pool_names)) - 1;
        }
      adw_combo_row_set_selected (self->pool_row, position);
      gtk_adjustment_set_value (self->image_size_adjustment,
                                (double) (spec->capacity_bytes >> 30));
    }
  adw_expander_row_set_enable_expansion (self->image_row, image);

  /* The driver disc is the one named like virtio-win.iso; the other is the installer. */
  g_clear_pointer (&self->discs[DISC_INSTALLER], g_free);
  g_clear_pointer (&self->discs[DISC_DRIVERS], g_free);
  for (guint i = 0; isos != NULL && isos[i] != NULL; i++)
    {
      g_autofree char *file = g_ascii_strdown (isos[i], -1);
      Disc disc = strstr (file, "virtio") != NULL ? DISC_DRIVERS : DISC_INSTALLER;

      if (self->discs[disc] == NULL)
        self->discs[disc] = g_strdup (isos[i]);
    }
  self->syncing = FALSE;

  show_disc (self, DISC_INSTALLER);
  show_disc (self, DISC_DRIVERS);
  name = volume_name (self);
  adw_action_row_set_subtitle (self->volume_name_row, name);
}

/* One async call of the panel, remembering which request it answers. The reference is weak: a
 * panel that went away must not be kept alive by a call still running. */
typedef struct {
  GWeakRef panel;
  guint    generation;
} PanelRun;

static PanelRun *
panel_run_new (PtStoragePanel *self,
               guint           generation)
{
  PanelRun *run = g_new0 (PanelRun, 1);

  g_weak_ref_init (&run->panel, self);
  run->generation = generation;
  return run;
}

static void
panel_run_free (PanelRun *run)
{
  g_weak_ref_clear (&run->panel);
  g_free (run);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PanelRun, panel_run_free)

static void
show_pools (PtStoragePanel *self,
            GPtrArray      *pools)
{
  const char *chosen = selected_pool (self);
  g_autofree char *keep = g_strdup (chosen);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  guint selected = 0;

  for (guint i = 0; pools != NULL && i < pools->len; i++)
    g_ptr_array_add (names, ((PtStoragePool *) g_ptr_array_index (pools, i))->name);
  if (names->len == 0)
    g_ptr_array_add (names, (gpointer) FALLBACK_POOL);
  g_ptr_array_add (names, NULL);

  for (guint i = 0; names->pdata[i] != NULL; i++)
    if (g_strcmp0 (names->pdata[i], keep) == 0
        || (keep == NULL && g_str_equal (names->pdata[i], FALLBACK_POOL)))
      selected = i;

  self->syncing = TRUE;
  gtk_string_list_splice (self->pool_names, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->pool_names)),
                          (const char * const *) names->pdata);
  adw_combo_row_set_selected (self->pool_row, selected);
  self->syncing = FALSE;
}

static void
pools_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(PanelRun) run = user_data;
  g_autoptr(PtStoragePanel) self = g_weak_ref_get (&run->panel);
  g_autoptr(GPtrArray) pools = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *subtitle = NULL;

  pools = pt_guest_list_pools_finish (result, &error);
  if (self == NULL || run->generation != self->pools_generation
      || g_cancellable_is_cancelled (pt_panel_get_cancellable (PT_PANEL (self))))
    return;

  self->pools_ready = TRUE;
  g_clear_pointer (&self->pools_error, g_free);
  if (pools == NULL)
    {
      self->pools_error = g_strdup (error->message);
      /* TRANSLATORS: shown under the pool list when libvirt could not be asked */
      subtitle = g_strdup_printf (_("libvirt did not list its pools, so “%s” is assumed: %s"),
                                  FALLBACK_POOL, error->message);
    }
  else if (pools->len == 0)
    subtitle = g_strdup_printf (_("libvirt has no active pool yet; “%s” is made when the "
                                  "virtual machine is set up"),
                                FALLBACK_POOL);

  show_pools (self, pools);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->pool_row), subtitle);
  read_setup (self);
  write_setup (self);
}

static void
load_pools (PtStoragePanel *self)
{
  PanelRun *run;

  self->pools_generation++;
  self->pools_ready = FALSE;
  run = panel_run_new (self, self->pools_generation);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->pool_row), _("Asking libvirt…"));
  pt_guest_list_pools_async (pt_panel_get_libvirt_uri (PT_PANEL (self)),
                             pt_panel_get_cancellable (PT_PANEL (self)), pools_done_cb, run);
}

/* What a guest may have of this host; worked out in a worker thread, since it reads the host's
 * mounts and device links. */
typedef struct {
  PtHostScan *scan;
  char       *gpu;
  GPtrArray  *disks;        /* PtDiskOffer* */
  GPtrArray  *usb;          /* const PtUsbDevice*, borrowed from the scan */
  GPtrArray  *controllers;  /* PtUsbControllerOffer* */
} Offers;

static void
offers_free (Offers *offers)
{
  g_clear_object (&offers->scan);
  g_free (offers->gpu);
  g_clear_pointer (&offers->disks, g_ptr_array_unref);
  g_clear_pointer (&offers->usb, g_ptr_array_unref);
  g_clear_pointer (&offers->controllers, g_ptr_array_unref);
  g_free (offers);
}

static void
offers_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Offers *offers = task_data;
  /* The panel's setup belongs to the main thread: a private one carries the GPU here. */
  g_autoptr(PtSetup) setup = pt_setup_new ();

  pt_setup_set_gpu (setup, offers->gpu);
  offers->disks = pt_guest_disk_offers (offers->scan);
  offers->usb = pt_guest_usb_devices (offers->scan);
  offers->controllers = pt_guest_usb_controller_offers (offers->scan, setup);
  g_task_return_boolean (task, TRUE);
}

static void
offers_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(PanelRun) run = user_data;
  g_autoptr(PtStoragePanel) self = g_weak_ref_get (&run->panel);
  Offers *offers = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), NULL) || self == NULL
      || run->generation != self->offers_generation
      || g_cancellable_is_cancelled (pt_panel_get_cancellable (PT_PANEL (self))))
    return;

  clear_rows (self);
  show_disks (self, offers->disks);
  show_usb (self, offers->usb, offers->controllers);
  read_setup (self);
  self->offers_ready = TRUE;
}

static void
load_offers (PtStoragePanel *self)
{
  PtHostScan *scan = pt_panel_get_scan (PT_PANEL (self));
  PtSetup *setup = pt_panel_get_setup (PT_PANEL (self));
  g_autoptr(GTask) task = NULL;
  Offers *offers;

  if (scan == NULL)
    return;

  self->offers_generation++;
  self->offers_ready = FALSE;
  g_free (self->offers_gpu);
  self->offers_gpu = g_strdup (setup != NULL ? pt_setup_get_gpu (setup) : NULL);

  offers = g_new0 (Offers, 1);
  offers->scan = g_object_ref (scan);
  offers->gpu = g_strdup (self->offers_gpu);
  task = g_task_new (NULL, pt_panel_get_cancellable (PT_PANEL (self)), offers_done_cb,
                     panel_run_new (self, self->offers_generation));
  g_task_set_task_data (task, offers, (GDestroyNotify) offers_free);
  g_task_run_in_thread (task, offers_thread);
}

static void
pt_storage_panel_scan_changed (PtPanel *panel)
{
  PtStoragePanel *self = PT_STORAGE_PANEL (panel);

  if (pt_panel_get_scan (panel) == NULL)
    return;

  load_offers (self);
  load_pools (self);
}

/* New disk images go into a pool of the libvirt now in use. */
static void
pt_storage_panel_libvirt_uri_changed (PtPanel *panel)
{
  if (pt_panel_get_scan (panel) != NULL)
    load_pools (PT_STORAGE_PANEL (panel));
}

static void
pt_storage_panel_setup_changed (PtPanel *panel)
{
  PtStoragePanel *self = PT_STORAGE_PANEL (panel);
  PtSetup *setup = pt_panel_get_setup (panel);

  if (setup == NULL)
    return;

  /* A controller on the new guest card now goes with it; one on the old card is free again. */
  if (g_strcmp0 (pt_setup_get_gpu (setup), self->offers_gpu) != 0)
    load_offers (self);
  read_setup (self);
}

static void
pt_storage_panel_dispose (GObject *object)
{
  PtStoragePanel *self = PT_STORAGE_PANEL (object);

  if (self->chooser != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->chooser, self);
      gtk_native_dialog_destroy (self->chooser);
      g_clear_object (&self->chooser);
    }
  gtk_widget_dispose_template (GTK_WIDGET (object), PT_TYPE_STORAGE_PANEL);

  G_OBJECT_CLASS (pt_storage_panel_parent_class)->dispose (object);
}

static void
pt_storage_panel_finalize (GObject *object)
{
  PtStoragePanel *self = PT_STORAGE_PANEL (object);

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->placeholders, g_ptr_array_unref);
  g_clear_pointer (&self->discs[DISC_INSTALLER], g_free);
  g_clear_pointer (&self->discs[DISC_DRIVERS], g_free);
  g_clear_pointer (&self->pools_error, g_free);
  g_clear_pointer (&self->offers_gpu, g_free);

  G_OBJECT_CLASS (pt_storage_panel_parent_class)->finalize (object);
}

static void
pt_storage_panel_class_init (PtStoragePanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  PtPanelClass *panel_class = PT_PANEL_CLASS (klass);

  object_class->dispose = pt_storage_panel_dispose;
  object_class->finalize = pt_storage_panel_finalize;
  panel_class->scan_changed = pt_storage_panel_scan_changed;
  panel_class->setup_changed = pt_storage_panel_setup_changed;
  panel_class->libvirt_uri_changed = pt_storage_panel_libvirt_uri_changed;

  /* Naming the bundle pulls it out of the static library; its constructor registers it. */
  g_assert (pt_get_resource () != NULL);
  pt_devices_style_ensure ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/passthrough/Passthrough/ui/"
                                               "pt-storage-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, PtStoragePanel, disks_group);
  gtk_widget_class_bind_template_child (widget_class, PtStoragePanel, image_row);
  gtk_widget_class_bind_template_child (widget_class, PtStoragePanel, pool_row);
  gtk_widget_class_bind_template_child (widget_class, PtStoragePanel, pool_names);
  gtk_widget_class_bind_template_child (widget_class, PtStoragePanel, image_size_adjustment);
  gtk_widget_class_bind_template_child (widget_class, PtStoragePanel, volume_name_row);
  gtk_widget_class_bind_template_child (widget_class, PtStoragePanel, installer_row);
  gtk_widget_class_bind_template_child (widget_class, PtStoragePanel, installer_clear_button);
  gtk_widget_class_bind_template_child (widget_class, PtStoragePanel, drivers_row);
  gtk_widget_class_bind_template_child (widget_class, PtStoragePanel, drivers_clear_button);
  gtk_widget_class_bind_template_child (widget_class, PtStoragePanel, usb_group);
  gtk_widget_class_bind_template_child (widget_class, PtStoragePanel, controllers_group);
  gtk_widget_class_bind_template_callback (widget_class, image_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, installer_choose_cb);
  gtk_widget_class_bind_template_callback (widget_class, drivers_choose_cb);
  gtk_widget_class_bind_template_callback (widget_class, installer_clear_cb);
  gtk_widget_class_bind_template_callback (widget_class, drivers_clear_cb);
}

static void
pt_storage_panel_init (PtStoragePanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) choice_row_free);
  self->placeholders = g_ptr_array_new ();

  pt_panel_set_title (PT_PANEL (self), _("Storage & USB"));
  pt_panel_set_icon_name (PT_PANEL (self), "drive-harddisk-symbolic");
  show_disc (self, DISC_INSTALLER);
  show_disc (self, DISC_DRIVERS);
}

GtkWidget *
pt_storage_panel_new (void)
{
  return g_object_new (PT_TYPE_STORAGE_PANEL, NULL);
}

gboolean
pt_storage_panel_get_ready (PtStoragePanel *self)
{
  g_return_val_if_fail (PT_IS_STORAGE_PANEL (self), FALSE);

  return self->offers_ready && self->pools_ready;
}
