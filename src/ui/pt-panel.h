/* pt-panel.h: the base of every panel in the sidebar, like gnome-control-center's CcPanel. */
#pragma once

#include <adwaita.h>

#include "pt-host-scan.h"
#include "pt-setup.h"

G_BEGIN_DECLS

#define PT_TYPE_PANEL (pt_panel_get_type ())
G_DECLARE_DERIVABLE_TYPE (PtPanel, pt_panel, PT, PANEL, AdwBin)

struct _PtPanelClass
{
  AdwBinClass parent_class;

  /* A new snapshot arrived (after a re-scan too); NULL while none is there. The libvirt URI
   * may have changed with it: ask libvirt again too. */
  void (*scan_changed)  (PtPanel *self);
  /* The window handed over its setup, or the setup's "changed" fired: any choice may differ.
   * Also called once with NULL when the setup goes away. */
  void (*setup_changed) (PtPanel *self);
  /* Another libvirt URI is in use, the snapshot is the same: what the panel asked libvirt is
   * stale. */
  void (*libvirt_uri_changed) (PtPanel *self);

  gpointer padding[6];
};

const char   *pt_panel_get_title       (PtPanel    *self);
void          pt_panel_set_title       (PtPanel    *self,
                                        const char *title);
const char   *pt_panel_get_icon_name   (PtPanel    *self);
void          pt_panel_set_icon_name   (PtPanel    *self,
                                        const char *icon_name);
PtHostScan   *pt_panel_get_scan        (PtPanel    *self);
void          pt_panel_set_scan        (PtPanel    *self,
                                        PtHostScan *scan);
/* The libvirt URI the panel's libvirt work uses ("qemu:///system"). */
const char   *pt_panel_get_libvirt_uri (PtPanel    *self);
void          pt_panel_set_libvirt_uri (PtPanel    *self,
                                        const char *libvirt_uri);
/* Both at once, as a (re-)scan hands them over (@libvirt_uri not NULL): a panel whose snapshot
 * changes hears only scan_changed, even when the URI changed too, and asks libvirt once. */
void          pt_panel_set_host        (PtPanel    *self,
                                        PtHostScan *scan,
                                        const char *libvirt_uri);
/* The user's choices, one object shared by every panel of the window. */
PtSetup      *pt_panel_get_setup       (PtPanel    *self);
void          pt_panel_set_setup       (PtPanel    *self,
                                        PtSetup    *setup);
/* Cancelled when the panel is disposed: pass it to every async call the panel makes. */
GCancellable *pt_panel_get_cancellable (PtPanel    *self);

G_END_DECLS
