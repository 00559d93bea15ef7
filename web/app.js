// finq's web UI: a chat with the bill. Wires the page of index.html to the
// JSON API (api.js): the conversation thread (answers with their chart,
// table, SQL and reading), the side panel of conversations, the header's data
// at a glance and the upload button. Rendering of markdown, charts and tables
// lives in markdown.js, charts.js and table.js; this file owns the page state.

import * as API from './api.js';
import { renderMarkdown } from './markdown.js';
import { renderChart, forgetCharts, watchColourScheme } from './charts.js';
import { renderTable, downloadCsv } from './table.js';
import { answerFormat, formatValue, formatChange, formatDate, formatMonth, formatWhen } from './format.js';
import { setupInsights } from './insights.js';
import { setServiceNames, questionWithServiceNames, relabelTextNodes } from './names.js';

const STORAGE_KEY = 'finq.conversation';
const DEFAULT_STARTERS = [
  'What did we spend last month?',
  'Top 5 services last month',
  'Show the monthly trend this year',
  'Which accounts cost the most last month?',
  'Compare last month with the month before by service',
];

const $ = (id) => document.getElementById(id);
const ui = {
  thread: $('thread'),
  welcome: $('welcome'),
  starters: $('starters'),
  composer: $('composer'),
  question: $('question'),
  send: $('send'),
  list: $('conversation-list'),
  panelEmpty: $('panel-empty'),
  newConversation: $('new-conversation'),
  panel: $('panel'),
  panelToggle: $('panel-toggle'),
  backdrop: $('backdrop'),
  uploadButton: $('upload-button'),
  uploadInput: $('upload-input'),
  uploadStatus: $('upload-status'),
};

const state = {
  conversationId: null,
  conversations: [],
  history: [], // questions of this conversation, oldest first, for ↑
  recall: -1, // index into history while recalling
  busy: false,
  currency: 'USD',
  starters: DEFAULT_STARTERS,
  loadSeq: 0, // the latest conversation load; older ones are dropped
};

// ---- small DOM helpers ----

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = text;
  return e;
}

const SVG_NS = 'http://www.w3.org/2000/svg';
const ICONS = {
  up: 'M7 10v10H4V10h3zm3 10h7.5a2 2 0 0 0 2-1.6l1.3-6A2 2 0 0 0 18.8 10H14V6a2 2 0 0 0-2-2l-2 6v10z',
  down: 'M17 14V4h3v10h-3zm-3-10H6.5a2 2 0 0 0-2 1.6l-1.3 6A2 2 0 0 0 5.2 14H10v4a2 2 0 0 0 2 2l2-6V4z',
  csv: 'M12 4v11M7 10l5 5 5-5M5 20h14',
  code: 'M9 8l-4 4 4 4M15 8l4 4-4 4',
  reading: 'M4 5h7a2 2 0 0 1 2 2v12a2 2 0 0 0-2-2H4zM20 5h-7M20 5v12h-7',
  more: 'M5 12h.01M12 12h.01M19 12h.01',
  retry: 'M4 12a8 8 0 1 0 2.3-5.6M4 4v4h4',
  copy: 'M9 9h10v10H9zM5 15V5h10',
};

function icon(name) {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const path = document.createElementNS(SVG_NS, 'path');
  path.setAttribute('d', ICONS[name]);
  svg.append(path);
  return svg;
}

function button(label, { cls = 'button', iconName, aria, onClick } = {}) {
  const b = el('button', cls);
  b.type = 'button';
  if (iconName) b.append(icon(iconName));
  if (label) b.append(el('span', 'button-label', label));
  if (aria) b.setAttribute('aria-label', aria);
  if (onClick) b.addEventListener('click', onClick);
  return b;
}

function chips(items, onPick, label) {
  const ul = el('ul', 'chips');
  if (label) ul.setAttribute('aria-label', label);
  for (const text of items) {
    const li = el('li');
    const b = el('button', 'chip', text);
    b.type = 'button';
    b.addEventListener('click', () => onPick(text));
    li.append(b);
    ul.append(li);
  }
  return ul;
}

function slug(s) {
  return String(s || 'answer').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'answer';
}

// ---- the conversation id: URL hash first, then localStorage ----

function idFromHash() {
  const m = /^#\/?c\/([A-Za-z0-9_-]+)$/.exec(location.hash);
  return m ? m[1] : null;
}

