/* test-domain.c: new VMs and edits of real-world domain XML: the owned parts change, the rest
 * stays, a second edit changes nothing, and libvirt's schema accepts every result.
 * PT_REGENERATE=1 rewrites the expected tests/domain/NAME.out.xml from the current code. */

#include "config.h"

#include <glib/gstdio.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <string.h>
#include <unistd.h>

#include "pt-domain.h"
#include "pt-gpu.h"
#include "pt-pci.h"
#include "pt-sysroot.h"
#include "pt-test-utils.h"

#define HOST_FIXTURE "ryzen-2600x-desktop"
#define GPU          "0000:09:00.0"   /* the fixture's second card, with its audio function */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlDoc, xmlFreeDoc)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlXPathContext, xmlXPathFreeContext)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlXPathObject, xmlXPathFreeObject)

static PtHostScan *host_scan;

static PtHostScan *
get_scan (void)
{
  g_autofree char *root = pt_test_fixture_path (HOST_FIXTURE);
  g_autoptr(GError) error = NULL;

  if (host_scan == NULL && g_file_test (root, G_FILE_TEST_IS_DIR))
    {
      host_scan = pt_host_scan_new_sync (root, NULL, &error);
      g_assert_no_error (error);
    }
  return host_scan;
}

/* The fixture host's scan; NULL, with the test marked skipped, when the fixture is missing. */
static PtHostScan *
scan_or_skip (void)
{
  if (get_scan () == NULL)
    g_test_skip ("fixture " HOST_FIXTURE " is missing");
  return get_scan ();
}

/* Checks @xml against libvirt's installed schema through virt-xml-validate. */
static void
assert_valid_domain (const char *xml)
{
  g_autofree char *tool = g_find_program_in_path ("virt-xml-validate");
  g_autofree char *path = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int fd;
  int status;

  if (tool == NULL)
    {
      g_test_message ("virt-xml-validate is not installed (libvirt-clients): schema not checked");
      return;
    }
  fd = g_file_open_tmp ("pt-domain-XXXXXX.xml", &path, &error);
  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path, xml, -1, &error);
  g_assert_no_error (error);
  {
    const char *argv[] = { tool, path, "domain", NULL };

    out = pt_test_spawn_stdout (argv, &status, &err);
  }
  if (status != 0)
    g_error ("libvirt's schema refuses the domain: %s%s\n%s", out, err, xml);
  g_unlink (path);
}

static xmlDoc *
parse (const char *xml)
{
  xmlDoc *doc = xmlReadMemory (xml, (int) strlen (xml), NULL, NULL, XML_PARSE_NONET);

  g_assert_nonnull (doc);
  return doc;
}

static int
count (xmlDoc     *doc,
       const char *expression)
{
  g_autoptr(xmlXPathContext) context = xmlXPathNewContext (doc);
  g_autoptr(xmlXPathObject) result = NULL;

  xmlXPathRegisterNs (context, BAD_CAST "qemu",
                      BAD_CAST "http://libvirt.org/schemas/domain/qemu/1.0");
  xmlXPathRegisterNs (context, BAD_CAST "pt", BAD_CAST PT_DOMAIN_METADATA_NS);
  result = xmlXPathEvalExpression (BAD_CAST expression, context);
  g_assert_nonnull (result);
  if (result->type == XPATH_NUMBER)
    return (int) result->floatval;
  return result->nodesetval != NULL ? result->nodesetval->nodeNr : 0;
}

static char *
string_of (xmlDoc     *doc,
           const char *expression)
{
  g_autoptr(xmlXPathContext) context = xmlXPathNewContext (doc);
  g_autoptr(xmlXPathObject) result = NULL;
  g_autofree char *wrapped = g_strdup_printf ("string(%s)", expression);

  result = xmlXPathEvalExpression (BAD_CAST wrapped, context);
  g_assert_nonnull (result);
  return g_strdup ((const char *) result->stringval);
}

typedef struct {
  const char *xpath;
  int         n;         /* how many nodes it matches, or its value for a number */
} XPathCount;

/* Each XPath matches as many nodes as it says; a failure names the XPath. */
static void
assert_counts (xmlDoc           *doc,
               const XPathCount *counts,
               gsize             n_counts)
{
  for (gsize i = 0; i < n_counts; i++)
    {
      int got = count (doc, counts[i].xpath);

      if (got != counts[i].n)
        g_error ("%s: expected %d, got %d", counts[i].xpath, counts[i].n, got);
    }
}

static char *
read_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

/* A new domain for @setup on @scan's host; it must succeed and pass libvirt's schema. */
static char *
new_domain (PtHostScan            *scan,
            PtSetup               *setup,
            const PtDomainOptions *options,
            GPtrArray             *warnings)
{
  g_autoptr(GError) error = NULL;
  char *xml = pt_domain_new_xml (scan, setup, options, warnings, &error);

  g_assert_no_error (error);
  assert_valid_domain (xml);
  return xml;
}

