/* test-ui-devices.c: drives the Memory, Input and Storage & USB panels of the real window on the
 * 2600X desktop (and the host's disk rule on every fixture and this computer), checks that the
 * choices land in the window's PtSetup, and saves a screenshot of each panel to look at. */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "pt-application.h"
#include "pt-guest-devices.h"
#include "pt-input-panel.h"
#include "pt-memory-panel.h"
#include "pt-storage-panel.h"
#include "pt-test-ui.h"
#include "pt-test-utils.h"
#include "pt-window.h"

static void
save_screenshot (GtkWidget  *window,
                 const char *name)
{
  /* CSS transitions (a toggle button turning dark) last 200 ms; let them end first. */
  pt_test_ui_wait_ms (400);
  pt_test_ui_wait_for_frames (window);
  pt_test_ui_save_screenshot (window, "ui-devices", name);
}

typedef struct {
  PtApplication *app;
  GtkWidget     *window;
} Ui;

/* The real window on @fixture (NULL: this computer), with libvirt's test driver. */
static gboolean
ui_open (Ui         *ui,
         const char *fixture)
{
  g_autofree char *root = pt_test_ui_host_root (fixture);

  if (!g_file_test (root, G_FILE_TEST_IS_DIR))
    {
      g_test_skip_printf ("fixture %s is not there", fixture);
      return FALSE;
    }

  ui->window = pt_test_ui_open_window (root, "test:///default", FALSE, 1000, 760, &ui->app);
  pt_test_ui_wait_until (pt_test_ui_scan_done, ui->window, "the host scan");
  return TRUE;
}

static void
ui_close (Ui *ui)
{
  pt_test_ui_destroy_windows (ui->app);
  g_clear_object (&ui->app);
}

/* Opens a panel the way a user does: its row in the sidebar. */
static PtPanel *
show_panel (Ui         *ui,
            const char *name)
{
  GtkWidget *row = pt_test_ui_find_named (ui->window, name);
  PtPanel *panel = pt_window_get_panel (PT_WINDOW (ui->window), name);

  g_assert_nonnull (row);
  g_assert_true (GTK_IS_LIST_BOX_ROW (row));
  g_assert_nonnull (panel);
  gtk_widget_activate (row);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (panel)));
  pt_test_ui_wait_for_frames (ui->window);
  return panel;
}

static PtSetup *
window_setup (PtPanel *panel)
{
  PtSetup *setup = pt_panel_get_setup (panel);

  g_assert_nonnull (setup);
  return setup;
}

static const char *
subtitle_of (GtkWidget *row)
{
  g_assert_nonnull (row);
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
}

static GtkWidget *
named (Ui         *ui,
       const char *name)
{
  GtkWidget *widget = pt_test_ui_find_named (ui->window, name);

  if (widget == NULL)
    g_test_message ("No widget named %s", name);
  g_assert_nonnull (widget);
  return widget;
}

/* Memory: the size from the entry and the slider, hugepages on with their sum, 1 GiB pages and
 * their kernel options, on demand and its hook, and a warning when the host keeps too little. */
