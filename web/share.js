// SPDX-License-Identifier: MIT
// share.js - share and unshare controls for a coordinator (issue 13): a
// household id of the coordinator's own agency, the agency to share with,
// the basis (support meeting, consent, referral), a reason and an optional
// last day; the household's shares with an "unshare" button each. The
// server decides everything (the holder only, consent for basis consent,
// never a protected household) and says why in one sentence when it
// refuses; the page only shows that sentence. Shown inside the route view
// to roles with the "share" permission (coordinator, admin).
// Entry point: shareView(ctx).

import { api, postJSON } from './api.js';
import { el, fill, table } from './dom.js';
import * as i18n from './i18n.js';

export function shareView(ctx) {
  const { status } = ctx;
  const $ = (id) => document.getElementById(id);
  const box = $('share-box');
  box.hidden = false;

  const id = () => $('share-id').value.trim();
  const path = (what) => `api/households/${encodeURIComponent(id())}/${what}`;

  async function list() {
    if (!id()) return;
    try {
      const doc = await api(path('shares'));
      const rows = doc.shares.map((s) => [s.agency, i18n.t(`basis_${s.basis}`), s.reason, s.from,
        s.until || '–', i18n.t(s.active ? 'share_active' : 'share_inactive'),
        el('button', { type: 'button', class: 'unshare', 'data-agency': s.agency }, i18n.t('share_remove'))]);
      // The household's consent (unknown counts as not given), protection
      // and commissioners' mark, as the 世帯 view shows them.
      const c = doc.consent === 'yes' || doc.consent === 'no' ? doc.consent : 'unknown';
      const facts = el('p', { class: 'small share-facts' }, `${i18n.t('hh_col_consent')}：${i18n.t(`consent_${c}`)}　`,
        `${i18n.t('hh_col_commissioner')}：${i18n.t(doc.protected ? 'hh_protected' : doc.commissioner ? 'hh_marked' : 'hh_unmarked')}`);
      fill('share-result', facts, rows.length
        ? table(i18n.t('share_list', { id: doc.id }), [i18n.t('share_agency'), i18n.t('share_basis'),
          i18n.t('share_reason'), i18n.t('share_from'), i18n.t('share_until'), i18n.t('share_state'), ''], rows)
        : el('p', {}, i18n.t('share_none')));
    } catch (err) {
      fill('share-result');
      status('share-status', i18n.t('error', { msg: err.message }), true);
    }
  }

  $('share-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const doc = { agency: $('share-agency').value.trim(), basis: $('share-basis').value,
      reason: $('share-reason').value.trim() };
    if ($('share-until').value) doc.until = $('share-until').value;
    try {
      const r = await postJSON(path('shares'), doc);
      status('share-status', i18n.t('share_done', { agency: r.agency, n: r.share }));
      await list();
    } catch (err) {
      status('share-status', i18n.t('error', { msg: err.message }), true);
    }
  });
  $('share-show').addEventListener('click', () => { status('share-status', ''); list(); });
  $('share-result').addEventListener('click', async (ev) => {
    const b = ev.target.closest('button.unshare');
    if (!b) return;
    try {
      await postJSON(path('unshare'), { agency: b.dataset.agency });
      status('share-status', i18n.t('share_removed', { agency: b.dataset.agency }));
      await list();
    } catch (err) {
      status('share-status', i18n.t('error', { msg: err.message }), true);
    }
  });
  return { list };
}
