/**
 * The progress measures on the GPU (backend 'webgpu'): the same row as createMeasurer (src/measures/fast.ts),
 * for the MLP, the bilinear net and the transformer, from the parameters, without an N²-row array on the host. The N² × N
 * logits are computed in float32, one block of whole a-rows at a time (BLOCK_FLOATS floats), and reduced
 * on the GPU (measure-wgsl.ts) to exactly what the fast path's formulas read (docs/measures.md "Fast path"):
 *
 *   per row r of the N² pairs        CE at the label, argmax = label, Σ_c (L − mean)²          [N², 4]
 *   per product g                    M̃[g] = Σ_{a·b=g} (L[(a,b)] − row mean)                    [N, N]
 *   per train row and class k        max and Σ exp(L − max) over the c with a·b·c⁻¹ in class k   [nTr, nK, 2]
 *   hidden sums                      S_a, S_b, S_g and the centred sum of squares                [4, N, h]
 *   per train row and correction     CE(H U − R_ρ[a·b]) for every irrep ρ and for K             [nTr, nIrr + 1]
 *   per product and correction       CE(R_ρ[g], g)                                               [nIrr + 1, N]
 *
 * with R_ρ = Q_ρ Q_ρᵀ (S_g U / N) computed on the GPU too (three matmuls). The host then runs the fast path's
 * own small formulas in float64 (splitLosses, classSumsOfM, logitSimilarities, logitRestricted,
 * embeddingMeasures, sharesFromSums). The logit excluded loss of a cube is a log-sum-exp over the classes of
 * the per-class parts, exact in any logit range. Values agree with the CPU measurer to float32 rounding of
 * the logits (docs/gpu.md, "Progress measures on the GPU").
 *
 * The group's and split's buffers and the passes after the logits are webgpu-measure-passes.ts's; the model
 * parts fill the logits blocks and the hidden sums: the MLP's and the bilinear net's below, from E_a and E_b
 * without storing the hidden layer, the transformer's in webgpu-transformer-measures.ts, by its own forward.
 */
import type { Group } from '../groups/group.js';
import { IRREP_COLUMN as COL, irrepColumn as col, type MetricsRow } from './columns.js';
import { crossEntropyFromExpSum, EXP_RANGE_SAFE } from './cross-entropy.js';
import { embeddingMeasures, keyIndices } from './fast.js';
import { hiddenColumns, sharesFromSums } from './fast-hidden.js';
import { classSumsOfM, logitRestricted, logitSimilarities, splitLosses } from './fast-logits.js';
import { fastTables, type FastTables } from './fast-tables.js';
import { factoredView, transformerSmallView, type SmallView } from './model-view.js';
import { blockReductions, f32, fixedPart, hiddenBuffers, rallPasses, u32, type FixedPart, type ModelPart } from './webgpu-measure-passes.js';
import { TF_HIDDEN_WIDTH, transformerPart } from './webgpu-transformer-measures.js';
import type { Irrep } from '../reps/irrep.js';
import type { ModelKind, NamedTensor } from '../types/trainer.js';
import { UsageError } from '../util/errors.js';
import { checkDevice, type GpuContext } from '../gpu/device.js';
import { GpuKit, linearGrid, type Pass } from '../gpu/kernels.js';
import { BLOCK_LOGITS_WGSL, HIDDEN_SUMS_WGSL } from '../gpu/measure-wgsl.js';

/** The logits of one block are at most this many floats (64 MiB), and at least one a-row (N² floats). */
export const BLOCK_FLOATS = 1 << 24;

/** The per-class parts of the train rows' logits are read back; above this many floats (abelian groups of large order, nK = N) the measurer refuses. */
export const MAX_CLASS_FLOATS = 1 << 26;

export interface GpuMeasurer {
  /** Every progress measure of the model with these parameters, as createMeasurer(...).measure(modelView(...), keyReps). */
  measure(params: readonly NamedTensor[], keyReps: readonly string[]): Promise<MetricsRow>;
  /** Frees the measurer's GPU buffers (not the device). */
  dispose(): void;
}

/** What the GPU part reads back for one measure (and the hidden shift it used). */
interface GpuSums {
  st: Float32Array;
  Mv: Float32Array;
  cl: Float32Array;
  he: Float32Array;
  hr: Float32Array;
  sums: Float32Array;
  shift: Float32Array;
}

