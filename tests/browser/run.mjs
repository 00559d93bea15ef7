// Browser tests of finq's web UI, against the real server on loopback.
//
// Starts `$FINQ --db $FINQ_DB --today $FINQ_TODAY serve --host 127.0.0.1
// --port <free>`, waits for /health, then drives Debian's chromium
// (/usr/bin/chromium, never a downloaded browser) with playwright-core through
// a conversation: ask, see the chart drawn and the table filled, click a
// suggestion, ask a follow-up that keeps the context, reload and find the
// conversation, download the CSV, rename, export and delete, and check the
// phone layout; then restarts it on 0.0.0.0 with an API token and checks
// that the page asks for the token once and works with it. Prints one "ok - name" / "not ok - name: details" line per
// check and a closing "N passed, N failed"; exits 1 if any failed. Saves
// screenshots in tests/browser/out/ (finq.png, finq-insights.png, commitments.png, finq-phone.png) and the
// server's logs there (server.log, server-token.log). It always stops the
// server it started.
//
// Called by run.sh, which prepares the database. Environment:
//   FINQ        the finq binary (required)
//   FINQ_DB     a database with tests' data loaded (required)
//   FINQ_TODAY  the date the server reads relative dates from (2025-12-04)
//   FINQ_URL    test a server that is already running there instead
//   CHROMIUM    the browser (default /usr/bin/chromium)
// The expected answers come from `finq ask --json` on a copy of FINQ_DB, run
// before the server starts (DuckDB lets one process write a database).

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import {
  OUT, FINQ, DB, TODAY, CHROMIUM, CHROMIUM_ARGS, report, check, assert, assertEq, finishRun, money,
  stopServer, startServer, ANSWERS, answers, ask, waitAnswer, chartDrawn, firstRow, columnsOf, withNames,
} from './lib.mjs';

const Q_TOP = 'top 5 services last month';
const Q_FOLLOW = 'what about by account';
const Q_TOTAL = 'total cost last month';
const Q_CLARIFY = 'how much did we spend on amazonecx';

// ---- what the CLI answers, for comparison ----

function expectations() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'finq-browser-expect-'));
  try {
    const copy = path.join(dir, 'expect.duckdb');
    fs.copyFileSync(DB, copy);
    if (fs.existsSync(DB + '.wal')) fs.copyFileSync(DB + '.wal', copy + '.wal');
    const ask = (q, conv) => JSON.parse(execFileSync(FINQ, ['--db', copy, '--today', TODAY, 'ask', '--json',
      ...(conv ? ['--conversation', conv] : []), q], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
    // the same path as the page: the question, its first suggestion, the follow-up
    const top = ask(Q_TOP);
    const suggested = ask(top.suggestions[0], top.conversation_id);
    const follow = ask(Q_FOLLOW, top.conversation_id);
    const total = ask(Q_TOTAL);
    return { top, suggested, follow, total };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field || row.length) rows.push([...row, field]);
  return rows;
}

function sameValue(csvField, jsonValue) {
  if (typeof jsonValue === 'number') return Math.abs(Number(csvField) - jsonValue) <= 1e-6 * Math.max(1, Math.abs(jsonValue));
  return csvField === String(jsonValue ?? '');
}

// ---- the run ----

async function main() {
  fs.mkdirSync(OUT, { recursive: true });
  if (!FINQ || !DB) {
    console.error('run.mjs: set FINQ and FINQ_DB (tests/browser/run.sh does)');
    process.exit(2);
  }
  let expect;
  try {
    expect = expectations();
  } catch (err) {
    report('finq ask --json gives the expected answers', err);
    return;
  }
  let base = process.env.FINQ_URL;
  if (!base) {
    try {
      base = await startServer();
      report(`finq serve answers /health (${base})`);
    } catch (err) {
      report('finq serve answers /health', err);
      return;
    }
  }
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'finq-chromium-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1366, height: 900 },
      locale: 'en-US',
      timezoneId: 'UTC',
      acceptDownloads: true,
      colorScheme: 'light',
    });
    await run(context, base, expect);
    if (!process.env.FINQ_URL) await runWithToken(context);
  } catch (err) {
    report('the browser runs the tests', err);
  } finally {
    await context?.close().catch(() => {});
    fs.rmSync(userDataDir, { recursive: true, force: true });
    await stopServer();
  }
}

