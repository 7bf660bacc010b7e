// python/grokgroups_torch.py (docs/python.md): the run folders of the built CLI, loaded into PyTorch, give our
// logits and hidden activations for every pair, with the original's class, parameter and hook names. Needs a
// python3 with torch (CI: Debian's python3-torch, installed by .ci/run); without one these tests fail, naming
// what to install.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseGroup } from '../../src/groups/parse.js';
import { modelView, type ModelView } from '../../src/measures/model-view.js';
import { BILINEAR_HOOKS, BILINEAR_PARAM_NAMES } from '../../src/models/bilinear.js';
import { MLP_HOOKS, MLP_PARAM_NAMES } from '../../src/models/mlp.js';
import { TRANSFORMER_HOOK_NAMES, isFrozenParam, transformerParamSpecs } from '../../src/models/transformer.js';
import { parseCfgObject } from '../../src/runs/config.js';
import { packageRoot } from '../../src/runs/package-root.js';
import { readSafetensors } from '../../src/runs/safetensors.js';
import type { NamedTensor } from '../../src/types/trainer.js';

const ROOT = packageRoot();
const BIN = join(ROOT, 'bin', 'grokgroups.js');
const LOADER = join(ROOT, 'python', 'grokgroups_torch.py');

/**
 * The interpreter: $GROKGROUPS_PYTHON if set, else the first of Debian's /usr/bin/python3 (where python3-torch
 * installs torch; a pyenv or venv python3 earlier on PATH does not see it) and python3 that imports torch.
 */
function findPython(): { python: string } | { missing: string } {
  const env = process.env.GROKGROUPS_PYTHON;
  const candidates = env ? [env] : ['/usr/bin/python3', 'python3'];
  const tried: string[] = [];
  for (const c of candidates) {
    const r = spawnSync(c, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
    if (r.status === 0) return { python: c };
    tried.push(`${c}: ${r.error ? r.error.message : (r.stderr ?? '').trim().split('\n').pop()}`);
  }
  return {
    missing:
      `test/python needs a python3 with torch, and none was found (${tried.join('; ')}). ` +
      `Install it: apt-get install -y python3-torch (Debian; .ci/run does this), or pip install torch; ` +
      `or point GROKGROUPS_PYTHON at an interpreter that has it.`,
  };
}
const found = findPython();

function python(): string {
  if ('missing' in found) assert.fail(found.missing);
  return found.python;
}

function cli(args: string[]): void {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: ROOT });
  assert.equal(r.status, 0, `grokgroups ${args.join(' ')}: ${r.stderr}`);
}

function train(dir: string, name: string, args: string[]): string {
  const out = join(dir, name);
  cli(['train', ...args, '--threads', '1', '--measures', 'basic', '--out', out]);
  return out;
}

interface Dump {
  model: string;
  group_name: string;
  N: number;
  epoch: number;
  step: number;
  dtype: string;
  parameters: Record<string, number[]>;
  frozen: string[];
  hooks: string[];
  logits_shape: number[];
  logits: number[];
  hidden_shape: number[];
  hidden: number[];
  train_loss?: number;
  test_loss?: number;
  train_acc?: number;
  test_acc?: number;
}

