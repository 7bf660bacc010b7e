import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../src/runs/package-root.js';
import { fixtures } from '../figures/snapshot.js';
import { Rng } from '../../src/linalg/rng.js';
import { writeSafetensors } from '../../src/runs/safetensors.js';

/** A run folder with a random S3 MLP (d_e 4, h 8): cfg.json, split.json, model.safetensors, log.csv. */
function modelRun(dir: string, keyReps?: string[]): void {
  mkdirSync(dir, { recursive: true });
  const rng = new Rng(3);
  const t = (name: string, shape: number[]) => ({ name, shape, data: Float32Array.from({ length: shape[0]! * shape[1]! }, () => rng.normal()) });
  writeSafetensors(join(dir, 'model.safetensors'), [t('W_x', [6, 4]), t('W_y', [6, 4]), t('W', [8, 8]), t('W_U', [8, 6])]);
  writeFileSync(join(dir, 'cfg.json'), JSON.stringify({ group_name: 'S3', model: 'OneLayerMLP', layers: { embed_dim: 4, hidden_dim: 8 } }));
  writeFileSync(
    join(dir, 'split.json'),
    JSON.stringify({ train: Array.from({ length: 20 }, (_, i) => i), test: Array.from({ length: 16 }, (_, i) => 20 + i) }),
  );
  writeFileSync(join(dir, 'log.csv'), 'epoch,train_loss,test_loss,train_acc,test_acc\n0,2,2,0.1,0.1\n100,1,1.5,0.5,0.2\n');
  if (keyReps) writeFileSync(join(dir, 'key_reps.txt'), keyReps.join('\n') + '\n');
}

const root = packageRoot();

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'grokgroups.js'), ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('grokgroups figures RUN --out DIR --format svg,png,pdf writes every figure in each format', () => {
  const out = mkdtempSync(join(tmpdir(), 'figures-cli-'));
  try {
    const r = cli('figures', join(fixtures, 'S4_MLP_seed1'), '--out', out, '--format', 'svg,png,pdf', '--trim', '2500', '--phase-lines', '200,1400');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout.trimEnd().split('\n').pop()!, /^17 figures \(svg, png, pdf\)$/);
    const files = readdirSync(out).sort();
    assert.equal(files.length, 51);
    for (const name of ['grokking_loss', 'logit_similarity', 'total_excluded_and_restricted_loss', 'hidden_restricted_loss_by_rep']) {
      assert.ok(files.includes(`${name}.svg`) && files.includes(`${name}.png`) && files.includes(`${name}.pdf`), name);
      assert.equal(readFileSync(join(out, `${name}.pdf`)).toString('latin1', 0, 5), '%PDF-');
      assert.equal(readFileSync(join(out, `${name}.png`)).toString('latin1', 1, 4), 'PNG');
    }
    // the SVG written is the snapshot (same options as test/figures/snapshots.test.ts)
    assert.equal(
      readFileSync(join(out, 'logit_similarity.svg'), 'utf8'),
      readFileSync(join(fixtures, 'expected', 'run', 'logit_similarity.svg'), 'utf8'),
    );
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test("grokgroups figures with several runs: across-run figures in <parent>/figures, each run's in RUN/figures", () => {
  const dir = mkdtempSync(join(tmpdir(), 'figures-cli-'));
  try {
    for (const s of [1, 2]) cpSync(join(fixtures, `S4_MLP_seed${s}`), join(dir, `S4_MLP_seed${s}`), { recursive: true });
    const r = cli('figures', join(dir, 'S4_MLP_seed1'), join(dir, 'S4_MLP_seed2'));
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readdirSync(join(dir, 'figures')).sort(), [
      'grokking_acc.svg',
      'grokking_loss.svg',
      'key_rep_frequency.svg',
      'key_rep_learning_order.svg',
      'mean_logit_similarity.svg',
      'num_key_reps.svg',
    ]);
    for (const s of [1, 2]) assert.ok(existsSync(join(dir, `S4_MLP_seed${s}`, 'figures', 'percent_hidden_xy.svg')));
    assert.match(r.stdout, /^40 figures \(svg\)$/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('grokgroups figures on a run with basic measures draws what it can and names what it skipped', () => {
  const dir = mkdtempSync(join(tmpdir(), 'figures-cli-'));
  try {
    const run = join(dir, 'basic');
    mkdirSync(run);
    writeFileSync(
      join(run, 'metrics.csv'),
      ',epoch,train_loss,test_loss,train_acc,test_acc,all_loss,sum_of_squared_weights\n0,0,3,3.1,0,0,3,480\n1,1,2,3.2,0.5,0,2.6,490\n2,9,0.1,3,1,0.2,1.5,700\n',
    );
    const r = cli('figures', run);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readdirSync(join(run, 'figures')).sort(), ['grokking_acc.svg', 'grokking_loss.svg', 'sum_of_squared_weights.svg']);
    assert.match(r.stdout, /^basic: skipped logit_similarity: metrics.csv lacks its columns \(train with --measures full\)$/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('grokgroups figures: bad input is one line on stderr naming it, exit 2, nothing written', () => {
  const run = join(fixtures, 'S4_MLP_seed1');
  const cases: [string[], RegExp][] = [
    [[], /needs at least one run folder/],
    [[run, '--format', 'jpg'], /--format "jpg" is not a figure format: expected svg, png, pdf/],
    [[run, '--trim', 'abc'], /--trim "abc" is not an epoch/],
    [[run, '--phase-lines', '2000,x'], /--phase-lines value "x" is not an epoch/],
    [[run, '--colour', 'red'], /unknown option "--colour"/],
    [[join(fixtures, 'no_such_run')], /run folder ".*no_such_run" does not exist/],
    [[fixtures], /has no metrics.csv or log.csv rows/],
  ];
  for (const [args, re] of cases) {
    const r = cli('figures', ...args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, re);
  }
  assert.ok(!existsSync(join(run, 'figures')));
});

test('grokgroups figures on a run with a model draws the logit cube slices and the analysis maps of its key irreps', () => {
  const dir = mkdtempSync(join(tmpdir(), 'figures-cli-'));
  try {
    modelRun(join(dir, 'withkeys'), ['standard']);
    let r = cli('figures', join(dir, 'withkeys'));
    assert.equal(r.code, 0, r.stderr);
    const svg = readFileSync(join(dir, 'withkeys', 'figures', 'logit_cubes.svg'), 'utf8');
    assert.equal([...svg.matchAll(/<image /g)].length, 2, 'observed + standard');
    assert.match(svg, />standard<\/text>/);
    for (const f of ['hidden_to_standard_rep_change_of_basis', 'unembedding_matrix_in_standard_rep_basis'])
      assert.ok(existsSync(join(dir, 'withkeys', 'figures', `${f}.svg`)), f);
    // without key_reps.txt the key irreps come from the model's logits (similarity > 0.005)
    modelRun(join(dir, 'nokeys'));
    r = cli('figures', join(dir, 'nokeys'));
    assert.equal(r.code, 0, r.stderr);
    assert.ok(existsSync(join(dir, 'nokeys', 'figures', 'logit_cubes.svg')));
    assert.match(r.stdout, /^nokeys: skipped logit_similarity: the run has no metrics.csv rows$/m);
    assert.match(r.stdout, /^nokeys: skipped hidden_to_<irrep>_rep_change_of_basis: the run has no key irreps$/m);
    assert.doesNotMatch(r.stdout, /needs the neuron analysis/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
