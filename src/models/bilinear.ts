/**
 * The original's BilinearNet (REFERENCE §2.3), plain TypeScript reference:
 *   hidden = W_x[a] ⊙ W_y[b]      // [R, d_e]
 *   logits = hidden W_U           // [R, d_e] x [d_e, N] -> [R, N]
 */
import { crossEntropyBackward } from './loss.js';
import type { NamedTensor } from '../types/trainer.js';
import { type Arr, gatherRows, gatherRowsBackward, matmul, matmulBackward, mul, mulBackward, zerosLike } from './reference-ops.js';
import { type ActivationCache, CacheRecorder } from './hooks.js';
import { splitRows } from './mlp.js';

export const BILINEAR_PARAM_NAMES = ['W_x', 'W_y', 'W_U'] as const;
export const BILINEAR_HOOKS = ['hidden'] as const;

export interface BilinearParams {
  N: number;
  d_e: number;
  W_x: Arr; // [N, d_e]
  W_y: Arr; // [N, d_e]
  W_U: Arr; // [d_e, N]
}

/** Views named tensors (W_x, W_y, W_U) as BilinearParams; shapes are checked. */
export function bilinearParams(tensors: readonly NamedTensor[]): BilinearParams {
  const get = (name: string) => {
    const t = tensors.find((x) => x.name === name);
    if (!t) throw new Error(`bilinear parameter ${name} missing`);
    return t;
  };
  const [N, d_e] = get('W_x').shape as [number, number];
  const expect: Record<string, number[]> = { W_x: [N, d_e], W_y: [N, d_e], W_U: [d_e, N] };
  for (const [name, shape] of Object.entries(expect))
    if (get(name).shape.join() !== shape.join()) throw new Error(`bilinear parameter ${name} has shape [${get(name).shape}], expected [${shape}]`);
  return { N, d_e, W_x: get('W_x').data, W_y: get('W_y').data, W_U: get('W_U').data };
}

/** Reference forward on rows r = a·N + b: logits [R, N] and a call-scoped cache of `hidden` [R, d_e]. */
export function bilinearRunWithCache(p: BilinearParams, rows: Int32Array, names?: readonly string[]): { logits: Arr; cache: ActivationCache } {
  const rec = new CacheRecorder(BILINEAR_HOOKS, names);
  const { a, b } = splitRows(rows, p.N);
  const hidden = mul(gatherRows(p.W_x, p.d_e, a), gatherRows(p.W_y, p.d_e, b)); // [R, d_e]
  rec.record('hidden', [rows.length, p.d_e], hidden);
  return { logits: matmul(hidden, p.W_U, rows.length, p.d_e, p.N), cache: rec.cache };
}

/** Mean cross-entropy on (rows, labels) and its gradients w.r.t. W_x, W_y, W_U. */
export function bilinearLossAndGrads(
  p: BilinearParams,
  rows: Int32Array,
  labels: Int32Array,
): { loss: number; logits: Arr; grads: { W_x: Arr; W_y: Arr; W_U: Arr } } {
  const R = rows.length;
  const { a, b } = splitRows(rows, p.N);
  const xa = gatherRows(p.W_x, p.d_e, a); // [R, d_e]
  const yb = gatherRows(p.W_y, p.d_e, b); // [R, d_e]
  const hidden = mul(xa, yb);
  const logits = matmul(hidden, p.W_U, R, p.d_e, p.N); // [R, d_e] x [d_e, N] -> [R, N]
  const dlogits = zerosLike(logits, logits.length);
  const loss = crossEntropyBackward(logits, labels, p.N, dlogits);
  const [dhidden, dW_U] = matmulBackward(dlogits, hidden, p.W_U, R, p.d_e, p.N);
  const [dxa, dyb] = mulBackward(dhidden, xa, yb);
  return {
    loss,
    logits,
    grads: { W_x: gatherRowsBackward(dxa, p.d_e, a, p.N), W_y: gatherRowsBackward(dyb, p.d_e, b, p.N), W_U: dW_U },
  };
}
