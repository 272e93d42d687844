/* pt-json.c: a strict RFC 8259 reader that builds json-glib nodes. */
#include "config.h"

#include "pt-json.h"

#include "pt-sysroot.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

G_DEFINE_QUARK (pt-json-error-quark, pt_json_error)

typedef struct {
  const char *data;
  gsize       len;
  gsize       pos;
  guint       max_depth;
} Reader;

static JsonNode *read_value (Reader *reader, guint depth, GError **error);

static gboolean
fail (Reader      *reader,
      PtJsonError  code,
      GError     **error,
      const char  *what)
{
  g_set_error (error, PT_JSON_ERROR, code, "at byte %" G_GSIZE_FORMAT ": %s", reader->pos, what);
  return FALSE;
}

static void
skip_space (Reader *reader)
{
  while (reader->pos < reader->len)
    {
      char c = reader->data[reader->pos];

      if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
        break;
      reader->pos++;
    }
}

static gboolean
at_end (Reader *reader)
{
  return reader->pos >= reader->len;
}

static char
peek (Reader *reader)
{
  return at_end (reader) ? '\0' : reader->data[reader->pos];
}

static gboolean
read_literal (Reader      *reader,
              const char  *word,
              GError     **error)
{
  gsize word_len = strlen (word);

  if (reader->len - reader->pos < word_len
      || memcmp (reader->data + reader->pos, word, word_len) != 0)
    return fail (reader, PT_JSON_ERROR_SYNTAX, error, "unexpected characters");
  reader->pos += word_len;
  return TRUE;
}

static gboolean
read_hex4 (Reader   *reader,
           guint    *ret_value,
           GError  **error)
{
  guint value = 0;

  if (reader->len - reader->pos < 4)
    return fail (reader, PT_JSON_ERROR_SYNTAX, error, "short \\u escape");
  for (guint i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (reader->data[reader->pos + i]);

      if (digit < 0)
        return fail (reader, PT_JSON_ERROR_SYNTAX, error, "bad \\u escape");
      value = value * 16 + (guint) digit;
    }
  reader->pos += 4;
  *ret_value = value;
  return TRUE;
}

/* After the opening quote; leaves the position after the closing one. */
static char *
read_string (Reader  *reader,
             GError **error)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (;;)
    {
      guchar c;

      if (at_end (reader))
        {
          fail (reader, PT_JSON_ERROR_SYNTAX, error, "unterminated string");
          return NULL;
        }
      c = (guchar) reader->data[reader->pos];
      if (c == '"')
        {
          reader->pos++;
          break;
        }
      if (c < 0x20)
        {
          fail (reader, PT_JSON_ERROR_SYNTAX, error, "control character in a string");
          return NULL;
        }
      if (c != '\\')
        {
          g_string_append_c (text, (char) c);
          reader->pos++;
          continue;
        }

      reader->pos++;
      switch (peek (reader))
        {
        case '"': g_string_append_c (text, '"'); break;
        case '\\': g_string_append_c (text, '\\'); break;
        case '/': g_string_append_c (text, '/'); break;
        case 'b': g_string_append_c (text, '\b'); break;
        case 'f': g_string_append_c (text, '\f'); break;
        case 'n': g_string_append_c (text, '\n'); break;
        case 'r': g_string_append_c (text, '\r'); break;
        case 't': g_string_append_c (text, '\t'); break;
        case 'u':
          {
            guint unit;
            gunichar ch;

            reader->pos++;
            if (!read_hex4 (reader, &unit, error))
              return NULL;
            if (unit >= 0xdc00 && unit <= 0xdfff)
              {
                fail (reader, PT_JSON_ERROR_ENCODING, error, "lone low surrogate");
                return NULL;
              }
            if (unit >= 0xd800 && unit <= 0xdbff)
              {
                guint low;

                if (reader->len - reader->pos < 2 || reader->data[reader->pos] != '\\'
                    || reader->data[reader->pos + 1] != 'u')
                  {
                    fail (reader, PT_JSON_ERROR_ENCODING, error, "lone high surrogate");
                    return NULL;
                  }
                reader->pos += 2;
                if (!read_hex4 (reader, &low, error))
                  return NULL;
                if (low < 0xdc00 || low > 0xdfff)
                  {
                    fail (reader, PT_JSON_ERROR_ENCODING, error, "lone high surrogate");
                    return NULL;
                  }
                ch = 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00);
              }
            else
              ch = unit;
            if (ch == 0)
              {
                fail (reader, PT_JSON_ERROR_ENCODING, error, "\\u0000 in a string");
                return NULL;
              }
            g_string_append_unichar (text, ch);
            /* The position is already past the escape. */
            continue;
          }
        default:
          fail (reader, PT_JSON_ERROR_SYNTAX, error, "unknown escape");
          return NULL;
        }
      reader->pos++;
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static gsize
skip_digits (Reader *reader)
{
  gsize start = reader->pos;

  while (!at_end (reader) && g_ascii_isdigit (reader->data[reader->pos]))
    reader->pos++;
  return reader->pos - start;
}

