/**
 * The runs under a folder and where each stands, from its files alone (docs/dashboard.md):
 * - done: the folder has model.safetensors and summary_metrics.json (train writes them last);
 * - running: not done, and log.csv, metrics.csv, state.safetensors or cfg.json changed within the last
 *   RUNNING_WINDOW_S seconds;
 * - failed: neither (crashed, killed or stopped; `grokgroups train --out DIR --resume` continues it).
 * A run folder is one holding cfg.json, log.csv or metrics.csv; folders are searched to MAX_DEPTH levels
 * below the root, not inside a run folder, skipping hidden folders and symlinks that leave the root. Node only.
 */
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { FILES } from '../runs/run-folder.js';
import { grokEpoch, readCsvTable, type CsvTable } from './csv-rows.js';
import { isInside } from './safe-path.js';
import type { RunInfo, RunStatus } from './api-types.js';

export type { RunInfo, RunStatus };

export const RUNNING_WINDOW_S = 120;
export const MAX_DEPTH = 3;

const RUN_MARKERS = [FILES.cfg, FILES.log, FILES.metrics];
const PROGRESS_FILES = [FILES.log, FILES.metrics, FILES.state, FILES.cfg, FILES.model, FILES.summary];
const MODEL_NAMES: Record<string, string> = { OneLayerMLP: 'mlp', Transformer: 'transformer', BilinearNet: 'bilinear' };

export function isRunFolder(dir: string): boolean {
  return RUN_MARKERS.some((f) => existsSync(join(dir, f)));
}

/** The run folders under realRoot (a real path), as ids sorted by path. */
export function findRuns(realRoot: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (isRunFolder(dir)) {
      out.push(relative(realRoot, dir).split(sep).join('/') || '.');
      return;
    }
    if (depth >= MAX_DEPTH) return;
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of names) {
      if (name.startsWith('.') || name === 'node_modules' || name === 'checkpoints' || name === 'figures') continue;
      const p = join(dir, name);
      try {
        const real = realpathSync(p);
        if (!isInside(realRoot, real) || !statSync(real).isDirectory()) continue;
      } catch {
        continue;
      }
      walk(p, depth + 1);
    }
  };
  walk(realRoot, 0);
  return out;
}

function mtimeMs(path: string): number | null {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return null;
  }
}

function readCfg(dir: string): Record<string, unknown> | null {
  try {
    const v = JSON.parse(readFileSync(join(dir, FILES.cfg), 'utf8')) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export function runStatus(dir: string, now = Date.now()): RunStatus {
  if (existsSync(join(dir, FILES.model)) && existsSync(join(dir, FILES.summary))) return 'done';
  const newest = Math.max(...PROGRESS_FILES.map((f) => mtimeMs(join(dir, f)) ?? -Infinity));
  return now - newest <= RUNNING_WINDOW_S * 1000 ? 'running' : 'failed';
}

function lastValue(t: CsvTable, col: string): number | null {
  const i = t.columns.indexOf(col);
  const r = t.rows[t.rows.length - 1];
  return i < 0 || !r ? null : r[i]!;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** What the runs table shows of the run folder `dir` (its id `id`). */
export function runInfo(dir: string, id: string, now = Date.now()): RunInfo {
  const cfg = readCfg(dir);
  const log = readCsvTable(join(dir, FILES.log));
  const metrics = readCsvTable(join(dir, FILES.metrics));
  const t = log.rows.length > 0 ? log : metrics;
  const newest = Math.max(...PROGRESS_FILES.map((f) => mtimeMs(join(dir, f)) ?? -Infinity));
  const model = str(cfg?.model);
  return {
    id,
    name: basename(dir),
    status: runStatus(dir, now),
    group: str(cfg?.group_name) ?? str(cfg?.group),
    model: model === null ? null : (MODEL_NAMES[model] ?? model),
    seed: num(cfg?.seed),
    preset: str(cfg?.preset),
    epochs: num(cfg?.num_epochs),
    lastEpoch: lastValue(t, 'epoch'),
    trainAcc: lastValue(t, 'train_acc'),
    testAcc: lastValue(t, 'test_acc'),
    trainLoss: lastValue(t, 'train_loss'),
    testLoss: lastValue(t, 'test_loss'),
    grokEpoch: grokEpoch(log.rows.length > 0 ? log : metrics),
    updated: Number.isFinite(newest) ? new Date(newest).toISOString() : null,
    hasModel: existsSync(join(dir, FILES.model)),
    hasMetrics: metrics.rows.length > 0,
    hasAnalysis: existsSync(join(dir, 'analysis.json')) || existsSync(join(dir, 'analysis.md')),
  };
}
