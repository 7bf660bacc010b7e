/**
 * The progress measures (REFERENCE §4, contract in docs/measures.md), computed without the N²-row
 * matrices and N³ cubes of the direct formulas (reference.ts). This is the implementation that runs at
 * every checkpoint. Platform-neutral: no node: imports (it also runs in a browser Web Worker).
 *
 * Everything that depends only on the group, its irreps and the split is computed once by
 * `createMeasurer`; `measure(view, keyReps)` then costs about one pass over the logits with one exp per
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
 */
import { conjugacyClasses } from '../groups/classes.js';
import type { Group } from '../groups/group.js';
import type { Irrep } from '../reps/irrep.js';
import { orthRep } from '../reps/orth-rep.js';
import { UsageError } from '../util/errors.js';
import { hiddenShare, IRREP_COLUMN as COL, irrepColumn as col, type MetricsRow, TRIVIAL } from './columns.js';
import { crossEntropyFactored, crossEntropyRow, EXP_RANGE_SAFE, expRow, negExpRow } from './cross-entropy.js';
import type { ModelView } from './model-view.js';
import { pairSums } from './pair-sums.js';
import { rowsTimes } from './rows-times.js';

export interface Measurer {
  /** Every progress measure for one checkpoint, in the column order of columns.ts (without `epoch`). */
  measure(view: ModelView, keyReps: readonly string[]): MetricsRow;
}

/** F.cosine_similarity's eps: the similarity is ⟨x, y⟩ / max(‖x‖·‖y‖, eps). */
const COSINE_EPS = 1e-8;

/**
 * Precomputes, for one group, its irreps (in `irreps(G)` order) and one train/test split (row indices
 * r = a·N + b), everything the measures need that does not depend on the model.
 */
