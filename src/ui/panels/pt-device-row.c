/* pt-device-row.c: a group header or a device in the Graphics panel's list, with its badges. */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pt-device-row.h"
#include "pt-gpu.h"

struct _PtDeviceRow
{
  GtkBox          parent_instance;

  /* template children */
  GtkImage       *icon;
  GtkLabel       *title_label;
  GtkLabel       *subtitle_label;
  GtkBox         *badge_box;
  GtkButton      *choose_button;

  PtGraphicsItem *item;
  gulong          chosen_handler;
};

G_DEFINE_FINAL_TYPE (PtDeviceRow, pt_device_row, GTK_TYPE_BOX)

static const char *
icon_for_device (const PtPciDevice *device)
{
  switch (pt_device_kind_of (device))
    {
    case PT_DEVICE_KIND_GPU:
      return "video-display-symbolic";
    case PT_DEVICE_KIND_AUDIO:
      return "audio-card-symbolic";
    case PT_DEVICE_KIND_USB:
      return "media-removable-symbolic";
    case PT_DEVICE_KIND_STORAGE:
      return "drive-harddisk-symbolic";
    case PT_DEVICE_KIND_NETWORK:
      /* 0x0280: "Network controller", which is Wi-Fi in practice. */
      return device->class_id == 0x0280 ? "network-wireless-symbolic" : "network-wired-symbolic";
    case PT_DEVICE_KIND_BRIDGE:
      return "view-continuous-symbolic";
    case PT_DEVICE_KIND_SERIAL_BUS:
      return "thunderbolt-symbolic";
    case PT_DEVICE_KIND_OTHER:
    default:
      return "emblem-system-symbolic";
    }
}

static void
add_badge (PtDeviceRow *self,
           const char  *name,
           const char  *text,
           const char  *style,
           const char  *tooltip)
{
  GtkWidget *badge = gtk_label_new (text);

  gtk_widget_set_name (badge, name);
  gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
  /* On a narrow window the badges give way before the row gets wider than the window. */
  gtk_label_set_ellipsize (GTK_LABEL (badge), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (badge, "badge");
  if (style != NULL)
    gtk_widget_add_css_class (badge, style);
  gtk_widget_set_tooltip_text (badge, tooltip);
  gtk_box_append (self->badge_box, badge);
}

static void
clear_badges (PtDeviceRow *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->badge_box))) != NULL)
    gtk_box_remove (self->badge_box, child);
}

/* "NVIDIA GP102 [GeForce GTX 1080 Ti]": the vendor as people say it, then the device. */
static char *
device_title (const PtPciDevice *device)
{
  g_autofree char *vendor = pt_gpu_short_vendor (device->vendor_name);

  if (device->device_name == NULL || device->device_name[0] == '\0')
    return g_strdup (device->name);
  if (vendor[0] == '\0')
    return g_strdup (device->device_name);
  return g_strdup_printf ("%s %s", vendor, device->device_name);
}

static char *
device_subtitle (const PtPciDevice *device)
{
  g_autoptr(GString) text = g_string_new (NULL);

  /* TRANSLATORS: the start of a device's details: "0000:09:00.0 · [10de:1b06]" */
  g_string_append_printf (text, _("%s · [%04x:%04x]"), device->address, device->vendor_id,
                          device->device_id);
  if (device->class_name != NULL && device->class_name[0] != '\0')
    g_string_append_printf (text, " · %s", device->class_name);
  if (device->driver != NULL)
    /* TRANSLATORS: the kernel driver bound to a device: "driver nouveau" */
    g_string_append_printf (text, _(" · driver %s"), device->driver);
  else
    g_string_append (text, _(" · no driver"));
  if (device->reset_method != NULL)
    /* TRANSLATORS: how the kernel resets a device: "reset flr bus" */
    g_string_append_printf (text, _(" · reset %s"), device->reset_method);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static gboolean
has_endpoint (PtGraphicsItem *group)
{
  GListModel *children = pt_graphics_item_get_children (group);
  guint n = g_list_model_get_n_items (children);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PtGraphicsItem) child = g_list_model_get_item (children, i);

      if (!pt_pci_device_is_bridge (pt_graphics_item_get_device (child)))
        return TRUE;
    }
  return FALSE;
}

