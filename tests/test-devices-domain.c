/* test-devices-domain.c: inputs, disks, ISOs and USB as domain XML (checked against libvirt's
 * schema and its test driver), new disk images, and the qemu.conf edit (pt-qemu-conf) for
 * input-linux. */

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <string.h>
#include <unistd.h>

#include "pt-devices-domain.h"
#include "pt-memory-plan.h"
#include "pt-qemu-conf.h"
#include "pt-test-tree.h"
#include "pt-test-utils.h"

#define QEMU_NS_HREF "http://libvirt.org/schemas/domain/qemu/1.0"

static PtHostScan *
scan_fixture (const char *name)
{
  g_autofree char *root = pt_test_fixture_path (name);
  g_autoptr(GError) error = NULL;
  PtHostScan *scan;

  if (!g_file_test (root, G_FILE_TEST_IS_DIR))
    return NULL;
  scan = pt_host_scan_new_sync (root, NULL, &error);
  g_assert_no_error (error);
  return scan;
}

/* The choices as PtSetup holds them: what parses, and what is refused with a sentence. */
static void
test_choices (void)
{
  static const struct {
    const char *entry;
    const char *path;        /* NULL: refused */
    gboolean    input_linux;
  } inputs[] = {
    { "/dev/input/by-id/usb-Dell_Dell_USB_Entry_Keyboard-event-kbd",
      "/dev/input/by-id/usb-Dell_Dell_USB_Entry_Keyboard-event-kbd", FALSE },
    { "input-linux:/dev/input/by-id/usb-Logitech_USB_Receiver-if01-event-mouse",
      "/dev/input/by-id/usb-Logitech_USB_Receiver-if01-event-mouse", TRUE },
    { "event3", NULL, FALSE },
    { "/dev/input/../sda", NULL, FALSE },
    { "/dev/input/by-id/a\"b", NULL, FALSE },
    { "input-linux:", NULL, FALSE },
  };
  static const struct {
    const char *entry;
    const char *pool;        /* NULL: refused */
    const char *name;
    guint64     bytes;
    const char *format;
    const char *canonical;
  } volumes[] = {
    { "volume:default/windows.qcow2:128GiB", "default", "windows.qcow2",
      G_GUINT64_CONSTANT (128) << 30, "qcow2", "volume:default/windows.qcow2:128GiB" },
    { "volume:fast-pool/games.img:512G", "fast-pool", "games.img",
      G_GUINT64_CONSTANT (512) << 30, "raw", "volume:fast-pool/games.img:512GiB" },
    { "volume:default/small.raw:1536M", "default", "small.raw", G_GUINT64_CONSTANT (1536) << 20,
      "raw", "volume:default/small.raw:1536MiB" },
    { "volume:default/../etc.qcow2:1G", NULL, NULL, 0, NULL, NULL },
    { "volume:default/a b.qcow2:1G", NULL, NULL, 0, NULL, NULL },
    { "volume:default/.hidden:1G", NULL, NULL, 0, NULL, NULL },
    { "volume:default:1G", NULL, NULL, 0, NULL, NULL },
    { "volume:default/x.qcow2", NULL, NULL, 0, NULL, NULL },
    { "volume:default/x.qcow2:0G", NULL, NULL, 0, NULL, NULL },
    { "volume:/x.qcow2:1G", NULL, NULL, 0, NULL, NULL },
    { "/dev/disk/by-id/ata-X", NULL, NULL, 0, NULL, NULL },
  };
  static const struct {
    const char *entry;
    gboolean    valid;
    guint       vendor;
    guint       product;
    const char *address;
  } usb[] = {
    { "046d:c52b", TRUE, 0x046d, 0xc52b, NULL },
    { "1D6B:0002", TRUE, 0x1d6b, 0x0002, NULL },
    { "0000:0b:00.3", TRUE, 0, 0, "0000:0b:00.3" },
    { "0b:00.3", TRUE, 0, 0, "0000:0b:00.3" },
    { "46d:c52b", FALSE, 0, 0, NULL },
    { "046d:c52b:1", FALSE, 0, 0, NULL },
    { "046d-c52b", FALSE, 0, 0, NULL },
    { "zzzz:c52b", FALSE, 0, 0, NULL },
    { "", FALSE, 0, 0, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *path = NULL;
      gboolean input_linux = FALSE;
      gboolean ok = pt_input_choice_parse (inputs[i].entry, &path, &input_linux, &error);

      g_test_message ("input %s", inputs[i].entry);
      g_assert_cmpint (ok, ==, inputs[i].path != NULL);
      g_assert_cmpstr (path, ==, inputs[i].path);
      if (ok)
        g_assert_cmpint (input_linux, ==, inputs[i].input_linux);
      else
        g_assert_error (error, PT_DEVICES_ERROR, PT_DEVICES_ERROR_INVALID);
    }

  for (guint i = 0; i < G_N_ELEMENTS (volumes); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PtVolumeSpec) spec = pt_volume_spec_parse (volumes[i].entry, &error);
      g_autofree char *canonical = NULL;

      g_test_message ("volume %s", volumes[i].entry);
      if (volumes[i].pool == NULL)
        {
          g_assert_null (spec);
          g_assert_error (error, PT_DEVICES_ERROR, PT_DEVICES_ERROR_INVALID);
          continue;
        }
      g_assert_no_error (error);
      g_assert_cmpstr (spec->pool, ==, volumes[i].pool);
      g_assert_cmpstr (spec->name, ==, volumes[i].name);
      g_assert_cmpuint (spec->capacity_bytes, ==, volumes[i].bytes);
      g_assert_cmpstr (spec->format, ==, volumes[i].format);
      canonical = pt_volume_spec_to_string (spec);
      g_assert_cmpstr (canonical, ==, volumes[i].canonical);
    }

  for (guint i = 0; i < G_N_ELEMENTS (usb); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *address = NULL;
      guint vendor = 1, product = 1;
      gboolean ok = pt_usb_choice_parse (usb[i].entry, &vendor, &product, &address, &error);

      g_test_message ("usb %s", usb[i].entry);
      g_assert_cmpint (ok, ==, usb[i].valid);
      if (!ok)
        {
          g_assert_error (error, PT_DEVICES_ERROR, PT_DEVICES_ERROR_INVALID);
          continue;
        }
      g_assert_cmpuint (vendor, ==, usb[i].vendor);
      g_assert_cmpuint (product, ==, usb[i].product);
      g_assert_cmpstr (address, ==, usb[i].address);
    }

  g_assert_cmpint (pt_input_kind_from_path ("/dev/input/by-id/usb-A-event-kbd"), ==,
                   PT_INPUT_KIND_KEYBOARD);
  g_assert_cmpint (pt_input_kind_from_path ("/dev/input/by-id/usb-A-if01-event-mouse"), ==,
                   PT_INPUT_KIND_MOUSE);
  g_assert_cmpint (pt_input_kind_from_path ("/dev/input/by-id/usb-A-event-if01"), ==,
                   PT_INPUT_KIND_OTHER);
}

