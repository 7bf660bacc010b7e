// Spawns the built CLI (`npm test` builds first): node bin/grokgroups.js train ...
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../src/runs/package-root.js';
import { listPresets } from '../../src/runs/presets.js';
import { readState } from '../../src/runs/run-folder.js';

const BIN = join(packageRoot(), 'bin', 'grokgroups.js');

function cli(args: string[], cwd?: string) {
  const r = spawnSync(process.execPath, [BIN, 'train', ...args], { encoding: 'utf8', cwd: cwd ?? packageRoot() });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const SMALL = ['--group', 'C5', '--embed-dim', '8', '--hidden-dim', '8', '--frac-train', '0.6', '--seed', '2', '--threads', '1'];

test('train refuses bad options with exit 2, one line naming the option, and writes nothing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gg-cli-'));
  try {
    const out = join(dir, 'run');
    const cases: [string[], RegExp][] = [
      [['--frac-train', '1.5'], /--frac-train "1.5": expected a number F with 0 < F < 1/],
      [['--epochs', '-3'], /--epochs "-3": expected an integer from 1/],
      [['--model', 'lstm'], /--model "lstm": expected one of mlp, transformer, bilinear/],
      [['--lr', 'abc'], /--lr "abc": expected a finite number > 0/],
      [['--betas', '0.9'], /--betas "0.9": expected two numbers B1,B2/],
      [['--threads', '0'], /--threads "0": expected an integer from 1 to/],
      [['--bogus', '1'], /unknown option "--bogus" for train: expected one of --preset/],
      [['--preset', 'S9_MLP'], /--preset "S9_MLP": unknown preset; expected one of .*S5_MLP/],
      [['--group', 'Q9'], /--group "Q9": .*expected/],
      [['--measures', 'all'], /--measures "all": expected one of none, basic, full/],
      [['--epochs'], /option "--epochs" for train needs a value/],
      [['--group', 'C2', '--frac-train', '0.1'], /--frac-train 0.1: expected a fraction that leaves at least one train/],
      [['--preset', 'tiny', '--config', 'x.json'], /--preset and --config cannot be combined/],
      [['--config', join(dir, 'missing.json')], /--config ".*missing.json": cannot read it as JSON/],
    ];
    for (const [args, re] of cases) {
      const r = cli([...args, '--out', out], dir);
      assert.equal(r.code, 2, `${args.join(' ')}: exit ${r.code}, stderr ${r.stderr}`);
      const lines = r.stderr.trimEnd().split('\n');
      assert.equal(lines.length, 1, `${args.join(' ')}: ${r.stderr}`);
      assert.match(lines[0]!, re);
      assert.equal(r.stdout, '');
      assert.deepEqual(readdirSync(dir), [], `${args.join(' ')} wrote something`);
    }
    // An existing, non-empty --out is refused unless --resume.
    mkdirSync(join(out, 'x'), { recursive: true });
    const r = cli([...SMALL, '--epochs', '5', '--out', out], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--out ".*run": already exists; pass --resume/);
    assert.deepEqual(readdirSync(out), ['x']);
    const file = join(dir, 'file');
    writeFileSync(file, 'keep');
    const f = cli([...SMALL, '--out', file, '--resume'], dir);
    assert.equal(f.code, 2);
    assert.match(f.stderr, /--out ".*file": exists and is not a folder/);
    assert.equal(readFileSync(file, 'utf8'), 'keep');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('train --help lists every option with its default; train --preset list and presets list the presets', () => {
  const h = cli(['--help']);
  assert.equal(h.code, 0);
  for (const opt of [
    '--preset',
    '--group',
    '--model',
    '--seed',
    '--frac-train',
    '--epochs',
    '--lr',
    '--weight-decay',
    '--betas',
    '--embed-dim',
    '--hidden-dim',
    '--out',
    '--measures',
    '--checkpoints',
    '--threads',
    '--resume',
    '--config',
  ])
    assert.ok(h.stdout.includes(opt), opt);
  assert.match(h.stdout, /--frac-train F .*\(default 0\.4\)/);
  assert.match(h.stdout, /--betas B1,B2 .*\(default 0\.9,0\.98\)/);
  assert.match(h.stdout, /--epochs E .*\(default 250000\)/);
  const l = cli(['--preset', 'list']);
  assert.equal(l.code, 0);
  const names = l.stdout
    .trimEnd()
    .split('\n')
    .map((line) => line.split(/\s+/)[0]);
  assert.deepEqual(names, listPresets());
  const p = spawnSync(process.execPath, [BIN, 'presets'], { encoding: 'utf8' });
  assert.equal(p.status, 0);
  assert.equal(p.stdout, l.stdout);
});

test('train: a run killed with SIGKILL (twice) or stopped by SIGINT and resumed gives the same files as an uninterrupted run; --config reproduces it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gg-cli-'));
  try {
    const E = ['--epochs', '800'];
    const full = join(dir, 'full');
    const r = cli([...SMALL, ...E, '--out', full]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /epoch 799, train_loss [\d.e-]+, test_loss/);

    const killed = join(dir, 'killed');
    // Two SIGKILLs at arbitrary moments, then a SIGINT (stops after the current epoch, saving its state).
    const stops: [number, NodeJS.Signals][] = [
      [20, 'SIGKILL'],
      [200, 'SIGKILL'],
      [400, 'SIGINT'],
    ];
    for (const [i, [threshold, signal]] of stops.entries()) {
      const child = spawn(process.execPath, [BIN, 'train', ...SMALL, ...E, '--out', killed, ...(i ? ['--resume'] : [])], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<[number | null, string | null]>((res) => child.on('exit', (code, sig) => res([code, sig])));
      let done = false;
      void exited.then(() => (done = true));
      let signalled = false;
      while (!done && !signalled) {
        await new Promise((res) => setTimeout(res, 3));
        let step = 0;
        try {
          step = readState(killed).step;
        } catch {
          /* not written yet */
        }
        if (step >= threshold && !done) {
          child.kill(signal);
          signalled = true;
        }
      }
      const [code, sig] = await exited;
      assert.ok(signalled, `the run finished before it could be stopped (${signal} at ${threshold})`);
      if (signal === 'SIGKILL') assert.equal(sig, 'SIGKILL');
      else {
        assert.equal(code, 130, stderr);
        assert.match(stderr, /grokgroups: interrupted after epoch (\d+); its state is saved .*--resume/);
        assert.equal(readState(killed).step, Number(/after epoch (\d+)/.exec(stderr)![1]) + 1);
      }
      assert.ok(readState(killed).step < 800, 'stopped mid-way');
      assert.ok(!existsSync(join(killed, 'model.safetensors')));
    }
    const res = cli([...SMALL, ...E, '--out', killed, '--resume']);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stderr, /resuming at epoch \d+/);
    for (const f of ['log.csv', 'metrics.csv', 'model.safetensors', 'state.safetensors', 'summary_metrics.json', 'split.json', 'cfg.json'])
      assert.ok(readFileSync(join(full, f)).equals(readFileSync(join(killed, f))), f);
    assert.deepEqual(readdirSync(join(killed, 'checkpoints')).sort(), readdirSync(join(full, 'checkpoints')).sort());
    assert.ok(!readdirSync(killed).some((n) => n.endsWith('.tmp')));

    // --resume with a setting that differs from the run's cfg.json is refused.
    const bad = cli([...SMALL, '--epochs', '900', '--out', killed, '--resume']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--resume: num_epochs 900 differs from .*cfg.json \(800\)/);

    // The run's cfg.json alone reproduces it.
    const again = join(dir, 'again');
    const c = cli(['--config', join(full, 'cfg.json'), '--out', again]);
    assert.equal(c.code, 0, c.stderr);
    for (const f of ['log.csv', 'metrics.csv', 'model.safetensors', 'cfg.json'])
      assert.ok(readFileSync(join(full, f)).equals(readFileSync(join(again, f))), f);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('train stops on a NaN/infinite loss with exit 1 and a message naming the epoch and the loss', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gg-cli-'));
  try {
    const out = join(dir, 'run');
    const r = cli([...SMALL, '--epochs', '50', '--lr', '1e30', '--out', out]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /grokgroups: epoch \d+: \w+ is (NaN|Infinity); the run stopped/);
    assert.ok(!existsSync(join(out, 'model.safetensors')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('train --seeds trains several seeds at once into the folders --seed would write, byte-identical; --resume continues them all', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gg-cli-'));
  try {
    const common = ['--group', 'C5', '--embed-dim', '8', '--hidden-dim', '8', '--frac-train', '0.6', '--threads', '1', '--epochs', '150'];
    const r = cli([...common, '--seeds', '1,3-4'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readdirSync(join(dir, 'runs')).sort(), ['C5_MLP_hidden_dim_8_seed1', 'C5_MLP_hidden_dim_8_seed3', 'C5_MLP_hidden_dim_8_seed4']);
    assert.equal(r.stdout.trimEnd().split('\n').length, 3);
    assert.match(r.stderr, /training 3 seeds at once on wasm/);
    const s = cli([...common, '--seed', '3', '--out', 'single3'], dir);
    assert.equal(s.code, 0, s.stderr);
    for (const f of [
      'cfg.json',
      'log.csv',
      'metrics.csv',
      'model.safetensors',
      'state.safetensors',
      'summary_metrics.json',
      'split.json',
      'checkpoints/epoch_149.safetensors',
    ])
      assert.ok(readFileSync(join(dir, 'single3', f)).equals(readFileSync(join(dir, 'runs', 'C5_MLP_hidden_dim_8_seed3', f))), f);
    // --out with --seeds is the folder holding the runs; --resume of finished runs rewrites the same files.
    const o = cli([...common, '--seeds', '3', '--out', 'many'], dir);
    assert.equal(o.code, 0, o.stderr);
    assert.ok(
      readFileSync(join(dir, 'single3', 'model.safetensors')).equals(
        readFileSync(join(dir, 'many', 'C5_MLP_hidden_dim_8_seed3', 'model.safetensors')),
      ),
    );
    const again = cli([...common, '--seeds', '1,3-4', '--resume'], dir);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /resuming at epoch 150 /);
    // Refused, exit 2, one line: existing folders without --resume, --seed with --seeds, bad lists.
    const cases: [string[], RegExp][] = [
      [['--seeds', '1-4'], /run folder "runs\/C5_MLP_hidden_dim_8_seed1": already exists; pass --resume/],
      [['--seeds', '5', '--seed', '2'], /--seed and --seeds cannot be combined/],
      [['--seeds', '4-2'], /--seeds "4-2": expected seeds such as 1-4 or 0,3,7/],
      [['--seeds', '1,1'], /--seeds "1,1": expected seeds/],
      [['--seeds', 'x'], /--seeds "x": expected seeds/],
      [['--backend', 'cuda'], /--backend "cuda": expected one of wasm, js, webgpu/],
    ];
    for (const [args, re] of cases) {
      const b = cli([...common, ...args], dir);
      assert.equal(b.code, 2, `${args.join(' ')}: ${b.stderr}`);
      assert.equal(b.stderr.trimEnd().split('\n').length, 1, b.stderr);
      assert.match(b.stderr, re);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
