// SPDX-License-Identifier: MIT
// page.test.mjs - drives tsunagu's web page in Debian's Chromium (headless,
// kept off the network) with playwright-core, against a running server:
//   node page.test.mjs BASE_URL OUT_DIR
// Loads the page at 1280x800, waits for the map to be idle, checks the map
// canvas is drawn (many colours), clicks a street, waits for the reachable
// resources (with minutes) and the isochrone feature; checks that an
// anonymous visitor sees no coverage or route view and that a wrong token
// is refused; signs in as an official (TSUNAGU_TOKEN_OFFICIAL) and computes
// coverage (district shading by feature state, suggested sites); signs out
// and in as an outreach worker (TSUNAGU_TOKEN_OUTREACH, assigned E05) and
// plans a route by district + need (route line, numbered stops, no
// coordinates in the text), checks the tokens never appear in a URL,
// switches to English, renders print media and a tablet width, and checks
// that every request stayed on the server's origin. Screenshots go to
// OUT_DIR; each is checked for size and distinct colours. Prints one
// "ok - " or "FAIL - " line per check and "N passed, N failed"; exits 1 on
// any failure.

import { chromium } from 'playwright-core';
import { mkdirSync, statSync } from 'node:fs';

const [base, out] = process.argv.slice(2);
if (!base || !out) {
  console.error('usage: node page.test.mjs BASE_URL OUT_DIR');
  process.exit(2);
}
mkdirSync(out, { recursive: true });
const origin = new URL(base).origin;
const officialToken = process.env.TSUNAGU_TOKEN_OFFICIAL || '';
const outreachToken = process.env.TSUNAGU_TOKEN_OUTREACH || '';
if (!officialToken || !outreachToken) {
  console.error('page.test.mjs needs TSUNAGU_TOKEN_OFFICIAL and TSUNAGU_TOKEN_OUTREACH');
  process.exit(2);
}

let passed = 0;
let failed = 0;
function check(what, ok, detail = '') {
  if (ok) { passed++; console.log(`ok - ${what}`); } else { failed++; console.log(`FAIL - ${what}${detail ? `: ${detail}` : ''}`); }
}

// A fresh profile directory (playwright passes it as --user-data-dir).
const browser = await chromium.launchPersistentContext(process.env.CHROMIUM_PROFILE || `${out}/profile`, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1280, height: 800 },
});

// Every request any page makes; those leaving the server's origin are listed.
const requests = [];
const offsite = [];
const errors = [];
function watch(page) {
  page.on('request', (r) => {
    const u = r.url();
    requests.push(u);
    if (!u.startsWith(`${origin}/`) && !u.startsWith('data:') && !u.startsWith('blob:')) offsite.push(u);
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
}

// Distinct colours and share of pixels unlike the top-left one, of a PNG
// (decoded in an about:blank page: no request).
const probe = await browser.newPage();
async function colours(png) {
  return probe.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width; c.height = img.height;
    const g = c.getContext('2d');
    g.drawImage(img, 0, 0);
    const d = g.getImageData(0, 0, c.width, c.height).data;
    const seen = new Set();
    let other = 0;
    for (let i = 0; i < d.length; i += 4) {
      const v = (d[i] << 16) | (d[i + 1] << 8) | d[i + 2];
      seen.add(v);
      if (Math.abs(d[i] - d[0]) + Math.abs(d[i + 1] - d[1]) + Math.abs(d[i + 2] - d[2]) > 24) other++;
    }
    return { distinct: seen.size, share: other / (d.length / 4), width: c.width, height: c.height };
  }, png.toString('base64'));
}

async function shot(page, name, minColours, options = {}) {
  const path = `${out}/${name}.png`;
  const png = await page.screenshot({ path, ...options });
  const c = await colours(png);
  const size = statSync(path).size;
  check(`${name}.png: ${c.width}x${c.height}, ${size} bytes, ${c.distinct} colours`,
    size > 20000 && c.distinct >= minColours && c.share > 0.05, JSON.stringify(c));
  return c;
}

