// SPDX-License-Identifier: MIT
// mapview.js - the MapLibre map: builds the style from web/style.json (its
// relative source URLs resolved against the page, district sources and
// layers added per level), falls back to OGC API GeoJSON for districts and
// resources while /tiles/ does not answer, and offers the few operations the
// views need (reach area, origin, coverage shading, route, markers, layer
// filters). Entry point: createMap.

import * as maplibregl from '../lib/maplibre-gl/maplibre-gl.mjs';
import { api, ogcFeatures } from './api.js';
import { kinds, fields, otherKindColor } from './i18n.js';
import { el } from './dom.js';
import { addBasemap, addDistrictLabels } from './basemap.js';

const EMPTY = { type: 'FeatureCollection', features: [] };
const allFields = fields.length;

// Classes of the coverage shading (share of households covered), from 0;
// shared with the legend. Classes, not a ramp: an audit reads thresholds.
export const coverageClasses = [
  { min: 0, color: '#b2182b', label: '< 50%' },
  { min: 0.5, color: '#ef8a62', label: '50–80%' },
  { min: 0.8, color: '#fdd49e', label: '80–95%' },
  { min: 0.95, color: '#92c5de', label: '95–99.9%' },
  { min: 1, color: '#2166ac', label: '100%' },
];

// Districts whose figures are hidden (small counts) get their own colour.
const HIDDEN_SHARE = -2;
export const hiddenColor = '#8e8e8e';

// A tile URL template resolved against `base`, its {z}/{x}/{y} kept as they
// are (URL() would percent-encode the braces).
function resolveTemplate(template, base) {
  const href = new URL(template.replace(/\{(\w+)\}/g, '__tsunagu_$1__'), base).href;
  return href.replace(/__tsunagu_(\w+)__/g, '{$1}');
}

// A vector source from the TileJSON at `url`, tile URLs resolved; null when
// the tiles do not answer.
async function tileSource(url, promote) {
  try {
    const abs = new URL(url, location.href).href;
    const tj = await api(abs);
    const src = {
      type: 'vector',
      tiles: tj.tiles.map((u) => resolveTemplate(u, abs)),
      minzoom: tj.minzoom ?? 0,
      maxzoom: tj.maxzoom ?? 14,
    };
    if (tj.bounds) src.bounds = tj.bounds;
    if (tj.attribution) src.attribution = tj.attribution;
    if (promote) src.promoteId = promote;
    return src;
  } catch {
    return null;
  }
}

// The resource colour expression: one colour per built-in kind.
function kindColor() {
  return ['match', ['get', 'kind'], ...kinds.flatMap((k) => [k.key, k.color]), otherKindColor];
}

// Fill and outline layers of one district level (source id = layer id). The
// finest level gets a faint fill; coarser ones a dashed outline only. Every
// fill takes the coverage shading through the feature state "share".
function districtLayers(id, finest, vector) {
  const sl = vector ? { 'source-layer': id } : {};
  const share = ['coalesce', ['feature-state', 'share'], -1];
  return [{
    id: `${id}-fill`, type: 'fill', source: id, ...sl,
    paint: {
      'fill-color': ['case', ['==', share, HIDDEN_SHARE], hiddenColor, ['<', share, 0], '#e6dcc3',
        ['step', share, coverageClasses[0].color, ...coverageClasses.slice(1).flatMap((c) => [c.min, c.color])]],
      'fill-opacity': ['case', ['==', share, HIDDEN_SHARE], 0.72, ['<', share, 0], finest ? 0.35 : 0, 0.72],
    },
  }, {
    id: `${id}-line`, type: 'line', source: id, ...sl,
    paint: {
      'line-color': finest ? '#7a6a50' : '#5b4a8a',
      'line-width': finest ? 1.6 : 3,
      'line-dasharray': finest ? [1, 0] : [3, 2],
    },
  }];
}

