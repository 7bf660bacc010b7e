import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseGroup } from '../../src/groups/parse.js';
import { Rng } from '../../src/linalg/rng.js';
import { irreps } from '../../src/reps/irreps.js';
import { orthRep } from '../../src/reps/orth-rep.js';
import { embeddingFve } from '../../src/analysis/embeddings.js';
import { mlpView, randomMatrix } from './views.js';

test('embeddingFve(S4): embeddings in the span of standard and sign coefficients are explained by them; shares sum to 1', () => {
  const G = parseGroup('S4');
  const irr = irreps(G);
  const N = G.order;
  const h = 6;
  const rng = new Rng(1);
  const Qs = orthRep(
    G,
    irr.find((r) => r.name === 'standard')!,
  );
  const Qg = orthRep(
    G,
    irr.find((r) => r.name === 'sign')!,
  );
  const E = new Float64Array(N * h);
  for (let a = 0; a < N; a++) for (let j = 0; j < h; j++) E[a * h + j] = j < 4 ? Qs[a * 9 + 2 * j]! * (j + 1) : 2 * Qg[a]!;
  const U = randomMatrix(h, N, () => rng.normal());
  const fve = embeddingFve({
    group: G,
    irreps: irr,
    view: mlpView(G, E, E, U, h),
    train: new Int32Array(),
    test: new Int32Array(),
    keyReps: ['sign', 'standard'],
  });
  const row = (n: string) => fve.irreps.find((r) => r.name === n)!;
  // ‖standard part‖² = 1+4+9+16 = 30, ‖sign part‖² = 2·4 = 8
  assert.ok(Math.abs(row('standard').x - 30 / 38) < 1e-12);
  assert.ok(Math.abs(row('sign').y - 8 / 38) < 1e-12);
  assert.ok(Math.abs(fve.keyTotals.x - 1) < 1e-12 && Math.abs(fve.residuals.y) < 1e-12);
  assert.ok(Math.abs(fve.irreps.reduce((s, r) => s + r.unembed, 0) - 1) < 1e-9);
  assert.ok(fve.residuals.unembed > 0);
});
