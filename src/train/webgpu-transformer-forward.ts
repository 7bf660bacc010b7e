/**
 * The one-layer transformer's forward on WebGPU, up to the logits of a row set: shared by the trainer
 * (src/train/webgpu-transformer.ts, S members) and the GPU measurer (src/measures/webgpu-transformer-measures.ts,
 * one model over blocks of all N² pairs). The maths is src/models/transformer.ts's at the last position, with
 * the per-token tables of src/gpu/transformer-wgsl.ts.
 *
 * Buffers, per member s a slice:
 *   W [S, Pw], Bs [S, Pb]        the trainable parameters and the frozen biases, each in creation order
 *   X [S, T, D]                  token inputs (T = 2N + 1); K, V [S, T, H·E]; q [S, H·E]; sc [S, T, H]
 *   z [S, R, H·E]                attn [S, R, H, 6] (pattern, then the backward's score gradients)
 *   rmid, rpost [S, R, D]        post [S, R, F] (the MLP's hook_post); logits [S, R, N]
 */
import { D_HEAD, D_MLP, D_MODEL, N_HEADS, isFrozenParam, transformerParamSpecs } from '../models/transformer-spec.js';
import type { Group } from '../groups/group.js';
import type { NamedTensor } from '../types/trainer.js';
import { rowIndex, type RowIndex } from './webgpu-rows.js';
import { tensorLayout, type TensorLayout } from './webgpu-state.js';
import { linearGrid, matmulPass, type GpuKit, type MatmulArgs, type Pass } from '../gpu/kernels.js';
import { MATMUL64_WGSL, TF_ATTN_WGSL, TF_QKV_WGSL, TF_ROW_ADD_WGSL, TF_SCORES_WGSL, TF_TOKENS_WGSL } from '../gpu/transformer-wgsl.js';

export const D = D_MODEL,
  H = N_HEADS,
  E = D_HEAD,
  F = D_MLP,
  HE = H * E;

/** Row-add flags of TF_ROW_ADD_WGSL. */
export const ADD_X = 1,
  ADD_V1 = 2,
  ADD_V2 = 4,
  RELU = 8;

/** The trainable parameters' (weights') and frozen biases' layouts, and each tensor's offset in its member slice. */
export interface TfLayout {
  specs: ReturnType<typeof transformerParamSpecs>;
  weights: ReturnType<typeof transformerParamSpecs>;
  wl: TensorLayout;
  bl: TensorLayout;
  Pw: number;
  Pb: number;
  /** TF_HEADER's offsets, in its order: oWE, oWpos, ..., oWU, then obQ, ..., obU. */
  offsets: number[];
  oWE: number;
  oWO: number;
  oWin: number;
  oWout: number;
  oWU: number;
  obO: number;
  obin: number;
  obout: number;
  obU: number;
}

export function transformerLayout(N: number): TfLayout {
  const specs = transformerParamSpecs(N);
  const weights = specs.filter((p) => !isFrozenParam(p.name));
  const biases = specs.filter((p) => isFrozenParam(p.name));
  const wl = tensorLayout(weights),
    bl = tensorLayout(biases);
  const ow = (name: string) => wl.at.get(`blocks.0.${name}`) ?? wl.at.get(name)!;
  const ob = (name: string) => bl.at.get(`blocks.0.${name}`) ?? bl.at.get(name)!;
  const oWE = ow('embed.W_E'),
    oWpos = ow('pos_embed.W_pos');
  if (oWpos !== oWE + (N + 1) * D) throw new Error('webgpu transformer: W_E and W_pos must be adjacent');
  const [oWO, oWin, oWout, oWU] = ['attn.W_O', 'mlp.W_in', 'mlp.W_out', 'unembed.W_U'].map(ow) as [number, number, number, number];
  const [obO, obin, obout, obU] = ['attn.b_O', 'mlp.b_in', 'mlp.b_out', 'unembed.b_U'].map(ob) as [number, number, number, number];
  const offsets = [oWE, oWpos, ow('attn.W_Q'), ow('attn.W_K'), ow('attn.W_V'), oWO, oWin, oWout, oWU];
  offsets.push(ob('attn.b_Q'), ob('attn.b_K'), ob('attn.b_V'), obO, obin, obout, obU);
  return { specs, weights, wl, bl, Pw: wl.n, Pb: bl.n, offsets, oWE, oWO, oWin, oWout, oWU, obO, obin, obout, obU };
}

