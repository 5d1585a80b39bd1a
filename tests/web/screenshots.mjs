// SPDX-License-Identifier: MIT
// screenshots.mjs - the README's pictures of the web page, one per view,
// taken in Debian's Chromium (headless, off the network) with
// playwright-core; run by tools/screenshots.sh, which builds the databases,
// the users and the servers:
//   node screenshots.mjs DEMO_URL OUT_DIR [UBE_URL]
// Tokens come from TSUNAGU_TOKEN_{OFFICIAL,COORDINATOR,EDITOR,COMMISSIONER}
// (users of the demo town), the coordinator's route district (elementary
// code) from TSUNAGU_ROUTE_DISTRICT. Writes JPEGs (quality 60, about 100 KB) into OUT_DIR: list,
// coverage, official, editor, route, households, share, visits,
// commissioner, phone from the demo town; reach-path (the offline base map,
// the reach bands and the path to a chosen shelter) and
// ube-print-portrait (the A4 print through page.pdf(), rendered by
// pdftoppm) from real 宇部市 data when UBE_URL is given (else from the
// demo town). TSUNAGU_SHOTS=official,editor,... retakes only the pictures
// named (the others are left as they are). Prints one line per picture;
// exits 1 when a view did not come up.

import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { statSync, unlinkSync } from 'node:fs';

const [demo, out, ube] = process.argv.slice(2);
const env = (k) => process.env[k] || '';
const tokens = { official: env('TSUNAGU_TOKEN_OFFICIAL'), coordinator: env('TSUNAGU_TOKEN_COORDINATOR'),
  editor: env('TSUNAGU_TOKEN_EDITOR'), commissioner: env('TSUNAGU_TOKEN_COMMISSIONER') };
if (!demo || !out || Object.values(tokens).some((t) => !t)) {
  console.error('usage: TSUNAGU_TOKEN_OFFICIAL=... TSUNAGU_TOKEN_COORDINATOR=... TSUNAGU_TOKEN_EDITOR=... '
    + 'TSUNAGU_TOKEN_COMMISSIONER=... node screenshots.mjs DEMO_URL OUT_DIR [UBE_URL]');
  process.exit(2);
}

const browser = await chromium.launchPersistentContext(process.env.CHROMIUM_PROFILE || '/tmp/tsunagu-shots-profile', {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1200, height: 760 },
});
let failed = 0;
const ready = (page) => page.waitForFunction(() => window.tsunagu && window.tsunagu.ready, null, { timeout: 90000 });
// Waits until the map has drawn what it was asked to.
const idle = (page) => page.evaluate(() => new Promise((resolve) => {
  const map = window.tsunagu.map;
  map.once('idle', resolve);
  map.triggerRepaint();
}));

// Scrolls the side panel so that the element sel is at its top.
const scrollTo = (page, sel) => page.$eval(sel, (e) => e.scrollIntoView({ block: 'start' }));

// The pictures asked for (TSUNAGU_SHOTS), or null for every one.
const only = env('TSUNAGU_SHOTS') ? new Set(env('TSUNAGU_SHOTS').split(',')) : null;
const wanted = (name) => !only || only.has(name);

async function shot(page, name, quality = 60) {
  if (!wanted(name)) return;
  const path = `${out}/${name}.jpg`;
  await page.screenshot({ path, type: 'jpeg', quality });
  console.log(`${path} ${statSync(path).size} bytes`);
}

// Runs one picture's steps; a failure is reported and the others go on.
async function take(name, fn, names = [name]) {
  if (!names.some(wanted)) return;
  try {
    await fn();
  } catch (err) {
    failed++;
    console.log(`FAIL - ${name}: ${err.message.split('\n')[0]}`);
  }
}

async function open(base, role) {
  const page = await browser.newPage();
  await page.goto(`${base}/`);
  await ready(page);
  if (await page.isVisible('#sign-out')) {
    await Promise.all([page.waitForNavigation(), page.click('#sign-out')]);
    await ready(page);
  }
  if (role) {
    await page.fill('#token', tokens[role]);
    await Promise.all([page.waitForNavigation(), page.click('#signin button[type="submit"]')]);
    await ready(page);
  }
  return page;
}

