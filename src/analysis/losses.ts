/**
 * Cross-entropy losses the analyses report: float64 mean CE (as `loss_fn`, REFERENCE §3, without the
 * ×8 bug) of logits for all N² pairs (label a·b = the group table), or for a subset of rows. Each row's CE is
 * the measures' crossEntropyRow (measures/cross-entropy.ts), so analyses and progress measures agree.
 */
import type { Group } from '../groups/group.js';
import { crossEntropyRow } from '../measures/cross-entropy.js';

/** CE of logits [N², N] against the table's labels, over all pairs. */
export function allPairsLoss(G: Group, logits: Float64Array): number {
  const N = G.order;
  let s = 0;
  for (let r = 0; r < N * N; r++) s += crossEntropyRow(logits, r * N, N, G.table[r]!);
  return s / (N * N);
}

/** CE of logits [N², N] over the given rows (r = a·N + b). */
export function rowsLoss(G: Group, logits: Float64Array, rows: Int32Array): number {
  if (rows.length === 0) return NaN;
  const N = G.order;
  let s = 0;
  for (const r of rows) s += crossEntropyRow(logits, r * N, N, G.table[r]!);
  return s / rows.length;
}

/**
 * CE over all pairs of logits that depend only on the product g = a·b: row (a, b) is byProduct[g] [N, N].
 * Each g is the product of N pairs, so this is the mean over g of CE(byProduct[g], g).
 */
export function productLogitsLoss(G: Group, byProduct: Float64Array): number {
  const N = G.order;
  let s = 0;
  for (let g = 0; g < N; g++) s += crossEntropyRow(byProduct, g * N, N, g);
  return s / N;
}

/** (loss − baseline) / baseline: positive when the change makes the loss worse. */
export function relativeChange(loss: number, baseline: number): number {
  return (loss - baseline) / baseline;
}

/** Fraction of the given rows whose argmax (first maximum on ties) is the label a·b. */
export function rowsAccuracy(G: Group, logits: Float64Array, rows: Int32Array): number {
  if (rows.length === 0) return NaN;
  const N = G.order;
  let ok = 0;
  for (const r of rows) {
    let best = 0;
    for (let c = 1; c < N; c++) if (logits[r * N + c]! > logits[r * N + best]!) best = c;
    if (best === G.table[r]) ok++;
  }
  return ok / rows.length;
}