/**
 * Writes member s's parameter tensors into the host copies of the weights [S, Pw] and the frozen biases
 * [S, Pb], each at its layout offset (the tensors' shapes are the specs'; the caller checked them).
 */
export function packParams(l: TfLayout, tensors: readonly NamedTensor[], hostW: Float32Array, hostB: Float32Array, s = 0): void {
  for (const t of tensors) {
    const w = l.wl.at.get(t.name);
    if (w !== undefined) hostW.set(t.data, s * l.Pw + w);
    else hostB.set(t.data, s * l.Pb + l.bl.at.get(t.name)!);
  }
}

/** A row set: its index buffers and TF_HEADER's uniform for its row count R. */
export interface TfRowSet extends RowIndex {
  tu: GPUBuffer;
}

/** The forward's sizes, layout and buffers (see the file comment) on a device. */
export interface TfForward extends TfLayout {
  kit: GpuKit;
  S: number;
  N: number;
  T: number;
  W: GPUBuffer;
  Bs: GPUBuffer;
  X: GPUBuffer;
  K: GPUBuffer;
  V: GPUBuffer;
  q: GPUBuffer;
  sc: GPUBuffer;
  z: GPUBuffer;
  attn: GPUBuffer;
  rmid: GPUBuffer;
  post: GPUBuffer;
  rpost: GPUBuffer;
  logits: GPUBuffer;
}

/**
 * The forward of S members over group order N on row sets of at most Rmax rows, with weights W and biases Bs,
 * writing its logits into `logits` ([S, Rmax, N]; by default a buffer of its own).
 */
export function tfForward(
  kit: GpuKit,
  l: TfLayout,
  S: number,
  N: number,
  Rmax: number,
  W: GPUBuffer,
  Bs: GPUBuffer,
  logits = kit.storage('logits', S * Rmax * N),
): TfForward {
  const T = 2 * N + 1;
  return {
    ...l,
    kit,
    S,
    N,
    T,
    W,
    Bs,
    X: kit.storage('token inputs', S * T * D),
    K: kit.storage('token keys', S * T * HE),
    V: kit.storage('token values', S * T * HE),
    q: kit.storage('query', S * HE),
    sc: kit.storage('attention scores', S * T * H),
    z: kit.storage('attention z', S * Rmax * HE),
    attn: kit.storage('attention pattern', S * Rmax * H * 6),
    rmid: kit.storage('resid_mid', S * Rmax * D),
    post: kit.storage('mlp post', S * Rmax * F),
    rpost: kit.storage('resid_post', S * Rmax * D),
    logits,
  };
}

/** The R rows rowsOf(s) of each member s as a row set of `net`. */
export function tfRowSet(
  net: Pick<TfForward, 'kit' | 'S' | 'N' | 'Pw' | 'Pb' | 'offsets'>,
  group: Group,
  rowsOf: (s: number) => Int32Array,
  R: number,
): TfRowSet {
  const { kit, S, N } = net;
  const b = new ArrayBuffer(28 * 4);
  new Uint32Array(b).set([S, R, N, 2 * N + 1, D, H, E, F, net.Pw, net.Pb, ...net.offsets]);
  new Float32Array(b)[26] = 1 / Math.sqrt(E);
  return { ...rowIndex(kit, group, S, rowsOf, R), tu: kit.uniform(b) };
}

export const tfMatmul = (net: Pick<TfForward, 'kit' | 'S'>, x: MatmulArgs): Pass => matmulPass(net.kit, net.S, x, MATMUL64_WGSL, 64);

