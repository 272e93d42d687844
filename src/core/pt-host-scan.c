/* pt-host-scan.c: one immutable snapshot of everything the app reads from a host. */
#include "config.h"

#include "pt-host-scan.h"

struct _PtHostScan
{
  GObject parent_instance;

  PtSysroot *sysroot;
  PtCpuTopology *cpu;
  PtIommu *iommu;
  GPtrArray *pci;
  PtMemory *memory;
  GPtrArray *input;
  GPtrArray *disks;
  GPtrArray *usb;
  PtBoot *boot;
  GPtrArray *notes;   /* char*, NULL-terminated */
};

G_DEFINE_FINAL_TYPE (PtHostScan, pt_host_scan, G_TYPE_OBJECT)

static void
pt_host_scan_finalize (GObject *object)
{
  PtHostScan *self = PT_HOST_SCAN (object);

  g_clear_pointer (&self->sysroot, pt_sysroot_unref);
  g_clear_pointer (&self->cpu, pt_cpu_topology_free);
  g_clear_pointer (&self->iommu, pt_iommu_free);
  g_clear_pointer (&self->pci, g_ptr_array_unref);
  g_clear_pointer (&self->memory, pt_memory_free);
  g_clear_pointer (&self->input, g_ptr_array_unref);
  g_clear_pointer (&self->disks, g_ptr_array_unref);
  g_clear_pointer (&self->usb, g_ptr_array_unref);
  g_clear_pointer (&self->boot, pt_boot_free);
  g_clear_pointer (&self->notes, g_ptr_array_unref);

  G_OBJECT_CLASS (pt_host_scan_parent_class)->finalize (object);
}

static void
pt_host_scan_class_init (PtHostScanClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pt_host_scan_finalize;
}

static void
pt_host_scan_init (PtHostScan *self)
{
  self->notes = g_ptr_array_new_with_free_func (g_free);
}

/* Devices the user may hand to a guest are optional: a broken /dev/input or /dev/disk tree
 * costs that list, not the scan. */
static GPtrArray *
optional_list (PtHostScan *self,
               GPtrArray  *list,
               GError     *error,
               const char *what)
{
  if (list != NULL)
    return list;
  g_ptr_array_add (self->notes, g_strdup_printf ("%s: %s", what, error->message));
  return g_ptr_array_new ();
}

PtHostScan *
pt_host_scan_new_sync (const char    *root,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(PtHostScan) self = g_object_new (PT_TYPE_HOST_SCAN, NULL);
  g_autoptr(GError) input_error = NULL;
  g_autoptr(GError) disk_error = NULL;
  g_autoptr(GError) usb_error = NULL;

  self->sysroot = pt_sysroot_new (root ? root : "/", error);
  if (self->sysroot == NULL)
    return NULL;

  /* What a plan is built from must be right, so these fail the scan with their reason. */
  if ((self->cpu = pt_cpu_topology_read (self->sysroot, error)) == NULL
      || g_cancellable_set_error_if_cancelled (cancellable, error)
      || (self->memory = pt_memory_read (self->sysroot, error)) == NULL
      || (self->iommu = pt_iommu_read (self->sysroot, error)) == NULL
      || (self->pci = pt_pci_read (self->sysroot, error)) == NULL
      || g_cancellable_set_error_if_cancelled (cancellable, error)
      || (self->boot = pt_boot_read (self->sysroot, error)) == NULL)
    return NULL;

  self->input = optional_list (self, pt_input_read (self->sysroot, &input_error), input_error,
                               "/dev/input/by-id");
  self->disks = optional_list (self, pt_storage_read (self->sysroot, &disk_error), disk_error,
                               "/dev/disk/by-id");
  self->usb = optional_list (self, pt_usb_read (self->sysroot, &usb_error), usb_error,
                             "/sys/bus/usb");

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  g_ptr_array_add (self->notes, NULL);
  return g_steal_pointer (&self);
}

static void
scan_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  PtHostScan *scan = pt_host_scan_new_sync (task_data, cancellable, &error);

  if (scan == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, scan, g_object_unref);
}

void
pt_host_scan_new_async (const char          *root,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, pt_host_scan_new_async);
  g_task_set_task_data (task, g_strdup (root ? root : "/"), g_free);
  g_task_run_in_thread (task, scan_thread);
}

PtHostScan *
pt_host_scan_new_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

PtSysroot *
pt_host_scan_get_sysroot (PtHostScan *self)
{
  return self->sysroot;
}

const PtCpuTopology *
pt_host_scan_get_cpu (PtHostScan *self)
{
  return self->cpu;
}

const PtIommu *
pt_host_scan_get_iommu (PtHostScan *self)
{
  return self->iommu;
}

GPtrArray *
pt_host_scan_get_pci (PtHostScan *self)
{
  return self->pci;
}

const PtMemory *
pt_host_scan_get_memory (PtHostScan *self)
{
  return self->memory;
}

GPtrArray *
pt_host_scan_get_input (PtHostScan *self)
{
  return self->input;
}

GPtrArray *
pt_host_scan_get_disks (PtHostScan *self)
{
  return self->disks;
}

GPtrArray *
pt_host_scan_get_usb (PtHostScan *self)
{
  return self->usb;
}

const PtBoot *
pt_host_scan_get_boot (PtHostScan *self)
{
  return self->boot;
}

const char * const *
pt_host_scan_get_notes (PtHostScan *self)
{
  return (const char * const *) self->notes->pdata;
}
