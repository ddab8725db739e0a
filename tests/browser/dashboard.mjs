// tests/browser/dashboard.mjs — the organizers' statistics dashboard and the public results page
// (issue 5, items 1 and 3) in Chromium.
//
// usage: node tests/browser/dashboard.mjs build/duijie
//
// On a throw-away demo database: the organizer signs in, opens /stats, the ECharts canvases
// render with a non-zero size, the headline cards show the figures GET /api/v1/stats returns,
// the six-month outcomes match GET /api/v1/outcomes; switches to the demo event and to English;
// the report links point at the report routes; records a six-month outcome on an intention;
// publishes the event's results page; an anonymous visitor sees it with no confidential data
// (no contact e-mails or phones, no intention notes, no single amounts), and gets 404 after the
// organizer withdraws it. Screenshots (zh/en, desktop/phone) in tests/browser/screens/dashboard/.
// Every page is watched for console errors, uncaught exceptions and CSP violations. Last line
// "N passed, N failed"; exit 1 on failure.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import {
  H, setup, cleanup, ok, notOk, finish, startServer, newPerson, shot, expect, step,
  clickAndLoad, signIn, problems, expectedConsole,
} from './harness.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SCREENS = path.join(HERE, 'screens', 'dashboard');
const TOTAL_BUDGET_MS = 110_000;
const STEP_TIMEOUT_MS = 10_000;
const ORGANIZER = { email: 'organizer@demo.duijie.cn', password: 'organizer-demo-2026' };
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

const BIN = setup({ script: 'tests/browser/dashboard.mjs', screens: SCREENS, budgetMs: TOTAL_BUDGET_MS });

async function go(page, url) {
  const resp = await page.goto(url);
  expect(resp && resp.ok(), `GET ${new URL(url).pathname} answered ${resp && resp.status()}`);
  return resp;
}

async function api(page, url) {
  return page.evaluate(async (u) => {
    const r = await fetch(u, { headers: { Accept: 'application/json' } });
    return { status: r.status, body: await r.json() };
  }, url);
}

// Every drawn chart: its name and canvas size.
async function canvases(page) {
  return page.locator('#dash [data-chart]').evaluateAll((els) => els.map((el) => {
    const c = el.querySelector('canvas');
    return { name: el.getAttribute('data-chart'), w: c ? c.width : 0, h: c ? c.height : 0 };
  }));
}

async function card(page, key) {
  return (await page.locator(`#card-${key} strong`).textContent()).trim();
}

async function noSideScroll(page, what) {
  const m = await page.evaluate(() => {
    const cw = document.documentElement.clientWidth;
    const wide = [...document.querySelectorAll('body *')].filter((el) => el.getBoundingClientRect().right > cw + 1)
      .slice(0, 3).map((el) => el.tagName + (el.id ? '#' + el.id : '') + '.' + el.className);
    return { sw: document.documentElement.scrollWidth, cw, wide };
  });
  expect(m.sw <= m.cw, `${what} scrolls sideways: scrollWidth ${m.sw} > ${m.cw} (${m.wide.join(', ')})`);
}

// Charts animate in; wait until they settle before a screenshot.
async function settle(page) {
  await page.waitForTimeout(900);
}

