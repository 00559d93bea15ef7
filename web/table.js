// The result table of an answer: a <table> whose headers sort it (click or
// Enter on the header's button; again to reverse), numbers right-aligned in
// the answer's format, and the CSV of the same rows for "Download CSV". The
// rows are the API's, unchanged; this module does not fetch anything.

import { columnKind, formatCell } from './format.js';

const NUMERIC = new Set(['currency', 'number', 'percent', 'ratio', 'integer']);
const FIRST_ROWS = 200; // drawn at once; the rest behind "Show all"

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

// "amortized_cost" → "Amortized cost", "share_pct" → "Share %".
export function columnLabel(name) {
  const s = String(name);
  if (!/^[a-z0-9_]+$/.test(s)) return s;
  const words = s.split('_').filter(Boolean).map((w) => (w === 'pct' ? '%' : w === 'id' ? 'ID' : w));
  const out = words.join(' ');
  return out.charAt(0).toUpperCase() + out.slice(1);
}

function compare(a, b) {
  const na = a === null || a === undefined;
  const nb = b === null || b === undefined;
  if (na || nb) return na && nb ? 0 : na ? 1 : -1; // empty cells last
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), undefined, { numeric: true, sensitivity: 'base' });
}

export function renderTable(columns, rows, fmt) {
  const kinds = columns.map((c, i) => columnKind(c, rows, i, fmt));
  const wrap = el('div', 'table-wrap');
  wrap.tabIndex = 0; // scrollable region reachable by keyboard
  wrap.setAttribute('role', 'region');
  wrap.setAttribute('aria-label', 'Result table');
  const table = el('table', 'result');
  const thead = el('thead');
  const headRow = el('tr');
  const tbody = el('tbody');
  let order = rows.map((_, i) => i);
  let sortCol = -1;
  let sortDir = 0; // 1 ascending, -1 descending
  let showAll = rows.length <= FIRST_ROWS;

  const ths = columns.map((c, i) => {
    const th = el('th');
    th.scope = 'col';
    if (NUMERIC.has(kinds[i])) th.classList.add('num');
    const b = el('button', 'sort');
    b.type = 'button';
    b.append(el('span', 'sort-label', columnLabel(c)));
    b.append(el('span', 'sort-icon'));
    b.title = `Sort by ${columnLabel(c)}`;
    b.addEventListener('click', () => sortBy(i));
    th.append(b);
    th.dataset.column = c;
    headRow.append(th);
    return th;
  });
  thead.append(headRow);
  table.append(thead, tbody);
  wrap.append(table);

  const more = el('button', 'button button-quiet show-all');
  more.type = 'button';
  more.addEventListener('click', () => {
    showAll = true;
    fill();
  });

  function fill() {
    const shown = showAll ? order : order.slice(0, FIRST_ROWS);
    const frag = document.createDocumentFragment();
    for (const ri of shown) {
      const tr = el('tr');
      rows[ri].forEach((v, ci) => {
        const td = el('td', NUMERIC.has(kinds[ci]) ? 'num' : undefined, formatCell(v, kinds[ci], fmt));
        if (typeof v === 'number') td.dataset.value = String(v);
        if (/change/.test(columns[ci]) && typeof v === 'number' && NUMERIC.has(kinds[ci])) td.classList.add(v > 0 ? 'is-up' : v < 0 ? 'is-down' : 'is-flat');
        tr.append(td);
      });
      frag.append(tr);
    }
    tbody.replaceChildren(frag);
    more.hidden = showAll;
    more.textContent = `Show all ${rows.length} rows`;
  }

  function sortBy(ci) {
    if (sortCol === ci) sortDir = -sortDir;
    else {
      sortCol = ci;
      sortDir = NUMERIC.has(kinds[ci]) ? -1 : 1; // biggest first for numbers
    }
    order = rows.map((_, i) => i).sort((a, b) => compare(rows[a][ci], rows[b][ci]) * sortDir || a - b);
    ths.forEach((th, i) => {
      if (i === ci) th.setAttribute('aria-sort', sortDir > 0 ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
    });
    fill();
  }

  fill();
  const box = el('div', 'table-box');
  box.append(wrap, more);
  return box;
}

function csvField(v) {
  if (v === null || v === undefined) return '';
  let s = String(v);
  // a spreadsheet would run a cell that starts like a formula
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = "'" + s;
  return /[",\n\r]/.test(s) || /^\s|\s$/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

export function toCsv(columns, rows) {
  const lines = [columns.map(csvField).join(',')];
  for (const r of rows) lines.push(r.map(csvField).join(','));
  return lines.join('\r\n') + '\r\n';
}

export function downloadCsv(columns, rows, name) {
  const blob = new Blob([toCsv(columns, rows)], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const a = el('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
