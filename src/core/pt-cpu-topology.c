/* pt-cpu-topology.c: reads CPU topology as Documentation/ABI/testing/sysfs-devices-system-cpu
 * describes it, falling back to the hex masks that old kernels write. */
#include "config.h"

#include "pt-cpu-topology.h"

#include <string.h>

#define CPU_DIR "/sys/devices/system/cpu"
#define NODE_DIR "/sys/devices/system/node"

/* What one online CPU says about itself, before CPUs are grouped. */
typedef struct {
  guint       cpu;
  int         package;
  int         die;
  int         core_id;
  GArray     *siblings;    /* guint; includes cpu */
  gboolean    has_l3;
  int         l3_id;       /* -1 when the kernel writes no id */
  guint64     l3_size_kib;
  GArray     *l3_cpus;     /* guint; NULL when unknown */
  int         numa_node;
  PtCoreType  type;
} CpuInfo;

static void
cpu_info_clear (CpuInfo *info)
{
  g_clear_pointer (&info->siblings, g_array_unref);
  g_clear_pointer (&info->l3_cpus, g_array_unref);
}

static int
compare_guint (gconstpointer a,
               gconstpointer b)
{
  guint x = *(const guint *) a;
  guint y = *(const guint *) b;

  return x < y ? -1 : x > y;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static GArray *
new_cpu_array (void)
{
  return g_array_new (FALSE, FALSE, sizeof (guint));
}

static gboolean
cpu_set_contains (GArray *cpus,
                  guint   cpu)
{
  for (guint i = 0; i < cpus->len; i++)
    if (g_array_index (cpus, guint, i) == cpu)
      return TRUE;
  return FALSE;
}

/* Reads "<dir>/<list_name>" as a cpulist, else "<dir>/<mask_name>" as a cpumask. */
static GArray *
read_cpu_set (PtSysroot  *sysroot,
              const char *dir,
              const char *list_name,
              const char *mask_name)
{
  g_autofree char *list_path = list_name ? g_build_filename (dir, list_name, NULL) : NULL;
  g_autofree char *mask_path = mask_name ? g_build_filename (dir, mask_name, NULL) : NULL;
  g_autofree char *text = NULL;
  GArray *cpus = NULL;

  if (list_path != NULL && (text = pt_sysroot_read_line (sysroot, list_path, NULL)) != NULL
      && pt_parse_cpu_list (text, &cpus, NULL))
    return cpus;
  g_clear_pointer (&text, g_free);
  if (mask_path != NULL && (text = pt_sysroot_read_line (sysroot, mask_path, NULL)) != NULL
      && pt_parse_cpu_mask (text, &cpus, NULL))
    return cpus;
  return NULL;
}

static int
read_int_or (PtSysroot  *sysroot,
             const char *path,
             int         fallback)
{
  gint64 value;

  if (!pt_sysroot_read_int64 (sysroot, path, &value, NULL) || value < G_MININT || value > G_MAXINT)
    return fallback;
  return (int) value;
}

/* Online CPUs: cpu/online; old kernels without it: each cpuN/online, or the presence of its
 * topology directory (offline CPUs lose theirs). */
static GArray *
read_online (PtSysroot *sysroot,
             GPtrArray *cpu_dirs)
{
  g_autofree char *text = pt_sysroot_read_line (sysroot, CPU_DIR "/online", NULL);
  GArray *online = NULL;

  if (text != NULL && pt_parse_cpu_list (text, &online, NULL))
    return online;

  online = new_cpu_array ();
  for (guint i = 0; i < cpu_dirs->len; i++)
    {
      const char *name = g_ptr_array_index (cpu_dirs, i);
      g_autofree char *online_path = g_strdup_printf (CPU_DIR "/%s/online", name);
      g_autofree char *topology_path = g_strdup_printf (CPU_DIR "/%s/topology", name);
      gint64 value;
      guint cpu = (guint) g_ascii_strtoull (name + 3, NULL, 10);

      if (pt_sysroot_read_int64 (sysroot, online_path, &value, NULL))
        {
          if (value == 1)
            g_array_append_val (online, cpu);
        }
      else if (pt_sysroot_is_dir (sysroot, topology_path))
        g_array_append_val (online, cpu);
    }
  return online;
}

/* The cpuN directory names, in numeric order. */
static GPtrArray *
list_cpu_dirs (PtSysroot  *sysroot,
               GError    **error)
{
  g_autoptr(GPtrArray) entries = pt_sysroot_list_dir (sysroot, CPU_DIR, error);
  GPtrArray *cpu_dirs;

  if (entries == NULL)
    return NULL;

  cpu_dirs = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < entries->len; i++)
    {
      const char *name = g_ptr_array_index (entries, i);
      guint64 number;

      if (g_str_has_prefix (name, "cpu") && pt_parse_uint64 (name + 3, 10, &number, NULL)
          && g_ascii_isdigit (name[3]) && number < G_MAXUINT)
        g_ptr_array_add (cpu_dirs, g_strdup (name));
    }
  return cpu_dirs;
}

