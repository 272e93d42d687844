/* pt-test-utils.c: shared helpers for the test programs: fixture paths and JSON comparison. */
#include "pt-test-utils.h"

#include <sys/wait.h>
#include <unistd.h>

#include "pt-sysroot.h"

char *
pt_test_fixture_path (const char *name)
{
  const char *dir = g_getenv ("PT_FIXTURES_DIR");

  if (dir != NULL)
    return g_build_filename (dir, name, NULL);
  return g_test_build_filename (G_TEST_DIST, "fixtures", name, NULL);
}

static int
compare_names_cb (gconstpointer a,
                  gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

char **
pt_test_fixture_names (void)
{
  g_autofree char *dir_path = pt_test_fixture_path (".");
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, &error);
  const char *name;

  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *sys = g_build_filename (dir_path, name, "sys", NULL);

      if (g_file_test (sys, G_FILE_TEST_IS_DIR))
        g_ptr_array_add (names, g_strdup (name));
    }
  g_ptr_array_sort (names, compare_names_cb);
  g_ptr_array_add (names, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

JsonNode *
pt_test_load_json (const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  if (!json_parser_load_from_file (parser, path, &error))
    g_error ("Cannot parse %s: %s", path, error->message);
  return json_node_copy (json_parser_get_root (parser));
}

static char *
describe (JsonNode *node)
{
  if (node == NULL)
    return g_strdup ("nothing");
  return json_to_string (node, FALSE);
}

static char *
diff_at (const char *where,
         JsonNode   *expected,
         JsonNode   *actual)
{
  JsonNodeType type = json_node_get_node_type (expected);

  if (actual == NULL || json_node_get_node_type (actual) != type)
    {
      g_autofree char *e = describe (expected);
      g_autofree char *a = describe (actual);
      return g_strdup_printf ("%s: expected %s, got %s", where, e, a);
    }

  switch (type)
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *eo = json_node_get_object (expected);
        JsonObject *ao = json_node_get_object (actual);
        g_autoptr(GList) emembers = json_object_get_members (eo);
        g_autoptr(GList) amembers = json_object_get_members (ao);

        for (GList *l = emembers; l != NULL; l = l->next)
          {
            g_autofree char *sub = g_strdup_printf ("%s.%s", where, (const char *) l->data);
            char *d = diff_at (sub, json_object_get_member (eo, l->data),
                               json_object_get_member (ao, l->data));
            if (d != NULL)
              return d;
          }
        for (GList *l = amembers; l != NULL; l = l->next)
          if (!json_object_has_member (eo, l->data))
            return g_strdup_printf ("%s: unexpected key “%s”", where, (const char *) l->data);
        return NULL;
      }

    case JSON_NODE_ARRAY:
      {
        JsonArray *ea = json_node_get_array (expected);
        JsonArray *aa = json_node_get_array (actual);
        guint n = MIN (json_array_get_length (ea), json_array_get_length (aa));

        for (guint i = 0; i < n; i++)
          {
            g_autofree char *sub = g_strdup_printf ("%s[%u]", where, i);
            char *d = diff_at (sub, json_array_get_element (ea, i), json_array_get_element (aa, i));
            if (d != NULL)
              return d;
          }
        if (json_array_get_length (ea) != json_array_get_length (aa))
          {
            g_autofree char *e = describe (expected);
            g_autofree char *a = describe (actual);
            return g_strdup_printf ("%s: expected %u elements, got %u (expected %s, got %s)",
                                    where, json_array_get_length (ea),
                                    json_array_get_length (aa), e, a);
          }
        return NULL;
      }

    case JSON_NODE_VALUE:
      if (!json_node_equal (expected, actual))
        {
          g_autofree char *e = describe (expected);
          g_autofree char *a = describe (actual);
          return g_strdup_printf ("%s: expected %s, got %s", where, e, a);
        }
      return NULL;

    case JSON_NODE_NULL:
    default:
      return NULL;
    }
}

char *
pt_test_json_diff (JsonNode *expected,
                   JsonNode *actual)
{
  return diff_at ("$", expected, actual);
}

char *
pt_test_spawn_stdout (const char * const *argv,
                      int                *ret_exit_status,
                      char              **ret_stderr)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                     &out, &err, &status, &error))
    g_error ("Cannot run %s: %s", argv[0], error->message);

  if (ret_exit_status != NULL)
    *ret_exit_status = WIFEXITED (status) ? WEXITSTATUS (status) : -1;
  if (ret_stderr != NULL)
    *ret_stderr = g_steal_pointer (&err);
  return g_steal_pointer (&out);
}

void
pt_test_write_file (const char *root,
                    const char *path,
                    const char *contents)
{
  g_autofree char *full = g_build_filename (root, path, NULL);
  g_autofree char *dir = g_path_get_dirname (full);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (g_file_set_contents (full, contents, -1, NULL));
}

void
pt_test_make_link (const char *root,
                   const char *path,
                   const char *target)
{
  g_autofree char *full = g_build_filename (root, path, NULL);
  g_autofree char *dir = g_path_get_dirname (full);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_cmpint (symlink (target, full), ==, 0);
}

void
pt_test_make_dir (const char *root,
                  const char *path)
{
  g_autofree char *full = g_build_filename (root, path, NULL);

  g_assert_cmpint (g_mkdir_with_parents (full, 0755), ==, 0);
}

void
pt_test_remove_tree (const char *root)
{
  const char *argv[] = { "rm", "-rf", "--", root, NULL };
  int status = -1;
  g_free (pt_test_spawn_stdout (argv, &status, NULL));
  g_assert_cmpint (status, ==, 0);
}

char *
pt_test_copy_fixture (const char *name)
{
  g_autofree char *source = pt_test_fixture_path (name);
  g_autofree char *dir = g_dir_make_tmp ("pt-fixture-XXXXXX", NULL);
  char *copy = g_build_filename (dir, name, NULL);
  const char *argv[] = { "cp", "-a", "--", source, copy, NULL };
  int status = -1;

  g_free (pt_test_spawn_stdout (argv, &status, NULL));
  g_assert_cmpint (status, ==, 0);
  return copy;
}

void
pt_test_remove_copy (const char *copy)
{
  g_autofree char *dir = g_path_get_dirname (copy);

  pt_test_remove_tree (dir);
}
