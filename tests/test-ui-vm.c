/* test-ui-vm.c: drives the Virtual Machine panel of the real window against libvirt's test
 * driver: creates a VM with the chosen GPU, applies a change to it, restores and undoes through
 * the kept backups, refuses names libvirt has, shows the XML, and survives an unusable address;
 * saves a screenshot of each state to look at. */

#include "config.h"

#include <adwaita.h>
#include <libvirt/libvirt.h>
#include <string.h>

#include "pt-application.h"
#include "pt-host-check.h"
#include "pt-libvirt.h"
#include "pt-overview-panel.h"
#include "pt-test-ui.h"
#include "pt-test-utils.h"
#include "pt-vm-connection-group.h"
#include "pt-vm-panel.h"
#include "pt-window.h"

#define TEST_URI "test:///default"

/* Where the backups go in this run: a private folder, never the user's own. */
static char *state_dir;

typedef struct {
  PtApplication *app;
  GtkWidget     *window;
  PtVmPanel     *panel;
} Ui;

static void
save_screenshot (GtkWidget  *window,
                 const char *name)
{
  /* CSS transitions (a check button filling in) last 200 ms; let them end first. */
  pt_test_ui_wait_ms (400);
  pt_test_ui_wait_for_frames (window);
  pt_test_ui_save_screenshot (window, "ui-vm", name);
}

/* A window the panel opened over the main one. Without a window manager (Xvfb) its frame clock
 * stops after the first frame, so there are no frames to wait for; it is laid out by then. */
static void
save_dialog_screenshot (GtkWidget  *dialog,
                        const char *name)
{
  pt_test_ui_wait_ms (400);
  pt_test_ui_save_screenshot (dialog, "ui-vm", name);
}

static gboolean
panel_idle (gpointer data)
{
  return !pt_vm_panel_get_busy (data);
}

static void
wait_idle (Ui *ui)
{
  pt_test_ui_wait_until (panel_idle, ui->panel, "the Virtual Machine panel's libvirt work");
}

/* The real window on the 2600X desktop with @libvirt_uri (NULL: the setting), showing the
 * Virtual Machine panel once libvirt has answered. */
static gboolean
ui_open (Ui         *ui,
         const char *libvirt_uri)
{
  g_autofree char *root = pt_test_ui_host_root ("ryzen-2600x-desktop");
  GtkWidget *row;

  if (!g_file_test (root, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("fixture ryzen-2600x-desktop is not there");
      return FALSE;
    }

  ui->window = pt_test_ui_open_window (root, libvirt_uri, FALSE, 1000, 900, &ui->app);
  pt_test_ui_wait_until (pt_test_ui_scan_done, ui->window, "the host scan");

  /* Opened the way a user does: its row in the sidebar, after Storage & USB. */
  row = pt_test_ui_find_named (ui->window, "vm");
  g_assert_nonnull (row);
  g_assert_true (GTK_IS_LIST_BOX_ROW (row));
  g_assert_true (gtk_widget_get_prev_sibling (row) == pt_test_ui_find_named (ui->window,
                                                                             "storage"));
  gtk_widget_activate (row);
  ui->panel = PT_VM_PANEL (pt_window_get_panel (PT_WINDOW (ui->window), "vm"));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (ui->panel)));
  g_assert_cmpstr (pt_panel_get_title (PT_PANEL (ui->panel)), ==, "Virtual Machine");
  wait_idle (ui);
  pt_test_ui_wait_for_frames (ui->window);
  return TRUE;
}

static void
ui_close (Ui *ui)
{
  pt_test_ui_destroy_windows (ui->app);
  g_clear_object (&ui->app);
}

static GtkWidget *
named (Ui         *ui,
       const char *name)
{
  GtkWidget *widget = pt_test_ui_find_named (GTK_WIDGET (ui->panel), name);

  if (widget == NULL)
    g_test_message ("No widget named %s", name);
  g_assert_nonnull (widget);
  return widget;
}

