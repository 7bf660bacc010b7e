/**
 * The plain TypeScript reference trainer (backend 'js') of the MLP and bilinear net: full-batch forward
 * and backward with the reference ops (src/models/reference-ops.ts), then AdamW. Slow but simple; the
 * fast path (src/train/wasm-trainer.ts) is tested against it.
 */
import { bilinearLossAndGrads, bilinearParams, bilinearRunWithCache } from '../models/bilinear.js';
import { initParams, paramSpecs } from '../models/init.js';
import { mlpLossAndGrads, mlpParams, mlpRunWithCache } from '../models/mlp.js';
import type { Arr } from '../models/reference-ops.js';
import { AdamW } from './adamw.js';
import { accuracy, crossEntropy } from '../models/loss.js';
import { checkTrainerOptions, labelsOf, packState, unpackState } from './trainer-state.js';
import type { EvalResult, NamedTensor, Trainer, TrainerOptions, TrainerState } from '../types/trainer.js';

export async function createJsTrainer(opts: TrainerOptions): Promise<Trainer> {
  checkTrainerOptions(opts);
  const { group, model } = opts;
  const specs = paramSpecs(model, group.order);
  const tensors: NamedTensor[] = initParams(specs, opts.seed);
  const params = tensors.map((t) => t.data);
  let optim = new AdamW(
    opts.optim,
    params.map((p) => p.length),
  );
  const trainLabels = labelsOf(group, opts.train);
  const testLabels = labelsOf(group, opts.test);

  const lossAndGrads = (rows: Int32Array, labels: Int32Array): { loss: number; grads: Arr[] } => {
    if (model.kind === 'mlp') {
      const r = mlpLossAndGrads(mlpParams(tensors), rows, labels);
      return { loss: r.loss, grads: [r.grads.W_x, r.grads.W_y, r.grads.W, r.grads.W_U] };
    }
    const r = bilinearLossAndGrads(bilinearParams(tensors), rows, labels);
    return { loss: r.loss, grads: [r.grads.W_x, r.grads.W_y, r.grads.W_U] };
  };
  const logitsOf = (rows: Int32Array): Arr =>
    model.kind === 'mlp' ? mlpRunWithCache(mlpParams(tensors), rows, []).logits : bilinearRunWithCache(bilinearParams(tensors), rows, []).logits;
  const measure = (rows: Int32Array, labels: Int32Array): [number, number] => {
    if (rows.length === 0) return [NaN, NaN];
    const logits = logitsOf(rows);
    return [crossEntropy(logits, labels, group.order), accuracy(logits, labels, group.order)];
  };

  return {
    step(): number {
      const { loss, grads } = lossAndGrads(opts.train, trainLabels);
      optim.update(params, grads as Float32Array[]);
      return loss;
    },
    evaluate(): EvalResult {
      const [train_loss, train_acc] = measure(opts.train, trainLabels);
      const [test_loss, test_acc] = measure(opts.test, testLabels);
      return { train_loss, train_acc, test_loss, test_acc };
    },
    getState(): TrainerState {
      return packState(optim.step, specs, params, optim.exp_avg, optim.exp_avg_sq);
    },
    setState(state: TrainerState): void {
      const s = unpackState(state, specs);
      params.forEach((p, i) => p.set(s.params[i]!));
      optim = new AdamW(
        opts.optim,
        params.map((p) => p.length),
      );
      optim.step = s.step;
      optim.exp_avg.forEach((m, i) => m.set(s.exp_avg[i]!));
      optim.exp_avg_sq.forEach((v, i) => v.set(s.exp_avg_sq[i]!));
    },
    async dispose(): Promise<void> {},
  };
}
