/* pt-guest-devices.c: sorts the host's disks, USB devices and USB controllers into those a guest
 * may have and those the host cannot do without, and lists libvirt's storage pools. */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <string.h>

#include "pt-device-usage.h"
#include "pt-guest-devices.h"
#include "pt-libvirt-private.h"

void
pt_disk_offer_free (PtDiskOffer *self)
{
  if (self == NULL)
    return;

  g_free (self->reason);
  g_strfreev (self->mount_points);
  g_free (self);
}

void
pt_usb_controller_offer_free (PtUsbControllerOffer *self)
{
  if (self == NULL)
    return;

  g_free (self->reason);
  g_clear_pointer (&self->devices, g_ptr_array_unref);
  g_clear_pointer (&self->keyboards, g_ptr_array_unref);
  g_free (self);
}

void
pt_storage_pool_free (PtStoragePool *self)
{
  if (self == NULL)
    return;

  g_free (self->name);
  g_free (self);
}

/* mountinfo writes spaces, tabs, newlines and backslashes as \ooo. */
static char *
unescape_octal (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (p[0] == '\\' && g_ascii_isdigit (p[1]) && g_ascii_isdigit (p[2])
          && g_ascii_isdigit (p[3]))
        {
          g_string_append_c (out, (char) ((p[1] - '0') * 64 + (p[2] - '0') * 8 + (p[3] - '0')));
          p += 3;
        }
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

/* The block devices under @name: itself, and what a device-mapper or RAID device is made of. */
static void
add_block_and_slaves (PtSysroot  *sysroot,
                      const char *name,
                      GPtrArray  *names,
                      guint       depth)
{
  g_autofree char *slaves_dir = NULL;
  g_autoptr(GPtrArray) slaves = NULL;

  g_ptr_array_add (names, g_strdup (name));

  /* Stacks of dm on md on dm are a few levels deep; a loop in a broken tree is not followed. */
  if (depth > 8)
    return;

  slaves_dir = g_strdup_printf ("/sys/class/block/%s/slaves", name);
  slaves = pt_sysroot_list_dir (sysroot, slaves_dir, NULL);
  for (guint i = 0; slaves != NULL && i < slaves->len; i++)
    add_block_and_slaves (sysroot, g_ptr_array_index (slaves, i), names, depth + 1);
}

/* The block device behind one mountinfo line: by its device number, else by its source
 * (btrfs reports device 0:N). NULL for file systems without one. */
static char *
mount_block_name (PtSysroot  *sysroot,
                  const char *major_minor,
                  const char *source)
{
  g_autofree char *resolved = NULL;

  if (!g_str_has_prefix (major_minor, "0:"))
    {
      g_autofree char *link = g_strdup_printf ("/sys/dev/block/%s", major_minor);

      resolved = pt_sysroot_resolve (sysroot, link, NULL);
    }
  if (resolved == NULL && g_str_has_prefix (source, "/dev/"))
    resolved = pt_sysroot_resolve (sysroot, source, NULL);
  if (resolved == NULL)
    return NULL;
  return g_path_get_basename (resolved);
}

/* Block device name → mount points (GPtrArray of char*), for everything mounted. */
static GHashTable *
read_mounts (PtSysroot *sysroot)
{
  GHashTable *mounts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                              (GDestroyNotify) g_ptr_array_unref);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (!pt_sysroot_read_file (sysroot, "/proc/self/mountinfo", &contents, NULL, NULL))
    return mounts;

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) halves = g_strsplit (lines[i], " - ", 2);
      g_auto(GStrv) fields = NULL;
      g_auto(GStrv) tail = NULL;
      g_autofree char *name = NULL;
      g_autofree char *mount_point = NULL;
      g_autoptr(GPtrArray) names = NULL;

      if (g_strv_length (halves) != 2)
        continue;
      fields = g_strsplit (halves[0], " ", -1);
      tail = g_strsplit (halves[1], " ", -1);
      if (g_strv_length (fields) < 5 || g_strv_length (tail) < 2)
        continue;

      name = mount_block_name (sysroot, fields[2], tail[1]);
      if (name == NULL)
        continue;

      mount_point = unescape_octal (fields[4]);
      names = g_ptr_array_new_with_free_func (g_free);
      add_block_and_slaves (sysroot, name, names, 0);
      for (guint n = 0; n < names->len; n++)
        {
          const char *block = g_ptr_array_index (names, n);
          GPtrArray *points = g_hash_table_lookup (mounts, block);

          if (points == NULL)
            {
              points = g_ptr_array_new_with_free_func (g_free);
              g_hash_table_insert (mounts, g_strdup (block), points);
            }
          g_ptr_array_add (points, g_strdup (mount_point));
        }
    }
  return mounts;
}

