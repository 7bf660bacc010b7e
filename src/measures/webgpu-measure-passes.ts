/**
 * The GPU measurer's parts that every model shares (src/measures/webgpu-measurer.ts): the group's and split's
 * index tables as buffers, the blocks of whole a-rows the N² × N logits are made in, and the passes after the
 * logits and the hidden sums, whatever computed them:
 *
 *   rallPasses         R_ρ = Q_ρ Q_ρᵀ (S_g U / N) for every irrep and for K, and CE(R_ρ[g], g)     [nIrr + 1, N, N]
 *   blockReductions    per block: row statistics, class parts, hidden excluded losses, product sums
 *
 * A model part (ModelPart: the MLP's in webgpu-measurer.ts, the transformer's in webgpu-transformer-measures.ts)
 * fills the logits block, the hidden sums and the hidden shift, and records its passes around these.
 */
import type { FastTables } from './fast-tables.js';
import type { SmallView } from './model-view.js';
import type { NamedTensor } from '../types/trainer.js';
import { linearGrid, matmulPass, type GpuKit, type MatmulArgs, type Pass } from '../gpu/kernels.js';
import { CLASS_STATS_WGSL, HIDDEN_EXCLUDED_WGSL, HIDDEN_RESTRICTED_WGSL, PRODUCT_SUMS_WGSL, ROW_STATS_WGSL } from '../gpu/measure-wgsl.js';

/** A 2-D grid of `n` workgroups. */
export function wgGrid(n: number): [number, number, number] {
  const x = Math.min(Math.max(1, n), 65535);
  return [x, Math.ceil(n / x), 1];
}

export const u32 = (...w: number[]) => Uint32Array.from(w);
export const f32 = (a: ArrayLike<number>) => Float32Array.from(a as ArrayLike<number>);

/** One block of whole a-rows a0 .. a0 + nA − 1, and its train rows trRows[trOff .. trOff + count − 1]. */
export interface Block {
  a0: number;
  nA: number;
  trOff: number;
  count: number;
}

/** What depends only on the group, irreps and split, as GPU buffers, and the logits blocks. */
export interface FixedPart {
  blocks: Block[];
  /** The most rows of a block (nA·N). */
  blockRows: number;
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
  /** The logits of one block   [blockRows, N] */
  Lblk: GPUBuffer;
  stats: GPUBuffer;
  M: GPUBuffer;
  Mc: GPUBuffer;
  cls: GPUBuffer;
  hex: GPUBuffer;
  hres: GPUBuffer;
}

/**
 * The model-dependent half of a measure: its buffers (its kit owns them) and recorded passes, which leave
 * the hidden sums [4, N, h] (S_a, S_b, S_g, the centred squares around `shift`) in `sums` and the hidden
 * shift [h] in `shift`, and run blockReductions on every block.
 */
export interface ModelPart {
  h: number;
  kit: GpuKit;
  /** U [h, N] and U / N, written by the caller from the small view. */
  U: GPUBuffer;
  Us: GPUBuffer;
  shift: GPUBuffer;
  sums: GPUBuffer;
  /** Buffers zeroed before the passes run. */
  clear: GPUBuffer[];
  passes: Pass[];
  /** Writes what the passes read of the model besides U (the parameters themselves, or E_a, E_b and the shift). */
  write(params: readonly NamedTensor[], f: SmallView): void;
}

