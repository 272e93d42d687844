/* pt-boot.c: how a host boots: command line, bootloader and initramfs tools, kernels, vfio-pci. */
#include "config.h"

#include "pt-boot.h"

#include <string.h>

#include "pt-kmod.h"

void
pt_boot_free (PtBoot *self)
{
  if (self == NULL)
    return;
  g_free (self->cmdline);
  g_strfreev (self->kernels);
  g_free (self->running_kernel);
  g_free (self->os_id);
  g_free (self->os_name);
  g_free (self);
}

const char *
pt_bootloader_to_string (PtBootloader bootloader)
{
  switch (bootloader)
    {
    case PT_BOOTLOADER_GRUB:
      return "grub";
    case PT_BOOTLOADER_GRUBBY:
      return "grubby";
    case PT_BOOTLOADER_SYSTEMD_BOOT:
      return "systemd-boot";
    case PT_BOOTLOADER_KERNELSTUB:
      return "kernelstub";
    case PT_BOOTLOADER_RPM_OSTREE:
      return "rpm-ostree";
    case PT_BOOTLOADER_UNKNOWN:
    default:
      return "unknown";
    }
}

const char *
pt_initramfs_to_string (PtInitramfs initramfs)
{
  switch (initramfs)
    {
    case PT_INITRAMFS_INITRAMFS_TOOLS:
      return "initramfs-tools";
    case PT_INITRAMFS_DRACUT:
      return "dracut";
    case PT_INITRAMFS_MKINITCPIO:
      return "mkinitcpio";
    case PT_INITRAMFS_BOOSTER:
      return "booster";
    case PT_INITRAMFS_UNKNOWN:
    default:
      return "unknown";
    }
}

/* "module" rather than "loadable": the word of the report (pt-report.h). */
const char *
pt_module_state_to_string (PtModuleState state)
{
  switch (state)
    {
    case PT_MODULE_BUILTIN:
      return "builtin";
    case PT_MODULE_LOADABLE:
      return "module";
    case PT_MODULE_MISSING:
    default:
      return "missing";
    }
}

static gboolean
exists_any (PtSysroot          *sysroot,
            const char * const *paths)
{
  for (guint i = 0; paths[i] != NULL; i++)
    if (pt_sysroot_exists (sysroot, paths[i]))
      return TRUE;
  return FALSE;
}

/*
 * The first tool that owns the kernel command line wins: an rpm-ostree host also has grub
 * files, Pop!_OS has systemd-boot managed by kernelstub, Fedora has /etc/default/grub
 * managed by grubby.
 */
static PtBootloader
detect_bootloader (PtSysroot *sysroot)
{
  static const char * const rpm_ostree[] = { "/run/ostree-booted", NULL };
  static const char * const kernelstub[] = { "/etc/kernelstub/configuration", NULL };
  static const char * const grubby[] = { "/usr/sbin/grubby", "/sbin/grubby", NULL };
  static const char * const systemd_boot[] = {
    "/boot/loader/loader.conf", "/efi/loader/loader.conf", "/boot/efi/loader/loader.conf", NULL
  };
  static const char * const grub[] = { "/etc/default/grub", NULL };

  if (exists_any (sysroot, rpm_ostree))
    return PT_BOOTLOADER_RPM_OSTREE;
  if (exists_any (sysroot, kernelstub))
    return PT_BOOTLOADER_KERNELSTUB;
  if (exists_any (sysroot, grubby))
    return PT_BOOTLOADER_GRUBBY;
  if (exists_any (sysroot, systemd_boot))
    return PT_BOOTLOADER_SYSTEMD_BOOT;
  if (exists_any (sysroot, grub))
    return PT_BOOTLOADER_GRUB;
  return PT_BOOTLOADER_UNKNOWN;
}

