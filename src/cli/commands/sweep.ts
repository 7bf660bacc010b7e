/**
 * `grokgroups sweep SPEC`: runs every run of a sweep spec (docs/sweeps.md) on this machine, N at a time,
 * skipping finished runs and resuming interrupted ones; or, with --queue, enqueues them for
 * `grokgroups worker`s; `--status` shows where a sweep stands (the queue's counts with --queue, else the run
 * folders'). Exit codes: 0 every run done, 1 some run failed, 2 bad usage, 130 interrupted (state saved).
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { formatDuration } from '../../runs/progress.js';
import { runLocalSweep } from '../../sweeps/local-sweep.js';
import { HELP_OPTION, parseOrHelp, type CommandSpec } from '../options.js';
import { checkQueueName, DEFAULT_ATTEMPTS, DEFAULT_QUEUE_NAME, enqueueSweep, queueStatus } from '../../sweeps/queue.js';
import { cfgConflict, runState } from '../../sweeps/run-status.js';
import { readSweepSpec, type Sweep } from '../../sweeps/spec.js';
import { SweepProgress } from '../../sweeps/sweep-progress.js';
import { UsageError } from '../../util/errors.js';

const SPEC: CommandSpec = {
  name: 'sweep',
  usage: [
    'SPEC [--out DIR] [--jobs N] [--batch-seeds]',
    'SPEC --queue redis://HOST:6379 [--queue-name NAME]',
    '--status --queue redis://HOST:6379      (or: sweep SPEC --status [--out DIR])',
  ],
  description: [
    'Runs every run of the sweep spec SPEC (a JSON file, e.g. configs/sweeps/small.json; format in docs/sweeps.md)',
    'into DIR/<run name>: finished runs are skipped, interrupted ones resumed from their last checkpoint, a failed',
    'run is reported and the others go on. With --queue the runs go to a Redis queue instead, for any number of',
    '`grokgroups worker --queue URL --out DIR` processes on any machines sharing DIR.',
  ].join('\n'),
  positionals: [{ name: 'SPEC', help: 'a sweep spec file' }],
  options: [
    { name: 'out', kind: 'string', arg: 'DIR', help: 'folder of the run folders', default: 'runs/<spec name>' },
    {
      name: 'jobs',
      kind: 'int',
      arg: 'N',
      min: 1,
      max: 1024,
      help: 'runs (with --batch-seeds: sets of seeds) at a time',
      default: `one per core: ${availableParallelism()}`,
    },
    {
      name: 'batch-seeds',
      kind: 'switch',
      help: "train runs that differ only in their seed at once, one process each (always on when the spec's backend is webgpu)",
    },
    {
      name: 'queue',
      kind: 'string',
      arg: 'URL',
      help: 'enqueue the runs in the Redis-backed queue at URL (redis://HOST:6379) for `grokgroups worker`s',
    },
    { name: 'queue-name', kind: 'string', arg: 'NAME', help: "the queue's name", default: DEFAULT_QUEUE_NAME },
    {
      name: 'attempts',
      kind: 'int',
      arg: 'K',
      min: 1,
      max: 100,
      help: 'with --queue: tries per run before it is reported failed',
      default: DEFAULT_ATTEMPTS,
    },
    { name: 'status', kind: 'switch', help: "show where the sweep stands: the queue's counts with --queue, else each run folder's state" },
    { name: 'list', kind: 'switch', help: 'list the runs the spec expands to, and exit' },
    HELP_OPTION,
  ],
};

function folderStatus(sweep: Sweep, outRoot: string): string {
  const lines: string[] = [];
  const by = { done: [] as string[], started: [] as string[], new: [] as string[], conflict: [] as string[] };
  for (const run of sweep.runs) {
    const dir = join(outRoot, run.name);
    if (cfgConflict(dir, run.cfg)) by.conflict.push(run.name);
    else by[runState(dir)].push(run.name);
  }
  lines.push(
    `${outRoot}: ${sweep.runs.length} runs: ${by.done.length} done, ${by.started.length} started (running or interrupted), ${by.new.length} not started, ${by.conflict.length} holding another configuration`,
  );
  if (by.started.length) lines.push(`started: ${by.started.join(' ')}`);
  if (by.conflict.length) lines.push(`another configuration: ${by.conflict.join(' ')}`);
  return lines.join('\n');
}

export async function run(args: string[]): Promise<number> {
  const p = parseOrHelp(SPEC, args);
  if (!p) return 0;
  const positional = p.positionals;
  if (positional.length > 1) throw new UsageError(`sweep takes one SPEC file, got ${positional.map((p) => `"${p}"`).join(' ')}`);
  const specPath = positional[0];
  const url = p.string('queue');
  const queueName = checkQueueName(p.string('queue-name') ?? DEFAULT_QUEUE_NAME);
  if (p.switch('status') && url) {
    if (p.has('out') || p.has('jobs')) throw new UsageError('sweep --status --queue shows the queue: --out and --jobs do not apply');
    const s = await queueStatus(url, queueName);
    const c = s.counts;
    console.log(
      `queue "${queueName}" at ${url}: ${c.waiting} waiting, ${c.active} active, ${c.delayed} delayed (retry backoff), ${c.completed} done, ${c.failed} failed`,
    );
    for (const a of s.active)
      console.log(`active ${a.name}${a.progress ? `: epoch ${a.progress.epoch}/${a.progress.total} on ${a.progress.worker}` : ''}`);
    for (const f of s.failed) console.log(`failed ${f.name} after ${f.attempts} attempt${f.attempts === 1 ? '' : 's'}: ${f.reason}`);
    return 0;
  }
  if (specPath === undefined) throw new UsageError('sweep needs a SPEC file (e.g. configs/sweeps/small.json), or --status --queue URL');
  const sweep = readSweepSpec(specPath);
  const outRoot = p.string('out') ?? join('runs', sweep.name);
  if (p.switch('list')) {
    for (const r of sweep.runs) console.log(`${r.name}\t${r.cfg.num_epochs} epochs`);
    return 0;
  }
  if (p.switch('status')) {
    console.log(folderStatus(sweep, outRoot));
    return 0;
  }
  if (url) {
    if (p.has('out') || p.has('jobs'))
      throw new UsageError('sweep --queue only enqueues: give --out and --jobs to `grokgroups worker --queue URL --out DIR --jobs N`');
    const attempts = p.number('attempts') ?? DEFAULT_ATTEMPTS;
    const r = await enqueueSweep(url, queueName, sweep, attempts);
    console.log(
      `queue "${queueName}" at ${url}: ${sweep.runs.length} runs of ${sweep.name}: ${r.added.length} added, ${r.present.length} already queued or done, ${r.retried.length} failed ones retried`,
    );
    console.log(
      `start workers with: grokgroups worker --queue ${url}${queueName !== DEFAULT_QUEUE_NAME ? ` --queue-name ${queueName}` : ''} --out DIR`,
    );
    return 0;
  }
  if (p.has('attempts'))
    throw new UsageError('--attempts applies to --queue; a local sweep reports a failed run and goes on (run the sweep again to retry it)');
  const jobs = p.number('jobs') ?? availableParallelism();
  const batchSeeds = p.switch('batch-seeds') || sweep.backend === 'webgpu';
  const progress = new SweepProgress(process.stderr);
  const abort = new AbortController();
  const onSignal = () => {
    if (abort.signal.aborted) process.exit(130);
    process.stderr.write('\nstopping: each running run saves its state after its current epoch (Ctrl-C again to quit at once)\n');
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const t0 = Date.now();
  const unit = batchSeeds ? ' sets of seeds' : '';
  process.stderr.write(
    `sweep ${sweep.name}: ${sweep.runs.length} runs into ${outRoot}, ${jobs}${unit} at a time${sweep.backend !== 'wasm' ? ` on ${sweep.backend}` : ''} (logs in ${join(outRoot, '.sweep', 'logs')})\n`,
  );
  try {
    const res = await runLocalSweep({
      runs: sweep.runs,
      outRoot,
      jobs,
      signal: abort.signal,
      backend: sweep.backend,
      batchSeeds,
      onEvent: (e) => {
        const msg = progress.event(e);
        if (e.type === 'plan') progress.print(null, true);
        else progress.print(msg);
      },
    });
    progress.finish();
    console.log(
      `sweep ${sweep.name}: ${res.done.length} run${res.done.length === 1 ? '' : 's'} done, ${res.skipped.length} already done, ${res.failed.length} failed` +
        `${res.interrupted.length ? `, ${res.interrupted.length} interrupted` : ''} in ${formatDuration((Date.now() - t0) / 1000)}`,
    );
    for (const f of res.failed) console.log(`failed ${f.name}: ${f.message}`);
    if (abort.signal.aborted) return 130;
    return res.failed.length > 0 ? 1 : 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
