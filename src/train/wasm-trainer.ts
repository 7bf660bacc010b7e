/**
 * The fast trainer (backend 'wasm') of the MLP and bilinear net: WebAssembly SIMD kernels
 * (assembly/mlp.ts) over one shared memory, split across worker threads. The MLP is computed factored:
 * [W_x[a]; W_y[b]] W = (W_x W_top)[a] + (W_y W_bot)[b], so the big multiplication is on N rows, not on
 * every pair; the ReLU's zeros are skipped in the logits, dW_U and dhidden products. One step:
 *   EMBED           E_a = W_x W_top, E_b = W_y W_bot                       [N, d_e] x [d_e, h] -> [N, h]
 *   ROWS            per chunk of train rows: hidden, logits, loss, dlogits, dhidden -> chunk partials
 *   REDUCE          dW_U, dE_a, dE_b = Σ over chunks (fixed order)
 *   EMBED_BACKWARD  dW_x = dE_a W_topᵀ, dW_top = W_xᵀ dE_a (and y/bottom)
 *   ADAMW           all parameters
 * See docs/kernels.md.
 */
import { paramSpecs, initParams, type ParamSpec } from '../models/init.js';
import { adamwScalars } from './adamw.js';
import { checkTrainerOptions, labelsOf, packState, unpackState } from './trainer-state.js';
import type { EvalResult, Trainer, TrainerOptions, TrainerState } from '../types/trainer.js';
import { F, PHASE, planLayout, writeConfig, type MlpLayout } from '../kernels/mlp-layout.js';
import { PhasePool } from '../kernels/phase-pool.js';
import { getKernelPlatform, kernelMemory } from '../kernels/platform.js';

/** Where each parameter's rows live in the padded block: [slot name, first source row, row count]. */
function placement(spec: ParamSpec, kind: 'mlp' | 'bilinear'): [string, number, number][] {
  const rows = spec.shape[0];
  if (kind === 'mlp' && spec.name === 'W')
    return [
      ['W_top', 0, rows / 2],
      ['W_bot', rows / 2, rows / 2],
    ];
  return [[spec.name, 0, rows]];
}

/** Copies unpadded parameters (spec order) into a padded block (P, M or V). */
function pack(L: MlpLayout, kind: 'mlp' | 'bilinear', specs: ParamSpec[], block: Float32Array, src: Float32Array[]): void {
  specs.forEach((spec, i) => {
    const cols = spec.shape[1];
    for (const [name, r0, n] of placement(spec, kind)) {
      const slot = L.slots.find((s) => s.name === name)!;
      for (let r = 0; r < n; r++) block.set(src[i]!.subarray((r0 + r) * cols, (r0 + r + 1) * cols), slot.offset + r * slot.cols);
    }
  });
}

/** Copies a padded block out into unpadded arrays (spec order). */
function unpack(L: MlpLayout, kind: 'mlp' | 'bilinear', specs: ParamSpec[], block: Float32Array): Float32Array[] {
  return specs.map((spec) => {
    const [rows, cols] = spec.shape;
    const out = new Float32Array(rows * cols);
    for (const [name, r0, n] of placement(spec, kind)) {
      const slot = L.slots.find((s) => s.name === name)!;
      for (let r = 0; r < n; r++) out.set(block.subarray(slot.offset + r * slot.cols, slot.offset + r * slot.cols + cols), (r0 + r) * cols);
    }
    return out;
  });
}

/** The kernels of one model over one train/test set, laid out in one shared memory. */
export class MlpKernels {
  private readonly i32: Int32Array;
  private readonly f32: Float32Array;
  private readonly f64: Float64Array;
  private readonly P: Float32Array;
  private readonly G: Float32Array;
  private readonly M: Float32Array;
  private readonly V: Float32Array;
  readonly specs: ParamSpec[];

  private constructor(
    readonly opts: TrainerOptions,
    readonly L: MlpLayout,
    memory: WebAssembly.Memory,
    private readonly pool: PhasePool,
  ) {
    const buf = memory.buffer;
    this.i32 = new Int32Array(buf);
    this.f32 = new Float32Array(buf);
    this.f64 = new Float64Array(buf);
    const block = (byteOff: number) => this.f32.subarray(byteOff / 4, byteOff / 4 + L.S);
    this.P = block(L.P);
    this.G = block(L.G);
    this.M = block(L.M);
    this.V = block(L.V);
    this.specs = paramSpecs(opts.model, opts.group.order);
  }

