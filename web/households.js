// SPDX-License-Identifier: MIT
// households.js - the 世帯 view: the households of the signed-in user's
// assignment (GET /api/households), for the roles that may list them (a
// coordinator, a welfare commissioner; an outreach worker sees households
// as route stops and overdue visits only).
// Each row shows the id, district, need tags and last visit; to those who
// work the case (not a commissioner, whose answer leaves these out) also
// the household's consent (同意あり / 同意なし / 不明, unknown counting as
// not given), whether it is marked for the welfare commissioners (民生委員)
// and whether it is protected (支援措置). A role that may share (the
// holding agency's coordinator) gets a control to set or
// clear the commissioners' mark (POST /api/households/{id}/commissioner):
// offered only when consent is yes and never for a protected household;
// the server decides and audits, the page shows its sentence when it
// refuses. No position is shown as text. Household data is 要配慮個人情報:
// the list is read when the view is opened, never cached by the server
// (Cache-Control: no-store), and every read is in the audit log.
// A commissioner (permission route_order) also gets a tick per household
// (回る) and, below the list, its visit round over the ticked households or
// all of them (round.js: order and rounded walks only, no position).
// Entry point: householdsView(ctx); householdWords (added by app.js).

import { api, postJSON } from './api.js';
import { el, fill, table } from './dom.js';
import * as i18n from './i18n.js';
import { visitRound } from './round.js';

export const householdWords = {
  ja: {
    tab_households: '世帯',
    hh_private: '要配慮個人情報',
    hh_hint: 'あなたの担当の世帯です。位置は表示しません。',
    hh_hint_commissioner: '民生委員に見せることに同意があり、共有または表示の指定がされた、担当地区の世帯だけを表示します。',
    hh_load: '最新の一覧を読み込む',
    hh_count: '{n} 世帯',
    hh_none: '表示できる世帯はありません。',
    hh_caption: '担当の世帯',
    hh_col_id: '世帯',
    hh_col_district: '区域',
    hh_col_needs: '支援の必要',
    hh_col_last: '前回訪問',
    hh_col_consent: '同意',
    hh_col_commissioner: '民生委員への表示',
    consent_yes: '同意あり',
    consent_no: '同意なし',
    consent_unknown: '不明（同意なしとして扱う）',
    hh_protected: '保護（支援措置）：表示できません',
    hh_mark_on: '表示する',
    hh_mark_off: '表示しない',
    hh_marked: '表示中',
    hh_unmarked: '未表示',
    hh_mark_label_on: '{id}を民生委員に表示する',
    hh_mark_label_off: '{id}を民生委員に表示しない',
    hh_mark_done_on: '{id}を民生委員に表示するようにしました（記録済み）。',
    hh_mark_done_off: '{id}を民生委員に表示しないようにしました（記録済み）。',
    hh_no_consent: '同意が必要',
  },
  en: {
    tab_households: 'Households',
    hh_private: 'Sensitive personal information',
    hh_hint: 'The households of your assignment. Positions are not shown.',
    hh_hint_commissioner: 'Only the households of your district that consented to be seen by welfare commissioners and were shared or marked for them.',
    hh_load: 'Reload the list',
    hh_count: '{n} households',
    hh_none: 'There is no household to show.',
    hh_caption: 'Households of your assignment',
    hh_col_id: 'Household',
    hh_col_district: 'District',
    hh_col_needs: 'Needs',
    hh_col_last: 'Last visit',
    hh_col_consent: 'Consent',
    hh_col_commissioner: 'Seen by commissioners',
    consent_yes: 'consent given',
    consent_no: 'no consent',
    consent_unknown: 'unknown (counts as not given)',
    hh_protected: 'protected: never shared or marked',
    hh_mark_on: 'Show',
    hh_mark_off: 'Hide',
    hh_marked: 'shown',
    hh_unmarked: 'not shown',
    hh_mark_label_on: 'Show {id} to welfare commissioners',
    hh_mark_label_off: 'Hide {id} from welfare commissioners',
    hh_mark_done_on: '{id} is now shown to welfare commissioners (recorded).',
    hh_mark_done_off: '{id} is no longer shown to welfare commissioners (recorded).',
    hh_no_consent: 'needs consent',
  },
};

