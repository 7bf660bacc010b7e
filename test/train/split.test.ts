import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitData } from '../../src/train/split.js';
import { Rng } from '../../src/linalg/rng.js';
import { UsageError } from '../../src/util/errors.js';

test('splitData(N, frac, seed) takes the first ⌊frac·N²⌋ rows of the seeded permutation as train', () => {
  const { train, test: rest } = splitData(7, 0.4, 3);
  const perm = new Rng(3).permutation(49);
  assert.equal(train.length, Math.floor(0.4 * 49));
  assert.deepEqual([...train, ...rest], [...perm]);
  const all = [...train, ...rest].sort((x, y) => x - y);
  assert.deepEqual(
    all,
    Array.from({ length: 49 }, (_, i) => i),
  );
});

test('splitData shuffles for seed 0 and differs between seeds', () => {
  const s0 = splitData(10, 0.5, 0).train;
  assert.notDeepEqual(
    [...s0],
    Array.from({ length: 50 }, (_, i) => i),
  );
  assert.notDeepEqual([...s0], [...splitData(10, 0.5, 1).train]);
  assert.deepEqual([...s0], [...splitData(10, 0.5, 0).train]);
});

test('splitData rejects a fraction outside [0, 1]', () => {
  assert.throws(() => splitData(5, 1.5, 0), UsageError);
});
