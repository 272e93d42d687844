/* pt-host-check.c: the readiness checklist, each check with what was found and how to fix it. */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <unistd.h>

#include "pt-host-check.h"
#include "pt-kmod.h"
#include "pt-libvirt.h"

/* Below this much available memory a guest with a GPU is cramped, or does not fit at all. */
#define MEMORY_WARNING_KIB (G_GUINT64_CONSTANT (8) * 1024 * 1024)
#define MEMORY_FAILED_KIB  (G_GUINT64_CONSTANT (4) * 1024 * 1024)

typedef enum {
  CPU_VENDOR_OTHER,
  CPU_VENDOR_AMD,
  CPU_VENDOR_INTEL,
} CpuVendor;

/* Everything the checks share; filled once per run. */
typedef struct {
  PtSysroot           *sysroot;
  const PtCpuTopology *cpu;
  const PtIommu       *iommu;
  const PtBoot        *boot;
  const PtMemory      *memory;
  CpuVendor            vendor;
  const char          *user_name;
  const char          *libvirt_uri;
  GCancellable        *cancellable;
} CheckContext;

static PtHostCheck *
host_check_new (const char   *id,
                const char   *title,
                PtCheckState  state,
                char         *detail,
                char         *fix)
{
  PtHostCheck *check = g_new0 (PtHostCheck, 1);

  check->id = g_strdup (id);
  check->title = g_strdup (title);
  check->state = state;
  check->detail = detail;
  check->fix = fix;
  /* The header promises no fix for a check that passed. */
  if (state == PT_CHECK_OK)
    g_clear_pointer (&check->fix, g_free);
  return check;
}

void
pt_host_check_free (PtHostCheck *self)
{
  if (self == NULL)
    return;

  g_free (self->id);
  g_free (self->title);
  g_free (self->detail);
  g_free (self->fix);
  g_free (self);
}

const char *
pt_check_state_to_string (PtCheckState state)
{
  switch (state)
    {
    case PT_CHECK_OK:
      return "ok";
    case PT_CHECK_WARNING:
      return "warning";
    case PT_CHECK_FAILED:
      return "failed";
    case PT_CHECK_UNKNOWN:
    default:
      return "unknown";
    }
}

static gboolean
cpu_has_virtualization (const CheckContext *ctx)
{
  return ctx->cpu != NULL
         && (pt_cpu_topology_has_flag (ctx->cpu, "svm")
             || pt_cpu_topology_has_flag (ctx->cpu, "vmx"));
}

/* The kernel command line, split the way the kernel splits it (quotes group spaces). */
static GPtrArray *
split_cmdline (const char *cmdline)
{
  GPtrArray *args = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) current = g_string_new (NULL);
  gboolean in_quotes = FALSE;

  for (const char *p = cmdline != NULL ? cmdline : ""; *p != '\0'; p++)
    {
      if (*p == '"')
        in_quotes = !in_quotes;
      else if (g_ascii_isspace (*p) && !in_quotes)
        {
          if (current->len > 0)
            g_ptr_array_add (args, g_strdup (current->str));
          g_string_truncate (current, 0);
        }
      else
        g_string_append_c (current, *p);
    }
  if (current->len > 0)
    g_ptr_array_add (args, g_strdup (current->str));

  return args;
}

/* Whether a comma-separated option value ("on,igfx_off") holds @word. */
static gboolean
value_has_word (const char *value,
                const char *word)
{
  g_auto(GStrv) words = NULL;

  if (value == NULL)
    return FALSE;

  words = g_strsplit (value, ",", -1);
  return g_strv_contains ((const char * const *) words, word);
}

/* The loaded module that provides KVM: kvm_amd or kvm_intel, which need the processor's
 * virtualization, or another kvm_* (kvm_pvm runs KVM without it, in cloud virtual machines);
 * NULL when none is. */
static char *
kvm_provider (const CheckContext *ctx)
{
  g_autoptr(GPtrArray) modules = NULL;

  if (pt_sysroot_is_dir (ctx->sysroot, "/sys/module/kvm_amd"))
    return g_strdup ("kvm_amd");
  if (pt_sysroot_is_dir (ctx->sysroot, "/sys/module/kvm_intel"))
    return g_strdup ("kvm_intel");

  modules = pt_sysroot_list_dir (ctx->sysroot, "/sys/module", NULL);
  for (guint i = 0; modules != NULL && i < modules->len; i++)
    {
      const char *name = g_ptr_array_index (modules, i);

      if (g_str_has_prefix (name, "kvm_") && pt_kmod_is_valid_name (name))
        return g_strdup (name);
    }
  return NULL;
}