static PtSetup *
setup_of (Ui *ui)
{
  PtSetup *setup = pt_panel_get_setup (PT_PANEL (ui->panel));

  g_assert_nonnull (setup);
  return setup;
}

static const char *
row_title (GtkWidget *row)
{
  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
}

static const char *
define_label (Ui *ui)
{
  GtkWidget *label = pt_test_ui_find_of_type (named (ui, "vm-define"), GTK_TYPE_LABEL);

  g_assert_nonnull (label);
  return gtk_label_get_text (GTK_LABEL (label));
}

/* A label anywhere under @root whose text contains @text: toasts have no public widget. */
static GtkWidget *
find_label_containing (GtkWidget  *root,
                       const char *text)
{
  if (GTK_IS_LABEL (root) && strstr (gtk_label_get_text (GTK_LABEL (root)), text) != NULL)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label_containing (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A button anywhere under @root with the label @label (as written, with its underscore). */
static GtkWidget *
find_button_labelled (GtkWidget  *root,
                      const char *label)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button_labelled (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static guint
count_buttons_labelled (GtkWidget  *root,
                        const char *label)
{
  guint count = GTK_IS_BUTTON (root)
                && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    count += count_buttons_labelled (child, label);
  return count;
}

/* A toplevel window named @name (a dialog the panel opened), NULL when there is none. */
static GtkWidget *
find_toplevel (const char *name)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (g_strcmp0 (gtk_widget_get_name (window), name) == 0 && gtk_widget_get_visible (window))
        return window;
    }
  return NULL;
}

static gboolean
toplevel_shown (gpointer data)
{
  GtkWidget *window = find_toplevel (data);

  return window != NULL && gtk_widget_get_mapped (window);
}

static char *
domain_xml (const char *name)
{
  g_autoptr(GError) error = NULL;
  char *xml = pt_libvirt_get_domain_xml_sync (TEST_URI, name, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (xml);
  return xml;
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_test_message ("“%s” is not in:\n%s", needle, haystack);
  g_assert_nonnull (strstr (haystack, needle));
}

static void
click (GtkWidget *button)
{
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

/* Clicks Define and waits until libvirt has the result and the panel listed it again. */
static void
define_and_wait (Ui         *ui,
                 const char *expected_toast)
{
  click (named (ui, "vm-define"));
  g_assert_true (pt_vm_panel_get_busy (ui->panel));
  /* The button does not take a second click meanwhile. */
  g_assert_false (gtk_widget_get_sensitive (named (ui, "vm-define")));
  wait_idle (ui);
  if (find_toplevel ("vm-error-dialog") != NULL)
    g_test_message ("The define failed: an error dialog is open");
  g_assert_null (find_toplevel ("vm-error-dialog"));
  g_assert_nonnull (find_label_containing (GTK_WIDGET (ui->panel), expected_toast));
}

static guint
count_backup_rows (Ui *ui)
{
  guint count = 0;

  for (;; count++)
    {
      g_autofree char *name = g_strdup_printf ("vm-backup-%u", count);

      if (pt_test_ui_find_named (GTK_WIDGET (ui->panel), name) == NULL)
        return count;
    }
}

/* The whole way: the list shows libvirt's own "test"; a new VM with the chosen GPU; a change to
 * it with a backup listed; a restore of that backup; and the toast's Undo after another change. */
static void
test_create_apply_restore (void)
{
  Ui ui = { 0 };
  PtSetup *setup;
  GtkWidget *test_row;
  GtkWidget *vm_row;
  GtkWidget *dialog;
  GtkWidget *undo;
  const char *path;
  g_autofree char *xml = NULL;
  g_autofree char *edited = NULL;
  g_autofree char *restored = NULL;
  g_autofree char *undone = NULL;
  g_autofree char *six = NULL;

  if (!ui_open (&ui, TEST_URI))
    return;
  setup = setup_of (&ui);

  /* The connection says what it holds; the test driver's running "test" is listed. */
  g_assert_cmpstr (row_title (named (&ui, "vm-connection")), ==, TEST_URI);
  g_assert_true (g_str_has_prefix (pt_test_ui_row_subtitle (named (&ui, "vm-connection")),
                                   "libvirt "));
  assert_contains (pt_test_ui_row_subtitle (named (&ui, "vm-connection")), "virtual machine");
  g_assert_false (gtk_widget_get_visible (named (&ui, "vm-retry")));
  test_row = named (&ui, "vm-domain-test");
  assert_contains (pt_test_ui_row_subtitle (test_row), "running");
  assert_contains (pt_test_ui_row_subtitle (test_row), "when it next starts");
  g_assert_null (pt_vm_panel_get_chosen (ui.panel));
  g_assert_false (gtk_widget_get_visible (named (&ui, "vm-backups")));

  /* A new VM named in the entry, with the GPU chosen elsewhere in the setup. */
  pt_setup_set_gpu (setup, "0000:09:00.0");
  gtk_editable_set_text (GTK_EDITABLE (named (&ui, "vm-new")), "pt-ui-vm");
  g_assert_cmpstr (pt_setup_get_name (setup), ==, "pt-ui-vm");
  g_assert_cmpstr (define_label (&ui), ==, "Create Virtual Machine");
  g_assert_true (gtk_widget_get_sensitive (named (&ui, "vm-define")));
  g_assert_false (gtk_widget_get_visible (named (&ui, "vm-name-problem")));
  save_screenshot (ui.window, "new");

  define_and_wait (&ui, "“pt-ui-vm” is defined");
  xml = domain_xml ("pt-ui-vm");
  assert_contains (xml, "<hostdev mode='subsystem' type='pci' managed='yes'>");
  assert_contains (xml, "bus='0x09' slot='0x00' function='0x0'");
  assert_contains (xml, "<memory unit='KiB'>8388608</memory>");

  /* The new VM is chosen now: the next define is an edit, and its backups are shown. */
  g_assert_cmpstr (pt_vm_panel_get_chosen (ui.panel), ==, "pt-ui-vm");
  vm_row = named (&ui, "vm-domain-pt-ui-vm");
  g_assert_true (gtk_check_button_get_active (
                   GTK_CHECK_BUTTON (pt_test_ui_find_of_type (vm_row, GTK_TYPE_CHECK_BUTTON))));
  g_assert_cmpstr (define_label (&ui), ==, "Apply to “pt-ui-vm”");
  g_assert_true (gtk_widget_get_visible (named (&ui, "vm-backups")));
  g_assert_true (gtk_widget_get_visible (named (&ui, "vm-backups-status")));
  assert_contains (row_title (named (&ui, "vm-backups-status")), "kept before every change");
  g_assert_cmpuint (count_backup_rows (&ui), ==, 0);
  save_screenshot (ui.window, "defined");

  /* Less memory, applied: libvirt has the new size, and the old definition is a backup. */
  pt_setup_set_memory_mib (setup, 4096);
  define_and_wait (&ui, "“pt-ui-vm” is defined");
  edited = domain_xml ("pt-ui-vm");
  assert_contains (edited, "<memory unit='KiB'>4194304</memory>");
  g_assert_cmpuint (count_backup_rows (&ui), ==, 1);
  assert_contains (row_title (named (&ui, "vm-backup-0")), "Kept ");
  path = gtk_widget_get_tooltip_text (named (&ui, "vm-backup-0"));
  g_assert_nonnull (path);
  g_assert_true (g_str_has_prefix (path, state_dir));
  g_assert_nonnull (find_button_labelled (GTK_WIDGET (ui.panel), "_Undo"));
  pt_test_ui_scroll_panel (ui.window, PT_PANEL (ui.panel), 1.0);
  save_screenshot (ui.window, "backups");

  /* Restore asks first; then the old memory is back, and the edited one is a backup too. */
  click (pt_test_ui_find_named (named (&ui, "vm-backup-0"), "vm-backup-restore"));
  pt_test_ui_wait_until (toplevel_shown, (gpointer) "vm-restore-dialog", "the restore question");
  dialog = find_toplevel ("vm-restore-dialog");
  assert_contains (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), "pt-ui-vm");
  save_dialog_screenshot (dialog, "restore-question");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "restore");
  wait_idle (&ui);
  g_assert_nonnull (find_label_containing (GTK_WIDGET (ui.panel), "“pt-ui-vm” is as it was on"));
  restored = domain_xml ("pt-ui-vm");
  assert_contains (restored, "<memory unit='KiB'>8388608</memory>");
  assert_contains (restored, "bus='0x09' slot='0x00' function='0x0'");
  g_assert_cmpuint (count_backup_rows (&ui), ==, 2);

  /* Two more changes; the last toast's Undo takes back the last one only (2 GiB, not the
   * 8 GiB that older backups hold). */
  pt_setup_set_memory_mib (setup, 2048);
  define_and_wait (&ui, "“pt-ui-vm” is defined");
  pt_setup_set_memory_mib (setup, 6144);
  define_and_wait (&ui, "“pt-ui-vm” is defined");
  six = domain_xml ("pt-ui-vm");
  assert_contains (six, "<memory unit='KiB'>6291456</memory>");
  g_assert_cmpuint (count_backup_rows (&ui), ==, 4);
  /* The earlier toast is gone once its hiding ends: one Undo is left, the last change's. */
  pt_test_ui_wait_ms (600);
  g_assert_cmpuint (count_buttons_labelled (GTK_WIDGET (ui.panel), "_Undo"), ==, 1);
  undo = find_button_labelled (GTK_WIDGET (ui.panel), "_Undo");
  g_assert_nonnull (undo);
  g_signal_emit_by_name (undo, "clicked");
  wait_idle (&ui);
  g_assert_nonnull (find_label_containing (GTK_WIDGET (ui.panel), "“pt-ui-vm” is undone"));
  undone = domain_xml ("pt-ui-vm");
  assert_contains (undone, "<memory unit='KiB'>2097152</memory>");
  /* The undo kept the 6 GiB definition too, so that it can be had back. */
  g_assert_cmpuint (count_backup_rows (&ui), ==, 5);

  ui_close (&ui);
}

/* A name libvirt has, one with "/", and none at all: said under the entry, and no define. */
static void
test_name_problems (void)
{
  Ui ui = { 0 };
  PtSetup *setup;
  GtkWidget *entry;
  GtkWidget *problem;
  GtkWidget *define;

  if (!ui_open (&ui, TEST_URI))
    return;
  setup = setup_of (&ui);
  entry = named (&ui, "vm-new");
  problem = named (&ui, "vm-name-problem");
  define = named (&ui, "vm-define");

  gtk_editable_set_text (GTK_EDITABLE (entry), "test");
  g_assert_true (gtk_widget_get_visible (problem));
  assert_contains (row_title (problem), "already has a virtual machine named “test”");
  g_assert_false (gtk_widget_get_sensitive (define));
  g_assert_true (gtk_widget_has_css_class (entry, "error"));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (named (&ui, "vm-define-hint"))), ==,
                   row_title (problem));
  save_screenshot (ui.window, "name-taken");

  gtk_editable_set_text (GTK_EDITABLE (entry), "a/b");
  assert_contains (row_title (problem), "“/”");
  g_assert_false (gtk_widget_get_sensitive (define));
  /* Such a name is not handed to the other panels. */
  g_assert_cmpstr (pt_setup_get_name (setup), ==, "test");

  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  assert_contains (row_title (problem), "name");
  g_assert_false (gtk_widget_get_sensitive (define));

  gtk_editable_set_text (GTK_EDITABLE (entry), "pt-ui-free-name");
  g_assert_false (gtk_widget_get_visible (problem));
  g_assert_true (gtk_widget_get_sensitive (define));
  g_assert_false (gtk_widget_has_css_class (entry, "error"));

  /* Choosing an existing VM takes the name's problem away; typing a name chooses "new". */
  gtk_editable_set_text (GTK_EDITABLE (entry), "test");
  gtk_widget_activate (named (&ui, "vm-domain-test"));
  g_assert_cmpstr (pt_vm_panel_get_chosen (ui.panel), ==, "test");
  g_assert_false (gtk_widget_get_visible (problem));
  g_assert_cmpstr (define_label (&ui), ==, "Apply to “test”");
  assert_contains (gtk_label_get_text (GTK_LABEL (named (&ui, "vm-define-hint"))),
                   "when it next starts");
  gtk_editable_set_text (GTK_EDITABLE (entry), "pt-ui-other");
  g_assert_null (pt_vm_panel_get_chosen (ui.panel));
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (named (&ui, "vm-new-check"))));

  ui_close (&ui);
}

