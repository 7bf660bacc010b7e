/**
 * Scale-out on BullMQ (a Redis-backed job queue): `enqueueSweep` adds one job per run (job id = run name, so a
 * run is queued once however often the sweep is enqueued), `runWorker` pulls jobs and runs each in a child
 * process (spawn-run.ts) into <out>/<name> on a folder all workers share, and `queueStatus` reads the counts.
 *
 * Failure handling is BullMQ's: a worker holds a lock on each job it runs and renews it every lockMs/2 from
 * an event loop that does no training (the run is a child process). A worker killed with SIGKILL stops
 * renewing; after lockMs another worker's stalled-job check puts the job back in the queue and a worker
 * resumes the run from its last checkpoint (`train --resume`). The killed worker's run process exits as soon
 * as its parent is gone, so the resumed run is the folder's only writer. A run that fails (or stalls) is
 * retried up to `attempts` times, then left in the failed set with its reason; a deterministic failure
 * (NaN loss, a refused configuration, a folder holding another configuration) is not retried.
 */
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { DelayedError, Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { RunConfig } from '../runs/config.js';
import { UsageError } from '../util/errors.js';
import { cfgConflict, runState } from './run-status.js';
import { spawnRun, type RunHandle } from './spawn-run.js';
import type { Sweep, SweepRun } from './spec.js';

export const DEFAULT_QUEUE_NAME = 'grokgroups';
export const DEFAULT_ATTEMPTS = 3;
export const DEFAULT_LOCK_MS = 30000;
/** How often a worker sends a running job's epoch to the queue (for `sweep --status`). */
const PROGRESS_EVERY_MS = 5000;

export interface RunJobData {
  name: string;
  cfg: RunConfig;
}

export interface RunJobProgress {
  epoch: number;
  total: number;
  worker: string;
}

/** BullMQ's connection options for a redis:// or rediss:// URL (checked). */
export function redisConnection(url: string): { url: string; maxRetriesPerRequest: null; retryStrategy: (n: number) => number | null } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UsageError(`--queue "${url}": expected a Redis URL such as redis://HOST:6379`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:')
    throw new UsageError(`--queue "${url}": expected a Redis URL such as redis://HOST:6379 (redis:// or rediss://)`);
  // Give up after ~10 failed connection attempts instead of retrying forever.
  return { url, maxRetriesPerRequest: null, retryStrategy: (n: number) => (n > 10 ? null : Math.min(200 * n, 2000)) };
}

export function checkQueueName(name: string): string {
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new UsageError(`--queue-name "${name}": expected letters, digits, "_", "." or "-"`);
  return name;
}

function openQueue(url: string, queueName: string): Queue<RunJobData> {
  const q = new Queue<RunJobData>(queueName, { connection: redisConnection(url) });
  q.on('error', () => {}); // connection errors surface as rejected commands
  return q;
}

/** `p`, or a UsageError naming the URL when Redis does not answer within `ms` or the connection fails. */
async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new UsageError(`${what}: no answer from Redis within ${ms / 1000} s; is redis-server running there?`)), ms);
      }),
    ]);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const msg = (e as Error).message;
    if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|Connection is closed|connect ETIMEDOUT|NOAUTH|WRONGPASS/i.test(msg))
      throw new UsageError(`${what}: cannot reach Redis (${msg.split('\n')[0]}); is redis-server running there?`);
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

export interface EnqueueResult {
  added: string[];
  /** Already in the queue (waiting, active, delayed or completed): left as they are. */
  present: string[];
  /** Had failed: moved back to the queue with fresh attempts. */
  retried: string[];
}

/** Adds the sweep's runs to the queue; a run already there with another configuration is refused. */
export async function enqueueSweep(url: string, queueName: string, sweep: Sweep, attempts = DEFAULT_ATTEMPTS): Promise<EnqueueResult> {
  const q = openQueue(url, queueName);
  try {
    return await withTimeout(
      (async () => {
        const res: EnqueueResult = { added: [], present: [], retried: [] };
        const toAdd: SweepRun[] = [];
        for (const run of sweep.runs) {
          const job = await q.getJob(run.name);
          if (!job) {
            toAdd.push(run);
            continue;
          }
          if (JSON.stringify(job.data.cfg) !== JSON.stringify(run.cfg))
            throw new UsageError(
              `queue "${queueName}" already holds run ${run.name} with another configuration; use another --queue-name (or remove the queue's jobs)`,
            );
          if ((await job.getState()) === 'failed') {
            await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
            res.retried.push(run.name);
          } else res.present.push(run.name);
        }
        await q.addBulk(
          toAdd.map((run) => ({
            name: 'run',
            data: { name: run.name, cfg: run.cfg },
            opts: { jobId: run.name, attempts, backoff: { type: 'exponential', delay: 5000 }, removeOnComplete: false, removeOnFail: false },
          })),
        );
        res.added = toAdd.map((r) => r.name);
        return res;
      })(),
      30000,
      `--queue ${url}`,
    );
  } finally {
    await q.close();
  }
}

