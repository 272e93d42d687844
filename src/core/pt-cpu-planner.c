/* pt-cpu-planner.c: plans vCPU, emulator and I/O-thread pins (the search is in
 * pt-cpu-planner-search.c) and explains each choice in one line. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pt-cpu-planner-private.h"

G_DEFINE_QUARK (pt-cpu-planner-error-quark, pt_cpu_planner_error)

/* ---- the plan and its reasons ---- */

static char *
format_cpus (GArray *cpus)
{
  g_autoptr(GArray) sorted = g_array_copy (cpus);

  g_array_sort (sorted, pt_cpu_compare);
  return pt_format_cpu_list (sorted);
}

/* "CCX 0 and CCX 1", "L3 cache 0" */
static char *
describe_domains (const PtCpuSearch    *p,
                  const PtCpuCandidate *candidate)
{
  g_autofree gboolean *used = g_new0 (gboolean, p->n_domains);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < candidate->cores->len; i++)
    used[p->domain_of[g_array_index (candidate->cores, guint, i)]] = TRUE;
  for (guint d = 0; d < p->n_domains; d++)
    if (used[d] && d < p->topology->l3->len)
      g_ptr_array_add (names, pt_cpu_l3_name (p->topology, d));

  for (guint i = 0; i < names->len; i++)
    {
      if (i > 0 && i == names->len - 1)
        /* Translators: the last separator of a list such as "CCX 0, CCX 1 and CCX 2". */
        g_string_append (text, _(" and "));
      else if (i > 0)
        g_string_append (text, ", ");
      g_string_append (text, g_ptr_array_index (names, i));
    }
  return g_string_free (text, FALSE);
}

static void
add_reason (GPtrArray *reasons,
            char      *reason)
{
  g_ptr_array_add (reasons, reason);
}

static gboolean
host_has_mixed_l3 (const PtCpuSearch *p)
{
  /* Only real, sized L3s: cores without one are no "smaller cache". */
  for (guint c = 0; c < p->n_cores; c++)
    if (c != p->host_core && p->domain_of[c] < p->topology->l3->len
        && p->domain_kib[p->domain_of[c]] > 0 && p->domain_kib[p->domain_of[c]] != p->max_kib)
      return TRUE;
  return FALSE;
}