function remember(id) {
  state.conversationId = id;
  try {
    if (id) localStorage.setItem(STORAGE_KEY, id);
    else localStorage.removeItem(STORAGE_KEY);
  } catch {
    /* storage may be disabled; the hash still works */
  }
  const hash = id ? '#/c/' + id : '';
  if (location.hash !== hash) history.replaceState(null, '', location.pathname + location.search + hash);
  markCurrent();
}

function storedId() {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

// ---- the thread ----

function clearThread() {
  forgetCharts(ui.thread);
  for (const node of [...ui.thread.children]) if (node !== ui.welcome) node.remove();
}

function showWelcome(show) {
  ui.welcome.hidden = !show;
  if (show) {
    ui.starters.replaceChildren(...chips(state.starters, ask).children);
  }
}

function userMessage(text) {
  const art = el('article', 'message message-user');
  art.setAttribute('aria-label', 'You asked');
  art.append(el('p', 'message-text', text));
  return art;
}

function thinking() {
  const art = el('article', 'message message-answer thinking');
  art.setAttribute('role', 'status');
  art.append(avatar());
  const body = el('div', 'message-body');
  const dots = el('span', 'dots');
  dots.append(el('span'), el('span'), el('span'));
  body.append(dots, el('span', 'thinking-text', 'Working out the answer…'));
  art.append(body);
  return art;
}

function avatar() {
  const a = el('div', 'avatar');
  a.setAttribute('aria-hidden', 'true');
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 32 32');
  for (const [x, y, h] of [[5, 17, 10], [13.5, 11, 16], [22, 6, 21]]) {
    const r = document.createElementNS(SVG_NS, 'rect');
    r.setAttribute('x', x);
    r.setAttribute('y', y);
    r.setAttribute('width', '5');
    r.setAttribute('height', h);
    r.setAttribute('rx', '1.5');
    svg.append(r);
  }
  a.append(svg);
  return a;
}

function errorMessage(err, question, retry) {
  const art = el('article', 'message message-answer message-error');
  art.setAttribute('role', 'alert');
  art.append(avatar());
  const body = el('div', 'message-body');
  const p = el('p');
  p.append(el('strong', null, 'No answer this time. '), err?.message || String(err));
  body.append(p);
  if (retry) {
    const tools = el('div', 'answer-tools');
    tools.append(button('Try again', { iconName: 'retry', onClick: () => retry(art) }));
    body.append(tools);
  }
  art.append(body);
  art.dataset.question = question;
  return art;
}

// A toggle button and the panel it shows, for "Show SQL" / "How I read it".
function disclosure(label, iconName, panel, id) {
  panel.id = id;
  panel.hidden = true;
  panel.classList.add('disclosure');
  const b = button(label, { cls: 'button button-quiet', iconName });
  b.setAttribute('aria-expanded', 'false');
  b.setAttribute('aria-controls', id);
  b.addEventListener('click', () => {
    const open = b.getAttribute('aria-expanded') !== 'true';
    b.setAttribute('aria-expanded', String(open));
    panel.hidden = !open;
  });
  return b;
}

let panelSeq = 0;

function answerMessage(answer, question) {
  const outcome = answer.outcome || 'answered';
  const art = el('article', `message message-answer outcome-${outcome}`);
  art.setAttribute('aria-label', 'finq answered');
  if (answer.message_id) art.dataset.messageId = answer.message_id;
  art.dataset.outcome = outcome;
  art.append(avatar());
  const body = el('div', 'message-body');
  art.append(body);

  const text = el('div', 'markdown');
  text.append(relabelTextNodes(renderMarkdown(answer.message || '')));
  body.append(text);

  // the parser reads service names as well as codes: a chip asks what it shows
  const suggestions = Array.isArray(answer.suggestions)
    ? answer.suggestions.filter((s) => typeof s === 'string' && s).map(questionWithServiceNames) : [];
  if (outcome === 'clarified') {
    // the choices are also bullets in the message; chips are the way to pick
    text.querySelectorAll('ul').forEach((ul) => {
      const items = [...ul.querySelectorAll('li')].map((li) => li.textContent);
      if (items.every((t) => suggestions.includes(t))) ul.remove();
    });
    if (suggestions.length) body.append(chips(suggestions, ask, 'Choices'));
  }

  const fmt = answerFormat(answer, state.currency);
  const spec = Array.isArray(answer.charts) ? answer.charts.find((c) => c && typeof c === 'object') : null;
  if (spec) body.append(renderChart(spec));

  const columns = Array.isArray(answer.columns) ? answer.columns : [];
  const rows = Array.isArray(answer.rows) ? answer.rows : [];
  const hasTable = columns.length > 0 && rows.length > 0 && !(spec?.type === 'kpi' && rows.length === 1 && columns.length <= 2);
  if (hasTable) {
    // "all_<measure>" repeats the whole on every row of a top N: the chart's
    // "Other" and the CSV keep it, the table need not
    const shown = columns.map((c, i) => i).filter((i) => !(rows.length > 1 && /^all_/.test(String(columns[i]))));
    body.append(renderTable(shown.map((i) => columns[i]), rows.map((r) => shown.map((i) => r[i])), fmt));
  }

  const tools = el('div', 'answer-tools');
  const panels = el('div', 'answer-panels');
  const n = ++panelSeq;
  if (columns.length > 0 && rows.length > 0) {
    tools.append(button('Download CSV', {
      cls: 'button button-quiet', iconName: 'csv',
      onClick: () => downloadCsv(columns, rows, `finq-${slug(question)}.csv`),
    }));
  }
  if (answer.sql) {
    const pre = el('pre', 'sql');
    pre.append(el('code', null, answer.sql));
    const panel = el('div');
    panel.append(pre);
    const copy = button('Copy', { cls: 'button button-quiet button-small', iconName: 'copy' });
    copy.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(answer.sql);
        copy.querySelector('.button-label').textContent = 'Copied';
      } catch {
        copy.querySelector('.button-label').textContent = 'Select and copy';
      }
    });
    panel.append(copy);
    tools.append(disclosure('Show SQL', 'code', panel, `sql-${n}`));
    panels.append(panel);
  }
  if (answer.interpretation && outcome === 'answered') {
    const panel = el('div', 'reading');
    panel.append(el('p', null, answer.interpretation));
    const facts = [];
    if (typeof answer.elapsed_ms === 'number') facts.push(`answered in ${answer.elapsed_ms < 10 ? answer.elapsed_ms.toFixed(1) : Math.round(answer.elapsed_ms)} ms`);
    if (answer.plan?.intent) facts.push(`intent: ${answer.plan.intent}`);
    if (rows.length) facts.push(`${rows.length} row${rows.length === 1 ? '' : 's'}`);
    if (facts.length) panel.append(el('p', 'reading-facts', facts.join(' · ')));
    // each word and its role: what finq read, and how
    if (Array.isArray(answer.reading) && answer.reading.length) {
      const words = el('p', 'reading-words');
      for (const w of answer.reading) {
        if (!w || typeof w.word !== 'string') continue;
        const span = el('span', `reading-word role-${String(w.role).replace(/[^a-z]/g, '')}`, w.word);
        span.title = [w.role, w.corrected ? `read as '${w.corrected}'` : '', w.read_as || ''].filter(Boolean).join(': ');
        words.append(span, ' ');
      }
      panel.append(words);
    }
    tools.append(disclosure('How I read it', 'reading', panel, `reading-${n}`));
    panels.append(panel);
  }
  if (answer.message_id) tools.append(feedback(answer.message_id, panels));
  if (tools.children.length) body.append(tools, panels);

  if (outcome !== 'clarified' && suggestions.length) {
    body.append(chips(suggestions, ask, 'Suggested follow-ups'));
  }
  return art;
}