/** Y [S, R, w] += X? + V1? + V2? (then ReLU); V1/V2 given as [buffer, member stride, offset]. */
export function rowAdd(
  net: Pick<TfForward, 'kit' | 'S' | 'W' | 'Bs'>,
  R: number,
  w: number,
  Y: GPUBuffer,
  flags: number,
  Xb?: GPUBuffer,
  v1?: [GPUBuffer, number, number],
  v2?: [GPUBuffer, number, number],
): Pass {
  const { kit, S } = net;
  const dummy = Y === net.Bs ? net.W : net.Bs;
  const f = flags | (v1 ? ADD_V1 : 0) | (v2 ? ADD_V2 : 0) | (Xb ? ADD_X : 0);
  return kit.pass(
    TF_ROW_ADD_WGSL,
    [
      kit.uniform(new Uint32Array([R, w, S * R * w, f, v1?.[1] ?? 0, v1?.[2] ?? 0, v2?.[1] ?? 0, v2?.[2] ?? 0])),
      Y,
      Xb ?? dummy,
      v1?.[0] ?? dummy,
      v2?.[0] ?? dummy,
    ],
    linearGrid(S * R * w),
  );
}

/** The token tables depend on the parameters only: once per forward, shared by the row sets (`tu`: any of their uniforms). */
export function tablePasses(net: TfForward, tu: GPUBuffer): Pass[] {
  const { kit, S, T, W, Bs, X, K, V, q, sc } = net;
  return [
    kit.pass(TF_TOKENS_WGSL, [tu, W, X], linearGrid(S * T * D)),
    kit.pass(TF_QKV_WGSL, [tu, W, Bs, X, K, V, q], linearGrid(S * T * HE)),
    kit.pass(TF_SCORES_WGSL, [tu, q, K, sc], linearGrid(S * T * H)),
  ];
}

/** After the tables, a row set's attention, resid_mid and post = ReLU(resid_mid W_in + b_in). */
export function rowsToPost(net: TfForward, set: TfRowSet): Pass[] {
  const { kit, S, T, Pw, Pb, W, Bs, X, V, sc, z, attn, rmid, post } = net;
  const R = set.R;
  return [
    kit.pass(TF_ATTN_WGSL, [set.tu, set.rowA, set.rowB, sc, V, z, attn], linearGrid(S * R * HE)),
    // resid_mid = c + z W_O + b_O   [R, HE] x [HE, D]
    tfMatmul(net, { M: R, Nc: D, K: HE, A: z, lda: HE, aStride: R * HE, B: W, bOff: net.oWO, ldb: D, bStride: Pw, C: rmid, ldc: D, cStride: R * D }),
    rowAdd(net, R, D, rmid, 0, undefined, [X, T * D, (T - 1) * D], [Bs, Pb, net.obO]),
    // post = ReLU(resid_mid W_in + b_in)   [R, D] x [D, F]
    tfMatmul(net, { M: R, Nc: F, K: D, A: rmid, lda: D, aStride: R * D, B: W, bOff: net.oWin, ldb: F, bStride: Pw, C: post, ldc: F, cStride: R * F }),
    rowAdd(net, R, F, post, RELU, undefined, [Bs, Pb, net.obin]),
  ];
}

/** After rowsToPost on the same row set: resid_post and the logits. */
export function postToLogits(net: TfForward, set: TfRowSet): Pass[] {
  const { N, Pw, Pb, W, Bs, post, rmid, rpost, logits } = net;
  const R = set.R;
  return [
    // resid_post = resid_mid + post W_out + b_out   [R, F] x [F, D]
    tfMatmul(net, {
      M: R,
      Nc: D,
      K: F,
      A: post,
      lda: F,
      aStride: R * F,
      B: W,
      bOff: net.oWout,
      ldb: D,
      bStride: Pw,
      C: rpost,
      ldc: D,
      cStride: R * D,
    }),
    rowAdd(net, R, D, rpost, 0, rmid, [Bs, Pb, net.obout]),
    // logits = resid_post W_U + b_U   [R, D] x [D, N]
    tfMatmul(net, {
      M: R,
      Nc: N,
      K: D,
      A: rpost,
      lda: D,
      aStride: R * D,
      B: W,
      bOff: net.oWU,
      ldb: N,
      bStride: Pw,
      C: logits,
      ldc: N,
      cStride: R * N,
    }),
    rowAdd(net, R, N, logits, 0, undefined, [Bs, Pb, net.obU]),
  ];
}
