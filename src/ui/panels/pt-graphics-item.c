/* pt-graphics-item.c: the objects behind the Graphics panel's tree of IOMMU groups and devices. */

#include "config.h"

#include "pt-graphics-item.h"

#include <string.h>

struct _PtGraphicsItem
{
  GObject            parent_instance;

  PtHostScan        *scan;         /* keeps `device` alive */
  const PtPciDevice *device;       /* NULL for a group */
  int                group_id;
  GListStore        *children;     /* PtGraphicsItem, groups only */
  char              *search_text;  /* folded; NULL until first searched */
  char              *twin;
  char              *shares_with;
  char              *shares_detail;
  gboolean           chosen;
};

G_DEFINE_FINAL_TYPE (PtGraphicsItem, pt_graphics_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CHOSEN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
pt_graphics_item_finalize (GObject *object)
{
  PtGraphicsItem *self = PT_GRAPHICS_ITEM (object);

  g_clear_object (&self->children);
  g_clear_object (&self->scan);
  g_free (self->search_text);
  g_free (self->twin);
  g_free (self->shares_with);
  g_free (self->shares_detail);

  G_OBJECT_CLASS (pt_graphics_item_parent_class)->finalize (object);
}

static void
pt_graphics_item_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  PtGraphicsItem *self = PT_GRAPHICS_ITEM (object);

  switch (prop_id)
    {
    case PROP_CHOSEN:
      g_value_set_boolean (value, self->chosen);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pt_graphics_item_class_init (PtGraphicsItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pt_graphics_item_finalize;
  object_class->get_property = pt_graphics_item_get_property;

  properties[PROP_CHOSEN] =
    g_param_spec_boolean ("chosen", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pt_graphics_item_init (PtGraphicsItem *self)
{
  self->group_id = -1;
}

PtGraphicsItem *
pt_graphics_item_new_group (PtHostScan *scan,
                            int         group_id)
{
  PtGraphicsItem *self = g_object_new (PT_TYPE_GRAPHICS_ITEM, NULL);

  self->scan = g_object_ref (scan);
  self->group_id = group_id;
  self->children = g_list_store_new (PT_TYPE_GRAPHICS_ITEM);
  return self;
}

PtGraphicsItem *
pt_graphics_item_new_device (PtHostScan        *scan,
                             const PtPciDevice *device)
{
  PtGraphicsItem *self = g_object_new (PT_TYPE_GRAPHICS_ITEM, NULL);

  self->scan = g_object_ref (scan);
  self->device = device;
  self->group_id = device->iommu_group;
  return self;
}

gboolean
pt_graphics_item_is_group (PtGraphicsItem *self)
{
  g_return_val_if_fail (PT_IS_GRAPHICS_ITEM (self), FALSE);

  return self->device == NULL;
}

int
pt_graphics_item_get_group_id (PtGraphicsItem *self)
{
  g_return_val_if_fail (PT_IS_GRAPHICS_ITEM (self), -1);

  return self->group_id;
}

const PtPciDevice *
pt_graphics_item_get_device (PtGraphicsItem *self)
{
  g_return_val_if_fail (PT_IS_GRAPHICS_ITEM (self), NULL);

  return self->device;
}

GListModel *
pt_graphics_item_get_children (PtGraphicsItem *self)
{
  g_return_val_if_fail (PT_IS_GRAPHICS_ITEM (self), NULL);

  return self->children != NULL ? G_LIST_MODEL (self->children) : NULL;
}

void
pt_graphics_item_add_child (PtGraphicsItem *self,
                            PtGraphicsItem *child)
{
  g_return_if_fail (PT_IS_GRAPHICS_ITEM (self));
  g_return_if_fail (self->children != NULL);

  g_list_store_append (self->children, child);
}

gboolean
pt_graphics_item_has_gpu (PtGraphicsItem *self)
{
  guint n;

  g_return_val_if_fail (PT_IS_GRAPHICS_ITEM (self), FALSE);

  if (self->device != NULL)
    return pt_pci_device_is_gpu (self->device);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->children));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PtGraphicsItem) child = g_list_model_get_item (G_LIST_MODEL (self->children), i);

      if (pt_pci_device_is_gpu (child->device))
        return TRUE;
    }
  return FALSE;
}

gboolean
pt_graphics_item_get_chosen (PtGraphicsItem *self)
{
  g_return_val_if_fail (PT_IS_GRAPHICS_ITEM (self), FALSE);

  return self->chosen;
}

void
pt_graphics_item_set_chosen (PtGraphicsItem *self,
                             gboolean        chosen)
{
  g_return_if_fail (PT_IS_GRAPHICS_ITEM (self));

  chosen = !!chosen;
  if (self->chosen == chosen)
    return;
  self->chosen = chosen;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHOSEN]);
}

const char *
pt_graphics_item_get_twin (PtGraphicsItem *self)
{
  g_return_val_if_fail (PT_IS_GRAPHICS_ITEM (self), NULL);

  return self->twin;
}

void
pt_graphics_item_set_twin (PtGraphicsItem *self,
                           const char     *address)
{
  g_return_if_fail (PT_IS_GRAPHICS_ITEM (self));

  g_free (self->twin);
  self->twin = g_strdup (address);
}

const char *
pt_graphics_item_get_shares_with (PtGraphicsItem *self)
{
  g_return_val_if_fail (PT_IS_GRAPHICS_ITEM (self), NULL);

  return self->shares_with;
}

const char *
pt_graphics_item_get_shares_detail (PtGraphicsItem *self)
{
  g_return_val_if_fail (PT_IS_GRAPHICS_ITEM (self), NULL);

  return self->shares_detail;
}

void
pt_graphics_item_set_shares_with (PtGraphicsItem *self,
                                  const char     *what,
                                  const char     *detail)
{
  g_return_if_fail (PT_IS_GRAPHICS_ITEM (self));

  g_free (self->shares_with);
  g_free (self->shares_detail);
  self->shares_with = g_strdup (what);
  self->shares_detail = g_strdup (detail);
}

gboolean
pt_graphics_item_matches (PtGraphicsItem *self,
                          const char     *folded_text)
{
  g_return_val_if_fail (PT_IS_GRAPHICS_ITEM (self), FALSE);

  if (folded_text == NULL || folded_text[0] == '\0')
    return TRUE;

  if (self->device == NULL)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->children));

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(PtGraphicsItem) child =
            g_list_model_get_item (G_LIST_MODEL (self->children), i);

          if (pt_graphics_item_matches (child, folded_text))
            return TRUE;
        }
      return FALSE;
    }

  /* Built on first use: most scans are never searched. */
  if (self->search_text == NULL)
    {
      const PtPciDevice *d = self->device;
      g_autofree char *text =
        g_strdup_printf ("%s %s [%04x:%04x] %04x:%04x %s %s %s", d->name, d->address,
                         d->vendor_id, d->device_id, d->vendor_id, d->device_id,
                         d->class_name != NULL ? d->class_name : "",
                         d->driver != NULL ? d->driver : "",
                         d->subsystem_name != NULL ? d->subsystem_name : "");

      self->search_text = g_utf8_casefold (text, -1);
    }
  return strstr (self->search_text, folded_text) != NULL;
}
