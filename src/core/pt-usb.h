/* pt-usb.h: USB devices from /sys/bus/usb/devices. */
#pragma once

#include "pt-sysroot.h"

G_BEGIN_DECLS

typedef struct {
  guint     bus;           /* busnum */
  guint     device;        /* devnum */
  guint     vendor_id;     /* idVendor */
  guint     product_id;    /* idProduct */
  guint     device_class;  /* bDeviceClass; 9 = hub */
  char     *name;          /* manufacturer + product strings, or usb.ids names */
  char     *sysfs_name;    /* "1-4" */
  char     *pci_address;   /* host controller, NULL when not on PCI */
} PtUsbDevice;

/* Sorted by bus then device; empty when there is no USB. */
GPtrArray *pt_usb_read         (PtSysroot  *sysroot,
                                GError    **error);
void       pt_usb_device_free  (PtUsbDevice *self);
gboolean   pt_usb_device_is_hub (const PtUsbDevice *self);

G_END_DECLS
