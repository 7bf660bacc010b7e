// `grokgroups train --backend webgpu`: the run folders of a 2-seed batch agree with the js backend's
// (float32 tolerance), and no adapter is one line, exit 2, nothing written.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'node:test';
import { packageRoot } from '../../src/runs/package-root.js';

const BIN = join(packageRoot(), 'bin', 'grokgroups.js');
const SMALL = ['--group', 'C5', '--embed-dim', '8', '--hidden-dim', '16', '--frac-train', '0.6', '--lr', '0.01', '--threads', '1'];

function train(args: string[], env: NodeJS.ProcessEnv = process.env) {
  const r = spawnSync(process.execPath, [BIN, 'train', ...SMALL, ...args], { encoding: 'utf8', env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const summary = (dir: string) => JSON.parse(readFileSync(join(dir, 'summary_metrics.json'), 'utf8')) as Record<string, number>;

test('train --backend webgpu --seeds 0-1 writes the run folders the js backend writes, up to float32', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gg-gpu-cli-'));
  try {
    const gpu = train(['--epochs', '200', '--seeds', '0-1', '--backend', 'webgpu', '--out', join(dir, 'gpu')]);
    assert.equal(gpu.code, 0, gpu.stderr);
    const js = train(['--epochs', '200', '--seeds', '0-1', '--backend', 'js', '--out', join(dir, 'js')]);
    assert.equal(js.code, 0, js.stderr);
    const runs = readdirSync(join(dir, 'gpu')).sort();
    assert.deepEqual(runs, readdirSync(join(dir, 'js')).sort());
    assert.equal(runs.length, 2);
    for (const run of runs) {
      const [g, j] = [summary(join(dir, 'gpu', run)), summary(join(dir, 'js', run))];
      assert.equal(g.epoch, j.epoch);
      for (const k of ['train_loss', 'test_loss', 'train_acc', 'test_acc', 'sum_of_squared_weights'])
        assert.ok(Math.abs(g[k]! - j[k]!) <= 1e-3 * Math.max(1, Math.abs(j[k]!)), `${run} ${k}: webgpu ${g[k]}, js ${j[k]}`);
      assert.deepEqual(readFileSync(join(dir, 'gpu', run, 'split.json'), 'utf8'), readFileSync(join(dir, 'js', run, 'split.json'), 'utf8'));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('train --backend webgpu without an adapter: one line naming --backend wasm, exit 2, nothing written', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gg-gpu-cli-'));
  try {
    const out = join(dir, 'run');
    const r = train(['--epochs', '10', '--backend', 'webgpu', '--out', out], { ...process.env, VK_ICD_FILENAMES: join(dir, 'no-driver.json') });
    assert.equal(r.code, 2, r.stderr);
    const ours = r.stderr.split('\n').filter((l) => l.startsWith('grokgroups: '));
    assert.equal(ours.length, 1, r.stderr);
    assert.match(ours[0]!, /backend "webgpu": no GPU adapter found: use --backend wasm/);
    assert.equal(existsSync(out), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
