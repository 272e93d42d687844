/* test-ui-graphics.c: the Graphics panel in the real window on fixture hosts: picking the guest
 * GPU by activating its row, the badges, the shared-group warnings, the IOMMU-off page, search;
 * saves screenshots to look at. */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "pt-application.h"
#include "pt-device-row.h"
#include "pt-graphics-item.h"
#include "pt-graphics-panel.h"
#include "pt-test-ui.h"
#include "pt-test-utils.h"
#include "pt-window.h"

static void
save_screenshot (GtkWidget  *window,
                 const char *name)
{
  pt_test_ui_wait_for_frames (window);
  pt_test_ui_save_screenshot (window, "ui-graphics", name);
}

typedef struct {
  PtApplication   *app;
  PtWindow        *window;
  PtGraphicsPanel *panel;
  PtSetup         *setup;
} Fixture;

static gboolean
panel_ready (gpointer data)
{
  return pt_graphics_panel_get_ready (data);
}

/* Opens the window on @fixture_name and shows its Graphics panel. */
static void
open_window_sized (Fixture    *fixture,
                   const char *fixture_name,
                   int         width,
                   int         height)
{
  /* A fixture's name, or a tree written by the test. */
  g_autofree char *root = pt_test_ui_host_root (fixture_name);
  GtkWidget *sidebar_row;

  fixture->window = PT_WINDOW (pt_test_ui_open_window (root, "test:///default", FALSE,
                                                       width, height, &fixture->app));
  pt_test_ui_wait_until (pt_test_ui_scan_done, fixture->window, "the host scan");

  fixture->panel = PT_GRAPHICS_PANEL (pt_window_get_panel (fixture->window, "graphics"));
  g_assert_nonnull (fixture->panel);
  g_assert_cmpstr (pt_panel_get_title (PT_PANEL (fixture->panel)), ==, "Graphics");
  fixture->setup = pt_panel_get_setup (PT_PANEL (fixture->panel));
  g_assert_nonnull (fixture->setup);

  /* The sidebar row, as a click on it does it. */
  sidebar_row = pt_test_ui_find_named (GTK_WIDGET (fixture->window), "graphics");
  g_assert_true (GTK_IS_LIST_BOX_ROW (sidebar_row));
  gtk_list_box_select_row (GTK_LIST_BOX (gtk_widget_get_parent (sidebar_row)),
                           GTK_LIST_BOX_ROW (sidebar_row));
  g_signal_emit_by_name (gtk_widget_get_parent (sidebar_row), "row-activated", sidebar_row);
  pt_test_ui_wait_until (panel_ready, fixture->panel, "the Graphics panel");
  pt_test_ui_wait_for_frames (GTK_WIDGET (fixture->window));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (fixture->panel)));
}

static void
open_window (Fixture    *fixture,
             const char *fixture_name)
{
  open_window_sized (fixture, fixture_name, 1100, 780);
}

static guint
count_device_rows (GtkWidget *root)
{
  guint count = PT_IS_DEVICE_ROW (root) ? 1 : 0;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    count += count_device_rows (child);
  return count;
}

static void
close_window (Fixture *fixture)
{
  pt_test_ui_destroy_windows (fixture->app);
  g_clear_object (&fixture->app);
}

static PtDeviceRow *
find_row (Fixture    *fixture,
          const char *name)
{
  GtkWidget *row = pt_test_ui_find_named (GTK_WIDGET (fixture->panel), name);

  return row != NULL ? PT_DEVICE_ROW (row) : NULL;
}

static gboolean
has_badge (PtDeviceRow *row,
           const char  *badge)
{
  g_autoptr(GPtrArray) badges = pt_device_row_get_badges (row);

  return g_ptr_array_find_with_equal_func (badges, badge, g_str_equal, NULL);
}

static void
search (Fixture    *fixture,
        const char *text)
{
  GtkWidget *entry = pt_test_ui_find_named (GTK_WIDGET (fixture->panel), "device-search");

  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  /* The entry waits a moment before it says the search changed. */
  g_signal_emit_by_name (entry, "search-changed");
  pt_test_ui_wait_for_frames (GTK_WIDGET (fixture->window));
}

