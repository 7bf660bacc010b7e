/**
 * The paper's `blocky_sign_neurons`: the hidden activation of each of a few neurons over all pairs (a, b),
 * one facet per neuron, on one shared colour scale: sequential (white at 0 → red) when no value is negative,
 * as for post-ReLU activations, else diverging (the bilinear net's hidden layer is signed). For the sign neurons the pattern is blocky,
 * 1[a ∈ A]·1[b ∈ B] with A, B cosets of the alternating group, once the elements are ordered by sign
 * (`orderBy`: the elements sorted by a class function such as the sign character, even ones first).
 */
import { heatmap, type HeatmapFacet } from './svg/heatmap.js';
import type { Panel } from './svg/panel.js';

/** Element indices sorted by descending key (stable): e.g. the sign character puts the even elements first. */
export function orderBy(key: ArrayLike<number>): number[] {
  return Array.from({ length: key.length }, (_, i) => i).sort((i, j) => key[j]! - key[i]! || i - j);
}

export interface NeuronActivationsOptions {
  /** Order of the elements along both axes (default: index order). */
  order?: readonly number[];
  /** At most this many neurons (default 8). */
  max?: number;
  /** Axis note, e.g. "(even elements first)". */
  orderNote?: string;
}

/** hidden [N², h]; facets of hidden[(a, b), n] for each neuron n, a down, b across. */
export function neuronActivations(hidden: Float64Array, N: number, h: number, neurons: readonly number[], o: NeuronActivationsOptions = {}): Panel {
  const order = o.order ?? Array.from({ length: N }, (_, i) => i);
  if (order.length !== N) throw new RangeError(`neuronActivations: order has ${order.length} elements, expected ${N}`);
  const shown = neurons.slice(0, o.max ?? 8);
  const facets: HeatmapFacet[] = shown.map((n) => {
    if (!(n >= 0 && n < h)) throw new RangeError(`neuronActivations: neuron ${n} is not in 0..${h - 1}`);
    const values = new Float64Array(N * N);
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) values[i * N + j] = hidden[(order[i]! * N + order[j]!) * h + n]!;
    return { title: `neuron ${n}`, rows: N, cols: N, values };
  });
  const note = o.orderNote ? ` ${o.orderNote}` : '';
  return heatmap({
    facets,
    xLabel: `b${note}`,
    yLabel: `a${note}`,
    ticks: false,
    facetSize: 140,
    columns: 4,
    scale: facets.every((f) => Array.prototype.every.call(f.values, (v: number) => !(v < 0))) ? 'sequential' : 'diverging',
  });
}
