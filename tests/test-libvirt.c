/* test-libvirt.c: the domains Passthrough writes, defined on the real qemu:///system with
 * libvirt's validation, listed, read back and undefined again; firmware from the daemon's own
 * domain capabilities. Needs a running libvirtd (the CI script starts one); the first define
 * after the daemon starts can take minutes while it probes QEMU, hence meson's long timeout. */

#include "config.h"

#include <libxml/parser.h>
#include <string.h>
#include <unistd.h>

#include "pt-cpu-planner.h"
#include "pt-devices-domain.h"
#include "pt-domain.h"
#include "pt-gpu.h"
#include "pt-libvirt.h"
#include "pt-pci.h"
#include "pt-test-utils.h"

#define URI "qemu:///system"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlDoc, xmlFreeDoc)

static char *skip_reason;      /* why the daemon cannot be used; NULL when it can */
static gboolean has_kvm;
static PtHostScan *host_scan;  /* the running host: its PCI devices exist for hostdevs */
static PtDomainFirmware *firmware;
static guint name_counter;

static char *
replace_first (const char *text,
               const char *old,
               const char *new)
{
  const char *at = strstr (text, old);

  g_assert_nonnull (at);
  return g_strdup_printf ("%.*s%s%s", (int) (at - text), text, new, at + strlen (old));
}

static gboolean
check_daemon (void)
{
  if (skip_reason != NULL)
    {
      g_test_skip (skip_reason);
      return FALSE;
    }
  return TRUE;
}

static char *
unique_name (void)
{
  return g_strdup_printf ("pt-test-%d-%u", (int) getpid (), ++name_counter);
}

/* What libvirt held for a defined domain, gathered before it is undefined again, so that a
 * failing check never leaves a domain behind. */
typedef struct {
  GError   *define_error;
  gboolean  listed;
  char     *uuid;
  char     *read_back;
  GError   *undefine_error;
} DefineResult;

static void
define_result_clear (DefineResult *r)
{
  g_clear_error (&r->define_error);
  g_clear_error (&r->undefine_error);
  g_free (r->uuid);
  g_free (r->read_back);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DefineResult, define_result_clear)

static void
define_and_undefine (const char   *xml,
                     const char   *name,
                     DefineResult *r)
{
  g_autofree char *swapped = NULL;
  g_autoptr(PtLibvirtDomain) defined = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;

  if (!has_kvm)
    {
      g_test_message ("no KVM on this host: the domain is defined as type='qemu' instead of "
                      "type='kvm'");
      swapped = replace_first (xml, "<domain type=\"kvm\"", "<domain type=\"qemu\"");
      xml = swapped;
    }

  defined = pt_libvirt_define_domain_sync (URI, xml, NULL, &r->define_error);
  if (defined == NULL)
    return;

  r->uuid = g_strdup (defined->uuid);
  list = pt_libvirt_list_domains_sync (URI, NULL, &error);
  for (guint i = 0; list != NULL && i < list->len; i++)
    {
      const PtLibvirtDomain *d = g_ptr_array_index (list, i);

      if (g_str_equal (d->name, name) && g_str_equal (d->uuid, defined->uuid)
          && d->persistent && !d->active)
        r->listed = TRUE;
    }
  r->read_back = pt_libvirt_get_domain_xml_sync (URI, name, NULL, NULL);
  pt_libvirt_undefine_domain_sync (URI, name, NULL, &r->undefine_error);
}

static void
assert_defined (const DefineResult *r,
                const char         *xml)
{
  if (r->define_error != NULL)
    g_error ("libvirt refused the domain: %s\n%s", r->define_error->message, xml);
  g_assert_true (r->listed);
  g_assert_nonnull (r->read_back);
  g_assert_no_error (r->undefine_error);
}

/* Adds a managed hostdev of a PCI function the running host has (libvirt refuses a hostdev
 * that does not exist), or says why there is none. */
static char *
with_host_hostdev (const char *xml)
{
  GPtrArray *pci = pt_host_scan_get_pci (host_scan);
  const PtPciDevice *chosen = NULL;
  g_autoptr(xmlDoc) doc = NULL;
  xmlNode *devices = NULL;
  xmlChar *text = NULL;
  int size = 0;
  char *result;

  for (guint i = 0; i < pci->len && chosen == NULL; i++)
    {
      const PtPciDevice *device = g_ptr_array_index (pci, i);
      PtDeviceKind kind = pt_device_kind_of (device);

      /* Defining does not bind; still, stay off what the host runs on. */
      if (kind == PT_DEVICE_KIND_OTHER || kind == PT_DEVICE_KIND_SERIAL_BUS)
        chosen = device;
    }
  if (chosen == NULL)
    {
      g_test_message ("the host has no spare PCI function: the domain has no hostdev");
      return g_strdup (xml);
    }

  doc = xmlReadMemory (xml, (int) strlen (xml), NULL, NULL, XML_PARSE_NONET);
  g_assert_nonnull (doc);
  for (xmlNode *n = xmlDocGetRootElement (doc)->children; n != NULL; n = n->next)
    if (n->type == XML_ELEMENT_NODE && xmlStrcmp (n->name, BAD_CAST "devices") == 0)
      devices = n;
  g_assert_nonnull (devices);
  g_assert_nonnull (pt_devices_append_pci (devices, chosen->address));
  g_test_message ("host PCI function %s passed through", chosen->address);

  xmlDocDumpMemory (doc, &text, &size);
  result = g_strndup ((const char *) text, size);
  xmlFree (text);
  return result;
}

