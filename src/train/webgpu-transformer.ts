/**
 * The one-layer transformer on backend 'webgpu': S members (own init, split and AdamW state) in one set of
 * WGSL dispatches per step, with the maths of src/models/transformer.ts (no LayerNorm, causal attention
 * scaled by 1/√d_head, ReLU MLP, logits at the last position, biases frozen: no gradient, no weight decay, no
 * moments), in float32. The attention uses per-token tables (src/gpu/transformer-wgsl.ts): the last position
 * needs only the keys and values of a, b and "=", so the per-row work is the three-way softmax, z, and the
 * dense W_O, W_in, W_out, W_U products (MATMUL64_WGSL, 64×64 output tiles). Loss sums, CE, AdamW: src/gpu/wgsl.ts,
 * and the step loop, evaluation, readback and state copies (src/train/webgpu-batch.ts, webgpu-state.ts), as the MLP's.
 *
 * Buffers, per member s a slice:
 *   weights, grads, m, v  [S, Pw]  the trainable parameters (weights) concatenated in creation order
 *   biases                [S, Pb]  the frozen ones, in creation order
 *   X / dX                [S, T, D]     token inputs (T = 2N + 1), K, V, dK, dV [S, T, H·E], q, dq [S, H·E]
 *   sc, dSc               [S, T, H]     scores of "=" against each token
 *   z, dz                 [S, R, H·E]   attn [S, R, H, 6] (pattern, score gradients)
 *   rmid, rpost, dRmid, dRpost [S, R, D]; post, dpost [S, R, F]; logits [S, R, N] (dlogits in a step)
 */
import { initTransformerParams } from '../models/transformer-spec.js';
import { gpuBatchTrainer, stepKit, type StepKit } from './webgpu-batch.js';
import {
  D,
  E,
  F,
  H,
  HE,
  packParams,
  postToLogits,
  rowAdd,
  rowsToPost,
  tablePasses,
  tfForward,
  tfMatmul as matmul,
  tfRowSet,
  transformerLayout,
  type TfForward,
  type TfRowSet,
} from './webgpu-transformer-forward.js';
import type { BatchTrainer, BatchTrainerOptions } from '../types/trainer.js';
import type { GpuContext } from '../gpu/device.js';
import { linearGrid, type GpuKit, type Pass } from '../gpu/kernels.js';
import {
  TF_ATTN_BACKWARD_WGSL,
  TF_COLSUM_WGSL,
  TF_DX_WGSL,
  TF_EMBED_GRADS_WGSL,
  TF_PROJ_GRADS_WGSL,
  TF_QK_BACKWARD_WGSL,
  TF_TOKEN_GRADS_WGSL,
} from '../gpu/transformer-wgsl.js';
import { ADAMW_WGSL, CROSS_ENTROPY_WGSL, RELU_BACKWARD_WGSL } from '../gpu/wgsl.js';

interface RowSet extends TfRowSet {
  /** wgsl.ts's RowsU (S, R, N) for the cross-entropy. */
  rowsU: GPUBuffer;
}

/** The forward (webgpu-transformer-forward.ts), the training buffers (see the file comment) and row sets. */
interface TfNet extends TfForward {
  grads: GPUBuffer;
  mBuf: GPUBuffer;
  vBuf: GPUBuffer;
  ce: GPUBuffer;
  correct: GPUBuffer;
  dRpost: GPUBuffer;
  dpost: GPUBuffer;
  dRmid: GPUBuffer;
  dz: GPUBuffer;
  dc: GPUBuffer;
  dV: GPUBuffer;
  dK: GPUBuffer;
  dq: GPUBuffer;
  dSc: GPUBuffer;
  dX: GPUBuffer;
  train: RowSet;
  test: RowSet | null;
  sk: StepKit;
}

/** Builds the transformer's trainer on an open device (createWebGpuTrainer checks the options and members). */
export async function buildWebGpuTransformer(opts: BatchTrainerOptions, ctx: GpuContext, kit: GpuKit): Promise<BatchTrainer> {
  const S = opts.members.length;
  const net = transformerNet(opts, kit);
  const { train, test } = net;
  const banks = [
    { buf: net.W, layout: net.wl },
    { buf: net.Bs, layout: net.bl },
  ];
  return gpuBatchTrainer(ctx, kit, opts.optim, net, {
    stepPasses: (slot, lossHist) => stepPasses(net, slot, lossHist),
    evalTrain: () => [...tablePasses(net, train.tu), ...rowsForward(net, train, false)],
    evalTest: test && (() => rowsForward(net, test, false)),
    adamWords: S * net.Pw,
    state: { specs: net.specs, optimSpecs: net.weights, banks, m: net.mBuf, v: net.vBuf, moments: net.wl },
    what: 'transformer kernels',
  });
}

