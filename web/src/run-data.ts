/** Tables from the API (columns + rows of numbers or null) as the figures' RunData rows. */
import type { Row, RunData } from '../../src/figures/run-data.js';

export interface Table {
  columns: string[];
  rows: (number | null)[][];
}

export function tableRows(t: Table): Row[] {
  return t.rows.map((r) => {
    const o: Row = {};
    t.columns.forEach((c, i) => (o[c] = r[i] ?? NaN));
    return o;
  });
}

/** key_reps.txt / key_reps_in_order.txt as the run detail gives them (null: absent). */
export interface KeyRepFiles {
  keyReps: string[] | null;
  keyRepsInOrder: string[] | null;
}

export function runData(name: string, log: Table, metrics: Table, keys?: KeyRepFiles): RunData {
  return {
    name,
    log: tableRows(log),
    metrics: tableRows(metrics),
    keyReps: keys?.keyReps ?? undefined,
    keyRepsInOrder: keys?.keyRepsInOrder ?? undefined,
  };
}
