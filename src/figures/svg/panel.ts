/**
 * A panel is a finished piece of drawing of a known size: an SVG fragment in its own coordinates, (0, 0) at
 * the top left. Charts return panels; `panelGrid` places several side by side; `svgDocument` wraps one as a
 * standalone SVG file.
 */
import { el, n } from './format.js';
import { theme } from './theme.js';

export interface Panel {
  width: number;
  height: number;
  /** SVG elements in the panel's coordinates. */
  body: string;
}

/** A standalone SVG document (white background, theme font) of a panel. */
export function svgDocument(p: Panel): string {
  const w = Math.ceil(p.width);
  const h = Math.ceil(p.height);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" ` +
    `font-family="${theme.fontFamily}" font-size="${theme.fontSize}">\n` +
    el('rect', { x: 0, y: 0, width: w, height: h, fill: theme.background }) +
    '\n' +
    p.body +
    '</svg>\n'
  );
}

/** Panels in a grid, `columns` per row, left to right then top to bottom; cells as large as the largest panel in their row/column. */
export function panelGrid(panels: readonly Panel[], columns = panels.length, gap = 8): Panel {
  if (panels.length === 0) return { width: 0, height: 0, body: '' };
  const cols = Math.max(1, Math.min(columns, panels.length));
  const rows = Math.ceil(panels.length / cols);
  const colW = Array.from({ length: cols }, (_, c) => Math.max(...panels.filter((_, i) => i % cols === c).map((p) => p.width)));
  const rowH = Array.from({ length: rows }, (_, r) => Math.max(...panels.slice(r * cols, (r + 1) * cols).map((p) => p.height)));
  let body = '';
  panels.forEach((p, i) => {
    const c = i % cols;
    const r = Math.floor(i / cols);
    const x = colW.slice(0, c).reduce((s, v) => s + v + gap, 0);
    const y = rowH.slice(0, r).reduce((s, v) => s + v + gap, 0);
    body += `<g transform="translate(${n(x)},${n(y)})">\n${p.body}</g>\n`;
  });
  return {
    width: colW.reduce((s, v) => s + v, 0) + gap * (cols - 1),
    height: rowH.reduce((s, v) => s + v, 0) + gap * (rows - 1),
    body,
  };
}

/** A panel with a title line above it. */
export function titled(p: Panel, title: string): Panel {
  const h = theme.titleFontSize + 14;
  return {
    width: p.width,
    height: p.height + h,
    body:
      el(
        'text',
        { x: p.width / 2, y: theme.titleFontSize + 4, 'text-anchor': 'middle', 'font-size': theme.titleFontSize, fill: theme.text },
        escText(title),
      ) +
      '\n' +
      `<g transform="translate(0,${n(h)})">\n${p.body}</g>\n`,
  };
}

function escText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
