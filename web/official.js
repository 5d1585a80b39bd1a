// SPDX-License-Identifier: MIT
// official.js - the official's tab (issue 14: 行政向け): per district, the
// needs known against the census indicators (/api/needs, officials and
// admins; small counts come hidden from the server and are shown as hidden,
// never as zero) and how each area is equipped (/api/equipment: resources
// of each kind, per 1,000 residents, "なし" where a district has none, and
// the mean number within the walking limit), each table downloadable as
// CSV, and the A4 report (/api/report.pdf, with the equipment and needs
// tables and a snapshot to compare with as chosen) as a download; the browser's
// session cookie signs that request in, so it is a plain link. The tables
// sort by a click on a column's heading (table_sort.js; hidden figures
// stay as the server gives them and sort last), keep their heading in view
// while they scroll, and can take the map's room (表を画面いっぱいに広げる:
// body.official-wide) for a wide level; printed, they stand alone, with
// the heading repeated on each page (style.css). The form's words are
// relabelled on a language change (data-i18n). Entry point:
// officialView(ctx).

import { api, qs } from './api.js';
import { el, fill, table, downloadCSV, splitColumns } from './dom.js';
import * as i18n from './i18n.js';
import { sortable } from './table_sort.js';

i18n.addWords({
  ja: {
    tab_official: '行政向け',
    off_title: 'まだ手が届いていない所と地域の備え',
    off_level: '区域の単位',
    off_need: '要配慮の種類',
    off_need_all: 'すべて（把握している世帯の数）',
    off_per: '比べる指標',
    off_kind: '報告書の資源の種類',
    off_run: '表示',
    off_needs_head: '把握している世帯と統計（{level}）',
    off_equip_head: '地域の備え：資源の数（{level}）',
    off_code: 'コード', off_district: '区域', off_households: '把握世帯',
    off_known: '把握数', off_rate: '{per}千あたり', off_expected: '期待数', off_flag: '判定',
    off_under: '把握が少ない', off_residents: '住民',
    off_hidden: '非表示',
    off_none: 'なし',
    off_within: '{m}分以内の平均',
    off_csv_needs: '把握状況をCSVで保存', off_csv_equip: '地域の備えをCSVで保存',
    off_pdf: '報告書（PDF, A4）',
    off_pdf_equip: '報告書に地域の備えの表',
    off_pdf_needs: '報告書に把握状況の表',
    off_pdf_compare: '比べるスナップショット（名前、例：2026年度）',
    off_note_hidden: '「非表示」は少ない数を特定されないよう出していない値です（0ではありません）。',
    off_note_flag: '「把握が少ない」：市全体の率の半分未満で、ポアソン検定（片側5%）でも偶然とは言いにくい区域。',
    off_wide: '表を画面いっぱいに広げる', off_narrow: '地図を表示して表を戻す',
    off_sort_hint: '列の見出しを押すと並べ替えます（非表示の値は常に最後）。',
  },
  en: {
    tab_official: 'Officials',
    off_title: 'Where help has not reached, and how areas are equipped',
    off_level: 'District level',
    off_need: 'Need',
    off_need_all: 'all (known households)',
    off_per: 'Compared with',
    off_kind: 'Resource kind in the report',
    off_run: 'Show',
    off_needs_head: 'Known households and statistics ({level})',
    off_equip_head: 'How each area is equipped ({level})',
    off_code: 'Code', off_district: 'District', off_households: 'Known households',
    off_known: 'Known', off_rate: 'per 1,000 {per}', off_expected: 'Expected', off_flag: 'Flag',
    off_under: 'under-identified', off_residents: 'Residents',
    off_hidden: 'hidden',
    off_none: 'none',
    off_within: 'mean within {m} min',
    off_csv_needs: 'Save needs as CSV', off_csv_equip: 'Save equipment as CSV',
    off_pdf: 'Report (PDF, A4)',
    off_pdf_equip: 'Equipment table in the report',
    off_pdf_needs: 'Needs table in the report',
    off_pdf_compare: 'Compare with snapshot (its label, e.g. 2026年度)',
    off_note_hidden: '"hidden" marks figures withheld so small counts cannot be worked out (not zero).',
    off_note_flag: '"under-identified": below half the municipal rate and unlikely by chance (one-sided Poisson test at 5%).',
    off_wide: 'Widen the tables to the whole window', off_narrow: 'Show the map, tables back in the panel',
    off_sort_hint: 'Click a column heading to sort (hidden figures always last).',
  },
});