/* A whole domain around the fragments, as the schema and libvirt want one; with @ret_devices, a
 * <devices> and some memory, else the memory comes from a PtMemoryPlan. */
static xmlDoc *
minimal_domain (xmlNode **ret_domain,
                xmlNode **ret_devices)
{
  /* Unique: the domain is defined on the system's libvirtd for a moment. */
  g_autofree char *name = g_strdup_printf ("pt-devices-test-%d", (int) getpid ());
  xmlDoc *doc = xmlNewDoc (BAD_CAST "1.0");
  xmlNode *domain = xmlNewNode (NULL, BAD_CAST "domain");
  xmlNode *os;
  xmlNode *type;

  xmlDocSetRootElement (doc, domain);
  xmlNewProp (domain, BAD_CAST "type", BAD_CAST "kvm");
  xmlNewTextChild (domain, NULL, BAD_CAST "name", BAD_CAST name);
  xmlNewTextChild (domain, NULL, BAD_CAST "vcpu", BAD_CAST "4");
  os = xmlNewChild (domain, NULL, BAD_CAST "os", NULL);
  type = xmlNewTextChild (os, NULL, BAD_CAST "type", BAD_CAST "hvm");
  xmlNewProp (type, BAD_CAST "arch", BAD_CAST "x86_64");
  xmlNewProp (type, BAD_CAST "machine", BAD_CAST "q35");
  *ret_domain = domain;
  if (ret_devices != NULL)
    {
      xmlNode *memory = xmlNewTextChild (domain, NULL, BAD_CAST "memory", BAD_CAST "4194304");

      xmlNewProp (memory, BAD_CAST "unit", BAD_CAST "KiB");
      *ret_devices = xmlNewChild (domain, NULL, BAD_CAST "devices", NULL);
    }
  return doc;
}

static char *
dump_doc (xmlDoc *doc)
{
  xmlChar *text = NULL;
  int length = 0;
  char *result;

  xmlDocDumpFormatMemory (doc, &text, &length, 1);
  result = g_strndup ((const char *) text, length);
  xmlFree (text);
  return result;
}

/* Checks @xml against libvirt's @schema_name (domain.rng, storagevol.rng) with libxml2, and with
 * virt-xml-validate where it is installed. FALSE with a reason when neither can run. */
