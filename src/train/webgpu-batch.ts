/**
 * What the WebGPU trainers (src/train/webgpu-trainer.ts: the MLP and the bilinear net; webgpu-transformer.ts)
 * share around their own passes: the step uniforms and loss sums, the loss history the steps write, the
 * evaluation sums, and the BatchTrainer itself. Up to STEP_SLOTS steps go into one command buffer, each
 * with its own step uniform; run(n) reads the loss history back once, at its end.
 *
 *   loss history   [n, S]   Σ_rows CE of step k of member s at k·S + s (divided by the row count on the host)
 *   evaluation     [4, S]   Σ train CE, Σ train correct, Σ test CE, Σ test correct
 *   step uniform   [12]     k (the loss history row), the AdamW word count, the AdamW scalars (wgsl.ts StepU)
 */
import { adamwScalars } from './adamw.js';
import { readStates, writeStates, type GpuStateBuffers } from './webgpu-state.js';
import type { BatchTrainer, EvalResult, OptimConfig, TrainerState } from '../types/trainer.js';
import { UsageError } from '../util/errors.js';
import { checkDevice, type GpuContext } from '../gpu/device.js';
import { GpuKit, STEP_SLOTS, type Pass } from '../gpu/kernels.js';
import { REDUCE_WGSL } from '../gpu/wgsl.js';

/** The uniforms every step and evaluation reads, and the loss sums. */
export interface StepKit {
  /** CROSS_ENTROPY_WGSL's mode: [0] row losses only, [1] the logits also become dlogits. */
  ceU: readonly GPUBuffer[];
  /** One step uniform per step slot. */
  stepU: readonly GPUBuffer[];
  /** out[outBase + k·kMul + s] = Σ_r x[s, r] over R rows (Kahan-summed), k from step slot `slot`. */
  reduce(R: number, x: GPUBuffer, out: GPUBuffer, outBase: number, kMul: number, slot: number): Pass;
}

export function stepKit(kit: GpuKit, S: number): StepKit {
  const ceU = [0, 1].map((g) => kit.uniform(new Uint32Array([g, 0, 0, 0])));
  const stepU = Array.from({ length: STEP_SLOTS }, () => kit.uniform(new Uint32Array(12)));
  const reduce = (R: number, x: GPUBuffer, out: GPUBuffer, outBase: number, kMul: number, slot: number): Pass =>
    kit.pass(REDUCE_WGSL, [kit.uniform(new Uint32Array([R, outBase, kMul, 0])), stepU[slot]!, x, out], [S, 1, 1]);
  return { ceU, stepU, reduce };
}

/**
 * The loss history and the STEP_SLOTS recorded steps that write it: stepPasses(slot, lossHist) are the passes
 * of one training step whose loss goes to lossHist[k·S + s], k from step slot `slot`. A longer run than the
 * history holds regrows it (and re-records the steps).
 */
class LossHistory {
  private words = 0;
  buffer!: GPUBuffer;
  steps: Pass[][] = [];

  constructor(
    private readonly kit: GpuKit,
    private readonly S: number,
    private readonly stepPasses: (slot: number, lossHist: GPUBuffer) => Pass[],
  ) {
    this.ensure(64);
  }

  ensure(n: number): void {
    if (n <= this.words) return;
    this.words = Math.max(n, 2 * this.words, 64);
    this.buffer = this.kit.storage('loss history', this.words * this.S);
    this.steps = Array.from({ length: STEP_SLOTS }, (_, slot) => this.stepPasses(slot, this.buffer));
  }
}

/** What the shared parts read of a trainer's net: its size, step kit, row counts and row loss buffers. */
export interface BatchNet {
  S: number;
  sk: StepKit;
  /** The row losses and accuracies [S, R] the forward passes write. */
  ce: GPUBuffer;
  correct: GPUBuffer;
  train: { R: number };
  /** null: no test rows (test losses and accuracies are NaN). */
  test: { R: number } | null;
}

