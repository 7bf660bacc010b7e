/**
 * Small products the hidden-layer analyses share: H·U, and the logits of a projection of H on one of
 * the spans X_ρ, Y_ρ, Z_ρ (functions of a, of b or of a·b), which need only an [N, N] table.
 */
import { matmul } from '../linalg/matrix.js';
import type { ModelView } from '../measures/model-view.js';

/**
 * H U: [N², h] x [h, N] -> [N², N]. For the MLP and the bilinear net this is the logits (ModelView's
 * contract), so they are returned as they are; for the transformer it is computed (and memoised per view).
 */
const cache = new WeakMap<ModelView, Float64Array>();
export function hiddenTimesU(view: ModelView): Float64Array {
  if (view.kind !== 'transformer') return view.logits;
  let B = cache.get(view);
  if (!B) cache.set(view, (B = matmul(view.hidden, view.U, view.N * view.N, view.h, view.N)));
  return B;
}

/**
 * With Q [N, r] orthonormal and S [N, h] the sums of H over the other input (or over a·b = g), the
 * projection of H on the span whose basis is Q[x]/√N has logits (Q Q S U / N)[x] at every pair whose
 * a (or b, or a·b) is x: [N, N].
 */
export function projectedLogitTable(Q: Float64Array, r: number, S: Float64Array, U: Float64Array, N: number, h: number): Float64Array {
  // [N, r]ᵀ x [N, h] -> [r, h]
  const C = new Float64Array(r * h);
  for (let x = 0; x < N; x++)
    for (let i = 0; i < r; i++) {
      const q = Q[x * r + i]!;
      for (let j = 0; j < h; j++) C[i * h + j]! += q * S[x * h + j]!;
    }
  const CU = matmul(C, U, r, h, N); // [r, h] x [h, N] -> [r, N]
  const D = matmul(Q, CU, N, r, N); // [N, r] x [r, N] -> [N, N]
  for (let i = 0; i < D.length; i++) D[i]! /= N;
  return D;
}
