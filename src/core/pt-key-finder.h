/* pt-key-finder.h: "press a key to find your keyboard": watches evdev devices for the first key
 * or button press, in a worker thread, so that the user can tell look-alike devices apart. */
#pragma once

#include <gio/gio.h>

#include "pt-sysroot.h"

G_BEGIN_DECLS

#define PT_KEY_FINDER_ERROR (pt_key_finder_error_quark ())

typedef enum {
  PT_KEY_FINDER_ERROR_TIMED_OUT,   /* nobody pressed a key in time */
  PT_KEY_FINDER_ERROR_NO_DEVICES,  /* none of the devices could be read, or all went away */
} PtKeyFinderError;

GQuark    pt_key_finder_error_quark  (void);

/* TRUE when this user may read every one of @paths (below @sysroot) that exists; else FALSE and
 * a sentence for the user in @ret_reason. Device nodes are root:input 0660 on most systems. */
gboolean  pt_key_finder_can_read     (PtSysroot           *sysroot,
                                      const char * const  *paths,
                                      char               **ret_reason);

/* Waits up to @timeout_ms for a key or button press on any of @paths (by-id links below
 * @sysroot) and returns the path it came from. Reading does not grab: the press still reaches
 * the desktop. Blocking; the async variant runs it in a worker thread. */
char     *pt_key_finder_run_sync     (PtSysroot           *sysroot,
                                      const char * const  *paths,
                                      guint                timeout_ms,
                                      GCancellable        *cancellable,
                                      GError             **error);
void      pt_key_finder_run_async    (PtSysroot           *sysroot,
                                      const char * const  *paths,
                                      guint                timeout_ms,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
char     *pt_key_finder_run_finish   (GAsyncResult        *result,
                                      GError             **error);

G_END_DECLS
