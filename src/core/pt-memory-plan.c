/* pt-memory-plan.c: how much RAM the guest gets, how the host keeps enough, and where the
 * hugepages backing it come from. */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pt-memory-plan.h"

#define KIB_PER_MIB G_GUINT64_CONSTANT (1024)
#define KIB_PER_GIB (G_GUINT64_CONSTANT (1024) * 1024)

/* Below this the host cannot even run its desktop: the plan refuses. */
#define HOST_MINIMUM_KIB (KIB_PER_GIB)

G_DEFINE_QUARK (pt-memory-plan-error-quark, pt_memory_plan_error)

void
pt_memory_plan_free (PtMemoryPlan *self)
{
  if (self == NULL)
    return;

  g_free (self->arithmetic);
  g_strfreev (self->kernel_args_add);
  g_strfreev (self->kernel_args_remove);
  g_free (self->sysctl_path);
  g_free (self->sysctl_content);
  g_strfreev (self->warnings);
  g_strfreev (self->blockers);
  g_free (self->share_problem);
  g_free (self);
}

guint64
pt_memory_host_floor_kib (guint64 total_kib)
{
  /* To the nearest 512 MiB: "keep 4 GiB" on a 31.3 GiB host, not "keep 3.9 GiB". */
  guint64 step = 512 * KIB_PER_MIB;
  guint64 eighth = (total_kib / 8 + step / 2) / step * step;

  return CLAMP (eighth, 2 * KIB_PER_GIB, 4 * KIB_PER_GIB);
}

char *
pt_memory_format_exact (guint64 kib)
{
  g_autofree char *number = NULL;

  /* The number is printed first: gettext cannot see through G_GUINT64_FORMAT. */
  if (kib > 0 && kib % KIB_PER_GIB == 0)
    {
      number = g_strdup_printf ("%" G_GUINT64_FORMAT, kib / KIB_PER_GIB);
      /* TRANSLATORS: a size, "8 GiB" */
      return g_strdup_printf (_("%s GiB"), number);
    }
  if (kib > 0 && kib % KIB_PER_MIB == 0)
    {
      number = g_strdup_printf ("%" G_GUINT64_FORMAT, kib / KIB_PER_MIB);
      /* TRANSLATORS: a size, "2 MiB" */
      return g_strdup_printf (_("%s MiB"), number);
    }
  number = g_strdup_printf ("%" G_GUINT64_FORMAT, kib);
  /* TRANSLATORS: a size, "4 KiB" */
  return g_strdup_printf (_("%s KiB"), number);
}

/* For sentences: "16 GiB" when whole, else rounded: "31.3 GiB". */
static char *
format_approx (guint64 kib)
{
  if (kib > 0 && kib % KIB_PER_GIB == 0)
    return pt_memory_format_exact (kib);
  return g_format_size_full (kib * 1024, G_FORMAT_SIZE_IEC_UNITS);
}

/* "5.15.0-91-generic" → 5, 15. */
static gboolean
parse_kernel_release (const char *release,
                      guint64    *ret_major,
                      guint64    *ret_minor)
{
  g_auto(GStrv) parts = NULL;
  gsize digits;

  if (release == NULL || release[0] == '\0')
    return FALSE;

  parts = g_strsplit (release, ".", 3);
  if (g_strv_length (parts) < 2)
    return FALSE;

  /* The minor number may run straight into a suffix ("4.19-rc1"). */
  digits = strspn (parts[1], "0123456789");
  parts[1][digits] = '\0';
  return pt_parse_uint64 (parts[0], 10, ret_major, NULL)
         && pt_parse_uint64 (parts[1], 10, ret_minor, NULL);
}

/* Linux 5.16 learnt "hugepages=<node>:<count>"; before, boot-time pages go evenly to all nodes. */
static gboolean
kernel_reserves_per_node (const PtBoot *boot)
{
  guint64 major, minor;

  if (boot == NULL || !parse_kernel_release (boot->running_kernel, &major, &minor))
    return FALSE;
  return major > 5 || (major == 5 && minor >= 16);
}

