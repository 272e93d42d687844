/* test-ui-processor.c: the Processor panel in the real window on fixture hosts: the grid, the
 * vCPU count, "Optimal", toggling a core from its cell, the isolation switch; and screenshots
 * of the 2600X and the two-socket server to look at. */

#include "config.h"

#include <adwaita.h>

#include "pt-application.h"
#include "pt-processor-panel.h"
#include "pt-test-ui.h"
#include "pt-test-utils.h"
#include "pt-window.h"

/* Scrolls the panel so that @target shows @margin pixels below the top. */
static void
scroll_to (GtkWidget *window,
           PtPanel   *panel,
           GtkWidget *target,
           double     margin)
{
  GtkWidget *scrolled = pt_test_ui_find_of_type (GTK_WIDGET (panel), GTK_TYPE_SCROLLED_WINDOW);
  GtkWidget *viewport = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled));
  GtkWidget *content = gtk_viewport_get_child (GTK_VIEWPORT (viewport));
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  graphene_point_t point;

  g_assert_true (gtk_widget_compute_point (target, content, &GRAPHENE_POINT_INIT (0, 0), &point));
  gtk_adjustment_set_value (adjustment, point.y - margin);
  pt_test_ui_wait_for_frames (window);
}

static void
save_screenshot (GtkWidget  *window,
                 const char *name)
{
  pt_test_ui_wait_for_frames (window);
  /* CSS transitions (a cell changing colour takes 200 ms) have to finish first. */
  pt_test_ui_wait_ms (400);
  pt_test_ui_save_screenshot (window, "ui-processor", name);
}

/* The window on @fixture, showing the Processor panel; NULL when the fixture is missing. */
static GtkWidget *
open_processor_panel (const char     *fixture,
                      int             width,
                      PtApplication **ret_app)
{
  g_autofree char *root = pt_test_ui_host_root (fixture);
  PtApplication *app;
  GtkWidget *window;
  GtkWidget *row;

  if (!g_file_test (root, G_FILE_TEST_IS_DIR))
    return NULL;

  window = pt_test_ui_open_window (root, "test:///default", FALSE, width, 790, &app);
  pt_test_ui_wait_until (pt_test_ui_scan_done, window, "the host scan");

  /* As a user does: the Processor row in the sidebar. */
  row = pt_test_ui_find_named (window, "processor");
  g_assert_nonnull (row);
  g_assert_true (GTK_IS_LIST_BOX_ROW (row));
  g_assert_true (gtk_widget_activate (row));
  pt_test_ui_wait_for_frames (window);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (pt_window_get_panel (PT_WINDOW (window),
                                                                         "processor"))));
  *ret_app = app;
  return window;
}

/* The nearest ancestor of @widget drawn as @css_class ("cpu-core", "cpu-l3"). */
static GtkWidget *
frame_of (GtkWidget  *widget,
          const char *css_class)
{
  while (widget != NULL && !gtk_widget_has_css_class (widget, css_class))
    widget = gtk_widget_get_parent (widget);
  g_assert_nonnull (widget);
  return widget;
}

static const char *
role_text (PtCpuGrid *grid,
           guint      cpu)
{
  GtkWidget *cell = pt_cpu_grid_get_cell (grid, cpu);
  GtkWidget *label;

  g_assert_nonnull (cell);
  label = pt_test_ui_find_named (cell, "role");
  g_assert_nonnull (label);
  return gtk_label_get_text (GTK_LABEL (label));
}

/* What the cells of @plan's CPUs show: vCPU numbers, the emulator's icons, "Host". */
static void
assert_cells_show (PtCpuGrid       *grid,
                   const PtCpuPlan *plan)
{
  for (guint i = 0; i < plan->online->len; i++)
    {
      guint cpu = g_array_index (plan->online, guint, i);
      GtkWidget *cell = pt_cpu_grid_get_cell (grid, cpu);
      int vcpu;
      PtCpuRole role = pt_cpu_plan_get_role (plan, cpu, &vcpu);

      g_assert_nonnull (cell);
      g_assert_true (gtk_widget_get_focusable (cell));
      if (role & PT_CPU_ROLE_VCPU)
        {
          g_autofree char *expected = g_strdup_printf ("vCPU %d", vcpu);

          g_assert_true (gtk_widget_has_css_class (cell, "vcpu"));
          g_assert_cmpstr (role_text (grid, cpu), ==, expected);
        }
      else if (role & (PT_CPU_ROLE_EMULATOR | PT_CPU_ROLE_IOTHREAD))
        {
          g_assert_true (gtk_widget_has_css_class (cell, "emulator"));
          g_assert_true (gtk_widget_get_visible (pt_test_ui_find_named (cell, "emulator-icon")));
          g_assert_true (gtk_widget_get_visible (pt_test_ui_find_named (cell, "io-icon")));
          g_assert_true (gtk_widget_get_mapped (pt_test_ui_find_named (cell, "emulator-icon")));
        }
      else
        {
          g_assert_true (gtk_widget_has_css_class (cell, "host"));
          g_assert_cmpstr (role_text (grid, cpu), ==, "Host");
        }
    }
}

