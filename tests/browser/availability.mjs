// tests/browser/availability.mjs — a participant marks the meeting slots in which they cannot
// meet (on the roadshow stage, leaving early) and the organizer sees it.
//
// usage: node tests/browser/availability.mjs build/duijie
//
// On a throw-away demo database: the demo company member registers for the demo event, the
// organizer approves, the company member opens "不可参加时段" from the meetings page, ticks a slot
// and saves (plain form, no JavaScript needed), sees the notice and the tick kept after a reload;
// the organizer sees the name beside that slot on the meeting admin page and opens the same
// editor for that participant from the picker. Pages are shot at 1280 px and 390 px (in
// tests/browser/screens/availability/) and must not scroll sideways on the phone. Prints
// "ok - step" / "not ok - step: reason" and, last, "N passed, N failed"; exit 1 on failure.
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
const SCREENS = path.join(HERE, 'screens', 'availability');
const ENT = { email: 'ent@demo.duijie.cn', password: 'ent-demo-2026' };
const ORGANIZER = { email: 'organizer@demo.duijie.cn', password: 'organizer-demo-2026' };
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

const BIN = setup({ script: 'tests/browser/availability.mjs', screens: SCREENS, budgetMs: 90_000 });

async function go(page, url) {
  const resp = await page.goto(url);
  expect(resp && resp.ok(), `GET ${new URL(url).pathname} answered ${resp && resp.status()}`);
  return resp;
}

async function noSideScroll(page, what) {
  const m = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, cw: document.documentElement.clientWidth }));
  expect(m.sw <= m.cw, `${what} scrolls sideways: scrollWidth ${m.sw} > ${m.cw}`);
}

async function main() {
  expect(fs.existsSync(BIN), `binary ${BIN} not found`);
  H.tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'duijie-browser-avail-'));
  const db = path.join(H.tmpDir, 'demo.db');
  const demo = spawnSync(BIN, ['demo', '--db', db], { encoding: 'utf8', timeout: 20_000 });
  expect(demo.status === 0, `demo failed (${demo.status}): ${demo.stderr || demo.stdout}`);
  const base = await startServer(db);
  ok(`server up at ${base}`);
  H.browser = await chromium.launch({
    executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    timeout: 20_000, handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false,
  });
  fs.rmSync(SCREENS, { recursive: true, force: true });

  const ent = await newPerson('ent', PHONE);
  const org = await newPerson('organizer');
  const np = ent.page, op = org.page;
  const name = `企业不可参加${Date.now().toString(36).slice(-5)}`;
  let ev = null;
  const registered = await step('company member registers for the demo event; the organizer approves', async () => {
    await signIn(op, base, ORGANIZER);
    await go(op, `${base}/events`);
    const href = await op.locator('a[href^="/events/"]', { hasText: '开平市生物医药科技成果对接会' }).first().getAttribute('href');
    ev = href.match(/^\/events\/\d+/)[0];
    await signIn(np, base, ENT);
    await go(np, `${base}${ev}/register`);
    await np.fill('input[name=name]', name);
    await np.check('input[name=category][value=enterprise]');
    await np.check('input[name=brings][value=needs]');
    await np.fill('input[name=phone]', '13900002222');
    await clickAndLoad(np, '#submit-registration');
    await go(op, `${base}${ev}/registrations?status=pending`);
    const row = op.locator('#participants tbody tr', { hasText: name });
    expect(await row.count() === 1, `${name} not among the pending registrations`);
    await Promise.all([op.waitForNavigation({ waitUntil: 'load' }), row.locator('form[action$="/approve"] button').click()]);
  });
  if (!registered) return;

  let slotTime = null;
  const saved = await step('participant ticks a slot as unavailable on the phone, saves, sees it kept', async () => {
    await go(np, `${base}${ev}/meetings`);
    await clickAndLoad(np, '#my-availability');
    expect(new URL(np.url()).pathname === `${ev}/meetings/availability`, `link went to ${np.url()}`);
    expect((await np.locator('#av-who').textContent()).trim() === name, 'the page shows another participant');
    const boxes = np.locator('#availability-form input[type=checkbox]');
    expect(await boxes.count() === 10, `expected the demo's 10 slots, got ${await boxes.count()}`);
    expect(await np.locator('#availability-form input[type=checkbox]:checked').count() === 0, 'a slot is ticked already');
    await noSideScroll(np, 'availability page');
    await shot(np, 'p1-availability-phone');
    const third = np.locator('.av-slots li').nth(2);
    slotTime = (await third.locator('.av-time').textContent()).trim();
    await third.locator('label').click(); // the whole row is the label: a big target on a phone
    expect(await third.locator('input').isChecked(), 'tapping the row did not tick the box');
    await clickAndLoad(np, '#save-availability');
    expect(await np.locator('#saved').count() === 1, 'no "saved" notice');
    await np.reload();
    expect(await np.locator('.av-slots li').nth(2).locator('input').isChecked(), 'the tick was not kept');
    expect(await np.locator('#availability-form input[type=checkbox]:checked').count() === 1, 'more than one slot ticked');
    await shot(np, 'p2-availability-saved-phone');
    await np.setViewportSize({ width: 1280, height: 900 });
    await shot(np, 'p3-availability-desk');
  });
  if (saved) {
    await step('organizer sees who is unavailable when, and edits it for the participant', async () => {
      await go(op, `${base}${ev}/meetings/admin`);
      const li = op.locator('#slots li', { hasText: slotTime });
      expect(await li.locator('.av-away', { hasText: name }).count() === 1, `${name} not marked beside ${slotTime}`);
      await shot(op, 'o1-admin-desk');
      const value = await op.locator('#availability-pick option', { hasText: name }).getAttribute('value');
      await op.selectOption('#availability-pick select', value);
      await clickAndLoad(op, '#availability-pick button');
      expect((await op.locator('#av-who').textContent()).trim() === name, 'the editor shows another participant');
      expect(await op.locator('#availability-form input[type=checkbox]:checked').count() === 1, 'organizer sees another set');
      await shot(op, 'o2-editor-desk');
      await op.setViewportSize({ width: 390, height: 844 });
      await go(op, `${base}${ev}/meetings/admin`);
      await noSideScroll(op, 'meeting admin page');
      await shot(op, 'o3-admin-phone');
    });
  }
  await ent.context.close();
  await org.context.close();
  await step('no console errors, page errors or CSP violations', async () => {
    expect(visited.length > 5, `only ${visited.length} pages visited`);
    if (problems.length) {
      throw new Error(problems.slice(0, 5).map((p) => `[${p.who} ${p.kind}] ${p.url}: ${p.text}`).join(' | '));
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
