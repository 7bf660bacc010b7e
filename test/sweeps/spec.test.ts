import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { packageRoot } from '../../src/runs/package-root.js';
import { loadPreset } from '../../src/runs/presets.js';
import { expandSweep, parseSeeds, readSweepSpec } from '../../src/sweeps/spec.js';
import { UsageError } from '../../src/util/errors.js';

test('expandSweep: presets × seeds with the original run names, measures full and threads 1 by default', () => {
  const s = expandSweep(
    {
      name: 'x',
      runs: [
        { presets: ['S5_MLP', 'S5_T'], seeds: '1-2' },
        { preset: 'S5_MLP_hidden_dim_32', seeds: [3] },
      ],
    },
    'spec',
  );
  assert.equal(s.name, 'x');
  assert.deepEqual(
    s.runs.map((r) => r.name),
    ['S5_MLP_seed1', 'S5_MLP_seed2', 'S5_T_seed1', 'S5_T_seed2', 'S5_MLP_hidden_dim_32_seed3'],
  );
  const t = s.runs[2]!.cfg;
  assert.equal(t.model, 'transformer');
  assert.equal(t.frac_train, 0.6);
  assert.equal(t.num_epochs, 50000);
  assert.equal(t.seed, 1);
  assert.equal(t.preset, 'S5_T');
  assert.equal(t.measures, 'full');
  assert.equal(t.threads, 1);
  const w = s.runs[4]!.cfg;
  assert.equal(w.hidden_dim, 32);
  assert.equal(w.embed_dim, 64);
  assert.equal(w.num_epochs, loadPreset('S5_MLP_hidden_dim_32').num_epochs);
});

test('expandSweep: top-level and entry overrides, a grid, a tag; the later setting wins', () => {
  const s = expandSweep(
    {
      measures: 'basic',
      threads: 2,
      overrides: { num_epochs: 100, lr: 0.01 },
      runs: [
        { overrides: { group: 'C5', embed_dim: 8, hidden_dim: 8 }, grid: { lr: [0.001, 0.1], weight_decay: [0, 1] }, seeds: 0 },
        { overrides: { group: 'C5', num_epochs: 7 }, tag: 'short', seeds: [0] },
      ],
    },
    'spec',
  );
  assert.deepEqual(
    s.runs.map((r) => r.name),
    [
      'C5_MLP_hidden_dim_8_lr_0.001_weight_decay_0_seed0',
      'C5_MLP_hidden_dim_8_lr_0.001_weight_decay_1_seed0',
      'C5_MLP_hidden_dim_8_lr_0.1_weight_decay_0_seed0',
      'C5_MLP_hidden_dim_8_lr_0.1_weight_decay_1_seed0',
      'C5_MLP_short_seed0',
    ],
  );
  assert.equal(s.runs[2]!.cfg.lr, 0.1);
  assert.equal(s.runs[2]!.cfg.weight_decay, 0);
  assert.equal(s.runs[2]!.cfg.num_epochs, 100);
  assert.equal(s.runs[2]!.cfg.measures, 'basic');
  assert.equal(s.runs[2]!.cfg.threads, 2);
  assert.equal(s.runs[4]!.cfg.num_epochs, 7);
  assert.equal(s.runs[4]!.cfg.lr, 0.01);
  assert.equal(s.runs[4]!.cfg.preset, null);
});

