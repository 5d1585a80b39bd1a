// SPDX-License-Identifier: MIT
// app.js - tsunagu's web page: starts the map, the walking settings, the
// language toggle, the layer toggles and legend, the three views (reach on
// foot here; coverage.js and route.js for the others) and the tabs between
// them. Plain ES modules, no build step; everything it asks for comes from
// the server that served the page. Sign-in: a token (from `tsunagu user
// add`) opens a server session (api.js: an HttpOnly cookie shared by the
// browser's tabs until sign-out, never seen by script); the coverage
// and route tabs appear only when the user's role allows them (the server
// enforces it either way). Signing in or out reloads the page, so nothing
// seen under one user stays on screen for the next. A resource's details
// (address, phone, hours, target) show in the numbered list (pin 3 = row
// 3), its popup and the printout; choosing one draws the walking path to
// it (/api/path). The search box finds facilities by name and addresses
// (/api/geocode); the 一覧 view lists every resource with keyword and kind
// search, with or without a walking network. Printing: print.js.

import { api, qs, signIn, signOut, onSessionChange } from './api.js';
import { el, fill, table, num } from './dom.js';
import * as i18n from './i18n.js';
import { createMap, coverageClasses, hiddenColor } from './mapview.js';
import { coverageView } from './coverage.js';
import { routeView } from './route.js';
import { hoursFilter } from './hours.js';
import { visitsView } from './visits.js';
import { editorView } from './editor.js';
import { officialView } from './official.js';
import { shareView } from './share.js';
import { householdsView, householdWords } from './households.js';
import { roundWords } from './round.js';
import { initPrint } from './print.js';
import { pageWords, mapLocale } from './page_words.js';

i18n.addWords(pageWords);
i18n.addWords(householdWords);
i18n.addWords(roundWords);

const $ = (id) => document.getElementById(id);

// What the page knows and shows.
const state = {
  meta: null,          // /api/meta
  levels: [],          // /api/levels, coarse to fine
  resources: [],       // /api/resources (public list)
  shownKinds: new Set(i18n.kinds.map((k) => k.key)),
  showOther: true,     // kinds outside the built-in list
  shownFields: new Set(i18n.fields.map((f) => f.key)),
  shownLevels: new Set(),
  origin: null,        // [lon, lat] last clicked
  reach: null,         // last /api/walk answer
  area: null,          // last /api/isochrone answer (the full minutes)
  rings: null,         // FeatureCollection of the 10/20/30-minute bands
  chosen: null,        // id of the resource chosen in the reach list
  districtsAt: [],     // /api/districts/at for the origin: [{level, code, name}]
  path: null,          // last /api/path answer
  me: null,            // /api/me when signed in, else null
};

// Steps count this many times their length when 階段を避ける is on.
const AVOID_STEPS_FACTOR = 5;

// What the signed-in user may use ("coverage", "suggest", "households", "route").
const can = (what) => !!(state.me && state.me.can.includes(what));

// The walking settings: {minutes, speed (m/min), steps (factor, 1 = none)}.
function walking() {
  const minutes = Number($('minutes').value);
  const choice = document.querySelector('input[name="speed"]:checked').value;
  const speed = choice === 'custom' ? Number($('speed-custom').value) : Number(choice);
  return { minutes, speed, steps: $('avoid-steps').checked ? AVOID_STEPS_FACTOR : 1 };
}

function status(id, text, isError = false) {
  const box = $(id);
  box.textContent = text || '';
  box.classList.toggle('error', isError);
}

// Does a resource pass the layer toggles? The field toggles choose among
// resources that name fields: one naming none (or "unspecified") is never
// hidden by them, one serving all fields always passes.
function shown(r) {
  const known = i18n.kinds.some((k) => k.key === r.kind);
  const kindOk = known ? state.shownKinds.has(r.kind) : state.showOther;
  const fields = (r.fields || '').split(';').filter((f) => f && f !== 'unspecified');
  if (!fields.length || fields.includes('all')) return kindOk;
  return kindOk && fields.some((f) => state.shownFields.has(f));
}

// A coloured badge with the kind's letter (kinds differ by letter, not by
// colour alone; colours set through CSSOM: the page's CSP allows no inline
// style attributes).
function kindDot(kind) {
  const k = i18n.kinds.find((x) => x.key === kind);
  const dot = el('span', { class: 'dot', 'aria-hidden': 'true' }, k ? k.letter : '他');
  dot.style.backgroundColor = k ? k.color : i18n.otherKindColor;
  return dot;
}

