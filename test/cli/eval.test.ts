// `grokgroups eval` and `train --measures full` (spawns the built CLI; `npm test` builds first).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureColumns } from '../../src/measures/columns.js';
import { packageRoot } from '../../src/runs/package-root.js';
import { parseNumberCsv } from '../../src/runs/run-folder.js';

const BIN = join(packageRoot(), 'bin', 'grokgroups.js');
const D4 = [
  '--group',
  'D4',
  '--epochs',
  '400',
  '--embed-dim',
  '16',
  '--hidden-dim',
  '16',
  '--frac-train',
  '0.6',
  '--lr',
  '0.01',
  '--seed',
  '3',
  '--threads',
  '1',
];
const FILES = ['metrics.csv', 'summary_metrics.json', 'key_reps.txt', 'key_reps_in_order.txt', 'irreps.txt'];

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: packageRoot() });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const lines = (p: string) =>
  readFileSync(p, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0);

test('train --measures full equals basic training followed by eval, byte for byte; the files agree with each other', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gg-eval-'));
  try {
    const full = join(dir, 'full');
    const basic = join(dir, 'basic');
    let r = cli(['train', ...D4, '--measures', 'full', '--out', full]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /measuring \d+ checkpoints with key irreps/);
    r = cli(['train', ...D4, '--measures', 'basic', '--out', basic]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!existsSync(join(basic, 'key_reps.txt')), 'basic training writes no key irreps');
    const basicCols = Object.keys(parseNumberCsv(readFileSync(join(basic, 'metrics.csv'), 'utf8'))[0]!);
    assert.ok(!basicCols.includes('percent_logits_explained'));
    r = cli(['eval', basic]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /checkpoints measured/);
    for (const f of FILES) assert.ok(readFileSync(join(full, f)).equals(readFileSync(join(basic, f))), `${f} differs`);

    // metrics.csv: one row per checkpoint on disk, every column of docs/measures.md in order
    const irreps = lines(join(full, 'irreps.txt'));
    assert.deepEqual(
      irreps,
      ['trivial', 'sign', 'sign_r', 'sign_rs', 'freq_1'].filter((n) => irreps.includes(n)),
    );
    assert.equal(irreps.length, 5, 'D4 has five real irreps');
    const rows = parseNumberCsv(readFileSync(join(full, 'metrics.csv'), 'utf8'));
    const ckpts = readdirSync(join(full, 'checkpoints'))
      .map((f) => Number(/epoch_(\d+)/.exec(f)![1]))
      .sort((a, b) => a - b);
    assert.deepEqual(
      rows.map((x) => x.epoch),
      ckpts,
    );
    assert.deepEqual(Object.keys(rows[0]!), ['epoch', ...measureColumns(irreps)]);

    // key irreps: similarity > 0.005 on the final model; totals are sums over them; the order is a permutation
    const s = JSON.parse(readFileSync(join(full, 'summary_metrics.json'), 'utf8')) as Record<string, number>;
    assert.equal(s.epoch, 399, 'the last epoch of 400 (docs/runs.md Epochs)');
    const key = lines(join(full, 'key_reps.txt'));
    assert.deepEqual(
      key,
      irreps.filter((n) => n !== 'trivial' && s[`logit_${n}_rep_trace_similarity`]! > 0.005),
    );
    assert.ok(key.length > 0, 'a trained D4 model has key irreps');
    assert.deepEqual([...lines(join(full, 'key_reps_in_order.txt'))].sort(), [...key].sort());
    for (const which of ['x_embed', 'y_embed', 'unembed']) {
      const sum = key.reduce((t, n) => t + s[`percent_${which}_${n}_rep`]!, 0);
      assert.ok(Math.abs(s[`percent_${which}_explained`]! - sum) < 1e-12, which);
    }
    for (const row of rows) {
      const sum = key.reduce((t, n) => t + row[`total_percent_hidden_${n}_rep`]!, 0);
      assert.ok(Math.abs(row.percent_hidden_explained! - sum) < 1e-12, `epoch ${row.epoch}: totals over the final key irreps`);
    }
    assert.ok(s.train_acc === 1, 'D4 is memorised in 400 epochs at lr 0.01');

    // --final keeps metrics.csv, rewrites the summary with the same values
    const before = readFileSync(join(basic, 'metrics.csv'));
    r = cli(['eval', basic, '--final', '--key-threshold', '0.9']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(readFileSync(join(basic, 'metrics.csv')).equals(before));
    assert.deepEqual(
      lines(join(basic, 'key_reps.txt')),
      irreps.filter((n) => n !== 'trivial' && s[`logit_${n}_rep_trace_similarity`]! > 0.9),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('train --measures full --checkpoints none keeps live rows and measures the final model', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gg-eval-'));
  try {
    const out = join(dir, 'run');
    const r = cli(['train', ...D4, '--measures', 'full', '--checkpoints', 'none', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!existsSync(join(out, 'checkpoints')));
    const rows = parseNumberCsv(readFileSync(join(out, 'metrics.csv'), 'utf8'));
    assert.ok(rows.length > 100, 'a row per log-spaced checkpoint epoch');
    assert.ok('logit_sign_rep_trace_similarity' in rows[0]!);
    for (const f of ['summary_metrics.json', 'key_reps.txt', 'key_reps_in_order.txt', 'irreps.txt']) assert.ok(existsSync(join(out, f)), f);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('eval refuses bad input with one line and exit 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gg-eval-'));
  try {
    const unfinished = join(dir, 'unfinished');
    // a run folder without model.safetensors: killed before its end
    let r = cli(['train', ...D4, '--epochs', '5', '--out', unfinished]);
    assert.equal(r.code, 0, r.stderr);
    rmSync(join(unfinished, 'model.safetensors'));
    const cases: [string[], RegExp][] = [
      [[], /eval needs a run folder/],
      [[join(dir, 'nope')], /run folder ".*nope" does not exist/],
      [[dir], /is not a run folder: it has no cfg.json/],
      [[unfinished], /has no model.safetensors: the run has not finished .*--resume/],
      [[unfinished, '--key-threshold', 'abc'], /--key-threshold "abc": expected a similarity/],
      [[unfinished, '--order-threshold', '2'], /--order-threshold "2": expected a similarity/],
      [[unfinished, '--bogus'], /unknown option "--bogus" for eval/],
      [[unfinished, unfinished], /eval takes one run folder, got 2/],
    ];
    for (const [args, re] of cases) {
      r = cli(['eval', ...args]);
      assert.equal(r.code, 2, `${args.join(' ')}: exit ${r.code} ${r.stderr}`);
      assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, re);
    }
    assert.ok(!existsSync(join(unfinished, 'summary_metrics.json')) || !existsSync(join(unfinished, 'key_reps.txt')), 'nothing written');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
