/**
 * The progress measures on the GPU (backend 'webgpu'): the same row as createMeasurer (src/measures/fast.ts),
 * for the MLP and the bilinear net, from the parameters, without an N²-row array on the host. The N² × N
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
 * The transformer is not here: its view needs its own forward; gpuRunMeasuring measures it on the CPU.
 */
import type { Group } from '../groups/group.js';
import { IRREP_COLUMN as COL, irrepColumn as col, type MetricsRow } from './columns.js';
import { crossEntropyFromExpSum, EXP_RANGE_SAFE } from './cross-entropy.js';
import { embeddingMeasures, keyIndices } from './fast.js';
import { hiddenColumns, sharesFromSums } from './fast-hidden.js';
import { classSumsOfM, logitRestricted, logitSimilarities, splitLosses } from './fast-logits.js';
import { fastTables, type FastTables } from './fast-tables.js';
import { factoredView, type FactoredView } from './model-view.js';
import type { Irrep } from '../reps/irrep.js';
import type { NamedTensor } from '../types/trainer.js';
import { UsageError } from '../util/errors.js';
import { checkDevice, type GpuContext } from '../gpu/device.js';
import { GpuKit, linearGrid, matmulPass, type MatmulArgs, type Pass } from '../gpu/kernels.js';
import {
  BLOCK_LOGITS_WGSL,
  CLASS_STATS_WGSL,
  HIDDEN_EXCLUDED_WGSL,
  HIDDEN_RESTRICTED_WGSL,
  HIDDEN_SUMS_WGSL,
  PRODUCT_SUMS_WGSL,
  ROW_STATS_WGSL,
} from '../gpu/measure-wgsl.js';

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

/** A 2-D grid of `n` workgroups. */
function wgGrid(n: number): [number, number, number] {
  const x = Math.min(Math.max(1, n), 65535);
  return [x, Math.ceil(n / x), 1];
}

const u32 = (...w: number[]) => Uint32Array.from(w);
const f32 = (a: ArrayLike<number>) => Float32Array.from(a as ArrayLike<number>);

/** One block of whole a-rows a0 .. a0 + nA − 1, and its train rows trRows[trOff .. trOff + count − 1]. */
interface Block {
  a0: number;
  nA: number;
  trOff: number;
  count: number;
}

/** What depends only on the group, irreps and split, as GPU buffers, and the logits blocks. */
interface FixedPart {
  blocks: Block[];
  tableBuf: GPUBuffer;
  /** a⁻¹ g at g·N + a   [N, N] */
  bOfBuf: GPUBuffer;
  /** per g: the c sorted by the class of g c⁻¹   [N, N]; class k's part at kOff[k] .. kOff[k + 1] − 1 */
  ordCBuf: GPUBuffer;
  kOffBuf: GPUBuffer;
  /** (row r, train index i) of the train rows sorted by r   [nTr, 2] */
  trRowsBuf: GPUBuffer;
  QallTBuf: GPUBuffer;
  QallBuf: GPUBuffer;
  /** Qall with only the key irreps' columns   [N, R] */
  QKBuf: GPUBuffer;
  V: GPUBuffer;
  C: GPUBuffer;
  Rall: GPUBuffer;
  Lblk: GPUBuffer;
  stats: GPUBuffer;
  M: GPUBuffer;
  Mc: GPUBuffer;
  cls: GPUBuffer;
  hex: GPUBuffer;
  hres: GPUBuffer;
}

