/* test-memory-plan.c: the guest's RAM against the host's, the hugepage arithmetic, where the
 * pages come from and on which node, the domain's memory elements (checked against libvirt's
 * schema) and the on-demand hook, on made-up hosts and on the fixtures. */

#include "config.h"

#include <glib/gstdio.h>
#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/xpath.h>
#include <string.h>

#include "pt-devices-domain.h"
#include "pt-host-plan.h"
#include "pt-memory-plan.h"
#include "pt-test-utils.h"

#define GIB_KIB (G_GUINT64_CONSTANT (1024) * 1024)

/* A host with @total_kib of RAM and nothing else known. */
static PtMemory *
memory_new (guint64 total_kib)
{
  PtMemory *memory = g_new0 (PtMemory, 1);

  memory->total_kib = total_kib;
  memory->free_kib = total_kib - total_kib / 8;
  memory->available_kib = memory->free_kib;
  memory->default_hugepage_kib = 2048;
  memory->hugepages = g_ptr_array_new ();
  return memory;
}

/* A processor with the given flags and one NUMA node per entry of @node_cpus (a cpulist). */
static PtCpuTopology *
cpu_new (const char * const *flags,
         const char * const *node_cpus)
{
  PtCpuTopology *cpu = g_new0 (PtCpuTopology, 1);

  cpu->vendor = g_strdup ("AuthenticAMD");
  cpu->model = g_strdup ("Test CPU");
  cpu->flags = g_strdupv ((char **) flags);
  cpu->online = g_array_new (FALSE, FALSE, sizeof (guint));
  cpu->offline = g_array_new (FALSE, FALSE, sizeof (guint));
  cpu->cores = g_ptr_array_new ();
  cpu->l3 = g_ptr_array_new ();
  cpu->numa = g_ptr_array_new ();
  cpu->packages = g_ptr_array_new ();

  for (guint i = 0; node_cpus != NULL && node_cpus[i] != NULL; i++)
    {
      PtNumaNode *node = g_new0 (PtNumaNode, 1);

      node->node = i;
      g_assert_true (pt_parse_cpu_list (node_cpus[i], &node->cpus, NULL));
      node->memory_kib = 64 * GIB_KIB;
      g_ptr_array_add (cpu->numa, node);
    }
  return cpu;
}

static void
free_cpu (PtCpuTopology *cpu)
{
  for (guint i = 0; i < cpu->numa->len; i++)
    {
      PtNumaNode *node = g_ptr_array_index (cpu->numa, i);

      g_array_unref (node->cpus);
      g_free (node);
    }
  g_ptr_array_set_size (cpu->numa, 0);
  pt_cpu_topology_free (cpu);
}

static void
free_memory (PtMemory *memory)
{
  pt_memory_free (memory);
}

static PtSetup *
setup_new (guint64     memory_mib,
           PtHugepages hugepages,
           gboolean    on_demand)
{
  PtSetup *setup = pt_setup_new ();

  pt_setup_set_memory_mib (setup, memory_mib);
  pt_setup_set_hugepages (setup, hugepages);
  pt_setup_set_hugepages_on_demand (setup, on_demand);
  return setup;
}

static gboolean
strv_has_substring (char       **strv,
                    const char  *needle)
{
  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    if (strstr (strv[i], needle) != NULL)
      return TRUE;
  return FALSE;
}

