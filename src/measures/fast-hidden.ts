/**
 * The fast path's hidden-layer measures (fast.ts; derivations in docs/measures.md "Fast path"): the x, y, xy
 * FVEs of every irrep and the hidden excluded/restricted losses, from the sums of H over b, over a and over
 * the pairs of each product (pair-sums.ts).
 *
 * With Q_ρ [N, r] an orthonormal basis of ρ's coefficient span, ‖Q_Xᵀ H̄‖² = (1/N)·‖Q_ρᵀ S_a‖², likewise with
 * S_b and S_g. Q_Z Q_Zᵀ H has row (a,b) equal to (Q_ρ Q_ρᵀ S_g/N)[a·b], so (Q_Z Q_Zᵀ H) U = R_ρ[a·b] with
 * R_ρ = Q_ρ Q_ρᵀ (S_g U / N) [N, N]: the restricted loss is N rows, one per product; the excluded loss needs
 * every train row, as a dot product of exp(H U) (taken once) with exp(−R_ρ) per product (cross-entropy.ts).
 */
import { hiddenShare, IRREP_COLUMN as COL, irrepColumn as col, type MetricsRow } from './columns.js';
import { crossEntropyFactored, crossEntropyRow, EXP_RANGE_SAFE, expRow, negExpRow } from './cross-entropy.js';
import { blockSquares, sumOver, type FastTables } from './fast-tables.js';
import type { LogitScratch } from './fast-logits.js';
import type { ModelView } from './model-view.js';
import { pairSums } from './pair-sums.js';
import { rowsTimes } from './rows-times.js';

/** Scratch of the hidden measures, reused across checkpoints (the h-sized parts are made when h is known). */
export interface HiddenScratch {
  V: Float64Array;
  C: Float64Array;
  Rrho: Float64Array;
  RK: Float64Array;
  F: Float64Array;
  fRange: Float64Array;
  tmp: Float64Array;
  byH?: { h: number; Sa: Float64Array; Sb: Float64Array; Sg: Float64Array; mu: Float64Array; P: Float64Array };
  /** The transformer's H U on the train rows and its exps. */
  hu?: { HU: Float64Array; EH: Float64Array; eRangeH: Float64Array };
}

export function hiddenScratch(t: FastTables): HiddenScratch {
  const { N, NN, R } = t;
  return {
    V: new Float64Array(NN),
    C: new Float64Array(R * N),
    Rrho: new Float64Array(NN),
    RK: new Float64Array(NN),
    F: new Float64Array(NN),
    fRange: new Float64Array(N),
    tmp: new Float64Array(N),
  };
}

/** H U on the train rows (rows huRows[i] of HU, or row i without huRows) and its exps EH, eRangeH. */
interface HiddenLogits {
  HU: Float64Array;
  huRows: Int32Array | undefined;
  EH: Float64Array;
  eRangeH: Float64Array;
}

/**
 * Writes the seven hidden columns of every irrep and the hidden totals over K into `row`; `logits` is the
 * logit pass's scratch (its exps of the train rows are H U's for the MLP and the bilinear net). Returns
 * total_hidden_restricted_loss.
 */
export function hiddenMeasures(
  t: FastTables,
  s: HiddenScratch,
  view: ModelView,
  K: readonly number[],
  logits: LogitScratch,
  row: MetricsRow,
): number {
  const { hx, hy, hxy } = hiddenShares(t, s, view);
  const hl = hiddenLogits(t, s, view, logits);
  const { nIrr, N, NN, R, Qall, qOff } = t;
  s.RK.fill(0);
  const inK = new Uint8Array(nIrr);
  for (const i of K) inK[i] = 1;
  return hiddenColumns(t, K, hx, hy, hxy, row, (i) => {
    if (i === nIrr) return [hiddenExcluded(t, s, s.RK, hl), hiddenRestricted(N, s.RK)];
    // R_ρ[g, c] = Σ_{j ∈ ρ} Qall[g, j] C[j, c]: [N, r] x [r, N] -> [N, N]
    blockProduct(Qall, R, s.C, N, qOff[i]!, qOff[i + 1]!, s.Rrho);
    if (inK[i]) for (let p = 0; p < NN; p++) s.RK[p]! += s.Rrho[p]!;
    return [hiddenExcluded(t, s, s.Rrho, hl), hiddenRestricted(N, s.Rrho)];
  });
}