static gboolean
is_hugepage_arg (const char *arg)
{
  return g_str_has_prefix (arg, "hugepages=")
         || g_str_has_prefix (arg, "hugepagesz=")
         || g_str_has_prefix (arg, "default_hugepagesz=");
}

/* The hugepage options on the command line, in their order. */
static GPtrArray *
cmdline_hugepage_args (const PtBoot *boot)
{
  GPtrArray *found = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) words = NULL;

  if (boot == NULL || boot->cmdline == NULL)
    return found;

  words = g_strsplit_set (boot->cmdline, " \t\n", -1);
  for (guint i = 0; words[i] != NULL; i++)
    if (is_hugepage_arg (words[i]))
      g_ptr_array_add (found, g_strdup (words[i]));
  return found;
}

static const PtNumaNode *
find_numa_node (const PtCpuTopology *cpu,
                int                  node)
{
  for (guint i = 0; cpu != NULL && i < cpu->numa->len; i++)
    {
      const PtNumaNode *numa = g_ptr_array_index (cpu->numa, i);

      if (numa->node == node)
        return numa;
    }
  return NULL;
}

/* The node that holds most of the guest's CPUs; -1 when none is known. Ties go to the lower. */
static int
node_of_cpus (const PtCpuTopology *cpu,
              GArray              *guest_cpus)
{
  g_autoptr(GHashTable) counts = g_hash_table_new (NULL, NULL);
  int best = -1;
  guint best_count = 0;

  if (cpu == NULL || guest_cpus == NULL)
    return -1;

  for (guint i = 0; i < guest_cpus->len; i++)
    {
      const PtCpuCore *core = pt_cpu_topology_core_of (cpu, g_array_index (guest_cpus, guint, i));
      guint count;

      if (core == NULL || core->numa_node < 0)
        continue;
      count = GPOINTER_TO_UINT (g_hash_table_lookup (counts, GINT_TO_POINTER (core->numa_node)));
      g_hash_table_insert (counts, GINT_TO_POINTER (core->numa_node), GUINT_TO_POINTER (count + 1));
    }

  for (guint i = 0; cpu->numa != NULL && i < cpu->numa->len; i++)
    {
      const PtNumaNode *numa = g_ptr_array_index (cpu->numa, i);
      guint count = GPOINTER_TO_UINT (g_hash_table_lookup (counts, GINT_TO_POINTER (numa->node)));

      if (count > best_count)
        {
          best = numa->node;
          best_count = count;
        }
    }
  return best;
}

static const PtHugepagePool *
find_pool (const PtMemory *memory,
           guint64         size_kib)
{
  for (guint i = 0; memory->hugepages != NULL && i < memory->hugepages->len; i++)
    {
      const PtHugepagePool *pool = g_ptr_array_index (memory->hugepages, i);

      if (pool->size_kib == size_kib)
        return pool;
    }
  return NULL;
}

static guint64
reserved_pages (const PtMemory *memory,
                guint64         size_kib,
                int             node)
{
  const PtHugepagePool *pool = find_pool (memory, size_kib);

  if (pool == NULL)
    return 0;
  if (node < 0)
    return pool->total;

  for (guint i = 0; pool->per_node != NULL && i < pool->per_node->len; i++)
    {
      const PtHugepageNode *per_node = &g_array_index (pool->per_node, PtHugepageNode, i);

      if (per_node->node == node)
        return per_node->total;
    }
  return 0;
}

