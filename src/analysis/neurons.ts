/**
 * Hidden neurons (notebook "Hidden Layer Neurons"):
 * - dead: neurons with ‖left‖² < deadThreshold and ‖right‖² < deadThreshold (left/right: the input-side
 *   pre-activations, see neuron-inputs.ts; the notebook's x_embed/y_embed columns, threshold 1);
 *   deadHidden: neurons whose centred post-ReLU activations have Σ_rows H̄² < deadHiddenThreshold (110);
 * - clusters: a neuron belongs to a non-trivial irrep ρ when ‖Q_ρᵀ left‖² and ‖Q_ρᵀ right‖² both exceed
 *   assignThreshold (1), the notebook's rule (it selected on each side and asserted the two sets agree);
 *   `oneSided` lists the neurons where only one side passes for some ρ (in no cluster for that ρ: a neuron
 *   that reads ρ on one input only is not ρ's blocky product neuron); unaccounted: neither dead nor in any
 *   cluster;
 * - for each non-empty cluster C, with H̄ = H − mean over pairs: the fraction of Σ_{n∈C} ‖H̄[:, n]‖² in
 *   the spans of ρ(a) (x), ρ(b) (y), ρ(ab) (xy) and the constants (trivial; 0 on centred H̄, as printed by
 *   the notebook), and meanShare: the share of the uncentred Σ_{n∈C} ‖H[:, n]‖² that is the neurons' means.
 */
import { orthRep } from '../reps/orth-rep.js';
import type { Irrep } from '../reps/irrep.js';
import { nonTrivialIrreps, type AnalysisInput } from './analysis-input.js';
import { neuronInputs } from './neuron-inputs.js';
import { pairSums } from '../measures/pair-sums.js';
import { columnSquares } from '../measures/sum-of-squares.js';
import { coefficientNorms, columnMeans } from './coefficient-norms.js';

export interface NeuronOptions {
  /** Σ_a left(a)² (and Σ_b right(b)²) below this: dead. Notebook: 1. */
  deadThreshold: number;
  /** Squared norm of a neuron's left or right input in ρ's coefficient space above this: assigned to ρ. Notebook: 1. */
  assignThreshold: number;
  /** Σ over pairs of the centred hidden activation² below this: dead in the hidden layer. Notebook: 110. */
  deadHiddenThreshold: number;
}

export const NEURON_DEFAULTS: NeuronOptions = { deadThreshold: 1, assignThreshold: 1, deadHiddenThreshold: 110 };

export interface HiddenShares {
  x: number;
  y: number;
  xy: number;
  trivial: number;
  /** x + y + xy + trivial. */
  total: number;
}

export interface NeuronCluster {
  irrep: string;
  key: boolean;
  neurons: number[];
  /** Of the cluster's centred hidden activations; NaN for an empty cluster. */
  fve: HiddenShares;
  /** Share of the cluster's uncentred Σ H² that is its neurons' means (NaN when empty). */
  meanShare: number;
}

export interface NeuronAnalysis {
  source: string;
  h: number;
  dead: number[];
  deadHidden: number[];
  /** One per non-trivial irrep, irreps order. */
  clusters: NeuronCluster[];
  unaccounted: number[];
  /** Neurons in more than one cluster. */
  multiplyAssigned: number[];
  /** Neurons assigned by one side (left or right) only. */
  oneSided: number[];
}

export function neuronAnalysis(inp: AnalysisInput, opts: NeuronOptions = NEURON_DEFAULTS): NeuronAnalysis {
  const G = inp.group;
  const N = G.order;
  const { h, hidden } = inp.view;
  const io = neuronInputs(inp.view);
  const lsq = columnSquares(io.left, N, h);
  const rsq = columnSquares(io.right, N, h);
  const dead: number[] = [];
  for (let n = 0; n < h; n++) if (lsq[n]! < opts.deadThreshold && rsq[n]! < opts.deadThreshold) dead.push(n);
  const isDead = new Set(dead);

  // centred hidden and its sums over each input
  const mean = columnMeans(hidden, N * N, h);
  const Hc = new Float64Array(hidden.length);
  for (let r = 0; r < N * N; r++) for (let j = 0; j < h; j++) Hc[r * h + j] = hidden[r * h + j]! - mean[j]!;
  const hsq = columnSquares(Hc, N * N, h);
  const rawSq = columnSquares(hidden, N * N, h);
  const deadHidden: number[] = [];
  for (let n = 0; n < h; n++) if (hsq[n]! < opts.deadHiddenThreshold) deadHidden.push(n);
  const sums = pairSums(Hc, N, h, G.table);
  const colSum = new Float64Array(h);
  for (let r = 0; r < N * N; r++) for (let j = 0; j < h; j++) colSum[j]! += Hc[r * h + j]!;

  const count = new Int32Array(h);
  const oneSided = new Set<number>();
  const key = new Set(inp.keyReps);
  const clusters = nonTrivialIrreps(inp.irreps).map((rho: Irrep) => {
    const Q = orthRep(G, rho);
    const r = Q.length / N;
    const cx = coefficientNorms(Q, r, io.left, N, h);
    const cy = coefficientNorms(Q, r, io.right, N, h);
    const neurons: number[] = [];
    for (let n = 0; n < h; n++) {
      if (isDead.has(n)) continue;
      const ox = cx[n]! > opts.assignThreshold;
      const oy = cy[n]! > opts.assignThreshold;
      if (ox && oy) {
        neurons.push(n);
        count[n]!++;
      } else if (ox || oy) oneSided.add(n);
    }
    // X_ρ basis is Q[a]/√N over the N² pairs: Q_Xᵀ H̄ = Qᵀ Σ_b H̄ / √N
    const hx = coefficientNorms(Q, r, sums.byA, N, h, Math.sqrt(N));
    const hy = coefficientNorms(Q, r, sums.byB, N, h, Math.sqrt(N));
    const hxy = coefficientNorms(Q, r, sums.byProduct, N, h, Math.sqrt(N));
    let sx = 0,
      sy = 0,
      sxy = 0,
      st = 0,
      den = 0,
      raw = 0,
      means = 0;
    for (const n of neurons) {
      sx += hx[n]!;
      sy += hy[n]!;
      sxy += hxy[n]!;
      st += colSum[n]! ** 2 / (N * N);
      den += hsq[n]!;
      raw += rawSq[n]!;
      means += N * N * mean[n]! ** 2;
    }
    const fve = { x: sx / den, y: sy / den, xy: sxy / den, trivial: st / den, total: (sx + sy + sxy + st) / den };
    return { irrep: rho.name, key: key.has(rho.name), neurons, fve, meanShare: means / raw };
  });
  const unaccounted: number[] = [];
  const multiplyAssigned: number[] = [];
  for (let n = 0; n < h; n++) {
    if (!isDead.has(n) && count[n] === 0) unaccounted.push(n);
    if (count[n]! > 1) multiplyAssigned.push(n);
  }
  return {
    source: io.source,
    h,
    dead,
    deadHidden,
    clusters,
    unaccounted,
    multiplyAssigned,
    oneSided: [...oneSided].sort((a, b) => a - b),
  };
}
