/**
 * A diverging red–white–blue colormap (ColorBrewer RdBu, 11 classes, interpolated in RGB): negative values
 * blue, zero white, positive values red, symmetric about 0.
 */

// ColorBrewer RdBu from -1 (dark blue) to +1 (dark red)
const STOPS: readonly (readonly [number, number, number])[] = [
  [5, 48, 97], [33, 102, 172], [67, 147, 195], [146, 197, 222], [209, 229, 240], [247, 247, 247],
  [253, 219, 199], [244, 165, 130], [214, 96, 77], [178, 24, 43], [103, 0, 31],
];

/** RGB (0–255) of t ∈ [-1, 1] (clamped; NaN is mid grey). */
export function rdbu(t: number): [number, number, number] {
  if (Number.isNaN(t)) return [160, 160, 160];
  const u = (Math.max(-1, Math.min(1, t)) + 1) / 2 * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(u));
  const f = u - i;
  const a = STOPS[i]!;
  const b = STOPS[i + 1]!;
  return [0, 1, 2].map((c) => Math.round(a[c]! + (b[c]! - a[c]!) * f)) as [number, number, number];
}

export function hex([r, g, b]: readonly [number, number, number]): string {
  return '#' + [r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('');
}
