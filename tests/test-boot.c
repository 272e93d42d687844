/* test-boot.c: command line, bootloader, initramfs tool, kernels and vfio-pci, per host kind. */
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "pt-boot.h"
#include "pt-test-utils.h"

static PtBoot *
read_tree (const char  *root,
           GError     **error)
{
  g_autoptr(PtSysroot) sysroot = pt_sysroot_new (root, NULL);

  g_assert_nonnull (sysroot);
  return pt_boot_read (sysroot, error);
}

/* --- the command line --- */

typedef struct {
  const char *cmdline;
  const char *name;
  const char *value;   /* NULL: absent */
} ArgCase;

static const ArgCase arg_cases[] = {
  { "BOOT_IMAGE=/vmlinuz-6.1.0-13-amd64 root=UUID=0a1b ro quiet amd_iommu=on iommu=pt",
    "iommu", "pt" },
  { "BOOT_IMAGE=/vmlinuz-6.1.0-13-amd64 root=UUID=0a1b ro quiet amd_iommu=on iommu=pt",
    "amd_iommu", "on" },
  { "BOOT_IMAGE=/vmlinuz-6.1.0-13-amd64 root=UUID=0a1b ro quiet amd_iommu=on iommu=pt",
    "root", "UUID=0a1b" },
  { "BOOT_IMAGE=/vmlinuz-6.1.0-13-amd64 root=UUID=0a1b ro quiet amd_iommu=on iommu=pt",
    "quiet", "" },
  { "BOOT_IMAGE=/vmlinuz-6.1.0-13-amd64 root=UUID=0a1b ro quiet amd_iommu=on iommu=pt",
    "splash", NULL },
  /* A name is the whole name: "iommu" is not in "amd_iommu=on". */
  { "amd_iommu=on", "iommu", NULL },
  { "intel_iommu=on,sm_off", "intel_iommu", "on,sm_off" },
  /* Quotes keep spaces in; they are not part of the value. */
  { "a=\"x y\" b=1", "a", "x y" },
  { "a=\"x y\" b=1", "b", "1" },
  { "\"a=x y\" b", "a", "x y" },
  { "\"a=x y\" b", "b", "" },
  { "dyndbg=\"file drivers/vfio/* +p\"", "dyndbg", "file drivers/vfio/* +p" },
  /* Repeated: the kernel applies them in order, the last one counts. */
  { "vfio-pci.ids=10de:1b06 quiet vfio-pci.ids=10de:1b06,10de:10ef", "vfio-pci.ids",
    "10de:1b06,10de:10ef" },
  { "hugepages=4 hugepages=16", "hugepages", "16" },
  /* '-' and '_' are the same in parameter names. */
  { "vfio_pci.ids=1002:6798", "vfio-pci.ids", "1002:6798" },
  { "vfio-pci.ids=1002:6798", "vfio_pci.ids", "1002:6798" },
  /* After "--" the arguments are init's. */
  { "root=/dev/sda1 -- quiet", "quiet", NULL },
  { "root=/dev/sda1 -- quiet", "root", "/dev/sda1" },
  { "  \tro\n", "ro", "" },
  { "", "ro", NULL },
  { "empty= x", "empty", "" },
  { "k=v=w", "k", "v=w" },
  { "\"unterminated=a b", "unterminated", "a b" },
};

static void
test_cmdline_args (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (arg_cases); i++)
    {
      const ArgCase *c = &arg_cases[i];
      g_autoptr(PtBoot) boot = g_new0 (PtBoot, 1);
      g_autofree char *value = NULL;

      boot->cmdline = g_strdup (c->cmdline);
      value = pt_boot_dup_cmdline_arg (boot, c->name);
      g_test_message ("“%s” in “%s”", c->name, c->cmdline);
      g_assert_cmpstr (value, ==, c->value);
    }
}

/* --- bootloader and initramfs tool --- */

