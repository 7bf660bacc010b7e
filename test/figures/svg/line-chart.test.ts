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
  const first = lineChart({
    series: [
      { name: 'a', x, y: x, color: '#111111' },
      { name: 'b', x, y: x, color: '#222222' },
    ],
  });
  assert.deepEqual(legendEntries(svgDocument(first)), [
    ['a', '#111111'],
    ['b', '#222222'],
  ]);
  // a second chart in the same process with other series: nothing carries over (the original's bug)
  const second = lineChart({
    series: [
      { name: 'c', x, y: x, color: '#333333' },
      { name: 'hidden', x, y: x, color: '#444444', legend: false },
      { name: 'd', x, y: x, color: '#555555' },
    ],
  });
  assert.deepEqual(legendEntries(svgDocument(second)), [
    ['c', '#333333'],
    ['d', '#555555'],
  ]);
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
  assert.ok(
    pts.some((p) => p.endsWith(' 0')),
    'the spike to the top survives',
  );
  assert.ok(
    pts.some((p) => p.endsWith(' 200')),
    'the spike to the bottom survives',
  );
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

/** The legend box (x, y, width, height) of a chart. */
function legendBox(svg: string): { x: number; y: number; width: number; height: number } {
  const m = /<g class="legend"><rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/.exec(svg);
  assert.ok(m, 'a legend box');
  return { x: Number(m[1]), y: Number(m[2]), width: Number(m[3]), height: Number(m[4]) };
}

test("legend 'auto' goes to the corner the lines cover least, and covers no line when one corner is free", () => {
  const x = Array.from({ length: 50 }, (_, i) => i);
  const falling = x.map((v) => 100 - 2 * v); // high on the left, low on the right: top-right and bottom-left are free
  const lowFlat = x.map(() => 5); // along the bottom
  const cases: { y: number[][]; want: 'top-right' | 'top-left' | 'bottom-right' | 'bottom-left' }[] = [
    { y: [falling, lowFlat], want: 'top-right' },
    { y: [x.map((v) => 2 * v), lowFlat], want: 'top-left' }, // rising: the top-right is taken
    { y: [x.map(() => 95), x.map((v) => (v < 25 ? 95 : 5))], want: 'bottom-left' }, // the top taken, the bottom right too
  ];
  for (const c of cases) {
    const series = c.y.map((y, i) => ({ name: `series ${i}`, x, y, color: '#000000' }));
    const panel = lineChart({ series, legend: 'auto', yDomain: [0, 100] });
    const b = legendBox(panel.body);
    const cx = b.x + b.width / 2 > panel.width / 2 ? 'right' : 'left';
    const cy = b.y + b.height / 2 > panel.height / 2 ? 'bottom' : 'top';
    assert.equal(`${cy}-${cx}`, c.want, JSON.stringify(c.y.map((y) => [y[0], y[49]])));
  }
  // the fixed corners still go where they are told
  const fixed = lineChart({ series: [{ name: 'a', x, y: falling, color: '#000000' }], legend: 'top-left', yDomain: [0, 100] });
  assert.ok(legendBox(fixed.body).x < fixed.width / 2 && legendBox(fixed.body).y < fixed.height / 2);
});

test('lineOverlap: the length of the lines inside a box, weighted by opacity', async () => {
  const { lineOverlap } = await import('../../../src/figures/svg/line-chart.js');
  const box = { x: 0, y: 0, width: 10, height: 10 };
  assert.equal(
    lineOverlap(
      [
        {
          runs: [
            [
              [-5, 5],
              [15, 5],
            ],
          ],
          weight: 1,
        },
      ],
      box,
    ),
    10,
  );
  assert.equal(
    lineOverlap(
      [
        {
          runs: [
            [
              [-5, 5],
              [15, 5],
            ],
          ],
          weight: 0.25,
        },
      ],
      box,
    ),
    2.5,
  );
  assert.equal(
    lineOverlap(
      [
        {
          runs: [
            [
              [20, 20],
              [30, 30],
            ],
          ],
          weight: 1,
        },
      ],
      box,
    ),
    0,
  );
  assert.ok(
    Math.abs(
      lineOverlap(
        [
          {
            runs: [
              [
                [0, 0],
                [20, 20],
              ],
            ],
            weight: 1,
          },
        ],
        box,
      ) - Math.hypot(10, 10),
    ) < 1e-9,
  );
});
