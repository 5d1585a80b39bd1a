// SPDX-License-Identifier: MIT
// attribution.test.mjs - the map's attribution control shows the credits of
// the loaded database (/api/meta "attribution") and no others, in Debian's
// Chromium (headless, kept off the network) through playwright-core:
//   node attribution.test.mjs BASE_URL WANT [WANT...] -- NOT [NOT...]
// Each WANT must appear in the control's text, each NOT must not. Prints one
// "ok - " or "FAIL - " line per check and "N passed, N failed"; exits 1 on
// any failure.

import { chromium } from 'playwright-core';

const args = process.argv.slice(2);
const base = args.shift();
const sep = args.indexOf('--');
const want = sep < 0 ? args : args.slice(0, sep);
const not = sep < 0 ? [] : args.slice(sep + 1);
if (!base || want.length === 0) {
  console.error('usage: node attribution.test.mjs BASE_URL WANT [WANT...] -- NOT [NOT...]');
  process.exit(2);
}

let passed = 0;
let failed = 0;
function check(what, ok, detail = '') {
  if (ok) { passed++; console.log(`ok - ${what}`); } else { failed++; console.log(`FAIL - ${what}${detail ? `: ${detail}` : ''}`); }
}

const browser = await chromium.launchPersistentContext(process.env.CHROMIUM_PROFILE, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1280, height: 800 },
});
const origin = new URL(base).origin;
const offsite = [];
try {
  const page = await browser.newPage();
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(`${origin}/`) && !u.startsWith('data:') && !u.startsWith('blob:')) offsite.push(u);
  });
  await page.goto(base, { waitUntil: 'load' });
  await page.waitForSelector('.maplibregl-ctrl-attrib-inner', { timeout: 30000 });
  // The control fills in once the style has loaded.
  await page.waitForFunction(
    (w) => document.querySelector('.maplibregl-ctrl-attrib-inner')?.textContent.includes(w),
    want[0], { timeout: 30000 }).catch(() => {});
  const text = await page.$eval('.maplibregl-ctrl-attrib-inner', (el) => el.textContent);
  for (const w of want) check(`the attribution control shows "${w}"`, text.includes(w), `it shows "${text}"`);
  for (const n of not) check(`the attribution control does not show "${n}"`, !text.includes(n), `it shows "${text}"`);
  check('no request left the server', offsite.length === 0, offsite.join(' '));
} catch (err) {
  check('the page loaded', false, String(err));
} finally {
  await browser.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