test('expandSweep refuses bad specs with a message naming the bad value', () => {
  const cases: [unknown, RegExp][] = [
    [[], /spec: expected a JSON object with "runs"/],
    [{ runs: [] }, /runs: expected a non-empty list/],
    [{ runs: [{ preset: 'S9_MLP', seeds: 1 }] }, /runs\[0\]: preset "S9_MLP": unknown; expected one of .*S5_MLP/],
    [{ runs: [{ preset: 'S5_MLP' }] }, /runs\[0\]: seeds missing/],
    [{ runs: [{ preset: 'S5_MLP', seeds: '4-1' }] }, /seeds "4-1": expected an integer >= 0, a list of them, or a range/],
    [{ runs: [{ preset: 'S5_MLP', seeds: [1, 1] }] }, /a seed is listed twice/],
    [{ runs: [{ preset: 'S5_MLP', seeds: 1, overrides: { seed: 3 } }] }, /unknown setting "seed": .*seeds go in "seeds"/],
    [{ runs: [{ preset: 'S5_MLP', seeds: 1, overrides: { lr: -1 } }] }, /runs\[0\]: overrides: lr -1: expected a finite number > 0/],
    [{ runs: [{ preset: 'S5_MLP', seeds: 1, grid: { lr: [] } }] }, /grid: lr \[\]: expected a non-empty list/],
    [{ measures: 'all', runs: [{ preset: 'S5_MLP', seeds: 1 }] }, /measures "all": expected one of none, basic, full/],
    [{ runs: [{ preset: 'S5_MLP', seeds: 1, bogus: 1 }] }, /runs\[0\]: unknown key "bogus"/],
    [
      {
        runs: [
          { preset: 'S5_MLP', seeds: 1 },
          { preset: 'S5_MLP', seeds: '1-2' },
        ],
      },
      /runs\[1\]: run S5_MLP_seed1 is also made by spec: runs\[0\]; give one of the entries a "tag"/,
    ],
    [{ runs: [{ overrides: { group: 'C2', frac_train: 0.1 }, seeds: 1 }] }, /frac_train 0.1: expected a fraction that leaves at least one train/],
    [{ name: 'a b', runs: [{ preset: 'S5_MLP', seeds: 1 }] }, /name "a b": expected letters/],
    [{ backend: 'cuda', runs: [{ preset: 'S5_MLP', seeds: 1 }] }, /spec: backend "cuda": expected one of wasm, js, webgpu/],
  ];
  for (const [obj, re] of cases)
    assert.throws(
      () => expandSweep(obj, 'spec'),
      (e: unknown) => e instanceof UsageError && re.test(e.message),
      JSON.stringify(obj),
    );
});

test('parseSeeds: an integer, a list, a range', () => {
  assert.deepEqual(parseSeeds(0, 's'), [0]);
  assert.deepEqual(parseSeeds([3, 1], 's'), [3, 1]);
  assert.deepEqual(parseSeeds('5-8', 's'), [5, 6, 7, 8]);
  assert.throws(() => parseSeeds(-1, 's'), UsageError);
  assert.throws(() => parseSeeds('x', 's'), UsageError);
});

test('configs/sweeps/paper.json is the paper batch: 14 presets × seeds 1-4, S5 MLP seeds 1-50, the width sweep', () => {
  const s = readSweepSpec(join(packageRoot(), 'configs', 'sweeps', 'paper.json'));
  const names = new Set(s.runs.map((r) => r.name));
  assert.equal(s.runs.length, 14 * 4 + 46 + 6 * 4 + 6);
  for (const g of ['C113', 'C118', 'D59', 'D61', 'S5', 'S6', 'A5'])
    for (const a of ['MLP', 'T']) for (let seed = 1; seed <= 4; seed++) assert.ok(names.has(`${g}_${a}_seed${seed}`), `${g}_${a}_seed${seed}`);
  for (let seed = 1; seed <= 50; seed++) assert.ok(names.has(`S5_MLP_seed${seed}`));
  for (const h of [32, 48, 64, 80, 96, 112]) for (let seed = 1; seed <= 4; seed++) assert.ok(names.has(`S5_MLP_hidden_dim_${h}_seed${seed}`));
  for (let seed = 5; seed <= 10; seed++) assert.ok(names.has(`S5_MLP_hidden_dim_32_seed${seed}`));
  for (const r of s.runs) {
    assert.equal(r.cfg.measures, 'full');
    assert.equal(r.cfg.lr, 0.001);
    assert.equal(r.cfg.weight_decay, 1);
  }
  const small = readSweepSpec(join(packageRoot(), 'configs', 'sweeps', 'small.json'));
  assert.ok(small.runs.length >= 4 && small.runs.every((r) => r.cfg.num_epochs <= 5000));
});

test("expandSweep: the spec's backend (default wasm)", () => {
  assert.equal(expandSweep({ runs: [{ preset: 'S5_MLP', seeds: 1 }] }, 'spec').backend, 'wasm');
  assert.equal(expandSweep({ backend: 'webgpu', runs: [{ preset: 'S5_MLP', seeds: 1 }] }, 'spec').backend, 'webgpu');
});
