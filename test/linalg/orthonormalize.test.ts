import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OrthonormalBasis, orthonormalizeColumns } from '../../src/linalg/orthonormalize.js';
import { identity, matmul, matmulTN, maxAbsDiff } from '../../src/linalg/matrix.js';
import { Rng } from '../../src/linalg/rng.js';

test('orthonormalizeColumns: full-rank random matrix gives QᵀQ = I and the same span', () => {
  const rng = new Rng(11);
  const [m, n] = [30, 8];
  const a = Float64Array.from({ length: m * n }, () => rng.normal());
  const { q, rank, kept } = orthonormalizeColumns(a, m, n);
  assert.equal(rank, n);
  assert.deepEqual(kept, [0, 1, 2, 3, 4, 5, 6, 7]);
  assert.ok(maxAbsDiff(matmulTN(q, q, m, n, n), identity(n)) < 1e-14);
  // reconstruction: Q (Qᵀ A) = A
  const recon = matmul(q, matmulTN(q, a, m, n, n), m, n, n);
  assert.ok(maxAbsDiff(recon, a) < 1e-12);
});

test('orthonormalizeColumns detects rank: dependent and zero columns are dropped', () => {
  const rng = new Rng(12);
  const [m, r, n] = [25, 4, 10];
  const x = Float64Array.from({ length: m * r }, () => rng.normal());
  const y = Float64Array.from({ length: r * n }, () => rng.normal());
  for (let i = 0; i < r; i++) y[i * n + 2] = 0; // column 2 is zero
  const a = matmul(x, y, m, r, n); // rank 4
  const { q, rank, kept } = orthonormalizeColumns(a, m, n);
  assert.equal(rank, r);
  assert.ok(!kept.includes(2));
  assert.ok(maxAbsDiff(matmulTN(q, q, m, r, r), identity(r)) < 1e-13);
  assert.ok(maxAbsDiff(matmul(q, matmulTN(q, a, m, r, n), m, r, n), a) < 1e-11);
});

test('OrthonormalBasis: adding nearly parallel vectors keeps orthogonality to machine precision', () => {
  const len = 50;
  const basis = new OrthonormalBasis(len);
  const base = Float64Array.from({ length: len }, (_, i) => 1 + i / len);
  for (let k = 0; k < 10; k++) {
    const v = base.slice();
    v[k]! += 1e-6; // each differs from `base` by a tiny perturbation
    assert.ok(basis.add(v, 1e-12));
  }
  assert.equal(basis.size, 10);
  const rows = basis.toRows();
  const cols = basis.toColumns();
  assert.ok(maxAbsDiff(matmulTN(cols, cols, len, 10, 10), identity(10)) < 1e-13);
  assert.equal(rows[len], cols[1]);
  assert.equal(basis.add(new Float64Array(len), 1e-12), false);
});
