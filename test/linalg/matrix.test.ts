import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dot, identity, matmul, matmulNT, matmulTN, maxAbsDiff, orthogonalityError, transpose } from '../../src/linalg/matrix.js';
import { Rng } from '../../src/linalg/rng.js';

const rand = (rng: Rng, n: number) => Float64Array.from({ length: n }, () => rng.normal());

test('matmul multiplies a known 2x3 by 3x2', () => {
  const a = Float64Array.from([1, 2, 3, 4, 5, 6]);
  const b = Float64Array.from([7, 8, 9, 10, 11, 12]);
  assert.deepEqual([...matmul(a, b, 2, 3, 2)], [58, 64, 139, 154]);
  const out = new Float64Array(4).fill(99);
  matmul(a, b, 2, 3, 2, out);
  assert.deepEqual([...out], [58, 64, 139, 154]);
});

test('transpose, matmulTN and matmulNT agree with matmul on random matrices', () => {
  const rng = new Rng(1);
  const [m, k, n] = [5, 7, 3];
  const a = rand(rng, m * k);
  const b = rand(rng, k * n);
  const c = matmul(a, b, m, k, n);
  assert.ok(maxAbsDiff(matmulTN(transpose(a, m, k), b, k, m, n), c) < 1e-12);
  assert.ok(maxAbsDiff(matmulNT(a, transpose(b, k, n), m, k, n), c) < 1e-12);
  assert.ok(maxAbsDiff(transpose(transpose(a, m, k), k, m), a) === 0);
  assert.ok(maxAbsDiff(matmul(identity(m), a, m, m, k), a) === 0);
  assert.equal(dot([1, 2, 3], [4, 5, 6]), 32);
});

test('orthogonalityError is 0 for a rotation and positive for a shear', () => {
  const t = 0.3;
  assert.ok(orthogonalityError(Float64Array.from([Math.cos(t), -Math.sin(t), Math.sin(t), Math.cos(t)]), 2) < 1e-15);
  assert.ok(orthogonalityError(Float64Array.from([1, 1, 0, 1]), 2) >= 1);
  assert.equal(maxAbsDiff([0, NaN], [0, 0]), Infinity);
});
