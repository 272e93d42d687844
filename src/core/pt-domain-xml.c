/* pt-domain-xml.c: domain XML text in and out: the new VM's skeleton, parsing a user's domain
 * safely, firmware from libvirt's domain capabilities, and backups of what an edit replaced. */

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <string.h>

#include "pt-domain.h"
#include "pt-domain-private.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlDoc, xmlFreeDoc)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlBuffer, xmlBufferFree)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlXPathContext, xmlXPathFreeContext)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlXPathObject, xmlXPathFreeObject)

/* The skeleton's own children, in libvirt's order. */
static const char * const skeleton_order[] = {
  "name", "metadata", "memory", "os", "features", "clock", "on_poweroff", "on_reboot",
  "on_crash", "pm", "devices", NULL
};

/* Whether the prolog of @xml (comments, processing instructions, whitespace before the root
 * element) holds a document type declaration. Only ASCII-compatible text is looked at; the
 * parser's own check below catches the rest. */
static gboolean
prolog_has_doctype (const char *xml,
                    gsize       size)
{
  const char *p = xml;
  const char *end = xml + size;

  if (size >= 3 && memcmp (p, "\xEF\xBB\xBF", 3) == 0)
    p += 3;
  while (p < end)
    {
      const char *close = NULL;

      if (g_ascii_isspace (*p))
        {
          p++;
          continue;
        }
      if (end - p >= 9 && memcmp (p, "<!DOCTYPE", 9) == 0)
        return TRUE;
      if (end - p >= 4 && memcmp (p, "<!--", 4) == 0)
        close = g_strstr_len (p + 4, end - p - 4, "-->");
      else if (end - p >= 2 && memcmp (p, "<?", 2) == 0)
        close = g_strstr_len (p + 2, end - p - 2, "?>");
      if (close == NULL)
        return FALSE;
      p = close + (*close == '-' ? 3 : 2);
    }
  return FALSE;
}

/* libxml2 prints some errors (failed encoding conversions) to stderr past XML_PARSE_NOERROR;
 * the error that matters is read back with xmlGetLastError(). */
static void G_GNUC_PRINTF (2, 3)
discard_xml_message (void       *context,
                     const char *format,
                     ...)
{
}

/* Parses domain-like XML the way an editor must: no network, no entity expansion, no DTD
 * loading, whitespace and comments kept. */
static xmlDoc *
parse_xml (const char  *xml,
           gssize       length,
           const char  *root_name,
           GError     **error)
{
  g_autoptr(xmlDoc) doc = NULL;
  xmlGenericErrorFunc saved_handler;
  void *saved_context;
  xmlNode *root;
  gsize size = length < 0 ? strlen (xml) : (gsize) length;

  if (size > PT_DOMAIN_MAX_XML_BYTES)
    {
      g_set_error (error, PT_DOMAIN_ERROR, PT_DOMAIN_ERROR_TOO_LARGE,
                   _("The domain XML is larger than %u MiB, which no virtual machine needs."),
                   PT_DOMAIN_MAX_XML_BYTES / (1024 * 1024));
      return NULL;
    }

  /* libvirt never writes a document type; one could only bring entities the editor does not
   * want to expand or lose. Refused before the parser reads any of its declarations. */
  if (prolog_has_doctype (xml, size))
    {
      g_set_error (error, PT_DOMAIN_ERROR, PT_DOMAIN_ERROR_INVALID_XML,
                   _("The domain XML declares a document type, which libvirt domains never "
                     "have."));
      return NULL;
    }

  /* The handler is this thread's: an edit in a worker thread leaves the others alone. */
  saved_handler = xmlGenericError;
  saved_context = xmlGenericErrorContext;
  xmlSetGenericErrorFunc (NULL, discard_xml_message);
  doc = xmlReadMemory (xml, (int) size, NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR
                                                    | XML_PARSE_NOWARNING);
  xmlSetGenericErrorFunc (saved_context, saved_handler);
  if (doc == NULL)
    {
      const xmlError *last = xmlGetLastError ();
      g_autofree char *reason = g_strdup (last != NULL && last->message != NULL
                                          ? last->message : "?");

      g_set_error (error, PT_DOMAIN_ERROR, PT_DOMAIN_ERROR_INVALID_XML,
                   _("The domain XML is not well-formed (line %d: %s)."),
                   last != NULL ? last->line : 0, g_strstrip (reason));
      return NULL;
    }
  /* Text the look at the prolog cannot read (UTF-16) is checked once parsed. */
  if (doc->intSubset != NULL)
    {
      g_set_error (error, PT_DOMAIN_ERROR, PT_DOMAIN_ERROR_INVALID_XML,
                   _("The domain XML declares a document type, which libvirt domains never "
                     "have."));
      return NULL;
    }

  root = xmlDocGetRootElement (doc);
  if (!pt_domain_is_element (root, root_name))
    {
      g_set_error (error, PT_DOMAIN_ERROR, PT_DOMAIN_ERROR_INVALID_XML,
                   _("The XML is not a libvirt <%s> document."), root_name);
      return NULL;
    }
  return g_steal_pointer (&doc);
}

