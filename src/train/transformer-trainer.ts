/**
 * The transformer's trainer (the model is src/models/transformer.ts): a TransformerCore computes the loss and
 * gradients, either the plain reference (backend 'js') or the per-token-table kernels of transformer-fast.ts
 * (backend 'wasm'), and AdamW steps the weights.
 */
import { initTransformerParams, isFrozenParam, referenceLossAndGrads, runWithCache, transformerParamSpecs } from '../models/transformer.js';
import { accuracy, crossEntropy } from '../models/loss.js';
import type { EvalResult, NamedTensor, Trainer, TrainerOptions, TrainerState } from '../types/trainer.js';
import { UsageError } from '../util/errors.js';
import { adamwScalars, adamwUpdate, type AdamWScalars } from './adamw.js';
import { checkTrainerOptions, labelsOf, packState, unpackState } from './trainer-state.js';
import { createFastCore } from './transformer-fast.js';

/**
 * What a backend computes for the trainer: full-batch loss and gradients of the trainable parameters
 * (the weights, in creation order), and last-position logits.
 */
export interface TransformerCore {
  /** Mean cross-entropy (float64) on rows/labels and the gradients of the weights, in `params` order of the weights. */
  lossAndGrads(params: readonly NamedTensor[], rows: Int32Array, labels: Int32Array): { loss: number; grads: Float32Array[] };
  /** Last-position logits [rows, N]. */
  logits(params: readonly NamedTensor[], rows: Int32Array): Float32Array | Float64Array;
  /**
   * Parameter and AdamW-moment storage owned by the backend (views into its memory), with an in-place AdamW
   * step on the gradients its last `lossAndGrads` returned. Without it the trainer keeps its own arrays.
   */
  store?: {
    /** Every parameter, in creation order. */
    params: Float32Array[];
    /** Moments of the weights, in creation order of the weights. */
    exp_avg: Float32Array[];
    exp_avg_sq: Float32Array[];
    adamw(scalars: AdamWScalars, grads: readonly Float32Array[]): void;
  };
  dispose(): Promise<void>;
}

/** The plain reference as a trainer backend: float64 forward/backward over all positions. */
export function createReferenceCore(): TransformerCore {
  return {
    lossAndGrads(params, rows, labels) {
      const { loss, grads } = referenceLossAndGrads(params, rows, labels);
      return { loss, grads: params.filter((p) => !isFrozenParam(p.name)).map((p) => Float32Array.from(grads.get(p.name)!)) };
    },
    logits(params, rows) {
      return runWithCache(params, rows, []).lastLogits.data;
    },
    async dispose() {},
  };
}

/**
 * The transformer trainer: full-batch AdamW (src/train/adamw.ts) over the weights only; the biases are frozen
 * (no update, no weight decay, no moments in the state), as in the original. Backend 'wasm' (default) uses
 * the per-token-table kernels of transformer-fast.ts, 'js' the reference (createReferenceCore).
 */
export async function createTransformerTrainer(opts: TrainerOptions): Promise<Trainer> {
  checkTrainerOptions({ ...opts, model: { ...opts.model, embedDim: 1, hiddenDim: 1 } });
  const backend = opts.backend ?? 'wasm';
  if (backend !== 'wasm' && backend !== 'js') throw new UsageError(`backend "${backend}" is not one of wasm, js`);
  const { group } = opts;
  const N = group.order;
  const specs = transformerParamSpecs(N);
  const core = backend === 'js' ? createReferenceCore() : await createFastCore(N, opts.threads);
  const params = initTransformerParams(N, opts.seed);
  const trainable = params.filter((p) => !isFrozenParam(p.name));
  // AdamW (src/train/adamw.ts) over the weights; on the backend's own storage when it has one.
  let step = 0;
  let exp_avg: Float32Array[] = trainable.map((p) => new Float32Array(p.data.length));
  let exp_avg_sq: Float32Array[] = trainable.map((p) => new Float32Array(p.data.length));
  const store = core.store;
  if (store) {
    params.forEach((p, i) => (store.params[i]!.set(p.data), (p.data = store.params[i]!)));
    exp_avg = store.exp_avg;
    exp_avg_sq = store.exp_avg_sq;
  }
  const update = (grads: Float32Array[]) => {
    step++;
    const s = adamwScalars(opts.optim, step);
    if (store) store.adamw(s, grads);
    else trainable.forEach((p, i) => adamwUpdate(p.data, grads[i]!, exp_avg[i]!, exp_avg_sq[i]!, s));
  };
  const trainLabels = labelsOf(group, opts.train);
  const testLabels = labelsOf(group, opts.test);

  const measure = (rows: Int32Array, labels: Int32Array): [number, number] => {
    if (rows.length === 0) return [NaN, NaN];
    const logits = core.logits(params, rows);
    return [crossEntropy(logits, labels, N), accuracy(logits, labels, N)];
  };

  return {
    step(): number {
      const { loss, grads } = core.lossAndGrads(params, opts.train, trainLabels);
      update(grads);
      return loss;
    },
    evaluate(): EvalResult {
      const [train_loss, train_acc] = measure(opts.train, trainLabels);
      const [test_loss, test_acc] = measure(opts.test, testLabels);
      return { train_loss, train_acc, test_loss, test_acc };
    },
    getState(): TrainerState {
      return packState(
        step,
        specs,
        params.map((p) => p.data),
        exp_avg,
        exp_avg_sq,
        trainable,
      );
    },
    setState(state: TrainerState): void {
      const u = unpackState(state, specs, trainable);
      params.forEach((p, i) => p.data.set(u.params[i]!));
      exp_avg.forEach((m, i) => m.set(u.exp_avg[i]!));
      exp_avg_sq.forEach((v, i) => v.set(u.exp_avg_sq[i]!));
      step = u.step;
    },
    dispose: () => core.dispose(),
  };
}
