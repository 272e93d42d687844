/* pt-gpu.c: the guest GPU choice: its functions, its IOMMU group, and what the host would lose. */
#include "config.h"

#include "pt-gpu.h"

#include <glib/gi18n-lib.h>
#include <string.h>

G_DEFINE_QUARK (pt-gpu-error-quark, pt_gpu_error)

PtDeviceKind
pt_device_kind_of (const PtPciDevice *device)
{
  guint base = device->class_id >> 8;

  if (pt_pci_device_is_gpu (device))
    return PT_DEVICE_KIND_GPU;
  if (pt_pci_device_is_bridge (device))
    return PT_DEVICE_KIND_BRIDGE;
  if (device->class_id == PT_PCI_CLASS_SERIAL_USB)
    return PT_DEVICE_KIND_USB;
  switch (base)
    {
    case 0x01:
      return PT_DEVICE_KIND_STORAGE;
    case 0x02:
      return PT_DEVICE_KIND_NETWORK;
    case 0x04:
      return PT_DEVICE_KIND_AUDIO;
    case 0x0c:
      return PT_DEVICE_KIND_SERIAL_BUS;
    default:
      return PT_DEVICE_KIND_OTHER;
    }
}

const char *
pt_device_kind_to_string (PtDeviceKind kind)
{
  switch (kind)
    {
    case PT_DEVICE_KIND_GPU:
      return "gpu";
    case PT_DEVICE_KIND_AUDIO:
      return "audio";
    case PT_DEVICE_KIND_USB:
      return "usb";
    case PT_DEVICE_KIND_STORAGE:
      return "storage";
    case PT_DEVICE_KIND_NETWORK:
      return "network";
    case PT_DEVICE_KIND_BRIDGE:
      return "bridge";
    case PT_DEVICE_KIND_SERIAL_BUS:
      return "serial-bus";
    case PT_DEVICE_KIND_OTHER:
    default:
      return "other";
    }
}

char *
pt_gpu_describe_device (const PtPciDevice *device)
{
  /* TRANSLATORS: a device in a sentence: “NVIDIA Corporation GP102 [GeForce GTX 1080 Ti]”
   * (0000:09:00.0) */
  return g_strdup_printf (_("“%s” (%s)"), device->name, device->address);
}

char *
pt_gpu_short_vendor (const char *vendor_name)
{
  static const char * const suffixes[] = {
    " Corporation", " Corp.", ", Inc.", " Inc.", " Co., Ltd.", " Co Ltd", " Co., Ltd",
    " Technologies", " Technology", " Electronics", " Semiconductor", " Ltd.", " Limited",
  };
  const char *open;
  const char *close;
  g_autofree char *name = NULL;
  gboolean changed = TRUE;

  if (vendor_name == NULL)
    return g_strdup ("");

  /* pci.ids puts the name people use in brackets: "Advanced Micro Devices, Inc. [AMD/ATI]". */
  open = strrchr (vendor_name, '[');
  close = open != NULL ? strchr (open, ']') : NULL;
  if (open != NULL && close != NULL && close > open + 1 && close[1] == '\0')
    return g_strndup (open + 1, close - open - 1);

  name = g_strdup (vendor_name);
  while (changed)
    {
      changed = FALSE;
      for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
        if (g_str_has_suffix (name, suffixes[i]) && strlen (name) > strlen (suffixes[i]))
          {
            name[strlen (name) - strlen (suffixes[i])] = '\0';
            changed = TRUE;
          }
    }
  return g_steal_pointer (&name);
}

/* ---- The choice ----------------------------------------------------------------------------- */

static void
issue_free (PtGpuIssue *issue)
{
  g_free (issue->device);
  g_free (issue->message);
  g_free (issue);
}

void
pt_gpu_choice_free (PtGpuChoice *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->devices, g_ptr_array_unref);
  g_clear_pointer (&self->card, g_ptr_array_unref);
  g_clear_pointer (&self->companions, g_ptr_array_unref);
  g_clear_pointer (&self->bridges, g_ptr_array_unref);
  g_clear_pointer (&self->unknown, g_ptr_array_unref);
  g_clear_pointer (&self->host_gpus, g_ptr_array_unref);
  g_clear_pointer (&self->issues, g_ptr_array_unref);
  g_free (self);
}

