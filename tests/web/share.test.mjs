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
// Prints "ok - "/"FAIL - " lines and "N passed, N failed"; exits 1 on any
// failure.

import { chromium } from 'playwright-core';

const [base] = process.argv.slice(2);
const env = (k) => process.env[k] || '';
const coordinator = env('TSUNAGU_TOKEN_COORDINATOR');
const outreach = env('TSUNAGU_TOKEN_OUTREACH');
const own = env('TSUNAGU_SHARE_OWN');
const noConsent = env('TSUNAGU_SHARE_NOCONSENT');
const foreign = env('TSUNAGU_SHARE_FOREIGN');
if (!base || !coordinator || !outreach || !own || !noConsent || !foreign) {
  console.error('usage: TSUNAGU_TOKEN_COORDINATOR=... TSUNAGU_TOKEN_OUTREACH=... TSUNAGU_SHARE_OWN=... '
    + 'TSUNAGU_SHARE_NOCONSENT=... TSUNAGU_SHARE_FOREIGN=... node share.test.mjs BASE_URL');
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
  check('no script error on the page', errors.length === 0, errors.slice(0, 5).join(' | '));
} catch (err) {
  check('the browser test ran to its end', false, err.stack || String(err));
} finally {
  await browser.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
