/**
 * The transformer's fast training path (backend 'wasm'): exact loss and gradients of the last-position
 * logits, computed through per-token tables instead of per-pair activations.
 *
 * Why it is cheap. The last position's input is always "=", so its residual c = W_E[N] + W_pos[2], query,
 * key and value are constants. The keys and values of positions 0 and 1 depend on a alone or b alone. So the
 * last position's attention scores are per-token tables S0[a, h], S1[b, h] and a constant S2[h], and with
 * Wcat = [W_in | W_U] ([d_model, F + Np]) everything linear after the values is pushed through tables:
 *   T0[t, h] = (X0[t] W_V[h] + b_V[h]) W_O[h] Wcat      X0 = W_E[:N] + W_pos[0]   [N, H, F + Np]
 *   T1[t, h] = (X1[t] W_V[h] + b_V[h]) W_O[h] Wcat      X1 = W_E[:N] + W_pos[1]
 *   T2[h]    = (c W_V[h] + b_V[h]) W_O[h] Wcat
 *   base     = (c + b_O) Wcat + [b_in | b_U + b_out W_U]
 *   y[a, b]  = base + Σ_h p_0h T0[a, h] + p_1h T1[b, h] + p_2h T2[h] = [mlp pre | resid_mid W_U + b_U]
 *   logits   = y[F:] + relu(y[:F]) M,   M = W_out W_U   [F, Np]
 * Per row this is 12 table rows and a sparse (active units only) product with M, instead of three
 * positions of full attention, W_in and W_out. The per-row pass and its backward are the WebAssembly kernel
 * assembly/transformer.ts `rows`; the table products (and their backward, down to every weight) use its
 * `gemm`. Columns of the logits are padded to Np (a multiple of 32) with zeros.
 */
import { CTRL_WORDS, PhasePool } from '../kernels/phase-pool.js';
import { C, CTX_SLOTS, PHASE } from '../kernels/transformer-layout.js';
import { getKernelPlatform, kernelMemory, MAX_KERNEL_PAGES } from '../kernels/platform.js';
import type { AdamWScalars } from './adamw.js';
import type { NamedTensor } from '../types/trainer.js';
import type { TransformerCore } from './transformer-trainer.js';
import { D_HEAD, D_MLP, D_MODEL, N_HEADS, isFrozenParam, transformerParamSpecs } from '../models/transformer-spec.js';

interface Exports {
  heapBase(): number;
}

/** Most gemm jobs in one batch. */
const MAX_JOBS = 32;

/** Values of b per block of the train-row order. */
const B_BLOCK = 16;

/** Rows per forward-only chunk of `logits`. */
const EVAL_CHUNK = 4096;