static PtInitramfs
detect_initramfs (PtSysroot *sysroot)
{
  static const char * const booster[] = { "/etc/booster.yaml", NULL };
  static const char * const mkinitcpio[] = { "/etc/mkinitcpio.conf", NULL };
  static const char * const initramfs_tools[] = {
    "/etc/initramfs-tools/initramfs.conf", "/etc/initramfs-tools", NULL
  };
  static const char * const dracut[] = {
    "/etc/dracut.conf", "/etc/dracut.conf.d", "/usr/bin/dracut", NULL
  };

  if (exists_any (sysroot, booster))
    return PT_INITRAMFS_BOOSTER;
  if (exists_any (sysroot, mkinitcpio))
    return PT_INITRAMFS_MKINITCPIO;
  if (exists_any (sysroot, initramfs_tools))
    return PT_INITRAMFS_INITRAMFS_TOOLS;
  if (exists_any (sysroot, dracut))
    return PT_INITRAMFS_DRACUT;
  return PT_INITRAMFS_UNKNOWN;
}

static char **
read_kernels (PtSysroot  *sysroot,
              const char *dir)
{
  g_autoptr(GPtrArray) kernels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) entries = dir ? pt_sysroot_list_dir (sysroot, dir, NULL) : NULL;

  /* list_dir sorts naturally: 6.1.0-9 before 6.1.0-13. */
  for (guint i = 0; entries != NULL && i < entries->len; i++)
    {
      const char *name = g_ptr_array_index (entries, i);
      g_autofree char *path = g_strconcat (dir, "/", name, NULL);

      if (pt_sysroot_is_dir (sysroot, path))
        g_ptr_array_add (kernels, g_strdup (name));
    }
  g_ptr_array_add (kernels, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&kernels), FALSE);
}

/* "kernel/drivers/vfio/pci/vfio-pci.ko", also compressed (.ko.xz, .ko.zst, .ko.gz). */
static gboolean
is_vfio_pci_module (const char *path)
{
  static const char * const suffixes[] = { "", ".xz", ".zst", ".gz" };

  if (!g_str_has_prefix (path, "vfio-pci.ko") && strstr (path, "/vfio-pci.ko") == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *name = g_strconcat ("vfio-pci.ko", suffixes[i], NULL);
      g_autofree char *with_dir = g_strconcat ("/", name, NULL);

      if (g_str_equal (path, name) || g_str_has_suffix (path, with_dir))
        return TRUE;
    }
  return FALSE;
}

/* Whether a module list (modules.builtin: one path a line; modules.dep: "path: deps") has
 * vfio-pci as a module of its own. */
static gboolean
module_list_has_vfio_pci (PtSysroot  *sysroot,
                          const char *path)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (!pt_sysroot_read_file (sysroot, path, &contents, NULL, NULL))
    return FALSE;
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *colon = strchr (lines[i], ':');

      if (colon != NULL)
        *colon = '\0';
      if (is_vfio_pci_module (g_strstrip (lines[i])))
        return TRUE;
    }
  return FALSE;
}

static PtModuleState
detect_vfio_pci (PtSysroot  *sysroot,
                 const char *dir,
                 const char *kernel)
{
  g_autofree char *builtin = NULL;
  g_autofree char *dep = NULL;

  if (dir == NULL || *kernel == '\0' || strchr (kernel, '/') != NULL)
    return PT_MODULE_MISSING;

  builtin = g_strconcat (dir, "/", kernel, "/modules.builtin", NULL);
  dep = g_strconcat (dir, "/", kernel, "/modules.dep", NULL);
  if (module_list_has_vfio_pci (sysroot, builtin))
    return PT_MODULE_BUILTIN;
  if (module_list_has_vfio_pci (sysroot, dep))
    return PT_MODULE_LOADABLE;
  return PT_MODULE_MISSING;
}

