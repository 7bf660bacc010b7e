/**
 * The transformer on the WebGPU trainer against the js reference (float32 tolerance), batched against single
 * members, state round trips with the wasm backend, its gradient against the reference (with non-zero frozen
 * biases) and finite differences, and a CLI run against --backend js. SwiftShader runs these on the CPU, so
 * runs are short (the transformer's sizes are fixed: d_model 128, d_mlp 512).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'node:test';
import { createWebGpuTrainer } from '../../src/train/webgpu-trainer.js';
import { parseGroup } from '../../src/groups/parse.js';
import { Rng } from '../../src/linalg/rng.js';
import { isFrozenParam, referenceLossAndGrads } from '../../src/models/transformer.js';
import { packageRoot } from '../../src/runs/package-root.js';
import { DEFAULT_OPTIM } from '../../src/train/adamw.js';
import { createTrainer } from '../../src/train/create-trainer.js';
import { labelsOf } from '../../src/train/trainer-state.js';
import type { BatchMember, ModelConfig, OptimConfig, TrainerState } from '../../src/types/trainer.js';
import { s3Member, maxAbsDiff, relL2 } from './s3-members.js';

const S3 = parseGroup('S3');
const optim: OptimConfig = DEFAULT_OPTIM;
/**
 * The runs compared over many steps use AdamW's ε = 1e-6 instead of 1e-8. AdamW moves each coordinate by
 * about lr whatever the size of its gradient, so with ε = 1e-8 the few coordinates whose gradient is
 * float32 noise (~1e-9, from cancellation) step differently in float32 and float64 and the runs drift apart
 * chaotically (the wasm trainer's too); ε = 1e-6 damps just those steps. The gradient test uses the default.
 */
const steady: OptimConfig = { ...DEFAULT_OPTIM, eps: 1e-6 };
const transformer: ModelConfig = { kind: 'transformer', embedDim: 1, hiddenDim: 1 };

const member = (seed: number) => s3Member(seed, 2000);

const maxAbs = (a: ArrayLike<number>) => maxAbsDiff(a, new Float64Array(a.length));

const gpuTrainer = (members: BatchMember[], o: OptimConfig = steady) =>
  createWebGpuTrainer({ group: S3, model: transformer, optim: o, threads: 1, backend: 'webgpu', members });

test('webgpu transformer: 30 steps of 3 batched members follow the js reference (float32 tolerance)', async () => {
  const members = [member(0), member(1), member(2)];
  const gpu = await gpuTrainer(members);
  try {
    const losses = await gpu.run(30);
    const evals = await gpu.evaluate();
    const states = await gpu.getStates();
    for (let s = 0; s < 3; s++) {
      const js = await createTrainer({ group: S3, model: transformer, optim: steady, threads: 1, backend: 'js', ...members[s]! });
      const ref = Array.from({ length: 30 }, () => js.step());
      const mine = Array.from({ length: 30 }, (_, k) => losses[k * 3 + s]!);
      assert.ok(maxAbsDiff(ref, mine) < 1e-5, `member ${s} losses differ by ${maxAbsDiff(ref, mine)}`);
      assert.ok(ref[29]! < ref[0]! * 0.7, `the loss goes down (${ref[0]} -> ${ref[29]})`);
      const e = js.evaluate();
      for (const k of ['train_loss', 'test_loss', 'train_acc', 'test_acc'] as const) {
        assert.ok(Math.abs(e[k] - evals[s]![k]) < 1e-5 * Math.max(1, Math.abs(e[k])), `member ${s} ${k}: js ${e[k]}, webgpu ${evals[s]![k]}`);
      }
      const st = js.getState();
      assert.equal(states[s]!.step, 30);
      assert.deepEqual(
        states[s]!.params.map((t) => [t.name, t.shape]),
        st.params.map((t) => [t.name, t.shape]),
      );
      for (const [i, t] of st.params.entries()) {
        const mine = states[s]!.params[i]!.data;
        const [d, r] = [maxAbsDiff(t.data, mine), relL2(mine, t.data)];
        assert.ok(d < 1e-5 && r < 1e-5, `member ${s} ${t.name}: max |webgpu − js| = ${d}, relative L2 ${r}`);
        if (isFrozenParam(t.name)) assert.equal(maxAbs(mine), 0, `${t.name} stays frozen at zero`);
      }
      // moments of the weights only, as the CPU trainers' states
      assert.deepEqual(
        states[s]!.optim.map((t) => t.name),
        st.optim.map((t) => t.name),
      );
      for (const [i, t] of st.optim.entries()) {
        const r = relL2(states[s]!.optim[i]!.data, t.data);
        assert.ok(r < 1e-4, `member ${s} ${t.name}: relative L2 |webgpu − js| = ${r}`);
      }
      await js.dispose();
    }
  } finally {
    await gpu.dispose();
  }
});

