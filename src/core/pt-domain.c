/* pt-domain.c: one code path for new and existing domains: a new VM is a skeleton that gets the
 * same edits as a VM the user already has. */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <libxml/parser.h>
#include <string.h>

#include "pt-cpu-domain.h"
#include "pt-cpu-planner.h"
#include "pt-devices-domain.h"
#include "pt-domain.h"
#include "pt-domain-private.h"
#include "pt-gpu.h"
#include "pt-memory-plan.h"
#include "pt-pci.h"

G_DEFINE_QUARK (pt-domain-error-quark, pt_domain_error)

/* The order libvirt writes a domain's children in; ours go where libvirt would put them. */
static const char * const domain_order[] = {
  "name", "uuid", "genid", "title", "description", "metadata", "maxMemory", "memory",
  "currentMemory", "blkiotune", "memtune", "memoryBacking", "vcpu", "vcpus", "iothreads",
  "iothreadids", "defaultiothread", "cputune", "numatune", "resource", "sysinfo", "bootloader",
  "bootloader_args", "os", "idmap", "features", "cpu", "clock", "on_poweroff", "on_reboot",
  "on_crash", "pm", "perf", "devices", "seclabel", "keywrap", "launchSecurity", NULL
};

static const char * const features_order[] = {
  "pae", "acpi", "apic", "hap", "privnet", "hyperv", "kvm", "xen", "pvspinlock", "pmu",
  "vmport", "gic", "smm", "ioapic", "hpt", "htm", "nested-hv", "msrs", "ccf-assist", "cfpc",
  "sbbc", "ibs", "tcg", "async-teardown", NULL
};

/* Top-level elements the app replaces whole when it has one of its own. */
static const char * const owned_top_level[] = {
  "memory", "currentMemory", "vcpu", "iothreads", "cputune", "numatune", "cpu", "clock", NULL
};

static const char * const owned_features[] = { "hyperv", "kvm", "vmport", "ioapic", NULL };

void
pt_domain_firmware_free (PtDomainFirmware *self)
{
  if (self == NULL)
    return;

  g_free (self->loader);
  g_free (self);
}

/* ---- small XML helpers ---------------------------------------------------------------- */

gboolean
pt_domain_is_element (const xmlNode *node,
                      const char    *name)
{
  return node != NULL && node->type == XML_ELEMENT_NODE
         && (node->ns == NULL || node->ns->prefix == NULL)
         && xmlStrcmp (node->name, BAD_CAST name) == 0;
}

xmlNode *
pt_domain_find_child (xmlNode    *parent,
                      const char *name)
{
  for (xmlNode *child = parent->children; child != NULL; child = child->next)
    if (pt_domain_is_element (child, name))
      return child;
  return NULL;
}

char *
pt_domain_get_prop (xmlNode    *node,
                    const char *name)
{
  xmlChar *value;
  char *copy;

  if (node == NULL)
    return NULL;
  value = xmlGetProp (node, BAD_CAST name);
  copy = g_strdup ((const char *) value);
  xmlFree (value);
  return copy;
}

static gboolean
is_blank_text (const xmlNode *node)
{
  return node != NULL && node->type == XML_TEXT_NODE && xmlIsBlankNode ((xmlNode *) node);
}

static guint
depth_of (const xmlNode *node)
{
  guint depth = 0;

  for (const xmlNode *n = node->parent; n != NULL && n->type == XML_ELEMENT_NODE; n = n->parent)
    depth++;
  return depth;
}

static xmlNode *
new_indent (xmlDoc *doc,
            guint   depth)
{
  g_autofree char *text = g_strnfill (depth * 2 + 1, ' ');

  text[0] = '\n';
  return xmlNewDocText (doc, BAD_CAST text);
}

/* Indents a fragment the builders made without any whitespace, as libvirt writes its XML. */
static void
indent_fragment (xmlNode *node,
                 guint    depth)
{
  gboolean has_elements = FALSE;
  xmlNode *child;

  for (child = node->children; child != NULL; child = child->next)
    {
      if (child->type == XML_TEXT_NODE && !xmlIsBlankNode (child))
        return;   /* mixed or text content: leave it as it is */
      if (child->type == XML_ELEMENT_NODE)
        has_elements = TRUE;
    }
  if (!has_elements)
    return;

  child = node->children;
  while (child != NULL)
    {
      xmlNode *next = child->next;

      if (child->type == XML_TEXT_NODE)
        {
          xmlUnlinkNode (child);
          xmlFreeNode (child);
        }
      else
        {
          xmlAddPrevSibling (child, new_indent (node->doc, depth + 1));
          if (child->type == XML_ELEMENT_NODE)
            indent_fragment (child, depth + 1);
        }
      child = next;
    }
  xmlAddChild (node, new_indent (node->doc, depth));
}

