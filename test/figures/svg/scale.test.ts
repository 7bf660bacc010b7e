import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extent, linearScale, linearTicks, logScale, logTicks, niceStep } from '../../../src/figures/svg/scale.js';

test('niceStep picks 1, 2 or 5 × 10^k', () => {
  assert.equal(niceStep(0, 10, 5), 2);
  assert.equal(niceStep(0, 1, 5), 0.2);
  assert.equal(niceStep(0, 250000, 5), 50000);
  assert.equal(niceStep(0, 7, 5), 1);
  assert.equal(niceStep(0, 30, 5), 5);
});

test('linearTicks are rounded multiples of the step inside the domain', () => {
  assert.deepEqual(linearTicks(0, 1, 5), [0, 0.2, 0.4, 0.6, 0.8, 1]);
  assert.deepEqual(linearTicks(0.05, 0.95, 4), [0.2, 0.4, 0.6, 0.8]);
  assert.deepEqual(linearTicks(-3, 3, 3), [-2, 0, 2]);
  assert.deepEqual(linearTicks(0.1, 0.3, 2), [0.1, 0.2, 0.3]);
});

test('logTicks gives decades, thinned when there are many, and 1-2-5 within a decade', () => {
  assert.deepEqual(logTicks(1e-6, 10), [1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 10]);
  const wide = logTicks(1e-20, 1, 6);
  assert.ok(wide.length <= 8, `${wide.length} ticks`);
  assert.equal(wide[wide.length - 1], 1);
  assert.deepEqual(logTicks(2, 9), [2, 5]);
});

test('linearScale maps the domain onto the range; nice widens it to ticks', () => {
  const s = linearScale([0, 10], [100, 200]);
  assert.equal(s.map(0), 100);
  assert.equal(s.map(5), 150);
  assert.equal(s.map(10), 200);
  assert.deepEqual(linearScale([0.13, 0.87], [0, 1], true).domain, [0.1, 0.9]);
  assert.deepEqual(linearScale([0.02, 0.97], [0, 1], true).domain, [0, 1]);
  const flat = linearScale([3, 3], [0, 1]);
  assert.ok(flat.domain[0] < 3 && flat.domain[1] > 3);
});

test('logScale maps decades evenly and refuses a non-positive domain', () => {
  const s = logScale([1, 1000], [0, 300]);
  assert.ok(Math.abs(s.map(10) - 100) < 1e-9);
  assert.ok(Math.abs(s.map(100) - 200) < 1e-9);
  assert.equal(s.valid(0), false);
  assert.equal(s.valid(-1), false);
  assert.equal(s.valid(NaN), false);
  assert.deepEqual(logScale([3e-6, 4], [0, 1], true).domain, [1e-6, 10]);
  assert.throws(() => logScale([0, 1], [0, 1]), /positive/);
});

test('extent skips values a scale of that kind cannot draw', () => {
  assert.deepEqual(extent([0, 3, NaN, -1, 5], 'linear'), [-1, 5]);
  assert.deepEqual(extent([0, 3, NaN, -1, 5], 'log'), [3, 5]);
  assert.equal(extent([0, -2], 'log'), undefined);
});
