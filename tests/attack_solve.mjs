// SPDX-License-Identifier: MIT
// attack_solve.mjs - the reader tests/cli_attack.sh plays: an official who
// has collected many answers of /api/coverage and /api/suggest (one JSON
// object per line: {"q": query text, "a": answer}) and tries to learn what
// they hide.
//
//   node attack_solve.mjs ANSWERS.jsonl HOUSEHOLDS.csv [NEST.txt]
//
// NEST.txt (optional): what the public district layers tell anyone, one
// line per district made of whole districts of another level, "LEVEL/CODE
// LEVEL/CODE ..." (the whole first); each household-only figure (n, o and
// the households placed only at town level, a, with its rest p) of the
// whole is then the sum of its parts.
//
// 1. The same figure in two answers: a district's households and
//    off-network households (any kind, minutes, speed), unreachable and a
//    resource's households_nearest (any minutes and speed), covered counts
//    (the same limit in metres, any level), the town's total in every
//    answer. Hidden in one and shown in another is a recovered cell.
// 2. All answers at once as one system: every row's line (households =
//    covered + off + unreachable + beyond), every level's columns adding up
//    to the total, loads adding up to the covered and beyond totals, covered
//    counts growing with the limit; "<5" is 1..4, null is 1 or more (a zero
//    is never hidden). Interval propagation to a fixed point; a small
//    count ("<5") left with one possible value, or any hidden figure pinned
//    to 1-4, is recovered. (A complementary figure of 5 or more that other
//    limits pin is counted and printed, not failed: it is no small count.)
// 3. Every suggested site: no household figure of 1-4 shown, and at least 5
//    households within the pick's limit (straight line, a lower bound of
//    the walk) - a pick must not point at one household.
// Prints what it found; exits 1 when anything was recovered or located.
import fs from 'fs';

