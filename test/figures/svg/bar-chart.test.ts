import { test } from 'node:test';
import assert from 'node:assert/strict';
import { barChart } from '../../../src/figures/svg/bar-chart.js';

test('barChart bars start at 0 with heights proportional to the values, labelled with them', () => {
  const p = barChart({ categories: ['a', 'b', 'c'], values: [4, 2, 0], color: '#123456' });
  const bars = [...p.body.matchAll(/<rect x="[^"]+" y="([^"]+)" width="[^"]+" height="([^"]+)" fill="#123456"/g)].map((m) => [
    Number(m[1]),
    Number(m[2]),
  ]);
  assert.equal(bars.length, 3);
  assert.ok(Math.abs(bars[0]![1]! - 2 * bars[1]![1]!) < 0.02);
  assert.equal(bars[2]![1], 0);
  assert.ok(Math.abs(bars[0]![0]! + bars[0]![1]! - (bars[1]![0]! + bars[1]![1]!)) < 0.02, 'same baseline');
  for (const c of ['a', 'b', 'c', '4', '2']) assert.match(p.body, new RegExp(`>${c}</text>`));
  assert.throws(() => barChart({ categories: ['a'], values: [1, 2], color: '#000' }), /1 categories but 2 values/);
});

test('barChart with integer counts has only integer ticks', () => {
  const p = barChart({ categories: ['x', 'y'], values: [3, 1], color: '#000000', integer: true });
  const axis = /<g class="axes">(.*?)<\/g>/s.exec(p.body)![1]!;
  const labels = [...axis.matchAll(/text-anchor="end"[^>]*>([^<]+)<\/text>/g)].map((m) => m[1]!);
  assert.ok(labels.length >= 2);
  for (const l of labels) assert.match(l, /^\d+$/);
});
