// python/grokgroups_torch.py against our own forward: short runs of each model, loaded by the Python module
// into torch (Debian's python3-torch), must give our logits and hidden layer for every pair, and the module's
// parameter and hook names must be the original's. Without a python3 that imports torch the test fails
// and says what to install (.ci/run installs python3-torch).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readModel } from '../../src/figures/node/read-model.js';

const root = new URL('../../..', import.meta.url).pathname;
const bin = join(root, 'bin', 'grokgroups.js');
const module = join(root, 'python', 'grokgroups_torch.py');
const dir = mkdtempSync(join(tmpdir(), 'grokgroups-python-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The first of $GROKGROUPS_PYTHON, python3 on PATH, /usr/bin/python3 that imports torch. */
function torchPython(): string {
  const tried: string[] = [];
  for (const py of [process.env.GROKGROUPS_PYTHON, 'python3', '/usr/bin/python3'].filter((p): p is string => !!p)) {
    const r = spawnSync(py, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
    if (r.status === 0) return py;
    tried.push(`${py}: ${r.error ? r.error.message : (r.stderr.trim().split('\n').pop() ?? `exit ${r.status}`)}`);
  }
  throw new Error(`no python3 with torch for the Python loader test (Debian: apt-get install -y python3-torch; .ci/run installs it; or set GROKGROUPS_PYTHON). Tried: ${tried.join('; ')}`);
}

function train(out: string, args: string[]): void {
  const r = spawnSync(process.execPath, [bin, 'train', ...args, '--out', out, '--threads', '1'], { encoding: 'utf8' });
  assert.equal(r.status, 0, `train ${args.join(' ')}: ${r.stderr}`);
}

function f32(path: string): Float32Array {
  const b = readFileSync(path);
  return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
}

function maxDiff(ours: Float64Array, theirs: Float32Array): number {
  assert.equal(theirs.length, ours.length);
  let m = 0;
  for (let i = 0; i < ours.length; i++) m = Math.max(m, Math.abs(ours[i]! - theirs[i]!));
  return m;
}

const cases: { name: string; args: string[] }[] = [
  { name: 'mlp', args: ['--preset', 'tiny', '--epochs', '300'] },
  { name: 'bilinear', args: ['--group', 'D5', '--model', 'bilinear', '--embed-dim', '24', '--epochs', '100', '--lr', '1e-2'] },
  { name: 'transformer', args: ['--group', 'S3', '--model', 'transformer', '--epochs', '40', '--lr', '1e-2'] },
];

for (const c of cases)
  test(`python loader: ${c.name} logits and hidden layer equal ours for every pair`, { timeout: 300_000 }, () => {
    const py = torchPython();
    const run = join(dir, c.name);
    train(run, c.args);
    const out = spawnSync(py, [module, run, '--write-logits', join(run, 'py_logits.f32'), '--write-hidden', join(run, 'py_hidden.f32')], { encoding: 'utf8' });
    assert.equal(out.status, 0, out.stderr);
    const { view } = readModel(run);
    const scale = view.logits.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
    assert.ok(scale > 0.1, `the ${c.name} logits are all near 0 (${scale}): the check would be empty`);
    const dl = maxDiff(view.logits, f32(join(run, 'py_logits.f32')));
    const dh = maxDiff(view.hidden, f32(join(run, 'py_hidden.f32')));
    assert.ok(dl < 1e-4 * Math.max(1, scale), `${c.name}: max |logit difference| ${dl} (logits up to ${scale})`);
    assert.ok(dh < 1e-4 * Math.max(1, scale), `${c.name}: max |hidden difference| ${dh}`);
  });

test("python loader: the original's parameter and hook names, checkpoints by epoch, clear errors", { timeout: 300_000 }, () => {
  const py = torchPython();
  const mlp = join(dir, 'names-mlp');
  const tf = join(dir, 'names-tf');
  train(mlp, ['--group', 'C5', '--embed-dim', '8', '--hidden-dim', '8', '--epochs', '20']);
  train(tf, ['--group', 'C3', '--model', 'transformer', '--epochs', '5']);
  const script = `
import sys, json
sys.path.insert(0, ${JSON.stringify(join(root, 'python'))})
from grokgroups_torch import load_run, HookPoint
out = {}
for key, path in [("mlp", ${JSON.stringify(mlp)}), ("tf", ${JSON.stringify(tf)})]:
    run = load_run(path)
    logits, cache = run.model.run_with_cache(run.all_pairs())
    out[key] = {"params": [n for n, _ in run.model.named_parameters()],
                "frozen": [n for n, p in run.model.named_parameters() if not p.requires_grad],
                "hooks": [n for n, m in run.model.named_modules() if isinstance(m, HookPoint)],
                "cache": sorted(cache), "logits": list(logits.shape), "epoch": run.metadata.get("epoch")}
out["ckpt_epoch"] = load_run(${JSON.stringify(mlp)}, epoch=1).metadata.get("epoch")
try:
    load_run(${JSON.stringify(mlp)}, epoch=123456)
    out["missing"] = None
except FileNotFoundError as e:
    out["missing"] = str(e)
print(json.dumps(out))
`;
  const r = spawnSync(py, ['-c', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const o = JSON.parse(r.stdout) as Record<string, { params: string[]; frozen: string[]; hooks: string[]; cache: string[]; logits: number[]; epoch: string }> & {
    ckpt_epoch: string;
    missing: string | null;
  };
  assert.deepEqual(o.mlp!.params, ['W_x', 'W_y', 'W', 'W_U']);
  assert.deepEqual(o.mlp!.hooks, ['embed_stack', 'hidden']);
  assert.deepEqual(o.mlp!.logits, [25, 5]);
  assert.equal(o.mlp!.epoch, '19');
  assert.equal(o.ckpt_epoch, '1');
  assert.match(o.missing ?? '', /epoch_123456\.safetensors does not exist \(checkpoints: 0\.\.19/);
  const tfo = o.tf!;
  for (const name of ['embed.W_E', 'pos_embed.W_pos', 'blocks.0.attn.W_Q', 'blocks.0.attn.W_O', 'blocks.0.mlp.W_in', 'blocks.0.mlp.W_out', 'unembed.W_U'])
    assert.ok(tfo.params.includes(name), `transformer parameter ${name} missing: ${tfo.params.join(', ')}`);
  assert.deepEqual(tfo.frozen.sort(), tfo.params.filter((n) => n.includes('b_')).sort());
  assert.equal(tfo.frozen.length, 7);
  for (const hook of ['hook_embed', 'blocks.0.attn.hook_pattern', 'blocks.0.mlp.hook_post', 'blocks.0.hook_resid_post'])
    assert.ok(tfo.cache.includes(hook), `transformer hook ${hook} missing from the cache: ${tfo.cache.join(', ')}`);
  assert.deepEqual(tfo.logits, [9, 3]);
});