static void
assert_vcpus (const PtCpuPlan *plan,
              const char      *expected)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < plan->vcpus->len; i++)
    g_string_append_printf (text, i > 0 ? ",%u" : "%u", g_array_index (plan->vcpus, guint, i));
  g_assert_cmpstr (text->str, ==, expected);
}

typedef struct {
  PtProcessorPanel *panel;
  PtCpuPlan        *old_plan;
} PlanWait;

static gboolean
plan_changed (gpointer data)
{
  PlanWait *wait = data;

  return pt_processor_panel_get_plan (wait->panel) != wait->old_plan;
}

/* Activates @cpu's cell as Enter or Space would, and waits for the new plan. */
static void
activate_cell (GtkWidget        *window,
               PtProcessorPanel *panel,
               guint             cpu)
{
  GtkWidget *cell = pt_cpu_grid_get_cell (pt_processor_panel_get_grid (panel), cpu);
  PlanWait wait = { panel, pt_processor_panel_get_plan (panel) };

  gtk_widget_grab_focus (cell);
  g_assert_true (gtk_widget_has_focus (cell));
  g_assert_true (gtk_widget_activate (cell));
  pt_test_ui_wait_until (plan_changed, &wait, "the plan after activating a cell");
}

static guint
count_reason_rows (GtkWidget *window)
{
  GtkWidget *list = pt_test_ui_find_named (window, "reasons-list");
  guint rows = 0;

  g_assert_nonnull (list);
  for (GtkWidget *child = gtk_widget_get_first_child (list); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_BOX_ROW (child))
      rows++;
  return rows;
}

