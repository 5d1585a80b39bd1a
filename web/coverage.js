// SPDX-License-Identifier: MIT
// coverage.js - the coverage view: districts shaded by the share of
// households with a resource of the chosen kind within the walking limit
// (/api/coverage, joined to the district layer by code through feature
// state), figures on hover and click, a table, and suggested new sites
// (/api/suggest) as numbered markers. Only for roles that may see coverage
// (official, admin); the server hides small counts ("<5", and null for
// figures that would give them away; such districts get their own grey on
// the map and in the legend). Changing the kind or the level computes at
// once; the table can be saved as CSV. Census residents (public) beside the
// households, and the residents a suggested site adds where household
// counts are hidden: coverage_residents.js. Entry point: coverageView(ctx).

import { api, qs } from './api.js';
import { el, fill, table, num, pct, downloadCSV as download } from './dom.js';
import * as i18n from './i18n.js';
import { hasResidents, residentHeads, residentCells, pickLine, suggestReason } from './coverage_residents.js';

export function coverageView(ctx) {
  const { state, mv, walking, status } = ctx;
  const $ = (id) => document.getElementById(id);
  let doc = null;       // last /api/coverage answer
  let sug = null;       // last /api/suggest answer
  let asked = 0;        // sites asked of that suggestion
  let visible = false;
  let ran = false;      // computed at least once
  let seq = 0;
  const popup = new mv.maplibregl.Popup({ closeButton: false, closeOnClick: false, maxWidth: '300px' });

  function fillSelects() {
    const kindSel = $('cov-kind');
    const keep = kindSel.value || 'consultation';
    const present = [...new Set(state.resources.map((r) => r.kind))];
    const order = i18n.kinds.map((k) => k.key).filter((k) => present.includes(k))
      .concat(present.filter((k) => !i18n.kinds.some((x) => x.key === k)));
    kindSel.replaceChildren(...order.map((k) => el('option', { value: k, selected: k === keep }, i18n.kindLabel(k))));
    const levelSel = $('cov-level');
    const lv = levelSel.value || (state.levels.length ? state.levels[state.levels.length - 1].level : '');
    levelSel.replaceChildren(...state.levels.map((l) => el('option', { value: l.level, selected: l.level === lv },
      i18n.getLang() === 'ja' ? l.label || l.level : l.level.replace(/_/g, ' '))));
    $('coverage-hint').textContent = i18n.t('coverage_hint', { m: walking().minutes });
  }

  async function run() {
    const n = ++seq;
    const w = walking();
    const q = qs({ minutes: w.minutes, speed: w.speed, kind: $('cov-kind').value, level: $('cov-level').value });
    status('coverage-status', i18n.t('loading'));
    try {
      const d = await api(`api/coverage?${q}`);
      if (n !== seq) return;
      doc = d;
      ran = true;
      status('coverage-status', '');
      if (visible) mv.setCoverage(doc.level, doc.districts);
      render();
    } catch (err) {
      if (n === seq) status('coverage-status', i18n.t('error', { msg: err.message }), true);
    }
  }

  async function suggest() {
    const w = walking();
    const q = qs({ minutes: w.minutes, speed: w.speed, kind: $('cov-kind').value,
      sites: $('sug-sites').value, candidates: $('sug-candidates').value });
    status('suggest-status', i18n.t('loading'));
    try {
      asked = Number($('sug-sites').value);
      sug = await api(`api/suggest?${q}`);
      status('suggest-status', '');
      render();
    } catch (err) {
      sug = null;
      render();
      status('suggest-status', i18n.t('error', { msg: err.message }), true);
    }
  }

  // Figures may be "<5" (fewer than 5 households), null (hidden so a small
  // count cannot be worked out, or not defined).
  const count = (v) => (v === null || v === undefined ? '–' : v);

  function row(d, total) {
    return [d.code || '', total ? i18n.t('cov_total') : d.name,
      { v: count(d.households), class: 'num' }, { v: count(d.households_covered), class: 'num' },
      { v: pct(d.share_covered), class: 'num' },
      { v: d.median_min === null ? '–' : i18n.t('min_value', { v: num(d.median_min) }), class: 'num' },
      { v: d.max_min === null ? (d.households && !d.suppressed ? i18n.t('unreachable') : '–') : i18n.t('min_value', { v: num(d.max_min) }), class: 'num' },
      ...(hasResidents(doc) ? residentCells(d) : [])];
  }

  function siteName(p) {
    return p.name ? `${p.id || ''} ${p.name}`.trim() : i18n.t('suggest_node', { node: p.node });
  }

  function render() {
    fillSelects();
    if (doc) {
      const head = i18n.t('cov_head', { kind: i18n.kindLabel(doc.kind), m: doc.minutes, s: doc.speed_m_per_min });
      const t = table(head, [i18n.t('cov_code'), i18n.t('cov_district'), i18n.t('cov_households'),
        i18n.t('cov_covered'), i18n.t('cov_share'), i18n.t('cov_median'), i18n.t('cov_worst'),
        ...(hasResidents(doc) ? residentHeads() : [])],
      [...doc.districts.map((d) => row(d, false)), row(doc.total, true)]);
      t.classList.add('coverage-table');
      t.tBodies[0].lastElementChild.classList.add('total');
      const off = doc.off_network ? doc.off_network.households : 0;
      const hidden = doc.districts.some((d) => d.suppressed);
      const csv = el('button', { type: 'button', class: 'no-print' }, i18n.t('csv_download'));
      csv.addEventListener('click', () => download(t, `coverage-${doc.kind}-${doc.level}-${doc.minutes}min.csv`));
      fill('coverage-result', t, csv, off ? el('p', { class: 'small' }, `${i18n.t('cov_off')}: ${off}`) : null,
        hidden ? el('p', { class: 'small' }, i18n.t('cov_suppressed')) : null,
        hasResidents(doc) ? el('p', { class: 'small', id: 'cov-residents-note' }, i18n.t('cov_residents_note')) : null);
    }
    if (sug) {
      const b = sug.before;
      const items = sug.picks.map((p) => el('li', {}, pickLine(p, sug, siteName(p), count)));
      const why = items.length ? suggestReason(sug, asked) : '';
      fill('suggest-result', el('p', {}, i18n.t('suggest_before', { c: count(b.households_covered), h: count(b.households), p: pct(b.share_covered) })),
        items.length ? el('ol', { class: 'picks' }, items) : el('p', {}, i18n.t('suggest_none')),
        why ? el('p', { class: 'small', id: 'suggest-reason' }, why) : null);
    } else {
      fill('suggest-result');
    }
    showMarkers();
  }

  function showMarkers() {
    mv.setMarkers('suggest', visible && sug ? sug.picks.map((p) => ({
      lonlat: [p.lon, p.lat], text: `★${p.rank}`, color: '#6a1b9a', label: `${i18n.t('suggest_title')} ${p.rank}: ${siteName(p)}`,
    })) : []);
  }

  // Figures of the district under the pointer.
  function hover(ev) {
    if (!visible) return;
    const f = ev.features && ev.features[0];
    if (!f) return;
    const code = f.properties.code;
    const d = doc && doc.districts.find((x) => x.code === code);
    const text = d ? i18n.t('cov_popup', {
      name: d.name, c: count(d.households_covered), h: count(d.households), p: pct(d.share_covered),
      med: d.median_min === null ? '–' : i18n.t('min_value', { v: num(d.median_min) }),
      max: d.max_min === null ? '–' : i18n.t('min_value', { v: num(d.max_min) }),
    }) : `${f.properties.name || ''} (${code || ''})`;
    popup.setLngLat(ev.lngLat).setDOMContent(el('div', { class: 'popup-figures' }, text)).addTo(mv.map);
  }

  for (const lv of state.levels) {
    const layer = `districts_${lv.level}-fill`;
    if (!mv.map.getLayer(layer)) continue;
    mv.map.on('mousemove', layer, (ev) => { if (!doc || doc.level === lv.level) hover(ev); });
    mv.map.on('mouseleave', layer, () => popup.remove());
  }

  $('coverage-form').addEventListener('submit', (ev) => { ev.preventDefault(); run(); });
  $('cov-kind').addEventListener('change', () => run());
  $('cov-level').addEventListener('change', () => run());
  $('suggest-form').addEventListener('submit', (ev) => { ev.preventDefault(); suggest(); });

  return {
    show(on) {
      visible = on;
      if (!on) popup.remove();
      mv.setCoverage(on && doc ? doc.level : null, doc ? doc.districts : []);
      if (!on || !doc) for (const lv of state.levels) mv.setLevelVisible(lv.level, state.shownLevels.has(lv.level));
      showMarkers();
      if (on && !ran) run();
    },
    render,
    printConditions() {
      const w = walking();
      return i18n.t('print_coverage', { kind: i18n.kindLabel($('cov-kind').value), m: w.minutes, s: w.speed });
    },
    walkingChanged() {
      $('coverage-hint').textContent = i18n.t('coverage_hint', { m: walking().minutes });
      if (visible && ran) run();
    },
    click(lonlat, ev) {
      const layers = state.levels.map((lv) => `districts_${lv.level}-fill`).filter((l) => mv.map.getLayer(l));
      const features = mv.map.queryRenderedFeatures(ev.point, { layers })
        .filter((f) => !doc || f.layer.id === `districts_${doc.level}-fill`);
      hover({ features, lngLat: ev.lngLat });
    },
  };
}
