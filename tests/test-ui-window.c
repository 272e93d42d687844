/* test-ui-window.c: builds the real window on fixture hosts and on this host, waits for the
 * Overview to fill in, checks what it shows, and saves screenshots to look at. */

#include "config.h"

#include <adwaita.h>

#include "pt-application.h"
#include "pt-host-check.h"
#include "pt-overview-panel.h"
#include "pt-panel.h"
#include "pt-test-ui.h"
#include "pt-test-utils.h"
#include "pt-window.h"

typedef struct {
  const char *id;
  PtCheckState state;
} ExpectedCheck;

typedef struct {
  const char          *name;
  const char          *fixture;       /* NULL: the running host, "/" */
  const char          *libvirt_uri;   /* NULL: the GSettings default */
  gboolean             demo;
  int                  width;         /* window width; 0 for the default */
  const char          *cpu_model;     /* a part of the Processor row; NULL: from the scan */
  const ExpectedCheck *checks;        /* terminated by a NULL id */
  const char * const  *fix_words;     /* words the IOMMU fix must contain; NULL: none */
} WindowCase;

static const ExpectedCheck ryzen_checks[] = {
  { "cpu-virtualization", PT_CHECK_OK },
  { "iommu", PT_CHECK_OK },
  { "libvirt", PT_CHECK_OK },
  { "ovmf", PT_CHECK_OK },
  { NULL, 0 },
};

static const ExpectedCheck laptop_checks[] = {
  { "iommu", PT_CHECK_FAILED },
  { "kernel-args", PT_CHECK_FAILED },
  { "libvirt", PT_CHECK_OK },
  { NULL, 0 },
};

static const char * const laptop_fix_words[] = { "VT-d", "intel_iommu=on", NULL };

static const WindowCase window_cases[] = {
  { "ryzen-2600x-desktop", "ryzen-2600x-desktop", "test:///default", FALSE, 0,
    "Ryzen 5 2600X", ryzen_checks, NULL },
  { "intel-hybrid-laptop-iommu-off", "intel-hybrid-laptop-iommu-off", "test:///default", FALSE,
    0, NULL, laptop_checks, laptop_fix_words },
  { "host", NULL, NULL, FALSE, 0, NULL, NULL, NULL },
  { "ryzen-2600x-desktop-narrow", "ryzen-2600x-desktop", "test:///default", TRUE, 360,
    "Ryzen 5 2600X", ryzen_checks, NULL },
};

static const char * const all_check_ids[] = {
  "cpu-virtualization", "kvm", "iommu", "kernel-args", "vfio-pci", "libvirt", "ovmf",
  "libvirt-group", "memory", NULL,
};

static GtkWidget *
find_with_class (GtkWidget  *root,
                 const char *css_class)
{
  if (gtk_widget_has_css_class (root, css_class))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_with_class (child, css_class);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
overview_ready (gpointer data)
{
  PtWindow *window = data;
  PtPanel *overview = pt_window_get_panel (window, "overview");

  return !pt_window_get_scanning (window)
         && overview != NULL
         && pt_overview_panel_get_ready (PT_OVERVIEW_PANEL (overview));
}

static const char *
icon_for_state (PtCheckState state)
{
  switch (state)
    {
    case PT_CHECK_OK:
      return "emblem-ok-symbolic";
    case PT_CHECK_WARNING:
      return "dialog-warning-symbolic";
    case PT_CHECK_FAILED:
      return "dialog-error-symbolic";
    case PT_CHECK_UNKNOWN:
    default:
      return "dialog-question-symbolic";
    }
}

static const char *
row_title (GtkWidget *row)
{
  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
}

/* Every check is a row with the check's title, its detail, the icon of its state, and, when it
 * did not pass, its fix on screen. */
static void
assert_check_rows (GtkWidget       *window,
                   PtOverviewPanel *overview)
{
  GPtrArray *checks = pt_overview_panel_get_checks (overview);

  g_assert_cmpuint (checks->len, ==, g_strv_length ((char **) all_check_ids));

  for (guint i = 0; i < checks->len; i++)
    {
      const PtHostCheck *check = g_ptr_array_index (checks, i);
      g_autofree char *row_name = g_strdup_printf ("check-%s", check->id);
      g_autofree char *fix_name = g_strdup_printf ("fix-%s", check->id);
      GtkWidget *row = pt_test_ui_find_named (window, row_name);
      GtkWidget *icon;

      g_assert_cmpstr (check->id, ==, all_check_ids[i]);
      g_assert_nonnull (row);
      g_assert_true (gtk_widget_get_mapped (row));
      g_assert_cmpstr (row_title (row), ==, check->title);
      g_assert_cmpstr (pt_test_ui_row_subtitle (row), ==, check->detail);
      g_assert_true (check->detail != NULL && check->detail[0] != '\0');

      icon = find_with_class (row, "status-icon");
      g_assert_nonnull (icon);
      g_assert_cmpstr (gtk_image_get_icon_name (GTK_IMAGE (icon)), ==,
                       icon_for_state (check->state));

      if (check->fix != NULL)
        {
          GtkWidget *fix = pt_test_ui_find_named (row, fix_name);

          g_assert_true (ADW_IS_EXPANDER_ROW (row));
          g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (row)));
          g_assert_nonnull (fix);
          g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (fix)), ==, check->fix);
          /* Visible without a click: the expander is open. */
          g_assert_true (gtk_widget_get_mapped (fix));
        }
      else
        {
          g_assert_cmpint (check->state, ==, PT_CHECK_OK);
          g_assert_null (pt_test_ui_find_named (row, fix_name));
        }
    }
}

