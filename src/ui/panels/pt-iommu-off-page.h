/* pt-iommu-off-page.h: what the Graphics panel shows while the IOMMU is off: how to turn it on. */
#pragma once

#include <adwaita.h>

#include "pt-gpu.h"

G_BEGIN_DECLS

#define PT_TYPE_IOMMU_OFF_PAGE (pt_iommu_off_page_get_type ())
G_DECLARE_FINAL_TYPE (PtIommuOffPage, pt_iommu_off_page, PT, IOMMU_OFF_PAGE, AdwBin)

GtkWidget *pt_iommu_off_page_new        (void);
/* The firmware steps for @scan's processor, the kernel options the plan adds (none: the
 * command line has them), and @scan's graphics cards; choosing one activates the
 * "graphics.choose" action with its address. */
void       pt_iommu_off_page_set_host   (PtIommuOffPage     *self,
                                         PtHostScan         *scan,
                                         const char * const *kernel_args);
/* Marks the cards that go to the guest; NULL for none. */
void       pt_iommu_off_page_set_choice (PtIommuOffPage     *self,
                                         const PtGpuChoice  *choice);

G_END_DECLS