static void
test_ryzen_2600x (void)
{
  g_autoptr(PtApplication) app = NULL;
  GtkWidget *window = open_processor_panel ("ryzen-2600x-desktop", 1260, &app);
  PtProcessorPanel *panel;
  PtCpuGrid *grid;
  PtSetup *setup;
  GtkWidget *spin;
  GtkWidget *optimal;
  GtkWidget *isolate;
  PtCpuPlan *plan;
  g_autofree char *label = NULL;
  const char *tooltip;

  if (window == NULL)
    {
      g_test_skip ("fixture ryzen-2600x-desktop is not there");
      return;
    }
  panel = PT_PROCESSOR_PANEL (pt_window_get_panel (PT_WINDOW (window), "processor"));
  grid = pt_processor_panel_get_grid (panel);
  setup = pt_panel_get_setup (PT_PANEL (panel));
  g_assert_cmpstr (pt_panel_get_title (PT_PANEL (panel)), ==, "Processor");

  /* Twelve cells, each named for a screen reader the way the issue asks. */
  for (guint cpu = 0; cpu < 12; cpu++)
    g_assert_nonnull (pt_cpu_grid_get_cell (grid, cpu));
  g_assert_null (pt_cpu_grid_get_cell (grid, 12));
  label = pt_cpu_grid_describe_cpu (grid, 9);
  g_assert_cmpstr (label, ==, "CPU 9, core 3, CCX 1");
  tooltip = gtk_widget_get_tooltip_text (pt_cpu_grid_get_cell (grid, 9));
  g_assert_true (g_str_has_prefix (tooltip, "CPU 9, core 3, CCX 1\n"));
  g_assert_nonnull (pt_test_ui_find_named (GTK_WIDGET (grid), "cpu-11"));

  /* The default count, planned at once. */
  plan = pt_processor_panel_get_plan (panel);
  g_assert_nonnull (plan);
  g_assert_cmpuint (plan->vcpus->len, ==, pt_setup_get_vcpus (setup));

  /* Six vCPUs: one whole CCX, emulator and I/O thread on core 0. */
  spin = pt_test_ui_find_named (window, "vcpus-spin");
  optimal = pt_test_ui_find_named (window, "optimal-button");
  g_assert_nonnull (spin);
  g_assert_nonnull (optimal);
  /* Twelve CPUs less core 0's two. */
  g_assert_cmpfloat (gtk_adjustment_get_upper (gtk_spin_button_get_adjustment (
                       GTK_SPIN_BUTTON (spin))), ==, 10);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 6);
  g_assert_cmpuint (pt_setup_get_vcpus (setup), ==, 6);
  g_signal_emit_by_name (optimal, "clicked");
  plan = pt_processor_panel_get_plan (panel);
  assert_vcpus (plan, "3,9,4,10,5,11");
  g_assert_false (plan->manual);
  assert_cells_show (grid, plan);
  g_assert_cmpstr (role_text (grid, 3), ==, "vCPU 0");
  g_assert_cmpstr (role_text (grid, 11), ==, "vCPU 5");
  g_assert_true (gtk_widget_has_css_class (pt_cpu_grid_get_cell (grid, 0), "emulator"));
  g_assert_true (gtk_widget_has_css_class (pt_cpu_grid_get_cell (grid, 6), "emulator"));
  g_assert_true (gtk_widget_has_css_class (pt_cpu_grid_get_cell (grid, 2), "host"));
  g_assert_nonnull (strstr (pt_test_ui_row_subtitle (pt_test_ui_find_of_type (GTK_WIDGET (panel),
                                                                              ADW_TYPE_ACTION_ROW)),
                            "3 cores with 2 threads each"));
  /* Already the planner's choice: nothing for "Optimal" to put back. */
  g_assert_false (gtk_widget_get_sensitive (optimal));
  g_assert_cmpuint (count_reason_rows (window), ==, g_strv_length (plan->reasons));
  save_screenshot (window, "ryzen-2600x-desktop");

  /* The keyboard reaches every cell: Tab walks core by core, each core's threads together. */
  {
    const guint order[] = { 0, 6, 1, 7, 2, 8, 3, 9, 4, 10, 5, 11 };

    gtk_widget_grab_focus (pt_cpu_grid_get_cell (grid, order[0]));
    for (guint i = 1; i < G_N_ELEMENTS (order); i++)
      {
        g_assert_true (gtk_widget_child_focus (window, GTK_DIR_TAB_FORWARD));
        g_assert_true (gtk_root_get_focus (GTK_ROOT (window))
                       == pt_cpu_grid_get_cell (grid, order[i]));
      }
    /* Arrows move between neighbours too. */
    g_assert_true (gtk_widget_child_focus (window, GTK_DIR_LEFT));
    g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) == pt_cpu_grid_get_cell (grid, 5));
  }

  /* Core 2 by hand, from its cell: both its threads join, after the others. */
  activate_cell (window, panel, 8);
  plan = pt_processor_panel_get_plan (panel);
  g_assert_true (plan->manual);
  assert_vcpus (plan, "2,8,3,9,4,10,5,11");
  assert_cells_show (grid, plan);
  g_assert_cmpstr (role_text (grid, 2), ==, "vCPU 0");
  g_assert_cmpstr (role_text (grid, 8), ==, "vCPU 1");
  g_assert_cmpuint (pt_setup_get_vcpus (setup), ==, 8);
  /* The picks reach the setup in vCPU order, for the domain. */
  g_assert_nonnull (pt_setup_get_cpu_pins (setup));
  g_assert_cmpuint (pt_setup_get_cpu_pins (setup)->len, ==, 8);
  g_assert_cmpuint (g_array_index (pt_setup_get_cpu_pins (setup), guint, 0), ==, 2);
  g_assert_cmpuint (g_array_index (pt_setup_get_cpu_pins (setup), guint, 1), ==, 8);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (spin)), ==, 8);
  g_assert_nonnull (strstr (pt_test_ui_row_subtitle (pt_test_ui_find_of_type (GTK_WIDGET (panel),
                                                                              ADW_TYPE_ACTION_ROW)),
                            "picked by hand"));
  g_assert_true (g_str_has_prefix (plan->reasons[0], "Picked by hand"));

  /* "Optimal" puts back the planner's own eight: core 1 rather than core 2 (a tie; the lower
   * core wins). */
  g_assert_true (gtk_widget_get_sensitive (optimal));
  g_signal_emit_by_name (optimal, "clicked");
  plan = pt_processor_panel_get_plan (panel);
  g_assert_false (plan->manual);
  g_assert_null (pt_setup_get_cpu_pins (setup));
  assert_vcpus (plan, "1,7,3,9,4,10,5,11");
  assert_cells_show (grid, plan);
  g_assert_false (gtk_widget_get_sensitive (optimal));

  /* Taking a core back: core 1 again, from its other thread. */
  activate_cell (window, panel, 7);
  plan = pt_processor_panel_get_plan (panel);
  assert_vcpus (plan, "3,9,4,10,5,11");
  g_assert_cmpstr (role_text (grid, 1), ==, "Host");
  /* The picks equal the planner's: nothing to put back. */
  g_assert_false (gtk_widget_get_sensitive (optimal));

  /* Core 0 by hand is allowed, and the reasons warn about it. */
  activate_cell (window, panel, 0);
  plan = pt_processor_panel_get_plan (panel);
  assert_vcpus (plan, "0,6,3,9,4,10,5,11");
  g_assert_true (strstr (plan->reasons[1], "Core 0") != NULL
                 || strstr (plan->reasons[2], "Core 0") != NULL);
  g_signal_emit_by_name (optimal, "clicked");

  /* The isolation switch writes the user's choice and explains itself with the host CPUs. */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 6);
  isolate = pt_test_ui_find_named (window, "isolate-switch");
  g_assert_nonnull (isolate);
  g_assert_false (pt_setup_get_isolate_host (setup));
  gtk_switch_set_active (GTK_SWITCH (isolate), TRUE);
  g_assert_true (pt_setup_get_isolate_host (setup));
  g_assert_nonnull (strstr (pt_test_ui_row_subtitle (pt_test_ui_find_named (window, "isolate-row")),
                            "0-2,6-8"));

  /* A Linux guest: a new optimum; here the same CCX. */
  pt_setup_set_guest (setup, PT_GUEST_LINUX);
  assert_vcpus (pt_processor_panel_get_plan (panel), "3,9,4,10,5,11");

  pt_test_ui_destroy_windows (app);
}