typedef struct {
  const char   *description;
  const char   *files;       /* space separated; a trailing '/' makes a folder */
  PtBootloader  bootloader;
  PtInitramfs   initramfs;
} DetectCase;

static const DetectCase detect_cases[] = {
  { "Debian", "/etc/default/grub /etc/initramfs-tools/initramfs.conf",
    PT_BOOTLOADER_GRUB, PT_INITRAMFS_INITRAMFS_TOOLS },
  { "Fedora Workstation", "/etc/default/grub /usr/sbin/grubby /etc/dracut.conf /usr/bin/dracut",
    PT_BOOTLOADER_GRUBBY, PT_INITRAMFS_DRACUT },
  { "Fedora Silverblue",
    "/run/ostree-booted /etc/default/grub /usr/sbin/grubby /etc/dracut.conf.d/",
    PT_BOOTLOADER_RPM_OSTREE, PT_INITRAMFS_DRACUT },
  { "Pop!_OS", "/etc/kernelstub/configuration /boot/efi/loader/loader.conf "
    "/etc/initramfs-tools/", PT_BOOTLOADER_KERNELSTUB, PT_INITRAMFS_INITRAMFS_TOOLS },
  { "Arch with systemd-boot", "/boot/loader/loader.conf /etc/mkinitcpio.conf",
    PT_BOOTLOADER_SYSTEMD_BOOT, PT_INITRAMFS_MKINITCPIO },
  { "Arch with booster", "/efi/loader/loader.conf /etc/booster.yaml /etc/mkinitcpio.conf",
    PT_BOOTLOADER_SYSTEMD_BOOT, PT_INITRAMFS_BOOSTER },
  { "Arch with grub", "/etc/default/grub /etc/mkinitcpio.conf",
    PT_BOOTLOADER_GRUB, PT_INITRAMFS_MKINITCPIO },
  { "openSUSE", "/etc/default/grub /usr/bin/dracut", PT_BOOTLOADER_GRUB, PT_INITRAMFS_DRACUT },
  { "grubby in /sbin", "/sbin/grubby", PT_BOOTLOADER_GRUBBY, PT_INITRAMFS_UNKNOWN },
  { "nothing known", "/etc/hostname /boot/vmlinuz", PT_BOOTLOADER_UNKNOWN, PT_INITRAMFS_UNKNOWN },
  /* A loader folder without loader.conf is not systemd-boot. */
  { "bare loader folder", "/boot/loader/entries/ /etc/default/grub",
    PT_BOOTLOADER_GRUB, PT_INITRAMFS_UNKNOWN },
};

static void
test_detect (gconstpointer data)
{
  const DetectCase *c = data;
  g_autofree char *root = g_dir_make_tmp ("pt-boot-XXXXXX", NULL);
  g_auto(GStrv) files = g_strsplit (c->files, " ", -1);
  g_autoptr(PtBoot) boot = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; files[i] != NULL; i++)
    {
      if (g_str_has_suffix (files[i], "/"))
        pt_test_make_dir (root, files[i]);
      else
        pt_test_write_file (root, files[i], "");
    }

  boot = read_tree (root, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pt_bootloader_to_string (boot->bootloader), ==,
                   pt_bootloader_to_string (c->bootloader));
  g_assert_cmpstr (pt_initramfs_to_string (boot->initramfs), ==,
                   pt_initramfs_to_string (c->initramfs));
  pt_test_remove_tree (root);
}

