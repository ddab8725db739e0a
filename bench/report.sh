#!/usr/bin/env bash
# bench/report.sh — the time of `duijie report` (PDF and XLSX) for an event of 2,000 participants.
#
# Builds the demo database with the binary (`duijie demo`), then grows the demo event in a copy
# with python3's sqlite3 (deterministic, seed 5): 2,000 registrations in all (90% approved, 5%
# pending, 5% rejected; 70% of the approved checked in), 1,000 more published achievements brought
# by the institution participants, 3,000 meeting requests (60% accepted) and 400 intentions (a
# fifth signed, with amounts). Then times the event report as PDF and as XLSX (best of 3 runs
# each) and prints seconds and the ratio to the target.
# Target (issue 5): an event report for 2,000 participants in <= 5 s.
# Environment: DUIJIE_BIN (build/duijie), REPORT_KEEP=1 keeps the temp dir.
# Exit status: 0 when the bench ran (whatever the figures), 1 when it could not run.
set -uo pipefail

cd "$(dirname "$0")/.."
BIN=${DUIJIE_BIN:-build/duijie}
die() { echo "bench/report: $*" >&2; exit 1; }
[ -x "$BIN" ] || die "$BIN not found: run make first"
command -v python3 >/dev/null || die "python3 not installed"

TMP=$(mktemp -d /tmp/duijie-report.XXXXXX)
trap '[ "${REPORT_KEEP:-0}" = 1 ] && echo "kept $TMP" || rm -rf "$TMP"' EXIT
DB=$TMP/bench.db
"$BIN" demo --db "$DB" >/dev/null 2>&1 || die "duijie demo failed"

python3 - "$DB" <<'PY' || die "could not grow the demo event"
import random, sqlite3, sys
random.seed(5)
db = sqlite3.connect(sys.argv[1])
db.execute("PRAGMA foreign_keys = ON")
ev = 1
now = "2026-11-20T02:00:00Z"
orgs = db.execute("SELECT id, type FROM orgs").fetchall()
inst_orgs = [o for o, t in orgs if t in ("university", "institute")] or [orgs[0][0]]
cats = ["university", "institute", "enterprise", "government", "other"]
have = db.execute("SELECT COUNT(*) FROM registrations WHERE event_id = ?", (ev,)).fetchone()[0]
for i in range(have, 2000):
    cat = cats[i % 5]
    r = random.random()
    status = "approved" if r < 0.90 else "pending" if r < 0.95 else "rejected"
    checked = now if status == "approved" and random.random() < 0.7 else None
    org = random.choice(orgs)[0]
    db.execute(
        "INSERT INTO registrations (event_id, org_id, name, org_name, category, brings, phone, "
        "email, status, token, checked_in_at, created_at, updated_at) VALUES "
        "(?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?)",
        (ev, org, "参会者%04d" % i, "单位%04d" % (i % 700), cat,
         "achievements" if cat in ("university", "institute") else "needs",
         "p%04d@bench.example.cn" % i, status, "%032x" % random.getrandbits(128), checked, now, now))
cols = [c[1] for c in db.execute("PRAGMA table_info(listings)") if c[1] != "id"]
src = [r[0] for r in db.execute(
    "SELECT id FROM listings WHERE kind = 'achievement' AND status = 'published'")]
regs = [r[0] for r in db.execute(
    "SELECT id FROM registrations WHERE event_id = ? AND category IN ('university','institute') "
    "AND status <> 'rejected'", (ev,))]
sel = ", ".join("title || ' (%d)'" if c == "title" else "?" if c == "org_id" else c for c in cols)
for i in range(1000):
    cur = db.execute(
        "INSERT INTO listings (%s) SELECT %s FROM listings WHERE id = ?" % (
            ", ".join(cols), sel.replace("%d", str(i))),
        (random.choice(inst_orgs), random.choice(src)))
    db.execute("INSERT OR IGNORE INTO registration_listings VALUES (?, ?)",
               (random.choice(regs), cur.lastrowid))
approved = [r[0] for r in db.execute(
    "SELECT id FROM registrations WHERE event_id = ? AND status = 'approved'", (ev,))]
for i in range(3000):
    a, b = random.sample(approved, 2)
    st = "accepted" if random.random() < 0.6 else random.choice(["requested", "declined", "expired"])
    db.execute(
        "INSERT INTO meetings (event_id, requester_id, invitee_id, message, status, expires_at, "
        "created_at, updated_at) VALUES (?, ?, ?, '', ?, ?, ?, ?)", (ev, a, b, st, now, now, now))
achs = [r[0] for r in db.execute(
    "SELECT rl.listing_id FROM registration_listings rl JOIN registrations r ON r.id = "
    "rl.registration_id JOIN listings l ON l.id = rl.listing_id WHERE r.event_id = ? AND "
    "l.kind = 'achievement'", (ev,))]
ents = [o for o, t in orgs if t == "enterprise"] or [orgs[0][0]]
for i in range(400):
    signed = random.random() < 0.2
    db.execute(
        "INSERT INTO intentions (title, source, event_id, achievement_id, org_a_id, org_b_id, "
        "stage, contract_type, amount_centi, signed_on, created_at, updated_at) VALUES "
        "(?, 'manual', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        ("合作意向%03d" % i, ev, random.choice(achs), random.choice(inst_orgs), random.choice(ents),
         "signed" if signed else random.choice(["preliminary", "negotiating", "terminated"]),
         "license" if signed else None, random.randint(5, 500) * 100 if signed else None,
         "2026-11-25" if signed else None, now, now))
db.commit()
PY

best() { # best wall-clock seconds of 3 runs of "$@"
    local b=""
    for _ in 1 2 3; do
        local t0 t1
        t0=$(date +%s.%N)
        "$@" >/dev/null 2>&1 || { echo "fail"; return; }
        t1=$(date +%s.%N)
        b=$(python3 -c "import sys; t=float(sys.argv[2])-float(sys.argv[1]); b=sys.argv[3]; print('%.3f' % (t if not b or t < float(b) else float(b)))" "$t0" "$t1" "$b")
    done
    echo "$b"
}

N=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT COUNT(*) FROM registrations WHERE event_id = 1').fetchone()[0])" "$DB")
PDF=$(best "$BIN" report --db "$DB" --event 1 --out "$TMP/r.pdf")
XLSX=$(best "$BIN" report --db "$DB" --event 1 --out "$TMP/r.xlsx")
PAGES=$(command -v pdfinfo >/dev/null && pdfinfo "$TMP/r.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
echo
echo "== reports: event report, $N participants (target <= 5 s)"
printf "%-8s %10s %8s %8s  %s\n" format seconds target ratio note
for row in "pdf $PDF ${PAGES:-?} pages" "xlsx $XLSX $(stat -c %s "$TMP/r.xlsx" 2>/dev/null || echo ?) bytes"; do
    set -- $row
    if [ "$2" = fail ]; then
        printf "%-8s %10s %8s %8s  %s\n" "$1" FAIL 5 - "report failed"
    else
        printf "%-8s %10s %8s %8s  %s\n" "$1" "$2" 5 "$(python3 -c "print('%.3f' % ($2 / 5))")" "$3 $4"
    fi
done
