import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accuracy, crossEntropy, crossEntropyBackward } from '../../src/models/loss.js';

test('crossEntropy equals mean -log softmax in float64 at any size (no chunk-sum)', () => {
  // Two rows, N = 3.
  const logits = Float32Array.from([1, 2, 3, 0.5, 0.5, -1]);
  const labels = Int32Array.from([2, 0]);
  const l0 = -Math.log(Math.exp(3) / (Math.exp(1) + Math.exp(2) + Math.exp(3)));
  const l1 = -Math.log(Math.exp(0.5) / (2 * Math.exp(0.5) + Math.exp(-1)));
  assert.ok(Math.abs(crossEntropy(logits, labels, 3) - (l0 + l1) / 2) < 1e-14);
  // 16000 identical rows (above the original's 15000 chunking threshold) give the per-row loss.
  const R = 16000;
  const big = new Float32Array(R * 3);
  for (let r = 0; r < R; r++) big.set([1, 2, 3], r * 3);
  assert.ok(Math.abs(crossEntropy(big, new Int32Array(R).fill(2), 3) - l0) < 1e-12);
});

test('crossEntropy keeps tiny losses precise (float64 log-softmax of float32 logits)', () => {
  const logits = Float32Array.from([20, 0, 0]);
  const expected = Math.log1p(2 * Math.exp(-20));
  assert.ok(Math.abs(crossEntropy(logits, Int32Array.from([0]), 3) / expected - 1) < 1e-6);
});

test('crossEntropyBackward gives (softmax - onehot)/rows and the same loss', () => {
  const logits = Float64Array.from([0.3, -1.2, 2.0, 0.1, 0.0, 0.7]);
  const labels = Int32Array.from([1, 2]);
  const g = new Float64Array(6);
  const loss = crossEntropyBackward(logits, labels, 3, g);
  assert.equal(loss, crossEntropy(logits, labels, 3));
  const h = 1e-6;
  for (let i = 0; i < 6; i++) {
    const p = logits.slice();
    const m = logits.slice();
    p[i]! += h;
    m[i]! -= h;
    const fd = (crossEntropy(p, labels, 3) - crossEntropy(m, labels, 3)) / (2 * h);
    assert.ok(Math.abs(fd - g[i]!) < 1e-8, `dlogits[${i}]: ${g[i]} vs finite difference ${fd}`);
  }
});

test('accuracy counts argmax = label with the first maximum winning ties', () => {
  const logits = Float32Array.from([1, 1, 0, 0, 2, 2, 5, 0, 0]);
  assert.equal(accuracy(logits, Int32Array.from([0, 1, 0]), 3), 1);
  assert.equal(accuracy(logits, Int32Array.from([1, 2, 0]), 3), 1 / 3);
});
