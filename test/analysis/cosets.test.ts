import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseGroup } from '../../src/groups/parse.js';
import { cosetLabels, subgroupLattice } from '../../src/groups/subgroups.js';
import { Rng } from '../../src/linalg/rng.js';
import { irreps } from '../../src/reps/irreps.js';
import { cosetScore, cosetView } from '../../src/analysis/cosets.js';
import { mlpView, randomMatrix } from './views.js';

const G = parseGroup('S4');
const N = G.order;
const lattice = subgroupLattice(G);
const H = lattice.subgroups.find((s) => s.order === 6)!; // a point stabiliser (S3)
const K = lattice.subgroups.find((s) => s.order === 8)!; // a Sylow 2-subgroup (D4)

test('cosetScore: 1 on a function constant on the cosets, NaN on a constant, in (0, 1) otherwise', () => {
  const lab = cosetLabels(G, H.elements, 'left');
  const rng = new Rng(2);
  const vals = [rng.normal(), rng.normal(), rng.normal(), rng.normal()];
  assert.ok(
    Math.abs(
      cosetScore(
        Float64Array.from(lab, (l) => vals[l]!),
        lab,
        4,
      ) - 1,
    ) < 1e-12,
  );
  assert.ok(Number.isNaN(cosetScore(new Float64Array(N).fill(3), lab, 4)));
  const f = Float64Array.from({ length: N }, () => rng.normal());
  const s = cosetScore(f, lab, 4);
  assert.ok(s > 0 && s < 1);
});

test('cosetView: left input constant on left cosets of H and right input on right cosets of K pick H and K; a dead neuron gets none', () => {
  const h = 3;
  const rng = new Rng(9);
  const L = cosetLabels(G, H.elements, 'left');
  const R = cosetLabels(G, K.elements, 'right');
  const lv = [1.5, -0.3, 0.7, -2];
  const rv = [0.4, -1.1, 0.9];
  const E_a = new Float64Array(N * h);
  const E_b = new Float64Array(N * h);
  for (let x = 0; x < N; x++) {
    E_a[x * h] = lv[L[x]!]!;
    E_b[x * h] = rv[R[x]!]!;
    E_a[x * h + 2] = rng.normal();
    E_b[x * h + 2] = rng.normal();
  }
  const view = mlpView(
    G,
    E_a,
    E_b,
    randomMatrix(h, N, () => rng.normal()),
    h,
  );
  const cv = cosetView({ group: G, irreps: irreps(G), view, train: new Int32Array(), test: new Int32Array(), keyReps: [] });
  assert.equal(cv.subgroups.length, 30);
  const n0 = cv.neurons[0]!;
  assert.deepEqual(cv.subgroups[n0.left!.subgroup]!.elements, Array.from(H.elements));
  assert.ok(Math.abs(n0.left!.score - 1) < 1e-12);
  assert.deepEqual(cv.subgroups[n0.right!.subgroup]!.elements, Array.from(K.elements));
  assert.equal(n0.conjugate, false);
  assert.equal(cv.neurons[1]!.left, null); // dead
  assert.equal(cv.neurons[2]!.left!.order, 1); // random: only the trivial subgroup's cosets
  assert.equal(
    cv.pairs.reduce((s, p) => s + p.count, 0),
    2,
  );
  const skipped = cosetView(
    { group: G, irreps: irreps(G), view, train: new Int32Array(), test: new Int32Array(), keyReps: [] },
    { threshold: 0.9, maxGroupOrder: 12 },
  );
  assert.match(skipped.skipped!, /order 24 > 12/);
});
