import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupFromPermutations } from '../../src/groups/permutation.js';
import { createBatchTrainer, createLockstepTrainer } from '../../src/train/create-batch-trainer.js';
import { createTrainer } from '../../src/train/create-trainer.js';
import { DEFAULT_OPTIM } from '../../src/train/adamw.js';
import { splitData } from '../../src/train/split.js';
import type { Backend, BatchTrainerOptions, ModelKind, Trainer } from '../../src/types/trainer.js';
import { UsageError } from '../../src/util/errors.js';

const C5 = groupFromPermutations('C5', [Int32Array.from([1, 2, 3, 4, 0])]);
const SEEDS = [0, 3, 7];

function batchOptions(kind: ModelKind, backend: Backend, seeds = SEEDS): BatchTrainerOptions {
  return {
    group: C5,
    model: { kind, embedDim: 8, hiddenDim: 8 },
    optim: DEFAULT_OPTIM,
    threads: 1,
    backend,
    members: seeds.map((seed) => ({ seed, ...splitData(C5.order, 0.6, seed) })),
  };
}

for (const [kind, backend] of [
  ['mlp', 'wasm'],
  ['mlp', 'js'],
  ['bilinear', 'wasm'],
  ['transformer', 'wasm'],
] as const) {
  test(`createBatchTrainer (${kind}, ${backend}): member i is bit-identical to a single Trainer with its seed and split`, async () => {
    const opts = batchOptions(kind, backend);
    const batch = await createBatchTrainer(opts);
    const singles: Trainer[] = [];
    for (const m of opts.members) singles.push(await createTrainer({ ...opts, seed: m.seed, train: m.train, test: m.test }));
    try {
      assert.equal(batch.size, 3);
      for (const n of [1, 4, 0, 7]) {
        const losses = await batch.run(n);
        assert.equal(losses.length, n * 3);
        for (let k = 0; k < n; k++) for (let i = 0; i < 3; i++) assert.equal(losses[k * 3 + i], singles[i]!.step(), `step ${k} member ${i}`);
      }
      assert.deepEqual(
        await batch.evaluate(),
        singles.map((t) => t.evaluate()),
      );
      const states = await batch.getStates();
      assert.deepEqual(
        states,
        singles.map((t) => t.getState()),
      );
      assert.equal(states[0]!.step, 12);
      // Different seeds and splits give different members.
      assert.notDeepEqual(states[0]!.params[0]!.data, states[1]!.params[0]!.data);
      // setStates in a fresh batch continues bit-identically.
      const again = await createBatchTrainer(opts);
      await again.setStates(states);
      const a = await batch.run(3);
      const b = await again.run(3);
      assert.deepEqual(a, b);
      assert.deepEqual(await again.getStates(), await batch.getStates());
      await again.dispose();
    } finally {
      await batch.dispose();
      await Promise.all(singles.map((t) => t.dispose()));
    }
  });
}

test('createBatchTrainer refuses members with different train sizes and an empty batch, as UsageErrors', async () => {
  const opts = batchOptions('mlp', 'js');
  opts.members[1] = { seed: 3, ...splitData(C5.order, 0.4, 3) };
  await assert.rejects(
    createBatchTrainer(opts),
    (e: unknown) => e instanceof UsageError && /seed 3 has 10 train rows, the first has 15/.test(e.message),
  );
  await assert.rejects(createBatchTrainer({ ...opts, members: [] }), UsageError);
});

test('createLockstepTrainer disposes the trainers it made when a later member fails to build', async () => {
  let disposed = 0;
  let made = 0;
  const factory = async (o: Parameters<typeof createTrainer>[0]) => {
    if (made++ === 2) throw new UsageError('no third trainer');
    const t = await createTrainer(o);
    return {
      ...t,
      step: () => t.step(),
      evaluate: () => t.evaluate(),
      getState: () => t.getState(),
      setState: (s: Parameters<Trainer['setState']>[0]) => t.setState(s),
      dispose: async () => {
        disposed++;
        await t.dispose();
      },
    };
  };
  await assert.rejects(createLockstepTrainer(batchOptions('mlp', 'js'), factory), /no third trainer/);
  assert.equal(disposed, 2);
});
