// Browser checks of "charts and narratives that do not overstate" (issue
// 15), against the real server and Debian's chromium, on the dev data:
//   - the top-N doughnut is labelled with service names, the tail folded
//     into "Other" in a colour no named slice has; the narrative and the suggestions name services, the
//     table and the CSV keep the product codes;
//   - the owners panel shows its confidence as a percent, never money;
//   - the anomalies panel names services, marks an anomaly's days in the
//     colour of its own line, and "Why?" on the manifest's
//     level shift compares the level before the step with the level after
//     it (equal windows either side) and names the manifest's driver;
//   - at 1400x900, after an upload, no text of the header overlaps
//     another (each text's box, clipped where the page clips it).
// Saves out/top-n.png (the doughnut) and out/header.png (the header after
// the upload), the screenshots docs/screenshots/ copies, and the server's
// log as out/server-honest.log.
//
// Called by run.sh, which prepares the database. Environment: lib.mjs's,
// and FINQ_MANIFEST (the dev data's manifest.json), FINQ_UPLOAD (a billing
// export to upload).

import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import {
  OUT, FINQ, DB, CHROMIUM, CHROMIUM_ARGS, report, check, assert, assertEq, finishRun, stopServer, startServer,
  ANSWERS, ask, waitAnswer, chartDrawn, withNames,
} from './lib.mjs';

const MANIFEST = process.env.FINQ_MANIFEST;
const UPLOAD = process.env.FINQ_UPLOAD;
const Q_TOP = 'top 5 services last month';
const VIEWPORT = { width: 1400, height: 900 };

// A whole-word search for any product code in text.
function codesIn(text, names) {
  return Object.keys(names).filter((c) => new RegExp(`(?<![\\w-])${c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`).test(text));
}