static void
set_gpu_only (Fixture  *fixture,
              gboolean  active)
{
  GtkWidget *button = pt_test_ui_find_named (GTK_WIDGET (fixture->panel), "gpu-only-button");

  g_assert_nonnull (button);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), active);
  pt_test_ui_wait_for_frames (GTK_WIDGET (fixture->window));
}

typedef struct {
  PtSetup    *setup;
  const char *gpu;
} GpuWait;

static gboolean
gpu_is (gpointer data)
{
  GpuWait *wait = data;

  return g_strcmp0 (pt_setup_get_gpu (wait->setup), wait->gpu) == 0;
}

static void
wait_for_gpu (Fixture    *fixture,
              const char *gpu)
{
  GpuWait wait = { fixture->setup, gpu };

  pt_test_ui_wait_until (gpu_is, &wait, "the setup's GPU");
  pt_test_ui_wait_for_frames (GTK_WIDGET (fixture->window));
}

/* The list row around a PtDeviceRow: its GtkTreeExpander's parent. */
static GtkWidget *
list_row_of (PtDeviceRow *row)
{
  GtkWidget *expander = gtk_widget_get_parent (GTK_WIDGET (row));

  g_assert_true (GTK_IS_TREE_EXPANDER (expander));
  return gtk_widget_get_parent (expander);
}

/* The group id of the list's row @position, -2 when that row is a device. */
static int
group_at (Fixture *fixture,
          guint    position)
{
  GListModel *rows = pt_graphics_panel_get_rows (fixture->panel);
  g_autoptr(GtkTreeListRow) row = g_list_model_get_item (rows, position);
  g_autoptr(PtGraphicsItem) item = NULL;

  g_assert_nonnull (row);
  item = gtk_tree_list_row_get_item (row);
  return pt_graphics_item_is_group (item) ? pt_graphics_item_get_group_id (item) : -2;
}

static guint
count_visible_rows (Fixture *fixture)
{
  return g_list_model_get_n_items (pt_graphics_panel_get_rows (fixture->panel));
}

static const char *
chosen_status (Fixture *fixture)
{
  GtkWidget *status = pt_test_ui_find_named (GTK_WIDGET (fixture->panel), "chosen-status");

  g_assert_nonnull (status);
  return gtk_widget_get_visible (status) ? gtk_label_get_text (GTK_LABEL (status)) : NULL;
}

/* Issue rows on screen whose text holds @words; blockers only when @blocker. */
static guint
count_issue_rows (Fixture            *fixture,
                  gboolean            blocker,
                  const char * const *words)
{
  guint found = 0;

  for (guint i = 0; i < 64; i++)
    {
      g_autofree char *name = g_strdup_printf ("issue-%u", i);
      GtkWidget *row = pt_test_ui_find_named (GTK_WIDGET (fixture->panel), name);
      GtkWidget *label;
      gboolean all = TRUE;

      if (row == NULL)
        break;
      if (blocker && !gtk_widget_has_css_class (row, "issue-blocker"))
        continue;
      label = gtk_widget_get_last_child (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row)));
      for (guint j = 0; words[j] != NULL; j++)
        all &= strstr (gtk_label_get_text (GTK_LABEL (label)), words[j]) != NULL;
      if (all && gtk_widget_get_mapped (row))
        found++;
    }
  return found;
}

static guint expected_rows (PtHostScan *scan);

/* Rows the list shows unfiltered: a header for each group (and one for the devices in none),
 * and the devices of each group that has more than bridges. */
static guint
expected_rows (PtHostScan *scan)
{
  const PtIommu *iommu = pt_host_scan_get_iommu (scan);
  GPtrArray *pci = pt_host_scan_get_pci (scan);
  guint rows = 0;
  gboolean ungrouped = FALSE;

  for (guint i = 0; i < iommu->groups->len; i++)
    {
      const PtIommuGroup *group = g_ptr_array_index (iommu->groups, i);
      gboolean open = FALSE;

      rows++;
      for (guint j = 0; j < group->devices->len; j++)
        if (!pt_pci_device_is_bridge (pt_pci_find (pci, g_ptr_array_index (group->devices, j))))
          open = TRUE;
      if (open)
        rows += group->devices->len;
    }
  for (guint i = 0; i < pci->len; i++)
    ungrouped |= ((PtPciDevice *) g_ptr_array_index (pci, i))->iommu_group < 0;
  return rows + (ungrouped ? 1 : 0);
}

