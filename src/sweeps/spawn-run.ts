/**
 * Runs one sweep run in a child process (run-child.ts: `grokgroups train --config … --out … --resume`, then
 * the done marker), or several that differ only in their seed, trained at once (spawnBatch), so a crash in one run never takes down the sweep or the worker. The child's output is
 * appended to <out>/.sweep/logs/<name>.log; its progress lines (`epoch E/T`, `resuming at epoch E`) are parsed
 * and reported. The child exits when the parent's IPC channel closes, so a parent killed with SIGKILL leaves
 * no run behind.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../runs/atomic-write.js';
import { toCfgJson } from '../runs/config.js';
import { packageRoot, packageVersion } from '../runs/package-root.js';
import type { Backend } from '../types/trainer.js';
import { runState } from './run-status.js';
import type { SweepRun } from './spec.js';

/** Exit code of run-child on an unexpected error (retryable). */
export const EXIT_CRASH = 70;
/** Exit code of run-child when its parent went away (it stops at once). */
export const EXIT_PARENT_GONE = 75;
export const EXIT_INTERRUPTED = 130;

/** The sweep's own folder inside --out: cfg/<name>.json given to the runs, logs/<name>.log of their output. */
export const SWEEP_DIR = '.sweep';

/**
 * done: finished (done.json written). failed: a deterministic failure that a retry would repeat (NaN loss:
 * exit 1; refused configuration: exit 2). interrupted: stopped by SIGINT/SIGTERM with its state saved.
 * crashed: anything else (killed, out of memory, a bug): worth a retry.
 */
export type OutcomeKind = 'done' | 'failed' | 'interrupted' | 'crashed';

