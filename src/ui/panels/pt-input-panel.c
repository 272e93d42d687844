/* pt-input-panel.c: lists the host's keyboards and mice from /dev/input/by-id, lets the user tick
 * the ones for the virtual machine, explains the key pair that switches them, and finds a device
 * by a key press where this user may read the devices. */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pt-devices-domain.h"
#include "pt-devices-style.h"
#include "pt-input-panel.h"
#include "pt-key-finder.h"
#include "pt-resources.h"

/* Long enough to reach for a keyboard under the desk. */
#define FIND_TIMEOUT_MS 15000

typedef struct {
  GtkWidget           *row;     /* owned by its group */
  GtkCheckButton      *check;
  GtkWidget           *tag;     /* "Key pressed", hidden until then */
  AdwPreferencesGroup *group;
  char                *path;
  PtInputKind          kind;
} InputRow;

struct _PtInputPanel
{
  PtPanel              parent_instance;

  /* template children */
  AdwActionRow        *find_row;
  GtkStack            *find_icon_stack;
  GtkSpinner          *find_spinner;
  GtkButton           *find_button;
  AdwPreferencesGroup *keyboards_group;
  AdwPreferencesGroup *mice_group;
  AdwPreferencesGroup *others_group;
  GtkSwitch           *input_linux_switch;

  GPtrArray           *rows;          /* InputRow* */
  GPtrArray           *placeholders;  /* GtkWidget*, each in its group */
  GCancellable        *find_cancellable;
  char                *found_path;
  char                *cannot_find;   /* why "Press a key" is off; NULL when it is on */
  gboolean             syncing;
};

G_DEFINE_FINAL_TYPE (PtInputPanel, pt_input_panel, PT_TYPE_PANEL)

static void
input_row_free (InputRow *row)
{
  g_free (row->path);
  g_free (row);
}

static const char *
default_find_subtitle (PtInputPanel *self)
{
  if (self->cannot_find != NULL)
    return self->cannot_find;
  return _("Press a key on a keyboard, or a mouse button, and Passthrough points it out.");
}

static void
clear_rows (PtInputPanel *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      InputRow *row = g_ptr_array_index (self->rows, i);

      adw_preferences_group_remove (row->group, row->row);
    }
  g_ptr_array_set_size (self->rows, 0);

  for (guint i = 0; i < self->placeholders->len; i++)
    {
      GtkWidget *placeholder = g_ptr_array_index (self->placeholders, i);

      adw_preferences_group_remove (ADW_PREFERENCES_GROUP (g_object_get_data (
                                      G_OBJECT (placeholder), "group")),
                                    placeholder);
    }
  g_ptr_array_set_size (self->placeholders, 0);
}

/* Writes the ticked devices into the setup, in the order of the list. */
static void
write_setup (PtInputPanel *self)
{
  PtSetup *setup = pt_panel_get_setup (PT_PANEL (self));
  g_autoptr(GPtrArray) inputs = g_ptr_array_new_with_free_func (g_free);
  gboolean old_way = gtk_switch_get_active (self->input_linux_switch);

  if (self->syncing || setup == NULL)
    return;

  for (guint i = 0; i < self->rows->len; i++)
    {
      InputRow *row = g_ptr_array_index (self->rows, i);

      if (gtk_check_button_get_active (row->check))
        g_ptr_array_add (inputs, old_way ? g_strconcat (PT_INPUT_LINUX_PREFIX, row->path, NULL)
                                         : g_strdup (row->path));
    }
  g_ptr_array_add (inputs, NULL);
  pt_setup_set_inputs (setup, (const char * const *) inputs->pdata);
}

static void
check_toggled_cb (GtkCheckButton *check,
                  PtInputPanel   *self)
{
  write_setup (self);
}

static void
input_linux_toggled_cb (PtInputPanel *self)
{
  write_setup (self);
}

static GtkWidget *
create_row (PtInputPanel        *self,
            const PtInputDevice *device,
            InputRow            *input_row)
{
  g_autofree char *file = g_path_get_basename (device->path);
  g_autofree char *name = g_strdup_printf ("input-%s", file);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();
  GtkWidget *tag = gtk_label_new (_("Key pressed"));
  const char *title = device->name != NULL && device->name[0] != '\0' ? device->name : file;

  gtk_widget_set_name (row, name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  /* Two devices often share a name; the by-id file tells them apart. */
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), file);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 1);
  gtk_widget_set_tooltip_text (row, device->path);

  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (check),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, device->path,
                                  -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);

  gtk_widget_set_valign (tag, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (tag, "device-tag");
  gtk_widget_set_visible (tag, FALSE);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), tag);

  input_row->row = row;
  input_row->check = GTK_CHECK_BUTTON (check);
  input_row->tag = tag;
  input_row->path = g_strdup (device->path);
  input_row->kind = device->kind;
  g_signal_connect (check, "toggled", G_CALLBACK (check_toggled_cb), self);
  return row;
}

