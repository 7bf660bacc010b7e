/**
 * `grokgroups worker --queue URL --out DIR`: pulls runs that `grokgroups sweep SPEC --queue URL` enqueued and
 * runs them into DIR/<run name> (a folder every worker shares: a network file system on a cluster). One line
 * per happening on stdout. SIGINT/SIGTERM: the running runs save their state and go back to the queue, and the
 * worker exits (130); a second signal exits at once. Exit 0 when stopped by --exit-when-empty.
 */
import { availableParallelism } from 'node:os';
import { checkPositionals, HELP_OPTION, parseOrHelp, type CommandSpec } from '../options.js';
import { checkQueueName, DEFAULT_ATTEMPTS, DEFAULT_LOCK_MS, DEFAULT_QUEUE_NAME, redisConnection, runWorker } from '../../sweeps/queue.js';
import { UsageError } from '../../util/errors.js';

const SPEC: CommandSpec = {
  name: 'worker',
  usage: ['--queue redis://HOST:6379 --out DIR [--jobs N] [--exit-when-empty]'],
  description: `Runs the runs that \`grokgroups sweep SPEC --queue URL\` enqueued, into DIR/<run name>. Start any number of
workers on any machines that share DIR; a killed worker's run is picked up by another one and resumed from
its last checkpoint. See docs/sweeps.md.`,
  options: [
    { name: 'queue', kind: 'string', arg: 'URL', help: 'the Redis queue, e.g. redis://HOST:6379 (required)' },
    { name: 'out', kind: 'string', arg: 'DIR', help: 'folder of the run folders, shared by all workers (required)' },
    {
      name: 'jobs',
      kind: 'int',
      arg: 'N',
      min: 1,
      max: 1024,
      help: 'runs at a time in this worker',
      default: `one per core: ${availableParallelism()}`,
    },
    { name: 'queue-name', kind: 'string', arg: 'NAME', help: "the queue's name", default: DEFAULT_QUEUE_NAME },
    {
      name: 'lock-ms',
      kind: 'int',
      arg: 'MS',
      min: 500,
      max: 3600000,
      help: "a dead worker's run goes back to the queue after about this long",
      default: DEFAULT_LOCK_MS,
    },
    {
      name: 'max-stalled',
      kind: 'int',
      arg: 'K',
      min: 0,
      max: 100,
      help: 'times a run may lose its worker before it is reported failed',
      default: DEFAULT_ATTEMPTS,
    },
    { name: 'exit-when-empty', kind: 'switch', help: 'exit once nothing is waiting or running in the queue (for batch jobs such as Slurm arrays)' },
    HELP_OPTION,
  ],
};

export async function run(args: string[]): Promise<number> {
  const p = parseOrHelp(SPEC, args);
  if (!p) return 0;
  checkPositionals(SPEC, p, 0, 0, 'no positional arguments');
  const url = p.string('queue');
  const out = p.string('out');
  if (!url) throw new UsageError('worker needs --queue URL (e.g. redis://HOST:6379)');
  if (!out) throw new UsageError('worker needs --out DIR (the folder shared by every worker)');
  redisConnection(url);
  const queueName = checkQueueName(p.string('queue-name') ?? DEFAULT_QUEUE_NAME);
  const jobs = p.number('jobs') ?? availableParallelism();
  const lockMs = p.number('lock-ms') ?? DEFAULT_LOCK_MS;
  const maxStalled = p.number('max-stalled') ?? DEFAULT_ATTEMPTS;
  const abort = new AbortController();
  let signalled = false;
  const onSignal = () => {
    if (abort.signal.aborted) process.exit(130);
    signalled = true;
    console.log('stopping: running runs save their state and go back to the queue (signal again to quit at once)');
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const res = await runWorker({
      url,
      queueName,
      outRoot: out,
      jobs,
      lockMs,
      maxStalled,
      exitWhenEmpty: p.switch('exit-when-empty'),
      signal: abort.signal,
      log: (line) => console.log(line),
    });
    console.log(`worker: ${res.done.length} run${res.done.length === 1 ? '' : 's'} done, ${res.failed.length} failed here`);
    return signalled ? 130 : 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
