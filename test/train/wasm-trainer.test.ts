import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupFromPermutations } from '../../src/groups/permutation.js';
import type { Group } from '../../src/groups/group.js';
import { MlpKernels } from '../../src/train/wasm-trainer.js';
import { nodePlatform } from '../../src/kernels/node-platform.js';
import { matmul } from '../../src/models/reference-ops.js';
import { bilinearLossAndGrads, bilinearParams } from '../../src/models/bilinear.js';
import { initParams } from '../../src/models/init.js';
import { mlpLossAndGrads, mlpParams } from '../../src/models/mlp.js';
import { Rng } from '../../src/linalg/rng.js';
import { DEFAULT_OPTIM, adamwScalars, adamwUpdate } from '../../src/train/adamw.js';
import { createTrainer } from '../../src/train/create-trainer.js';
import { splitData } from '../../src/train/split.js';
import { labelsOf } from '../../src/train/trainer-state.js';
import type { ModelKind, Trainer, TrainerOptions } from '../../src/types/trainer.js';

const P = (...xs: number[]) => Int32Array.from(xs);
const S3 = groupFromPermutations('S3', [P(1, 2, 0), P(1, 0, 2)]);
const C7 = groupFromPermutations('C7', [P(1, 2, 3, 4, 5, 6, 0)]);
const S4 = groupFromPermutations('S4', [P(1, 2, 3, 0), P(1, 0, 2, 3)]);
const C13 = groupFromPermutations('C13', [P(...Array.from({ length: 13 }, (_, i) => (i + 1) % 13))]); // Np = 16: the 16- and 12-column blocks

function options(group: Group, kind: ModelKind, d_e: number, h: number, threads = 1, backend: 'js' | 'wasm' = 'wasm'): TrainerOptions {
  const { train, test: rest } = splitData(group.order, 0.5, 2);
  return { group, model: { kind, embedDim: d_e, hiddenDim: h }, optim: DEFAULT_OPTIM, seed: 5, train, test: rest, threads, backend };
}

function maxRelErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let err = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    err = Math.max(err, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return err / scale;
}

async function kernelModule() {
  const module = await nodePlatform.loadModule('mlp');
  const memory = new WebAssembly.Memory({ initial: 16, maximum: 16, shared: true });
  const k = new WebAssembly.Instance(module, { env: { memory, abort: () => {} } }).exports as {
    heap_base(): number;
    gemm(A: number, ars: number, acs: number, B: number, C: number, i0: number, i1: number, K: number, P: number): void;
    adamw(...args: number[]): void;
    exp_diff_f32(v: number, m: number): number;
  };
  return { k, f32: new Float32Array(memory.buffer), base: Math.ceil(k.heap_base() / 64) * 64 };
}

test('wasm gemm (A and Aᵀ strides) matches the reference matmul on random inputs', async () => {
  const { k, f32, base } = await kernelModule();
  const rng = new Rng(1);
  for (const [M, K, Pc] of [
    [7, 5, 12],
    [16, 9, 8],
    [3, 4, 4],
  ] as const) {
    const A = Float32Array.from({ length: M * K }, () => rng.normal());
    const B = Float32Array.from({ length: K * Pc }, () => rng.normal());
    const a = base;
    const at = a + M * K * 4;
    const b = at + M * K * 4;
    const c = b + K * Pc * 4;
    f32.set(A, a / 4);
    for (let i = 0; i < M; i++) for (let j = 0; j < K; j++) f32[at / 4 + j * M + i] = A[i * K + j]!;
    f32.set(B, b / 4);
    const ref = matmul(A, B, M, K, Pc);
    k.gemm(a, K, 1, b, c, 0, M, K, Pc);
    assert.ok(maxRelErr(f32.subarray(c / 4, c / 4 + M * Pc), ref) < 1e-5);
    f32.fill(0, c / 4, c / 4 + M * Pc);
    k.gemm(at, 1, M, b, c, 0, M, K, Pc); // A given transposed: A(i, k) = At[k, i]
    assert.ok(maxRelErr(f32.subarray(c / 4, c / 4 + M * Pc), ref) < 1e-5);
  }
});

