// roadshow.mjs — black-box tests of roadshow judging (路演评审): every /events/:id/roadshow… page
// and /api/v1/events/:id/roadshow… endpoint for success, validation, sign-in, role, judge
// assignment, conflict of interest, CSRF, unknown ids, closed scoring, publication, the ranking
// (weights, tie-break, z-scores, checked against the formula in docs/API.md) and the CSV.
// Starts the real binary on a fresh demo database.
//
//   node tests/blackbox/roadshow.mjs build/duijie            (or build/asan/duijie)
//   BLACKBOX_FILTER=ranking node tests/blackbox/roadshow.mjs build/duijie
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
  expert: ['expert@demo.duijie.cn', 'expert-demo-2026'], // an expert judging nothing
  j1: ['expert1@demo.duijie.cn', 'expert-demo-2026'],
  j2: ['expert2@demo.duijie.cn', 'expert-demo-2026'],
  j3: ['expert3@demo.duijie.cn', 'expert-demo-2026'],
  coi: ['coi-judge@roadshow.test', 'coi-judge-2026'], // expert of the owner org of demo project 1
};

const S = {}; // role -> {cookie, csrf}
const T = {}; // role -> bearer token
const F = {}; // fixtures: demo projects, draft event, ranking event …
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
  const s = await signInAs(...DEMO[role], `roadshow-${role}`);
  S[role] = { cookie: s.cookie, csrf: s.csrf };
  T[role] = s.token;
}

const as = (role, method, p, opts = {}) => request(method, p, { ...opts, bearer: need(T[role], `token ${role}`) });
const page = (role, p) => request('GET', p, { cookie: need(S[role], `session ${role}`).cookie });
const postForm = (role, p, fields, opts = {}) => {
  const pairs = Array.isArray(fields) ? [...fields] : Object.entries(fields);
  if (!opts.noCsrf) pairs.push(['_csrf', S[role].csrf]);
  return request('POST', p, { cookie: need(S[role], `session ${role}`).cookie, form: pairs });
};
const rs = (ev, rest = '') => `/api/v1/events/${ev}/roadshow${rest}`;
const FIVE = (v) => ({ uniqueness: v, novelty: v, advancement: v, maturity: v, market: v });

/* The ranking as docs/API.md "Roadshow judging" defines it. scores[p][j]: the criterion scores
 * of judge j for project p, or null. Returns project indexes best first with their values. */
function expectedRanking(weights, orders, njudges, scores, normalize) {
  const W = weights.reduce((a, b) => a + b, 0);
  const T = (s) => (s ? s.reduce((a, v, c) => a + weights[c] * v, 0) / W : null);
  const mu = [];
  const sd = [];
  for (let j = 0; j < njudges; j++) {
    const ts = orders.map((_, p) => T(scores[p][j])).filter((x) => x !== null);
    const m = ts.length ? ts.reduce((a, b) => a + b, 0) / ts.length : 0;
    const v = ts.length ? ts.reduce((a, b) => a + b * b, 0) / ts.length - m * m : 0;
    mu[j] = m;
    sd[j] = ts.length >= 2 && v > 1e-12 ? Math.sqrt(v) : 0;
  }
  const rows = orders.map((order, p) => {
    const vals = [];
    for (let j = 0; j < njudges; j++) {
      const t = T(scores[p][j]);
      if (t !== null) vals.push(normalize ? (sd[j] > 0 ? (t - mu[j]) / sd[j] : 0) : t);
    }
    const n = vals.length;
    return { p, order, n, score: n ? vals.reduce((a, b) => a + b, 0) / n : 0, max: n ? Math.max(...vals) : 0 };
  });
  const eq = (a, b) => Math.abs(a - b) < 1e-9;
  rows.sort((a, b) => {
    if (a.n > 0 !== b.n > 0) return a.n > 0 ? -1 : 1;
    if (!eq(a.score, b.score)) return b.score - a.score;
    if (!eq(a.max, b.max)) return b.max - a.max;
    if (a.n !== b.n) return b.n - a.n;
    return a.order - b.order;
  });
  return rows;
}

// ================================================================ setup

async function setup() {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'duijie-rs-'));
  dbPath = path.join(tmp, 'db');
  const demo = await run(BIN, ['demo', '--db', dbPath], { timeout: 120000 });
  if (demo.code !== 0) throw new Error(`demo failed (${demo.code}): ${demo.stderr}`);
  if (!/demo roadshow: 6 projects, 3 judges/.test(demo.stdout)) throw new Error(`demo output lacks the roadshow: ${demo.stdout.slice(-300)}`);
  // the owner organization of the first demo project, read from the CLI's JSON-free export
  // would need a server; the demo picks the oldest published achievement of a university or
  // institute, and `duijie search` is not needed: ask a short-lived server instead.
  ctx.port = await freePort();
  let s0 = spawn(BIN, ['serve', '--db', dbPath, '--listen', `127.0.0.1:${ctx.port}`, '--quiet'], { stdio: ['ignore', 'ignore', 'pipe'] });
  s0.stderr.on('data', () => {});
  await waitHealthy(SLOW ? 60000 : 20000, s0);
  const ov = await request('GET', rs(EV));
  expectStatus(ov, 200, 'demo roadshow');
  F.demoProjects = ov.json.projects;
  F.coiOrg = F.demoProjects[0].owner_org.name;
  await new Promise((resolve) => {
    s0.on('exit', resolve);
    s0.kill('SIGTERM');
  });
  s0 = null;
  // an expert of that organization: a conflict of interest with demo project 1 (before serve)
  const add = await run(BIN, ['user', 'add', '--db', dbPath, '--email', DEMO.coi[0], '--name', '利益冲突专家', '--role', 'expert', '--org', F.coiOrg, '--password', DEMO.coi[1]]);
  if (add.code !== 0) throw new Error(`user add failed: ${add.stderr}`);
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