/* L3: the cache index whose level is 3 and type is not Instruction; index3 is not always it. */
static void
read_l3 (PtSysroot *sysroot,
         CpuInfo   *info)
{
  g_autofree char *cache_dir = g_strdup_printf (CPU_DIR "/cpu%u/cache", info->cpu);
  g_autoptr(GPtrArray) indexes = pt_sysroot_list_dir (sysroot, cache_dir, NULL);

  if (indexes == NULL)
    return;

  for (guint i = 0; i < indexes->len; i++)
    {
      const char *name = g_ptr_array_index (indexes, i);
      g_autofree char *dir = NULL;
      g_autofree char *level_path = NULL;
      g_autofree char *type_path = NULL;
      g_autofree char *size_path = NULL;
      g_autofree char *id_path = NULL;
      g_autofree char *type = NULL;
      g_autofree char *size = NULL;

      if (!g_str_has_prefix (name, "index"))
        continue;
      dir = g_build_filename (cache_dir, name, NULL);
      level_path = g_build_filename (dir, "level", NULL);
      if (read_int_or (sysroot, level_path, -1) != 3)
        continue;
      type_path = g_build_filename (dir, "type", NULL);
      type = pt_sysroot_read_line (sysroot, type_path, NULL);
      if (type != NULL && g_str_equal (type, "Instruction"))
        continue;

      info->has_l3 = TRUE;
      id_path = g_build_filename (dir, "id", NULL);
      info->l3_id = read_int_or (sysroot, id_path, -1);
      size_path = g_build_filename (dir, "size", NULL);
      size = pt_sysroot_read_line (sysroot, size_path, NULL);
      if (size == NULL || !pt_parse_size_kib (size, &info->l3_size_kib, NULL))
        info->l3_size_kib = 0;
      info->l3_cpus = read_cpu_set (sysroot, dir, "shared_cpu_list", "shared_cpu_map");
      return;
    }
}

static void
read_cpu (PtSysroot *sysroot,
          CpuInfo   *info)
{
  g_autofree char *topology = g_strdup_printf (CPU_DIR "/cpu%u/topology", info->cpu);
  g_autofree char *package_path = g_build_filename (topology, "physical_package_id", NULL);
  g_autofree char *die_path = g_build_filename (topology, "die_id", NULL);
  g_autofree char *core_path = g_build_filename (topology, "core_id", NULL);

  info->package = read_int_or (sysroot, package_path, -1);
  info->die = read_int_or (sysroot, die_path, -1);
  info->core_id = read_int_or (sysroot, core_path, -1);

  /* core_cpus_list is the newer name of thread_siblings_list; masks on old kernels. */
  info->siblings = read_cpu_set (sysroot, topology, "core_cpus_list", "core_cpus");
  if (info->siblings == NULL)
    info->siblings = read_cpu_set (sysroot, topology, "thread_siblings_list", "thread_siblings");
  if (info->siblings == NULL)
    info->siblings = new_cpu_array ();
  if (!cpu_set_contains (info->siblings, info->cpu))
    g_array_append_val (info->siblings, info->cpu);

  info->l3_id = -1;
  info->numa_node = -1;
  read_l3 (sysroot, info);
}

