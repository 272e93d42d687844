/* pt-storage.c: whole disks by their stable by-id links, and which of them hold the host. */
#include "config.h"

#include "pt-storage.h"

#include <string.h>

#include "pt-pci.h"

#define BY_ID_DIR "/dev/disk/by-id"
/* dm on md on dm... real stacks are three or four deep; this only stops loops in a bad tree. */
#define MAX_STACK_DEPTH 16

typedef enum {
  HOST_USE_ROOT = 1 << 0,
  HOST_USE_BOOT = 1 << 1,
  HOST_USE_SWAP = 1 << 2,
} HostUse;

void
pt_disk_free (PtDisk *self)
{
  if (self == NULL)
    return;
  g_free (self->path);
  g_free (self->device);
  g_free (self->model);
  g_free (self->pci_address);
  g_strfreev (self->partitions);
  g_free (self);
}

gboolean
pt_disk_is_host_disk (const PtDisk *self)
{
  return self->root || self->boot || self->swap;
}

/* Lower is better; ties go to the name that sorts first. */
static int
link_rank (const char *name)
{
  static const char * const preferred[] = { "ata-", "scsi-", "usb-", "mmc-", "virtio-" };

  if (g_str_has_prefix (name, "nvme-"))
    {
      /* nvme-eui.* and nvme-nvme.* are ids without the model in them. */
      if (g_str_has_prefix (name, "nvme-eui.") || g_str_has_prefix (name, "nvme-nvme."))
        return 100;
      return 0;
    }
  for (guint i = 0; i < G_N_ELEMENTS (preferred); i++)
    if (g_str_has_prefix (name, preferred[i]))
      return 1 + (int) i;
  if (g_str_has_prefix (name, "wwn-"))
    return 100;
  return 50;
}

