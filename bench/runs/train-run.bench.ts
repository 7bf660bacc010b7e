/**
 * Benchmarks of the training loop driver (src/runs/train-run.ts), through the same code path as the CLI:
 * 1. `train --preset S5_MLP` for a few epochs (BENCH_S5_EPOCHS, default 5): peak memory (maxRSS) must stay
 *    under 300 MB; reports seconds per epoch including checkpoint and metrics overhead.
 * 2. `train --preset tiny` in full (skip with BENCH_TINY=0): wall time, steps/s and the final test accuracy
 *    (the preset promises grokking to 1.0 in a minute or two).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resourceUsage } from 'node:process';
import { parseGroup } from '../../src/groups/parse.js';
import { resolveConfig } from '../../src/runs/config.js';
import { loadPreset } from '../../src/runs/presets.js';
import { trainRun } from '../../src/runs/train-run.js';

const LIMIT_MB = 300;

async function timed(preset: string, over: Record<string, number>) {
  const cfg = resolveConfig(loadPreset(preset), over);
  const dir = mkdtempSync(join(tmpdir(), 'gg-bench-'));
  try {
    const t0 = performance.now();
    const summary = await trainRun({ cfg, group: parseGroup(cfg.group), outDir: dir, version: 'bench', resume: false });
    return { cfg, seconds: (performance.now() - t0) / 1000, summary };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const s5Epochs = Number(process.env.BENCH_S5_EPOCHS ?? 5);
const s5 = await timed('S5_MLP', { num_epochs: s5Epochs });
const rssMB = resourceUsage().maxRSS / 1024;
console.log(`train --preset S5_MLP --epochs ${s5Epochs} (threads ${s5.cfg.threads}): ${s5.seconds.toFixed(1)} s, ${(s5.seconds / s5Epochs).toFixed(3)} s/epoch with a checkpoint every epoch; peak RSS ${rssMB.toFixed(0)} MB (limit ${LIMIT_MB} MB)`);
let failed = rssMB >= LIMIT_MB;

if (process.env.BENCH_TINY !== '0') {
  const tiny = await timed('tiny', {});
  const E = tiny.cfg.num_epochs;
  console.log(`train --preset tiny (threads ${tiny.cfg.threads}): ${tiny.seconds.toFixed(1)} s, ${(E / tiny.seconds).toFixed(0)} epochs/s, final test_acc ${tiny.summary.test_acc}`);
  if (tiny.summary.test_acc !== 1) failed = true;
}
if (failed) {
  console.error('FAILED: peak memory over the limit or tiny did not grok');
  process.exit(1);
}
