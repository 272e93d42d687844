/* test-cli.c: the command-line contracts of DESIGN.md: --plan-cpus and --print-plan print JSON
 * and exit 0; impossible requests exit 1 with one line on stderr and nothing on stdout. */
#include <string.h>

#include "pt-test-utils.h"

typedef struct {
  const char *what;
  const char *fixture;
  const char *args[8];
  int         status;
  const char *expect;      /* status 0: "json.path=value" checks, ";"-separated; else stderr text */
} CliCase;

static const CliCase cases[] = {
  { "2600X, 6 vCPUs: one whole CCX", "ryzen-2600x-desktop", { "--plan-cpus", "6" }, 0,
    "vcpus=[3,9,4,10,5,11];emulator=[0,6];iothreads=[0,6];"
    "topology={\"sockets\":1,\"dies\":1,\"cores\":3,\"threads\":2}" },
  { "2600X, 3 vCPUs: odd count on SMT", "ryzen-2600x-desktop", { "--plan-cpus", "3" }, 0,
    "topology={\"sockets\":1,\"dies\":1,\"cores\":3,\"threads\":1}" },
  { "server, GPU on node 1", "dual-socket-server", { "--plan-cpus", "8", "--gpu", "c1:00.0" }, 0,
    "vcpus=[16,48,17,49,18,50,19,51]" },
  { "too many vCPUs", "ryzen-2600x-desktop", { "--plan-cpus", "11" }, 1, "leaves 10" },
  { "no vCPU", "ryzen-2600x-desktop", { "--plan-cpus", "0" }, 1, "at least one vCPU" },
  { "2600X, guest GTX 1080 Ti", "ryzen-2600x-desktop", { "--print-plan", "--gpu", "09:00.0" }, 0,
    "vfio.ids=[\"10de:1b06\",\"10de:10ef\"];vfio.devices=[\"0000:09:00.0\",\"0000:09:00.1\"];"
    "blockers=[]" },
  { "any function picks the whole card", "ryzen-2600x-desktop",
    { "--print-plan", "--gpu", "0000:09:00.1" }, 0,
    "vfio.devices=[\"0000:09:00.0\",\"0000:09:00.1\"]" },
  { "identical GPUs are bound by address", "identical-gpus",
    { "--print-plan", "--gpu", "0b:00.0" }, 0,
    "vfio.ids=[];vfio.devices=[\"0000:0b:00.0\",\"0000:0b:00.1\"]" },
  { "IOMMU off: the arguments to turn it on", "intel-hybrid-laptop-iommu-off",
    { "--print-plan", "--gpu", "01:00.0" }, 0,
    "kernel_args.add=[\"intel_iommu=on\",\"iommu=pt\",\"vfio-pci.ids=10de:2560,10de:228e\","
    "\"vfio-pci.disable_vga=1\"]" },
  { "no GPU chosen", "ryzen-2600x-desktop", { "--print-plan" }, 1, "No graphics card" },
  { "not a GPU", "ryzen-2600x-desktop", { "--print-plan", "--gpu", "00:00.0" }, 1,
    "not a graphics card" },
  { "not an address", "ryzen-2600x-desktop", { "--print-plan", "--gpu", "../etc" }, 1, "" },
  { "bad memory size", "ryzen-2600x-desktop",
    { "--print-plan", "--gpu", "09:00.0", "--memory", "8GB" }, 1, "8GiB" },
  { "bad guest", "ryzen-2600x-desktop", { "--print-plan", "--gpu", "09:00.0", "--guest", "dos" },
    1, "windows or linux" },
  { "two modes", "ryzen-2600x-desktop", { "--report", "--plan-cpus", "2" }, 1, "one of" },
};

static JsonNode *
parse (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

/* "a.b" in @root. */
static JsonNode *
lookup (JsonNode   *root,
        const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  JsonNode *node = root;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
      node = json_object_get_member (json_node_get_object (node), parts[i]);
      g_assert_nonnull (node);
    }
  return node;
}

/* An impossible request: exit 1, nothing on stdout, one line on stderr. */
static void
assert_refused (int         status,
                const char *out,
                const char *err)
{
  g_assert_cmpint (status, ==, 1);
  g_assert_cmpstr (out, ==, "");
  g_assert_true (g_str_has_prefix (err, "passthrough: "));
  g_assert_true (strchr (err, '\n') == err + strlen (err) - 1);
}

