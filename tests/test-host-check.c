/* test-host-check.c: the readiness checklist on the fixture hosts, on copies of them changed the
 * way real hosts go wrong, and on this host; plus the libvirt probe it relies on. */

#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "pt-host-check.h"
#include "pt-libvirt.h"
#include "pt-test-utils.h"

typedef enum {
  EDIT_END,
  EDIT_DELETE,         /* remove the file or the whole directory */
  EDIT_WRITE,          /* replace the file's contents */
  EDIT_REPLACE_LINE,   /* replace the line starting with @match by @text */
  EDIT_REPLACE_TEXT,   /* replace every @match by @text */
} EditKind;

/* One change to a copy of a fixture, the way a real host differs. */
typedef struct {
  EditKind    kind;
  const char *path;
  const char *match;
  const char *text;
} TreeEdit;

typedef struct {
  const char   *id;
  PtCheckState  state;
  const char   *detail_has;   /* NULL: anything */
  const char   *fix_has;      /* NULL: anything (and NULL when OK) */
} ExpectedCheck;

typedef struct {
  const char          *name;
  const char          *fixture;
  const TreeEdit      *edits;        /* NULL: the fixture as it is */
  const char          *user_name;
  const char          *libvirt_uri;
  const ExpectedCheck *expected;     /* ends with a NULL id */
} CheckCase;

#define END_EDITS { EDIT_END, NULL, NULL, NULL }
#define END_CHECKS { NULL, 0, NULL, NULL }

static const ExpectedCheck ryzen_expected[] = {
  { "cpu-virtualization", PT_CHECK_OK, "svm", NULL },
  { "kvm", PT_CHECK_OK, "/dev/kvm", NULL },
  { "iommu", PT_CHECK_OK, "group", NULL },
  { "vfio-pci", PT_CHECK_OK, NULL, NULL },
  { "libvirt", PT_CHECK_OK, "test:///default", NULL },
  { "ovmf", PT_CHECK_OK, "/usr/share/OVMF/OVMF_CODE", NULL },
  { "libvirt-group", PT_CHECK_OK, "alice", NULL },
  END_CHECKS,
};

static const ExpectedCheck laptop_expected[] = {
  { "cpu-virtualization", PT_CHECK_OK, "vmx", NULL },
  { "iommu", PT_CHECK_FAILED, "Off", "VT-d" },
  { "iommu", PT_CHECK_FAILED, NULL, "intel_iommu=on" },
  { "kernel-args", PT_CHECK_FAILED, NULL, "intel_iommu=on" },
  { "libvirt", PT_CHECK_OK, NULL, NULL },
  END_CHECKS,
};

static const ExpectedCheck server_expected[] = {
  { "kernel-args", PT_CHECK_OK, "iommu=pt", NULL },
  { "kernel-args", PT_CHECK_OK, "amd_iommu=on", NULL },
  { "vfio-pci", PT_CHECK_OK, "Built into", NULL },
  { "memory", PT_CHECK_OK, "GiB", NULL },
  END_CHECKS,
};

/* Intel with intel_iommu=on but without iommu=pt: works, with a suggestion. */
static const ExpectedCheck no_smt_expected[] = {
  { "cpu-virtualization", PT_CHECK_OK, "vmx", NULL },
  { "iommu", PT_CHECK_OK, NULL, NULL },
  { "kernel-args", PT_CHECK_WARNING, "intel_iommu=on", "iommu=pt" },
  { "vfio-pci", PT_CHECK_OK, "module", NULL },
  END_CHECKS,
};

static const ExpectedCheck bogus_uri_expected[] = {
  /* A sentence naming the address, then libvirt's own words in brackets. */
  { "libvirt", PT_CHECK_FAILED, "“bogus:///nowhere”", NULL },
  { "libvirt", PT_CHECK_FAILED, ".", NULL },
  END_CHECKS,
};

/* The fixture has no /sys/module/kvm_amd: the module is not loaded. */
static const TreeEdit no_kvm_module_edits[] = {
  { EDIT_DELETE, "/dev/kvm", NULL, NULL },
  END_EDITS,
};