static gboolean
validate_with_schema (const char  *xml,
                      const char  *schema_name,
                      const char  *kind,
                      char       **ret_reason)
{
  const char *dir = g_getenv ("PT_LIBVIRT_SCHEMA_DIR");
  g_autofree char *schema_path = NULL;
  g_autofree char *tool = g_find_program_in_path ("virt-xml-validate");
  xmlRelaxNGParserCtxt *parser;
  xmlRelaxNG *schema;
  xmlRelaxNGValidCtxt *validator;
  xmlDoc *doc;
  int invalid;

  if (tool != NULL)
    {
      g_autofree char *file = NULL;
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      int fd = g_file_open_tmp ("pt-test-XXXXXX.xml", &file, NULL);
      const char *argv[] = { tool, file, kind, NULL };
      int status = -1;

      g_assert_cmpint (fd, >=, 0);
      g_close (fd, NULL);
      g_assert_true (g_file_set_contents (file, xml, -1, NULL));
      out = pt_test_spawn_stdout (argv, &status, &err);
      if (status != 0)
        g_test_message ("virt-xml-validate: %s%s\n%s", out, err, xml);
      g_assert_cmpint (status, ==, 0);
      g_unlink (file);
    }

  if (dir == NULL)
    {
      *ret_reason = g_strdup ("PT_LIBVIRT_SCHEMA_DIR is not set");
      return tool != NULL;
    }
  schema_path = g_build_filename (dir, schema_name, NULL);
  if (!g_file_test (schema_path, G_FILE_TEST_EXISTS))
    {
      *ret_reason = g_strdup_printf ("libvirt's schema %s is not installed", schema_path);
      return tool != NULL;
    }

  parser = xmlRelaxNGNewParserCtxt (schema_path);
  schema = xmlRelaxNGParse (parser);
  xmlRelaxNGFreeParserCtxt (parser);
  g_assert_nonnull (schema);
  doc = xmlReadMemory (xml, strlen (xml), "test.xml", NULL, XML_PARSE_NONET);
  g_assert_nonnull (doc);
  validator = xmlRelaxNGNewValidCtxt (schema);
  invalid = xmlRelaxNGValidateDoc (validator, doc);
  if (invalid != 0)
    g_test_message ("Not valid for %s:\n%s", schema_name, xml);
  g_assert_cmpint (invalid, ==, 0);
  xmlRelaxNGFreeValidCtxt (validator);
  xmlRelaxNGFree (schema);
  xmlFreeDoc (doc);
  return TRUE;
}

static void
silence_libvirt_cb (void        *user_data,
                    virErrorPtr  error)
{
}

static void
define_and_undefine (virConnectPtr  conn,
                     const char    *uri,
                     const char    *xml)
{
  virDomainPtr domain = virDomainDefineXMLFlags (conn, xml, VIR_DOMAIN_DEFINE_VALIDATE);

  if (domain == NULL)
    g_test_message ("libvirt at %s refused it: %s\n%s", uri, virGetLastErrorMessage (), xml);
  g_assert_nonnull (domain);
  g_assert_cmpint (virDomainUndefine (domain), ==, 0);
  virDomainFree (domain);
}

/* libvirt's own parser takes the domain as it is: its test driver, which needs no daemon, and
 * the libvirtd at PT_TEST_LIBVIRT_URI ("qemu:///system") when that is set. The daemon is opt-in:
 * the first define after its QEMU capabilities changed can take minutes. The domain is
 * undefined again right away. */
static void
define_on_libvirt (const char *xml)
{
  const char *uri = g_getenv ("PT_TEST_LIBVIRT_URI");
  virConnectPtr conn;

  virSetErrorFunc (NULL, silence_libvirt_cb);
  conn = virConnectOpen ("test:///default");
  g_assert_nonnull (conn);
  define_and_undefine (conn, "test:///default", xml);
  virConnectClose (conn);

  if (uri == NULL)
    {
      g_test_message ("Checked with libvirt's test driver; set PT_TEST_LIBVIRT_URI to check "
                      "with a libvirtd too");
      return;
    }
  conn = virConnectOpen (uri);
  if (conn == NULL)
    g_test_message ("No libvirtd at %s: %s", uri, virGetLastErrorMessage ());
  g_assert_nonnull (conn);
  define_and_undefine (conn, uri, xml);
  virConnectClose (conn);
}

/* Each fragment as the issue spells it, disk targets that avoid the ones in use, and the whole
 * domain valid for libvirt's schema and libvirt's parser. */