// A phone number as a tel: link (digits, + and - only in the link).
function phoneLink(contact) {
  if (!contact) return null;
  const digits = contact.replace(/[^0-9+]/g, '');
  if (digits.length < 6) return contact;
  return el('a', { href: `tel:${digits}` }, contact);
}

// A resource's details as definition-list rows (list, popup, print).
function details(r) {
  const rows = [
    ['address', r.address], ['phone', r.contact ? phoneLink(r.contact) : null],
    ['hours', r.schedule ? i18n.scheduleLabel(r.schedule) : null], ['target', r.target], ['operator', r.operator],
  ].filter(([, v]) => v);
  return el('dl', { class: 'details' }, rows.flatMap(([k, v]) => [el('dt', {}, i18n.t(k)), el('dd', {}, v)]));
}

// The public record of a resource (address, phone ...) by id.
const record = (id) => state.resources.find((x) => x.id === id);

function kindCell(kind) {
  return el('span', { class: 'kind' }, kindDot(kind), i18n.kindLabel(kind));
}

/* ------------------------------------------------------------- reach view */

let mv;             // the map view (mapview.js)
let reachSeq = 0;   // answers older than the latest request are dropped
let hours;          // the opening-time filter (hours.js)

// The drawn reach area without the lace of block holes: interior rings
// smaller than HOLE_FILL_M2 (about a city block) are filled in the drawing;
// the data (state.area) keeps them.
const HOLE_FILL_M2 = 30000;
function ringArea(ring) {
  const k = 111320 * Math.cos((ring[0][1] * Math.PI) / 180);
  let a = 0;
  for (let i = 1; i < ring.length; i++) {
    a += (ring[i - 1][0] * k) * (ring[i][1] * 110574) - (ring[i][0] * k) * (ring[i - 1][1] * 110574);
  }
  return Math.abs(a / 2);
}
function withoutLace(feature) {
  const g = feature.geometry;
  const clean = (poly) => [poly[0], ...poly.slice(1).filter((h) => ringArea(h) >= HOLE_FILL_M2)];
  const geometry = g.type === 'Polygon' ? { type: 'Polygon', coordinates: clean(g.coordinates) }
    : g.type === 'MultiPolygon' ? { type: 'MultiPolygon', coordinates: g.coordinates.map(clean) } : g;
  return { ...feature, geometry };
}

// The minutes of the reach bands: 10, 20, 30 ... below the limit, and the limit.
function ringMinutes(limit) {
  const rings = [10, 20, 30, 40, 50].filter((m) => m < limit);
  return [...rings, limit];
}

async function reach(lonlat) {
  const seq = ++reachSeq;
  state.origin = lonlat;
  state.chosen = null;
  state.path = null;
  mv.setPath(null);
  mv.setOrigin(lonlat);
  const w = walking();
  const base = { lon: lonlat[0].toFixed(6), lat: lonlat[1].toFixed(6), speed: w.speed, 'steps-factor': w.steps > 1 ? w.steps : '' };
  const q = qs({ ...base, minutes: w.minutes });
  status('reach-status', i18n.t('loading'));
  try {
    const open = hours ? qs(hours.params()) : '';
    const mins = ringMinutes(w.minutes);
    const [walk, at, ...areas] = await Promise.all([api(`api/walk?${q}${open ? `&${open}` : ''}`),
      api(`api/districts/at?${qs({ lon: base.lon, lat: base.lat })}`).catch(() => null),
      ...mins.map((m) => api(`api/isochrone?${qs({ ...base, minutes: m })}`))]);
    if (seq !== reachSeq) return;
    state.districtsAt = at ? at.districts : [];
    state.area = areas[areas.length - 1];
    state.rings = { type: 'FeatureCollection',
      features: areas.map((a, i) => ({ ...withoutLace(a), properties: { ...(a.properties || {}), ring: mins[i], outer: i === mins.length - 1 } })).reverse() };
    state.reach = walk;
    if (current === 'reach') mv.setReach(state.rings);
    renderReach();
    const n = walk.resources.filter(shown).length;
    status('reach-status', i18n.t('reach_found', { n }));
  } catch (err) {
    if (seq !== reachSeq) return;
    mv.setReach(null);
    mv.setMarkers('reach', []);
    state.area = null;
    state.rings = null;
    state.reach = null;
    fill('reach-result');
    status('reach-status', i18n.t('error', { msg: err.message }), true);
  }
}

