// Charts of finq answers. A chart spec from the API is a Chart.js config plus
// declarative number formats ({"format": "currency", "currency": "USD"} in
// options.scales.<axis>.ticks, options.plugins.tooltip or on a KPI spec);
// this module turns those into Chart.js callbacks, colours the datasets from
// the page's theme and draws on a <canvas>. Type "kpi" is not Chart.js: it is
// drawn as a card. Chart.js itself is the UMD build loaded by index.html
// (window.Chart); this module does not fetch anything. Labels are for
// people: product codes in them are shown as service names (names.js).

import { formatValue, formatCompact, formatChange } from './format.js';
import { withServiceNames } from './names.js';

const FORMAT_KEYS = ['format', 'currency', 'unit'];
const CHART_TYPES = new Set(['bar', 'line', 'doughnut', 'pie', 'polarArea', 'radar']);
const ROUND_TYPES = new Set(['doughnut', 'pie', 'polarArea']);
const live = new Set(); // mounted charts, redrawn when the colour scheme changes

function clone(v) {
  return v === undefined ? undefined : JSON.parse(JSON.stringify(v));
}

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function takeFormat(obj) {
  if (!obj || typeof obj !== 'object' || !obj.format) return null;
  const f = { format: obj.format, currency: obj.currency, unit: obj.unit };
  for (const k of FORMAT_KEYS) delete obj[k];
  return f;
}

function theme() {
  const cs = getComputedStyle(document.documentElement);
  const v = (name, dflt) => cs.getPropertyValue(name).trim() || dflt;
  const palette = [];
  for (let i = 1; i <= 10; i++) palette.push(v(`--chart-${i}`, '#4e79a7'));
  return {
    palette,
    text: v('--text-muted', '#555'),
    grid: v('--grid', 'rgba(0,0,0,0.08)'),
    surface: v('--surface', '#fff'),
    font: v('--font-sans', 'system-ui, sans-serif'),
  };
}