/* os-release is a shell-compatible KEY=value file. */
static void
read_os_release (PtSysroot  *sysroot,
                 char      **ret_id,
                 char      **ret_name)
{
  static const char * const paths[] = { "/etc/os-release", "/usr/lib/os-release" };
  g_autofree char *contents = NULL;
  g_autofree char *id = NULL;
  g_autofree char *pretty_name = NULL;
  g_autofree char *name = NULL;
  g_auto(GStrv) lines = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (paths) && contents == NULL; i++)
    if (!pt_sysroot_read_file (sysroot, paths[i], &contents, NULL, NULL))
      g_clear_pointer (&contents, g_free);

  lines = g_strsplit (contents ? contents : "", "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *equals = strchr (lines[i], '=');
      char *value;
      char **target;

      if (equals == NULL || lines[i][0] == '#')
        continue;
      *equals = '\0';
      if (g_str_equal (lines[i], "ID"))
        target = &id;
      else if (g_str_equal (lines[i], "PRETTY_NAME"))
        target = &pretty_name;
      else if (g_str_equal (lines[i], "NAME"))
        target = &name;
      else
        continue;

      value = g_shell_unquote (g_strstrip (equals + 1), NULL);
      g_free (*target);
      *target = value ? value : g_strdup (equals + 1);
    }

  *ret_id = id ? g_steal_pointer (&id) : g_strdup ("");
  if (pretty_name != NULL)
    *ret_name = g_steal_pointer (&pretty_name);
  else
    *ret_name = name ? g_steal_pointer (&name) : g_strdup ("");
}

PtBoot *
pt_boot_read (PtSysroot  *sysroot,
              GError    **error)
{
  g_autoptr(PtBoot) self = g_new0 (PtBoot, 1);
  g_autoptr(GError) local_error = NULL;
  const char *dir;

  g_return_val_if_fail (sysroot != NULL, NULL);

  self->cmdline = pt_sysroot_read_line (sysroot, "/proc/cmdline", &local_error);
  if (self->cmdline == NULL)
    {
      /* A tree without /proc/cmdline simply has no arguments to show; anything else (a
       * cmdline that is a folder, or too large) means the tree is broken. */
      if (!g_error_matches (local_error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      self->cmdline = g_strdup ("");
    }

  self->running_kernel = pt_sysroot_read_line (sysroot, "/proc/sys/kernel/osrelease", NULL);
  if (self->running_kernel == NULL)
    self->running_kernel = g_strdup ("");

  self->bootloader = detect_bootloader (sysroot);
  self->initramfs = detect_initramfs (sysroot);

  dir = pt_kmod_modules_dir (sysroot);
  self->kernels = read_kernels (sysroot, dir);
  self->vfio_pci = detect_vfio_pci (sysroot, dir, self->running_kernel);

  read_os_release (sysroot, &self->os_id, &self->os_name);

  return g_steal_pointer (&self);
}

/* Kernel parameter names treat '-' and '_' alike ("vfio-pci.ids" is "vfio_pci.ids"). */
static gboolean
param_equal (const char *a,
             const char *b)
{
  for (; *a && *b; a++, b++)
    {
      char x = *a == '-' ? '_' : *a;
      char y = *b == '-' ? '_' : *b;

      if (x != y)
        return FALSE;
    }
  return *a == *b;
}

/* Drops one pair of surrounding quotes, or a lone leading one, as the kernel's parser does. */
static void
strip_quotes (char *text)
{
  gsize len = strlen (text);

  if (len == 0 || text[0] != '"')
    return;
  memmove (text, text + 1, len);
  len--;
  if (len > 0 && text[len - 1] == '"')
    text[len - 1] = '\0';
}

char *
pt_boot_dup_cmdline_arg (const PtBoot *self,
                         const char   *name)
{
  const char *p;
  char *found = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  p = self->cmdline ? self->cmdline : "";
  for (;;)
    {
      const char *start;
      g_autofree char *token = NULL;
      char *equals;
      gboolean in_quote = FALSE;

      while (g_ascii_isspace (*p))
        p++;
      if (*p == '\0')
        break;

      /* Spaces inside double quotes belong to the argument: a="x y" and "a=x y". */
      start = p;
      for (; *p && (in_quote || !g_ascii_isspace (*p)); p++)
        if (*p == '"')
          in_quote = !in_quote;
      token = g_strndup (start, p - start);

      /* Everything after a bare "--" is for init, not the kernel. */
      if (g_str_equal (token, "--"))
        break;

      strip_quotes (token);
      equals = strchr (token, '=');
      if (equals != NULL)
        {
          *equals = '\0';
          strip_quotes (equals + 1);
        }
      if (!param_equal (token, name))
        continue;

      /* Repeated arguments: the kernel applies them in order, so the last one wins. */
      g_free (found);
      found = g_strdup (equals ? equals + 1 : "");
    }
  return found;
}
