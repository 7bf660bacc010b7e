/**
 * A line chart: series of (x, y) points on linear or log axes, optional vertical phase lines, a legend
 * built from the series. Points a scale cannot draw (NaN, ≤ 0 on a log axis) break the line. Lines with
 * more points than pixels are thinned per pixel column (first, min, max, last kept), so spikes survive.
 */
import { axes, tickLabelWidth, type TickFormat } from './axes.js';
import { el, esc, n } from './format.js';
import { legend, legendSize, type LegendItem } from './legend.js';
import type { Panel } from './panel.js';
import { extent, linearScale, logScale, type Scale, type ScaleKind } from './scale.js';
import { theme } from './theme.js';

export interface Series {
  /** The legend text. */
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  color: string;
  opacity?: number;
  width?: number;
  dash?: string;
  /** Listed in the legend (default true). */
  legend?: boolean;
}

/** Where the legend goes: inside a corner of the plot, to its right, or nowhere. */
export type LegendPosition = 'top-left' | 'top-right' | 'bottom-left' | 'bottom-right' | 'right' | 'none';

export interface LineChartOptions {
  series: readonly Series[];
  xLabel?: string;
  yLabel?: string;
  title?: string;
  x?: ScaleKind;
  y?: ScaleKind;
  xFormat?: TickFormat;
  yFormat?: TickFormat;
  /** Fixed domains (else the data's extent; the y extent is widened to nice ticks). */
  xDomain?: [number, number];
  yDomain?: [number, number];
  /** Vertical dashed lines at these x values (phase lines). */
  vlines?: readonly number[];
  legend?: LegendPosition;
  width?: number;
  height?: number;
}

function makeScale(kind: ScaleKind, domain: [number, number], range: [number, number], nice: boolean): Scale {
  return kind === 'log' ? logScale(domain, range, nice) : linearScale(domain, range, nice);
}

/** The SVG path of a series: "M x y L x y …", broken where points are invalid; thinned per pixel column. */
export function linePath(s: Series, x: Scale, y: Scale): string {
  const runs: [number, number][][] = [];
  let cur: [number, number][] = [];
  for (let i = 0; i < s.x.length; i++) {
    const xv = s.x[i]!;
    const yv = s.y[i]!;
    if (!x.valid(xv) || !y.valid(yv)) {
      if (cur.length) runs.push(cur);
      cur = [];
      continue;
    }
    cur.push([x.map(xv), y.map(yv)]);
  }
  if (cur.length) runs.push(cur);
  let d = '';
  for (const run of runs) {
    const pts = thin(run);
    d += `M${n(pts[0]![0])} ${n(pts[0]![1])}`;
    for (let i = 1; i < pts.length; i++) d += `L${n(pts[i]![0])} ${n(pts[i]![1])}`;
    if (pts.length === 1) d += 'h0.01';
  }
  return d;
}

/** Per pixel column (x rounded to 0.5 px) keep the first, lowest, highest and last point, in order. */
function thin(pts: [number, number][]): [number, number][] {
  if (pts.length < 400) return pts;
  const out: [number, number][] = [];
  let i = 0;
  while (i < pts.length) {
    const col = Math.round(pts[i]![0] * 2);
    let j = i;
    let lo = i;
    let hi = i;
    while (j < pts.length && Math.round(pts[j]![0] * 2) === col) {
      if (pts[j]![1] < pts[lo]![1]) lo = j;
      if (pts[j]![1] > pts[hi]![1]) hi = j;
      j++;
    }
    for (const k of [...new Set([i, lo, hi, j - 1])].sort((a, b) => a - b)) out.push(pts[k]!);
    i = j;
  }
  return out;
}

export function lineChart(o: LineChartOptions): Panel {
  const width = o.width ?? theme.width;
  const height = o.height ?? theme.height;
  const xk = o.x ?? 'linear';
  const yk = o.y ?? 'linear';
  const items: LegendItem[] = o.series
    .filter((s) => s.legend !== false)
    .map((s) => ({ name: s.name, color: s.color, opacity: s.opacity, dash: s.dash }));
  const pos = items.length === 0 ? 'none' : (o.legend ?? 'right');
  const lsize = legendSize(pos === 'none' ? [] : items);

  const xs = o.xDomain ?? extent(o.series.flatMap((s) => Array.from(s.x)), xk) ?? (xk === 'log' ? [1, 10] : [0, 1]);
  const ys = o.yDomain ?? extent(o.series.flatMap((s) => Array.from(s.y).filter((_, i) => (xk === 'log' ? s.x[i]! > 0 : true))), yk) ?? (yk === 'log' ? [1, 10] : [0, 1]);
  // y first (its tick labels set the left margin), then x over the remaining width
  const top = o.title ? theme.titleFontSize + 18 : 12;
  const bottom = 24 + theme.tickFontSize + 4 + 14;
  const yScale0 = makeScale(yk, ys as [number, number], [height - bottom, top], o.yDomain === undefined);
  const left = 14 + tickLabelWidth(yScale0, o.yFormat ?? 'number') + 6 + (o.yLabel ? theme.fontSize + 8 : 0);
  const right = pos === 'right' ? lsize.width + 20 : 18;
  const plot = { x: left, y: top, width: width - left - right, height: height - top - bottom };
  const xScale = makeScale(xk, xs as [number, number], [plot.x, plot.x + plot.width], false);
  const yScale = yScale0;

  let body = '';
  if (o.title) body += el('text', { x: plot.x + plot.width / 2, y: theme.titleFontSize + 4, 'text-anchor': 'middle', 'font-size': theme.titleFontSize, fill: theme.text }, esc(o.title)) + '\n';
  body += axes({ x: xScale, y: yScale, plot, xLabel: o.xLabel, yLabel: o.yLabel, xFormat: o.xFormat, yFormat: o.yFormat });
  for (const v of o.vlines ?? []) {
    if (!xScale.valid(v) || v < xScale.domain[0] || v > xScale.domain[1]) continue;
    const px = xScale.map(v);
    body += el('line', { class: 'phase-line', x1: px, y1: plot.y, x2: px, y2: plot.y + plot.height, stroke: theme.phaseLine, 'stroke-width': 1.25, 'stroke-dasharray': '5 4' });
  }
  body += '\n<g class="series" fill="none" stroke-linejoin="round" stroke-linecap="round">\n';
  for (const s of o.series) {
    const d = linePath(s, xScale, yScale);
    if (!d) continue;
    body += el('path', { d, stroke: s.color, 'stroke-width': s.width ?? theme.lineWidth, 'stroke-opacity': s.opacity, 'stroke-dasharray': s.dash }) + '\n';
  }
  body += '</g>\n';
  if (pos !== 'none') {
    const pad = 8;
    const lx = pos === 'right' ? plot.x + plot.width + 12 : pos.endsWith('left') ? plot.x + pad : plot.x + plot.width - pad - lsize.width;
    const ly = pos === 'right' || pos.startsWith('top') ? plot.y + (pos === 'right' ? 0 : pad) : plot.y + plot.height - pad - lsize.height;
    body += legend(items, lx, ly);
  }
  return { width, height, body };
}
