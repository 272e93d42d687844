/* test-cpu-plan.c: the planner as its callers use it: a plan for a host snapshot's GPU with the
 * JSON of --plan-cpus, hand-picked pins, and what the processor panel reads off a plan (CPU
 * roles, L3 names). */
#include <string.h>

#include "pt-cpu-planner.h"
#include "pt-test-cpu.h"
#include "pt-test-utils.h"

/* ---- plans for a host snapshot ---- */

/* The example, through the host snapshot and with the JSON of --plan-cpus. */
static void
test_2600x_json (void)
{
  g_autofree char *root = pt_test_fixture_path ("ryzen-2600x-desktop");
  g_autoptr(GError) error = NULL;
  g_autoptr(PtHostScan) scan = NULL;
  g_autoptr(PtCpuPlan) plan = NULL;
  g_autoptr(JsonNode) actual = NULL;
  g_autoptr(JsonNode) expected = NULL;
  g_autofree char *text = NULL;
  g_autofree char *diff = NULL;
  JsonObject *object;

  if (!g_file_test (root, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("fixture ryzen-2600x-desktop is not there");
      return;
    }
  scan = pt_host_scan_new_sync (root, NULL, &error);
  g_assert_no_error (error);
  plan = pt_cpu_planner_plan_for_scan (scan, 6, "09:00.0", PT_GUEST_WINDOWS, &error);
  g_assert_no_error (error);
  text = pt_cpu_plan_to_json (plan);
  actual = json_from_string (text, &error);
  g_assert_no_error (error);

  expected = json_from_string ("{\"vcpus\": [3, 9, 4, 10, 5, 11], \"emulator\": [0, 6],"
                               " \"iothreads\": [0, 6],"
                               " \"topology\": {\"sockets\": 1, \"dies\": 1, \"cores\": 3,"
                               "               \"threads\": 2}, \"reasons\": []}", NULL);
  /* Reasons are prose; compare them apart. */
  object = json_node_get_object (actual);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "reasons")),
                    >=, 4);
  json_object_set_array_member (object, "reasons", json_array_new ());
  diff = pt_test_json_diff (expected, actual);
  g_assert_null (diff);

  /* The reasons say what a person needs to hear. */
  g_assert_nonnull (strstr (plan->reasons[0], "CCX 1"));
  g_assert_true (g_strv_contains ((const char * const *) plan->reasons,
                                  "Core 0 (CPUs 0,6) stays with the host, which runs most of its "
                                  "own work and interrupts there."));
}

static void
test_for_scan_gpu (void)
{
  g_autofree char *root = pt_test_fixture_path ("dual-socket-server");
  g_autoptr(GError) error = NULL;
  g_autoptr(PtHostScan) scan = NULL;
  g_autoptr(PtCpuPlan) plan = NULL;
  g_autoptr(PtCpuPlan) none = NULL;

  if (!g_file_test (root, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("fixture dual-socket-server is not there");
      return;
    }
  scan = pt_host_scan_new_sync (root, NULL, &error);
  g_assert_no_error (error);

  /* The RTX A4000 sits on node 1. */
  plan = pt_cpu_planner_plan_for_scan (scan, 8, "a1:00.0", PT_GUEST_WINDOWS, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_array_index (plan->vcpus, guint, 0), ==, 16);
  {
    gboolean says_gpu = FALSE;

    for (guint i = 0; plan->reasons[i] != NULL; i++)
      says_gpu |= strstr (plan->reasons[i], "NUMA node 1, the graphics card’s") != NULL;
    g_assert_true (says_gpu);
  }

  none = pt_cpu_planner_plan_for_scan (scan, 8, "0000:77:00.0", PT_GUEST_WINDOWS, &error);
  g_assert_null (none);
  g_assert_error (error, PT_CPU_PLANNER_ERROR, PT_CPU_PLANNER_ERROR_UNKNOWN_GPU);
}

/* ---- hand-picked pins ---- */

static GArray *
cpus_from (const char *list)
{
  GArray *cpus = g_array_new (FALSE, FALSE, sizeof (guint));
  g_auto(GStrv) parts = g_strsplit (list, ",", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      guint64 value;

      if (*parts[i] == '\0')
        continue;
      g_assert_true (pt_parse_uint64 (parts[i], 10, &value, NULL));
      g_array_append_val (cpus, value);
    }
  return cpus;
}

typedef struct {
  const char *host;
  const char *picked;        /* comma separated, in the order given */
  int         error_code;    /* -1: a plan */
  const char *vcpus;
  guint       cores;
  guint       threads;
} ManualCase;

static const ManualCase manual_cases[] = {
  { "ryzen-2600x-desktop", "4,10,3,9", -1, "3,9,4,10", 2, 2 },
  /* Across both CCXs: allowed, and the reasons say what it costs. */
  { "ryzen-2600x-desktop", "1,7,3,9,4,10", -1, "1,7,3,9,4,10", 3, 2 },
  /* Core 0 by hand: allowed; the emulator moves to a free host core. */
  { "ryzen-2600x-desktop", "0,6", -1, "0,6", 1, 2 },
  /* The sibling that is left of a split core is the last vCPU. */
  { "ryzen-2600x-desktop", "9,4,10", -1, "4,10,9", 3, 1 },
  { "ryzen-2600x-desktop", "", PT_CPU_PLANNER_ERROR_NO_VCPUS, NULL, 0, 0 },
  { "ryzen-2600x-desktop", "3,12", PT_CPU_PLANNER_ERROR_INVALID_CPU, NULL, 0, 0 },
  { "ryzen-2600x-desktop", "3,9,3", PT_CPU_PLANNER_ERROR_INVALID_CPU, NULL, 0, 0 },
  { "ryzen-2600x-desktop", "3,4", PT_CPU_PLANNER_ERROR_SPLIT_CORE, NULL, 0, 0 },
  { "ryzen-2600x-desktop", "0,1,2,3,4,5,6,7,8,9,10,11", PT_CPU_PLANNER_ERROR_TOO_MANY, NULL, 0,
    0 },
  { "dual-socket-server", "60", PT_CPU_PLANNER_ERROR_INVALID_CPU, NULL, 0, 0 },
  { "dual-socket-server", "28,29", -1, "28,29", 2, 1 },
};

static void
test_manual (gconstpointer data)
{
  const ManualCase *c = data;
  PtTestCpuHost *host = pt_test_cpu_host_find (c->host);
  g_autoptr(GArray) picked = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PtCpuPlan) plan = NULL;
  g_autoptr(GString) vcpus = g_string_new (NULL);

  if (host == NULL)
    {
      g_test_skip_printf ("host %s is not there", c->host);
      return;
    }
  picked = cpus_from (c->picked);
  plan = pt_cpu_planner_plan_manual (host->topology, picked, -1, &error);
  if (c->error_code >= 0)
    {
      g_assert_null (plan);
      g_assert_error (error, PT_CPU_PLANNER_ERROR, c->error_code);
      g_assert_true (error->message[0] != '\0');
      return;
    }
  g_assert_no_error (error);
  g_assert_true (plan->manual);
  for (guint i = 0; i < plan->vcpus->len; i++)
    g_string_append_printf (vcpus, i > 0 ? ",%u" : "%u", g_array_index (plan->vcpus, guint, i));
  g_assert_cmpstr (vcpus->str, ==, c->vcpus);
  g_assert_cmpuint (plan->cores, ==, c->cores);
  g_assert_cmpuint (plan->threads, ==, c->threads);
  g_assert_cmpuint (plan->cores * plan->threads, ==, picked->len);
  g_assert_cmpuint (plan->host_cpus->len + picked->len, ==, host->topology->online->len);
  g_assert_cmpuint (plan->emulator->len, >, 0);
  for (guint i = 0; i < plan->emulator->len; i++)
    {
      guint cpu = g_array_index (plan->emulator, guint, i);

      g_assert_false (pt_test_cpu_in_list (plan->vcpus, cpu));
      g_assert_true (pt_test_cpu_in_list (plan->host_cpus, cpu));
    }
  g_assert_true (g_str_has_prefix (plan->reasons[0], "Picked by hand"));
  pt_test_cpu_check_json (plan);
}

