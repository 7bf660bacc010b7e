import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  check,
  checkAgainstGroup,
  defaultConfig,
  defaultMeasures,
  fullMeasuresShare,
  parseCfgObject,
  resolveConfig,
  toCfgJson,
} from '../../src/runs/config.js';
import { listPresets, loadPreset, presetDir } from '../../src/runs/presets.js';
import { defaultOutDir } from '../../src/runs/run-name.js';
import { UsageError } from '../../src/util/errors.js';

// REFERENCE §3: group -> [MLP frac, MLP epochs, transformer frac, transformer epochs]
const PAPER: Record<string, [number, number, number, number]> = {
  C113: [0.3, 250000, 0.3, 50000],
  C118: [0.3, 250000, 0.3, 50000],
  D59: [0.3, 250000, 0.3, 100000],
  D61: [0.3, 250000, 0.3, 100000],
  S5: [0.4, 250000, 0.6, 50000],
  S6: [0.25, 250000, 0.4, 20000],
  A5: [0.5, 250000, 0.6, 250000],
};

test('resolveConfig() with nothing gives the documented defaults (the S5 MLP mainline)', () => {
  const c = resolveConfig({}, {});
  assert.equal(c.group, 'S5');
  assert.equal(c.model, 'mlp');
  assert.equal(c.seed, 0);
  assert.equal(c.frac_train, 0.4);
  assert.equal(c.num_epochs, 250000);
  assert.equal(c.lr, 1e-3);
  assert.equal(c.weight_decay, 1);
  assert.deepEqual(c.betas, [0.9, 0.98]);
  assert.equal(c.embed_dim, 256);
  assert.equal(c.hidden_dim, 128);
  assert.equal(c.measures, 'full', 'the defaults run 250k epochs, where full measures cost under 10%');
  assert.equal(c.checkpoints, 'log');
  assert.ok(c.threads >= 1);
  assert.equal(c.preset, null);
});

test('resolveConfig: the command line overrides the preset, which overrides the defaults', () => {
  const c = resolveConfig(loadPreset('C113_T'), { seed: 3, frac_train: 0.5 });
  assert.equal(c.group, 'C113');
  assert.equal(c.model, 'transformer');
  assert.equal(c.num_epochs, 50000);
  assert.equal(c.frac_train, 0.5);
  assert.equal(c.seed, 3);
  assert.equal(c.lr, 1e-3);
  assert.equal(c.preset, 'C113_T');
});

test('every paper experiment has an MLP and a transformer preset with the paper settings', () => {
  for (const [g, [mf, me, tf, te]] of Object.entries(PAPER)) {
    const m = resolveConfig(loadPreset(`${g}_MLP`), {});
    assert.deepEqual([m.group, m.model, m.frac_train, m.num_epochs], [g, 'mlp', mf, me], `${g}_MLP`);
    const t = resolveConfig(loadPreset(`${g}_T`), {});
    assert.deepEqual([t.group, t.model, t.frac_train, t.num_epochs], [g, 'transformer', tf, te], `${g}_T`);
    for (const c of [m, t]) assert.deepEqual([c.lr, c.weight_decay, c.betas, c.embed_dim, c.hidden_dim], [1e-3, 1, [0.9, 0.98], 256, 128]);
  }
});

test('width-sweep presets S5_MLP_hidden_dim_h: hidden h, embed 2h, 250k·floor(128/h) epochs', () => {
  for (const h of [32, 48, 64, 80, 96, 112]) {
    const c = resolveConfig(loadPreset(`S5_MLP_hidden_dim_${h}`), {});
    assert.deepEqual([c.group, c.model, c.hidden_dim, c.embed_dim, c.num_epochs, c.frac_train], ['S5', 'mlp', h, 2 * h, 250000 * Math.floor(128 / h), 0.4]);
    assert.equal(defaultOutDir({ ...c, seed: 2 }), `runs/S5_MLP_hidden_dim_${h}_seed2`);
  }
});

test('every preset file has a reason, resolves, and lists only keys that differ from the defaults', () => {
  const names = listPresets();
  assert.ok(names.length >= 21, `${names.length} presets`);
  assert.ok(names.includes('tiny'));
  const d = defaultConfig();
  for (const name of names) {
    const raw = JSON.parse(readFileSync(join(presetDir(), `${name}.json`), 'utf8')) as Record<string, unknown>;
    assert.equal(typeof raw.reason, 'string', name);
    const parsed = loadPreset(name);
    for (const [k, v] of Object.entries(parsed)) {
      if (k === 'preset') continue;
      assert.notDeepEqual(v, (d as unknown as Record<string, unknown>)[k], `${name}: ${k} equals the default`);
    }
    if (raw.layers) for (const [k, v] of Object.entries(raw.layers as Record<string, number>)) assert.notEqual(v, (d as unknown as Record<string, number>)[k], `${name}: layers.${k}`);
    checkAgainstGroup(resolveConfig(parsed, {}));
  }
});

test('toCfgJson keeps the original keys and parseCfgObject reads it back to the same config', () => {
  const c = resolveConfig(loadPreset('D59_T'), { seed: 4, threads: 3 });
  const j = toCfgJson(c, '9.9.9');
  assert.deepEqual(Object.keys(j).slice(0, 10), ['lr', 'num_epochs', 'weight_decay', 'betas', 'layers', 'model', 'group', 'group_parameter', 'frac_train', 'seed']);
  assert.equal(j.model, 'Transformer');
  assert.equal(j.group, 'DihedralGroup');
  assert.equal(j.group_parameter, 59);
  assert.equal(j.group_name, 'D59');
  assert.equal(j.version, '9.9.9');
  const back = resolveConfig(parseCfgObject(JSON.parse(JSON.stringify(j)), 'cfg.json', 'cfg'), {});
  assert.deepEqual(back, c);
  // A product group has no original class: only group_name.
  const p = toCfgJson(resolveConfig({}, { group: 'C2xS3' }), '0');
  assert.equal(p.group, undefined);
  assert.equal(p.group_name, 'C2xS3');
});