async function makeEvent(publish, title = '路演测试活动') {
  const r = await as('org', 'POST', '/api/v1/events', {
    json: { title, title_en: 'Roadshow test', orgs: [1], venue: '测试会场', date: '2031-06-01', start_time: '09:00', end_time: '17:00', fields: ['biomed'], description: '路演测试。', capacity: 50, needs_approval: false },
  });
  expectStatus(r, 201, 'create event');
  if (publish) expectStatus(await as('org', 'POST', `/api/v1/events/${r.json.id}/publish`), 200, 'publish');
  return r.json.id;
}

// ================================================================ reads and the demo

test('GET roadshow: public overview of the demo (5 default criteria, 6 projects, no judges list)', async () => {
  const r = await request('GET', rs(EV));
  expectStatus(r, 200);
  assert.deepEqual(r.json.criteria.map((c) => c.code), ['uniqueness', 'novelty', 'advancement', 'maturity', 'market']);
  assert.ok(r.json.criteria.every((c) => c.weight === 1 && c.id > 0));
  assert.equal(r.json.projects.length, 6);
  assert.deepEqual(r.json.projects.map((p) => p.order), [1, 2, 3, 4, 5, 6]);
  assert.equal(r.json.is_judge, false);
  assert.ok(!('judges' in r.json), 'judges shown to the public');
  const s = await as('org', 'GET', rs(EV));
  assert.equal(s.json.judges.length, 3);
  assert.deepEqual(s.json.judges.map((j) => j.scored).sort(), [4, 6, 6]);
  const j = await as('j1', 'GET', rs(EV));
  assert.equal(j.json.is_judge, true);
  assert.ok(j.json.projects.every((p) => p.my_scores && p.conflict === false));
});

test('GET roadshow project: public, 404 for unknown ids and for a project of another event', async () => {
  const p = F.demoProjects[0];
  const r = await request('GET', rs(EV, `/projects/${p.id}`));
  expectStatus(r, 200);
  assert.equal(r.json.title, p.title);
  assert.equal(r.json.event_id, EV);
  expectJsonError(await request('GET', rs(EV, '/projects/999999')), 404);
  expectJsonError(await request('GET', rs(999999, `/projects/${p.id}`)), 404);
  expectJsonError(await request('GET', rs(999999)), 404);
  expectJsonError(await request('GET', rs(999999, '/ranking')), 404);
  expectStatus(await request('GET', '/events/999999/roadshow'), 404);
  expectStatus(await page('org', '/events/999999/roadshow'), 404);
  expectJsonError(await as('org', 'PATCH', rs(999999), { json: { closed: false } }), 404);
  expectJsonError(await as('j1', 'PUT', rs(EV, '/projects/999999/scores'), { json: { scores: FIVE(5) } }), 404);
  expectStatus(await page('j1', `/events/${EV}/roadshow/projects/999999/score`), 404);
});

