/* pt-choice-summary.h: the guest GPU choice above the Graphics panel's list. */
#pragma once

#include <adwaita.h>

#include "pt-gpu.h"

G_BEGIN_DECLS

#define PT_TYPE_CHOICE_SUMMARY (pt_choice_summary_get_type ())
G_DECLARE_FINAL_TYPE (PtChoiceSummary, pt_choice_summary, PT, CHOICE_SUMMARY, AdwBin)

GtkWidget *pt_choice_summary_new            (void);
/*
 * Shows the card the setup names (@address, NULL for none), what goes along and its issues
 * (@choice), or why it is not there (@choice NULL, @error). Its clear button activates the
 * "graphics.clear" action.
 */
void       pt_choice_summary_show           (PtChoiceSummary   *self,
                                             const char        *address,
                                             const PtGpuChoice *choice,
                                             const GError      *error);
/* The single-GPU switch ("single-gpu", notifies). */
gboolean   pt_choice_summary_get_single_gpu (PtChoiceSummary   *self);
void       pt_choice_summary_set_single_gpu (PtChoiceSummary   *self,
                                             gboolean           single_gpu);

G_END_DECLS