let popup = null;

// Opens the details of resource r in a popup at its place.
function showDetails(r) {
  if (popup) popup.remove();
  popup = new mv.maplibregl.Popup({ closeButton: true, maxWidth: '320px' })
    .setLngLat([r.lon, r.lat])
    .setDOMContent(el('div', { class: 'popup-details' }, el('strong', {}, r.name), el('div', { class: 'small' },
      kindCell(r.kind), ' · ', i18n.fieldsLabel(r.fields)), details(r)))
    .addTo(mv.map);
}

// Shows resource r on the map (from the 一覧 or the search box).
function focusResource(r) {
  mv.map.jumpTo({ center: [r.lon, r.lat], zoom: Math.max(mv.map.getZoom(), 16) });
  showDetails(r);
}

// Chooses row r of the reach list: its details, and the walking path to it
// with the origin kept in view.
async function choose(r) {
  state.chosen = r.id;
  renderReach();
  showDetails({ ...record(r.id), ...r });
  const w = walking();
  const q = qs({ lon: state.origin[0].toFixed(6), lat: state.origin[1].toFixed(6), to_lon: r.lon, to_lat: r.lat,
    minutes: w.minutes, speed: w.speed, 'steps-factor': w.steps > 1 ? w.steps : '' });
  try {
    const path = await api(`api/path?${q}`);
    if (state.chosen !== r.id) return;
    state.path = path;
    mv.setPath(path);
    mv.fitTo([state.origin, [r.lon, r.lat], ...path.geometry.coordinates], 17);
    status('reach-status', i18n.t('path_head', { name: r.name, m: num(path.properties.walk_min), d: Math.round(path.properties.walk_m) }));
  } catch (err) {
    mv.setPath(null);
    mv.fitTo([state.origin, [r.lon, r.lat]], 17);
    status('reach-status', i18n.t('path_none', { msg: err.message }), true);
  }
}

// The reach list: numbered like the pins on the map (pin 3 = row 3).
function renderReach() {
  const w = state.reach;
  if (!w) { if (mv) mv.setMarkers('reach', []); return; }
  const list = w.resources.filter(shown);
  const head = i18n.t('reach_head', { from: i18n.t('reach_from'), m: w.minutes, s: w.speed_m_per_min, n: list.length });
  const snap = i18n.t('snapped', { d: Math.round(w.origin.snap_m) });
  // The school districts (小学校区, 中学校区 ...) the chosen point lies in.
  const label = (lv) => { const l = state.levels.find((x) => x.level === lv); return l && i18n.getLang() === 'ja' ? l.label || lv : lv.replace(/_/g, ' '); };
  const where = (state.districtsAt || []).map((d) => `${label(d.level)}：${d.name || d.code}`).join('　');
  mv.setMarkers('reach', current !== 'reach' ? [] : list.map((r, i) => {
    const k = i18n.kinds.find((x) => x.key === r.kind);
    return { lonlat: [r.lon, r.lat], text: String(i + 1), color: k ? k.color : i18n.otherKindColor,
      label: `${i + 1} ${r.name}`, onClick: () => choose(r) };
  }));
  if (!list.length) {
    fill('reach-result', el('p', { class: 'lead' }, head), el('p', {}, i18n.t('reach_none', { m: w.minutes })));
    return;
  }
  const rows = list.map((r, i) => {
    const full = { ...record(r.id), ...r };
    return [
      { v: String(i + 1), class: 'num no' },
      { v: i18n.t('min_value', { v: num(r.walk_min) }), class: 'num' },
      el('div', {}, el('button', { type: 'button', class: 'link', dataset: { id: r.id },
        'aria-current': state.chosen === r.id ? 'true' : null }, r.name),
      el('div', { class: 'small' }, kindCell(r.kind), ' · ', i18n.fieldsLabel(r.fields)), details(full),
      hours ? hours.nextLabel(r) : null),
    ];
  });
  const t = table(null, [i18n.t('col_no'), i18n.t('col_min'),
    `${i18n.t('col_name')} · ${i18n.t('col_kind')} · ${i18n.t('address')} · ${i18n.t('hours')}`], rows);
  t.classList.add('reach-table');
  [...t.tBodies[0].rows].forEach((tr, i) => tr.classList.toggle('chosen', list[i].id === state.chosen));
  t.addEventListener('click', (ev) => {
    const b = ev.target.closest('button[data-id]');
    const r = b && list.find((x) => x.id === b.dataset.id);
    if (r) choose(r);
  });
  fill('reach-result', el('p', { class: 'lead' }, head), where ? el('p', { class: 'small districts-at' }, where) : null,
    el('p', { class: 'small' }, snap), t);
}

