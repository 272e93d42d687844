/* pt-libvirt-private.h: the shared libvirt connections and worker-thread calls, for the core
 * files that ask libvirt something of their own (storage pools). */
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

/* A synchronous libvirt call: NULL only with @error set. */
typedef gpointer (*PtLibvirtCallFunc) (const char    *uri,
                                       const char    *argument,
                                       GCancellable  *cancellable,
                                       GError       **error);

/* Runs @func (@uri, @argument) in a worker thread; its result is freed with @free_result when
 * nobody takes it. pt_libvirt_call_finish() checks @source_tag and returns the result. */
void        pt_libvirt_call_async      (PtLibvirtCallFunc    func,
                                        GDestroyNotify       free_result,
                                        const char          *uri,
                                        const char          *argument,
                                        gpointer             source_tag,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gpointer    pt_libvirt_call_finish     (GAsyncResult        *result,
                                        gpointer             source_tag,
                                        GError             **error);

G_END_DECLS
