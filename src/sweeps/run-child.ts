/**
 * The process that runs sweep runs: `node dist/src/sweeps/run-child.js [--backend B] CFG_JSON OUT_DIR NAME
 * [CFG_JSON OUT_DIR NAME ...]`, spawned by the local sweep and by `grokgroups worker` with an IPC channel. For
 * one run it runs exactly what `grokgroups train --config CFG_JSON --out OUT_DIR --resume` runs (so a sweep
 * run and a hand-started one hold the same files); several runs (differing only in their seed) are trained at
 * once, as `train --seeds` does. Each run that finished gets its done marker (done.json).
 *
 * Why not spawn `bin/grokgroups.js train` directly: a parent killed with SIGKILL leaves its children running.
 * This process exits as soon as its parent's IPC channel closes (the training loop yields to the event loop
 * every ~100 ms), so a killed worker's run stops at once and the retried job is its only writer.
 *
 * Exit codes: those of `grokgroups train` (0 done, 1 NaN/infinite loss, 2 bad usage, 3 device lost, 130
 * interrupted), and EXIT_CRASH for an unexpected error (its stack on stderr).
 */
import { checkAgainstGroup, parseCfgObject, resolveConfig } from '../runs/config.js';
import { packageVersion } from '../runs/package-root.js';
import { readJson } from '../runs/run-folder.js';
import { checkRunFolder, trainOnConsole } from '../runs/train-console.js';
import type { MemberRun } from '../runs/train-run.js';
import type { Backend } from '../types/trainer.js';
import { UsageError } from '../util/errors.js';
import { writeDoneMarker } from './run-status.js';
import { EXIT_CRASH, EXIT_PARENT_GONE } from './spawn-run.js';

const BACKENDS: readonly Backend[] = ['wasm', 'js', 'webgpu'];

async function runChild(argv: string[]): Promise<number> {
  let backend: Backend = 'wasm';
  if (argv[0] === '--backend') {
    if (!(BACKENDS as readonly string[]).includes(argv[1] ?? ''))
      throw new UsageError(`--backend "${argv[1]}": expected one of ${BACKENDS.join(', ')}`);
    backend = argv[1] as Backend;
    argv = argv.slice(2);
  }
  if (argv.length === 0 || argv.length % 3 !== 0) {
    process.stderr.write(
      'usage: node run-child.js [--backend B] CFG_JSON OUT_DIR NAME [CFG_JSON OUT_DIR NAME ...] (spawned by grokgroups sweep/worker)\n',
    );
    return 2;
  }
  if (process.send) process.on('disconnect', () => process.exit(EXIT_PARENT_GONE));
  const t0 = Date.now();
  const runs: MemberRun[] = [];
  const names: string[] = [];
  for (let i = 0; i < argv.length; i += 3) {
    const [cfgPath, outDir, name] = argv.slice(i, i + 3) as [string, string, string];
    let obj: unknown;
    try {
      obj = readJson(cfgPath);
    } catch (e) {
      throw new UsageError(`--config "${cfgPath}": cannot read it as JSON (${(e as Error).message.split('\n')[0]})`);
    }
    const base = parseCfgObject(obj, cfgPath, 'cfg');
    const cfg = checkRunFolder(resolveConfig(base, {}), outDir, true, base as Record<string, unknown>);
    checkAgainstGroup(cfg, 'frac_train');
    runs.push({ cfg, outDir });
    names.push(name);
  }
  const group = checkAgainstGroup(runs[0]!.cfg);
  const resumeCommand = runs.length === 1 ? `grokgroups train --out ${runs[0]!.outDir} --resume` : `grokgroups sweep again (it resumes these runs)`;
  const { code, results } = await trainOnConsole({ runs, group, resume: true, backend, version: packageVersion(), resumeCommand });
  const wall = (Date.now() - t0) / 1000;
  results?.forEach((r, i) => {
    if (r.summary) writeDoneMarker(runs[i]!.outDir, names[i]!, wall);
  });
  return code;
}

runChild(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (e instanceof UsageError) {
      process.stderr.write(`grokgroups: ${e.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`grokgroups: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(EXIT_CRASH);
  },
);