/* Picks the host node the guest's RAM comes from: the GPU's, else the one of its CPUs. */
static int
choose_node (PtMemoryPlan       *plan,
             const PtMemoryHost *host,
             GPtrArray          *warnings)
{
  const PtCpuTopology *cpu = host->cpu;
  const PtNumaNode *numa;
  int cpu_node;
  int node;

  /* One node (or none known): every page is local; nothing to choose. */
  if (cpu == NULL || cpu->numa->len < 2)
    return -1;

  cpu_node = node_of_cpus (cpu, host->guest_cpus);
  node = host->gpu_node >= 0 ? host->gpu_node : cpu_node;
  if (node < 0)
    return -1;

  if (host->gpu_node >= 0 && cpu_node >= 0 && cpu_node != host->gpu_node)
    g_ptr_array_add (warnings,
                     g_strdup_printf (_("The virtual machine’s processors are on NUMA node "
                                        "%d and its graphics card on node %d. Its memory comes "
                                        "from node %d, next to the graphics card; processors on "
                                        "the same node would be faster."),
                                      cpu_node, host->gpu_node, host->gpu_node));

  numa = find_numa_node (cpu, node);
  if (numa != NULL && numa->memory_kib > 0
      && plan->guest_kib + pt_memory_host_floor_kib (numa->memory_kib) / 2 > numa->memory_kib)
    {
      g_autofree char *node_size = format_approx (numa->memory_kib);

      g_ptr_array_add (warnings,
                       g_strdup_printf (_("NUMA node %d has %s, too little for all of the "
                                          "virtual machine’s memory; it comes from every node, "
                                          "which is slower."),
                                        node, node_size));
      return -1;
    }

  return node;
}

static void
plan_boot_reservation (PtMemoryPlan       *plan,
                       const PtMemoryHost *host,
                       GPtrArray          *warnings,
                       GPtrArray          *blockers)
{
  g_autoptr(GPtrArray) add = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) existing = cmdline_hugepage_args (host->boot);
  guint nodes = host->cpu != NULL ? MAX (host->cpu->numa->len, 1) : 1;
  gboolean per_node = plan->numa_node >= 0 && kernel_reserves_per_node (host->boot);
  gboolean same = TRUE;
  g_autofree char *count_arg = NULL;

  plan->reserve_count = plan->page_count;
  if (plan->numa_node >= 0 && !per_node)
    {
      g_autofree char *total = NULL;

      /* Older kernels spread boot-time pages evenly: reserve enough on every node. */
      plan->reserve_count = plan->page_count * nodes;
      total = format_approx (plan->reserve_count * plan->page_size_kib);
      g_ptr_array_add (warnings,
                       g_strdup_printf (_("This kernel spreads hugepages reserved at start-up "
                                          "evenly over the %u NUMA nodes, so %s are reserved "
                                          "to have enough on node %d. Linux 5.16 and later "
                                          "reserve them on that node alone."),
                                        nodes, total, plan->numa_node));
      if (plan->reserve_count * plan->page_size_kib + HOST_MINIMUM_KIB > plan->host_total_kib)
        g_ptr_array_add (blockers,
                         g_strdup_printf (_("Reserving %s of hugepages leaves this computer too "
                                            "little memory. Reserve them when the virtual "
                                            "machine starts instead."),
                                          total));
    }

  if (per_node)
    count_arg = g_strdup_printf ("hugepages=%d:%" G_GUINT64_FORMAT,
                                 plan->numa_node, plan->reserve_count);
  else
    count_arg = g_strdup_printf ("hugepages=%" G_GUINT64_FORMAT, plan->reserve_count);

  if (plan->hugepages == PT_HUGEPAGES_1G)
    {
      /* 1 GiB pages can only be had reliably before memory fragments: at boot. */
      plan->source = PT_HUGEPAGE_SOURCE_KERNEL_ARGS;
      g_ptr_array_add (add, g_strdup ("hugepagesz=1G"));
      g_ptr_array_add (add, g_steal_pointer (&count_arg));
      g_ptr_array_add (add, g_strdup ("default_hugepagesz=1G"));
    }
  else if (per_node)
    {
      /* sysctl has no per-node setting; the kernel option has. */
      plan->source = PT_HUGEPAGE_SOURCE_KERNEL_ARGS;
      g_ptr_array_add (add, g_strdup ("hugepagesz=2M"));
      g_ptr_array_add (add, g_steal_pointer (&count_arg));
    }
  else
    {
      plan->source = PT_HUGEPAGE_SOURCE_SYSCTL;
      plan->sysctl_path = g_strdup (PT_MEMORY_PLAN_SYSCTL_PATH);
      plan->sysctl_content = g_strdup_printf ("# Written by Passthrough: hugepages for the "
                                              "virtual machine's memory.\n"
                                              "vm.nr_hugepages = %" G_GUINT64_FORMAT "\n",
                                              plan->reserve_count);
    }

  if (plan->source == PT_HUGEPAGE_SOURCE_KERNEL_ARGS)
    {
      /* Size and count options pair up by position: unless the command line already says
       * exactly this, all of its hugepage options go and these take their place. */
      same = existing->len == add->len;
      for (guint i = 0; same && i < add->len; i++)
        same = g_str_equal (g_ptr_array_index (existing, i), g_ptr_array_index (add, i));
      g_ptr_array_add (add, NULL);
      plan->kernel_args_add = (char **) g_ptr_array_steal (add, NULL);
      if (same)
        g_ptr_array_set_size (existing, 0);
      g_ptr_array_add (existing, NULL);
      plan->kernel_args_remove = (char **) g_ptr_array_steal (existing, NULL);
    }
}

