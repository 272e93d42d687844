/* pt-panel.c: what every panel has: a title and icon for the sidebar, the host snapshot, and a
 * cancellable that stops the panel's async work when it goes away. */

#include "config.h"

#include "pt-panel.h"

typedef struct
{
  char         *title;
  char         *icon_name;
  char         *libvirt_uri;
  PtHostScan   *scan;
  PtSetup      *setup;
  gulong        setup_changed_id;
  GCancellable *cancellable;
} PtPanelPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (PtPanel, pt_panel, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_TITLE,
  PROP_ICON_NAME,
  PROP_SCAN,
  PROP_LIBVIRT_URI,
  PROP_SETUP,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* GLib 2.74 has no g_set_str(). */
static gboolean
replace_string (char       **location,
                const char  *value)
{
  if (g_strcmp0 (*location, value) == 0)
    return FALSE;

  g_free (*location);
  *location = g_strdup (value);
  return TRUE;
}

static void
setup_changed_cb (PtPanel *self)
{
  if (PT_PANEL_GET_CLASS (self)->setup_changed != NULL)
    PT_PANEL_GET_CLASS (self)->setup_changed (self);
}

static void
pt_panel_dispose (GObject *object)
{
  PtPanel *self = PT_PANEL (object);
  PtPanelPrivate *priv = pt_panel_get_instance_private (self);

  /* Async callbacks check for G_IO_ERROR_CANCELLED before they touch the panel. */
  g_cancellable_cancel (priv->cancellable);
  g_clear_object (&priv->scan);
  if (priv->setup != NULL)
    g_clear_signal_handler (&priv->setup_changed_id, priv->setup);
  g_clear_object (&priv->setup);

  G_OBJECT_CLASS (pt_panel_parent_class)->dispose (object);
}

static void
pt_panel_finalize (GObject *object)
{
  PtPanel *self = PT_PANEL (object);
  PtPanelPrivate *priv = pt_panel_get_instance_private (self);

  g_clear_object (&priv->cancellable);
  g_clear_pointer (&priv->title, g_free);
  g_clear_pointer (&priv->icon_name, g_free);
  g_clear_pointer (&priv->libvirt_uri, g_free);

  G_OBJECT_CLASS (pt_panel_parent_class)->finalize (object);
}

static void
pt_panel_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  PtPanel *self = PT_PANEL (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, pt_panel_get_title (self));
      break;
    case PROP_ICON_NAME:
      g_value_set_string (value, pt_panel_get_icon_name (self));
      break;
    case PROP_SCAN:
      g_value_set_object (value, pt_panel_get_scan (self));
      break;
    case PROP_LIBVIRT_URI:
      g_value_set_string (value, pt_panel_get_libvirt_uri (self));
      break;
    case PROP_SETUP:
      g_value_set_object (value, pt_panel_get_setup (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pt_panel_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  PtPanel *self = PT_PANEL (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      pt_panel_set_title (self, g_value_get_string (value));
      break;
    case PROP_ICON_NAME:
      pt_panel_set_icon_name (self, g_value_get_string (value));
      break;
    case PROP_SCAN:
      pt_panel_set_scan (self, g_value_get_object (value));
      break;
    case PROP_LIBVIRT_URI:
      pt_panel_set_libvirt_uri (self, g_value_get_string (value));
      break;
    case PROP_SETUP:
      pt_panel_set_setup (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pt_panel_class_init (PtPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pt_panel_dispose;
  object_class->finalize = pt_panel_finalize;
  object_class->get_property = pt_panel_get_property;
  object_class->set_property = pt_panel_set_property;

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ICON_NAME] =
    g_param_spec_string ("icon-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SCAN] =
    g_param_spec_object ("scan", NULL, NULL, PT_TYPE_HOST_SCAN,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LIBVIRT_URI] =
    g_param_spec_string ("libvirt-uri", NULL, NULL, "qemu:///system",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_SETUP] =
    g_param_spec_object ("setup", NULL, NULL, PT_TYPE_SETUP,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pt_panel_init (PtPanel *self)
{
  PtPanelPrivate *priv = pt_panel_get_instance_private (self);

  priv->cancellable = g_cancellable_new ();
  priv->libvirt_uri = g_strdup ("qemu:///system");
}

const char *
pt_panel_get_title (PtPanel *self)
{
  PtPanelPrivate *priv = pt_panel_get_instance_private (self);

  g_return_val_if_fail (PT_IS_PANEL (self), NULL);

  return priv->title;
}

void
pt_panel_set_title (PtPanel    *self,
                    const char *title)
{
  PtPanelPrivate *priv = pt_panel_get_instance_private (self);

  g_return_if_fail (PT_IS_PANEL (self));

  if (replace_string (&priv->title, title))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

const char *
pt_panel_get_icon_name (PtPanel *self)
{
  PtPanelPrivate *priv = pt_panel_get_instance_private (self);

  g_return_val_if_fail (PT_IS_PANEL (self), NULL);

  return priv->icon_name;
}

void
pt_panel_set_icon_name (PtPanel    *self,
                        const char *icon_name)
{
  PtPanelPrivate *priv = pt_panel_get_instance_private (self);

  g_return_if_fail (PT_IS_PANEL (self));

  if (replace_string (&priv->icon_name, icon_name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ICON_NAME]);
}

PtHostScan *
pt_panel_get_scan (PtPanel *self)
{
  PtPanelPrivate *priv = pt_panel_get_instance_private (self);

  g_return_val_if_fail (PT_IS_PANEL (self), NULL);

  return priv->scan;
}

void
pt_panel_set_scan (PtPanel    *self,
                   PtHostScan *scan)
{
  PtPanelPrivate *priv = pt_panel_get_instance_private (self);

  g_return_if_fail (PT_IS_PANEL (self));

  pt_panel_set_host (self, scan, priv->libvirt_uri);
}

const char *
pt_panel_get_libvirt_uri (PtPanel *self)
{
  PtPanelPrivate *priv = pt_panel_get_instance_private (self);

  g_return_val_if_fail (PT_IS_PANEL (self), NULL);

  return priv->libvirt_uri;
}

void
pt_panel_set_libvirt_uri (PtPanel    *self,
                          const char *libvirt_uri)
{
  PtPanelPrivate *priv = pt_panel_get_instance_private (self);

  g_return_if_fail (PT_IS_PANEL (self));
  g_return_if_fail (libvirt_uri != NULL);

  pt_panel_set_host (self, priv->scan, libvirt_uri);
}

void
pt_panel_set_host (PtPanel    *self,
                   PtHostScan *scan,
                   const char *libvirt_uri)
{
  PtPanelPrivate *priv = pt_panel_get_instance_private (self);
  PtPanelClass *klass;
  gboolean scan_changed;
  gboolean uri_changed;

  g_return_if_fail (PT_IS_PANEL (self));
  g_return_if_fail (scan == NULL || PT_IS_HOST_SCAN (scan));
  g_return_if_fail (libvirt_uri != NULL);

  klass = PT_PANEL_GET_CLASS (self);
  uri_changed = replace_string (&priv->libvirt_uri, libvirt_uri);
  scan_changed = g_set_object (&priv->scan, scan);

  /* Both notifications after the panel has caught up, even if it sets something itself. */
  g_object_freeze_notify (G_OBJECT (self));

  /* A panel redoes all it knows for a new snapshot, its libvirt questions included, so a new
   * URI that comes with it needs no second round. */
  if (scan_changed && klass->scan_changed != NULL)
    klass->scan_changed (self);
  else if (uri_changed && klass->libvirt_uri_changed != NULL)
    klass->libvirt_uri_changed (self);

  if (scan_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCAN]);
  if (uri_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIBVIRT_URI]);
  g_object_thaw_notify (G_OBJECT (self));
}

GCancellable *
pt_panel_get_cancellable (PtPanel *self)
{
  PtPanelPrivate *priv = pt_panel_get_instance_private (self);

  g_return_val_if_fail (PT_IS_PANEL (self), NULL);

  return priv->cancellable;
}

PtSetup *
pt_panel_get_setup (PtPanel *self)
{
  PtPanelPrivate *priv;

  g_return_val_if_fail (PT_IS_PANEL (self), NULL);

  priv = pt_panel_get_instance_private (self);
  return priv->setup;
}

void
pt_panel_set_setup (PtPanel *self,
                    PtSetup *setup)
{
  PtPanelPrivate *priv;

  g_return_if_fail (PT_IS_PANEL (self));
  g_return_if_fail (setup == NULL || PT_IS_SETUP (setup));

  priv = pt_panel_get_instance_private (self);
  if (priv->setup == setup)
    return;

  if (priv->setup != NULL)
    g_clear_signal_handler (&priv->setup_changed_id, priv->setup);
  g_set_object (&priv->setup, setup);
  /* Connected here once, so that no panel has to follow the setup object by itself. */
  if (setup != NULL)
    priv->setup_changed_id = g_signal_connect_object (setup, "changed",
                                                      G_CALLBACK (setup_changed_cb), self,
                                                      G_CONNECT_SWAPPED);
  setup_changed_cb (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SETUP]);
}
