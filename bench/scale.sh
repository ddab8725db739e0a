#!/usr/bin/env bash
# bench/scale.sh — the matching engine at catalog scale: index build time, index memory per
# document and need-length query latency on synthetic catalogs of 10k, 100k and 1M documents.
#
# What it does:
#   1. for each size N in $SIZES generates (or reuses) a synthetic catalog with bench/gen_synth.mjs:
#      N documents, half Chinese achievement-like, half English scifact-like, plus 200 need-length
#      queries (100–300 characters, half Chinese, half English; the same queries at every size),
#      cached in build/bench/synth/N/ (regenerated when gen_synth.mjs, the seed or the data change);
#   2. runs `duijie bench ir` on it from a private copy of the binary (a concurrent `make` cannot
#      change it mid-run): the index build analyzes text on every core and indexes on one; the
#      queries run one at a time, each on one core. SCALE_CPU=N pins the whole run to core N
#      (then the build is single-core too);
#   3. prints ONE table: docs, index s, docs/s, index MiB, index bytes/doc, peak MiB (RSS of the
#      whole process, the loaded JSON corpus included), mean/p50/p99 query ms, the load average
#      before/after the run, the share of its core the run got (CPU/wall), the hypervisor's steal
#      time over the run, and PASS/FAIL against the scale issue's targets:
#        every size: index build >= 20,000 documents/s;
#        1M:         p50 <= 20 ms, p99 <= 100 ms, index memory <= 1 KiB per document (match_index_bytes,
#                    i.e. beyond the stored text, which lives in the caller's JSON objects).
# The whole run is bounded by SCALE_BUDGET seconds (600): before each size the time it would take
# is estimated from the previous size (linearly in N, plus generation when not cached); a size that
# would not fit is skipped and reported as such, and each bench run is killed at the deadline.
# Latencies are wall-clock on whatever else the machine is doing: read them with the load average.
#
# Environment: SIZES ("10000 100000 1000000"), SCALE_BUDGET (600), SCALE_QUERIES (200), SCALE_SEED
# (20240601), SCALE_CPU (unset: not pinned), DATA (../shared/data relative to the repo root, as in CI), DUIJIE_BIN
# (build/duijie), BENCH_KEEP=1 keeps the temp dir (TREC runs, raw outputs).
# Exit status: 0 when the bench ran (whatever the figures), 1 when it could not run.
set -uo pipefail

cd "$(dirname "$0")/.."
SIZES=${SIZES:-10000 100000 1000000}
BUDGET=${SCALE_BUDGET:-600}
NQ=${SCALE_QUERIES:-200}
SEED=${SCALE_SEED:-20240601}
CPU=${SCALE_CPU:-}
BIN=${DUIJIE_BIN:-build/duijie}
export DATA=${DATA:-../shared/data}
CACHE=build/bench/synth

die() { echo "bench scale: $*" >&2; exit 1; }
[ -x "$BIN" ] || die "$BIN not found: run make first"
[ -f "$DATA/scifact/corpus.jsonl" ] && [ -f "$DATA/kuake-qtr/corpus.jsonl" ] ||
    die "no data sets at $DATA (set DATA=...)"
command -v node >/dev/null || die "node not found (make deps)"

START=$(date +%s)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/duijie-scale.XXXXXX") || die "mktemp failed"
cleanup() { [ "${BENCH_KEEP:-0}" = 1 ] && echo "kept $TMP" || rm -rf "$TMP"; }
trap cleanup EXIT
cp "$BIN" "$TMP/duijie" || die "cannot copy $BIN"
PIN=()
TIMEV=()
[ -x /usr/bin/time ] && TIMEV=(/usr/bin/time -f '%U %S' -o "$TMP/cpu")
[ -n "$CPU" ] && command -v taskset >/dev/null && taskset -c "$CPU" true 2>/dev/null && PIN=(taskset -c "$CPU")

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
cpustat() { awk '/^cpu / { t = 0; for (i = 2; i <= 9; i++) t += $i; print t, $9 }' /proc/stat; } # total, steal (jiffies)
elapsed() { echo $(($(date +%s) - START)); }
now() { date +%s.%N; }

