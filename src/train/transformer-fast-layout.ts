/**
 * The memory plan of the transformer's fast training path (src/train/transformer-fast.ts): every table,
 * weight copy and gradient block as a float offset into the kernel's one WebAssembly memory, above the
 * module's static data, each region 16-byte aligned. Shapes are noted beside each region.
 */
import { D_HEAD, D_MLP, D_MODEL, N_HEADS, isFrozenParam, transformerParamSpecs, type TransformerParamSpec } from '../models/transformer-spec.js';

/** Most gemm jobs in one batch. */
export const MAX_JOBS = 32;

/** Rows per forward-only chunk of `logits`. */
export const EVAL_CHUNK = 4096;

/** The sizes the fast path works with. */
export interface FastDims {
  N: number;
  /** N padded to a multiple of 32 (the logits' column count in the kernel) */
  Np: number;
  D: number;
  H: number;
  E: number;
  F: number;
  HE: number;
  /** F + Np: the columns of Wcat = [W_in | W_U | 0] */
  W: number;
  /** 1 / sqrt(d_head), the attention scale */
  sc: number;
}

export function fastDims(N: number): FastDims {
  const Np = Math.ceil(N / 32) * 32;
  return { N, Np, D: D_MODEL, H: N_HEADS, E: D_HEAD, F: D_MLP, HE: N_HEADS * D_HEAD, W: D_MLP + Np, sc: 1 / Math.sqrt(D_HEAD) };
}

export const sizeOf = (shape: readonly number[]) => shape.reduce((x, y) => x * y, 1);

/** The parameter store: trainable weights first, contiguous (grads and moments mirror them), then the frozen biases. */
export interface ParamStore {
  specs: TransformerParamSpec[];
  trainable: TransformerParamSpec[];
  /** name -> float offset inside the store */
  at: Map<string, number>;
  /** floats in the whole store, and in its trainable head */
  paramTotal: number;
  trainTotal: number;
}

export function paramStore(N: number): ParamStore {
  const specs = transformerParamSpecs(N);
  const trainable = specs.filter((p) => !isFrozenParam(p.name));
  const at = new Map<string, number>();
  let paramTotal = 0,
    trainTotal = 0;
  for (const sp of [...trainable, ...specs.filter((p) => isFrozenParam(p.name))]) {
    at.set(sp.name, paramTotal);
    paramTotal += Math.ceil(sizeOf(sp.shape) / 4) * 4;
    if (!isFrozenParam(sp.name)) trainTotal = paramTotal;
  }
  return { specs, trainable, at, paramTotal, trainTotal };
}

/** Floats in one thread's gradient block [dT0 | dT1 | dT2 | dbase | dM | dS0 | dS1 | dS2]. */
export function gradBlockSize({ N, H, W, F, Np }: FastDims): number {
  return 2 * N * H * W + H * W + W + F * Np + 2 * N * H + H;
}

/** Floats of one thread's scratch. */
export function scratchSize({ W, Np, F }: FastDims): number {
  return 2 * W + Np + F + 32;
}

export type FastOffsets = ReturnType<typeof planFastLayout>['o'];

/**
 * Float offsets of every region for `nthreads` threads, starting above `heapBase` (bytes); `top` is the
 * first float past the plan.
 */
export function planFastLayout(d: FastDims, store: ParamStore, ctxSlots: number, ctrlWords: number, nthreads: number, heapBase: number) {
  const { N, D, HE, W, H, F, Np } = d;
  const maxRows = N * N;
  let top = Math.ceil(heapBase / 64) * 16 + 16;
  const alloc = (n: number) => {
    const at = top;
    top += Math.ceil(n / 4) * 4;
    return at;
  };
  const o = {
    ctx: alloc(ctxSlots),
    ctrl: alloc(ctrlWords),
    jobs: alloc(1 + 11 * MAX_JOBS),
    params: alloc(store.paramTotal),
    grad: alloc(store.trainTotal),
    expAvg: alloc(store.trainTotal),
    expAvgSq: alloc(store.trainTotal),
    X0: alloc(N * D), // [N, D] residual inputs of positions 0 and 1
    X1: alloc(N * D),
    c: alloc(D), // [D] residual of "="
    cb: alloc(D), // c + b_O
    WVp: alloc(D * HE), // [D, HE]
    WVpT: alloc(HE * D),
    V0: alloc(N * HE), // [N, HE] values
    V1: alloc(N * HE),
    v2: alloc(HE),
    Wcat: alloc(D * W), // [D, W]
    WcatT: alloc(W * D),
    WO: alloc(HE * D),
    P: alloc(HE * W), // [HE, W] = W_O Wcat
    PT: alloc(W * HE),
    T0: alloc(N * H * W), // [N, H, W]
    T1: alloc(N * H * W),
    T2: alloc(H * W),
    base: alloc(W),
    Wout: alloc(F * D),
    WUp: alloc(D * Np), // [D, Np] W_U padded
    WUpT: alloc(Np * D),
    M: alloc(F * Np), // [F, Np] = W_out W_U
    S0: alloc(N * H), // [N, H] attention scores
    S1: alloc(N * H),
    S2: alloc(H),
    A: alloc(maxRows), // [R] row elements a, b and labels
    B: alloc(maxRows),
    Y: alloc(maxRows),
    grads: alloc(gradBlockSize(d) * nthreads),
    scratch: alloc(scratchSize(d) * nthreads),
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
  return { o, top };
}

export type GradOffsets = ReturnType<typeof gradOffsets>;

/** Thread 0's gradient block, after the reduction: the table gradients. */
export function gradOffsets({ N, H, W, F, Np }: FastDims, grads: number) {
  const dT0 = grads,
    dT1 = dT0 + N * H * W,
    dT2 = dT1 + N * H * W,
    dbase = dT2 + H * W,
    dM = dbase + W;
  const dS0 = dM + F * Np,
    dS1 = dS0 + N * H,
    dS2 = dS1 + N * H;
  return { dT0, dT1, dT2, dbase, dM, dS0, dS1, dS2 };
}

/** Queues one gemm job (float offsets; strides in floats): C[m, n] (+)= A[m, k] B[k, n]. */
export type Gemm = (
  a: number,
  rsA: number,
  csA: number,
  b: number,
  ldb: number,
  c: number,
  ldc: number,
  m: number,
  n: number,
  k: number,
  acc: 0 | 1,
) => void;

/** Host-side (float64) small tables of the attention scores, kept from the forward tables for the backward. */
export interface HostScores {
  /** [H, E] query of "=" */
  q: Float64Array;
  /** [H, E] key of "=" */
  k2: Float64Array;
  /** [H, D] u[h] = sc W_K[h] q[h] */
  u: Float64Array;
  /** [H] sc b_K[h]·q[h] */
  ks: Float64Array;
}

/** What the table builders and the backward work on: the plan, the memory, the gemm queue. */
export interface FastKernel {
  d: FastDims;
  o: FastOffsets;
  g: GradOffsets;
  f32: Float32Array;
  gemm: Gemm;
  /** runs the queued gemm jobs as one batch on all threads */
  flush(): void;
  host: HostScores;
}

/** A parameter by its name. */
export type ParamLookup = (name: string) => Float32Array;
