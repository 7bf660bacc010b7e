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

export function runData(name: string, log: Table, metrics: Table, keyReps?: string[]): RunData {
  return { name, log: tableRows(log), metrics: tableRows(metrics), keyReps };
}
