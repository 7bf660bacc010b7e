/**
 * The training loop driver: runs (or resumes) one run into its folder, writing the files of docs/runs.md, and
 * reports what happens through events; it prints nothing itself (the CLI renders the events).
 *
 * Epoch e = one full-batch AdamW step. Every LOG_EVERY epochs and at the last one, a log.csv row (the pre-step
 * train loss, the rest after the step). At each checkpoint epoch (checkpointEpochs), after the step: the
 * parameters to checkpoints/epoch_<e>.safetensors, a metrics.csv row, then log.csv/metrics.csv flushed and
 * state.safetensors (the commit point of a resume) written last. At the end: model.safetensors and
 * summary_metrics.json. A NaN or infinite loss stops the run (NonFiniteLossError) keeping the last good state;
 * an aborted `signal` stops it after the current epoch with that epoch's state saved (RunInterrupted).
 *
 * With `measures: 'full'` each checkpoint's metrics.csv row has every progress measure (REFERENCE §4), its
 * totals over the key irreps of the previous checkpoint (K is only known at the end, so these live rows are
 * provisional); after model.safetensors the closing pass (evalRun) measures every checkpoint again with the
 * final model's K, as the original's eval.py did, and writes summary_metrics.json and the key-irrep files.
 */
import { mkdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Group } from '../groups/group.js';
import { createTrainer as defaultCreateTrainer } from '../train/create-trainer.js';
import { splitData } from '../train/split.js';
import type { EvalResult, NamedTensor, Trainer, TrainerOptions } from '../train/types.js';
import { removeStaleTemporaries, writeFileAtomic } from './atomic-write.js';
import { checkpointEpochs } from './checkpoint-schedule.js';
import { evalRun, runMeasuring, type EvalEvent } from './eval-run.js';
import { keyReps } from '../measures/key-reps.js';
import { toCfgJson, type RunConfig } from './config.js';
import {
  checkpointFile,
  FILES,
  formatLogCsv,
  formatMetricsCsv,
  readCsvIfExists,
  readSplit,
  readState,
  writeJson,
  writeParams,
  writeSplit,
  writeState,
  type LogRow,
  type MetricsRow,
} from './run-folder.js';

export const LOG_EVERY = 100;
/** AdamW epsilon (PyTorch's default; not a setting of the original either). */
export const ADAM_EPS = 1e-8;

export type TrainEvent =
  | { type: 'start'; startEpoch: number; numEpochs: number; nTrain: number; nTest: number; resumed: boolean; lastLog: LogRow | null }
  | { type: 'epoch'; epoch: number; train_loss: number }
  | { type: 'log'; row: LogRow }
  | { type: 'checkpoint'; epoch: number; row: MetricsRow }
  | { type: 'eval'; event: EvalEvent }
  | { type: 'done'; summary: MetricsRow };

export interface TrainRunOptions {
  cfg: RunConfig;
  group: Group;
  outDir: string;
  /** Package version, written into cfg.json. */
  version: string;
  /** Continue from outDir/state.safetensors when it exists (the caller has checked cfg.json agrees). */
  resume: boolean;
  onEvent?: (e: TrainEvent) => void;
  createTrainer?: (opts: TrainerOptions) => Promise<Trainer>;
  /** How often log.csv is rewritten between checkpoints, for live readers (ms). */
  flushIntervalMs?: number;
  /**
   * Aborting it (e.g. on Ctrl-C) stops the run after the current epoch, with its state saved
   * (RunInterrupted). The loop yields to the event loop every YIELD_MS for this.
   */
  signal?: AbortSignal;
}

export const YIELD_MS = 100;

export class RunInterrupted extends Error {
  override name = 'RunInterrupted';
  constructor(readonly epoch: number) {
    super(`interrupted after epoch ${epoch}; its state is saved (state.safetensors): continue with --resume`);
  }
}

