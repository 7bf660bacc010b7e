import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseGroup } from '../../src/groups/parse.js';
import { Rng } from '../../src/linalg/rng.js';
import { irreps } from '../../src/reps/irreps.js';
import { orthRep } from '../../src/reps/orth-rep.js';
import { fourierPower, groupFourierTransform, neuronFourier } from '../../src/analysis/fourier.js';
import { mlpView, randomMatrix } from './views.js';

for (const name of ['S4', 'C5', 'Q8', 'C3xC3', 'A4']) {
  const G = parseGroup(name);
  const irr = irreps(G);
  test(`fourierPower(${name}): a character's power sits in its irrep; Plancherel Σ_ρ power = mean f² (real, complex, quaternionic types)`, () => {
    const N = G.order;
    for (const rho of irr) {
      const p = fourierPower(G, irr, rho.character);
      const meanSq = rho.character.reduce((s, x) => s + x * x, 0) / N;
      irr.forEach((sigma, i) => {
        if (sigma === rho) assert.ok(Math.abs(p[i]! - meanSq) < 1e-9, `${rho.name}: ${p[i]} vs ${meanSq}`);
        else assert.ok(Math.abs(p[i]!) < 1e-9, `${rho.name} leaks ${p[i]} into ${sigma.name}`);
      });
    }
    const rng = new Rng(3);
    const f = Float64Array.from({ length: N }, () => rng.normal());
    const p = fourierPower(G, irr, f);
    const total = p.reduce((s, x) => s + x, 0);
    assert.ok(Math.abs(total - f.reduce((s, x) => s + x * x, 0) / N) < 1e-9);
    // power_ρ = ‖P_ρ f‖²/|G| with P_ρ the projection on ρ's coefficient span (basis-free)
    irr.forEach((rho, i) => {
      const Q = orthRep(G, rho);
      const r = Q.length / N;
      let s = 0;
      for (let k = 0; k < r; k++) {
        let t = 0;
        for (let x = 0; x < N; x++) t += Q[x * r + k]! * f[x]!;
        s += t * t;
      }
      assert.ok(Math.abs(p[i]! - s / N) < 1e-9, `${rho.name}: ${p[i]} vs ${s / N}`);
    });
  });
}

test('groupFourierTransform of a delta at σ is ρ(σ); of a constant is 0 for a non-trivial irrep', () => {
  const G = parseGroup('S4');
  const rho = irreps(G).find((r) => r.name === 'standard')!;
  const f = new Float64Array(G.order);
  f[5] = 1;
  assert.deepEqual(Array.from(groupFourierTransform(G, rho, f)), Array.from(rho.matrices.subarray(5 * 9, 6 * 9)));
  const F = groupFourierTransform(G, rho, new Float64Array(G.order).fill(2));
  assert.ok(F.every((x) => Math.abs(x) < 1e-12));
});

test('neuronFourier: a neuron whose left input is a standard coefficient is dominated by standard; MLP interaction 0', () => {
  const G = parseGroup('S4');
  const irr = irreps(G);
  const N = G.order;
  const h = 3;
  const Qs = orthRep(
    G,
    irr.find((r) => r.name === 'standard')!,
  );
  const rng = new Rng(4);
  const E_a = new Float64Array(N * h);
  const E_b = randomMatrix(N, h, () => rng.normal());
  for (let a = 0; a < N; a++) {
    E_a[a * h] = 5 * Qs[a * 9 + 2]! + 0.5; // standard + constant
    E_a[a * h + 1] = a % 2 ? 1 : -1;
    E_a[a * h + 2] = rng.normal();
  }
  const nf = neuronFourier({
    group: G,
    irreps: irr,
    view: mlpView(
      G,
      E_a,
      E_b,
      randomMatrix(h, N, () => rng.normal()),
      h,
    ),
    train: new Int32Array(),
    test: new Int32Array(),
    keyReps: [],
  });
  const n0 = nf.neurons[0]!;
  assert.equal(n0.left.dominant, 'standard');
  assert.ok(Math.abs(n0.left.dominantShare - 1) < 1e-9);
  const iStd = nf.irreps.indexOf('standard');
  const iTriv = nf.irreps.indexOf('trivial');
  assert.ok(Math.abs(n0.left.shares[iStd]! + n0.left.shares[iTriv]! - 1) < 1e-9);
  for (const n of nf.neurons) assert.ok(Math.abs(n.interaction) < 1e-9);
  assert.equal(
    Object.values(nf.dominantCounts).reduce((s, x) => s + x, 0),
    h,
  );
});