/* The count is RAM ÷ page size, rounded up, and the user sees the sum as it is. */
static void
test_arithmetic (void)
{
  static const struct {
    guint64      memory_mib;
    PtHugepages  hugepages;
    guint64      count;
    guint64      guest_kib;
    const char  *arithmetic;
    gboolean     rounded;
  } cases[] = {
    { 8192, PT_HUGEPAGES_2M, 4096, 8 * GIB_KIB, "8 GiB ÷ 2 MiB = 4096 pages", FALSE },
    { 8192, PT_HUGEPAGES_1G, 8, 8 * GIB_KIB, "8 GiB ÷ 1 GiB = 8 pages", FALSE },
    { 16384, PT_HUGEPAGES_1G, 16, 16 * GIB_KIB, "16 GiB ÷ 1 GiB = 16 pages", FALSE },
    { 8704, PT_HUGEPAGES_2M, 4352, 8704 * 1024, "8704 MiB ÷ 2 MiB = 4352 pages", FALSE },
    { 8705, PT_HUGEPAGES_2M, 4353, 8706 * 1024, "8706 MiB ÷ 2 MiB = 4353 pages", TRUE },
    { 8200, PT_HUGEPAGES_1G, 9, 9 * GIB_KIB, "9 GiB ÷ 1 GiB = 9 pages", TRUE },
    { 1024, PT_HUGEPAGES_1G, 1, GIB_KIB, "1 GiB ÷ 1 GiB = 1 page", FALSE },
    { 8192, PT_HUGEPAGES_OFF, 0, 8 * GIB_KIB, NULL, FALSE },
  };
  PtMemory *memory = memory_new (32 * GIB_KIB);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PtSetup) setup = setup_new (cases[i].memory_mib, cases[i].hugepages, FALSE);
      PtMemoryHost host = { memory, NULL, NULL, -1, NULL };
      g_autoptr(PtMemoryPlan) plan = pt_memory_plan_new (&host, setup);

      g_test_message ("%" G_GUINT64_FORMAT " MiB, hugepages %d", cases[i].memory_mib,
                      cases[i].hugepages);
      g_assert_cmpuint (plan->requested_kib, ==, cases[i].memory_mib * 1024);
      g_assert_cmpuint (plan->page_count, ==, cases[i].count);
      g_assert_cmpuint (plan->guest_kib, ==, cases[i].guest_kib);
      g_assert_cmpstr (plan->arithmetic, ==, cases[i].arithmetic);
      g_assert_cmpuint (plan->page_size_kib, ==, pt_hugepages_size_kib (cases[i].hugepages));
      g_assert_cmpint (strv_has_substring (plan->warnings, "whole number"), ==, cases[i].rounded);
      g_assert_cmpuint (g_strv_length (plan->blockers), ==, 0);
      if (cases[i].hugepages == PT_HUGEPAGES_OFF)
        g_assert_cmpint (plan->source, ==, PT_HUGEPAGE_SOURCE_NONE);
    }

  free_memory (memory);
}

