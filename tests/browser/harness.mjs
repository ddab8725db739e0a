// tests/browser/harness.mjs — what every browser test shares: the temp dir, the demo server
// on a free port, Chromium contexts that watch for console errors, uncaught exceptions and CSP
// violations, step()/expect() reporting ("ok - step" / "not ok - step: reason", last line
// "N passed, N failed"), screenshots, a global deadline and cleanup on every way out.
//
// usage: const BIN = setup({ script, screens, budgetMs }); the test then sets H.tmpDir and
// H.browser, which cleanup() removes and closes.
import { spawn } from 'node:child_process';

// Event rules see 10:00 local time today (src/domain/event.c, DUIJIE_CLOCK): the demo event
// (today 09:00–17:00) stays open for registration whatever the hour the suite runs at.
process.env.DUIJIE_CLOCK ??= "10:00";
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

// Shared state: the test sets tmpDir and browser; the harness owns the rest.
export const H = {
  tmpDir: null, browser: null, server: null, serverLog: '', aborting: false,
  passed: 0, failed: 0, deadline: null, screens: null, stepTimeoutMs: 10_000, bin: null,
};

/* Reads the binary path from argv and installs the deadline and signal handlers; returns it. */
export function setup({ script, screens, budgetMs, stepTimeoutMs = 10_000 }) {
  const binArg = process.argv[2];
  if (!binArg) {
    console.error(`usage: node ${script} path/to/duijie`);
    process.exit(2);
  }
  H.bin = path.resolve(binArg);
  H.screens = screens;
  H.stepTimeoutMs = stepTimeoutMs;
  // Abort on signals and on the global deadline: still clean up and print the summary line.
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, async () => {
      notOk('run', `interrupted by ${sig}`);
      H.aborting = true;
      await cleanup();
      finish(1);
    });
  }
  H.deadline = setTimeout(async () => {
    notOk('run', `time budget of ${budgetMs / 1000} s exceeded`);
    H.aborting = true;
    await cleanup();
    finish(1);
  }, budgetMs);
  H.deadline.unref();
  return H.bin;
}

// ---------------------------------------------------------------------------------------
// resources and cleanup

let cleanupPromise = null;

// Idempotent: every caller awaits the same cleanup, so nobody exits before it is done.
export function cleanup() {
  if (!cleanupPromise) cleanupPromise = doCleanup();
  return cleanupPromise;
}

async function doCleanup() {
  if (H.browser) {
    const b = H.browser;
    H.browser = null;
    await Promise.race([b.close().catch(() => {}), sleep(5000)]);
  }
  if (H.server && H.server.exitCode === null && H.server.signalCode === null) {
    const s = H.server;
    const gone = new Promise((r) => s.once('exit', r));
    s.kill('SIGTERM');
    const done = await Promise.race([gone.then(() => true), sleep(3000).then(() => false)]);
    if (!done) s.kill('SIGKILL');
  }
  H.server = null;
  if (H.tmpDir) {
    try { fs.rmSync(H.tmpDir, { recursive: true, force: true }); } catch { /* best effort */ }
    H.tmpDir = null;
  }
}

// Last resort if the process exits some other way: never leave the server behind.
process.on('exit', () => {
  if (H.server && H.server.exitCode === null && H.server.signalCode === null) H.server.kill('SIGKILL');
});

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

// Results -------------------------------------------------------------------------------


export function ok(name) {
  if (H.aborting) return;
  H.passed++;
  console.log(`ok - ${name}`);
}

export function notOk(name, reason) {
  if (H.aborting) return;
  H.failed++;
  const oneLine = String(reason).replace(/\s+/g, ' ').trim().slice(0, 600);
  console.log(`not ok - ${name}: ${oneLine}`);
}

let finished = false;
export function finish(code) {
  if (finished) return;
  finished = true;
  console.log(`${H.passed} passed, ${H.failed} failed`);
  process.exit(code);
}


