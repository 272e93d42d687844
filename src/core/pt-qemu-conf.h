/* pt-qemu-conf.h: the one edit Passthrough makes to libvirt's qemu.conf: device paths QEMU may open
 * for the old input-linux way. Pure text in, text out, so that Review shows the same result. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PT_QEMU_CONF_ERROR (pt_qemu_conf_error_quark ())

typedef enum {
  PT_QEMU_CONF_ERROR_PARSE,    /* the file's cgroup_device_acl could not be understood */
  PT_QEMU_CONF_ERROR_INVALID,  /* a path that cannot go into the list */
} PtQemuConfError;

GQuark pt_qemu_conf_error_quark (void);

#define PT_QEMU_CONF_PATH "/etc/libvirt/qemu.conf"

/*
 * @contents of qemu.conf with @paths in its cgroup_device_acl: an existing list gains the
 * missing paths, or a new list of libvirt's defaults plus @paths is added at the end. Returns
 * the contents unchanged when nothing is missing, so that applying twice changes nothing. The
 * rest of the file stays byte for byte; "user" is never touched (QEMU does not run as root).
 */
char *pt_qemu_conf_add_device_acl (const char          *contents,
                                   const char * const  *paths,
                                   GError             **error);

G_END_DECLS
