// SPDX-License-Identifier: MIT
// editor_print.js - the printable 地域資源リスト of one district (issue 12):
// the resources whose position lies in the chosen district of a level
// (/api/resources.geojson?level=L names each resource's district), sorted
// by kind (the page's kind order) then name, with kind, days and hours (in
// Japanese) and contact, printed on A4 portrait through the browser's own
// print path: the list is built into #district-print, the body gets the
// class print-district-list, and the print stylesheet (style.css) then
// prints that list alone on its own named page; afterprint puts the page
// back. Entry points: districtPrinter(state), relabelDistrictPrinter(state).

import { api, qs } from './api.js';
import { el, table } from './dom.js';
import * as i18n from './i18n.js';

i18n.addWords({
  ja: {
    dl_title: '区域の地域資源リスト（A4印刷）',
    dl_level: '区域の単位', dl_district: '区域', dl_print: 'この区域の一覧を印刷',
    dl_head: '{district}の地域資源（{n}件）',
    dl_sub: '{place}　{date}現在　種類順',
    dl_name: '名称', dl_kind: '種類', dl_hours: '曜日・時間', dl_contact: '連絡先',
    dl_empty: 'この区域に資源はありません。',
  },
  en: {
    dl_title: 'Resources of a district (A4 print)',
    dl_level: 'Level', dl_district: 'District', dl_print: 'Print this district\'s list',
    dl_head: 'Local resources in {district} ({n})',
    dl_sub: '{place} as of {date}, by kind',
    dl_name: 'Name', dl_kind: 'Kind', dl_hours: 'Days and hours', dl_contact: 'Contact',
    dl_empty: 'No resource lies in this district.',
  },
});

// A level's name in the page's language (its label in Japanese).
const levelName = (l) => (i18n.getLang() === 'ja' ? l.label || l.level : l.level);

// The level choices named again after a language change (the other words
// carry data-i18n keys).
export function relabelDistrictPrinter(state) {
  const sel = document.getElementById('dl-level');
  for (const o of sel ? sel.options : []) {
    const l = state.levels.find((x) => x.level === o.value);
    if (l) o.textContent = levelName(l);
  }
}

// The controls for the editor's view; the printed list goes into a
// #district-print element of the body (made here once).
export function districtPrinter(state) {
  let sheet = document.getElementById('district-print');
  if (!sheet) {
    sheet = el('section', { id: 'district-print', class: 'district-print', 'aria-hidden': 'true' });
    document.body.append(sheet);
  }
  const levelSel = el('select', { id: 'dl-level' }, state.levels.map((l) => el('option', { value: l.level }, levelName(l))));
  const districtSel = el('select', { id: 'dl-district' });
  const go = el('button', { type: 'button', id: 'dl-print', 'data-i18n': 'dl_print' }, i18n.t('dl_print'));
  const status = el('div', { id: 'dl-status', class: 'small', role: 'status', 'aria-live': 'polite' });
  let features = [];

  async function loadLevel() {
    const level = levelSel.value;
    const fc = await api(`api/resources.geojson?${qs({ level })}`);
    features = fc.features.map((f) => f.properties);
    const names = [...new Set(features.map((p) => p.districts && p.districts[level]).filter(Boolean))].sort((a, b) => a.localeCompare(b, 'ja'));
    districtSel.replaceChildren(...names.map((n) => el('option', { value: n }, n)));
  }

  // Kinds in the page's order, unknown kinds after them by name.
  const order = (k) => {
    const i = i18n.kinds.findIndex((x) => x.key === k);
    return i < 0 ? i18n.kinds.length : i;
  };

  // Builds the list of the chosen district into the sheet; returns its rows.
  function build() {
    const level = levelSel.value;
    const district = districtSel.value;
    const rows = features.filter((p) => p.districts && p.districts[level] === district)
      .sort((a, b) => order(a.kind) - order(b.kind) || String(a.kind).localeCompare(String(b.kind))
        || a.name.localeCompare(b.name, 'ja'));
    const date = new Date().toLocaleDateString(i18n.getLang() === 'ja' ? 'ja-JP' : 'en-GB');
    const place = (state.meta && state.meta.municipality) || '';
    sheet.replaceChildren(
      el('h1', {}, i18n.t('dl_head', { district, n: rows.length })),
      el('p', { class: 'dl-sub' }, i18n.t('dl_sub', { place, date })),
      rows.length ? table(null, [i18n.t('dl_name'), i18n.t('dl_kind'), i18n.t('dl_hours'), i18n.t('dl_contact')],
        rows.map((r) => [r.name, i18n.kindLabel(r.kind), i18n.scheduleLabel(r.schedule), r.contact || '']))
        : el('p', {}, i18n.t('dl_empty')));
    return rows;
  }

  levelSel.addEventListener('change', () => loadLevel().catch((err) => { status.textContent = err.message; }));
  go.addEventListener('click', () => {
    const rows = build();
    status.textContent = i18n.t('dl_head', { district: districtSel.value, n: rows.length });
    document.body.classList.add('print-district-list');
    window.print();
  });
  window.addEventListener('afterprint', () => document.body.classList.remove('print-district-list'));
  loadLevel().catch((err) => { status.textContent = err.message; });

  return el('div', { class: 'form district-list no-print' },
    el('h3', { 'data-i18n': 'dl_title' }, i18n.t('dl_title')),
    el('label', { for: 'dl-level', 'data-i18n': 'dl_level' }, i18n.t('dl_level')), levelSel,
    el('label', { for: 'dl-district', 'data-i18n': 'dl_district' }, i18n.t('dl_district')), districtSel,
    go, status);
}
