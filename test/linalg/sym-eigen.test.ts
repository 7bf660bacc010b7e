import { test } from 'node:test';
import assert from 'node:assert/strict';
import { symEigen } from '../../src/linalg/sym-eigen.js';
import { matmul, matmulTN, maxAbsDiff, identity, transpose } from '../../src/linalg/matrix.js';
import { Rng } from '../../src/linalg/rng.js';

function randomSymmetric(rng: Rng, n: number): Float64Array {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = rng.normal();
  return a;
}

/** max |A V − V Λ|, max |VᵀV − I|, max |V Λ Vᵀ − A|, and whether values ascend. */
function residuals(a: Float64Array, n: number) {
  const { values, vectors, rows } = symEigen(a, n);
  const av = matmul(a, vectors, n, n, n);
  let eig = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) eig = Math.max(eig, Math.abs(av[i * n + j]! - vectors[i * n + j]! * values[j]!));
  const orth = maxAbsDiff(matmulTN(vectors, vectors, n, n, n), identity(n));
  const vl = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) vl[i * n + j] = vectors[i * n + j]! * values[j]!;
  const recon = maxAbsDiff(matmul(vl, rows, n, n, n), a);
  let ascending = true;
  for (let j = 1; j < n; j++) ascending &&= values[j - 1]! <= values[j]!;
  return { values, eig, orth, recon, ascending, rowsOk: maxAbsDiff(rows, transpose(vectors, n, n)) === 0 };
}

test('symEigen: known 2x2 and 3x3 spectra', () => {
  const r2 = residuals(Float64Array.from([2, 1, 1, 2]), 2);
  assert.ok(maxAbsDiff(r2.values, [1, 3]) < 1e-14);
  // the path-graph Laplacian-like tridiagonal [2 -1 0; -1 2 -1; 0 -1 2]: 2 - sqrt2, 2, 2 + sqrt2
  const r3 = residuals(Float64Array.from([2, -1, 0, -1, 2, -1, 0, -1, 2]), 3);
  assert.ok(maxAbsDiff(r3.values, [2 - Math.SQRT2, 2, 2 + Math.SQRT2]) < 1e-14);
  assert.ok(r3.eig < 1e-14 && r3.orth < 1e-14);
});

test('symEigen: diagonal, zero, 1x1 and repeated eigenvalues', () => {
  const d = residuals(Float64Array.from([3, 0, 0, 0, -1, 0, 0, 0, 2]), 3);
  assert.deepEqual([...d.values], [-1, 2, 3]);
  assert.deepEqual([...residuals(new Float64Array(4), 2).values], [0, 0]);
  assert.deepEqual([...symEigen(Float64Array.from([5]), 1).values], [5]);
  assert.equal(symEigen(new Float64Array(0), 0).values.length, 0);
  // J - I for the 6x6 all-ones J: eigenvalues -1 (x5) and 5
  const n = 6;
  const a = new Float64Array(n * n).fill(1);
  for (let i = 0; i < n; i++) a[i * n + i] = 0;
  const r = residuals(a, n);
  assert.ok(maxAbsDiff(r.values, [-1, -1, -1, -1, -1, 5]) < 1e-13);
  assert.ok(r.orth < 1e-13 && r.eig < 1e-13);
});

test('symEigen: random symmetric matrices up to n = 120', () => {
  const rng = new Rng(7);
  for (const n of [2, 3, 5, 10, 31, 64, 120]) {
    const a = randomSymmetric(rng, n);
    const r = residuals(a, n);
    const tol = 1e-13 * n;
    assert.ok(r.eig < tol, `n=${n} eigen residual ${r.eig}`);
    assert.ok(r.orth < tol, `n=${n} orthogonality ${r.orth}`);
    assert.ok(r.recon < tol, `n=${n} reconstruction ${r.recon}`);
    assert.ok(r.ascending && r.rowsOk);
    let trace = 0;
    for (let i = 0; i < n; i++) trace += a[i * n + i]!;
    assert.ok(Math.abs(r.values.reduce((s, x) => s + x, 0) - trace) < tol);
  }
});

test('symEigen: a low-rank projector has eigenvalues 0 and 1 with the right multiplicity', () => {
  const rng = new Rng(3);
  const n = 40;
  const k = 7;
  const x = Float64Array.from({ length: n * k }, () => rng.normal());
  // P = X (XᵀX)^-1 Xᵀ via the eigen-decomposition of XᵀX
  const xtx = matmulTN(x, x, n, k, k);
  const { values, vectors } = symEigen(xtx, k);
  const w = new Float64Array(k * k); // (XᵀX)^-1/2
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (vectors[i * k + p]! * vectors[j * k + p]!) / Math.sqrt(values[p]!);
      w[i * k + j] = s;
    }
  const q = matmul(x, w, n, k, k);
  const P = matmul(q, transpose(q, n, k), n, k, n);
  const r = residuals(P, n);
  const ones = [...r.values].filter((v) => Math.abs(v - 1) < 1e-10).length;
  const zeros = [...r.values].filter((v) => Math.abs(v) < 1e-10).length;
  assert.equal(ones, k);
  assert.equal(zeros, n - k);
});
