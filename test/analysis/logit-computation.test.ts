import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseGroup } from '../../src/groups/parse.js';
import { irreps } from '../../src/reps/irreps.js';
import { orthRep } from '../../src/reps/orth-rep.js';
import { crossEntropy } from '../../src/models/loss.js';
import { logitComputation } from '../../src/analysis/logit-computation.js';
import { neuronAnalysis } from '../../src/analysis/neurons.js';
import { rhoExtraction } from '../../src/analysis/rho-extraction.js';
import { hiddenView } from './views.js';

test('logitComputation: the GCR algorithm written out exactly (hidden = ρ(ab) coordinates, W_U = ρ(c⁻¹) transposed) is read back', () => {
  const G = parseGroup('S4');
  const irr = irreps(G);
  const N = G.order;
  const rho = irr.find((r) => r.name === 'standard')!;
  const d = rho.dim;
  const r = d * d;
  const h = r;
  const Q = orthRep(G, rho); // = vec ρ(g) √(d/N)
  const s = 4;
  // hidden[(a, b), k] = s·Q[ab, k]: neuron k holds coordinate k of ρ(ab)
  const hidden = new Float64Array(N * N * h);
  for (let a = 0; a < N; a++)
    for (let b = 0; b < N; b++) for (let k = 0; k < r; k++) hidden[(a * N + b) * h + k] = s * Q[G.table[a * N + b]! * r + k]!;
  // U[(i, j), c] = Q[c⁻¹, (j, i)]: logits = s Σ_ij ρ(ab)_ij ρ(c⁻¹)_ji (d/N) = s (d/N) χ(ab c⁻¹)
  const U = new Float64Array(h * N);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) for (let c = 0; c < N; c++) U[(i * d + j) * N + c] = Q[G.inverses[c]! * r + j * d + i]!;
  const E = new Float64Array(N * h);
  for (let a = 0; a < N; a++) for (let k = 0; k < h; k++) E[a * h + k] = 2 * Q[a * r + k]!;
  const view = hiddenView(G, hidden, E, E, U, h);
  for (let a = 0; a < N; a += 5)
    for (let c = 0; c < N; c++) {
      const want = (s * d * rho.character[G.table[G.table[a * N + 3]! * N + G.inverses[c]!]!]!) / N;
      assert.ok(Math.abs(view.logits[(a * N + 3) * N + c]! - want) < 1e-12);
    }
  const inp = { group: G, irreps: irr, view, train: new Int32Array(), test: new Int32Array(), keyReps: ['standard'] };
  const neurons = neuronAnalysis(inp);
  const lc = logitComputation(inp, neurons, rhoExtraction(inp));
  const [wu] = lc.unembedInRepBasis;
  assert.equal(wu!.irrep, 'standard');
  assert.ok(Math.abs(wu!.transposeSimilarity! - 1) < 1e-12, `${wu!.transposeSimilarity}`);
  const base = crossEntropy(view.logits, G.table, N);
  assert.ok(Math.abs(lc.baseline - base) < 1e-12);
  assert.ok(Math.abs(lc.rebuiltHidden.loss - base) < 1e-12);
  assert.ok(Math.abs(lc.unembedRestricted.restrictedLoss - base) < 1e-12);
  assert.ok(Math.abs(lc.unembedRestricted.nullLoss - Math.log(N)) < 1e-12);
  const ex = lc.unembedExplained.find((e) => e.irrep === 'standard')!;
  assert.equal(ex.neurons, h);
  assert.ok(Math.abs(ex.fraction - 1) < 1e-12);
});

test('logitComputation: no key reps: nothing rebuilt (CE of zero logits), U restricted to nothing', () => {
  const G = parseGroup('S3');
  const irr = irreps(G);
  const N = G.order;
  const h = 2;
  const hidden = Float64Array.from({ length: N * N * h }, (_, i) => (i % 7) - 3);
  const U = Float64Array.from({ length: h * N }, (_, i) => (i % 5) - 2);
  const z = new Float64Array(N * h);
  const inp = { group: G, irreps: irr, view: hiddenView(G, hidden, z, z, U, h), train: new Int32Array(), test: new Int32Array(), keyReps: [] };
  const lc = logitComputation(inp, neuronAnalysis(inp), rhoExtraction(inp));
  assert.deepEqual(lc.unembedInRepBasis, []);
  assert.ok(Math.abs(lc.rebuiltHidden.loss - Math.log(N)) < 1e-12);
  assert.ok(Math.abs(lc.unembedRestricted.restrictedLoss - Math.log(N)) < 1e-12);
  assert.ok(Math.abs(lc.unembedRestricted.nullLoss - lc.baseline) < 1e-12);
});
