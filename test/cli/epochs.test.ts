// One epoch convention in every writer (docs/runs.md "Epochs"): a finished run's files, its final console line, its
// progress line and the dashboard's display agree on the last epoch E − 1. Spawns the built CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkpointEpochs } from '../../src/runs/checkpoint-schedule.js';
import { epochOfLast, lastEpoch } from '../../src/runs/epochs.js';
import { packageRoot } from '../../src/runs/package-root.js';
import { parseNumberCsv } from '../../src/runs/run-folder.js';
import { readSafetensors } from '../../src/runs/safetensors.js';
import { runInfo } from '../../src/serve/run-index.js';

const BIN = join(packageRoot(), 'bin', 'grokgroups.js');
const E = 250;

for (const measures of ['basic', 'full']) {
  test(`a finished run (--measures ${measures}) agrees everywhere: epoch ${E - 1} is the last of ${E} epochs`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'gg-epochs-'));
    try {
      const out = join(dir, 'run');
      const args = [
        'train',
        '--group',
        'C5',
        '--embed-dim',
        '8',
        '--hidden-dim',
        '8',
        '--frac-train',
        '0.6',
        '--threads',
        '1',
        '--epochs',
        String(E),
        '--measures',
        measures,
        '--out',
        out,
      ];
      const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const last = lastEpoch(E);
      assert.equal(last, E - 1);
      // The final console line and the last progress line.
      assert.match(r.stdout.trimEnd().split('\n').at(-1)!, new RegExp(`^${out}: epoch ${last}, train_loss `));
      assert.match(r.stderr, new RegExp(`epoch ${last}/${last} \\(100\\.0%\\)`));
      assert.doesNotMatch(r.stdout + r.stderr, new RegExp(`epoch ${E}\\b`));
      // The files.
      const model = readSafetensors(join(out, 'model.safetensors'));
      assert.equal(model.metadata.epoch, String(last));
      assert.equal(model.metadata.step, String(E));
      assert.equal(readSafetensors(join(out, 'state.safetensors')).metadata.epoch, String(last));
      assert.equal((JSON.parse(readFileSync(join(out, 'summary_metrics.json'), 'utf8')) as { epoch: number }).epoch, last);
      assert.equal(parseNumberCsv(readFileSync(join(out, 'log.csv'), 'utf8')).at(-1)!.epoch, last);
      const rows = parseNumberCsv(readFileSync(join(out, 'metrics.csv'), 'utf8'));
      assert.equal(rows.at(-1)!.epoch, last);
      assert.deepEqual(
        rows.map((x) => x.epoch),
        checkpointEpochs(E),
      );
      const ckpts = readdirSync(join(out, 'checkpoints')).map((f) => Number(/^epoch_(\d+)\.safetensors$/.exec(f)![1]));
      assert.equal(Math.max(...ckpts), last);
      assert.equal(readSafetensors(join(out, 'checkpoints', `epoch_${last}.safetensors`)).metadata.epoch, String(last));
      // The dashboard: the run index's last epoch and num_epochs, shown as `e / E−1`.
      const info = runInfo(out, 'run');
      assert.equal(info.lastEpoch, last);
      assert.equal(epochOfLast(info.lastEpoch, info.epochs), `${last} / ${last}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('epochOfLast shows the epoch reached of the last one', () => {
  assert.equal(epochOfLast(0, 3000), '0 / 2999');
  assert.equal(epochOfLast(2999, 3000), '2999 / 2999');
  assert.equal(epochOfLast(null, 3000), '– / 2999');
  assert.equal(epochOfLast(12, null), '12');
});
