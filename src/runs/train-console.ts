/**
 * Training runs from a terminal (or a sweep's child process): checks each run folder against --resume,
 * trains the runs (one seed, or several at once through trainRuns), and renders the events on stderr: a line
 * per run as it starts, one progress bar for all of them, the closing measures. Used by `grokgroups train` and
 * by the sweeps' run-child.ts, so both hold the same files and print the same lines.
 *
 * Exit codes: 0 every run done, 1 some run stopped on a NaN/infinite loss (the others finished), 130
 * interrupted (Ctrl-C/SIGTERM: stopped after the current epoch with its state saved), 3 the GPU device was
 * lost (each run keeps its last checkpoint; --resume continues, on any backend).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Group } from '../groups/group.js';
import type { Backend, BatchTrainer, BatchTrainerOptions } from '../types/trainer.js';
import { DeviceLostError, UsageError } from '../util/errors.js';
import { MODEL_TAG, parseCfgObject, resolveConfig, type RunConfig } from './config.js';
import { CHECKPOINT_UNIT, Progress, type ProgressStream } from './progress.js';
import { FILES, readJson } from './run-folder.js';
import { RunInterrupted, trainRuns, type MemberResult, type MemberRun } from './train-run.js';

export const EXIT_NON_FINITE = 1;
export const EXIT_DEVICE_LOST = 3;
export const EXIT_INTERRUPTED = 130;

function isNonEmptyDir(p: string): boolean {
  return existsSync(p) && (!statSync(p).isDirectory() || readdirSync(p).length > 0);
}

/** A number of the final summary line: 4 significant digits, shortest form (6.782e-7, 0.0001135, 1); the files keep every digit. */
export function summaryNumber(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x) || Number.isInteger(x)) return String(x);
  return String(Number(x.toPrecision(4)));
}

/** The final line of a finished run: `<out>: epoch E−1, train_loss …, test_loss …, train_acc …, test_acc …`. */
export function summaryLine(outDir: string, summary: Record<string, number>): string {
  return `${outDir}: ${['epoch', 'train_loss', 'test_loss', 'train_acc', 'test_acc'].map((k) => `${k} ${summaryNumber(summary[k])}`).join(', ')}`;
}

