/**
 * The one-layer transformer on backend 'webgpu': S members (own init, split and AdamW state) in one set of
 * WGSL dispatches per step, with the maths of src/models/transformer.ts (no LayerNorm, causal attention
 * scaled by 1/√d_head, ReLU MLP, logits at the last position, biases frozen: no gradient, no weight decay, no
 * moments), in float32. The attention uses per-token tables (src/gpu/transformer-wgsl.ts): the last position
 * needs only the keys and values of a, b and "=", so the per-row work is the three-way softmax, z, and the
 * dense W_O, W_in, W_out, W_U products (MATMUL64_WGSL, 64×64 output tiles). Loss sums, CE, AdamW: src/gpu/wgsl.ts, as the MLP's.
 *
 * Buffers, per member s a slice:
 *   weights, grads, m, v  [S, Pw]  the trainable parameters (weights) concatenated in creation order
 *   biases                [S, Pb]  the frozen ones, in creation order
 *   X / dX                [S, T, D]     token inputs (T = 2N + 1), K, V, dK, dV [S, T, H·E], q, dq [S, H·E]
 *   sc, dSc               [S, T, H]     scores of "=" against each token
 *   z, dz                 [S, R, H·E]   attn [S, R, H, 6] (pattern, score gradients)
 *   rmid, rpost, dRmid, dRpost [S, R, D]; post, dpost [S, R, F]; logits [S, R, N] (dlogits in a step)
 */
import { D_HEAD, D_MLP, D_MODEL, N_HEADS, initTransformerParams, isFrozenParam, transformerParamSpecs } from '../models/transformer-spec.js';
import { adamwScalars } from './adamw.js';
import { labelsOf, packState, unpackState } from './trainer-state.js';
import type { BatchTrainer, BatchTrainerOptions, EvalResult, TrainerState } from '../types/trainer.js';
import { UsageError } from '../util/errors.js';
import { checkDevice, type GpuContext } from '../gpu/device.js';
import { GpuKit, groupRows, linearGrid, matmulPass, STEP_SLOTS, type MatmulArgs, type Pass } from '../gpu/kernels.js';
import {
  MATMUL64_WGSL,
  TF_ATTN_BACKWARD_WGSL,
  TF_ATTN_WGSL,
  TF_COLSUM_WGSL,
  TF_DX_WGSL,
  TF_EMBED_GRADS_WGSL,
  TF_PROJ_GRADS_WGSL,
  TF_QK_BACKWARD_WGSL,
  TF_QKV_WGSL,
  TF_ROW_ADD_WGSL,
  TF_SCORES_WGSL,
  TF_TOKEN_GRADS_WGSL,
  TF_TOKENS_WGSL,
} from '../gpu/transformer-wgsl.js';
import { ADAMW_WGSL, CROSS_ENTROPY_WGSL, REDUCE_WGSL, RELU_BACKWARD_WGSL } from '../gpu/wgsl.js';

interface RowSet {
  R: number;
  rowA: GPUBuffer;
  rowB: GPUBuffer;
  labels: GPUBuffer;
  byA: { off: GPUBuffer; idx: GPUBuffer };
  byB: { off: GPUBuffer; idx: GPUBuffer };
  /** TF_HEADER's uniform for this row count. */
  tu: GPUBuffer;
  /** wgsl.ts's RowsU (S, R, N) for the cross-entropy. */
  rowsU: GPUBuffer;
}

/** Row-add flags of TF_ROW_ADD_WGSL. */
const ADD_X = 1,
  ADD_V1 = 2,
  ADD_V2 = 4,
  RELU = 8;

