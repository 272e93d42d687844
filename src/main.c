/* main.c: the command line: the report and the plans without a display, else the app. */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "pt-application.h"
#include "pt-cpu-planner.h"
#include "pt-domain.h"
#include "pt-domain-define.h"
#include "pt-host-plan.h"
#include "pt-host-scan.h"
#include "pt-libvirt.h"
#include "pt-report.h"
#include "pt-setup.h"

#define DEMO_FIXTURE "ryzen-2600x-desktop"

/* Everything the command line can say; the choices end up in a PtSetup. */
typedef struct {
  char *sysroot;
  char *libvirt_uri;
  gboolean report;
  gboolean demo;
  gboolean version;
  gboolean print_plan;
  gboolean print_domain;
  char *edit_domain;        /* the domain XML file to print edited */
  int plan_cpus;            /* -1: not asked */

  char *gpu;
  gboolean single_gpu;
  int cpus;
  char *memory;
  char *hugepages;          /* "2M"/"1G"; "" = the option without a value */
  gboolean hugepages_on_demand;
  char *guest;
  gboolean isolate_host;
  char **inputs;
  char **disks;
  char **isos;
  char **usb;
  char *name;
  gboolean kvm_hidden;
} Options;

static void
options_clear (Options *o)
{
  g_free (o->sysroot);
  g_free (o->libvirt_uri);
  g_free (o->edit_domain);
  g_free (o->gpu);
  g_free (o->memory);
  g_free (o->hugepages);
  g_free (o->guest);
  g_strfreev (o->inputs);
  g_strfreev (o->disks);
  g_strfreev (o->isos);
  g_strfreev (o->usb);
  g_free (o->name);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

static Options *current_options;

/* --hugepages takes an optional value, which GOption only offers through a callback. */
static gboolean
hugepages_option_cb (const char  *option_name,
                     const char  *value,
                     gpointer     data,
                     GError     **error)
{
  g_free (current_options->hugepages);
  current_options->hugepages = g_strdup (value ? value : "");
  return TRUE;
}

/* The demo host: installed with the app, or in the source tree when run uninstalled. */
static char *
find_demo_root (void)
{
  const char *override = g_getenv ("PT_DEMO_ROOT");
  g_autofree char *installed = g_build_filename (PT_DATADIR, "demo", DEMO_FIXTURE, NULL);
  g_autofree char *source = g_build_filename (PT_SOURCE_DIR, "tests", "fixtures", DEMO_FIXTURE,
                                              NULL);

  if (override != NULL)
    return g_strdup (override);
  if (g_file_test (installed, G_FILE_TEST_IS_DIR))
    return g_steal_pointer (&installed);
  if (g_file_test (source, G_FILE_TEST_IS_DIR))
    return g_steal_pointer (&source);
  return NULL;
}

static int
fail (const char *message)
{
  g_printerr ("passthrough: %s\n", message);
  return 1;
}

static gboolean
print_text (const char *text)
{
  fputs (text, stdout);
  return fflush (stdout) == 0;
}

/* The user's choices from the options; FALSE with a sentence for a value that makes no sense. */
static PtSetup *
setup_from_options (const Options  *o,
                    GError        **error)
{
  g_autoptr(PtSetup) setup = pt_setup_new ();

  if (o->gpu != NULL)
    pt_setup_set_gpu (setup, o->gpu);
  pt_setup_set_single_gpu (setup, o->single_gpu);

  if (o->cpus != 0)
    {
      if (o->cpus < 1 || o->cpus > 4096)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--cpus takes a number of virtual CPUs from 1 to 4096, not %d"), o->cpus);
          return NULL;
        }
      pt_setup_set_vcpus (setup, (guint) o->cpus);
    }

  if (o->memory != NULL)
    {
      guint64 mib;

      if (!pt_parse_memory_size (o->memory, &mib, error))
        return NULL;
      pt_setup_set_memory_mib (setup, mib);
    }

  if (o->hugepages != NULL)
    {
      PtHugepages hugepages = PT_HUGEPAGES_2M;

      if (*o->hugepages != '\0' && !pt_parse_hugepage_size (o->hugepages, &hugepages, error))
        return NULL;
      pt_setup_set_hugepages (setup, hugepages);
    }
  if (o->hugepages_on_demand)
    {
      if (pt_setup_get_hugepages (setup) == PT_HUGEPAGES_OFF)
        pt_setup_set_hugepages (setup, PT_HUGEPAGES_2M);
      pt_setup_set_hugepages_on_demand (setup, TRUE);
    }

  if (o->guest != NULL)
    {
      if (g_str_equal (o->guest, "windows"))
        pt_setup_set_guest (setup, PT_GUEST_WINDOWS);
      else if (g_str_equal (o->guest, "linux"))
        pt_setup_set_guest (setup, PT_GUEST_LINUX);
      else
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--guest is windows or linux, not “%s”"), o->guest);
          return NULL;
        }
    }
  pt_setup_set_isolate_host (setup, o->isolate_host);

  if (o->name != NULL)
    {
      if (*o->name == '\0' || strpbrk (o->name, "/\n") != NULL)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("“%s” cannot be the name of a virtual machine"), o->name);
          return NULL;
        }
      pt_setup_set_name (setup, o->name);
    }

  for (guint i = 0; o->usb != NULL && o->usb[i] != NULL; i++)
    if (!g_regex_match_simple ("^[0-9a-fA-F]{4}:[0-9a-fA-F]{4}$", o->usb[i], 0, 0))
      {
        g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                     _("--usb takes a vendor and product ID like 046d:c52b, not “%s”"), o->usb[i]);
        return NULL;
      }

  pt_setup_set_inputs (setup, (const char * const *) o->inputs);
  pt_setup_set_disks (setup, (const char * const *) o->disks);
  pt_setup_set_isos (setup, (const char * const *) o->isos);
  pt_setup_set_usb (setup, (const char * const *) o->usb);

  return g_steal_pointer (&setup);
}

