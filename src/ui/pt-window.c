/* pt-window.c: the main window: runs the host scan, hands the snapshot to the panels, and keeps
 * the user informed while it runs or when it fails. */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pt-graphics-panel.h"
#include "pt-input-panel.h"
#include "pt-memory-panel.h"
#include "pt-overview-panel.h"
#include "pt-processor-panel.h"
#include "pt-resources.h"
#include "pt-storage-panel.h"
#include "pt-vm-panel.h"
#include "pt-window.h"

/* PT_QUIT_AFTER lets a benchmark time the start-up without a person closing the window. */
typedef enum {
  QUIT_AFTER_NEVER,
  QUIT_AFTER_FIRST_FRAME,   /* the window's first painted frame */
  QUIT_AFTER_READY,         /* the first frame painted with the Overview's checks filled in */
} QuitAfter;

struct _PtWindow
{
  AdwApplicationWindow  parent_instance;

  /* template children */
  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  AdwStatusPage        *error_page;
  AdwLeaflet           *leaflet;
  AdwWindowTitle       *sidebar_title;
  GtkListBox           *sidebar_list;
  GtkWidget            *content_box;
  AdwWindowTitle       *content_title;
  GtkRevealer          *demo_banner;
  GtkStack             *panel_stack;

  GCancellable         *cancellable;
  PtHostScan           *scan;
  PtSetup              *setup;     /* the user's choices, shared by every panel */
  gboolean              scanning;

  QuitAfter             quit_after;
  gboolean              quit_armed;
  gulong                after_paint_id;
};

G_DEFINE_FINAL_TYPE (PtWindow, pt_window, ADW_TYPE_APPLICATION_WINDOW)

/* The sidebar, in order. A panel is made the first time it is shown or asked for, so that
 * starting the app costs one panel, not all of them (as in gnome-control-center). */
typedef struct {
  const char *name;
  const char *title;
  const char *icon_name;
  GType     (*get_type) (void);
} PanelInfo;

static const PanelInfo panel_infos[] = {
  { "overview", N_("Overview"), "computer-symbolic", pt_overview_panel_get_type },
  { "graphics", N_("Graphics"), "video-display-symbolic", pt_graphics_panel_get_type },
  { "processor", N_("Processor"), "pt-processor-symbolic", pt_processor_panel_get_type },
  { "memory", N_("Memory"), "application-x-firmware-symbolic", pt_memory_panel_get_type },
  { "input", N_("Input"), "input-keyboard-symbolic", pt_input_panel_get_type },
  { "storage", N_("Storage & USB"), "drive-harddisk-symbolic", pt_storage_panel_get_type },
  { "vm", N_("Virtual Machine"), "pt-vm-symbolic", pt_vm_panel_get_type },
};

static PtPanel *ensure_panel (PtWindow *self, const char *name);

enum {
  PROP_0,
  PROP_SCANNING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static PtApplication *
get_application (PtWindow *self)
{
  return PT_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
}

static void
set_scanning (PtWindow *self,
              gboolean  scanning)
{
  GAction *rescan = g_action_map_lookup_action (G_ACTION_MAP (self), "rescan");

  if (self->scanning == scanning)
    return;

  self->scanning = scanning;
  g_simple_action_set_enabled (G_SIMPLE_ACTION (rescan), !scanning);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCANNING]);
}

static void
after_paint_cb (GdkFrameClock *clock,
                PtWindow      *self)
{
  /* "ready" waits for the crossfade from the loading page to end, so that the last frame
   * shows the filled-in Overview and not a blend of it with the spinner. */
  if (self->quit_after == QUIT_AFTER_FIRST_FRAME
      || (self->quit_after == QUIT_AFTER_READY && self->quit_armed
          && !gtk_stack_get_transition_running (self->main_stack)))
    {
      g_clear_signal_handler (&self->after_paint_id, clock);
      g_application_quit (G_APPLICATION (get_application (self)));
    }
}

