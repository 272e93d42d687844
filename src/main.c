/* main.c: the command line: the report (and later the plans) without a display, else the app. */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>

#include "pt-application.h"
#include "pt-host-scan.h"
#include "pt-report.h"

#define DEMO_FIXTURE "ryzen-2600x-desktop"

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

static int
print_report (const char *root)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PtHostScan) scan = pt_host_scan_new_sync (root, NULL, &error);
  g_autofree char *text = NULL;
  const char * const *notes;

  if (scan == NULL)
    return fail (error->message);

  notes = pt_host_scan_get_notes (scan);
  for (guint i = 0; notes[i] != NULL; i++)
    g_printerr ("passthrough: note: %s\n", notes[i]);

  text = pt_report_to_string (scan);
  fputs (text, stdout);
  return fflush (stdout) == 0 ? 0 : fail (_("Cannot write the report"));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sysroot = NULL;
  g_autofree char *libvirt_uri = NULL;
  g_autofree char *root = NULL;
  gboolean report = FALSE;
  gboolean demo = FALSE;
  gboolean version = FALSE;
  g_autoptr(GApplication) app = NULL;
  char *app_argv[] = { argv[0], NULL };
  const GOptionEntry entries[] = {
    { "sysroot", 0, 0, G_OPTION_ARG_FILENAME, &sysroot,
      N_("Read the host from DIR instead of /"), N_("DIR") },
    { "report", 0, 0, G_OPTION_ARG_NONE, &report,
      N_("Print what was found on the host as JSON and exit"), NULL },
    { "demo", 0, 0, G_OPTION_ARG_NONE, &demo,
      N_("Show a sample host; nothing on this computer is changed"), NULL },
    { "connect", 0, 0, G_OPTION_ARG_STRING, &libvirt_uri,
      N_("libvirt connection URI (default: the saved setting, qemu:///system)"), N_("URI") },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, N_("Print the version and exit"), NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("Set up a virtual machine with its own graphics card."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return fail (error->message);
  if (argc > 1)
    {
      g_autofree char *message = g_strdup_printf (_("Unexpected argument “%s”"), argv[1]);
      return fail (message);
    }

  if (version)
    {
      g_print ("passthrough %s\n", PACKAGE_VERSION);
      return 0;
    }

  if (demo && sysroot != NULL)
    return fail (_("--demo and --sysroot cannot be used together"));
  if (demo)
    {
      root = find_demo_root ();
      if (root == NULL)
        return fail (_("The demo host is not installed"));
      if (libvirt_uri == NULL)
        libvirt_uri = g_strdup ("test:///default");
    }
  else
    root = g_strdup (sysroot ? sysroot : "/");

  if (report)
    return print_report (root);

  app = G_APPLICATION (pt_application_new (root, libvirt_uri, demo));
  return g_application_run (app, 1, app_argv);
}