static PtHostCheck *
check_cpu_virtualization (const CheckContext *ctx)
{
  const char *title = _("CPU virtualization");
  g_autofree char *provider = NULL;
  const char *fix;

  if (ctx->cpu == NULL || ctx->cpu->flags == NULL || ctx->cpu->flags[0] == NULL)
    return host_check_new ("cpu-virtualization", title, PT_CHECK_UNKNOWN,
                           g_strdup (_("The processor’s features could not be read.")), NULL);

  if (pt_cpu_topology_has_flag (ctx->cpu, "svm"))
    return host_check_new ("cpu-virtualization", title, PT_CHECK_OK,
                           g_strdup (_("AMD-V (svm) is on.")), NULL);
  if (pt_cpu_topology_has_flag (ctx->cpu, "vmx"))
    return host_check_new ("cpu-virtualization", title, PT_CHECK_OK,
                           g_strdup (_("Intel VT-x (vmx) is on.")), NULL);

  /* KVM can be there without the flag: the processor hides it (only kvm_amd and kvm_intel
   * need it), or a software KVM such as kvm_pvm runs guests without it, too slowly and without
   * the IOMMU a graphics card needs. */
  provider = kvm_provider (ctx);
  if (provider != NULL && pt_sysroot_exists (ctx->sysroot, "/dev/kvm"))
    {
      if (g_str_equal (provider, "kvm_amd") || g_str_equal (provider, "kvm_intel"))
        return host_check_new ("cpu-virtualization", title, PT_CHECK_OK,
                               g_strdup_printf (_("The processor does not list AMD-V or VT-x, "
                                                  "but %s, which needs them, runs KVM."),
                                                provider),
                               NULL);
      return host_check_new ("cpu-virtualization", title, PT_CHECK_WARNING,
                             g_strdup_printf (_("The processor offers no AMD-V or VT-x; KVM "
                                                "runs through %s without them. Virtual machines "
                                                "start, but slowly, and a graphics card may not "
                                                "pass through."), provider),
                             g_strdup (pt_cpu_topology_has_flag (ctx->cpu, "hypervisor")
                                       ? _("Turn on nested virtualization for this virtual "
                                           "machine on the computer that runs it.")
                                       : _("Turn on AMD-V or VT-x in the firmware setup "
                                           "(UEFI/BIOS), then restart.")));
    }

  /* A guest without nested virtualization looks exactly like a host with it switched off. */
  if (pt_cpu_topology_has_flag (ctx->cpu, "hypervisor"))
    return host_check_new ("cpu-virtualization", title, PT_CHECK_FAILED,
                           g_strdup (_("This computer is itself a virtual machine, and its "
                                       "processor offers no virtualization.")),
                           g_strdup (_("Turn on nested virtualization for this virtual machine "
                                       "on the computer that runs it.")));

  switch (ctx->vendor)
    {
    case CPU_VENDOR_AMD:
      fix = _("Turn on SVM (AMD-V) in the firmware setup (UEFI/BIOS), usually under CPU "
              "settings, then restart.");
      break;
    case CPU_VENDOR_INTEL:
      fix = _("Turn on Intel VT-x (Virtualization Technology) in the firmware setup (UEFI/BIOS), "
              "then restart.");
      break;
    case CPU_VENDOR_OTHER:
    default:
      fix = _("Turn on hardware virtualization (AMD-V or Intel VT-x) in the firmware setup "
              "(UEFI/BIOS), then restart.");
      break;
    }

  return host_check_new ("cpu-virtualization", title, PT_CHECK_FAILED,
                         g_strdup (_("The processor does not offer hardware virtualization: it "
                                     "is switched off in the firmware or not supported.")),
                         g_strdup (fix));
}

