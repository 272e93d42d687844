/* test-storage.c: disks by id and the ones the host needs, on fixtures, small trees, the host. */
#include <string.h>
#include <unistd.h>

#include "pt-storage.h"
#include "pt-test-utils.h"

static GPtrArray *
read_tree (const char  *root,
           GError     **error)
{
  g_autoptr(PtSysroot) sysroot = pt_sysroot_new (root, NULL);

  g_assert_nonnull (sysroot);
  return pt_storage_read (sysroot, error);
}

static PtDisk *
find_disk (GPtrArray  *disks,
           const char *device)
{
  for (guint i = 0; i < disks->len; i++)
    {
      PtDisk *disk = g_ptr_array_index (disks, i);

      if (g_str_equal (disk->device, device))
        return disk;
    }
  return NULL;
}

/* --- a small sysfs/dev writer --- */

/*
 * A block device at /sys/devices/<dir>/<name> with its /sys/class/block and /sys/dev/block
 * links; @is_partition: a partition of the disk in @dir.
 */
static void
add_block (const char *root,
           const char *dir,
           const char *name,
           const char *numbers,
           const char *sectors,
           gboolean    is_partition)
{
  g_autofree char *sys = g_strdup_printf ("sys/devices/%s/%s", dir, name);
  g_autofree char *size = g_strconcat (sys, "/size", NULL);
  g_autofree char *dev = g_strconcat (sys, "/dev", NULL);
  g_autofree char *class_link = g_strconcat ("sys/class/block/", name, NULL);
  g_autofree char *dev_link = g_strconcat ("sys/dev/block/", numbers, NULL);
  g_autofree char *target = g_strconcat ("../../", sys + strlen ("sys/"), NULL);
  g_autofree char *node = g_strconcat ("dev/", name, NULL);
  g_autofree char *numbers_line = g_strconcat (numbers, "\n", NULL);

  pt_test_write_file (root, size, sectors);
  pt_test_write_file (root, dev, numbers_line);
  if (is_partition)
    {
      g_autofree char *partition = g_strconcat (sys, "/partition", NULL);
      pt_test_write_file (root, partition, "1\n");
    }
  pt_test_make_link (root, class_link, target);
  pt_test_make_link (root, dev_link, target);
  /* udev's device node; a plain file is enough for the readers. */
  pt_test_write_file (root, node, "");
}

static void
add_by_id (const char *root,
           const char *link,
           const char *name)
{
  g_autofree char *path = g_strconcat ("dev/disk/by-id/", link, NULL);
  g_autofree char *target = g_strconcat ("../../", name, NULL);

  pt_test_make_link (root, path, target);
}

/* dm/md device without hardware of its own: /sys/devices/virtual/block/<name>, with slaves. */
static void
add_virtual_block (const char         *root,
                   const char         *name,
                   const char         *numbers,
                   const char         *dm_name,
                   const char * const *slaves)
{
  g_autofree char *dir = g_strdup_printf ("sys/devices/virtual/block/%s", name);

  add_block (root, "virtual/block", name, numbers, "2000\n", FALSE);
  if (dm_name != NULL)
    {
      g_autofree char *name_path = g_strconcat (dir, "/dm/name", NULL);
      g_autofree char *line = g_strconcat (dm_name, "\n", NULL);
      pt_test_write_file (root, name_path, line);
    }
  for (guint i = 0; slaves != NULL && slaves[i] != NULL; i++)
    {
      g_autofree char *slave = g_strdup_printf ("%s/slaves/%s", dir, slaves[i]);
      g_autofree char *target = g_strdup_printf ("../../../../../../sys/class/block/%s",
                                                 slaves[i]);
      /* Real slaves links point into /sys/devices; through /sys/class/block is equivalent. */
      pt_test_make_link (root, slave, target);
    }
}

#define NVME_DIR "pci0000:00/0000:00:01.1/0000:01:00.0/nvme/nvme0"
#define SATA_SCSI "pci0000:00/0000:00:01.3/0000:03:00.1/ata2/host1/target1:0:0/1:0:0:0"
#define SATA_DIR SATA_SCSI "/block"
#define USB_SCSI "pci0000:00/0000:00:14.0/usb2/2-1/2-1:1.0/host6/target6:0:0/6:0:0:0"
#define USB_DIR USB_SCSI "/block"
/* What a disk's "device" link points at from its folder: the controller, or the SCSI device. */
#define NVME_DEVICE "../../nvme0"
#define SATA_DEVICE "../../../1:0:0:0"
#define USB_DEVICE "../../../6:0:0:0"

