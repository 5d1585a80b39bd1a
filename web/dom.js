// SPDX-License-Identifier: MIT
// dom.js - small DOM helpers: elements built with textContent only (answers
// from the server are never parsed as HTML), tables, number formats and a
// table saved as CSV.

// el('td', {class: 'num'}, 'text', child, ...) -> a new element. Attributes
// named on* are refused: behaviour is attached with addEventListener.
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false || k.startsWith('on')) continue;
    if (k === 'class') e.className = v;
    else if (k === 'dataset') Object.assign(e.dataset, v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

// A table with a caption, header cells and rows of cells (strings or nodes;
// a cell {v, class} sets a class, e.g. 'num' for right-aligned figures).
export function table(caption, head, rows) {
  const cell = (tag, c) => (c && typeof c === 'object' && !(c instanceof Node)
    ? el(tag, { class: c.class }, c.v) : el(tag, {}, c));
  return el('table', {},
    caption ? el('caption', {}, caption) : null,
    el('thead', {}, el('tr', {}, head.map((h) => cell('th', h)))),
    el('tbody', {}, rows.map((r) => el('tr', {}, r.map((c) => cell('td', c))))));
}

export function pct(share) {
  return share === null || share === undefined ? '–' : `${(share * 100).toFixed(1)}%`;
}

export function num(v, digits = 1) {
  return v === null || v === undefined ? '–' : Number(v).toFixed(digits);
}

// Replaces the contents of the element with id `id`.
export function fill(id, ...children) {
  const box = document.getElementById(id);
  box.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined));
  return box;
}

// Saves table t as CSV (UTF-8 with a BOM, which spreadsheet programs in
// Japan need to read it as UTF-8; CRLF lines) through a blob: link (no
// request), named `name`.
export function downloadCSV(t, name) {
  const quote = (v) => `"${String(v).replace(/"/g, '""')}"`;
  const lines = [...t.rows].map((tr) => [...tr.cells].map((c) => quote(c.textContent)).join(','));
  const blob = new Blob(['\ufeff', lines.join('\r\n'), '\r\n'], { type: 'text/csv;charset=utf-8' });
  const a = el('a', { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
}

// Table t cut into narrower tables for print: each keeps t's first `keep`
// columns (code, name ...) and takes the next `size` columns of the rest,
// so every column fits the page, as the PDF report continues a wide table.
// Rows, cells and their classes are copies of t's as they are now (its
// sort order included); captions read "caption (1/3)". Returns the tables.
export function splitColumns(t, keep, size) {
  const width = t.tHead.rows[0].cells.length;
  const parts = Math.max(1, Math.ceil((width - keep) / size));
  const caption = t.caption ? t.caption.textContent : '';
  const pick = (tr, from) => {
    const row = tr.cloneNode(false);
    row.append(...[...tr.cells].filter((c, i) => i < keep || (i >= from && i < from + size)).map((c) => c.cloneNode(true)));
    return row;
  };
  return Array.from({ length: parts }, (_, k) => {
    const from = keep + k * size;
    return el('table', { class: t.className },
      caption ? el('caption', {}, parts > 1 ? `${caption} (${k + 1}/${parts})` : caption) : null,
      el('thead', {}, pick(t.tHead.rows[0], from)),
      el('tbody', {}, [...t.tBodies[0].rows].map((tr) => pick(tr, from))));
  });
}