static const ExpectedCheck no_kvm_module_expected[] = {
  { "kvm", PT_CHECK_FAILED, "kvm_amd", "modprobe kvm_amd" },
  END_CHECKS,
};

static const TreeEdit kvm_loaded_no_device_edits[] = {
  { EDIT_DELETE, "/dev/kvm", NULL, NULL },
  { EDIT_WRITE, "/sys/module/kvm_amd/initstate", "live\n", NULL },
  END_EDITS,
};

static const ExpectedCheck kvm_loaded_no_device_expected[] = {
  { "kvm", PT_CHECK_FAILED, "loaded", "Restart" },
  END_CHECKS,
};

static const TreeEdit svm_off_edits[] = {
  { EDIT_DELETE, "/dev/kvm", NULL, NULL },
  { EDIT_REPLACE_TEXT, "/proc/cpuinfo", " svm ", " " },
  END_EDITS,
};

static const ExpectedCheck svm_off_expected[] = {
  { "cpu-virtualization", PT_CHECK_FAILED, NULL, "SVM" },
  { "cpu-virtualization", PT_CHECK_FAILED, NULL, "firmware" },
  { "kvm", PT_CHECK_FAILED, NULL, "CPU virtualization" },
  END_CHECKS,
};

/* A cloud VM without nested virtualization that runs KVM in software (kvm_pvm). */
static const TreeEdit software_kvm_edits[] = {
  { EDIT_REPLACE_TEXT, "/proc/cpuinfo", " svm ", " hypervisor " },
  { EDIT_WRITE, "/sys/module/kvm_pvm/initstate", "live\n", NULL },
  END_EDITS,
};

static const ExpectedCheck software_kvm_expected[] = {
  { "cpu-virtualization", PT_CHECK_WARNING, "kvm_pvm", "nested virtualization" },
  { "kvm", PT_CHECK_OK, NULL, NULL },
  END_CHECKS,
};

/* A processor that hides the flag while kvm_amd, which needs it, is loaded. */
static const TreeEdit hidden_flag_edits[] = {
  { EDIT_REPLACE_TEXT, "/proc/cpuinfo", " svm ", " " },
  { EDIT_WRITE, "/sys/module/kvm_amd/initstate", "live\n", NULL },
  END_EDITS,
};

static const ExpectedCheck hidden_flag_expected[] = {
  { "cpu-virtualization", PT_CHECK_OK, "kvm_amd", NULL },
  END_CHECKS,
};

static const TreeEdit not_in_group_edits[] = {
  { EDIT_WRITE, "/etc/group",
    "root:x:0:\nkvm:x:104:alice\nlibvirt:x:108:bob\nalice:x:1000:\nbob:x:1001:\n", NULL },
  END_EDITS,
};

static const ExpectedCheck not_in_group_expected[] = {
  { "libvirt-group", PT_CHECK_WARNING, "alice", "usermod -aG libvirt alice" },
  END_CHECKS,
};

static const TreeEdit primary_group_edits[] = {
  { EDIT_WRITE, "/etc/group", "root:x:0:\nlibvirt:x:108:\n", NULL },
  { EDIT_WRITE, "/etc/passwd",
    "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:108:Alice:/home/alice:/bin/bash\n", NULL },
  END_EDITS,
};

static const ExpectedCheck primary_group_expected[] = {
  { "libvirt-group", PT_CHECK_OK, "alice", NULL },
  END_CHECKS,
};

static const TreeEdit no_libvirt_group_edits[] = {
  { EDIT_WRITE, "/etc/group", "root:x:0:\nkvm:x:104:alice\nalice:x:1000:\n", NULL },
  END_EDITS,
};

static const ExpectedCheck no_libvirt_group_expected[] = {
  { "libvirt-group", PT_CHECK_FAILED, NULL, "Install libvirt" },
  END_CHECKS,
};

static const ExpectedCheck root_expected[] = {
  { "libvirt-group", PT_CHECK_OK, "root", NULL },
  END_CHECKS,
};

