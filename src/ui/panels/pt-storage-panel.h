/* pt-storage-panel.h: the Storage & USB panel: disks, a new image, install media, USB. */
#pragma once

#include "pt-panel.h"

G_BEGIN_DECLS

#define PT_TYPE_STORAGE_PANEL (pt_storage_panel_get_type ())
G_DECLARE_FINAL_TYPE (PtStoragePanel, pt_storage_panel, PT, STORAGE_PANEL, PtPanel)

GtkWidget *pt_storage_panel_new          (void);
/* TRUE once the rows for the current snapshot are there and libvirt answered (or failed to
 * answer) about its storage pools. */
gboolean   pt_storage_panel_get_ready    (PtStoragePanel *self);

G_END_DECLS
