/* pt-kmod.c: modalias → module lookups in a host's /lib/modules, with libkmod and text indexes. */
#include "config.h"

#include "pt-kmod.h"

#include <fnmatch.h>
#include <libkmod.h>
#include <string.h>

#define MAX_MODULE_NAME 56

typedef struct {
  char *pattern;   /* "pci:v000010DEd*sv*sd*bc03sc*i*" */
  char *module;    /* normalized */
} AliasEntry;

typedef struct {
  char             *version;
  char             *dir;          /* "/lib/modules/6.1.0-13-amd64", as seen on the host */
  struct kmod_ctx  *ctx;          /* NULL when libkmod could not start */
  gboolean          has_binary;   /* depmod's modules.alias.bin is there */
  GPtrArray        *aliases;      /* AliasEntry*, from the text modules.alias; NULL until read */
  GHashTable       *builtin;      /* normalized names; NULL until read */
  GHashTable       *loadable;     /* normalized names from modules.dep; NULL until read */
} KernelIndex;

struct _PtKmod
{
  PtSysroot  *sysroot;
  GPtrArray  *kernels;   /* KernelIndex* */
  char      **versions;
};

static void
alias_entry_free (AliasEntry *entry)
{
  g_free (entry->pattern);
  g_free (entry->module);
  g_free (entry);
}

static void
kernel_index_free (KernelIndex *index)
{
  g_free (index->version);
  g_free (index->dir);
  if (index->ctx != NULL)
    kmod_unref (index->ctx);
  g_clear_pointer (&index->aliases, g_ptr_array_unref);
  g_clear_pointer (&index->builtin, g_hash_table_unref);
  g_clear_pointer (&index->loadable, g_hash_table_unref);
  g_free (index);
}

void
pt_kmod_free (PtKmod *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->kernels, g_ptr_array_unref);
  g_clear_pointer (&self->sysroot, pt_sysroot_unref);
  g_strfreev (self->versions);
  g_free (self);
}

char *
pt_kmod_normalize_name (const char *name)
{
  char *normalized = g_strdup (name);

  g_strdelimit (normalized, "-", '_');
  return normalized;
}

gboolean
pt_kmod_is_valid_name (const char *name)
{
  gsize len;

  if (name == NULL)
    return FALSE;
  len = strlen (name);
  if (len == 0 || len > MAX_MODULE_NAME)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (name[i]) && name[i] != '_' && name[i] != '-')
      return FALSE;
  return TRUE;
}

gboolean
pt_kmod_kernel_older_than (const char *version,
                           guint       major,
                           guint       minor)
{
  guint64 v_major, v_minor;
  const char *p = version;
  const char *start;
  g_autofree char *major_text = NULL;
  g_autofree char *minor_text = NULL;

  if (version == NULL)
    return FALSE;
  for (start = p; g_ascii_isdigit (*p); p++)
    ;
  if (p == start || *p != '.')
    return FALSE;
  major_text = g_strndup (start, p - start);
  p++;
  for (start = p; g_ascii_isdigit (*p); p++)
    ;
  if (p == start)
    return FALSE;
  minor_text = g_strndup (start, p - start);
  if (!pt_parse_uint64 (major_text, 10, &v_major, NULL)
      || !pt_parse_uint64 (minor_text, 10, &v_minor, NULL))
    return FALSE;

  return v_major < major || (v_major == major && v_minor < minor);
}

/* "kernel/drivers/vfio/pci/vfio-pci.ko.xz" → "vfio_pci". */
static char *
module_name_from_path (const char *path)
{
  g_autofree char *base = g_path_get_basename (path);
  char *ko = strstr (base, ".ko");

  if (ko == NULL || (ko[3] != '\0' && ko[3] != '.'))
    return NULL;
  *ko = '\0';
  return pt_kmod_normalize_name (base);
}

static void kmod_log_cb (void *data, int priority, const char *file, int line, const char *fn,
                         const char *format, va_list args) G_GNUC_PRINTF (6, 0);

static void
kmod_log_cb (void       *data,
             int         priority,
             const char *file,
             int         line,
             const char *fn,
             const char *format,
             va_list     args)
{
  g_autofree char *message = NULL;

  /* A host without depmod's indexes is normal here; the text files are read instead. The
   * message only matters when debugging. */
  message = g_strdup_vprintf (format, args);
  g_debug ("libkmod: %s", g_strchomp (message));
}

/* modprobe.d folders of the sysroot, so that a fixture's aliases and blacklists count, not the
 * running machine's. */