static PtHostCheck *
check_kvm (const CheckContext *ctx)
{
  const char *title = _("Virtualization device (/dev/kvm)");
  const char *module;
  g_autofree char *module_dir = NULL;
  int fd;
  int saved_errno;

  module = ctx->vendor == CPU_VENDOR_INTEL ? "kvm_intel" : "kvm_amd";

  if (!pt_sysroot_exists (ctx->sysroot, "/dev/kvm"))
    {
      if (!cpu_has_virtualization (ctx))
        return host_check_new ("kvm", title, PT_CHECK_FAILED,
                               g_strdup (_("/dev/kvm is missing because the processor’s "
                                           "virtualization is off.")),
                               g_strdup (_("Turn on CPU virtualization first; /dev/kvm appears "
                                           "after the next start.")));

      module_dir = g_strdup_printf ("/sys/module/%s", module);
      if (ctx->vendor != CPU_VENDOR_OTHER && !pt_sysroot_is_dir (ctx->sysroot, module_dir))
        return host_check_new ("kvm", title, PT_CHECK_FAILED,
                               g_strdup_printf (_("/dev/kvm is missing: the %s module is not "
                                                  "loaded."), module),
                               g_strdup_printf (_("Load it with “sudo modprobe %s”; if that "
                                                  "fails, virtualization is off in the firmware "
                                                  "setup."), module));

      return host_check_new ("kvm", title, PT_CHECK_FAILED,
                             g_strdup (_("/dev/kvm is missing although KVM is loaded.")),
                             g_strdup (_("Restart the computer; if /dev/kvm is still missing, "
                                         "reinstall the kernel package.")));
    }

  /* In a fixture tree the device is only a name; on the real host it must also open. */
  if (!pt_sysroot_is_host (ctx->sysroot))
    return host_check_new ("kvm", title, PT_CHECK_OK,
                           g_strdup (_("/dev/kvm is present.")), NULL);

  fd = open ("/dev/kvm", O_RDWR | O_CLOEXEC);
  saved_errno = errno;
  if (fd >= 0)
    {
      close (fd);
      return host_check_new ("kvm", title, PT_CHECK_OK,
                             g_strdup (_("/dev/kvm is present and you may use it.")), NULL);
    }

  if (saved_errno == EACCES || saved_errno == EPERM)
    return host_check_new ("kvm", title, PT_CHECK_FAILED,
                           g_strdup_printf (_("/dev/kvm is present, but %s may not open it."),
                                            g_get_user_name ()),
                           g_strdup_printf (_("Add yourself to the kvm group with “sudo usermod "
                                              "-aG kvm %s”, then log out and in again."),
                                            g_get_user_name ()));

  return host_check_new ("kvm", title, PT_CHECK_FAILED,
                         g_strdup_printf (_("/dev/kvm is present but does not open: %s."),
                                          g_strerror (saved_errno)),
                         g_strdup (_("Restart the computer; if the problem stays, the kernel "
                                     "log (“sudo dmesg | grep -i kvm”) says why.")));
}

static PtHostCheck *
check_iommu (const CheckContext *ctx)
{
  const char *title = _("IOMMU (device isolation)");
  g_autofree char *intel_arg = NULL;
  g_autofree char *amd_arg = NULL;
  g_autofree char *iommu_arg = NULL;
  g_autofree char *off_arg = NULL;
  g_autofree char *detail = NULL;
  const char *fix;

  if (ctx->iommu == NULL)
    return host_check_new ("iommu", title, PT_CHECK_UNKNOWN,
                           g_strdup (_("The IOMMU groups could not be read.")), NULL);

  if (ctx->iommu->enabled)
    return host_check_new ("iommu", title, PT_CHECK_OK,
                           g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                         "On: devices are split into %u group.",
                                                         "On: devices are split into %u groups.",
                                                         ctx->iommu->groups->len),
                                            ctx->iommu->groups->len),
                           NULL);

  if (ctx->boot != NULL)
    {
      intel_arg = pt_boot_dup_cmdline_arg (ctx->boot, "intel_iommu");
      amd_arg = pt_boot_dup_cmdline_arg (ctx->boot, "amd_iommu");
      iommu_arg = pt_boot_dup_cmdline_arg (ctx->boot, "iommu");
    }
  if (value_has_word (intel_arg, "off"))
    off_arg = g_strdup_printf ("intel_iommu=%s", intel_arg);
  else if (value_has_word (amd_arg, "off"))
    off_arg = g_strdup_printf ("amd_iommu=%s", amd_arg);
  else if (g_strcmp0 (iommu_arg, "off") == 0)
    off_arg = g_strdup ("iommu=off");

  if (off_arg != NULL)
    detail = g_strdup_printf (_("Off: the kernel command line turns it off with %s."), off_arg);
  else if (ctx->iommu->units != NULL && ctx->iommu->units[0] != NULL)
    detail = g_strdup (_("Off: the kernel sees an IOMMU but has not put devices into groups."));
  else
    detail = g_strdup (_("Off: the kernel found no IOMMU, so devices cannot be given to a VM "
                         "safely."));

  switch (ctx->vendor)
    {
    case CPU_VENDOR_AMD:
      fix = off_arg != NULL
            ? _("Remove the option that turns it off from the kernel command line, and make "
                "sure “IOMMU” (AMD-Vi) is enabled in the firmware setup (UEFI/BIOS).")
            : _("Turn on “IOMMU” (sometimes called AMD-Vi) in the firmware setup (UEFI/BIOS), "
                "then restart.");
      break;
    case CPU_VENDOR_INTEL:
      fix = _("Turn on VT-d in the firmware setup (UEFI/BIOS) and start Linux with "
              "intel_iommu=on; Passthrough adds that option when it applies its changes.");
      break;
    case CPU_VENDOR_OTHER:
    default:
      fix = _("Turn on the IOMMU (AMD-Vi or Intel VT-d) in the firmware setup (UEFI/BIOS), "
              "then restart.");
      break;
    }

  return host_check_new ("iommu", title, PT_CHECK_FAILED, g_steal_pointer (&detail),
                         g_strdup (fix));
}