/** The transformer's layout, buffers (parameters: the CPU trainers' init, member by member) and row sets. */
function transformerNet(opts: BatchTrainerOptions, kit: GpuKit): TfNet {
  const { group, members } = opts;
  const S = members.length;
  const Rtr = members[0]!.train.length;
  const Rte = members[0]!.test.length;
  const N = group.order;
  const T = 2 * N + 1;
  const l = transformerLayout(N);
  const { Pw, Pb } = l;

  // weights [S, Pw], biases [S, Pb]: the CPU trainers' init, member by member
  const hostW = new Float32Array(S * Pw);
  const hostB = new Float32Array(S * Pb);
  members.forEach((m, s) => packParams(l, initTransformerParams(N, m.seed), hostW, hostB, s));
  const Rmax = Math.max(Rtr, Rte);
  const fwd = tfForward(kit, l, S, N, Rmax, kit.storage('transformer weights', hostW), kit.storage('transformer biases', hostB));
  const buffers = {
    grads: kit.storage('gradients', S * Pw),
    mBuf: kit.storage('AdamW exp_avg', S * Pw),
    vBuf: kit.storage('AdamW exp_avg_sq', S * Pw),
    ce: kit.storage('row losses', S * Rmax),
    correct: kit.storage('row accuracies', S * Rmax),
    dRpost: kit.storage('resid_post gradients', S * Rtr * D),
    dpost: kit.storage('mlp gradients', S * Rtr * F),
    dRmid: kit.storage('resid_mid gradients', S * Rtr * D),
    dz: kit.storage('attention z gradients', S * Rtr * HE),
    dc: kit.storage('"=" residual gradient', S * D),
    dV: kit.storage('token value gradients', S * T * HE),
    dK: kit.storage('token key gradients', S * T * HE),
    dq: kit.storage('query gradient', S * HE),
    dSc: kit.storage('score gradients', S * T * H),
    dX: kit.storage('token input gradients', S * T * D),
  };
  const rowSet = (rowsOf: (i: number) => Int32Array, R: number): RowSet => ({
    ...tfRowSet(fwd, group, rowsOf, R),
    rowsU: kit.uniform(new Uint32Array([S, R, N, 0, 0, 0, 0, 0])),
  });
  const train = rowSet((s) => members[s]!.train, Rtr);
  const test = Rte > 0 ? rowSet((s) => members[s]!.test, Rte) : null;
  return { ...fwd, ...buffers, train, test, sk: stepKit(kit, S) };
}

/** The forward passes on a row set, after the tables, up to the row losses (grad: logits become dlogits). */
function rowsForward(net: TfNet, set: RowSet, grad: boolean): Pass[] {
  const { kit, S, logits } = net;
  return [
    ...rowsToPost(net, set),
    ...postToLogits(net, set),
    kit.pass(CROSS_ENTROPY_WGSL, [set.rowsU, net.sk.ceU[grad ? 1 : 0]!, set.labels, logits, net.ce, net.correct], linearGrid(S * set.R)),
  ];
}

/** The passes of one training step whose loss goes to lossHist[k·S + s], k from step slot `slot`. */
function stepPasses(net: TfNet, slot: number, lossHist: GPUBuffer): Pass[] {
  const { kit, S, Pw, train } = net;
  return [
    ...tablePasses(net, train.tu),
    ...rowsForward(net, train, true),
    net.sk.reduce(train.R, net.ce, lossHist, 0, S, slot),
    ...residualBackward(net),
    ...attentionBackward(net),
    kit.pass(ADAMW_WGSL, [net.sk.stepU[slot]!, net.grads, net.W, net.mBuf, net.vBuf], linearGrid(S * Pw)),
  ];
}