function feedback(messageId, panels) {
  const box = el('div', 'feedback');
  box.setAttribute('role', 'group');
  box.setAttribute('aria-label', 'Was this answer helpful?');
  const up = button('', { cls: 'icon-button thumb', iconName: 'up', aria: 'Helpful' });
  const down = button('', { cls: 'icon-button thumb', iconName: 'down', aria: 'Not helpful' });
  up.setAttribute('aria-pressed', 'false');
  down.setAttribute('aria-pressed', 'false');
  const status = el('span', 'feedback-status');
  status.setAttribute('role', 'status');
  box.append(up, down, status);

  const form = el('form', 'feedback-form');
  form.hidden = true;
  const label = el('label', null, 'What was wrong or missing? (optional)');
  const area = el('textarea');
  area.rows = 2;
  area.maxLength = 2000;
  label.htmlFor = area.id = `feedback-${messageId}`;
  const actions = el('div', 'feedback-actions');
  const submit = el('button', 'button button-primary', 'Send feedback');
  submit.type = 'submit';
  actions.append(submit, button('Cancel', { cls: 'button button-quiet', onClick: () => { form.hidden = true; down.focus(); } }));
  form.append(label, area, actions);
  panels.append(form);

  async function record(helpful, comment) {
    up.disabled = down.disabled = true;
    status.textContent = 'Sending…';
    try {
      await API.sendFeedback(messageId, helpful, comment);
      up.setAttribute('aria-pressed', String(helpful));
      down.setAttribute('aria-pressed', String(!helpful));
      status.textContent = 'Thanks, feedback recorded';
      box.classList.add('is-recorded');
      form.hidden = true;
    } catch (err) {
      status.textContent = `Not recorded: ${err.message}`;
      up.disabled = down.disabled = false;
    }
  }
  up.addEventListener('click', () => record(true));
  down.addEventListener('click', () => {
    form.hidden = false;
    area.focus();
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    record(false, area.value.trim() || undefined);
  });
  form.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      form.hidden = true;
      down.focus();
    }
  });
  return box;
}