static void
test_memory_panel (void)
{
  Ui ui = { 0 };
  PtPanel *panel;
  PtSetup *setup;
  GtkSpinButton *spin;
  GtkWidget *hugepages;
  const PtMemoryPlan *plan;

  if (!ui_open (&ui, "ryzen-2600x-desktop"))
    return;

  panel = show_panel (&ui, "memory");
  setup = window_setup (panel);
  spin = GTK_SPIN_BUTTON (named (&ui, "memory-spin"));
  g_assert_cmpstr (pt_panel_get_title (panel), ==, "Memory");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (spin)), ==, "8 GiB");
  g_assert_nonnull (strstr (subtitle_of (named (&ui, "memory-total")),
                            "31.3\u00a0GiB"));

  /* The entry takes units, and a bare number as GiB. */
  gtk_editable_set_text (GTK_EDITABLE (spin), "12288 MiB");
  gtk_spin_button_update (spin);
  g_assert_cmpuint (pt_setup_get_memory_mib (setup), ==, 12288);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (spin)), ==, "12 GiB");
  gtk_editable_set_text (GTK_EDITABLE (spin), "10");
  gtk_spin_button_update (spin);
  g_assert_cmpuint (pt_setup_get_memory_mib (setup), ==, 10240);
  gtk_editable_set_text (GTK_EDITABLE (spin), "lots");
  gtk_spin_button_update (spin);
  g_assert_cmpuint (pt_setup_get_memory_mib (setup), ==, 10240);
  gtk_spin_button_set_value (spin, 16384);
  g_assert_cmpuint (pt_setup_get_memory_mib (setup), ==, 16384);
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (named (&ui, "guest-share"))),
                            "Virtual machine: 16 GiB"));

  /* Hugepages on: 2 MiB pages reserved at boot through sysctl.d. */
  hugepages = named (&ui, "hugepages-row");
  adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (hugepages), TRUE);
  g_assert_cmpint (pt_setup_get_hugepages (setup), ==, PT_HUGEPAGES_2M);
  g_assert_cmpstr (subtitle_of (named (&ui, "pages-row")), ==, "16 GiB ÷ 2 MiB = 8192 pages");
  g_assert_nonnull (strstr (subtitle_of (named (&ui, "change-row")), "vm.nr_hugepages = 8192"));

  /* The 2600X has pdpe1gb: 1 GiB pages, with their kernel options. */
  g_assert_true (gtk_widget_get_sensitive (named (&ui, "page-1g")));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (named (&ui, "page-1g")), TRUE);
  g_assert_cmpint (pt_setup_get_hugepages (setup), ==, PT_HUGEPAGES_1G);
  g_assert_cmpstr (subtitle_of (named (&ui, "pages-row")), ==, "16 GiB ÷ 1 GiB = 16 pages");
  g_assert_nonnull (strstr (subtitle_of (named (&ui, "change-row")),
                            "hugepagesz=1G hugepages=16 default_hugepagesz=1G"));
  plan = pt_memory_panel_get_plan (PT_MEMORY_PANEL (panel));
  g_assert_cmpint (plan->source, ==, PT_HUGEPAGE_SOURCE_KERNEL_ARGS);
  /* One NUMA node: nothing to choose, so nothing shown. */
  g_assert_false (gtk_widget_get_visible (named (&ui, "numa-row")));
  g_assert_false (gtk_widget_get_visible (named (&ui, "memory-notes")));
  pt_test_ui_scroll_panel (ui.window, panel, 0);
  save_screenshot (ui.window, "memory");

  /* On demand: a libvirt hook instead, and a word about 1 GiB pages and fragmentation. */
  gtk_widget_activate (named (&ui, "reserve-on-demand"));
  g_assert_true (pt_setup_get_hugepages_on_demand (setup));
  g_assert_nonnull (strstr (subtitle_of (named (&ui, "change-row")),
                            "/etc/libvirt/hooks/qemu.d/passthrough-hugepages"));
  g_assert_true (gtk_widget_get_visible (named (&ui, "memory-notes")));
  g_assert_nonnull (named (&ui, "memory-warning"));
  gtk_widget_activate (named (&ui, "reserve-boot"));
  g_assert_false (pt_setup_get_hugepages_on_demand (setup));

  /* 30 GiB of 31.3: the host keeps too little; the bar and a note say so. */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (named (&ui, "page-2m")), TRUE);
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (named (&ui, "page-1g"))));
  g_assert_cmpint (pt_setup_get_hugepages (setup), ==, PT_HUGEPAGES_2M);
  gtk_spin_button_set_value (spin, 30 * 1024);
  g_assert_true (gtk_widget_has_css_class (named (&ui, "memory-scale"), "share-warning"));
  g_assert_true (gtk_widget_get_visible (named (&ui, "share-problem")));
  g_assert_nonnull (strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (
                                                             named (&ui, "share-problem"))),
                            "keeps only"));
  /* Said once, by the slider. */
  g_assert_false (gtk_widget_get_visible (named (&ui, "memory-notes")));
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (hugepages), FALSE);
  pt_test_ui_scroll_panel (ui.window, panel, 0);
  save_screenshot (ui.window, "memory-warning");

  /* Off again. */
  adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (hugepages), FALSE);
  g_assert_cmpint (pt_setup_get_hugepages (setup), ==, PT_HUGEPAGES_OFF);

  /* A change made elsewhere (the command line, another panel) shows here; more than the host
   * has cannot work, and the slider turns red. */
  pt_setup_set_memory_mib (setup, 40 * 1024);
  g_assert_true (gtk_widget_has_css_class (named (&ui, "memory-scale"), "share-error"));
  g_assert_nonnull (strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (
                                                             named (&ui, "share-problem"))),
                            "cannot have 40 GiB"));
  pt_setup_set_memory_mib (setup, 4096);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (spin)), ==, "4 GiB");
  g_assert_false (gtk_widget_get_visible (named (&ui, "share-problem")));

  ui_close (&ui);
}

