/**
 * Interactive heatmaps: a matrix drawn on a canvas, one pixel per cell scaled up (nearest neighbour), on the
 * figures' colour scales — diverging RdBu symmetric about 0, or sequential white → red from 0 for data that is
 * never negative (post-ReLU activations); hovering shows the row, column and value.
 */
import { scaleColor, type ColorScale } from '../../src/figures/svg/colormap.js';
import type { Matrix } from '../../src/serve/api-types.js';
import { fmt, h } from './dom.js';

export interface HeatmapView {
  /** Pixels of the longer side. */
  size?: number;
  /** The colour scale covers [-range, range] (sequential: [0, range]; default: the largest |value|). */
  range?: number;
  /** 'diverging' (default) or 'sequential'. */
  scale?: ColorScale;
}

/** 'sequential' when no value of the matrices is negative (e.g. ReLU activations), else 'diverging'. */
export function scaleFor(ms: readonly Matrix[]): ColorScale {
  return ms.every((m) => Array.prototype.every.call(m.values, (v: number) => !(v < 0))) ? 'sequential' : 'diverging';
}

export function maxAbs(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) m = Math.max(m, Math.abs(values[i]!));
  return m || 1;
}

function tooltip(): HTMLElement {
  return document.getElementById('tooltip') ?? document.body.appendChild(h('div', { id: 'tooltip', class: 'tooltip', hidden: true }));
}

export function heatmapElement(m: Matrix, o: HeatmapView = {}): HTMLElement {
  const range = o.range ?? maxAbs(m.values);
  const size = o.size ?? 220;
  const cell = Math.max(1, size / Math.max(m.rows, m.cols));
  const canvas = h('canvas', { width: m.cols, height: m.rows, 'data-rows': m.rows, 'data-cols': m.cols });
  canvas.style.width = `${Math.round(m.cols * cell)}px`;
  canvas.style.height = `${Math.round(m.rows * cell)}px`;
  const ctx = canvas.getContext('2d');
  if (ctx) {
    const img = ctx.createImageData(m.cols, m.rows);
    for (let i = 0; i < m.rows * m.cols; i++) {
      const [r, g, b] = scaleColor(o.scale ?? 'diverging', m.values[i]!, range);
      img.data.set([r, g, b, 255], i * 4);
    }
    ctx.putImageData(img, 0, 0);
  }
  const tip = tooltip();
  canvas.addEventListener('mousemove', (e) => {
    const rect = canvas.getBoundingClientRect();
    const c = Math.min(m.cols - 1, Math.max(0, Math.floor(((e.clientX - rect.left) / rect.width) * m.cols)));
    const r = Math.min(m.rows - 1, Math.max(0, Math.floor(((e.clientY - rect.top) / rect.height) * m.rows)));
    const rl = m.rowLabels?.[r] ?? String(r);
    const cl = m.colLabels?.[c] ?? String(c);
    tip.textContent = `row ${rl}, col ${cl}: ${fmt(m.values[r * m.cols + c]!, 5)}`;
    tip.hidden = false;
    tip.style.left = `${e.clientX + 12}px`;
    tip.style.top = `${e.clientY + 12}px`;
  });
  canvas.addEventListener('mouseleave', () => (tip.hidden = true));
  return h('div', { class: 'heatmap', 'data-title': m.title }, h('div', { class: 'title' }, m.title), canvas);
}

/** Several matrices on one shared colour scale, with a legend of the scale. */
export function heatmapGroup(ms: readonly Matrix[], o: HeatmapView = {}): HTMLElement {
  const range = o.range ?? Math.max(...ms.map((m) => maxAbs(m.values)));
  return h(
    'div',
    {},
    h('div', { class: 'heatmaps' }, ...ms.map((m) => heatmapElement(m, { ...o, range }))),
    o.scale === 'sequential'
      ? h('div', { class: 'row muted' }, '0', h('div', { class: 'colorbar sequential' }), fmt(range, 3))
      : h('div', { class: 'row muted' }, fmt(-range, 3), h('div', { class: 'colorbar' }), fmt(range, 3)),
  );
}
