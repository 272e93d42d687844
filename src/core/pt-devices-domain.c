/* pt-devices-domain.c: builds the <devices> entries for inputs, disks, ISOs and USB with libxml2,
 * from choices it checks first. */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pt-devices-domain.h"
#include "pt-guest-devices.h"
#include "pt-sysroot.h"

#define QEMU_NS_HREF "http://libvirt.org/schemas/domain/qemu/1.0"

G_DEFINE_QUARK (pt-devices-error-quark, pt_devices_error)

/* Names of pools and volumes: what libvirt and every file system accept. */
static gboolean
valid_storage_name (const char *name)
{
  gsize len = name != NULL ? strlen (name) : 0;

  if (len == 0 || len > 200 || name[0] == '.' || name[0] == '-')
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (name[i]) && strchr ("._+-", name[i]) == NULL)
      return FALSE;
  return TRUE;
}

gboolean
pt_input_choice_parse (const char  *entry,
                       char       **ret_path,
                       gboolean    *ret_input_linux,
                       GError     **error)
{
  gboolean input_linux = g_str_has_prefix (entry, PT_INPUT_LINUX_PREFIX);
  const char *path = input_linux ? entry + strlen (PT_INPUT_LINUX_PREFIX) : entry;

  if (!pt_path_is_plain (path))
    {
      g_set_error (error, PT_DEVICES_ERROR, PT_DEVICES_ERROR_INVALID,
                   _("“%s” is not an input device; give its /dev/input/by-id path"), entry);
      return FALSE;
    }

  if (ret_path != NULL)
    *ret_path = g_strdup (path);
  if (ret_input_linux != NULL)
    *ret_input_linux = input_linux;
  return TRUE;
}

void
pt_volume_spec_free (PtVolumeSpec *self)
{
  if (self == NULL)
    return;

  g_free (self->pool);
  g_free (self->name);
  g_free (self->format);
  g_free (self);
}

PtVolumeSpec *
pt_volume_spec_parse (const char  *entry,
                      GError     **error)
{
  g_autoptr(PtVolumeSpec) spec = NULL;
  g_autofree char *pool_and_name = NULL;
  const char *body;
  const char *size;
  const char *slash;
  guint64 mib;

  if (entry == NULL || !g_str_has_prefix (entry, PT_VOLUME_PREFIX))
    goto invalid;

  body = entry + strlen (PT_VOLUME_PREFIX);
  size = strrchr (body, ':');
  if (size == NULL)
    goto invalid;
  pool_and_name = g_strndup (body, size - body);
  slash = strchr (pool_and_name, '/');
  if (slash == NULL)
    goto invalid;

  spec = g_new0 (PtVolumeSpec, 1);
  spec->pool = g_strndup (pool_and_name, slash - pool_and_name);
  spec->name = g_strdup (slash + 1);
  if (!valid_storage_name (spec->pool) || !valid_storage_name (spec->name)
      || !pt_parse_memory_size (size + 1, &mib, NULL))
    goto invalid;

  spec->capacity_bytes = mib * 1024 * 1024;
  spec->format = g_strdup (g_str_has_suffix (spec->name, ".qcow2") ? "qcow2" : "raw");
  return g_steal_pointer (&spec);

invalid:
  g_set_error (error, PT_DEVICES_ERROR, PT_DEVICES_ERROR_INVALID,
               _("“%s” is not a new disk image; write it like "
                 "volume:default/windows.qcow2:128GiB"),
               entry != NULL ? entry : "");
  return NULL;
}

char *
pt_volume_spec_to_string (const PtVolumeSpec *self)
{
  guint64 mib = self->capacity_bytes / (1024 * 1024);

  if (mib % 1024 == 0)
    return g_strdup_printf (PT_VOLUME_PREFIX "%s/%s:%" G_GUINT64_FORMAT "GiB",
                            self->pool, self->name, mib / 1024);
  return g_strdup_printf (PT_VOLUME_PREFIX "%s/%s:%" G_GUINT64_FORMAT "MiB",
                          self->pool, self->name, mib);
}

