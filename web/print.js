// SPDX-License-Identifier: MIT
// print.js - printing through the browser's own print path (Ctrl+P, the
// print button, headless page.pdf()). The live WebGL map cannot be printed
// as it is: the print layout resizes its container, a resized WebGL canvas
// is cleared, and `beforeprint` cannot wait for the next frame or for the
// tiles of another frame. So, as map sites do, the printout carries a
// picture of the map made beforehand: a second, hidden map of the print
// frame's size (PRINT_W x PRINT_H CSS px, 3:2, one shape for A4 portrait
// and landscape) follows the live map's style (map.getStyle(): sources,
// GeoJSON answers, filters, visibility; mapview's coverage shading), is
// framed on what the printout is about (the view's frame(): the reach area
// and path, the municipality for coverage, the day's route), and once its
// tiles are in (its 'idle'), is copied into the 2D canvas #print-map with
// what MapLibre keeps outside its canvas: the numbered HTML pins and a
// scale bar. Every change on the live map (mapview's onChange) redoes it,
// shortly after. `beforeprint` only fills the header: a change printed
// before its picture is done prints the previous picture (redrawing the
// hidden map synchronously there crashed Chromium's print). The print
// button waits for a complete picture first.
// #print-map's data-ready says "true" once the picture matches the map.
// Entry point: initPrint.

const PRINT_W = 1200; // CSS px of the printed map picture
const PRINT_H = 800;
const SETTLE_MS = 300; // quiet time after a change before the picture is redone

// A round length (1, 2 or 5 x 10^n metres) at most `max` metres.
function niceMetres(max) {
  const p = 10 ** Math.floor(Math.log10(max));
  return [5, 2, 1].map((k) => k * p).find((v) => v <= max) || p;
}

// Draws the scale bar at the bottom right of the picture (g: 2D context in
// device px, ratio: device px per CSS px, mpp: metres per CSS px).
function drawScale(g, ratio, mpp, w, h) {
  const metres = niceMetres(mpp * PRINT_W * 0.2);
  const len = (metres / mpp) * ratio;
  const x1 = w - 16 * ratio; const x0 = x1 - len; const y = h - 14 * ratio;
  const label = metres >= 1000 ? `${metres / 1000} km` : `${metres} m`;
  g.fillStyle = 'rgba(255,255,255,0.85)';
  g.fillRect(x0 - 8 * ratio, y - 24 * ratio, len + 16 * ratio, 32 * ratio);
  g.strokeStyle = '#222';
  g.lineWidth = 2 * ratio;
  g.beginPath();
  g.moveTo(x0, y - 6 * ratio); g.lineTo(x0, y); g.lineTo(x1, y); g.lineTo(x1, y - 6 * ratio);
  g.stroke();
  g.fillStyle = '#222';
  g.font = `${13 * ratio}px sans-serif`;
  g.textAlign = 'center';
  g.fillText(label, (x0 + x1) / 2, y - 8 * ratio);
}

// Draws the HTML pins (mapview markers) into the picture.
function drawPins(g, map, ratio, items) {
  g.textAlign = 'center';
  g.textBaseline = 'middle';
  g.font = `bold ${12 * ratio}px sans-serif`;
  for (const it of items) {
    const p = map.project(it.lonlat);
    const x = p.x * ratio; const y = p.y * ratio; const r = 10 * ratio;
    g.beginPath();
    g.arc(x, y, r, 0, 2 * Math.PI);
    g.fillStyle = it.color || '#333';
    g.fill();
    g.lineWidth = 2 * ratio;
    g.strokeStyle = '#fff';
    g.stroke();
    g.fillStyle = '#fff';
    g.fillText(it.text, x, y + ratio);
  }
}

// mv: the map view (mapview.js); frame(): the [lon, lat] points the current
// view's printout must show, or null for the live map's view; header():
// fills the print header (title, date, conditions) before each printout.
export function initPrint({ mv, frame, header }) {
  const live = mv.map;
  const picture = document.getElementById('print-map');
  const stage = document.createElement('div');
  stage.className = 'print-stage';
  stage.setAttribute('aria-hidden', 'true');
  document.body.append(stage);
  stage.style.width = `${PRINT_W}px`;
  stage.style.height = `${PRINT_H}px`;
  let pm = null;      // the hidden print map
  let version = 0;    // changes seen on the live map
  let timer = null;

  // The hidden map with the live map's content, framed for print.
  function follow() {
    if (!pm) {
      pm = new mv.maplibregl.Map({
        container: stage, style: live.getStyle(), interactive: false, attributionControl: false,
        fadeDuration: 0, canvasContextAttributes: { preserveDrawingBuffer: true },
        localIdeographFontFamily: "'IPAGothic', 'Noto Sans CJK JP', sans-serif",
        center: live.getCenter(), zoom: live.getZoom(),
      });
    } else {
      pm.setStyle(live.getStyle());
    }
    mv.shadeLike(pm);
    const coords = frame();
    if (coords && coords.length) {
      const b = coords.reduce((bb, c) => bb.extend(c), new mv.maplibregl.LngLatBounds(coords[0], coords[0]));
      pm.fitBounds(b, { padding: 16, maxZoom: 17, duration: 0 });
    } else {
      pm.jumpTo({ center: live.getCenter(), zoom: live.getZoom() });
    }
  }

  // Copies the hidden map, the pins and a scale bar into #print-map.
  function paint() {
    const src = pm.getCanvas();
    const ratio = src.width / PRINT_W;
    picture.width = src.width;
    picture.height = src.height;
    const g = picture.getContext('2d');
    g.fillStyle = '#fff';
    g.fillRect(0, 0, src.width, src.height);
    g.drawImage(src, 0, 0);
    drawPins(g, pm, ratio, mv.markerItems());
    const lat = pm.getCenter().lat;
    const mpp = (40075016.686 * Math.cos((lat * Math.PI) / 180)) / (512 * 2 ** pm.getZoom());
    drawScale(g, ratio, mpp, src.width, src.height);
  }

  const idle = (m, ms) => new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    m.once('idle', () => { clearTimeout(t); resolve(); });
    m.triggerRepaint();
  });

  // Redoes the picture; resolves when it matches the live map (or a newer
  // change took over).
  async function prepare() {
    const v = version;
    follow();
    await idle(pm, 15000);
    if (v !== version) return;
    pm.redraw();
    paint();
    picture.dataset.ready = 'true';
  }

  mv.setOnChange(() => {
    version++;
    picture.dataset.ready = 'false';
    clearTimeout(timer);
    timer = setTimeout(() => { prepare().catch((err) => console.error(err)); }, SETTLE_MS);
  });
  live.once('idle', () => { version++; prepare().catch((err) => console.error(err)); });

  window.addEventListener('beforeprint', () => {
    header();
    // A change not yet drawn (within a second or so of it): the last
    // picture is printed. Re-framing the hidden map here, synchronously,
    // crashed Chromium's print.
  });

  document.getElementById('print').addEventListener('click', async () => {
    if (picture.dataset.ready !== 'true') await prepare();
    window.print();
  });
}
