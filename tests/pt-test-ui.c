/* pt-test-ui.c: helpers shared by the UI test programs (see pt-test-ui.h). */

#include "config.h"

#include "pt-test-ui.h"

#include "pt-test-utils.h"
#include "pt-window.h"

/* Generous: libvirt's test driver answers at once, a real host scan takes a second or two. */
#define WAIT_SECONDS 60

gboolean
pt_test_ui_init (int    *argc,
                 char ***argv)
{
  g_autofree char *schema_dir = NULL;

  g_setenv ("GSETTINGS_BACKEND", "memory", FALSE);
  /* The app's schema, compiled into the build tree's data folder. */
  if (g_getenv ("G_TEST_BUILDDIR") != NULL)
    {
      schema_dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "..", "data", NULL);
      g_setenv ("GSETTINGS_SCHEMA_DIR", schema_dir, FALSE);
    }

  g_test_init (argc, argv, NULL);

  if (!gtk_init_check ())
    {
      g_print ("1..0 # SKIP no display\n");
      return FALSE;
    }
  return TRUE;
}

char *
pt_test_ui_host_root (const char *fixture)
{
  if (fixture == NULL)
    return g_strdup ("/");
  if (g_path_is_absolute (fixture))
    return g_strdup (fixture);
  return pt_test_fixture_path (fixture);
}

GtkWidget *
pt_test_ui_open_window (const char     *root,
                        const char     *libvirt_uri,
                        gboolean        demo,
                        int             width,
                        int             height,
                        PtApplication **ret_app)
{
  g_autoptr(PtApplication) app = pt_application_new (root, libvirt_uri, demo);
  g_autoptr(GError) error = NULL;
  GSettings *settings;
  GtkWidget *window;

  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  settings = pt_application_get_settings (app);
  g_assert_nonnull (settings);
  g_settings_set_int (settings, "window-width", width);
  g_settings_set_int (settings, "window-height", height);
  /* The memory backend outlives each app: a window left maximized would ignore the size. */
  g_settings_set_boolean (settings, "window-maximized", FALSE);

  g_application_activate (G_APPLICATION (app));
  g_assert_nonnull (gtk_application_get_windows (GTK_APPLICATION (app)));
  window = gtk_application_get_windows (GTK_APPLICATION (app))->data;
  g_assert_true (PT_IS_WINDOW (window));

  *ret_app = g_steal_pointer (&app);
  return window;
}

void
pt_test_ui_destroy_windows (PtApplication *app)
{
  GList *windows;

  while ((windows = gtk_application_get_windows (GTK_APPLICATION (app))) != NULL)
    gtk_window_destroy (windows->data);
}

gboolean
pt_test_ui_scan_done (gpointer window)
{
  return !pt_window_get_scanning (window) && pt_window_get_scan (window) != NULL;
}

GtkWidget *
pt_test_ui_find_named (GtkWidget  *root,
                       const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = pt_test_ui_find_named (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

GtkWidget *
pt_test_ui_find_of_type (GtkWidget *root,
                         GType      type)
{
  if (g_type_is_a (G_OBJECT_TYPE (root), type))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = pt_test_ui_find_of_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

const char *
pt_test_ui_row_subtitle (GtkWidget *row)
{
  if (ADW_IS_EXPANDER_ROW (row))
    return adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row));
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
}

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

void
pt_test_ui_wait_until (PtTestUiCondition  condition,
                       gpointer           data,
                       const char        *what)
{
  gboolean timed_out = FALSE;
  guint timeout_id = g_timeout_add_seconds (WAIT_SECONDS, timeout_cb, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (timed_out)
    {
      g_test_message ("Timed out after %d s waiting for %s", WAIT_SECONDS, what);
      g_test_fail ();
      return;
    }
  g_source_remove (timeout_id);
}

void
pt_test_ui_wait_ms (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* A page of a GtkStack on its way in, or an expander row's revealer still moving: what is on
 * screen is not yet what the test means to look at. */
static gboolean
any_transition_running (GtkWidget *root)
{
  if (GTK_IS_STACK (root) && gtk_stack_get_transition_running (GTK_STACK (root)))
    return TRUE;
  if (ADW_IS_EXPANDER_ROW (root))
    {
      GtkWidget *revealer = pt_test_ui_find_of_type (root, GTK_TYPE_REVEALER);

      if (revealer != NULL
          && gtk_revealer_get_reveal_child (GTK_REVEALER (revealer))
             != gtk_revealer_get_child_revealed (GTK_REVEALER (revealer)))
        return TRUE;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (any_transition_running (child))
      return TRUE;
  return FALSE;
}

typedef struct {
  GtkWidget *window;
  guint      painted;
} FrameWait;

static gboolean
frames_settled (gpointer data)
{
  FrameWait *wait = data;

  return wait->painted >= 2 && !any_transition_running (wait->window);
}

static void
count_paint_cb (GdkFrameClock *clock,
                FrameWait     *wait)
{
  wait->painted++;
}

void
pt_test_ui_wait_for_frames (GtkWidget *window)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);
  FrameWait wait = { window, 0 };
  gulong id;

  g_assert_nonnull (clock);
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (count_paint_cb), &wait);
  gtk_widget_queue_draw (window);
  gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_PAINT);
  pt_test_ui_wait_until (frames_settled, &wait, "painted frames without transitions");
  g_signal_handler_disconnect (clock, id);
}

void
pt_test_ui_scroll_panel (GtkWidget *window,
                         PtPanel   *panel,
                         double     where)
{
  GtkWidget *scrolled = pt_test_ui_find_of_type (GTK_WIDGET (panel), GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment;

  g_assert_nonnull (scrolled);
  /* Rows that just appeared have their size only after a layout. */
  pt_test_ui_wait_for_frames (window);
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  gtk_adjustment_set_value (adjustment,
                            where * (gtk_adjustment_get_upper (adjustment)
                                     - gtk_adjustment_get_page_size (adjustment)));
  pt_test_ui_wait_for_frames (window);
}

void
pt_test_ui_save_screenshot (GtkWidget  *window,
                            const char *prefix,
                            const char *name)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (window);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file_name = g_strdup_printf ("%s-%s.png", prefix, name);
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, file_name, NULL);
  int width = gtk_widget_get_width (window);
  int height = gtk_widget_get_height (window);

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Screenshot: %s (%d×%d)", path, width, height);
}
