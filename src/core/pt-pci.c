/* pt-pci.c: PCI functions of a host, listed by libpci's sysfs method and completed from sysfs. */
#include "config.h"

#include "pt-pci.h"

#include <pci/pci.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/*
 * libpci keeps a name cache in each pci_access and its default error handler calls exit().
 * Every read gets its own pci_access, the mutex keeps two scans from racing in libpci's
 * globals, and the error handler jumps back to the guard that started the call.
 */
static GMutex pci_mutex;
static _Thread_local jmp_buf *pci_error_jump;
static _Thread_local char *pci_error_message;

static void pci_error_cb (char *format, ...) G_GNUC_PRINTF (1, 2) G_GNUC_NORETURN;

static void
pci_error_cb (char *format,
              ...)
{
  va_list args;

  va_start (args, format);
  g_free (pci_error_message);
  pci_error_message = g_strdup_vprintf (format, args);
  va_end (args);

  if (pci_error_jump == NULL)
    g_error ("libpci failed outside a guarded call: %s", pci_error_message);
  longjmp (*pci_error_jump, 1);
}

static void pci_warning_cb (char *format, ...) G_GNUC_PRINTF (1, 2);

static void
pci_warning_cb (char *format,
                ...)
{
  g_autofree char *message = NULL;
  va_list args;

  /* Warnings are about optional data (a missing config space in a fixture tree): not the
   * user's concern, and the test suite treats warnings as fatal. */
  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_debug ("libpci: %s", message);
}

static void pci_debug_cb (char *format, ...) G_GNUC_PRINTF (1, 2);

static void
pci_debug_cb (char *format,
              ...)
{
}

typedef struct {
  PtSysroot         *sysroot;
  struct pci_access *pacc;
  char              *sysfs_path;
  GPtrArray         *devices;   /* PtPciDevice* */
} PciScan;

typedef void (*PciScanStep) (PciScan *scan);

/* Runs @step with libpci errors turned into a GError. @step must keep everything it allocates
 * reachable from @scan, since a libpci error leaves it halfway. */
static gboolean
run_guarded (PciScanStep   step,
             PciScan      *scan,
             GError      **error)
{
  jmp_buf jump;

  if (setjmp (jump) != 0)
    {
      pci_error_jump = NULL;
      g_set_error (error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_IO,
                   "Cannot read the PCI devices in %s: %s", scan->sysfs_path,
                   pci_error_message ? pci_error_message : "unknown libpci error");
      g_clear_pointer (&pci_error_message, g_free);
      return FALSE;
    }

  pci_error_jump = &jump;
  step (scan);
  pci_error_jump = NULL;
  return TRUE;
}

void
pt_pci_device_free (PtPciDevice *self)
{
  if (self == NULL)
    return;
  g_free (self->address);
  g_free (self->vendor_name);
  g_free (self->device_name);
  g_free (self->name);
  g_free (self->class_name);
  g_free (self->subsystem_name);
  g_free (self->driver);
  g_free (self->modalias);
  g_free (self->reset_method);
  g_free (self->parent);
  g_free (self);
}

static gboolean
parse_hex_field (const char *text,
                 gsize       min_digits,
                 gsize       max_digits,
                 guint      *ret_value)
{
  gsize len = strlen (text);
  guint64 value;

  if (len < min_digits || len > max_digits)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isxdigit (text[i]))
      return FALSE;
  value = g_ascii_strtoull (text, NULL, 16);
  *ret_value = (guint) value;
  return TRUE;
}

