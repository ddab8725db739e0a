#!/usr/bin/env bash
# bench/run.sh — `make bench`: the catalog under load, against nginx in the same run.
#
# What it does (all traffic on 127.0.0.1, everything in one temp dir, removed at the end):
#   1. builds a database: `duijie demo`, then `duijie import --kind achievements` of N generated
#      rows (bench/gen_catalog.mjs, deterministic), and reports import time and rate;
#   2. starts `duijie serve --quiet` and nginx (non-root-daemon config, `daemon off`, one worker per
#      core, access_log off) on two free loopback ports;
#   3. for each endpoint fetches the duijie response once and stores it as nginx's static file, so
#      both serve a body of exactly the same size; then runs wrk with the same settings against both
#      and prints ONE table: requests/s, ratio to nginx, target, p99 latency, pass/fail;
#   4. memory run: wrk for MEM_SECONDS against a mix of list, API and detail requests while sampling
#      the server's VmRSS every 5 s; prints first/last/max and the growth after warm-up.
# Targets (foundation issue): list page and API list >= 30% of nginx's requests/s, detail page
# >= 50%, duijie p99 < 20 ms, RSS growth after warm-up < 10%.
#
# Environment: DUIJIE_BIN (default build/duijie), BENCH_N (100000), BENCH_SECONDS (10 per wrk run),
# BENCH_THREADS / BENCH_CONNS (wrk -t / -c: 2 / 32), MEM_SECONDS (60), BENCH_KEEP=1 keeps the temp dir.
# Exit status: 0 when the bench ran (whatever the figures), 1 when it could not run.
set -uo pipefail

cd "$(dirname "$0")/.."
BIN=${DUIJIE_BIN:-build/duijie}
N=${BENCH_N:-100000}
SECS=${BENCH_SECONDS:-10}
WT=${BENCH_THREADS:-2}
WC=${BENCH_CONNS:-32}
MEM_SECS=${MEM_SECONDS:-60}
WARM_SECS=2
DEADLINE=${BENCH_DEADLINE:-330} # seconds: the whole bench is stopped after this (+ one wrk run)

die() { echo "bench: $*" >&2; exit 1; }
[ -x "$BIN" ] || die "$BIN not found: run make first"
for c in node wrk nginx curl sqlite3; do command -v "$c" >/dev/null || die "$c not installed (make deps)"; done

TMP=$(mktemp -d /tmp/duijie-bench.XXXXXX)
chmod 755 "$TMP" # nginx workers drop to an unprivileged user when started as root
SRV_PID= NGX_PID= WATCH_PID=
cleanup() {
    trap - EXIT INT TERM
    {
        [ -n "$WATCH_PID" ] && kill "$WATCH_PID" # the watchdog ends its own sleep (its trap)
        [ -n "$SRV_PID" ] && kill "$SRV_PID"
        [ -n "$NGX_PID" ] && kill "$NGX_PID"
        # wrk runs in the foreground or under `timeout`; any child left is ended by its id
        for p in $(jobs -p); do kill "$p"; done
        wait
    } 2>/dev/null
    [ "${BENCH_KEEP:-0}" = 1 ] && echo "kept $TMP" || rm -rf "$TMP"
}
trap cleanup EXIT
trap 'echo "bench: interrupted" >&2; exit 1' INT TERM
(
    trap 'kill $sp 2>/dev/null; exit 0' TERM
    sleep "$DEADLINE" &
    sp=$!
    wait $sp
    echo "bench: deadline of ${DEADLINE}s reached, stopping" >&2
    kill -TERM $$
) &
WATCH_PID=$!

now() { date +%s.%N; }
secs_since() { awk -v a="$(now)" -v b="$1" 'BEGIN { printf "%.1f", a - b }'; }
free_port() {
    node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}
wait_http() { # URL [SECONDS]: waits (default 10 s) for any HTTP answer
    for _ in $(seq $((${2:-10} * 10))); do curl -s -o /dev/null "$1" && return 0; sleep 0.1; done
    return 1
}

echo "== machine"
echo "date:    $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "cpu:     $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "memory:  $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
echo "kernel:  $(uname -sr)"
echo "tools:   $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2), $(nginx -v 2>&1 | sed 's/.*: //'), sqlite $(sqlite3 -version | cut -d' ' -f1), node $(node --version)"
echo "wrk:     -t$WT -c$WC -d${SECS}s --latency (after a ${WARM_SECS}s warm-up), same for both servers"

# --- 1. database ----------------------------------------------------------------------------------
echo
echo "== database"
DB=$TMP/bench.db
"$BIN" demo --db "$DB" >/dev/null || die "duijie demo failed"
t0=$(now)
node bench/gen_catalog.mjs "$N" >"$TMP/achievements.jsonl" || die "gen_catalog failed"
t1=$(now)
"$BIN" import --kind achievements "$TMP/achievements.jsonl" --db "$DB" >/dev/null || die "import failed"
t2=$(now)
awk -v n="$N" -v g="$(awk -v a="$t1" -v b="$t0" 'BEGIN { print a - b }')" \
    -v i="$(awk -v a="$t2" -v b="$t1" 'BEGIN { print a - b }')" \
    -v mb="$(du -m "$TMP/achievements.jsonl" | cut -f1)" 'BEGIN {
    printf "generated %d achievements (%d MB JSONL) in %.1f s\n", n, mb, g
    printf "imported  %d achievements in %.1f s: %.0f rows/s\n", n, i, n / i }'