/* Kernel options that matter for passthrough, by name (before "=") or name prefix. */
static gboolean
is_relevant_kernel_arg (const char *arg)
{
  static const char * const names[] = {
    "intel_iommu", "amd_iommu", "iommu", "iommu.passthrough", "iommu.strict",
    "vfio-pci.ids", "vfio_pci.ids", "vfio-pci.disable_vga", "vfio_pci.disable_vga",
    "pci-stub.ids", "pcie_acs_override", "video", "kvm.ignore_msrs", "kvm.report_ignored_msrs",
    "isolcpus", "nohz_full", "rcu_nocbs", "hugepages", "hugepagesz", "default_hugepagesz",
    "rd.driver.pre", "modprobe.blacklist", "module_blacklist", "initcall_blacklist",
    NULL,
  };
  g_autofree char *name = NULL;
  const char *eq = strchr (arg, '=');

  name = eq != NULL ? g_strndup (arg, eq - arg) : g_strdup (arg);
  return g_strv_contains (names, name);
}

static PtHostCheck *
check_kernel_args (const CheckContext *ctx)
{
  const char *title = _("Kernel command line");
  g_autoptr(GPtrArray) args = NULL;
  g_autoptr(GPtrArray) relevant = NULL;
  g_autofree char *found = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *intel_arg = NULL;
  g_autofree char *amd_arg = NULL;
  g_autofree char *iommu_arg = NULL;
  PtCheckState state = PT_CHECK_OK;
  const char *fix = NULL;

  if (ctx->boot == NULL || ctx->boot->cmdline == NULL)
    return host_check_new ("kernel-args", title, PT_CHECK_UNKNOWN,
                           g_strdup (_("The kernel command line could not be read.")), NULL);

  args = split_cmdline (ctx->boot->cmdline);
  relevant = g_ptr_array_new ();
  for (guint i = 0; i < args->len; i++)
    if (is_relevant_kernel_arg (g_ptr_array_index (args, i)))
      g_ptr_array_add (relevant, g_ptr_array_index (args, i));
  g_ptr_array_add (relevant, NULL);
  found = g_strjoinv (" ", (char **) relevant->pdata);

  if (found[0] != '\0')
    detail = g_strdup_printf (_("Options found: %s"), found);
  else
    detail = g_strdup (_("No IOMMU or VFIO options are set."));

  intel_arg = pt_boot_dup_cmdline_arg (ctx->boot, "intel_iommu");
  amd_arg = pt_boot_dup_cmdline_arg (ctx->boot, "amd_iommu");
  iommu_arg = pt_boot_dup_cmdline_arg (ctx->boot, "iommu");

  /* The most serious finding decides the state and the one fix shown. */
  if (g_strcmp0 (iommu_arg, "off") == 0)
    {
      state = PT_CHECK_FAILED;
      fix = _("Remove iommu=off from the kernel command line.");
    }
  else if (ctx->vendor == CPU_VENDOR_INTEL)
    {
      if (value_has_word (intel_arg, "off"))
        {
          state = PT_CHECK_FAILED;
          fix = _("Replace intel_iommu=off with intel_iommu=on on the kernel command line.");
        }
      else if (!value_has_word (intel_arg, "on") && !(ctx->iommu != NULL && ctx->iommu->enabled))
        {
          /* Many kernels leave the Intel IOMMU off unless asked; when it is already on, the
           * kernel's default did it and the option is not needed. */
          state = PT_CHECK_FAILED;
          fix = _("Add intel_iommu=on to the kernel command line; Passthrough adds it when it "
                  "applies its changes.");
        }
      else if (g_strcmp0 (iommu_arg, "pt") != 0)
        {
          state = PT_CHECK_WARNING;
          fix = _("Adding iommu=pt is recommended: devices the host keeps then work without "
                  "IOMMU translation, at full speed.");
        }
    }
  else if (ctx->vendor == CPU_VENDOR_AMD && value_has_word (amd_arg, "off"))
    {
      state = PT_CHECK_FAILED;
      fix = _("Remove amd_iommu=off from the kernel command line.");
    }

  return host_check_new ("kernel-args", title, state, g_steal_pointer (&detail),
                         g_strdup (fix));
}

