/* pt-device-usage.c: what the host uses each PCI function for: disks, network, keyboards, USB. */
#include "config.h"

#include "pt-device-usage.h"

#include <string.h>

/* The Linux Foundation's vendor id: the virtual root hub of every USB bus. */
#define USB_VENDOR_LINUX_FOUNDATION 0x1d6b
/* Interfaces behind bridges and bonds are followed this deep at most. */
#define MAX_NET_DEPTH 4
/* The kernel's route flag for a route in use. */
#define RTF_UP_FLAG 0x0001

typedef struct {
  GPtrArray *disks;       /* PtDisk*, borrowed */
  GPtrArray *interfaces;  /* char* */
  gboolean   active;      /* an interface carries a route */
  GPtrArray *keyboards;   /* PtInputDevice*, borrowed */
  GPtrArray *usb;         /* PtUsbDevice* plugged in, root hubs left out; borrowed */
} DeviceUse;

struct _PtDeviceUsage
{
  PtHostScan *scan;
  GHashTable *uses;        /* address → DeviceUse* */
  GPtrArray  *keyboards;   /* PtInputDevice*, borrowed */
  gboolean    knows_network;
};

static void
device_use_free (DeviceUse *use)
{
  g_clear_pointer (&use->disks, g_ptr_array_unref);
  g_clear_pointer (&use->interfaces, g_ptr_array_unref);
  g_clear_pointer (&use->keyboards, g_ptr_array_unref);
  g_clear_pointer (&use->usb, g_ptr_array_unref);
  g_free (use);
}

void
pt_device_usage_free (PtDeviceUsage *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->uses, g_hash_table_unref);
  g_clear_pointer (&self->keyboards, g_ptr_array_unref);
  g_clear_object (&self->scan);
  g_free (self);
}

/* A bus's own hub, part of the controller. A Linux machine in USB gadget mode has the vendor id
 * too, but is no hub: it is plugged in like any device. */
static gboolean
is_root_hub (const PtUsbDevice *device)
{
  return pt_usb_device_is_hub (device) && device->vendor_id == USB_VENDOR_LINUX_FOUNDATION;
}

static DeviceUse *
use_of (PtDeviceUsage *self,
        const char    *address)
{
  DeviceUse *use = g_hash_table_lookup (self->uses, address);

  if (use == NULL)
    {
      use = g_new0 (DeviceUse, 1);
      use->disks = g_ptr_array_new ();
      /* NULL-terminated, to be handed out as a string vector. */
      use->interfaces = g_ptr_array_new_null_terminated (2, g_free, TRUE);
      use->keyboards = g_ptr_array_new ();
      use->usb = g_ptr_array_new ();
      g_hash_table_insert (self->uses, g_strdup (address), use);
    }
  return use;
}

/* The PCI function a sysfs device hangs off: the last "dddd:bb:ss.f" component of its canonical
 * path ("/sys/devices/pci0000:00/0000:00:14.0/usb1/1-5/.../event4" → "0000:00:14.0"). For a USB
 * keyboard that is its host controller; for one on a laptop's I2C bus, the I2C controller. */
static char *
pci_ancestor (PtSysroot  *sysroot,
              const char *path)
{
  g_autofree char *canonical = pt_sysroot_resolve (sysroot, path, NULL);

  if (canonical == NULL || !g_str_has_prefix (canonical, "/sys/devices/"))
    return NULL;
  return pt_pci_address_from_sysfs_path (canonical);
}

/* Interfaces in use: every one with a route that is up in /proc/net/route. */
static GHashTable *
read_routed_interfaces (PtSysroot *sysroot)
{
  GHashTable *names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (!pt_sysroot_read_file (sysroot, "/proc/net/route", &contents, NULL, NULL))
    return names;

  lines = g_strsplit (contents, "\n", -1);
  /* The first line names the columns. */
  for (guint i = 1; lines[0] != NULL && lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit_set (g_strstrip (lines[i]), " \t", -1);
      g_autoptr(GPtrArray) columns = g_ptr_array_new ();
      guint64 flags;

      for (guint j = 0; fields[j] != NULL; j++)
        if (fields[j][0] != '\0')
          g_ptr_array_add (columns, fields[j]);
      if (columns->len < 4)
        continue;
      if (!pt_parse_uint64 (g_ptr_array_index (columns, 3), 16, &flags, NULL))
        continue;
      if ((flags & RTF_UP_FLAG) != 0)
        g_hash_table_add (names, g_strdup (g_ptr_array_index (columns, 0)));
    }
  return names;
}

/* The PCI functions under an interface, through bridges ("brif/"), bonds and VLANs ("lower_"). */
static void
collect_interface_functions (PtSysroot  *sysroot,
                             const char *name,
                             guint       depth,
                             GPtrArray  *addresses)
{
  g_autofree char *dir = g_strconcat ("/sys/class/net/", name, NULL);
  g_autofree char *address = NULL;
  g_autofree char *brif = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) ports = NULL;

  if (depth > MAX_NET_DEPTH || strchr (name, '/') != NULL || g_str_equal (name, "..")
      || g_str_equal (name, "."))
    return;

  address = pci_ancestor (sysroot, dir);
  if (address != NULL)
    {
      g_ptr_array_add (addresses, g_steal_pointer (&address));
      return;
    }

  entries = pt_sysroot_list_dir (sysroot, dir, NULL);
  for (guint i = 0; entries != NULL && i < entries->len; i++)
    {
      const char *entry = g_ptr_array_index (entries, i);

      if (g_str_has_prefix (entry, "lower_"))
        collect_interface_functions (sysroot, entry + strlen ("lower_"), depth + 1, addresses);
    }

  brif = g_strconcat (dir, "/brif", NULL);
  ports = pt_sysroot_list_dir (sysroot, brif, NULL);
  for (guint i = 0; ports != NULL && i < ports->len; i++)
    collect_interface_functions (sysroot, g_ptr_array_index (ports, i), depth + 1, addresses);
}

