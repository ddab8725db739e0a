// reports.mjs — black-box tests of the statistics extensions and the reports (issue 5): the new
// /api/v1/stats keys and the period, `duijie report` as PDF and XLSX from the command line and
// over HTTP for organizers only. The PDF is rendered to PNG pages with pdftoppm and read back with
// pdftotext; the XLSX is opened with python3's zipfile and its figures compared with the API's.
// Starts the real binary on a fresh demo database.
//
//   node tests/blackbox/reports.mjs build/duijie            (or build/asan/duijie)
//
// Prints "ok - name" / "not ok - name: reason" per test, and last "N passed, N failed".
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import {
  test,
  ctx,
  request,
  setCookie,
  csrfFromHtml,
  expectJsonError,
  expectStatus,
  expectLoginRedirect,
  run,
  freePort,
  waitHealthy,
  runSuite,
  signInAs,
} from './lib.mjs';

const BIN = path.resolve(process.argv[2] || 'build/duijie');
const FILTER = process.env.BLACKBOX_FILTER || '';
const SLOW = /asan|sanitize/i.test(BIN) || process.env.BLACKBOX_SLOW === '1';
ctx.timeout = SLOW ? 120000 : 30000;

const DEMO = {
  org: ['organizer@demo.duijie.cn', 'organizer-demo-2026'],
  inst: ['inst@demo.duijie.cn', 'inst-demo-2026'],
};
const S = {};
const T = {};
const EV = 1; // the demo event
const TITLE = '2026年开平市生物医药科技成果对接会';

let tmp;
let dbPath;
let server;
let serverErr = '';

async function signIn(role) {
  const s = await signInAs(...DEMO[role], `report-${role}`);
  S[role] = { cookie: s.cookie, csrf: s.csrf };
  T[role] = s.token;
}

const as = (role, method, p, opts = {}) => request(method, p, { ...opts, bearer: T[role] });
const page = (role, p) => request('GET', p, { cookie: S[role].cookie });

