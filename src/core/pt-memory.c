/* pt-memory.c: RAM and hugepage pools of a host, from /proc/meminfo and sysfs. */
#include "config.h"

#include "pt-memory.h"

#include <string.h>

static void
hugepage_pool_free (PtHugepagePool *pool)
{
  if (pool == NULL)
    return;
  g_clear_pointer (&pool->per_node, g_array_unref);
  g_free (pool);
}

void
pt_memory_free (PtMemory *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->hugepages, g_ptr_array_unref);
  g_free (self);
}

typedef struct {
  const char *key;
  guint64    *value;
  gboolean    found;
} MeminfoField;

/* "MemTotal:       16318880 kB" lines; only the keys in @fields are checked. */
static gboolean
parse_meminfo (const char    *contents,
               MeminfoField  *fields,
               gsize          n_fields,
               GError       **error)
{
  g_auto(GStrv) lines = g_strsplit (contents, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *colon = strchr (lines[i], ':');
      char *value;

      if (colon == NULL)
        continue;
      *colon = '\0';
      value = g_strstrip (colon + 1);
      if (g_str_has_suffix (value, " kB"))
        value[strlen (value) - 3] = '\0';

      for (gsize f = 0; f < n_fields; f++)
        {
          g_autoptr(GError) local_error = NULL;

          if (!g_str_equal (lines[i], fields[f].key))
            continue;
          if (!pt_parse_uint64 (value, 10, fields[f].value, &local_error))
            {
              g_set_error (error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_PARSE,
                           "/proc/meminfo: %s: %s", fields[f].key, local_error->message);
              return FALSE;
            }
          fields[f].found = TRUE;
        }
    }
  return TRUE;
}

/* "hugepages-2048kB" → 2048 */
static gboolean
parse_pool_name (const char *name,
                 guint64    *ret_size_kib)
{
  g_autofree char *digits = NULL;
  gsize len = strlen (name);

  if (!g_str_has_prefix (name, "hugepages-") || !g_str_has_suffix (name, "kB")
      || len <= strlen ("hugepages-") + strlen ("kB"))
    return FALSE;
  digits = g_strndup (name + strlen ("hugepages-"), len - strlen ("hugepages-") - strlen ("kB"));
  return pt_parse_uint64 (digits, 10, ret_size_kib, NULL) && *ret_size_kib > 0;
}

static gboolean
read_counts (PtSysroot   *sysroot,
             const char  *pool_dir,
             guint64     *ret_total,
             guint64     *ret_free,
             GError     **error)
{
  g_autofree char *total_path = g_strconcat (pool_dir, "/nr_hugepages", NULL);
  g_autofree char *free_path = g_strconcat (pool_dir, "/free_hugepages", NULL);
  gint64 total, free_pages;

  if (!pt_sysroot_read_int64 (sysroot, total_path, &total, error)
      || !pt_sysroot_read_int64 (sysroot, free_path, &free_pages, error))
    return FALSE;
  if (total < 0 || free_pages < 0)
    {
      g_set_error (error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_PARSE,
                   "%s: negative page counts", pool_dir);
      return FALSE;
    }
  *ret_total = (guint64) total;
  *ret_free = (guint64) free_pages;
  return TRUE;
}