static void
test_firmware (void)
{
  if (!check_daemon ())
    return;

  /* Debian's ovmf gives libvirt firmware descriptors, so auto-selection works there; other
   * hosts get explicit loader paths, and both are valid. */
  g_assert_true (firmware->efi_auto || firmware->loader != NULL);
  g_test_message ("firmware: efi auto %d, loader %s, secure boot %d, tpm emulator %d",
                  firmware->efi_auto, firmware->loader ? firmware->loader : "none",
                  firmware->secure_boot, firmware->tpm_emulator);
}

static void
test_define_new (gconstpointer data)
{
  PtGuestOs guest = GPOINTER_TO_INT (data);
  g_autoptr(PtSetup) setup = pt_setup_new ();
  g_autofree char *name = unique_name ();
  g_autofree char *xml = NULL;
  g_autofree char *with_hostdev = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) gpus = NULL;
  g_auto(DefineResult) r = { 0 };
  PtDomainOptions options = { .firmware = firmware, .kvm_hidden = guest == PT_GUEST_LINUX };

  if (!check_daemon ())
    return;

  pt_setup_set_name (setup, name);
  pt_setup_set_guest (setup, guest);
  pt_setup_set_vcpus (setup, 1);
  pt_setup_set_memory_mib (setup, 512);
  if (guest == PT_GUEST_WINDOWS)
    pt_setup_set_hugepages (setup, PT_HUGEPAGES_2M);

  gpus = pt_gpu_list (host_scan);
  if (gpus->len > 0)
    {
      const PtPciDevice *gpu = g_ptr_array_index (gpus, 0);

      pt_setup_set_gpu (setup, gpu->address);
      pt_setup_set_single_gpu (setup, TRUE);
    }

  xml = pt_domain_new_xml (host_scan, setup, &options, NULL, &error);
  if (xml == NULL && g_error_matches (error, PT_CPU_PLANNER_ERROR, PT_CPU_PLANNER_ERROR_TOO_MANY))
    {
      g_test_skip ("this host has no CPU to spare for a vCPU besides its own core");
      return;
    }
  g_assert_no_error (error);
  with_hostdev = gpus->len > 0 ? g_strdup (xml) : with_host_hostdev (xml);

  define_and_undefine (with_hostdev, name, &r);
  assert_defined (&r, with_hostdev);
}

/* Real-world domains edited for the running host, then defined. */
static void
test_define_edited (gconstpointer data)
{
  const char *file = data;
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "domain", file, NULL);
  g_autofree char *input = NULL;
  g_autofree char *old_name = NULL;
  g_autofree char *name = unique_name ();
  g_autofree char *renamed = NULL;
  g_autofree char *xml = NULL;
  g_autoptr(PtSetup) setup = pt_setup_new ();
  g_autoptr(GError) error = NULL;
  g_auto(DefineResult) r = { 0 };
  PtDomainOptions options = { .firmware = firmware };
  g_autoptr(GRegex) uuid = g_regex_new ("\\s*<uuid>[^<]*</uuid>", 0, 0, NULL);

  if (!check_daemon ())
    return;

  g_file_get_contents (path, &input, NULL, &error);
  g_assert_no_error (error);
  old_name = pt_domain_get_name (input, -1, &error);
  g_assert_no_error (error);
  {
    g_autofree char *tag = g_strdup_printf ("<name>%s</name>", old_name);
    g_autofree char *new_tag = g_strdup_printf ("<name>%s</name>", name);
    g_autofree char *named = replace_first (input, tag, new_tag);

    /* A unique name and no UUID, so that no domain of the host is touched. */
    renamed = g_regex_replace_literal (uuid, named, -1, 0, "", 0, NULL);
  }

  if (!firmware->tpm_emulator && strstr (renamed, "<tpm ") != NULL)
    {
      g_autoptr(GRegex) tpm = g_regex_new ("\\s*<tpm .*?</tpm>", G_REGEX_DOTALL, 0, NULL);
      char *stripped = g_regex_replace_literal (tpm, renamed, -1, 0, "", 0, NULL);

      g_test_message ("swtpm is not installed, so libvirt refuses a TPM 2.0 emulator: the "
                      "VM's own <tpm> is left out");
      g_free (renamed);
      renamed = stripped;
    }

  pt_setup_set_vcpus (setup, 1);
  pt_setup_set_memory_mib (setup, 1024);
  xml = pt_domain_edit_xml (renamed, -1, host_scan, setup, &options, NULL, &error);
  if (xml == NULL && g_error_matches (error, PT_CPU_PLANNER_ERROR, PT_CPU_PLANNER_ERROR_TOO_MANY))
    {
      g_test_skip ("this host has no CPU to spare for a vCPU besides its own core");
      return;
    }
  g_assert_no_error (error);

  define_and_undefine (xml, name, &r);
  assert_defined (&r, xml);
}

