/* pt-application.c: starts the window for the chosen host and owns the app-wide actions. */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pt-application.h"
#include "pt-window.h"

#define DEFAULT_LIBVIRT_URI "qemu:///system"

struct _PtApplication
{
  AdwApplication  parent_instance;

  char           *sysroot;
  char           *libvirt_uri;
  gboolean        demo;
  GSettings      *settings;
};

G_DEFINE_FINAL_TYPE (PtApplication, pt_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_SYSROOT,
  PROP_LIBVIRT_URI,
  PROP_DEMO,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  LIBVIRT_URI_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
pt_application_activate (GApplication *app)
{
  PtApplication *self = PT_APPLICATION (app);
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window == NULL)
    window = GTK_WINDOW (pt_window_new (self));

  gtk_window_present (window);
}

static void
quit_activated_cb (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  PtApplication *self = user_data;
  GList *windows;

  /* Closing the windows (rather than g_application_quit) lets them save their size. */
  while ((windows = gtk_application_get_windows (GTK_APPLICATION (self))) != NULL)
    gtk_window_destroy (windows->data);
}

static void
about_activated_cb (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  PtApplication *self = user_data;
  static const char *developers[] = { "The Passthrough developers", NULL };
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", parent,
                        "modal", TRUE,
                        "application-icon", APP_ID,
                        "application-name", _("Passthrough"),
                        "developer-name", _("The Passthrough developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Give a graphics card to a virtual machine: Passthrough "
                                      "checks this computer, shows what is missing and how to "
                                      "fix it."),
                        "website", "https://github.com/passthrough/Passthrough",
                        "issue-url", "https://github.com/passthrough/Passthrough/issues",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "copyright", "© 2026 The Passthrough developers",
                        "developers", developers,
                        /* TRANSLATORS: your names, one per line, as "Name <email or URL>" */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static const GActionEntry app_actions[] = {
  { .name = "quit", .activate = quit_activated_cb },
  { .name = "about", .activate = about_activated_cb },
};

static void
pt_application_startup (GApplication *app)
{
  PtApplication *self = PT_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *rescan_accels[] = { "<Control>r", "F5", NULL };

  G_APPLICATION_CLASS (pt_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions),
                                   self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.rescan", rescan_accels);
}

static void
settings_libvirt_uri_changed_cb (PtApplication *self)
{
  /* With a URI of its own, the run does not follow the setting. */
  if (self->libvirt_uri == NULL)
    g_signal_emit (self, signals[LIBVIRT_URI_CHANGED], 0);
}

static void
pt_application_constructed (GObject *object)
{
  PtApplication *self = PT_APPLICATION (object);
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  G_OBJECT_CLASS (pt_application_parent_class)->constructed (object);

  /* g_settings_new() aborts without the schema; a build tree that was never installed has
   * none, and the app still works there with the defaults. */
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema != NULL)
    {
      self->settings = g_settings_new_full (schema, NULL, NULL);
      g_signal_connect_object (self->settings, "changed::libvirt-uri",
                               G_CALLBACK (settings_libvirt_uri_changed_cb), self,
                               G_CONNECT_SWAPPED);
    }
}

static void
pt_application_finalize (GObject *object)
{
  PtApplication *self = PT_APPLICATION (object);

  g_clear_pointer (&self->sysroot, g_free);
  g_clear_pointer (&self->libvirt_uri, g_free);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (pt_application_parent_class)->finalize (object);
}