static gboolean
same_slot (const PtPciDevice *a,
           const PtPciDevice *b)
{
  return a->domain == b->domain && a->bus == b->bus && a->slot == b->slot;
}

static gboolean
contains_device (GPtrArray         *devices,
                 const PtPciDevice *device)
{
  return g_ptr_array_find (devices, device, NULL);
}

gboolean
pt_gpu_choice_contains (const PtGpuChoice *self,
                        const char        *address)
{
  g_autofree char *normalized = pt_pci_normalize_address (address);

  g_return_val_if_fail (self != NULL, FALSE);

  if (normalized == NULL)
    return FALSE;
  for (guint i = 0; i < self->devices->len; i++)
    {
      const PtPciDevice *device = g_ptr_array_index (self->devices, i);

      if (g_str_equal (device->address, normalized))
        return TRUE;
    }
  return FALSE;
}

gboolean
pt_gpu_choice_has_blockers (const PtGpuChoice *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  for (guint i = 0; i < self->issues->len; i++)
    if (((PtGpuIssue *) g_ptr_array_index (self->issues, i))->blocker)
      return TRUE;
  return FALSE;
}

GPtrArray *
pt_gpu_list (PtHostScan *scan)
{
  GPtrArray *pci = pt_host_scan_get_pci (scan);
  GPtrArray *gpus = g_ptr_array_new ();

  for (guint i = 0; pci != NULL && i < pci->len; i++)
    if (pt_pci_device_is_gpu (g_ptr_array_index (pci, i)))
      g_ptr_array_add (gpus, g_ptr_array_index (pci, i));
  return gpus;
}

GPtrArray *
pt_gpu_choice_twins_of (const PtGpuChoice *self,
                        GPtrArray         *all_devices,
                        const PtPciDevice *device)
{
  GPtrArray *twins = g_ptr_array_new ();

  for (guint i = 0; all_devices != NULL && i < all_devices->len; i++)
    {
      const PtPciDevice *other = g_ptr_array_index (all_devices, i);

      if (other != device && other->vendor_id == device->vendor_id
          && other->device_id == device->device_id
          && !contains_device (self->devices, other))
        g_ptr_array_add (twins, (gpointer) other);
    }
  return twins;
}

static void
add_issue (PtGpuChoice       *self,
           PtGpuIssueKind     kind,
           gboolean           blocker,
           const PtPciDevice *device,
           char              *message)
{
  PtGpuIssue *issue = g_new0 (PtGpuIssue, 1);

  issue->kind = kind;
  issue->blocker = blocker;
  issue->device = device != NULL ? g_strdup (device->address) : NULL;
  issue->message = message;
  g_ptr_array_add (self->issues, issue);
}

static gboolean
has_issue (PtGpuChoice    *self,
           PtGpuIssueKind  kind)
{
  for (guint i = 0; i < self->issues->len; i++)
    if (((PtGpuIssue *) g_ptr_array_index (self->issues, i))->kind == kind)
      return TRUE;
  return FALSE;
}

/* "A, B, C": names in a sentence. */
static char *
join_names (GPtrArray *names)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < names->len; i++)
    {
      if (i > 0)
        /* TRANSLATORS: separates the items of a list inside a sentence */
        g_string_append (text, _(", "));
      g_string_append (text, g_ptr_array_index (names, i));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
add_unique_name (GPtrArray  *names,
                 const char *name)
{
  if (name != NULL && name[0] != '\0'
      && !g_ptr_array_find_with_equal_func (names, name, g_str_equal, NULL))
    g_ptr_array_add (names, g_strdup (name));
}

static char *
describe_disk (const PtDisk *disk)
{
  if (disk->model != NULL && disk->model[0] != '\0')
    return g_strdup_printf ("“%s” (%s)", disk->model, disk->device);
  return g_strdup (disk->device);
}

static char *
describe_disks (GPtrArray *disks,
                gboolean   host_only)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; disks != NULL && i < disks->len; i++)
    {
      const PtDisk *disk = g_ptr_array_index (disks, i);

      if (!host_only || pt_disk_is_host_disk (disk))
        {
          g_autofree char *name = describe_disk (disk);

          add_unique_name (names, name);
        }
    }
  return names->len > 0 ? join_names (names) : NULL;
}

