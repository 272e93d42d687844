/* pt-device-row.h: how the Graphics panel shows an IOMMU group or a PCI device in its list. */
#pragma once

#include <gtk/gtk.h>

#include "pt-graphics-item.h"

G_BEGIN_DECLS

#define PT_TYPE_DEVICE_ROW (pt_device_row_get_type ())
G_DECLARE_FINAL_TYPE (PtDeviceRow, pt_device_row, PT, DEVICE_ROW, GtkBox)

GtkWidget      *pt_device_row_new      (void);
/* Shows @item (NULL while the row is recycled). The widget's name becomes "group-<id>" or
 * "device-<address>", for tests and accessibility tools. */
void            pt_device_row_set_item (PtDeviceRow    *self,
                                        PtGraphicsItem *item);
PtGraphicsItem *pt_device_row_get_item (PtDeviceRow    *self);
/* The badge labels on show, in order ("boot-display", "same-ids", "shares-group", "guest",
 * "isolated", "stays"): their widget names. */
GPtrArray      *pt_device_row_get_badges (PtDeviceRow  *self);

G_END_DECLS
