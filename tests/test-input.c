/* test-input.c: evdev keyboards and mice by their by-id links, on fixtures and small trees. */
#include <string.h>
#include <unistd.h>

#include "pt-input.h"
#include "pt-test-tree.h"
#include "pt-test-utils.h"

static GPtrArray *
read_tree (const char  *root,
           GError     **error)
{
  g_autoptr(PtSysroot) sysroot = pt_sysroot_new (root, NULL);

  g_assert_nonnull (sysroot);
  return pt_input_read (sysroot, error);
}

static PtInputDevice *
find_by_path (GPtrArray  *devices,
              const char *path)
{
  for (guint i = 0; i < devices->len; i++)
    {
      PtInputDevice *device = g_ptr_array_index (devices, i);

      if (g_str_equal (device->path, path))
        return device;
    }
  return NULL;
}

static void
test_fixture_expected (gconstpointer data)
{
  const char *name = data;
  g_autofree char *root = pt_test_fixture_path (name);
  g_autofree char *expected_path = g_strconcat (root, ".expected.json", NULL);
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(JsonNode) expected = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *input;

  devices = read_tree (root, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < devices->len; i++)
    {
      PtInputDevice *device = g_ptr_array_index (devices, i);

      g_assert_true (g_str_has_prefix (device->path, "/dev/input/by-id/"));
      g_assert_true (g_str_has_prefix (device->event, "event"));
      g_assert_cmpstr (device->name, !=, "");
      if (i > 0)
        g_assert_cmpstr (((PtInputDevice *) g_ptr_array_index (devices, i - 1))->path, <,
                         device->path);
    }

  if (!g_file_test (expected_path, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("the fixture has no expected report yet");
      return;
    }
  expected = pt_test_load_json (expected_path);
  input = json_object_get_array_member (json_node_get_object (expected), "input");
  g_assert_cmpuint (json_array_get_length (input), ==, devices->len);
  for (guint i = 0; i < devices->len; i++)
    {
      PtInputDevice *device = g_ptr_array_index (devices, i);
      JsonObject *want = json_array_get_object_element (input, i);

      g_assert_cmpstr (json_object_get_string_member (want, "path"), ==, device->path);
      g_assert_cmpstr (json_object_get_string_member (want, "name"), ==, device->name);
      g_assert_cmpstr (json_object_get_string_member (want, "kind"), ==,
                       pt_input_kind_to_string (device->kind));
    }
}

/* The keyboards and mice a user picks from: every fixture's count by kind. */
typedef struct {
  const char *fixture;
  guint       keyboards;
  guint       mice;
  guint       others;
} KnownInput;

static const KnownInput known_inputs[] = {
  /* A Logitech receiver gives a keyboard, a mouse and a consumer-control node. */
  { "ryzen-2600x-desktop", 2, 1, 1 },
  { "intel-hybrid-laptop-iommu-off", 0, 1, 1 },
  /* The BMC's virtual keyboard and mouse. */
  { "dual-socket-server", 1, 1, 0 },
  { "identical-gpus", 3, 1, 0 },
  { "no-smt-desktop", 2, 1, 1 },
  { "shared-group-board", 2, 1, 0 },
};

static void
test_fixture_known (gconstpointer data)
{
  const KnownInput *k = data;
  g_autofree char *root = pt_test_fixture_path (k->fixture);
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GError) error = NULL;
  guint keyboards = 0, mice = 0, others = 0;

  if (!g_file_test (root, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("the fixture is not in tests/fixtures");
      return;
    }
  devices = read_tree (root, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < devices->len; i++)
    {
      PtInputDevice *device = g_ptr_array_index (devices, i);

      keyboards += device->kind == PT_INPUT_KIND_KEYBOARD;
      mice += device->kind == PT_INPUT_KIND_MOUSE;
      others += device->kind == PT_INPUT_KIND_OTHER;
      if (device->kind == PT_INPUT_KIND_KEYBOARD)
        g_assert_true (g_str_has_suffix (device->path, "-event-kbd"));
      if (device->kind == PT_INPUT_KIND_MOUSE)
        g_assert_true (g_str_has_suffix (device->path, "-event-mouse"));
    }
  g_assert_cmpuint (keyboards, ==, k->keyboards);
  g_assert_cmpuint (mice, ==, k->mice);
  g_assert_cmpuint (others, ==, k->others);
}

/* --- small trees --- */

/* An event node of a USB receiver's input device. */
static void
add_event (const char *root,
           const char *event,
           const char *name)
{
  pt_test_add_input_event (root, "pci0000:00/0000:00:14.0/usb1/1-4/1-4:1.0/input/input7", event,
                           "13:71", name);
}

static void
add_by_id (const char *root,
           const char *link,
           const char *target)
{
  g_autofree char *path = g_strconcat ("dev/input/by-id/", link, NULL);

  pt_test_make_link (root, path, target);
}

static void
test_small_tree (void)
{
  g_autofree char *root = g_dir_make_tmp ("pt-input-XXXXXX", NULL);
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GError) error = NULL;
  PtInputDevice *kbd, *mouse, *other;

  add_event (root, "event3", "Logitech USB Receiver");
  add_by_id (root, "usb-Logitech_USB_Receiver-event-kbd", "../event3");
  add_by_id (root, "usb-Logitech_USB_Receiver-if01-event-mouse", "../event3");
  add_by_id (root, "usb-Logitech_USB_Receiver-if02-event-joystick", "../event3");
  /* Legacy nodes next to the evdev ones: not something libvirt's evdev input can take. */
  add_by_id (root, "usb-Logitech_USB_Receiver-if01-mouse", "../mouse0");
  add_by_id (root, "usb-Logitech_USB_Receiver-joystick", "../js0");
  /* Dangling: the device is gone, udev has not removed the link yet. */
  add_by_id (root, "usb-Gone_Keyboard-event-kbd", "../event42");
  /* A target climbing out of /dev names no event node inside the tree. */
  add_by_id (root, "usb-Evil-event-kbd", "../../../../../../../etc/passwd");
  add_by_id (root, "usb-Evil2-event-kbd", "/sys/class/input");
  add_by_id (root, "-event-kbd", "../event3");
  pt_test_write_file (root, "dev/input/by-id/not-a-link-event-kbd", "");

  devices = read_tree (root, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (devices->len, ==, 3);

  kbd = find_by_path (devices, "/dev/input/by-id/usb-Logitech_USB_Receiver-event-kbd");
  mouse = find_by_path (devices, "/dev/input/by-id/usb-Logitech_USB_Receiver-if01-event-mouse");
  other = find_by_path (devices, "/dev/input/by-id/usb-Logitech_USB_Receiver-if02-event-joystick");
  g_assert_nonnull (kbd);
  g_assert_nonnull (mouse);
  g_assert_nonnull (other);
  g_assert_cmpint (kbd->kind, ==, PT_INPUT_KIND_KEYBOARD);
  g_assert_cmpint (mouse->kind, ==, PT_INPUT_KIND_MOUSE);
  g_assert_cmpint (other->kind, ==, PT_INPUT_KIND_OTHER);
  g_assert_cmpstr (kbd->name, ==, "Logitech USB Receiver");
  g_assert_cmpstr (kbd->event, ==, "event3");
  g_assert_cmpstr (pt_input_kind_to_string (kbd->kind), ==, "keyboard");
  g_assert_cmpstr (pt_input_kind_to_string (mouse->kind), ==, "mouse");
  g_assert_cmpstr (pt_input_kind_to_string (other->kind), ==, "other");

  /* Sorted by path. */
  g_assert_true (g_ptr_array_index (devices, 0) == kbd);
  g_assert_true (g_ptr_array_index (devices, 1) == mouse);
  g_assert_true (g_ptr_array_index (devices, 2) == other);
  pt_test_remove_tree (root);
}

/* Without a name from the kernel the link still tells the user which device it is. */
static void
test_nameless (void)
{
  g_autofree char *root = g_dir_make_tmp ("pt-input-XXXXXX", NULL);
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GError) error = NULL;

  add_event (root, "event5", NULL);
  add_by_id (root, "usb-Corsair_K70_RGB-if02-event-kbd", "../event5");
  devices = read_tree (root, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (devices->len, ==, 1);
  g_assert_cmpstr (((PtInputDevice *) g_ptr_array_index (devices, 0))->name, ==, "Corsair K70 RGB");
  pt_test_remove_tree (root);
}

static void
test_no_by_id (void)
{
  g_autofree char *root = g_dir_make_tmp ("pt-input-XXXXXX", NULL);
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GError) error = NULL;

  /* Servers and VMs often have no input devices with ids at all. */
  add_event (root, "event0", "Power Button");
  devices = read_tree (root, &error);
  g_assert_no_error (error);
  g_assert_nonnull (devices);
  g_assert_cmpuint (devices->len, ==, 0);
  pt_test_remove_tree (root);
}

