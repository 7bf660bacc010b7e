import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseGroup } from '../../src/groups/parse.js';
import { resolveConfig } from '../../src/runs/config.js';
import { readState } from '../../src/runs/run-folder.js';
import { EXIT_DEVICE_LOST, measuresHintText, summaryLine, summaryNumber, trainOnConsole } from '../../src/runs/train-console.js';
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
    assert.equal(JSON.parse(readFileSync(join(runs[1]!.outDir, 'summary_metrics.json'), 'utf8')).epoch, 119);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the final summary line prints 4 significant digits; summary_metrics.json keeps every digit', async () => {
  assert.equal(summaryNumber(0.0012345678912), '0.001235');
  assert.equal(summaryNumber(6.781748558612762e-7), '6.782e-7');
  assert.equal(summaryNumber(0.00011349086723931309), '0.0001135');
  assert.equal(summaryNumber(2.302585092994046), '2.303');
  assert.equal(summaryNumber(0.99998), '1');
  assert.equal(summaryNumber(1), '1');
  assert.equal(summaryNumber(2999), '2999');
  assert.equal(summaryNumber(NaN), 'NaN');
  assert.equal(
    summaryLine('runs/x', { epoch: 2999, train_loss: 0.0012345678912, test_loss: 1.23456e-5, train_acc: 1, test_acc: 0.987654321 }),
    'runs/x: epoch 2999, train_loss 0.001235, test_loss 0.00001235, train_acc 1, test_acc 0.9877',
  );
  const dir = mkdtempSync(join(tmpdir(), 'gg-console-'));
  try {
    const cfg = resolveConfig({}, { group: 'C5', num_epochs: 60, embed_dim: 8, hidden_dim: 8, frac_train: 0.6, seed: 1, threads: 1 });
    const lines: string[] = [];
    const r = await trainOnConsole({ runs: [{ cfg, outDir: dir }], group: parseGroup('C5'), resume: false, backend: 'wasm', version: '0', resumeCommand: '-', err: { write: () => true }, print: (l) => lines.push(l) });
    assert.equal(r.code, 0);
    const summary = JSON.parse(readFileSync(join(dir, 'summary_metrics.json'), 'utf8')) as Record<string, number>;
    assert.equal(lines[0], summaryLine(dir, summary));
    for (const k of ['train_loss', 'test_loss']) {
      const shown: number = Number(new RegExp(`${k} ([^,]+)`).exec(lines[0]!)![1]);
      assert.notEqual(shown, summary[k], `${k}: the file has more digits than the line`);
      assert.equal(shown, Number(summary[k]!.toPrecision(4)));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a run whose measures were chosen by default and came out basic says in its final line how to get every measure', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gg-console-'));
  try {
    const cfg = resolveConfig({}, { group: 'C5', num_epochs: 30, embed_dim: 8, hidden_dim: 8, frac_train: 0.6, seed: 1, threads: 1 });
    assert.equal(cfg.measures, 'basic');
    const common = { group: parseGroup('C5'), resume: false, backend: 'wasm' as const, version: '0', resumeCommand: '-', err: { write: () => true } };
    const lines: string[] = [];
    await trainOnConsole({ ...common, runs: [{ cfg, outDir: join(dir, 'a') }], measuresHint: true, print: (l) => lines.push(l) });
    assert.ok(lines[0]!.endsWith(measuresHintText(join(dir, 'a'))), lines[0]);
    assert.match(lines[0]!, /`grokgroups eval .*a`, or train with --measures full\)$/);
    await trainOnConsole({ ...common, runs: [{ cfg, outDir: join(dir, 'b') }], print: (l) => lines.push(l) });
    assert.doesNotMatch(lines[1]!, /grokgroups eval/);
    await trainOnConsole({ ...common, runs: [{ cfg: { ...cfg, measures: 'full' }, outDir: join(dir, 'c') }], measuresHint: true, print: (l) => lines.push(l) });
    assert.doesNotMatch(lines[2]!, /grokgroups eval/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