static void
test_errors_are_sentences (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = unique_name ();
  g_autofree char *xml = NULL;
  g_autoptr(PtLibvirtDomain) defined = NULL;

  if (!check_daemon ())
    return;

  xml = pt_libvirt_get_domain_xml_sync (URI, name, NULL, &error);
  g_assert_null (xml);
  g_assert_error (error, PT_LIBVIRT_ERROR, PT_LIBVIRT_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, name));
  g_clear_error (&error);

  /* Validation refuses what the schema does not allow, before anything is stored. */
  defined = pt_libvirt_define_domain_sync (URI, "<domain type='kvm'><name>x</name>"
                                                "<bogus/></domain>", NULL, &error);
  g_assert_null (defined);
  g_assert_nonnull (error);
  g_assert_true (g_str_has_prefix (error->message, "libvirt did not accept"));
}

static void
list_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GPtrArray **ret = user_data;
  g_autoptr(GError) error = NULL;

  *ret = pt_libvirt_list_domains_finish (result, &error);
  g_assert_no_error (error);
}

static void
test_list_async (void)
{
  g_autoptr(GPtrArray) list = NULL;

  if (!check_daemon ())
    return;

  pt_libvirt_list_domains_async (URI, NULL, list_cb, &list);
  while (list == NULL)
    g_main_context_iteration (NULL, TRUE);
  for (guint i = 1; i < list->len; i++)
    {
      const PtLibvirtDomain *a = g_ptr_array_index (list, i - 1);
      const PtLibvirtDomain *b = g_ptr_array_index (list, i);

      g_assert_cmpint (g_utf8_collate (a->name, b->name), <=, 0);
    }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PtLibvirtInfo) info = NULL;
  g_autofree char *capabilities = NULL;
  int result;

  g_test_init (&argc, &argv, NULL);

  info = pt_libvirt_probe_sync (URI, NULL, &error);
  if (info == NULL)
    skip_reason = g_strdup_printf ("libvirtd is not reachable at " URI ": %s", error->message);
  else
    {
      capabilities = pt_libvirt_get_domain_capabilities_sync (URI, NULL, &error);
      g_assert_no_error (error);
      firmware = pt_domain_firmware_from_capabilities (capabilities, &error);
      g_assert_no_error (error);
      has_kvm = g_file_test ("/dev/kvm", G_FILE_TEST_EXISTS)
                && strstr (capabilities, "<domain>kvm</domain>") != NULL;
      host_scan = pt_host_scan_new_sync ("/", NULL, &error);
      g_assert_no_error (error);
    }

  g_test_add_func ("/libvirt/firmware", test_firmware);
  g_test_add_data_func ("/libvirt/define/new-windows", GINT_TO_POINTER (PT_GUEST_WINDOWS),
                        test_define_new);
  g_test_add_data_func ("/libvirt/define/new-linux", GINT_TO_POINTER (PT_GUEST_LINUX),
                        test_define_new);
  g_test_add_data_func ("/libvirt/define/win11-virt-manager", "win11-virt-manager.in.xml",
                        test_define_edited);
  g_test_add_data_func ("/libvirt/define/handwritten-qemu-commandline",
                        "handwritten-qemu-commandline.in.xml", test_define_edited);
  g_test_add_data_func ("/libvirt/define/passthrough-edited", "passthrough-edited.in.xml",
                        test_define_edited);
  g_test_add_data_func ("/libvirt/define/virt-install-i440fx", "virt-install-i440fx.in.xml",
                        test_define_edited);
  g_test_add_data_func ("/libvirt/define/tutorial-hand-tuned", "tutorial-hand-tuned.in.xml",
                        test_define_edited);
  g_test_add_data_func ("/libvirt/define/vcpu-hotplug-numa", "vcpu-hotplug-numa.in.xml",
                        test_define_edited);
  g_test_add_func ("/libvirt/errors", test_errors_are_sentences);
  g_test_add_func ("/libvirt/list-async", test_list_async);

  result = g_test_run ();
  g_clear_object (&host_scan);
  g_clear_pointer (&firmware, pt_domain_firmware_free);
  g_free (skip_reason);
  return result;
}
