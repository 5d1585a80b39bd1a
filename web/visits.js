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
// the server in its audit log. Its words are in Japanese and English
// (the outcome's value stays the Japanese word the API records). Entry
// point: visitsView(ctx).

import { api, postJSON } from './api.js';
import { el, fill, table } from './dom.js';
import * as i18n from './i18n.js';

i18n.addWords({
  ja: {
    tab_visits: '訪問記録', vis_private: '要配慮個人情報', vis_record_h: '訪問を記録する', vis_household: '世帯ID',
    vis_at: '日時', vis_visitors: '訪問者（2人まで、カンマ区切り）', vis_outcome: '結果',
    vis_o_met: '会えた', vis_o_out: '不在', vis_o_refused: '拒否', vis_o_linked: '支援につないだ',
    vis_o_emergency: '緊急対応', vis_o_other: 'その他', vis_note: 'メモ（200字まで）', vis_due: '次回訪問予定日',
    vis_record: '記録する', vis_overdue_h: '期限切れの訪問先', vis_lunch: '昼休み', vis_load: '期限切れの訪問先を表示',
    vis_plan: '約束の時間を守って回るルートを作る', vis_recording: '記録しています…',
    vis_recorded: '訪問 {id} を記録しました（{outcome}{due}）', vis_next: '、次回 {due}',
    vis_loading: '読み込んでいます…', vis_overdue_n: '{today} 時点で期限切れの訪問先: {n} 世帯',
    vis_overdue_caption: '期限切れの訪問先（遅れの大きい順）',
    vis_appointment_of: '{id} の約束の時間', vis_planning: 'ルートを作っています…',
    vis_round: '期限切れの訪問先を回るルート: {days} 日、{km} km',
    vis_left_out: 'ルートに入らない世帯: {n}', vis_day_stop: '{day}日目 {k}',
  },
  en: {
    tab_visits: 'Visits', vis_private: 'Sensitive personal information', vis_record_h: 'Record a visit',
    vis_household: 'Household id', vis_at: 'Date and time', vis_visitors: 'Visitors (up to 2, comma separated)',
    vis_outcome: 'Outcome', vis_o_met: 'met', vis_o_out: 'not at home', vis_o_refused: 'refused',
    vis_o_linked: 'linked to support', vis_o_emergency: 'emergency response', vis_o_other: 'other',
    vis_note: 'Note (up to 200 characters)', vis_due: 'Next visit due', vis_record: 'Record',
    vis_overdue_h: 'Overdue visits', vis_lunch: 'Lunch break', vis_load: 'Show overdue visits',
    vis_plan: 'Plan a round that keeps the appointments', vis_recording: 'Recording…',
    vis_recorded: 'Visit {id} recorded ({outcome}{due})', vis_next: ', next {due}',
    vis_loading: 'Loading…', vis_overdue_n: 'Overdue on {today}: {n} households',
    vis_overdue_caption: 'Overdue visits (latest first)',
    vis_appointment_of: 'appointment for {id}', vis_planning: 'Planning the round…',
    vis_round: 'Round of the overdue visits: {days} days, {km} km',
    vis_left_out: 'Households left out of the round: {n}', vis_day_stop: 'day {day} stop {k}',
  },
});
// The tables' column headers in each language.
const COLUMNS = {
  overdue: {
    ja: ['世帯', '区域', '予定日', '遅れ（日）', '前回', '約束の時間（例 10:00-11:00）'],
    en: ['Household', 'District', 'Due', 'Days late', 'Last visit', 'Appointment (e.g. 10:00-11:00)'],
  },
  round: {
    ja: ['日', '#', '世帯', '到着', '出発', '約束'],
    en: ['Day', '#', 'Household', 'Arrive', 'Leave', 'Appointment'],
  },
};
const columns = (k) => COLUMNS[k][i18n.getLang()] || COLUMNS[k].ja;

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
    status('visit-status', i18n.t('vis_recording'));
    try {
      const r = await postJSON('api/visits', body);
      status('visit-status', i18n.t('vis_recorded',
        { id: r.id, outcome: r.outcome, due: r.next_due ? i18n.t('vis_next', { due: r.next_due }) : '' }));
      $('visit-form').reset();
    } catch (err) {
      status('visit-status', err.message, true);
    }
  }

  // The overdue table, in the current language (again when it changes,
  // keeping the appointments typed so far).
  function renderOverdue(today) {
    const typed = {};
    for (const input of document.querySelectorAll('#overdue-list input.appointment')) typed[input.dataset.id] = input.value;
    status('overdue-status', i18n.t('vis_overdue_n', { today, n: overdue.length }));
    fill('overdue-list', table(i18n.t('vis_overdue_caption'), columns('overdue'),
      overdue.map((h) => [h.id, h.district || '–', h.due, { v: String(h.days_late), class: 'num' },
        `${h.last_visit} ${h.last_outcome || ''}`,
        el('input', { type: 'text', class: 'appointment', 'data-id': h.id,
          'aria-label': i18n.t('vis_appointment_of', { id: h.id }),
          pattern: '[0-9]{2}:[0-9]{2}-[0-9]{2}:[0-9]{2}', size: 11, value: typed[h.id] || '' })])));
  }

  let overdueDay = '';
  async function load() {
    status('overdue-status', i18n.t('vis_loading'));
    try {
      const r = await api('api/households?overdue=true');
      overdue = r.households;
      overdueDay = r.today;
      renderOverdue(overdueDay);
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
    status('overdue-status', i18n.t('vis_planning'));
    try {
      plan = await postJSON('api/route', body);
      renderRound();
      status('overdue-status', plan.unreachable.length ? i18n.t('vis_left_out', { n: plan.unreachable.length }) : '');
      draw();
    } catch (err) {
      status('overdue-status', err.message, true);
    }
  }

  function renderRound() {
    const rows = [];
    plan.days.forEach((d) => d.stops.forEach((s, i) => rows.push([String(d.day), String(i + 1), s.household_id,
      s.arrive, s.leave, s.appointment ? `${s.appointment.from}-${s.appointment.to}` : '–'])));
    fill('overdue-route', table(i18n.t('vis_round', { days: plan.days.length, km: (plan.total_walk_m / 1000).toFixed(1) }),
      columns('round'), rows));
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
      lonlat: [s.lon, s.lat], text: String(k + 1), color: colors[i % colors.length],
      label: i18n.t('vis_day_stop', { day: d.day, k: k + 1 }),
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
    render() { // the language changed
      if (overdueDay) renderOverdue(overdueDay);
      if (plan) renderRound();
    },
    walkingChanged() {},
    click() {},
  };
}
