/* pt-host-plan.c: builds the host change set for the guest GPU, and writes and reads its JSON. */
#include "config.h"

#include "pt-host-plan.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "pt-gpu.h"
#include "pt-host-plan-private.h"
#include "pt-json.h"
#include "pt-kmod.h"
#include "pt-memory-plan.h"

G_DEFINE_QUARK (pt-host-plan-error-quark, pt_host_plan_error)

/* ---- The plan as data ----------------------------------------------------------------------- */

static void
plan_file_free (PtPlanFile *file)
{
  g_free (file->path);
  g_free (file->content);
  g_free (file);
}

PtHostPlan *
pt_host_plan_new_empty (void)
{
  PtHostPlan *plan = g_new0 (PtHostPlan, 1);

  plan->kernel_args_add = g_ptr_array_new_with_free_func (g_free);
  plan->kernel_args_remove = g_ptr_array_new_with_free_func (g_free);
  plan->vfio_ids = g_ptr_array_new_with_free_func (g_free);
  plan->vfio_devices = g_ptr_array_new_with_free_func (g_free);
  plan->vfio_softdeps = g_ptr_array_new_with_free_func (g_free);
  plan->files = g_ptr_array_new_with_free_func ((GDestroyNotify) plan_file_free);
  plan->initramfs_modules = g_ptr_array_new_with_free_func (g_free);
  plan->hooks = g_ptr_array_new_with_free_func (g_free);
  plan->warnings = g_ptr_array_new_with_free_func (g_free);
  plan->blockers = g_ptr_array_new_with_free_func (g_free);
  return plan;
}

void
pt_host_plan_free (PtHostPlan *plan)
{
  if (plan == NULL)
    return;
  g_clear_pointer (&plan->kernel_args_add, g_ptr_array_unref);
  g_clear_pointer (&plan->kernel_args_remove, g_ptr_array_unref);
  g_clear_pointer (&plan->vfio_ids, g_ptr_array_unref);
  g_clear_pointer (&plan->vfio_devices, g_ptr_array_unref);
  g_clear_pointer (&plan->vfio_softdeps, g_ptr_array_unref);
  g_clear_pointer (&plan->files, g_ptr_array_unref);
  g_clear_pointer (&plan->initramfs_modules, g_ptr_array_unref);
  g_clear_pointer (&plan->hooks, g_ptr_array_unref);
  g_clear_pointer (&plan->warnings, g_ptr_array_unref);
  g_clear_pointer (&plan->blockers, g_ptr_array_unref);
  g_free (plan);
}

gboolean
pt_host_plan_has_blockers (const PtHostPlan *plan)
{
  g_return_val_if_fail (plan != NULL, FALSE);

  return plan->blockers->len > 0;
}

static gboolean
str_array_contains (GPtrArray  *array,
                    const char *text)
{
  return g_ptr_array_find_with_equal_func (array, text, g_str_equal, NULL);
}

static void
add_unique (GPtrArray  *array,
            const char *text)
{
  if (!str_array_contains (array, text))
    g_ptr_array_add (array, g_strdup (text));
}

/* ---- The kernel command line as the host has it --------------------------------------------- */

typedef struct {
  char *name;    /* as written: "vfio-pci.ids" */
  char *value;   /* NULL for a bare flag */
  char *token;   /* "vfio-pci.ids=10de:1b06" without quotes */
} KernelArg;

static void
kernel_arg_free (KernelArg *arg)
{
  g_free (arg->name);
  g_free (arg->value);
  g_free (arg->token);
  g_free (arg);
}

/* Parameter names treat '-' and '_' alike, as the kernel does. */
static gboolean
param_equal (const char *a,
             const char *b)
{
  for (; *a != '\0' && *b != '\0'; a++, b++)
    if ((*a == '-' ? '_' : *a) != (*b == '-' ? '_' : *b))
      return FALSE;
  return *a == *b;
}

/* Splits a command line as the kernel does: white space outside double quotes; quotes are
 * dropped; everything after a bare "--" belongs to init. */
