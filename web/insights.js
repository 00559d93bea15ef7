// The Insights view: finq's analyses (GET /api/v1/insights/{name}) as panels:
// anomalies on a timeline with their dates, expected and actual cost and
// impact; recommendations sorted by monthly savings with their total, each
// opening to its evidence and arithmetic; Savings Plan and RI utilization,
// coverage and net savings with their arithmetic; the forecast chart with its band;
// the architecture and the likely owners of untagged spend. Clicking an
// item, or one of a panel's suggestions, asks about it in the chat (the
// caller's ask). An analysis the server lacks says so in its panel. The
// result objects' fields are those of src/insight/insight.h; an item's fields are
// the analysis' own, so they are read by the names the analyses use, with
// what is missing left out rather than guessed.

import * as API from './api.js';
import { renderMarkdown } from './markdown.js';
import { renderChart } from './charts.js';
import { renderTable } from './table.js';
import { answerFormat, formatValue, formatDate } from './format.js';

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = text;
  return e;
}

// The first of keys that item has as a finite number / a non-empty string.
function num(item, ...keys) {
  for (const k of keys) if (typeof item?.[k] === 'number' && Number.isFinite(item[k])) return item[k];
  return null;
}

function str(item, ...keys) {
  for (const k of keys) if (typeof item?.[k] === 'string' && item[k]) return item[k];
  return null;
}

function money(v, fmt) {
  return formatValue(v, { format: 'currency', currency: fmt.currency || 'USD' });
}

// A button that asks question in the chat.
function askButton(label, question, ask, cls = 'button button-quiet button-small') {
  const b = el('button', cls, label);
  b.type = 'button';
  b.dataset.question = question;
  b.addEventListener('click', () => ask(question));
  return b;
}

function suggestionChips(result, ask) {
  const list = (Array.isArray(result.suggestions) ? result.suggestions : []).filter((s) => typeof s === 'string' && s);
  if (!list.length) return null;
  const ul = el('ul', 'chips');
  ul.setAttribute('aria-label', 'Ask about it');
  for (const q of list.slice(0, 3)) {
    const li = el('li');
    li.append(askButton(q, q, ask, 'chip'));
    ul.append(li);
  }
  return ul;
}

function firstChart(result) {
  return Array.isArray(result.charts) ? result.charts.find((c) => c && typeof c === 'object' && c.type) : null;
}

function itemsOf(result) {
  return Array.isArray(result.items) ? result.items.filter((i) => i && typeof i === 'object') : [];
}

// ---- the panels ----

function renderAnomalies(result, body, ask, fmt) {
  const spec = firstChart(result);
  if (spec) body.append(renderChart(spec));
  const items = itemsOf(result);
  if (!items.length) {
    body.append(el('p', 'insight-empty', 'No anomalies found.'));
    return;
  }
  const list = el('ol', 'insight-list anomaly-list');
  for (const item of items) {
    const li = el('li', 'anomaly');
    const date = str(item, 'date', 'day', 'start', 'first_day', 'from');
    const subject = str(item, 'series_name', 'service', 'label', 'subject', 'name', 'title') || 'Total cost';
    const expected = num(item, 'expected', 'baseline', 'expected_cost');
    const end = str(item, 'end', 'to');
    const actual = num(item, 'actual', 'observed', 'cost', 'actual_cost');
    const impact = num(item, 'impact', 'excess', 'delta', 'difference') ?? (expected !== null && actual !== null ? actual - expected : null);
    const head = el('div', 'anomaly-head');
    if (date) {
      const when = el('time', 'anomaly-date', formatDate(date) + (end && end !== date ? ` – ${formatDate(end)}` : ''));
      when.dateTime = date;
      head.append(when);
    }
    head.append(el('span', 'anomaly-subject', subject));
    if (impact !== null) head.append(el('span', `change ${impact >= 0 ? 'is-up' : 'is-down'}`, `${impact >= 0 ? '+' : ''}${money(impact, fmt)}`));
    li.append(head);
    if (expected !== null && actual !== null) {
      li.append(el('p', 'anomaly-figures', `expected ${money(expected, fmt)}, actual ${money(actual, fmt)}`));
    }
    const kind = str(item, 'kind', 'type');
    if (kind) li.dataset.kind = kind;
    const question = str(item, 'question') || `Why did ${subject === 'Total cost' ? 'our cost' : subject} spike${date ? ' on ' + date : ''}?`;
    li.append(askButton('Why?', question, ask));
    list.append(li);
  }
  body.append(list);
}