typedef struct {
  PtSetup            *setup;
  const char * const *inputs;
} InputsWait;

static gboolean
inputs_are (gpointer data)
{
  InputsWait *wait = data;

  return g_strv_equal (pt_setup_get_inputs (wait->setup), wait->inputs);
}

/* The two-socket server: the pages go to the node of the chosen graphics card, and the panel
 * says which; the 16 pages of 1 GiB the server reserves today are listed. */
static void
test_memory_panel_numa (void)
{
  Ui ui = { 0 };
  PtPanel *panel;
  PtSetup *setup;
  GtkWidget *numa;

  if (!ui_open (&ui, "dual-socket-server"))
    return;

  panel = show_panel (&ui, "memory");
  setup = window_setup (panel);
  numa = named (&ui, "numa-row");
  g_assert_true (gtk_widget_get_visible (numa));
  g_assert_nonnull (strstr (subtitle_of (numa), "Any node"));
  g_assert_nonnull (strstr (subtitle_of (named (&ui, "memory-reserved")), "16 × 1 GiB, 16 free"));

  pt_setup_set_gpu (setup, "0000:a1:00.0");
  pt_setup_set_hugepages (setup, PT_HUGEPAGES_1G);
  g_assert_true (adw_expander_row_get_enable_expansion (ADW_EXPANDER_ROW (
                                                          named (&ui, "hugepages-row"))));
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (named (&ui, "page-1g"))));
  g_assert_nonnull (strstr (subtitle_of (numa), "Node 1"));
  g_assert_cmpint (pt_memory_panel_get_plan (PT_MEMORY_PANEL (panel))->numa_node, ==, 1);
  g_assert_nonnull (strstr (subtitle_of (named (&ui, "change-row")),
                            "in place of default_hugepagesz=2M hugepagesz=1G hugepages=1:16"));
  /* Its Linux 5.15 spreads boot-time pages over both nodes: a note says so. */
  g_assert_true (gtk_widget_get_visible (named (&ui, "memory-notes")));
  pt_test_ui_scroll_panel (ui.window, panel, 1);
  save_screenshot (ui.window, "memory-numa");

  ui_close (&ui);
}

static GtkWidget *
input_row (Ui         *ui,
           const char *by_id_name)
{
  g_autofree char *name = g_strdup_printf ("input-%s", by_id_name);

  return named (ui, name);
}

/* Input: every keyboard, mouse and other device of the 2600X with its name; ticking a keyboard
 * and a mouse puts their by-id paths in the setup; "Press a key" says why it cannot run here. */
