// meetings.mjs — black-box tests of 1:1 meetings at events: requests, answers, visibility, expiry,
// slots, settings, the scheduler, locks and moves, agendas (.ics), notices, pages, participants'
// unavailable slots (API, page, the scheduler honouring them, conflicts).
//   node tests/blackbox/meetings.mjs build/duijie
// Prints "ok - name" / "not ok - name: reason" per test, and last "N passed, N failed".
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, execFileSync } from 'node:child_process';
import { test, runTests, ctx, request, setCookie, csrfFromHtml, expectJsonError, expectStatus, run, freePort, waitHealthy } from './lib.mjs';

const BIN = path.resolve(process.argv[2] || 'build/duijie');
const SLOW = /asan|sanitize/i.test(BIN);
ctx.timeout = SLOW ? 60000 : 20000;
const DEMO = {
  org: ['organizer@demo.duijie.cn', 'organizer-demo-2026'],
  inst: ['inst@demo.duijie.cn', 'inst-demo-2026'],
  ent: ['ent@demo.duijie.cn', 'ent-demo-2026'],
  expert: ['expert@demo.duijie.cn', 'expert-demo-2026'],
};
const S = {}, T = {}, R = {};
let tmp, dbPath, server, EV, M = {}, SLOTS = [];

async function signIn(role) {
  const [email, pw] = DEMO[role];
  const g = await request('GET', '/login');
  const pre = setCookie(g, 'dj_pre').value;
  const res = await request('POST', '/login', { cookie: `dj_pre=${pre}`, form: { _csrf: pre, email, password: pw, next: '/' } });
  expectStatus(res, 303, `login ${email}`);
  const cookie = `dj_sid=${setCookie(res, 'dj_sid').value}`;
  const csrf = csrfFromHtml((await request('GET', '/account', { cookie })).text);
  const tok = await request('POST', '/api/v1/tokens', { cookie, csrf, json: { name: `mt-${role}` } });
  S[role] = { cookie, csrf };
  T[role] = tok.json.token;
}
const as = (role, method, p, opts = {}) => request(method, p, { ...opts, bearer: T[role] });
const sess = (role, method, p, opts = {}) => request(method, p, { ...opts, cookie: S[role].cookie, csrf: opts.noCsrf ? undefined : S[role].csrf });
const base = () => `/api/v1/events/${EV}/meetings`;

