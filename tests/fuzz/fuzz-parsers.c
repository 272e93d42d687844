/* fuzz-parsers.c: libFuzzer target for the checked parsers of pt-sysroot.h, with round trips. */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <glib.h>

#include "pt-sysroot.h"

#include "pt-fuzz-common.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  pt_fuzz_quiet_logs ();
  return 0;
}

/* Every accepted set must come out sorted and without duplicates, as the header promises. */
static void
check_sorted_unique (const char *what,
                     GArray     *cpus)
{
  for (guint i = 1; i < cpus->len; i++)
    PT_FUZZ_CHECK (g_array_index (cpus, guint, i - 1) < g_array_index (cpus, guint, i),
                   "%s: CPUs %u and %u out of order", what,
                   g_array_index (cpus, guint, i - 1), g_array_index (cpus, guint, i));
}

static void
check_same_set (const char *what,
                GArray     *a,
                GArray     *b)
{
  PT_FUZZ_CHECK (a->len == b->len, "%s: %u CPUs became %u", what, a->len, b->len);
  for (guint i = 0; i < a->len; i++)
    PT_FUZZ_CHECK (g_array_index (a, guint, i) == g_array_index (b, guint, i),
                   "%s: CPU %u became %u", what,
                   g_array_index (a, guint, i), g_array_index (b, guint, i));
}

/* The kernel's mask format for a set: 32-bit hex words, most significant first. */
static char *
format_cpu_mask (GArray *cpus)
{
  g_autofree guint32 *words = NULL;
  guint n_words = 1;
  GString *mask = g_string_new (NULL);

  if (cpus->len > 0)
    n_words = g_array_index (cpus, guint, cpus->len - 1) / 32 + 1;
  words = g_new0 (guint32, n_words);
  for (guint i = 0; i < cpus->len; i++)
    {
      guint cpu = g_array_index (cpus, guint, i);

      words[cpu / 32] |= (guint32) 1 << (cpu % 32);
    }
  for (guint w = n_words; w > 0; w--)
    g_string_append_printf (mask, w == n_words ? "%08x" : ",%08x", words[w - 1]);

  return g_string_free (mask, FALSE);
}

/* An accepted set, written back as a list and as a mask, must read back as the same set. */
static void
check_cpu_set_round_trips (const char *what,
                           GArray     *cpus)
{
  g_autofree char *list = NULL;
  g_autofree char *mask = NULL;
  g_autoptr(GArray) from_list = NULL;
  g_autoptr(GArray) from_mask = NULL;
  g_autoptr(GError) error = NULL;

  check_sorted_unique (what, cpus);

  list = pt_format_cpu_list (cpus);
  PT_FUZZ_CHECK (list != NULL, "%s: no list for an accepted set", what);
  PT_FUZZ_CHECK (pt_parse_cpu_list (list, &from_list, &error),
                 "%s: own list \"%s\" refused: %s", what, list, PT_FUZZ_ERR (error));
  check_same_set (what, cpus, from_list);

  /* Masks of huge CPU numbers are long but legal; keep each run quick. */
  if (cpus->len > 0 && g_array_index (cpus, guint, cpus->len - 1) >= 1u << 16)
    return;
  mask = format_cpu_mask (cpus);
  PT_FUZZ_CHECK (pt_parse_cpu_mask (mask, &from_mask, &error),
                 "%s: own mask \"%s\" refused: %s", what, mask, PT_FUZZ_ERR (error));
  check_same_set (what, cpus, from_mask);
}

static void
fuzz_cpu_list (const char *text)
{
  g_autoptr(GArray) cpus = NULL;
  g_autoptr(GError) error = NULL;

  if (pt_parse_cpu_list (text, &cpus, &error))
    {
      PT_FUZZ_CHECK (cpus != NULL && error == NULL, "cpu list: success without a result");
      check_cpu_set_round_trips ("cpu list", cpus);
    }
  else
    {
      PT_FUZZ_CHECK (cpus == NULL, "cpu list: ret_cpus written on failure");
      PT_FUZZ_CHECK (g_error_matches (error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_PARSE),
                     "cpu list: failure without PT_SYSROOT_ERROR_PARSE");
    }
}