test('pages: roadshow page for the public, the organizer (manage forms) and a judge (score links)', async () => {
  const a = await request('GET', `/events/${EV}/roadshow`);
  expectStatus(a, 200);
  assert.match(a.text, /id="projects"/);
  assert.doesNotMatch(a.text, /id="settings"|\/score"/);
  const o = await page('org', `/events/${EV}/roadshow`);
  expectStatus(o, 200);
  for (const id of ['settings', 'criteria', 'judges', 'add-project', 'csv']) assert.match(o.text, new RegExp(`id="${id}"`), id);
  assert.match(o.text, new RegExp(`id="edit-${F.demoProjects[0].id}"`), 'no edit form for a project');
  const j = await page('j1', `/events/${EV}/roadshow`);
  expectStatus(j, 200);
  assert.match(j.text, new RegExp(`id="score-${F.demoProjects[0].id}"`));
  assert.doesNotMatch(j.text, /id="settings"/);
  const jl = await page('j1', '/judging');
  expectStatus(jl, 200);
  assert.match(jl.text, new RegExp(`href="/events/${EV}/roadshow"`));
  const nj = await page('expert', '/judging');
  expectStatus(nj, 200);
  assert.doesNotMatch(nj.text, /\/roadshow"/);
});

// ================================================================ sign-in, roles, CSRF

test('unauthenticated: every write and staff/judge API answers 401 JSON; pages 303 to /login', async () => {
  const p = F.demoProjects[0].id;
  const api = [
    ['PATCH', rs(EV), { closed: true }],
    ['PUT', rs(EV, '/criteria'), { criteria: [] }],
    ['POST', rs(EV, '/projects'), { listing_id: 1, presenter: 'x' }],
    ['PATCH', rs(EV, `/projects/${p}`), { presenter: 'x' }],
    ['DELETE', rs(EV, `/projects/${p}`)],
    ['POST', rs(EV, '/judges'), { user: 'expert@demo.duijie.cn' }],
    ['DELETE', rs(EV, '/judges/1')],
    ['GET', rs(EV, `/projects/${p}/scores`)],
    ['PUT', rs(EV, `/projects/${p}/scores`), { scores: FIVE(5) }],
    ['GET', rs(EV, '/scores.csv')],
  ];
  for (const [m, u, body] of api) expectJsonError(await request(m, u, body ? { json: body } : {}), 401);
  const pages = [
    ['GET', '/judging'],
    ['GET', `/events/${EV}/roadshow/projects/${p}/score`],
    ['GET', `/events/${EV}/roadshow/scores.csv`],
    ['POST', `/events/${EV}/roadshow/settings`],
    ['POST', `/events/${EV}/roadshow/criteria`],
    ['POST', `/events/${EV}/roadshow/projects`],
    ['POST', `/events/${EV}/roadshow/projects/${p}/delete`],
    ['POST', `/events/${EV}/roadshow/judges`],
    ['POST', `/events/${EV}/roadshow/judges/1/delete`],
    ['POST', `/events/${EV}/roadshow/projects/${p}/score`],
  ];
  for (const [m, u] of pages) expectLoginRedirect(await request(m, u, m === 'POST' ? { form: { x: '1' } } : {}));
  // and nothing changed
  const r = await request('GET', rs(EV));
  assert.equal(r.json.closed, false);
  assert.equal(r.json.projects.length, 6);
});

test('wrong role: a member may not score (403), an expert may not manage (403)', async () => {
  const p = F.demoProjects[0].id;
  for (const role of ['inst', 'ent']) {
    expectJsonError(await as(role, 'PUT', rs(EV, `/projects/${p}/scores`), { json: { scores: FIVE(5) } }), 403);
    expectJsonError(await as(role, 'PATCH', rs(EV), { json: { published: true } }), 403);
    expectStatus(await page(role, `/events/${EV}/roadshow/projects/${p}/score`), 403, `${role} score page`);
    expectStatus(await page(role, '/judging'), 403, `${role} /judging`);
    // a member who is no judge sees no scores
    expectJsonError(await as(role, 'GET', rs(EV, `/projects/${p}/scores`)), 403);
  }
  const manage = [
    ['PATCH', rs(EV), { published: true }],
    ['PUT', rs(EV, '/criteria'), { criteria: [{ code: 'x', name: 'X', weight: 1 }] }],
    ['POST', rs(EV, '/projects'), { listing_id: 1, presenter: 'x' }],
    ['PATCH', rs(EV, `/projects/${p}`), { presenter: 'x' }],
    ['DELETE', rs(EV, `/projects/${p}`)],
    ['POST', rs(EV, '/judges'), { user: 'expert@demo.duijie.cn' }],
    ['DELETE', rs(EV, '/judges/1')],
    ['GET', rs(EV, '/scores.csv')],
  ];
  for (const role of ['j1', 'inst']) for (const [m, u, body] of manage) expectJsonError(await as(role, m, u, body ? { json: body } : {}), 403);
  for (const u of ['settings', 'criteria', 'projects', `projects/${p}/delete`, 'judges', 'judges/1/delete'])
    expectStatus(await postForm('j1', `/events/${EV}/roadshow/${u}`, { published: '1' }), 403, `expert POST ${u}`);
  expectStatus(await page('j1', `/events/${EV}/roadshow/scores.csv`), 403, 'expert CSV');
  const r = await request('GET', rs(EV));
  assert.equal(r.json.published, false);
  assert.equal(r.json.projects.length, 6);
});

test('a judge not assigned to the event: 403 on scoring (API and page), no scores shown', async () => {
  const p = F.demoProjects[0].id;
  const e = expectJsonError(await as('expert', 'PUT', rs(EV, `/projects/${p}/scores`), { json: { scores: FIVE(7) } }), 403);
  assert.match(e.message, /not a judge/);
  expectJsonError(await as('expert', 'GET', rs(EV, `/projects/${p}/scores`)), 403);
  const pg = await page('expert', `/events/${EV}/roadshow/projects/${p}/score`);
  expectStatus(pg, 403);
  assert.doesNotMatch(pg.text, /id="score-form"/);
  expectStatus(await postForm('expert', `/events/${EV}/roadshow/projects/${p}/score`, { c_uniqueness: '5' }), 403);
  const o = await as('expert', 'GET', rs(EV));
  assert.equal(o.json.is_judge, false);
});

test('conflict of interest: a judge of the owner organization gets 403 and no form', async () => {
  const a = await as('org', 'POST', rs(EV, '/judges'), { json: { user: DEMO.coi[0] } });
  expectStatus(a, 201, 'assign the conflicted judge');
  const me = a.json.judges.find((j) => j.email === DEMO.coi[0]);
  assert.ok(me && me.org_name === F.coiOrg, `judge org: ${JSON.stringify(me)}`);
  F.coiId = me.user_id;
  const [p1, p2] = F.demoProjects;
  const e = expectJsonError(await as('coi', 'PUT', rs(EV, `/projects/${p1.id}/scores`), { json: { scores: FIVE(10) } }), 403);
  assert.match(e.message, /conflict of interest/);
  const g = await as('coi', 'GET', rs(EV, `/projects/${p1.id}/scores`));
  expectStatus(g, 200);
  assert.equal(g.json.conflict, true);
  assert.equal(g.json.scores, null);
  const pg = await page('coi', `/events/${EV}/roadshow/projects/${p1.id}/score`);
  expectStatus(pg, 403);
  assert.doesNotMatch(pg.text, /id="score-form"|name="c_uniqueness"/);
  const ov = await page('coi', `/events/${EV}/roadshow`);
  assert.doesNotMatch(ov.text, new RegExp(`id="score-${p1.id}"`));
  assert.match(ov.text, new RegExp(`id="score-${p2.id}"`));
  const api = await as('coi', 'GET', rs(EV));
  assert.equal(api.json.projects[0].conflict, true);
  assert.equal(api.json.projects[1].conflict, false);
  // another organization's project: allowed
  expectStatus(await as('coi', 'PUT', rs(EV, `/projects/${p2.id}/scores`), { json: { scores: FIVE(6) } }), 200);
  // remove them again: their scores go too
  expectStatus(await as('org', 'DELETE', rs(EV, `/judges/${F.coiId}`)), 200);
  const after = await as('org', 'GET', rs(EV, `/projects/${p2.id}/scores`));
  assert.ok(!after.json.judges.some((j) => j.user_id === F.coiId));
  expectJsonError(await as('coi', 'PUT', rs(EV, `/projects/${p2.id}/scores`), { json: { scores: FIVE(6) } }), 403);
});

test('missing CSRF: session writes without a token get 403 (API and forms)', async () => {
  const p = F.demoProjects[4].id;
  const c = { cookie: S.org.cookie };
  expectJsonError(await request('PATCH', rs(EV), { ...c, json: { closed: true } }), 403);
  expectJsonError(await request('PUT', rs(EV, '/criteria'), { ...c, json: { criteria: [] } }), 403);
  expectJsonError(await request('POST', rs(EV, '/judges'), { ...c, json: { user: DEMO.expert[0] } }), 403);
  expectJsonError(await request('DELETE', rs(EV, `/projects/${p}`), c), 403);
  expectJsonError(await request('PUT', rs(EV, `/projects/${p}/scores`), { cookie: S.j1.cookie, json: { scores: FIVE(2) } }), 403);
  expectStatus(await postForm('org', `/events/${EV}/roadshow/settings`, { closed: '1' }, { noCsrf: true }), 403);
  expectStatus(await postForm('org', `/events/${EV}/roadshow/projects/${p}/delete`, {}, { noCsrf: true }), 403);
  expectStatus(await postForm('j1', `/events/${EV}/roadshow/projects/${p}/score`, { c_uniqueness: '2' }, { noCsrf: true }), 403);
  const r = await as('org', 'GET', rs(EV));
  assert.equal(r.json.closed, false);
  assert.equal(r.json.projects.length, 6);
  // with the session's token the same write works
  expectStatus(await request('PATCH', rs(EV), { ...c, csrf: S.org.csrf, json: { closed: false } }), 200);
});

// ================================================================ validation

test('scores: 0, 11, 7.5, a missing and an unknown criterion are 422 naming the field', async () => {
  const p = F.demoProjects[5].id;
  const u = rs(EV, `/projects/${p}/scores`);
  let e = expectJsonError(await as('j3', 'PUT', u, { json: { scores: { ...FIVE(5), uniqueness: 0 } } }), 422, 'scores.uniqueness');
  assert.match(e.message, /1–10/);
  expectJsonError(await as('j3', 'PUT', u, { json: { scores: { ...FIVE(5), market: 11 } } }), 422, 'scores.market');
  expectJsonError(await as('j3', 'PUT', u, { json: { scores: { ...FIVE(5), novelty: 7.5 } } }), 422, 'scores.novelty');
  const missing = FIVE(5);
  delete missing.maturity;
  e = expectJsonError(await as('j3', 'PUT', u, { json: { scores: missing } }), 422, 'scores.maturity');
  assert.match(e.message, /required/);
  expectJsonError(await as('j3', 'PUT', u, { json: { scores: { ...FIVE(5), beauty: 5 } } }), 422, 'scores.beauty');
  expectJsonError(await as('j3', 'PUT', u, { json: { scores: [5, 5] } }), 422, 'scores');
  const g = await as('j3', 'GET', u);
  assert.equal(g.json.scores, null, 'a failed PUT stored something');
  // the page form: 422 with the error and the field marked
  const f = await postForm('j3', `/events/${EV}/roadshow/projects/${p}/score`, { c_uniqueness: '0', c_novelty: '5', c_advancement: '5', c_maturity: '5', c_market: '5' });
  expectStatus(f, 422);
  assert.match(f.text, /id="form-error"/);
  assert.match(f.text, /rs-crit has-error/);
});

test('criteria: non-positive or too-precise weights, bad codes are 422 naming the field', async () => {
  const put = (criteria) => as('org', 'PUT', rs(EV, '/criteria'), { json: { criteria } });
  const base = (w) => [{ code: 'uniqueness', weight: w }, { code: 'novelty' }, { code: 'advancement' }, { code: 'maturity' }, { code: 'market' }];
  for (const w of [0, -1, '0.0', '1.2345', 'abc', 1000.5])
    expectJsonError(await put(base(w)), 422, 'weight');
  expectJsonError(await put([{ code: 'Bad Code', name: 'x', weight: 1 }]), 422, 'code');
  expectJsonError(await put([]), 422, 'criteria');
  expectJsonError(await as('org', 'PUT', rs(EV, '/criteria'), { json: { nope: 1 } }), 422, 'criteria');
  // scored already: the set of criteria is fixed (409), weights may change
  expectJsonError(await put([{ code: 'only', name: '唯一', weight: 1 }]), 409, 'criteria');
  const ok = await put(base('1.5'));
  expectStatus(ok, 200);
  assert.equal(ok.json.criteria[0].weight, 1.5);
  expectStatus(await put(base(1)), 200);
  // the page form
  const f = await postForm('org', `/events/${EV}/roadshow/criteria`, { w_uniqueness: '0', w_novelty: '1', w_advancement: '1', w_maturity: '1', w_market: '1' });
  expectStatus(f, 422);
  assert.match(f.text, /id="form-error"/);
  const f2 = await postForm('org', `/events/${EV}/roadshow/criteria`, { w_uniqueness: '2', w_novelty: '1', w_advancement: '1', w_maturity: '1', w_market: '1' });
  expectStatus(f2, 303);
  assert.equal((await request('GET', rs(EV))).json.criteria[0].weight, 2);
  expectStatus(await put(base(1)), 200);
});

test('settings, projects and judges: invalid input is 422 naming the field', async () => {
  expectJsonError(await as('org', 'PATCH', rs(EV), { json: { normalize: 'maybe' } }), 422, 'normalize');
  expectJsonError(await as('org', 'PATCH', rs(EV), { json: { closed: [1] } }), 422, 'closed');
  const add = (b) => as('org', 'POST', rs(EV, '/projects'), { json: b });
  expectJsonError(await add({ presenter: '张三' }), 422, 'listing_id');
  expectJsonError(await add({ listing_id: 999999, presenter: '张三' }), 422, 'listing_id');
  expectJsonError(await add({ listing_id: F.demoProjects[0].listing_id }), 422, 'presenter');
  expectJsonError(await add({ listing_id: F.demoProjects[0].listing_id, presenter: 'x'.repeat(61) }), 422, 'presenter');
  const p = F.demoProjects[0].id;
  const patch = (b) => as('org', 'PATCH', rs(EV, `/projects/${p}`), { json: b });
  expectJsonError(await patch({ start_time: '25:00' }), 422, 'start_time');
  expectJsonError(await patch({ start_time: '11:00', end_time: '10:00' }), 422, 'end_time');
  expectJsonError(await patch({ order: 0 }), 422, 'order');
  expectJsonError(await patch({ listing_id: 2 }), 422, 'listing_id');
  expectJsonError(await patch({ presenter: '' }), 422, 'presenter');
  const j = (b) => as('org', 'POST', rs(EV, '/judges'), { json: b });
  expectJsonError(await j({}), 422, 'user');
  expectJsonError(await j({ user: 'nobody@nowhere.test' }), 422, 'user');
  expectJsonError(await j({ user: DEMO.inst[0] }), 422, 'user'); // not an expert
  const f = await postForm('org', `/events/${EV}/roadshow/projects`, { listing_id: '', presenter: 'x' });
  expectStatus(f, 422);
  assert.match(f.text, /id="form-error"/);
});

// ================================================================ success paths

test('API projects and judges: create 201 with Location, get, patch, delete; judge add and remove', async () => {
  const ev = (F.spare = await makeEvent(true, '路演增删测试'));
  const lid = F.demoProjects[0].listing_id;
  const c = await as('org', 'POST', rs(ev, '/projects'), { json: { listing_id: lid, presenter: '测试人', start_time: '09:00', end_time: '09:15' } });
  expectStatus(c, 201);
  assert.equal(c.headers.location, `/api/v1/events/${ev}/roadshow/projects/${c.json.id}`);
  assert.equal(c.json.order, 1);
  assert.equal(c.json.presenter_org, F.demoProjects[0].owner_org.name, 'presenter_org defaults to the owner');
  expectJsonError(await as('org', 'POST', rs(ev, '/projects'), { json: { listing_id: lid, presenter: '又一次' } }), 409);
  const u = await as('org', 'PATCH', rs(ev, `/projects/${c.json.id}`), { json: { presenter: '新主讲人', order: 3, start_time: '10:00', end_time: '10:20' } });
  expectStatus(u, 200);
  assert.deepEqual([u.json.presenter, u.json.order, u.json.start_time, u.json.end_time], ['新主讲人', 3, '10:00', '10:20']);
  // a project of one event is not found under another
  expectJsonError(await request('GET', rs(EV, `/projects/${c.json.id}`)), 404);
  expectJsonError(await as('org', 'PATCH', rs(EV, `/projects/${c.json.id}`), { json: { presenter: 'x' } }), 404);
  const jd = await as('org', 'POST', rs(ev, '/judges'), { json: { email: DEMO.expert[0] } });
  expectStatus(jd, 201);
  assert.equal(jd.json.judges.length, 1);
  const d = await as('org', 'DELETE', rs(ev, `/projects/${c.json.id}`));
  expectStatus(d, 200);
  assert.equal(d.json.deleted, true);
  expectJsonError(await request('GET', rs(ev, `/projects/${c.json.id}`)), 404);
  expectJsonError(await as('org', 'DELETE', rs(ev, `/projects/${c.json.id}`)), 404);
  const rm = await as('org', 'DELETE', rs(ev, `/judges/${jd.json.judges[0].user_id}`));
  expectStatus(rm, 200);
  assert.equal(rm.json.judges.length, 0);
});

test('pages: add, edit and delete a project, add and remove a judge, settings (303 back, ?saved=1)', async () => {
  const ev = need(F.spare, 'spare event');
  const base = `/events/${ev}/roadshow`;
  const lid = F.demoProjects[1].listing_id;
  const a = await postForm('org', `${base}/projects`, { listing_id: String(lid), presenter: '页面主讲', presenter_org: '', order: '', start_time: '13:00', end_time: '13:10' });
  expectStatus(a, 303);
  assert.equal(a.headers.location, `${base}?saved=1`);
  const p = (await request('GET', rs(ev))).json.projects.find((x) => x.listing_id === lid);
  assert.ok(p, 'project not added');
  const pg = await page('org', base);
  assert.match(pg.text, new RegExp(`id="edit-${p.id}"`));
  assert.match(pg.text, /name="project_id"/);
  // the edit form (presenter, org, order, times)
  const e = await postForm('org', `${base}/projects`, { project_id: String(p.id), presenter: '改后主讲', presenter_org: '改后单位', order: '7', start_time: '14:00', end_time: '14:30' });
  expectStatus(e, 303);
  const q = (await request('GET', rs(ev, `/projects/${p.id}`))).json;
  assert.deepEqual([q.presenter, q.presenter_org, q.order, q.start_time, q.end_time, q.listing_id], ['改后主讲', '改后单位', 7, '14:00', '14:30', lid]);
  const bad = await postForm('org', `${base}/projects`, { project_id: String(p.id), presenter: '改后主讲', start_time: '15:00', end_time: '14:00' });
  expectStatus(bad, 422);
  assert.match(bad.text, /id="form-error"/);
  expectStatus(await postForm('org', `${base}/projects`, { project_id: '999999', presenter: 'x' }), 404);
  expectStatus(await postForm('org', `/events/${EV}/roadshow/projects`, { project_id: String(p.id), presenter: 'x' }), 404);
  // judges
  expectStatus(await postForm('org', `${base}/judges`, { user: DEMO.expert[0] }), 303);
  const ov = await as('org', 'GET', rs(ev));
  const jid = ov.json.judges[0].user_id;
  expectStatus(await postForm('org', `${base}/judges/${jid}/delete`, {}), 303);
  assert.equal((await as('org', 'GET', rs(ev))).json.judges.length, 0);
  const bj = await postForm('org', `${base}/judges`, { user: DEMO.inst[0] });
  expectStatus(bj, 422);
  // settings (checkboxes: absent = off)
  expectStatus(await postForm('org', `${base}/settings`, { normalize: '1' }), 303);
  let s = (await request('GET', rs(ev))).json;
  assert.deepEqual([s.normalize, s.closed, s.published], [true, false, false]);
  expectStatus(await postForm('org', `${base}/settings`, {}), 303);
  s = (await request('GET', rs(ev))).json;
  assert.equal(s.normalize, false);
  expectStatus(await postForm('org', `${base}/projects/${p.id}/delete`, {}), 303);
  expectStatus(await postForm('org', `${base}/projects/${p.id}/delete`, {}), 404);
  assert.equal((await request('GET', rs(ev))).json.projects.length, 0);
});

test('scoring: a judge scores by API (200, own scores back) and by the phone form (303 ?saved, next)', async () => {
  const [, , , , p5, p6] = F.demoProjects;
  const r = await as('j3', 'PUT', rs(EV, `/projects/${p5.id}/scores`), { json: { scores: { uniqueness: 6, novelty: '7', advancement: 8, maturity: 5, market: 9 } } });
  expectStatus(r, 200);
  assert.deepEqual(r.json.scores, { uniqueness: 6, novelty: 7, advancement: 8, maturity: 5, market: 9 });
  assert.equal(r.json.conflict, false);
  const g = await page('j3', `/events/${EV}/roadshow/projects/${p6.id}/score`);
  expectStatus(g, 200);
  assert.match(g.text, /id="score-form"/);
  assert.equal((g.text.match(/type="radio"/g) || []).length, 50);
  const f = await postForm('j3', `/events/${EV}/roadshow/projects/${p6.id}/score`, { c_uniqueness: '4', c_novelty: '5', c_advancement: '6', c_maturity: '7', c_market: '8' });
  expectStatus(f, 303);
  assert.equal(f.headers.location, `/events/${EV}/roadshow/projects/${p6.id}/score?saved=1`);
  const again = await page('j3', f.headers.location);
  assert.match(again.text, /id="saved"/);
  assert.match(again.text, /name="c_market" value="8"[^>]*checked/);
  // "save and next" goes to the next project
  const n = await postForm('j3', `/events/${EV}/roadshow/projects/${p5.id}/score`, { c_uniqueness: '6', c_novelty: '7', c_advancement: '8', c_maturity: '5', c_market: '9', next: String(p6.id) });
  expectStatus(n, 303);
  assert.equal(n.headers.location, `/events/${EV}/roadshow/projects/${p6.id}/score`);
  const st = await as('org', 'GET', rs(EV, `/projects/${p6.id}/scores`));
  expectStatus(st, 200);
  assert.deepEqual(st.json.judges.find((j) => j.name === '林文博高级工程师').scores, { uniqueness: 4, novelty: 5, advancement: 6, maturity: 7, market: 8 });
});

test('CSV (page and API): BOM, header with weights, one row per project and judge who scored', async () => {
  for (const u of [`/events/${EV}/roadshow/scores.csv`, rs(EV, '/scores.csv')]) {
    const r = u.startsWith('/api') ? await as('org', 'GET', u) : await page('org', u);
    expectStatus(r, 200, u);
    assert.match(r.headers['content-type'], /^text\/csv/);
    assert.match(r.headers['content-disposition'], /attachment; filename="event-1-roadshow-scores\.csv"/);
    assert.deepEqual([...r.buf.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'no UTF-8 BOM');
    const lines = r.text.slice(1).split('\r\n').filter((l) => l);
    assert.match(lines[0], /×1/);
    // 3 judges × 6 projects after the scoring test (expert3 has now scored all six)
    assert.equal(lines.length - 1, 18, `rows: ${lines.length - 1}`);
    const pairs = new Set(lines.slice(1).map((l) => l.split(',').slice(0, 1).concat(l.split(',').slice(5, 6)).join('|')));
    assert.equal(pairs.size, 18, 'a project-judge pair appears twice');
    assert.ok(lines.slice(1).every((l) => /,\d+\.\d{3}$/.test(l)), 'a row lacks the weighted total');
  }
});

// ================================================================ draft events, reads never write

test('draft event: anonymous 404, expert 404 on visible-to-staff pages, 403 on staff pages; staff 200', async () => {
  const d = (F.draft = await makeEvent(false, '路演草稿活动'));
  const base = `/events/${d}/roadshow`;
  expectJsonError(await request('GET', rs(d)), 404);
  expectStatus(await request('GET', base), 404);
  expectStatus(await request('GET', `${base}/ranking`), 404);
  expectJsonError(await request('GET', rs(d, '/ranking')), 404);
  expectStatus(await page('expert', base), 404);
  expectJsonError(await as('expert', 'GET', rs(d)), 404);
  expectStatus(await page('expert', `${base}/ranking`), 404);
  // staff-only routes: the role is checked first, the same answer whatever the event
  expectStatus(await page('expert', `${base}/scores.csv`), 403);
  expectJsonError(await as('expert', 'PATCH', rs(d), { json: { published: true } }), 403);
  expectStatus(await postForm('expert', `${base}/settings`, {}), 403);
  expectStatus(await page('org', base), 200);
  const o = await as('org', 'GET', rs(d));
  expectStatus(o, 200);
  assert.equal(o.json.criteria.length, 5);
  // a judge assigned to a draft event: the event is not theirs to see yet
  expectStatus(await as('org', 'POST', rs(d, '/judges'), { json: { user: DEMO.j1[0] } }), 201);
  const p = await as('org', 'POST', rs(d, '/projects'), { json: { listing_id: F.demoProjects[0].listing_id, presenter: '草稿主讲' } });
  expectStatus(p, 201);
  expectStatus(await page('j1', `${base}/projects/${p.json.id}/score`), 404);
  expectJsonError(await as('j1', 'PUT', rs(d, `/projects/${p.json.id}/scores`), { json: { scores: FIVE(5) } }), 404);
  assert.doesNotMatch((await page('j1', '/judging')).text, new RegExp(`/events/${d}/roadshow`));
});

test('a GET never writes: the defaults are shown unstored (id 0) until the first organizer write', async () => {
  const ev = await makeEvent(true, '路演只读测试');
  for (let i = 0; i < 2; i++) {
    const r = await request('GET', rs(ev));
    expectStatus(r, 200);
    assert.equal(r.json.criteria.length, 5);
    assert.ok(r.json.criteria.every((c) => c.id === 0), `stored by a GET: ${JSON.stringify(r.json.criteria)}`);
    expectStatus(await request('GET', `/events/${ev}/roadshow`), 200);
    expectStatus(await page('org', `/events/${ev}/roadshow`), 200);
    expectStatus(await as('org', 'GET', rs(ev, '/ranking')), 200);
  }
  // a rejected write stores nothing either
  expectJsonError(await as('inst', 'PATCH', rs(ev), { json: { published: true } }), 403);
  assert.ok((await request('GET', rs(ev))).json.criteria.every((c) => c.id === 0));
  // the first organizer write stores the defaults
  expectStatus(await as('org', 'PATCH', rs(ev), { json: { normalize: true } }), 200);
  const w = await request('GET', rs(ev));
  assert.ok(w.json.criteria.every((c) => c.id > 0));
  assert.equal(w.json.normalize, true);
  // the criteria write works on a fresh event too
  const ev2 = await makeEvent(true, '路演只读测试二');
  const c = await as('org', 'PUT', rs(ev2, '/criteria'), { json: [{ code: 'tech', name: '技术', weight: 2 }] });
  expectStatus(c, 200);
  assert.deepEqual(c.json.criteria.map((x) => [x.code, x.weight]), [['tech', 2]]);
});

// ================================================================ ranking, publication, closing

const RW = [2, 1]; // weights of tech, market
const RS = [
  // [judge A, judge B, judge C] per project, each [tech, market] or null
  [[9, 9], [3, 3], null], // P1: T 9 and 3 → 6, highest single judge: wins the tie at 6
  [[6, 6], [6, 6], null], // P2: 6 and 6 → 6, ties P3 on everything but order
  [[7, 4], [4, 10], null], // P3: 6 and 6 under 2:1 weights (6.25 with equal weights: first)
  [[8, 8], null, [3, 3]], // P4: 8 and 3 → 5.5
  [[6, 6], null, [4, 4]], // P5: 6 and 4 → 5; first with z-scores (judge C's best)
  [null, null, null], // P6: unscored, last
];

test('ranking: order from weights and tie-break, then with z-scores, as the documented formula says', async () => {
  const ev = (F.rank = await makeEvent(true, '路演排名测试'));
  expectStatus(await as('org', 'PUT', rs(ev, '/criteria'), { json: { criteria: [{ code: 'tech', name: '技术', name_en: 'Technology', weight: RW[0] }, { code: 'market', name: '市场', weight: RW[1] }] } }), 200);
  const pids = [];
  for (let i = 0; i < 6; i++) {
    const c = await as('org', 'POST', rs(ev, '/projects'), { json: { listing_id: F.demoProjects[i].listing_id, presenter: `主讲${i + 1}` } });
    expectStatus(c, 201);
    assert.equal(c.json.order, i + 1);
    pids.push(c.json.id);
  }
  const judges = ['j1', 'j2', 'j3'];
  for (const j of judges) expectStatus(await as('org', 'POST', rs(ev, '/judges'), { json: { user: DEMO[j][0] } }), 201);
  for (let p = 0; p < 6; p++)
    for (let j = 0; j < 3; j++) {
      const s = RS[p][j];
      if (s) expectStatus(await as(judges[j], 'PUT', rs(ev, `/projects/${pids[p]}/scores`), { json: { scores: { tech: s[0], market: s[1] } } }), 200);
    }
  const check = async (normalize) => {
    const exp = expectedRanking(RW, [1, 2, 3, 4, 5, 6], 3, RS, normalize);
    const r = await as('org', 'GET', rs(ev, '/ranking'));
    expectStatus(r, 200);
    assert.equal(r.json.normalize, normalize);
    assert.equal(r.json.tie_break, 'max_judge desc, judges desc, order asc');
    assert.deepEqual(r.json.items.map((i) => i.project.id), exp.map((x) => pids[x.p]), `normalize=${normalize}`);
    r.json.items.forEach((it, k) => {
      assert.equal(it.rank, k + 1);
      assert.equal(it.judges, exp[k].n);
      assert.equal(it.scored, exp[k].n > 0);
      assert.ok(Math.abs(it.score - exp[k].score) < 1e-6, `score of rank ${k + 1}: ${it.score} vs ${exp[k].score}`);
      assert.ok(Math.abs(it.max_judge - exp[k].max) < 1e-6, `max_judge of rank ${k + 1}`);
    });
    return exp.map((x) => x.p + 1);
  };
  const plain = await check(false);
  assert.deepEqual(plain, [1, 2, 3, 4, 5, 6], 'the fixture: P1 over P2 by max judge, P2 over P3 by order');
  // the weights matter: with equal weights P3 would lead
  assert.deepEqual(expectedRanking([1, 1], [1, 2, 3, 4, 5, 6], 3, RS, false).map((x) => x.p + 1)[0], 3);
  expectStatus(await as('org', 'PATCH', rs(ev), { json: { normalize: true } }), 200);
  const z = await check(true);
  assert.equal(z[0], 5, `z-scores put P5 first: ${z}`);
  assert.notDeepEqual(z, plain);
  // the ranking page shows the same order
  const pg = await page('org', `/events/${ev}/roadshow/ranking`);
  expectStatus(pg, 200);
  assert.match(pg.text, /id="unpublished-note"/);
  const titles = [...pg.text.matchAll(/<td><strong>([^<]+)<\/strong>/g)].map((m) => m[1]);
  assert.equal(titles[0], F.demoProjects[4].title.replace(/&/g, '&amp;'));
  expectStatus(await as('org', 'PATCH', rs(ev), { json: { normalize: false } }), 200);
});

test('ranking is visible to the public only after publish (anonymous 404, signed-in non-staff 403)', async () => {
  const ev = need(F.rank, 'ranking event');
  expectJsonError(await request('GET', rs(ev, '/ranking')), 404);
  expectStatus(await request('GET', `/events/${ev}/roadshow/ranking`), 404);
  for (const role of ['inst', 'j1']) {
    const e = expectJsonError(await as(role, 'GET', rs(ev, '/ranking')), 403);
    assert.match(e.message, /not published/);
    expectStatus(await page(role, `/events/${ev}/roadshow/ranking`), 403);
  }
  assert.doesNotMatch((await request('GET', `/events/${ev}/roadshow`)).text, /id="ranking-link"/);
  const p = await as('org', 'PATCH', rs(ev), { json: { published: true } });
  expectStatus(p, 200);
  assert.equal(p.json.published, true);
  const r = await request('GET', rs(ev, '/ranking'));
  expectStatus(r, 200);
  assert.equal(r.json.items.length, 6);
  assert.equal(r.json.items[0].project.presenter, '主讲1');
  const pg = await request('GET', `/events/${ev}/roadshow/ranking`);
  expectStatus(pg, 200);
  assert.doesNotMatch(pg.text, /id="unpublished-note"/);
  assert.match((await request('GET', `/events/${ev}/roadshow`)).text, /id="ranking-link"/);
  expectStatus(await as('inst', 'GET', rs(ev, '/ranking')), 200);
  // individual scores stay private
  expectJsonError(await request('GET', rs(ev, `/projects/${r.json.items[0].project.id}/scores`)), 401);
});

test('closed scoring: 409 for API and form, the form is disabled, reopening allows scoring again', async () => {
  const ev = need(F.rank, 'ranking event');
  const ov = (await request('GET', rs(ev))).json;
  const p6 = ov.projects[5].id;
  expectStatus(await as('org', 'PATCH', rs(ev), { json: { closed: true } }), 200);
  const e = expectJsonError(await as('j1', 'PUT', rs(ev, `/projects/${p6}/scores`), { json: { scores: { tech: 5, market: 5 } } }), 409);
  assert.match(e.message, /closed/);
  const f = await postForm('j1', `/events/${ev}/roadshow/projects/${p6}/score`, { c_tech: '5', c_market: '5' });
  expectStatus(f, 409);
  assert.match(f.text, /id="closed-note"/);
  const g = await page('j1', `/events/${ev}/roadshow/projects/${p6}/score`);
  expectStatus(g, 200);
  assert.match(g.text, /id="closed-note"/);
  assert.doesNotMatch(g.text, /id="save-score"/);
  assert.match(g.text, /type="radio"[^>]* disabled/);
  // the ranking did not change
  assert.equal((await request('GET', rs(ev, '/ranking'))).json.items[5].scored, false);
  expectStatus(await as('org', 'PATCH', rs(ev), { json: { closed: false } }), 200);
  expectStatus(await as('j1', 'PUT', rs(ev, `/projects/${p6}/scores`), { json: { scores: { tech: 5, market: 5 } } }), 200);
});

// ================================================================ main

runSuite({
  setupName: 'demo database with the demo roadshow, a conflicted expert, server healthy, sessions and tokens',
  setup,
  filter: FILTER,
  stopServer,
  serverErr: () => serverErr,
  cleanup: () => tmp && fs.rmSync(tmp, { recursive: true, force: true }),
});
