// SPDX-License-Identifier: MIT
// basemap.test.mjs - the offline base map on the page, in Debian's Chromium
// (headless, kept off the network) with playwright-core:
//   node basemap.test.mjs BASE_URL OUT_DIR LON LAT ZOOM CLASSES
// Opens the page, moves the map to LON/LAT at ZOOM, waits until it is idle
// and checks: the basemap layers render features there
// (map.queryRenderedFeatures), of every class in CLASSES (comma-separated,
// e.g. "water,road,park,building,place"); labels are placed (symbol
// layers); glyph ranges were asked of the server's own /fonts/ and
// answered (200, protobuf); and no request left the server's origin.
// TSUNAGU_NEED_GLYPHS=0 allows a view whose labels need no range.
// Screenshot OUT_DIR/basemap.png. Prints "ok - " / "FAIL - " per check and
// "N passed, N failed"; exits 1 on any failure.

import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';

const [base, out, lon, lat, zoom, classes] = process.argv.slice(2);
if (!base || !out || !classes) {
  console.error('usage: node basemap.test.mjs BASE_URL OUT_DIR LON LAT ZOOM CLASSES');
  process.exit(2);
}
mkdirSync(out, { recursive: true });
const origin = new URL(base).origin;
let passed = 0;
let failed = 0;
function check(what, ok, detail = '') {
  if (ok) { passed++; console.log(`ok - ${what}`); } else { failed++; console.log(`FAIL - ${what}${detail ? `: ${detail}` : ''}`); }
}

const browser = await chromium.launchPersistentContext(process.env.CHROMIUM_PROFILE || `${out}/profile`, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1280, height: 800 },
});
const offsite = [];
const glyphs = [];
const page = await browser.newPage();
page.on('request', (r) => {
  const u = r.url();
  if (!u.startsWith(`${origin}/`) && !u.startsWith('data:') && !u.startsWith('blob:')) offsite.push(u);
});
const errors = [];
page.on('pageerror', (e) => errors.push(e.message));
page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text()); });
page.on('response', (r) => {
  if (r.url().includes('/fonts/')) glyphs.push({ url: r.url(), status: r.status(), type: r.headers()['content-type'] });
});

try {
  await page.goto(base, { waitUntil: 'load' });
  await page.waitForFunction(() => window.tsunagu && window.tsunagu.ready, null, { timeout: 60000 });
  await page.evaluate(([x, y, z]) => window.tsunagu.map.jumpTo({ center: [x, y], zoom: z }), [Number(lon), Number(lat), Number(zoom)]);
  await page.evaluate(() => new Promise((resolve) => {
    const map = window.tsunagu.map;
    if (map.loaded() && map.areTilesLoaded()) { setTimeout(resolve, 300); return; }
    map.once('idle', resolve);
  }));
  await page.waitForTimeout(500);
  const seen = await page.evaluate(() => {
    const map = window.tsunagu.map;
    const layers = map.getStyle().layers.filter((l) => l.source === 'basemap').map((l) => l.id);
    const fs = map.queryRenderedFeatures({ layers });
    const by = {};
    for (const f of fs) by[f.properties.class] = (by[f.properties.class] || 0) + 1;
    const symbols = map.queryRenderedFeatures({ layers: layers.filter((id) => map.getLayer(id).type === 'symbol') });
    return { layers: layers.length, total: fs.length, by, labels: symbols.length, names: symbols.slice(0, 5).map((f) => f.properties.name) };
  });
  check(`the basemap layers are in the style (${seen.layers})`, seen.layers >= 8);
  check(`the basemap renders ${seen.total} features at ${lon},${lat} z${zoom} (${JSON.stringify(seen.by)})`, seen.total > 0);
  for (const c of classes.split(',')) check(`basemap class ${c} is drawn`, (seen.by[c] || 0) > 0, JSON.stringify(seen.by));
  check(`labels are placed (${seen.labels}: ${seen.names.join(', ')})`, seen.labels > 0);
  // TSUNAGU_NEED_GLYPHS=0: labels may all be kanji and kana, which the
  // browser's own font draws (no range is then asked).
  const need = process.env.TSUNAGU_NEED_GLYPHS !== '0';
  check(`glyph ranges were asked of the server's own /fonts/ (${glyphs.length})`,
    (glyphs.length > 0 || !need) && glyphs.every((g) => g.url.startsWith(`${origin}/fonts/IPAGothic/`)), JSON.stringify(glyphs));
  check('every glyph range asked was served as protobuf',
    (glyphs.length > 0 || !need) && glyphs.every((g) => g.status === 200 && g.type === 'application/x-protobuf'), JSON.stringify(glyphs));
  await page.screenshot({ path: `${out}/basemap.png` });
} catch (err) {
  check('the page test ran to its end', false, `${String(err && err.stack || err)} ${errors.join(' | ')}`);
}
check('no request left the server', offsite.length === 0, offsite.slice(0, 5).join(' '));
await browser.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
