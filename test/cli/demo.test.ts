// `grokgroups demo` (npm start): train tiny with full measures, analyse, draw; a second call reuses the run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../src/runs/package-root.js';

const BIN = join(packageRoot(), 'bin', 'grokgroups.js');

test('demo trains the tiny preset to grokking with every measure, analyses it, draws it, and says where', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gg-demo-'));
  try {
    const out = join(dir, 'demo');
    const r = spawnSync(process.execPath, [BIN, 'demo', '--out', out], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const s = JSON.parse(readFileSync(join(out, 'summary_metrics.json'), 'utf8')) as Record<string, number>;
    assert.ok(s.test_acc! > 0.99, `tiny groks: test_acc ${s.test_acc}`);
    assert.ok(s.percent_logits_explained! > 0.3, 'the logits are largely explained by the key irreps');
    assert.ok(readFileSync(join(out, 'key_reps_in_order.txt'), 'utf8').trim().length > 0);
    const md = readFileSync(join(out, 'analysis.md'), 'utf8');
    assert.match(md, /standard/);
    assert.ok(md.includes('](figures/logit_similarity.svg)') && md.includes('](figures/hidden_to_standard_rep_change_of_basis.svg)'));
    const svgs = readdirSync(join(out, 'figures')).filter((f) => f.endsWith('.svg'));
    for (const f of ['grokking_acc.svg', 'logit_similarity.svg', 'logit_cubes.svg']) assert.ok(svgs.includes(f), f);
    assert.match(r.stdout, new RegExp(`report: +${join(out, 'analysis.md').replace(/[.\\/]/g, '\\$&')}`));
    // again: the finished run is continued (nothing to train) and the reports redone
    const again = spawnSync(process.execPath, [BIN, 'demo', '--out', out], { encoding: 'utf8' });
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stderr, /resuming at epoch 3000/);
    assert.ok(existsSync(join(out, 'analysis.json')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('demo refuses unknown options with one line and exit 2', () => {
  const r = spawnSync(process.execPath, [BIN, 'demo', '--bogus'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^grokgroups: unknown option "--bogus" for demo/);
  assert.equal(r.stderr.trimEnd().split('\n').length, 1);
});
