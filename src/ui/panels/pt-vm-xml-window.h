/* pt-vm-xml-window.h: shows a virtual machine's domain XML, read-only, to read or copy. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PT_TYPE_VM_XML_WINDOW (pt_vm_xml_window_get_type ())
G_DECLARE_FINAL_TYPE (PtVmXmlWindow, pt_vm_xml_window, PT, VM_XML_WINDOW, AdwWindow)

/* A modal window over @parent (may be NULL) with @xml, the domain named @name. */
GtkWidget *pt_vm_xml_window_new (GtkWindow  *parent,
                                 const char *name,
                                 const char *xml);

G_END_DECLS