async function run(context, base, expect) {
  const problems = []; // page errors, console errors, CSP violations
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  const page = context.pages()[0] || (await context.newPage());
  page.setDefaultTimeout(15000);
  const watch = (p) => {
    p.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    p.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    p.on('requestfailed', (r) => {
      if (!r.url().startsWith('blob:')) problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`);
    });
    p.on('request', (r) => {
      const u = r.url();
      if (!u.startsWith(base) && !u.startsWith('blob:') && !u.startsWith('data:')) problems.push(`a request left the server: ${u}`);
    });
  };
  watch(page);

  let convA = null; // the conversation of the top-5 question
  let convB = null;
  let first = null; // the answer to Q_TOP

  await check('the page is served with a Content-Security-Policy and loads its assets', async () => {
    const res = await page.goto(base + '/');
    assertEq(res.status(), 200, 'status of /');
    const csp = res.headers()['content-security-policy'] || '';
    assert(/script-src 'self'/.test(csp) || /default-src 'self'/.test(csp), `Content-Security-Policy is '${csp}'`);
    await page.waitForFunction(() => !!window.Chart, null, { timeout: 10000 });
    await page.locator('#question').waitFor();
  });

  await check('the header shows the data at a glance', async () => {
    await page.waitForFunction(() => !/…|^$/.test(document.getElementById('range-value').textContent));
    const range = await page.locator('#range-value').textContent();
    assert(/2024/.test(range) && /2025/.test(range), `date range reads '${range}'`);
    const mtdShown = await page.locator('#glance-mtd').isVisible();
    assert(mtdShown, 'month-to-date spend is not shown (is month_to_date in /api/v1/data/summary?)');
    const mtd = await page.locator('#mtd-value').textContent();
    assert(/^\$[\d,]+\.\d\d$/.test(mtd), `month to date reads '${mtd}'`);
    // like for like, and the month named: the data ended before "today" (2025-12-04)
    const mtdSub = await page.locator('#mtd-sub').textContent();
    assert(/Nov 1-30 vs Oct 1-30, fees excluded/.test(mtdSub), `month to date compares '${mtdSub}'`);
    const mtdAsof = await page.locator('#mtd-asof').textContent();
    assert(/November 2025/.test(mtdAsof), `month to date is dated '${mtdAsof}'`);
    const top = await page.locator('#top-value').textContent();
    assert(top && top !== '…', `top service reads '${top}'`);
  });

  await check('an empty conversation shows starter questions', async () => {
    await page.locator('#welcome').waitFor({ state: 'visible' });
    const n = await page.locator('#starters .chip').count();
    assert(n >= 3, `${n} starter chips`);
  });

  await check(`asking '${Q_TOP}' draws the chart and fills the table with the right first row`, async () => {
    first = await ask(page, Q_TOP);
    assertEq(await first.getAttribute('data-outcome'), 'answered', 'outcome');
    await chartDrawn(first);
    const want = expect.top.rows[0];
    const got = await firstRow(first);
    assertEq(got[0], String(want[0]), 'first cell');
    const money0 = expect.top.columns.indexOf('amortized_cost');
    assert(money0 >= 0, `no amortized_cost column in ${expect.top.columns}`);
    assertEq(got[money0], money(want[money0]), 'cost cell');
    assertEq(await first.locator('table.result tbody tr').count(), expect.top.rows.length, 'row count');
    const text = await first.locator('.markdown').textContent();
    assert(text.includes(money(want[money0])), `the message does not mention ${money(want[money0])}: '${text}'`);
    assert((await first.locator('.markdown strong').count()) > 0, 'no bold text in the answer');
    const hash = await page.evaluate(() => location.hash);
    convA = /^#\/c\/(.+)$/.exec(hash)?.[1] || null;
    assert(convA, `the URL hash '${hash}' does not name the conversation`);
    await page.locator(`#conversation-list li[data-id="${convA}"]`).waitFor();
  });

  await check('the table sorts by a header and numbers are right-aligned', async () => {
    const th = first.locator('th[data-column="amortized_cost"]');
    assert(await th.evaluate((e) => e.classList.contains('num')), 'the cost header is not numeric');
    await th.locator('button').click(); // biggest first
    assertEq(await th.getAttribute('aria-sort'), 'descending', 'aria-sort after one click');
    await th.locator('button').click();
    assertEq(await th.getAttribute('aria-sort'), 'ascending', 'aria-sort after two clicks');
    const last = expect.top.rows[expect.top.rows.length - 1];
    assertEq((await firstRow(first))[0], String(last[0]), 'first row when ascending');
    const align = await first.locator('table.result tbody td.num').first().evaluate((td) => getComputedStyle(td).textAlign);
    assertEq(align, 'right', 'numeric cell alignment');
    await th.locator('button').click(); // back to biggest first
  });

  await check('"Show SQL" and "How I read it" open and close', async () => {
    const sql = first.getByRole('button', { name: 'Show SQL' });
    await sql.click();
    assertEq(await sql.getAttribute('aria-expanded'), 'true', 'Show SQL expanded');
    const code = await first.locator('pre.sql').textContent();
    assert(/SELECT/i.test(code) && code === expect.top.sql, `the SQL shown differs from the CLI's: '${code.slice(0, 80)}'`);
    await sql.click();
    assert(!(await first.locator('pre.sql').isVisible()), 'the SQL is still visible after closing');
    const reading = first.getByRole('button', { name: 'How I read it' });
    await reading.click();
    const text = await first.locator('.reading p').first().textContent();
    assertEq(text, expect.top.interpretation, 'how I read it');
  });

  await check('"Download CSV" downloads the rows', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      first.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    assert(/\.csv$/.test(download.suggestedFilename()), `file name '${download.suggestedFilename()}'`);
    const file = path.join(OUT, 'answer.csv');
    await download.saveAs(file);
    const rows = parseCsv(fs.readFileSync(file, 'utf8'));
    assertEq(rows[0].join(','), expect.top.columns.join(','), 'CSV header');
    assertEq(rows.length - 1, expect.top.rows.length, 'CSV data rows');
    expect.top.rows[0].forEach((v, i) => assert(sameValue(rows[1][i], v), `CSV row 1 column ${i}: '${rows[1][i]}' vs ${JSON.stringify(v)}`));
    fs.rmSync(file);
  });

  await check('thumbs up records feedback', async () => {
    await first.getByRole('button', { name: 'Helpful', exact: true }).click();
    await first.locator('.feedback-status', { hasText: 'recorded' }).waitFor();
    assertEq(await first.getByRole('button', { name: 'Helpful', exact: true }).getAttribute('aria-pressed'), 'true', 'pressed');
  });

  let suggestion = null;
  await check('clicking a suggestion asks it in the same conversation', async () => {
    const chip = first.locator('ul.chips .chip').first();
    suggestion = (await chip.textContent()).trim();
    // shown (and asked) with service names where the server's text has codes
    const summary = await (await page.request.get(`${base}/api/v1/data/summary`)).json();
    assertEq(suggestion, withNames(expect.top.suggestions[0], summary.service_names, summary.service_names_unread), 'the first suggestion');
    const before = await answers(page);
    await chip.click();
    const a = await waitAnswer(page, before);
    const asked = await page.locator('.message-user').last().textContent();
    assertEq(asked.trim(), suggestion, 'the question asked');
    assertEq(await a.getAttribute('data-outcome'), expect.suggested.outcome, 'outcome');
    if (expect.suggested.rows.length && (await a.locator('table.result').count())) assertEq((await firstRow(a))[0], String(expect.suggested.rows[0][0]), 'first cell');
    assertEq(await page.evaluate(() => location.hash), `#/c/${convA}`, 'conversation after the suggestion');
  });

  await check(`a follow-up '${Q_FOLLOW}' keeps the context (an account table for the same month)`, async () => {
    const a = await ask(page, Q_FOLLOW);
    const cols = await columnsOf(a);
    assert(cols.includes('account'), `columns are ${cols}`);
    assertEq(cols.join(','), expect.follow.columns.join(','), 'columns');
    assertEq((await firstRow(a))[0], String(expect.follow.rows[0][0]), 'first account');
    await chartDrawn(a);
    assertEq(await page.evaluate(() => location.hash), `#/c/${convA}`, 'conversation after the follow-up');
  });

  await check('Up in the empty input recalls the last question', async () => {
    const q = page.locator('#question');
    await q.fill('');
    await q.focus();
    await page.keyboard.press('ArrowUp');
    assertEq(await q.inputValue(), Q_FOLLOW, 'after one Up');
    await page.keyboard.press('ArrowUp');
    assertEq(await q.inputValue(), suggestion, 'after two Ups');
    await q.fill('');
  });

  await check('Shift+Enter makes a new line and does not send', async () => {
    const before = await answers(page);
    const q = page.locator('#question');
    await q.fill('line one');
    await q.press('Shift+Enter');
    await q.type('line two');
    assertEq(await q.inputValue(), 'line one\nline two', 'input');
    await page.waitForTimeout(300);
    assertEq(await answers(page), before, 'answers');
    await q.fill('');
  });

  await check('reloading the page finds the conversation, its messages and charts', async () => {
    await page.reload();
    await page.waitForFunction((n) => document.querySelectorAll('.message-answer:not(.thinking)').length >= n, 3);
    const users = await page.locator('.message-user').allTextContents();
    assertEq(users.map((s) => s.trim()).join(' / '), [Q_TOP, suggestion, Q_FOLLOW].join(' / '), 'questions');
    const reloaded = page.locator(ANSWERS).first();
    await chartDrawn(reloaded);
    assertEq((await firstRow(reloaded))[0], String(expect.top.rows[0][0]), 'first row of the first answer');
    await page.locator(`#conversation-list li.is-current[data-id="${convA}"]`).waitFor();
  });

  await check('opening / without the hash comes back to the last conversation', async () => {
    await page.goto(base + '/');
    await page.waitForFunction(() => document.querySelectorAll('.message-user').length >= 3);
    assertEq(await page.evaluate(() => location.hash), `#/c/${convA}`, 'hash');
  });

  await check('a screenshot of the page is saved to tests/browser/out/finq.png', async () => {
    await chartDrawn(page.locator(ANSWERS).last());
    await page.waitForTimeout(400);
    await page.screenshot({ path: path.join(OUT, 'finq.png') });
    assert(fs.statSync(path.join(OUT, 'finq.png')).size > 10000, 'the screenshot is tiny');
  });

  await check('rename a conversation inline', async () => {
    const item = page.locator(`#conversation-list li[data-id="${convA}"]`);
    await item.locator('.conv-menu-button').click();
    await item.getByRole('menuitem', { name: 'Rename' }).click();
    const input = item.locator('input');
    await input.fill('November cost review');
    await input.press('Enter');
    await page.locator(`#conversation-list li[data-id="${convA}"] .conv-title`, { hasText: 'November cost review' }).waitFor();
    const r = await page.request.get(`${base}/api/v1/conversations/${convA}`);
    assertEq(r.status(), 200, 'GET conversation');
    assertEq((await r.json()).title, 'November cost review', 'title on the server');
  });

  await check('export as Markdown and JSON', async () => {
    const item = page.locator(`#conversation-list li[data-id="${convA}"]`);
    await item.locator('.conv-menu-button').click();
    const md = await item.getByRole('menuitem', { name: 'Export as Markdown' }).getAttribute('href');
    const js = await item.getByRole('menuitem', { name: 'Export as JSON' }).getAttribute('href');
    await page.keyboard.press('Escape');
    const rmd = await page.request.get(base + md);
    assertEq(rmd.status(), 200, `GET ${md}`);
    assert((await rmd.text()).includes(Q_TOP), 'the Markdown export does not contain the question');
    const rjs = await page.request.get(base + js);
    assertEq(rjs.status(), 200, `GET ${js}`);
    const body = await rjs.json();
    assert(JSON.stringify(body).includes(Q_TOP), 'the JSON export does not contain the question');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      (async () => {
        await item.locator('.conv-menu-button').click();
        await item.getByRole('menuitem', { name: 'Export as Markdown' }).click();
      })(),
    ]);
    const f = await download.path();
    assert(fs.readFileSync(f, 'utf8').includes(Q_TOP), 'the downloaded export does not contain the question');
  });

  await check(`a new conversation: '${Q_TOTAL}' shows a KPI card`, async () => {
    await page.getByRole('button', { name: 'New' }).click();
    await page.locator('#welcome').waitFor({ state: 'visible' });
    assertEq(await page.locator('.message').count(), 0, 'messages in a new conversation');
    const a = await ask(page, Q_TOTAL);
    const spec = expect.total.charts[0];
    if (spec?.type === 'kpi') {
      assertEq(await a.locator('.kpi-value').textContent(), money(spec.value), 'KPI value');
    } else {
      await chartDrawn(a);
    }
    convB = /^#\/c\/(.+)$/.exec(await page.evaluate(() => location.hash))?.[1];
    assert(convB && convB !== convA, `new conversation id ${convB}`);
  });

  await check('a clarification shows its choices as chips, and a choice answers', async () => {
    const a = await ask(page, Q_CLARIFY);
    assertEq(await a.getAttribute('data-outcome'), 'clarified', 'outcome');
    const chips = await a.locator('.chip').allTextContents();
    assert(chips.length >= 2, `choices: ${chips}`);
    const before = await answers(page);
    await a.locator('.chip').last().click();
    const b = await waitAnswer(page, before);
    assertEq((await page.locator('.message-user').last().textContent()).trim(), chips[chips.length - 1], 'the question asked');
    assertEq(await b.getAttribute('data-outcome'), 'answered', 'outcome of the choice');
  });

  await check('an error is shown inline, the question is kept, and "Try again" answers', async () => {
    let failOnce = true;
    await page.route('**/api/v1/chat', async (route) => {
      if (failOnce) {
        failOnce = false;
        await route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'unavailable', message: 'the engine is busy' } }) });
      } else {
        await route.continue();
      }
    });
    try {
      await page.locator('#question').fill('top 3 accounts last month');
      await page.locator('#question').press('Enter');
      const err = page.locator('.message-error');
      await err.waitFor();
      assert((await err.textContent()).includes('the engine is busy'), 'the error message is not shown');
      assertEq(await page.locator('#question').inputValue(), 'top 3 accounts last month', 'the input after the error');
      const before = await answers(page);
      await err.getByRole('button', { name: 'Try again' }).click();
      const a = await waitAnswer(page, before - 1); // the error card is replaced
      assertEq(await a.getAttribute('data-outcome'), 'answered', 'outcome after retrying');
      assertEq(await page.locator('.message-error').count(), 0, 'error cards left');
      await page.locator('#question').fill('');
    } finally {
      await page.unroute('**/api/v1/chat');
    }
  });

  await check('selecting a conversation in the panel loads it', async () => {
    await page.locator(`#conversation-list li[data-id="${convA}"] .conv-open`).click();
    await page.waitForFunction((q) => [...document.querySelectorAll('.message-user')].some((e) => e.textContent.trim() === q), Q_TOP);
    assertEq(await page.locator('.message-user').count(), 3, 'questions of the first conversation');
    await chartDrawn(page.locator(ANSWERS).first());
  });

  await check('delete a conversation, with confirmation', async () => {
    const item = page.locator(`#conversation-list li[data-id="${convB}"]`);
    await item.locator('.conv-open').click();
    await page.waitForFunction((q) => [...document.querySelectorAll('.message-user')].some((e) => e.textContent.trim() === q), Q_TOTAL);
    await item.locator('.conv-menu-button').click();
    await item.getByRole('menuitem', { name: /Delete/ }).click();
    await item.getByRole('button', { name: 'Cancel' }).click();
    await page.locator(`#conversation-list li[data-id="${convB}"] .conv-open`).waitFor();
    await item.locator('.conv-menu-button').click();
    await item.getByRole('menuitem', { name: /Delete/ }).click();
    await item.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.locator(`#conversation-list li[data-id="${convB}"]`).waitFor({ state: 'detached' });
    await page.locator('#welcome').waitFor({ state: 'visible' });
    const r = await page.request.get(`${base}/api/v1/conversations/${convB}`);
    assertEq(r.status(), 404, 'GET the deleted conversation');
    assert(await page.locator(`#conversation-list li[data-id="${convA}"]`).isVisible(), 'the other conversation went too');
  });

  await check('uploading a billing export loads it and refreshes the header', async () => {
    const data = process.env.FINQ_UPLOAD;
    assert(data && fs.existsSync(data), `FINQ_UPLOAD='${data}' is not a file`);
    await page.locator('#upload-input').setInputFiles(data);
    const status = page.locator('#upload-status');
    await page.waitForFunction(() => /Loaded|failed/.test(document.getElementById('upload-status').textContent), null, { timeout: 120000 });
    const text = await status.textContent();
    assert(/^Loaded/.test(text), `upload status: '${text}'`);
    const range = await page.locator('#range-value').textContent();
    assert(/2024/.test(range), `date range after the upload: '${range}'`);
  }, 150000);

  // ---- the Insights view: one panel per analysis, each from /api/v1/insights/{name}
  const listed = new Set(((await (await page.request.get(`${base}/api/v1/insights`)).json()).insights || []).map((i) => i.name));
  const panels = ['anomalies', 'recommend', 'commitments', 'forecast', 'architecture', 'owners'];
  const panelDone = (name) => page.waitForFunction((n) => {
    const s = document.getElementById(`insight-${n}`)?.dataset.state;
    return s && s !== 'loading';
  }, name, { timeout: 60000 });

  await check('the server lists every analysis the Insights view has a panel for', async () => {
    const missing = panels.filter((n) => !listed.has(n));
    assert(missing.length === 0, `not listed by /api/v1/insights: ${missing.join(', ')}`);
  });

  await check('the Insights tab shows a panel per analysis: its result, or that the build lacks it', async () => {
    await page.locator('#tab-insights').click();
    assert(await page.locator('#insights').isVisible(), 'the insights view is not shown');
    assert(!(await page.locator('#chat').isVisible()), 'the chat is still shown');
    assertEq(await page.locator('#tab-insights').getAttribute('aria-selected'), 'true', 'aria-selected of the tab');
    for (const name of panels) {
      await panelDone(name);
      const sec = page.locator(`#insight-${name}`);
      const got = await sec.getAttribute('data-state');
      assertEq(got, listed.has(name) ? 'ready' : 'missing', `state of the ${name} panel`);
      if (got === 'ready') assert((await sec.locator('.insight-headline').textContent()).trim(), `${name}: no headline`);
      else assert(/not part of this build/.test(await sec.textContent()), `${name}: no word on the missing analysis`);
    }
    await page.screenshot({ path: path.join(OUT, 'finq-insights.png'), fullPage: true });
  }, 90000);

  await check('the forecast chart is drawn with its band (a dataset filled to the one before)', async () => {
    const sec = page.locator('#insight-forecast');
    if (!listed.has('forecast')) {
      assertEq(await sec.locator('canvas').count(), 0, 'canvases in the missing forecast panel');
      return;
    }
    await chartDrawn(sec);
    const fills = await sec.locator('canvas').first().evaluate((c) => window.Chart.getChart(c).data.datasets.map((d) => d.fill));
    assert(fills.includes('-1'), `no band among the datasets' fills: ${JSON.stringify(fills)}`);
    assert(/\$[\d,]+/.test(await sec.locator('.forecast-value').textContent()), 'no forecast figure');
  });

  await check('recommendations are sorted by monthly savings under their total, and one expands to its arithmetic', async () => {
    const sec = page.locator('#insight-recommend');
    if (!listed.has('recommend')) {
      assertEq(await sec.locator('.rec').count(), 0, 'recommendations in the missing panel');
      return;
    }
    const amount = (t) => Number(t.replace(/[^\d.-]/g, ''));
    const savings = (await sec.locator('.rec-savings').allTextContents()).map(amount);
    assert(savings.length > 0, 'no recommendations listed');
    for (let i = 1; i < savings.length; i++) assert(savings[i - 1] >= savings[i], `not sorted: ${savings.join(', ')}`);
    const total = amount(await sec.locator('.rec-total-value').textContent());
    const sum = savings.reduce((a, b) => a + b, 0);
    assert(Math.abs(total - sum) <= 0.01 * savings.length + 0.01, `total ${total} is not the sum ${sum}`);
    const first = sec.locator('.rec-details').first();
    assert(!(await first.locator('.rec-body').isVisible()), 'the evidence shows before it is asked for');
    await first.locator('summary').click();
    await first.locator('.rec-body').waitFor({ state: 'visible' });
    assert(await first.evaluate((d) => d.open), 'the recommendation did not open');
    assert((await first.locator('.rec-arithmetic').count()) === 1, 'no arithmetic in the opened recommendation');
  });

  await check('the commitments panel shows utilization, coverage and net savings per kind with the arithmetic', async () => {
    const sec = page.locator('#insight-commitments');
    if (!listed.has('commitments')) return assertEq(await sec.locator('.commit-kpi').count(), 0, 'figures in the missing panel');
    await sec.scrollIntoViewIfNeeded();
    const kinds = await sec.locator('.commit-kpi').evaluateAll((l) => l.map((e) => e.dataset.kind));
    assertEq(kinds.join(','), 'Savings Plan,Reservation,All', 'the kinds shown');
    const api = await (await page.request.get(`${base}/api/v1/insights/commitments`)).json();
    const sp = api.items.find((i) => i.kind === 'Savings Plan');
    const shown = await sec.locator('.commit-kpi[data-kind="Savings Plan"] .commit-utilization dd').textContent();
    assertEq(shown.replace(/[^\d.]/g, ''), sp.utilization_pct.toFixed(1), 'the Savings Plan utilization shown');
    const arithmetic = await sec.locator('.commit-kpi[data-kind="Savings Plan"] .commit-arithmetic').textContent();
    assert(/utilization = used \$[\d,.]+ \/ commitment \$[\d,.]+ = [\d.]+%/.test(arithmetic), `no utilization arithmetic: ${arithmetic}`);
    assert(/coverage = covered on-demand \$[\d,.]+ \/ eligible on-demand \$[\d,.]+ = [\d.]+%/.test(arithmetic), `no coverage arithmetic: ${arithmetic}`);
    await chartDrawn(sec);
    fs.mkdirSync(OUT, { recursive: true });
    // the page from its top, clipped to the panel: the sticky header
    // would cover an element screenshot taken where it scrolled to
    await page.evaluate(() => window.scrollTo(0, 0));
    const box = await sec.evaluate((e) => {
      const r = e.getBoundingClientRect();
      return { x: r.x + window.scrollX, y: r.y + window.scrollY, width: r.width, height: r.height };
    });
    await page.screenshot({ path: path.join(OUT, 'commitments.png'), fullPage: true, clip: box });
  });

  await check('anomalies are listed with dates and impact, and "Why?" asks about one in the chat', async () => {
    const sec = page.locator('#insight-anomalies');
    if (!listed.has('anomalies')) return assertEq(await sec.locator('.anomaly').count(), 0, 'anomalies in the missing panel');
    const items = sec.locator('.anomaly');
    const n = await items.count();
    if (n === 0) return assert(/No anomalies/.test(await sec.textContent()), 'neither anomalies nor a word that there are none');
    assert(/\d/.test(await items.first().locator('.anomaly-date').textContent()), 'an anomaly without its date');
    await chartDrawn(sec);
    const why = items.first().getByRole('button', { name: 'Why?' });
    const question = await why.getAttribute('data-question');
    const before = await page.locator(ANSWERS).count();
    await why.click();
    assert(await page.locator('#chat').isVisible(), 'the chat did not come back');
    await page.waitForFunction((q) => [...document.querySelectorAll('.message-user')].some((e) => e.textContent.trim() === q), question);
    const answer = await waitAnswer(page, before);
    assert((await answer.locator('.markdown').textContent()).trim(), 'an empty answer');
    await page.locator('#tab-insights').click();
    assertEq(await page.locator('#insight-anomalies').getAttribute('data-state'), 'ready', 'the panel after coming back');
  }, 60000);

  await check('at phone width the insights view fits the screen', async () => {
    const phone = await context.newPage();
    watch(phone);
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(`${base}/`);
    await phone.locator('#tab-insights').click();
    await phone.waitForFunction((names) => names.every((n) => {
      const s = document.getElementById(`insight-${n}`)?.dataset.state;
      return s && s !== 'loading';
    }), panels, { timeout: 60000 });
    const width = await phone.evaluate(() => document.documentElement.scrollWidth);
    assert(width <= 390, `the page is ${width}px wide: it scrolls sideways`);
    for (const name of panels) {
      const box = await phone.locator(`#insight-${name}`).boundingBox();
      assert(box && box.x >= 0 && box.x + box.width <= 390, `the ${name} panel is outside the screen: ${JSON.stringify(box)}`);
    }
    await phone.screenshot({ path: path.join(OUT, 'finq-phone-insights.png'), fullPage: true });
    await phone.close();
  }, 90000);

  await check('at phone width (390x844) the input shows and the panel hides behind a button', async () => {
    const phone = await context.newPage();
    watch(phone);
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(`${base}/#/c/${convA}`);
    await phone.waitForFunction(() => document.querySelectorAll('.message-answer:not(.thinking)').length >= 3);
    const q = phone.locator('#question');
    assert(await q.isVisible(), 'the input is not visible');
    const box = await q.boundingBox();
    assert(box && box.y + box.height <= 844 && box.x >= 0 && box.x + box.width <= 390, `the input is outside the screen: ${JSON.stringify(box)}`);
    const inView = async () => phone.locator('#panel').evaluate((p) => {
      const r = p.getBoundingClientRect();
      return getComputedStyle(p).visibility !== 'hidden' && r.right > 0 && r.left < innerWidth;
    });
    assert(!(await inView()), 'the conversation panel is on screen');
    const toggle = phone.getByRole('button', { name: 'Conversations' });
    assert(await toggle.isVisible(), 'no button for the panel');
    const width = await phone.evaluate(() => document.documentElement.scrollWidth);
    assert(width <= 390, `the page is ${width}px wide: it scrolls sideways`);
    await phone.waitForTimeout(400);
    await phone.screenshot({ path: path.join(OUT, 'finq-phone.png') });
    await toggle.click();
    await phone.waitForTimeout(300);
    assert(await inView(), 'the panel did not open');
    assertEq(await toggle.getAttribute('aria-expanded'), 'true', 'aria-expanded');
    await phone.screenshot({ path: path.join(OUT, 'finq-phone-panel.png') });
    await phone.keyboard.press('Escape');
    await phone.waitForTimeout(300);
    assert(!(await inView()), 'Escape did not close the panel');
    await phone.close();
  });

  await check('no page errors, console errors, CSP violations or requests off the server', async () => {
    // the 503 is the one the error test makes up
    const seen = problems.filter((p) => !/status of 503/.test(p));
    assert(seen.length === 0, [...new Set(seen)].slice(0, 5).join(' ; '));
  });
}