static void
test_case (gconstpointer data)
{
  const CliCase *c = data;
  const char *bin = g_getenv ("PT_PASSTHROUGH_BIN");
  g_autofree char *root = pt_test_fixture_path (c->fixture);
  const char *argv[12] = { bin, "--sysroot", root, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = -1;
  guint n = 3;

  if (bin == NULL)
    {
      g_test_skip ("PT_PASSTHROUGH_BIN is not set");
      return;
    }
  for (guint i = 0; c->args[i] != NULL; i++)
    argv[n++] = c->args[i];

  out = pt_test_spawn_stdout (argv, &status, &err);
  g_test_message ("%s: exit %d, stderr: %s", c->what, status, err);
  g_assert_cmpint (status, ==, c->status);

  if (c->status == 0)
    {
      g_autoptr(JsonNode) json = parse (out);
      g_auto(GStrv) checks = g_strsplit (c->expect, ";", -1);

      for (guint i = 0; checks[i] != NULL; i++)
        {
          char *eq = strchr (checks[i], '=');
          g_autoptr(JsonNode) expected = NULL;
          g_autofree char *diff = NULL;

          *eq = '\0';
          expected = parse (eq + 1);
          diff = pt_test_json_diff (expected, lookup (json, checks[i]));
          if (diff != NULL)
            g_error ("%s: %s: %s", c->what, checks[i], diff);
        }
    }
  else
    {
      assert_refused (status, out, err);
      g_assert_nonnull (strstr (err, c->expect));
    }
}

/* Without --cpus, a computer too small for the default 4 vCPUs gets as many as fit, and says
 * so; a count the user gave is refused instead. The 2600X with only CPUs 0-2 online keeps core 0
 * (CPU 0) and leaves 2. */
static void
test_default_cpus_fit (void)
{
  const char *bin = g_getenv ("PT_PASSTHROUGH_BIN");
  g_autofree char *root = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = -1;

  if (bin == NULL)
    {
      g_test_skip ("PT_PASSTHROUGH_BIN is not set");
      return;
    }
  root = pt_test_copy_fixture ("ryzen-2600x-desktop");
  pt_test_write_file (root, "sys/devices/system/cpu/online", "0-2\n");

  {
    const char *argv[] = { bin, "--sysroot", root, "--print-domain", NULL };

    out = pt_test_spawn_stdout (argv, &status, &err);
    g_test_message ("default: exit %d, stderr: %s", status, err);
    g_assert_cmpint (status, ==, 0);
    g_assert_nonnull (strstr (out, "<vcpu placement=\"static\">2</vcpu>"));
    g_assert_nonnull (strstr (err, "passthrough: note: 4 vCPUs do not fit"));
    g_assert_nonnull (strstr (err, "gets 2 vCPUs"));
  }
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  {
    const char *argv[] = { bin, "--sysroot", root, "--print-domain", "--cpus", "4", NULL };

    out = pt_test_spawn_stdout (argv, &status, &err);
    g_test_message ("--cpus 4: exit %d, stderr: %s", status, err);
    assert_refused (status, out, err);
    g_assert_nonnull (strstr (err, "leaves 2"));
  }
  pt_test_remove_copy (root);
}

/* Input libxml2 cannot even convert (UTF-7, UTF-32 with other bytes) is refused in one line:
 * libxml2's own complaints do not reach stderr. */
static void
test_edit_bad_encoding (void)
{
  const char *bin = g_getenv ("PT_PASSTHROUGH_BIN");
  g_autofree char *root = pt_test_fixture_path ("ryzen-2600x-desktop");
  g_autofree char *dir = g_dir_make_tmp ("pt-test-cli-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "vm.xml", NULL);
  const char * const encodings[] = { "UTF-7", "UTF-32" };

  if (bin == NULL)
    {
      g_test_skip ("PT_PASSTHROUGH_BIN is not set");
      pt_test_remove_tree (dir);
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (encodings); i++)
    {
      const char *argv[] = { bin, "--sysroot", root, "--edit-domain", path, NULL };
      g_autofree char *head = g_strdup_printf ("<?xml version='1.0' encoding='%s'?><domain>"
                                               "<name>x", encodings[i]);
      g_autoptr(GString) xml = g_string_new (head);
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      int status = -1;

      g_string_append_len (xml, "\0\0\0\0</name></domain>", 20);
      g_assert_true (g_file_set_contents (path, xml->str, (gssize) xml->len, NULL));
      out = pt_test_spawn_stdout (argv, &status, &err);
      g_test_message ("%s: exit %d, stderr: %s", encodings[i], status, err);
      assert_refused (status, out, err);
      g_assert_true (g_str_has_prefix (err, "passthrough: The domain XML is not well-formed"));
    }
  pt_test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/default-cpus-fit", test_default_cpus_fit);
  g_test_add_func ("/cli/edit-bad-encoding", test_edit_bad_encoding);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/cli/%u", i);

      g_test_add_data_func (path, &cases[i], test_case);
    }
  return g_test_run ();
}
