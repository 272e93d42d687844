/* pt-input-panel.h: the Input panel: keyboards and mice for the virtual machine, through evdev. */
#pragma once

#include "pt-panel.h"

G_BEGIN_DECLS

#define PT_TYPE_INPUT_PANEL (pt_input_panel_get_type ())
G_DECLARE_FINAL_TYPE (PtInputPanel, pt_input_panel, PT, INPUT_PANEL, PtPanel)

GtkWidget  *pt_input_panel_new            (void);
/* The by-id path of the device a key was last pressed on, NULL when none. */
const char *pt_input_panel_get_found_path (PtInputPanel *self);
/* Whether "Press a key" can read the devices here; @ret_reason says why not. */
gboolean    pt_input_panel_can_find       (PtInputPanel *self,
                                           const char  **ret_reason);

G_END_DECLS