static void
test_fragments (void)
{
  g_autofree char *text = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *reason = NULL;
  g_autoptr(PtVolumeSpec) volume = pt_volume_spec_parse ("volume:default/win.qcow2:64GiB", NULL);
  const char * const old_way[] = { "/dev/input/by-id/usb-Dell_Dell_USB_Entry_Keyboard-event-kbd",
                                   "/dev/input/by-id/usb-X,Y-event-mouse", NULL };
  xmlNode *domain;
  xmlNode *devices;
  xmlNode *existing;
  xmlNode *node;
  xmlDoc *doc = minimal_domain (&domain, &devices);

  /* The whole disk below runs in I/O thread 1, which the domain must have. */
  xmlNewTextChild (domain, NULL, BAD_CAST "iothreads", BAD_CAST "1");

  /* A disk the domain has already keeps its name; new ones take the next. */
  existing = xmlNewChild (devices, NULL, BAD_CAST "disk", NULL);
  xmlNewProp (existing, BAD_CAST "type", BAD_CAST "file");
  xmlNewProp (existing, BAD_CAST "device", BAD_CAST "disk");
  node = xmlNewChild (existing, NULL, BAD_CAST "source", NULL);
  xmlNewProp (node, BAD_CAST "file", BAD_CAST "/var/lib/libvirt/images/old.qcow2");
  node = xmlNewChild (existing, NULL, BAD_CAST "target", NULL);
  xmlNewProp (node, BAD_CAST "dev", BAD_CAST "vda");
  xmlNewProp (node, BAD_CAST "bus", BAD_CAST "virtio");

  pt_devices_append_evdev (devices, "/dev/input/by-id/usb-Dell_Dell_USB_Entry_Keyboard-event-kbd",
                           PT_INPUT_KIND_KEYBOARD, PT_GRAB_TOGGLE_DEFAULT);
  pt_devices_append_evdev (devices, "/dev/input/by-id/usb-Logitech_USB_Receiver-if01-event-mouse",
                           PT_INPUT_KIND_MOUSE, PT_GRAB_TOGGLE_DEFAULT);
  pt_devices_append_disk (devices, "/dev/disk/by-id/ata-WDC_WD40EFRX-68N32N0_WD-WCC7K4KL1234", 1);
  pt_devices_append_volume (devices, volume, 0);
  pt_devices_append_cdrom (devices, "/home/user/Downloads/Win11_23H2_English_x64.iso");
  pt_devices_append_cdrom (devices, "/home/user/Downloads/virtio-win-0.1.240.iso");
  pt_devices_append_usb (devices, 0x046d, 0xc52b, 0, 0);
  pt_devices_append_usb (devices, 0x1235, 0x8211, 3, 3);
  pt_devices_append_pci (devices, "0000:0b:00.3");
  pt_devices_append_input_linux (domain, old_way);

  text = pt_xml_children_to_string (devices);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text,
    "<input type=\"evdev\">\n"
    "  <source dev=\"/dev/input/by-id/usb-Dell_Dell_USB_Entry_Keyboard-event-kbd\" grab=\"all\" "
    "repeat=\"on\" grabToggle=\"ctrl-ctrl\"/>\n"
    "</input>\n"));
  g_assert_nonnull (strstr (text,
    "<input type=\"evdev\">\n"
    "  <source dev=\"/dev/input/by-id/usb-Logitech_USB_Receiver-if01-event-mouse\"/>\n"
    "</input>\n"));
  g_assert_nonnull (strstr (text,
    "<disk type=\"block\" device=\"disk\">\n"
    "  <driver name=\"qemu\" type=\"raw\" cache=\"none\" io=\"native\" discard=\"unmap\" "
    "iothread=\"1\"/>\n"
    "  <source dev=\"/dev/disk/by-id/ata-WDC_WD40EFRX-68N32N0_WD-WCC7K4KL1234\"/>\n"
    "  <target dev=\"vdb\" bus=\"virtio\"/>\n"
    "</disk>\n"));
  g_assert_nonnull (strstr (text,
    "<disk type=\"volume\" device=\"disk\">\n"
    "  <driver name=\"qemu\" type=\"qcow2\" discard=\"unmap\"/>\n"
    "  <source pool=\"default\" volume=\"win.qcow2\"/>\n"
    "  <target dev=\"vdc\" bus=\"virtio\"/>\n"
    "</disk>\n"));
  g_assert_nonnull (strstr (text,
    "<disk type=\"file\" device=\"cdrom\">\n"
    "  <driver name=\"qemu\" type=\"raw\"/>\n"
    "  <source file=\"/home/user/Downloads/Win11_23H2_English_x64.iso\"/>\n"
    "  <target dev=\"sda\" bus=\"sata\"/>\n"
    "  <readonly/>\n"
    "</disk>\n"));
  g_assert_nonnull (strstr (text, "<target dev=\"sdb\" bus=\"sata\"/>"));
  g_assert_nonnull (strstr (text,
    "<hostdev mode=\"subsystem\" type=\"usb\" managed=\"yes\">\n"
    "  <source startupPolicy=\"optional\">\n"
    "    <vendor id=\"0x046d\"/>\n"
    "    <product id=\"0xc52b\"/>\n"
    "  </source>\n"
    "</hostdev>\n"));
  g_assert_nonnull (strstr (text, "    <address bus=\"3\" device=\"3\"/>\n"));
  g_assert_nonnull (strstr (text,
    "<hostdev mode=\"subsystem\" type=\"pci\" managed=\"yes\">\n"
    "  <source>\n"
    "    <address domain=\"0x0000\" bus=\"0x0b\" slot=\"0x00\" function=\"0x3\"/>\n"
    "  </source>\n"
    "</hostdev>\n"));

  g_clear_pointer (&text, g_free);
  text = pt_xml_children_to_string (domain);
  g_assert_nonnull (strstr (text, "<qemu:arg value=\"-object\"/>"));
  g_assert_nonnull (strstr (text,
    "<qemu:arg value=\"input-linux,id=passthrough-input0,evdev=/dev/input/by-id/"
    "usb-Dell_Dell_USB_Entry_Keyboard-event-kbd,grab_all=on,repeat=on\"/>"));
  /* QEMU's option syntax: a comma in a value is doubled. */
  g_assert_nonnull (strstr (text,
    "<qemu:arg value=\"input-linux,id=passthrough-input1,evdev=/dev/input/by-id/"
    "usb-X,,Y-event-mouse\"/>"));
  /* Adding more later does not reuse an id. */
  pt_devices_append_input_linux (domain, (const char * const[]) {
                                   "/dev/input/by-id/usb-Z-event-kbd", NULL });
  g_clear_pointer (&text, g_free);
  text = pt_xml_children_to_string (domain);
  g_assert_nonnull (strstr (text, "id=passthrough-input2,evdev=/dev/input/by-id/usb-Z-event-kbd"));

  xml = dump_doc (doc);
  g_assert_nonnull (strstr (xml, "xmlns:qemu=\"" QEMU_NS_HREF "\""));
  if (!validate_with_schema (xml, "domain.rng", "domain", &reason))
    g_test_message ("Not checked against the schema: %s", reason);
  define_on_libvirt (xml);
  xmlFreeDoc (doc);
  if (reason != NULL)
    g_test_skip (reason);
}

