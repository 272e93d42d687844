/* pt-kmod.h: which kernel modules would claim a device, from the module indexes of a host. */
#pragma once

#include "pt-boot.h"
#include "pt-sysroot.h"

G_BEGIN_DECLS

typedef struct _PtKmod PtKmod;

/*
 * Looks in /lib/modules/<kernel> (or /usr/lib/modules) below @sysroot for each of @kernels;
 * NULL means every kernel installed there. Never fails: a kernel without indexes simply
 * matches nothing.
 */
PtKmod        *pt_kmod_new            (PtSysroot          *sysroot,
                                       const char * const *kernels);
void           pt_kmod_free           (PtKmod             *self);
/* The kernels looked at, sorted by version. */
const char * const *pt_kmod_get_kernels (PtKmod           *self);
/*
 * Modules whose aliases match @modalias ("pci:v000010DEd00001B06sv...") in any of the kernels:
 * through libkmod (binary indexes and modprobe.d aliases of the sysroot), and through the text
 * modules.alias where depmod's binary index is missing. Names use '_' ("snd_hda_intel"),
 * sorted, unique; empty when nothing matches.
 */
GStrv          pt_kmod_lookup         (PtKmod             *self,
                                       const char         *modalias);
/* Whether @module ("vfio-pci" or "vfio_pci") is built into @kernel, a module, or absent. */
PtModuleState  pt_kmod_module_state   (PtKmod             *self,
                                       const char         *kernel,
                                       const char         *module);

/* The module behind a bound PCI driver: the target of /sys/bus/pci/drivers/<driver>/module,
 * else the driver's own name ("nvidia-gpu" → "nvidia_gpu"). */
char          *pt_kmod_driver_module  (PtSysroot          *sysroot,
                                       const char         *driver);
/* /lib/modules, or /usr/lib/modules on hosts that dropped the /lib link; NULL when neither is
 * there. */
const char    *pt_kmod_modules_dir    (PtSysroot          *sysroot);
/* "snd-hda-intel" → "snd_hda_intel": modprobe treats '-' and '_' alike. */
char          *pt_kmod_normalize_name (const char         *name);
/* TRUE for a plausible module name (letters, digits, '_' and '-'; at most 56 characters). */
gboolean       pt_kmod_is_valid_name  (const char         *name);
/* Whether kernel @version ("6.1.0-13-amd64") is older than @major.@minor; FALSE when the
 * version does not start with two numbers. */
gboolean       pt_kmod_kernel_older_than (const char      *version,
                                          guint            major,
                                          guint            minor);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtKmod, pt_kmod_free)

G_END_DECLS