/* Parses "dddd:bb:ss.f" or "bb:ss.f". */
static gboolean
parse_address (const char *address,
               guint      *ret_domain,
               guint      *ret_bus,
               guint      *ret_slot,
               guint      *ret_function)
{
  g_auto(GStrv) parts = NULL;
  guint n_parts, domain = 0, bus, slot, function;
  const char *dot;
  g_autofree char *slot_text = NULL;

  if (address == NULL)
    return FALSE;

  parts = g_strsplit (address, ":", -1);
  n_parts = g_strv_length (parts);
  if (n_parts != 2 && n_parts != 3)
    return FALSE;
  if (n_parts == 3 && !parse_hex_field (parts[0], 1, 8, &domain))
    return FALSE;
  if (!parse_hex_field (parts[n_parts - 2], 1, 2, &bus))
    return FALSE;

  dot = strchr (parts[n_parts - 1], '.');
  if (dot == NULL)
    return FALSE;
  slot_text = g_strndup (parts[n_parts - 1], dot - parts[n_parts - 1]);
  if (!parse_hex_field (slot_text, 1, 2, &slot) || slot > 0x1f)
    return FALSE;
  if (!parse_hex_field (dot + 1, 1, 1, &function) || function > 7)
    return FALSE;

  *ret_domain = domain;
  *ret_bus = bus;
  *ret_slot = slot;
  *ret_function = function;
  return TRUE;
}

char *
pt_pci_normalize_address (const char *address)
{
  guint domain, bus, slot, function;

  if (!parse_address (address, &domain, &bus, &slot, &function))
    return NULL;
  return g_strdup_printf ("%04x:%02x:%02x.%x", domain, bus, slot, function);
}

char *
pt_pci_address_from_sysfs_path (const char *sys_path)
{
  g_auto(GStrv) parts = NULL;

  if (sys_path == NULL)
    return NULL;

  /* From the end: behind a bridge the path names every function on the way down. */
  parts = g_strsplit (sys_path, "/", -1);
  for (guint i = g_strv_length (parts); i-- > 0;)
    {
      guint colons = 0;
      char *address;

      /* sysfs names functions with their domain, so with two colons: the root bus
       * ("pci0000:00") and USB interfaces ("1-4:1.0") have one, and a short "09:00.0" in a path
       * is no function. Names with two colons that are no address (SCSI's "target1:0:0", HID's
       * "0003:046D:C52B.0001") fail the parser. */
      for (const char *c = parts[i]; *c != '\0'; c++)
        colons += *c == ':';
      if (colons != 2)
        continue;
      address = pt_pci_normalize_address (parts[i]);
      if (address != NULL)
        return address;
    }
  return NULL;
}

gboolean
pt_pci_device_is_gpu (const PtPciDevice *self)
{
  return self->class_id == PT_PCI_CLASS_DISPLAY_VGA
         || self->class_id == PT_PCI_CLASS_DISPLAY_3D
         || self->class_id == PT_PCI_CLASS_DISPLAY_OTHER;
}

gboolean
pt_pci_device_is_bridge (const PtPciDevice *self)
{
  /* Only bridges that forward PCI traffic: an ISA/LPC bridge is an endpoint with its own
   * devices behind it, and sharing a group with it is not harmless. 0x0609 is the
   * semi-transparent PCI-to-PCI bridge. */
  return self->class_id == PT_PCI_CLASS_BRIDGE_HOST
         || self->class_id == PT_PCI_CLASS_BRIDGE_PCI
         || self->class_id == 0x0609;
}

char *
pt_pci_device_dup_ids (const PtPciDevice *self)
{
  return g_strdup_printf ("%04x:%04x", self->vendor_id, self->device_id);
}

PtPciDevice *
pt_pci_find (GPtrArray  *devices,
             const char *address)
{
  g_autofree char *normalized = pt_pci_normalize_address (address);

  if (normalized == NULL || devices == NULL)
    return NULL;

  for (guint i = 0; i < devices->len; i++)
    {
      PtPciDevice *device = g_ptr_array_index (devices, i);

      if (g_str_equal (device->address, normalized))
        return device;
    }
  return NULL;
}

