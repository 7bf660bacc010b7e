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
 *
 * Parts: the memory plan (transformer-fast-layout.ts), the tables (transformer-fast-tables.ts), the backward
 * below the kernel (transformer-fast-backward.ts); this file wires them to the kernel's phases.
 */
import { CTRL_WORDS, PhasePool } from '../kernels/phase-pool.js';
import { C, CTX_SLOTS, PHASE } from '../kernels/transformer-layout.js';
import { getKernelPlatform, kernelMemory, MAX_KERNEL_PAGES } from '../kernels/platform.js';
import type { AdamWScalars } from './adamw.js';
import type { NamedTensor } from '../types/trainer.js';
import type { TransformerCore } from './transformer-trainer.js';
import {
  EVAL_CHUNK,
  MAX_JOBS,
  fastDims,
  gradBlockSize,
  gradOffsets,
  paramStore,
  planFastLayout,
  scratchSize,
  sizeOf,
  type FastDims,
  type FastKernel,
  type FastOffsets,
  type Gemm,
} from './transformer-fast-layout.js';
import { buildTables } from './transformer-fast-tables.js';
import { backward } from './transformer-fast-backward.js';

interface Exports {
  heapBase(): number;
}

/** Values of b per block of the train-row order. */
const B_BLOCK = 16;

export async function createFastCore(N: number, threads: number): Promise<TransformerCore> {
  const nthreads = Math.max(1, Math.floor(threads));
  const d = fastDims(N);
  const store = paramStore(N);
  const platform = await getKernelPlatform();
  const module = await platform.loadModule('transformer');
  const probe = new WebAssembly.Instance(module, {
    env: { memory: kernelMemory(platform, 1, MAX_KERNEL_PAGES), abort: () => {} },
  }).exports as unknown as Exports;
  const { o, top } = planFastLayout(d, store, CTX_SLOTS, CTRL_WORDS, nthreads, probe.heapBase());
  const memory = kernelMemory(platform, Math.ceil((top * 4) / 65536) + 1, MAX_KERNEL_PAGES);
  const f32 = new Float32Array(memory.buffer);
  const i32 = new Int32Array(memory.buffer);
  const f64 = new Float64Array(memory.buffer);
  const view = (at: number, n: number) => f32.subarray(at, at + n);
  // (kernel phases run through a PhasePool: thread 0 here, the rest in workers)
  const pool = await PhasePool.start(platform, { module, memory, cfgPtr: o.ctx * 4, ctrlPtr: o.ctrl * 4, nthreads });
  const run = (phase: number) => pool.run(phase);
  const setCtx = (slot: number, v: number) => (i32[o.ctx + slot] = v);
  writeContext(setCtx, d, o, store.trainTotal);

  // gemm jobs are queued (float offsets) and run as one batch on all threads by flush(); jobs in one batch
  // must not read what another writes, and jobs writing the same rows must have the same m.
  let njobs = 0;
  const gemm: Gemm = (a, rsA, csA, b, ldb, c, ldc, m, n, k, acc) => {
    if (njobs === MAX_JOBS) throw new Error('too many gemm jobs in one batch');
    i32.set([a * 4, rsA, csA, b * 4, ldb, c * 4, ldc, m, n, k, acc], o.jobs + 1 + 11 * njobs++);
  };
  const flush = () => {
    i32[o.jobs] = njobs;
    if (njobs > 0) run(PHASE.GEMMS);
    njobs = 0;
  };
  const { HE, H, D } = d;
  const host = { q: new Float64Array(HE), k2: new Float64Array(HE), u: new Float64Array(H * D), ks: new Float64Array(H) };
  const kernel: FastKernel = { d, o, g: gradOffsets(d, o.grads), f32, gemm, flush, host };

  const regionViews = (base: number, specs: typeof store.specs) => specs.map((sp) => view(base + store.at.get(sp.name)!, sizeOf(sp.shape)));
  const storeParams = regionViews(o.params, store.specs);
  const gradViews = regionViews(o.grad, store.trainable);
  let named: Map<string, Float32Array> = new Map();
  const P = (name: string) => named.get(name)!;
  const tables = (params: readonly NamedTensor[]) => {
    named = new Map(params.map((p) => [p.name, p.data]));
    buildTables(kernel, P);
  };

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

  return {
    lossAndGrads(params, rows, labels) {
      tables(params);
      const R = rows.length;
      loadTrainRows(rows, labels);
      setCtx(C.R, R);
      setCtx(C.INVR, f32bits(1 / R));
      run(PHASE.TRAIN);
      if (nthreads > 1) run(PHASE.REDUCE);
      let loss = 0;
      for (let t = 0; t < nthreads; t++) loss += f64[o.loss / 2 + t]!;
      loss /= R;
      f32.fill(0, o.grad, o.grad + store.trainTotal);
      backward(kernel, P, gradViews);
      return { loss, grads: gradViews };
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
      exp_avg: regionViews(o.expAvg, store.trainable),
      exp_avg_sq: regionViews(o.expAvgSq, store.trainable),
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

/** The kernel's context block: sizes, and byte pointers to every region the phases read or write. */
function writeContext(setCtx: (slot: number, v: number) => void, d: FastDims, o: FastOffsets, trainTotal: number): void {
  const { N, Np, F, H } = d;
  const gradBlock = gradBlockSize(d),
    scratch = scratchSize(d);
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
    [C.OP, o.params],
    [C.OG, o.grad],
    [C.OM, o.expAvg],
    [C.OV, o.expAvgSq],
    [C.JOBS, o.jobs],
  ];
  for (const [slot, at] of ptrs) setCtx(slot, at * 4);
  setCtx(C.GSTRIDE, gradBlock * 4);
  setCtx(C.GSIZE, gradBlock);
  setCtx(C.SSTRIDE, Math.ceil(scratch / 4) * 16);
  setCtx(C.ON, trainTotal);
}

/** The bits of x as a float32, for the context's f32 slots. */
function f32bits(x: number): number {
  return new Int32Array(Float32Array.of(x).buffer)[0]!;
}
