// Spawns the built CLI (`npm test` builds first): node bin/grokgroups.js report ...
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../src/runs/package-root.js';
import { writeFixtureSweep } from '../sweeps/fixtures.js';

const BIN = join(packageRoot(), 'bin', 'grokgroups.js');

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, 'report', ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('report DIR writes every table as CSV, Markdown and LaTeX and prints Markdown; unfinished runs are named', () => {
  const root = mkdtempSync(join(tmpdir(), 'gg-report-cli-'));
  try {
    writeFixtureSweep(root);
    const r = cli([root]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /report: 1 unfinished run left out: S5_MLP_seed3/);
    assert.match(r.stdout, /### MLP: per group and seed/);
    assert.match(r.stdout, /\| S5 \| 1 \| sign, standard \| 2\.94e-6 \|/);
    const files = readdirSync(join(root, 'report'))
      .filter((f) => f !== 'figures')
      .sort();
    const ids = ['cells', 'key_irrep_counts', 'key_irreps', 'mlp_all', 'mlp_avg', 'transformer_all', 'transformer_avg'];
    assert.deepEqual(files, ids.flatMap((id) => [`${id}.csv`, `${id}.md`, `${id}.tex`]).sort());
    const tex = readFileSync(join(root, 'report', 'mlp_all.tex'), 'utf8');
    assert.match(tex, /\\begin\{tabular\}\{c{13}\}/);
    assert.match(tex, /\$S_\{5\}\$ & 1 & sign, standard & 2\.94e-6 & 7\.59 & 7\.10e-7 & 84\.80\\% & 100\.00\\%/);
    assert.match(readFileSync(join(root, 'report', 'mlp_avg.csv'), 'utf8'), /^Group,Runs,Grokked,Test Loss,/);
    // Running it again reads the same runs (the report folder is not a run).
    const again = cli([root, '--format', 'csv', '--no-save', '--seeds', '2']);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /^# mlp_all\nGroup,Seed,Key Irreps,/);
    assert.match(again.stdout, /S5,2,"sign, standard, s5_5d_a",0\.00001,/);
    assert.doesNotMatch(again.stdout, /^S5,1,"sign, standard"/m, 'seed 1 left out');
    const latex = cli([root, '--format', 'latex', '--no-save']);
    assert.match(latex.stdout, /% mlp_all\n% MLP: per group and seed\n\\begin\{tabular\}/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('report DIR draws the figures across seeds of each cell into DIR/report/figures; --no-figures does not', () => {
  const root = mkdtempSync(join(tmpdir(), 'gg-report-cli-'));
  try {
    writeFixtureSweep(root);
    const r = cli([root, '--seeds', '1-2']);
    assert.equal(r.code, 0, r.stderr);
    const figs = readdirSync(join(root, 'report', 'figures')).sort();
    // S5_MLP (seeds 1, 2) and S5_T have key irreps: curves, frequency, counts; C5 and the width run (basic): curves only;
    // no run has the similarity columns, so no mean_logit_similarity or key_rep_learning_order
    const curves = (c: string) => [`${c}_grokking_acc.svg`, `${c}_grokking_loss.svg`];
    const keys = (c: string) => [`${c}_key_rep_frequency.svg`, `${c}_num_key_reps.svg`];
    assert.deepEqual(
      figs,
      [...curves('C5_MLP'), ...curves('S5_MLP'), ...keys('S5_MLP'), ...curves('S5_MLP_hidden_dim_32'), ...curves('S5_T'), ...keys('S5_T')].sort(),
    );
    assert.match(r.stderr, new RegExp(`report: ${figs.length} figures across seeds written to .*figures`));
    // the S5_MLP frequency counts both seeds' irreps: sign and standard in 2 runs, s5_5d_a in 1
    const freq = readFileSync(join(root, 'report', 'figures', 'S5_MLP_key_rep_frequency.svg'), 'utf8');
    assert.match(freq, />runs with it as a key irrep \(of 2\)<\/text>/);
    assert.match(freq, />1<\/text>\s*<text[^>]*>s5_5d_a<\/text>/);
    assert.match(readFileSync(join(root, 'report', 'figures', 'S5_T_key_rep_frequency.svg'), 'utf8'), /\(of 1\)/);
    // the median curves are over both seeds' runs
    const acc = readFileSync(join(root, 'report', 'figures', 'S5_MLP_grokking_acc.svg'), 'utf8');
    assert.match(acc, />test accuracy, each of 2 runs<\/text>/);
    assert.match(acc, />median test accuracy<\/text>/);
    rmSync(join(root, 'report'), { recursive: true });
    const none = cli([root, '--no-figures']);
    assert.equal(none.code, 0, none.stderr);
    assert.ok(!existsSync(join(root, 'report', 'figures')));
    assert.ok(existsSync(join(root, 'report', 'mlp_all.md')));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('report refuses bad input with exit 2 and one line', () => {
  const root = mkdtempSync(join(tmpdir(), 'gg-report-cli-'));
  try {
    mkdirSync(join(root, 'empty'));
    const cases: [string[], RegExp][] = [
      [[], /report takes one folder DIR/],
      [[join(root, 'missing')], /not a folder; expected a sweep's --out folder/],
      [[join(root, 'empty')], /no finished run folders \(with summary_metrics\.json\)/],
      [[join(root, 'empty'), '--format', 'pdf'], /--format "pdf": expected one of md, csv, latex/],
      [[join(root, 'empty'), '--bogus'], /unknown option "--bogus"/],
    ];
    for (const [args, re] of cases) {
      const r = cli(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, re);
    }
    assert.ok(!existsSync(join(root, 'empty', 'report')));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
