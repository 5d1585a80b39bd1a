// SPDX-License-Identifier: MIT
// hours.js - "開いている時間で絞る" in the reach view: no filter, open now, or
// open at a chosen day and time. The choice becomes /api/walk's open_at
// (Japan time, YYYY-MM-DDTHH:MM; the server keeps only the resources whose
// opening_hours say they are open then, README "Opening times"), and each
// listed resource can show its next opening (next_open). Entry point:
// hoursFilter(parent, changed) puts the controls at the top of parent and
// returns { params(), nextLabel(r), relabel() }; changed() runs when the
// choice changes; relabel() follows a language switch.

import { el } from './dom.js';
import { getLang } from './i18n.js';

const words = {
  ja: {
    legend: '開いている時間で絞る', any: '絞らない', now: '今', at: '日時を指定',
    when: '日時', next: '次に開く', none: '—',
  },
  en: {
    legend: 'Only places open', any: 'Any time', now: 'Now', at: 'At a day and time',
    when: 'Day and time', next: 'Next open', none: '—',
  },
};
const w = (k) => (words[getLang()] || words.ja)[k];

// The time in Japan (UTC+9, no daylight saving) as YYYY-MM-DDTHH:MM.
export function japanNow(ms = Date.now()) {
  return new Date(ms + 9 * 3600 * 1000).toISOString().slice(0, 16);
}

export function hoursFilter(parent, changed) {
  const texts = [];        // [element, word key]: relabelled on a language switch
  const text = (tag, key, attrs = {}) => { const e = el(tag, attrs, w(key)); texts.push([e, key]); return e; };
  const radio = (value, key, checked = false) => el('label', {},
    el('input', { type: 'radio', name: 'open-filter', value, checked }), ' ', text('span', key));
  const at = el('input', { type: 'datetime-local', id: 'open-at', step: '60', value: japanNow(), disabled: true });
  const box = el('fieldset', { class: 'open-filter no-print', id: 'open-filter' },
    text('legend', 'legend'), radio('any', 'any', true), radio('now', 'now'), radio('at', 'at'), at);
  parent.prepend(box);
  const choice = () => box.querySelector('input[name="open-filter"]:checked').value;
  for (const r of box.querySelectorAll('input[name="open-filter"]')) {
    r.addEventListener('change', () => {
      at.disabled = choice() !== 'at';
      changed();
    });
  }
  at.addEventListener('change', () => { if (choice() === 'at') changed(); });
  const relabel = () => {
    for (const [e, key] of texts) e.textContent = w(key);
    at.setAttribute('aria-label', w('when'));
  };
  relabel();
  return {
    relabel,
    // Extra query parameters for /api/walk.
    params() {
      const c = choice();
      if (c === 'now') return { open_at: japanNow() };
      if (c === 'at' && /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(at.value)) return { open_at: at.value.slice(0, 16) };
      return {};
    },
    // "次に開く 12/23 10:00" for a resource of the answer, or null.
    nextLabel(r) {
      if (!r.next_open) return null;
      const m = /^\d{4}-(\d\d)-(\d\d)T(\d\d:\d\d)$/.exec(r.next_open);
      return m ? el('div', { class: 'small next-open' }, `${w('next')} ${Number(m[1])}/${Number(m[2])} ${m[3]}`) : null;
    },
  };
}
