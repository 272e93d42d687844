/* test-domain-define.c: the VM step as the window runs it, on libvirt's test:///default driver:
 * a new VM is defined, an edit keeps a backup first, a backup restores, and nothing is defined
 * when a step before fails. */
#include "config.h"

#include <glib/gstdio.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "pt-domain-define.h"
#include "pt-test-utils.h"

#define HOST_FIXTURE "ryzen-2600x-desktop"
#define GPU          "0000:09:00.0"
#define TEST_URI     "test:///default"

static PtHostScan *host_scan;

static PtHostScan *
get_scan (void)
{
  g_autofree char *root = pt_test_fixture_path (HOST_FIXTURE);
  g_autoptr(GError) error = NULL;

  if (host_scan == NULL)
    {
      host_scan = pt_host_scan_new_sync (root, NULL, &error);
      g_assert_no_error (error);
    }
  return host_scan;
}

static PtSetup *
setup_named (const char *name)
{
  PtSetup *setup = pt_setup_new ();

  pt_setup_set_name (setup, name);
  pt_setup_set_gpu (setup, GPU);
  pt_setup_set_vcpus (setup, 4);
  pt_setup_set_memory_mib (setup, 8192);
  return setup;
}

static gboolean
domain_defined (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) domains = pt_libvirt_list_domains_sync (TEST_URI, NULL, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < domains->len; i++)
    if (g_str_equal (((PtLibvirtDomain *) g_ptr_array_index (domains, i))->name, name))
      return TRUE;
  return FALSE;
}

static char *
held_xml (const char *name)
{
  g_autoptr(GError) error = NULL;
  char *xml = pt_libvirt_get_domain_xml_sync (TEST_URI, name, NULL, &error);

  g_assert_no_error (error);
  return xml;
}

static void
undefine (const char *name)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pt_libvirt_undefine_domain_sync (TEST_URI, name, NULL, &error));
  g_assert_no_error (error);
}

