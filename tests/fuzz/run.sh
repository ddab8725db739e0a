#!/usr/bin/env bash
# Builds every libFuzzer target tests/fuzz/fuzz_*.c with clang (-fsanitize=fuzzer,address,
# undefined) into build/fuzz and runs each for a bounded number of inputs, starting from its
# seed corpus tests/fuzz/corpus/<target>/ (new inputs go to build/fuzz/corpus/<target>/, never
# into the repository). One result line per target; the last line is "N passed, N failed".
#
# FUZZ_RUNS (default 50000) and FUZZ_MAX_LEN (default 4096) bound each run; FUZZ_SEED (default 1)
# makes a run repeatable (CI starts from the committed seeds, so it explores the same inputs). Without clang or
# its libFuzzer runtime the targets are skipped: "0 passed, 0 failed" with a note.
set -u
cd "$(dirname "$0")/../.."

RUNS=${FUZZ_RUNS:-50000}
MAX_LEN=${FUZZ_MAX_LEN:-4096}
OUT=build/fuzz
CLANG=${CLANG:-clang}
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"

skip() {
  echo "note: $1; fuzz targets skipped"
  echo "0 passed, 0 failed"
  exit 0
}

command -v "$CLANG" >/dev/null 2>&1 || skip "clang not found (make deps installs it)"
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }\n' >"$probe/p.c"
"$CLANG" -fsanitize=fuzzer -o "$probe/p" "$probe/p.c" >/dev/null 2>&1 ||
  skip "clang cannot link libFuzzer (libclang-rt-14-dev missing?)"

# Ask the Makefile for what it knows (objects, link flags) without changing it.
mkvar() {
  make -s --no-print-directory BUILD=$OUT -f Makefile -f - print-var <<<"print-var: ; @echo \$($1)"
}
# The library the targets need: every layer below web/, plus the web parsers they fuzz.
# (domain/ never includes web/, so this subset links on its own.)
objs=()
for o in $(mkvar LIB_OBJ); do
  case $o in
    $OUT/obj/src/web/*) case $o in */template.o | */i18n.o | */request.o | */multipart.o) objs+=("$o") ;; esac ;;
    *) objs+=("$o") ;;
  esac
done
ldlibs=$(mkvar LDLIBS_ALL)

echo "building the library with $CLANG into $OUT"
if ! make -s --no-print-directory -j"$(nproc 2>/dev/null || echo 2)" BUILD=$OUT CC="$CLANG" \
  OPT="-O1 -g -fsanitize=fuzzer-no-link $SAN" EXTRA_CFLAGS="-Wno-error" "${objs[@]}" \
  >"$OUT.build.log" 2>&1; then
  tail -n 20 "$OUT.build.log"
  echo "not ok fuzz-build: the library did not build with $CLANG (see $OUT.build.log)"
  echo "0 passed, 1 failed"
  exit 1
fi

passed=0
failed=0
for src in tests/fuzz/fuzz_*.c; do
  name=$(basename "$src" .c)
  target=${name#fuzz_}
  bin=$OUT/$name
  if ! "$CLANG" -std=c11 -D_GNU_SOURCE -O1 -g -fsanitize=fuzzer $SAN -Isrc \
    $(make -s --no-print-directory -f Makefile -f - print-var <<<'print-var: ; @echo $(CFLAGS_ALL)' |
      tr ' ' '\n' | grep -E '^-I' | tr '\n' ' ') \
    -o "$bin" "$src" "${objs[@]}" $ldlibs >"$bin.build.log" 2>&1; then
    tail -n 20 "$bin.build.log"
    echo "not ok $name: build failed"
    failed=$((failed + 1))
    continue
  fi
  seeds=tests/fuzz/corpus/$target
  work=$OUT/corpus/$target
  mkdir -p "$work" "$seeds"
  dict=()
  [ -f "tests/fuzz/$target.dict" ] && dict=(-dict="tests/fuzz/$target.dict")
  start=$(date +%s)
  if ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$bin" -seed="${FUZZ_SEED:-1}" -runs="$RUNS" -max_len="$MAX_LEN" -timeout=10 -rss_limit_mb=2048 -print_final_stats=0 \
    "${dict[@]}" -artifact_prefix="$OUT/crash-$target-" "$work" "$seeds" >"$bin.log" 2>&1; then
    echo "ok $name ($RUNS runs, $(($(date +%s) - start))s)"
    passed=$((passed + 1))
  else
    grep -E 'ERROR|SUMMARY|runtime error|Test unit written' "$bin.log" | head -n 8
    echo "not ok $name: see $bin.log and $OUT/crash-$target-*"
    failed=$((failed + 1))
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
