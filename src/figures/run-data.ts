/**
 * What the figures read from a run folder (docs/runs.md), already parsed: plain data, no file system, so
 * the same figure code runs in the browser dashboard. `src/figures/node/read-run.ts` fills it from disk.
 */
import { IRREP_COLUMN, irrepOfColumn, KEY_REP_THRESHOLD, similarityColumn } from '../measures/columns.js';

/** One CSV row: named numbers (metrics.csv, log.csv). */
export type Row = Record<string, number>;

export interface RunData {
  /** A short name for legends and file names: the folder's base name. */
  name: string;
  /** metrics.csv rows (one per checkpoint), sorted by epoch. */
  metrics: readonly Row[];
  /** log.csv rows (every 100 epochs), sorted by epoch. */
  log: readonly Row[];
  /** key_reps.txt (K, irreps order), if the run has one. */
  keyReps?: readonly string[];
  /** key_reps_in_order.txt, if the run has one. */
  keyRepsInOrder?: readonly string[];
}

/** Non-trivial irreps named by metrics.csv's logit similarity columns, in column order. */
export function nonTrivialIrreps(rows: readonly Row[]): string[] {
  return rows.length ? Object.keys(rows[0]!).flatMap((c) => irrepOfColumn(IRREP_COLUMN.similarity, c) ?? []) : [];
}

/** Every irrep named by the x-embedding FVE columns (trivial included), in column order. */
export function allIrreps(rows: readonly Row[]): string[] {
  return rows.length ? Object.keys(rows[0]!).flatMap((c) => irrepOfColumn(IRREP_COLUMN.xEmbed, c) ?? []) : [];
}

/** Whether every row has all these columns (as numbers, NaN allowed). */
export function hasColumns(rows: readonly Row[], cols: readonly string[]): boolean {
  return rows.length > 0 && cols.every((c) => c in rows[0]!);
}

/** A column as an array (NaN where a row lacks it). */
export function column(rows: readonly Row[], name: string): Float64Array {
  return Float64Array.from(rows, (r) => (name in r ? r[name]! : NaN));
}

/** Rows up to and including epoch `trim` (all when undefined). */
export function trimRows(rows: readonly Row[], trim: number | undefined): readonly Row[] {
  return trim === undefined ? rows : rows.filter((r) => r.epoch! <= trim);
}

/**
 * The key irreps of a run: key_reps_in_order.txt, else key_reps.txt, else (REFERENCE §4) the non-trivial
 * irreps whose final logit similarity is > KEY_REP_THRESHOLD (0.005), in column order; undefined if none of these is known.
 */
export function keyRepsOf(run: RunData): readonly string[] | undefined {
  if (run.keyRepsInOrder) return run.keyRepsInOrder;
  if (run.keyReps) return run.keyReps;
  const nt = nonTrivialIrreps(run.metrics);
  if (nt.length === 0) return undefined;
  const last = run.metrics[run.metrics.length - 1]!;
  return nt.filter((r) => last[similarityColumn(r)]! > KEY_REP_THRESHOLD);
}

/** The median of finite numbers (NaN if none). */
export function median(values: readonly number[]): number {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const m = v.length >> 1;
  return v.length % 2 ? v[m]! : (v[m - 1]! + v[m]!) / 2;
}

/**
 * Per-epoch aggregate of a column over runs, at the epochs every run has: `stat` (median or mean) of the
 * runs' values there.
 */
export function aggregateColumn(
  runsRows: readonly (readonly Row[])[],
  name: string,
  stat: (v: number[]) => number,
): { epoch: number[]; value: number[] } {
  if (runsRows.length === 0) return { epoch: [], value: [] };
  const maps = runsRows.map((rows) => new Map(rows.map((r) => [r.epoch!, r[name] ?? NaN])));
  const epochs = [...maps[0]!.keys()].filter((e) => maps.every((m) => m.has(e))).sort((a, b) => a - b);
  return { epoch: epochs, value: epochs.map((e) => stat(maps.map((m) => m.get(e)!))) };
}

export function mean(values: readonly number[]): number {
  const v = values.filter(Number.isFinite);
  return v.length ? v.reduce((s, x) => s + x, 0) / v.length : NaN;
}