/* Merged /usr: /sbin is a link to usr/sbin, followed inside the tree. */
static void
test_merged_usr (void)
{
  g_autofree char *root = g_dir_make_tmp ("pt-boot-XXXXXX", NULL);
  g_autoptr(PtBoot) boot = NULL;
  g_autoptr(GError) error = NULL;

  pt_test_write_file (root, "usr/sbin/grubby", "");
  pt_test_make_link (root, "sbin", "usr/sbin");
  pt_test_write_file (root, "usr/lib/modules/6.5.6-300.fc39.x86_64/modules.dep", "");
  pt_test_make_link (root, "lib", "usr/lib");
  boot = read_tree (root, &error);
  g_assert_no_error (error);
  g_assert_cmpint (boot->bootloader, ==, PT_BOOTLOADER_GRUBBY);
  g_assert_cmpuint (g_strv_length (boot->kernels), ==, 1);
  g_assert_cmpstr (boot->kernels[0], ==, "6.5.6-300.fc39.x86_64");
  pt_test_remove_tree (root);
}

static void
test_strings (void)
{
  g_assert_cmpstr (pt_bootloader_to_string (PT_BOOTLOADER_UNKNOWN), ==, "unknown");
  g_assert_cmpstr (pt_bootloader_to_string (PT_BOOTLOADER_GRUB), ==, "grub");
  g_assert_cmpstr (pt_bootloader_to_string (PT_BOOTLOADER_GRUBBY), ==, "grubby");
  g_assert_cmpstr (pt_bootloader_to_string (PT_BOOTLOADER_SYSTEMD_BOOT), ==, "systemd-boot");
  g_assert_cmpstr (pt_bootloader_to_string (PT_BOOTLOADER_KERNELSTUB), ==, "kernelstub");
  g_assert_cmpstr (pt_bootloader_to_string (PT_BOOTLOADER_RPM_OSTREE), ==, "rpm-ostree");
  g_assert_cmpstr (pt_initramfs_to_string (PT_INITRAMFS_UNKNOWN), ==, "unknown");
  g_assert_cmpstr (pt_initramfs_to_string (PT_INITRAMFS_INITRAMFS_TOOLS), ==, "initramfs-tools");
  g_assert_cmpstr (pt_initramfs_to_string (PT_INITRAMFS_DRACUT), ==, "dracut");
  g_assert_cmpstr (pt_initramfs_to_string (PT_INITRAMFS_MKINITCPIO), ==, "mkinitcpio");
  g_assert_cmpstr (pt_initramfs_to_string (PT_INITRAMFS_BOOSTER), ==, "booster");
  /* The report's words (pt-report.h). */
  g_assert_cmpstr (pt_module_state_to_string (PT_MODULE_MISSING), ==, "missing");
  g_assert_cmpstr (pt_module_state_to_string (PT_MODULE_BUILTIN), ==, "builtin");
  g_assert_cmpstr (pt_module_state_to_string (PT_MODULE_LOADABLE), ==, "module");
}

/* --- kernels and vfio-pci --- */

typedef struct {
  const char    *description;
  const char    *builtin;     /* modules.builtin of the running kernel, NULL: none */
  const char    *dep;         /* modules.dep */
  PtModuleState  expected;
} VfioCase;

static const VfioCase vfio_cases[] = {
  { "Debian: a module",
    "kernel/drivers/vfio/vfio.ko\n",
    "kernel/drivers/vfio/pci/vfio-pci-core.ko: kernel/drivers/vfio/vfio.ko\n"
    "kernel/drivers/vfio/pci/vfio-pci.ko: kernel/drivers/vfio/pci/vfio-pci-core.ko "
    "kernel/drivers/vfio/vfio.ko\n",
    PT_MODULE_LOADABLE },
  { "Fedora: built in",
    "kernel/drivers/vfio/vfio.ko\nkernel/drivers/vfio/pci/vfio-pci-core.ko\n"
    "kernel/drivers/vfio/pci/vfio-pci.ko\n",
    "kernel/drivers/gpu/drm/nouveau/nouveau.ko.xz: kernel/drivers/gpu/drm/drm.ko.xz\n",
    PT_MODULE_BUILTIN },
  { "Arch: compressed module", NULL,
    "kernel/drivers/vfio/pci/vfio-pci.ko.zst: kernel/drivers/vfio/pci/vfio-pci-core.ko.zst\n",
    PT_MODULE_LOADABLE },
  { "only the core module", NULL,
    "kernel/drivers/vfio/pci/vfio-pci-core.ko: kernel/drivers/vfio/vfio.ko\n"
    "kernel/drivers/vfio/pci/vfio-pci-core.ko.xz:\n"
    "kernel/drivers/vfio/pci/not-vfio-pci.ko:\n",
    PT_MODULE_MISSING },
  { "no module lists", NULL, NULL, PT_MODULE_MISSING },
};

