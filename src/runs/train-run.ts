/**
 * The training loop driver: runs (or resumes) one run into its folder, writing the files of docs/runs.md, and
 * reports what happens through events; it prints nothing itself (the CLI renders the events).
 *
 * Epoch e = one full-batch AdamW step, numbered from 0 as the original's loop (docs/runs.md "Epochs"): the model
 * "at epoch e" is the one after epoch e's step (e + 1 steps), and a run of E epochs ends at epoch E − 1, the epoch
 * of every final file. Every LOG_EVERY epochs and at the last one, a log.csv row (the pre-step
 * train loss, the rest after the step). At each checkpoint epoch (checkpointEpochs), after the step: the
 * parameters to checkpoints/epoch_<e>.safetensors, a metrics.csv row, then log.csv/metrics.csv flushed and
 * state.safetensors (the commit point of a resume) written last. At the end: model.safetensors and
 * summary_metrics.json. A NaN or infinite loss stops the run (NonFiniteLossError) keeping the last good state;
 * an aborted `signal` stops it after the current epoch with that epoch's state saved (RunInterrupted).
 *
 * trainRuns drives S runs that differ only in their seed through one BatchTrainer (src/types/trainer.ts), each
 * into its own folder, with the same files as trainRun of that seed alone writes. The steps between two
 * epochs that log or checkpoint go to the trainer as one run(n) call. A member whose loss turns non-finite
 * stops (its files as a single run leaves them) while the others go on. A DeviceLostError stops every member
 * keeping its last checkpoint and state.safetensors; `--resume` continues them, on any backend.
 *
 * With `measures: 'full'` each checkpoint's metrics.csv row has every progress measure (REFERENCE §4), its
 * totals over the key irreps of the previous checkpoint (K is only known at the end, so these live rows are
 * provisional); after model.safetensors the closing pass (evalRun) measures every checkpoint again with the
 * final model's K, as the original's eval.py did, and writes summary_metrics.json and the key-irrep files.
 */
import { mkdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Group } from '../groups/group.js';
import { createBatchTrainer, createLockstepTrainer, type TrainerFactory } from '../train/create-batch-trainer.js';
import { splitData } from '../train/split.js';
import type { Backend, BatchTrainer, BatchTrainerOptions, EvalResult, NamedTensor, TrainerState } from '../types/trainer.js';
import { DeviceLostError, UsageError } from '../util/errors.js';
import { removeStaleTemporaries, writeFileAtomic } from './atomic-write.js';
import { checkpointEpochs } from './checkpoint-schedule.js';
import { evalRun, runMeasuring, type EvalEvent, type RunMeasuring } from './eval-run.js';
import { openGpu, type GpuContext } from '../gpu/device.js';
import { gpuRunMeasuring } from '../measures/gpu-run-measuring.js';
import type { AsyncRunMeasuring } from '../measures/run-measuring.js';
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
  /** 'wasm' (default), 'js' or 'webgpu'; not part of cfg.json: a run may be resumed on another backend. */
  backend?: Backend;
  /** Builds the batch trainer (default createBatchTrainer); tests inject faults here. */
  createBatchTrainer?: (opts: BatchTrainerOptions) => Promise<BatchTrainer>;
  /** Builds single Trainers instead, stepped in lockstep (createLockstepTrainer). */
  createTrainer?: TrainerFactory;
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

/** One member of trainRuns: its resolved config (only the seed differs between members) and its folder. */
export interface MemberRun {
  cfg: RunConfig;
  outDir: string;
}

export interface TrainRunsOptions extends Omit<TrainRunOptions, 'cfg' | 'outDir' | 'onEvent'> {
  runs: MemberRun[];
  /** Events of member `member` (its index in `runs`); 'batch' starts each set of members trained together. */
  onEvent?: (e: TrainEvent | BatchEvent, member: number) => void;
}

/** Members that resume from the same epoch train together; each such set starts with this event (member -1). */
export interface BatchEvent {
  type: 'batch';
  members: number[];
  startEpoch: number;
  numEpochs: number;
}

export type MemberResult = { summary: MetricsRow; error?: undefined } | { error: NonFiniteLossError; summary?: undefined };

/** The settings every member of a batch must share: everything but the seed. */
function sharedSettings(cfg: RunConfig): string {
  return JSON.stringify({ ...cfg, seed: 0 });
}