function evidenceList(evidence) {
  if (!evidence) return null;
  if (typeof evidence === 'string') return el('p', 'rec-evidence', evidence);
  const ul = el('ul', 'rec-evidence');
  const entries = Array.isArray(evidence) ? evidence : Object.entries(evidence).map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : v}`);
  for (const e of entries) ul.append(el('li', null, typeof e === 'string' ? e : JSON.stringify(e)));
  return ul.children.length ? ul : null;
}

// The resources a recommendation is about, as lines of evidence.
function resourcesOf(item) {
  const list = Array.isArray(item.resources) ? item.resources : [];
  return list.filter((r) => r && typeof r === 'object').slice(0, 10).map((r) =>
    Object.entries(r).filter(([, v]) => v !== null && typeof v !== 'object').map(([k, v]) => `${k} ${v}`).join(', '));
}

function renderRecommendations(result, body, ask, fmt) {
  const items = itemsOf(result)
    .map((item) => ({ item, savings: num(item, 'estimated_monthly_saving', 'monthly_savings', 'monthly_saving', 'savings', 'saving') ?? 0 }))
    .sort((a, b) => b.savings - a.savings);
  if (!items.length) {
    body.append(el('p', 'insight-empty', 'No recommendations.'));
    return;
  }
  const total = items.reduce((s, r) => s + r.savings, 0);
  const head = el('p', 'rec-total');
  head.append(el('span', 'rec-total-value', money(total, fmt)), el('span', 'rec-total-label', ' a month in savings, in total'));
  body.append(head);
  const list = el('ul', 'insight-list rec-list');
  for (const { item, savings } of items) {
    const li = el('li', 'rec');
    const details = el('details', 'rec-details');
    const summary = el('summary', 'rec-summary');
    const title = str(item, 'title', 'action', 'recommendation', 'name') || 'Recommendation';
    summary.append(el('span', 'rec-title', title), el('span', 'rec-savings', `${money(savings, fmt)}/mo`));
    details.append(summary);
    const detail = el('div', 'rec-body');
    for (const text of [str(item, 'action', 'detail', 'description'), str(item, 'basis'), str(item, 'note')]) {
      if (text && text !== title) detail.append(renderMarkdown(text));
    }
    const arithmetic = str(item, 'arithmetic', 'calculation', 'math', 'formula');
    if (arithmetic) {
      const pre = el('pre', 'rec-arithmetic');
      pre.append(el('code', null, arithmetic));
      detail.append(pre);
    }
    const evidence = evidenceList(item.evidence ?? resourcesOf(item));
    if (evidence) detail.append(evidence);
    const assumptions = Array.isArray(item.assumptions) ? item.assumptions.filter((a) => a && a.what) : [];
    if (assumptions.length) {
      detail.append(evidenceList(assumptions.map((a) => `${a.what}: ${a.value}`)));
    }
    const service = str(item, 'service', 'service_code');
    const question = str(item, 'question') || `How can I reduce ${service || title} costs?`;
    detail.append(askButton('Ask about this', question, ask));
    details.append(detail);
    li.append(details);
    list.append(li);
  }
  body.append(list);
}

function renderForecast(result, body, ask, fmt) {
  const spec = firstChart(result);
  if (spec) body.append(renderChart(spec));
  const item = itemsOf(result)[0];
  const total = num(item, 'forecast', 'total', 'expected', 'amount', 'value');
  if (total !== null) {
    const lower = num(item, 'lower', 'low', 'lower_bound');
    const upper = num(item, 'upper', 'high', 'upper_bound');
    const p = el('p', 'forecast-figure');
    p.append(el('span', 'forecast-value', money(total, fmt)));
    if (lower !== null && upper !== null) p.append(el('span', 'forecast-band', ` (${money(lower, fmt)} to ${money(upper, fmt)})`));
    body.append(p);
  }
}

// Savings Plan and RI utilization, coverage and net savings, per kind, with
// the arithmetic of each figure (the analysis' own text, one figure a line),
// the chart of eligible usage covered and not, and the figures by month.
function percent(v) {
  return v === null ? '–' : formatValue(v, { format: 'percent' });
}

function renderCommitments(result, body, ask, fmt) {
  const items = itemsOf(result);
  const kpis = el('div', 'commit-kpis');
  for (const item of items) {
    const box = el('div', 'commit-kpi');
    box.dataset.kind = str(item, 'kind') || '';
    box.append(el('h3', 'commit-kind', str(item, 'label', 'kind') || 'Commitments'));
    const dl = el('dl', 'commit-figures');
    const figures = [
      ['Utilization', percent(num(item, 'utilization_pct')), 'commit-utilization'],
      ['Coverage', percent(num(item, 'coverage_pct')), 'commit-coverage'],
      ['Net savings', money(num(item, 'net_savings') ?? 0, fmt), 'commit-savings'],
    ];
    for (const [label, value, cls] of figures) {
      const row = el('div', `commit-figure ${cls}`);
      row.append(el('dt', null, label), el('dd', null, value));
      dl.append(row);
    }
    box.append(dl);
    const arithmetic = str(item, 'arithmetic');
    if (arithmetic) {
      const pre = el('pre', 'rec-arithmetic commit-arithmetic');
      pre.append(el('code', null, arithmetic.split('; ').join('\n')));
      box.append(pre);
    }
    kpis.append(box);
  }
  body.append(kpis);
  const spec = firstChart(result);
  if (spec) body.append(renderChart(spec));
  const months = Array.isArray(result.months) ? result.months.filter((m) => m && m.month) : [];
  if (months.length > 1) {
    const columns = ['month', 'sp_utilization_pct', 'sp_coverage_pct', 'ri_utilization_pct', 'ri_coverage_pct', 'net_savings'];
    const rows = months.map((m) => [m.month, m.sp?.utilization_pct ?? null, m.sp?.coverage_pct ?? null,
      m.ri?.utilization_pct ?? null, m.ri?.coverage_pct ?? null, m.all?.net_savings ?? null]);
    body.append(renderTable(columns, rows, fmt));
  }
}

function renderSummary(result, body, ask, fmt) {
  const columns = Array.isArray(result.columns) ? result.columns : [];
  const rows = Array.isArray(result.rows) ? result.rows : [];
  if (columns.length && rows.length) body.append(renderTable(columns, rows.slice(0, 20), fmt));
}

const SECTIONS = [
  { name: 'anomalies', title: 'Anomalies', render: renderAnomalies },
  { name: 'recommend', title: 'Recommendations', render: renderRecommendations },
  { name: 'commitments', title: 'Commitments: Savings Plans and RIs', render: renderCommitments, saysWhyEmpty: true },
  { name: 'forecast', title: 'Forecast', render: renderForecast },
  { name: 'architecture', title: 'Architecture', render: renderSummary },
  { name: 'owners', title: 'Owners of untagged spend', render: renderSummary },
];

function card(section) {
  const sec = el('section', 'insight-card');
  sec.id = `insight-${section.name}`;
  sec.dataset.insight = section.name;
  sec.dataset.state = 'loading';
  sec.setAttribute('aria-busy', 'true');
  const h = el('h2', 'insight-title', section.title);
  h.id = `insight-${section.name}-title`;
  sec.setAttribute('aria-labelledby', h.id);
  const body = el('div', 'insight-body');
  body.append(el('p', 'insight-loading', 'Working it out…'));
  sec.append(h, body);
  return sec;
}

function fill(sec, section, result, ask, currency) {
  const body = sec.querySelector('.insight-body');
  body.replaceChildren();
  const fmt = answerFormat(result, currency);
  if (result.title) body.append(el('p', 'insight-headline', result.title));
  section.render(result, body, ask, fmt);
  if (result.message) {
    const more = el('details', 'insight-more');
    more.append(el('summary', null, 'The figures and how they were found'));
    const md = el('div', 'markdown');
    md.append(renderMarkdown(result.message));
    more.append(md);
    if (result.method) more.append(el('p', 'insight-method', result.method));
    body.append(more);
  }
  const chips = suggestionChips(result, ask);
  if (chips) body.append(chips);
  sec.dataset.state = 'ready';
}

function failed(sec, err, section) {
  const body = sec.querySelector('.insight-body');
  const missing = err?.status === 404;
  // an analysis with nothing to measure says why ("the bill has no
  // Savings Plan or Reserved Instance lines ..."), it did not fail
  const nothing = err?.status === 503 && section?.saysWhyEmpty && err.message;
  sec.dataset.state = missing ? 'missing' : nothing ? 'empty' : 'error';
  const text = missing ? 'This analysis is not part of this build of finq.'
    : nothing ? err.message.charAt(0).toUpperCase() + err.message.slice(1) + '.'
      : err?.status === 503 ? 'No cost data is loaded yet: upload a billing export first.'
        : `It could not be worked out: ${err?.message || err}`;
  body.replaceChildren(el('p', missing || nothing ? 'insight-empty' : 'insight-error', text));
}

// Set up the view in root; ask(question) asks in the chat. Returns
// {show}: show() loads the panels the first time (and again after refresh()).
export function setupInsights(root, { ask, currency = () => 'USD' }) {
  const grid = el('div', 'insight-grid');
  const head = el('div', 'insights-head');
  head.append(el('h1', null, 'Insights'));
  const refresh = el('button', 'button button-quiet', 'Refresh');
  refresh.type = 'button';
  head.append(refresh);
  root.append(head, grid);
  let loaded = false;

  async function load() {
    loaded = true;
    grid.replaceChildren();
    const cards = SECTIONS.map((s) => {
      const sec = card(s);
      grid.append(sec);
      return sec;
    });
    let listed = null;
    try {
      listed = new Set((await API.listInsights()).map((i) => i.name));
    } catch {
      listed = null; // ask each one: its panel says what went wrong
    }
    await Promise.all(SECTIONS.map(async (s, i) => {
      const sec = cards[i];
      try {
        if (listed && !listed.has(s.name)) throw Object.assign(new Error('not in this build'), { status: 404 });
        fill(sec, s, await API.runInsight(s.name), ask, currency());
      } catch (err) {
        failed(sec, err, s);
      } finally {
        sec.removeAttribute('aria-busy');
      }
    }));
  }
  refresh.addEventListener('click', load);
  return {
    show() {
      if (!loaded) load();
    },
    reset() {
      loaded = false;
    },
  };
}