/* The 2600X: activating the 1080 Ti's row picks the card with its audio; the Radeon shows the
 * start-up screen; clearing and picking by button work too. */
static void
test_ryzen (void)
{
  Fixture fixture = { 0 };
  PtDeviceRow *gpu_row;
  PtDeviceRow *audio_row;
  PtDeviceRow *group_row;
  PtDeviceRow *radeon_row;
  GtkWidget *choose_button;
  GtkWidget *clear_button;
  GtkWidget *single_gpu;
  const PtGpuChoice *choice;
  guint all_rows;
  static const char * const boot_words[] = { "0000:0a:00.0", "start-up screen", NULL };

  open_window (&fixture, "ryzen-2600x-desktop");
  g_assert_null (pt_setup_get_gpu (fixture.setup));
  g_assert_null (chosen_status (&fixture));
  /* Every group of the 2600X and the host bridges in none; groups of bridges alone stay
   * closed. */
  all_rows = count_visible_rows (&fixture);
  g_assert_cmpuint (all_rows, ==, expected_rows (pt_window_get_scan (fixture.window)));
  /* The graphics cards' groups lead; a group of bridges alone stays closed. */
  g_assert_cmpint (group_at (&fixture, 0), ==, 16);
  g_assert_cmpint (group_at (&fixture, 3), ==, 17);
  g_assert_cmpint (group_at (&fixture, 6), ==, 0);
  g_assert_cmpint (group_at (&fixture, 7), ==, 1);
  g_assert_nonnull (find_row (&fixture, "group-0"));
  g_assert_null (find_row (&fixture, "device-0000:00:01.0"));
  save_screenshot (GTK_WIDGET (fixture.window), "ryzen-start");

  /* Find the card by its name, then activate its row as a double click does. */
  search (&fixture, "GP102");
  g_assert_cmpuint (count_visible_rows (&fixture), ==, 3);
  gpu_row = find_row (&fixture, "device-0000:09:00.0");
  g_assert_nonnull (gpu_row);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (gpu_row), "gpu"));
  g_assert_true (gtk_widget_activate (list_row_of (gpu_row)));
  wait_for_gpu (&fixture, "0000:09:00.0");

  choice = pt_graphics_panel_get_choice (fixture.panel);
  g_assert_nonnull (choice);
  g_assert_cmpuint (choice->devices->len, ==, 2);
  g_assert_cmpstr (chosen_status (&fixture), ==, "Ready");

  gpu_row = find_row (&fixture, "device-0000:09:00.0");
  audio_row = find_row (&fixture, "device-0000:09:00.1");
  group_row = find_row (&fixture, "group-16");
  g_assert_nonnull (audio_row);
  g_assert_nonnull (group_row);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (gpu_row), "chosen"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (audio_row), "chosen"));
  g_assert_true (has_badge (gpu_row, "guest"));
  g_assert_true (has_badge (audio_row, "guest"));
  g_assert_false (has_badge (gpu_row, "boot-display"));
  g_assert_false (has_badge (gpu_row, "shares-group"));
  g_assert_true (has_badge (group_row, "guest"));
  g_assert_true (has_badge (group_row, "isolated"));
  choose_button = pt_test_ui_find_named (GTK_WIDGET (gpu_row), "choose-button");
  g_assert_false (gtk_widget_get_visible (choose_button));

  /* Only the graphics cards' groups: the Radeon shows the start-up screen and stays. */
  search (&fixture, "");
  g_assert_cmpuint (count_visible_rows (&fixture), ==, all_rows);
  set_gpu_only (&fixture, TRUE);
  g_assert_cmpuint (count_visible_rows (&fixture), ==, 2 + 4);
  radeon_row = find_row (&fixture, "device-0000:0a:00.0");
  g_assert_nonnull (radeon_row);
  g_assert_true (has_badge (radeon_row, "boot-display"));
  g_assert_false (has_badge (radeon_row, "guest"));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (radeon_row), "chosen"));
  g_assert_true (gtk_widget_get_mapped (pt_test_ui_find_named (GTK_WIDGET (radeon_row),
                                                               "choose-button")));
  save_screenshot (GTK_WIDGET (fixture.window), "ryzen-chosen");

  /* "Keep this card for the host" clears the choice. */
  clear_button = pt_test_ui_find_named (GTK_WIDGET (fixture.panel), "clear-button");
  g_assert_true (gtk_widget_get_mapped (clear_button));
  g_signal_emit_by_name (clear_button, "clicked");
  wait_for_gpu (&fixture, NULL);
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (find_row (&fixture,
                                                                  "device-0000:09:00.0")),
                                            "chosen"));

  /* The Radeon's button picks it, with a word about the start-up screen. */
  radeon_row = find_row (&fixture, "device-0000:0a:00.0");
  g_signal_emit_by_name (pt_test_ui_find_named (GTK_WIDGET (radeon_row), "choose-button"),
                         "clicked");
  wait_for_gpu (&fixture, "0000:0a:00.0");
  g_assert_cmpuint (count_issue_rows (&fixture, FALSE, boot_words), ==, 1);
  g_assert_cmpstr (chosen_status (&fixture), ==, "Ready");

  /* The single-GPU switch is the setup's, both ways. */
  single_gpu = pt_test_ui_find_named (GTK_WIDGET (fixture.panel), "single-gpu-switch");
  g_assert_true (gtk_widget_get_mapped (single_gpu));
  g_assert_false (pt_setup_get_single_gpu (fixture.setup));
  gtk_switch_set_active (GTK_SWITCH (single_gpu), TRUE);
  g_assert_true (pt_setup_get_single_gpu (fixture.setup));
  pt_setup_set_single_gpu (fixture.setup, FALSE);
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (single_gpu)));

  close_window (&fixture);
}

