import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseGroup } from '../../src/groups/parse.js';
import { irreps } from '../../src/reps/irreps.js';
import { characterCube } from '../../src/reps/cube.js';
import { cubeSlice, logitCubes, logitSlice } from '../../src/figures/logit-cubes.js';
import { neuronActivations, orderBy } from '../../src/figures/neuron-activations.js';
import { changeOfBasis, unembedInRepBasis } from '../../src/figures/rep-basis-maps.js';
import { rdbu, reds } from '../../src/figures/svg/colormap.js';
import { embeddedImages, pixel } from './png-pixels.js';

test("logitCubes: logits equal to a character cube give an observed slice identical to that irrep's", () => {
  const G = parseGroup('S4');
  const list = irreps(G);
  const std = list.find((r) => r.name === 'standard')!;
  const logits = Float64Array.from(characterCube(G, std), (v) => 3 * v); // any positive scale
  const panel = logitCubes(G, list, logits, ['sign', 'standard']);
  const [obs, sign, standard] = embeddedImages(panel.body);
  assert.equal(embeddedImages(panel.body).length, 3);
  assert.deepEqual(obs!.rgb, standard!.rgb);
  assert.notDeepEqual(obs!.rgb, sign!.rgb);
  for (const t of ['observed logits', 'sign', 'standard']) assert.match(panel.body, new RegExp(`>${t}</text>`));
  assert.throws(() => logitCubes(G, list, logits, ['s5_6d']), /"s5_6d" is not an irrep of S4/);
});

test('cubeSlice at the identity is χ(a·b); logitSlice picks column c', () => {
  const G = parseGroup('S3');
  const sign = irreps(G).find((r) => r.name === 'sign')!;
  const s = cubeSlice(G, sign, G.identity);
  for (let a = 0; a < 6; a++) for (let b = 0; b < 6; b++) assert.equal(s[a * 6 + b], sign.character[G.table[a * 6 + b]!]);
  const logits = Float64Array.from({ length: 36 * 6 }, (_, i) => i);
  assert.deepEqual([...logitSlice(logits, 6, 2).subarray(0, 3)], [2, 8, 14]);
});

test('neuronActivations: a sign neuron 1[a even]·1[b odd] is one block once elements are ordered by sign, on the sequential scale', () => {
  const G = parseGroup('S4');
  const N = G.order;
  const sign = irreps(G).find((r) => r.name === 'sign')!.character;
  const h = 3;
  const hidden = new Float64Array(N * N * h);
  for (let a = 0; a < N; a++) for (let b = 0; b < N; b++) hidden[(a * N + b) * h + 1] = sign[a]! > 0 && sign[b]! < 0 ? 2 : 0;
  const order = orderBy(sign);
  assert.ok(order.slice(0, 12).every((g) => sign[g] === 1));
  const panel = neuronActivations(hidden, N, h, [1], { order, orderNote: '(even first)' });
  const [img] = embeddedImages(panel.body);
  // ReLU activations are never negative: the sequential white -> red scale, 0 white
  const hot = reds(1);
  const zero = reds(0);
  for (let y = 0; y < N; y++) for (let x = 0; x < N; x++) assert.deepEqual(pixel(img!, x, y), y < 12 && x >= 12 ? hot : zero, `(${y}, ${x})`);
  assert.match(panel.body, />neuron 1<\/text>/);
  assert.match(panel.body, />b \(even first\)<\/text>/);
  assert.throws(() => neuronActivations(hidden, N, h, [5]), /neuron 5 is not in 0..2/);
});

test('changeOfBasis and unembedInRepBasis draw their matrix, rows down', () => {
  const m = Float64Array.from([1, 0, 0, -1, 0, 0]); // [2, 3]
  const [img] = embeddedImages(changeOfBasis(m, 2, 3, 'standard').body);
  assert.equal(img!.width, 3);
  assert.equal(img!.height, 2);
  assert.deepEqual(pixel(img!, 0, 0), rdbu(1));
  assert.deepEqual(pixel(img!, 0, 1), rdbu(-1));
  const [u] = embeddedImages(unembedInRepBasis(Float64Array.from([0, 2, 2, 0]), 2, 'standard').body);
  assert.deepEqual(pixel(u!, 1, 0), rdbu(1));
  assert.deepEqual(pixel(u!, 0, 0), rdbu(0));
  assert.throws(() => changeOfBasis(m, 3, 3, 'x'), /6 values for \[3, 3\]/);
});