/* --- the running host --- */

static void
test_host (void)
{
  g_autoptr(PtSysroot) sysroot = pt_sysroot_new ("/", NULL);
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open ("/dev/input/by-id", 0, NULL);
  guint n_event_links = 0;
  const char *name;

  devices = pt_input_read (sysroot, &error);
  g_assert_no_error (error);

  /* Every live evdev link, and only those; an empty list is fine on a headless host. */
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/dev/input/by-id", name, NULL);
      g_autofree char *target = g_file_read_link (path, NULL);
      g_autofree char *event = target ? g_path_get_basename (target) : NULL;
      g_autofree char *sys = event ? g_build_filename ("/sys/class/input", event, NULL) : NULL;

      if (strstr (name, "-event-") != NULL && sys != NULL && g_file_test (sys, G_FILE_TEST_IS_DIR))
        n_event_links++;
    }
  g_assert_cmpuint (devices->len, ==, n_event_links);
}

int
main (int    argc,
      char **argv)
{
  g_auto(GStrv) fixtures = NULL;

  g_test_init (&argc, &argv, NULL);

  fixtures = pt_test_fixture_names ();
  for (guint i = 0; fixtures[i] != NULL; i++)
    {
      g_autofree char *path = g_strdup_printf ("/input/fixture/%s", fixtures[i]);
      g_test_add_data_func (path, fixtures[i], test_fixture_expected);
    }
  for (guint i = 0; i < G_N_ELEMENTS (known_inputs); i++)
    {
      g_autofree char *path = g_strdup_printf ("/input/known/%s", known_inputs[i].fixture);
      g_test_add_data_func (path, &known_inputs[i], test_fixture_known);
    }

  g_test_add_func ("/input/tree/small", test_small_tree);
  g_test_add_func ("/input/tree/nameless", test_nameless);
  g_test_add_func ("/input/tree/no-by-id", test_no_by_id);
  g_test_add_func ("/input/host", test_host);

  return g_test_run ();
}