static const char *
acs_advice (void)
{
  return _("Move the graphics card to another slot, or turn on an ACS option in the firmware "
           "setup if it has one, so that the card gets an IOMMU group of its own.");
}

static void
check_storage (PtGpuChoice       *self,
               PtDeviceUsage     *usage,
               const PtPciDevice *device,
               const char        *desc)
{
  GPtrArray *disks = pt_device_usage_get_disks (usage, device->address);
  g_autofree char *host_disks = describe_disks (disks, TRUE);
  g_autofree char *all_disks = describe_disks (disks, FALSE);

  if (host_disks != NULL)
    add_issue (self, PT_GPU_ISSUE_HOST_DISK, TRUE, device,
               g_strdup_printf (_("IOMMU group %d also holds %s, the controller of %s, which "
                                  "this computer needs to start and run. It cannot go to a "
                                  "virtual machine. %s"),
                                self->iommu_group, desc, host_disks, acs_advice ()));
  else if (all_disks != NULL)
    add_issue (self, PT_GPU_ISSUE_SHARED_GROUP, TRUE, device,
               g_strdup_printf (_("IOMMU group %d also holds %s, the controller of %s: the "
                                  "virtual machine would take the disk away from this computer. "
                                  "%s"),
                                self->iommu_group, desc, all_disks, acs_advice ()));
  else
    add_issue (self, PT_GPU_ISSUE_SHARED_GROUP, FALSE, device,
               g_strdup_printf (_("IOMMU group %d also holds %s, a storage controller with no "
                                  "disks attached; it goes to the virtual machine too. Do not "
                                  "plug a disk for this computer into it."),
                                self->iommu_group, desc));
}

static void
check_network (PtGpuChoice       *self,
               PtDeviceUsage     *usage,
               const PtPciDevice *device,
               const char        *desc)
{
  gboolean active = FALSE;
  const char * const *interfaces = pt_device_usage_get_interfaces (usage, device->address,
                                                                    &active);
  g_autofree char *names = interfaces != NULL ? g_strjoinv (", ", (char **) interfaces) : NULL;

  if (active)
    add_issue (self, PT_GPU_ISSUE_ACTIVE_NETWORK, TRUE, device,
               g_strdup_printf (_("IOMMU group %d also holds %s, the network card this computer "
                                  "is connected through (%s). It cannot go to a virtual "
                                  "machine. %s"),
                                self->iommu_group, desc, names, acs_advice ()));
  else if (!pt_device_usage_knows_network (usage))
    add_issue (self, PT_GPU_ISSUE_SHARED_GROUP, TRUE, device,
               g_strdup_printf (_("IOMMU group %d also holds %s, a network card that may be "
                                  "this computer’s connection. %s"),
                                self->iommu_group, desc, acs_advice ()));
  else
    add_issue (self, PT_GPU_ISSUE_SHARED_GROUP, FALSE, device,
               g_strdup_printf (_("IOMMU group %d also holds %s, a network card this computer "
                                  "does not use now; it goes to the virtual machine too."),
                                self->iommu_group, desc));
}