/* --print-domain and --edit-domain: the domain XML for the choices; FILE is only read. */
static char *
domain_text (const Options  *o,
             PtHostScan     *scan,
             PtSetup        *setup,
             GError        **error)
{
  PtDomainOptions options = { .firmware = NULL, .kvm_hidden = o->kvm_hidden };
  g_autoptr(PtDomainFirmware) firmware = NULL;
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *contents = NULL;
  gsize length = 0;
  GStatBuf info;
  char *text;

  /* With --connect, the firmware is what that libvirt offers; else libvirt's auto-selection. */
  if (o->libvirt_uri != NULL)
    {
      firmware = pt_domain_firmware_for_uri (o->libvirt_uri, scan, warnings, NULL);
      options.firmware = firmware;
    }

  if (o->edit_domain == NULL)
    text = pt_domain_new_xml (scan, setup, &options, warnings, error);
  else
    {
      /* Checked before reading, so that a huge file is not read into memory at all. */
      if (g_stat (o->edit_domain, &info) == 0 && info.st_size > PT_DOMAIN_MAX_XML_BYTES)
        {
          g_set_error (error, PT_DOMAIN_ERROR, PT_DOMAIN_ERROR_TOO_LARGE,
                       _("%s is larger than %u MiB, which no virtual machine needs."),
                       o->edit_domain, PT_DOMAIN_MAX_XML_BYTES / (1024 * 1024));
          return NULL;
        }
      if (!g_file_get_contents (o->edit_domain, &contents, &length, error))
        return NULL;
      text = pt_domain_edit_xml (contents, (gssize) length, scan, setup, &options, warnings,
                                 error);
    }

  for (guint i = 0; text != NULL && i < warnings->len; i++)
    g_printerr ("passthrough: warning: %s\n", (const char *) g_ptr_array_index (warnings, i));
  return text;
}

