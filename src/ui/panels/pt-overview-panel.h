/* pt-overview-panel.h: the first panel: what this computer is, and whether it is ready. */
#pragma once

#include "pt-panel.h"

G_BEGIN_DECLS

#define PT_TYPE_OVERVIEW_PANEL (pt_overview_panel_get_type ())
G_DECLARE_FINAL_TYPE (PtOverviewPanel, pt_overview_panel, PT, OVERVIEW_PANEL, PtPanel)

GtkWidget *pt_overview_panel_new        (void);
/* TRUE once the checks of the current snapshot are all on screen. */
gboolean   pt_overview_panel_get_ready  (PtOverviewPanel *self);
/* The PtHostCheck results on screen; empty until the first run finished. */
GPtrArray *pt_overview_panel_get_checks (PtOverviewPanel *self);

G_END_DECLS