/* udev names partition links "<disk link>-partN". */
static gboolean
is_partition_link (const char *name)
{
  const char *part = g_strrstr (name, "-part");
  const char *p;

  if (part == NULL)
    return FALSE;
  p = part + strlen ("-part");
  if (*p == '\0')
    return FALSE;
  for (; *p; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

static gboolean
is_block_name (const char *name)
{
  return name != NULL && *name != '\0' && !g_str_equal (name, ".") && !g_str_equal (name, "..")
         && strchr (name, '/') == NULL;
}

static char *
block_path (const char *name,
            const char *child)
{
  if (child == NULL)
    return g_strconcat ("/sys/class/block/", name, NULL);
  return g_strconcat ("/sys/class/block/", name, "/", child, NULL);
}

static gboolean
block_has (PtSysroot  *sysroot,
           const char *name,
           const char *child)
{
  g_autofree char *path = block_path (name, child);

  return pt_sysroot_exists (sysroot, path);
}

/* The last PCI function on the device's path in /sys/devices: the controller it hangs off
 * (the NVMe controller, the SATA/SAS HBA, the USB host controller of a USB disk). */
static char *
controller_address (PtSysroot  *sysroot,
                    const char *sys_path)
{
  g_autofree char *canonical = pt_sysroot_resolve (sysroot, sys_path, NULL);

  return pt_pci_address_from_sysfs_path (canonical);
}

/*
 * With native NVMe multipath (Fedora's default) the disk hangs off a virtual nvme-subsysN
 * device; its controllers ("nvme0" links inside it) are what sits on PCI. The first one is
 * taken: a disk reachable through several controllers is a server setup this app does not
 * pass through anyway.
 */
static char *
nvme_subsystem_controller (PtSysroot  *sysroot,
                           const char *name)
{
  g_autofree char *subsystem = block_path (name, "device");
  g_autoptr(GPtrArray) entries = pt_sysroot_list_dir (sysroot, subsystem, NULL);

  for (guint i = 0; entries != NULL && i < entries->len; i++)
    {
      const char *entry = g_ptr_array_index (entries, i);
      g_autofree char *controller = NULL;
      char *address;

      if (!g_str_has_prefix (entry, "nvme") || !g_ascii_isdigit (entry[4]))
        continue;
      controller = g_strconcat (subsystem, "/", entry, NULL);
      address = controller_address (sysroot, controller);
      if (address != NULL)
        return address;
    }
  return NULL;
}

/* Undoes the octal escapes (\040 for a space) of /proc/self/mountinfo and /proc/swaps. */
static char *
unescape_octal (const char *text)
{
  GString *out = g_string_sized_new (strlen (text));

  for (const char *p = text; *p; p++)
    {
      if (p[0] == '\\' && p[1] >= '0' && p[1] <= '3' && p[2] >= '0' && p[2] <= '7'
          && p[3] >= '0' && p[3] <= '7')
        {
          g_string_append_c (out, (char) ((p[1] - '0') * 64 + (p[2] - '0') * 8 + (p[3] - '0')));
          p += 3;
        }
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

/* "/dev/mapper/vg-root" when the tree has no /dev/mapper: the dm device with that name. */
static char *
find_dm_by_name (PtSysroot  *sysroot,
                 const char *dm_name)
{
  g_autoptr(GPtrArray) blocks = pt_sysroot_list_dir (sysroot, "/sys/class/block", NULL);

  if (blocks == NULL)
    return NULL;
  for (guint i = 0; i < blocks->len; i++)
    {
      const char *name = g_ptr_array_index (blocks, i);
      g_autofree char *path = block_path (name, "dm/name");
      g_autofree char *line = pt_sysroot_read_line (sysroot, path, NULL);

      if (line != NULL && g_str_equal (line, dm_name))
        return g_strdup (name);
    }
  return NULL;
}

/* The block device name ("nvme0n1p2", "dm-0") of a /dev path, looked up inside the tree. */
static char *
block_name_from_dev_path (PtSysroot  *sysroot,
                          const char *dev_path)
{
  g_autofree char *resolved = NULL;
  g_autofree char *base = NULL;

  if (!g_str_has_prefix (dev_path, "/dev/"))
    return NULL;

  resolved = pt_sysroot_resolve (sysroot, dev_path, NULL);
  base = g_path_get_basename (resolved ? resolved : dev_path);
  if (is_block_name (base) && block_has (sysroot, base, NULL))
    return g_steal_pointer (&base);

  if (g_str_has_prefix (dev_path, "/dev/mapper/"))
    return find_dm_by_name (sysroot, dev_path + strlen ("/dev/mapper/"));
  return NULL;
}

/* The block device behind a mount: by major:minor, else (major 0 for btrfs, zfs...) by the
 * mount source. */
static char *
block_name_from_mount (PtSysroot  *sysroot,
                       const char *dev_numbers,
                       const char *source)
{
  if (dev_numbers != NULL && !g_str_has_prefix (dev_numbers, "0:"))
    {
      g_autofree char *link = g_strconcat ("/sys/dev/block/", dev_numbers, NULL);
      g_autofree char *resolved = pt_sysroot_resolve (sysroot, link, NULL);

      if (resolved != NULL)
        {
          g_autofree char *base = g_path_get_basename (resolved);

          if (is_block_name (base) && block_has (sysroot, base, NULL))
            return g_steal_pointer (&base);
        }
    }
  if (source != NULL)
    return block_name_from_dev_path (sysroot, source);
  return NULL;
}

/* Adds to @disks (name → HostUse) the physical disks under @name: down through the slaves of
 * dm and md devices, and from a partition up to its disk. */
static void
mark_disks_below (PtSysroot  *sysroot,
                  const char *name,
                  HostUse     use,
                  GHashTable *disks,
                  guint       depth)
{
  g_autofree char *slaves_dir = NULL;
  g_autoptr(GPtrArray) slaves = NULL;

  if (depth > MAX_STACK_DEPTH || !is_block_name (name))
    return;

  slaves_dir = block_path (name, "slaves");
  slaves = pt_sysroot_list_dir (sysroot, slaves_dir, NULL);
  if (slaves != NULL && slaves->len > 0)
    {
      for (guint i = 0; i < slaves->len; i++)
        mark_disks_below (sysroot, g_ptr_array_index (slaves, i), use, disks, depth + 1);
      return;
    }

  if (block_has (sysroot, name, "partition"))
    {
      g_autofree char *path = block_path (name, NULL);
      g_autofree char *resolved = pt_sysroot_resolve (sysroot, path, NULL);
      g_autofree char *parent_dir = NULL;
      g_autofree char *parent = NULL;

      if (resolved == NULL)
        return;
      parent_dir = g_path_get_dirname (resolved);
      parent = g_path_get_basename (parent_dir);
      if (is_block_name (parent) && block_has (sysroot, parent, NULL))
        mark_disks_below (sysroot, parent, use, disks, depth + 1);
      return;
    }

  use |= GPOINTER_TO_UINT (g_hash_table_lookup (disks, name));
  g_hash_table_insert (disks, g_strdup (name), GUINT_TO_POINTER (use));
}

static HostUse
use_of_mount_point (const char *mount_point)
{
  if (g_str_equal (mount_point, "/"))
    return HOST_USE_ROOT;
  if (g_str_equal (mount_point, "/boot") || g_str_equal (mount_point, "/boot/efi")
      || g_str_equal (mount_point, "/efi"))
    return HOST_USE_BOOT;
  return 0;
}

typedef struct {
  char *dev_numbers;  /* "259:2", NULL from /proc/mounts */
  char *source;
} MountSource;

static void
mount_source_free (MountSource *mount)
{
  g_free (mount->dev_numbers);
  g_free (mount->source);
  g_free (mount);
}

/*
 * Mount point → its source, for the mount points that matter. The last line for a mount
 * point wins: it is the mount on top. Without mountinfo (very old kernels, trimmed trees),
 * /proc/mounts still names the source device.
 */
static GHashTable *
read_mounts (PtSysroot *sysroot)
{
  g_autoptr(GHashTable) mounts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                        (GDestroyNotify) mount_source_free);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  gboolean is_mountinfo = TRUE;

  if (!pt_sysroot_read_file (sysroot, "/proc/self/mountinfo", &contents, NULL, NULL))
    {
      is_mountinfo = FALSE;
      if (!pt_sysroot_read_file (sysroot, "/proc/mounts", &contents, NULL, NULL))
        return g_steal_pointer (&mounts);
    }

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], " ", -1);
      guint n_fields = g_strv_length (fields);
      g_autofree char *mount_point = NULL;
      MountSource *mount;

      if (is_mountinfo)
        {
          guint separator = 6;

          /* id parent maj:min root mount-point options [optional...] - type source ... */
          while (separator < n_fields && !g_str_equal (fields[separator], "-"))
            separator++;
          if (n_fields < 7 || separator + 2 >= n_fields)
            continue;
          mount_point = unescape_octal (fields[4]);
          if (use_of_mount_point (mount_point) == 0)
            continue;
          mount = g_new0 (MountSource, 1);
          mount->dev_numbers = g_strdup (fields[2]);
          mount->source = unescape_octal (fields[separator + 2]);
        }
      else
        {
          if (n_fields < 2)
            continue;
          mount_point = unescape_octal (fields[1]);
          if (use_of_mount_point (mount_point) == 0)
            continue;
          mount = g_new0 (MountSource, 1);
          mount->source = unescape_octal (fields[0]);
        }
      g_hash_table_replace (mounts, g_steal_pointer (&mount_point), mount);
    }
  return g_steal_pointer (&mounts);
}

