/* pt-host-plan-private.h: what the plan builder and the plan's JSON reader share. */
#pragma once

#include "pt-host-plan.h"

G_BEGIN_DECLS

/* A plan with every list empty and no hugepages. */
PtHostPlan *pt_host_plan_new_empty (void);
/* Appends a 0644 file. */
void        pt_host_plan_add_file  (PtHostPlan *plan,
                                    const char *path,
                                    const char *content);

G_END_DECLS