// Kinds per printed part of the equipment table (see printEquipment).
const EQUIP_PRINT_KINDS = 4;

// A figure as the server sends it: a number, "<5" (fewer than 5), or null
// (hidden so a small count cannot be worked out): never shown as 0.
function figure(v) {
  if (v === null || v === undefined) return { v: i18n.t('off_hidden'), class: 'num hidden-figure' };
  return { v: String(v), class: 'num' };
}

export function officialView(ctx) {
  const { state, walking, status } = ctx;
  const $ = (id) => document.getElementById(id);
  let needs = null;  // last /api/needs answer
  let equip = null;  // last /api/equipment answer
  let ran = false;
  let seq = 0;
  let wide = false;  // the tables take the map's room (body.official-wide)
  let visible = false;
  const order = { needs: {}, equipment: {} }; // each table's sort ({col, dir}), kept across redraws

  const levelLabel = (lv) => {
    const l = state.levels.find((x) => x.level === lv);
    return i18n.getLang() === 'ja' && l && l.label ? l.label : lv;
  };

  function fillSelects() {
    const lvSel = $('off-level');
    const lv = lvSel.value || (state.levels.length ? state.levels[state.levels.length - 1].level : '');
    lvSel.replaceChildren(...state.levels.map((l) => el('option', { value: l.level, selected: l.level === lv }, levelLabel(l.level))));
    const kindSel = $('off-kind');
    const kind = kindSel.value || 'consultation';
    const kinds = [...new Set(state.resources.map((r) => r.kind))].filter((k) => k !== 'candidate');
    kindSel.replaceChildren(...kinds.map((k) => el('option', { value: k, selected: k === kind }, i18n.kindLabel(k))));
  }

  // The need and indicator choices, from the first answer's lists.
  function fillNeedSelects(doc) {
    const needSel = $('off-need');
    if (needSel.options.length) return;
    const tags = doc.tags || [];
    const need = tags.includes('高齢独居') ? '高齢独居' : '';
    needSel.replaceChildren(el('option', { value: '' }, i18n.t('off_need_all')),
      ...tags.map((t) => el('option', { value: t, selected: t === need }, t)));
    const per = (doc.indicators || []).includes('高齢単身世帯') ? '高齢単身世帯' : (doc.indicators || [])[0] || '';
    $('off-per').replaceChildren(...(doc.indicators || []).map((x) => el('option', { value: x, selected: x === per }, x)));
  }

  async function run() {
    const n = ++seq;
    const level = $('off-level').value;
    const need = $('off-need').value;
    const per = $('off-per').value;
    status('official-status', i18n.t('loading'));
    try {
      const [nd, eq] = await Promise.all([
        api(`api/needs?${qs({ level, need, per: need ? per : '' })}`),
        api(`api/equipment?${qs({ level, minutes: walking().minutes })}`)]);
      if (n !== seq) return;
      needs = nd;
      equip = eq;
      ran = true;
      const first = !$('off-need').options.length;
      fillNeedSelects(nd);
      status('official-status', '');
      if (first && $('off-need').value) { run(); return; }
      render();
    } catch (err) {
      if (n === seq) status('official-status', i18n.t('error', { msg: err.message }), true);
    }
  }

  function needsTable() {
    const d = needs;
    const rows = [...d.districts, { ...d.total, code: '', name: i18n.t('cov_total'), total: true }];
    let head;
    let cells;
    if (d.need) {
      head = [i18n.t('off_code'), i18n.t('off_district'), i18n.t('off_known'), d.per || '',
        i18n.t('off_rate', { per: d.per || '' }), i18n.t('off_expected'), i18n.t('off_flag')];
      cells = (r) => [r.code || '', r.name, figure(r.needs ? r.needs[d.need] : null),
        figure(r.indicators ? r.indicators[d.per] : null),
        figure(r.total ? d.rate_per_1000 : r.rate_per_1000), figure(r.total ? null : r.expected),
        r.under_identified ? { v: i18n.t('off_under'), class: 'flag' } : ''];
    } else {
      head = [i18n.t('off_code'), i18n.t('off_district'), i18n.t('off_households'), ...d.tags];
      cells = (r) => [r.code || '', r.name, figure(r.households), ...d.tags.map((t) => figure(r.needs ? r.needs[t] : null))];
    }
    const t = table(i18n.t('off_needs_head', { level: levelLabel(d.level) }), head, rows.map(cells));
    t.id = 'official-needs';
    t.tBodies[0].lastElementChild.classList.add('total');
    if (d.need) for (const [i, r] of rows.entries()) if (r.under_identified) t.tBodies[0].rows[i].classList.add('under');
    // A new need or level is a new table: its sort starts afresh.
    const shape = `${d.level}|${d.need || ''}`;
    if (order.needs.shape !== shape) order.needs = { shape };
    return sortable(t, order.needs);
  }

  // The equipment table's print copy: parts of EQUIP_PRINT_KINDS kinds each
  // (code, district and residents repeated, the screen's order kept), so
  // every column is on an A4 page, portrait or landscape.
  function printEquipment(t) {
    const box = $('official-equipment-print');
    const within = equip.minutes !== null && equip.minutes !== undefined;
    if (box) box.replaceChildren(...splitColumns(t, 3, EQUIP_PRINT_KINDS * (within ? 3 : 2)));
  }

  function equipTable() {
    const d = equip;
    const within = d.minutes !== null && d.minutes !== undefined;
    const head = [i18n.t('off_code'), i18n.t('off_district'), i18n.t('off_residents'),
      ...d.kinds.flatMap((k) => [i18n.kindLabel(k), `${i18n.kindLabel(k)}/1000`,
        ...(within ? [`${i18n.kindLabel(k)} ${i18n.t('off_within', { m: d.minutes })}`] : [])])];
    const rows = [...d.districts, { ...d.total, code: '', name: i18n.t('cov_total'), total: true }];
    const t = table(i18n.t('off_equip_head', { level: levelLabel(d.level) }), head, rows.map((r) => [
      r.code || '', r.name, r.residents === null || r.residents === undefined ? '–' : { v: String(r.residents), class: 'num' },
      ...d.kinds.flatMap((k) => {
        const c = r.resources ? r.resources[k] : null;
        const none = !r.total && (r.none || []).includes(k);
        const per = r.per_1000 ? r.per_1000[k] : null;
        const w = r.within ? r.within[k] : null;
        return [none ? { v: i18n.t('off_none'), class: 'num none' } : { v: c === null || c === undefined ? '–' : String(c), class: 'num' },
          { v: per === null || per === undefined ? '–' : String(per), class: 'num' },
          ...(within ? [{ v: w === null || w === undefined ? '–' : String(w), class: 'num' }] : [])];
      })]));
    t.id = 'official-equipment';
    t.tBodies[0].lastElementChild.classList.add('total');
    const shape = `${d.level}|${d.kinds.join(',')}|${within}`;
    if (order.equipment.shape !== shape) order.equipment = { shape };
    return sortable(t, order.equipment, () => printEquipment(t));
  }

  // The report's address: the coverage conditions, the tables asked for
  // (the needs table with the need and indicator chosen above) and the
  // snapshot to compare with; the server checks each as the CLI does.
  function pdfHref() {
    const w = walking();
    const withNeeds = $('off-pdf-needs').checked;
    const need = withNeeds ? $('off-need').value : '';
    return `api/report.pdf?${qs({ level: $('off-level').value, kind: $('off-kind').value, minutes: w.minutes, speed: w.speed,
      equipment: $('off-pdf-equipment').checked ? 1 : '', needs: withNeeds ? 1 : '', need, per: need ? $('off-per').value : '',
      compare: $('off-pdf-compare').value.trim() })}`;
  }

  function pdfLink() {
    return el('a', { href: pdfHref(), id: 'official-pdf', class: 'button no-print', download: `tsunagu-report-${$('off-level').value}.pdf` }, i18n.t('off_pdf'));
  }

  function pdfChanged() {
    const a = $('official-pdf');
    if (a) a.href = pdfHref();
  }

  function render() {
    fillSelects();
    if (!needs || !equip) return;
    const nt = needsTable();
    const et = equipTable();
    const csvN = el('button', { type: 'button', id: 'official-csv-needs', class: 'no-print' }, i18n.t('off_csv_needs'));
    csvN.addEventListener('click', () => downloadCSV(nt, `needs-${needs.level}${needs.need ? `-${needs.need}` : ''}.csv`));
    const csvE = el('button', { type: 'button', id: 'official-csv-equipment', class: 'no-print' }, i18n.t('off_csv_equip'));
    csvE.addEventListener('click', () => downloadCSV(et, `equipment-${equip.level}.csv`));
    const widen = el('button', { type: 'button', id: 'official-wide', class: 'no-print', 'aria-pressed': String(wide) },
      i18n.t(wide ? 'off_narrow' : 'off_wide'));
    widen.addEventListener('click', () => setWide(!wide));
    fill('official-result', el('div', { class: 'off-actions no-print' }, pdfLink(), widen),
      el('p', { class: 'small no-print' }, i18n.t('off_sort_hint')), el('div', { class: 'scroll' }, nt), csvN,
      el('p', { class: 'small' }, i18n.t('off_note_hidden')),
      needs.need ? el('p', { class: 'small' }, i18n.t('off_note_flag')) : null,
      el('div', { class: 'scroll no-print' }, et), el('div', { id: 'official-equipment-print', class: 'print-split' }), csvE);
    printEquipment(et);
  }

  // The wide view: the tables take the map's room (the map is hidden, and
  // sized again when it comes back); only while this tab is shown.
  function setWide(on) {
    wide = on;
    const was = document.body.classList.contains('official-wide');
    document.body.classList.toggle('official-wide', wide && visible);
    const b = $('official-wide');
    if (b) { b.setAttribute('aria-pressed', String(wide)); b.textContent = i18n.t(wide ? 'off_narrow' : 'off_wide'); }
    if (was && !(wide && visible)) ctx.mv.map.resize();
  }

  // The view's controls, built once (the page's HTML holds only the section).
  fill('view-official',
    el('h2', { 'data-i18n': 'off_title' }, i18n.t('off_title')),
    el('form', { id: 'official-form', class: 'form no-print' },
      el('label', { for: 'off-level', 'data-i18n': 'off_level' }, i18n.t('off_level')), el('select', { id: 'off-level' }),
      el('label', { for: 'off-need', 'data-i18n': 'off_need' }, i18n.t('off_need')), el('select', { id: 'off-need' }),
      el('label', { for: 'off-per', 'data-i18n': 'off_per' }, i18n.t('off_per')), el('select', { id: 'off-per' }),
      el('label', { for: 'off-kind', 'data-i18n': 'off_kind' }, i18n.t('off_kind')), el('select', { id: 'off-kind' }),
      el('label', { for: 'off-pdf-equipment', 'data-i18n': 'off_pdf_equip' }, i18n.t('off_pdf_equip')), el('input', { type: 'checkbox', id: 'off-pdf-equipment', checked: true }),
      el('label', { for: 'off-pdf-needs', 'data-i18n': 'off_pdf_needs' }, i18n.t('off_pdf_needs')), el('input', { type: 'checkbox', id: 'off-pdf-needs', checked: true }),
      el('label', { for: 'off-pdf-compare', 'data-i18n': 'off_pdf_compare' }, i18n.t('off_pdf_compare')), el('input', { type: 'text', id: 'off-pdf-compare', maxlength: 64, placeholder: '2026年度' }),
      el('button', { type: 'submit', 'data-i18n': 'off_run' }, i18n.t('off_run'))),
    el('div', { id: 'official-status', class: 'status', role: 'status', 'aria-live': 'polite' }),
    el('div', { id: 'official-result', class: 'result' }));
  $('official-form').addEventListener('submit', (ev) => { ev.preventDefault(); run(); });
  for (const id of ['off-level', 'off-need', 'off-per']) $(id).addEventListener('change', () => run());
  $('off-kind').addEventListener('change', () => render());
  for (const id of ['off-pdf-equipment', 'off-pdf-needs', 'off-pdf-compare']) $(id).addEventListener('input', pdfChanged);
  fillSelects();

  return {
    show(on) { visible = on; setWide(wide); if (on && !ran) run(); },
    render,
    walkingChanged() { if (ran) run(); },
    click() {},
    printConditions() { return i18n.t('off_needs_head', { level: levelLabel($('off-level').value) }); },
  };
}
