/* pt-cpu-plan.c: a CPU plan once made: roles of host CPUs, host isolation, the --plan-cpus JSON,
 * and how L3 domains and cache sizes are named. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "pt-cpu-planner-private.h"

G_DEFINE_BOXED_TYPE (PtCpuPlan, pt_cpu_plan, pt_cpu_plan_ref, pt_cpu_plan_unref)

gboolean
pt_cpu_topology_is_amd (const PtCpuTopology *topology)
{
  return g_strcmp0 (topology->vendor, "AuthenticAMD") == 0
         || g_strcmp0 (topology->vendor, "HygonGenuine") == 0;
}

char *
pt_cpu_l3_name (const PtCpuTopology *topology,
                guint                l3)
{
  /* Translators: an AMD core complex (CCX), the cores that share one L3 cache. */
  return pt_cpu_topology_is_amd (topology) ? g_strdup_printf (_("CCX %u"), l3)
                                            : g_strdup_printf (_("L3 cache %u"), l3);
}

char *
pt_cpu_format_cache_size (guint64 size_kib)
{
  /* Whole MiB without the ".0" g_format_size() writes: "96 MiB", as the data sheets say. */
  if (size_kib % 1024 == 0 && size_kib / 1024 <= G_MAXUINT)
    return g_strdup_printf (_("%u MiB"), (guint) (size_kib / 1024));
  return g_format_size_full (size_kib * 1024, G_FORMAT_SIZE_IEC_UNITS);
}

gboolean
pt_cpu_l3_is_vcache (const PtCpuTopology *topology,
                     guint                l3)
{
  const PtCpuCache *cache;

  g_return_val_if_fail (l3 < topology->l3->len, FALSE);

  cache = g_ptr_array_index (topology->l3, l3);
  return pt_cpu_topology_is_amd (topology) && cache->size_kib >= PT_CPU_VCACHE_MIN_KIB;
}

guint
pt_cpu_planner_max_vcpus (const PtCpuTopology *topology)
{
  const PtCpuCore *host;

  if (topology->cores->len == 0)
    return 0;
  host = g_ptr_array_index (topology->cores, 0);
  return topology->online->len - host->cpus->len;
}

PtCpuPlan *
pt_cpu_plan_ref (PtCpuPlan *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_int_inc (&self->ref_count);
  return self;
}

void
pt_cpu_plan_unref (PtCpuPlan *self)
{
  if (self == NULL || !g_atomic_int_dec_and_test (&self->ref_count))
    return;

  g_clear_pointer (&self->vcpus, g_array_unref);
  g_clear_pointer (&self->emulator, g_array_unref);
  g_clear_pointer (&self->iothreads, g_array_unref);
  g_clear_pointer (&self->host_cpus, g_array_unref);
  g_clear_pointer (&self->online, g_array_unref);
  g_strfreev (self->reasons);
  g_free (self);
}

PtCpuRole
pt_cpu_plan_get_role (const PtCpuPlan *self,
                      guint            cpu,
                      int             *ret_vcpu)
{
  PtCpuRole role = PT_CPU_ROLE_HOST;
  int vcpu = -1;

  g_return_val_if_fail (self != NULL, PT_CPU_ROLE_HOST);

  for (guint i = 0; i < self->vcpus->len && vcpu < 0; i++)
    if (g_array_index (self->vcpus, guint, i) == cpu)
      vcpu = (int) i;
  if (vcpu >= 0)
    role |= PT_CPU_ROLE_VCPU;
  if (pt_cpu_array_contains (self->emulator, cpu))
    role |= PT_CPU_ROLE_EMULATOR;
  if (pt_cpu_array_contains (self->iothreads, cpu))
    role |= PT_CPU_ROLE_IOTHREAD;

  if (ret_vcpu != NULL)
    *ret_vcpu = vcpu;
  return role;
}

static gboolean
cpu_arrays_equal (GArray *a,
                  GArray *b)
{
  return a->len == b->len && memcmp (a->data, b->data, a->len * sizeof (guint)) == 0;
}

gboolean
pt_cpu_plan_equal (const PtCpuPlan *a,
                   const PtCpuPlan *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;
  return cpu_arrays_equal (a->vcpus, b->vcpus)
         && cpu_arrays_equal (a->emulator, b->emulator)
         && cpu_arrays_equal (a->iothreads, b->iothreads)
         && a->sockets == b->sockets && a->dies == b->dies
         && a->cores == b->cores && a->threads == b->threads;
}

GArray *
pt_cpu_plan_get_host_cpus (const PtCpuPlan *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->host_cpus;
}

char *
pt_cpu_plan_describe_isolation (const PtCpuPlan *self)
{
  g_autofree char *host = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  host = pt_format_cpu_list (self->host_cpus);
  return g_strdup_printf (_("While the virtual machine runs, the host’s own programs are kept "
                            "on CPUs %s, off the guest’s cores; they get every CPU back when it "
                            "stops. Nothing changes at boot."), host);
}

static void
add_cpu_array (JsonBuilder *builder,
               const char  *name,
               GArray      *cpus)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; i < cpus->len; i++)
    json_builder_add_int_value (builder, g_array_index (cpus, guint, i));
  json_builder_end_array (builder);
}

char *
pt_cpu_plan_to_json (PtCpuPlan *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  json_builder_begin_object (builder);
  add_cpu_array (builder, "vcpus", self->vcpus);
  add_cpu_array (builder, "emulator", self->emulator);
  add_cpu_array (builder, "iothreads", self->iothreads);
  json_builder_set_member_name (builder, "topology");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "sockets");
  json_builder_add_int_value (builder, self->sockets);
  json_builder_set_member_name (builder, "dies");
  json_builder_add_int_value (builder, self->dies);
  json_builder_set_member_name (builder, "cores");
  json_builder_add_int_value (builder, self->cores);
  json_builder_set_member_name (builder, "threads");
  json_builder_add_int_value (builder, self->threads);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "reasons");
  json_builder_begin_array (builder);
  for (guint i = 0; self->reasons[i] != NULL; i++)
    json_builder_add_string_value (builder, self->reasons[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  text = json_generator_to_data (generator, NULL);
  return g_strconcat (text, "\n", NULL);
}
