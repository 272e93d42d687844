/* test-guest-devices.c: which disks, USB devices and controllers a guest may have on every
 * fixture and on this computer (the host's own disk never), finding a keyboard by a key press,
 * and libvirt's storage pools. */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <linux/input.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pt-guest-devices.h"
#include "pt-key-finder.h"
#include "pt-libvirt.h"
#include "pt-test-tree.h"
#include "pt-test-utils.h"

static PtHostScan *
scan_fixture (const char *name)
{
  g_autofree char *root = pt_test_fixture_path (name);
  g_autoptr(GError) error = NULL;
  PtHostScan *scan;

  if (!g_file_test (root, G_FILE_TEST_IS_DIR))
    return NULL;
  scan = pt_host_scan_new_sync (root, NULL, &error);
  g_assert_no_error (error);
  return scan;
}

static const PtDiskOffer *
find_offer (GPtrArray  *offers,
            const char *path)
{
  for (guint i = 0; i < offers->len; i++)
    {
      const PtDiskOffer *offer = g_ptr_array_index (offers, i);

      if (g_str_equal (offer->disk->path, path))
        return offer;
    }
  return NULL;
}

/* On every fixture: the disk with /, /boot or swap is never offered, and says why; the others
 * are, with their mount points. */
static void
test_disk_offers (void)
{
  static const struct {
    const char *fixture;
    const char *disk;
    gboolean    offered;
    const char *mounted;   /* a mount point; NULL: none */
  } cases[] = {
    { "ryzen-2600x-desktop", "/dev/disk/by-id/ata-WDC_WD40EFRX-68N32N0_WD-WCC7K4KL1234", TRUE,
      "/srv/data" },
    { "ryzen-2600x-desktop", "/dev/disk/by-id/nvme-Samsung_SSD_970_EVO_Plus_1TB_S4EWNX0R412345K",
      FALSE, "/boot/efi" },
    { "dual-socket-server", "/dev/disk/by-id/nvme-SAMSUNG_MZQL21T9HCJR-00A07_S64GNE0R812377",
      TRUE, NULL },
    { "dual-socket-server", "/dev/disk/by-id/nvme-SAMSUNG_MZQL21T9HCJR-00A07_S64GNE0R812345",
      FALSE, "/" },
    { "identical-gpus", "/dev/disk/by-id/nvme-Sabrent_Rocket_4.0_1TB_03F10707154463862009", TRUE,
      "/mnt/games" },
    { "shared-group-board", "/dev/disk/by-id/ata-Samsung_SSD_870_EVO_2TB_S6PNNM0T612345X", TRUE,
      "/data" },
    { "no-smt-desktop", "/dev/disk/by-id/ata-Samsung_SSD_860_EVO_500GB_S3Z1NB0K123456W", FALSE,
      "/home" },
  };
  g_auto(GStrv) names = pt_test_fixture_names ();

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(PtHostScan) scan = scan_fixture (names[i]);
      g_autoptr(GPtrArray) offers = pt_guest_disk_offers (scan);
      GPtrArray *disks = pt_host_scan_get_disks (scan);

      g_assert_cmpuint (offers->len, ==, disks->len);
      for (guint j = 0; j < offers->len; j++)
        {
          const PtDiskOffer *offer = g_ptr_array_index (offers, j);

          g_assert_true (offer->disk == g_ptr_array_index (disks, j));
          if (offer->disk->root || offer->disk->boot || offer->disk->swap)
            {
              g_assert_false (offer->offered);
              g_assert_nonnull (offer->reason);
              g_assert_nonnull (strstr (offer->reason, "stays here"));
            }
          else
            g_assert_true (offer->offered);
        }
    }

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PtHostScan) scan = scan_fixture (cases[i].fixture);
      g_autoptr(GPtrArray) offers = NULL;
      const PtDiskOffer *offer;

      if (scan == NULL)
        continue;
      g_test_message ("%s: %s", cases[i].fixture, cases[i].disk);
      offers = pt_guest_disk_offers (scan);
      offer = find_offer (offers, cases[i].disk);
      g_assert_nonnull (offer);
      g_assert_cmpint (offer->offered, ==, cases[i].offered);
      if (cases[i].mounted != NULL)
        {
          g_assert_true (g_strv_contains ((const char * const *) offer->mount_points,
                                          cases[i].mounted));
          if (offer->offered)
            g_assert_nonnull (strstr (offer->reason, cases[i].mounted));
        }
      else
        {
          g_assert_cmpuint (g_strv_length (offer->mount_points), ==, 0);
          if (offer->offered)
            g_assert_null (offer->reason);
        }
    }
}