test('wasm adamw is bit-identical to src/train/adamw.ts, and exp_diff_f32 is exp(v - m) to ~1 ulp of float32', async () => {
  const { k, f32, base } = await kernelModule();
  const rng = new Rng(2);
  const n = 64;
  const [p, g, m, v] = [0, 1, 2, 3].map(() => Float32Array.from({ length: n }, () => rng.normal()));
  v!.forEach((x, i) => (v![i] = Math.abs(x)));
  const at = (i: number) => base + i * n * 4;
  [p, g, m, v].forEach((x, i) => f32.set(x!, at(i) / 4));
  const s = adamwScalars({ lr: 0.01, weightDecay: 0.5, betas: [0.9, 0.98], eps: 1e-8 }, 3);
  k.adamw(at(0), at(1), at(2), at(3), 0, n, s.decay, s.beta1, s.oneMinusBeta1, s.beta2, s.oneMinusBeta2, s.negStepSize, s.bc2Sqrt, s.eps);
  adamwUpdate(p!, g!, m!, v!, s);
  assert.deepEqual(f32.slice(at(0) / 4, at(0) / 4 + n), p);
  assert.deepEqual(f32.slice(at(2) / 4, at(2) / 4 + n), m);
  assert.deepEqual(f32.slice(at(3) / 4, at(3) / 4 + n), v);
  // Random pairs v <= m with differences down to the cutoff -64, where float32 v - m is inexact; the reference is
  // the exact float64 difference of the float32 inputs.
  let worst = 0;
  for (let i = 0; i < 20000; i++) {
    const m = Math.fround((rng.float() - 0.5) * 200);
    const v = Math.fround(m - 64 * rng.float() ** 2);
    if (v - m < -64) continue;
    worst = Math.max(worst, Math.abs(k.exp_diff_f32(v, m) / Math.exp(v - m) - 1));
  }
  assert.ok(worst < 1.5e-7, `exp_diff_f32 relative error ${worst}`);
  assert.equal(k.exp_diff_f32(3.5, 3.5), 1);
  assert.equal(k.exp_diff_f32(-70, 0), 0); // below the cutoff
  assert.equal(k.exp_diff_f32(-3e38, 5), 0); // the padding of a logits row
  assert.ok(Number.isNaN(k.exp_diff_f32(NaN, 1)) && Number.isNaN(k.exp_diff_f32(Infinity, Infinity)));
});

for (const kind of ['mlp', 'bilinear'] as const) {
  test(`wasm ${kind} loss and gradients match the js reference on random parameters (padded and unpadded sizes)`, async () => {
    for (const [group, d_e, h, seed] of [
      [S3, 10, 6, 3],
      [S4, 32, 24, 4],
      [C7, 5, 9, 6],
      [C13, 8, 11, 7],
    ] as const) {
      for (const threads of [1, 2]) {
        const opts = options(group, kind, d_e, h, threads);
        const k = await MlpKernels.create(opts);
        const ts = initParams(k.specs, seed);
        k.setParams(ts.map((t) => t.data));
        const loss = k.lossAndGrads();
        const labels = labelsOf(group, opts.train);
        const ref =
          kind === 'mlp' ? mlpLossAndGrads(mlpParams(ts), opts.train, labels) : bilinearLossAndGrads(bilinearParams(ts), opts.train, labels);
        assert.ok(Math.abs(loss - ref.loss) < 1e-6 * ref.loss, `${group.name}: loss ${loss} vs ${ref.loss}`);
        const grads = k.grads();
        k.specs.forEach((s, i) => {
          const r = (ref.grads as Record<string, ArrayLike<number>>)[s.name]!;
          const e = maxRelErr(grads[i]!, r);
          assert.ok(e < 1e-5, `${group.name} ${s.name} threads ${threads}: relative error ${e}`);
        });
        await k.dispose();
      }
    }
  });
}

async function run(t: Trainer, steps: number): Promise<number[]> {
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) losses.push(t.step());
  return losses;
}

test('wasm and js trainers agree over several steps; evaluate agrees', async () => {
  for (const kind of ['mlp', 'bilinear'] as const) {
    const js = await createTrainer(options(S4, kind, 16, 12, 1, 'js'));
    const wasm = await createTrainer(options(S4, kind, 16, 12, 2, 'wasm'));
    const lj = await run(js, 5);
    const lw = await run(wasm, 5);
    lj.forEach((l, i) => assert.ok(Math.abs(l - lw[i]!) < 1e-4 * l, `${kind} step ${i}: ${l} vs ${lw[i]}`));
    const sj = js.getState();
    const sw = wasm.getState();
    sj.params.forEach((p, i) => assert.ok(maxRelErr(sw.params[i]!.data, p.data) < 1e-4, p.name));
    const ej = js.evaluate();
    const ew = wasm.evaluate();
    for (const key of ['train_loss', 'test_loss'] as const) assert.ok(Math.abs(ej[key] - ew[key]) < 1e-5 * ej[key], key);
    assert.equal(ew.train_acc, ej.train_acc);
    await wasm.dispose();
  }
});

test('wasm threads 1 and 2 give bit-identical losses and states; getState/setState continues bit-identically', async () => {
  const t1 = await createTrainer(options(S4, 'mlp', 24, 20, 1));
  const t2 = await createTrainer(options(S4, 'mlp', 24, 20, 2));
  assert.deepEqual(await run(t1, 4), await run(t2, 4));
  assert.deepEqual(t1.getState(), t2.getState());
  const saved = t2.getState();
  const cont = await run(t2, 3);
  const t3 = await createTrainer({ ...options(S4, 'mlp', 24, 20, 2), seed: 99 });
  t3.setState(saved);
  assert.deepEqual(await run(t3, 3), cont);
  assert.deepEqual(t3.getState(), t2.getState());
  await Promise.all([t1.dispose(), t2.dispose(), t3.dispose()]);
});

test('the wasm trainer fits S3 and C7 train sets to 100% accuracy', async () => {
  for (const kind of ['mlp', 'bilinear'] as const)
    for (const group of [S3, C7]) {
      const t = await createTrainer(options(group, kind, 32, 32, 2));
      let steps = 0;
      while (t.evaluate().train_acc < 1 && steps < 400) {
        t.step();
        steps++;
      }
      assert.equal(t.evaluate().train_acc, 1, `${kind} ${group.name} after ${steps} steps`);
      await t.dispose();
    }
});
