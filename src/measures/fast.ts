/**
 * The progress measures (REFERENCE §4, contract in docs/measures.md), computed without the N²-row
 * matrices and N³ cubes of the direct formulas (reference.ts). This is the implementation that runs at
 * every checkpoint. Platform-neutral: no node: imports (it also runs in a browser Web Worker).
 *
 * Everything that depends only on the group, its irreps and the split is computed once by
 * `createMeasurer` (fast-tables.ts); `measure(view, keyReps)` then costs about one pass over the logits with one exp per
 * entry, three passes over the hidden layer, and O(N³ + N_train·N·#irreps) multiply-adds. Why it is
 * the same as the direct formulas (derivations in docs/measures.md, "Fast path"):
 *
 * - A function of a alone (or b alone, or a·b alone) lifted to the N² rows: the lift of an orthonormal
 *   basis Q_ρ [N, r] of ρ's coefficient span, divided by √N, is an orthonormal basis of X_ρ (Y_ρ, Z_ρ).
 *   So ‖Q_Xᵀ H̄‖² = (1/N)·‖Q_ρᵀ S_a‖² with S_a[a] = Σ_b H̄[(a,b)], and likewise with the sums over a
 *   and over the N pairs of each product g. Q_Z Q_Zᵀ H has row (a,b) equal to (Q_ρ Q_ρᵀ S_g/N)[a·b],
 *   so (Q_Z Q_Zᵀ H) U = R_ρ[a·b] with R_ρ = Q_ρ Q_ρᵀ (S_g U / N), an [N, N] matrix.
 * - The character cube is a function of (a·b, c): ⟨L̃, T_ρ⟩ = Σ_{g,c} M̃[g,c] χ(g c⁻¹) with
 *   M̃[g] = Σ_{a·b=g} L̃[(a,b)], and ‖T_ρ‖² = N²·Σ_x χ(x)². χ is a class function, so the N² terms
 *   collapse to one per conjugacy class of g c⁻¹.
 * - Restricted losses see only the product: the projected logits of every row with a·b = g are the same
 *   row, with the same label g, so N rows (for the logit cube, one: χ(g c⁻¹) at c = g is χ(1)).
 * - Excluded losses need every train row; CE is invariant to a per-row constant, so L̃ − P is as good as
 *   L − P. exp(z − r) = exp(z) exp(−r) with the exps of the logits taken once per call (they also give
 *   the train loss) and those of the correction once per product g (cross-entropy.ts): a dot product per
 *   row and irrep, no exp. For the logit cube the correction depends on the class of g c⁻¹ only, so the
 *   dot product is over the classes, with per-row class sums of exp(z) taken once.
 *
 * The parts: fast-tables.ts (what is precomputed), fast-logits.ts (losses, accuracies, logit similarities and
 * logit losses), the embeddings below, fast-hidden.ts (hidden FVEs and losses).
 */
import type { Group } from '../groups/group.js';
import type { Irrep } from '../reps/irrep.js';
import { UsageError } from '../util/errors.js';
import { IRREP_COLUMN as COL, irrepColumn as col, type MetricsRow } from './columns.js';
import { hiddenMeasures, hiddenScratch } from './fast-hidden.js';
import { logitMeasures, logitScratch } from './fast-logits.js';
import { blockSquares, fastTables, sumOver, type FastTables } from './fast-tables.js';
import type { ModelView } from './model-view.js';
import { rowsTimes } from './rows-times.js';
import { sumOfSquares } from './sum-of-squares.js';

export interface Measurer {
  /** Every progress measure for one checkpoint, in the column order of columns.ts (without `epoch`). */
  measure(view: ModelView, keyReps: readonly string[]): MetricsRow;
}

/**
 * Precomputes, for one group, its irreps (in `irreps(G)` order) and one train/test split (row indices
 * r = a·N + b), everything the measures need that does not depend on the model.
 */