/* Everything a user picks on the 2600X desktop, turned into one domain with the memory plan;
 * the host's disk is refused by whichever by-id link names it. */
static void
test_setup_on_fixture (void)
{
  g_autoptr(PtHostScan) scan = scan_fixture ("ryzen-2600x-desktop");
  g_autoptr(PtSetup) setup = NULL;
  g_autoptr(PtMemoryPlan) memory = NULL;
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *reason = NULL;
  g_auto(GStrv) acl = NULL;
  const char * const inputs[] = {
    "/dev/input/by-id/usb-Dell_Dell_USB_Entry_Keyboard-event-kbd",
    "/dev/input/by-id/usb-Logitech_USB_Receiver-if01-event-mouse",
    "/dev/input/by-id/usb-Logitech_USB_Receiver-event-if01",
    "input-linux:/dev/input/by-id/usb-Logitech_USB_Receiver-event-kbd",
    NULL,
  };
  const char * const disks[] = { "/dev/disk/by-id/ata-WDC_WD40EFRX-68N32N0_WD-WCC7K4KL1234",
                                 "volume:default/passthrough-vm.qcow2:64GiB", NULL };
  const char * const isos[] = { "/srv/iso/Win11.iso", "/srv/iso/virtio-win.iso", NULL };
  const char * const usb[] = { "046d:c52b", "1235:8211", "0000:0b:00.3", NULL };
  const char * const root_links[] = {
    "/dev/disk/by-id/nvme-Samsung_SSD_970_EVO_Plus_1TB_S4EWNX0R412345K",
    "/dev/disk/by-id/nvme-eui.0025385491b1a2c3", NULL,
  };
  xmlNode *domain;
  xmlDoc *doc;

  if (scan == NULL)
    {
      g_test_skip ("fixture ryzen-2600x-desktop is not there");
      return;
    }

  setup = pt_setup_new ();
  pt_setup_set_memory_mib (setup, 16384);
  pt_setup_set_hugepages (setup, PT_HUGEPAGES_1G);
  pt_setup_set_inputs (setup, inputs);
  pt_setup_set_disks (setup, disks);
  pt_setup_set_isos (setup, isos);
  pt_setup_set_usb (setup, usb);

  doc = minimal_domain (&domain, NULL);
  memory = pt_memory_plan_new_for_scan (scan, setup, NULL);
  pt_memory_plan_append_domain (memory, domain, NULL);
  g_assert_true (pt_devices_append_setup (domain, setup, scan, 0, warnings, &error));
  g_assert_no_error (error);

  text = pt_xml_children_to_string (domain);
  /* The Dell keyboard carries the grab; the receiver's media keys are a plain device. */
  g_assert_nonnull (strstr (text, "usb-Dell_Dell_USB_Entry_Keyboard-event-kbd\" grab=\"all\""));
  g_assert_nonnull (strstr (text, "<source dev=\"/dev/input/by-id/"
                                  "usb-Logitech_USB_Receiver-event-if01\"/>"));
  g_assert_nonnull (strstr (text, "evdev=/dev/input/by-id/usb-Logitech_USB_Receiver-event-kbd,"
                                  "grab_all=on,repeat=on"));
  g_assert_nonnull (strstr (text, "<target dev=\"vda\" bus=\"virtio\"/>"));
  g_assert_nonnull (strstr (text, "<source pool=\"default\" volume=\"passthrough-vm.qcow2\"/>"));
  g_assert_nonnull (strstr (text, "<source file=\"/srv/iso/virtio-win.iso\"/>"));
  g_assert_nonnull (strstr (text, "<vendor id=\"0x1235\"/>"));
  g_assert_nonnull (strstr (text, "function=\"0x3\""));
  g_assert_nonnull (strstr (text, "<page size=\"1048576\" unit=\"KiB\"/>"));
  /* One device per id on this host: no bus address needed. */
  g_assert_null (strstr (text, "<address bus="));
  /* Only the input-linux warning: QEMU's user and the input group. */
  g_assert_cmpuint (warnings->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (warnings, 0), "input group"));

  acl = pt_devices_input_linux_paths (setup);
  g_assert_cmpuint (g_strv_length (acl), ==, 1);
  g_assert_cmpstr (acl[0], ==, "/dev/input/by-id/usb-Logitech_USB_Receiver-event-kbd");

  xml = dump_doc (doc);
  if (!validate_with_schema (xml, "domain.rng", "domain", &reason))
    g_test_message ("Not checked against the schema: %s", reason);
  define_on_libvirt (xml);
  xmlFreeDoc (doc);

  for (guint i = 0; root_links[i] != NULL; i++)
    {
      const char * const root_disk[] = { root_links[i], NULL };

      doc = minimal_domain (&domain, NULL);
      pt_setup_set_disks (setup, root_disk);
      g_assert_false (pt_devices_append_setup (domain, setup, scan, 0, NULL, &error));
      g_assert_error (error, PT_DEVICES_ERROR, PT_DEVICES_ERROR_INVALID);
      g_clear_error (&error);
      xmlFreeDoc (doc);
    }

  /* The chipset's controller shares its group with SATA and the network card: refused, with
   * the reason. */
  {
    const char * const shared[] = { "0000:02:00.0", NULL };

    doc = minimal_domain (&domain, NULL);
    pt_setup_set_disks (setup, NULL);
    pt_setup_set_usb (setup, shared);
    g_assert_false (pt_devices_append_setup (domain, setup, scan, 0, NULL, &error));
    g_assert_error (error, PT_DEVICES_ERROR, PT_DEVICES_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "IOMMU group 15"));
    g_clear_error (&error);
    xmlFreeDoc (doc);
  }

  {
    const char * const bad_usb[] = { "logitech", NULL };

    doc = minimal_domain (&domain, NULL);
    pt_setup_set_disks (setup, NULL);
    pt_setup_set_usb (setup, bad_usb);
    g_assert_false (pt_devices_append_setup (domain, setup, scan, 0, NULL, &error));
    g_assert_error (error, PT_DEVICES_ERROR, PT_DEVICES_ERROR_INVALID);
    xmlFreeDoc (doc);
  }

  if (reason != NULL)
    g_test_skip (reason);
}

