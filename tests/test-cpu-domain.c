/* test-cpu-domain.c: the vcpu, iothreads, cputune and cpu elements of a plan: exact text for the
 * 2600X, agreement with the plan on every fixture, and libvirt's own schema check. */
#include <glib/gstdio.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>

#include "pt-cpu-domain.h"
#include "pt-test-utils.h"

static PtCpuTopology *
read_topology (const char *fixture)
{
  g_autofree char *root = pt_test_fixture_path (fixture);
  g_autoptr(PtSysroot) sysroot = NULL;
  g_autoptr(GError) error = NULL;
  PtCpuTopology *topology;

  if (!g_file_test (root, G_FILE_TEST_IS_DIR))
    return NULL;
  sysroot = pt_sysroot_new (root, &error);
  g_assert_no_error (error);
  topology = pt_cpu_topology_read (sysroot, &error);
  g_assert_no_error (error);
  return topology;
}

static const char expected_2600x[] =
  "  <vcpu placement=\"static\">6</vcpu>\n"
  "  <iothreads>1</iothreads>\n"
  "  <cputune>\n"
  "    <vcpupin vcpu=\"0\" cpuset=\"3\"/>\n"
  "    <vcpupin vcpu=\"1\" cpuset=\"9\"/>\n"
  "    <vcpupin vcpu=\"2\" cpuset=\"4\"/>\n"
  "    <vcpupin vcpu=\"3\" cpuset=\"10\"/>\n"
  "    <vcpupin vcpu=\"4\" cpuset=\"5\"/>\n"
  "    <vcpupin vcpu=\"5\" cpuset=\"11\"/>\n"
  "    <emulatorpin cpuset=\"0,6\"/>\n"
  "    <iothreadpin iothread=\"1\" cpuset=\"0,6\"/>\n"
  "  </cputune>\n"
  "  <cpu mode=\"host-passthrough\" check=\"none\" migratable=\"on\">\n"
  "    <topology sockets=\"1\" dies=\"1\" cores=\"3\" threads=\"2\"/>\n"
  "    <cache mode=\"passthrough\"/>\n"
  "    <feature policy=\"require\" name=\"topoext\"/>\n"
  "  </cpu>\n";

static void
test_2600x_text (void)
{
  g_autoptr(PtCpuTopology) topology = read_topology ("ryzen-2600x-desktop");
  g_autoptr(PtCpuPlan) plan = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (topology == NULL)
    {
      g_test_skip ("fixture ryzen-2600x-desktop is not there");
      return;
    }
  plan = pt_cpu_planner_plan (topology, 6, -1, PT_GUEST_WINDOWS, &error);
  g_assert_no_error (error);
  text = pt_cpu_domain_to_string (plan);
  g_assert_cmpstr (text, ==, expected_2600x);
}

static char *
xpath_string (xmlXPathContext *context,
              const char      *expression)
{
  xmlXPathObject *result = xmlXPathEvalExpression ((const xmlChar *) expression, context);
  xmlChar *value;
  char *copy;

  g_assert_nonnull (result);
  value = xmlXPathCastToString (result);
  copy = g_strdup ((const char *) value);
  xmlFree (value);
  xmlXPathFreeObject (result);
  return copy;
}

static double
xpath_number (xmlXPathContext *context,
              const char      *expression)
{
  xmlXPathObject *result = xmlXPathEvalExpression ((const xmlChar *) expression, context);
  double value;

  g_assert_nonnull (result);
  value = xmlXPathCastToNumber (result);
  xmlXPathFreeObject (result);
  return value;
}

/* A whole domain around the elements, as libvirt needs it to validate. */
static xmlDoc *
wrap_in_domain (const PtCpuPlan *plan)
{
  static const char text[] = "<domain type='kvm'>"
                             "<name>cpu-test</name>"
                             "<memory unit='KiB'>8388608</memory>"
                             "<os><type arch='x86_64' machine='q35'>hvm</type></os>"
                             "<features><acpi/></features>"
                             "<metadata><app xmlns='https://example.org/app'>kept</app>"
                             "</metadata>"
                             "</domain>";
  xmlDoc *doc = xmlReadMemory (text, sizeof text - 1, "domain.xml", NULL, XML_PARSE_NONET);

  g_assert_nonnull (doc);
  pt_cpu_domain_add_all (xmlDocGetRootElement (doc), plan);
  return doc;
}

/* virt-xml-validate from libvirt, when it is there. */
static void
validate_with_libvirt (xmlDoc     *doc,
                       const char *label)
{
  g_autofree char *tool = g_find_program_in_path ("virt-xml-validate");
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = -1;

  if (tool == NULL)
    {
      g_test_message ("virt-xml-validate is not installed; %s not validated", label);
      return;
    }
  dir = g_dir_make_tmp ("pt-test-cpu-domain-XXXXXX", NULL);
  g_assert_nonnull (dir);
  path = g_build_filename (dir, "domain.xml", NULL);
  g_assert_cmpint (xmlSaveFormatFile (path, doc, 1), >, 0);
  {
    const char *argv[] = { tool, path, "domain", NULL };

    out = pt_test_spawn_stdout (argv, &status, &err);
  }
  if (status != 0)
    g_test_message ("%s: %s%s", label, out, err);
  g_assert_cmpint (status, ==, 0);
  g_unlink (path);
  g_rmdir (dir);
}