async function main() {
  expect(fs.existsSync(BIN), `binary ${BIN} not found`);
  H.tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'duijie-browser-dash-'));
  const db = path.join(H.tmpDir, 'demo.db');
  const demo = spawnSync(BIN, ['demo', '--db', db], { encoding: 'utf8', timeout: 20_000 });
  expect(demo.status === 0, `demo failed (${demo.status}): ${demo.stderr || demo.stdout}`);
  const base = await startServer(db);
  ok(`server up at ${base}`);
  H.browser = await chromium.launch({
    executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });

  const org = await newPerson('organizer', { viewport: { width: 1280, height: 900 } });
  const P = org.page;
  let eventId = 0;
  let stats = null;

  await step('organizer signs in and opens the dashboard', async () => {
    await signIn(P, base, ORGANIZER);
    await go(P, `${base}/stats`);
    expect(await P.locator('#dash-cards').count() === 1, 'no figure cards');
  });

  await step('the overall charts render as canvases with a size', async () => {
    await P.waitForSelector('#dash [data-chart="funnel"] canvas');
    const cs = await canvases(P);
    const names = cs.map((c) => c.name);
    for (const want of ['funnel', 'by_field', 'by_org_type', 'outcomes']) {
      const c = cs.find((x) => x.name === want);
      expect(c, `chart ${want} missing (have ${names.join(',')})`);
      expect(c.w > 50 && c.h > 50, `chart ${want} has size ${c.w}x${c.h}`);
    }
  });

  await step('the cards show the figures of /api/v1/stats', async () => {
    const r = await api(P, '/api/v1/stats');
    expect(r.status === 200, `stats answered ${r.status}`);
    stats = r.body;
    const f = stats.funnel;
    expect(f.collected > 0 && f.intentions === 7, `demo funnel unexpected: ${JSON.stringify(f)}`);
    expect(await card(P, 'collected') === String(f.collected), 'collected card');
    expect(await card(P, 'displayed') === String(f.displayed), 'displayed card');
    expect(await card(P, 'promoted') === String(f.promoted), 'promoted card');
    expect(await card(P, 'meetings_held') === String(f.meetings_held), 'meetings held card');
    expect(await card(P, 'intentions') === String(f.intentions), 'intentions card');
    expect(await card(P, 'contracts') === String(f.contracts), 'contracts card');
    expect(await card(P, 'contract_amount_wan') === f.contract_amount_wan, 'amount card');
  });

  await step('the six-month outcomes match /api/v1/outcomes', async () => {
    const r = await api(P, '/api/v1/outcomes');
    expect(r.status === 200, `outcomes answered ${r.status}`);
    const o = r.body;
    expect(o.six_month.total === 7 && o.six_month.recorded === 4, `demo outcomes: ${JSON.stringify(o)}`);
    expect((await P.locator('#six-total').textContent()).trim() === '7', 'six-month total');
    expect((await P.locator('#outcome-agreement td').first().textContent()).trim() ===
      String(o.outcomes.agreement), 'agreement count');
    await settle(P); await shot(P, 'dashboard-overall-zh');
  });

  await step('the organizer picks the demo event; report links follow the scope', async () => {
    expect((await P.locator('#report-pdf').getAttribute('href')) === '/stats/report.pdf', 'overall pdf link');
    expect((await P.locator('#report-xlsx').getAttribute('href')) === '/stats/report.xlsx', 'overall xlsx link');
    const opt = P.locator('#dash-event option').nth(1);
    eventId = Number(await opt.getAttribute('value'));
    expect(eventId > 0, 'no event to choose');
    await P.selectOption('#dash-event', String(eventId));
    await clickAndLoad(P, '#dash-show');
    expect(new URL(P.url()).searchParams.get('event_id') === String(eventId), `url ${P.url()}`);
    expect((await P.locator('#report-pdf').getAttribute('href')) === `/events/${eventId}/report.pdf`, 'event pdf link');
    expect((await P.locator('#report-xlsx').getAttribute('href')) === `/events/${eventId}/report.xlsx`, 'event xlsx link');
    await P.waitForSelector('#dash [data-chart="attendance"] canvas');
    const r = await api(P, `/api/v1/stats?event_id=${eventId}`);
    expect(await card(P, 'intentions') === String(r.body.funnel.intentions), 'event intentions card');
    expect(await card(P, 'meetings_held') === String(r.body.funnel.meetings_held), 'event meetings card');
    const cs = await canvases(P);
    expect(cs.every((c) => c.w > 50 && c.h > 50), `a chart has no size: ${JSON.stringify(cs)}`);
    await settle(P); await shot(P, 'dashboard-event-zh');
  });

  await step('the dashboard in English', async () => {
    await clickAndLoad(P, '#lang-switch');
    expect(await P.locator('html').getAttribute('lang') === 'en', 'page not in English');
    const h1 = (await P.locator('h1').textContent()).trim();
    expect(h1 === 'Statistics dashboard', `h1 is ${h1}`);
    await P.waitForSelector('#dash [data-chart="funnel"] canvas');
    const head = (await P.locator('#funnel thead').textContent());
    expect(/Figure/.test(head), 'funnel table header not English');
    await settle(P); await shot(P, 'dashboard-event-en');
  });

  await step('a period narrows the figures to what /api/v1/stats gives for it', async () => {
    await go(P, `${base}/stats?event_id=${eventId}&from=2000-01-01&to=2000-12-31`);
    expect(await P.locator('#dash-period').count() === 1, 'no period note');
    const r = await api(P, `/api/v1/stats?event_id=${eventId}&from=2000-01-01&to=2000-12-31`);
    expect(r.status === 200, `stats with a period answered ${r.status}`);
    expect(await card(P, 'intentions') === String(r.body.funnel.intentions), 'intentions card in the period');
    expect((await P.locator('#report-pdf').getAttribute('href')) ===
      `/events/${eventId}/report.pdf?from=2000-01-01&to=2000-12-31`, 'pdf link keeps the period');
  });

  await step('the organizer records the outcome of a held 1:1 meeting', async () => {
    await go(P, `${base}/events/${eventId}/outcomes`);
    const before = Number(await P.locator('#mo-recorded').textContent());
    const row = P.locator('#meeting-outcomes tbody tr').filter({ hasNot: P.locator('.oc-tag') }).first();
    await row.locator('select[name=outcome]').selectOption('negotiating');
    await row.locator('input[name=note]').fill('Browser test call');
    await Promise.all([P.waitForNavigation({ waitUntil: 'load' }), row.locator('button').click()]);
    expect(await P.locator('#saved').count() === 1, 'not saved');
    expect(Number(await P.locator('#mo-recorded').textContent()) === before + 1, 'recorded count did not grow');
    await settle(P); await shot(P, 'meeting-outcomes-en');
  });

  await step('a six-month outcome is recorded on an intention', async () => {
    const list = await api(P, `/api/v1/intentions?event_id=${eventId}`);
    const it = list.body.intentions.find((i) => i.stage === 'preliminary');
    expect(it, 'no preliminary intention');
    await go(P, `${base}/intentions/${it.id}`);
    const form = P.locator('form.oc-form');
    expect(await form.count() === 1, 'no outcome form');
    await form.locator('select[name=outcome]').selectOption('valuable_contact');
    await form.locator('input[name=outcome_note]').fill('Browser test: a follow-up visit is planned.');
    await Promise.all([P.waitForNavigation({ waitUntil: 'load' }), form.locator('button').click()]);
    expect(await P.locator('#saved').count() === 1, 'not saved');
    expect(await P.locator('.oc-tag').count() === 1, 'outcome tag not shown');
    expect(/Valuable contact/.test(await P.locator('.oc-tag').textContent()), 'outcome label');
  });

  await step('the organizer publishes the results page from the event dashboard', async () => {
    await go(P, `${base}/events/${eventId}/dashboard`);
    await clickAndLoad(P, '#results-publish');
    expect(new URL(P.url()).pathname === `/events/${eventId}/results`, `landed on ${P.url()}`);
    expect(await P.locator('#results-state').count() === 1, 'no state');
    expect(await P.locator('#results-withdraw').count() === 1, 'no withdraw button once public');
  });

  const anon = await newPerson('visitor', { viewport: { width: 1280, height: 900 } });
  const V = anon.page;
  await step('a visitor finds the results from the event page and sees the aggregates', async () => {
    await go(V, `${base}/events/${eventId}`);
    await clickAndLoad(V, '#results-link');
    expect(new URL(V.url()).pathname === `/events/${eventId}/results`, `on ${V.url()}`);
    await V.waitForSelector('#dash [data-chart="funnel"] canvas');
    const cs = await canvases(V);
    expect(cs.length === 2 && cs.every((c) => c.w > 50 && c.h > 50), `charts: ${JSON.stringify(cs)}`);
    const r = await api(V, `/api/v1/events/${eventId}/results`);
    expect(r.status === 200, `results API answered ${r.status}`);
    expect(await card(V, 'intentions') === String(r.body.stats.funnel.intentions), 'intentions card');
    expect(await V.locator('#results-admin').count() === 0, 'visitor sees the admin block');
    const summary = (await V.locator('#results-summary').textContent()).trim();
    expect(summary.includes(String(r.body.stats.funnel.collected)), `summary paragraph: ${summary}`);
    expect(await V.locator('#results-ranking tbody tr').count() === 0 || r.body.ranking !== null,
      'ranking shown although not published');
    await settle(V); await shot(V, 'results-zh');
  });

  await step('the results page holds no confidential data', async () => {
    const html = await V.content();
    expect(!/@/.test(html.replace(/<[^>]+>/g, ' ').replace(/@media/g, '')), 'an e-mail address on the page');
    expect(!/对接会现场达成初步合作意向/.test(html), 'an intention note on the page');
    expect(!/Browser test: a follow-up/.test(html), 'an outcome note on the page');
    expect(!/许可合同已签订/.test(html), 'a demo outcome note on the page');
    const r = await api(V, `/api/v1/events/${eventId}/results`);
    const text = JSON.stringify(r.body);
    expect(!/note|email|phone|amount_centi|org_a|org_b/.test(text), `confidential key in ${text.slice(0, 200)}`);
  });

  await step('on a phone the dashboard and the results page fit the screen', async () => {
    const phone = await newPerson('organizer-phone', PHONE);
    await signIn(phone.page, base, ORGANIZER);
    await go(phone.page, `${base}/stats?event_id=${eventId}`);
    await phone.page.waitForSelector('#dash [data-chart="funnel"] canvas');
    await noSideScroll(phone.page, '/stats');
    await settle(phone.page); await shot(phone.page, 'dashboard-event-zh-phone');
    await clickAndLoad(phone.page, '#lang-switch');
    await phone.page.waitForSelector('#dash [data-chart="funnel"] canvas');
    await settle(phone.page); await shot(phone.page, 'dashboard-event-en-phone');
    const vp = await newPerson('visitor-phone', PHONE);
    await go(vp.page, `${base}/events/${eventId}/results`);
    await vp.page.waitForSelector('#dash [data-chart="funnel"] canvas');
    await noSideScroll(vp.page, 'results');
    await settle(vp.page); await shot(vp.page, 'results-zh-phone');
  });

  await step('withdrawn results are 404 for the visitor and a preview for the organizer', async () => {
    await go(P, `${base}/events/${eventId}/results`);
    await clickAndLoad(P, '#results-withdraw');
    expect(await P.locator('#results-publish').count() === 1, 'no publish button in preview');
    expectedConsole.push({ who: 'visitor', re: /404/, seen: false });
    const resp = await V.goto(`${base}/events/${eventId}/results`);
    expect(resp.status() === 404, `visitor got ${resp.status()}`);
  });

  await step('no console errors, uncaught exceptions or CSP violations', async () => {
    expect(problems.length === 0, problems.map((p) => `${p.who} ${p.kind} ${p.url}: ${p.text}`).join(' | '));
  });
}

try {
  await main();
} catch (e) {
  notOk('run', e && e.stack ? e.stack.split('\n').slice(0, 2).join(' ') : e);
} finally {
  clearTimeout(H.deadline);
  await cleanup();
}
if (!H.aborting) finish(H.failed ? 1 : 0);