/* The RX 580 in a PCH slot: the badges warn before choosing; choosing shows the blockers that
 * name the SATA and the USB controller. */
static void
test_shared_group (void)
{
  Fixture fixture = { 0 };
  PtDeviceRow *gpu_row;
  PtDeviceRow *group_row;
  PtDeviceRow *igpu_row;
  static const char * const sata_words[] = { "SATA", "0000:00:17.0", "ACS", NULL };
  static const char * const usb_words[] = { "USB Controller", "0000:00:14.0", "keyboard", NULL };

  open_window (&fixture, "shared-group-board");
  set_gpu_only (&fixture, TRUE);

  gpu_row = find_row (&fixture, "device-0000:02:00.0");
  group_row = find_row (&fixture, "group-4");
  igpu_row = find_row (&fixture, "device-0000:00:02.0");
  g_assert_nonnull (gpu_row);
  g_assert_true (has_badge (gpu_row, "shares-group"));
  g_assert_true (has_badge (group_row, "shared"));
  g_assert_true (has_badge (igpu_row, "boot-display"));
  g_assert_true (has_badge (find_row (&fixture, "group-1"), "isolated"));

  g_signal_emit_by_name (pt_test_ui_find_named (GTK_WIDGET (gpu_row), "choose-button"), "clicked");
  wait_for_gpu (&fixture, "0000:02:00.0");
  g_assert_cmpstr (chosen_status (&fixture), ==, "Cannot go");
  g_assert_cmpuint (count_issue_rows (&fixture, TRUE, sata_words), ==, 1);
  g_assert_cmpuint (count_issue_rows (&fixture, TRUE, usb_words), ==, 1);
  /* The whole group goes, the root ports stay. */
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (find_row (&fixture,
                                                                 "device-0000:00:17.0")),
                                           "chosen"));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (find_row (&fixture,
                                                                  "device-0000:00:1b.0")),
                                            "chosen"));
  save_screenshot (GTK_WIDGET (fixture.window), "shared-group");

  close_window (&fixture);
}