/* @xml edited for @setup on @scan's host; the edit must succeed. */
static char *
edit (PtHostScan            *scan,
      const char            *xml,
      PtSetup               *setup,
      const PtDomainOptions *options,
      GPtrArray             *warnings)
{
  g_autoptr(GError) error = NULL;
  char *result = pt_domain_edit_xml (xml, -1, scan, setup, options, warnings, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

/* Editing @xml again with the same choices changes nothing. */
static void
assert_stable (PtHostScan            *scan,
               const char            *xml,
               PtSetup               *setup,
               const PtDomainOptions *options)
{
  g_autofree char *again = edit (scan, xml, setup, options, NULL);

  g_assert_cmpstr (again, ==, xml);
}

/* The fixture host refuses to edit @xml: error @code, and a sentence that names @word (NULL:
 * any sentence). */
static void
assert_edit_refused (const char *xml,
                     PtSetup    *setup,
                     int         code,
                     const char *word)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *result = pt_domain_edit_xml (xml, -1, get_scan (), setup, NULL, NULL, &error);

  g_assert_null (result);
  g_assert_error (error, PT_DOMAIN_ERROR, code);
  g_assert_true (g_str_has_suffix (error->message, "."));
  if (word != NULL)
    g_assert_nonnull (strstr (error->message, word));
}

static PtSetup *
windows_setup (void)
{
  PtSetup *setup = pt_setup_new ();
  const char *inputs[] = { "/dev/input/by-id/usb-Logitech_USB_Receiver-event-kbd", NULL };

  pt_setup_set_gpu (setup, GPU);
  pt_setup_set_vcpus (setup, 6);
  pt_setup_set_memory_mib (setup, 12288);
  pt_setup_set_hugepages (setup, PT_HUGEPAGES_2M);
  pt_setup_set_inputs (setup, inputs);
  return setup;
}

/* A new Windows VM: Q35, UEFI with Secure Boot, the whole card on one guest slot, the
 * enlightenments, and nothing the schema refuses. */
static void
test_new_windows (void)
{
  g_autoptr(PtSetup) setup = windows_setup ();
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  PtDomainFirmware firmware = { .efi_auto = TRUE, .secure_boot = TRUE, .tpm_emulator = TRUE };
  PtDomainOptions options = { .firmware = &firmware };
  g_autofree char *xml = NULL;
  g_autoptr(xmlDoc) doc = NULL;
  g_autofree char *bus0 = NULL;
  g_autofree char *bus1 = NULL;
  static const XPathCount counts[] = {
    { "/domain[@type='kvm']", 1 },
    { "/domain/os/type[@machine='q35']", 1 },
    { "/domain/os[@firmware='efi']/firmware/feature[@name='secure-boot' and @enabled='yes']", 1 },
    { "/domain/features/smm[@state='on']", 1 },
    { "/domain/devices/tpm[@model='tpm-crb']/backend[@type='emulator' and @version='2.0']", 1 },
    { "/domain/memory[@unit='KiB' and . = 12582912]", 1 },
    { "/domain/memoryBacking/hugepages/page[@size='2048']", 1 },
    { "/domain/vcpu[. = 6]", 1 },
    { "/domain/cputune/vcpupin", 6 },
    { "/domain/cpu[@mode='host-passthrough']/topology", 1 },

    { "/domain/features/hyperv[@mode='custom']/*[@state='on']", 9 },
    { "/domain/features/hyperv/spinlocks[@retries='8191']", 1 },
    { "/domain/features/hyperv/vendor_id[string-length(@value) <= 12]", 1 },
    { "/domain/features/kvm", 0 },
    { "/domain/features/vmport[@state='off']", 1 },
    { "/domain/features/ioapic[@driver='kvm']", 1 },
    { "/domain/clock[@offset='localtime']/timer[@name='hypervclock' and @present='yes']", 1 },
    { "/domain/clock/timer[@name='hpet' and @present='no']", 1 },

    /* Video and audio of the card: one guest slot, function numbers kept, multifunction on 0. */
    { "/domain/devices/hostdev[@type='pci' and @managed='yes']", 2 },
    { "/domain/devices/hostdev[source/address/@function='0x0']"
      "/address[@function='0x0' and @multifunction='on']", 1 },
    { "/domain/devices/hostdev[source/address/@function='0x1']/address[@function='0x1']", 1 },
    { "/domain/devices/interface[@type='network'][source/@network='default']"
      "[model/@type='virtio']", 1 },
    { "/domain/devices/input[@type='evdev']", 1 },
  };

  if (scan_or_skip () == NULL)
    return;

  xml = new_domain (get_scan (), setup, &options, warnings);
  doc = parse (xml);
  assert_counts (doc, counts, G_N_ELEMENTS (counts));
  bus0 = string_of (doc, "/domain/devices/hostdev[1]/address/@bus");
  bus1 = string_of (doc, "/domain/devices/hostdev[2]/address/@bus");
  g_assert_cmpstr (bus0, ==, bus1);

  /* The new VM is its own first edit: editing it again changes nothing. */
  assert_stable (get_scan (), xml, setup, &options);
}

/* A Linux guest without a GPU: UTC, no Hyper-V; kvm hidden only when asked; explicit OVMF when
 * libvirt cannot pick firmware itself. */
static void
test_new_linux (void)
{
  g_autoptr(PtSetup) setup = pt_setup_new ();
  PtDomainFirmware firmware = { .efi_auto = FALSE, .secure_boot = TRUE,
                                .loader = (char *) "/usr/share/OVMF/OVMF_CODE_4M.fd" };
  PtDomainOptions options = { .firmware = &firmware, .kvm_hidden = TRUE };
  g_autofree char *xml = NULL;
  g_autoptr(xmlDoc) doc = NULL;
  static const XPathCount counts[] = {
    { "/domain/name[. = 'fedora']", 1 },
    { "/domain/os[not(@firmware)]/loader[@type='pflash' and "
      ". = '/usr/share/OVMF/OVMF_CODE_4M.fd']", 1 },
    { "/domain/features/hyperv", 0 },
    { "/domain/features/kvm/hidden[@state='on']", 1 },
    { "/domain/clock[@offset='utc']", 1 },
    { "/domain/clock/timer[@name='hypervclock']", 0 },
    { "/domain/devices/hostdev", 0 },
    { "/domain/devices/tpm", 0 },
    { "/domain/memoryBacking", 0 },
  };

  if (scan_or_skip () == NULL)
    return;

  pt_setup_set_guest (setup, PT_GUEST_LINUX);
  pt_setup_set_name (setup, "fedora");
  xml = new_domain (get_scan (), setup, &options, NULL);
  doc = parse (xml);
  assert_counts (doc, counts, G_N_ELEMENTS (counts));
}

/* Every fixture host with a second GPU: the group's functions go to the guest slot by slot,
 * each slot on a root port the domain defines, function 0 there and multifunction on it when
 * the slot has more; the result is valid and stable under a second edit. */
static void
test_new_every_host (void)
{
  g_auto(GStrv) names = pt_test_fixture_names ();
  guint tried = 0;

  for (guint n = 0; names[n] != NULL; n++)
    {
      g_autofree char *root = pt_test_fixture_path (names[n]);
      g_autoptr(GError) error = NULL;
      g_autoptr(PtHostScan) scan = pt_host_scan_new_sync (root, NULL, &error);
      g_autoptr(GPtrArray) gpus = NULL;
      g_autoptr(PtSetup) setup = pt_setup_new ();
      g_autoptr(PtGpuChoice) choice = NULL;
      g_autoptr(xmlDoc) doc = NULL;
      g_autoptr(xmlXPathContext) context = NULL;
      g_autoptr(xmlXPathObject) hostdevs = NULL;
      g_autofree char *xml = NULL;
      const PtPciDevice *gpu = NULL;

      g_assert_no_error (error);
      gpus = pt_gpu_list (scan);
      for (guint i = 0; i < gpus->len && gpu == NULL; i++)
        if (!((const PtPciDevice *) g_ptr_array_index (gpus, i))->boot_vga)
          gpu = g_ptr_array_index (gpus, i);
      if (gpu == NULL)
        continue;
      tried++;

      pt_setup_set_gpu (setup, gpu->address);
      pt_setup_set_vcpus (setup, 2);
      xml = new_domain (scan, setup, NULL, NULL);
      assert_stable (scan, xml, setup, NULL);

      choice = pt_gpu_choice_new (scan, NULL, gpu->address, FALSE, &error);
      g_assert_no_error (error);
      doc = parse (xml);
      g_assert_cmpint (count (doc, "/domain/devices/hostdev[@type='pci']"), ==,
                       choice->devices->len);

      context = xmlXPathNewContext (doc);
      hostdevs = xmlXPathEvalExpression (BAD_CAST "/domain/devices/hostdev[@type='pci']/address",
                                         context);
      for (int i = 0; i < hostdevs->nodesetval->nodeNr; i++)
        {
          xmlNode *address = hostdevs->nodesetval->nodeTab[i];
          xmlChar *bus = xmlGetProp (address, BAD_CAST "bus");
          guint64 index = 0;
          g_autofree char *port = NULL;
          g_autofree char *on_bus = g_strdup_printf ("/domain/devices/hostdev/address[@bus='%s']",
                                                     (const char *) bus);
          g_autofree char *first = g_strdup_printf ("/domain/devices/hostdev/address[@bus='%s' and "
                                                    "@function='0x0']", (const char *) bus);
          g_autofree char *multi = g_strdup_printf ("/domain/devices/hostdev/address[@bus='%s' and "
                                                    "@function='0x0' and @multifunction='on']",
                                                    (const char *) bus);

          g_assert_true (pt_parse_uint64 ((const char *) bus + 2, 16, &index, NULL));
          port = g_strdup_printf ("/domain/devices/controller"
                                  "[@model='pcie-root-port' and @index='%u']", (guint) index);
          g_assert_cmpint (count (doc, port), ==, 1);
          g_assert_cmpint (count (doc, first), ==, 1);
          if (count (doc, on_bus) > 1)
            g_assert_cmpint (count (doc, multi), ==, 1);
          xmlFree (bus);
        }
    }
  if (tried == 0)
    g_test_skip ("no fixture host has a second graphics card");
}

typedef struct {
  const char *name;          /* tests/domain/<name>.in.xml → <name>.out.xml */
  gboolean    gpu;
  guint       vcpus;
  guint64     memory_mib;
  PtHugepages hugepages;
  PtGuestOs   guest;
  const char *input;
  const char *usb;
  /* What must survive the edit (XPath counts, equal in input and output). */
  const char *kept[6];
  /* What the edit must have made (XPath, matching exactly once in the output). */
  const char *made[4];
} EditCase;

static const EditCase edit_cases[] = {
  { "win11-virt-manager", TRUE, 8, 16384, PT_HUGEPAGES_1G, PT_GUEST_WINDOWS,
    "/dev/input/by-id/usb-Logitech_USB_Receiver-event-kbd", "046d:c52b",
    { "//comment()", "/domain/metadata/*[local-name()='libosinfo']", "/domain/devices/tpm",
      "/domain/os/loader[@secure='yes']",
      "/domain/devices/controller[@index='3']/target[@chassis='3']",
      "/domain/features/smm" } },
  { "handwritten-qemu-commandline", TRUE, 6, 12288, PT_HUGEPAGES_2M, PT_GUEST_WINDOWS,
    NULL, NULL,
    { "//comment()", "/domain/qemu:commandline/qemu:arg", "/domain/memoryBacking/access",
      "/domain/devices/filesystem", "/domain/devices/shmem", "/domain/title" } },
  { "passthrough-edited", FALSE, 4, 6144, PT_HUGEPAGES_OFF, PT_GUEST_WINDOWS,
    NULL, NULL,
    { "//comment()", "/domain/devices/disk", "/domain/devices/memballoon",
      "/domain/metadata/*[local-name()='libosinfo']", "/domain/devices/tpm", NULL } },
  /* i440FX has no PCI Express: the card goes on a free slot of the root bus, no root port. */
  { "virt-install-i440fx", TRUE, 4, 8192, PT_HUGEPAGES_OFF, PT_GUEST_LINUX,
    NULL, NULL,
    { "/domain/devices/controller[@type='pci']", "/domain/devices/interface[@type='bridge']",
      "/domain/devices/rng", "/domain/devices/*/address[@bus='0x00' and @slot='0x07']",
      "/domain/metadata/*[local-name()='libosinfo']", NULL },
    { "/domain/devices/hostdev[source/address/@function='0x0']"
      "/address[@bus='0x00' and @slot='0x04' and @function='0x0' and @multifunction='on']",
      "/domain/devices/hostdev[source/address/@function='0x1']"
      "/address[@bus='0x00' and @slot='0x04' and @function='0x1']",
      "/domain/devices[not(controller[@model='pcie-root-port'])]", NULL } },
  /* A tutorial's VM: the patched vBIOS stays with the card the app takes over, and the second
   * I/O thread the user's SCSI controller runs on stays defined and gets pinned. */
  { "tutorial-hand-tuned", TRUE, 6, 12288, PT_HUGEPAGES_2M, PT_GUEST_WINDOWS,
    NULL, NULL,
    { "/domain/memoryBacking/nosharepages", "/domain/memoryBacking/locked",
      "/domain/qemu:commandline/qemu:env", "/domain/devices/input[@type='evdev']",
      "/domain/devices/controller[@model='virtio-scsi']/driver[@iothread='2']",
      "/domain/devices/shmem" },
    { "/domain/devices/hostdev[source/address/@function='0x0']"
      "/rom[@file='/var/lib/libvirt/vbios/GP102-patched.rom']",
      "/domain/iothreads[. = 2]", "/domain/cputune/iothreadpin[@iothread='2']", NULL } },
  /* vCPU hotplug states and NUMA memnodes describe the old CPU: libvirt refuses them with the
   * new one. */
  { "vcpu-hotplug-numa", FALSE, 4, 8192, PT_HUGEPAGES_OFF, PT_GUEST_LINUX,
    NULL, NULL,
    { "/domain/numatune/memory[@nodeset='0']", "/domain/devices/disk", NULL },
    { "/domain[not(vcpus)]", "/domain[not(numatune/memnode)]", "/domain[not(cpu/numa)]",
      NULL } },
};

static char *
domain_fixture (const char *file)
{
  return g_test_build_filename (G_TEST_DIST, "domain", file, NULL);
}

static void
test_edit (gconstpointer data)
{
  const EditCase *c = data;
  g_autofree char *in_name = g_strconcat (c->name, ".in.xml", NULL);
  g_autofree char *out_name = g_strconcat (c->name, ".out.xml", NULL);
  g_autofree char *in_path = domain_fixture (in_name);
  g_autofree char *out_path = domain_fixture (out_name);
  g_autofree char *input = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *output = NULL;
  g_autoptr(PtSetup) setup = pt_setup_new ();
  g_autoptr(xmlDoc) in_doc = NULL;
  g_autoptr(xmlDoc) out_doc = NULL;
  PtDomainFirmware firmware = { .efi_auto = TRUE, .secure_boot = TRUE };
  PtDomainOptions options = { .firmware = &firmware };

  if (scan_or_skip () == NULL)
    return;

  input = read_text (in_path);
  if (c->gpu)
    pt_setup_set_gpu (setup, GPU);
  pt_setup_set_vcpus (setup, c->vcpus);
  pt_setup_set_memory_mib (setup, c->memory_mib);
  pt_setup_set_hugepages (setup, c->hugepages);
  pt_setup_set_guest (setup, c->guest);
  if (c->input != NULL)
    {
      const char *inputs[] = { c->input, NULL };

      pt_setup_set_inputs (setup, inputs);
    }
  if (c->usb != NULL)
    {
      const char *usb[] = { c->usb, NULL };

      pt_setup_set_usb (setup, usb);
    }

  output = edit (get_scan (), input, setup, &options, NULL);
  if (g_strcmp0 (g_getenv ("PT_REGENERATE"), "1") == 0)
    {
      g_autoptr(GError) error = NULL;

      g_file_set_contents (out_path, output, -1, &error);
      g_assert_no_error (error);
      g_test_message ("regenerated %s", out_name);
    }
  expected = read_text (out_path);
  g_assert_cmpstr (output, ==, expected);
  assert_stable (get_scan (), output, setup, &options);
  assert_valid_domain (output);

  in_doc = parse (input);
  out_doc = parse (output);
  for (guint i = 0; i < G_N_ELEMENTS (c->kept) && c->kept[i] != NULL; i++)
    {
      g_assert_cmpint (count (in_doc, c->kept[i]), >, 0);
      g_assert_cmpint (count (out_doc, c->kept[i]), ==, count (in_doc, c->kept[i]));
    }
  for (guint i = 0; i < G_N_ELEMENTS (c->made) && c->made[i] != NULL; i++)
    g_assert_cmpint (count (out_doc, c->made[i]), ==, 1);

  /* What was asked for is there, once. */
  g_assert_cmpint (count (out_doc, "/domain/vcpu"), ==, 1);
  g_assert_cmpint (count (out_doc, "/domain/cputune/vcpupin"), ==, c->vcpus);
  g_assert_cmpint (count (out_doc, "/domain/memory"), ==, 1);
  g_assert_cmpint (count (out_doc, "/domain/devices/hostdev[@type='pci']"), ==, c->gpu ? 2 : 0);
  g_assert_cmpint (count (out_doc, "/domain/metadata/pt:vm"), ==, 1);
  g_assert_cmpint (count (out_doc, "/domain/metadata/pt:vm/pt:device[@key='pci:" GPU "']"),
                   ==, c->gpu ? 1 : 0);
  if (c->input != NULL)
    {
      g_autofree char *chosen = g_strdup_printf ("/domain/devices/input[@type='evdev']"
                                                 "[source/@dev='%s']", c->input);

      g_assert_cmpint (count (out_doc, chosen), ==, 1);
    }
  else
    /* Only the app's own evdev devices go: the user's stay. */
    g_assert_cmpint (count (out_doc, "/domain/devices/input[@type='evdev']"), ==,
                     count (in_doc, "/domain/devices/input[@type='evdev']")
                     - count (in_doc, "/domain/metadata/pt:vm/pt:device"
                                      "[starts-with(@key, 'evdev:')]"));
}

/* QEMU's input-linux objects live in the user's own <qemu:commandline>: added once, removed
 * again when no longer chosen, the user's arguments untouched. */
static void
test_edit_input_linux (void)
{
  g_autofree char *path = domain_fixture ("handwritten-qemu-commandline.in.xml");
  g_autofree char *input = NULL;
  g_autofree char *with = NULL;
  g_autofree char *without = NULL;
  g_autoptr(PtSetup) setup = pt_setup_new ();
  g_autoptr(PtSetup) plain = pt_setup_new ();
  g_autoptr(xmlDoc) in_doc = NULL;
  g_autoptr(xmlDoc) with_doc = NULL;
  g_autoptr(xmlDoc) without_doc = NULL;
  const char *inputs[] = { "input-linux:/dev/input/by-id/usb-Logitech_USB_Receiver-event-kbd",
                           NULL };
  const char *args = "/domain/qemu:commandline/qemu:arg";

  if (scan_or_skip () == NULL)
    return;

  input = read_text (path);
  pt_setup_set_inputs (setup, inputs);

  with = edit (get_scan (), input, setup, NULL, NULL);
  assert_stable (get_scan (), with, setup, NULL);
  without = edit (get_scan (), with, plain, NULL, NULL);
  assert_valid_domain (with);

  in_doc = parse (input);
  with_doc = parse (with);
  without_doc = parse (without);
  g_assert_cmpint (count (with_doc, args), ==, count (in_doc, args) + 2);
  g_assert_cmpint (count (with_doc, "/domain/qemu:commandline/qemu:arg"
                                    "[starts-with(@value, 'input-linux,')]"), ==, 1);
  g_assert_cmpint (count (without_doc, args), ==, count (in_doc, args));
  g_assert_cmpint (count (without_doc, "/domain/qemu:commandline/qemu:env"), ==, 1);
}

/* A domain in another encoding comes back as UTF-8, which is what libvirt and the rest of the
 * app read, with a declaration that says so and every character kept. */
static void
test_edit_encoding (void)
{
  static const char latin1[] =
    "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n"
    "<domain type='kvm'>\n"
    "  <name>work</name>\n"
    "  <title>Zo\xeb's VM</title>\n"
    "  <memory unit='KiB'>4194304</memory>\n"
    "  <vcpu>2</vcpu>\n"
    "  <os>\n"
    "    <type arch='x86_64' machine='q35'>hvm</type>\n"
    "  </os>\n"
    "  <devices/>\n"
    "</domain>\n";
  g_autoptr(PtSetup) setup = pt_setup_new ();
  g_autofree char *xml = NULL;

  if (scan_or_skip () == NULL)
    return;

  xml = edit (get_scan (), latin1, setup, NULL, NULL);
  g_assert_true (g_utf8_validate (xml, -1, NULL));
  g_assert_true (g_str_has_prefix (xml, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"));
  g_assert_nonnull (strstr (xml, "<title>Zo\xc3\xab's VM</title>"));
  assert_valid_domain (xml);
  assert_stable (get_scan (), xml, setup, NULL);
}

/* Another graphics card the user put in the VM by hand stays, but the user hears of it: it
 * goes to the guest next to the chosen one. */
static void
test_edit_other_gpu (void)
{
  static const char domain[] =
    "<domain type='kvm'>\n"
    "  <name>radeon</name>\n"
    "  <memory unit='KiB'>4194304</memory>\n"
    "  <vcpu>2</vcpu>\n"
    "  <os>\n"
    "    <type arch='x86_64' machine='pc-q35-7.2'>hvm</type>\n"
    "  </os>\n"
    "  <devices>\n"
    "    <hostdev mode='subsystem' type='pci' managed='yes'>\n"
    "      <source>\n"
    "        <address domain='0x0000' bus='0x0a' slot='0x00' function='0x0'/>\n"
    "      </source>\n"
    "    </hostdev>\n"
    "  </devices>\n"
    "</domain>\n";
  g_autoptr(PtSetup) setup = pt_setup_new ();
  g_autoptr(PtSetup) no_gpu = pt_setup_new ();
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) quiet = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *xml = NULL;
  g_autofree char *plain = NULL;
  g_autoptr(xmlDoc) doc = NULL;
  guint mentioned = 0;

  if (scan_or_skip () == NULL)
    return;

  pt_setup_set_gpu (setup, GPU);
  xml = edit (get_scan (), domain, setup, NULL, warnings);
  doc = parse (xml);
  g_assert_cmpint (count (doc, "/domain/devices/hostdev[source/address/@bus='0x0a']"), ==, 1);
  g_assert_cmpint (count (doc, "/domain/devices/hostdev[source/address/@bus='0x09']"), ==, 2);
  for (guint i = 0; i < warnings->len; i++)
    if (strstr (g_ptr_array_index (warnings, i), "0000:0a:00.0") != NULL)
      mentioned++;
  g_assert_cmpuint (mentioned, ==, 1);

  /* Without a GPU choice the card is simply the user's business. */
  plain = edit (get_scan (), domain, no_gpu, NULL, quiet);
  for (guint i = 0; i < quiet->len; i++)
    g_assert_null (strstr (g_ptr_array_index (quiet, i), "0000:0a:00.0"));
}

/* A guest address may name a bus no controller of the domain defines (libvirt adds one): the
 * card's root port must not take that bus number too. */
static void
test_edit_unlisted_bus (void)
{
  static const char domain[] =
    "<domain type='kvm'>\n"
    "  <name>hand-made</name>\n"
    "  <memory unit='KiB'>4194304</memory>\n"
    "  <vcpu>2</vcpu>\n"
    "  <os>\n"
    "    <type arch='x86_64' machine='pc-q35-7.2'>hvm</type>\n"
    "  </os>\n"
    "  <devices>\n"
    "    <controller type='pci' index='0' model='pcie-root'/>\n"
    "    <controller type='pci' index='1' model='pcie-root-port'/>\n"
    "    <memballoon model='virtio'>\n"
    "      <address type='pci' domain='0x0000' bus='0x05' slot='0x00' function='0x0'/>\n"
    "    </memballoon>\n"
    "  </devices>\n"
    "</domain>\n";
  g_autoptr(PtSetup) setup = pt_setup_new ();
  g_autofree char *xml = NULL;
  g_autoptr(xmlDoc) doc = NULL;

  if (scan_or_skip () == NULL)
    return;

  pt_setup_set_gpu (setup, GPU);
  xml = edit (get_scan (), domain, setup, NULL, NULL);
  doc = parse (xml);
  g_assert_cmpint (count (doc, "/domain/devices/controller[@model='pcie-root-port' and "
                               "@index='6']"), ==, 1);
  g_assert_cmpint (count (doc, "/domain/devices/hostdev/address[@bus='0x06']"), ==, 2);
  g_assert_cmpint (count (doc, "//address[@type='pci' and @bus='0x05']"), ==, 1);
}

/* Input that is not a domain, or that an editor must not parse, fails with a sentence. */
static void
test_edit_refuses (void)
{
  static const char * const bad[] = {
    "<domain type='kvm'><name>x</name>",
    "<network><name>default</name></network>",
    "<!DOCTYPE domain [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><domain><name>&e;</name></domain>",
    /* Refused for its document type before the parser expands anything. */
    "<?xml version='1.0'?>\n<!-- a VM -->\n<!DOCTYPE domain [\n<!ENTITY a 'aaaaaaaaaa'>\n"
    "<!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;'>\n<!ENTITY c '&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;'>\n"
    "<!ENTITY d '&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;'>\n]>\n<domain><name>&d;</name>"
    "<uuid>&d;</uuid></domain>",
    "",
  };
  static const char aarch64[] =
    "<domain type='kvm'><name>arm</name><memory>1048576</memory><vcpu>2</vcpu>"
    "<os><type arch='aarch64' machine='virt'>hvm</type></os><devices/></domain>";
  static const char hotplug[] =
    "<domain type='kvm'><name>grow</name><maxMemory slots='16' unit='KiB'>16777216</maxMemory>"
    "<memory>1048576</memory><vcpu>2</vcpu><os><type arch='x86_64' machine='q35'>hvm</type></os>"
    "<cpu><numa><cell id='0' cpus='0-1' memory='1048576'/></numa></cpu><devices/></domain>";
  g_autoptr(PtSetup) setup = pt_setup_new ();
  g_autofree char *huge = NULL;

  if (scan_or_skip () == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    assert_edit_refused (bad[i], setup, PT_DOMAIN_ERROR_INVALID_XML,
                         strstr (bad[i], "<!DOCTYPE") != NULL ? "document type" : NULL);

  /* The planner and the features are x86's: another architecture is refused, not mangled; so
   * is memory hotplug, which needs the guest NUMA cells the app's <cpu> does not have. */
  assert_edit_refused (aarch64, setup, PT_DOMAIN_ERROR_INVALID, "aarch64");
  assert_edit_refused (hotplug, setup, PT_DOMAIN_ERROR_INVALID, "maxMemory");

  /* Text where libvirt allows only elements would drift as the owned elements around it are
   * put back, so no edit could be stable (a fuzzer found this). Text in <name> or <title> is
   * the domain's own. */
  assert_edit_refused ("<domain type='kvm'><name>x</name><memory>1048576</memory>q35"
                       "<currentMemory>1048576</currentMemory></domain>",
                       setup, PT_DOMAIN_ERROR_INVALID_XML, "“q35” inside <domain>");
  assert_edit_refused ("<domain type='kvm'><name>x</name><devices>\n  <disk type='file'/>\n"
                       "  <![CDATA[stray text that goes on and on and on]]>\n</devices></domain>",
                       setup, PT_DOMAIN_ERROR_INVALID_XML,
                       "“stray text that goes on and on a…” inside <devices>");

  huge = g_strnfill (PT_DOMAIN_MAX_XML_BYTES + 1, ' ');
  assert_edit_refused (huge, setup, PT_DOMAIN_ERROR_TOO_LARGE, NULL);
}

/* Firmware as libvirt's domain capabilities describe it. */
static void
test_firmware_from_capabilities (void)
{
  static const char auto_efi[] =
    "<domainCapabilities><path>/usr/bin/qemu-system-x86_64</path><domain>kvm</domain>"
    "<os supported='yes'><enum name='firmware'><value>bios</value><value>efi</value></enum>"
    "<loader supported='yes'><value>/usr/share/OVMF/OVMF_CODE_4M.fd</value>"
    "<value>/usr/share/OVMF/OVMF_CODE_4M.ms.fd</value>"
    "<enum name='secure'><value>no</value><value>yes</value></enum></loader></os>"
    "<devices><tpm supported='yes'><enum name='model'><value>tpm-crb</value></enum>"
    "<enum name='backendModel'><value>passthrough</value><value>emulator</value></enum>"
    "</tpm></devices></domainCapabilities>";
  static const char paths_only[] =
    "<domainCapabilities><os supported='yes'>"
    "<loader supported='yes'><value>/usr/share/OVMF/OVMF_CODE.fd</value>"
    "<enum name='secure'><value>no</value></enum></loader></os>"
    "<devices><tpm supported='no'/></devices></domainCapabilities>";
  g_autoptr(GError) error = NULL;
  g_autoptr(PtDomainFirmware) a = pt_domain_firmware_from_capabilities (auto_efi, &error);
  g_autoptr(PtDomainFirmware) b = NULL;
  g_autoptr(PtDomainFirmware) c = NULL;

  g_assert_no_error (error);
  g_assert_true (a->efi_auto);
  g_assert_true (a->secure_boot);
  g_assert_true (a->tpm_emulator);
  g_assert_cmpstr (a->loader, ==, "/usr/share/OVMF/OVMF_CODE_4M.ms.fd");

  b = pt_domain_firmware_from_capabilities (paths_only, &error);
  g_assert_no_error (error);
  g_assert_false (b->efi_auto);
  g_assert_false (b->secure_boot);
  g_assert_false (b->tpm_emulator);
  g_assert_cmpstr (b->loader, ==, "/usr/share/OVMF/OVMF_CODE.fd");

  c = pt_domain_firmware_from_capabilities ("<capabilities/>", &error);
  g_assert_null (c);
  g_assert_error (error, PT_DOMAIN_ERROR, PT_DOMAIN_ERROR_INVALID_XML);
}

/* The previous XML is kept where the user can restore it from, readable only by them. */
static void
test_backup (void)
{
  static const char xml[] = "<domain type='kvm'><name>win11</name><!-- as it was --></domain>\n";
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *second = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *dir = g_build_filename (g_get_user_state_dir (), "passthrough", "backups",
                                           NULL);
  GStatBuf info;

  g_assert_true (pt_domain_save_backup (xml, &path, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (path, dir));
  g_assert_true (g_str_has_prefix (strrchr (path, '/'), "/win11-"));
  g_assert_true (g_str_has_suffix (path, ".xml"));
  g_assert_cmpint (g_stat (path, &info), ==, 0);
  g_assert_cmpint (info.st_mode & 0777, ==, 0600);
  contents = read_text (path);
  g_assert_cmpstr (contents, ==, xml);

  /* Two backups in the same second do not overwrite each other. */
  g_assert_true (pt_domain_save_backup (xml, &second, &error));
  g_assert_cmpstr (second, !=, path);

  g_assert_false (pt_domain_save_backup ("<domain><name>../x</name></domain>", NULL, &error));
  g_assert_error (error, PT_DOMAIN_ERROR, PT_DOMAIN_ERROR_BACKUP);
}

/* The command line: --print-domain and --edit-domain print XML, never touch FILE, and fail
 * with one line. */
static void
test_cli (void)
{
  const char *bin = g_getenv ("PT_PASSTHROUGH_BIN");
  g_autofree char *root = pt_test_fixture_path (HOST_FIXTURE);
  g_autofree char *file = domain_fixture ("handwritten-qemu-commandline.in.xml");
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  int status;

  if (bin == NULL || !g_file_test (root, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("PT_PASSTHROUGH_BIN or the fixture is missing");
      return;
    }

  before = read_text (file);
  {
    const char *argv[] = { bin, "--sysroot", root, "--print-domain", "--gpu", "09:00.0",
                           "--cpus", "4", "--name", "cli-vm", NULL };
    g_autofree char *err = NULL;
    g_autofree char *out = pt_test_spawn_stdout (argv, &status, &err);

    g_assert_cmpint (status, ==, 0);
    g_assert_true (g_str_has_prefix (out, "<domain type=\"kvm\">"));
    g_assert_nonnull (strstr (out, "<name>cli-vm</name>"));
    assert_valid_domain (out);
  }
  {
    const char *argv[] = { bin, "--sysroot", root, "--edit-domain", file, "--gpu", "09:00.0",
                           NULL };
    g_autofree char *err = NULL;
    g_autofree char *out = pt_test_spawn_stdout (argv, &status, &err);

    g_assert_cmpint (status, ==, 0);
    g_assert_nonnull (strstr (out, "ich9-intel-hda"));
    assert_valid_domain (out);
  }
  after = read_text (file);
  g_assert_cmpstr (after, ==, before);
  {
    const char *argv[] = { bin, "--sysroot", root, "--edit-domain", "/nonexistent/vm.xml",
                           NULL };
    g_autofree char *err = NULL;
    g_autofree char *out = pt_test_spawn_stdout (argv, &status, &err);

    g_assert_cmpint (status, !=, 0);
    g_assert_cmpstr (out, ==, "");
    g_assert_true (g_str_has_prefix (err, "passthrough: "));
    g_assert_cmpint (strchr (err, '\n') - err, ==, (int) strlen (err) - 1);
  }
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *state = g_dir_make_tmp ("pt-test-domain-XXXXXX", NULL);
  int result;

  /* Backups go to a private state folder, never to the user's own. */
  g_setenv ("XDG_STATE_HOME", state, TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/domain/new/windows", test_new_windows);
  g_test_add_func ("/domain/new/linux", test_new_linux);
  g_test_add_func ("/domain/new/every-host", test_new_every_host);
  for (guint i = 0; i < G_N_ELEMENTS (edit_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/domain/edit/%s", edit_cases[i].name);

      g_test_add_data_func (path, &edit_cases[i], test_edit);
    }
  g_test_add_func ("/domain/edit/input-linux", test_edit_input_linux);
  g_test_add_func ("/domain/edit/refuses", test_edit_refuses);
  g_test_add_func ("/domain/edit/encoding", test_edit_encoding);
  g_test_add_func ("/domain/edit/other-gpu", test_edit_other_gpu);
  g_test_add_func ("/domain/edit/unlisted-bus", test_edit_unlisted_bus);
  g_test_add_func ("/domain/firmware", test_firmware_from_capabilities);
  g_test_add_func ("/domain/backup", test_backup);
  g_test_add_func ("/domain/cli", test_cli);

  result = g_test_run ();
  g_clear_object (&host_scan);
  pt_test_remove_tree (state);
  return result;
}
