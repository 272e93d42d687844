/* pt-report.h: the JSON report of a host scan, used by --report and diagnostics. */
#pragma once

#include <json-glib/json-glib.h>

#include "pt-host-scan.h"

G_BEGIN_DECLS

JsonNode *pt_report_build     (PtHostScan *scan);
/* Pretty-printed, with a trailing newline. */
char     *pt_report_to_string (PtHostScan *scan);

G_END_DECLS
