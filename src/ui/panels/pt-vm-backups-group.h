/* pt-vm-backups-group.h: the Virtual Machine panel's list of the definitions kept of a domain. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PT_TYPE_VM_BACKUPS_GROUP (pt_vm_backups_group_get_type ())
G_DECLARE_FINAL_TYPE (PtVmBackupsGroup, pt_vm_backups_group, PT, VM_BACKUPS_GROUP,
                      AdwPreferencesGroup)

GtkWidget  *pt_vm_backups_group_new        (void);
/* Lists the backups of domain @name (hidden for NULL), reading them again when it is the same. */
void        pt_vm_backups_group_show       (PtVmBackupsGroup *self,
                                            const char       *name);
/* Whether the list is being read. */
gboolean    pt_vm_backups_group_get_busy   (PtVmBackupsGroup *self);

/* Signal "restore" (const char *path, const char *name, const char *when): the user confirmed
 * that the backup at path, of domain name, kept at when (as shown), should be defined again. */

G_END_DECLS
