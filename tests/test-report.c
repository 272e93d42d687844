/* test-report.c: every fixture's --report equals its expected JSON; bad input fails cleanly. */
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "pt-report.h"
#include "pt-test-utils.h"

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static void
assert_same_json (JsonNode   *expected,
                  JsonNode   *actual,
                  const char *what)
{
  g_autofree char *diff = pt_test_json_diff (expected, actual);

  if (diff != NULL)
    g_error ("%s differs from its expected report: %s", what, diff);
}

/* The scan in-process and `passthrough --sysroot DIR --report` both give the expected JSON. */
static void
test_fixture_report (gconstpointer data)
{
  const char *name = data;
  g_autofree char *root = pt_test_fixture_path (name);
  g_autofree char *expected_name = g_strconcat (name, ".expected.json", NULL);
  g_autofree char *expected_path = pt_test_fixture_path (expected_name);
  g_autoptr(JsonNode) expected = pt_test_load_json (expected_path);
  g_autoptr(GError) error = NULL;
  g_autoptr(PtHostScan) scan = pt_host_scan_new_sync (root, NULL, &error);
  g_autoptr(JsonNode) report = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonNode) cli_report = NULL;
  int status = -1;
  const char *argv[] = { g_getenv ("PT_PASSTHROUGH_BIN"), "--sysroot", root, "--report", NULL };

  g_assert_no_error (error);
  report = pt_report_build (scan);
  assert_same_json (expected, report, name);

  if (argv[0] == NULL)
    {
      g_test_skip ("PT_PASSTHROUGH_BIN is not set, so the command line is not checked");
      return;
    }
  out = pt_test_spawn_stdout (argv, &status, &err);
  g_assert_cmpint (status, ==, 0);
  cli_report = parse_json (out);
  assert_same_json (expected, cli_report, "passthrough --report");
}

typedef struct {
  const char *what;
  const char *args[4];      /* after the binary; "@EMPTY@" is an empty temp dir */
  const char *stderr_has;
} BadInvocation;

static const BadInvocation bad_invocations[] = {
  { "missing root", { "--sysroot", "/nonexistent/tree", "--report", NULL }, "nonexistent" },
  { "empty root", { "--sysroot", "@EMPTY@", "--report", NULL }, "CPU" },
  { "unknown option", { "--frobnicate", NULL }, "frobnicate" },
  { "stray argument", { "--report", "extra", NULL }, "extra" },
};

static void
test_bad_invocations (void)
{
  const char *bin = g_getenv ("PT_PASSTHROUGH_BIN");
  g_autofree char *empty = g_dir_make_tmp ("pt-empty-XXXXXX", NULL);

  if (bin == NULL)
    {
      g_test_skip ("PT_PASSTHROUGH_BIN is not set");
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad_invocations); i++)
    {
      const BadInvocation *b = &bad_invocations[i];
      const char *argv[6] = { bin, NULL };
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      int status = -1;

      for (guint j = 0; b->args[j] != NULL; j++)
        argv[j + 1] = g_str_equal (b->args[j], "@EMPTY@") ? empty : b->args[j];

      g_test_message ("%s", b->what);
      out = pt_test_spawn_stdout (argv, &status, &err);
      g_assert_cmpint (status, ==, 1);
      g_assert_cmpstr (out, ==, "");
      /* One clear line. */
      g_assert_nonnull (strstr (err, b->stderr_has));
      g_assert_true (g_str_has_suffix (err, "\n"));
      g_assert_true (strchr (err, '\n') == err + strlen (err) - 1);
    }
  g_rmdir (empty);
}

/* Host strings are bytes: a Latin-1 command line and kernel name, and an empty /proc/swaps,
 * still give valid JSON (both once broke the report, found by the fuzzer). */