/* The guest system and the hypervisor switch go into the XML that "Show XML" shows. */
static void
test_show_xml (void)
{
  Ui ui = { 0 };
  PtSetup *setup;
  GtkWidget *window;
  GtkTextBuffer *buffer;
  GtkTextIter start;
  GtkTextIter end;
  g_autofree char *text = NULL;

  if (!ui_open (&ui, TEST_URI))
    return;
  setup = setup_of (&ui);

  gtk_editable_set_text (GTK_EDITABLE (named (&ui, "vm-new")), "pt-ui-preview");
  adw_combo_row_set_selected (ADW_COMBO_ROW (named (&ui, "vm-guest")), 1);
  g_assert_cmpint (pt_setup_get_guest (setup), ==, PT_GUEST_LINUX);
  adw_combo_row_set_selected (ADW_COMBO_ROW (named (&ui, "vm-guest")), 0);
  g_assert_cmpint (pt_setup_get_guest (setup), ==, PT_GUEST_WINDOWS);
  gtk_switch_set_active (GTK_SWITCH (named (&ui, "vm-kvm-hidden")), TRUE);

  click (named (&ui, "vm-show-xml"));
  pt_test_ui_wait_until (toplevel_shown, (gpointer) "vm-xml-window", "the XML window");
  wait_idle (&ui);
  window = find_toplevel ("vm-xml-window");
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (pt_test_ui_find_named (window,
                                                                           "vm-xml-view")));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  assert_contains (text, "<name>pt-ui-preview</name>");
  /* The preview is libxml2's serialization: double quotes. */
  assert_contains (text, "<hidden state=\"on\"/>");
  assert_contains (text, "<hyperv");
  save_dialog_screenshot (window, "xml");

  /* A preview defines nothing. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *missing = pt_libvirt_get_domain_xml_sync (TEST_URI, "pt-ui-preview", NULL,
                                                               &error);

    g_assert_null (missing);
    g_assert_nonnull (error);
  }

  gtk_window_close (GTK_WINDOW (window));
  g_assert_null (find_toplevel ("vm-xml-window"));
  ui_close (&ui);
}

/* What the Connection group says about where a new address goes. */
static const char *
connection_description (Ui *ui)
{
  GtkWidget *group = gtk_widget_get_ancestor (named (ui, "vm-uri"), ADW_TYPE_PREFERENCES_GROUP);

  g_assert_nonnull (group);
  return adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (group));
}