static void
parse_cmdline (const char *cmdline,
               GPtrArray  *args)
{
  const char *p = cmdline != NULL ? cmdline : "";

  for (;;)
    {
      g_autoptr(GString) token = g_string_new (NULL);
      gboolean in_quote = FALSE;
      KernelArg *arg;
      char *equals;

      while (g_ascii_isspace (*p))
        p++;
      if (*p == '\0')
        return;
      for (; *p != '\0' && (in_quote || !g_ascii_isspace (*p)); p++)
        {
          if (*p == '"')
            in_quote = !in_quote;
          else
            g_string_append_c (token, *p);
        }
      if (g_str_equal (token->str, "--"))
        return;

      arg = g_new0 (KernelArg, 1);
      arg->token = g_strdup (token->str);
      equals = strchr (token->str, '=');
      if (equals != NULL)
        {
          arg->name = g_strndup (token->str, equals - token->str);
          arg->value = g_strdup (equals + 1);
        }
      else
        arg->name = g_strdup (token->str);
      g_ptr_array_add (args, arg);
    }
}

/* "KEY=value" of a shell-like file (/etc/default/grub), unquoted. */
static void
parse_shell_assignments (const char  *contents,
                         const char  *key,
                         GPtrArray   *args)
{
  g_auto(GStrv) lines = g_strsplit (contents, "\n", -1);
  g_autofree char *prefix = g_strconcat (key, "=", NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      g_autofree char *value = NULL;

      if (!g_str_has_prefix (line, prefix))
        continue;
      value = g_shell_unquote (line + strlen (prefix), NULL);
      parse_cmdline (value != NULL ? value : line + strlen (prefix), args);
    }
}

static void
read_loader_entries (PtSysroot  *sysroot,
                     const char *dir,
                     GPtrArray  *args)
{
  g_autoptr(GPtrArray) entries = pt_sysroot_list_dir (sysroot, dir, NULL);

  for (guint i = 0; entries != NULL && i < entries->len; i++)
    {
      const char *name = g_ptr_array_index (entries, i);
      g_autofree char *path = g_strconcat (dir, "/", name, NULL);
      g_autofree char *contents = NULL;
      g_auto(GStrv) lines = NULL;

      if (!g_str_has_suffix (name, ".conf")
          || !pt_sysroot_read_file (sysroot, path, &contents, NULL, NULL))
        continue;
      lines = g_strsplit (contents, "\n", -1);
      for (guint j = 0; lines[j] != NULL; j++)
        {
          char *line = g_strstrip (lines[j]);

          if (g_str_has_prefix (line, "options ") || g_str_has_prefix (line, "options\t"))
            parse_cmdline (line + strlen ("options"), args);
        }
    }
}

static void
read_kernelstub (PtSysroot *sysroot,
                 GPtrArray *args)
{
  g_autofree char *contents = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonObject *user;
  JsonArray *options;

  if (!pt_sysroot_read_file (sysroot, "/etc/kernelstub/configuration", &contents, NULL, NULL)
      || !json_parser_load_from_data (parser, contents, -1, NULL))
    return;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;
  user = json_object_get_object_member (json_node_get_object (root), "user");
  if (user == NULL || !json_object_has_member (user, "kernel_options"))
    return;
  options = json_object_get_array_member (user, "kernel_options");
  for (guint i = 0; options != NULL && i < json_array_get_length (options); i++)
    {
      JsonNode *node = json_array_get_element (options, i);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        parse_cmdline (json_node_get_string (node), args);
    }
}

/*
 * Every argument the host has or will have on its next start: the running command line and
 * what its boot loader's configuration holds. An argument found in either is not added again.
 */
