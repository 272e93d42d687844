/* pt-vm-choice-group.h: the Virtual Machine panel's choice of where the choices go: a new VM by
 * the name typed, or one of the connection's domains. Exactly one is chosen. */
#pragma once

#include <adwaita.h>

#include "pt-libvirt.h"

G_BEGIN_DECLS

#define PT_TYPE_VM_CHOICE_GROUP (pt_vm_choice_group_get_type ())
G_DECLARE_FINAL_TYPE (PtVmChoiceGroup, pt_vm_choice_group, PT, VM_CHOICE_GROUP,
                      AdwPreferencesGroup)

GtkWidget             *pt_vm_choice_group_new               (void);
/* The connection's domains (PtLibvirtDomain*, kept), one row each; NULL while there is no list,
 * when @status says why (with a spinner while @loading). A chosen domain that is gone, or
 * cannot be chosen, gives way to a new VM. */
void                   pt_vm_choice_group_set_domains       (PtVmChoiceGroup *self,
                                                             GPtrArray       *domains,
                                                             const char      *status,
                                                             gboolean         loading);
/* The domain of that name, NULL when the list has none. */
const PtLibvirtDomain *pt_vm_choice_group_find_domain       (PtVmChoiceGroup *self,
                                                             const char      *name);
/* The existing domain chosen ("chosen" notifies); NULL: a new VM. A name not listed yet is
 * chosen when the next list has it. */
const char            *pt_vm_choice_group_get_chosen        (PtVmChoiceGroup *self);
void                   pt_vm_choice_group_set_chosen        (PtVmChoiceGroup *self,
                                                             const char      *name);
/* The new VM's name as typed; setting it does not emit "name-changed". */
const char            *pt_vm_choice_group_get_name          (PtVmChoiceGroup *self);
void                   pt_vm_choice_group_set_name          (PtVmChoiceGroup *self,
                                                             const char      *name);
/* Why the typed name cannot be a new VM's, as a sentence (shown under the entry while a new VM
 * is chosen); NULL when it can. */
char                  *pt_vm_choice_group_dup_name_problem  (PtVmChoiceGroup *self);
/* Not empty and without "/": something the setup may hold, even when libvirt has it. */
gboolean               pt_vm_name_is_usable                 (const char      *name);

/* Signal "name-changed" (): the user typed in the name entry (which chooses a new VM). */

G_END_DECLS