/**
 * Writes the seven hidden columns of every irrep and the hidden totals over K into `row` from the x, y, xy
 * shares and losses(i): irrep i's hidden excluded and restricted losses (i = nIrr: K's), called for
 * i = 0, 1, ..., nIrr in order. Returns total_hidden_restricted_loss. Shared with the GPU measurer.
 */
export function hiddenColumns(
  t: FastTables,
  K: readonly number[],
  hx: Float64Array,
  hy: Float64Array,
  hxy: Float64Array,
  row: MetricsRow,
  losses: (i: number) => [number, number],
): number {
  const { nIrr, names } = t;
  const totalHidden = new Float64Array(nIrr);
  for (let i = 0; i < nIrr; i++) {
    const [excluded, restricted] = losses(i);
    const name = names[i]!;
    totalHidden[i] = hx[i]! + hy[i]! + hxy[i]!;
    row[col(COL.hiddenX, name)] = hx[i]!;
    row[col(COL.hiddenY, name)] = hy[i]!;
    row[col(COL.hiddenXY, name)] = hxy[i]!;
    row[col(COL.totalHidden, name)] = totalHidden[i]!;
    row[col(COL.hidden, name)] = hiddenShare(name, hx[i]!, hy[i]!, hxy[i]!);
    row[col(COL.hiddenExcluded, name)] = excluded;
    row[col(COL.hiddenRestricted, name)] = restricted;
  }
  const [totalExcluded, totalRestricted] = losses(nIrr);
  row.percent_hidden_explained = sumOver(K, totalHidden);
  row.percent_hidden_xy_explained = sumOver(K, hxy);
  row.total_hidden_excluded_loss = totalExcluded;
  row.total_hidden_restricted_loss = totalRestricted;
  return totalRestricted;
}

/**
 * The x, y, xy shares of every irrep ([nIrr] each) from the centred sums over b, a and products; on the way,
 * C = Qallᵀ (S_g U / N) [R, N] (uncentred H) for the projections R_ρ.
 */
function hiddenShares(t: FastTables, s: HiddenScratch, view: ModelView): { hx: Float64Array; hy: Float64Array; hxy: Float64Array } {
  const { N, NN, R, QallT } = t;
  const { h, hidden: H, U } = view;
  if (!s.byH || s.byH.h !== h)
    s.byH = {
      h,
      Sa: new Float64Array(N * h),
      Sb: new Float64Array(N * h),
      Sg: new Float64Array(N * h),
      mu: new Float64Array(h),
      P: new Float64Array(R * h),
    };
  const { Sa, Sb, Sg, P } = s.byH;
  const normH2 = pairSums(H, N, h, t.group.table, { byA: Sa, byB: Sb, byProduct: Sg }).centredSumOfSquares; // [N², h] -> 3 x [N, h], ‖H̄‖²
  // H_ρ U = R_ρ[a·b], R_ρ = Q_ρ Q_ρᵀ V, V = (S_g / N) U (uncentred H)
  rowsTimes(Sg, null, h, U, N, s.V); // [N, h] x [h, N] -> [N, N]
  for (let p = 0; p < NN; p++) s.V[p] = s.V[p]! / N;
  rowsTimes(QallT, null, N, s.V, N, s.C); // [R, N] x [N, N] -> [R, N]
  return sharesFromSums(t, h, Sa, Sb, Sg, normH2, s.byH.mu, P);
}

/**
 * The x, y, xy shares of every irrep ([nIrr] each) from the uncentred sums S_a, S_b, S_g [N, h] of H over b,
 * over a and over the pairs of each product (centred here, in place) and ‖H̄‖². mu [h] and P [R, h] are
 * scratch. (The GPU measurer, src/measures/webgpu-measurer.ts, reads the three sums back instead of H.)
 */