static char *
dump_node (xmlNode *node)
{
  g_autoptr(xmlBuffer) buffer = xmlBufferCreate ();

  xmlNodeDump (buffer, node->doc, node, 0, 0);
  return g_strndup ((const char *) xmlBufferContent (buffer), xmlBufferLength (buffer));
}

/* The document as text: with an XML declaration only when the input had one. */
static char *
dump_doc (xmlDoc   *doc,
          gboolean  declaration)
{
  GString *text = g_string_new (NULL);

  if (declaration)
    {
      xmlChar *memory = NULL;
      int size = 0;

      /* The text is UTF-8 whatever the input was (libvirt keeps domains that way), so the
       * declaration must not name another encoding. */
      if (doc->encoding != NULL && g_ascii_strcasecmp ((const char *) doc->encoding, "UTF-8") != 0)
        {
          xmlFree ((xmlChar *) doc->encoding);
          doc->encoding = xmlStrdup (BAD_CAST "UTF-8");
        }
      xmlDocDumpMemory (doc, &memory, &size);
      g_string_append_len (text, (const char *) memory, size);
      xmlFree (memory);
      return g_string_free (text, FALSE);
    }

  for (xmlNode *node = doc->children; node != NULL; node = node->next)
    {
      g_autofree char *part = dump_node (node);

      g_string_append (text, part);
      g_string_append_c (text, '\n');
    }
  return g_string_free (text, FALSE);
}

static xmlNode *
add_element (xmlNode            *parent,
             const char         *name,
             const char         *content,
             const char * const *order)
{
  xmlNode *node = xmlNewDocNode (parent->doc, NULL, BAD_CAST name, NULL);

  if (content != NULL)
    xmlNodeAddContent (node, BAD_CAST content);
  pt_domain_insert_node (parent, node, order);
  return node;
}

static void
set_props (xmlNode *node,
           ...)
{
  va_list args;
  const char *name;

  va_start (args, node);
  while ((name = va_arg (args, const char *)) != NULL)
    xmlSetProp (node, BAD_CAST name, BAD_CAST va_arg (args, const char *));
  va_end (args);
}

static void
add_os (xmlNode                *domain,
        PtSetup                *setup,
        const PtDomainFirmware *firmware)
{
  gboolean windows = pt_setup_get_guest (setup) == PT_GUEST_WINDOWS;
  gboolean secure = windows && firmware->secure_boot;
  const char * const *isos = pt_setup_get_isos (setup);
  xmlNode *os = add_element (domain, "os", NULL, skeleton_order);
  xmlNode *node;

  node = add_element (os, "type", "hvm", NULL);
  set_props (node, "arch", "x86_64", "machine", "q35", NULL);

  if (firmware->efi_auto)
    {
      xmlNode *features;

      xmlSetProp (os, BAD_CAST "firmware", BAD_CAST "efi");
      features = add_element (os, "firmware", NULL, NULL);
      node = add_element (features, "feature", NULL, NULL);
      set_props (node, "enabled", secure ? "yes" : "no", "name", "enrolled-keys", NULL);
      node = add_element (features, "feature", NULL, NULL);
      set_props (node, "enabled", secure ? "yes" : "no", "name", "secure-boot", NULL);
      if (secure)
        {
          node = add_element (os, "loader", NULL, NULL);
          set_props (node, "secure", "yes", NULL);
        }
    }
  else if (firmware->loader != NULL)
    {
      node = add_element (os, "loader", firmware->loader, NULL);
      set_props (node, "readonly", "yes", "secure", secure ? "yes" : "no", "type", "pflash",
                 NULL);
    }

  /* An installer ISO boots first until a system is on the disk. */
  if (isos != NULL && isos[0] != NULL)
    {
      node = add_element (os, "boot", NULL, NULL);
      set_props (node, "dev", "cdrom", NULL);
    }
  node = add_element (os, "boot", NULL, NULL);
  set_props (node, "dev", "hd", NULL);
}