/* The host must keep a whole core: taking the last one away is refused, with the reason. */
static void
test_last_core_refused (void)
{
  g_autoptr(PtApplication) app = NULL;
  GtkWidget *window = open_processor_panel ("no-smt-desktop", 1260, &app);
  PtProcessorPanel *panel;
  GtkWidget *status;
  PtCpuPlan *before;

  if (window == NULL)
    {
      g_test_skip ("fixture no-smt-desktop is not there");
      return;
    }
  panel = PT_PROCESSOR_PANEL (pt_window_get_panel (PT_WINDOW (window), "processor"));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (pt_test_ui_find_named (window, "vcpus-spin")), 5);
  before = pt_processor_panel_get_plan (panel);
  assert_vcpus (before, "1,2,3,4,5");

  g_assert_true (gtk_widget_activate (pt_cpu_grid_get_cell (pt_processor_panel_get_grid (panel),
                                                            0)));
  status = pt_test_ui_find_named (window, "status-row");
  while (!gtk_widget_get_visible (status))
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (pt_processor_panel_get_plan (panel) == before);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (status)), ==,
                   "The host needs at least one whole core of its own.");

  pt_test_ui_destroy_windows (app);
}

/* Two sockets, the graphics card on node 1: the vCPUs go there, and the frames say so. */
static void
test_dual_socket (void)
{
  g_autoptr(PtApplication) app = NULL;
  GtkWidget *window = open_processor_panel ("dual-socket-server", 1260, &app);
  PtProcessorPanel *panel;
  PtCpuGrid *grid;
  PtSetup *setup;
  PtCpuPlan *plan;
  GtkWidget *offline;
  g_autofree char *label = NULL;

  if (window == NULL)
    {
      g_test_skip ("fixture dual-socket-server is not there");
      return;
    }
  panel = PT_PROCESSOR_PANEL (pt_window_get_panel (PT_WINDOW (window), "processor"));
  grid = pt_processor_panel_get_grid (panel);
  setup = pt_panel_get_setup (PT_PANEL (panel));

  pt_setup_set_gpu (setup, "0000:a1:00.0");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (pt_test_ui_find_named (window, "vcpus-spin")), 8);
  plan = pt_processor_panel_get_plan (panel);
  assert_vcpus (plan, "16,48,17,49,18,50,19,51");
  assert_cells_show (grid, plan);
  g_assert_true (gtk_widget_has_css_class (pt_cpu_grid_get_cell (grid, 20), "emulator"));
  g_assert_true (gtk_widget_has_css_class (pt_cpu_grid_get_cell (grid, 0), "host"));

  /* 60 online cells; the offline four are named below the grid. */
  for (guint cpu = 0; cpu < 64; cpu++)
    g_assert_cmpint (pt_cpu_grid_get_cell (grid, cpu) != NULL, ==, cpu < 60);
  offline = pt_test_ui_find_named (window, "offline-label");
  g_assert_true (gtk_widget_get_visible (offline));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (offline)), ==,
                   "CPUs 60-63 are offline and not shown.");
  label = pt_cpu_grid_describe_cpu (grid, 48);
  g_assert_cmpstr (label, ==, "CPU 48, core 16, CCX 4");

  save_screenshot (window, "dual-socket-server");
  /* The second package, where the guest runs. */
  scroll_to (window, PT_PANEL (panel), pt_cpu_grid_get_cell (grid, 16), 140);
  save_screenshot (window, "dual-socket-server-node1");

  pt_test_ui_destroy_windows (app);
}

