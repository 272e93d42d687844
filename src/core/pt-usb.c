/* pt-usb.c: USB devices from sysfs, named by their own strings or the host's usb.ids. */
#include "config.h"

#include "pt-usb.h"

#include <string.h>

#include "pt-pci.h"

#define USB_DEVICES_DIR "/sys/bus/usb/devices"
#define USB_CLASS_HUB 0x09

/* The host's id database, like pci.ids for libpci: names describe hardware, not the tree. */
static const char * const usb_ids_paths[] = {
  "/usr/share/misc/usb.ids",
  "/usr/share/hwdata/usb.ids",
  "/usr/share/usb.ids",
};

void
pt_usb_device_free (PtUsbDevice *self)
{
  if (self == NULL)
    return;
  g_free (self->name);
  g_free (self->sysfs_name);
  g_free (self->pci_address);
  g_free (self);
}

gboolean
pt_usb_device_is_hub (const PtUsbDevice *self)
{
  return self->device_class == USB_CLASS_HUB;
}

static gboolean
parse_id_line (const char  *line,
               guint       *ret_id,
               const char **ret_name)
{
  guint64 id;
  char digits[5];

  for (guint i = 0; i < 4; i++)
    if (!g_ascii_isxdigit (line[i]))
      return FALSE;
  if (line[4] != ' ')
    return FALSE;
  memcpy (digits, line, 4);
  digits[4] = '\0';
  if (!pt_parse_uint64 (digits, 16, &id, NULL))
    return FALSE;
  *ret_id = (guint) id;
  *ret_name = line + 4;
  while (**ret_name == ' ')
    (*ret_name)++;
  return TRUE;
}

/*
 * "vvvv  Vendor" lines, each followed by "\tpppp  Product" lines; the vendor list ends where
 * the class and language tables begin. Returns "Vendor Product", "Vendor Device pppp" (as
 * lspci words it) or NULL.
 */
static char *
lookup_usb_ids (const char *database,
                guint       vendor_id,
                guint       product_id)
{
  const char *vendor_name = NULL;
  int vendor_len = 0;
  const char *next;

  if (database == NULL)
    return NULL;

  /* Walked in place: the file has some 25,000 lines and this runs once per unnamed device. */
  for (const char *line = database; *line != '\0'; line = next)
    {
      const char *end = strchrnul (line, '\n');
      const char *name;
      guint id;

      next = *end != '\0' ? end + 1 : end;
      if (line[0] == '#' || line == end)
        continue;
      if (line[0] == '\t')
        {
          if (vendor_name != NULL && line[1] != '\t' && parse_id_line (line + 1, &id, &name)
              && id == product_id)
            return g_strdup_printf ("%.*s %.*s", vendor_len, vendor_name, (int) (end - name), name);
          continue;
        }
      if (vendor_name != NULL)
        break;
      if (!parse_id_line (line, &id, &name))
        {
          /* "C 00  (Defined at Interface level)": past the vendors. */
          if (end - line > 1 && line[1] == ' ')
            break;
          continue;
        }
      if (id == vendor_id)
        {
          vendor_name = name;
          vendor_len = (int) (end - name);
        }
    }

  return vendor_name ? g_strdup_printf ("%.*s Device %04x", vendor_len, vendor_name, product_id)
                     : NULL;
}

static char *
load_usb_ids (void)
{
  /* Lets the tests bring a database of known contents. */
  const char *override = g_getenv ("PT_USB_IDS");

  if (override != NULL)
    {
      char *contents = NULL;

      return g_file_get_contents (override, &contents, NULL, NULL) ? contents : NULL;
    }

  for (guint i = 0; i < G_N_ELEMENTS (usb_ids_paths); i++)
    {
      char *contents = NULL;

      if (g_file_get_contents (usb_ids_paths[i], &contents, NULL, NULL))
        return contents;
    }
  return NULL;
}

static char *
read_string (PtSysroot  *sysroot,
             const char *dir,
             const char *attribute)
{
  g_autofree char *path = g_strconcat (dir, "/", attribute, NULL);
  g_autofree char *line = pt_sysroot_read_line (sysroot, path, NULL);

  if (line == NULL || *line == '\0')
    return NULL;
  return g_steal_pointer (&line);
}

