/** Hand-built ModelViews for the analysis tests (no trained model needed). */
import type { Group } from '../../src/groups/group.js';
import { matmul } from '../../src/linalg/matrix.js';
import type { ModelView } from '../../src/measures/model-view.js';

/** An MLP-shaped view: pre(a, b) = E_a[a] + E_b[b] [N, h] each, hidden = ReLU(pre), logits = hidden U. */
export function mlpView(G: Group, E_a: Float64Array, E_b: Float64Array, U: Float64Array, h: number): ModelView {
  const N = G.order;
  const pre = new Float64Array(N * N * h);
  for (let a = 0; a < N; a++) for (let b = 0; b < N; b++) for (let j = 0; j < h; j++) pre[(a * N + b) * h + j] = E_a[a * h + j]! + E_b[b * h + j]!;
  const hidden = pre.map((x) => Math.max(0, x));
  return { kind: 'mlp', N, embedWidth: h, h, E_a, E_b, pre, hidden, U, logits: matmul(hidden, U, N * N, h, N), sumOfSquaredWeights: 0 };
}

/**
 * A view whose hidden layer is given directly ([N², h]; kind 'bilinear', whose hidden = pre), with
 * input-side columns E_a, E_b [N, h] (what the neuron assignment reads) and unembedding U [h, N].
 */
export function hiddenView(G: Group, hidden: Float64Array, E_a: Float64Array, E_b: Float64Array, U: Float64Array, h: number): ModelView {
  const N = G.order;
  return { kind: 'bilinear', N, embedWidth: h, h, E_a, E_b, pre: hidden, hidden, U, logits: matmul(hidden, U, N * N, h, N), sumOfSquaredWeights: 0 };
}

export function randomMatrix(rows: number, cols: number, next: () => number): Float64Array {
  return Float64Array.from({ length: rows * cols }, next);
}

/** mlpView with E_a, E_b [N, h] and U [h, N] drawn from rng's normal, in that order. */
export function randomMlpView(G: Group, h: number, rng: { normal(): number }): ModelView {
  const N = G.order;
  const next = () => rng.normal();
  return mlpView(G, randomMatrix(N, h, next), randomMatrix(N, h, next), randomMatrix(h, N, next), h);
}