static PtHostCheck *
check_vfio_pci (const CheckContext *ctx)
{
  const char *title = _("Driver that hands devices to VMs (vfio-pci)");

  if (ctx->boot == NULL)
    return host_check_new ("vfio-pci", title, PT_CHECK_UNKNOWN,
                           g_strdup (_("The kernel’s modules could not be read.")), NULL);

  switch (ctx->boot->vfio_pci)
    {
    case PT_MODULE_BUILTIN:
      return host_check_new ("vfio-pci", title, PT_CHECK_OK,
                             g_strdup (_("Built into the running kernel.")), NULL);
    case PT_MODULE_LOADABLE:
      return host_check_new ("vfio-pci", title, PT_CHECK_OK,
                             g_strdup (_("Available as a module of the running kernel.")), NULL);
    case PT_MODULE_MISSING:
    default:
      return host_check_new ("vfio-pci", title, PT_CHECK_FAILED,
                             g_strdup (_("The running kernel has no vfio-pci driver.")),
                             g_strdup (_("Start a distribution kernel (they all include it); "
                                         "a self-built kernel needs CONFIG_VFIO_PCI.")));
    }
}

static PtHostCheck *
check_libvirt (const CheckContext *ctx)
{
  const char *title = _("Virtual machine service (libvirt)");
  g_autoptr(PtLibvirtInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *hypervisor_version = NULL;
  g_autofree char *hypervisor = NULL;
  g_autofree char *library_version = NULL;
  g_autofree char *machines = NULL;
  char *fix;

  info = pt_libvirt_probe_sync (ctx->libvirt_uri, ctx->cancellable, &error);
  if (info == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return host_check_new ("libvirt", title, PT_CHECK_UNKNOWN,
                               g_strdup (_("The check was cancelled.")), NULL);

      if (g_error_matches (error, PT_LIBVIRT_ERROR, PT_LIBVIRT_ERROR_NOT_RUNNING))
        fix = g_strdup (_("Install libvirt and start its service, for example with “sudo "
                          "systemctl enable --now libvirtd”."));
      else if (g_error_matches (error, PT_LIBVIRT_ERROR, PT_LIBVIRT_ERROR_PERMISSION))
        fix = g_strdup_printf (_("Add yourself to the libvirt group with “sudo usermod -aG "
                                 "libvirt %s”, then log out and in again."), ctx->user_name);
      else if (g_error_matches (error, PT_LIBVIRT_ERROR, PT_LIBVIRT_ERROR_INVALID_URI))
        fix = g_strdup_printf (_("Set the connection address back to qemu:///system with "
                                 "“gsettings set %s libvirt-uri qemu:///system”."), APP_ID);
      else
        fix = g_strdup (_("Restart the libvirt service (“sudo systemctl restart libvirtd”); its "
                          "log (“journalctl -u libvirtd”) says what went wrong."));

      return host_check_new ("libvirt", title, PT_CHECK_FAILED, g_strdup (error->message), fix);
    }

  hypervisor_version = pt_libvirt_format_version (info->hypervisor_version);
  library_version = pt_libvirt_format_version (info->library_version);
  /* Some drivers do not tell their version; then the name stands alone. */
  hypervisor = hypervisor_version[0] != '\0'
               ? g_strdup_printf ("%s %s", info->hypervisor, hypervisor_version)
               : g_strdup (info->hypervisor);
  machines = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u virtual machine",
                                           "%u virtual machines", info->domain_count),
                              info->domain_count);

  /* TRANSLATORS: "Connected to qemu:///system: QEMU 7.2.0, libvirt 9.0.0, 2 virtual machines." */
  return host_check_new ("libvirt", title, PT_CHECK_OK,
                         g_strdup_printf (_("Connected to %s: %s, libvirt %s, %s."),
                                          info->uri, hypervisor, library_version, machines),
                         NULL);
}

