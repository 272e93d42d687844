/* pt-devices-domain.h: domain XML for what a guest gets besides its GPU and RAM: evdev keyboards
 * and mice, whole disks, new disk images, install ISOs, USB devices and controllers. */
#pragma once

#include <libxml/tree.h>

#include "pt-host-scan.h"
#include "pt-setup.h"

G_BEGIN_DECLS

#define PT_DEVICES_ERROR (pt_devices_error_quark ())

typedef enum {
  PT_DEVICES_ERROR_INVALID,    /* a choice that is not spelt as below */
} PtDevicesError;

GQuark pt_devices_error_quark (void);

/*
 * How PtSetup's repeatable choices are spelt.
 *
 * "inputs": "/dev/input/by-id/usb-…-event-kbd" goes to the guest as libvirt's
 *   <input type='evdev'>; "input-linux:/dev/input/by-id/…" as QEMU's own input-linux object,
 *   for libvirt older than 7.4 (see pt-qemu-conf.h).
 * "disks": "/dev/disk/by-id/…" is a whole disk; "volume:POOL/NAME:SIZE" a new image NAME of
 *   SIZE ("64GiB", as --memory spells sizes) in the libvirt storage pool POOL; the format
 *   comes from the name: ".qcow2" is qcow2, anything else raw.
 * "isos": image files, each a SATA CD-ROM (the installer and the virtio drivers).
 * "usb": "046d:c52b" is a USB device by vendor and product; a PCI address ("0000:0b:00.3")
 *   is a whole USB controller, with everything plugged into it.
 */
#define PT_INPUT_LINUX_PREFIX "input-linux:"
#define PT_VOLUME_PREFIX      "volume:"

/* The key pair that switches evdev devices between host and guest. */
#define PT_GRAB_TOGGLE_DEFAULT "ctrl-ctrl"

typedef struct {
  char    *pool;            /* "default" */
  char    *name;            /* "passthrough-vm.qcow2" */
  guint64  capacity_bytes;
  char    *format;          /* "qcow2" or "raw" */
} PtVolumeSpec;

gboolean      pt_input_choice_parse       (const char          *entry,
                                           char               **ret_path,
                                           gboolean            *ret_input_linux,
                                           GError             **error);
PtVolumeSpec *pt_volume_spec_parse        (const char          *entry,
                                           GError             **error);
/* "volume:POOL/NAME:SIZE", as pt_volume_spec_parse() reads it. */
char         *pt_volume_spec_to_string    (const PtVolumeSpec  *self);
void          pt_volume_spec_free         (PtVolumeSpec        *self);
/* A USB choice: either *ret_pci_address is set (a controller), or the two ids are. */
gboolean      pt_usb_choice_parse         (const char          *entry,
                                           guint               *ret_vendor_id,
                                           guint               *ret_product_id,
                                           char               **ret_pci_address,
                                           GError             **error);
/* The kind udev's by-id name gives: "-event-kbd" a keyboard, "-event-mouse" a mouse. */
PtInputKind   pt_input_kind_from_path     (const char          *path);

/*
 * Fragments, each appended as the last child of @devices (a domain's <devices>) and returned.
 * Disk targets ("vda", "sdb") are the first free ones among @devices' children.
 */
/* Keyboards: grab='all' repeat='on' grabToggle=@grab_toggle; mice and others: the device only. */
xmlNode      *pt_devices_append_evdev     (xmlNode             *devices,
                                           const char          *path,
                                           PtInputKind          kind,
                                           const char          *grab_toggle);
/* A whole disk as a virtio block device; @iothread: one of the domain's <iothreads> (libvirt
 * refuses others), 0 for none. */
xmlNode      *pt_devices_append_disk      (xmlNode             *devices,
                                           const char          *path,
                                           guint                iothread);
/* A pool volume (<disk type='volume'>) as a virtio block device. */
xmlNode      *pt_devices_append_volume    (xmlNode             *devices,
                                           const PtVolumeSpec  *volume,
                                           guint                iothread);
/* A read-only SATA CD-ROM. */
xmlNode      *pt_devices_append_cdrom     (xmlNode             *devices,
                                           const char          *iso_path);
/* By vendor and product; @bus and @device (0 for none) name one of several identical devices.
 * The source is optional at start-up, so that an unplugged device does not stop the guest. */
xmlNode      *pt_devices_append_usb       (xmlNode             *devices,
                                           guint                vendor_id,
                                           guint                product_id,
                                           guint                bus,
                                           guint                device);
/* A PCI function, managed: libvirt binds it to vfio-pci while the guest runs. */
xmlNode      *pt_devices_append_pci       (xmlNode             *devices,
                                           const char          *address);
/* QEMU's input-linux objects in <qemu:commandline> of @domain (the namespace is declared on
 * @domain when missing); keyboards get grab_all and repeat. */
void          pt_devices_append_input_linux (xmlNode           *domain,
                                           const char * const  *paths);

/*
 * All of @setup's inputs, disks, isos and usb choices, into @domain's <devices> (made when
 * missing). @scan (may be NULL) gives input kinds, tells identical USB devices apart and enforces
 * the host's rules: its own disk (root, /boot, swap) and a USB controller it cannot spare are
 * refused; a controller on the guest GPU's card is left to the GPU's hostdevs. What the user
 * should know is added to @warnings (char*, may be NULL). FALSE for a choice that is not spelt
 * as documented above or that the host's rules refuse.
 */
gboolean      pt_devices_append_setup     (xmlNode             *domain,
                                           PtSetup             *setup,
                                           PtHostScan          *scan,
                                           guint                iothread,
                                           GPtrArray           *warnings,
                                           GError             **error);

/* <volume> for virStorageVolCreateXML() in the spec's pool: sparse, capacity in bytes. */
char         *pt_volume_spec_to_xml       (const PtVolumeSpec  *self);

/* The input-linux devices of @setup: what qemu.conf's cgroup_device_acl must add (empty when
 * every input uses evdev); pt_qemu_conf_add_device_acl() puts them there. */
char        **pt_devices_input_linux_paths (PtSetup            *setup);

/* The children of @parent serialised one after another, indented (for tests and Review). */
char         *pt_xml_children_to_string   (xmlNode             *parent);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtVolumeSpec, pt_volume_spec_free)

G_END_DECLS