static void
check_usb (PtGpuChoice       *self,
           PtDeviceUsage     *usage,
           const PtPciDevice *device,
           const char        *desc)
{
  GPtrArray *usb = pt_device_usage_get_usb (usage, device->address);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *joined = NULL;

  /* A hub on its own is no sign that the host uses the controller. */
  for (guint i = 0; usb != NULL && i < usb->len; i++)
    if (!pt_usb_device_is_hub (g_ptr_array_index (usb, i)))
      add_unique_name (names, ((PtUsbDevice *) g_ptr_array_index (usb, i))->name);

  if (names->len == 0)
    {
      add_issue (self, PT_GPU_ISSUE_SHARED_GROUP, FALSE, device,
                 g_strdup_printf (_("IOMMU group %d also holds %s, a USB controller; its ports "
                                    "go to the virtual machine too."),
                                  self->iommu_group, desc));
      return;
    }

  /* The keyboard blocker names this controller already. */
  if (pt_device_usage_get_keyboards (usage, device->address) != NULL
      && has_issue (self, PT_GPU_ISSUE_ONLY_KEYBOARD))
    return;

  joined = join_names (names);
  add_issue (self, PT_GPU_ISSUE_SHARED_GROUP, TRUE, device,
             g_strdup_printf (_("IOMMU group %d also holds %s, a USB controller this computer "
                                "uses (%s are plugged in): they would all go to the virtual "
                                "machine. %s"),
                              self->iommu_group, desc, joined, acs_advice ()));
}

static void
check_companions (PtGpuChoice   *self,
                  PtDeviceUsage *usage)
{
  for (guint i = 0; i < self->companions->len; i++)
    {
      const PtPciDevice *device = g_ptr_array_index (self->companions, i);
      g_autofree char *desc = pt_gpu_describe_device (device);

      switch (pt_device_kind_of (device))
        {
        case PT_DEVICE_KIND_STORAGE:
          check_storage (self, usage, device, desc);
          break;
        case PT_DEVICE_KIND_NETWORK:
          check_network (self, usage, device, desc);
          break;
        case PT_DEVICE_KIND_USB:
          check_usb (self, usage, device, desc);
          break;
        case PT_DEVICE_KIND_GPU:
          add_issue (self, PT_GPU_ISSUE_SHARED_GROUP, FALSE, device,
                     g_strdup_printf (_("IOMMU group %d also holds another graphics card, %s; "
                                        "it goes to the virtual machine too."),
                                      self->iommu_group, desc));
          break;
        case PT_DEVICE_KIND_AUDIO:
        case PT_DEVICE_KIND_SERIAL_BUS:
        case PT_DEVICE_KIND_OTHER:
        case PT_DEVICE_KIND_BRIDGE:
        default:
          add_issue (self, PT_GPU_ISSUE_SHARED_GROUP, FALSE, device,
                     g_strdup_printf (_("IOMMU group %d also holds %s; it goes to the virtual "
                                        "machine too, and this computer cannot use it "
                                        "meanwhile."),
                                      self->iommu_group, desc));
          break;
        }
    }
}

static void
check_display (PtGpuChoice *self,
               gboolean     single_gpu)
{
  const PtPciDevice *boot = NULL;
  g_autofree char *gpu_desc = pt_gpu_describe_device (self->gpu);

  for (guint i = 0; i < self->devices->len && boot == NULL; i++)
    if (((const PtPciDevice *) g_ptr_array_index (self->devices, i))->boot_vga)
      boot = g_ptr_array_index (self->devices, i);

  if (self->host_gpus->len == 0)
    {
      if (!single_gpu)
        add_issue (self, PT_GPU_ISSUE_ONLY_GPU, TRUE, self->gpu,
                   g_strdup_printf (_("%s is this computer’s only graphics card: given to a "
                                      "virtual machine, it would leave the host without a "
                                      "screen. Add a second graphics card or use the "
                                      "processor’s own graphics, or choose single-GPU mode if "
                                      "you will reach this computer over the network while the "
                                      "virtual machine runs."),
                                    gpu_desc));
      else
        add_issue (self, PT_GPU_ISSUE_BOOT_VGA, FALSE, self->gpu,
                   g_strdup_printf (_("Single-GPU mode: %s is this computer’s only graphics "
                                      "card. From the next start on, the host shows nothing on "
                                      "screen; reach it over the network (SSH) to manage it."),
                                    gpu_desc));
      return;
    }

  if (boot != NULL)
    {
      g_autofree char *boot_desc = pt_gpu_describe_device (boot);
      g_autofree char *host_desc =
        pt_gpu_describe_device (g_ptr_array_index (self->host_gpus, 0));

      add_issue (self, PT_GPU_ISSUE_BOOT_VGA, FALSE, boot,
                 g_strdup_printf (_("%s shows the start-up screen: the firmware and boot menu "
                                    "will appear on the virtual machine’s card, and the host’s "
                                    "desktop moves to %s. To keep the start-up screen on the "
                                    "host, make that card the primary display in the firmware "
                                    "setup."),
                                  boot_desc, host_desc));
    }
}

