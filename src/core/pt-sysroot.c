/* pt-sysroot.c: reading files below a root directory ("/" or a fixture tree), safely. */
#include "config.h"

#include "pt-sysroot.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__has_include) && __has_include(<linux/openat2.h>)
#include <linux/openat2.h>
#endif

/* The kernel's own limit on symlinks followed while resolving one path. */
#define MAX_SYMLINKS 40
/* Upper bound on CPU numbers accepted from cpulist/cpumask text; the kernel allows 8192. */
#define MAX_CPU_NUMBER (1u << 16)

#ifndef RESOLVE_IN_ROOT
#define RESOLVE_NO_MAGICLINKS 0x02
#define RESOLVE_IN_ROOT 0x10
struct open_how
{
  guint64 flags;
  guint64 mode;
  guint64 resolve;
};
#endif

#ifndef SYS_openat2
#define SYS_openat2 437
#endif

struct _PtSysroot
{
  gatomicrefcount ref_count;
  char *root;        /* absolute, without trailing slash except for "/" */
  int root_fd;
  gboolean has_openat2;
};

G_DEFINE_QUARK (pt-sysroot-error-quark, pt_sysroot_error)

static gboolean
is_sane_path (const char  *path,
              GError     **error)
{
  g_auto(GStrv) parts = NULL;

  if (path == NULL || path[0] != '/')
    {
      g_set_error (error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_INVALID_PATH,
                   "“%s” is not an absolute path", path ? path : "(null)");
      return FALSE;
    }

  parts = g_strsplit (path, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (g_str_equal (parts[i], ".."))
        {
          g_set_error (error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_INVALID_PATH,
                       "“%s” contains “..”", path);
          return FALSE;
        }
    }

  return TRUE;
}

/* "/sys/devices" → "sys/devices", "/" → "." — relative to root_fd. */
static const char *
relative_path (const char *path)
{
  while (*path == '/')
    path++;
  return *path ? path : ".";
}