static void
fuzz_cpu_mask (const char *text)
{
  g_autoptr(GArray) cpus = NULL;
  g_autoptr(GError) error = NULL;

  if (pt_parse_cpu_mask (text, &cpus, &error))
    {
      PT_FUZZ_CHECK (cpus != NULL && error == NULL, "cpu mask: success without a result");
      check_cpu_set_round_trips ("cpu mask", cpus);
    }
  else
    {
      PT_FUZZ_CHECK (cpus == NULL, "cpu mask: ret_cpus written on failure");
      PT_FUZZ_CHECK (g_error_matches (error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_PARSE),
                     "cpu mask: failure without PT_SYSROOT_ERROR_PARSE");
    }
}

static void
fuzz_int64 (const char *text)
{
  gint64 value = 0;
  gint64 again = 0;
  g_autofree char *printed = NULL;
  g_autoptr(GError) error = NULL;

  if (!pt_parse_int64 (text, &value, &error))
    {
      PT_FUZZ_CHECK (g_error_matches (error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_PARSE),
                     "int64: failure without PT_SYSROOT_ERROR_PARSE");
      return;
    }
  printed = g_strdup_printf ("%" G_GINT64_FORMAT, value);
  PT_FUZZ_CHECK (pt_parse_int64 (printed, &again, &error),
                 "int64: \"%s\" refused: %s", printed, PT_FUZZ_ERR (error));
  PT_FUZZ_CHECK (again == value, "int64: \"%s\" read as %" G_GINT64_FORMAT, printed, again);
}

static void
fuzz_uint64 (const char *text,
             guint       base)
{
  guint64 value = 0;
  guint64 again = 0;
  g_autofree char *printed = NULL;
  g_autoptr(GError) error = NULL;

  if (!pt_parse_uint64 (text, base, &value, &error))
    {
      PT_FUZZ_CHECK (g_error_matches (error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_PARSE),
                     "uint64 base %u: failure without PT_SYSROOT_ERROR_PARSE", base);
      return;
    }
  if (base == 16)
    printed = g_strdup_printf ("%" G_GINT64_MODIFIER "x", value);
  else
    printed = g_strdup_printf ("%" G_GUINT64_FORMAT, value);
  PT_FUZZ_CHECK (pt_parse_uint64 (printed, base, &again, &error),
                 "uint64 base %u: \"%s\" refused: %s", base, printed, PT_FUZZ_ERR (error));
  PT_FUZZ_CHECK (again == value, "uint64 base %u: \"%s\" read as %" G_GUINT64_FORMAT,
                 base, printed, again);
}

static void
fuzz_size_kib (const char *text)
{
  guint64 kib = 0;
  guint64 again = 0;
  g_autofree char *printed = NULL;
  g_autoptr(GError) error = NULL;

  if (!pt_parse_size_kib (text, &kib, &error))
    {
      PT_FUZZ_CHECK (g_error_matches (error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_PARSE),
                     "size: failure without PT_SYSROOT_ERROR_PARSE");
      return;
    }
  /* Any size read, written in KiB as sysfs writes cache sizes, reads back unchanged. */
  printed = g_strdup_printf ("%" G_GUINT64_FORMAT "K", kib);
  PT_FUZZ_CHECK (pt_parse_size_kib (printed, &again, &error),
                 "size: \"%s\" refused: %s", printed, PT_FUZZ_ERR (error));
  PT_FUZZ_CHECK (again == kib, "size: \"%s\" read as %" G_GUINT64_FORMAT " KiB", printed, again);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  /* Files are read as NUL-terminated text: whatever follows a NUL is never seen. */
  g_autofree char *text = g_strndup ((const char *) data, size);

  fuzz_cpu_list (text);
  fuzz_cpu_mask (text);
  fuzz_int64 (text);
  fuzz_uint64 (text, 10);
  fuzz_uint64 (text, 16);
  fuzz_size_kib (text);

  return 0;
}