static const TreeEdit amd_iommu_off_edits[] = {
  { EDIT_WRITE, "/proc/cmdline",
    "BOOT_IMAGE=/boot/vmlinuz-6.1.0-9-amd64 root=/dev/nvme0n1p2 ro amd_iommu=off quiet\n", NULL },
  END_EDITS,
};

static const ExpectedCheck amd_iommu_off_expected[] = {
  { "kernel-args", PT_CHECK_FAILED, "amd_iommu=off", "amd_iommu=off" },
  END_CHECKS,
};

static const TreeEdit no_ovmf_edits[] = {
  { EDIT_DELETE, "/usr/share/qemu/firmware", NULL, NULL },
  { EDIT_DELETE, "/usr/share/OVMF", NULL, NULL },
  END_EDITS,
};

static const ExpectedCheck no_ovmf_expected[] = {
  { "ovmf", PT_CHECK_FAILED, NULL, "ovmf" },
  END_CHECKS,
};

/* Only the file names distributions use, without QEMU's descriptors (Arch's layout). */
static const TreeEdit ovmf_files_only_edits[] = {
  { EDIT_DELETE, "/usr/share/qemu/firmware", NULL, NULL },
  { EDIT_DELETE, "/usr/share/OVMF", NULL, NULL },
  { EDIT_WRITE, "/usr/share/edk2/x64/OVMF_CODE.4m.fd", "", NULL },
  END_EDITS,
};

static const ExpectedCheck ovmf_files_only_expected[] = {
  { "ovmf", PT_CHECK_OK, "/usr/share/edk2/x64/OVMF_CODE.4m.fd", NULL },
  END_CHECKS,
};

static const TreeEdit low_memory_edits[] = {
  { EDIT_REPLACE_LINE, "/proc/meminfo", "MemAvailable:", "MemAvailable:    6291456 kB" },
  END_EDITS,
};

/* g_format_size() puts a no-break space between number and unit. */
static const ExpectedCheck low_memory_expected[] = {
  { "memory", PT_CHECK_WARNING, "6.0\xc2\xa0GiB", "8 GiB" },
  END_CHECKS,
};

static const TreeEdit no_memory_edits[] = {
  { EDIT_REPLACE_LINE, "/proc/meminfo", "MemAvailable:", "MemAvailable:    2097152 kB" },
  END_EDITS,
};

static const ExpectedCheck no_memory_expected[] = {
  { "memory", PT_CHECK_FAILED, "2.0\xc2\xa0GiB", "4 GiB" },
  END_CHECKS,
};

static const CheckCase check_cases[] = {
  { "ryzen-2600x-desktop", "ryzen-2600x-desktop", NULL, "alice", "test:///default",
    ryzen_expected },
  { "intel-laptop-iommu-off", "intel-hybrid-laptop-iommu-off", NULL, "alice", "test:///default",
    laptop_expected },
  { "dual-socket-server", "dual-socket-server", NULL, "alice", "test:///default",
    server_expected },
  { "no-smt-desktop", "no-smt-desktop", NULL, "alice", "test:///default", no_smt_expected },
  { "bogus-libvirt-uri", "ryzen-2600x-desktop", NULL, "alice", "bogus:///nowhere",
    bogus_uri_expected },
  { "kvm-module-not-loaded", "ryzen-2600x-desktop", no_kvm_module_edits, "alice",
    "test:///default", no_kvm_module_expected },
  { "kvm-loaded-without-device", "ryzen-2600x-desktop", kvm_loaded_no_device_edits, "alice",
    "test:///default", kvm_loaded_no_device_expected },
  { "svm-off-in-firmware", "ryzen-2600x-desktop", svm_off_edits, "alice", "test:///default",
    svm_off_expected },
  { "software-kvm", "ryzen-2600x-desktop", software_kvm_edits, "alice", "test:///default",
    software_kvm_expected },
  { "cpu-flag-hidden", "ryzen-2600x-desktop", hidden_flag_edits, "alice", "test:///default",
    hidden_flag_expected },
  { "user-not-in-libvirt-group", "ryzen-2600x-desktop", not_in_group_edits, "alice",
    "test:///default", not_in_group_expected },
  { "libvirt-primary-group", "ryzen-2600x-desktop", primary_group_edits, "alice",
    "test:///default", primary_group_expected },
  { "no-libvirt-group", "ryzen-2600x-desktop", no_libvirt_group_edits, "alice",
    "test:///default", no_libvirt_group_expected },
  { "root-user", "ryzen-2600x-desktop", no_libvirt_group_edits, "root", "test:///default",
    root_expected },
  { "amd-iommu-off-argument", "ryzen-2600x-desktop", amd_iommu_off_edits, "alice",
    "test:///default", amd_iommu_off_expected },
  { "no-ovmf", "ryzen-2600x-desktop", no_ovmf_edits, "alice", "test:///default",
    no_ovmf_expected },
  { "ovmf-files-only", "ryzen-2600x-desktop", ovmf_files_only_edits, "alice",
    "test:///default", ovmf_files_only_expected },
  { "memory-low", "ryzen-2600x-desktop", low_memory_edits, "alice", "test:///default",
    low_memory_expected },
  { "memory-too-low", "ryzen-2600x-desktop", no_memory_edits, "alice", "test:///default",
    no_memory_expected },
};