echo "== machine"
echo "date:    $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "cpu:     $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'); bench pinned: ${PIN[*]:-not pinned (no taskset)}"
echo "memory:  $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
echo "load:    $(loadavg) (1/5/15 min) at start"
echo "binary:  $BIN, built $(date -u -r "$BIN" '+%H:%M:%S UTC'); tree $(git rev-parse --short HEAD 2>/dev/null)$(git diff --quiet HEAD -- src 2>/dev/null || echo ' + uncommitted changes in src/')"
echo "sizes:   $SIZES; budget ${BUDGET}s; $NQ queries of 100-300 characters per size"

# cache key: generator source, seed, query count and the source data's sizes
KEY=$( { cat bench/gen_synth.mjs; echo "$SEED $NQ"; stat -c '%s %Y' "$DATA/scifact/corpus.jsonl" \
    "$DATA/kuake-qtr/corpus.jsonl" data/demo/achievements*.jsonl data/demo/needs.jsonl; } | cksum | cut -d' ' -f1)

declare -a ROWS NOTES
prev_n=0 prev_s=0 gen_rate=0 verdict=PASS measured_1m=0
for N in $SIZES; do
    dir=$CACHE/$N
    cached=0
    [ -f "$dir/KEY" ] && [ "$(cat "$dir/KEY")" = "$KEY" ] && [ -f "$dir/corpus.jsonl" ] && cached=1
    # estimate: bench time scales ~linearly with N (index) and query time grows with N as well
    left=$((BUDGET - $(elapsed)))
    if [ "$prev_n" -gt 0 ]; then
        est=$(awk -v s="$prev_s" -v p="$prev_n" -v n="$N" -v c="$cached" -v g="$gen_rate" \
            'BEGIN { e = s * n / p; if (!c) e += (g > 0 ? n / g : n / 4000); printf "%d", e }')
        if [ "$est" -gt "$left" ]; then
            NOTES+=("$N docs: skipped, estimated ${est}s (from the $prev_n-doc run$([ $cached = 0 ] && echo ', generation included')) > ${left}s left of the ${BUDGET}s budget")
            continue
        fi
    fi
    if [ $cached = 0 ]; then
        echo "generating $N documents into $dir ..."
        rm -rf "$dir"
        t0=$(now)
        timeout "$left" node bench/gen_synth.mjs --docs "$N" --queries "$NQ" --seed "$SEED" --out "$dir.tmp" ||
            { rm -rf "$dir.tmp"; NOTES+=("$N docs: generation failed or hit the deadline"); continue; }
        mv "$dir.tmp" "$dir" && echo "$KEY" >"$dir/KEY"
        gs=$(echo "$(now) - $t0" | bc)
        gen_rate=$(awk -v n="$N" -v s="$gs" 'BEGIN { printf "%d", n / s }')
        echo "  $(du -m "$dir/corpus.jsonl" | cut -f1) MB in $(printf '%.1f' "$gs") s"
    fi
    left=$((BUDGET - $(elapsed)))
    [ "$left" -gt 5 ] || { NOTES+=("$N docs: no time left in the ${BUDGET}s budget"); continue; }
    l0=$(loadavg)
    echo "running bench ir on $N documents (load $l0) ..."
    t0=$(now)
    rm -f "$TMP/cpu"
    read -r st_t0 st_s0 <<<"$(cpustat)"
    timeout "$left" "${PIN[@]}" "${TIMEV[@]}" "$TMP/duijie" bench ir --corpus "$dir/corpus.jsonl" \
        --queries "$dir/queries.jsonl" --run "$TMP/run.$N.trec" --tag "synth$N" >"$TMP/out.$N" 2>"$TMP/err.$N"
    rc=$?
    bs=$(echo "$(now) - $t0" | bc)
    l1=$(loadavg)
    # share of one core the process got (user+sys CPU / wall): below ~95% the machine was contended
    cpu=$(awk -v w="$bs" '{ printf "%.0f", 100 * ($1 + $2) / w }' "$TMP/cpu" 2>/dev/null)
    # hypervisor steal over the run, all cores (a VM's CPU time can be taken by its neighbours)
    read -r st_t1 st_s1 <<<"$(cpustat)"
    steal=$(awk -v a="$st_t0" -v b="$st_t1" -v x="$st_s0" -v y="$st_s1" 'BEGIN { printf "%.0f", (b > a ? 100 * (y - x) / (b - a) : 0) }')
    if [ $rc != 0 ]; then
        NOTES+=("$N docs: bench ir failed (exit $rc$([ $rc = 124 ] && echo ', killed at the budget deadline')): $(head -c 300 "$TMP/err.$N")")
        continue
    fi
    prev_n=$N
    prev_s=$bs
    row=$(tail -1 "$TMP/out.$N")
    [ "$N" = 1000000 ] && measured_1m=1
    ROWS+=("$(awk -F'\t' -v n="$N" -v l0="${l0%% *}" -v l1="${l1%% *}" -v wall="$bs" -v cpu="${cpu:-?}" -v steal="$steal" '{
        docs = $2; idx = $6; rate = $7; mean = $8; p50 = $9; p99 = $10; peak = $11; imib = $12
        bpd = docs ? imib * 1048576 / docs : 0
        ok_rate = rate >= 20000
        big = (n == 1000000)
        res = ok_rate ? "rate ok" : "rate FAIL"
        if (big) {
            res = res (p50 <= 20 ? ", p50 ok" : ", p50 FAIL") (p99 <= 100 ? ", p99 ok" : ", p99 FAIL") \
                  (bpd <= 1024 ? ", mem ok" : ", mem FAIL")
        }
        printf "%9d %8.1f %8.0f %9.1f %9.0f %8.1f %8.2f %8.2f %8.2f %6s/%-6s %6.0f %5s %5s  %s\n",
               docs, idx, rate, imib, bpd, peak, mean, p50, p99, l0, l1, wall, cpu "%", steal "%", res }' <<<"$row")")
    [[ "${ROWS[-1]}" == *FAIL* ]] && verdict=FAIL
