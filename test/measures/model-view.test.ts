import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupFromPermutations } from '../../src/groups/permutation.js';
import { Rng } from '../../src/linalg/rng.js';
import { maxAbsDiff } from '../../src/linalg/matrix.js';
import { modelView } from '../../src/measures/model-view.js';
import { bilinearParams, bilinearRunWithCache } from '../../src/models/bilinear.js';
import { initParams, paramSpecs } from '../../src/models/init.js';
import { mlpParams, mlpRunWithCache } from '../../src/models/mlp.js';
import { initTransformerParams, runWithCache } from '../../src/models/transformer.js';
import type { NamedTensor } from '../../src/types/trainer.js';
import { UsageError } from '../../src/util/errors.js';

const S3 = groupFromPermutations('S3', [Int32Array.from([1, 2, 0]), Int32Array.from([1, 0, 2])]);
const N = S3.order;
const allRows = Int32Array.from({ length: N * N }, (_, i) => i);
const to64 = (ts: NamedTensor[]) => ts.map((t) => ({ ...t, data: Float64Array.from(t.data) }));
const sumSq = (ts: NamedTensor[]) => ts.reduce((s, t) => s + t.data.reduce((u, x) => u + x * x, 0), 0);
const relErr = (a: ArrayLike<number>, b: ArrayLike<number>) => maxAbsDiff(a, b) / Math.max(1e-300, maxAbsDiff(b, new Float64Array(b.length)));

test('MLP view: E_a = W_x W[:d_e], E_b = W_y W[d_e:], pre/hidden/logits equal the reference forward', () => {
  const params = initParams(paramSpecs({ kind: 'mlp', embedDim: 5, hiddenDim: 7 }, N), 3);
  const v = modelView('mlp', params, N);
  assert.equal(v.kind, 'mlp');
  assert.deepEqual([v.N, v.embedWidth, v.h], [6, 7, 7]);
  const p = mlpParams(to64(params) as unknown as NamedTensor[]);
  const ref = mlpRunWithCache(p, allRows);
  // the hook cache stores float32 copies; the logits are the float64 forward
  assert.ok(relErr(v.hidden, ref.cache.get('hidden')!.data) < 1e-6);
  assert.ok(relErr(v.logits, ref.logits) < 1e-12);
  // pre = embed_stack W
  const es = ref.cache.get('embed_stack')!.data;
  for (let r = 0; r < N * N; r++)
    for (let j = 0; j < 7; j++) {
      let s = 0;
      for (let k = 0; k < 10; k++) s += es[r * 10 + k]! * p.W[k * 7 + j]!;
      assert.ok(Math.abs(v.pre[r * 7 + j]! - s) < 1e-12);
    }
  // E_a[a] + E_b[b] = pre[(a, b)]
  for (let a = 0; a < N; a++)
    for (let b = 0; b < N; b++)
      for (let j = 0; j < 7; j++) assert.ok(Math.abs(v.E_a[a * 7 + j]! + v.E_b[b * 7 + j]! - v.pre[(a * N + b) * 7 + j]!) < 1e-12);
  assert.ok(relErr(v.U, p.W_U) === 0);
  assert.ok(v.pre.some((x) => x < 0) && v.hidden.every((x) => x >= 0));
  assert.ok(Math.abs(v.sumOfSquaredWeights - sumSq(params)) < 1e-9);
});

test('bilinear view: hidden = pre = W_x[a] ⊙ W_y[b], logits equal the reference forward', () => {
  const params = initParams(paramSpecs({ kind: 'bilinear', embedDim: 4, hiddenDim: 4 }, N), 5);
  const v = modelView('bilinear', params, N);
  assert.deepEqual([v.N, v.embedWidth, v.h], [6, 4, 4]);
  const p = bilinearParams(to64(params) as unknown as NamedTensor[]);
  const ref = bilinearRunWithCache(p, allRows);
  assert.ok(relErr(v.hidden, ref.cache.get('hidden')!.data) < 1e-6); // float32 hook cache
  assert.deepEqual(v.pre, v.hidden);
  assert.ok(relErr(v.logits, ref.logits) < 1e-12);
  assert.deepEqual(v.E_a, Float64Array.from(params[0]!.data));
  assert.deepEqual(v.E_b, Float64Array.from(params[1]!.data));
  assert.ok(Math.abs(v.sumOfSquaredWeights - sumSq(params)) < 1e-9);
});

