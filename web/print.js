// SPDX-License-Identifier: MIT
// print.js - printing through the browser's own print path (Ctrl+P, the
// print button, headless page.pdf()). The live WebGL map cannot be printed
// as it is: the print layout resizes its container, and a resized WebGL
// canvas is cleared until the next animation frame, which never comes
// before the page is laid out for paper. So, as map sites do, the printout
// carries a picture of the map instead: on `beforeprint` (synchronous) the
// map is set to the print frame (PRINT_W x PRINT_H CSS px, 3:2, the same
// shape on A4 portrait and landscape), framed on what matters (the view's
// frame()), drawn synchronously (map.redraw(), preserveDrawingBuffer keeps
// the pixels), and copied into a 2D canvas (#print-map) together with what
// MapLibre keeps outside its canvas: the numbered HTML pins and a scale
// bar. The live map gets its size and view back at once. The print button
// first waits for the print frame's tiles (map 'idle'), so a printout from
// the button is complete even where the screen showed another area.
// Entry point: initPrint.

const PRINT_W = 1200; // CSS px of the printed map picture
const PRINT_H = 800;

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

// mv: the map view (mapview.js); frame(): sets the map's view on what the
// current view's printout is about (may do nothing); header(): fills the
// print header (title, date, conditions) before each printout.
export function initPrint({ mv, frame, header }) {
  const map = mv.map;
  const picture = document.getElementById('print-map');
  let waiting = false;

  function setSize(w, h) {
    const box = map.getContainer();
    box.style.width = w ? `${w}px` : '';
    box.style.height = h ? `${h}px` : '';
    box.style.right = w ? 'auto' : '';
    box.style.bottom = h ? 'auto' : '';
    map.resize();
  }

  // The picture of the map in the print frame; the live map is given back
  // its size and view afterwards.
  function snapshot() {
    const view = { center: map.getCenter(), zoom: map.getZoom() };
    mv.setFitPadding(16);
    try {
      setSize(PRINT_W, PRINT_H);
      frame();
      map.redraw();
      const src = map.getCanvas();
      const ratio = src.width / PRINT_W;
      picture.width = src.width;
      picture.height = src.height;
      const g = picture.getContext('2d');
      g.fillStyle = '#fff';
      g.fillRect(0, 0, src.width, src.height);
      g.drawImage(src, 0, 0);
      drawPins(g, map, ratio, mv.markerItems());
      const lat = map.getCenter().lat;
      const mpp = (40075016.686 * Math.cos((lat * Math.PI) / 180)) / (512 * 2 ** map.getZoom());
      drawScale(g, ratio, mpp, src.width, src.height);
      picture.dataset.ready = 'true';
    } finally {
      mv.setFitPadding(null);
      setSize(null, null);
      map.jumpTo(view);
    }
  }

  window.addEventListener('beforeprint', () => {
    header();
    snapshot();
  });

  // The button: frames the print view and waits for its tiles first.
  document.getElementById('print').addEventListener('click', async () => {
    if (waiting) return;
    waiting = true;
    const view = { center: map.getCenter(), zoom: map.getZoom() };
    try {
      mv.setFitPadding(16);
      setSize(PRINT_W, PRINT_H);
      frame();
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, 8000);
        map.once('idle', () => { clearTimeout(timer); resolve(); });
        map.triggerRepaint();
      });
    } finally {
      mv.setFitPadding(null);
      setSize(null, null);
      map.jumpTo(view);
      waiting = false;
    }
    window.print();
  });
}
