/* pt-domain-private.h: what the domain files share: XML helpers and the one edit both the new
 * VM and an existing one go through. */
#pragma once

#include <libxml/tree.h>

#include "pt-domain.h"
#include "pt-sysroot.h"

G_BEGIN_DECLS

gboolean  pt_domain_is_element  (const xmlNode          *node,
                                 const char             *name);
xmlNode  *pt_domain_find_child  (xmlNode                *parent,
                                 const char             *name);
char     *pt_domain_get_prop    (xmlNode                *node,
                                 const char             *name);
void      pt_domain_remove_node (xmlNode                *node);
void      pt_domain_insert_node (xmlNode                *parent,
                                 xmlNode                *node,
                                 const char * const     *order);
/* What identifies a device across edits: "pci:0000:09:00.0", "usb:046d:c52b",
 * "evdev:/dev/input/…", "disk:/dev/disk/…", "rootport:9"; NULL for anything else. */
char     *pt_domain_device_key  (xmlNode                *device);
/* The keys of @devices' children, added to @keys (a set of char*). */
void      pt_domain_collect_keys (xmlNode               *devices,
                                  GHashTable            *keys);
/* The functions (const PtPciDevice*) as managed hostdevs in @devices, each host slot on a new
 * PCIe root port; the keys of what was added go to @keys. */
void      pt_domain_append_gpu_hostdevs (xmlNode        *devices,
                                         GPtrArray      *functions,
                                         GHashTable     *keys);

/* $XDG_STATE_HOME/passthrough/backups: where pt_domain_save_backup() keeps definitions. */
char     *pt_domain_backup_dir  (void);

/* Applies @setup to @domain (a <domain> element) in place. */
gboolean  pt_domain_apply       (xmlNode                *domain,
                                 PtHostScan             *scan,
                                 PtSetup                *setup,
                                 const PtDomainOptions  *options,
                                 GPtrArray              *warnings,
                                 GError                **error);

G_END_DECLS
