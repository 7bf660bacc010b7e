/** Shared helpers of the trainers: option checks, labels, and TrainerState copies/validation. */
import type { Group } from '../groups/group.js';
import { UsageError } from '../util/errors.js';
import type { NamedTensor, TrainerOptions, TrainerState } from '../types/trainer.js';

/** Throws a UsageError naming the first bad option of an MLP/bilinear trainer. */
export function checkTrainerOptions(opts: TrainerOptions): void {
  const N = opts.group.order;
  const { embedDim, hiddenDim } = opts.model;
  if (!Number.isInteger(embedDim) || embedDim < 1) throw new UsageError(`embed_dim ${embedDim} is not a positive integer`);
  if (!Number.isInteger(hiddenDim) || hiddenDim < 1) throw new UsageError(`hidden_dim ${hiddenDim} is not a positive integer`);
  if (!Number.isInteger(opts.threads) || opts.threads < 1) throw new UsageError(`threads ${opts.threads} is not a positive integer`);
  if (opts.train.length === 0) throw new UsageError('the train set is empty: frac_train must leave at least one row');
  for (const rows of [opts.train, opts.test])
    for (const r of rows) if (!(r >= 0 && r < N * N)) throw new UsageError(`row index ${r} is outside 0..${N * N - 1}`);
  const { lr, weightDecay, betas, eps } = opts.optim;
  for (const [k, v] of Object.entries({ lr, weightDecay, beta1: betas[0], beta2: betas[1], eps }))
    if (!Number.isFinite(v) || v < 0) throw new UsageError(`optimizer ${k} ${v} is not a finite non-negative number`);
}

/** labels[i] = a·b for row rows[i] = a·N + b. */
export function labelsOf(group: Group, rows: Int32Array): Int32Array {
  const y = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) y[i] = group.table[rows[i]!]!;
  return y;
}

/** What a state tensor must match: its name and shape. */
export interface TensorSpec {
  readonly name: string;
  readonly shape: readonly number[];
}

function findTensor(list: readonly NamedTensor[], name: string, shape: readonly number[]): Float32Array {
  const t = list.find((x) => x.name === name);
  if (!t) throw new UsageError(`trainer state lacks tensor ${name}`);
  const n = shape.reduce((x, y) => x * y, 1);
  if (t.shape.join() !== shape.join() || t.data.length !== n)
    throw new UsageError(`trainer state tensor ${name} has shape [${t.shape}], expected [${shape}]`);
  return t.data;
}

/**
 * The parameter, exp_avg and exp_avg_sq arrays of a state, in spec order, checked against the specs.
 * `optimSpecs` are the parameters that have AdamW moments (default: all; the transformer's frozen biases have none).
 */
export function unpackState(
  state: TrainerState,
  specs: readonly TensorSpec[],
  optimSpecs: readonly TensorSpec[] = specs,
): { step: number; params: Float32Array[]; exp_avg: Float32Array[]; exp_avg_sq: Float32Array[] } {
  if (!Number.isInteger(state.step) || state.step < 0) throw new UsageError(`trainer state step ${state.step} is not a non-negative integer`);
  return {
    step: state.step,
    params: specs.map((s) => findTensor(state.params, s.name, s.shape)),
    exp_avg: optimSpecs.map((s) => findTensor(state.optim, `${s.name}.exp_avg`, s.shape)),
    exp_avg_sq: optimSpecs.map((s) => findTensor(state.optim, `${s.name}.exp_avg_sq`, s.shape)),
  };
}

/** Builds a TrainerState holding copies of the given arrays (moments in `optimSpecs` order, as unpackState). */
export function packState(
  step: number,
  specs: readonly TensorSpec[],
  params: readonly Float32Array[],
  exp_avg: readonly Float32Array[],
  exp_avg_sq: readonly Float32Array[],
  optimSpecs: readonly TensorSpec[] = specs,
): TrainerState {
  return {
    step,
    params: specs.map((s, i) => ({ name: s.name, shape: [...s.shape], data: params[i]!.slice() })),
    optim: optimSpecs.flatMap((s, i) => [
      { name: `${s.name}.exp_avg`, shape: [...s.shape], data: exp_avg[i]!.slice() },
      { name: `${s.name}.exp_avg_sq`, shape: [...s.shape], data: exp_avg_sq[i]!.slice() },
    ]),
  };
}