static void
explain (const PtCpuSearch    *p,
         const PtCpuCandidate *candidate,
         const PtCpuPlan      *plan,
         gboolean              manual,
         guint                 optimal_domains,
         GPtrArray            *reasons)
{
  const PtCpuCore *host = pt_cpu_search_core (p, p->host_core);
  g_autofree char *host_cpus = pt_format_cpu_list (host->cpus);
  g_autofree char *emulator = format_cpus (plan->emulator);
  g_autofree char *domains = describe_domains (p, candidate);
  guint n = p->n_vcpus;
  guint n_domains = candidate->key[KEY_L3_DOMAINS];
  guint n_nodes = candidate->key[KEY_NUMA_NODES];
  gboolean host_used = pt_cpu_candidate_has_core (candidate, p->host_core);

  if (manual)
    add_reason (reasons, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                       "Picked by hand: %u vCPU on %u core.",
                                                       "Picked by hand: %u vCPUs on %u cores.",
                                                       n),
                                          n, candidate->cores->len));

  /* The cache domains. */
  if (p->topology->l3->len == 0)
    add_reason (reasons, g_strdup (_("The kernel does not say which cores share an L3 cache, so "
                                     "cores are taken in order.")));
  else if (n_domains == 1 && p->topology->l3->len > 1)
    add_reason (reasons, g_strdup_printf (_("All vCPUs share one L3 cache (%s), so their "
                                            "threads never reach across to another cache."),
                                          domains));
  else if (n_domains == 1)
    add_reason (reasons, g_strdup (_("All vCPUs share the processor’s one L3 cache.")));
  else if (manual && optimal_domains < n_domains)
    add_reason (reasons, g_strdup_printf (_("These cores span %u L3 caches (%s); “Optimal” "
                                            "fits the same count into %u."),
                                          n_domains, domains, optimal_domains));
  else
    add_reason (reasons, g_strdup_printf (_("The vCPUs span %u L3 caches (%s): no fewer have "
                                            "room for them beside core 0."),
                                          n_domains, domains));

  /* Core 0. */
  if (!host_used)
    add_reason (reasons, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                       "Core 0 (CPU %s) stays with the host, "
                                                       "which runs most of its own work and "
                                                       "interrupts there.",
                                                       "Core 0 (CPUs %s) stays with the host, "
                                                       "which runs most of its own work and "
                                                       "interrupts there.",
                                                       host->cpus->len),
                                          host_cpus));
  else
    add_reason (reasons, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                       "Core 0 (CPU %s) runs vCPUs: the host’s "
                                                       "own work there will make the guest "
                                                       "stutter.",
                                                       "Core 0 (CPUs %s) runs vCPUs: the host’s "
                                                       "own work there will make the guest "
                                                       "stutter.",
                                                       host->cpus->len),
                                          host_cpus));

  /* SMT and the guest topology. */
  if (candidate->split_cpus != NULL)
    add_reason (reasons, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                       "An odd count splits the last core, so "
                                                       "the guest sees %u core of one thread.",
                                                       "An odd count splits the last core, so "
                                                       "the guest sees %u cores of one thread.",
                                                       plan->cores),
                                          plan->cores));
  else if (plan->threads > 1)
    add_reason (reasons, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                       "SMT siblings are consecutive vCPUs: the "
                                                       "guest sees %u core with %u threads, like "
                                                       "the host.",
                                                       "SMT siblings are consecutive vCPUs: the "
                                                       "guest sees %u cores with %u threads each, "
                                                       "like the host.",
                                                       plan->cores),
                                          plan->cores, plan->threads));
  else
    add_reason (reasons, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                       "Each vCPU has a core of its own: the "
                                                       "guest sees %u core of one thread.",
                                                       "Each vCPU has a core of its own: the "
                                                       "guest sees %u cores of one thread.",
                                                       plan->cores),
                                          plan->cores));

  /* NUMA. */
  if (p->n_nodes > 1)
    {
      int node = pt_cpu_search_core (p, g_array_index (candidate->cores, guint, 0))->numa_node;

      if (n_nodes > 1)
        add_reason (reasons, g_strdup_printf (_("The vCPUs span %u NUMA nodes: memory on the "
                                                "other node is slower to reach."), n_nodes));
      else if (p->gpu_node >= 0 && node == p->gpu_node)
        add_reason (reasons, g_strdup_printf (_("All vCPUs are on NUMA node %d, the graphics "
                                                "card’s, so frames travel the shortest way."),
                                              node));
      else if (p->gpu_node >= 0)
        add_reason (reasons, g_strdup_printf (_("All vCPUs are on NUMA node %d; the graphics "
                                                "card’s node %d has no room for them."),
                                              node, p->gpu_node));
      else
        add_reason (reasons, g_strdup_printf (_("All vCPUs are on NUMA node %d, so their "
                                                "memory is close."), node));
    }

  /* Emulator and I/O thread. */
  if (candidate->emulator_local)
    add_reason (reasons, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                       "The emulator and the I/O thread run on "
                                                       "host CPU %s, in the vCPUs’ NUMA node, so "
                                                       "they take no time from a vCPU.",
                                                       "The emulator and the I/O thread run on "
                                                       "host CPUs %s, in the vCPUs’ NUMA node, "
                                                       "so they take no time from a vCPU.",
                                                       plan->emulator->len),
                                          emulator));
  else
    add_reason (reasons, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                       "The emulator and the I/O thread run on "
                                                       "host CPU %s: no host core is free in the "
                                                       "vCPUs’ NUMA node.",
                                                       "The emulator and the I/O thread run on "
                                                       "host CPUs %s: no host core is free in the "
                                                       "vCPUs’ NUMA node.",
                                                       plan->emulator->len),
                                          emulator));

  /* Hybrid. */
  if (p->topology->hybrid)
    {
      if (candidate->key[KEY_E_CORE_THREADS] == 0)
        add_reason (reasons, g_strdup (_("Only P-cores: E-cores are slower and would hold back "
                                         "the guest’s fastest threads.")));
      else
        add_reason (reasons, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                           "%u vCPU is on an E-core: there are "
                                                           "not enough free P-cores.",
                                                           "%u vCPUs are on E-cores: there are "
                                                           "not enough free P-cores.",
                                                           candidate->key[KEY_E_CORE_THREADS]),
                                              candidate->key[KEY_E_CORE_THREADS]));
    }

  /* Mixed L3 sizes: a 3D V-Cache CCD beside a plain one. */
  if (host_has_mixed_l3 (p) && !manual)
    {
      g_autofree char *size = pt_cpu_format_cache_size (p->max_kib);
      g_autofree char *largest = NULL;

      /* Translators: "96 MiB, 3D V-Cache", the largest L3 of a processor. */
      largest = pt_cpu_topology_is_amd (p->topology) && p->max_kib >= PT_CPU_VCACHE_MIN_KIB
                ? g_strdup_printf (_("%s, 3D V-Cache"), size) : g_strdup (size);
      if (p->guest == PT_GUEST_WINDOWS && candidate->key[KEY_SMALL_L3_THREADS] == 0)
        add_reason (reasons, g_strdup_printf (_("The vCPUs use the largest L3 (%s): games gain "
                                                "the most from cache."), largest));
      else if (p->guest == PT_GUEST_WINDOWS)
        add_reason (reasons, g_strdup_printf (_("Not all vCPUs fit on the largest L3 (%s) beside "
                                                "core 0."), largest));
      else
        add_reason (reasons, g_strdup_printf (_("The largest L3 (%s) helps games most; a Linux "
                                                "guest is not steered to it."), largest));
    }

  if (plan->topoext && plan->threads > 1)
    add_reason (reasons, g_strdup (_("The guest gets AMD’s topoext feature; without it, it "
                                     "would not see the SMT threads.")));
}