/* A number in the attribute; FALSE without an error when the attribute does not exist. */
static gboolean
read_number (PtSysroot   *sysroot,
             const char  *dir,
             const char  *attribute,
             guint        base,
             guint       *ret_value,
             GError     **error)
{
  g_autofree char *path = g_strconcat (dir, "/", attribute, NULL);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *line = pt_sysroot_read_line (sysroot, path, &local_error);
  guint64 value;

  if (line == NULL)
    {
      if (!g_error_matches (local_error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_NOT_FOUND))
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (!pt_parse_uint64 (line, base, &value, &local_error) || value > G_MAXUINT)
    {
      g_set_error (error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_PARSE, "%s: %s", path,
                   local_error ? local_error->message : "out of range");
      return FALSE;
    }
  *ret_value = (guint) value;
  return TRUE;
}

/* The host controller: the last PCI function on the device's path in /sys/devices. */
static char *
controller_address (PtSysroot  *sysroot,
                    const char *dir)
{
  g_autofree char *canonical = pt_sysroot_resolve (sysroot, dir, NULL);

  return pt_pci_address_from_sysfs_path (canonical);
}

static char *
device_name (PtSysroot  *sysroot,
             const char *dir,
             guint       vendor_id,
             guint       product_id,
             char      **usb_ids,
             gboolean   *usb_ids_loaded)
{
  g_autofree char *manufacturer = read_string (sysroot, dir, "manufacturer");
  g_autofree char *product = read_string (sysroot, dir, "product");
  char *name;

  if (manufacturer != NULL && product != NULL)
    return g_strdup_printf ("%s %s", manufacturer, product);
  if (manufacturer != NULL)
    return g_steal_pointer (&manufacturer);
  if (product != NULL)
    return g_steal_pointer (&product);

  /* Loaded once per read, and only when some device has no strings of its own. */
  if (!*usb_ids_loaded)
    {
      *usb_ids = load_usb_ids ();
      *usb_ids_loaded = TRUE;
    }
  name = lookup_usb_ids (*usb_ids, vendor_id, product_id);
  if (name != NULL)
    return name;
  return g_strdup_printf ("Unknown device %04x:%04x", vendor_id, product_id);
}

static int
compare_devices_cb (gconstpointer a,
                    gconstpointer b)
{
  const PtUsbDevice *x = *(const PtUsbDevice * const *) a;
  const PtUsbDevice *y = *(const PtUsbDevice * const *) b;

  if (x->bus != y->bus)
    return x->bus < y->bus ? -1 : 1;
  return x->device < y->device ? -1 : x->device > y->device;
}

GPtrArray *
pt_usb_read (PtSysroot  *sysroot,
             GError    **error)
{
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *usb_ids = NULL;
  gboolean usb_ids_loaded = FALSE;

  g_return_val_if_fail (sysroot != NULL, NULL);

  devices = g_ptr_array_new_with_free_func ((GDestroyNotify) pt_usb_device_free);
  entries = pt_sysroot_list_dir (sysroot, USB_DEVICES_DIR, &local_error);
  if (entries == NULL)
    {
      if (g_error_matches (local_error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_NOT_FOUND))
        return g_steal_pointer (&devices);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  for (guint i = 0; i < entries->len; i++)
    {
      const char *entry = g_ptr_array_index (entries, i);
      g_autofree char *dir = g_strconcat (USB_DEVICES_DIR "/", entry, NULL);
      guint bus, devnum, vendor_id = 0, product_id = 0, device_class = 0;
      PtUsbDevice *device;

      /* "1-4:1.0" entries are interfaces of a device, not devices. */
      if (strchr (entry, ':') != NULL)
        continue;

      if (!read_number (sysroot, dir, "busnum", 10, &bus, &local_error)
          || !read_number (sysroot, dir, "devnum", 10, &devnum, &local_error))
        {
          /* Missing numbers: not a device (or one being unplugged); garbage: an error. */
          if (local_error != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }
          continue;
        }
      /* Each may be missing (0 then), none may be garbage. */
      read_number (sysroot, dir, "idVendor", 16, &vendor_id, &local_error);
      if (local_error == NULL)
        read_number (sysroot, dir, "idProduct", 16, &product_id, &local_error);
      if (local_error == NULL)
        read_number (sysroot, dir, "bDeviceClass", 16, &device_class, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }

      device = g_new0 (PtUsbDevice, 1);
      device->bus = bus;
      device->device = devnum;
      device->vendor_id = vendor_id;
      device->product_id = product_id;
      device->device_class = device_class;
      device->sysfs_name = g_strdup (entry);
      device->pci_address = controller_address (sysroot, dir);
      device->name = device_name (sysroot, dir, vendor_id, product_id, &usb_ids, &usb_ids_loaded);
      g_ptr_array_add (devices, device);
    }

  g_ptr_array_sort (devices, compare_devices_cb);
  return g_steal_pointer (&devices);
}