rm -f "$TMP/achievements.jsonl"
echo "database: $(du -m "$DB" | cut -f1) MB, $(sqlite3 "$DB" "SELECT COUNT(*) FROM listings WHERE kind='achievement' AND status='published'") published achievements"

# --- 2. servers -----------------------------------------------------------------------------------
DPORT=$(free_port)
t0=$(now)
"$BIN" serve --db "$DB" --listen "127.0.0.1:$DPORT" --quiet >"$TMP/serve.log" 2>&1 &
SRV_PID=$!
D=http://127.0.0.1:$DPORT
# serve builds its search index from the database before it answers
wait_http "$D/healthz" 180 || die "duijie serve did not start: $(cat "$TMP/serve.log")"
echo "server:   ready in $(secs_since "$t0") s, RSS $(($(awk '/VmRSS/ {print $2}' "/proc/$SRV_PID/status") / 1024)) MB"

NPORT=$(free_port)
mkdir -p "$TMP/nginx/www" "$TMP/nginx/logs"
chmod -R 755 "$TMP/nginx"
cat >"$TMP/nginx/nginx.conf" <<NGX
worker_processes $(nproc);
daemon off;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
    types { text/html html; application/json json; }
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    client_body_temp_path $TMP/nginx/client_body;
    proxy_temp_path $TMP/nginx/proxy;
    fastcgi_temp_path $TMP/nginx/fastcgi;
    uwsgi_temp_path $TMP/nginx/uwsgi;
    scgi_temp_path $TMP/nginx/scgi;
    server {
        listen 127.0.0.1:$NPORT;
        root $TMP/nginx/www;
    }
}
NGX
nginx -c "$TMP/nginx/nginx.conf" -p "$TMP/nginx/" 2>"$TMP/nginx/logs/start.log" &
NGX_PID=$!
NG=http://127.0.0.1:$NPORT

# --- 3. endpoints ---------------------------------------------------------------------------------
LIST_Q='field=biomed&stage=3&mode=license'
DETAIL_ID=$(sqlite3 "$DB" "SELECT id FROM listings WHERE kind='achievement' AND status='published' ORDER BY id LIMIT 1 OFFSET $((N / 2))")
matches=$(curl -s "$D/api/v1/achievements?$LIST_Q&per_page=1" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).total))')
echo
echo "== endpoints"
echo "list filter $LIST_Q matches $matches published achievements (page of 20)"
[ "${matches:-0}" -ge 20 ] || die "the list filter matches fewer than 20 rows"

NAMES=(list api detail)
PATHS=("/achievements?$LIST_Q" "/api/v1/achievements?field=biomed&per_page=20" "/achievements/$DETAIL_ID")
LABELS=("list page  GET /achievements?$LIST_Q" "API list   GET /api/v1/achievements?field=biomed&per_page=20" "detail     GET /achievements/$DETAIL_ID")
TARGETS=(0.30 0.30 0.50)
EXTS=(html json html)
for i in 0 1 2; do
    f="$TMP/nginx/www/${NAMES[$i]}.${EXTS[$i]}"
    code=$(curl -s -o "$f" -w '%{http_code}' "$D${PATHS[$i]}")
    [ "$code" = 200 ] || die "GET ${PATHS[$i]} answered $code"
    chmod 644 "$f"
    echo "${LABELS[$i]}: $(stat -c %s "$f") bytes"
done
wait_http "$NG/list.html" || die "nginx did not start: $(cat "$TMP/nginx/logs/"*.log)"
[ "$(curl -s "$NG/list.html" | wc -c)" = "$(stat -c %s "$TMP/nginx/www/list.html")" ] || die "nginx serves a different size"

# runs wrk against URL; prints "REQS P99MS ERRORS"
run_wrk() {
    timeout $((WARM_SECS + 10)) wrk -t"$WT" -c"$WC" -d"${WARM_SECS}s" "$1" >/dev/null 2>&1
    timeout $((SECS + 15)) wrk -t"$WT" -c"$WC" -d"${SECS}s" --latency "$1" 2>&1 | awk '
        /^Requests\/sec:/ { rps = $2 }
        /^ +99%/ { v = $2; if (v ~ /us$/) p = v / 1000; else if (v ~ /ms$/) p = v + 0;
                   else if (v ~ /m$/) p = v * 60000; else p = v * 1000 }
        /Non-2xx|Socket errors/ { err = err $0 " " }
        END { printf "%s %.2f %s\n", rps ? rps : 0, p, err ? "errors" : "-" }'
}