/**
 * A measurer of models of `kind` over `group` (irreps in irreps(G) order, train/test row indices r = a·N + b)
 * on the device of `ctx`. Its measure calls run one at a time (a later call waits for the earlier one).
 * `blockFloats` (default BLOCK_FLOATS) bounds the logits block, and the transformer's hidden block (tests use
 * small blocks).
 */
export function createGpuMeasurer(
  ctx: GpuContext,
  group: Group,
  irreps: readonly Irrep[],
  kind: ModelKind,
  train: Int32Array,
  test: Int32Array,
  opts: { blockFloats?: number } = {},
): GpuMeasurer {
  if (!(['mlp', 'bilinear', 'transformer'] as const).includes(kind))
    throw new UsageError(`the GPU measurer is for the mlp, bilinear and transformer models, not "${kind}"`);
  const t = fastTables(group, irreps, train, test);
  const { N, nTr, nK } = t;
  if (2 * nTr * nK > MAX_CLASS_FLOATS)
    throw new UsageError(
      `backend "webgpu": the measures of ${group.name} (${nK} conjugacy classes) need ${2 * nTr * nK} floats of class sums, above ${MAX_CLASS_FLOATS}: use --backend wasm`,
    );
  const device = ctx.device;
  const kit = new GpuKit(device);
  const blockFloats = opts.blockFloats ?? BLOCK_FLOATS;
  const fixed = fixedPart(kit, t, blockFloats, kind === 'transformer' ? TF_HIDDEN_WIDTH : N);

  /** The model part, made at the first measure (the MLP's and bilinear net's again when h changes). */
  let part: ModelPart | null = null;
  const viewOf = (params: readonly NamedTensor[]): SmallView =>
    kind === 'transformer' ? transformerSmallView(params, N) : factoredView(kind, params, N);

  let queue: Promise<unknown> = Promise.resolve();
  const measureOnce = async (params: readonly NamedTensor[], keyReps: readonly string[]): Promise<MetricsRow> => {
    checkDevice(ctx);
    const K = keyIndices(t, keyReps);
    const f = viewOf(params);
    device.pushErrorScope('validation');
    if (!part || part.h !== f.h) {
      part?.kit.destroy();
      part = kind === 'transformer' ? transformerPart(device, t, fixed) : factoredPart(device, t, fixed, kind === 'mlp' ? 1 : 0, f.h);
    }
    const g = await gpuPart(ctx, kit, t, fixed, part, params, f, K);
    return hostPart(t, f, K, g);
  };
  return {
    measure(params, keyReps) {
      const p = queue.then(() => measureOnce(params, keyReps));
      queue = p.catch(() => {});
      return p;
    },
    dispose() {
      part?.kit.destroy();
      part = null;
      kit.destroy();
    },
  };
}

/**
 * The MLP's (mlp = 1) or the bilinear net's (mlp = 0) part of hidden width h: the hidden sums straight from
 * E_a and E_b, and each block's logits H · U with H recomputed as it is loaded (pipelines compiled once per
 * device).
 */
function factoredPart(device: GPUDevice, t: FastTables, x: FixedPart, mlp: number, h: number): ModelPart {
  const { N } = t;
  const k = GpuKit.sharing(device);
  const emb = k.storage('embeddings E_a, E_b', 2 * N * h);
  const hb = hiddenBuffers(k, N, h);
  const passes: Pass[] = [];
  passes.push(k.pass(HIDDEN_SUMS_WGSL, [k.uniform(u32(N, h, mlp, 0)), emb, x.bOfBuf, hb.shift, hb.sums], linearGrid(3 * N * h)));
  passes.push(...rallPasses(k, t, x, { h, ...hb }));
  for (const b of x.blocks) {
    const rows = b.nA * N;
    passes.push(
      k.pass(BLOCK_LOGITS_WGSL, [k.uniform(u32(N, h, mlp, b.a0, rows, 0, 0, 0)), emb, hb.U, x.Lblk], [Math.ceil(N / 64), Math.ceil(rows / 64), 1]),
    );
    passes.push(...blockReductions(k, t, x, b, x.Lblk));
  }
  const write = (_params: readonly NamedTensor[], f: SmallView) => {
    const q = device.queue;
    const e = new Float32Array(2 * N * h);
    e.set(f.E_a);
    e.set(f.E_b, N * h);
    q.writeBuffer(emb, 0, e);
    // the centred sum of squares is taken around H[(0,0)] (as pairSums takes it around row 0)
    const shift = new Float32Array(h);
    for (let j = 0; j < h; j++) shift[j] = mlp ? Math.max(f.E_a[j]! + f.E_b[j]!, 0) : f.E_a[j]! * f.E_b[j]!;
    q.writeBuffer(hb.shift, 0, shift);
  };
  return { h, kit: k, ...hb, clear: [], passes, write };
}