static GPtrArray *
read_existing_args (PtSysroot    *sysroot,
                    const PtBoot *boot)
{
  static const char * const entry_dirs[] = {
    "/boot/loader/entries", "/efi/loader/entries", "/boot/efi/loader/entries",
  };
  GPtrArray *args = g_ptr_array_new_with_free_func ((GDestroyNotify) kernel_arg_free);
  g_autofree char *grub = NULL;
  g_autofree char *kernel_cmdline = NULL;
  g_autoptr(GPtrArray) grub_d = NULL;

  parse_cmdline (boot->cmdline, args);

  if (pt_sysroot_read_file (sysroot, "/etc/default/grub", &grub, NULL, NULL))
    {
      parse_shell_assignments (grub, "GRUB_CMDLINE_LINUX_DEFAULT", args);
      parse_shell_assignments (grub, "GRUB_CMDLINE_LINUX", args);
    }
  grub_d = pt_sysroot_list_dir (sysroot, "/etc/default/grub.d", NULL);
  for (guint i = 0; grub_d != NULL && i < grub_d->len; i++)
    {
      const char *name = g_ptr_array_index (grub_d, i);
      g_autofree char *path = g_strconcat ("/etc/default/grub.d/", name, NULL);
      g_autofree char *contents = NULL;

      if (g_str_has_suffix (name, ".cfg")
          && pt_sysroot_read_file (sysroot, path, &contents, NULL, NULL))
        {
          parse_shell_assignments (contents, "GRUB_CMDLINE_LINUX_DEFAULT", args);
          parse_shell_assignments (contents, "GRUB_CMDLINE_LINUX", args);
        }
    }

  if (pt_sysroot_read_file (sysroot, "/etc/kernel/cmdline", &kernel_cmdline, NULL, NULL))
    parse_cmdline (kernel_cmdline, args);
  for (guint i = 0; i < G_N_ELEMENTS (entry_dirs); i++)
    read_loader_entries (sysroot, entry_dirs[i], args);
  read_kernelstub (sysroot, args);

  return args;
}

/* Whether an argument @name has a value holding @item in its comma list ("on" in
 * "intel_iommu=on,igfx_off"). */
static gboolean
has_arg_item (GPtrArray  *args,
              const char *name,
              const char *item)
{
  for (guint i = 0; i < args->len; i++)
    {
      KernelArg *arg = g_ptr_array_index (args, i);
      g_auto(GStrv) items = NULL;

      if (!param_equal (arg->name, name) || arg->value == NULL)
        continue;
      items = g_strsplit (arg->value, ",", -1);
      if (g_strv_contains ((const char * const *) items, item))
        return TRUE;
    }
  return FALSE;
}

