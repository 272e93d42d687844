/* pt-domain.h: the guest's libvirt domain XML: a new VM, or the user's choices applied to an
 * existing one by XPath edits that keep everything the app does not own. */
#pragma once

#include <libxml/tree.h>

#include "pt-host-scan.h"
#include "pt-setup.h"

G_BEGIN_DECLS

#define PT_DOMAIN_ERROR (pt_domain_error_quark ())

typedef enum {
  PT_DOMAIN_ERROR_INVALID_XML,   /* not well-formed XML, or no <domain> at its root */
  PT_DOMAIN_ERROR_TOO_LARGE,     /* more than PT_DOMAIN_MAX_XML_BYTES */
  PT_DOMAIN_ERROR_INVALID,       /* a choice the domain cannot hold */
  PT_DOMAIN_ERROR_BACKUP,        /* the backup could not be written or read */
  PT_DOMAIN_ERROR_NAME,          /* a new VM's name is empty, unusable, or taken */
} PtDomainError;

GQuark pt_domain_error_quark (void);

/* No real domain comes close; anything larger is refused before parsing. */
#define PT_DOMAIN_MAX_XML_BYTES (10 * 1024 * 1024)

/* The namespace of the metadata element that lists what the app added to a domain. */
#define PT_DOMAIN_METADATA_NS     "https://github.com/passthrough/Passthrough/1"
#define PT_DOMAIN_METADATA_PREFIX "passthrough"

/* The guest firmware the host offers, from libvirt's domain capabilities. */
typedef struct {
  gboolean  efi_auto;      /* <os firmware='efi'>: libvirt picks OVMF by itself */
  char     *loader;        /* else an OVMF code image to name; NULL: none found */
  gboolean  secure_boot;   /* a Secure Boot capable OVMF exists */
  gboolean  tpm_emulator;  /* swtpm is there for <tpm><backend type='emulator'> */
} PtDomainFirmware;

/* Options that are not part of PtSetup. */
typedef struct {
  const PtDomainFirmware *firmware;  /* NULL: pt_domain_firmware_new_default() */
  gboolean                kvm_hidden; /* <kvm><hidden state='on'/></kvm>; off by default */
} PtDomainOptions;

/*
 * Reads libvirt's <domainCapabilities> XML (virConnectGetDomainCapabilities for q35/x86_64).
 * NULL with PT_DOMAIN_ERROR_INVALID_XML when it is not that.
 */
PtDomainFirmware *pt_domain_firmware_from_capabilities (const char   *capabilities_xml,
                                                        GError      **error);
/* Without libvirt: <os firmware='efi'>, Secure Boot on, and a TPM emulator when @scan's host has
 * the swtpm binary. */
PtDomainFirmware *pt_domain_firmware_new_default       (PtHostScan   *scan);
void              pt_domain_firmware_free              (PtDomainFirmware *self);

/*
 * A new VM from @setup on @scan's host, as XML text ending in a newline. What the user should
 * know (a GPU issue, a memory warning) is added to @warnings (char*, may be NULL).
 */
char     *pt_domain_new_xml   (PtHostScan             *scan,
                               PtSetup                *setup,
                               const PtDomainOptions  *options,
                               GPtrArray              *warnings,
                               GError                **error);
/*
 * @xml (@length bytes, -1 for NUL-terminated) with @setup applied: only what the app owns
 * changes (memory, vCPUs and their pins, CPU model, hyperv/kvm/vmport/ioapic features, clock,
 * the guest GPU's hostdevs and the devices the app added before, which it lists in its
 * metadata); every other node, attribute, namespace and comment stays. Applying the same
 * choices to the result gives the same text again.
 */
char     *pt_domain_edit_xml  (const char             *xml,
                               gssize                  length,
                               PtHostScan             *scan,
                               PtSetup                *setup,
                               const PtDomainOptions  *options,
                               GPtrArray              *warnings,
                               GError                **error);

/* The domain's <name>, or NULL with an error. */
char     *pt_domain_get_name  (const char             *xml,
                               gssize                  length,
                               GError                **error);

/*
 * Keeps @xml, the domain as it was before an edit, in
 * $XDG_STATE_HOME/passthrough/backups/<name>-<UTC timestamp>.xml, readable only by the user;
 * restoring is defining it again. @ret_path (may be NULL) gets the file written.
 */
gboolean  pt_domain_save_backup (const char           *xml,
                                 char                **ret_path,
                                 GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtDomainFirmware, pt_domain_firmware_free)

G_END_DECLS
