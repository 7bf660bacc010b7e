import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupFromPermutations } from '../../src/groups/permutation.js';
import { initParams, paramSpecs } from '../../src/models/init.js';
import { type MlpParams, mlpLossAndGrads, mlpParams, mlpRunWithCache } from '../../src/models/mlp.js';
import { labelsOf } from '../../src/train/trainer-state.js';

const S3 = groupFromPermutations('S3', [Int32Array.from([1, 2, 0]), Int32Array.from([1, 0, 2])]);
const allRows = Int32Array.from({ length: 36 }, (_, i) => i);

function params64(d_e: number, h: number, seed: number): MlpParams {
  const p = mlpParams(initParams(paramSpecs({ kind: 'mlp', embedDim: d_e, hiddenDim: h }, 6), seed));
  return { ...p, W_x: Float64Array.from(p.W_x), W_y: Float64Array.from(p.W_y), W: Float64Array.from(p.W), W_U: Float64Array.from(p.W_U) };
}

test('mlpLossAndGrads matches central finite differences in float64 on S3', () => {
  const p = params64(3, 5, 11);
  const rows = Int32Array.from([0, 7, 13, 20, 35, 2, 29]);
  const labels = labelsOf(S3, rows);
  const { grads } = mlpLossAndGrads(p, rows, labels);
  const h = 1e-6;
  for (const name of ['W_x', 'W_y', 'W', 'W_U'] as const) {
    const w = p[name];
    let maxErr = 0;
    let maxG = 0;
    for (let i = 0; i < w.length; i++) {
      const old = w[i]!;
      w[i] = old + h;
      const lp = mlpLossAndGrads(p, rows, labels).loss;
      w[i] = old - h;
      const lm = mlpLossAndGrads(p, rows, labels).loss;
      w[i] = old;
      maxErr = Math.max(maxErr, Math.abs((lp - lm) / (2 * h) - grads[name][i]!));
      maxG = Math.max(maxG, Math.abs(grads[name][i]!));
    }
    assert.ok(maxG > 1e-4, `${name} gradient is not trivially zero`);
    assert.ok(maxErr < 1e-7 * Math.max(1, maxG), `${name}: max |fd - grad| = ${maxErr}`);
  }
});

test('mlpRunWithCache returns logits = ReLU(E_a[a] + E_b[b]) W_U and only the requested hooks', () => {
  const p = mlpParams(initParams(paramSpecs({ kind: 'mlp', embedDim: 4, hiddenDim: 6 }, 6), 2));
  const { logits, cache } = mlpRunWithCache(p, allRows);
  assert.deepEqual([...cache.keys()].sort(), ['embed_stack', 'hidden']);
  assert.deepEqual(cache.get('hidden')!.shape, [36, 6]);
  assert.deepEqual(cache.get('embed_stack')!.shape, [36, 8]);
  // Factored form computed independently.
  for (const r of [0, 17, 35]) {
    const a = Math.floor(r / 6);
    const b = r % 6;
    for (let c = 0; c < 6; c++) {
      let s = 0;
      for (let k = 0; k < 6; k++) {
        let pre = 0;
        for (let j = 0; j < 4; j++) pre += p.W_x[a * 4 + j]! * p.W[j * 6 + k]! + p.W_y[b * 4 + j]! * p.W[(4 + j) * 6 + k]!;
        assert.ok(Math.abs(cache.get('hidden')!.data[r * 6 + k]! - Math.max(pre, 0)) < 1e-6);
        s += Math.max(pre, 0) * p.W_U[k * 6 + c]!;
      }
      assert.ok(Math.abs(logits[r * 6 + c]! - s) < 1e-5);
    }
  }
  const only = mlpRunWithCache(p, allRows, ['hidden']).cache;
  assert.deepEqual([...only.keys()], ['hidden']);
  assert.notEqual(only, cache);
  assert.throws(() => mlpRunWithCache(p, allRows, ['hook_post']), /unknown hook "hook_post"/);
});