/* A whole disk: its block device in @dir and its "device" link. */
static void
add_disk (const char *root,
          const char *dir,
          const char *device,
          const char *name,
          const char *numbers,
          const char *sectors)
{
  g_autofree char *link = g_strdup_printf ("sys/devices/%s/%s/device", dir, name);

  add_block (root, dir, name, numbers, sectors, FALSE);
  pt_test_make_link (root, link, device);
}

static const char nvme_serial_link[] = "nvme-Samsung_SSD_970_EVO_1TB_S467NX0M123456";

/* An NVMe system disk, a SATA data disk with swap on it, a USB stick, and a dm device. */
static void
build_desktop (const char *root)
{
  pt_test_write_file (root, "sys/devices/" NVME_DIR "/model",
                      "Samsung SSD 970 EVO 1TB                 \n");
  add_disk (root, NVME_DIR, NVME_DEVICE, "nvme0n1", "259:0", "1953525168\n");
  add_block (root, NVME_DIR "/nvme0n1", "nvme0n1p1", "259:1", "1048576\n", TRUE);
  add_block (root, NVME_DIR "/nvme0n1", "nvme0n1p2", "259:2", "1952474000\n", TRUE);
  add_by_id (root, nvme_serial_link, "nvme0n1");
  add_by_id (root, "nvme-Samsung_SSD_970_EVO_1TB_S467NX0M123456_1", "nvme0n1");
  add_by_id (root, "nvme-eui.0025385b91b0a1b2", "nvme0n1");
  add_by_id (root, "nvme-Samsung_SSD_970_EVO_1TB_S467NX0M123456-part1", "nvme0n1p1");
  add_by_id (root, "nvme-Samsung_SSD_970_EVO_1TB_S467NX0M123456-part2", "nvme0n1p2");

  pt_test_write_file (root, "sys/devices/" SATA_SCSI "/model", "ST2000DM008-2FR1\n");
  add_disk (root, SATA_DIR, SATA_DEVICE, "sda", "8:0", "3907029168\n");
  add_block (root, SATA_DIR "/sda", "sda1", "8:1", "3800000000\n", TRUE);
  add_block (root, SATA_DIR "/sda", "sda2", "8:2", "100000000\n", TRUE);
  add_by_id (root, "wwn-0x5000c500c1234567", "sda");
  add_by_id (root, "scsi-SATA_ST2000DM008-2FR1_ZFL0ABCD", "sda");
  add_by_id (root, "ata-ST2000DM008-2FR102_ZFL0ABCD", "sda");
  add_by_id (root, "ata-ST2000DM008-2FR102_ZFL0ABCD-part1", "sda1");

  pt_test_write_file (root, "sys/devices/" USB_SCSI "/model", "Ultra           \n");
  add_disk (root, USB_DIR, USB_DEVICE, "sdb", "8:16", "60063744\n");
  add_by_id (root, "usb-SanDisk_Ultra_4C530001230101117183-0:0", "sdb");

  /* An LVM volume on sda1: a by-id link, but no disk of its own. */
  {
    const char * const slaves[] = { "sda1", NULL };
    add_virtual_block (root, "dm-0", "254:0", "data-home", slaves);
    add_by_id (root, "dm-name-data-home", "dm-0");
    add_by_id (root, "dm-uuid-LVM-abc", "dm-0");
  }
  /* zram swap: not a disk either. */
  add_block (root, "virtual/block", "zram0", "252:0", "16000000\n", FALSE);

  pt_test_write_file (root, "proc/self/mountinfo",
                      "22 27 0:21 / /proc rw,relatime shared:5 - proc proc rw\n"
                      "23 27 0:22 / /sys rw,relatime shared:6 - sysfs sysfs rw\n"
                      "27 1 259:2 / / rw,relatime shared:1 - ext4 /dev/nvme0n1p2 "
                      "rw,errors=remount-ro\n"
                      "30 27 259:1 / /boot/efi rw,relatime shared:3 - vfat /dev/nvme0n1p1 "
                      "rw,fmask=0077\n"
                      "31 27 254:0 / /home rw,relatime shared:4 - ext4 /dev/mapper/data-home rw\n"
                      "32 27 0:40 / /mnt/with\\040space rw - ext4 /dev/sdb rw\n");
  pt_test_write_file (root, "proc/swaps",
                      "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"
                      "/dev/sda2                               partition\t50000000\t0\t\t-2\n"
                      "/swapfile                               file\t\t2097148\t\t0\t\t-3\n"
                      "/dev/zram0                              partition\t8000000\t\t0\t\t100\n");
}

