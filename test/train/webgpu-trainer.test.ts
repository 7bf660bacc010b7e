/**
 * The WebGPU trainer against the js reference (float32 tolerance), batched against single members, its
 * gradient against finite differences, state round trips, and its refusals. CI runs these on Chromium's
 * SwiftShader Vulkan driver (scripts/run-tests.mjs sets VK_ICD_FILENAMES); without an adapter they fail.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import { createWebGpuTrainer } from '../../src/train/webgpu-trainer.js';
import { parseGroup } from '../../src/groups/parse.js';
import { mlpLossAndGrads, mlpParams } from '../../src/models/mlp.js';
import { DEFAULT_OPTIM } from '../../src/train/adamw.js';
import { createTrainer } from '../../src/train/create-trainer.js';
import { labelsOf } from '../../src/train/trainer-state.js';
import type { ModelConfig, OptimConfig, TrainerState } from '../../src/types/trainer.js';
import { UsageError } from '../../src/util/errors.js';
import { s3Member, maxAbsDiff } from './s3-members.js';

const S3 = parseGroup('S3');
const optim: OptimConfig = { ...DEFAULT_OPTIM, lr: 1e-2 };
const mlp: ModelConfig = { kind: 'mlp', embedDim: 8, hiddenDim: 16 };
const bilinear: ModelConfig = { kind: 'bilinear', embedDim: 8, hiddenDim: 8 };

const member = (seed: number) => s3Member(seed, 1000);

for (const model of [mlp, bilinear]) {
  test(`webgpu ${model.kind}: 60 steps of 3 batched members follow the js reference (float32 tolerance)`, async () => {
    const members = [member(0), member(1), member(2)];
    const gpu = await createWebGpuTrainer({ group: S3, model, optim, threads: 1, members });
    try {
      const losses = await gpu.run(60);
      const evals = await gpu.evaluate();
      const states = await gpu.getStates();
      for (let s = 0; s < 3; s++) {
        const js = await createTrainer({ group: S3, model, optim, threads: 1, backend: 'js', ...members[s]! });
        const ref = Array.from({ length: 60 }, () => js.step());
        const mine = Array.from({ length: 60 }, (_, k) => losses[k * 3 + s]!);
        assert.ok(maxAbsDiff(ref, mine) < 2e-5, `member ${s} losses differ by ${maxAbsDiff(ref, mine)}`);
        assert.ok(ref[59]! < ref[0]! * 0.8, 'the loss goes down');
        const e = js.evaluate();
        for (const k of ['train_loss', 'test_loss', 'train_acc', 'test_acc'] as const)
          assert.ok(Math.abs(e[k] - evals[s]![k]) < 1e-4, `member ${s} ${k}: js ${e[k]}, webgpu ${evals[s]![k]}`);
        const st = js.getState();
        assert.equal(states[s]!.step, 60);
        for (const [i, t] of st.params.entries()) {
          assert.equal(states[s]!.params[i]!.name, t.name);
          assert.ok(maxAbsDiff(t.data, states[s]!.params[i]!.data) < 1e-4, `member ${s} ${t.name}`);
        }
        assert.deepEqual(
          states[s]!.optim.map((t) => t.name),
          st.optim.map((t) => t.name),
        );
        await js.dispose();
      }
    } finally {
      await gpu.dispose();
    }
  });
}

test('webgpu: a batch of 3 equals three batches of 1, and resuming from a state equals running on', async () => {
  const members = [member(3), member(4), member(5)];
  const batch = await createWebGpuTrainer({ group: S3, model: mlp, optim, threads: 1, members });
  const together = await batch.run(30);
  const states = await batch.getStates();
  await batch.dispose();
  for (let s = 0; s < 3; s++) {
    const one = await createWebGpuTrainer({ group: S3, model: mlp, optim, threads: 1, members: [members[s]!] });
    const first = await one.run(12);
    const mid = await one.getStates();
    const fresh = await createWebGpuTrainer({ group: S3, model: mlp, optim, threads: 1, members: [members[s]!] });
    await fresh.setStates(mid);
    const rest = await fresh.run(18);
    const alone = [...first, ...rest];
    assert.deepEqual(
      alone,
      Array.from({ length: 30 }, (_, k) => together[k * 3 + s]!),
      `member ${s}`,
    );
    const end = await fresh.getStates();
    for (const [i, t] of end[0]!.params.entries()) assert.deepEqual(t.data, states[s]!.params[i]!.data, `member ${s} ${t.name}`);
    assert.equal(end[0]!.step, 30);
    await one.dispose();
    await fresh.dispose();
  }
});

test('a webgpu state continues on the wasm backend and a wasm state on webgpu (one state format)', async () => {
  const m = member(7);
  const gpu = await createWebGpuTrainer({ group: S3, model: mlp, optim, threads: 1, members: [m] });
  const wasm = await createTrainer({ group: S3, model: mlp, optim, threads: 1, backend: 'wasm', ...m });
  try {
    await gpu.run(10);
    for (let k = 0; k < 10; k++) wasm.step();
    const fromGpu = (await gpu.getStates())[0]!;
    const fromWasm = wasm.getState();
    wasm.setState(fromGpu);
    await gpu.setStates([fromWasm]);
    const onGpu = await gpu.run(10);
    const onWasm = Array.from({ length: 10 }, () => wasm.step());
    assert.ok(maxAbsDiff(onGpu, onWasm) < 2e-5, `swapped states: losses differ by ${maxAbsDiff(onGpu, onWasm)}`);
    assert.equal((await gpu.getStates())[0]!.step, 20);
    assert.equal(wasm.getState().step, 20);
  } finally {
    await gpu.dispose();
    await wasm.dispose();
  }
});

test('webgpu MLP gradient (from the first AdamW moment) matches the reference and finite differences of its own loss', async () => {
  const m = member(6);
  const gpu = await createWebGpuTrainer({ group: S3, model: mlp, optim, threads: 1, members: [m] });
  try {
    const init: TrainerState = (await gpu.getStates())[0]!;
    await gpu.run(1);
    const after = (await gpu.getStates())[0]!;
    // exp_avg after one step = (1 − β1)·g
    const grad = (name: string) => after.optim.find((t) => t.name === `${name}.exp_avg`)!.data.map((x) => x / (1 - optim.betas[0]));
    const ref = mlpLossAndGrads(mlpParams(init.params), m.train, labelsOf(S3, m.train)).grads;
    for (const name of ['W_x', 'W_y', 'W', 'W_U'] as const) {
      const g = grad(name);
      const scale = Math.max(...Array.from(ref[name], Math.abs));
      assert.ok(scale > 1e-4, `${name} gradient is not trivially zero`);
      assert.ok(maxAbsDiff(g, ref[name]) < 1e-4 * scale + 1e-7, `${name}: |webgpu − reference| = ${maxAbsDiff(g, ref[name])}`);
    }
    // central differences of the GPU's own train loss at a few coordinates of each tensor
    const eps = 2e-3;
    const lossAt = async (name: string, i: number, delta: number) => {
      const params = init.params.map((t) => ({ ...t, data: t.data.slice() }));
      params.find((t) => t.name === name)!.data[i]! += delta;
      await gpu.setStates([{ ...init, params }]);
      return (await gpu.evaluate())[0]!.train_loss;
    };
    for (const name of ['W_x', 'W', 'W_U']) {
      const g = grad(name);
      const big = Array.from(g.keys())
        .sort((a, b) => Math.abs(g[b]!) - Math.abs(g[a]!))
        .slice(0, 3);
      for (const i of big) {
        const fd = ((await lossAt(name, i, eps)) - (await lossAt(name, i, -eps))) / (2 * eps);
        assert.ok(Math.abs(fd - g[i]!) < 0.03 * Math.abs(g[i]!) + 2e-4, `${name}[${i}]: fd ${fd}, webgpu ${g[i]}`);
      }
    }
  } finally {
    await gpu.dispose();
  }
});

test('webgpu refuses what it cannot do with a UsageError naming the fix', async () => {
  const C = parseGroup('C700');
  const rows = Int32Array.from({ length: 441000 }, (_, i) => i);
  await assert.rejects(
    createWebGpuTrainer({
      group: C,
      model: { kind: 'mlp', embedDim: 4, hiddenDim: 4 },
      optim,
      threads: 1,
      members: [{ seed: 0, train: rows, test: new Int32Array(0) }],
    }),
    (e: unknown) => e instanceof UsageError && /logits needs a [\d.]+ MiB buffer, above this device's limit/.test(e.message),
  );
  await assert.rejects(
    createWebGpuTrainer({
      group: S3,
      model: { kind: 'rnn', embedDim: 8, hiddenDim: 8 } as unknown as ModelConfig,
      optim,
      threads: 1,
      members: [member(0)],
    }),
    (e: unknown) => e instanceof UsageError && /--backend wasm/.test(e.message),
  );
  const short = { ...member(1), train: member(1).train.slice(0, 19) };
  await assert.rejects(
    createWebGpuTrainer({ group: S3, model: mlp, optim, threads: 1, members: [member(0), short] }),
    (e: unknown) => e instanceof UsageError && /same train and test sizes/.test(e.message),
  );
});
