/**
 * Each hidden neuron's input-side functions of a and of b: the "left" and "right" pre-activations.
 * MLP: pre(a, b) = E_a[a] + E_b[b], so they are the columns of E_a = W_x·W[:d_e] and E_b = W_y·W[d_e:]
 * (the notebook's x_embed, y_embed); bilinear: the columns of W_x and W_y (pre = W_x[a] ⊙ W_y[b]).
 * Transformer (E_a = W_E, not per neuron): the marginal means of pre, left(a) = mean_b pre(a, b),
 * right(b) = mean_a pre(a, b). `interaction` is, per neuron, the share of pre's variance over the N²
 * pairs that is not additive (not a function of a plus a function of b): 0 for the MLP.
 */
import type { ModelView } from '../measures/model-view.js';

export interface NeuronInputs {
  /** [N, h] left(a) per neuron. */
  left: Float64Array;
  /** [N, h] right(b) per neuron. */
  right: Float64Array;
  /** Where left/right come from. */
  source: 'E_a, E_b columns' | 'W_x, W_y columns' | 'marginal means of pre';
  /** [h] non-additive share of each neuron's pre-activation variance (NaN for a constant neuron). */
  interaction: Float64Array;
}

export function neuronInputs(view: ModelView): NeuronInputs {
  const { N, h, pre } = view;
  // marginal means of pre: [N, h] each, and the grand mean [h]
  const ma = new Float64Array(N * h);
  const mb = new Float64Array(N * h);
  const m = new Float64Array(h);
  for (let a = 0; a < N; a++)
    for (let b = 0; b < N; b++) {
      const r = (a * N + b) * h;
      for (let j = 0; j < h; j++) {
        const x = pre[r + j]!;
        ma[a * h + j]! += x;
        mb[b * h + j]! += x;
        m[j]! += x;
      }
    }
  for (let i = 0; i < N * h; i++) {
    ma[i]! /= N;
    mb[i]! /= N;
  }
  for (let j = 0; j < h; j++) m[j]! /= N * N;
  const total = new Float64Array(h);
  const rest = new Float64Array(h);
  for (let a = 0; a < N; a++)
    for (let b = 0; b < N; b++) {
      const r = (a * N + b) * h;
      for (let j = 0; j < h; j++) {
        const c = pre[r + j]! - m[j]!;
        total[j]! += c * c;
        const e = c - (ma[a * h + j]! - m[j]!) - (mb[b * h + j]! - m[j]!);
        rest[j]! += e * e;
      }
    }
  const interaction = new Float64Array(h);
  for (let j = 0; j < h; j++) interaction[j] = total[j]! > 0 ? rest[j]! / total[j]! : NaN;
  if (view.kind !== 'transformer' && view.embedWidth === h)
    return { left: view.E_a, right: view.E_b, source: view.kind === 'mlp' ? 'E_a, E_b columns' : 'W_x, W_y columns', interaction };
  return { left: ma, right: mb, source: 'marginal means of pre', interaction };
}