/* The names of the folders in @dir; an empty list when it does not exist. */
static GPtrArray *
list_optional_dir (PtSysroot   *sysroot,
                   const char  *dir,
                   GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  GPtrArray *entries = pt_sysroot_list_dir (sysroot, dir, &local_error);

  if (entries != NULL)
    return entries;
  if (g_error_matches (local_error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_NOT_FOUND))
    return g_ptr_array_new_with_free_func (g_free);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

static PtHugepagePool *
find_pool (GPtrArray *pools,
           guint64    size_kib)
{
  for (guint i = 0; i < pools->len; i++)
    {
      PtHugepagePool *pool = g_ptr_array_index (pools, i);

      if (pool->size_kib == size_kib)
        return pool;
    }
  return NULL;
}

static gboolean
read_pools (PtSysroot   *sysroot,
            GPtrArray   *pools,
            GError     **error)
{
  g_autoptr(GPtrArray) entries = list_optional_dir (sysroot, "/sys/kernel/mm/hugepages", error);

  if (entries == NULL)
    return FALSE;

  for (guint i = 0; i < entries->len; i++)
    {
      const char *name = g_ptr_array_index (entries, i);
      g_autofree char *pool_dir = g_strconcat ("/sys/kernel/mm/hugepages/", name, NULL);
      PtHugepagePool *pool;
      guint64 size_kib;

      if (!parse_pool_name (name, &size_kib))
        continue;

      pool = g_new0 (PtHugepagePool, 1);
      pool->size_kib = size_kib;
      pool->per_node = g_array_new (FALSE, TRUE, sizeof (PtHugepageNode));
      g_ptr_array_add (pools, pool);
      if (!read_counts (sysroot, pool_dir, &pool->total, &pool->free, error))
        return FALSE;
    }
  return TRUE;
}

/* /sys/devices/system/node/nodeN/hugepages/hugepages-<size>kB for every node. */
static gboolean
read_node_pools (PtSysroot   *sysroot,
                 GPtrArray   *pools,
                 GError     **error)
{
  g_autoptr(GPtrArray) nodes = list_optional_dir (sysroot, "/sys/devices/system/node", error);

  if (nodes == NULL)
    return FALSE;

  /* list_dir sorts naturally, so node2 comes before node10 and per_node stays sorted. */
  for (guint i = 0; i < nodes->len; i++)
    {
      const char *name = g_ptr_array_index (nodes, i);
      g_autofree char *dir = NULL;
      g_autoptr(GPtrArray) entries = NULL;
      gint64 node;

      if (!g_str_has_prefix (name, "node") || !g_ascii_isdigit (name[4])
          || !pt_parse_int64 (name + 4, &node, NULL) || node > G_MAXINT)
        continue;

      dir = g_strconcat ("/sys/devices/system/node/", name, "/hugepages", NULL);
      entries = list_optional_dir (sysroot, dir, error);
      if (entries == NULL)
        return FALSE;

      for (guint j = 0; j < entries->len; j++)
        {
          const char *pool_name = g_ptr_array_index (entries, j);
          g_autofree char *pool_dir = g_strconcat (dir, "/", pool_name, NULL);
          PtHugepageNode entry = { .node = (int) node };
          PtHugepagePool *pool;
          guint64 size_kib;

          if (!parse_pool_name (pool_name, &size_kib))
            continue;
          /* A node pool of a size the kernel does not list globally cannot be used. */
          pool = find_pool (pools, size_kib);
          if (pool == NULL)
            continue;
          if (!read_counts (sysroot, pool_dir, &entry.total, &entry.free, error))
            return FALSE;
          g_array_append_val (pool->per_node, entry);
        }
    }
  return TRUE;
}

static int
compare_pools_cb (gconstpointer a,
                  gconstpointer b)
{
  const PtHugepagePool *x = *(const PtHugepagePool * const *) a;
  const PtHugepagePool *y = *(const PtHugepagePool * const *) b;

  return x->size_kib < y->size_kib ? -1 : x->size_kib > y->size_kib;
}

PtMemory *
pt_memory_read (PtSysroot  *sysroot,
                GError    **error)
{
  g_autoptr(PtMemory) self = g_new0 (PtMemory, 1);
  g_autofree char *meminfo = NULL;
  g_autoptr(GError) local_error = NULL;
  MeminfoField fields[] = {
    { "MemTotal", &self->total_kib, FALSE },
    { "MemFree", &self->free_kib, FALSE },
    { "MemAvailable", &self->available_kib, FALSE },
    { "SwapTotal", &self->swap_total_kib, FALSE },
    { "Hugepagesize", &self->default_hugepage_kib, FALSE },
  };

  g_return_val_if_fail (sysroot != NULL, NULL);

  self->hugepages = g_ptr_array_new_with_free_func ((GDestroyNotify) hugepage_pool_free);

  if (!pt_sysroot_read_file (sysroot, "/proc/meminfo", &meminfo, NULL, &local_error))
    {
      g_set_error (error, PT_SYSROOT_ERROR, local_error->code,
                   "Cannot read the host's memory size: %s", local_error->message);
      return NULL;
    }
  if (!parse_meminfo (meminfo, fields, G_N_ELEMENTS (fields), error))
    return NULL;
  if (!fields[0].found)
    {
      g_set_error (error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_PARSE,
                   "/proc/meminfo has no MemTotal line");
      return NULL;
    }
  /* Kernels before 3.14 do not estimate the available memory. */
  if (!fields[2].found)
    self->available_kib = self->free_kib;

  if (!read_pools (sysroot, self->hugepages, error)
      || !read_node_pools (sysroot, self->hugepages, error))
    return NULL;

  g_ptr_array_sort (self->hugepages, compare_pools_cb);
  return g_steal_pointer (&self);
}
