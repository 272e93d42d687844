/* test-sysroot.c: safe reads below a root, and the checked parsers every reader relies on. */
#include <errno.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pt-sysroot.h"
#include "pt-test-utils.h"

typedef struct {
  const char *text;
  const char *expected;   /* formatted back with pt_format_cpu_list; NULL: must fail */
} CpuSetCase;

static const CpuSetCase cpu_list_cases[] = {
  { "0-3,8,10-11\n", "0-3,8,10-11" },
  { "0,6", "0,6" },
  { "3-5,9-11", "3-5,9-11" },
  { "", "" },
  { "\n", "" },
  { "7,1,1,3", "1,3,7" },
  { "0-0", "0" },
  { "5-3", NULL },
  { "1-", NULL },
  { "-1", NULL },
  { "a", NULL },
  { "1,,2", NULL },
  { "0-99999999", NULL },
  { "1 2", NULL },
  { "+1", NULL },
};

static const CpuSetCase cpu_mask_cases[] = {
  { "fff\n", "0-11" },
  { "00000000,00000041", "0,6" },
  { "00000e38", "3-5,9-11" },
  { "ffff0000,00000000", "48-63" },
  { "00000001,00000000,00000000", "64" },
  { "0", "" },
  { "", NULL },
  { "xyz", NULL },
  { "123456789", NULL },
  { "ff,,ff", NULL },
};

static void
test_cpu_list (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cpu_list_cases); i++)
    {
      const CpuSetCase *c = &cpu_list_cases[i];
      g_autoptr(GArray) cpus = NULL;
      g_autoptr(GError) error = NULL;
      gboolean ok = pt_parse_cpu_list (c->text, &cpus, &error);

      g_test_message ("cpulist “%s”", c->text);
      if (c->expected == NULL)
        {
          g_assert_false (ok);
          g_assert_error (error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_PARSE);
          g_assert_null (cpus);
        }
      else
        {
          g_autofree char *formatted = NULL;

          g_assert_no_error (error);
          g_assert_true (ok);
          formatted = pt_format_cpu_list (cpus);
          g_assert_cmpstr (formatted, ==, c->expected);
        }
    }
}

static void
test_cpu_mask (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cpu_mask_cases); i++)
    {
      const CpuSetCase *c = &cpu_mask_cases[i];
      g_autoptr(GArray) cpus = NULL;
      g_autoptr(GError) error = NULL;
      gboolean ok = pt_parse_cpu_mask (c->text, &cpus, &error);

      g_test_message ("cpumask “%s”", c->text);
      if (c->expected == NULL)
        {
          g_assert_false (ok);
          g_assert_error (error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_PARSE);
        }
      else
        {
          g_autofree char *formatted = NULL;

          g_assert_no_error (error);
          formatted = pt_format_cpu_list (cpus);
          g_assert_cmpstr (formatted, ==, c->expected);
        }
    }
}

static void
test_numbers (void)
{
  static const struct {
    const char *text;
    gboolean ok;
    gint64 value;
  } ints[] = {
    { "0", TRUE, 0 }, { "-1\n", TRUE, -1 }, { " 42 ", TRUE, 42 },
    { "", FALSE, 0 }, { "4x", FALSE, 0 }, { "--1", FALSE, 0 }, { "+3", FALSE, 0 },
    { "99999999999999999999", FALSE, 0 },
  };
  static const struct {
    const char *text;
    guint base;
    gboolean ok;
    guint64 value;
  } uints[] = {
    { "0x10de", 16, TRUE, 0x10de }, { "10de\n", 16, TRUE, 0x10de }, { "0x030000", 16, TRUE, 0x30000 },
    { "0x", 16, FALSE, 0 }, { "-1", 10, FALSE, 0 }, { "12", 10, TRUE, 12 }, { "1e", 10, FALSE, 0 },
    { "g1", 16, FALSE, 0 },
  };
  static const struct {
    const char *text;
    gboolean ok;
    guint64 kib;
  } sizes[] = {
    { "32768K", TRUE, 32768 }, { "8192K\n", TRUE, 8192 }, { "1M", TRUE, 1024 },
    { "2G", TRUE, 2097152 }, { "65536", TRUE, 64 }, { "K", FALSE, 0 }, { "12Q", FALSE, 0 },
    { "", FALSE, 0 }, { "99999999999999999999K", FALSE, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (ints); i++)
    {
      gint64 value = 12345;
      g_autoptr(GError) error = NULL;

      g_assert_cmpint (pt_parse_int64 (ints[i].text, &value, &error), ==, ints[i].ok);
      if (ints[i].ok)
        g_assert_cmpint (value, ==, ints[i].value);
      else
        g_assert_error (error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_PARSE);
    }
  for (guint i = 0; i < G_N_ELEMENTS (uints); i++)
    {
      guint64 value = 12345;

      g_assert_cmpint (pt_parse_uint64 (uints[i].text, uints[i].base, &value, NULL), ==,
                       uints[i].ok);
      if (uints[i].ok)
        g_assert_cmpuint (value, ==, uints[i].value);
    }
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      guint64 kib = 12345;

      g_test_message ("size “%s”", sizes[i].text);
      g_assert_cmpint (pt_parse_size_kib (sizes[i].text, &kib, NULL), ==, sizes[i].ok);
      if (sizes[i].ok)
        g_assert_cmpuint (kib, ==, sizes[i].kib);
    }
}