done

echo
echo "== scale: duijie bench ir on synthetic catalogs (half zh, half en), need-length queries, top 100, one core"
printf "%9s %8s %8s %9s %9s %8s %8s %8s %8s %13s %6s %5s %5s  %s\n" docs "index s" "docs/s" "index MiB" \
    "B/doc" "peak MiB" "mean ms" "p50 ms" "p99 ms" "load bef/aft" "wall s" "cpu" "steal" "result"
for r in "${ROWS[@]}"; do echo "$r"; done
for n in "${NOTES[@]}"; do echo "note: $n"; done
echo "targets: build >= 20,000 docs/s at every size; at 1M docs p50 <= 20 ms, p99 <= 100 ms, index <= 1024 B/doc"
echo "(B/doc = match_index_bytes / docs: postings, dictionary, doc table, id map; the stored text is not counted."
echo " peak MiB is the process RSS, which includes the JSON corpus held by the bench; load = 1-min load average on $(nproc) cores;"
echo " cpu = the run's user+sys CPU / wall time: the share of its core it got, < ~95% means the figures are inflated by other load;"
echo " steal = the hypervisor's steal time over the run, all cores: high steal slows the run although cpu stays high)"
[ $measured_1m = 1 ] || { verdict="$verdict (1M-document targets NOT MEASURED)"; }
echo "overall: $verdict; total $(elapsed) s, load $(loadavg) at the end"
exit 0