/* "0000:0b:00.3" exactly, as the scan spells addresses. */
static gboolean
parse_pci_address (const char *address,
                   guint      *ret_domain,
                   guint      *ret_bus,
                   guint      *ret_slot,
                   guint      *ret_function)
{
  g_autofree char *domain = NULL;
  g_autofree char *bus = NULL;
  g_autofree char *slot = NULL;
  g_autofree char *function = NULL;
  guint64 values[4];

  if (address == NULL || strlen (address) != 12 || address[4] != ':' || address[7] != ':'
      || address[10] != '.')
    return FALSE;

  domain = g_strndup (address, 4);
  bus = g_strndup (address + 5, 2);
  slot = g_strndup (address + 8, 2);
  function = g_strdup (address + 11);
  if (!pt_parse_uint64 (domain, 16, &values[0], NULL)
      || !pt_parse_uint64 (bus, 16, &values[1], NULL)
      || !pt_parse_uint64 (slot, 16, &values[2], NULL)
      || !pt_parse_uint64 (function, 16, &values[3], NULL)
      || values[2] > 0x1f || values[3] > 7)
    return FALSE;

  *ret_domain = values[0];
  *ret_bus = values[1];
  *ret_slot = values[2];
  *ret_function = values[3];
  return TRUE;
}

static gboolean
parse_hex_id (const char *text,
              guint      *ret_id)
{
  guint64 value;

  if (strlen (text) != 4 || !pt_parse_uint64 (text, 16, &value, NULL))
    return FALSE;
  *ret_id = value;
  return TRUE;
}

gboolean
pt_usb_choice_parse (const char  *entry,
                     guint       *ret_vendor_id,
                     guint       *ret_product_id,
                     char       **ret_pci_address,
                     GError     **error)
{
  g_auto(GStrv) ids = NULL;
  g_autofree char *address = NULL;
  guint domain, bus, slot, function;
  guint vendor, product;

  if (entry == NULL)
    goto invalid;

  address = pt_pci_normalize_address (entry);
  if (address != NULL && parse_pci_address (address, &domain, &bus, &slot, &function))
    {
      *ret_vendor_id = 0;
      *ret_product_id = 0;
      *ret_pci_address = g_steal_pointer (&address);
      return TRUE;
    }

  ids = g_strsplit (entry, ":", -1);
  if (g_strv_length (ids) == 2 && parse_hex_id (ids[0], &vendor) && parse_hex_id (ids[1], &product))
    {
      *ret_vendor_id = vendor;
      *ret_product_id = product;
      *ret_pci_address = NULL;
      return TRUE;
    }

invalid:
  g_set_error (error, PT_DEVICES_ERROR, PT_DEVICES_ERROR_INVALID,
               _("“%s” is not a USB device or controller; write a device as 046d:c52b (lsusb "
                 "shows the ids) and a controller as its PCI address, 0000:0b:00.3"),
               entry != NULL ? entry : "");
  return FALSE;
}

PtInputKind
pt_input_kind_from_path (const char *path)
{
  if (g_str_has_suffix (path, "-event-kbd"))
    return PT_INPUT_KIND_KEYBOARD;
  if (g_str_has_suffix (path, "-event-mouse"))
    return PT_INPUT_KIND_MOUSE;
  return PT_INPUT_KIND_OTHER;
}

static gboolean
is_element (xmlNode    *node,
            const char *name)
{
  return node->type == XML_ELEMENT_NODE && xmlStrcmp (node->name, BAD_CAST name) == 0;
}

static xmlNode *
find_child (xmlNode    *parent,
            const char *name)
{
  for (xmlNode *child = parent->children; child != NULL; child = child->next)
    if (is_element (child, name) && child->ns == NULL)
      return child;
  return NULL;
}

static xmlNode *
new_child (xmlNode    *parent,
           const char *name)
{
  return xmlNewChild (parent, NULL, BAD_CAST name, NULL);
}

static void
set_prop (xmlNode    *node,
          const char *name,
          const char *value)
{
  xmlSetProp (node, BAD_CAST name, BAD_CAST value);
}

/* "vda", …, "vdz", "vdaa": the kernel's and libvirt's way of naming disks. */
static char *
disk_target_name (const char *prefix,
                  guint       index)
{
  GString *suffix = g_string_new (NULL);

  index++;
  while (index > 0)
    {
      index--;
      g_string_prepend_c (suffix, 'a' + index % 26);
      index /= 26;
    }
  g_string_prepend (suffix, prefix);
  return g_string_free (suffix, FALSE);
}

