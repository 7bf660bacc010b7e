/**
 * Heatmaps: one or more matrices ("facets") side by side on one shared colour scale, with a colour bar:
 * diverging (RdBu, symmetric about 0) by default, or sequential (white → red from 0) for data that is never
 * negative, such as post-ReLU activations. Row 0 is at the top, as in imshow. The cells are drawn as one
 * embedded PNG image per facet (image-rendering="optimizeSpeed": nearest-neighbour in resvg, Firefox and Chrome), not one <rect> per cell, to keep the SVG small.
 */
import { linearTicks } from './scale.js';
import { el, esc, formatTick, n } from './format.js';
import { hex, scaleColor, type ColorScale } from './colormap.js';
import type { Panel } from './panel.js';
import { pngDataUri } from './png-data-uri.js';
import { textWidth, theme } from './theme.js';

export interface HeatmapFacet {
  /** Shown above the facet. */
  title?: string;
  rows: number;
  cols: number;
  /** [rows, cols] row-major. */
  values: ArrayLike<number>;
  /** Labels of particular rows (row index → text), drawn left of the facet instead of index ticks. */
  rowLabels?: readonly string[];
}

export interface HeatmapOptions {
  facets: readonly HeatmapFacet[];
  xLabel?: string;
  yLabel?: string;
  title?: string;
  /** The colour scale covers [-range, range] (sequential: [0, range]); default: the largest |value| over all facets. */
  range?: number;
  /** 'diverging' (default, RdBu about 0) or 'sequential' (Reds from 0, for values that are never negative). */
  scale?: ColorScale;
  /** Pixels of a facet's longer side (default 220). */
  facetSize?: number;
  /** Index ticks on the axes (default true). */
  ticks?: boolean;
  /** Facets per row (default all in one row). */
  columns?: number;
  colorbar?: boolean;
}

/** The largest |value| of the facets (1 if all are 0). */
export function maxAbs(facets: readonly HeatmapFacet[]): number {
  let m = 0;
  for (const f of facets) for (let i = 0; i < f.values.length; i++) if (Math.abs(f.values[i]!) > m) m = Math.abs(f.values[i]!);
  return m > 0 ? m : 1;
}

/** The RGB bytes of a facet's cells on the scale [-range, range] (sequential: [0, range]). */
export function facetRgb(f: HeatmapFacet, range: number, scale: ColorScale = 'diverging'): Uint8Array {
  const rgb = new Uint8Array(f.rows * f.cols * 3);
  for (let i = 0; i < f.rows * f.cols; i++) rgb.set(scaleColor(scale, f.values[i]!, range), i * 3);
  return rgb;
}

function indexTicks(count: number): number[] {
  return linearTicks(0, count - 1, 4).filter((v) => Number.isInteger(v));
}

const BAR_STEPS = 64;

function colorbar(x: number, y: number, h: number, range: number, scale: ColorScale): string {
  let s = '<g class="colorbar">';
  const w = 12;
  const lo = scale === 'sequential' ? 0 : -range;
  for (let k = 0; k < BAR_STEPS; k++) {
    const v = range - ((k + 0.5) / BAR_STEPS) * (range - lo);
    s += el('rect', { x, y: y + (k * h) / BAR_STEPS, width: w, height: h / BAR_STEPS + 0.3, fill: hex(scaleColor(scale, v, range)) });
  }
  s += el('rect', { x, y, width: w, height: h, fill: 'none', stroke: theme.axis, 'stroke-width': 0.75 });
  const marks = scale === 'sequential' ? [range, (3 * range) / 4, range / 2, range / 4, 0] : [range, range / 2, 0, -range / 2, -range];
  for (const v of marks) {
    const py = y + ((range - v) / (range - lo)) * h;
    const t = formatTick(v, 2);
    const label = t.exponent === undefined ? t.mantissa : `${t.mantissa}e${t.exponent}`;
    s += el('line', { x1: x + w, y1: py, x2: x + w + 4, y2: py, stroke: theme.axis, 'stroke-width': 1 });
    s += el('text', { x: x + w + 6, y: py + theme.tickFontSize * 0.35, 'font-size': theme.tickFontSize, fill: theme.text }, esc(label));
  }
  return s + '</g>\n';
}