/* Partitions and devices with active swap; swap files live on a mount already counted. */
static void
mark_swap_disks (PtSysroot  *sysroot,
                 GHashTable *disks)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (!pt_sysroot_read_file (sysroot, "/proc/swaps", &contents, NULL, NULL))
    return;

  lines = g_strsplit (contents, "\n", -1);
  /* The first line is the header. */
  for (guint i = 1; lines[0] != NULL && lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit_set (lines[i], " \t", -1);
      const char *filename = NULL;
      const char *type = NULL;
      g_autofree char *unescaped = NULL;
      g_autofree char *name = NULL;

      for (guint f = 0; fields[f] != NULL; f++)
        {
          if (*fields[f] == '\0')
            continue;
          if (filename == NULL)
            filename = fields[f];
          else
            {
              type = fields[f];
              break;
            }
        }
      if (type == NULL || !g_str_equal (type, "partition"))
        continue;

      unescaped = unescape_octal (filename);
      name = block_name_from_dev_path (sysroot, unescaped);
      if (name != NULL)
        mark_disks_below (sysroot, name, HOST_USE_SWAP, disks, 0);
    }
}

static GHashTable *
find_host_disks (PtSysroot *sysroot)
{
  g_autoptr(GHashTable) disks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) mounts = read_mounts (sysroot);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, mounts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const MountSource *mount = value;
      g_autofree char *name = block_name_from_mount (sysroot, mount->dev_numbers, mount->source);

      if (name != NULL)
        mark_disks_below (sysroot, name, use_of_mount_point (key), disks, 0);
    }

  mark_swap_disks (sysroot, disks);
  return g_steal_pointer (&disks);
}

static char *
read_model (PtSysroot  *sysroot,
            const char *name)
{
  /* SCSI/ATA and the NVMe controller write "model"; MMC cards only "name". */
  static const char * const files[] = { "device/model", "device/name" };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = block_path (name, files[i]);
      g_autofree char *line = pt_sysroot_read_line (sysroot, path, NULL);

      if (line != NULL && *line != '\0')
        return g_steal_pointer (&line);
    }
  return g_strdup ("");
}

