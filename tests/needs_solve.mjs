// SPDX-License-Identifier: MIT
// needs_solve.mjs - the reader tests/cli_needs.sh plays: an official who has
// collected many answers of /api/needs (every level, every need tag, with
// and without an indicator) and /api/coverage, one JSON object per line
// ({"q": query, "a": answer}), and tries to count fewer than 5 households.
//
//   node needs_solve.mjs ANSWERS.jsonl NESTS.json
//
// Cells: households per district (needs and coverage alike), households
// with tag T, and without it (households - with). Known lines: each row
// (households = with + without), each level's districts adding up to the
// total, and the nests NESTS.json names ({"junior_high:J01":
// ["elementary:E01", ...]}: a
// district made of whole districts of another level, which a reader sees
// on the map). Shown figures are exact, "<5" is 1..4, null is 1 or more.
// 1. a figure of 1-4 shown, or shown in one answer and hidden in another;
// 2. interval propagation over every line to a fixed point: a hidden cell
//    or a "without" count pinned to one value in 1..4 is recovered.
// Prints the findings; exits 1 when there is one.
import fs from 'fs';

const [answersFile, nestsFile] = process.argv.slice(2);
const INF = 1e12;
const answers = fs.readFileSync(answersFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const nests = JSON.parse(fs.readFileSync(nestsFile, 'utf8'));
const cells = new Map();
const findings = [];
function cell(key) {
  let c = cells.get(key);
  if (!c) {
    c = { key, lo: 0, hi: INF, shown: null, hidden: false };
    cells.set(key, c);
  }
  return c;
}
function see(key, v) {
  const c = cell(key);
  if (v === undefined) return c;
  if (typeof v === 'number') {
    if (c.hidden) findings.push(`${key}: hidden in one answer, ${v} in another`);
    if (c.shown !== null && c.shown !== v) findings.push(`${key}: shown as ${c.shown} and ${v}`);
    c.shown = v;
    c.lo = c.hi = v;
  } else {
    if (c.shown !== null) findings.push(`${key}: ${c.shown} in one answer, hidden in another`);
    c.hidden = true;
    if (v === '<5') { c.lo = Math.max(c.lo, 1); c.hi = Math.min(c.hi, 4); } else c.lo = Math.max(c.lo, 1);
  }
  return c;
}
const lines = []; // [total, [members]]
const levels = new Map(); // level -> Set(codes)
const tags = new Set();
let queries = 0;
for (const { q, a } of answers) {
  if (!a || a.error || !a.districts) continue;
  queries++;
  const level = a.level || (q.match(/level=([a-z_]+)/) || [])[1] || '';
  const rows = a.districts.map((d) => ({ key: `${level}:${d.code ?? '-'}`, d }));
  rows.push({ key: 'total', d: a.total });
  if (level) levels.set(level, new Set(rows.filter((r) => r.key !== 'total').map((r) => r.key)));
  for (const { key, d } of rows) {
    see(`hh|${key}`, d.households);
    if (d.needs) for (const [t, v] of Object.entries(d.needs)) { tags.add(t); see(`t|${t}|${key}`, v); }
  }
}
for (const t of tags) {
  for (const key of ['total', ...[...levels.values()].flatMap((s) => [...s])])
    lines.push([`hh|${key}`, [`t|${t}|${key}`, `u|${t}|${key}`]]);
}
for (const [level, codes] of levels) {
  const ks = [...codes];
  for (const f of ['hh', ...[...tags].flatMap((t) => [`t|${t}`, `u|${t}`])])
    lines.push([`${f}|total`, ks.map((k) => `${f}|${k}`)]);
}
const families = ['hh', ...[...tags].flatMap((t) => [`t|${t}`, `u|${t}`])];
for (const [big, smalls] of Object.entries(nests))
  for (const f of families) lines.push([`${f}|${big}`, smalls.map((x) => `${f}|${x}`)]);
for (const [tot, mem] of lines) { cell(tot); mem.forEach(cell); }
// Interval propagation to a fixed point.
for (let round = 0, changed = true; changed && round < 500; round++) {
  changed = false;
  for (const [tot, mem] of lines) {
    const T = cells.get(tot), M = mem.map((k) => cells.get(k));
    const slo = M.reduce((s, c) => s + c.lo, 0), shi = M.reduce((s, c) => Math.min(INF, s + c.hi), 0);
    if (slo > T.lo) { T.lo = slo; changed = true; }
    if (shi < T.hi) { T.hi = shi; changed = true; }
    for (const c of M) {
      const olo = slo - c.lo, ohi = shi - c.hi;
      const lo = T.lo - ohi, hi = T.hi - olo;
      if (lo > c.lo) { c.lo = lo; changed = true; }
      if (hi < c.hi) { c.hi = hi; changed = true; }
    }
  }
}
for (const c of cells.values())
  if (c.shown !== null && c.shown >= 1 && c.shown <= 4) findings.push(`${c.key}: shown as ${c.shown}`);
  else if (c.shown === null && c.lo === c.hi && c.lo >= 1 && c.lo <= 4)
    findings.push(`${c.key}: pinned to ${c.lo} (${c.hidden ? 'hidden' : 'derived'})`);
const hidden = [...cells.values()].filter((c) => c.hidden).length;
console.log(`${queries} answers, ${cells.size} figures, ${lines.length} lines, ${hidden} hidden, ${findings.length} findings`);
for (const f of findings.slice(0, 40)) console.log(f);
process.exit(findings.length ? 1 : 0);
