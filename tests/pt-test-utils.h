/* pt-test-utils.h: shared helpers for the test programs: fixture paths and JSON comparison. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Absolute path of tests/fixtures/<name> (PT_FIXTURES_DIR, else next to the source file). */
char     *pt_test_fixture_path   (const char *name);
/* Names of the fixture trees: the directories in tests/fixtures that hold a sys/ folder. */
char    **pt_test_fixture_names  (void);
/* Parses a JSON file; aborts the test with a message when it cannot. */
JsonNode *pt_test_load_json      (const char *path);
/* NULL when equal; else a description of the first difference with its JSON path
 * ("$.cpu.cores[3].cpus[1]: expected 9, got 3"). Object key order does not matter. */
char     *pt_test_json_diff      (JsonNode   *expected,
                                  JsonNode   *actual);
/* Runs argv, returns stdout; aborts the test when it cannot be started. */
char     *pt_test_spawn_stdout   (const char * const *argv,
                                  int                *ret_exit_status,
                                  char              **ret_stderr);

/* Small trees for awkward cases: files and symlinks below @root (parents are created). */
void      pt_test_write_file     (const char *root,
                                  const char *path,
                                  const char *contents);
void      pt_test_make_link      (const char *root,
                                  const char *path,
                                  const char *target);
void      pt_test_make_dir       (const char *root,
                                  const char *path);
void      pt_test_remove_tree    (const char *root);
/* A private copy of fixture @name in a new temp dir, to change; pt_test_remove_copy() removes
 * the copy and its temp dir. */
char     *pt_test_copy_fixture   (const char *name);
void      pt_test_remove_copy    (const char *copy);

G_END_DECLS