static gboolean
target_taken (xmlNode    *devices,
              const char *name)
{
  for (xmlNode *disk = devices->children; disk != NULL; disk = disk->next)
    {
      xmlNode *target;

      if (!is_element (disk, "disk"))
        continue;
      target = find_child (disk, "target");
      if (target != NULL)
        {
          g_autofree xmlChar *dev = xmlGetProp (target, BAD_CAST "dev");

          if (dev != NULL && xmlStrcmp (dev, BAD_CAST name) == 0)
            return TRUE;
        }
    }
  return FALSE;
}

static char *
free_target (xmlNode    *devices,
             const char *prefix)
{
  for (guint i = 0;; i++)
    {
      g_autofree char *name = disk_target_name (prefix, i);

      if (!target_taken (devices, name))
        return g_steal_pointer (&name);
    }
}

xmlNode *
pt_devices_append_evdev (xmlNode     *devices,
                         const char  *path,
                         PtInputKind  kind,
                         const char  *grab_toggle)
{
  xmlNode *input;
  xmlNode *source;

  g_return_val_if_fail (devices != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);

  input = new_child (devices, "input");
  set_prop (input, "type", "evdev");
  source = new_child (input, "source");
  set_prop (source, "dev", path);
  if (kind == PT_INPUT_KIND_KEYBOARD)
    {
      /* The keyboard carries the switch: its key pair moves every evdev device at once. */
      set_prop (source, "grab", "all");
      set_prop (source, "repeat", "on");
      set_prop (source, "grabToggle", grab_toggle != NULL ? grab_toggle : PT_GRAB_TOGGLE_DEFAULT);
    }
  return input;
}

static xmlNode *
append_virtio_disk (xmlNode    *devices,
                    const char *type,
                    const char *format,
                    gboolean    direct_io,
                    guint       iothread)
{
  g_autofree char *target_name = free_target (devices, "vd");
  xmlNode *disk = new_child (devices, "disk");
  xmlNode *driver;
  xmlNode *target;

  set_prop (disk, "type", type);
  set_prop (disk, "device", "disk");
  driver = new_child (disk, "driver");
  set_prop (driver, "name", "qemu");
  set_prop (driver, "type", format);
  if (direct_io)
    {
      /* The guest has its own page cache; the host's would only hold a second copy. */
      set_prop (driver, "cache", "none");
      set_prop (driver, "io", "native");
    }
  set_prop (driver, "discard", "unmap");
  if (iothread > 0)
    {
      g_autofree char *id = g_strdup_printf ("%u", iothread);

      set_prop (driver, "iothread", id);
    }

  /* <source> goes between <driver> and <target>; the caller fills it in. */
  new_child (disk, "source");
  target = new_child (disk, "target");
  set_prop (target, "dev", target_name);
  set_prop (target, "bus", "virtio");
  return disk;
}

xmlNode *
pt_devices_append_disk (xmlNode    *devices,
                        const char *path,
                        guint       iothread)
{
  xmlNode *disk;

  g_return_val_if_fail (devices != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);

  disk = append_virtio_disk (devices, "block", "raw", TRUE, iothread);
  set_prop (find_child (disk, "source"), "dev", path);
  return disk;
}

xmlNode *
pt_devices_append_volume (xmlNode            *devices,
                          const PtVolumeSpec *volume,
                          guint               iothread)
{
  xmlNode *disk;
  xmlNode *source;

  g_return_val_if_fail (devices != NULL, NULL);
  g_return_val_if_fail (volume != NULL, NULL);

  /* Images may sit on file systems without O_DIRECT: keep the default cache mode. */
  disk = append_virtio_disk (devices, "volume", volume->format, FALSE, iothread);
  source = find_child (disk, "source");
  set_prop (source, "pool", volume->pool);
  set_prop (source, "volume", volume->name);
  return disk;
}

xmlNode *
pt_devices_append_cdrom (xmlNode    *devices,
                         const char *iso_path)
{
  g_autofree char *target_name = NULL;
  xmlNode *disk;
  xmlNode *node;

  g_return_val_if_fail (devices != NULL, NULL);
  g_return_val_if_fail (iso_path != NULL, NULL);

  target_name = free_target (devices, "sd");
  disk = new_child (devices, "disk");
  set_prop (disk, "type", "file");
  set_prop (disk, "device", "cdrom");
  node = new_child (disk, "driver");
  set_prop (node, "name", "qemu");
  set_prop (node, "type", "raw");
  node = new_child (disk, "source");
  set_prop (node, "file", iso_path);
  node = new_child (disk, "target");
  set_prop (node, "dev", target_name);
  /* SATA, not virtio: installers find it without extra drivers. */
  set_prop (node, "bus", "sata");
  new_child (disk, "readonly");
  return disk;
}