/* A domain started from XML alone is listed but cannot be chosen, and says why. libvirt's
 * test:///default is one shared state per process, so a domain started here is the panel's too. */
static void
test_transient_domain (void)
{
  static const char transient_xml[] =
    "<domain type='test'><name>pt-ui-transient</name><memory>1048576</memory>"
    "<os><type>hvm</type></os></domain>";
  Ui ui = { 0 };
  virConnectPtr conn;
  virDomainPtr domain;
  GtkWidget *row;
  GtkWidget *check;

  if (!ui_open (&ui, TEST_URI))
    return;

  conn = virConnectOpen (TEST_URI);
  g_assert_nonnull (conn);
  domain = virDomainCreateXML (conn, transient_xml, 0);
  g_assert_nonnull (domain);

  /* Checking again (F5) lists it. */
  g_assert_true (gtk_widget_activate_action (ui.window, "win.rescan", NULL));
  pt_test_ui_wait_until (pt_test_ui_scan_done, ui.window, "the host scan");
  wait_idle (&ui);
  row = named (&ui, "vm-domain-pt-ui-transient");
  check = pt_test_ui_find_of_type (row, GTK_TYPE_CHECK_BUTTON);
  g_assert_false (gtk_widget_get_sensitive (check));
  assert_contains (pt_test_ui_row_subtitle (row), "running");
  assert_contains (pt_test_ui_row_subtitle (row), "nothing lasting to change");
  gtk_widget_activate (row);
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
  g_assert_null (pt_vm_panel_get_chosen (ui.panel));

  g_assert_cmpint (virDomainDestroy (domain), ==, 0);
  virDomainFree (domain);
  virConnectClose (conn);
  ui_close (&ui);
}

