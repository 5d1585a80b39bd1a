// SPDX-License-Identifier: MIT
// desks.js - the public districts of a level (names, and the centre of each
// one's bounding box, from ogc/collections/districts_LEVEL) and the
// consultation desk nearest a district's centre: the default start of an
// outreach route (route.js) and of a commissioner's visit round (round.js).
// Public data only. Entry points: districtsOf, nearestDesk.

import { api } from './api.js';

const cache = {}; // level -> Promise of {list: [{code, name}], centres: {code: [lon, lat]}}

// The districts of level, sorted by code, and their centres (read once).
export function districtsOf(level) {
  if (!cache[level]) {
    cache[level] = api(`ogc/collections/districts_${encodeURIComponent(level)}/items?limit=1000`).then((fc) => {
      const list = fc.features.map((f) => ({ code: f.properties.code, name: f.properties.name }))
        .sort((a, b) => String(a.code).localeCompare(String(b.code)));
      const centres = {};
      for (const f of fc.features) {
        const pts = JSON.stringify(f.geometry.coordinates).match(/-?\d+\.?\d*,-?\d+\.?\d*/g) || [];
        const xy = pts.map((p) => p.split(',').map(Number));
        if (!xy.length) continue;
        const lon = xy.map((p) => p[0]); const lat = xy.map((p) => p[1]);
        centres[f.properties.code] = [(Math.min(...lon) + Math.max(...lon)) / 2, (Math.min(...lat) + Math.max(...lat)) / 2];
      }
      return { list, centres };
    });
    cache[level].catch(() => { delete cache[level]; });
  }
  return cache[level];
}

// The id of the consultation desk among resources nearest centre [lon, lat],
// or '' (no centre or no desk).
export function nearestDesk(resources, centre) {
  const desks = resources.filter((r) => r.kind === 'consultation');
  if (!centre || !desks.length) return '';
  const k = Math.cos((centre[1] * Math.PI) / 180);
  const d2 = (r) => ((r.lon - centre[0]) * k) ** 2 + (r.lat - centre[1]) ** 2;
  return desks.reduce((a, b) => (d2(b) < d2(a) ? b : a)).id;
}
