/* pt-device-usage.h: what the host uses each PCI function for, so that nothing it needs is given
 * to a guest: the disks behind each controller, the network it is online through, its keyboards
 * and USB devices. */
#pragma once

#include "pt-host-scan.h"

G_BEGIN_DECLS

/*
 * How the host uses its PCI functions right now: the disks behind each controller, the network
 * interfaces that carry its routes, its keyboards and USB devices. Read once per scan.
 */
typedef struct _PtDeviceUsage PtDeviceUsage;

/* Blocking (reads /proc/net/route, /sys/class/net and /sys/class/input): call it off the main
 * thread in the app. */
PtDeviceUsage *pt_device_usage_new           (PtHostScan    *scan);
void           pt_device_usage_free          (PtDeviceUsage *self);
/* PtDisk* of the controller at @address (borrowed from the scan); NULL when none. */
GPtrArray     *pt_device_usage_get_disks     (PtDeviceUsage *self,
                                              const char    *address);
/* Interface names ("enp7s0") on the function, and whether one of them carries a route. */
const char * const *pt_device_usage_get_interfaces (PtDeviceUsage *self,
                                                    const char    *address,
                                                    gboolean      *ret_active);
/* Whether the host's network interfaces could be read at all (a fixture may have none). */
gboolean       pt_device_usage_knows_network (PtDeviceUsage *self);
/* PtInputDevice* keyboards behind the function (borrowed); NULL when none. */
GPtrArray     *pt_device_usage_get_keyboards (PtDeviceUsage *self,
                                              const char    *address);
/* Every keyboard of the host that could be placed, borrowed. */
GPtrArray     *pt_device_usage_get_all_keyboards (PtDeviceUsage *self);
/* PtUsbDevice* plugged into the controller, hubs too but not its own root hubs (borrowed);
 * NULL when none. */
GPtrArray     *pt_device_usage_get_usb       (PtDeviceUsage *self,
                                              const char    *address);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtDeviceUsage, pt_device_usage_free)

G_END_DECLS