/* Quits after the next frame; that frame shows what was just put on screen. */
static void
arm_quit (PtWindow *self)
{
  if (self->quit_after != QUIT_AFTER_READY || self->quit_armed)
    return;

  self->quit_armed = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
overview_ready_cb (PtOverviewPanel *overview,
                   GParamSpec      *pspec,
                   PtWindow        *self)
{
  if (pt_overview_panel_get_ready (overview))
    arm_quit (self);
}

static void
scan_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GWeakRef *window_ref = user_data;
  g_autoptr(PtWindow) self = g_weak_ref_get (window_ref);
  g_autoptr(PtHostScan) scan = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *libvirt_uri = NULL;
  GtkWidget *child;

  g_weak_ref_clear (window_ref);
  g_free (window_ref);

  scan = pt_host_scan_new_finish (result, &error);

  /* The window was closed meanwhile (a destroyed window has left its application). */
  if (self == NULL
      || g_cancellable_is_cancelled (self->cancellable)
      || gtk_window_get_application (GTK_WINDOW (self)) == NULL)
    return;

  set_scanning (self, FALSE);

  if (scan == NULL)
    {
      /* Toast titles and status page descriptions are markup; the error is plain text. */
      g_autofree char *escaped = g_markup_escape_text (error->message, -1);
      g_autofree char *message = NULL;

      if (self->scan != NULL)
        {
          /* Keep showing the last good snapshot; say why it is not newer. */
          message = g_strdup_printf (_("Could not read this computer again: %s"), escaped);
          adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
          return;
        }

      adw_status_page_set_description (self->error_page, escaped);
      gtk_stack_set_visible_child_name (self->main_stack, "error");
      if (self->quit_after == QUIT_AFTER_READY)
        {
          /* The checks never fill in on a failed scan; quit anyway so that a benchmark
           * does not wait forever, and say why. */
          g_message ("PT_QUIT_AFTER=ready: the host scan failed (%s)", error->message);
          arm_quit (self);
        }
      return;
    }

  g_set_object (&self->scan, scan);

  /* Read the URI again on every scan, so that a changed setting takes effect on re-scan; it
   * comes with the snapshot, so that the panels ask that libvirt about it, once. */
  libvirt_uri = pt_application_dup_libvirt_uri (get_application (self));
  for (child = gtk_widget_get_first_child (GTK_WIDGET (self->panel_stack));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    pt_panel_set_host (PT_PANEL (child), scan, libvirt_uri);

  gtk_stack_set_visible_child_name (self->main_stack, "host");
}

static void
start_scan (PtWindow *self)
{
  GWeakRef *window_ref;

  if (self->scanning)
    return;

  set_scanning (self, TRUE);

  /* A re-scan keeps the current view; only the first one has nothing else to show. */
  if (self->scan == NULL)
    gtk_stack_set_visible_child_name (self->main_stack, "loading");

  /* A weak reference: a closed window must go away even while its scan still runs. */
  window_ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (window_ref, self);
  pt_host_scan_new_async (pt_application_get_sysroot (get_application (self)),
                          self->cancellable, scan_done_cb, window_ref);
}

static void
rescan_activated_cb (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  start_scan (PT_WINDOW (user_data));
}

static void
sidebar_row_activated_cb (GtkListBox    *list,
                          GtkListBoxRow *row,
                          PtWindow      *self)
{
  const char *name = gtk_widget_get_name (GTK_WIDGET (row));

  ensure_panel (self, name);
  gtk_stack_set_visible_child_name (self->panel_stack, name);
  adw_leaflet_set_visible_child (self->leaflet, self->content_box);
}

static void
back_clicked_cb (GtkButton *button,
                 PtWindow  *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
panel_changed_cb (PtWindow *self)
{
  GtkWidget *visible = gtk_stack_get_visible_child (self->panel_stack);

  /* Panels name themselves once, when they are made. */
  if (visible != NULL)
    adw_window_title_set_title (self->content_title, pt_panel_get_title (PT_PANEL (visible)));
}

static GtkWidget *
create_sidebar_row (const PanelInfo *info)
{
  GtkWidget *row;
  GtkWidget *box;
  GtkWidget *icon;
  GtkWidget *label;

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  icon = gtk_image_new_from_icon_name (info->icon_name);
  label = gtk_label_new (_(info->title));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);

  row = gtk_list_box_row_new ();
  gtk_widget_set_name (row, info->name);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL,
                                  -1);
  return row;
}

