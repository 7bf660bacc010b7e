/**
 * Axes of a chart: light grid lines at the ticks, a left and a bottom axis line, tick labels and axis
 * titles. Powers of ten on a log axis are written 10^k with a raised exponent.
 */
import { el, esc, formatCount, formatTick, n } from './format.js';
import type { Scale } from './scale.js';
import { textWidth, theme } from './theme.js';

/** How tick values are written: 'number' (0.25, 10⁻⁶) or 'count' (epochs: 2000, 120k). */
export type TickFormat = 'number' | 'count';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Whether a log axis writes its decades as 10^k: when any of them is outside 0.01 … 1000 (never for counts). */
export function powerNotation(ticks: readonly number[], scale: Scale, format: TickFormat): boolean {
  if (scale.kind !== 'log' || format === 'count') return false;
  return ticks.some((v) => {
    const k = Math.log10(v);
    return Math.abs(k - Math.round(k)) < 1e-9 && (k < -2 || k > 3);
  });
}

/** Tick label parts: the text and an optional raised exponent. `pow`: write decades as 10^k. */
export function tickLabel(v: number, scale: Scale, format: TickFormat, pow = false): { text: string; exponent?: string } {
  if (pow) {
    const k = Math.log10(v);
    if (Math.abs(k - Math.round(k)) < 1e-9) return { text: '10', exponent: String(Math.round(k)) };
  }
  if (format === 'count') return { text: formatCount(v) };
  const t = formatTick(v);
  if (t.exponent === undefined) return { text: t.mantissa };
  return { text: `${t.mantissa}×10`, exponent: String(t.exponent) };
}

function labelSvg(x: number, y: number, anchor: string, l: { text: string; exponent?: string }): string {
  const size = theme.tickFontSize;
  const sup = l.exponent === undefined ? '' : `<tspan dy="${n(-size * 0.45)}" font-size="${n(size * 0.75)}">${esc(l.exponent)}</tspan>`;
  return el('text', { x, y, 'text-anchor': anchor, 'font-size': size, fill: theme.text }, esc(l.text) + sup);
}

/** Approximate width of the widest y tick label (for the left margin). */
export function tickLabelWidth(scale: Scale, format: TickFormat): number {
  const ticks = scale.ticks();
  const pow = powerNotation(ticks, scale, format);
  return Math.max(
    0,
    ...ticks.map((v) => {
      const l = tickLabel(v, scale, format, pow);
      return textWidth(l.text, theme.tickFontSize) + (l.exponent ? textWidth(l.exponent, theme.tickFontSize * 0.75) : 0);
    }),
  );
}

export interface AxesOptions {
  x: Scale;
  y: Scale;
  plot: Rect;
  xLabel?: string;
  yLabel?: string;
  xFormat?: TickFormat;
  yFormat?: TickFormat;
  /** Grid lines at the ticks (default true). */
  grid?: boolean;
}

/** Grid, axis lines, ticks, tick labels and titles. Draw it before the data. */
export function axes(o: AxesOptions): string {
  const { x, y, plot } = o;
  const xf = o.xFormat ?? 'number';
  const yf = o.yFormat ?? 'number';
  const bottom = plot.y + plot.height;
  const right = plot.x + plot.width;
  const xt = x.ticks();
  const yt = y.ticks();
  const xPow = powerNotation(xt, x, xf);
  const yPow = powerNotation(yt, y, yf);
  let s = '<g class="axes">';
  if (o.grid !== false) {
    for (const v of xt) s += el('line', { x1: x.map(v), y1: plot.y, x2: x.map(v), y2: bottom, stroke: theme.grid, 'stroke-width': 1 });
    for (const v of yt) s += el('line', { x1: plot.x, y1: y.map(v), x2: right, y2: y.map(v), stroke: theme.grid, 'stroke-width': 1 });
  }
  s += el('path', { d: `M${n(plot.x)} ${n(plot.y)}V${n(bottom)}H${n(right)}`, fill: 'none', stroke: theme.axis, 'stroke-width': 1 });
  for (const v of xt) {
    const px = x.map(v);
    s += el('line', { x1: px, y1: bottom, x2: px, y2: bottom + 5, stroke: theme.axis, 'stroke-width': 1 });
    s += labelSvg(px, bottom + 8 + theme.tickFontSize, 'middle', tickLabel(v, x, xf, xPow));
  }
  for (const v of yt) {
    const py = y.map(v);
    s += el('line', { x1: plot.x - 5, y1: py, x2: plot.x, y2: py, stroke: theme.axis, 'stroke-width': 1 });
    s += labelSvg(plot.x - 8, py + theme.tickFontSize * 0.35, 'end', tickLabel(v, y, yf, yPow));
  }
  if (o.xLabel)
    s += el(
      'text',
      { x: plot.x + plot.width / 2, y: bottom + 24 + theme.tickFontSize + 4, 'text-anchor': 'middle', fill: theme.text },
      esc(o.xLabel),
    );
  if (o.yLabel) {
    const lx = plot.x - 14 - tickLabelWidth(y, yf) - 6;
    const ly = plot.y + plot.height / 2;
    s += el('text', { x: lx, y: ly, 'text-anchor': 'middle', transform: `rotate(-90 ${n(lx)} ${n(ly)})`, fill: theme.text }, esc(o.yLabel));
  }
  return s + '</g>\n';
}
