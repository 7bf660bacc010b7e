/**
 * Logit computation (notebook "Logit Computation", "Ablations"): how W_U (U) reads ρ(ab) out.
 * - unembedInRepBasis, per key irrep: A = Ĉ U Q_ρ[inv] [r, r] (Ĉ from the ρ(ab) extraction; row c of
 *   Q_ρ[inv] = coefficients of ρ(c⁻¹)). The algorithm predicts logit(c) ∝ tr ρ(ab)ρ(c⁻¹) = Σ_ij ρ(ab)_ij
 *   ρ(c⁻¹)_ji, so for a real-type irrep (whose orth_rep is its own basis) A ∝ the transposition
 *   (i, j) -> (j, i): `transposeSimilarity` = cos(A, that permutation matrix) (null for complex or
 *   quaternionic type, whose orth_rep is a Gram–Schmidt basis).
 * - unembedExplained, per non-empty neuron cluster C: ‖U[C] Q_ρ[inv]‖² / ‖U[C]‖², the share of those
 *   neurons' output weights that reads ρ's coefficient space.
 * - rebuiltHidden: H rebuilt from the key irreps alone, Σ_K scale_ρ Q_Z,ρ Ĉ_ρ, and the loss of its logits
 *   (it can be lower than the model's own).
 * - unembedRestricted: U_K = Σ_K U Q_ρ[inv] Q_ρ[inv]ᵀ (U restricted to the key irreps' output space) and
 *   the rest U − U_K: CE(H U_K) and CE(H (U − U_K)) on all pairs, against CE(H U).
 * Relative changes are (loss − baseline)/baseline throughout (the notebook printed the opposite sign
 * for the restricted W_U).
 */
import { orthRep } from '../reps/orth-rep.js';
import { matmul, matmulNT } from '../linalg/matrix.js';
import { keyIrreps, type AnalysisInput } from './analysis-input.js';
import { hiddenTimesU } from './hidden-logits.js';
import { allPairsLoss, productLogitsLoss, relativeChange } from './losses.js';
import type { NeuronAnalysis } from './neurons.js';
import type { RhoExtraction } from './rho-extraction.js';

export interface LogitComputation {
  unembedInRepBasis: { irrep: string; rank: number; matrix: Float64Array; transposeSimilarity: number | null }[];
  unembedExplained: { irrep: string; neurons: number; fraction: number }[];
  baseline: number;
  rebuiltHidden: { loss: number; relative: number };
  unembedRestricted: { restrictedLoss: number; restrictedRelative: number; nullLoss: number; nullRelative: number };
}

/** Q_ρ rows permuted by inverses: row c = Q_ρ[c⁻¹]: [N, r]. */
function atInverses(Q: Float64Array, r: number, inverses: Int32Array): Float64Array {
  const out = new Float64Array(Q.length);
  for (let c = 0; c < inverses.length; c++) out.set(Q.subarray(inverses[c]! * r, inverses[c]! * r + r), c * r);
  return out;
}

/** True when Q is vec ρ(g)·√(d/N), i.e. the coefficient basis is the irrep's own. */
function isOwnBasis(Q: Float64Array, matrices: Float64Array, d: number, N: number): boolean {
  if (Q.length !== matrices.length) return false;
  const s = Math.sqrt(d / N);
  for (let i = 0; i < Q.length; i++) if (Math.abs(Q[i]! - matrices[i]! * s) > 1e-9) return false;
  return true;
}

/** Per key irrep, U in the irrep basis A = Ĉ U Q_ρ[inv] [r, r] and its transpose similarity (the first part of logitComputation). */
export function unembedInRepBasisOf(inp: AnalysisInput, extraction: readonly RhoExtraction[]): LogitComputation['unembedInRepBasis'] {
  const G = inp.group;
  const N = G.order;
  const { h, U } = inp.view;
  return keyIrreps(inp).map((rho) => {
    const Q = orthRep(G, rho);
    const r = Q.length / N;
    const Qi = atInverses(Q, r, G.inverses);
    const ex = extraction.find((e) => e.irrep === rho.name)!;
    const CU = matmul(ex.changeOfBasis, U, r, h, N); // [r, h] x [h, N] -> [r, N]
    const A = matmul(CU, Qi, r, N, r); // [r, N] x [N, r] -> [r, r]
    let transposeSimilarity: number | null = null;
    if (rho.type === 'real' && isOwnBasis(Q, rho.matrices, rho.dim, N)) {
      const d = rho.dim;
      let ip = 0;
      let na = 0;
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) ip += A[(i * d + j) * r + (j * d + i)]!;
      for (const x of A) na += x * x;
      transposeSimilarity = na > 0 ? ip / (Math.sqrt(na) * Math.sqrt(r)) : NaN;
    }
    return { irrep: rho.name, rank: r, matrix: A, transposeSimilarity };
  });
}