static const PanelInfo *
find_panel_info (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (panel_infos); i++)
    if (g_strcmp0 (panel_infos[i].name, name) == 0)
      return &panel_infos[i];
  return NULL;
}

/* The panel called @name, made now if it was not yet; NULL for an unknown name. */
static PtPanel *
ensure_panel (PtWindow   *self,
              const char *name)
{
  const PanelInfo *info = find_panel_info (name);
  GtkWidget *child = gtk_stack_get_child_by_name (self->panel_stack, name);
  PtPanel *panel;

  if (child != NULL)
    return PT_PANEL (child);
  if (info == NULL)
    return NULL;

  panel = g_object_new (info->get_type (), NULL);
  pt_panel_set_title (panel, _(info->title));
  pt_panel_set_icon_name (panel, info->icon_name);
  pt_panel_set_setup (panel, self->setup);
  if (self->scan != NULL)
    {
      g_autofree char *libvirt_uri = pt_application_dup_libvirt_uri (get_application (self));

      pt_panel_set_host (panel, self->scan, libvirt_uri);
    }
  gtk_stack_add_named (self->panel_stack, GTK_WIDGET (panel), name);
  return panel;
}

static void
restore_window_state (PtWindow *self)
{
  GSettings *settings = pt_application_get_settings (get_application (self));

  if (settings == NULL)
    {
      gtk_window_set_default_size (GTK_WINDOW (self), 980, 720);
      return;
    }

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (settings, "window-width"),
                               g_settings_get_int (settings, "window-height"));
  if (g_settings_get_boolean (settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static gboolean
pt_window_close_request (GtkWindow *window)
{
  PtWindow *self = PT_WINDOW (window);
  GSettings *settings = pt_application_get_settings (get_application (self));
  int width;
  int height;

  if (settings != NULL)
    {
      /* The default size tracks the unmaximized size, which is what to restore. */
      gtk_window_get_default_size (window, &width, &height);
      g_settings_delay (settings);
      g_settings_set_int (settings, "window-width", MAX (width, 360));
      g_settings_set_int (settings, "window-height", MAX (height, 294));
      g_settings_set_boolean (settings, "window-maximized", gtk_window_is_maximized (window));
      g_settings_apply (settings);
    }

  return GTK_WINDOW_CLASS (pt_window_parent_class)->close_request (window);
}

static void
pt_window_map (GtkWidget *widget)
{
  PtWindow *self = PT_WINDOW (widget);

  GTK_WIDGET_CLASS (pt_window_parent_class)->map (widget);

  if (self->quit_after != QUIT_AFTER_NEVER && self->after_paint_id == 0)
    self->after_paint_id = g_signal_connect_object (gtk_widget_get_frame_clock (widget),
                                                    "after-paint",
                                                    G_CALLBACK (after_paint_cb), self,
                                                    G_CONNECT_DEFAULT);
}

/* A new URI from the app: every panel made so far talks to that libvirt now; ensure_panel()
 * and a re-scan hand it over with the snapshot. */
static void
libvirt_uri_changed_cb (PtWindow *self)
{
  g_autofree char *libvirt_uri = NULL;

  /* Until the first scan is in, no panel has the app's URI yet: the scan hands it over with the
   * snapshot. */
  if (self->scan == NULL)
    return;

  libvirt_uri = pt_application_dup_libvirt_uri (get_application (self));
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->panel_stack));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    pt_panel_set_libvirt_uri (PT_PANEL (child), libvirt_uri);
}

/* GtkWindow's "application" is set after construction, so this runs from pt_window_new(). */
static void
setup_for_application (PtWindow *self)
{
  PtApplication *app = get_application (self);

  restore_window_state (self);
  g_signal_connect_object (app, "libvirt-uri-changed", G_CALLBACK (libvirt_uri_changed_cb), self,
                           G_CONNECT_SWAPPED);

  if (pt_application_get_demo (app))
    {
      gtk_revealer_set_reveal_child (self->demo_banner, TRUE);
      adw_window_title_set_subtitle (self->sidebar_title, _("Demo"));
    }

  start_scan (self);
}