static JsonNode *
read_number (Reader  *reader,
             GError **error)
{
  gsize start = reader->pos;
  gboolean integer = TRUE;
  g_autofree char *text = NULL;
  JsonNode *node;

  if (peek (reader) == '-')
    reader->pos++;
  if (peek (reader) == '0')
    reader->pos++;
  else if (skip_digits (reader) == 0)
    {
      fail (reader, PT_JSON_ERROR_SYNTAX, error, "bad number");
      return NULL;
    }
  if (peek (reader) == '.')
    {
      integer = FALSE;
      reader->pos++;
      if (skip_digits (reader) == 0)
        {
          fail (reader, PT_JSON_ERROR_SYNTAX, error, "bad fraction");
          return NULL;
        }
    }
  if (peek (reader) == 'e' || peek (reader) == 'E')
    {
      integer = FALSE;
      reader->pos++;
      if (peek (reader) == '+' || peek (reader) == '-')
        reader->pos++;
      if (skip_digits (reader) == 0)
        {
          fail (reader, PT_JSON_ERROR_SYNTAX, error, "bad exponent");
          return NULL;
        }
    }
  /* "01" and "1x" end a number too early; the caller sees the rest as garbage anyway, but the
   * message is clearer here. */
  if (g_ascii_isdigit (peek (reader)))
    {
      fail (reader, PT_JSON_ERROR_SYNTAX, error, "leading zero");
      return NULL;
    }

  text = g_strndup (reader->data + start, reader->pos - start);
  node = json_node_alloc ();
  if (integer)
    {
      gint64 value;

      /* Integers beyond gint64 fall through to a double, as JSON allows. */
      if (pt_parse_int64 (text, &value, NULL))
        return json_node_init_int (node, value);
    }
  {
    double value = g_ascii_strtod (text, NULL);

    if (!isfinite (value))
      {
        json_node_unref (node);
        fail (reader, PT_JSON_ERROR_SYNTAX, error, "number out of range");
        return NULL;
      }
    return json_node_init_double (node, value);
  }
}

static JsonNode *
read_array (Reader  *reader,
            guint    depth,
            GError **error)
{
  g_autoptr(JsonArray) array = json_array_new ();

  reader->pos++;
  skip_space (reader);
  if (peek (reader) == ']')
    {
      reader->pos++;
      return json_node_init_array (json_node_alloc (), array);
    }

  for (;;)
    {
      JsonNode *element = read_value (reader, depth + 1, error);

      if (element == NULL)
        return NULL;
      json_array_add_element (array, element);
      skip_space (reader);
      if (peek (reader) == ',')
        {
          reader->pos++;
          continue;
        }
      if (peek (reader) == ']')
        {
          reader->pos++;
          return json_node_init_array (json_node_alloc (), array);
        }
      fail (reader, PT_JSON_ERROR_SYNTAX, error, "expected ‘,’ or ‘]’");
      return NULL;
    }
}

