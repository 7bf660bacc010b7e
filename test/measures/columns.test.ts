import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hiddenShare, IRREP_COLUMN, irrepColumn, irrepOfColumn, measureColumns } from '../../src/measures/columns.js';
import { symmetricGroup } from '../../src/groups/families.js';
import { irreps } from '../../src/reps/irreps.js';

test('measureColumns: the contract order for C3-like names (trivial, freq_1)', () => {
  assert.deepEqual(measureColumns(['trivial', 'freq_1']), [
    'train_loss',
    'test_loss',
    'train_acc',
    'test_acc',
    'all_loss',
    'logit_freq_1_rep_trace_similarity',
    'percent_logits_explained',
    'logit_excluded_loss_freq_1_rep',
    'logit_restricted_loss_freq_1_rep',
    'total_logit_excluded_loss',
    'total_logit_restricted_loss',
    'percent_x_embed_trivial_rep',
    'percent_y_embed_trivial_rep',
    'percent_unembed_trivial_rep',
    'percent_x_embed_freq_1_rep',
    'percent_y_embed_freq_1_rep',
    'percent_unembed_freq_1_rep',
    'percent_x_embed_explained',
    'percent_y_embed_explained',
    'percent_unembed_explained',
    'percent_hidden_x_trivial_rep',
    'percent_hidden_y_trivial_rep',
    'percent_hidden_xy_trivial_rep',
    'total_percent_hidden_trivial_rep',
    'percent_hidden_trivial_rep',
    'hidden_excluded_loss_trivial_rep',
    'hidden_restricted_loss_trivial_rep',
    'percent_hidden_x_freq_1_rep',
    'percent_hidden_y_freq_1_rep',
    'percent_hidden_xy_freq_1_rep',
    'total_percent_hidden_freq_1_rep',
    'percent_hidden_freq_1_rep',
    'hidden_excluded_loss_freq_1_rep',
    'hidden_restricted_loss_freq_1_rep',
    'percent_hidden_explained',
    'percent_hidden_xy_explained',
    'total_hidden_excluded_loss',
    'total_hidden_restricted_loss',
    'test_loss_restricted_loss_ratio',
    'sum_of_squared_weights',
  ]);
});

test('measureColumns for S5: the original metrics.csv names, distinct, counts per section', () => {
  const names = irreps(symmetricGroup(5)).map((r) => r.name);
  const cols = measureColumns(names);
  assert.equal(new Set(cols).size, cols.length);
  const k = names.length; // 7
  assert.equal(cols.length, 5 + (k - 1) + 1 + 2 * (k - 1) + 2 + 3 * k + 3 + 7 * k + 4 + 2);
  for (const c of [
    'logit_sign_rep_trace_similarity',
    'percent_x_embed_standard_rep',
    'hidden_restricted_loss_s5_6d_rep',
    'total_percent_hidden_standard_sign_rep',
  ])
    assert.ok(cols.includes(c), c);
  assert.ok(!cols.includes('logit_trivial_rep_trace_similarity'));
  assert.ok(cols.indexOf('logit_sign_rep_trace_similarity') < cols.indexOf('logit_standard_rep_trace_similarity'));
});

test('irrepColumn / irrepOfColumn: every template round-trips; other columns are not matched', () => {
  for (const t of Object.values(IRREP_COLUMN)) {
    assert.equal(t.split('{}').length, 2, t);
    for (const name of ['sign', 'standard_sign', 's5_5d_a', 'freq_2']) assert.equal(irrepOfColumn(t, irrepColumn(t, name)), name);
  }
  assert.equal(irrepColumn(IRREP_COLUMN.similarity, 'sign'), 'logit_sign_rep_trace_similarity');
  assert.equal(irrepOfColumn(IRREP_COLUMN.similarity, 'percent_logits_explained'), undefined);
  assert.equal(irrepOfColumn(IRREP_COLUMN.xEmbed, 'percent_x_embed_explained'), undefined);
  // percent_hidden_{ρ}_rep does not swallow the x/y/xy columns' names as irreps named x_…: it is its own template
  assert.equal(irrepOfColumn(IRREP_COLUMN.hidden, 'percent_hidden_sign_rep'), 'sign');
});

test('hiddenShare: x + y + xy for a non-trivial irrep, the x share for the trivial one (one span: the constants)', () => {
  assert.equal(hiddenShare('sign', 0.1, 0.2, 0.3), 0.1 + 0.2 + 0.3);
  assert.equal(hiddenShare('trivial', 1e-17, 2e-17, 3e-17), 1e-17);
});