static int
compare_strings_cb (gconstpointer a,
                    gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static char **
disk_mount_points (const PtDisk *disk,
                   GHashTable   *mounts)
{
  g_autoptr(GPtrArray) points = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) blocks = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (blocks, g_path_get_basename (disk->device));
  for (guint i = 0; disk->partitions != NULL && disk->partitions[i] != NULL; i++)
    g_ptr_array_add (blocks, g_strdup (disk->partitions[i]));

  for (guint i = 0; i < blocks->len; i++)
    {
      GPtrArray *found = g_hash_table_lookup (mounts, g_ptr_array_index (blocks, i));

      for (guint j = 0; found != NULL && j < found->len; j++)
        {
          const char *point = g_ptr_array_index (found, j);
          gboolean seen = FALSE;

          for (guint k = 0; k < points->len && !seen; k++)
            seen = g_str_equal (g_ptr_array_index (points, k), point);
          if (!seen)
            g_ptr_array_add (points, g_strdup (point));
        }
    }

  g_ptr_array_sort (points, compare_strings_cb);
  g_ptr_array_add (points, NULL);
  return (char **) g_ptr_array_steal (points, NULL);
}

/* "a, b and c"; @names (borrowed strings, at least one) is changed on the way. */
static char *
join_names (GPtrArray *names)
{
  g_autofree char *last = NULL;
  g_autofree char *rest = NULL;

  if (names->len == 1)
    return g_strdup (g_ptr_array_index (names, 0));

  last = g_strdup (g_ptr_array_index (names, names->len - 1));
  g_ptr_array_set_size (names, names->len - 1);
  g_ptr_array_add (names, NULL);
  rest = g_strjoinv (", ", (char **) names->pdata);
  /* TRANSLATORS: the end of a list: "the system (/), the boot files and swap" */
  return g_strdup_printf (_("%s and %s"), rest, last);
}

/* "its root file system, /boot and swap": what of the host's system lives on @disk. */
static char *
host_uses (const PtDisk *disk)
{
  g_autoptr(GPtrArray) uses = g_ptr_array_new ();

  if (disk->root)
    g_ptr_array_add (uses, (gpointer) _("the system (/)"));
  if (disk->boot)
    g_ptr_array_add (uses, (gpointer) _("the boot files"));
  if (disk->swap)
    g_ptr_array_add (uses, (gpointer) _("swap"));
  return join_names (uses);
}

GPtrArray *
pt_guest_disk_offers (PtHostScan *scan)
{
  GPtrArray *disks;
  GPtrArray *offers;
  g_autoptr(GHashTable) mounts = NULL;

  g_return_val_if_fail (PT_IS_HOST_SCAN (scan), NULL);

  disks = pt_host_scan_get_disks (scan);
  offers = g_ptr_array_new_with_free_func ((GDestroyNotify) pt_disk_offer_free);
  mounts = read_mounts (pt_host_scan_get_sysroot (scan));

  for (guint i = 0; i < disks->len; i++)
    {
      const PtDisk *disk = g_ptr_array_index (disks, i);
      PtDiskOffer *offer = g_new0 (PtDiskOffer, 1);

      offer->disk = disk;
      offer->mount_points = disk_mount_points (disk, mounts);
      offer->offered = !pt_disk_is_host_disk (disk);

      if (!offer->offered)
        {
          g_autofree char *uses = host_uses (disk);

          offer->reason = g_strdup_printf (_("Holds %s of this computer, so it stays here."),
                                           uses);
        }
      else if (offer->mount_points[0] != NULL)
        {
          g_autofree char *points = g_strjoinv (", ", offer->mount_points);

          /* Two systems writing one file system destroy it: this must be undone first. */
          offer->reason = g_strdup_printf (_("Mounted at %s on this computer. Unmount it and "
                                             "remove it from /etc/fstab before the virtual "
                                             "machine starts."),
                                           points);
        }

      g_ptr_array_add (offers, offer);
    }
  return offers;
}

