/* test-usb.c: USB devices from sysfs on fixtures, small trees and the running host. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "pt-usb.h"
#include "pt-test-tree.h"
#include "pt-test-utils.h"

static GPtrArray *
read_tree (const char  *root,
           GError     **error)
{
  g_autoptr(PtSysroot) sysroot = pt_sysroot_new (root, NULL);

  g_assert_nonnull (sysroot);
  return pt_usb_read (sysroot, error);
}

static PtUsbDevice *
find_device (GPtrArray  *devices,
             const char *sysfs_name)
{
  for (guint i = 0; i < devices->len; i++)
    {
      PtUsbDevice *device = g_ptr_array_index (devices, i);

      if (g_str_equal (device->sysfs_name, sysfs_name))
        return device;
    }
  return NULL;
}

/* --- small trees --- */

#define XHCI "pci0000:00/0000:00:14.0"
#define EHCI "pci0000:00/0000:00:1d.0"

static const PtTestUsbDevice desktop_usb[] = {
  { XHCI "/usb1", "1", "1", "1d6b", "0002", "09", "Linux 6.1.0-13-amd64 xhci-hcd",
    "xHCI Host Controller" },
  { XHCI "/usb1/1-4", "1", "10", "046d", "c52b", "00", "Logitech", "USB Receiver" },
  { XHCI "/usb1/1-5", "1", "2", "0bda", "5411", "09", NULL, "4-Port USB 2.0 Hub" },
  { XHCI "/usb1/1-5/1-5.2", "1", "3", "1532", "0084", "00", "Razer", NULL },
  { XHCI "/usb1/1-6", "1", "4", "8087", "0029", "e0", NULL, NULL },
  { XHCI "/usb1/1-7", "1", "5", "fffe", "0001", "ff", NULL, NULL },
  { EHCI "/usb2", "2", "1", "1d6b", "0003", "09", "Linux", "EHCI Host Controller" },
  /* Being unplugged: no numbers any more. */
  { XHCI "/usb1/1-8", NULL, NULL, "1234", "5678", "00", NULL, NULL },
  /* On a platform bus, not PCI. */
  { "platform/soc/fe980000.usb/usb3", "3", "1", "1d6b", "0002", "09", "Linux", "DWC OTG" },
};

static void
build_desktop (const char *root)
{
  static const PtTestAttribute interface[] = { { "bInterfaceClass", "03" } };

  for (guint i = 0; i < G_N_ELEMENTS (desktop_usb); i++)
    pt_test_add_usb_device (root, &desktop_usb[i]);
  /* Interfaces are listed too, and are not devices. */
  pt_test_add_device (root, "usb", XHCI "/usb1/1-4/1-4:1.0", interface, G_N_ELEMENTS (interface));
}

