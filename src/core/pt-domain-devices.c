/* pt-domain-devices.c: which of a domain's devices are whose (keys that survive an edit), and
 * the guest GPU's hostdevs on PCIe root ports of their own. */

#include "config.h"

#include <string.h>

#include "pt-devices-domain.h"
#include "pt-domain-private.h"
#include "pt-pci.h"

static char *
hex_prop (xmlNode    *node,
          const char *name,
          guint64    *ret_value)
{
  g_autofree char *text = pt_domain_get_prop (node, name);
  const char *digits;

  if (text == NULL)
    return NULL;
  digits = g_str_has_prefix (text, "0x") || g_str_has_prefix (text, "0X") ? text + 2 : text;
  if (!pt_parse_uint64 (digits, 16, ret_value, NULL))
    return NULL;
  return g_steal_pointer (&text);
}

/* What identifies a device across edits: "pci:0000:09:00.0", "usb:046d:c52b",
 * "evdev:/dev/input/…", "disk:/dev/disk/…", "rootport:9"; NULL for anything else. */
char *
pt_domain_device_key (xmlNode *device)
{
  g_autofree char *type = pt_domain_get_prop (device, "type");

  if (pt_domain_is_element (device, "hostdev") && g_strcmp0 (type, "pci") == 0)
    {
      xmlNode *source = pt_domain_find_child (device, "source");
      xmlNode *address = source ? pt_domain_find_child (source, "address") : NULL;
      guint64 d = 0, b, s, f;
      g_autofree char *dt = NULL, *bt = NULL, *st = NULL, *ft = NULL;

      if (address == NULL)
        return NULL;
      dt = hex_prop (address, "domain", &d);
      bt = hex_prop (address, "bus", &b);
      st = hex_prop (address, "slot", &s);
      ft = hex_prop (address, "function", &f);
      if (bt == NULL || st == NULL || ft == NULL)
        return NULL;
      return g_strdup_printf ("pci:%04x:%02x:%02x.%x", (guint) d, (guint) b, (guint) s,
                              (guint) f);
    }
  if (pt_domain_is_element (device, "hostdev") && g_strcmp0 (type, "usb") == 0)
    {
      xmlNode *source = pt_domain_find_child (device, "source");
      guint64 v, p;
      g_autofree char *vt = NULL, *pt = NULL;

      if (source == NULL)
        return NULL;
      vt = hex_prop (pt_domain_find_child (source, "vendor"), "id", &v);
      pt = hex_prop (pt_domain_find_child (source, "product"), "id", &p);
      if (vt == NULL || pt == NULL)
        return NULL;
      return g_strdup_printf ("usb:%04x:%04x", (guint) v, (guint) p);
    }
  if (pt_domain_is_element (device, "input") && g_strcmp0 (type, "evdev") == 0)
    {
      g_autofree char *dev = pt_domain_get_prop (pt_domain_find_child (device, "source"), "dev");

      return dev != NULL ? g_strconcat ("evdev:", dev, NULL) : NULL;
    }
  if (pt_domain_is_element (device, "disk"))
    {
      xmlNode *source = pt_domain_find_child (device, "source");
      g_autofree char *dev = pt_domain_get_prop (source, "dev");
      g_autofree char *file = pt_domain_get_prop (source, "file");
      g_autofree char *pool = pt_domain_get_prop (source, "pool");
      g_autofree char *volume = pt_domain_get_prop (source, "volume");

      if (dev != NULL)
        return g_strconcat ("disk:", dev, NULL);
      if (file != NULL)
        return g_strconcat ("disk:", file, NULL);
      if (pool != NULL && volume != NULL)
        return g_strconcat ("disk:", pool, "/", volume, NULL);
      return NULL;
    }
  if (pt_domain_is_element (device, "controller") && g_strcmp0 (type, "pci") == 0)
    {
      g_autofree char *model = pt_domain_get_prop (device, "model");
      g_autofree char *index = pt_domain_get_prop (device, "index");

      if (g_strcmp0 (model, "pcie-root-port") == 0 && index != NULL)
        return g_strconcat ("rootport:", index, NULL);
    }
  return NULL;
}

void
pt_domain_collect_keys (xmlNode    *devices,
              GHashTable *keys)
{
  for (xmlNode *child = devices->children; child != NULL; child = child->next)
    {
      char *key = pt_domain_device_key (child);

      if (key != NULL)
        g_hash_table_add (keys, key);
    }
}

/* The highest index of the PCI controllers in @devices, or of a bus their guest addresses name
 * (libvirt adds the controller of a bus an address names but the domain does not define); 0
 * (pcie-root) when there are none. */
static guint
max_pci_controller_index (xmlNode *devices)
{
  guint64 max = 0;

  for (xmlNode *child = devices->children; child != NULL; child = child->next)
    {
      g_autofree char *type = pt_domain_get_prop (child, "type");
      g_autofree char *index = pt_domain_get_prop (child, "index");
      xmlNode *address = pt_domain_find_child (child, "address");
      g_autofree char *address_type = pt_domain_get_prop (address, "type");
      g_autofree char *bus = NULL;
      guint64 value;

      if (pt_domain_is_element (child, "controller") && g_strcmp0 (type, "pci") == 0
          && index != NULL && pt_parse_uint64 (index, 10, &value, NULL) && value > max)
        max = value;
      if (g_strcmp0 (address_type, "pci") == 0
          && (bus = hex_prop (address, "bus", &value)) != NULL && value > max)
        max = value;
    }
  return (guint) MIN (max, 254);
}

/* Whether @domain's machine has PCI Express: Q35 does; i440FX ("pc", "pc-i440fx-7.2", and the
 * default when no machine is named) has a plain PCI bus, where root ports cannot go. */
