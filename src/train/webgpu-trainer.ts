/**
 * The WebGPU trainer (backend 'webgpu') of the MLP and the bilinear net: S members (own init, split and AdamW
 * state) trained in one set of WGSL dispatches per step. The maths is src/train/js-trainer.ts's, in float32
 * on the GPU; the MLP uses the factored form hidden = ReLU(Px[a] + Py[b]) with Px = W_x W[:d_e],
 * Py = W_y W[d_e:]. Per-row cross-entropies are float32; each member's sum is Kahan-summed per thread in
 * float32 and divided by the row count in float64 on the host (docs/gpu.md). Up to STEP_SLOTS steps go
 * into one command buffer; run(n) reads back once, at its end (src/train/webgpu-batch.ts, shared with the
 * transformer, src/train/webgpu-transformer.ts).
 *
 * Buffers, per member s a slice `stride` floats long:
 *   params, grads, m, v   [S, P]   P = the member's parameters concatenated in creation order
 *   rowA, rowB, labels    [S, R]   elements a, b and a·b of each row of a row set (train or test)
 *   P / dP (MLP)          [S, 2, N, h]
 *   hidden, dh            [S, R, H]  H = h (MLP) or d_e (bilinear)
 *   logits                [S, R, N]  (overwritten by dlogits in a training step)
 */
import { initParams, paramSpecs, type ParamSpec } from '../models/init.js';
import { checkTrainerOptions } from './trainer-state.js';
import { gpuBatchTrainer, stepKit, type StepKit } from './webgpu-batch.js';
import { rowIndex, type RowIndex } from './webgpu-rows.js';
import { tensorLayout, type TensorLayout } from './webgpu-state.js';
import type { BatchTrainer, BatchTrainerOptions } from '../types/trainer.js';
import { UsageError } from '../util/errors.js';
import { openGpu, type GpuContext } from '../gpu/device.js';
import { buildWebGpuTransformer } from './webgpu-transformer.js';
import { GpuKit, linearGrid, matmulPass, type MatmulArgs, type Pass } from '../gpu/kernels.js';
import { ADAMW_WGSL, BILINEAR_HIDDEN_WGSL, CROSS_ENTROPY_WGSL, GROUP_SUM_WGSL, MLP_HIDDEN_WGSL, RELU_BACKWARD_WGSL } from '../gpu/wgsl.js';

export { STEP_SLOTS } from '../gpu/kernels.js';

export async function createWebGpuTrainer(opts: BatchTrainerOptions): Promise<BatchTrainer> {
  const { model, members } = opts;
  if (model.kind !== 'mlp' && model.kind !== 'bilinear' && model.kind !== 'transformer')
    throw new UsageError(`model "${model.kind}" is not on backend webgpu: use --backend wasm`);
  if (members.length === 0) throw new UsageError('backend webgpu: the batch has no members');
  // (the transformer's sizes are fixed: its embed/hidden dims are not checked, as on the CPU backends)
  const checked = model.kind === 'transformer' ? { ...opts, model: { ...model, embedDim: 1, hiddenDim: 1 } } : opts;
  for (const m of members) checkTrainerOptions({ ...checked, seed: m.seed, train: m.train, test: m.test });
  const Rtr = members[0]!.train.length;
  const Rte = members[0]!.test.length;
  for (const m of members)
    if (m.train.length !== Rtr || m.test.length !== Rte)
      throw new UsageError(
        `backend webgpu: every member of a batch needs the same train and test sizes (seed ${m.seed} has ${m.train.length}/${m.test.length}, seed ${members[0]!.seed} ${Rtr}/${Rte})`,
      );

  const ctx: GpuContext = await openGpu();
  const device = ctx.device;
  device.pushErrorScope('validation');
  const kit = new GpuKit(device);
  try {
    return await (model.kind === 'transformer' ? buildWebGpuTransformer(opts, ctx, kit) : build(opts, ctx, kit));
  } catch (e) {
    kit.destroy();
    device.destroy();
    throw e;
  }
}