static void
test_natural_order (void)
{
  g_assert_cmpint (pt_natural_compare ("cpu2", "cpu10"), <, 0);
  g_assert_cmpint (pt_natural_compare ("cpu10", "cpu2"), >, 0);
  g_assert_cmpint (pt_natural_compare ("index3", "index3"), ==, 0);
  g_assert_cmpint (pt_natural_compare ("6.1.0-9-amd64", "6.1.0-13-amd64"), <, 0);
  g_assert_cmpint (pt_natural_compare ("5.19.0", "6.1.0"), <, 0);
  g_assert_cmpint (pt_natural_compare ("node1", "node01"), ==, 0);
  g_assert_cmpint (pt_natural_compare ("a", "ab"), <, 0);
}

/* Paths the domain and qemu.conf writers copy as they are. */
static void
test_plain_paths (void)
{
  g_autofree char *long_path = g_strnfill (4097, 'a');
  const struct {
    const char *path;
    gboolean    plain;
  } paths[] = {
    { "/dev/input/by-id/usb-Logitech_USB_Receiver-if01-event-mouse", TRUE },
    { "/srv/ISO images/Win11 (24H2) ünïcode.iso", TRUE },
    { "/srv/..hidden/x..y/...", TRUE },
    { "/", TRUE },
    { "", FALSE },
    { "dev/sda", FALSE },
    { "./dev/sda", FALSE },
    { "/dev/../etc/shadow", FALSE },
    { "/dev/..", FALSE },
    { "/dev/sda\"/><disk", FALSE },
    { "/dev/sda\\", FALSE },
    { "/dev/sda\n", FALSE },
    { "/dev/sda\t", FALSE },
    { "/dev/sda\x7f", FALSE },
    { "/dev/\xff\xfe", FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autofree char *shown = g_strescape (paths[i].path, NULL);

      g_test_message ("%s", shown);
      g_assert_cmpint (pt_path_is_plain (paths[i].path), ==, paths[i].plain);
    }
  long_path[0] = '/';
  g_assert_false (pt_path_is_plain (long_path));
  long_path[4096] = '\0';
  g_assert_true (pt_path_is_plain (long_path));
  g_assert_false (pt_path_is_plain (NULL));
}

/* A small tree: real files, relative and absolute links, a link pointing out of the root. */
typedef struct {
  char *root;
  char *outside;
} Tree;

static void
tree_setup (Tree          *tree,
            gconstpointer  data)
{
  g_autofree char *escape = NULL;

  tree->root = g_dir_make_tmp ("pt-sysroot-XXXXXX", NULL);
  tree->outside = g_dir_make_tmp ("pt-outside-XXXXXX", NULL);
  g_assert_nonnull (tree->root);

  pt_test_write_file (tree->root, "sys/devices/pci0000:00/0000:09:00.0/vendor", "0x10de\n");
  pt_test_write_file (tree->root, "sys/devices/pci0000:00/0000:09:00.0/numa_node", "-1\n");
  pt_test_write_file (tree->root, "sys/devices/pci0000:00/0000:09:00.0/garbage", "12abc\n");
  pt_test_write_file (tree->root, "sys/bus/pci/drivers/nvidia/bind", "");
  pt_test_make_link (tree->root, "sys/bus/pci/devices/0000:09:00.0",
             "../../../devices/pci0000:00/0000:09:00.0");
  pt_test_make_link (tree->root, "sys/devices/pci0000:00/0000:09:00.0/driver",
             "../../../bus/pci/drivers/nvidia");
  /* Absolute and climbing links must stay inside the root, as under chroot. */
  pt_test_make_link (tree->root, "etc/absolute", "/sys/devices/pci0000:00/0000:09:00.0/vendor");
  pt_test_make_link (tree->root, "etc/climb", "../../../../../../../etc/real");
  pt_test_write_file (tree->root, "etc/real", "inside\n");
  pt_test_write_file (tree->outside, "secret", "outside\n");
  escape = g_build_filename (tree->outside, "secret", NULL);
  pt_test_make_link (tree->root, "etc/escape", escape);
  pt_test_make_link (tree->root, "etc/loop1", "loop2");
  pt_test_make_link (tree->root, "etc/loop2", "loop1");
  pt_test_write_file (tree->root, "dir/cpu10/x", "");
  pt_test_write_file (tree->root, "dir/cpu2/x", "");
  pt_test_write_file (tree->root, "dir/cpu1/x", "");
}

static void
tree_teardown (Tree          *tree,
               gconstpointer  data)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s' '%s'", tree->root, tree->outside);

  g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL));
  g_free (tree->root);
  g_free (tree->outside);
}

