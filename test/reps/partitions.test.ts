import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  comparePartitions,
  conjugatePartition,
  diagonalHooks,
  hookDimension,
  partitionName,
  partitions,
  standardTableaux,
} from '../../src/reps/partitions.js';

test('partitions: counts p(n), decreasing lexicographic order, each sums to n', () => {
  const p = [1, 1, 2, 3, 5, 7, 11, 15];
  for (let n = 1; n <= 7; n++) {
    const ps = partitions(n);
    assert.equal(ps.length, p[n], `p(${n})`);
    for (const l of ps)
      assert.equal(
        l.reduce((s, x) => s + x, 0),
        n,
      );
    for (let i = 1; i < ps.length; i++) assert.ok(comparePartitions(ps[i - 1]!, ps[i]!) > 0);
  }
  assert.deepEqual(partitions(4), [[4], [3, 1], [2, 2], [2, 1, 1], [1, 1, 1, 1]]);
});

test('conjugate partitions and diagonal hooks', () => {
  assert.deepEqual(conjugatePartition([3, 1, 1]), [3, 1, 1]);
  assert.deepEqual(conjugatePartition([4, 2]), [2, 2, 1, 1]);
  assert.deepEqual(conjugatePartition([1, 1, 1]), [3]);
  for (const l of partitions(6)) assert.deepEqual(conjugatePartition(conjugatePartition(l)), l);
  assert.deepEqual(diagonalHooks([3, 1, 1]), [5]);
  assert.deepEqual(diagonalHooks([2, 2]), [3, 1]);
  assert.deepEqual(diagonalHooks([3, 2, 1]), [5, 1]);
});

test('standard Young tableaux: as many as the hook length formula says; Σ dim² = n!', () => {
  for (let n = 1; n <= 7; n++) {
    let sum = 0;
    for (const l of partitions(n)) {
      const t = standardTableaux(l);
      assert.equal(t.count, hookDimension(l), `(${l.join(',')})`);
      sum += t.count * t.count;
      // every tableau is distinct and standard: contents of 1..n trace a path of valid diagrams
      const keys = new Set<string>();
      for (let k = 0; k < t.count; k++) keys.add(t.contents.subarray(k * n, (k + 1) * n).join(','));
      assert.equal(keys.size, t.count);
    }
    let f = 1;
    for (let k = 2; k <= n; k++) f *= k;
    assert.equal(sum, f, `S${n}`);
  }
  assert.equal(hookDimension([3, 2, 1]), 16);
  assert.equal(hookDimension([4, 2, 1]), 35);
});

test('partition names are usable in CSV column names', () => {
  assert.equal(partitionName([3, 2, 1]), 'p3_2_1');
  for (const l of partitions(7)) assert.match(partitionName(l), /^p[0-9_]+$/);
});
