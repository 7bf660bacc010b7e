import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { plan } from '../../src/cli/commands/train.js';
import { resolveConfig, toCfgJson } from '../../src/runs/config.js';
import { listPresets, loadPreset } from '../../src/runs/presets.js';
import { defaultOutDir, runName } from '../../src/runs/run-name.js';
import { expandSweep } from '../../src/sweeps/spec.js';

/** The run folders `grokgroups train ARGS` would write (plan decides them before anything is written). */
function folders(args: string[]): string[] {
  const p = plan(args);
  assert.ok(!('print' in p));
  return p.runs.map((r) => r.outDir);
}

test('a preset run is named after the preset: tiny_seed0, S5_MLP_seed1, one folder per --seeds seed', () => {
  assert.deepEqual(folders(['--preset', 'tiny']), ['runs/tiny_seed0']);
  assert.deepEqual(folders(['--preset', 'S5_MLP', '--seed', '1']), ['runs/S5_MLP_seed1']);
  assert.deepEqual(folders(['--preset', 'S5_T', '--seed', '3']), ['runs/S5_T_seed3']);
  assert.deepEqual(folders(['--preset', 'S5_MLP_hidden_dim_32', '--seed', '2']), ['runs/S5_MLP_hidden_dim_32_seed2']);
  assert.deepEqual(folders(['--preset', 'tiny', '--seeds', '1-4']), ['runs/tiny_seed1', 'runs/tiny_seed2', 'runs/tiny_seed3', 'runs/tiny_seed4']);
  assert.deepEqual(folders(['--preset', 'tiny', '--seeds', '1,3', '--out', 'x']), ['x/tiny_seed1', 'x/tiny_seed3']);
  // Every paper preset keeps the original's run name.
  for (const p of listPresets().filter((n) => n !== 'tiny')) assert.equal(defaultOutDir(resolveConfig(loadPreset(p), { seed: 4 })), `runs/${p}_seed4`, p);
});

test('settings on top of a preset that change the experiment are named in a fixed order; measures, checkpoints, threads are not', () => {
  assert.deepEqual(folders(['--preset', 'tiny', '--group', 'D6', '--seed', '1']), ['runs/tiny_group_D6_seed1']);
  assert.deepEqual(folders(['--preset', 'tiny', '--lr', '0.003', '--group', 'C24', '--epochs', '500']), ['runs/tiny_group_C24_num_epochs_500_lr_0.003_seed0']);
  assert.deepEqual(folders(['--preset', 'tiny', '--betas', '0.9,0.99', '--model', 'bilinear']), ['runs/tiny_model_bilinear_betas_0.9-0.99_seed0']);
  assert.deepEqual(folders(['--preset', 'tiny', '--measures', 'full', '--checkpoints', 'none', '--threads', '1', '--backend', 'js']), ['runs/tiny_seed0']);
  // A value equal to the preset's own is no difference.
  assert.deepEqual(folders(['--preset', 'tiny', '--group', 'S4', '--lr', '0.01']), ['runs/tiny_seed0']);
});

test('runs without a preset keep <group>_<MLP|T|B>[_hidden_dim_<h>]_seed<s>', () => {
  assert.deepEqual(folders([]), ['runs/S5_MLP_seed0']);
  assert.deepEqual(folders(['--model', 'transformer', '--seed', '2']), ['runs/S5_T_seed2']);
  assert.deepEqual(folders(['--group', 'C2xS3', '--model', 'bilinear', '--hidden-dim', '16']), ['runs/C2xS3_B_hidden_dim_16_seed0']);
  assert.equal(runName(resolveConfig({}, { group: 'perm:(1,2,3);(1,2)' })), 'perm_1_2_3_1_2__MLP_seed0');
  // A cfg.json naming a preset that no longer exists is named as a run without one.
  assert.equal(runName(resolveConfig({ preset: 'gone' }, { group: 'A5' })), 'A5_MLP_seed0');
});

test('a --config of a preset run is named as that run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gg-name-'));
  try {
    // The cfg.json of a run of `--preset tiny --group D6 --seed 1`, as the run writes it.
    const first = plan(['--preset', 'tiny', '--group', 'D6', '--seed', '1']);
    assert.ok(!('print' in first));
    const path = join(dir, 'cfg.json');
    writeFileSync(path, JSON.stringify(toCfgJson(first.runs[0]!.cfg, '0')));
    assert.deepEqual(folders(['--config', path]), ['runs/tiny_group_D6_seed1']);
    assert.deepEqual(folders(['--config', path, '--seed', '2']), ['runs/tiny_group_D6_seed2']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sweeps name runs as train does, with the tag and every grid value before the seed, and stay unique', () => {
  const s = expandSweep(
    {
      runs: [
        { preset: 'tiny', seeds: '1-2' },
        { preset: 'tiny', overrides: { group: 'D6' }, seeds: 1 },
        { preset: 'tiny', grid: { lr: [0.003, 0.01] }, seeds: 1 },
        { preset: 'tiny', overrides: { num_epochs: 500 }, tag: 'short', seeds: 1 },
        { preset: 'S5_MLP', overrides: { measures: 'basic', threads: 2 }, seeds: 1 },
      ],
    },
    'spec',
  );
  assert.deepEqual(s.runs.map((r) => r.name), [
    'tiny_seed1',
    'tiny_seed2',
    'tiny_group_D6_seed1',
    'tiny_lr_0.003_seed1',
    'tiny_lr_0.01_seed1',
    'tiny_num_epochs_500_short_seed1',
    'S5_MLP_seed1',
  ]);
  // The grid point equal to the preset's lr is named too, so it does not clash with the plain entry's run.
  assert.throws(() => expandSweep({ runs: [{ preset: 'tiny', seeds: 1 }, { preset: 'tiny', overrides: { lr: 0.01 }, seeds: 1 }] }, 'spec'), /run tiny_seed1 is also made by/);
});

test('train: the measures default is recorded as defaulted only when no preset, cfg.json or option sets it', () => {
  const p = (args: string[]) => {
    const r = plan(args);
    assert.ok(!('print' in r));
    return [r.runs[0]!.cfg.measures, r.measuresDefaulted];
  };
  assert.deepEqual(p(['--preset', 'tiny']), ['basic', true]);
  assert.deepEqual(p([]), ['full', true]);
  assert.deepEqual(p(['--preset', 'S5_T']), ['basic', true]);
  assert.deepEqual(p(['--preset', 'tiny', '--measures', 'basic']), ['basic', false]);
  assert.deepEqual(p(['--epochs', '1000', '--measures', 'full']), ['full', false]);
});
