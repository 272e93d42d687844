/* pt-window.h: the main window: scans the host, then shows the panels in a sidebar. */
#pragma once

#include <adwaita.h>

#include "pt-application.h"
#include "pt-host-scan.h"
#include "pt-panel.h"

G_BEGIN_DECLS

#define PT_TYPE_WINDOW (pt_window_get_type ())
G_DECLARE_FINAL_TYPE (PtWindow, pt_window, PT, WINDOW, AdwApplicationWindow)

/* Starts scanning the application's host right away. */
PtWindow   *pt_window_new          (PtApplication *application);
/* The latest snapshot, NULL until the first scan finished. */
PtHostScan *pt_window_get_scan     (PtWindow      *self);
/* The panel named @name ("overview"), NULL when there is none. */
PtPanel    *pt_window_get_panel    (PtWindow      *self,
                                    const char    *name);
/* Whether a scan is running. */
gboolean    pt_window_get_scanning (PtWindow      *self);

G_END_DECLS