static gboolean
connection_failed (gpointer data)
{
  Ui *ui = data;

  return !pt_vm_panel_get_busy (ui->panel)
         && gtk_widget_get_visible (named (ui, "vm-retry"));
}

/* The state of the Overview's libvirt check once its checks are in; PT_CHECK_UNKNOWN before. */
static PtCheckState
overview_libvirt_state (PtPanel *overview)
{
  GPtrArray *checks = pt_overview_panel_get_checks (PT_OVERVIEW_PANEL (overview));

  if (!pt_overview_panel_get_ready (PT_OVERVIEW_PANEL (overview)) || checks == NULL)
    return PT_CHECK_UNKNOWN;
  for (guint i = 0; i < checks->len; i++)
    {
      PtHostCheck *check = g_ptr_array_index (checks, i);

      if (g_str_equal (check->id, "libvirt"))
        return check->state;
    }
  return PT_CHECK_UNKNOWN;
}

static gboolean
overview_libvirt_failed (gpointer overview)
{
  return overview_libvirt_state (overview) == PT_CHECK_FAILED;
}

static gboolean
overview_libvirt_ok (gpointer overview)
{
  return overview_libvirt_state (overview) == PT_CHECK_OK;
}

/* An address libvirt cannot use: a sentence, a way to try again, no define; every panel gets the
 * address; with --connect the setting stays; and the test driver works again afterwards. */
