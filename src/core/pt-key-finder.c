/* pt-key-finder.c: reads evdev events from several devices at once until one reports a press. */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <linux/input.h>
#include <poll.h>
#include <unistd.h>

#include "pt-key-finder.h"

G_DEFINE_QUARK (pt-key-finder-error-quark, pt_key_finder_error)

gboolean
pt_key_finder_can_read (PtSysroot           *sysroot,
                        const char * const  *paths,
                        char               **ret_reason)
{
  g_return_val_if_fail (sysroot != NULL, FALSE);

  for (guint i = 0; paths != NULL && paths[i] != NULL; i++)
    {
      g_autofree char *host_path = pt_sysroot_host_path (sysroot, paths[i]);

      /* A device unplugged since the scan is no reason to refuse the others. */
      if (g_access (host_path, F_OK) != 0)
        continue;
      if (g_access (host_path, R_OK) != 0)
        {
          if (ret_reason != NULL)
            *ret_reason = g_strdup (_("Your account may not read keyboards and mice directly; "
                                      "they belong to the “input” group. Pick them by name "
                                      "instead."));
          return FALSE;
        }
    }
  return TRUE;
}

typedef struct {
  int         fd;
  const char *path;
} Watched;

static void
close_watched (GArray *watched)
{
  for (guint i = 0; i < watched->len; i++)
    {
      int fd = g_array_index (watched, Watched, i).fd;

      if (fd >= 0)
        g_close (fd, NULL);
    }
}

/* Reads what @fd has; TRUE when it holds a press. Sets *ret_gone when the device is gone. */
static gboolean
read_press (int       fd,
            gboolean *ret_gone)
{
  struct input_event events[64];
  ssize_t got;

  *ret_gone = FALSE;
  got = read (fd, events, sizeof events);
  if (got < 0)
    {
      *ret_gone = errno != EAGAIN && errno != EINTR;
      return FALSE;
    }
  if (got == 0)
    {
      *ret_gone = TRUE;
      return FALSE;
    }

  for (gsize i = 0; i < (gsize) got / sizeof events[0]; i++)
    /* Value 1 is a press; 0 a release and 2 a repeat, which a held key sends. */
    if (events[i].type == EV_KEY && events[i].value == 1)
      return TRUE;
  return FALSE;
}

char *
pt_key_finder_run_sync (PtSysroot           *sysroot,
                        const char * const  *paths,
                        guint                timeout_ms,
                        GCancellable        *cancellable,
                        GError             **error)
{
  g_autoptr(GArray) watched = g_array_new (FALSE, FALSE, sizeof (Watched));
  g_autoptr(GArray) fds = g_array_new (FALSE, TRUE, sizeof (struct pollfd));
  GPollFD cancel_fd = { -1, 0, 0 };
  gboolean have_cancel_fd = FALSE;
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  char *found = NULL;
  guint open_count = 0;

  g_return_val_if_fail (sysroot != NULL, NULL);

  for (guint i = 0; paths != NULL && paths[i] != NULL; i++)
    {
      g_autofree char *host_path = pt_sysroot_host_path (sysroot, paths[i]);
      Watched entry = { open (host_path, O_RDONLY | O_NONBLOCK | O_CLOEXEC), paths[i] };

      g_array_append_val (watched, entry);
      if (entry.fd >= 0)
        open_count++;
    }

  if (open_count == 0)
    {
      g_set_error (error, PT_KEY_FINDER_ERROR, PT_KEY_FINDER_ERROR_NO_DEVICES,
                   _("None of the keyboards and mice could be opened."));
      return NULL;
    }

  have_cancel_fd = cancellable != NULL && g_cancellable_make_pollfd (cancellable, &cancel_fd);

  while (found == NULL)
    {
      gint64 left_us = deadline - g_get_monotonic_time ();
      guint live = 0;
      int ready;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        break;
      if (left_us <= 0)
        {
          g_set_error (error, PT_KEY_FINDER_ERROR, PT_KEY_FINDER_ERROR_TIMED_OUT,
                       _("No key was pressed."));
          break;
        }

      g_array_set_size (fds, 0);
      for (guint i = 0; i < watched->len; i++)
        {
          struct pollfd pfd = { g_array_index (watched, Watched, i).fd, POLLIN, 0 };

          /* poll() skips negative descriptors: closed ones keep their place. */
          g_array_append_val (fds, pfd);
          if (pfd.fd >= 0)
            live++;
        }
      if (live == 0)
        {
          g_set_error (error, PT_KEY_FINDER_ERROR, PT_KEY_FINDER_ERROR_NO_DEVICES,
                       _("The keyboards and mice went away."));
          break;
        }
      if (have_cancel_fd)
        {
          struct pollfd pfd = { cancel_fd.fd, POLLIN, 0 };

          g_array_append_val (fds, pfd);
        }

      ready = poll (&g_array_index (fds, struct pollfd, 0), fds->len,
                    (int) MIN (left_us / 1000 + 1, 1000));
      if (ready < 0 && errno != EINTR)
        {
          int saved = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       _("Could not wait for a key press: %s"), g_strerror (saved));
          break;
        }

      for (guint i = 0; ready > 0 && i < watched->len && found == NULL; i++)
        {
          Watched *entry = &g_array_index (watched, Watched, i);
          short revents = g_array_index (fds, struct pollfd, i).revents;
          gboolean gone = FALSE;

          if (entry->fd < 0 || revents == 0)
            continue;
          if (read_press (entry->fd, &gone))
            found = g_strdup (entry->path);
          else if (gone || (revents & (POLLERR | POLLHUP | POLLNVAL)) != 0)
            {
              g_close (entry->fd, NULL);
              entry->fd = -1;
            }
        }
    }

  if (have_cancel_fd)
    g_cancellable_release_fd (cancellable);
  close_watched (watched);
  return found;
}

typedef struct {
  PtSysroot  *sysroot;
  char      **paths;
  guint       timeout_ms;
} FindData;

static void
find_data_free (FindData *data)
{
  g_clear_pointer (&data->sysroot, pt_sysroot_unref);
  g_strfreev (data->paths);
  g_free (data);
}

static void
find_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  FindData *data = task_data;
  GError *error = NULL;
  char *path = pt_key_finder_run_sync (data->sysroot, (const char * const *) data->paths,
                                       data->timeout_ms, cancellable, &error);

  if (path == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, path, g_free);
}

void
pt_key_finder_run_async (PtSysroot           *sysroot,
                         const char * const  *paths,
                         guint                timeout_ms,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  FindData *data;

  g_return_if_fail (sysroot != NULL);

  data = g_new0 (FindData, 1);
  data->sysroot = pt_sysroot_ref (sysroot);
  data->paths = g_strdupv ((char **) paths);
  data->timeout_ms = timeout_ms;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, pt_key_finder_run_async);
  g_task_set_task_data (task, data, (GDestroyNotify) find_data_free);
  g_task_run_in_thread (task, find_thread);
}

char *
pt_key_finder_run_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
