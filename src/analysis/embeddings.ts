/**
 * Embeddings and unembedding (notebook "Embeddings and Unembeddings"; REFERENCE §4): the fraction of
 * each embedding's squared norm in the span of each irrep's matrix coefficients (orth_rep Q_ρ [N, r]):
 * x_ρ = ‖Q_ρᵀ E_a‖²/‖E_a‖², y_ρ the same with E_b, unembed_ρ = ‖Q_ρᵀ Uᵀ‖²/‖U‖² (U = W_U; rows index
 * neurons, columns outputs c). Not centred, so `trivial` holds the mean. Over all irreps each sums to 1;
 * the key-rep totals are the paper's "W_a / W_b / W_U FVE" and the residuals 1 − total.
 */
import { orthRep } from '../reps/orth-rep.js';
import { transpose } from '../linalg/matrix.js';
import { keyIrreps, type AnalysisInput } from './analysis-input.js';
import { sumOfSquares } from '../measures/sum-of-squares.js';
import { coefficientNorms } from './coefficient-norms.js';

export interface EmbeddingShares {
  x: number;
  y: number;
  unembed: number;
}

export interface EmbeddingFve {
  /** Every irrep (trivial included), in irreps order. */
  irreps: ({ name: string } & EmbeddingShares)[];
  /** Σ over the key reps. */
  keyTotals: EmbeddingShares;
  /** 1 − keyTotals. */
  residuals: EmbeddingShares;
}

export function embeddingFve(inp: AnalysisInput): EmbeddingFve {
  const G = inp.group;
  const N = G.order;
  const v = inp.view;
  const w = v.embedWidth;
  const Ut = transpose(v.U, v.h, N); // [h, N] -> [N, h]
  const nx = sumOfSquares(v.E_a);
  const ny = sumOfSquares(v.E_b);
  const nu = sumOfSquares(v.U);
  const total = (c: Float64Array) => c.reduce((s, x) => s + x, 0);
  const rows = inp.irreps.map((rho) => {
    const Q = orthRep(G, rho);
    const r = Q.length / N;
    return {
      name: rho.name,
      x: total(coefficientNorms(Q, r, v.E_a, N, w)) / nx,
      y: total(coefficientNorms(Q, r, v.E_b, N, w)) / ny,
      unembed: total(coefficientNorms(Q, r, Ut, N, v.h)) / nu,
    };
  });
  const keyTotals = { x: 0, y: 0, unembed: 0 };
  for (const rho of keyIrreps(inp)) {
    const row = rows.find((r) => r.name === rho.name)!;
    keyTotals.x += row.x;
    keyTotals.y += row.y;
    keyTotals.unembed += row.unembed;
  }
  return {
    irreps: rows,
    keyTotals,
    residuals: { x: 1 - keyTotals.x, y: 1 - keyTotals.y, unembed: 1 - keyTotals.unembed },
  };
}