static const char * const check_ids[] = {
  "cpu-virtualization", "kvm", "iommu", "kernel-args", "vfio-pci", "libvirt", "ovmf",
  "libvirt-group", "memory", NULL,
};

/* Copies a tree as it is: symlinks stay symlinks (sysfs is made of them). */
static void
copy_tree (const char *from,
           const char *to)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (from, 0, &error);
  const char *name;

  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir_with_parents (to, 0755), ==, 0);

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *source = g_build_filename (from, name, NULL);
      g_autofree char *target = g_build_filename (to, name, NULL);
      GStatBuf st;

      g_assert_cmpint (g_lstat (source, &st), ==, 0);
      if (S_ISLNK (st.st_mode))
        {
          g_autofree char *link = g_file_read_link (source, &error);

          g_assert_no_error (error);
          g_assert_cmpint (symlink (link, target), ==, 0);
        }
      else if (S_ISDIR (st.st_mode))
        copy_tree (source, target);
      else
        {
          g_autofree char *contents = NULL;
          gsize length = 0;

          g_assert_true (g_file_get_contents (source, &contents, &length, &error));
          /* No fsync per file: a scratch copy of thousands of sysfs files need not survive a
           * crash, and syncing each one makes the copy take seconds. */
          g_assert_true (g_file_set_contents_full (target, contents, length,
                                                   G_FILE_SET_CONTENTS_NONE, 0644, &error));
          g_assert_no_error (error);
        }
    }
}

/* The scratch copies of the fixtures, made once: copying thousands of sysfs files takes a
 * while on some file systems, so each case edits the copy and puts it back afterwards. */
static char *scratch_dir;
static GHashTable *scratch_copies;   /* fixture name → copy */

static const char *
scratch_copy_of (const char *fixture_name,
                 const char *fixture)
{
  g_autoptr(GError) error = NULL;
  char *copy;

  if (scratch_dir == NULL)
    {
      scratch_dir = g_dir_make_tmp ("pt-host-check-XXXXXX", &error);
      g_assert_no_error (error);
      scratch_copies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
    }

  copy = g_hash_table_lookup (scratch_copies, fixture_name);
  if (copy == NULL)
    {
      copy = g_build_filename (scratch_dir, fixture_name, NULL);
      copy_tree (fixture, copy);
      g_hash_table_insert (scratch_copies, g_strdup (fixture_name), copy);
    }
  return copy;
}

/* What an edit replaced, to put back after the case. */
typedef struct {
  char *path;      /* the edited path in the copy */
  char *original;  /* where the original was moved, NULL when there was none */
  char *created;   /* the topmost folder the edit created, NULL when none */
} SavedPath;