/* json-glib 1.6 has no *_with_default getters for arrays and objects. */
static JsonArray *
object_get_array (JsonObject *object,
                  const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static JsonObject *
object_get_object (JsonObject *object,
                   const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* The code file of a QEMU firmware descriptor that offers UEFI for x86_64, or NULL. */
static char *
firmware_descriptor_x86_64_uefi (const char *contents,
                                 gsize       length)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;
  JsonArray *interfaces;
  JsonArray *targets;
  JsonObject *mapping;
  gboolean uefi = FALSE;
  gboolean x86_64 = FALSE;

  if (!json_parser_load_from_data (parser, contents, length, NULL))
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;

  root = json_node_get_object (json_parser_get_root (parser));
  interfaces = object_get_array (root, "interface-types");
  targets = object_get_array (root, "targets");
  if (interfaces == NULL || targets == NULL)
    return NULL;

  for (guint i = 0; i < json_array_get_length (interfaces); i++)
    {
      JsonNode *node = json_array_get_element (interfaces, i);

      if (JSON_NODE_HOLDS_VALUE (node)
          && g_strcmp0 (json_node_get_string (node), "uefi") == 0)
        uefi = TRUE;
    }
  for (guint i = 0; i < json_array_get_length (targets); i++)
    {
      JsonNode *node = json_array_get_element (targets, i);

      if (JSON_NODE_HOLDS_OBJECT (node)
          && g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (node),
                                                                    "architecture", NULL),
                        "x86_64") == 0)
        x86_64 = TRUE;
    }
  if (!uefi || !x86_64)
    return NULL;

  /* "flash" descriptors name mapping.executable.filename, "memory" ones mapping.filename. */
  mapping = object_get_object (root, "mapping");
  if (mapping != NULL)
    {
      JsonObject *executable = object_get_object (mapping, "executable");
      const char *filename = executable != NULL
        ? json_object_get_string_member_with_default (executable, "filename", NULL)
        : json_object_get_string_member_with_default (mapping, "filename", NULL);

      if (filename != NULL)
        return g_strdup (filename);
    }

  return g_strdup ("");
}

static char *
find_ovmf (PtSysroot *sysroot)
{
  /* QEMU's own descriptor directories first, then where distributions put the files. */
  static const char * const descriptor_dirs[] = {
    "/etc/qemu/firmware", "/usr/share/qemu/firmware", NULL,
  };
  static const char * const code_dirs[] = {
    "/usr/share/OVMF", "/usr/share/edk2/ovmf", "/usr/share/edk2-ovmf/x64", "/usr/share/edk2/x64",
    NULL,
  };

  for (guint d = 0; descriptor_dirs[d] != NULL; d++)
    {
      g_autoptr(GPtrArray) names = pt_sysroot_list_dir (sysroot, descriptor_dirs[d], NULL);

      for (guint i = 0; names != NULL && i < names->len; i++)
        {
          const char *name = g_ptr_array_index (names, i);
          g_autofree char *path = NULL;
          g_autofree char *contents = NULL;
          g_autofree char *code = NULL;
          gsize length = 0;

          if (!g_str_has_suffix (name, ".json"))
            continue;
          path = g_build_filename (descriptor_dirs[d], name, NULL);
          if (!pt_sysroot_read_file (sysroot, path, &contents, &length, NULL))
            continue;
          code = firmware_descriptor_x86_64_uefi (contents, length);
          if (code != NULL)
            return code[0] != '\0' ? g_steal_pointer (&code) : g_steal_pointer (&path);
        }
    }

  for (guint d = 0; code_dirs[d] != NULL; d++)
    {
      g_autoptr(GPtrArray) names = pt_sysroot_list_dir (sysroot, code_dirs[d], NULL);

      for (guint i = 0; names != NULL && i < names->len; i++)
        {
          const char *name = g_ptr_array_index (names, i);

          if (g_str_has_prefix (name, "OVMF_CODE") && g_str_has_suffix (name, ".fd"))
            return g_build_filename (code_dirs[d], name, NULL);
        }
    }

  return NULL;
}

static PtHostCheck *
check_ovmf (const CheckContext *ctx)
{
  const char *title = _("UEFI firmware for VMs (OVMF)");
  g_autofree char *found = find_ovmf (ctx->sysroot);

  if (found != NULL)
    return host_check_new ("ovmf", title, PT_CHECK_OK,
                           g_strdup_printf (_("Installed: %s"), found), NULL);

  return host_check_new ("ovmf", title, PT_CHECK_FAILED,
                         g_strdup (_("No UEFI firmware for x86_64 virtual machines is installed; "
                                     "modern graphics cards need it to start in a VM.")),
                         g_strdup (_("Install OVMF: the package is called ovmf on Debian and "
                                     "Ubuntu, edk2-ovmf on Fedora and Arch, and qemu-ovmf-x86_64 "
                                     "on openSUSE.")));
}

/* Field @field (0-based) of the first line of the colon-separated @contents (/etc/group,
 * /etc/passwd) whose first field is @key; NULL when there is none. */
static char *
lookup_colon_file (const char *contents,
                   const char *key,
                   guint       field)
{
  g_auto(GStrv) lines = g_strsplit (contents, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], ":", -1);

      if (g_strv_length (fields) > field && g_strcmp0 (fields[0], key) == 0)
        return g_strdup (g_strstrip (fields[field]));
    }

  return NULL;
}