/** One run folder's state in the loop. */
interface Member {
  index: number;
  cfg: RunConfig;
  outDir: string;
  resumed: boolean;
  state: TrainerState | null;
  split: { train: Int32Array; test: Int32Array };
  start: number;
  /** With backend 'webgpu' the measures run on the GPU (one device for the batch, apart from the trainer's). */
  measuring: RunMeasuring | AsyncRunMeasuring | null;
  logRows: LogRow[];
  metricsRows: MetricsRow[];
  lastGood: number | null;
  liveKeys: string[];
  lastFlush: number;
  /** Set when its loss turned non-finite: it takes no further part. */
  error: NonFiniteLossError | null;
  summary: MetricsRow | null;
}

/** The steps one run(n) call asks for aim at about this long, so a Ctrl-C is answered soon. */
export const CHUNK_MS = 100;

function openMember(index: number, run: MemberRun, resume: boolean, N: number): Member {
  const { cfg, outDir } = run;
  const resumed = resume && existsSync(join(outDir, FILES.state));
  const state = resumed ? readState(outDir) : null;
  const split = resumed ? readSplit(outDir) : splitData(N, cfg.frac_train, cfg.seed);
  return {
    index,
    cfg,
    outDir,
    resumed,
    state,
    split,
    start: state ? state.step : 0,
    measuring: null,
    logRows: [],
    metricsRows: [],
    lastGood: resumed && state ? state.step - 1 : null,
    liveKeys: [],
    lastFlush: 0,
    error: null,
    summary: null,
  };
}

export async function trainRuns(o: TrainRunsOptions): Promise<MemberResult[]> {
  const { group } = o;
  if (o.runs.length === 0) throw new RangeError('trainRuns: no runs');
  const shared = sharedSettings(o.runs[0]!.cfg);
  for (const r of o.runs) if (sharedSettings(r.cfg) !== shared) throw new UsageError(`run ${r.outDir} differs from ${o.runs[0]!.outDir} in more than its seed: seeds trained at once share every other setting`);
  const members = o.runs.map((r, i) => openMember(i, r, o.resume, group.order));
  // Members that resume from the same epoch are trained together, in order of that epoch.
  const starts = [...new Set(members.map((m) => m.start))].sort((a, b) => a - b);
  const results: MemberResult[] = new Array(members.length);
  for (const start of starts) {
    const set = members.filter((m) => m.start === start);
    await trainSet(o, set, start);
    for (const m of set) results[m.index] = m.error ? { error: m.error } : { summary: m.summary! };
  }
  return results;
}

/** The set's batch trainer. It comes first: a model it cannot build is refused before anything is written. */
async function openBatchTrainer(o: TrainRunsOptions, set: Member[]): Promise<BatchTrainer> {
  const cfg = set[0]!.cfg;
  const batchOpts: BatchTrainerOptions = {
    group: o.group,
    model: { kind: cfg.model, embedDim: cfg.embed_dim, hiddenDim: cfg.hidden_dim },
    optim: { lr: cfg.lr, weightDecay: cfg.weight_decay, betas: cfg.betas, eps: ADAM_EPS },
    threads: cfg.threads,
    backend: o.backend ?? 'wasm',
    members: set.map((m) => ({ seed: m.cfg.seed, train: m.split.train, test: m.split.test })),
  };
  if (o.createBatchTrainer) return o.createBatchTrainer(batchOpts);
  if (o.createTrainer) return createLockstepTrainer(batchOpts, o.createTrainer);
  return createBatchTrainer(batchOpts);
}

/**
 * Each member's measures (their precomputation: irreps, split tables; on the GPU device it returns, if
 * any) before anything is written; then its folder, cfg.json and split.json (a new run), and the rows a
 * resumed run keeps.
 */
