/* fuzz-sysroot.c: libFuzzer target: one fuzzed file or symlink in a host tree, then a full scan. */

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "pt-host-scan.h"
#include "pt-report.h"

#include "pt-fuzz-common.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/*
 * A small desktop host: 2 cores with 2 threads each sharing one L3, one NUMA node, an Intel
 * GPU in IOMMU group 0, an NVMe disk holding / and /boot/efi and swap, a USB receiver that
 * is a keyboard and a mouse, Debian 12 booting with GRUB and initramfs-tools.
 *
 * The first byte of an input picks one entry (modulo the number of entries), the rest
 * becomes its content: a file's bytes or a symlink's target. Entries are only ever appended,
 * so that the seed corpus keeps pointing at the same ones.
 */

#define NVME "/sys/devices/pci0000:00/0000:00:1d.0/0000:01:00.0/nvme/nvme0"
#define DISK NVME "/nvme0n1"
#define GPU "/sys/devices/pci0000:00/0000:00:02.0"
#define XHCI "/sys/devices/pci0000:00/0000:00:14.0"
#define RECEIVER XHCI "/usb1/1-1"
#define KBD_INPUT RECEIVER "/1-1:1.0/0003:046D:C52B.0001/input/input3"
#define MOUSE_INPUT RECEIVER "/1-1:1.1/0003:046D:C52B.0002/input/input4"
#define KERNEL "6.1.0-13-amd64"

typedef struct {
  const char *path;
  const char *content;  /* NULL: a symlink to target */
  const char *target;
} TreeEntry;

