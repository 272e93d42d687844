/* pt-graphics-panel.h: the IOMMU groups of this computer, and the choice of the guest's GPU. */
#pragma once

#include "pt-gpu.h"
#include "pt-panel.h"

G_BEGIN_DECLS

#define PT_TYPE_GRAPHICS_PANEL (pt_graphics_panel_get_type ())
G_DECLARE_FINAL_TYPE (PtGraphicsPanel, pt_graphics_panel, PT, GRAPHICS_PANEL, PtPanel)

GtkWidget         *pt_graphics_panel_new        (void);
/* TRUE once the groups of the current snapshot are on screen. */
gboolean           pt_graphics_panel_get_ready  (PtGraphicsPanel *self);
/* The card the setup names, with what goes along and what it costs; NULL when none. */
const PtGpuChoice *pt_graphics_panel_get_choice (PtGraphicsPanel *self);
/* The rows of the list, flattened: GtkTreeListRow items holding a PtGraphicsItem. */
GListModel        *pt_graphics_panel_get_rows   (PtGraphicsPanel *self);

G_END_DECLS