static PtCpuPlan *
make_plan (const PtCpuSearch    *p,
           const PtCpuCandidate *candidate,
           gboolean              manual,
           guint                 optimal_domains)
{
  PtCpuPlan *plan = g_new0 (PtCpuPlan, 1);
  g_autoptr(GPtrArray) reasons = g_ptr_array_new_with_free_func (g_free);

  plan->ref_count = 1;
  plan->manual = manual;
  plan->vcpus = pt_cpu_array_new ();
  for (guint i = 0; i < candidate->cores->len; i++)
    {
      GArray *cpus = pt_cpu_search_core (p, g_array_index (candidate->cores, guint, i))->cpus;

      if (i == candidate->cores->len - 1 && candidate->split_cpus != NULL)
        cpus = candidate->split_cpus;
      g_array_append_vals (plan->vcpus, cpus->data, cpus->len);
    }

  plan->emulator = g_array_copy (candidate->emulator);
  g_array_sort (plan->emulator, pt_cpu_compare);
  plan->iothreads = g_array_copy (plan->emulator);

  plan->online = g_array_copy (p->topology->online);
  plan->host_cpus = pt_cpu_array_new ();
  for (guint i = 0; i < plan->online->len; i++)
    if (!pt_cpu_array_contains (plan->vcpus, g_array_index (plan->online, guint, i)))
      g_array_append_val (plan->host_cpus, g_array_index (plan->online, guint, i));

  plan->sockets = 1;
  plan->dies = 1;
  if (pt_cpu_candidate_is_uniform (p, candidate))
    {
      plan->threads = pt_cpu_candidate_threads (p, candidate, 0);
      plan->cores = candidate->cores->len;
    }
  else
    {
      plan->threads = 1;
      plan->cores = plan->vcpus->len;
    }
  plan->topoext = pt_cpu_topology_is_amd (p->topology)
                  && pt_cpu_topology_has_flag (p->topology, "topoext");

  explain (p, candidate, plan, manual, optimal_domains, reasons);
  g_ptr_array_add (reasons, NULL);
  plan->reasons = (char **) g_ptr_array_free (g_steal_pointer (&reasons), FALSE);
  return plan;
}

