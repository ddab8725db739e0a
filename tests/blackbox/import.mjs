// import.mjs — black-box tests of spreadsheet import and export (issue 5, items 5 and 6) with the
// real binary: CLI import of good, bad, GB18030, XLSX and JSON files, the dry run listing every
// bad row, all-or-nothing, duplicate flags, templates, and the round trip demo database → export
// every kind → empty database → import → export again → the same data; then the organizer's
// /import page (upload, preview, confirm), the API (/api/v1/import, /api/v1/export/KIND), roles,
// CSRF and size limits over HTTP.
//
//   node tests/blackbox/import.mjs build/duijie            (or build/asan/duijie)
//   BLACKBOX_FILTER=round node tests/blackbox/import.mjs build/duijie
//
// Prints "ok - name" / "not ok - name: reason" per test, and last "N passed, N failed".
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, execFileSync } from 'node:child_process';
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
} from './lib.mjs';

const BIN = path.resolve(process.argv[2] || 'build/duijie');
const FILTER = process.env.BLACKBOX_FILTER || '';
const SLOW = /asan|sanitize/i.test(BIN) || process.env.BLACKBOX_SLOW === '1';
ctx.timeout = SLOW ? 60000 : 20000;

const DEMO = {
  org: ['organizer@demo.duijie.cn', 'organizer-demo-2026'],
  inst: ['inst@demo.duijie.cn', 'inst-demo-2026'],
};
const EV = 1; // the demo event
const S = {};
const T = {};
let tmp;
let dbPath;
let server;
let serverErr = '';

const f = (name) => path.join(tmp, name);
const cli = (args, opts) => run(BIN, args, { timeout: SLOW ? 300000 : 120000, ...opts });

async function signIn(role) {
  const [email, pw] = DEMO[role];
  const g = await request('GET', '/login');
  const pre = setCookie(g, 'dj_pre').value;
  const res = await request('POST', '/login', { cookie: `dj_pre=${pre}`, form: { _csrf: pre, email, password: pw, next: '/' } });
  expectStatus(res, 303, `login ${email}`);
  const cookie = `dj_sid=${setCookie(res, 'dj_sid').value}`;
  const acc = await request('GET', '/account', { cookie });
  const csrf = csrfFromHtml(acc.text);
  const tok = await request('POST', '/api/v1/tokens', { cookie, csrf, json: { name: `import-${role}` } });
  expectStatus(tok, 201, `token for ${role}`);
  S[role] = { cookie, csrf };
  T[role] = tok.json.token;
}

/* A multipart/form-data body: fields {name: value} plus one file. */
function multipart(fields, file) {
  const boundary = `----duijie${Math.random().toString(16).slice(2)}`;
  const parts = [];
  for (const [k, v] of Object.entries(fields))
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file)
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
      file.data,
      Buffer.from('\r\n'),
    );
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), ctype: `multipart/form-data; boundary=${boundary}` };
}

function upload(pathname, fields, file, opts = {}) {
  const m = multipart(fields, file);
  return request('POST', pathname, { ...opts, body: m.body, headers: { 'Content-Type': m.ctype, ...(opts.headers || {}) } });
}

/* CSV text without its first column (the ids differ between databases). */
const dropIds = (csv) =>
  csv
    .toString('utf8')
    .split('\r\n')
    .map((l) => l.replace(/^[^,]*,/, ''))
    .join('\n');

const GOOD_CSV =
  '成果名称,所属单位,技术领域,成熟度,简介,详细介绍,转化方式,价格(万元),备注\n' +
  '导入测试：便携式超声成像仪,南粤医科大学,生物医药/医疗器械,TRL 6,掌上超声,基于 MEMS 的便携式超声成像,转让、许可,50万元,同事的备注\n' +
  '"导入测试：带,逗号的标题",南粤医科大学,药物研发,中试,简介,"多行\n描述",许可,面议,\n';
const BAD_CSV =
  'title,organization,field,TRL,summary,description,transfer_modes\n' +
  '导入坏文件：好的一行,南粤医科大学,biomed.device,5,s,d,license\n' +
  '导入坏文件：成熟度错,南粤医科大学,biomed.device,12,s,d,license\n' +
  '导入坏文件：好的二,南粤医科大学,biomed.device,5,s,d,license\n' +
  '导入坏文件：单位不存在,不存在的大学,biomed.device,5,s,d,license\n';

const INT_EXTRA_CSV =
  'title,source,stage,event,achievement,org_a,org_b,contract_type,amount_wan,signed_on,terminate_reason,note\n' +
  '往返测试：签约后终止,meeting,terminated,2026年开平市生物医药科技成果对接会,原料药中亚硝胺类基因毒性杂质的控制与检测技术,' +
  '侨乡科技大学,台山海澜生物科技有限公司,transfer,12.5,2026-11-21,资金未到位,\n' +
  '往返测试：已完成,manual,已完成,,,南粤医科大学,,技术服务,8万元,2026年10月1日,,"备注, with a comma"\n';

