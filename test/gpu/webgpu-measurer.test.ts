/**
 * The GPU measurer against the CPU one (createMeasurer on the float64 model view): every column, in the same
 * order, within float32 tolerance, on S3, S4 and C5 MLP and bilinear models (random, and after a few training
 * steps), with one block and with several; huge logits; concurrent calls; refusals. CI runs these on Chromium's
 * SwiftShader Vulkan driver (scripts/run-tests.mjs sets VK_ICD_FILENAMES).
 */
import assert from 'node:assert/strict';
import test, { after } from 'node:test';
import { openGpu } from '../../src/gpu/device.js';
import { createGpuMeasurer } from '../../src/measures/webgpu-measurer.js';
import type { Group } from '../../src/groups/group.js';
import { parseGroup } from '../../src/groups/parse.js';
import { measureColumns, type MetricsRow } from '../../src/measures/columns.js';
import { createMeasurer } from '../../src/measures/fast.js';
import { modelView } from '../../src/measures/model-view.js';
import { initParams, paramSpecs } from '../../src/models/init.js';
import { irreps } from '../../src/reps/irreps.js';
import { DEFAULT_OPTIM } from '../../src/train/adamw.js';
import { createTrainer } from '../../src/train/create-trainer.js';
import { splitData } from '../../src/train/split.js';
import type { NamedTensor } from '../../src/types/trainer.js';
import { UsageError } from '../../src/util/errors.js';

const ctx = await openGpu();
after(() => ctx.device.destroy());

/** |gpu − cpu| ≤ ABS + REL·|cpu| on every column. */
const ABS = 1e-5;
const REL = 1e-4;

function compare(what: string, cpu: MetricsRow, gpu: MetricsRow): number {
  assert.deepEqual(Object.keys(gpu), Object.keys(cpu), `${what}: columns`);
  let worst = 0;
  for (const k of Object.keys(cpu)) {
    const d = Math.abs(gpu[k]! - cpu[k]!);
    assert.ok(Number.isFinite(gpu[k]!) && d <= ABS + REL * Math.abs(cpu[k]!), `${what} ${k}: gpu ${gpu[k]}, cpu ${cpu[k]}`);
    worst = Math.max(worst, d / (ABS + REL * Math.abs(cpu[k]!)));
  }
  return worst;
}

function randomParams(kind: 'mlp' | 'bilinear', N: number, seed: number, scale: number): NamedTensor[] {
  const params = initParams(paramSpecs({ kind, embedDim: 8, hiddenDim: 12 }, N), seed);
  for (const p of params) for (let i = 0; i < p.data.length; i++) p.data[i]! *= scale;
  return params;
}

async function trainedParams(
  G: Group,
  kind: 'mlp' | 'bilinear',
  split: { train: Int32Array; test: Int32Array },
  steps: number,
): Promise<NamedTensor[]> {
  const tr = await createTrainer({
    group: G,
    model: { kind, embedDim: 8, hiddenDim: 12 },
    optim: { ...DEFAULT_OPTIM, lr: 2e-2 },
    seed: 4,
    threads: 1,
    backend: 'js',
    ...split,
  });
  for (let i = 0; i < steps; i++) tr.step();
  return tr.getState().params;
}

/** The key irreps: the first two non-trivial irreps (and all of them), so that the totals are not empty. */
const keysOf = (G: Group) =>
  irreps(G)
    .filter((r) => r.name !== 'trivial')
    .map((r) => r.name);

for (const name of ['S3', 'S4', 'C5']) {
  for (const kind of ['mlp', 'bilinear'] as const) {
    test(`GPU measurer = createMeasurer on ${name} ${kind} (random and trained; one block and several)`, async () => {
      const G = parseGroup(name);
      const N = G.order;
      const irr = irreps(G);
      const split = splitData(N, 0.5, 2);
      const cpu = createMeasurer(G, irr, split.train, split.test);
      const one = createGpuMeasurer(ctx, G, irr, kind, split.train, split.test);
      // blocks of 2 a-rows: N/2 blocks (C5: the last one has one a-row)
      const many = createGpuMeasurer(ctx, G, irr, kind, split.train, split.test, { blockFloats: 2 * N * N });
      try {
        const models = [
          ['random', randomParams(kind, N, 1, 2)],
          ['trained', await trainedParams(G, kind, split, 150)],
        ] as const;
        for (const [what, params] of models) {
          const all = keysOf(G);
          for (const K of [all.slice(0, 2), all, []]) {
            const ref = cpu.measure(modelView(kind, params, N), K);
            assert.deepEqual(Object.keys(ref), measureColumns(irr.map((r) => r.name)));
            compare(`${name} ${kind} ${what} K=[${K}] one block`, ref, await one.measure(params, K));
            compare(`${name} ${kind} ${what} K=[${K}] blocks of 2 rows`, ref, await many.measure(params, K));
          }
        }
        // the trained model has learned something: its train loss is below the random one's
        const r0 = cpu.measure(modelView(kind, models[0][1], N), []);
        const r1 = cpu.measure(modelView(kind, models[1][1], N), []);
        assert.ok(r1.train_loss! < r0.train_loss!, 'training lowers the train loss');
      } finally {
        one.dispose();
        many.dispose();
      }
    });
  }
}

