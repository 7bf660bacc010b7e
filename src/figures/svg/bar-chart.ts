/**
 * A bar chart: one bar per category, bottom at 0, the value written above each bar.
 */
import { axes, tickLabelWidth } from './axes.js';
import { el, esc, formatTick, n } from './format.js';
import type { Panel } from './panel.js';
import { linearScale, type Scale } from './scale.js';
import { textWidth, theme } from './theme.js';

export interface BarChartOptions {
  categories: readonly string[];
  values: readonly number[];
  /** One colour for all bars, or one per bar. */
  color: string | readonly string[];
  xLabel?: string;
  yLabel?: string;
  title?: string;
  /** The y axis goes at least up to this (e.g. the number of runs). */
  yMax?: number;
  /** Values are counts: integer ticks only. */
  integer?: boolean;
  width?: number;
  height?: number;
}

export function barChart(o: BarChartOptions): Panel {
  if (o.categories.length !== o.values.length) throw new RangeError(`barChart: ${o.categories.length} categories but ${o.values.length} values`);
  const width = o.width ?? theme.width;
  const height = o.height ?? theme.height;
  const k = o.categories.length;
  const top = (o.title ? theme.titleFontSize + 18 : 14) + theme.tickFontSize + 4; // room for the value above the tallest bar
  // category labels are rotated when they do not fit under their bars
  const maxLabel = Math.max(0, ...o.categories.map((c) => textWidth(c, theme.tickFontSize)));
  const bottom0 = 24 + theme.tickFontSize + 18;
  const hi = Math.max(o.yMax ?? 0, ...o.values.filter(Number.isFinite), 1e-12);
  const yScale = (bottomPx: number): Scale => {
    const base = linearScale([0, hi], [height - bottomPx, top], true);
    if (!o.integer) return base;
    const count = Math.min(5, Math.max(1, Math.ceil(base.domain[1])));
    return { ...base, ticks: () => base.ticks(count).filter((v) => Number.isInteger(v)) };
  };
  let y = yScale(bottom0);
  const left = 14 + tickLabelWidth(y, 'number') + 6 + (o.yLabel ? theme.fontSize + 8 : 0);
  const plotW = width - left - 18;
  const band = plotW / Math.max(1, k);
  const rotate = maxLabel > band - 4;
  const bottom = rotate ? 14 + maxLabel * 0.71 + theme.tickFontSize + 18 + (o.xLabel ? 10 : 0) : bottom0;
  y = yScale(bottom);
  const x = linearScale([0, Math.max(1, k)], [left, left + plotW]);
  const plot = { x: left, y: top, width: plotW, height: height - top - bottom };
  let body = '';
  if (o.title)
    body +=
      el(
        'text',
        { x: left + plotW / 2, y: theme.titleFontSize + 4, 'text-anchor': 'middle', 'font-size': theme.titleFontSize, fill: theme.text },
        esc(o.title),
      ) + '\n';
  // axes() with no x ticks: categories are labelled below
  const noTicks = { ...x, ticks: () => [] as number[] };
  body += axes({ x: noTicks, y, plot, yLabel: o.yLabel });
  body += '<g class="bars">';
  o.values.forEach((v, i) => {
    const c = typeof o.color === 'string' ? o.color : o.color[i % o.color.length]!;
    const bx = x.map(i) + band * 0.15;
    const bw = band * 0.7;
    const y0 = y.map(0);
    const y1 = Number.isFinite(v) ? y.map(v) : y0;
    body += el('rect', { x: bx, y: Math.min(y0, y1), width: bw, height: Math.abs(y0 - y1), fill: c });
    const t = formatTick(v);
    body += el(
      'text',
      { x: bx + bw / 2, y: y1 - 4, 'text-anchor': 'middle', 'font-size': theme.tickFontSize, fill: theme.text },
      esc(t.exponent === undefined ? t.mantissa : `${t.mantissa}e${t.exponent}`),
    );
    const lx = bx + bw / 2;
    const ly = plot.y + plot.height + theme.tickFontSize + 6;
    body += rotate
      ? el(
          'text',
          {
            x: lx,
            y: ly - theme.tickFontSize + 4,
            'text-anchor': 'end',
            'font-size': theme.tickFontSize,
            transform: `rotate(-45 ${n(lx)} ${n(ly - theme.tickFontSize + 4)})`,
            fill: theme.text,
          },
          esc(o.categories[i]!),
        )
      : el('text', { x: lx, y: ly, 'text-anchor': 'middle', 'font-size': theme.tickFontSize, fill: theme.text }, esc(o.categories[i]!));
  });
  body += '</g>\n';
  if (o.xLabel) body += el('text', { x: left + plotW / 2, y: height - 8, 'text-anchor': 'middle', fill: theme.text }, esc(o.xLabel)) + '\n';
  return { width, height, body };
}