static void
test_identical (void)
{
  Fixture fixture = { 0 };
  PtDeviceRow *guest;
  PtDeviceRow *host;

  open_window (&fixture, "identical-gpus");
  set_gpu_only (&fixture, TRUE);
  guest = find_row (&fixture, "device-0000:0b:00.0");
  host = find_row (&fixture, "device-0000:0a:00.0");
  g_assert_true (has_badge (guest, "same-ids"));
  g_assert_true (has_badge (host, "same-ids"));
  g_assert_true (has_badge (host, "boot-display"));

  gtk_widget_activate (list_row_of (guest));
  wait_for_gpu (&fixture, "0000:0b:00.0");
  g_assert_cmpstr (chosen_status (&fixture), ==, "Ready");
  save_screenshot (GTK_WIDGET (fixture.window), "identical-gpus");

  close_window (&fixture);
}

/* The laptop: instead of an empty list, how to turn the IOMMU on, and its cards to choose. */
static void
test_iommu_off (void)
{
  Fixture fixture = { 0 };
  GtkWidget *page;
  GtkWidget *args;
  GtkWidget *step;
  GtkWidget *gpu_row;
  GtkWidget *check;

  open_window (&fixture, "intel-hybrid-laptop-iommu-off");
  page = pt_test_ui_find_named (GTK_WIDGET (fixture.panel), "iommu-off-page");
  g_assert_true (gtk_widget_get_mapped (page));
  g_assert_false (gtk_widget_get_mapped (pt_test_ui_find_named (GTK_WIDGET (fixture.panel),
                                                                "device-list")));

  args = pt_test_ui_find_named (page, "iommu-kernel-args");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (args)), ==, "intel_iommu=on iommu=pt");
  step = pt_test_ui_find_named (page, "firmware-step-2");
  g_assert_nonnull (step);
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (gtk_widget_get_last_child (step))),
                            "VT-d"));
  save_screenshot (GTK_WIDGET (fixture.window), "iommu-off");

  gpu_row = pt_test_ui_find_named (page, "gpu-0000:01:00.0");
  g_assert_nonnull (gpu_row);
  check = pt_test_ui_find_named (gpu_row, "chosen-icon");
  g_assert_false (gtk_widget_get_visible (check));
  gtk_widget_activate (gpu_row);
  wait_for_gpu (&fixture, "0000:01:00.0");
  g_assert_true (gtk_widget_get_visible (check));

  close_window (&fixture);
}

/* Searching keeps the groups whose devices match, and says so when none do. */
static void
test_search (void)
{
  Fixture fixture = { 0 };
  GtkWidget *no_results;

  open_window (&fixture, "ryzen-2600x-desktop");
  no_results = pt_test_ui_find_named (GTK_WIDGET (fixture.panel), "no-results-page");

  search (&fixture, "nouveau");
  /* Group 16 and the 1080 Ti: the audio function runs snd_hda_intel. */
  g_assert_cmpuint (count_visible_rows (&fixture), ==, 2);
  g_assert_nonnull (find_row (&fixture, "device-0000:09:00.0"));

  search (&fixture, "10de:10ef");
  g_assert_cmpuint (count_visible_rows (&fixture), ==, 2);
  g_assert_nonnull (find_row (&fixture, "device-0000:09:00.1"));

  search (&fixture, "0000:07:00");
  g_assert_cmpuint (count_visible_rows (&fixture), ==, 2);

  search (&fixture, "no such device anywhere");
  g_assert_cmpuint (count_visible_rows (&fixture), ==, 0);
  g_assert_true (gtk_widget_get_mapped (no_results));
  save_screenshot (GTK_WIDGET (fixture.window), "no-results");

  search (&fixture, "");
  g_assert_false (gtk_widget_get_mapped (no_results));

  close_window (&fixture);
}

