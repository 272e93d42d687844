/* pt-fuzz-common.c: log handling shared by the libFuzzer targets. */

#include "pt-fuzz-common.h"

static GLogWriterOutput
fuzz_log_writer_cb (GLogLevelFlags   log_level,
                    const GLogField *fields,
                    gsize            n_fields,
                    gpointer         user_data)
{
  if (log_level & (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_ERROR))
    {
      g_log_writer_standard_streams (log_level, fields, n_fields, user_data);
      abort ();
    }
  return G_LOG_WRITER_HANDLED;
}

void
pt_fuzz_quiet_logs (void)
{
  g_log_set_writer_func (fuzz_log_writer_cb, NULL, NULL);
}