/* ---------------------------------------------- search box and 一覧 view */

// Text folded for matching: NFKC (full-width to half-width), lower case, no spaces.
const fold = (s) => (s || '').normalize('NFKC').toLowerCase().replace(/\s+/g, '');

function matches(r, q) {
  return !q || [r.name, r.address, r.target, r.operator, i18n.kindLabel(r.kind)].some((v) => fold(v).includes(q));
}

// 住所・施設名で探す: facilities by name first; an address from /api/geocode
// moves the map there and runs the walk query from it.
async function search(text) {
  const q = fold(text);
  if (!q) return;
  const found = state.resources.filter((r) => fold(r.name).includes(q) || fold(r.address).includes(q)).slice(0, 8);
  let place = null;
  try {
    const g = await api(`api/geocode?${qs({ q: text })}`);
    if (g.level) place = g;
  } catch { /* no address reference: facilities only */ }
  const parts = [];
  if (place) {
    parts.push(el('p', {}, i18n.t('search_address', { matched: place.matched, level: i18n.t(`level_${place.level}`), p: Math.round(place.precision_m) })));
    showTab('reach');
    mv.map.jumpTo({ center: [place.lon, place.lat], zoom: Math.max(mv.map.getZoom(), 15) });
    if (state.meta.walking.available) reach([place.lon, place.lat]);
  }
  if (found.length) {
    parts.push(el('p', { class: 'small' }, i18n.t('search_facilities', { n: found.length })),
      el('ul', { class: 'found' }, found.map((r) => {
        const b = el('button', { type: 'button', class: 'link' }, r.name);
        b.addEventListener('click', () => focusResource(r));
        return el('li', {}, kindDot(r.kind), b, r.address ? el('span', { class: 'small' }, ` ${r.address}`) : null);
      })));
    if (!place) focusResource(found[0]);
  }
  if (!parts.length) parts.push(el('p', { class: 'error' }, i18n.t('search_none', { q: text })));
  fill('search-result', parts);
}

// The 一覧 view: every public resource, by keyword and kind.
function renderList() {
  const sel = $('list-kind');
  const keep = sel.value;
  const present = [...new Set(state.resources.map((r) => r.kind))];
  sel.replaceChildren(el('option', { value: '' }, i18n.t('kind_all')),
    ...present.map((k) => el('option', { value: k, selected: k === keep }, i18n.kindLabel(k))));
  const q = fold($('list-q').value);
  const list = state.resources.filter((r) => (!sel.value || r.kind === sel.value) && matches(r, q));
  status('list-status', i18n.t('list_count', { n: list.length, all: state.resources.length }));
  const rows = list.map((r) => {
    const b = el('button', { type: 'button', class: 'link' }, r.name);
    b.addEventListener('click', () => focusResource(r));
    return [el('div', {}, b, el('div', { class: 'small' }, kindCell(r.kind), ' · ', i18n.fieldsLabel(r.fields)), details(r))];
  });
  const t = table(null, [`${i18n.t('col_name')} · ${i18n.t('address')} · ${i18n.t('phone')} · ${i18n.t('hours')}`], rows);
  t.classList.add('list-table');
  fill('list-result', t);
}

/* ------------------------------------------------------- layers and legend */

function checkbox(label, checked, onChange, swatch, only) {
  const input = el('input', { type: 'checkbox', checked });
  input.addEventListener('change', () => onChange(input.checked));
  const box = el('label', { class: 'check' }, input, swatch || null, label);
  if (!only) return box;
  const b = el('button', { type: 'button', class: 'only', 'aria-label': i18n.t('only_this_label', { kind: label }), title: i18n.t('only_this') }, i18n.t('only_this'));
  b.addEventListener('click', only);
  return el('div', { class: 'check-row' }, box, b);
}

// Every kind (or none) shown.
function setAllKinds(on) {
  state.shownKinds = new Set(on ? i18n.kinds.map((k) => k.key) : []);
  state.showOther = on;
  renderLayers();
  applyFilters();
}