/* /proc/cpuinfo: vendor, model name and flags of the first CPU block. */
static void
read_cpuinfo (PtSysroot     *sysroot,
              PtCpuTopology *self)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GPtrArray) flags = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *vendor = NULL;
  g_autofree char *model = NULL;
  g_autofree char *flag_text = NULL;

  if (pt_sysroot_read_file (sysroot, "/proc/cpuinfo", &contents, NULL, NULL))
    {
      lines = g_strsplit (contents, "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        {
          char *colon = strchr (lines[i], ':');
          char *key, *value;

          if (*g_strstrip (lines[i]) == '\0' && (vendor || model || flag_text))
            break;   /* end of the first CPU's block */
          if (colon == NULL)
            continue;
          *colon = '\0';
          key = g_strstrip (lines[i]);
          value = g_strstrip (colon + 1);
          if (vendor == NULL && (g_str_equal (key, "vendor_id") || g_str_equal (key, "vendor")))
            vendor = g_strdup (value);
          else if (model == NULL
                   && (g_str_equal (key, "model name") || g_str_equal (key, "cpu model")))
            model = g_strdup (value);
          else if (flag_text == NULL
                   && (g_str_equal (key, "flags") || g_str_equal (key, "Features")))
            flag_text = g_strdup (value);
        }
    }

  if (flag_text != NULL)
    {
      g_auto(GStrv) words = g_strsplit_set (flag_text, " \t", -1);

      for (guint i = 0; words[i] != NULL; i++)
        if (*words[i] != '\0')
          g_ptr_array_add (flags, g_strdup (words[i]));
    }

  self->vendor = vendor ? g_steal_pointer (&vendor) : g_strdup ("");
  self->model = model ? g_steal_pointer (&model) : g_strdup ("");

  {
    g_autoptr(GPtrArray) unique = g_ptr_array_new ();
    g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

    for (guint i = 0; i < flags->len; i++)
      if (g_hash_table_add (seen, g_ptr_array_index (flags, i)))
        g_ptr_array_add (unique, g_strdup (g_ptr_array_index (flags, i)));
    g_ptr_array_sort (unique, compare_strings);
    g_ptr_array_add (unique, NULL);
    self->flags = (char **) g_ptr_array_free (g_steal_pointer (&unique), FALSE);
  }
}

/* Hybrid parts: the kernel's perf PMUs cpu_core (P) and cpu_atom (E) list their CPUs; where
 * they are absent, unequal cpu_capacity values tell big from little cores. */
static void
read_core_types (PtSysroot *sysroot,
                 CpuInfo   *infos,
                 guint      n_infos)
{
  g_autoptr(GArray) p_cpus = read_cpu_set (sysroot, "/sys/devices/cpu_core", "cpus", NULL);
  g_autoptr(GArray) e_cpus = read_cpu_set (sysroot, "/sys/devices/cpu_atom", "cpus", NULL);
  gint64 max_capacity = -1, min_capacity = G_MAXINT64;
  g_autofree gint64 *capacities = NULL;

  if (p_cpus != NULL || e_cpus != NULL)
    {
      for (guint i = 0; i < n_infos; i++)
        {
          if (p_cpus != NULL && cpu_set_contains (p_cpus, infos[i].cpu))
            infos[i].type = PT_CORE_TYPE_PERFORMANCE;
          else if (e_cpus != NULL && cpu_set_contains (e_cpus, infos[i].cpu))
            infos[i].type = PT_CORE_TYPE_EFFICIENCY;
        }
      return;
    }

  capacities = g_new0 (gint64, MAX (n_infos, 1));
  for (guint i = 0; i < n_infos; i++)
    {
      g_autofree char *path = g_strdup_printf (CPU_DIR "/cpu%u/cpu_capacity", infos[i].cpu);

      if (!pt_sysroot_read_int64 (sysroot, path, &capacities[i], NULL) || capacities[i] <= 0)
        return;
      max_capacity = MAX (max_capacity, capacities[i]);
      min_capacity = MIN (min_capacity, capacities[i]);
    }
  if (n_infos == 0 || max_capacity == min_capacity)
    return;
  for (guint i = 0; i < n_infos; i++)
    infos[i].type = capacities[i] == max_capacity ? PT_CORE_TYPE_PERFORMANCE
                                                  : PT_CORE_TYPE_EFFICIENCY;
}

static void
numa_node_free (PtNumaNode *node)
{
  g_clear_pointer (&node->cpus, g_array_unref);
  g_free (node);
}