// The on-foot view from [lon, lat] at zoom z with the path to row `row`.
async function reachPath(page, lonlat, z, row) {
  await page.evaluate(([c, zoom]) => window.tsunagu.map.jumpTo({ center: c, zoom }), [lonlat, z]);
  await idle(page);
  await page.click('#reach-here');
  await page.waitForSelector('#reach-result tbody tr', { timeout: 60000 });
  const n = await page.$$eval('#reach-result tbody tr', (trs) => trs.length);
  await page.click(`#reach-result tbody tr:nth-child(${Math.min(row, n)}) button.link`);
  await page.waitForFunction(() => window.tsunagu.state.path, null, { timeout: 60000 });
  await idle(page);
  await page.evaluate(() => document.querySelectorAll('.maplibregl-popup').forEach((p) => p.remove()));
  await idle(page);
}

try {
  // ---- the on-foot view and its print: real 宇部市 data with its base map ----
  const realBase = ube || demo;
  await take('reach-path', async () => {
    const page = await open(realBase, null);
    // 宇部新川 (central 宇部市) or the demo town's centre.
    const centre = ube ? [131.2466, 33.9437] : await page.evaluate(() => { const c = window.tsunagu.map.getCenter(); return [c.lng, c.lat]; });
    await reachPath(page, centre, ube ? 15.5 : 15, 2);
    // Framed on the reach area (the path is fitted close up by the page).
    await page.evaluate(() => {
      const { state, map } = window.tsunagu;
      const g = state.area.geometry;
      const pts = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates).flatMap((poly) => poly[0]);
      const lon = pts.map((q) => q[0]); const lat = pts.map((q) => q[1]);
      map.fitBounds([[Math.min(...lon), Math.min(...lat)], [Math.max(...lon), Math.max(...lat)]], { padding: 20, animate: false });
    });
    await idle(page);
    await shot(page, 'reach-path', 50); // the base map's detail: smaller at 50
    await page.waitForFunction(() => document.getElementById('print-map').dataset.ready === 'true', null, { timeout: 60000 });
    const pdf = `${out}/print.pdf`;
    await page.pdf({ path: pdf, format: 'A4', printBackground: true });
    execFileSync('pdftoppm', ['-r', '70', '-jpeg', '-jpegopt', 'quality=70', '-f', '1', '-l', '1', '-singlefile', pdf,
      `${out}/${ube ? 'ube' : 'demo'}-print-portrait`]);
    unlinkSync(pdf);
    const path = `${out}/${ube ? 'ube' : 'demo'}-print-portrait.jpg`;
    console.log(`${path} ${statSync(path).size} bytes`);
    await page.close();
  }, ['reach-path', 'ube-print-portrait', 'demo-print-portrait']);

  // ---- anonymous, demo town: 一覧 and the phone ----
  await take('list', async () => {
    const page = await open(demo, null);
    await page.click('#tab-list');
    await page.waitForSelector('#list-result tbody tr', { timeout: 30000 });
    await scrollTo(page, '#list-form');
    await idle(page);
    await shot(page, 'list');
    await page.close();
  });
  await take('phone', async () => {
    const page = await open(demo, null);
    await page.setViewportSize({ width: 360, height: 740 });
    await page.evaluate(() => window.tsunagu.map.resize());
    const c = await page.evaluate(() => { const m = window.tsunagu.map.getCenter(); return [m.lng, m.lat]; });
    await reachPath(page, c, 15, 1);
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'phone');
    await page.close();
  });

  // ---- an official: coverage with suggested sites, 行政向け ----
  await take('coverage', async () => {
    const page = await open(demo, 'official');
    await page.click('#tab-coverage');
    await page.waitForSelector('#coverage-result table tbody tr', { timeout: 60000 });
    await page.click('#suggest-form button[type="submit"]');
    await page.waitForSelector('#suggest-result li', { timeout: 60000 });
    await idle(page);
    await shot(page, 'coverage');
    // 行政向け in its wide view (the tables over the map's room), sorted by
    // the need chosen, highest first.
    await page.click('#tab-official');
    await page.waitForSelector('#official-needs tbody tr', { timeout: 60000 });
    await page.waitForFunction(() => document.getElementById('off-need').value, null, { timeout: 60000 });
    await page.waitForSelector('#official-wide', { timeout: 60000 });
    await page.click('#official-wide');
    await page.click('#official-needs thead th:nth-child(3) button.sort');
    await page.click('#official-needs thead th:nth-child(3) button.sort');
    await scrollTo(page, '#official-result');
    await shot(page, 'official');
    await page.close();
  }, ['coverage', 'official']);

  // ---- an editor: the register ----
  await take('editor', async () => {
    const page = await open(demo, 'editor');
    await page.click('#tab-editor');
    await page.waitForSelector('#editor-list button[data-id]', { timeout: 60000 });
    await page.click('#editor-list button[data-id]');
    await page.waitForFunction(() => document.getElementById('ed-name').value !== '', null, { timeout: 10000 });
    await scrollTo(page, '#editor-form');
    await idle(page);
    await shot(page, 'editor');
    await page.close();
  });

  // ---- a coordinator of 包括A: route, 世帯 (consent, mark), share, visits ----
  await take('coordinator', async () => {
    const page = await open(demo, 'coordinator');
    await page.click('#tab-route');
    const district = env('TSUNAGU_ROUTE_DISTRICT') || 'E05';
    await page.waitForSelector(`#route-district option[value="${district}"]`, { state: 'attached', timeout: 30000 });
    await page.selectOption('#route-district', district);
    await page.selectOption('#route-need', '高齢独居');
    await page.click('#route-form button[type="submit"]');
    await page.waitForSelector('#route-result table tbody tr', { timeout: 90000 });
    await scrollTo(page, '#route-status');
    await idle(page);
    await shot(page, 'route');
    await page.click('#tab-households');
    await page.waitForSelector('#hh-result table tbody tr', { timeout: 30000 });
    await scrollTo(page, '#view-households');
    await shot(page, 'households');
    const id = await page.$eval('#hh-result button.mark', (b) => b.dataset.id);
    await page.click('#tab-route');
    await page.fill('#share-id', id);
    await page.fill('#share-agency', '社協');
    await page.fill('#share-reason', '支援会議 2026-12-07');
    await page.click('#share-form button[type="submit"]');
    await page.waitForSelector('#share-result .share-facts', { timeout: 30000 });
    await page.$eval('#share-box', (b) => b.scrollIntoView());
    await shot(page, 'share');
    await page.click('#tab-visits');
    await page.click('#overdue-load');
    await page.waitForSelector('#overdue-list table', { timeout: 30000 });
    await page.click('#overdue-plan');
    await page.waitForSelector('#overdue-route table', { timeout: 90000 });
    await scrollTo(page, '#overdue-form');
    // The view leaves the map where it was: frame the round's lines.
    await page.evaluate(() => {
      const map = window.tsunagu.map;
      const data = map.getSource('route').serialize().data;
      const pts = (data.features || []).flatMap((f) => f.geometry.coordinates);
      if (!pts.length) return;
      const lon = pts.map((q) => q[0]); const lat = pts.map((q) => q[1]);
      map.fitBounds([[Math.min(...lon), Math.min(...lat)], [Math.max(...lon), Math.max(...lat)]], { padding: 60, animate: false });
    });
    await idle(page);
    await shot(page, 'visits');
    await page.close();
  });

  // ---- a commissioner: only the households marked for commissioners ----
  // with a visit round over six of them (order and rounded walks only).
  await take('commissioner', async () => {
    const page = await open(demo, 'commissioner');
    await page.click('#tab-households');
    await page.waitForSelector('#hh-result table tbody tr', { timeout: 30000 });
    await page.waitForFunction(() => document.getElementById('round-start').value, null, { timeout: 30000 });
    // A morning's round: six households ticked.
    for (const box of (await page.$$('#hh-result input.pick')).slice(0, 6)) await box.check();
    await page.click('#round-picked');
    await page.waitForSelector('#round-result table tbody tr', { timeout: 60000 });
    await page.$eval('#round-result', (e) => e.scrollIntoView({ block: 'end' }));
    await idle(page);
    await shot(page, 'commissioner');
    await page.close();
  });
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
