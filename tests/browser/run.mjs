// tests/browser/run.mjs — end-to-end browser journey for duijie.
//
// usage: node tests/browser/run.mjs build/duijie
//
// Builds a throw-away demo database, serves it on a free local port and drives Debian's
// Chromium through playwright-core: an institution member submits an achievement (after a
// failed attempt with the title left empty), the organizer publishes it, an anonymous
// visitor finds it through the search box, switches language back and forth, and the home
// page is checked on a phone viewport. Every page is watched for console errors, uncaught
// exceptions and CSP violations. Prints TAP-like "ok - step" / "not ok - step: reason"
// lines and, as the last line, "N passed, N failed". Exit status 1 on any failure.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import {
  H, setup, cleanup, ok, notOk, finish, startServer, newPerson, shot, expect, step,
  clickAndLoad, signIn, visited, problems, expectedConsole,
} from './harness.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SCREENS = path.join(HERE, 'screens');
const TOTAL_BUDGET_MS = 85_000; // hard stop: the whole run must finish well within 90 s
const STEP_TIMEOUT_MS = 10_000; // default timeout for a single browser action

const INST = { email: 'inst@demo.duijie.cn', password: 'inst-demo-2026' };
const ORGANIZER = { email: 'organizer@demo.duijie.cn', password: 'organizer-demo-2026' };

const BIN = setup({ script: 'tests/browser/run.mjs', screens: SCREENS, budgetMs: TOTAL_BUDGET_MS });

// Title links of the achievement rows on /mine (drafts and submitted included).
async function mineTitles(page, base) {
  await page.goto(`${base}/mine`);
  return page.locator('table.table-listings').first().locator('td a').allTextContents();
}

async function statusText(page) {
  return (await page.locator('#status').textContent() || '').trim();
}

// ---------------------------------------------------------------------------------------
// the journey

