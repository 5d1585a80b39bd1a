// SPDX-License-Identifier: MIT
// basemap.js - the offline base map under the page's own layers: water,
// parks, buildings, waterways, railways and roads from the server's basemap
// tiles (`tsunagu import basemap`, or the network import of an OSM file),
// and labels (place and station names, street names at high zoom, district
// names) in Japanese, drawn with glyph ranges the server itself serves
// (/fonts/IPAGothic/...; ideographs and kana come from the browser's own
// Japanese font through localIdeographFontFamily). A light municipal style
// that does not compete with the resources drawn above it.
// Entry points: addBasemap, addDistrictLabels.

const FONT = ['IPAGothic'];
const SRC = 'basemap';
const LABEL_HALO = { 'text-halo-color': '#ffffff', 'text-halo-width': 1.4 };
const cls = (...c) => ['in', ['get', 'class'], ['literal', c]];
const sub = (...s) => ['in', ['get', 'subclass'], ['literal', s]];
// Width by zoom: w8 at zoom 8 to w16 at zoom 16 (exponential, as roads grow);
// zoom outermost (MapLibre allows one zoom curve per expression), so a
// choice by subclass goes inside each stop (byMajor).
const width = (w8, w16) => ['interpolate', ['exponential', 1.6], ['zoom'], 8, w8, 16, w16];
const byMajor = (values, major, other) => ['match', ['get', 'subclass'], values, major, other];

const MAJOR = ['motorway', 'trunk', 'primary', 'secondary', 'tertiary'];

// Layers under the page's own (after the background).
const ground = [
  { id: 'basemap-water', type: 'fill', filter: cls('water'), paint: { 'fill-color': '#cadfe9' } },
  { id: 'basemap-park', type: 'fill', filter: cls('park'), paint: { 'fill-color': '#e1ead3' } },
  { id: 'basemap-building', type: 'fill', minzoom: 15, filter: cls('building'),
    paint: { 'fill-color': '#e7e1d6', 'fill-outline-color': '#d3cbbd' } },
  { id: 'basemap-waterway', type: 'line', filter: cls('waterway'),
    paint: { 'line-color': '#a9c9dc', 'line-width': width(byMajor('river', 1, 0.5), byMajor('river', 4, 1.5)) } },
  { id: 'basemap-road-casing', type: 'line', filter: ['all', cls('road'), sub(...MAJOR)],
    layout: { 'line-join': 'round', 'line-cap': 'round' },
    paint: { 'line-color': '#d2c8b6', 'line-width': width(1.6, 9) } },
  { id: 'basemap-road', type: 'line', filter: cls('road'),
    layout: { 'line-join': 'round', 'line-cap': 'round' },
    paint: {
      'line-color': byMajor(MAJOR, '#fffdf7', '#faf7f0'),
      'line-width': width(byMajor(MAJOR, 0.8, 0.4), byMajor(MAJOR, 7, 3.5)),
    } },
  { id: 'basemap-rail', type: 'line', filter: cls('rail'),
    paint: { 'line-color': '#8f8f8f', 'line-width': width(1, 3) } },
  { id: 'basemap-rail-dash', type: 'line', filter: cls('rail'),
    paint: { 'line-color': '#ffffff', 'line-width': width(0.4, 1.6), 'line-dasharray': [3, 3] } },
];

// Labels, above the districts and streets but under the resources.
const labels = [
  { id: 'basemap-road-label', type: 'symbol', minzoom: 13,
    filter: ['all', cls('road'), ['has', 'name'], ['any', sub(...MAJOR), ['>=', ['zoom'], 15]]],
    layout: { 'symbol-placement': 'line', 'text-field': ['get', 'name'], 'text-font': FONT, 'text-size': 11,
      'text-max-angle': 30, 'symbol-spacing': 300 },
    paint: { 'text-color': '#6a6152', ...LABEL_HALO } },
  { id: 'basemap-waterway-label', type: 'symbol', minzoom: 13, filter: ['all', cls('waterway'), ['has', 'name']],
    layout: { 'symbol-placement': 'line', 'text-field': ['get', 'name'], 'text-font': FONT, 'text-size': 11 },
    paint: { 'text-color': '#4f7f9b', ...LABEL_HALO } },
  { id: 'basemap-station', type: 'symbol', filter: cls('station'),
    layout: { 'text-field': ['get', 'name'], 'text-font': FONT, 'text-size': 13, 'text-anchor': 'top',
      'text-offset': [0, 0.4] },
    paint: { 'text-color': '#333333', ...LABEL_HALO } },
  { id: 'basemap-place', type: 'symbol', filter: cls('place'),
    layout: { 'text-field': ['get', 'name'], 'text-font': FONT,
      'text-size': ['match', ['get', 'subclass'], ['city', 'town'], 15, ['village', 'suburb'], 13, 11.5] },
    paint: { 'text-color': '#4a4a4a', ...LABEL_HALO } },
];

// Adds the basemap source, its layers and the glyphs URL to style (before
// its vector sources are resolved: a server without the basemap layer loses
// the source, and the layers with it).
export function addBasemap(style) {
  style.sources[SRC] = { type: 'vector', url: 'tiles/basemap.json' };
  // The glyphs template must be absolute; its braces are MapLibre's.
  style.glyphs = `${new URL('fonts/', location.href).href}{fontstack}/{range}.pbf`;
  const at = (id) => { const i = style.layers.findIndex((l) => l.id === id); return i < 0 ? style.layers.length : i; };
  const bg = style.layers.findIndex((l) => l.id === 'background');
  style.layers.splice(bg + 1, 0, ...ground.map((l) => ({ ...l, source: SRC, 'source-layer': SRC })));
  style.layers.splice(at('reach-fill'), 0, ...labels.map((l) => ({ ...l, source: SRC, 'source-layer': SRC })));
}

// District names of the finest level, from zoom 11 (after the district
// sources are in the style; a GeoJSON fallback has no source-layer).
export function addDistrictLabels(style, levels) {
  const lv = levels[levels.length - 1];
  const id = lv && `districts_${lv.level}`;
  if (!id || !style.sources[id]) return;
  const i = style.layers.findIndex((l) => l.id === 'reach-fill');
  style.layers.splice(i < 0 ? style.layers.length : i, 0, {
    id: `${id}-label`, type: 'symbol', source: id, minzoom: 11,
    ...(style.sources[id].type === 'vector' ? { 'source-layer': id } : {}),
    layout: { 'text-field': ['get', 'name'], 'text-font': FONT, 'text-size': 13, 'text-padding': 8 },
    paint: { 'text-color': '#7a6a50', ...LABEL_HALO },
  });
}