GPtrArray *
pt_guest_usb_devices (PtHostScan *scan)
{
  GPtrArray *usb;
  GPtrArray *devices;

  g_return_val_if_fail (PT_IS_HOST_SCAN (scan), NULL);

  usb = pt_host_scan_get_usb (scan);
  devices = g_ptr_array_new ();
  for (guint i = 0; i < usb->len; i++)
    {
      const PtUsbDevice *device = g_ptr_array_index (usb, i);

      /* A hub, root hubs too, is plumbing: what is plugged into it can go on its own. */
      if (!pt_usb_device_is_hub (device))
        g_ptr_array_add (devices, (gpointer) device);
    }
  return devices;
}

/* The guest GPU's card: every function in its slot goes to the guest with it. */
static gboolean
same_card (const PtPciDevice *device,
           const PtPciDevice *gpu)
{
  return gpu != NULL && device->domain == gpu->domain && device->bus == gpu->bus
         && device->slot == gpu->slot;
}

static const char *
short_name (const PtPciDevice *device)
{
  if (device->device_name != NULL && device->device_name[0] != '\0')
    return device->device_name;
  if (device->class_name != NULL && device->class_name[0] != '\0')
    return device->class_name;
  return device->address;
}

/* Why a controller cannot go, or NULL when it can. */
static char *
refusal (PtHostScan           *scan,
         PtDeviceUsage        *usage,
         PtUsbControllerOffer *offer,
         const PtPciDevice    *gpu)
{
  const PtPciDevice *controller = offer->controller;
  const PtIommuGroup *group;
  GPtrArray *pci = pt_host_scan_get_pci (scan);
  GPtrArray *disks = pt_device_usage_get_disks (usage, controller->address);
  GPtrArray *host_keyboards = pt_device_usage_get_all_keyboards (usage);
  g_autoptr(GPtrArray) others = g_ptr_array_new ();

  if (controller->iommu_group < 0 || !pt_host_scan_get_iommu (scan)->enabled)
    return g_strdup (_("The IOMMU is off, so no controller can be given to a virtual machine."));

  group = pt_iommu_find_group (pt_host_scan_get_iommu (scan), controller->iommu_group);
  for (guint i = 0; group != NULL && i < group->devices->len; i++)
    {
      const PtPciDevice *member = pt_pci_find (pci, g_ptr_array_index (group->devices, i));

      if (member == NULL || member == controller || pt_pci_device_is_bridge (member)
          || same_card (member, gpu))
        continue;
      g_ptr_array_add (others, (gpointer) short_name (member));
    }
  if (others->len > 0)
    {
      g_autofree char *names = join_names (others);

      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Shares IOMMU group %d with %s, which would have to "
                                           "go too.",
                                           "Shares IOMMU group %d with %s, which would all have "
                                           "to go too.",
                                           others->len),
                              controller->iommu_group, names);
    }

  for (guint i = 0; disks != NULL && i < disks->len; i++)
    if (pt_disk_is_host_disk (g_ptr_array_index (disks, i)))
      return g_strdup (_("This computer’s system disk is plugged in here."));

  if (offer->keyboards->len > 0 && offer->keyboards->len == host_keyboards->len)
    return g_strdup (_("Every keyboard of this computer is plugged in here; it would be left "
                       "without one. Plug a keyboard into another port first."));

  return NULL;
}

/* A new array of the borrowed pointers in @borrowed, which may be NULL. */
static GPtrArray *
copy_or_empty (GPtrArray *borrowed)
{
  return borrowed != NULL ? g_ptr_array_copy (borrowed, NULL, NULL) : g_ptr_array_new ();
}

