// Number formats for the web UI: the declarative formats of finq's chart specs
// ({"format": "currency", "currency": "USD"}, {"format": "number", "unit":
// "Hrs"}) turned into Intl.NumberFormat strings. Used by charts.js, table.js
// and app.js; it touches no DOM.

const formatters = new Map();

function nf(options) {
  const key = JSON.stringify(options);
  let f = formatters.get(key);
  if (!f) {
    try {
      f = new Intl.NumberFormat(undefined, options);
    } catch {
      // an unknown currency code: fall back to a plain number
      f = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
    }
    formatters.set(key, f);
  }
  return f;
}

function isNumber(v) {
  return typeof v === 'number' && Number.isFinite(v);
}

// fmt: {format: "currency"|"number"|"percent", currency?, unit?}
export function formatValue(v, fmt = {}) {
  if (v === null || v === undefined || v === '') return '';
  if (!isNumber(v)) return String(v);
  switch (fmt.format) {
    case 'currency':
      return nf({ style: 'currency', currency: fmt.currency || 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(v);
    case 'percent':
      return nf({ maximumFractionDigits: 1, minimumFractionDigits: 1 }).format(v) + '%';
    case 'integer':
      return nf({ maximumFractionDigits: 0 }).format(v);
    default: {
      const digits = Math.abs(v) >= 100 || Number.isInteger(v) ? 2 : 4;
      const s = nf({ maximumFractionDigits: digits }).format(v);
      return fmt.unit ? `${s} ${fmt.unit}` : s;
    }
  }
}

// A short form for chart axes: $15K, 1.2M Hrs.
export function formatCompact(v, fmt = {}) {
  if (!isNumber(v)) return v === null || v === undefined ? '' : String(v);
  const compact = Math.abs(v) >= 1000;
  const base = compact ? { notation: 'compact', minimumFractionDigits: 0, maximumFractionDigits: 1 }
    : { minimumFractionDigits: 0, maximumFractionDigits: Math.abs(v) < 10 ? 2 : 0 };
  if (fmt.format === 'currency') return nf({ ...base, style: 'currency', currency: fmt.currency || 'USD' }).format(v);
  if (fmt.format === 'percent') return nf(base).format(v) + '%';
  const s = nf(base).format(v);
  return fmt.unit ? `${s} ${fmt.unit}` : s;
}

// +4.0% / −3.2%, with a real minus sign.
export function formatChange(pct) {
  if (!isNumber(pct)) return '';
  const s = nf({ maximumFractionDigits: 1, minimumFractionDigits: 1 }).format(Math.abs(pct));
  return (pct > 0 ? '+' : pct < 0 ? '−' : '') + s + '%';
}

const dateFormats = new Map();

// "2025-11-30" → "Nov 30, 2025" (or "Nov 30" without the year) in the
// reader's locale.
export function formatDate(iso, { year = true } = {}) {
  if (!iso) return '';
  const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(iso) ? iso + 'T00:00:00' : iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  let f = dateFormats.get(year);
  if (!f) {
    f = new Intl.DateTimeFormat(undefined, year ? { year: 'numeric', month: 'short', day: 'numeric' } : { month: 'short', day: 'numeric' });
    dateFormats.set(year, f);
  }
  return f.format(d);
}

let monthFormat = null;

// "2025-11-01" → "Nov 2025".
export function formatMonth(iso) {
  const d = new Date(/^\d{4}-\d{2}(-\d{2})?$/.test(iso) ? iso.slice(0, 7) + '-01T00:00:00' : iso);
  if (Number.isNaN(d.getTime())) return String(iso ?? '');
  monthFormat ??= new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short' });
  return monthFormat.format(d);
}

export function formatWhen(iso) {
  if (!iso) return '';
  const d = new Date(typeof iso === 'number' ? iso * (iso < 1e12 ? 1000 : 1) : iso);
  if (Number.isNaN(d.getTime())) return '';
  const now = new Date();
  const sameDay = d.toDateString() === now.toDateString();
  return new Intl.DateTimeFormat(undefined, sameDay ? { hour: '2-digit', minute: '2-digit' } : { month: 'short', day: 'numeric' }).format(d);
}

// The numeric format an answer's values are in: the chart's declared format,
// else what the plan measures.
export function answerFormat(answer, fallbackCurrency = 'USD') {
  const spec = Array.isArray(answer?.charts) ? answer.charts[0] : null;
  const found = spec && findFormat(spec);
  if (found) return found;
  const measure = answer?.plan?.measure;
  if (measure === 'usage') return { format: 'number' };
  return { format: 'currency', currency: fallbackCurrency };
}

function findFormat(spec) {
  if (spec.format) return { format: spec.format, currency: spec.currency, unit: spec.unit };
  const o = spec.options || {};
  const tt = o.plugins?.tooltip;
  if (tt?.format) return { format: tt.format, currency: tt.currency, unit: tt.unit };
  for (const axis of Object.values(o.scales || {})) {
    const t = axis?.ticks;
    if (t?.format) return { format: t.format, currency: t.currency, unit: t.unit };
  }
  return null;
}

// How a table column is shown, from its name, first rule that fits; sorted
// by how specific a rule is, not alphabetically. A "ratio" is a share or a
// probability between 0 and 1 (an owner's confidence): a percent, never money.
const COLUMN_KINDS = [
  [/(_pct|pct|percent|%)$|^share$/, 'percent'],
  [/(^|_)(confidence|probability|ratio|fraction|likelihood)$/, 'ratio'],
  [/^(year|month|day|rank)$/, 'code'],
  [/(^|_)(rows|count|days|accounts|services|resources|lines|n)$/, 'integer'],
  [/(^|_)(usage|quantity|hours|amount_used)($|_)/, 'number'],
];

// "text", "currency", "number", "percent", "ratio", "integer" (counts) or
// "code" (year-like numbers kept as they are).
export function columnKind(name, rows, index, fmt) {
  let numeric = false;
  for (const r of rows) {
    const v = r[index];
    if (v === null || v === undefined) continue;
    if (typeof v !== 'number') return 'text';
    numeric = true;
  }
  if (!numeric) return 'text';
  const n = String(name).toLowerCase();
  const rule = COLUMN_KINDS.find(([re]) => re.test(n));
  if (rule) return rule[1];
  return fmt.format === 'currency' ? 'currency' : 'number';
}

export function formatCell(v, kind, fmt) {
  if (v === null || v === undefined) return '';
  switch (kind) {
    case 'currency': return formatValue(v, { format: 'currency', currency: fmt.currency });
    case 'percent': return formatValue(v, { format: 'percent' });
    case 'ratio': return nf({ style: 'percent', maximumFractionDigits: 0 }).format(v);
    case 'integer': return formatValue(v, { format: 'integer' });
    case 'number': return formatValue(v, { format: 'number' });
    default: return String(v);
  }
}
