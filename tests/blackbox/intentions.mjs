// intentions.mjs — black-box tests of cooperation intentions (合作意向) and statistics (统计):
// every /intentions… page, /stats, /api/v1/intentions… and /api/v1/stats endpoint for success,
// validation naming the field, sign-in, role, another organization's intention, CSRF, unknown
// ids and stage moves the machine forbids; the funnel checked against counts made through the
// API. Starts the real binary on a fresh demo database.
//
//   node tests/blackbox/intentions.mjs build/duijie            (or build/asan/duijie)
//   BLACKBOX_FILTER=stage node tests/blackbox/intentions.mjs build/duijie
//
// Prints "ok - name" / "not ok - name: reason" per test, and last "N passed, N failed".
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import {
  test,
  runTests,
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
ctx.timeout = SLOW ? 60000 : 20000;

const DEMO = {
  org: ['organizer@demo.duijie.cn', 'organizer-demo-2026'],
  inst: ['inst@demo.duijie.cn', 'inst-demo-2026'],
  ent: ['ent@demo.duijie.cn', 'ent-demo-2026'],
  expert: ['expert@demo.duijie.cn', 'expert-demo-2026'],
  other: ['other-inst@intention.test', 'other-inst-2026'], // member of a third organization
};

const S = {}; // role -> {cookie, csrf}
const T = {}; // role -> bearer token
const F = {}; // fixtures
const EV = 1; // the demo event

let tmp;
let dbPath;
let server;
let serverErr = '';

function need(v, what) {
  if (!v) throw new Error(`precondition failed: no ${what} (see earlier failures)`);
  return v;
}

async function signIn(role) {
  const s = await signInAs(...DEMO[role], `intention-${role}`);
  S[role] = { cookie: s.cookie, csrf: s.csrf };
  T[role] = s.token;
}

const as = (role, method, p, opts = {}) => request(method, p, { ...opts, bearer: need(T[role], `token ${role}`) });
const page = (role, p) => request('GET', p, { cookie: need(S[role], `session ${role}`).cookie });
const postForm = (role, p, fields, opts = {}) => {
  const pairs = Object.entries(fields);
  if (!opts.noCsrf) pairs.push(['_csrf', S[role].csrf]);
  return request('POST', p, { cookie: need(S[role], `session ${role}`).cookie, form: pairs });
};
const API = '/api/v1/intentions';

async function create(role, body, status = 201) {
  const r = await as(role, 'POST', API, { json: body });
  expectStatus(r, status, `create intention ${JSON.stringify(body)}`);
  return r.json;
}
const move = (role, id, body) => as(role, 'POST', `${API}/${id}/stage`, { json: body });
const SIGN = { stage: 'signed', contract_type: 'license', amount: '120.5', signed_on: '2026-10-01' };

// ================================================================ setup

async function setup() {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'duijie-ij-'));
  dbPath = path.join(tmp, 'db');
  const demo = await run(BIN, ['demo', '--db', dbPath], { timeout: 120000 });
  if (demo.code !== 0) throw new Error(`demo failed (${demo.code}): ${demo.stderr}`);
  const add = await run(BIN, ['user', 'add', '--db', dbPath, '--email', DEMO.other[0], '--name', '别家老师', '--role', 'inst_member', '--org', '新会南药与陈皮研究所', '--password', DEMO.other[1]]);
  if (add.code !== 0) throw new Error(`user add failed: ${add.stderr}`);
  ctx.port = await freePort();
  server = spawn(BIN, ['serve', '--db', dbPath, '--listen', `127.0.0.1:${ctx.port}`, '--quiet', '--timeout', '10'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout.on('data', () => {});
  server.stderr.on('data', (d) => (serverErr += d));
  await waitHealthy(SLOW ? 60000 : 20000, server);
  for (const role of Object.keys(DEMO)) await signIn(role);
  for (const role of ['inst', 'ent', 'other']) F[`${role}Org`] = (await as(role, 'GET', '/api/v1/me')).json.org_id;
  const achs = (await request('GET', '/api/v1/achievements?per_page=100')).json.items;
  const needs = (await request('GET', '/api/v1/needs?per_page=100')).json.items;
  F.instAch = need(achs.find((a) => a.org && a.org.id === F.instOrg), 'achievement of inst').id;
  F.otherAch = need(achs.find((a) => a.org && a.org.id === F.otherOrg), 'achievement of other').id;
  const entNeed = needs.find((n) => n.org && n.org.id === F.entOrg) || needs.find((n) => n.org);
  F.need = need(entNeed, 'a need with an org').id;
  F.needOrg = entNeed.org.id;
  const ms = await as('org', 'GET', `/api/v1/events/${EV}/meetings`);
  expectStatus(ms, 200, 'meetings');
  const list = ms.json.meetings || ms.json.items || ms.json;
  F.meeting = need(Array.isArray(list) && list[0], 'a demo meeting').id;
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

// ================================================================ sign-in, role, CSRF

test('unauthenticated: API answers 401, pages redirect to sign-in', async () => {
  for (const [m, p] of [['GET', API], ['POST', API], ['GET', `${API}/1`], ['POST', `${API}/1/stage`], ['GET', `${API}/1/followups`], ['POST', `${API}/1/followups`], ['PATCH', `${API}/1/followups/1`], ['GET', `${API}/overdue`], ['GET', '/api/v1/stats']]) {
    expectJsonError(await request(m, p, m === 'GET' ? {} : { json: {} }), 401);
  }
  for (const p of ['/intentions', '/intentions/new', '/intentions/1', '/stats']) expectLoginRedirect(await request('GET', p));
});

test('wrong role: statistics and overdue follow-ups are for organizers only', async () => {
  for (const role of ['inst', 'ent', 'expert']) {
    expectJsonError(await as(role, 'GET', '/api/v1/stats'), 403);
    expectJsonError(await as(role, 'GET', `${API}/overdue`), 403);
  }
  expectStatus(await page('inst', '/stats'), 403, 'stats page for a member');
});

test('missing CSRF: session writes without the token are refused', async () => {
  const r = await request('POST', API, { cookie: S.inst.cookie, json: { title: 'x', org_a_id: F.instOrg } });
  expectJsonError(r, 403);
  const f = await postForm('inst', '/intentions', { title: 'x', org_a_id: F.instOrg }, { noCsrf: true });
  expectStatus(f, 403, 'form without _csrf');
  const ok = await request('POST', API, { cookie: S.inst.cookie, csrf: S.inst.csrf, json: { title: '会话创建', org_a_id: F.instOrg } });
  expectStatus(ok, 201, 'with the session CSRF token');
});

// ================================================================ create

test('create by hand: a member records one for their organization', async () => {
  const it = await create('inst', { title: '手工登记的意向', org_a_id: F.instOrg, org_b_id: F.entOrg, event_id: EV, note: '会后电话沟通' });
  assert.equal(it.stage, 'preliminary');
  assert.equal(it.source, 'manual');
  assert.equal(it.org_a_id, F.instOrg);
  assert.equal(it.event_id, EV);
  assert.equal(it.contract, null);
  assert.equal(it.history.length, 1);
  assert.equal(it.history[0].action, 'create');
  F.manual = it.id;
});

test('create from a match: organizations come from the achievement and the need', async () => {
  const it = await create('inst', { title: '匹配产生的意向', source: 'match', achievement_id: F.instAch, need_id: F.need });
  assert.equal(it.source, 'match');
  assert.equal(it.org_a_id, F.instOrg);
  assert.equal(it.org_b_id, F.needOrg);
  assert.equal(it.achievement_id, F.instAch);
  F.match = it.id;
});

test('create from a meeting: event and parties come from the meeting', async () => {
  const it = await create('org', { title: '洽谈产生的意向', meeting_id: F.meeting });
  assert.equal(it.source, 'meeting');
  assert.equal(it.meeting_id, F.meeting);
  assert.equal(it.event_id, EV);
  assert.ok(it.org_a_id || it.org_b_id, 'an organization from the meeting');
  F.meetingIt = it.id;
});

test('create: validation names the field', async () => {
  const cases = [
    [{ org_a_id: F.instOrg }, 'title'],
    [{ title: '', org_a_id: F.instOrg }, 'title'],
    [{ title: 'x'.repeat(201), org_a_id: F.instOrg }, 'title'],
    [{ title: 't', org_a_id: 'abc' }, 'org_a_id'],
    [{ title: 't', org_a_id: 999999 }, 'org_a_id'],
    [{ title: 't' }, 'org_a_id'],
    [{ title: 't', source: 'rumour', org_a_id: F.instOrg }, 'source'],
    [{ title: 't', source: 'match', achievement_id: F.instAch }, 'need_id'],
    [{ title: 't', source: 'meeting' }, 'meeting_id'],
    [{ title: 't', meeting_id: 999999 }, 'meeting_id'],
    [{ title: 't', achievement_id: F.need }, 'achievement_id'],
    [{ title: 't', need_id: F.instAch, org_a_id: F.instOrg }, 'need_id'],
    [{ title: 't', event_id: 999999, org_a_id: F.instOrg }, 'event_id'],
    [{ title: ['array'], org_a_id: F.instOrg }, 'title'],
  ];
  for (const [body, field] of cases) expectJsonError(await as('inst', 'POST', API, { json: body }), 422, field);
  expectJsonError(await as('inst', 'POST', API, { json: [1] }), 422);
});

test('create: a member may not record an intention between other organizations', async () => {
  expectJsonError(await as('inst', 'POST', API, { json: { title: '别人的', org_a_id: F.otherOrg, org_b_id: F.entOrg } }), 403);
  expectJsonError(await as('expert', 'POST', API, { json: { title: '专家', org_a_id: F.instOrg } }), 403);
  const staff = await create('org', { title: '他单位的意向', org_a_id: F.otherOrg, org_b_id: F.entOrg });
  F.others = staff.id;
});

// ================================================================ reading and ownership

test("another organization's intention: 403 on every endpoint, absent from the list", async () => {
  const id = need(F.others, 'other org intention');
  expectJsonError(await as('inst', 'GET', `${API}/${id}`), 403);
  expectJsonError(await move('inst', id, { stage: 'negotiating' }), 403);
  expectJsonError(await as('inst', 'GET', `${API}/${id}/followups`), 403);
  expectJsonError(await as('inst', 'POST', `${API}/${id}/followups`, { json: { text: 'x', due_date: '2030-01-01' } }), 403);
  expectStatus(await page('inst', `/intentions/${id}`), 403, 'detail page');
  const list = (await as('inst', 'GET', API)).json.intentions;
  assert.ok(!list.some((i) => i.id === id), 'listed to a non-party');
  assert.ok(list.every((i) => i.org_a_id === F.instOrg || i.org_b_id === F.instOrg), 'only own org');
  const other = await as('other', 'GET', `${API}/${id}`);
  expectStatus(other, 200, 'the party sees it');
  const ent = await as('ent', 'GET', `${API}/${id}`);
  expectStatus(ent, 200, 'the other party sees it');
  const all = (await as('org', 'GET', API)).json.intentions;
  assert.ok(all.some((i) => i.id === id), 'staff see all');
});

test('unknown ids answer 404', async () => {
  expectJsonError(await as('org', 'GET', `${API}/999999`), 404);
  expectJsonError(await move('org', 999999, { stage: 'negotiating' }), 404);
  expectJsonError(await as('org', 'GET', `${API}/999999/followups`), 404);
  expectJsonError(await as('org', 'POST', `${API}/999999/followups`, { json: { text: 'x', due_date: '2030-01-01' } }), 404);
  expectJsonError(await as('org', 'PATCH', `${API}/${need(F.manual, 'manual')}/followups/999999`, { json: { done: true } }), 404);
  expectStatus(await page('org', '/intentions/999999'), 404, 'detail page');
  expectJsonError(await as('org', 'GET', '/api/v1/stats?event_id=999999'), 404);
});

test('list filters by stage and event; bad filters name the parameter', async () => {
  const byEv = (await as('org', 'GET', `${API}?event_id=${EV}`)).json.intentions;
  assert.ok(byEv.length >= 2 && byEv.every((i) => i.event_id === EV));
  const pre = (await as('org', 'GET', `${API}?stage=preliminary`)).json.intentions;
  assert.ok(pre.length >= 1 && pre.every((i) => i.stage === 'preliminary'));
  expectJsonError(await as('org', 'GET', `${API}?stage=bogus`), 422, 'stage');
  expectJsonError(await as('org', 'GET', `${API}?event_id=x`), 422, 'event_id');
});

// ================================================================ the stage machine

test('stage: signing requires contract type, amount and date', async () => {
  const id = need(F.manual, 'manual');
  expectJsonError(await move('inst', id, { stage: 'signed' }), 422, 'contract_type');
  expectJsonError(await move('inst', id, { ...SIGN, contract_type: 'gift' }), 422, 'contract_type');
  expectJsonError(await move('inst', id, { ...SIGN, amount: '' }), 422, 'amount');
  expectJsonError(await move('inst', id, { ...SIGN, amount: '1.234' }), 422, 'amount');
  expectJsonError(await move('inst', id, { ...SIGN, amount: '-3' }), 422, 'amount');
  expectJsonError(await move('inst', id, { ...SIGN, signed_on: '' }), 422, 'signed_on');
  expectJsonError(await move('inst', id, { ...SIGN, signed_on: '2026-13-01' }), 422, 'signed_on');
  expectJsonError(await move('inst', id, { stage: 'bogus' }), 422, 'stage');
  expectJsonError(await move('inst', id, {}), 422, 'stage');
  const ok = await move('inst', id, { stage: 'negotiating' });
  expectStatus(ok, 200, 'to negotiating');
  const s = await move('inst', id, SIGN);
  expectStatus(s, 200, 'sign');
  assert.equal(s.json.stage, 'signed');
  assert.deepEqual(s.json.contract, { type: 'license', amount_wan: '120.5', signed_on: '2026-10-01' });
});

test('stage: only forward moves; completed and terminated are final', async () => {
  const id = need(F.manual, 'manual');
  expectJsonError(await move('inst', id, { stage: 'negotiating' }), 409, 'stage');
  expectJsonError(await move('inst', id, { stage: 'preliminary' }), 409, 'stage');
  expectJsonError(await move('inst', id, { stage: 'signed' }), 409, 'stage');
  expectStatus(await move('inst', id, { stage: 'implementing' }), 200, 'implementing');
  const done = await move('inst', id, { stage: 'completed' });
  expectStatus(done, 200, 'completed');
  assert.equal(done.json.open, false);
  expectJsonError(await move('inst', id, { stage: 'terminated', reason: '太晚' }), 409, 'stage');
  const h = done.json.history.filter((x) => x.action === 'stage').map((x) => `${x.detail.from}>${x.detail.to}`);
  assert.deepEqual(h, ['preliminary>negotiating', 'negotiating>signed', 'signed>implementing', 'implementing>completed']);
});

test('stage: terminate with a reason from an open stage; a skip forward is allowed', async () => {
  const id = need(F.match, 'match');
  expectJsonError(await move('inst', id, { stage: 'terminated' }), 422, 'reason');
  const t = await move('inst', id, { stage: 'terminated', reason: '企业预算取消' });
  expectStatus(t, 200, 'terminate');
  assert.equal(t.json.terminate_reason, '企业预算取消');
  expectJsonError(await move('inst', id, { stage: 'negotiating' }), 409, 'stage');
  const m = need(F.meetingIt, 'meeting intention');
  const s = await move('org', m, { stage: 'implementing', contract_type: 'development', amount: 30, signed_on: '2026-11-01' });
  expectStatus(s, 200, 'skip to implementing with the contract');
  assert.equal(s.json.contract.amount_wan, '30');
});

// ================================================================ follow-ups

test('follow-ups: add, validate, mark done; overdue list for organizers', async () => {
  const id = need(F.others, 'others');
  const a = await as('ent', 'POST', `${API}/${id}/followups`, { json: { text: '寄送样品', due_date: '2020-01-02' } });
  expectStatus(a, 201, 'add');
  assert.equal(a.json.done, false);
  const b = await as('ent', 'POST', `${API}/${id}/followups`, { json: { text: '回访', due_date: '2099-01-01' } });
  expectStatus(b, 201, 'add future');
  expectJsonError(await as('ent', 'POST', `${API}/${id}/followups`, { json: { due_date: '2030-01-01' } }), 422, 'text');
  expectJsonError(await as('ent', 'POST', `${API}/${id}/followups`, { json: { text: 'x', due_date: '明天' } }), 422, 'due_date');
  expectJsonError(await as('ent', 'POST', `${API}/${id}/followups`, { json: { text: 'x' } }), 422, 'due_date');
  let od = (await as('org', 'GET', `${API}/overdue`)).json.overdue;
  assert.ok(od.some((f) => f.id === a.json.id), 'past-due follow-up listed');
  assert.ok(!od.some((f) => f.id === b.json.id), 'future follow-up not listed');
  const lp = await page('org', '/intentions');
  assert.match(lp.text, /寄送样品/);
  expectJsonError(await as('ent', 'PATCH', `${API}/${id}/followups/${a.json.id}`, { json: { done: 'maybe' } }), 422, 'done');
  expectJsonError(await as('ent', 'PATCH', `${API}/${id}/followups/${a.json.id}`, { json: {} }), 422, 'done');
  expectJsonError(await as('inst', 'PATCH', `${API}/${id}/followups/${a.json.id}`, { json: { done: true } }), 403);
  expectJsonError(await as('ent', 'PATCH', `${API}/${need(F.manual, 'm')}/followups/${a.json.id}`, { json: { done: true } }), 404);
  const d = await as('ent', 'PATCH', `${API}/${id}/followups/${a.json.id}`, { json: { done: true } });
  expectStatus(d, 200, 'done');
  assert.equal(d.json.done, true);
  od = (await as('org', 'GET', `${API}/overdue`)).json.overdue;
  assert.ok(!od.some((f) => f.id === a.json.id), 'done follow-up no longer overdue');
  const fl = (await as('ent', 'GET', `${API}/${id}/followups`)).json.followups;
  assert.equal(fl.length, 2);
  const it = (await as('ent', 'GET', `${API}/${id}`)).json;
  assert.deepEqual(it.history.map((x) => x.action), ['create', 'followup', 'followup', 'followup_done']);
});

// ================================================================ statistics

test('stats: the funnel matches counts made through the API', async () => {
  const all = (await as('org', 'GET', API)).json.intentions;
  const contracts = all.filter((i) => ['signed', 'implementing', 'completed'].includes(i.stage));
  const sum = contracts.reduce((a, i) => a + Number(i.contract.amount_wan), 0);
  const s = await as('org', 'GET', '/api/v1/stats');
  expectStatus(s, 200, 'stats');
  const f = s.json.funnel;
  assert.equal(s.json.event_id, null);
  assert.equal(f.intentions, all.length);
  assert.equal(f.contracts, contracts.length);
  assert.equal(Number(f.contract_amount_wan), sum);
  const pub = (await request('GET', '/api/v1/achievements?per_page=1')).json.total;
  assert.equal(f.collected, pub, 'overall collected = published achievements');
  assert.ok(f.displayed <= f.collected && f.promoted >= 6);
  assert.ok(f.meetings_held <= f.meetings_accepted && f.meetings_accepted <= f.meetings_requested);
  assert.equal(s.json.by_field.reduce((a, r) => a + r.collected, 0), f.collected);
  assert.equal(s.json.by_org_type.reduce((a, r) => a + r.intentions, 0), f.intentions);
  const e = await as('org', 'GET', `/api/v1/stats?event_id=${EV}`);
  expectStatus(e, 200, 'event stats');
  const ef = e.json.funnel;
  assert.equal(e.json.event_id, EV);
  assert.equal(ef.promoted, 6, 'the demo roadshow has 6 projects');
  assert.equal(ef.intentions, all.filter((i) => i.event_id === EV).length);
  assert.equal(ef.meetings_accepted, 25);
  assert.equal(ef.meetings_held, 25);
  assert.ok(ef.meetings_requested >= 28);
  expectJsonError(await as('org', 'GET', '/api/v1/stats?event_id=abc'), 422, 'event_id');
});

// ================================================================ pages

test('pages: list, new, create (and its validation), detail, stage and follow-up forms, stats', async () => {
  const l = await page('inst', '/intentions');
  expectStatus(l, 200, 'list');
  assert.match(l.text, /id="nav-intentions"/);
  assert.doesNotMatch(l.text, /id="nav-stats"/);
  const n = await page('inst', `/intentions/new?achievement_id=${F.instAch}`);
  expectStatus(n, 200, 'new');
  assert.match(n.text, new RegExp(`name="achievement_id" value="${F.instAch}"`));
  const bad = await postForm('inst', '/intentions', { title: '', org_a_id: F.instOrg });
  expectStatus(bad, 422, 'form validation');
  assert.match(bad.text, /id="form-error"/);
  const c = await postForm('inst', '/intentions', { title: '网页登记', source: 'manual', org_a_id: F.instOrg, org_b_id: '', event_id: '' });
  expectStatus(c, 303, 'create');
  const m = (c.headers.location || '').match(/^\/intentions\/(\d+)/);
  assert.ok(m, `Location ${c.headers.location}`);
  const id = m[1];
  const d = await page('inst', `/intentions/${id}`);
  expectStatus(d, 200, 'detail');
  assert.match(d.text, /网页登记/);
  assert.match(d.text, /id="move-stage"/);
  expectStatus(await postForm('inst', `/intentions/${id}/stage`, { stage: 'signed' }), 422, 'sign without contract');
  expectStatus(await postForm('inst', `/intentions/${id}/stage`, { stage: 'negotiating' }), 303, 'advance');
  expectStatus(await postForm('inst', `/intentions/${id}/stage`, { stage: 'preliminary' }), 409, 'backwards');
  expectStatus(await postForm('inst', `/intentions/${id}/followups`, { text: '发报价', due_date: '2030-05-05' }), 303, 'follow-up');
  const fu = (await as('inst', 'GET', `${API}/${id}/followups`)).json.followups[0];
  expectStatus(await postForm('inst', `/intentions/${id}/followups/${fu.id}/done`, { done: '1' }), 303, 'done');
  const st = await page('org', '/stats');
  expectStatus(st, 200, 'stats');
  assert.match(st.text, /id="funnel"/);
  assert.match(st.text, /id="by-field"/);
  assert.match(st.text, /id="nav-stats"/);
  const se = await page('org', `/stats?event_id=${EV}`);
  expectStatus(se, 200, 'event stats page');
  assert.match(se.text, /id="fig-promoted"><th>[^<]+<\/th><td class="num">6</);
  const en = await request('GET', '/stats', { cookie: `${S.org.cookie}; dj_lang=en` });
  expectStatus(en, 200, 'stats en');
});

// ================================================================ six-month outcomes (issue 5, item 1)

function addDays(date, days) {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

test('six-month follow-up: made with an intention of an event, due 182 days after the event', async () => {
  const ev = (await request('GET', `/api/v1/events/${EV}`)).json;
  const fus = (await as('inst', 'GET', `${API}/${need(F.manual, 'manual intention')}/followups`)).json.followups;
  const six = fus.filter((f) => f.kind === 'six_month');
  assert.equal(six.length, 1, JSON.stringify(fus));
  assert.equal(six[0].due_date, addDays(ev.date, 182));
  assert.equal(six[0].outcome, null);
  assert.equal(six[0].done, false);
  F.six = six[0].id;
  // an intention without an event gets none
  const it = await create('inst', { title: '无活动的意向', org_a_id: F.instOrg });
  const none = (await as('inst', 'GET', `${API}/${it.id}/followups`)).json.followups;
  assert.equal(none.length, 0);
});

test('six-month outcome: validation names the field; only parties and staff; tasks take none', async () => {
  const url = `${API}/${F.manual}/followups/${need(F.six, 'six-month follow-up')}`;
  expectJsonError(await as('inst', 'PATCH', url, { json: { outcome: 'signed' } }), 422, 'outcome');
  expectJsonError(await as('inst', 'PATCH', url, { json: { outcome: '' } }), 422, 'outcome');
  expectJsonError(await as('inst', 'PATCH', url, { json: { outcome: 'agreement', outcome_note: 'x'.repeat(2001) } }), 422, 'outcome_note');
  expectJsonError(await as('other', 'PATCH', url, { json: { outcome: 'agreement' } }), 403);
  expectJsonError(await request('PATCH', url, { json: { outcome: 'agreement' } }), 401);
  expectJsonError(await as('inst', 'PATCH', `${API}/${F.manual}/followups/999999`, { json: { outcome: 'agreement' } }), 404);
  const task = await as('inst', 'POST', `${API}/${F.manual}/followups`, { json: { text: '发送样品', due_date: '2030-01-10' } });
  expectStatus(task, 201, 'task');
  expectJsonError(await as('inst', 'PATCH', `${API}/${F.manual}/followups/${task.json.id}`, { json: { outcome: 'agreement' } }), 422, 'outcome');
  const ok = await as('ent', 'PATCH', url, { json: { outcome: 'valuable_contact', outcome_note: '企业计划下季度立项' } });
  expectStatus(ok, 200, 'record outcome as the other party');
  assert.equal(ok.json.outcome, 'valuable_contact');
  assert.equal(ok.json.outcome_note, '企业计划下季度立项');
  assert.equal(ok.json.done, true);
  assert.ok(ok.json.outcome_at);
  // the form on the detail page corrects it; history keeps both
  const d = await page('inst', `/intentions/${F.manual}`);
  assert.match(d.text, new RegExp(`id="outcome-form-${F.six}"`));
  expectStatus(await postForm('inst', `/intentions/${F.manual}/followups/${F.six}/outcome`, { outcome: 'negotiating', outcome_note: '' }), 303, 'outcome form');
  expectStatus(await postForm('inst', `/intentions/${F.manual}/followups/${F.six}/outcome`, { outcome: 'bogus' }), 422, 'outcome form validation');
  expectStatus(await postForm('inst', `/intentions/${F.manual}/followups/${F.six}/outcome`, { outcome: 'agreement' }, { noCsrf: true }), 403, 'outcome form without CSRF');
  const it = (await as('inst', 'GET', `${API}/${F.manual}`)).json;
  assert.equal(it.followups.find((f) => f.id === F.six).outcome, 'negotiating');
  assert.equal(it.history.filter((h) => h.action === 'outcome').length, 2);
});

test('outcomes API: counts per event and overall, organizers only', async () => {
  for (const p of ['/api/v1/outcomes', `/api/v1/events/${EV}/outcomes`]) {
    expectJsonError(await request('GET', p), 401);
    expectJsonError(await as('inst', 'GET', p), 403);
  }
  expectJsonError(await as('org', 'GET', '/api/v1/events/999999/outcomes'), 404);
  expectJsonError(await as('org', 'GET', '/api/v1/outcomes?event_id=abc'), 422, 'event_id');
  const r = await as('org', 'GET', `/api/v1/events/${EV}/outcomes`);
  expectStatus(r, 200, 'outcomes');
  const o = r.json;
  assert.equal(o.event_id, EV);
  const sum = Object.values(o.outcomes).reduce((a, b) => a + b, 0);
  assert.equal(sum, o.six_month.recorded);
  assert.equal(o.six_month.recorded + o.six_month.pending, o.six_month.total);
  assert.ok(o.outcomes.negotiating >= 2, 'demo + this suite');
  const all = (await as('org', 'GET', '/api/v1/outcomes')).json;
  assert.equal(all.event_id, null);
  assert.ok(all.six_month.total >= o.six_month.total);
  // the intentions of the event all have one (those recorded for it)
  const its = (await as('org', 'GET', `${API}?event_id=${EV}`)).json.total;
  assert.equal(o.six_month.total, its);
});

test('meeting outcomes: held meetings of the event, organizers only; record, correct, validate', async () => {
  const url = `/api/v1/events/${EV}/meetings/outcomes`;
  expectJsonError(await request('GET', url), 401);
  expectJsonError(await as('inst', 'GET', url), 403);
  expectJsonError(await as('org', 'GET', '/api/v1/events/999999/meetings/outcomes'), 404);
  const r = await as('org', 'GET', url);
  expectStatus(r, 200, 'meeting outcomes');
  const all = (await as('org', 'GET', `/api/v1/events/${EV}/meetings`)).json;
  const ms = all.meetings || all.items || all;
  const held = ms.filter((m) => m.status === 'accepted' && m.slot);
  assert.equal(r.json.meetings.length, held.length);
  assert.equal(r.json.summary.held, held.length);
  const recorded = r.json.meetings.filter((m) => m.outcome).length;
  assert.equal(r.json.summary.recorded, recorded);
  assert.ok(recorded > 0, 'the demo records some');
  const sum = Object.values(r.json.summary.outcomes).reduce((a, b) => a + b, 0);
  assert.equal(sum, recorded);
  for (const m of r.json.meetings) assert.ok(m.requester.name && m.invitee.name && m.start_time, JSON.stringify(m));
  const open = r.json.meetings.find((m) => !m.outcome);
  need(open, 'a held meeting without an outcome');
  const put = (role, id, body) => as(role, 'PUT', `/api/v1/events/${EV}/meetings/${id}/outcome`, { json: body });
  expectJsonError(await put('inst', open.meeting_id, { outcome: 'agreement' }), 403);
  expectJsonError(await put('org', open.meeting_id, { outcome: 'signed' }), 422, 'outcome');
  expectJsonError(await put('org', open.meeting_id, {}), 422, 'outcome');
  expectJsonError(await put('org', open.meeting_id, { outcome: 'agreement', note: 'x'.repeat(2001) }), 422, 'note');
  expectJsonError(await put('org', open.meeting_id, { outcome: 7 }), 422, 'outcome');
  expectJsonError(await put('org', 999999, { outcome: 'agreement' }), 404);
  const notHeld = ms.find((m) => !(m.status === 'accepted' && m.slot));
  if (notHeld) expectJsonError(await put('org', notHeld.id, { outcome: 'agreement' }), 409);
  const ok = await put('org', open.meeting_id, { outcome: 'valuable_contact', note: '企业来访' });
  expectStatus(ok, 200, 'record');
  assert.equal(ok.json.outcome, 'valuable_contact');
  assert.equal(ok.json.note, '企业来访');
  assert.ok(ok.json.recorded_at);
  const again = await put('org', open.meeting_id, { outcome: 'negotiating' });
  assert.equal(again.json.outcome, 'negotiating');
  assert.equal(again.json.note, '');
  const after = (await as('org', 'GET', url)).json.summary;
  assert.equal(after.recorded, recorded + 1);
  const o = (await as('org', 'GET', `/api/v1/events/${EV}/outcomes`)).json;
  assert.deepEqual(o.meetings, after);
  // the page and its form
  expectStatus(await page('inst', `/events/${EV}/outcomes`), 403, 'member');
  const pg = await page('org', `/events/${EV}/outcomes`);
  expectStatus(pg, 200, 'page');
  assert.match(pg.text, new RegExp(`id="m${open.meeting_id}"`));
  const form = `/events/${EV}/outcomes/${open.meeting_id}`;
  expectStatus(await postForm('org', form, { outcome: 'agreement', note: '' }, { noCsrf: true }), 403, 'no CSRF');
  expectStatus(await postForm('inst', form, { outcome: 'agreement', note: '' }), 403, 'member form');
  expectStatus(await postForm('org', form, { outcome: 'bogus', note: '' }), 422, 'bad outcome');
  const f = await postForm('org', form, { outcome: 'agreement', note: '签约' });
  expectStatus(f, 303, 'form');
  assert.equal(f.headers.location, `/events/${EV}/outcomes?saved=1#m${open.meeting_id}`);
});

// ================================================================ dashboard and public results (issue 5, item 3)

test('dashboard: cards, charts data, overdue list, outcomes and report links on /stats', async () => {
  const r = await page('org', `/stats?event_id=${EV}`);
  expectStatus(r, 200, 'dashboard');
  for (const id of ['dash-cards', 'card-collected', 'card-contract_amount_wan', 'dash-overdue', 'outcome-table', 'funnel', 'attendance']) {
    assert.match(r.text, new RegExp(`id="${id}"`), id);
  }
  assert.match(r.text, new RegExp(`href="/events/${EV}/report.pdf"`));
  assert.match(r.text, new RegExp(`href="/events/${EV}/report.xlsx"`));
  assert.match(r.text, /data-stats="\{&quot;event_id&quot;:1,/);
  assert.match(r.text, /<script src="\/static\/echarts.min.js"><\/script>/);
  const o = await page('org', '/stats?from=2026-01-01&to=2026-12-31');
  expectStatus(o, 200, 'period');
  assert.match(o.text, /href="\/stats\/report.pdf\?from=2026-01-01&amp;to=2026-12-31"/);
  expectStatus(await page('org', '/stats?from=2026-13-01'), 422, 'bad from');
  expectStatus(await page('org', '/stats?event_id=999999'), 404, 'unknown event');
  const js = await request('GET', '/static/dashboard.js');
  expectStatus(js, 200, 'dashboard.js');
  expectStatus(await request('GET', '/static/echarts.min.js'), 200, 'echarts');
});

test('results: 404 for the public until published; staff preview; publish needs staff and CSRF', async () => {
  const url = `/events/${EV}/results`;
  expectStatus(await request('GET', url), 404, 'anonymous before publishing');
  expectJsonError(await request('GET', `/api/v1${url}`), 404);
  expectJsonError(await as('inst', 'GET', `/api/v1${url}`), 404);
  expectJsonError(await as('inst', 'POST', `/api/v1${url}`, { json: { public: true } }), 403);
  expectJsonError(await request('POST', `/api/v1${url}`, { json: { public: true } }), 401);
  expectJsonError(await as('org', 'POST', `/api/v1${url}`, { json: { public: 'yes' } }), 422, 'public');
  expectJsonError(await as('org', 'POST', '/api/v1/events/999999/results', { json: { public: true } }), 404);
  const pv = await page('org', url);
  expectStatus(pv, 200, 'staff preview');
  assert.match(pv.text, /id="results-publish"/);
  const api = await as('org', 'GET', `/api/v1${url}`);
  assert.equal(api.json.preview, true);
  assert.equal(api.json.results_public, false);
  expectStatus(await postForm('org', url, { public: '1' }, { noCsrf: true }), 403, 'publish without CSRF');
  expectStatus(await postForm('inst', url, { public: '1' }), 403, 'member publishes');
  const pub = await postForm('org', url, { public: '1' });
  expectStatus(pub, 303, 'publish');
  assert.equal(pub.headers.location, `${url}?saved=1`);
  const anon = await request('GET', url);
  expectStatus(anon, 200, 'anonymous after publishing');
  assert.doesNotMatch(anon.headers['cache-control'] || '', /max-age=[1-9]/);
});

test('results: aggregates only, no confidential data; the ranking once the roadshow publishes it', async () => {
  const url = `/events/${EV}/results`;
  const r = await request('GET', `/api/v1${url}`);
  expectStatus(r, 200, 'results API');
  const j = r.json;
  assert.equal(j.results_public, true);
  assert.equal(j.preview, false);
  const its = (await as('org', 'GET', `${API}?event_id=${EV}`)).json;
  assert.equal(j.stats.funnel.intentions, its.total);
  assert.equal(Object.values(j.intentions_by_stage).reduce((a, b) => a + b, 0), its.total);
  const text = JSON.stringify(j);
  for (const bad of ['note', 'email', 'phone', 'org_a', 'org_b', 'amount_centi', 'by_org_type']) {
    assert.ok(!text.includes(bad), `results JSON holds ${bad}`);
  }
  for (const row of j.stats.by_field) assert.equal(row.amount_wan, undefined);
  const html = (await request('GET', url)).text;
  for (const it of its.intentions) if (it.note) assert.ok(!html.includes(it.note), `note "${it.note}" on the page`);
  assert.doesNotMatch(html, /demo\.duijie\.cn|@intention\.test/);
  assert.equal(j.ranking, null, 'demo ranking not published yet');
  expectStatus(await as('org', 'PATCH', `/api/v1/events/${EV}/roadshow`, { json: { published: true } }), 200, 'publish ranking');
  const r2 = (await request('GET', `/api/v1${url}`)).json;
  assert.ok(Array.isArray(r2.ranking) && r2.ranking.length > 0, 'ranking after publishing');
  assert.equal(r2.ranking[0].rank, 1);
  assert.match((await request('GET', url)).text, /id="results-ranking"/);
  // withdrawn: 404 again (API switch)
  const w = await as('org', 'POST', `/api/v1${url}`, { json: { public: false } });
  expectStatus(w, 200, 'withdraw');
  assert.equal(w.json.preview, true);
  expectStatus(await request('GET', url), 404, 'anonymous after withdrawing');
  expectStatus(await as('org', 'POST', `/api/v1${url}`, { json: { public: true } }), 200, 'publish again');
});

// ================================================================ main

runSuite({
  setupName: 'demo database, a member of a third organization, server healthy, sessions and tokens',
  setup,
  filter: FILTER,
  stopServer,
  serverErr: () => serverErr,
  cleanup: () => tmp && fs.rmSync(tmp, { recursive: true, force: true }),
});
