// SPDX-License-Identifier: MIT
// editor_place.js - placing or moving a resource's point by address in the
// 地域資源の編集 view (issue 12), with the same geocoder as the page's
// address box (/api/geocode): the matched address and its level (住居番号,
// 街区, 町丁目, 市区町村) and precision are shown; a residence or block match
// places the point at once, a town-level (or coarser) match only after the
// editor confirms, since the point would then be the town's representative
// point, not the building. Entry point: addressPlacer(onPlace).

import { api, qs } from './api.js';
import { el } from './dom.js';
import * as i18n from './i18n.js';

i18n.addWords({
  ja: {
    ed_geo_label: '住所で位置を置く',
    ed_geo_button: '住所で置く',
    ed_geo_placed: '「{matched}」（{level}の精度、約{p} m）に置きました。',
    ed_geo_coarse: '「{matched}」は{level}の精度（約{p} m）でしか一致しません。建物ではなく{level}の代表点に置くことになります。この位置でよいですか？',
    ed_geo_yes: 'この位置に置く',
    ed_geo_no: 'やめる',
    ed_geo_none: 'この住所は見つかりませんでした。地図をクリックして置いてください。',
    ed_geo_unavailable: '住所の参照データがありません。地図をクリックして置いてください。',
  },
  en: {
    ed_geo_label: 'Place by address',
    ed_geo_button: 'Place',
    ed_geo_placed: 'Placed at "{matched}" ({level} precision, about {p} m).',
    ed_geo_coarse: '"{matched}" matches only at {level} precision (about {p} m): the point would be the {level}\'s representative point, not the building. Place it there?',
    ed_geo_yes: 'Place it here',
    ed_geo_no: 'Cancel',
    ed_geo_none: 'This address was not found. Click the map to place the point.',
    ed_geo_unavailable: 'There is no address reference. Click the map to place the point.',
  },
});

// Levels precise enough to place a point without asking.
const PRECISE = new Set(['residence', 'block']);

// The address row for the editor's form: an input, a button and a status
// line. onPlace([lon, lat], match) is called when a point is placed.
export function addressPlacer(onPlace) {
  const input = el('input', { type: 'text', id: 'ed-geo-q', placeholder: i18n.t('search_placeholder'), 'data-i18n-placeholder': 'search_placeholder' });
  const button = el('button', { type: 'button', id: 'ed-geo-go', 'data-i18n': 'ed_geo_button' }, i18n.t('ed_geo_button'));
  const out = el('div', { id: 'ed-geo-status', class: 'small', role: 'status', 'aria-live': 'polite' });
  const levelWord = (g) => i18n.t(`level_${g.level}`);
  const fill = (box, ...children) => box.replaceChildren(...children);

  async function go() {
    const q = input.value.trim();
    if (!q) return;
    let g;
    try {
      g = await api(`api/geocode?${qs({ q })}`);
    } catch (err) {
      fill(out, el('p', { class: 'error' }, err.status === 404 ? i18n.t('ed_geo_unavailable') : err.message));
      return;
    }
    if (!g.level) { fill(out, el('p', { class: 'error' }, i18n.t('ed_geo_none'))); return; }
    const vars = { matched: g.matched, level: levelWord(g), p: Math.round(g.precision_m) };
    if (PRECISE.has(g.level)) {
      onPlace([g.lon, g.lat], g);
      fill(out, el('p', { 'data-level': g.level }, i18n.t('ed_geo_placed', vars)));
      return;
    }
    const yes = el('button', { type: 'button', id: 'ed-geo-yes' }, i18n.t('ed_geo_yes'));
    const no = el('button', { type: 'button', id: 'ed-geo-no' }, i18n.t('ed_geo_no'));
    yes.addEventListener('click', () => {
      onPlace([g.lon, g.lat], g);
      fill(out, el('p', { 'data-level': g.level }, i18n.t('ed_geo_placed', vars)));
    });
    no.addEventListener('click', () => fill(out));
    fill(out, el('p', { class: 'warn', 'data-level': g.level }, i18n.t('ed_geo_coarse', vars)), yes, no);
  }

  button.addEventListener('click', go);
  input.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') { ev.preventDefault(); go(); } });
  return el('div', { class: 'row ed-geo' }, el('label', { for: 'ed-geo-q', 'data-i18n': 'ed_geo_label' }, i18n.t('ed_geo_label')), input, button, out);
}
