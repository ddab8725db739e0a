// tests/browser/import.mjs — the organizer imports a colleague's Excel sheet of achievements in
// the browser (issue 5: "done when"), in Chromium through playwright-core.
//
// usage: node tests/browser/import.mjs build/duijie
//
// A throw-away demo database; the colleague's sheet is an XLSX written by the binary itself (a
// CSV with Chinese headers and labels imported into a scratch database, then exported). The
// organizer opens 导入导出 from the navigation, uploads a sheet with two bad rows first (the
// preview names row, column and reason and offers no confirmation), then the good sheet, sees the
// preview with a flagged duplicate, ticks "leave out duplicates", confirms, and finds the new
// achievement in the catalog. Also checked: the page on a phone viewport, no console errors or
// CSP violations. Prints "ok - step" / "not ok - step: reason", last "N passed, N failed".
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
const SCREENS = path.join(HERE, 'screens', 'import');
const ORGANIZER = { email: 'organizer@demo.duijie.cn', password: 'organizer-demo-2026' };
const BIN = setup({ script: 'tests/browser/import.mjs', screens: SCREENS, budgetMs: 85_000 });

const MARK = `浏览器导入${Date.now().toString(36)}`;
const CSV =
  '成果名称,所属单位,技术领域,成熟度,简介,详细介绍,转化方式,价格(万元)\n' +
  `${MARK}：便携式超声成像仪,南粤医科大学,生物医药/医疗器械,TRL 6,掌上超声,基于 MEMS 的便携式超声成像,转让、许可,50\n` +
  `${MARK}：缓释微球制剂,南粤医科大学,药物研发,中试,长效注射,可降解微球包载多肽,许可,面议\n`;
const BAD =
  'title,organization,field,TRL,summary,description,transfer_modes\n' +
  `${MARK} bad 1,南粤医科大学,biomed.device,12,s,d,license\n` +
  `${MARK} bad 2,火星大学,biomed.device,5,s,d,license\n`;

function run(args) {
  const r = spawnSync(BIN, args, { encoding: 'utf8', timeout: 30_000 });
  expect(r.status === 0, `duijie ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r;
}

async function main() {
  expect(fs.existsSync(BIN), `binary ${BIN} not found`);
  H.tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'duijie-browser-import-'));
  const db = path.join(H.tmpDir, 'demo.db');
  run(['demo', '--db', db]);
  // the colleague's sheet: one row already in the platform (a duplicate) plus two new ones
  const scratch = path.join(H.tmpDir, 'scratch.db');
  run(['demo', '--db', scratch]);
  fs.writeFileSync(path.join(H.tmpDir, 'colleague.csv'), CSV);
  run(['import', '--db', scratch, '--kind', 'achievements', path.join(H.tmpDir, 'colleague.csv')]);
  const xlsx = path.join(H.tmpDir, '同事的成果表.xlsx');
  run(['export', '--db', scratch, '--kind', 'achievements', '--format', 'xlsx', '--out', xlsx]);
  const bad = path.join(H.tmpDir, 'bad.csv');
  fs.writeFileSync(bad, BAD);
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

  const org = await newPerson('organizer', { viewport: { width: 1280, height: 900 } });
  const p = org.page;
  const signedIn = await step('organizer signs in and opens 导入导出 from the navigation', async () => {
    await signIn(p, base, ORGANIZER);
    await clickAndLoad(p, '#nav-import');
    expect(new URL(p.url()).pathname === '/import', `landed on ${p.url()}`);
    expect(await p.locator('#import-form').count() === 1, 'no upload form');
    expect(await p.locator('#import-templates a[href="/import/template/achievements?format=xlsx"]').count() === 1,
      'no template link');
    await shot(p, '01-import-form');
  });
  if (!signedIn) return;

  await step('a sheet with bad rows: every problem listed, nothing to confirm', async () => {
    await p.selectOption('#import-kind', 'achievements');
    await p.setInputFiles('#import-file', bad);
    await clickAndLoad(p, '#import-preview');
    expect(/^\/import\/\d+$/.test(new URL(p.url()).pathname), `preview at ${p.url()}`);
    const rows = await p.locator('#import-issues tbody tr').allTextContents();
    expect(rows.length === 2, `${rows.length} problems listed, expected 2`);
    expect(rows[0].includes('2') && rows[0].includes('TRL') && rows[0].includes('1–9'), `first: ${rows[0]}`);
    expect(rows[1].includes('3') && rows[1].includes('organization') && rows[1].includes('找不到该单位'), `second: ${rows[1]}`);
    expect(await p.locator('#import-confirm').count() === 0, 'a bad file can be confirmed');
    await shot(p, '02-preview-bad');
  });

  let previewUrl = null;
  await step('the colleague\'s Excel sheet: preview with counts and a flagged duplicate', async () => {
    await p.goto(`${base}/import`);
    await p.selectOption('#import-kind', 'achievements');
    await p.setInputFiles('#import-file', xlsx);
    await clickAndLoad(p, '#import-preview');
    previewUrl = p.url();
    const summary = await p.locator('#import-summary').textContent();
    expect(summary.includes('同事的成果表.xlsx'), 'file name not shown');
    expect(summary.includes('xlsx'), 'format not shown');
    expect(await p.locator('#import-issues').count() === 0, 'problems listed for a good sheet');
    const dups = await p.locator('#import-rows tr.im-dup').count();
    expect(dups >= 1, 'no duplicate flagged (the demo achievements are in the sheet)');
    const mine = await p.locator('#import-rows tbody tr', { hasText: MARK }).count();
    expect(mine === 2, `${mine} new rows in the preview, expected 2`);
    expect(await p.locator('#import-confirm').count() === 1, 'no confirm button');
    await shot(p, '03-preview-good');
  });

  await step('confirm without the duplicates: written, visible in the catalog', async () => {
    await p.check('#skip-dups');
    await clickAndLoad(p, '#import-confirm');
    const done = (await p.locator('#import-done').textContent()).trim();
    expect(/写入条数：\s*2\b/.test(done), `result says "${done}"`);
    await shot(p, '04-done');
    await p.goto(`${base}/achievements?q=${encodeURIComponent(MARK)}`);
    const titles = await p.locator('main').textContent();
    expect(titles.includes(`${MARK}：便携式超声成像仪`), 'imported achievement not in the catalog');
    // the stored upload is gone once used (Chromium logs the 404 as a console error)
    expectedConsole.push({ who: 'organizer', re: /status of 404\b/, seen: false });
    const r = await p.goto(previewUrl);
    expect(r.status() === 404, `used upload answered ${r.status()}`);
  });
  await org.context.close();

  const phone = await newPerson('phone', {
    viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
  });
  await step('the import page has no horizontal scroll at 390x844', async () => {
    await signIn(phone.page, base, ORGANIZER);
    await phone.page.goto(`${base}/import`);
    const sw = await phone.page.evaluate(() => document.documentElement.scrollWidth);
    await shot(phone.page, '05-import-phone', false);
    expect(sw <= 390, `scrollWidth ${sw} > 390`);
  });
  await phone.context.close();

  await step('no console errors, page errors or CSP violations', async () => {
    const pages = [...new Set(visited.map((v) => v.url))];
    expect(pages.length >= 6, `only ${pages.length} pages visited`);
    if (problems.length) {
      const list = problems.slice(0, 5).map((x) => `[${x.who} ${x.kind}] ${x.url}: ${x.text}`).join(' | ');
      throw new Error(`${problems.length} problem(s): ${list}`);
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
