/**
 * Colormaps, interpolated in RGB between ColorBrewer classes:
 * - `rdbu`, diverging red–white–blue (RdBu, 11 classes): negative values blue, zero white, positive values red,
 *   symmetric about 0 — for signed data (logits, weights, changes of basis);
 * - `reds`, sequential white → dark red (Reds, 9 classes) — for data that is never negative (post-ReLU
 *   activations), so that no colour is spent on values that cannot occur.
 */

/** Which colour scale a heatmap uses: diverging on [-range, range], or sequential on [0, range]. */
export type ColorScale = 'diverging' | 'sequential';

// ColorBrewer RdBu from -1 (dark blue) to +1 (dark red)
const STOPS: readonly (readonly [number, number, number])[] = [
  [5, 48, 97],
  [33, 102, 172],
  [67, 147, 195],
  [146, 197, 222],
  [209, 229, 240],
  [247, 247, 247],
  [253, 219, 199],
  [244, 165, 130],
  [214, 96, 77],
  [178, 24, 43],
  [103, 0, 31],
];

// ColorBrewer Reds from 0 (near white) to 1 (dark red)
const REDS: readonly (readonly [number, number, number])[] = [
  [255, 245, 240],
  [254, 224, 210],
  [252, 187, 161],
  [252, 146, 114],
  [251, 106, 74],
  [239, 59, 44],
  [203, 24, 29],
  [165, 15, 21],
  [103, 0, 13],
];

/** RGB at u ∈ [0, 1] along the stops. */
function interpolate(stops: readonly (readonly [number, number, number])[], u01: number): [number, number, number] {
  const u = u01 * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(u));
  const f = u - i;
  const a = stops[i]!;
  const b = stops[i + 1]!;
  return [0, 1, 2].map((c) => Math.round(a[c]! + (b[c]! - a[c]!) * f)) as [number, number, number];
}

/** RGB (0–255) of t ∈ [-1, 1] (clamped; NaN is mid grey). */
export function rdbu(t: number): [number, number, number] {
  if (Number.isNaN(t)) return [160, 160, 160];
  return interpolate(STOPS, (Math.max(-1, Math.min(1, t)) + 1) / 2);
}

/** RGB (0–255) of t ∈ [0, 1] (clamped; NaN is mid grey). */
export function reds(t: number): [number, number, number] {
  if (Number.isNaN(t)) return [160, 160, 160];
  return interpolate(REDS, Math.max(0, Math.min(1, t)));
}

/** The colour of value v on `scale` with range r: rdbu(v / r) or reds(v / r). */
export function scaleColor(scale: ColorScale, v: number, r: number): [number, number, number] {
  return scale === 'sequential' ? reds(v / r) : rdbu(v / r);
}

export function hex([r, g, b]: readonly [number, number, number]): string {
  return '#' + [r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('');
}