/* Hugepages the command line reserves while this plan does not use it: memory the host has
 * set aside without knowing, which the user should hear about. */
static void
warn_other_reservations (PtMemoryPlan       *plan,
                         const PtMemoryHost *host,
                         GPtrArray          *warnings)
{
  g_autoptr(GPtrArray) existing = cmdline_hugepage_args (host->boot);
  gboolean reserves = FALSE;
  g_autofree char *args = NULL;

  for (guint i = 0; i < existing->len; i++)
    reserves |= g_str_has_prefix (g_ptr_array_index (existing, i), "hugepages=");
  if (plan->source == PT_HUGEPAGE_SOURCE_KERNEL_ARGS || !reserves)
    return;

  g_ptr_array_add (existing, NULL);
  args = g_strjoinv (" ", (char **) existing->pdata);
  g_ptr_array_add (warnings,
                   g_strdup_printf (_("The start-up options “%s” set hugepages aside as well, "
                                      "and this computer cannot use that memory. Remove them "
                                      "when nothing else needs them."),
                                    args));
}

static void
plan_on_demand (PtMemoryPlan       *plan,
                const PtMemoryHost *host,
                GPtrArray          *warnings)
{
  plan->source = PT_HUGEPAGE_SOURCE_ON_DEMAND;
  plan->reserve_count = plan->page_count;

  if (plan->hugepages == PT_HUGEPAGES_1G)
    g_ptr_array_add (warnings,
                     g_strdup (_("1 GiB pages are hard to find once the computer has run a "
                                 "while, because memory gets fragmented. If the virtual machine "
                                 "does not start, reserve them at start-up instead.")));

  if (host->memory->available_kib < plan->guest_kib)
    {
      g_autofree char *available = format_approx (host->memory->available_kib);
      g_autofree char *needed = format_approx (plan->guest_kib);

      g_ptr_array_add (warnings,
                       g_strdup_printf (_("Only %s is free right now; the virtual machine needs "
                                          "%s in hugepages when it starts. Close programs "
                                          "before starting it."),
                                        available, needed));
    }
}

static char **
steal_strv (GPtrArray *array)
{
  g_ptr_array_add (array, NULL);
  return (char **) g_ptr_array_steal (array, NULL);
}