/** A row set's index buffers and its uniform (wgsl.ts RowsU: S, R, N, h, d, P, oWx, oWy). */
interface RowSet extends RowIndex {
  rowsU: GPUBuffer;
}

/** The MLP's or bilinear net's sizes, parameter offsets (floats within a member's slice) and buffers. */
interface MlpNet {
  kit: GpuKit;
  S: number;
  N: number;
  d: number;
  /** H: the hidden width (h for the MLP, d_e for the bilinear net). */
  h: number;
  mlp: boolean;
  specs: ParamSpec[];
  layout: TensorLayout;
  P: number;
  oWx: number;
  oWy: number;
  /** -1 for the bilinear net (no W). */
  oW: number;
  oWU: number;
  params: GPUBuffer;
  grads: GPUBuffer;
  mBuf: GPUBuffer;
  vBuf: GPUBuffer;
  hidden: GPUBuffer;
  dh: GPUBuffer;
  logits: GPUBuffer;
  ce: GPUBuffer;
  correct: GPUBuffer;
  Pbuf: GPUBuffer;
  dP: GPUBuffer;
  train: RowSet;
  test: RowSet | null;
  sk: StepKit;
}

async function build(opts: BatchTrainerOptions, ctx: GpuContext, kit: GpuKit): Promise<BatchTrainer> {
  const S = opts.members.length;
  const net = mlpNet(opts, kit);
  const { train, test } = net;
  return gpuBatchTrainer(ctx, kit, opts.optim, net, {
    stepPasses: (slot, lossHist) => stepPasses(net, slot, lossHist),
    evalTrain: () => forward(net, train, false),
    evalTest: test && (() => forward(net, test, false)),
    adamWords: S * net.P,
    state: {
      specs: net.specs,
      optimSpecs: net.specs,
      banks: [{ buf: net.params, layout: net.layout }],
      m: net.mBuf,
      v: net.vBuf,
      moments: net.layout,
    },
    what: 'kernels',
  });
}

/** The net's layout, its buffers (parameters: the CPU trainers' init, member by member) and row sets. */
function mlpNet(opts: BatchTrainerOptions, kit: GpuKit): MlpNet {
  const { group, model, members } = opts;
  const S = members.length;
  const Rtr = members[0]!.train.length;
  const Rte = members[0]!.test.length;
  const N = group.order;
  const d = model.embedDim;
  const mlp = model.kind === 'mlp';
  const h = mlp ? model.hiddenDim : d; // H: the hidden width
  const specs: ParamSpec[] = paramSpecs(model, N);
  const layout = tensorLayout(specs);
  const P = layout.n;
  const off = (i: number) => layout.at.get(specs[i]!.name)!;
  const [oWx, oWy] = [off(0), off(1)];
  const oW = mlp ? off(2) : -1;
  const oWU = off(mlp ? 3 : 2);

  // parameters [S, P]: the CPU trainers' init, member by member
  const host = new Float32Array(S * P);
  members.forEach((m, s) => initParams(specs, m.seed).forEach((t) => host.set(t.data, s * P + layout.at.get(t.name)!)));
  const params = kit.storage('parameters', host);
  const grads = kit.storage('gradients', S * P);
  const mBuf = kit.storage('AdamW exp_avg', S * P);
  const vBuf = kit.storage('AdamW exp_avg_sq', S * P);
  const Rmax = Math.max(Rtr, Rte);
  const hidden = kit.storage('hidden activations', S * Rmax * h);
  const dh = kit.storage('hidden gradients', S * Rtr * h);
  const logits = kit.storage('logits', S * Rmax * N);
  const ce = kit.storage('row losses', S * Rmax);
  const correct = kit.storage('row accuracies', S * Rmax);
  const Pbuf = kit.storage('factored embeddings', mlp ? S * 2 * N * h : 4);
  const dP = kit.storage('factored embedding gradients', mlp ? S * 2 * N * h : 4);

  const rowSet = (rowsOf: (i: number) => Int32Array, R: number): RowSet => ({
    ...rowIndex(kit, group, S, rowsOf, R),
    rowsU: kit.uniform(new Uint32Array([S, R, N, h, d, P, oWx, oWy])),
  });
  const train = rowSet((s) => members[s]!.train, Rtr);
  const test = Rte > 0 ? rowSet((s) => members[s]!.test, Rte) : null;
  const sk = stepKit(kit, S);
  return {
    kit,
    S,
    N,
    d,
    h,
    mlp,
    specs,
    layout,
    P,
    oWx,
    oWy,
    oW,
    oWU,
    params,
    grads,
    mBuf,
    vBuf,
    hidden,
    dh,
    logits,
    ce,
    correct,
    Pbuf,
    dP,
    train,
    test,
    sk,
  };
}