static const TreeEntry tree[] = {
  /* CPUs */
  { "/sys/devices/system/cpu/online", "0-3\n", NULL },
  { "/sys/devices/system/cpu/possible", "0-3\n", NULL },
  { "/sys/devices/system/cpu/present", "0-3\n", NULL },
  { "/sys/devices/system/cpu/cpu0/topology/core_id", "0\n", NULL },
  { "/sys/devices/system/cpu/cpu1/topology/core_id", "1\n", NULL },
  { "/sys/devices/system/cpu/cpu2/topology/core_id", "0\n", NULL },
  { "/sys/devices/system/cpu/cpu3/topology/core_id", "1\n", NULL },
  { "/sys/devices/system/cpu/cpu0/topology/physical_package_id", "0\n", NULL },
  { "/sys/devices/system/cpu/cpu1/topology/physical_package_id", "0\n", NULL },
  { "/sys/devices/system/cpu/cpu2/topology/physical_package_id", "0\n", NULL },
  { "/sys/devices/system/cpu/cpu3/topology/physical_package_id", "0\n", NULL },
  { "/sys/devices/system/cpu/cpu0/topology/die_id", "0\n", NULL },
  { "/sys/devices/system/cpu/cpu1/topology/die_id", "0\n", NULL },
  { "/sys/devices/system/cpu/cpu2/topology/die_id", "0\n", NULL },
  { "/sys/devices/system/cpu/cpu3/topology/die_id", "0\n", NULL },
  { "/sys/devices/system/cpu/cpu0/topology/thread_siblings_list", "0,2\n", NULL },
  { "/sys/devices/system/cpu/cpu1/topology/thread_siblings_list", "1,3\n", NULL },
  { "/sys/devices/system/cpu/cpu2/topology/thread_siblings_list", "0,2\n", NULL },
  { "/sys/devices/system/cpu/cpu3/topology/thread_siblings_list", "1,3\n", NULL },
  { "/sys/devices/system/cpu/cpu0/topology/thread_siblings", "5\n", NULL },
  { "/sys/devices/system/cpu/cpu1/topology/thread_siblings", "a\n", NULL },
  { "/sys/devices/system/cpu/cpu2/topology/thread_siblings", "5\n", NULL },
  { "/sys/devices/system/cpu/cpu3/topology/thread_siblings", "a\n", NULL },
  { "/sys/devices/system/cpu/cpu0/topology/core_cpus_list", "0,2\n", NULL },
  { "/sys/devices/system/cpu/cpu1/topology/core_cpus_list", "1,3\n", NULL },
  { "/sys/devices/system/cpu/cpu2/topology/core_cpus_list", "0,2\n", NULL },
  { "/sys/devices/system/cpu/cpu3/topology/core_cpus_list", "1,3\n", NULL },
  { "/sys/devices/system/cpu/cpu0/topology/package_cpus_list", "0-3\n", NULL },
  { "/sys/devices/system/cpu/cpu0/cache/index3/level", "3\n", NULL },
  { "/sys/devices/system/cpu/cpu0/cache/index3/type", "Unified\n", NULL },
  { "/sys/devices/system/cpu/cpu0/cache/index3/id", "0\n", NULL },
  { "/sys/devices/system/cpu/cpu0/cache/index3/size", "8192K\n", NULL },
  { "/sys/devices/system/cpu/cpu0/cache/index3/shared_cpu_list", "0-3\n", NULL },
  { "/sys/devices/system/cpu/cpu0/cache/index3/shared_cpu_map", "f\n", NULL },
  { "/sys/devices/system/cpu/cpu1/cache/index3/level", "3\n", NULL },
  { "/sys/devices/system/cpu/cpu1/cache/index3/id", "0\n", NULL },
  { "/sys/devices/system/cpu/cpu1/cache/index3/size", "8192K\n", NULL },
  { "/sys/devices/system/cpu/cpu1/cache/index3/shared_cpu_list", "0-3\n", NULL },
  { "/sys/devices/system/cpu/cpu0/node0", NULL, "../../node/node0" },
  { "/sys/devices/system/cpu/cpu1/node0", NULL, "../../node/node0" },
  { "/proc/cpuinfo",
    "processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 158\n"
    "model name\t: Intel(R) Core(TM) i3-8100T CPU @ 3.10GHz\nphysical id\t: 0\n"
    "siblings\t: 4\ncore id\t\t: 0\ncpu cores\t: 2\n"
    "flags\t\t: fpu vme de pse tsc msr pae vmx ssse3 sse4_1 sse4_2 pdpe1gb\n\n"
    "processor\t: 1\nvendor_id\t: GenuineIntel\n"
    "model name\t: Intel(R) Core(TM) i3-8100T CPU @ 3.10GHz\nphysical id\t: 0\n"
    "core id\t\t: 1\nflags\t\t: fpu vme de pse tsc msr pae vmx ssse3 sse4_1 sse4_2 pdpe1gb\n\n",
    NULL },

  /* NUMA and memory */
  { "/sys/devices/system/node/online", "0\n", NULL },
  { "/sys/devices/system/node/node0/cpulist", "0-3\n", NULL },
  { "/sys/devices/system/node/node0/cpumap", "f\n", NULL },
  { "/sys/devices/system/node/node0/meminfo",
    "Node 0 MemTotal:       16314896 kB\nNode 0 MemFree:        9214112 kB\n"
    "Node 0 HugePages_Total:     0\nNode 0 HugePages_Free:      0\n", NULL },
  { "/sys/devices/system/node/node0/hugepages/hugepages-2048kB/nr_hugepages", "0\n", NULL },
  { "/sys/devices/system/node/node0/hugepages/hugepages-2048kB/free_hugepages", "0\n", NULL },
  { "/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages", "0\n", NULL },
  { "/sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages", "0\n", NULL },
  { "/sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages", "0\n", NULL },
  { "/sys/kernel/mm/hugepages/hugepages-1048576kB/free_hugepages", "0\n", NULL },
  { "/proc/meminfo",
    "MemTotal:       16314896 kB\nMemFree:         9214112 kB\nMemAvailable:   12983220 kB\n"
    "SwapTotal:       2097148 kB\nHugePages_Total:       0\nHugepagesize:       2048 kB\n",
    NULL },

  /* PCI and IOMMU */
  { GPU "/vendor", "0x8086\n", NULL },
  { GPU "/device", "0x3e92\n", NULL },
  { GPU "/class", "0x030000\n", NULL },
  { GPU "/subsystem_vendor", "0x1043\n", NULL },
  { GPU "/subsystem_device", "0x8694\n", NULL },
  { GPU "/revision", "0x00\n", NULL },
  { GPU "/irq", "130\n", NULL },
  { GPU "/boot_vga", "1\n", NULL },
  { GPU "/numa_node", "-1\n", NULL },
  { GPU "/modalias", "pci:v00008086d00003E92sv00001043sd00008694bc03sc00i00\n", NULL },
  { GPU "/resource",
    "0x00000000f6000000 0x00000000f6ffffff 0x0000000000040200\n"
    "0x00000000e0000000 0x00000000efffffff 0x000000000014220c\n", NULL },
  { GPU "/driver", NULL, "../../../bus/pci/drivers/i915" },
  { GPU "/iommu_group", NULL, "../../../kernel/iommu_groups/0" },
  { "/sys/bus/pci/drivers/i915/bind", "", NULL },
  { "/sys/bus/pci/devices/0000:00:02.0", NULL, "../../../devices/pci0000:00/0000:00:02.0" },
  { "/sys/kernel/iommu_groups/0/devices/0000:00:02.0", NULL,
    "../../../../devices/pci0000:00/0000:00:02.0" },
  { "/sys/devices/virtual/iommu/dmar0/uevent", "", NULL },
  { "/sys/class/iommu/dmar0", NULL, "../../devices/virtual/iommu/dmar0" },

  /* Storage */
  { NVME "/model", "Samsung SSD 970 EVO Plus 1TB            \n", NULL },
  { DISK "/size", "1953525168\n", NULL },
  { DISK "/dev", "259:0\n", NULL },
  { DISK "/device", NULL, "../../nvme0" },
  { DISK "/nvme0n1p1/partition", "1\n", NULL },
  { DISK "/nvme0n1p1/size", "1048576\n", NULL },
  { DISK "/nvme0n1p1/dev", "259:1\n", NULL },
  { DISK "/nvme0n1p2/partition", "2\n", NULL },
  { DISK "/nvme0n1p2/size", "1948282880\n", NULL },
  { DISK "/nvme0n1p2/dev", "259:2\n", NULL },
  { DISK "/nvme0n1p3/partition", "3\n", NULL },
  { DISK "/nvme0n1p3/size", "4194304\n", NULL },
  { DISK "/nvme0n1p3/dev", "259:3\n", NULL },
  { "/sys/class/block/nvme0n1", NULL,
    "../../devices/pci0000:00/0000:00:1d.0/0000:01:00.0/nvme/nvme0/nvme0n1" },
  { "/sys/class/block/nvme0n1p1", NULL,
    "../../devices/pci0000:00/0000:00:1d.0/0000:01:00.0/nvme/nvme0/nvme0n1/nvme0n1p1" },
  { "/sys/class/block/nvme0n1p2", NULL,
    "../../devices/pci0000:00/0000:00:1d.0/0000:01:00.0/nvme/nvme0/nvme0n1/nvme0n1p2" },
  { "/sys/class/block/nvme0n1p3", NULL,
    "../../devices/pci0000:00/0000:00:1d.0/0000:01:00.0/nvme/nvme0/nvme0n1/nvme0n1p3" },
  { "/sys/dev/block/259:0", NULL,
    "../../devices/pci0000:00/0000:00:1d.0/0000:01:00.0/nvme/nvme0/nvme0n1" },
  { "/sys/dev/block/259:1", NULL,
    "../../devices/pci0000:00/0000:00:1d.0/0000:01:00.0/nvme/nvme0/nvme0n1/nvme0n1p1" },
  { "/sys/dev/block/259:2", NULL,
    "../../devices/pci0000:00/0000:00:1d.0/0000:01:00.0/nvme/nvme0/nvme0n1/nvme0n1p2" },
  { "/sys/dev/block/259:3", NULL,
    "../../devices/pci0000:00/0000:00:1d.0/0000:01:00.0/nvme/nvme0/nvme0n1/nvme0n1p3" },
  { "/dev/nvme0n1", "", NULL },
  { "/dev/nvme0n1p1", "", NULL },
  { "/dev/nvme0n1p2", "", NULL },
  { "/dev/nvme0n1p3", "", NULL },
  { "/dev/disk/by-id/nvme-Samsung_SSD_970_EVO_Plus_1TB_S4EWNX0R123456", NULL, "../../nvme0n1" },
  { "/dev/disk/by-id/nvme-Samsung_SSD_970_EVO_Plus_1TB_S4EWNX0R123456-part2", NULL,
    "../../nvme0n1p2" },
  { "/dev/disk/by-id/nvme-eui.0025385b91b12345", NULL, "../../nvme0n1" },
  { "/proc/self/mountinfo",
    "22 1 259:2 / / rw,relatime shared:1 - ext4 /dev/nvme0n1p2 rw,errors=remount-ro\n"
    "23 22 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw\n"
    "24 22 259:1 / /boot/efi rw,relatime shared:30 - vfat /dev/nvme0n1p1 rw,fmask=0077\n",
    NULL },
  { "/proc/swaps",
    "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"
    "/dev/nvme0n1p3                          partition\t2097148\t\t0\t\t-2\n", NULL },

  /* Input */
  { KBD_INPUT "/name", "Logitech USB Receiver\n", NULL },
  { KBD_INPUT "/event0/dev", "13:64\n", NULL },
  { KBD_INPUT "/event0/device", NULL, "../../input3" },
  { MOUSE_INPUT "/name", "Logitech USB Receiver Mouse\n", NULL },
  { MOUSE_INPUT "/event1/device", NULL, "../../input4" },
  { "/sys/class/input/event0", NULL,
    "../../devices/pci0000:00/0000:00:14.0/usb1/1-1/1-1:1.0/0003:046D:C52B.0001/input/input3/"
    "event0" },
  { "/sys/class/input/event1", NULL,
    "../../devices/pci0000:00/0000:00:14.0/usb1/1-1/1-1:1.1/0003:046D:C52B.0002/input/input4/"
    "event1" },
  { "/dev/input/event0", "", NULL },
  { "/dev/input/event1", "", NULL },
  { "/dev/input/by-id/usb-Logitech_USB_Receiver-event-kbd", NULL, "../event0" },
  { "/dev/input/by-id/usb-Logitech_USB_Receiver-if01-event-mouse", NULL, "../event1" },
  { "/dev/input/by-id/usb-Logitech_USB_Receiver-if01-mouse", NULL, "../mouse0" },

  /* USB */
  { XHCI "/usb1/busnum", "1\n", NULL },
  { XHCI "/usb1/devnum", "1\n", NULL },
  { XHCI "/usb1/idVendor", "1d6b\n", NULL },
  { XHCI "/usb1/idProduct", "0002\n", NULL },
  { XHCI "/usb1/bDeviceClass", "09\n", NULL },
  { XHCI "/usb1/manufacturer", "Linux 6.1.0-13-amd64 xhci-hcd\n", NULL },
  { XHCI "/usb1/product", "xHCI Host Controller\n", NULL },
  { RECEIVER "/busnum", "1\n", NULL },
  { RECEIVER "/devnum", "2\n", NULL },
  { RECEIVER "/idVendor", "046d\n", NULL },
  { RECEIVER "/idProduct", "c52b\n", NULL },
  { RECEIVER "/bDeviceClass", "00\n", NULL },
  { RECEIVER "/manufacturer", "Logitech\n", NULL },
  { RECEIVER "/product", "USB Receiver\n", NULL },
  { RECEIVER "/1-1:1.0/bInterfaceClass", "03\n", NULL },
  { "/sys/bus/usb/devices/usb1", NULL, "../../../devices/pci0000:00/0000:00:14.0/usb1" },
  { "/sys/bus/usb/devices/1-1", NULL, "../../../devices/pci0000:00/0000:00:14.0/usb1/1-1" },
  { "/sys/bus/usb/devices/1-1:1.0", NULL,
    "../../../devices/pci0000:00/0000:00:14.0/usb1/1-1/1-1:1.0" },

  /* Boot */
  { "/proc/cmdline",
    "BOOT_IMAGE=/boot/vmlinuz-" KERNEL " root=UUID=4a1b2c3d-0000-4000-8000-123456789abc ro "
    "quiet intel_iommu=on iommu=pt \"acpi_osi=Windows 2020\"\n", NULL },
  { "/proc/sys/kernel/osrelease", KERNEL "\n", NULL },
  { "/etc/os-release",
    "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\n"
    "VERSION_ID=\"12\"\nID=debian\n", NULL },
  { "/etc/default/grub",
    "GRUB_DEFAULT=0\nGRUB_TIMEOUT=5\nGRUB_CMDLINE_LINUX_DEFAULT=\"quiet intel_iommu=on\"\n"
    "GRUB_CMDLINE_LINUX=\"\"\n", NULL },
  { "/etc/initramfs-tools/initramfs.conf", "MODULES=most\nCOMPRESS=zstd\n", NULL },
  { "/etc/initramfs-tools/modules", "# modules for the initramfs\n", NULL },
  { "/lib/modules/" KERNEL "/modules.builtin",
    "kernel/drivers/pci/pcie/aer.ko\nkernel/drivers/vfio/vfio_iommu_type1.ko\n", NULL },
  { "/lib/modules/" KERNEL "/modules.dep",
    "kernel/drivers/vfio/pci/vfio-pci.ko: kernel/drivers/vfio/pci/vfio-pci-core.ko "
    "kernel/drivers/vfio/vfio.ko\nkernel/drivers/vfio/vfio.ko:\n", NULL },
  { "/lib/modules/" KERNEL "/modules.alias",
    "alias pci:v00008086d00003E92sv*sd*bc*sc*i* i915\nalias pci:v*d*sv*sd*bc03sc*i* vfio_pci\n",
    NULL },
  { "/lib/modules/6.1.0-12-amd64/modules.dep", "", NULL },
};