const [answersFile, householdsFile, nestFile] = process.argv.slice(2);
const K = 5;
const INF = 1e12;
const answers = fs.readFileSync(answersFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const households = fs.readFileSync(householdsFile, 'utf8').split('\n').slice(1).filter(Boolean)
  .map((l) => l.split(',')).map((f) => [Number(f[1]), Number(f[2])]);

const vars = new Map();
function cell(key) {
  let x = vars.get(key);
  if (!x) {
    x = { key, lo: 0, hi: INF, hidden: new Set(), shown: new Set() };
    vars.set(key, x);
  }
  return x;
}
// What an answer says about a figure.
function see(key, value, where) {
  const x = cell(key);
  if (typeof value === 'number') {
    x.shown.add(value);
    x.lo = Math.max(x.lo, value);
    x.hi = Math.min(x.hi, value);
  } else if (value === '<5') {
    x.hidden.add(where);
    x.small = true;
    x.lo = Math.max(x.lo, 1);
    x.hi = Math.min(x.hi, K - 1);
  } else if (value === null) {
    x.hidden.add(where);
    x.lo = Math.max(x.lo, 1);
  }
}
const lines = []; // [totalKey, [memberKeys]]
const line = (t, m) => { cell(t); m.forEach(cell); lines.push([t, m]); };
const series = new Map(); // figure without limit -> [[limit, key]]: grows with the limit
function grows(base, limit, key) {
  if (!series.has(base)) series.set(base, new Map());
  series.get(base).set(limit, key);
}

const rowKey = (level, d) => (d === 'total' ? 'TOTAL' : `${level}/${d.code === null ? '(none)' : d.code}`);
for (const { q, a } of answers) {
  if (a.error || a.districts === undefined && a.before === undefined) continue;
  const S = `${a.kind}|${a.field}`;
  const lim = a.limit_m;
  if (a.districts) {
    const rows = [...a.districts.map((d) => [rowKey(a.level, d), d]), ['TOTAL', a.total]];
    for (const [r, d] of rows) {
      see(`n ${r}`, d.households, q);
      see(`o ${r}`, d.households_off_network, q);
      see(`u ${r} ${S}`, d.households_unreachable, q);
      see(`c ${r} ${S} ${lim}`, d.households_covered, q);
      grows(`c ${r} ${S}`, lim, `c ${r} ${S} ${lim}`);
      line(`n ${r}`, [`c ${r} ${S} ${lim}`, `o ${r}`, `u ${r} ${S}`, `b ${r} ${S} ${lim}`]);
      if (d.households_approx !== undefined) { // issue 11: placed at town level (a) and the rest (p)
        see(`a ${r}`, d.households_approx, q);
        line(`n ${r}`, [`a ${r}`, `p ${r}`]);
      }
    }
    if (a.districts.length > 0 && a.total.households_approx !== undefined)
      for (const f of ['a', 'p']) line(`${f} TOTAL`, a.districts.map((d) => `${f} ${rowKey(a.level, d)}`));
    if (a.districts.length > 0)
      for (const f of ['n', 'o', 'u', 'c', 'b']) {
        const k = (r) => (f === 'n' || f === 'o' ? `${f} ${r}` : f === 'u' ? `u ${r} ${S}` : `${f} ${r} ${S} ${lim}`);
        line(k('TOTAL'), a.districts.map((d) => k(rowKey(a.level, d))));
      }
    see('o TOTAL', a.off_network.households, q);
    if (a.resources && a.resources.length > 0) {
      for (const r of a.resources) {
        see(`h ${r.id} ${S}`, r.households_nearest, q);
        see(`lc ${r.id} ${S} ${lim}`, r.households_nearest_covered, q);
        grows(`lc ${r.id} ${S}`, lim, `lc ${r.id} ${S} ${lim}`);
        line(`h ${r.id} ${S}`, [`lc ${r.id} ${S} ${lim}`, `lb ${r.id} ${S} ${lim}`]);
      }
      line(`c TOTAL ${S} ${lim}`, a.resources.map((r) => `lc ${r.id} ${S} ${lim}`));
      line(`b TOTAL ${S} ${lim}`, a.resources.map((r) => `lb ${r.id} ${S} ${lim}`));
    }
  }
  if (a.before) {
    see('n TOTAL', a.before.households, q);
    see('o TOTAL', a.before.households_off_network, q);
    see(`c TOTAL ${S} ${lim}`, a.before.households_covered, q);
  }
}

if (nestFile)
  for (const l of fs.readFileSync(nestFile, 'utf8').split('\n').filter(Boolean)) {
    const [whole, ...parts] = l.trim().split(/\s+/);
    for (const f of ['n', 'o', 'a', 'p']) line(`${f} ${whole}`, parts.map((x) => `${f} ${x}`));
  }

const findings = [];
// 1. the same figure hidden in one answer and shown in another.
for (const x of vars.values()) {
  if (x.shown.size > 1) findings.push(`${x.key}: two different values shown (${[...x.shown]})`);
  if (x.hidden.size > 0 && x.shown.size > 0)
    findings.push(`${x.key}: hidden in ${[...x.hidden][0]} but shown as ${[...x.shown][0]} in another answer`);
}
// 2. interval propagation over every line of every answer.
const floor = (v) => (v >= INF ? INF : Math.floor(v));
let moved = true;
for (let pass = 0; moved && pass < 2000; pass++) {
  moved = false;
  const set = (x, lo, hi) => {
    lo = Math.ceil(lo); hi = floor(hi);
    if (lo > x.lo) { x.lo = lo; moved = true; }
    if (hi < x.hi) { x.hi = hi; moved = true; }
  };
  for (const [tk, mk] of lines) {
    const t = vars.get(tk), m = mk.map((k) => vars.get(k));
    const slo = m.reduce((s, x) => s + x.lo, 0);
    const shi = m.reduce((s, x) => Math.min(INF, s + x.hi), 0);
    set(t, slo, shi);
    for (const x of m) {
      const olo = slo - x.lo, ohi = shi >= INF ? INF : shi - x.hi;
      set(x, ohi >= INF ? 0 : t.lo - ohi, t.hi >= INF ? INF : t.hi - olo);
    }
  }
  for (const s of series.values()) {
    const ks = [...s.keys()].sort((p, q) => p - q).map((l) => vars.get(s.get(l)));
    for (let i = 1; i < ks.length; i++) {
      set(ks[i], ks[i - 1].lo, ks[i].hi);
      set(ks[i - 1], ks[i - 1].lo, ks[i].hi);
    }
  }
}
// A small count ("<5") or any hidden figure pinned to 1-4 is a finding; a
// complementary figure (null, 5 or more) pinned to a larger value is
// counted apart: its neighbours at other limits can bound it (covered
// counts grow with the limit), and the solver goes on to check that no
// small count follows from it.
let pinnedLarge = 0;
for (const x of vars.values()) {
  if (x.hidden.size === 0 || x.shown.size > 0 || x.lo !== x.hi) continue;
  if (x.small || x.lo < K)
    findings.push(`${x.key}: hidden (e.g. in ${[...x.hidden][0]}) but the answers together say it is ${x.lo}`);
  else pinnedLarge++;
}

// 3. suggested sites.
let picks = 0;
for (const { q, a } of answers) {
  if (!a.picks) continue;
  for (const p of a.picks) {
    picks++;
    for (const f of ['households_added', 'households_covered'])
      if (typeof p[f] === 'number' && p[f] >= 1 && p[f] < K) findings.push(`${q}: pick ${p.rank} shows ${f} ${p[f]}`);
    const near = households.filter(([lon, lat]) => {
      const dx = (lon - p.lon) * 111320 * Math.cos((lat * Math.PI) / 180), dy = (lat - p.lat) * 110574;
      return Math.hypot(dx, dy) <= a.limit_m;
    }).length;
    if (near < K) findings.push(`${q}: pick ${p.rank} at ${p.lon},${p.lat} has ${near} household(s) within ${a.limit_m} m`);
  }
}
const hidden = [...vars.values()].filter((x) => x.hidden.size > 0).length;
console.log(`${answers.length} answers, ${vars.size} figures (${hidden} hidden somewhere, ${pinnedLarge} complementary ones of 5+ bounded to one value by other limits), ${lines.length} lines, ${picks} picks`);
for (const f of findings.slice(0, 30)) console.log(`  ${f}`);
if (findings.length > 30) console.log(`  ... ${findings.length - 30} more`);
console.log(`${findings.length} finding(s)`);
process.exit(findings.length ? 1 : 0);