// Screen readers hear the answer's text, not the whole card.
function announce(text) {
  const a = $('announcer');
  a.textContent = '';
  setTimeout(() => {
    a.textContent = text;
  }, 50);
}

function append(node) {
  ui.thread.append(node);
  return node;
}

function scrollToShow(node) {
  node.scrollIntoView({ block: 'start', behavior: matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth' });
}

// ---- asking ----

async function ask(question, { retryOf } = {}) {
  question = String(question || '').trim();
  if (!question || state.busy) return;
  state.busy = true;
  ui.send.disabled = true;
  showWelcome(false);
  closePanelOnPhone();
  const pending = thinking();
  let userEl = null;
  if (retryOf) {
    retryOf.replaceWith(pending); // the question is already above it
  } else {
    userEl = append(userMessage(question));
    append(pending);
  }
  if (ui.question.value.trim() === question) ui.question.value = '';
  autosize();
  scrollToShow(userEl || pending);
  pushHistory(question);
  const startedIn = state.conversationId;
  try {
    const answer = await API.chat(question, state.conversationId);
    if (!pending.isConnected || state.conversationId !== startedIn) {
      // the reader moved to another conversation meanwhile: it is in the list
      refreshConversations();
      return;
    }
    const node = answerMessage(answer, question);
    pending.replaceWith(node);
    announce(`finq answered: ${node.querySelector('.markdown')?.textContent || ''}`);
    if (answer.conversation_id && answer.conversation_id !== state.conversationId) remember(answer.conversation_id);
    refreshConversations();
  } catch (err) {
    if (!pending.isConnected) return;
    const node = errorMessage(err, question, (card) => ask(question, { retryOf: card }));
    pending.replaceWith(node);
    announce(`No answer: ${err?.message || err}`);
    // never lose what was typed
    if (!ui.question.value.trim()) {
      ui.question.value = question;
      autosize();
    }
  } finally {
    state.busy = false;
    ui.send.disabled = false;
  }
}

function pushHistory(q) {
  if (state.history[state.history.length - 1] !== q) state.history.push(q);
  state.recall = -1;
}

// ---- conversations ----

async function openConversation(id, { quiet = false } = {}) {
  if (insights) showView('chat');
  const seq = ++state.loadSeq;
  clearThread();
  showWelcome(false);
  remember(id);
  state.history = [];
  state.recall = -1;
  if (!id) {
    showWelcome(true);
    document.title = 'finq';
    return;
  }
  const loading = append(el('p', 'thread-note', 'Loading the conversation…'));
  try {
    const conv = await API.getConversation(id);
    if (seq !== state.loadSeq) return;
    loading.remove();
    document.title = `${conv.title || 'Conversation'} · finq`;
    const messages = Array.isArray(conv.messages) ? conv.messages : [];
    for (const m of messages) renderStored(m);
    if (!messages.length) showWelcome(true);
    // show the last question and the start of its answer
    const lastQuestion = [...ui.thread.querySelectorAll('.message-user')].pop();
    lastQuestion?.scrollIntoView({ block: 'start' });
  } catch (err) {
    if (seq !== state.loadSeq) return;
    loading.remove();
    if (err.status === 404) {
      remember(null);
      showWelcome(true);
      if (!quiet) append(el('p', 'thread-note', 'That conversation no longer exists; this is a new one.'));
    } else {
      append(errorMessage(err, '', () => openConversation(id)));
    }
  }
}

// One stored message: {id, question, plan, answer, outcome, created_at};
// `answer` is the answer object of /chat (or, from an older server, its text).
function renderStored(m) {
  const question = m.question || '';
  if (question) {
    append(userMessage(question));
    pushHistory(question);
  }
  let answer = m.answer;
  if (typeof answer === 'string') answer = { message: answer };
  if (!answer || typeof answer !== 'object') answer = { message: '' };
  answer = {
    ...answer,
    message_id: answer.message_id || m.id,
    outcome: answer.outcome || m.outcome,
    plan: answer.plan || m.plan,
  };
  append(answerMessage(answer, question));
}

async function refreshConversations() {
  try {
    state.conversations = await API.listConversations();
  } catch (err) {
    ui.panelEmpty.hidden = false;
    ui.panelEmpty.textContent = `Conversations are not available: ${err.message}`;
    return;
  }
  renderConversations();
}

function renderConversations() {
  const items = [...state.conversations].sort((a, b) => String(b.updated_at || b.created_at || '').localeCompare(String(a.updated_at || a.created_at || '')));
  ui.list.replaceChildren(...items.map(conversationItem));
  ui.panelEmpty.hidden = items.length > 0;
  ui.panelEmpty.textContent = 'No conversations yet. Ask a question to start one.';
  markCurrent();
}

function markCurrent() {
  for (const li of ui.list.children) {
    const open = li.querySelector('.conv-open');
    if (li.dataset.id === state.conversationId) {
      li.classList.add('is-current');
      open?.setAttribute('aria-current', 'true');
    } else {
      li.classList.remove('is-current');
      open?.removeAttribute('aria-current');
    }
  }
}

function messageCount(c) {
  if (Array.isArray(c.messages)) return c.messages.length;
  if (typeof c.messages === 'number') return c.messages;
  return null;
}

function conversationItem(c) {
  const li = el('li', 'conv');
  li.dataset.id = c.id;
  const title = c.title || 'Untitled conversation';
  const open = el('button', 'conv-open');
  open.type = 'button';
  open.append(el('span', 'conv-title', title));
  const count = messageCount(c);
  const meta = [count === null ? null : `${count} question${count === 1 ? '' : 's'}`, formatWhen(c.updated_at || c.created_at)].filter(Boolean).join(' · ');
  open.append(el('span', 'conv-meta', meta));
  open.addEventListener('click', () => {
    closePanelOnPhone();
    if (c.id !== state.conversationId) openConversation(c.id);
    ui.question.focus();
  });

  const menuButton = button('', { cls: 'icon-button conv-menu-button', iconName: 'more', aria: `Actions for “${title}”` });
  menuButton.setAttribute('aria-haspopup', 'menu');
  menuButton.setAttribute('aria-expanded', 'false');
  const menu = el('div', 'menu');
  menu.setAttribute('role', 'menu');
  menu.setAttribute('aria-label', `Actions for “${title}”`);
  menu.hidden = true;
  const item = (label, onClick, cls) => {
    const b = el('button', 'menu-item' + (cls ? ' ' + cls : ''), label);
    b.type = 'button';
    b.setAttribute('role', 'menuitem');
    b.tabIndex = -1;
    b.addEventListener('click', () => {
      closeMenus();
      onClick();
    });
    return b;
  };
  const link = (label, href) => {
    const a = el('a', 'menu-item', label);
    a.href = href;
    a.setAttribute('download', '');
    a.setAttribute('role', 'menuitem');
    a.tabIndex = -1;
    a.addEventListener('click', () => closeMenus());
    return a;
  };
  menu.append(
    item('Rename', () => startRename(li, c)),
    link('Export as Markdown', API.exportUrl(c.id, 'md')),
    link('Export as JSON', API.exportUrl(c.id, 'json')),
    item('Delete…', () => confirmDelete(li, c), 'danger'),
  );
  menuButton.addEventListener('click', (e) => {
    e.stopPropagation();
    const wasOpen = !menu.hidden;
    closeMenus();
    if (!wasOpen) {
      menu.hidden = false;
      menuButton.setAttribute('aria-expanded', 'true');
      menu.querySelector('.menu-item')?.focus();
    }
  });
  menu.addEventListener('keydown', (e) => {
    const items = [...menu.querySelectorAll('.menu-item')];
    const i = items.indexOf(document.activeElement);
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const next = (i + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length;
      items[next].focus();
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      items[e.key === 'Home' ? 0 : items.length - 1].focus();
    } else if (e.key === 'Escape' || e.key === 'Tab') {
      if (e.key === 'Escape') e.preventDefault();
      closeMenus();
      if (e.key === 'Escape') menuButton.focus();
    }
  });
  li.append(open, menuButton, menu);
  return li;
}

function closeMenus() {
  for (const m of ui.list.querySelectorAll('.menu')) {
    m.hidden = true;
    m.parentElement.querySelector('.conv-menu-button')?.setAttribute('aria-expanded', 'false');
  }
}

function startRename(li, c) {
  const form = el('form', 'conv-rename');
  const input = el('input');
  input.type = 'text';
  input.value = c.title || '';
  input.maxLength = 200;
  input.setAttribute('aria-label', 'Conversation title');
  const save = el('button', 'button button-primary button-small', 'Save');
  save.type = 'submit';
  const cancel = button('Cancel', { cls: 'button button-quiet button-small' });
  form.append(input, save, cancel);
  const saved = [...li.children];
  li.replaceChildren(form);
  li.classList.add('is-editing');
  input.focus();
  input.select();
  let done = false;
  const restore = () => {
    done = true;
    li.classList.remove('is-editing');
    li.replaceChildren(...saved);
    li.querySelector('.conv-open')?.focus();
  };
  cancel.addEventListener('click', restore);
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      restore();
    }
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const title = input.value.trim();
    if (done) return;
    if (!title || title === c.title) {
      restore();
      return;
    }
    save.disabled = true;
    try {
      await API.renameConversation(c.id, title);
      done = true;
      if (c.id === state.conversationId) document.title = `${title} · finq`;
      await refreshConversations();
      ui.list.querySelector(`[data-id="${CSS.escape(c.id)}"] .conv-open`)?.focus();
    } catch (err) {
      save.disabled = false;
      input.setCustomValidity(err.message);
      input.reportValidity();
      input.addEventListener('input', () => input.setCustomValidity(''), { once: true });
    }
  });
}