static void
test_input_panel (void)
{
  Ui ui = { 0 };
  PtPanel *panel;
  PtSetup *setup;
  PtHostScan *scan;
  GPtrArray *inputs;
  const char *reason = NULL;
  const char * const chosen[] = {
    "/dev/input/by-id/usb-Dell_Dell_USB_Entry_Keyboard-event-kbd",
    "/dev/input/by-id/usb-Logitech_USB_Receiver-if01-event-mouse",
    NULL,
  };
  const char * const old_way[] = {
    "input-linux:/dev/input/by-id/usb-Dell_Dell_USB_Entry_Keyboard-event-kbd",
    "input-linux:/dev/input/by-id/usb-Logitech_USB_Receiver-if01-event-mouse",
    NULL,
  };

  if (!ui_open (&ui, "ryzen-2600x-desktop"))
    return;

  panel = show_panel (&ui, "input");
  setup = window_setup (panel);
  scan = pt_window_get_scan (PT_WINDOW (ui.window));
  inputs = pt_host_scan_get_input (scan);

  /* Each device is a row with its name, in the group of its kind. */
  for (guint i = 0; i < inputs->len; i++)
    {
      const PtInputDevice *device = g_ptr_array_index (inputs, i);
      g_autofree char *file = g_path_get_basename (device->path);
      GtkWidget *row = input_row (&ui, file);
      const char *group = device->kind == PT_INPUT_KIND_KEYBOARD ? "keyboards-group"
                          : device->kind == PT_INPUT_KIND_MOUSE ? "mice-group" : "others-group";

      g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                       device->name);
      g_assert_true (gtk_widget_is_ancestor (row, named (&ui, group)));
    }
  g_assert_cmpuint (inputs->len, ==, 4);

  /* A copy of a computer has no devices to press keys on: the button says so. */
  g_assert_false (pt_input_panel_can_find (PT_INPUT_PANEL (panel), &reason));
  g_assert_nonnull (strstr (reason, "copy"));
  g_assert_false (gtk_widget_get_sensitive (named (&ui, "find-button")));
  g_assert_cmpstr (subtitle_of (named (&ui, "find-row")), ==, reason);

  /* The mouse alone: a warning that it could not come back. */
  gtk_widget_activate (input_row (&ui, "usb-Logitech_USB_Receiver-if01-event-mouse"));
  g_assert_true (gtk_widget_has_css_class (named (&ui, "mice-group"), "mouse-without-keyboard"));
  gtk_widget_activate (input_row (&ui, "usb-Dell_Dell_USB_Entry_Keyboard-event-kbd"));
  g_assert_false (gtk_widget_has_css_class (named (&ui, "mice-group"), "mouse-without-keyboard"));
  g_assert_cmpstrv (pt_setup_get_inputs (setup), chosen);
  pt_test_ui_scroll_panel (ui.window, panel, 0);
  save_screenshot (ui.window, "input");

  /* The old way spells the same devices with its prefix; off again, back to evdev. The switch
   * moves, then changes. */
  gtk_widget_activate (named (&ui, "input-linux-row"));
  pt_test_ui_wait_until (inputs_are, &(InputsWait) { setup, old_way }, "input-linux entries");
  g_assert_cmpstrv (pt_setup_get_inputs (setup), old_way);
  gtk_widget_activate (named (&ui, "input-linux-row"));
  pt_test_ui_wait_until (inputs_are, &(InputsWait) { setup, chosen }, "evdev entries again");
  g_assert_cmpstrv (pt_setup_get_inputs (setup), chosen);

  /* Set elsewhere, shown here. */
  pt_setup_set_inputs (setup, NULL);
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (
    pt_test_ui_find_of_type (input_row (&ui, "usb-Dell_Dell_USB_Entry_Keyboard-event-kbd"),
                             GTK_TYPE_CHECK_BUTTON))));

  ui_close (&ui);
}

/* This computer: a row for every device of /dev/input/by-id, or the placeholders; "Press a
 * key" runs only where this user can read them. */