async function prepareMembers(o: TrainRunsOptions, set: Member[], start: number): Promise<GpuContext | null> {
  const { group } = o;
  const cfg = set[0]!.cfg;
  const measureGpu = cfg.measures === 'full' && o.backend === 'webgpu' ? await openGpu() : null;
  try {
    for (const m of set)
      m.measuring =
        cfg.measures !== 'full' ? null : measureGpu ? gpuRunMeasuring(measureGpu, group, cfg.model, m.split.train, m.split.test) : runMeasuring(group, cfg.model, m.split.train, m.split.test);
  } catch (e) {
    for (const m of set) if (m.measuring && 'dispose' in m.measuring) m.measuring.dispose();
    measureGpu?.device.destroy();
    throw e;
  }
  for (const m of set) {
    const { outDir } = m;
    mkdirSync(outDir, { recursive: true });
    removeStaleTemporaries(outDir);
    if (cfg.checkpoints === 'log') {
      mkdirSync(join(outDir, FILES.checkpoints), { recursive: true });
      removeStaleTemporaries(join(outDir, FILES.checkpoints));
    }
    if (!m.resumed) {
      writeJson(join(outDir, FILES.cfg), toCfgJson(m.cfg, o.version));
      writeSplit(outDir, m.split.train, m.split.test);
    }
    // Rows past the resumed state were written by the killed run after its last checkpoint: drop them.
    m.logRows = readCsvIfExists(join(outDir, FILES.log)).filter((r) => m.resumed && r.epoch! < start) as unknown as LogRow[];
    m.metricsRows = readCsvIfExists(join(outDir, FILES.metrics)).filter((r) => m.resumed && r.epoch! < start);
    // Key irreps for the live rows' totals: those of the last checkpoint measured.
    m.liveKeys = m.measuring && m.metricsRows.length > 0 ? keyReps(m.metricsRows.at(-1)!, m.measuring.irreps) : [];
  }
  return measureGpu;
}

/** The final files of the members still running (also reached directly when completed runs are resumed). */
async function finishMembers(trainer: BatchTrainer, set: Member[], active: Member[], emitTo: (m: Member, e: TrainEvent) => void): Promise<void> {
  const cfg = set[0]!.cfg;
  const E = cfg.num_epochs;
  const states = await trainer.getStates();
  const evs = await trainer.evaluate();
  for (const m of active) {
    const i = set.indexOf(m);
    const s = states[i]!;
    let summary: MetricsRow = metricsRow(E - 1, evs[i]!, s.params, m.split.train.length, m.split.test.length);
    writeParams(join(m.outDir, FILES.model), s.params, { epoch: String(E - 1), step: String(s.step) });
    if (m.measuring) {
      // The closing pass; without checkpoints the live rows stay and only the final model is measured.
      const final = cfg.checkpoints === 'none';
      summary = (await evalRun({ dir: m.outDir, measuring: m.measuring, final, onEvent: (event) => emitTo(m, { type: 'eval', event }) })).summary;
    } else writeJson(join(m.outDir, FILES.summary), summary);
    m.summary = summary;
    emitTo(m, { type: 'done', summary });
  }
}