static void
add_placeholder (PtInputPanel        *self,
                 AdwPreferencesGroup *group,
                 const char          *name,
                 const char          *title,
                 const char          *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  gtk_widget_set_name (row, name);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_add_css_class (row, "dim-label");
  g_object_set_data (G_OBJECT (row), "group", group);
  adw_preferences_group_add (group, row);
  g_ptr_array_add (self->placeholders, row);
}

/* Ticks what the setup names; the switch follows the way the entries are spelt. */
static void
read_setup (PtInputPanel *self)
{
  PtSetup *setup = pt_panel_get_setup (PT_PANEL (self));
  const char * const *inputs;
  gboolean old_way = FALSE;
  gboolean keyboard = FALSE;
  gboolean mouse = FALSE;

  if (setup == NULL)
    return;

  inputs = pt_setup_get_inputs (setup);
  self->syncing = TRUE;
  for (guint i = 0; i < self->rows->len; i++)
    {
      InputRow *row = g_ptr_array_index (self->rows, i);
      gboolean chosen = FALSE;

      for (guint j = 0; inputs != NULL && inputs[j] != NULL; j++)
        {
          g_autofree char *path = NULL;
          gboolean input_linux = FALSE;

          if (pt_input_choice_parse (inputs[j], &path, &input_linux, NULL)
              && g_str_equal (path, row->path))
            {
              chosen = TRUE;
              old_way |= input_linux;
            }
        }
      gtk_check_button_set_active (row->check, chosen);
      keyboard |= chosen && row->kind == PT_INPUT_KIND_KEYBOARD;
      mouse |= chosen && row->kind == PT_INPUT_KIND_MOUSE;
    }
  gtk_switch_set_active (self->input_linux_switch, old_way);
  self->syncing = FALSE;

  /* The key pair lives on a keyboard: without one the mouse cannot come back. */
  if (mouse && !keyboard)
    {
      adw_preferences_group_set_description (self->mice_group,
                                             _("Tick a keyboard too: without one, nothing can "
                                               "switch the mouse back to this computer until the "
                                               "virtual machine stops."));
      gtk_widget_add_css_class (GTK_WIDGET (self->mice_group), "mouse-without-keyboard");
    }
  else
    {
      adw_preferences_group_set_description (self->mice_group,
                                             _("A mouse follows the keyboard when you switch."));
      gtk_widget_remove_css_class (GTK_WIDGET (self->mice_group), "mouse-without-keyboard");
    }
}

static void
show_found (PtInputPanel *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      InputRow *row = g_ptr_array_index (self->rows, i);
      gboolean found = g_strcmp0 (row->path, self->found_path) == 0;

      gtk_widget_set_visible (row->tag, found);
      if (found)
        {
          gtk_widget_add_css_class (row->row, "found-device");
          gtk_widget_grab_focus (GTK_WIDGET (row->check));
        }
      else
        gtk_widget_remove_css_class (row->row, "found-device");
    }
}

static void
set_finding (PtInputPanel *self,
             gboolean      finding)
{
  gtk_stack_set_visible_child_name (self->find_icon_stack, finding ? "spinner" : "icon");
  gtk_spinner_set_spinning (self->find_spinner, finding);
  gtk_button_set_label (self->find_button, finding ? _("_Cancel") : _("_Press a Key…"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->find_button), self->cannot_find == NULL);
  if (finding)
    adw_action_row_set_subtitle (self->find_row,
                                 _("Press a key on the keyboard, or a button of the mouse, you "
                                   "want to find…"));
}

static const InputRow *
find_row_by_path (PtInputPanel *self,
                  const char   *path)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      InputRow *row = g_ptr_array_index (self->rows, i);

      if (g_strcmp0 (row->path, path) == 0)
        return row;
    }
  return NULL;
}

