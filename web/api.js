// SPDX-License-Identifier: MIT
// api.js - talks to the tsunagu server that served the page (relative URLs
// only: the page reaches no other origin). Errors come back as
// {"error": sentence, "code": stable name}; api() throws an Error whose
// message is the page's translation of the code with the sentence
// (errorText), carrying the status and the code. Signing in sends the
// token once (POST /api/session with Authorization: Bearer TOKEN); the
// server answers with its own session id in an HttpOnly cookie, which the
// browser then sends from every tab of this server until sign-out or the
// end of the browser session. The page itself keeps no token or id: none
// is in a URL, sessionStorage, localStorage or anything script can read.
// Every request carries the X-Tsunagu-Request header, which the server
// asks of changes signed in by the cookie (a guard against cross-site
// requests, besides the cookie's SameSite=Strict).

import { t, getLang } from './i18n.js';

// The header the server asks of a change signed in by the cookie.
export const PAGE_HEADER = 'X-Tsunagu-Request';

// Tells the page's other tabs that the session opened or ended.
const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel('tsunagu.session') : null;

// An error the page shows: the page's own words for the server's stable
// code (in Japanese, with the server's English sentence after them).
export function errorText(code, sentence) {
  const key = `err_${code || 'internal'}`;
  const own = t(key);
  if (getLang() !== 'ja' || own === key) return sentence;
  return t('err_detail', { ja: own, en: sentence });
}

// Opens the server session with a token: true when the server took it.
// The token is not kept anywhere.
export async function signIn(tokenText) {
  const res = await fetch('api/session', {
    method: 'POST', credentials: 'same-origin',
    headers: { Authorization: `Bearer ${tokenText}`, [PAGE_HEADER]: '1' },
  });
  if (res.ok && channel) channel.postMessage('signed-in');
  return res.ok;
}

// Ends the server session (every tab of this browser is signed out).
export async function signOut() {
  await fetch('api/session', { method: 'DELETE', credentials: 'same-origin', headers: { [PAGE_HEADER]: '1' } });
  if (channel) channel.postMessage('signed-out');
}

// Calls fn when another tab signs in or out.
export function onSessionChange(fn) {
  if (channel) channel.onmessage = (ev) => fn(ev.data);
}

export async function api(path, options = {}) {
  const headers = new Headers(options.headers || {});
  headers.set(PAGE_HEADER, '1');
  const res = await fetch(path, { credentials: 'same-origin', ...options, headers });
  const type = res.headers.get('Content-Type') || '';
  const body = type.includes('json') ? await res.json() : null;
  if (!res.ok) {
    const err = new Error(errorText(body && body.code, body && body.error ? body.error : `HTTP ${res.status}`));
    err.status = res.status;
    err.code = body && body.code;
    err.sentence = body && body.error;
    throw err;
  }
  return body;
}

// Query string from an object, leaving out empty values.
export function qs(params) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, v);
  return p.toString();
}

export function postJSON(path, doc) {
  return api(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(doc) });
}

// Every feature of an OGC API - Features collection (bounded: 20 pages of
// 1000), used while the map tiles are not available.
export async function ogcFeatures(id) {
  const features = [];
  let url = `ogc/collections/${encodeURIComponent(id)}/items?limit=1000`;
  for (let page = 0; url && page < 20; page++) {
    const fc = await api(url);
    features.push(...fc.features);
    const next = (fc.links || []).find((l) => l.rel === 'next');
    const u = next ? new URL(next.href, location.href) : null;
    url = u ? u.pathname + u.search : null; // same origin: path only
  }
  return { type: 'FeatureCollection', features };
}
