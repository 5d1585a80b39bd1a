// SPDX-License-Identifier: MIT
// hours.test.mjs - the page's opening-time filter ("開いている時間で絞る",
// web/hours.js) in Debian's Chromium (headless, off the network) with
// playwright-core, against a running server with the demo town:
//   node hours.test.mjs BASE_URL
// Centres the map by the salon いきいきサロン北つなぐ (We[2,4] 13:30-15:30),
// asks what is within 10 minutes, and checks the result list: without the
// filter it lists many resources; at 2026-12-09 14:00 (the 2nd Wednesday)
// the salon and the consultation desk (We,Sa 10:00-15:00) only; at
// 2026-12-16 14:00 (the 3rd Wednesday) the desk alone; on Sunday
// 2026-12-13 none; "now" sends the time in Japan; back to "絞らない" the
// full list returns. Each /api/walk request carries open_at exactly when a
// filter is chosen, and the page shows each resource's next opening.
// Prints "ok - " / "FAIL - " lines and "N passed, N failed"; exits 1 on failure.

import { chromium } from 'playwright-core';

const [base] = process.argv.slice(2);
if (!base) {
  console.error('usage: node hours.test.mjs BASE_URL');
  process.exit(2);
}
let passed = 0;
let failed = 0;
function check(what, ok, detail = '') {
  if (ok) { passed++; console.log(`ok - ${what}`); } else { failed++; console.log(`FAIL - ${what}${detail ? `: ${detail}` : ''}`); }
}

const browser = await chromium.launchPersistentContext(process.env.CHROMIUM_PROFILE || '/tmp/tsunagu-hours-profile', {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1280, height: 800 },
});
const page = await browser.newPage();
const walks = [];
const errors = [];
page.on('request', (r) => { if (r.url().includes('/api/walk?')) walks.push(new URL(r.url())); });
page.on('pageerror', (e) => errors.push(e.message));

// The names in the result list once the answer for `openAt` (or none) is shown.
async function names(openAt) {
  await page.waitForFunction((want) => {
    const s = window.tsunagu.state;
    return s.reach && (s.reach.open_at ?? null) === want && document.querySelector('#reach-result p');
  }, openAt, { timeout: 20000 });
  return page.$$eval('#reach-result table button[data-id]', (bs) => bs.map((b) => b.textContent));
}
async function choose(value, when) {
  await page.check(`input[name="open-filter"][value="${value}"]`);
  if (when) {
    await page.fill('#open-at', when);
    await page.dispatchEvent('#open-at', 'change');
  }
}

try {
  await page.goto(base, { waitUntil: 'load' });
  await page.waitForFunction(() => window.tsunagu && window.tsunagu.ready, null, { timeout: 60000 });
  check('the filter is in the reach view', await page.isVisible('#view-reach #open-filter'));
  check('its legend says 開いている時間で絞る',
    (await page.textContent('#open-filter legend')).trim() === '開いている時間で絞る');
  await page.evaluate(() => window.tsunagu.map.jumpTo({ center: [136.9325, 34.9616], zoom: 15 }));
  await page.fill('#minutes', '10');
  await page.dispatchEvent('#minutes', 'input');
  await page.click('#reach-here');
  const all = await names(null);
  check(`without the filter many resources are listed (${all.length})`, all.length >= 3, all.join(', '));
  check('no open_at without a filter', walks.length > 0 && !walks.at(-1).searchParams.has('open_at'));

  await choose('at', '2026-12-09T14:00');
  const wed2 = await names('2026-12-09T14:00');
  check('2nd Wednesday 14:00: the salon and the desk', wed2.join('|') === 'いきいきサロン北つなぐ|北つなぐなんでも相談窓口', wed2.join(', '));
  check('the request carries open_at', walks.at(-1).searchParams.get('open_at') === '2026-12-09T14:00');
  const next = await page.$$eval('#reach-result .next-open', (d) => d.map((x) => x.textContent));
  check('each listed resource shows its next opening', next.length === wed2.length && next.every((t) => t === '次に開く 12/9 14:00'), next.join(', '));

  await choose('at', '2026-12-16T14:00');
  const wed3 = await names('2026-12-16T14:00');
  check('3rd Wednesday 14:00: the desk alone', wed3.join('|') === '北つなぐなんでも相談窓口', wed3.join(', '));
  await choose('at', '2026-12-13T14:00');
  const sun = await names('2026-12-13T14:00');
  check('Sunday: nothing', sun.length === 0, sun.join(', '));
  check('... and the page says so', /ありません/.test(await page.textContent('#reach-result')));

  await choose('now');
  await page.waitForFunction(() => {
    const s = window.tsunagu.state;
    return s.reach && s.reach.open_at && s.reach.open_at !== '2026-12-13T14:00';
  }, null, { timeout: 20000 });
  const sent = walks.at(-1).searchParams.get('open_at') || '';
  const jst = new Date(Date.now() + 9 * 3600 * 1000).toISOString().slice(0, 16);
  check(`"now" sends the time in Japan (${sent})`, /^\d{4}-\d\d-\d\dT\d\d:\d\d$/.test(sent) &&
    Math.abs(Date.parse(`${sent}:00Z`) - Date.parse(`${jst}:00Z`)) <= 120000);

  await choose('any');
  const back = await names(null);
  check('絞らない brings the full list back', back.join('|') === all.join('|'), back.join(', '));
} catch (err) {
  check('the page answered', false, err.message);
}
check('no page errors', errors.length === 0, errors.join('; '));
await browser.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