/* NUMA nodes with their CPUs and memory; empty when the kernel has no node directory. */
static GPtrArray *
read_numa (PtSysroot *sysroot,
           GArray    *online)
{
  g_autoptr(GPtrArray) entries = pt_sysroot_list_dir (sysroot, NODE_DIR, NULL);
  GPtrArray *nodes = g_ptr_array_new_with_free_func ((GDestroyNotify) numa_node_free);

  if (entries == NULL)
    return nodes;

  for (guint i = 0; i < entries->len; i++)
    {
      const char *name = g_ptr_array_index (entries, i);
      g_autofree char *dir = NULL;
      g_autofree char *meminfo_path = NULL;
      g_autofree char *meminfo = NULL;
      g_autoptr(GArray) cpus = NULL;
      PtNumaNode *node;
      guint64 number;

      if (!g_str_has_prefix (name, "node") || !g_ascii_isdigit (name[4])
          || !pt_parse_uint64 (name + 4, 10, &number, NULL) || number > G_MAXINT)
        continue;

      dir = g_build_filename (NODE_DIR, name, NULL);
      cpus = read_cpu_set (sysroot, dir, "cpulist", "cpumap");
      node = g_new0 (PtNumaNode, 1);
      node->node = (int) number;
      node->cpus = new_cpu_array ();
      for (guint j = 0; cpus != NULL && j < cpus->len; j++)
        if (cpu_set_contains (online, g_array_index (cpus, guint, j)))
          g_array_append_val (node->cpus, g_array_index (cpus, guint, j));

      /* "Node 0 MemTotal:       16318880 kB" */
      meminfo_path = g_build_filename (dir, "meminfo", NULL);
      if (pt_sysroot_read_file (sysroot, meminfo_path, &meminfo, NULL, NULL))
        {
          g_auto(GStrv) lines = g_strsplit (meminfo, "\n", -1);

          for (guint j = 0; lines[j] != NULL; j++)
            {
              char *field = strstr (lines[j], "MemTotal:");
              g_auto(GStrv) words = NULL;

              if (field == NULL)
                continue;
              words = g_strsplit_set (g_strstrip (field + strlen ("MemTotal:")), " \t", -1);
              if (words[0] == NULL || !pt_parse_uint64 (words[0], 10, &node->memory_kib, NULL))
                node->memory_kib = 0;
              break;
            }
        }
      g_ptr_array_add (nodes, node);
    }
  return nodes;
}

static void
core_free (PtCpuCore *core)
{
  g_clear_pointer (&core->cpus, g_array_unref);
  g_free (core);
}

static void
cache_free (PtCpuCache *cache)
{
  g_clear_pointer (&cache->cpus, g_array_unref);
  g_free (cache);
}

static void
package_free (PtCpuPackage *package)
{
  g_clear_pointer (&package->cpus, g_array_unref);
  g_free (package);
}

static int
find_info (CpuInfo *infos,
           guint    n_infos,
           guint    cpu)
{
  for (guint i = 0; i < n_infos; i++)
    if (infos[i].cpu == cpu)
      return (int) i;
  return -1;
}

/* Partitions online CPUs into sets, visiting them in order: each unassigned CPU takes the
 * unassigned online members of @set_of (its sibling or L3 set). Inconsistent sysfs data still
 * yields a partition. Returns for each info the index of its set (-1 when @set_of is NULL). */
typedef GArray *(*SetOfFunc) (CpuInfo *info);

static GArray *
siblings_of (CpuInfo *info)
{
  return info->siblings;
}

static GArray *
l3_of (CpuInfo *info)
{
  return info->has_l3 ? info->l3_cpus : NULL;
}

static GPtrArray *
partition (CpuInfo   *infos,
           guint      n_infos,
           SetOfFunc  set_of,
           gboolean   require_set,
           int       *ret_set_index)
{
  GPtrArray *sets = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);

  for (guint i = 0; i < n_infos; i++)
    ret_set_index[i] = -1;

  for (guint i = 0; i < n_infos; i++)
    {
      GArray *members;
      GArray *set;

      if (ret_set_index[i] >= 0)
        continue;
      if (require_set && !infos[i].has_l3)
        continue;

      members = new_cpu_array ();
      g_array_append_val (members, infos[i].cpu);
      ret_set_index[i] = (int) sets->len;

      set = set_of (&infos[i]);
      for (guint j = 0; set != NULL && j < set->len; j++)
        {
          int k = find_info (infos, n_infos, g_array_index (set, guint, j));

          if (k < 0 || ret_set_index[k] >= 0)
            continue;
          if (require_set && !infos[k].has_l3)
            continue;
          ret_set_index[k] = (int) sets->len;
          g_array_append_val (members, infos[k].cpu);
        }
      /* Without a shared list, CPUs reporting the same L3 id in the same package share it. */
      if (require_set && set == NULL && infos[i].l3_id >= 0)
        for (guint k = i + 1; k < n_infos; k++)
          if (ret_set_index[k] < 0 && infos[k].has_l3 && infos[k].l3_cpus == NULL
              && infos[k].l3_id == infos[i].l3_id && infos[k].package == infos[i].package)
            {
              ret_set_index[k] = (int) sets->len;
              g_array_append_val (members, infos[k].cpu);
            }
      g_array_sort (members, compare_guint);
      g_ptr_array_add (sets, members);
    }
  return sets;
}

