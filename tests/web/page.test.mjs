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
// that every request stayed on the server's origin. Issue 15: details in
// the numbered list (pin 3 = row 3, tel: links), a resource dot opening its
// details without a new search, the walking path to a chosen row with the
// origin in view, the search box, the 一覧 view, filters, error codes in
// Japanese, MapLibre's labels, keyboard use, contrast, text and target
// sizes, a 360 px phone, and printing through the browser's own print path
// (page.pdf(), A4 portrait and landscape, rendered to PNG with poppler's
// pdftoppm and checked for the map's picture). Screenshots go to OUT_DIR;
// each is checked for size and distinct colours. Prints one "ok - " or
// "FAIL - " line per check and "N passed, N failed"; exits 1 on any
// failure.
//   TSUNAGU_PAGE_DATA=real: the database is real 宇部市 data (network,
//   shelters, address reference, no users): the public checks only, plus
//   the title naming 宇部市 and an address search.

import { chromium } from 'playwright-core';
import { mkdirSync, statSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const [base, out] = process.argv.slice(2);
if (!base || !out) {
  console.error('usage: node page.test.mjs BASE_URL OUT_DIR');
  process.exit(2);
}
mkdirSync(out, { recursive: true });
const origin = new URL(base).origin;
const real = process.env.TSUNAGU_PAGE_DATA === 'real';
const officialToken = process.env.TSUNAGU_TOKEN_OFFICIAL || '';
const outreachToken = process.env.TSUNAGU_TOKEN_OUTREACH || '';
if (!real && (!officialToken || !outreachToken)) {
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

// Share of non-white pixels (any channel below 240: the map's ground, fills
// and lines; not the paper) in the band of rows [y0, y1) (fractions of the
// height) of a PNG file. A blank map picture leaves the band white.
async function colourful(file, y0, y1) {
  return probe.evaluate(async ([b64, y0, y1]) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width; c.height = img.height;
    const g = c.getContext('2d');
    g.drawImage(img, 0, 0);
    const top = Math.floor(c.height * y0);
    const d = g.getImageData(0, top, c.width, Math.floor(c.height * y1) - top).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (Math.min(d[i], d[i + 1], d[i + 2]) < 240) n++;
    }
    return { share: n / (d.length / 4), width: c.width, height: c.height };
  }, [readFileSync(file).toString('base64'), y0, y1]);
}