/** A WebGPU trainer's own passes and state buffers, built on an open device. */
export interface GpuBatch {
  /** The passes of one training step whose loss goes to lossHist[k·S + s], k from step slot `slot`. */
  stepPasses: (slot: number, lossHist: GPUBuffer) => Pass[];
  /** The forward passes of the train rows and of the test rows (null: none) up to the row losses. */
  evalTrain: () => Pass[];
  evalTest: (() => Pass[]) | null;
  /** The words AdamW updates: S × the trainable floats of a member. */
  adamWords: number;
  state: GpuStateBuffers;
  /** What failed, in the error when setting up the passes did: 'kernels', 'transformer kernels'. */
  what: string;
}

/** The evaluation passes: each row set's forward, then its loss and accuracy sums into `out` [4, S]. */
function evaluation(kit: GpuKit, net: BatchNet, b: GpuBatch) {
  const { S, sk, ce, correct } = net;
  const out = kit.storage('evaluation sums', 4 * S);
  const passes: Pass[] = [...b.evalTrain(), sk.reduce(net.train.R, ce, out, 0, 0, 0), sk.reduce(net.train.R, correct, out, S, 0, 0)];
  if (net.test && b.evalTest) {
    const Rte = net.test.R;
    passes.push(...b.evalTest(), sk.reduce(Rte, ce, out, 2 * S, 0, 0), sk.reduce(Rte, correct, out, 3 * S, 0, 0));
  }
  return { out, passes };
}

/**
 * The BatchTrainer of a batch's parts: records its steps and evaluation, then checks the validation error
 * scope pushed before building the parts.
 */
export async function gpuBatchTrainer(ctx: GpuContext, kit: GpuKit, optim: OptimConfig, net: BatchNet, b: GpuBatch): Promise<BatchTrainer> {
  const S = net.S;
  const Rtr = net.train.R;
  const Rte = net.test?.R ?? 0;
  const device = ctx.device;
  const history = new LossHistory(kit, S, b.stepPasses);
  const ev = evaluation(kit, net, b);
  const setupError = await device.popErrorScope();
  if (setupError) throw new Error(`backend webgpu: setting up the ${b.what} failed: ${setupError.message}`);

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
    const s = adamwScalars(optim, t);
    const u = new Uint32Array(scalars);
    const f = new Float32Array(scalars);
    u[0] = k;
    u[1] = b.adamWords;
    f.set([s.decay, s.beta1, s.oneMinusBeta1, s.beta2, s.oneMinusBeta2, s.negStepSize, s.bc2Sqrt, s.eps, 0, 0], 2);
    device.queue.writeBuffer(net.sk.stepU[slot]!, 0, scalars);
  };

  return {
    size: S,
    adapter: ctx.adapterName,
    run: (n: number) =>
      guard(async () => {
        if (!Number.isInteger(n) || n < 0) throw new UsageError(`run(${n}): the step count must be a non-negative integer`);
        if (n === 0) return new Float64Array(0);
        history.ensure(n);
        for (let k0 = 0; k0 < n; k0 += STEP_SLOTS) {
          const enc = device.createCommandEncoder();
          const c = Math.min(STEP_SLOTS, n - k0);
          for (let j = 0; j < c; j++) {
            writeStep(j, k0 + j, step + k0 + j + 1);
            GpuKit.record(enc, history.steps[j]!);
          }
          device.queue.submit([enc.finish()]);
        }
        step += n;
        const sums = await kit.read(history.buffer, n * S);
        const out = new Float64Array(n * S);
        for (let i = 0; i < n * S; i++) out[i] = sums[i]! / Rtr;
        return out;
      }),
    evaluate: () =>
      guard(async () => {
        const enc = device.createCommandEncoder();
        GpuKit.record(enc, ev.passes);
        device.queue.submit([enc.finish()]);
        const sums = await kit.read(ev.out, 4 * S);
        return Array.from({ length: S }, (_, s): EvalResult => ({
          train_loss: sums[s]! / Rtr,
          train_acc: sums[S + s]! / Rtr,
          test_loss: Rte > 0 ? sums[2 * S + s]! / Rte : NaN,
          test_acc: Rte > 0 ? sums[3 * S + s]! / Rte : NaN,
        }));
      }),
    getStates: () => guard(() => readStates(kit, b.state, S, step)),
    setStates: (states: TrainerState[]) =>
      guard(async () => {
        step = writeStates(device, b.state, S, states);
      }),
    dispose: async () => {
      kit.destroy();
      device.destroy();
    },
  };
}
