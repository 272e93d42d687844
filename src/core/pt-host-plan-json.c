/* pt-host-plan-json.c: the plan as JSON: written for people and the helper, read back strictly. */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "pt-host-plan-private.h"
#include "pt-json.h"
#include "pt-kmod.h"

static gboolean
contains_string (GPtrArray  *array,
                                      const char *text)
{
  return g_ptr_array_find_with_equal_func (array, text, g_str_equal, NULL);
}

/* Limits far above any real plan, so that a hostile one cannot make the helper work hard. */
#define MAX_ARRAY_LENGTH 256
#define MAX_SENTENCE_LENGTH 4096
#define MAX_FILE_CONTENT (16 * 1024)
#define MAX_KERNEL_ARG_LENGTH 512
#define MAX_HUGEPAGES_COUNT (1u << 22)

static void
add_string_array (JsonBuilder *builder,
                  const char  *name,
                  GPtrArray   *items)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; i < items->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (items, i));
  json_builder_end_array (builder);
}

char *
pt_host_plan_to_json (PtHostPlan *plan)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (plan != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, PT_HOST_PLAN_VERSION);

  json_builder_set_member_name (builder, "kernel_args");
  json_builder_begin_object (builder);
  add_string_array (builder, "add", plan->kernel_args_add);
  add_string_array (builder, "remove", plan->kernel_args_remove);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "vfio");
  json_builder_begin_object (builder);
  add_string_array (builder, "ids", plan->vfio_ids);
  add_string_array (builder, "devices", plan->vfio_devices);
  add_string_array (builder, "softdeps", plan->vfio_softdeps);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "files");
  json_builder_begin_array (builder);
  for (guint i = 0; i < plan->files->len; i++)
    {
      const PtPlanFile *file = g_ptr_array_index (plan->files, i);
      g_autofree char *mode = g_strdup_printf ("%04o", file->mode);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "path");
      json_builder_add_string_value (builder, file->path);
      json_builder_set_member_name (builder, "content");
      json_builder_add_string_value (builder, file->content);
      json_builder_set_member_name (builder, "mode");
      json_builder_add_string_value (builder, mode);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  if (plan->hugepages_size_kib > 0)
    {
      json_builder_set_member_name (builder, "hugepages");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "size_kib");
      json_builder_add_int_value (builder, (gint64) plan->hugepages_size_kib);
      json_builder_set_member_name (builder, "count");
      json_builder_add_int_value (builder, (gint64) plan->hugepages_count);
      json_builder_end_object (builder);
    }

  json_builder_set_member_name (builder, "initramfs");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "regenerate");
  json_builder_add_boolean_value (builder, plan->initramfs_regenerate);
  json_builder_set_member_name (builder, "tool");
  json_builder_add_string_value (builder, pt_initramfs_to_string (plan->initramfs_tool));
  add_string_array (builder, "modules", plan->initramfs_modules);
  json_builder_end_object (builder);

  add_string_array (builder, "hooks", plan->hooks);
  add_string_array (builder, "warnings", plan->warnings);
  add_string_array (builder, "blockers", plan->blockers);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  text = json_generator_to_data (generator, NULL);
  return g_strconcat (text, "\n", NULL);
}

static gboolean
invalid (GError     **error,
         const char  *where,
         const char  *format,
         ...) G_GNUC_PRINTF (3, 4);

static gboolean
invalid (GError     **error,
         const char  *where,
         const char  *format,
         ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, PT_HOST_PLAN_ERROR, PT_HOST_PLAN_ERROR_INVALID, "%s: %s", where, message);
  return FALSE;
}

static gboolean
only_chars (const char *text,
            const char *extra)
{
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr (extra, *p) == NULL)
      return FALSE;
  return TRUE;
}

/* "name" or "name=value" without spaces, quotes or shell characters. */
static gboolean
is_kernel_arg (const char *text)
{
  gsize len = strlen (text);

  return len > 0 && len <= MAX_KERNEL_ARG_LENGTH && text[0] != '-' && text[0] != '='
         && only_chars (text, "_.,:=/+@-");
}