static gboolean
has_arg_value (GPtrArray  *args,
               const char *name,
               const char *value)
{
  for (guint i = 0; i < args->len; i++)
    {
      KernelArg *arg = g_ptr_array_index (args, i);

      if (param_equal (arg->name, name) && g_strcmp0 (arg->value, value) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Marks every @name argument whose value holds @item for removal. */
static void
remove_args_with_item (PtHostPlan *plan,
                       GPtrArray  *args,
                       const char *name,
                       const char *item)
{
  for (guint i = 0; i < args->len; i++)
    {
      KernelArg *arg = g_ptr_array_index (args, i);
      g_auto(GStrv) items = NULL;

      if (!param_equal (arg->name, name) || arg->value == NULL)
        continue;
      items = g_strsplit (arg->value, ",", -1);
      if (g_strv_contains ((const char * const *) items, item))
        add_unique (plan->kernel_args_remove, arg->token);
    }
}

static gboolean
is_intel (const PtCpuTopology *cpu)
{
  return cpu != NULL && g_strcmp0 (cpu->vendor, "GenuineIntel") == 0;
}

static gboolean
is_amd (const PtCpuTopology *cpu)
{
  return cpu != NULL && (g_strcmp0 (cpu->vendor, "AuthenticAMD") == 0
                         || g_strcmp0 (cpu->vendor, "HygonGenuine") == 0);
}

/* intel_iommu=on on Intel, where many kernels still leave it off; nothing on AMD, where the
 * IOMMU is on by default, except undoing an "off". iommu=pt keeps the host's own devices
 * out of the IOMMU's way. */
static void
plan_iommu_args (PtHostPlan          *plan,
                 GPtrArray           *args,
                 const PtCpuTopology *cpu)
{
  if (is_intel (cpu))
    {
      remove_args_with_item (plan, args, "intel_iommu", "off");
      if (!has_arg_item (args, "intel_iommu", "on"))
        add_unique (plan->kernel_args_add, "intel_iommu=on");
    }
  else if (is_amd (cpu))
    remove_args_with_item (plan, args, "amd_iommu", "off");

  remove_args_with_item (plan, args, "iommu", "off");
  remove_args_with_item (plan, args, "iommu", "nopt");
  if (!has_arg_item (args, "iommu", "pt"))
    add_unique (plan->kernel_args_add, "iommu=pt");
}

GStrv
pt_host_plan_iommu_kernel_args (PtHostScan *scan)
{
  g_autoptr(PtHostPlan) plan = pt_host_plan_new_empty ();
  g_autoptr(GPtrArray) args = NULL;
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (PT_IS_HOST_SCAN (scan), NULL);

  args = read_existing_args (pt_host_scan_get_sysroot (scan), pt_host_scan_get_boot (scan));
  plan_iommu_args (plan, args, pt_host_scan_get_cpu (scan));
  for (guint i = 0; i < plan->kernel_args_add->len; i++)
    g_ptr_array_add (result, g_strdup (g_ptr_array_index (plan->kernel_args_add, i)));
  g_ptr_array_add (result, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&result), FALSE);
}

/* ---- Building the plan ---------------------------------------------------------------------- */

typedef struct {
  PtHostScan   *scan;
  PtSysroot    *sysroot;
  const PtBoot *boot;
  PtKmod       *kmod;
  GPtrArray    *args;           /* KernelArg*: what the host has */
  GPtrArray    *kernels;        /* char*: the kernels the plan is for */
  gboolean      vfio_builtin;   /* in at least one kernel */
  gboolean      vfio_module;    /* a loadable module in at least one kernel */
  GPtrArray    *vfio_missing;   /* char*: kernels without vfio-pci */
} PlanContext;

static void
plan_context_clear (PlanContext *context)
{
  g_clear_pointer (&context->kmod, pt_kmod_free);
  g_clear_pointer (&context->args, g_ptr_array_unref);
  g_clear_pointer (&context->kernels, g_ptr_array_unref);
  g_clear_pointer (&context->vfio_missing, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PlanContext, plan_context_clear)

static void
read_vfio_state (PlanContext *context)
{
  const PtBoot *boot = context->boot;

  context->kernels = g_ptr_array_new_with_free_func (g_free);
  context->vfio_missing = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; boot->kernels != NULL && boot->kernels[i] != NULL; i++)
    g_ptr_array_add (context->kernels, g_strdup (boot->kernels[i]));
  if (context->kernels->len == 0 && boot->running_kernel != NULL
      && boot->running_kernel[0] != '\0')
    g_ptr_array_add (context->kernels, g_strdup (boot->running_kernel));
  g_ptr_array_add (context->kernels, NULL);
  context->kmod = pt_kmod_new (context->sysroot,
                               (const char * const *) context->kernels->pdata);
  g_ptr_array_set_size (context->kernels, context->kernels->len - 1);

  for (guint i = 0; i < context->kernels->len; i++)
    {
      const char *kernel = g_ptr_array_index (context->kernels, i);

      switch (pt_kmod_module_state (context->kmod, kernel, "vfio_pci"))
        {
        case PT_MODULE_BUILTIN:
          context->vfio_builtin = TRUE;
          break;
        case PT_MODULE_LOADABLE:
          context->vfio_module = TRUE;
          break;
        case PT_MODULE_MISSING:
        default:
          g_ptr_array_add (context->vfio_missing, g_strdup (kernel));
          break;
        }
    }
}

/* Modules that would claim @device: its modalias looked up in every kernel, else the driver
 * bound now. vfio-pci itself and the PCIe port driver are never candidates. */
static GPtrArray *
device_drivers (PlanContext       *context,
                const PtPciDevice *device)
{
  GPtrArray *drivers = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) found = pt_kmod_lookup (context->kmod, device->modalias);

  for (guint i = 0; found[i] != NULL; i++)
    g_ptr_array_add (drivers, g_strdup (found[i]));
  if (drivers->len == 0 && device->driver != NULL)
    {
      g_autofree char *module = pt_kmod_driver_module (context->sysroot, device->driver);

      if (module != NULL)
        g_ptr_array_add (drivers, g_steal_pointer (&module));
    }

  for (guint i = drivers->len; i > 0; i--)
    {
      const char *name = g_ptr_array_index (drivers, i - 1);

      if (g_str_equal (name, "vfio_pci") || g_str_equal (name, "pcieport"))
        g_ptr_array_remove_index (drivers, i - 1);
    }
  return drivers;
}

/*
 * softdep lines make each driver that would claim a guest device wait until vfio-pci is
 * loaded. A driver that the host's own devices need gets none: with it, those devices would
 * wait for vfio-pci too, and loading vfio-pci early does not help a driver already loaded
 * (snd_hda_intel for the host's sound). Such devices are claimed by ID and address instead.
 */
static void
plan_drivers (PtHostPlan        *plan,
              PlanContext       *context,
              const PtGpuChoice *choice,
              gboolean           by_ids_too)
{
  GPtrArray *pci = pt_host_scan_get_pci (context->scan);
  g_autoptr(GHashTable) host_users = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                            NULL);
  g_autoptr(GPtrArray) kept = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < pci->len; i++)
    {
      const PtPciDevice *device = g_ptr_array_index (pci, i);
      g_autoptr(GPtrArray) drivers = NULL;

      if (pt_gpu_choice_contains (choice, device->address) || pt_pci_device_is_bridge (device))
        continue;
      drivers = device_drivers (context, device);
      for (guint j = 0; j < drivers->len; j++)
        if (!g_hash_table_contains (host_users, g_ptr_array_index (drivers, j)))
          g_hash_table_insert (host_users, g_strdup (g_ptr_array_index (drivers, j)),
                               (gpointer) device);
    }

  for (guint i = 0; i < choice->devices->len; i++)
    {
      const PtPciDevice *device = g_ptr_array_index (choice->devices, i);
      g_autoptr(GPtrArray) drivers = device_drivers (context, device);

      for (guint j = 0; j < drivers->len; j++)
        {
          const char *driver = g_ptr_array_index (drivers, j);
          const PtPciDevice *host_device = g_hash_table_lookup (host_users, driver);
          g_autofree char *host_desc = NULL;

          if (host_device == NULL)
            {
              add_unique (plan->vfio_softdeps, driver);
              continue;
            }
          if (str_array_contains (kept, driver))
            continue;
          g_ptr_array_add (kept, g_strdup (driver));

          host_desc = pt_gpu_describe_device (host_device);
          if (by_ids_too)
            g_ptr_array_add (plan->warnings,
                             g_strdup_printf (_("The driver %s also runs this computer’s own %s, "
                                                "so the plan does not make it wait for "
                                                "vfio-pci; %s is held for the virtual machine "
                                                "by its IDs and its address instead."),
                                              driver, host_desc, device->address));
          else
            g_ptr_array_add (plan->warnings,
                             g_strdup_printf (_("The driver %s also runs this computer’s own %s, "
                                                "so the plan does not make it wait for "
                                                "vfio-pci; %s is held for the virtual machine "
                                                "by its address instead."),
                                              driver, host_desc, device->address));
        }
    }
}