/* This computer: every disk of /dev/disk/by-id is there, and the one holding / is not offered. */
static void
test_disk_offers_this_host (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PtHostScan) scan = pt_host_scan_new_sync ("/", NULL, &error);
  g_autoptr(GPtrArray) offers = NULL;
  g_autoptr(GDir) by_id = g_dir_open ("/dev/disk/by-id", 0, NULL);
  g_autoptr(GHashTable) devices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  struct stat root_stat;
  const char *name;
  guint offered = 0;

  g_assert_no_error (error);
  offers = pt_guest_disk_offers (scan);
  g_assert_cmpint (stat ("/", &root_stat), ==, 0);

  /* The whole disks udev names (partitions and mapped devices left out). */
  while (by_id != NULL && (name = g_dir_read_name (by_id)) != NULL)
    {
      g_autofree char *link = g_build_filename ("/dev/disk/by-id", name, NULL);
      g_autofree char *target = realpath (link, NULL);
      g_autofree char *base = target != NULL ? g_path_get_basename (target) : NULL;
      g_autofree char *sys = base != NULL ? g_strdup_printf ("/sys/block/%s", base) : NULL;

      if (strstr (name, "-part") == NULL && !g_str_has_prefix (name, "dm-")
          && !g_str_has_prefix (name, "md-") && sys != NULL && g_file_test (sys, G_FILE_TEST_EXISTS)
          && !g_str_has_prefix (base, "dm-") && !g_str_has_prefix (base, "loop"))
        g_hash_table_add (devices, g_steal_pointer (&target));
    }

  for (guint i = 0; i < offers->len; i++)
    {
      const PtDiskOffer *offer = g_ptr_array_index (offers, i);

      g_assert_true (g_hash_table_contains (devices, offer->disk->device));
      if (offer->offered)
        offered++;
      /* Whatever udev calls it, the disk that holds / stays. */
      if (offer->disk->root)
        g_assert_false (offer->offered);
      if (g_strv_contains ((const char * const *) offer->mount_points, "/"))
        g_assert_false (offer->offered);
    }
  g_assert_cmpuint (offers->len, ==, g_hash_table_size (devices));
  g_test_message ("%u disks here, %u offered", offers->len, offered);
}

static const PtUsbControllerOffer *
find_controller (GPtrArray  *offers,
                 const char *address)
{
  for (guint i = 0; i < offers->len; i++)
    {
      const PtUsbControllerOffer *offer = g_ptr_array_index (offers, i);

      if (g_str_equal (offer->controller->address, address))
        return offer;
    }
  return NULL;
}