static void
find_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(PtInputPanel) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = pt_key_finder_run_finish (result, &error);
  g_autofree char *message = NULL;
  const InputRow *row;

  /* The panel went away, or the user cancelled: nothing more to say. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (!g_cancellable_is_cancelled (pt_panel_get_cancellable (PT_PANEL (self))))
        {
          g_clear_object (&self->find_cancellable);
          set_finding (self, FALSE);
          adw_action_row_set_subtitle (self->find_row, default_find_subtitle (self));
        }
      return;
    }

  g_clear_object (&self->find_cancellable);
  set_finding (self, FALSE);

  if (path == NULL)
    {
      if (g_error_matches (error, PT_KEY_FINDER_ERROR, PT_KEY_FINDER_ERROR_TIMED_OUT))
        message = g_strdup (_("No key was pressed. Try again, and press a key within 15 "
                              "seconds."));
      else
        message = g_strdup_printf (_("The devices could not be read: %s"), error->message);
      adw_action_row_set_subtitle (self->find_row, message);
      return;
    }

  g_free (self->found_path);
  self->found_path = g_steal_pointer (&path);
  row = find_row_by_path (self, self->found_path);
  message = g_strdup_printf (_("That was “%s”. It is marked below."),
                             row != NULL ? adw_preferences_row_get_title (ADW_PREFERENCES_ROW (
                                                                            row->row))
                                         : self->found_path);
  adw_action_row_set_subtitle (self->find_row, message);
  show_found (self);
}

static void
find_clicked_cb (PtInputPanel *self)
{
  PtHostScan *scan = pt_panel_get_scan (PT_PANEL (self));
  g_autoptr(GPtrArray) paths = g_ptr_array_new ();

  if (self->find_cancellable != NULL)
    {
      g_cancellable_cancel (self->find_cancellable);
      return;
    }
  if (scan == NULL || self->cannot_find != NULL)
    return;

  for (guint i = 0; i < self->rows->len; i++)
    g_ptr_array_add (paths, ((InputRow *) g_ptr_array_index (self->rows, i))->path);
  g_ptr_array_add (paths, NULL);

  g_clear_pointer (&self->found_path, g_free);
  show_found (self);

  /* Its own cancellable for the Cancel button, cancelled with the panel's too. */
  self->find_cancellable = g_cancellable_new ();
  g_signal_connect_object (pt_panel_get_cancellable (PT_PANEL (self)), "cancelled",
                           G_CALLBACK (g_cancellable_cancel), self->find_cancellable,
                           G_CONNECT_SWAPPED);
  set_finding (self, TRUE);
  pt_key_finder_run_async (pt_host_scan_get_sysroot (scan), (const char * const *) paths->pdata,
                           FIND_TIMEOUT_MS, self->find_cancellable, find_done_cb,
                           g_object_ref (self));
}

/* "Press a key" only where there are devices this user may read: the running host's. */
static void
check_finding (PtInputPanel *self,
               PtHostScan   *scan)
{
  PtSysroot *sysroot = pt_host_scan_get_sysroot (scan);
  g_autoptr(GPtrArray) paths = g_ptr_array_new ();
  g_autofree char *reason = NULL;

  for (guint i = 0; i < self->rows->len; i++)
    g_ptr_array_add (paths, ((InputRow *) g_ptr_array_index (self->rows, i))->path);
  g_ptr_array_add (paths, NULL);

  g_clear_pointer (&self->cannot_find, g_free);
  if (self->rows->len == 0)
    self->cannot_find = g_strdup (_("There are no keyboards or mice to tell apart."));
  else if (!pt_sysroot_is_host (sysroot))
    self->cannot_find = g_strdup (_("Only on the computer Passthrough runs on: this one is "
                                    "read from a copy, whose devices cannot be pressed."));
  else if (!pt_key_finder_can_read (sysroot, (const char * const *) paths->pdata, &reason))
    self->cannot_find = g_steal_pointer (&reason);

  gtk_widget_set_sensitive (GTK_WIDGET (self->find_button), self->cannot_find == NULL);
  adw_action_row_set_subtitle (self->find_row, default_find_subtitle (self));
}

