import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupFromPermutations } from '../../src/groups/permutation.js';
import { createTrainer } from '../../src/train/create-trainer.js';
import { DEFAULT_OPTIM } from '../../src/train/adamw.js';
import { splitData } from '../../src/train/split.js';
import type { ModelKind, TrainerOptions } from '../../src/types/trainer.js';
import { UsageError } from '../../src/util/errors.js';

const S3 = groupFromPermutations('S3', [Int32Array.from([1, 2, 0]), Int32Array.from([1, 0, 2])]);
const C7 = groupFromPermutations('C7', [Int32Array.from([1, 2, 3, 4, 5, 6, 0])]);

function options(kind: ModelKind, backend: 'js' | 'wasm', group = S3, seed = 1): TrainerOptions {
  const { train, test: rest } = splitData(group.order, 0.5, seed);
  return {
    group,
    model: { kind, embedDim: 32, hiddenDim: 32 },
    optim: DEFAULT_OPTIM,
    seed,
    train,
    test: rest,
    threads: 1,
    backend,
  };
}

for (const kind of ['mlp', 'bilinear'] as const) {
  test(`createTrainer({backend: 'js', kind: '${kind}'}) fits S3 and C7 train sets to 100% accuracy`, async () => {
    for (const group of [S3, C7]) {
      const t = await createTrainer(options(kind, 'js', group));
      const first = t.step();
      let steps = 1;
      while (t.evaluate().train_acc < 1 && steps < 400) {
        t.step();
        steps++;
      }
      const ev = t.evaluate();
      assert.equal(ev.train_acc, 1, `${group.name}: train accuracy ${ev.train_acc} after ${steps} steps`);
      assert.ok(ev.train_loss < first, `loss fell from ${first} to ${ev.train_loss}`);
      await t.dispose();
    }
  });
}

test("the 'js' trainer is deterministic for a fixed seed and getState/setState continues bit-identically", async () => {
  const a = await createTrainer(options('mlp', 'js', C7, 4));
  const b = await createTrainer(options('mlp', 'js', C7, 4));
  const la = [a.step(), a.step(), a.step()];
  const lb = [b.step(), b.step(), b.step()];
  assert.deepEqual(la, lb);
  const saved = a.getState();
  assert.equal(saved.step, 3);
  assert.deepEqual(saved.optim.map((t) => t.name).slice(0, 2), ['W_x.exp_avg', 'W_x.exp_avg_sq']);
  const cont = [a.step(), a.step()];
  const c = await createTrainer({ ...options('mlp', 'js', C7, 4), seed: 9 });
  c.setState(saved);
  assert.deepEqual([c.step(), c.step()], cont);
  assert.deepEqual(c.getState(), a.getState());
  const other = await createTrainer(options('mlp', 'js', C7, 5));
  assert.notEqual(other.step(), la[0]);
});

test('createTrainer rejects bad options with a UsageError', async () => {
  await assert.rejects(createTrainer({ ...options('mlp', 'js'), threads: 0 }), UsageError);
  await assert.rejects(createTrainer({ ...options('mlp', 'js'), train: new Int32Array(0) }), UsageError);
  const t = await createTrainer(options('mlp', 'js'));
  const s = t.getState();
  s.params[0] = { ...s.params[0]!, shape: [1, 1], data: new Float32Array(1) };
  assert.throws(() => t.setState(s), UsageError);
});