char *
pt_domain_new_xml (PtHostScan             *scan,
                   PtSetup                *setup,
                   const PtDomainOptions  *options,
                   GPtrArray              *warnings,
                   GError                **error)
{
  g_autoptr(PtDomainFirmware) default_firmware = NULL;
  const PtDomainFirmware *firmware;
  PtDomainOptions effective = { 0 };
  g_autoptr(xmlDoc) doc = xmlNewDoc (BAD_CAST "1.0");
  gboolean windows = pt_setup_get_guest (setup) == PT_GUEST_WINDOWS;
  xmlNode *domain;
  xmlNode *node;
  xmlNode *features;
  xmlNode *devices;
  g_autofree char *text = NULL;

  g_return_val_if_fail (PT_IS_HOST_SCAN (scan), NULL);
  g_return_val_if_fail (PT_IS_SETUP (setup), NULL);

  if (options != NULL)
    effective = *options;
  firmware = effective.firmware;
  if (firmware == NULL)
    firmware = default_firmware = pt_domain_firmware_new_default (scan);
  effective.firmware = firmware;

  domain = xmlNewDocNode (doc, NULL, BAD_CAST "domain", NULL);
  xmlDocSetRootElement (doc, domain);
  /* Always KVM: a passed-through GPU needs it; tests on hosts without /dev/kvm swap it. */
  xmlSetProp (domain, BAD_CAST "type", BAD_CAST "kvm");

  add_element (domain, "name", pt_setup_get_name (setup), skeleton_order);
  add_os (domain, setup, firmware);

  features = add_element (domain, "features", NULL, skeleton_order);
  add_element (features, "acpi", NULL, NULL);
  add_element (features, "apic", NULL, NULL);
  if (windows && firmware->secure_boot)
    {
      /* Secure Boot's variable store is only safe from the guest OS with SMM. */
      node = add_element (features, "smm", NULL, NULL);
      xmlSetProp (node, BAD_CAST "state", BAD_CAST "on");
    }

  add_element (domain, "on_poweroff", "destroy", skeleton_order);
  add_element (domain, "on_reboot", "restart", skeleton_order);
  add_element (domain, "on_crash", "destroy", skeleton_order);
  node = add_element (domain, "pm", NULL, skeleton_order);
  set_props (add_element (node, "suspend-to-mem", NULL, NULL), "enabled", "no", NULL);
  set_props (add_element (node, "suspend-to-disk", NULL, NULL), "enabled", "no", NULL);

  devices = add_element (domain, "devices", NULL, skeleton_order);
  node = add_element (devices, "interface", NULL, NULL);
  xmlSetProp (node, BAD_CAST "type", BAD_CAST "network");
  set_props (add_element (node, "source", NULL, NULL), "network", "default", NULL);
  set_props (add_element (node, "model", NULL, NULL), "type", "virtio", NULL);
  if (windows && firmware->tpm_emulator)
    {
      /* Windows 11 asks for TPM 2.0. */
      node = add_element (devices, "tpm", NULL, NULL);
      xmlSetProp (node, BAD_CAST "model", BAD_CAST "tpm-crb");
      set_props (add_element (node, "backend", NULL, NULL), "type", "emulator", "version", "2.0",
                 NULL);
    }
  /* Pinned, passed-through guests cannot give memory back; the balloon only costs. */
  set_props (add_element (devices, "memballoon", NULL, NULL), "model", "none", NULL);

  if (!pt_domain_apply (domain, scan, setup, &effective, warnings, error))
    return NULL;

  text = dump_node (domain);
  return g_strconcat (text, "\n", NULL);
}

/* The elements the editor adds to and removes from. libvirt allows only elements in them; text
 * there would drift each time the owned elements around it are put back. */
static const char * const element_only[] = {
  "os", "features", "cpu", "clock", "cputune", "memoryBacking", "numatune", "devices", NULL,
};