static void
test_vfio (gconstpointer data)
{
  const VfioCase *c = data;
  g_autofree char *root = g_dir_make_tmp ("pt-boot-XXXXXX", NULL);
  g_autoptr(PtBoot) boot = NULL;
  g_autoptr(GError) error = NULL;

  pt_test_write_file (root, "proc/sys/kernel/osrelease", "6.1.0-13-amd64\n");
  pt_test_make_dir (root, "lib/modules/6.1.0-13-amd64/kernel");
  /* Another kernel that has it does not count: the running one matters. */
  pt_test_write_file (root, "lib/modules/6.1.0-9-amd64/modules.builtin",
                      "kernel/drivers/vfio/pci/vfio-pci.ko\n");
  if (c->builtin != NULL)
    pt_test_write_file (root, "lib/modules/6.1.0-13-amd64/modules.builtin", c->builtin);
  if (c->dep != NULL)
    pt_test_write_file (root, "lib/modules/6.1.0-13-amd64/modules.dep", c->dep);

  boot = read_tree (root, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pt_module_state_to_string (boot->vfio_pci), ==,
                   pt_module_state_to_string (c->expected));
  pt_test_remove_tree (root);
}

static void
test_kernels (void)
{
  g_autofree char *root = g_dir_make_tmp ("pt-boot-XXXXXX", NULL);
  g_autoptr(PtBoot) boot = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *kernels = NULL;

  pt_test_make_dir (root, "lib/modules/6.1.0-13-amd64");
  pt_test_make_dir (root, "lib/modules/6.1.0-9-amd64");
  pt_test_make_dir (root, "lib/modules/5.10.0-26-amd64");
  pt_test_make_dir (root, "lib/modules/6.10.2-arch1-1");
  pt_test_write_file (root, "lib/modules/README", "not a kernel\n");
  pt_test_write_file (root, "proc/sys/kernel/osrelease", "6.1.0-13-amd64\n");
  pt_test_write_file (root, "proc/cmdline",
                      "BOOT_IMAGE=/vmlinuz-6.1.0-13-amd64 root=UUID=0a1b ro quiet\n");

  boot = read_tree (root, &error);
  g_assert_no_error (error);
  kernels = g_strjoinv (" ", boot->kernels);
  g_assert_cmpstr (kernels, ==, "5.10.0-26-amd64 6.1.0-9-amd64 6.1.0-13-amd64 6.10.2-arch1-1");
  g_assert_cmpstr (boot->running_kernel, ==, "6.1.0-13-amd64");
  g_assert_cmpstr (boot->cmdline, ==, "BOOT_IMAGE=/vmlinuz-6.1.0-13-amd64 root=UUID=0a1b ro quiet");
  pt_test_remove_tree (root);
}