static char **
read_partitions (PtSysroot  *sysroot,
                 const char *name)
{
  g_autofree char *dir = block_path (name, NULL);
  g_autoptr(GPtrArray) entries = pt_sysroot_list_dir (sysroot, dir, NULL);
  g_autoptr(GPtrArray) partitions = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; entries != NULL && i < entries->len; i++)
    {
      const char *entry = g_ptr_array_index (entries, i);
      g_autofree char *partition = g_strconcat (dir, "/", entry, "/partition", NULL);

      if (pt_sysroot_exists (sysroot, partition))
        g_ptr_array_add (partitions, g_strdup (entry));
    }
  g_ptr_array_add (partitions, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&partitions), FALSE);
}

static PtDisk *
read_disk (PtSysroot   *sysroot,
           const char  *name,
           const char  *link,
           guint        host_use,
           GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *size_path = block_path (name, "size");
  g_autofree char *sys_path = block_path (name, NULL);
  PtDisk *disk;
  gint64 sectors = 0;

  /* The kernel counts 512-byte sectors here whatever the disk's own sector size. */
  if (!pt_sysroot_read_int64 (sysroot, size_path, &sectors, &local_error))
    {
      if (!g_error_matches (local_error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      sectors = 0;
    }
  if (sectors < 0 || (guint64) sectors > G_MAXUINT64 / 512)
    {
      g_set_error (error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_PARSE,
                   "%s: %" G_GINT64_FORMAT " is not a disk size", size_path, sectors);
      return NULL;
    }

  disk = g_new0 (PtDisk, 1);
  disk->path = g_strconcat (BY_ID_DIR "/", link, NULL);
  disk->device = g_strconcat ("/dev/", name, NULL);
  disk->model = read_model (sysroot, name);
  disk->pci_address = controller_address (sysroot, sys_path);
  if (disk->pci_address == NULL)
    disk->pci_address = nvme_subsystem_controller (sysroot, name);
  disk->size_bytes = (guint64) sectors * 512;
  disk->partitions = read_partitions (sysroot, name);
  disk->root = (host_use & HOST_USE_ROOT) != 0;
  disk->boot = (host_use & HOST_USE_BOOT) != 0;
  disk->swap = (host_use & HOST_USE_SWAP) != 0;
  return disk;
}

static int
compare_disks_cb (gconstpointer a,
                  gconstpointer b)
{
  const PtDisk *x = *(const PtDisk * const *) a;
  const PtDisk *y = *(const PtDisk * const *) b;

  return strcmp (x->path, y->path);
}

GPtrArray *
pt_storage_read (PtSysroot  *sysroot,
                 GError    **error)
{
  g_autoptr(GPtrArray) disks = g_ptr_array_new_with_free_func ((GDestroyNotify) pt_disk_free);
  g_autoptr(GHashTable) best_links = NULL;
  g_autoptr(GHashTable) host_disks = NULL;
  g_autoptr(GPtrArray) links = NULL;
  g_autoptr(GError) local_error = NULL;
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (sysroot != NULL, NULL);

  /* Disk name → its preferred link. */
  best_links = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  links = pt_sysroot_list_dir (sysroot, BY_ID_DIR, &local_error);
  if (links == NULL)
    {
      if (g_error_matches (local_error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_NOT_FOUND))
        return g_steal_pointer (&disks);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  for (guint i = 0; i < links->len; i++)
    {
      const char *link = g_ptr_array_index (links, i);
      g_autofree char *path = g_strconcat (BY_ID_DIR "/", link, NULL);
      g_autofree char *name = NULL;
      const char *best;

      if (is_partition_link (link))
        continue;
      /* Only the last component of the target counts: by-id links point at /dev/<name>,
       * and a target that wanders elsewhere still names at most a block device. */
      name = pt_sysroot_read_link_name (sysroot, path, NULL);
      if (!is_block_name (name) || !block_has (sysroot, name, NULL))
        continue;
      /* Partitions, and dm/md/loop/zram devices: those have no hardware "device" of their
       * own and are built on the disks listed here. */
      if (block_has (sysroot, name, "partition") || !block_has (sysroot, name, "device"))
        continue;

      best = g_hash_table_lookup (best_links, name);
      if (best == NULL || link_rank (link) < link_rank (best)
          || (link_rank (link) == link_rank (best) && strcmp (link, best) < 0))
        g_hash_table_replace (best_links, g_steal_pointer (&name), g_strdup (link));
    }

  host_disks = find_host_disks (sysroot);

  g_hash_table_iter_init (&iter, best_links);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint host_use = GPOINTER_TO_UINT (g_hash_table_lookup (host_disks, key));
      PtDisk *disk = read_disk (sysroot, key, value, host_use, error);

      if (disk == NULL)
        return NULL;
      g_ptr_array_add (disks, disk);
    }

  g_ptr_array_sort (disks, compare_disks_cb);
  return g_steal_pointer (&disks);
}
