import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/linalg/rng.js';
import { crossEntropyFactored, crossEntropyRow, expRow, negExpRow } from '../../src/measures/cross-entropy.js';

const naive = (z: number[], y: number) => {
  const m = Math.max(...z);
  return m + Math.log(z.reduce((s, v) => s + Math.exp(v - m), 0)) - z[y]!;
};

test('crossEntropyRow: equals the log-sum-exp form, and keeps the relative precision of a tiny loss', () => {
  const rng = new Rng(1);
  for (let t = 0; t < 50; t++) {
    const z = Array.from({ length: 9 }, () => rng.normal() * 5);
    const y = rng.int(9);
    assert.ok(Math.abs(crossEntropyRow(Float64Array.from(z), 0, 9, y) - naive(z, y)) < 1e-12);
  }
  // label 40 above the rest: CE = log1p(2·e^-40) ≈ 8.5e-18, which m + log(Σ) − z_y rounds to 0
  const z = Float64Array.from([0, 40, 0]);
  const want = Math.log1p(2 * Math.exp(-40));
  assert.ok(Math.abs(crossEntropyRow(z, 0, 3, 1) / want - 1) < 1e-14);
  assert.equal(naive([0, 40, 0], 1), 0);
});

test('crossEntropyFactored = crossEntropyRow of z − r, from exps taken once per row and once per correction', () => {
  const rng = new Rng(2);
  const N = 11;
  for (let t = 0; t < 30; t++) {
    const z = Float64Array.from({ length: N }, () => rng.normal() * 8);
    const r = Float64Array.from({ length: N }, () => rng.normal() * 8);
    const y = rng.int(N);
    const e = new Float64Array(N);
    const f = new Float64Array(N);
    const range = new Float64Array(1);
    const cm = expRow(z, 0, N, e, 0, range, 0);
    assert.equal(z[cm], Math.max(...z));
    assert.equal(range[0], Math.max(...z) - Math.min(...z));
    assert.equal(negExpRow(r, 0, N, f, 0), Math.max(...r) - Math.min(...r));
    const want = crossEntropyRow(
      z.map((v, c) => v - r[c]!),
      0,
      N,
      y,
    );
    assert.ok(Math.abs(crossEntropyFactored(e, 0, f, 0, N, y) - want) < 1e-12 * Math.max(1, want));
  }
});