function withAlpha(hex, alpha) {
  const m = /^#([0-9a-f]{6})$/i.exec(hex);
  if (!m) return hex;
  const n = parseInt(m[1], 16);
  return `rgba(${n >> 16}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

function colour(type, data, options, t) {
  const datasets = data.datasets || [];
  const stacked = !!(options.scales?.y?.stacked || options.scales?.x?.stacked);
  let shown = 0; // datasets with a legend entry: each takes the next colour
  datasets.forEach((ds, i) => {
    if (ROUND_TYPES.has(type)) {
      const n = (ds.data || []).length;
      // "Other" (the tail of a top N) is the rest, not one more item: the
      // grey (--chart-9), which no named slice takes
      const grey = t.palette[8];
      const named = t.palette.filter((_, i) => i !== 8);
      ds.backgroundColor ??= Array.from({ length: n }, (_, k) =>
        data.labels?.[k] === 'Other' && k === n - 1 ? grey : named[k % named.length]);
      ds.borderColor ??= t.surface;
      ds.borderWidth ??= 2;
      ds.hoverOffset ??= 6;
      return;
    }
    // a dataset without a legend entry (an anomaly's marked days) belongs
    // to the one before it: same colour, so a mark sits on its own line
    const previous = i > 0 ? datasets[i - 1].borderColor : null;
    const c = ds.legend === false && typeof previous === 'string' ? previous : t.palette[shown++ % t.palette.length];
    ds.borderColor ??= c;
    if (type === 'line') {
      const filled = ds.fill !== undefined && ds.fill !== false;
      ds.backgroundColor ??= filled ? withAlpha(c, stacked ? 0.55 : 0.18) : c;
      ds.borderWidth ??= filled ? 1 : 2;
      ds.pointRadius ??= (ds.data || []).length > 40 || filled ? 0 : 2.5;
      ds.pointHoverRadius ??= 4;
      ds.cubicInterpolationMode ??= 'monotone'; // smooth, never overshooting a value
    } else {
      ds.backgroundColor ??= c;
      ds.borderWidth ??= 0;
      ds.borderRadius ??= 3;
      ds.maxBarThickness ??= 48;
    }
  });
}

// The spec's declared formats, and the format the values are in.
function installFormats(type, options) {
  let valueFormat = null;
  for (const axis of Object.values(options.scales || {})) {
    const ticks = axis?.ticks;
    const f = takeFormat(ticks);
    if (!f) continue;
    valueFormat ??= f;
    ticks.callback = function (value) {
      // category axes pass an index: show the label
      if (this.type === 'category') return this.getLabelForValue(value);
      return formatCompact(value, f);
    };
  }
  options.plugins ??= {};
  const tooltip = (options.plugins.tooltip ??= {});
  const tf = takeFormat(tooltip) || valueFormat;
  valueFormat ??= tf;
  if (tf && !ROUND_TYPES.has(type)) {
    // a value axis with no declared format shows the tooltip's
    const axis = ((options.scales ??= {})[options.indexAxis === 'y' ? 'x' : 'y'] ??= {});
    axis.ticks ??= {};
    axis.ticks.callback ??= (value) => formatCompact(value, tf);
  }
  if (tf) {
    const horizontal = options.indexAxis === 'y';
    const stacked = !!(options.scales?.y?.stacked || options.scales?.x?.stacked);
    const valueOf = (ctx) => (typeof ctx.raw === 'number' ? ctx.raw : horizontal ? ctx.parsed?.x : ctx.parsed?.y ?? ctx.parsed);
    tooltip.callbacks = {
      ...(tooltip.callbacks || {}),
      label(ctx) {
        const v = valueOf(ctx);
        if (ROUND_TYPES.has(type)) {
          const values = ctx.dataset.data.filter((x) => typeof x === 'number');
          const sum = values.reduce((a, b) => a + b, 0);
          const share = sum ? ` (${formatValue((100 * v) / sum, { format: 'percent' })})` : '';
          return `${ctx.label}: ${formatValue(v, tf)}${share}`;
        }
        const name = ctx.dataset.label || ctx.label || '';
        return `${name ? name + ': ' : ''}${formatValue(v, tf)}`;
      },
    };
    if (stacked) {
      tooltip.callbacks.footer = (items) => {
        if (items.length < 2) return '';
        const sum = items.reduce((a, it) => a + (valueOf(it) || 0), 0);
        return `Total: ${formatValue(sum, tf)}`;
      };
    }
  }
  return valueFormat;
}

const DATE_LABEL = /^\d{4}-\d{2}/;

// Vertical bars over many named categories (not dates) are drawn sideways.
function horizontal(spec, view) {
  const labels = spec.data?.labels || [];
  return view.type === 'bar' && spec.options?.indexAxis !== 'y' && labels.length > 10 &&
    !labels.every((l) => DATE_LABEL.test(String(l)));
}

// The canvas height a view needs: sideways bars grow with their categories.
function heightFor(spec, view) {
  if (!horizontal(spec, view)) return '';
  const n = spec.data.labels.length;
  const sets = Math.max(1, spec.data?.datasets?.length || 1);
  const stacked = !!spec.options?.scales?.y?.stacked;
  const per = stacked ? 22 : Math.min(14 * sets + 8, 48);
  return `${Math.min(Math.max(n * per + 70, 300), 1400)}px`;
}

// A Chart.js config from a finq chart spec, for one view of it: the spec's
// own type or one of its alternatives ({type, flat}: flat is a stacked area
// drawn as plain lines).
export function chartConfig(spec, view = { type: spec.type }, narrow = false) {
  const t = theme();
  const type = view.type;
  const data = clone(spec.data) || { labels: [], datasets: [] };
  const options = clone(spec.options) || {};
  const from = spec.type;
  data.datasets ??= [];
  if (Array.isArray(data.labels)) data.labels = data.labels.map(withServiceNames);
  for (const ds of data.datasets) if (ds && typeof ds.label === 'string') ds.label = withServiceNames(ds.label);

  if (ROUND_TYPES.has(from) && !ROUND_TYPES.has(type)) {
    // a share of total seen as bars: a value axis in the tooltip's format
    const tf = options.plugins?.tooltip;
    options.scales = { y: { beginAtZero: true, ticks: tf?.format ? { format: tf.format, currency: tf.currency, unit: tf.unit } : {} } };
    if (options.plugins?.legend) delete options.plugins.legend.position;
  } else if (!ROUND_TYPES.has(from) && ROUND_TYPES.has(type)) {
    delete options.scales;
    (options.plugins ??= {}).legend = { position: 'right' };
  }
  if (type !== from || view.flat) for (const ds of data.datasets) ds.fill = false;
  if (view.flat) for (const ax of Object.values(options.scales || {})) if (ax) ax.stacked = false;
  if (view.area) {
    // a stacked area: each series filled down to the one below it
    data.datasets.forEach((ds, i) => {
      ds.fill = i === 0 ? 'origin' : '-1';
    });
    const sc = (options.scales ??= {});
    (sc.y ??= {}).stacked = data.datasets.length > 1;
    if (sc.x) delete sc.x.stacked;
  }
  if (type === 'bar' && options.scales?.y?.stacked) (options.scales.x ??= {}).stacked = true;
  if (horizontal(spec, view)) {
    // many named categories read better as horizontal bars: the value axis moves to x
    options.indexAxis = 'y';
    const sc = options.scales || {};
    options.scales = { x: sc.y || {}, y: sc.x || {} };
  }

  options.responsive = true;
  options.maintainAspectRatio = false;
  options.animation ??= matchMedia('(prefers-reduced-motion: reduce)').matches ? false : { duration: 250 };
  options.plugins ??= {};
  // the title is the figure's caption in HTML, above the canvas
  options.plugins.title = { ...(options.plugins.title || {}), display: false };
  const legend = (options.plugins.legend ??= {});
  if (!ROUND_TYPES.has(type) && data.datasets.length <= 1) legend.display ??= false;
  if (narrow && legend.position === 'right') legend.position = 'bottom';
  legend.labels = { boxWidth: 10, boxHeight: 10, usePointStyle: true, pointStyle: 'rectRounded', ...(legend.labels || {}) };
  // a dataset with "legend": false (answer.h) draws but takes no legend entry
  if (data.datasets.some((d) => d.legend === false)) {
    legend.labels.filter = (item, chartData) => chartData.datasets[item.datasetIndex]?.legend !== false;
  }
  if (!ROUND_TYPES.has(type)) {
    for (const axis of Object.values(options.scales || {})) {
      if (!axis) continue;
      axis.grid = { color: t.grid, ...(axis.grid || {}) };
      axis.border = { display: false, ...(axis.border || {}) };
    }
    const sideways = options.indexAxis === 'y';
    const cat = (options.scales ??= {})[sideways ? 'y' : 'x'] ??= {};
    cat.grid = { display: false, ...(cat.grid || {}) };
    cat.ticks = sideways ? { autoSkip: false, ...(cat.ticks || {}) } : { maxRotation: 0, autoSkipPadding: 12, ...(cat.ticks || {}) };
    if (sideways) {
      const value = (options.scales.x ??= {});
      value.ticks = { maxRotation: 0, ...(value.ticks || {}) };
    }
  }
  installFormats(type, options);
  colour(type, data, options, t);
  return { type, data, options };
}

function applyDefaults(Chart) {
  const t = theme();
  Chart.defaults.color = t.text;
  Chart.defaults.borderColor = t.grid;
  Chart.defaults.font.family = t.font;
  Chart.defaults.font.size = 12;
  Chart.defaults.plugins.tooltip.padding = 10;
  Chart.defaults.plugins.tooltip.boxPadding = 4;
}

function kpiCard(spec) {
  const fmt = { format: spec.format || 'number', currency: spec.currency, unit: spec.unit };
  const card = el('div', 'kpi');
  card.append(el('div', 'kpi-label', withServiceNames(spec.label || spec.title || '')));
  const value = el('div', 'kpi-value', formatValue(spec.value, fmt));
  value.dataset.value = String(spec.value);
  card.append(value);
  if (typeof spec.change_pct === 'number' && Number.isFinite(spec.change_pct)) {
    const up = spec.change_pct > 0;
    const down = spec.change_pct < 0;
    const ch = el('div', 'kpi-change');
    const badge = el('span', 'change ' + (fmt.format === 'currency' ? (up ? 'is-up' : down ? 'is-down' : 'is-flat') : 'is-neutral'));
    badge.textContent = `${up ? '▲' : down ? '▼' : '■'} ${formatChange(spec.change_pct)}`;
    ch.append(badge);
    if (spec.previous !== undefined && spec.previous !== null) {
      ch.append(` vs ${formatValue(spec.previous, fmt)}${spec.previous_label ? ' in ' + spec.previous_label : ''}`);
    }
    card.append(ch);
  }
  return card;
}

function typeLabel(type) {
  return { doughnut: 'Doughnut', pie: 'Pie', bar: 'Bar', line: 'Line', polarArea: 'Polar' }[type] || type;
}

// The ways a spec can be drawn: its own type, then its alternatives; a
// stacked area's alternative "line" is the same numbers as plain lines.
function viewsOf(spec) {
  const stacked = spec.type === 'line' && !!spec.options?.scales?.y?.stacked;
  const first = spec.type === 'area' ? { type: 'line', area: true, label: 'Area' }
    : { type: spec.type, label: stacked ? 'Stacked' : typeLabel(spec.type) };
  const views = [first];
  const add = (v) => {
    if (!views.some((w) => w.type === v.type && !!w.flat === !!v.flat && !!w.area === !!v.area)) views.push(v);
  };
  for (const a of Array.isArray(spec.alternatives) ? spec.alternatives : []) {
    if (a === 'area') add({ type: 'line', area: true, label: 'Area' });
    else if (a === spec.type && stacked) add({ type: 'line', flat: true, label: 'Lines' });
    else if (CHART_TYPES.has(a) && a !== spec.type) add({ type: a, label: typeLabel(a) });
  }
  return views;
}

// Draws `spec` into a new <figure>, returned; the Chart.js instance is drawn
// once the figure is in the document, and redrawn on a type switch.
export function renderChart(spec) {
  const fig = el('figure', 'chart');
  const head = el('div', 'chart-head');
  const caption = el('figcaption', 'chart-title', withServiceNames(spec.title || spec.options?.plugins?.title?.text || ''));
  head.append(caption);
  fig.append(head);
  if (spec.type === 'kpi') {
    fig.classList.add('chart-kpi');
    fig.append(kpiCard(spec));
    return fig;
  }
  const Chart = window.Chart;
  const box = el('div', 'chart-box');
  const canvas = el('canvas');
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', withServiceNames(spec.title || 'chart'));
  box.append(canvas);
  fig.append(box);
  if (!Chart) {
    box.replaceChildren(el('p', 'chart-missing', 'The chart library did not load.'));
    return fig;
  }
  const datasets = spec.data?.datasets?.length || 0;
  if (spec.type === 'line' && datasets > 8) box.classList.add('chart-box-tall');

  const views = viewsOf(spec);
  const entry = { spec, view: views[0], canvas, chart: null, box };
  const draw = () => {
    entry.chart?.destroy();
    entry.chart = null;
    box.style.height = heightFor(spec, entry.view);
    applyDefaults(Chart);
    const narrow = box.clientWidth > 0 && box.clientWidth < 520;
    try {
      entry.chart = new Chart(canvas, chartConfig(spec, entry.view, narrow));
    } catch (err) {
      // a chart type this page does not know: say so, the table still shows
      box.replaceChildren(el('p', 'chart-missing', `This chart could not be drawn (${err.message}).`));
    }
  };
  entry.draw = draw;

  if (views.length > 1) {
    const group = el('div', 'segmented');
    group.setAttribute('role', 'group');
    group.setAttribute('aria-label', 'Chart type');
    views.forEach((v, i) => {
      const b = el('button', 'segment', v.label);
      b.type = 'button';
      b.setAttribute('aria-pressed', String(i === 0));
      b.addEventListener('click', () => {
        for (const other of group.children) other.setAttribute('aria-pressed', String(other === b));
        entry.view = v;
        draw();
      });
      group.append(b);
    });
    head.append(group);
  }

  live.add(entry);
  // draw once the canvas is in the document and has a size
  requestAnimationFrame(() => {
    if (canvas.isConnected) draw();
    else {
      const wait = new MutationObserver(() => {
        if (canvas.isConnected) {
          wait.disconnect();
          draw();
        }
      });
      wait.observe(document.body, { childList: true, subtree: true });
    }
  });
  fig.finqChart = entry;
  return fig;
}

export function forgetCharts(root) {
  for (const entry of [...live]) {
    if (!root || root.contains(entry.canvas)) {
      entry.chart?.destroy();
      live.delete(entry);
    }
  }
}

// Redraw every chart in the new colours when the colour scheme changes.
export function watchColourScheme() {
  const mq = window.matchMedia('(prefers-color-scheme: dark)');
  mq.addEventListener('change', () => {
    for (const entry of live) if (entry.canvas.isConnected && entry.chart) entry.draw();
  });
}
