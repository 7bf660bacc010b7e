/**
 * The progress measures by their direct formulas (REFERENCE §4; docs/measures.md): N²-row matrices,
 * orthonormal bases of the X_ρ, Y_ρ, Z_ρ coefficient spaces built over all pairs, N³ character cubes,
 * float64 throughout. Plain and obviously correct, for testing the fast path (fast.ts) against; it is
 * O(N³) in memory per irrep and not meant for big groups.
 *
 * Spans: the original took the reduced QR of all d² coefficient columns, which for an irrep of complex or
 * quaternionic type (and the original's C_n frequencies) adds spurious noise columns. Here every basis
 * spans exactly the true coefficient space, of rank d²/e (e = 1, 2, 4 by type); see docs/measures.md.
 */
import { memo, type Group } from '../groups/group.js';
import { matmul, matmulTN } from '../linalg/matrix.js';
import { orthonormalizeColumns } from '../linalg/orthonormalize.js';
import { typeNorm, type Irrep } from '../reps/irrep.js';
import { orthRep } from '../reps/orth-rep.js';
import { UsageError } from '../util/errors.js';
import { hiddenShare, IRREP_COLUMN as C, irrepColumn as col, measureColumns, TRIVIAL, type MetricsRow } from './columns.js';
import { crossEntropyRow } from './cross-entropy.js';
import type { ModelView } from './model-view.js';
import { sumOfSquares } from './sum-of-squares.js';

export type { MetricsRow };

export interface MeasureInput {
  group: Group;
  /** irreps(G), trivial first. */
  irreps: readonly Irrep[];
  view: ModelView;
  /** Row indices r = a·N + b (split.json). */
  train: Int32Array;
  test: Int32Array;
  /** K: the key-rep names (a subset of the irreps' names; may be empty). */
  keyReps: readonly string[];
}

// ---------------------------------------------------------------------------------------------------------
// Small helpers (exported for the fast path and tests)

/**
 * Mean cross-entropy (float64, log-sum-exp) of the rows `rows` (all rows when null) of logits [R, N],
 * each against its label table[r] (the group product a·b for r = a·N + b). NaN for no rows.
 */
export function crossEntropyOnRows(logits: Float64Array, N: number, table: Int32Array, rows: Int32Array | null = null): number {
  const R = rows ? rows.length : logits.length / N;
  if (R === 0) return NaN;
  let total = 0;
  for (let i = 0; i < R; i++) {
    const r = rows ? rows[i]! : i;
    total += crossEntropyRow(logits, r * N, N, table[r]!);
  }
  return total / R;
}

/** Fraction of rows `rows` (all when null) whose argmax (first maximum on ties) is table[r]. NaN for no rows. */
export function accuracyOnRows(logits: Float64Array, N: number, table: Int32Array, rows: Int32Array | null = null): number {
  const R = rows ? rows.length : logits.length / N;
  if (R === 0) return NaN;
  let correct = 0;
  for (let i = 0; i < R; i++) {
    const r = rows ? rows[i]! : i;
    let best = 0;
    for (let c = 1; c < N; c++) if (logits[r * N + c]! > logits[r * N + best]!) best = c;
    if (best === table[r]) correct++;
  }
  return correct / R;
}

/** [N², N] logits minus each row's mean over the output c: the centred logits L̃ of REFERENCE §4. */
export function centreLogits(logits: Float64Array, N: number): Float64Array {
  const out = new Float64Array(logits.length);
  for (let r = 0; r < N * N; r++) {
    let m = 0;
    for (let c = 0; c < N; c++) m += logits[r * N + c]!;
    m /= N;
    for (let c = 0; c < N; c++) out[r * N + c] = logits[r * N + c]! - m;
  }
  return out;
}

/** torch.nn.functional.cosine_similarity of two flattened tensors as in torch 1.12: x·y / max(‖x‖‖y‖, eps). */
export function cosineSimilarity(x: ArrayLike<number>, y: ArrayLike<number>, eps = 1e-8): number {
  let xy = 0,
    xx = 0,
    yy = 0;
  for (let i = 0; i < x.length; i++) {
    xy += x[i]! * y[i]!;
    xx += x[i]! * x[i]!;
    yy += y[i]! * y[i]!;
  }
  return xy / Math.max(Math.sqrt(xx) * Math.sqrt(yy), eps);
}

