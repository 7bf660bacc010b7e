import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseGroup } from '../../src/groups/parse.js';
import { Rng } from '../../src/linalg/rng.js';
import { irreps } from '../../src/reps/irreps.js';
import { analyzeModel } from '../../src/analysis/analyze.js';
import { modelAnalysis, modelAnalysisOf } from '../../src/figures/model-analysis.js';
import { modelFigures } from '../../src/figures/model-figures.js';
import { maxAbs } from '../../src/figures/svg/heatmap.js';
import { rdbu } from '../../src/figures/svg/colormap.js';
import { svgDocument } from '../../src/figures/svg/panel.js';
import { randomMlpView } from '../analysis/views.js';
import { embeddedImages, pixel } from './png-pixels.js';
import { matchSnapshot } from './snapshot.js';

// a deterministic random S4 MLP (h 16): every analysis is defined on it; the fixture of the model-figure snapshots
const G = parseGroup('S4');
const irr = irreps(G);
const N = G.order;
const h = 16;
const rng = new Rng(7);
const view = randomMlpView(G, h, rng);
const inp = {
  group: G,
  irreps: irr,
  view,
  train: Int32Array.from({ length: 300 }, (_, i) => i),
  test: Int32Array.from({ length: N * N - 300 }, (_, i) => 300 + i),
  keyReps: ['standard', 'sign'],
};
const full = analyzeModel(inp);
const own = modelAnalysis(inp);

test('modelAnalysis computes exactly what analyzeModel reports for the figures (clusters, Ĉ, U in the irrep basis)', () => {
  assert.deepEqual(own, modelAnalysisOf(full));
  assert.deepEqual(
    own.extraction.map((e) => [e.irrep, e.rank]),
    [
      ['standard', 9],
      ['sign', 1],
    ],
  );
  assert.ok(
    own.clusters.some((c) => c.irrep === 'sign' && c.neurons.length > 0),
    'the fixture has sign neurons',
  );
});

test("each change-of-basis figure is the analysis's Ĉ: a rank × h heatmap, cell (k, j) coloured by Ĉ[k, j]", () => {
  const set = modelFigures({ group: G, irreps: irr, view, keyReps: inp.keyReps, analysis: modelAnalysisOf(full) });
  for (const e of full.rhoExtraction) {
    const f = set.figures.find((x) => x.name === `hidden_to_${e.irrep}_rep_change_of_basis`);
    assert.ok(f, e.irrep);
    const [img] = embeddedImages(f.panel.body);
    assert.equal(img!.width, h);
    assert.equal(img!.height, e.rank);
    const range = maxAbs([{ rows: e.rank, cols: h, values: e.changeOfBasis }]);
    for (let k = 0; k < e.rank; k++)
      for (let j = 0; j < h; j++) assert.deepEqual(pixel(img!, j, k), rdbu(e.changeOfBasis[k * h + j]! / range), `${e.irrep} (${k}, ${j})`);
  }
  for (const u of full.logitComputation.unembedInRepBasis) {
    const f = set.figures.find((x) => x.name === `unembedding_matrix_in_${u.irrep}_rep_basis`)!;
    const [img] = embeddedImages(f.panel.body);
    assert.deepEqual([img!.width, img!.height], [u.rank, u.rank]);
  }
  const sign = set.figures.find((x) => x.name === 'blocky_sign_neurons')!;
  const nSign = full.neurons.clusters.find((c) => c.irrep === 'sign')!.neurons.length;
  assert.equal(embeddedImages(sign.panel.body).length, Math.min(8, nSign)); // at most 8 neurons shown
});

test('model figures of the fixture model match their snapshots', () => {
  const set = modelFigures({ group: G, irreps: irr, view, keyReps: inp.keyReps, analysis: own });
  assert.deepEqual(set.skipped, []);
  assert.deepEqual(
    set.figures.map((f) => f.name),
    [
      'logit_cubes',
      'blocky_sign_neurons',
      'hidden_to_standard_rep_change_of_basis',
      'hidden_to_sign_rep_change_of_basis',
      'unembedding_matrix_in_standard_rep_basis',
      'unembedding_matrix_in_sign_rep_basis',
    ],
  );
  for (const f of set.figures) matchSnapshot(`model/${f.name}.svg`, svgDocument(f.panel));
});
