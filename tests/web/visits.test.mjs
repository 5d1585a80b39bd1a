// SPDX-License-Identifier: MIT
// visits.test.mjs - drives the visits view of tsunagu's web page in
// Debian's Chromium (headless, off the network) with playwright-core:
//   node visits.test.mjs BASE_URL OUT_DIR
// Signs in as an outreach worker (TSUNAGU_TOKEN_OUTREACH, assigned E03),
// opens the 訪問記録 tab, records a visit (the server answers 201 and the
// page says so), is refused for a household outside the assignment (the
// server's one sentence shown), lists the overdue households (the one just
// recorded with a past due date among them), gives one an appointment and
// plans the round with lunch (POST /api/route with overdue: true): the
// answer's stop carries the appointment and arrives inside it, the route
// is drawn. Prints "ok - " / "FAIL - " lines and "N passed, N failed".

import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';

const [base, out] = process.argv.slice(2);
const tok = process.env.TSUNAGU_TOKEN_OUTREACH || '';
if (!base || !out || !tok) {
  console.error('usage: TSUNAGU_TOKEN_OUTREACH=... node visits.test.mjs BASE_URL OUT_DIR');
  process.exit(2);
}
mkdirSync(out, { recursive: true });
let passed = 0;
let failed = 0;
function check(what, ok, detail = '') {
  if (ok) { passed++; console.log(`ok - ${what}`); } else { failed++; console.log(`FAIL - ${what}${detail ? `: ${detail}` : ''}`); }
}
const browser = await chromium.launchPersistentContext(`${out}/profile-visits`, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1280, height: 800 },
});
const origin = new URL(base).origin;
const offsite = [];
try {
  const page = await browser.newPage();
  page.on('request', (r) => { const u = r.url(); if (!u.startsWith(`${origin}/`) && !u.startsWith('data:') && !u.startsWith('blob:')) offsite.push(u); });
  await page.goto(`${base}/`);
  await page.waitForFunction(() => window.tsunagu && window.tsunagu.ready, null, { timeout: 60000 });
  check('anonymous: no visits tab', await page.isHidden('#tab-visits'));
  await page.fill('#token', tok);
  await Promise.all([page.waitForNavigation(), page.click('#signin button[type="submit"]')]);
  await page.waitForFunction(() => window.tsunagu && window.tsunagu.ready, null, { timeout: 60000 });
  check('the outreach worker sees the visits tab', await page.isVisible('#tab-visits'));
  await page.click('#tab-visits');

  // Record a visit with a past due date: it becomes overdue.
  await page.fill('#visit-household', 'H0003');
  await page.fill('#visit-at', '2024-05-01T10:00');
  await page.fill('#visit-visitors', '佐藤,鈴木');
  await page.selectOption('#visit-outcome', '不在');
  await page.fill('#visit-note', 'ポストに連絡票');
  await page.fill('#visit-due', '2024-05-08');
  const [resp] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/visits')),
    page.click('#visit-form button[type="submit"]')]);
  check('recording a visit: 201', resp.status() === 201, String(resp.status()));
  await page.waitForFunction(() => /を記録しました/.test(document.getElementById('visit-status').textContent));
  check('... and the page says so', true);

  // Another district's household: the server's 404 sentence, nothing else.
  await page.fill('#visit-household', 'H0010');
  await page.fill('#visit-at', '2024-05-01T10:00');
  await page.fill('#visit-visitors', '佐藤');
  await page.click('#visit-form button[type="submit"]');
  await page.waitForFunction(() => document.getElementById('visit-status').classList.contains('error'));
  check('a household outside the assignment is refused with the server\'s sentence',
    (await page.textContent('#visit-status')).includes('there is no household with this id in your assignment'));

  // The overdue list, then a round with an appointment and lunch.
  await page.click('#overdue-load');
  await page.waitForSelector('#overdue-list table');
  const ids = await page.$$eval('#overdue-list tbody tr td:first-child', (tds) => tds.map((t) => t.textContent));
  check(`the overdue list holds the visit just recorded (${ids.join(', ')})`, ids.includes('H0003'));
  await page.fill('#overdue-list input[data-id="H0003"]', '10:00-11:00');
  const [route] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/route')),
    page.click('#overdue-plan')]);
  const doc = await route.json();
  const stop = doc.days.flatMap((d) => d.stops).find((s) => s.household_id === 'H0003');
  check('the round keeps the appointment (arrives 10:00-11:00)',
    stop && stop.appointment && stop.appointment.from === '10:00' && stop.arrive >= '10:00' && stop.arrive <= '11:00',
    JSON.stringify(stop));
  check('... with the lunch break asked for', doc.lunch && doc.lunch.from === '12:00');
  await page.waitForSelector('#overdue-route table');
  check('the page lists the round with the appointment',
    (await page.textContent('#overdue-route')).includes('10:00-11:00'));
  check('the round is drawn on the map', await page.evaluate(() => {
    const src = window.tsunagu.map.getSource('route');
    return !!src && JSON.stringify(src.serialize().data || {}).includes('LineString');
  }));
  check('no coordinate is printed in the view', !/\d+\.\d{4,}/.test(await page.textContent('#view-visits')));
  // In English the view's words, its tables and the outcome's labels follow
  // (the value sent stays the Japanese word the API records).
  await page.click('#lang');
  await page.waitForFunction(() => document.querySelector('#tab-visits').textContent === 'Visits', null, { timeout: 10000 });
  const en = await page.evaluate(() => ({
    h: document.querySelector('#view-visits h2').textContent,
    label: document.querySelector('label[for="visit-household"]').textContent,
    out: [...document.querySelectorAll('#visit-outcome option')].map((o) => `${o.value}=${o.textContent}`).join(' '),
    overdue: document.querySelector('#overdue-list th').textContent,
    round: document.querySelector('#overdue-route caption').textContent,
    typed: document.querySelector('#overdue-list input[data-id="H0003"]').value,
  }));
  check('in English: headings, labels, outcomes (values kept), both tables; the typed appointment kept',
    en.h === 'Record a visit' && en.label === 'Household id' && en.out.includes('不在=not at home')
      && en.overdue === 'Household' && /^Round of the overdue visits: \d+ days?, [\d.]+ km$/.test(en.round)
      && en.typed === '10:00-11:00', JSON.stringify(en));
  await page.click('#lang');
  await page.waitForFunction(() => document.querySelector('#tab-visits').textContent === '訪問記録', null, { timeout: 10000 });
  await page.screenshot({ path: `${out}/visits.png` });
  check('every request stayed on the server\'s origin', offsite.length === 0, offsite.join(' '));
} catch (err) {
  failed++;
  console.log(`FAIL - ${err.message}`);
} finally {
  await browser.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