static void
test_desktop (void)
{
  g_autofree char *root = g_dir_make_tmp ("pt-usb-XXXXXX", NULL);
  g_autofree char *ids = NULL;
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GError) error = NULL;
  PtUsbDevice *receiver, *hub, *razer, *bluetooth, *unknown, *otg;
  const char *order[] = { "usb1", "1-5", "1-5.2", "1-6", "1-7", "1-4", "usb2", "usb3" };

  build_desktop (root);
  /* A small usb.ids in the file's own format, so that the test does not depend on the host's. */
  ids = g_build_filename (root, "usb.ids", NULL);
  g_assert_true (g_file_set_contents (ids,
                                      "# List of USB ID's\n"
                                      "#\tvendor  vendor_name\n"
                                      "046d  Logitech, Inc.\n"
                                      "\tc52b  Unifying Receiver\n"
                                      "8086  Intel Corp.\n"
                                      "\t0028  Some Other Device\n"
                                      "\t\t0001  An interface line, not a product\n"
                                      "8087  Intel Corp.\n"
                                      "\t0029  AX200 Bluetooth\n"
                                      "\n"
                                      "# List of known device classes\n"
                                      "C 00  (Defined at Interface level)\n"
                                      "\t01  Audio\n", -1, NULL));
  g_setenv ("PT_USB_IDS", ids, TRUE);
  devices = read_tree (root, &error);
  g_unsetenv ("PT_USB_IDS");
  g_assert_no_error (error);

  /* Sorted by bus, then device number (10 after 5). */
  g_assert_cmpuint (devices->len, ==, G_N_ELEMENTS (order));
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    g_assert_cmpstr (((PtUsbDevice *) g_ptr_array_index (devices, i))->sysfs_name, ==, order[i]);

  receiver = find_device (devices, "1-4");
  g_assert_cmpuint (receiver->bus, ==, 1);
  g_assert_cmpuint (receiver->device, ==, 10);
  g_assert_cmphex (receiver->vendor_id, ==, 0x046d);
  g_assert_cmphex (receiver->product_id, ==, 0xc52b);
  g_assert_cmpstr (receiver->name, ==, "Logitech USB Receiver");
  g_assert_cmpstr (receiver->pci_address, ==, "0000:00:14.0");
  g_assert_false (pt_usb_device_is_hub (receiver));

  hub = find_device (devices, "1-5");
  g_assert_true (pt_usb_device_is_hub (hub));
  g_assert_cmpstr (hub->name, ==, "4-Port USB 2.0 Hub");
  razer = find_device (devices, "1-5.2");
  g_assert_cmpstr (razer->name, ==, "Razer");
  g_assert_cmpstr (razer->pci_address, ==, "0000:00:14.0");

  /* No strings: the database names it. */
  bluetooth = find_device (devices, "1-6");
  g_assert_cmpstr (bluetooth->name, ==, "Intel Corp. AX200 Bluetooth");
  unknown = find_device (devices, "1-7");
  g_assert_cmpstr (unknown->name, ==, "Unknown device fffe:0001");

  g_assert_cmpstr (find_device (devices, "usb2")->pci_address, ==, "0000:00:1d.0");
  otg = find_device (devices, "usb3");
  g_assert_null (otg->pci_address);
  g_assert_null (find_device (devices, "1-8"));
  g_assert_null (find_device (devices, "1-4:1.0"));
  pt_test_remove_tree (root);
}

/* Without any usb.ids on the host a device without strings still gets a name. */
static void
test_no_database (void)
{
  g_autofree char *root = g_dir_make_tmp ("pt-usb-XXXXXX", NULL);
  g_autofree char *missing = NULL;
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GError) error = NULL;
  const PtTestUsbDevice bare = { XHCI "/usb1/1-6", "1", "4", "8087", "0029", "e0", NULL, NULL };

  pt_test_add_usb_device (root, &bare);
  missing = g_build_filename (root, "no-such-usb.ids", NULL);
  g_setenv ("PT_USB_IDS", missing, TRUE);
  devices = read_tree (root, &error);
  g_unsetenv ("PT_USB_IDS");
  g_assert_no_error (error);
  g_assert_cmpuint (devices->len, ==, 1);
  g_assert_cmpstr (((PtUsbDevice *) g_ptr_array_index (devices, 0))->name, ==,
                   "Unknown device 8087:0029");
  pt_test_remove_tree (root);
}

typedef struct {
  const char      *description;
  PtTestUsbDevice  device;
} BrokenCase;

static const BrokenCase broken_cases[] = {
  { "garbage bus number", { XHCI "/usb1/1-9", "one", "7", "046d", "c52b", "00", "A", "B" } },
  { "garbage device number", { XHCI "/usb1/1-9", "1", "7x", "046d", "c52b", "00", "A", "B" } },
  { "garbage vendor id", { XHCI "/usb1/1-9", "1", "7", "logi", "c52b", "00", "A", "B" } },
  { "negative bus number", { XHCI "/usb1/1-9", "-1", "7", "046d", "c52b", "00", "A", "B" } },
};