/* Built-in vfio-pci reads its IDs from the command line only; IDs given there before are
 * kept. */
static void
plan_builtin_args (PtHostPlan *plan,
                   GPtrArray  *args,
                   gboolean    disable_vga)
{
  g_autoptr(GPtrArray) merged = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) old_tokens = g_ptr_array_new ();
  gboolean complete = TRUE;

  for (guint i = 0; i < args->len; i++)
    {
      KernelArg *arg = g_ptr_array_index (args, i);
      g_auto(GStrv) ids = NULL;

      if (!param_equal (arg->name, "vfio_pci.ids") || arg->value == NULL)
        continue;
      g_ptr_array_add (old_tokens, arg->token);
      ids = g_strsplit (arg->value, ",", -1);
      for (guint j = 0; ids[j] != NULL; j++)
        if (ids[j][0] != '\0')
          add_unique (merged, ids[j]);
    }

  for (guint i = 0; i < plan->vfio_ids->len; i++)
    if (!str_array_contains (merged, g_ptr_array_index (plan->vfio_ids, i)))
      {
        complete = FALSE;
        add_unique (merged, g_ptr_array_index (plan->vfio_ids, i));
      }

  if (!complete)
    {
      g_autoptr(GString) token = g_string_new ("vfio-pci.ids=");

      for (guint i = 0; i < old_tokens->len; i++)
        add_unique (plan->kernel_args_remove, g_ptr_array_index (old_tokens, i));
      for (guint i = 0; i < merged->len; i++)
        g_string_append_printf (token, "%s%s", i > 0 ? "," : "",
                                (const char *) g_ptr_array_index (merged, i));
      add_unique (plan->kernel_args_add, token->str);
    }

  if (disable_vga && !has_arg_value (args, "vfio_pci.disable_vga", "1"))
    add_unique (plan->kernel_args_add, "vfio-pci.disable_vga=1");
}