/* Hybrid Intel: P- and E-cores are marked, and a small guest stays on P-cores. */
static void
test_hybrid (void)
{
  g_autoptr(PtApplication) app = NULL;
  GtkWidget *window = open_processor_panel ("intel-hybrid-laptop-iommu-off", 1260, &app);
  PtProcessorPanel *panel;
  PtCpuGrid *grid;
  g_autofree char *p_label = NULL;
  g_autofree char *e_label = NULL;

  if (window == NULL)
    {
      g_test_skip ("fixture intel-hybrid-laptop-iommu-off is not there");
      return;
    }
  panel = PT_PROCESSOR_PANEL (pt_window_get_panel (PT_WINDOW (window), "processor"));
  grid = pt_processor_panel_get_grid (panel);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (pt_test_ui_find_named (window, "vcpus-spin")), 6);
  assert_vcpus (pt_processor_panel_get_plan (panel), "2,3,4,5,6,7");
  assert_cells_show (grid, pt_processor_panel_get_plan (panel));

  /* The core around a cell says what kind it is, to the eye and to a screen reader. */
  g_assert_true (gtk_widget_has_css_class (frame_of (pt_cpu_grid_get_cell (grid, 2), "cpu-core"),
                                           "performance"));
  g_assert_true (gtk_widget_has_css_class (frame_of (pt_cpu_grid_get_cell (grid, 12), "cpu-core"),
                                           "efficiency"));
  p_label = pt_cpu_grid_describe_cpu (grid, 2);
  e_label = pt_cpu_grid_describe_cpu (grid, 12);
  g_assert_cmpstr (p_label, ==, "CPU 2, core 1, P-core, L3 cache 0");
  g_assert_cmpstr (e_label, ==, "CPU 12, core 6, E-core, L3 cache 0");
  save_screenshot (window, "intel-hybrid-laptop-iommu-off");

  pt_test_ui_destroy_windows (app);
}

/* A 7950X3D, which no fixture has: CCD 0 with 96 MiB of 3D V-Cache, CCD 1 with 32 MiB; CPU n
 * and n + 16 are siblings. */
static char *
write_vcache_host (void)
{
  g_autoptr(GError) error = NULL;
  char *root = g_dir_make_tmp ("pt-test-ui-vcache-XXXXXX", &error);
  g_autoptr(GString) cpuinfo = g_string_new (NULL);

  g_assert_no_error (error);
  pt_test_write_file (root, "sys/devices/system/cpu/online", "0-31\n");
  pt_test_write_file (root, "sys/devices/system/cpu/present", "0-31\n");
  pt_test_write_file (root, "sys/devices/system/node/node0/cpulist", "0-31\n");
  for (guint cpu = 0; cpu < 32; cpu++)
    {
      guint core = cpu % 16;
      gboolean vcache = core < 8;
      struct {
        const char *file;
        char       *text;
      } files[] = {
        { "topology/physical_package_id", g_strdup ("0\n") },
        { "topology/die_id", g_strdup ("0\n") },
        { "topology/core_id", g_strdup_printf ("%u\n", core) },
        { "topology/core_cpus_list", g_strdup_printf ("%u,%u\n", core, core + 16) },
        { "cache/index3/level", g_strdup ("3\n") },
        { "cache/index3/type", g_strdup ("Unified\n") },
        { "cache/index3/id", g_strdup (vcache ? "0\n" : "1\n") },
        { "cache/index3/size", g_strdup (vcache ? "98304K\n" : "32768K\n") },
        { "cache/index3/shared_cpu_list", g_strdup (vcache ? "0-7,16-23\n" : "8-15,24-31\n") },
      };

      for (guint i = 0; i < G_N_ELEMENTS (files); i++)
        {
          g_autofree char *path = g_strdup_printf ("sys/devices/system/cpu/cpu%u/%s", cpu,
                                                   files[i].file);

          pt_test_write_file (root, path, files[i].text);
          g_free (files[i].text);
        }
      g_string_append_printf (cpuinfo, "processor\t: %u\nvendor_id\t: AuthenticAMD\n"
                              "model name\t: AMD Ryzen 9 7950X3D 16-Core Processor\n"
                              "flags\t\t: fpu ht svm topoext\n\n", cpu);
    }
  pt_test_write_file (root, "proc/cpuinfo", cpuinfo->str);
  pt_test_write_file (root, "proc/meminfo", "MemTotal:       65536000 kB\n"
                                            "MemFree:        60000000 kB\n"
                                            "MemAvailable:   62000000 kB\n"
                                            "HugePages_Total:       0\n"
                                            "HugePages_Free:        0\n"
                                            "Hugepagesize:       2048 kB\n");
  return root;
}