/* Every row of kind as JSON, through a file (stdout chunks may split a character). */
let nexport = 0;
async function exportJson(db, kind) {
  const out = f(`export-${nexport++}.json`);
  const r = await cli(['export', '--db', db, '--kind', kind, '--format', 'json', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(fs.readFileSync(out, 'utf8'));
}
async function countTitles(db, kind, needle) {
  return (await exportJson(db, kind)).filter((x) => (x.title || x.name || '').includes(needle)).length;
}

// ================================================================ setup

async function setup() {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'duijie-im-'));
  dbPath = f('db');
  const demo = await cli(['demo', '--db', dbPath]);
  if (demo.code !== 0) throw new Error(`demo failed (${demo.code}): ${demo.stderr}`);
  ctx.port = await freePort();
  server = spawn(BIN, ['serve', '--db', dbPath, '--listen', `127.0.0.1:${ctx.port}`, '--quiet', '--timeout', '10'], {
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

// ================================================================ CLI

test('cli: templates per kind (XLSX with notes, CSV header), usage errors exit 2', async () => {
  for (const kind of ['achievements', 'needs', 'orgs', 'events', 'participants', 'intentions']) {
    const x = f(`tpl-${kind}.xlsx`);
    const r = await cli(['import', '--db', f('tpl.db'), '--template', kind, '--out', x]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(fs.readFileSync(x).subarray(0, 2).toString(), 'PK');
    const c = await cli(['import', '--db', f('tpl.db'), '--template', kind, '--format', 'csv']);
    assert.equal(c.code, 0, c.stderr);
    assert.ok(c.stdout.startsWith('\ufeff'), 'CSV template has a BOM');
  }
  const c = await cli(['import', '--db', f('tpl.db'), '--template', 'achievements', '--format', 'csv']);
  assert.match(c.stdout, /成果名称\(title\),所属单位\(organization\),技术领域\(field\),成熟度\(trl\)/);
  assert.equal((await cli(['import', '--template', 'widgets'])).code, 2);
  assert.equal((await cli(['import', '--db', dbPath, '--kind', 'widgets', 'x.csv'])).code, 2);
  assert.equal((await cli(['import', '--db', dbPath, '--kind', 'participants', 'x.csv'])).code, 2);
  assert.equal((await cli(['export', '--db', dbPath, '--kind', 'needs', '--format', 'pdf'])).code, 2);
  assert.equal((await cli(['export', '--db', dbPath, '--kind', 'participants'])).code, 2);
  const h = await cli(['import', '--help']);
  assert.equal(h.code, 0);
  assert.match(h.stdout, /--dry-run/);
  assert.match(h.stdout, /GB18030/);
});

test('cli: round trip — demo → export every kind → empty database → import → export again is the same', async () => {
  // cells that Excel or WPS would run as formulas (OWASP CSV injection) travel as text
  const inj = [
    { title: '=HYPERLINK("http://evil.example","点我") 公式注入测试', org: '南粤医科大学', field: 'biomed.device', trl: 5,
      summary: '+1 以加号开头的简介', description: '@以 at 开头的描述', transfer_modes: ['license'],
      contact_phone: '+86 750 1234567', status: 'published' },
    { title: '-5℃ storage 疫苗冷链保存', org: '南粤医科大学', field: 'biomed.device', trl: 6,
      summary: '-5℃ 以下保存', description: "'=本来就以撇号开头", transfer_modes: ['transfer'], status: 'published' },
  ];
  fs.writeFileSync(f('inj.json'), JSON.stringify(inj));
  const ij = await cli(['import', '--db', dbPath, '--kind', 'achievements', f('inj.json')]);
  assert.equal(ij.code, 0, ij.stdout + ij.stderr);
  // intentions at every kind of stage: the demo's (preliminary, negotiating, signed) plus one
  // terminated after signing (from a meeting: the source stays, the meeting link cannot) and one
  // completed without an event, in English headers and codes
  fs.writeFileSync(f('int-extra.csv'), INT_EXTRA_CSV);
  const ie = await cli(['import', '--db', dbPath, '--kind', 'intentions', f('int-extra.csv')]);
  assert.equal(ie.code, 0, ie.stdout + ie.stderr);
  assert.match(ie.stdout, /imported 2 intentions/);
  const fresh = f('fresh.db');
  assert.equal((await cli(['migrate', '--db', fresh])).code, 0);
  const kinds = [['orgs'], ['achievements'], ['needs'], ['events'], ['participants', '--event', String(EV)], ['intentions']];
  for (const [kind, ...more] of kinds) {
    const x = f(`rt-${kind}.xlsx`);
    const e = await cli(['export', '--db', dbPath, '--kind', kind, '--format', 'xlsx', '--out', x, ...more]);
    assert.equal(e.code, 0, e.stderr);
    const i = await cli(['import', '--db', fresh, '--kind', kind, x, ...more]);
    assert.equal(i.code, 0, `${kind}: ${i.stdout} ${i.stderr}`);
    assert.match(i.stdout, new RegExp(`imported \\d+ ${kind}`));
  }
  for (const [kind, ...more] of kinds) {
    // through files: stdout arrives in chunks that may split a character
    const [fa, fb] = [f(`rt-a-${kind}.csv`), f(`rt-b-${kind}.csv`)];
    assert.equal((await cli(['export', '--db', dbPath, '--kind', kind, '--format', 'csv', '--out', fa, ...more])).code, 0);
    assert.equal((await cli(['export', '--db', fresh, '--kind', kind, '--format', 'csv', '--out', fb, ...more])).code, 0);
    const a = fs.readFileSync(fa, 'utf8');
    assert.ok(a.split('\r\n').length > 2, `${kind}: the demo has rows`);
    assert.equal(dropIds(fs.readFileSync(fb, 'utf8')), dropIds(a), `${kind} differs after the round trip`);
  }
  // the CSV files guard formula-like cells with an apostrophe, and the XLSX holds them as strings
  const csvA = fs.readFileSync(f('rt-a-achievements.csv'), 'utf8');
  assert.ok(csvA.includes('"\'=HYPERLINK(""http://evil.example""'), 'the = title is guarded');
  assert.ok(csvA.includes("'-5℃ storage 疫苗冷链保存"), 'the - title is guarded');
  assert.ok(csvA.includes("'+86 750 1234567") && csvA.includes("''=本来就以撇号开头"));
  assert.ok(!/(^|,)"?[=+@-]/m.test(csvA.split('\r\n').slice(1).join('\n')), 'no cell starts a formula');
  const sheet = execFileSync('unzip', ['-p', f('rt-achievements.xlsx'), 'xl/worksheets/sheet1.xml']).toString('utf8');
  assert.ok(!/<f[ >]/.test(sheet), 'no formula in the XLSX');
  const cellOf = (needle) => sheet.split('<c ').find((c) => c.includes(needle));
  assert.match(cellOf('公式注入测试') || '', /^[^>]*t="(inlineStr|s)"/, 'the = title is a string cell');
  assert.match(cellOf('-5℃ storage') || '', /^[^>]*t="(inlineStr|s)"/, 'the - title is a string cell');
  // and the CSV imports back as it was: orgs, then achievements, into another empty database
  const fresh2 = f('fresh2.db');
  assert.equal((await cli(['migrate', '--db', fresh2])).code, 0);
  for (const kind of ['orgs', 'achievements']) {
    const i = await cli(['import', '--db', fresh2, '--kind', kind, f(`rt-a-${kind}.csv`)]);
    assert.equal(i.code, 0, `${kind} CSV: ${i.stdout} ${i.stderr}`);
  }
  const fc = f('rt-c-achievements.csv');
  assert.equal((await cli(['export', '--db', fresh2, '--kind', 'achievements', '--format', 'csv', '--out', fc])).code, 0);
  assert.equal(dropIds(fs.readFileSync(fc, 'utf8')), dropIds(csvA), 'achievements differ after the CSV round trip');
  // intentions through CSV too, once needs and events are there
  for (const kind of ['needs', 'events', 'intentions']) {
    const i = await cli(['import', '--db', fresh2, '--kind', kind, f(`rt-a-${kind}.csv`)]);
    assert.equal(i.code, 0, `${kind} CSV: ${i.stdout} ${i.stderr}`);
  }
  const fi = f('rt-c-intentions.csv');
  assert.equal((await cli(['export', '--db', fresh2, '--kind', 'intentions', '--format', 'csv', '--out', fi])).code, 0);
  const intA = fs.readFileSync(f('rt-a-intentions.csv'), 'utf8');
  assert.equal(dropIds(fs.readFileSync(fi, 'utf8')), dropIds(intA), 'intentions differ after the CSV round trip');
  assert.match(intA, /已终止/);
  assert.match(intA, /已完成/);
  assert.match(intA, /已签约/);
  const ints = await exportJson(fresh2, 'intentions');
  const term = ints.find((x) => x.title === '往返测试：签约后终止');
  assert.equal(term.source, 'meeting');
  assert.equal(term.meeting_id, null, 'no meeting link into another database');
  assert.equal(term.stage, 'terminated');
  assert.deepEqual(term.contract, { type: 'transfer', amount_wan: '12.5', signed_on: '2026-11-21' });
  assert.equal(term.terminate_reason, '资金未到位');
  assert.ok(term.event_id, 'the event is linked by title');
  const done = ints.find((x) => x.title === '往返测试：已完成');
  assert.equal(done.event_id, null);
  assert.equal(done.note, '备注, with a comma');
  const back = await exportJson(fresh2, 'achievements');
  for (const x of inj) {
    const y = back.find((b) => b.title === x.title);
    assert.ok(y, `${x.title} reads back unchanged`);
    assert.equal(y.summary, x.summary);
    assert.equal(y.description, x.description);
  }
  assert.equal(back.find((b) => b.title === inj[0].title).contact.phone, '+86 750 1234567');
  // JSON of the listings too (the API's shape, minus ids and time stamps)
  const norm = (s) => JSON.parse(s).map(({ id, created_at, updated_at, published_at, org, ...x }) => ({ ...x, org: org && org.name }));
  for (const kind of ['achievements', 'needs']) {
    const [ja, jb] = [f(`rt-a-${kind}.json`), f(`rt-b-${kind}.json`)];
    assert.equal((await cli(['export', '--db', dbPath, '--kind', kind, '--out', ja])).code, 0);
    assert.equal((await cli(['export', '--db', fresh, '--kind', kind, '--out', jb])).code, 0);
    assert.deepEqual(norm(fs.readFileSync(jb, 'utf8')), norm(fs.readFileSync(ja, 'utf8')), `${kind} JSON`);
  }
  // intentions are exported in all formats; JSON is not imported (it names records by id)
  for (const fmt of ['xlsx', 'csv', 'json', 'jsonl']) {
    const r = await cli(['export', '--db', dbPath, '--kind', 'intentions', '--format', fmt, '--out', f(`int.${fmt}`)]);
    assert.equal(r.code, 0, r.stderr);
  }
  assert.match(fs.readFileSync(f('int.csv'), 'utf8'), /初步意向/);
  assert.equal(JSON.parse(fs.readFileSync(f('int.json'), 'utf8')).length, 9);
  const ij2 = await cli(['import', '--db', fresh2, '--kind', 'intentions', f('int.json')]);
  assert.equal(ij2.code, 1);
  assert.match(ij2.stderr, /intentions are imported from CSV or XLSX/);
});

test('cli: bad intention rows list every problem with row and column; nothing is written', async () => {
  const csv =
    '标题,阶段,供给方单位,需求方单位,成果,合同类型,合同金额(万元),签约日期\n' +
    '坏意向：好的,初步意向,侨乡科技大学,,,,,\n' +
    '坏意向：成果不存在,洽谈中,侨乡科技大学,,不存在的成果,,,\n' +
    '坏意向：签约无金额,已签约,侨乡科技大学,,,技术转让,,2026-11-01\n' +
    '坏意向：阶段错误,意向不明,侨乡科技大学,,,,,\n' +
    '坏意向：多处,已签约,不存在的单位,,,赠送,-5,\n';
  fs.writeFileSync(f('int-bad.csv'), csv);
  const d = await cli(['import', '--db', dbPath, '--kind', 'intentions', f('int-bad.csv'), '--dry-run', '--json']);
  assert.equal(d.code, 1, d.stdout + d.stderr);
  const rep = JSON.parse(d.stdout);
  assert.equal(rep.bad, 4);
  assert.equal(rep.ok, 1);
  assert.deepEqual(rep.issues.map((i) => [i.row, i.column, i.key]), [
    [3, '成果', 'intention.err.no_achievement'],
    [4, '合同金额(万元)', 'err.required'],
    [5, '阶段', 'err.choice'],
    [6, '供给方单位', 'err.unknown_org'],
    [6, '合同类型', 'err.choice'],
    [6, '合同金额(万元)', 'intention.err.amount'],
    [6, '签约日期', 'err.required'],
  ]);
  const t = await cli(['import', '--db', dbPath, '--kind', 'intentions', f('int-bad.csv')]);
  assert.equal(t.code, 1);
  assert.match(t.stdout, /row 3, column "成果": no achievement titled "不存在的成果"/);
  assert.match(t.stdout, /row 5, column "阶段": stage must be preliminary/);
  assert.match(t.stderr, /4 of 5 rows are bad; nothing was imported/);
  assert.equal(await countTitles(dbPath, 'intentions', '坏意向'), 0);
  // the same title and organizations twice: the second row is a likely duplicate
  const dup = '标题,阶段,供给方单位\n重复意向,初步意向,侨乡科技大学\n重复意向,初步意向,侨乡科技大学\n';
  fs.writeFileSync(f('int-dup.csv'), dup);
  const dd = await cli(['import', '--db', dbPath, '--kind', 'intentions', f('int-dup.csv'), '--dry-run', '--json']);
  assert.equal(dd.code, 0, dd.stdout + dd.stderr);
  assert.equal(JSON.parse(dd.stdout).duplicates, 1);
  const ds = await cli(['import', '--db', dbPath, '--kind', 'intentions', f('int-dup.csv'), '--dry-run', '--json', '--skip-duplicates']);
  assert.equal(JSON.parse(ds.stdout).skipped, 1);
  assert.equal(await countTitles(dbPath, 'intentions', '重复意向'), 0);
});

test('cli: good CSV with Chinese headers and labels imports; GB18030 is detected', async () => {
  fs.writeFileSync(f('good.csv'), GOOD_CSV);
  const r = await cli(['import', '--db', dbPath, '--kind', 'achievements', f('good.csv')]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /备注 \(ignored\)/);
  assert.match(r.stdout, /imported 2 achievements/);
  const gb = execFileSync('iconv', ['-f', 'utf-8', '-t', 'gb18030'], { input: GOOD_CSV.replaceAll('导入测试', 'GB导入') });
  assert.ok(gb.indexOf(Buffer.from('导入', 'utf8')) < 0, 'really GB18030 bytes');
  fs.writeFileSync(f('gb.csv'), gb);
  const g = await cli(['import', '--db', dbPath, '--kind', 'achievements', f('gb.csv'), '--json']);
  assert.equal(g.code, 0, g.stdout + g.stderr);
  const rep = JSON.parse(g.stdout);
  assert.equal(rep.encoding, 'gb18030');
  assert.equal(rep.written, 2);
  const all = await exportJson(dbPath, 'achievements');
  const one = all.find((a) => a.title === 'GB导入：便携式超声成像仪');
  assert.ok(one, 'the GB18030 title reads back as UTF-8');
  assert.equal(one.field, 'biomed.device');
  assert.equal(one.trl, 6);
  assert.deepEqual(one.transfer_modes, ['transfer', 'license']);
  assert.equal(one.price_wan, 50);
  assert.equal(all.find((a) => a.title === 'GB导入：带,逗号的标题').description, '多行\n描述');
  // bytes that are neither UTF-8 nor GB18030
  fs.writeFileSync(f('junk.csv'), Buffer.from([0x61, 0x2c, 0x62, 0x0a, 0xff, 0xfe, 0xfd]));
  const j = await cli(['import', '--db', dbPath, '--kind', 'achievements', f('junk.csv')]);
  assert.equal(j.code, 1);
  assert.match(j.stderr, /neither UTF-8 nor GB18030/);
});

test('cli: dry run lists every bad row with row and column; the real run writes nothing', async () => {
  fs.writeFileSync(f('bad.csv'), BAD_CSV);
  const d = await cli(['import', '--db', dbPath, '--kind', 'achievements', f('bad.csv'), '--dry-run']);
  assert.equal(d.code, 1, 'bad rows exit 1');
  assert.match(d.stdout, /row 3, column "TRL": trl must be a whole number/);
  assert.match(d.stdout, /row 5, column "organization": unknown organization/);
  assert.match(d.stdout, /dry run: 4 rows, 2 good, 2 bad/);
  assert.equal(await countTitles(dbPath, 'achievements', '导入坏文件'), 0);
  const r = await cli(['import', '--db', dbPath, '--kind', 'achievements', f('bad.csv')]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /2 of 4 rows are bad; nothing was imported/);
  assert.equal(await countTitles(dbPath, 'achievements', '导入坏文件'), 0);
  // a good dry run writes nothing either
  const ok = BAD_CSV.split('\n').filter((l, i) => i !== 2 && i !== 4).join('\n');
  fs.writeFileSync(f('ok.csv'), ok);
  const od = await cli(['import', '--db', dbPath, '--kind', 'achievements', f('ok.csv'), '--dry-run']);
  assert.equal(od.code, 0, od.stdout);
  assert.equal(await countTitles(dbPath, 'achievements', '导入坏文件'), 0);
});

test('cli: a row with three bad cells lists three problems (row, column, reason)', async () => {
  const csv =
    '标题,单位,领域,成熟度,简介,描述,转化方式,联系电话\n' +
    '多处错误：好的,南粤医科大学,biomed.device,5,s,d,license,0750-1234567\n' +
    '多处错误：三处,南粤医科大学,biomed.device,12,s,d,赠送,电话abc\n';
  fs.writeFileSync(f('three.csv'), csv);
  const d = await cli(['import', '--db', dbPath, '--kind', 'achievements', f('three.csv'), '--dry-run', '--json']);
  assert.equal(d.code, 1, d.stdout + d.stderr);
  const rep = JSON.parse(d.stdout);
  assert.equal(rep.bad, 1);
  assert.deepEqual(rep.issues.map((i) => [i.row, i.column, i.key]), [
    [3, '成熟度', 'err.trl'],
    [3, '转化方式', 'err.choice'],
    [3, '联系电话', 'err.phone'],
  ]);
  const t = await cli(['import', '--db', dbPath, '--kind', 'achievements', f('three.csv'), '--dry-run']);
  assert.match(t.stdout, /row 3, column "成熟度": trl must be a whole number/);
  assert.match(t.stdout, /row 3, column "转化方式": unknown mode/);
  assert.match(t.stdout, /row 3, column "联系电话": contact_phone may hold/);
  assert.equal(await countTitles(dbPath, 'achievements', '多处错误'), 0);
});

test('cli: bad participant and organization rows list every bad cell too', async () => {
  const pcsv =
    '姓名,单位,类别,电话,邮箱\n' +
    '多处错误参会人：好的,侨乡科技大学,高校,0750-1234567,rowerr-good@example.cn\n' +
    '多处错误参会人：三处,,外星人,0750-1234567,not-an-email\n';
  fs.writeFileSync(f('p-three.csv'), pcsv);
  const p = await cli(['import', '--db', dbPath, '--kind', 'participants', '--event', String(EV), f('p-three.csv'), '--dry-run', '--json']);
  assert.equal(p.code, 1, p.stdout + p.stderr);
  const prep = JSON.parse(p.stdout);
  assert.equal(prep.bad, 1);
  assert.equal(prep.ok, 1);
  assert.deepEqual(prep.issues.map((i) => [i.row, i.column, i.key]), [
    [3, '单位', 'err.required'],
    [3, '类别', 'err.choice'],
    [3, '邮箱', 'err.email'],
  ]);
  const pt = await cli(['import', '--db', dbPath, '--kind', 'participants', '--event', String(EV), f('p-three.csv'), '--dry-run']);
  assert.equal(pt.code, 1);
  assert.match(pt.stdout, /row 3, column "单位": org_name is required/);
  assert.match(pt.stdout, /row 3, column "邮箱": email is not a valid address/);
  const long = '长'.repeat(101);
  const ocsv = `单位名称,单位类型,所在地区\n多处错误单位：好的,企业,江门\n${long},外星机构,${long}\n`;
  fs.writeFileSync(f('o-three.csv'), ocsv);
  const o = await cli(['import', '--db', dbPath, '--kind', 'orgs', f('o-three.csv'), '--dry-run', '--json']);
  assert.equal(o.code, 1, o.stdout + o.stderr);
  const orep = JSON.parse(o.stdout);
  assert.equal(orep.bad, 1);
  assert.equal(orep.ok, 1);
  assert.deepEqual(orep.issues.map((i) => [i.row, i.column, i.key]), [
    [3, '单位名称', 'err.too_long'],
    [3, '所在地区', 'err.too_long'],
    [3, '单位类型', 'err.choice'],
  ]);
  // the real run writes nothing
  const or = await cli(['import', '--db', dbPath, '--kind', 'orgs', f('o-three.csv')]);
  assert.equal(or.code, 1);
  assert.match(or.stderr, /1 of 2 rows are bad; nothing was imported/);
  assert.equal(await countTitles(dbPath, 'orgs', '多处错误单位'), 0);
});

test('cli: likely duplicates are flagged (database and earlier rows) and skipped on request', async () => {
  const csv = '标题,单位,领域,成熟度,简介,描述,转化方式\n' + '重复测试甲,南粤医科大学,biomed.device,5,s,d,license\n';
  fs.writeFileSync(f('dup1.csv'), csv);
  assert.equal((await cli(['import', '--db', dbPath, '--kind', 'achievements', f('dup1.csv')])).code, 0);
  fs.writeFileSync(f('dup2.csv'), csv + '重复测试乙,南粤医科大学,biomed.device,5,s,d,license\n重复测试乙,南粤医科大学,biomed.device,5,s,d,license\n');
  const d = await cli(['import', '--db', dbPath, '--kind', 'achievements', f('dup2.csv'), '--dry-run', '--json']);
  assert.equal(d.code, 0, d.stdout + d.stderr);
  const rep = JSON.parse(d.stdout);
  assert.equal(rep.duplicates, 2);
  assert.equal(rep.preview[0].duplicate.key, 'import.dup.same');
  assert.ok(rep.preview[0].duplicate.id > 0);
  assert.equal(rep.preview[2].duplicate.row, 3);
  const s = await cli(['import', '--db', dbPath, '--kind', 'achievements', f('dup2.csv'), '--skip-duplicates']);
  assert.equal(s.code, 0, s.stdout);
  assert.match(s.stdout, /imported 1 achievements \(2 likely duplicates, 2 skipped\)/);
  assert.equal(await countTitles(dbPath, 'achievements', '重复测试'), 2);
  // near-identical text by the matching engine (another organization, a changed character)
  const all = await exportJson(dbPath, 'achievements');
  const src = all.find((a) => a.status === 'published' && a.summary.length > 20);
  const near = `标题,单位,领域,成熟度,简介,描述,转化方式\n"${src.title}。",侨乡科技大学,${src.field},5,"${src.summary}",描述,许可\n`;
  fs.writeFileSync(f('near.csv'), near);
  const n = await cli(['import', '--db', dbPath, '--kind', 'achievements', f('near.csv'), '--dry-run']);
  assert.equal(n.code, 0, n.stdout + n.stderr);
  assert.match(n.stdout, new RegExp(`likely duplicate of #${src.id} .*near-identical text`));
});

test('cli: XLSX import, broken and foreign files give clear errors', async () => {
  // an XLSX written by the binary itself, from a CSV through a fresh database's export
  const x = f('ach.xlsx');
  const ex = await cli(['export', '--db', dbPath, '--kind', 'achievements', '--format', 'xlsx', '--out', x]);
  assert.equal(ex.code, 0, `${ex.signal} ${ex.stderr}`);
  const d = await cli(['import', '--db', dbPath, '--kind', 'achievements', x, '--dry-run', '--json']);
  assert.equal(d.code, 0, `${d.signal} ${d.stderr}`);
  const rep = JSON.parse(d.stdout);
  assert.equal(rep.encoding, 'xlsx');
  assert.equal(rep.bad, 0);
  assert.equal(rep.duplicates, rep.rows, 'every row is its own duplicate');
  fs.writeFileSync(f('broken.xlsx'), Buffer.concat([fs.readFileSync(x).subarray(0, 300)]));
  const b = await cli(['import', '--db', dbPath, '--kind', 'achievements', f('broken.xlsx')]);
  assert.equal(b.code, 1);
  assert.match(b.stderr, /not an Excel|broken zip|missing/);
  fs.writeFileSync(f('old.xls'), Buffer.from([0xd0, 0xcf, 0x11, 0xe0]));
  const o = await cli(['import', '--db', dbPath, '--kind', 'achievements', f('old.xls')]);
  assert.equal(o.code, 1);
  assert.match(o.stderr, /save the sheet as \.xlsx or CSV/);
  fs.writeFileSync(f('nohead.csv'), 'foo,bar\n1,2\n');
  const nh = await cli(['import', '--db', dbPath, '--kind', 'orgs', f('nohead.csv')]);
  assert.equal(nh.code, 1);
  assert.match(nh.stderr, /no column header is known/);
  // JSON and JSON Lines still work (the API's field names)
  fs.writeFileSync(f('o.jsonl'), '{"name":"导入测试研究院","type":"institute","region":"广东省江门市"}\n');
  const jl = await cli(['import', '--db', dbPath, '--kind', 'orgs', f('o.jsonl')]);
  assert.equal(jl.code, 0, `${jl.signal} ${jl.stderr}`);
  assert.match(jl.stdout, /imported 1 orgs/);
});

// ================================================================ HTTP

test('http: /import and exports need an organizer; CSRF on uploads', async () => {
  expectLoginRedirect(await request('GET', '/import'));
  expectLoginRedirect(await request('GET', '/export/achievements?format=csv'));
  expectJsonError(await upload('/api/v1/import', { kind: 'orgs' }, { name: 'a.csv', data: Buffer.from('name\nx\n') }), 401);
  expectJsonError(await request('GET', '/api/v1/export/orgs'), 401);
  expectStatus(await request('GET', '/import', { cookie: S.inst.cookie }), 403, 'member page');
  expectJsonError(await request('GET', '/api/v1/export/orgs', { bearer: T.inst }), 403);
  expectJsonError(await upload('/api/v1/import', { kind: 'orgs' }, { name: 'a.csv', data: Buffer.from('name\nx\n') }, { bearer: T.inst }), 403);
  // a session without the CSRF field
  const r = await upload('/import', { kind: 'orgs' }, { name: 'a.csv', data: Buffer.from('name\nx\n') }, { cookie: S.org.cookie });
  expectStatus(r, 403, 'upload without CSRF');
  // multipart is only taken where uploads go
  expectStatus(await upload('/intentions', { _csrf: S.org.csrf }, null, { cookie: S.org.cookie }), 422, 'multipart elsewhere');
});

test('http: the organizer uploads a colleague\'s Excel sheet, previews and confirms', async () => {
  const page = await request('GET', '/import', { cookie: S.org.cookie });
  expectStatus(page, 200, 'import page');
  assert.match(page.text, /id="import-form"/);
  assert.match(page.text, /enctype="multipart\/form-data"/);
  assert.match(page.text, /href="\/import\/template\/achievements\?format=xlsx"/);
  assert.match(page.text, /<option value="intentions">/, 'the kind picker offers intentions');
  assert.match(page.text, /href="\/import\/template\/intentions\?format=csv"/);
  const tpl = await request('GET', '/import/template/intentions?format=csv', { cookie: S.org.cookie });
  expectStatus(tpl, 200, 'intentions template');
  assert.match(tpl.text, /标题\(title\),来源\(source\),阶段\(stage\)/);
  assert.match(page.text, /id="nav-import"/);
  // the colleague's sheet: a CSV turned into XLSX by way of a scratch database's export
  const scratch = f('scratch.db');
  assert.equal((await cli(['demo', '--db', scratch])).code, 0);
  fs.writeFileSync(f('colleague.csv'), GOOD_CSV.replaceAll('导入测试', '网页导入'));
  assert.equal((await cli(['import', '--db', scratch, '--kind', 'achievements', f('colleague.csv')])).code, 0);
  const x = f('colleague.xlsx');
  assert.equal((await cli(['export', '--db', scratch, '--kind', 'achievements', '--format', 'xlsx', '--out', x])).code, 0);
  const up = await upload('/import', { _csrf: S.org.csrf, kind: 'achievements', event: '' }, { name: '同事的成果表.xlsx', data: fs.readFileSync(x) }, { cookie: S.org.cookie });
  expectStatus(up, 303, 'upload');
  const loc = up.headers.location;
  assert.match(loc, /^\/import\/\d+$/);
  const pv = await request('GET', loc, { cookie: S.org.cookie });
  expectStatus(pv, 200, 'preview');
  assert.match(pv.text, /id="import-summary"/);
  assert.match(pv.text, /同事的成果表\.xlsx/);
  assert.match(pv.text, /id="import-confirm"/);
  assert.match(pv.text, /疑似重复/); // the demo's own achievements are in the sheet too
  assert.equal(await countTitles(dbPath, 'achievements', '网页导入'), 0, 'preview writes nothing');
  // someone else cannot see or confirm this upload
  const other = await request('GET', loc, { cookie: S.inst.cookie });
  expectStatus(other, 403, 'member');
  // confirm, leaving out the duplicates
  const cf = await request('POST', loc, { cookie: S.org.cookie, form: { _csrf: S.org.csrf, skip_duplicates: '1' } });
  expectStatus(cf, 200, 'confirm');
  assert.match(cf.text, /id="import-done"/);
  assert.equal(await countTitles(dbPath, 'achievements', '网页导入'), 2);
  const search = await request('GET', `/api/v1/achievements?q=${encodeURIComponent('网页导入')}`);
  assert.ok(search.json.items.some((a) => a.title === '网页导入：便携式超声成像仪'), 'published and searchable');
  // the upload is gone once used: a second confirmation (double click, second tab) imports nothing
  expectStatus(await request('GET', loc, { cookie: S.org.cookie }), 404, 'used upload');
  const again = await request('POST', loc, { cookie: S.org.cookie, form: { _csrf: S.org.csrf, skip_duplicates: '1' } });
  expectStatus(again, 404, 'second confirm');
  assert.equal(await countTitles(dbPath, 'achievements', '网页导入'), 2, 'imported once');
});

test('http: two confirmations of one upload at the same time import it once', async () => {
  fs.writeFileSync(f('twice.csv'), GOOD_CSV.replaceAll('导入测试', '同时确认'));
  const up = await upload('/import', { _csrf: S.org.csrf, kind: 'achievements', event: '' }, { name: 'twice.csv', data: fs.readFileSync(f('twice.csv')) }, { cookie: S.org.cookie });
  expectStatus(up, 303, 'upload');
  const loc = up.headers.location;
  const both = await Promise.all([0, 1, 2].map(() => request('POST', loc, { cookie: S.org.cookie, form: { _csrf: S.org.csrf } })));
  const codes = both.map((x) => x.status).sort();
  assert.deepEqual(codes, [200, 404, 404], `statuses ${codes}`);
  assert.equal(await countTitles(dbPath, 'achievements', '同时确认'), 2, 'imported once');
});

test('http: a bad file shows every problem and cannot be confirmed', async () => {
  const up = await upload('/import', { _csrf: S.org.csrf, kind: 'achievements' }, { name: 'bad.csv', data: Buffer.from(BAD_CSV) }, { cookie: S.org.cookie });
  expectStatus(up, 303, 'upload');
  const pv = await request('GET', up.headers.location, { cookie: S.org.cookie });
  expectStatus(pv, 200, 'preview');
  assert.match(pv.text, /id="import-issues"/);
  assert.match(pv.text, /<td>3<\/td><td>TRL<\/td><td>须为 1–9 的整数<\/td>/);
  assert.match(pv.text, /<td>5<\/td><td>organization<\/td><td>找不到该单位<\/td>/);
  assert.doesNotMatch(pv.text, /id="import-confirm"/);
  const en = await request('GET', up.headers.location, { cookie: `${S.org.cookie}; dj_lang=en` });
  assert.match(en.text, /<td>3<\/td><td>TRL<\/td><td>must be a whole number from 1 to 9<\/td>/);
  const cf = await request('POST', up.headers.location, { cookie: S.org.cookie, form: { _csrf: S.org.csrf } });
  expectStatus(cf, 422, 'confirm a bad file');
  assert.equal(await countTitles(dbPath, 'achievements', '导入坏文件'), 0);
  // a row with three bad cells: three lines in the issues table, one per column
  const three = '标题,单位,领域,成熟度,简介,描述,转化方式,联系电话\n网页三处错误,南粤医科大学,biomed.device,12,s,d,赠送,电话abc\n';
  const u3 = await upload('/import', { _csrf: S.org.csrf, kind: 'achievements' }, { name: 'three.csv', data: Buffer.from(three) }, { cookie: S.org.cookie });
  expectStatus(u3, 303, 'upload three');
  const p3 = await request('GET', u3.headers.location, { cookie: S.org.cookie });
  expectStatus(p3, 200, 'preview three');
  const lines = [...p3.text.matchAll(/<tr><td>2<\/td><td>([^<]*)<\/td><td>[^<]*<\/td><\/tr>/g)].map((m) => m[1]);
  assert.deepEqual(lines, ['成熟度', '转化方式', '联系电话']);
  // participants need an event; no file at all
  const np = await upload('/import', { _csrf: S.org.csrf, kind: 'participants' }, { name: 'p.csv', data: Buffer.from('姓名\nx\n') }, { cookie: S.org.cookie });
  expectStatus(np, 422, 'participants without event');
  assert.match(np.text, /id="import-error"/);
  const nf = await upload('/import', { _csrf: S.org.csrf, kind: 'orgs' }, null, { cookie: S.org.cookie });
  expectStatus(nf, 422, 'no file');
});

test('http: API import (dry run, GB18030, participants) and exports with the right types', async () => {
  const gb = execFileSync('iconv', ['-f', 'utf-8', '-t', 'gb18030'], { input: '姓名,单位,类别,邮箱\n接口导入者,侨乡科技大学,高校,api-import@example.cn\n' });
  const dry = await upload('/api/v1/import', { kind: 'participants', event: String(EV), dry_run: '1' }, { name: 'p.csv', data: gb }, { bearer: T.org });
  expectStatus(dry, 200, 'dry run');
  assert.equal(dry.json.encoding, 'gb18030');
  assert.equal(dry.json.ok, 1);
  assert.equal(dry.json.written, 0);
  const real = await upload('/api/v1/import', { kind: 'participants', event: String(EV) }, { name: 'p.csv', data: gb }, { bearer: T.org });
  expectStatus(real, 200, 'import');
  assert.equal(real.json.written, 1);
  const again = await upload('/api/v1/import', { kind: 'participants', event: String(EV) }, { name: 'p.csv', data: gb }, { bearer: T.org });
  expectStatus(again, 422, 'the same email twice');
  assert.equal(again.json.bad, 1);
  assert.equal(again.json.issues[0].column, '邮箱');
  assert.equal(again.json.preview[0].duplicate.key, 'import.dup.same_person');
  const ex = await request('GET', `/export/participants?event=${EV}&format=csv`, { cookie: S.org.cookie });
  expectStatus(ex, 200, 'participants csv');
  assert.match(ex.headers['content-type'], /text\/csv/);
  assert.match(ex.headers['content-disposition'], /attachment; filename="duijie-participants-event1-/);
  assert.ok(ex.buf.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])), 'BOM');
  assert.match(ex.text, /接口导入者/);
  const xl = await request('GET', '/api/v1/export/needs?format=xlsx', { bearer: T.org });
  expectStatus(xl, 200, 'needs xlsx');
  assert.match(xl.headers['content-type'], /spreadsheetml/);
  assert.equal(xl.buf.subarray(0, 2).toString(), 'PK');
  const tp = await request('GET', '/import/template/orgs?format=csv', { cookie: S.org.cookie });
  expectStatus(tp, 200, 'template');
  assert.match(tp.text, /单位名称\(name\)/);
  expectJsonError(await request('GET', '/api/v1/export/widgets', { bearer: T.org }), 422, 'kind');
  expectJsonError(await request('GET', '/api/v1/export/participants', { bearer: T.org }), 422, 'event');
  expectJsonError(await request('GET', '/api/v1/export/participants?event=999', { bearer: T.org }), 404);
});

test('http: uploads over 16 MiB are refused before they are read', async () => {
  const big = Buffer.alloc(17 * 1024 * 1024, 0x61);
  const r = await upload('/api/v1/import', { kind: 'orgs' }, { name: 'big.csv', data: big }, { bearer: T.org, expectContinue: true });
  expectStatus(r, 413, 'too large');
  // a broken multipart body
  const b = await request('POST', '/api/v1/import', { bearer: T.org, body: 'garbage', headers: { 'Content-Type': 'multipart/form-data; boundary=xyz' } });
  expectStatus(b, 422, 'broken multipart');
});

// ================================================================ main

runSuite({
  setupName: 'demo database, server healthy, organizer and member sessions and tokens',
  setup,
  filter: FILTER,
  stopServer,
  serverErr: () => serverErr,
  cleanup: () => tmp && !process.env.BLACKBOX_KEEP && fs.rmSync(tmp, { recursive: true, force: true }),
});