static void
test_unusable_uri (void)
{
  Ui ui = { 0 };
  GtkWidget *uri_row;
  GSettings *settings;
  const char *message;
  PtPanel *overview;

  if (!ui_open (&ui, TEST_URI))
    return;
  settings = pt_application_get_settings (ui.app);
  g_assert_nonnull (settings);
  assert_contains (connection_description (&ui), "until Passthrough closes");

  uri_row = named (&ui, "vm-uri");
  gtk_editable_set_text (GTK_EDITABLE (uri_row), "bogus:///x");
  g_signal_emit_by_name (uri_row, "apply");
  pt_test_ui_wait_until (connection_failed, &ui, "the connection to fail");

  g_assert_cmpstr (pt_panel_get_libvirt_uri (PT_PANEL (ui.panel)), ==, "bogus:///x");
  g_assert_cmpstr (row_title (named (&ui, "vm-connection")), ==, "bogus:///x");
  message = pt_test_ui_row_subtitle (named (&ui, "vm-connection"));
  g_test_message ("bogus:///x: %s", message);
  /* A sentence (it may start with "libvirt", a lower-case name). */
  g_assert_cmpuint (strlen (message), >, 20);
  g_assert_nonnull (strchr (message, '.'));
  g_assert_false (gtk_widget_get_sensitive (named (&ui, "vm-define")));
  g_assert_null (pt_test_ui_find_named (GTK_WIDGET (ui.panel), "vm-domain-test"));
  /* Every panel made so far has it; the setting is not touched by a --connect run. */
  overview = pt_window_get_panel (PT_WINDOW (ui.window), "overview");
  g_assert_cmpstr (pt_panel_get_libvirt_uri (overview), ==, "bogus:///x");
  /* ... and checks it again: the Overview's libvirt check now fails. */
  pt_test_ui_wait_until (overview_libvirt_failed, overview, "the Overview to check bogus:///x");
  g_assert_cmpstr (g_settings_get_string (settings, "libvirt-uri"), ==, "qemu:///system");
  save_screenshot (ui.window, "unusable-uri");

  /* Trying again asks again, and fails the same way. */
  click (named (&ui, "vm-retry"));
  g_assert_true (pt_vm_panel_get_busy (ui.panel));
  pt_test_ui_wait_until (connection_failed, &ui, "the connection to fail again");

  /* Back to the test driver: its domains (those this run defined too) are there again. */
  gtk_editable_set_text (GTK_EDITABLE (uri_row), TEST_URI);
  g_signal_emit_by_name (uri_row, "apply");
  wait_idle (&ui);
  g_assert_false (gtk_widget_get_visible (named (&ui, "vm-retry")));
  g_assert_nonnull (named (&ui, "vm-domain-test"));
  g_assert_true (gtk_widget_get_sensitive (named (&ui, "vm-define")));
  pt_test_ui_wait_until (overview_libvirt_ok, overview, "the Overview to check libvirt again");

  ui_close (&ui);
}

