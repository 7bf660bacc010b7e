// A real redis-server on loopback (Debian's; the test fails if it is missing) and the built CLI (`npm test`
// builds first): three `grokgroups worker` processes, one killed with SIGKILL mid-run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../src/runs/package-root.js';
import { queueStatus } from '../../src/sweeps/queue.js';
import { DONE_FILE } from '../../src/sweeps/run-status.js';
import { startRedis } from './redis-server.js';

const BIN = join(packageRoot(), 'bin', 'grokgroups.js');

const SPEC = {
  name: 'q',
  measures: 'basic',
  overrides: { embed_dim: 8, hidden_dim: 8, frac_train: 0.6, lr: 0.01, num_epochs: 3000, checkpoints: 'none' },
  runs: [
    { overrides: { group: 'C5' }, seeds: '1-2' },
    { overrides: { group: 'S3' }, seeds: '1-2' },
  ],
};
const NAMES = ['C5_MLP_hidden_dim_8_seed1', 'C5_MLP_hidden_dim_8_seed2', 'S3_MLP_hidden_dim_8_seed1', 'S3_MLP_hidden_dim_8_seed2'];
/** The files of a finished run that must not depend on how it was run (done.json and logs record who ran it). */
const RESULT_FILES = ['cfg.json', 'split.json', 'log.csv', 'metrics.csv', 'model.safetensors', 'summary_metrics.json', 'state.safetensors'];

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(what: string, cond: () => boolean, ms: number): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out after ${ms / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

test('three workers, one killed with SIGKILL mid-run: every run completes exactly once, identical to a local sweep', async () => {
  const redis = await startRedis();
  const dir = mkdtempSync(join(tmpdir(), 'gg-queue-'));
  const workers: { proc: ChildProcess; out: string; exited: boolean }[] = [];
  try {
    const spec = join(dir, 'spec.json');
    writeFileSync(spec, JSON.stringify(SPEC));
    const shared = join(dir, 'shared');
    const enq = spawnSync(process.execPath, [BIN, 'sweep', spec, '--queue', redis.url, '--queue-name', 'q'], { encoding: 'utf8' });
    assert.equal(enq.status, 0, enq.stderr);
    assert.match(enq.stdout, /4 runs of q: 4 added, 0 already queued or done/);
    // Enqueuing again adds nothing.
    const enq2 = spawnSync(process.execPath, [BIN, 'sweep', spec, '--queue', redis.url, '--queue-name', 'q'], { encoding: 'utf8' });
    assert.match(enq2.stdout, /0 added, 4 already queued or done/);

    for (let i = 0; i < 3; i++) {
      const proc = spawn(
        process.execPath,
        [BIN, 'worker', '--queue', redis.url, '--queue-name', 'q', '--out', shared, '--jobs', '1', '--lock-ms', '3000', '--exit-when-empty'],
        {
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      const w = { proc, out: '', exited: false };
      proc.stdout!.on('data', (d: Buffer) => (w.out += d.toString()));
      proc.stderr!.on('data', (d: Buffer) => (w.out += d.toString()));
      proc.on('exit', () => (w.exited = true));
      workers.push(w);
    }
    // Kill a worker whose run has reached a checkpoint (state saved) but not finished.
    let victim: { w: (typeof workers)[number]; name: string; pid: number } | null = null;
    await until(
      'a worker mid-run',
      () => {
        for (const w of workers) {
          const starts = [...w.out.matchAll(/^start (\S+) \(pid (\d+), attempt 1\)$/gm)];
          const last = starts.at(-1);
          if (!last || w.exited) continue;
          const runDir = join(shared, last[1]!);
          if (existsSync(join(runDir, 'state.safetensors')) && !existsSync(join(runDir, DONE_FILE))) {
            victim = { w, name: last[1]!, pid: Number(last[2]) };
            return true;
          }
        }
        return false;
      },
      120000,
    );
    const v = victim!;
    v.w.proc.kill('SIGKILL');
    await until('the killed worker to exit', () => v.w.exited, 10000);
    await until("the killed worker's run process to stop", () => !alive(v.pid), 10000);
    assert.ok(!existsSync(join(shared, v.name, DONE_FILE)), 'the victim run was mid-run when its worker died');

    await until('the other workers to finish the queue', () => workers.every((w) => w.exited), 240000);
    for (const w of workers) if (w !== v.w) assert.equal(w.proc.exitCode, 0, w.out);

    const st = await queueStatus(redis.url, 'q');
    assert.deepEqual(st.counts, { waiting: 0, active: 0, delayed: 0, completed: 4, failed: 0 });
    const all = workers.map((w) => w.out).join('\n');
    for (const n of NAMES) {
      assert.equal([...all.matchAll(new RegExp(`^done ${n} in`, 'gm'))].length, 1, `${n} completed exactly once:\n${all}`);
      assert.ok(existsSync(join(shared, n, DONE_FILE)), n);
    }
    assert.match(all, new RegExp(`^stalled ${v.name}`, 'm'));
    assert.match(all, new RegExp(`^start ${v.name} \\(pid \\d+, attempt 1\\)$`, 'm'));
    assert.match(all, new RegExp(`^done ${v.name} in [\\d.]+ s \\(resumed at epoch \\d+\\)$`, 'm'), 'the retried job resumed from the checkpoint');

    const status = spawnSync(process.execPath, [BIN, 'sweep', '--status', '--queue', redis.url, '--queue-name', 'q'], { encoding: 'utf8' });
    assert.match(status.stdout, /0 waiting, 0 active, 0 delayed \(retry backoff\), 4 done, 0 failed/);

    // The same sweep run locally gives the same files, byte for byte.
    const local = join(dir, 'local');
    const loc = spawnSync(process.execPath, [BIN, 'sweep', spec, '--out', local, '--jobs', '2'], { encoding: 'utf8' });
    assert.equal(loc.status, 0, loc.stderr);
    for (const n of NAMES) {
      assert.deepEqual(readdirSync(join(shared, n)).sort(), readdirSync(join(local, n)).sort(), n);
      for (const f of RESULT_FILES) assert.ok(readFileSync(join(shared, n, f)).equals(readFileSync(join(local, n, f))), `${n}/${f} differs`);
    }
  } finally {
    for (const w of workers) if (!w.exited) w.proc.kill('SIGKILL');
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
