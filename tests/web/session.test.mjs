// SPDX-License-Identifier: MIT
// session.test.mjs - the page's sign-in session across tabs (issue 15) in
// Debian's Chromium (headless, kept off the network) through
// playwright-core:
//   node session.test.mjs BASE_URL OFFICIAL_TOKEN
// Signs in in one tab; a second tab of the same browser opens signed in;
// the session cookie is HttpOnly, SameSite=Strict, a browser-session cookie
// (no expiry) and script sees neither it nor the token (document.cookie,
// sessionStorage, localStorage), and no request URL carries either. Signing
// out in the first tab signs the second out too (it follows at once), and
// the server refuses the old cookie afterwards. Prints one "ok - " or
// "FAIL - " line per check and "N passed, N failed"; exits 1 on any failure.

import { chromium } from 'playwright-core';

const [base, tok] = process.argv.slice(2);
if (!base || !tok) {
  console.error('usage: node session.test.mjs BASE_URL OFFICIAL_TOKEN');
  process.exit(2);
}

let passed = 0;
let failed = 0;
function check(what, ok, detail = '') {
  if (ok) { passed++; console.log(`ok - ${what}`); } else { failed++; console.log(`FAIL - ${what}${detail ? `: ${detail}` : ''}`); }
}

const browser = await chromium.launchPersistentContext(process.env.CHROMIUM_PROFILE || '/tmp/tsunagu-session-profile', {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1280, height: 800 },
});
const urls = [];
browser.on('request', (r) => urls.push(r.url()));
const ready = (p) => p.waitForFunction(() => window.tsunagu && window.tsunagu.ready, null, { timeout: 60000 });
// What script in the page can see of the sign-in.
const visible = (p) => p.evaluate(() => JSON.stringify({
  cookie: document.cookie, session: { ...sessionStorage }, local: { ...localStorage },
}));

try {
  const one = await browser.newPage();
  await one.goto(`${base}/`);
  await ready(one);
  check('the first tab starts signed out', await one.isVisible('#signin') && await one.isHidden('#who'));
  await one.fill('#token', tok);
  await Promise.all([one.waitForNavigation(), one.press('#token', 'Enter')]);
  await ready(one);
  await one.waitForSelector('#who:not([hidden])', { timeout: 30000 });
  check('signed in in the first tab', /web-official/.test(await one.textContent('#who-name')));

  const cookies = await browser.cookies(base);
  const c = cookies.find((k) => k.name === 'tsunagu_session');
  check('the session cookie is HttpOnly, SameSite=Strict, Path=/ and ends with the browser (no expiry)',
    c && c.httpOnly && c.sameSite === 'Strict' && c.path === '/' && c.expires === -1, JSON.stringify(c));
  check('the cookie holds a session id, not the token', c && c.value !== tok && /^tsu_/.test(c.value));

  const two = await browser.newPage();
  await two.goto(`${base}/`);
  await ready(two);
  await two.waitForSelector('#who:not([hidden])', { timeout: 30000 });
  check('a second tab of the same browser opens signed in', /web-official/.test(await two.textContent('#who-name'))
    && await two.isVisible('#tab-coverage'));
  for (const [name, p] of [['first', one], ['second', two]]) {
    const seen = await visible(p);
    check(`the ${name} tab's script sees neither the token nor the session id (cookie, sessionStorage, localStorage)`,
      !seen.includes(tok) && !seen.includes(c.value) && !seen.includes('tsu_'), seen);
  }
  check('no request URL carries the token or the session id',
    urls.every((u) => !u.includes(tok) && !u.includes(c.value)), urls.find((u) => u.includes('tsu_')));

  // Sign out in the first tab: the second follows without being touched.
  const followed = two.waitForNavigation({ timeout: 30000 });
  await Promise.all([one.waitForNavigation(), one.click('#sign-out')]);
  await ready(one);
  check('signed out in the first tab', await one.isVisible('#signin') && await one.isHidden('#tab-coverage'));
  await followed;
  await ready(two);
  check('the second tab is signed out too', await two.isVisible('#signin') && await two.isHidden('#tab-coverage'));
  const three = await browser.newPage();
  await three.goto(`${base}/`);
  await ready(three);
  check('a tab opened after sign-out is signed out', await three.isVisible('#signin'));
  const replay = await fetch(`${base}/api/me`, { headers: { Cookie: `tsunagu_session=${c.value}` } });
  check('the server refuses the old session id after sign-out (401)', replay.status === 401, String(replay.status));
  check('the browser no longer holds the cookie', !(await browser.cookies(base)).some((k) => k.name === 'tsunagu_session'));
} catch (err) {
  check('the session test ran to its end', false, err.message);
} finally {
  await browser.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