test('transformer view: last-position hook_pre / hook_post / logits of runWithCache; U = W_out W_U; E = W_E[:N]', () => {
  const params = initTransformerParams(N, 2);
  // non-zero biases so every path of the per-token tables is exercised
  const rng = new Rng(9);
  for (const p of params) if (p.name.includes('b_')) for (let i = 0; i < p.data.length; i++) p.data[i] = 0.1 * rng.normal();
  const v = modelView('transformer', params, N);
  assert.deepEqual([v.N, v.embedWidth, v.h], [6, 128, 512]);
  const ref = runWithCache(params, allRows, ['blocks.0.mlp.hook_pre', 'blocks.0.mlp.hook_post']);
  const last = (t: Float64Array, F: number) => {
    const out = new Float64Array(N * N * F);
    for (let r = 0; r < N * N; r++) out.set(t.subarray((r * 3 + 2) * F, (r * 3 + 3) * F), r * F);
    return out;
  };
  assert.ok(relErr(v.pre, last(ref.cache.get('blocks.0.mlp.hook_pre')!.data, 512)) < 1e-12);
  assert.ok(relErr(v.hidden, last(ref.cache.get('blocks.0.mlp.hook_post')!.data, 512)) < 1e-12);
  assert.ok(relErr(v.logits, ref.lastLogits.data) < 1e-12);
  const W_E = params.find((p) => p.name === 'embed.W_E')!.data;
  assert.deepEqual(v.E_a, Float64Array.from(W_E.subarray(0, N * 128)));
  assert.deepEqual(v.E_b, v.E_a);
  const W_out = params.find((p) => p.name === 'blocks.0.mlp.W_out')!.data;
  const W_U = params.find((p) => p.name === 'unembed.W_U')!.data;
  for (const [f, n] of [
    [0, 0],
    [511, 5],
    [100, 3],
  ] as const) {
    let s = 0;
    for (let d = 0; d < 128; d++) s += W_out[f * 128 + d]! * W_U[d * N + n]!;
    assert.ok(Math.abs(v.U[f * N + n]! - s) < 1e-12);
  }
  // hiddenU = hidden · U, row by row
  for (const [r, n] of [
    [0, 0],
    [N * N - 1, 5],
    [17, 2],
  ] as const) {
    let s = 0;
    for (let f = 0; f < 512; f++) s += v.hidden[r * 512 + f]! * v.U[f * N + n]!;
    assert.ok(Math.abs(v.hiddenU![r * N + n]! - s) < 1e-12 * (1 + Math.abs(s)));
  }
  const weights = params.filter((p) => !p.name.includes('b_'));
  assert.ok(Math.abs(v.sumOfSquaredWeights - sumSq(weights)) < 1e-9 * sumSq(weights));
  assert.ok(v.sumOfSquaredWeights > 0);
});

test('modelView rejects a missing parameter, a shape that does not fit N, and an unknown kind', () => {
  const params = initParams(paramSpecs({ kind: 'mlp', embedDim: 3, hiddenDim: 4 }, N), 1);
  assert.throws(
    () => modelView('mlp', params.slice(1), N),
    (e: unknown) => e instanceof UsageError && /W_x/.test(e.message),
  );
  assert.throws(
    () => modelView('mlp', params, 7),
    (e: unknown) => e instanceof UsageError && /shape/.test(e.message),
  );
  assert.throws(
    () => modelView('transformer', params, N),
    (e: unknown) => e instanceof UsageError && /embed\.W_E/.test(e.message),
  );
  assert.throws(() => modelView('cnn' as never, params, N), UsageError);
});

test("a view built with `reuse` overwrites the old view's arrays and equals a fresh view, bit for bit", () => {
  for (const kind of ['mlp', 'bilinear', 'transformer'] as const) {
    const spec = { kind, embedDim: 5, hiddenDim: 7 };
    const init = (seed: number) => (kind === 'transformer' ? initTransformerParams(N, seed) : initParams(paramSpecs(spec, N), seed));
    const old = modelView(kind, init(1), N);
    const params = init(2);
    const fresh = modelView(kind, params, N);
    const again = modelView(kind, params, N, old);
    assert.equal(again.logits, old.logits, `${kind}: logits array reused`);
    assert.equal(again.pre, old.pre, `${kind}: pre array reused`);
    for (const k of ['pre', 'hidden', 'logits', 'E_a', 'E_b', 'hiddenU'] as const) assert.deepEqual(again[k], fresh[k], `${kind} ${k}`);
    if (kind === 'transformer') assert.equal(again.hiddenU, old.hiddenU, 'transformer: hiddenU array reused');
    else assert.equal(again.hiddenU, undefined);
    if (kind !== 'bilinear') assert.notEqual(again.hidden, again.pre);
    // a view of another kind or size is not reused
    const other = modelView(
      'mlp',
      initParams(paramSpecs({ kind: 'mlp', embedDim: 5, hiddenDim: 7 }, N), 4),
      N,
      kind === 'bilinear' ? again : undefined,
    );
    assert.notEqual(other.pre, again.pre);
  }
});
