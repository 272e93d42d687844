/* pt-devices-style.h: the few looks the Memory, Input and Storage panels share. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Adds pt-devices.css to the default display, once. */
void pt_devices_style_ensure (void);

G_END_DECLS