void
pt_host_plan_add_file (PtHostPlan *plan,
                       const char *path,
                       const char *content)
{
  PtPlanFile *file = g_new0 (PtPlanFile, 1);

  file->path = g_strdup (path);
  file->content = g_strdup (content);
  file->mode = 0644;
  g_ptr_array_add (plan->files, file);
}

static void
plan_modprobe_file (PtHostPlan *plan,
                    gboolean    disable_vga)
{
  g_autoptr(GString) content = g_string_new (NULL);

  if (plan->vfio_ids->len == 0 && !disable_vga && plan->vfio_softdeps->len == 0)
    return;

  g_string_append (content, "# Written by Passthrough: vfio-pci holds the guest GPU before its "
                            "own driver loads.\n");
  if (plan->vfio_ids->len > 0 || disable_vga)
    {
      g_string_append (content, "options vfio-pci");
      if (plan->vfio_ids->len > 0)
        {
          g_string_append (content, " ids=");
          for (guint i = 0; i < plan->vfio_ids->len; i++)
            g_string_append_printf (content, "%s%s", i > 0 ? "," : "",
                                    (const char *) g_ptr_array_index (plan->vfio_ids, i));
        }
      /* Only for a VGA function: it keeps the host's VGA arbiter off the card. */
      if (disable_vga)
        g_string_append (content, " disable_vga=1");
      g_string_append_c (content, '\n');
    }
  for (guint i = 0; i < plan->vfio_softdeps->len; i++)
    g_string_append_printf (content, "softdep %s pre: vfio-pci\n",
                            (const char *) g_ptr_array_index (plan->vfio_softdeps, i));

  pt_host_plan_add_file (plan, PT_HOST_PLAN_VFIO_FILE, content->str);
}

/* Hugepages, as the memory plan works them out: kernel arguments for 1 GiB pages, a sysctl.d
 * drop-in for 2 MiB ones, or a hook that reserves them when the VM starts. */
static void
plan_hugepages (PtHostPlan  *plan,
                PlanContext *context,
                PtSetup     *setup)
{
  g_autoptr(PtMemoryPlan) memory = NULL;

  if (pt_setup_get_hugepages (setup) == PT_HUGEPAGES_OFF)
    return;

  memory = pt_memory_plan_new_for_scan (context->scan, setup, NULL);
  for (guint i = 0; memory->warnings != NULL && memory->warnings[i] != NULL; i++)
    g_ptr_array_add (plan->warnings, g_strdup (memory->warnings[i]));
  for (guint i = 0; memory->blockers != NULL && memory->blockers[i] != NULL; i++)
    g_ptr_array_add (plan->blockers, g_strdup (memory->blockers[i]));

  if (memory->source == PT_HUGEPAGE_SOURCE_NONE || memory->page_size_kib == 0)
    return;
  plan->hugepages_size_kib = memory->page_size_kib;
  plan->hugepages_count = memory->reserve_count;

  switch (memory->source)
    {
    case PT_HUGEPAGE_SOURCE_KERNEL_ARGS:
      for (guint i = 0; memory->kernel_args_remove != NULL
                        && memory->kernel_args_remove[i] != NULL; i++)
        add_unique (plan->kernel_args_remove, memory->kernel_args_remove[i]);
      for (guint i = 0; memory->kernel_args_add != NULL && memory->kernel_args_add[i] != NULL; i++)
        add_unique (plan->kernel_args_add, memory->kernel_args_add[i]);
      break;
    case PT_HUGEPAGE_SOURCE_SYSCTL:
      pt_host_plan_add_file (plan, memory->sysctl_path, memory->sysctl_content);
      break;
    case PT_HUGEPAGE_SOURCE_ON_DEMAND:
      add_unique (plan->hooks, PT_MEMORY_PLAN_HOOK_NAME);
      break;
    case PT_HUGEPAGE_SOURCE_NONE:
    default:
      break;
    }
}

