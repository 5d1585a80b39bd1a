// SPDX-License-Identifier: MIT
// district_list.test.mjs - the 地域資源の編集 view's address placing and the
// printed district list (issue 12) in Debian's Chromium (headless, kept off
// the network) through playwright-core, on the demo town with a hand-made
// address reference (cli_web_pageops.sh: つなぐ町三丁目25 at block level,
// 南つなぐ二丁目 at town level only):
//   node district_list.test.mjs BASE_URL EDITOR_TOKEN
// A block-level address places the point at once and says so; a town-level
// one asks first, and only "この位置に置く" moves the point. The printed list
// of one district goes through the browser's print path (window.print is
// replaced by a no-op so the test's page.pdf() is the print, as the print
// dialog would be): the PDF is A4 portrait, holds every resource of the
// district (from /api/resources.geojson) sorted by kind with its hours and
// contact, and nothing else of the page. Prints one "ok - " or "FAIL - "
// line per check and "N passed, N failed"; exits 1 on any failure.

import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';

const [base, tok] = process.argv.slice(2);
if (!base || !tok) {
  console.error('usage: node district_list.test.mjs BASE_URL EDITOR_TOKEN');
  process.exit(2);
}

let passed = 0;
let failed = 0;
function check(what, ok, detail = '') {
  if (ok) { passed++; console.log(`ok - ${what}`); } else { failed++; console.log(`FAIL - ${what}${detail ? `: ${detail}` : ''}`); }
}

const browser = await chromium.launchPersistentContext(process.env.CHROMIUM_PROFILE || '/tmp/tsunagu-dlist-profile', {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1280, height: 800 },
});
const ready = (p) => p.waitForFunction(() => window.tsunagu && window.tsunagu.ready, null, { timeout: 60000 });
const out = process.env.TSUNAGU_OUT || '/tmp';