static int
run_command_line (const Options *o,
                  const char    *root)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PtSetup) setup = setup_from_options (o, &error);
  g_autoptr(PtHostScan) scan = NULL;
  g_autofree char *text = NULL;
  const char * const *notes;
  const PtCpuTopology *cpu;

  if (setup == NULL)
    return fail (error->message);

  scan = pt_host_scan_new_sync (root, NULL, &error);
  if (scan == NULL)
    return fail (error->message);

  notes = pt_host_scan_get_notes (scan);
  for (guint i = 0; notes[i] != NULL; i++)
    g_printerr ("passthrough: note: %s\n", notes[i]);

  /* The default vCPU count is a suggestion: on a small computer, as many as fit. A count the
   * user gave is kept, and refused when it does not fit. */
  cpu = pt_host_scan_get_cpu (scan);
  if (o->cpus == 0 && cpu != NULL)
    {
      guint most = pt_cpu_planner_max_vcpus (cpu);

      if (most >= 1 && most < pt_setup_get_vcpus (setup))
        {
          g_autofree char *note = NULL;

          note = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "%u vCPUs do not fit this computer; the virtual "
                                               "machine gets %u vCPU (choose with --cpus).",
                                               "%u vCPUs do not fit this computer; the virtual "
                                               "machine gets %u vCPUs (choose with --cpus).",
                                               most),
                                  pt_setup_get_vcpus (setup), most);
          g_printerr ("passthrough: note: %s\n", note);
          pt_setup_set_vcpus (setup, most);
        }
    }

  if (o->report)
    text = pt_report_to_string (scan);
  else if (o->plan_cpus >= 0)
    {
      g_autoptr(PtCpuPlan) plan = pt_cpu_planner_plan_for_scan (scan, (guint) o->plan_cpus,
                                                                pt_setup_get_gpu (setup),
                                                                pt_setup_get_guest (setup), &error);

      if (plan != NULL)
        text = pt_cpu_plan_to_json (plan);
    }
  else if (o->print_plan)
    {
      /* Blockers are part of the plan (exit 0); only an impossible request fails. */
      g_autoptr(PtHostPlan) plan = pt_host_plan_build (scan, setup, &error);

      if (plan != NULL)
        text = pt_host_plan_to_json (plan);
    }
  else if (o->print_domain || o->edit_domain != NULL)
    text = domain_text (o, scan, setup, &error);

  if (text == NULL)
    return fail (error ? error->message : _("Nothing to print"));
  return print_text (text) ? 0 : fail (_("Cannot write to standard output"));
}

