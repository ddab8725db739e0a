#!/usr/bin/env bash
# bench/import.sh — spreadsheet import at scale: 100,000 achievements from one XLSX file.
#
# Steps (all with the real binary): bench/gen_synth.mjs writes N synthetic achievement texts
# (English and Chinese, deterministic); they become achievements of 60 organizations spread over
# the taxonomy (JSON Lines, imported into a staging database with `duijie import`); `duijie
# export --format xlsx` writes them as the Excel sheet an organizer would get (the same headers
# the template has); then `duijie import --kind achievements FILE.xlsx` into a database holding
# only the organizations is timed: read and parse the XLSX, map headers and labels, check every
# row with the domain's rules and the exact duplicate check, write all rows in one transaction.
# Files over 20,000 rows skip the near-duplicate search (see `duijie import --help`). The import
# streams: rows go from the reader to the checks and the insert one at a time, so the peak RSS
# (from /usr/bin/time) is about the file plus the report, not the table.
# Prints one table: rows, XLSX size, seconds, rows/s, peak MiB and the ratio to the target (60 s).
# Environment: DUIJIE_BIN (build/duijie), IMPORT_ROWS (100000), IMPORT_KEEP=1 keeps the temp dir.
# Exit status: 0 when the bench ran (whatever the figures), 1 when it could not run.
set -uo pipefail

cd "$(dirname "$0")/.."
BIN=${DUIJIE_BIN:-build/duijie}
ROWS=${IMPORT_ROWS:-100000}
TARGET=60
die() { echo "bench/import: $*" >&2; exit 1; }
[ -x "$BIN" ] || die "$BIN not found: run make first"
command -v node >/dev/null || die "node not installed"

TMP=$(mktemp -d /tmp/duijie-import.XXXXXX)
trap '[ "${IMPORT_KEEP:-0}" = 1 ] && echo "kept $TMP" || rm -rf "$TMP"' EXIT

echo "== import bench: generating $ROWS achievements"
node bench/gen_synth.mjs --docs "$ROWS" --queries 0 --out "$TMP/synth" >/dev/null || die "gen_synth failed"

# 60 organizations (universities, institutes, enterprises) and the achievements as JSON Lines
node - "$TMP" <<'EOF' || die "conversion failed"
const fs = require('fs');
const dir = process.argv[2];
const types = ['university', 'institute', 'enterprise'];
const orgs = [];
for (let i = 0; i < 60; i++) orgs.push({ name: `基准单位${String(i).padStart(2, '0')}`, type: types[i % 3], region: '广东省江门市' });
fs.writeFileSync(`${dir}/orgs.jsonl`, orgs.map((o) => JSON.stringify(o)).join('\n') + '\n');
const fields = ['biomed.drug_rd', 'biomed.device', 'biomed.api', 'biomed.tcm', 'it.ai', 'it.software',
  'equipment.robot', 'materials.polymer', 'energy.battery', 'environment'];
const modes = [['transfer'], ['license'], ['joint', 'license'], ['equity'], ['service', 'transfer']];
const out = fs.openSync(`${dir}/ach.jsonl`, 'w');
const lines = fs.readFileSync(`${dir}/synth/corpus.jsonl`, 'utf8').split('\n');
let i = 0;
for (const line of lines) {
  if (!line) continue;
  const d = JSON.parse(line);
  // the synthetic text may hold control characters, which listings refuse
  d.title = d.title.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, ' ').trim() || `成果${i}`;
  d.text = d.text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, ' ');
  const title = [...d.title].slice(0, 110).join('') + ` #${i}`;
  const chars = [...d.text];
  const a = {
    title,
    summary: chars.slice(0, 200).join(''),
    description: d.text,
    field: fields[i % fields.length],
    trl: 1 + (i % 9),
    transfer_modes: modes[i % modes.length],
    keywords: [`关键词${i % 97}`, `kw${i % 31}`],
    price_wan: i % 4 === 0 ? null : (i % 500) * 10,
    contact_name: '联系人',
    contact_phone: '0750-1234567',
    org: orgs[i % orgs.length].name,
  };
  fs.writeSync(out, JSON.stringify(a) + '\n');
  i++;
}
fs.closeSync(out);
EOF

STAGE="$TMP/stage.db"
DB="$TMP/bench.db"
"$BIN" migrate --db "$STAGE" >/dev/null || die "migrate failed"
"$BIN" import --db "$STAGE" --kind orgs "$TMP/orgs.jsonl" >/dev/null || die "orgs import failed"
echo "== staging: importing the JSON Lines (not timed)"
"$BIN" import --db "$STAGE" --kind achievements "$TMP/ach.jsonl" >/dev/null || die "staging import failed"
"$BIN" export --db "$STAGE" --kind achievements --format xlsx --out "$TMP/ach.xlsx" || die "xlsx export failed"
"$BIN" migrate --db "$DB" >/dev/null || die "migrate failed"
"$BIN" import --db "$DB" --kind orgs "$TMP/orgs.jsonl" >/dev/null || die "orgs import failed"

echo "== timing: duijie import --kind achievements ach.xlsx"
TIME=()
[ -x /usr/bin/time ] && TIME=(/usr/bin/time -f "peak %M KiB" -o "$TMP/time.log")
start=$(date +%s.%N)
"${TIME[@]}" "$BIN" import --db "$DB" --kind achievements "$TMP/ach.xlsx" >"$TMP/import.log" 2>&1
rc=$?
end=$(date +%s.%N)
peak=$(sed -n 's/^peak \([0-9]*\) KiB/\1/p' "$TMP/time.log" 2>/dev/null)
[ $rc -eq 0 ] || { tail -5 "$TMP/import.log"; die "import failed ($rc)"; }
n=$(sqlite3 "$DB" "SELECT COUNT(*) FROM listings WHERE kind = 'achievement'" 2>/dev/null || echo "?")
size=$(du -m "$TMP/ach.xlsx" | cut -f1)
secs=$(echo "$end - $start" | bc -l)
printf '\n%-28s %8s %9s %8s %9s %9s %15s\n' "bench" "rows" "xlsx MiB" "seconds" "rows/s" "peak MiB" "vs 60 s target"
printf '%-28s %8s %9s %8.1f %9.0f %9s %14.2fx %s\n' "import achievements (xlsx)" "$n" "$size" "$secs" \
  "$(echo "$n / $secs" | bc -l)" "${peak:+$((peak / 1024))}" "$(echo "$secs / $TARGET" | bc -l)" \
  "$( [ "$(echo "$secs <= $TARGET" | bc -l)" = 1 ] && echo PASS || echo FAIL)"
exit 0
