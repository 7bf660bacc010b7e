import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupFromPermutations } from '../../src/groups/permutation.js';
import { Rng } from '../../src/linalg/rng.js';
import {
  TRANSFORMER_HOOK_NAMES,
  initTransformerParams,
  referenceLoss,
  referenceLossAndGrads,
  runWithCache,
  transformerParamSpecs,
  type ParamTensor,
} from '../../src/models/transformer.js';

const P = (...xs: number[]) => Int32Array.from(xs);
const S3 = groupFromPermutations('S3', [P(1, 2, 0), P(1, 0, 2)]);
const labelsOf = (table: Int32Array, rows: Int32Array) => Int32Array.from(rows, (r) => table[r]!);

test('transformerParamSpecs lists the TransformerLens names and shapes; init draws weights, zero biases', () => {
  const specs = transformerParamSpecs(6);
  assert.deepEqual(specs.find((s) => s.name === 'embed.W_E')!.shape, [7, 128]);
  assert.deepEqual(specs.find((s) => s.name === 'unembed.W_U')!.shape, [128, 6]);
  assert.deepEqual(specs.find((s) => s.name === 'blocks.0.attn.W_O')!.shape, [4, 32, 128]);
  assert.equal(specs.length, 16);
  const params = initTransformerParams(6, 0);
  for (const p of params) {
    const n = p.data.length;
    let ss = 0;
    for (const x of p.data) ss += x * x;
    if (p.name.includes('b_')) assert.equal(ss, 0, p.name);
    else if (n > 1000) assert.ok(Math.abs(Math.sqrt(ss / n) / (0.8 / Math.sqrt(128)) - 1) < 0.1, p.name);
  }
  assert.notDeepEqual(initTransformerParams(6, 1)[0]!.data, params[0]!.data);
  assert.deepEqual(initTransformerParams(6, 0)[14]!.data, params[14]!.data);
});

test('runWithCache returns every TransformerLens hook with its shape, and last-position logits', () => {
  const N = 6;
  const params = initTransformerParams(N, 3);
  const rows = P(0, 7, 35);
  const { logits, lastLogits, cache } = runWithCache(params, rows);
  const R = 3,
    D = 128,
    H = 4,
    E = 32,
    F = 512;
  const shapes: Record<string, number[]> = {
    hook_embed: [R, 3, D],
    hook_pos_embed: [R, 3, D],
    'blocks.0.hook_resid_pre': [R, 3, D],
    'blocks.0.attn.hook_q': [R, 3, H, E],
    'blocks.0.attn.hook_k': [R, 3, H, E],
    'blocks.0.attn.hook_v': [R, 3, H, E],
    'blocks.0.attn.hook_attn_scores': [R, H, 3, 3],
    'blocks.0.attn.hook_pattern': [R, H, 3, 3],
    'blocks.0.attn.hook_z': [R, 3, H, E],
    'blocks.0.hook_attn_out': [R, 3, D],
    'blocks.0.hook_resid_mid': [R, 3, D],
    'blocks.0.mlp.hook_pre': [R, 3, F],
    'blocks.0.mlp.hook_post': [R, 3, F],
    'blocks.0.hook_mlp_out': [R, 3, D],
    'blocks.0.hook_resid_post': [R, 3, D],
  };
  assert.deepEqual([...cache.keys()], [...TRANSFORMER_HOOK_NAMES]);
  for (const [name, t] of cache) {
    assert.deepEqual(t.shape, shapes[name], name);
    assert.equal(
      t.data.length,
      t.shape.reduce((a, b) => a * b, 1),
      name,
    );
  }
  assert.deepEqual(logits.shape, [R, 3, N]);
  assert.deepEqual(lastLogits.shape, [R, N]);
  // Causal pattern: rows sum to 1, zero above the diagonal; scores there are -Infinity.
  const pat = cache.get('blocks.0.attn.hook_pattern')!.data;
  const sc = cache.get('blocks.0.attn.hook_attn_scores')!.data;
  for (let i = 0; i < R * H; i++)
    for (let q = 0; q < 3; q++) {
      let s = 0;
      for (let k = 0; k < 3; k++) {
        s += pat[i * 9 + q * 3 + k]!;
        if (k > q) (assert.equal(pat[i * 9 + q * 3 + k], 0), assert.equal(sc[i * 9 + q * 3 + k], -Infinity));
      }
      assert.ok(Math.abs(s - 1) < 1e-12);
    }
  // Embedding of row 7 = (a=1, b=1): token 1 at positions 0 and 1, "=" (token 6) at position 2.
  const We = params[0]!.data,
    emb = cache.get('hook_embed')!.data;
  assert.equal(emb[1 * 3 * D + 0 * D + 5], We[1 * D + 5]);
  assert.equal(emb[1 * 3 * D + 2 * D + 5], We[6 * D + 5]);
  // The residual stream adds up and logits are resid_post W_U.
  const post = cache.get('blocks.0.hook_resid_post')!.data,
    WU = params[14]!.data;
  let l = 0;
  for (let d = 0; d < D; d++) l += post[(2 * 3 + 2) * D + d]! * WU[d * N + 4]!;
  assert.ok(Math.abs(l - lastLogits.data[2 * N + 4]!) < 1e-9);
  // Only the requested names are kept.
  assert.deepEqual([...runWithCache(params, rows, ['blocks.0.mlp.hook_post']).cache.keys()], ['blocks.0.mlp.hook_post']);
  assert.throws(() => runWithCache(params, rows, ['blocks.0.hook_nope']), /unknown hook/);
});

test('referenceLossAndGrads matches central finite differences in float64 for every parameter', () => {
  const N = S3.order;
  const rng = new Rng(11);
  // Non-zero biases so every path (and every bias gradient) is exercised.
  const params: ParamTensor[] = initTransformerParams(N, 5).map((p) => ({
    name: p.name,
    shape: p.shape,
    data: Float64Array.from(p.data, (x) => (p.name.includes('b_') ? 0.05 * rng.normal() : x * 3)),
  }));
  const rows = P(1, 8, 20, 33);
  const labels = labelsOf(S3.table, rows);
  const { grads } = referenceLossAndGrads(params, rows, labels);
  const lossAt = (ps: ParamTensor[]) => referenceLoss(ps, rows, labels);
  const h = 1e-5;
  for (let pi = 0; pi < params.length; pi++) {
    const p = params[pi]!;
    const g = grads.get(p.name)!;
    // A random direction, plus the coordinate with the largest gradient.
    const dir = Float64Array.from(p.data, () => rng.normal());
    let best = 0;
    for (let i = 0; i < g.length; i++) if (Math.abs(g[i]!) > Math.abs(g[best]!)) best = i;
    const one = new Float64Array(p.data.length);
    one[best] = 1;
    for (const d of [dir, one]) {
      const shifted = (s: number) => params.map((q, j) => (j === pi ? { ...q, data: Float64Array.from(q.data, (x, i) => x + s * d[i]!) } : q));
      const fd = (lossAt(shifted(h)) - lossAt(shifted(-h))) / (2 * h);
      let an = 0;
      for (let i = 0; i < g.length; i++) an += g[i]! * d[i]!;
      assert.ok(Math.abs(fd - an) <= 1e-6 * Math.max(1e-3, Math.abs(fd)), `${p.name}: finite difference ${fd} vs analytic ${an}`);
    }
  }
});
