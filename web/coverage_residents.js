// SPDX-License-Identifier: MIT
// coverage_residents.js - residents-based figures in the coverage view
// (issue 15): the public census residents of each district and how many
// of them live within the walking limit (/api/coverage's residents and
// residents_covered, summed over the small areas whose representative
// points fall in the district; never hidden, as they are public), the
// residents a suggested site would add (/api/suggest's residents_added)
// where household counts are hidden, and why fewer sites were suggested
// than asked. Its words are added to i18n.js here. Entry points:
// hasResidents, residentCells, residentHeads, pickLine, suggestReason.

import { pct } from './dom.js';
import * as i18n from './i18n.js';

i18n.addWords({
  ja: {
    cov_residents: '住民（国勢調査）',
    cov_residents_covered: '届く住民',
    cov_residents_share: '住民の割合',
    cov_residents_note: '住民の数は国勢調査の小地域の公開値です（代表点が区域に入る小地域の合計）。世帯数を出さない区域でも示します。',
    suggest_pick_residents: '{name}：住民 +{r}人 → 住民の{p}',
    suggest_fewer_all: '候補地 {n}か所をすべて選んだため、{asked}か所に届きませんでした。',
    suggest_fewer_small: '{asked}か所を求めましたが、残りの候補地はどれも新たに届く世帯が{k}世帯未満のため、{n}か所で止めました（少ない世帯の所在を示さないため）。',
    suggest_fewer_none: '{asked}か所を求めましたが、残りの候補地ではどれも新たに届く世帯が増えないため、{n}か所で止めました。',
  },
  en: {
    cov_residents: 'Residents (census)',
    cov_residents_covered: 'Residents covered',
    cov_residents_share: 'Residents share',
    cov_residents_note: 'Residents are public census small-area figures (areas whose representative point lies in the district), shown also where household counts are hidden.',
    suggest_pick_residents: '{name}: +{r} residents → {p} of residents',
    suggest_fewer_all: 'All {n} candidate sites were chosen, fewer than the {asked} asked for.',
    suggest_fewer_small: '{asked} sites were asked for, but every remaining candidate would add fewer than {k} households, so the suggestion stops at {n} (so as not to point at a few households).',
    suggest_fewer_none: '{asked} sites were asked for, but no remaining candidate would cover anyone more, so the suggestion stops at {n}.',
  },
});

const isNum = (v) => typeof v === 'number' && Number.isFinite(v);

// True when a coverage answer carries census residents.
export function hasResidents(doc) {
  return !!doc && isNum(doc.total && doc.total.residents) && doc.total.residents > 0;
}

// The column heads of the residents' figures.
export function residentHeads() {
  return [i18n.t('cov_residents'), i18n.t('cov_residents_covered'), i18n.t('cov_residents_share')];
}

// A district row's residents' cells (numbers right-aligned).
export function residentCells(d) {
  const r = isNum(d.residents) ? d.residents : null;
  const c = isNum(d.residents_covered) ? d.residents_covered : null;
  const fmt = (v) => (v === null ? '–' : String(v));
  return [{ v: fmt(r), class: 'num' }, { v: fmt(c), class: 'num' },
    { v: r && c !== null ? pct(c / r) : '–', class: 'num' }];
}

// One suggested site: households where shown, else the residents it adds.
export function pickLine(p, sug, name, count) {
  if (p.households_added !== null && p.households_added !== undefined) {
    return i18n.t('suggest_pick', { name, add: count(p.households_added), p: pct(p.share_covered) });
  }
  const all = sug.before && isNum(sug.before.residents) ? sug.before.residents : 0;
  return i18n.t('suggest_pick_residents', {
    name, r: isNum(p.residents_added) ? p.residents_added : '–',
    p: all && isNum(p.residents_covered) ? pct(p.residents_covered / all) : '–',
  });
}

// Why fewer sites came back than `asked`, or '' when as many did.
export function suggestReason(sug, asked) {
  const n = sug.picks.length;
  if (!(asked > n)) return '';
  if (isNum(sug.candidates_considered) && n >= sug.candidates_considered) {
    return i18n.t('suggest_fewer_all', { n, asked });
  }
  if (isNum(sug.min_households_added)) return i18n.t('suggest_fewer_small', { asked, n, k: sug.min_households_added });
  return i18n.t('suggest_fewer_none', { asked, n });
}
