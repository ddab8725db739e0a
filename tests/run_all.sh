#!/usr/bin/env bash
# Runs every test layer of duijie. Each layer prints its own results and ends with a line
# "N passed, N failed"; this script adds them up and prints the total as its last line.
# A layer that crashes without such a line counts as one failure.
set -u
cd "$(dirname "$0")/.."

total_pass=0
total_fail=0

layer() {
  local name=$1; shift
  echo "== $name: $*"
  local log
  log=$(mktemp)
  "$@" >"$log" 2>&1
  local rc=$?
  local summary
  summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
  # show failures and the tail of the log, not thousands of ok lines
  grep -E '^(not ok|FAIL|fail)' "$log" | head -n 40
  tail -n 5 "$log"
  if [ -n "$summary" ]; then
    local p f
    p=$(echo "$summary" | sed -E 's/^([0-9]+) passed.*/\1/')
    f=$(echo "$summary" | sed -E 's/.* ([0-9]+) failed.*/\1/')
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    total_pass=$((total_pass + p))
    total_fail=$((total_fail + f))
  else
    echo "$name: no result line (exit $rc)"
    total_fail=$((total_fail + 1))
  fi
  rm -f "$log"
}

layer unit build/unit
layer blackbox node tests/blackbox/run.mjs build/duijie
layer events node tests/blackbox/events.mjs build/duijie
layer roadshow node tests/blackbox/roadshow.mjs build/duijie
layer meetings node tests/blackbox/meetings.mjs build/duijie
layer intentions node tests/blackbox/intentions.mjs build/duijie
layer reports node tests/blackbox/reports.mjs build/duijie
layer browser node tests/browser/run.mjs build/duijie
layer browser-events node tests/browser/events.mjs build/duijie
layer browser-dashboard node tests/browser/dashboard.mjs build/duijie
layer import node tests/blackbox/import.mjs build/duijie
layer security node tests/blackbox/security.mjs build/duijie
layer browser-import node tests/browser/import.mjs build/duijie
layer browser-availability node tests/browser/availability.mjs build/duijie
layer fuzz bash tests/fuzz/run.sh
if [ "${SKIP_ASAN:-0}" != 1 ]; then
  echo "== building with -fsanitize=address,undefined"
  if make -s test-asan >/dev/null 2>&1; then
    export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
    layer asan-unit build/asan/unit
    layer asan-blackbox node tests/blackbox/run.mjs build/asan/duijie
    layer asan-events node tests/blackbox/events.mjs build/asan/duijie
    layer asan-roadshow node tests/blackbox/roadshow.mjs build/asan/duijie
    layer asan-meetings node tests/blackbox/meetings.mjs build/asan/duijie
    layer asan-intentions node tests/blackbox/intentions.mjs build/asan/duijie
    layer asan-reports env LSAN_OPTIONS=suppressions=$PWD/tests/lsan-report.supp:print_suppressions=0 node tests/blackbox/reports.mjs build/asan/duijie
    layer asan-import node tests/blackbox/import.mjs build/asan/duijie
    layer asan-security env LSAN_OPTIONS=suppressions=$PWD/tests/lsan-report.supp:print_suppressions=0 node tests/blackbox/security.mjs build/asan/duijie
  else
    echo "asan build failed"
    total_fail=$((total_fail + 1))
  fi
fi

echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
