import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineChart, linePath } from '../../../src/figures/svg/line-chart.js';
import { linearScale, logScale } from '../../../src/figures/svg/scale.js';
import { svgDocument } from '../../../src/figures/svg/panel.js';

/** The legend's entries: [text, swatch colour] in order. */
function legendEntries(svg: string): [string, string][] {
  const g = /<g class="legend">(.*?)<\/g>/s.exec(svg)?.[1] ?? '';
  const colours = [...g.matchAll(/<line [^>]*stroke="([^"]+)"/g)].map((m) => m[1]!);
  const texts = [...g.matchAll(/<text [^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
  return texts.map((t, i) => [t, colours[i]!]);
}

test('lineChart legend lists exactly the series shown in it, each with its own colour, in order', () => {
  const x = [1, 2, 3];
  const first = lineChart({ series: [{ name: 'a', x, y: x, color: '#111111' }, { name: 'b', x, y: x, color: '#222222' }] });
  assert.deepEqual(legendEntries(svgDocument(first)), [['a', '#111111'], ['b', '#222222']]);
  // a second chart in the same process with other series: nothing carries over (the original's bug)
  const second = lineChart({
    series: [
      { name: 'c', x, y: x, color: '#333333' },
      { name: 'hidden', x, y: x, color: '#444444', legend: false },
      { name: 'd', x, y: x, color: '#555555' },
    ],
  });
  assert.deepEqual(legendEntries(svgDocument(second)), [['c', '#333333'], ['d', '#555555']]);
  const none = lineChart({ series: [{ name: 'e', x, y: x, color: '#000000' }], legend: 'none' });
  assert.doesNotMatch(svgDocument(none), /class="legend"/);
});

test('linePath breaks at points the scale cannot draw (NaN, ≤ 0 on log)', () => {
  const sx = linearScale([0, 4], [0, 400]);
  const sy = logScale([1, 100], [100, 0]);
  const d = linePath({ name: 's', x: [0, 1, 2, 3, 4], y: [1, 10, 0, 10, NaN], color: '#000' }, sx, sy);
  assert.equal(d, 'M0 100L100 50M300 50h0.01');
});

test('linePath thins long series per pixel column but keeps their extremes', () => {
  const n = 10000;
  const x = Array.from({ length: n }, (_, i) => i);
  const y = x.map((i) => (i === 5000 ? 100 : i === 7000 ? -100 : Math.sin(i / 300)));
  const sx = linearScale([0, n - 1], [0, 500]);
  const sy = linearScale([-100, 100], [200, 0]);
  const d = linePath({ name: 's', x, y, color: '#000' }, sx, sy);
  const pts = d.slice(1).split('L');
  assert.ok(pts.length < 2500, `${pts.length} points`);
  assert.ok(pts.some((p) => p.endsWith(' 0')), 'the spike to the top survives');
  assert.ok(pts.some((p) => p.endsWith(' 200')), 'the spike to the bottom survives');
});

test('lineChart draws phase lines only inside the x domain', () => {
  const svg = svgDocument(lineChart({ series: [{ name: 'a', x: [0, 100], y: [1, 2], color: '#000' }], vlines: [50, 500] }));
  assert.equal([...svg.matchAll(/class="phase-line"/g)].length, 1);
});

test('log axes write decades as 10^k with a raised exponent when some are outside 0.01–1000', () => {
  const svg = svgDocument(lineChart({ series: [{ name: 'a', x: [0, 1], y: [1e-6, 1], color: '#000' }], y: 'log' }));
  assert.match(svg, />10<tspan[^>]*>-6<\/tspan><\/text>/);
  assert.match(svg, />10<tspan[^>]*>0<\/tspan><\/text>/);
});