static void
test_reads (Tree          *tree,
            gconstpointer  data)
{
  g_autoptr(PtSysroot) sysroot = pt_sysroot_new (tree->root, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *resolved = NULL;
  g_autofree char *link = NULL;
  g_autofree char *name = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  guint64 hex = 0;
  gint64 number = 0;

  g_assert_nonnull (sysroot);
  g_assert_false (pt_sysroot_is_host (sysroot));

  g_assert_true (pt_sysroot_read_hex (sysroot, "/sys/bus/pci/devices/0000:09:00.0/vendor", &hex,
                                      &error));
  g_assert_no_error (error);
  g_assert_cmpuint (hex, ==, 0x10de);

  g_assert_true (pt_sysroot_read_int64 (sysroot, "/sys/bus/pci/devices/0000:09:00.0/numa_node",
                                        &number, &error));
  g_assert_cmpint (number, ==, -1);

  g_assert_false (pt_sysroot_read_int64 (sysroot, "/sys/bus/pci/devices/0000:09:00.0/garbage",
                                         &number, &error));
  g_assert_error (error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "garbage"));
  g_clear_error (&error);

  resolved = pt_sysroot_resolve (sysroot, "/sys/bus/pci/devices/0000:09:00.0/driver", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (resolved, ==, "/sys/bus/pci/drivers/nvidia");

  link = pt_sysroot_read_link (sysroot, "/sys/bus/pci/devices/0000:09:00.0", &error);
  g_assert_cmpstr (link, ==, "../../../devices/pci0000:00/0000:09:00.0");
  name = pt_sysroot_read_link_name (sysroot, "/sys/bus/pci/devices/0000:09:00.0/driver", &error);
  g_assert_cmpstr (name, ==, "nvidia");

  line = pt_sysroot_read_line (sysroot, "/etc/absolute", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, "0x10de");
  g_clear_pointer (&line, g_free);

  line = pt_sysroot_read_line (sysroot, "/etc/climb", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, "inside");
  g_clear_pointer (&line, g_free);

  /* The escape link's absolute target is looked up inside the root, where it does not exist. */
  line = pt_sysroot_read_line (sysroot, "/etc/escape", &error);
  g_assert_null (line);
  g_assert_error (error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_clear_pointer (&resolved, g_free);
  resolved = pt_sysroot_resolve (sysroot, "/etc/escape", &error);
  g_assert_null (resolved);
  g_clear_error (&error);

  g_assert_false (pt_sysroot_exists (sysroot, "/etc/loop1"));
  g_assert_null (pt_sysroot_resolve (sysroot, "/etc/loop1", &error));
  g_assert_error (error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_INVALID_PATH);
  g_clear_error (&error);

  g_assert_null (pt_sysroot_read_line (sysroot, "/sys/../etc/real", &error));
  g_assert_error (error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_INVALID_PATH);
  g_clear_error (&error);
  g_assert_null (pt_sysroot_read_line (sysroot, "etc/real", &error));
  g_assert_error (error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_INVALID_PATH);
  g_clear_error (&error);

  g_assert_true (pt_sysroot_is_dir (sysroot, "/sys/bus/pci/devices/0000:09:00.0"));
  g_assert_false (pt_sysroot_is_dir (sysroot, "/etc/real"));
  g_assert_false (pt_sysroot_exists (sysroot, "/nope"));

  entries = pt_sysroot_list_dir (sysroot, "/dir", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (entries, 0), ==, "cpu1");
  g_assert_cmpstr (g_ptr_array_index (entries, 1), ==, "cpu2");
  g_assert_cmpstr (g_ptr_array_index (entries, 2), ==, "cpu10");

  g_assert_null (pt_sysroot_list_dir (sysroot, "/missing", &error));
  g_assert_error (error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_NOT_FOUND);
}

static void
test_hostile_files (Tree          *tree,
                    gconstpointer  data)
{
  g_autoptr(PtSysroot) sysroot = pt_sysroot_new (tree->root, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *fifo = g_build_filename (tree->root, "etc/fifo", NULL);
  g_autofree char *big = g_build_filename (tree->root, "etc/big", NULL);
  g_autofree char *contents = NULL;
  FILE *f;

  /* A FIFO must not block the reader. */
  g_assert_cmpint (mkfifo (fifo, 0644), ==, 0);
  g_assert_false (pt_sysroot_read_file (sysroot, "/etc/fifo", &contents, NULL, &error));
  g_assert_error (error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_INVALID_PATH);
  g_clear_error (&error);

  f = fopen (big, "w");
  g_assert_nonnull (f);
  g_assert_cmpint (fseek (f, PT_SYSROOT_MAX_FILE_SIZE + 10, SEEK_SET), ==, 0);
  fputc ('x', f);
  fclose (f);
  g_assert_false (pt_sysroot_read_file (sysroot, "/etc/big", &contents, NULL, &error));
  g_assert_error (error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_TOO_LARGE);
  g_clear_error (&error);

  g_assert_false (pt_sysroot_read_file (sysroot, "/dir", &contents, NULL, &error));
  g_assert_nonnull (error);
}

/* The same reads through the path-resolving fallback that kernels without openat2 use. */
static void
test_reads_fallback (Tree          *tree,
                     gconstpointer  data)
{
  g_setenv ("PT_SYSROOT_NO_OPENAT2", "1", TRUE);
  test_reads (tree, data);
  test_hostile_files (tree, data);
  g_unsetenv ("PT_SYSROOT_NO_OPENAT2");
}

static void
test_bad_root (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PtSysroot) sysroot = pt_sysroot_new ("/definitely/not/here", &error);

  g_assert_null (sysroot);
  g_assert_error (error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_NOT_FOUND);
}

static void
test_host_root (void)
{
  g_autoptr(PtSysroot) sysroot = pt_sysroot_new ("/", NULL);
  g_autofree char *path = pt_sysroot_host_path (sysroot, "/proc/cmdline");

  g_assert_true (pt_sysroot_is_host (sysroot));
  g_assert_cmpstr (path, ==, "/proc/cmdline");
  /* /proc/self is a plain symlink to the reading process: it must resolve. */
  g_assert_true (pt_sysroot_exists (sysroot, "/proc/self/mountinfo"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sysroot/parse/cpu-list", test_cpu_list);
  g_test_add_func ("/sysroot/parse/cpu-mask", test_cpu_mask);
  g_test_add_func ("/sysroot/parse/numbers", test_numbers);
  g_test_add_func ("/sysroot/parse/natural-order", test_natural_order);
  g_test_add_func ("/sysroot/parse/plain-paths", test_plain_paths);
  g_test_add ("/sysroot/read/tree", Tree, NULL, tree_setup, test_reads, tree_teardown);
  g_test_add ("/sysroot/read/hostile", Tree, NULL, tree_setup, test_hostile_files, tree_teardown);
  g_test_add ("/sysroot/read/fallback", Tree, NULL, tree_setup, test_reads_fallback,
              tree_teardown);
  g_test_add_func ("/sysroot/read/bad-root", test_bad_root);
  g_test_add_func ("/sysroot/read/host-root", test_host_root);

  return g_test_run ();
}