function applyFilters() {
  mv.setResourceFilter(state.shownKinds, state.shownFields, state.showOther);
  renderReach();
}

function renderLayers() {
  fill('layer-districts', state.levels.map((lv) => checkbox(
    i18n.getLang() === 'ja' ? lv.label || lv.level : `${lv.level.replace(/_/g, ' ')} (${lv.label})`,
    state.shownLevels.has(lv.level), (on) => {
      if (on) state.shownLevels.add(lv.level); else state.shownLevels.delete(lv.level);
      mv.setLevelVisible(lv.level, on);
    })));
  const present = new Set(state.resources.map((r) => r.kind));
  const other = [...present].some((k) => !i18n.kinds.some((x) => x.key === k));
  fill('layer-kinds', i18n.kinds.filter((k) => present.has(k.key)).map((k) => checkbox(
    i18n.kindLabel(k.key), state.shownKinds.has(k.key), (on) => {
      if (on) state.shownKinds.add(k.key); else state.shownKinds.delete(k.key);
      applyFilters();
    }, kindDot(k.key), () => {
      state.shownKinds = new Set([k.key]);
      state.showOther = false;
      renderLayers();
      applyFilters();
    })), other ? checkbox(i18n.t('kind_other'), state.showOther, (on) => {
    state.showOther = on;
    applyFilters();
  }, kindDot('')) : null);
  fill('layer-fields', i18n.fields.map((f) => checkbox(f[i18n.getLang()], state.shownFields.has(f.key), (on) => {
    if (on) state.shownFields.add(f.key); else state.shownFields.delete(f.key);
    applyFilters();
  })));
}

// The coverage classes of the map legend, in the map's colours.
function paintLegend() {
  fill('legend-classes', coverageClasses.map((c) => {
    const sw = el('span', { class: 'swatch-fill', 'aria-hidden': 'true' });
    sw.style.backgroundColor = c.color;
    return el('li', {}, sw, c.label);
  }), (() => {
    const sw = el('span', { class: 'swatch-fill', 'aria-hidden': 'true' });
    sw.style.backgroundColor = hiddenColor;
    return el('li', {}, sw, i18n.t('cov_hidden_swatch'));
  })());
}

/* ------------------------------------------------------------ tabs, i18n */

const views = {};
let current = 'reach';

function showTab(name, focus = false) {
  current = name;
  for (const tab of document.querySelectorAll('[role="tab"]')) {
    const on = tab.id === `tab-${name}`;
    tab.setAttribute('aria-selected', String(on));
    tab.tabIndex = on ? 0 : -1;
    $(tab.getAttribute('aria-controls')).hidden = !on;
    if (on && focus) tab.focus();
  }
  document.body.dataset.view = name;
  mv.setReach(name === 'reach' ? state.rings : null);
  mv.setPath(name === 'reach' ? state.path : null);
  mv.setOrigin(name !== 'coverage' && name !== 'list' && state.origin ? state.origin : null);
  renderReach();
  if (name === 'list') renderList();
  for (const [k, v] of Object.entries(views)) v.show(k === name);
}

function initTabs() {
  const tabs = [...document.querySelectorAll('[role="tab"]')].filter((tab) => !tab.hidden);
  for (const tab of tabs) {
    tab.addEventListener('click', () => showTab(tab.id.slice(4)));
    tab.addEventListener('keydown', (ev) => {
      const i = tabs.indexOf(tab);
      const j = ev.key === 'ArrowRight' ? i + 1 : ev.key === 'ArrowLeft' ? i - 1 : ev.key === 'Home' ? 0 : ev.key === 'End' ? tabs.length - 1 : null;
      if (j === null) return;
      ev.preventDefault();
      showTab(tabs[(j + tabs.length) % tabs.length].id.slice(4), true);
    });
  }
}

function renderAll() {
  i18n.apply();
  renderWho();
  renderPlace();
  minutesText();
  paintLegend();
  renderLayers();
  if (hours) hours.relabel();
  renderReach();
  if (current === 'list') renderList();
  for (const v of Object.values(views)) v.render();
}

