import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupFromPermutations } from '../../src/groups/permutation.js';
import { initParams, paramSpecs } from '../../src/models/init.js';
import { bilinearLossAndGrads, bilinearParams, bilinearRunWithCache } from '../../src/models/bilinear.js';
import { labelsOf } from '../../src/train/trainer-state.js';

const C5 = groupFromPermutations('C5', [Int32Array.from([1, 2, 3, 4, 0])]);

test('bilinearLossAndGrads matches central finite differences in float64 on C5', () => {
  const p32 = bilinearParams(initParams(paramSpecs({ kind: 'bilinear', embedDim: 4, hiddenDim: 1 }, 5), 3));
  const p = { ...p32, W_x: Float64Array.from(p32.W_x), W_y: Float64Array.from(p32.W_y), W_U: Float64Array.from(p32.W_U) };
  const rows = Int32Array.from([0, 3, 9, 12, 24, 18]);
  const labels = labelsOf(C5, rows);
  const { grads } = bilinearLossAndGrads(p, rows, labels);
  const h = 1e-6;
  for (const name of ['W_x', 'W_y', 'W_U'] as const) {
    const w = p[name];
    let maxErr = 0;
    for (let i = 0; i < w.length; i++) {
      const old = w[i]!;
      w[i] = old + h;
      const lp = bilinearLossAndGrads(p, rows, labels).loss;
      w[i] = old - h;
      const lm = bilinearLossAndGrads(p, rows, labels).loss;
      w[i] = old;
      maxErr = Math.max(maxErr, Math.abs((lp - lm) / (2 * h) - grads[name][i]!));
    }
    assert.ok(maxErr < 1e-8, `${name}: max |fd - grad| = ${maxErr}`);
  }
});

test('bilinearRunWithCache records hidden = W_x[a] ⊙ W_y[b]', () => {
  const p = bilinearParams(initParams(paramSpecs({ kind: 'bilinear', embedDim: 3, hiddenDim: 1 }, 5), 4));
  const { logits, cache } = bilinearRunWithCache(p, Int32Array.from([7]));
  const hidden = cache.get('hidden')!;
  assert.deepEqual(hidden.shape, [1, 3]);
  for (let j = 0; j < 3; j++) assert.equal(hidden.data[j], Math.fround(p.W_x[1 * 3 + j]! * p.W_y[2 * 3 + j]!));
  assert.equal(logits.length, 5);
});
