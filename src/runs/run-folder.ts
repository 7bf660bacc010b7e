/**
 * The run folder's files (docs/runs.md is the contract): names, and reading/writing each one. Every write
 * goes to a temporary name in the same folder and is renamed over, so no file is ever torn.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NamedTensor, TrainerState } from '../types/trainer.js';
import { writeFileAtomic } from './atomic-write.js';
import { readSafetensors, writeSafetensors } from './safetensors.js';
import type { MetricsRow } from '../measures/columns.js';

export const FILES = {
  cfg: 'cfg.json',
  split: 'split.json',
  log: 'log.csv',
  metrics: 'metrics.csv',
  state: 'state.safetensors',
  model: 'model.safetensors',
  summary: 'summary_metrics.json',
  checkpoints: 'checkpoints',
} as const;

export function checkpointFile(epoch: number): string {
  return join(FILES.checkpoints, `epoch_${epoch}.safetensors`);
}

/** One row of log.csv: `train_loss` is the pre-step loss of that epoch, the rest are measured after its step. */
export interface LogRow {
  epoch: number;
  train_loss: number;
  test_loss: number;
  train_acc: number;
  test_acc: number;
}
export const LOG_COLUMNS = ['epoch', 'train_loss', 'test_loss', 'train_acc', 'test_acc'] as const;

/** One row of metrics.csv / summary_metrics.json: named numbers, `epoch` first. */
export type { MetricsRow };

export function writeJson(path: string, value: unknown): void {
  writeFileAtomic(path, JSON.stringify(value, null, 2) + '\n');
}

export function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

export function writeSplit(dir: string, train: Int32Array, test: Int32Array): void {
  writeFileAtomic(join(dir, FILES.split), `{"train": [${train.join(', ')}], "test": [${test.join(', ')}]}\n`);
}

export function readSplit(dir: string): { train: Int32Array; test: Int32Array } {
  const s = readJson(join(dir, FILES.split)) as { train: number[]; test: number[] };
  return { train: Int32Array.from(s.train), test: Int32Array.from(s.test) };
}

/** log.csv: header then one row per logged epoch. Numbers are written in JavaScript's shortest round-trip form. */
export function formatLogCsv(rows: readonly LogRow[]): string {
  const lines = [LOG_COLUMNS.join(',')];
  for (const r of rows) lines.push(LOG_COLUMNS.map((c) => String(r[c])).join(','));
  return lines.join('\n') + '\n';
}

/**
 * metrics.csv as pandas' `to_csv` writes the original's: an unnamed first column holding the row index 0, 1, ...,
 * then the metric columns (those of the first row, in its key order).
 */
export function formatMetricsCsv(rows: readonly MetricsRow[]): string {
  if (rows.length === 0) return '\n';
  const cols = Object.keys(rows[0]!);
  const lines = [',' + cols.join(',')];
  rows.forEach((r, i) => lines.push(`${i},` + cols.map((c) => String(r[c] ?? '')).join(',')));
  return lines.join('\n') + '\n';
}

/** Parses a CSV of numbers with a header (our log.csv or metrics.csv); an unnamed first column is dropped. */
export function parseNumberCsv(text: string): MetricsRow[] {
  const lines = text.split('\n').filter((l) => l.length > 0);
  if (lines.length === 0) return [];
  const header = lines[0]!.split(',');
  const skip = header[0] === '' ? 1 : 0;
  return lines.slice(1).map((line) => {
    const cells = line.split(',');
    const row: MetricsRow = {};
    for (let i = skip; i < header.length; i++) row[header[i]!] = Number(cells[i]);
    return row;
  });
}

export function readCsvIfExists(path: string): MetricsRow[] {
  return existsSync(path) ? parseNumberCsv(readFileSync(path, 'utf8')) : [];
}

export function writeParams(path: string, params: readonly NamedTensor[], metadata: Record<string, string>): void {
  writeSafetensors(path, params.map((p) => ({ name: p.name, shape: p.shape, data: p.data })), metadata);
}

/** Parameters saved by writeParams (a checkpoint or model.safetensors), as float32 named tensors. */
export function readParams(path: string): NamedTensor[] {
  return readSafetensors(path).tensors.map((t) => ({ name: t.name, shape: t.shape, data: Float32Array.from(t.data) }));
}

const PARAM = 'param/';
const OPTIM = 'optim/';
export const STATE_FORMAT = 'grokgroups-trainer-state-1';

/**
 * state.safetensors: everything needed to continue bit-for-bit: parameters (`param/<name>`), AdamW moments
 * (`optim/<name>.exp_avg`, `optim/<name>.exp_avg_sq`) and, in the metadata, the step count and last epoch.
 */
export function writeState(dir: string, state: TrainerState): void {
  const tensors = [
    ...state.params.map((t) => ({ name: PARAM + t.name, shape: t.shape, data: t.data })),
    ...state.optim.map((t) => ({ name: OPTIM + t.name, shape: t.shape, data: t.data })),
  ];
  writeSafetensors(join(dir, FILES.state), tensors, { format: STATE_FORMAT, step: String(state.step), epoch: String(state.step - 1) });
}

export function readState(dir: string): TrainerState {
  const path = join(dir, FILES.state);
  const f = readSafetensors(path);
  if (f.metadata.format !== STATE_FORMAT) throw new Error(`${path}: not a grokgroups trainer state (format ${f.metadata.format})`);
  const step = Number(f.metadata.step);
  const params: NamedTensor[] = [];
  const optim: NamedTensor[] = [];
  for (const t of f.tensors) {
    if (!(t.data instanceof Float32Array)) throw new Error(`${path}: tensor ${t.name} is not F32`);
    const entry = { name: t.name.slice(t.name.indexOf('/') + 1), shape: t.shape, data: t.data };
    if (t.name.startsWith(PARAM)) params.push(entry);
    else if (t.name.startsWith(OPTIM)) optim.push(entry);
  }
  return { step, params, optim };
}