/* Removes @node with the whitespace before it, so that putting it back gives the same text. */
void
pt_domain_remove_node (xmlNode *node)
{
  xmlNode *prev = node->prev;

  if (is_blank_text (prev))
    {
      xmlUnlinkNode (prev);
      xmlFreeNode (prev);
    }
  xmlUnlinkNode (node);
  xmlFreeNode (node);
}

static int
order_index (const char * const *order,
             const xmlNode      *node)
{
  if (node->type != XML_ELEMENT_NODE || (node->ns != NULL && node->ns->prefix != NULL))
    return -1;
  for (int i = 0; order[i] != NULL; i++)
    if (xmlStrcmp (node->name, BAD_CAST order[i]) == 0)
      return i;
  return -1;
}

/*
 * Puts @node (unlinked, possibly from another parent) into @parent after the last child that
 * @order places before it, or after the last child when @order is NULL, preceded by an indent.
 */
void
pt_domain_insert_node (xmlNode            *parent,
                       xmlNode            *node,
                       const char * const *order)
{
  guint depth = depth_of (parent) + 1;
  int rank = order != NULL ? order_index (order, node) : -1;
  xmlNode *after = NULL;
  gboolean was_empty = parent->children == NULL;

  xmlUnlinkNode (node);
  xmlSetTreeDoc (node, parent->doc);
  indent_fragment (node, depth);

  for (xmlNode *child = parent->children; child != NULL; child = child->next)
    {
      int child_rank;

      if (child->type != XML_ELEMENT_NODE)
        continue;
      child_rank = order != NULL ? order_index (order, child) : -1;
      /* Elements the order does not know (another namespace's) go last. */
      if (order == NULL || rank < 0 || (child_rank >= 0 && child_rank <= rank))
        after = child;
    }

  if (after != NULL)
    {
      xmlAddNextSibling (after, node);
      xmlAddPrevSibling (node, new_indent (parent->doc, depth));
    }
  else if (parent->children != NULL)
    {
      xmlNode *first = parent->children;

      xmlAddPrevSibling (first, node);
      xmlAddPrevSibling (node, new_indent (parent->doc, depth));
    }
  else
    {
      xmlAddChild (parent, new_indent (parent->doc, depth));
      xmlAddChild (parent, node);
    }

  if (was_empty)
    xmlAddChild (parent, new_indent (parent->doc, depth - 1));
}

static void
remove_children_named (xmlNode    *parent,
                       const char *name)
{
  xmlNode *child = parent->children;

  while (child != NULL)
    {
      xmlNode *next = child->next;

      if (pt_domain_is_element (child, name))
        pt_domain_remove_node (child);
      child = next;
    }
}

/* Gets @parent's child @name, made (and placed by @order) when missing. */
static xmlNode *
ensure_child (xmlNode            *parent,
              const char         *name,
              const char * const *order)
{
  xmlNode *child = pt_domain_find_child (parent, name);

  if (child == NULL)
    {
      child = xmlNewDocNode (parent->doc, NULL, BAD_CAST name, NULL);
      pt_domain_insert_node (parent, child, order);
    }
  return child;
}

/* Moves @scratch's @name children to @target, in place of @target's own. */
static void
replace_from_scratch (xmlNode            *target,
                      xmlNode            *scratch,
                      const char         *name,
                      const char * const *order)
{
  xmlNode *fresh = pt_domain_find_child (scratch, name);

  if (fresh == NULL)
    return;
  remove_children_named (target, name);
  pt_domain_insert_node (target, fresh, order);
}

/* ---- the parts the app owns -------------------------------------------------------------- */

