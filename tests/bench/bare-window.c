/* bare-window.c: the startup yardstick: a bare libadwaita window, a header bar and a label. */

#include <adwaita.h>

static void
after_paint_cb (GdkFrameClock *frame_clock,
                GtkWidget     *window)
{
  g_signal_handlers_disconnect_by_func (frame_clock, after_paint_cb, window);
  g_application_quit (G_APPLICATION (gtk_window_get_application (GTK_WINDOW (window))));
}

/* PT_QUIT_AFTER=first-frame: quit as soon as the first frame is on screen, as the app does. */
static void
realize_cb (GtkWidget *window)
{
  g_signal_connect_object (gtk_widget_get_frame_clock (window), "after-paint",
                           G_CALLBACK (after_paint_cb), window, 0);
}

static void
activate_cb (GtkApplication *app)
{
  GtkWidget *window = adw_application_window_new (app);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *label = gtk_label_new ("Hello");

  gtk_widget_set_vexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), label);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_set_title (GTK_WINDOW (window), "Bare window");
  /* The app's default size: both paint the same number of pixels. */
  gtk_window_set_default_size (GTK_WINDOW (window), 980, 720);

  if (g_strcmp0 (g_getenv ("PT_QUIT_AFTER"), "first-frame") == 0)
    g_signal_connect (window, "realize", G_CALLBACK (realize_cb), NULL);

  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) app = NULL;

  app = adw_application_new ("io.github.passthrough.Passthrough.BareWindow",
                             G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), NULL);

  return g_application_run (G_APPLICATION (app), argc, argv);
}
