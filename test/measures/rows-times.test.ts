import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matmul, maxAbsDiff } from '../../src/linalg/matrix.js';
import { Rng } from '../../src/linalg/rng.js';
import { rowsTimes } from '../../src/measures/rows-times.js';

test('rowsTimes equals matmul on all rows and on chosen rows, for sizes off the 4 x 2 blocks', () => {
  const rng = new Rng(4);
  for (const [n, k, m] of [
    [1, 1, 1],
    [4, 3, 2],
    [7, 5, 3],
    [13, 8, 9],
    [9, 1, 5],
  ] as const) {
    const A = Float64Array.from({ length: n * k }, () => rng.normal());
    const B = Float64Array.from({ length: k * m }, () => rng.normal());
    const want = matmul(A, B, n, k, m);
    assert.ok(maxAbsDiff(rowsTimes(A, null, k, B, m), want) < 1e-12, `all rows ${n}x${k}x${m}`);
    const rows = Int32Array.from({ length: n + 2 }, () => rng.int(n));
    const out = new Float64Array(rows.length * m).fill(7); // overwritten, not accumulated
    rowsTimes(A, rows, k, B, m, out);
    rows.forEach((r, i) => assert.ok(maxAbsDiff(out.subarray(i * m, i * m + m), want.subarray(r * m, r * m + m)) < 1e-12, `row ${r}`));
  }
});