static void
assert_expected_checks (GtkWidget         *window,
                        PtOverviewPanel   *overview,
                        const WindowCase  *test_case)
{
  GPtrArray *checks = pt_overview_panel_get_checks (overview);

  for (const ExpectedCheck *expected = test_case->checks;
       expected != NULL && expected->id != NULL;
       expected++)
    {
      const PtHostCheck *found = NULL;

      for (guint i = 0; i < checks->len && found == NULL; i++)
        if (g_str_equal (((PtHostCheck *) g_ptr_array_index (checks, i))->id, expected->id))
          found = g_ptr_array_index (checks, i);

      g_assert_nonnull (found);
      if (found->state != expected->state)
        g_test_message ("%s: %s (%s)", found->id, found->detail, found->fix);
      g_assert_cmpstr (pt_check_state_to_string (found->state), ==,
                       pt_check_state_to_string (expected->state));
    }

  for (guint i = 0; test_case->fix_words != NULL && test_case->fix_words[i] != NULL; i++)
    {
      GtkWidget *fix = pt_test_ui_find_named (window, "fix-iommu");

      g_assert_nonnull (fix);
      g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (fix)), test_case->fix_words[i]));
    }
}

static guint
count_gpus (PtHostScan *scan,
            gboolean    boot_vga_only)
{
  GPtrArray *pci = pt_host_scan_get_pci (scan);
  guint count = 0;

  for (guint i = 0; i < pci->len; i++)
    {
      const PtPciDevice *device = g_ptr_array_index (pci, i);

      if (pt_pci_device_is_gpu (device) && (!boot_vga_only || device->boot_vga))
        count++;
    }
  return count;
}

/* The summary names the processor with its cores and threads, the memory, the IOMMU, the
 * kernel, and every graphics card, marking the boot display. */
static void
assert_summary (GtkWidget        *window,
                PtHostScan       *scan,
                const WindowCase *test_case)
{
  const PtCpuTopology *cpu = pt_host_scan_get_cpu (scan);
  const PtIommu *iommu = pt_host_scan_get_iommu (scan);
  const PtBoot *boot = pt_host_scan_get_boot (scan);
  GPtrArray *pci = pt_host_scan_get_pci (scan);
  g_autofree char *threads = g_strdup_printf ("%u threads", cpu->online->len);
  const char *cpu_text = pt_test_ui_row_subtitle (pt_test_ui_find_named (window, "summary-cpu"));
  const char *iommu_text =
    pt_test_ui_row_subtitle (pt_test_ui_find_named (window, "summary-iommu"));
  const char *kernel_text =
    pt_test_ui_row_subtitle (pt_test_ui_find_named (window, "summary-kernel"));
  const char *memory_text =
    pt_test_ui_row_subtitle (pt_test_ui_find_named (window, "summary-memory"));
  const char *os_text = pt_test_ui_row_subtitle (pt_test_ui_find_named (window, "summary-os"));
  guint gpu_rows = 0;
  guint boot_tags = 0;

  g_assert_nonnull (strstr (cpu_text, test_case->cpu_model != NULL
                                      ? test_case->cpu_model : cpu->model));
  g_assert_nonnull (strstr (cpu_text, threads));
  g_assert_nonnull (strstr (memory_text, "GiB"));
  g_assert_true (g_str_has_prefix (iommu_text, iommu->enabled ? "On" : "Off"));
  g_assert_true (os_text != NULL && os_text[0] != '\0');
  if (boot->running_kernel[0] != '\0')
    g_assert_nonnull (strstr (kernel_text, boot->running_kernel));

  for (guint i = 0; i < pci->len; i++)
    {
      const PtPciDevice *device = g_ptr_array_index (pci, i);
      g_autofree char *name = g_strdup_printf ("gpu-%s", device->address);
      GtkWidget *row = pt_test_ui_find_named (window, name);

      if (!pt_pci_device_is_gpu (device))
        {
          g_assert_null (row);
          continue;
        }

      g_assert_nonnull (row);
      gpu_rows++;
      g_assert_nonnull (strstr (pt_test_ui_row_subtitle (row), device->address));
      if (pt_test_ui_find_named (row, "boot-display") != NULL)
        {
          g_assert_true (device->boot_vga);
          boot_tags++;
        }
    }

  g_assert_cmpuint (gpu_rows, ==, count_gpus (scan, FALSE));
  g_assert_cmpuint (boot_tags, ==, count_gpus (scan, TRUE));
  if (gpu_rows == 0)
    g_assert_nonnull (pt_test_ui_find_named (window, "gpu-none"));
}