static char *tree_root;

static char *
entry_host_path (const TreeEntry *entry)
{
  return g_build_filename (tree_root, entry->path, NULL);
}

/* Writes @entry with @content (a file's bytes or a link's target), replacing what is there. */
static gboolean
write_entry (const TreeEntry *entry,
             const char      *content,
             gsize            length)
{
  g_autofree char *path = entry_host_path (entry);
  g_autofree char *dir = g_path_get_dirname (path);

  if (g_mkdir_with_parents (dir, 0755) != 0)
    return FALSE;

  if (entry->content != NULL)
    return g_file_set_contents_full (path, content, length, G_FILE_SET_CONTENTS_NONE, 0644, NULL);

  if (unlink (path) != 0 && errno != ENOENT)
    return FALSE;
  return symlink (content, path) == 0;
}

static void
write_baseline (const TreeEntry *entry)
{
  const char *content = entry->content != NULL ? entry->content : entry->target;

  PT_FUZZ_CHECK (write_entry (entry, content, strlen (content)),
                 "cannot write %s below %s", entry->path, tree_root);
}

static int
remove_entry_cb (const char        *path,
                 const struct stat *st,
                 int                type,
                 struct FTW        *ftw)
{
  remove (path);
  return 0;
}

static void
remove_tree (void)
{
  /* Depth first and without following links: the tree holds links that lead anywhere. */
  if (tree_root != NULL)
    nftw (tree_root, remove_entry_cb, 16, FTW_DEPTH | FTW_PHYS);
  g_clear_pointer (&tree_root, g_free);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(GError) error = NULL;
  /* A whole PCI config header, so that libpci finds what it expects for the GPU. */
  static const guint8 gpu_config[64] = {
    0x86, 0x80, 0x92, 0x3e, 0x07, 0x04, 0x10, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00,
    0x04, 0x00, 0x00, 0xf6, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x00, 0xe0, 0x00, 0x00, 0x00, 0x00,
    0x01, 0xf0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x43, 0x10, 0x94, 0x86,
    0x00, 0x00, 0x00, 0x00, 0x40, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0x01, 0x00, 0x00,
  };
  g_autofree char *config_path = NULL;

  pt_fuzz_quiet_logs ();

  tree_root = g_dir_make_tmp ("pt-fuzz-sysroot-XXXXXX", &error);
  PT_FUZZ_CHECK (tree_root != NULL, "no temp dir: %s", PT_FUZZ_ERR (error));
  atexit (remove_tree);

  for (gsize i = 0; i < G_N_ELEMENTS (tree); i++)
    write_baseline (&tree[i]);

  config_path = g_build_filename (tree_root, GPU, "config", NULL);
  PT_FUZZ_CHECK (g_file_set_contents (config_path, (const char *) gpu_config,
                                      sizeof gpu_config, &error),
                 "cannot write %s: %s", config_path, PT_FUZZ_ERR (error));
  return 0;
}