static void
add_hyperv (xmlNode *features)
{
  static const char * const on[] = {
    "relaxed", "vapic", "spinlocks", "vpindex", "synic", "stimer", "reset", "frequencies",
    "vendor_id", NULL
  };
  xmlNode *hyperv = xmlNewChild (features, NULL, BAD_CAST "hyperv", NULL);

  xmlSetProp (hyperv, BAD_CAST "mode", BAD_CAST "custom");
  for (guint i = 0; on[i] != NULL; i++)
    {
      xmlNode *node = xmlNewChild (hyperv, NULL, BAD_CAST on[i], NULL);

      xmlSetProp (node, BAD_CAST "state", BAD_CAST "on");
      if (g_str_equal (on[i], "spinlocks"))
        xmlSetProp (node, BAD_CAST "retries", BAD_CAST "8191");
      else if (g_str_equal (on[i], "vendor_id"))
        /* Some GPU drivers refuse to start on a hypervisor's default id; 12 characters at most. */
        xmlSetProp (node, BAD_CAST "value", BAD_CAST "passthrough");
    }
}

static void
add_features (xmlNode               *scratch,
              PtSetup               *setup,
              const PtDomainOptions *options)
{
  xmlNode *features = xmlNewChild (scratch, NULL, BAD_CAST "features", NULL);
  xmlNode *node;

  if (pt_setup_get_guest (setup) == PT_GUEST_WINDOWS)
    add_hyperv (features);
  if (options->kvm_hidden)
    {
      node = xmlNewChild (features, NULL, BAD_CAST "kvm", NULL);
      node = xmlNewChild (node, NULL, BAD_CAST "hidden", NULL);
      xmlSetProp (node, BAD_CAST "state", BAD_CAST "on");
    }
  node = xmlNewChild (features, NULL, BAD_CAST "vmport", NULL);
  xmlSetProp (node, BAD_CAST "state", BAD_CAST "off");
  node = xmlNewChild (features, NULL, BAD_CAST "ioapic", NULL);
  xmlSetProp (node, BAD_CAST "driver", BAD_CAST "kvm");
}

static void
add_timer (xmlNode    *clock,
           const char *name,
           const char *attr,
           const char *value)
{
  xmlNode *timer = xmlNewChild (clock, NULL, BAD_CAST "timer", NULL);

  xmlSetProp (timer, BAD_CAST "name", BAD_CAST name);
  xmlSetProp (timer, BAD_CAST attr, BAD_CAST value);
}

static void
add_clock (xmlNode *scratch,
           PtSetup *setup)
{
  gboolean windows = pt_setup_get_guest (setup) == PT_GUEST_WINDOWS;
  xmlNode *clock = xmlNewChild (scratch, NULL, BAD_CAST "clock", NULL);

  /* Windows keeps the hardware clock in local time, Linux in UTC. */
  xmlSetProp (clock, BAD_CAST "offset", BAD_CAST (windows ? "localtime" : "utc"));
  add_timer (clock, "rtc", "tickpolicy", "catchup");
  add_timer (clock, "pit", "tickpolicy", "delay");
  add_timer (clock, "hpet", "present", "no");
  if (windows)
    add_timer (clock, "hypervclock", "present", "yes");
}

/* ---- metadata ---------------------------------------------------------------------------- */

static gboolean
is_our_metadata (const xmlNode *node)
{
  return node->type == XML_ELEMENT_NODE && node->ns != NULL
         && xmlStrcmp (node->ns->href, BAD_CAST PT_DOMAIN_METADATA_NS) == 0
         && xmlStrcmp (node->name, BAD_CAST "vm") == 0;
}