PtMemoryPlan *
pt_memory_plan_new (const PtMemoryHost *host,
                    PtSetup            *setup)
{
  g_autoptr(PtMemoryPlan) plan = g_new0 (PtMemoryPlan, 1);
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) blockers = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (host != NULL && host->memory != NULL, NULL);
  g_return_val_if_fail (PT_IS_SETUP (setup), NULL);

  plan->requested_kib = pt_setup_get_memory_mib (setup) * KIB_PER_MIB;
  plan->guest_kib = plan->requested_kib;
  plan->host_total_kib = host->memory->total_kib;
  plan->host_floor_kib = pt_memory_host_floor_kib (plan->host_total_kib);
  plan->hugepages = pt_setup_get_hugepages (setup);
  plan->page_size_kib = pt_hugepages_size_kib (plan->hugepages);
  plan->numa_node = -1;

  if (plan->hugepages == PT_HUGEPAGES_1G && host->cpu != NULL
      && !pt_cpu_topology_has_flag (host->cpu, "pdpe1gb"))
    g_ptr_array_add (blockers,
                     g_strdup (_("This processor cannot use 1 GiB pages (it lacks the pdpe1gb "
                                 "feature). Choose 2 MiB pages.")));

  if (plan->page_size_kib > 0)
    {
      g_autofree char *guest = NULL;
      g_autofree char *page = NULL;
      g_autofree char *count = NULL;

      plan->page_count = (plan->requested_kib + plan->page_size_kib - 1) / plan->page_size_kib;
      plan->guest_kib = plan->page_count * plan->page_size_kib;
      guest = pt_memory_format_exact (plan->guest_kib);
      page = pt_memory_format_exact (plan->page_size_kib);
      count = g_strdup_printf ("%" G_GUINT64_FORMAT, plan->page_count);
      /* TRANSLATORS: the hugepage arithmetic, "8 GiB ÷ 2 MiB = 4096 pages" */
      plan->arithmetic = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s ÷ %s = %s page",
                                                       "%s ÷ %s = %s pages",
                                                       plan->page_count),
                                          guest, page, count);
      if (plan->guest_kib != plan->requested_kib)
        {
          g_autofree char *requested = pt_memory_format_exact (plan->requested_kib);

          g_ptr_array_add (warnings,
                           g_strdup_printf (_("%s is not a whole number of %s pages; the "
                                              "virtual machine gets %s."),
                                            requested, page, guest));
        }
    }

  plan->host_keeps_kib = plan->host_total_kib > plan->guest_kib
                         ? plan->host_total_kib - plan->guest_kib : 0;

  if (plan->host_keeps_kib < HOST_MINIMUM_KIB)
    {
      g_autofree char *guest = format_approx (plan->guest_kib);
      g_autofree char *total = format_approx (plan->host_total_kib);

      plan->share_problem = g_strdup_printf (_("The virtual machine cannot have %s: this "
                                               "computer has %s in all and needs some for "
                                               "itself."),
                                             guest, total);
      g_ptr_array_add (blockers, g_strdup (plan->share_problem));
    }
  else if (plan->host_keeps_kib < plan->host_floor_kib)
    {
      g_autofree char *keeps = format_approx (plan->host_keeps_kib);
      g_autofree char *floor = format_approx (plan->host_floor_kib);

      plan->share_problem = g_strdup_printf (_("This computer keeps only %s while the virtual "
                                               "machine runs; with less than %s it gets slow "
                                               "or closes programs."),
                                             keeps, floor);
      g_ptr_array_add (warnings, g_strdup (plan->share_problem));
    }

  plan->numa_node = choose_node (plan, host, warnings);

  if (plan->page_size_kib == 0)
    plan->source = PT_HUGEPAGE_SOURCE_NONE;
  else if (pt_setup_get_hugepages_on_demand (setup))
    plan_on_demand (plan, host, warnings);
  else
    plan_boot_reservation (plan, host, warnings, blockers);

  warn_other_reservations (plan, host, warnings);
  if (plan->page_size_kib > 0)
    plan->reserved_now = reserved_pages (host->memory, plan->page_size_kib, plan->numa_node);

  plan->warnings = steal_strv (warnings);
  plan->blockers = steal_strv (blockers);
  if (plan->kernel_args_add == NULL)
    plan->kernel_args_add = g_new0 (char *, 1);
  if (plan->kernel_args_remove == NULL)
    plan->kernel_args_remove = g_new0 (char *, 1);
  return g_steal_pointer (&plan);
}

