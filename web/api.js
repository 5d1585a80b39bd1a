// SPDX-License-Identifier: MIT
// api.js - talks to the tsunagu server that served the page (relative URLs
// only: the page reaches no other origin). Errors come back as
// {"error": sentence, "code": stable name}; api() throws an Error whose
// message is the page's translation of the code with the sentence
// (errorText), carrying the status and the code. Signed in, every request carries Authorization: Bearer TOKEN;
// the token lives in sessionStorage (gone when the tab closes), never in a
// URL, a cookie or localStorage.

import { t, getLang } from './i18n.js';

const TOKEN_KEY = 'tsunagu.token';

// An error the page shows: the page's own words for the server's stable
// code (in Japanese, with the server's English sentence after them).
export function errorText(code, sentence) {
  const key = `err_${code || 'internal'}`;
  const own = t(key);
  if (getLang() !== 'ja' || own === key) return sentence;
  return t('err_detail', { ja: own, en: sentence });
}

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value) {
  if (value) sessionStorage.setItem(TOKEN_KEY, value); else sessionStorage.removeItem(TOKEN_KEY);
}

export async function api(path, options = {}) {
  const headers = new Headers(options.headers || {});
  const t = token();
  if (t) headers.set('Authorization', `Bearer ${t}`);
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