static gboolean
check_count (const PtCpuTopology  *topology,
             guint                 n_vcpus,
             GError              **error)
{
  guint max = pt_cpu_planner_max_vcpus (topology);

  if (n_vcpus == 0)
    {
      g_set_error_literal (error, PT_CPU_PLANNER_ERROR, PT_CPU_PLANNER_ERROR_NO_VCPUS,
                           _("A virtual machine needs at least one vCPU."));
      return FALSE;
    }
  if (n_vcpus > max)
    {
      const PtCpuCore *host = topology->cores->len > 0 ? g_ptr_array_index (topology->cores, 0)
                                                       : NULL;
      g_autofree char *host_cpus = host != NULL ? pt_format_cpu_list (host->cpus) : g_strdup ("");
      g_autofree char *wanted = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                              "%u vCPU does not fit",
                                                              "%u vCPUs do not fit", n_vcpus),
                                                 n_vcpus);
      g_autofree char *online = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                              "%u online CPU",
                                                              "%u online CPUs",
                                                              topology->online->len),
                                                 topology->online->len);
      g_autofree char *kept = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "core 0 (CPU %s)",
                                                            "core 0 (CPUs %s)",
                                                            host != NULL ? host->cpus->len : 1),
                                               host_cpus);

      /* Translators: "9 vCPUs do not fit: this computer has 12 online CPUs and keeps core 0
       * (CPUs 0,6) for itself, which leaves 10." */
      g_set_error (error, PT_CPU_PLANNER_ERROR, PT_CPU_PLANNER_ERROR_TOO_MANY,
                   _("%s: this computer has %s and keeps %s for itself, which leaves %u."),
                   wanted, online, kept, max);
      return FALSE;
    }
  return TRUE;
}

PtCpuPlan *
pt_cpu_planner_plan (const PtCpuTopology  *topology,
                     guint                 n_vcpus,
                     int                   gpu_numa_node,
                     PtGuestOs             guest,
                     GError              **error)
{
  g_autoptr(PtCpuCandidate) best = NULL;
  PtCpuPlan *plan;
  PtCpuSearch p;

  g_return_val_if_fail (topology != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_count (topology, n_vcpus, error))
    return NULL;

  pt_cpu_search_init (&p, topology, n_vcpus, gpu_numa_node, guest);
  best = pt_cpu_search_run (&p);
  if (best == NULL)
    {
      /* check_count() guarantees room; reaching here means inconsistent topology data. */
      pt_cpu_search_clear (&p);
      g_set_error (error, PT_CPU_PLANNER_ERROR, PT_CPU_PLANNER_ERROR_TOO_MANY,
                   _("The processor’s cores could not be read well enough to place %u vCPUs."),
                   n_vcpus);
      return NULL;
    }
  plan = make_plan (&p, best, FALSE, best->key[KEY_L3_DOMAINS]);
  pt_cpu_search_clear (&p);
  return plan;
}

