import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initParams, paramSpecs } from '../../src/models/init.js';
import { Rng } from '../../src/linalg/rng.js';

test('initParams draws W_x, W_y, W, W_U in order from one Rng, row-major, scaled', () => {
  const specs = paramSpecs({ kind: 'mlp', embedDim: 4, hiddenDim: 3 }, 5);
  assert.deepEqual(
    specs.map((s) => [s.name, ...s.shape]),
    [
      ['W_x', 5, 4],
      ['W_y', 5, 4],
      ['W', 8, 3],
      ['W_U', 3, 5],
    ],
  );
  const ps = initParams(specs, 7);
  const rng = new Rng(7);
  const scales = [1 / 2, 1 / 2, 1 / Math.sqrt(8), 1 / Math.sqrt(3)];
  ps.forEach((p, i) => {
    for (let j = 0; j < p.data.length; j++) assert.equal(p.data[j], Math.fround(rng.normal() * scales[i]!));
  });
});

test('S5-sized MLP init has sum of squared weights near the original (~488)', () => {
  const ps = initParams(paramSpecs({ kind: 'mlp', embedDim: 256, hiddenDim: 128 }, 120), 1);
  let ss = 0;
  for (const p of ps) for (const x of p.data) ss += x * x;
  // E = 120 + 120 + 128 + 120 = 488; sd of the sum about sqrt(2·488/…) — a few units.
  assert.ok(Math.abs(ss - 488) < 15, `sum of squares ${ss}`);
});

test('bilinear net parameters are W_x, W_y, W_U with W_U [d_e, N]', () => {
  const specs = paramSpecs({ kind: 'bilinear', embedDim: 6, hiddenDim: 99 }, 4);
  assert.deepEqual(
    specs.map((s) => [s.name, ...s.shape]),
    [
      ['W_x', 4, 6],
      ['W_y', 4, 6],
      ['W_U', 6, 4],
    ],
  );
});