export function heatmap(o: HeatmapOptions): Panel {
  const facets = o.facets;
  const range = o.range ?? maxAbs(facets);
  const scale = o.scale ?? 'diverging';
  const size = o.facetSize ?? 220;
  const ticks = o.ticks !== false;
  const cols = Math.max(1, Math.min(o.columns ?? facets.length, facets.length));
  const rowsOfFacets = Math.ceil(facets.length / cols);
  const cell = Math.min(...facets.map((f) => size / Math.max(f.rows, f.cols)));
  const fw = Math.max(...facets.map((f) => f.cols * cell));
  const fh = Math.max(...facets.map((f) => f.rows * cell));
  const hasFacetTitles = facets.some((f) => f.title);
  const rowLabelW = Math.max(0, ...facets.flatMap((f) => (f.rowLabels ?? []).map((l) => textWidth(l, theme.tickFontSize))));
  const tickW = ticks
    ? Math.max(rowLabelW, textWidth(String(Math.max(...facets.map((f) => f.rows)) - 1), theme.tickFontSize)) + 10
    : rowLabelW + (rowLabelW ? 10 : 0);
  const left = 10 + (o.yLabel ? theme.fontSize + 8 : 0) + tickW;
  const top = (o.title ? theme.titleFontSize + 18 : 8) + (hasFacetTitles ? theme.fontSize + 8 : 0);
  const gapX = tickW + 16;
  const gapY = (hasFacetTitles ? theme.fontSize + 8 : 0) + (ticks ? theme.tickFontSize + 10 : 0) + 12;
  const cbW = o.colorbar === false ? 0 : 70;
  const bottom = (ticks ? theme.tickFontSize + 10 : 4) + (o.xLabel ? theme.fontSize + 12 : 0) + 8;
  const width = left + cols * fw + (cols - 1) * gapX + 16 + cbW;
  const cbH = Math.max(60, Math.min(rowsOfFacets * fh + (rowsOfFacets - 1) * gapY, 240));
  const height = top + Math.max(rowsOfFacets * fh + (rowsOfFacets - 1) * gapY, o.colorbar === false ? 0 : cbH) + bottom;

  let body = '';
  if (o.title)
    body +=
      el(
        'text',
        { x: width / 2, y: theme.titleFontSize + 4, 'text-anchor': 'middle', 'font-size': theme.titleFontSize, fill: theme.text },
        esc(o.title),
      ) + '\n';
  facets.forEach((f, i) => {
    const x0 = left + (i % cols) * (fw + gapX);
    const y0 = top + Math.floor(i / cols) * (fh + gapY);
    const w = f.cols * cell;
    const h = f.rows * cell;
    if (f.title) body += el('text', { x: x0 + w / 2, y: y0 - 8, 'text-anchor': 'middle', fill: theme.text }, esc(f.title));
    body +=
      el('image', {
        x: x0,
        y: y0,
        width: w,
        height: h,
        preserveAspectRatio: 'none',
        'image-rendering': 'optimizeSpeed',
        href: pngDataUri(f.cols, f.rows, facetRgb(f, range, scale)),
      }) + '\n';
    body += el('rect', { x: x0, y: y0, width: w, height: h, fill: 'none', stroke: theme.axis, 'stroke-width': 0.75 });
    if (f.rowLabels) {
      f.rowLabels.forEach((l, r) => {
        if (l)
          body += el(
            'text',
            {
              x: x0 - 6,
              y: y0 + (r + 0.5) * cell + theme.tickFontSize * 0.35,
              'text-anchor': 'end',
              'font-size': theme.tickFontSize,
              fill: theme.text,
            },
            esc(l),
          );
      });
    } else if (ticks) {
      for (const r of indexTicks(f.rows))
        body += el(
          'text',
          {
            x: x0 - 6,
            y: y0 + (r + 0.5) * cell + theme.tickFontSize * 0.35,
            'text-anchor': 'end',
            'font-size': theme.tickFontSize,
            fill: theme.text,
          },
          String(r),
        );
    }
    if (ticks)
      for (const c of indexTicks(f.cols))
        body += el(
          'text',
          {
            x: x0 + (c + 0.5) * cell,
            y: y0 + h + theme.tickFontSize + 4,
            'text-anchor': 'middle',
            'font-size': theme.tickFontSize,
            fill: theme.text,
          },
          String(c),
        );
    body += '\n';
  });
  const gridW = cols * fw + (cols - 1) * gapX;
  const gridH = rowsOfFacets * fh + (rowsOfFacets - 1) * gapY;
  if (o.xLabel)
    body += el('text', { x: left + gridW / 2, y: top + gridH + bottom - 10, 'text-anchor': 'middle', fill: theme.text }, esc(o.xLabel)) + '\n';
  if (o.yLabel) {
    const lx = 10 + theme.fontSize / 2 + 2;
    const ly = top + gridH / 2;
    body += el('text', { x: lx, y: ly, 'text-anchor': 'middle', transform: `rotate(-90 ${n(lx)} ${n(ly)})`, fill: theme.text }, esc(o.yLabel)) + '\n';
  }
  if (o.colorbar !== false) body += colorbar(left + gridW + 16, top, cbH, range, scale);
  return { width, height, body };
}
