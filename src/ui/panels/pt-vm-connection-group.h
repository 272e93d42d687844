/* pt-vm-connection-group.h: the Virtual Machine panel's Connection group: the libvirt in use,
 * what it holds or why it does not answer, and the address to change it. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

typedef enum {
  PT_VM_CONNECTION_WAITING,     /* the window has not said which libvirt yet */
  PT_VM_CONNECTION_CONNECTING,
  PT_VM_CONNECTION_CONNECTED,
  PT_VM_CONNECTION_FAILED,
} PtVmConnectionState;

#define PT_TYPE_VM_CONNECTION_GROUP (pt_vm_connection_group_get_type ())
G_DECLARE_FINAL_TYPE (PtVmConnectionGroup, pt_vm_connection_group, PT, VM_CONNECTION_GROUP,
                      AdwPreferencesGroup)

GtkWidget *pt_vm_connection_group_new          (void);
/* Shows @uri in @state; @message is why it failed (a sentence), for FAILED only. The address
 * entry is set to @uri. */
void       pt_vm_connection_group_show         (PtVmConnectionGroup *self,
                                                PtVmConnectionState  state,
                                                const char          *uri,
                                                const char          *message);
/* What the connected libvirt holds: its version (0: unknown) and its PtLibvirtDomain*s. */
void       pt_vm_connection_group_set_contents (PtVmConnectionGroup *self,
                                                guint64              library_version,
                                                GPtrArray           *domains);
/* The computer libvirt runs on when that is not this one (NULL: this one, or unknown): the
 * group warns that the VM gets this computer's devices all the same. */
void       pt_vm_connection_group_set_other_computer (PtVmConnectionGroup *self,
                                                      const char          *hostname);
/* Whether a new address is saved for next time (else it lasts for this run). */
void       pt_vm_connection_group_set_saved    (PtVmConnectionGroup *self,
                                                gboolean             saved);

/* Signals: "retry" (), the user asks the same libvirt again; "apply-uri" (const char *uri), the
 * user typed an address and applied it. */

G_END_DECLS