/** The character cube in float64: T[a, b, c] = χ_ρ(a·b·c⁻¹) at a·N² + b·N + c. [N³] */
export function characterCube64(G: Group, rho: Irrep): Float64Array {
  const N = G.order,
    T = G.table;
  const cube = new Float64Array(N * N * N);
  for (let a = 0; a < N; a++)
    for (let b = 0; b < N; b++) for (let c = 0; c < N; c++) cube[(a * N + b) * N + c] = rho.character[T[T[a * N + b]! * N + G.inverses[c]!]!]!;
  return cube;
}

export type PairSpace = 'x' | 'y' | 'xy';

/**
 * An orthonormal basis [N², r] of X_ρ (row (a, b) = vec ρ(a)), Y_ρ (vec ρ(b)) or Z_ρ (vec ρ(a·b)):
 * Gram–Schmidt over the d² coefficient columns of the N²-row matrix, keeping exactly the true rank
 * r = d²/e(ρ) (checked). Memoised per irrep object (N²·r floats; do not modify).
 */
export function pairBasis(G: Group, rho: Irrep, space: PairSpace): Float64Array {
  return memo(rho, `pairBasis:${space}:${G.order}`, () => computePairBasis(G, rho, space));
}

function computePairBasis(G: Group, rho: Irrep, space: PairSpace): Float64Array {
  const N = G.order,
    d2 = rho.dim * rho.dim;
  const M = new Float64Array(N * N * d2); // [N², d²]
  for (let a = 0; a < N; a++)
    for (let b = 0; b < N; b++) {
      const g = space === 'x' ? a : space === 'y' ? b : G.table[a * N + b]!;
      M.set(rho.matrices.subarray(g * d2, g * d2 + d2), (a * N + b) * d2);
    }
  const rank = d2 / typeNorm(rho.type);
  const q = orthonormalizeColumns(M, N * N, d2, 1e-8, rank);
  if (q.rank !== rank) throw new Error(`pairBasis: ${rho.name} ${space} has rank ${q.rank}, expected ${rank} (${rho.type}, dim ${rho.dim})`);
  return q.q;
}

/** ‖Qᵀ A‖² for Q [m, r] with orthonormal columns and A [m, n]. */
export function projectedSquaredNorm(Q: Float64Array, r: number, A: Float64Array, m: number, n: number): number {
  const C = matmulTN(Q, A, m, r, n); // [m, r]ᵀ x [m, n] -> [r, n]
  return sumOfSquares(C);
}

/** [m, n] -> [n, m] */
function transpose(A: Float64Array, m: number, n: number): Float64Array {
  const T = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) T[j * m + i] = A[i * n + j]!;
  return T;
}

/** Checks K against the irreps: known names, no repeats; the irreps of K in K's order. */
export function keyIrreps(irreps: readonly Irrep[], keyReps: readonly string[]): Irrep[] {
  const seen = new Set<string>();
  return keyReps.map((name) => {
    const rho = irreps.find((r) => r.name === name);
    if (!rho) throw new UsageError(`key rep "${name}" is not an irrep of this group; expected one of ${irreps.map((r) => r.name).join(', ')}`);
    if (seen.has(name)) throw new UsageError(`key rep "${name}" is listed twice`);
    seen.add(name);
    return rho;
  });
}

// ---------------------------------------------------------------------------------------------------------

/** Every measure column (measureColumns order) of `inp.view`, by the direct formulas of REFERENCE §4. */
export function referenceMeasures(inp: MeasureInput): MetricsRow {
  const { group: G, irreps, view } = inp;
  if (view.N !== G.order) throw new UsageError(`model view is over a group of order ${view.N}, but ${G.name} has order ${G.order}`);
  const K = keyIrreps(irreps, inp.keyReps);
  const out = new Map<string, number>();
  const testLoss = standardMeasures(inp, out);
  logitMeasures(inp, K, out);
  embeddingMeasures(inp, K, out);
  const totalRestricted = hiddenMeasures(inp, K, out);
  out.set('test_loss_restricted_loss_ratio', testLoss / totalRestricted);
  out.set('sum_of_squared_weights', view.sumOfSquaredWeights);

  const row: MetricsRow = {};
  for (const c of measureColumns(irreps.map((r) => r.name))) {
    const v = out.get(c);
    if (v === undefined) throw new Error(`referenceMeasures: column ${c} was not computed`);
    row[c] = v;
  }
  if (out.size !== Object.keys(row).length) throw new Error('referenceMeasures: computed a column measureColumns does not list');
  return row;
}