async function setup() {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'duijie-rep-'));
  dbPath = path.join(tmp, 'db');
  const demo = await run(BIN, ['demo', '--db', dbPath], { timeout: 120000 });
  if (demo.code !== 0) throw new Error(`demo failed (${demo.code}): ${demo.stderr}`);
  ctx.port = await freePort();
  server = spawn(BIN, ['serve', '--db', dbPath, '--listen', `127.0.0.1:${ctx.port}`, '--quiet', '--timeout', '30'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout.on('data', () => {});
  server.stderr.on('data', (d) => (serverErr += d));
  await waitHealthy(SLOW ? 60000 : 20000, server);
  for (const role of Object.keys(DEMO)) await signIn(role);
}

async function stopServer() {
  if (!server || server.exitCode !== null) return { code: server ? server.exitCode : null, signal: null };
  const done = new Promise((resolve) => server.on('exit', (code, signal) => resolve({ code, signal })));
  server.kill('SIGTERM');
  const t = setTimeout(() => server.kill('SIGKILL'), SLOW ? 30000 : 10000);
  const r = await done;
  clearTimeout(t);
  return r;
}

// The sheets of an XLSX as {name: [[cell, …], …]} (shared strings resolved, numbers as numbers).
const XLSX_PY = `
import json, re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
ss = []
if 'xl/sharedStrings.xml' in z.namelist():
    for si in re.findall(r'<si>(.*?)</si>', z.read('xl/sharedStrings.xml').decode(), re.S):
        ss.append(''.join(re.findall(r'<t[^>]*>(.*?)</t>', si, re.S)))
wb = z.read('xl/workbook.xml').decode()
names = re.findall(r'<sheet name="([^"]+)"', wb)
out = {'_names': names}
def col(ref):
    n = 0
    for ch in re.match(r'[A-Z]+', ref).group(0):
        n = n * 26 + ord(ch) - 64
    return n - 1
for i, name in enumerate(names):
    xml = z.read('xl/worksheets/sheet%d.xml' % (i + 1)).decode()
    rows = []
    for row in re.findall(r'<row [^>]*>(.*?)</row>', xml, re.S):
        cells = []
        for ref, attrs, body in re.findall(r'<c r="([A-Z]+)\\d+"([^>]*?)(?:/>|>(.*?)</c>)', row, re.S):
            v = re.search(r'<v>(.*?)</v>', body or '')
            while len(cells) < col(ref): cells.append(None)
            if not v: cells.append(None)
            elif 't="s"' in attrs: cells.append(ss[int(v.group(1))])
            else: cells.append(float(v.group(1)))
        rows.append(cells)
    out[name] = rows
print(json.dumps(out, ensure_ascii=False))
`;

async function readXlsx(file) {
  const r = await run('python3', ['-c', XLSX_PY, file]);
  assert.equal(r.code, 0, `python3 zipfile: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

async function pdfText(file) {
  const r = await run('pdftotext', ['-layout', file, '-']);
  assert.equal(r.code, 0, `pdftotext: ${r.stderr}`);
  return r.stdout;
}

async function pdfPages(file) {
  const r = await run('pdfinfo', [file]);
  assert.equal(r.code, 0, `pdfinfo: ${r.stderr}`);
  return Number(r.stdout.match(/Pages:\s+(\d+)/)[1]);
}

// Renders every page to PNG; returns the number of PNG files (each a real PNG of some size).
async function renderPng(file, prefix) {
  const r = await run('pdftoppm', ['-png', '-r', '40', file, prefix]);
  assert.equal(r.code, 0, `pdftoppm: ${r.stderr}`);
  const dir = path.dirname(prefix);
  const pngs = fs.readdirSync(dir).filter((f) => f.startsWith(path.basename(prefix)) && f.endsWith('.png'));
  for (const f of pngs) {
    const b = fs.readFileSync(path.join(dir, f));
    assert.equal(b.subarray(1, 4).toString(), 'PNG', `${f} is a PNG`);
    assert.ok(b.length > 3000, `${f} has content (${b.length} bytes)`);
  }
  return pngs.length;
}

const FUNNEL = ['collected', 'displayed', 'promoted', 'matched', 'meetings_requested', 'meetings_accepted', 'meetings_held', 'intentions', 'contracts', 'contract_amount_wan'];

// The funnel rows of the summary sheet: the ten rows under the header row that starts with 指标/Figure.
function funnelFromSheet(rows) {
  const h = rows.findIndex((r) => r && (r[0] === '指标' || r[0] === 'Figure'));
  assert.ok(h >= 0, 'funnel header row');
  return rows.slice(h + 1, h + 11).map((r) => r[1]);
}

let statsEvent;

// ================================================================ statistics API

test('stats API: the new keys, additive; demo funnel figures', async () => {
  const r = await as('org', 'GET', `/api/v1/stats?event_id=${EV}`);
  expectStatus(r, 200, 'stats');
  const s = r.json;
  statsEvent = s;
  assert.equal(s.event_id, EV);
  for (const k of ['collected', 'displayed', 'promoted', 'matched', 'meetings_requested', 'meetings_accepted', 'meetings_held', 'intentions', 'contracts', 'contract_amount_wan']) {
    assert.ok(k in s.funnel, `funnel.${k}`);
  }
  assert.equal(s.funnel.collected, 110);
  assert.equal(s.funnel.promoted, 6);
  assert.equal(s.funnel.meetings_held, 25);
  assert.equal(s.funnel.intentions, 7);
  assert.equal(s.funnel.contract_amount_wan, '50');
  assert.ok(s.funnel.matched > 0 && s.funnel.matched <= s.funnel.collected, `matched ${s.funnel.matched}`);
  assert.ok(Array.isArray(s.by_field) && Array.isArray(s.by_org_type));
  assert.ok(s.by_region.length > 1);
  for (const row of s.by_region) for (const k of ['key', 'collected', 'displayed', 'promoted', 'intentions', 'contracts', 'amount_wan']) assert.ok(k in row, `by_region.${k}`);
  assert.equal(s.by_region.reduce((a, x) => a + x.collected, 0), 110);
  assert.deepEqual(s.attendance.map((a) => a.category), ['university', 'institute', 'enterprise', 'government', 'other']);
  for (const a of s.attendance) assert.ok(a.checked_in <= a.registered && a.approved <= a.registered);
  // attendance agrees with the event dashboard's counts
  const c = await as('org', 'GET', `/api/v1/events/${EV}/counts`);
  expectStatus(c, 200, 'event counts');
  for (const k of ['registered', 'approved', 'checked_in']) assert.equal(s.attendance.reduce((a, v) => a + v[k], 0), c.json.total[k], `attendance ${k}`);
  for (const it of c.json.items) {
    const a = s.attendance.find((x) => x.category === it.category);
    assert.ok(a, `category ${it.category}`);
    assert.deepEqual([a.registered, a.approved, a.checked_in], [it.registered, it.approved, it.checked_in]);
  }
  assert.ok(s.by_month.length >= 1);
  assert.match(s.by_month[0].month, /^\d{4}-\d{2}$/);
  assert.deepEqual(s.period, { from: null, to: null });
});

test('stats API: a period, validated', async () => {
  const r = await as('org', 'GET', '/api/v1/stats?from=2000-01-01&to=2000-12-31');
  expectStatus(r, 200, 'stats in 2000');
  assert.deepEqual(r.json.period, { from: '2000-01-01', to: '2000-12-31' });
  assert.equal(r.json.funnel.collected, 0);
  assert.equal(r.json.funnel.intentions, 0);
  const all = (await as('org', 'GET', '/api/v1/stats?from=2000-01-01')).json;
  const none = (await as('org', 'GET', '/api/v1/stats')).json;
  assert.equal(all.funnel.collected, none.funnel.collected);
  expectJsonError(await as('org', 'GET', '/api/v1/stats?from=2026-02-30'), 422, 'from');
  expectJsonError(await as('org', 'GET', '/api/v1/stats?from=2026-05-01&to=2026-04-01'), 422, 'to');
  expectJsonError(await as('inst', 'GET', '/api/v1/stats?from=2026-01-01'), 403);
});

// ================================================================ command line

test('CLI: PDF of the demo event has its title, figures and summary, renders to PNG pages', async () => {
  const out = path.join(tmp, 'event.pdf');
  const r = await run(BIN, ['report', '--db', dbPath, '--event', String(EV), '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(fs.readFileSync(out).subarray(0, 5).toString(), '%PDF-');
  const pages = await pdfPages(out);
  assert.ok(pages >= 3 && pages <= 20, `pages ${pages}`);
  assert.equal(await renderPng(out, path.join(tmp, 'event-page')), pages);
  const text = (await pdfText(out)).replace(/[ \t]+/g, ' ');
  const flat = text.replace(/\s+/g, '');
  assert.ok(flat.includes(TITLE), 'title');
  assert.ok(flat.includes('本次对接活动共征集、展示科技成果110项'), 'summary sentence');
  assert.ok(flat.includes('达成初步合作意向7项'), 'intentions in the summary');
  assert.ok(flat.includes('合同金额50万元'), 'amount in the summary');
  assert.ok(flat.includes('路演项目排名') && flat.includes('合作意向清单'), 'ranking and intentions tables');
  assert.match(text, /第 2 页，共 \d+ 页/);
});

test('CLI: English PDF, overall PDF with a period, and usage errors', async () => {
  const en = path.join(tmp, 'event-en.pdf');
  let r = await run(BIN, ['report', '--db', dbPath, '--event', String(EV), '--out', en, '--lang', 'en']);
  assert.equal(r.code, 0, r.stderr);
  const t = (await pdfText(en)).replace(/\s+/g, ' ');
  assert.match(t, /Kaiping Biomedicine Technology Matchmaking Conference 2026/);
  assert.match(t, /collected and displayed 110 technology achievements/);
  assert.match(t, /7 preliminary cooperation intentions were reached/);
  assert.match(t, /Page 2 of \d+/);
  const ov = path.join(tmp, 'overall.pdf');
  r = await run(BIN, ['report', '--db', dbPath, '--overall', '--from', '2020-01-01', '--to', '2030-12-31', '--out', ov]);
  assert.equal(r.code, 0, r.stderr);
  const ot = (await pdfText(ov)).replace(/\s+/g, '');
  assert.ok(ot.includes('2020年1月1日至2030年12月31日，各场对接活动共有'), 'overall summary opens with the period');
  assert.ok(ot.includes('平台累计征集'), 'overall summary');
  assert.equal(await renderPng(ov, path.join(tmp, 'overall-page')), await pdfPages(ov));
  for (const args of [
    ['--event', '1', '--out', path.join(tmp, 'x.txt')],
    ['--event', '1', '--overall', '--out', path.join(tmp, 'x.pdf')],
    ['--out', path.join(tmp, 'x.pdf')],
    ['--event', '1', '--out', path.join(tmp, 'x.pdf'), '--lang', 'fr'],
  ]) {
    r = await run(BIN, ['report', '--db', dbPath, ...args]);
    assert.equal(r.code, 2, `usage error for ${args.join(' ')}: ${r.stderr}`);
  }
  r = await run(BIN, ['report', '--db', dbPath, '--event', '999', '--out', path.join(tmp, 'x.pdf')]);
  assert.equal(r.code, 1, 'unknown event');
  r = await run(BIN, ['report', '--db', dbPath, '--overall', '--from', 'yesterday', '--out', path.join(tmp, 'x.pdf')]);
  assert.equal(r.code, 1, 'bad period');
  assert.match(r.stderr, /from/);
});

test('CLI: XLSX of the demo event: one sheet per table, figures equal to /api/v1/stats', async () => {
  const out = path.join(tmp, 'event.xlsx');
  const r = await run(BIN, ['report', '--db', dbPath, '--event', String(EV), '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  const x = await readXlsx(out);
  assert.deepEqual(x._names, ['概况', '按领域', '按单位类型', '按地区', '参会情况', '按月', '路演排名', '合作意向', '参会名单']);
  const s = statsEvent || (await as('org', 'GET', `/api/v1/stats?event_id=${EV}`)).json;
  const f = funnelFromSheet(x['概况']);
  assert.deepEqual(f, FUNNEL.map((k) => Number(s.funnel[k])));
  const summary = x['概况'].flat().find((v) => typeof v === 'string' && v.includes('本次对接活动共'));
  assert.ok(summary && summary.includes('110项'), 'summary paragraph on the first sheet');
  // by field: the sum of collected equals the funnel
  const bf = x['按领域'].slice(2).filter((row) => row && typeof row[1] === 'number');
  assert.equal(bf.reduce((a, row) => a + row[1], 0), s.funnel.collected);
  assert.equal(bf.length, s.by_field.length);
  const br = x['按地区'].slice(2).filter((row) => row && typeof row[1] === 'number');
  assert.equal(br.length, s.by_region.length);
  assert.equal(br.reduce((a, row) => a + row[4], 0), s.funnel.intentions);
  // attendance: the total row equals the API's sums
  const total = x['参会情况'].find((row) => row && row[0] === '合计');
  assert.deepEqual(total.slice(1, 4), ['registered', 'approved', 'checked_in'].map((k) => s.attendance.reduce((a, v) => a + v[k], 0)));
  // the ranking has the six roadshow projects; the intentions sheet the seven intentions
  assert.equal(x['路演排名'].slice(2).filter((row) => row && typeof row[0] === 'number').length, 6);
  assert.equal(x['合作意向'].slice(2).filter((row) => row && row[0]).length, 7);
  const reg = await as('org', 'GET', `/api/v1/events/${EV}/registrations`);
  if (reg.status === 200) {
    const list = reg.json.registrations || reg.json.items || reg.json;
    if (Array.isArray(list)) assert.equal(x['参会名单'].slice(2).filter((row) => row && row[0]).length, list.length);
  }
});

// ================================================================ HTTP

test('HTTP: organizers download PDF and XLSX with type and file name', async () => {
  const p = await page('org', `/events/${EV}/report.pdf`);
  expectStatus(p, 200, 'pdf');
  assert.equal(p.headers['content-type'], 'application/pdf');
  assert.match(p.headers['content-disposition'], /^attachment; filename="duijie-report-event-1-\d{8}\.pdf"$/);
  assert.equal(p.buf.subarray(0, 5).toString(), '%PDF-');
  const file = path.join(tmp, 'http.pdf');
  fs.writeFileSync(file, p.buf);
  assert.ok((await pdfText(file)).replace(/\s+/g, '').includes(TITLE));
  const x = await as('org', 'GET', `/events/${EV}/report.xlsx?lang=en`);
  expectStatus(x, 200, 'xlsx by token');
  assert.equal(x.headers['content-type'], 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.match(x.headers['content-disposition'], /filename="duijie-report-event-1-\d{8}\.xlsx"/);
  assert.equal(x.buf.subarray(0, 2).toString(), 'PK');
  const xf = path.join(tmp, 'http.xlsx');
  fs.writeFileSync(xf, x.buf);
  const wb = await readXlsx(xf);
  assert.deepEqual(wb._names, ['Summary', 'By field', 'By organization type', 'By region', 'Attendance', 'By month', 'Roadshow ranking', 'Intentions', 'Participants']);
  const s = statsEvent || (await as('org', 'GET', `/api/v1/stats?event_id=${EV}`)).json;
  assert.deepEqual(funnelFromSheet(wb.Summary), FUNNEL.map((k) => Number(s.funnel[k])));
  const ov = await page('org', '/stats/report.xlsx?from=2026-01-01');
  expectStatus(ov, 200, 'overall xlsx');
  assert.match(ov.headers['content-disposition'], /filename="duijie-report-overall-\d{8}\.xlsx"/);
  const op = await page('org', '/stats/report.pdf');
  expectStatus(op, 200, 'overall pdf');
});

test('HTTP: four reports at once (pool threads render in parallel)', async () => {
  const rs = await Promise.all([
    page('org', `/events/${EV}/report.pdf`),
    as('org', 'GET', `/events/${EV}/report.pdf?lang=en`),
    page('org', `/events/${EV}/report.xlsx`),
    as('org', 'GET', '/stats/report.pdf'),
  ]);
  for (const r of rs) expectStatus(r, 200, 'parallel report');
  for (const i of [0, 1, 3]) assert.equal(rs[i].buf.subarray(0, 5).toString(), '%PDF-');
  const file = path.join(tmp, 'parallel-en.pdf');
  fs.writeFileSync(file, rs[1].buf);
  assert.match((await pdfText(file)).replace(/\s+/g, ' '), /collected and displayed 110 technology achievements/);
});

test('HTTP: visitors sign in first, members are refused, bad input answered', async () => {
  for (const p of [`/events/${EV}/report.pdf`, `/events/${EV}/report.xlsx`, '/stats/report.pdf', '/stats/report.xlsx']) {
    expectLoginRedirect(await request('GET', p));
    expectStatus(await page('inst', p), 403, `member ${p}`);
  }
  expectStatus(await page('org', '/events/999/report.pdf'), 404, 'unknown event');
  expectStatus(await page('org', '/stats/report.pdf?from=2026-13-01'), 422, 'bad period');
  expectStatus(await page('org', `/events/${EV}/report.pdf?lang=fr`), 422, 'bad language');
});

test('dashboard: the event dashboard links both reports', async () => {
  const d = await page('org', `/events/${EV}/dashboard`);
  expectStatus(d, 200, 'dashboard');
  assert.match(d.text, new RegExp(`href="/events/${EV}/report.pdf"`));
  assert.match(d.text, new RegExp(`href="/events/${EV}/report.xlsx"`));
});

// ================================================================ main

runSuite({
  setupName: 'demo database, server healthy, organizer and member sessions and tokens',
  setup,
  filter: FILTER,
  stopServer,
  serverErr: () => serverErr,
  cleanup: () => tmp && fs.rmSync(tmp, { recursive: true, force: true }),
});