test('webgpu transformer: a batch of 2 equals two batches of 1, and resuming from a state equals running on', async () => {
  const members = [member(3), member(4)];
  const batch = await gpuTrainer(members);
  const together = await batch.run(10);
  const states = await batch.getStates();
  await batch.dispose();
  for (let s = 0; s < 2; s++) {
    const one = await gpuTrainer([members[s]!]);
    const first = await one.run(4);
    const mid = await one.getStates();
    await one.dispose();
    const fresh = await gpuTrainer([members[s]!]);
    await fresh.setStates(mid);
    const rest = await fresh.run(6);
    assert.deepEqual(
      [...first, ...rest],
      Array.from({ length: 10 }, (_, k) => together[k * 2 + s]!),
      `member ${s}`,
    );
    const end = (await fresh.getStates())[0]!;
    assert.equal(end.step, 10);
    for (const [i, t] of end.params.entries()) assert.deepEqual(t.data, states[s]!.params[i]!.data, `member ${s} ${t.name}`);
    for (const [i, t] of end.optim.entries()) assert.deepEqual(t.data, states[s]!.optim[i]!.data, `member ${s} ${t.name}`);
    await fresh.dispose();
  }
});

test('a webgpu transformer state continues on wasm and a wasm state on webgpu (one state format)', async () => {
  const m = member(7);
  const gpu = await gpuTrainer([m]);
  const wasm = await createTrainer({ group: S3, model: transformer, optim: steady, threads: 1, backend: 'wasm', ...m });
  try {
    await gpu.run(6);
    for (let k = 0; k < 6; k++) wasm.step();
    const fromGpu = (await gpu.getStates())[0]!;
    const fromWasm = wasm.getState();
    assert.deepEqual(
      fromGpu.optim.map((t) => t.name),
      fromWasm.optim.map((t) => t.name),
    );
    wasm.setState(fromGpu);
    await gpu.setStates([fromWasm]);
    const onGpu = await gpu.run(6);
    const onWasm = Array.from({ length: 6 }, () => wasm.step());
    assert.ok(maxAbsDiff(onGpu, onWasm) < 2e-5, `swapped states: losses differ by ${maxAbsDiff(onGpu, onWasm)}`);
    assert.equal((await gpu.getStates())[0]!.step, 12);
    assert.equal(wasm.getState().step, 12);
    const [e, w] = [(await gpu.evaluate())[0]!, wasm.evaluate()];
    for (const k of ['train_loss', 'test_loss', 'train_acc', 'test_acc'] as const)
      assert.ok(Math.abs(e[k] - w[k]) < 1e-4, `${k}: webgpu ${e[k]}, wasm ${w[k]}`);
  } finally {
    await gpu.dispose();
    await wasm.dispose();
  }
});

