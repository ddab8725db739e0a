// lib.mjs — helpers for the black-box tests: a tiny test runner, an HTTP client that shows
// everything (no automatic redirects, raw bodies, Set-Cookie lists, local address choice),
// raw TCP, CLI invocation and server life cycle. Node 20 built-ins only.
import http from 'node:http';
import net from 'node:net';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';

// Event rules see 10:00 local time today (src/domain/event.c, DUIJIE_CLOCK): the demo event
// (today 09:00–17:00) stays open for registration whatever the hour the suite runs at.
process.env.DUIJIE_CLOCK ??= "10:00";

// ---------------------------------------------------------------- test runner

const tests = [];
export function test(name, fn) {
  tests.push({ name, fn });
}

/* Runs the registered tests in order; returns {passed, failed}. A test may call skip(reason)
 * (counted as passed, printed as "ok - name # SKIP reason"). */
export async function runTests(filter) {
  let passed = 0;
  let failed = 0;
  for (const t of tests) {
    if (filter && !t.name.includes(filter)) continue;
    try {
      const r = await t.fn();
      passed++;
      console.log(`ok - ${t.name}${r && r.skip ? ` # SKIP ${r.skip}` : ''}`);
    } catch (e) {
      failed++;
      const msg = (e && e.message ? e.message : String(e)).replace(/\s+/g, ' ').slice(0, 600);
      console.log(`not ok - ${t.name}: ${msg}`);
    }
  }
  tests.length = 0;
  return { passed, failed };
}

export function skip(reason) {
  return { skip: reason };
}

// ---------------------------------------------------------------- HTTP

export const ctx = { base: null, port: 0, timeout: 30000 };

/* One HTTP request on a fresh connection. opts: headers, body (string|Buffer), json (object),
 * form (object or array of pairs), cookie, csrf, bearer, localAddress, timeout.
 * Resolves {status, headers, cookies, text, json, buf}. */
export function request(method, path, opts = {}) {
  return new Promise((resolve, reject) => {
    const headers = { ...(opts.headers || {}) };
    let body = opts.body;
    if (opts.json !== undefined) {
      body = JSON.stringify(opts.json);
      headers['Content-Type'] = 'application/json';
    }
    if (opts.form !== undefined) {
      body = new URLSearchParams(opts.form).toString();
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
    }
    if (typeof body === 'string') body = Buffer.from(body, 'utf8');
    if (body !== undefined && headers['Content-Length'] === undefined) headers['Content-Length'] = body.length;
    if (opts.cookie) headers.Cookie = opts.cookie;
    if (opts.csrf) headers['X-CSRF-Token'] = opts.csrf;
    if (opts.bearer) headers.Authorization = `Bearer ${opts.bearer}`;
    if (opts.expectContinue) headers.Expect = '100-continue';
    const req = http.request(
      {
        host: '127.0.0.1',
        port: ctx.port,
        method,
        path,
        headers,
        agent: false,
        localAddress: opts.localAddress,
        timeout: opts.timeout ?? ctx.timeout,
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const buf = Buffer.concat(chunks);
          const text = buf.toString('utf8');
          const sc = res.headers['set-cookie'] || [];
          resolve({
            status: res.statusCode,
            headers: res.headers,
            cookies: sc,
            buf,
            text,
            get json() {
              try {
                return JSON.parse(text);
              } catch {
                throw new Error(`response is not JSON (status ${res.statusCode}): ${text.slice(0, 200)}`);
              }
            },
          });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout: ${method} ${path}`)));
    req.on('error', reject);
    if (opts.expectContinue) {
      req.flushHeaders();
      req.on('continue', () => req.end(body));
    } else if (body !== undefined) req.end(body);
    else req.end();
  });
}

/* Value of cookie `name` among Set-Cookie headers, with its attributes; null if absent. */
export function setCookie(res, name) {
  for (const c of res.cookies) {
    const [pair, ...attrs] = c.split(';').map((s) => s.trim());
    const eq = pair.indexOf('=');
    if (pair.slice(0, eq) === name) return { value: pair.slice(eq + 1), attrs, raw: c };
  }
  return null;
}

/* The CSRF token a page offers: hidden _csrf input or a csrf meta tag; null if none. */
export function csrfFromHtml(html) {
  const pats = [
    /<input\b[^>]*\bname=["']_csrf["'][^>]*\bvalue=["']([^"']+)["']/i,
    /<input\b[^>]*\bvalue=["']([^"']+)["'][^>]*\bname=["']_csrf["']/i,
    /<meta\b[^>]*\bname=["']csrf(?:-token)?["'][^>]*\bcontent=["']([^"']+)["']/i,
    /<meta\b[^>]*\bcontent=["']([^"']+)["'][^>]*\bname=["']csrf(?:-token)?["']/i,
    /\bdata-csrf=["']([^"']+)["']/i,
  ];
  for (const p of pats) {
    const m = html.match(p);
    if (m) return m[1];
  }
  return null;
}

// ---------------------------------------------------------------- assertions

/* Asserts a JSON error response {"error":{"code","message","field"}} with this status; field
 * is checked when given (a string, or null). Returns the error object. */
export function expectJsonError(res, status, field) {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${res.text.slice(0, 300)}`);
  assert.match(res.headers['content-type'] || '', /application\/json/, 'error is not JSON');
  const e = res.json.error;
  assert.ok(e && typeof e === 'object', `no error object: ${res.text.slice(0, 200)}`);
  assert.equal(typeof e.code, 'string', 'error.code missing');
  assert.equal(typeof e.message, 'string', 'error.message missing');
  assert.ok('field' in e, 'error.field missing');
  if (field !== undefined) assert.equal(e.field, field, `error.field: ${JSON.stringify(e)}`);
  return e;
}

export function expectStatus(res, status, what = '') {
  assert.equal(res.status, status, `${what} expected ${status}, got ${res.status}: ${res.text.slice(0, 300)}`);
}

/* A 303 redirect to the sign-in page. */
export function expectLoginRedirect(res) {
  assert.equal(res.status, 303, `expected 303 to /login, got ${res.status}: ${res.text.slice(0, 200)}`);
  assert.match(res.headers.location || '', /^\/login(\?|$)/, `Location: ${res.headers.location}`);
}

// ---------------------------------------------------------------- raw TCP

/* Sends raw bytes, waits for the peer to close or `ms` to pass, returns what came back. */
export function rawTcp(data, ms = 3000) {
  return new Promise((resolve) => {
    const s = net.connect(ctx.port, '127.0.0.1');
    const chunks = [];
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      s.destroy();
      resolve(Buffer.concat(chunks).toString('latin1'));
    };
    const timer = setTimeout(finish, ms);
    s.on('data', (c) => chunks.push(c));
    s.on('error', finish);
    s.on('close', finish);
    s.on('connect', () => {
      s.write(data, () => {});
    });
  });
}

// ---------------------------------------------------------------- processes

/* Runs the binary; resolves {code, signal, stdout, stderr}. */
export function run(bin, args, { input, timeout = 60000, env } = {}) {
  return new Promise((resolve, reject) => {
    const p = spawn(bin, args, { env: { ...process.env, ...(env || {}) }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      p.kill('SIGKILL');
      reject(new Error(`timeout: ${bin} ${args.join(' ')}`));
    }, timeout);
    p.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    p.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    p.stdin.on('error', () => {}); // commands that never read stdin may exit first
    p.stdin.end(input ?? '');
  });
}

/* A free TCP port on 127.0.0.1 (asks the kernel). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/* Polls GET /healthz until 200 or the deadline. */
export async function waitHealthy(deadlineMs, proc) {
  const end = Date.now() + deadlineMs;
  let last = '';
  while (Date.now() < end) {
    if (proc && proc.exitCode !== null) throw new Error(`server exited early with status ${proc.exitCode}`);
    try {
      const r = await request('GET', '/healthz', { timeout: 2000 });
      if (r.status === 200) return;
      last = `status ${r.status}`;
    } catch (e) {
      last = e.message;
    }
    await sleep(100);
  }
  throw new Error(`server not healthy after ${deadlineMs} ms (${last})`);
}

/* Runs a black-box suite: setup (counted as one test), the registered tests, then the server's
 * shutdown (it must exit 0 on SIGTERM, with no sanitizer report on stderr), then the tests
 * registered by `after` (e.g. CLI tests that need no server); always cleans up, prints the
 * duration and "N passed, N failed" as the last line, and exits 1 on any failure.
 * opts: setupName, setup(), filter, stopServer() → {code, signal}, serverErr() → string,
 * cleanup(), after() (optional: registers more tests), aliveCheck (optional: GET /healthz must
 * still answer before the shutdown). */
export async function runSuite(opts) {
  let passed = 0;
  let failed = 0;
  const add = (r) => {
    passed += r.passed;
    failed += r.failed;
  };
  const t0 = Date.now();
  try {
    try {
      await opts.setup();
      console.log(`ok - setup: ${opts.setupName}`);
      passed++;
    } catch (e) {
      console.log(`not ok - setup: ${e.message}`);
      failed++;
      throw e;
    }
    add(await runTests(opts.filter));
    const alive = opts.aliveCheck
      ? await request('GET', '/healthz').catch((e) => ({ status: e.message }))
      : { status: 200 };
    const st = await opts.stopServer();
    const err = opts.serverErr();
    if (alive.status === 200 && st.code === 0 && st.signal === null) {
      console.log(`ok - server ${opts.aliveCheck ? 'answered to the end and ' : ''}exited 0 on SIGTERM`);
      passed++;
    } else {
      console.log(`not ok - server shutdown: healthz ${alive.status}, exit code ${st.code}, signal ${st.signal}; stderr: ${err.slice(-800).replace(/\s+/g, ' ')}`);
      failed++;
    }
    if (/AddressSanitizer|LeakSanitizer|runtime error:/.test(err)) {
      console.log(`not ok - sanitizer reports in server stderr: ${err.match(/(AddressSanitizer|LeakSanitizer|runtime error:).{0,300}/s)[0].replace(/\s+/g, ' ')}`);
      failed++;
    }
    if (opts.after) {
      opts.after();
      add(await runTests(opts.filter));
    }
  } catch {
    // reported above
  } finally {
    await opts.stopServer().catch(() => {});
    await opts.cleanup();
  }
  console.log(`# ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

/* Signs in through the login form (the pre-session CSRF cookie, then email and password) and
 * creates an API token named tokenName; returns { cookie: "dj_sid=…", csrf, token }. */
export async function signInAs(email, password, tokenName) {
  const g = await request('GET', '/login');
  const pre = setCookie(g, 'dj_pre').value;
  const res = await request('POST', '/login', { cookie: `dj_pre=${pre}`, form: { _csrf: pre, email, password, next: '/' } });
  expectStatus(res, 303, `login ${email}`);
  const cookie = `dj_sid=${setCookie(res, 'dj_sid').value}`;
  const acc = await request('GET', '/account', { cookie });
  const csrf = csrfFromHtml(acc.text);
  const tok = await request('POST', '/api/v1/tokens', { cookie, csrf, json: { name: tokenName } });
  expectStatus(tok, 201, `token ${tokenName}`);
  return { cookie, csrf, token: tok.json.token };
}