async function main() {
  fs.mkdirSync(OUT, { recursive: true });
  if (!FINQ || !DB || !MANIFEST || !UPLOAD) {
    console.error('honest.mjs: set FINQ, FINQ_DB, FINQ_MANIFEST and FINQ_UPLOAD (tests/browser/run.sh does)');
    process.exit(2);
  }
  const manifest = JSON.parse(fs.readFileSync(MANIFEST, 'utf8'));
  let base;
  try {
    base = await startServer('127.0.0.1', 'server-honest.log');
  } catch (err) {
    report('finq serve answers /health', err);
    return;
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext({ viewport: VIEWPORT, locale: 'en-US', timezoneId: 'UTC', colorScheme: 'light' });
    const problems = [];
    const watch = (p) => {
      p.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      p.on('console', (m) => {
        if (m.type() === 'error') problems.push(`console: ${m.text()}`);
      });
    };
    const page = await context.newPage();
    watch(page);
    page.setDefaultTimeout(15000);
    await page.goto(base + '/');
    await page.waitForFunction(() => /2024/.test(document.getElementById('range-value').textContent));
    await page.locator('#welcome').waitFor({ state: 'visible' });
    const summary = await (await page.request.get(`${base}/api/v1/data/summary`)).json();
    const names = summary.service_names || {};
    const unread = summary.service_names_unread || []; // questions keep these codes

    await check('the summary names the services (service_names)', async () => {
      assertEq(names.AmazonEC2, 'Amazon Elastic Compute Cloud', 'the name of AmazonEC2');
      assert(unread.every((c) => c in names) && !unread.includes('AmazonEC2'), `service_names_unread: ${unread}`);
    });

    await check('the top-N doughnut shows service names and the rest as "Other"; the table keeps the codes', async () => {
      const a = await ask(page, Q_TOP);
      await chartDrawn(a);
      const chart = await a.locator('canvas').first().evaluate((c) => {
        const ch = window.Chart.getChart(c);
        return { type: ch.config.type, labels: ch.data.labels, colours: ch.data.datasets[0].backgroundColor };
      });
      assertEq(chart.type, 'doughnut', 'chart type');
      assertEq(chart.labels[chart.labels.length - 1], 'Other', 'the last slice');
      const rest = chart.colours[chart.colours.length - 1];
      assert(!chart.colours.slice(0, -1).includes(rest), `"Other" has a named slice's colour ${rest}`);
      const cols = await a.locator('table.result thead th').evaluateAll((ths) => ths.map((th) => th.dataset.column));
      const rows = await a.locator('table.result tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((td) => td.textContent)));
      const code = cols.indexOf('service');
      const name = cols.indexOf('service_name');
      assert(code >= 0 && name >= 0, `the table's columns: ${cols}`);
      assertEq(JSON.stringify(chart.labels.slice(0, -1)), JSON.stringify(rows.map((r) => r[name])), 'the slices are the table\'s service names');
      const named = new Set(Object.values(names));
      assert(rows.every((r) => !named.has(r[code])), `the table's service column shows names: ${rows.map((r) => r[code])}`);
      assert(rows.some((r) => r[code] in names), 'no product code in the table');
      const shownCodes = codesIn(chart.labels.join(' | ') + ' | ' + (await a.locator('figcaption').textContent()), names);
      assertEq(shownCodes.join(','), '', 'product codes in the chart');
      const text = await a.locator('.markdown').textContent();
      assertEq(codesIn(text, names).join(','), '', `product codes in the narrative '${text.slice(0, 200)}'`);
      assert(text.includes(rows[0][name]), `the narrative does not name '${rows[0][name]}'`);
      const chips = await a.locator('ul.chips .chip').allTextContents();
      assert(chips.length > 0, 'no suggestions');
      const chipCodes = codesIn(chips.join(' | '), names).filter((c) => !unread.includes(c));
      assertEq(chipCodes.join(','), '', `product codes in the suggestions ${chips.join(' | ')}`);
      await a.locator('figure.chart').first().screenshot({ path: path.join(OUT, 'top-n.png') });
    });

    await check('a suggestion shown with a service name asks it and is answered', async () => {
      const a = page.locator(ANSWERS).last();
      const chip = a.locator('ul.chips .chip').filter({ hasText: /Amazon|AWS/ }).first();
      const q = (await chip.textContent()).trim();
      const before = await page.locator(ANSWERS).count();
      await chip.click();
      const b = await waitAnswer(page, before);
      assertEq((await page.locator('.message-user').last().textContent()).trim(), q, 'the question asked');
      assertEq(await b.getAttribute('data-outcome'), 'answered', `outcome of '${q}'`);
    });

    await check('a question keeps the code of a service whose name the parser does not read', async () => {
      const got = await page.evaluate(async (codes) => {
        const m = await import('/assets/names.js'); // the page's own instance, names set
        return [m.questionWithServiceNames('what drove AmazonEC2?'), ...codes.map((c) => m.questionWithServiceNames(`what drove ${c}?`))];
      }, unread);
      assertEq(got[0], `what drove ${names.AmazonEC2}?`, 'a name the parser reads');
      unread.forEach((c, i) => assertEq(got[i + 1], `what drove ${c}?`, `the question about ${c}`));
    });

    await page.locator('#tab-insights').click();
    const ready = (name) => page.waitForFunction((n) => {
      const s = document.getElementById(`insight-${n}`)?.dataset.state;
      return s && s !== 'loading';
    }, name, { timeout: 90000 });

    await check('the owners panel shows its confidence as a percent, not money', async () => {
      await ready('owners');
      const sec = page.locator('#insight-owners');
      assertEq(await sec.getAttribute('data-state'), 'ready', 'the owners panel');
      const cols = await sec.locator('table.result thead th').evaluateAll((ths) => ths.map((th) => th.dataset.column));
      const i = cols.findIndex((c) => /confidence/.test(c));
      assert(i >= 0, `no confidence column among ${cols}`);
      const cells = await sec.locator('table.result tbody tr').evaluateAll((trs, k) => trs.map((tr) => tr.cells[k].textContent), i);
      assert(cells.length > 0, 'no rows');
      const bad = cells.filter((t) => !/^\d{1,3}%$/.test(t));
      assertEq(bad.join(' | '), '', 'confidence cells that are not a percent');
    }, 100000);

    await check('an anomaly\'s marked days have the colour of their own line', async () => {
      await ready('anomalies');
      const sec = page.locator('#insight-anomalies');
      await chartDrawn(sec);
      const sets = await sec.locator('canvas').first().evaluate((c) =>
        window.Chart.getChart(c).data.datasets.map((d) => ({ legend: d.legend, colour: d.borderColor })));
      const marks = sets.map((d, i) => [d, i]).filter(([d, i]) => d.legend === false && i > 0);
      assert(marks.length > 0, 'no marked days in the chart');
      for (const [d, i] of marks) assertEq(d.colour, sets[i - 1].colour, `the colour of dataset ${i}`);
      const lines = sets.filter((d) => d.legend !== false).map((d) => d.colour);
      assertEq(new Set(lines).size, lines.length, 'lines sharing a colour');
    }, 100000);

    await check('Why? on the level shift compares the level before with the level after and names its driver', async () => {
      await ready('anomalies');
      const ls = manifest.level_shift;
      const sec = page.locator('#insight-anomalies');
      const item = sec.locator('li.anomaly[data-kind="level_shift"]').first();
      const subject = await item.locator('.anomaly-subject').textContent();
      assert(subject.includes(names[ls.service]) && !codesIn(subject, names).length, `the level shift's subject '${subject}'`);
      const why = item.getByRole('button', { name: 'Why?' });
      const question = await why.getAttribute('data-question');
      const m = /(\d{4}-\d\d-\d\d) to (\d{4}-\d\d-\d\d) vs (\d{4}-\d\d-\d\d) to (\d{4}-\d\d-\d\d)\?$/.exec(question || '');
      assert(m, `the question '${question}' does not compare two windows`);
      const day = (s) => Date.parse(s + 'T00:00:00Z') / 86400000;
      const [b0, b1, a0, a1] = m.slice(1).map(day);
      assert(Math.abs(a0 - day(ls.start)) <= 2, `the window after starts ${m[3]}, the step ${ls.start}`);
      assert(b1 === a0 - 1 && a1 - a0 === b1 - b0 && a1 - a0 >= 6, `windows ${m.slice(1).join(', ')}`);
      const before = await page.locator(ANSWERS).count();
      await why.click();
      await page.waitForFunction((q) => [...document.querySelectorAll('.message-user')].some((e) => e.textContent.trim() === q), question);
      const answer = await waitAnswer(page, before);
      assertEq(await answer.getAttribute('data-outcome'), 'answered', 'outcome');
      const text = await answer.locator('.markdown').textContent();
      assert(/A day on average/.test(text), `no level before and after in '${text.slice(0, 300)}'`);
      const top = (await answer.locator('table.result tbody tr').first().locator('td').first().textContent()) || '';
      assert(top.includes(ls.usage_type_suffix) && top.includes(ls.account), `the top driver '${top}' is not ${ls.usage_type_suffix} in ${ls.account}`);
    }, 120000);

    const header = await context.newPage();
    watch(header);
    header.setDefaultTimeout(15000);
    await check('at 1400x900 after an upload no text of the header overlaps another', async () => {
      await header.goto(base + '/');
      await header.waitForFunction(() => /2024/.test(document.getElementById('range-value').textContent));
      await header.locator('#upload-input').setInputFiles(UPLOAD);
      await header.waitForFunction(() => /Loaded|failed/.test(document.getElementById('upload-status').textContent), null, { timeout: 120000 });
      assert(/^Loaded/.test(await header.locator('#upload-status').textContent()), 'the upload failed');
      await header.waitForFunction(() => /2024/.test(document.getElementById('range-value').textContent));
      const found = await header.evaluate(() => {
        const bar = document.querySelector('.topbar');
        const barBox = bar.getBoundingClientRect();
        const shown = (e) => e.offsetParent !== null && e.getClientRects().length && (e.textContent.trim() || e.tagName === 'BUTTON');
        const leaves = [...bar.querySelectorAll('.glance dt, .glance-value, .glance-sub, .glance .change, #upload-status, #upload-button, .brand, .views')].filter(shown);
        // where a text is drawn: its content's box, cut by every box that clips it
        const drawn = (e) => {
          const range = document.createRange();
          range.selectNodeContents(e);
          const r = range.getBoundingClientRect();
          let box = { l: r.left, r: r.right, t: r.top, b: r.bottom };
          for (let a = e; a && a !== bar; a = a.parentElement) {
            if (getComputedStyle(a).overflowX === 'visible') continue;
            const c = a.getBoundingClientRect();
            box = { l: Math.max(box.l, c.left), r: Math.min(box.r, c.right), t: Math.max(box.t, c.top), b: Math.min(box.b, c.bottom) };
          }
          return box;
        };
        const owner = (e) => e.closest('.glance-item, .brand, .views') || e;
        const name = (e) => e.id || `${owner(e).id || owner(e).className}/${e.className || e.tagName}`;
        const boxes = leaves.map((e) => ({ e, box: drawn(e) }));
        const out = [];
        for (const { e, box } of boxes) {
          if (box.l < barBox.left - 0.5 || box.r > barBox.right + 0.5) out.push(`${name(e)} runs out of the header`);
        }
        for (let i = 0; i < boxes.length; i++) {
          for (let j = i + 1; j < boxes.length; j++) {
            const p = boxes[i];
            const q = boxes[j];
            if (owner(p.e) === owner(q.e)) continue;
            const x = Math.min(p.box.r, q.box.r) - Math.max(p.box.l, q.box.l);
            const y = Math.min(p.box.b, q.box.b) - Math.max(p.box.t, q.box.t);
            if (x > 0.5 && y > 0.5) out.push(`${name(p.e)} overlaps ${name(q.e)} by ${Math.round(x)}px`);
          }
        }
        return { out, n: leaves.length };
      });
      assert(found.n >= 8, `only ${found.n} texts found in the header`);
      assertEq(found.out.join('; '), '', 'overlaps');
      // a shortened text is still there in full for a reader who hovers
      assertEq(await header.locator('#top-value').getAttribute('title'), await header.locator('#top-value').textContent(), 'the top service\'s title');
      await header.locator('header.topbar').screenshot({ path: path.join(OUT, 'header.png') });
    }, 180000);

    await check('no page errors or console errors', async () => {
      assertEq([...new Set(problems)].slice(0, 5).join(' ; '), '', 'problems');
    });
  } finally {
    await browser.close().catch(() => {});
    await stopServer();
  }
}

try {
  await main();
} catch (err) {
  report('the browser runs the checks', err);
} finally {
  finishRun();
}