/* The keys of the devices an earlier edit added, from the domain's metadata. */
static void
read_owned_keys (xmlNode    *domain,
                 GHashTable *keys)
{
  xmlNode *metadata = pt_domain_find_child (domain, "metadata");

  if (metadata == NULL)
    return;
  for (xmlNode *vm = metadata->children; vm != NULL; vm = vm->next)
    {
      if (!is_our_metadata (vm))
        continue;
      for (xmlNode *device = vm->children; device != NULL; device = device->next)
        {
          xmlChar *key;

          if (device->type != XML_ELEMENT_NODE
              || xmlStrcmp (device->name, BAD_CAST "device") != 0)
            continue;
          key = xmlGetProp (device, BAD_CAST "key");
          if (key != NULL)
            g_hash_table_add (keys, g_strdup ((const char *) key));
          xmlFree (key);
        }
    }
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
write_owned_keys (xmlNode    *domain,
                  GHashTable *keys)
{
  xmlNode *metadata = ensure_child (domain, "metadata", domain_order);
  g_autofree const char **sorted = (const char **) g_hash_table_get_keys_as_array (keys, NULL);
  xmlNode *child = metadata->children;
  xmlNode *vm;
  xmlNs *ns;

  while (child != NULL)
    {
      xmlNode *next = child->next;

      if (is_our_metadata (child))
        pt_domain_remove_node (child);
      child = next;
    }

  vm = xmlNewDocNode (domain->doc, NULL, BAD_CAST "vm", NULL);
  ns = xmlNewNs (vm, BAD_CAST PT_DOMAIN_METADATA_NS, BAD_CAST PT_DOMAIN_METADATA_PREFIX);
  xmlSetNs (vm, ns);
  qsort (sorted, g_hash_table_size (keys), sizeof (char *), compare_strings);
  for (guint i = 0; i < g_hash_table_size (keys); i++)
    {
      xmlNode *device = xmlNewChild (vm, ns, BAD_CAST "device", NULL);

      xmlSetProp (device, BAD_CAST "key", BAD_CAST sorted[i]);
    }
  pt_domain_insert_node (metadata, vm, NULL);
}

/* ---- QEMU's own input-linux objects ------------------------------------------------------ */

#define QEMU_NS_HREF "http://libvirt.org/schemas/domain/qemu/1.0"
/* The ids pt_devices_append_input_linux() gives its objects: the app's, whatever the path. */
#define INPUT_LINUX_PREFIX "input-linux,id=passthrough-input"

static xmlNode *
find_qemu_commandline (xmlNode *domain)
{
  for (xmlNode *child = domain->children; child != NULL; child = child->next)
    if (child->type == XML_ELEMENT_NODE && child->ns != NULL
        && xmlStrcmp (child->ns->href, BAD_CAST QEMU_NS_HREF) == 0
        && xmlStrcmp (child->name, BAD_CAST "commandline") == 0)
      return child;
  return NULL;
}

static gboolean
arg_has_value (xmlNode    *node,
               const char *value,
               gboolean    prefix)
{
  g_autofree char *actual = NULL;

  if (node == NULL || node->type != XML_ELEMENT_NODE
      || xmlStrcmp (node->name, BAD_CAST "arg") != 0)
    return FALSE;
  actual = pt_domain_get_prop (node, "value");
  return actual != NULL
         && (prefix ? g_str_has_prefix (actual, value) : g_str_equal (actual, value));
}

static xmlNode *
previous_element (xmlNode *node)
{
  for (node = node->prev; node != NULL; node = node->prev)
    if (node->type == XML_ELEMENT_NODE)
      return node;
  return NULL;
}

/* Removes the "-object input-linux,id=passthrough-input…" pairs an earlier edit added. */
static void
remove_input_linux (xmlNode *domain)
{
  xmlNode *commandline = find_qemu_commandline (domain);
  xmlNode *child;

  if (commandline == NULL)
    return;
  child = commandline->children;
  while (child != NULL)
    {
      xmlNode *next = child->next;

      if (arg_has_value (child, INPUT_LINUX_PREFIX, TRUE))
        {
          xmlNode *object = previous_element (child);

          if (arg_has_value (object, "-object", FALSE))
            pt_domain_remove_node (object);
          pt_domain_remove_node (child);
        }
      child = next;
    }
}

/* Gives what pt_devices_append_input_linux() appended its indent: the whole
 * <qemu:commandline> when it made one, else the arguments after @last_before. */
static void
indent_input_linux (xmlNode *domain,
                    xmlNode *commandline_before,
                    xmlNode *last_arg_before)
{
  xmlNode *commandline = find_qemu_commandline (domain);
  g_autoptr(GPtrArray) added = g_ptr_array_new ();

  if (commandline == NULL)
    return;
  if (commandline_before == NULL)
    {
      pt_domain_insert_node (domain, commandline, domain_order);
      return;
    }
  for (xmlNode *child = last_arg_before != NULL ? last_arg_before->next : commandline->children;
       child != NULL; child = child->next)
    g_ptr_array_add (added, child);
  for (guint i = 0; i < added->len; i++)
    xmlUnlinkNode (g_ptr_array_index (added, i));
  for (guint i = 0; i < added->len; i++)
    pt_domain_insert_node (commandline, g_ptr_array_index (added, i), NULL);
}

/* ---- applying the choices ---------------------------------------------------------------- */

/* What the edit cannot turn into a domain libvirt accepts, refused with a sentence. */
static gboolean
check_editable (xmlNode  *domain,
                GError  **error)
{
  xmlNode *os = pt_domain_find_child (domain, "os");
  g_autofree char *arch = pt_domain_get_prop (os != NULL ? pt_domain_find_child (os, "type")
                                                         : NULL, "arch");

  /* The planner, the Hyper-V enlightenments and the vmport and ioapic features are x86's; a
   * guest of another architecture could not use the host's GPU through KVM anyway. Without an
   * arch, libvirt takes the host's. */
  if (arch != NULL && !g_str_equal (arch, "x86_64") && !g_str_equal (arch, "i686"))
    {
      g_set_error (error, PT_DOMAIN_ERROR, PT_DOMAIN_ERROR_INVALID,
                   _("The virtual machine’s architecture is %s; Passthrough sets up x86_64 "
                     "guests only."), arch);
      return FALSE;
    }
  /* Memory hotplug needs guest NUMA cells, and the <cpu> the app writes has none. */
  if (pt_domain_find_child (domain, "maxMemory") != NULL)
    {
      g_set_error_literal (error, PT_DOMAIN_ERROR, PT_DOMAIN_ERROR_INVALID,
                           _("The virtual machine can get memory while it runs (<maxMemory>), "
                             "which needs guest NUMA cells that Passthrough does not set up; "
                             "remove <maxMemory> and the memory devices first."));
      return FALSE;
    }
  return TRUE;
}

static void
add_iothread_id (GArray     *ids,
                 const char *text)
{
  guint64 value;
  guint id;

  if (text == NULL || !pt_parse_uint64 (text, 10, &value, NULL) || value == 0
      || value > G_MAXUINT)
    return;
  id = (guint) value;
  for (guint i = 0; i < ids->len; i++)
    if (g_array_index (ids, guint, i) == id)
      return;
  g_array_append_val (ids, id);
}

/* The I/O threads the devices name (<driver iothread='2'>), below @node. */
static void
collect_device_iothreads (xmlNode *node,
                          GArray  *ids)
{
  for (xmlNode *child = node->children; child != NULL; child = child->next)
    {
      if (child->type != XML_ELEMENT_NODE)
        continue;
      if (pt_domain_is_element (child, "driver"))
        {
          g_autofree char *id = pt_domain_get_prop (child, "iothread");

          add_iothread_id (ids, id);
        }
      collect_device_iothreads (child, ids);
    }
}

/*
 * The plan has one I/O thread, but the domain's own disks and controllers may use more, and
 * libvirt refuses a device on an I/O thread the domain does not define: the count grows to
 * cover them (and the user's <iothreadids>, with id 1 for the app's disks), and every I/O thread
 * is pinned where the plan puts the first.
 */
static void
fit_iothreads (xmlNode *domain)
{
  xmlNode *iothreads = pt_domain_find_child (domain, "iothreads");
  xmlNode *listed = pt_domain_find_child (domain, "iothreadids");
  xmlNode *devices = pt_domain_find_child (domain, "devices");
  xmlNode *cputune = pt_domain_find_child (domain, "cputune");
  xmlNode *first_pin = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree char *count = NULL;

  if (iothreads == NULL)
    return;

  add_iothread_id (ids, "1");
  if (listed != NULL)
    for (xmlNode *child = listed->children; child != NULL; child = child->next)
      if (pt_domain_is_element (child, "iothread"))
        {
          g_autofree char *id = pt_domain_get_prop (child, "id");

          add_iothread_id (ids, id);
        }
  if (devices != NULL)
    {
      g_autoptr(GArray) used = g_array_new (FALSE, FALSE, sizeof (guint));
      guint highest = 1;

      collect_device_iothreads (devices, used);
      for (guint i = 0; i < used->len; i++)
        highest = MAX (highest, g_array_index (used, guint, i));
      /* Without <iothreadids>, libvirt numbers the threads 1 to <iothreads>. */
      for (guint id = 2; listed == NULL && id <= highest; id++)
        g_array_append_val (ids, id);
    }
  if (ids->len == 1)
    return;

  count = g_strdup_printf ("%u", ids->len);
  xmlNodeSetContent (iothreads, BAD_CAST count);

  for (xmlNode *child = cputune != NULL ? cputune->children : NULL; child != NULL;
       child = child->next)
    if (pt_domain_is_element (child, "iothreadpin"))
      {
        g_autofree char *id = pt_domain_get_prop (child, "iothread");

        if (g_strcmp0 (id, "1") == 0)
          first_pin = child;
      }
  if (first_pin == NULL)
    return;
  for (guint i = 0; i < ids->len; i++)
    {
      guint id = g_array_index (ids, guint, i);
      g_autofree char *text = g_strdup_printf ("%u", id);
      xmlNode *pin;

      if (id == 1)
        continue;
      pin = xmlDocCopyNode (first_pin, domain->doc, 1);
      xmlSetProp (pin, BAD_CAST "iothread", BAD_CAST text);
      pt_domain_insert_node (cputune, pin, NULL);
    }
}

/* Guest NUMA cells live in <cpu>, which the app replaces; the <numatune> memnodes that name
 * them would make libvirt refuse the domain. */
static void
remove_stale_memnodes (xmlNode *domain)
{
  xmlNode *cpu = pt_domain_find_child (domain, "cpu");
  xmlNode *numatune = pt_domain_find_child (domain, "numatune");
  gboolean empty = TRUE;

  if (numatune == NULL || (cpu != NULL && pt_domain_find_child (cpu, "numa") != NULL))
    return;
  remove_children_named (numatune, "memnode");
  for (xmlNode *child = numatune->children; child != NULL; child = child->next)
    if (child->type == XML_ELEMENT_NODE)
      empty = FALSE;
  if (empty)
    pt_domain_remove_node (numatune);
}

/* A graphics card the domain had before, next to the chosen one, stays (the app never removes
 * what it did not add), but goes to the guest too: worth a word. */
static void
warn_other_gpus (xmlNode           *devices,
                 PtHostScan        *scan,
                 const PtGpuChoice *gpu,
                 GPtrArray         *warnings)
{
  for (xmlNode *child = devices->children; warnings != NULL && child != NULL;
       child = child->next)
    {
      g_autofree char *key = pt_domain_device_key (child);
      const PtPciDevice *device;
      g_autofree char *desc = NULL;

      if (key == NULL || !pt_domain_is_element (child, "hostdev")
          || !g_str_has_prefix (key, "pci:"))
        continue;
      device = pt_pci_find (pt_host_scan_get_pci (scan), key + strlen ("pci:"));
      if (device == NULL || !pt_pci_device_is_gpu (device)
          || pt_gpu_choice_contains (gpu, device->address))
        continue;
      desc = pt_gpu_describe_device (device);
      if (device->boot_vga)
        g_ptr_array_add (warnings,
                         g_strdup_printf (_("The virtual machine also has the graphics card %s, "
                                            "which Passthrough did not add and which shows this "
                                            "computer’s screen; it stays in the virtual "
                                            "machine."), desc));
      else
        g_ptr_array_add (warnings,
                         g_strdup_printf (_("The virtual machine also has the graphics card %s, "
                                            "which Passthrough did not add; it stays in the "
                                            "virtual machine."), desc));
    }
}

/* A PCI device the domain had already may carry a ROM image the user chose (a patched vBIOS):
 * the device the app puts in its place keeps it. */
static void
keep_roms (xmlNode    *device,
           const char *key,
           GHashTable *roms)
{
  GPtrArray *kept = NULL;

  if (!g_str_has_prefix (key, "pci:"))
    return;
  for (xmlNode *child = device->children; child != NULL; child = child->next)
    if (pt_domain_is_element (child, "rom"))
      {
        if (kept == NULL)
          {
            kept = g_ptr_array_new_with_free_func ((GDestroyNotify) xmlFreeNode);
            g_hash_table_replace (roms, g_strdup (key), kept);
          }
        g_ptr_array_add (kept, xmlDocCopyNode (child, device->doc, 1));
      }
}

static void
restore_roms (xmlNode    *device,
              const char *key,
              GHashTable *roms)
{
  GPtrArray *kept = g_hash_table_lookup (roms, key);
  xmlNode *address = pt_domain_find_child (device, "address");

  /* libvirt writes <rom> after <source> and before the guest <address>. */
  while (kept != NULL && kept->len > 0)
    {
      xmlNode *rom = g_ptr_array_steal_index (kept, 0);

      if (address != NULL)
        xmlAddPrevSibling (address, rom);
      else
        xmlAddChild (device, rom);
    }
}


static PtCpuPlan *
plan_cpus (PtHostScan  *scan,
           PtSetup     *setup,
           GError     **error)
{
  GArray *pins = pt_setup_get_cpu_pins (setup);

  if (pins != NULL && pins->len > 0)
    {
      const PtPciDevice *gpu = NULL;

      if (pt_setup_get_gpu (setup) != NULL)
        gpu = pt_pci_find (pt_host_scan_get_pci (scan), pt_setup_get_gpu (setup));
      return pt_cpu_planner_plan_manual (pt_host_scan_get_cpu (scan), pins,
                                         gpu != NULL ? gpu->numa_node : -1, error);
    }
  return pt_cpu_planner_plan_for_scan (scan, pt_setup_get_vcpus (setup), pt_setup_get_gpu (setup),
                                       pt_setup_get_guest (setup), error);
}

static void
add_warnings (GPtrArray          *warnings,
              const char * const *lines)
{
  for (guint i = 0; warnings != NULL && lines != NULL && lines[i] != NULL; i++)
    g_ptr_array_add (warnings, g_strdup (lines[i]));
}

/* Replaces the hugepages of <memoryBacking>, keeping what else it holds (shared memory for
 * virtiofs, for one). */
static void
apply_memory_backing (xmlNode *domain,
                      xmlNode *scratch)
{
  xmlNode *fresh = pt_domain_find_child (scratch, "memoryBacking");
  xmlNode *backing = pt_domain_find_child (domain, "memoryBacking");
  xmlNode *hugepages = fresh != NULL ? pt_domain_find_child (fresh, "hugepages") : NULL;

  if (backing != NULL)
    {
      gboolean empty = TRUE;

      remove_children_named (backing, "hugepages");
      for (xmlNode *child = backing->children; child != NULL; child = child->next)
        if (!is_blank_text (child))
          empty = FALSE;
      if (empty)
        {
          pt_domain_remove_node (backing);
          backing = NULL;
        }
    }

  if (hugepages == NULL)
    return;
  if (backing == NULL)
    pt_domain_insert_node (domain, fresh, domain_order);
  else
    {
      /* libvirt writes <hugepages> first. */
      static const char * const backing_order[] = { "hugepages", NULL };

      pt_domain_insert_node (backing, hugepages, backing_order);
    }
}

gboolean
pt_domain_apply (xmlNode                *domain,
                 PtHostScan             *scan,
                 PtSetup                *setup,
                 const PtDomainOptions  *options,
                 GPtrArray              *warnings,
                 GError                **error)
{
  g_autoptr(PtCpuPlan) cpu_plan = NULL;
  g_autoptr(PtMemoryPlan) memory_plan = NULL;
  g_autoptr(PtGpuChoice) gpu = NULL;
  g_autoptr(GHashTable) remove_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                             NULL);
  g_autoptr(GHashTable) owned_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                            NULL);
  g_autoptr(GHashTable) roms = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                      (GDestroyNotify) g_ptr_array_unref);
  xmlNode *scratch = NULL;
  xmlNode *scratch_devices;
  xmlNode *features;
  xmlNode *devices;
  xmlNode *last_before;
  xmlNode *commandline;
  xmlNode *last_arg;
  gboolean ok = FALSE;

  if (!check_editable (domain, error))
    return FALSE;

  if (pt_setup_get_gpu (setup) != NULL)
    {
      gpu = pt_gpu_choice_new (scan, NULL, pt_setup_get_gpu (setup),
                               pt_setup_get_single_gpu (setup), error);
      if (gpu == NULL)
        return FALSE;
      for (guint i = 0; warnings != NULL && i < gpu->issues->len; i++)
        {
          const PtGpuIssue *issue = g_ptr_array_index (gpu->issues, i);

          g_ptr_array_add (warnings, g_strdup (issue->message));
        }
    }

  cpu_plan = plan_cpus (scan, setup, error);
  if (cpu_plan == NULL)
    return FALSE;
  memory_plan = pt_memory_plan_new_for_scan (scan, setup, cpu_plan->vcpus);
  add_warnings (warnings, (const char * const *) memory_plan->blockers);
  add_warnings (warnings, (const char * const *) memory_plan->warnings);

  /* Fragments are built in a scratch element of the same document, then moved into place. */
  scratch = xmlNewDocNode (domain->doc, NULL, BAD_CAST "domain", NULL);
  pt_memory_plan_append_domain (memory_plan, scratch, NULL);
  pt_cpu_domain_add_all (scratch, cpu_plan);
  add_features (scratch, setup, options);
  add_clock (scratch, setup);

  for (guint i = 0; owned_top_level[i] != NULL; i++)
    replace_from_scratch (domain, scratch, owned_top_level[i], domain_order);
  /* Per-vCPU hotplug states describe the old count; libvirt refuses them with a new one. */
  remove_children_named (domain, "vcpus");
  remove_stale_memnodes (domain);
  apply_memory_backing (domain, scratch);

  features = ensure_child (domain, "features", domain_order);
  for (guint i = 0; owned_features[i] != NULL; i++)
    remove_children_named (features, owned_features[i]);
  {
    xmlNode *fresh_features = pt_domain_find_child (scratch, "features");
    xmlNode *child = fresh_features->children;

    while (child != NULL)
      {
        xmlNode *next = child->next;

        pt_domain_insert_node (features, child, features_order);
        child = next;
      }
  }

  /* What the setup's devices would be, to know which of the domain's devices they replace. */
  scratch_devices = xmlNewChild (scratch, NULL, BAD_CAST "devices", NULL);
  if (!pt_devices_append_setup (scratch, setup, scan, 1, NULL, error))
    goto out;
  pt_domain_collect_keys (scratch_devices, remove_keys);
  read_owned_keys (domain, remove_keys);
  if (gpu != NULL)
    for (guint i = 0; i < gpu->devices->len; i++)
      {
        const PtPciDevice *device = g_ptr_array_index (gpu->devices, i);

        g_hash_table_add (remove_keys, g_strconcat ("pci:", device->address, NULL));
      }

  devices = ensure_child (domain, "devices", domain_order);
  {
    xmlNode *child = devices->children;

    while (child != NULL)
      {
        xmlNode *next = child->next;
        g_autofree char *key = pt_domain_device_key (child);

        if (key != NULL && g_hash_table_contains (remove_keys, key))
          {
            keep_roms (child, key, roms);
            pt_domain_remove_node (child);
          }
        child = next;
      }
  }

  if (gpu != NULL)
    warn_other_gpus (devices, scan, gpu, warnings);

  /* The real devices are appended to the real <devices>, so disk targets skip the ones the
   * domain already uses; then each is moved to its indented place. */
  remove_input_linux (domain);
  commandline = find_qemu_commandline (domain);
  last_arg = commandline != NULL ? commandline->last : NULL;
  last_before = devices->last;
  if (!pt_devices_append_setup (domain, setup, scan, 1, warnings, error))
    goto out;
  indent_input_linux (domain, commandline, last_arg);
  if (gpu != NULL)
    pt_domain_append_gpu_hostdevs (devices, gpu->devices, owned_keys);
  {
    g_autoptr(GPtrArray) added = g_ptr_array_new ();
    xmlNode *child = last_before != NULL ? last_before->next : devices->children;

    /* Unlinked first, so that each goes after the domain's own devices, not after another new
     * one that has not got its indent yet. */
    for (; child != NULL; child = child->next)
      g_ptr_array_add (added, child);
    for (guint i = 0; i < added->len; i++)
      xmlUnlinkNode (g_ptr_array_index (added, i));
    for (guint i = 0; i < added->len; i++)
      {
        xmlNode *node = g_ptr_array_index (added, i);
        char *key = pt_domain_device_key (node);

        if (key != NULL)
          {
            restore_roms (node, key, roms);
            g_hash_table_add (owned_keys, key);
          }
        pt_domain_insert_node (devices, node, NULL);
      }
  }

  fit_iothreads (domain);
  write_owned_keys (domain, owned_keys);
  ok = TRUE;

out:
  xmlFreeNode (scratch);
  return ok;
}