// Builds the style; returns {style, tiles: true when tiles answered}.
async function buildStyle(levels) {
  const style = await api('web/style.json');
  addBasemap(style);
  let tiles = true;
  for (const [id, src] of Object.entries(style.sources)) {
    if (src.type !== 'vector') continue;
    const v = await tileSource(src.url);
    if (v) style.sources[id] = v;
    else if (id === 'resources') style.sources[id] = { type: 'geojson', data: await ogcFeatures(id) };
    else delete style.sources[id];
    tiles = tiles && (v !== null || id === 'basemap');
  }
  // Layers of missing sources go; layers of GeoJSON fallbacks lose source-layer.
  style.layers = style.layers.filter((l) => !l.source || style.sources[l.source]).map((l) => {
    if (l.source && style.sources[l.source].type === 'geojson') delete l['source-layer'];
    return l;
  });
  const res = style.layers.find((l) => l.id === 'resources');
  if (res) res.paint['circle-color'] = kindColor();
  const meta = style.metadata || {};
  const insert = (layer, before) => {
    const i = style.layers.findIndex((l) => l.id === before);
    style.layers.splice(i < 0 ? style.layers.length : i, 0, layer);
  };
  for (const [index, lv] of levels.entries()) {
    const id = `districts_${lv.level}`;
    const v = await tileSource(`tiles/${id}.json`, { [id]: 'code' });
    style.sources[id] = v || { type: 'geojson', data: await ogcFeatures(id), promoteId: 'code' };
    tiles = tiles && v !== null;
    const [fill, line] = districtLayers(id, index === levels.length - 1, v !== null);
    insert(fill, meta['tsunagu:districts-fill-before']);
    insert(line, meta['tsunagu:districts-line-before']);
  }
  addDistrictLabels(style, levels);
  return { style, tiles };
}

// Creates the map in `container` over bbox [w, s, e, n]; resolves once the
// style is loaded with {map, tiles, ...operations}.
// credits: the sources' attributions of the loaded database (/api/meta),
// shown by the attribution control beside MapLibre's own.
// Text for MapLibre's attribution control, which takes HTML.
function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]);
}

