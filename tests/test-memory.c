/* test-memory.c: RAM and hugepage pools on fixtures, small trees and the running host. */
#include <glib/gstdio.h>
#include <string.h>

#include "pt-memory.h"
#include "pt-test-utils.h"

static PtMemory *
read_tree (const char  *root,
           GError     **error)
{
  g_autoptr(PtSysroot) sysroot = pt_sysroot_new (root, NULL);

  g_assert_nonnull (sysroot);
  return pt_memory_read (sysroot, error);
}

static const PtHugepagePool *
find_pool (const PtMemory *memory,
           guint64         size_kib)
{
  for (guint i = 0; i < memory->hugepages->len; i++)
    {
      const PtHugepagePool *pool = g_ptr_array_index (memory->hugepages, i);

      if (pool->size_kib == size_kib)
        return pool;
    }
  return NULL;
}

static void
test_fixture_expected (gconstpointer data)
{
  const char *name = data;
  g_autofree char *root = pt_test_fixture_path (name);
  g_autofree char *expected_path = g_strconcat (root, ".expected.json", NULL);
  g_autoptr(PtMemory) memory = NULL;
  g_autoptr(JsonNode) expected = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *want;
  JsonArray *pools;

  memory = read_tree (root, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (memory->total_kib, >, 0);
  g_assert_cmpuint (memory->available_kib, <=, memory->total_kib);
  for (guint i = 0; i < memory->hugepages->len; i++)
    {
      const PtHugepagePool *pool = g_ptr_array_index (memory->hugepages, i);
      guint64 node_total = 0;

      g_assert_cmpuint (pool->free, <=, pool->total);
      if (i > 0)
        {
          const PtHugepagePool *previous = g_ptr_array_index (memory->hugepages, i - 1);
          g_assert_cmpuint (previous->size_kib, <, pool->size_kib);
        }
      /* The pool is the sum of the nodes' pools, when the kernel lists nodes. */
      for (guint j = 0; j < pool->per_node->len; j++)
        node_total += g_array_index (pool->per_node, PtHugepageNode, j).total;
      if (pool->per_node->len > 0)
        g_assert_cmpuint (node_total, ==, pool->total);
    }

  if (!g_file_test (expected_path, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("the fixture has no expected report yet");
      return;
    }
  expected = pt_test_load_json (expected_path);
  want = json_object_get_object_member (json_node_get_object (expected), "memory");
  g_assert_cmpuint (json_object_get_int_member (want, "total_kib"), ==, memory->total_kib);
  if (json_object_has_member (want, "available_kib"))
    g_assert_cmpuint (json_object_get_int_member (want, "available_kib"), ==,
                      memory->available_kib);

  pools = json_object_get_array_member (want, "hugepages");
  g_assert_cmpuint (json_array_get_length (pools), ==, memory->hugepages->len);
  for (guint i = 0; i < memory->hugepages->len; i++)
    {
      const PtHugepagePool *pool = g_ptr_array_index (memory->hugepages, i);
      JsonObject *w = json_array_get_object_element (pools, i);

      g_assert_cmpuint (json_object_get_int_member (w, "size_kib"), ==, pool->size_kib);
      g_assert_cmpuint (json_object_get_int_member (w, "total"), ==, pool->total);
      g_assert_cmpuint (json_object_get_int_member (w, "free"), ==, pool->free);
    }
}

/* The server reserves 16 GiB of 1 GiB pages for its guest, all on the GPU's node. */
static void
test_fixture_server_pages (void)
{
  g_autofree char *root = pt_test_fixture_path ("dual-socket-server");
  g_autoptr(PtMemory) memory = NULL;
  g_autoptr(GError) error = NULL;
  const PtHugepagePool *pool;

  if (!g_file_test (root, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("the fixture is not in tests/fixtures");
      return;
    }
  memory = read_tree (root, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (memory->default_hugepage_kib, ==, 2048);
  pool = find_pool (memory, 1048576);
  g_assert_nonnull (pool);
  g_assert_cmpuint (pool->total, ==, 16);
  g_assert_cmpuint (pool->free, ==, 16);
  g_assert_cmpuint (pool->per_node->len, ==, 2);
  g_assert_cmpint (g_array_index (pool->per_node, PtHugepageNode, 0).node, ==, 0);
  g_assert_cmpuint (g_array_index (pool->per_node, PtHugepageNode, 0).total, ==, 0);
  g_assert_cmpint (g_array_index (pool->per_node, PtHugepageNode, 1).node, ==, 1);
  g_assert_cmpuint (g_array_index (pool->per_node, PtHugepageNode, 1).total, ==, 16);
}

/* --- small trees --- */

static const char meminfo_text[] =
  "MemTotal:       32765432 kB\n"
  "MemFree:        20000000 kB\n"
  "MemAvailable:   28000000 kB\n"
  "Buffers:          123456 kB\n"
  "SwapTotal:       8388604 kB\n"
  "HugePages_Total:       8\n"
  "HugePages_Free:        8\n"
  "Hugepagesize:       2048 kB\n"
  "DirectMap1G:    31457280 kB\n";

static void
write_pool (const char *root,
            const char *dir,
            const char *total,
            const char *free_pages)
{
  g_autofree char *nr = g_strconcat (dir, "/nr_hugepages", NULL);
  g_autofree char *fr = g_strconcat (dir, "/free_hugepages", NULL);

  pt_test_write_file (root, nr, total);
  pt_test_write_file (root, fr, free_pages);
}

/* Two NUMA nodes, 2 MiB and 1 GiB pools, 1 GiB pages reserved only on node 1. */
static void
build_numa_tree (const char *root)
{
  pt_test_write_file (root, "proc/meminfo", meminfo_text);
  write_pool (root, "sys/kernel/mm/hugepages/hugepages-2048kB", "8\n", "6\n");
  write_pool (root, "sys/kernel/mm/hugepages/hugepages-1048576kB", "4\n", "4\n");
  pt_test_write_file (root, "sys/kernel/mm/hugepages/hugepages-2048kB/surplus_hugepages", "0\n");
  write_pool (root, "sys/devices/system/node/node0/hugepages/hugepages-2048kB", "4\n", "2\n");
  write_pool (root, "sys/devices/system/node/node0/hugepages/hugepages-1048576kB", "0\n", "0\n");
  write_pool (root, "sys/devices/system/node/node1/hugepages/hugepages-2048kB", "4\n", "4\n");
  write_pool (root, "sys/devices/system/node/node1/hugepages/hugepages-1048576kB", "4\n", "4\n");
  pt_test_write_file (root, "sys/devices/system/node/online", "0-1\n");
  pt_test_write_file (root, "sys/devices/system/node/possible", "0-1\n");
}

static void
test_numa_tree (void)
{
  g_autofree char *root = g_dir_make_tmp ("pt-memory-XXXXXX", NULL);
  g_autoptr(PtMemory) memory = NULL;
  g_autoptr(GError) error = NULL;
  const PtHugepagePool *small, *large;
  PtHugepageNode node;

  build_numa_tree (root);
  memory = read_tree (root, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (memory->total_kib, ==, 32765432);
  g_assert_cmpuint (memory->free_kib, ==, 20000000);
  g_assert_cmpuint (memory->available_kib, ==, 28000000);
  g_assert_cmpuint (memory->swap_total_kib, ==, 8388604);
  g_assert_cmpuint (memory->default_hugepage_kib, ==, 2048);

  g_assert_cmpuint (memory->hugepages->len, ==, 2);
  small = g_ptr_array_index (memory->hugepages, 0);
  large = g_ptr_array_index (memory->hugepages, 1);
  g_assert_cmpuint (small->size_kib, ==, 2048);
  g_assert_cmpuint (small->total, ==, 8);
  g_assert_cmpuint (small->free, ==, 6);
  g_assert_cmpuint (large->size_kib, ==, 1048576);
  g_assert_cmpuint (large->total, ==, 4);

  g_assert_cmpuint (small->per_node->len, ==, 2);
  node = g_array_index (small->per_node, PtHugepageNode, 0);
  g_assert_cmpint (node.node, ==, 0);
  g_assert_cmpuint (node.total, ==, 4);
  g_assert_cmpuint (node.free, ==, 2);
  node = g_array_index (large->per_node, PtHugepageNode, 1);
  g_assert_cmpint (node.node, ==, 1);
  g_assert_cmpuint (node.total, ==, 4);
  pt_test_remove_tree (root);
}

/* Node folders sort by number: node10 after node2. */
static void
test_many_nodes (void)
{
  g_autofree char *root = g_dir_make_tmp ("pt-memory-XXXXXX", NULL);
  g_autoptr(PtMemory) memory = NULL;
  g_autoptr(GError) error = NULL;
  const PtHugepagePool *pool;

  pt_test_write_file (root, "proc/meminfo", meminfo_text);
  write_pool (root, "sys/kernel/mm/hugepages/hugepages-2048kB", "3\n", "3\n");
  write_pool (root, "sys/devices/system/node/node10/hugepages/hugepages-2048kB", "1\n", "1\n");
  write_pool (root, "sys/devices/system/node/node2/hugepages/hugepages-2048kB", "2\n", "2\n");
  pt_test_write_file (root, "sys/devices/system/node/nodeX/hugepages/hugepages-2048kB/nr_hugepages", "9\n");
  /* A node pool of a size the kernel does not offer globally is ignored. */
  write_pool (root, "sys/devices/system/node/node2/hugepages/hugepages-16384kB", "1\n", "1\n");

  memory = read_tree (root, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (memory->hugepages->len, ==, 1);
  pool = g_ptr_array_index (memory->hugepages, 0);
  g_assert_cmpuint (pool->per_node->len, ==, 2);
  g_assert_cmpint (g_array_index (pool->per_node, PtHugepageNode, 0).node, ==, 2);
  g_assert_cmpint (g_array_index (pool->per_node, PtHugepageNode, 1).node, ==, 10);
  pt_test_remove_tree (root);
}

/* A kernel without NUMA support, without hugetlbfs and from before MemAvailable (3.14). */
static void
test_minimal_kernel (void)
{
  g_autofree char *root = g_dir_make_tmp ("pt-memory-XXXXXX", NULL);
  g_autoptr(PtMemory) memory = NULL;
  g_autoptr(GError) error = NULL;

  pt_test_write_file (root, "proc/meminfo", "MemTotal:        1012345 kB\nMemFree:          512000 kB\n");
  memory = read_tree (root, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (memory->total_kib, ==, 1012345);
  g_assert_cmpuint (memory->available_kib, ==, 512000);
  g_assert_cmpuint (memory->swap_total_kib, ==, 0);
  g_assert_cmpuint (memory->default_hugepage_kib, ==, 0);
  g_assert_cmpuint (memory->hugepages->len, ==, 0);
  pt_test_remove_tree (root);
}

typedef struct {
  const char *description;
  const char *path;       /* file to write over the NUMA tree, NULL: remove /proc/meminfo */
  const char *contents;
  gboolean    fails;
} BrokenCase;

static const BrokenCase broken_cases[] = {
  { "no meminfo", NULL, NULL, TRUE },
  { "no MemTotal", "proc/meminfo", "MemFree: 1 kB\n", TRUE },
  { "garbage MemTotal", "proc/meminfo", "MemTotal: lots kB\n", TRUE },
  { "negative MemTotal", "proc/meminfo", "MemTotal: -5 kB\n", TRUE },
  { "garbage in a line nobody reads", "proc/meminfo",
    "MemTotal: 1000 kB\nMemFree: 10 kB\nWeird: ??? kB\nnonsense without colon\n", FALSE },
  { "garbage page count", "sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages", "many\n", TRUE },
  { "negative free count",
    "sys/devices/system/node/node1/hugepages/hugepages-2048kB/free_hugepages", "-1\n", TRUE },
  { "a folder that is no pool", "sys/kernel/mm/hugepages/hugepages-XkB/nr_hugepages", "1\n",
    FALSE },
  { "a pool of size zero", "sys/kernel/mm/hugepages/hugepages-0kB/nr_hugepages", "1\n", FALSE },
};

static void
test_broken (gconstpointer data)
{
  const BrokenCase *c = data;
  g_autofree char *root = g_dir_make_tmp ("pt-memory-XXXXXX", NULL);
  g_autoptr(PtMemory) memory = NULL;
  g_autoptr(GError) error = NULL;

  build_numa_tree (root);
  if (c->path == NULL)
    {
      g_autofree char *meminfo = g_build_filename (root, "proc", "meminfo", NULL);
      g_assert_cmpint (g_remove (meminfo), ==, 0);
    }
  else
    pt_test_write_file (root, c->path, c->contents);

  memory = read_tree (root, &error);
  if (c->fails)
    {
      g_assert_null (memory);
      g_assert_error (error, PT_SYSROOT_ERROR, error->code);
      g_test_message ("%s: %s", c->description, error->message);
    }
  else
    {
      g_assert_no_error (error);
      g_assert_cmpuint (memory->hugepages->len, ==, 2);
    }
  pt_test_remove_tree (root);
}

/* --- the running host --- */

static void
test_host (void)
{
  g_autoptr(PtSysroot) sysroot = pt_sysroot_new ("/", NULL);
  g_autoptr(PtMemory) memory = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *meminfo = NULL;
  g_autoptr(GDir) pools = NULL;
  const char *line;
  guint64 total = 0;
  guint n_pools = 0;

  memory = pt_memory_read (sysroot, &error);
  g_assert_no_error (error);

  g_assert_true (g_file_get_contents ("/proc/meminfo", &meminfo, NULL, NULL));
  line = strstr (meminfo, "MemTotal:");
  g_assert_nonnull (line);
  total = g_ascii_strtoull (line + strlen ("MemTotal:"), NULL, 10);
  g_assert_cmpuint (memory->total_kib, ==, total);

  pools = g_dir_open ("/sys/kernel/mm/hugepages", 0, NULL);
  while (pools != NULL && g_dir_read_name (pools) != NULL)
    n_pools++;
  g_assert_cmpuint (memory->hugepages->len, ==, n_pools);
  if (n_pools > 0)
    g_assert_nonnull (find_pool (memory, memory->default_hugepage_kib));
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
      g_autofree char *path = g_strdup_printf ("/memory/fixture/%s", fixtures[i]);
      g_test_add_data_func (path, fixtures[i], test_fixture_expected);
    }

  g_test_add_func ("/memory/known/dual-socket-server", test_fixture_server_pages);
  g_test_add_func ("/memory/tree/numa", test_numa_tree);
  g_test_add_func ("/memory/tree/many-nodes", test_many_nodes);
  g_test_add_func ("/memory/tree/minimal-kernel", test_minimal_kernel);
  for (guint i = 0; i < G_N_ELEMENTS (broken_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/memory/tree/broken/%u", i);
      g_test_add_data_func (path, &broken_cases[i], test_broken);
    }
  g_test_add_func ("/memory/host", test_host);

  return g_test_run ();
}
