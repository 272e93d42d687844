/* pt-report.c: the JSON report of a host scan, used by --report and diagnostics. */
#include "config.h"

#include "pt-report.h"

/* Host strings (kernel versions, USB product names, the command line) are bytes, not
 * necessarily UTF-8; JSON must be. */
static void
add_string_value (JsonBuilder *builder,
                  const char  *value)
{
  g_autofree char *valid = g_utf8_make_valid (value, -1);

  json_builder_add_string_value (builder, valid);
}

static void
add_cpu_array (JsonBuilder *builder,
               const char  *name,
               GArray      *cpus)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; cpus != NULL && i < cpus->len; i++)
    json_builder_add_int_value (builder, g_array_index (cpus, guint, i));
  json_builder_end_array (builder);
}

/* The kernel's "-1 = unknown" becomes null. */
static void
add_optional_int (JsonBuilder *builder,
                  const char  *name,
                  gint64       value)
{
  json_builder_set_member_name (builder, name);
  if (value < 0)
    json_builder_add_null_value (builder);
  else
    json_builder_add_int_value (builder, value);
}

static void
add_optional_string (JsonBuilder *builder,
                     const char  *name,
                     const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value == NULL)
    json_builder_add_null_value (builder);
  else
    add_string_value (builder, value);
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  add_string_value (builder, value ? value : "");
}

static void
add_int (JsonBuilder *builder,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static void
add_bool (JsonBuilder *builder,
          const char  *name,
          gboolean     value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_boolean_value (builder, value);
}

static void
add_hex4 (JsonBuilder *builder,
          const char  *name,
          guint        value)
{
  g_autofree char *text = g_strdup_printf ("%04x", value);

  add_string (builder, name, text);
}

static void
add_strv (JsonBuilder        *builder,
          const char         *name,
          const char * const *strv)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    add_string_value (builder, strv[i]);
  json_builder_end_array (builder);
}