/** Appended to the final line of a run whose default measures were basic. */
export function measuresHintText(outDir: string): string {
  return ` (basic measures: for every progress measure run \`grokgroups eval ${outDir}\`, or train with --measures full)`;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The config a run in `outDir` trains with: `cfg`, or with --resume the folder's own cfg.json, which must agree
 * with every setting given explicitly (`explicit`). Refuses an existing folder without --resume.
 */
export function checkRunFolder(cfg: RunConfig, outDir: string, resume: boolean, explicit: Record<string, unknown>, outLabel = '--out'): RunConfig {
  if (existsSync(outDir) && !statSync(outDir).isDirectory()) throw new UsageError(`${outLabel} "${outDir}": exists and is not a folder`);
  if (!isNonEmptyDir(outDir)) return cfg;
  if (!resume) throw new UsageError(`${outLabel} "${outDir}": already exists; pass --resume to continue that run, or choose another ${outLabel}`);
  const cfgPath = join(outDir, FILES.cfg);
  if (!existsSync(cfgPath)) return cfg;
  const stored = resolveConfig(parseCfgObject(readJson(cfgPath), cfgPath, 'cfg'), {});
  for (const [k, v] of Object.entries(explicit)) {
    const s = (stored as unknown as Record<string, unknown>)[k];
    if (!same(v, s)) throw new UsageError(`--resume: ${k} ${JSON.stringify(v)} differs from ${cfgPath} (${JSON.stringify(s)}); drop it or choose another ${outLabel}`);
  }
  return stored;
}

export interface ConsoleTrainOptions {
  runs: MemberRun[];
  group: Group;
  resume: boolean;
  backend: Backend;
  version: string;
  /** The command that continues these runs, named in the interrupted/device-lost messages. */
  resumeCommand: string;
  err?: ProgressStream;
  /** One line per finished run (default console.log). */
  print?: (line: string) => void;
  createBatchTrainer?: (opts: BatchTrainerOptions) => Promise<BatchTrainer>;
  /** The measures were chosen by default: a finished basic run's line says how to get every measure. */
  measuresHint?: boolean;
}

export interface ConsoleTrainResult {
  code: number;
  /** Per run, in order; absent when training stopped as a whole (interrupted, device lost). */
  results: MemberResult[] | null;
}

/** Trains `runs`, rendering progress on stderr; Ctrl-C (or SIGTERM) stops after the current epoch, twice exits. */
export async function trainOnConsole(o: ConsoleTrainOptions): Promise<ConsoleTrainResult> {
  const err = o.err ?? process.stderr;
  const print = o.print ?? ((l: string) => console.log(l));
  const S = o.runs.length;
  let progress: Progress | null = null;
  // Index of each member in the progress bar of the set being trained.
  let slot = new Map<number, number>();
  const abort = new AbortController();
  const onSignal = () => {
    if (abort.signal.aborted) process.exit(EXIT_INTERRUPTED);
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const results = await trainRuns({
      signal: abort.signal,
      runs: o.runs,
      group: o.group,
      version: o.version,
      resume: o.resume,
      backend: o.backend,
      createBatchTrainer: o.createBatchTrainer,
      onEvent: (e, member) => {
        const run = o.runs[member];
        switch (e.type) {
          case 'batch':
            progress?.finish();
            progress = null;
            slot = new Map(e.members.map((m, i) => [m, i]));
            if (S > 1)
              err.write(`${e.startEpoch > 0 ? `resuming at epoch ${e.startEpoch}` : 'training'} ${e.members.length} seed${e.members.length === 1 ? '' : 's'} at once on ${o.backend}\n`);
            break;
          case 'start': {
            const { cfg, outDir } = run!;
            err.write(
              `${e.resumed ? `resuming at epoch ${e.startEpoch}` : 'training'} ${cfg.group} ${MODEL_TAG[cfg.model]} seed ${cfg.seed}` +
                `${cfg.preset ? ` (preset ${cfg.preset})` : ''} -> ${outDir}: ${cfg.num_epochs} epochs, ${e.nTrain} train / ${e.nTest} test pairs, ${cfg.threads} threads\n`,
            );
            if (!progress) progress = new Progress(err, cfg.num_epochs, e.startEpoch);
            progress.setLog(e.lastLog, slot.get(member) ?? 0);
            break;
          }
          case 'epoch':
            progress?.tick(e.epoch);
            break;
          case 'log':
            progress?.setLog(e.row, slot.get(member) ?? 0);
            break;
          case 'eval':
            if (e.event.type === 'start') {
              progress?.finish();
              err.write(`${S > 1 ? `seed ${run!.cfg.seed}: ` : ''}measuring ${e.event.checkpoints} checkpoints with key irreps ${e.event.keyReps.join(', ') || '(none)'}\n`);
              progress = e.event.checkpoints > 0 ? new Progress(err, e.event.checkpoints, 0, undefined, undefined, CHECKPOINT_UNIT) : null;
            } else if (e.event.type === 'checkpoint') progress?.tick(e.event.index);
            else {
              progress?.finish();
              progress = null;
              err.write(`${S > 1 ? `seed ${run!.cfg.seed}: ` : ''}key irreps in learning order: ${e.event.keyRepsInOrder.join(', ') || '(none)'}\n`);
            }
            break;
          case 'done':
            progress?.finish();
            progress = null;
            break;
        }
      },
    });
    (progress as Progress | null)?.finish();
    let code = 0;
    results.forEach((r, i) => {
      const { outDir } = o.runs[i]!;
      if (r.summary) {
        const cfg = o.runs[i]!.cfg;
        print(summaryLine(outDir, r.summary as Record<string, number>) + (o.measuresHint && cfg.measures === 'basic' ? measuresHintText(outDir) : ''));
      } else {
        err.write(`grokgroups: ${S > 1 ? `${outDir}: ` : ''}${r.error.message}\n`);
        code = EXIT_NON_FINITE;
      }
    });
    return { code, results };
  } catch (e) {
    if (e instanceof RunInterrupted) {
      if (progress) err.write('\n');
      err.write(`grokgroups: ${e.message}: ${o.resumeCommand}\n`);
      return { code: EXIT_INTERRUPTED, results: null };
    }
    if (e instanceof DeviceLostError) {
      if (progress) err.write('\n');
      err.write(`grokgroups: ${e.message.split('\n')[0]}; ${S > 1 ? 'each run keeps' : 'the run keeps'} its last checkpoint: continue with ${o.resumeCommand} (on any --backend)\n`);
      return { code: EXIT_DEVICE_LOST, results: null };
    }
    throw e;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