static void
test_input_panel_host (void)
{
  Ui ui = { 0 };
  PtPanel *panel;
  GPtrArray *inputs;
  const char *reason = NULL;
  gboolean can_find;

  if (!ui_open (&ui, NULL))
    return;

  panel = show_panel (&ui, "input");
  inputs = pt_host_scan_get_input (pt_window_get_scan (PT_WINDOW (ui.window)));
  for (guint i = 0; i < inputs->len; i++)
    {
      const PtInputDevice *device = g_ptr_array_index (inputs, i);
      g_autofree char *file = g_path_get_basename (device->path);

      g_assert_nonnull (input_row (&ui, file));
    }

  can_find = pt_input_panel_can_find (PT_INPUT_PANEL (panel), &reason);
  g_assert_cmpint (gtk_widget_get_sensitive (named (&ui, "find-button")), ==, can_find);
  if (inputs->len == 0)
    {
      g_assert_false (can_find);
      g_assert_nonnull (named (&ui, "keyboards-none"));
      g_assert_nonnull (named (&ui, "mice-none"));
    }
  if (!can_find)
    g_test_message ("Press a key is off here: %s", reason);
  save_screenshot (ui.window, "input-host");

  ui_close (&ui);
}

static gboolean
storage_ready (gpointer data)
{
  return pt_storage_panel_get_ready (data);
}

static GtkWidget *
dialog_toplevel (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

      if (GTK_IS_FILE_CHOOSER (item) && gtk_widget_get_visible (GTK_WIDGET (item)))
        return GTK_WIDGET (item);
    }
  return NULL;
}

static gboolean
chooser_shown (gpointer data)
{
  return dialog_toplevel () != NULL;
}

typedef struct {
  GtkWidget *chooser;
  GFile     *file;
} FileWait;

static gboolean
file_selected (gpointer data)
{
  FileWait *wait = data;
  g_autoptr(GFile) selected = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (wait->chooser));

  return selected != NULL && g_file_equal (selected, wait->file);
}

static gboolean
setup_has_iso (gpointer data)
{
  return g_strv_length ((char **) pt_setup_get_isos (data)) > 0;
}

/* Storage & USB: the root NVMe is shown greyed with its reason and never ticked; the data disk
 * is offered with its mount point; a new image in the test driver's pool; ISOs through the file
 * chooser; a USB receiver, and the one controller that has its IOMMU group to itself. */