// The page on a server bound beyond loopback (reached at 127.0.0.1): it
// asks for the API token once, on the first 401, keeps it for the tab
// (a reload asks nothing) and every call then carries it.
async function runWithToken(context) {
  await stopServer();
  const token = execFileSync(FINQ, ['--db', DB, 'token', 'create', 'browser'], { stdio: ['ignore', 'pipe', 'ignore'] })
    .toString()
    .trim();
  const base = await startServer('0.0.0.0', 'server-token.log');
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  const prompts = [];
  page.on('dialog', (d) => {
    prompts.push(d.type());
    d.type() === 'prompt' ? d.accept(token) : d.dismiss();
  });
  try {
    await check('beyond loopback the page asks for the API token once and then works', async () => {
      const r = await fetch(base + '/api/v1/data/summary');
      assertEq(r.status, 401, 'the API without a token');
      await page.goto(base + '/');
      await page.waitForFunction(() => /2024/.test(document.getElementById('range-value').textContent));
      assertEq(prompts.join(','), 'prompt', 'dialogs shown');
      assertEq(await page.evaluate(() => sessionStorage.getItem('finq.apiToken')), token, 'the token kept for the tab');
      await page.reload();
      await page.waitForFunction(() => /2024/.test(document.getElementById('range-value').textContent));
      assertEq(prompts.length, 1, 'prompts after a reload');
    });
  } finally {
    await page.close();
  }
}

try {
  await main();
} finally {
  finishRun();
}