/* Two identical receivers: libvirt would refuse the ids alone, so the bus address picks one.
 * The host is the 2600X desktop with a second Logitech receiver plugged into port 5. */
static void
test_identical_usb (void)
{
  g_autofree char *fixture = pt_test_fixture_path ("ryzen-2600x-desktop");
  g_autofree char *root = NULL;
  static const PtTestUsbDevice receiver = {
    .dir = "pci0000:00/0000:00:01.3/0000:02:00.0/usb1/1-5", .busnum = "1", .devnum = "4",
    .id_vendor = "046d", .id_product = "c52b", .device_class = "00",
    .manufacturer = "Logitech", .product = "USB Receiver",
  };
  g_autoptr(PtHostScan) scan = NULL;
  g_autoptr(PtSetup) setup = pt_setup_new ();
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const char * const usb[] = { "046d:c52b", NULL };
  xmlNode *domain;
  xmlDoc *doc;

  if (!g_file_test (fixture, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("fixture ryzen-2600x-desktop is not there");
      return;
    }

  root = pt_test_copy_fixture ("ryzen-2600x-desktop");
  pt_test_add_usb_device (root, &receiver);

  scan = pt_host_scan_new_sync (root, NULL, &error);
  g_assert_no_error (error);

  pt_setup_set_usb (setup, usb);
  doc = minimal_domain (&domain, NULL);
  g_assert_true (pt_devices_append_setup (domain, setup, scan, 0, warnings, &error));
  g_assert_no_error (error);
  text = pt_xml_children_to_string (domain);
  g_assert_nonnull (strstr (text, "<address bus=\"1\" device=\"2\"/>"));
  g_assert_cmpuint (warnings->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (warnings, 0), "bus 1, device 2"));
  xmlFreeDoc (doc);

  pt_test_remove_copy (root);
}