static void
test_desktop (void)
{
  g_autofree char *root = g_dir_make_tmp ("pt-storage-XXXXXX", NULL);
  g_autoptr(GPtrArray) disks = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *nvme_path = g_strconcat ("/dev/disk/by-id/", nvme_serial_link, NULL);
  PtDisk *nvme, *sata, *usb;
  g_autofree char *partitions = NULL;

  build_desktop (root);
  disks = read_tree (root, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (disks->len, ==, 3);

  nvme = find_disk (disks, "/dev/nvme0n1");
  sata = find_disk (disks, "/dev/sda");
  usb = find_disk (disks, "/dev/sdb");
  g_assert_nonnull (nvme);
  g_assert_nonnull (sata);
  g_assert_nonnull (usb);

  /* Sorted by path: ata- < nvme- < usb-. */
  g_assert_true (g_ptr_array_index (disks, 0) == sata);
  g_assert_true (g_ptr_array_index (disks, 1) == nvme);
  g_assert_true (g_ptr_array_index (disks, 2) == usb);

  /* The link with model and serial, not the namespace-suffixed or EUI one. */
  g_assert_cmpstr (nvme->path, ==, nvme_path);
  g_assert_cmpstr (nvme->model, ==, "Samsung SSD 970 EVO 1TB");
  g_assert_cmpstr (nvme->pci_address, ==, "0000:01:00.0");
  g_assert_cmpuint (nvme->size_bytes, ==, G_GUINT64_CONSTANT (1953525168) * 512);
  partitions = g_strjoinv (",", nvme->partitions);
  g_assert_cmpstr (partitions, ==, "nvme0n1p1,nvme0n1p2");
  g_assert_true (nvme->root);
  g_assert_true (nvme->boot);
  g_assert_false (nvme->swap);
  g_assert_true (pt_disk_is_host_disk (nvme));

  /* ata- wins over scsi- and wwn-. */
  g_assert_cmpstr (sata->path, ==, "/dev/disk/by-id/ata-ST2000DM008-2FR102_ZFL0ABCD");
  g_assert_cmpstr (sata->model, ==, "ST2000DM008-2FR1");
  g_assert_cmpstr (sata->pci_address, ==, "0000:03:00.1");
  g_assert_cmpuint (g_strv_length (sata->partitions), ==, 2);
  g_assert_false (sata->root);
  g_assert_false (sata->boot);
  /* Swap on sda2 makes it the host's, /home on LVM on sda1 alone would not. */
  g_assert_true (sata->swap);
  g_assert_true (pt_disk_is_host_disk (sata));

  g_assert_cmpstr (usb->model, ==, "Ultra");
  g_assert_cmpstr (usb->pci_address, ==, "0000:00:14.0");
  g_assert_cmpuint (g_strv_length (usb->partitions), ==, 0);
  g_assert_false (pt_disk_is_host_disk (usb));
  pt_test_remove_tree (root);
}

/* / on LVM on a partition, /boot on an md mirror of two disks. */
static void
test_lvm_and_md (void)
{
  g_autofree char *root = g_dir_make_tmp ("pt-storage-XXXXXX", NULL);
  g_autoptr(GPtrArray) disks = NULL;
  g_autoptr(GError) error = NULL;
  const char * const root_slaves[] = { "nvme0n1p3", NULL };
  const char * const boot_slaves[] = { "sda1", "sdb1", NULL };

  pt_test_write_file (root, "sys/devices/" NVME_DIR "/model", "WD_BLACK SN850X 2000GB\n");
  add_disk (root, NVME_DIR, NVME_DEVICE, "nvme0n1", "259:0", "3907029168\n");
  add_block (root, NVME_DIR "/nvme0n1", "nvme0n1p3", "259:3", "3900000000\n", TRUE);
  add_by_id (root, "nvme-WD_BLACK_SN850X_2000GB_23123K800123", "nvme0n1");

  add_disk (root, SATA_DIR, SATA_DEVICE, "sda", "8:0", "1000\n");
  add_block (root, SATA_DIR "/sda", "sda1", "8:1", "900\n", TRUE);
  add_by_id (root, "ata-Disk_A", "sda");
  add_disk (root, USB_DIR, USB_DEVICE, "sdb", "8:16", "1000\n");
  add_block (root, USB_DIR "/sdb", "sdb1", "8:17", "900\n", TRUE);
  add_by_id (root, "usb-Disk_B-0:0", "sdb");

  add_virtual_block (root, "dm-0", "254:0", "vg-root", root_slaves);
  add_virtual_block (root, "md0", "9:0", NULL, boot_slaves);
  add_by_id (root, "md-uuid-0123", "md0");

  pt_test_write_file (root, "proc/self/mountinfo",
                      "27 1 254:0 / / rw,relatime shared:1 - ext4 /dev/mapper/vg-root rw\n"
                      "30 27 9:0 / /boot rw,relatime shared:3 - ext4 /dev/md0 rw\n");

  disks = read_tree (root, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (disks->len, ==, 3);
  g_assert_true (find_disk (disks, "/dev/nvme0n1")->root);
  g_assert_false (find_disk (disks, "/dev/nvme0n1")->boot);
  g_assert_true (find_disk (disks, "/dev/sda")->boot);
  g_assert_true (find_disk (disks, "/dev/sdb")->boot);
  g_assert_false (find_disk (disks, "/dev/sda")->root);
  pt_test_remove_tree (root);
}

typedef struct {
  const char *description;
  const char *mountinfo;   /* NULL: no mountinfo, only /proc/mounts */
  const char *mounts;
  gboolean    dev_mapper;  /* whether /dev/mapper/cryptroot exists in the tree */
} MajorZeroCase;

static const MajorZeroCase major_zero_cases[] = {
  { "btrfs subvolume", "27 1 0:26 /@ / rw,relatime shared:1 - btrfs /dev/nvme0n1p2 rw,ssd\n",
    NULL, FALSE },
  { "btrfs on LUKS, by /dev/mapper link",
    "27 1 0:26 /@ / rw - btrfs /dev/mapper/cryptroot rw\n", NULL, TRUE },
  { "btrfs on LUKS, by dm name only",
    "27 1 0:26 /@ / rw - btrfs /dev/mapper/cryptroot rw\n", NULL, FALSE },
  { "no mountinfo", NULL, "/dev/nvme0n1p2 / ext4 rw,relatime 0 0\n", FALSE },
  { "the last mount on / wins",
    "20 1 8:0 / / rw - ext4 /dev/sda rw\n27 20 0:26 /@ / rw - btrfs /dev/nvme0n1p2 rw\n",
    NULL, FALSE },
};

static void
test_major_zero (gconstpointer data)
{
  const MajorZeroCase *c = data;
  g_autofree char *root = g_dir_make_tmp ("pt-storage-XXXXXX", NULL);
  g_autoptr(GPtrArray) disks = NULL;
  g_autoptr(GError) error = NULL;
  const char * const crypt_slaves[] = { "nvme0n1p2", NULL };

  add_disk (root, NVME_DIR, NVME_DEVICE, "nvme0n1", "259:0", "1000\n");
  add_block (root, NVME_DIR "/nvme0n1", "nvme0n1p2", "259:2", "900\n", TRUE);
  add_by_id (root, "nvme-Some_Disk_123", "nvme0n1");
  add_disk (root, SATA_DIR, SATA_DEVICE, "sda", "8:0", "1000\n");
  add_by_id (root, "ata-Other_Disk", "sda");
  add_virtual_block (root, "dm-3", "254:3", "cryptroot", crypt_slaves);
  if (c->dev_mapper)
    pt_test_make_link (root, "dev/mapper/cryptroot", "../dm-3");
  if (c->mountinfo != NULL)
    pt_test_write_file (root, "proc/self/mountinfo", c->mountinfo);
  if (c->mounts != NULL)
    pt_test_write_file (root, "proc/mounts", c->mounts);

  disks = read_tree (root, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (disks->len, ==, 2);
  g_assert_true (find_disk (disks, "/dev/nvme0n1")->root);
  g_assert_false (find_disk (disks, "/dev/sda")->root);
  pt_test_remove_tree (root);
}

/* dm devices whose slaves point at each other: a broken tree, read without looping. */
static void
test_slave_loop (void)
{
  g_autofree char *root = g_dir_make_tmp ("pt-storage-XXXXXX", NULL);
  g_autoptr(GPtrArray) disks = NULL;
  g_autoptr(GError) error = NULL;
  const char * const to_dm1[] = { "dm-1", NULL };
  const char * const to_dm0[] = { "dm-0", NULL };

  add_disk (root, SATA_DIR, SATA_DEVICE, "sda", "8:0", "1000\n");
  add_by_id (root, "ata-Disk", "sda");
  add_virtual_block (root, "dm-0", "254:0", "a", to_dm1);
  add_virtual_block (root, "dm-1", "254:1", "b", to_dm0);
  pt_test_write_file (root, "proc/self/mountinfo", "27 1 254:0 / / rw - ext4 /dev/dm-0 rw\n");

  disks = read_tree (root, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (disks->len, ==, 1);
  g_assert_false (find_disk (disks, "/dev/sda")->root);
  pt_test_remove_tree (root);
}

typedef struct {
  const char *description;
  const char *link;
  const char *target;
} StrayLinkCase;

static const StrayLinkCase stray_links[] = {
  { "dangling", "ata-Gone_Disk", "../../sdz" },
  { "climbing out of the tree", "ata-Evil", "../../../../../../../../../etc" },
  { "absolute to a folder", "ata-Evil2", "/sys/class/block" },
  { "to a partition", "ata-Partition", "../../sda1" },
  { "to itself", "ata-Loop", "ata-Loop" },
  { "to nothing", "ata-Empty", "../../" },
};

/* Stray by-id links are skipped; the real disk is still there. */
static void
test_stray_links (void)
{
  g_autofree char *root = g_dir_make_tmp ("pt-storage-XXXXXX", NULL);
  g_autoptr(GPtrArray) disks = NULL;
  g_autoptr(GError) error = NULL;

  add_disk (root, SATA_DIR, SATA_DEVICE, "sda", "8:0", "1000\n");
  add_block (root, SATA_DIR "/sda", "sda1", "8:1", "900\n", TRUE);
  add_by_id (root, "ata-Disk", "sda");
  for (guint i = 0; i < G_N_ELEMENTS (stray_links); i++)
    {
      g_autofree char *path = g_strconcat ("dev/disk/by-id/", stray_links[i].link, NULL);
      pt_test_make_link (root, path, stray_links[i].target);
    }
  pt_test_write_file (root, "dev/disk/by-id/ata-Regular_File", "");

  disks = read_tree (root, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (disks->len, ==, 1);
  g_assert_cmpstr (((PtDisk *) g_ptr_array_index (disks, 0))->path, ==, "/dev/disk/by-id/ata-Disk");
  /* No model file: an empty model, not a failure. */
  g_assert_cmpstr (((PtDisk *) g_ptr_array_index (disks, 0))->model, ==, "");
  pt_test_remove_tree (root);
}

typedef struct {
  const char *description;
  const char *sectors;
} BadSizeCase;

static const BadSizeCase bad_sizes[] = {
  { "garbage", "lots\n" },
  { "negative", "-1\n" },
  { "too large for bytes", "99999999999999999999\n" },
  { "empty", "" },
};

static void
test_bad_size (gconstpointer data)
{
  const BadSizeCase *c = data;
  g_autofree char *root = g_dir_make_tmp ("pt-storage-XXXXXX", NULL);
  g_autoptr(GPtrArray) disks = NULL;
  g_autoptr(GError) error = NULL;

  add_disk (root, SATA_DIR, SATA_DEVICE, "sda", "8:0", c->sectors);
  add_by_id (root, "ata-Disk", "sda");

  disks = read_tree (root, &error);
  g_assert_null (disks);
  g_assert_error (error, PT_SYSROOT_ERROR, PT_SYSROOT_ERROR_PARSE);
  g_test_message ("%s: %s", c->description, error->message);
  pt_test_remove_tree (root);
}

static void
test_no_by_id (void)
{
  g_autofree char *root = g_dir_make_tmp ("pt-storage-XXXXXX", NULL);
  g_autoptr(GPtrArray) disks = NULL;
  g_autoptr(GError) error = NULL;

  /* A VM with virtio disks without serial numbers has no by-id links. */
  add_block (root, "pci0000:00/0000:00:02.0/virtio1/block", "vda", "254:0", "1000\n", FALSE);
  pt_test_write_file (root, "proc/self/mountinfo", "27 1 254:0 / / rw - ext4 /dev/vda rw\n");
  disks = read_tree (root, &error);
  g_assert_no_error (error);
  g_assert_nonnull (disks);
  g_assert_cmpuint (disks->len, ==, 0);
  pt_test_remove_tree (root);
}

/* --- fixtures --- */

static void
test_fixture_expected (gconstpointer data)
{
  const char *name = data;
  g_autofree char *root = pt_test_fixture_path (name);
  g_autofree char *expected_path = g_strconcat (root, ".expected.json", NULL);
  g_autoptr(GPtrArray) disks = NULL;
  g_autoptr(JsonNode) expected = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *want;

  disks = read_tree (root, &error);
  g_assert_no_error (error);

  if (!g_file_test (expected_path, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("the fixture has no expected report yet");
      return;
    }
  expected = pt_test_load_json (expected_path);
  want = json_object_get_array_member (json_node_get_object (expected), "disks");
  g_assert_cmpuint (json_array_get_length (want), ==, disks->len);
  for (guint i = 0; i < disks->len; i++)
    {
      PtDisk *disk = g_ptr_array_index (disks, i);
      JsonObject *w = json_array_get_object_element (want, i);

      g_assert_cmpstr (json_object_get_string_member (w, "path"), ==, disk->path);
      g_assert_cmpstr (json_object_get_string_member (w, "model"), ==, disk->model);
      g_assert_cmpuint (json_object_get_int_member (w, "size_bytes"), ==, disk->size_bytes);
      g_assert_cmpint (json_object_get_boolean_member (w, "root"), ==, disk->root);
      if (json_object_has_member (w, "device"))
        g_assert_cmpstr (json_object_get_string_member (w, "device"), ==, disk->device);
      if (json_object_has_member (w, "boot"))
        g_assert_cmpint (json_object_get_boolean_member (w, "boot"), ==, disk->boot);
      if (json_object_has_member (w, "swap"))
        g_assert_cmpint (json_object_get_boolean_member (w, "swap"), ==, disk->swap);
    }
}

/* The disk the host runs from is flagged, so the app never offers it to a guest; a data disk
 * next to it is not. */
typedef struct {
  const char *fixture;
  const char *host_disk;   /* holds / */
  gboolean    boot;
  gboolean    swap;
  const char *controller;  /* PCI address of the host disk's controller */
  const char *data_disk;   /* offered to guests, or NULL */
} KnownDisks;

static const KnownDisks known_disks[] = {
  { "ryzen-2600x-desktop", "/dev/nvme0n1", TRUE, TRUE, "0000:01:00.0", "/dev/sda" },
  /* Root on LVM: found through the dm device's slaves. */
  { "dual-socket-server", "/dev/nvme0n1", TRUE, FALSE, "0000:01:00.0", "/dev/nvme1n1" },
  /* btrfs root (major 0): found by the mount source. */
  { "intel-hybrid-laptop-iommu-off", "/dev/nvme0n1", TRUE, FALSE, "0000:02:00.0", NULL },
  { "identical-gpus", "/dev/nvme0n1", TRUE, TRUE, "0000:01:00.0", "/dev/nvme1n1" },
  { "no-smt-desktop", "/dev/sda", TRUE, TRUE, "0000:00:17.0", NULL },
  { "shared-group-board", "/dev/nvme0n1", TRUE, FALSE, "0000:04:00.0", "/dev/sda" },
};

static void
test_fixture_known (gconstpointer data)
{
  const KnownDisks *k = data;
  g_autofree char *root = pt_test_fixture_path (k->fixture);
  g_autoptr(GPtrArray) disks = NULL;
  g_autoptr(GError) error = NULL;
  PtDisk *host;
  guint n_root = 0;

  if (!g_file_test (root, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("the fixture is not in tests/fixtures");
      return;
    }
  disks = read_tree (root, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < disks->len; i++)
    n_root += ((PtDisk *) g_ptr_array_index (disks, i))->root;
  g_assert_cmpuint (n_root, ==, 1);

  host = find_disk (disks, k->host_disk);
  g_assert_nonnull (host);
  g_assert_true (host->root);
  g_assert_cmpint (host->boot, ==, k->boot);
  g_assert_cmpint (host->swap, ==, k->swap);
  g_assert_true (pt_disk_is_host_disk (host));
  g_assert_cmpstr (host->pci_address, ==, k->controller);
  g_assert_cmpstr (host->model, !=, "");
  g_assert_cmpuint (g_strv_length (host->partitions), >, 0);
  if (k->data_disk != NULL)
    {
      PtDisk *data_disk = find_disk (disks, k->data_disk);

      g_assert_nonnull (data_disk);
      g_assert_false (pt_disk_is_host_disk (data_disk));
    }
}

/* --- the running host --- */

static void
test_host (void)
{
  g_autoptr(PtSysroot) sysroot = pt_sysroot_new ("/", NULL);
  g_autoptr(GPtrArray) disks = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "lsblk", "-d", "-n", "-o", "NAME,TYPE", NULL };
  g_autofree char *out = NULL;
  g_autofree char *lsblk = g_find_program_in_path ("lsblk");
  int status;

  disks = pt_storage_read (sysroot, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < disks->len; i++)
    {
      PtDisk *disk = g_ptr_array_index (disks, i);
      g_autofree char *link_target = g_file_read_link (disk->path, NULL);

      g_assert_nonnull (link_target);
      g_assert_true (g_str_has_prefix (disk->device, "/dev/"));
    }

  if (lsblk == NULL)
    {
      g_test_skip ("lsblk (util-linux) is not installed");
      return;
    }
  /* Every disk listed is a whole disk in lsblk's eyes too. */
  out = pt_test_spawn_stdout (argv, &status, NULL);
  g_assert_cmpint (status, ==, 0);
  for (guint i = 0; i < disks->len; i++)
    {
      PtDisk *disk = g_ptr_array_index (disks, i);
      g_autofree char *line = g_strdup_printf ("%s disk", disk->device + strlen ("/dev/"));

      g_assert_nonnull (strstr (out, line));
    }
}

int
main (int    argc,
      char **argv)
{
  g_auto(GStrv) fixtures = NULL;

  g_test_init (&argc, &argv, NULL);

  fixtures = pt_test_fixture_names ();
  for (guint i = 0; fixtures[i] != NULL; i++)
    {
      g_autofree char *path = g_strdup_printf ("/storage/fixture/%s", fixtures[i]);
      g_test_add_data_func (path, fixtures[i], test_fixture_expected);
    }
  for (guint i = 0; i < G_N_ELEMENTS (known_disks); i++)
    {
      g_autofree char *path = g_strdup_printf ("/storage/known/%s", known_disks[i].fixture);
      g_test_add_data_func (path, &known_disks[i], test_fixture_known);
    }

  g_test_add_func ("/storage/tree/desktop", test_desktop);
  g_test_add_func ("/storage/tree/lvm-and-md", test_lvm_and_md);
  for (guint i = 0; i < G_N_ELEMENTS (major_zero_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/storage/tree/major-zero/%u", i);
      g_test_add_data_func (path, &major_zero_cases[i], test_major_zero);
    }
  g_test_add_func ("/storage/tree/slave-loop", test_slave_loop);
  g_test_add_func ("/storage/tree/stray-links", test_stray_links);
  for (guint i = 0; i < G_N_ELEMENTS (bad_sizes); i++)
    {
      g_autofree char *path = g_strdup_printf ("/storage/tree/bad-size/%u", i);
      g_test_add_data_func (path, &bad_sizes[i], test_bad_size);
    }
  g_test_add_func ("/storage/tree/no-by-id", test_no_by_id);
  g_test_add_func ("/storage/host", test_host);

  return g_test_run ();
}