/* Whole controllers go only when their IOMMU group is theirs and the host keeps a keyboard. */
static void
test_usb_controllers (void)
{
  static const struct {
    const char *fixture;
    const char *gpu;
    const char *controller;
    gboolean    offered;
    gboolean    with_gpu;
    const char *reason_part;   /* NULL: no reason */
  } cases[] = {
    { "ryzen-2600x-desktop", NULL, "0000:0b:00.3", TRUE, FALSE, NULL },
    { "ryzen-2600x-desktop", NULL, "0000:02:00.0", FALSE, FALSE, "IOMMU group 15" },
    { "intel-hybrid-laptop-iommu-off", NULL, "0000:00:14.0", FALSE, FALSE, "IOMMU is off" },
    { "no-smt-desktop", NULL, "0000:01:00.2", FALSE, FALSE, "IOMMU group 1" },
    { "no-smt-desktop", "0000:01:00.0", "0000:01:00.2", FALSE, TRUE, "graphics card" },
    { "no-smt-desktop", NULL, "0000:00:14.0", FALSE, FALSE, "IOMMU group 3" },
    { "shared-group-board", NULL, "0000:00:14.0", FALSE, FALSE, "IOMMU group 4" },
    { "dual-socket-server", NULL, "0000:03:00.3", FALSE, FALSE, "Every keyboard" },
    { "identical-gpus", NULL, "0000:08:00.1", TRUE, FALSE, "Corsair" },
    { "identical-gpus", NULL, "0000:0d:00.3", TRUE, FALSE, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PtHostScan) scan = scan_fixture (cases[i].fixture);
      g_autoptr(PtSetup) setup = pt_setup_new ();
      g_autoptr(GPtrArray) offers = NULL;
      const PtUsbControllerOffer *offer;

      if (scan == NULL)
        continue;
      g_test_message ("%s: %s", cases[i].fixture, cases[i].controller);
      pt_setup_set_gpu (setup, cases[i].gpu);
      offers = pt_guest_usb_controller_offers (scan, setup);
      offer = find_controller (offers, cases[i].controller);
      g_assert_nonnull (offer);
      g_assert_cmpint (offer->offered, ==, cases[i].offered);
      g_assert_cmpint (offer->with_gpu, ==, cases[i].with_gpu);
      if (cases[i].reason_part != NULL)
        {
          g_assert_nonnull (offer->reason);
          g_assert_nonnull (strstr (offer->reason, cases[i].reason_part));
        }
      else
        g_assert_null (offer->reason);
    }

  /* The 2600X's CPU controller has the audio interface behind a hub; the chipset one both
   * keyboards. */
  {
    g_autoptr(PtHostScan) scan = scan_fixture ("ryzen-2600x-desktop");
    g_autoptr(GPtrArray) offers = NULL;
    const PtUsbControllerOffer *cpu_usb;
    const PtUsbControllerOffer *chipset;

    if (scan == NULL)
      return;
    offers = pt_guest_usb_controller_offers (scan, NULL);
    cpu_usb = find_controller (offers, "0000:0b:00.3");
    chipset = find_controller (offers, "0000:02:00.0");
    g_assert_cmpuint (cpu_usb->devices->len, ==, 2);
    g_assert_cmpuint (cpu_usb->keyboards->len, ==, 0);
    g_assert_cmpuint (chipset->keyboards->len, ==, 2);
    g_assert_cmpuint (chipset->devices->len, ==, 2);
  }
}

/* The hub on the 2600X's CPU controller, below /sys/devices. */
#define CPU_USB_HUB "pci0000:00/0000:00:07.1/0000:0b:00.3/usb3/3-1"

/* Behind the CPU controller's hub: a Raspberry Pi in USB gadget mode (the Linux Foundation's
 * vendor id, like a root hub, but no hub) and a keyboard. Both are plugged in: each can go on its
 * own, or with the controller, and the user is told that the keyboard goes along. */
static void
test_usb_behind_hub (void)
{
  g_autofree char *root = pt_test_copy_fixture ("ryzen-2600x-desktop");
  static const PtTestUsbDevice gadget = {
    CPU_USB_HUB "/3-1.3", "3", "4", "1d6b", "0104", "ef", NULL, "Multifunction Composite Gadget"
  };
  static const PtTestUsbDevice keyboard = {
    CPU_USB_HUB "/3-1.4", "3", "5", "046a", "0011", "00", NULL, "Cherry G230 Keyboard"
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(PtHostScan) scan = NULL;
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GPtrArray) offers = NULL;
  const PtUsbControllerOffer *cpu_usb;
  const PtUsbControllerOffer *chipset;
  guint gadgets = 0;

  pt_test_add_usb_device (root, &gadget);
  pt_test_add_usb_device (root, &keyboard);
  pt_test_add_input_event (root, CPU_USB_HUB "/3-1.4/3-1.4:1.0/0003:046A:0011.0005/input/input9",
                           "event9", "13:73", "Cherry G230 Keyboard");
  pt_test_make_link (root, "dev/input/by-id/usb-Cherry_G230_Keyboard-event-kbd", "../event9");

  scan = pt_host_scan_new_sync (root, NULL, &error);
  g_assert_no_error (error);

  /* Receiver, Dell keyboard, audio interface, the Pi and the Cherry keyboard. */
  devices = pt_guest_usb_devices (scan);
  g_assert_cmpuint (devices->len, ==, 5);
  for (guint i = 0; i < devices->len; i++)
    if (((const PtUsbDevice *) g_ptr_array_index (devices, i))->vendor_id == 0x1d6b)
      gadgets++;
  g_assert_cmpuint (gadgets, ==, 1);

  offers = pt_guest_usb_controller_offers (scan, NULL);
  cpu_usb = find_controller (offers, "0000:0b:00.3");
  g_assert_nonnull (cpu_usb);
  /* The hub, the audio interface, the Pi and the keyboard; never the root hubs. */
  g_assert_cmpuint (cpu_usb->devices->len, ==, 4);
  for (guint i = 0; i < cpu_usb->devices->len; i++)
    g_assert_false (g_str_has_prefix (((const PtUsbDevice *)
                                       g_ptr_array_index (cpu_usb->devices, i))->sysfs_name,
                                      "usb"));
  g_assert_cmpuint (cpu_usb->keyboards->len, ==, 1);
  g_assert_cmpstr (((const PtInputDevice *) g_ptr_array_index (cpu_usb->keyboards, 0))->name, ==,
                   "Cherry G230 Keyboard");
  /* The chipset's two keyboards stay, so this one may go, and the user is told. */
  g_assert_true (cpu_usb->offered);
  g_assert_nonnull (strstr (cpu_usb->reason, "Cherry G230 Keyboard"));
  chipset = find_controller (offers, "0000:02:00.0");
  g_assert_cmpuint (chipset->keyboards->len, ==, 2);
  g_assert_cmpuint (chipset->devices->len, ==, 2);

  pt_test_remove_copy (root);
}