static void
saved_path_restore (SavedPath *saved)
{
  GStatBuf st;

  if (g_lstat (saved->path, &st) == 0)
    pt_test_remove_tree (saved->path);
  if (saved->original != NULL)
    g_assert_cmpint (g_rename (saved->original, saved->path), ==, 0);
  if (saved->created != NULL)
    pt_test_remove_tree (saved->created);

  g_free (saved->path);
  g_free (saved->original);
  g_free (saved->created);
  g_free (saved);
}

/* Applies @edit to the copy at @root; returns how to undo it. */
static SavedPath *
apply_edit (const char     *root,
            const TreeEdit *edit,
            guint           index)
{
  SavedPath *saved = g_new0 (SavedPath, 1);
  g_autofree char *parent = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *backup_name = g_strdup_printf ("original-%u", index);
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = NULL;
  GStatBuf st;

  saved->path = g_build_filename (root, edit->path, NULL);
  parent = g_path_get_dirname (saved->path);

  /* Remember the topmost folder the edit creates, so that undoing removes it too. */
  dir = g_strdup (parent);
  while (!g_file_test (dir, G_FILE_TEST_EXISTS))
    {
      g_free (saved->created);
      saved->created = g_steal_pointer (&dir);
      dir = g_path_get_dirname (saved->created);
    }

  if (edit->kind == EDIT_REPLACE_LINE || edit->kind == EDIT_REPLACE_TEXT)
    {
      g_file_get_contents (saved->path, &contents, NULL, &error);
      g_assert_no_error (error);
    }

  if (g_lstat (saved->path, &st) == 0)
    {
      saved->original = g_build_filename (scratch_dir, backup_name, NULL);
      g_assert_cmpint (g_rename (saved->path, saved->original), ==, 0);
    }

  switch (edit->kind)
    {
    case EDIT_DELETE:
      g_assert_nonnull (saved->original);
      break;

    case EDIT_WRITE:
      g_assert_cmpint (g_mkdir_with_parents (parent, 0755), ==, 0);
      g_file_set_contents (saved->path, edit->match, -1, &error);
      g_assert_no_error (error);
      break;

    case EDIT_REPLACE_LINE:
    case EDIT_REPLACE_TEXT:
      text = g_string_new (contents);
      if (edit->kind == EDIT_REPLACE_TEXT)
        g_assert_cmpuint (g_string_replace (text, edit->match, edit->text, 0), >, 0);
      else
        {
          g_auto(GStrv) lines = g_strsplit (contents, "\n", -1);
          gboolean replaced = FALSE;

          g_string_truncate (text, 0);
          for (guint i = 0; lines[i] != NULL; i++)
            {
              if (g_str_has_prefix (lines[i], edit->match))
                {
                  g_string_append (text, edit->text);
                  replaced = TRUE;
                }
              else
                g_string_append (text, lines[i]);
              if (lines[i + 1] != NULL)
                g_string_append_c (text, '\n');
            }
          g_assert_true (replaced);
        }
      g_file_set_contents (saved->path, text->str, text->len, &error);
      g_assert_no_error (error);
      break;

    case EDIT_END:
    default:
      g_assert_not_reached ();
    }

  return saved;
}

static const PtHostCheck *
find_check (GPtrArray  *checks,
            const char *id)
{
  for (guint i = 0; i < checks->len; i++)
    {
      const PtHostCheck *check = g_ptr_array_index (checks, i);

      if (g_str_equal (check->id, id))
        return check;
    }
  return NULL;
}

/* What every result promises: all checks in order, each with a title and what was found, and a
 * fix exactly when it did not pass. */
static void
assert_well_formed (GPtrArray *checks)
{
  g_assert_cmpuint (checks->len, ==, g_strv_length ((char **) check_ids));

  for (guint i = 0; i < checks->len; i++)
    {
      const PtHostCheck *check = g_ptr_array_index (checks, i);

      g_assert_cmpstr (check->id, ==, check_ids[i]);
      g_assert_true (check->title != NULL && check->title[0] != '\0');
      g_assert_true (check->detail != NULL && check->detail[0] != '\0');
      g_assert_true (g_utf8_validate (check->detail, -1, NULL));
      if (check->state == PT_CHECK_OK)
        g_assert_null (check->fix);
      else if (check->state == PT_CHECK_WARNING || check->state == PT_CHECK_FAILED)
        {
          g_assert_nonnull (check->fix);
          /* One sentence: it ends like one. */
          g_assert_true (g_str_has_suffix (check->fix, "."));
        }
    }
}