/* Keyboards whose controller goes to the guest; all of them is a blocker. */
static void
check_keyboards (PtGpuChoice   *self,
                 PtDeviceUsage *usage)
{
  GPtrArray *all = pt_device_usage_get_all_keyboards (usage);
  g_autoptr(GPtrArray) leaving = g_ptr_array_new ();
  g_autoptr(GPtrArray) leaving_names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) staying_names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) controllers = g_ptr_array_new_with_free_func (g_free);
  const PtPciDevice *first_controller = NULL;
  g_autofree char *leaving_text = NULL;
  g_autofree char *controllers_text = NULL;

  if (all == NULL || all->len == 0)
    return;

  for (guint i = 0; i < self->devices->len; i++)
    {
      const PtPciDevice *device = g_ptr_array_index (self->devices, i);
      GPtrArray *keyboards = pt_device_usage_get_keyboards (usage, device->address);
      g_autofree char *desc = NULL;

      if (keyboards == NULL)
        continue;
      if (first_controller == NULL)
        first_controller = device;
      desc = pt_gpu_describe_device (device);
      add_unique_name (controllers, desc);
      for (guint j = 0; j < keyboards->len; j++)
        {
          PtInputDevice *keyboard = g_ptr_array_index (keyboards, j);

          g_ptr_array_add (leaving, keyboard);
          add_unique_name (leaving_names, keyboard->name);
        }
    }
  if (leaving->len == 0)
    return;

  for (guint i = 0; i < all->len; i++)
    if (!g_ptr_array_find (leaving, g_ptr_array_index (all, i), NULL))
      add_unique_name (staying_names, ((PtInputDevice *) g_ptr_array_index (all, i))->name);

  leaving_text = join_names (leaving_names);
  controllers_text = join_names (controllers);
  if (staying_names->len == 0)
    add_issue (self, PT_GPU_ISSUE_ONLY_KEYBOARD, TRUE, first_controller,
               g_strdup_printf (_("Every keyboard of this computer (%s) is plugged into %s, "
                                  "which would go to the virtual machine: the host would have "
                                  "no keyboard left. Plug a keyboard into a USB port of another "
                                  "controller, or move the graphics card to another slot."),
                                leaving_text, controllers_text));
  else
    {
      g_autofree char *staying_text = join_names (staying_names);

      add_issue (self, PT_GPU_ISSUE_KEYBOARD, FALSE, first_controller,
                 g_strdup_printf (_("%s is plugged into %s and goes to the virtual machine "
                                    "with it; the host keeps %s."),
                                  leaving_text, controllers_text, staying_text));
    }
}

static void
check_twins (PtGpuChoice *self,
             GPtrArray   *pci)
{
  for (guint i = 0; i < self->devices->len; i++)
    {
      const PtPciDevice *device = g_ptr_array_index (self->devices, i);
      g_autoptr(GPtrArray) twins = pt_gpu_choice_twins_of (self, pci, device);
      g_autoptr(GPtrArray) names = NULL;
      g_autofree char *ids = NULL;
      g_autofree char *twins_text = NULL;

      if (twins->len == 0)
        continue;

      /* A server may have hundreds of one network card: three name the point. */
      names = g_ptr_array_new_with_free_func (g_free);
      for (guint j = 0; j < twins->len && j < 3; j++)
        g_ptr_array_add (names, g_strdup (((PtPciDevice *) g_ptr_array_index (twins, j))->address));
      if (twins->len > 3)
        g_ptr_array_add (names, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u more",
                                                              "%u more", twins->len - 3),
                                                 twins->len - 3));
      ids = pt_pci_device_dup_ids (device);
      twins_text = join_names (names);
      add_issue (self, PT_GPU_ISSUE_SAME_IDS, FALSE, device,
                 g_strdup_printf (_("%s has the same IDs (%s) as %s, which stays with this "
                                    "computer, so it is bound to vfio-pci by its address, not "
                                    "by its IDs."),
                                  device->address, ids, twins_text));
    }
}