// ---------------------------------------------------------------------------------------
// server

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export async function startServer(db) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  H.server = spawn(H.bin, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--quiet'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (d) => { H.serverLog = (H.serverLog + d.toString()).slice(-4000); };
  H.server.stdout.on('data', keep);
  H.server.stderr.on('data', keep);
  const started = Date.now();
  while (Date.now() - started < 10_000) {
    if (H.server.exitCode !== null) throw new Error(`server exited early (${H.server.exitCode}): ${H.serverLog}`);
    try {
      const r = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(1000) });
      if (r.ok) return base;
    } catch { /* not up yet */ }
    await sleep(100);
  }
  throw new Error(`server did not answer /healthz within 10 s: ${H.serverLog}`);
}

// ---------------------------------------------------------------------------------------
// page watching: console errors, uncaught exceptions, CSP violations

export const visited = []; // { who, url }
export const problems = []; // { who, url, kind, text }
// Console errors a step expects, e.g. Chromium logging the 422 answer to an invalid form post
// as "Failed to load resource". Each entry is consumed by the first message it matches.
export const expectedConsole = []; // { who, re, seen }

// Runs before any page script; reports securitypolicyviolation events through a binding.
// Init scripts are injected by the DevTools protocol, so the page's CSP does not block them.
const CSP_PROBE = `
  document.addEventListener('securitypolicyviolation', function (e) {
    try {
      window.__duijieCsp(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') +
        (e.sourceFile ? ' at ' + e.sourceFile + ':' + e.lineNumber : ''));
    } catch (_) {}
  });
`;

export async function newPerson(who, options = {}) {
  const context = await H.browser.newContext({ locale: 'zh-CN', ...options });
  context.setDefaultTimeout(H.stepTimeoutMs);
  context.setDefaultNavigationTimeout(H.stepTimeoutMs);
  await context.exposeBinding('__duijieCsp', ({ page }, text) => {
    problems.push({ who, url: page ? page.url() : '?', kind: 'csp', text });
  });
  await context.addInitScript(CSP_PROBE);
  const page = await context.newPage();
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const text = msg.text();
    const kind = /Content Security Policy/i.test(text) ? 'csp' : 'console';
    const allowed = kind === 'console' && expectedConsole.find((x) => !x.seen && x.who === who && x.re.test(text));
    if (allowed) { allowed.seen = true; return; }
    problems.push({ who, url: page.url(), kind, text });
  });
  page.on('pageerror', (err) => {
    problems.push({ who, url: page.url(), kind: 'pageerror', text: String(err && err.message || err) });
  });
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) visited.push({ who, url: frame.url() });
  });
  return { context, page };
}

export async function shot(page, name, fullPage = true) {
  fs.mkdirSync(H.screens, { recursive: true });
  await page.screenshot({ path: path.join(H.screens, `${name}.png`), fullPage });
}

export function expect(cond, message) {
  if (!cond) throw new Error(message);
}

export async function step(name, fn) {
  try {
    await fn();
    ok(name);
    return true;
  } catch (e) {
    notOk(name, e && e.message ? e.message.split('\n')[0] : e);
    return false;
  }
}

// Submits a form by clicking a button and waits for the resulting page load.
export async function clickAndLoad(page, selector) {
  if (await page.locator(selector).count() !== 1) {
    throw new Error(`${selector} not found on ${new URL(page.url()).pathname}`);
  }
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(selector)]);
}

export async function signIn(page, base, who) {
  await page.goto(`${base}/login`);
  await page.fill('input[name=email]', who.email);
  await page.fill('input[name=password]', who.password);
  await clickAndLoad(page, '#login');
  expect(!new URL(page.url()).pathname.startsWith('/login'),
    `still on ${page.url()} after signing in as ${who.email}`);
  const errorBox = await page.locator('#login-error').count();
  expect(errorBox === 0, 'login error shown');
  // the header shows the signed-in user and a logout button
  expect(await page.locator('form[action="/logout"]').count() === 1, 'no logout button after sign-in');
}