  static async create(opts: TrainerOptions): Promise<MlpKernels> {
    const kind = opts.model.kind;
    if (kind !== 'mlp' && kind !== 'bilinear') throw new Error(`the wasm MLP kernels do not train ${kind}`);
    const N = opts.group.order;
    const platform = await getKernelPlatform();
    const module = await platform.loadModule('mlp');
    // heap_base (end of the module's static data) from a throwaway instance on a one-page memory.
    const probeMem = kernelMemory(platform, 1, 1);
    const probe = new WebAssembly.Instance(module, { env: { memory: probeMem, abort: () => {} } }).exports as {
      heap_base(): number;
    };
    const { embedDim, hiddenDim } = opts.model;
    const L = planLayout(kind, N, embedDim, hiddenDim, opts.train.length, opts.test.length, opts.threads, probe.heap_base());
    const pages = Math.ceil(L.bytes / 65536);
    const memory = kernelMemory(platform, pages, pages);
    const i32 = new Int32Array(memory.buffer);
    writeConfig(i32, L);
    for (const [set, rows] of [
      [L.train, opts.train],
      [L.test, opts.test],
    ] as const) {
      const y = labelsOf(opts.group, rows);
      for (let i = 0; i < rows.length; i++) {
        i32[set.a / 4 + i] = Math.floor(rows[i]! / N);
        i32[set.b / 4 + i] = rows[i]! % N;
        i32[set.y / 4 + i] = y[i]!;
      }
    }
    const pool = await PhasePool.start(platform, { module, memory, cfgPtr: L.cfg, ctrlPtr: L.ctrl, nthreads: opts.threads });
    return new MlpKernels(opts, L, memory, pool);
  }

  private get kind(): 'mlp' | 'bilinear' {
    return this.opts.model.kind as 'mlp' | 'bilinear';
  }

  setParams(params: Float32Array[]): void {
    pack(this.L, this.kind, this.specs, this.P, params);
  }
  params(): Float32Array[] {
    return unpack(this.L, this.kind, this.specs, this.P);
  }
  grads(): Float32Array[] {
    return unpack(this.L, this.kind, this.specs, this.G);
  }
  setMoments(exp_avg: Float32Array[], exp_avg_sq: Float32Array[]): void {
    pack(this.L, this.kind, this.specs, this.M, exp_avg);
    pack(this.L, this.kind, this.specs, this.V, exp_avg_sq);
  }
  moments(): [Float32Array[], Float32Array[]] {
    return [unpack(this.L, this.kind, this.specs, this.M), unpack(this.L, this.kind, this.specs, this.V)];
  }

  /** Runs the row phase on a row set; returns [mean loss, accuracy]. */
  private rowsPhase(set: MlpLayout['train'], withGrad: boolean): [number, number] {
    if (set.n === 0) return [NaN, NaN];
    const { i32, f64, L } = this;
    const c = L.cfg / 4;
    i32[c + F.ROWS_A] = set.a;
    i32[c + F.ROWS_B] = set.b;
    i32[c + F.ROWS_Y] = set.y;
    i32[c + F.NROWS] = set.n;
    i32[c + F.WITH_GRAD] = withGrad ? 1 : 0;
    Atomics.store(i32, c + F.CHUNK_COUNTER, 0);
    this.pool.run(PHASE.ROWS);
    let loss = 0;
    let correct = 0;
    for (let k = 0; k < L.chunks; k++) {
      loss += f64[L.chunkLoss / 8 + k]!;
      correct += i32[L.chunkCorrect / 4 + k]!;
    }
    return [loss / set.n, correct / set.n];
  }

  /** Train loss (float64 mean CE) of the current parameters; leaves the gradients in G. */
  lossAndGrads(): number {
    this.pool.run(PHASE.EMBED);
    const [loss] = this.rowsPhase(this.L.train, true);
    this.pool.run(PHASE.REDUCE);
    this.pool.run(PHASE.EMBED_BACKWARD);
    return loss;
  }

  /** AdamW step number `step` (1-based) with the gradients in G. */
  adamw(step: number): void {
    const s = adamwScalars(this.opts.optim, step);
    const c = this.L.cfg / 4;
    const f = this.f32;
    f[c + F.DECAY] = s.decay;
    f[c + F.BETA1] = s.beta1;
    f[c + F.OMB1] = s.oneMinusBeta1;
    f[c + F.BETA2] = s.beta2;
    f[c + F.OMB2] = s.oneMinusBeta2;
    f[c + F.NEG_STEP] = s.negStepSize;
    f[c + F.BC2_SQRT] = s.bc2Sqrt;
    f[c + F.EPS] = s.eps;
    this.pool.run(PHASE.ADAMW);
  }

  evaluate(): EvalResult {
    this.pool.run(PHASE.EMBED);
    const [train_loss, train_acc] = this.rowsPhase(this.L.train, false);
    const [test_loss, test_acc] = this.rowsPhase(this.L.test, false);
    return { train_loss, train_acc, test_loss, test_acc };
  }

  dispose(): Promise<void> {
    return this.pool.dispose();
  }
}

export async function createWasmTrainer(opts: TrainerOptions): Promise<Trainer> {
  checkTrainerOptions(opts);
  const k = await MlpKernels.create(opts);
  k.setParams(initParams(k.specs, opts.seed).map((t) => t.data));
  let step = 0;
  return {
    step(): number {
      const loss = k.lossAndGrads();
      k.adamw(++step);
      return loss;
    },
    evaluate: () => k.evaluate(),
    getState(): TrainerState {
      const [m, v] = k.moments();
      return packState(step, k.specs, k.params(), m, v);
    },
    setState(state: TrainerState): void {
      const s = unpackState(state, k.specs);
      k.setParams(s.params);
      k.setMoments(s.exp_avg, s.exp_avg_sq);
      step = s.step;
    },
    dispose: () => k.dispose(),
  };
}
