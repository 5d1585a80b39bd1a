// SPDX-License-Identifier: MIT
// share.test.mjs - the share controls of the web page (web/share.js) in
// Debian's Chromium (headless, off the network) with playwright-core:
//   node share.test.mjs BASE_URL
// Signs in as a coordinator (TSUNAGU_TOKEN_COORDINATOR, agency 包括A), opens
// the route view, shares its household TSUNAGU_SHARE_OWN with 社協 by a
// support meeting, sees it listed as active, is refused (with the server's
// sentence) a share by consent of TSUNAGU_SHARE_NOCONSENT and a share of
// another agency's household TSUNAGU_SHARE_FOREIGN, then unshares; checks
// an outreach worker (TSUNAGU_TOKEN_OUTREACH) gets no share controls.
// The 世帯 view: the coordinator sees each household's consent (同意あり,
// 同意なし, 不明 for TSUNAGU_HH_UNKNOWN) and commissioners' mark, no control
// for the protected TSUNAGU_HH_PROTECTED; the commissioner
// (TSUNAGU_TOKEN_COMMISSIONER, the district of TSUNAGU_HH_MARK) sees no
// household; the coordinator marks TSUNAGU_HH_MARK (read back from the
// API); the commissioner then sees it, without consent or mark columns;
// an official and an editor get no 世帯 view and a 403 from the API.
// A commissioner's visit round (web/round.js): a second commissioner
// (TSUNAGU_TOKEN_COMMISSIONER2) lists its three marked households
// (TSUNAGU_ROUND_IDS), plans a round over two ticked and over all, from the
// nearest desk and from a clicked point; the list shows the API's order,
// its rounded walks and totals, in Japanese and English, and prints alone.
// The attacker's check: every request and answer of that session is kept,
// and none carries the households' coordinates (TSUNAGU_HH_CSV, the demo
// file), no answer naming households has lon, lat, a geometry or a
// fractional number, the page asks for nothing beyond the public layers,
// its list and its round, and shows no coordinate.
// Prints "ok - "/"FAIL - " lines and "N passed, N failed"; exits 1 on any
// failure.

import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const [base] = process.argv.slice(2);
const env = (k) => process.env[k] || '';
const coordinator = env('TSUNAGU_TOKEN_COORDINATOR');
const outreach = env('TSUNAGU_TOKEN_OUTREACH');
const own = env('TSUNAGU_SHARE_OWN');
const noConsent = env('TSUNAGU_SHARE_NOCONSENT');
const foreign = env('TSUNAGU_SHARE_FOREIGN');
const commissioner = env('TSUNAGU_TOKEN_COMMISSIONER');
const official = env('TSUNAGU_TOKEN_OFFICIAL');
const editor = env('TSUNAGU_TOKEN_EDITOR');
const mark = env('TSUNAGU_HH_MARK');
const prot = env('TSUNAGU_HH_PROTECTED');
const unknown = env('TSUNAGU_HH_UNKNOWN');
const commissioner2 = env('TSUNAGU_TOKEN_COMMISSIONER2');
const roundIds = env('TSUNAGU_ROUND_IDS').split(',').filter(Boolean);
const hhCsv = env('TSUNAGU_HH_CSV');
if (!base || !coordinator || !outreach || !own || !noConsent || !foreign || !commissioner || !official
  || !editor || !mark || !prot || !unknown || !commissioner2 || roundIds.length !== 3 || !hhCsv) {
  console.error('usage: TSUNAGU_TOKEN_COORDINATOR=... TSUNAGU_TOKEN_OUTREACH=... TSUNAGU_SHARE_OWN=... '
    + 'TSUNAGU_SHARE_NOCONSENT=... TSUNAGU_SHARE_FOREIGN=... TSUNAGU_TOKEN_COMMISSIONER=... TSUNAGU_TOKEN_OFFICIAL=... '
    + 'TSUNAGU_TOKEN_EDITOR=... TSUNAGU_HH_MARK=... TSUNAGU_HH_PROTECTED=... TSUNAGU_HH_UNKNOWN=... '
    + 'TSUNAGU_TOKEN_COMMISSIONER2=... TSUNAGU_ROUND_IDS=A,B,C TSUNAGU_HH_CSV=data/town_households.csv node share.test.mjs BASE_URL');
  process.exit(2);
}

