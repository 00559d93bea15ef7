// What every browser spec of finq's web UI shares (run.mjs, honest.mjs):
// the environment run.sh sets, TAP-style reporting ("ok - name" / "not ok
// - name: details", then "N passed, N failed" from finishRun()), the
// finq server (started on a free loopback port, always stopped), the
// browser (Debian's chromium, never a downloaded one) and page helpers
// (ask a question and wait for its answer, wait for a chart's pixels).
//
// Environment (see run.sh):
//   FINQ        the finq binary (required)
//   FINQ_DB     a database with tests' data loaded (required)
//   FINQ_TODAY  the date the server reads relative dates from (2025-12-04)
//   CHROMIUM    the browser (default /usr/bin/chromium)

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const OUT = path.join(HERE, 'out');
export const FINQ = process.env.FINQ;
export const DB = process.env.FINQ_DB;
export const TODAY = process.env.FINQ_TODAY || '2025-12-04';
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// ---- reporting ----

let passed = 0;
let failed = 0;

export function report(name, err) {
  if (!err) {
    passed++;
    console.log(`ok - ${name}`);
  } else {
    failed++;
    const msg = String(err?.message || err).split('\n').filter(Boolean).slice(0, 4).join(' | ');
    console.log(`not ok - ${name}: ${msg}`);
  }
}

export async function check(name, fn, timeoutMs = 45000) {
  let timer;
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    report(name);
  } catch (err) {
    report(name, err);
  } finally {
    clearTimeout(timer);
  }
}

export function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

export function assertEq(got, want, what) {
  if (got !== want) throw new Error(`${what}: want ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
}

// The closing line run.sh reads; the exit code says whether anything failed.
export function finishRun() {
  stopServerSync();
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

export const money = (v) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(v);

// ---- the server ----

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

let server = null; // the child process, while it runs

export function stopServerSync() {
  if (server && server.exitCode === null && server.signalCode === null) {
    try {
      server.kill('SIGKILL');
    } catch {
      /* already gone */
    }
  }
}

export async function stopServer() {
  if (!server || server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((resolve) => server.once('exit', resolve));
  server.kill('SIGTERM');
  const t = setTimeout(() => stopServerSync(), 10000);
  await exited;
  clearTimeout(t);
}

process.on('exit', stopServerSync);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    stopServerSync();
    process.exit(130);
  });
}

// Starts `finq serve` on DB and a free port; resolves to its base URL once
// /health answers. Its output goes to out/<logName>.
export async function startServer(host = '127.0.0.1', logName = 'server.log') {
  const port = await freePort();
  const log = fs.openSync(path.join(OUT, logName), 'w');
  const args = ['--db', DB, '--today', TODAY, 'serve', '--host', host, '--port', String(port)];
  server = spawn(FINQ, args, { stdio: ['ignore', log, log] });
  fs.closeSync(log);
  let exitInfo = null;
  server.once('exit', (code, signal) => {
    exitInfo = { code, signal };
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60000;
  while (Date.now() < deadline) {
    if (exitInfo) throw new Error(`'${FINQ} ${args.join(' ')}' exited (${exitInfo.code ?? exitInfo.signal}); see tests/browser/out/${logName}`);
    try {
      const r = await fetch(url + '/health', { signal: AbortSignal.timeout(2000) });
      if (r.ok) return url;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`the server did not answer ${url}/health within 60 s; see tests/browser/out/${logName}`);
}

// ---- page helpers ----

export const ANSWERS = '.message-answer:not(.thinking)';

export async function answers(page) {
  return page.locator(ANSWERS).count();
}

// Types `q`, presses Enter and waits for the new answer; returns its locator.
export async function ask(page, q) {
  const before = await answers(page);
  await page.locator('#question').fill(q);
  await page.locator('#question').press('Enter');
  return waitAnswer(page, before);
}

export async function waitAnswer(page, before) {
  await page.waitForFunction(
    ([sel, n]) => document.querySelectorAll(sel).length > n && !document.querySelector('.thinking'),
    [ANSWERS, before], { timeout: 30000 });
  return page.locator(ANSWERS).nth(before);
}

// True once the canvas has a Chart.js chart and painted pixels.
export async function chartDrawn(answer) {
  const canvas = answer.locator('canvas').first();
  await canvas.waitFor();
  const handle = await canvas.elementHandle();
  await handle.evaluate(async (c) => {
    const painted = () => {
      if (!window.Chart?.getChart(c) || !c.width || !c.height) return 0;
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
      return n;
    };
    const until = Date.now() + 10000;
    let n = 0;
    while (Date.now() < until && (n = painted()) < 500) await new Promise((r) => setTimeout(r, 100));
    if (n < 500) throw new Error(`the chart canvas is blank (${n} painted pixels; chart instance: ${!!window.Chart?.getChart(c)})`);
  });
}

export async function firstRow(answer) {
  return answer.locator('table.result tbody tr').first().locator('td').allTextContents();
}

export async function columnsOf(answer) {
  return answer.locator('table.result thead th').evaluateAll((ths) => ths.map((th) => th.dataset.column));
}

// Text with every product code of names ({code: name}) replaced by its
// name but those of keep, as web/names.js shows a question.
export function withNames(text, names, keep = []) {
  const codes = Object.keys(names || {}).filter((c) => !keep.includes(c)).sort((a, b) => b.length - a.length);
  if (!codes.length || typeof text !== 'string') return text;
  const esc = codes.map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return text.replace(new RegExp(`(?<![\\w-])(${esc.join('|')})(?![\\w-])`, 'g'), (c) => names[c]);
}