PtSysroot *
pt_sysroot_new (const char  *root,
                GError     **error)
{
  g_autoptr(PtSysroot) self = NULL;
  g_autofree char *absolute = NULL;
  struct stat st;

  g_return_val_if_fail (root != NULL, NULL);

  absolute = g_canonicalize_filename (root, NULL);

  self = g_new0 (PtSysroot, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->root = g_steal_pointer (&absolute);
  self->root_fd = open (self->root, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (self->root_fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, PT_SYSROOT_ERROR,
                   saved_errno == ENOENT ? PT_SYSROOT_ERROR_NOT_FOUND : PT_SYSROOT_ERROR_IO,
                   "Cannot open the system root “%s”: %s", self->root, g_strerror (saved_errno));
      return NULL;
    }
  if (fstat (self->root_fd, &st) < 0 || !S_ISDIR (st.st_mode))
    {
      g_set_error (error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_INVALID_PATH,
                   "The system root “%s” is not a directory", self->root);
      return NULL;
    }

  {
    struct open_how how = { .flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_IN_ROOT };
    int fd = (int) syscall (SYS_openat2, self->root_fd, ".", &how, sizeof how);

    /* The environment switch lets the tests cover the fallback used on kernels before 5.6. */
    self->has_openat2 = fd >= 0 && g_getenv ("PT_SYSROOT_NO_OPENAT2") == NULL;
    if (fd >= 0)
      close (fd);
  }

  return g_steal_pointer (&self);
}

PtSysroot *
pt_sysroot_ref (PtSysroot *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
pt_sysroot_unref (PtSysroot *self)
{
  if (self == NULL)
    return;
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  if (self->root_fd >= 0)
    close (self->root_fd);
  g_free (self->root);
  g_free (self);
}

const char *
pt_sysroot_get_root (PtSysroot *self)
{
  return self->root;
}

gboolean
pt_sysroot_is_host (PtSysroot *self)
{
  return g_str_equal (self->root, "/");
}

char *
pt_sysroot_host_path (PtSysroot  *self,
                      const char *path)
{
  while (*path == '/')
    path++;
  return g_build_filename (self->root, path, NULL);
}

/* Pushes the components of @path onto the front of @queue (a stack: last element first). */
static void
push_components (GPtrArray  *queue,
                 const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);
  guint n = g_strv_length (parts);

  for (guint i = n; i > 0; i--)
    {
      const char *part = parts[i - 1];

      if (*part == '\0' || g_str_equal (part, "."))
        continue;
      g_ptr_array_add (queue, g_strdup (part));
    }
}

static char *
join_components (GPtrArray *resolved)
{
  GString *out = g_string_new ("");

  for (guint i = 0; i < resolved->len; i++)
    {
      g_string_append_c (out, '/');
      g_string_append (out, g_ptr_array_index (resolved, i));
    }
  if (out->len == 0)
    g_string_append_c (out, '/');
  return g_string_free (out, FALSE);
}

/*
 * Resolves @path like the kernel would if @self were "/": symlinks are followed, absolute
 * targets restart at the root, ".." in link targets stops at the root. @follow_last: whether a
 * symlink as the last component is followed. The result names only real directories and
 * (possibly) a last component that need not exist when @may_be_missing.
 */
static char *
resolve_internal (PtSysroot   *self,
                  const char  *path,
                  gboolean     follow_last,
                  GError     **error)
{
  g_autoptr(GPtrArray) queue = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) resolved = g_ptr_array_new_with_free_func (g_free);
  guint links_followed = 0;

  if (!is_sane_path (path, error))
    return NULL;

  push_components (queue, path);

  while (queue->len > 0)
    {
      g_autofree char *component = g_ptr_array_steal_index (queue, queue->len - 1);
      g_autofree char *candidate = NULL;
      struct stat st;
      gboolean is_last = queue->len == 0;

      if (g_str_equal (component, ".."))
        {
          if (resolved->len > 0)
            g_ptr_array_remove_index (resolved, resolved->len - 1);
          continue;
        }

      g_ptr_array_add (resolved, g_steal_pointer (&component));
      candidate = join_components (resolved);

      if (fstatat (self->root_fd, relative_path (candidate), &st, AT_SYMLINK_NOFOLLOW) < 0)
        {
          int saved_errno = errno;

          g_set_error (error, PT_SYSROOT_ERROR,
                       saved_errno == ENOENT || saved_errno == ENOTDIR
                         ? PT_SYSROOT_ERROR_NOT_FOUND : PT_SYSROOT_ERROR_IO,
                       "%s: %s", path, g_strerror (saved_errno));
          return NULL;
        }

      if (S_ISLNK (st.st_mode) && (follow_last || !is_last))
        {
          char target[PATH_MAX];
          ssize_t len;

          if (++links_followed > MAX_SYMLINKS)
            {
              g_set_error (error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_INVALID_PATH,
                           "%s: too many levels of symbolic links", path);
              return NULL;
            }
          len = readlinkat (self->root_fd, relative_path (candidate), target, sizeof target - 1);
          if (len < 0)
            {
              g_set_error (error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_IO,
                           "%s: %s", candidate, g_strerror (errno));
              return NULL;
            }
          target[len] = '\0';

          g_ptr_array_remove_index (resolved, resolved->len - 1);
          if (target[0] == '/')
            g_ptr_array_set_size (resolved, 0);
          push_components (queue, target);
        }
      else if (!is_last && !S_ISDIR (st.st_mode))
        {
          g_set_error (error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_NOT_FOUND,
                       "%s: %s is not a directory", path, candidate);
          return NULL;
        }
    }

  return join_components (resolved);
}

char *
pt_sysroot_resolve (PtSysroot   *self,
                    const char  *path,
                    GError     **error)
{
  return resolve_internal (self, path, TRUE, error);
}

/* Opens @path inside the root: atomically with openat2 (RESOLVE_IN_ROOT), else by resolving
 * the path first and refusing a symlink as the last step. */
