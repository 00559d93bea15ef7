// Calls to finq's JSON API (same origin, /api/v1/...). Every call resolves to
// the decoded JSON body or rejects with an ApiError carrying the server's
// {"error": {"code", "message"}}; nothing here touches the DOM. auth.js adds
// the API token when the server asks for one.
import { authFetch, authHeaders, askToken } from './auth.js';

export class ApiError extends Error {
  constructor(message, code, status) {
    super(message);
    this.name = 'ApiError';
    this.code = code || 'error';
    this.status = status || 0;
  }
}

function decode(text) {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function errorOf(status, statusText, body) {
  const e = body && typeof body === 'object' ? body.error : null;
  const message = (e && (e.message || e.code)) || `the server answered ${status}${statusText ? ' ' + statusText : ''}`;
  return new ApiError(message, e?.code, status);
}

export async function api(method, path, body, { signal } = {}) {
  const init = { method, headers: { Accept: 'application/json' }, signal };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await authFetch(path, init);
  } catch (err) {
    if (err?.name === 'AbortError') throw err;
    throw new ApiError('finq is not reachable: is `finq serve` still running?', 'unreachable', 0);
  }
  const text = await res.text();
  const data = decode(text);
  if (!res.ok) throw errorOf(res.status, res.statusText, data);
  if (data === undefined) throw new ApiError('the server sent something that is not JSON', 'bad_response', res.status);
  return data;
}

export const chat = (message, conversationId) =>
  api('POST', '/api/v1/chat', conversationId ? { message, conversation_id: conversationId } : { message });

export async function listConversations() {
  const data = await api('GET', '/api/v1/conversations');
  return Array.isArray(data) ? data : Array.isArray(data?.conversations) ? data.conversations : [];
}

const conv = (id) => '/api/v1/conversations/' + encodeURIComponent(id);
export const getConversation = (id) => api('GET', conv(id));
export const renameConversation = (id, title) => api('PATCH', conv(id), { title });
export const deleteConversation = (id) => api('DELETE', conv(id));
export const exportUrl = (id, format) => conv(id) + '/export?format=' + format;
export const dataSummary = () => api('GET', '/api/v1/data/summary');
export const sendFeedback = (messageId, helpful, comment) =>
  api('POST', '/api/v1/feedback', comment ? { message_id: messageId, helpful, comment } : { message_id: messageId, helpful });

// Upload a billing export as the one file of a multipart form (so that the
// server's messages can name it), with progress. onProgress(fraction) runs
// while the bytes go up; the promise resolves to the server's answer
// ({load, summary}) once it has loaded them.
export function uploadData(file, onProgress) {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    form.append('file', file, file.name);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/v1/data');
    xhr.setRequestHeader('Accept', 'application/json');
    for (const [name, value] of Object.entries(authHeaders())) xhr.setRequestHeader(name, value);
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) onProgress?.(e.loaded / e.total);
    });
    xhr.upload.addEventListener('load', () => onProgress?.(1));
    xhr.addEventListener('load', () => {
      const data = decode(xhr.responseText);
      if (xhr.status === 401) askToken(); // for the next try
      if (xhr.status >= 200 && xhr.status < 300 && data !== undefined) resolve(data);
      else reject(errorOf(xhr.status, xhr.statusText, data));
    });
    xhr.addEventListener('error', () => reject(new ApiError('the upload did not reach finq', 'unreachable', 0)));
    xhr.addEventListener('abort', () => reject(new ApiError('the upload was cancelled', 'aborted', 0)));
    xhr.send(form);
  });
}

// The analyses (src/insight/insight.h): the list, and one run with the words that
// narrow it and its options ({q, months, backtest, limit}).
export async function listInsights() {
  const data = await api('GET', '/api/v1/insights');
  return Array.isArray(data?.insights) ? data.insights : [];
}

export function runInsight(name, params = {}) {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') query.set(k, String(v));
  const qs = query.toString();
  return api('GET', '/api/v1/insights/' + encodeURIComponent(name) + (qs ? '?' + qs : ''));
}
