/**
 * Position scales: a domain of data values mapped onto a range of pixels, linear or logarithmic, with
 * "nice" ticks (1, 2, 5 × 10^k steps; decades on a log scale).
 */

export type ScaleKind = 'linear' | 'log';

export interface Scale {
  readonly kind: ScaleKind;
  readonly domain: readonly [number, number];
  readonly range: readonly [number, number];
  /** Pixel position of a data value (log: v must be > 0). */
  map(v: number): number;
  /** Whether v can be drawn on this scale (finite; > 0 for log). */
  valid(v: number): boolean;
  /** Tick values inside the domain, about `count` of them. */
  ticks(count?: number): number[];
}

/** The step of about `count` nice intervals over [lo, hi]: 1, 2 or 5 × 10^k. */
export function niceStep(lo: number, hi: number, count: number): number {
  const raw = (hi - lo) / Math.max(1, count);
  if (!(raw > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(raw));
  const f = raw / p;
  return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * p;
}

/** Multiples of a nice step inside [lo, hi] (rounded to the step's precision so 0.30000000000000004 is 0.3). */
export function linearTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const step = niceStep(lo, hi, count);
  const digits = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  const out: number[] = [];
  const first = Math.ceil(lo / step - 1e-9);
  const last = Math.floor(hi / step + 1e-9);
  for (let k = first; k <= last; k++) {
    const v = Number((k * step).toFixed(Math.min(20, digits)));
    out.push(v === 0 ? 0 : v);
  }
  return out;
}

/** Powers of ten inside [lo, hi] (every m-th decade so at most ~count+2); 1-2-5 ticks for a domain under a decade. */
export function logTicks(lo: number, hi: number, count = 6): number[] {
  if (!(lo > 0) || !(hi > lo)) return [lo];
  const a = Math.ceil(Math.log10(lo) - 1e-9);
  const b = Math.floor(Math.log10(hi) + 1e-9);
  if (b - a >= 1) {
    const every = Math.max(1, Math.ceil((b - a + 1) / (count + 2)));
    const out: number[] = [];
    for (let k = b; k >= a; k -= every) out.unshift(Number(`1e${k}`));
    return out;
  }
  const out: number[] = [];
  for (let k = Math.floor(Math.log10(lo)); k <= Math.ceil(Math.log10(hi)); k++)
    for (const m of [1, 2, 5]) {
      const v = Number(`${m}e${k}`);
      if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) out.push(v);
    }
  return out.length >= 2 ? out : linearTicks(lo, hi, 3).filter((v) => v > 0);
}

/** A linear scale; `nice` widens the domain to whole tick steps. A zero-width domain is widened by ±1 (or ±|v|/2). */
export function linearScale(domain: readonly [number, number], range: readonly [number, number], nice = false, count = 5): Scale {
  let [lo, hi] = domain;
  if (!(hi > lo)) {
    const w = lo === 0 ? 1 : Math.abs(lo) / 2;
    lo -= w;
    hi += w;
  }
  if (nice) {
    const step = niceStep(lo, hi, count);
    lo = Math.floor(lo / step + 1e-9) * step;
    hi = Math.ceil(hi / step - 1e-9) * step;
  }
  const [r0, r1] = range;
  const k = (r1 - r0) / (hi - lo);
  return {
    kind: 'linear',
    domain: [lo, hi],
    range,
    map: (v) => r0 + (v - lo) * k,
    valid: (v) => Number.isFinite(v),
    ticks: (c = count) => linearTicks(lo, hi, c),
  };
}

/** A log10 scale over a positive domain; `nice` widens it to whole decades when it spans at least one. */
export function logScale(domain: readonly [number, number], range: readonly [number, number], nice = false, count = 6): Scale {
  let [lo, hi] = domain;
  if (!(lo > 0)) throw new RangeError(`logScale: domain must be positive, got [${lo}, ${hi}]`);
  if (!(hi > lo)) {
    lo /= 2;
    hi *= 2;
  }
  if (nice && Math.log10(hi) - Math.log10(lo) >= 1) {
    lo = 10 ** Math.floor(Math.log10(lo) + 1e-9);
    hi = 10 ** Math.ceil(Math.log10(hi) - 1e-9);
  }
  const [r0, r1] = range;
  const l0 = Math.log10(lo);
  const k = (r1 - r0) / (Math.log10(hi) - l0);
  return {
    kind: 'log',
    domain: [lo, hi],
    range,
    map: (v) => r0 + (Math.log10(v) - l0) * k,
    valid: (v) => Number.isFinite(v) && v > 0,
    ticks: (c = count) => logTicks(lo, hi, c),
  };
}

/** The [min, max] of the values a scale of this kind can draw, or undefined if there are none. */
export function extent(values: Iterable<number>, kind: ScaleKind): [number, number] | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v) || (kind === 'log' && v <= 0)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : undefined;
}