PtCpuPlan *
pt_cpu_planner_plan_manual (const PtCpuTopology  *topology,
                            GArray               *cpus,
                            int                   gpu_numa_node,
                            GError              **error)
{
  g_autoptr(PtCpuCandidate) candidate = NULL;
  g_autoptr(GArray) whole = pt_cpu_array_new ();
  g_autoptr(GArray) split_cpus = NULL;
  g_autofree guint *picked = NULL;
  int split = -1;
  guint optimal_domains = G_MAXUINT;
  gboolean host_keeps_core = FALSE;
  PtCpuPlan *plan;
  PtCpuSearch p;

  g_return_val_if_fail (topology != NULL, NULL);
  g_return_val_if_fail (cpus != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (cpus->len == 0)
    {
      g_set_error_literal (error, PT_CPU_PLANNER_ERROR, PT_CPU_PLANNER_ERROR_NO_VCPUS,
                           _("Pick at least one core for the virtual machine."));
      return NULL;
    }

  /* How many CPUs of each core are picked. */
  picked = g_new0 (guint, MAX (topology->cores->len, 1));
  for (guint i = 0; i < cpus->len; i++)
    {
      guint cpu = g_array_index (cpus, guint, i);
      const PtCpuCore *core = pt_cpu_topology_core_of (topology, cpu);

      if (core == NULL)
        {
          g_set_error (error, PT_CPU_PLANNER_ERROR, PT_CPU_PLANNER_ERROR_INVALID_CPU,
                       _("CPU %u is not online on this computer."), cpu);
          return NULL;
        }
      for (guint j = 0; j < i; j++)
        if (g_array_index (cpus, guint, j) == cpu)
          {
            g_set_error (error, PT_CPU_PLANNER_ERROR, PT_CPU_PLANNER_ERROR_INVALID_CPU,
                         _("CPU %u is picked twice."), cpu);
            return NULL;
          }
      picked[core->index]++;
    }

  for (guint c = 0; c < topology->cores->len; c++)
    {
      const PtCpuCore *core = g_ptr_array_index (topology->cores, c);

      if (picked[c] == 0)
        host_keeps_core = TRUE;
      else if (picked[c] == core->cpus->len)
        g_array_append_val (whole, c);
      else if (split >= 0)
        {
          g_set_error (error, PT_CPU_PLANNER_ERROR, PT_CPU_PLANNER_ERROR_SPLIT_CORE,
                       _("Cores %d and %u are both split between the guest and the host; pick "
                         "whole cores."), split, c);
          return NULL;
        }
      else
        split = (int) c;
    }
  if (!host_keeps_core)
    {
      g_set_error_literal (error, PT_CPU_PLANNER_ERROR, PT_CPU_PLANNER_ERROR_TOO_MANY,
                           _("The host needs at least one whole core of its own."));
      return NULL;
    }

  /* What the optimal plan would need, to tell a costly pick apart. */
  if (cpus->len <= pt_cpu_planner_max_vcpus (topology))
    {
      g_autoptr(PtCpuPlan) optimal = pt_cpu_planner_plan (topology, cpus->len, gpu_numa_node,
                                                          PT_GUEST_LINUX, NULL);

      if (optimal != NULL)
        {
          g_autofree gboolean *used = g_new0 (gboolean, topology->l3->len + 1);

          optimal_domains = 0;
          for (guint i = 0; i < optimal->vcpus->len; i++)
            {
              const PtCpuCore *core = pt_cpu_topology_core_of (topology,
                                                               g_array_index (optimal->vcpus,
                                                                              guint, i));
              guint l3 = core->l3 >= 0 ? (guint) core->l3 : topology->l3->len;

              if (!used[l3])
                optimal_domains++;
              used[l3] = TRUE;
            }
        }
    }

  if (split >= 0)
    {
      GArray *core_cpus = ((PtCpuCore *) g_ptr_array_index (topology->cores, split))->cpus;

      /* The picked CPUs of the split core, in the core's order. */
      split_cpus = pt_cpu_array_new ();
      for (guint i = 0; i < core_cpus->len; i++)
        if (pt_cpu_array_contains (cpus, g_array_index (core_cpus, guint, i)))
          g_array_append_val (split_cpus, g_array_index (core_cpus, guint, i));
    }

  pt_cpu_search_init (&p, topology, cpus->len, gpu_numa_node, PT_GUEST_LINUX);
  candidate = pt_cpu_candidate_new (&p, g_steal_pointer (&whole), split,
                                    g_steal_pointer (&split_cpus));
  pt_cpu_candidate_finish (&p, candidate);
  plan = make_plan (&p, candidate, TRUE, optimal_domains);
  pt_cpu_search_clear (&p);
  return plan;
}

PtCpuPlan *
pt_cpu_planner_plan_for_scan (PtHostScan  *scan,
                              guint        n_vcpus,
                              const char  *gpu_address,
                              PtGuestOs    guest,
                              GError     **error)
{
  int gpu_node = -1;

  g_return_val_if_fail (PT_IS_HOST_SCAN (scan), NULL);

  if (gpu_address != NULL)
    {
      PtPciDevice *gpu = pt_pci_find (pt_host_scan_get_pci (scan), gpu_address);

      if (gpu == NULL)
        {
          g_set_error (error, PT_CPU_PLANNER_ERROR, PT_CPU_PLANNER_ERROR_UNKNOWN_GPU,
                       _("There is no PCI device %s on this computer."), gpu_address);
          return NULL;
        }
      gpu_node = gpu->numa_node;
    }
  return pt_cpu_planner_plan (pt_host_scan_get_cpu (scan), n_vcpus, gpu_node, guest, error);
}
