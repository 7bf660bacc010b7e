/**
 * The local sweep runner: runs a sweep's runs on this machine, `jobs` at a time, each in its own process
 * (spawn-run.ts). A finished run (done.json, same configuration) is skipped; a started one is resumed from its
 * last checkpoint (`train --resume`); a failed one is reported and the others go on. A folder holding a
 * different configuration is reported as failed and left untouched. Aborting `signal` asks every running run
 * to stop after its current epoch with its state saved, and starts no more.
 *
 * With `batchSeeds`, runs that differ only in their seed (same group, model, sizes and optimiser settings)
 * go to one process as one job, trained at once (train --seeds); the files are the same either way.
 */
import { resolve, join } from 'node:path';
import { cfgConflict, runState } from './run-status.js';
import type { Backend } from '../types/trainer.js';
import { spawnBatch, type RunOutcome } from './spawn-run.js';
import type { SweepRun } from './spec.js';

export type SweepEvent =
  | { type: 'plan'; runs: SweepRun[]; skipped: string[] }
  | { type: 'start'; name: string; pid: number }
  | { type: 'resume'; name: string; epoch: number }
  | { type: 'progress'; name: string; epoch: number; total: number }
  | { type: 'end'; name: string; outcome: RunOutcome };

export interface LocalSweepOptions {
  runs: SweepRun[];
  outRoot: string;
  jobs: number;
  onEvent?: (e: SweepEvent) => void;
  signal?: AbortSignal;
  /** Train runs that differ only in their seed at once, one process per such set. */
  batchSeeds?: boolean;
  /** The trainer backend of every run (default wasm). */
  backend?: Backend;
}

/** The runs in sets that may train at once: same settings but the seed, in first-appearance order. */
export function seedBatches(runs: readonly SweepRun[]): SweepRun[][] {
  const sets = new Map<string, SweepRun[]>();
  for (const r of runs) {
    const key = JSON.stringify({ ...r.cfg, seed: 0 });
    const set = sets.get(key);
    if (set) set.push(r);
    else sets.set(key, [r]);
  }
  return [...sets.values()];
}

export interface LocalSweepResult {
  done: string[];
  skipped: string[];
  failed: { name: string; message: string }[];
  interrupted: string[];
}

export async function runLocalSweep(o: LocalSweepOptions): Promise<LocalSweepResult> {
  const emit = o.onEvent ?? (() => {});
  const root = resolve(o.outRoot);
  const result: LocalSweepResult = { done: [], skipped: [], failed: [], interrupted: [] };
  const todo: SweepRun[] = [];
  for (const run of o.runs) {
    const dir = join(root, run.name);
    const conflict = cfgConflict(dir, run.cfg);
    if (conflict) result.failed.push({ name: run.name, message: conflict });
    else if (runState(dir) === 'done') result.skipped.push(run.name);
    else todo.push(run);
  }
  emit({ type: 'plan', runs: o.runs, skipped: result.skipped });
  for (const f of result.failed)
    emit({ type: 'end', name: f.name, outcome: { kind: 'failed', code: null, signal: null, message: f.message, resumedAt: null, wall_s: 0 } });
  const running = new Set<{ stop(): void }>();
  const onAbort = () => {
    for (const h of running) h.stop();
  };
  o.signal?.addEventListener('abort', onAbort);
  const jobs = o.batchSeeds ? seedBatches(todo) : todo.map((r) => [r]);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < jobs.length && !o.signal?.aborted) {
      const job = jobs[next++]!;
      const h = spawnBatch(root, job, {
        backend: o.backend,
        onResume: (name, epoch) => emit({ type: 'resume', name, epoch }),
        onProgress: (epoch, total) => job.forEach((run) => emit({ type: 'progress', name: run.name, epoch, total })),
      });
      running.add(h);
      for (const run of job) emit({ type: 'start', name: run.name, pid: h.pid });
      const outcomes = await h.outcome;
      running.delete(h);
      job.forEach((run, i) => {
        const outcome = outcomes[i]!;
        emit({ type: 'end', name: run.name, outcome });
        if (outcome.kind === 'done') result.done.push(run.name);
        else if (outcome.kind === 'interrupted' && o.signal?.aborted) result.interrupted.push(run.name);
        else result.failed.push({ name: run.name, message: outcome.message });
      });
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(o.jobs, jobs.length)) }, lane));
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
  }
  return result;
}
