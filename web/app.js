// SPDX-License-Identifier: MIT
// app.js - tsunagu's web page: starts the map, the walking settings, the
// language toggle, the layer toggles and legend, the three views (reach on
// foot here; coverage.js and route.js for the others) and the tabs between
// them. Plain ES modules, no build step; everything it asks for comes from
// the server that served the page. Sign-in: a token (from `tsunagu user
// add`) is checked with /api/me and kept in sessionStorage; the coverage
// and route tabs appear only when the user's role allows them (the server
// enforces it either way). Signing in or out reloads the page, so nothing
// seen under one user stays on screen for the next.

import { api, qs, token, setToken } from './api.js';
import { el, fill, table, num } from './dom.js';
import * as i18n from './i18n.js';
import { createMap, coverageClasses } from './mapview.js';
import { coverageView } from './coverage.js';
import { routeView } from './route.js';
import { hoursFilter } from './hours.js';
import { visitsView } from './visits.js';
import { editorView } from './editor.js';
import { shareView } from './share.js';

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
  area: null,          // last /api/isochrone answer
  me: null,            // /api/me when signed in, else null
};

// What the signed-in user may use ("coverage", "suggest", "households", "route").
const can = (what) => !!(state.me && state.me.can.includes(what));

// The walking settings: {minutes, speed} (speed in m/min).
function walking() {
  const minutes = Number($('minutes').value);
  const choice = document.querySelector('input[name="speed"]:checked').value;
  const speed = choice === 'custom' ? Number($('speed-custom').value) : Number(choice);
  return { minutes, speed };
}

function status(id, text, isError = false) {
  const box = $(id);
  box.textContent = text || '';
  box.classList.toggle('error', isError);
}

// Does a resource pass the layer toggles?
function shown(r) {
  const known = i18n.kinds.some((k) => k.key === r.kind);
  const kindOk = known ? state.shownKinds.has(r.kind) : state.showOther;
  if (state.shownFields.size === i18n.fields.length) return kindOk; // "unspecified" too
  const fields = (r.fields || '').split(';');
  return kindOk && (fields.includes('all') || fields.some((f) => state.shownFields.has(f)));
}

// A coloured dot for a kind (colours set through CSSOM: the page's CSP
// allows no inline style attributes).
function kindDot(kind) {
  const k = i18n.kinds.find((x) => x.key === kind);
  const dot = el('span', { class: 'dot', 'aria-hidden': 'true' });
  dot.style.backgroundColor = k ? k.color : i18n.otherKindColor;
  return dot;
}

function kindCell(kind) {
  return el('span', { class: 'kind' }, kindDot(kind), i18n.kindLabel(kind));
}

/* ------------------------------------------------------------- reach view */

let mv;             // the map view (mapview.js)
let reachSeq = 0;   // answers older than the latest request are dropped
let hours;          // the opening-time filter (hours.js)

async function reach(lonlat) {
  const seq = ++reachSeq;
  state.origin = lonlat;
  mv.setOrigin(lonlat);
  const w = walking();
  const q = qs({ lon: lonlat[0].toFixed(6), lat: lonlat[1].toFixed(6), minutes: w.minutes, speed: w.speed });
  status('reach-status', i18n.t('loading'));
  try {
    const open = hours ? qs(hours.params()) : '';
    const [area, walk] = await Promise.all([api(`api/isochrone?${q}`), api(`api/walk?${q}${open ? `&${open}` : ''}`)]);
    if (seq !== reachSeq) return;
    mv.setReach(area);
    state.area = area;
    state.reach = walk;
    status('reach-status', '');
    renderReach();
  } catch (err) {
    if (seq !== reachSeq) return;
    mv.setReach(null);
    state.area = null;
    state.reach = null;
    fill('reach-result');
    status('reach-status', i18n.t('error', { msg: err.message }), true);
  }
}

function focusResource(r) {
  mv.map.jumpTo({ center: [r.lon, r.lat], zoom: Math.max(mv.map.getZoom(), 16) });
  new mv.maplibregl.Popup({ closeButton: true, maxWidth: '280px' })
    .setLngLat([r.lon, r.lat])
    .setDOMContent(el('div', {}, el('strong', {}, r.name), el('br'), i18n.kindLabel(r.kind), ' · ',
      i18n.fieldsLabel(r.fields), r.schedule ? el('div', {}, i18n.scheduleLabel(r.schedule)) : null))
    .addTo(mv.map);
}