export function logitComputation(inp: AnalysisInput, neurons: NeuronAnalysis, extraction: readonly RhoExtraction[]): LogitComputation {
  const G = inp.group;
  const N = G.order;
  const { h, U } = inp.view;
  const B = hiddenTimesU(inp.view); // [N², N]
  const baseline = allPairsLoss(G, B);
  const keys = keyIrreps(inp);
  const byName = new Map(inp.irreps.map((rho) => [rho.name, rho]));

  const unembedInRepBasis = unembedInRepBasisOf(inp, extraction);

  const unembedExplained = neurons.clusters
    .filter((c) => c.neurons.length > 0)
    .map((c) => {
      const rho = byName.get(c.irrep)!;
      const Q = orthRep(G, rho);
      const r = Q.length / N;
      const Qi = atInverses(Q, r, G.inverses);
      let num = 0;
      let den = 0;
      for (const n of c.neurons) {
        const row = U.subarray(n * N, n * N + N);
        for (let k = 0; k < r; k++) {
          let t = 0;
          for (let x = 0; x < N; x++) t += row[x]! * Qi[x * r + k]!;
          num += t * t;
        }
        for (const x of row) den += x * x;
      }
      return { irrep: c.irrep, neurons: c.neurons.length, fraction: num / den };
    });

  // H rebuilt from the key irreps: logits at (a, b) are D[a·b], D = Σ_K scale Q_ρ Ĉ U / √N: [N, N]
  const D = new Float64Array(N * N);
  for (const rho of keys) {
    const Q = orthRep(G, rho);
    const r = Q.length / N;
    const ex = extraction.find((e) => e.irrep === rho.name)!;
    const CU = matmul(ex.changeOfBasis, U, r, h, N); // [r, N]
    const part = matmul(Q, CU, N, r, N); // [N, r] x [r, N] -> [N, N]
    const s = ex.scale / Math.sqrt(N);
    for (let i = 0; i < D.length; i++) D[i]! += s * part[i]!;
  }
  const rebuiltLoss = productLogitsLoss(G, D);

  // U restricted to the key irreps' output space: U_K = U W Wᵀ with W = [Q_ρ[inv] for ρ in K] [N, R]
  const R = keys.reduce((s, rho) => s + orthRep(G, rho).length / N, 0);
  const W = new Float64Array(N * R);
  let col = 0;
  for (const rho of keys) {
    const Q = orthRep(G, rho);
    const r = Q.length / N;
    const Qi = atInverses(Q, r, G.inverses);
    for (let x = 0; x < N; x++) for (let k = 0; k < r; k++) W[x * R + col + k] = Qi[x * r + k]!;
    col += r;
  }
  const BW = matmul(B, W, N * N, N, R); // [N², N] x [N, R] -> [N², R]
  const restricted = matmulNT(BW, W, N * N, R, N); // H U_K: [N², R] x [R, N] -> [N², N]
  const nullLogits = new Float64Array(B.length);
  for (let i = 0; i < B.length; i++) nullLogits[i] = B[i]! - restricted[i]!;
  const restrictedLoss = allPairsLoss(G, restricted);
  const nullLoss = allPairsLoss(G, nullLogits);
  return {
    unembedInRepBasis,
    unembedExplained,
    baseline,
    rebuiltHidden: { loss: rebuiltLoss, relative: relativeChange(rebuiltLoss, baseline) },
    unembedRestricted: {
      restrictedLoss,
      restrictedRelative: relativeChange(restrictedLoss, baseline),
      nullLoss,
      nullRelative: relativeChange(nullLoss, baseline),
    },
  };
}