export interface RunOutcome {
  kind: OutcomeKind;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The reason in one line (the child's last `grokgroups: …` line, or how it ended). */
  message: string;
  /** The epoch training resumed at, or null when it started afresh (or never said). */
  resumedAt: number | null;
  wall_s: number;
}

export interface RunHandle {
  pid: number;
  outcome: Promise<RunOutcome>;
  /** Asks the run to stop after its current epoch, saving its state (SIGTERM). */
  stop(): void;
}

export interface SpawnRunOptions {
  onProgress?: (epoch: number, total: number) => void;
  onResume?: (epoch: number) => void;
  /** Written at the head of this attempt's part of the log. */
  label?: string;
}

export function childScript(): string {
  return join(packageRoot(), 'dist', 'src', 'sweeps', 'run-child.js');
}

export function runLogPath(outRoot: string, name: string): string {
  return join(resolve(outRoot), SWEEP_DIR, 'logs', `${name}.log`);
}

export function classify(code: number | null, _signal: NodeJS.Signals | null): OutcomeKind {
  if (code === 0) return 'done';
  if (code === EXIT_INTERRUPTED) return 'interrupted';
  if (code === 1 || code === 2) return 'failed';
  return 'crashed';
}

export function spawnRun(outRoot: string, run: SweepRun, opts: SpawnRunOptions = {}): RunHandle {
  const h = spawnBatch(outRoot, [run], {
    label: opts.label,
    onProgress: opts.onProgress && ((epoch, total) => opts.onProgress!(epoch, total)),
    onResume: opts.onResume && ((_name, epoch) => opts.onResume!(epoch)),
  });
  return { pid: h.pid, stop: h.stop, outcome: h.outcome.then((o) => o[0]!) };
}

export interface SpawnBatchOptions {
  /** The batch's progress (every member is at the same epoch). */
  onProgress?: (epoch: number, total: number) => void;
  onResume?: (name: string, epoch: number) => void;
  label?: string;
  /** The trainer backend (default wasm). */
  backend?: Backend;
}

export interface BatchHandle {
  pid: number;
  /** One outcome per run, in order. */
  outcome: Promise<RunOutcome[]>;
  stop(): void;
}

/**
 * Runs several runs that differ only in their seed in one child process, trained at once (train --seeds).
 * The child's output goes to every member's log. A member is done when its done marker was written; when the
 * child failed, a member without one gets the last error line naming its folder (else the child's last error).
 */
export function spawnBatch(outRoot: string, runs: readonly SweepRun[], opts: SpawnBatchOptions = {}): BatchHandle {
  const root = resolve(outRoot);
  const cfgDir = join(root, SWEEP_DIR, 'cfg');
  const logDir = join(root, SWEEP_DIR, 'logs');
  mkdirSync(cfgDir, { recursive: true });
  mkdirSync(logDir, { recursive: true });
  const args: string[] = opts.backend && opts.backend !== 'wasm' ? ['--backend', opts.backend] : [];
  for (const run of runs) {
    const cfgPath = join(cfgDir, `${run.name}.json`);
    writeFileAtomic(cfgPath, JSON.stringify(toCfgJson(run.cfg, packageVersion()), null, 2) + '\n');
    args.push(cfgPath, join(root, run.name), run.name);
  }
  const logs = runs.map((run) => openSync(runLogPath(root, run.name), 'a'));
  const writeLogs = (b: Buffer | string) => logs.forEach((fd) => writeSync(fd, typeof b === 'string' ? Buffer.from(b) : b));
  const t0 = Date.now();
  const child = spawn(process.execPath, [childScript(), ...args], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const batchNote = runs.length > 1 ? ` batch of ${runs.length}: ${runs.map((r) => r.name).join(' ')}` : '';
  writeLogs(`--- ${new Date(t0).toISOString()} ${hostname()} pid ${child.pid}${opts.label ? ' ' + opts.label : ''}${batchNote}\n`);
  const resumedAt: (number | null)[] = runs.map(() => null);
  const lastErrorOf: string[] = runs.map(() => '');
  const dirs = runs.map((r) => join(root, r.name));
  let lastError = '';
  let lastLine = '';
  let partial = '';
  const onLine = (line: string) => {
    const l = line.replace(/\r/g, '').trimEnd();
    if (l === '') return;
    lastLine = l;
    if (l.startsWith('grokgroups: ')) {
      lastError = l.slice('grokgroups: '.length);
      dirs.forEach((d, i) => {
        if (lastError.startsWith(`${d}: `)) lastErrorOf[i] = lastError.slice(d.length + 2);
      });
    }
    const r = /^resuming at epoch (\d+) .* -> (.*): \d+ epochs/.exec(l);
    if (r) {
      const i = runs.length === 1 ? 0 : dirs.indexOf(r[2]!);
      if (i >= 0) {
        resumedAt[i] = Number(r[1]);
        opts.onResume?.(runs[i]!.name, resumedAt[i]!);
      }
    }
    // `epoch e/E−1`: epoch e (from 0) of the last one, so e + 1 of E epochs are done.
    const p = /^(?:\[[#.]*\] )?epoch (\d+)\/(\d+)/.exec(l);
    if (p) opts.onProgress?.(Number(p[1]) + 1, Number(p[2]) + 1);
  };
  child.stdout!.on('data', (b: Buffer) => writeLogs(b));
  child.stderr!.on('data', (b: Buffer) => {
    writeLogs(b);
    const text = partial + b.toString('utf8');
    const lines = text.split('\n');
    partial = lines.pop()!;
    lines.forEach(onLine);
  });
  const closeLogs = () => logs.forEach((fd) => closeSync(fd));
  const outcome = new Promise<RunOutcome[]>((done) => {
    child.on('error', (e) => {
      // The process could not be started (or signalled): no 'close' follows when it never ran.
      if (child.pid !== undefined) return;
      closeLogs();
      done(
        runs.map(() => ({
          kind: 'crashed',
          code: null,
          signal: null,
          message: `cannot start the run process: ${e.message}`,
          resumedAt: null,
          wall_s: 0,
        })),
      );
    });
    child.on('close', (code, signal) => {
      if (partial) onLine(partial);
      const overall = classify(code, signal);
      const wall_s = (Date.now() - t0) / 1000;
      writeLogs(`--- exit ${signal ?? code} (${overall}) after ${wall_s.toFixed(1)} s\n`);
      closeLogs();
      done(
        runs.map((_run, i) => {
          // In a batch, a member may have finished (its done marker) while another failed.
          const kind: OutcomeKind = overall !== 'done' && runs.length > 1 && runState(dirs[i]!) === 'done' ? 'done' : overall;
          const message =
            kind === 'done'
              ? 'done'
              : lastErrorOf[i] ||
                (runs.length > 1 && overall === 'failed' && code === 1 ? 'stopped with the other runs of its batch' : '') ||
                lastError ||
                (signal
                  ? `killed by ${signal}`
                  : code === EXIT_PARENT_GONE
                    ? 'stopped: its parent went away'
                    : `exit code ${code}${lastLine ? `: ${lastLine}` : ''}`);
          return { kind, code, signal, message, resumedAt: resumedAt[i]!, wall_s };
        }),
      );
    });
  });
  return {
    pid: child.pid ?? -1,
    outcome,
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    },
  };
}
