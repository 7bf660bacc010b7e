import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupFromPermutations } from '../../src/groups/permutation.js';
import { Rng } from '../../src/linalg/rng.js';
import { createFastCore } from '../../src/train/transformer-fast.js';
import { initTransformerParams, isFrozenParam, referenceLossAndGrads, runWithCache } from '../../src/models/transformer.js';
import type { NamedTensor } from '../../src/types/trainer.js';
import { DEFAULT_OPTIM, adamwScalars, adamwUpdate } from '../../src/train/adamw.js';

const P = (...xs: number[]) => Int32Array.from(xs);
const S3 = groupFromPermutations('S3', [P(1, 2, 0), P(1, 0, 2)]);
const C7 = groupFromPermutations('C7', [P(1, 2, 3, 4, 5, 6, 0)]);

/** Parameters scaled up (so attention is far from uniform and many units are active) with small non-zero biases. */
function params(N: number, seed: number): NamedTensor[] {
  const rng = new Rng(seed + 100);
  return initTransformerParams(N, seed).map((p) => ({
    ...p,
    data: Float32Array.from(p.data, (x) => (isFrozenParam(p.name) ? 0.05 * rng.normal() : 4 * x)),
  }));
}

function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0,
    den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i]! - b[i]!) ** 2;
    den += b[i]! ** 2;
  }
  return Math.sqrt(num / Math.max(den, 1e-30));
}

test('createFastCore matches the reference: last-position logits, loss and every weight gradient', async () => {
  for (const G of [S3, C7]) {
    const N = G.order;
    const ps = params(N, 2);
    const rows = Int32Array.from({ length: N * N }, (_, i) => i).filter((_, i) => i % 3 !== 1);
    const labels = Int32Array.from(rows, (r) => G.table[r]!);
    const core = await createFastCore(N, 1);
    const ref = referenceLossAndGrads(ps, rows, labels);
    const fast = core.lossAndGrads(ps, rows, labels);
    assert.ok(Math.abs(fast.loss - ref.loss) < 1e-5 * ref.loss, `${G.name}: loss ${fast.loss} vs ${ref.loss}`);
    const weights = ps.filter((p) => !isFrozenParam(p.name));
    assert.equal(fast.grads.length, weights.length);
    weights.forEach((p, i) => {
      const e = relErr(fast.grads[i]!, ref.grads.get(p.name)!);
      assert.ok(e < 1e-4, `${G.name} ${p.name}: relative error ${e}`);
    });
    const logits = core.logits(ps, rows);
    const refLogits = runWithCache(ps, rows, []).lastLogits.data;
    assert.ok(relErr(logits, refLogits) < 1e-5, `${G.name}: logits relative error ${relErr(logits, refLogits)}`);
    await core.dispose();
  }
});

test('createFastCore gives the same loss and gradients with 1 and 3 threads', async () => {
  const N = C7.order;
  const ps = params(N, 6);
  const rows = Int32Array.from({ length: N * N }, (_, i) => i);
  const labels = Int32Array.from(rows, (r) => C7.table[r]!);
  const one = await createFastCore(N, 1);
  const three = await createFastCore(N, 3);
  const a = one.lossAndGrads(ps, rows, labels),
    b = three.lossAndGrads(ps, rows, labels);
  assert.ok(Math.abs(a.loss - b.loss) < 1e-12 * a.loss);
  a.grads.forEach((g, i) => assert.ok(relErr(b.grads[i]!, g) < 1e-6, `gradient ${i}: ${relErr(b.grads[i]!, g)}`));
  assert.deepEqual(three.logits(ps, rows), one.logits(ps, rows));
  await one.dispose();
  await three.dispose();
});

test('createFastCore store.adamw updates its weights bit-identically to adamwUpdate', async () => {
  const N = S3.order;
  const core = await createFastCore(N, 2);
  const store = core.store!;
  const ps = params(N, 8);
  ps.forEach((p, i) => store.params[i]!.set(p.data));
  const named = ps.map((p, i) => ({ ...p, data: store.params[i]! }));
  const rows = Int32Array.from({ length: N * N }, (_, i) => i);
  const { grads } = core.lossAndGrads(
    named,
    rows,
    Int32Array.from(rows, (r) => S3.table[r]!),
  );
  const weights = named.filter((p) => !isFrozenParam(p.name)).map((p) => p.data.slice());
  const m = store.exp_avg.map((x) => x.slice()),
    v = store.exp_avg_sq.map((x) => x.slice());
  for (let step = 1; step <= 2; step++) {
    const s = adamwScalars(DEFAULT_OPTIM, step);
    weights.forEach((w, i) => adamwUpdate(w, grads[i]!, m[i]!, v[i]!, s));
    store.adamw(s, grads);
  }
  const after = named.filter((p) => !isFrozenParam(p.name)).map((p) => p.data);
  after.forEach((w, i) => assert.deepEqual(w, weights[i], `weight ${i}`));
  store.exp_avg.forEach((x, i) => assert.deepEqual(x, m[i]));
  store.exp_avg_sq.forEach((x, i) => assert.deepEqual(x, v[i]));
  await core.dispose();
});