int
main (int    argc,
      char **argv)
{
  g_auto(Options) o = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *root = NULL;
  g_autoptr(GApplication) app = NULL;
  char *app_argv[] = { argv[0], NULL };
  const GOptionEntry entries[] = {
    { "sysroot", 0, 0, G_OPTION_ARG_FILENAME, &o.sysroot,
      N_("Read the host from DIR instead of /"), N_("DIR") },
    { "report", 0, 0, G_OPTION_ARG_NONE, &o.report,
      N_("Print what was found on the host as JSON and exit"), NULL },
    { "demo", 0, 0, G_OPTION_ARG_NONE, &o.demo,
      N_("Show a sample host; nothing on this computer is changed"), NULL },
    { "connect", 0, 0, G_OPTION_ARG_STRING, &o.libvirt_uri,
      N_("libvirt connection URI (default: the saved setting, qemu:///system)"), N_("URI") },
    { "plan-cpus", 0, 0, G_OPTION_ARG_INT, &o.plan_cpus,
      N_("Print where N vCPUs would be pinned as JSON and exit"), N_("N") },
    { "print-plan", 0, 0, G_OPTION_ARG_NONE, &o.print_plan,
      N_("Print the host changes for the choices as JSON and exit"), NULL },
    { "print-domain", 0, 0, G_OPTION_ARG_NONE, &o.print_domain,
      N_("Print a new virtual machine for the choices as libvirt XML and exit"), NULL },
    { "edit-domain", 0, 0, G_OPTION_ARG_FILENAME, &o.edit_domain,
      N_("Print the libvirt domain XML in FILE with the choices applied and exit; FILE is not "
         "changed"), N_("FILE") },
    { "version", 0, 0, G_OPTION_ARG_NONE, &o.version, N_("Print the version and exit"), NULL },
    { NULL }
  };
  const GOptionEntry choice_entries[] = {
    { "gpu", 0, 0, G_OPTION_ARG_STRING, &o.gpu,
      N_("The guest's graphics card, e.g. 0000:09:00.0 or 09:00.0"), N_("ADDRESS") },
    { "single-gpu", 0, 0, G_OPTION_ARG_NONE, &o.single_gpu,
      N_("Allow the card the host boots on (single-GPU mode)"), NULL },
    { "cpus", 0, 0, G_OPTION_ARG_INT, &o.cpus,
      N_("Virtual CPUs (default 4, or as many as fit)"), N_("N") },
    { "memory", 0, 0, G_OPTION_ARG_STRING, &o.memory,
      N_("Guest memory, e.g. 8GiB or 8192MiB (default 8GiB)"), N_("SIZE") },
    { "hugepages", 0, G_OPTION_FLAG_OPTIONAL_ARG, G_OPTION_ARG_CALLBACK, hugepages_option_cb,
      N_("Back guest memory with hugepages reserved at boot (2M or 1G, default 2M)"),
      N_("SIZE") },
    { "hugepages-on-demand", 0, 0, G_OPTION_ARG_NONE, &o.hugepages_on_demand,
      N_("Reserve the hugepages when the VM starts instead of at boot"), NULL },
    { "guest", 0, 0, G_OPTION_ARG_STRING, &o.guest,
      N_("The guest system: windows or linux (default windows)"), N_("OS") },
    { "isolate-host", 0, 0, G_OPTION_ARG_NONE, &o.isolate_host,
      N_("Keep the host off the guest's cores while the VM runs"), NULL },
    { "input", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o.inputs,
      N_("A keyboard or mouse for the guest (repeatable)"), N_("PATH") },
    { "disk", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o.disks,
      N_("A whole disk for the guest (repeatable)"), N_("PATH") },
    { "iso", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o.isos,
      N_("An installation or driver ISO (repeatable)"), N_("PATH") },
    { "usb", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o.usb,
      N_("A USB device for the guest, vendor:product (repeatable)"), N_("VID:PID") },
    { "name", 0, 0, G_OPTION_ARG_STRING, &o.name,
      N_("The virtual machine's name (default passthrough-vm)"), N_("NAME") },
    { "kvm-hidden", 0, 0, G_OPTION_ARG_NONE, &o.kvm_hidden,
      N_("Hide KVM from the guest (for old GPU drivers that refuse to run in a VM)"), NULL },
    { NULL }
  };
  GOptionGroup *choices;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  o.plan_cpus = -1;
  current_options = &o;
  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("Set up a virtual machine with its own graphics card."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  choices = g_option_group_new ("choices", _("Choices for the plans:"),
                                _("Show the options that choose the guest's devices"), NULL, NULL);
  g_option_group_add_entries (choices, choice_entries);
  g_option_group_set_translation_domain (choices, GETTEXT_PACKAGE);
  g_option_context_add_group (context, choices);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return fail (error->message);
  if (argc > 1)
    {
      g_autofree char *message = g_strdup_printf (_("Unexpected argument “%s”"), argv[1]);
      return fail (message);
    }

  if (o.version)
    {
      g_print ("passthrough %s\n", PACKAGE_VERSION);
      return 0;
    }

  if (o.demo && o.sysroot != NULL)
    return fail (_("--demo and --sysroot cannot be used together"));
  if (o.demo)
    {
      root = find_demo_root ();
      if (root == NULL)
        return fail (_("The demo host is not installed"));
      if (o.libvirt_uri == NULL)
        o.libvirt_uri = g_strdup ("test:///default");
    }
  else
    root = g_strdup (o.sysroot ? o.sysroot : "/");

  if (o.plan_cpus < -1)
    return fail (_("--plan-cpus takes a number of virtual CPUs"));
  if ((o.report ? 1 : 0) + (o.print_plan ? 1 : 0) + (o.plan_cpus >= 0 ? 1 : 0)
      + (o.print_domain ? 1 : 0) + (o.edit_domain != NULL ? 1 : 0) > 1)
    return fail (_("Choose one of --report, --print-plan, --plan-cpus, --print-domain and "
                   "--edit-domain"));
  if (o.report || o.print_plan || o.plan_cpus >= 0 || o.print_domain || o.edit_domain != NULL)
    return run_command_line (&o, root);

  app = G_APPLICATION (pt_application_new (root, o.libvirt_uri, o.demo));
  return g_application_run (app, 1, app_argv);
}