test("parseCfgObject reads the original's cfg.json format", () => {
  const original = {
    lr: 0.001, num_epochs: 250000, weight_decay: 1.0, betas: [0.9, 0.98], layers: { embed_dim: 256, hidden_dim: 128 },
    model: 'OneLayerMLP', group: 'SymmetricGroup', group_parameter: 5, frac_train: 0.4, seed: 2,
  };
  const c = resolveConfig(parseCfgObject(original, 'cfg.json', 'cfg'), {});
  assert.equal(c.group, 'S5');
  assert.equal(c.model, 'mlp');
  assert.equal(c.seed, 2);
  assert.equal(defaultOutDir(c), 'runs/S5_MLP_seed2');
  assert.throws(() => parseCfgObject({ ...original, group: 'KleinGroup' }, 'cfg.json', 'cfg'), /cfg.json: group "KleinGroup"/);
  assert.throws(() => parseCfgObject({ ...original, lrr: 1 }, 'cfg.json', 'cfg'), /unknown key "lrr"/);
  assert.throws(() => parseCfgObject({ num_epochs: 5 }, 'preset x', 'preset'), /needs a "reason"/);
});

test('check.* refuse bad values with one line naming the option, the value and the valid range', () => {
  const cases: [() => unknown, RegExp][] = [
    [() => check.frac_train('--frac-train', '1.5'), /^--frac-train "1.5": expected a number F with 0 < F < 1$/],
    [() => check.frac_train('--frac-train', '0'), /0 < F < 1/],
    [() => check.num_epochs('--epochs', '-3'), /^--epochs "-3": expected an integer from 1 to/],
    [() => check.num_epochs('--epochs', '2.5'), /--epochs "2.5"/],
    [() => check.model('--model', 'lstm'), /^--model "lstm": expected one of mlp, transformer, bilinear$/],
    [() => check.lr('--lr', 'abc'), /^--lr "abc": expected a finite number > 0$/],
    [() => check.lr('--lr', ''), /--lr ""/],
    [() => check.betas('--betas', '0.9'), /^--betas "0.9": expected two numbers B1,B2/],
    [() => check.betas('--betas', '0.9,1'), /--betas "0.9,1"/],
    [() => check.threads('--threads', '0'), /^--threads "0": expected an integer from 1 to 256$/],
    [() => check.group('--group', 'Q9'), /^--group "Q9": .*expected/],
    [() => check.measures('--measures', 'all'), /^--measures "all": expected one of none, basic, full$/],
    [() => check.checkpoints('--checkpoints', 'all'), /expected one of none, log/],
    [() => check.weight_decay('--weight-decay', '-1'), />= 0/],
    [() => check.seed('--seed', '-1'), /--seed "-1": expected an integer >= 0/],
  ];
  for (const [f, re] of cases) {
    assert.throws(f, (e: unknown) => e instanceof UsageError && re.test(e.message) && !e.message.includes('\n'), String(re));
  }
  assert.equal(check.lr('--lr', '3e-4'), 3e-4);
  assert.deepEqual(check.betas('--betas', '0.8,0.99'), [0.8, 0.99]);
  assert.equal(check.seed('--seed', '0'), 0);
});

test('checkAgainstGroup refuses a split with no train or no test pair', () => {
  assert.throws(() => checkAgainstGroup(resolveConfig({}, { group: 'C2', frac_train: 0.1 })), /frac-train 0.1: .*0 train pairs/);
  assert.equal(checkAgainstGroup(resolveConfig({}, { group: 'C5', frac_train: 0.5 })).order, 5);
});

test('defaultOutDir follows the original run names', () => {
  const d = defaultConfig();
  assert.equal(defaultOutDir(d), 'runs/S5_MLP_seed0');
  assert.equal(defaultOutDir({ ...d, group: 'C113', model: 'transformer', seed: 1, hidden_dim: 64 }), 'runs/C113_T_seed1');
  assert.equal(defaultOutDir({ ...d, model: 'bilinear' }), 'runs/S5_B_seed0');
  assert.equal(defaultOutDir({ ...d, group: 'perm:(1,2,3);(1,2)' }), 'runs/perm_1_2_3_1_2__MLP_seed0');
});

test('the default measures: full where its estimated cost is under 10% of the training (the 250k-epoch runs), else basic', () => {
  // 2 passes × 16 steps × the 727 checkpoints of 250k epochs = 9.3% of 250k steps; 674 of 50k = 43%.
  assert.ok(Math.abs(fullMeasuresShare(250000) - (2 * 16 * 727) / 250000) < 1e-12);
  assert.equal(defaultMeasures(250000), 'full');
  assert.equal(defaultMeasures(1e6), 'full');
  for (const E of [3000, 20000, 50000, 100000, 200000]) assert.equal(defaultMeasures(E), 'basic', String(E));
  for (const p of listPresets()) {
    const c = resolveConfig(loadPreset(p), {});
    assert.equal(c.measures, c.num_epochs >= 250000 ? 'full' : 'basic', p);
  }
  // A choice anywhere wins: the command line, a preset or a cfg.json.
  assert.equal(resolveConfig({}, { measures: 'basic' }).measures, 'basic');
  assert.equal(resolveConfig(loadPreset('tiny'), { measures: 'full' }).measures, 'full');
  assert.equal(resolveConfig({ measures: 'none' }, {}).measures, 'none');
  assert.equal(resolveConfig({}, { num_epochs: 20000 }).measures, 'basic');
});