static void
test_broken (gconstpointer data)
{
  const BrokenCase *c = data;
  g_autofree char *root = g_dir_make_tmp ("pt-usb-XXXXXX", NULL);
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GError) error = NULL;

  build_desktop (root);
  pt_test_add_usb_device (root, &c->device);
  devices = read_tree (root, &error);
  g_assert_null (devices);
  g_assert_error (error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_PARSE);
  g_test_message ("%s: %s", c->description, error->message);
  pt_test_remove_tree (root);
}

/* Dangling and escaping entries are skipped, the rest is read. */
static void
test_stray_entries (void)
{
  g_autofree char *root = g_dir_make_tmp ("pt-usb-XXXXXX", NULL);
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GError) error = NULL;

  build_desktop (root);
  pt_test_make_link (root, "sys/bus/usb/devices/1-11", "../../../devices/" XHCI "/usb1/1-11");
  pt_test_make_link (root, "sys/bus/usb/devices/1-12", "../../../../../../../../../../etc");
  pt_test_make_link (root, "sys/bus/usb/devices/1-13", "/");
  devices = read_tree (root, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (devices->len, ==, 8);
  pt_test_remove_tree (root);
}

static void
test_no_usb (void)
{
  g_autofree char *root = g_dir_make_tmp ("pt-usb-XXXXXX", NULL);
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GError) error = NULL;

  pt_test_write_file (root, "sys/bus/pci/drivers_probe", "");
  devices = read_tree (root, &error);
  g_assert_no_error (error);
  g_assert_nonnull (devices);
  g_assert_cmpuint (devices->len, ==, 0);
  pt_test_remove_tree (root);
}

/* --- fixtures --- */