function confirmDelete(li, c) {
  const box = el('div', 'conv-confirm');
  box.setAttribute('role', 'alertdialog');
  box.setAttribute('aria-label', 'Delete conversation');
  box.append(el('p', null, `Delete “${c.title || 'Untitled conversation'}”? This cannot be undone.`));
  const yes = button('Delete', { cls: 'button button-danger button-small' });
  const no = button('Cancel', { cls: 'button button-quiet button-small' });
  const row = el('div', 'conv-confirm-actions');
  row.append(yes, no);
  box.append(row);
  const saved = [...li.children];
  li.replaceChildren(box);
  li.classList.add('is-confirming');
  no.focus();
  const restore = () => {
    li.classList.remove('is-confirming');
    li.replaceChildren(...saved);
    li.querySelector('.conv-menu-button')?.focus();
  };
  no.addEventListener('click', restore);
  box.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') restore();
  });
  yes.addEventListener('click', async () => {
    yes.disabled = no.disabled = true;
    try {
      await API.deleteConversation(c.id);
      if (c.id === state.conversationId) openConversation(null);
      await refreshConversations();
      ui.newConversation.focus();
    } catch (err) {
      box.querySelector('p').textContent = `Not deleted: ${err.message}`;
      yes.disabled = no.disabled = false;
    }
  });
}

