/**
 * The process that runs one sweep run: `node dist/src/sweeps/run-child.js CFG_JSON OUT_DIR NAME`, spawned by
 * the local sweep and by `grokgroups worker` with an IPC channel. It runs exactly what
 * `grokgroups train --config CFG_JSON --out OUT_DIR --resume` runs (so a sweep run and a hand-started one hold
 * the same files), then writes the run's done marker (done.json) when training returned 0.
 *
 * Why not spawn `bin/grokgroups.js train` directly: a parent killed with SIGKILL leaves its children running.
 * This process exits as soon as its parent's IPC channel closes (the training loop yields to the event loop
 * every ~100 ms), so a killed worker's run stops at once and the retried job is its only writer.
 *
 * Exit codes: those of `grokgroups train` (0 done, 1 NaN/infinite loss, 2 bad usage, 130 interrupted), and
 * EXIT_CRASH for an unexpected error (its stack on stderr).
 */
import { main } from '../cli/main.js';
import { writeDoneMarker } from './run-status.js';
import { EXIT_CRASH, EXIT_PARENT_GONE } from './spawn-run.js';

async function runChild(argv: string[]): Promise<number> {
  const [cfgPath, outDir, name] = argv;
  if (!cfgPath || !outDir || !name) {
    process.stderr.write('usage: node run-child.js CFG_JSON OUT_DIR NAME (spawned by grokgroups sweep/worker)\n');
    return 2;
  }
  if (process.send) process.on('disconnect', () => process.exit(EXIT_PARENT_GONE));
  const t0 = Date.now();
  const code = await main(['train', '--config', cfgPath, '--out', outDir, '--resume']);
  if (code === 0) writeDoneMarker(outDir, name, (Date.now() - t0) / 1000);
  return code;
}

runChild(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`grokgroups: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(EXIT_CRASH);
  },
);