PtMemoryPlan *
pt_memory_plan_new_for_scan (PtHostScan *scan,
                             PtSetup    *setup,
                             GArray     *guest_cpus)
{
  PtMemoryHost host = { 0 };
  const char *gpu;

  g_return_val_if_fail (PT_IS_HOST_SCAN (scan), NULL);
  g_return_val_if_fail (PT_IS_SETUP (setup), NULL);

  host.memory = pt_host_scan_get_memory (scan);
  host.cpu = pt_host_scan_get_cpu (scan);
  host.boot = pt_host_scan_get_boot (scan);
  host.gpu_node = -1;
  host.guest_cpus = guest_cpus;

  gpu = pt_setup_get_gpu (setup);
  if (gpu != NULL)
    {
      const PtPciDevice *device = pt_pci_find (pt_host_scan_get_pci (scan), gpu);

      if (device != NULL)
        host.gpu_node = device->numa_node;
    }

  return pt_memory_plan_new (&host, setup);
}

static xmlNode *
new_number_child (xmlNode    *parent,
                  const char *name,
                  guint64     value)
{
  g_autofree char *text = g_strdup_printf ("%" G_GUINT64_FORMAT, value);
  xmlNode *node = xmlNewTextChild (parent, NULL, BAD_CAST name, BAD_CAST text);

  xmlNewProp (node, BAD_CAST "unit", BAD_CAST "KiB");
  return node;
}

void
pt_memory_plan_append_domain (const PtMemoryPlan *self,
                              xmlNode            *domain,
                              const char         *guest_nodeset)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (domain != NULL);

  new_number_child (domain, "memory", self->guest_kib);
  new_number_child (domain, "currentMemory", self->guest_kib);

  if (self->page_size_kib > 0)
    {
      xmlNode *backing = xmlNewChild (domain, NULL, BAD_CAST "memoryBacking", NULL);
      xmlNode *hugepages = xmlNewChild (backing, NULL, BAD_CAST "hugepages", NULL);
      xmlNode *page = xmlNewChild (hugepages, NULL, BAD_CAST "page", NULL);
      g_autofree char *size = g_strdup_printf ("%" G_GUINT64_FORMAT, self->page_size_kib);

      xmlNewProp (page, BAD_CAST "size", BAD_CAST size);
      xmlNewProp (page, BAD_CAST "unit", BAD_CAST "KiB");
      if (guest_nodeset != NULL)
        xmlNewProp (page, BAD_CAST "nodeset", BAD_CAST guest_nodeset);
    }

  if (self->numa_node >= 0)
    {
      xmlNode *numatune = xmlNewChild (domain, NULL, BAD_CAST "numatune", NULL);
      xmlNode *memory = xmlNewChild (numatune, NULL, BAD_CAST "memory", NULL);
      g_autofree char *nodeset = g_strdup_printf ("%d", self->numa_node);

      /* Hugepages were reserved on that node: insist on it. Ordinary memory may spill over
       * rather than make the host swap. */
      xmlNewProp (memory, BAD_CAST "mode",
                  BAD_CAST (self->page_size_kib > 0 ? "strict" : "preferred"));
      xmlNewProp (memory, BAD_CAST "nodeset", BAD_CAST nodeset);
    }
}

static gboolean
valid_domain_name (const char *name)
{
  if (name == NULL || name[0] == '\0' || strlen (name) > 200 || !g_utf8_validate (name, -1, NULL))
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (*p == '/' || g_ascii_iscntrl (*p))
      return FALSE;
  return TRUE;
}