/** The h-dependent buffers and the recorded passes (their kit owns them). */
interface HPart {
  h: number;
  emb: GPUBuffer;
  U: GPUBuffer;
  Us: GPUBuffer;
  shift: GPUBuffer;
  sums: GPUBuffer;
  passes: Pass[];
  kit: GpuKit;
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
 * A measurer of the MLP or bilinear models over `group` (irreps in irreps(G) order, train/test row indices
 * r = a·N + b) on the device of `ctx`. Its measure calls run one at a time (a later call waits for the
 * earlier one). `blockFloats` (default BLOCK_FLOATS) bounds the logits block (tests use small blocks).
 */
export function createGpuMeasurer(
  ctx: GpuContext,
  group: Group,
  irreps: readonly Irrep[],
  kind: 'mlp' | 'bilinear',
  train: Int32Array,
  test: Int32Array,
  opts: { blockFloats?: number } = {},
): GpuMeasurer {
  if ((kind as string) !== 'mlp' && (kind as string) !== 'bilinear')
    throw new UsageError(`the GPU measurer is for the mlp and bilinear models, not "${kind}": use --backend wasm`);
  const t = fastTables(group, irreps, train, test);
  const { N, nTr, nK } = t;
  if (2 * nTr * nK > MAX_CLASS_FLOATS)
    throw new UsageError(
      `backend "webgpu": the measures of ${group.name} (${nK} conjugacy classes) need ${2 * nTr * nK} floats of class sums, above ${MAX_CLASS_FLOATS}: use --backend wasm`,
    );
  const device = ctx.device;
  const kit = new GpuKit(device);
  const fixed = fixedPart(kit, t, opts.blockFloats ?? BLOCK_FLOATS);

  /** The h-dependent part, made at the first measure with that h. */
  let byH: HPart | null = null;
  const mlp = kind === 'mlp' ? 1 : 0;

  let queue: Promise<unknown> = Promise.resolve();
  const measureOnce = async (params: readonly NamedTensor[], keyReps: readonly string[]): Promise<MetricsRow> => {
    checkDevice(ctx);
    const K = keyIndices(t, keyReps);
    const f = factoredView(kind, params, N);
    device.pushErrorScope('validation');
    if (!byH || byH.h !== f.h) {
      byH?.kit.destroy();
      byH = hPart(device, t, fixed, mlp, f.h);
    }
    const g = await gpuPart(ctx, kit, t, fixed, byH, mlp, f, K);
    return hostPart(t, f, K, g);
  };
  return {
    measure(params, keyReps) {
      const p = queue.then(() => measureOnce(params, keyReps));
      queue = p.catch(() => {});
      return p;
    },
    dispose() {
      byH?.kit.destroy();
      byH = null;
      kit.destroy();
    },
  };
}

/** The host-side index tables of the group and split, and the buffers every h shares. */
function fixedPart(kit: GpuKit, t: FastTables, blockFloats: number): FixedPart {
  const { group, train, N, NN, nTr, nK, nIrr, R } = t;
  const nE = nIrr + 1; // hidden corrections: every irrep, then K
  const table = group.table;
  const bOf = new Uint32Array(NN); // a⁻¹ g at g·N + a
  for (let g = 0; g < N; g++) for (let a = 0; a < N; a++) bOf[g * N + a] = table[group.inverses[a]! * N + g]!;
  const kOff = new Uint32Array(nK + 1);
  for (let k = 0; k < nK; k++) kOff[k + 1] = kOff[k]! + t.classSize[k]!;
  const ordC = new Uint32Array(NN); // per g: the c sorted by the class of g c⁻¹
  for (let g = 0; g < N; g++) {
    const fill = kOff.slice(0, nK);
    for (let c = 0; c < N; c++) ordC[g * N + fill[t.gcClass[g * N + c]!]!++] = c;
    for (let k = 0; k < nK; k++)
      if (fill[k] !== kOff[k + 1]) throw new Error(`createGpuMeasurer: class ${k} of ${group.name} has the wrong size at g = ${g}`);
  }
  const order = Array.from(train.keys()).sort((i, j) => train[i]! - train[j]!);
  const trRows = new Uint32Array(2 * nTr);
  order.forEach((i, p) => {
    trRows[2 * p] = train[i]!;
    trRows[2 * p + 1] = i;
  });
  const nA = Math.max(1, Math.min(N, Math.floor(blockFloats / NN)));
  const blocks: Block[] = [];
  for (let a0 = 0, p = 0; a0 < N; a0 += nA) {
    const n = Math.min(nA, N - a0);
    const start = p;
    while (p < nTr && trRows[2 * p]! < (a0 + n) * N) p++;
    blocks.push({ a0, nA: n, trOff: start, count: p - start });
  }

  return {
    blocks,
    tableBuf: kit.storage('group table', Uint32Array.from(table)),
    bOfBuf: kit.storage('product pairs', bOf),
    ordCBuf: kit.storage('class order', ordC),
    kOffBuf: kit.storage('class offsets', kOff),
    trRowsBuf: kit.storage('train rows', trRows),
    QallTBuf: kit.storage('irrep spans (transposed)', f32(t.QallT)),
    QallBuf: kit.storage('irrep spans', f32(t.Qall)),
    QKBuf: kit.storage('key irrep spans', N * R),
    V: kit.storage('S_g U / N', NN),
    C: kit.storage('Qᵀ S_g U / N', R * N),
    Rall: kit.storage('hidden corrections', nE * NN),
    Lblk: kit.storage('logits block', nA * N * N),
    stats: kit.storage('row statistics', NN * 4),
    M: kit.storage('product sums', NN),
    Mc: kit.storage('product sums compensation', NN),
    cls: kit.storage('class parts', nTr * nK * 2),
    hex: kit.storage('hidden excluded losses', nTr * nE),
    hres: kit.storage('hidden restricted losses', nE * N),
  };
}

/** MATMUL_WGSL on one matrix: C (M×Nc) = A B (offsets and leading dims in floats). */
const matmul = (k: GpuKit, a: Omit<MatmulArgs, 'aStride' | 'bStride' | 'cStride'>): Pass =>
  matmulPass(k, 1, { ...a, aStride: 0, bStride: 0, cStride: 0 });

/** The buffers of hidden width h and the passes of one measure (pipelines compiled once per device). */
function hPart(device: GPUDevice, t: FastTables, x: FixedPart, mlp: number, h: number): HPart {
  const { N, NN, nK, nIrr, R } = t;
  const nE = nIrr + 1;
  const k = GpuKit.sharing(device);
  const emb = k.storage('embeddings E_a, E_b', 2 * N * h);
  const U = k.storage('unembedding', h * N);
  const Us = k.storage('unembedding / N', h * N);
  const shift = k.storage('hidden shift', h);
  const sums = k.storage('hidden sums', 4 * N * h);
  const passes: Pass[] = [];
  passes.push(k.pass(HIDDEN_SUMS_WGSL, [k.uniform(u32(N, h, mlp, 0)), emb, x.bOfBuf, shift, sums], linearGrid(3 * N * h)));
  // V = S_g U / N [N, N]; C = Qallᵀ V [R, N]; Rall[ρ] = Q_ρ C_ρ, Rall[K] = QK C [N, N]
  passes.push(matmul(k, { M: N, Nc: N, K: h, A: sums, aOff: 2 * N * h, lda: h, B: Us, bOff: 0, ldb: N, C: x.V, cOff: 0, ldc: N }));
  passes.push(matmul(k, { M: R, Nc: N, K: N, A: x.QallTBuf, aOff: 0, lda: N, B: x.V, bOff: 0, ldb: N, C: x.C, cOff: 0, ldc: N }));
  for (let i = 0; i < nIrr; i++) {
    const q0 = t.qOff[i]!;
    passes.push(
      matmul(k, {
        M: N,
        Nc: N,
        K: t.qOff[i + 1]! - q0,
        A: x.QallBuf,
        aOff: q0,
        lda: R,
        B: x.C,
        bOff: q0 * N,
        ldb: N,
        C: x.Rall,
        cOff: i * NN,
        ldc: N,
      }),
    );
  }
  passes.push(matmul(k, { M: N, Nc: N, K: R, A: x.QKBuf, aOff: 0, lda: R, B: x.C, bOff: 0, ldb: N, C: x.Rall, cOff: nIrr * NN, ldc: N }));
  passes.push(k.pass(HIDDEN_RESTRICTED_WGSL, [k.uniform(u32(N, nE, 0, 0)), x.Rall, x.hres], linearGrid(nE * N)));
  for (const b of x.blocks) {
    const rows = b.nA * N;
    const rowBase = b.a0 * N;
    passes.push(
      k.pass(BLOCK_LOGITS_WGSL, [k.uniform(u32(N, h, mlp, b.a0, rows, 0, 0, 0)), emb, U, x.Lblk], [Math.ceil(N / 64), Math.ceil(rows / 64), 1]),
    );
    passes.push(k.pass(ROW_STATS_WGSL, [k.uniform(u32(N, rows, rowBase, 0)), x.Lblk, x.tableBuf, x.stats], wgGrid(rows)));
    if (b.count > 0) {
      passes.push(
        k.pass(
          CLASS_STATS_WGSL,
          [k.uniform(u32(N, nK, b.count, b.trOff, rowBase, 0, 0, 0)), x.Lblk, x.trRowsBuf, x.tableBuf, x.ordCBuf, x.kOffBuf, x.cls],
          linearGrid(b.count * nK),
        ),
      );
      passes.push(
        k.pass(
          HIDDEN_EXCLUDED_WGSL,
          [k.uniform(u32(N, nE, b.count, b.trOff, rowBase, 0, 0, 0)), x.Lblk, x.trRowsBuf, x.tableBuf, x.Rall, x.hex],
          linearGrid(b.count * nE),
        ),
      );
    }
    passes.push(k.pass(PRODUCT_SUMS_WGSL, [k.uniform(u32(N, b.a0, b.nA, 0)), x.Lblk, x.stats, x.bOfBuf, x.M, x.Mc], linearGrid(NN)));
  }
  return { h, emb, U, Us, shift, sums, passes, kit: k };
}

/** Runs the passes for `f` and K (inside the validation error scope the caller pushed), and reads back every reduction. */
async function gpuPart(
  ctx: GpuContext,
  kit: GpuKit,
  t: FastTables,
  x: FixedPart,
  b: HPart,
  mlp: number,
  f: FactoredView,
  K: readonly number[],
): Promise<GpuSums> {
  const { N, NN, nTr, nK, nIrr, R } = t;
  const nE = nIrr + 1;
  const h = f.h;
  const device = ctx.device;
  const q = device.queue;
  const emb = new Float32Array(2 * N * h);
  emb.set(f.E_a);
  emb.set(f.E_b, N * h);
  q.writeBuffer(b.emb, 0, emb);
  q.writeBuffer(b.U, 0, f32(f.U));
  q.writeBuffer(
    b.Us,
    0,
    Float32Array.from(f.U, (v) => v / N),
  );
  // the centred sum of squares is taken around H[(0,0)] (as pairSums takes it around row 0); the host
  // uses the very float32 values the GPU does
  const shift = new Float32Array(h);
  for (let j = 0; j < h; j++) shift[j] = mlp ? Math.max(f.E_a[j]! + f.E_b[j]!, 0) : f.E_a[j]! * f.E_b[j]!;
  q.writeBuffer(b.shift, 0, shift);
  const QK = new Float32Array(N * R);
  for (const i of K) for (let g = 0; g < N; g++) for (let j = t.qOff[i]!; j < t.qOff[i + 1]!; j++) QK[g * R + j] = t.Qall[g * R + j]!;
  q.writeBuffer(x.QKBuf, 0, QK);
  const enc = device.createCommandEncoder();
  enc.clearBuffer(x.M);
  enc.clearBuffer(x.Mc);
  GpuKit.record(enc, b.passes);
  q.submit([enc.finish()]);
  const err = await device.popErrorScope();
  if (err) throw new Error(`GPU measurer: ${err.message}`);
  const [st, Mv, cl, he, hr, sums] = await kit.readAll([
    [x.stats, NN * 4],
    [x.M, NN],
    [x.cls, nTr * nK * 2],
    [x.hex, nTr * nE],
    [x.hres, nE * N],
    [b.sums, 4 * N * h],
  ]);
  checkDevice(ctx);
  return { st: st!, Mv: Mv!, cl: cl!, he: he!, hr: hr!, sums: sums!, shift };
}

/** The measures' row from the read-back sums, by the fast path's own formulas in float64. */
function hostPart(t: FastTables, f: FactoredView, K: readonly number[], g: GpuSums): MetricsRow {
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