export class NonFiniteLossError extends Error {
  override name = 'NonFiniteLossError';
  constructor(
    readonly epoch: number,
    readonly which: string,
    readonly value: number,
    readonly lastGoodEpoch: number | null,
  ) {
    super(
      `epoch ${epoch}: ${which} is ${value}; the run stopped. ` +
        (lastGoodEpoch === null
          ? 'No checkpoint was reached, so there is no saved state.'
          : `The last good state is epoch ${lastGoodEpoch} (state.safetensors).`),
    );
  }
}

/** Σ of squared parameters (float64), as the original's sum_of_squared_weights but over every parameter. */
export function sumOfSquaredWeights(params: readonly NamedTensor[]): number {
  let s = 0;
  for (const p of params) for (let i = 0; i < p.data.length; i++) s += p.data[i]! * p.data[i]!;
  return s;
}

function metricsRow(epoch: number, ev: EvalResult, params: readonly NamedTensor[], nTrain: number, nTest: number): MetricsRow {
  return {
    epoch,
    train_loss: ev.train_loss,
    test_loss: ev.test_loss,
    train_acc: ev.train_acc,
    test_acc: ev.test_acc,
    // The train and test rows partition all N² pairs, so the mean CE on all of them is the weighted mean.
    all_loss: (nTrain * ev.train_loss + nTest * ev.test_loss) / (nTrain + nTest),
    sum_of_squared_weights: sumOfSquaredWeights(params),
  };
}

function firstNonFinite(values: Record<string, number>): [string, number] | null {
  for (const [k, v] of Object.entries(values)) if (!Number.isFinite(v)) return [k, v];
  return null;
}

