import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keyReps, keyRepsInOrder } from '../../src/measures/key-reps.js';

const irr = ['trivial', 'sign', 'standard', 'standard_sign', 's5_5d_a'].map((name) => ({ name }));
const sim = (epoch: number, s: Record<string, number>): Record<string, number> => {
  const row: Record<string, number> = { epoch };
  for (const [k, v] of Object.entries(s)) row[`logit_${k}_rep_trace_similarity`] = v;
  return row;
};

test('keyReps: non-trivial irreps above the threshold (strict), irreps order', () => {
  const row = sim(100, { sign: 0.5, standard: 0.0051, standard_sign: 0.005, s5_5d_a: 0.7 });
  row['logit_trivial_rep_trace_similarity'] = 1; // never a key rep, even if present
  assert.deepEqual(keyReps(row, irr), ['sign', 'standard', 's5_5d_a']);
  assert.deepEqual(keyReps(row, irr, 0.05), ['sign', 's5_5d_a']);
  assert.deepEqual(keyReps({ epoch: 0 }, irr), []);
});

test('keyRepsInOrder: one rep per row at most, K order within a row, epochs sorted, the rest appended', () => {
  const rows = [
    sim(300, { sign: 0.9, standard: 0.9, s5_5d_a: 0.9 }), // epoch order: 3rd
    sim(0, { sign: 0.01, standard: 0.01, s5_5d_a: 0.01 }),
    sim(100, { sign: 0.06, standard: 0.5, s5_5d_a: 0.01 }), // both above: sign first (K order)
    sim(200, { sign: 0.9, standard: 0.9, s5_5d_a: 0.04 }), // standard
  ];
  assert.deepEqual(keyRepsInOrder(rows, ['sign', 'standard', 's5_5d_a']), ['sign', 'standard', 's5_5d_a']);
  // K order decides within a row
  assert.deepEqual(keyRepsInOrder(rows, ['standard', 'sign', 's5_5d_a']), ['standard', 'sign', 's5_5d_a']);
  // a rep never above the threshold comes last
  assert.deepEqual(keyRepsInOrder(rows.slice(1), ['s5_5d_a', 'sign', 'standard']), ['sign', 'standard', 's5_5d_a']);
  assert.deepEqual(keyRepsInOrder(rows, ['s5_5d_a'], 0.95), ['s5_5d_a']);
});

test('keyRepsInOrder with K empty takes K from the last row at the threshold', () => {
  const rows = [sim(0, { sign: 0.2, standard: 0.01, s5_5d_a: 0.06 }), sim(10, { sign: 0.3, standard: 0.04, s5_5d_a: 0.3 })];
  assert.deepEqual(keyRepsInOrder(rows, []), ['sign', 's5_5d_a']);
  assert.deepEqual(keyRepsInOrder([], []), []);
});
