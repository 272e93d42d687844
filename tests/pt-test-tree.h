/* pt-test-tree.h: pieces of a sysfs tree for the readers' small-tree tests, laid out as the kernel
 * lays them out: a device with its bus link, its IOMMU group, a USB device, an evdev node. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  const char *name;    /* "idVendor" */
  const char *value;   /* written with a newline added; NULL: the attribute is missing */
} PtTestAttribute;

/* A file per attribute in @dir, a path below @root ("sys/devices/pci0000:00/0000:00:14.0"). */
void pt_test_write_attributes (const char            *root,
                               const char            *dir,
                               const PtTestAttribute *attributes,
                               gsize                  n_attributes);

/* /sys/devices/<dir> with a file per attribute, and /sys/bus/<bus>/devices/<last component of
 * @dir> linking to it. */
void pt_test_add_device       (const char            *root,
                               const char            *bus,
                               const char            *dir,
                               const PtTestAttribute *attributes,
                               gsize                  n_attributes);

typedef struct {
  const char *dir;           /* below /sys/devices: "pci0000:00/0000:00:14.0/usb1/1-4" */
  const char *busnum;        /* the attributes, without newline; NULL: missing */
  const char *devnum;
  const char *id_vendor;
  const char *id_product;
  const char *device_class;
  const char *manufacturer;
  const char *product;
} PtTestUsbDevice;

/* /sys/kernel/iommu_groups/<group>/devices/<last component of @dir> linking to the device at
 * /sys/devices/<dir>, and the device's iommu_group link back to its group. */
void pt_test_add_iommu_group_member (const char *root,
                                     const char *group,
                                     const char *dir);

/* A USB device (or a bus's root hub) in /sys/devices, listed in /sys/bus/usb/devices. */
void pt_test_add_usb_device   (const char            *root,
                               const PtTestUsbDevice *device);

/*
 * An evdev node: /sys/devices/<input_dir>/<event> with its "dev" numbers ("13:71") and "device"
 * link, the input's name (NULL: the kernel gave none), /sys/class/input/<event> and the device
 * node /dev/input/<event>. @input_dir ends in the input device: ".../input/input7".
 */
void pt_test_add_input_event  (const char            *root,
                               const char            *input_dir,
                               const char            *event,
                               const char            *numbers,
                               const char            *name);

G_END_DECLS
