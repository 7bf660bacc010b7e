import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkpointEpochs } from '../../src/runs/checkpoint-schedule.js';

// [E, count, sum of epochs], from numpy 2.4: {0} ∪ set(np.logspace(0, np.log10(E), 1000).astype(np.int32)) ∪ {E-1},
// keeping epochs < E. The counts for 250k/50k/100k/20k are the original's observed metrics.csv row counts.
const NUMPY: [number, number, number][] = [
  [1, 1, 0],
  [2, 2, 1],
  [10, 10, 45],
  [100, 100, 4950],
  [1000, 425, 134489],
  [20000, 635, 2022093],
  [50000, 674, 4636999],
  [100000, 699, 8723180],
  [250000, 727, 20215426],
  [500000, 746, 38312098],
  [1000000, 762, 72808169],
];

test('checkpointEpochs(E) matches numpy logspace counts and sums', () => {
  for (const [E, count, sum] of NUMPY) {
    const s = checkpointEpochs(E);
    assert.equal(s.length, count, `count for E=${E}`);
    assert.equal(s.reduce((a, b) => a + b, 0), sum, `sum for E=${E}`);
  }
});

test('checkpointEpochs(250000) starts at 0, ends at E-1, strictly increasing', () => {
  const s = checkpointEpochs(250000);
  assert.deepEqual(s.slice(0, 5), [0, 1, 2, 3, 4]);
  assert.deepEqual(s.slice(-3), [243855, 246908, 249999]);
  for (let i = 1; i < s.length; i++) assert.ok(s[i]! > s[i - 1]!);
});

test('checkpointEpochs rejects non-positive or fractional E', () => {
  assert.throws(() => checkpointEpochs(0), RangeError);
  assert.throws(() => checkpointEpochs(2.5), RangeError);
});
