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
