// SPDX-License-Identifier: MIT
// round.js - a welfare commissioner's visit round (民生委員, role
// commissioner, permission route_order), inside the 世帯 view: the
// commissioner ticks households of its list (or takes all of them), picks
// a start (a consultation desk, the one nearest its district first, or a
// point it clicks on the map, its own home for instance) and gets the
// order to visit them in. POST /api/route answers a commissioner with the
// order-only document (src/access/route_order.h): household ids in order,
// each stop's walk from the previous place and each day's walk (back to
// the start included) rounded up to 100 m and 5 minutes, the whole walk in
// metres, and the households left out with the reason; no coordinate, no
// path, no clock time. So the page shows an ordered list with those
// rounded walks and totals, printable, and draws nothing of the households
// on the map (only the start the commissioner chose); it never asks for a
// household's position. Entry points: visitRound(ctx, households),
// roundWords (added by app.js).

import { postJSON } from './api.js';
import { el, fill, table, num } from './dom.js';
import * as i18n from './i18n.js';
import { districtsOf, nearestDesk } from './desks.js';

export const roundWords = {
  ja: {
    rd_title: '訪問の順番を作る',
    rd_hint: '表で選んだ世帯（またはすべて）を回る順番と、前の地点からのおおよその徒歩を出します。徒歩は100 m・5分単位に切り上げた目安です。世帯の位置と道順は表示しません。',
    rd_col_pick: '回る',
    rd_pick_label: '{id}を訪問の順番に入れる',
    rd_start: '出発地',
    rd_start_clicked: '地図でクリックした地点',
    rd_start_clicked_none: '地図でクリックした地点（まだありません）',
    rd_dwell: '1軒の訪問（分）',
    rd_day: '1日に使える時間（分）',
    rd_run_picked: '選んだ世帯で順番を作る',
    rd_run_all: 'すべての世帯で順番を作る',
    rd_none_picked: '表で回る世帯を選んでください（または「すべての世帯で順番を作る」）。',
    rd_need_start: '出発地を選ぶか、地図をクリックしてください。',
    rd_head: '{n}軒の訪問の順番（{d}日）　徒歩 合計 約{km} km',
    rd_day_head: '{d}日目：{n}軒、徒歩 約{m} m・約{min}分（出発地に戻るまで）',
    rd_col_order: '順番',
    rd_col_walk: '前の地点からの徒歩',
    rd_walk: '約{m} m・約{min}分',
    rd_approx: '町丁目の代表点で計算',
    rd_empty: '回る世帯はありません。',
    rd_left: '順番に入らなかった世帯：{list}',
    rd_note: '徒歩は道に沿った距離を100 m・5分単位に切り上げた目安です（速さ {s} m/分）。',
    rd_print: '訪問の順番：出発地 {start}、{n}軒、速さ {s} m/分',
  },
  en: {
    rd_title: 'Plan a visit round',
    rd_hint: 'The order to visit the households ticked in the table (or all of them) in, with the rough walk from the previous place, rounded up to 100 m and 5 minutes. Positions and paths are not shown.',
    rd_col_pick: 'Visit',
    rd_pick_label: 'Put {id} in the round',
    rd_start: 'Start',
    rd_start_clicked: 'the point clicked on the map',
    rd_start_clicked_none: 'the point clicked on the map (none yet)',
    rd_dwell: 'Minutes per visit',
    rd_day: 'Minutes available per day',
    rd_run_picked: 'Order the ticked households',
    rd_run_all: 'Order all households',
    rd_none_picked: 'Tick the households to visit in the table (or order all of them).',
    rd_need_start: 'Choose a start or click the map.',
    rd_head: 'Visit order for {n} households ({d} days), about {km} km on foot in all',
    rd_day_head: 'Day {d}: {n} visits, about {m} m / {min} min on foot (back to the start included)',
    rd_col_order: 'Order',
    rd_col_walk: 'Walk from the previous place',
    rd_walk: 'about {m} m / {min} min',
    rd_approx: 'reckoned from the town block\'s point',
    rd_empty: 'There is no household to visit.',
    rd_left: 'Households not in the order: {list}',
    rd_note: 'Walks follow the streets and are rounded up to 100 m and 5 minutes ({s} m/min).',
    rd_print: 'Visit order: start {start}, {n} households, {s} m/min',
  },
};