PtCpuTopology *
pt_cpu_topology_read (PtSysroot  *sysroot,
                      GError    **error)
{
  g_autoptr(PtCpuTopology) self = g_new0 (PtCpuTopology, 1);
  g_autoptr(GPtrArray) cpu_dirs = NULL;
  g_autoptr(GArray) present = NULL;
  g_autoptr(GPtrArray) core_sets = NULL;
  g_autoptr(GPtrArray) l3_sets = NULL;
  g_autofree int *core_of = NULL;
  g_autofree int *l3_index_of = NULL;
  CpuInfo *infos;
  guint n_infos;

  self->cores = g_ptr_array_new_with_free_func ((GDestroyNotify) core_free);
  self->l3 = g_ptr_array_new_with_free_func ((GDestroyNotify) cache_free);
  self->packages = g_ptr_array_new_with_free_func ((GDestroyNotify) package_free);

  cpu_dirs = list_cpu_dirs (sysroot, error);
  if (cpu_dirs == NULL)
    {
      g_prefix_error (error, "Cannot read the CPU topology: ");
      return NULL;
    }

  self->online = read_online (sysroot, cpu_dirs);
  if (self->online->len == 0)
    {
      g_set_error (error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_PARSE,
                   "Cannot read the CPU topology: no CPU is online in %s", CPU_DIR);
      return NULL;
    }

  /* Offline: present (else possible, else listed) CPUs that are not online. */
  present = read_cpu_set (sysroot, CPU_DIR, "present", NULL);
  if (present == NULL)
    present = read_cpu_set (sysroot, CPU_DIR, "possible", NULL);
  if (present == NULL)
    {
      present = new_cpu_array ();
      for (guint i = 0; i < cpu_dirs->len; i++)
        {
          guint cpu = (guint) g_ascii_strtoull ((char *) g_ptr_array_index (cpu_dirs, i) + 3,
                                                NULL, 10);
          g_array_append_val (present, cpu);
        }
    }
  self->offline = new_cpu_array ();
  for (guint i = 0; i < present->len; i++)
    if (!cpu_set_contains (self->online, g_array_index (present, guint, i)))
      g_array_append_val (self->offline, g_array_index (present, guint, i));

  read_cpuinfo (sysroot, self);

  n_infos = self->online->len;
  infos = g_new0 (CpuInfo, n_infos);
  for (guint i = 0; i < n_infos; i++)
    {
      infos[i].cpu = g_array_index (self->online, guint, i);
      read_cpu (sysroot, &infos[i]);
    }
  read_core_types (sysroot, infos, n_infos);

  self->numa = read_numa (sysroot, self->online);
  for (guint n = 0; n < self->numa->len; n++)
    {
      PtNumaNode *node = g_ptr_array_index (self->numa, n);

      for (guint j = 0; j < node->cpus->len; j++)
        {
          int k = find_info (infos, n_infos, g_array_index (node->cpus, guint, j));

          if (k >= 0 && infos[k].numa_node < 0)
            infos[k].numa_node = node->node;
        }
    }

  /* L3 domains, ordered by their first CPU. */
  l3_index_of = g_new (int, n_infos);
  l3_sets = partition (infos, n_infos, l3_of, TRUE, l3_index_of);
  for (guint s = 0; s < l3_sets->len; s++)
    {
      PtCpuCache *cache = g_new0 (PtCpuCache, 1);
      int first = -1;

      for (guint i = 0; i < n_infos && first < 0; i++)
        if (l3_index_of[i] == (int) s)
          first = (int) i;
      cache->index = s;
      cache->id = infos[first].l3_id >= 0 ? infos[first].l3_id : (int) s;
      cache->size_kib = infos[first].l3_size_kib;
      cache->cpus = g_array_ref (g_ptr_array_index (l3_sets, s));
      g_ptr_array_add (self->l3, cache);
    }

  /* Cores: SMT sibling sets. */
  core_of = g_new (int, n_infos);
  core_sets = partition (infos, n_infos, siblings_of, FALSE, core_of);
  for (guint s = 0; s < core_sets->len; s++)
    {
      PtCpuCore *core = g_new0 (PtCpuCore, 1);
      int first = -1;

      for (guint i = 0; i < n_infos && first < 0; i++)
        if (core_of[i] == (int) s)
          first = (int) i;
      core->index = s;
      core->package = infos[first].package;
      core->die = infos[first].die;
      core->core_id = infos[first].core_id;
      core->cpus = g_array_ref (g_ptr_array_index (core_sets, s));
      core->l3 = l3_index_of[first];
      core->numa_node = infos[first].numa_node;
      core->type = infos[first].type;
      g_ptr_array_add (self->cores, core);
    }

  /* Packages, ordered by id. */
  for (guint i = 0; i < n_infos; i++)
    {
      PtCpuPackage *package = NULL;

      for (guint p = 0; p < self->packages->len && package == NULL; p++)
        if (((PtCpuPackage *) g_ptr_array_index (self->packages, p))->id == infos[i].package)
          package = g_ptr_array_index (self->packages, p);
      if (package == NULL)
        {
          guint at = 0;

          package = g_new0 (PtCpuPackage, 1);
          package->id = infos[i].package;
          package->cpus = new_cpu_array ();
          while (at < self->packages->len
                 && ((PtCpuPackage *) g_ptr_array_index (self->packages, at))->id < package->id)
            at++;
          g_ptr_array_insert (self->packages, (int) at, package);
        }
      g_array_append_val (package->cpus, infos[i].cpu);
    }

  {
    gboolean has_p = FALSE, has_e = FALSE;

    for (guint c = 0; c < self->cores->len; c++)
      {
        PtCpuCore *core = g_ptr_array_index (self->cores, c);

        has_p |= core->type == PT_CORE_TYPE_PERFORMANCE;
        has_e |= core->type == PT_CORE_TYPE_EFFICIENCY;
      }
    self->hybrid = has_p && has_e;
  }

  for (guint i = 0; i < n_infos; i++)
    cpu_info_clear (&infos[i]);
  g_free (infos);

  return g_steal_pointer (&self);
}