/** Runs the part's passes for the model (inside the validation error scope the caller pushed), and reads back every reduction. */
async function gpuPart(
  ctx: GpuContext,
  kit: GpuKit,
  t: FastTables,
  x: FixedPart,
  b: ModelPart,
  params: readonly NamedTensor[],
  f: SmallView,
  K: readonly number[],
): Promise<GpuSums> {
  const { N, NN, nTr, nK, nIrr, R } = t;
  const nE = nIrr + 1;
  const h = f.h;
  const device = ctx.device;
  const q = device.queue;
  q.writeBuffer(b.U, 0, f32(f.U));
  q.writeBuffer(
    b.Us,
    0,
    Float32Array.from(f.U, (v) => v / N),
  );
  b.write(params, f);
  const QK = new Float32Array(N * R);
  for (const i of K) for (let g = 0; g < N; g++) for (let j = t.qOff[i]!; j < t.qOff[i + 1]!; j++) QK[g * R + j] = t.Qall[g * R + j]!;
  q.writeBuffer(x.QKBuf, 0, QK);
  const enc = device.createCommandEncoder();
  for (const buf of [x.M, x.Mc, ...b.clear]) enc.clearBuffer(buf);
  GpuKit.record(enc, b.passes);
  q.submit([enc.finish()]);
  const err = await device.popErrorScope();
  if (err) throw new Error(`GPU measurer: ${err.message}`);
  // the host uses the very float32 shift the GPU did
  const [st, Mv, cl, he, hr, sums, shift] = await kit.readAll([
    [x.stats, NN * 4],
    [x.M, NN],
    [x.cls, nTr * nK * 2],
    [x.hex, nTr * nE],
    [x.hres, nE * N],
    [b.sums, 4 * N * h],
    [b.shift, h],
  ]);
  checkDevice(ctx);
  return { st: st!, Mv: Mv!, cl: cl!, he: he!, hr: hr!, sums: sums!, shift: shift! };
}

/** The measures' row from the read-back sums, by the fast path's own formulas in float64. */
function hostPart(t: FastTables, f: SmallView, K: readonly number[], g: GpuSums): MetricsRow {
  const { N, NN, nTr, nK, nIrr } = t;
  const nE = nIrr + 1;
  const row: MetricsRow = {};
  // losses and accuracies
  const rowLoss = new Float64Array(NN);
  const rowHit = new Float64Array(NN);
  let normL2 = 0;
  for (let r = 0; r < NN; r++) {
    rowLoss[r] = g.st[4 * r]!;
    rowHit[r] = g.st[4 * r + 1]!;
    normL2 += g.st[4 * r + 3]!;
  }
  const testLoss = splitLosses(t, rowLoss, rowHit, row);
  // logit similarities and cube losses
  const mk = new Float64Array(nK);
  classSumsOfM(t, g.Mv, mk);
  const coef = logitSimilarities(t, mk, normL2, row);
  const cube = classParts(t, g.cl);
  const fk = new Float64Array(nK);
  for (let i = 0; i < nIrr; i++) {
    if (!t.nontrivial[i]) continue;
    for (let k = 0; k < nK; k++) fk[k] = coef[i]! * t.chiClass[i * nK + k]!;
    row[col(COL.logitExcluded, t.names[i]!)] = cubeExcluded(t, cube, fk);
    row[col(COL.logitRestricted, t.names[i]!)] = logitRestricted(t, fk);
  }
  fk.fill(0);
  for (const i of K) for (let k = 0; k < nK; k++) fk[k]! += coef[i]! * t.chiClass[i * nK + k]!;
  row.total_logit_excluded_loss = cubeExcluded(t, cube, fk);
  row.total_logit_restricted_loss = logitRestricted(t, fk);
  // embeddings
  embeddingMeasures(t, f, K, row);
  // hidden
  const h = f.h;
  const nh = N * h;
  const Sa = Float64Array.from(g.sums.subarray(0, nh));
  const Sb = Float64Array.from(g.sums.subarray(nh, 2 * nh));
  const Sg = Float64Array.from(g.sums.subarray(2 * nh, 3 * nh));
  let ss = 0;
  for (let p = 3 * nh; p < 4 * nh; p++) ss += g.sums[p]!;
  let shiftSq = 0;
  for (let j = 0; j < h; j++) {
    let c = 0;
    for (let a = 0; a < N; a++) c += Sa[a * h + j]!;
    shiftSq += (c / NN - g.shift[j]!) ** 2;
  }
  const { hx, hy, hxy } = sharesFromSums(t, h, Sa, Sb, Sg, ss - NN * shiftSq);
  const meanOf = (a: Float32Array, e: number, stride: number, n: number, step: number) => {
    let s = 0;
    for (let p = 0; p < n; p++) s += a[e * step + p * stride]!;
    return s / n;
  };
  const excluded = (e: number) => meanOf(g.he, e, nE, nTr, 1);
  const restricted = (e: number) => meanOf(g.hr, e, 1, N, N);
  const totalRestricted = hiddenColumns(t, K, hx, hy, hxy, row, (i) => [excluded(i), restricted(i)]);
  row.test_loss_restricted_loss_ratio = testLoss / totalRestricted;
  row.sum_of_squared_weights = f.sumOfSquaredWeights;
  return row;
}

