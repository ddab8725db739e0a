// events.mjs — black-box tests of the events feature (对接会): events, registration, approval,
// capacity and deadline, signed check-in, counts, CSV export, the agenda and .ics, the pages and
// the CLI. Starts the real binary on a fresh demo database.
//
//   node tests/blackbox/events.mjs build/duijie            (or build/asan/duijie)
//   BLACKBOX_FILTER=csv node tests/blackbox/events.mjs build/duijie
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
  admin: ['admin@demo.duijie.cn', 'admin-demo-2026'],
  org: ['organizer@demo.duijie.cn', 'organizer-demo-2026'],
  inst: ['inst@demo.duijie.cn', 'inst-demo-2026'],
  ent: ['ent@demo.duijie.cn', 'ent-demo-2026'],
};

const S = {}; // role -> {cookie, csrf, user}
const T = {}; // role -> bearer token
const V = {}; // visitor: {cookie, csrf} from the dj_pre double-submit cookie
const E = {}; // events created by the tests

let tmp;
let dbPath;
let server;
let serverErr = '';

function need(v, what) {
  if (!v) throw new Error(`precondition failed: no ${what} (see earlier failures)`);
  return v;
}

async function signIn(role) {
  const s = await signInAs(...DEMO[role], `events-${role}`);
  S[role] = { cookie: s.cookie, csrf: s.csrf };
  T[role] = s.token;
}

const as = (role, method, p, opts = {}) => request(method, p, { ...opts, bearer: need(T[role], `token ${role}`) });
const asSession = (role, method, p, opts = {}) =>
  request(method, p, { ...opts, cookie: need(S[role], `session ${role}`).cookie, csrf: opts.noCsrf ? undefined : S[role].csrf });
const postForm = (role, p, fields, opts = {}) => {
  const pairs = Array.isArray(fields) ? [...fields] : Object.entries(fields);
  const who = role === 'visitor' ? V : S[role];
  if (!opts.noCsrf) pairs.push(['_csrf', who.csrf]);
  return request('POST', p, { cookie: who.cookie, form: pairs });
};
const anon = (method, p, opts = {}) => request(method, p, { ...opts, cookie: V.cookie, csrf: opts.noCsrf ? undefined : V.csrf });

const FUTURE = '2031-05-20';
function eventBody(extra = {}) {
  return {
    title: '黑盒测试对接会',
    title_en: 'Black-box matchmaking day',
    orgs: [1, 2],
    venue: '开平市测试会议中心',
    date: FUTURE,
    start_time: '09:00',
    end_time: '17:00',
    fields: ['biomed', 'biomed.api'],
    description: '测试用活动。',
    capacity: 100,
    needs_approval: false,
    ...extra,
  };
}
let seq = 0;
function person(extra = {}) {
  seq++;
  return {
    name: `测试人员${seq}`,
    org_name: '测试单位',
    category: 'enterprise',
    brings: 'needs',
    phone: '139 0000 0000',
    email: `p${seq}-${Date.now().toString(36)}@example.com`,
    ...extra,
  };
}

/* Creates and (by default) publishes an event as the organizer; returns its JSON. */
async function makeEvent(extra = {}, publish = true) {
  const r = await as('org', 'POST', '/api/v1/events', { json: eventBody(extra) });
  expectStatus(r, 201, 'create event');
  if (!publish) return r.json;
  const p = await as('org', 'POST', `/api/v1/events/${r.json.id}/publish`);
  expectStatus(p, 200, 'publish event');
  return p.json;
}

async function register(eventId, extra = {}) {
  const r = await anon('POST', `/api/v1/events/${eventId}/registrations`, { json: person(extra) });
  return r;
}

// ================================================================ setup

