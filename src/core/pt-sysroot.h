/* pt-sysroot.h: reading files below a root directory ("/" or a fixture tree), safely. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PT_SYSROOT_ERROR (pt_sysroot_error_quark ())

typedef enum {
  PT_SYSROOT_ERROR_INVALID_PATH,   /* relative, contains "..", or leaves the root */
  PT_SYSROOT_ERROR_NOT_FOUND,
  PT_SYSROOT_ERROR_TOO_LARGE,
  PT_SYSROOT_ERROR_PARSE,          /* contents are not what the kernel writes */
  PT_SYSROOT_ERROR_IO,
} PtSysrootError;

GQuark pt_sysroot_error_quark (void);

/* Largest file any reader loads (sysfs attributes are a page; cpuinfo of 1024 CPUs is ~1.5 MiB). */
#define PT_SYSROOT_MAX_FILE_SIZE (16 * 1024 * 1024)

typedef struct _PtSysroot PtSysroot;

/* root: a directory; "/" for the running host. */
PtSysroot  *pt_sysroot_new             (const char  *root,
                                        GError     **error);
PtSysroot  *pt_sysroot_ref             (PtSysroot   *self);
void        pt_sysroot_unref           (PtSysroot   *self);
const char *pt_sysroot_get_root        (PtSysroot   *self);
gboolean    pt_sysroot_is_host         (PtSysroot   *self);

/*
 * All paths below are absolute as seen on the host ("/sys/devices/system/cpu/online").
 * Symlinks are followed inside the root: an absolute link target or ".." never
 * leaves it, just as with chroot. A path containing ".." components is refused.
 */

/* The real file system path for @path (root prefix + path), for tools that need one. */
char       *pt_sysroot_host_path       (PtSysroot   *self,
                                        const char  *path);
/* Canonical path (all symlinks resolved inside the root), as seen on the host. */
char       *pt_sysroot_resolve         (PtSysroot   *self,
                                        const char  *path,
                                        GError     **error);
gboolean    pt_sysroot_exists          (PtSysroot   *self,
                                        const char  *path);
gboolean    pt_sysroot_is_dir          (PtSysroot   *self,
                                        const char  *path);
/* Whole file; NUL-terminated; refuses files over PT_SYSROOT_MAX_FILE_SIZE. */
gboolean    pt_sysroot_read_file       (PtSysroot   *self,
                                        const char  *path,
                                        char       **ret_contents,
                                        gsize       *ret_length,
                                        GError     **error);
/* First line, whitespace stripped (sysfs attributes). */
char       *pt_sysroot_read_line       (PtSysroot   *self,
                                        const char  *path,
                                        GError     **error);
/* Decimal integer (sysfs attributes such as "core_id", may be negative). */
gboolean    pt_sysroot_read_int64      (PtSysroot   *self,
                                        const char  *path,
                                        gint64      *ret_value,
                                        GError     **error);
/* Hexadecimal number with or without 0x ("0x10de", "10de"). */
gboolean    pt_sysroot_read_hex        (PtSysroot   *self,
                                        const char  *path,
                                        guint64     *ret_value,
                                        GError     **error);
/* Target of the symlink @path itself (not resolved), e.g. "../../../devices/pci0000:00/...". */
char       *pt_sysroot_read_link       (PtSysroot   *self,
                                        const char  *path,
                                        GError     **error);
/* Last component of the symlink target: "vfio-pci" for ".../driver", "42" for ".../iommu_group". */
char       *pt_sysroot_read_link_name  (PtSysroot   *self,
                                        const char  *path,
                                        GError     **error);
/* Entry names of a directory, sorted in natural order ("cpu2" before "cpu10"). */
GPtrArray  *pt_sysroot_list_dir        (PtSysroot   *self,
                                        const char  *path,
                                        GError     **error);

/* Checked parsers, shared by every reader. All return FALSE with PT_SYSROOT_ERROR_PARSE. */

/* Kernel cpulist format: "0-3,8,10-11", "" (empty set). Result sorted, unique, guint. */
gboolean    pt_parse_cpu_list          (const char  *text,
                                        GArray     **ret_cpus,
                                        GError     **error);
/* Kernel cpumask format: comma separated 32-bit hex words, most significant first. */
gboolean    pt_parse_cpu_mask          (const char  *text,
                                        GArray     **ret_cpus,
                                        GError     **error);
gboolean    pt_parse_int64             (const char  *text,
                                        gint64      *ret_value,
                                        GError     **error);
gboolean    pt_parse_uint64            (const char  *text,
                                        guint       base,
                                        guint64     *ret_value,
                                        GError     **error);
/* Cache sizes as sysfs writes them: "32768K", "512K", "1M", "1024" (bytes → KiB). */
gboolean    pt_parse_size_kib          (const char  *text,
                                        guint64     *ret_kib,
                                        GError     **error);
/* "0-3,8" for a sorted guint array; the inverse of pt_parse_cpu_list. */
char       *pt_format_cpu_list         (GArray      *cpus);
/* Natural order compare for names with numbers ("cpu2" < "cpu10"). */
int         pt_natural_compare         (const char  *a,
                                        const char  *b);
/* Whether @path is absolute UTF-8 of at most 4096 bytes, without ".." components, quotes,
 * backslashes or control characters: safe to write into an XML attribute or a qemu.conf string
 * as it is (a QEMU option still doubles its commas). */
gboolean    pt_path_is_plain           (const char  *path);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtSysroot, pt_sysroot_unref)

G_END_DECLS