/* The host keeps an eighth of its RAM, 2 to 4 GiB; below that a warning, below 1 GiB a no. */
static void
test_host_floor (void)
{
  static const struct {
    guint64  total_gib;
    guint64  memory_mib;
    guint64  floor_gib;
    gboolean warning;
    gboolean blocker;
  } cases[] = {
    { 32, 8192, 4, FALSE, FALSE },
    { 32, 28672, 4, FALSE, FALSE },   /* keeps exactly 4 GiB */
    { 32, 29696, 4, TRUE, FALSE },
    { 32, 32256, 4, FALSE, TRUE },    /* keeps 512 MiB */
    { 32, 40960, 4, FALSE, TRUE },
    { 16, 8192, 2, FALSE, FALSE },
    { 16, 14848, 2, TRUE, FALSE },
    { 8, 6144, 2, FALSE, FALSE },
    { 256, 8192, 4, FALSE, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      PtMemory *memory = memory_new (cases[i].total_gib * GIB_KIB);
      g_autoptr(PtSetup) setup = setup_new (cases[i].memory_mib, PT_HUGEPAGES_OFF, FALSE);
      PtMemoryHost host = { memory, NULL, NULL, -1, NULL };
      g_autoptr(PtMemoryPlan) plan = pt_memory_plan_new (&host, setup);
      guint64 guest_kib = cases[i].memory_mib * 1024;

      g_test_message ("%" G_GUINT64_FORMAT " GiB host, %" G_GUINT64_FORMAT " MiB guest",
                      cases[i].total_gib, cases[i].memory_mib);
      g_assert_cmpuint (plan->host_floor_kib, ==, cases[i].floor_gib * GIB_KIB);
      g_assert_cmpuint (plan->host_total_kib, ==, cases[i].total_gib * GIB_KIB);
      g_assert_cmpuint (plan->host_keeps_kib, ==,
                        guest_kib < plan->host_total_kib ? plan->host_total_kib - guest_kib : 0);
      g_assert_cmpint (strv_has_substring (plan->warnings, "keeps only"), ==, cases[i].warning);
      g_assert_cmpint (g_strv_length (plan->blockers) > 0, ==, cases[i].blocker);
      free_memory (memory);
    }

  /* Real totals are a little less than the modules: the floor is a round number anyway. */
  g_assert_cmpuint (pt_memory_host_floor_kib (32827288), ==, 4 * GIB_KIB);
  g_assert_cmpuint (pt_memory_host_floor_kib (16308724), ==, 2 * GIB_KIB);
  g_assert_cmpuint (pt_memory_host_floor_kib (24 * GIB_KIB), ==, 3 * GIB_KIB);
  g_assert_cmpuint (pt_memory_host_floor_kib (20 * GIB_KIB), ==, 5 * GIB_KIB / 2);
  g_assert_cmpuint (pt_memory_host_floor_kib (4 * GIB_KIB), ==, 2 * GIB_KIB);
}

/* 2 MiB pages at boot: a sysctl drop-in the helper accepts. 1 GiB pages: kernel options. On
 * demand: neither, the hook does it. */
static void
test_sources (void)
{
  const char * const flags[] = { "svm", "pdpe1gb", NULL };
  PtMemory *memory = memory_new (32 * GIB_KIB);
  PtCpuTopology *cpu = cpu_new (flags, NULL);
  PtMemoryHost host = { memory, cpu, NULL, -1, NULL };
  g_autoptr(PtSetup) sysctl_setup = setup_new (8192, PT_HUGEPAGES_2M, FALSE);
  g_autoptr(PtSetup) kernel_setup = setup_new (8192, PT_HUGEPAGES_1G, FALSE);
  g_autoptr(PtSetup) demand_setup = setup_new (8192, PT_HUGEPAGES_2M, TRUE);
  g_autoptr(PtMemoryPlan) sysctl = pt_memory_plan_new (&host, sysctl_setup);
  g_autoptr(PtMemoryPlan) kernel = pt_memory_plan_new (&host, kernel_setup);
  g_autoptr(PtMemoryPlan) demand = pt_memory_plan_new (&host, demand_setup);
  const char * const kernel_args[] = { "hugepagesz=1G", "hugepages=8", "default_hugepagesz=1G",
                                       NULL };
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (sysctl->source, ==, PT_HUGEPAGE_SOURCE_SYSCTL);
  g_assert_cmpstr (sysctl->sysctl_path, ==, PT_MEMORY_PLAN_SYSCTL_PATH);
  g_assert_true (g_str_has_prefix (sysctl->sysctl_path, "/etc/sysctl.d/"));
  g_assert_nonnull (strstr (sysctl->sysctl_path, "passthrough"));
  g_assert_nonnull (strstr (sysctl->sysctl_content, "\nvm.nr_hugepages = 4096\n"));
  g_assert_true (pt_host_plan_check_file (sysctl->sysctl_path, sysctl->sysctl_content, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (sysctl->kernel_args_add), ==, 0);
  g_assert_cmpuint (sysctl->reserve_count, ==, 4096);
  g_assert_cmpint (sysctl->numa_node, ==, -1);

  g_assert_cmpint (kernel->source, ==, PT_HUGEPAGE_SOURCE_KERNEL_ARGS);
  g_assert_cmpstrv (kernel->kernel_args_add, kernel_args);
  g_assert_cmpuint (g_strv_length (kernel->kernel_args_remove), ==, 0);
  g_assert_null (kernel->sysctl_path);
  g_assert_cmpuint (g_strv_length (kernel->blockers), ==, 0);

  g_assert_cmpint (demand->source, ==, PT_HUGEPAGE_SOURCE_ON_DEMAND);
  g_assert_cmpuint (demand->reserve_count, ==, 4096);
  g_assert_null (demand->sysctl_path);
  g_assert_cmpuint (g_strv_length (demand->kernel_args_add), ==, 0);

  free_cpu (cpu);
  free_memory (memory);
}

/* No pdpe1gb, no 1 GiB pages; on-demand 1 GiB pages and too little free memory are warned of. */
static void
test_limits (void)
{
  const char * const no_1g[] = { "svm", NULL };
  PtMemory *memory = memory_new (32 * GIB_KIB);
  PtCpuTopology *cpu = cpu_new (no_1g, NULL);
  PtMemoryHost host = { memory, cpu, NULL, -1, NULL };
  g_autoptr(PtSetup) setup = setup_new (8192, PT_HUGEPAGES_1G, FALSE);
  g_autoptr(PtMemoryPlan) refused = pt_memory_plan_new (&host, setup);
  g_autoptr(PtMemoryPlan) demand = NULL;
  g_autoptr(PtMemoryPlan) tight = NULL;

  g_assert_true (strv_has_substring (refused->blockers, "pdpe1gb"));

  g_strfreev (cpu->flags);
  cpu->flags = g_strsplit ("pdpe1gb svm", " ", -1);
  pt_setup_set_hugepages_on_demand (setup, TRUE);
  demand = pt_memory_plan_new (&host, setup);
  g_assert_cmpuint (g_strv_length (demand->blockers), ==, 0);
  g_assert_true (strv_has_substring (demand->warnings, "fragmented"));

  memory->available_kib = 6 * GIB_KIB;
  pt_setup_set_hugepages (setup, PT_HUGEPAGES_2M);
  tight = pt_memory_plan_new (&host, setup);
  g_assert_true (strv_has_substring (tight->warnings, "free right now"));
  g_assert_false (strv_has_substring (tight->warnings, "fragmented"));

  free_cpu (cpu);
  free_memory (memory);
}

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

/* The first GPU that is not the boot display: the one a user would give away. */
static const char *
guest_gpu (PtHostScan *scan)
{
  GPtrArray *pci = pt_host_scan_get_pci (scan);

  for (guint i = 0; i < pci->len; i++)
    {
      const PtPciDevice *device = g_ptr_array_index (pci, i);

      if (pt_pci_device_is_gpu (device) && !device->boot_vga)
        return device->address;
    }
  return NULL;
}

static GArray *
cpus_of_node (PtHostScan *scan,
              int         node,
              guint       count)
{
  const PtCpuTopology *cpu = pt_host_scan_get_cpu (scan);
  GArray *cpus = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; i < cpu->numa->len; i++)
    {
      const PtNumaNode *numa = g_ptr_array_index (cpu->numa, i);

      for (guint j = 0; numa->node == node && j < numa->cpus->len && cpus->len < count; j++)
        g_array_append_val (cpus, g_array_index (numa->cpus, guint, j));
    }
  return cpus;
}

/* On the two-socket server the GPU sits on node 1: the pages go there. Its Linux 5.15 cannot
 * reserve on one node at boot, so each node gets enough, and the old options give way. */
static void
test_numa_fixture (void)
{
  g_autoptr(PtHostScan) scan = scan_fixture ("dual-socket-server");
  g_autoptr(PtSetup) setup = NULL;
  g_autoptr(PtMemoryPlan) plan = NULL;
  g_autoptr(PtMemoryPlan) newer = NULL;
  g_autoptr(PtMemoryPlan) split = NULL;
  g_autoptr(PtMemoryPlan) huge = NULL;
  g_autoptr(GArray) node0_cpus = NULL;
  g_autoptr(GArray) node1_cpus = NULL;
  const PtBoot *boot;
  PtBoot newer_boot;
  PtMemoryHost host = { 0 };
  const char * const old_kernel_args[] = { "hugepagesz=1G", "hugepages=16",
                                           "default_hugepagesz=1G", NULL };
  const char * const new_kernel_args[] = { "hugepagesz=1G", "hugepages=1:8",
                                           "default_hugepagesz=1G", NULL };
  const char * const removed[] = { "default_hugepagesz=2M", "hugepagesz=1G", "hugepages=1:16",
                                   NULL };

  if (scan == NULL)
    {
      g_test_skip ("fixture dual-socket-server is not there");
      return;
    }

  setup = setup_new (8192, PT_HUGEPAGES_1G, FALSE);
  pt_setup_set_gpu (setup, guest_gpu (scan));
  node1_cpus = cpus_of_node (scan, 1, 8);
  node0_cpus = cpus_of_node (scan, 0, 8);

  plan = pt_memory_plan_new_for_scan (scan, setup, node1_cpus);
  g_assert_cmpint (plan->numa_node, ==, 1);
  g_assert_cmpint (plan->source, ==, PT_HUGEPAGE_SOURCE_KERNEL_ARGS);
  g_assert_cmpuint (plan->page_count, ==, 8);
  g_assert_cmpuint (plan->reserve_count, ==, 16);
  g_assert_cmpstrv (plan->kernel_args_add, old_kernel_args);
  g_assert_cmpstrv (plan->kernel_args_remove, removed);
  g_assert_true (strv_has_substring (plan->warnings, "evenly"));
  /* The fixture reserves 16 pages of 1 GiB on node 1 today. */
  g_assert_cmpuint (plan->reserved_now, ==, 16);
  g_assert_cmpuint (g_strv_length (plan->blockers), ==, 0);

  /* A kernel from 5.16 on reserves the pages on node 1 alone. */
  boot = pt_host_scan_get_boot (scan);
  newer_boot = *boot;
  newer_boot.running_kernel = (char *) "6.1.0-13-amd64";
  host.memory = pt_host_scan_get_memory (scan);
  host.cpu = pt_host_scan_get_cpu (scan);
  host.boot = &newer_boot;
  host.gpu_node = 1;
  host.guest_cpus = node1_cpus;
  newer = pt_memory_plan_new (&host, setup);
  g_assert_cmpstrv (newer->kernel_args_add, new_kernel_args);
  g_assert_cmpuint (newer->reserve_count, ==, 8);
  g_assert_false (strv_has_substring (newer->warnings, "evenly"));

  /* Processors on node 0, GPU on node 1: memory follows the GPU, and the user hears why. */
  split = pt_memory_plan_new_for_scan (scan, setup, node0_cpus);
  g_assert_cmpint (split->numa_node, ==, 1);
  g_assert_true (strv_has_substring (split->warnings, "node 0"));

  /* No GPU chosen yet: the node of the processors the planner picked. */
  {
    g_autoptr(PtSetup) no_gpu = setup_new (8192, PT_HUGEPAGES_2M, FALSE);
    g_autoptr(PtMemoryPlan) by_cpus = pt_memory_plan_new_for_scan (scan, no_gpu, node1_cpus);
    g_autoptr(PtMemoryPlan) unknown = pt_memory_plan_new_for_scan (scan, no_gpu, NULL);

    g_assert_cmpint (by_cpus->numa_node, ==, 1);
    g_assert_cmpint (unknown->numa_node, ==, -1);
    /* 2 MiB pages on one node of an old kernel: sysctl cannot pick a node, so every node gets
     * enough. */
    g_assert_cmpint (by_cpus->source, ==, PT_HUGEPAGE_SOURCE_SYSCTL);
    g_assert_nonnull (strstr (by_cpus->sysctl_content, "vm.nr_hugepages = 8192\n"));
  }

  /* On demand, the server's own boot-time reservation is still there: the user hears of it. */
  pt_setup_set_hugepages_on_demand (setup, TRUE);
  g_clear_pointer (&split, pt_memory_plan_free);
  split = pt_memory_plan_new_for_scan (scan, setup, node1_cpus);
  g_assert_cmpint (split->source, ==, PT_HUGEPAGE_SOURCE_ON_DEMAND);
  g_assert_true (strv_has_substring (split->warnings, "hugepages=1:16"));
  pt_setup_set_hugepages_on_demand (setup, FALSE);

  /* More than a node holds: spread over both, no node tie. */
  pt_setup_set_memory_mib (setup, 160 * 1024);
  huge = pt_memory_plan_new_for_scan (scan, setup, node1_cpus);
  g_assert_cmpint (huge->numa_node, ==, -1);
  g_assert_true (strv_has_substring (huge->warnings, "too little"));
}

/* Every fixture: one-node hosts tie nothing to a node; 2 MiB pages always work. */
static void
test_fixtures (void)
{
  g_auto(GStrv) names = pt_test_fixture_names ();

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(PtHostScan) scan = scan_fixture (names[i]);
      g_autoptr(PtSetup) setup = setup_new (8192, PT_HUGEPAGES_2M, FALSE);
      g_autoptr(PtMemoryPlan) plan = NULL;
      const PtMemory *memory = pt_host_scan_get_memory (scan);
      const PtCpuTopology *cpu = pt_host_scan_get_cpu (scan);

      g_test_message ("%s", names[i]);
      plan = pt_memory_plan_new_for_scan (scan, setup, NULL);
      g_assert_cmpuint (plan->host_total_kib, ==, memory->total_kib);
      g_assert_cmpuint (plan->page_count, ==, 4096);
      g_assert_cmpuint (g_strv_length (plan->blockers), ==, 0);
      if (cpu->numa->len < 2)
        g_assert_cmpint (plan->numa_node, ==, -1);
    }
}