static void
test_checks (gconstpointer data)
{
  const CheckCase *test_case = data;
  g_autofree char *fixture = pt_test_fixture_path (test_case->fixture);
  g_autofree char *root = NULL;
  g_autoptr(PtHostScan) scan = NULL;
  g_autoptr(GPtrArray) checks = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) saved = g_ptr_array_new ();
  PtHostCheckOptions options = { 0 };

  if (!g_file_test (fixture, G_FILE_TEST_IS_DIR))
    {
      g_test_skip_printf ("fixture %s is not there", test_case->fixture);
      return;
    }

  if (test_case->edits != NULL)
    {
      root = g_strdup (scratch_copy_of (test_case->fixture, fixture));
      for (const TreeEdit *edit = test_case->edits; edit->kind != EDIT_END; edit++)
        g_ptr_array_add (saved, apply_edit (root, edit, saved->len));
    }
  else
    root = g_strdup (fixture);

  scan = pt_host_scan_new_sync (root, NULL, &error);
  g_assert_no_error (error);

  options.libvirt_uri = (char *) test_case->libvirt_uri;
  options.user_name = (char *) test_case->user_name;
  checks = pt_host_check_run_sync (scan, &options, NULL);
  assert_well_formed (checks);

  for (const ExpectedCheck *expected = test_case->expected; expected->id != NULL; expected++)
    {
      const PtHostCheck *check = find_check (checks, expected->id);

      g_assert_nonnull (check);
      g_test_message ("%s: %s — %s — %s", check->id, pt_check_state_to_string (check->state),
                      check->detail, check->fix != NULL ? check->fix : "(no fix)");
      g_assert_cmpstr (pt_check_state_to_string (check->state), ==,
                       pt_check_state_to_string (expected->state));
      if (expected->detail_has != NULL)
        g_assert_nonnull (strstr (check->detail, expected->detail_has));
      if (expected->fix_has != NULL)
        {
          g_assert_nonnull (check->fix);
          g_assert_nonnull (strstr (check->fix, expected->fix_has));
        }
    }

  /* Undo in reverse, so that the copy is the fixture again for the next case. */
  g_clear_object (&scan);
  for (guint i = saved->len; i > 0; i--)
    saved_path_restore (g_ptr_array_index (saved, i - 1));
}

/* Whatever this host has, the list is complete and each entry makes sense. */
static void
test_checks_running_host (void)
{
  g_autoptr(PtHostScan) scan = NULL;
  g_autoptr(GPtrArray) checks = NULL;
  g_autoptr(GError) error = NULL;
  PtHostCheckOptions options = { .libvirt_uri = (char *) "test:///default" };
  const PtHostCheck *kvm;
  int fd;

  scan = pt_host_scan_new_sync ("/", NULL, &error);
  g_assert_no_error (error);

  checks = pt_host_check_run_sync (scan, &options, NULL);
  assert_well_formed (checks);
  g_assert_cmpint (find_check (checks, "libvirt")->state, ==, PT_CHECK_OK);

  /* On the real host the device must also open, not just exist; and a /dev/kvm that opens
   * means KVM runs here, whatever the processor's flags say. */
  kvm = find_check (checks, "kvm");
  fd = open ("/dev/kvm", O_RDWR | O_CLOEXEC);
  g_assert_cmpint (kvm->state == PT_CHECK_OK, ==, fd >= 0);
  if (fd >= 0)
    {
      g_assert_cmpint (find_check (checks, "cpu-virtualization")->state, !=, PT_CHECK_FAILED);
      close (fd);
    }
  g_test_message ("this host: %s; %s", find_check (checks, "cpu-virtualization")->detail,
                  kvm->detail);
}