static void
test_storage_panel (void)
{
  Ui ui = { 0 };
  PtPanel *panel;
  PtSetup *setup;
  GtkWidget *root_row;
  GtkWidget *data_row;
  GtkWidget *chooser;
  g_autofree char *iso_dir = g_dir_make_tmp ("pt-test-iso-XXXXXX", NULL);
  g_autofree char *iso = g_build_filename (iso_dir, "Win11_23H2_English_x64.iso", NULL);
  g_autoptr(GFile) iso_file = g_file_new_for_path (iso);
  g_autoptr(GError) error = NULL;
  const char * const root_only[] = {
    "/dev/disk/by-id/nvme-Samsung_SSD_970_EVO_Plus_1TB_S4EWNX0R412345K", NULL,
  };
  const char * const isos[] = { "/srv/iso/virtio-win-0.1.240.iso", "/srv/iso/Fedora.iso",
                                NULL };
  const char * const wanted_disks[] = {
    "/dev/disk/by-id/ata-WDC_WD40EFRX-68N32N0_WD-WCC7K4KL1234",
    "volume:default-pool/passthrough-vm.qcow2:64GiB", NULL,
  };
  const char * const wanted_usb[] = { "046d:c52b", "0000:0b:00.3", NULL };

  if (!ui_open (&ui, "ryzen-2600x-desktop"))
    return;

  panel = show_panel (&ui, "storage");
  setup = window_setup (panel);
  g_assert_cmpstr (pt_panel_get_title (panel), ==, "Storage & USB");
  pt_test_ui_wait_until (storage_ready, panel,
                         "the disks, USB devices and libvirt's storage pools");

  /* The root disk: greyed, with why, and not even the setup can tick it. */
  root_row = named (&ui, "disk-nvme-Samsung_SSD_970_EVO_Plus_1TB_S4EWNX0R412345K");
  g_assert_false (gtk_widget_get_sensitive (root_row));
  g_assert_nonnull (strstr (subtitle_of (root_row), "stays here"));
  pt_setup_set_disks (setup, root_only);
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (
    pt_test_ui_find_of_type (root_row, GTK_TYPE_CHECK_BUTTON))));
  pt_setup_set_disks (setup, NULL);

  /* The WD Red is offered, and says where it is mounted. */
  data_row = named (&ui, "disk-ata-WDC_WD40EFRX-68N32N0_WD-WCC7K4KL1234");
  g_assert_true (gtk_widget_get_sensitive (data_row));
  g_assert_nonnull (strstr (subtitle_of (data_row), "/srv/data"));
  g_assert_nonnull (strstr (subtitle_of (data_row), "4.0\u00a0TB"));
  gtk_widget_activate (data_row);

  /* A 64 GiB image in the pool the test driver has. */
  adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (named (&ui, "image-row")), TRUE);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (named (&ui, "image-size")), 64);
  g_assert_cmpstrv (pt_setup_get_disks (setup), wanted_disks);
  g_assert_cmpstr (subtitle_of (named (&ui, "volume-name")), ==, "passthrough-vm.qcow2");

  /* USB: the receiver, and the CPU's controller; the chipset's shares its group. */
  gtk_widget_activate (named (&ui, "usb-046d:c52b"));
  g_assert_true (gtk_widget_get_sensitive (named (&ui, "controller-0000:0b:00.3")));
  g_assert_false (gtk_widget_get_sensitive (named (&ui, "controller-0000:02:00.0")));
  g_assert_nonnull (strstr (subtitle_of (named (&ui, "controller-0000:02:00.0")),
                            "IOMMU group 15"));
  gtk_widget_activate (named (&ui, "controller-0000:0b:00.3"));
  g_assert_cmpstrv (pt_setup_get_usb (setup), wanted_usb);
  pt_test_ui_scroll_panel (ui.window, panel, 0);
  save_screenshot (ui.window, "storage");

  /* Discs set elsewhere: the virtio one goes to its own row. */
  pt_setup_set_isos (setup, isos);
  g_assert_cmpstr (subtitle_of (named (&ui, "drivers-row")), ==, "virtio-win-0.1.240.iso");
  g_assert_cmpstr (subtitle_of (named (&ui, "installer-row")), ==, "Fedora.iso");
  g_signal_emit_by_name (named (&ui, "installer-clear"), "clicked");
  g_signal_emit_by_name (named (&ui, "drivers-clear"), "clicked");
  g_assert_cmpuint (g_strv_length ((char **) pt_setup_get_isos (setup)), ==, 0);

  /* The installer through the file chooser, as a user picks it. */
  g_assert_true (g_file_set_contents (iso, "", 0, &error));
  g_signal_emit_by_name (named (&ui, "installer-choose"), "clicked");
  pt_test_ui_wait_until (chooser_shown, NULL, "the file chooser");
  chooser = dialog_toplevel ();
  g_assert_true (gtk_file_chooser_set_file (GTK_FILE_CHOOSER (chooser), iso_file, &error));
  g_assert_no_error (error);
  /* The chooser loads the folder first, then selects the file in it. */
  pt_test_ui_wait_until (file_selected, &(FileWait) { chooser, iso_file },
                         "the file to be selected");
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
  pt_test_ui_wait_until (setup_has_iso, setup, "the chosen installer");
  g_assert_cmpstr (pt_setup_get_isos (setup)[0], ==, iso);
  g_assert_cmpstr (subtitle_of (named (&ui, "installer-row")), ==,
                   "Win11_23H2_English_x64.iso");

  pt_test_ui_scroll_panel (ui.window, panel, 1);
  save_screenshot (ui.window, "storage-usb");

  ui_close (&ui);
  g_assert_no_errno (g_unlink (iso));
  g_assert_no_errno (g_rmdir (iso_dir));
}

/* The GTX 1660's own USB controller: refused while the card stays with the host, "goes along"
 * once the card is the guest's, as the Graphics panel sets it. */
