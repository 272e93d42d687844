/* pt-input.c: evdev keyboards, mice and other input devices, by their stable by-id links. */
#include "config.h"

#include "pt-input.h"

#include <string.h>

#define BY_ID_DIR "/dev/input/by-id"

void
pt_input_device_free (PtInputDevice *self)
{
  if (self == NULL)
    return;
  g_free (self->name);
  g_free (self->path);
  g_free (self->event);
  g_free (self);
}

const char *
pt_input_kind_to_string (PtInputKind kind)
{
  switch (kind)
    {
    case PT_INPUT_KIND_KEYBOARD:
      return "keyboard";
    case PT_INPUT_KIND_MOUSE:
      return "mouse";
    case PT_INPUT_KIND_OTHER:
      return "other";
    default:
      g_return_val_if_reached ("other");
    }
}

/* udev names evdev links "...-event-kbd", "...-event-mouse", "...-event-joystick"; the
 * legacy "-mouse"/"-joystick" nodes are not evdev and libvirt cannot grab them. */
static gboolean
kind_from_link_name (const char  *name,
                     PtInputKind *ret_kind)
{
  const char *suffix = g_strrstr (name, "-event-");

  if (suffix == NULL || suffix == name)
    return FALSE;
  suffix += strlen ("-event-");
  if (*suffix == '\0')
    return FALSE;

  if (g_str_equal (suffix, "kbd"))
    *ret_kind = PT_INPUT_KIND_KEYBOARD;
  else if (g_str_equal (suffix, "mouse"))
    *ret_kind = PT_INPUT_KIND_MOUSE;
  else
    *ret_kind = PT_INPUT_KIND_OTHER;
  return TRUE;
}

static gboolean
is_event_node (const char *name)
{
  if (!g_str_has_prefix (name, "event") || name[5] == '\0')
    return FALSE;
  for (const char *p = name + 5; *p; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

/* "usb-Logitech_USB_Receiver-if01-event-mouse" → "Logitech USB Receiver": shown only when the
 * kernel gives no name, which still tells the user which device it is. */
static char *
name_from_link (const char *link_name)
{
  const char *start = strchr (link_name, '-');
  const char *end = g_strrstr (link_name, "-event-");
  g_autofree char *name = NULL;
  char *interface;

  start = start != NULL && start < end ? start + 1 : link_name;
  name = g_strndup (start, end - start);
  interface = g_strrstr (name, "-if");
  if (interface != NULL && interface != name)
    *interface = '\0';
  g_strdelimit (name, "_", ' ');
  return g_steal_pointer (&name);
}

static int
compare_paths_cb (gconstpointer a,
                  gconstpointer b)
{
  const PtInputDevice *x = *(const PtInputDevice * const *) a;
  const PtInputDevice *y = *(const PtInputDevice * const *) b;

  return strcmp (x->path, y->path);
}

GPtrArray *
pt_input_read (PtSysroot  *sysroot,
               GError    **error)
{
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GPtrArray) links = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (sysroot != NULL, NULL);

  devices = g_ptr_array_new_with_free_func ((GDestroyNotify) pt_input_device_free);
  links = pt_sysroot_list_dir (sysroot, BY_ID_DIR, &local_error);
  if (links == NULL)
    {
      if (g_error_matches (local_error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_NOT_FOUND))
        return g_steal_pointer (&devices);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  for (guint i = 0; i < links->len; i++)
    {
      const char *link_name = g_ptr_array_index (links, i);
      g_autofree char *path = g_strconcat (BY_ID_DIR "/", link_name, NULL);
      g_autofree char *event = NULL;
      g_autofree char *sys_dir = NULL;
      g_autofree char *name_path = NULL;
      g_autofree char *name = NULL;
      PtInputDevice *device;
      PtInputKind kind;

      if (!kind_from_link_name (link_name, &kind))
        continue;

      /* Whatever the link says, only its last component is used, so a target that tries to
       * leave /dev/input names nothing but an event node or is skipped. */
      event = pt_sysroot_read_link_name (sysroot, path, NULL);
      if (event == NULL || !is_event_node (event))
        continue;

      /* A link to a device that is gone: udev has not cleaned up yet. */
      sys_dir = g_strconcat ("/sys/class/input/", event, NULL);
      if (!pt_sysroot_is_dir (sysroot, sys_dir))
        continue;

      name_path = g_strconcat (sys_dir, "/device/name", NULL);
      name = pt_sysroot_read_line (sysroot, name_path, NULL);
      if (name == NULL || *name == '\0')
        {
          g_free (name);
          name = name_from_link (link_name);
        }

      device = g_new0 (PtInputDevice, 1);
      device->name = g_steal_pointer (&name);
      device->path = g_steal_pointer (&path);
      device->event = g_steal_pointer (&event);
      device->kind = kind;
      g_ptr_array_add (devices, device);
    }

  g_ptr_array_sort (devices, compare_paths_cb);
  return g_steal_pointer (&devices);
}