export function createMeasurer(group: Group, irreps: readonly Irrep[], train: Int32Array, test: Int32Array): Measurer {
  const t = fastTables(group, irreps, train, test);
  // scratch, reused across calls (only numbers leave `measure`)
  const ls = logitScratch(t);
  const hs = hiddenScratch(t);
  return {
    measure(view, keyReps) {
      checkView(t, view);
      const K = keyIndices(t, keyReps);
      const row: MetricsRow = {};
      const testLoss = logitMeasures(t, ls, view.logits, K, row);
      embeddingMeasures(t, view, K, row);
      const totalRestricted = hiddenMeasures(t, hs, view, K, ls, row);
      row.test_loss_restricted_loss_ratio = testLoss / totalRestricted;
      row.sum_of_squared_weights = view.sumOfSquaredWeights;
      return row;
    },
  };
}

function checkView(t: FastTables, view: ModelView): void {
  const { N, NN } = t;
  if (view.N !== N) throw new UsageError(`model view is for a group of order ${view.N}, but the measurer is for ${t.group.name} (order ${N})`);
  const ew = view.embedWidth;
  const shapes: [string, Float64Array, number][] = [
    ['E_a', view.E_a, N * ew],
    ['E_b', view.E_b, N * ew],
    ['hidden', view.hidden, NN * view.h],
    ['U', view.U, view.h * N],
    ['logits', view.logits, NN * N],
  ];
  for (const [name, a, len] of shapes) if (a.length !== len) throw new Error(`model view: ${name} has ${a.length} entries, expected ${len}`);
}

/** The key reps' irrep indices, checked: known names, no repeats. */
export function keyIndices(t: FastTables, keyReps: readonly string[]): number[] {
  const K: number[] = [];
  for (const name of keyReps) {
    const i = t.names.indexOf(name);
    if (i < 0) throw new UsageError(`key rep ${JSON.stringify(name)} is not an irrep of ${t.group.name}; expected one of ${t.names.join(', ')}`);
    if (K.includes(i)) throw new UsageError(`key rep ${JSON.stringify(name)} is listed twice`);
    K.push(i);
  }
  return K;
}

/** Embedding and unembedding FVEs of every irrep and their sums over K: Q_ρᵀ E for all ρ at once (QallT [R, N]). */
export function embeddingMeasures(
  t: FastTables,
  view: Pick<ModelView, 'E_a' | 'E_b' | 'U' | 'h' | 'embedWidth'>,
  K: readonly number[],
  row: MetricsRow,
): void {
  const { N, R, nIrr, qOff, QallT, Qall, names } = t;
  const { h, U } = view;
  const ew = view.embedWidth;
  const xEmbed = new Float64Array(nIrr);
  const yEmbed = new Float64Array(nIrr);
  const unembed = new Float64Array(nIrr);
  blockSquares(t, rowsTimes(QallT, null, N, view.E_a, ew), ew, xEmbed); // [R, N] x [N, ew] -> [R, ew]
  blockSquares(t, rowsTimes(QallT, null, N, view.E_b, ew), ew, yEmbed);
  const UQ = rowsTimes(U, null, N, Qall, R); // [h, N] x [N, R] -> [h, R]: column j = (Q_jᵀ Uᵀ)ᵀ
  for (let i = 0; i < nIrr; i++) {
    let s = 0;
    for (let p = 0; p < h; p++) for (let j = qOff[i]!; j < qOff[i + 1]!; j++) s += UQ[p * R + j]! ** 2;
    unembed[i] = s;
  }
  const nEa = sumOfSquares(view.E_a);
  const nEb = sumOfSquares(view.E_b);
  const nU = sumOfSquares(U);
  for (let i = 0; i < nIrr; i++) {
    xEmbed[i] = xEmbed[i]! / nEa;
    yEmbed[i] = yEmbed[i]! / nEb;
    unembed[i] = unembed[i]! / nU;
    row[col(COL.xEmbed, names[i]!)] = xEmbed[i]!;
    row[col(COL.yEmbed, names[i]!)] = yEmbed[i]!;
    row[col(COL.unembed, names[i]!)] = unembed[i]!;
  }
  row.percent_x_embed_explained = sumOver(K, xEmbed);
  row.percent_y_embed_explained = sumOver(K, yEmbed);
  row.percent_unembed_explained = sumOver(K, unembed);
}