/* A libvirt without domains: the new VM is the only choice, so it has no check button; one
 * with domains shows the choice again. */
static void
test_empty_libvirt (void)
{
  g_autofree char *dir = g_dir_make_tmp ("pt-test-vm-XXXXXX", NULL);
  g_autofree char *node = g_build_filename (dir, "empty.xml", NULL);
  g_autofree char *uri = g_strconcat ("test://", node, NULL);
  Ui ui = { 0 };
  GtkWidget *uri_row;

  g_assert_true (g_file_set_contents (node, "<node/>\n", -1, NULL));
  if (!ui_open (&ui, uri))
    {
      pt_test_remove_tree (dir);
      return;
    }

  g_assert_false (gtk_widget_get_visible (named (&ui, "vm-new-check")));
  g_assert_null (pt_test_ui_find_named (GTK_WIDGET (ui.panel), "vm-domain-test"));
  save_screenshot (ui.window, "empty-libvirt");

  uri_row = named (&ui, "vm-uri");
  gtk_editable_set_text (GTK_EDITABLE (uri_row), TEST_URI);
  g_signal_emit_by_name (uri_row, "apply");
  wait_idle (&ui);
  g_assert_nonnull (named (&ui, "vm-domain-test"));
  g_assert_true (gtk_widget_get_visible (named (&ui, "vm-new-check")));

  ui_close (&ui);
  pt_test_remove_tree (dir);
}

/* A libvirt on another computer (qemu+ssh://server/system) gets a warning that the VM is built
 * from this computer's devices; the test driver is this computer, and asking again says so. */
static void
test_other_computer (void)
{
  Ui ui = { 0 };
  GtkWidget *group;
  GtkWidget *warning;
  GtkWidget *uri_row;

  if (!ui_open (&ui, TEST_URI))
    return;

  warning = named (&ui, "vm-other-computer");
  g_assert_false (gtk_widget_get_visible (warning));

  group = pt_test_ui_find_of_type (GTK_WIDGET (ui.panel), PT_TYPE_VM_CONNECTION_GROUP);
  pt_vm_connection_group_set_other_computer (PT_VM_CONNECTION_GROUP (group), "gaming-server");
  g_assert_true (gtk_widget_get_visible (warning));
  assert_contains (pt_test_ui_row_subtitle (warning), "“gaming-server”");
  assert_contains (pt_test_ui_row_subtitle (warning), "graphics card");
  save_screenshot (ui.window, "other-computer");

  /* The same address applied again asks libvirt again: the probe says which computer. */
  uri_row = named (&ui, "vm-uri");
  g_signal_emit_by_name (uri_row, "apply");
  wait_idle (&ui);
  g_assert_false (gtk_widget_get_visible (warning));

  ui_close (&ui);
}