let passed = 0;
let failed = 0;
function check(what, ok, detail = '') {
  if (ok) { passed++; console.log(`ok - ${what}`); } else { failed++; console.log(`FAIL - ${what}${detail ? `: ${detail}` : ''}`); }
}

const browser = await chromium.launchPersistentContext(process.env.CHROMIUM_PROFILE || '/tmp/tsunagu-share-profile', {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1280, height: 800 },
});
const ready = (page) => page.waitForFunction(() => window.tsunagu && window.tsunagu.ready, null, { timeout: 60000 });
const errors = [];

try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${base}/`);
  await ready(page);
  async function signIn(tok) {
    await page.fill('#token', tok);
    await Promise.all([page.waitForNavigation(), page.click('#signin button[type="submit"]')]);
    await ready(page);
  }
  const statusText = async () => (await page.textContent('#share-status')) || '';
  async function share(id, agency, basis, reason) {
    await page.fill('#share-id', id);
    await page.fill('#share-agency', agency);
    await page.selectOption('#share-basis', basis);
    await page.fill('#share-reason', reason);
    const before = await statusText();
    await page.click('#share-form button[type="submit"]');
    await page.waitForFunction((b) => document.querySelector('#share-status').textContent !== b, before, { timeout: 30000 });
    return statusText();
  }

  await signIn(coordinator);
  await page.click('#tab-route');
  check('the coordinator sees the share controls in the route view', await page.isVisible('#share-form'));
  let s = await share(own, '社協', 'meeting', '支援会議 2026-12-07');
  check(`sharing its household with 社協 by a support meeting succeeds (${s})`, /社協と共有しました/.test(s));
  await page.waitForSelector('#share-result table tbody tr', { timeout: 30000 });
  const rows = await page.$$eval('#share-result table tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
  check('the share is listed as active with its basis and reason',
    rows.length === 1 && rows[0][0] === '社協' && rows[0][1] === '支援会議の決定' && rows[0][2] === '支援会議 2026-12-07' && rows[0][5] === '有効',
    JSON.stringify(rows));
  s = await share(noConsent, '社協', 'consent', '本人同意');
  check(`a share by consent without consent is refused with the server's sentence (${s})`,
    /has not consented/.test(s) && await page.$eval('#share-status', (e) => e.classList.contains('error')));
  s = await share(foreign, '包括B', 'meeting', '支援会議');
  check(`another agency's household is refused as if missing (${s})`, /no household with this id held by 包括A/.test(s));
  await page.fill('#share-id', own);
  await page.click('#share-show');
  await page.waitForSelector('#share-result button.unshare', { timeout: 30000 });
  await page.click('#share-result button.unshare');
  await page.waitForFunction(() => /共有を解除しました/.test(document.querySelector('#share-status').textContent), null, { timeout: 30000 });
  await page.waitForFunction(() => /共有されていません/.test(document.querySelector('#share-result').textContent), null, { timeout: 30000 });
  check('unsharing removes it from the list', true);

  await Promise.all([page.waitForNavigation(), page.click('#sign-out')]);
  await ready(page);
  await signIn(outreach);
  await page.click('#tab-route');
  check('an outreach worker gets no share controls', await page.isHidden('#share-box'));
  check('an outreach worker (no household list in its role) gets no 世帯 view', await page.isHidden('#tab-households'));

  // ---- the 世帯 view: consent and the commissioners' mark ----
  async function signOut() {
    await Promise.all([page.waitForNavigation(), page.click('#sign-out')]);
    await ready(page);
  }
  // The rows of the 世帯 view by id: {id: [cells' text]} and its buttons.
  async function households() {
    await page.click('#tab-households');
    await page.waitForFunction(() => /世帯|households/.test(document.querySelector('#hh-status').textContent)
      && !/読み込んで/.test(document.querySelector('#hh-status').textContent), null, { timeout: 30000 });
    // (A commissioner's first column, 回る, holds a tick box: left out.)
    return page.$$eval('#hh-result table tbody tr', (trs) => Object.fromEntries(trs.map((tr) => [...tr.cells].filter((c) => !c.querySelector('input.pick')))
      .map((cells, i) => [cells[0].textContent, cells.map((c) => c.textContent)
        .concat(trs[i].querySelector('button.mark') ? [trs[i].querySelector('button.mark').textContent] : [])])));
  }
  const heads = () => page.$$eval('#hh-result table thead th', (ths) => ths.map((th) => th.textContent));
  await signOut();
  await signIn(coordinator);
  let hh = await households();
  check('the coordinator\'s 世帯 view has consent and commissioner columns',
    JSON.stringify(await heads()) === JSON.stringify(['世帯', '区域', '支援の必要', '前回訪問', '同意', '民生委員への表示']), JSON.stringify(await heads()));
  check(`a consenting household shows 同意あり, not shown, and a 表示する control (${mark})`,
    hh[mark] && hh[mark][4] === '同意あり' && /未表示/.test(hh[mark][5]) && hh[mark][6] === '表示する', JSON.stringify(hh[mark]));
  check(`a household without consent shows 同意なし and no control (${noConsent})`,
    hh[noConsent] && hh[noConsent][4] === '同意なし' && hh[noConsent].length === 6 && /同意が必要/.test(hh[noConsent][5]), JSON.stringify(hh[noConsent]));
  check(`unknown consent shows 不明, counted as not given, and no control (${unknown})`,
    hh[unknown] && /^不明/.test(hh[unknown][4]) && /同意なしとして扱う/.test(hh[unknown][4]) && hh[unknown].length === 6, JSON.stringify(hh[unknown]));
  check(`a protected household is marked protected and never offered the control (${prot})`,
    hh[prot] && /保護/.test(hh[prot][5]) && hh[prot].length === 6, JSON.stringify(hh[prot]));
  check('no household of another agency is listed', !hh[foreign]);
  await page.click('#lang');
  await page.waitForFunction(() => document.querySelector('#tab-households').textContent === 'Households', null, { timeout: 10000 });
  const en = await page.$$eval('#hh-result table tbody tr', (trs) => trs.map((tr) => tr.cells[4].textContent));
  check('in English the consent reads consent given / no consent / unknown',
    en.includes('consent given') && en.includes('no consent') && en.includes('unknown (counts as not given)'), JSON.stringify([...new Set(en)]));
  await page.click('#lang');
  await page.waitForFunction(() => document.querySelector('#tab-households').textContent === '世帯', null, { timeout: 10000 });

  await signOut();
  await signIn(commissioner);
  check('the commissioner has the 世帯 view and no route, visits or share controls',
    await page.isVisible('#tab-households') && await page.isHidden('#tab-route') && await page.isHidden('#tab-visits'));
  hh = await households();
  check('before the mark the commissioner sees no household', Object.keys(hh).length === 0
    && /表示できる世帯はありません/.test(await page.textContent('#hh-result')), JSON.stringify(hh));

  await signOut();
  await signIn(coordinator);
  await households();
  await page.click(`#hh-result button.mark[data-id="${mark}"]`);
  await page.waitForFunction(() => /民生委員に表示するようにしました/.test(document.querySelector('#hh-status').textContent), null, { timeout: 30000 });
  hh = await page.$$eval('#hh-result table tbody tr', (trs) => Object.fromEntries(trs.map((tr) => [tr.cells[0].textContent,
    [...tr.cells].map((c) => c.textContent)])));
  check('after marking the row shows 表示中 and offers 表示しない', /表示中/.test(hh[mark][5]) && /表示しない/.test(hh[mark][5]), JSON.stringify(hh[mark]));
  const back = await page.evaluate(async (id) => (await fetch(`api/households/${encodeURIComponent(id)}/shares`)).json(), mark);
  check('the API reads the mark back (consent yes, commissioner true)', back.consent === 'yes' && back.commissioner === true, JSON.stringify(back));
  const forged = await page.evaluate(async (id) => (await fetch(`api/households/${encodeURIComponent(id)}/commissioner`,
    { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Tsunagu-Request': '1' }, body: '{"commissioner":true}' })).status, prot);
  check(`the API refuses to mark the protected household (${forged})`, forged >= 400 && forged < 500);
  await page.click('#tab-route');
  await page.fill('#share-id', mark);
  await page.click('#share-show');
  await page.waitForSelector('#share-result .share-facts', { timeout: 30000 });
  const facts = await page.textContent('#share-result .share-facts');
  check(`the share box states consent and the mark (${facts})`, /同意あり/.test(facts) && /表示中/.test(facts));

  await signOut();
  await signIn(commissioner);
  hh = await households();
  check('after the mark the commissioner sees exactly that household', JSON.stringify(Object.keys(hh)) === JSON.stringify([mark]), JSON.stringify(hh));
  check('the commissioner\'s view has no consent or mark column (a tick to plan its round first)',
    JSON.stringify(await heads()) === JSON.stringify(['回る', '世帯', '区域', '支援の必要', '前回訪問']), JSON.stringify(await heads()));

  // ---- a commissioner's visit round (round.js) ----
  // Every request the page makes and every answer it gets while the
  // second commissioner is signed in, to show it never asks for, receives
  // or shows a household's position.
  await signOut();
  const seen = [];
  const onResponse = async (res) => {
    const req = res.request();
    let body = '';
    try { if (!/\.(png|pbf|mvt)$|\/tiles\/|\/fonts\//.test(req.url())) body = await res.text(); } catch { /* redirects, aborted */ }
    seen.push({ url: req.url(), method: req.method(), post: req.postData() || '', body, type: res.headers()['content-type'] || '' });
  };
  page.on('response', onResponse);
  await signIn(commissioner2);
  hh = await households();
  check(`the second commissioner lists exactly its three marked households (${roundIds.join(', ')})`,
    JSON.stringify(Object.keys(hh).sort()) === JSON.stringify(roundIds.slice().sort()), JSON.stringify(Object.keys(hh)));
  check('its 世帯 view has the visit round (a tick per household, a start, two ways to plan) and no route tab',
    await page.isVisible('#round-form') && (await page.$$('#hh-result input.pick')).length === 3
      && await page.isHidden('#tab-route') && (await heads())[0] === '回る');
  await page.waitForFunction(() => document.getElementById('round-start').value && document.getElementById('round-start').value !== 'clicked',
    null, { timeout: 30000 });
  const startName = await page.$eval('#round-start', (s) => s.options[s.selectedIndex].textContent);
  check(`the default start is a consultation desk (${startName})`, !!startName && !/地図/.test(startName));
  await page.click('#round-picked');
  check('planning with nothing ticked says what to do', /選んでください/.test(await page.textContent('#round-status'))
    && await page.$eval('#round-status', (e) => e.classList.contains('error')));
  // Two ticked: the order of those two.
  const answer = async (click) => {
    const [res] = await Promise.all([page.waitForResponse((r) => /\/api\/route$/.test(r.url()), { timeout: 60000 }), click()]);
    const doc = await res.json();
    await page.waitForSelector('#round-result table.round-table tbody tr', { timeout: 30000 });
    return doc;
  };
  await page.check(`#hh-result input.pick[data-id="${roundIds[0]}"]`);
  await page.check(`#hh-result input.pick[data-id="${roundIds[2]}"]`);
  let doc = await answer(() => page.click('#round-picked'));
  const roundRows = () => page.$$eval('#round-result table.round-table tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
  let rr = await roundRows();
  const stops = (d) => d.days.flatMap((x) => x.stops);
  check(`the ticked two come back in order with their district and needs (${rr.map((r) => r[1]).join(' → ')})`,
    doc.order_only === true && rr.length === 2 && JSON.stringify(rr.map((r) => r[1]).sort()) === JSON.stringify([roundIds[0], roundIds[2]].sort())
      && JSON.stringify(rr.map((r) => r[1])) === JSON.stringify(stops(doc).map((s) => s.household_id)) && rr.every((r, i) => r[0] === String(i + 1))
      && rr.every((r) => r[2] === hh[r[1]][1] && r[3] === hh[r[1]][2]), JSON.stringify(rr));
  check('each stop shows the walk from the previous place as the API rounds it (100 m, 5 min)',
    rr.every((r, i) => r[4] === `約${stops(doc)[i].walk_m} m・約${stops(doc)[i].walk_min}分`)
      && stops(doc).every((s) => s.walk_m % 100 === 0 && s.walk_min % 5 === 0), JSON.stringify(rr.map((r) => r[4])));
  const lead = await page.textContent('#round-result .lead');
  const dayCap = await page.textContent('#round-result table.round-table caption');
  check(`the total and the day's walk back to the start are shown (${lead} / ${dayCap})`,
    lead.includes(`約${(doc.total_walk_m / 1000).toFixed(1)} km`) && dayCap.includes(`約${doc.days[0].walk_m} m・約${doc.days[0].walk_min}分`), `${lead} ${dayCap}`);
  doc = await answer(() => page.click('#round-all'));
  rr = await roundRows();
  check(`"all households" orders all three (${rr.map((r) => r[1]).join(' → ')})`,
    rr.length === 3 && JSON.stringify(rr.map((r) => r[1]).sort()) === JSON.stringify(roundIds.slice().sort()));
  const pins = await page.$$eval('.maplibregl-marker', (ms) => ms.map((m) => m.textContent));
  const drawn = await page.evaluate(() => ['route', 'path'].map((s) => window.tsunagu.map.getSource(s).serialize().data)
    .map((d) => (d && d.features ? d.features.length : d && d.type === 'Feature' ? 1 : 0)));
  check(`nothing of the households is drawn on the map (pins ${JSON.stringify(pins)}, route/path features ${drawn})`,
    pins.length === 0 && drawn.every((n) => n === 0));
  const out = process.env.TSUNAGU_OUT || '/tmp';
  await page.$eval('#round', (e) => e.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: `${out}/round.png` });
  // In English, then printed through the browser's print path.
  await page.click('#lang');
  await page.waitForFunction(() => document.documentElement.lang === 'en', null, { timeout: 10000 });
  const enWalk = (await roundRows()).map((r) => r[4]);
  check(`in English the round reads "about … m / … min" (${enWalk[0]})`, enWalk.every((t) => /^about \d+00 m \/ \d+ min$/.test(t))
    && (await page.textContent('#round h2')) === 'Plan a visit round', enWalk.join('|'));
  await page.click('#lang');
  await page.waitForFunction(() => document.documentElement.lang === 'ja', null, { timeout: 10000 });
  const pdf = `${out}/round.pdf`;
  await page.pdf({ path: pdf, format: 'A4', printBackground: true });
  const ptxt = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
  const at = rr.map((r) => ptxt.indexOf(r[1]));
  check('the printout lists the stops in order with their walks, without the household list or the controls',
    at.every((x, i) => x >= 0 && (i === 0 || x > at[i - 1])) && ptxt.includes(rr[0][4]) && /訪問の順番/.test(ptxt)
      && !/選んだ世帯で順番を作る|最新の一覧/.test(ptxt), ptxt.slice(0, 400));
  execFileSync('pdftoppm', ['-r', '50', '-png', '-f', '1', '-l', '1', '-singlefile', pdf, `${out}/round-print`]);
  // A start clicked on the map (the commissioner's home, say) is offered
  // as a choice and used only when picked.
  const mapBox = await page.locator('#map').boundingBox();
  await page.mouse.click(mapBox.x + mapBox.width * 0.6, mapBox.y + mapBox.height * 0.4);
  await page.waitForFunction(() => /地図でクリックした地点$/.test([...document.getElementById('round-start').options].at(-1).textContent), null, { timeout: 10000 });
  check('a point clicked on the map becomes a start choice without replacing the start',
    await page.$eval('#round-start', (s) => s.value !== 'clicked'));
  await page.selectOption('#round-start', 'clicked');
  doc = await answer(() => page.click('#round-all'));
  check('the round from the clicked point is planned', stops(doc).length + doc.unreachable.length === 3);

  // The attacker's view: nothing the page asked for or got carries a
  // household's position.
  page.off('response', onResponse);
  const csv = readFileSync(hhCsv, 'utf8').trim().split('\n').map((l) => l.split(','));
  const where = Object.fromEntries(csv.slice(1).filter((r) => roundIds.includes(r[0])).map((r) => [r[0], [r[1], r[2]]]));
  // A coordinate's first five decimals (about a metre), as text.
  const cut = (v) => { const [i, f] = v.split('.'); return `${i}.${(f || '').slice(0, 5)}`; };
  const leaks = [];
  for (const s of seen) {
    for (const [id, [lon, lat]] of Object.entries(where)) {
      const text = s.url + s.post + s.body;
      if (text.includes(cut(lon)) && text.includes(cut(lat))) leaks.push(`${id} in ${s.method} ${s.url}`);
    }
  }
  check(`no request or answer (${seen.length}) holds a visible household's coordinates (${Object.keys(where).length} checked)`,
    Object.keys(where).length === 3 && leaks.length === 0, leaks.join(' | '));
  const hhAnswers = seen.filter((s) => /\/api\/(route|households)/.test(s.url) && /json/.test(s.type));
  check(`the answers naming households (${hhAnswers.length}) carry no lon, lat, geometry or fractional number`,
    hhAnswers.length >= 4 && hhAnswers.every((s) => !/"(lon|lat|geometry|coordinates|line|route)"|\d\.\d/.test(s.body)),
    hhAnswers.map((s) => s.body.slice(0, 120)).join(' | '));
  const paths = [...new Set(seen.map((s) => new URL(s.url).pathname.replace(/\/\d+\/\d+\/\d+(\.\w+)?$/, '/{z}/{x}/{y}')))];
  const allowed = /^\/($|web\/|lib\/|fonts\/|favicon|api\/(session|meta|levels|resources|households|route)$|ogc\/collections\/districts_\w+\/items$|tiles\/(streets|basemap|districts_\w+|resources)(\/|\.json$))/;
  check(`the page asked only for public layers, its list and its round (${paths.length} paths)`,
    paths.every((p) => allowed.test(p)), paths.filter((p) => !allowed.test(p)).join(' '));
  const routePosts = seen.filter((s) => /\/api\/route$/.test(s.url));
  check('each round request sends household ids and a start, never a household position',
    routePosts.length >= 3 && routePosts.every((s) => { const b = JSON.parse(s.post); return Array.isArray(b.households) && b.start && !('district' in b); }));
  const pageText = await page.evaluate(() => document.body.innerText);
  check('the page shows no coordinate of those households', Object.values(where).every(([lon, lat]) =>
    !pageText.includes(lon.slice(0, 8)) && !pageText.includes(lat.slice(0, 7))));

  for (const [role, tok] of [['an official', official], ['an editor', editor]]) {
    await signOut();
    await signIn(tok);
    const code = await page.evaluate(async () => (await fetch('api/households')).status);
    check(`${role} gets no 世帯 view, no share box and a 403 for the list (${code})`,
      await page.isHidden('#tab-households') && await page.isHidden('#share-box') && code === 403
      && !(await page.textContent('body')).includes(mark));
  }
  await signOut();
  check('signed out: no 世帯 view', await page.isHidden('#tab-households'));
  check('no script error on the page', errors.length === 0, errors.slice(0, 5).join(' | '));
} catch (err) {
  check('the browser test ran to its end', false, err.stack || String(err));
} finally {
  await browser.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
