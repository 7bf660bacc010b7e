/**
 * The progress measures of a run (REFERENCE §4) from its folder: what the original's eval.py did after
 * training, and what `train --measures full` does as its closing pass.
 *
 * 1. The final model (model.safetensors) is measured once to find the key irreps K: the non-trivial irreps
 *    whose logit trace similarity is above `keyThreshold` (0.005), in irreps(G) order.
 * 2. Every checkpoint on disk (checkpoints/epoch_<e>.safetensors), in epoch order, is measured with K for
 *    the totals, giving metrics.csv; the final model with K gives summary_metrics.json (epoch = num_epochs − 1,
 *    the last epoch: docs/runs.md "Epochs").
 * 3. key_reps.txt (K), key_reps_in_order.txt (the learning order from the metrics.csv rows, similarity above
 *    `orderThreshold`, 0.05) and irreps.txt (every irrep of G, one name a line, irreps(G) order).
 *
 * Without checkpoints (or with `final`), metrics.csv is left as it is and the learning order comes from
 * its rows if they have the similarity columns (else it is K). Every file is written atomically, and
 * metrics.csv only after all its rows are computed, so an interrupted eval leaves the old files intact.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Group } from '../groups/group.js';
import { KEY_REP_THRESHOLD, keyReps, keyRepsInOrder, ORDER_THRESHOLD } from '../measures/key-reps.js';
import { openGpu } from '../gpu/device.js';
import { gpuRunMeasuring } from '../measures/gpu-run-measuring.js';
import { runMeasuring, type AsyncRunMeasuring, type RunMeasuring } from '../measures/run-measuring.js';
import type { Backend } from '../types/trainer.js';
import type { Irrep } from '../reps/irrep.js';
import { UsageError } from '../util/errors.js';
import { writeFileAtomic } from './atomic-write.js';
import { checkAgainstGroup, parseCfgObject, resolveConfig, type RunConfig } from './config.js';
import { checkpointFile, FILES, formatMetricsCsv, readCsvIfExists, readJson, readParams, readSplit, writeJson, type MetricsRow } from './run-folder.js';

export { runMeasuring, type RunMeasuring };

export const KEY_REPS_FILE = 'key_reps.txt';
export const KEY_REPS_IN_ORDER_FILE = 'key_reps_in_order.txt';
export const IRREPS_FILE = 'irreps.txt';
/** The original's thresholds (REFERENCE §4 "Key reps and their order"), defined in measures/key-reps.ts. */
export { KEY_REP_THRESHOLD as KEY_THRESHOLD, ORDER_THRESHOLD };