static int
compare_issues_cb (gconstpointer a,
                   gconstpointer b)
{
  const PtGpuIssue *x = *(const PtGpuIssue * const *) a;
  const PtGpuIssue *y = *(const PtGpuIssue * const *) b;

  return (y->blocker ? 1 : 0) - (x->blocker ? 1 : 0);
}

/* The display function of the card @device belongs to: itself, or the first GPU function of
 * the same slot. */
static const PtPciDevice *
find_display_function (GPtrArray         *pci,
                       const PtPciDevice *device)
{
  if (pt_pci_device_is_gpu (device))
    return device;
  for (guint i = 0; i < pci->len; i++)
    {
      const PtPciDevice *other = g_ptr_array_index (pci, i);

      if (same_slot (other, device) && pt_pci_device_is_gpu (other))
        return other;
    }
  return NULL;
}

static void
collect_group (PtGpuChoice        *self,
               GPtrArray          *pci,
               const PtIommuGroup *group)
{
  self->iommu_group = group->id;
  for (guint i = 0; i < group->devices->len; i++)
    {
      const char *address = g_ptr_array_index (group->devices, i);
      const PtPciDevice *device = pt_pci_find (pci, address);

      if (device == NULL)
        g_ptr_array_add (self->unknown, g_strdup (address));
      else if (pt_pci_device_is_bridge (device))
        g_ptr_array_add (self->bridges, (gpointer) device);
      else
        g_ptr_array_add (self->devices, (gpointer) device);
    }
}