// ctx: the page's context (app.js); households: {picked() -> ids ticked,
// all() -> every id listed, row(id) -> the list's household or undefined}.
// Returns {box (the section to put in the view), render, show, click,
// printConditions}.
export function visitRound(ctx, households) {
  const { state, mv, walking, status } = ctx;
  let plan = null;      // last order-only answer
  let clicked = null;   // [lon, lat] clicked on the map in this view
  let visible = false;
  let home = '';        // the desk nearest the commissioner's district
  const desks = () => state.resources.filter((r) => r.kind === 'consultation');

  const startSel = el('select', { id: 'round-start' });
  const box = el('section', { id: 'round', class: 'round' },
    el('h2', { 'data-i18n': 'rd_title' }, i18n.t('rd_title')),
    el('p', { class: 'hint no-print', 'data-i18n': 'rd_hint' }, i18n.t('rd_hint')),
    el('form', { id: 'round-form', class: 'form no-print' },
      el('label', { for: 'round-start', 'data-i18n': 'rd_start' }, i18n.t('rd_start')), startSel,
      el('label', { for: 'round-dwell', 'data-i18n': 'rd_dwell' }, i18n.t('rd_dwell')),
      el('input', { type: 'number', id: 'round-dwell', min: 0, max: 240, value: 20 }),
      el('label', { for: 'round-day', 'data-i18n': 'rd_day' }, i18n.t('rd_day')),
      el('input', { type: 'number', id: 'round-day', min: 30, max: 720, value: 240 }),
      el('button', { type: 'submit', id: 'round-picked', 'data-i18n': 'rd_run_picked' }, i18n.t('rd_run_picked')),
      el('button', { type: 'button', id: 'round-all', 'data-i18n': 'rd_run_all' }, i18n.t('rd_run_all'))),
    el('div', { id: 'round-status', class: 'status', role: 'status', 'aria-live': 'polite' }),
    el('div', { id: 'round-result', class: 'result' }));

  function fillStart() {
    const keep = startSel.value || home;
    startSel.replaceChildren(...desks().map((r) => el('option', { value: r.id, selected: r.id === keep }, r.name)),
      el('option', { value: 'clicked', selected: keep === 'clicked' }, i18n.t(clicked ? 'rd_start_clicked' : 'rd_start_clicked_none')));
  }

  // The default start: the desk nearest the centre of the commissioner's
  // district (public district data), once it is known.
  const mine = state.me && state.me.district;
  if (mine && mine.level && mine.code) {
    districtsOf(mine.level).then((d) => {
      home = nearestDesk(state.resources, d.centres[mine.code]);
      if (home && !plan && startSel.value !== 'clicked') { startSel.value = home; drawStart(); }
    }).catch(() => {});
  }

  function startPoint() {
    if (startSel.value === 'clicked') return clicked;
    const r = state.resources.find((x) => x.id === startSel.value);
    return r ? [r.lon, r.lat] : null;
  }

  // Only the start is drawn: the answer holds no household position.
  function drawStart() { if (visible) mv.setOrigin(startPoint()); }

  async function run(ids) {
    if (!ids.length) { status('round-status', i18n.t('rd_none_picked'), true); return; }
    const start = startPoint();
    if (!start) { status('round-status', i18n.t('rd_need_start'), true); return; }
    const body = {
      start: { lon: Number(start[0].toFixed(7)), lat: Number(start[1].toFixed(7)) },
      households: ids,
      dwell: Number(box.querySelector('#round-dwell').value),
      day_minutes: Number(box.querySelector('#round-day').value),
      speed: walking().speed,
    };
    status('round-status', i18n.t('loading'));
    try {
      plan = await postJSON('api/route', body);
      plan.speed = body.speed;
      plan.start = startSel.options[startSel.selectedIndex] ? startSel.options[startSel.selectedIndex].textContent : '';
      status('round-status', '');
    } catch (err) {
      plan = null;
      status('round-status', i18n.t('error', { msg: err.message }), true);
    }
    render();
  }

  function render() {
    fillStart();
    // Printed, the round stands alone: the list it came from stays on screen.
    if (box.parentElement) box.parentElement.classList.toggle('round-shown', !!plan);
    if (!plan) { fill('round-result'); return; }
    const stops = plan.days.reduce((n, d) => n + d.stops.length, 0);
    const days = plan.days.filter((d) => d.stops.length);
    const parts = [el('p', { class: 'lead' }, stops ? i18n.t('rd_head', { n: stops, d: days.length, km: num(plan.total_walk_m / 1000) })
      : i18n.t('rd_empty'))];
    const sep = i18n.getLang() === 'ja' ? '・' : ', ';
    for (const d of days) {
      const rows = d.stops.map((s) => {
        const h = households.row(s.household_id) || {};
        return [{ v: String(s.order), class: 'num' }, s.household_id, h.district || '–', (h.needs || []).join(sep) || '–',
          { v: i18n.t('rd_walk', { m: s.walk_m, min: s.walk_min }), class: 'num' },
          s.position ? i18n.t('rd_approx') : ''];
      });
      const t = table(i18n.t('rd_day_head', { d: d.day, n: d.stops.length, m: d.walk_m, min: d.walk_min }),
        [i18n.t('rd_col_order'), i18n.t('hh_col_id'), i18n.t('hh_col_district'), i18n.t('hh_col_needs'), i18n.t('rd_col_walk'), ''], rows);
      t.classList.add('round-table');
      parts.push(t);
    }
    if (plan.unreachable.length) {
      parts.push(el('p', { class: 'small' }, i18n.t('rd_left', {
        list: plan.unreachable.map((u) => `${u.household_id}（${i18n.t(`why_${u.reason}`)}）`).join(sep) })));
    }
    parts.push(el('p', { class: 'small' }, i18n.t('rd_note', { s: plan.speed })));
    fill('round-result', parts);
  }

  box.querySelector('#round-form').addEventListener('submit', (ev) => { ev.preventDefault(); run(households.picked()); });
  box.querySelector('#round-all').addEventListener('click', () => run(households.all()));
  startSel.addEventListener('change', drawStart);
  fillStart();

  return {
    box,
    render,
    show(on) {
      visible = on;
      document.body.classList.toggle('round-on', on);
      mv.setOrigin(on ? startPoint() : null);
    },
    click(lonlat) {
      // The clicked point becomes a choice of start; the start changes
      // only when the commissioner picks it.
      clicked = lonlat;
      fillStart();
    },
    printConditions() {
      return plan ? i18n.t('rd_print', { start: plan.start, n: plan.days.reduce((n, d) => n + d.stops.length, 0), s: plan.speed }) : '';
    },
  };
}
