/* pt-guest-devices.h: which disks, USB devices and USB controllers of a host may go to a guest,
 * with the reason when one may not; and the libvirt storage pools a new image can go into. */
#pragma once

#include <gio/gio.h>

#include "pt-host-scan.h"
#include "pt-setup.h"

G_BEGIN_DECLS

typedef struct {
  const PtDisk *disk;          /* borrowed from the scan */
  gboolean      offered;       /* FALSE: the host needs it (root, /boot or swap) */
  char         *reason;        /* why it is not offered, or what to do first; NULL when neither */
  char        **mount_points;  /* where this host has its partitions mounted, sorted */
} PtDiskOffer;

typedef struct {
  const PtPciDevice *controller;   /* borrowed from the scan */
  gboolean           offered;
  char              *reason;       /* why not; or what goes along with it; NULL when neither */
  gboolean           with_gpu;     /* a function of the guest's graphics card: goes along */
  GPtrArray         *devices;      /* const PtUsbDevice* plugged into it, root hubs left out */
  GPtrArray         *keyboards;    /* const PtInputDevice* keyboards plugged into it */
} PtUsbControllerOffer;

typedef struct {
  char    *name;
  guint64  capacity_bytes;
  guint64  available_bytes;
} PtStoragePool;

/* Every disk of the scan (PtDiskOffer*, in the scan's order). Host disks are never offered. */
GPtrArray *pt_guest_disk_offers             (PtHostScan  *scan);
void       pt_disk_offer_free               (PtDiskOffer *self);

/* USB devices a guest can have one by one (const PtUsbDevice*): no hubs, no root hubs. */
GPtrArray *pt_guest_usb_devices             (PtHostScan  *scan);

/* Every USB controller on PCI (PtUsbControllerOffer*). One is offered when the IOMMU is on, its
 * group holds nothing else but bridges and the guest GPU's functions, and the host keeps a
 * keyboard and its system disk without it. */
GPtrArray *pt_guest_usb_controller_offers   (PtHostScan  *scan,
                                             PtSetup     *setup);
void       pt_usb_controller_offer_free     (PtUsbControllerOffer *self);

/* The active storage pools at @uri (PtStoragePool*, by name), in a worker thread. Errors are
 * PT_LIBVIRT_ERROR. */
void       pt_guest_list_pools_async        (const char          *uri,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
GPtrArray *pt_guest_list_pools_finish       (GAsyncResult        *result,
                                             GError             **error);
GPtrArray *pt_guest_list_pools_sync         (const char          *uri,
                                             GCancellable        *cancellable,
                                             GError             **error);
void       pt_storage_pool_free             (PtStoragePool       *self);

G_END_DECLS