/** 1. Losses and accuracies of the model's logits L [N², N] on train, test and all rows. Returns the test loss. */
function standardMeasures({ group: G, view, train, test }: MeasureInput, out: Map<string, number>): number {
  const N = G.order,
    T = G.table,
    L = view.logits;
  const testLoss = crossEntropyOnRows(L, N, T, test);
  out.set('train_loss', crossEntropyOnRows(L, N, T, train));
  out.set('test_loss', testLoss);
  out.set('train_acc', accuracyOnRows(L, N, T, train));
  out.set('test_acc', accuracyOnRows(L, N, T, test));
  out.set('all_loss', crossEntropyOnRows(L, N, T));
  return testLoss;
}

/** 2-3. Logit level: L̃ = L − mean over c; P_ρ = sim_ρ ‖L̃‖ T_ρ/‖T_ρ‖; excluded and restricted losses. */
function logitMeasures({ group: G, irreps, view, train }: MeasureInput, K: readonly Irrep[], out: Map<string, number>): void {
  const N = G.order,
    T = G.table,
    R = N * N,
    L = view.logits;
  const Lc = centreLogits(L, N); // [N², N] = [N, N, N] like the cubes
  const LcNorm = Math.sqrt(sumOfSquares(Lc));
  const PK = new Float64Array(R * N);
  let explained = 0;
  const excludedCE = (P: Float64Array) => {
    const D = new Float64Array(R * N);
    for (let i = 0; i < D.length; i++) D[i] = Lc[i]! - P[i]!;
    return crossEntropyOnRows(D, N, T, train);
  };
  const logitProjection = (rho: Irrep) => {
    const cube = characterCube64(G, rho);
    const sim = cosineSimilarity(Lc, cube);
    const s = (sim * LcNorm) / Math.sqrt(sumOfSquares(cube));
    const P = new Float64Array(R * N);
    for (let i = 0; i < P.length; i++) P[i] = s * cube[i]!;
    return { sim, P };
  };
  for (const rho of irreps) {
    if (rho.name === TRIVIAL) {
      if (K.includes(rho)) logitProjection(rho).P.forEach((x, i) => (PK[i]! += x));
      continue;
    }
    const { sim, P } = logitProjection(rho);
    out.set(col(C.similarity, rho.name), sim);
    explained += sim * sim;
    out.set(col(C.logitExcluded, rho.name), excludedCE(P));
    out.set(col(C.logitRestricted, rho.name), crossEntropyOnRows(P, N, T));
    if (K.includes(rho)) for (let i = 0; i < P.length; i++) PK[i]! += P[i]!;
  }
  out.set('percent_logits_explained', explained);
  out.set('total_logit_excluded_loss', excludedCE(PK));
  out.set('total_logit_restricted_loss', crossEntropyOnRows(PK, N, T));
}

