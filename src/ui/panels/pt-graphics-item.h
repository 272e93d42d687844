/* pt-graphics-item.h: one row of the Graphics panel's list: an IOMMU group, or a device in it. */
#pragma once

#include <gio/gio.h>

#include "pt-host-scan.h"

G_BEGIN_DECLS

#define PT_TYPE_GRAPHICS_ITEM (pt_graphics_item_get_type ())
G_DECLARE_FINAL_TYPE (PtGraphicsItem, pt_graphics_item, PT, GRAPHICS_ITEM, GObject)

/* A group: @group_id is -1 for the devices that are in no group. Its devices are added with
 * pt_graphics_item_add_child(). */
PtGraphicsItem    *pt_graphics_item_new_group      (PtHostScan        *scan,
                                                    int                group_id);
/* A device of @scan (which keeps it alive). */
PtGraphicsItem    *pt_graphics_item_new_device     (PtHostScan        *scan,
                                                    const PtPciDevice *device);

gboolean           pt_graphics_item_is_group       (PtGraphicsItem    *self);
int                pt_graphics_item_get_group_id   (PtGraphicsItem    *self);
/* NULL for a group. */
const PtPciDevice *pt_graphics_item_get_device     (PtGraphicsItem    *self);
/* PtGraphicsItem devices of a group; NULL for a device. */
GListModel        *pt_graphics_item_get_children   (PtGraphicsItem    *self);
void               pt_graphics_item_add_child      (PtGraphicsItem    *self,
                                                    PtGraphicsItem    *child);
/* Whether a group holds a graphics card. */
gboolean           pt_graphics_item_has_gpu        (PtGraphicsItem    *self);

/* The device goes to the guest, or the group holds the guest's card ("chosen", notifies). */
gboolean           pt_graphics_item_get_chosen     (PtGraphicsItem    *self);
void               pt_graphics_item_set_chosen     (PtGraphicsItem    *self,
                                                    gboolean           chosen);

/* What the badges say, worked out once per scan. Devices: the address of a device with the
 * same IDs ("same IDs as a host device"); GPUs and groups: what else shares the group ("a
 * storage controller, a USB controller"), NULL when the card is alone in it. */
const char        *pt_graphics_item_get_twin       (PtGraphicsItem    *self);
void               pt_graphics_item_set_twin       (PtGraphicsItem    *self,
                                                    const char        *address);
const char        *pt_graphics_item_get_shares_with (PtGraphicsItem   *self);
/* The devices by name, and what to do about them: for a tooltip. */
const char        *pt_graphics_item_get_shares_detail (PtGraphicsItem *self);
void               pt_graphics_item_set_shares_with (PtGraphicsItem   *self,
                                                     const char       *what,
                                                     const char       *detail);

/* Whether @text (already folded with g_utf8_casefold) is in the device's name, address, IDs,
 * class or driver; a group matches when one of its devices does. */
gboolean           pt_graphics_item_matches        (PtGraphicsItem    *self,
                                                    const char        *folded_text);

G_END_DECLS