/* The GTX 1660's own USB controller goes with the card: it is not added a second time. */
static void
test_controller_with_gpu (void)
{
  g_autoptr(PtHostScan) scan = scan_fixture ("no-smt-desktop");
  g_autoptr(PtSetup) setup = pt_setup_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const char * const usb[] = { "0000:01:00.2", NULL };
  xmlNode *domain;
  xmlDoc *doc;

  if (scan == NULL)
    {
      g_test_skip ("fixture no-smt-desktop is not there");
      return;
    }

  pt_setup_set_usb (setup, usb);
  doc = minimal_domain (&domain, NULL);
  /* Without the card, the controller shares its group with it: refused. */
  g_assert_false (pt_devices_append_setup (domain, setup, scan, 0, NULL, &error));
  g_assert_error (error, PT_DEVICES_ERROR, PT_DEVICES_ERROR_INVALID);
  g_clear_error (&error);
  xmlFreeDoc (doc);

  pt_setup_set_gpu (setup, "0000:01:00.0");
  doc = minimal_domain (&domain, NULL);
  g_assert_true (pt_devices_append_setup (domain, setup, scan, 0, NULL, &error));
  g_assert_no_error (error);
  text = pt_xml_children_to_string (domain);
  g_assert_null (strstr (text, "<hostdev"));
  xmlFreeDoc (doc);
}

/* A new image's <volume> is valid for libvirt's storage schema and sparse. */
static void
test_volume_xml (void)
{
  g_autoptr(PtVolumeSpec) qcow2 = pt_volume_spec_parse ("volume:default/win.qcow2:128GiB", NULL);
  g_autoptr(PtVolumeSpec) raw = pt_volume_spec_parse ("volume:default/data.img:10G", NULL);
  g_autofree char *qcow2_xml = pt_volume_spec_to_xml (qcow2);
  g_autofree char *raw_xml = pt_volume_spec_to_xml (raw);
  g_autofree char *reason = NULL;

  g_assert_cmpstr (qcow2_xml, ==,
                   "<volume type=\"file\">\n"
                   "  <name>win.qcow2</name>\n"
                   "  <capacity unit=\"bytes\">137438953472</capacity>\n"
                   "  <allocation unit=\"bytes\">0</allocation>\n"
                   "  <target>\n"
                   "    <format type=\"qcow2\"/>\n"
                   "  </target>\n"
                   "</volume>\n");
  g_assert_nonnull (strstr (raw_xml, "<format type=\"raw\"/>"));
  g_assert_nonnull (strstr (raw_xml, "<capacity unit=\"bytes\">10737418240</capacity>"));

  if (!validate_with_schema (qcow2_xml, "storagevol.rng", "storagevol", &reason)
      || !validate_with_schema (raw_xml, "storagevol.rng", "storagevol", &reason))
    g_test_skip (reason);
}

