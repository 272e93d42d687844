/* pt-memory-panel.h: the Memory panel: the virtual machine's RAM, and hugepages to back it. */
#pragma once

#include "pt-memory-plan.h"
#include "pt-panel.h"

G_BEGIN_DECLS

#define PT_TYPE_MEMORY_PANEL (pt_memory_panel_get_type ())
G_DECLARE_FINAL_TYPE (PtMemoryPanel, pt_memory_panel, PT, MEMORY_PANEL, PtPanel)

GtkWidget          *pt_memory_panel_new      (void);
/* The plan on screen; NULL until there is a host and a setup. */
const PtMemoryPlan *pt_memory_panel_get_plan (PtMemoryPanel *self);

G_END_DECLS