/** The host-side index tables of the group and split, and the buffers every model part shares; a block row is at most `rowWidth` floats wide. */
export function fixedPart(kit: GpuKit, t: FastTables, blockFloats: number, rowWidth: number): FixedPart {
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
  const nA = Math.max(1, Math.min(N, Math.floor(blockFloats / (N * Math.max(N, rowWidth)))));
  const blocks: Block[] = [];
  for (let a0 = 0, p = 0; a0 < N; a0 += nA) {
    const n = Math.min(nA, N - a0);
    const start = p;
    while (p < nTr && trRows[2 * p]! < (a0 + n) * N) p++;
    blocks.push({ a0, nA: n, trOff: start, count: p - start });
  }

  return {
    blocks,
    blockRows: nA * N,
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
export const matmul = (k: GpuKit, a: Omit<MatmulArgs, 'aStride' | 'bStride' | 'cStride'>): Pass =>
  matmulPass(k, 1, { ...a, aStride: 0, bStride: 0, cStride: 0 });

/**
 * After the hidden sums: V = S_g U / N [N, N]; C = Qallᵀ V [R, N]; Rall[ρ] = Q_ρ C_ρ, Rall[K] = QK C [N, N];
 * then the hidden restricted losses CE(Rall[e, g], g).
 */
export function rallPasses(k: GpuKit, t: FastTables, x: FixedPart, b: Pick<ModelPart, 'h' | 'sums' | 'Us'>): Pass[] {
  const { N, NN, nIrr, R } = t;
  const { h } = b;
  const nE = nIrr + 1;
  const passes = [
    matmul(k, { M: N, Nc: N, K: h, A: b.sums, aOff: 2 * N * h, lda: h, B: b.Us, bOff: 0, ldb: N, C: x.V, cOff: 0, ldc: N }),
    matmul(k, { M: R, Nc: N, K: N, A: x.QallTBuf, aOff: 0, lda: N, B: x.V, bOff: 0, ldb: N, C: x.C, cOff: 0, ldc: N }),
  ];
  for (let i = 0; i < nIrr; i++) {
    const q0 = t.qOff[i]!;
    const K = t.qOff[i + 1]! - q0;
    passes.push(matmul(k, { M: N, Nc: N, K, A: x.QallBuf, aOff: q0, lda: R, B: x.C, bOff: q0 * N, ldb: N, C: x.Rall, cOff: i * NN, ldc: N }));
  }
  passes.push(matmul(k, { M: N, Nc: N, K: R, A: x.QKBuf, aOff: 0, lda: R, B: x.C, bOff: 0, ldb: N, C: x.Rall, cOff: nIrr * NN, ldc: N }));
  passes.push(k.pass(HIDDEN_RESTRICTED_WGSL, [k.uniform(u32(N, nE, 0, 0)), x.Rall, x.hres], linearGrid(nE * N)));
  return passes;
}

/**
 * A block's reductions, once its logits are in x.Lblk and H U in `HU` (the MLP's and the bilinear net's H U is
 * their logits: x.Lblk): row statistics, the train rows' class parts and hidden excluded losses, product sums.
 */
export function blockReductions(k: GpuKit, t: FastTables, x: FixedPart, b: Block, HU: GPUBuffer): Pass[] {
  const { N, NN, nK, nIrr } = t;
  const nE = nIrr + 1;
  const rows = b.nA * N;
  const rowBase = b.a0 * N;
  const passes = [k.pass(ROW_STATS_WGSL, [k.uniform(u32(N, rows, rowBase, 0)), x.Lblk, x.tableBuf, x.stats], wgGrid(rows))];
  if (b.count > 0) {
    passes.push(
      k.pass(
        CLASS_STATS_WGSL,
        [k.uniform(u32(N, nK, b.count, b.trOff, rowBase, 0, 0, 0)), x.Lblk, x.trRowsBuf, x.tableBuf, x.ordCBuf, x.kOffBuf, x.cls],
        linearGrid(b.count * nK),
      ),
      k.pass(
        HIDDEN_EXCLUDED_WGSL,
        [k.uniform(u32(N, nE, b.count, b.trOff, rowBase, 0, 0, 0)), HU, x.trRowsBuf, x.tableBuf, x.Rall, x.hex],
        linearGrid(b.count * nE),
      ),
    );
  }
  passes.push(k.pass(PRODUCT_SUMS_WGSL, [k.uniform(u32(N, b.a0, b.nA, 0)), x.Lblk, x.stats, x.bOfBuf, x.M, x.Mc], linearGrid(NN)));
  return passes;
}

/** The h-sized buffers every model part has: U, U / N, the hidden shift and the hidden sums. */
export function hiddenBuffers(k: GpuKit, N: number, h: number): Pick<ModelPart, 'U' | 'Us' | 'shift' | 'sums'> {
  return {
    U: k.storage('unembedding', h * N),
    Us: k.storage('unembedding / N', h * N),
    shift: k.storage('hidden shift', h),
    sums: k.storage('hidden sums', 4 * N * h),
  };
}