/* This computer: the plan's total is MemTotal of /proc/meminfo. */
static void
test_this_host (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PtHostScan) scan = pt_host_scan_new_sync ("/", NULL, &error);
  g_autoptr(PtSetup) setup = setup_new (1024, PT_HUGEPAGES_2M, TRUE);
  g_autoptr(PtMemoryPlan) plan = NULL;
  g_autofree char *meminfo = NULL;
  g_auto(GStrv) lines = NULL;
  guint64 total = 0;

  g_assert_no_error (error);
  g_assert_true (g_file_get_contents ("/proc/meminfo", &meminfo, NULL, NULL));
  lines = g_strsplit (meminfo, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "MemTotal:"))
      g_assert_true (pt_parse_uint64 (g_strstrip (g_strdelimit (lines[i] + 9, "kB", ' ')), 10,
                                      &total, NULL));

  plan = pt_memory_plan_new_for_scan (scan, setup, NULL);
  g_assert_cmpuint (total, >, 0);
  g_assert_cmpuint (plan->host_total_kib, ==, total);
  g_assert_cmpstr (plan->arithmetic, ==, "1 GiB ÷ 2 MiB = 512 pages");
}

/* A validator for libvirt's domain schema; NULL with a reason when it is not installed. */
static xmlRelaxNG *
load_domain_schema (char **ret_reason)
{
  const char *dir = g_getenv ("PT_LIBVIRT_SCHEMA_DIR");
  g_autofree char *path = NULL;
  xmlRelaxNGParserCtxt *parser;
  xmlRelaxNG *schema;

  if (dir == NULL)
    {
      *ret_reason = g_strdup ("PT_LIBVIRT_SCHEMA_DIR is not set");
      return NULL;
    }
  path = g_build_filename (dir, "domain.rng", NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      *ret_reason = g_strdup_printf ("libvirt's schema %s is not installed", path);
      return NULL;
    }
  parser = xmlRelaxNGNewParserCtxt (path);
  schema = xmlRelaxNGParse (parser);
  xmlRelaxNGFreeParserCtxt (parser);
  g_assert_nonnull (schema);
  return schema;
}