GPtrArray *
pt_guest_usb_controller_offers (PtHostScan *scan,
                                PtSetup    *setup)
{
  g_autoptr(PtDeviceUsage) usage = NULL;
  GPtrArray *pci;
  const PtPciDevice *gpu = NULL;
  GPtrArray *offers;

  g_return_val_if_fail (PT_IS_HOST_SCAN (scan), NULL);
  g_return_val_if_fail (setup == NULL || PT_IS_SETUP (setup), NULL);

  pci = pt_host_scan_get_pci (scan);
  if (setup != NULL && pt_setup_get_gpu (setup) != NULL)
    gpu = pt_pci_find (pci, pt_setup_get_gpu (setup));
  /* A keyboard off no USB controller (PS/2, a laptop's) is in no offer: it always stays with
   * the host, and so counts among the keyboards the host has left. */
  usage = pt_device_usage_new (scan);

  offers = g_ptr_array_new_with_free_func ((GDestroyNotify) pt_usb_controller_offer_free);
  for (guint i = 0; i < pci->len; i++)
    {
      const PtPciDevice *device = g_ptr_array_index (pci, i);
      PtUsbControllerOffer *offer;

      if (device->class_id != PT_PCI_CLASS_SERIAL_USB)
        continue;

      offer = g_new0 (PtUsbControllerOffer, 1);
      offer->controller = device;
      offer->devices = copy_or_empty (pt_device_usage_get_usb (usage, device->address));
      offer->keyboards = copy_or_empty (pt_device_usage_get_keyboards (usage, device->address));
      offer->with_gpu = same_card (device, gpu);

      if (offer->with_gpu)
        offer->reason = g_strdup (_("Part of the graphics card for the virtual machine; it goes "
                                    "along with the card."));
      else
        offer->reason = refusal (scan, usage, offer, gpu);
      offer->offered = offer->reason == NULL;

      if (offer->offered && offer->keyboards->len > 0)
        {
          g_autoptr(GPtrArray) names = g_ptr_array_new ();
          g_autofree char *joined = NULL;

          for (guint j = 0; j < offer->keyboards->len; j++)
            {
              const PtInputDevice *keyboard = g_ptr_array_index (offer->keyboards, j);

              g_ptr_array_add (names, keyboard->name);
            }
          joined = join_names (names);
          offer->reason = g_strdup_printf (_("%s is plugged in here and goes to the virtual "
                                             "machine with it."),
                                           joined);
        }

      g_ptr_array_add (offers, offer);
    }
  return offers;
}

static int
compare_pools_cb (gconstpointer a,
                  gconstpointer b)
{
  const PtStoragePool *x = *(const PtStoragePool * const *) a;
  const PtStoragePool *y = *(const PtStoragePool * const *) b;

  return strcmp (x->name, y->name);
}

GPtrArray *
pt_guest_list_pools_sync (const char    *uri,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_autoptr(virConnect) conn = NULL;
  g_autoptr(GPtrArray) result = NULL;
  virStoragePoolPtr *pools = NULL;
  int n_pools;

  g_return_val_if_fail (uri != NULL, NULL);

  conn = pt_libvirt_open_connection (uri, TRUE, cancellable, error);
  if (conn == NULL)
    return NULL;

  n_pools = virConnectListAllStoragePools (conn, &pools, VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE);
  if (n_pools < 0)
    {
      g_autofree char *sentence = g_strdup_printf (_("libvirt at “%s” did not list its "
                                                     "storage pools."), uri);

      pt_libvirt_set_error (error, sentence);
      return NULL;
    }

  result = g_ptr_array_new_with_free_func ((GDestroyNotify) pt_storage_pool_free);
  for (int i = 0; i < n_pools; i++)
    {
      PtStoragePool *pool = g_new0 (PtStoragePool, 1);
      virStoragePoolInfo info;

      pool->name = g_strdup (virStoragePoolGetName (pools[i]));
      if (virStoragePoolGetInfo (pools[i], &info) == 0)
        {
          pool->capacity_bytes = info.capacity;
          pool->available_bytes = info.available;
        }
      else
        virResetLastError ();
      g_ptr_array_add (result, pool);
      virStoragePoolFree (pools[i]);
    }
  free (pools);

  g_ptr_array_sort (result, compare_pools_cb);
  return g_steal_pointer (&result);
}

static gpointer
list_pools_call (const char    *uri,
                 const char    *argument,
                 GCancellable  *cancellable,
                 GError       **error)
{
  return pt_guest_list_pools_sync (uri, cancellable, error);
}

void
pt_guest_list_pools_async (const char          *uri,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (uri != NULL);
  pt_libvirt_call_async (list_pools_call, (GDestroyNotify) g_ptr_array_unref, uri, NULL,
                         pt_guest_list_pools_async, cancellable, callback, user_data);
}

GPtrArray *
pt_guest_list_pools_finish (GAsyncResult  *result,
                            GError       **error)
{
  return pt_libvirt_call_finish (result, pt_guest_list_pools_async, error);
}
