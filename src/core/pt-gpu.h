/* pt-gpu.h: choosing the guest GPU: which functions go with it, and what that costs the host. */
#pragma once

#include "pt-device-usage.h"
#include "pt-host-scan.h"

G_BEGIN_DECLS

#define PT_GPU_ERROR (pt_gpu_error_quark ())

typedef enum {
  PT_GPU_ERROR_UNKNOWN_DEVICE,   /* no PCI function at that address */
  PT_GPU_ERROR_NOT_A_GPU,        /* the address is not a function of a graphics card */
  PT_GPU_ERROR_INVALID_ADDRESS,  /* not a PCI address at all */
} PtGpuError;

GQuark pt_gpu_error_quark (void);

/* What a PCI function is, as far as the host's safety goes. */
typedef enum {
  PT_DEVICE_KIND_GPU,
  PT_DEVICE_KIND_AUDIO,
  PT_DEVICE_KIND_USB,
  PT_DEVICE_KIND_STORAGE,
  PT_DEVICE_KIND_NETWORK,
  PT_DEVICE_KIND_BRIDGE,      /* forwards PCI traffic; never bound */
  PT_DEVICE_KIND_SERIAL_BUS,  /* USB-C/UCSI, I2C, SMBus controllers */
  PT_DEVICE_KIND_OTHER,
} PtDeviceKind;

PtDeviceKind pt_device_kind_of        (const PtPciDevice *device);
const char  *pt_device_kind_to_string (PtDeviceKind       kind);

typedef enum {
  PT_GPU_ISSUE_NO_IOMMU,        /* the IOMMU is off: groups are unknown */
  PT_GPU_ISSUE_NO_GROUP,        /* the IOMMU is on but the card has no group */
  PT_GPU_ISSUE_BOOT_VGA,        /* the card shows the start-up screen */
  PT_GPU_ISSUE_ONLY_GPU,        /* the host would keep no graphics card */
  PT_GPU_ISSUE_HOST_DISK,       /* a disk the host needs hangs off a device of the group */
  PT_GPU_ISSUE_ACTIVE_NETWORK,  /* the network the host uses goes through the group */
  PT_GPU_ISSUE_ONLY_KEYBOARD,   /* every keyboard of the host is behind the group */
  PT_GPU_ISSUE_SHARED_GROUP,    /* a device that is not part of the card shares the group */
  PT_GPU_ISSUE_KEYBOARD,        /* some keyboards go with the card, others stay */
  PT_GPU_ISSUE_SAME_IDS,        /* a host device has the same vendor:device ids */
  PT_GPU_ISSUE_UNKNOWN_MEMBER,  /* the group lists an address the PCI scan does not have */
  PT_GPU_ISSUE_CARD_SPLIT,      /* a function of the card sits in another group */
} PtGpuIssueKind;

typedef struct {
  PtGpuIssueKind     kind;
  gboolean           blocker;   /* the plan refuses to bind while this holds */
  char              *device;    /* address it is about; NULL for the card as a whole */
  char              *message;   /* a sentence that names the device and says what to do */
} PtGpuIssue;

typedef struct {
  const PtPciDevice *gpu;        /* the display function of the chosen card (borrowed) */
  int                iommu_group;/* -1 when the IOMMU is off */
  GPtrArray         *devices;    /* const PtPciDevice*: every function to bind, sorted by
                                    address: the group minus its bridges, or the card's
                                    functions when there are no groups */
  GPtrArray         *card;       /* const PtPciDevice*: the functions of the card itself */
  GPtrArray         *companions; /* const PtPciDevice*: the rest of `devices` */
  GPtrArray         *bridges;    /* const PtPciDevice*: group members that stay */
  GPtrArray         *unknown;    /* char*: group members the PCI scan does not know */
  GPtrArray         *host_gpus;  /* const PtPciDevice*: GPUs the host keeps */
  GPtrArray         *issues;     /* PtGpuIssue*, blockers first */
} PtGpuChoice;

/*
 * The card at @address (any of its functions, "0000:09:00.1" or "09:00.1"), with everything
 * that must go to the guest with it and what that means for the host. @usage may be NULL: it
 * is then read from @scan. Fails only for an address that is no graphics card.
 */
PtGpuChoice *pt_gpu_choice_new          (PtHostScan        *scan,
                                         PtDeviceUsage     *usage,
                                         const char        *address,
                                         gboolean           single_gpu,
                                         GError           **error);
void         pt_gpu_choice_free         (PtGpuChoice       *self);
gboolean     pt_gpu_choice_contains     (const PtGpuChoice *self,
                                         const char        *address);
gboolean     pt_gpu_choice_has_blockers (const PtGpuChoice *self);

/* Display functions of @scan (PtPciDevice*, borrowed), sorted by address. */
GPtrArray   *pt_gpu_list                (PtHostScan        *scan);
/* How sentences name a device: “NVIDIA Corporation GP102 [GeForce GTX 1080 Ti]” (0000:09:00.0),
 * the vendor and device names as lspci prints them, and the address. */
char        *pt_gpu_describe_device     (const PtPciDevice *device);
/* The vendor as people say it: "NVIDIA Corporation" → "NVIDIA", "Advanced Micro Devices, Inc.
 * [AMD/ATI]" → "AMD/ATI". */
char        *pt_gpu_short_vendor        (const char        *vendor_name);
/* Host devices (not in @self) whose vendor:device equals that of @device, borrowed; may be
 * empty. */
GPtrArray   *pt_gpu_choice_twins_of     (const PtGpuChoice *self,
                                         GPtrArray         *all_devices,
                                         const PtPciDevice *device);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtGpuChoice, pt_gpu_choice_free)

G_END_DECLS