export function createMeasurer(group: Group, irreps: readonly Irrep[], train: Int32Array, test: Int32Array): Measurer {
  const N = group.order;
  const NN = N * N;
  const table = group.table;
  const inv = group.inverses;
  const nIrr = irreps.length;
  for (const r of [train, test])
    for (let i = 0; i < r.length; i++)
      if (!(r[i]! >= 0 && r[i]! < NN)) throw new UsageError(`split row ${r[i]} is out of range: rows of ${group.name} are 0..${NN - 1}`);
  if (train.length === 0) throw new UsageError('the train split is empty: the excluded losses need train rows');
  const trainY = Int32Array.from(train, (r) => table[r]!); // label of a train row = its product g
  const nTr = train.length;
  // trainIndex[r] = i where train[i] = r, else −1 (train rows must be distinct: their exps are kept by row)
  const trainIndex = new Int32Array(NN).fill(-1);
  for (let i = 0; i < nTr; i++) {
    if (trainIndex[train[i]!]! >= 0) throw new UsageError(`split: train row ${train[i]} is listed twice`);
    trainIndex[train[i]!] = i;
  }

  // conjugacy classes: gcClass[g·N + c] = class of g c⁻¹; the identity's class is {1}
  const { classes, classOf } = conjugacyClasses(group);
  const nK = classes.length;
  const classSize = Float64Array.from(classes, (k) => k.length);
  const eK = classOf[group.identity]!;
  if (classes[eK]!.length !== 1) throw new Error(`createMeasurer: the identity's class of ${group.name} is not {1}`);
  const gcClass = new Int32Array(NN);
  for (let g = 0; g < N; g++) for (let c = 0; c < N; c++) gcClass[g * N + c] = classOf[table[g * N + inv[c]!]!]!;

  // per irrep: χ on classes, Σ_x χ(x)², and the true coefficient span Q_ρ placed in Qall [N, R]
  const names = irreps.map((rho) => rho.name);
  const nontrivial = irreps.map((rho) => rho.name !== TRIVIAL);
  const chiClass = new Float64Array(nIrr * nK);
  const sumChi2 = new Float64Array(nIrr);
  const rank = new Int32Array(nIrr);
  const qOff = new Int32Array(nIrr + 1);
  const spans = irreps.map((rho, i) => {
    if (rho.character.length !== N) throw new Error(`createMeasurer: irrep ${rho.name} has ${rho.character.length} character values, expected ${N} for ${group.name}`);
    for (let k = 0; k < nK; k++) chiClass[i * nK + k] = rho.character[classes[k]![0]!]!;
    for (let x = 0; x < N; x++) sumChi2[i] += rho.character[x]! ** 2;
    const q = orthRep(group, rho);
    rank[i] = q.length / N;
    qOff[i + 1] = qOff[i]! + rank[i]!;
    return q;
  });
  const R = qOff[nIrr]!;
  const Qall = new Float64Array(N * R); // [N, R]
  const QallT = new Float64Array(R * N); // [R, N]
  spans.forEach((q, i) => {
    const r = rank[i]!;
    for (let g = 0; g < N; g++)
      for (let j = 0; j < r; j++) {
        Qall[g * R + qOff[i]! + j] = q[g * r + j]!;
        QallT[(qOff[i]! + j) * N + g] = q[g * r + j]!;
      }
  });

  // scratch, reused across calls (only numbers leave `measure`)
  const E = new Float64Array(nTr * N); // exp(L − max) on train rows
  const eRange = new Float64Array(nTr);
  const classSums = new Float64Array(nTr * nK);
  const M = new Float64Array(NN);
  const rowLoss = new Float64Array(NN);
  const rowHit = new Uint8Array(NN);
  const mk = new Float64Array(nK);
  const f = new Float64Array(nK);
  const W = new Float64Array(nK);
  const tmp = new Float64Array(N);
  const V = new Float64Array(NN);
  const C = new Float64Array(R * N);
  const Rrho = new Float64Array(NN);
  const RK = new Float64Array(NN);
  const F = new Float64Array(NN);
  const fRange = new Float64Array(N);
  let hiddenScratch: { h: number; Sa: Float64Array; Sb: Float64Array; Sg: Float64Array; mu: Float64Array; P: Float64Array } | undefined;
  let huScratch: { HU: Float64Array; EH: Float64Array; eRangeH: Float64Array } | undefined;

  /** Sum over irrep blocks of ‖rows of X [R, w]‖², per irrep. */
  function blockSquares(X: Float64Array, w: number, out: Float64Array): void {
    for (let i = 0; i < nIrr; i++) {
      let s = 0;
      for (let p = qOff[i]! * w; p < qOff[i + 1]! * w; p++) s += X[p]! * X[p]!;
      out[i] = s;
    }
  }

  /** Mean over train rows of CE(L − f(class of g c⁻¹)), label g (the logit excluded loss). */
  function logitExcluded(L: Float64Array): number {
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
  function logitRestricted(): number {
    let fm = -Infinity;
    let km = 0;
    for (let k = 0; k < nK; k++)
      if (f[k]! > fm) {
        fm = f[k]!;
        km = k;
      }
    let s = classSize[km]! - 1;
    for (let k = 0; k < nK; k++) if (k !== km) s += classSize[k]! * Math.exp(f[k]! - fm);
    return Math.log1p(s) + (fm - f[eK]!);
  }

  /** Mean over g of CE(Rm[g], g): the hidden restricted loss (each product is N rows with label g). */
  function hiddenRestricted(Rm: Float64Array): number {
    let s = 0;
    for (let g = 0; g < N; g++) s += crossEntropyRow(Rm, g * N, N, g);
    return s / N;
  }

  /** Mean over train rows of CE(HU[r] − Rm[a·b]): the hidden excluded loss. */
  function hiddenExcluded(Rm: Float64Array, HU: Float64Array, huRows: Int32Array | undefined, EH: Float64Array, eRangeH: Float64Array): number {
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

  function measure(view: ModelView, keyReps: readonly string[]): MetricsRow {
    const h = view.h;
    const ew = view.embedWidth;
    if (view.N !== N) throw new UsageError(`model view is for a group of order ${view.N}, but the measurer is for ${group.name} (order ${N})`);
    const shapes: [string, Float64Array, number][] = [
      ['E_a', view.E_a, N * ew],
      ['E_b', view.E_b, N * ew],
      ['hidden', view.hidden, NN * h],
      ['U', view.U, h * N],
      ['logits', view.logits, NN * N],
    ];
    for (const [name, a, len] of shapes) if (a.length !== len) throw new Error(`model view: ${name} has ${a.length} entries, expected ${len}`);
    const K: number[] = [];
    for (const name of keyReps) {
      const i = names.indexOf(name);
      if (i < 0) throw new UsageError(`key rep ${JSON.stringify(name)} is not an irrep of ${group.name}; expected one of ${names.join(', ')}`);
      if (K.includes(i)) throw new UsageError(`key rep ${JSON.stringify(name)} is listed twice`);
      K.push(i);
    }
    const L = view.logits;
    const H = view.hidden;
    const U = view.U;
    const row: MetricsRow = {};

    // ---- 1 + 2. one pass over the logits: per-row CE and hits, exps of the train rows (kept for the
    // excluded losses), ‖L̃‖², and M̃[g] = Σ_{a·b=g} L̃[(a,b)]
    const normL2 = logitPass(L, N, table, trainIndex, E, eRange, rowLoss, rowHit, M);
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

    mk.fill(0);
    for (let p = 0; p < NN; p++) mk[gcClass[p]!] += M[p]!;
    const normL = Math.sqrt(normL2);
    const coef = new Float64Array(nIrr); // P_ρ = coef_ρ · χ_ρ(a·b·c⁻¹)
    const sim = new Float64Array(nIrr);
    let explained = 0;
    for (let i = 0; i < nIrr; i++) {
      let dot = 0;
      for (let k = 0; k < nK; k++) dot += chiClass[i * nK + k]! * mk[k]!;
      const normT = N * Math.sqrt(sumChi2[i]!);
      sim[i] = dot / Math.max(normL * normT, COSINE_EPS);
      coef[i] = (sim[i]! * normL) / normT;
    }
    for (let i = 0; i < nIrr; i++)
      if (nontrivial[i]) {
        row[col(COL.similarity, names[i]!)] = sim[i]!;
        explained += sim[i]! ** 2;
      }
    row.percent_logits_explained = explained;

    // ---- 3. logit excluded / restricted losses
    classSumsOf(E, N, trainY, gcClass, nK, classSums);
    for (let i = 0; i < nIrr; i++) {
      if (!nontrivial[i]) continue;
      for (let k = 0; k < nK; k++) f[k] = coef[i]! * chiClass[i * nK + k]!;
      row[col(COL.logitExcluded, names[i]!)] = logitExcluded(L);
      row[col(COL.logitRestricted, names[i]!)] = logitRestricted();
    }
    f.fill(0);
    for (const i of K) for (let k = 0; k < nK; k++) f[k] += coef[i]! * chiClass[i * nK + k]!;
    row.total_logit_excluded_loss = logitExcluded(L);
    row.total_logit_restricted_loss = logitRestricted();

    // ---- 4. embeddings and unembedding: Q_ρᵀ E for all ρ at once (QallT [R, N])
    const xEmbed = new Float64Array(nIrr);
    const yEmbed = new Float64Array(nIrr);
    const unembed = new Float64Array(nIrr);
    blockSquares(rowsTimes(QallT, null, N, view.E_a, ew), ew, xEmbed); // [R, N] x [N, ew] -> [R, ew]
    blockSquares(rowsTimes(QallT, null, N, view.E_b, ew), ew, yEmbed);
    const UQ = rowsTimes(U, null, N, Qall, R); // [h, N] x [N, R] -> [h, R]: column j = (Q_jᵀ Uᵀ)ᵀ
    for (let i = 0; i < nIrr; i++) {
      let s = 0;
      for (let p = 0; p < h; p++) for (let j = qOff[i]!; j < qOff[i + 1]!; j++) s += UQ[p * R + j]! ** 2;
      unembed[i] = s;
    }
    const nEa = sumSquares(view.E_a);
    const nEb = sumSquares(view.E_b);
    const nU = sumSquares(U);
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

    // ---- 5. hidden layer: sums over b, over a, over pairs with one product
    if (!hiddenScratch || hiddenScratch.h !== h)
      hiddenScratch = { h, Sa: new Float64Array(N * h), Sb: new Float64Array(N * h), Sg: new Float64Array(N * h), mu: new Float64Array(h), P: new Float64Array(R * h) };
    const { Sa, Sb, Sg, mu, P } = hiddenScratch;
    const normH2 = pairSums(H, N, h, table, Sa, Sb, Sg); // [N², h] -> 3 x [N, h], ‖H̄‖²
    mu.fill(0);
    for (let a = 0; a < N; a++) for (let j = 0; j < h; j++) mu[j] += Sa[a * h + j]!;
    for (let j = 0; j < h; j++) mu[j] = mu[j]! / NN;
    // H_ρ U = R_ρ[a·b], R_ρ = Q_ρ Q_ρᵀ V, V = (S_g / N) U (uncentred H)
    rowsTimes(Sg, null, h, U, N, V); // [N, h] x [h, N] -> [N, N]
    for (let p = 0; p < NN; p++) V[p] = V[p]! / N;
    rowsTimes(QallT, null, N, V, N, C); // [R, N] x [N, N] -> [R, N]
    // centre the sums: Σ_b H̄[(a,b)] = S_a[a] − N·mu
    for (const S of [Sa, Sb, Sg]) for (let a = 0; a < N; a++) for (let j = 0; j < h; j++) S[a * h + j] -= N * mu[j]!;
    const hx = new Float64Array(nIrr);
    const hy = new Float64Array(nIrr);
    const hxy = new Float64Array(nIrr);
    for (const [S, out] of [
      [Sa, hx],
      [Sb, hy],
      [Sg, hxy],
    ] as const) {
      rowsTimes(QallT, null, N, S, h, P); // [R, N] x [N, h] -> [R, h]
      blockSquares(P, h, out);
      for (let i = 0; i < nIrr; i++) out[i] = out[i]! / N / normH2;
    }

    // H U on the train rows: the view's logits for the MLP and the bilinear model, computed for the transformer
    let HU: Float64Array;
    let huRows: Int32Array | undefined;
    let EH: Float64Array;
    let eRangeH: Float64Array;
    if (view.kind === 'transformer') {
      if (!huScratch) huScratch = { HU: new Float64Array(nTr * N), EH: new Float64Array(nTr * N), eRangeH: new Float64Array(nTr) };
      ({ EH, eRangeH } = huScratch);
      // the transformer view's hidden · U over all N² rows (modelView computes it on the way to the logits);
      // a view without it (or of another size) has the train rows multiplied here
      const given = view.hiddenU;
      if (given && given.length === NN * N) {
        HU = given;
        huRows = train;
      } else {
        HU = huScratch.HU;
        rowsTimes(H, train, h, U, N, HU); // [nTr, h] x [h, N] -> [nTr, N]
        huRows = undefined;
      }
      for (let i = 0; i < nTr; i++) expRow(HU, (huRows ? huRows[i]! : i) * N, N, EH, i * N, eRangeH, i);
    } else {
      HU = L;
      huRows = train;
      EH = E;
      eRangeH = eRange;
    }
    const totalHidden = new Float64Array(nIrr);
    RK.fill(0);
    const inK = new Uint8Array(nIrr);
    for (const i of K) inK[i] = 1;
    for (let i = 0; i < nIrr; i++) {
      // R_ρ[g, c] = Σ_{j ∈ ρ} Qall[g, j] C[j, c]: [N, r] x [r, N] -> [N, N]
      blockProduct(Qall, R, C, N, qOff[i]!, qOff[i + 1]!, Rrho);
      if (inK[i]) for (let p = 0; p < NN; p++) RK[p] += Rrho[p]!;
      totalHidden[i] = hx[i]! + hy[i]! + hxy[i]!;
      row[col(COL.hiddenX, names[i]!)] = hx[i]!;
      row[col(COL.hiddenY, names[i]!)] = hy[i]!;
      row[col(COL.hiddenXY, names[i]!)] = hxy[i]!;
      row[col(COL.totalHidden, names[i]!)] = totalHidden[i]!;
      row[col(COL.hidden, names[i]!)] = hiddenShare(names[i]!, hx[i]!, hy[i]!, hxy[i]!);
      row[col(COL.hiddenExcluded, names[i]!)] = hiddenExcluded(Rrho, HU, huRows, EH, eRangeH);
      row[col(COL.hiddenRestricted, names[i]!)] = hiddenRestricted(Rrho);
    }
    row.percent_hidden_explained = sumOver(K, totalHidden);
    row.percent_hidden_xy_explained = sumOver(K, hxy);
    row.total_hidden_excluded_loss = hiddenExcluded(RK, HU, huRows, EH, eRangeH);
    const totalRestricted = hiddenRestricted(RK);
    row.total_hidden_restricted_loss = totalRestricted;

    // ---- 7. other
    row.test_loss_restricted_loss_ratio = testLoss / totalRestricted;
    row.sum_of_squared_weights = view.sumOfSquaredWeights;
    return row;
  }

  return { measure };
}

/**
 * One pass over the logits L [N², N]. Per row r: rowLoss[r] = CE (crossEntropyRow's form), rowHit[r] =
 * argmax is the label; for train rows (trainIndex[r] = i ≥ 0) E[i] = exp(L[r] − max) and eRange[i] =
 * max − min. M[g] (overwritten) = Σ_{a·b=g} (L[r] − mean L[r]). Returns ‖L − row means‖².
 */
function logitPass(
  L: Float64Array,
  N: number,
  table: Int32Array,
  trainIndex: Int32Array,
  E: Float64Array,
  eRange: Float64Array,
  rowLoss: Float64Array,
  rowHit: Uint8Array,
  M: Float64Array,
): number {
  const NN = N * N;
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
    let s = 0;
    if (i >= 0) {
      const eo = i * N;
      for (let c = 0; c < cm; c++) s += E[eo + c] = Math.exp(L[lo + c]! - m);
      E[eo + cm] = 1;
      for (let c = cm + 1; c < N; c++) s += E[eo + c] = Math.exp(L[lo + c]! - m);
      eRange[i] = m - mn;
    } else {
      for (let c = 0; c < cm; c++) s += Math.exp(L[lo + c]! - m);
      for (let c = cm + 1; c < N; c++) s += Math.exp(L[lo + c]! - m);
    }
    const y = table[r]!;
    rowLoss[r] = Math.log1p(s) + (m - L[lo + y]!);
    rowHit[r] = cm === y ? 1 : 0;
    const go = y * N;
    for (let c = 0; c < N; c++) {
      const d = L[lo + c]! - mean;
      normL2 += d * d;
      M[go + c] += d;
    }
  }
  return normL2;
}

/** S[i, k] (overwritten) = Σ_c E[i, c] over the c with g_i c⁻¹ in class k (gcClass row g_i = y[i]). */
function classSumsOf(E: Float64Array, N: number, y: Int32Array, gcClass: Int32Array, nK: number, S: Float64Array): void {
  S.fill(0);
  for (let i = 0; i < y.length; i++) {
    const eo = i * N;
    const so = i * nK;
    const go = y[i]! * N;
    for (let c = 0; c < N; c++) S[so + gcClass[go + c]!] += E[eo + c]!;
  }
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
      for (let c = 0; c < N; c++) out[ro + c] += q * C[co + c]!;
    }
  }
}

function sumSquares(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * a[i]!;
  return s;
}

function sumOver(K: readonly number[], v: Float64Array): number {
  let s = 0;
  for (const i of K) s += v[i]!;
  return s;
}
