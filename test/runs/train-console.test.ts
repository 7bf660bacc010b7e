import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseGroup } from '../../src/groups/parse.js';
import { resolveConfig } from '../../src/runs/config.js';
import { readState } from '../../src/runs/run-folder.js';
import { EXIT_DEVICE_LOST, trainOnConsole } from '../../src/runs/train-console.js';
import { createBatchTrainer } from '../../src/train/create-batch-trainer.js';
import type { BatchTrainer, BatchTrainerOptions } from '../../src/types/trainer.js';
import { DeviceLostError } from '../../src/util/errors.js';

const cfg = (seed: number) => resolveConfig({}, { group: 'C5', num_epochs: 120, embed_dim: 8, hidden_dim: 8, frac_train: 0.6, seed, threads: 1 });

test('trainOnConsole: a lost device prints one line naming --resume, exits non-zero, and the resumed runs finish', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gg-console-'));
  try {
    const runs = [3, 4].map((seed) => ({ cfg: cfg(seed), outDir: join(dir, `seed${seed}`) }));
    let text = '';
    const err = { write: (s: string) => ((text += s), true) };
    const lost = async (opts: BatchTrainerOptions): Promise<BatchTrainer> => {
      const t = await createBatchTrainer(opts);
      let steps = 0;
      return {
        ...t,
        size: t.size,
        run: async (n) => {
          if ((steps += n) > 70) throw new DeviceLostError('destroyed', 'the GPU device was lost (destroyed)');
          return t.run(n);
        },
        evaluate: () => t.evaluate(),
        getStates: () => t.getStates(),
        setStates: (s) => t.setStates(s),
        dispose: () => t.dispose(),
      };
    };
    const resumeCommand = 'grokgroups train --seeds 3-4 --resume';
    const common = { runs, group: parseGroup('C5'), backend: 'wasm' as const, version: '0', resumeCommand, err, print: () => {} };
    const r = await trainOnConsole({ ...common, resume: false, createBatchTrainer: lost });
    assert.equal(r.code, EXIT_DEVICE_LOST);
    const last = text.trimEnd().split('\n').at(-1)!;
    assert.equal(last, `grokgroups: the GPU device was lost (destroyed); each run keeps its last checkpoint: continue with ${resumeCommand} (on any --backend)`);
    assert.match(text, /training 2 seeds at once on wasm/);
    const stepAt = readState(runs[0]!.outDir).step;
    assert.ok(stepAt > 0 && stepAt <= 70, String(stepAt));
    const lines: string[] = [];
    const again = await trainOnConsole({ ...common, resume: true, print: (l) => lines.push(l) });
    assert.equal(again.code, 0);
    assert.equal(lines.length, 2);
    assert.match(text, new RegExp(`resuming at epoch ${stepAt}`));
    assert.equal(JSON.parse(readFileSync(join(runs[1]!.outDir, 'summary_metrics.json'), 'utf8')).epoch, 120);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