export interface QueueStatus {
  counts: { waiting: number; active: number; delayed: number; completed: number; failed: number };
  active: { name: string; progress: RunJobProgress | null }[];
  failed: { name: string; reason: string; attempts: number }[];
}

export async function queueStatus(url: string, queueName: string): Promise<QueueStatus> {
  const q = openQueue(url, queueName);
  try {
    return await withTimeout(
      (async () => {
        const c = await q.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'completed', 'failed');
        const active = (await q.getJobs(['active'])).map((j) => ({
          name: j.id ?? j.data.name,
          progress: typeof j.progress === 'object' ? (j.progress as unknown as RunJobProgress) : null,
        }));
        const failed = (await q.getJobs(['failed'])).map((j) => ({
          name: j.id ?? j.data.name,
          reason: j.failedReason ?? '',
          attempts: j.attemptsMade,
        }));
        return {
          counts: {
            waiting: (c.waiting ?? 0) + (c.prioritized ?? 0),
            active: c.active ?? 0,
            delayed: c.delayed ?? 0,
            completed: c.completed ?? 0,
            failed: c.failed ?? 0,
          },
          active: active.sort((a, b) => a.name.localeCompare(b.name)),
          failed: failed.sort((a, b) => a.name.localeCompare(b.name)),
        };
      })(),
      30000,
      `--queue ${url}`,
    );
  } finally {
    await q.close();
  }
}

export interface WorkerOptions {
  url: string;
  queueName: string;
  outRoot: string;
  /** Runs at a time in this worker. */
  jobs: number;
  lockMs?: number;
  /** How often a job may stall (its worker died) before it counts as failed. */
  maxStalled?: number;
  /** Stop once the queue has nothing waiting, delayed or active. */
  exitWhenEmpty?: boolean;
  /** One line per happening (start, done, failed, retry), for the worker's stdout. */
  log?: (line: string) => void;
  signal?: AbortSignal;
}

export interface WorkerResult {
  done: string[];
  failed: { name: string; message: string }[];
}

/** What a worker's jobs share: its run root, its id, its log, its running runs and whether it is shutting down. */
interface WorkerContext {
  root: string;
  id: string;
  log: (line: string) => void;
  running: Set<RunHandle>;
  stopping: () => boolean;
}

/** One job: its run in a child process (skipped when done already); the return value or error tells the queue how it ended. */
async function runJob(w: WorkerContext, job: Job<RunJobData>, token?: string) {
  const { name, cfg } = job.data;
  const { root, id, log } = w;
  const dir = join(root, name);
  const conflict = cfgConflict(dir, cfg);
  if (conflict) throw new UnrecoverableError(conflict);
  if (runState(dir) === 'done') {
    log(`already done ${name}`);
    return { skipped: true, worker: id };
  }
  let lastSent = 0;
  const h = spawnRun(
    root,
    { name, cfg },
    {
      label: `worker ${id} attempt ${job.attemptsMade + 1}`,
      onProgress: (epoch, total) => {
        if (Date.now() - lastSent < PROGRESS_EVERY_MS) return;
        lastSent = Date.now();
        job.updateProgress({ epoch, total, worker: id } satisfies RunJobProgress).catch(() => {});
      },
    },
  );
  w.running.add(h);
  log(`start ${name} (pid ${h.pid}, attempt ${job.attemptsMade + 1})`);
  const out = await h.outcome.finally(() => w.running.delete(h));
  switch (out.kind) {
    case 'done':
      return { wall_s: out.wall_s, resumedAt: out.resumedAt, worker: id };
    case 'failed':
      throw new UnrecoverableError(out.message);
    case 'interrupted':
      if (w.stopping() && token) {
        // Stopped because this worker is shutting down: back to the queue without using up an attempt.
        log(`interrupted ${name}: back in the queue`);
        await job.moveToDelayed(Date.now() + 1000, token);
        throw new DelayedError();
      }
      throw new Error(out.message);
    case 'crashed':
      throw new Error(out.message);
  }
}

