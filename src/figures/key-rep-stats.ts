/**
 * Across seeds (the paper's S5_MLP_irrep_freq and S5_MLP_num_key_reps): in how many runs each irrep is a
 * key irrep, and how many runs have 0, 1, 2, ... key irreps.
 */
import { barChart } from './svg/bar-chart.js';
import type { Panel } from './svg/panel.js';
import { color } from './svg/theme.js';

/** Number of runs in which each irrep is key, in the order of `irreps` (irreps key somewhere but not listed are appended). */
export function keyRepCounts(keySets: readonly (readonly string[])[], irreps: readonly string[]): { irrep: string; runs: number }[] {
  const names = [...irreps, ...[...new Set(keySets.flat())].filter((r) => !irreps.includes(r))];
  return names.map((irrep) => ({ irrep, runs: keySets.filter((k) => k.includes(irrep)).length }));
}

/** histogram[k] = number of runs with k key irreps, k = 0 … max. */
export function numKeyRepsHistogram(keySets: readonly (readonly string[])[]): number[] {
  const max = Math.max(0, ...keySets.map((k) => k.length));
  const h = new Array<number>(max + 1).fill(0);
  for (const k of keySets) h[k.length]!++;
  return h;
}

/** Bars: runs in which each irrep is key (colours as in the per-irrep figures). */
export function keyRepFrequency(keySets: readonly (readonly string[])[], irreps: readonly string[]): Panel {
  const counts = keyRepCounts(keySets, irreps);
  return barChart({
    categories: counts.map((c) => c.irrep),
    values: counts.map((c) => c.runs),
    color: counts.map((_, i) => color(i)),
    xLabel: 'irrep',
    yLabel: `runs with it as a key irrep (of ${keySets.length})`,
    yMax: keySets.length,
    integer: true,
  });
}

/** Bars: runs per number of key irreps (from the smallest count seen). */
export function numKeyReps(keySets: readonly (readonly string[])[]): Panel {
  const h = numKeyRepsHistogram(keySets);
  const from = Math.min(...keySets.map((k) => k.length));
  return barChart({
    categories: h.slice(from).map((_, i) => String(from + i)),
    values: h.slice(from),
    color: color(0),
    xLabel: 'number of key irreps',
    yLabel: `runs (of ${keySets.length})`,
    integer: true,
  });
}