/* The V-Cache CCD stands out, and a Windows guest gets it. */
static void
test_vcache (void)
{
  g_autofree char *root = write_vcache_host ();
  g_autoptr(PtApplication) app = NULL;
  GtkWidget *window = open_processor_panel (root, 1260, &app);
  PtProcessorPanel *panel = PT_PROCESSOR_PANEL (pt_window_get_panel (PT_WINDOW (window),
                                                                    "processor"));
  PtCpuGrid *grid = pt_processor_panel_get_grid (panel);
  GtkWidget *vcache_frame;
  GtkWidget *plain_frame;

  g_assert_nonnull (window);

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (pt_test_ui_find_named (window, "vcpus-spin")), 8);
  assert_vcpus (pt_processor_panel_get_plan (panel), "1,17,2,18,3,19,4,20");

  vcache_frame = frame_of (pt_cpu_grid_get_cell (grid, 1), "cpu-l3");
  plain_frame = frame_of (pt_cpu_grid_get_cell (grid, 9), "cpu-l3");
  g_assert_true (vcache_frame != plain_frame);
  g_assert_true (gtk_widget_has_css_class (vcache_frame, "vcache"));
  g_assert_false (gtk_widget_has_css_class (plain_frame, "vcache"));
  save_screenshot (window, "ryzen-7950x3d");

  /* A Linux guest leaves the big cache to the host and takes the other CCD. */
  pt_setup_set_guest (pt_panel_get_setup (PT_PANEL (panel)), PT_GUEST_LINUX);
  assert_vcpus (pt_processor_panel_get_plan (panel), "8,24,9,25,10,26,11,27");

  pt_test_ui_destroy_windows (app);
  pt_test_remove_tree (root);
}

/* On a phone-sized window the frames wrap instead of widening the window. */
static void
test_narrow (void)
{
  g_autoptr(PtApplication) app = NULL;
  GtkWidget *window = open_processor_panel ("dual-socket-server", 360, &app);
  PtProcessorPanel *panel;
  GtkWidget *cell;

  if (window == NULL)
    {
      g_test_skip ("fixture dual-socket-server is not there");
      return;
    }
  panel = PT_PROCESSOR_PANEL (pt_window_get_panel (PT_WINDOW (window), "processor"));
  save_screenshot (window, "narrow");
  g_assert_cmpint (gtk_widget_get_width (window), <=, 360);
  cell = pt_cpu_grid_get_cell (pt_processor_panel_get_grid (panel), 16);
  g_assert_true (gtk_widget_get_mapped (cell));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (pt_processor_panel_get_grid (panel))), <,
                   360);

  pt_test_ui_destroy_windows (app);
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("LC_ALL", "C", TRUE);
  if (!pt_test_ui_init (&argc, &argv))
    return 0;

  g_test_add_func ("/ui/processor/ryzen-2600x", test_ryzen_2600x);
  g_test_add_func ("/ui/processor/last-core-refused", test_last_core_refused);
  g_test_add_func ("/ui/processor/dual-socket", test_dual_socket);
  g_test_add_func ("/ui/processor/narrow", test_narrow);
  g_test_add_func ("/ui/processor/hybrid", test_hybrid);
  g_test_add_func ("/ui/processor/vcache", test_vcache);

  return g_test_run ();
}
