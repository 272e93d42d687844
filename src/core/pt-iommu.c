/* pt-iommu.c: IOMMU groups and units as the kernel lists them in sysfs. */
#include "config.h"

#include "pt-iommu.h"

#include <string.h>

static void
iommu_group_free (PtIommuGroup *group)
{
  if (group == NULL)
    return;
  g_clear_pointer (&group->devices, g_ptr_array_unref);
  g_free (group);
}

void
pt_iommu_free (PtIommu *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->groups, g_ptr_array_unref);
  g_strfreev (self->units);
  g_free (self);
}

const PtIommuGroup *
pt_iommu_find_group (const PtIommu *self,
                     int            id)
{
  if (self == NULL || id < 0)
    return NULL;

  for (guint i = 0; i < self->groups->len; i++)
    {
      const PtIommuGroup *group = g_ptr_array_index (self->groups, i);

      if (group->id == id)
        return group;
    }
  return NULL;
}

/* "0000:0a:00.0" sorts after "0000:09:00.0": fixed-width hex compares as text, but the
 * domain may be wider than four digits (VMD), so shorter addresses come first. */
static int
compare_addresses_cb (gconstpointer a,
                      gconstpointer b)
{
  const char *x = *(const char * const *) a;
  const char *y = *(const char * const *) b;
  gsize x_len = strlen (x);
  gsize y_len = strlen (y);

  if (x_len != y_len)
    return x_len < y_len ? -1 : 1;
  return strcmp (x, y);
}

static int
compare_groups_cb (gconstpointer a,
                   gconstpointer b)
{
  const PtIommuGroup *x = *(const PtIommuGroup * const *) a;
  const PtIommuGroup *y = *(const PtIommuGroup * const *) b;

  return x->id < y->id ? -1 : x->id > y->id;
}

/* A group's members; a group without a devices folder is listed empty, as the kernel never
 * writes one, and leaving the group out would hide it from the isolation checks. */
static GPtrArray *
read_group_devices (PtSysroot   *sysroot,
                    const char  *group_dir,
                    GError     **error)
{
  g_autofree char *devices_dir = g_strconcat (group_dir, "/devices", NULL);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) devices = NULL;

  devices = pt_sysroot_list_dir (sysroot, devices_dir, &local_error);
  if (devices == NULL)
    {
      if (g_error_matches (local_error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_NOT_FOUND))
        return g_ptr_array_new_with_free_func (g_free);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  g_ptr_array_sort (devices, compare_addresses_cb);
  return g_steal_pointer (&devices);
}

static char **
read_units (PtSysroot  *sysroot,
            GError    **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) units = pt_sysroot_list_dir (sysroot, "/sys/class/iommu", &local_error);

  if (units == NULL)
    {
      if (!g_error_matches (local_error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      units = g_ptr_array_new_with_free_func (g_free);
    }

  g_ptr_array_add (units, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&units), FALSE);
}

PtIommu *
pt_iommu_read (PtSysroot  *sysroot,
               GError    **error)
{
  g_autoptr(PtIommu) self = g_new0 (PtIommu, 1);
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (sysroot != NULL, NULL);

  self->groups = g_ptr_array_new_with_free_func ((GDestroyNotify) iommu_group_free);

  self->units = read_units (sysroot, error);
  if (self->units == NULL)
    return NULL;

  /* Without an IOMMU (or with it off on the command line) the folder is missing or empty. */
  entries = pt_sysroot_list_dir (sysroot, "/sys/kernel/iommu_groups", &local_error);
  if (entries == NULL)
    {
      /* Something that is there but no folder is a broken tree, not an IOMMU that is off:
       * telling the user to turn it on could send them into firmware settings for nothing. */
      if (!g_error_matches (local_error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_NOT_FOUND)
          || pt_sysroot_exists (sysroot, "/sys/kernel/iommu_groups"))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      return g_steal_pointer (&self);
    }

  for (guint i = 0; i < entries->len; i++)
    {
      const char *name = g_ptr_array_index (entries, i);
      g_autofree char *group_dir = g_strconcat ("/sys/kernel/iommu_groups/", name, NULL);
      PtIommuGroup *group;
      gint64 id;

      /* Only numbered folders are groups; anything else is not the kernel's. */
      if (!g_ascii_isdigit (name[0]) || !pt_parse_int64 (name, &id, NULL) || id > G_MAXINT)
        continue;

      group = g_new0 (PtIommuGroup, 1);
      group->id = (int) id;
      g_ptr_array_add (self->groups, group);
      group->devices = read_group_devices (sysroot, group_dir, error);
      if (group->devices == NULL)
        return NULL;
    }

  g_ptr_array_sort (self->groups, compare_groups_cb);
  self->enabled = self->groups->len > 0;
  return g_steal_pointer (&self);
}