const matmul = (net: MlpNet, x: MatmulArgs): Pass => matmulPass(net.kit, net.S, x);

/** The forward passes on a row set up to the row losses (grad: logits become dlogits). */
function forward(net: MlpNet, set: RowSet, grad: boolean): Pass[] {
  const { kit, S, N, d, h, P, oWx, oWy, oW, oWU, params, hidden, logits, Pbuf } = net;
  const R = set.R;
  const passes: Pass[] = [];
  if (net.mlp) {
    passes.push(
      // Px = W_x W[:d], Py = W_y W[d:]: [N, d] x [d, h] into P [S, 2, N, h]
      ...[oWx, oWy].map((oE, half) =>
        matmul(net, {
          M: N,
          Nc: h,
          K: d,
          A: params,
          aOff: oE,
          lda: d,
          aStride: P,
          B: params,
          bOff: oW + half * d * h,
          ldb: h,
          bStride: P,
          C: Pbuf,
          cOff: half * N * h,
          ldc: h,
          cStride: 2 * N * h,
        }),
      ),
      kit.pass(MLP_HIDDEN_WGSL, [set.rowsU, set.rowA, set.rowB, Pbuf, hidden], linearGrid(S * R * h)),
    );
  } else {
    passes.push(kit.pass(BILINEAR_HIDDEN_WGSL, [set.rowsU, set.rowA, set.rowB, params, hidden], linearGrid(S * R * h)));
  }
  passes.push(
    // logits = hidden W_U: [R, H] x [H, N]
    matmul(net, {
      M: R,
      Nc: N,
      K: h,
      A: hidden,
      lda: h,
      aStride: R * h,
      B: params,
      bOff: oWU,
      ldb: N,
      bStride: P,
      C: logits,
      ldc: N,
      cStride: R * N,
    }),
    kit.pass(CROSS_ENTROPY_WGSL, [set.rowsU, net.sk.ceU[grad ? 1 : 0]!, set.labels, logits, net.ce, net.correct], linearGrid(S * R)),
  );
  return passes;
}

/** The passes of one training step whose loss goes to lossHist[k·S + s], k from step slot `slot`. */
function stepPasses(net: MlpNet, slot: number, lossHist: GPUBuffer): Pass[] {
  const { kit, S, N, h, P, oWU, params, grads, hidden, dh, logits } = net;
  const R = net.train.R;
  const passes = forward(net, net.train, true);
  passes.push(
    net.sk.reduce(R, net.ce, lossHist, 0, S, slot),
    // dW_U = hiddenᵀ dlogits: [H, R] x [R, N]
    matmul(net, {
      M: h,
      Nc: N,
      K: R,
      A: hidden,
      lda: h,
      aStride: R * h,
      transA: true,
      B: logits,
      ldb: N,
      bStride: R * N,
      C: grads,
      cOff: oWU,
      ldc: N,
      cStride: P,
    }),
    // dhidden = dlogits W_Uᵀ: [R, N] x [N, H]
    matmul(net, {
      M: R,
      Nc: h,
      K: N,
      A: logits,
      lda: N,
      aStride: R * N,
      B: params,
      bOff: oWU,
      ldb: N,
      bStride: P,
      transB: true,
      C: dh,
      ldc: h,
      cStride: R * h,
    }),
    ...(net.mlp ? mlpEmbedBackward(net) : bilinearEmbedBackward(net)),
    kit.pass(ADAMW_WGSL, [net.sk.stepU[slot]!, grads, params, net.mBuf, net.vBuf], linearGrid(S * P)),
  );
  return passes;
}