/* Whether this process, not only the account, carries @gid (after usermod, until a new login). */
static gboolean
process_has_group (gid_t gid)
{
  g_autofree gid_t *groups = NULL;
  int n;

  if (getegid () == gid)
    return TRUE;

  n = getgroups (0, NULL);
  if (n <= 0)
    return FALSE;
  groups = g_new (gid_t, n);
  n = getgroups (n, groups);
  for (int i = 0; i < n; i++)
    if (groups[i] == gid)
      return TRUE;
  return FALSE;
}

static PtHostCheck *
check_libvirt_group (const CheckContext *ctx)
{
  const char *title = _("Permission to manage VMs (libvirt group)");
  g_autofree char *group_file = NULL;
  g_autofree char *passwd_file = NULL;
  g_autofree char *members = NULL;
  g_autofree char *group_gid = NULL;
  g_autofree char *primary_gid = NULL;
  g_auto(GStrv) member_list = NULL;
  g_autofree char *fix = NULL;
  gboolean member;
  guint64 gid = 0;

  if (g_strcmp0 (ctx->user_name, "root") == 0)
    return host_check_new ("libvirt-group", title, PT_CHECK_OK,
                           g_strdup (_("You are root, who may manage virtual machines without "
                                       "the group.")), NULL);

  fix = g_strdup_printf (_("Add yourself to the group with “sudo usermod -aG libvirt %s”, then "
                           "log out and in again."), ctx->user_name);

  if (!pt_sysroot_read_file (ctx->sysroot, "/etc/group", &group_file, NULL, NULL))
    return host_check_new ("libvirt-group", title, PT_CHECK_UNKNOWN,
                           g_strdup (_("/etc/group could not be read.")), NULL);

  members = lookup_colon_file (group_file, "libvirt", 3);
  group_gid = lookup_colon_file (group_file, "libvirt", 2);
  if (members == NULL)
    return host_check_new ("libvirt-group", title, PT_CHECK_FAILED,
                           g_strdup (_("There is no libvirt group: libvirt is not installed.")),
                           g_strdup (_("Install libvirt (the libvirt-daemon-system package on "
                                       "Debian and Ubuntu, libvirt on most others); it creates "
                                       "the group.")));

  member_list = g_strsplit (members, ",", -1);
  member = g_strv_contains ((const char * const *) member_list, ctx->user_name);

  /* The group may also be the user's primary group, which /etc/group does not list. */
  if (!member && pt_sysroot_read_file (ctx->sysroot, "/etc/passwd", &passwd_file, NULL, NULL))
    {
      primary_gid = lookup_colon_file (passwd_file, ctx->user_name, 3);
      member = primary_gid != NULL && g_strcmp0 (primary_gid, group_gid) == 0;
    }

  if (!member)
    return host_check_new ("libvirt-group", title, PT_CHECK_WARNING,
                           g_strdup_printf (_("%s is not in the libvirt group, so every change "
                                              "to a VM asks for the administrator password."),
                                            ctx->user_name),
                           g_steal_pointer (&fix));

  if (pt_sysroot_is_host (ctx->sysroot)
      && g_strcmp0 (ctx->user_name, g_get_user_name ()) == 0
      && group_gid != NULL
      && pt_parse_uint64 (group_gid, 10, &gid, NULL)
      && !process_has_group ((gid_t) gid))
    return host_check_new ("libvirt-group", title, PT_CHECK_WARNING,
                           g_strdup_printf (_("%s was added to the libvirt group, but this "
                                              "session started before that."), ctx->user_name),
                           g_strdup (_("Log out and in again so that the group takes effect.")));

  return host_check_new ("libvirt-group", title, PT_CHECK_OK,
                         g_strdup_printf (_("%s is in the libvirt group."), ctx->user_name),
                         NULL);
}

static PtHostCheck *
check_memory (const CheckContext *ctx)
{
  const char *title = _("Free memory");
  g_autofree char *available = NULL;
  g_autofree char *total = NULL;
  g_autofree char *detail = NULL;
  guint64 available_kib;

  if (ctx->memory == NULL || ctx->memory->total_kib == 0)
    return host_check_new ("memory", title, PT_CHECK_UNKNOWN,
                           g_strdup (_("The memory size could not be read.")), NULL);

  available_kib = ctx->memory->available_kib;
  available = g_format_size_full (available_kib * 1024, G_FORMAT_SIZE_IEC_UNITS);
  total = g_format_size_full (ctx->memory->total_kib * 1024, G_FORMAT_SIZE_IEC_UNITS);
  /* TRANSLATORS: "12.3 GiB of 15.6 GiB available" */
  detail = g_strdup_printf (_("%s of %s available."), available, total);

  if (available_kib < MEMORY_FAILED_KIB)
    return host_check_new ("memory", title, PT_CHECK_FAILED, g_steal_pointer (&detail),
                           g_strdup (_("Close programs or add memory: a VM with a graphics card "
                                       "needs at least 4 GiB of its own, better 8 GiB.")));
  if (available_kib < MEMORY_WARNING_KIB)
    return host_check_new ("memory", title, PT_CHECK_WARNING, g_steal_pointer (&detail),
                           g_strdup (_("Close programs or add memory to give a VM the 8 GiB "
                                       "that Windows and most games want.")));

  return host_check_new ("memory", title, PT_CHECK_OK, g_steal_pointer (&detail), NULL);
}