PtGpuChoice *
pt_gpu_choice_new (PtHostScan     *scan,
                   PtDeviceUsage  *usage,
                   const char     *address,
                   gboolean        single_gpu,
                   GError        **error)
{
  g_autoptr(PtGpuChoice) self = NULL;
  g_autoptr(PtDeviceUsage) own_usage = NULL;
  g_autofree char *normalized = NULL;
  g_autofree char *gpu_desc = NULL;
  GPtrArray *pci;
  const PtIommu *iommu;
  const PtPciDevice *picked;
  const PtPciDevice *gpu;

  g_return_val_if_fail (PT_IS_HOST_SCAN (scan), NULL);

  pci = pt_host_scan_get_pci (scan);
  normalized = pt_pci_normalize_address (address);
  if (normalized == NULL)
    {
      g_set_error (error, PT_GPU_ERROR, PT_GPU_ERROR_INVALID_ADDRESS,
                   _("“%s” is not a PCI address such as 0000:09:00.0 or 09:00.0"),
                   address != NULL ? address : "");
      return NULL;
    }
  picked = pt_pci_find (pci, normalized);
  if (picked == NULL)
    {
      g_set_error (error, PT_GPU_ERROR, PT_GPU_ERROR_UNKNOWN_DEVICE,
                   _("This computer has no PCI device at %s"), normalized);
      return NULL;
    }
  gpu = find_display_function (pci, picked);
  if (gpu == NULL)
    {
      g_set_error (error, PT_GPU_ERROR, PT_GPU_ERROR_NOT_A_GPU,
                   _("%s is not a graphics card but a %s (%s)"), normalized,
                   picked->class_name != NULL && picked->class_name[0] != '\0'
                   ? picked->class_name : _("device"), picked->name);
      return NULL;
    }

  if (usage == NULL)
    usage = own_usage = pt_device_usage_new (scan);

  self = g_new0 (PtGpuChoice, 1);
  self->gpu = gpu;
  self->iommu_group = -1;
  self->devices = g_ptr_array_new ();
  self->card = g_ptr_array_new ();
  self->companions = g_ptr_array_new ();
  self->bridges = g_ptr_array_new ();
  self->unknown = g_ptr_array_new_with_free_func (g_free);
  self->host_gpus = g_ptr_array_new ();
  self->issues = g_ptr_array_new_with_free_func ((GDestroyNotify) issue_free);
  gpu_desc = pt_gpu_describe_device (gpu);

  for (guint i = 0; i < pci->len; i++)
    {
      const PtPciDevice *device = g_ptr_array_index (pci, i);

      if (same_slot (device, gpu) && !pt_pci_device_is_bridge (device))
        g_ptr_array_add (self->card, (gpointer) device);
    }

  iommu = pt_host_scan_get_iommu (scan);
  if (iommu != NULL && iommu->enabled)
    {
      const PtIommuGroup *group = pt_iommu_find_group (iommu, gpu->iommu_group);

      if (group != NULL)
        collect_group (self, pci, group);
      else
        {
          g_ptr_array_extend (self->devices, self->card, NULL, NULL);
          add_issue (self, PT_GPU_ISSUE_NO_GROUP, TRUE, gpu,
                     g_strdup_printf (_("%s has no IOMMU group although the IOMMU is on, so it "
                                        "cannot be given to a virtual machine. Check that the "
                                        "IOMMU (AMD-Vi or VT-d) is on in the firmware setup for "
                                        "every slot, then read this computer again."),
                                      gpu_desc));
        }
    }
  else
    {
      g_ptr_array_extend (self->devices, self->card, NULL, NULL);
      add_issue (self, PT_GPU_ISSUE_NO_IOMMU, FALSE, gpu,
                 g_strdup_printf (_("The IOMMU is off, so which devices share a group with %s "
                                    "is not known yet. The plan turns the IOMMU on; after the "
                                    "restart, choose the card here again to check its group."),
                                  gpu_desc));
    }
  g_ptr_array_sort (self->devices, pt_pci_device_compare);

  for (guint i = 0; i < self->devices->len; i++)
    {
      const PtPciDevice *device = g_ptr_array_index (self->devices, i);

      if (!same_slot (device, gpu))
        g_ptr_array_add (self->companions, (gpointer) device);
    }
  for (guint i = 0; i < pci->len; i++)
    {
      const PtPciDevice *device = g_ptr_array_index (pci, i);

      if (pt_pci_device_is_gpu (device) && !contains_device (self->devices, device))
        g_ptr_array_add (self->host_gpus, (gpointer) device);
    }

  for (guint i = 0; i < self->unknown->len; i++)
    add_issue (self, PT_GPU_ISSUE_UNKNOWN_MEMBER, TRUE, NULL,
               g_strdup_printf (_("IOMMU group %d also lists %s, which is not among this "
                                  "computer’s PCI devices, so giving the group away cannot be "
                                  "checked. Read this computer again; if it stays so, move the "
                                  "graphics card to another slot."),
                                self->iommu_group,
                                (const char *) g_ptr_array_index (self->unknown, i)));

  for (guint i = 0; i < self->card->len; i++)
    {
      const PtPciDevice *function = g_ptr_array_index (self->card, i);
      g_autofree char *desc = NULL;

      if (contains_device (self->devices, function))
        continue;
      desc = pt_gpu_describe_device (function);
      add_issue (self, PT_GPU_ISSUE_CARD_SPLIT, FALSE, function,
                 g_strdup_printf (_("%s is part of the card but in IOMMU group %d of its own; "
                                    "it stays with this computer."),
                                  desc, function->iommu_group));
    }

  check_display (self, single_gpu);
  check_keyboards (self, usage);
  check_companions (self, usage);
  check_twins (self, pci);

  g_ptr_array_sort (self->issues, compare_issues_cb);
  return g_steal_pointer (&self);
}
