// tests/browser/events.mjs — browser journeys through the demo event (issue 4).
//
// usage: node tests/browser/events.mjs build/duijie
//
// Builds a throw-away demo database, serves it on a free local port and drives Debian's
// Chromium through playwright-core along two journeys, each person in its own browser context:
//  (A) the demo institution and company members register for the demo event through its form,
//      the organizer approves both, the company member requests a 1:1 meeting with the
//      institution member with a message, the institution member accepts it, the organizer
//      makes sure a slot exists, runs the scheduler and publishes the final agenda, and the
//      company member sees the meeting (time, table, counterpart) on the personal agenda page
//      and downloads it as .ics;
//  (B) judge expert1 scores a project on a 390x844 phone by tapping the 1–10 buttons, the
//      organizer sees the new score on the ranking page and publishes the ranking, and an
//      anonymous visitor sees the published ranking.
// Then every event, roadshow and meeting page is visited at 1280 px and 390 px (screenshots in
// tests/browser/screens/events/) and must not scroll sideways on the phone. Every page is
// watched for console errors, uncaught exceptions and CSP violations. Prints "ok - step" /
// "not ok - step: reason" lines and, as the last line, "N passed, N failed"; exit 1 on failure.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import {
  H, setup, cleanup, ok, notOk, finish, startServer, newPerson, shot, expect, step,
  clickAndLoad, signIn, visited, problems,
} from './harness.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SCREENS = path.join(HERE, 'screens', 'events');
const TOTAL_BUDGET_MS = 110_000; // hard stop: the whole run must finish within 2 minutes
const STEP_TIMEOUT_MS = 10_000; // default timeout for a single browser action

const INST = { email: 'inst@demo.duijie.cn', password: 'inst-demo-2026' };
const ENT = { email: 'ent@demo.duijie.cn', password: 'ent-demo-2026' };
const ORGANIZER = { email: 'organizer@demo.duijie.cn', password: 'organizer-demo-2026' };
const JUDGE = { email: 'expert1@demo.duijie.cn', password: 'expert-demo-2026' };
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

const BIN = setup({ script: 'tests/browser/events.mjs', screens: SCREENS, budgetMs: TOTAL_BUDGET_MS });

async function go(page, url) {
  const resp = await page.goto(url);
  expect(resp && resp.ok(), `GET ${new URL(url).pathname} answered ${resp && resp.status()}`);
  return resp;
}

// The rows of the ranking table: { title, rank, score, judges }.
async function rankingRows(page) {
  return page.locator('#ranking tbody tr').evaluateAll((trs) => trs.map((tr) => {
    const td = tr.querySelectorAll('td');
    return {
      rank: td[0].textContent.trim(),
      title: td[1].querySelector('strong').textContent.trim(),
      score: Number(td[2].textContent.trim()),
      judges: Number(td[td.length - 1].textContent.trim()),
    };
  }));
}

async function noSideScroll(page, what) {
  const m = await page.evaluate(() => ({
    sw: document.documentElement.scrollWidth, cw: document.documentElement.clientWidth,
  }));
  expect(m.sw <= m.cw, `${what} scrolls sideways: scrollWidth ${m.sw} > ${m.cw}`);
}

// ---------------------------------------------------------------------------------------
// the journeys

