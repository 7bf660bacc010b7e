/**
 * The original's OneLayerMLP (REFERENCE §2.1), plain TypeScript reference:
 *   embed_stack = [W_x[a] ; W_y[b]]         // [R, 2d_e]
 *   hidden      = ReLU(embed_stack W)       // [R, 2d_e] x [2d_e, h] -> [R, h]
 *   logits      = hidden W_U                // [R, h] x [h, N] -> [R, N]
 * No biases. The fast path (src/kernels/) computes the same maths factored as
 * ReLU((W_x W[:d_e])[a] + (W_y W[d_e:])[b]) W_U.
 */
import { crossEntropyBackward } from './loss.js';
import type { NamedTensor } from '../types/trainer.js';
import {
  type Arr,
  concatCols,
  concatColsBackward,
  gatherRows,
  gatherRowsBackward,
  matmul,
  matmulBackward,
  relu,
  reluBackward,
  zerosLike,
} from './reference-ops.js';
import { type ActivationCache, CacheRecorder } from './hooks.js';

export const MLP_PARAM_NAMES = ['W_x', 'W_y', 'W', 'W_U'] as const;
export const MLP_HOOKS = ['embed_stack', 'hidden'] as const;

export interface MlpParams {
  /** Group order, embedding width d_e, hidden width h. */
  N: number;
  d_e: number;
  h: number;
  W_x: Arr; // [N, d_e]
  W_y: Arr; // [N, d_e]
  W: Arr; // [2d_e, h]
  W_U: Arr; // [h, N]
}

/** Views named tensors (W_x, W_y, W, W_U) as MlpParams; shapes are checked. */
export function mlpParams(tensors: readonly NamedTensor[]): MlpParams {
  const get = (name: string) => {
    const t = tensors.find((x) => x.name === name);
    if (!t) throw new Error(`MLP parameter ${name} missing`);
    return t;
  };
  const [N, d_e] = get('W_x').shape as [number, number];
  const h = get('W').shape[1]!;
  const expect: Record<string, number[]> = { W_x: [N, d_e], W_y: [N, d_e], W: [2 * d_e, h], W_U: [h, N] };
  for (const [name, shape] of Object.entries(expect))
    if (get(name).shape.join() !== shape.join()) throw new Error(`MLP parameter ${name} has shape [${get(name).shape}], expected [${shape}]`);
  return { N, d_e, h, W_x: get('W_x').data, W_y: get('W_y').data, W: get('W').data, W_U: get('W_U').data };
}

/** Row indices r = a·N + b split into a and b. */
export function splitRows(rows: Int32Array, N: number): { a: Int32Array; b: Int32Array } {
  const a = new Int32Array(rows.length);
  const b = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    a[i] = Math.floor(rows[i]! / N);
    b[i] = rows[i]! % N;
  }
  return { a, b };
}

interface MlpForward {
  logits: Arr;
  embed_stack: Arr;
  pre: Arr;
  hidden: Arr;
}

function forward(p: MlpParams, a: Int32Array, b: Int32Array): MlpForward {
  const R = a.length;
  const embed_stack = concatCols(gatherRows(p.W_x, p.d_e, a), p.d_e, gatherRows(p.W_y, p.d_e, b), p.d_e, R); // [R, 2d_e]
  const pre = matmul(embed_stack, p.W, R, 2 * p.d_e, p.h); // [R, 2d_e] x [2d_e, h] -> [R, h]
  const hidden = relu(pre);
  const logits = matmul(hidden, p.W_U, R, p.h, p.N); // [R, h] x [h, N] -> [R, N]
  return { logits, embed_stack, pre, hidden };
}

/**
 * Reference forward on rows r = a·N + b, returning the logits [R, N] and a cache of the requested hooks
 * (`embed_stack` [R, 2d_e], `hidden` [R, h]; all when `names` is omitted), scoped to this call.
 */
export function mlpRunWithCache(p: MlpParams, rows: Int32Array, names?: readonly string[]): { logits: Arr; cache: ActivationCache } {
  const rec = new CacheRecorder(MLP_HOOKS, names);
  const { a, b } = splitRows(rows, p.N);
  const f = forward(p, a, b);
  rec.record('embed_stack', [rows.length, 2 * p.d_e], f.embed_stack);
  rec.record('hidden', [rows.length, p.h], f.hidden);
  return { logits: f.logits, cache: rec.cache };
}

/** Mean cross-entropy on (rows, labels) and its gradients w.r.t. W_x, W_y, W, W_U (same array type as p). */
export function mlpLossAndGrads(
  p: MlpParams,
  rows: Int32Array,
  labels: Int32Array,
): { loss: number; logits: Arr; grads: { W_x: Arr; W_y: Arr; W: Arr; W_U: Arr } } {
  const R = rows.length;
  const { a, b } = splitRows(rows, p.N);
  const f = forward(p, a, b);
  const dlogits = zerosLike(f.logits, f.logits.length);
  const loss = crossEntropyBackward(f.logits, labels, p.N, dlogits);
  const [dhidden, dW_U] = matmulBackward(dlogits, f.hidden, p.W_U, R, p.h, p.N);
  const dpre = reluBackward(dhidden, f.pre);
  const [dembed, dW] = matmulBackward(dpre, f.embed_stack, p.W, R, 2 * p.d_e, p.h);
  const [dxa, dyb] = concatColsBackward(dembed, p.d_e, p.d_e, R);
  const dW_x = gatherRowsBackward(dxa, p.d_e, a, p.N);
  const dW_y = gatherRowsBackward(dyb, p.d_e, b, p.N);
  return { loss, logits: f.logits, grads: { W_x: dW_x, W_y: dW_y, W: dW, W_U: dW_U } };
}
