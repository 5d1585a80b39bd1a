// SPDX-License-Identifier: MIT
// editor.test.mjs - the 地域資源の編集 view (web/editor.js) in Debian's
// Chromium (headless, kept off the network) through playwright-core:
//   node editor.test.mjs BASE_URL EDITOR_TOKEN RESOURCE_ID
// Signs in as an editor, opens the view, finds the resource by searching,
// changes its cost and saves (the server has it, the page says so); then
// another editor changes it through the API with the same version the page
// holds, and the page's next save is refused with 409: the page says
// someone else changed it first and the server keeps the other editor's
// change. A click on the map fills lon/lat. Prints one "ok - " or "FAIL - "
// line per check and "N passed, N failed"; exits 1 on any failure.

import { chromium } from 'playwright-core';

const [base, tok, rid] = process.argv.slice(2);
if (!base || !tok || !rid) {
  console.error('usage: node editor.test.mjs BASE_URL EDITOR_TOKEN RESOURCE_ID');
  process.exit(2);
}

let passed = 0;
let failed = 0;
function check(what, ok, detail = '') {
  if (ok) { passed++; console.log(`ok - ${what}`); } else { failed++; console.log(`FAIL - ${what}${detail ? `: ${detail}` : ''}`); }
}

const browser = await chromium.launchPersistentContext(process.env.CHROMIUM_PROFILE || '/tmp/tsunagu-editor-profile', {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1280, height: 800 },
});
const url = `${base}/api/resources/${encodeURIComponent(rid)}`;
const auth = { Authorization: `Bearer ${tok}` };
async function server() { return (await fetch(url, { headers: auth })).json(); }

try {
  const page = await browser.newPage();
  await page.goto(`${base}/`);
  await page.waitForFunction(() => window.tsunagu && window.tsunagu.ready, null, { timeout: 60000 });
  await page.fill('#token', tok);
  await page.press('#token', 'Enter');
  await page.waitForSelector('#tab-editor:not([hidden])', { timeout: 60000 });
  await page.waitForFunction(() => window.tsunagu && window.tsunagu.ready, null, { timeout: 60000 });
  check('an editor sees the 地域資源の編集 tab', true);
  await page.click('#tab-editor');
  await page.fill('#editor-search', rid);
  await page.click(`#editor-list button[data-id="${rid}"]`);
  await page.waitForFunction(() => document.getElementById('ed-name').value !== '', null, { timeout: 10000 });
  const before = await server();
  check('searching and picking the resource fills the form', await page.inputValue('#ed-name') === before.name);
  const labels = await page.$$eval('#editor-form label.row', (ls) => ls.map((l) => `${l.title}=${l.textContent}`));
  check('the form\'s fields are labelled in words, the API name as the title (' + labels.slice(0, 3).join(' ') + ')',
    labels.includes('name=名称') && labels.includes('schedule=開いている日時') && labels.includes('lat=緯度')
      && labels.every((l) => !/^(\w+)=\1$/.test(l)));

  await page.fill('#ed-cost', '200円');
  await page.click('#editor-save');
  await page.waitForFunction(() => /保存しました|Saved/.test(document.getElementById('editor-status').textContent), null, { timeout: 10000 });
  const saved = await server();
  check('an edit is saved (the server has cost 200円, one version more)',
    saved.cost === '200円' && saved.version === before.version + 1, JSON.stringify(saved));

  // Another editor changes it with the version the page holds.
  const other = await fetch(url, {
    method: 'PATCH',
    headers: { ...auth, 'Content-Type': 'application/json', 'If-Match': `"${saved.version}"` },
    body: JSON.stringify({ schedule: 'Sa 10:00-12:00' }),
  });
  check('the other editor\'s change goes through', other.status === 200, String(other.status));
  await page.fill('#ed-cost', '300円');
  await page.click('#editor-save');
  await page.waitForSelector('#editor-status[data-conflict="1"]', { timeout: 10000 });
  const text = await page.textContent('#editor-status');
  check('the second edit with the same ETag is refused and the page says so', /他の人が先に変更しました/.test(text), text);
  const after = await server();
  check('... and the other editor\'s change stands', after.cost === '200円' && after.schedule === 'Sa 10:00-12:00',
    JSON.stringify(after));

  // A language switch relabels the whole form, keeps what is typed and
  // says the last message again in the other language; switching back
  // restores the Japanese words.
  const words = () => page.evaluate(() => {
    const q = (s) => document.querySelector(s);
    return {
      labels: [...document.querySelectorAll('#editor-form label.row')].map((l) => `${l.title}=${l.textContent}`),
      title: q('#view-editor h2').textContent,
      buttons: ['#editor-new', '#editor-save', '#editor-retire', '#editor-history', '#ed-geo-go', '#dl-print'].map((s) => q(s).textContent),
      search: `${q('#editor-search').placeholder}|${q('#editor-search').getAttribute('aria-label')}`,
      geo: q('label[for="ed-geo-q"]').textContent,
      print: q('.district-list h3').textContent,
      levels: [...q('#dl-level').options].map((o) => o.textContent).join('|'),
      status: q('#editor-status').textContent,
      cost: q('#ed-cost').value,
    };
  });
  const ja = await words();
  await page.click('#lang');
  await page.waitForFunction(() => document.documentElement.lang === 'en', null, { timeout: 10000 });
  const en = await words();
  await page.screenshot({ path: `${process.env.TSUNAGU_OUT || '/tmp'}/editor-en.png` });
  check(`in English the form's labels are English (${en.labels.slice(0, 3).join(' ')})`,
    en.labels.includes('name=Name') && en.labels.includes('schedule=Opening hours') && en.labels.includes('lat=Latitude')
      && en.labels.length === ja.labels.length && en.labels.every((l) => !/[\u3040-\u30ff\u4e00-\u9fff]/.test(l)), JSON.stringify(en.labels));
  check(`... and so are the title, buttons, search box, address row and district print (${en.buttons.join('/')})`,
    en.title === 'Edit local resources' && JSON.stringify(en.buttons) === JSON.stringify(['New resource', 'Save', 'Retire', 'History', 'Place', 'Print this district\'s list'])
      && en.search === 'Search name, kind, field, target|Search name, kind, field, target' && en.geo === 'Place by address'
      && /A4 print/.test(en.print) && !/[\u3040-\u30ff\u4e00-\u9fff]/.test(en.levels), JSON.stringify(en));
  check(`... the conflict message is said again in English, the typed cost kept (${en.status})`,
    /Someone else changed it first/.test(en.status) && en.cost === '300円', JSON.stringify([en.status, en.cost]));
  await page.click('#lang');
  await page.waitForFunction(() => document.documentElement.lang === 'ja', null, { timeout: 10000 });
  const back = await words();
  check('switching back restores every Japanese word', JSON.stringify(back) === JSON.stringify(ja), JSON.stringify(back));

  await page.click('#editor-new');
  const box = await page.locator('#map').boundingBox();
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForFunction(() => document.getElementById('ed-lon').value !== '', null, { timeout: 10000 });
  check('a click on the map places the point', Number(await page.inputValue('#ed-lat')) > 20);
} catch (err) {
  check('the editor test ran to its end', false, err.message);
} finally {
  await browser.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