static void
pt_application_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  PtApplication *self = PT_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_SYSROOT:
      g_value_set_string (value, self->sysroot);
      break;
    case PROP_LIBVIRT_URI:
      g_value_set_string (value, self->libvirt_uri);
      break;
    case PROP_DEMO:
      g_value_set_boolean (value, self->demo);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pt_application_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  PtApplication *self = PT_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_SYSROOT:
      g_free (self->sysroot);
      self->sysroot = g_strdup (g_value_get_string (value) != NULL
                                ? g_value_get_string (value) : "/");
      break;
    case PROP_LIBVIRT_URI:
      g_free (self->libvirt_uri);
      self->libvirt_uri = g_value_dup_string (value);
      break;
    case PROP_DEMO:
      self->demo = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pt_application_class_init (PtApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->constructed = pt_application_constructed;
  object_class->finalize = pt_application_finalize;
  object_class->get_property = pt_application_get_property;
  object_class->set_property = pt_application_set_property;

  app_class->activate = pt_application_activate;
  app_class->startup = pt_application_startup;

  properties[PROP_SYSROOT] =
    g_param_spec_string ("sysroot", NULL, NULL, "/",
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LIBVIRT_URI] =
    g_param_spec_string ("libvirt-uri", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DEMO] =
    g_param_spec_boolean ("demo", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The URI in use changed (pt_application_set_libvirt_uri(), or the setting): the windows hand
   * pt_application_dup_libvirt_uri() to their panels. */
  signals[LIBVIRT_URI_CHANGED] =
    g_signal_new ("libvirt-uri-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
pt_application_init (PtApplication *self)
{
}

PtApplication *
pt_application_new (const char *sysroot,
                    const char *libvirt_uri,
                    gboolean    demo)
{
  GApplicationFlags flags = G_APPLICATION_DEFAULT_FLAGS;

  /* A second window on a sample or fixture host is a different host: never merge them. */
  if (demo || (sysroot != NULL && g_strcmp0 (sysroot, "/") != 0))
    flags |= G_APPLICATION_NON_UNIQUE;

  return g_object_new (PT_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", flags,
                       "resource-base-path", "/io/github/passthrough/Passthrough",
                       "sysroot", sysroot != NULL ? sysroot : "/",
                       "libvirt-uri", libvirt_uri,
                       "demo", demo,
                       NULL);
}

const char *
pt_application_get_sysroot (PtApplication *self)
{
  g_return_val_if_fail (PT_IS_APPLICATION (self), NULL);

  return self->sysroot;
}

char *
pt_application_dup_libvirt_uri (PtApplication *self)
{
  g_autofree char *setting = NULL;

  g_return_val_if_fail (PT_IS_APPLICATION (self), NULL);

  if (self->libvirt_uri != NULL)
    return g_strdup (self->libvirt_uri);

  if (self->settings != NULL)
    setting = g_settings_get_string (self->settings, "libvirt-uri");
  if (setting != NULL && setting[0] != '\0')
    return g_steal_pointer (&setting);

  return g_strdup (DEFAULT_LIBVIRT_URI);
}

gboolean
pt_application_get_libvirt_uri_overridden (PtApplication *self)
{
  g_return_val_if_fail (PT_IS_APPLICATION (self), FALSE);

  return self->libvirt_uri != NULL;
}

void
pt_application_set_libvirt_uri (PtApplication *self,
                                const char    *libvirt_uri)
{
  g_autofree char *current = NULL;

  g_return_if_fail (PT_IS_APPLICATION (self));
  g_return_if_fail (libvirt_uri != NULL && libvirt_uri[0] != '\0');

  current = pt_application_dup_libvirt_uri (self);
  if (g_strcmp0 (current, libvirt_uri) == 0)
    return;

  /* --connect and --demo name a libvirt for this run: the saved choice stays as it was. */
  if (self->libvirt_uri != NULL || self->settings == NULL)
    {
      g_free (self->libvirt_uri);
      self->libvirt_uri = g_strdup (libvirt_uri);
      g_signal_emit (self, signals[LIBVIRT_URI_CHANGED], 0);
      return;
    }

  /* "changed::libvirt-uri" emits the signal. */
  g_settings_set_string (self->settings, "libvirt-uri", libvirt_uri);
}

gboolean
pt_application_get_demo (PtApplication *self)
{
  g_return_val_if_fail (PT_IS_APPLICATION (self), FALSE);

  return self->demo;
}

GSettings *
pt_application_get_settings (PtApplication *self)
{
  g_return_val_if_fail (PT_IS_APPLICATION (self), NULL);

  return self->settings;
}