typedef struct {
  PtWindow   *window;
  PtHostScan *old_scan;
} RescanWait;

/* A new snapshot is in, and the checks on it are on screen. */
static gboolean
rescanned (gpointer data)
{
  RescanWait *wait = data;

  return pt_window_get_scan (wait->window) != wait->old_scan && overview_ready (wait->window);
}

static void
test_window (gconstpointer data)
{
  const WindowCase *test_case = data;
  g_autofree char *root = pt_test_ui_host_root (test_case->fixture);
  g_autoptr(PtApplication) app = NULL;
  GtkWidget *window;
  PtPanel *overview;
  PtHostScan *scan;
  GtkWidget *banner;
  GtkWidget *check_again;
  RescanWait rescan = { NULL, NULL };
  g_autofree char *bottom_name = g_strdup_printf ("%s-bottom", test_case->name);

  if (!g_file_test (root, G_FILE_TEST_IS_DIR))
    {
      g_test_skip_printf ("fixture %s is not there", test_case->fixture);
      return;
    }

  window = pt_test_ui_open_window (root, test_case->libvirt_uri, test_case->demo,
                                   test_case->width > 0 ? test_case->width : 1000, 760, &app);

  pt_test_ui_wait_until (overview_ready, window, "the Overview's checks");
  pt_test_ui_wait_for_frames (window);

  overview = pt_window_get_panel (PT_WINDOW (window), "overview");
  scan = pt_window_get_scan (PT_WINDOW (window));
  g_assert_nonnull (scan);
  g_assert_cmpstr (pt_panel_get_title (overview), ==, "Overview");

  assert_check_rows (window, PT_OVERVIEW_PANEL (overview));
  assert_expected_checks (window, PT_OVERVIEW_PANEL (overview), test_case);
  assert_summary (window, scan, test_case);

  /* Ctrl+? shows the shortcuts, bundled with the app. */
  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));

  banner = pt_test_ui_find_named (window, "demo-banner");
  g_assert_nonnull (banner);
  g_assert_cmpint (gtk_revealer_get_reveal_child (GTK_REVEALER (banner)), ==, test_case->demo);

  if (test_case->width > 0)
    {
      AdwLeaflet *leaflet = ADW_LEAFLET (pt_test_ui_find_of_type (window, ADW_TYPE_LEAFLET));

      g_assert_cmpint (gtk_widget_get_width (window), <=, test_case->width);
      /* Folded, the Overview itself shows, not the list of one panel. */
      g_assert_true (adw_leaflet_get_folded (leaflet));
      g_assert_true (gtk_widget_is_ancestor (GTK_WIDGET (overview),
                                             adw_leaflet_get_visible_child (leaflet)));
      g_assert_true (gtk_widget_get_mapped (pt_test_ui_find_named (window, "check-iommu")));
    }

  pt_test_ui_save_screenshot (window, "ui-window", test_case->name);
  pt_test_ui_scroll_panel (window, overview, 1);
  pt_test_ui_save_screenshot (window, "ui-window", bottom_name);

  /* "Check again" reads the host again and repeats the checks. */
  rescan.window = PT_WINDOW (window);
  rescan.old_scan = g_object_ref (scan);
  check_again = pt_test_ui_find_named (window, "check-again");
  g_assert_nonnull (check_again);
  g_assert_true (gtk_widget_get_mapped (check_again) || test_case->width > 0);
  g_assert_true (gtk_widget_is_sensitive (check_again));
  g_signal_emit_by_name (check_again, "clicked");
  pt_test_ui_wait_until (rescanned, &rescan, "the Overview after checking again");
  g_clear_object (&rescan.old_scan);
  assert_check_rows (window, PT_OVERVIEW_PANEL (overview));

  pt_test_ui_destroy_windows (app);
}