/* ---- what the processor panel reads off a plan ---- */

/* Roles, as the panel shows them. */
static void
test_roles (void)
{
  PtTestCpuHost *host = pt_test_cpu_host_find ("ryzen-2600x-desktop");
  g_autoptr(PtCpuPlan) plan = NULL;
  g_autofree char *isolation = NULL;
  g_autofree char *host_cpus = NULL;
  int vcpu;

  if (host == NULL)
    {
      g_test_skip ("fixture ryzen-2600x-desktop is not there");
      return;
    }
  plan = pt_cpu_planner_plan (host->topology, 6, -1, PT_GUEST_WINDOWS, NULL);
  g_assert_cmpint (pt_cpu_plan_get_role (plan, 9, &vcpu), ==, PT_CPU_ROLE_VCPU);
  g_assert_cmpint (vcpu, ==, 1);
  g_assert_cmpint (pt_cpu_plan_get_role (plan, 0, &vcpu), ==,
                   PT_CPU_ROLE_EMULATOR | PT_CPU_ROLE_IOTHREAD);
  g_assert_cmpint (vcpu, ==, -1);
  g_assert_cmpint (pt_cpu_plan_get_role (plan, 1, NULL), ==, PT_CPU_ROLE_HOST);

  /* The host keeps the rest while the guest runs; the hook gets them as a cpulist. */
  host_cpus = pt_format_cpu_list (pt_cpu_plan_get_host_cpus (plan));
  g_assert_cmpstr (host_cpus, ==, "0-2,6-8");
  isolation = pt_cpu_plan_describe_isolation (plan);
  g_assert_nonnull (strstr (isolation, "0-2,6-8"));
}

static void
test_names (void)
{
  PtTestCpuHost *amd = pt_test_cpu_host_find ("ryzen-7950x3d");
  PtTestCpuHost *intel = pt_test_cpu_host_find ("raptor-lake-13900k");
  g_autofree char *ccx = pt_cpu_l3_name (amd->topology, 1);
  g_autofree char *l3 = pt_cpu_l3_name (intel->topology, 0);

  g_assert_cmpstr (ccx, ==, "CCX 1");
  g_assert_cmpstr (l3, ==, "L3 cache 0");
  g_assert_true (pt_cpu_l3_is_vcache (amd->topology, 0));
  g_assert_false (pt_cpu_l3_is_vcache (amd->topology, 1));
  g_assert_false (pt_cpu_l3_is_vcache (intel->topology, 0));
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_setenv ("LC_ALL", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (manual_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/cpu-planner/manual/%s/%u", manual_cases[i].host,
                                               i);

      g_test_add_data_func (path, &manual_cases[i], test_manual);
    }
  g_test_add_func ("/cpu-planner/2600x-json", test_2600x_json);
  g_test_add_func ("/cpu-planner/for-scan-gpu", test_for_scan_gpu);
  g_test_add_func ("/cpu-planner/roles", test_roles);
  g_test_add_func ("/cpu-planner/names", test_names);

  status = g_test_run ();

  pt_test_cpu_hosts_free ();
  return status;
}