xmlNode *
pt_devices_append_usb (xmlNode *devices,
                       guint    vendor_id,
                       guint    product_id,
                       guint    bus,
                       guint    device)
{
  g_autofree char *vendor = g_strdup_printf ("0x%04x", vendor_id);
  g_autofree char *product = g_strdup_printf ("0x%04x", product_id);
  xmlNode *hostdev;
  xmlNode *source;
  xmlNode *node;

  g_return_val_if_fail (devices != NULL, NULL);

  hostdev = new_child (devices, "hostdev");
  set_prop (hostdev, "mode", "subsystem");
  set_prop (hostdev, "type", "usb");
  set_prop (hostdev, "managed", "yes");
  source = new_child (hostdev, "source");
  /* A receiver left in a drawer must not keep the guest from starting. */
  set_prop (source, "startupPolicy", "optional");
  node = new_child (source, "vendor");
  set_prop (node, "id", vendor);
  node = new_child (source, "product");
  set_prop (node, "id", product);
  if (bus > 0 && device > 0)
    {
      g_autofree char *bus_text = g_strdup_printf ("%u", bus);
      g_autofree char *device_text = g_strdup_printf ("%u", device);

      node = new_child (source, "address");
      set_prop (node, "bus", bus_text);
      set_prop (node, "device", device_text);
    }
  return hostdev;
}

xmlNode *
pt_devices_append_pci (xmlNode    *devices,
                       const char *address)
{
  guint domain, bus, slot, function;
  g_autofree char *domain_text = NULL;
  g_autofree char *bus_text = NULL;
  g_autofree char *slot_text = NULL;
  g_autofree char *function_text = NULL;
  xmlNode *hostdev;
  xmlNode *source;
  xmlNode *node;

  g_return_val_if_fail (devices != NULL, NULL);

  if (!parse_pci_address (address, &domain, &bus, &slot, &function))
    {
      g_critical ("%s: “%s” is not a PCI address", G_STRFUNC, address);
      return NULL;
    }

  domain_text = g_strdup_printf ("0x%04x", domain);
  bus_text = g_strdup_printf ("0x%02x", bus);
  slot_text = g_strdup_printf ("0x%02x", slot);
  function_text = g_strdup_printf ("0x%x", function);

  hostdev = new_child (devices, "hostdev");
  set_prop (hostdev, "mode", "subsystem");
  set_prop (hostdev, "type", "pci");
  set_prop (hostdev, "managed", "yes");
  source = new_child (hostdev, "source");
  node = new_child (source, "address");
  set_prop (node, "domain", domain_text);
  set_prop (node, "bus", bus_text);
  set_prop (node, "slot", slot_text);
  set_prop (node, "function", function_text);
  return hostdev;
}

static xmlNs *
qemu_namespace (xmlNode *domain)
{
  xmlNs *ns = xmlSearchNsByHref (domain->doc, domain, BAD_CAST QEMU_NS_HREF);

  if (ns == NULL)
    ns = xmlNewNs (domain, BAD_CAST QEMU_NS_HREF, BAD_CAST "qemu");
  return ns;
}

/* QEMU's option syntax doubles a comma inside a value. */
static char *
escape_qemu_option (const char *value)
{
  g_auto(GStrv) parts = g_strsplit (value, ",", -1);

  return g_strjoinv (",,", parts);
}

/* How many input-linux objects the domain has already, so that new ids do not clash. */
static guint
count_input_linux (xmlNode *commandline)
{
  guint count = 0;

  for (xmlNode *arg = commandline->children; arg != NULL; arg = arg->next)
    {
      g_autofree xmlChar *value = NULL;

      if (!is_element (arg, "arg"))
        continue;
      value = xmlGetProp (arg, BAD_CAST "value");
      if (value != NULL && g_str_has_prefix ((const char *) value, "input-linux,"))
        count++;
    }
  return count;
}