const ready = (page) => page.waitForFunction(() => window.tsunagu && window.tsunagu.ready, null, { timeout: 60000 });
const idle = (page) => page.evaluate(() => new Promise((resolve) => {
  const map = window.tsunagu.map;
  if (map.loaded() && !map.isMoving()) map.once('idle', resolve); else map.once('idle', resolve);
  map.triggerRepaint();
}));

try {
  // ---- load ----
  const page = await browser.newPage();
  watch(page);
  const res = await page.goto(`${base}/`);
  check('GET / answers 200 text/html', res.status() === 200 && res.headers()['content-type'].startsWith('text/html'));
  check('the page has a Content-Security-Policy keeping it on its origin',
    /connect-src 'self'/.test(res.headers()['content-security-policy'] || ''));
  await ready(page);
  check('the map is idle after loading', true);
  check('the page is in Japanese first', (await page.textContent('h1')) === 'つなぐ地図' && (await page.getAttribute('html', 'lang')) === 'ja');
  const tiles = await page.evaluate(() => !!window.tsunagu.map.getSource('streets'));
  check('streets come from /tiles (vector tiles answered)', tiles);

  // The map canvas itself is drawn (read back through preserveDrawingBuffer).
  const canvas = await page.evaluate(() => {
    const src = window.tsunagu.map.getCanvas();
    const c = document.createElement('canvas');
    c.width = src.width; c.height = src.height;
    const g = c.getContext('2d');
    g.drawImage(src, 0, 0);
    const d = g.getImageData(0, 0, c.width, c.height).data;
    const seen = new Set();
    for (let i = 0; i < d.length; i += 16) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
    return { w: c.width, h: c.height, distinct: seen.size };
  });
  check(`the map canvas is drawn (${canvas.w}x${canvas.h}, ${canvas.distinct} colours)`, canvas.distinct > 50, JSON.stringify(canvas));
  await shot(page, 'load', 200);

  // ---- click a street: reach ----
  const target = await page.evaluate(() => {
    const map = window.tsunagu.map;
    const box = map.getCanvas().getBoundingClientRect();
    const w = box.width; const h = box.height;
    const streets = map.queryRenderedFeatures([[w * 0.3, h * 0.3], [w * 0.7, h * 0.7]], { layers: ['streets'] });
    const f = streets.find((s) => s.geometry.type === 'LineString' && s.geometry.coordinates.length >= 2);
    const [a, b] = f ? f.geometry.coordinates : [[136.95, 34.95], [136.95, 34.95]];
    const p = map.project([(a[0] + b[0]) / 2, (a[1] + b[1]) / 2]);
    return { x: box.left + p.x, y: box.top + p.y, onStreet: !!f };
  });
  check('a street is rendered near the map centre', target.onStreet);
  await page.mouse.click(target.x, target.y);
  await page.waitForSelector('#reach-result table tbody tr', { timeout: 30000 });
  const rows = await page.$$eval('#reach-result table tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
  check(`the reach list shows ${rows.length} resources`, rows.length >= 3);
  check('each listed resource has walking minutes', rows.every((r) => /^\d+(\.\d)?分$/.test(r[0])), JSON.stringify(rows[0]));
  check('the list is nearest first', rows.every((r, i) => i === 0 || parseFloat(rows[i - 1][0]) <= parseFloat(r[0])));
  check('the list names kinds in Japanese and opening times', rows.some((r) => /相談窓口|サロン|居場所/.test(r[1])) && rows.some((r) => /[月火水木金土日]/.test(r[2])));
  await idle(page);
  const iso = await page.evaluate(() => window.tsunagu.map.querySourceFeatures('reach').length);
  check(`the isochrone layer has a feature (${iso})`, iso > 0);
  const isoType = await page.evaluate(() => window.tsunagu.state.area && window.tsunagu.state.area.geometry.type);
  check('the isochrone is a polygon', /Polygon/.test(isoType || ''), String(isoType));
  await shot(page, 'reach', 300);

  // Minutes slider: fewer minutes, fewer resources.
  await page.fill('#minutes', '10');
  await page.waitForFunction((n) => document.querySelectorAll('#reach-result table tbody tr').length < n
    || document.querySelector('#reach-result p:not(.lead):not(.small)'), rows.length, { timeout: 30000 });
  check('10 minutes reach fewer resources than 30', true);
  await page.fill('#minutes', '30');

  // ---- signing in ----
  check('anonymous: no coverage or route view', await page.isHidden('#tab-coverage') && await page.isHidden('#tab-route'));
  const errorsBefore = errors.length;
  await page.fill('#token', 'tsu_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
  await page.click('#signin button[type="submit"]');
  await page.waitForSelector('#token.error', { timeout: 10000 });
  // The browser reports the refused token's 401 as a console error: expected here.
  errors.push(...errors.splice(errorsBefore).filter((m) => !/status of 401/.test(m)));
  check('a wrong token is refused and not kept', await page.evaluate(() => sessionStorage.getItem('tsunagu.token') === null)
    && await page.isHidden('#tab-coverage'));
  async function signIn(tok) {
    await page.fill('#token', tok);
    await Promise.all([page.waitForNavigation(), page.click('#signin button[type="submit"]')]);
    await ready(page);
  }
  async function signOut() {
    await Promise.all([page.waitForNavigation(), page.click('#sign-out')]);
    await ready(page);
  }
  await signIn(officialToken);
  check('signed in as the official: name and role shown', /web-official/.test(await page.textContent('#who-name')));
  check('the official sees coverage but no route view', await page.isVisible('#tab-coverage') && await page.isHidden('#tab-route'));
  check('the token is kept in sessionStorage only', await page.evaluate(() => sessionStorage.getItem('tsunagu.token') !== null
    && localStorage.getItem('tsunagu.token') === null && !document.cookie.includes('tsu_')));

  // ---- coverage ----
  await page.click('#tab-coverage');
  await page.waitForSelector('#coverage-result table tbody tr', { timeout: 60000 });
  const cov = await page.$$eval('#coverage-result table tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
  check(`coverage lists ${cov.length - 1} districts and a total`, cov.length >= 3 && cov[cov.length - 1][1] === '全体');
  const e05 = cov.find((r) => r[0] === 'E05');
  check('E05 shows its low share (10.1%)', e05 && e05[4] === '10.1%', JSON.stringify(e05));
  await idle(page);
  const state = await page.evaluate(() => {
    const map = window.tsunagu.map;
    const src = 'districts_elementary';
    const vector = map.getSource(src).type === 'vector';
    return map.getFeatureState(vector ? { source: src, sourceLayer: src, id: 'E05' } : { source: src, id: 'E05' });
  });
  check('the district layer carries the share as feature state', state && Math.abs(state.share - 0.1014) < 1e-3, JSON.stringify(state));
  const hover = await page.evaluate(() => {
    const map = window.tsunagu.map;
    const fs = map.queryRenderedFeatures({ layers: ['districts_elementary-fill'] });
    const f = fs.find((x) => x.properties.code === 'E05');
    if (!f) return null;
    const ring = f.geometry.type === 'Polygon' ? f.geometry.coordinates[0] : f.geometry.coordinates[0][0];
    const c = ring.reduce((s, p) => [s[0] + p[0] / ring.length, s[1] + p[1] / ring.length], [0, 0]);
    const p = map.project(c);
    const box = map.getCanvas().getBoundingClientRect();
    return { x: box.left + p.x, y: box.top + p.y };
  });
  if (hover) await page.mouse.move(hover.x, hover.y);
  const popup = hover ? await page.waitForSelector('.popup-figures', { timeout: 10000 }).then((e) => e.textContent()).catch(() => '') : '';
  check('hovering a district shows its figures', /\d+\/\d+世帯/.test(popup), popup);
  await page.click('#suggest-form button[type="submit"]');
  await page.waitForSelector('#suggest-result li', { timeout: 60000 });
  const picks = await page.$$eval('.pin-suggest', (p) => p.length);
  check(`suggested sites are listed and marked on the map (${picks})`, picks >= 1);
  await shot(page, 'coverage', 300);

  // ---- route ----
  await signOut();
  check('signed out: coverage and route views are gone', await page.isHidden('#tab-coverage') && await page.isHidden('#tab-route')
    && await page.evaluate(() => sessionStorage.getItem('tsunagu.token') === null));
  await signIn(outreachToken);
  check('the outreach worker sees the route view but no coverage', await page.isVisible('#tab-route') && await page.isHidden('#tab-coverage'));
  await page.click('#tab-route');
  check('the route view is flagged 要配慮個人情報', (await page.textContent('#view-route .private')).includes('要配慮個人情報'));
  await page.waitForSelector('#route-district option[value="E05"]', { state: 'attached', timeout: 30000 });
  await page.selectOption('#route-district', 'E05');
  await page.selectOption('#route-need', '高齢独居');
  const posted = page.waitForRequest((r) => r.url().endsWith('/api/route') && r.method() === 'POST');
  await page.click('#route-form button[type="submit"]');
  const body = JSON.parse((await posted).postData());
  check('the page sends district + need, never household ids', body.district === 'E05' && body.need === '高齢独居' && !('households' in body), JSON.stringify(body));
  await page.waitForSelector('#route-result table tbody tr', { timeout: 60000 });
  const stops = await page.$$eval('#route-result table tbody tr', (trs) => trs.length);
  const pins = await page.$$eval('.pin-route', (p) => p.length);
  check(`the route lists ${stops} visits with as many numbered stops on the map`, stops >= 1 && pins === stops);
  await idle(page);
  const line = await page.evaluate(() => window.tsunagu.map.querySourceFeatures('route').length);
  check('the route line is on the map', line > 0);
  const text = await page.textContent('#panel');
  check('no coordinates are written on the page', !/1[23]\d\.\d{4,}|\b[23]\d\.\d{5,}/.test(text));
  await shot(page, 'route', 300);
  await page.emulateMedia({ media: 'print' });
  await idle(page);
  const printHides = await page.evaluate(() => getComputedStyle(document.querySelector('#route-form')).display === 'none');
  check('print hides the controls', printHides);
  await shot(page, 'route-print', 100, { fullPage: true });
  await page.emulateMedia({ media: 'screen' });

  // ---- English ----
  await page.click('#lang');
  check('the language toggle switches to English', (await page.textContent('h1')) === 'tsunagu map' && (await page.getAttribute('html', 'lang')) === 'en');
  check('route tables follow the language', (await page.textContent('#route-result')).includes('Day 1'));
  await page.click('#lang');
  await page.close();

  // ---- tablet ----
  const tablet = await browser.newPage();
  await tablet.setViewportSize({ width: 820, height: 1180 });
  watch(tablet);
  await tablet.goto(`${base}/`);
  await ready(tablet);
  const fits = await tablet.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  check('the page fits a tablet width without horizontal scrolling', fits);
  await shot(tablet, 'tablet', 200);
  await tablet.close();

  // ---- network ----
  check('no request URL carries a token', requests.every((u) => !u.includes(officialToken) && !u.includes(outreachToken) && !/tsu_/.test(u)));
  check(`all ${requests.length} requests went to ${origin}`, offsite.length === 0 && requests.length > 10, offsite.slice(0, 5).join(' '));
  check('the map tiles came from the server', requests.some((u) => /\/tiles\/streets\/\d+\/\d+\/\d+\.mvt$/.test(u)));
  check('no script error on the page', errors.length === 0, errors.slice(0, 5).join(' | '));
} catch (err) {
  check('the browser test ran to its end', false, err.stack || String(err));
} finally {
  await browser.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
