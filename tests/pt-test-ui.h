/* pt-test-ui.h: helpers shared by the UI test programs: the real window on a host tree, widget
 * lookup, waiting on the main loop and on painted frames, and screenshots to look at. */
#pragma once

#include <adwaita.h>

#include "pt-application.h"
#include "pt-panel.h"

G_BEGIN_DECLS

/* A test's wait: TRUE once what it waits for has happened. */
typedef gboolean (*PtTestUiCondition) (gpointer data);

/* Sets up what every UI test program needs (the memory settings backend, the app's schema from
 * the build tree), runs g_test_init() and opens the display. Without a display it prints the
 * TAP plan that skips the whole program and returns FALSE: main() then returns 0. */
gboolean    pt_test_ui_init              (int         *argc,
                                          char      ***argv);

/* The tree a window reads: "/" (this computer) for NULL, @fixture itself when it is an absolute
 * path (a tree the test wrote), else tests/fixtures/@fixture. The caller checks it is there. */
char       *pt_test_ui_host_root         (const char  *fixture);
/* The app on @root with @libvirt_uri (NULL: the GSettings default), registered, its window
 * sized @width × @height through the settings, as when the user left it that way, and
 * activated. Returns that window; *@ret_app holds the app. */
GtkWidget  *pt_test_ui_open_window       (const char     *root,
                                          const char     *libvirt_uri,
                                          gboolean        demo,
                                          int             width,
                                          int             height,
                                          PtApplication **ret_app);
/* Closes every window of @app. */
void        pt_test_ui_destroy_windows   (PtApplication  *app);
/* Condition for a PtWindow: its host scan is in and no other one is running. */
gboolean    pt_test_ui_scan_done         (gpointer        window);

/* Depth-first lookup through every child, hidden ones too; NULL when there is none. */
GtkWidget  *pt_test_ui_find_named        (GtkWidget   *root,
                                          const char  *name);
GtkWidget  *pt_test_ui_find_of_type      (GtkWidget   *root,
                                          GType        type);
/* The subtitle of an AdwActionRow or an AdwExpanderRow. */
const char *pt_test_ui_row_subtitle      (GtkWidget   *row);

/* Runs the main loop until @condition holds; fails the test (saying it waited for @what) when
 * that takes longer than a minute. */
void        pt_test_ui_wait_until        (PtTestUiCondition  condition,
                                          gpointer           data,
                                          const char        *what);
/* Runs the main loop until @window has painted two frames and no stack page is sliding or
 * fading in and no expander row is opening or closing, so that sizes and mapping are final. */
void        pt_test_ui_wait_for_frames   (GtkWidget   *window);
/* Runs the main loop for @ms milliseconds: CSS transitions have no end to wait on. */
void        pt_test_ui_wait_ms           (guint        ms);
/* Scrolls @panel to @where (0 the top, 1 the end) once rows that just appeared have their
 * size, and waits for the frames that show it. */
void        pt_test_ui_scroll_panel      (GtkWidget   *window,
                                          PtPanel     *panel,
                                          double       where);

/* Renders @window as it is now into G_TEST_BUILDDIR/@prefix-@name.png and says where. */
void        pt_test_ui_save_screenshot   (GtkWidget   *window,
                                          const char  *prefix,
                                          const char  *name);

G_END_DECLS
