import { test } from 'node:test';
import assert from 'node:assert/strict';
import { measureColumns } from '../../src/measures/columns.js';
import { symmetricGroup } from '../../src/groups/families.js';
import { irreps } from '../../src/reps/irreps.js';

test('measureColumns: the contract order for C3-like names (trivial, freq_1)', () => {
  assert.deepEqual(measureColumns(['trivial', 'freq_1']), [
    'train_loss', 'test_loss', 'train_acc', 'test_acc', 'all_loss',
    'logit_freq_1_rep_trace_similarity', 'percent_logits_explained',
    'logit_excluded_loss_freq_1_rep', 'logit_restricted_loss_freq_1_rep',
    'total_logit_excluded_loss', 'total_logit_restricted_loss',
    'percent_x_embed_trivial_rep', 'percent_y_embed_trivial_rep', 'percent_unembed_trivial_rep',
    'percent_x_embed_freq_1_rep', 'percent_y_embed_freq_1_rep', 'percent_unembed_freq_1_rep',
    'percent_x_embed_explained', 'percent_y_embed_explained', 'percent_unembed_explained',
    'percent_hidden_x_trivial_rep', 'percent_hidden_y_trivial_rep', 'percent_hidden_xy_trivial_rep',
    'total_percent_hidden_trivial_rep', 'hidden_excluded_loss_trivial_rep', 'hidden_restricted_loss_trivial_rep',
    'percent_hidden_x_freq_1_rep', 'percent_hidden_y_freq_1_rep', 'percent_hidden_xy_freq_1_rep',
    'total_percent_hidden_freq_1_rep', 'hidden_excluded_loss_freq_1_rep', 'hidden_restricted_loss_freq_1_rep',
    'percent_hidden_explained', 'percent_hidden_xy_explained', 'total_hidden_excluded_loss', 'total_hidden_restricted_loss',
    'test_loss_restricted_loss_ratio', 'sum_of_squared_weights',
  ]);
});

test('measureColumns for S5: the original metrics.csv names, distinct, counts per section', () => {
  const names = irreps(symmetricGroup(5)).map((r) => r.name);
  const cols = measureColumns(names);
  assert.equal(new Set(cols).size, cols.length);
  const k = names.length; // 7
  assert.equal(cols.length, 5 + (k - 1) + 1 + 2 * (k - 1) + 2 + 3 * k + 3 + 6 * k + 4 + 2);
  for (const c of ['logit_sign_rep_trace_similarity', 'percent_x_embed_standard_rep', 'hidden_restricted_loss_s5_6d_rep', 'total_percent_hidden_standard_sign_rep'])
    assert.ok(cols.includes(c), c);
  assert.ok(!cols.includes('logit_trivial_rep_trace_similarity'));
  assert.ok(cols.indexOf('logit_sign_rep_trace_similarity') < cols.indexOf('logit_standard_rep_trace_similarity'));
});