static int
open_in_root (PtSysroot   *self,
              const char  *path,
              int          flags,
              GError     **error)
{
  g_autofree char *canonical = NULL;
  int fd;

  if (!is_sane_path (path, error))
    return -1;

  if (self->has_openat2)
    {
      struct open_how how = {
        .flags = (guint64) (flags | O_CLOEXEC),
        .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
      };

      do
        fd = (int) syscall (SYS_openat2, self->root_fd, relative_path (path), &how, sizeof how);
      while (fd < 0 && errno == EAGAIN);
    }
  else
    {
      canonical = resolve_internal (self, path, TRUE, error);
      if (canonical == NULL)
        return -1;
      fd = openat (self->root_fd, relative_path (canonical), flags | O_CLOEXEC | O_NOFOLLOW);
    }

  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, PT_SYSROOT_ERROR,
                   saved_errno == ENOENT || saved_errno == ENOTDIR
                     ? PT_SYSROOT_ERROR_NOT_FOUND : PT_SYSROOT_ERROR_IO,
                   "%s: %s", path, g_strerror (saved_errno));
    }
  return fd;
}

gboolean
pt_sysroot_exists (PtSysroot  *self,
                   const char *path)
{
  int fd = open_in_root (self, path, O_PATH, NULL);

  if (fd < 0)
    return FALSE;
  close (fd);
  return TRUE;
}

gboolean
pt_sysroot_is_dir (PtSysroot  *self,
                   const char *path)
{
  int fd = open_in_root (self, path, O_PATH | O_DIRECTORY, NULL);

  if (fd < 0)
    return FALSE;
  close (fd);
  return TRUE;
}

gboolean
pt_sysroot_read_file (PtSysroot   *self,
                      const char  *path,
                      char       **ret_contents,
                      gsize       *ret_length,
                      GError     **error)
{
  g_autoptr(GByteArray) buffer = NULL;
  struct stat st;
  int fd;

  /* O_NONBLOCK: a FIFO planted in a tree must not hang the reader. */
  fd = open_in_root (self, path, O_RDONLY | O_NOCTTY | O_NONBLOCK, error);
  if (fd < 0)
    return FALSE;

  if (fstat (fd, &st) < 0 || !S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error (error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_INVALID_PATH,
                   "%s: not a regular file", path);
      return FALSE;
    }

  buffer = g_byte_array_sized_new (4096);
  for (;;)
    {
      guint8 chunk[8192];
      ssize_t n = read (fd, chunk, sizeof chunk);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          close (fd);
          g_set_error (error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_IO,
                       "%s: %s", path, g_strerror (saved_errno));
          return FALSE;
        }
      if (n == 0)
        break;
      if (buffer->len + (gsize) n > PT_SYSROOT_MAX_FILE_SIZE)
        {
          close (fd);
          g_set_error (error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_TOO_LARGE,
                       "%s: larger than %d bytes", path, PT_SYSROOT_MAX_FILE_SIZE);
          return FALSE;
        }
      g_byte_array_append (buffer, chunk, (guint) n);
    }
  close (fd);

  if (ret_length != NULL)
    *ret_length = buffer->len;
  g_byte_array_append (buffer, (const guint8 *) "", 1);
  *ret_contents = (char *) g_byte_array_free (g_steal_pointer (&buffer), FALSE);
  return TRUE;
}

char *
pt_sysroot_read_line (PtSysroot   *self,
                      const char  *path,
                      GError     **error)
{
  g_autofree char *contents = NULL;
  char *newline;

  if (!pt_sysroot_read_file (self, path, &contents, NULL, error))
    return NULL;

  newline = strchr (contents, '\n');
  if (newline != NULL)
    *newline = '\0';
  return g_strdup (g_strstrip (contents));
}

gboolean
pt_sysroot_read_int64 (PtSysroot   *self,
                       const char  *path,
                       gint64      *ret_value,
                       GError     **error)
{
  g_autofree char *line = pt_sysroot_read_line (self, path, error);
  gint64 value;
  g_autoptr(GError) local_error = NULL;

  if (line == NULL)
    return FALSE;
  if (!pt_parse_int64 (line, &value, &local_error))
    {
      g_set_error (error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_PARSE,
                   "%s: %s", path, local_error->message);
      return FALSE;
    }
  *ret_value = value;
  return TRUE;
}