/** The epochs of checkpoints/epoch_<e>.safetensors in a run folder, ascending. */
export function checkpointEpochsOnDisk(dir: string): number[] {
  const cdir = join(dir, FILES.checkpoints);
  if (!existsSync(cdir)) return [];
  return readdirSync(cdir)
    .map((f) => /^epoch_(\d+)\.safetensors$/.exec(f)?.[1])
    .filter((x): x is string => x !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

/** key_reps.txt, key_reps_in_order.txt and irreps.txt: one name a line. */
export function writeKeyRepFiles(dir: string, irreps: readonly Irrep[], key: readonly string[], inOrder: readonly string[]): void {
  const lines = (names: readonly string[]) => names.map((n) => n + '\n').join('');
  writeFileAtomic(join(dir, IRREPS_FILE), lines(irreps.map((r) => r.name)));
  writeFileAtomic(join(dir, KEY_REPS_FILE), lines(key));
  writeFileAtomic(join(dir, KEY_REPS_IN_ORDER_FILE), lines(inOrder));
}

export type EvalEvent =
  | { type: 'start'; checkpoints: number; keyReps: string[] }
  | { type: 'checkpoint'; epoch: number; index: number; checkpoints: number }
  | { type: 'done'; summary: MetricsRow; keyReps: string[]; keyRepsInOrder: string[] };

export interface EvalRunOptions {
  dir: string;
  /** Only the final model: summary_metrics.json and the key-irrep files; metrics.csv is kept. */
  final?: boolean;
  keyThreshold?: number;
  orderThreshold?: number;
  onEvent?: (e: EvalEvent) => void;
  /** Measuring set up by the caller (train's closing pass reuses its own); `backend` is then not used. */
  measuring?: RunMeasuring | AsyncRunMeasuring;
  /**
   * Where the measures run without `measuring`: 'webgpu' on the GPU (float32, src/measures/webgpu-measurer.ts,
   * every model), else ('wasm', the default, or 'js') the CPU measurer (float64).
   */
  backend?: Backend;
}

export interface EvalResult {
  summary: MetricsRow;
  keyReps: string[];
  keyRepsInOrder: string[];
  /** metrics.csv rows written (empty when `final` or there are no checkpoints). */
  rows: MetricsRow[];
}

/** The run's resolved cfg.json and its group; UsageErrors name the folder and the missing file. */
export function readRunConfig(dir: string): { cfg: RunConfig; group: Group } {
  if (!existsSync(dir)) throw new UsageError(`run folder "${dir}" does not exist`);
  const cfgPath = join(dir, FILES.cfg);
  if (!existsSync(cfgPath)) throw new UsageError(`"${dir}" is not a run folder: it has no ${FILES.cfg}`);
  const cfg = resolveConfig(parseCfgObject(readJson(cfgPath), cfgPath, 'cfg'), {});
  return { cfg, group: checkAgainstGroup(cfg, `${cfgPath}: frac_train`) };
}

/** Measures the run folder (see the file comment); with backend 'webgpu' the GPU device is opened and closed here. */
export async function evalRun(o: EvalRunOptions): Promise<EvalResult> {
  const { dir } = o;
  const { cfg, group } = readRunConfig(dir);
  for (const f of [FILES.split, FILES.model])
    if (!existsSync(join(dir, f)))
      throw new UsageError(`"${dir}" has no ${f}: the run has not finished (continue it with \`grokgroups train --out ${dir} --resume\`)`);
  if (o.measuring) return measureRun(o, cfg, o.measuring);
  const { train, test } = readSplit(dir);
  if (o.backend !== 'webgpu') return measureRun(o, cfg, runMeasuring(group, cfg.model, train, test));
  const ctx = await openGpu();
  try {
    const measuring = gpuRunMeasuring(ctx, group, cfg.model, train, test);
    try {
      return await measureRun(o, cfg, measuring);
    } finally {
      measuring.dispose();
    }
  } finally {
    ctx.device.destroy();
  }
}

async function measureRun(o: EvalRunOptions, cfg: RunConfig, measuring: RunMeasuring | AsyncRunMeasuring): Promise<EvalResult> {
  const { dir } = o;
  const emit = o.onEvent ?? (() => {});
  const keyThreshold = o.keyThreshold ?? KEY_REP_THRESHOLD;
  const orderThreshold = o.orderThreshold ?? ORDER_THRESHOLD;
  const finalParams = readParams(join(dir, FILES.model));
  const lastEpoch = cfg.num_epochs - 1;
  const probe = await measuring.measure(finalParams, lastEpoch, []);
  const key = keyReps(probe, measuring.irreps, keyThreshold);
  const epochs = o.final ? [] : checkpointEpochsOnDisk(dir);
  emit({ type: 'start', checkpoints: epochs.length, keyReps: key });
  const rows: MetricsRow[] = [];
  for (const [index, epoch] of epochs.entries()) {
    rows.push(await measuring.measure(readParams(join(dir, checkpointFile(epoch))), epoch, key));
    emit({ type: 'checkpoint', epoch, index, checkpoints: epochs.length });
  }
  const summary = key.length === 0 ? probe : await measuring.measure(finalParams, lastEpoch, key);
  if (rows.length > 0) writeFileAtomic(join(dir, FILES.metrics), formatMetricsCsv(rows));
  const orderRows = rows.length > 0 ? rows : readCsvIfExists(join(dir, FILES.metrics));
  const inOrder = keyRepsInOrder(orderRows, key, orderThreshold);
  writeJson(join(dir, FILES.summary), summary);
  writeKeyRepFiles(dir, measuring.irreps, key, inOrder);
  emit({ type: 'done', summary, keyReps: key, keyRepsInOrder: inOrder });
  return { summary, keyReps: key, keyRepsInOrder: inOrder, rows };
}