/* USB devices on their own: no hubs. On this computer, every device lsusb lists is there. */
static void
test_usb_devices (void)
{
  g_autoptr(PtHostScan) ryzen = scan_fixture ("ryzen-2600x-desktop");
  g_autoptr(GError) error = NULL;
  g_autoptr(PtHostScan) host = pt_host_scan_new_sync ("/", NULL, &error);
  g_autoptr(GPtrArray) here = NULL;
  g_autofree char *lsusb = g_find_program_in_path ("lsusb");
  guint listed = 0;

  g_assert_no_error (error);
  if (ryzen != NULL)
    {
      g_autoptr(GPtrArray) devices = pt_guest_usb_devices (ryzen);

      /* Receiver, keyboard and audio interface; not the root hubs or the USB2.0 hub. */
      g_assert_cmpuint (devices->len, ==, 3);
      for (guint i = 0; i < devices->len; i++)
        g_assert_false (pt_usb_device_is_hub (g_ptr_array_index (devices, i)));
    }

  here = pt_guest_usb_devices (host);
  if (lsusb == NULL)
    {
      g_test_skip ("lsusb is not installed");
      return;
    }

  {
    const char *argv[] = { lsusb, NULL };
    g_autofree char *out = pt_test_spawn_stdout (argv, NULL, NULL);
    g_auto(GStrv) lines = g_strsplit (out, "\n", -1);

    /* "Bus 001 Device 002: ID 046d:c52b Logitech, Inc. Unifying Receiver" */
    for (guint i = 0; lines[i] != NULL; i++)
      {
        guint64 bus, device, vendor, product;
        g_auto(GStrv) words = g_strsplit (lines[i], " ", 7);
        g_auto(GStrv) ids = NULL;
        g_autofree char *device_text = NULL;
        gboolean found = FALSE;

        if (g_strv_length (words) < 6 || !g_str_equal (words[0], "Bus"))
          continue;
        device_text = g_strndup (words[3], strlen (words[3]) - 1);
        ids = g_strsplit (words[5], ":", 2);
        g_assert_true (pt_parse_uint64 (words[1], 10, &bus, NULL));
        g_assert_true (pt_parse_uint64 (device_text, 10, &device, NULL));
        g_assert_true (pt_parse_uint64 (ids[0], 16, &vendor, NULL));
        g_assert_true (pt_parse_uint64 (ids[1], 16, &product, NULL));
        listed++;

        for (guint j = 0; j < pt_host_scan_get_usb (host)->len && !found; j++)
          {
            const PtUsbDevice *usb = g_ptr_array_index (pt_host_scan_get_usb (host), j);

            found = usb->bus == bus && usb->device == device && usb->vendor_id == vendor
                    && usb->product_id == product;
          }
        g_assert_true (found);
      }
  }
  g_assert_cmpuint (here->len, <=, listed);
  g_test_message ("lsusb lists %u devices; %u may go to a guest one by one", listed, here->len);
}