test('GPU measurer: huge logits (ranges past float32 exp underflow) still agree with the CPU measurer', async () => {
  const G = parseGroup('S3');
  const irr = irreps(G);
  const split = splitData(6, 0.5, 3);
  const params = randomParams('mlp', 6, 5, 12);
  const view = modelView('mlp', params, 6);
  let range = 0;
  for (let r = 0; r < 36; r++) {
    const row = view.logits.subarray(r * 6, r * 6 + 6);
    range = Math.max(range, Math.max(...row) - Math.min(...row));
  }
  assert.ok(range > 200, `logit range ${range}`);
  const m = createGpuMeasurer(ctx, G, irr, 'mlp', split.train, split.test);
  try {
    const K = keysOf(G);
    compare('S3 huge logits', createMeasurer(G, irr, split.train, split.test).measure(view, K), await m.measure(params, K));
  } finally {
    m.dispose();
  }
});

test('GPU measurer: calls made at once give the rows of calls made one by one', async () => {
  const G = parseGroup('S4');
  const irr = irreps(G);
  const split = splitData(24, 0.4, 1);
  const m = createGpuMeasurer(ctx, G, irr, 'mlp', split.train, split.test);
  try {
    const ps = [1, 2, 3].map((s) => randomParams('mlp', 24, s, 2));
    const K = keysOf(G).slice(1, 3);
    const seq: MetricsRow[] = [];
    for (const p of ps) seq.push(await m.measure(p, K));
    const par = await Promise.all(ps.map((p) => m.measure(p, K)));
    assert.deepEqual(par, seq);
    assert.notEqual(seq[0]!.test_loss, seq[1]!.test_loss);
  } finally {
    m.dispose();
  }
});

test('GPU measurer: refuses an unknown model, unknown or repeated key reps, and parameters of another shape', async () => {
  const G = parseGroup('S3');
  const irr = irreps(G);
  const split = splitData(6, 0.5, 0);
  assert.throws(() => createGpuMeasurer(ctx, G, irr, 'resnet' as 'mlp', split.train, split.test), /not "resnet"/);
  const m = createGpuMeasurer(ctx, G, irr, 'mlp', split.train, split.test);
  try {
    const p = randomParams('mlp', 6, 0, 1);
    await assert.rejects(m.measure(p, ['nope']), UsageError);
    await assert.rejects(m.measure(p, ['sign', 'sign']), UsageError);
    await assert.rejects(m.measure(randomParams('mlp', 5, 0, 1), []), UsageError);
    // still usable afterwards
    const row = await m.measure(p, ['sign']);
    assert.ok(row.train_loss! > 0);
  } finally {
    m.dispose();
  }
});

/** The transformer's parameters after `steps` full-batch steps on the js backend (0: its init). */
async function trainedTransformer(G: Group, split: { train: Int32Array; test: Int32Array }, seed: number, steps: number): Promise<NamedTensor[]> {
  const tr = await createTrainer({
    group: G,
    model: { kind: 'transformer', embedDim: 1, hiddenDim: 1 },
    optim: { ...DEFAULT_OPTIM, lr: 3e-3 },
    seed,
    threads: 1,
    backend: 'js',
    ...split,
  });
  for (let i = 0; i < steps; i++) tr.step();
  return tr.getState().params;
}

for (const name of ['S3', 'C5']) {
  test(`GPU measurer = createMeasurer on the ${name} transformer (init and trained; one block and several)`, async () => {
    const G = parseGroup(name);
    const N = G.order;
    const irr = irreps(G);
    const split = splitData(N, 0.5, 1);
    const cpu = createMeasurer(G, irr, split.train, split.test);
    const one = createGpuMeasurer(ctx, G, irr, 'transformer', split.train, split.test);
    // blocks of 2 a-rows (the transformer's block rows are d_mlp floats wide): the two-sweep path
    const many = createGpuMeasurer(ctx, G, irr, 'transformer', split.train, split.test, { blockFloats: 2 * N * 512 });
    try {
      const models = [
        ['init', await trainedTransformer(G, split, 3, 0)],
        ['trained', await trainedTransformer(G, split, 3, 40)],
      ] as const;
      for (const [what, params] of models) {
        const all = keysOf(G);
        for (const K of [all.slice(0, 1), all]) {
          const ref = cpu.measure(modelView('transformer', params, N), K);
          compare(`${name} transformer ${what} K=[${K}] one block`, ref, await one.measure(params, K));
          compare(`${name} transformer ${what} K=[${K}] blocks of 2 rows`, ref, await many.measure(params, K));
        }
      }
      const r0 = cpu.measure(modelView('transformer', models[0][1], N), []);
      const r1 = cpu.measure(modelView('transformer', models[1][1], N), []);
      assert.ok(r1.train_loss! < r0.train_loss! - 0.1, `training lowers the train loss (${r0.train_loss} -> ${r1.train_loss})`);
    } finally {
      one.dispose();
      many.dispose();
    }
  });
}

test('GPU measurer: a transformer parameter missing or of the wrong shape is a UsageError naming it', async () => {
  const G = parseGroup('S3');
  const irr = irreps(G);
  const split = splitData(6, 0.5, 0);
  const params = await trainedTransformer(G, split, 0, 0);
  const m = createGpuMeasurer(ctx, G, irr, 'transformer', split.train, split.test);
  try {
    const missing = params.filter((p) => p.name !== 'blocks.0.mlp.W_in');
    await assert.rejects(m.measure(missing, []), (e: Error) => e instanceof UsageError && /blocks\.0\.mlp\.W_in is missing/.test(e.message));
    const bad = params.map((p) => (p.name === 'unembed.W_U' ? { ...p, shape: [p.shape[1]!, p.shape[0]!] } : p));
    await assert.rejects(m.measure(bad, []), (e: Error) => e instanceof UsageError && /unembed\.W_U has shape/.test(e.message));
    const row = await m.measure(params, ['sign']);
    assert.ok(row.train_loss! > 0);
  } finally {
    m.dispose();
  }
});
