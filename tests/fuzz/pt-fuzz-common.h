/* pt-fuzz-common.h: what the libFuzzer targets share: a checked assertion and quiet logging. */
#pragma once

#include <stdio.h>
#include <stdlib.h>

#include <glib.h>

/* A broken promise is a finding: print it and abort, so that libFuzzer keeps the input. */
#define PT_FUZZ_CHECK(cond, ...)                                       \
  G_STMT_START {                                                       \
    if (!(cond))                                                       \
      {                                                                \
        fprintf (stderr, "%s:%d: check failed: ", __FILE__, __LINE__); \
        fprintf (stderr, __VA_ARGS__);                                 \
        fputc ('\n', stderr);                                          \
        abort ();                                                      \
      }                                                                \
  } G_STMT_END

#define PT_FUZZ_ERR(error) ((error) != NULL ? (error)->message : "no GError set")

/* Drops messages and warnings (garbage input is expected to cause some), and aborts on a
 * critical or an error: those mean the code broke its own contract. */
void pt_fuzz_quiet_logs (void);