function runLoader(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(python(), [LOADER, ...args], { encoding: 'utf8', cwd: ROOT, maxBuffer: 1 << 28 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function dump(run: string, ...args: string[]): Dump {
  const r = runLoader([run, '--dump', '-', ...args]);
  assert.equal(r.code, 0, `grokgroups_torch.py ${run} ${args.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout) as Dump;
}

/** Our float64 view of the run's model.safetensors (or checkpoint `file`), and the file's tensor names and shapes. */
function view(run: string, file = 'model.safetensors'): { v: ModelView; names: Record<string, number[]>; N: number } {
  const cfg = parseCfgObject(JSON.parse(readFileSync(join(run, 'cfg.json'), 'utf8')), 'cfg.json', 'cfg');
  const N = parseGroup(cfg.group!).order;
  const saved = readSafetensors(join(run, file));
  const params: NamedTensor[] = saved.tensors.map((t) => ({ name: t.name, shape: t.shape, data: Float32Array.from(t.data) }));
  const names = Object.fromEntries(saved.tensors.map((t) => [t.name, t.shape]));
  return { v: modelView(cfg.model!, params, N), names, N };
}

/** test/python/hooks_check.py on the run, with the group JSON of `grokgroups irreps G --json` written into dir. */
function hooksCheck(dir: string, run: string, group: string): Record<string, unknown> {
  const g = spawnSync(process.execPath, [BIN, 'irreps', group, '--json'], { encoding: 'utf8', cwd: ROOT });
  assert.equal(g.status, 0, g.stderr);
  const file = join(dir, `${group}.json`);
  writeFileSync(file, g.stdout);
  const r = spawnSync(python(), [join(ROOT, 'test', 'python', 'hooks_check.py'), run, file], { encoding: 'utf8', cwd: ROOT });
  assert.equal(r.status, 0, `hooks_check.py ${run}: ${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

/** The run's split sizes and final accuracies from split.json and summary_metrics.json. */
function runFacts(run: string): { sizes: number[]; train_acc: number; test_acc: number } {
  const split = JSON.parse(readFileSync(join(run, 'split.json'), 'utf8')) as { train: number[]; test: number[] };
  const s = JSON.parse(readFileSync(join(run, 'summary_metrics.json'), 'utf8')) as Record<string, number>;
  return { sizes: [split.train.length, split.test.length], train_acc: s.train_acc!, test_acc: s.test_acc! };
}

/** max |x − y| over two equally long arrays, and max |y|. */
function maxDiff(x: readonly number[], y: Float64Array): { diff: number; scale: number } {
  assert.equal(x.length, y.length, 'lengths');
  let diff = 0,
    scale = 0;
  for (let i = 0; i < y.length; i++) {
    diff = Math.max(diff, Math.abs(x[i]! - y[i]!));
    scale = Math.max(scale, Math.abs(y[i]!));
  }
  assert.ok(Number.isFinite(diff), 'finite');
  return { diff, scale };
}

/**
 * The loader's logits and hidden layer against the view: float64 to rounding (1e-9 of the largest value),
 * float32 within 1e-4 absolute. Returns the float32 logit difference.
 */
function compare(run: string, v: ModelView, hiddenShape: number[], extra: string[] = [], label = run): number {
  const N = v.N;
  const f64 = dump(run, '--dtype', 'float64', ...extra);
  const f32 = dump(run, ...extra);
  assert.equal(f64.dtype, 'float64');
  assert.equal(f32.dtype, 'float32');
  let f32Logits = 0;
  for (const d of [f64, f32]) {
    assert.deepEqual(d.logits_shape, [N * N, N]);
    assert.deepEqual(d.hidden_shape, hiddenShape);
    const l = maxDiff(d.logits, v.logits);
    const h = maxDiff(d.hidden, v.hidden);
    assert.ok(l.scale > 0.1, `${label}: the logits are not all ~0 (max |logit| ${l.scale})`);
    const tol = d.dtype === 'float64' ? (s: number) => 1e-9 * Math.max(1, s) : () => 1e-4;
    assert.ok(l.diff <= tol(l.scale), `${label} ${d.dtype}: max |logit difference| ${l.diff} (max |logit| ${l.scale})`);
    assert.ok(h.diff <= tol(h.scale), `${label} ${d.dtype}: max |hidden difference| ${h.diff} (max |hidden| ${h.scale})`);
    console.log(
      `# ${label} ${d.dtype}: max |logit diff| ${l.diff.toExponential(2)} (max |logit| ${l.scale.toFixed(2)}), max |hidden diff| ${h.diff.toExponential(2)}`,
    );
    if (d.dtype === 'float32') f32Logits = l.diff;
  }
  return f32Logits;
}

test('MLP (tiny preset, S4): OneLayerMLP with W_x, W_y, W, W_U and hooks embed_stack, hidden gives our logits for all pairs; checkpoints; losses on the split', () => {
  python();
  const dir = mkdtempSync(join(tmpdir(), 'gg-python-'));
  try {
    const run = train(dir, 'mlp', ['--preset', 'tiny', '--epochs', '200']);
    const { v, names, N } = view(run);
    assert.equal(N, 24);
    compare(run, v, [N * N, 64]);
    const d = dump(run, '--builtin-reader');
    assert.equal(d.model, 'OneLayerMLP');
    assert.equal(d.group_name, 'S4');
    assert.equal(d.epoch, 199, 'model.safetensors is epoch E − 1');
    assert.equal(d.step, 200);
    assert.deepEqual(d.parameters, names, 'the state dict is the file: names and shapes');
    assert.deepEqual(Object.keys(d.parameters), [...MLP_PARAM_NAMES]);
    assert.deepEqual(d.hooks, [...MLP_HOOKS]);
    assert.deepEqual(d.frozen, []);

    // a checkpoint: --epoch E reads checkpoints/epoch_E.safetensors
    const c = view(run, join('checkpoints', 'epoch_7.safetensors'));
    compare(run, c.v, [N * N, 64], ['--epoch', '7'], `${run} epoch 7`);
    assert.equal(dump(run, '--epoch', '7').epoch, 7);
    const bad = runLoader([run, '--epoch', '100000']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /has no checkpoint of epoch 100000 \(available: 0, 1, 2, .*, 199 \(200 checkpoints\)\)/);

    // the group's table from `grokgroups irreps S4 --json`: losses and accuracies on split.json are the run's own
    const r = spawnSync(process.execPath, [BIN, 'irreps', 'S4', '--json'], { encoding: 'utf8', cwd: ROOT });
    assert.equal(r.status, 0, r.stderr);
    const groupFile = join(dir, 'S4.json');
    writeFileSync(groupFile, r.stdout);
    // (summary_metrics.json's losses are of float32 logits, so compare with the float32 model, to float32 rounding)
    const g = dump(run, '--group', groupFile);
    const s = JSON.parse(readFileSync(join(run, 'summary_metrics.json'), 'utf8')) as Record<string, number>;
    assert.equal(g.train_acc, s.train_acc);
    assert.equal(g.test_acc, s.test_acc);
    for (const k of ['train_loss', 'test_loss'] as const)
      assert.ok(Math.abs(g[k]! - s[k]!) <= 1e-5 * Math.max(1, s[k]!), `${k}: ${g[k]} vs summary_metrics.json ${s[k]}`);

    // the Python API: run_with_cache, run_with_hooks (replacing hidden zeroes the logits; hooks are reset after),
    // a plain register_forward_hook, x_embed/y_embed, generate_train_test_data, load_group
    const h = hooksCheck(dir, run, 'S4');
    const facts = runFacts(run);
    assert.equal(h.class, 'OneLayerMLP');
    assert.equal(h.cache_logits_equal, true);
    assert.deepEqual(h.cache_names, ['embed_stack', 'hidden']);
    assert.deepEqual(h.cache_shapes, { embed_stack: [N * N, 64], hidden: [N * N, 64] });
    assert.deepEqual(h.filtered_names, ['hidden']);
    assert.equal(h.hook_target, 'hidden');
    assert.equal(h.zeroed_max_abs, 0);
    assert.equal(h.after_reset_equal, true);
    assert.equal(h.forward_hook_name, 'embed_stack');
    assert.equal(h.forward_hook_equals_cache, true);
    assert.equal(h.embed_stack_is_concat, true);
    assert.deepEqual(h.x_embed_shape, [N, 64]);
    assert.ok((h.factored_max_diff as number) < 1e-4, `ReLU(x_embed[a] + y_embed[b]) W_U differs by ${String(h.factored_max_diff)}`);
    assert.deepEqual(h.split_sizes, facts.sizes);
    assert.equal(h.labels_are_table, true);
    assert.equal(h.train_acc, facts.train_acc);
    assert.equal(h.test_acc, facts.test_acc);
    assert.equal(h.inverses_ok, true);
    assert.deepEqual(
      h.labels,
      (JSON.parse(r.stdout) as { elements: { label: string }[] }).elements.map((e) => e.label),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('transformer (S3): TransformerLens names, hooks and frozen biases; logits and blocks.0.mlp.hook_post at the last position are ours', () => {
  python();
  const dir = mkdtempSync(join(tmpdir(), 'gg-python-'));
  try {
    const run = train(dir, 'tf', ['--group', 'S3', '--model', 'transformer', '--epochs', '60', '--frac-train', '0.5', '--seed', '2']);
    const { v, names, N } = view(run);
    assert.equal(N, 6);
    compare(run, v, [N * N, 512]);
    const d = dump(run);
    assert.equal(d.model, 'Transformer');
    assert.deepEqual(d.parameters, names);
    assert.deepEqual(
      Object.keys(d.parameters),
      transformerParamSpecs(N).map((p) => p.name),
    );
    assert.deepEqual([...d.hooks].sort(), [...TRANSFORMER_HOOK_NAMES].sort());
    assert.deepEqual(d.frozen, Object.keys(names).filter(isFrozenParam));
    assert.deepEqual(
      d.frozen,
      ['blocks.0.attn.b_Q', 'blocks.0.attn.b_K', 'blocks.0.attn.b_V', 'blocks.0.attn.b_O', 'blocks.0.mlp.b_in', 'blocks.0.mlp.b_out', 'unembed.b_U'],
      'every bias is frozen',
    );

    const h = hooksCheck(dir, run, 'S3');
    const facts = runFacts(run);
    assert.equal(h.class, 'Transformer');
    assert.equal(h.cache_logits_equal, true);
    assert.deepEqual(h.cache_names, [...TRANSFORMER_HOOK_NAMES].sort());
    const shapes = h.cache_shapes as Record<string, number[]>;
    assert.deepEqual(shapes['blocks.0.attn.hook_q'], [N * N, 3, 4, 32]);
    assert.deepEqual(shapes['blocks.0.attn.hook_pattern'], [N * N, 4, 3, 3]);
    assert.deepEqual(shapes['blocks.0.mlp.hook_post'], [N * N, 3, 512]);
    assert.deepEqual(shapes['blocks.0.hook_resid_post'], [N * N, 3, 128]);
    assert.deepEqual(h.filtered_names, ['blocks.0.mlp.hook_post']);
    assert.equal(h.after_reset_equal, true);
    assert.equal(h.forward_hook_name, 'hook_embed');
    assert.equal(h.forward_hook_equals_cache, true);
    assert.equal(h.pattern_future_max, 0, 'causal: no query attends to a later key');
    assert.ok((h.pattern_row_sum_err as number) < 1e-6);
    assert.deepEqual(h.split_sizes, facts.sizes);
    assert.equal(h.train_acc, facts.train_acc);
    assert.equal(h.test_acc, facts.test_acc);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bilinear net (C5): BilinearNet with W_x, W_y, W_U and hook hidden gives our logits', () => {
  python();
  const dir = mkdtempSync(join(tmpdir(), 'gg-python-'));
  try {
    const run = train(dir, 'bil', ['--group', 'C5', '--model', 'bilinear', '--epochs', '80', '--embed-dim', '8', '--lr', '0.01']);
    const { v, names, N } = view(run);
    compare(run, v, [N * N, 8]);
    const d = dump(run);
    assert.equal(d.model, 'BilinearNet');
    assert.deepEqual(d.parameters, names);
    assert.deepEqual(Object.keys(d.parameters), [...BILINEAR_PARAM_NAMES]);
    assert.deepEqual(d.hooks, [...BILINEAR_HOOKS]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