/* Promises of the headers that hold for any tree, however broken. */
static void
check_scan (PtHostScan *scan)
{
  const PtCpuTopology *cpu = pt_host_scan_get_cpu (scan);
  const PtIommu *iommu = pt_host_scan_get_iommu (scan);
  GPtrArray *pci = pt_host_scan_get_pci (scan);
  g_autofree char *report = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  PT_FUZZ_CHECK (cpu != NULL && iommu != NULL && pci != NULL, "a scan without a part");
  for (guint i = 1; i < cpu->online->len; i++)
    PT_FUZZ_CHECK (g_array_index (cpu->online, guint, i - 1) <
                   g_array_index (cpu->online, guint, i), "online CPUs not sorted");
  for (guint i = 0; i < cpu->cores->len; i++)
    {
      const PtCpuCore *core = g_ptr_array_index (cpu->cores, i);

      PT_FUZZ_CHECK (core->index == i, "core %u has index %u", i, core->index);
      PT_FUZZ_CHECK (core->l3 >= -1 && core->l3 < (int) cpu->l3->len,
                     "core %u points at L3 %d of %u", i, core->l3, cpu->l3->len);
    }
  for (guint i = 0; i < cpu->l3->len; i++)
    {
      const PtCpuCache *cache = g_ptr_array_index (cpu->l3, i);

      PT_FUZZ_CHECK (cache->index == i, "L3 %u has index %u", i, cache->index);
    }
  PT_FUZZ_CHECK (iommu->enabled == (iommu->groups->len > 0), "IOMMU enabled without groups");
  for (guint i = 1; i < iommu->groups->len; i++)
    {
      const PtIommuGroup *a = g_ptr_array_index (iommu->groups, i - 1);
      const PtIommuGroup *b = g_ptr_array_index (iommu->groups, i);

      PT_FUZZ_CHECK (a->id < b->id, "IOMMU groups %d and %d out of order", a->id, b->id);
    }
  for (guint i = 1; i < pci->len; i++)
    {
      const PtPciDevice *a = g_ptr_array_index (pci, i - 1);
      const PtPciDevice *b = g_ptr_array_index (pci, i);

      PT_FUZZ_CHECK (strcmp (a->address, b->address) < 0, "PCI %s and %s out of order",
                     a->address, b->address);
    }

  report = pt_report_to_string (scan);
  PT_FUZZ_CHECK (report != NULL, "no report for a scan");
  PT_FUZZ_CHECK (json_parser_load_from_data (parser, report, -1, &error),
                 "the report is not JSON: %s", PT_FUZZ_ERR (error));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const TreeEntry *entry;
  g_autoptr(PtHostScan) scan = NULL;
  g_autoptr(GError) error = NULL;
  gboolean written;

  if (size == 0)
    return 0;

  entry = &tree[data[0] % G_N_ELEMENTS (tree)];
  if (entry->content != NULL)
    {
      written = write_entry (entry, (const char *) data + 1, size - 1);
    }
  else
    {
      /* A link target is a C string: no NUL inside, not empty, not longer than a path. */
      g_autofree char *target = g_strndup ((const char *) data + 1, size - 1);

      written = target[0] != '\0' && strlen (target) < 4096 &&
                write_entry (entry, target, strlen (target));
    }

  scan = pt_host_scan_new_sync (tree_root, NULL, &error);
  if (scan != NULL)
    check_scan (scan);
  else
    PT_FUZZ_CHECK (error != NULL, "a failed scan without a GError");

  if (written)
    write_baseline (entry);
  return 0;
}