// ---- the panel on phones ----

const phone = matchMedia('(max-width: 760px)');

function setPanel(open) {
  document.body.classList.toggle('panel-open', open);
  ui.panelToggle.setAttribute('aria-expanded', String(open));
  ui.backdrop.hidden = !open;
  if (open) (ui.list.querySelector('.is-current .conv-open') || ui.newConversation).focus();
}

function closePanelOnPhone() {
  if (phone.matches && document.body.classList.contains('panel-open')) setPanel(false);
}

// ---- the header: data at a glance ----

function setText(id, text) {
  $(id).textContent = text ?? '';
}

function topServiceOf(s) {
  const t = s.top_service;
  if (!t) {
    const r = s.top_services?.rows?.[0];
    return r ? { name: r[0], amount: r[2], share: r[3] } : null;
  }
  if (typeof t === 'string') return { name: t };
  return {
    name: t.name || t.service || t.service_code || t.service_name,
    amount: t.amount ?? t.amortized_cost ?? t.cost,
    share: t.share_pct,
    period: t.month ? formatMonth(t.month) : t.period || t.label,
  };
}

function rangeOf(s) {
  const r = s.date_range;
  if (typeof r === 'string') return { text: r };
  const first = r?.first_day || r?.start || r?.from || s.summary?.first_day;
  const last = r?.last_day || r?.end || r?.to || s.summary?.last_day;
  return first && last ? { text: `${formatDate(first)} – ${formatDate(last)}` } : null;
}

