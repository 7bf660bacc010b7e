/**
 * Ablations in the hidden layer (notebook "evidence: only ρ(ab) is important"): for every non-trivial
 * irrep ρ, remove from the (uncentred) hidden activations H their projection on the span of ρ(a) (x),
 * ρ(b) (y), ρ(ab) (xy), or on the constants (trivial), and measure the loss of (H − proj) U on all pairs,
 * with its relative change (loss − baseline)/baseline against the baseline CE(H U).
 */
import { orthRep } from '../reps/orth-rep.js';
import { nonTrivialIrreps, type AnalysisInput } from './analysis-input.js';
import { hiddenTimesU, projectedLogitTable } from './hidden-logits.js';
import { allPairsLoss, relativeChange } from './losses.js';
import { pairSums } from '../measures/pair-sums.js';
import { columnMeans } from './coefficient-norms.js';

export interface AblationLosses {
  x: number;
  y: number;
  xy: number;
  trivial: number;
}

export interface HiddenAblations {
  /** CE(H U) on all pairs (the model's loss for the MLP and the bilinear net). */
  baseline: number;
  irreps: { name: string; loss: AblationLosses; relative: AblationLosses }[];
}

export function hiddenAblations(inp: AnalysisInput): HiddenAblations {
  const G = inp.group;
  const N = G.order;
  const { h, hidden, U } = inp.view;
  const B = hiddenTimesU(inp.view); // [N², N]
  const baseline = allPairsLoss(G, B);
  const sums = pairSums(hidden, N, h, G.table);
  const scratch = new Float64Array(N * N * N);
  /** CE of B minus table[key(a, b)] */
  const lossMinus = (table: Float64Array, key: (a: number, b: number) => number) => {
    for (let a = 0; a < N; a++)
      for (let b = 0; b < N; b++) {
        const r = (a * N + b) * N;
        const t = key(a, b) * N;
        for (let c = 0; c < N; c++) scratch[r + c] = B[r + c]! - table[t + c]!;
      }
    return allPairsLoss(G, scratch);
  };
  // trivial: the projection on the constants is the mean row of H
  const mU = new Float64Array(N);
  const m = columnMeans(hidden, N * N, h);
  for (let j = 0; j < h; j++) for (let c = 0; c < N; c++) mU[c]! += m[j]! * U[j * N + c]!;
  const trivial = lossMinus(mU, () => 0);
  const irreps = nonTrivialIrreps(inp.irreps).map((rho) => {
    const Q = orthRep(G, rho);
    const r = Q.length / N;
    const loss = {
      x: lossMinus(projectedLogitTable(Q, r, sums.byA, U, N, h), (a) => a),
      y: lossMinus(projectedLogitTable(Q, r, sums.byB, U, N, h), (_a, b) => b),
      xy: lossMinus(projectedLogitTable(Q, r, sums.byProduct, U, N, h), (a, b) => G.table[a * N + b]!),
      trivial,
    };
    const relative = {
      x: relativeChange(loss.x, baseline),
      y: relativeChange(loss.y, baseline),
      xy: relativeChange(loss.xy, baseline),
      trivial: relativeChange(trivial, baseline),
    };
    return { name: rho.name, loss, relative };
  });
  return { baseline, irreps };
}
