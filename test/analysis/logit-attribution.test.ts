import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseGroup } from '../../src/groups/parse.js';
import { Rng } from '../../src/linalg/rng.js';
import type { ModelView } from '../../src/measures/model-view.js';
import { characterCube } from '../../src/reps/cube.js';
import { irreps } from '../../src/reps/irreps.js';
import { centreLogits, logitAttribution } from '../../src/analysis/logit-attribution.js';
import { crossEntropy } from '../../src/models/loss.js';

function logitsView(N: number, logits: Float64Array): ModelView {
  const z = new Float64Array(0);
  return { kind: 'mlp', N, embedWidth: 0, h: 0, E_a: z, E_b: z, pre: z, hidden: z, U: z, logits, sumOfSquaredWeights: 0 };
}

for (const name of ['S4', 'C5', 'Q8']) {
  test(`logitAttribution(${name}): logits equal to a character cube have similarity 1 with it and 0 with the others`, () => {
    const G = parseGroup(name);
    const irr = irreps(G);
    const N = G.order;
    for (const rho of irr.slice(1)) {
      // built from the characters in float64 (characterCube is float32); + a constant, removed by centring
      const cube = new Float64Array(N * N * N);
      for (let a = 0; a < N; a++)
        for (let b = 0; b < N; b++)
          for (let c = 0; c < N; c++) cube[(a * N + b) * N + c] = 3 * rho.character[G.table[G.table[a * N + b]! * N + G.inverses[c]!]!]! + 1;
      const la = logitAttribution({
        group: G,
        irreps: irr,
        view: logitsView(N, cube),
        train: Int32Array.of(0, 5, 7),
        test: new Int32Array(),
        keyReps: [rho.name],
      });
      for (const sigma of irr.slice(1))
        assert.ok(
          Math.abs(la.similarity[sigma.name]! - (sigma === rho ? 1 : 0)) < 1e-9,
          `${rho.name} vs ${sigma.name}: ${la.similarity[sigma.name]}`,
        );
      assert.ok(Math.abs(la.percentExplained - 1) < 1e-9);
      // the projection is all of L̃: restricted loss = the loss of L̃, excluded = CE of zero logits on train
      const Lc = centreLogits(cube, N);
      assert.ok(Math.abs(la.restrictedLoss[rho.name]! - crossEntropy(Lc, G.table, N)) < 1e-9);
      assert.ok(Math.abs(la.totalRestrictedLoss - la.restrictedLoss[rho.name]!) < 1e-12);
      assert.ok(Math.abs(la.excludedLoss[rho.name]! - Math.log(N)) < 1e-9);
    }
  });
}

test('logitAttribution: similarity is the cosine with the explicit N³ cube on random logits; K empty gives CE of zero logits', () => {
  const G = parseGroup('S3');
  const irr = irreps(G);
  const N = G.order;
  const rng = new Rng(7);
  const L = Float64Array.from({ length: N * N * N }, () => rng.normal());
  const la = logitAttribution({ group: G, irreps: irr, view: logitsView(N, L), train: Int32Array.of(1, 2, 3), test: new Int32Array(), keyReps: [] });
  const Lc = centreLogits(L, N);
  let pe = 0;
  for (const rho of irr.slice(1)) {
    const T = characterCube(G, rho);
    let ip = 0,
      nl = 0,
      nt = 0;
    for (let i = 0; i < T.length; i++) {
      ip += Lc[i]! * T[i]!;
      nl += Lc[i]! ** 2;
      nt += T[i]! ** 2;
    }
    const cos = ip / Math.sqrt(nl * nt);
    pe += cos * cos;
    assert.ok(Math.abs(la.similarity[rho.name]! - cos) < 1e-12);
  }
  assert.ok(Math.abs(la.percentExplained - pe) < 1e-12);
  assert.ok(Math.abs(la.totalRestrictedLoss - Math.log(N)) < 1e-12);
});