int
pt_pci_device_compare (gconstpointer a,
                       gconstpointer b)
{
  const PtPciDevice *x = *(const PtPciDevice * const *) a;
  const PtPciDevice *y = *(const PtPciDevice * const *) b;

  if (x->domain != y->domain)
    return x->domain < y->domain ? -1 : 1;
  if (x->bus != y->bus)
    return x->bus < y->bus ? -1 : 1;
  if (x->slot != y->slot)
    return x->slot < y->slot ? -1 : 1;
  if (x->function != y->function)
    return x->function < y->function ? -1 : 1;
  return 0;
}

static void
init_step (PciScan *scan)
{
  pci_set_param (scan->pacc, (char *) "sysfs.path", scan->sysfs_path);
  pci_init (scan->pacc);
}

static void
scan_step (PciScan *scan)
{
  pci_scan_bus (scan->pacc);
}

/*
 * pci_lookup_name reads as many of the four ids as @flags needs. Names come from pci.ids alone:
 * libpci's udev hwdb fallback leaks a udev context on every lookup on hosts without hwdb.bin,
 * and the two databases are built from the same source anyway.
 */
static char *
lookup_name (struct pci_access *pacc,
             int                flags,
             guint              id1,
             guint              id2,
             guint              id3,
             guint              id4)
{
  char buffer[1024];
  const char *name;

  name = pci_lookup_name (pacc, buffer, sizeof buffer, flags | PCI_LOOKUP_NO_HWDB,
                          (int) id1, (int) id2, (int) id3, (int) id4);
  return g_strdup (name ? name : "");
}

/* Identity and names from libpci; the device list gets each entry as soon as it exists so that
 * a libpci error in the middle leaks nothing. */
static void
fill_step (PciScan *scan)
{
  struct pci_access *pacc = scan->pacc;

  for (struct pci_dev *dev = pacc->devices; dev != NULL; dev = dev->next)
    {
      PtPciDevice *device = g_new0 (PtPciDevice, 1);
      int known;

      g_ptr_array_add (scan->devices, device);
      device->domain = (guint) dev->domain;
      device->bus = dev->bus;
      device->slot = dev->dev;
      device->function = dev->func;
      device->address = g_strdup_printf ("%04x:%02x:%02x.%x", device->domain, device->bus,
                                         device->slot, device->function);
      device->iommu_group = -1;
      device->numa_node = -1;

      known = pci_fill_info (dev, PCI_FILL_IDENT | PCI_FILL_CLASS | PCI_FILL_CLASS_EXT
                                  | PCI_FILL_SUBSYS);
      device->vendor_id = dev->vendor_id;
      device->device_id = dev->device_id;
      device->class_id = dev->device_class;
      if (known & PCI_FILL_CLASS_EXT)
        {
          device->prog_if = dev->prog_if;
          device->revision = dev->rev_id;
        }
      if (known & PCI_FILL_SUBSYS)
        {
          device->subsystem_vendor_id = dev->subsys_vendor_id;
          device->subsystem_device_id = dev->subsys_id;
        }

      /* Looked up one by one so that "name" is exactly lspci -mm's vendor and device fields,
       * also for unknown vendors ("Vendor 1234 Device 5678"). */
      device->vendor_name = lookup_name (pacc, PCI_LOOKUP_VENDOR,
                                         device->vendor_id, device->device_id, 0, 0);
      device->device_name = lookup_name (pacc, PCI_LOOKUP_DEVICE,
                                         device->vendor_id, device->device_id, 0, 0);
      device->name = g_strdup_printf ("%s %s", device->vendor_name, device->device_name);
      device->class_name = lookup_name (pacc, PCI_LOOKUP_CLASS, device->class_id, 0, 0, 0);
      if (device->subsystem_vendor_id != 0 && device->subsystem_vendor_id != 0xffff)
        device->subsystem_name = lookup_name (pacc, PCI_LOOKUP_SUBSYSTEM | PCI_LOOKUP_VENDOR
                                                    | PCI_LOOKUP_DEVICE,
                                              device->vendor_id, device->device_id,
                                              device->subsystem_vendor_id,
                                              device->subsystem_device_id);
    }
}

