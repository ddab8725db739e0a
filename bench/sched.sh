#!/usr/bin/env bash
# bench/sched.sh — the meeting scheduler against a reference MIP (coinor-cbc) in the same run.
#
# For each generated brokerage-like instance (bench/sched/gen.py, deterministic): runs
# `duijie schedule` pinned to one core, re-checks the answer independently (bench/sched/mip.py
# check), solves the weight MIP (time limit MIP_SECONDS) and, at our weight, the gap MIP (time limit
# GAP_SECONDS), and prints ONE table: size, our weight, the MIP's weight (or its proven bound when
# stopped, marked "≤"), ratio, our gaps, the gap MIP's (marked "t/o" when it did not finish), ratio,
# our seconds, PASS/FAIL. The last row is the speed instance (2,000 participants, 20,000 requested
# meetings, 16 slots, 300 tables), without MIP.
# Targets (events issue): weight >= 99.5% of the MIP optimum or bound; gaps <= 110% of the gap
# MIP's where it finishes; speed instance <= 2 s on one core; every answer valid.
# Environment: DUIJIE_BIN (build/duijie), MIP_SECONDS (40), GAP_SECONDS (30), SCHED_KEEP=1 keeps
# the temp dir. Exit status: 0 when the bench ran (whatever the figures), 1 when it could not run.
set -uo pipefail

cd "$(dirname "$0")/.."
BIN=${DUIJIE_BIN:-build/duijie}
MIP_SECS=${MIP_SECONDS:-40}
GAP_SECS=${GAP_SECONDS:-30}
die() { echo "bench/sched: $*" >&2; exit 1; }
[ -x "$BIN" ] || die "$BIN not found: run make first"
command -v cbc >/dev/null || die "cbc not installed (make deps: coinor-cbc)"
command -v python3 >/dev/null || die "python3 not installed"
PIN=
command -v taskset >/dev/null && PIN="taskset -c 0"

TMP=$(mktemp -d /tmp/duijie-sched.XXXXXX)
trap '[ "${SCHED_KEEP:-0}" = 1 ] && echo "kept $TMP" || rm -rf "$TMP"' EXIT

#        participants meetings slots tables seed mip
CASES=("60 200 10 10 2 1"
       "120 400 12 22 4 1"
       "250 1000 16 40 1 1"
       "500 2000 16 80 1 1"
       "2000 20000 16 300 1 0")

ROWS=$TMP/rows.jsonl
for c in "${CASES[@]}"; do
    set -- $c
    name="$1p/$2m/$3s/$4t"
    inst=$TMP/i_$2.json ans=$TMP/a_$2.json
    python3 bench/sched/gen.py "$1" "$2" "$3" "$4" "$5" >"$inst" || die "gen failed"
    if ! $PIN "$BIN" schedule --in "$inst" --out "$ans" >/dev/null; then
        echo "{\"name\": \"$name\", \"error\": \"duijie schedule failed\"}" >>"$ROWS"
        continue
    fi
    ours=$(python3 bench/sched/mip.py check "$inst" "$ans")
    secs=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['stats']['seconds'])" "$ans")
    wmip=null gmip=null
    if [ "$6" = 1 ]; then
        wmip=$(timeout $((MIP_SECS * 2 + 30)) python3 bench/sched/mip.py weight "$inst" "$MIP_SECS" || echo "{\"status\": \"stopped\", \"value\": null, \"bound\": null}")
        w=$(python3 -c "import json,sys; print(json.loads(sys.argv[1]).get('weight', 0))" "$ours")
        gmip=$(timeout $((GAP_SECS * 2 + 30)) python3 bench/sched/mip.py gaps "$inst" "$w" "$GAP_SECS" || echo "{\"status\": \"stopped\", \"value\": null, \"bound\": null}")
    fi
    echo "{\"name\": \"$name\", \"ours\": $ours, \"secs\": $secs, \"wmip\": ${wmip:-null}, \"gmip\": ${gmip:-null}, \"speed\": $([ "$6" = 0 ] && echo true || echo false)}" >>"$ROWS"
done

python3 - "$ROWS" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
hdr = ("instance", "weight", "MIP weight", "ratio", "gaps", "MIP gaps", "ratio", "seconds", "result")
fmt = "%-22s %8s %12s %7s %6s %12s %7s %8s  %s"
print(fmt % hdr)
allok = True
for r in rows:
    if "error" in r:
        print(fmt % (r["name"], "-", "-", "-", "-", "-", "-", "-", "FAIL (" + r["error"] + ")"))
        allok = False
        continue
    o, why = r["ours"], []
    if not o.get("valid"):
        why.append("invalid: " + o.get("error", "?"))
        o = {"weight": 0, "gaps": 0}
    wm, gm = r["wmip"], r["gmip"]
    wcol = wratio = gcol = gratio = "-"
    if wm and wm.get("bound") is not None:
        opt = wm["status"] == "optimal"
        ref = wm["bound"]
        wcol = ("%g" if opt else "<=%g") % ref
        rt = o["weight"] / ref if ref else 1.0
        wratio = "%.4f" % rt
        if rt < 0.995:
            why.append("weight")
    elif wm:
        wcol = "t/o"
    if gm and gm.get("status") == "optimal" and gm.get("value") is not None:
        g = gm["value"]
        gcol = "%g" % g
        gratio = "%.2f" % (o["gaps"] / g) if g else ("1.00" if o["gaps"] == 0 else "inf")
        if o["gaps"] > 1.10 * g + 1e-9:
            why.append("gaps")
    elif gm:
        gcol = "t/o" + (" (%g)" % gm["value"] if gm.get("value") is not None else "")
    if r["speed"] and r["secs"] > 2.0:
        why.append("speed")
    allok &= not why
    print(fmt % (r["name"], "%g" % o["weight"], wcol, wratio, o["gaps"], gcol, gratio,
                 "%.3f" % r["secs"], "PASS" if not why else "FAIL (" + ", ".join(why) + ")"))
print("targets: weight >= 0.995 x MIP (or its bound), gaps <= 1.10 x gap MIP where it finishes "
      "(t/o: not finished in the limit, its incumbent in brackets), speed row <= 2 s on one core, "
      "every answer valid")
print("overall:", "PASS" if allok else "FAIL")
PY