export async function trainRun(o: TrainRunOptions): Promise<MetricsRow> {
  const { cfg, group, outDir } = o;
  const emit = o.onEvent ?? (() => {});
  const E = cfg.num_epochs;
  const N = group.order;
  const flushMs = o.flushIntervalMs ?? 5000;
  const resumed = o.resume && existsSync(join(outDir, FILES.state));
  const state = resumed ? readState(outDir) : null;
  const split = resumed ? readSplit(outDir) : splitData(N, cfg.frac_train, cfg.seed);
  const nTrain = split.train.length;
  const nTest = split.test.length;
  // The trainer first: a model it cannot build is refused before anything is written.
  const trainer = await (o.createTrainer ?? defaultCreateTrainer)({
    group,
    model: { kind: cfg.model, embedDim: cfg.embed_dim, hiddenDim: cfg.hidden_dim },
    optim: { lr: cfg.lr, weightDecay: cfg.weight_decay, betas: cfg.betas, eps: ADAM_EPS },
    seed: cfg.seed,
    train: split.train,
    test: split.test,
    threads: cfg.threads,
  });
  try {
    // The measures' precomputation (irreps, split tables) before anything is written, too.
    const measuring = cfg.measures === 'full' ? runMeasuring(group, cfg.model, split.train, split.test) : null;
    mkdirSync(outDir, { recursive: true });
    removeStaleTemporaries(outDir);
    if (cfg.checkpoints === 'log') {
      mkdirSync(join(outDir, FILES.checkpoints), { recursive: true });
      removeStaleTemporaries(join(outDir, FILES.checkpoints));
    }
    if (!resumed) {
      writeJson(join(outDir, FILES.cfg), toCfgJson(cfg, o.version));
      writeSplit(outDir, split.train, split.test);
    }
    const start = state ? state.step : 0;
    // Rows past the resumed state were written by the killed run after its last checkpoint: drop them.
    const logRows = readCsvIfExists(join(outDir, FILES.log)).filter((r) => resumed && r.epoch! < start) as unknown as LogRow[];
    const metricsRows = readCsvIfExists(join(outDir, FILES.metrics)).filter((r) => resumed && r.epoch! < start);
    let lastGood: number | null = resumed ? start - 1 : null;
    // Key irreps for the live rows' totals: those of the last checkpoint measured.
    let liveKeys = measuring && metricsRows.length > 0 ? keyReps(metricsRows.at(-1)!, measuring.irreps) : [];
    if (state) trainer.setState(state);
    const schedule = new Set(checkpointEpochs(E));
    const flushLog = () => writeFileAtomic(join(outDir, FILES.log), formatLogCsv(logRows));
    const flushMetrics = () => {
      if (cfg.measures !== 'none') writeFileAtomic(join(outDir, FILES.metrics), formatMetricsCsv(metricsRows));
    };
    const stop = (epoch: number, bad: [string, number]): never => {
      flushLog();
      flushMetrics();
      throw new NonFiniteLossError(epoch, bad[0], bad[1], lastGood);
    };
    emit({ type: 'start', startEpoch: start, numEpochs: E, nTrain, nTest, resumed, lastLog: logRows.at(-1) ?? null });
    let lastFlush = Date.now();
    let lastYield = Date.now();
    for (let epoch = start; epoch < E; epoch++) {
      const trainLoss = trainer.step();
      if (!Number.isFinite(trainLoss)) stop(epoch, ['train_loss', trainLoss]);
      emit({ type: 'epoch', epoch, train_loss: trainLoss });
      const isLog = epoch % LOG_EVERY === 0 || epoch === E - 1;
      const isCheckpoint = schedule.has(epoch);
      const ev = isLog || isCheckpoint ? trainer.evaluate() : null;
      const bad = ev && firstNonFinite({ test_loss: ev.test_loss, train_loss_after_step: ev.train_loss });
      if (bad) stop(epoch, bad);
      if (ev && isLog) {
        const row: LogRow = { epoch, train_loss: trainLoss, test_loss: ev.test_loss, train_acc: ev.train_acc, test_acc: ev.test_acc };
        logRows.push(row);
        emit({ type: 'log', row });
      }
      if (ev && isCheckpoint) {
        const s = trainer.getState();
        const row = measuring ? measuring.measure(s.params, epoch, liveKeys) : metricsRow(epoch, ev, s.params, nTrain, nTest);
        if (measuring) liveKeys = keyReps(row, measuring.irreps);
        if (cfg.checkpoints === 'log')
          writeParams(join(outDir, checkpointFile(epoch)), s.params, { epoch: String(epoch), step: String(s.step) });
        metricsRows.push(row);
        flushMetrics();
        flushLog();
        writeState(outDir, s);
        lastFlush = Date.now();
        lastGood = epoch;
        emit({ type: 'checkpoint', epoch, row });
      } else if (Date.now() - lastFlush > flushMs) {
        flushLog();
        lastFlush = Date.now();
      }
      if (o.signal && Date.now() - lastYield > YIELD_MS) {
        // Let signal handlers run; on abort, save the state of this very epoch so nothing is lost.
        await new Promise((resolve) => setImmediate(resolve));
        lastYield = Date.now();
        if (o.signal.aborted && epoch < E - 1) {
          flushMetrics();
          flushLog();
          writeState(outDir, trainer.getState());
          throw new RunInterrupted(epoch);
        }
      }
    }
    // Final files (also reached directly when a completed run is resumed).
    const s = trainer.getState();
    let summary: MetricsRow = { ...metricsRow(E - 1, trainer.evaluate(), s.params, nTrain, nTest), epoch: E };
    writeParams(join(outDir, FILES.model), s.params, { epoch: String(E - 1), step: String(s.step) });
    if (measuring) {
      // The closing pass; without checkpoints the live rows stay and only the final model is measured.
      const final = cfg.checkpoints === 'none';
      summary = evalRun({ dir: outDir, measuring, final, onEvent: (event) => emit({ type: 'eval', event }) }).summary;
    } else writeJson(join(outDir, FILES.summary), summary);
    emit({ type: 'done', summary });
    return summary;
  } finally {
    await trainer.dispose();
  }
}
