import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AdamW, DEFAULT_OPTIM, adamwScalars, adamwUpdate } from '../../src/train/adamw.js';

test('AdamW applies decoupled weight decay p·(1 − lr·wd) when the gradient is zero', () => {
  const p = Float32Array.from([1, -2, 0.5]);
  const opt = new AdamW(DEFAULT_OPTIM, [3]);
  opt.update([p], [new Float32Array(3)]);
  assert.deepEqual(
    [...p],
    [1, -2, 0.5].map((x) => Math.fround(x * Math.fround(0.999))),
  );
  assert.equal(opt.step, 1);
});

test('AdamW matches the float64 formula with bias correction over several steps', () => {
  const cfg = { lr: 0.01, weightDecay: 0.1, betas: [0.9, 0.98] as [number, number], eps: 1e-8 };
  const p = Float32Array.from([0.3, -0.7, 1.1, 0.0]);
  const ref = Float64Array.from(p);
  const m = new Float64Array(4);
  const v = new Float64Array(4);
  const opt = new AdamW(cfg, [4]);
  for (let t = 1; t <= 5; t++) {
    const g = Float32Array.from([0.5 * t, -0.25, 1e-3, t % 2 ? 2 : -2]);
    opt.update([p], [g]);
    for (let i = 0; i < 4; i++) {
      ref[i] = ref[i]! * (1 - cfg.lr * cfg.weightDecay);
      m[i] = 0.9 * m[i]! + 0.1 * g[i]!;
      v[i] = 0.98 * v[i]! + 0.02 * g[i]! * g[i]!;
      const mh = m[i]! / (1 - 0.9 ** t);
      const vh = v[i]! / (1 - 0.98 ** t);
      ref[i] = ref[i]! - (cfg.lr * mh) / (Math.sqrt(vh) + cfg.eps);
    }
  }
  for (let i = 0; i < 4; i++) assert.ok(Math.abs(p[i]! - ref[i]!) < 1e-6, `p[${i}] ${p[i]} vs ${ref[i]}`);
  // The first Adam step moves each coordinate by about lr against the gradient's sign.
  const q = Float32Array.from([0]);
  adamwUpdate(q, Float32Array.from([3]), new Float32Array(1), new Float32Array(1), adamwScalars(cfg, 1));
  assert.ok(Math.abs(q[0]! + cfg.lr) < 1e-7);
});