static gboolean
error_page_shown (gpointer data)
{
  PtWindow *window = data;
  GtkWidget *page = pt_test_ui_find_named (GTK_WIDGET (window), "error-page");

  return !pt_window_get_scanning (window) && page != NULL && gtk_widget_get_mapped (page);
}

static gboolean
scanning (gpointer data)
{
  return pt_window_get_scanning (data);
}

/* A host that cannot be read shows the reason and a way to try again, not an empty window. */
static void
test_window_scan_error (void)
{
  g_autofree char *missing = g_build_filename (g_get_tmp_dir (), "pt-test-no-such-host", NULL);
  g_autoptr(PtApplication) app = NULL;
  GtkWidget *window;
  GtkWidget *page;
  GtkWidget *retry;

  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));

  window = pt_test_ui_open_window (missing, "test:///default", FALSE, 640, 560, &app);

  pt_test_ui_wait_until (error_page_shown, window, "the error page");
  pt_test_ui_wait_for_frames (window);
  page = pt_test_ui_find_named (window, "error-page");
  g_assert_true (adw_status_page_get_description (ADW_STATUS_PAGE (page)) != NULL);
  g_assert_cmpstr (adw_status_page_get_description (ADW_STATUS_PAGE (page)), !=, "");
  pt_test_ui_save_screenshot (window, "ui-window", "scan-error");

  /* Retry runs the scan again; the host is still missing, so the page comes back. */
  retry = pt_test_ui_find_named (window, "retry-button");
  g_assert_nonnull (retry);
  g_assert_true (gtk_widget_get_mapped (retry));
  g_assert_true (gtk_widget_is_sensitive (retry));
  g_signal_emit_by_name (retry, "clicked");
  pt_test_ui_wait_until (scanning, window, "the second scan to start");
  pt_test_ui_wait_until (error_page_shown, window, "the error page after retrying");

  pt_test_ui_destroy_windows (app);
}

/* The shortcuts the window promises, and the About window from the primary menu. */
static void
test_app_actions (void)
{
  g_autoptr(PtApplication) app = pt_application_new ("/", "test:///default", TRUE);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) quit_accels = NULL;
  g_auto(GStrv) rescan_accels = NULL;
  GListModel *toplevels;
  AdwAboutWindow *about = NULL;

  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  quit_accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.quit");
  rescan_accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.rescan");
  g_assert_true (g_strv_contains ((const char * const *) quit_accels, "<Control>q"));
  g_assert_true (g_strv_contains ((const char * const *) rescan_accels, "<Control>r"));

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  toplevels = gtk_window_get_toplevels ();
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

      if (ADW_IS_ABOUT_WINDOW (item))
        about = ADW_ABOUT_WINDOW (item);
    }
  g_assert_nonnull (about);
  g_assert_cmpstr (adw_about_window_get_application_name (about), ==, "Passthrough");
  g_assert_cmpstr (adw_about_window_get_version (about), ==, PACKAGE_VERSION);
  g_assert_cmpstr (adw_about_window_get_application_icon (about), ==, APP_ID);
  gtk_window_destroy (GTK_WINDOW (about));

  /* Quit closes every window. */
  g_application_activate (G_APPLICATION (app));
  g_assert_nonnull (gtk_application_get_windows (GTK_APPLICATION (app)));
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (app)));
}

/* A panel that counts what PtPanel tells it. */
#define PT_TYPE_COUNTING_PANEL (pt_counting_panel_get_type ())
G_DECLARE_FINAL_TYPE (PtCountingPanel, pt_counting_panel, PT, COUNTING_PANEL, PtPanel)

struct _PtCountingPanel
{
  PtPanel parent_instance;
  guint   scans;
  guint   uris;
};

G_DEFINE_TYPE (PtCountingPanel, pt_counting_panel, PT_TYPE_PANEL)

static void
pt_counting_panel_scan_changed (PtPanel *panel)
{
  PT_COUNTING_PANEL (panel)->scans++;
}

static void
pt_counting_panel_libvirt_uri_changed (PtPanel *panel)
{
  PT_COUNTING_PANEL (panel)->uris++;
}

static void
pt_counting_panel_class_init (PtCountingPanelClass *klass)
{
  PtPanelClass *panel_class = PT_PANEL_CLASS (klass);

  panel_class->scan_changed = pt_counting_panel_scan_changed;
  panel_class->libvirt_uri_changed = pt_counting_panel_libvirt_uri_changed;
}