async function setup() {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'duijie-mt-'));
  dbPath = path.join(tmp, 'd.db');
  const demo = await run(BIN, ['demo', '--db', dbPath], { timeout: 120000 });
  if (demo.code !== 0) throw new Error(`demo failed: ${demo.stderr}`);
  if (!/demo meetings: .*25 accepted/.test(demo.stdout)) throw new Error(`demo lacks meetings: ${demo.stdout.slice(-300)}`);
  ctx.port = await freePort();
  server = spawn(BIN, ['serve', '--db', dbPath, '--listen', `127.0.0.1:${ctx.port}`, '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout.on('data', () => {});
  server.stderr.on('data', () => {});
  await waitHealthy(SLOW ? 60000 : 20000, server);
  for (const r of Object.keys(DEMO)) await signIn(r);
  // a fresh event with three participants who are demo accounts
  const ev = await as('org', 'POST', '/api/v1/events', { json: { title: '洽谈测试会', orgs: [1], venue: '会议厅', date: '2030-05-01', start_time: '09:00', end_time: '17:00' } });
  expectStatus(ev, 201, 'create event');
  EV = ev.json.id;
  expectStatus(await as('org', 'POST', `/api/v1/events/${EV}/publish`), 200, 'publish');
  const s = await as('org', 'POST', `/api/v1/events/${EV}/sessions`, { json: { kind: 'matchmaking', title: '洽谈', start_time: '14:00', end_time: '16:00' } });
  R.session = s.json.id;
  const o = await as('org', 'POST', `/api/v1/events/${EV}/sessions`, { json: { kind: 'roadshow', title: '路演', start_time: '10:00', end_time: '12:00' } });
  R.roadshow = o.json.id;
  for (const [role, cat] of [['inst', 'university'], ['ent', 'enterprise'], ['expert', 'other']]) {
    const g = await as('org', 'POST', `/api/v1/events/${EV}/registrations`, { json: { name: role, org_name: `${role} org`, category: cat, brings: 'neither', email: DEMO[role][0], phone: '13900000000' } });
    expectStatus(g, 201, `register ${role}`);
    R[role] = g.json.id;
  }
}

test('participants: a registered user sees the others, not themself', async () => {
  const r = await as('ent', 'GET', `${base()}/participants`);
  expectStatus(r, 200);
  const ids = r.json.items.map((p) => p.id);
  assert.ok(ids.includes(R.inst) && ids.includes(R.expert) && !ids.includes(R.ent));
});
test('participants: unauthenticated 401, non-participant 403, unknown event 404', async () => {
  expectStatus(await request('GET', `${base()}/participants`), 401);
  expectStatus(await as('ent', 'GET', `/api/v1/events/${EV}/meetings/participants`.replace(`${EV}`, '999999')), 404);
  const d = await as('ent', 'GET', `/api/v1/events/1/meetings/participants`);
  assert.equal(d.status, 403);
});
test('request: validation names the field', async () => {
  expectJsonError(await as('ent', 'POST', `${base()}/requests`, { json: { message: 'x' } }), 422, 'to');
  expectJsonError(await as('ent', 'POST', `${base()}/requests`, { json: { to: R.ent } }), 422, 'to');
  expectJsonError(await as('ent', 'POST', `${base()}/requests`, { json: { to: R.inst, message: 'x'.repeat(1001) } }), 422, 'message');
  expectJsonError(await as('ent', 'POST', `${base()}/requests`, { json: { to: 999999 } }), 422, 'to');
});
test('request: created (201), duplicate 409, missing CSRF 403, anonymous 401', async () => {
  const r = await as('ent', 'POST', `${base()}/requests`, { json: { to: R.inst, message: '想谈谈合作' } });
  expectStatus(r, 201);
  assert.equal(r.json.status, 'requested');
  M.a = r.json.id;
  expectStatus(await as('ent', 'POST', `${base()}/requests`, { json: { to: R.inst } }), 409);
  expectStatus(await sess('ent', 'POST', `${base()}/requests`, { json: { to: R.expert }, noCsrf: true }), 403);
  expectStatus(await request('POST', `${base()}/requests`, { json: { to: R.expert } }), 401);
});
test('visibility: only the two parties and organizers see a request; third party 404', async () => {
  expectStatus(await as('ent', 'GET', `${base()}/${M.a}`), 200);
  expectStatus(await as('inst', 'GET', `${base()}/${M.a}`), 200);
  expectStatus(await as('org', 'GET', `${base()}/${M.a}`), 200);
  expectStatus(await as('expert', 'GET', `${base()}/${M.a}`), 404);
  expectStatus(await as('expert', 'POST', `${base()}/${M.a}/accept`), 404);
  expectStatus(await as('ent', 'GET', `${base()}/999999`), 404);
  const l = await as('expert', 'GET', base());
  assert.ok(!l.json.items.some((m) => m.id === M.a));
});
test('answer: requester cannot accept (403); invitee accepts; notices reach the requester', async () => {
  expectStatus(await as('ent', 'POST', `${base()}/${M.a}/accept`), 403);
  const n0 = await as('inst', 'GET', '/api/v1/notices');
  assert.ok(n0.json.items.some((n) => n.kind === 'request' && n.meeting_id === M.a));
  const r = await as('inst', 'POST', `${base()}/${M.a}/accept`);
  expectStatus(r, 200);
  assert.equal(r.json.status, 'accepted');
  expectStatus(await as('inst', 'POST', `${base()}/${M.a}/decline`), 409);
  const n = await as('ent', 'GET', '/api/v1/notices');
  assert.ok(n.json.unread >= 1 && n.json.items.some((x) => x.kind === 'answer' && x.detail === 'accepted'));
  expectStatus(await as('ent', 'POST', '/api/v1/notices/read'), 200);
  assert.equal((await as('ent', 'GET', '/api/v1/notices')).json.unread, 0);
});
test('decline and expiry (lazy, when read)', async () => {
  const b = await as('expert', 'POST', `${base()}/requests`, { json: { to: R.inst } });
  expectStatus(b, 201);
  M.b = b.json.id;
  expectStatus(await as('inst', 'POST', `${base()}/${M.b}/decline`), 200);
  const c = await as('expert', 'POST', `${base()}/requests`, { json: { to: R.ent, message: 'later' } });
  M.c = c.json.id;
  execFileSync('sqlite3', [dbPath, `UPDATE meetings SET expires_at='2000-01-01T00:00:00Z' WHERE id=${M.c}`]);
  const g = await as('ent', 'GET', `${base()}/${M.c}`);
  assert.equal(g.json.status, 'expired');
  expectStatus(await as('ent', 'POST', `${base()}/${M.c}/accept`), 409);
  const d = await as('expert', 'POST', `${base()}/requests`, { json: { to: R.ent } });
  expectStatus(d, 201);
  M.d = d.json.id;
  expectStatus(await as('ent', 'POST', `${base()}/${M.d}/accept`), 200);
});
test('settings: staff read and update, validation, wrong role 403', async () => {
  const s = await as('org', 'GET', `${base()}/settings`);
  assert.equal(s.json.expiry_hours, 48);
  expectJsonError(await as('org', 'PUT', `${base()}/settings`, { json: { tables: 0 } }), 422, 'tables');
  expectJsonError(await as('org', 'PUT', `${base()}/settings`, { json: { expiry_hours: -1 } }), 422, 'expiry_hours');
  expectJsonError(await as('org', 'PUT', `${base()}/settings`, { json: { published: 'x' } }), 422, 'published');
  expectStatus(await as('ent', 'PUT', `${base()}/settings`, { json: { tables: 2 } }), 403);
  expectStatus(await sess('org', 'PUT', `${base()}/settings`, { json: { tables: 2 }, noCsrf: true }), 403);
  const u = await as('org', 'PUT', `${base()}/settings`, { json: { tables: 1, expiry_hours: 24 } });
  expectStatus(u, 200);
  assert.equal(u.json.tables, 1);
});
test('slots: validation (session kind, outside, overlap), create, wrong role', async () => {
  expectJsonError(await as('org', 'POST', `${base()}/slots`, { json: { session: R.roadshow, start_time: '10:00', end_time: '10:20' } }), 422, 'session');
  expectJsonError(await as('org', 'POST', `${base()}/slots`, { json: { session: R.session, start_time: '13:00', end_time: '14:20' } }), 422, 'start_time');
  expectJsonError(await as('org', 'POST', `${base()}/slots`, { json: { session: R.session, start_time: '14:00', end_time: '25:00' } }), 422, 'end_time');
  for (const [a, b] of [['14:00', '14:20'], ['14:20', '14:40']]) {
    const r = await as('org', 'POST', `${base()}/slots`, { json: { session: R.session, start_time: a, end_time: b } });
    expectStatus(r, 201);
    SLOTS.push(r.json.id);
  }
  expectJsonError(await as('org', 'POST', `${base()}/slots`, { json: { session: R.session, start_time: '14:10', end_time: '14:30' } }), 422, 'start_time');
  expectStatus(await as('ent', 'POST', `${base()}/slots`, { json: { session: R.session, start_time: '15:00', end_time: '15:20' } }), 403);
  assert.equal((await request('GET', `${base()}/slots`)).json.total, 2);
});
test('schedule: a valid schedule (one table: the two meetings of ent in different slots)', async () => {
  expectStatus(await as('ent', 'POST', `${base()}/schedule`, { json: {} }), 403);
  const r = await as('org', 'POST', `${base()}/schedule`, { json: {} });
  expectStatus(r, 200);
  assert.equal(r.json.scheduled, 2);
  const all = (await as('org', 'GET', base())).json.items.filter((m) => m.status === 'accepted');
  const cells = new Set(all.map((m) => `${m.slot.id}/${m.slot.table}`));
  assert.equal(cells.size, 2);
  assert.notEqual(all[0].slot.id, all[1].slot.id);
});
test('move: to an invalid cell 409, to a valid cell 200; lock; re-run unscheduled keeps placed', async () => {
  const a = (await as('org', 'GET', `${base()}/${M.a}`)).json;
  const d = (await as('org', 'GET', `${base()}/${M.d}`)).json;
  expectJsonError(await as('org', 'POST', `${base()}/${M.a}/move`, { json: { slot: a.slot.id, table: 5 } }), 422, 'table');
  expectJsonError(await as('org', 'POST', `${base()}/${M.a}/move`, { json: { slot: 999999, table: 1 } }), 422, 'slot');
  expectStatus(await as('org', 'POST', `${base()}/${M.a}/move`, { json: { slot: d.slot.id, table: 1 } }), 409);
  expectStatus(await as('ent', 'POST', `${base()}/${M.a}/move`, { json: { slot: a.slot.id, table: 1 } }), 403);
  expectStatus(await as('org', 'PUT', `${base()}/settings`, { json: { tables: 2, published: 'preliminary' } }), 200);
  // ent is in both meetings: the other meeting's slot is refused even at a free table
  expectStatus(await as('org', 'POST', `${base()}/${M.a}/move`, { json: { slot: d.slot.id, table: 2 } }), 409);
  const ok = await as('org', 'POST', `${base()}/${M.a}/move`, { json: { slot: a.slot.id, table: 2 } });
  expectStatus(ok, 200);
  assert.equal(ok.json.slot.table, 2);
  a.slot.table = 2;
  const lk = await as('org', 'POST', `${base()}/${M.a}/lock`);
  expectStatus(lk, 200);
  assert.equal(lk.json.locked, true);
  const re = await as('org', 'POST', `${base()}/schedule`, { json: { only_unscheduled: true } });
  expectStatus(re, 200);
  const a2 = (await as('org', 'GET', `${base()}/${M.a}`)).json;
  assert.deepEqual(a2.slot, a.slot);
});
test('agenda: personal agenda JSON, page and .ics; third party sees only theirs', async () => {
  const r = await as('ent', 'GET', `${base()}/agenda`);
  expectStatus(r, 200);
  assert.equal(r.json.published, 'preliminary');
  assert.equal(r.json.total, 2);
  const ics = await as('ent', 'GET', `${base()}/agenda.ics`);
  expectStatus(ics, 200);
  assert.match(ics.headers['content-type'], /text\/calendar/);
  assert.equal((ics.text.match(/BEGIN:VEVENT/g) || []).length, 2);
  const p = await sess('ent', 'GET', `/events/${EV}/meetings/agenda`);
  expectStatus(p, 200);
  assert.match(p.text, /id="agenda"/);
  expectStatus(await request('GET', `${base()}/agenda`), 401);
  const n = await as('inst', 'GET', '/api/v1/notices');
  assert.ok(n.json.items.some((x) => x.kind === 'schedule'));
});
test('pages: meetings, admin (staff only), notices with unread count', async () => {
  const p = await sess('inst', 'GET', `/events/${EV}/meetings`);
  expectStatus(p, 200);
  assert.match(p.text, /id="participants"/);
  expectStatus(await sess('inst', 'GET', `/events/${EV}/meetings/admin`), 403);
  const a = await sess('org', 'GET', `/events/${EV}/meetings/admin`);
  expectStatus(a, 200);
  assert.match(a.text, /id="meetings-table"/);
  const n = await sess('inst', 'GET', '/notices');
  expectStatus(n, 200);
  assert.match(n.text, /id="notices-unread"/);
  const f = await request('POST', `/events/${EV}/meetings`, { cookie: S.inst.cookie, form: { to: String(R.expert), message: 'hi' } });
  expectStatus(f, 403);
  const ok = await request('POST', `/events/${EV}/meetings`, { cookie: S.inst.cookie, form: { _csrf: S.inst.csrf, to: String(R.expert), message: 'hi' } });
  expectStatus(ok, 303);
  const dm = await sess('org', 'GET', '/events/1/meetings/admin');
  expectStatus(dm, 200);
});
// ---- participants' unavailable slots -------------------------------------------------------
const avail = () => `${base()}/availability`;
const hist = () => Number(execFileSync('sqlite3', [dbPath, `SELECT COUNT(*) FROM history WHERE entity='event' AND entity_id=${EV} AND action='meeting_unavailable'`]).toString().trim());
test('availability: a participant reads their own slots; who may read whose', async () => {
  const r = await as('ent', 'GET', avail());
  expectStatus(r, 200);
  assert.equal(r.json.registration.id, R.ent);
  assert.deepEqual(r.json.slots.map((x) => x.id), SLOTS);
  assert.ok(r.json.slots.every((x) => x.unavailable === false && x.start_time && x.session.title));
  assert.deepEqual(r.json.unavailable, []);
  assert.equal(r.json.editable, true);
  expectStatus(await request('GET', avail()), 401);
  expectStatus(await as('ent', 'GET', `${avail()}?registration=${R.inst}`), 403);
  expectStatus(await as('ent', 'GET', `${avail()}?registration=${R.ent}`), 200);
  expectStatus(await as('ent', 'GET', '/api/v1/events/1/meetings/availability'), 403);
  const o = await as('org', 'GET', `${avail()}?registration=${R.inst}`);
  expectStatus(o, 200);
  assert.equal(o.json.registration.name, 'inst');
  expectJsonError(await as('org', 'GET', `${avail()}?registration=999999`), 422, 'registration');
  const map = await as('org', 'GET', avail());
  expectStatus(map, 200);
  assert.deepEqual(map.json.items, []);
  assert.equal(map.json.slots.length, 2);
});
test('availability: PUT validation, CSRF, only one\'s own', async () => {
  expectJsonError(await as('ent', 'PUT', avail(), { json: { unavailable: [999999] } }), 422, 'unavailable');
  expectJsonError(await as('ent', 'PUT', avail(), { json: { unavailable: 'x' } }), 422, 'unavailable');
  expectJsonError(await as('ent', 'PUT', avail(), { json: { unavailable: [SLOTS[0], 'x'] } }), 422, 'unavailable');
  expectStatus(await as('ent', 'PUT', avail(), { json: { registration: R.inst, unavailable: [] } }), 403);
  expectStatus(await sess('ent', 'PUT', avail(), { json: { unavailable: [] }, noCsrf: true }), 403);
  expectStatus(await request('PUT', avail(), { json: { unavailable: [] } }), 401);
  expectJsonError(await as('org', 'PUT', avail(), { json: { unavailable: [] } }), 422, 'registration');
  assert.equal(hist(), 0);
  assert.equal((await as('ent', 'GET', avail())).json.unavailable.length, 0);
});
test('availability: a placed (even locked) meeting in a newly unavailable slot is flagged, then re-placed by the scheduler', async () => {
  const a = (await as('org', 'GET', `${base()}/${M.a}`)).json;
  assert.ok(a.slot && a.locked, 'M.a is placed and locked');
  const sa = a.slot.id;
  R.sa = sa;
  R.sb = SLOTS.find((x) => x !== sa);
  const put = await as('ent', 'PUT', avail(), { json: { unavailable: [sa, sa] } });
  expectStatus(put, 200);
  assert.deepEqual(put.json.unavailable, [sa]);
  assert.equal(put.json.conflicts, 1);
  assert.equal(hist(), 1);
  const ms = (await as('org', 'GET', base())).json.items;
  assert.equal(ms.find((m) => m.id === M.a).unavailable_party, R.ent);
  assert.ok(ms.filter((m) => m.id !== M.a).every((m) => m.unavailable_party === null));
  const page = await sess('org', 'GET', `/events/${EV}/meetings/admin`);
  assert.match(page.text, /id="conflict-count"/);
  assert.match(page.text, new RegExp(`id="m-${M.a}"[^]*?av-conflict`));
  assert.match(page.text, new RegExp(`id="slot-${sa}"[^]*?av-away[^]*?registration=${R.ent}`));
  // moving another meeting is not blocked by the conflict; into the unavailable slot is refused
  const d = (await as('org', 'GET', `${base()}/${M.d}`)).json;
  expectStatus(await as('org', 'POST', `${base()}/${M.d}/move`, { json: { slot: sa, table: 1 } }), 409);
  expectStatus(await as('org', 'POST', `${base()}/${M.d}/move`, { json: { slot: d.slot.id, table: d.slot.table } }), 200);
  // "schedule the unscheduled" keeps placed meetings, but not one in conflict
  const re = await as('org', 'POST', `${base()}/schedule`, { json: { only_unscheduled: true } });
  expectStatus(re, 200);
  const a2 = (await as('org', 'GET', `${base()}/${M.a}`)).json;
  assert.ok(!a2.slot || a2.slot.id !== sa, 'M.a still in the unavailable slot');
  assert.equal(a2.locked, false);
  // a full run never puts ent in sa either
  expectStatus(await as('org', 'POST', `${base()}/schedule`, { json: {} }), 200);
  const all = (await as('org', 'GET', base())).json.items;
  const ents = all.filter((m) => m.status === 'accepted' && (m.requester.id === R.ent || m.invitee.id === R.ent));
  assert.ok(ents.length >= 2);
  assert.ok(ents.every((m) => !m.slot || m.slot.id !== sa), 'ent scheduled in a slot marked unavailable');
  assert.ok(ents.some((m) => m.slot), 'ent has no meeting at all');
  assert.ok(all.every((m) => m.unavailable_party === null || m.unavailable_party === undefined));
});
test('availability: staff set anyone\'s; the final agenda locks participants out, not staff', async () => {
  const o = await as('org', 'PUT', avail(), { json: { registration: R.inst, unavailable: [R.sb] } });
  expectStatus(o, 200);
  assert.equal(o.json.registration.id, R.inst);
  assert.deepEqual((await as('inst', 'GET', avail())).json.unavailable, [R.sb]);
  const map = (await as('org', 'GET', avail())).json;
  assert.deepEqual(map.items.map((x) => [x.registration_id, x.unavailable]).sort(), [[R.inst, [R.sb]], [R.ent, [R.sa]]].sort());
  expectStatus(await as('org', 'PUT', `${base()}/settings`, { json: { published: 'final' } }), 200);
  const g = (await as('inst', 'GET', avail())).json;
  assert.equal(g.final, true);
  assert.equal(g.editable, false);
  const no = await as('inst', 'PUT', avail(), { json: { unavailable: [] } });
  expectStatus(no, 403);
  assert.match(no.json.error.message, /final|正式/);
  const pg = await sess('inst', 'GET', `/events/${EV}/meetings/availability`);
  assert.match(pg.text, /id="av-final"/);
  assert.doesNotMatch(pg.text, /id="save-availability"/);
  expectStatus(await as('org', 'PUT', avail(), { json: { registration: R.inst, unavailable: [] } }), 200);
  assert.equal(hist(), 3);
  expectStatus(await as('org', 'PUT', `${base()}/settings`, { json: { published: 'preliminary' } }), 200);
});
test('availability page: checkboxes, CSRF, saved and kept; organizers reach anyone\'s from the admin page', async () => {
  const m = await sess('ent', 'GET', `/events/${EV}/meetings`);
  assert.match(m.text, /id="my-availability"/);
  const p = await sess('ent', 'GET', `/events/${EV}/meetings/availability`);
  expectStatus(p, 200);
  assert.match(p.text, /id="availability-form"/);
  assert.match(p.text, new RegExp(`name="slot_${R.sa}" value="1" checked`));
  assert.doesNotMatch(p.text, new RegExp(`name="slot_${R.sb}" value="1" checked`));
  expectStatus(await request('POST', `/events/${EV}/meetings/availability`, { cookie: S.ent.cookie, form: { [`slot_${R.sb}`]: '1' } }), 403);
  const ok = await request('POST', `/events/${EV}/meetings/availability`, { cookie: S.ent.cookie, form: { _csrf: S.ent.csrf, [`slot_${R.sb}`]: '1' } });
  expectStatus(ok, 303);
  assert.match(ok.headers.location, /availability\?saved=1/);
  const after = await sess('ent', 'GET', ok.headers.location);
  assert.match(after.text, /id="saved"/);
  assert.match(after.text, new RegExp(`name="slot_${R.sb}" value="1" checked`));
  assert.doesNotMatch(after.text, new RegExp(`name="slot_${R.sa}" value="1" checked`));
  assert.deepEqual((await as('ent', 'GET', avail())).json.unavailable, [R.sb]);
  // ent's registration id in the form is ignored unless staff: inst cannot set ent's
  expectStatus(await request('POST', `/events/${EV}/meetings/availability`, { cookie: S.inst.cookie, form: { _csrf: S.inst.csrf, registration: String(R.ent) } }), 403);
  expectStatus(await sess('inst', 'GET', `/events/${EV}/meetings/availability?registration=${R.ent}`), 403);
  const adm = await sess('org', 'GET', `/events/${EV}/meetings/admin`);
  assert.match(adm.text, /id="availability-pick"/);
  const own = await sess('org', 'GET', `/events/${EV}/meetings/availability`);
  expectStatus(own, 303);
  assert.match(own.headers.location, /\/meetings\/admin#availability$/);
  const oe = await sess('org', 'GET', `/events/${EV}/meetings/availability?registration=${R.ent}`);
  expectStatus(oe, 200);
  assert.match(oe.text, new RegExp(`name="registration" value="${R.ent}"`));
  const os = await request('POST', `/events/${EV}/meetings/availability`, { cookie: S.org.cookie, form: { _csrf: S.org.csrf, registration: String(R.ent) } });
  expectStatus(os, 303);
  assert.match(os.headers.location, new RegExp(`registration=${R.ent}`));
  assert.deepEqual((await as('ent', 'GET', avail())).json.unavailable, []);
});
test('slot delete: unplaces its meetings; unknown 404', async () => {
  expectStatus(await as('org', 'DELETE', `${base()}/slots/999999`), 404);
  expectStatus(await as('org', 'DELETE', `${base()}/slots/${SLOTS[1]}`), 204);
});

let failed = 0, passed = 0;
try {
  await setup();
  ({ passed, failed } = await runTests(process.env.BLACKBOX_FILTER || ''));
} catch (e) {
  console.log(`not ok - setup: ${e.message}`);
  failed++;
} finally {
  if (server) server.kill('SIGTERM');
  if (tmp) setTimeout(() => fs.rmSync(tmp, { recursive: true, force: true }), 500);
}
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
