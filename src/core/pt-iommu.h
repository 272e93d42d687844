/* pt-iommu.h: IOMMU groups from /sys/kernel/iommu_groups; "IOMMU off" is a normal state. */
#pragma once

#include "pt-sysroot.h"

G_BEGIN_DECLS

typedef struct {
  int        id;
  GPtrArray *devices;   /* char* addresses, sorted */
} PtIommuGroup;

typedef struct {
  gboolean   enabled;   /* groups exist */
  GPtrArray *groups;    /* PtIommuGroup*, sorted by id */
  char     **units;     /* /sys/class/iommu entries ("dmar0", "ivhd0"), sorted */
} PtIommu;

PtIommu            *pt_iommu_read        (PtSysroot     *sysroot,
                                          GError       **error);
void                pt_iommu_free        (PtIommu       *self);
const PtIommuGroup *pt_iommu_find_group  (const PtIommu *self,
                                          int            id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtIommu, pt_iommu_free)

G_END_DECLS