static void
read_network (PtDeviceUsage *self,
              PtSysroot     *sysroot)
{
  g_autoptr(GHashTable) routed = read_routed_interfaces (sysroot);
  g_autoptr(GPtrArray) interfaces = pt_sysroot_list_dir (sysroot, "/sys/class/net", NULL);

  self->knows_network = interfaces != NULL;
  for (guint i = 0; interfaces != NULL && i < interfaces->len; i++)
    {
      const char *name = g_ptr_array_index (interfaces, i);
      g_autoptr(GPtrArray) addresses = g_ptr_array_new_with_free_func (g_free);
      gboolean active = g_hash_table_contains (routed, name);

      collect_interface_functions (sysroot, name, 0, addresses);
      for (guint j = 0; j < addresses->len; j++)
        {
          DeviceUse *use = use_of (self, g_ptr_array_index (addresses, j));

          /* A bond's ports are listed under their own names too; the bond makes them active. */
          if (!g_ptr_array_find_with_equal_func (use->interfaces, name, g_str_equal, NULL))
            g_ptr_array_add (use->interfaces, g_strdup (name));
          use->active |= active;
        }
    }
}

PtDeviceUsage *
pt_device_usage_new (PtHostScan *scan)
{
  g_autoptr(PtDeviceUsage) self = g_new0 (PtDeviceUsage, 1);
  PtSysroot *sysroot;
  GPtrArray *disks;
  GPtrArray *inputs;
  GPtrArray *usb;

  g_return_val_if_fail (PT_IS_HOST_SCAN (scan), NULL);

  self->scan = g_object_ref (scan);
  self->uses = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                      (GDestroyNotify) device_use_free);
  self->keyboards = g_ptr_array_new ();
  sysroot = pt_host_scan_get_sysroot (scan);

  disks = pt_host_scan_get_disks (scan);
  for (guint i = 0; disks != NULL && i < disks->len; i++)
    {
      PtDisk *disk = g_ptr_array_index (disks, i);

      if (disk->pci_address != NULL)
        g_ptr_array_add (use_of (self, disk->pci_address)->disks, disk);
    }

  inputs = pt_host_scan_get_input (scan);
  for (guint i = 0; inputs != NULL && i < inputs->len; i++)
    {
      PtInputDevice *input = g_ptr_array_index (inputs, i);
      g_autofree char *event_dir = NULL;
      g_autofree char *address = NULL;

      if (input->kind != PT_INPUT_KIND_KEYBOARD)
        continue;
      g_ptr_array_add (self->keyboards, input);
      event_dir = g_strconcat ("/sys/class/input/", input->event, NULL);
      address = pci_ancestor (sysroot, event_dir);
      if (address != NULL)
        g_ptr_array_add (use_of (self, address)->keyboards, input);
    }

  usb = pt_host_scan_get_usb (scan);
  for (guint i = 0; usb != NULL && i < usb->len; i++)
    {
      PtUsbDevice *device = g_ptr_array_index (usb, i);

      if (device->pci_address != NULL && !is_root_hub (device))
        g_ptr_array_add (use_of (self, device->pci_address)->usb, device);
    }

  read_network (self, sysroot);
  return g_steal_pointer (&self);
}

static DeviceUse *
find_use (PtDeviceUsage *self,
          const char    *address)
{
  return address != NULL ? g_hash_table_lookup (self->uses, address) : NULL;
}

GPtrArray *
pt_device_usage_get_disks (PtDeviceUsage *self,
                           const char    *address)
{
  DeviceUse *use = find_use (self, address);

  return use != NULL && use->disks->len > 0 ? use->disks : NULL;
}

const char * const *
pt_device_usage_get_interfaces (PtDeviceUsage *self,
                                const char    *address,
                                gboolean      *ret_active)
{
  DeviceUse *use = find_use (self, address);

  if (ret_active != NULL)
    *ret_active = use != NULL && use->active;
  if (use == NULL || use->interfaces->len == 0)
    return NULL;
  return (const char * const *) use->interfaces->pdata;
}

gboolean
pt_device_usage_knows_network (PtDeviceUsage *self)
{
  return self->knows_network;
}

GPtrArray *
pt_device_usage_get_keyboards (PtDeviceUsage *self,
                               const char    *address)
{
  DeviceUse *use = find_use (self, address);

  return use != NULL && use->keyboards->len > 0 ? use->keyboards : NULL;
}

GPtrArray *
pt_device_usage_get_all_keyboards (PtDeviceUsage *self)
{
  return self->keyboards;
}

GPtrArray *
pt_device_usage_get_usb (PtDeviceUsage *self,
                         const char    *address)
{
  DeviceUse *use = find_use (self, address);

  return use != NULL && use->usb->len > 0 ? use->usb : NULL;
}