static void
pt_window_dispose (GObject *object)
{
  PtWindow *self = PT_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->scan);

  gtk_widget_dispose_template (GTK_WIDGET (self), PT_TYPE_WINDOW);

  G_OBJECT_CLASS (pt_window_parent_class)->dispose (object);
}

static void
pt_window_finalize (GObject *object)
{
  PtWindow *self = PT_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->setup);

  G_OBJECT_CLASS (pt_window_parent_class)->finalize (object);
}

static void
pt_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  PtWindow *self = PT_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SCANNING:
      g_value_set_boolean (value, self->scanning);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pt_window_class_init (PtWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = pt_window_dispose;
  object_class->finalize = pt_window_finalize;
  object_class->get_property = pt_window_get_property;
  widget_class->map = pt_window_map;
  window_class->close_request = pt_window_close_request;

  properties[PROP_SCANNING] =
    g_param_spec_boolean ("scanning", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Naming the bundle pulls it out of the static library; its constructor registers it. */
  g_assert (pt_get_resource () != NULL);
  g_type_ensure (PT_TYPE_OVERVIEW_PANEL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/passthrough/Passthrough/ui/"
                                               "pt-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PtWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PtWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, PtWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, PtWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, PtWindow, sidebar_title);
  gtk_widget_class_bind_template_child (widget_class, PtWindow, sidebar_list);
  gtk_widget_class_bind_template_child (widget_class, PtWindow, content_box);
  gtk_widget_class_bind_template_child (widget_class, PtWindow, content_title);
  gtk_widget_class_bind_template_child (widget_class, PtWindow, demo_banner);
  gtk_widget_class_bind_template_child (widget_class, PtWindow, panel_stack);
  gtk_widget_class_bind_template_callback (widget_class, sidebar_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, panel_changed_cb);
}

static const GActionEntry win_actions[] = {
  { .name = "rescan", .activate = rescan_activated_cb },
};

static void
pt_window_init (PtWindow *self)
{
  const char *quit_after = g_getenv ("PT_QUIT_AFTER");
  PtPanel *overview;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->setup = pt_setup_new ();

  if (g_strcmp0 (quit_after, "first-frame") == 0)
    self->quit_after = QUIT_AFTER_FIRST_FRAME;
  else if (g_strcmp0 (quit_after, "ready") == 0)
    self->quit_after = QUIT_AFTER_READY;

  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions, G_N_ELEMENTS (win_actions),
                                   self);

  for (guint i = 0; i < G_N_ELEMENTS (panel_infos); i++)
    {
      GtkWidget *row = create_sidebar_row (&panel_infos[i]);

      gtk_list_box_append (self->sidebar_list, row);
      if (i == 0)
        gtk_list_box_select_row (self->sidebar_list, GTK_LIST_BOX_ROW (row));
    }
  /* The Overview is the first page and says when the app is ready. */
  overview = ensure_panel (self, "overview");
  g_signal_connect_object (overview, "notify::ready", G_CALLBACK (overview_ready_cb), self,
                           G_CONNECT_DEFAULT);

  /* On a narrow window the content comes first; the back button leads to the panels. */
  adw_leaflet_set_visible_child (self->leaflet, self->content_box);
}

PtWindow *
pt_window_new (PtApplication *application)
{
  PtWindow *self;

  g_return_val_if_fail (PT_IS_APPLICATION (application), NULL);

  self = g_object_new (PT_TYPE_WINDOW, "application", application, NULL);
  setup_for_application (self);
  return self;
}

PtHostScan *
pt_window_get_scan (PtWindow *self)
{
  g_return_val_if_fail (PT_IS_WINDOW (self), NULL);

  return self->scan;
}

PtPanel *
pt_window_get_panel (PtWindow   *self,
                     const char *name)
{
  g_return_val_if_fail (PT_IS_WINDOW (self), NULL);

  return ensure_panel (self, name);
}

gboolean
pt_window_get_scanning (PtWindow *self)
{
  g_return_val_if_fail (PT_IS_WINDOW (self), FALSE);

  return self->scanning;
}