/* Without --connect, a new address is the saved setting, and the setting reaches the panels. */
static void
test_uri_saved (void)
{
  Ui ui = { 0 };
  g_autoptr(GSettings) settings = NULL;
  GtkWidget *uri_row;
  g_autofree char *root = pt_test_ui_host_root ("ryzen-2600x-desktop");
  GtkWidget *row;

  if (!g_file_test (root, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("fixture ryzen-2600x-desktop is not there");
      return;
    }

  ui.window = pt_test_ui_open_window (root, NULL, FALSE, 1000, 900, &ui.app);
  settings = g_object_ref (pt_application_get_settings (ui.app));
  g_settings_set_string (settings, "libvirt-uri", TEST_URI);
  pt_test_ui_wait_until (pt_test_ui_scan_done, ui.window, "the host scan");
  row = pt_test_ui_find_named (ui.window, "vm");
  gtk_widget_activate (row);
  ui.panel = PT_VM_PANEL (pt_window_get_panel (PT_WINDOW (ui.window), "vm"));
  wait_idle (&ui);

  g_assert_cmpstr (pt_panel_get_libvirt_uri (PT_PANEL (ui.panel)), ==, TEST_URI);
  g_assert_nonnull (named (&ui, "vm-domain-test"));
  assert_contains (connection_description (&ui), "kept for next time");

  uri_row = named (&ui, "vm-uri");
  gtk_editable_set_text (GTK_EDITABLE (uri_row), "bogus:///y");
  g_signal_emit_by_name (uri_row, "apply");
  pt_test_ui_wait_until (connection_failed, &ui, "the connection to fail");
  g_assert_cmpstr (g_settings_get_string (settings, "libvirt-uri"), ==, "bogus:///y");
  g_assert_cmpstr (pt_panel_get_libvirt_uri (pt_window_get_panel (PT_WINDOW (ui.window),
                                                                  "overview")),
                   ==, "bogus:///y");

  /* A change of the setting from elsewhere (dconf, another window) is followed too. */
  g_settings_set_string (settings, "libvirt-uri", TEST_URI);
  wait_idle (&ui);
  g_assert_cmpstr (pt_panel_get_libvirt_uri (PT_PANEL (ui.panel)), ==, TEST_URI);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (uri_row)), ==, TEST_URI);
  g_assert_nonnull (named (&ui, "vm-domain-test"));

  g_settings_reset (settings, "libvirt-uri");
  ui_close (&ui);
}

int
main (int    argc,
      char **argv)
{
  int result;

  /* Backups go to a private state folder, never to the user's own; set before GLib reads it. */
  state_dir = g_dir_make_tmp ("pt-test-ui-vm-XXXXXX", NULL);
  g_assert_nonnull (state_dir);
  g_setenv ("XDG_STATE_HOME", state_dir, TRUE);

  if (!pt_test_ui_init (&argc, &argv))
    {
      pt_test_remove_tree (state_dir);
      return 0;
    }

  g_test_add_func ("/ui/vm/create-apply-restore", test_create_apply_restore);
  g_test_add_func ("/ui/vm/name-problems", test_name_problems);
  g_test_add_func ("/ui/vm/show-xml", test_show_xml);
  g_test_add_func ("/ui/vm/transient-domain", test_transient_domain);
  g_test_add_func ("/ui/vm/unusable-uri", test_unusable_uri);
  g_test_add_func ("/ui/vm/other-computer", test_other_computer);
  g_test_add_func ("/ui/vm/empty-libvirt", test_empty_libvirt);
  g_test_add_func ("/ui/vm/uri-saved", test_uri_saved);

  result = g_test_run ();
  pt_test_remove_tree (state_dir);
  g_free (state_dir);
  return result;
}
