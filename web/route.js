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
// One day at a time on screen and in print (a day selector; "all days"
// shows the whole plan), a distinct colour for each of any number of days,
// and the desk nearest the chosen district as the default start (a click
// on the map never replaces a start silently: it becomes the "clicked
// point" choice). Entry point: routeView(ctx).

import { postJSON } from './api.js';
import { el, fill, table, num } from './dom.js';
import * as i18n from './i18n.js';
import { districtsOf, nearestDesk } from './desks.js';

const dayColors = ['#1f5fbf', '#c62828', '#2e7d32', '#6a1b9a', '#ef6c00', '#00838f', '#5d4037', '#ad1457'];

// Day i's colour: the eight above, then hues spaced by the golden angle
// (dark enough for white numbers), so any number of days stay apart.
export function dayColor(i) {
  if (i < dayColors.length) return dayColors[i];
  const h = Math.round((i * 137.508) % 360);
  return `hsl(${h}, 70%, ${i % 2 ? 32 : 40}%)`;
}

export function routeView(ctx) {
  const { state, mv, walking, status } = ctx;
  const $ = (id) => document.getElementById(id);
  let plan = null;       // last /api/route answer
  let clicked = null;    // [lon, lat] clicked on the map in this view
  let visible = false;
  let day = 0;           // the day shown (1-based), 0 = every day
  let frame = [];        // the points of the route drawn (print frame)
  const centres = {};    // level -> code -> [lon, lat] (bounding-box centre)

  async function loadDistricts(level) {
    const d = await districtsOf(level);
    centres[level] = d.centres;
    return d.list;
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
    const start = startSel.value || nearestDeskHere();
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

  // The consultation desk nearest the chosen district's centre (its id), or ''.
  function nearestDeskHere() {
    const c = centres[$('route-level').value] && centres[$('route-level').value][$('route-district').value];
    return nearestDesk(state.resources, c);
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
      day = plan.days.filter((d) => d.stops.length).length > 1 ? plan.days[0].day : 0;
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
    const shownDay = (d) => !day || d.day === day;
    const features = plan.days.map((d, i) => ({
      type: 'Feature', geometry: d.route, properties: { day: d.day, color: dayColor(i) } })).filter((f) => shownDay(f.properties));
    mv.setRoute({ type: 'FeatureCollection', features });
    mv.setOrigin([plan.start.lon, plan.start.lat]);
    const pins = plan.days.flatMap((d, i) => (shownDay(d) ? d.stops : []).map((s, k) => ({
      lonlat: [s.lon, s.lat], text: String(k + 1), color: dayColor(i),
      label: i18n.t('route_stop', { d: d.day, k: k + 1 }),
    })));
    mv.setMarkers('route', pins);
    frame = features.flatMap((f) => f.geometry.coordinates);
    if (fit) mv.fitTo(frame);
  }

  function render() {
    fillSelects().catch((err) => status('route-status', i18n.t('error', { msg: err.message }), true));
    if (!plan) { fill('route-result'); return; }
    const visits = plan.days.reduce((n, d) => n + d.stops.length, 0);
    const parts = [el('p', { class: 'lead' }, i18n.t('route_head', {
      n: visits, d: plan.days.length, km: num(plan.total_walk_m / 1000), s: plan.speed_m_per_min }))];
    if (!visits) parts.push(el('p', {}, i18n.t('route_empty')));
    const used = plan.days.filter((d) => d.stops.length);
    if (used.length > 1) {
      const sel = el('select', { id: 'route-day-shown' }, el('option', { value: '0' }, i18n.t('route_all_days')),
        used.map((d) => el('option', { value: String(d.day), selected: d.day === day }, i18n.t('route_day_short', { d: d.day }))));
      sel.value = String(day);
      sel.addEventListener('change', () => { day = Number(sel.value); render(); draw(true); });
      parts.push(el('label', { class: 'day-pick no-print' }, i18n.t('day_show'), ' ', sel));
    }
    plan.days.forEach((d, i) => {
      if (!d.stops.length || (day && d.day !== day)) return;
      const caption = el('span', {}, el('span', { class: 'swatch-line', 'aria-hidden': 'true' }),
        i18n.t('route_day', { d: d.day, n: d.stops.length, t0: plan.start_time, t1: d.end, km: num(d.walk_m / 1000) }));
      caption.firstChild.style.backgroundColor = dayColor(i);
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
  // A new district: the desk nearest it becomes the start, unless the
  // worker chose the clicked point.
  $('route-district').addEventListener('change', () => {
    if ($('route-start').value !== 'clicked') { const id = nearestDeskHere(); if (id) $('route-start').value = id; }
    draw(false);
  });
  $('route-start').addEventListener('change', () => draw(false));

  return {
    show(on) { visible = on; draw(false); },
    fit() { if (visible && plan) draw(true); },
    frameCoords() { return visible && plan && frame.length ? frame : null; },
    render,
    printConditions() {
      const opt = (id) => { const s2 = $(id); return s2.selectedIndex >= 0 ? s2.options[s2.selectedIndex].textContent : ''; };
      const date = new Date().toLocaleDateString(i18n.getLang() === 'ja' ? 'ja-JP' : 'en-GB');
      const dayText = plan && day ? ` ${i18n.t('route_day_short', { d: day })}` : '';
      return i18n.t('print_route', { district: opt('route-district'), need: opt('route-need'), start: opt('route-start'),
        date: date + dayText, s: walking().speed });
    },
    walkingChanged() {},
    click(lonlat) {
      clicked = lonlat;
      // The clicked point becomes a choice of start; the start itself
      // changes only when the worker picks it.
      fillSelects().then(() => draw(false));
    },
  };
}