/* qemu.conf keeps everything it had; the device list gains what is missing, once. */
static void
test_qemu_conf (void)
{
  const char * const paths[] = { "/dev/input/by-id/usb-Dell_Dell_USB_Entry_Keyboard-event-kbd",
                                 "/dev/input/by-id/usb-Logitech_USB_Receiver-if01-event-mouse",
                                 NULL };
  const char *debian =
    "# Master configuration file for the QEMU driver.\n"
    "#user = \"libvirt-qemu\"\n"
    "#cgroup_device_acl = [\n"
    "#    \"/dev/null\", \"/dev/full\", \"/dev/zero\",\n"
    "#    \"/dev/random\", \"/dev/urandom\",\n"
    "#    \"/dev/ptmx\", \"/dev/kvm\"\n"
    "#]\n"
    "security_driver = \"apparmor\"\n";
  const char *customised =
    "vnc_listen = \"0.0.0.0\"\n"
    "cgroup_device_acl = [\n"
    "    \"/dev/null\", \"/dev/full\", \"/dev/zero\", # the basics\n"
    "    \"/dev/random\", \"/dev/urandom\",\n"
    "    \"/dev/ptmx\", \"/dev/kvm\",\n"
    "    \"/dev/input/by-id/usb-Dell_Dell_USB_Entry_Keyboard-event-kbd\"\n"
    "]\n"
    "nvram = [ \"/usr/share/OVMF/OVMF_CODE.fd:/usr/share/OVMF/OVMF_VARS.fd\" ]\n";
  g_autofree char *added = NULL;
  g_autofree char *again = NULL;
  g_autofree char *merged = NULL;
  g_autofree char *empty = NULL;
  g_autoptr(GError) error = NULL;

  added = pt_qemu_conf_add_device_acl (debian, paths, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (added, debian));
  g_assert_nonnull (strstr (added,
    "cgroup_device_acl = [\n"
    "    \"/dev/null\",\n    \"/dev/full\",\n    \"/dev/zero\",\n    \"/dev/random\",\n"
    "    \"/dev/urandom\",\n    \"/dev/ptmx\",\n    \"/dev/kvm\",\n"
    "    \"/dev/input/by-id/usb-Dell_Dell_USB_Entry_Keyboard-event-kbd\",\n"
    "    \"/dev/input/by-id/usb-Logitech_USB_Receiver-if01-event-mouse\"\n"
    "]\n"));
  /* QEMU never runs as root for this. */
  g_assert_null (strstr (added, "\nuser ="));
  g_assert_null (strstr (added, "\"root\""));

  /* Applying it twice changes nothing the second time. */
  again = pt_qemu_conf_add_device_acl (added, paths, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, added);

  /* A list of the user's own is extended in place; the rest stays byte for byte. */
  merged = pt_qemu_conf_add_device_acl (customised, paths, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (merged, "vnc_listen = \"0.0.0.0\"\ncgroup_device_acl = [\n"));
  g_assert_true (g_str_has_suffix (merged, "]\nnvram = [ \"/usr/share/OVMF/OVMF_CODE.fd:"
                                           "/usr/share/OVMF/OVMF_VARS.fd\" ]\n"));
  g_assert_nonnull (strstr (merged, "usb-Logitech_USB_Receiver-if01-event-mouse\"\n]"));
  g_assert_true (strstr (strstr (merged, "Dell_Dell_USB_Entry_Keyboard") + 1,
                         "Dell_Dell_USB_Entry_Keyboard") == NULL);

  empty = pt_qemu_conf_add_device_acl ("", paths, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (empty, "\"/dev/kvm\",\n"));

  g_assert_null (pt_qemu_conf_add_device_acl ("cgroup_device_acl = [ \"/dev/null\"\n", paths,
                                              &error));
  g_assert_error (error, PT_QEMU_CONF_ERROR, PT_QEMU_CONF_ERROR_PARSE);
  g_clear_error (&error);
  g_assert_null (pt_qemu_conf_add_device_acl ("cgroup_device_acl = /dev/null\n", paths,
                                              &error));
  g_assert_error (error, PT_QEMU_CONF_ERROR, PT_QEMU_CONF_ERROR_PARSE);
  g_clear_error (&error);
  g_assert_null (pt_qemu_conf_add_device_acl (debian, (const char * const[]) {
                                                "/dev/input/\"x\"", NULL }, &error));
  g_assert_error (error, PT_QEMU_CONF_ERROR, PT_QEMU_CONF_ERROR_INVALID);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/devices/choices", test_choices);
  g_test_add_func ("/devices/fragments", test_fragments);
  g_test_add_func ("/devices/setup-on-fixture", test_setup_on_fixture);
  g_test_add_func ("/devices/identical-usb", test_identical_usb);
  g_test_add_func ("/devices/controller-with-gpu", test_controller_with_gpu);
  g_test_add_func ("/devices/volume-xml", test_volume_xml);
  g_test_add_func ("/devices/qemu-conf", test_qemu_conf);

  return g_test_run ();
}
