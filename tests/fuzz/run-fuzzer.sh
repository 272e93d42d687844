#!/usr/bin/env bash
# run-fuzzer.sh: one bounded libFuzzer run for the test suite, on a copy of the seed corpus.
#
# usage: run-fuzzer.sh FUZZER CORPUS_DIR ARTIFACT_DIR [LIBFUZZER_ARGS...]
#
# libFuzzer adds what it finds to the corpus it is given; it gets a temp copy, so the sources
# never change. Anything that crashes is kept in ARTIFACT_DIR, which the failure names.
set -euo pipefail

fuzzer=$1
corpus=$2
artifacts=$3
shift 3

work=$(mktemp -d "${TMPDIR:-/tmp}/pt-fuzz-XXXXXX")
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/corpus" "$work/tmp" "$artifacts"
cp -R "$corpus"/. "$work/corpus/"

# The fuzzers' own temp trees go below $work too, so that nothing outlives the run. libFuzzer
# exits with 77 on a crash by default, which meson takes for "skipped": a finding must fail.
status=0
TMPDIR=$work/tmp "$fuzzer" -artifact_prefix="$artifacts/" -error_exitcode=1 -timeout_exitcode=1 \
    "$@" "$work/corpus" || status=$?
if (( status == 77 )); then
    status=1
fi
if (( status != 0 )); then
    printf 'fuzzer failed with status %s; the input that did it is in %s\n' \
        "$status" "$artifacts" >&2
fi
exit "$status"