gboolean
pt_sysroot_read_hex (PtSysroot   *self,
                     const char  *path,
                     guint64     *ret_value,
                     GError     **error)
{
  g_autofree char *line = pt_sysroot_read_line (self, path, error);
  guint64 value;
  g_autoptr(GError) local_error = NULL;

  if (line == NULL)
    return FALSE;
  if (!pt_parse_uint64 (line, 16, &value, &local_error))
    {
      g_set_error (error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_PARSE,
                   "%s: %s", path, local_error->message);
      return FALSE;
    }
  *ret_value = value;
  return TRUE;
}

char *
pt_sysroot_read_link (PtSysroot   *self,
                      const char  *path,
                      GError     **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  char target[PATH_MAX];
  ssize_t len;
  int dir_fd;

  if (!is_sane_path (path, error))
    return NULL;

  dir = g_path_get_dirname (path);
  base = g_path_get_basename (path);
  dir_fd = open_in_root (self, dir, O_PATH | O_DIRECTORY, error);
  if (dir_fd < 0)
    return NULL;

  len = readlinkat (dir_fd, base, target, sizeof target - 1);
  if (len < 0)
    {
      int saved_errno = errno;

      close (dir_fd);
      g_set_error (error, PT_SYSROOT_ERROR,
                   saved_errno == ENOENT ? PT_SYSROOT_ERROR_NOT_FOUND
                   : saved_errno == EINVAL ? PT_SYSROOT_ERROR_INVALID_PATH
                   : PT_SYSROOT_ERROR_IO,
                   saved_errno == EINVAL ? "%s: not a symbolic link" : "%s: %s",
                   path, g_strerror (saved_errno));
      return NULL;
    }
  close (dir_fd);
  target[len] = '\0';
  return g_strdup (target);
}

char *
pt_sysroot_read_link_name (PtSysroot   *self,
                           const char  *path,
                           GError     **error)
{
  g_autofree char *target = pt_sysroot_read_link (self, path, error);
  const char *slash;

  if (target == NULL)
    return NULL;

  /* Trailing slashes are not part of a name. */
  while (strlen (target) > 1 && g_str_has_suffix (target, "/"))
    target[strlen (target) - 1] = '\0';

  slash = strrchr (target, '/');
  slash = slash ? slash + 1 : target;
  if (*slash == '\0' || g_str_equal (slash, "..") || g_str_equal (slash, "."))
    {
      g_set_error (error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_PARSE,
                   "%s: the link target “%s” names nothing", path, target);
      return NULL;
    }
  return g_strdup (slash);
}

static int
natural_compare_cb (gconstpointer a,
                    gconstpointer b)
{
  return pt_natural_compare (*(const char * const *) a, *(const char * const *) b);
}

GPtrArray *
pt_sysroot_list_dir (PtSysroot   *self,
                     const char  *path,
                     GError     **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  struct dirent *entry;
  DIR *dir;
  int fd;

  fd = open_in_root (self, path, O_RDONLY | O_DIRECTORY, error);
  if (fd < 0)
    return NULL;

  dir = fdopendir (fd);
  if (dir == NULL)
    {
      int saved_errno = errno;

      close (fd);
      g_set_error (error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_IO,
                   "%s: %s", path, g_strerror (saved_errno));
      return NULL;
    }

  while ((entry = readdir (dir)) != NULL)
    {
      if (g_str_equal (entry->d_name, ".") || g_str_equal (entry->d_name, ".."))
        continue;
      g_ptr_array_add (names, g_strdup (entry->d_name));
    }
  closedir (dir);

  g_ptr_array_sort (names, natural_compare_cb);
  return g_steal_pointer (&names);
}

/* --- checked parsers --- */

static gboolean
parse_error (GError    **error,
             const char *what,
             const char *text)
{
  g_autofree char *shown = g_strndup (text, 64);

  g_set_error (error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_PARSE,
               "“%s%s” is not %s", shown, strlen (text) > 64 ? "…" : "", what);
  return FALSE;
}

static int
compare_guint (gconstpointer a,
               gconstpointer b)
{
  guint x = *(const guint *) a;
  guint y = *(const guint *) b;

  return x < y ? -1 : x > y;
}

