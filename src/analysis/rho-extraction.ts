/**
 * Explicit extraction of ρ(ab) (notebook "evidence: explicit extraction of ρ(ab)", orthogonal version):
 * for a key irrep ρ with Z_ρ's orthonormal basis Q_Z [N², r] (row (a, b) = Q_ρ[a·b]/√N, Q_ρ = orth_rep,
 * which for a real-type irrep is vec ρ(g)·√(d/N): the irrep's own basis),
 * - C = Q_Zᵀ H [r, h]: how each coordinate of ρ(ab) is written in the neurons; the change of basis is C
 *   with unit rows (Ĉ, the paper's figure `hidden_to_standard_rep_change_of_basis`);
 * - the projected hidden layer in the irrep's basis, Q_Z Q_Zᵀ H Ĉᵀ = Q_Z M with M = C Ĉᵀ [r, r], and its
 *   cosine similarity with the theoretical ρ(ab) (Q_Z itself): tr M / (‖M‖ √r). It is 1 exactly when the
 *   neurons hold an isometric, uniformly scaled copy of ρ(ab); scale = ‖Q_Z M‖/‖Q_Z‖ = ‖M‖/√r.
 */
import { orthRep } from '../reps/orth-rep.js';
import { keyIrreps, type AnalysisInput } from './analysis-input.js';
import { pairSums } from '../measures/pair-sums.js';

export interface RhoExtraction {
  irrep: string;
  /** r: the dimension of ρ's coefficient span (dim² / e). */
  rank: number;
  cosine: number;
  scale: number;
  /** ‖C[k]‖ per coordinate k of ρ(ab). */
  coordinateNorms: number[];
  /** Ĉ [r, h]: row k = the unit vector in neuron space of coordinate k. */
  changeOfBasis: Float64Array;
}

export function rhoExtraction(inp: AnalysisInput): RhoExtraction[] {
  const G = inp.group;
  const N = G.order;
  const { h, hidden } = inp.view;
  const S = pairSums(hidden, N, h, G.table).byProduct; // [N, h]
  return keyIrreps(inp).map((rho) => {
    const Q = orthRep(G, rho);
    const r = Q.length / N;
    const C = new Float64Array(r * h); // Q_Zᵀ H = Qᵀ S / √N: [r, h]
    const s = 1 / Math.sqrt(N);
    for (let g = 0; g < N; g++)
      for (let k = 0; k < r; k++) {
        const q = Q[g * r + k]! * s;
        for (let j = 0; j < h; j++) C[k * h + j]! += q * S[g * h + j]!;
      }
    const norms = new Array<number>(r).fill(0);
    for (let k = 0; k < r; k++) {
      let t = 0;
      for (let j = 0; j < h; j++) t += C[k * h + j]! ** 2;
      norms[k] = Math.sqrt(t);
    }
    const Chat = new Float64Array(r * h);
    for (let k = 0; k < r; k++) if (norms[k]! > 0) for (let j = 0; j < h; j++) Chat[k * h + j] = C[k * h + j]! / norms[k]!;
    // M = C Ĉᵀ [r, r]
    let trace = 0;
    let frob = 0;
    for (let k = 0; k < r; k++)
      for (let l = 0; l < r; l++) {
        let t = 0;
        for (let j = 0; j < h; j++) t += C[k * h + j]! * Chat[l * h + j]!;
        if (k === l) trace += t;
        frob += t * t;
      }
    frob = Math.sqrt(frob);
    return {
      irrep: rho.name,
      rank: r,
      cosine: frob > 0 ? trace / (frob * Math.sqrt(r)) : NaN,
      scale: frob / Math.sqrt(r),
      coordinateNorms: norms,
      changeOfBasis: Chat,
    };
  });
}
