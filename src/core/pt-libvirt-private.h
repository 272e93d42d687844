/* pt-libvirt-private.h: the shared libvirt connections, for the core files that ask libvirt
 * something of their own (storage pools). */
#pragma once

#include <libvirt/libvirt.h>

#include "pt-libvirt.h"

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (virConnect, virConnectClose)

/* The process's connection to @uri (read-only or read-write), opened on first use; a new
 * reference to close with virConnectClose(). NULL with a PT_LIBVIRT_ERROR sentence. */
virConnect *pt_libvirt_open_connection (const char    *uri,
                                        gboolean       read_only,
                                        GCancellable  *cancellable,
                                        GError       **error);

/* @error from libvirt's last error of this thread, after @sentence (the caller's words). */
void        pt_libvirt_set_error       (GError       **error,
                                        const char    *sentence);

G_END_DECLS