/* vfio_virqfd was folded into vfio in Linux 6.2; older kernels load it on their own. */
static void
plan_initramfs (PtHostPlan  *plan,
                PlanContext *context)
{
  gboolean all_before_6_2 = context->kernels->len > 0;

  plan->initramfs_regenerate = plan->vfio_devices->len > 0 || plan->files->len > 0;
  plan->initramfs_tool = context->boot->initramfs;

  /* Built into every kernel: nothing to load early. */
  if (context->vfio_builtin && !context->vfio_module && context->vfio_missing->len == 0)
    return;

  for (guint i = 0; i < context->kernels->len; i++)
    if (!pt_kmod_kernel_older_than (g_ptr_array_index (context->kernels, i), 6, 2))
      all_before_6_2 = FALSE;

  add_unique (plan->initramfs_modules, "vfio_pci");
  add_unique (plan->initramfs_modules, "vfio");
  add_unique (plan->initramfs_modules, "vfio_iommu_type1");
  if (all_before_6_2)
    add_unique (plan->initramfs_modules, "vfio_virqfd");

  if (plan->initramfs_tool == PT_INITRAMFS_UNKNOWN)
    g_ptr_array_add (plan->warnings,
                     g_strdup (_("Passthrough could not tell which tool builds this computer’s "
                                 "initramfs. Add vfio_pci, vfio and vfio_iommu_type1 to it by "
                                 "hand, so that vfio-pci loads before the graphics driver.")));
}

static void
plan_vfio_warnings (PtHostPlan  *plan,
                    PlanContext *context)
{
  g_autoptr(GString) missing = g_string_new (NULL);

  if (context->kernels->len == 0)
    {
      g_ptr_array_add (plan->warnings,
                       g_strdup (_("No kernel modules were found, so whether vfio-pci is built "
                                   "into the kernel is not known; the plan assumes it is a "
                                   "module.")));
      context->vfio_module = TRUE;
      return;
    }
  if (context->vfio_missing->len == 0)
    return;

  for (guint i = 0; i < context->vfio_missing->len; i++)
    g_string_append_printf (missing, "%s%s", i > 0 ? ", " : "",
                            (const char *) g_ptr_array_index (context->vfio_missing, i));

  if (!context->vfio_builtin && !context->vfio_module)
    g_ptr_array_add (plan->blockers,
                     g_strdup_printf (_("None of the installed kernels (%s) has vfio-pci, which "
                                        "holds the graphics card for the virtual machine. "
                                        "Install a kernel built with VFIO support."),
                                      missing->str));
  else
    g_ptr_array_add (plan->warnings,
                     g_strdup_printf (_("The kernels %s have no vfio-pci: started with one of "
                                        "them, this computer keeps the graphics card for "
                                        "itself."),
                                      missing->str));
}

static int
compare_files_cb (gconstpointer a,
                  gconstpointer b)
{
  const PtPlanFile *x = *(const PtPlanFile * const *) a;
  const PtPlanFile *y = *(const PtPlanFile * const *) b;

  return strcmp (x->path, y->path);
}