export async function createFastCore(N: number, threads: number): Promise<TransformerCore> {
  const nthreads = Math.max(1, Math.floor(threads));
  const D = D_MODEL,
    H = N_HEADS,
    E = D_HEAD,
    F = D_MLP,
    HE = H * E;
  const Np = Math.ceil(N / 32) * 32;
  const W = F + Np;
  const sc = 1 / Math.sqrt(E);
  const maxRows = N * N;
  const specs = transformerParamSpecs(N);
  const storeOrder = [...specs.filter((p) => !isFrozenParam(p.name)), ...specs.filter((p) => isFrozenParam(p.name))];
  const sizeOf = (shape: readonly number[]) => shape.reduce((x, y) => x * y, 1);
  const storeAt = new Map<string, number>();
  let paramTotal = 0,
    trainTotal = 0;
  for (const sp of storeOrder) {
    storeAt.set(sp.name, paramTotal);
    paramTotal += Math.ceil(sizeOf(sp.shape) / 4) * 4;
    if (!isFrozenParam(sp.name)) trainTotal = paramTotal;
  }
  // one thread's gradient block [dT0 | dT1 | dT2 | dbase | dM | dS0 | dS1 | dS2] and scratch, in floats
  const G = 2 * N * H * W + H * W + W + F * Np + 2 * N * H + H;
  const SCRATCH = 2 * W + Np + F + 32;

  // ---- memory plan (float offsets; every region 16-byte aligned), above the module's static data ----
  const platform = await getKernelPlatform();
  const module = await platform.loadModule('transformer');
  const probe = new WebAssembly.Instance(module, {
    env: { memory: kernelMemory(platform, 1, MAX_KERNEL_PAGES), abort: () => {} },
  }).exports as unknown as Exports;
  // (kernel phases run through the training core's PhasePool: thread 0 here, the rest in workers)
  let top = Math.ceil(probe.heapBase() / 64) * 16 + 16;
  const alloc = (n: number) => {
    const at = top;
    top += Math.ceil(n / 4) * 4;
    return at;
  };
  const o = {
    ctx: alloc(CTX_SLOTS),
    ctrl: alloc(CTRL_WORDS),
    jobs: alloc(1 + 11 * MAX_JOBS),
    // parameter store: the weights (trainable) first, contiguous, then the biases; grads and moments of the weights
    params: alloc(paramTotal),
    grad: alloc(trainTotal),
    expAvg: alloc(trainTotal),
    expAvgSq: alloc(trainTotal),
    X0: alloc(N * D),
    X1: alloc(N * D),
    c: alloc(D),
    cb: alloc(D),
    WVp: alloc(D * HE),
    WVpT: alloc(HE * D),
    V0: alloc(N * HE),
    V1: alloc(N * HE),
    v2: alloc(HE),
    Wcat: alloc(D * W),
    WcatT: alloc(W * D),
    WO: alloc(HE * D),
    P: alloc(HE * W),
    PT: alloc(W * HE),
    T0: alloc(N * H * W),
    T1: alloc(N * H * W),
    T2: alloc(H * W),
    base: alloc(W),
    Wout: alloc(F * D),
    WUp: alloc(D * Np),
    WUpT: alloc(Np * D),
    M: alloc(F * Np),
    S0: alloc(N * H),
    S1: alloc(N * H),
    S2: alloc(H),
    A: alloc(maxRows),
    B: alloc(maxRows),
    Y: alloc(maxRows),
    grads: alloc(G * nthreads),
    scratch: alloc(SCRATCH * nthreads),
    loss: alloc(2 * nthreads),
    logits: alloc(EVAL_CHUNK * N),
    dWcat: alloc(D * W),
    dP: alloc(HE * W),
    dV0: alloc(N * HE),
    dV1: alloc(N * HE),
    dv2: alloc(HE),
    dX0: alloc(N * D),
    dX1: alloc(N * D),
    dWVp: alloc(D * HE),
    dWout: alloc(F * D),
    dWO: alloc(HE * D),
    dcb: alloc(D),
  };
  const bytes = top * 4;
  const pages = Math.ceil(bytes / 65536) + 1;
  const memory = kernelMemory(platform, pages, MAX_KERNEL_PAGES);
  const f32 = new Float32Array(memory.buffer);
  const i32 = new Int32Array(memory.buffer);
  const f64 = new Float64Array(memory.buffer);
  const view = (at: number, n: number) => f32.subarray(at, at + n);
  // gemm jobs are queued (float offsets) and run as one batch on all threads by flush(); jobs in one batch
  // must not read what another writes, and jobs writing the same rows must have the same m.
  let njobs = 0;
  const gemm = (a: number, rsA: number, csA: number, b: number, ldb: number, c: number, ldc: number, m: number, n: number, k: number, acc: 0 | 1) => {
    if (njobs === MAX_JOBS) throw new Error('too many gemm jobs in one batch');
    i32.set([a * 4, rsA, csA, b * 4, ldb, c * 4, ldc, m, n, k, acc], o.jobs + 1 + 11 * njobs++);
  };
  const flush = () => {
    i32[o.jobs] = njobs;
    if (njobs > 0) run(PHASE.GEMMS);
    njobs = 0;
  };

  const setCtx = (slot: number, v: number) => (i32[o.ctx + slot] = v);
  setCtx(C.N, N);
  setCtx(C.NP, Np);
  setCtx(C.F, F);
  setCtx(C.H, H);
  const ptrs: [number, number][] = [
    [C.A, o.A],
    [C.B, o.B],
    [C.Y, o.Y],
    [C.S0, o.S0],
    [C.S1, o.S1],
    [C.S2, o.S2],
    [C.T0, o.T0],
    [C.T1, o.T1],
    [C.T2, o.T2],
    [C.BASE, o.base],
    [C.M, o.M],
    [C.GBASE, o.grads],
    [C.SBASE, o.scratch],
    [C.LOSS, o.loss],
    [C.LOGITS, o.logits],
  ];
  for (const [slot, at] of ptrs) setCtx(slot, at * 4);
  setCtx(C.GSTRIDE, G * 4);
  setCtx(C.GSIZE, G);
  setCtx(C.SSTRIDE, Math.ceil(SCRATCH / 4) * 16);
  // thread 0's gradient block, after the reduction: the table gradients
  const dT0 = o.grads,
    dT1 = dT0 + N * H * W,
    dT2 = dT1 + N * H * W,
    dbase = dT2 + H * W,
    dM = dbase + W;
  const dS0 = dM + F * Np,
    dS1 = dS0 + N * H,
    dS2 = dS1 + N * H;
  const g = { dT0, dT1, dT2, dbase, dM, dS0, dS1, dS2 };
  const pool = await PhasePool.start(platform, { module, memory, cfgPtr: o.ctx * 4, ctrlPtr: o.ctrl * 4, nthreads });
  const run = (phase: number) => pool.run(phase);
  const trainable = specs.filter((p) => !isFrozenParam(p.name));
  const storeParams = specs.map((sp) => view(o.params + storeAt.get(sp.name)!, sizeOf(sp.shape)));
  const gradViews = trainable.map((sp) => view(o.grad + storeAt.get(sp.name)!, sizeOf(sp.shape)));
  const mViews = trainable.map((sp) => view(o.expAvg + storeAt.get(sp.name)!, sizeOf(sp.shape)));
  const vViews = trainable.map((sp) => view(o.expAvgSq + storeAt.get(sp.name)!, sizeOf(sp.shape)));
  setCtx(C.OP, o.params * 4);
  setCtx(C.OG, o.grad * 4);
  setCtx(C.OM, o.expAvg * 4);
  setCtx(C.OV, o.expAvgSq * 4);
  setCtx(C.ON, trainTotal);
  setCtx(C.JOBS, o.jobs * 4);
  const f32bits = (x: number) => new Int32Array(Float32Array.of(x).buffer)[0]!;

  // Host-side (float64) small tables of the attention scores.
  const q = new Float64Array(HE),
    k2 = new Float64Array(HE),
    u = new Float64Array(H * D),
    ks = new Float64Array(H);

  let named: Map<string, Float32Array> = new Map();
  const P = (name: string) => named.get(name)!;

  /** Builds every table from the parameters. */
  function tables(params: readonly NamedTensor[]): void {
    named = new Map(params.map((p) => [p.name, p.data]));
    const WE = P('embed.W_E'),
      Wpos = P('pos_embed.W_pos'),
      WQ = P('blocks.0.attn.W_Q'),
      WK = P('blocks.0.attn.W_K');
    const WV = P('blocks.0.attn.W_V'),
      WO = P('blocks.0.attn.W_O'),
      bQ = P('blocks.0.attn.b_Q'),
      bK = P('blocks.0.attn.b_K');
    const bV = P('blocks.0.attn.b_V'),
      bO = P('blocks.0.attn.b_O'),
      Win = P('blocks.0.mlp.W_in'),
      bin = P('blocks.0.mlp.b_in');
    const Wout = P('blocks.0.mlp.W_out'),
      bout = P('blocks.0.mlp.b_out'),
      WU = P('unembed.W_U'),
      bU = P('unembed.b_U');
    // residual inputs: X0, X1 [N, D], c [D]
    for (let t = 0; t < N; t++)
      for (let d = 0; d < D; d++) {
        f32[o.X0 + t * D + d] = WE[t * D + d]! + Wpos[d]!;
        f32[o.X1 + t * D + d] = WE[t * D + d]! + Wpos[D + d]!;
      }
    for (let d = 0; d < D; d++) {
      f32[o.c + d] = WE[N * D + d]! + Wpos[2 * D + d]!;
      f32[o.cb + d] = f32[o.c + d]! + bO[d]!;
    }
    // query, key and value of "=": q, k2, v2 [H, E]; u[h] = sc W_K[h] q[h] so that S0[t, h] = X0[t]·u[h] + ks[h]
    for (let h = 0; h < H; h++)
      for (let e = 0; e < E; e++) {
        let sq = bQ[h * E + e]!,
          sk = bK[h * E + e]!,
          sv = bV[h * E + e]!;
        for (let d = 0; d < D; d++) {
          const cd = f32[o.c + d]!,
            w = (h * D + d) * E + e;
          sq += cd * WQ[w]!;
          sk += cd * WK[w]!;
          sv += cd * WV[w]!;
        }
        q[h * E + e] = sq;
        k2[h * E + e] = sk;
        f32[o.v2 + h * E + e] = sv;
      }
    for (let h = 0; h < H; h++) {
      let s2 = 0,
        kb = 0;
      for (let e = 0; e < E; e++) {
        s2 += k2[h * E + e]! * q[h * E + e]!;
        kb += bK[h * E + e]! * q[h * E + e]!;
      }
      f32[o.S2 + h] = sc * s2;
      ks[h] = sc * kb;
      for (let d = 0; d < D; d++) {
        let s = 0;
        for (let e = 0; e < E; e++) s += WK[(h * D + d) * E + e]! * q[h * E + e]!;
        u[h * D + d] = sc * s;
      }
    }
    for (let t = 0; t < N; t++)
      for (let h = 0; h < H; h++) {
        let s0 = ks[h]!,
          s1 = ks[h]!;
        for (let d = 0; d < D; d++) {
          s0 += f32[o.X0 + t * D + d]! * u[h * D + d]!;
          s1 += f32[o.X1 + t * D + d]! * u[h * D + d]!;
        }
        f32[o.S0 + t * H + h] = s0;
        f32[o.S1 + t * H + h] = s1;
      }
    // values V0, V1 [N, H*E] = X W_V' + b_V with W_V'[d, h*E + e] = W_V[h, d, e]
    for (let h = 0; h < H; h++)
      for (let d = 0; d < D; d++)
        for (let e = 0; e < E; e++) {
          const w = WV[(h * D + d) * E + e]!;
          f32[o.WVp + d * HE + h * E + e] = w;
          f32[o.WVpT + (h * E + e) * D + d] = w;
        }
    // Wcat = [W_in | W_U | 0] [D, W] and its transpose; W_U padded [D, Np] and its transpose; W_O, W_out copies
    f32.fill(0, o.Wcat, o.Wcat + D * W);
    f32.fill(0, o.WUp, o.WUp + D * Np);
    for (let d = 0; d < D; d++) {
      f32.set(Win.subarray(d * F, d * F + F), o.Wcat + d * W);
      f32.set(WU.subarray(d * N, d * N + N), o.Wcat + d * W + F);
      f32.set(WU.subarray(d * N, d * N + N), o.WUp + d * Np);
    }
    transpose(f32, o.Wcat, D, W, o.WcatT);
    transpose(f32, o.WUp, D, Np, o.WUpT);
    f32.set(WO, o.WO);
    f32.set(Wout, o.Wout);
    // batch 1. values V0, V1 [N, HE] = X W_V' (+ b_V below); P[h] = W_O[h] Wcat [HE, W];
    // base = (c + b_O) Wcat (+ biases below); M = W_out W_U [F, Np]
    gemm(o.X0, D, 1, o.WVp, HE, o.V0, HE, N, HE, D, 0); // [N, D] x [D, HE] -> [N, HE]
    gemm(o.X1, D, 1, o.WVp, HE, o.V1, HE, N, HE, D, 0);
    gemm(o.WO, D, 1, o.Wcat, W, o.P, W, HE, W, D, 0); // [HE, D] x [D, W] -> [HE, W]
    gemm(o.cb, 0, 1, o.Wcat, W, o.base, W, 1, W, D, 0); // [1, D] x [D, W]
    gemm(o.Wout, D, 1, o.WUp, Np, o.M, Np, F, Np, D, 0); // [F, D] x [D, Np] -> [F, Np]
    flush();
    for (let t = 0; t < N; t++)
      for (let j = 0; j < HE; j++) {
        f32[o.V0 + t * HE + j]! += bV[j]!;
        f32[o.V1 + t * HE + j]! += bV[j]!;
      }
    transpose(f32, o.P, HE, W, o.PT);
    for (let j = 0; j < F; j++) f32[o.base + j]! += bin[j]!;
    for (let n = 0; n < N; n++) {
      let s = bU[n]!;
      for (let d = 0; d < D; d++) s += bout[d]! * WU[d * N + n]!;
      f32[o.base + F + n]! += s;
    }
    // batch 2. T0[:, h] = V0[:, h] P[h]   [N, E] x [E, W] -> [N, W] (row stride H*W); T1 likewise; T2[h] = v2[h] P[h]
    for (let h = 0; h < H; h++) {
      gemm(o.V0 + h * E, HE, 1, o.P + h * E * W, W, o.T0 + h * W, H * W, N, W, E, 0);
      gemm(o.V1 + h * E, HE, 1, o.P + h * E * W, W, o.T1 + h * W, H * W, N, W, E, 0);
      gemm(o.v2 + h * E, 0, 1, o.P + h * E * W, W, o.T2 + h * W, W, 1, W, E, 0);
    }
    flush();
  }

  /**
   * Loads the train rows in a cache-friendly order (the sum over rows does not care): blocks of B_BLOCK
   * values of b, and within a block by a, so the T1/dT1 rows of a block and each T0/dT0[a] stay in cache.
   */
  let lastRows: Int32Array | null = null,
    lastLabels: Int32Array | null = null;
  function loadTrainRows(rows: Int32Array, labels: Int32Array): void {
    if (rows === lastRows && labels === lastLabels) return;
    const key = (r: number) => (Math.floor((r % N) / B_BLOCK) * N + Math.floor(r / N)) * N + (r % N);
    const order = Array.from(rows.keys()).sort((i, j) => key(rows[i]!) - key(rows[j]!));
    order.forEach((from, i) => {
      const r = rows[from]!;
      i32[o.A + i] = Math.floor(r / N);
      i32[o.B + i] = r % N;
      i32[o.Y + i] = labels[from]!;
    });
    lastRows = rows;
    lastLabels = labels;
  }

  /** Gradients of the weights from the table gradients (in trainable order). */
  function backward(): Float32Array[] {
    const WE = P('embed.W_E'),
      WQ = P('blocks.0.attn.W_Q'),
      WK = P('blocks.0.attn.W_K'),
      WV = P('blocks.0.attn.W_V');
    const bK = P('blocks.0.attn.b_K'),
      bout = P('blocks.0.mlp.b_out');
    void WE;
    f32.fill(0, o.grad, o.grad + trainTotal);
    const [gWE, gWpos, gWQ, gWK, gWV, gWO, gWin, gWout, gWU] = gradViews as [
      Float32Array,
      Float32Array,
      Float32Array,
      Float32Array,
      Float32Array,
      Float32Array,
      Float32Array,
      Float32Array,
      Float32Array,
    ];
    // batch 1. dW_out = dM W_U^T; d(c + b_O) = Wcat dbase; dV = dT P^T
    gemm(g.dM, Np, 1, o.WUpT, D, o.dWout, D, F, D, Np, 0); // [F, Np] x [Np, D]
    gemm(g.dbase, 0, 1, o.WcatT, D, o.dcb, D, 1, D, W, 0); // [1, W] x [W, D]
    for (let h = 0; h < H; h++) {
      gemm(g.dT0 + h * W, H * W, 1, o.PT + h * E, HE, o.dV0 + h * E, HE, N, E, W, 0); // [N, W] x [W, E]
      gemm(g.dT1 + h * W, H * W, 1, o.PT + h * E, HE, o.dV1 + h * E, HE, N, E, W, 0);
      gemm(g.dT2 + h * W, 0, 1, o.PT + h * E, HE, o.dv2 + h * E, HE, 1, E, W, 0);
    }
    flush();
    // batch 2. dP = V^T dT; V = X W_V' + b_V: dW_V' = X0^T dV0 + X1^T dV1; dX = dV W_V'^T
    for (let h = 0; h < H; h++) {
      gemm(o.V0 + h * E, 1, HE, g.dT0 + h * W, H * W, o.dP + h * E * W, W, E, W, N, 0); // [E, N] x [N, W]
      gemm(o.V1 + h * E, 1, HE, g.dT1 + h * W, H * W, o.dP + h * E * W, W, E, W, N, 1);
      gemm(o.v2 + h * E, 1, 0, g.dT2 + h * W, W, o.dP + h * E * W, W, E, W, 1, 1);
    }
    gemm(o.X0, 1, D, o.dV0, HE, o.dWVp, HE, D, HE, N, 0);
    gemm(o.X1, 1, D, o.dV1, HE, o.dWVp, HE, D, HE, N, 1);
    gemm(o.dV0, HE, 1, o.WVpT, D, o.dX0, D, N, D, HE, 0);
    gemm(o.dV1, HE, 1, o.WVpT, D, o.dX1, D, N, D, HE, 0);
    flush();
    // batch 3. P = W_O Wcat: dW_O = dP Wcat^T; dWcat = W_O^T dP + W_out^T dM (into [:, F:]) + (c + b_O)^T dbase
    gemm(o.dP, W, 1, o.WcatT, D, o.dWO, D, HE, D, W, 0);
    gemm(o.WO, 1, D, o.dP, W, o.dWcat, W, D, W, HE, 0);
    gemm(o.Wout, 1, D, g.dM, Np, o.dWcat + F, W, D, Np, F, 1); // [D, F] x [F, Np]
    gemm(o.cb, 1, 0, g.dbase, W, o.dWcat, W, D, W, 1, 1);
    flush();
    for (let d = 0; d < D; d++) for (let n = 0; n < N; n++) gWU[d * N + n]! += bout[d]! * f32[g.dbase + F + n]!;
    for (let d = 0; d < D; d++) {
      for (let j = 0; j < F; j++) gWin[d * F + j] = f32[o.dWcat + d * W + j]!;
      for (let n = 0; n < N; n++) gWU[d * N + n]! += f32[o.dWcat + d * W + F + n]!;
    }
    gWO.set(view(o.dWO, HE * D));
    gWout.set(view(o.dWout, F * D));
    const dc = new Float64Array(D);
    for (let d = 0; d < D; d++) dc[d] = f32[o.dcb + d]!;
    for (let h = 0; h < H; h++)
      for (let d = 0; d < D; d++) {
        const cd = f32[o.c + d]!;
        let s = 0;
        for (let e = 0; e < E; e++) {
          const w = (h * D + d) * E + e,
            dv = f32[o.dv2 + h * E + e]!;
          gWV[w] = f32[o.dWVp + d * HE + h * E + e]! + cd * dv;
          s += WV[w]! * dv;
        }
        dc[d]! += s;
      }
    // scores: S_j[t, h] = X_j[t]·u[h] + ks[h]; S2[h] = sc k2[h]·q[h]; u[h] = sc W_K[h] q[h]; ks[h] = sc b_K[h]·q[h]
    const du = new Float64Array(H * D),
      dks = new Float64Array(H),
      dq = new Float64Array(HE);
    for (let t = 0; t < N; t++)
      for (let h = 0; h < H; h++) {
        const g0 = f32[g.dS0 + t * H + h]!,
          g1 = f32[g.dS1 + t * H + h]!;
        dks[h]! += g0 + g1;
        for (let d = 0; d < D; d++) {
          f32[o.dX0 + t * D + d]! += g0 * u[h * D + d]!;
          f32[o.dX1 + t * D + d]! += g1 * u[h * D + d]!;
          du[h * D + d]! += g0 * f32[o.X0 + t * D + d]! + g1 * f32[o.X1 + t * D + d]!;
        }
      }
    for (let h = 0; h < H; h++) {
      const g2 = f32[g.dS2 + h]!;
      for (let e = 0; e < E; e++) {
        const dk2 = sc * g2 * q[h * E + e]!;
        let s = sc * g2 * k2[h * E + e]! + sc * dks[h]! * bK[h * E + e]!;
        for (let d = 0; d < D; d++) {
          const w = (h * D + d) * E + e;
          gWK[w] = sc * du[h * D + d]! * q[h * E + e]! + f32[o.c + d]! * dk2;
          s += sc * WK[w]! * du[h * D + d]!;
          dc[d]! += WK[w]! * dk2;
        }
        dq[h * E + e] = s;
      }
      for (let d = 0; d < D; d++) {
        let s = 0;
        for (let e = 0; e < E; e++) {
          const w = (h * D + d) * E + e;
          gWQ[w] = f32[o.c + d]! * dq[h * E + e]!;
          s += WQ[w]! * dq[h * E + e]!;
        }
        dc[d]! += s;
      }
    }
    // X0 = W_E[:N] + W_pos[0], X1 = W_E[:N] + W_pos[1], c = W_E[N] + W_pos[2]
    for (let t = 0; t < N; t++)
      for (let d = 0; d < D; d++) {
        const g0 = f32[o.dX0 + t * D + d]!,
          g1 = f32[o.dX1 + t * D + d]!;
        gWE[t * D + d] = g0 + g1;
        gWpos[d]! += g0;
        gWpos[D + d]! += g1;
      }
    for (let d = 0; d < D; d++) {
      gWE[N * D + d] = dc[d]!;
      gWpos[2 * D + d] = dc[d]!;
    }
    return gradViews;
  }

  return {
    lossAndGrads(params, rows, labels) {
      tables(params);
      const R = rows.length;
      loadTrainRows(rows, labels);
      setCtx(C.R, R);
      i32[o.ctx + C.INVR] = f32bits(1 / R);
      run(PHASE.TRAIN);
      if (nthreads > 1) run(PHASE.REDUCE);
      let loss = 0;
      for (let t = 0; t < nthreads; t++) loss += f64[o.loss / 2 + t]!;
      loss /= R;
      return { loss, grads: backward() };
    },
    logits(params, rows) {
      tables(params);
      const out = new Float32Array(rows.length * N);
      for (let from = 0; from < rows.length; from += EVAL_CHUNK) {
        const count = Math.min(EVAL_CHUNK, rows.length - from);
        lastRows = lastLabels = null;
        for (let i = 0; i < count; i++) {
          const r = rows[from + i]!;
          i32[o.A + i] = Math.floor(r / N);
          i32[o.B + i] = r % N;
        }
        setCtx(C.R, count);
        run(PHASE.LOGITS);
        out.set(view(o.logits, count * N), from * N);
      }
      return out;
    },
    store: {
      params: storeParams,
      exp_avg: mViews,
      exp_avg_sq: vViews,
      adamw(sc: AdamWScalars, grads: readonly Float32Array[]): void {
        if (grads.some((g, i) => g !== gradViews[i])) throw new Error('store.adamw expects the gradients of the last lossAndGrads');
        const slots: [number, number][] = [
          [C.DECAY, sc.decay],
          [C.B1, sc.beta1],
          [C.OMB1, sc.oneMinusBeta1],
          [C.B2, sc.beta2],
          [C.OMB2, sc.oneMinusBeta2],
          [C.NEGSTEP, sc.negStepSize],
          [C.BC2, sc.bc2Sqrt],
          [C.EPS, sc.eps],
        ];
        for (const [slot, x] of slots) setCtx(slot, f32bits(x));
        run(PHASE.ADAMW);
      },
    },
    dispose: () => pool.dispose(),
  };
}

/** dst[j, i] = src[i, j]: [rows, cols] -> [cols, rows], on float offsets of one array. */
function transpose(a: Float32Array, src: number, rows: number, cols: number, dst: number): void {
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) a[dst + j * rows + i] = a[src + i * cols + j]!;
}