static void
pt_input_panel_scan_changed (PtPanel *panel)
{
  PtInputPanel *self = PT_INPUT_PANEL (panel);
  PtHostScan *scan = pt_panel_get_scan (panel);
  GPtrArray *inputs;
  guint keyboards = 0;
  guint mice = 0;
  guint others = 0;

  if (scan == NULL)
    return;

  if (self->find_cancellable != NULL)
    g_cancellable_cancel (self->find_cancellable);
  clear_rows (self);
  g_clear_pointer (&self->found_path, g_free);

  inputs = pt_host_scan_get_input (scan);
  for (guint i = 0; i < inputs->len; i++)
    {
      const PtInputDevice *device = g_ptr_array_index (inputs, i);
      InputRow *row = g_new0 (InputRow, 1);

      switch (device->kind)
        {
        case PT_INPUT_KIND_KEYBOARD:
          row->group = self->keyboards_group;
          keyboards++;
          break;
        case PT_INPUT_KIND_MOUSE:
          row->group = self->mice_group;
          mice++;
          break;
        case PT_INPUT_KIND_OTHER:
        default:
          row->group = self->others_group;
          others++;
          break;
        }
      adw_preferences_group_add (row->group, create_row (self, device, row));
      g_ptr_array_add (self->rows, row);
    }

  if (keyboards == 0)
    add_placeholder (self, self->keyboards_group, "keyboards-none", _("No USB keyboards"),
                     _("Built-in keyboards of laptops have no entry in /dev/input/by-id; plug in "
                       "a USB keyboard for the virtual machine."));
  if (mice == 0)
    add_placeholder (self, self->mice_group, "mice-none", _("No USB mice"),
                     _("Touchpads of laptops have no entry in /dev/input/by-id; plug in a USB "
                       "mouse for the virtual machine."));
  gtk_widget_set_visible (GTK_WIDGET (self->others_group), others > 0);

  check_finding (self, scan);
  read_setup (self);
}

static void
pt_input_panel_setup_changed (PtPanel *panel)
{
  read_setup (PT_INPUT_PANEL (panel));
}

static void
pt_input_panel_dispose (GObject *object)
{
  PtInputPanel *self = PT_INPUT_PANEL (object);

  if (self->find_cancellable != NULL)
    g_cancellable_cancel (self->find_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (object), PT_TYPE_INPUT_PANEL);

  G_OBJECT_CLASS (pt_input_panel_parent_class)->dispose (object);
}

static void
pt_input_panel_finalize (GObject *object)
{
  PtInputPanel *self = PT_INPUT_PANEL (object);

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->placeholders, g_ptr_array_unref);
  g_clear_object (&self->find_cancellable);
  g_clear_pointer (&self->found_path, g_free);
  g_clear_pointer (&self->cannot_find, g_free);

  G_OBJECT_CLASS (pt_input_panel_parent_class)->finalize (object);
}

static void
pt_input_panel_class_init (PtInputPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  PtPanelClass *panel_class = PT_PANEL_CLASS (klass);

  object_class->dispose = pt_input_panel_dispose;
  object_class->finalize = pt_input_panel_finalize;
  panel_class->scan_changed = pt_input_panel_scan_changed;
  panel_class->setup_changed = pt_input_panel_setup_changed;

  /* Naming the bundle pulls it out of the static library; its constructor registers it. */
  g_assert (pt_get_resource () != NULL);
  pt_devices_style_ensure ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/passthrough/Passthrough/ui/"
                                               "pt-input-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, PtInputPanel, find_row);
  gtk_widget_class_bind_template_child (widget_class, PtInputPanel, find_icon_stack);
  gtk_widget_class_bind_template_child (widget_class, PtInputPanel, find_spinner);
  gtk_widget_class_bind_template_child (widget_class, PtInputPanel, find_button);
  gtk_widget_class_bind_template_child (widget_class, PtInputPanel, keyboards_group);
  gtk_widget_class_bind_template_child (widget_class, PtInputPanel, mice_group);
  gtk_widget_class_bind_template_child (widget_class, PtInputPanel, others_group);
  gtk_widget_class_bind_template_child (widget_class, PtInputPanel, input_linux_switch);
  gtk_widget_class_bind_template_callback (widget_class, find_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, input_linux_toggled_cb);
}

static void
pt_input_panel_init (PtInputPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) input_row_free);
  self->placeholders = g_ptr_array_new ();

  pt_panel_set_title (PT_PANEL (self), _("Input"));
  pt_panel_set_icon_name (PT_PANEL (self), "input-keyboard-symbolic");
  adw_action_row_set_subtitle (self->find_row, default_find_subtitle (self));
}

GtkWidget *
pt_input_panel_new (void)
{
  return g_object_new (PT_TYPE_INPUT_PANEL, NULL);
}

const char *
pt_input_panel_get_found_path (PtInputPanel *self)
{
  g_return_val_if_fail (PT_IS_INPUT_PANEL (self), NULL);

  return self->found_path;
}

gboolean
pt_input_panel_can_find (PtInputPanel  *self,
                         const char   **ret_reason)
{
  g_return_val_if_fail (PT_IS_INPUT_PANEL (self), FALSE);

  if (ret_reason != NULL)
    *ret_reason = self->cannot_find;
  return self->cannot_find == NULL;
}