static void
pt_counting_panel_init (PtCountingPanel *self)
{
}

/* A re-scan that comes with another URI asks libvirt once, not once for each. */
static void
test_panel_host (void)
{
  g_autofree char *fixture = pt_test_fixture_path ("ryzen-2600x-desktop");
  g_autoptr(PtHostScan) first = NULL;
  g_autoptr(PtHostScan) second = NULL;
  g_autoptr(GError) error = NULL;
  PtCountingPanel *panel = g_object_ref_sink (g_object_new (PT_TYPE_COUNTING_PANEL, NULL));
  PtPanel *base = PT_PANEL (panel);

  first = pt_host_scan_new_sync (fixture, NULL, &error);
  g_assert_no_error (error);
  second = pt_host_scan_new_sync (fixture, NULL, &error);
  g_assert_no_error (error);

  pt_panel_set_host (base, first, "test:///default");
  g_assert_cmpuint (panel->scans, ==, 1);
  g_assert_cmpuint (panel->uris, ==, 0);
  g_assert_cmpstr (pt_panel_get_libvirt_uri (base), ==, "test:///default");

  pt_panel_set_libvirt_uri (base, "qemu:///system");
  g_assert_cmpuint (panel->scans, ==, 1);
  g_assert_cmpuint (panel->uris, ==, 1);

  pt_panel_set_host (base, second, "test:///default");
  g_assert_cmpuint (panel->scans, ==, 2);
  g_assert_cmpuint (panel->uris, ==, 1);
  g_assert_true (pt_panel_get_scan (base) == second);
  g_assert_cmpstr (pt_panel_get_libvirt_uri (base), ==, "test:///default");

  /* Nothing new: nothing to redo. */
  pt_panel_set_host (base, second, "test:///default");
  pt_panel_set_libvirt_uri (base, "test:///default");
  g_assert_cmpuint (panel->scans, ==, 2);
  g_assert_cmpuint (panel->uris, ==, 1);

  pt_panel_set_scan (base, first);
  g_assert_cmpuint (panel->scans, ==, 3);
  g_assert_cmpstr (pt_panel_get_libvirt_uri (base), ==, "test:///default");

  g_object_unref (panel);
}

typedef struct {
  gboolean done;
  gboolean success;
  GError  *error;
} ProcessWait;

static void
process_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  ProcessWait *wait = user_data;

  wait->success = g_subprocess_wait_check_finish (G_SUBPROCESS (source), result, &wait->error);
  wait->done = TRUE;
}

static gboolean
process_done (gpointer data)
{
  return ((ProcessWait *) data)->done;
}

/* PT_QUIT_AFTER makes the real binary quit by itself once it has painted, for start-up timing. */
static void
test_quit_after (gconstpointer data)
{
  const char *mode = data;
  const char *binary = g_getenv ("PT_PASSTHROUGH_BIN");
  g_autofree char *fixture = pt_test_fixture_path ("ryzen-2600x-desktop");
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  ProcessWait wait = { FALSE, FALSE, NULL };

  if (binary == NULL)
    {
      g_test_skip ("PT_PASSTHROUGH_BIN is not set");
      return;
    }
  if (!g_file_test (fixture, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("fixture ryzen-2600x-desktop is not there");
      return;
    }

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_setenv (launcher, "PT_QUIT_AFTER", mode, TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, binary, "--sysroot", fixture,
                                         "--connect", "test:///default", NULL);
  g_assert_no_error (error);

  g_subprocess_wait_check_async (process, NULL, process_done_cb, &wait);
  pt_test_ui_wait_until (process_done, &wait, "the app to quit by itself");
  if (!wait.done)
    {
      g_subprocess_force_exit (process);
      return;
    }
  g_assert_no_error (wait.error);
  g_assert_true (wait.success);
}

int
main (int    argc,
      char **argv)
{
  if (!pt_test_ui_init (&argc, &argv))
    return 0;

  for (guint i = 0; i < G_N_ELEMENTS (window_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/ui/window/%s", window_cases[i].name);

      g_test_add_data_func (path, &window_cases[i], test_window);
    }
  g_test_add_func ("/ui/window/scan-error", test_window_scan_error);
  g_test_add_func ("/ui/app/actions", test_app_actions);
  g_test_add_func ("/ui/panel/host", test_panel_host);
  g_test_add_data_func ("/ui/quit-after/first-frame", "first-frame", test_quit_after);
  g_test_add_data_func ("/ui/quit-after/ready", "ready", test_quit_after);

  return g_test_run ();
}