/* Writes @events into a new file @name in @dir. */
static void
write_events (const char               *path,
              const struct input_event *events,
              guint                     n_events)
{
  g_assert_true (g_file_set_contents (path, (const char *) events,
                                      n_events * sizeof (struct input_event), NULL));
}

typedef struct {
  char  *fifo;
  guint  delay_ms;
} FifoWriter;

static gpointer
fifo_writer_thread (gpointer data)
{
  FifoWriter *writer = data;
  struct input_event press = { .type = EV_KEY, .code = KEY_A, .value = 1 };
  int fd;

  g_usleep (writer->delay_ms * 1000);
  fd = open (writer->fifo, O_WRONLY | O_CLOEXEC);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, &press, sizeof press), ==, sizeof press);
  g_usleep (200 * 1000);
  close (fd);
  return NULL;
}

static gpointer
cancel_thread (gpointer data)
{
  g_usleep (150 * 1000);
  g_cancellable_cancel (data);
  return NULL;
}

typedef struct {
  char   *path;
  GError *error;
  gboolean done;
} FindResult;

static void
found_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  FindResult *found = user_data;

  found->path = pt_key_finder_run_finish (result, &found->error);
  found->done = TRUE;
}

/* "Press a key": the device that reports a press is named; movement and releases are not
 * presses; silence times out; cancelling stops the wait; a gone device is dropped. */
static void
test_key_finder (void)
{
  g_autofree char *root = g_dir_make_tmp ("pt-test-keys-XXXXXX", NULL);
  g_autofree char *by_id = g_build_filename (root, "dev/input/by-id", NULL);
  g_autofree char *event7 = g_build_filename (root, "dev/input/event7", NULL);
  g_autofree char *event8 = g_build_filename (root, "dev/input/event8", NULL);
  g_autofree char *event9 = g_build_filename (root, "dev/input/event9", NULL);
  g_autofree char *kbd = g_build_filename (by_id, "usb-Dell_Keyboard-event-kbd", NULL);
  g_autofree char *mouse = g_build_filename (by_id, "usb-Logitech_Mouse-event-mouse", NULL);
  g_autofree char *pad = g_build_filename (by_id, "usb-Pad-event-kbd", NULL);
  g_autoptr(PtSysroot) sysroot = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *found = NULL;
  g_autofree char *reason = NULL;
  const char * const mouse_first[] = { "/dev/input/by-id/usb-Logitech_Mouse-event-mouse",
                                       "/dev/input/by-id/usb-Dell_Keyboard-event-kbd", NULL };
  const char * const fifo_only[] = { "/dev/input/by-id/usb-Pad-event-kbd", NULL };
  const char * const missing[] = { "/dev/input/by-id/usb-Gone-event-kbd", NULL };
  /* The mouse moves and releases a button: no press. The keyboard: a key goes down. */
  const struct input_event mouse_events[] = {
    { .type = EV_REL, .code = REL_X, .value = 5 },
    { .type = EV_SYN, .code = SYN_REPORT, .value = 0 },
    { .type = EV_KEY, .code = BTN_LEFT, .value = 0 },
  };
  const struct input_event key_events[] = {
    { .type = EV_MSC, .code = MSC_SCAN, .value = 0x70004 },
    { .type = EV_KEY, .code = KEY_A, .value = 1 },
    { .type = EV_SYN, .code = SYN_REPORT, .value = 0 },
  };
  FifoWriter writer;
  FindResult result = { NULL, NULL, FALSE };
  GThread *thread;

  g_assert_no_errno (g_mkdir_with_parents (by_id, 0755));
  write_events (event8, mouse_events, G_N_ELEMENTS (mouse_events));
  write_events (event7, key_events, G_N_ELEMENTS (key_events));
  g_assert_no_errno (mkfifo (event9, 0600));
  g_assert_no_errno (symlink ("../event7", kbd));
  g_assert_no_errno (symlink ("../event8", mouse));
  g_assert_no_errno (symlink ("../event9", pad));
  sysroot = pt_sysroot_new (root, &error);
  g_assert_no_error (error);

  g_assert_true (pt_key_finder_can_read (sysroot, mouse_first, &reason));
  g_assert_null (reason);
  if (geteuid () != 0)
    {
      g_assert_no_errno (g_chmod (event7, 0));
      g_assert_false (pt_key_finder_can_read (sysroot, mouse_first, &reason));
      g_assert_nonnull (strstr (reason, "input"));
      g_assert_no_errno (g_chmod (event7, 0644));
    }

  found = pt_key_finder_run_sync (sysroot, mouse_first, 2000, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, "/dev/input/by-id/usb-Dell_Keyboard-event-kbd");

  /* Nobody presses anything on the pad. */
  g_clear_pointer (&found, g_free);
  found = pt_key_finder_run_sync (sysroot, fifo_only, 300, NULL, &error);
  g_assert_null (found);
  g_assert_error (error, PT_KEY_FINDER_ERROR, PT_KEY_FINDER_ERROR_TIMED_OUT);
  g_clear_error (&error);

  /* A key on the pad a little later, while the finder waits in its thread. */
  writer.fifo = event9;
  writer.delay_ms = 100;
  thread = g_thread_new ("writer", fifo_writer_thread, &writer);
  pt_key_finder_run_async (sysroot, fifo_only, 5000, NULL, found_cb, &result);
  while (!result.done)
    g_main_context_iteration (NULL, TRUE);
  g_thread_join (thread);
  g_assert_no_error (result.error);
  g_assert_cmpstr (result.path, ==, "/dev/input/by-id/usb-Pad-event-kbd");
  g_free (result.path);

  /* Cancelled while waiting. */
  thread = g_thread_new ("cancel", cancel_thread, cancellable);
  found = pt_key_finder_run_sync (sysroot, fifo_only, 10000, cancellable, &error);
  g_thread_join (thread);
  g_assert_null (found);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  /* Devices that are not there. */
  found = pt_key_finder_run_sync (sysroot, missing, 1000, NULL, &error);
  g_assert_null (found);
  g_assert_error (error, PT_KEY_FINDER_ERROR, PT_KEY_FINDER_ERROR_NO_DEVICES);

  pt_test_remove_tree (root);
}