async function setup() {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'duijie-ev-'));
  dbPath = path.join(tmp, 'db');
  const demo = await run(BIN, ['demo', '--db', dbPath], { timeout: 120000 });
  if (demo.code !== 0) throw new Error(`demo failed (${demo.code}): ${demo.stderr}`);
  if (!/demo event: .*90 registrations/.test(demo.stdout)) throw new Error(`demo output lacks the event: ${demo.stdout.slice(-300)}`);
  ctx.port = await freePort();
  server = spawn(BIN, ['serve', '--db', dbPath, '--listen', `127.0.0.1:${ctx.port}`, '--quiet', '--timeout', '10'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout.on('data', () => {});
  server.stderr.on('data', (d) => (serverErr += d));
  await waitHealthy(SLOW ? 60000 : 20000, server);
  for (const role of ['org', 'inst', 'ent']) await signIn(role);
  const g = await request('GET', '/events/1/register');
  expectStatus(g, 200, 'register form');
  const pre = setCookie(g, 'dj_pre');
  assert.ok(pre, 'register form sets no dj_pre cookie for visitors');
  V.cookie = `dj_pre=${pre.value}`;
  V.csrf = csrfFromHtml(g.text);
  assert.equal(V.csrf, pre.value, 'form _csrf differs from dj_pre');
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

// ================================================================ demo event and reads

test('demo: one published event with five co-organizers, five sessions, 90 registrations', async () => {
  const l = await request('GET', '/api/v1/events');
  expectStatus(l, 200);
  assert.equal(l.json.total, 1);
  const ev = l.json.items[0];
  assert.equal(ev.status, 'published');
  assert.equal(ev.orgs.length, 5);
  assert.ok(ev.fields.includes('biomed.api'));
  const s = await request('GET', '/api/v1/events/1/sessions');
  expectStatus(s, 200);
  assert.equal(s.json.items.length, 5);
  assert.deepEqual([...new Set(s.json.items.map((x) => x.kind))].sort(), ['matchmaking', 'opening', 'other', 'roadshow']);
  const c = await as('org', 'GET', '/api/v1/events/1/counts');
  expectStatus(c, 200);
  assert.equal(c.json.total.registered, 90);
  assert.ok(c.json.total.checked_in > 30, `checked in ${c.json.total.checked_in}`);
  assert.equal(c.json.items.length, 5);
  assert.ok(c.json.items.every((i) => i.registered > 0));
});

test('GET /api/v1/events/:id unknown 404, non-numeric path 404', async () => {
  expectJsonError(await request('GET', '/api/v1/events/999999'), 404);
  expectJsonError(await request('GET', '/api/v1/events/abc'), 404);
});

test('pages: /events, /events/1, nav link, register form for visitors', async () => {
  const home = await request('GET', '/');
  assert.match(home.text, /href="\/events"/);
  const l = await request('GET', '/events');
  expectStatus(l, 200);
  assert.match(l.text, /开平市生物医药科技成果对接会/);
  const d = await request('GET', '/events/1');
  expectStatus(d, 200);
  assert.match(d.text, /id="agenda"/);
  assert.match(d.text, /开幕致辞/);
  assert.match(d.text, /href="\/events\/1\/register"/);
  assert.doesNotMatch(d.text, /id="staff-actions"/, 'visitors see staff actions');
  const o = await request('GET', '/events/1', { cookie: S.org.cookie });
  assert.match(o.text, /id="staff-actions"/);
  const en = await request('GET', '/events/1', { cookie: 'dj_lang=en' });
  assert.match(en.text, /Kaiping Biomedicine Technology Matchmaking Conference/);
  assert.match(en.text, /Agenda/);
  expectStatus(await request('GET', '/events/999999'), 404);
});

// ================================================================ events: create, update, publish

test('POST /api/v1/events creates a draft (organizer)', async () => {
  const r = await as('org', 'POST', '/api/v1/events', { json: eventBody() });
  expectStatus(r, 201);
  assert.equal(r.json.status, 'draft');
  assert.equal(r.json.orgs.length, 2);
  assert.deepEqual(r.json.fields, ['biomed', 'biomed.api']);
  assert.equal(r.json.capacity, 100);
  assert.match(r.headers.location, /^\/api\/v1\/events\/\d+$/);
  E.draft = r.json;
});

test('POST /api/v1/events validation names the field', async () => {
  const cases = [
    [{ title: '' }, 'title'],
    [{ orgs: [] }, 'orgs'],
    [{ orgs: [999999] }, 'orgs'],
    [{ venue: '' }, 'venue'],
    [{ date: '2031-02-30' }, 'date'],
    [{ start_time: '25:00' }, 'start_time'],
    [{ end_time: '08:00' }, 'end_time'],
    [{ fields: ['nope'] }, 'fields'],
    [{ capacity: 0 }, 'capacity'],
    [{ reg_deadline: '2031-05-21T10:00' }, 'reg_deadline'],
    [{ reg_deadline: 'tomorrow' }, 'reg_deadline'],
    [{ title: ['x'] }, 'title'],
  ];
  for (const [extra, field] of cases) expectJsonError(await as('org', 'POST', '/api/v1/events', { json: eventBody(extra) }), 422, field);
  expectJsonError(await as('org', 'POST', '/api/v1/events', { body: 'x', headers: { 'Content-Type': 'text/plain' } }), 422);
});

test('POST /api/v1/events: 401 anonymous, 403 member, 403 session without CSRF', async () => {
  expectJsonError(await request('POST', '/api/v1/events', { json: eventBody() }), 401);
  expectJsonError(await as('inst', 'POST', '/api/v1/events', { json: eventBody() }), 403);
  expectJsonError(await asSession('org', 'POST', '/api/v1/events', { json: eventBody(), noCsrf: true }), 403);
  expectStatus(await asSession('org', 'POST', '/api/v1/events', { json: eventBody({ title: '会话创建的活动' }) }), 201);
});

test('drafts are hidden from the public, shown to organizers', async () => {
  const id = need(E.draft, 'draft').id;
  expectJsonError(await request('GET', `/api/v1/events/${id}`), 404);
  expectStatus(await request('GET', `/events/${id}`), 404);
  expectJsonError(await request('GET', `/api/v1/events/${id}/sessions`), 404);
  expectStatus(await request('GET', `/events/${id}/agenda.ics`), 404);
  const pub = await request('GET', '/api/v1/events');
  assert.ok(!pub.json.items.some((e) => e.id === id));
  const staff = await as('org', 'GET', '/api/v1/events');
  assert.ok(staff.json.items.some((e) => e.id === id));
  expectStatus(await as('org', 'GET', `/api/v1/events/${id}`), 200);
  expectJsonError(await anon('POST', `/api/v1/events/${id}/registrations`, { json: person() }), 404);
});

test('PUT and PATCH /api/v1/events/:id', async () => {
  const id = need(E.draft, 'draft').id;
  const p = await as('org', 'PATCH', `/api/v1/events/${id}`, { json: { venue: '新会场', capacity: null } });
  expectStatus(p, 200);
  assert.equal(p.json.venue, '新会场');
  assert.equal(p.json.capacity, null);
  assert.equal(p.json.title, '黑盒测试对接会', 'PATCH lost a field');
  const u = await as('org', 'PUT', `/api/v1/events/${id}`, { json: eventBody({ title: '改名后的对接会', orgs: [3] }) });
  expectStatus(u, 200);
  assert.equal(u.json.title, '改名后的对接会');
  assert.deepEqual(u.json.orgs.map((o) => o.id), [3]);
  expectJsonError(await as('org', 'PUT', `/api/v1/events/${id}`, { json: { title: 'x' } }), 422, 'orgs');
  expectJsonError(await as('org', 'PATCH', `/api/v1/events/${id}`, { json: { end_time: '01:00' } }), 422, 'end_time');
  expectJsonError(await request('PATCH', `/api/v1/events/${id}`, { json: { venue: 'x' } }), 401);
  expectJsonError(await as('ent', 'PATCH', `/api/v1/events/${id}`, { json: { venue: 'x' } }), 403);
  expectJsonError(await asSession('org', 'PATCH', `/api/v1/events/${id}`, { json: { venue: 'x' }, noCsrf: true }), 403);
  expectJsonError(await as('org', 'PATCH', '/api/v1/events/999999', { json: { venue: 'x' } }), 404);
});

test('POST /api/v1/events/:id/publish and unpublish', async () => {
  const id = need(E.draft, 'draft').id;
  expectJsonError(await request('POST', `/api/v1/events/${id}/publish`), 401);
  expectJsonError(await as('inst', 'POST', `/api/v1/events/${id}/publish`), 403);
  expectJsonError(await asSession('org', 'POST', `/api/v1/events/${id}/publish`, { noCsrf: true }), 403);
  expectJsonError(await as('org', 'POST', '/api/v1/events/999999/publish'), 404);
  expectJsonError(await as('org', 'POST', `/api/v1/events/${id}/explode`), 404);
  const p = await as('org', 'POST', `/api/v1/events/${id}/publish`);
  expectStatus(p, 200);
  assert.equal(p.json.status, 'published');
  assert.ok(p.json.published_at);
  expectJsonError(await as('org', 'POST', `/api/v1/events/${id}/publish`), 409);
  expectStatus(await request('GET', `/api/v1/events/${id}`), 200);
  const u = await as('org', 'POST', `/api/v1/events/${id}/unpublish`);
  assert.equal(u.json.status, 'draft');
  expectJsonError(await request('GET', `/api/v1/events/${id}`), 404);
});

// ================================================================ registration

test('POST /api/v1/events/:id/registrations: visitor registers, gets a badge token', async () => {
  const ev = await makeEvent();
  E.open = ev;
  const r = await register(ev.id, { email: 'Mixed.Case@Example.com' });
  expectStatus(r, 201);
  assert.equal(r.json.status, 'approved');
  assert.match(r.json.token, /^[0-9a-f]{32}$/);
  assert.equal(r.json.badge_url, `/events/${ev.id}/badge/${r.json.token}`);
  assert.equal(r.json.email, 'mixed.case@example.com');
  assert.match(r.json.checkin_url, new RegExp(`^/events/${ev.id}/checkin/${r.json.id}/[0-9a-f]{32}$`));
  assert.equal(r.json.user_id, null);
  E.reg = r.json;
});

test('registration validation names the field', async () => {
  const id = need(E.open, 'open event').id;
  const cases = [
    [{ name: '' }, 'name'],
    [{ org_name: '' }, 'org_name'],
    [{ category: 'alien' }, 'category'],
    [{ category: '' }, 'category'],
    [{ brings: 'cake' }, 'brings'],
    [{ phone: 'call me' }, 'phone'],
    [{ email: 'not-an-email' }, 'email'],
    [{ email: '' }, 'email'],
    [{ link_org: true }, 'link_org'],
    [{ listings: [1] }, 'listings'],
    [{ name: 5.5 }, 'name'],
  ];
  for (const [extra, field] of cases) expectJsonError(await register(id, extra), 422, field);
});

test('registration: duplicate email refused (case-insensitive), 409 field email', async () => {
  const id = need(E.open, 'open event').id;
  const e = expectJsonError(await register(id, { email: 'MIXED.case@example.COM' }), 409, 'email');
  assert.match(e.message, /already registered/);
  // the same person may register for another event
  const other = await makeEvent({ title: '另一场活动' });
  expectStatus(await register(other.id, { email: 'mixed.case@example.com' }), 201);
});

test('registration: missing CSRF 403, unknown event 404', async () => {
  expectJsonError(await request('POST', '/api/v1/events/1/registrations', { json: person() }), 403);
  expectJsonError(await anon('POST', '/api/v1/events/1/registrations', { json: person(), noCsrf: true }), 403);
  expectJsonError(await anon('POST', '/api/v1/events/999999/registrations', { json: person() }), 404);
});

test('capacity: the seat after the last is refused (409 full), seats_left counts down', async () => {
  const ev = await makeEvent({ capacity: 2, title: '容量测试' });
  expectStatus(await register(ev.id), 201);
  const mid = await request('GET', `/api/v1/events/${ev.id}`);
  assert.equal(mid.json.seats_left, 1);
  expectStatus(await register(ev.id), 201);
  const full = expectJsonError(await register(ev.id), 409);
  assert.match(full.message, /full/);
  const after = await request('GET', `/api/v1/events/${ev.id}`);
  assert.equal(after.json.registration_open, false);
  assert.equal(after.json.closed_reason, 'event.err.full');
  const page = await request('GET', `/events/${ev.id}`);
  assert.match(page.text, /id="closed"/);
  // organizers may still add a walk-in
  expectStatus(await as('org', 'POST', `/api/v1/events/${ev.id}/registrations`, { json: person() }), 201);
});

test('deadline: registration after the deadline is refused (409 closed)', async () => {
  const ev = await makeEvent({ title: '截止测试', reg_deadline: '2020-01-01T00:00' });
  assert.equal(ev.registration_open, false);
  const e = expectJsonError(await register(ev.id), 409);
  assert.match(e.message, /closed/);
  const past = await makeEvent({ title: '已结束的活动', date: '2021-03-01' });
  expectJsonError(await register(past.id), 409);
  const ok = await makeEvent({ title: '截止未到', reg_deadline: '2031-05-19 18:00' });
  assert.equal(ok.reg_deadline, '2031-05-19T18:00');
  expectStatus(await register(ok.id), 201);
});

test('members link their organization and bring its published listings', async () => {
  const id = need(E.open, 'open event').id;
  const mine = await as('inst', 'GET', '/api/v1/achievements?scope=mine&status=published&per_page=5');
  expectStatus(mine, 200);
  const ach = need(mine.json.items[0], "a published achievement of inst's org");
  const other = await request('GET', '/api/v1/achievements?per_page=50');
  const foreign = other.json.items.find((a) => a.org && a.org.id !== ach.org.id);
  const body = person({ category: 'university', brings: 'achievements', link_org: true, listings: [ach.id], org_name: '' });
  const r = await as('inst', 'POST', `/api/v1/events/${id}/registrations`, { json: body });
  expectStatus(r, 201);
  assert.equal(r.json.org_id, ach.org.id);
  assert.equal(r.json.org_name, ach.org.name);
  assert.ok(r.json.user_id);
  assert.deepEqual(r.json.listings.map((l) => l.id), [ach.id]);
  expectJsonError(await as('inst', 'POST', `/api/v1/events/${id}/registrations`, { json: person({ brings: 'achievements', listings: [foreign.id] }) }), 422, 'listings');
  expectJsonError(await as('inst', 'POST', `/api/v1/events/${id}/registrations`, { json: person({ brings: 'needs', listings: [ach.id] }) }), 422, 'listings');
  const list = await as('org', 'GET', `/api/v1/events/${id}/registrations`);
  assert.ok(list.json.items.find((x) => x.id === r.json.id).listings.length === 1);
});

// ================================================================ approval

test('approval: pending → approved / rejected; roles, CSRF, unknown ids', async () => {
  const ev = await makeEvent({ title: '审核测试', needs_approval: true });
  E.approval = ev;
  const a = await register(ev.id);
  expectStatus(a, 201);
  assert.equal(a.json.status, 'pending');
  const b = await register(ev.id);
  const base = `/api/v1/events/${ev.id}/registrations`;
  expectJsonError(await request('POST', `${base}/${a.json.id}/approve`), 401);
  expectJsonError(await as('ent', 'POST', `${base}/${a.json.id}/approve`), 403);
  expectJsonError(await asSession('org', 'POST', `${base}/${a.json.id}/approve`, { noCsrf: true }), 403);
  expectJsonError(await as('org', 'POST', `${base}/999999/approve`), 404);
  expectJsonError(await as('org', 'POST', `/api/v1/events/1/registrations/${a.json.id}/approve`), 404);
  expectJsonError(await as('org', 'POST', `${base}/${a.json.id}/bless`), 404);
  const ok = await as('org', 'POST', `${base}/${a.json.id}/approve`);
  expectStatus(ok, 200);
  assert.equal(ok.json.status, 'approved');
  expectJsonError(await as('org', 'POST', `${base}/${a.json.id}/approve`), 409);
  const rej = await asSession('org', 'POST', `${base}/${b.json.id}/reject`);
  expectStatus(rej, 200);
  assert.equal(rej.json.status, 'rejected');
  const pend = await register(ev.id);
  E.pending = pend.json;
  const only = await as('org', 'GET', `${base}?status=pending`);
  assert.deepEqual(only.json.items.map((x) => x.id), [pend.json.id]);
  expectJsonError(await as('org', 'GET', `${base}?status=weird`), 422, 'status');
});

test('GET registrations (list, one): organizers only', async () => {
  const id = need(E.open, 'open event').id;
  const base = `/api/v1/events/${id}/registrations`;
  expectJsonError(await request('GET', base), 401);
  expectJsonError(await as('inst', 'GET', base), 403);
  expectJsonError(await as('org', 'GET', '/api/v1/events/999999/registrations'), 404);
  const l = await as('org', 'GET', base);
  expectStatus(l, 200);
  assert.ok(l.json.total >= 2);
  const one = await as('org', 'GET', `${base}/${E.reg.id}`);
  expectStatus(one, 200);
  assert.equal(one.json.email, 'mixed.case@example.com');
  expectJsonError(await as('org', 'GET', `${base}/999999`), 404);
  expectJsonError(await as('inst', 'GET', `${base}/${E.reg.id}`), 403);
});

// ================================================================ badge and check-in

test('badge page: name, QR code as inline SVG (no style, no script), CSP kept', async () => {
  const reg = need(E.reg, 'registration');
  const b = await request('GET', reg.badge_url);
  expectStatus(b, 200);
  assert.match(b.text, /id="badge-name"/);
  const svg = b.text.match(/<svg[^>]*class="qr"[\s\S]*?<\/svg>/);
  assert.ok(svg, 'no QR svg on the badge');
  assert.match(svg[0], /<path fill="#000" d="M\d+ \d+h\d+v1h-\d+z/);
  assert.doesNotMatch(svg[0], /style=|<script/);
  assert.match(b.headers['content-security-policy'], /default-src 'none'/);
  expectStatus(await request('GET', `/events/${reg.event_id}/badge/${'0'.repeat(32)}`), 404);
  expectStatus(await request('GET', `/events/1/badge/${reg.token}`), 404);
  const fresh = await request('GET', `${reg.badge_url}?new=1`);
  assert.match(fresh.text, /id="registered"/);
});

test('badge of a pending registration shows no QR code', async () => {
  const p = need(E.pending, 'pending registration');
  const b = await request('GET', p.badge_url);
  expectStatus(b, 200);
  assert.doesNotMatch(b.text, /class="qr"/);
});

test('check-in by QR: staff scan page, confirm once, second scan "already checked in at HH:MM"', async () => {
  const reg = need(E.reg, 'registration');
  const url = reg.checkin_url;
  expectLoginRedirect(await request('GET', url));
  const login = await request('GET', url);
  assert.match(decodeURIComponent(login.headers.location), new RegExp(url), 'sign-in loses the signed path');
  expectStatus(await request('GET', url, { cookie: S.inst.cookie }), 403);
  const scan = await request('GET', url, { cookie: S.org.cookie });
  expectStatus(scan, 200);
  assert.match(scan.text, /id="checkin-confirm"/);
  expectStatus(await postForm('org', url, {}, { noCsrf: true }), 403);
  const done = await postForm('org', url, {});
  expectStatus(done, 200);
  assert.match(done.text, /id="checkin-result"/);
  const again = await postForm('org', url, {});
  expectStatus(again, 409);
  assert.match(again.text, /\d\d:\d\d/);
  const rescan = await request('GET', url, { cookie: S.org.cookie });
  assert.doesNotMatch(rescan.text, /id="checkin-confirm"/);
  const api = expectJsonError(await as('org', 'POST', `/api/v1/events/${reg.event_id}/registrations/${reg.id}/checkin`), 409);
  assert.match(api.message, /already checked in at \d\d:\d\d/);
  const badge = await request('GET', reg.badge_url);
  assert.match(badge.text, /id="badge-checked"/);
});

test('check-in: a forged or foreign signature is refused', async () => {
  const reg = need(E.reg, 'registration');
  const bad = `/events/${reg.event_id}/checkin/${reg.id}/${'ab'.repeat(16)}`;
  expectStatus(await request('GET', bad, { cookie: S.org.cookie }), 403);
  expectStatus(await postForm('org', bad, {}), 403);
  const sig = reg.checkin_url.split('/').pop();
  expectStatus(await request('GET', `/events/${reg.event_id}/checkin/${reg.id + 1}/${sig}`, { cookie: S.org.cookie }), 403);
  expectJsonError(await as('org', 'POST', `/api/v1/events/${reg.event_id}/registrations/${reg.id}/checkin`, { json: { sig: 'ab'.repeat(16) } }), 403);
  expectJsonError(await as('org', 'POST', `/api/v1/events/${reg.event_id}/registrations/${reg.id}/checkin`, { json: { sig: 7 } }), 422, 'sig');
});

test('check-in API: signed and manual, once; pending refused; roles and CSRF', async () => {
  const id = need(E.open, 'open event').id;
  const r = await register(id);
  const base = `/api/v1/events/${id}/registrations/${r.json.id}/checkin`;
  expectJsonError(await request('POST', base), 401);
  expectJsonError(await as('inst', 'POST', base), 403);
  expectJsonError(await asSession('org', 'POST', base, { noCsrf: true }), 403);
  expectJsonError(await as('org', 'POST', `/api/v1/events/${id}/registrations/999999/checkin`), 404);
  const sig = r.json.checkin_url.split('/').pop();
  const ok = await as('org', 'POST', base, { json: { sig } });
  expectStatus(ok, 200);
  assert.match(ok.json.checked_in_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  expectJsonError(await as('org', 'POST', base), 409);
  const p = need(E.pending, 'pending registration');
  const pe = expectJsonError(await as('org', 'POST', `/api/v1/events/${p.event_id}/registrations/${p.id}/checkin`), 409);
  assert.match(pe.message, /not approved/);
  const m = await register(id);
  expectStatus(await asSession('org', 'POST', `/api/v1/events/${id}/registrations/${m.json.id}/checkin`), 200);
});

test('counts: live numbers by category; organizers only', async () => {
  const id = need(E.open, 'open event').id;
  const c = await as('org', 'GET', `/api/v1/events/${id}/counts`);
  expectStatus(c, 200);
  const ent = c.json.items.find((i) => i.category === 'enterprise');
  assert.ok(ent.registered >= 3 && ent.checked_in >= 3, JSON.stringify(ent));
  assert.equal(c.json.total.registered, c.json.items.reduce((s, i) => s + i.registered, 0));
  expectJsonError(await request('GET', `/api/v1/events/${id}/counts`), 401);
  expectJsonError(await as('ent', 'GET', `/api/v1/events/${id}/counts`), 403);
  expectJsonError(await as('org', 'GET', '/api/v1/events/999999/counts'), 404);
  const d = await request('GET', `/events/${id}/dashboard`, { cookie: S.org.cookie });
  expectStatus(d, 200);
  assert.match(d.text, /data-category="enterprise"/);
  assert.match(d.text, /src="\/static\/event\.js"/);
  expectLoginRedirect(await request('GET', `/events/${id}/dashboard`));
  expectStatus(await request('GET', `/events/${id}/dashboard`, { cookie: S.inst.cookie }), 403);
  const js = await request('GET', '/static/event.js');
  expectStatus(js, 200);
});

// ================================================================ CSV

test('CSV export: UTF-8 with BOM, header, one row per registration, formulas defused', async () => {
  const id = need(E.open, 'open event').id;
  expectStatus(await register(id, { name: '=HYPERLINK("x")', org_name: '逗号,单位' }), 201);
  const r = await request('GET', `/events/${id}/registrations.csv`, { cookie: S.org.cookie });
  expectStatus(r, 200);
  assert.match(r.headers['content-type'], /text\/csv; charset=utf-8/);
  assert.match(r.headers['content-disposition'], /attachment; filename="event-\d+-participants\.csv"/);
  assert.deepEqual([...r.buf.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'no UTF-8 BOM');
  const lines = r.text.slice(1).trimEnd().split('\r\n');
  assert.match(lines[0], /^编号,姓名,单位,类别/);
  const list = await as('org', 'GET', `/api/v1/events/${id}/registrations`);
  assert.equal(lines.length, list.json.total + 1);
  assert.ok(lines.some((l) => l.includes('"\'=HYPERLINK(""x"")"')), 'formula not escaped');
  assert.ok(lines.some((l) => l.includes('"逗号,单位"')), 'comma not quoted');
  const demo = await as('org', 'GET', '/api/v1/events/1/registrations.csv');
  expectStatus(demo, 200);
  assert.equal(demo.text.slice(1).trimEnd().split('\r\n').length, 91);
  const en = await request('GET', `/events/${id}/registrations.csv`, { cookie: `${S.org.cookie}; dj_lang=en` });
  assert.match(en.text.slice(1), /^ID,Name,Organization/);
  expectLoginRedirect(await request('GET', `/events/${id}/registrations.csv`));
  expectStatus(await request('GET', `/events/${id}/registrations.csv`, { cookie: S.ent.cookie }), 403);
  expectJsonError(await as('ent', 'GET', `/api/v1/events/${id}/registrations.csv`), 403);
  expectJsonError(await request('GET', `/api/v1/events/${id}/registrations.csv`), 401);
  expectJsonError(await as('org', 'GET', '/api/v1/events/999999/registrations.csv'), 404);
});

// ================================================================ agenda

test('sessions CRUD: create, validate, update, delete; roles, CSRF, unknown ids', async () => {
  const id = need(E.open, 'open event').id;
  const base = `/api/v1/events/${id}/sessions`;
  const body = { kind: 'roadshow', title: '项目路演', title_en: 'Roadshow', start_time: '10:00', end_time: '11:30', place: '主会场', speakers: '张教授' };
  expectJsonError(await request('POST', base, { json: body }), 401);
  expectJsonError(await as('inst', 'POST', base, { json: body }), 403);
  expectJsonError(await asSession('org', 'POST', base, { json: body, noCsrf: true }), 403);
  expectJsonError(await as('org', 'POST', '/api/v1/events/999999/sessions', { json: body }), 404);
  for (const [extra, field] of [[{ kind: 'party' }, 'kind'], [{ title: '' }, 'title'], [{ start_time: '9am' }, 'start_time'], [{ end_time: '09:00' }, 'end_time'], [{ end_time: '' }, 'end_time']])
    expectJsonError(await as('org', 'POST', base, { json: { ...body, ...extra } }), 422, field);
  const c = await as('org', 'POST', base, { json: body });
  expectStatus(c, 201);
  assert.equal(c.json.kind, 'roadshow');
  const open = await as('org', 'POST', base, { json: { ...body, kind: 'opening', title: '开幕', start_time: '09:00', end_time: '09:30' } });
  expectStatus(open, 201);
  const l = await request('GET', base);
  assert.deepEqual(l.json.items.map((s) => s.title), ['开幕', '项目路演'], 'not in time order');
  const p = await as('org', 'PATCH', `${base}/${c.json.id}`, { json: { place: '分会场' } });
  expectStatus(p, 200);
  assert.equal(p.json.place, '分会场');
  assert.equal(p.json.title, '项目路演');
  const u = await as('org', 'PUT', `${base}/${c.json.id}`, { json: { ...body, kind: 'matchmaking', title: '洽谈' } });
  assert.equal(u.json.kind, 'matchmaking');
  expectJsonError(await as('org', 'PUT', `${base}/${c.json.id}`, { json: { title: 'x' } }), 422, 'kind');
  expectJsonError(await as('org', 'PATCH', `${base}/999999`, { json: {} }), 404);
  expectJsonError(await as('org', 'PATCH', `/api/v1/events/1/sessions/${c.json.id}`, { json: {} }), 404);
  expectJsonError(await as('ent', 'DELETE', `${base}/${c.json.id}`), 403);
  expectJsonError(await request('DELETE', `${base}/${c.json.id}`), 401);
  expectStatus(await as('org', 'DELETE', `${base}/${c.json.id}`), 200);
  expectJsonError(await as('org', 'DELETE', `${base}/${c.json.id}`), 404);
  E.sessions = 1;
});

test('agenda.ics: a VCALENDAR with one VEVENT per session, UTC times, unique UIDs', async () => {
  for (const p of ['/events/1/agenda.ics', '/api/v1/events/1/agenda.ics']) {
    const r = await request('GET', p);
    expectStatus(r, 200);
    assert.match(r.headers['content-type'], /text\/calendar/);
    const text = r.text.replace(/\r\n[ \t]/g, '');
    assert.match(text, /^BEGIN:VCALENDAR\r\n/);
    assert.match(text, /END:VCALENDAR\r\n$/);
    assert.match(text, /VERSION:2\.0/);
    const vevents = text.match(/BEGIN:VEVENT/g) || [];
    assert.equal(vevents.length, 5);
    assert.equal((text.match(/END:VEVENT/g) || []).length, 5);
    const uids = text.match(/^UID:.*$/gm);
    assert.equal(new Set(uids).size, 5);
    assert.match(text, /^DTSTART:\d{8}T010000Z$/m, '09:00 in Kaiping is 01:00 UTC');
    assert.match(text, /^DTEND:\d{8}T\d{6}Z$/m);
    assert.match(text, /SUMMARY:开幕致辞/);
  }
  const id = need(E.open, 'open event').id;
  const one = await request('GET', `/events/${id}/agenda.ics`);
  assert.equal((one.text.match(/BEGIN:VEVENT/g) || []).length, 1);
  expectStatus(await request('GET', '/events/999999/agenda.ics'), 404);
  expectJsonError(await request('GET', '/api/v1/events/999999/agenda.ics'), 404);
});

// ================================================================ pages: forms

test('pages: organizer creates an event with the form; errors shown at the field', async () => {
  const g = await request('GET', '/events/new', { cookie: S.org.cookie });
  expectStatus(g, 200);
  assert.match(g.text, /name="orgs"/);
  expectLoginRedirect(await request('GET', '/events/new'));
  expectStatus(await request('GET', '/events/new', { cookie: S.inst.cookie }), 403);
  const fields = [['title', '表单创建的活动'], ['orgs', '1'], ['orgs', '4'], ['venue', '表单会场'], ['date', FUTURE], ['start_time', '09:00'], ['end_time', '12:00'], ['fields', 'biomed'], ['capacity', '30'], ['reg_deadline', '2031-05-19T12:00']];
  expectStatus(await postForm('org', '/events', fields, { noCsrf: true }), 403);
  expectStatus(await postForm('inst', '/events', fields), 403);
  const bad = await postForm('org', '/events', fields.map(([k, v]) => [k, k === 'end_time' ? '08:00' : v]));
  expectStatus(bad, 422);
  assert.match(bad.text, /has-error/);
  assert.match(bad.text, /class="field-error"/);
  assert.match(bad.text, /value="表单创建的活动"/, 'the form lost the posted values');
  const ok = await postForm('org', '/events', fields);
  expectStatus(ok, 303);
  const m = ok.headers.location.match(/^\/events\/(\d+)\?saved=1$/);
  assert.ok(m, ok.headers.location);
  E.form = Number(m[1]);
  const d = await request('GET', ok.headers.location, { cookie: S.org.cookie });
  assert.match(d.text, /id="saved"/);
  const ed = await request('GET', `/events/${E.form}/edit`, { cookie: S.org.cookie });
  expectStatus(ed, 200);
  assert.match(ed.text, /value="4" checked/);
  const up = await postForm('org', `/events/${E.form}/edit`, fields.map(([k, v]) => [k, k === 'venue' ? '改过的会场' : v]));
  expectStatus(up, 303);
  const pub = await postForm('org', `/events/${E.form}/state`, { action: 'publish' });
  expectStatus(pub, 303);
  const j = await request('GET', `/api/v1/events/${E.form}`);
  assert.equal(j.json.venue, '改过的会场');
  assert.equal(j.json.status, 'published');
  expectStatus(await postForm('org', `/events/${E.form}/state`, { action: 'publish' }), 409);
});

test('pages: visitor registers with the form, lands on the badge; errors at the field', async () => {
  const id = need(E.form, 'form event');
  const base = [['name', '表单报名'], ['org_name', '某大学'], ['category', 'university'], ['brings', 'achievements'], ['phone', '13900000001'], ['email', `form-${Date.now()}@example.com`]];
  const bad = await postForm('visitor', `/events/${id}/register`, base.map(([k, v]) => [k, k === 'email' ? 'nope' : v]));
  expectStatus(bad, 422);
  assert.match(bad.text, /class="field-error"/);
  assert.match(bad.text, /value="表单报名"/);
  expectStatus(await postForm('visitor', `/events/${id}/register`, base, { noCsrf: true }), 403);
  const ok = await postForm('visitor', `/events/${id}/register`, base);
  expectStatus(ok, 303);
  assert.match(ok.headers.location, new RegExp(`^/events/${id}/badge/[0-9a-f]{32}\\?new=1$`));
  const badge = await request('GET', ok.headers.location);
  assert.match(badge.text, /class="qr"/);
  const dup = await postForm('visitor', `/events/${id}/register`, base);
  expectStatus(dup, 409);
  assert.match(dup.text, /id="form-error"/);
  const closed = await makeEvent({ title: '已截止表单', reg_deadline: '2020-01-01T00:00' });
  const cl = await request('GET', `/events/${closed.id}/register`);
  assert.match(cl.text, /id="closed"/);
  expectStatus(await postForm('visitor', `/events/${closed.id}/register`, base), 409);
  const member = await request('GET', `/events/${id}/register`, { cookie: S.inst.cookie });
  assert.match(member.text, /name="link_org"/);
  assert.match(member.text, /name="listings"/);
});

test('pages: participant list with approve, reject and manual check-in', async () => {
  const ev = need(E.approval, 'approval event');
  const p = need(E.pending, 'pending registration');
  const list = await request('GET', `/events/${ev.id}/registrations`, { cookie: S.org.cookie });
  expectStatus(list, 200);
  assert.match(list.text, /id="participants"/);
  assert.match(list.text, new RegExp(`/registrations/${p.id}/approve`));
  expectLoginRedirect(await request('GET', `/events/${ev.id}/registrations`));
  expectStatus(await request('GET', `/events/${ev.id}/registrations`, { cookie: S.ent.cookie }), 403);
  expectStatus(await postForm('org', `/events/${ev.id}/registrations/${p.id}/approve`, {}, { noCsrf: true }), 403);
  expectStatus(await postForm('ent', `/events/${ev.id}/registrations/${p.id}/approve`, {}), 403);
  const a = await postForm('org', `/events/${ev.id}/registrations/${p.id}/approve`, {});
  expectStatus(a, 303);
  assert.match(a.headers.location, new RegExp(`/events/${ev.id}/registrations\\?done=approve#r${p.id}`));
  const c = await postForm('org', `/events/${ev.id}/registrations/${p.id}/checkin`, {});
  expectStatus(c, 303);
  const one = await as('org', 'GET', `/api/v1/events/${ev.id}/registrations/${p.id}`);
  assert.equal(one.json.status, 'approved');
  assert.ok(one.json.checked_in_at);
  const rej = await postForm('org', `/events/${ev.id}/registrations/${p.id}/reject`, {});
  expectStatus(rej, 409, 'rejecting a checked-in person');
  expectStatus(await postForm('org', `/events/${ev.id}/registrations/999999/approve`, {}), 404);
  const filtered = await request('GET', `/events/${ev.id}/registrations?status=rejected`, { cookie: S.org.cookie });
  assert.match(filtered.text, /<strong id="total">1<\/strong>/);
});

test('pages: agenda editor adds, edits and deletes sessions', async () => {
  const id = need(E.form, 'form event');
  const g = await request('GET', `/events/${id}/agenda`, { cookie: S.org.cookie });
  expectStatus(g, 200);
  expectLoginRedirect(await request('GET', `/events/${id}/agenda`));
  expectStatus(await request('GET', `/events/${id}/agenda`, { cookie: S.ent.cookie }), 403);
  const s = { kind: 'opening', title: '开幕式', start_time: '09:00', end_time: '09:20', place: 'A厅', speakers: '领导' };
  const bad = await postForm('org', `/events/${id}/agenda`, { ...s, end_time: '08:00' });
  expectStatus(bad, 422);
  assert.match(bad.text, /class="field-error"/);
  expectStatus(await postForm('org', `/events/${id}/agenda`, s, { noCsrf: true }), 403);
  expectStatus(await postForm('org', `/events/${id}/agenda`, s), 303);
  const l = await request('GET', `/api/v1/events/${id}/sessions`);
  const sid = l.json.items[0].id;
  const ed = await request('GET', `/events/${id}/agenda/${sid}/edit`, { cookie: S.org.cookie });
  assert.match(ed.text, /value="开幕式"/);
  expectStatus(await postForm('org', `/events/${id}/agenda/${sid}/edit`, { ...s, title: '开幕式（改）' }), 303);
  assert.equal((await request('GET', `/api/v1/events/${id}/sessions`)).json.items[0].title, '开幕式（改）');
  const page = await request('GET', `/events/${id}`);
  assert.match(page.text, /开幕式（改）/);
  expectStatus(await postForm('org', `/events/${id}/agenda/${sid}/delete`, {}), 303);
  expectStatus(await postForm('org', `/events/${id}/agenda/${sid}/delete`, {}), 404);
  expectStatus(await request('GET', `/events/${id}/agenda/999999/edit`, { cookie: S.org.cookie }), 404);
});

// ================================================================ CLI

function cliTests() {
  test('CLI: duijie event list | show ID', async () => {
    const l = await run(BIN, ['event', 'list', '--db', dbPath]);
    assert.equal(l.code, 0, l.stderr);
    assert.match(l.stdout, /开平市生物医药科技成果对接会/);
    assert.match(l.stdout, /\b90\b/);
    const s = await run(BIN, ['event', 'show', '1', '--db', dbPath]);
    assert.equal(s.code, 0, s.stderr);
    assert.match(s.stdout, /co-organizers:/);
    assert.match(s.stdout, /roadshow/);
    assert.match(s.stdout, /total\s+90/);
    const nf = await run(BIN, ['event', 'show', '999999', '--db', dbPath]);
    assert.equal(nf.code, 1);
    assert.match(nf.stderr, /not found/);
    assert.equal((await run(BIN, ['event', 'show', 'x', '--db', dbPath])).code, 2);
    assert.equal((await run(BIN, ['event', 'frobnicate', '--db', dbPath])).code, 2);
    const h = await run(BIN, ['event', '--help']);
    assert.equal(h.code, 0);
  });
}

// ================================================================ main

runSuite({
  setupName: 'demo database with the demo event, server healthy, sessions and tokens',
  setup,
  filter: FILTER,
  stopServer,
  serverErr: () => serverErr,
  cleanup: () => tmp && fs.rmSync(tmp, { recursive: true, force: true }),
  after: cliTests,
});