/* A whole domain around the fragments, for the schema: it has no partial documents. */
static xmlDoc *
minimal_domain (xmlNode **ret_domain)
{
  xmlDoc *doc = xmlNewDoc (BAD_CAST "1.0");
  xmlNode *domain = xmlNewNode (NULL, BAD_CAST "domain");
  xmlNode *os;
  xmlNode *type;

  xmlDocSetRootElement (doc, domain);
  xmlNewProp (domain, BAD_CAST "type", BAD_CAST "kvm");
  xmlNewTextChild (domain, NULL, BAD_CAST "name", BAD_CAST "pt-test");
  xmlNewTextChild (domain, NULL, BAD_CAST "vcpu", BAD_CAST "4");
  os = xmlNewChild (domain, NULL, BAD_CAST "os", NULL);
  type = xmlNewTextChild (os, NULL, BAD_CAST "type", BAD_CAST "hvm");
  xmlNewProp (type, BAD_CAST "arch", BAD_CAST "x86_64");
  xmlNewProp (type, BAD_CAST "machine", BAD_CAST "q35");
  *ret_domain = domain;
  return doc;
}

static char *
xpath_string (xmlDoc     *doc,
              const char *expression)
{
  xmlXPathContext *context = xmlXPathNewContext (doc);
  xmlXPathObject *result = xmlXPathEvalExpression (BAD_CAST expression, context);
  xmlChar *value = xmlXPathCastToString (result);
  char *text = g_strdup ((const char *) value);

  xmlFree (value);
  xmlXPathFreeObject (result);
  xmlXPathFreeContext (context);
  return text;
}

