import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rdbu } from '../../src/figures/svg/colormap.js';
import { embeddedImages, pixel } from '../figures/png-pixels.js';
import { packageRoot } from '../../src/runs/package-root.js';

const root = packageRoot();

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'grokgroups.js'), ...args], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tmp = mkdtempSync(join(tmpdir(), 'grokgroups-analyze-'));
const run = join(tmp, 'tiny');
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

// a short run of the tiny preset (S4 MLP, h 64): enough to have a model, checkpoints and metrics. The run's own
// losses come from float32 logits, ours from float64: they agree to ~1e-8 relative.
const trained = cli('train', '--preset', 'tiny', '--epochs', '300', '--threads', '1', '--out', run);

interface Doc {
  meta: { keyReps: string[]; keyRepsSource: string; epoch: number | null; h: number; losses: { train: number; test: number; all: number } };
  logitAttribution: { similarity: Record<string, number>; percentExplained: number };
  embeddings: { irreps: { name: string; x: number; y: number; unembed: number }[] };
  neurons: { dead: number[]; unaccounted: number[]; clusters: { irrep: string; neurons: number[] }[] };
  rhoExtraction: { irrep: string; rank: number; changeOfBasis: number[][] }[];
  fourier: { neurons: unknown[] };
  cosets: { subgroups: unknown[]; neurons: unknown[] };
}
const read = (name: string) => JSON.parse(readFileSync(join(run, name), 'utf8')) as Doc;
const close = (a: number, b: number, tol = 1e-6) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));

test('grokgroups analyze RUN writes analysis.json and analysis.md whose numbers agree with the run', () => {
  assert.equal(trained.code, 0, trained.stderr);
  const r = cli('analyze', run);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /analysis\.\{json,md\}: S4 mlp/);
  const doc = read('analysis.json');
  const summary = JSON.parse(readFileSync(join(run, 'summary_metrics.json'), 'utf8')) as Record<string, number>;
  assert.ok(close(doc.meta.losses.all, summary.all_loss!), `${doc.meta.losses.all} vs ${summary.all_loss}`);
  assert.ok(close(doc.meta.losses.test, summary.test_loss!));
  assert.equal(doc.meta.epoch, null);
  const sims = Object.values(doc.logitAttribution.similarity);
  assert.equal(sims.length, 4); // S4's non-trivial irreps
  assert.ok(
    close(
      doc.logitAttribution.percentExplained,
      sims.reduce((s, x) => s + x * x, 0),
    ),
  );
  // key reps computed from this model: the irreps with similarity > 0.005
  assert.deepEqual(
    doc.meta.keyReps,
    Object.entries(doc.logitAttribution.similarity)
      .filter(([, s]) => s > 0.005)
      .map(([n]) => n),
  );
  for (const k of ['x', 'y', 'unembed'] as const)
    assert.ok(
      close(
        doc.embeddings.irreps.reduce((s, r) => s + r[k], 0),
        1,
        1e-9,
      ),
    );
  const placed = new Set([...doc.neurons.dead, ...doc.neurons.unaccounted, ...doc.neurons.clusters.flatMap((c) => c.neurons)]);
  assert.equal(placed.size, doc.meta.h);
  assert.equal(doc.fourier.neurons.length, 64);
  assert.equal(doc.cosets.subgroups.length, 30);
  const md = readFileSync(join(run, 'analysis.md'), 'utf8');
  assert.match(md, /^# Analysis of /);
  assert.ok(md.includes('## 8. The coset view'));
  // the run's figures, the model ones from this analysis, drawn into RUN/figures and shown in analysis.md
  const figs = readdirSync(join(run, 'figures'));
  const want = [
    'grokking_loss',
    'logit_cubes',
    'blocky_sign_neurons',
    ...doc.meta.keyReps.flatMap((k) => [`hidden_to_${k}_rep_change_of_basis`, `unembedding_matrix_in_${k}_rep_basis`]),
  ];
  assert.ok(doc.meta.keyReps.length > 0 && doc.neurons.clusters.some((c) => c.irrep === 'sign' && c.neurons.length > 0));
  for (const f of want) assert.ok(figs.includes(`${f}.svg`), f);
  const links = [...md.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]!);
  assert.deepEqual(links.slice().sort(), figs.map((f) => `figures/${f}`).sort());
  assert.ok(md.indexOf('(figures/hidden_to_') > md.indexOf('## 5. Explicit extraction') && md.indexOf('(figures/hidden_to_') < md.indexOf('## 6.'));
  assert.match(r.stdout, new RegExp(`${figs.length} figures in .*figures, \\d+ skipped`));
});