void
pt_cpu_topology_free (PtCpuTopology *self)
{
  if (self == NULL)
    return;
  g_free (self->vendor);
  g_free (self->model);
  g_strfreev (self->flags);
  g_clear_pointer (&self->online, g_array_unref);
  g_clear_pointer (&self->offline, g_array_unref);
  g_clear_pointer (&self->cores, g_ptr_array_unref);
  g_clear_pointer (&self->l3, g_ptr_array_unref);
  g_clear_pointer (&self->numa, g_ptr_array_unref);
  g_clear_pointer (&self->packages, g_ptr_array_unref);
  g_free (self);
}

gboolean
pt_cpu_topology_has_flag (const PtCpuTopology *self,
                          const char          *flag)
{
  return self->flags != NULL && g_strv_contains ((const char * const *) self->flags, flag);
}

const PtCpuCore *
pt_cpu_topology_core_of (const PtCpuTopology *self,
                         guint                cpu)
{
  for (guint c = 0; c < self->cores->len; c++)
    {
      PtCpuCore *core = g_ptr_array_index (self->cores, c);

      if (cpu_set_contains (core->cpus, cpu))
        return core;
    }
  return NULL;
}

guint
pt_cpu_topology_smt_width (const PtCpuTopology *self)
{
  guint width = 1;

  for (guint c = 0; c < self->cores->len; c++)
    width = MAX (width, ((PtCpuCore *) g_ptr_array_index (self->cores, c))->cpus->len);
  return width;
}

const char *
pt_core_type_to_string (PtCoreType type)
{
  switch (type)
    {
    case PT_CORE_TYPE_PERFORMANCE:
      return "performance";
    case PT_CORE_TYPE_EFFICIENCY:
      return "efficiency";
    case PT_CORE_TYPE_UNKNOWN:
    default:
      return NULL;
    }
}