static CpuVendor
cpu_vendor_of (const PtCpuTopology *cpu)
{
  if (cpu == NULL || cpu->vendor == NULL)
    return CPU_VENDOR_OTHER;
  /* Hygon's Dhyana is a Zen licence and behaves like AMD here. */
  if (g_str_equal (cpu->vendor, "AuthenticAMD") || g_str_equal (cpu->vendor, "HygonGenuine"))
    return CPU_VENDOR_AMD;
  if (g_str_equal (cpu->vendor, "GenuineIntel"))
    return CPU_VENDOR_INTEL;
  return CPU_VENDOR_OTHER;
}

GPtrArray *
pt_host_check_run_sync (PtHostScan               *scan,
                        const PtHostCheckOptions *options,
                        GCancellable             *cancellable)
{
  GPtrArray *checks;
  CheckContext ctx = { 0 };

  g_return_val_if_fail (PT_IS_HOST_SCAN (scan), NULL);

  ctx.sysroot = pt_host_scan_get_sysroot (scan);
  ctx.cpu = pt_host_scan_get_cpu (scan);
  ctx.iommu = pt_host_scan_get_iommu (scan);
  ctx.boot = pt_host_scan_get_boot (scan);
  ctx.memory = pt_host_scan_get_memory (scan);
  ctx.vendor = cpu_vendor_of (ctx.cpu);
  ctx.user_name = (options != NULL && options->user_name != NULL)
                  ? options->user_name : g_get_user_name ();
  ctx.libvirt_uri = (options != NULL && options->libvirt_uri != NULL)
                    ? options->libvirt_uri : "qemu:///system";
  ctx.cancellable = cancellable;

  checks = g_ptr_array_new_with_free_func ((GDestroyNotify) pt_host_check_free);
  g_ptr_array_add (checks, check_cpu_virtualization (&ctx));
  g_ptr_array_add (checks, check_kvm (&ctx));
  g_ptr_array_add (checks, check_iommu (&ctx));
  g_ptr_array_add (checks, check_kernel_args (&ctx));
  g_ptr_array_add (checks, check_vfio_pci (&ctx));
  g_ptr_array_add (checks, check_libvirt (&ctx));
  g_ptr_array_add (checks, check_ovmf (&ctx));
  g_ptr_array_add (checks, check_libvirt_group (&ctx));
  g_ptr_array_add (checks, check_memory (&ctx));

  return checks;
}

typedef struct {
  PtHostScan         *scan;
  PtHostCheckOptions  options;
} RunData;

static void
run_data_free (RunData *data)
{
  g_clear_object (&data->scan);
  g_free (data->options.libvirt_uri);
  g_free (data->options.user_name);
  g_free (data);
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  RunData *data = task_data;
  GPtrArray *checks;

  checks = pt_host_check_run_sync (data->scan, &data->options, cancellable);
  if (g_task_return_error_if_cancelled (task))
    {
      g_ptr_array_unref (checks);
      return;
    }
  g_task_return_pointer (task, checks, (GDestroyNotify) g_ptr_array_unref);
}

void
pt_host_check_run_async (PtHostScan               *scan,
                         const PtHostCheckOptions *options,
                         GCancellable             *cancellable,
                         GAsyncReadyCallback       callback,
                         gpointer                  user_data)
{
  g_autoptr(GTask) task = NULL;
  RunData *data;

  g_return_if_fail (PT_IS_HOST_SCAN (scan));

  data = g_new0 (RunData, 1);
  data->scan = g_object_ref (scan);
  if (options != NULL)
    {
      data->options.libvirt_uri = g_strdup (options->libvirt_uri);
      data->options.user_name = g_strdup (options->user_name);
    }

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, pt_host_check_run_async);
  g_task_set_task_data (task, data, (GDestroyNotify) run_data_free);
  g_task_run_in_thread (task, run_thread);
}

GPtrArray *
pt_host_check_run_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pt_host_check_run_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
