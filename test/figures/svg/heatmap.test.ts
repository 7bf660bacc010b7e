import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inflateSync } from 'node:zlib';
import { hex, rdbu } from '../../../src/figures/svg/colormap.js';
import { facetRgb, heatmap, maxAbs } from '../../../src/figures/svg/heatmap.js';

test('rdbu: white at 0, blue for negative, red for positive, clamped, symmetric', () => {
  assert.equal(hex(rdbu(0)), '#f7f7f7');
  assert.equal(hex(rdbu(-1)), '#053061');
  assert.equal(hex(rdbu(1)), '#67001f');
  assert.deepEqual(rdbu(5), rdbu(1));
  const [r, , b] = rdbu(0.5);
  assert.ok(r > b);
  const [r2, , b2] = rdbu(-0.5);
  assert.ok(b2 > r2);
});

test('heatmap embeds each facet as a PNG whose pixels are the cells on the shared scale', () => {
  const a = { rows: 2, cols: 3, values: [1, 0, -1, 0.5, -0.5, 0], title: 'A' };
  const b = { rows: 2, cols: 3, values: [2, 2, 2, 2, 2, 2], title: 'B' };
  assert.equal(maxAbs([a, b]), 2);
  const panel = heatmap({ facets: [a, b] });
  const images = [...panel.body.matchAll(/href="data:image\/png;base64,([^"]+)"/g)].map((m) => Buffer.from(m[1]!, 'base64'));
  assert.equal(images.length, 2);
  // IDAT of the first facet: rows of filter byte + RGB
  const png = images[0]!;
  const idatAt = png.indexOf('IDAT');
  const len = png.readUInt32BE(idatAt - 4);
  const raw = inflateSync(png.subarray(idatAt + 4, idatAt + 4 + len));
  const rgb = facetRgb(a, 2);
  assert.deepEqual([...raw.subarray(1, 10)], [...rgb.subarray(0, 9)]);
  assert.deepEqual([...rgb.subarray(0, 3)], rdbu(0.5));
  assert.match(panel.body, />A<\/text>/);
  assert.match(panel.body, />B<\/text>/);
  assert.match(panel.body, /class="colorbar"/);
});

test('reds and the sequential scale: white at 0, darker red with the value, colour bar from 0; neuronActivations picks it for ReLU data', async () => {
  const { reds } = await import('../../../src/figures/svg/colormap.js');
  const { neuronActivations } = await import('../../../src/figures/neuron-activations.js');
  assert.equal(hex(reds(0)), '#fff5f0');
  assert.equal(hex(reds(1)), '#67000d');
  assert.deepEqual(reds(-3), reds(0));
  const [r1, g1] = reds(0.3);
  const [r2, g2] = reds(0.7);
  assert.ok(r1 >= r2 && g1 > g2, 'monotone: darker for larger values');
  const f = { rows: 1, cols: 2, values: [0, 4] };
  assert.deepEqual([...facetRgb(f, 4, 'sequential')], [...reds(0), ...reds(1)]);
  const seq = heatmap({ facets: [f], scale: 'sequential' });
  assert.match(seq.body, />0<\/text><\/g>/, 'the bar ends at 0');
  assert.doesNotMatch(seq.body, />-\d/, 'no negative ticks');
  // activations over (a, b): ReLU output (never negative) -> sequential; signed (bilinear hidden) -> diverging
  const N = 2,
    h = 1;
  const relu = neuronActivations(Float64Array.of(0, 1, 2, 3), N, h, [0]);
  const signed = neuronActivations(Float64Array.of(-1, 1, 2, 3), N, h, [0]);
  assert.match(relu.body, />0<\/text><\/g>/);
  assert.doesNotMatch(relu.body, />-\d/);
  assert.match(signed.body, />-\d/);
});
