/**
 * The fast path's logit-level measures (fast.ts; derivations in docs/measures.md "Fast path"): the standard
 * losses and accuracies, the logit trace similarities and the logit excluded/restricted losses, from one
 * pass over the logits L [N², N].
 *
 * The character cube is a function of (a·b, c): ⟨L̃, T_ρ⟩ = Σ_{g,c} M̃[g,c] χ(g c⁻¹) with M̃[g] = Σ_{a·b=g}
 * L̃[(a,b)], and ‖T_ρ‖² = N²·Σ_x χ(x)²; χ is a class function, so the N² terms collapse to one per class of
 * g c⁻¹. The restricted loss of a cube sees only the product (one row); the excluded loss needs every train
 * row, and with exp(z − r) = exp(z) exp(−r) and the correction depending on the class of g c⁻¹ only it is a
 * dot product over the classes per row, with per-row class sums of exp(L) taken once.
 */
import { IRREP_COLUMN as COL, irrepColumn as col, type MetricsRow } from './columns.js';
import { crossEntropyFromExpSum, crossEntropyRow, EXP_RANGE_SAFE } from './cross-entropy.js';
import type { FastTables } from './fast-tables.js';

/** F.cosine_similarity's eps: the similarity is ⟨x, y⟩ / max(‖x‖·‖y‖, eps). */
const COSINE_EPS = 1e-8;

/** Scratch of the logit measures, reused across checkpoints. E and eRange are also read by the hidden measures. */
export interface LogitScratch {
  /** exp(L − max) on the train rows [nTr, N], and max − min per train row [nTr]. */
  E: Float64Array;
  eRange: Float64Array;
  classSums: Float64Array;
  M: Float64Array;
  rowLoss: Float64Array;
  rowHit: Uint8Array;
  mk: Float64Array;
  f: Float64Array;
  W: Float64Array;
  tmp: Float64Array;
}

export function logitScratch(t: FastTables): LogitScratch {
  const { N, NN, nTr, nK } = t;
  return {
    E: new Float64Array(nTr * N),
    eRange: new Float64Array(nTr),
    classSums: new Float64Array(nTr * nK),
    M: new Float64Array(NN),
    rowLoss: new Float64Array(NN),
    rowHit: new Uint8Array(NN),
    mk: new Float64Array(nK),
    f: new Float64Array(nK),
    W: new Float64Array(nK),
    tmp: new Float64Array(N),
  };
}

/**
 * Writes train/test/all loss and accuracy, every non-trivial logit similarity, `percent_logits_explained`, the
 * logit excluded/restricted losses per irrep and over K (irrep indices) into `row`. Returns the test loss.
 */
export function logitMeasures(t: FastTables, s: LogitScratch, L: Float64Array, K: readonly number[], row: MetricsRow): number {
  const { testLoss, normL2 } = standardMeasures(t, s, L, row);
  const coef = logitSimilarities(t, s.mk, normL2, row);
  logitLosses(t, s, L, K, coef, row);
  return testLoss;
}

/** Pass over L, then the losses and accuracies on train, test and all rows; ‖L̃‖² and the class sums s.mk of M̃. */
function standardMeasures(t: FastTables, s: LogitScratch, L: Float64Array, row: MetricsRow): { testLoss: number; normL2: number } {
  const normL2 = logitPass(t, s, L);
  classSumsOfM(t, s.M, s.mk);
  return { testLoss: splitLosses(t, s.rowLoss, s.rowHit, row), normL2 };
}

/** mk[k] (overwritten) = Σ of M̃ [N, N] over the (g, c) with g c⁻¹ in class k. */
export function classSumsOfM(t: FastTables, M: ArrayLike<number>, mk: Float64Array): void {
  mk.fill(0);
  for (let p = 0; p < t.NN; p++) mk[t.gcClass[p]!]! += M[p]!;
}

/**
 * train/test/all loss and accuracy into `row` from the per-row CE rowLoss [N²] and hits rowHit [N²] (1 where
 * the first argmax is the label). Returns the test loss. (The GPU measurer, src/measures/webgpu-measurer.ts, reads
 * these two arrays back instead of the logits.)
 */