function renderReach() {
  const w = state.reach;
  if (!w) return;
  const list = w.resources.filter(shown);
  const head = i18n.t('reach_head', { from: i18n.t('reach_from'), m: w.minutes, s: w.speed_m_per_min, n: list.length });
  const snap = i18n.t('snapped', { d: Math.round(w.origin.snap_m) });
  if (!list.length) {
    fill('reach-result', el('p', { class: 'lead' }, head), el('p', {}, i18n.t('reach_none', { m: w.minutes })));
    return;
  }
  const rows = list.map((r) => [
    { v: i18n.t('min_value', { v: num(r.walk_min) }), class: 'num' },
    el('div', {}, el('button', { type: 'button', class: 'link', dataset: { id: r.id } }, r.name),
      el('div', { class: 'small' }, kindCell(r.kind), ' · ', i18n.fieldsLabel(r.fields))),
    el('div', {}, i18n.scheduleLabel(r.schedule), hours ? hours.nextLabel(r) : null),
  ]);
  const t = table(null, [i18n.t('col_min'), `${i18n.t('col_name')} · ${i18n.t('col_kind')} · ${i18n.t('col_fields')}`, i18n.t('col_open')], rows);
  t.classList.add('reach-table');
  t.addEventListener('click', (ev) => {
    const b = ev.target.closest('button[data-id]');
    const r = b && list.find((x) => x.id === b.dataset.id);
    if (r) focusResource(r);
  });
  fill('reach-result', el('p', { class: 'lead' }, head), el('p', { class: 'small' }, snap), t);
}

/* ------------------------------------------------------- layers and legend */

function checkbox(label, checked, onChange, swatch) {
  const input = el('input', { type: 'checkbox', checked });
  input.addEventListener('change', () => onChange(input.checked));
  return el('label', { class: 'check' }, input, swatch || null, label);
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
    }, kindDot(k.key))), other ? checkbox(i18n.t('kind_other'), state.showOther, (on) => {
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
  }));
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
  mv.setReach(name === 'reach' ? state.area : null);
  mv.setOrigin(name !== 'coverage' && state.origin ? state.origin : null);
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
  $('minutes-out').textContent = i18n.t('minutes_value', { m: $('minutes').value });
  renderLayers();
  if (hours) hours.relabel();
  renderReach();
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

/* ---------------------------------------------------------------- sign-in */

// Checks a stored token with /api/me; a token the server refuses is dropped.
async function loadMe() {
  if (!token()) return null;
  try {
    return await api('api/me');
  } catch (err) {
    if (err.status === 401) setToken(null);
    return null;
  }
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
    setToken(value);
    if (await loadMe()) { location.reload(); return; }
    setToken(null);
    input.classList.add('error');
    input.setAttribute('aria-invalid', 'true');
    input.placeholder = i18n.t('signin_bad');
  });
  $('token').addEventListener('input', () => {
    $('token').classList.remove('error');
    $('token').removeAttribute('aria-invalid');
  });
  $('sign-out').addEventListener('click', () => {
    setToken(null);
    location.reload();
  });
}

function initWalking() {
  let timer = null;
  const changed = () => {
    $('minutes-out').textContent = i18n.t('minutes_value', { m: $('minutes').value });
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
  $('tab-editor').hidden = !can('register');
  paintLegend();
  [state.meta, { levels: state.levels }, { resources: state.resources }] = await Promise.all([
    api('api/meta'), api('api/levels'), api('api/resources')]);
  state.shownLevels = new Set(state.levels.map((l) => l.level));
  mv = await createMap('map', state.meta.bbox, state.levels, state.meta.attribution || []);
  if (!mv.tiles) { $('map-note').hidden = false; $('map-note').textContent = i18n.t('tiles_missing'); }
  if (!state.meta.walking.available) status('reach-status', i18n.t('no_walking', { msg: state.meta.walking.reason }), true);

  const ctx = { state, mv, walking, status, shown, kindCell };
  if (can('coverage')) views.coverage = coverageView(ctx);
  if (can('route')) views.route = routeView(ctx);
  if (can('visits')) views.visits = visitsView(ctx);
  if (can('register')) views.editor = editorView(ctx);
  if (can('route') && can('share')) shareView(ctx);
  views.reach = { show() {}, render() {}, walkingChanged() {} };

  mv.map.on('click', (ev) => {
    const lonlat = [ev.lngLat.lng, ev.lngLat.lat];
    if (current === 'reach') reach(lonlat);
    else views[current].click(lonlat, ev);
  });
  hours = hoursFilter($('view-reach'), () => { if (state.origin) reach(state.origin); });
  $('reach-here').addEventListener('click', () => {
    const c = mv.map.getCenter();
    reach([c.lng, c.lat]);
  });
  $('print').addEventListener('click', () => window.print());
  // Printing changes the map's size: redraw it and frame the view's content.
  window.matchMedia('print').addEventListener('change', () => {
    mv.map.resize();
    if (views[current].fit) views[current].fit();
  });

  initTabs();
  initWalking();
  applyFilters();
  renderAll();
  showTab('reach');
  mv.map.once('idle', () => { window.tsunagu.ready = true; });
}

window.tsunagu = { state, ready: false, get map() { return mv && mv.map; } };
start().catch((err) => {
  status('reach-status', i18n.t('error', { msg: err.message }), true);
  console.error(err);
});