/** GROUP_SUM_WGSL's uniform: H, the output's member stride and offset, the mode, the other embedding's offset. */
const groupSumU = (net: MlpNet, outStride: number, outOff: number, mode: number, otherOff: number) =>
  net.kit.uniform(new Uint32Array([net.h, outStride, outOff, mode, otherOff, 0, 0, 0]));

/**
 * GROUP_SUM_WGSL over the train rows grouped by a (partners rowB), then by b (partners rowA), into `out` at
 * outOff[0], outOff[1] (mode and the other embedding's offsets as groupSumU's).
 */
function groupSums(net: MlpNet, out: GPUBuffer, outStride: number, outOff: [number, number], mode: number, otherOff: [number, number]): Pass[] {
  const { kit, S, N, h, params, dh, train } = net;
  const sides = [
    [train.byA, train.rowB],
    [train.byB, train.rowA],
  ] as const;
  return sides.map(([by, partner], i) =>
    kit.pass(
      GROUP_SUM_WGSL,
      [train.rowsU, groupSumU(net, outStride, outOff[i]!, mode, otherOff[i]!), by.off, by.idx, partner, dh, params, out],
      linearGrid(S * N * h),
    ),
  );
}

/** The MLP's backward from dhidden: ReLU, dP [S, 2, N, h] by row groups, then dW_x, dW_y and dW. */
function mlpEmbedBackward(net: MlpNet): Pass[] {
  const { kit, S, N, d, h, P, oWx, oWy, oW, params, grads, hidden, dh, dP } = net;
  const R = net.train.R;
  return [
    kit.pass(RELU_BACKWARD_WGSL, [kit.uniform(new Uint32Array([S * R * h, 0, 0, 0])), hidden, dh], linearGrid(S * R * h)),
    ...groupSums(net, dP, 2 * N * h, [0, N * h], 0, [0, 0]),
    // dW_x = dPx W[:d]ᵀ, dW_y = dPy W[d:]ᵀ: [N, h] x [h, d]
    ...[oWx, oWy].map((oE, half) =>
      matmul(net, {
        M: N,
        Nc: d,
        K: h,
        A: dP,
        aOff: half * N * h,
        lda: h,
        aStride: 2 * N * h,
        B: params,
        bOff: oW + half * d * h,
        ldb: h,
        bStride: P,
        transB: true,
        C: grads,
        cOff: oE,
        ldc: d,
        cStride: P,
      }),
    ),
    // dW[:d] = W_xᵀ dPx, dW[d:] = W_yᵀ dPy: [d, N] x [N, h]
    ...[oWx, oWy].map((oE, half) =>
      matmul(net, {
        M: d,
        Nc: h,
        K: N,
        A: params,
        aOff: oE,
        lda: d,
        aStride: P,
        transA: true,
        B: dP,
        bOff: half * N * h,
        ldb: h,
        bStride: 2 * N * h,
        C: grads,
        cOff: oW + half * d * h,
        ldc: h,
        cStride: P,
      }),
    ),
  ];
}

/** The bilinear net's backward from dhidden: dW_x[a] = Σ_{rows with a} dhidden ⊙ W_y[b]; dW_y[b] = Σ_{rows with b} dhidden ⊙ W_x[a]. */
function bilinearEmbedBackward(net: MlpNet): Pass[] {
  const { P, oWx, oWy, grads } = net;
  return groupSums(net, grads, P, [oWx, oWy], 1, [oWy, oWx]);
}
