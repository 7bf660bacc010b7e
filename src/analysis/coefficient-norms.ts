/**
 * Column means and squared norms of coefficients Qᵀ M, the small kernels of the analyses. The sums of a
 * per-pair matrix over a, b or a·b are measures/pair-sums.ts, sums of squares measures/sum-of-squares.ts.
 */

/** Mean of every column of M [rows, k]: [k]. */
export function columnMeans(M: Float64Array, rows: number, k: number): Float64Array {
  const m = new Float64Array(k);
  for (let r = 0; r < rows; r++) for (let j = 0; j < k; j++) m[j]! += M[r * k + j]!;
  for (let j = 0; j < k; j++) m[j]! /= rows;
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
      for (let j = 0; j < k; j++) C[i * k + j]! += q * M[x * k + j]!;
    }
  const out = new Float64Array(k);
  for (let i = 0; i < r; i++) for (let j = 0; j < k; j++) out[j]! += C[i * k + j]! * C[i * k + j]!;
  const s2 = scale * scale;
  for (let j = 0; j < k; j++) out[j]! /= s2;
  return out;
}