static void
test_storage_controller_follows_gpu (void)
{
  Ui ui = { 0 };
  PtPanel *panel;
  PtSetup *setup;

  if (!ui_open (&ui, "no-smt-desktop"))
    return;

  panel = show_panel (&ui, "storage");
  setup = window_setup (panel);
  pt_test_ui_wait_until (storage_ready, panel, "the storage rows");
  g_assert_nonnull (strstr (subtitle_of (named (&ui, "controller-0000:01:00.2")),
                            "IOMMU group 1 with"));

  pt_setup_set_gpu (setup, "0000:01:00.0");
  pt_test_ui_wait_until (storage_ready, panel, "the storage rows for the new card");
  g_assert_nonnull (strstr (subtitle_of (named (&ui, "controller-0000:01:00.2")),
                            "goes along with the card"));
  g_assert_false (gtk_widget_get_sensitive (named (&ui, "controller-0000:01:00.2")));

  ui_close (&ui);
}

/* On every fixture and on this computer: a disk that holds /, /boot or swap is greyed and can
 * never be ticked; every other disk can. */
static void
test_host_disk_never_offered (void)
{
  g_auto(GStrv) fixtures = pt_test_fixture_names ();
  g_autoptr(GPtrArray) roots = g_ptr_array_new ();

  for (guint i = 0; fixtures[i] != NULL; i++)
    g_ptr_array_add (roots, fixtures[i]);
  g_ptr_array_add (roots, NULL);

  for (guint i = 0; i < roots->len; i++)
    {
      const char *fixture = g_ptr_array_index (roots, i);
      Ui ui = { 0 };
      GPtrArray *disks;
      PtPanel *panel;
      PtSetup *setup;
      g_autoptr(GPtrArray) all = g_ptr_array_new ();

      g_test_message ("%s", fixture != NULL ? fixture : "this computer");
      if (!ui_open (&ui, fixture))
        continue;
      panel = show_panel (&ui, "storage");
      setup = window_setup (panel);
      pt_test_ui_wait_until (storage_ready, panel, "the storage rows");
      disks = pt_host_scan_get_disks (pt_window_get_scan (PT_WINDOW (ui.window)));

      /* Even when asked for every disk, only the guest's may be ticked. */
      for (guint j = 0; j < disks->len; j++)
        g_ptr_array_add (all, ((PtDisk *) g_ptr_array_index (disks, j))->path);
      g_ptr_array_add (all, NULL);
      pt_setup_set_disks (setup, (const char * const *) all->pdata);

      for (guint j = 0; j < disks->len; j++)
        {
          const PtDisk *disk = g_ptr_array_index (disks, j);
          g_autofree char *file = g_path_get_basename (disk->path);
          g_autofree char *name = g_strdup_printf ("disk-%s", file);
          GtkWidget *row = named (&ui, name);
          GtkWidget *check = pt_test_ui_find_of_type (row, GTK_TYPE_CHECK_BUTTON);

          g_assert_cmpint (gtk_widget_get_sensitive (row), ==, !pt_disk_is_host_disk (disk));
          g_assert_cmpint (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)), ==,
                           !pt_disk_is_host_disk (disk));
        }
      if (disks->len == 0)
        g_assert_nonnull (named (&ui, "disks-none"));
      ui_close (&ui);
    }
}

int
main (int    argc,
      char **argv)
{
  if (!pt_test_ui_init (&argc, &argv))
    return 0;

  g_test_add_func ("/ui/devices/memory", test_memory_panel);
  g_test_add_func ("/ui/devices/memory-numa", test_memory_panel_numa);
  g_test_add_func ("/ui/devices/input", test_input_panel);
  g_test_add_func ("/ui/devices/input-host", test_input_panel_host);
  g_test_add_func ("/ui/devices/storage", test_storage_panel);
  g_test_add_func ("/ui/devices/storage-controller-follows-gpu",
                   test_storage_controller_follows_gpu);
  g_test_add_func ("/ui/devices/host-disk-never-offered", test_host_disk_never_offered);

  return g_test_run ();
}