/* Sorts and drops duplicates. */
static void
normalize_cpu_set (GArray *cpus)
{
  guint out = 0;

  g_array_sort (cpus, compare_guint);
  for (guint i = 0; i < cpus->len; i++)
    {
      guint cpu = g_array_index (cpus, guint, i);

      if (out > 0 && g_array_index (cpus, guint, out - 1) == cpu)
        continue;
      g_array_index (cpus, guint, out++) = cpu;
    }
  g_array_set_size (cpus, out);
}

static gboolean
parse_cpu_number (const char *text,
                  guint      *ret_value)
{
  guint64 value;

  if (*text == '\0' || !g_ascii_isdigit (*text))
    return FALSE;
  if (!g_ascii_string_to_unsigned (text, 10, 0, MAX_CPU_NUMBER - 1, &value, NULL))
    return FALSE;
  *ret_value = (guint) value;
  return TRUE;
}

gboolean
pt_parse_cpu_list (const char  *text,
                   GArray     **ret_cpus,
                   GError     **error)
{
  g_autoptr(GArray) cpus = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree char *copy = g_strstrip (g_strdup (text));
  g_auto(GStrv) ranges = NULL;

  if (*copy == '\0')
    {
      *ret_cpus = g_steal_pointer (&cpus);
      return TRUE;
    }

  ranges = g_strsplit (copy, ",", -1);
  for (guint i = 0; ranges[i] != NULL; i++)
    {
      char *dash = strchr (ranges[i], '-');
      guint first, last;

      if (dash != NULL)
        {
          *dash = '\0';
          if (!parse_cpu_number (ranges[i], &first) || !parse_cpu_number (dash + 1, &last)
              || last < first)
            return parse_error (error, "a CPU list", text);
        }
      else
        {
          if (!parse_cpu_number (ranges[i], &first))
            return parse_error (error, "a CPU list", text);
          last = first;
        }

      for (guint cpu = first; cpu <= last; cpu++)
        g_array_append_val (cpus, cpu);
    }

  normalize_cpu_set (cpus);
  *ret_cpus = g_steal_pointer (&cpus);
  return TRUE;
}

gboolean
pt_parse_cpu_mask (const char  *text,
                   GArray     **ret_cpus,
                   GError     **error)
{
  g_autoptr(GArray) cpus = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree char *copy = g_strstrip (g_strdup (text));
  g_auto(GStrv) words = NULL;
  guint n_words;

  if (*copy == '\0')
    return parse_error (error, "a CPU mask", text);

  words = g_strsplit (copy, ",", -1);
  n_words = g_strv_length (words);
  if (n_words > MAX_CPU_NUMBER / 32)
    return parse_error (error, "a CPU mask", text);

  for (guint i = 0; i < n_words; i++)
    {
      const char *word = words[i];
      guint base_cpu = (n_words - 1 - i) * 32;
      guint64 value;
      gsize len = strlen (word);

      if (len == 0 || len > 8)
        return parse_error (error, "a CPU mask", text);
      for (gsize j = 0; j < len; j++)
        if (!g_ascii_isxdigit (word[j]))
          return parse_error (error, "a CPU mask", text);
      value = g_ascii_strtoull (word, NULL, 16);

      for (guint bit = 0; bit < 32; bit++)
        if (value & (G_GUINT64_CONSTANT (1) << bit))
          {
            guint cpu = base_cpu + bit;
            g_array_append_val (cpus, cpu);
          }
    }

  normalize_cpu_set (cpus);
  *ret_cpus = g_steal_pointer (&cpus);
  return TRUE;
}

gboolean
pt_parse_int64 (const char  *text,
                gint64      *ret_value,
                GError     **error)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));
  gint64 value;

  if (*copy == '\0' || !(g_ascii_isdigit (copy[0]) || (copy[0] == '-' && g_ascii_isdigit (copy[1])))
      || !g_ascii_string_to_signed (copy, 10, G_MININT64, G_MAXINT64, &value, NULL))
    return parse_error (error, "a number", text);
  *ret_value = value;
  return TRUE;
}