test('webgpu transformer gradient (from the first AdamW moment), with non-zero frozen biases, matches the reference and finite differences', async () => {
  const m = member(6);
  const gpu = await gpuTrainer([m], optim);
  try {
    const init: TrainerState = (await gpu.getStates())[0]!;
    // biases that exercise every bias path of the forward and backward (they stay frozen)
    const rng = new Rng(99);
    const params = init.params.map((t) => ({ ...t, data: isFrozenParam(t.name) ? t.data.map(() => 0.2 * rng.normal()) : t.data.slice() }));
    const start: TrainerState = { ...init, params };
    await gpu.setStates([start]);
    const ref = referenceLossAndGrads(params, m.train, labelsOf(S3, m.train));
    const [before] = await gpu.evaluate();
    assert.ok(Math.abs(before!.train_loss - ref.loss) < 1e-5, `loss: webgpu ${before!.train_loss}, reference ${ref.loss}`);
    const [loss] = await gpu.run(1);
    assert.ok(Math.abs(loss! - ref.loss) < 1e-5);
    const after = (await gpu.getStates())[0]!;
    for (const t of after.params)
      if (isFrozenParam(t.name)) assert.deepEqual(t.data, params.find((p) => p.name === t.name)!.data, `${t.name} is not updated`);
    // exp_avg after one step = (1 − β1)·g
    const grad = (name: string) => after.optim.find((t) => t.name === `${name}.exp_avg`)!.data.map((x) => x / (1 - optim.betas[0]));
    for (const t of params.filter((p) => !isFrozenParam(p.name))) {
      const g = grad(t.name),
        r = ref.grads.get(t.name)!;
      const scale = maxAbs(r);
      assert.ok(scale > 1e-6, `${t.name} gradient is not trivially zero`); // (W_Q's is ~4e-5 at init: the scores start small)
      assert.ok(maxAbsDiff(g, r) < 1e-4 * scale + 1e-7, `${t.name}: |webgpu − reference| = ${maxAbsDiff(g, r)} (max ${scale})`);
    }
    // central differences of the GPU's own train loss at the largest coordinates of a few tensors
    const eps = 2e-3;
    const lossAt = async (name: string, i: number, delta: number) => {
      const p = params.map((t) => ({ ...t, data: t.data.slice() }));
      p.find((t) => t.name === name)!.data[i]! += delta;
      await gpu.setStates([{ ...start, params: p }]);
      return (await gpu.evaluate())[0]!.train_loss;
    };
    for (const name of ['embed.W_E', 'blocks.0.attn.W_Q', 'blocks.0.attn.W_K', 'blocks.0.mlp.W_in']) {
      const g = grad(name);
      const big = Array.from(g.keys())
        .sort((a, b) => Math.abs(g[b]!) - Math.abs(g[a]!))
        .slice(0, 2);
      for (const i of big) {
        const fd = ((await lossAt(name, i, eps)) - (await lossAt(name, i, -eps))) / (2 * eps);
        assert.ok(Math.abs(fd - g[i]!) < 0.03 * Math.abs(g[i]!) + 2e-4, `${name}[${i}]: fd ${fd}, webgpu ${g[i]}`);
      }
    }
  } finally {
    await gpu.dispose();
  }
});

test('train --model transformer --backend webgpu --seeds 0-1 writes the summaries the js backend writes, up to float32', () => {
  const BIN = join(packageRoot(), 'bin', 'grokgroups.js');
  const args = [
    '--group',
    'S3',
    '--model',
    'transformer',
    '--epochs',
    '30',
    '--frac-train',
    '0.5',
    '--threads',
    '1',
    '--checkpoints',
    'none',
    '--measures',
    'basic',
    '--seeds',
    '0-1',
  ];
  const dir = mkdtempSync(join(tmpdir(), 'gg-gpu-tf-cli-'));
  try {
    for (const backend of ['webgpu', 'js']) {
      const r = spawnSync(process.execPath, [BIN, 'train', ...args, '--backend', backend, '--out', join(dir, backend)], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
    }
    const runs = readdirSync(join(dir, 'webgpu')).sort();
    assert.deepEqual(runs, ['S3_T_seed0', 'S3_T_seed1']);
    assert.deepEqual(readdirSync(join(dir, 'js')).sort(), runs);
    const summary = (backend: string, run: string) =>
      JSON.parse(readFileSync(join(dir, backend, run, 'summary_metrics.json'), 'utf8')) as Record<string, number>;
    for (const run of runs) {
      const [g, j] = [summary('webgpu', run), summary('js', run)];
      assert.equal(g.epoch, j.epoch);
      for (const k of ['train_loss', 'test_loss', 'train_acc', 'test_acc', 'sum_of_squared_weights'])
        assert.ok(Math.abs(g[k]! - j[k]!) <= 1e-3 * Math.max(1, Math.abs(j[k]!)), `${run} ${k}: webgpu ${g[k]}, js ${j[k]}`);
      assert.ok(j.train_acc! > 0.5, `${run} trains (train accuracy ${j.train_acc})`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