test("grokgroups figures on a trained run draws each key irrep's change of basis as analyze computes it", () => {
  assert.equal(trained.code, 0, trained.stderr);
  const out = join(tmp, 'figs');
  const r = cli('figures', run, '--out', out);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stdout, /skipped (blocky|hidden_to|unembedding)/);
  const doc = read('analysis.json'); // the first test's analysis of the final model, key reps by the same rule
  assert.ok(existsSync(join(out, 'blocky_sign_neurons.svg')));
  for (const e of doc.rhoExtraction) {
    assert.ok(existsSync(join(out, `unembedding_matrix_in_${e.irrep}_rep_basis.svg`)), e.irrep);
    const [img] = embeddedImages(readFileSync(join(out, `hidden_to_${e.irrep}_rep_change_of_basis.svg`), 'utf8'));
    assert.deepEqual([img!.height, img!.width], [e.rank, doc.meta.h]);
    const max = Math.max(...e.changeOfBasis.flat().map(Math.abs));
    for (let k = 0; k < e.rank; k++)
      for (let j = 0; j < doc.meta.h; j++) assert.deepEqual(pixel(img!, j, k), rdbu(e.changeOfBasis[k]![j]! / max), `${e.irrep} (${k}, ${j})`);
  }
});

test('grokgroups analyze --epoch E analyses that checkpoint into analysis_epoch_E.*; --key-reps sets K', () => {
  assert.equal(trained.code, 0, trained.stderr);
  const r = cli('analyze', run, '--epoch', '0', '--key-reps', 'sign,standard');
  assert.equal(r.code, 0, r.stderr);
  const doc = read('analysis_epoch_0.json');
  assert.equal(doc.meta.epoch, 0);
  assert.deepEqual(doc.meta.keyReps, ['sign', 'standard']);
  assert.equal(doc.meta.keyRepsSource, '--key-reps');
  const metrics = readFileSync(join(run, 'metrics.csv'), 'utf8').trim().split('\n');
  const head = metrics[0]!.split(',');
  const row0 = metrics[1]!.split(',');
  assert.equal(row0[head.indexOf('epoch')], '0');
  assert.ok(close(doc.meta.losses.all, Number(row0[head.indexOf('all_loss')])));
  // that checkpoint's figures, curves up to epoch 0, in RUN/figures/epoch_0
  for (const f of ['logit_cubes', 'hidden_to_sign_rep_change_of_basis', 'unembedding_matrix_in_standard_rep_basis', 'grokking_loss'])
    assert.ok(existsSync(join(run, 'figures', 'epoch_0', `${f}.svg`)), f);
  assert.ok(readFileSync(join(run, 'analysis_epoch_0.md'), 'utf8').includes('](figures/epoch_0/hidden_to_sign_rep_change_of_basis.svg)'));
});

test('grokgroups analyze --no-figures draws nothing and shows the figures already there', () => {
  assert.equal(trained.code, 0, trained.stderr);
  const dir = join(run, 'figures', 'epoch_0');
  rmSync(join(dir, 'blocky_sign_neurons.svg'), { force: true });
  const before = readdirSync(dir).sort();
  const r = cli('analyze', run, '--epoch', '0', '--no-figures');
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(readdirSync(dir).sort(), before);
  const md = readFileSync(join(run, 'analysis_epoch_0.md'), 'utf8');
  assert.ok(md.includes('](figures/epoch_0/logit_cubes.svg)'));
  assert.ok(!md.includes('blocky_sign_neurons'));
  assert.doesNotMatch(r.stdout, /figures in/);
});

test('grokgroups analyze: usage errors are one line naming the bad value, exit 2', () => {
  const cases: [string[], RegExp][] = [
    [[join(tmp, 'nope')], /run folder ".*nope" does not exist/],
    [
      [run, '--epoch', '12345'],
      /--epoch 12345: .* has no checkpoints\/epoch_12345\.safetensors; it has checkpoints from 0 to 299 \(\d+\), nearest 299/,
    ],
    [[run, '--epoch', 'x'], /--epoch "x": expected an epoch/],
    [[run, '--coset-threshold', '2'], /--coset-threshold "2": expected a share 0 < X <= 1/],
    [[run, '--dead-threshold=-1'], /--dead-threshold "-1": expected a number >= 0/],
    [[run, '--dead-threshold', '-1'], /--dead-threshold "-1": expected a number >= 0/],
    [[run, '--epoch'], /option "--epoch" for analyze needs a value/],
    [[run, '--key-reps', 'sign,bogus'], /--key-reps: "bogus" is not a non-trivial irrep of S4: expected sign, standard/],
    [[run, '--frobnicate'], /unknown option "--frobnicate" for analyze/],
    [[], /analyze needs a run folder/],
  ];
  for (const [args, re] of cases) {
    const r = cli('analyze', ...args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
  const h = cli('analyze', '--help');
  assert.equal(h.code, 0);
  for (const o of [
    '--no-figures',
    '--epoch',
    '--key-reps',
    '--dead-threshold',
    '--assign-threshold',
    '--dead-hidden-threshold',
    '--coset-threshold',
    '--coset-max-order',
  ])
    assert.ok(h.stdout.includes(o), o);
});