/** 4. Embeddings and unembedding: ‖Q_ρᵀ E‖² / ‖E‖² with Q_ρ = orthRep [N, r]; sums over K. */
function embeddingMeasures({ group: G, irreps, view }: MeasureInput, K: readonly Irrep[], out: Map<string, number>): void {
  const N = G.order,
    w = view.embedWidth,
    h = view.h;
  const Ut = transpose(view.U, h, N); // Uᵀ [N, h]
  const normEa = sumOfSquares(view.E_a),
    normEb = sumOfSquares(view.E_b),
    normU = sumOfSquares(view.U);
  const sums = { x: 0, y: 0, u: 0 };
  for (const rho of irreps) {
    const Q = orthRep(G, rho);
    const r = Q.length / N;
    const x = projectedSquaredNorm(Q, r, view.E_a, N, w) / normEa;
    const y = projectedSquaredNorm(Q, r, view.E_b, N, w) / normEb;
    const u = projectedSquaredNorm(Q, r, Ut, N, h) / normU;
    out.set(col(C.xEmbed, rho.name), x);
    out.set(col(C.yEmbed, rho.name), y);
    out.set(col(C.unembed, rho.name), u);
    if (K.includes(rho)) {
      sums.x += x;
      sums.y += y;
      sums.u += u;
    }
  }
  out.set('percent_x_embed_explained', sums.x);
  out.set('percent_y_embed_explained', sums.y);
  out.set('percent_unembed_explained', sums.u);
}

/**
 * 5-6. Hidden layer: H [N², h]; H̄ = H − mean over rows; FVEs on H̄, losses of "H U" on uncentred H.
 * Returns total_hidden_restricted_loss.
 */
function hiddenMeasures({ group: G, irreps, view, train }: MeasureInput, K: readonly Irrep[], out: Map<string, number>): number {
  const N = G.order,
    T = G.table,
    R = N * N,
    h = view.h,
    H = view.hidden;
  const Hbar = new Float64Array(R * h);
  for (let j = 0; j < h; j++) {
    let mean = 0;
    for (let r = 0; r < R; r++) mean += H[r * h + j]!;
    mean /= R;
    for (let r = 0; r < R; r++) Hbar[r * h + j] = H[r * h + j]! - mean;
  }
  const normHbar = sumOfSquares(Hbar);
  const HU = matmul(H, view.U, R, h, N); // [N², h] x [h, N] -> [N², N]
  const HKU = new Float64Array(R * N);
  let hiddenExplained = 0,
    hiddenXyExplained = 0;
  const hiddenLosses = (HpU: Float64Array) => {
    const rest = new Float64Array(R * N);
    for (let i = 0; i < rest.length; i++) rest[i] = HU[i]! - HpU[i]!; // (H − H_ρ) U = H U − H_ρ U
    return { restricted: crossEntropyOnRows(HpU, N, T), excluded: crossEntropyOnRows(rest, N, T, train) };
  };
  for (const rho of irreps) {
    const r = (rho.dim * rho.dim) / typeNorm(rho.type);
    const fve = (space: PairSpace) => projectedSquaredNorm(pairBasis(G, rho, space), r, Hbar, R, h) / normHbar;
    const px = fve('x'),
      py = fve('y');
    const QZ = pairBasis(G, rho, 'xy');
    const pxy = projectedSquaredNorm(QZ, r, Hbar, R, h) / normHbar;
    // H_ρ U with H_ρ = Q_Z Q_Zᵀ H, associated as Q_Z ((Q_Zᵀ H) U): [N², r] x ([r, h] x [h, N]) -> [N², N]
    const HrhoU = matmul(QZ, matmul(matmulTN(QZ, H, R, r, h), view.U, r, h, N), R, r, N);
    const { restricted, excluded } = hiddenLosses(HrhoU);
    const name = rho.name;
    out.set(col(C.hiddenX, name), px);
    out.set(col(C.hiddenY, name), py);
    out.set(col(C.hiddenXY, name), pxy);
    out.set(col(C.totalHidden, name), px + py + pxy);
    out.set(col(C.hidden, name), hiddenShare(name, px, py, pxy));
    out.set(col(C.hiddenExcluded, name), excluded);
    out.set(col(C.hiddenRestricted, name), restricted);
    if (K.includes(rho)) {
      hiddenExplained += px + py + pxy;
      hiddenXyExplained += pxy;
      for (let i = 0; i < HKU.length; i++) HKU[i]! += HrhoU[i]!; // H_K U = Σ_K H_ρ U
    }
  }
  const totals = hiddenLosses(HKU);
  out.set('percent_hidden_explained', hiddenExplained);
  out.set('percent_hidden_xy_explained', hiddenXyExplained);
  out.set('total_hidden_excluded_loss', totals.excluded);
  out.set('total_hidden_restricted_loss', totals.restricted);
  return totals.restricted;
}
