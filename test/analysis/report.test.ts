import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseGroup } from '../../src/groups/parse.js';
import { Rng } from '../../src/linalg/rng.js';
import { irreps } from '../../src/reps/irreps.js';
import { ANALYSIS_DEFAULTS, analyzeModel } from '../../src/analysis/analyze.js';
import { analysisJson, analysisMarkdown, fmt, ranges, type AnalysisMeta } from '../../src/analysis/report.js';
import { randomMlpView } from './views.js';

test('fmt and ranges', () => {
  assert.equal(fmt(NaN), '–');
  assert.equal(fmt(0.84808242), '0.8481');
  assert.equal(fmt(2.3838e-6), '2.38e-6');
  assert.equal(fmt(0), '0');
  assert.equal(ranges([0, 1, 2, 5, 7, 8]), '0-2, 5, 7-8');
  assert.equal(ranges([]), '(none)');
});

test('analysisJson / analysisMarkdown: every section, numbers round-trip, NaN as null, no figures placeholder', () => {
  const G = parseGroup('S3');
  const irr = irreps(G);
  const N = G.order;
  const h = 5;
  const rng = new Rng(1);
  const view = randomMlpView(G, h, rng);
  const inp = {
    group: G,
    irreps: irr,
    view,
    train: Int32Array.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    test: Int32Array.from({ length: 26 }, (_, i) => i + 10),
    keyReps: ['standard'],
  };
  const a = analyzeModel(inp);
  const meta: AnalysisMeta = {
    run: 'runs/x',
    group: 'S3',
    model: 'mlp',
    epoch: null,
    params: 'model.safetensors',
    N,
    h,
    keyReps: ['standard'],
    keyRepsSource: 'test',
    losses: { train: 1, test: 2, all: 1.5, trainAcc: 0.5, testAcc: NaN },
    options: ANALYSIS_DEFAULTS,
    version: '0',
  };
  const doc = JSON.parse(analysisJson(meta, a));
  assert.equal(doc.meta.losses.testAcc, null);
  assert.equal(doc.logitAttribution.percentExplained, a.logits.percentExplained);
  assert.equal(doc.rhoExtraction[0].changeOfBasis.length, 4); // standard of S3: 2×2
  assert.equal(doc.rhoExtraction[0].changeOfBasis[0].length, h);
  assert.equal(doc.logitComputation.unembedInRepBasis[0].matrix.length, 4);
  assert.equal(doc.cosets.subgroups.length, 6);
  assert.equal(doc.fourier.neurons.length, h);
  for (const k of ['embeddings', 'neurons', 'ablations', 'timings']) assert.ok(k in doc, k);
  const md = analysisMarkdown(meta, a);
  for (const h2 of [
    '1. Logit attribution',
    '2. Embeddings and unembedding',
    '3. Hidden neurons',
    '4. Ablations',
    '5. Explicit extraction',
    '6. Logit computation',
    '7. Group Fourier',
    '8. The coset view',
  ])
    assert.ok(md.includes(`## ${h2}`), h2);
  assert.ok(!/figure/i.test(md));
  assert.ok(md.includes(fmt(a.logits.similarity.standard!)));
  // figures: each in its section, unknown ones under "Other figures", paths URL-encoded
  const withFigs = analysisMarkdown(meta, a, [
    { name: 'grokking_loss', path: 'figures/grokking_loss.svg' },
    { name: 'hidden_to_standard_rep_change_of_basis', path: 'figures/hidden_to_standard_rep_change_of_basis.svg' },
    { name: 'blocky_sign_neurons', path: 'figures/blocky_sign_neurons.svg' },
    { name: 'my plot', path: 'figures/my plot.png' },
  ]);
  const at = (s: string) => withFigs.indexOf(s);
  assert.ok(at('## Training') < at('(figures/grokking_loss.svg)') && at('(figures/grokking_loss.svg)') < at('## 1.'));
  assert.ok(at('## 3.') < at('(figures/blocky_sign_neurons.svg)') && at('(figures/blocky_sign_neurons.svg)') < at('## 4.'));
  assert.ok(
    at('## 5.') < at('(figures/hidden_to_standard_rep_change_of_basis.svg)') &&
      at('(figures/hidden_to_standard_rep_change_of_basis.svg)') < at('## 6.'),
  );
  assert.ok(at('## Other figures') < at('![my plot](figures/my%20plot.png)') && at('![my plot]') < at('## Timings'));
  assert.equal(withFigs.replace(/^(## Training|## Other figures|!\[.*)\n\n/gm, ''), md);
});

test('analysisMarkdown: irreps are named as in metrics.csv and the figures (standard_sign, s4_2d), never shortened', () => {
  const G = parseGroup('S4');
  const irr = irreps(G);
  const N = G.order;
  const h = 4;
  const rng = new Rng(2);
  const view = randomMlpView(G, h, rng);
  const all = Int32Array.from({ length: N * N }, (_, i) => i);
  const a = analyzeModel({ group: G, irreps: irr, view, train: all.subarray(0, 400), test: all.subarray(400), keyReps: ['standard_sign'] });
  const meta: AnalysisMeta = {
    run: 'runs/x',
    group: 'S4',
    model: 'mlp',
    epoch: null,
    params: 'model.safetensors',
    N,
    h,
    keyReps: ['standard_sign'],
    keyRepsSource: 'test',
    losses: { train: 1, test: 2, all: 1.5, trainAcc: 0.5, testAcc: 0.5 },
    options: ANALYSIS_DEFAULTS,
    version: '0',
  };
  const md = analysisMarkdown(meta, a);
  assert.deepEqual(
    irr.map((r) => r.name),
    ['trivial', 'sign', 'standard', 'standard_sign', 's4_2d'],
  );
  assert.match(md, /\| \*\*standard_sign\*\* \|/);
  assert.match(md, /\| s4_2d \|/);
  assert.ok(!/standard-sign|\| 2d \|/.test(md), 'no short names');
});