/** Builds the transformer's trainer on an open device (createWebGpuTrainer checks the options and members). */
export async function buildWebGpuTransformer(opts: BatchTrainerOptions, ctx: GpuContext, kit: GpuKit): Promise<BatchTrainer> {
  const { group, members } = opts;
  const device = ctx.device;
  const S = members.length;
  const Rtr = members[0]!.train.length;
  const Rte = members[0]!.test.length;
  const Rmax = Math.max(Rtr, Rte);
  const N = group.order;
  const D = D_MODEL,
    H = N_HEADS,
    E = D_HEAD,
    F = D_MLP,
    HE = H * E,
    T = 2 * N + 1;
  const specs = transformerParamSpecs(N);
  const weights = specs.filter((p) => !isFrozenParam(p.name));
  const biases = specs.filter((p) => isFrozenParam(p.name));
  const sizeOf = (shape: readonly number[]) => shape.reduce((x, y) => x * y, 1);
  const layout = (list: typeof specs) => {
    const at = new Map<string, number>();
    let n = 0;
    for (const p of list) {
      at.set(p.name, n);
      n += sizeOf(p.shape);
    }
    return { at, n };
  };
  const wl = layout(weights),
    bl = layout(biases);
  const Pw = wl.n,
    Pb = bl.n;
  const ow = (name: string) => wl.at.get(`blocks.0.${name}`) ?? wl.at.get(name)!;
  const ob = (name: string) => bl.at.get(`blocks.0.${name}`) ?? bl.at.get(name)!;
  const oWE = ow('embed.W_E'),
    oWpos = ow('pos_embed.W_pos'),
    oWQ = ow('attn.W_Q'),
    oWK = ow('attn.W_K'),
    oWV = ow('attn.W_V');
  const oWO = ow('attn.W_O'),
    oWin = ow('mlp.W_in'),
    oWout = ow('mlp.W_out'),
    oWU = ow('unembed.W_U');
  const obQ = ob('attn.b_Q'),
    obK = ob('attn.b_K'),
    obV = ob('attn.b_V'),
    obO = ob('attn.b_O');
  const obin = ob('mlp.b_in'),
    obout = ob('mlp.b_out'),
    obU = ob('unembed.b_U');
  if (oWpos !== oWE + (N + 1) * D) throw new Error('webgpu transformer: W_E and W_pos must be adjacent');

  // parameters: the CPU trainers' init, member by member
  const hostW = new Float32Array(S * Pw);
  const hostB = new Float32Array(S * Pb);
  members.forEach((m, s) =>
    initTransformerParams(N, m.seed).forEach((t) =>
      isFrozenParam(t.name) ? hostB.set(t.data, s * Pb + bl.at.get(t.name)!) : hostW.set(t.data, s * Pw + wl.at.get(t.name)!),
    ),
  );
  const W = kit.storage('transformer weights', hostW);
  const Bs = kit.storage('transformer biases', hostB);
  const grads = kit.storage('gradients', S * Pw);
  const mBuf = kit.storage('AdamW exp_avg', S * Pw);
  const vBuf = kit.storage('AdamW exp_avg_sq', S * Pw);
  const X = kit.storage('token inputs', S * T * D);
  const K = kit.storage('token keys', S * T * HE);
  const V = kit.storage('token values', S * T * HE);
  const q = kit.storage('query', S * HE);
  const sc = kit.storage('attention scores', S * T * H);
  const z = kit.storage('attention z', S * Rmax * HE);
  const attn = kit.storage('attention pattern', S * Rmax * H * 6);
  const rmid = kit.storage('resid_mid', S * Rmax * D);
  const post = kit.storage('mlp post', S * Rmax * F);
  const rpost = kit.storage('resid_post', S * Rmax * D);
  const logits = kit.storage('logits', S * Rmax * N);
  const ce = kit.storage('row losses', S * Rmax);
  const correct = kit.storage('row accuracies', S * Rmax);
  const dRpost = kit.storage('resid_post gradients', S * Rtr * D);
  const dpost = kit.storage('mlp gradients', S * Rtr * F);
  const dRmid = kit.storage('resid_mid gradients', S * Rtr * D);
  const dz = kit.storage('attention z gradients', S * Rtr * HE);
  const dc = kit.storage('"=" residual gradient', S * D);
  const dV = kit.storage('token value gradients', S * T * HE);
  const dK = kit.storage('token key gradients', S * T * HE);
  const dq = kit.storage('query gradient', S * HE);
  const dSc = kit.storage('score gradients', S * T * H);
  const dX = kit.storage('token input gradients', S * T * D);

  const tuWords = (R: number) => {
    const b = new ArrayBuffer(28 * 4);
    const w = new Uint32Array(b);
    w.set([S, R, N, T, D, H, E, F, Pw, Pb, oWE, oWpos, oWQ, oWK, oWV, oWO, oWin, oWout, oWU, obQ, obK, obV, obO, obin, obout, obU]);
    new Float32Array(b)[26] = 1 / Math.sqrt(E);
    return b;
  };
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
      tu: kit.uniform(tuWords(R)),
      rowsU: kit.uniform(new Uint32Array([S, R, N, 0, 0, 0, 0, 0])),
    };
  };
  const train = rowSet((s) => members[s]!.train, Rtr);
  const test = Rte > 0 ? rowSet((s) => members[s]!.test, Rte) : null;

  const matmul = (x: MatmulArgs): Pass => matmulPass(kit, S, x, MATMUL64_WGSL, 64);
  /** Y [S, R, w] += X? + V1? + V2? (then ReLU); V1/V2 given as [buffer, member stride, offset]. */
  const rowAdd = (
    R: number,
    w: number,
    Y: GPUBuffer,
    flags: number,
    Xb?: GPUBuffer,
    v1?: [GPUBuffer, number, number],
    v2?: [GPUBuffer, number, number],
  ): Pass => {
    const dummy = Y === Bs ? W : Bs;
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
  };
  const ceU = [0, 1].map((g) => kit.uniform(new Uint32Array([g, 0, 0, 0])));
  const stepU = Array.from({ length: STEP_SLOTS }, () => kit.uniform(new Uint32Array(12)));
  const reduce = (R: number, x: GPUBuffer, out: GPUBuffer, outBase: number, kMul: number, slot: number): Pass =>
    kit.pass(REDUCE_WGSL, [kit.uniform(new Uint32Array([R, outBase, kMul, 0])), stepU[slot]!, x, out], [S, 1, 1]);

  // The token tables depend on the parameters only: once per forward, shared by the row sets.
  const tablePasses = (): Pass[] => [
    kit.pass(TF_TOKENS_WGSL, [train.tu, W, X], linearGrid(S * T * D)),
    kit.pass(TF_QKV_WGSL, [train.tu, W, Bs, X, K, V, q], linearGrid(S * T * HE)),
    kit.pass(TF_SCORES_WGSL, [train.tu, q, K, sc], linearGrid(S * T * H)),
  ];

  /** The forward passes on a row set, after the tables, up to the row losses (grad: logits become dlogits). */
  const rowsForward = (set: RowSet, grad: boolean): Pass[] => {
    const R = set.R;
    return [
      kit.pass(TF_ATTN_WGSL, [set.tu, set.rowA, set.rowB, sc, V, z, attn], linearGrid(S * R * HE)),
      // resid_mid = c + z W_O + b_O   [R, HE] x [HE, D]
      matmul({ M: R, Nc: D, K: HE, A: z, lda: HE, aStride: R * HE, B: W, bOff: oWO, ldb: D, bStride: Pw, C: rmid, ldc: D, cStride: R * D }),
      rowAdd(R, D, rmid, 0, undefined, [X, T * D, (T - 1) * D], [Bs, Pb, obO]),
      // post = ReLU(resid_mid W_in + b_in)   [R, D] x [D, F]
      matmul({ M: R, Nc: F, K: D, A: rmid, lda: D, aStride: R * D, B: W, bOff: oWin, ldb: F, bStride: Pw, C: post, ldc: F, cStride: R * F }),
      rowAdd(R, F, post, RELU, undefined, [Bs, Pb, obin]),
      // resid_post = resid_mid + post W_out + b_out   [R, F] x [F, D]
      matmul({ M: R, Nc: D, K: F, A: post, lda: F, aStride: R * F, B: W, bOff: oWout, ldb: D, bStride: Pw, C: rpost, ldc: D, cStride: R * D }),
      rowAdd(R, D, rpost, 0, rmid, [Bs, Pb, obout]),
      // logits = resid_post W_U + b_U   [R, D] x [D, N]
      matmul({ M: R, Nc: N, K: D, A: rpost, lda: D, aStride: R * D, B: W, bOff: oWU, ldb: N, bStride: Pw, C: logits, ldc: N, cStride: R * N }),
      rowAdd(R, N, logits, 0, undefined, [Bs, Pb, obU]),
      kit.pass(CROSS_ENTROPY_WGSL, [set.rowsU, ceU[grad ? 1 : 0]!, set.labels, logits, ce, correct], linearGrid(S * R)),
    ];
  };

  const lossHistWords = { n: 0 };
  let lossHist = kit.storage('loss history', 4);
  /** The passes of one training step whose loss goes to lossHist[k·S + s], k from step slot `slot`. */
  const stepPasses = (slot: number): Pass[] => {
    const R = Rtr;
    const t = train;
    return [
      ...tablePasses(),
      ...rowsForward(t, true),
      reduce(R, ce, lossHist, 0, S, slot),
      // dW_U = resid_postᵀ dlogits; dresid_post = dlogits W_Uᵀ
      matmul({
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
        cOff: oWU,
        ldc: N,
        cStride: Pw,
      }),
      matmul({
        M: R,
        Nc: D,
        K: N,
        A: logits,
        lda: N,
        aStride: R * N,
        B: W,
        bOff: oWU,
        ldb: N,
        bStride: Pw,
        transB: true,
        C: dRpost,
        ldc: D,
        cStride: R * D,
      }),
      // dW_out = postᵀ dresid_post; dpost = dresid_post W_outᵀ, masked by post > 0
      matmul({
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
        cOff: oWout,
        ldc: D,
        cStride: Pw,
      }),
      matmul({
        M: R,
        Nc: F,
        K: D,
        A: dRpost,
        lda: D,
        aStride: R * D,
        B: W,
        bOff: oWout,
        ldb: D,
        bStride: Pw,
        transB: true,
        C: dpost,
        ldc: F,
        cStride: R * F,
      }),
      kit.pass(RELU_BACKWARD_WGSL, [kit.uniform(new Uint32Array([S * R * F, 0, 0, 0])), post, dpost], linearGrid(S * R * F)),
      // dW_in = resid_midᵀ dpre; dresid_mid = dresid_post + dpre W_inᵀ
      matmul({
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
        cOff: oWin,
        ldc: F,
        cStride: Pw,
      }),
      matmul({
        M: R,
        Nc: D,
        K: F,
        A: dpost,
        lda: F,
        aStride: R * F,
        B: W,
        bOff: oWin,
        ldb: F,
        bStride: Pw,
        transB: true,
        C: dRmid,
        ldc: D,
        cStride: R * D,
      }),
      rowAdd(R, D, dRmid, 0, dRpost),
      // dW_O = zᵀ dresid_mid; dz = dresid_mid W_Oᵀ; dc = Σ_rows dresid_mid
      matmul({
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
        cOff: oWO,
        ldc: D,
        cStride: Pw,
      }),
      matmul({
        M: R,
        Nc: HE,
        K: D,
        A: dRmid,
        lda: D,
        aStride: R * D,
        B: W,
        bOff: oWO,
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
      kit.pass(ADAMW_WGSL, [stepU[slot]!, grads, W, mBuf, vBuf], linearGrid(S * Pw)),
    ];
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
  const evalPasses: Pass[] = [
    ...tablePasses(),
    ...rowsForward(train, false),
    reduce(Rtr, ce, evalOut, 0, 0, 0),
    reduce(Rtr, correct, evalOut, S, 0, 0),
  ];
  if (test) evalPasses.push(...rowsForward(test, false), reduce(Rte, ce, evalOut, 2 * S, 0, 0), reduce(Rte, correct, evalOut, 3 * S, 0, 0));

  const setupError = await device.popErrorScope();
  if (setupError) throw new Error(`backend webgpu: setting up the transformer kernels failed: ${setupError.message}`);

  let step = 0;
  const guard = async <R>(f: () => Promise<R>): Promise<R> => {
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
    u[1] = S * Pw;
    f.set([s.decay, s.beta1, s.oneMinusBeta1, s.beta2, s.oneMinusBeta2, s.negStepSize, s.bc2Sqrt, s.eps, 0, 0], 2);
    device.queue.writeBuffer(stepU[slot]!, 0, scalars);
  };
  const sliceOf = (buf: Float32Array, s: number, stride: number, at: Map<string, number>) => (p: (typeof specs)[number]) =>
    buf.subarray(s * stride + at.get(p.name)!, s * stride + at.get(p.name)! + sizeOf(p.shape));

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
        const [w, b, m, v] = [await kit.read(W, S * Pw), await kit.read(Bs, S * Pb), await kit.read(mBuf, S * Pw), await kit.read(vBuf, S * Pw)];
        return members.map((_, s): TrainerState => {
          const param = (p: (typeof specs)[number]) => (isFrozenParam(p.name) ? sliceOf(b, s, Pb, bl.at)(p) : sliceOf(w, s, Pw, wl.at)(p));
          return packState(step, specs, specs.map(param), weights.map(sliceOf(m, s, Pw, wl.at)), weights.map(sliceOf(v, s, Pw, wl.at)), weights);
        });
      }),
    setStates: (states: TrainerState[]) =>
      guard(async () => {
        if (states.length !== S) throw new UsageError(`setStates: ${states.length} states for a batch of ${S}`);
        const un = states.map((st) => unpackState(st, specs, weights));
        if (un.some((u) => u.step !== un[0]!.step))
          throw new UsageError(
            `setStates: the members' states are at different steps (${un.map((u) => u.step).join(', ')}); a batch trains in lockstep`,
          );
        const [w, b, m, v] = [new Float32Array(S * Pw), new Float32Array(S * Pb), new Float32Array(S * Pw), new Float32Array(S * Pw)];
        un.forEach((u, s) => {
          specs.forEach((p, i) =>
            isFrozenParam(p.name) ? b.set(u.params[i]!, s * Pb + bl.at.get(p.name)!) : w.set(u.params[i]!, s * Pw + wl.at.get(p.name)!),
          );
          weights.forEach((p, i) => {
            m.set(u.exp_avg[i]!, s * Pw + wl.at.get(p.name)!);
            v.set(u.exp_avg_sq[i]!, s * Pw + wl.at.get(p.name)!);
          });
        });
        device.queue.writeBuffer(W, 0, w);
        device.queue.writeBuffer(Bs, 0, b);
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
