/* pt-json.h: strict JSON for input that crosses a trust boundary (plans sent to the helper). */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define PT_JSON_ERROR (pt_json_error_quark ())

typedef enum {
  PT_JSON_ERROR_SYNTAX,         /* not RFC 8259 JSON */
  PT_JSON_ERROR_ENCODING,       /* not UTF-8, or a NUL byte / \u0000 */
  PT_JSON_ERROR_DUPLICATE_KEY,
  PT_JSON_ERROR_TOO_DEEP,
  PT_JSON_ERROR_TOO_LARGE,
} PtJsonError;

GQuark    pt_json_error_quark (void);

/*
 * Exactly one JSON value, nothing before or after it but white space. Unlike json-glib 1.6 it
 * refuses duplicate keys, single quotes, comments, trailing commas, trailing data, invalid
 * UTF-8, lone surrogates and NUL. Integers that fit a gint64 become G_TYPE_INT64 values, other
 * numbers doubles. @max_size bounds @len, @max_depth the nesting of arrays and objects.
 */
JsonNode *pt_json_parse_strict (const char  *data,
                                gsize        len,
                                gsize        max_size,
                                guint        max_depth,
                                GError     **error);

G_END_DECLS
