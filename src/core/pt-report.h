/* pt-report.h: the JSON report of a host scan, used by --report and diagnostics. */
#pragma once

#include <json-glib/json-glib.h>

#include "pt-host-scan.h"

G_BEGIN_DECLS

/*
 * The report, key for key (DESIGN.md's keys plus the extras marked +). Lists of CPUs are
 * sorted ints. Numbers that the kernel does not give are null, never -1.
 *
 * {"version": 1,
 *  "cpu": {"vendor": "AuthenticAMD", "model": "AMD Ryzen 5 2600X Six-Core Processor",
 *          "flags": [every /proc/cpuinfo flag of the first CPU, sorted, unique],        +
 *          "online": [0, 1, ...], "offline": [present but not online],                 +
 *          "packages": [{"id": 0, "cpus": [...]}],                          (by id)
 *          "cores": [{"package": 0, "die": 0|null, "core_id": 4, "cpus": [3, 9],
 *                     "l3": <l3 id>|null, "numa_node": 0|null,                           +
 *                     "type": "performance"|"efficiency"|null}],            (by first cpu)
 *          "l3": [{"id": 0, "size_kib": 8192, "cpus": [...]}],              (by first cpu)
 *          "numa": [{"node": 0, "cpus": [...], "memory_kib": 16318880}]},   (by node)
 *  "iommu": {"enabled": true, "groups": [{"id": 16, "devices": ["0000:09:00.0", ...]}]},
 *  "pci": [{"address": "0000:09:00.0", "vendor": "10de", "device": "1b06", "class": "0300",
 *           "name": "NVIDIA Corporation GP102 [GeForce GTX 1080 Ti]",
 *           "driver": "nvidia"|null, "iommu_group": 16|null, "boot_vga": false,
 *           "numa_node": 0|null, "reset_method": "flr bus"|null,                          +
 *           "subsystem": "1458:3702"|null}],                                              +
 *  "memory": {"total_kib": ..., "available_kib": ...,                                     +
 *             "hugepages": [{"size_kib": 2048, "total": 0, "free": 0}]},    (by size)
 *  "input": [{"name": ..., "path": "/dev/input/by-id/...-event-kbd",
 *             "kind": "keyboard"|"mouse"|"other"}],                         (by path)
 *  "disks": [{"path": "/dev/disk/by-id/...", "device": "/dev/nvme0n1",                   +
 *             "model": ..., "size_bytes": ..., "root": bool,
 *             "boot": bool, "swap": bool}],                                 (by path)  +
 *  "usb": [{"bus": 1, "device": 2, "vendor": "046d", "product": "c52b", "name": ...}],
 *  "boot": {"bootloader": "grub"|..., "initramfs": "initramfs-tools"|..., "cmdline": ...,
 *           "kernels": [...], "running_kernel": ...,
 *           "vfio_pci": "builtin"|"module"|"missing"}}                                    +
 *
 * Hex ids are 4 lower-case digits. "name" is vendor and device name from the host's pci.ids
 * as libpci's pci_lookup_name (PCI_LOOKUP_VENDOR | PCI_LOOKUP_DEVICE) gives it.
 */
JsonNode *pt_report_build     (PtHostScan *scan);
/* Pretty-printed, with a trailing newline. */
char     *pt_report_to_string (PtHostScan *scan);

G_END_DECLS
