// SPDX-License-Identifier: MIT
// hours_oracle.mjs - the independent reader for tests/cli_hours_osm.sh:
// opening_hours.js (the reference implementation of the OSM wiki's
// specification) answers each line "VALUE<TAB>YYYY-MM-DDTHH:MM" of stdin with
// "open", "closed" or "error", at that time in Japan (run with
// TZ=Asia/Tokyo; public holidays are Japan's).
import opening_hours from 'opening_hours';
import { createInterface } from 'node:readline';

const where = { lat: 35.0, lon: 137.0, address: { country_code: 'jp', state: '' } };
const lines = createInterface({ input: process.stdin });
const out = [];
for await (const line of lines) {
  const tab = line.lastIndexOf('\t');
  try {
    const oh = new opening_hours(line.slice(0, tab), where);
    out.push(oh.getState(new Date(line.slice(tab + 1) + ':00')) ? 'open' : 'closed');
  } catch {
    out.push('error');
  }
}
process.stdout.write(out.join('\n') + '\n');
