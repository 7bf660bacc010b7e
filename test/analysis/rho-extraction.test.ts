import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseGroup } from '../../src/groups/parse.js';
import { Rng } from '../../src/linalg/rng.js';
import { orthonormalizeColumns } from '../../src/linalg/orthonormalize.js';
import { transpose } from '../../src/linalg/matrix.js';
import { irreps } from '../../src/reps/irreps.js';
import { orthRep } from '../../src/reps/orth-rep.js';
import { rhoExtraction } from '../../src/analysis/rho-extraction.js';
import { hiddenView } from './views.js';

const G = parseGroup('S4');
const irr = irreps(G);
const N = G.order;
const Q = orthRep(
  G,
  irr.find((r) => r.name === 'standard')!,
); // [N, 9]
const r = 9;
const h = 12;

/** hidden[(a, b)] = Σ_k w_k Q[ab, k]/√N · R[k] with R [r, h] orthonormal rows. */
function build(weights: number[]) {
  const rng = new Rng(5);
  const { q } = orthonormalizeColumns(
    Float64Array.from({ length: h * r }, () => rng.normal()),
    h,
    r,
  ); // [h, r]
  const R = transpose(q, h, r); // [r, h]
  const hidden = new Float64Array(N * N * h);
  for (let a = 0; a < N; a++)
    for (let b = 0; b < N; b++) {
      const g = G.table[a * N + b]!;
      for (let k = 0; k < r; k++)
        for (let j = 0; j < h; j++) hidden[(a * N + b) * h + j]! += (weights[k]! * Q[g * r + k]! * R[k * h + j]!) / Math.sqrt(N);
    }
  const z = new Float64Array(N * h);
  return { view: hiddenView(G, hidden, z, z, new Float64Array(h * N), h), R };
}

test('rhoExtraction: an isometric, scaled copy of ρ(ab) in the neurons has cosine 1, that scale, and Ĉ = the isometry', () => {
  const { view, R } = build(new Array(r).fill(2.5));
  const [ex] = rhoExtraction({ group: G, irreps: irr, view, train: new Int32Array(), test: new Int32Array(), keyReps: ['standard'] });
  assert.equal(ex!.irrep, 'standard');
  assert.equal(ex!.rank, 9);
  assert.ok(Math.abs(ex!.cosine - 1) < 1e-12);
  assert.ok(Math.abs(ex!.scale - 2.5) < 1e-12);
  for (let i = 0; i < r * h; i++) assert.ok(Math.abs(ex!.changeOfBasis[i]! - R[i]!) < 1e-12);
  assert.ok(ex!.coordinateNorms.every((x) => Math.abs(x - 2.5) < 1e-12));
});

test('rhoExtraction: unequal coordinate norms give cosine Σw/(√(Σw²)·√r) < 1', () => {
  const w = [1, 2, 3, 1, 2, 3, 1, 2, 3];
  const { view } = build(w);
  const [ex] = rhoExtraction({ group: G, irreps: irr, view, train: new Int32Array(), test: new Int32Array(), keyReps: ['standard'] });
  const want = w.reduce((s, x) => s + x, 0) / (Math.sqrt(w.reduce((s, x) => s + x * x, 0)) * 3);
  assert.ok(Math.abs(ex!.cosine - want) < 1e-12);
  assert.ok(ex!.cosine < 0.95);
});
