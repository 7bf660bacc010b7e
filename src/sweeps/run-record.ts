/**
 * What the report needs from one finished run folder (docs/runs.md): its configuration (cfg.json), final
 * metrics (summary_metrics.json), the grokking epoch (metrics.csv: the first checkpoint with test_acc > 0.99)
 * and its key irreps in learning order (key_reps_in_order.txt, else key_reps.txt). Whatever a run lacks
 * (a run with only basic measures has no FVE columns and no key-irrep files) is null, shown as "n/a".
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FILES, parseNumberCsv, type MetricsRow } from '../runs/run-folder.js';

/** The original's grokking criterion (REFERENCE §6.2): test accuracy above 0.99. */
export const GROK_ACC = 0.99;
export const KEY_REPS_FILE = 'key_reps.txt';
export const KEY_REPS_IN_ORDER_FILE = 'key_reps_in_order.txt';

export interface RunRecord {
  /** Folder name, e.g. S5_MLP_seed2. */
  name: string;
  /** The folder name without `_seed<s>`, e.g. S5_MLP or S5_MLP_hidden_dim_32: runs that differ only by seed. */
  cell: string;
  group: string;
  /** MLP, T or B (the original's run-name tags). */
  arch: string;
  seed: number;
  hidden_dim: number;
  num_epochs: number;
  summary: MetricsRow;
  /** First checkpoint epoch with test_acc > 0.99; null if none; undefined if there is no metrics.csv. */
  grokEpoch: number | null | undefined;
  /** Key irreps in learning order; null if the run has no key-irrep files. */
  keyReps: string[] | null;
}

const TAG: Record<string, string> = { OneLayerMLP: 'MLP', Transformer: 'T', BilinearNet: 'B' };

function readLines(path: string): string[] | null {
  if (!existsSync(path)) return null;
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

/** The record of a finished run (one with summary_metrics.json), or null for a folder that is not one. */
export function readRunRecord(dir: string, name: string): RunRecord | null {
  const cfgPath = join(dir, FILES.cfg);
  const sumPath = join(dir, FILES.summary);
  if (!existsSync(cfgPath) || !existsSync(sumPath)) return null;
  const cfg = JSON.parse(readFileSync(cfgPath, 'utf8')) as Record<string, unknown>;
  const summary = JSON.parse(readFileSync(sumPath, 'utf8')) as MetricsRow;
  const layers = (cfg.layers ?? {}) as { hidden_dim?: number };
  const group = typeof cfg.group_name === 'string' ? cfg.group_name : `${String(cfg.group)}${String(cfg.group_parameter ?? '')}`;
  const arch = TAG[String(cfg.model)] ?? String(cfg.model);
  let grokEpoch: number | null | undefined;
  const metricsPath = join(dir, FILES.metrics);
  if (existsSync(metricsPath)) {
    const rows = parseNumberCsv(readFileSync(metricsPath, 'utf8')).filter((r) => r.test_acc !== undefined);
    rows.sort((a, b) => a.epoch! - b.epoch!);
    grokEpoch = rows.length === 0 ? undefined : (rows.find((r) => r.test_acc! > GROK_ACC)?.epoch ?? null);
  }
  return {
    name,
    cell: name.replace(/_seed\d+$/, ''),
    group,
    arch,
    seed: Number(cfg.seed),
    hidden_dim: Number(layers.hidden_dim),
    num_epochs: Number(cfg.num_epochs),
    summary,
    grokEpoch,
    keyReps: readLines(join(dir, KEY_REPS_IN_ORDER_FILE)) ?? readLines(join(dir, KEY_REPS_FILE)),
  };
}

export interface SweepRecords {
  runs: RunRecord[];
  /** Sub-folders with a cfg.json but no summary_metrics.json yet. */
  unfinished: string[];
}

/** Every run folder directly under `root` (a sweep's --out), sorted by name with numbers in order. */
export function readSweepRecords(root: string): SweepRecords {
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new Error(`${root}: not a folder`);
  const runs: RunRecord[] = [];
  const unfinished: string[] = [];
  const names = readdirSync(root)
    .filter((n) => !n.startsWith('.') && statSync(join(root, n)).isDirectory())
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  for (const n of names) {
    const r = readRunRecord(join(root, n), n);
    if (r) runs.push(r);
    else if (existsSync(join(root, n, FILES.cfg))) unfinished.push(n);
  }
  return { runs, unfinished };
}