/**
 * The train rows' class parts as fast-logits' logit pass would have them: per train row i, e[i, k] =
 * exp(b_k − max_k b) with b_k = log Σ_{c in class k} exp(L_c) (from the GPU's max and shifted sum), the
 * range max − min of b, and b itself for the direct fallback.
 */
interface CubeParts {
  e: Float64Array;
  b: Float64Array;
  range: Float64Array;
}

function classParts(t: FastTables, cl: Float32Array): CubeParts {
  const { nTr, nK } = t;
  const b = new Float64Array(nTr * nK);
  const e = new Float64Array(nTr * nK);
  const range = new Float64Array(nTr);
  for (let i = 0; i < nTr; i++) {
    let hi = -Infinity;
    let lo = Infinity;
    for (let k = 0; k < nK; k++) {
      const p = i * nK + k;
      const v = cl[2 * p]! + Math.log(cl[2 * p + 1]!);
      b[p] = v;
      if (v > hi) hi = v;
      if (v < lo) lo = v;
    }
    for (let k = 0; k < nK; k++) e[i * nK + k] = Math.exp(b[i * nK + k]! - hi);
    range[i] = hi - lo;
  }
  return { e, b, range };
}

/**
 * Mean over train rows of CE(L − f(class of y c⁻¹)), label y: per row, the log-sum-exp over the classes of
 * b_k − f_k, minus b_eK − f_eK (the identity's class holds c = y alone). As fast-logits' logitExcluded: a dot
 * product with W = exp(−f − max(−f)) while no product underflows, else the direct form.
 */
function cubeExcluded(t: FastTables, { e, b, range }: CubeParts, f: Float64Array): number {
  const { nK, nTr, eK } = t;
  let wmax = -Infinity;
  let wmin = Infinity;
  for (let k = 0; k < nK; k++) {
    wmax = Math.max(wmax, -f[k]!);
    wmin = Math.min(wmin, -f[k]!);
  }
  const W = Float64Array.from(f, (x) => Math.exp(-x - wmax));
  const wr = wmax - wmin;
  let sum = 0;
  for (let i = 0; i < nTr; i++) {
    const so = i * nK;
    if (range[i]! + wr < EXP_RANGE_SAFE) {
      let rest = 0;
      for (let k = 0; k < nK; k++) if (k !== eK) rest += W[k]! * e[so + k]!;
      sum += Math.log1p(rest / (W[eK]! * e[so + eK]!));
    } else {
      let A = -Infinity;
      let km = 0;
      for (let k = 0; k < nK; k++)
        if (b[so + k]! - f[k]! > A) {
          A = b[so + k]! - f[k]!;
          km = k;
        }
      let rest = 0;
      for (let k = 0; k < nK; k++) if (k !== km) rest += Math.exp(b[so + k]! - f[k]! - A);
      sum += crossEntropyFromExpSum(rest, A, b[so + eK]! - f[eK]!);
    }
  }
  return sum / nTr;
}