static char **
config_paths (PtSysroot *sysroot)
{
  static const char * const dirs[] = {
    "/etc/modprobe.d", "/run/modprobe.d", "/usr/local/lib/modprobe.d", "/usr/lib/modprobe.d",
    "/lib/modprobe.d",
  };
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *resolved = pt_sysroot_resolve (sysroot, dirs[i], NULL);

      if (resolved != NULL && pt_sysroot_is_dir (sysroot, resolved))
        g_ptr_array_add (paths, pt_sysroot_host_path (sysroot, resolved));
    }
  g_ptr_array_add (paths, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&paths), FALSE);
}

const char *
pt_kmod_modules_dir (PtSysroot *sysroot)
{
  if (pt_sysroot_is_dir (sysroot, "/lib/modules"))
    return "/lib/modules";
  if (pt_sysroot_is_dir (sysroot, "/usr/lib/modules"))
    return "/usr/lib/modules";
  return NULL;
}

PtKmod *
pt_kmod_new (PtSysroot          *sysroot,
             const char * const *kernels)
{
  g_autoptr(PtKmod) self = g_new0 (PtKmod, 1);
  g_autoptr(GPtrArray) versions = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) configs = NULL;
  const char *dir;

  g_return_val_if_fail (sysroot != NULL, NULL);

  self->sysroot = pt_sysroot_ref (sysroot);
  self->kernels = g_ptr_array_new_with_free_func ((GDestroyNotify) kernel_index_free);
  dir = pt_kmod_modules_dir (sysroot);

  if (kernels != NULL)
    {
      for (guint i = 0; kernels[i] != NULL; i++)
        if (kernels[i][0] != '\0' && strchr (kernels[i], '/') == NULL
            && !g_str_equal (kernels[i], ".."))
          g_ptr_array_add (versions, g_strdup (kernels[i]));
    }
  else if (dir != NULL)
    {
      g_autoptr(GPtrArray) entries = pt_sysroot_list_dir (sysroot, dir, NULL);

      for (guint i = 0; entries != NULL && i < entries->len; i++)
        {
          const char *name = g_ptr_array_index (entries, i);
          g_autofree char *path = g_strconcat (dir, "/", name, NULL);

          if (pt_sysroot_is_dir (sysroot, path))
            g_ptr_array_add (versions, g_strdup (name));
        }
    }

  configs = config_paths (sysroot);
  for (guint i = 0; i < versions->len; i++)
    {
      KernelIndex *index = g_new0 (KernelIndex, 1);
      g_autofree char *resolved = NULL;
      g_autofree char *binary = NULL;

      index->version = g_strdup (g_ptr_array_index (versions, i));
      g_ptr_array_add (self->kernels, index);
      if (dir == NULL)
        continue;

      index->dir = g_strconcat (dir, "/", index->version, NULL);
      binary = g_strconcat (index->dir, "/modules.alias.bin", NULL);
      index->has_binary = pt_sysroot_exists (sysroot, binary);

      /* libkmod opens files by path: give it the real folder, resolved inside the root. */
      resolved = pt_sysroot_resolve (sysroot, index->dir, NULL);
      if (resolved != NULL && pt_sysroot_is_dir (sysroot, resolved))
        {
          g_autofree char *host_dir = pt_sysroot_host_path (sysroot, resolved);

          index->ctx = kmod_new (host_dir, (const char * const *) configs);
          if (index->ctx != NULL)
            {
              kmod_set_log_fn (index->ctx, kmod_log_cb, NULL);
              kmod_set_log_priority (index->ctx, 7);
            }
        }
    }

  g_ptr_array_add (versions, NULL);
  self->versions = (char **) g_ptr_array_free (g_steal_pointer (&versions), FALSE);
  return g_steal_pointer (&self);
}

const char * const *
pt_kmod_get_kernels (PtKmod *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return (const char * const *) self->versions;
}

static GStrv
read_lines (PtSysroot  *sysroot,
            const char *path)
{
  g_autofree char *contents = NULL;

  if (!pt_sysroot_read_file (sysroot, path, &contents, NULL, NULL))
    return NULL;
  return g_strsplit (contents, "\n", -1);
}

/* "alias <pattern> <module>" lines, as depmod writes them. */
static void
load_text_aliases (PtKmod      *self,
                   KernelIndex *index)
{
  g_autofree char *path = NULL;
  g_auto(GStrv) lines = NULL;

  if (index->aliases != NULL)
    return;
  index->aliases = g_ptr_array_new_with_free_func ((GDestroyNotify) alias_entry_free);
  if (index->dir == NULL)
    return;

  path = g_strconcat (index->dir, "/modules.alias", NULL);
  lines = read_lines (self->sysroot, path);
  for (guint i = 0; lines != NULL && lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = NULL;
      AliasEntry *entry;

      if (!g_str_has_prefix (lines[i], "alias "))
        continue;
      fields = g_strsplit_set (g_strstrip (lines[i]), " \t", -1);
      if (g_strv_length (fields) != 3 || !pt_kmod_is_valid_name (fields[2]))
        continue;

      entry = g_new0 (AliasEntry, 1);
      entry->pattern = g_strdup (fields[1]);
      entry->module = pt_kmod_normalize_name (fields[2]);
      g_ptr_array_add (index->aliases, entry);
    }
}