static gboolean
is_pci_id (const char *text)
{
  if (strlen (text) != 9 || text[4] != ':')
    return FALSE;
  for (guint i = 0; i < 9; i++)
    if (i != 4 && !(g_ascii_isdigit (text[i]) || (text[i] >= 'a' && text[i] <= 'f')))
      return FALSE;
  return TRUE;
}

static gboolean
is_pci_address (const char *text)
{
  g_autofree char *normalized = pt_pci_normalize_address (text);

  return normalized != NULL && g_str_equal (normalized, text);
}

static gboolean
is_hook (const char *text)
{
  return g_str_equal (text, "isolate-host") || g_str_equal (text, "hugepages-on-demand");
}

static gboolean
is_sentence (const char *text)
{
  if (strlen (text) > MAX_SENTENCE_LENGTH)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      return FALSE;
  return TRUE;
}

static gboolean
check_keys (JsonObject          *object,
            const char          *where,
            const char * const  *allowed,
            const char * const  *required,
            GError             **error)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (allowed, l->data))
      return invalid (error, where, "unknown key “%s”", (const char *) l->data);
  for (guint i = 0; required[i] != NULL; i++)
    if (!json_object_has_member (object, required[i]))
      return invalid (error, where, "“%s” is missing", required[i]);
  return TRUE;
}

static JsonObject *
get_object (JsonObject  *parent,
            const char  *key,
            const char  *where,
            GError     **error)
{
  JsonNode *node = json_object_get_member (parent, key);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      invalid (error, where, "“%s” must be an object", key);
      return NULL;
    }
  return json_node_get_object (node);
}

static const char *
node_string (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
node_uint (JsonNode *node,
           guint64  *ret_value)
{
  gint64 value;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  value = json_node_get_int (node);
  if (value < 0)
    return FALSE;
  *ret_value = (guint64) value;
  return TRUE;
}

typedef gboolean (*StringCheck) (const char *text);

/* An array of unique strings that pass @check. */
static gboolean
read_strings (JsonObject  *object,
              const char  *key,
              const char  *where,
              StringCheck  check,
              const char  *what,
              GPtrArray   *out,
              GError     **error)
{
  g_autofree char *path = g_strdup_printf ("%s.%s", where, key);
  JsonNode *node = json_object_get_member (object, key);
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return invalid (error, path, "must be an array of strings");
  array = json_node_get_array (node);
  if (json_array_get_length (array) > MAX_ARRAY_LENGTH)
    return invalid (error, path, "more than %d entries", MAX_ARRAY_LENGTH);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      const char *text = node_string (json_array_get_element (array, i));
      g_autofree char *item = g_strdup_printf ("%s[%u]", path, i);

      if (text == NULL)
        return invalid (error, item, "must be a string");
      if (!check (text))
        return invalid (error, item, "“%s” is not %s", text, what);
      if (contains_string (out, text))
        return invalid (error, item, "“%s” is listed twice", text);
      g_ptr_array_add (out, g_strdup (text));
    }
  return TRUE;
}

/* "passthrough-vfio.conf": the app's own files only, never a path with a folder in it. */
static gboolean
is_plan_file_path (const char *path,
                   gboolean   *ret_sysctl)
{
  const char *name;

  if (g_str_has_prefix (path, "/etc/modprobe.d/passthrough-"))
    {
      name = path + strlen ("/etc/modprobe.d/passthrough-");
      *ret_sysctl = FALSE;
    }
  else if (g_str_has_prefix (path, "/etc/sysctl.d/"))
    {
      name = path + strlen ("/etc/sysctl.d/");
      if (strstr (name, "passthrough") == NULL)
        return FALSE;
      *ret_sysctl = TRUE;
    }
  else
    return FALSE;

  return g_str_has_suffix (name, ".conf") && strlen (name) > strlen (".conf")
         && strlen (name) <= 64 && only_chars (name, "-.") && strstr (name, "..") == NULL;
}

