/* pt-vm-panel.h: the Virtual Machine panel: where the choices go in libvirt, and their backups. */
#pragma once

#include "pt-panel.h"

G_BEGIN_DECLS

#define PT_TYPE_VM_PANEL (pt_vm_panel_get_type ())
G_DECLARE_FINAL_TYPE (PtVmPanel, pt_vm_panel, PT, VM_PANEL, PtPanel)

GtkWidget  *pt_vm_panel_new            (void);
/* The existing domain the choices go to; NULL when they make a new virtual machine. */
const char *pt_vm_panel_get_chosen     (PtVmPanel *self);
/* Whether libvirt or backup work is running, or news waits for its toast. */
gboolean    pt_vm_panel_get_busy       (PtVmPanel *self);

G_END_DECLS