function initLanguage() {
  const saved = localStorage.getItem('tsunagu.lang');
  i18n.setLang(saved === 'en' ? 'en' : 'ja');
  $('lang').addEventListener('click', () => {
    i18n.setLang(i18n.getLang() === 'ja' ? 'en' : 'ja');
    localStorage.setItem('tsunagu.lang', i18n.getLang());
    $('lang').lang = i18n.getLang() === 'ja' ? 'en' : 'ja';
    renderAll();
  });
  $('lang').lang = i18n.getLang() === 'ja' ? 'en' : 'ja';
}

/* ---------------------------------------------------------------- print */

// The points the current view's printout must show: the reach area and
// the chosen path; the whole municipality for coverage; the route view's
// day shown. null: the live map's view.
function printFrame() {
  if (current === 'reach' && state.area) {
    const g = state.area.geometry;
    const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
    const coords = polys.flatMap((p) => p[0]);
    if (state.origin) coords.push(state.origin);
    if (state.path) coords.push(...state.path.geometry.coordinates);
    return coords;
  }
  if (current === 'coverage' && state.meta.bbox) {
    const b = state.meta.bbox;
    return [[b[0], b[1]], [b[2], b[3]]];
  }
  if (views[current] && views[current].frameCoords) return views[current].frameCoords();
  return null;
}

// The print header: title with the place, date and the conditions.
function printHeader() {
  const place = state.meta && state.meta.municipality ? ` ${state.meta.municipality}` : '';
  const tab = $(`tab-${current}`);
  $('print-title').textContent = `${i18n.t('title')}${place} — ${tab ? tab.textContent : ''}`;
  const w = walking();
  const date = new Date().toLocaleDateString(i18n.getLang() === 'ja' ? 'ja-JP' : 'en-GB', { year: 'numeric', month: 'long', day: 'numeric', weekday: 'short' });
  let cond = '';
  if (current === 'reach') cond = i18n.t('print_reach', { from: i18n.t('reach_from'), m: w.minutes, s: w.speed, steps: w.steps > 1 ? i18n.t('print_steps') : '' });
  else if (views[current] && views[current].printConditions) cond = views[current].printConditions();
  $('print-sub').textContent = `${i18n.t('printed', { d: date })}　${cond}`;
}

/* ---------------------------------------------------------------- sign-in */

// Who is signed in (by the session cookie), or null: /api/session answers
// {"signed_in": false} rather than a 401 for the anonymous.
async function loadMe() {
  try {
    const me = await api('api/session');
    return me && me.name ? me : null;
  } catch (err) {
    return null;
  }
}

// The place the data is for, from /api/meta: the municipality's name in the
// title, the demo note only for the demo town.
function renderPlace() {
  const meta = state.meta;
  $('place').textContent = meta && meta.municipality ? meta.municipality : '';
  $('place').hidden = !(meta && meta.municipality);
  document.querySelector('.subtitle').textContent = i18n.t(meta && meta.demo ? 'subtitle_demo' : 'subtitle');
  document.title = meta && meta.municipality ? `${i18n.t('title')} ${meta.municipality}` : i18n.t('title');
}

function minutesText() {
  const text = i18n.t('minutes_value', { m: $('minutes').value });
  $('minutes-out').textContent = text;
  $('minutes').setAttribute('aria-valuetext', text);
}

function renderWho() {
  $('signin').hidden = !!state.me;
  $('who').hidden = !state.me;
  $('signin-hint').hidden = !!state.me;
  if (state.me) {
    $('who-name').textContent = i18n.t('signed_in', { name: state.me.name, role: i18n.t(`role_${state.me.role}`) });
  }
}

function initSignIn() {
  $('signin').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const input = $('token');
    const value = input.value.trim();
    input.value = '';
    if (!value) return;
    if (await signIn(value).catch(() => false)) { location.reload(); return; }
    input.classList.add('error');
    input.setAttribute('aria-invalid', 'true');
    input.placeholder = i18n.t('signin_bad');
    $('signin-error').textContent = i18n.t('signin_bad');
  });
  $('token').addEventListener('input', () => {
    $('token').classList.remove('error');
    $('token').removeAttribute('aria-invalid');
    $('signin-error').textContent = '';
  });
  $('sign-out').addEventListener('click', async () => {
    await signOut().catch(() => {});
    location.reload();
  });
  // Another tab signed in or out: this one follows.
  onSessionChange(() => location.reload());
}