/* Every fixture, several counts: the XML says what the plan says, and libvirt accepts it. */
static void
test_fixtures (void)
{
  g_auto(GStrv) names = pt_test_fixture_names ();
  const guint counts[] = { 1, 2, 3, 4, 6, 8 };

  if (names[0] == NULL)
    {
      g_test_skip ("no fixtures");
      return;
    }

  for (guint f = 0; names[f] != NULL; f++)
    for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
      {
        g_autoptr(PtCpuTopology) topology = read_topology (names[f]);
        g_autoptr(PtCpuPlan) plan = NULL;
        g_autofree char *label = g_strdup_printf ("%s N=%u", names[f], counts[i]);
        g_autofree char *emulator = NULL;
        g_autofree char *value = NULL;
        xmlXPathContext *context;
        xmlDoc *doc;

        if (counts[i] > pt_cpu_planner_max_vcpus (topology))
          continue;
        plan = pt_cpu_planner_plan (topology, counts[i], -1, PT_GUEST_WINDOWS, NULL);
        g_assert_nonnull (plan);
        doc = wrap_in_domain (plan);
        context = xmlXPathNewContext (doc);

        g_assert_cmpfloat (xpath_number (context, "number(/domain/vcpu)"), ==, counts[i]);
        value = xpath_string (context, "string(/domain/vcpu/@placement)");
        g_assert_cmpstr (value, ==, "static");
        g_clear_pointer (&value, g_free);
        g_assert_cmpfloat (xpath_number (context, "number(/domain/iothreads)"), ==, 1);
        g_assert_cmpfloat (xpath_number (context, "count(/domain/cputune/vcpupin)"), ==,
                           counts[i]);
        for (guint v = 0; v < counts[i]; v++)
          {
            g_autofree char *expression =
              g_strdup_printf ("number(/domain/cputune/vcpupin[@vcpu='%u']/@cpuset)", v);

            g_assert_cmpfloat (xpath_number (context, expression), ==,
                               g_array_index (plan->vcpus, guint, v));
          }
        emulator = pt_format_cpu_list (plan->emulator);
        value = xpath_string (context, "string(/domain/cputune/emulatorpin/@cpuset)");
        g_assert_cmpstr (value, ==, emulator);
        g_clear_pointer (&value, g_free);
        value = xpath_string (context,
                              "string(/domain/cputune/iothreadpin[@iothread='1']/@cpuset)");
        g_assert_cmpstr (value, ==, emulator);
        g_clear_pointer (&value, g_free);

        value = xpath_string (context, "string(/domain/cpu/@mode)");
        g_assert_cmpstr (value, ==, "host-passthrough");
        g_clear_pointer (&value, g_free);
        g_assert_cmpfloat (xpath_number (context, "/domain/cpu/topology/@sockets * "
                                                  "/domain/cpu/topology/@dies * "
                                                  "/domain/cpu/topology/@cores * "
                                                  "/domain/cpu/topology/@threads"), ==,
                           counts[i]);
        g_assert_cmpfloat (xpath_number (context, "number(/domain/cpu/topology/@threads)"), ==,
                           plan->threads);
        g_assert_cmpfloat (xpath_number (context, "count(/domain/cpu/cache[@mode='passthrough'])"),
                           ==, 1);
        /* topoext on AMD only: Intel's CPUID has no such feature and the guest would not
         * start with it required. */
        g_assert_cmpfloat (xpath_number (context,
                                         "count(/domain/cpu/feature[@name='topoext']"
                                         "[@policy='require'])"), ==,
                           g_str_equal (topology->vendor, "AuthenticAMD") ? 1 : 0);

        /* What the elements were added to is still there. */
        value = xpath_string (context, "string(/domain/metadata/*)");
        g_assert_cmpstr (value, ==, "kept");

        validate_with_libvirt (doc, label);
        xmlXPathFreeContext (context);
        xmlFreeDoc (doc);
      }
}

/* Each builder appends one element to the parent it is given and returns it. */
static void
test_builders_append (void)
{
  g_autoptr(PtCpuTopology) topology = read_topology ("no-smt-desktop");
  g_autoptr(PtCpuPlan) plan = NULL;
  xmlDoc *doc;
  xmlNode *root;
  xmlNode *node;
  char *cores;
  char *threads;

  if (topology == NULL)
    {
      g_test_skip ("fixture no-smt-desktop is not there");
      return;
    }
  plan = pt_cpu_planner_plan (topology, 3, -1, PT_GUEST_LINUX, NULL);
  doc = xmlNewDoc ((const xmlChar *) "1.0");
  root = xmlNewDocNode (doc, NULL, (const xmlChar *) "domain", NULL);
  xmlDocSetRootElement (doc, root);

  node = pt_cpu_domain_add_cpu (root, plan);
  g_assert_true (node->parent == root);
  g_assert_cmpstr ((const char *) node->name, ==, "cpu");
  /* No SMT: three cores of one thread, and no AMD feature. */
  cores = (char *) xmlGetProp (node->children, (const xmlChar *) "cores");
  threads = (char *) xmlGetProp (node->children, (const xmlChar *) "threads");
  g_assert_cmpstr (cores, ==, "3");
  g_assert_cmpstr (threads, ==, "1");
  xmlFree (cores);
  xmlFree (threads);
  g_assert_cmpstr ((const char *) node->last->name, ==, "cache");
  node = pt_cpu_domain_add_vcpu (root, plan);
  g_assert_true (root->last == node);
  g_assert_cmpstr ((const char *) node->name, ==, "vcpu");
  g_assert_true (pt_cpu_domain_add_iothreads (root, plan) == root->last);
  g_assert_true (pt_cpu_domain_add_cputune (root, plan) == root->last);
  g_assert_cmpuint (xmlChildElementCount (root), ==, 4);
  xmlFreeDoc (doc);
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("LC_ALL", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cpu-domain/2600x-text", test_2600x_text);
  g_test_add_func ("/cpu-domain/fixtures", test_fixtures);
  g_test_add_func ("/cpu-domain/builders-append", test_builders_append);

  return g_test_run ();
}
