/**
 * The shapes of the dashboard API's JSON (docs/dashboard.md), shared by the server (src/serve) and the
 * browser UI (web/). No imports: the browser bundle takes this file as is.
 */

export type RunStatus = 'running' | 'done' | 'failed';

/** A CSV file as a table: column names once, then rows of numbers (null for NaN or ±Infinity). */
export interface CsvTable {
  columns: string[];
  rows: (number | null)[][];
}

export interface RunInfo {
  /** Path relative to the runs folder, `/`-separated (`.` when the folder is itself a run). */
  id: string;
  name: string;
  status: RunStatus;
  group: string | null;
  model: string | null;
  seed: number | null;
  preset: string | null;
  /** Epochs the run was configured for. */
  epochs: number | null;
  /** The last logged epoch and its numbers (log.csv, else metrics.csv). */
  lastEpoch: number | null;
  trainAcc: number | null;
  testAcc: number | null;
  trainLoss: number | null;
  testLoss: number | null;
  /** First logged epoch with test accuracy > 0.99. */
  grokEpoch: number | null;
  /** ISO time of the newest change to the run's files. */
  updated: string | null;
  hasModel: boolean;
  hasMetrics: boolean;
  hasAnalysis: boolean;
}

export interface RunDetail extends RunInfo {
  cfg: Record<string, unknown> | null;
  summary: Record<string, number> | null;
  /** Why the model heatmaps cannot be drawn (null when they can). */
  modelMissing: string | null;
  /** Epochs of the checkpoints on disk (checkpoints/epoch_<e>.safetensors), ascending. */
  checkpoints: number[];
  /** key_reps.txt and key_reps_in_order.txt (one irrep a line), null when absent. */
  keyReps: string[] | null;
  keyRepsInOrder: string[] | null;
}

/** One Server-Sent Event `table` of /api/run/events. */
export interface TableEvent {
  file: 'log' | 'metrics';
  /** The whole table follows (first event, or the file was rewritten); else rows are appended. */
  reset: boolean;
  /** Index of the first row sent (0 when reset). */
  from: number;
  columns: string[];
  rows: (number | null)[][];
}

export interface Matrix {
  title: string;
  rows: number;
  cols: number;
  /** [rows, cols] row-major, 5 significant digits. */
  values: number[];
  rowLabels?: string[];
  colLabels?: string[];
}

export interface ModelJson {
  group: string;
  N: number;
  h: number;
  kind: string;
  labels: string[];
  /** The output element of the logit slices. */
  c: number;
  /** The checkpoint's epoch, or null for the final model (model.safetensors). */
  epoch: number | null;
  keyReps: string[];
  logitSlices: Matrix[];
  neuronClusters: { irrep: string; key: boolean; neurons: number[]; shown: Matrix[] }[];
  changeOfBasis: Matrix[];
  unembedInRepBasis: Matrix[];
  /** Sections that could not be computed, with the reason. */
  skipped: { name: string; why: string }[];
}

export interface AnalysisFiles {
  json: unknown;
  markdown: string | null;
}
