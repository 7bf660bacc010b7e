import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildReport } from '../../src/sweeps/report.js';
import { readSweepRecords } from '../../src/sweeps/run-record.js';
import { toCsv, toLatex, toMarkdown, type Table } from '../../src/sweeps/table.js';
import { writeFixtureSweep } from './fixtures.js';

function table(ts: Table[], id: string): Table {
  const t = ts.find((x) => x.id === id);
  assert.ok(t, `no table ${id} in ${ts.map((x) => x.id).join(', ')}`);
  return t;
}

test('readSweepRecords + buildReport: the per-seed, average, key-irrep and cells tables of a fixture sweep', () => {
  const root = mkdtempSync(join(tmpdir(), 'gg-report-'));
  try {
    writeFixtureSweep(root);
    const rec = readSweepRecords(root);
    assert.deepEqual(rec.unfinished, ['S5_MLP_seed3']);
    assert.deepEqual(rec.runs.map((r) => r.name).sort(), [
      'C5_MLP_seed1',
      'S5_MLP_hidden_dim_32_seed1',
      'S5_MLP_seed1',
      'S5_MLP_seed2',
      'S5_T_seed1',
    ]);
    const s2 = rec.runs.find((r) => r.name === 'S5_MLP_seed2')!;
    assert.equal(s2.grokEpoch, 300, 'first checkpoint (in epoch order) with test_acc > 0.99');
    assert.deepEqual(s2.keyReps, ['sign', 'standard', 's5_5d_a']);
    const ts = buildReport(rec.runs);
    assert.deepEqual(
      ts.map((t) => t.id),
      ['mlp_all', 'transformer_all', 'mlp_avg', 'transformer_avg', 'key_irreps', 'key_irrep_counts', 'cells'],
    );

    const all = table(ts, 'mlp_all');
    assert.deepEqual(
      all.rows.map((r) => `${r.group} ${r.seed}`),
      ['C5 1', 'S5 1', 'S5 2'],
      'no width run; cyclic before symmetric; by seed',
    );
    const md = toMarkdown(all);
    assert.match(
      md,
      /\| Group \| Seed \| Key Irreps \| Test Loss \| Exc\. Loss \| Res\. Loss \| Logit FVE \| W_a FVE \| W_b FVE \| W_U FVE \| MLP FVE \| MLP ρ\(ab\) FVE \| Grok Epoch \|/,
    );
    assert.match(
      md,
      /\| S5 \| 1 \| sign, standard \| 2\.94e-6 \| 7\.59 \| 7\.10e-7 \| 84\.80% \| 100\.00% \| 99\.00% \| 94\.00% \| 88\.90% \| 13\.00% \| 200 \|/,
    );
    assert.match(md, /\| S5 \| 2 \| sign, standard, s5_5d_a \| 1\.00e-5 \| 10\.41 \|/);
    assert.match(
      md,
      /\| C5 \| 1 \| n\/a \| 5\.00e-1 \| n\/a \| n\/a \| n\/a \| n\/a \| n\/a \| n\/a \| n\/a \| n\/a \| 10 \|/,
      'a basic-measures run: n/a for what it lacks',
    );

    const t = table(ts, 'transformer_all');
    assert.ok(t.columns.some((c) => c.title === 'W_E FVE') && !t.columns.some((c) => c.title === 'W_b FVE'));
    assert.equal(t.rows[0]!.key_irreps, 'sign, standard_sign');

    const avg = table(ts, 'mlp_avg');
    const s5 = avg.rows.find((r) => r.group === 'S5')!;
    assert.equal(s5.runs, 2);
    assert.equal(s5.grokked, '2/2');
    assert.ok(Math.abs((s5.percent_x_embed_explained as number) - 0.995) < 1e-12);
    assert.ok(Math.abs((s5.total_hidden_excluded_loss as number) - 9) < 1e-12);
    assert.equal(s5.grok_epoch, 250);
    assert.ok(
      !avg.columns.some((c) => c.key === 'key_irreps' || c.key === 'percent_logits_explained'),
      'as the paper: no key irreps or logit FVE in the averages',
    );
    const c5 = avg.rows.find((r) => r.group === 'C5')!;
    assert.equal(c5.percent_hidden_explained, null);

    const freq = table(ts, 'key_irreps').rows.filter((r) => r.group === 'S5' && r.arch === 'MLP');
    assert.deepEqual(
      freq.map((r) => [r.irrep, r.key_in, r.first]),
      [
        ['sign', 2, 2],
        ['standard', 2, 0],
        ['s5_5d_a', 1, 0],
      ],
    );
    const counts = table(ts, 'key_irrep_counts').rows.filter((r) => r.group === 'S5' && r.arch === 'MLP');
    assert.deepEqual(
      counts.map((r) => [r.k, r.n]),
      [
        [2, 1],
        [3, 1],
      ],
    );
    const c5k = table(ts, 'key_irreps').rows.find((r) => r.group === 'C5')!;
    assert.equal(c5k.irrep, null, 'no key-irrep files: n/a');

    const cells = table(ts, 'cells');
    const width = cells.rows.find((r) => r.cell === 'S5_MLP_hidden_dim_32')!;
    assert.deepEqual([width.hidden, width.grokked, width.grok_epoch, width.seeds], [32, '0/1', 'never', '1']);
    const main = cells.rows.find((r) => r.cell === 'S5_MLP')!;
    assert.deepEqual([main.grokked, main.grok_epoch, main.seeds], ['2/2', 250, '1-2']);

    const tex = toLatex(all, (k, v, f) => (k === 'group' ? `$${String(v)[0]}_{${String(v).slice(1)}}$` : f.replace(/%/g, '\\%')));
    assert.match(tex, /\$W_a\$ FVE & \$W_b\$ FVE/);
    assert.match(tex, /\$S_\{5\}\$ & 1 & sign, standard & 2\.94e-6 & 7\.59 & 7\.10e-7 & 84\.80\\% /);
    const csv = toCsv(all).split('\n');
    assert.equal(csv[0], 'Group,Seed,Key Irreps,Test Loss,Exc. Loss,Res. Loss,Logit FVE,W_a FVE,W_b FVE,W_U FVE,MLP FVE,MLP ρ(ab) FVE,Grok Epoch');
    assert.equal(csv[2], 'S5,1,"sign, standard",0.00000294,7.59,7.1e-7,0.848,1,0.99,0.94,0.889,0.13,200', 'CSV: full precision');
    assert.equal(csv[1], 'C5,1,n/a,0.5,n/a,n/a,n/a,n/a,n/a,n/a,n/a,n/a,10');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