try {
  const page = await browser.newPage();
  await page.goto(`${base}/`);
  await ready(page);
  await page.fill('#token', tok);
  await Promise.all([page.waitForNavigation(), page.press('#token', 'Enter')]);
  await ready(page);
  await page.click('#tab-editor');
  await page.click('#editor-new');

  // ---- placing by address ----
  await page.fill('#ed-geo-q', '架空市つなぐ町三丁目25-10');
  await page.click('#ed-geo-go');
  await page.waitForSelector('#ed-geo-status p', { timeout: 10000 });
  const block = await page.textContent('#ed-geo-status');
  check('a block-level address places the point at once and names the level', /街区の精度/.test(block)
    && Math.abs(Number(await page.inputValue('#ed-lon')) - 136.9501) < 1e-6
    && Math.abs(Number(await page.inputValue('#ed-lat')) - 34.9561) < 1e-6, block);
  await page.fill('#ed-geo-q', '架空市南つなぐ二丁目17-16');
  await page.click('#ed-geo-go');
  await page.waitForSelector('#ed-geo-yes', { timeout: 10000 });
  const coarse = await page.textContent('#ed-geo-status');
  check('a town-level match asks before placing, naming 町丁目', /町丁目の精度/.test(coarse) && /よいですか/.test(coarse), coarse);
  check('... and the point has not moved yet', Math.abs(Number(await page.inputValue('#ed-lon')) - 136.9501) < 1e-6);
  await page.click('#ed-geo-no');
  check('"やめる" leaves the point where it was', Math.abs(Number(await page.inputValue('#ed-lon')) - 136.9501) < 1e-6);
  await page.click('#ed-geo-go');
  await page.click('#ed-geo-yes');
  check('"この位置に置く" places it at the town\'s point', Math.abs(Number(await page.inputValue('#ed-lon')) - 136.955) < 1e-6
    && Math.abs(Number(await page.inputValue('#ed-lat')) - 34.952) < 1e-6);
  await page.fill('#ed-geo-q', '架空市どこにもない町');
  await page.click('#ed-geo-go');
  await page.waitForFunction(() => /市区町村の精度/.test(document.getElementById('ed-geo-status').textContent), null, { timeout: 10000 });
  check('a municipality-level match asks too', await page.isVisible('#ed-geo-yes'));
  await page.fill('#ed-geo-q', '北海道札幌市中央区');
  await page.click('#ed-geo-go');
  await page.waitForFunction(() => /見つかりません/.test(document.getElementById('ed-geo-status').textContent), null, { timeout: 10000 });
  check('an address not found says so', Math.abs(Number(await page.inputValue('#ed-lon')) - 136.955) < 1e-6);

  // ---- the district's printed list ----
  const fc = await (await fetch(`${base}/api/resources.geojson?level=elementary`)).json();
  const elementary = [...new Set(fc.features.map((f) => f.properties.districts.elementary).filter(Boolean))];
  await page.selectOption('#dl-level', 'elementary');
  // Wait for the elementary districts themselves: the list of the level
  // shown before (junior high) also has two options or more.
  await page.waitForFunction((names) => {
    const o = document.querySelectorAll('#dl-district option');
    return o.length >= 2 && [...o].every((x) => names.includes(x.value));
  }, elementary, { timeout: 10000 });
  const district = await page.$eval('#dl-district', (s) => s.options[0].value);
  const mine = fc.features.map((f) => f.properties).filter((p) => p.districts.elementary === district);
  await page.evaluate(() => { window.print = () => {}; });
  await page.click('#dl-print');
  const file = `${out}/district-list.pdf`;
  await page.pdf({ path: file, format: 'A4', printBackground: true });
  await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  const size = /Page size:\s+([\d.]+) x ([\d.]+)/.exec(info);
  check('the list prints on A4 portrait', size && Math.abs(Number(size[1]) - 595.28) < 2 && Math.abs(Number(size[2]) - 841.89) < 2, size && size[0]);
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  check(`the printout is headed with the district and its count (${district}, ${mine.length})`,
    text.includes(`${district}の地域資源（${mine.length}件）`), text.slice(0, 200));
  const flat = text.replace(/\s+/g, '');
  const missing = mine.filter((p) => !flat.includes(p.name.replace(/\s+/g, '')));
  check(`every resource of ${district} is listed (${mine.length})`, mine.length > 0 && missing.length === 0, missing.map((p) => p.name).join(', '));
  const others = fc.features.map((f) => f.properties).filter((p) => p.districts.elementary !== district && !mine.some((m) => m.name === p.name));
  check('no resource of another district is listed', !others.some((p) => flat.includes(p.name.replace(/\s+/g, ''))));
  const kindOf = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll('#district-print tbody tr')]
    .map((tr) => [tr.cells[0].textContent, tr.cells[1].textContent])));
  const order = await page.$$eval('#district-print tbody tr', (trs) => trs.map((tr) => tr.cells[1].textContent));
  const positions = order.map((k) => flat.indexOf(k));
  const groups = order.filter((k, i) => i === 0 || order[i - 1] !== k);
  check(`the rows are grouped by kind (${groups.length} kinds, each once)`, new Set(groups).size === groups.length, groups.join(' '));
  check('each row names its kind', Object.keys(kindOf).length === mine.length && positions.every((p) => p >= 0));
  const withContact = mine.filter((p) => p.contact);
  check(`contacts are printed (${withContact.length})`, withContact.every((p) => flat.includes(p.contact)));
  const withHours = mine.filter((p) => p.schedule && /Mo-Fr/.test(p.schedule));
  check(`days and hours are printed in Japanese (${withHours.length} 月〜金)`, withHours.length === 0 || flat.includes('月〜金'));
  check('nothing else of the page is printed (no map legend, no sign-in)', !/カバー率|サインアウト|地域資源の編集/.test(text));
  check('after printing the page is back', await page.evaluate(() => !document.body.classList.contains('print-district-list')));
} catch (err) {
  check('the district list test ran to its end', false, err.message);
} finally {
  await browser.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
