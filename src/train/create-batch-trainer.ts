/**
 * createBatchTrainer: S members trained side by side behind the BatchTrainer contract (src/types/trainer.ts).
 * On 'webgpu' one GPU trainer runs every member in one set of dispatches (src/gpu/). On the CPU backends
 * ('wasm', 'js', and the transformer) the batch is S ordinary Trainers stepped in lockstep: member i is the very
 * Trainer a single run with that seed and split builds, so it is bit-identical to that run.
 */
import { createWebGpuTrainer } from './webgpu-trainer.js';
import { UsageError } from '../util/errors.js';
import { createTrainer } from './create-trainer.js';
import type { BatchTrainer, BatchTrainerOptions, Trainer, TrainerOptions } from '../types/trainer.js';

export type TrainerFactory = (opts: TrainerOptions) => Promise<Trainer>;

export async function createBatchTrainer(opts: BatchTrainerOptions): Promise<BatchTrainer> {
  checkMembers(opts);
  if ((opts.backend ?? 'wasm') === 'webgpu') return createWebGpuTrainer(opts);
  return createLockstepTrainer(opts, createTrainer);
}

/** Every member must have the same number of train rows (one shared batch shape on the GPU). */
function checkMembers(opts: BatchTrainerOptions): void {
  if (opts.members.length === 0) throw new UsageError('a batch needs at least one member (seed)');
  const nTrain = opts.members[0]!.train.length;
  for (const m of opts.members)
    if (m.train.length !== nTrain)
      throw new UsageError(`batch member seed ${m.seed} has ${m.train.length} train rows, the first has ${nTrain}: members must share frac_train`);
}

/** S Trainers made by `factory` (one per member, in member order), stepped one after another each epoch. */
export async function createLockstepTrainer(opts: BatchTrainerOptions, factory: TrainerFactory): Promise<BatchTrainer> {
  checkMembers(opts);
  const { members, ...shared } = opts;
  const trainers: Trainer[] = [];
  try {
    for (const m of members) trainers.push(await factory({ ...shared, seed: m.seed, train: m.train, test: m.test }));
  } catch (e) {
    await Promise.all(trainers.map((t) => t.dispose()));
    throw e;
  }
  const S = trainers.length;
  return {
    size: S,
    async run(n: number): Promise<Float64Array> {
      if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`run(${n}): expected a step count >= 0`);
      // [n][S]: losses[k * S + i] is member i's loss before its k-th step.
      const losses = new Float64Array(n * S);
      for (let k = 0; k < n; k++) for (let i = 0; i < S; i++) losses[k * S + i] = trainers[i]!.step();
      return losses;
    },
    async evaluate() {
      return trainers.map((t) => t.evaluate());
    },
    async getStates() {
      return trainers.map((t) => t.getState());
    },
    async setStates(states) {
      if (states.length !== S) throw new RangeError(`setStates: ${states.length} states for ${S} members`);
      states.forEach((s, i) => trainers[i]!.setState(s));
    },
    async dispose() {
      await Promise.all(trainers.map((t) => t.dispose()));
    },
  };
}