export function householdsView(ctx) {
  const { state, status } = ctx;
  const $ = (id) => document.getElementById(id);
  const mayMark = !!(state.me && state.me.can.includes('share'));
  const commissioner = state.me && state.me.role === 'commissioner';
  let list = null; // last /api/households answer's households
  let loading = null;
  // A commissioner plans its visit round here (round.js): the households
  // ticked in the table, or all of them.
  const picked = new Set();
  const round = commissioner && state.me.can.includes('route_order') ? visitRound(ctx, {
    picked: () => (list || []).map((h) => h.id).filter((id) => picked.has(id)),
    all: () => (list || []).map((h) => h.id),
    row: (id) => (list || []).find((h) => h.id === id),
  }) : null;

  const box = $('view-households');
  box.replaceChildren(
    el('div', { class: 'private', role: 'note' }, el('strong', { 'data-i18n': 'hh_private' }, i18n.t('hh_private'))),
    el('p', { class: 'hint', 'data-i18n': commissioner ? 'hh_hint_commissioner' : 'hh_hint' },
      i18n.t(commissioner ? 'hh_hint_commissioner' : 'hh_hint')),
    el('button', { type: 'button', id: 'hh-load', class: 'no-print', 'data-i18n': 'hh_load' }, i18n.t('hh_load')),
    el('div', { id: 'hh-status', class: 'status', role: 'status', 'aria-live': 'polite' }),
    el('div', { id: 'hh-result', class: 'result' }),
    round ? round.box : null);

  // The consent word: unknown counts as not given.
  const consentText = (c) => i18n.t(`consent_${c === 'yes' || c === 'no' ? c : 'unknown'}`);

  // The commissioners' column of household h.
  function markCell(h) {
    if (h.protected) return el('span', { class: 'hh-protected' }, i18n.t('hh_protected'));
    const stateText = el('span', { class: h.commissioner ? 'hh-marked' : 'hh-unmarked' },
      i18n.t(h.commissioner ? 'hh_marked' : 'hh_unmarked'));
    if (!mayMark) return stateText;
    // Clearing the mark is always offered; setting it only with consent.
    if (!h.commissioner && h.consent !== 'yes') return el('span', {}, stateText, el('br'), `（${i18n.t('hh_no_consent')}）`);
    const on = !h.commissioner;
    return el('span', {}, stateText, el('br'), el('button', { type: 'button', class: 'mark', dataset: { id: h.id, on: String(on) },
      'aria-label': i18n.t(on ? 'hh_mark_label_on' : 'hh_mark_label_off', { id: h.id }) },
    i18n.t(on ? 'hh_mark_on' : 'hh_mark_off')));
  }

  function render() {
    if (!list) { fill('hh-result'); return; }
    status('hh-status', i18n.t('hh_count', { n: list.length }));
    if (!list.length) { fill('hh-result', el('p', {}, i18n.t('hh_none'))); return; }
    const sharing = list.some((h) => 'consent' in h);
    const head = [...(round ? [i18n.t('rd_col_pick')] : []), i18n.t('hh_col_id'), i18n.t('hh_col_district'), i18n.t('hh_col_needs'), i18n.t('hh_col_last')];
    if (sharing) head.push(i18n.t('hh_col_consent'), i18n.t('hh_col_commissioner'));
    const rows = list.map((h) => {
      const r = [h.id, h.district || '–', (h.needs || []).join(i18n.getLang() === 'ja' ? '・' : ', ') || '–', h.last_visit || '–'];
      if (sharing) r.push(el('span', { class: `consent consent-${h.consent}` }, consentText(h.consent)), markCell(h));
      if (round) {
        r.unshift(el('input', { type: 'checkbox', class: 'pick', checked: picked.has(h.id), dataset: { id: h.id },
          'aria-label': i18n.t('rd_pick_label', { id: h.id }) }));
      }
      return r;
    });
    const t = table(i18n.t('hh_caption'), head, rows);
    t.classList.add('hh-table');
    fill('hh-result', el('div', { class: 'hh-scroll' }, t));
  }

  async function load() {
    if (loading) return loading;
    status('hh-status', i18n.t('loading'));
    loading = api('api/households').then((r) => {
      list = r.households;
      for (const id of [...picked]) if (!list.some((h) => h.id === id)) picked.delete(id);
      render();
    })
      .catch((err) => { list = null; fill('hh-result'); status('hh-status', i18n.t('error', { msg: err.message }), true); })
      .finally(() => { loading = null; });
    return loading;
  }

  $('hh-load').addEventListener('click', load);
  $('hh-result').addEventListener('change', (ev) => {
    const box = ev.target.closest('input.pick');
    if (!box) return;
    if (box.checked) picked.add(box.dataset.id); else picked.delete(box.dataset.id);
  });
  $('hh-result').addEventListener('click', async (ev) => {
    const b = ev.target.closest('button.mark');
    if (!b) return;
    const on = b.dataset.on === 'true';
    b.disabled = true;
    try {
      const r = await postJSON(`api/households/${encodeURIComponent(b.dataset.id)}/commissioner`, { commissioner: on });
      await load();
      status('hh-status', i18n.t(r.commissioner ? 'hh_mark_done_on' : 'hh_mark_done_off', { id: r.id }));
    } catch (err) {
      b.disabled = false;
      status('hh-status', i18n.t('error', { msg: err.message }), true);
    }
  });

  return {
    show(on) { if (on && !list) load(); if (round) round.show(on); },
    render() { render(); if (round) round.render(); },
    walkingChanged() {},
    click(lonlat) { if (round) round.click(lonlat); },
    printConditions() { return round ? round.printConditions() : ''; },
  };
}
