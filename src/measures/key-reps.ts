/**
 * Key representations (REFERENCE §4 "Key reps and their order"):
 * - keyReps: K = the non-trivial irreps whose logit trace similarity on the final model exceeds a threshold
 *   (KEY_REP_THRESHOLD = 0.005, the original's `determine_key_reps` since 9ba0c50), in irreps(G) order (`key_reps.txt`);
 * - keyRepsInOrder: the order in which they were learned (`determine_key_rep_order.py`, `key_reps_in_order.txt`).
 */
import type { Irrep } from '../reps/irrep.js';
import { IRREP_COLUMN, irrepOfColumn, KEY_REP_THRESHOLD, similarityColumn, TRIVIAL } from './columns.js';

export { KEY_REP_THRESHOLD, similarityColumn };

/** The learning-order threshold of `determine_key_rep_order.py` (REFERENCE §4). */
export const ORDER_THRESHOLD = 0.05;

/**
 * The non-trivial irreps (in `irreps` order) whose `logit_{ρ}_rep_trace_similarity` in `row` is above
 * `threshold`. A missing column counts as not above.
 */
export function keyReps(row: Readonly<Record<string, number>>, irreps: readonly Pick<Irrep, 'name'>[], threshold = KEY_REP_THRESHOLD): string[] {
  return irreps.filter((r) => r.name !== TRIVIAL && row[similarityColumn(r.name)]! > threshold).map((r) => r.name);
}

/**
 * The learning order of the key reps `key`: walk `rows` by ascending epoch (input order when they have no
 * `epoch`); in each row append the first not-yet-listed rep of `key` (in `key` order) whose similarity is
 * above `threshold`, at most one rep per row; then append the reps never listed, in `key` order.
 * As the original, when `key` is empty K is taken from the last row: the reps whose similarity there is
 * above `threshold`, in column order.
 */
export function keyRepsInOrder(rows: readonly Readonly<Record<string, number>>[], key: readonly string[], threshold = ORDER_THRESHOLD): string[] {
  const sorted = rows
    .map((row, i) => ({ row, i }))
    .sort((x, y) => (x.row.epoch ?? x.i) - (y.row.epoch ?? y.i) || x.i - y.i)
    .map((x) => x.row);
  let K = [...key];
  if (K.length === 0 && sorted.length > 0) {
    const last = sorted[sorted.length - 1]!;
    K = Object.keys(last)
      .map((c) => irrepOfColumn(IRREP_COLUMN.similarity, c))
      .filter((name): name is string => name !== undefined && last[similarityColumn(name)]! > threshold);
  }
  const order: string[] = [];
  for (const row of sorted) {
    const next = K.find((name) => !order.includes(name) && row[similarityColumn(name)]! > threshold);
    if (next !== undefined) order.push(next);
  }
  for (const name of K) if (!order.includes(name)) order.push(name);
  return order;
}