void
pt_devices_append_input_linux (xmlNode            *domain,
                               const char * const *paths)
{
  xmlNs *ns;
  xmlNode *commandline = NULL;
  guint next_id;

  g_return_if_fail (domain != NULL);

  if (paths == NULL || paths[0] == NULL)
    return;

  ns = qemu_namespace (domain);
  for (xmlNode *child = domain->children; child != NULL; child = child->next)
    if (is_element (child, "commandline") && child->ns != NULL
        && xmlStrcmp (child->ns->href, BAD_CAST QEMU_NS_HREF) == 0)
      commandline = child;
  if (commandline == NULL)
    commandline = xmlNewChild (domain, ns, BAD_CAST "commandline", NULL);

  next_id = count_input_linux (commandline);
  for (guint i = 0; paths[i] != NULL; i++)
    {
      g_autofree char *evdev = escape_qemu_option (paths[i]);
      g_autofree char *object = NULL;
      xmlNode *arg;

      object = g_strdup_printf ("input-linux,id=passthrough-input%u,evdev=%s%s", next_id++,
                                evdev,
                                pt_input_kind_from_path (paths[i]) == PT_INPUT_KIND_KEYBOARD
                                ? ",grab_all=on,repeat=on" : "");
      arg = xmlNewChild (commandline, ns, BAD_CAST "arg", NULL);
      set_prop (arg, "value", "-object");
      arg = xmlNewChild (commandline, ns, BAD_CAST "arg", NULL);
      set_prop (arg, "value", object);
    }
}

static const PtInputDevice *
find_input (PtHostScan *scan,
            const char *path)
{
  GPtrArray *inputs = scan != NULL ? pt_host_scan_get_input (scan) : NULL;

  for (guint i = 0; inputs != NULL && i < inputs->len; i++)
    {
      const PtInputDevice *input = g_ptr_array_index (inputs, i);

      if (g_str_equal (input->path, path))
        return input;
    }
  return NULL;
}

/* The scan's disk behind @path, by its device node, whichever by-id link names it. */
static const PtDisk *
find_disk (PtHostScan *scan,
           const char *path)
{
  GPtrArray *disks = pt_host_scan_get_disks (scan);
  g_autofree char *device = pt_sysroot_resolve (pt_host_scan_get_sysroot (scan), path, NULL);

  for (guint i = 0; i < disks->len; i++)
    {
      const PtDisk *disk = g_ptr_array_index (disks, i);

      if (g_str_equal (disk->path, path) || g_strcmp0 (disk->device, device) == 0)
        return disk;
    }
  return NULL;
}

static gboolean
append_disks (xmlNode     *devices,
              PtSetup     *setup,
              PtHostScan  *scan,
              guint        iothread,
              GError     **error)
{
  const char * const *disks = pt_setup_get_disks (setup);

  for (guint i = 0; disks != NULL && disks[i] != NULL; i++)
    {
      if (g_str_has_prefix (disks[i], PT_VOLUME_PREFIX))
        {
          g_autoptr(PtVolumeSpec) volume = pt_volume_spec_parse (disks[i], error);

          if (volume == NULL)
            return FALSE;
          pt_devices_append_volume (devices, volume, iothread);
          continue;
        }

      if (!pt_path_is_plain (disks[i]))
        {
          g_set_error (error, PT_DEVICES_ERROR, PT_DEVICES_ERROR_INVALID,
                       _("“%s” is not a disk; give its /dev/disk/by-id path"), disks[i]);
          return FALSE;
        }

      if (scan != NULL)
        {
          const PtDisk *disk = find_disk (scan, disks[i]);

          /* The one rule that is never bent: the host's own disk stays the host's. */
          if (disk != NULL && pt_disk_is_host_disk (disk))
            {
              g_set_error (error, PT_DEVICES_ERROR, PT_DEVICES_ERROR_INVALID,
                           _("%s holds this computer’s system (its root, /boot or swap) and "
                             "can never go to a virtual machine"),
                           disks[i]);
              return FALSE;
            }
        }

      pt_devices_append_disk (devices, disks[i], iothread);
    }
  return TRUE;
}

static const PtUsbControllerOffer *
find_controller_offer (GPtrArray  *offers,
                       const char *address)
{
  for (guint i = 0; i < offers->len; i++)
    {
      const PtUsbControllerOffer *offer = g_ptr_array_index (offers, i);

      if (g_str_equal (offer->controller->address, address))
        return offer;
    }
  return NULL;
}