static JsonNode *
read_object (Reader  *reader,
             guint    depth,
             GError **error)
{
  g_autoptr(JsonObject) object = json_object_new ();

  reader->pos++;
  skip_space (reader);
  if (peek (reader) == '}')
    {
      reader->pos++;
      return json_node_init_object (json_node_alloc (), object);
    }

  for (;;)
    {
      g_autofree char *key = NULL;
      JsonNode *value;

      skip_space (reader);
      if (peek (reader) != '"')
        {
          fail (reader, PT_JSON_ERROR_SYNTAX, error, "expected a key in double quotes");
          return NULL;
        }
      reader->pos++;
      key = read_string (reader, error);
      if (key == NULL)
        return NULL;
      if (json_object_has_member (object, key))
        {
          g_autofree char *message = g_strdup_printf ("duplicate key “%s”", key);

          fail (reader, PT_JSON_ERROR_DUPLICATE_KEY, error, message);
          return NULL;
        }
      skip_space (reader);
      if (peek (reader) != ':')
        {
          fail (reader, PT_JSON_ERROR_SYNTAX, error, "expected ‘:’");
          return NULL;
        }
      reader->pos++;
      value = read_value (reader, depth + 1, error);
      if (value == NULL)
        return NULL;
      json_object_set_member (object, key, value);
      skip_space (reader);
      if (peek (reader) == ',')
        {
          reader->pos++;
          continue;
        }
      if (peek (reader) == '}')
        {
          reader->pos++;
          return json_node_init_object (json_node_alloc (), object);
        }
      fail (reader, PT_JSON_ERROR_SYNTAX, error, "expected ‘,’ or ‘}’");
      return NULL;
    }
}

static JsonNode *
read_value (Reader  *reader,
            guint    depth,
            GError **error)
{
  skip_space (reader);
  if (at_end (reader))
    {
      fail (reader, PT_JSON_ERROR_SYNTAX, error, "unexpected end");
      return NULL;
    }

  switch (peek (reader))
    {
    case '{':
    case '[':
      if (depth >= reader->max_depth)
        {
          fail (reader, PT_JSON_ERROR_TOO_DEEP, error, "nested too deeply");
          return NULL;
        }
      return peek (reader) == '{' ? read_object (reader, depth, error)
                                  : read_array (reader, depth, error);
    case '"':
      {
        g_autofree char *text = NULL;

        reader->pos++;
        text = read_string (reader, error);
        if (text == NULL)
          return NULL;
        return json_node_init_string (json_node_alloc (), text);
      }
    case 't':
      return read_literal (reader, "true", error)
             ? json_node_init_boolean (json_node_alloc (), TRUE) : NULL;
    case 'f':
      return read_literal (reader, "false", error)
             ? json_node_init_boolean (json_node_alloc (), FALSE) : NULL;
    case 'n':
      return read_literal (reader, "null", error) ? json_node_init_null (json_node_alloc ()) : NULL;
    default:
      if (peek (reader) == '-' || g_ascii_isdigit (peek (reader)))
        return read_number (reader, error);
      fail (reader, PT_JSON_ERROR_SYNTAX, error, "unexpected character");
      return NULL;
    }
}

JsonNode *
pt_json_parse_strict (const char  *data,
                      gsize        len,
                      gsize        max_size,
                      guint        max_depth,
                      GError     **error)
{
  Reader reader = { data, len, 0, max_depth };
  g_autoptr(JsonNode) root = NULL;
  const char *bad = NULL;

  if (data == NULL && len > 0)
    {
      g_set_error_literal (error, PT_JSON_ERROR, PT_JSON_ERROR_SYNTAX, "no data");
      return NULL;
    }
  if (len > max_size)
    {
      g_set_error (error, PT_JSON_ERROR, PT_JSON_ERROR_TOO_LARGE,
                   "%" G_GSIZE_FORMAT " bytes is more than the %" G_GSIZE_FORMAT " allowed",
                   len, max_size);
      return NULL;
    }
  if (len > 0 && memchr (data, '\0', len) != NULL)
    {
      reader.pos = (const char *) memchr (data, '\0', len) - data;
      fail (&reader, PT_JSON_ERROR_ENCODING, error, "NUL byte");
      return NULL;
    }
  if (len > 0 && !g_utf8_validate_len (data, len, &bad))
    {
      reader.pos = bad - data;
      fail (&reader, PT_JSON_ERROR_ENCODING, error, "not UTF-8");
      return NULL;
    }

  root = read_value (&reader, 0, error);
  if (root == NULL)
    return NULL;
  skip_space (&reader);
  if (!at_end (&reader))
    {
      fail (&reader, PT_JSON_ERROR_SYNTAX, error, "data after the end");
      return NULL;
    }
  return g_steal_pointer (&root);
}
