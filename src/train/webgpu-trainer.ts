/**
 * The WebGPU trainer (backend 'webgpu') of the MLP and the bilinear net: S members (own init, split and AdamW
 * state) trained in one set of WGSL dispatches per step. The maths is src/train/js-trainer.ts's, in float32
 * on the GPU; the MLP uses the factored form hidden = ReLU(Px[a] + Py[b]) with Px = W_x W[:d_e],
 * Py = W_y W[d_e:]. Per-row cross-entropies are float32; each member's sum is Kahan-summed per thread in
 * float32 and divided by the row count in float64 on the host (docs/gpu.md). Up to STEP_SLOTS steps go
 * into one command buffer; run(n) reads back once, at its end. The transformer is src/train/webgpu-transformer.ts.
 *
 * Buffers, per member s a slice `stride` floats long:
 *   params, grads, m, v   [S, P]   P = the member's parameters concatenated in creation order
 *   rowA, rowB, labels    [S, R]   elements a, b and a·b of each row of a row set (train or test)
 *   P / dP (MLP)          [S, 2, N, h]
 *   hidden, dh            [S, R, H]  H = h (MLP) or d_e (bilinear)
 *   logits                [S, R, N]  (overwritten by dlogits in a training step)
 */
import { initParams, paramSpecs, type ParamSpec } from '../models/init.js';
import { adamwScalars } from './adamw.js';
import { checkTrainerOptions, labelsOf, packState, unpackState } from './trainer-state.js';
import type { BatchTrainer, BatchTrainerOptions, EvalResult, TrainerState } from '../types/trainer.js';
import { UsageError } from '../util/errors.js';
import { checkDevice, openGpu, type GpuContext } from '../gpu/device.js';
import { buildWebGpuTransformer } from './webgpu-transformer.js';
import { GpuKit, groupRows, linearGrid, matmulPass, STEP_SLOTS, type MatmulArgs, type Pass } from '../gpu/kernels.js';
import {
  ADAMW_WGSL,
  BILINEAR_HIDDEN_WGSL,
  CROSS_ENTROPY_WGSL,
  GROUP_SUM_WGSL,
  MLP_HIDDEN_WGSL,
  REDUCE_WGSL,
  RELU_BACKWARD_WGSL,
} from '../gpu/wgsl.js';

export { STEP_SLOTS } from '../gpu/kernels.js';

/** A row set's index buffers: elements, labels and the rows grouped by a and by b (CSR per member). */
interface RowSet {
  R: number;
  rowA: GPUBuffer;
  rowB: GPUBuffer;
  labels: GPUBuffer;
  byA: { off: GPUBuffer; idx: GPUBuffer };
  byB: { off: GPUBuffer; idx: GPUBuffer };
  rowsU: GPUBuffer;
}

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