static char *
group_subtitle (PtGraphicsItem *item)
{
  GListModel *children = pt_graphics_item_get_children (item);
  guint n = g_list_model_get_n_items (children);
  g_autoptr(GString) names = g_string_new (NULL);
  guint shown = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PtGraphicsItem) child = g_list_model_get_item (children, i);
      const PtPciDevice *device = pt_graphics_item_get_device (child);

      if (pt_pci_device_is_bridge (device))
        continue;
      if (shown++ > 0)
        g_string_append (names, ", ");
      g_string_append (names, device->device_name != NULL && device->device_name[0] != '\0'
                              ? device->device_name : device->name);
    }

  if (shown == 0)
    /* TRANSLATORS: a group of bridges only: "1 bridge" */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u bridge", "%u bridges", n), n);
  /* TRANSLATORS: a group's summary: "2 devices · GP102 [GeForce GTX 1080 Ti], GP102 HDMI
   * Audio Controller" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u device · %s", "%u devices · %s", n),
                          n, names->str);
}

static void
show_group (PtDeviceRow    *self,
            PtGraphicsItem *item)
{
  int id = pt_graphics_item_get_group_id (item);
  g_autofree char *name = g_strdup_printf ("group-%d", id);
  g_autofree char *title = NULL;
  g_autofree char *subtitle = group_subtitle (item);

  title = id >= 0 ? g_strdup_printf (_("IOMMU Group %d"), id) : g_strdup (_("In No IOMMU Group"));
  gtk_widget_set_name (GTK_WIDGET (self), name);
  gtk_widget_add_css_class (GTK_WIDGET (self), "group-header");
  if (!has_endpoint (item))
    gtk_widget_add_css_class (GTK_WIDGET (self), "minor");
  gtk_widget_set_visible (GTK_WIDGET (self->icon), FALSE);
  gtk_label_set_label (self->title_label, title);
  gtk_label_set_label (self->subtitle_label, subtitle);
  gtk_widget_set_visible (GTK_WIDGET (self->choose_button), FALSE);

  if (pt_graphics_item_get_chosen (item))
    add_badge (self, "guest", _("For the VM"), NULL,
               _("This group goes to the virtual machine, bridges aside"));
  if (pt_graphics_item_has_gpu (item) && id >= 0)
    {
      const char *shares = pt_graphics_item_get_shares_with (item);

      if (shares != NULL)
        add_badge (self, "shared", _("Shared"), "warning",
                   pt_graphics_item_get_shares_detail (item));
      else
        add_badge (self, "isolated", _("Isolated"), "success",
                   _("The graphics card is alone in this group, bridges aside: it can go to a "
                     "virtual machine without taking anything else along"));
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, subtitle,
                                  -1);
}

static void
show_device (PtDeviceRow       *self,
             PtGraphicsItem    *item,
             const PtPciDevice *device)
{
  g_autofree char *name = g_strdup_printf ("device-%s", device->address);
  g_autofree char *title = device_title (device);
  g_autofree char *subtitle = device_subtitle (device);
  gboolean gpu = pt_pci_device_is_gpu (device);
  gboolean chosen = pt_graphics_item_get_chosen (item);
  const char *twin = pt_graphics_item_get_twin (item);
  const char *shares = pt_graphics_item_get_shares_with (item);

  gtk_widget_set_name (GTK_WIDGET (self), name);
  gtk_widget_add_css_class (GTK_WIDGET (self), "device");
  if (gpu)
    gtk_widget_add_css_class (GTK_WIDGET (self), "gpu");
  if (pt_pci_device_is_bridge (device))
    gtk_widget_add_css_class (GTK_WIDGET (self), "bridge");
  if (chosen)
    gtk_widget_add_css_class (GTK_WIDGET (self), "chosen");

  gtk_widget_set_visible (GTK_WIDGET (self->icon), TRUE);
  gtk_image_set_from_icon_name (self->icon, icon_for_device (device));
  gtk_label_set_label (self->title_label, title);
  gtk_label_set_label (self->subtitle_label, subtitle);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->subtitle_label), subtitle);

  if (chosen)
    add_badge (self, "guest", _("For the VM"), NULL, _("Goes to the virtual machine"));
  if (device->boot_vga)
    add_badge (self, "boot-display", _("Host display"), "dim",
               _("Shows the start-up screen: the firmware and the boot menu appear on this "
                 "card"));
  /* Bridges of one model are everywhere and never bound: only endpoints need the word. */
  if (twin != NULL && !pt_pci_device_is_bridge (device))
    {
      g_autofree char *tooltip =
        g_strdup_printf (_("%s has the same vendor and device IDs: whichever of the two goes "
                           "to the virtual machine is bound by its address, not by its IDs"),
                         twin);

      /* Chosen, the twin is the host's; otherwise either may be the one that goes. */
      add_badge (self, "same-ids",
                 chosen ? _("Same IDs as a host device") : _("Same IDs as another device"),
                 "dim", tooltip);
    }
  if (gpu && shares != NULL)
    {
      /* TRANSLATORS: a badge: "Shares group with storage, USB" */
      g_autofree char *text = g_strdup_printf (_("Shares group with %s"), shares);

      add_badge (self, "shares-group", text, "warning",
                 pt_graphics_item_get_shares_detail (item));
    }

  gtk_widget_set_visible (GTK_WIDGET (self->choose_button), gpu && !chosen);
  if (gpu)
    {
      /* The target first: the action takes a string, and a button without one warns. */
      gtk_actionable_set_action_target (GTK_ACTIONABLE (self->choose_button), "s",
                                        device->address);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->choose_button), "graphics.choose");
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, subtitle,
                                  -1);
}