static void
build_cpu (JsonBuilder         *builder,
           const PtCpuTopology *cpu)
{
  json_builder_set_member_name (builder, "cpu");
  json_builder_begin_object (builder);
  add_string (builder, "vendor", cpu->vendor);
  add_string (builder, "model", cpu->model);
  add_strv (builder, "flags", (const char * const *) cpu->flags);
  add_cpu_array (builder, "online", cpu->online);
  add_cpu_array (builder, "offline", cpu->offline);

  json_builder_set_member_name (builder, "packages");
  json_builder_begin_array (builder);
  for (guint i = 0; i < cpu->packages->len; i++)
    {
      PtCpuPackage *package = g_ptr_array_index (cpu->packages, i);

      json_builder_begin_object (builder);
      add_optional_int (builder, "id", package->id);
      add_cpu_array (builder, "cpus", package->cpus);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "cores");
  json_builder_begin_array (builder);
  for (guint i = 0; i < cpu->cores->len; i++)
    {
      PtCpuCore *core = g_ptr_array_index (cpu->cores, i);

      json_builder_begin_object (builder);
      add_optional_int (builder, "package", core->package);
      add_optional_int (builder, "die", core->die);
      add_optional_int (builder, "core_id", core->core_id);
      add_cpu_array (builder, "cpus", core->cpus);
      add_optional_int (builder, "l3", core->l3 >= 0
                        ? ((PtCpuCache *) g_ptr_array_index (cpu->l3, core->l3))->id : -1);
      add_optional_int (builder, "numa_node", core->numa_node);
      add_optional_string (builder, "type", pt_core_type_to_string (core->type));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "l3");
  json_builder_begin_array (builder);
  for (guint i = 0; i < cpu->l3->len; i++)
    {
      PtCpuCache *cache = g_ptr_array_index (cpu->l3, i);

      json_builder_begin_object (builder);
      add_int (builder, "id", cache->id);
      add_int (builder, "size_kib", (gint64) cache->size_kib);
      add_cpu_array (builder, "cpus", cache->cpus);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "numa");
  json_builder_begin_array (builder);
  for (guint i = 0; i < cpu->numa->len; i++)
    {
      PtNumaNode *node = g_ptr_array_index (cpu->numa, i);

      json_builder_begin_object (builder);
      add_int (builder, "node", node->node);
      add_cpu_array (builder, "cpus", node->cpus);
      add_int (builder, "memory_kib", (gint64) node->memory_kib);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

static void
build_iommu (JsonBuilder   *builder,
             const PtIommu *iommu)
{
  json_builder_set_member_name (builder, "iommu");
  json_builder_begin_object (builder);
  add_bool (builder, "enabled", iommu->enabled);
  json_builder_set_member_name (builder, "groups");
  json_builder_begin_array (builder);
  for (guint i = 0; i < iommu->groups->len; i++)
    {
      PtIommuGroup *group = g_ptr_array_index (iommu->groups, i);

      json_builder_begin_object (builder);
      add_int (builder, "id", group->id);
      json_builder_set_member_name (builder, "devices");
      json_builder_begin_array (builder);
      for (guint j = 0; j < group->devices->len; j++)
        add_string_value (builder, g_ptr_array_index (group->devices, j));
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

static void
build_pci (JsonBuilder *builder,
           GPtrArray   *devices)
{
  json_builder_set_member_name (builder, "pci");
  json_builder_begin_array (builder);
  for (guint i = 0; i < devices->len; i++)
    {
      PtPciDevice *device = g_ptr_array_index (devices, i);

      json_builder_begin_object (builder);
      add_string (builder, "address", device->address);
      add_hex4 (builder, "vendor", device->vendor_id);
      add_hex4 (builder, "device", device->device_id);
      add_hex4 (builder, "class", device->class_id);
      add_string (builder, "name", device->name);
      add_optional_string (builder, "driver", device->driver);
      add_optional_int (builder, "iommu_group", device->iommu_group);
      add_bool (builder, "boot_vga", device->boot_vga);
      add_optional_int (builder, "numa_node", device->numa_node);
      add_optional_string (builder, "reset_method", device->reset_method);
      if (device->subsystem_vendor_id != 0 || device->subsystem_device_id != 0)
        {
          g_autofree char *subsystem = g_strdup_printf ("%04x:%04x", device->subsystem_vendor_id,
                                                        device->subsystem_device_id);
          add_string (builder, "subsystem", subsystem);
        }
      else
        add_optional_string (builder, "subsystem", NULL);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
build_memory (JsonBuilder    *builder,
              const PtMemory *memory)
{
  json_builder_set_member_name (builder, "memory");
  json_builder_begin_object (builder);
  add_int (builder, "total_kib", (gint64) memory->total_kib);
  add_int (builder, "available_kib", (gint64) memory->available_kib);
  json_builder_set_member_name (builder, "hugepages");
  json_builder_begin_array (builder);
  for (guint i = 0; i < memory->hugepages->len; i++)
    {
      PtHugepagePool *pool = g_ptr_array_index (memory->hugepages, i);

      json_builder_begin_object (builder);
      add_int (builder, "size_kib", (gint64) pool->size_kib);
      add_int (builder, "total", (gint64) pool->total);
      add_int (builder, "free", (gint64) pool->free);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

static void
build_input (JsonBuilder *builder,
             GPtrArray   *devices)
{
  json_builder_set_member_name (builder, "input");
  json_builder_begin_array (builder);
  for (guint i = 0; i < devices->len; i++)
    {
      PtInputDevice *device = g_ptr_array_index (devices, i);

      json_builder_begin_object (builder);
      add_string (builder, "name", device->name);
      add_string (builder, "path", device->path);
      add_string (builder, "kind", pt_input_kind_to_string (device->kind));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
build_disks (JsonBuilder *builder,
             GPtrArray   *disks)
{
  json_builder_set_member_name (builder, "disks");
  json_builder_begin_array (builder);
  for (guint i = 0; i < disks->len; i++)
    {
      PtDisk *disk = g_ptr_array_index (disks, i);

      json_builder_begin_object (builder);
      add_string (builder, "path", disk->path);
      add_string (builder, "device", disk->device);
      add_string (builder, "model", disk->model);
      add_int (builder, "size_bytes", (gint64) disk->size_bytes);
      add_bool (builder, "root", disk->root);
      add_bool (builder, "boot", disk->boot);
      add_bool (builder, "swap", disk->swap);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
build_usb (JsonBuilder *builder,
           GPtrArray   *devices)
{
  json_builder_set_member_name (builder, "usb");
  json_builder_begin_array (builder);
  for (guint i = 0; i < devices->len; i++)
    {
      PtUsbDevice *device = g_ptr_array_index (devices, i);

      json_builder_begin_object (builder);
      add_int (builder, "bus", device->bus);
      add_int (builder, "device", device->device);
      add_hex4 (builder, "vendor", device->vendor_id);
      add_hex4 (builder, "product", device->product_id);
      add_string (builder, "name", device->name);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
build_boot (JsonBuilder  *builder,
            const PtBoot *boot)
{
  json_builder_set_member_name (builder, "boot");
  json_builder_begin_object (builder);
  add_string (builder, "bootloader", pt_bootloader_to_string (boot->bootloader));
  add_string (builder, "initramfs", pt_initramfs_to_string (boot->initramfs));
  add_string (builder, "cmdline", boot->cmdline);
  add_strv (builder, "kernels", (const char * const *) boot->kernels);
  add_string (builder, "running_kernel", boot->running_kernel);
  add_string (builder, "vfio_pci", pt_module_state_to_string (boot->vfio_pci));
  json_builder_end_object (builder);
}

JsonNode *
pt_report_build (PtHostScan *scan)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_int (builder, "version", 1);
  build_cpu (builder, pt_host_scan_get_cpu (scan));
  build_iommu (builder, pt_host_scan_get_iommu (scan));
  build_pci (builder, pt_host_scan_get_pci (scan));
  build_memory (builder, pt_host_scan_get_memory (scan));
  build_input (builder, pt_host_scan_get_input (scan));
  build_disks (builder, pt_host_scan_get_disks (scan));
  build_usb (builder, pt_host_scan_get_usb (scan));
  build_boot (builder, pt_host_scan_get_boot (scan));
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

char *
pt_report_to_string (PtHostScan *scan)
{
  g_autoptr(JsonNode) root = pt_report_build (scan);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  text = json_generator_to_data (generator, NULL);
  return g_strconcat (text, "\n", NULL);
}
