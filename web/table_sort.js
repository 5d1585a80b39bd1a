// SPDX-License-Identifier: MIT
// table_sort.js - columns sorted by a click on their header (the official's
// tables, official.js): each header cell gets a button; a click sorts the
// body's rows by that column, ascending then descending, and says so in
// aria-sort (the arrow is drawn by CSS, so the header's text, which the
// CSV download and the tests read, stays the column's name). Figures sort
// by value; a figure the server hides (非表示, "–") sorts last either way,
// "<5" between 0 and 5, "なし" (none) as 0, and text by the page's
// language. The rows keep their cells' text as they were: sorting only
// moves them. The total row (tr.total) stays last. Entry point: sortable.

import * as i18n from './i18n.js';

// The sort key of a cell: [0, number] for figures, [1, text] for words,
// [2] for what the server hid or did not give.
function key(td) {
  const s = td.textContent.trim();
  if (td.classList.contains('hidden-figure') || s === '' || s === '–') return [2];
  if (td.classList.contains('none')) return [0, 0];
  if (s === '<5') return [0, 2.5];
  const n = Number(s.replace(/,/g, ''));
  return Number.isFinite(n) ? [0, n] : [1, s];
}

function compare(a, b, dir) {
  if (a[0] !== b[0]) return a[0] === 2 ? 1 : b[0] === 2 ? -1 : (a[0] - b[0]) * dir;
  if (a[0] === 2) return 0;
  if (a[0] === 0) return (a[1] - b[1]) * dir;
  return a[1].localeCompare(b[1], i18n.getLang()) * dir;
}

// Makes table t sortable; memo ({col, dir}, kept by the caller across
// redraws of the same table) holds the order chosen and is applied at once;
// after() is called after each sort (and at once).
export function sortable(t, memo, after = () => {}) {
  const ths = [...t.tHead.rows[0].cells];
  const body = t.tBodies[0];
  const apply = () => {
    ths.forEach((th, i) => {
      if (i === memo.col) th.setAttribute('aria-sort', memo.dir > 0 ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
    });
    if (memo.col === undefined || memo.col === null || memo.col >= ths.length) return;
    const rows = [...body.rows];
    const total = rows.filter((tr) => tr.classList.contains('total'));
    const rest = rows.filter((tr) => !tr.classList.contains('total'));
    // Stable: equal keys keep the server's order (district codes).
    const keyed = rest.map((tr, i) => ({ tr, i, k: key(tr.cells[memo.col]) }));
    keyed.sort((a, b) => compare(a.k, b.k, memo.dir) || a.i - b.i);
    body.append(...keyed.map((x) => x.tr), ...total);
  };
  const sorted = () => { apply(); after(); };
  ths.forEach((th, i) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'sort';
    b.append(...th.childNodes);
    th.append(b);
    b.addEventListener('click', () => {
      memo.dir = memo.col === i ? -memo.dir : 1;
      memo.col = i;
      sorted();
    });
  });
  sorted();
  return t;
}