async function main() {
  expect(fs.existsSync(BIN), `binary ${BIN} not found`);
  H.tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'duijie-browser-'));
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
    // our own signal handlers close the browser, stop the server and print the summary
    handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false,
  });
  fs.rmSync(SCREENS, { recursive: true, force: true });

  const marker = `浏览器测试${Date.now().toString(36)}`;
  const title = `${marker} 可降解心脏支架涂层`;
  let detailUrl = null;

  // (1) institution member: failed attempt, then a full submission ------------------------
  const inst = await newPerson('inst');
  const ip = inst.page;
  let signedIn = await step('institution member signs in', () => signIn(ip, base, INST));

  let before = [];
  if (signedIn) {
    signedIn = await step('empty title is rejected with a field-level error', async () => {
      before = await mineTitles(ip, base);
      await ip.goto(`${base}/achievements/new`);
      expect(await ip.locator('form.form input[name=title]').count() === 1, 'no title input on /achievements/new');
      // everything valid except the title, so the title must be the only field marked
      await ip.fill('textarea[name=summary]', `${marker} 摘要`);
      await ip.fill('textarea[name=description]', `${marker} 详细说明`);
      await ip.selectOption('select[name=field]', 'biomed.api');
      await ip.selectOption('select[name=trl]', '5');
      await ip.check('input[name=modes][value=license]');
      // the server answers an invalid form with 422, which Chromium logs as a console error
      expectedConsole.push({ who: 'inst', re: /status of 422\b/, seen: false });
      const [resp] = await Promise.all([
        ip.waitForNavigation({ waitUntil: 'load' }), ip.click('#save-submit'),
      ]);
      expect(resp && resp.status() === 422, `invalid form answered with ${resp && resp.status()}, expected 422`);
      await shot(ip, '01-new-achievement-error');
      const titleField = ip.locator('label.field', { has: ip.locator('input[name=title]') });
      const cls = (await titleField.getAttribute('class')) || '';
      expect(/\bhas-error\b/.test(cls), `title field class is "${cls}", expected has-error`);
      expect(await ip.locator('#form-error').isVisible(), '#form-error notice not visible');
      const marked = await ip.locator('.has-error').count();
      expect(marked === 1, `${marked} fields marked with has-error, expected only the title`);
      // the entered values survive the round trip
      expect((await ip.inputValue('textarea[name=summary]')) === `${marker} 摘要`, 'summary lost after the error');
      expect((await ip.inputValue('select[name=field]')) === 'biomed.api', 'field choice lost after the error');
      // the focus moves to the broken field (app.js)
      const focused = await ip.evaluate(() => document.activeElement && document.activeElement.name);
      expect(focused === 'title', `focus is on "${focused}", expected the title input`);
      const after = await mineTitles(ip, base);
      expect(after.length === before.length, `listing count on /mine changed ${before.length} → ${after.length}`);
      expect(!after.some((t) => t.includes(marker)), 'a listing with the marker was created');
    });
  }

  if (signedIn) {
    await step('complete achievement is saved and submitted (待审核)', async () => {
      await ip.goto(`${base}/achievements/new`);
      await ip.fill('input[name=title]', title);
      await ip.fill('textarea[name=summary]', `${marker} 摘要：一种可降解的药物涂层，用于心脏支架。`);
      await ip.fill('textarea[name=description]',
        `${marker} 详细说明：涂层在六个月内完全降解，动物实验显示再狭窄率显著降低。`);
      await ip.fill('textarea[name=advantages]', '降解速度可控；工艺兼容现有产线。');
      await ip.selectOption('select[name=field]', 'biomed.api');
      await ip.selectOption('select[name=trl]', '5');
      await ip.fill('input[name=keywords]', `${marker}, 支架, 涂层`);
      await ip.check('input[name=modes][value=license]');
      await ip.check('input[name=modes][value=transfer]');
      await ip.fill('textarea[name=patents]', 'ZL202410000001.X');
      await ip.fill('input[name=price_wan]', '120');
      await ip.fill('input[name=contact_name]', '李老师');
      await ip.fill('input[name=contact_phone]', '020-12345678');
      await ip.fill('input[name=contact_email]', 'li.teacher@example.edu.cn');
      await shot(ip, '02-new-achievement-filled');
      await clickAndLoad(ip, '#save-submit');
      const u = new URL(ip.url());
      expect(/^\/achievements\/[^/]+$/.test(u.pathname) && u.pathname !== '/achievements/new',
        `landed on ${u.pathname}${await ip.locator('#form-error').count() ? ' with #form-error: ' +
          (await ip.locator('#form-error').textContent()).trim() : ''}`);
      detailUrl = `${base}${u.pathname}`;
      await shot(ip, '03-detail-submitted');
      expect((await ip.locator('h1').first().textContent()).trim() === title, 'detail title differs');
      const st = await statusText(ip);
      expect(st === '待审核', `status is "${st}", expected 待审核`);
      // the owner sees the contact details
      const facts = await ip.locator('aside.facts').textContent();
      expect(facts.includes('020-12345678'), 'owner does not see the contact phone');
    });
  }
  await inst.context.close();

  // (2) organizer publishes it ------------------------------------------------------------
  const org = await newPerson('organizer');
  const op = org.page;
  if (detailUrl && await step('organizer signs in', () => signIn(op, base, ORGANIZER))) {
    await step('organizer finds it on /review and publishes it (已发布)', async () => {
      await op.goto(`${base}/review`);
      const link = op.locator('table.table-listings a', { hasText: marker });
      expect(await link.count() === 1, `title with marker on /review found ${await link.count()} times`);
      await shot(op, '04-review-queue');
      await Promise.all([op.waitForNavigation({ waitUntil: 'load' }), link.click()]);
      expect(`${base}${new URL(op.url()).pathname}` === detailUrl, `review link went to ${op.url()}`);
      const st0 = await statusText(op);
      expect(st0 === '待审核', `status before publishing is "${st0}"`);
      await clickAndLoad(op, '#publish');
      await shot(op, '05-detail-published');
      const st = await statusText(op);
      expect(st === '已发布', `status after publishing is "${st}", expected 已发布`);
      await op.goto(`${base}/review`);
      expect(await op.locator('table.table-listings a', { hasText: marker }).count() === 0,
        'published listing still in the review queue');
    });
  }
  await org.context.close();

  // (3) + (4) anonymous visitor -------------------------------------------------------------
  const anon = await newPerson('anonymous');
  const ap = anon.page;
  let found = false;
  if (detailUrl) {
    found = await step('anonymous visitor finds it via the search box and opens it', async () => {
      await ap.goto(`${base}/achievements`);
      const totalAll = Number(await ap.locator('#total').textContent());
      await ap.fill('form.filters input[name=q]', marker);
      await Promise.all([ap.waitForNavigation({ waitUntil: 'load' }), ap.press('form.filters input[name=q]', 'Enter')]);
      const u = new URL(ap.url());
      expect(u.pathname === '/achievements' && u.searchParams.get('q') === marker, `search went to ${ap.url()}`);
      expect((await ap.inputValue('form.filters input[name=q]')) === marker, 'search box lost the query');
      const total = Number(await ap.locator('#total').textContent());
      expect(total === 1, `search for the marker gave ${total} results (all: ${totalAll})`);
      await shot(ap, '06-search-results');
      const card = ap.locator('.card-title a', { hasText: marker });
      expect(await card.count() === 1, 'result card with the marker not found');
      await Promise.all([ap.waitForNavigation({ waitUntil: 'load' }), card.click()]);
      expect(`${base}${new URL(ap.url()).pathname}` === detailUrl, `card went to ${ap.url()}`);
      expect((await ap.locator('h1').first().textContent()).trim() === title, 'detail title differs');
      expect((await statusText(ap)) === '已发布', 'status on the public page is not 已发布');
    });
  }
  if (found) {
    await step('contact details are hidden from anonymous visitors', async () => {
      const facts = ap.locator('aside.facts');
      const link = facts.locator('a[href^="/login?next=/achievements/"]', { hasText: '登录后可查看联系方式' });
      expect(await link.count() === 1, '"登录后可查看联系方式" link missing');
      const text = await facts.textContent();
      for (const secret of ['020-12345678', 'li.teacher@example.edu.cn']) {
        expect(!text.includes(secret), `contact detail ${secret} visible`);
      }
      const html = await ap.content();
      expect(!html.includes('020-12345678') && !html.includes('li.teacher@example.edu.cn'),
        'contact details present in the page source');
      await shot(ap, '07-detail-anonymous');
    });
  }

  await step('language switch goes to English and back to Chinese', async () => {
    if (!found) await ap.goto(`${base}/achievements`);
    const here = new URL(ap.url()).pathname;
    const start = await ap.getAttribute('html', 'lang');
    expect(start && start.startsWith('zh'), `html lang is "${start}" before switching, expected zh-*`);
    await clickAndLoad(ap, '#lang-switch');
    const lang = await ap.getAttribute('html', 'lang');
    expect(lang === 'en', `html lang is "${lang}" after switching, expected en`);
    const nav = (await ap.locator('nav.nav').textContent()).replace(/\s+/g, ' ');
    expect(nav.includes('Achievements'), `nav reads "${nav.trim()}"`);
    expect(new URL(ap.url()).pathname === here, `switch went from ${here} to ${new URL(ap.url()).pathname}`);
    if (found) {
      // listing content keeps its own language; the chrome is English
      expect((await ap.locator('h1').first().textContent()).trim() === title, 'title changed with the UI language');
    }
    await shot(ap, '08-english');
    await clickAndLoad(ap, '#lang-switch');
    const back = await ap.getAttribute('html', 'lang');
    expect(back && back.startsWith('zh'), `html lang is "${back}" after switching back`);
    const nav2 = await ap.locator('nav.nav').textContent();
    expect(nav2.includes('科技成果'), `nav reads "${nav2.trim()}" after switching back`);
    expect(new URL(ap.url()).pathname === here, 'switching back changed the page');
  });
  await step('search highlights matches; a need page recommends achievements with reasons', async () => {
    await ap.goto(`${base}/achievements?q=${encodeURIComponent('原料藥合成雜質控制')}`);
    const marks = await ap.locator('.card-title mark, .snippet mark').count();
    expect(marks > 0, 'no highlighted matches for a Traditional-Chinese query');
    expect(await ap.locator('.reasons .tag-kw').count() > 0, 'no matched terms under the results');
    await shot(ap, '10-search-highlight');
    await ap.goto(`${base}/needs?q=${encodeURIComponent('基因毒性杂质')}`);
    await Promise.all([ap.waitForNavigation({ waitUntil: 'load' }), ap.locator('.card-title a').first().click()]);
    const recs = ap.locator('#matches .card');
    expect(await recs.count() > 0, 'need page shows no recommended achievements');
    const first = (await recs.first().textContent()).replace(/\s+/g, ' ');
    expect(/杂质/.test(first), `first recommendation off topic: ${first.slice(0, 80)}`);
    expect(await ap.locator('#matches .tag-factor').count() > 0, 'recommendations give no factors');
    await ap.locator('#matches').scrollIntoViewIfNeeded();
    await shot(ap, '11-need-recommendations', false);
  });
  await anon.context.close();

  // (6) phone viewport -----------------------------------------------------------------------
  const phone = await newPerson('phone', {
    viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
  });
  await step('home page has no horizontal scroll at 390x844', async () => {
    await phone.page.goto(`${base}/`);
    const m = await phone.page.evaluate(() => ({
      sw: document.documentElement.scrollWidth, cw: document.documentElement.clientWidth,
    }));
    await shot(phone.page, '09-home-phone', false); // first screen only: the full page is ~8000 px
    expect(m.sw <= 390, `scrollWidth ${m.sw} > 390 (clientWidth ${m.cw})`);
  });
  await phone.context.close();

  // (5) console errors / CSP on every visited page --------------------------------------------
  await step('no console errors, page errors or CSP violations', async () => {
    const pages = [...new Set(visited.map((v) => v.url))];
    expect(pages.length >= 8, `only ${pages.length} pages visited`);
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