/* The same rule the Storage panel shows: a controller goes only with its IOMMU group to itself,
 * and never with the host's last keyboard or its system disk. */
static gboolean
check_controller (PtHostScan  *scan,
                  PtSetup     *setup,
                  const char  *address,
                  GError     **error)
{
  g_autoptr(GPtrArray) offers = pt_guest_usb_controller_offers (scan, setup);
  const PtUsbControllerOffer *offer = find_controller_offer (offers, address);

  if (offer == NULL)
    {
      g_set_error (error, PT_DEVICES_ERROR, PT_DEVICES_ERROR_INVALID,
                   _("%s is not a USB controller of this computer"), address);
      return FALSE;
    }
  if (!offer->offered && !offer->with_gpu)
    {
      g_set_error (error, PT_DEVICES_ERROR, PT_DEVICES_ERROR_INVALID,
                   _("The USB controller %s cannot go to a virtual machine: %s"), address,
                   offer->reason);
      return FALSE;
    }
  return TRUE;
}

/* A controller on the guest GPU's card is one of the card's functions, which go with it. */
static gboolean
controller_goes_with_gpu (PtHostScan *scan,
                          PtSetup    *setup,
                          const char *address)
{
  g_autoptr(GPtrArray) offers = NULL;
  const PtUsbControllerOffer *offer;

  if (scan == NULL)
    return FALSE;
  offers = pt_guest_usb_controller_offers (scan, setup);
  offer = find_controller_offer (offers, address);
  return offer != NULL && offer->with_gpu;
}

static gboolean
append_usb (xmlNode     *devices,
            PtSetup     *setup,
            PtHostScan  *scan,
            GPtrArray   *warnings,
            GError     **error)
{
  const char * const *usb = pt_setup_get_usb (setup);
  GPtrArray *present = scan != NULL ? pt_host_scan_get_usb (scan) : NULL;

  for (guint i = 0; usb != NULL && usb[i] != NULL; i++)
    {
      g_autofree char *address = NULL;
      const PtUsbDevice *first = NULL;
      guint vendor, product;
      guint same = 0;

      if (!pt_usb_choice_parse (usb[i], &vendor, &product, &address, error))
        return FALSE;

      if (address != NULL)
        {
          if (scan != NULL && !check_controller (scan, setup, address, error))
            return FALSE;
          if (!controller_goes_with_gpu (scan, setup, address))
            pt_devices_append_pci (devices, address);
          continue;
        }

      for (guint j = 0; present != NULL && j < present->len; j++)
        {
          const PtUsbDevice *device = g_ptr_array_index (present, j);

          if (device->vendor_id == vendor && device->product_id == product)
            {
              if (first == NULL)
                first = device;
              same++;
            }
        }

      /* libvirt refuses ids that match two devices; the bus address picks one of them. */
      if (same > 1)
        {
          pt_devices_append_usb (devices, vendor, product, first->bus, first->device);
          if (warnings != NULL)
            g_ptr_array_add (warnings,
                             g_strdup_printf (_("%u USB devices are %04x:%04x; the virtual "
                                                "machine gets the one on bus %u, device %u. "
                                                "Plugged in again, it may get another number."),
                                              same, vendor, product, first->bus,
                                              first->device));
        }
      else
        pt_devices_append_usb (devices, vendor, product, 0, 0);
    }
  return TRUE;
}