async function main() {
  expect(fs.existsSync(BIN), `binary ${BIN} not found`);
  H.tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'duijie-browser-events-'));
  const db = path.join(H.tmpDir, 'demo.db');
  const demo = spawnSync(BIN, ['demo', '--db', db], { encoding: 'utf8', timeout: 20_000 });
  expect(demo.status === 0, `demo failed (${demo.status}): ${demo.stderr || demo.stdout}`);
  const base = await startServer(db);
  ok(`server up at ${base}`);

  H.browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--no-first-run'],
    timeout: 20_000,
    handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false,
  });
  fs.rmSync(SCREENS, { recursive: true, force: true });

  // the demo event: the first (and only) one on /events
  const anon = await newPerson('anonymous');
  const ap = anon.page;
  let eventUrl = null;
  await step('anonymous visitor finds the demo event on /events', async () => {
    await go(ap, `${base}/events`);
    const link = ap.locator('a[href^="/events/"]', { hasText: '开平市生物医药科技成果对接会' }).first();
    expect(await link.count() === 1, 'demo event not listed');
    await Promise.all([ap.waitForNavigation({ waitUntil: 'load' }), link.click()]);
    expect(/^\/events\/\d+$/.test(new URL(ap.url()).pathname), `event link went to ${ap.url()}`);
    eventUrl = `${base}${new URL(ap.url()).pathname}`;
  });
  if (!eventUrl) return;
  const ev = eventUrl.slice(base.length); // "/events/ID"

  const tag = Date.now().toString(36).slice(-5);
  const instName = `院所测试${tag}`;
  const entName = `企业测试${tag}`;
  const message = `浏览器测试${tag}：希望就可降解支架涂层开展一对一洽谈。`;

  // (A) registration → meeting request → accept → schedule → personal agenda ------------------
  const inst = await newPerson('inst');
  const ent = await newPerson('ent');
  const org = await newPerson('organizer');
  const ip = inst.page, np = ent.page, op = org.page;

  async function register(page, who, name, category, brings, shotName) {
    await signIn(page, base, who);
    await go(page, `${base}${ev}`);
    const cta = page.locator(`a[href="${ev}/register"]`).first();
    expect(await cta.count() === 1, 'no registration link on the event page');
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), cta.click()]);
    // signed-in members find their name, email and organization filled in
    expect((await page.inputValue('input[name=email]')) === who.email, 'email not prefilled');
    expect((await page.inputValue('input[name=org_name]')).length > 0, 'organization not prefilled');
    await page.fill('input[name=name]', name);
    await page.check(`input[name=category][value=${category}]`);
    await page.check(`input[name=brings][value=${brings}]`);
    await page.fill('input[name=phone]', '13900001111');
    await shot(page, shotName);
    await clickAndLoad(page, '#submit-registration');
    expect(new URL(page.url()).pathname.startsWith(`${ev}/badge/`), `registration went to ${page.url()}`);
    expect(await page.locator('#registered').count() === 1, 'no thank-you notice on the badge page');
    expect((await page.locator('#badge-name').textContent()).trim() === name, 'badge shows another name');
  }
  const instReg = await step('institution member registers through the form (pending)', async () => {
    await register(ip, INST, instName, 'university', 'achievements', 'a01-register-form');
    const st = (await ip.locator('#reg-status').textContent()).trim();
    expect(st === '待审核', `registration status is "${st}", expected 待审核`);
    await shot(ip, 'a02-badge-pending');
  });
  const entReg = await step('company member registers through the form', () =>
    register(np, ENT, entName, 'enterprise', 'needs', 'a03-register-form-ent'));

  let approved = false;
  if (instReg && entReg && await step('organizer signs in', () => signIn(op, base, ORGANIZER))) {
    approved = await step('organizer approves both on the registrations page', async () => {
      for (const name of [instName, entName]) {
        await go(op, `${base}${ev}/registrations?status=pending`);
        const row = op.locator('#participants tbody tr', { hasText: name });
        expect(await row.count() === 1, `${name} not among the pending registrations`);
        if (name === instName) await shot(op, 'a04-registrations-pending');
        await Promise.all([op.waitForNavigation({ waitUntil: 'load' }),
          row.locator('form[action$="/approve"] button').click()]);
        await go(op, `${base}${ev}/registrations?status=approved`);
        expect(await op.locator('#participants tbody tr', { hasText: name }).count() === 1,
          `${name} not approved`);
      }
    });
  }

  let requested = false;
  if (approved) {
    requested = await step('company member requests a meeting with a message', async () => {
      await go(np, `${base}${ev}`);
      const link = np.locator(`a[href="${ev}/meetings"]`).first();
      expect(await link.count() === 1, 'no link to the meetings page on the event page');
      await Promise.all([np.waitForNavigation({ waitUntil: 'load' }), link.click()]);
      const person = np.locator('#participants li.mt-person', { hasText: instName });
      expect(await person.count() === 1, `${instName} not among the participants`);
      await person.locator('details.mt-request summary').click();
      await person.locator('textarea[name=message]').fill(message);
      await shot(np, 'a05-meeting-request');
      await Promise.all([np.waitForNavigation({ waitUntil: 'load' }),
        person.locator('button[type=submit]').click()]);
      expect(await np.locator('#sent').count() === 1, 'no "sent" notice');
      const out = np.locator('#outgoing .mt-card', { hasText: instName });
      expect(await out.count() === 1, 'request not among the outgoing requests');
    });
  }

  let accepted = false;
  if (requested) {
    accepted = await step('institution member sees the notice and accepts the request', async () => {
      await go(ip, `${base}/notices`);
      expect(await ip.locator('#notices li', { hasText: entName }).count() >= 1, 'no notice of the request');
      await shot(ip, 'a06-notices');
      await go(ip, `${base}${ev}/meetings`);
      const card = ip.locator('#incoming .mt-card', { hasText: entName });
      expect(await card.count() === 1, 'request not among the incoming requests');
      expect((await card.textContent()).includes(message), 'the message is not shown');
      await shot(ip, 'a07-meeting-incoming');
      await Promise.all([ip.waitForNavigation({ waitUntil: 'load' }),
        card.locator('form[action$="/accept"] button').click()]);
      expect(await ip.locator('#incoming .mt-card', { hasText: entName }).count() === 0, 'still incoming');
      const done = ip.locator('#answered .mt-card', { hasText: entName });
      expect(await done.count() === 1, 'accepted meeting not among the answered ones');
      expect((await done.textContent()).includes('已接受'), `answered card reads "${(await done.textContent()).trim()}"`);
    });
  }

  let scheduled = false;
  if (accepted) {
    scheduled = await step('organizer makes sure a slot exists, runs the scheduler, publishes the agenda', async () => {
      await go(op, `${base}${ev}/meetings/admin`);
      if (await op.locator('#slots li').count() === 0) {
        await op.fill('#slot-form input[name=start_time]', '14:00');
        await op.fill('#slot-form input[name=end_time]', '14:15');
        await clickAndLoad(op, '#add-slot');
        expect(await op.locator('#slots li').count() === 1, 'slot not added');
      }
      const row = op.locator('#meetings-table tbody tr', { hasText: entName });
      expect(await row.count() === 1, 'accepted meeting not on the admin page');
      await clickAndLoad(op, '#run-all');
      expect(await op.locator('#ran').count() === 1, 'no "scheduler ran" notice');
      const cells = await row.locator('td').allTextContents();
      expect(/\d\d:\d\d–\d\d:\d\d/.test(cells[0]) && /^\s*\d+\s*$/.test(cells[1]),
        `meeting not placed: ${cells.slice(0, 2).join(' | ')}`);
      await op.selectOption('#settings-form select[name=published]', 'final');
      await clickAndLoad(op, '#save-settings');
      expect((await op.locator('#counts strong').textContent()).trim() === '最终日程', 'agenda not published as final');
      await shot(op, 'a08-meetings-admin');
    });
  }

  if (scheduled) {
    await step('company member sees the meeting on the personal agenda and downloads the .ics', async () => {
      await go(np, `${base}${ev}/meetings`);
      await Promise.all([np.waitForNavigation({ waitUntil: 'load' }), np.click('#my-agenda')]);
      expect((await np.locator('#published').textContent()).trim() === '最终日程', 'agenda not marked final');
      const row = np.locator('#agenda tbody tr', { hasText: instName });
      expect(await row.count() === 1, `no meeting with ${instName} on the agenda`);
      const cells = (await row.locator('td').allTextContents()).map((s) => s.trim());
      expect(/^\d\d:\d\d–\d\d:\d\d$/.test(cells[0]), `time cell reads "${cells[0]}"`);
      expect(/^\d+$/.test(cells[1]), `table cell reads "${cells[1]}"`);
      await shot(np, 'a09-personal-agenda');
      const [download] = await Promise.all([np.waitForEvent('download'), np.click('#agenda-ics')]);
      expect(/\.ics$/.test(download.suggestedFilename()), `download named ${download.suggestedFilename()}`);
      const file = await download.path();
      const ics = fs.readFileSync(file, 'utf8');
      expect(ics.startsWith('BEGIN:VCALENDAR'), 'download is not an iCalendar file');
      const unfolded = ics.replace(/\r?\n[ \t]/g, '');
      expect(unfolded.includes('BEGIN:VEVENT'), '.ics has no event');
      expect(unfolded.includes(instName), `.ics does not name the counterpart ${instName}`);
    });
    await step('institution member sees the same meeting on their agenda', async () => {
      await go(ip, `${base}${ev}/meetings/agenda`);
      expect(await ip.locator('#agenda tbody tr', { hasText: entName }).count() === 1,
        `no meeting with ${entName} on the agenda`);
    });
  }
  await inst.context.close();
  await ent.context.close();

  // (B) a judge scores on a phone → the ranking ------------------------------------------------
  const judge = await newPerson('judge', PHONE);
  const jp = judge.page;
  let before = null;
  let target = null;
  await step('organizer reads the ranking before scoring', async () => {
    await go(op, `${base}${ev}/roadshow/ranking`);
    before = await rankingRows(op);
    expect(before.length >= 2, `${before.length} rows in the ranking`);
    // the last-ranked project gets full marks, so its score must rise
    target = before[before.length - 1];
    expect(target.score < 10, `last project already scores ${target.score}`);
  });

  let scored = false;
  if (target && await step('judge signs in on a phone', () => signIn(jp, base, JUDGE))) {
    scored = await step('judge scores a project by tapping 1–10 on a 390x844 phone', async () => {
      await go(jp, `${base}/judging`);
      await shot(jp, 'b01-judging-phone', false);
      const ev1 = jp.locator(`#judging a[href="${ev}/roadshow"]`);
      expect(await ev1.count() === 1, 'the demo event is not on /judging');
      await Promise.all([jp.waitForNavigation({ waitUntil: 'load' }), ev1.tap()]);
      const item = jp.locator('#projects li.rs-item', { hasText: target.title });
      expect(await item.count() === 1, `project "${target.title}" not on the roadshow page`);
      await shot(jp, 'b02-roadshow-judge-phone', false);
      await Promise.all([jp.waitForNavigation({ waitUntil: 'load' }), item.locator('a[id^=score-]').tap()]);
      expect((await jp.locator('#project-title').textContent()).trim() === target.title, 'score page of another project');
      const crits = jp.locator('#score-form fieldset.rs-crit');
      const n = await crits.count();
      expect(n >= 3, `${n} criteria on the score form`);
      for (let k = 0; k < n; k++) {
        const label = crits.nth(k).locator('.rs-scale label', { hasText: /^10$/ });
        const box = await label.boundingBox();
        expect(box && box.width >= 28 && box.height >= 28, `the 10 button is ${box && box.width}x${box && box.height}, too small to tap`);
        await label.tap();
        expect(await crits.nth(k).locator('input[type=radio][value="10"]').isChecked(), `criterion ${k + 1} not set to 10`);
      }
      await noSideScroll(jp, 'the score form');
      await shot(jp, 'b03-score-phone', false);
      await Promise.all([jp.waitForNavigation({ waitUntil: 'load' }), jp.locator('#save-score').tap()]);
      expect(await jp.locator('#saved').count() === 1, 'no "saved" notice after saving');
      for (let k = 0; k < n; k++) {
        expect(await crits.nth(k).locator('input[type=radio][value="10"]').isChecked(), 'saved score not shown');
      }
      await shot(jp, 'b04-score-saved-phone', false);
    });
  }

  let published = false;
  if (scored) {
    published = await step('organizer sees the new score on the ranking and publishes it', async () => {
      await go(op, `${base}${ev}/roadshow/ranking`);
      const after = await rankingRows(op);
      const row = after.find((r) => r.title === target.title);
      expect(row, 'project gone from the ranking');
      expect(row.score > target.score, `score of "${target.title}" went ${target.score} → ${row.score}`);
      expect(await op.locator('#unpublished-note').count() === 1, 'no "not published" note before publishing');
      await shot(op, 'b05-ranking-organizer');
      await go(op, `${base}${ev}/roadshow`);
      await op.check('#settings input[name=published]');
      await clickAndLoad(op, '#save-settings');
      expect(await op.locator('#saved').count() === 1, 'no "saved" notice');
      await go(op, `${base}${ev}/roadshow/ranking`);
      expect(await op.locator('#unpublished-note').count() === 0, 'ranking still marked unpublished');
    });
  }
  if (published) {
    await step('anonymous visitor sees the published ranking', async () => {
      await go(ap, `${base}${ev}/roadshow/ranking`);
      const rows = await rankingRows(ap);
      expect(rows.length === before.length, `${rows.length} rows, expected ${before.length}`);
      const row = rows.find((r) => r.title === target.title);
      expect(row && row.score > target.score, 'anonymous ranking does not show the new score');
      expect(rows[0].rank === '1', `first row ranked "${rows[0].rank}"`);
      await shot(ap, 'b06-ranking-public');
    });
  }

  // (C) every event, roadshow and meeting page at 1280 and 390 px ------------------------------
  await step('every event page renders at 1280 px and 390 px without sideways scrolling', async () => {
    await go(op, `${base}${ev}/registrations`);
    const badge = await op.locator('#participants a[href*="/badge/"]').first().getAttribute('href');
    await go(jp, `${base}${ev}/roadshow`);
    const scoreHref = await jp.locator('#projects a[id^=score-]').first().getAttribute('href');
    const pages = [
      ['organizer', 'event-list', '/events'],
      ['organizer', 'event-detail', ev],
      ['organizer', 'event-edit', `${ev}/edit`],
      ['organizer', 'event-new', '/events/new'],
      ['organizer', 'event-register', `${ev}/register`],
      ['organizer', 'event-badge', badge],
      ['organizer', 'event-dashboard', `${ev}/dashboard`],
      ['organizer', 'event-registrations', `${ev}/registrations`],
      ['organizer', 'event-agenda-editor', `${ev}/agenda`],
      ['organizer', 'roadshow-manage', `${ev}/roadshow`],
      ['organizer', 'roadshow-ranking', `${ev}/roadshow/ranking`],
      ['organizer', 'meetings-list', `${ev}/meetings`],
      ['organizer', 'meetings-admin', `${ev}/meetings/admin`],
      ['judge', 'roadshow-judging', '/judging'],
      ['judge', 'roadshow-judge', `${ev}/roadshow`],
      ['judge', 'roadshow-score', scoreHref],
    ];
    const bad = [];
    for (const [width, suffix] of [[1280, 'desk'], [390, 'phone']]) {
      for (const p of [op, jp]) await p.setViewportSize({ width, height: width === 390 ? 844 : 900 });
      for (const [who, name, url] of pages) {
        const p = who === 'judge' ? jp : op;
        await go(p, `${base}${url}`);
        await shot(p, `c-${name}-${suffix}`);
        if (width === 390) {
          try { await noSideScroll(p, url); } catch (e) { bad.push(e.message); }
        }
      }
    }
    expect(bad.length === 0, bad.join('; '));
  });
  await step('participant pages render at 390 px without sideways scrolling', async () => {
    const ctx = await newPerson('inst-phone', PHONE);
    try {
      await signIn(ctx.page, base, INST);
      for (const [name, url] of [['meetings-list', `${ev}/meetings`], ['meetings-agenda', `${ev}/meetings/agenda`],
        ['notices', '/notices']]) {
        await go(ctx.page, `${base}${url}`);
        await shot(ctx.page, `c-${name}-phone`);
        await noSideScroll(ctx.page, url);
      }
    } finally {
      await ctx.context.close();
    }
  });
  await judge.context.close();
  await org.context.close();
  await anon.context.close();

  await step('no console errors, page errors or CSP violations', async () => {
    const pages = [...new Set(visited.map((v) => v.url))];
    expect(pages.length >= 20, `only ${pages.length} pages visited`);
    if (problems.length) {
      const list = problems.slice(0, 5).map((p) => `[${p.who} ${p.kind}] ${p.url}: ${p.text}`).join(' | ');
      throw new Error(`${problems.length} problem(s) on ${pages.length} pages: ${list}`);
    }
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