export function splitLosses(t: FastTables, rowLoss: ArrayLike<number>, rowHit: ArrayLike<number>, row: MetricsRow): number {
  const { train, test, nTr, NN } = t;
  let trLoss = 0;
  let trCorrect = 0;
  for (let i = 0; i < nTr; i++) {
    trLoss += rowLoss[train[i]!]!;
    trCorrect += rowHit[train[i]!]!;
  }
  let teLoss = 0;
  let teCorrect = 0;
  for (let i = 0; i < test.length; i++) {
    teLoss += rowLoss[test[i]!]!;
    teCorrect += rowHit[test[i]!]!;
  }
  let allLoss = 0;
  for (let r = 0; r < NN; r++) allLoss += rowLoss[r]!;
  const testLoss = teLoss / test.length;
  row.train_loss = trLoss / nTr;
  row.test_loss = testLoss;
  row.train_acc = trCorrect / nTr;
  row.test_acc = teCorrect / test.length;
  row.all_loss = allLoss / NN;
  return testLoss;
}

/**
 * Similarities and percent explained from the class sums mk [nK] of M̃ and ‖L̃‖²; returns coef [nIrr] with
 * P_ρ = coef_ρ · χ_ρ(a·b·c⁻¹).
 */
export function logitSimilarities(t: FastTables, mk: Float64Array, normL2: number, row: MetricsRow): Float64Array {
  const { nIrr, nK, N, chiClass } = t;
  const normL = Math.sqrt(normL2);
  const coef = new Float64Array(nIrr);
  const sim = new Float64Array(nIrr);
  let explained = 0;
  for (let i = 0; i < nIrr; i++) {
    let dot = 0;
    for (let k = 0; k < nK; k++) dot += chiClass[i * nK + k]! * mk[k]!;
    const normT = N * Math.sqrt(t.sumChi2[i]!);
    sim[i] = dot / Math.max(normL * normT, COSINE_EPS);
    coef[i] = (sim[i]! * normL) / normT;
  }
  for (let i = 0; i < nIrr; i++)
    if (t.nontrivial[i]) {
      row[col(COL.similarity, t.names[i]!)] = sim[i]!;
      explained += sim[i]! ** 2;
    }
  row.percent_logits_explained = explained;
  return coef;
}

/** The excluded and restricted losses of each non-trivial irrep's cube and of the key irreps' together. */
function logitLosses(t: FastTables, s: LogitScratch, L: Float64Array, K: readonly number[], coef: Float64Array, row: MetricsRow): void {
  const { nIrr, nK, chiClass } = t;
  classSumsOf(t, s.E, s.classSums);
  for (let i = 0; i < nIrr; i++) {
    if (!t.nontrivial[i]) continue;
    for (let k = 0; k < nK; k++) s.f[k] = coef[i]! * chiClass[i * nK + k]!;
    row[col(COL.logitExcluded, t.names[i]!)] = logitExcluded(t, s, L);
    row[col(COL.logitRestricted, t.names[i]!)] = logitRestricted(t, s.f);
  }
  s.f.fill(0);
  for (const i of K) for (let k = 0; k < nK; k++) s.f[k]! += coef[i]! * chiClass[i * nK + k]!;
  row.total_logit_excluded_loss = logitExcluded(t, s, L);
  row.total_logit_restricted_loss = logitRestricted(t, s.f);
}

/** Mean over train rows of CE(L − f(class of g c⁻¹)), label g (the logit excluded loss), f = s.f. */
function logitExcluded(t: FastTables, s: LogitScratch, L: Float64Array): number {
  const { nK, nTr, N, eK, trainY, train, gcClass } = t;
  const { f, W, classSums, eRange, tmp } = s;
  let wmax = -Infinity;
  let wmin = Infinity;
  for (let k = 0; k < nK; k++) {
    const w = -f[k]!;
    if (w > wmax) wmax = w;
    if (w < wmin) wmin = w;
  }
  for (let k = 0; k < nK; k++) W[k] = Math.exp(-f[k]! - wmax);
  const wr = wmax - wmin;
  const We = W[eK]!;
  let sum = 0;
  for (let i = 0; i < nTr; i++) {
    const y = trainY[i]!;
    if (eRange[i]! + wr < EXP_RANGE_SAFE) {
      const so = i * nK;
      let rest = 0;
      for (let k = 0; k < nK; k++) if (k !== eK) rest += W[k]! * classSums[so + k]!;
      sum += Math.log1p(rest / (We * classSums[so + eK]!));
    } else {
      const lo = train[i]! * N;
      for (let c = 0; c < N; c++) tmp[c] = L[lo + c]! - f[gcClass[y * N + c]!]!;
      sum += crossEntropyRow(tmp, 0, N, y);
    }
  }
  return sum / nTr;
}