static gboolean
is_id_list (const char *text)
{
  g_auto(GStrv) ids = g_strsplit (text, ",", -1);

  if (ids[0] == NULL)
    return FALSE;
  for (guint i = 0; ids[i] != NULL; i++)
    if (!is_pci_id (ids[i]))
      return FALSE;
  return TRUE;
}

/* "options vfio-pci ids=10de:1b06,10de:10ef disable_vga=1", "options kvm ignore_msrs=1 ...". */
static gboolean
is_options_line (char **words)
{
  gboolean vfio = g_str_equal (words[1], "vfio-pci") || g_str_equal (words[1], "vfio_pci");
  gboolean kvm = g_str_equal (words[1], "kvm");
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);

  if ((!vfio && !kvm) || words[2] == NULL)
    return FALSE;
  for (guint i = 2; words[i] != NULL; i++)
    {
      const char *equals = strchr (words[i], '=');
      g_autofree char *key = NULL;
      const char *value;

      if (equals == NULL)
        return FALSE;
      key = g_strndup (words[i], equals - words[i]);
      value = equals + 1;
      if (contains_string (seen, key))
        return FALSE;
      g_ptr_array_add (seen, g_strdup (key));

      if (vfio && g_str_equal (key, "ids") && is_id_list (value))
        continue;
      if (vfio && g_str_equal (key, "disable_vga") && g_str_equal (value, "1"))
        continue;
      if (kvm && (g_str_equal (key, "ignore_msrs") || g_str_equal (key, "report_ignored_msrs"))
          && (g_str_equal (value, "0") || g_str_equal (value, "1")))
        continue;
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_plan_line (const char *line,
              gboolean    sysctl)
{
  g_auto(GStrv) words = NULL;
  guint n_words;

  if (line[0] == '\0')
    return TRUE;
  for (const char *p = line; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      return FALSE;
  if (g_str_has_prefix (line, "# "))
    return TRUE;

  words = g_strsplit (line, " ", -1);
  n_words = g_strv_length (words);
  for (guint i = 0; i < n_words; i++)
    if (words[i][0] == '\0')
      return FALSE;

  if (sysctl)
    {
      guint64 count;

      return n_words == 3 && g_str_equal (words[1], "=")
             && (g_str_equal (words[0], "vm.nr_hugepages")
                 || g_str_equal (words[0], "vm.nr_overcommit_hugepages"))
             && pt_parse_uint64 (words[2], 10, &count, NULL) && count <= MAX_HUGEPAGES_COUNT;
    }

  if (n_words == 4 && g_str_equal (words[0], "softdep") && pt_kmod_is_valid_name (words[1])
      && g_str_equal (words[2], "pre:") && g_str_equal (words[3], "vfio-pci"))
    return TRUE;
  if (n_words >= 3 && g_str_equal (words[0], "options"))
    return is_options_line (words);
  return FALSE;
}

gboolean
pt_host_plan_check_file (const char  *path,
                         const char  *content,
                         GError     **error)
{
  g_auto(GStrv) lines = NULL;
  gboolean sysctl = FALSE;
  gsize len;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (content != NULL, FALSE);

  if (!is_plan_file_path (path, &sysctl))
    return invalid (error, path, "not a file a plan may write");
  len = strlen (content);
  if (len > MAX_FILE_CONTENT)
    return invalid (error, path, "more than %d bytes", MAX_FILE_CONTENT);
  if (len == 0 || content[len - 1] != '\n')
    return invalid (error, path, "the content must end with a new line");

  lines = g_strsplit (content, "\n", -1);
  /* The last element is what follows the final new line: nothing. */
  for (guint i = 0; lines[i + 1] != NULL; i++)
    if (!is_plan_line (lines[i], sysctl))
      return invalid (error, path, "line %u “%s” is not one a plan may write", i + 1, lines[i]);
  return TRUE;
}

static gboolean
read_files (JsonObject  *root,
            PtHostPlan  *plan,
            GError     **error)
{
  static const char * const keys[] = { "path", "content", "mode", NULL };
  JsonNode *node = json_object_get_member (root, "files");
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return invalid (error, "plan.files", "must be an array");
  array = json_node_get_array (node);
  if (json_array_get_length (array) > MAX_ARRAY_LENGTH)
    return invalid (error, "plan.files", "more than %d entries", MAX_ARRAY_LENGTH);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autofree char *where = g_strdup_printf ("plan.files[%u]", i);
      JsonObject *object;
      const char *path;
      const char *content;
      const char *mode;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return invalid (error, where, "must be an object");
      object = json_node_get_object (element);
      if (!check_keys (object, where, keys, keys, error))
        return FALSE;
      path = node_string (json_object_get_member (object, "path"));
      content = node_string (json_object_get_member (object, "content"));
      mode = node_string (json_object_get_member (object, "mode"));
      if (path == NULL || content == NULL || mode == NULL)
        return invalid (error, where, "path, content and mode must be strings");
      /* World-readable configuration, never executable or setuid. */
      if (!g_str_equal (mode, "0644"))
        return invalid (error, where, "mode “%s” is not 0644", mode);
      if (!pt_host_plan_check_file (path, content, error))
        return FALSE;
      for (guint j = 0; j < plan->files->len; j++)
        if (g_str_equal (((PtPlanFile *) g_ptr_array_index (plan->files, j))->path, path))
          return invalid (error, where, "“%s” is listed twice", path);
      pt_host_plan_add_file (plan, path, content);
    }
  return TRUE;
}

static gboolean
read_hugepages (JsonObject  *root,
                PtHostPlan  *plan,
                GError     **error)
{
  static const char * const keys[] = { "size_kib", "count", NULL };
  JsonObject *object;

  if (!json_object_has_member (root, "hugepages"))
    return TRUE;
  object = get_object (root, "hugepages", "plan", error);
  if (object == NULL || !check_keys (object, "plan.hugepages", keys, keys, error))
    return FALSE;
  if (!node_uint (json_object_get_member (object, "size_kib"), &plan->hugepages_size_kib)
      || (plan->hugepages_size_kib != 2048 && plan->hugepages_size_kib != 1024 * 1024))
    return invalid (error, "plan.hugepages.size_kib", "must be 2048 or 1048576");
  if (!node_uint (json_object_get_member (object, "count"), &plan->hugepages_count)
      || plan->hugepages_count == 0 || plan->hugepages_count > MAX_HUGEPAGES_COUNT)
    return invalid (error, "plan.hugepages.count", "must be a whole number from 1 to %u",
                    MAX_HUGEPAGES_COUNT);
  return TRUE;
}

static gboolean
read_initramfs (JsonObject  *root,
                PtHostPlan  *plan,
                GError     **error)
{
  static const char * const keys[] = { "regenerate", "tool", "modules", NULL };
  static const char * const required[] = { "regenerate", NULL };
  static const PtInitramfs tools[] = {
    PT_INITRAMFS_UNKNOWN, PT_INITRAMFS_INITRAMFS_TOOLS, PT_INITRAMFS_DRACUT,
    PT_INITRAMFS_MKINITCPIO, PT_INITRAMFS_BOOSTER,
  };
  JsonObject *object = get_object (root, "initramfs", "plan", error);
  JsonNode *regenerate;

  if (object == NULL || !check_keys (object, "plan.initramfs", keys, required, error))
    return FALSE;
  regenerate = json_object_get_member (object, "regenerate");
  if (!JSON_NODE_HOLDS_VALUE (regenerate)
      || json_node_get_value_type (regenerate) != G_TYPE_BOOLEAN)
    return invalid (error, "plan.initramfs.regenerate", "must be true or false");
  plan->initramfs_regenerate = json_node_get_boolean (regenerate);

  if (json_object_has_member (object, "tool"))
    {
      const char *tool = node_string (json_object_get_member (object, "tool"));
      gboolean known = FALSE;

      for (guint i = 0; tool != NULL && i < G_N_ELEMENTS (tools) && !known; i++)
        if (g_str_equal (tool, pt_initramfs_to_string (tools[i])))
          {
            plan->initramfs_tool = tools[i];
            known = TRUE;
          }
      if (!known)
        return invalid (error, "plan.initramfs.tool", "not a known initramfs tool");
    }
  if (json_object_has_member (object, "modules")
      && !read_strings (object, "modules", "plan.initramfs", pt_kmod_is_valid_name,
                        "a module name", plan->initramfs_modules, error))
    return FALSE;
  return TRUE;
}

PtHostPlan *
pt_host_plan_new_from_json (const char  *json,
                            gsize        len,
                            GError     **error)
{
  static const char * const keys[] = {
    "version", "kernel_args", "vfio", "files", "hugepages", "initramfs", "hooks", "warnings",
    "blockers", NULL
  };
  static const char * const required[] = {
    "version", "kernel_args", "vfio", "files", "initramfs", "hooks", "warnings", "blockers",
    NULL
  };
  static const char * const kernel_args_keys[] = { "add", "remove", NULL };
  static const char * const vfio_keys[] = { "ids", "devices", "softdeps", NULL };
  g_autoptr(PtHostPlan) plan = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonObject *object;
  JsonObject *kernel_args;
  JsonObject *vfio;
  guint64 version;

  if (len > PT_HOST_PLAN_MAX_JSON_SIZE)
    {
      g_set_error (error, PT_HOST_PLAN_ERROR, PT_HOST_PLAN_ERROR_TOO_LARGE,
                   "The plan is %" G_GSIZE_FORMAT " bytes, more than the %d a plan may have",
                   len, PT_HOST_PLAN_MAX_JSON_SIZE);
      return NULL;
    }
  /* Plans nest three levels deep. */
  root = pt_json_parse_strict (json, len, PT_HOST_PLAN_MAX_JSON_SIZE, 8, &local_error);
  if (root == NULL)
    {
      g_set_error (error, PT_HOST_PLAN_ERROR, PT_HOST_PLAN_ERROR_INVALID,
                   "The plan is not valid JSON: %s", local_error->message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      invalid (error, "plan", "must be an object");
      return NULL;
    }

  object = json_node_get_object (root);
  if (!check_keys (object, "plan", keys, required, error))
    return NULL;
  if (!node_uint (json_object_get_member (object, "version"), &version)
      || version != PT_HOST_PLAN_VERSION)
    {
      invalid (error, "plan.version", "must be %d", PT_HOST_PLAN_VERSION);
      return NULL;
    }

  plan = pt_host_plan_new_empty ();
  kernel_args = get_object (object, "kernel_args", "plan", error);
  if (kernel_args == NULL
      || !check_keys (kernel_args, "plan.kernel_args", kernel_args_keys, kernel_args_keys, error)
      || !read_strings (kernel_args, "add", "plan.kernel_args", is_kernel_arg,
                        "a kernel argument", plan->kernel_args_add, error)
      || !read_strings (kernel_args, "remove", "plan.kernel_args", is_kernel_arg,
                        "a kernel argument", plan->kernel_args_remove, error))
    return NULL;

  vfio = get_object (object, "vfio", "plan", error);
  if (vfio == NULL
      || !check_keys (vfio, "plan.vfio", vfio_keys, vfio_keys, error)
      || !read_strings (vfio, "ids", "plan.vfio", is_pci_id, "a vendor:device ID",
                        plan->vfio_ids, error)
      || !read_strings (vfio, "devices", "plan.vfio", is_pci_address, "a PCI address",
                        plan->vfio_devices, error)
      || !read_strings (vfio, "softdeps", "plan.vfio", pt_kmod_is_valid_name, "a module name",
                        plan->vfio_softdeps, error))
    return NULL;

  if (!read_files (object, plan, error)
      || !read_hugepages (object, plan, error)
      || !read_initramfs (object, plan, error)
      || !read_strings (object, "hooks", "plan", is_hook, "a known hook", plan->hooks, error)
      || !read_strings (object, "warnings", "plan", is_sentence, "a sentence", plan->warnings,
                        error)
      || !read_strings (object, "blockers", "plan", is_sentence, "a sentence", plan->blockers,
                        error))
    return NULL;

  return g_steal_pointer (&plan);
}
