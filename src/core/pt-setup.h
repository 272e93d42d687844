/* pt-setup.h: the user's choices, written by the panels and the command line, read by the
 * planners (host plan, CPU pins, domain XML). */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
  PT_GUEST_WINDOWS,
  PT_GUEST_LINUX,
} PtGuestOs;

typedef enum {
  PT_HUGEPAGES_OFF,
  PT_HUGEPAGES_2M,
  PT_HUGEPAGES_1G,
} PtHugepages;

#define PT_SETUP_DEFAULT_VCPUS 4
#define PT_SETUP_DEFAULT_MEMORY_MIB 8192
#define PT_SETUP_DEFAULT_NAME "passthrough-vm"

#define PT_TYPE_SETUP (pt_setup_get_type ())
G_DECLARE_FINAL_TYPE (PtSetup, pt_setup, PT, SETUP, GObject)

PtSetup            *pt_setup_new                     (void);
/* The same choices in a new object: what a worker thread reads while the user goes on. */
PtSetup            *pt_setup_copy                    (PtSetup     *self);

/* Properties ("gpu", "single-gpu", "vcpus", "memory-mib", "hugepages", "hugepages-on-demand",
 * "guest", "isolate-host", "name", "inputs", "disks", "isos", "usb") notify only on change;
 * "changed" is emitted once after any of them changes. */
/* "0000:09:00.0" or NULL */
const char         *pt_setup_get_gpu                 (PtSetup     *self);
void                pt_setup_set_gpu                 (PtSetup     *self,
                                                      const char  *address);
gboolean            pt_setup_get_single_gpu          (PtSetup     *self);
void                pt_setup_set_single_gpu          (PtSetup     *self,
                                                      gboolean     single_gpu);
guint               pt_setup_get_vcpus               (PtSetup     *self);
void                pt_setup_set_vcpus               (PtSetup     *self,
                                                      guint        vcpus);
guint64             pt_setup_get_memory_mib          (PtSetup     *self);
void                pt_setup_set_memory_mib          (PtSetup     *self,
                                                      guint64      memory_mib);
PtHugepages         pt_setup_get_hugepages           (PtSetup     *self);
void                pt_setup_set_hugepages           (PtSetup     *self,
                                                      PtHugepages  hugepages);
gboolean            pt_setup_get_hugepages_on_demand (PtSetup     *self);
void                pt_setup_set_hugepages_on_demand (PtSetup     *self,
                                                      gboolean     on_demand);
PtGuestOs           pt_setup_get_guest               (PtSetup     *self);
void                pt_setup_set_guest               (PtSetup     *self,
                                                      PtGuestOs    guest);
gboolean            pt_setup_get_isolate_host        (PtSetup     *self);
void                pt_setup_set_isolate_host        (PtSetup     *self,
                                                      gboolean     isolate_host);
const char         *pt_setup_get_name                (PtSetup     *self);
void                pt_setup_set_name                (PtSetup     *self,
                                                      const char  *name);
/*
 * Repeatable choices, each a string:
 * - inputs: "/dev/input/by-id/…-event-kbd" (libvirt's evdev input), or the same path behind
 *   "input-linux:" for QEMU's older input-linux object;
 * - disks: "/dev/disk/by-id/…" (a whole disk), or "volume:POOL/NAME:64GiB" (a new image in a
 *   libvirt storage pool);
 * - isos: paths of installation or driver ISO files;
 * - usb: "046d:c52b" (one USB device by vendor:product), or a PCI address "0000:0b:00.3"
 *   (a whole USB controller).
 * pt-devices-domain.h turns them into domain XML.
 */
const char * const *pt_setup_get_inputs              (PtSetup     *self);
void                pt_setup_set_inputs              (PtSetup     *self,
                                                      const char * const *inputs);
const char * const *pt_setup_get_disks               (PtSetup     *self);
void                pt_setup_set_disks               (PtSetup     *self,
                                                      const char * const *disks);
const char * const *pt_setup_get_isos                (PtSetup     *self);
void                pt_setup_set_isos                (PtSetup     *self,
                                                      const char * const *isos);
const char * const *pt_setup_get_usb                 (PtSetup     *self);
void                pt_setup_set_usb                 (PtSetup     *self,
                                                      const char * const *usb);

/* Host CPUs picked by hand, in vCPU order (vCPU 0 on the first); NULL when the planner
 * chooses. The vCPU count follows the picks. */
GArray             *pt_setup_get_cpu_pins            (PtSetup     *self);
void                pt_setup_set_cpu_pins            (PtSetup     *self,
                                                      GArray      *cpus);

/* "8GiB", "8G", "8192MiB", "8192M": binary units, G = GiB. FALSE with a sentence otherwise. */
gboolean            pt_parse_memory_size             (const char  *text,
                                                      guint64     *ret_mib,
                                                      GError     **error);
/* "2M" / "1G" (also "2MiB", "1GiB"). */
gboolean            pt_parse_hugepage_size           (const char  *text,
                                                      PtHugepages *ret_hugepages,
                                                      GError     **error);
guint64             pt_hugepages_size_kib            (PtHugepages  hugepages);
const char         *pt_guest_os_to_string            (PtGuestOs    guest);

G_END_DECLS
