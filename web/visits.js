// SPDX-License-Identifier: MIT
// visits.js - the visits view: a coordinator or outreach worker records a
// home visit (household id, time, one or two visitors, outcome, a short
// note, the next due date) with POST /api/visits, lists the overdue
// households of the assignment (GET /api/households?overdue=true) and
// plans a round over them with an appointment window per household and a
// lunch break (POST /api/route with overdue: true). Household data is
// 要配慮個人情報: the page shows ids, due dates and times only, never a
// coordinate as text; the route line and numbered stops go on the map
// through mapview's route layer like route.js. Every answer is recorded by
// the server in its audit log. Entry point: visitsView(ctx).

import { api, postJSON } from './api.js';
import { el, fill, table } from './dom.js';

export function visitsView(ctx) {
  const { state, mv, walking, status } = ctx;
  const $ = (id) => document.getElementById(id);
  let overdue = [];   // last overdue list
  let plan = null;    // last route answer

  // The start: the first consultation desk (the worker's office).
  function start() {
    const desk = state.resources.find((r) => r.kind === 'consultation');
    if (desk) return [desk.lon, desk.lat];
    const c = mv.map.getCenter();
    return [c.lng, c.lat];
  }

  async function record(ev) {
    ev.preventDefault();
    const note = $('visit-note').value.trim();
    const due = $('visit-due').value;
    const body = {
      household: $('visit-household').value.trim(),
      at: $('visit-at').value.slice(0, 16),
      visitors: $('visit-visitors').value.split(',').map((v) => v.trim()).filter((v) => v),
      outcome: $('visit-outcome').value,
    };
    if (note) body.note = note;
    if (due) body.next_due = due;
    status('visit-status', '記録しています…');
    try {
      const r = await postJSON('api/visits', body);
      status('visit-status', `訪問 ${r.id} を記録しました（${r.outcome}${r.next_due ? `、次回 ${r.next_due}` : ''}）`);
      $('visit-form').reset();
    } catch (err) {
      status('visit-status', err.message, true);
    }
  }

  async function load() {
    status('overdue-status', '読み込んでいます…');
    try {
      const r = await api('api/households?overdue=true');
      overdue = r.households;
      status('overdue-status', `${r.today} 時点で期限切れの訪問先: ${overdue.length} 世帯`);
      fill('overdue-list', table('期限切れの訪問先（遅れの大きい順）',
        ['世帯', '区域', '予定日', '遅れ（日）', '前回', '約束の時間（例 10:00-11:00）'],
        overdue.map((h) => [h.id, h.district || '–', h.due, { v: String(h.days_late), class: 'num' },
          `${h.last_visit} ${h.last_outcome || ''}`,
          el('input', { type: 'text', class: 'appointment', 'data-id': h.id, 'aria-label': `${h.id} の約束の時間`,
            pattern: '[0-9]{2}:[0-9]{2}-[0-9]{2}:[0-9]{2}', size: 11 })])));
    } catch (err) {
      status('overdue-status', err.message, true);
    }
  }

  async function planRound(ev) {
    ev.preventDefault();
    const [lon, lat] = start();
    const appointments = {};
    for (const input of document.querySelectorAll('#overdue-list input.appointment')) {
      if (input.value.trim()) appointments[input.dataset.id] = input.value.trim();
    }
    const body = {
      start: { lon: Number(lon.toFixed(7)), lat: Number(lat.toFixed(7)) },
      overdue: true,
      speed: walking().speed,
    };
    if (Object.keys(appointments).length) body.appointments = appointments;
    const lunch = $('overdue-lunch').value.trim();
    if (lunch) body.lunch = lunch;
    status('overdue-status', 'ルートを作っています…');
    try {
      plan = await postJSON('api/route', body);
      const rows = [];
      plan.days.forEach((d) => d.stops.forEach((s, i) => rows.push([String(d.day), String(i + 1), s.household_id,
        s.arrive, s.leave, s.appointment ? `${s.appointment.from}-${s.appointment.to}` : '–'])));
      fill('overdue-route', table(`期限切れの訪問先を回るルート: ${plan.days.length} 日、${(plan.total_walk_m / 1000).toFixed(1)} km`,
        ['日', '#', '世帯', '到着', '出発', '約束'], rows));
      status('overdue-status', plan.unreachable.length ? `ルートに入らない世帯: ${plan.unreachable.length}` : '');
      draw();
    } catch (err) {
      status('overdue-status', err.message, true);
    }
  }

  // The round on the map: one line per day, numbered stops (route.js's layers).
  function draw() {
    if (!plan) { mv.setRoute(null); mv.setMarkers('route', []); return; }
    const colors = ['#1f5fbf', '#c62828', '#2e7d32', '#6a1b9a'];
    mv.setRoute({ type: 'FeatureCollection',
      features: plan.days.map((d, i) => ({ type: 'Feature', geometry: d.route,
        properties: { day: d.day, color: colors[i % colors.length] } })) });
    mv.setOrigin([plan.start.lon, plan.start.lat]);
    mv.setMarkers('route', plan.days.flatMap((d, i) => d.stops.map((s, k) => ({
      lonlat: [s.lon, s.lat], text: String(k + 1), color: colors[i % colors.length], label: `${d.day}日目 ${k + 1}`,
    }))));
  }

  $('visit-form').addEventListener('submit', record);
  $('overdue-load').addEventListener('click', load);
  $('overdue-form').addEventListener('submit', planRound);
  return {
    show(on) {
      if (on && !overdue.length) load();
      if (on) draw(); else if (plan) { mv.setRoute(null); mv.setMarkers('route', []); }
    },
    render() {},
    walkingChanged() {},
    click() {},
  };
}