function renderSummary(s) {
  setServiceNames(s.service_names, s.service_names_unread);
  const summary = s.summary || {};
  state.currency = summary.currency || s.currency || state.currency;
  const money = (v) => formatValue(v, { format: 'currency', currency: state.currency });
  const rows = summary.rows ?? s.rows;

  const mtd = s.month_to_date;
  const change = $('mtd-change');
  change.className = 'change';
  if (mtd && typeof mtd.amount === 'number') {
    setText('mtd-value', money(mtd.amount));
    if (typeof mtd.change_pct === 'number' && Number.isFinite(mtd.change_pct)) {
      const up = mtd.change_pct > 0;
      change.textContent = `${up ? '▲' : mtd.change_pct < 0 ? '▼' : '■'} ${formatChange(mtd.change_pct)}`;
      change.classList.add(up ? 'is-up' : mtd.change_pct < 0 ? 'is-down' : 'is-flat');
      change.title = mtd.compared || (up ? 'Spending more than the same days last month' : 'Spending less than the same days last month');
    } else {
      change.textContent = '';
    }
    // the change compares daily usage only (mtd.compared says which days); the fees booked on the 1st apart
    setText('mtd-sub', mtd.compared || (typeof mtd.same_days_last_month === 'number' ? 'vs same days last month' : ''));
    $('mtd-sub').title = typeof mtd.usage === 'number'
      ? `Usage ${money(mtd.usage)} vs ${money(mtd.same_days_last_month)} the same days last month; fees booked this month ${money(mtd.fees)}, last month ${money(mtd.fees_last_month ?? 0)}` : '';
    const asof = mtd.as_of ? `to ${formatDate(mtd.as_of, { year: false })}` : '';
    setText('mtd-asof', mtd.past_month && mtd.month_label ? ` · ${mtd.month_label}, ${asof}` : asof ? ` · ${asof}` : '');
    $('glance-mtd').hidden = false;
  } else {
    $('glance-mtd').hidden = true;
  }

  const top = topServiceOf(s);
  if (top?.name) {
    setText('top-value', top.name);
    $('top-value').title = top.name;
    const bits = [];
    if (typeof top.amount === 'number') bits.push(money(top.amount));
    if (typeof top.share === 'number') bits.push(`${formatValue(top.share, { format: 'percent' })} of spend`);
    if (top.period) bits.push(top.period);
    setText('top-sub', bits.join(' · '));
    $('glance-top').hidden = false;
  } else {
    $('glance-top').hidden = true;
  }

  const range = rangeOf(s);
  if (range && rows !== 0) {
    setText('range-value', range.text);
    setText('range-sub', typeof rows === 'number' ? `${formatValue(rows, { format: 'integer' })} line items` : '');
  } else {
    setText('range-value', 'No data loaded');
    setText('range-sub', 'Upload a CUR or FOCUS export');
  }
  $('glance-range').hidden = false;

  if (Array.isArray(s.starter_questions) && s.starter_questions.length) {
    state.starters = s.starter_questions.filter((q) => typeof q === 'string' && q);
  }
  if (!ui.welcome.hidden) showWelcome(true);
}

async function refreshSummary() {
  try {
    renderSummary(await API.dataSummary());
  } catch (err) {
    $('glance-mtd').hidden = true;
    $('glance-top').hidden = true;
    setText('range-value', err.status === 404 || err.code === 'no_data' ? 'No data loaded' : 'Summary unavailable');
    setText('range-sub', err.status === 404 || err.code === 'no_data' ? 'Upload a CUR or FOCUS export' : err.message);
  }
}

// ---- upload ----

function uploadStatus(text, kind) {
  ui.uploadStatus.hidden = !text;
  ui.uploadStatus.textContent = text || '';
  ui.uploadStatus.title = text || ''; // the whole of it when the header shortens it
  ui.uploadStatus.className = 'upload-status' + (kind ? ' is-' + kind : '');
}

function loadedRows(r) {
  const rep = r?.load || r?.report || r;
  return rep?.rows ?? rep?.rows_loaded ?? rep?.loaded_rows ?? null;
}

async function upload(file) {
  ui.uploadButton.disabled = true;
  uploadStatus(`Uploading ${file.name}…`);
  try {
    const report = await API.uploadData(file, (f) => {
      uploadStatus(f < 1 ? `Uploading ${file.name}… ${Math.round(f * 100)}%` : `Loading ${file.name} into finq…`);
    });
    const n = loadedRows(report);
    // the count first: the header may shorten the end of it
    uploadStatus(`Loaded ${typeof n === 'number' ? `${formatValue(n, { format: 'integer' })} rows from ` : ''}${file.name}`, 'ok');
    if (report?.summary) renderSummary(report.summary.summary ? report.summary : { ...report, summary: report.summary });
    await refreshSummary();
    insights?.reset(); // the analyses are of the new data from now on
  } catch (err) {
    uploadStatus(`Upload failed: ${err.message}`, 'error');
  } finally {
    ui.uploadButton.disabled = false;
    ui.uploadInput.value = '';
  }
}