/* libpci reads below the host path of the tree, so a link that is absolute in the tree would
 * make it read the running host's sysfs instead; such a tree is refused. */
static gboolean
check_entry_stays_inside (PtSysroot   *sysroot,
                          const char  *root_real,
                          const char  *entry_path,
                          GError     **error)
{
  g_autofree char *host_path = pt_sysroot_host_path (sysroot, entry_path);
  g_autofree char *real = realpath (host_path, NULL);
  gsize root_len = strlen (root_real);

  if (real != NULL
      && (g_str_equal (root_real, "/")
          || (strncmp (real, root_real, root_len) == 0 && real[root_len] == '/')))
    return TRUE;

  g_set_error (error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_INVALID_PATH,
               "%s: the link leads outside %s or nowhere", entry_path,
               pt_sysroot_get_root (sysroot));
  return FALSE;
}

static gboolean
check_sysfs_tree (PtSysroot   *sysroot,
                  GError     **error)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *host_root = pt_sysroot_host_path (sysroot, "/");
  g_autofree char *root_real = realpath (host_root, NULL);

  if (root_real == NULL)
    {
      g_set_error (error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_NOT_FOUND,
                   "The system root %s does not exist", host_root);
      return FALSE;
    }

  entries = pt_sysroot_list_dir (sysroot, "/sys/bus/pci/devices", error);
  if (entries == NULL)
    return FALSE;

  for (guint i = 0; i < entries->len; i++)
    {
      const char *entry = g_ptr_array_index (entries, i);
      g_autofree char *path = g_strconcat ("/sys/bus/pci/devices/", entry, NULL);
      g_autofree char *vendor = g_strconcat (path, "/vendor", NULL);
      g_autofree char *device = g_strconcat (path, "/device", NULL);
      g_autofree char *class = g_strconcat (path, "/class", NULL);
      guint domain, bus, slot, function;
      guint64 vendor_id, device_id, class_id;

      /* libpci skips these too. */
      if (entry[0] == '.')
        continue;
      /* libpci would stop at the first such entry with a less helpful message. */
      if (strchr (entry, ':') == NULL || strchr (entry, ':') == strrchr (entry, ':')
          || !parse_address (entry, &domain, &bus, &slot, &function))
        {
          g_set_error (error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_PARSE,
                       "%s: not a PCI address", path);
          return FALSE;
        }
      if (!check_entry_stays_inside (sysroot, root_real, path, error))
        return FALSE;

      /* libpci turns garbage into 0 and cuts wide values without a word; a wrong id would
       * bind the wrong device. */
      if (!pt_sysroot_read_hex (sysroot, vendor, &vendor_id, error)
          || !pt_sysroot_read_hex (sysroot, device, &device_id, error)
          || !pt_sysroot_read_hex (sysroot, class, &class_id, error))
        return FALSE;
      if (vendor_id > 0xffff || device_id > 0xffff || class_id > 0xffffff)
        {
          g_set_error (error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_PARSE,
                       "%s: ids out of range (%" G_GINT64_MODIFIER "x:%" G_GINT64_MODIFIER "x, "
                       "class %" G_GINT64_MODIFIER "x)", path, vendor_id, device_id, class_id);
          return FALSE;
        }
    }

  return TRUE;
}

static char *
read_optional_line (PtSysroot  *sysroot,
                    const char *dir,
                    const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *line = pt_sysroot_read_line (sysroot, path, NULL);

  if (line == NULL || *line == '\0')
    return NULL;
  return g_steal_pointer (&line);
}