function initWalking() {
  let timer = null;
  const changed = () => {
    minutesText();
    $('speed-custom').disabled = document.querySelector('input[name="speed"]:checked').value !== 'custom';
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (current === 'reach' && state.origin) reach(state.origin);
      for (const v of Object.values(views)) v.walkingChanged();
    }, 300);
  };
  $('minutes').addEventListener('input', changed);
  $('speed-custom').addEventListener('input', changed);
  for (const r of document.querySelectorAll('input[name="speed"]')) r.addEventListener('change', changed);
  $('avoid-steps').addEventListener('change', changed);
}

/* ------------------------------------------------------------------ start */

async function start() {
  initLanguage();
  i18n.apply();
  initSignIn();
  state.me = await loadMe();
  renderWho();
  $('tab-coverage').hidden = !can('coverage');
  $('tab-route').hidden = !can('route');
  $('tab-visits').hidden = !can('visits');
  $('tab-households').hidden = !can('households');
  $('tab-editor').hidden = !can('register');
  $('tab-official').hidden = !can('coverage');
  paintLegend();
  [state.meta, { levels: state.levels }, { resources: state.resources }] = await Promise.all([
    api('api/meta'), api('api/levels'), api('api/resources')]);
  state.shownLevels = new Set(state.levels.map((l) => l.level));
  renderPlace();
  mv = await createMap('map', state.meta.bbox, state.levels, state.meta.attribution || [], mapLocale[i18n.getLang()]);
  if (!mv.tiles) { $('map-note').hidden = false; $('map-note').textContent = i18n.t('tiles_missing'); }
  if (!state.meta.walking.available) status('reach-status', i18n.t('no_walking', { msg: state.meta.walking.reason }), true);

  const ctx = { state, mv, walking, status, shown, kindCell };
  if (can('coverage')) views.coverage = coverageView(ctx);
  if (can('route')) views.route = routeView(ctx);
  if (can('visits')) views.visits = visitsView(ctx);
  if (can('households')) views.households = householdsView(ctx);
  if (can('register')) views.editor = editorView(ctx);
  if (can('coverage')) views.official = officialView(ctx);
  if (can('route') && can('share')) shareView(ctx);
  views.reach = { show() {}, render() {}, walkingChanged() {} };
  views.list = { show() {}, render() {}, walkingChanged() {}, click() {} };

  mv.map.on('click', (ev) => {
    const lonlat = [ev.lngLat.lng, ev.lngLat.lat];
    // A resource dot opens its details; elsewhere the view's own click.
    const hit = mv.resourceAt(ev.point);
    const r = hit && (record(hit.id) || hit);
    if (r && r.name) { showDetails({ ...r, lon: r.lon ?? lonlat[0], lat: r.lat ?? lonlat[1] }); return; }
    if (current === 'reach' || current === 'list') {
      if (current === 'list') showTab('reach');
      reach(lonlat);
    } else views[current].click(lonlat, ev);
  });
  hours = hoursFilter($('view-reach'), () => { if (state.origin) reach(state.origin); });
  $('reach-here').addEventListener('click', () => {
    const c = mv.map.getCenter();
    reach([c.lng, c.lat]);
  });
  $('search').addEventListener('submit', (ev) => { ev.preventDefault(); search($('search-q').value); });
  $('list-form').addEventListener('submit', (ev) => ev.preventDefault());
  $('list-q').addEventListener('input', renderList);
  $('list-kind').addEventListener('change', renderList);
  $('kinds-all').addEventListener('click', () => setAllKinds(true));
  $('kinds-none').addEventListener('click', () => setAllKinds(false));
  $('fields-all').addEventListener('click', () => { state.shownFields = new Set(i18n.fields.map((f) => f.key)); renderLayers(); applyFilters(); });
  $('fields-none').addEventListener('click', () => { state.shownFields = new Set(); renderLayers(); applyFilters(); });
  $('skip').addEventListener('click', (ev) => {
    ev.preventDefault();
    const box = document.querySelector('.view:not([hidden]) .result');
    if (box) { box.tabIndex = -1; box.focus(); }
  });
  initPrint({ mv, frame: printFrame, header: printHeader });

  if (!state.meta.walking.available) showTab('list');

  initTabs();
  initWalking();
  applyFilters();
  renderAll();
  showTab(state.meta.walking.available ? 'reach' : 'list');
  mv.map.once('idle', () => { window.tsunagu.ready = true; });
}

window.tsunagu = { state, ready: false, get map() { return mv && mv.map; } };
start().catch((err) => {
  status('reach-status', i18n.t('error', { msg: err.message }), true);
  console.error(err);
});