static gboolean
check_stray_text (xmlNode    *element,
                  GError    **error)
{
  for (xmlNode *child = element->children; child != NULL; child = child->next)
    {
      g_autofree char *text = NULL;
      g_autofree char *shown = NULL;

      if (child->type != XML_TEXT_NODE && child->type != XML_CDATA_SECTION_NODE)
        continue;
      if (child->content == NULL || xmlIsBlankNode (child))
        continue;

      text = g_strstrip (g_strdup ((const char *) child->content));
      if (g_utf8_strlen (text, -1) > 32)
        {
          g_autofree char *start = g_utf8_substring (text, 0, 32);

          shown = g_strconcat (start, "…", NULL);
        }
      else
        shown = g_strdup (text);
      g_set_error (error, PT_DOMAIN_ERROR, PT_DOMAIN_ERROR_INVALID_XML,
                   _("The domain XML has the text “%s” inside <%s>, where libvirt allows only "
                     "elements."), shown, (const char *) element->name);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_element_only (xmlNode  *domain,
                    GError  **error)
{
  if (!check_stray_text (domain, error))
    return FALSE;
  for (xmlNode *child = domain->children; child != NULL; child = child->next)
    if (child->type == XML_ELEMENT_NODE && child->ns == NULL
        && g_strv_contains (element_only, (const char *) child->name)
        && !check_stray_text (child, error))
      return FALSE;
  return TRUE;
}

char *
pt_domain_edit_xml (const char             *xml,
                    gssize                  length,
                    PtHostScan             *scan,
                    PtSetup                *setup,
                    const PtDomainOptions  *options,
                    GPtrArray              *warnings,
                    GError                **error)
{
  g_autoptr(PtDomainFirmware) default_firmware = NULL;
  PtDomainOptions effective = { 0 };
  g_autoptr(xmlDoc) doc = NULL;
  const char *start = xml;
  const char *end;

  g_return_val_if_fail (xml != NULL, NULL);
  g_return_val_if_fail (PT_IS_HOST_SCAN (scan), NULL);
  g_return_val_if_fail (PT_IS_SETUP (setup), NULL);

  doc = parse_xml (xml, length, "domain", error);
  if (doc == NULL || !check_element_only (xmlDocGetRootElement (doc), error))
    return NULL;

  if (options != NULL)
    effective = *options;
  if (effective.firmware == NULL)
    effective.firmware = default_firmware = pt_domain_firmware_new_default (scan);

  if (!pt_domain_apply (xmlDocGetRootElement (doc), scan, setup, &effective, warnings, error))
    return NULL;

  /* The text may not end in a NUL: look only inside @length. */
  end = xml + (length < 0 ? strlen (xml) : (gsize) length);
  if (end - start >= 3 && memcmp (start, "\xEF\xBB\xBF", 3) == 0)
    start += 3;
  while (start < end && g_ascii_isspace (*start))
    start++;
  return dump_doc (doc, end - start >= 5 && memcmp (start, "<?xml", 5) == 0);
}

char *
pt_domain_get_name (const char  *xml,
                    gssize       length,
                    GError     **error)
{
  g_autoptr(xmlDoc) doc = parse_xml (xml, length, "domain", error);
  xmlNode *name;
  xmlChar *content;
  char *copy;

  if (doc == NULL)
    return NULL;
  name = pt_domain_find_child (xmlDocGetRootElement (doc), "name");
  content = name != NULL ? xmlNodeGetContent (name) : NULL;
  if (content == NULL || *content == '\0')
    {
      xmlFree (content);
      g_set_error (error, PT_DOMAIN_ERROR, PT_DOMAIN_ERROR_INVALID_XML,
                   _("The domain XML has no <name>."));
      return NULL;
    }
  copy = g_strdup ((const char *) content);
  xmlFree (content);
  return copy;
}

/* ---- firmware ------------------------------------------------------------------------ */

static GPtrArray *
xpath_strings (xmlXPathContext *context,
               const char      *expression)
{
  g_autoptr(xmlXPathObject) result = xmlXPathEvalExpression (BAD_CAST expression, context);
  GPtrArray *strings = g_ptr_array_new_with_free_func (g_free);

  if (result == NULL || result->nodesetval == NULL)
    return strings;
  for (int i = 0; i < result->nodesetval->nodeNr; i++)
    {
      xmlChar *content = xmlNodeGetContent (result->nodesetval->nodeTab[i]);

      g_ptr_array_add (strings, g_strstrip (g_strdup ((const char *) content)));
      xmlFree (content);
    }
  return strings;
}

static gboolean
strings_contain (GPtrArray  *strings,
                 const char *value)
{
  for (guint i = 0; i < strings->len; i++)
    if (g_str_equal (g_ptr_array_index (strings, i), value))
      return TRUE;
  return FALSE;
}

PtDomainFirmware *
pt_domain_firmware_from_capabilities (const char  *capabilities_xml,
                                      GError     **error)
{
  g_autoptr(xmlDoc) doc = parse_xml (capabilities_xml, -1, "domainCapabilities", error);
  g_autoptr(xmlXPathContext) context = NULL;
  g_autoptr(GPtrArray) firmware = NULL;
  g_autoptr(GPtrArray) loaders = NULL;
  g_autoptr(GPtrArray) secure = NULL;
  g_autoptr(GPtrArray) backends = NULL;
  g_autoptr(PtDomainFirmware) self = NULL;

  if (doc == NULL)
    return NULL;

  context = xmlXPathNewContext (doc);
  firmware = xpath_strings (context, "/domainCapabilities/os[@supported='yes']"
                                     "/enum[@name='firmware']/value");
  loaders = xpath_strings (context, "/domainCapabilities/os[@supported='yes']"
                                    "/loader[@supported='yes']/value");
  secure = xpath_strings (context, "/domainCapabilities/os/loader/enum[@name='secure']/value");
  backends = xpath_strings (context, "/domainCapabilities/devices/tpm[@supported='yes']"
                                     "/enum[@name='backendModel']/value");

  self = g_new0 (PtDomainFirmware, 1);
  self->efi_auto = strings_contain (firmware, "efi");
  self->secure_boot = strings_contain (secure, "yes");
  self->tpm_emulator = strings_contain (backends, "emulator");

  /* Without firmware auto-selection, name an image: one with Microsoft's keys enrolled where
   * Secure Boot is possible (".ms."), else the first one. */
  for (guint i = 0; i < loaders->len && self->loader == NULL; i++)
    if (self->secure_boot && strstr (g_ptr_array_index (loaders, i), ".ms.") != NULL)
      self->loader = g_strdup (g_ptr_array_index (loaders, i));
  if (self->loader == NULL && loaders->len > 0)
    self->loader = g_strdup (g_ptr_array_index (loaders, 0));
  if (self->loader == NULL && !self->efi_auto)
    self->secure_boot = FALSE;

  return g_steal_pointer (&self);
}

PtDomainFirmware *
pt_domain_firmware_new_default (PtHostScan *scan)
{
  static const char * const swtpm_paths[] = { "/usr/bin/swtpm", "/usr/local/bin/swtpm", NULL };
  PtDomainFirmware *self = g_new0 (PtDomainFirmware, 1);
  PtSysroot *sysroot = pt_host_scan_get_sysroot (scan);

  self->efi_auto = TRUE;
  self->secure_boot = TRUE;
  for (guint i = 0; swtpm_paths[i] != NULL && !self->tpm_emulator; i++)
    self->tpm_emulator = pt_sysroot_exists (sysroot, swtpm_paths[i]);
  return self;
}

/* ---- backups ------------------------------------------------------------------------- */

char *
pt_domain_backup_dir (void)
{
  return g_build_filename (g_get_user_state_dir (), "passthrough", "backups", NULL);
}

gboolean
pt_domain_save_backup (const char  *xml,
                       char       **ret_path,
                       GError     **error)
{
  g_autofree char *name = pt_domain_get_name (xml, -1, error);
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *stamp = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) local_error = NULL;

  if (name == NULL)
    return FALSE;
  /* A name becomes a file name: nothing that could leave the backup folder. */
  if (strchr (name, '/') != NULL || g_str_has_prefix (name, "."))
    {
      g_set_error (error, PT_DOMAIN_ERROR, PT_DOMAIN_ERROR_BACKUP,
                   _("The virtual machine’s name “%s” cannot be a file name for its backup."),
                   name);
      return FALSE;
    }

  dir = pt_domain_backup_dir ();
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, PT_DOMAIN_ERROR, PT_DOMAIN_ERROR_BACKUP,
                   _("Could not make the backup folder %s (%s)."), dir, g_strerror (saved));
      return FALSE;
    }

  stamp = g_date_time_format (now, "%Y%m%dT%H%M%SZ");
  for (guint n = 1; path == NULL || g_file_test (path, G_FILE_TEST_EXISTS); n++)
    {
      g_autofree char *file = n == 1 ? g_strdup_printf ("%s-%s.xml", name, stamp)
                                     : g_strdup_printf ("%s-%s-%u.xml", name, stamp, n);

      g_free (path);
      path = g_build_filename (dir, file, NULL);
    }

  if (!g_file_set_contents_full (path, xml, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                 &local_error))
    {
      g_set_error (error, PT_DOMAIN_ERROR, PT_DOMAIN_ERROR_BACKUP,
                   _("Could not keep a backup of the virtual machine (%s)."),
                   local_error->message);
      return FALSE;
    }

  if (ret_path != NULL)
    *ret_path = g_steal_pointer (&path);
  return TRUE;
}
