/* pt-storage.h: whole disks from /dev/disk/by-id, and which of them the host itself needs. */
#pragma once

#include "pt-sysroot.h"

G_BEGIN_DECLS

typedef struct {
  char     *path;        /* preferred by-id link: "/dev/disk/by-id/nvme-Samsung_SSD_970_..." */
  char     *device;      /* "/dev/nvme0n1" */
  char     *model;       /* "Samsung SSD 970 EVO 1TB", "" when unknown */
  char     *pci_address; /* controller, "0000:01:00.0", NULL when not on PCI */
  guint64   size_bytes;
  char    **partitions;  /* "nvme0n1p1", ... sorted */
  gboolean  root;        /* holds "/" (directly, or below LVM/dm/md) */
  gboolean  boot;        /* holds /boot or /boot/efi or /efi */
  gboolean  swap;        /* holds active swap */
} PtDisk;

/* Sorted by path; empty when /dev/disk/by-id does not exist. */
GPtrArray *pt_storage_read      (PtSysroot  *sysroot,
                                 GError    **error);
void       pt_disk_free         (PtDisk     *self);
/* TRUE when the host needs the disk (root, boot or swap): never offered to a guest. */
gboolean   pt_disk_is_host_disk (const PtDisk *self);

G_END_DECLS
