/* pt-application.h: the app object: which host it looks at, app-wide actions, settings. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PT_TYPE_APPLICATION (pt_application_get_type ())
G_DECLARE_FINAL_TYPE (PtApplication, pt_application, PT, APPLICATION, AdwApplication)

/* sysroot: "/" or a fixture tree; libvirt_uri: NULL for the GSettings value; demo: the host is a
 * bundled sample and nothing is changed, which the window says. */
PtApplication *pt_application_new             (const char    *sysroot,
                                               const char    *libvirt_uri,
                                               gboolean       demo);
const char    *pt_application_get_sysroot     (PtApplication *self);
/* The URI given to pt_application_new(), else the "libvirt-uri" setting, else qemu:///system. */
char          *pt_application_dup_libvirt_uri (PtApplication *self);
/* Whether the URI came with the run (--connect, --demo): a new one then lasts for this run only. */
gboolean       pt_application_get_libvirt_uri_overridden (PtApplication *self);
/* Makes @libvirt_uri the one in use: saved to the "libvirt-uri" setting, or kept for this run
 * when the run has its own URI or there are no settings. "libvirt-uri-changed" follows. */
void           pt_application_set_libvirt_uri (PtApplication *self,
                                               const char    *libvirt_uri);
gboolean       pt_application_get_demo        (PtApplication *self);
/* NULL when the app's GSettings schema is not installed (running from a build tree). */
GSettings     *pt_application_get_settings    (PtApplication *self);

G_END_DECLS
