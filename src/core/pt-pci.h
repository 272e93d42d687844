/* pt-pci.h: PCI devices read through libpci's sysfs access method, names from pci.ids. */
#pragma once

#include "pt-sysroot.h"

G_BEGIN_DECLS

/* PCI base class + subclass (without prog-if) of the devices the app cares about. */
#define PT_PCI_CLASS_STORAGE_SCSI   0x0100
#define PT_PCI_CLASS_STORAGE_IDE    0x0101
#define PT_PCI_CLASS_STORAGE_RAID   0x0104
#define PT_PCI_CLASS_STORAGE_SATA   0x0106
#define PT_PCI_CLASS_STORAGE_NVME   0x0108
#define PT_PCI_CLASS_NETWORK_ETHERNET 0x0200
#define PT_PCI_CLASS_DISPLAY_VGA    0x0300
#define PT_PCI_CLASS_DISPLAY_3D     0x0302
#define PT_PCI_CLASS_DISPLAY_OTHER  0x0380
#define PT_PCI_CLASS_AUDIO_HDA      0x0403
#define PT_PCI_CLASS_BRIDGE_HOST    0x0600
#define PT_PCI_CLASS_BRIDGE_ISA     0x0601
#define PT_PCI_CLASS_BRIDGE_PCI     0x0604
#define PT_PCI_CLASS_SERIAL_USB     0x0c03

typedef struct {
  char     *address;        /* "0000:09:00.0" */
  guint     domain;
  guint     bus;
  guint     slot;
  guint     function;
  guint     vendor_id;      /* 0x10de */
  guint     device_id;      /* 0x1b06 */
  guint     subsystem_vendor_id;  /* 0 when unknown */
  guint     subsystem_device_id;
  guint     class_id;       /* base class + subclass, 0x0300 */
  guint     prog_if;
  guint     revision;
  char     *vendor_name;    /* "NVIDIA Corporation" */
  char     *device_name;    /* "GP102 [GeForce GTX 1080 Ti]" */
  char     *name;           /* vendor + device, as lspci prints it */
  char     *class_name;     /* "VGA compatible controller" */
  char     *subsystem_name; /* NULL when unknown */
  char     *driver;         /* bound driver, NULL when none */
  char     *modalias;       /* "pci:v000010DEd00001B06sv...", NULL when absent */
  char     *reset_method;   /* "flr bus", NULL when the kernel does not say */
  char     *parent;         /* upstream bridge address, NULL on a root bus */
  int       iommu_group;    /* -1 when none (IOMMU off) */
  int       numa_node;      /* -1 when unknown */
  gboolean  boot_vga;
} PtPciDevice;

/* Every PCI function under @sysroot's /sys/bus/pci, sorted by address. */
GPtrArray   *pt_pci_read             (PtSysroot         *sysroot,
                                      GError           **error);
void         pt_pci_device_free      (PtPciDevice       *self);
gboolean     pt_pci_device_is_gpu    (const PtPciDevice *self);
gboolean     pt_pci_device_is_bridge (const PtPciDevice *self);
/* "10de:1b06" */
char        *pt_pci_device_dup_ids   (const PtPciDevice *self);
/* Address order (domain, bus, slot, function) of two PtPciDevice pointers, for
 * g_ptr_array_sort(). */
int          pt_pci_device_compare   (gconstpointer      a,
                                      gconstpointer      b);
/* Finds "0000:09:00.0" or the short "09:00.0" form. */
PtPciDevice *pt_pci_find             (GPtrArray         *devices,
                                      const char        *address);
/* Normalises "09:00.0" to "0000:09:00.0"; NULL when not an address. */
char        *pt_pci_normalize_address (const char       *address);
/* The PCI function a sysfs device hangs off: the last "dddd:bb:ss.f" component of its canonical
 * path ("/sys/devices/pci0000:00/0000:00:14.0/usb1/1-5" → "0000:00:14.0"), normalised; NULL for a
 * NULL path or one with no function in it (a platform or virtual device). */
char        *pt_pci_address_from_sysfs_path (const char *sys_path);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtPciDevice, pt_pci_device_free)

G_END_DECLS