/* A tree with nothing in it: every field has its "unknown" value, nothing fails. */
static void
test_empty_tree (void)
{
  g_autofree char *root = g_dir_make_tmp ("pt-boot-XXXXXX", NULL);
  g_autoptr(PtBoot) boot = NULL;
  g_autoptr(GError) error = NULL;

  boot = read_tree (root, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (boot->cmdline, ==, "");
  g_assert_cmpstr (boot->running_kernel, ==, "");
  g_assert_cmpuint (g_strv_length (boot->kernels), ==, 0);
  g_assert_cmpint (boot->vfio_pci, ==, PT_MODULE_MISSING);
  g_assert_cmpint (boot->bootloader, ==, PT_BOOTLOADER_UNKNOWN);
  g_assert_cmpint (boot->initramfs, ==, PT_INITRAMFS_UNKNOWN);
  g_assert_cmpstr (boot->os_id, ==, "");
  g_assert_cmpstr (boot->os_name, ==, "");
  g_assert_null (pt_boot_dup_cmdline_arg (boot, "quiet"));
  pt_test_remove_tree (root);
}

static void
test_broken (void)
{
  g_autofree char *root = g_dir_make_tmp ("pt-boot-XXXXXX", NULL);
  g_autoptr(PtBoot) boot = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) huge = g_string_new ("");

  /* A command line that is a folder is a broken tree, not an empty command line. */
  pt_test_make_dir (root, "proc/cmdline");
  boot = read_tree (root, &error);
  g_assert_null (boot);
  g_assert_error (error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_INVALID_PATH);
  pt_test_remove_tree (root);
  g_clear_error (&error);

  /* Nor is one that is larger than any real one; reading it must not exhaust memory. */
  g_free (root);
  root = g_dir_make_tmp ("pt-boot-XXXXXX", NULL);
  for (guint i = 0; i < (PT_SYSROOT_MAX_FILE_SIZE / 64) + 1; i++)
    g_string_append (huge, "quiet quiet quiet quiet quiet quiet quiet quiet quiet quiet quie\n");
  pt_test_write_file (root, "proc/cmdline", huge->str);
  boot = read_tree (root, &error);
  g_assert_null (boot);
  g_assert_error (error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_TOO_LARGE);
  pt_test_remove_tree (root);
  g_clear_error (&error);

  /* A running kernel name that tries to leave /lib/modules is not looked up. */
  g_free (root);
  root = g_dir_make_tmp ("pt-boot-XXXXXX", NULL);
  pt_test_write_file (root, "proc/sys/kernel/osrelease", "../../../etc\n");
  pt_test_write_file (root, "etc/modules.builtin", "kernel/drivers/vfio/pci/vfio-pci.ko\n");
  pt_test_make_dir (root, "lib/modules/6.1.0-13-amd64");
  boot = read_tree (root, &error);
  g_assert_no_error (error);
  g_assert_cmpint (boot->vfio_pci, ==, PT_MODULE_MISSING);
  pt_test_remove_tree (root);
}

typedef struct {
  const char *description;
  const char *path;
  const char *contents;
  const char *id;
  const char *name;
} OsReleaseCase;

static const OsReleaseCase os_release_cases[] = {
  { "Debian", "etc/os-release",
    "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\n"
    "VERSION_ID=\"12\"\nID=debian\n", "debian", "Debian GNU/Linux 12 (bookworm)" },
  { "only in /usr/lib", "usr/lib/os-release",
    "NAME=\"Fedora Linux\"\nID=fedora\nPRETTY_NAME=\"Fedora Linux 39 (Workstation Edition)\"\n",
    "fedora", "Fedora Linux 39 (Workstation Edition)" },
  { "single quotes and comments", "etc/os-release",
    "# written by hand\nID='arch'\nNAME='Arch Linux'\n", "arch", "Arch Linux" },
  { "escapes", "etc/os-release", "ID=pop\nPRETTY_NAME=\"Pop!_OS 22.04 \\\"LTS\\\"\"\n",
    "pop", "Pop!_OS 22.04 \"LTS\"" },
  { "unbalanced quote", "etc/os-release", "ID=\"opensuse-tumbleweed\nNAME=openSUSE\n",
    "\"opensuse-tumbleweed", "openSUSE" },
};