/* The fragments parse back, say what the plan says, and libvirt's schema takes them. */
static void
test_domain_fragments (void)
{
  static const struct {
    guint64      memory_mib;
    PtHugepages  hugepages;
    int          numa_node;
    const char  *guest_nodeset;
    const char  *expected;
  } cases[] = {
    { 8192, PT_HUGEPAGES_OFF, -1, NULL,
      "<memory unit=\"KiB\">8388608</memory>\n"
      "<currentMemory unit=\"KiB\">8388608</currentMemory>\n" },
    { 8192, PT_HUGEPAGES_2M, -1, NULL,
      "<memory unit=\"KiB\">8388608</memory>\n"
      "<currentMemory unit=\"KiB\">8388608</currentMemory>\n"
      "<memoryBacking>\n  <hugepages>\n    <page size=\"2048\" unit=\"KiB\"/>\n"
      "  </hugepages>\n</memoryBacking>\n" },
    { 8200, PT_HUGEPAGES_1G, 1, "0",
      "<memory unit=\"KiB\">9437184</memory>\n"
      "<currentMemory unit=\"KiB\">9437184</currentMemory>\n"
      "<memoryBacking>\n  <hugepages>\n"
      "    <page size=\"1048576\" unit=\"KiB\" nodeset=\"0\"/>\n"
      "  </hugepages>\n</memoryBacking>\n"
      "<numatune>\n  <memory mode=\"strict\" nodeset=\"1\"/>\n</numatune>\n" },
    { 4096, PT_HUGEPAGES_OFF, 0, NULL,
      "<memory unit=\"KiB\">4194304</memory>\n"
      "<currentMemory unit=\"KiB\">4194304</currentMemory>\n"
      "<numatune>\n  <memory mode=\"preferred\" nodeset=\"0\"/>\n</numatune>\n" },
  };
  g_autofree char *reason = NULL;
  xmlRelaxNG *schema = load_domain_schema (&reason);
  PtMemory *memory = memory_new (64 * GIB_KIB);

  if (schema == NULL)
    g_test_message ("Not checked against the schema: %s", reason);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PtSetup) setup = setup_new (cases[i].memory_mib, cases[i].hugepages, FALSE);
      PtMemoryHost host = { memory, NULL, NULL, -1, NULL };
      g_autoptr(PtMemoryPlan) plan = pt_memory_plan_new (&host, setup);
      g_autofree char *text = NULL;
      g_autofree char *memory_text = NULL;
      g_autofree char *page_size = NULL;
      xmlNode *domain;
      xmlDoc *doc;
      xmlDoc *parsed;
      xmlChar *dumped = NULL;
      int length = 0;

      /* The node comes from the host; pin it here to see the element it makes. */
      plan->numa_node = cases[i].numa_node;

      doc = minimal_domain (&domain);
      pt_memory_plan_append_domain (plan, domain, cases[i].guest_nodeset);
      text = pt_xml_children_to_string (domain);
      g_assert_nonnull (strstr (text, cases[i].expected));

      /* Written out and read back, the values are the plan's. */
      xmlDocDumpMemory (doc, &dumped, &length);
      parsed = xmlReadMemory ((const char *) dumped, length, "domain.xml", NULL, XML_PARSE_NONET);
      g_assert_nonnull (parsed);
      memory_text = xpath_string (parsed, "string(/domain/memory)");
      g_assert_cmpuint (g_ascii_strtoull (memory_text, NULL, 10), ==, plan->guest_kib);
      page_size = xpath_string (parsed, "string(/domain/memoryBacking/hugepages/page/@size)");
      if (plan->page_size_kib > 0)
        g_assert_cmpuint (g_ascii_strtoull (page_size, NULL, 10), ==, plan->page_size_kib);
      else
        g_assert_cmpstr (page_size, ==, "");

      if (schema != NULL)
        {
          xmlRelaxNGValidCtxt *validator = xmlRelaxNGNewValidCtxt (schema);
          int invalid = xmlRelaxNGValidateDoc (validator, parsed);

          if (invalid != 0)
            g_test_message ("Not valid for libvirt:\n%s", (const char *) dumped);
          g_assert_cmpint (invalid, ==, 0);
          xmlRelaxNGFreeValidCtxt (validator);
        }

      xmlFree (dumped);
      xmlFreeDoc (parsed);
      xmlFreeDoc (doc);
    }

  if (schema != NULL)
    xmlRelaxNGFree (schema);
  free_memory (memory);
  if (reason != NULL)
    g_test_skip (reason);
}