/** Logs the worker's happenings and records the jobs done and the jobs that failed for good in `result`. */
function logWorkerEvents(worker: Worker<RunJobData>, log: (line: string) => void, result: WorkerResult): void {
  // Logged once the queue has recorded the completion (a worker that lost its lock cannot record it).
  worker.on('completed', (job, rv: { wall_s?: number; resumedAt?: number | null; skipped?: boolean }) => {
    if (rv?.skipped) return;
    log(`done ${job.id} in ${(rv?.wall_s ?? 0).toFixed(1)} s${rv?.resumedAt != null ? ` (resumed at epoch ${rv.resumedAt})` : ''}`);
    result.done.push(job.id ?? job.data.name);
  });
  worker.on('failed', (job, err) => {
    if (!job || err instanceof DelayedError || err.name === 'DelayedError') return;
    const attempts = job.opts.attempts ?? 1;
    const final = err instanceof UnrecoverableError || err.name === 'UnrecoverableError' || job.attemptsMade >= attempts;
    log(`failed ${job.id} (attempt ${job.attemptsMade} of ${attempts}${final ? ', giving up' : ', will retry'}): ${err.message}`);
    if (final) result.failed.push({ name: job.id ?? '?', message: err.message });
  });
  worker.on('stalled', (jobId) => log(`stalled ${jobId}: its worker stopped renewing the lock; back in the queue`));
  worker.on('error', (err) => log(`error: ${err.message}`));
}

/** Pulls and runs jobs until `signal` aborts (or, with exitWhenEmpty, the queue is empty). */
export async function runWorker(o: WorkerOptions): Promise<WorkerResult> {
  const root = resolve(o.outRoot);
  const id = `${hostname()}:${process.pid}`;
  const log = o.log ?? (() => {});
  const lockMs = o.lockMs ?? DEFAULT_LOCK_MS;
  const result: WorkerResult = { done: [], failed: [] };
  const running = new Set<RunHandle>();
  let stopping = false;

  const ctx: WorkerContext = { root, id, log, running, stopping: () => stopping };
  const processor = (job: Job<RunJobData>, token?: string) => runJob(ctx, job, token);

  const worker = new Worker<RunJobData>(o.queueName, processor, {
    connection: redisConnection(o.url),
    concurrency: Math.max(1, o.jobs),
    lockDuration: lockMs,
    stalledInterval: lockMs,
    maxStalledCount: o.maxStalled ?? DEFAULT_ATTEMPTS,
    autorun: false,
  });
  logWorkerEvents(worker, log, result);

  const stop = async () => {
    if (stopping) return;
    stopping = true;
    for (const h of running) h.stop();
    await worker.close();
  };
  const onAbort = () => void stop();
  o.signal?.addEventListener('abort', onAbort);
  let poll: NodeJS.Timeout | undefined;
  const counter = openQueue(o.url, o.queueName);
  try {
    await withTimeout(counter.getJobCounts('waiting'), 15000, `--queue ${o.url}`);
  } catch (e) {
    await counter.close();
    o.signal?.removeEventListener('abort', onAbort);
    await worker.close(true);
    throw e;
  }
  if (o.exitWhenEmpty) {
    const check = async () => {
      if (stopping) return;
      try {
        if (running.size === 0) {
          const c = await counter.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'waiting-children');
          if (Object.values(c).reduce((a, b) => a + b, 0) === 0) {
            log('queue empty: stopping');
            await stop();
            return;
          }
        }
      } catch (e) {
        log(`error: ${(e as Error).message}`);
      }
      poll = setTimeout(() => void check(), 1000);
    };
    poll = setTimeout(() => void check(), 1000);
  }
  log(`worker ${id}: queue "${o.queueName}" at ${o.url}, ${Math.max(1, o.jobs)} at a time, runs in ${root}`);
  try {
    await worker.run();
  } finally {
    clearTimeout(poll);
    o.signal?.removeEventListener('abort', onAbort);
    await counter.close();
    await stop();
  }
  return result;
}
