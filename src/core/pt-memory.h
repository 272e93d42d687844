/* pt-memory.h: host memory from /proc/meminfo and hugepage pools of every size, per NUMA node. */
#pragma once

#include "pt-sysroot.h"

G_BEGIN_DECLS

typedef struct {
  guint64  size_kib;   /* 2048, 1048576 */
  guint64  total;      /* nr_hugepages */
  guint64  free;       /* free_hugepages */
  GArray  *per_node;   /* PtHugepageNode, empty without NUMA info */
} PtHugepagePool;

typedef struct {
  int      node;
  guint64  total;
  guint64  free;
} PtHugepageNode;

typedef struct {
  guint64    total_kib;      /* MemTotal */
  guint64    free_kib;       /* MemFree */
  guint64    available_kib;  /* MemAvailable (MemFree on kernels without it) */
  guint64    swap_total_kib;
  guint64    default_hugepage_kib;  /* Hugepagesize, 0 when unknown */
  GPtrArray *hugepages;      /* PtHugepagePool*, sorted by size */
} PtMemory;

PtMemory *pt_memory_read (PtSysroot  *sysroot,
                          GError    **error);
void      pt_memory_free (PtMemory   *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtMemory, pt_memory_free)

G_END_DECLS