// Prints the page through Chromium's own print path (page.pdf() fires
// beforeprint and lays the page out for paper) on A4 portrait and
// landscape, renders the first page with pdftoppm and checks the map's
// picture is on it.
async function printed(page, name) {
  await page.emulateMedia({ media: null });
  // The picture follows the map shortly after each change (print.js).
  await page.waitForFunction(() => document.getElementById('print-map').dataset.ready === 'true', null, { timeout: 30000 });
  for (const landscape of [false, true]) {
    const tag = `${name}-print-${landscape ? 'landscape' : 'portrait'}`;
    await page.pdf({ path: `${out}/${tag}.pdf`, format: 'A4', landscape, printBackground: true });
    execFileSync('pdftoppm', ['-r', '60', '-png', '-f', '1', '-l', '1', '-singlefile', `${out}/${tag}.pdf`, `${out}/${tag}`]);
    // Where the map's picture lies on page 1 (under the header: full width
    // on portrait, full height on landscape).
    const c = landscape ? await colourful(`${out}/${tag}.png`, 0.15, 0.75) : await colourful(`${out}/${tag}.png`, 0.1, 0.45);
    const wide = c.width > c.height;
    check(`${tag}: page 1 (${c.width}x${c.height}) shows the map (${(c.share * 100).toFixed(1)}% drawn where it lies)`,
      c.share > 0.6 && wide === landscape, JSON.stringify(c));
  }
  const head = await page.evaluate(() => [document.getElementById('print-title').textContent, document.getElementById('print-sub').textContent]);
  check(`${name} print header: title, date and conditions`, /つなぐ地図/.test(head[0]) && /\d{4}年/.test(head[1]) && /分/.test(head[1]), head.join(' | '));
  await page.evaluate(() => window.tsunagu.map.resize());
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
  check('the page is in Japanese first', (await page.textContent('h1 [data-i18n="title"]')) === 'つなぐ地図' && (await page.getAttribute('html', 'lang')) === 'ja');
  const titleText = `${await page.textContent('h1')} ${await page.textContent('.subtitle')}`;
  if (real) check(`the title names the municipality of the data, not the demo (${titleText})`, /宇部市/.test(titleText) && !/架空/.test(titleText));
  else check(`the demo town says it is the demo (${titleText})`, /架空の町のデモ/.test(titleText));
  check('MapLibre\'s controls are labelled in Japanese', (await page.getAttribute('.maplibregl-ctrl-zoom-in', 'title')) === '拡大');
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

  // ---- a resource dot opens its details, no new search ----
  const dot = await page.evaluate(() => {
    const map = window.tsunagu.map;
    const box = map.getCanvas().getBoundingClientRect();
    const fs = map.queryRenderedFeatures({ layers: ['resources'] });
    for (const f of fs) {
      const p = map.project(f.geometry.coordinates);
      if (p.x > 60 && p.y > 60 && p.x < box.width - 60 && p.y < box.height - 140) return { x: box.left + p.x, y: box.top + p.y, name: f.properties.name };
    }
    return null;
  });
  const walksBefore = requests.filter((u) => u.includes('/api/walk')).length;
  if (dot) await page.mouse.click(dot.x, dot.y);
  const pop = dot ? await page.waitForSelector('.popup-details', { timeout: 10000 }).then((e) => e.textContent()).catch(() => '') : '';
  check(`clicking a resource dot opens its details (${dot && dot.name})`, dot && pop.includes(dot.name) && /住所/.test(pop), pop.slice(0, 80));
  check('clicking a resource dot starts no new search', requests.filter((u) => u.includes('/api/walk')).length === walksBefore);
  await page.keyboard.press('Escape');
  await page.evaluate(() => document.querySelectorAll('.maplibregl-popup').forEach((p) => p.remove()));

  // ---- click a street: reach ----
  if (real) {
    await page.evaluate(() => {
      const r = window.tsunagu.state.resources[0];
      window.tsunagu.map.jumpTo({ center: [r.lon, r.lat], zoom: 15.5 });
    });
    await idle(page);
    // The offline base map (web/basemap.js): 宇部市's roads from its OSM layer.
    const roads = await page.evaluate(() => {
      const map = window.tsunagu.map;
      const ids = map.getStyle().layers.filter((l) => l.source === 'basemap').map((l) => l.id);
      return map.queryRenderedFeatures({ layers: ids }).filter((f) => f.properties.class === 'road').length;
    });
    check(`the offline base map draws roads around the first shelter (${roads})`, roads > 0);
  }
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
  check('the rows are numbered 1, 2, 3 ...', rows.every((r, i) => r[0] === String(i + 1)), JSON.stringify(rows.map((r) => r[0])));
  check('each listed resource has walking minutes', rows.every((r) => /^\d+(\.\d)?分$/.test(r[1])), JSON.stringify(rows[0]));
  check('the list is nearest first', rows.every((r, i) => i === 0 || parseFloat(rows[i - 1][1]) <= parseFloat(r[1])));
  if (real) check('the list names the shelters with their addresses', rows.every((r) => /避難所/.test(r[2]) && /住所/.test(r[2])), JSON.stringify(rows[0]));
  else {
    check('the list names kinds in Japanese and opening times', rows.some((r) => /相談窓口|サロン|居場所/.test(r[2])) && rows.some((r) => /[月火水木金土日]/.test(r[2])));
    check('the list shows address, phone (a tel: link) and target', rows.every((r) => /住所/.test(r[2]) && /対象/.test(r[2]))
      && await page.$$eval('#reach-result a[href^="tel:"]', (a) => a.length) === rows.length);
  }
  if (!real) check('the chosen point\'s school districts are named', /小学校区/.test(await page.textContent('#reach-result .districts-at').catch(() => '')));
  const announced = await page.textContent('#reach-status');
  check(`the status region announces the result (${announced})`, new RegExp(`${rows.length}件`).test(announced)
    && await page.getAttribute('#reach-status', 'role') === 'status');
  const pinsMatch = await page.evaluate(() => {
    const pins = [...document.querySelectorAll('.pin-reach')];
    const names = [...document.querySelectorAll('#reach-result tbody tr button.link')].map((b) => b.textContent);
    return pins.length === names.length && pins.every((p, i) => p.textContent === String(i + 1) && p.getAttribute('aria-label') === `${i + 1} ${names[i]}`);
  });
  check('the map pins carry the list numbers (pin 3 = row 3)', pinsMatch);
  check('kinds are told apart by a letter as well as a colour', await page.$$eval('#reach-result .dot', (d) => d.length > 0 && d.every((x) => x.textContent.length === 1)));
  await idle(page);
  const iso = await page.evaluate(() => window.tsunagu.map.querySourceFeatures('reach').length);
  check(`the isochrone layer has a feature (${iso})`, iso > 0);
  const isoType = await page.evaluate(() => window.tsunagu.state.area && window.tsunagu.state.area.geometry.type);
  check('the isochrone is a polygon', /Polygon/.test(isoType || ''), String(isoType));
  await shot(page, 'reach', 300);

  // ---- choosing a row: the walking path, the origin kept in view ----
  const pick = Math.min(3, rows.length);
  await page.click(`#reach-result tbody tr:nth-child(${pick}) button.link`);
  await page.waitForFunction(() => window.tsunagu.state.path, null, { timeout: 20000 });
  await idle(page);
  const chosen = await page.evaluate(() => {
    const { state, map } = window.tsunagu;
    const coords = state.path.geometry.coordinates;
    const b = map.getBounds();
    return { n: coords.length, inView: b.contains(state.origin), drawn: map.querySourceFeatures('path').length,
      start: coords[0], origin: state.origin };
  });
  check(`choosing row ${pick} draws the walking path to it (${chosen.n} points)`, chosen.n >= 2 && chosen.drawn > 0, JSON.stringify(chosen));
  check('the origin stays in view', chosen.inView);
  check('the status names the path\'s minutes', /徒歩[\d.]+分/.test(await page.textContent('#reach-status')));
  await shot(page, 'reach-path', 300);
  await printed(page, real ? 'real-reach' : 'reach');

  // Minutes slider: fewer minutes, fewer resources.
  await page.fill('#minutes', '10');
  await page.waitForFunction((n) => document.querySelectorAll('#reach-result table tbody tr').length < n
    || document.querySelector('#reach-result p:not(.lead):not(.small)'), rows.length, { timeout: 30000 });
  check('10 minutes reach fewer resources than 30', true);
  await page.fill('#minutes', '30');
  await page.waitForFunction((n) => document.querySelectorAll('#reach-result tbody tr').length === n
    && !window.tsunagu.state.chosen, rows.length, { timeout: 30000 });
  await page.waitForTimeout(500);

  // ---- filters ----
  const listed = () => page.$$eval('#reach-result tbody tr', (t) => t.length);
  const before = await listed();
  await page.click('.layers summary');
  await page.click('#fields-none');
  const noFields = await listed();
  if (real) check(`shelters, which name no field, stay listed with every field unchecked (${noFields}/${before})`, noFields === before);
  else {
    const allOnly = await page.evaluate(() => window.tsunagu.state.reach.resources.filter((r) => !r.fields || r.fields === 'all' || r.fields === 'unspecified').length);
    check(`with every field unchecked only resources for all fields (or none named) stay (${noFields})`, noFields === allOnly && noFields < before);
  }
  await page.click('#fields-all');
  const onlyBtn = await page.$('#layer-kinds button.only');
  await onlyBtn.click();
  const kindsLeft = await page.$$eval('#reach-result tbody tr .kind', (k) => new Set(k.map((x) => x.textContent)).size);
  check('この種類だけ leaves one kind in the list', kindsLeft <= 1);
  await page.click('#kinds-none');
  check('なし empties the list', await listed() === 0);
  await page.click('#kinds-all');
  check('すべて brings every resource back', await listed() === before);
  await page.click('.layers summary');

  // ---- error codes in Japanese ----
  // The refused request and a database without an address reference (404
  // from /api/geocode) are reported by the browser as console errors: expected.
  const errorsBeforeCodes = errors.length;
  const errText = await page.evaluate(async () => {
    const { api } = await import('/web/api.js');
    try { await api('api/walk?lon=1&lat=2'); return ''; } catch (e) { return e.message; }
  });
  check(`an API error is shown in Japanese with the server's sentence (${errText})`, /入力に誤りがあります/.test(errText) && /outside/.test(errText));

  // ---- search box and 一覧 ----
  const someName = await page.evaluate(() => window.tsunagu.state.resources[1].name);
  await page.fill('#search-q', someName.slice(0, 6));
  await page.click('#search button[type="submit"]');
  await page.waitForSelector('#search-result li, #search-result p', { timeout: 15000 });
  check(`the search box finds a facility by name (${someName.slice(0, 6)})`, (await page.textContent('#search-result')).includes(someName));
  if (real) {
    await page.fill('#search-q', '宇部市小松原町2-10-25');
    const walked = page.waitForRequest((r) => r.url().includes('/api/walk?'), { timeout: 20000 });
    await page.click('#search button[type="submit"]');
    await walked;
    await page.waitForSelector('#reach-result table tbody tr', { timeout: 30000 });
    check(`an address moves the map there and runs the walk query (${await page.textContent('#search-result')})`, /小松原町/.test(await page.textContent('#search-result')));
  }
  await page.click('#tab-list');
  const all = await page.$$eval('#list-result tbody tr', (t) => t.length);
  const total = await page.evaluate(() => window.tsunagu.state.resources.length);
  check(`一覧 lists every resource (${all})`, all === total);
  await page.fill('#list-q', someName.slice(0, 4));
  const some = await page.$$eval('#list-result tbody tr', (t) => t.length);
  check(`一覧 keyword search narrows the list (${some})`, some >= 1 && some < all);
  await page.fill('#list-q', '');
  const kinds = await page.$$eval('#list-kind option', (o) => o.map((x) => x.value).filter(Boolean));
  await page.selectOption('#list-kind', kinds[0]);
  const ofKind = await page.$$eval('#list-result tbody tr .kind', (k) => new Set(k.map((x) => x.textContent)).size);
  check('一覧 category search keeps one kind', ofKind === 1);
  await page.selectOption('#list-kind', '');
  await shot(page, real ? 'real-list' : 'list', 100);
  await page.click('#tab-reach');
  errors.push(...errors.splice(errorsBeforeCodes).filter((m) => !/status of (400|404)/.test(m)));

  // ---- accessibility: keyboard, contrast, sizes ----
  await page.focus('#reach-result tbody tr:nth-child(1) button.link');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('#reach-result tbody tr:nth-child(1)').classList.contains('chosen'), null, { timeout: 10000 });
  check('a row is chosen from the keyboard', true);
  await page.focus('#minutes');
  await page.keyboard.press('ArrowLeft');
  check('the slider moves with the keyboard and says its units', (await page.getAttribute('#minutes', 'aria-valuetext')) === '25分');
  await page.keyboard.press('ArrowRight');
  const a11y = await page.evaluate(() => {
    const lum = (c) => {
      const m = c.match(/[\d.]+/g).map(Number);
      const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
      return [0.2126 * f(m[0]) + 0.7152 * f(m[1]) + 0.0722 * f(m[2]), m.length > 3 ? m[3] : 1];
    };
    const bg = (e) => {
      for (let x = e; x; x = x.parentElement) {
        const c = getComputedStyle(x).backgroundColor;
        if (lum(c)[1] > 0.5) return lum(c)[0];
      }
      return 1;
    };
    const visible = (e) => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden'; };
    const texts = [...document.querySelectorAll('#panel p, #panel td, #panel th, #panel label, #panel button, #panel dt, #panel dd, #panel legend, #panel summary, header h1, header .subtitle, header button')].filter(visible);
    const small = texts.filter((e) => parseFloat(getComputedStyle(e).fontSize) < 16).map((e) => `${e.tagName}.${e.className}`);
    const low = texts.filter((e) => {
      const fg = lum(getComputedStyle(e).color)[0];
      const b = bg(e);
      return (Math.max(fg, b) + 0.05) / (Math.min(fg, b) + 0.05) < 4.5;
    }).map((e) => `${e.tagName}#${e.id}.${e.className}`);
    const targets = [...document.querySelectorAll('header button, header input, #panel button:not(.link), #panel input, #panel select, #panel summary, .maplibregl-ctrl button')].filter(visible);
    const tiny = targets.filter((e) => { const r = e.getBoundingClientRect(); return r.width < 24 || r.height < 24; }).map((e) => `${e.tagName}#${e.id}.${e.className}`);
    return { n: texts.length, small: [...new Set(small)], low: [...new Set(low)], targets: targets.length, tiny: [...new Set(tiny)] };
  });
  check(`body text is at least 16 px (${a11y.n} elements)`, a11y.small.length === 0, a11y.small.slice(0, 5).join(' '));
  check('text meets 4.5:1 contrast', a11y.low.length === 0, a11y.low.slice(0, 5).join(' '));
  check(`targets are at least 24x24 px (${a11y.targets})`, a11y.tiny.length === 0, a11y.tiny.slice(0, 5).join(' '));

  if (!real) {
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
  check('a wrong token gets a visible error message', /トークン/.test(await page.textContent('#signin-error')) && await page.isVisible('#signin-error'));
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
  check('the page keeps no token: the session is an HttpOnly cookie script cannot read', await page.evaluate(() =>
    sessionStorage.getItem('tsunagu.token') === null && localStorage.getItem('tsunagu.token') === null
    && !document.cookie.includes('tsu_'))
    && (await browser.cookies(origin)).some((c) => c.name === 'tsunagu_session' && c.httpOnly));

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
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 10000 }), page.click('#coverage-result button')]);
  const csv = readFileSync(await dl.path(), 'utf8');
  check(`the coverage table downloads as CSV (${dl.suggestedFilename()})`, /\.csv$/.test(dl.suggestedFilename()) && csv.includes('"E05"') && csv.split('\r\n').length >= cov.length + 1);
  check('the legend has a swatch for districts whose figures are hidden', /数字を出さない区域/.test(await page.textContent('#legend-classes')));
  await shot(page, 'coverage', 300);
  await printed(page, 'coverage');

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
  const startId = await page.inputValue('#route-start');
  check(`the default start is a consultation desk (${startId})`, await page.evaluate((id) => window.tsunagu.state.resources.some((r) => r.id === id && r.kind === 'consultation'), startId));
  await page.selectOption('#route-need', '高齢独居');
  const posted = page.waitForRequest((r) => r.url().endsWith('/api/route') && r.method() === 'POST');
  await page.click('#route-form button[type="submit"]');
  const body = JSON.parse((await posted).postData());
  check('the page sends district + need, never household ids', body.district === 'E05' && body.need === '高齢独居' && !('households' in body), JSON.stringify(body));
  await page.waitForSelector('#route-result table tbody tr', { timeout: 60000 });
  const dayTables = await page.$$eval('#route-result table', (t) => t.length);
  const daysPlanned = await page.$$eval('#route-day-shown option', (o) => o.length - 1).catch(() => 0);
  check(`one day at a time (${dayTables} table shown, ${Math.max(daysPlanned, 1)} days planned)`, dayTables === 1);
  const stops = await page.$$eval('#route-result table tbody tr', (trs) => trs.length);
  const pins = await page.$$eval('.pin-route', (p) => p.length);
  check(`the route lists ${stops} visits with as many numbered stops on the map`, stops >= 1 && pins === stops);
  await idle(page);
  const line = await page.evaluate(() => window.tsunagu.map.querySourceFeatures('route').length);
  check('the route line is on the map', line > 0);
  const mapBox = await page.$eval('#map', (e) => { const r = e.getBoundingClientRect(); return [r.left + r.width * 0.6, r.top + r.height * 0.4]; });
  await page.mouse.click(mapBox[0], mapBox[1]);
  await page.waitForTimeout(300);
  check('clicking the map does not move the start silently', (await page.inputValue('#route-start')) === startId);
  const text = await page.textContent('#panel');
  check('no coordinates are written on the page', !/1[23]\d\.\d{4,}|\b[23]\d\.\d{5,}/.test(text));
  await shot(page, 'route', 300);
  await page.emulateMedia({ media: 'print' });
  await idle(page);
  const printHides = await page.evaluate(() => getComputedStyle(document.querySelector('#route-form')).display === 'none');
  check('print hides the controls', printHides);
  await shot(page, 'route-print', 100, { fullPage: true });
  await page.emulateMedia({ media: 'screen' });
  await printed(page, 'route');

  // ---- English ----
  await page.click('#lang');
  check('the language toggle switches to English', (await page.textContent('h1 [data-i18n="title"]')) === 'tsunagu map' && (await page.getAttribute('html', 'lang')) === 'en');
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
  }

  // ---- phone ----
  const phone = await browser.newPage();
  await phone.setViewportSize({ width: 360, height: 740 });
  watch(phone);
  await phone.goto(`${base}/`);
  await ready(phone);
  await phone.keyboard.press('Tab');
  check('the first Tab reaches the skip link', await phone.evaluate(() => document.activeElement.id === 'skip'));
  await phone.keyboard.press('Enter');
  check('the skip link moves the focus to the results', await phone.evaluate(() => document.activeElement.classList.contains('result')));
  const ph = await phone.evaluate(() => ({
    fits: document.documentElement.scrollWidth <= window.innerWidth,
    map: document.getElementById('map').getBoundingClientRect().height,
    search: document.getElementById('search-q').getBoundingClientRect().width,
  }));
  check(`a 360 px phone: no horizontal scrolling, the map ${Math.round(ph.map)} px high, the search box usable`, ph.fits && ph.map >= 300 && ph.search >= 150, JSON.stringify(ph));
  await shot(phone, real ? 'real-phone' : 'phone', 200);
  // Touch screens: targets of 44 px.
  const cdp = await phone.context().newCDPSession(phone);
  await cdp.send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 1 });
  await cdp.send('Emulation.setEmitTouchEventsForMouse', { enabled: true, configuration: 'mobile' });
  const coarse = await phone.evaluate(() => matchMedia('(pointer: coarse)').matches);
  if (coarse) {
    const small = await phone.evaluate(() => [...document.querySelectorAll('header button, #panel button:not(.link), #panel select, #panel input[type="search"]')]
      .filter((e) => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height < 44; }).map((e) => e.id || e.className));
    check('on a touch screen, targets are at least 44 px high', small.length === 0, small.slice(0, 5).join(' '));
  } else {
    console.log('# (pointer: coarse) could not be emulated: the 44 px touch check is skipped');
  }
  await phone.close();

  // ---- network ----
  check('no request URL carries a token', requests.every((u) => (!officialToken || !u.includes(officialToken))
    && (!outreachToken || !u.includes(outreachToken)) && !/tsu_/.test(u)));
  check(`all ${requests.length} requests went to ${origin}`, offsite.length === 0 && requests.length > 10, offsite.slice(0, 5).join(' '));
  const glyphs = requests.filter((u) => /\/fonts\/|\.pbf(\?|$)/.test(u));
  check(`label glyphs come from the server's own /fonts/ (${glyphs.length} ranges)`,
    glyphs.every((u) => u.startsWith(`${origin}/fonts/IPAGothic/`)), glyphs.slice(0, 3).join(' '));
  check('the map tiles came from the server', requests.some((u) => /\/tiles\/streets\/\d+\/\d+\/\d+\.mvt$/.test(u)));
  check('no script error on the page', errors.length === 0, errors.slice(0, 5).join(' | '));
} catch (err) {
  check('the browser test ran to its end', false, err.stack || String(err));
} finally {
  await browser.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
