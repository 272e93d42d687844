/* pt-processor-panel.h: the Processor panel: how many vCPUs, on which cores, and why. */
#pragma once

#include "pt-cpu-grid.h"
#include "pt-panel.h"

G_BEGIN_DECLS

#define PT_TYPE_PROCESSOR_PANEL (pt_processor_panel_get_type ())
G_DECLARE_FINAL_TYPE (PtProcessorPanel, pt_processor_panel, PT, PROCESSOR_PANEL, PtPanel)

GtkWidget *pt_processor_panel_new      (void);
/* The plan on screen: the planner's, or the user's own picks; NULL before a scan. */
PtCpuPlan *pt_processor_panel_get_plan (PtProcessorPanel *self);
PtCpuGrid *pt_processor_panel_get_grid (PtProcessorPanel *self);

G_END_DECLS