/* On a phone-sized window the panel fits: badges give way, nothing widens the window. */
static void
test_narrow (void)
{
  Fixture fixture = { 0 };

  open_window_sized (&fixture, "shared-group-board", 360, 720);
  set_gpu_only (&fixture, TRUE);
  g_signal_emit_by_name (pt_test_ui_find_named (GTK_WIDGET (find_row (&fixture,
                                                                       "device-0000:02:00.0")),
                                                "choose-button"),
                         "clicked");
  wait_for_gpu (&fixture, "0000:02:00.0");
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture.window)), <=, 360);
  g_assert_true (gtk_widget_get_mapped (pt_test_ui_find_named (GTK_WIDGET (fixture.panel),
                                                               "issues-row")));
  save_screenshot (GTK_WIDGET (fixture.window), "narrow");

  close_window (&fixture);
}

/* A host with thousands of functions: the list makes widgets only for the rows on screen, and
 * its end is reachable. */
static void
test_thousands (void)
{
  g_autofree char *script = pt_test_fixture_path ("make-synthetic.py");
  g_autofree char *python = g_find_program_in_path ("python3");
  g_autofree char *dir = NULL;
  g_autofree char *root = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *last_name = NULL;
  g_autoptr(GtkTreeListRow) last_row = NULL;
  g_autoptr(PtGraphicsItem) last_item = NULL;
  Fixture fixture = { 0 };
  GtkWidget *scroller;
  GtkAdjustment *adjustment;
  GListModel *rows;
  guint n_rows;
  int status = -1;

  if (python == NULL)
    {
      g_test_skip ("python3 is not installed, so the large host cannot be written");
      return;
    }
  dir = g_dir_make_tmp ("pt-test-ui-graphics-XXXXXX", NULL);
  root = g_build_filename (dir, "host", NULL);
  {
    const char *argv[] = { python, script, root, "--cpus", "16", "--pci", "2048", NULL };

    out = pt_test_spawn_stdout (argv, &status, &err);
    if (status != 0)
      g_error ("make-synthetic.py failed: %s", err);
  }

  open_window (&fixture, root);
  rows = pt_graphics_panel_get_rows (fixture.panel);
  n_rows = g_list_model_get_n_items (rows);
  g_assert_cmpuint (n_rows, ==, expected_rows (pt_window_get_scan (fixture.window)));
  g_assert_cmpuint (n_rows, >, 2048);
  /* Widgets for what is on screen and a margin (GTK keeps about 200), not for thousands. */
  g_assert_cmpuint (count_device_rows (GTK_WIDGET (fixture.panel)), <, 400);

  scroller = gtk_widget_get_ancestor (pt_test_ui_find_named (GTK_WIDGET (fixture.panel),
                                                             "device-list"),
                                      GTK_TYPE_SCROLLED_WINDOW);
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  /* The list learns its full height as it goes: scroll until the end stays the end. */
  for (guint i = 0; i < 10; i++)
    {
      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
      pt_test_ui_wait_for_frames (GTK_WIDGET (fixture.window));
    }
  last_row = g_list_model_get_item (rows, n_rows - 1);
  last_item = gtk_tree_list_row_get_item (last_row);
  last_name = pt_graphics_item_is_group (last_item)
              ? g_strdup_printf ("group-%d", pt_graphics_item_get_group_id (last_item))
              : g_strdup_printf ("device-%s", pt_graphics_item_get_device (last_item)->address);
  g_assert_nonnull (pt_test_ui_find_named (GTK_WIDGET (fixture.panel), last_name));
  g_assert_cmpuint (count_device_rows (GTK_WIDGET (fixture.panel)), <, 400);
  save_screenshot (GTK_WIDGET (fixture.window), "thousands-end");

  close_window (&fixture);
  pt_test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  if (!pt_test_ui_init (&argc, &argv))
    return 0;

  g_test_add_func ("/ui/graphics/ryzen", test_ryzen);
  g_test_add_func ("/ui/graphics/shared-group", test_shared_group);
  g_test_add_func ("/ui/graphics/identical", test_identical);
  g_test_add_func ("/ui/graphics/iommu-off", test_iommu_off);
  g_test_add_func ("/ui/graphics/search", test_search);
  g_test_add_func ("/ui/graphics/narrow", test_narrow);
  g_test_add_func ("/ui/graphics/thousands", test_thousands);

  return g_test_run ();
}
