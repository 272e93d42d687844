/* pt-devices-style.c: loads pt-devices.css for the Memory, Input and Storage panels. */

#include "config.h"

#include "pt-devices-style.h"
#include "pt-resources.h"

void
pt_devices_style_ensure (void)
{
  GdkDisplay *display = gdk_display_get_default ();
  g_autoptr(GtkCssProvider) provider = NULL;

  /* No display: nothing is drawn, so nothing needs styling. */
  if (display == NULL || g_object_get_data (G_OBJECT (display), "pt-devices-css") != NULL)
    return;

  /* Naming the bundle pulls it out of the static library; its constructor registers it. */
  g_assert (pt_get_resource () != NULL);
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider,
                                       "/io/github/passthrough/Passthrough/pt-devices.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_object_set_data_full (G_OBJECT (display), "pt-devices-css", g_steal_pointer (&provider),
                          g_object_unref);
}
