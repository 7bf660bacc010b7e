import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { acrossRunFigures, runFigures } from '../../src/figures/figure-set.js';
import { readRun } from '../../src/figures/node/read-run.js';
import { svgDocument } from '../../src/figures/svg/panel.js';
import { fixtures, matchSnapshot } from './snapshot.js';

const runs = [1, 2, 3].map((s) => readRun(join(fixtures, `S4_MLP_seed${s}`)));

test('runFigures SVGs of the synthetic S4 run match their snapshots', () => {
  const set = runFigures(runs[0]!, { trim: 2500, phaseLines: [200, 1400] });
  assert.deepEqual(set.skipped, []);
  assert.equal(set.figures.length, 17);
  for (const f of set.figures) matchSnapshot(`run/${f.name}.svg`, svgDocument(f.panel));
});

test('acrossRunFigures SVGs of three synthetic S4 runs match their snapshots', () => {
  const set = acrossRunFigures(runs);
  assert.deepEqual(
    set.figures.map((f) => f.name),
    ['grokking_loss', 'grokking_acc', 'mean_logit_similarity', 'key_rep_learning_order', 'key_rep_frequency', 'num_key_reps'],
  );
  for (const f of set.figures) matchSnapshot(`across/${f.name}.svg`, svgDocument(f.panel));
});

test('the same input gives byte-identical SVGs', () => {
  const a = runFigures(runs[1]!).figures.map((f) => svgDocument(f.panel));
  const b = runFigures(readRun(join(fixtures, 'S4_MLP_seed2'))).figures.map((f) => svgDocument(f.panel));
  assert.deepEqual(a, b);
});