static void
test_hostile_strings (void)
{
  g_autofree char *root = g_dir_make_tmp ("pt-report-XXXXXX", NULL);
  g_autoptr(PtHostScan) scan = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) parsed = NULL;
  JsonObject *boot;

  pt_test_write_file (root, "sys/devices/system/cpu/online", "0\n");
  pt_test_write_file (root, "sys/devices/system/cpu/cpu0/topology/core_id", "0\n");
  pt_test_write_file (root, "proc/meminfo", "MemTotal:       16318880 kB\nMemFree: 1 kB\n");
  pt_test_write_file (root, "proc/cmdline", "root=/dev/sda1 quiet caf\xe9=1\n");
  pt_test_write_file (root, "proc/sys/kernel/osrelease", "6.1.0-\xff\n");
  pt_test_write_file (root, "proc/swaps", "");

  scan = pt_host_scan_new_sync (root, NULL, &error);
  g_assert_no_error (error);
  text = pt_report_to_string (scan);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  parsed = parse_json (text);
  boot = json_object_get_object_member (json_node_get_object (parsed), "boot");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (boot, "cmdline"),
                                   "root=/dev/sda1 quiet caf"));
  g_assert_true (g_str_has_prefix (json_object_get_string_member (boot, "running_kernel"),
                                   "6.1.0-"));
  pt_test_remove_tree (root);
}

/* Tens of thousands of small files: tmpfs writes them several times faster than a disk. */
static char *
make_scratch_dir (void)
{
  if (g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR) && access ("/dev/shm", W_OK) == 0)
    {
      g_autofree char *template = g_strdup ("/dev/shm/pt-synthetic-XXXXXX");

      if (g_mkdtemp (template) != NULL)
        return g_steal_pointer (&template);
    }
  return g_dir_make_tmp ("pt-synthetic-XXXXXX", NULL);
}

/* A large generated tree (hundreds of CPUs, thousands of PCI functions) is read correctly. */
static void
test_synthetic (void)
{
  g_autofree char *script = pt_test_fixture_path ("make-synthetic.py");
  g_autofree char *python = g_find_program_in_path ("python3");
  g_autofree char *dir = make_scratch_dir ();
  g_autofree char *root = g_build_filename (dir, "host", NULL);
  g_autofree char *expected_path = g_strconcat (root, ".expected.json", NULL);
  g_autofree char *cleanup = g_strdup_printf ("rm -rf '%s'", dir);
  g_autoptr(JsonNode) expected = NULL;
  g_autoptr(JsonNode) report = NULL;
  g_autoptr(PtHostScan) scan = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { python, script, root, "--cpus", "256", "--pci", "2048", NULL };
  int status = -1;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  if (python == NULL)
    {
      g_test_skip ("python3 is not installed, so the synthetic tree cannot be written");
      return;
    }
  out = pt_test_spawn_stdout (argv, &status, &err);
  if (status != 0)
    g_error ("make-synthetic.py failed: %s", err);

  scan = pt_host_scan_new_sync (root, NULL, &error);
  g_assert_no_error (error);
  /* The generator takes a few CPUs offline, as on a real big machine. */
  g_assert_cmpuint (pt_host_scan_get_cpu (scan)->online->len
                    + pt_host_scan_get_cpu (scan)->offline->len, ==, 256);
  g_assert_cmpuint (pt_host_scan_get_pci (scan)->len, >=, 2048);

  expected = pt_test_load_json (expected_path);
  report = pt_report_build (scan);
  /* The generator knows the keys it wrote; compare those sections it has. */
  {
    JsonObject *eo = json_node_get_object (expected);
    JsonObject *ro = json_node_get_object (report);
    g_autoptr(GList) members = json_object_get_members (eo);

    for (GList *l = members; l != NULL; l = l->next)
      {
        g_autofree char *diff = pt_test_json_diff (json_object_get_member (eo, l->data),
                                                   json_object_get_member (ro, l->data));
        if (diff != NULL)
          g_error ("synthetic tree, section %s: %s", (const char *) l->data, diff);
      }
  }

  g_assert_true (g_spawn_command_line_sync (cleanup, NULL, NULL, NULL, NULL));
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
      g_autofree char *path = g_strdup_printf ("/report/fixture/%s", fixtures[i]);

      g_test_add_data_func (path, fixtures[i], test_fixture_report);
    }
  g_test_add_func ("/report/bad-invocations", test_bad_invocations);
  g_test_add_func ("/report/synthetic", test_synthetic);
  g_test_add_func ("/report/hostile-strings", test_hostile_strings);

  return g_test_run ();
}
