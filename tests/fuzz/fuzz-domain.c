/* fuzz-domain.c: libFuzzer target for the domain editor: any bytes as a domain's XML, edited
 * with a guest GPU, pinned vCPUs and hugepages for the 2600X fixture. An edit either fails with
 * an error or gives well-formed XML that a second edit leaves exactly as it is; so does an edit
 * that then takes the GPU and the hugepages away again (a Linux guest, two vCPUs). */

#include <stdint.h>
#include <string.h>

#include <libxml/parser.h>

#include "pt-domain.h"
#include "pt-host-scan.h"
#include "pt-setup.h"

#include "pt-fuzz-common.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static PtHostScan *scan;
static PtSetup *setup;
static PtSetup *plain_setup;
static PtDomainFirmware firmware = { .efi_auto = TRUE, .secure_boot = TRUE,
                                     .tpm_emulator = TRUE };

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(GError) error = NULL;

  pt_fuzz_quiet_logs ();
  scan = pt_host_scan_new_sync (PT_FUZZ_FIXTURE, NULL, &error);
  PT_FUZZ_CHECK (scan != NULL, "cannot scan %s: %s", PT_FUZZ_FIXTURE, PT_FUZZ_ERR (error));

  setup = pt_setup_new ();
  pt_setup_set_gpu (setup, "0000:09:00.0");
  pt_setup_set_vcpus (setup, 4);
  pt_setup_set_memory_mib (setup, 4096);
  pt_setup_set_hugepages (setup, PT_HUGEPAGES_2M);

  plain_setup = pt_setup_new ();
  pt_setup_set_guest (plain_setup, PT_GUEST_LINUX);
  pt_setup_set_vcpus (plain_setup, 2);
  pt_setup_set_memory_mib (plain_setup, 2048);
  return 0;
}

/* @xml, which an edit gave, edited with @with: it must work, give well-formed XML, and a second
 * edit must change nothing. */
static char *
check_stable_edit (const char *xml,
                   PtSetup    *with)
{
  PtDomainOptions options = { .firmware = &firmware };
  g_autoptr(GError) error = NULL;
  g_autofree char *edited = NULL;
  g_autofree char *again = NULL;
  xmlDoc *doc;

  edited = pt_domain_edit_xml (xml, -1, scan, with, &options, NULL, &error);
  PT_FUZZ_CHECK (edited != NULL, "an edited domain cannot be edited again: %s\n%s",
                 PT_FUZZ_ERR (error), xml);

  doc = xmlReadMemory (edited, (int) strlen (edited), NULL, NULL,
                       XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  PT_FUZZ_CHECK (doc != NULL, "the edited domain is not well-formed:\n%s", edited);
  xmlFreeDoc (doc);

  again = pt_domain_edit_xml (edited, -1, scan, with, &options, NULL, &error);
  PT_FUZZ_CHECK (again != NULL, "the edited domain cannot be edited again: %s\n%s",
                 PT_FUZZ_ERR (error), edited);
  PT_FUZZ_CHECK (g_str_equal (again, edited), "a second edit changed it:\n%s\n---\n%s", edited,
                 again);
  return g_steal_pointer (&edited);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  PtDomainOptions options = { .firmware = &firmware };
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *edited = NULL;
  g_autofree char *stable = NULL;
  g_autofree char *name = NULL;

  if (size > 256 * 1024)
    return 0;

  name = pt_domain_get_name ((const char *) data, (gssize) size, &error);
  PT_FUZZ_CHECK ((name == NULL) == (error != NULL), "get_name: result and error disagree");
  g_clear_error (&error);

  edited = pt_domain_edit_xml ((const char *) data, (gssize) size, scan, setup, &options,
                               warnings, &error);
  PT_FUZZ_CHECK ((edited == NULL) == (error != NULL), "edit: result and error disagree");
  if (edited == NULL)
    {
      PT_FUZZ_CHECK (error->message[0] != '\0', "edit: an empty error message");
      return 0;
    }

  /* The edit is its own fixed point, and taking the GPU and hugepages away is one too. */
  stable = check_stable_edit (edited, setup);
  PT_FUZZ_CHECK (g_str_equal (stable, edited), "a second edit changed it:\n%s\n---\n%s", edited,
                 stable);
  g_free (check_stable_edit (stable, plain_setup));
  return 0;
}