/** CE of the cube projection f(class of g c⁻¹) at label g: the same for every row (x = g c⁻¹ runs over G). */
export function logitRestricted(t: FastTables, f: Float64Array): number {
  const { nK, classSize, eK } = t;
  let fm = -Infinity;
  let km = 0;
  for (let k = 0; k < nK; k++)
    if (f[k]! > fm) {
      fm = f[k]!;
      km = k;
    }
  let s = classSize[km]! - 1;
  for (let k = 0; k < nK; k++) if (k !== km) s += classSize[k]! * Math.exp(f[k]! - fm);
  return crossEntropyFromExpSum(s, fm, f[eK]!);
}

/**
 * One pass over the logits L [N², N]. Per row r: rowLoss[r] = CE (crossEntropyRow's form), rowHit[r] =
 * argmax is the label; for train rows (trainIndex[r] = i ≥ 0) E[i] = exp(L[r] − max) and eRange[i] =
 * max − min. M[g] (overwritten) = Σ_{a·b=g} (L[r] − mean L[r]). Returns ‖L − row means‖².
 */
function logitPass(t: FastTables, s: LogitScratch, L: Float64Array): number {
  const { N, NN, trainIndex, group } = t;
  const table = group.table;
  const { E, eRange, rowLoss, rowHit, M } = s;
  M.fill(0);
  let normL2 = 0;
  for (let r = 0; r < NN; r++) {
    const lo = r * N;
    let m = L[lo]!;
    let mn = m;
    let cm = 0;
    let sum = m;
    for (let c = 1; c < N; c++) {
      const v = L[lo + c]!;
      sum += v;
      if (v > m) {
        m = v;
        cm = c;
      } else if (v < mn) mn = v;
    }
    const mean = sum / N;
    const i = trainIndex[r]!;
    // Σ_{c≠argmax} exp(L − max), in two runs around the argmax (its term is exactly 1)
    let se = 0;
    if (i >= 0) {
      const eo = i * N;
      for (let c = 0; c < cm; c++) se += E[eo + c] = Math.exp(L[lo + c]! - m);
      E[eo + cm] = 1;
      for (let c = cm + 1; c < N; c++) se += E[eo + c] = Math.exp(L[lo + c]! - m);
      eRange[i] = m - mn;
    } else {
      for (let c = 0; c < cm; c++) se += Math.exp(L[lo + c]! - m);
      for (let c = cm + 1; c < N; c++) se += Math.exp(L[lo + c]! - m);
    }
    const y = table[r]!;
    rowLoss[r] = crossEntropyFromExpSum(se, m, L[lo + y]!);
    rowHit[r] = cm === y ? 1 : 0;
    const go = y * N;
    for (let c = 0; c < N; c++) {
      const d = L[lo + c]! - mean;
      normL2 += d * d;
      M[go + c]! += d;
    }
  }
  return normL2;
}

/** S[i, k] (overwritten) = Σ_c E[i, c] over the c with g_i c⁻¹ in class k (gcClass row g_i = trainY[i]). */
function classSumsOf(t: FastTables, E: Float64Array, S: Float64Array): void {
  const { N, nK, trainY, gcClass } = t;
  S.fill(0);
  for (let i = 0; i < trainY.length; i++) {
    const eo = i * N;
    const so = i * nK;
    const go = trainY[i]! * N;
    for (let c = 0; c < N; c++) S[so + gcClass[go + c]!]! += E[eo + c]!;
  }
}