/* What a user may type as a new VM's name, and what must be refused before libvirt sees it. */
static void
test_names (void)
{
  static const struct {
    const char *name;
    gboolean    ok;
  } cases[] = {
    { "win11", TRUE },
    { "Gaming PC (RTX)", TRUE },
    { "spiel-maschine-ä", TRUE },
    { "", FALSE },
    { "a/b", FALSE },
    { "../etc", FALSE },
    { ".hidden", FALSE },
    { "tab\there", FALSE },
    { "bad\xff", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *shown = g_strescape (cases[i].name, NULL);

      g_test_message ("name “%s”", shown);
      g_assert_cmpint (pt_domain_check_name (cases[i].name, &error), ==, cases[i].ok);
      if (cases[i].ok)
        g_assert_no_error (error);
      else
        g_assert_error (error, PT_DOMAIN_ERROR, PT_DOMAIN_ERROR_NAME);
    }
  {
    g_autofree char *long_name = g_strnfill (201, 'x');
    g_autoptr(GError) error = NULL;

    g_assert_false (pt_domain_check_name (long_name, &error));
    g_assert_error (error, PT_DOMAIN_ERROR, PT_DOMAIN_ERROR_NAME);
  }
}

/* A new VM is defined with the GPU; a preview defines nothing; a taken name is refused. */
static void
test_new (void)
{
  g_autoptr(PtSetup) setup = setup_named ("pt-define-new");
  g_autoptr(PtDomainDefineResult) preview = NULL;
  g_autoptr(PtDomainDefineResult) result = NULL;
  g_autoptr(PtDomainDefineResult) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = NULL;

  preview = pt_domain_define_sync (TEST_URI, get_scan (), setup, NULL,
                                   PT_DOMAIN_DEFINE_PREVIEW, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (preview->domain);
  g_assert_null (preview->old_xml);
  g_assert_null (preview->backup_path);
  g_assert_nonnull (strstr (preview->xml, "<name>pt-define-new</name>"));
  g_assert_false (domain_defined ("pt-define-new"));
  /* The test driver has no domain capabilities: libvirt's own firmware choice, said once. */
  g_assert_cmpuint (preview->warnings->len, >=, 1);

  result = pt_domain_define_sync (TEST_URI, get_scan (), setup, NULL,
                                  PT_DOMAIN_DEFINE_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result->name, ==, "pt-define-new");
  g_assert_cmpstr (result->xml, ==, preview->xml);
  g_assert_nonnull (result->domain);
  g_assert_cmpstr (result->domain->name, ==, "pt-define-new");
  g_assert_true (result->domain->persistent);
  g_assert_null (result->backup_path);

  xml = held_xml ("pt-define-new");
  g_assert_nonnull (strstr (xml, "<hostdev mode='subsystem' type='pci' managed='yes'>"));
  g_assert_nonnull (strstr (xml, "bus='0x09'"));
  g_assert_nonnull (strstr (xml, "<memory unit='KiB'>8388608</memory>"));

  /* The same name again, and the driver's own "test" domain: refused, nothing redefined. */
  again = pt_domain_define_sync (TEST_URI, get_scan (), setup, NULL,
                                 PT_DOMAIN_DEFINE_FLAGS_NONE, NULL, &error);
  g_assert_null (again);
  g_assert_error (error, PT_DOMAIN_ERROR, PT_DOMAIN_ERROR_NAME);
  g_assert_nonnull (strstr (error->message, "pt-define-new"));
  g_clear_error (&error);
  pt_setup_set_name (setup, "../escape");
  g_assert_null (pt_domain_define_sync (TEST_URI, get_scan (), setup, NULL,
                                        PT_DOMAIN_DEFINE_FLAGS_NONE, NULL, &error));
  g_assert_error (error, PT_DOMAIN_ERROR, PT_DOMAIN_ERROR_NAME);
  g_assert_false (domain_defined ("../escape"));

  undefine ("pt-define-new");
}

/* An edit keeps the definition it replaces, changes what was asked, and a second edit with the
 * same choices leaves libvirt's definition as it was. */
static void
test_edit_keeps_backup (void)
{
  g_autoptr(PtSetup) setup = setup_named ("pt-define-edit");
  g_autoptr(PtDomainDefineResult) created = NULL;
  g_autoptr(PtDomainDefineResult) edited = NULL;
  g_autoptr(PtDomainDefineResult) twice = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *after_twice = NULL;
  g_autofree char *kept = NULL;

  created = pt_domain_define_sync (TEST_URI, get_scan (), setup, NULL,
                                   PT_DOMAIN_DEFINE_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  before = held_xml ("pt-define-edit");

  pt_setup_set_memory_mib (setup, 12288);
  pt_setup_set_name (setup, "ignored-for-an-edit");
  edited = pt_domain_define_sync (TEST_URI, get_scan (), setup, "pt-define-edit",
                                  PT_DOMAIN_DEFINE_KVM_HIDDEN, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (edited->name, ==, "pt-define-edit");
  g_assert_cmpstr (edited->old_xml, ==, before);
  g_assert_nonnull (edited->backup_path);
  g_file_get_contents (edited->backup_path, &kept, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kept, ==, before);
  g_assert_false (domain_defined ("ignored-for-an-edit"));

  after = held_xml ("pt-define-edit");
  g_assert_nonnull (strstr (after, "<memory unit='KiB'>12582912</memory>"));
  g_assert_nonnull (strstr (after, "<hidden state='on'/>"));
  /* The uuid stays: it is the same machine. */
  g_assert_nonnull (strstr (after, created->domain->uuid));

  twice = pt_domain_define_sync (TEST_URI, get_scan (), setup, "pt-define-edit",
                                 PT_DOMAIN_DEFINE_KVM_HIDDEN, NULL, &error);
  g_assert_no_error (error);
  after_twice = held_xml ("pt-define-edit");
  g_assert_cmpstr (after_twice, ==, after);

  undefine ("pt-define-edit");
}

/* A VM the connection does not have, and a connection that cannot open: a sentence, no backup. */
static void
test_edit_failures (void)
{
  g_autoptr(PtSetup) setup = setup_named ("unused");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) backups = NULL;

  g_assert_null (pt_domain_define_sync (TEST_URI, get_scan (), setup, "no-such-vm",
                                        PT_DOMAIN_DEFINE_FLAGS_NONE, NULL, &error));
  g_assert_error (error, PT_LIBVIRT_ERROR, PT_LIBVIRT_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "no-such-vm"));
  g_clear_error (&error);

  g_assert_null (pt_domain_define_sync ("bogus:///nowhere", get_scan (), setup, NULL,
                                        PT_DOMAIN_DEFINE_FLAGS_NONE, NULL, &error));
  /* Which code depends on whether a daemon runs (libvirt then asks it about the scheme). */
  g_assert_true (error != NULL && error->domain == PT_LIBVIRT_ERROR);
  g_assert_nonnull (strstr (error->message, "bogus:///nowhere"));
  g_clear_error (&error);

  backups = pt_domain_list_backups_sync ("no-such-vm", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (backups->len, ==, 0);
}

static void
write_backup_file (const char *file,
                   const char *contents)
{
  g_autofree char *dir = g_build_filename (g_get_user_state_dir (), "passthrough", "backups",
                                           NULL);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

/* The list holds only this VM's backups, newest first; restoring the oldest brings its
 * definition back and keeps the one it replaced. */
static void
test_backups_restore (void)
{
  g_autoptr(PtSetup) setup = setup_named ("pt-define-restore");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) backups = NULL;
  g_autoptr(GPtrArray) after_restore = NULL;
  g_autoptr(PtDomainDefineResult) restored = NULL;
  g_autofree char *original = NULL;
  g_autofree char *now = NULL;
  const char *oldest;

  g_autoptr(PtDomainDefineResult) created = NULL;

  created = pt_domain_define_sync (TEST_URI, get_scan (), setup, NULL,
                                   PT_DOMAIN_DEFINE_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (created->domain);
  original = held_xml ("pt-define-restore");

  for (guint64 mib = 10240; mib <= 12288; mib += 2048)
    {
      g_autoptr(PtDomainDefineResult) edited = NULL;

      pt_setup_set_memory_mib (setup, mib);
      edited = pt_domain_define_sync (TEST_URI, get_scan (), setup, "pt-define-restore",
                                      PT_DOMAIN_DEFINE_FLAGS_NONE, NULL, &error);
      g_assert_no_error (error);
    }

  /* Files that are not this VM's backups: a longer name, no time stamp, another VM's XML
   * under this name, not XML at all. */
  write_backup_file ("pt-define-restore-gaming-20260101T000000Z.xml",
                     "<domain><name>pt-define-restore-gaming</name></domain>");
  write_backup_file ("pt-define-restore-latest.xml",
                     "<domain><name>pt-define-restore</name></domain>");
  write_backup_file ("pt-define-restore-20990101T000000Z.xml",
                     "<domain><name>someone-else</name></domain>");
  write_backup_file ("pt-define-restore-20980101T000000Z.xml", "not xml");

  backups = pt_domain_list_backups_sync ("pt-define-restore", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (backups->len, ==, 2);
  for (guint i = 0; i < backups->len; i++)
    {
      PtDomainBackup *backup = g_ptr_array_index (backups, i);

      g_assert_cmpstr (backup->name, ==, "pt-define-restore");
      g_assert_nonnull (backup->time);
      if (i > 0)
        g_assert_cmpint (g_date_time_compare (backup->time,
                                              ((PtDomainBackup *) g_ptr_array_index (
                                                 backups, i - 1))->time), <=, 0);
    }
  /* Two backups within one second: the second file is "-2" and counts as newer. */
  oldest = ((PtDomainBackup *) g_ptr_array_index (backups, backups->len - 1))->path;

  restored = pt_domain_restore_backup_sync (TEST_URI, oldest, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (restored->name, ==, "pt-define-restore");
  g_assert_nonnull (restored->backup_path);
  g_assert_nonnull (restored->old_xml);
  now = held_xml ("pt-define-restore");
  g_assert_cmpstr (now, ==, original);

  after_restore = pt_domain_list_backups_sync ("pt-define-restore", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (after_restore->len, ==, 3);

  /* A backup of a VM that is gone defines it again; nothing to keep first. */
  undefine ("pt-define-restore");
  {
    g_autoptr(PtDomainDefineResult) back = pt_domain_restore_backup_sync (TEST_URI, oldest,
                                                                          NULL, &error);

    g_assert_no_error (error);
    g_assert_null (back->old_xml);
    g_assert_null (back->backup_path);
    g_assert_true (domain_defined ("pt-define-restore"));
  }
  undefine ("pt-define-restore");
}

/* What is not a backup is refused before libvirt sees it. */
static void
test_restore_refuses (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_state_dir (), "passthrough", "backups",
                                           NULL);
  g_autofree char *big_path = g_build_filename (dir, "big-20260101T000000Z.xml", NULL);
  g_autofree char *garbage_path = g_build_filename (dir, "junk-20260101T000000Z.xml", NULL);
  g_autofree char *nul_path = g_build_filename (dir, "nul-20260101T000000Z.xml", NULL);
  g_autoptr(GError) error = NULL;
  int fd;

  write_backup_file ("junk-20260101T000000Z.xml", "<notadomain/>");
  g_assert_null (pt_domain_restore_backup_sync (TEST_URI, garbage_path, NULL, &error));
  g_assert_error (error, PT_DOMAIN_ERROR, PT_DOMAIN_ERROR_INVALID_XML);
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (nul_path, "<domain>\0<name>x</name></domain>", 32, NULL));
  g_assert_null (pt_domain_restore_backup_sync (TEST_URI, nul_path, NULL, &error));
  g_assert_error (error, PT_DOMAIN_ERROR, PT_DOMAIN_ERROR_INVALID_XML);
  g_clear_error (&error);

  fd = g_open (big_path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, PT_DOMAIN_MAX_XML_BYTES + 1), ==, 0);
  close (fd);
  g_assert_null (pt_domain_restore_backup_sync (TEST_URI, big_path, NULL, &error));
  g_assert_error (error, PT_DOMAIN_ERROR, PT_DOMAIN_ERROR_TOO_LARGE);
  g_clear_error (&error);

  g_assert_null (pt_domain_restore_backup_sync (TEST_URI, dir, NULL, &error));
  g_assert_error (error, PT_DOMAIN_ERROR, PT_DOMAIN_ERROR_BACKUP);
}

static void
store_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

/* The window's way: in a worker thread; the setup may change right after the call; a
 * cancelled call defines nothing. */
static void
test_async (void)
{
  g_autoptr(PtSetup) setup = setup_named ("pt-define-async");
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  g_autoptr(GAsyncResult) first = NULL;
  g_autoptr(GAsyncResult) second = NULL;
  g_autoptr(GAsyncResult) listed = NULL;
  g_autoptr(PtDomainDefineResult) result = NULL;
  g_autoptr(GPtrArray) backups = NULL;
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancelled);
  pt_domain_define_async (TEST_URI, get_scan (), setup, NULL, PT_DOMAIN_DEFINE_FLAGS_NONE,
                          cancelled, store_result_cb, &first);
  g_assert_null (pt_domain_define_finish (wait_for (&first), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_false (domain_defined ("pt-define-async"));

  pt_domain_define_async (TEST_URI, get_scan (), setup, NULL, PT_DOMAIN_DEFINE_FLAGS_NONE,
                          NULL, store_result_cb, &second);
  /* The worker has its own copy of the choices. */
  pt_setup_set_name (setup, "changed-meanwhile");
  result = pt_domain_define_finish (wait_for (&second), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result->domain->name, ==, "pt-define-async");

  pt_domain_list_backups_async ("pt-define-async", NULL, store_result_cb, &listed);
  backups = pt_domain_list_backups_finish (wait_for (&listed), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (backups->len, ==, 0);

  undefine ("pt-define-async");
}

int
main (int    argc,
      char **argv)
{
  int result;

  /* Every case has its own XDG folders: backups never reach the user's own. */
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/domain-define/names", test_names);
  g_test_add_func ("/domain-define/new", test_new);
  g_test_add_func ("/domain-define/edit-keeps-backup", test_edit_keeps_backup);
  g_test_add_func ("/domain-define/edit-failures", test_edit_failures);
  g_test_add_func ("/domain-define/backups-restore", test_backups_restore);
  g_test_add_func ("/domain-define/restore-refuses", test_restore_refuses);
  g_test_add_func ("/domain-define/async", test_async);

  result = g_test_run ();
  g_clear_object (&host_scan);
  pt_libvirt_close_connections ();
  return result;
}