// ---- the composer ----

function autosize() {
  const q = ui.question;
  q.style.height = 'auto';
  q.style.height = Math.min(q.scrollHeight, 200) + 'px';
}

function onKey(e) {
  const q = ui.question;
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    ask(q.value);
    return;
  }
  if (e.key === 'ArrowUp' && !e.shiftKey && state.history.length) {
    const recalling = state.recall >= 0 && q.value === state.history[state.recall];
    if (q.value === '' || (recalling && q.selectionStart === 0)) {
      e.preventDefault();
      state.recall = recalling ? Math.max(0, state.recall - 1) : state.history.length - 1;
      q.value = state.history[state.recall];
      autosize();
      q.setSelectionRange(0, 0);
    }
  } else if (e.key === 'ArrowDown' && state.recall >= 0 && q.value === state.history[state.recall]) {
    e.preventDefault();
    state.recall += 1;
    q.value = state.recall < state.history.length ? state.history[state.recall] : '';
    if (state.recall >= state.history.length) state.recall = -1;
    autosize();
  }
}

// ---- views: the chat and the insights ----

let insights = null;

function showView(name) {
  const isInsights = name === 'insights';
  $('chat').hidden = isInsights;
  $('insights').hidden = !isInsights;
  for (const [tab, on] of [[$('tab-chat'), !isInsights], [$('tab-insights'), isInsights]]) {
    tab.setAttribute('aria-selected', String(on));
    tab.tabIndex = on ? 0 : -1;
  }
  document.body.classList.toggle('view-insights', isInsights);
  if (isInsights) insights.show();
}

function setupViews() {
  insights = setupInsights($('insights'), {
    // a question about an item: asked in the chat, in this conversation
    ask: (q) => {
      showView('chat');
      ask(q);
    },
    currency: () => state.currency,
  });
  const tabs = [$('tab-chat'), $('tab-insights')];
  tabs.forEach((tab, i) => {
    tab.addEventListener('click', () => showView(i ? 'insights' : 'chat'));
    tab.addEventListener('keydown', (e) => {
      if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
      const other = tabs[1 - i];
      showView(other === tabs[1] ? 'insights' : 'chat');
      other.focus();
    });
  });
}

// ---- start ----

function start() {
  watchColourScheme();
  setupViews();
  ui.composer.addEventListener('submit', (e) => {
    e.preventDefault();
    ask(ui.question.value);
  });
  ui.question.addEventListener('keydown', onKey);
  ui.question.addEventListener('input', autosize);
  const placeholder = () => {
    ui.question.placeholder = phone.matches ? 'Ask about your costs' : 'Ask about your costs, e.g. top 5 services last month';
  };
  placeholder();
  phone.addEventListener('change', placeholder);
  ui.newConversation.addEventListener('click', () => {
    closePanelOnPhone();
    openConversation(null);
    ui.question.focus();
  });
  ui.panelToggle.addEventListener('click', () => setPanel(!document.body.classList.contains('panel-open')));
  ui.backdrop.addEventListener('click', () => setPanel(false));
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && document.body.classList.contains('panel-open')) {
      setPanel(false);
      ui.panelToggle.focus();
    }
  });
  phone.addEventListener('change', () => setPanel(false));
  document.addEventListener('click', (e) => {
    if (!e.target.closest?.('.menu')) closeMenus();
  });
  ui.uploadButton.addEventListener('click', () => ui.uploadInput.click());
  ui.uploadInput.addEventListener('change', () => {
    const f = ui.uploadInput.files?.[0];
    if (f) upload(f);
  });
  window.addEventListener('hashchange', () => {
    const id = idFromHash();
    if (id !== state.conversationId) openConversation(id);
  });

  // the summary brings the service names the answers are shown with
  const named = refreshSummary();
  refreshConversations();
  named.finally(() => {
    // unless a question was asked meanwhile (or a conversation picked)
    if (!state.loadSeq && !ui.thread.querySelector('.message')) openConversation(idFromHash() || storedId(), { quiet: true });
  });
  if (!phone.matches) ui.question.focus(); // not on phones: it would pop the keyboard up
}

start();
