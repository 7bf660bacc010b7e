import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { acrossRunFigures, runFigures } from '../../src/figures/figure-set.js';
import { readRun } from '../../src/figures/node/read-run.js';
import type { RunData } from '../../src/figures/run-data.js';
import { fixtures } from './snapshot.js';

/** A run with only the basic measures (docs/runs.md): epoch, losses, accuracies, all_loss, sum of squared weights. */
function basicRun(name: string, shift: number, keyReps?: string[]): RunData {
  const metrics = [0, 1, 10, 100, 999].map((epoch) => ({
    epoch,
    train_loss: 3 / (1 + epoch),
    test_loss: 3.2 - epoch * 0.003 + shift,
    train_acc: Math.min(1, epoch / 100),
    test_acc: epoch / 999,
    all_loss: 2,
    sum_of_squared_weights: 400 + epoch,
  }));
  return { name, metrics, log: [], keyReps };
}

test('runFigures on basic measures draws the grokking curves and sum of squared weights, and lists the rest as skipped', () => {
  const set = runFigures(basicRun('b', 0));
  assert.deepEqual(
    set.figures.map((f) => f.name),
    ['grokking_loss', 'grokking_acc', 'sum_of_squared_weights'],
  );
  const skipped = set.skipped.map((s) => s.name);
  for (const n of [
    'logit_similarity',
    'percent_x_embed',
    'percent_hidden_xy',
    'total_excluded_and_restricted_loss',
    'hidden_restricted_loss_by_rep',
    'test_loss_restricted_loss_ratio',
  ])
    assert.ok(skipped.includes(n), n);
  assert.ok(set.skipped.every((s) => /--measures full/.test(s.why)));
});

test('acrossRunFigures skips the key-irrep bars when a run has no key irreps, and names it', () => {
  const set = acrossRunFigures([basicRun('r1', 0, ['sign']), basicRun('r2', 0.1)]);
  assert.deepEqual(
    set.figures.map((f) => f.name),
    ['grokking_loss', 'grokking_acc'],
  );
  const why = set.skipped.find((s) => s.name === 'num_key_reps')!.why;
  assert.match(why, /r2/);
  assert.doesNotMatch(why, /r1/);
});

test('grokking curves of several runs: faded runs in the legend once per kind, medians at the shared epochs', () => {
  const runs = [1, 2, 3].map((s) => readRun(join(fixtures, `S4_MLP_seed${s}`)));
  const svg = acrossRunFigures(runs).figures[0]!.panel.body;
  const legend = /<g class="legend">(.*?)<\/g>/s.exec(svg)![1]!;
  const texts = [...legend.matchAll(/>([^<]+)<\/text>/g)].map((m) => m[1]);
  assert.deepEqual(texts, ['train loss, each of 3 runs', 'test loss, each of 3 runs', 'median train loss', 'median test loss']);
  const paths = [...svg.matchAll(/<path d="[^"]+" stroke="([^"]+)"[^>]*?( stroke-opacity="0.2")?\/>/g)];
  assert.equal(paths.filter((p) => p[2]).length, 6, 'six faded curves');
  assert.equal(paths.filter((p) => !p[2]).length, 2, 'two medians');
});

test("formationEpoch / formationEpochs: the first epoch a key irrep's similarity is above 0.05, per run; never = null", async () => {
  const { formationEpoch, formationEpochs } = await import('../../src/figures/learning-order.js');
  const rows = [
    { epoch: 0, logit_sign_rep_trace_similarity: 0.01, logit_standard_rep_trace_similarity: 0 },
    { epoch: 10, logit_sign_rep_trace_similarity: 0.2, logit_standard_rep_trace_similarity: 0.05 },
    { epoch: 100, logit_sign_rep_trace_similarity: 0.9, logit_standard_rep_trace_similarity: 0.3 },
  ];
  assert.equal(formationEpoch(rows, 'sign'), 10);
  assert.equal(formationEpoch(rows, 'standard'), 100, 'strictly above the threshold');
  assert.equal(formationEpoch(rows, 'standard', 0.01), 10);
  assert.equal(formationEpoch(rows.slice(0, 1), 'sign'), null);
  const late = rows.map((r) => ({ ...r, logit_sign_rep_trace_similarity: r.epoch === 100 ? 0.5 : 0 }));
  const runs = [
    { name: 'a', metrics: rows, log: [], keyReps: ['sign', 'standard'] },
    { name: 'b', metrics: late, log: [], keyReps: ['sign'] },
  ];
  assert.deepEqual(formationEpochs(runs), [
    { irrep: 'sign', epochs: [10, 100] },
    { irrep: 'standard', epochs: [100, 100] },
  ]);
});
