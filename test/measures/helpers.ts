/**
 * Shared helpers of the measures tests (reference and fast path): random model views for a group, views
 * built by hand from chosen matrices, random splits and matrices. Everything seeded.
 */
import type { Group } from '../../src/groups/group.js';
import { matmul } from '../../src/linalg/matrix.js';
import { Rng } from '../../src/linalg/rng.js';
import { modelView, type ModelView } from '../../src/measures/model-view.js';
import { initParams, paramSpecs } from '../../src/models/init.js';
import { initTransformerParams } from '../../src/models/transformer.js';
import type { Irrep } from '../../src/reps/irrep.js';
import { splitData } from '../../src/train/split.js';
import type { ModelKind } from '../../src/types/trainer.js';

/** [m, n] of N(0, scale²) draws. */
export function randomMatrix(rng: Rng, m: number, n: number, scale = 1): Float64Array {
  const A = new Float64Array(m * n);
  for (let i = 0; i < A.length; i++) A[i] = rng.normal() * scale;
  return A;
}

/** A train/test split of the N² rows (fraction `frac` train). */
export function randomSplit(N: number, frac: number, seed: number): { train: Int32Array; test: Int32Array } {
  return splitData(N, frac, seed);
}

/**
 * The view of a freshly initialised model of `kind` over G (MLP/bilinear: embed `embedDim`, hidden
 * `hiddenDim`; the transformer has its fixed shape), scaled by `scale` so logits are not all tiny.
 * With `randomBiases` the transformer's (normally zero) biases get N(0, 0.1²) values.
 */
export function randomView(
  G: Group,
  kind: ModelKind,
  seed: number,
  opts: { embedDim?: number; hiddenDim?: number; scale?: number; randomBiases?: boolean } = {},
): ModelView {
  const N = G.order;
  const params =
    kind === 'transformer'
      ? initTransformerParams(N, seed)
      : initParams(paramSpecs({ kind, embedDim: opts.embedDim ?? 8, hiddenDim: opts.hiddenDim ?? 12 }, N), seed);
  const scale = opts.scale ?? 2;
  const rng = new Rng(seed + 1000);
  for (const p of params) {
    if (p.name.includes('b_')) {
      if (opts.randomBiases) for (let i = 0; i < p.data.length; i++) p.data[i] = 0.1 * rng.normal();
    } else for (let i = 0; i < p.data.length; i++) p.data[i]! *= scale;
  }
  return modelView(kind, params, N);
}

/**
 * A view from chosen matrices: E_a, E_b [N, w], hidden [N², h], U [h, N]; pre = hidden; logits = hidden·U
 * unless given. Defaults: random embeddings (w = 5). kind 'mlp' (the measures never look at it).
 */
export function handView(
  N: number,
  parts: { hidden: Float64Array; U: Float64Array; h: number; E_a?: Float64Array; E_b?: Float64Array; embedWidth?: number; logits?: Float64Array },
  seed = 0,
): ModelView {
  const rng = new Rng(seed);
  const w = parts.embedWidth ?? 5;
  return {
    kind: 'mlp',
    N,
    embedWidth: w,
    h: parts.h,
    E_a: parts.E_a ?? randomMatrix(rng, N, w),
    E_b: parts.E_b ?? randomMatrix(rng, N, w),
    pre: parts.hidden,
    hidden: parts.hidden,
    U: parts.U,
    logits: parts.logits ?? matmul(parts.hidden, parts.U, N * N, parts.h, N),
    sumOfSquaredWeights: 0,
  };
}

/** f = R_ρ M: [N, d²] x [d², n] -> [N, n], a random function in the span of ρ's matrix coefficients. */
export function inCoefficientSpan(rho: Irrep, N: number, n: number, rng: Rng): Float64Array {
  const d2 = rho.dim * rho.dim;
  return matmul(rho.matrices, randomMatrix(rng, d2, n), N, d2, n);
}

/** Rows (a, b) of a function of one element: H[(a, b)] = f[pick(a, b)] for f [N, n]. [N², n] */
export function liftToPairs(G: Group, f: Float64Array, n: number, pick: 'a' | 'b' | 'ab'): Float64Array {
  const N = G.order;
  const H = new Float64Array(N * N * n);
  for (let a = 0; a < N; a++)
    for (let b = 0; b < N; b++) {
      const g = pick === 'a' ? a : pick === 'b' ? b : G.table[a * N + b]!;
      H.set(f.subarray(g * n, g * n + n), (a * N + b) * n);
    }
  return H;
}
