import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseGroup } from '../../src/groups/parse.js';
import { irreps } from '../../src/reps/irreps.js';
import { orthRep } from '../../src/reps/orth-rep.js';
import { neuronAnalysis, NEURON_DEFAULTS } from '../../src/analysis/neurons.js';
import { hiddenView, mlpView } from './views.js';

const G = parseGroup('S4');
const irr = irreps(G);
const N = G.order;
const sign = irr.find((r) => r.name === 'sign')!.character;
const Qs = orthRep(
  G,
  irr.find((r) => r.name === 'standard')!,
); // [N, 9]
const none = new Int32Array();

test('neuronAnalysis: a blocky sign neuron ReLU(s(a)+s(b)) is a sign neuron with x = y = xy = 1/3 (as the notebook printed); dead and unaccounted neurons', () => {
  const h = 4;
  const E_a = new Float64Array(N * h);
  const E_b = new Float64Array(N * h);
  for (let a = 0; a < N; a++) {
    E_a[a * h] = E_b[a * h] = sign[a]!; // sign neuron
    E_a[a * h + 1] = E_b[a * h + 1] = 0.01; // dead: Σ 0.01² < 1
    E_a[a * h + 2] = E_b[a * h + 2] = 0.5; // constant only: not dead, in no cluster
    E_a[a * h + 3] = 3 * Qs[a * 9 + 1]!; // standard on both sides
    E_b[a * h + 3] = 3 * Qs[a * 9 + 4]!;
  }
  const U = new Float64Array(h * N).fill(0.1);
  const na = neuronAnalysis({ group: G, irreps: irr, view: mlpView(G, E_a, E_b, U, h), train: none, test: none, keyReps: ['sign', 'standard'] });
  assert.deepEqual(na.dead, [1]);
  assert.deepEqual(na.unaccounted, [2]);
  assert.deepEqual(na.deadHidden, [1, 2]); // 2 is constant after the ReLU too; 3's variance is below 110
  const c = (n: string) => na.clusters.find((x) => x.irrep === n)!;
  assert.deepEqual(c('sign').neurons, [0]);
  assert.deepEqual(c('standard').neurons, [3]);
  for (const k of ['x', 'y', 'xy'] as const) assert.ok(Math.abs(c('sign').fve[k] - 1 / 3) < 1e-12, `${k}: ${c('sign').fve[k]}`);
  assert.ok(Math.abs(c('sign').fve.trivial) < 1e-12);
  assert.ok(Math.abs(c('sign').meanShare - 0.25) < 1e-12); // H = 2 on a quarter of the pairs: mean² N² / Σ H² = 1/4
  assert.equal(c('sign').key, true);
  assert.equal(c('standard_sign').neurons.length, 0);
  assert.ok(Number.isNaN(c('standard_sign').fve.x));
  assert.deepEqual(na.multiplyAssigned, []);
  assert.deepEqual(na.oneSided, []);
});

test("neuronAnalysis: a neuron whose activation is a function of ab in ρ's span is assigned to ρ with xy FVE 1; thresholds are options", () => {
  const h = 2;
  const hidden = new Float64Array(N * N * h);
  for (let a = 0; a < N; a++)
    for (let b = 0; b < N; b++) {
      const g = G.table[a * N + b]!;
      hidden[(a * N + b) * h] = 4 * Qs[g * 9 + 3]! - Qs[g * 9 + 7]!;
      hidden[(a * N + b) * h + 1] = 2 * sign[g]!;
    }
  const E_a = new Float64Array(N * h);
  const E_b = new Float64Array(N * h);
  for (let a = 0; a < N; a++) {
    E_a[a * h] = E_b[a * h] = 2 * Qs[a * 9]!;
    E_a[a * h + 1] = 2 * sign[a]!;
    E_b[a * h + 1] = 0.1 * sign[a]!; // right side below the threshold: one-sided
  }
  const view = hiddenView(G, hidden, E_a, E_b, new Float64Array(h * N), h);
  const na = neuronAnalysis({ group: G, irreps: irr, view, train: none, test: none, keyReps: [] });
  const std = na.clusters.find((x) => x.irrep === 'standard')!;
  assert.deepEqual(std.neurons, [0]);
  assert.ok(Math.abs(std.fve.xy - 1) < 1e-12 && Math.abs(std.fve.x) < 1e-12 && Math.abs(std.fve.y) < 1e-12);
  // the notebook's rule: both sides must pass, so the one-sided neuron 1 is in no cluster
  assert.deepEqual(na.clusters.find((x) => x.irrep === 'sign')!.neurons, []);
  assert.deepEqual(na.oneSided, [1]);
  assert.deepEqual(na.unaccounted, [1]);
  // raising the assignment threshold above ‖2 Q col‖² = 4 empties the standard cluster
  const strict = neuronAnalysis({ group: G, irreps: irr, view, train: none, test: none, keyReps: [] }, { ...NEURON_DEFAULTS, assignThreshold: 5 });
  assert.deepEqual(strict.clusters.find((x) => x.irrep === 'standard')!.neurons, []);
  assert.deepEqual(strict.unaccounted, [0, 1]);
});

test("neuronAnalysis: the sign cluster holds only neurons that read the sign on both inputs (the notebook's rule), so all of them are blocky", () => {
  // 0: sign on both sides -> blocky; 1: sign on the left only, standard on the right -> not blocky, not a sign neuron;
  // 2: sign on the right only (left tiny) -> not a sign neuron
  const h = 3;
  const E_a = new Float64Array(N * h);
  const E_b = new Float64Array(N * h);
  for (let a = 0; a < N; a++) {
    E_a[a * h] = E_b[a * h] = sign[a]!;
    E_a[a * h + 1] = 2 * sign[a]!;
    E_b[a * h + 1] = 3 * Qs[a * 9 + 2]!;
    E_a[a * h + 2] = 0.05 * Qs[a * 9 + 5]!;
    E_b[a * h + 2] = 1.5 * sign[a]!;
  }
  const view = mlpView(G, E_a, E_b, new Float64Array(h * N).fill(0.1), h);
  const na = neuronAnalysis({ group: G, irreps: irr, view, train: none, test: none, keyReps: ['sign'] });
  const sc = na.clusters.find((x) => x.irrep === 'sign')!;
  assert.deepEqual(sc.neurons, [0]);
  assert.deepEqual(na.clusters.find((x) => x.irrep === 'standard')!.neurons, [], 'standard on one side only');
  assert.deepEqual(na.oneSided, [1, 2]);
  assert.deepEqual(na.unaccounted, [1, 2]);
  // blocky: neuron 0's activation is constant on each (coset of A4) x (coset of A4) block; 0 is even, 1 odd
  assert.ok(sign[0]! > 0 && sign[1]! < 0);
  for (const n of sc.neurons)
    for (let a = 0; a < N; a++)
      for (let b = 0; b < N; b++) {
        const v = view.hidden[(a * N + b) * h + n]!;
        const ref = view.hidden[((sign[a]! > 0 ? 0 : 1) * N + (sign[b]! > 0 ? 0 : 1)) * h + n]!;
        assert.ok(Math.abs(v - ref) < 1e-12, `neuron ${n} at (${a}, ${b})`);
      }
});