/* What libpci 3.9 does not give, or gives only by following links outside the tree. */
static gboolean
fill_from_sysfs (PtSysroot    *sysroot,
                 PtPciDevice  *device,
                 GError      **error)
{
  g_autofree char *dir = g_strconcat ("/sys/bus/pci/devices/", device->address, NULL);
  g_autofree char *driver_link = g_strconcat (dir, "/driver", NULL);
  g_autofree char *group_link = g_strconcat (dir, "/iommu_group", NULL);
  g_autofree char *boot_vga_path = g_strconcat (dir, "/boot_vga", NULL);
  g_autofree char *numa_path = g_strconcat (dir, "/numa_node", NULL);
  g_autofree char *group = NULL;
  g_autofree char *canonical = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 value;

  device->driver = pt_sysroot_read_link_name (sysroot, driver_link, NULL);

  group = pt_sysroot_read_link_name (sysroot, group_link, NULL);
  if (group != NULL)
    {
      if (!pt_parse_int64 (group, &value, &local_error) || value < 0 || value > G_MAXINT)
        {
          g_set_error (error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_PARSE,
                       "%s: “%s” is not an IOMMU group number", group_link, group);
          return FALSE;
        }
      device->iommu_group = (int) value;
    }

  if (pt_sysroot_read_int64 (sysroot, boot_vga_path, &value, &local_error))
    device->boot_vga = value != 0;
  else if (!g_error_matches (local_error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  g_clear_error (&local_error);

  if (pt_sysroot_read_int64 (sysroot, numa_path, &value, &local_error))
    device->numa_node = value >= 0 && value <= G_MAXINT ? (int) value : -1;
  else if (!g_error_matches (local_error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  g_clear_error (&local_error);

  device->reset_method = read_optional_line (sysroot, dir, "reset_method");
  device->modalias = read_optional_line (sysroot, dir, "modalias");

  /* The upstream bridge is the parent directory in /sys/devices, when that is a function. */
  canonical = pt_sysroot_resolve (sysroot, dir, NULL);
  if (canonical != NULL)
    {
      g_autofree char *parent_dir = g_path_get_dirname (canonical);
      g_autofree char *parent_name = g_path_get_basename (parent_dir);
      guint domain, bus, slot, function;

      if (strchr (parent_name, ':') != strrchr (parent_name, ':')
          && parse_address (parent_name, &domain, &bus, &slot, &function))
        device->parent = pt_pci_normalize_address (parent_name);
    }

  return TRUE;
}

GPtrArray *
pt_pci_read (PtSysroot  *sysroot,
             GError    **error)
{
  g_autoptr(GPtrArray) devices = NULL;
  g_autofree char *sysfs_path = NULL;
  PciScan scan = { 0 };
  gboolean ok;

  g_return_val_if_fail (sysroot != NULL, NULL);

  devices = g_ptr_array_new_with_free_func ((GDestroyNotify) pt_pci_device_free);
  if (!pt_sysroot_exists (sysroot, "/sys/bus/pci"))
    return g_steal_pointer (&devices);
  if (!pt_sysroot_is_dir (sysroot, "/sys/bus/pci/devices"))
    {
      g_set_error (error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_NOT_FOUND,
                   "%s has no devices folder", "/sys/bus/pci");
      return NULL;
    }
  if (!check_sysfs_tree (sysroot, error))
    return NULL;

  sysfs_path = pt_sysroot_host_path (sysroot, "/sys/bus/pci");

  g_mutex_lock (&pci_mutex);

  scan.sysroot = sysroot;
  scan.sysfs_path = sysfs_path;
  scan.devices = devices;
  scan.pacc = pci_alloc ();
  scan.pacc->method = PCI_ACCESS_SYS_BUS_PCI;
  scan.pacc->error = pci_error_cb;
  scan.pacc->warning = pci_warning_cb;
  scan.pacc->debug = pci_debug_cb;

  ok = run_guarded (init_step, &scan, error)
       && run_guarded (scan_step, &scan, error)
       && run_guarded (fill_step, &scan, error);

  pci_cleanup (scan.pacc);
  g_mutex_unlock (&pci_mutex);

  if (!ok)
    return NULL;

  for (guint i = 0; i < devices->len; i++)
    if (!fill_from_sysfs (sysroot, g_ptr_array_index (devices, i), error))
      return NULL;

  g_ptr_array_sort (devices, pt_pci_device_compare);
  return g_steal_pointer (&devices);
}