/* Replaces @from with @to in @text. */
static char *
replace (const char *text,
         const char *from,
         const char *to)
{
  g_auto(GStrv) parts = g_strsplit (text, from, -1);

  g_assert_cmpuint (g_strv_length (parts), >=, 2);
  return g_strjoinv (to, parts);
}

static void
write_number (const char *dir,
              const char *name,
              guint64     value)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *text = g_strdup_printf ("%" G_GUINT64_FORMAT "\n", value);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
}

static guint64
read_number (const char *dir,
             const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *text = NULL;
  guint64 value = 0;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_true (pt_parse_uint64 (g_strstrip (text), 10, &value, NULL));
  return value;
}

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
      g_assert_no_errno (g_rmdir (path));
    }
  else
    g_assert_no_errno (g_unlink (path));
}

static int
run_hook (const char  *script,
          const char  *vm,
          const char  *operation,
          char       **ret_stderr)
{
  const char *argv[] = { "/bin/sh", script, vm, operation, "begin", "-", NULL };
  int status = 0;

  g_free (pt_test_spawn_stdout (argv, &status, ret_stderr));
  return status;
}

/* The hook takes checked values only; it is valid shell; it reserves what is missing for its
 * VM alone and gives back exactly what it added. It runs here on a copy whose paths point into a
 * temporary folder, so that this computer's memory settings stay untouched. */
