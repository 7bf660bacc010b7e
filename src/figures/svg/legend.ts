/**
 * A legend: one entry per item, each drawn with the colour, opacity and dash of the series it names.
 * Entries are built from the series themselves (never from a separate list of labels), so a legend cannot
 * name the wrong line — the original's `lines_from_template` bug (REFERENCE §5).
 */
import { el, esc } from './format.js';
import { textWidth, theme } from './theme.js';

export interface LegendItem {
  name: string;
  color: string;
  /** 'line' (default) or 'box' (bars). */
  mark?: 'line' | 'box';
  opacity?: number;
  dash?: string;
}

const ROW = 20;
const SWATCH = 22;

export function legendSize(items: readonly LegendItem[]): { width: number; height: number } {
  if (items.length === 0) return { width: 0, height: 0 };
  const w = Math.max(...items.map((i) => textWidth(i.name, theme.tickFontSize)));
  return { width: 8 + SWATCH + 6 + w + 8, height: 6 + items.length * ROW + 2 };
}

/** The legend at (x, y) (top left), in a white box. */
export function legend(items: readonly LegendItem[], x: number, y: number): string {
  if (items.length === 0) return '';
  const { width, height } = legendSize(items);
  let s = `<g class="legend">` + el('rect', { x, y, width, height, fill: '#ffffff', 'fill-opacity': 0.85, stroke: '#cccccc', 'stroke-width': 0.75 });
  items.forEach((it, k) => {
    const cy = y + 6 + k * ROW + ROW / 2;
    const x0 = x + 8;
    s +=
      it.mark === 'box'
        ? el('rect', { x: x0 + 4, y: cy - 6, width: SWATCH - 8, height: 12, fill: it.color, 'fill-opacity': it.opacity })
        : el('line', {
            x1: x0,
            y1: cy,
            x2: x0 + SWATCH,
            y2: cy,
            stroke: it.color,
            'stroke-width': 2.5,
            'stroke-opacity': it.opacity,
            'stroke-dasharray': it.dash,
          });
    s += el('text', { x: x0 + SWATCH + 6, y: cy + 4, 'font-size': theme.tickFontSize, fill: theme.text }, esc(it.name));
  });
  return s + '</g>\n';
}
