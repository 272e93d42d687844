/* pt-qemu-conf.c: adds device paths to qemu.conf's cgroup_device_acl, keeping the rest of the
 * file as it was. */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pt-qemu-conf.h"
#include "pt-sysroot.h"

G_DEFINE_QUARK (pt-qemu-conf-error-quark, pt_qemu_conf_error)

/* libvirt's cgroup_device_acl when qemu.conf does not set one (libvirt 9.0). */
static const char * const default_device_acl[] = {
  "/dev/null", "/dev/full", "/dev/zero", "/dev/random", "/dev/urandom", "/dev/ptmx", "/dev/kvm",
  NULL,
};

/* The span of an uncommented "cgroup_device_acl = [ ... ]" and its strings. */
typedef struct {
  gsize      start;    /* first byte of the line */
  gsize      end;      /* just past "]" */
  GPtrArray *entries;  /* char* */
} AclSpan;

static gboolean
find_device_acl (const char  *contents,
                 AclSpan     *span,
                 GError     **error)
{
  const char *line = contents;

  while (*line != '\0')
    {
      const char *p = line + strspn (line, " \t");
      const char *next = strchr (line, '\n');

      if (g_str_has_prefix (p, "cgroup_device_acl")
          && strchr (" \t=", p[strlen ("cgroup_device_acl")]) != NULL)
        {
          p += strlen ("cgroup_device_acl");
          p += strspn (p, " \t");
          if (*p != '=')
            goto malformed;
          p++;
          p += strspn (p, " \t\n");
          if (*p != '[')
            goto malformed;
          p++;

          span->start = line - contents;
          span->entries = g_ptr_array_new_with_free_func (g_free);
          while (*p != ']')
            {
              if (*p == '\0')
                goto malformed;
              if (*p == '#')
                {
                  /* A comment runs to the end of its line. */
                  p += strcspn (p, "\n");
                  continue;
                }
              if (*p == '"')
                {
                  const char *close = strchr (p + 1, '"');

                  if (close == NULL || memchr (p + 1, '\n', close - p - 1) != NULL)
                    goto malformed;
                  g_ptr_array_add (span->entries, g_strndup (p + 1, close - p - 1));
                  p = close + 1;
                  continue;
                }
              if (strchr (" \t\n,", *p) == NULL)
                goto malformed;
              p++;
            }
          span->end = p + 1 - contents;
          return TRUE;
        }

      if (next == NULL)
        break;
      line = next + 1;
    }

  span->entries = NULL;
  return TRUE;

malformed:
  g_clear_pointer (&span->entries, g_ptr_array_unref);
  g_set_error (error, PT_QEMU_CONF_ERROR, PT_QEMU_CONF_ERROR_PARSE,
               _("The cgroup_device_acl setting in qemu.conf could not be read; fix it by hand "
                 "(a list of quoted paths in square brackets)"));
  return FALSE;
}

static gboolean
contains_path (GPtrArray  *entries,
               const char *path)
{
  for (guint i = 0; i < entries->len; i++)
    if (g_str_equal (g_ptr_array_index (entries, i), path))
      return TRUE;
  return FALSE;
}

static void
append_acl_list (GString   *out,
                 GPtrArray *entries)
{
  g_string_append (out, "cgroup_device_acl = [\n");
  for (guint i = 0; i < entries->len; i++)
    g_string_append_printf (out, "    \"%s\"%s\n", (const char *) g_ptr_array_index (entries, i),
                            i + 1 < entries->len ? "," : "");
  g_string_append (out, "]");
}

char *
pt_qemu_conf_add_device_acl (const char          *contents,
                             const char * const  *paths,
                             GError             **error)
{
  AclSpan span = { 0 };
  g_autoptr(GPtrArray) entries = NULL;
  gboolean changed = FALSE;
  GString *out;

  g_return_val_if_fail (contents != NULL, NULL);

  for (guint i = 0; paths != NULL && paths[i] != NULL; i++)
    if (!pt_path_is_plain (paths[i]))
      {
        g_set_error (error, PT_QEMU_CONF_ERROR, PT_QEMU_CONF_ERROR_INVALID,
                     _("“%s” cannot go into qemu.conf: not an absolute device path"), paths[i]);
        return NULL;
      }

  if (!find_device_acl (contents, &span, error))
    return NULL;

  entries = span.entries != NULL ? span.entries : g_ptr_array_new_with_free_func (g_free);
  if (span.entries == NULL)
    for (guint i = 0; default_device_acl[i] != NULL; i++)
      g_ptr_array_add (entries, g_strdup (default_device_acl[i]));

  for (guint i = 0; paths != NULL && paths[i] != NULL; i++)
    if (!contains_path (entries, paths[i]))
      {
        g_ptr_array_add (entries, g_strdup (paths[i]));
        changed = TRUE;
      }

  if (!changed)
    return g_strdup (contents);

  out = g_string_new (NULL);
  if (span.entries != NULL)
    {
      g_string_append_len (out, contents, span.start);
      append_acl_list (out, entries);
      g_string_append (out, contents + span.end);
    }
  else
    {
      g_string_append (out, contents);
      if (out->len > 0 && out->str[out->len - 1] != '\n')
        g_string_append_c (out, '\n');
      g_string_append (out, "\n# Added by Passthrough: QEMU's input-linux reads these keyboards "
                            "and mice.\n# libvirt's own defaults come first.\n");
      append_acl_list (out, entries);
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}