static gboolean
machine_has_pcie (xmlNode *domain)
{
  xmlNode *os = domain != NULL ? pt_domain_find_child (domain, "os") : NULL;
  g_autofree char *machine = pt_domain_get_prop (os != NULL ? pt_domain_find_child (os, "type")
                                                            : NULL, "machine");

  return machine != NULL && strstr (machine, "q35") != NULL;
}

/* The slots of the root bus that @devices' guest addresses take (not their host sources). */
static void
collect_root_bus_slots (xmlNode  *devices,
                        gboolean *used)
{
  for (xmlNode *device = devices->children; device != NULL; device = device->next)
    {
      xmlNode *address = pt_domain_find_child (device, "address");
      g_autofree char *type = pt_domain_get_prop (address, "type");
      guint64 bus = 0, slot = 0;
      g_autofree char *bt = NULL, *st = NULL;

      if (g_strcmp0 (type, "pci") != 0)
        continue;
      /* A bus left out is the root bus. */
      bt = hex_prop (address, "bus", &bus);
      st = hex_prop (address, "slot", &slot);
      if (st != NULL && (bt == NULL || bus == 0) && slot < 32)
        used[slot] = TRUE;
    }
}

/* A free slot of the root bus from 3 on: 0 is the host bridge, 1 the PIIX3 and 2 is where
 * libvirt puts the primary video. 0 when none is left. */
static guint
take_root_bus_slot (gboolean *used)
{
  for (guint slot = 3; slot < 32; slot++)
    if (!used[slot])
      {
        used[slot] = TRUE;
        return slot;
      }
  return 0;
}

/*
 * Each host slot of the GPU choice gets a PCIe root port of its own, and its functions keep
 * their numbers on that port's slot 0 (see below for a slot without function 0): a card's
 * video and audio stay one multifunction device, as drivers expect. A machine without PCI
 * Express (i440FX) has no root ports: each host slot gets a free slot of its root bus instead.
 * Appended to @devices; the new keys go to @keys.
 */
void
pt_domain_append_gpu_hostdevs (xmlNode     *devices,
                               GPtrArray   *functions,
                               GHashTable  *keys)
{
  guint next_index = max_pci_controller_index (devices) + 1;
  gboolean pcie = machine_has_pcie (devices->parent);
  gboolean used_slots[32] = { FALSE };
  g_autofree char *slot_of_port = NULL;
  guint port = 0;
  guint guest_slot = 0;
  /* A guest only looks for functions 1-7 of a slot that has a function 0: a slot whose
   * function 0 stays with the host gets its functions numbered from 0. */
  gboolean renumber = FALSE;
  guint next_function = 0;

  if (!pcie)
    collect_root_bus_slots (devices, used_slots);
  for (guint i = 0; i < functions->len; i++)
    {
      const PtPciDevice *device = g_ptr_array_index (functions, i);
      const char *address = device->address;
      gsize slot_length = strlen (address) - 2;   /* "0000:09:00" of "0000:09:00.1" */
      gboolean first = slot_of_port == NULL || strncmp (slot_of_port, address, slot_length) != 0;
      gboolean multifunction = FALSE;
      xmlNode *hostdev;
      xmlNode *node;
      g_autofree char *bus = NULL;
      g_autofree char *slot = NULL;
      g_autofree char *function = NULL;

      if (first && pcie)
        {
          g_autofree char *index = NULL;

          port = next_index++;
          index = g_strdup_printf ("%u", port);
          node = xmlNewChild (devices, NULL, BAD_CAST "controller", NULL);
          xmlSetProp (node, BAD_CAST "type", BAD_CAST "pci");
          xmlSetProp (node, BAD_CAST "index", BAD_CAST index);
          xmlSetProp (node, BAD_CAST "model", BAD_CAST "pcie-root-port");
          g_hash_table_add (keys, g_strconcat ("rootport:", index, NULL));
        }
      else if (first)
        guest_slot = take_root_bus_slot (used_slots);
      if (first)
        {
          g_free (slot_of_port);
          slot_of_port = g_strndup (address, slot_length);
          renumber = !g_str_has_suffix (address, ".0");
          next_function = 0;
          for (guint j = i + 1; j < functions->len; j++)
            {
              const PtPciDevice *other = g_ptr_array_index (functions, j);

              if (strncmp (other->address, address, slot_length) == 0)
                multifunction = TRUE;
            }
        }

      hostdev = pt_devices_append_pci (devices, address);
      if (hostdev == NULL)
        continue;
      g_hash_table_add (keys, g_strconcat ("pci:", address, NULL));
      /* No slot left on the root bus: libvirt places the function itself. */
      if (!pcie && guest_slot == 0)
        continue;
      bus = g_strdup_printf ("0x%02x", port);
      slot = g_strdup_printf ("0x%02x", guest_slot);
      if (renumber)
        function = g_strdup_printf ("0x%x", next_function++);
      else
        function = g_strdup_printf ("0x%c", address[strlen (address) - 1]);
      node = xmlNewChild (hostdev, NULL, BAD_CAST "address", NULL);
      xmlSetProp (node, BAD_CAST "type", BAD_CAST "pci");
      xmlSetProp (node, BAD_CAST "domain", BAD_CAST "0x0000");
      xmlSetProp (node, BAD_CAST "bus", BAD_CAST bus);
      xmlSetProp (node, BAD_CAST "slot", BAD_CAST slot);
      xmlSetProp (node, BAD_CAST "function", BAD_CAST function);
      if (multifunction)
        xmlSetProp (node, BAD_CAST "multifunction", BAD_CAST "on");
    }
}