static void
update (PtDeviceRow *self)
{
  static const char * const state_classes[] = {
    "group-header", "minor", "device", "gpu", "bridge", "chosen",
  };
  const PtPciDevice *device;

  clear_badges (self);
  for (guint i = 0; i < G_N_ELEMENTS (state_classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self), state_classes[i]);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->subtitle_label), NULL);

  if (self->item == NULL)
    return;

  device = pt_graphics_item_get_device (self->item);
  if (device == NULL)
    show_group (self, self->item);
  else
    show_device (self, self->item, device);
}

static void
chosen_changed_cb (PtDeviceRow *self)
{
  update (self);
}

void
pt_device_row_set_item (PtDeviceRow    *self,
                        PtGraphicsItem *item)
{
  g_return_if_fail (PT_IS_DEVICE_ROW (self));
  g_return_if_fail (item == NULL || PT_IS_GRAPHICS_ITEM (item));

  if (self->item == item)
    return;

  if (self->item != NULL)
    g_clear_signal_handler (&self->chosen_handler, self->item);
  g_set_object (&self->item, item);
  if (item != NULL)
    self->chosen_handler = g_signal_connect_swapped (item, "notify::chosen",
                                                     G_CALLBACK (chosen_changed_cb), self);
  update (self);
}

PtGraphicsItem *
pt_device_row_get_item (PtDeviceRow *self)
{
  g_return_val_if_fail (PT_IS_DEVICE_ROW (self), NULL);

  return self->item;
}

GPtrArray *
pt_device_row_get_badges (PtDeviceRow *self)
{
  GPtrArray *names = g_ptr_array_new ();

  g_return_val_if_fail (PT_IS_DEVICE_ROW (self), names);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->badge_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    g_ptr_array_add (names, (gpointer) gtk_widget_get_name (child));
  return names;
}

static void
pt_device_row_dispose (GObject *object)
{
  PtDeviceRow *self = PT_DEVICE_ROW (object);

  if (self->item != NULL)
    g_clear_signal_handler (&self->chosen_handler, self->item);
  g_clear_object (&self->item);
  gtk_widget_dispose_template (GTK_WIDGET (self), PT_TYPE_DEVICE_ROW);

  G_OBJECT_CLASS (pt_device_row_parent_class)->dispose (object);
}

static void
pt_device_row_class_init (PtDeviceRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pt_device_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/passthrough/Passthrough/ui/"
                                               "pt-device-row.ui");
  gtk_widget_class_bind_template_child (widget_class, PtDeviceRow, icon);
  gtk_widget_class_bind_template_child (widget_class, PtDeviceRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, PtDeviceRow, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, PtDeviceRow, badge_box);
  gtk_widget_class_bind_template_child (widget_class, PtDeviceRow, choose_button);
}

static void
pt_device_row_init (PtDeviceRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
pt_device_row_new (void)
{
  return g_object_new (PT_TYPE_DEVICE_ROW, NULL);
}
