/**
 * A temporary runs folder for the dashboard tests:
 *   runs/S4_MLP_seed0        a real finished run (test/fixtures/serve): done, model and analysis.md
 *   runs/S4_MLP_seed1        synthetic curves (test/fixtures/figures), no model, files an hour old: failed
 *   runs/live/S4_live        cfg.json + the first rows of a log.csv, just written: running (nested id)
 *   runs/escape.txt          symlink to ../secret.txt (outside the root)
 *   runs/escape-dir          symlink to .. (outside the root)
 *   secret.txt               outside the runs folder
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../src/runs/package-root.js';

export const SECRET = 'not for the dashboard';

export interface RunsFixture {
  base: string;
  runs: string;
  /** log.csv lines of the live run not yet written (header excluded), to append during a test. */
  pendingLogLines: string[];
  liveLog: string;
  cleanup(): void;
}

export function makeRunsFixture(): RunsFixture {
  const root = packageRoot();
  const base = mkdtempSync(join(tmpdir(), 'grokgroups-serve-'));
  const runs = join(base, 'runs');
  mkdirSync(runs);
  writeFileSync(join(base, 'secret.txt'), SECRET);
  cpSync(join(root, 'test', 'fixtures', 'serve', 'S4_MLP_seed0'), join(runs, 'S4_MLP_seed0'), { recursive: true });
  const seed1 = join(runs, 'S4_MLP_seed1');
  cpSync(join(root, 'test', 'fixtures', 'figures', 'S4_MLP_seed1'), seed1, { recursive: true });
  const hourAgo = new Date(Date.now() - 3600e3);
  for (const f of ['cfg.json', 'log.csv', 'metrics.csv', 'key_reps.txt', 'key_reps_in_order.txt']) utimesSync(join(seed1, f), hourAgo, hourAgo);
  const live = join(runs, 'live', 'S4_live');
  mkdirSync(live, { recursive: true });
  cpSync(join(root, 'test', 'fixtures', 'figures', 'S4_MLP_seed1', 'cfg.json'), join(live, 'cfg.json'));
  const lines = readFileSync(join(root, 'test', 'fixtures', 'figures', 'S4_MLP_seed2', 'log.csv'), 'utf8')
    .trim()
    .split('\n');
  const liveLog = join(live, 'log.csv');
  writeFileSync(liveLog, lines.slice(0, 7).join('\n') + '\n');
  symlinkSync(join(base, 'secret.txt'), join(runs, 'escape.txt'));
  symlinkSync(base, join(runs, 'escape-dir'));
  return { base, runs, liveLog, pendingLogLines: lines.slice(7), cleanup: () => rmSync(base, { recursive: true, force: true }) };
}