export function sharesFromSums(
  t: FastTables,
  h: number,
  Sa: Float64Array,
  Sb: Float64Array,
  Sg: Float64Array,
  normH2: number,
  mu: Float64Array = new Float64Array(h),
  P: Float64Array = new Float64Array(t.R * h),
): { hx: Float64Array; hy: Float64Array; hxy: Float64Array } {
  const { N, NN, nIrr, QallT } = t;
  mu.fill(0);
  for (let a = 0; a < N; a++) for (let j = 0; j < h; j++) mu[j]! += Sa[a * h + j]!;
  for (let j = 0; j < h; j++) mu[j] = mu[j]! / NN;
  // centre the sums: Σ_b H̄[(a,b)] = S_a[a] − N·mu
  for (const S of [Sa, Sb, Sg]) for (let a = 0; a < N; a++) for (let j = 0; j < h; j++) S[a * h + j]! -= N * mu[j]!;
  const hx = new Float64Array(nIrr);
  const hy = new Float64Array(nIrr);
  const hxy = new Float64Array(nIrr);
  for (const [S, out] of [
    [Sa, hx],
    [Sb, hy],
    [Sg, hxy],
  ] as const) {
    rowsTimes(QallT, null, N, S, h, P); // [R, N] x [N, h] -> [R, h]
    blockSquares(t, P, h, out);
    for (let i = 0; i < nIrr; i++) out[i] = out[i]! / N / normH2;
  }
  return { hx, hy, hxy };
}

/** H U on the train rows: the view's logits for the MLP and the bilinear model, computed for the transformer. */
function hiddenLogits(t: FastTables, s: HiddenScratch, view: ModelView, logits: LogitScratch): HiddenLogits {
  if (view.kind !== 'transformer') return { HU: view.logits, huRows: t.train, EH: logits.E, eRangeH: logits.eRange };
  const { N, NN, nTr, train } = t;
  if (!s.hu) s.hu = { HU: new Float64Array(nTr * N), EH: new Float64Array(nTr * N), eRangeH: new Float64Array(nTr) };
  const { EH, eRangeH } = s.hu;
  // the transformer view's hidden · U over all N² rows (modelView computes it on the way to the logits);
  // a view without it (or of another size) has the train rows multiplied here
  let HU: Float64Array;
  let huRows: Int32Array | undefined;
  const given = view.hiddenU;
  if (given && given.length === NN * N) {
    HU = given;
    huRows = train;
  } else {
    HU = s.hu.HU;
    rowsTimes(view.hidden, train, view.h, view.U, N, HU); // [nTr, h] x [h, N] -> [nTr, N]
    huRows = undefined;
  }
  for (let i = 0; i < nTr; i++) expRow(HU, (huRows ? huRows[i]! : i) * N, N, EH, i * N, eRangeH, i);
  return { HU, huRows, EH, eRangeH };
}

/** Mean over g of CE(Rm[g], g): the hidden restricted loss (each product is N rows with label g). */
function hiddenRestricted(N: number, Rm: Float64Array): number {
  let sum = 0;
  for (let g = 0; g < N; g++) sum += crossEntropyRow(Rm, g * N, N, g);
  return sum / N;
}

/** Mean over train rows of CE(HU[r] − Rm[a·b]): the hidden excluded loss. */
function hiddenExcluded(t: FastTables, s: HiddenScratch, Rm: Float64Array, { HU, huRows, EH, eRangeH }: HiddenLogits): number {
  const { N, nTr, trainY } = t;
  const { F, fRange, tmp } = s;
  for (let g = 0; g < N; g++) fRange[g] = negExpRow(Rm, g * N, N, F, g * N);
  let sum = 0;
  for (let i = 0; i < nTr; i++) {
    const y = trainY[i]!;
    if (eRangeH[i]! + fRange[y]! < EXP_RANGE_SAFE) sum += crossEntropyFactored(EH, i * N, F, y * N, N, y);
    else {
      const lo = (huRows ? huRows[i]! : i) * N;
      for (let c = 0; c < N; c++) tmp[c] = HU[lo + c]! - Rm[y * N + c]!;
      sum += crossEntropyRow(tmp, 0, N, y);
    }
  }
  return sum / nTr;
}

/**
 * out [N, N] (overwritten) = Q[:, j0:j1] C[j0:j1, :]: Q [N, R], C [R, N] — the projection Q_ρ Q_ρᵀ V of
 * one irrep's block, with C = Qᵀ V.
 */
function blockProduct(Q: Float64Array, R: number, C: Float64Array, N: number, j0: number, j1: number, out: Float64Array): void {
  out.fill(0);
  for (let g = 0; g < N; g++) {
    const ro = g * N;
    for (let j = j0; j < j1; j++) {
      const q = Q[g * R + j]!;
      const co = j * N;
      for (let c = 0; c < N; c++) out[ro + c]! += q * C[co + c]!;
    }
  }
}