declare -a ROWS
overall=PASS
for i in 0 1 2; do
    read -r drps dp99 derr <<<"$(run_wrk "$D${PATHS[$i]}")"
    read -r nrps np99 nerr <<<"$(run_wrk "$NG/${NAMES[$i]}.${EXTS[$i]}")"
    ROWS[$i]=$(awk -v n="${NAMES[$i]}" -v d="$drps" -v g="$nrps" -v t="${TARGETS[$i]}" \
        -v dp="$dp99" -v np="$np99" -v de="$derr" 'BEGIN {
        r = g > 0 ? d / g : 0
        ok = (r >= t && dp < 20 && de == "-") ? "pass" : "FAIL"
        printf "%-8s %12.0f %12.0f %8.1f%% %8s %12.2f %12.2f   %s%s\n", n, d, g, 100 * r,
               ">=" 100 * t "%", dp, np, ok, de == "-" ? "" : " (wrk saw errors)" }')
    [[ "${ROWS[$i]}" == *FAIL* ]] && overall=FAIL
done
echo
echo "== requests/s vs nginx (same body size, wrk -t$WT -c$WC -d${SECS}s, 127.0.0.1)"
printf "%-8s %12s %12s %9s %8s %12s %12s   %s\n" endpoint "duijie req/s" "nginx req/s" ratio target \
    "duijie p99ms" "nginx p99ms" "result"
for i in 0 1 2; do echo "${ROWS[$i]}"; done
echo "(p99 target: duijie < 20 ms)"

# --- 4. memory ------------------------------------------------------------------------------------
echo
echo "== memory: ${MEM_SECS}s of mixed traffic (list pages with varied filters and pages, API, detail pages)"
# The mix is a wrk Lua script: every request picks one of 3 kinds and varies its parameters, so
# many distinct pages and rows are touched (a stable RSS is not an artefact of one cached page).
# the imported rows are the last N ids, all published achievements
GEN_HI=$(sqlite3 "$DB" "SELECT MAX(id) FROM listings")
GEN_LO=$((GEN_HI - N + 1))
[ "$(sqlite3 "$DB" "SELECT COUNT(*) FROM listings WHERE id >= $GEN_LO AND kind = 'achievement' AND status = 'published'")" = "$N" ] ||
    die "imported rows are not ids $GEN_LO..$GEN_HI"
cat >"$TMP/mix.lua" <<LUA
local fields = {"biomed", "biomed.drug_rd", "biomed.api", "biomed.tcm", "biomed.ivd", "biomed.device"}
local modes = {"", "license", "transfer", "joint", "equity", "service"}
local stages = {"", "1", "2", "3", "4"}
local lo, hi = $((GEN_LO)), $((GEN_HI))
local n = 0
math.randomseed(42)
request = function()
    n = n + 1
    local k = n % 3
    local path
    if k == 0 then
        path = "/achievements?field=" .. fields[math.random(#fields)] .. "&stage=" .. stages[math.random(#stages)]
            .. "&mode=" .. modes[math.random(#modes)] .. "&page=" .. math.random(1, 5)
    elseif k == 1 then
        path = "/api/v1/achievements?field=" .. fields[math.random(#fields)] .. "&per_page=20&page="
            .. math.random(1, 20)
    else
        path = "/achievements/" .. math.random(lo, hi)
    end
    return wrk.format("GET", path)
end
LUA
rss() { awk '/VmRSS/ {print $2}' "/proc/$SRV_PID/status"; }
rss0=$(rss)
timeout $((MEM_SECS + 15)) wrk -t"$WT" -c"$WC" -d"${MEM_SECS}s" --latency -s "$TMP/mix.lua" "$D" >"$TMP/mem.wrk" 2>&1 &
MWRK=$!
samples=()
for ((t = 5; t <= MEM_SECS; t += 5)); do
    sleep 5
    samples+=("$t:$(rss)")
done
wait "$MWRK"
echo "RSS before load: $((rss0 / 1024)) MB; samples every 5 s (MB):"
printf '  %s\n' "$(for s in "${samples[@]}"; do printf '%ss=%s ' "${s%%:*}" "$((${s#*:} / 1024))"; done)"
printf '%s\n' "${samples[@]}" | awk -F: '
    { t[NR] = $1; v[NR] = $2; if ($2 > max) max = $2 }
    $1 == 10 { base = $2 }   # warm-up: the first 10 s
    $1 > 10 && $2 > after { after = $2 }
    END {
        if (!base) base = v[1]
        printf "first %.1f MB, last %.1f MB, max %.1f MB; ", v[1] / 1024, v[NR] / 1024, max / 1024
        if (!after) { print "growth after warm-up: n/a (run shorter than 15 s)"; exit }
        g = (after - base) / base
        printf "growth after warm-up (max after 10 s vs 10 s): %+.1f%% -> %s\n", 100 * g,
               g < 0.10 ? "pass (< 10%)" : "FAIL (>= 10%)" }'
awk '/^Requests\/sec:/ { rps = $2 } /^ +99%/ { p99 = $2 } /Non-2xx|Socket errors/ { err = err "; " $0 }
     END { printf "mixed traffic: %s requests/s, p99 %s%s\n", rps, p99, err ? err : ", no errors" }' "$TMP/mem.wrk"
echo
echo "overall (throughput and latency targets): $overall"
