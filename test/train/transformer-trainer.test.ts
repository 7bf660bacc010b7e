import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupFromPermutations } from '../../src/groups/permutation.js';
import { isFrozenParam, transformerParamSpecs } from '../../src/models/transformer.js';
import { DEFAULT_OPTIM } from '../../src/train/adamw.js';
import { splitData } from '../../src/train/split.js';
import { createTransformerTrainer } from '../../src/train/transformer-trainer.js';
import type { TrainerOptions } from '../../src/types/trainer.js';
import { UsageError } from '../../src/util/errors.js';

const P = (...xs: number[]) => Int32Array.from(xs);
const S3 = groupFromPermutations('S3', [P(1, 2, 0), P(1, 0, 2)]);
const C5 = groupFromPermutations('C5', [P(1, 2, 3, 4, 0)]);

function trainerOptions(group = S3, backend: 'js' | 'wasm' = 'wasm', seed = 1): TrainerOptions {
  const { train, test: rest } = splitData(group.order, 0.5, seed);
  return { group, model: { kind: 'transformer', embedDim: 0, hiddenDim: 0 }, optim: DEFAULT_OPTIM, seed, train, test: rest, threads: 1, backend };
}

test("createTransformerTrainer: 'wasm' and 'js' backends take the same steps; biases stay zero", async () => {
  const fast = await createTransformerTrainer(trainerOptions(C5, 'wasm', 3));
  const ref = await createTransformerTrainer(trainerOptions(C5, 'js', 3));
  for (let i = 0; i < 3; i++) {
    const a = fast.step(),
      b = ref.step();
    assert.ok(Math.abs(a - b) < 1e-5 * b, `step ${i}: loss ${a} vs ${b}`);
  }
  const ea = fast.evaluate(),
    eb = ref.evaluate();
  assert.ok(Math.abs(ea.test_loss - eb.test_loss) < 1e-4 * eb.test_loss, `test loss ${ea.test_loss} vs ${eb.test_loss}`);
  const sa = fast.getState(),
    sb = ref.getState();
  assert.deepEqual(
    sa.params.map((p) => p.name),
    transformerParamSpecs(5).map((s) => s.name),
  );
  assert.equal(sa.optim.length, 2 * 9);
  for (let i = 0; i < sa.params.length; i++) {
    const x = sa.params[i]!.data,
      y = sb.params[i]!.data;
    let d = 0,
      n = 0;
    for (let j = 0; j < x.length; j++) ((d += (x[j]! - y[j]!) ** 2), (n += y[j]! ** 2));
    if (n === 0) assert.equal(d, 0, `${sa.params[i]!.name} moved`);
    else assert.ok(Math.sqrt(d / n) < 1e-4, `${sa.params[i]!.name}: relative difference ${Math.sqrt(d / n)}`);
  }
  await fast.dispose();
  await ref.dispose();
});

test('createTransformerTrainer fits the C5 and S3 train sets to 100% accuracy with frozen zero biases', async () => {
  for (const group of [C5, S3]) {
    const t = await createTransformerTrainer(trainerOptions(group));
    const first = t.step();
    let steps = 1;
    while (t.evaluate().train_acc < 1 && steps < 300) (t.step(), steps++);
    const ev = t.evaluate();
    assert.equal(ev.train_acc, 1, `${group.name}: train accuracy ${ev.train_acc} after ${steps} steps`);
    assert.ok(ev.train_loss < first);
    for (const p of t.getState().params)
      if (isFrozenParam(p.name))
        assert.ok(
          p.data.every((x) => x === 0),
          `${p.name} moved`,
        );
    await t.dispose();
  }
});

test('createTransformerTrainer getState/setState continues bit-identically; bad options are UsageErrors', async () => {
  const a = await createTransformerTrainer(trainerOptions(S3, 'wasm', 4));
  a.step();
  a.step();
  const saved = a.getState();
  assert.equal(saved.step, 2);
  const cont = [a.step(), a.step()];
  const b = await createTransformerTrainer({ ...trainerOptions(S3, 'wasm', 4), seed: 9 });
  b.setState(saved);
  assert.deepEqual([b.step(), b.step()], cont);
  assert.deepEqual(b.getState(), a.getState());
  const bad = { ...saved, params: saved.params.map((p, i) => (i === 0 ? { ...p, shape: [1, 1], data: new Float32Array(1) } : p)) };
  assert.throws(() => b.setState(bad), UsageError);
  await assert.rejects(createTransformerTrainer({ ...trainerOptions(), threads: 0 }), UsageError);
  await assert.rejects(createTransformerTrainer({ ...trainerOptions(), backend: 'gpu' as 'js' }), UsageError);
  await a.dispose();
  await b.dispose();
});
