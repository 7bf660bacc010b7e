/**
 * `grokgroups worker --queue URL --out DIR`: pulls runs that `grokgroups sweep SPEC --queue URL` enqueued and
 * runs them into DIR/<run name> (a folder every worker shares: a network file system on a cluster). One line
 * per happening on stdout. SIGINT/SIGTERM: the running runs save their state and go back to the queue, and the
 * worker exits (130); a second signal exits at once. Exit 0 when stopped by --exit-when-empty.
 */
import { availableParallelism } from 'node:os';
import { intOption, optionsHelp, parseOptions, type OptionSpec } from '../../sweeps/options.js';
import { checkQueueName, DEFAULT_ATTEMPTS, DEFAULT_LOCK_MS, DEFAULT_QUEUE_NAME, redisConnection, runWorker } from '../../sweeps/queue.js';
import { UsageError } from '../../util/errors.js';

export const summary = 'pull sweep runs from a Redis queue (sweep --queue) and run them into a shared folder';

const OPTIONS: OptionSpec[] = [
  { flag: '--queue', arg: 'URL', help: 'the Redis queue, e.g. redis://HOST:6379 (required)' },
  { flag: '--out', arg: 'DIR', help: 'folder of the run folders, shared by all workers (required)' },
  { flag: '--jobs', arg: 'N', help: `runs at a time in this worker (default one per core: ${availableParallelism()})` },
  { flag: '--queue-name', arg: 'NAME', help: `the queue's name (default ${DEFAULT_QUEUE_NAME})` },
  { flag: '--lock-ms', arg: 'MS', help: `a dead worker's run goes back to the queue after about this long (default ${DEFAULT_LOCK_MS})` },
  { flag: '--max-stalled', arg: 'K', help: `times a run may lose its worker before it is reported failed (default ${DEFAULT_ATTEMPTS})` },
  { flag: '--exit-when-empty', help: 'exit once nothing is waiting or running in the queue (for batch jobs such as Slurm arrays)' },
  { flag: '--help', help: 'show this help' },
];

function helpText(): string {
  return [
    'usage: grokgroups worker --queue redis://HOST:6379 --out DIR [--jobs N] [--exit-when-empty]',
    '',
    'Runs the runs that `grokgroups sweep SPEC --queue URL` enqueued, into DIR/<run name>. Start any number of',
    'workers on any machines that share DIR; a killed worker\'s run is picked up by another one and resumed from',
    'its last checkpoint. See docs/sweeps.md.',
    '',
    'options:',
    ...optionsHelp(OPTIONS),
  ].join('\n');
}

export async function run(args: string[]): Promise<number> {
  const { values, flags, positional } = parseOptions(args, OPTIONS);
  if (flags.has('--help')) {
    console.log(helpText());
    return 0;
  }
  if (positional.length > 0) throw new UsageError(`worker takes no positional arguments, got "${positional[0]}"`);
  const url = values.get('--queue');
  const out = values.get('--out');
  if (!url) throw new UsageError('worker needs --queue URL (e.g. redis://HOST:6379)');
  if (!out) throw new UsageError('worker needs --out DIR (the folder shared by every worker)');
  redisConnection(url);
  const queueName = checkQueueName(values.get('--queue-name') ?? DEFAULT_QUEUE_NAME);
  const jobs = values.has('--jobs') ? intOption('--jobs', values.get('--jobs')!, 1, 1024) : availableParallelism();
  const lockMs = values.has('--lock-ms') ? intOption('--lock-ms', values.get('--lock-ms')!, 500, 3600000) : DEFAULT_LOCK_MS;
  const maxStalled = values.has('--max-stalled') ? intOption('--max-stalled', values.get('--max-stalled')!, 0, 100) : DEFAULT_ATTEMPTS;
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
      exitWhenEmpty: flags.has('--exit-when-empty'),
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