PtHostPlan *
pt_host_plan_build (PtHostScan  *scan,
                    PtSetup     *setup,
                    GError     **error)
{
  g_autoptr(PtHostPlan) plan = NULL;
  g_autoptr(PtGpuChoice) choice = NULL;
  g_auto(PlanContext) context = { 0 };
  const char *gpu;
  gboolean disable_vga = FALSE;

  g_return_val_if_fail (PT_IS_HOST_SCAN (scan), NULL);
  g_return_val_if_fail (PT_IS_SETUP (setup), NULL);

  gpu = pt_setup_get_gpu (setup);
  if (gpu == NULL || gpu[0] == '\0')
    {
      g_set_error_literal (error, PT_HOST_PLAN_ERROR, PT_HOST_PLAN_ERROR_NO_GPU,
                           _("No graphics card was chosen for the virtual machine"));
      return NULL;
    }
  choice = pt_gpu_choice_new (scan, NULL, gpu, pt_setup_get_single_gpu (setup), error);
  if (choice == NULL)
    return NULL;

  plan = pt_host_plan_new_empty ();
  context.scan = scan;
  context.sysroot = pt_host_scan_get_sysroot (scan);
  context.boot = pt_host_scan_get_boot (scan);
  context.args = read_existing_args (context.sysroot, context.boot);
  read_vfio_state (&context);

  /* Every function is bound by address; only IDs no host device shares are bound by ID. */
  for (guint i = 0; i < choice->devices->len; i++)
    {
      const PtPciDevice *device = g_ptr_array_index (choice->devices, i);
      g_autoptr(GPtrArray) twins = pt_gpu_choice_twins_of (choice, pt_host_scan_get_pci (scan),
                                                           device);
      g_autofree char *ids = pt_pci_device_dup_ids (device);

      add_unique (plan->vfio_devices, device->address);
      if (twins->len == 0)
        add_unique (plan->vfio_ids, ids);
      if (device->class_id == PT_PCI_CLASS_DISPLAY_VGA)
        disable_vga = TRUE;
    }

  /* The issues of the choice come first: they are about the card the user picked. */
  for (guint i = 0; i < choice->issues->len; i++)
    {
      const PtGpuIssue *issue = g_ptr_array_index (choice->issues, i);

      g_ptr_array_add (issue->blocker ? plan->blockers : plan->warnings,
                       g_strdup (issue->message));
    }

  plan_vfio_warnings (plan, &context);
  plan_iommu_args (plan, context.args, pt_host_scan_get_cpu (scan));

  if (context.vfio_builtin)
    plan_builtin_args (plan, context.args, disable_vga);
  if (context.vfio_module)
    {
      plan_drivers (plan, &context, choice, plan->vfio_ids->len > 0);
      plan_modprobe_file (plan, disable_vga);
    }

  if (pt_setup_get_guest (setup) == PT_GUEST_WINDOWS)
    /* Windows reads MSRs that KVM does not emulate; without this it stops with a blue
     * screen, and the log fills with one line per read. */
    pt_host_plan_add_file (plan, PT_HOST_PLAN_KVM_FILE,
              "# Written by Passthrough: Windows guests read MSRs that KVM does not emulate.\n"
              "options kvm ignore_msrs=1 report_ignored_msrs=0\n");

  plan_hugepages (plan, &context, setup);
  if (pt_setup_get_isolate_host (setup))
    add_unique (plan->hooks, "isolate-host");

  if (plan->kernel_args_add->len > 0 && context.boot->bootloader == PT_BOOTLOADER_UNKNOWN)
    {
      g_autoptr(GString) args = g_string_new (NULL);

      for (guint i = 0; i < plan->kernel_args_add->len; i++)
        g_string_append_printf (args, "%s%s", i > 0 ? " " : "",
                                (const char *) g_ptr_array_index (plan->kernel_args_add, i));
      g_ptr_array_add (plan->warnings,
                       g_strdup_printf (_("Passthrough could not tell which boot loader starts "
                                          "this computer. Add these kernel arguments to it by "
                                          "hand: %s"),
                                        args->str));
    }

  g_ptr_array_sort (plan->files, compare_files_cb);
  plan_initramfs (plan, &context);
  return g_steal_pointer (&plan);
}