static void
run_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GAsyncResult **ret_result = user_data;

  *ret_result = g_object_ref (result);
}

static GAsyncResult *
wait_for_result (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

/* The async variant runs in a thread and gives the same answers; cancelled, it says so. */
static void
test_checks_async (void)
{
  g_autofree char *fixture = pt_test_fixture_path ("ryzen-2600x-desktop");
  g_autoptr(PtHostScan) scan = NULL;
  g_autoptr(GPtrArray) checks = NULL;
  g_autoptr(GPtrArray) cancelled_checks = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) cancelled_result = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  PtHostCheckOptions options = { .libvirt_uri = (char *) "test:///default",
                                 .user_name = (char *) "alice" };

  if (!g_file_test (fixture, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("fixture ryzen-2600x-desktop is not there");
      return;
    }

  scan = pt_host_scan_new_sync (fixture, NULL, &error);
  g_assert_no_error (error);

  pt_host_check_run_async (scan, &options, NULL, run_done_cb, &result);
  checks = pt_host_check_run_finish (wait_for_result (&result), &error);
  g_assert_no_error (error);
  assert_well_formed (checks);
  g_assert_cmpint (find_check (checks, "libvirt-group")->state, ==, PT_CHECK_OK);

  g_cancellable_cancel (cancellable);
  pt_host_check_run_async (scan, &options, cancellable, run_done_cb, &cancelled_result);
  cancelled_checks = pt_host_check_run_finish (wait_for_result (&cancelled_result), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (cancelled_checks);
}

/* libvirt's test driver: one running domain, versions that format as x.y.z. */
static void
test_libvirt_probe (void)
{
  g_autoptr(PtLibvirtInfo) info = NULL;
  g_autoptr(PtLibvirtInfo) async_info = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *library_version = NULL;

  info = pt_libvirt_probe_sync ("test:///default", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info->uri, ==, "test:///default");
  g_assert_cmpstr (info->hypervisor, ==, "TEST");
  g_assert_cmpuint (info->domain_count, ==, 1);
  g_assert_cmpuint (info->active_count, ==, 1);
  g_assert_cmpuint (info->library_version, >=, 9000000);
  library_version = pt_libvirt_format_version (info->library_version);
  g_assert_true (g_regex_match_simple ("^[0-9]+\\.[0-9]+\\.[0-9]+$", library_version, 0, 0));
  /* The test driver runs in this process: this computer. */
  g_assert_nonnull (info->hostname);
  g_assert_false (info->other_computer);

  pt_libvirt_probe_async ("test:///default", NULL, run_done_cb, &result);
  async_info = pt_libvirt_probe_finish (wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (async_info->domain_count, ==, info->domain_count);
}

static void
test_libvirt_format_version (void)
{
  g_autofree char *v1 = pt_libvirt_format_version (9000000);
  g_autofree char *v2 = pt_libvirt_format_version (7002022);
  g_autofree char *v3 = pt_libvirt_format_version (0);

  g_assert_cmpstr (v1, ==, "9.0.0");
  g_assert_cmpstr (v2, ==, "7.2.22");
  g_assert_cmpstr (v3, ==, "");
}

static void
test_libvirt_other_computer (void)
{
  const struct {
    const char *uri;
    const char *hostname;
    const char *local;
    gboolean    other;
  } cases[] = {
    { "qemu+ssh://root@server/system", "server", "desktop", TRUE },
    { "qemu+ssh://server.lan/system", "server.lan", "desktop.lan", TRUE },
    { "qemu+tcp://10.0.0.5/system", "server", "desktop", TRUE },
    { "qemu+ssh://[fd00::5]/system", "server", "desktop", TRUE },
    { "qemu+ssh://desktop/system", "Desktop.example.org", "desktop", FALSE },
    { "qemu+ssh://desktop.local/system", "desktop", "DESKTOP.local", FALSE },
    /* A local socket is this computer, even when a container names itself otherwise. */
    { "qemu:///system", "host", "toolbox", FALSE },
    { "test:///default", "host", "toolbox", FALSE },
    { "qemu+ssh://localhost/system", "host", "toolbox", FALSE },
    { "qemu+ssh://127.0.0.1/system", "host", "toolbox", FALSE },
    { "qemu+ssh://server/system", "localhost", "desktop", FALSE },
    { "qemu+ssh://server/system", "server", "localhost", FALSE },
    { "qemu+ssh://server/system", NULL, "desktop", FALSE },
    { "qemu+ssh://server/system", "", "desktop", FALSE },
    { "qemu+ssh://server/system", "server", NULL, FALSE },
    { NULL, "server", "desktop", FALSE },
    { "not a uri", "server", "desktop", FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s: %s on %s", cases[i].uri ? cases[i].uri : "(none)",
                      cases[i].hostname ? cases[i].hostname : "(none)",
                      cases[i].local ? cases[i].local : "(none)");
      g_assert_cmpint (pt_libvirt_is_other_computer (cases[i].uri, cases[i].hostname,
                                                     cases[i].local), ==, cases[i].other);
    }
}

/* A failure is a GError with a sentence for the user and libvirt's message after it; nothing
 * reaches stderr (libvirt would print there by default). */
static void
test_libvirt_probe_errors (void)
{
  static const char * const bad_uris[] = {
    "bogus:///nowhere",
    "test:///no/such/file.xml",
    NULL,
  };

  if (g_test_subprocess ())
    {
      g_autoptr(PtLibvirtInfo) info = pt_libvirt_probe_sync ("bogus:///nowhere", NULL, NULL);

      g_assert_null (info);
      return;
    }

  for (guint i = 0; bad_uris[i] != NULL; i++)
    {
      g_autoptr(PtLibvirtInfo) info = NULL;
      g_autoptr(GError) error = NULL;

      info = pt_libvirt_probe_sync (bad_uris[i], NULL, &error);
      g_assert_null (info);
      g_assert_nonnull (error);
      g_assert_true (error->domain == PT_LIBVIRT_ERROR);
      g_assert_nonnull (strstr (error->message, bad_uris[i]));
      /* libvirt's own words follow the sentence, in brackets. */
      g_assert_nonnull (strstr (error->message, ". ("));
      g_assert_true (g_str_has_suffix (error->message, ")"));
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("");
}

static void
test_libvirt_probe_cancelled (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(PtLibvirtInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  info = pt_libvirt_probe_sync ("test:///default", cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (info);
}

static void
test_check_state_names (void)
{
  g_assert_cmpstr (pt_check_state_to_string (PT_CHECK_OK), ==, "ok");
  g_assert_cmpstr (pt_check_state_to_string (PT_CHECK_WARNING), ==, "warning");
  g_assert_cmpstr (pt_check_state_to_string (PT_CHECK_FAILED), ==, "failed");
  g_assert_cmpstr (pt_check_state_to_string (PT_CHECK_UNKNOWN), ==, "unknown");
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (check_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/host-check/%s", check_cases[i].name);

      g_test_add_data_func (path, &check_cases[i], test_checks);
    }
  g_test_add_func ("/host-check/running-host", test_checks_running_host);
  g_test_add_func ("/host-check/async", test_checks_async);
  g_test_add_func ("/host-check/state-names", test_check_state_names);
  g_test_add_func ("/libvirt/probe", test_libvirt_probe);
  g_test_add_func ("/libvirt/format-version", test_libvirt_format_version);
  g_test_add_func ("/libvirt/other-computer", test_libvirt_other_computer);
  g_test_add_func ("/libvirt/probe-errors", test_libvirt_probe_errors);
  g_test_add_func ("/libvirt/probe-cancelled", test_libvirt_probe_cancelled);

  status = g_test_run ();

  if (scratch_dir != NULL)
    {
      pt_test_remove_tree (scratch_dir);
      g_clear_pointer (&scratch_copies, g_hash_table_unref);
      g_clear_pointer (&scratch_dir, g_free);
    }

  return status;
}