// locale: MapLibre's control labels in the page's language (page_words.js).
export async function createMap(container, bbox, levels, credits = [], locale = undefined) {
  const { style, tiles } = await buildStyle(levels);
  const map = new maplibregl.Map({
    container,
    style,
    bounds: bbox || undefined,
    fitBoundsOptions: { padding: 24 },
    // Labels (basemap.js): Latin, digits and symbols from the server's own
    // glyph ranges (/fonts/), kanji and kana from the browser's fonts.
    localIdeographFontFamily: "'IPAGothic', 'Noto Sans CJK JP', 'Hiragino Sans', 'Yu Gothic', sans-serif",
    canvasContextAttributes: { preserveDrawingBuffer: true }, // printing and screenshots
    attributionControl: { compact: true, customAttribution: credits.map(escapeHtml) },
    dragRotate: false,
    pitchWithRotate: false,
    locale,
  });
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
  map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-right');
  map.touchZoomRotate.disableRotation();
  await new Promise((resolve) => map.once('load', resolve));

  let markers = { suggest: [], route: [], reach: [] };
  let items = { suggest: [], route: [], reach: [] };
  // The walking path to a chosen resource, above the reach area.
  map.addSource('path', { type: 'geojson', data: EMPTY });
  map.addLayer({ id: 'path-casing', type: 'line', source: 'path', layout: { 'line-join': 'round', 'line-cap': 'round' },
    paint: { 'line-color': '#ffffff', 'line-width': 8 } }, 'resources');
  map.addLayer({ id: 'path-line', type: 'line', source: 'path', layout: { 'line-join': 'round', 'line-cap': 'round' },
    paint: { 'line-color': '#0b3d91', 'line-width': 4, 'line-dasharray': [2, 1] } }, 'resources');
  const districtSource = (level) => `districts_${level}`;
  const isVector = (m, id) => m.getSource(id) && m.getSource(id).type === 'vector';
  let coverage = { level: null, rows: [] };
  let onChange = () => {};

  // Shades the districts of `level` on map m by share_covered (feature state).
  function shade(m, level, rows) {
    for (const lv of levels) {
      const src = districtSource(lv.level);
      if (m.getSource(src)) m.removeFeatureState(isVector(m, src) ? { source: src, sourceLayer: src } : { source: src });
    }
    const src = districtSource(level);
    if (!level || !m.getSource(src)) return;
    for (const r of rows) {
      if (!r.code || (r.share_covered === null && !r.suppressed)) continue;
      const target = isVector(m, src) ? { source: src, sourceLayer: src, id: r.code } : { source: src, id: r.code };
      m.setFeatureState(target, { share: r.share_covered === null ? HIDDEN_SHARE : r.share_covered });
    }
  }

  return {
    map,
    tiles,
    maplibregl,
    // fn() is called after anything on the map changes (print.js).
    setOnChange(fn) { onChange = fn; },
    // Gives map m (print.js's print map, same style) the coverage shading.
    shadeLike(m) { shade(m, coverage.level, coverage.rows); },
    setReach(feature) { map.getSource('reach').setData(feature || EMPTY); onChange(); },
    setOrigin(lonlat) {
      map.getSource('origin').setData(lonlat
        ? { type: 'Feature', geometry: { type: 'Point', coordinates: lonlat }, properties: {} } : EMPTY);
      onChange();
    },
    setRoute(fc) { map.getSource('route').setData(fc || EMPTY); onChange(); },
    setPath(feature) { map.getSource('path').setData(feature || EMPTY); onChange(); },
    // The public resource drawn at a screen point (a few px around), or null.
    resourceAt(point) {
      if (!map.getLayer('resources')) return null;
      const r = 6;
      const fs = map.queryRenderedFeatures([[point.x - r, point.y - r], [point.x + r, point.y + r]], { layers: ['resources'] });
      return fs.length ? fs[0].properties : null;
    },
    // Every HTML pin now on the map (print.js draws them into the printout).
    markerItems() { return [...items.reach, ...items.suggest, ...items.route]; },
    // Resources shown: kinds in `shownKinds` (Set; unknown kinds follow
    // showOther) serving any field in `shownFields` (Set) or all fields; a
    // resource naming no field is never hidden by the field toggles.
    setResourceFilter(shownKinds, shownFields, showOther) {
      if (!map.getLayer('resources')) return;
      const known = kinds.map((k) => k.key);
      const kindOk = ['any', ['in', ['get', 'kind'], ['literal', [...shownKinds]]],
        showOther ? ['!', ['in', ['get', 'kind'], ['literal', known]]] : false];
      // Every field shown: no field filter (resources of unspecified fields too).
      const f = ['coalesce', ['get', 'fields'], ''];
      const fieldOk = shownFields.size === allFields ? true : ['any', ['==', f, 'all'], ['==', f, ''],
        ['==', f, 'unspecified'], ...[...shownFields].map((x) => ['in', x, f])];
      map.setFilter('resources', ['all', kindOk, fieldOk]);
      onChange();
    },
    setLevelVisible(level, on) {
      for (const part of ['fill', 'line']) {
        const id = `${districtSource(level)}-${part}`;
        if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', on ? 'visible' : 'none');
      }
      onChange();
    },
    // Shades the districts of `level` by share_covered; rows from /api/coverage.
    setCoverage(level, rows) {
      coverage = { level, rows: level ? rows : [] };
      // Only the shaded level's fill shows while a coverage is on the map.
      for (const lv of levels) {
        const id = `${districtSource(lv.level)}-fill`;
        if (map.getLayer(id) && level && lv.level !== level) map.setLayoutProperty(id, 'visibility', 'none');
      }
      if (level && map.getLayer(`${districtSource(level)}-fill`)) map.setLayoutProperty(`${districtSource(level)}-fill`, 'visibility', 'visible');
      shade(map, level, rows);
      onChange();
    },
    // Numbered HTML markers (no glyphs needed): list [{lonlat, text, label,
    // color, onClick}]; a marker with onClick is a button.
    setMarkers(group, list) {
      for (const m of markers[group]) m.remove();
      items[group] = list;
      markers[group] = list.map((it) => {
        const node = it.onClick
          ? el('button', { type: 'button', class: `pin pin-${group}`, 'aria-label': it.label, title: it.label }, it.text)
          : el('div', { class: `pin pin-${group}`, role: 'img', 'aria-label': it.label, title: it.label }, it.text);
        if (it.color) node.style.backgroundColor = it.color;
        if (it.onClick) node.addEventListener('click', (ev) => { ev.stopPropagation(); it.onClick(); });
        return new maplibregl.Marker({ element: node }).setLngLat(it.lonlat).addTo(map);
      });
      onChange();
    },
    fitTo(coords, maxZoom = 16) {
      if (!coords.length) return;
      const b = coords.reduce((bb, c) => bb.extend(c), new maplibregl.LngLatBounds(coords[0], coords[0]));
      // Room for the legend at the bottom left.
      map.fitBounds(b, { padding: { top: 40, right: 56, bottom: 110, left: 40 }, maxZoom, duration: 0 });
    },
  };
}