gboolean
pt_devices_append_setup (xmlNode     *domain,
                         PtSetup     *setup,
                         PtHostScan  *scan,
                         guint        iothread,
                         GPtrArray   *warnings,
                         GError     **error)
{
  const char * const *inputs;
  const char * const *isos;
  g_autoptr(GPtrArray) input_linux = g_ptr_array_new_with_free_func (g_free);
  xmlNode *devices;

  g_return_val_if_fail (domain != NULL, FALSE);
  g_return_val_if_fail (PT_IS_SETUP (setup), FALSE);
  g_return_val_if_fail (scan == NULL || PT_IS_HOST_SCAN (scan), FALSE);

  devices = find_child (domain, "devices");
  if (devices == NULL)
    devices = new_child (domain, "devices");

  inputs = pt_setup_get_inputs (setup);
  for (guint i = 0; inputs != NULL && inputs[i] != NULL; i++)
    {
      g_autofree char *path = NULL;
      gboolean old_way;
      const PtInputDevice *input;

      if (!pt_input_choice_parse (inputs[i], &path, &old_way, error))
        return FALSE;
      if (old_way)
        {
          g_ptr_array_add (input_linux, g_steal_pointer (&path));
          continue;
        }
      input = find_input (scan, path);
      pt_devices_append_evdev (devices, path,
                               input != NULL ? input->kind : pt_input_kind_from_path (path),
                               PT_GRAB_TOGGLE_DEFAULT);
    }

  if (!append_disks (devices, setup, scan, iothread, error))
    return FALSE;

  isos = pt_setup_get_isos (setup);
  for (guint i = 0; isos != NULL && isos[i] != NULL; i++)
    {
      if (!pt_path_is_plain (isos[i]))
        {
          g_set_error (error, PT_DEVICES_ERROR, PT_DEVICES_ERROR_INVALID,
                       _("“%s” is not an image file; give its full path"), isos[i]);
          return FALSE;
        }
      pt_devices_append_cdrom (devices, isos[i]);
    }

  if (!append_usb (devices, setup, scan, warnings, error))
    return FALSE;

  if (input_linux->len > 0)
    {
      g_ptr_array_add (input_linux, NULL);
      pt_devices_append_input_linux (domain, (const char * const *) input_linux->pdata);
      if (warnings != NULL)
        g_ptr_array_add (warnings,
                         g_strdup (_("With input-linux, QEMU opens the keyboard and mouse itself "
                                     "as the libvirt-qemu user, which may not read them: add "
                                     "that user to the input group (sudo usermod -aG input "
                                     "libvirt-qemu). Passthrough never makes QEMU run as "
                                     "root.")));
    }

  return TRUE;
}

char *
pt_volume_spec_to_xml (const PtVolumeSpec *self)
{
  g_autofree char *capacity = NULL;
  xmlDoc *doc;
  xmlNode *volume;
  xmlNode *node;
  xmlChar *text = NULL;
  int size = 0;
  char *result;

  g_return_val_if_fail (self != NULL, NULL);

  capacity = g_strdup_printf ("%" G_GUINT64_FORMAT, self->capacity_bytes);
  doc = xmlNewDoc (BAD_CAST "1.0");
  volume = xmlNewNode (NULL, BAD_CAST "volume");
  xmlDocSetRootElement (doc, volume);
  set_prop (volume, "type", "file");
  xmlNewTextChild (volume, NULL, BAD_CAST "name", BAD_CAST self->name);
  node = xmlNewTextChild (volume, NULL, BAD_CAST "capacity", BAD_CAST capacity);
  set_prop (node, "unit", "bytes");
  /* Sparse: the image takes space as the guest writes. */
  node = xmlNewTextChild (volume, NULL, BAD_CAST "allocation", BAD_CAST "0");
  set_prop (node, "unit", "bytes");
  node = new_child (volume, "target");
  node = new_child (node, "format");
  set_prop (node, "type", self->format);

  xmlDocDumpFormatMemoryEnc (doc, &text, &size, "UTF-8", 1);
  xmlFreeDoc (doc);

  /* Without the XML declaration: libvirt's own tools print volumes that way. */
  result = g_strdup (strstr ((const char *) text, "<volume"));
  xmlFree (text);
  return result;
}

char **
pt_devices_input_linux_paths (PtSetup *setup)
{
  const char * const *inputs = pt_setup_get_inputs (setup);
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; inputs != NULL && inputs[i] != NULL; i++)
    {
      g_autofree char *path = NULL;
      gboolean old_way = FALSE;

      if (pt_input_choice_parse (inputs[i], &path, &old_way, NULL) && old_way)
        g_ptr_array_add (paths, g_steal_pointer (&path));
    }
  g_ptr_array_add (paths, NULL);
  return (char **) g_ptr_array_steal (paths, NULL);
}

char *
pt_xml_children_to_string (xmlNode *parent)
{
  xmlBuffer *buffer = xmlBufferCreate ();
  char *result;

  for (xmlNode *child = parent->children; child != NULL; child = child->next)
    {
      if (child->type != XML_ELEMENT_NODE)
        continue;
      xmlNodeDump (buffer, parent->doc, child, 0, 1);
      xmlBufferCCat (buffer, "\n");
    }

  result = g_strdup ((const char *) xmlBufferContent (buffer));
  xmlBufferFree (buffer);
  return result;
}