static void
lookup_libkmod (KernelIndex *index,
                const char  *modalias,
                GHashTable  *found)
{
  struct kmod_list *list = NULL;
  struct kmod_list *item;

  if (index->ctx == NULL || kmod_module_new_from_lookup (index->ctx, modalias, &list) < 0)
    return;

  kmod_list_foreach (item, list)
    {
      struct kmod_module *module = kmod_module_get_module (item);
      const char *name = kmod_module_get_name (module);

      if (pt_kmod_is_valid_name (name))
        g_hash_table_add (found, pt_kmod_normalize_name (name));
      kmod_module_unref (module);
    }
  kmod_module_unref_list (list);
}

static int
compare_strings_cb (gconstpointer a,
                    gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static GStrv
sorted_keys (GHashTable *set)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, set);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (names, g_strdup (key));
  g_ptr_array_sort (names, compare_strings_cb);
  g_ptr_array_add (names, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

GStrv
pt_kmod_lookup (PtKmod     *self,
                const char *modalias)
{
  g_autoptr(GHashTable) found = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_return_val_if_fail (self != NULL, NULL);

  if (modalias == NULL || modalias[0] == '\0')
    return g_new0 (char *, 1);

  for (guint i = 0; i < self->kernels->len; i++)
    {
      KernelIndex *index = g_ptr_array_index (self->kernels, i);

      /* libkmod also knows aliases from modprobe.d and built-in modules. */
      lookup_libkmod (index, modalias, found);
      if (index->has_binary)
        continue;

      load_text_aliases (self, index);
      for (guint j = 0; j < index->aliases->len; j++)
        {
          AliasEntry *entry = g_ptr_array_index (index->aliases, j);

          if (fnmatch (entry->pattern, modalias, 0) == 0)
            g_hash_table_add (found, g_strdup (entry->module));
        }
    }

  return sorted_keys (found);
}

/* Names of the modules listed in modules.builtin or modules.dep ("path: deps"). */
static GHashTable *
read_module_list (PtSysroot  *sysroot,
                  const char *path)
{
  GHashTable *names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) lines = read_lines (sysroot, path);

  for (guint i = 0; lines != NULL && lines[i] != NULL; i++)
    {
      char *colon = strchr (lines[i], ':');
      char *name;

      if (colon != NULL)
        *colon = '\0';
      name = module_name_from_path (g_strstrip (lines[i]));
      if (name != NULL)
        g_hash_table_add (names, name);
    }
  return names;
}

PtModuleState
pt_kmod_module_state (PtKmod     *self,
                      const char *kernel,
                      const char *module)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (self != NULL, PT_MODULE_MISSING);
  g_return_val_if_fail (module != NULL, PT_MODULE_MISSING);

  name = pt_kmod_normalize_name (module);
  for (guint i = 0; i < self->kernels->len; i++)
    {
      KernelIndex *index = g_ptr_array_index (self->kernels, i);

      if (g_strcmp0 (index->version, kernel) != 0 || index->dir == NULL)
        continue;

      if (index->builtin == NULL)
        {
          g_autofree char *builtin = g_strconcat (index->dir, "/modules.builtin", NULL);
          g_autofree char *dep = g_strconcat (index->dir, "/modules.dep", NULL);

          index->builtin = read_module_list (self->sysroot, builtin);
          index->loadable = read_module_list (self->sysroot, dep);
        }
      if (g_hash_table_contains (index->builtin, name))
        return PT_MODULE_BUILTIN;
      if (g_hash_table_contains (index->loadable, name))
        return PT_MODULE_LOADABLE;
    }
  return PT_MODULE_MISSING;
}

char *
pt_kmod_driver_module (PtSysroot  *sysroot,
                       const char *driver)
{
  g_autofree char *link = NULL;
  g_autofree char *module = NULL;

  g_return_val_if_fail (sysroot != NULL, NULL);

  if (driver == NULL || !pt_kmod_is_valid_name (driver))
    return NULL;

  link = g_strconcat ("/sys/bus/pci/drivers/", driver, "/module", NULL);
  module = pt_sysroot_read_link_name (sysroot, link, NULL);
  if (module != NULL && pt_kmod_is_valid_name (module))
    return pt_kmod_normalize_name (module);
  return pt_kmod_normalize_name (driver);
}