gboolean
pt_parse_uint64 (const char  *text,
                 guint        base,
                 guint64     *ret_value,
                 GError     **error)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));
  const char *digits = copy;
  guint64 value;

  g_return_val_if_fail (base == 10 || base == 16, FALSE);

  if (base == 16 && (g_str_has_prefix (digits, "0x") || g_str_has_prefix (digits, "0X")))
    digits += 2;
  if (*digits == '\0' || !(base == 16 ? g_ascii_isxdigit (*digits) : g_ascii_isdigit (*digits))
      || !g_ascii_string_to_unsigned (digits, base, 0, G_MAXUINT64, &value, NULL))
    return parse_error (error, base == 16 ? "a hexadecimal number" : "a number", text);
  *ret_value = value;
  return TRUE;
}

gboolean
pt_parse_size_kib (const char  *text,
                   guint64     *ret_kib,
                   GError     **error)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));
  gsize len = strlen (copy);
  guint64 multiplier_kib = 0;  /* 0: plain bytes */
  guint64 value;

  if (len > 0)
    {
      switch (g_ascii_toupper (copy[len - 1]))
        {
        case 'K': multiplier_kib = 1; break;
        case 'M': multiplier_kib = 1024; break;
        case 'G': multiplier_kib = 1024 * 1024; break;
        default: break;
        }
      if (multiplier_kib != 0)
        copy[len - 1] = '\0';
    }

  if (!pt_parse_uint64 (copy, 10, &value, NULL))
    return parse_error (error, "a size", text);

  if (multiplier_kib == 0)
    *ret_kib = value / 1024;
  else if (value > G_MAXUINT64 / multiplier_kib)
    return parse_error (error, "a size", text);
  else
    *ret_kib = value * multiplier_kib;
  return TRUE;
}

char *
pt_format_cpu_list (GArray *cpus)
{
  GString *out = g_string_new ("");
  guint i = 0;

  while (i < cpus->len)
    {
      guint first = g_array_index (cpus, guint, i);
      guint last = first;

      while (i + 1 < cpus->len && g_array_index (cpus, guint, i + 1) == last + 1)
        last = g_array_index (cpus, guint, ++i);
      i++;

      if (out->len > 0)
        g_string_append_c (out, ',');
      if (first == last)
        g_string_append_printf (out, "%u", first);
      else
        g_string_append_printf (out, "%u-%u", first, last);
    }
  return g_string_free (out, FALSE);
}

int
pt_natural_compare (const char *a,
                    const char *b)
{
  while (*a && *b)
    {
      if (g_ascii_isdigit (*a) && g_ascii_isdigit (*b))
        {
          const char *start_a, *start_b;
          gsize len_a, len_b;
          int cmp;

          while (*a == '0' && g_ascii_isdigit (a[1]))
            a++;
          while (*b == '0' && g_ascii_isdigit (b[1]))
            b++;
          start_a = a;
          start_b = b;
          while (g_ascii_isdigit (*a))
            a++;
          while (g_ascii_isdigit (*b))
            b++;
          len_a = a - start_a;
          len_b = b - start_b;
          if (len_a != len_b)
            return len_a < len_b ? -1 : 1;
          cmp = strncmp (start_a, start_b, len_a);
          if (cmp != 0)
            return cmp;
        }
      else
        {
          if (*a != *b)
            return (guchar) *a < (guchar) *b ? -1 : 1;
          a++;
          b++;
        }
    }
  return (guchar) *a - (guchar) *b;
}

gboolean
pt_path_is_plain (const char *path)
{
  g_auto(GStrv) parts = NULL;

  if (path == NULL || path[0] != '/' || strlen (path) > 4096 || !g_utf8_validate (path, -1, NULL))
    return FALSE;
  for (const char *p = path; *p != '\0'; p++)
    if (g_ascii_iscntrl (*p) || *p == '"' || *p == '\\')
      return FALSE;

  parts = g_strsplit (path, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (g_str_equal (parts[i], ".."))
      return FALSE;
  return TRUE;
}