static void
test_os_release (gconstpointer data)
{
  const OsReleaseCase *c = data;
  g_autofree char *root = g_dir_make_tmp ("pt-boot-XXXXXX", NULL);
  g_autoptr(PtBoot) boot = NULL;
  g_autoptr(GError) error = NULL;

  pt_test_write_file (root, c->path, c->contents);
  boot = read_tree (root, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (boot->os_id, ==, c->id);
  g_assert_cmpstr (boot->os_name, ==, c->name);
  pt_test_remove_tree (root);
}

/* --- fixtures --- */

static void
test_fixture_expected (gconstpointer data)
{
  const char *name = data;
  g_autofree char *root = pt_test_fixture_path (name);
  g_autofree char *expected_path = g_strconcat (root, ".expected.json", NULL);
  g_autoptr(PtBoot) boot = NULL;
  g_autoptr(JsonNode) expected = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *want;
  JsonArray *kernels;

  boot = read_tree (root, &error);
  g_assert_no_error (error);

  if (!g_file_test (expected_path, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("the fixture has no expected report yet");
      return;
    }
  expected = pt_test_load_json (expected_path);
  want = json_object_get_object_member (json_node_get_object (expected), "boot");
  g_assert_cmpstr (json_object_get_string_member (want, "bootloader"), ==,
                   pt_bootloader_to_string (boot->bootloader));
  g_assert_cmpstr (json_object_get_string_member (want, "initramfs"), ==,
                   pt_initramfs_to_string (boot->initramfs));
  g_assert_cmpstr (json_object_get_string_member (want, "cmdline"), ==, boot->cmdline);
  g_assert_cmpstr (json_object_get_string_member (want, "running_kernel"), ==,
                   boot->running_kernel);
  if (json_object_has_member (want, "vfio_pci"))
    g_assert_cmpstr (json_object_get_string_member (want, "vfio_pci"), ==,
                     pt_module_state_to_string (boot->vfio_pci));
  kernels = json_object_get_array_member (want, "kernels");
  g_assert_cmpuint (json_array_get_length (kernels), ==, g_strv_length (boot->kernels));
  for (guint i = 0; boot->kernels[i] != NULL; i++)
    g_assert_cmpstr (json_array_get_string_element (kernels, i), ==, boot->kernels[i]);
}

/* How each kind of host boots, which decides the backend that gets the kernel arguments. */
typedef struct {
  const char    *fixture;
  PtBootloader   bootloader;
  PtInitramfs    initramfs;
  PtModuleState  vfio_pci;
  const char    *running_kernel;
  const char    *arg;        /* a command-line argument ... */
  const char    *arg_value;  /* ... and its value, NULL: absent */
} KnownBoot;

static const KnownBoot known_boots[] = {
  { "ryzen-2600x-desktop", PT_BOOTLOADER_GRUB, PT_INITRAMFS_INITRAMFS_TOOLS, PT_MODULE_LOADABLE,
    "6.1.0-13-amd64", "iommu", NULL },
  { "intel-hybrid-laptop-iommu-off", PT_BOOTLOADER_GRUBBY, PT_INITRAMFS_DRACUT,
    PT_MODULE_BUILTIN, "6.6.2-201.fc39.x86_64", "rootflags", "subvol=root" },
  { "dual-socket-server", PT_BOOTLOADER_GRUB, PT_INITRAMFS_INITRAMFS_TOOLS, PT_MODULE_BUILTIN,
    "5.15.0-91-generic", "iommu", "pt" },
  { "identical-gpus", PT_BOOTLOADER_KERNELSTUB, PT_INITRAMFS_INITRAMFS_TOOLS, PT_MODULE_BUILTIN,
    "6.6.6-76060606-generic", "splash", "" },
  { "no-smt-desktop", PT_BOOTLOADER_GRUB, PT_INITRAMFS_DRACUT, PT_MODULE_LOADABLE,
    "4.19.16-lp151.2-default", "intel_iommu", "on" },
  { "shared-group-board", PT_BOOTLOADER_SYSTEMD_BOOT, PT_INITRAMFS_MKINITCPIO, PT_MODULE_LOADABLE,
    "6.6.3-arch1-1", "initrd", "\\initramfs-linux.img" },
};

static void
test_fixture_known (gconstpointer data)
{
  const KnownBoot *k = data;
  g_autofree char *root = pt_test_fixture_path (k->fixture);
  g_autoptr(PtBoot) boot = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;
  gboolean running_is_installed = FALSE;

  if (!g_file_test (root, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("the fixture is not in tests/fixtures");
      return;
    }
  boot = read_tree (root, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pt_bootloader_to_string (boot->bootloader), ==,
                   pt_bootloader_to_string (k->bootloader));
  g_assert_cmpstr (pt_initramfs_to_string (boot->initramfs), ==,
                   pt_initramfs_to_string (k->initramfs));
  g_assert_cmpstr (pt_module_state_to_string (boot->vfio_pci), ==,
                   pt_module_state_to_string (k->vfio_pci));
  g_assert_cmpstr (boot->running_kernel, ==, k->running_kernel);
  for (guint i = 0; boot->kernels[i] != NULL; i++)
    running_is_installed |= g_str_equal (boot->kernels[i], boot->running_kernel);
  g_assert_true (running_is_installed);
  g_assert_cmpstr (boot->os_id, !=, "");
  value = pt_boot_dup_cmdline_arg (boot, k->arg);
  g_assert_cmpstr (value, ==, k->arg_value);
}

/* --- the running host --- */

static void
test_host (void)
{
  g_autoptr(PtSysroot) sysroot = pt_sysroot_new ("/", NULL);
  g_autoptr(PtBoot) boot = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cmdline = NULL;
  struct utsname uts;

  boot = pt_boot_read (sysroot, &error);
  g_assert_no_error (error);

  g_assert_cmpint (uname (&uts), ==, 0);
  g_assert_cmpstr (boot->running_kernel, ==, uts.release);
  g_assert_true (g_file_get_contents ("/proc/cmdline", &cmdline, NULL, NULL));
  g_assert_cmpstr (boot->cmdline, ==, g_strstrip (cmdline));
  if (g_file_test ("/etc/os-release", G_FILE_TEST_EXISTS)
      || g_file_test ("/usr/lib/os-release", G_FILE_TEST_EXISTS))
    g_assert_cmpstr (boot->os_id, !=, "");
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
      g_autofree char *path = g_strdup_printf ("/boot/fixture/%s", fixtures[i]);
      g_test_add_data_func (path, fixtures[i], test_fixture_expected);
    }

  for (guint i = 0; i < G_N_ELEMENTS (known_boots); i++)
    {
      g_autofree char *path = g_strdup_printf ("/boot/known/%s", known_boots[i].fixture);
      g_test_add_data_func (path, &known_boots[i], test_fixture_known);
    }

  g_test_add_func ("/boot/cmdline-args", test_cmdline_args);
  for (guint i = 0; i < G_N_ELEMENTS (detect_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/boot/detect/%u", i);
      g_test_add_data_func (path, &detect_cases[i], test_detect);
    }
  g_test_add_func ("/boot/merged-usr", test_merged_usr);
  g_test_add_func ("/boot/strings", test_strings);
  for (guint i = 0; i < G_N_ELEMENTS (vfio_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/boot/vfio-pci/%u", i);
      g_test_add_data_func (path, &vfio_cases[i], test_vfio);
    }
  g_test_add_func ("/boot/kernels", test_kernels);
  g_test_add_func ("/boot/empty-tree", test_empty_tree);
  g_test_add_func ("/boot/broken", test_broken);
  for (guint i = 0; i < G_N_ELEMENTS (os_release_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/boot/os-release/%u", i);
      g_test_add_data_func (path, &os_release_cases[i], test_os_release);
    }
  g_test_add_func ("/boot/host", test_host);

  return g_test_run ();
}