static void
test_hook (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hook = pt_memory_plan_render_hook ("win 11's VM", 2048, 4096, -1, &error);
  g_autofree char *node_hook = pt_memory_plan_render_hook ("vm", 1048576, 8, 1, NULL);
  g_autofree char *dir = g_dir_make_tmp ("pt-test-hook-XXXXXX", NULL);
  g_autofree char *pool = g_build_filename (dir, "pool", NULL);
  g_autofree char *vm = g_build_filename (dir, "vm", NULL);
  g_autofree char *state = g_build_filename (dir, "state", NULL);
  g_autofree char *script_path = g_build_filename (dir, "hook", NULL);
  g_autofree char *local = NULL;
  g_autofree char *moved = NULL;
  g_autofree char *script = NULL;
  g_autofree char *err = NULL;
  const char *syntax_argv[] = { "/bin/sh", "-n", script_path, NULL };
  int status = 0;

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (hook, "#!/bin/sh\n"));
  g_assert_nonnull (strstr (hook, "vm='win 11'\\''s VM'\n"));
  g_assert_nonnull (strstr (hook, "pages=4096\n"));
  g_assert_nonnull (strstr (hook, "pool=/sys/kernel/mm/hugepages/hugepages-2048kB\n"));
  g_assert_nonnull (strstr (node_hook,
                            "pool=/sys/devices/system/node/node1/hugepages/hugepages-1048576kB\n"));
  g_assert_nonnull (strstr (hook, "compact_memory"));

  /* Only checked values make it into a root script. */
  g_assert_null (pt_memory_plan_render_hook ("a/b", 2048, 1, -1, &error));
  g_assert_error (error, PT_MEMORY_PLAN_ERROR, PT_MEMORY_PLAN_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (pt_memory_plan_render_hook ("a\nrm -rf /", 2048, 1, -1, NULL));
  g_assert_null (pt_memory_plan_render_hook ("", 2048, 1, -1, NULL));
  g_assert_null (pt_memory_plan_render_hook ("vm", 4096, 1, -1, NULL));
  g_assert_null (pt_memory_plan_render_hook ("vm", 2048, 0, -1, NULL));
  g_assert_null (pt_memory_plan_render_hook ("vm", 2048, 1, -2, NULL));

  g_assert_no_errno (g_mkdir (pool, 0755));
  g_assert_no_errno (g_mkdir (vm, 0755));
  local = replace (hook, "pool=/sys/kernel/mm/hugepages/hugepages-2048kB\n",
                   "pool=\"$PT_POOL\"\n");
  moved = replace (local, "vm_sysctl=/proc/sys/vm\n", "vm_sysctl=\"$PT_VM\"\n");
  script = replace (moved, "state=/run/passthrough-hugepages.added\n", "state=\"$PT_STATE\"\n");
  g_assert_true (g_file_set_contents (script_path, script, -1, NULL));
  g_setenv ("PT_POOL", pool, TRUE);
  g_setenv ("PT_VM", vm, TRUE);
  g_setenv ("PT_STATE", state, TRUE);

  g_free (pt_test_spawn_stdout (syntax_argv, &status, NULL));
  g_assert_cmpint (status, ==, 0);

  /* 100 pages reserved, 60 free: the VM's start adds the 4036 missing ones. */
  write_number (pool, "nr_hugepages", 100);
  write_number (pool, "free_hugepages", 60);
  g_assert_cmpint (run_hook (script_path, "win 11's VM", "prepare", &err), ==, 0);
  g_assert_cmpuint (read_number (pool, "nr_hugepages"), ==, 100 + 4036);
  g_assert_cmpuint (read_number (dir, "state"), ==, 4036);
  g_assert_cmpuint (read_number (vm, "compact_memory"), ==, 1);

  /* Another VM's start changes nothing. */
  g_assert_cmpint (run_hook (script_path, "other", "prepare", NULL), ==, 0);
  g_assert_cmpuint (read_number (pool, "nr_hugepages"), ==, 4136);

  /* Its stop gives back what its start added, and no more. */
  g_assert_cmpint (run_hook (script_path, "win 11's VM", "release", NULL), ==, 0);
  g_assert_cmpuint (read_number (pool, "nr_hugepages"), ==, 100);
  g_assert_false (g_file_test (state, G_FILE_TEST_EXISTS));

  /* Enough free pages: nothing to add, nothing to give back. */
  write_number (pool, "free_hugepages", 5000);
  g_assert_cmpint (run_hook (script_path, "win 11's VM", "prepare", NULL), ==, 0);
  g_assert_cmpuint (read_number (pool, "nr_hugepages"), ==, 100);
  g_assert_cmpint (run_hook (script_path, "win 11's VM", "release", NULL), ==, 0);
  g_assert_cmpuint (read_number (pool, "nr_hugepages"), ==, 100);

  g_unsetenv ("PT_POOL");
  g_unsetenv ("PT_VM");
  g_unsetenv ("PT_STATE");
  remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/memory-plan/arithmetic", test_arithmetic);
  g_test_add_func ("/memory-plan/host-floor", test_host_floor);
  g_test_add_func ("/memory-plan/sources", test_sources);
  g_test_add_func ("/memory-plan/limits", test_limits);
  g_test_add_func ("/memory-plan/numa-fixture", test_numa_fixture);
  g_test_add_func ("/memory-plan/fixtures", test_fixtures);
  g_test_add_func ("/memory-plan/this-host", test_this_host);
  g_test_add_func ("/memory-plan/domain-fragments", test_domain_fragments);
  g_test_add_func ("/memory-plan/hook", test_hook);

  return g_test_run ();
}
