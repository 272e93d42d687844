/* pt-test-tree.c: pieces of a sysfs tree for the readers' small-tree tests. */
#include "pt-test-tree.h"

#include "pt-test-utils.h"

static void
write_attribute (const char *root,
                 const char *dir,
                 const char *name,
                 const char *value)
{
  g_autofree char *path = NULL;
  g_autofree char *line = NULL;

  if (value == NULL)
    return;
  path = g_strdup_printf ("%s/%s", dir, name);
  line = g_strconcat (value, "\n", NULL);
  pt_test_write_file (root, path, line);
}

void
pt_test_write_attributes (const char            *root,
                          const char            *dir,
                          const PtTestAttribute *attributes,
                          gsize                  n_attributes)
{
  for (gsize i = 0; i < n_attributes; i++)
    write_attribute (root, dir, attributes[i].name, attributes[i].value);
}

void
pt_test_add_device (const char            *root,
                    const char            *bus,
                    const char            *dir,
                    const PtTestAttribute *attributes,
                    gsize                  n_attributes)
{
  g_autofree char *sys_dir = g_strconcat ("sys/devices/", dir, NULL);
  g_autofree char *name = g_path_get_basename (dir);
  g_autofree char *link = g_strdup_printf ("sys/bus/%s/devices/%s", bus, name);
  g_autofree char *target = g_strconcat ("../../../devices/", dir, NULL);

  pt_test_write_attributes (root, sys_dir, attributes, n_attributes);
  pt_test_make_link (root, link, target);
}

void
pt_test_add_iommu_group_member (const char *root,
                                const char *group,
                                const char *dir)
{
  g_autofree char *name = g_path_get_basename (dir);
  g_autofree char *member = g_strdup_printf ("sys/kernel/iommu_groups/%s/devices/%s", group, name);
  g_autofree char *member_target = g_strconcat ("../../../../devices/", dir, NULL);
  g_autofree char *group_link = g_strdup_printf ("sys/devices/%s/iommu_group", dir);
  g_auto(GStrv) components = g_strsplit (dir, "/", -1);
  g_autoptr(GString) group_target = g_string_new ("");

  /* Relative, as the kernel makes it: up out of the device's folders and /sys/devices. */
  for (guint i = 0; components[i] != NULL; i++)
    g_string_append (group_target, "../");
  g_string_append_printf (group_target, "../kernel/iommu_groups/%s", group);

  pt_test_make_link (root, member, member_target);
  pt_test_make_link (root, group_link, group_target->str);
}

void
pt_test_add_usb_device (const char            *root,
                        const PtTestUsbDevice *device)
{
  const PtTestAttribute attributes[] = {
    { "busnum", device->busnum }, { "devnum", device->devnum },
    { "idVendor", device->id_vendor }, { "idProduct", device->id_product },
    { "bDeviceClass", device->device_class }, { "manufacturer", device->manufacturer },
    { "product", device->product },
  };

  pt_test_add_device (root, "usb", device->dir, attributes, G_N_ELEMENTS (attributes));
}

void
pt_test_add_input_event (const char *root,
                         const char *input_dir,
                         const char *event,
                         const char *numbers,
                         const char *name)
{
  g_autofree char *input = g_strconcat ("sys/devices/", input_dir, NULL);
  g_autofree char *input_name = g_path_get_basename (input_dir);
  g_autofree char *dir = g_strdup_printf ("%s/%s", input, event);
  g_autofree char *device_link = g_strconcat (dir, "/device", NULL);
  g_autofree char *device_target = g_strconcat ("../../", input_name, NULL);
  g_autofree char *class_link = g_strconcat ("sys/class/input/", event, NULL);
  g_autofree char *class_target = g_strdup_printf ("../../devices/%s/%s", input_dir, event);
  g_autofree char *node = g_strconcat ("dev/input/", event, NULL);

  write_attribute (root, dir, "dev", numbers);
  write_attribute (root, input, "name", name);
  pt_test_make_link (root, device_link, device_target);
  pt_test_make_link (root, class_link, class_target);
  /* udev's device node; a plain file is enough for the readers. */
  pt_test_write_file (root, node, "");
}
