// SPDX-License-Identifier: MIT
// route.js - the outreach-route view: the worker picks a district and a need
// tag (never individual households on this page), a start and a day, and
// gets the ordered visits per day with the route on the map, printable.
// Household data is 要配慮個人情報: the page sends only district + need and
// shows only what the worker needs (the route line, numbered stops, ids and
// times), never a list of coordinates; the answer is not cached
// (Cache-Control: no-store). Shown only to roles that may plan routes
// (coordinator, outreach); the server plans over the households of the
// user's assignment only and records each answer in its audit log.
// Entry point: routeView(ctx).

import { api, postJSON } from './api.js';
import { el, fill, table, num } from './dom.js';
import * as i18n from './i18n.js';

const dayColors = ['#1f5fbf', '#c62828', '#2e7d32', '#6a1b9a', '#ef6c00', '#00838f', '#5d4037', '#ad1457'];

export function routeView(ctx) {
  const { state, mv, walking, status } = ctx;
  const $ = (id) => document.getElementById(id);
  const districts = {};  // level -> [{code, name}] (public district names)
  let plan = null;       // last /api/route answer
  let clicked = null;    // [lon, lat] clicked on the map in this view
  let visible = false;

  async function loadDistricts(level) {
    if (!districts[level]) {
      const fc = await api(`ogc/collections/districts_${encodeURIComponent(level)}/items?limit=1000`);
      districts[level] = fc.features.map((f) => ({ code: f.properties.code, name: f.properties.name }))
        .sort((a, b) => String(a.code).localeCompare(String(b.code)));
    }
    return districts[level];
  }

  async function fillSelects() {
    const levelSel = $('route-level');
    const mine = state.me && state.me.district; // an outreach worker's district
    const lv = levelSel.value || (mine ? mine.level : '') ||
      (state.levels.length ? state.levels[state.levels.length - 1].level : '');
    levelSel.replaceChildren(...state.levels.map((l) => el('option', { value: l.level, selected: l.level === lv },
      i18n.getLang() === 'ja' ? l.label || l.level : l.level.replace(/_/g, ' '))));
    const needSel = $('route-need');
    const need = needSel.value;
    needSel.replaceChildren(el('option', { value: '' }, i18n.t('need_any')),
      ...i18n.needs.map((n) => el('option', { value: n, selected: n === need }, n)));
    const startSel = $('route-start');
    const start = startSel.value;
    const desks = state.resources.filter((r) => r.kind === 'consultation');
    startSel.replaceChildren(...desks.map((r) => el('option', { value: r.id, selected: r.id === start }, r.name)),
      el('option', { value: 'clicked', selected: start === 'clicked' },
        clicked ? i18n.t('start_clicked') : i18n.t('start_clicked_none')));
    if (lv) {
      const distSel = $('route-district');
      const keep = distSel.value || (mine && mine.level === lv ? mine.code : '');
      const list = await loadDistricts(lv);
      distSel.replaceChildren(...list.map((d) => el('option', { value: d.code, selected: d.code === keep }, `${d.name} (${d.code})`)));
    }
  }

  function startPoint() {
    const v = $('route-start').value;
    if (v === 'clicked') return clicked;
    const r = state.resources.find((x) => x.id === v);
    return r ? [r.lon, r.lat] : null;
  }

  async function run() {
    const start = startPoint();
    if (!start) { status('route-status', i18n.t('route_need_start'), true); return; }
    const w = walking();
    const body = {
      start: { lon: Number(start[0].toFixed(7)), lat: Number(start[1].toFixed(7)) },
      district: $('route-district').value,
      level: $('route-level').value,
      dwell: Number($('route-dwell').value),
      day_minutes: Number($('route-day').value),
      speed: w.speed,
      start_time: $('route-time').value || '09:00',
    };
    if ($('route-need').value) body.need = $('route-need').value;
    status('route-status', i18n.t('loading'));
    try {
      plan = await postJSON('api/route', body);
      status('route-status', '');
      render();
      draw(true);
    } catch (err) {
      plan = null;
      render();
      draw(false);
      status('route-status', i18n.t('error', { msg: err.message }), true);
    }
  }

  function draw(fit) {
    if (!visible || !plan) {
      mv.setRoute(null);
      mv.setMarkers('route', []);
      mv.setOrigin(visible && startPoint() ? startPoint() : null);
      return;
    }
    const features = plan.days.map((d, i) => ({
      type: 'Feature', geometry: d.route, properties: { day: d.day, color: dayColors[i % dayColors.length] } }));
    mv.setRoute({ type: 'FeatureCollection', features });
    mv.setOrigin([plan.start.lon, plan.start.lat]);
    const pins = plan.days.flatMap((d, i) => d.stops.map((s, k) => ({
      lonlat: [s.lon, s.lat], text: String(k + 1), color: dayColors[i % dayColors.length],
      label: i18n.t('route_stop', { d: d.day, k: k + 1 }),
    })));
    mv.setMarkers('route', pins);
    if (fit) mv.fitTo(features.flatMap((f) => f.geometry.coordinates));
  }

  function render() {
    fillSelects().catch((err) => status('route-status', i18n.t('error', { msg: err.message }), true));
    if (!plan) { fill('route-result'); return; }
    const visits = plan.days.reduce((n, d) => n + d.stops.length, 0);
    const parts = [el('p', { class: 'lead' }, i18n.t('route_head', {
      n: visits, d: plan.days.length, km: num(plan.total_walk_m / 1000), s: plan.speed_m_per_min }))];
    if (!visits) parts.push(el('p', {}, i18n.t('route_empty')));
    plan.days.forEach((d, i) => {
      if (!d.stops.length) return;
      const caption = el('span', {}, el('span', { class: 'swatch-line', 'aria-hidden': 'true' }),
        i18n.t('route_day', { d: d.day, n: d.stops.length, t0: plan.start_time, t1: d.end, km: num(d.walk_m / 1000) }));
      caption.firstChild.style.backgroundColor = dayColors[i % dayColors.length];
      const rows = d.stops.map((s, k) => [{ v: k + 1, class: 'num' }, s.household_id, s.arrive, s.leave,
        { v: i18n.t('min_value', { v: num(s.walk_min, 0) }), class: 'num' }]);
      const t = table(caption, [i18n.t('col_order'), i18n.t('col_household'), i18n.t('col_arrive'),
        i18n.t('col_leave'), i18n.t('col_walk')], rows);
      t.classList.add('route-table');
      parts.push(t, el('p', { class: 'small' }, i18n.t('route_back', {
        t: d.end, m: num(d.back_m / plan.speed_m_per_min, 0) })));
    });
    if (plan.unreachable.length) {
      const counts = {};
      for (const u of plan.unreachable) counts[u.reason] = (counts[u.reason] || 0) + 1;
      const why = Object.entries(counts).map(([r, n]) => `${i18n.t(`why_${r}`)} ${n}`).join(', ');
      parts.push(el('p', { class: 'small' }, i18n.t('route_left', { n: plan.unreachable.length, why })));
    }
    fill('route-result', parts);
  }

  $('route-form').addEventListener('submit', (ev) => { ev.preventDefault(); run(); });
  $('route-level').addEventListener('change', () => { $('route-district').value = ''; fillSelects(); });
  $('route-start').addEventListener('change', () => draw(false));

  return {
    show(on) { visible = on; draw(false); },
    fit() { if (visible && plan) draw(true); },
    render,
    walkingChanged() {},
    click(lonlat) {
      clicked = lonlat;
      fillSelects().then(() => { $('route-start').value = 'clicked'; draw(false); });
    },
  };
}
