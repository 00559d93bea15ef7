// The API token of a server that asks for one (`finq serve` beyond loopback).
// When the API answers 401, ask for the token (once: calls that fail
// together share the answer, and a cancelled prompt is not shown again until
// the page reloads), keep it in sessionStorage for this tab only, and send it
// as "Authorization: Bearer <token>". On loopback the server answers without
// a token, so none of this shows. With a token kept, download links to the API
// (conversation exports) are fetched with it and saved from a blob.
// An ES module with no inline code, so the Content-Security-Policy holds.

const KEY = 'finq.apiToken';
let declined = false;

function stored() {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null; // storage disabled: ask every time instead
  }
}

export function authHeaders() {
  const token = stored();
  return token ? { Authorization: 'Bearer ' + token } : {};
}

// Ask for a token after a 401; true when there is a new one to retry with.
export function askToken() {
  if (declined) return false;
  const token = (window.prompt('This finq server needs an API token (its owner makes one with `finq token create NAME`):') || '').trim();
  try {
    if (token) sessionStorage.setItem(KEY, token);
    else sessionStorage.removeItem(KEY);
  } catch {
    /* kept for this call only */
  }
  if (!token) declined = true;
  return Boolean(token);
}

// fetch() with the token; on a 401 ask for one (unless another call already
// got a new one meanwhile) and try once more.
export async function authFetch(path, init = {}) {
  const sent = stored();
  const attempt = () => fetch(path, { ...init, headers: { ...init.headers, ...authHeaders() } });
  const res = await attempt();
  if (res.status !== 401) return res;
  if (stored() === sent && !askToken()) return res;
  return attempt();
}

document.addEventListener('click', async (e) => {
  const link = e.target instanceof Element ? e.target.closest('a[download][href^="/api/"]') : null;
  if (!link || !stored()) return;
  e.preventDefault();
  const res = await authFetch(link.getAttribute('href'));
  if (!res.ok) return;
  const name = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') || '')?.[1] || 'finq-export';
  const url = URL.createObjectURL(await res.blob());
  const save = document.createElement('a');
  save.href = url;
  save.download = name;
  document.body.append(save);
  save.click();
  save.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
});