/** From dlogits back through W_U, the MLP and W_O's residual: dW_U, dW_out, dW_in into grads; dresid_mid [S, R, D]. */
function residualBackward(net: TfNet): Pass[] {
  const { kit, S, N, Pw, W, grads, post, rmid, rpost, logits, dRpost, dpost, dRmid } = net;
  const R = net.train.R;
  return [
    // dW_U = resid_postᵀ dlogits; dresid_post = dlogits W_Uᵀ
    matmul(net, {
      M: D,
      Nc: N,
      K: R,
      A: rpost,
      lda: D,
      aStride: R * D,
      transA: true,
      B: logits,
      ldb: N,
      bStride: R * N,
      C: grads,
      cOff: net.oWU,
      ldc: N,
      cStride: Pw,
    }),
    matmul(net, {
      M: R,
      Nc: D,
      K: N,
      A: logits,
      lda: N,
      aStride: R * N,
      B: W,
      bOff: net.oWU,
      ldb: N,
      bStride: Pw,
      transB: true,
      C: dRpost,
      ldc: D,
      cStride: R * D,
    }),
    // dW_out = postᵀ dresid_post; dpost = dresid_post W_outᵀ, masked by post > 0
    matmul(net, {
      M: F,
      Nc: D,
      K: R,
      A: post,
      lda: F,
      aStride: R * F,
      transA: true,
      B: dRpost,
      ldb: D,
      bStride: R * D,
      C: grads,
      cOff: net.oWout,
      ldc: D,
      cStride: Pw,
    }),
    matmul(net, {
      M: R,
      Nc: F,
      K: D,
      A: dRpost,
      lda: D,
      aStride: R * D,
      B: W,
      bOff: net.oWout,
      ldb: D,
      bStride: Pw,
      transB: true,
      C: dpost,
      ldc: F,
      cStride: R * F,
    }),
    kit.pass(RELU_BACKWARD_WGSL, [kit.uniform(new Uint32Array([S * R * F, 0, 0, 0])), post, dpost], linearGrid(S * R * F)),
    // dW_in = resid_midᵀ dpre; dresid_mid = dresid_post + dpre W_inᵀ
    matmul(net, {
      M: D,
      Nc: F,
      K: R,
      A: rmid,
      lda: D,
      aStride: R * D,
      transA: true,
      B: dpost,
      ldb: F,
      bStride: R * F,
      C: grads,
      cOff: net.oWin,
      ldc: F,
      cStride: Pw,
    }),
    matmul(net, {
      M: R,
      Nc: D,
      K: F,
      A: dpost,
      lda: F,
      aStride: R * F,
      B: W,
      bOff: net.oWin,
      ldb: F,
      bStride: Pw,
      transB: true,
      C: dRmid,
      ldc: D,
      cStride: R * D,
    }),
    rowAdd(net, R, D, dRmid, 0, dRpost),
  ];
}

/** From dresid_mid back through W_O and the attention to the token tables and embeddings: their gradients into grads. */
function attentionBackward(net: TfNet): Pass[] {
  const { kit, S, N, T, Pw, W, grads, X, K, V, q, z, attn, dRmid, dz, dc, dV, dK, dq, dSc, dX, train: t } = net;
  const R = t.R;
  return [
    // dW_O = zᵀ dresid_mid; dz = dresid_mid W_Oᵀ; dc = Σ_rows dresid_mid
    matmul(net, {
      M: HE,
      Nc: D,
      K: R,
      A: z,
      lda: HE,
      aStride: R * HE,
      transA: true,
      B: dRmid,
      ldb: D,
      bStride: R * D,
      C: grads,
      cOff: net.oWO,
      ldc: D,
      cStride: Pw,
    }),
    matmul(net, {
      M: R,
      Nc: HE,
      K: D,
      A: dRmid,
      lda: D,
      aStride: R * D,
      B: W,
      bOff: net.oWO,
      ldb: D,
      bStride: Pw,
      transB: true,
      C: dz,
      ldc: HE,
      cStride: R * HE,
    }),
    kit.pass(TF_COLSUM_WGSL, [kit.uniform(new Uint32Array([R, D, S * D, 0])), dRmid, dc], linearGrid(S * D)),
    // attention: score gradients per row, then per token (values, scores), keys, query, projections, inputs
    kit.pass(TF_ATTN_BACKWARD_WGSL, [t.tu, t.rowA, t.rowB, V, dz, attn], linearGrid(S * R * H)),
    kit.pass(TF_TOKEN_GRADS_WGSL, [t.tu, t.byA.off, t.byA.idx, t.byB.off, t.byB.idx, attn, dz, dV, dSc], linearGrid(S * T * HE)),
    kit.pass(TF_QK_BACKWARD_WGSL, [t.tu, q, K, dSc, dK, dq], linearGrid(S * (T + 1) * HE)),
    kit.pass(TF_PROJ_GRADS_WGSL, [t.tu, X, dK, dV, dq, grads], linearGrid(S * H * D * E)),
    kit.pass(TF_DX_WGSL, [t.tu, W, dK, dV, dq, dc, dX], linearGrid(S * T * D)),
    kit.pass(TF_EMBED_GRADS_WGSL, [t.tu, dX, grads], linearGrid(S * (N + 4) * D)),
  ];
}
