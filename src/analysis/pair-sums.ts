/**
 * Sums of a per-pair matrix M [N², k] (rows r = a·N + b) over one input: by a (Σ_b), by b (Σ_a) and by
 * the product g = a·b (Σ_{ab=g}). Projections of M on the spans X_ρ, Y_ρ, Z_ρ of ρ(a), ρ(b), ρ(ab)
 * (REFERENCE §4, hidden layer) only need these: with Q = orthRep(ρ) [N, r], the orthonormal basis of
 * X_ρ is Q[a]/√N, so Q_Xᵀ M = Qᵀ byA / √N, and likewise for Y and Z.
 */
import type { Group } from '../groups/group.js';

export interface PairSums {
  /** [N, k] Σ_b M[(a, b)] */
  byA: Float64Array;
  /** [N, k] Σ_a M[(a, b)] */
  byB: Float64Array;
  /** [N, k] Σ_{a·b = g} M[(a, b)] */
  byProduct: Float64Array;
}

export function pairSums(G: Group, M: Float64Array, k: number): PairSums {
  const N = G.order;
  const byA = new Float64Array(N * k);
  const byB = new Float64Array(N * k);
  const byProduct = new Float64Array(N * k);
  for (let a = 0; a < N; a++)
    for (let b = 0; b < N; b++) {
      const r = (a * N + b) * k;
      const g = G.table[a * N + b]!;
      for (let j = 0; j < k; j++) {
        const v = M[r + j]!;
        byA[a * k + j] += v;
        byB[b * k + j] += v;
        byProduct[g * k + j] += v;
      }
    }
  return { byA, byB, byProduct };
}

/** Mean of every column of M [rows, k]: [k]. */
export function columnMeans(M: Float64Array, rows: number, k: number): Float64Array {
  const m = new Float64Array(k);
  for (let r = 0; r < rows; r++) for (let j = 0; j < k; j++) m[j] += M[r * k + j]!;
  for (let j = 0; j < k; j++) m[j] /= rows;
  return m;
}

/** Per column, the squared norm of Qᵀ M[:, j] / scale² with Q [n, r] and M [n, k]: [k]. */
export function coefficientNorms(Q: Float64Array, r: number, M: Float64Array, n: number, k: number, scale = 1): Float64Array {
  // [n, r]ᵀ x [n, k] -> [r, k]
  const C = new Float64Array(r * k);
  for (let x = 0; x < n; x++)
    for (let i = 0; i < r; i++) {
      const q = Q[x * r + i]!;
      if (q === 0) continue;
      for (let j = 0; j < k; j++) C[i * k + j] += q * M[x * k + j]!;
    }
  const out = new Float64Array(k);
  for (let i = 0; i < r; i++) for (let j = 0; j < k; j++) out[j] += C[i * k + j]! ** 2;
  const s2 = scale * scale;
  for (let j = 0; j < k; j++) out[j] /= s2;
  return out;
}

/** Σ of squares of the entries of a matrix (or of column j's entries with `columnSquares`). */
export function sumSquares(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! ** 2;
  return s;
}

/** Per column of M [rows, k], the sum of squares: [k]. */
export function columnSquares(M: Float64Array, rows: number, k: number): Float64Array {
  const out = new Float64Array(k);
  for (let r = 0; r < rows; r++) for (let j = 0; j < k; j++) out[j] += M[r * k + j]! ** 2;
  return out;
}