async function build(opts: BatchTrainerOptions, ctx: GpuContext, kit: GpuKit): Promise<BatchTrainer> {
  const { group, model, members } = opts;
  const device = ctx.device;
  const S = members.length;
  const Rtr = members[0]!.train.length;
  const Rte = members[0]!.test.length;
  const N = group.order;
  const d = model.embedDim;
  const mlp = model.kind === 'mlp';
  const h = mlp ? model.hiddenDim : d; // H: the hidden width
  const specs: ParamSpec[] = paramSpecs(model, N);
  const sizes = specs.map((s) => s.shape[0] * s.shape[1]);
  const offsets = sizes.map((_, i) => sizes.slice(0, i).reduce((x, y) => x + y, 0));
  const P = sizes.reduce((x, y) => x + y, 0);
  const [oWx, oWy] = [offsets[0]!, offsets[1]!];
  const oW = mlp ? offsets[2]! : -1;
  const oWU = offsets[mlp ? 3 : 2]!;

  // parameters: the CPU trainers' init, member by member
  const host = new Float32Array(S * P);
  members.forEach((m, s) => initParams(specs, m.seed).forEach((t, i) => host.set(t.data, s * P + offsets[i]!)));
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

  const rowSet = (rowsOf: (i: number) => Int32Array, R: number): RowSet => {
    const a = new Uint32Array(S * R);
    const b = new Uint32Array(S * R);
    const y = new Uint32Array(S * R);
    for (let s = 0; s < S; s++) {
      const rows = rowsOf(s);
      const lab = labelsOf(group, rows);
      for (let i = 0; i < R; i++) {
        a[s * R + i] = Math.floor(rows[i]! / N);
        b[s * R + i] = rows[i]! % N;
        y[s * R + i] = lab[i]!;
      }
    }
    const gA = groupRows(a, S, R, N);
    const gB = groupRows(b, S, R, N);
    return {
      R,
      rowA: kit.storage('row elements a', a),
      rowB: kit.storage('row elements b', b),
      labels: kit.storage('labels', y),
      byA: { off: kit.storage('rows by a', gA.off), idx: kit.storage('rows by a', gA.idx) },
      byB: { off: kit.storage('rows by b', gB.off), idx: kit.storage('rows by b', gB.idx) },
      rowsU: kit.uniform(new Uint32Array([S, R, N, h, d, P, oWx, oWy])),
    };
  };
  const train = rowSet((s) => members[s]!.train, Rtr);
  const test = Rte > 0 ? rowSet((s) => members[s]!.test, Rte) : null;

  const matmul = (x: MatmulArgs): Pass => matmulPass(kit, S, x);
  const ceU = [0, 1].map((g) => kit.uniform(new Uint32Array([g, 0, 0, 0])));
  const stepU = Array.from({ length: STEP_SLOTS }, () => kit.uniform(new Uint32Array(12)));
  const reduce = (R: number, x: GPUBuffer, out: GPUBuffer, outBase: number, kMul: number, slot: number): Pass =>
    kit.pass(REDUCE_WGSL, [kit.uniform(new Uint32Array([R, outBase, kMul, 0])), stepU[slot]!, x, out], [S, 1, 1]);

  /** The forward passes on a row set up to the row losses (grad: logits become dlogits). */
  const forward = (set: RowSet, grad: boolean): Pass[] => {
    const R = set.R;
    const passes: Pass[] = [];
    if (mlp) {
      passes.push(
        matmul({
          M: N,
          Nc: h,
          K: d,
          A: params,
          aOff: oWx,
          lda: d,
          aStride: P,
          B: params,
          bOff: oW,
          ldb: h,
          bStride: P,
          C: Pbuf,
          ldc: h,
          cStride: 2 * N * h,
        }),
        matmul({
          M: N,
          Nc: h,
          K: d,
          A: params,
          aOff: oWy,
          lda: d,
          aStride: P,
          B: params,
          bOff: oW + d * h,
          ldb: h,
          bStride: P,
          C: Pbuf,
          cOff: N * h,
          ldc: h,
          cStride: 2 * N * h,
        }),
        kit.pass(MLP_HIDDEN_WGSL, [set.rowsU, set.rowA, set.rowB, Pbuf, hidden], linearGrid(S * R * h)),
      );
    } else {
      passes.push(kit.pass(BILINEAR_HIDDEN_WGSL, [set.rowsU, set.rowA, set.rowB, params, hidden], linearGrid(S * R * h)));
    }
    passes.push(
      matmul({ M: R, Nc: N, K: h, A: hidden, lda: h, aStride: R * h, B: params, bOff: oWU, ldb: N, bStride: P, C: logits, ldc: N, cStride: R * N }),
      kit.pass(CROSS_ENTROPY_WGSL, [set.rowsU, ceU[grad ? 1 : 0]!, set.labels, logits, ce, correct], linearGrid(S * R)),
    );
    return passes;
  };

  const lossHistWords = { n: 0 };
  let lossHist = kit.storage('loss history', 4);
  /** The passes of one training step whose loss goes to lossHist[k·S + s], k from step slot `slot`. */
  const stepPasses = (slot: number): Pass[] => {
    const R = Rtr;
    const passes = forward(train, true);
    passes.push(
      reduce(R, ce, lossHist, 0, S, slot),
      // dW_U = hiddenᵀ dlogits: [H, R] x [R, N]
      matmul({
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
      matmul({
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
    );
    const gsU = (outStride: number, outOff: number, mode: number, otherOff: number) =>
      kit.uniform(new Uint32Array([h, outStride, outOff, mode, otherOff, 0, 0, 0]));
    if (mlp) {
      passes.push(
        kit.pass(RELU_BACKWARD_WGSL, [kit.uniform(new Uint32Array([S * R * h, 0, 0, 0])), hidden, dh], linearGrid(S * R * h)),
        kit.pass(
          GROUP_SUM_WGSL,
          [train.rowsU, gsU(2 * N * h, 0, 0, 0), train.byA.off, train.byA.idx, train.rowB, dh, params, dP],
          linearGrid(S * N * h),
        ),
        kit.pass(
          GROUP_SUM_WGSL,
          [train.rowsU, gsU(2 * N * h, N * h, 0, 0), train.byB.off, train.byB.idx, train.rowA, dh, params, dP],
          linearGrid(S * N * h),
        ),
        // dW_x = dPx W[:d]ᵀ, dW_y = dPy W[d:]ᵀ: [N, h] x [h, d]
        matmul({
          M: N,
          Nc: d,
          K: h,
          A: dP,
          lda: h,
          aStride: 2 * N * h,
          B: params,
          bOff: oW,
          ldb: h,
          bStride: P,
          transB: true,
          C: grads,
          cOff: oWx,
          ldc: d,
          cStride: P,
        }),
        matmul({
          M: N,
          Nc: d,
          K: h,
          A: dP,
          aOff: N * h,
          lda: h,
          aStride: 2 * N * h,
          B: params,
          bOff: oW + d * h,
          ldb: h,
          bStride: P,
          transB: true,
          C: grads,
          cOff: oWy,
          ldc: d,
          cStride: P,
        }),
        // dW[:d] = W_xᵀ dPx, dW[d:] = W_yᵀ dPy: [d, N] x [N, h]
        matmul({
          M: d,
          Nc: h,
          K: N,
          A: params,
          aOff: oWx,
          lda: d,
          aStride: P,
          transA: true,
          B: dP,
          ldb: h,
          bStride: 2 * N * h,
          C: grads,
          cOff: oW,
          ldc: h,
          cStride: P,
        }),
        matmul({
          M: d,
          Nc: h,
          K: N,
          A: params,
          aOff: oWy,
          lda: d,
          aStride: P,
          transA: true,
          B: dP,
          bOff: N * h,
          ldb: h,
          bStride: 2 * N * h,
          C: grads,
          cOff: oW + d * h,
          ldc: h,
          cStride: P,
        }),
      );
    } else {
      passes.push(
        // dW_x[a] = Σ_{rows with a} dhidden ⊙ W_y[b]; dW_y[b] = Σ_{rows with b} dhidden ⊙ W_x[a]
        kit.pass(
          GROUP_SUM_WGSL,
          [train.rowsU, gsU(P, oWx, 1, oWy), train.byA.off, train.byA.idx, train.rowB, dh, params, grads],
          linearGrid(S * N * h),
        ),
        kit.pass(
          GROUP_SUM_WGSL,
          [train.rowsU, gsU(P, oWy, 1, oWx), train.byB.off, train.byB.idx, train.rowA, dh, params, grads],
          linearGrid(S * N * h),
        ),
      );
    }
    passes.push(kit.pass(ADAMW_WGSL, [stepU[slot]!, grads, params, mBuf, vBuf], linearGrid(S * P)));
    return passes;
  };
  let steps: Pass[][] = [];
  const ensureLossHist = (n: number) => {
    if (n <= lossHistWords.n) return;
    lossHistWords.n = Math.max(n, 2 * lossHistWords.n, 64);
    lossHist = kit.storage('loss history', lossHistWords.n * S);
    steps = Array.from({ length: STEP_SLOTS }, (_, slot) => stepPasses(slot));
  };
  ensureLossHist(64);

  const evalOut = kit.storage('evaluation sums', 4 * S);
  const evalPasses: Pass[] = [...forward(train, false), reduce(Rtr, ce, evalOut, 0, 0, 0), reduce(Rtr, correct, evalOut, S, 0, 0)];
  if (test) evalPasses.push(...forward(test, false), reduce(Rte, ce, evalOut, 2 * S, 0, 0), reduce(Rte, correct, evalOut, 3 * S, 0, 0));

  const setupError = await device.popErrorScope();
  if (setupError) {
    throw new Error(`backend webgpu: setting up the kernels failed: ${setupError.message}`);
  }

  let step = 0;
  const guard = async <T>(f: () => Promise<T>): Promise<T> => {
    checkDevice(ctx);
    try {
      return await f();
    } catch (e) {
      checkDevice(ctx);
      throw e;
    }
  };
  const scalars = new ArrayBuffer(48);
  const writeStep = (slot: number, k: number, t: number) => {
    const s = adamwScalars(opts.optim, t);
    const u = new Uint32Array(scalars);
    const f = new Float32Array(scalars);
    u[0] = k;
    u[1] = S * P;
    f.set([s.decay, s.beta1, s.oneMinusBeta1, s.beta2, s.oneMinusBeta2, s.negStepSize, s.bc2Sqrt, s.eps, 0, 0], 2);
    device.queue.writeBuffer(stepU[slot]!, 0, scalars);
  };

  return {
    size: S,
    adapter: ctx.adapterName,
    run: (n: number) =>
      guard(async () => {
        if (!Number.isInteger(n) || n < 0) throw new UsageError(`run(${n}): the step count must be a non-negative integer`);
        if (n === 0) return new Float64Array(0);
        ensureLossHist(n);
        for (let k0 = 0; k0 < n; k0 += STEP_SLOTS) {
          const enc = device.createCommandEncoder();
          const c = Math.min(STEP_SLOTS, n - k0);
          for (let j = 0; j < c; j++) {
            writeStep(j, k0 + j, step + k0 + j + 1);
            GpuKit.record(enc, steps[j]!);
          }
          device.queue.submit([enc.finish()]);
        }
        step += n;
        const sums = await kit.read(lossHist, n * S);
        const out = new Float64Array(n * S);
        for (let i = 0; i < n * S; i++) out[i] = sums[i]! / Rtr;
        return out;
      }),
    evaluate: () =>
      guard(async () => {
        const enc = device.createCommandEncoder();
        GpuKit.record(enc, evalPasses);
        device.queue.submit([enc.finish()]);
        const sums = await kit.read(evalOut, 4 * S);
        return members.map((_, s): EvalResult => ({
          train_loss: sums[s]! / Rtr,
          train_acc: sums[S + s]! / Rtr,
          test_loss: test ? sums[2 * S + s]! / Rte : NaN,
          test_acc: test ? sums[3 * S + s]! / Rte : NaN,
        }));
      }),
    getStates: () =>
      guard(async () => {
        const [p, m, v] = [await kit.read(params, S * P), await kit.read(mBuf, S * P), await kit.read(vBuf, S * P)];
        const split = (x: Float32Array, s: number) => specs.map((_, i) => x.subarray(s * P + offsets[i]!, s * P + offsets[i]! + sizes[i]!));
        return members.map((_, s): TrainerState => packState(step, specs, split(p, s), split(m, s), split(v, s)));
      }),
    setStates: (states: TrainerState[]) =>
      guard(async () => {
        if (states.length !== S) throw new UsageError(`setStates: ${states.length} states for a batch of ${S}`);
        const un = states.map((st) => unpackState(st, specs));
        if (un.some((u) => u.step !== un[0]!.step))
          throw new UsageError(
            `setStates: the members' states are at different steps (${un.map((u) => u.step).join(', ')}); a batch trains in lockstep`,
          );
        const [p, m, v] = [new Float32Array(S * P), new Float32Array(S * P), new Float32Array(S * P)];
        un.forEach((u, s) =>
          specs.forEach((_, i) => {
            p.set(u.params[i]!, s * P + offsets[i]!);
            m.set(u.exp_avg[i]!, s * P + offsets[i]!);
            v.set(u.exp_avg_sq[i]!, s * P + offsets[i]!);
          }),
        );
        device.queue.writeBuffer(params, 0, p);
        device.queue.writeBuffer(mBuf, 0, m);
        device.queue.writeBuffer(vBuf, 0, v);
        step = un[0]!.step;
      }),
    dispose: async () => {
      kit.destroy();
      device.destroy();
    },
  };
}
