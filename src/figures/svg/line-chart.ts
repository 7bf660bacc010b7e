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

/** A corner of the plot area, inside which a legend can go. */
export type LegendCorner = 'top-left' | 'top-right' | 'bottom-left' | 'bottom-right';

/**
 * Where the legend goes: inside a corner of the plot, in the corner that covers the least of the drawn lines
 * ('auto'), to the right of the plot, or nowhere.
 */
export type LegendPosition = LegendCorner | 'auto' | 'right' | 'none';

/** The corners 'auto' tries, in order of preference on ties. */
const CORNERS: readonly LegendCorner[] = ['top-right', 'top-left', 'bottom-right', 'bottom-left'];

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

/** The pixel points of a series, in runs broken where points are invalid; each run thinned per pixel column. */
function seriesRuns(s: Series, x: Scale, y: Scale): [number, number][][] {
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
  return runs.map(thin);
}

/** The SVG path of a series: "M x y L x y …", broken where points are invalid; thinned per pixel column. */
export function linePath(s: Series, x: Scale, y: Scale): string {
  return pathOf(seriesRuns(s, x, y));
}

function pathOf(runs: readonly [number, number][][]): string {
  let d = '';
  for (const pts of runs) {
    d += `M${n(pts[0]![0])} ${n(pts[0]![1])}`;
    for (let i = 1; i < pts.length; i++) d += `L${n(pts[i]![0])} ${n(pts[i]![1])}`;
    if (pts.length === 1) d += 'h0.01';
  }
  return d;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Length of the segment (x0, y0)-(x1, y1) inside box b (Liang–Barsky clipping). */
function clippedLength(x0: number, y0: number, x1: number, y1: number, b: Box): number {
  const dx = x1 - x0;
  const dy = y1 - y0;
  let t0 = 0;
  let t1 = 1;
  for (const [p, q] of [
    [-dx, x0 - b.x],
    [dx, b.x + b.width - x0],
    [-dy, y0 - b.y],
    [dy, b.y + b.height - y0],
  ] as const) {
    if (p === 0) {
      if (q < 0) return 0;
      continue;
    }
    const t = q / p;
    if (p < 0) t0 = Math.max(t0, t);
    else t1 = Math.min(t1, t);
    if (t0 > t1) return 0;
  }
  // a single point (h0.01 in the path) counts as a short stub
  return Math.max(Math.hypot(dx, dy), 1) * (t1 - t0);
}

/** How much of the drawn lines lies inside box b: Σ over segments of their length inside it, by opacity. */
export function lineOverlap(lines: readonly { runs: readonly [number, number][][]; weight: number }[], b: Box): number {
  let total = 0;
  for (const { runs, weight } of lines)
    for (const pts of runs) {
      if (pts.length === 1) total += weight * clippedLength(pts[0]![0], pts[0]![1], pts[0]![0], pts[0]![1], b);
      for (let i = 1; i < pts.length; i++) total += weight * clippedLength(pts[i - 1]![0], pts[i - 1]![1], pts[i]![0], pts[i]![1], b);
    }
  return total;
}

/** The legend box of size `size` in `corner` of the plot area, `pad` px in from its edges. */
function cornerBox(corner: LegendCorner, plot: Box, size: { width: number; height: number }, pad: number): Box {
  const x = corner.endsWith('left') ? plot.x + pad : plot.x + plot.width - pad - size.width;
  const y = corner.startsWith('top') ? plot.y + pad : plot.y + plot.height - pad - size.height;
  return { x, y, width: size.width, height: size.height };
}

/** The corner whose legend box covers the least of the lines (first of CORNERS on ties, within 0.5 px). */
export function leastCoveredCorner(
  lines: readonly { runs: readonly [number, number][][]; weight: number }[],
  plot: Box,
  size: { width: number; height: number },
  pad: number,
): LegendCorner {
  let best = CORNERS[0]!;
  let bestCover = Infinity;
  for (const c of CORNERS) {
    const cover = lineOverlap(lines, cornerBox(c, plot, size, pad));
    if (cover < bestCover - 0.5) [best, bestCover] = [c, cover];
  }
  return best;
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

  const xs =
    o.xDomain ??
    extent(
      o.series.flatMap((s) => Array.from(s.x)),
      xk,
    ) ??
    (xk === 'log' ? [1, 10] : [0, 1]);
  const ys =
    o.yDomain ??
    extent(
      o.series.flatMap((s) => Array.from(s.y).filter((_, i) => (xk === 'log' ? s.x[i]! > 0 : true))),
      yk,
    ) ??
    (yk === 'log' ? [1, 10] : [0, 1]);
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
  if (o.title)
    body +=
      el(
        'text',
        { x: plot.x + plot.width / 2, y: theme.titleFontSize + 4, 'text-anchor': 'middle', 'font-size': theme.titleFontSize, fill: theme.text },
        esc(o.title),
      ) + '\n';
  body += axes({ x: xScale, y: yScale, plot, xLabel: o.xLabel, yLabel: o.yLabel, xFormat: o.xFormat, yFormat: o.yFormat });
  for (const v of o.vlines ?? []) {
    if (!xScale.valid(v) || v < xScale.domain[0] || v > xScale.domain[1]) continue;
    const px = xScale.map(v);
    body += el('line', {
      class: 'phase-line',
      x1: px,
      y1: plot.y,
      x2: px,
      y2: plot.y + plot.height,
      stroke: theme.phaseLine,
      'stroke-width': 1.25,
      'stroke-dasharray': '5 4',
    });
  }
  body += '\n<g class="series" fill="none" stroke-linejoin="round" stroke-linecap="round">\n';
  const drawn: { runs: [number, number][][]; weight: number }[] = [];
  for (const s of o.series) {
    const runs = seriesRuns(s, xScale, yScale);
    if (runs.length === 0) continue;
    drawn.push({ runs, weight: s.opacity ?? 1 });
    body +=
      el('path', {
        d: pathOf(runs),
        stroke: s.color,
        'stroke-width': s.width ?? theme.lineWidth,
        'stroke-opacity': s.opacity,
        'stroke-dasharray': s.dash,
      }) + '\n';
  }
  body += '</g>\n';
  if (pos === 'right') body += legend(items, plot.x + plot.width + 12, plot.y);
  else if (pos !== 'none') {
    const pad = 8;
    const corner = pos === 'auto' ? leastCoveredCorner(drawn, plot, lsize, pad) : pos;
    const b = cornerBox(corner, plot, lsize, pad);
    body += legend(items, b.x, b.y);
  }
  return { width, height, body };
}