char *
pt_memory_plan_render_hook (const char  *domain_name,
                            guint64      size_kib,
                            guint64      count,
                            int          node,
                            GError     **error)
{
  g_autofree char *quoted_name = NULL;
  g_autofree char *pool = NULL;
  g_autofree char *size = NULL;
  g_autofree char *quoted_size = NULL;

  if (!valid_domain_name (domain_name))
    {
      g_set_error (error, PT_MEMORY_PLAN_ERROR, PT_MEMORY_PLAN_ERROR_INVALID,
                   "“%s” is not a virtual machine name the hook can use", domain_name);
      return NULL;
    }
  if (size_kib != 2048 && size_kib != KIB_PER_GIB)
    {
      g_set_error (error, PT_MEMORY_PLAN_ERROR, PT_MEMORY_PLAN_ERROR_INVALID,
                   "%" G_GUINT64_FORMAT " KiB is not a hugepage size (2048 or 1048576)",
                   size_kib);
      return NULL;
    }
  if (count == 0 || count > G_GUINT64_CONSTANT (1) << 30)
    {
      g_set_error (error, PT_MEMORY_PLAN_ERROR, PT_MEMORY_PLAN_ERROR_INVALID,
                   "%" G_GUINT64_FORMAT " is not a page count the hook can use", count);
      return NULL;
    }
  if (node < -1 || node > 1023)
    {
      g_set_error (error, PT_MEMORY_PLAN_ERROR, PT_MEMORY_PLAN_ERROR_INVALID,
                   "%d is not a NUMA node", node);
      return NULL;
    }

  quoted_name = g_shell_quote (domain_name);
  if (node >= 0)
    pool = g_strdup_printf ("/sys/devices/system/node/node%d/hugepages/hugepages-%"
                            G_GUINT64_FORMAT "kB", node, size_kib);
  else
    pool = g_strdup_printf ("/sys/kernel/mm/hugepages/hugepages-%" G_GUINT64_FORMAT "kB",
                            size_kib);
  /* Not translated: it runs as root under libvirt, in the C locale. */
  size = g_strdup (size_kib == 2048 ? "2 MiB" : "1 GiB");
  quoted_size = g_shell_quote (size);

  return g_strdup_printf (
    "#!/bin/sh\n"
    "# passthrough-hugepages: written by Passthrough. libvirt runs it around the virtual\n"
    "# machine below: before it starts, this reserves the hugepages that back its memory; after\n"
    "# it stops, it gives them back. Passthrough rewrites this file: change the VM there.\n"
    "\n"
    "vm=%s\n"
    "pages=%" G_GUINT64_FORMAT "\n"
    "size=%s\n"
    "pool=%s\n"
    "vm_sysctl=/proc/sys/vm\n"
    "state=/run/passthrough-hugepages.added\n"
    "\n"
    "[ \"$1\" = \"$vm\" ] || exit 0\n"
    "\n"
    "case \"$2\" in\n"
    "  prepare)\n"
    "    free=$(cat \"$pool/free_hugepages\") || exit 1\n"
    "    total=$(cat \"$pool/nr_hugepages\") || exit 1\n"
    "    if [ \"$free\" -ge \"$pages\" ]; then\n"
    "      echo 0 > \"$state\"\n"
    "      exit 0\n"
    "    fi\n"
    "    need=$((pages - free))\n"
    "    # Hugepages need unbroken runs of memory: write back and drop the caches, then\n"
    "    # compact what is left.\n"
    "    sync\n"
    "    echo 3 > \"$vm_sysctl/drop_caches\"\n"
    "    echo 1 > \"$vm_sysctl/compact_memory\"\n"
    "    echo $((total + need)) > \"$pool/nr_hugepages\"\n"
    "    now=$(cat \"$pool/nr_hugepages\") || exit 1\n"
    "    added=$((now - total))\n"
    "    if [ \"$added\" -lt \"$need\" ]; then\n"
    "      echo \"$total\" > \"$pool/nr_hugepages\"\n"
    "      echo \"Passthrough: $vm needs $pages hugepages of $size, but this computer found only"
    " $((free + added)) in one piece. Close some programs and start it again, or reserve the"
    " pages at start-up on Passthrough's Memory page.\" >&2\n"
    "      exit 1\n"
    "    fi\n"
    "    echo \"$added\" > \"$state\"\n"
    "    ;;\n"
    "  release)\n"
    "    [ -f \"$state\" ] || exit 0\n"
    "    added=$(cat \"$state\")\n"
    "    total=$(cat \"$pool/nr_hugepages\") || exit 1\n"
    "    if [ \"$total\" -gt \"$added\" ]; then\n"
    "      echo $((total - added)) > \"$pool/nr_hugepages\"\n"
    "    else\n"
    "      echo 0 > \"$pool/nr_hugepages\"\n"
    "    fi\n"
    "    rm -f \"$state\"\n"
    "    ;;\n"
    "esac\n"
    "exit 0\n",
    quoted_name, count, quoted_size, pool);
}