async function trainSet(o: TrainRunsOptions, set: Member[], start: number): Promise<void> {
  const emitTo = (m: Member, e: TrainEvent) => o.onEvent?.(e, m.index);
  const cfg = set[0]!.cfg;
  const E = cfg.num_epochs;
  const S = set.length;
  const flushMs = o.flushIntervalMs ?? 5000;
  const trainer = await openBatchTrainer(o, set);
  let measureGpu: GpuContext | null = null;
  try {
    measureGpu = await prepareMembers(o, set, start);
    if (start > 0) await trainer.setStates(set.map((m) => m.state!));
    const schedule = new Set(checkpointEpochs(E));
    const flushLog = (m: Member) => writeFileAtomic(join(m.outDir, FILES.log), formatLogCsv(m.logRows));
    const flushMetrics = (m: Member) => {
      if (cfg.measures !== 'none') writeFileAtomic(join(m.outDir, FILES.metrics), formatMetricsCsv(m.metricsRows));
    };
    const stop = (m: Member, epoch: number, bad: [string, number]) => {
      flushLog(m);
      flushMetrics(m);
      m.error = new NonFiniteLossError(epoch, bad[0], bad[1], m.lastGood);
    };
    const active = () => set.filter((m) => !m.error);
    o.onEvent?.({ type: 'batch', members: set.map((m) => m.index), startEpoch: start, numEpochs: E }, -1);
    for (const m of set)
      emitTo(m, { type: 'start', startEpoch: start, numEpochs: E, nTrain: m.split.train.length, nTest: m.split.test.length, resumed: m.resumed, lastLog: m.logRows.at(-1) ?? null });
    const now = Date.now();
    for (const m of set) m.lastFlush = now;
    let lastYield = now;
    let chunk = 1;
    const isEvent = (epoch: number) => epoch % LOG_EVERY === 0 || epoch === E - 1 || schedule.has(epoch);
    try {
      for (let epoch = start; epoch < E && active().length > 0; ) {
        // The steps up to the next epoch that logs or checkpoints (inclusive), at most `chunk` of them.
        let n = 1;
        while (n < chunk && !isEvent(epoch + n - 1)) n++;
        const t0 = Date.now();
        const losses = await trainer.run(n);
        const msPerStep = (Date.now() - t0) / n;
        chunk = Math.max(1, Math.min(LOG_EVERY, msPerStep > 0 ? Math.floor(CHUNK_MS / msPerStep) : LOG_EVERY));
        for (let k = 0; k < n; k++)
          for (const m of active()) {
            const trainLoss = losses[k * S + set.indexOf(m)]!;
            if (!Number.isFinite(trainLoss)) stop(m, epoch + k, ['train_loss', trainLoss]);
            else emitTo(m, { type: 'epoch', epoch: epoch + k, train_loss: trainLoss });
          }
        const last = epoch + n - 1;
        const isLog = last % LOG_EVERY === 0 || last === E - 1;
        const isCheckpoint = schedule.has(last);
        const evs = (isLog || isCheckpoint) && active().length > 0 ? await trainer.evaluate() : null;
        const states = evs && isCheckpoint ? await trainer.getStates() : null;
        for (const m of active()) {
          const i = set.indexOf(m);
          const ev = evs?.[i];
          const bad = ev && firstNonFinite({ test_loss: ev.test_loss, train_loss_after_step: ev.train_loss });
          if (bad) {
            stop(m, last, bad);
            continue;
          }
          if (ev && isLog) {
            const row: LogRow = { epoch: last, train_loss: losses[(n - 1) * S + i]!, test_loss: ev.test_loss, train_acc: ev.train_acc, test_acc: ev.test_acc };
            m.logRows.push(row);
            emitTo(m, { type: 'log', row });
          }
          if (ev && states) {
            const s = states[i]!;
            const row = m.measuring ? await m.measuring.measure(s.params, last, m.liveKeys) : metricsRow(last, ev, s.params, m.split.train.length, m.split.test.length);
            if (m.measuring) m.liveKeys = keyReps(row, m.measuring.irreps);
            if (cfg.checkpoints === 'log') writeParams(join(m.outDir, checkpointFile(last)), s.params, { epoch: String(last), step: String(s.step) });
            m.metricsRows.push(row);
            flushMetrics(m);
            flushLog(m);
            writeState(m.outDir, s);
            m.lastFlush = Date.now();
            m.lastGood = last;
            emitTo(m, { type: 'checkpoint', epoch: last, row });
          } else if (Date.now() - m.lastFlush > flushMs) {
            flushLog(m);
            m.lastFlush = Date.now();
          }
        }
        epoch = last + 1;
        if (o.signal && Date.now() - lastYield > YIELD_MS) {
          // Let signal handlers run; on abort, save the state of this very epoch so nothing is lost.
          await new Promise((resolve) => setImmediate(resolve));
          lastYield = Date.now();
          if (o.signal.aborted && last < E - 1 && active().length > 0) {
            const all = await trainer.getStates();
            for (const m of active()) {
              flushMetrics(m);
              flushLog(m);
              writeState(m.outDir, all[set.indexOf(m)]!);
            }
            throw new RunInterrupted(last);
          }
        }
      }
    } catch (e) {
      // The device is gone: each member keeps its last checkpoint and state; the rows since are kept for reading.
      if (e instanceof DeviceLostError) for (const m of active()) (flushLog(m), flushMetrics(m));
      throw e;
    }
    if (active().length === 0) return;
    await finishMembers(trainer, set, active(), emitTo);
  } finally {
    await trainer.dispose();
    for (const m of set) if (m.measuring && 'dispose' in m.measuring) m.measuring.dispose();
    measureGpu?.device.destroy();
  }
}

/** One run through trainRuns with a single member. */
export async function trainRun(o: TrainRunOptions): Promise<MetricsRow> {
  const { cfg, outDir, onEvent, ...rest } = o;
  const [r] = await trainRuns({ ...rest, runs: [{ cfg, outDir }], onEvent: onEvent && ((e) => e.type !== 'batch' && onEvent(e)) });
  if (r!.error) throw r!.error;
  return r!.summary!;
}