static void
test_fixture_expected (gconstpointer data)
{
  const char *name = data;
  g_autofree char *root = pt_test_fixture_path (name);
  g_autofree char *expected_path = g_strconcat (root, ".expected.json", NULL);
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(JsonNode) expected = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *want;

  devices = read_tree (root, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < devices->len; i++)
    {
      PtUsbDevice *device = g_ptr_array_index (devices, i);

      g_assert_cmpstr (device->name, !=, "");
      g_assert_cmpuint (device->bus, >, 0);
      g_assert_cmpuint (device->device, >, 0);
    }

  if (!g_file_test (expected_path, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("the fixture has no expected report yet");
      return;
    }
  expected = pt_test_load_json (expected_path);
  want = json_object_get_array_member (json_node_get_object (expected), "usb");
  g_assert_cmpuint (json_array_get_length (want), ==, devices->len);
  for (guint i = 0; i < devices->len; i++)
    {
      PtUsbDevice *device = g_ptr_array_index (devices, i);
      JsonObject *w = json_array_get_object_element (want, i);
      g_autofree char *vendor = g_strdup_printf ("%04x", device->vendor_id);
      g_autofree char *product = g_strdup_printf ("%04x", device->product_id);

      g_assert_cmpuint (json_object_get_int_member (w, "bus"), ==, device->bus);
      g_assert_cmpuint (json_object_get_int_member (w, "device"), ==, device->device);
      g_assert_cmpstr (json_object_get_string_member (w, "vendor"), ==, vendor);
      g_assert_cmpstr (json_object_get_string_member (w, "product"), ==, product);
      g_assert_cmpstr (json_object_get_string_member (w, "name"), ==, device->name);
    }
}

/* Devices a user hands to a guest, and the controller (the PCI function) they hang off. */
typedef struct {
  const char *fixture;
  guint       bus;
  guint       device;
  guint       vendor_id;
  guint       product_id;
  const char *name;
  const char *controller;
  gboolean    is_hub;
} KnownUsb;

static const KnownUsb known_usb[] = {
  { "ryzen-2600x-desktop", 1, 2, 0x046d, 0xc52b, "Logitech USB Receiver", "0000:02:00.0", FALSE },
  { "ryzen-2600x-desktop", 3, 2, 0x05e3, 0x0610, "USB2.0 Hub", "0000:0b:00.3", TRUE },
  { "ryzen-2600x-desktop", 3, 3, 0x1235, 0x8211, "Focusrite Scarlett Solo USB", "0000:0b:00.3",
    FALSE },
  { "dual-socket-server", 1, 2, 0x046b, 0xff10,
    "American Megatrends Inc. Virtual Keyboard and Mouse", "0000:03:00.3", FALSE },
  { "intel-hybrid-laptop-iommu-off", 1, 2, 0x046d, 0xc077, "Logitech USB Optical Mouse",
    "0000:00:14.0", FALSE },
};

static void
test_fixture_known (gconstpointer data)
{
  const KnownUsb *k = data;
  g_autofree char *root = pt_test_fixture_path (k->fixture);
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GError) error = NULL;
  PtUsbDevice *found = NULL;

  if (!g_file_test (root, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("the fixture is not in tests/fixtures");
      return;
    }
  devices = read_tree (root, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < devices->len; i++)
    {
      PtUsbDevice *device = g_ptr_array_index (devices, i);

      if (device->bus == k->bus && device->device == k->device)
        found = device;
    }
  g_assert_nonnull (found);
  g_assert_cmphex (found->vendor_id, ==, k->vendor_id);
  g_assert_cmphex (found->product_id, ==, k->product_id);
  g_assert_cmpstr (found->name, ==, k->name);
  g_assert_cmpstr (found->pci_address, ==, k->controller);
  g_assert_cmpint (pt_usb_device_is_hub (found), ==, k->is_hub);
}

/* --- the running host --- */

static void
test_host (void)
{
  g_autoptr(PtSysroot) sysroot = pt_sysroot_new ("/", NULL);
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GPtrArray) listed = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *lsusb = g_find_program_in_path ("lsusb");
  const char *argv[] = { "lsusb", NULL };
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  int status;

  devices = pt_usb_read (sysroot, &error);
  g_assert_no_error (error);

  if (lsusb == NULL)
    {
      g_test_skip ("lsusb (usbutils) is not installed");
      return;
    }
  /* lsusb exits 1 without printing anything on a host without USB. */
  out = pt_test_spawn_stdout (argv, &status, NULL);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      guint bus, device;

      /* "Bus 001 Device 002: ID 046d:c52b Logitech, Inc. Unifying Receiver" */
      if (sscanf (lines[i], "Bus %u Device %u:", &bus, &device) == 2)
        g_ptr_array_add (listed, g_strdup_printf ("%u:%u", bus, device));
    }
  if (listed->len == 0)
    g_assert_cmpuint (devices->len, ==, 0);

  g_assert_cmpuint (devices->len, ==, listed->len);
  for (guint i = 0; i < devices->len; i++)
    {
      PtUsbDevice *device = g_ptr_array_index (devices, i);
      g_autofree char *pair = g_strdup_printf ("%u:%u", device->bus, device->device);
      gboolean found = FALSE;

      for (guint j = 0; j < listed->len && !found; j++)
        found = g_str_equal (pair, g_ptr_array_index (listed, j));
      g_assert_true (found);
    }
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
      g_autofree char *path = g_strdup_printf ("/usb/fixture/%s", fixtures[i]);
      g_test_add_data_func (path, fixtures[i], test_fixture_expected);
    }

  for (guint i = 0; i < G_N_ELEMENTS (known_usb); i++)
    {
      g_autofree char *path = g_strdup_printf ("/usb/known/%s/%u", known_usb[i].fixture, i);
      g_test_add_data_func (path, &known_usb[i], test_fixture_known);
    }

  g_test_add_func ("/usb/tree/desktop", test_desktop);
  g_test_add_func ("/usb/tree/no-database", test_no_database);
  for (guint i = 0; i < G_N_ELEMENTS (broken_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/usb/tree/broken/%u", i);
      g_test_add_data_func (path, &broken_cases[i], test_broken);
    }
  g_test_add_func ("/usb/tree/stray-entries", test_stray_entries);
  g_test_add_func ("/usb/tree/no-usb", test_no_usb);
  g_test_add_func ("/usb/host", test_host);

  return g_test_run ();
}
