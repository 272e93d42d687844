/* pt-boot.h: how this host boots: kernel command line, bootloader, initramfs tool, kernels. */
#pragma once

#include "pt-sysroot.h"

G_BEGIN_DECLS

typedef enum {
  PT_BOOTLOADER_UNKNOWN,
  PT_BOOTLOADER_GRUB,
  PT_BOOTLOADER_GRUBBY,
  PT_BOOTLOADER_SYSTEMD_BOOT,
  PT_BOOTLOADER_KERNELSTUB,
  PT_BOOTLOADER_RPM_OSTREE,
} PtBootloader;

typedef enum {
  PT_INITRAMFS_UNKNOWN,
  PT_INITRAMFS_INITRAMFS_TOOLS,
  PT_INITRAMFS_DRACUT,
  PT_INITRAMFS_MKINITCPIO,
  PT_INITRAMFS_BOOSTER,
} PtInitramfs;

typedef enum {
  PT_MODULE_MISSING,
  PT_MODULE_BUILTIN,
  PT_MODULE_LOADABLE,
} PtModuleState;

typedef struct {
  PtBootloader   bootloader;
  PtInitramfs    initramfs;
  char          *cmdline;          /* /proc/cmdline, stripped */
  char         **kernels;          /* /lib/modules entries, sorted by version */
  char          *running_kernel;   /* /proc/sys/kernel/osrelease, "" when unknown */
  PtModuleState  vfio_pci;         /* for the running kernel */
  char          *os_id;            /* ID= of /etc/os-release ("debian"), "" when unknown */
  char          *os_name;          /* PRETTY_NAME ("Debian GNU/Linux 12 (bookworm)") */
} PtBoot;

PtBoot     *pt_boot_read                (PtSysroot   *sysroot,
                                         GError     **error);
void        pt_boot_free                (PtBoot      *self);
/* Value of "name=value" on the command line, "" for a bare "name", NULL when absent. */
char       *pt_boot_dup_cmdline_arg     (const PtBoot *self,
                                         const char  *name);
const char *pt_bootloader_to_string     (PtBootloader bootloader);
const char *pt_initramfs_to_string      (PtInitramfs  initramfs);
const char *pt_module_state_to_string   (PtModuleState state);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtBoot, pt_boot_free)

G_END_DECLS