typedef struct {
  GPtrArray *pools;
  GError    *error;
  gboolean   done;
} PoolsResult;

static void
pools_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  PoolsResult *pools = user_data;

  pools->pools = pt_guest_list_pools_finish (result, &pools->error);
  pools->done = TRUE;
}

/* libvirt's test driver has one pool, "default-pool"; a bad address is a sentence. */
static void
test_pools (void)
{
  PoolsResult result = { NULL, NULL, FALSE };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) bad = NULL;
  const PtStoragePool *pool;

  pt_guest_list_pools_async ("test:///default", NULL, pools_cb, &result);
  while (!result.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (result.error);
  g_assert_cmpuint (result.pools->len, ==, 1);
  pool = g_ptr_array_index (result.pools, 0);
  g_assert_cmpstr (pool->name, ==, "default-pool");
  g_assert_cmpuint (pool->capacity_bytes, >, 0);
  g_assert_cmpuint (pool->available_bytes, <=, pool->capacity_bytes);
  g_ptr_array_unref (result.pools);

  bad = pt_guest_list_pools_sync ("nosuchdriver:///nowhere", NULL, &error);
  g_assert_null (bad);
  /* Which code depends on whether a daemon runs (libvirt then asks it about the scheme). */
  g_assert_true (error != NULL && error->domain == PT_LIBVIRT_ERROR);
  g_assert_nonnull (strstr (error->message, "nosuchdriver:///nowhere"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/guest-devices/disk-offers", test_disk_offers);
  g_test_add_func ("/guest-devices/disk-offers-this-host", test_disk_offers_this_host);
  g_test_add_func ("/guest-devices/usb-controllers", test_usb_controllers);
  g_test_add_func ("/guest-devices/usb-devices", test_usb_devices);
  g_test_add_func ("/guest-devices/usb-behind-hub", test_usb_behind_hub);
  g_test_add_func ("/guest-devices/key-finder", test_key_finder);
  g_test_add_func ("/guest-devices/pools", test_pools);

  return g_test_run ();
}
