// Spawns the built CLI (`npm test` builds first): node bin/grokgroups.js sweep ...
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../src/runs/package-root.js';

const BIN = join(packageRoot(), 'bin', 'grokgroups.js');

function cli(cmd: string, args: string[]) {
  const r = spawnSync(process.execPath, [BIN, cmd, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('sweep and worker refuse bad input with exit 2 and one line, and write nothing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gg-sweep-cli-'));
  try {
    const spec = join(dir, 'spec.json');
    writeFileSync(spec, JSON.stringify({ runs: [{ overrides: { group: 'C5' }, seeds: 1 }] }));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ nope');
    const out = join(dir, 'out');
    const cases: [string, string[], RegExp][] = [
      ['sweep', [], /sweep needs a SPEC file/],
      ['sweep', [bad, '--out', out], /sweep spec ".*bad.json": cannot read it as JSON/],
      ['sweep', [spec, '--jobs', '0', '--out', out], /--jobs "0": expected an integer from 1 to/],
      ['sweep', [spec, '--queue', 'http://x:1'], /--queue "http:\/\/x:1": expected a Redis URL such as redis:\/\/HOST:6379/],
      ['sweep', [spec, '--queue', 'redis://127.0.0.1:1', '--out', out], /sweep --queue only enqueues: give --out and --jobs to `grokgroups worker/],
      ['sweep', [spec, '--queue-name', 'a:b', '--out', out], /--queue-name "a:b": expected letters/],
      ['sweep', [spec, '--frobnicate'], /unknown option "--frobnicate"/],
      ['worker', ['--out', out], /worker needs --queue URL/],
      ['worker', ['--queue', 'redis://127.0.0.1:1'], /worker needs --out DIR/],
      ['worker', ['--queue', 'redis://127.0.0.1:1', '--out', out, '--lock-ms', '5'], /--lock-ms "5": expected an integer from 500/],
    ];
    for (const [cmd, args, re] of cases) {
      const r = cli(cmd, args);
      assert.equal(r.code, 2, `${cmd} ${args.join(' ')}: exit ${r.code}: ${r.stderr}`);
      assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, re);
    }
    assert.deepEqual(readdirSync(dir).sort(), ['bad.json', 'spec.json']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sweep --list expands a spec; sweep runs it, reports a failed run and exits 1; --status shows the folders', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gg-sweep-cli-'));
  try {
    const list = cli('sweep', [join(packageRoot(), 'configs', 'sweeps', 'small.json'), '--list']);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /^tiny_seed1\t3000 epochs\n/);
    const spec = join(dir, 'spec.json');
    writeFileSync(
      spec,
      JSON.stringify({
        name: 'cli',
        measures: 'basic',
        overrides: { group: 'C5', embed_dim: 8, hidden_dim: 8, frac_train: 0.6, num_epochs: 200, checkpoints: 'none' },
        runs: [{ seeds: '1-2' }],
      }),
    );
    const out = join(dir, 'out');
    // Seed 2's folder is taken by a file, so that run fails; seed 1 still runs.
    mkdirSync(out);
    writeFileSync(join(out, 'C5_MLP_hidden_dim_8_seed2'), 'x');
    const r = cli('sweep', [spec, '--out', out, '--jobs', '2']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /sweep cli: 1 run done, 0 already done, 1 failed in /);
    assert.match(r.stdout, /failed C5_MLP_hidden_dim_8_seed2: --out ".*": exists and is not a folder/);
    assert.match(r.stderr, /done C5_MLP_hidden_dim_8_seed1 in /);
    assert.match(r.stderr, /sweep: 1\/2 done, 0 running, 1 failed, 0 waiting; epochs 200\/200/);
    assert.ok(existsSync(join(out, 'C5_MLP_hidden_dim_8_seed1', 'done.json')));
    const s = cli('sweep', [spec, '--out', out, '--status']);
    assert.equal(s.code, 0, s.stderr);
    assert.match(s.stdout, /2 runs: 1 done, 0 started \(running or interrupted\), 1 not started/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
