/**
 * Row sums of an [N², w] matrix over the pairs (a, b), row r = a·N + b, grouped three ways: by a (sum over
 * b), by b (sum over a) and by the product g = a·b (the N pairs with that product). These are all that the
 * hidden-layer measures and analyses need of the N² rows: a function of a, of b or of a·b, lifted to the N²
 * rows, is orthogonal to whatever the sums do not see. With Q = orthRep(ρ) [N, r], the orthonormal basis of
 * X_ρ (Y_ρ, Z_ρ) is Q[a]/√N, so Q_Xᵀ M = Qᵀ byA / √N, and likewise for Y and Z (REFERENCE §4).
 */

export interface PairSums {
  /** [N, w] Σ_b M[(a, b)] */
  byA: Float64Array;
  /** [N, w] Σ_a M[(a, b)] */
  byB: Float64Array;
  /** [N, w] Σ_{a·b = g} M[(a, b)] */
  byProduct: Float64Array;
  /** Σ_r ‖M[r] − mean row‖²: the centred sum of squares, taken in the same pass. */
  centredSumOfSquares: number;
}

/**
 * The three sums of M [N², w] (table[r] = a·b for row r), into `out`'s arrays when given (each ≥ N·w long;
 * overwritten), else new ones. The centred sum of squares is accumulated around the first row
 * (Σ ‖M[r] − M[0]‖² − N²·‖mean − M[0]‖², which keeps the cancellation small when the columns have large means).
 */
export function pairSums(M: Float64Array, N: number, w: number, table: Int32Array, out?: Omit<PairSums, 'centredSumOfSquares'>): PairSums {
  const byA = out?.byA ?? new Float64Array(N * w);
  const byB = out?.byB ?? new Float64Array(N * w);
  const byProduct = out?.byProduct ?? new Float64Array(N * w);
  byA.fill(0, 0, N * w);
  byB.fill(0, 0, N * w);
  byProduct.fill(0, 0, N * w);
  let ss = 0;
  for (let a = 0; a < N; a++) {
    const ao = a * w;
    for (let b = 0; b < N; b++) {
      const r = a * N + b;
      const ro = r * w;
      const bo = b * w;
      const go = table[r]! * w;
      for (let j = 0; j < w; j++) {
        const v = M[ro + j]!;
        const d = v - M[j]!;
        ss += d * d;
        byA[ao + j]! += v;
        byB[bo + j]! += v;
        byProduct[go + j]! += v;
      }
    }
  }
  const NN = N * N;
  let shift = 0;
  for (let j = 0; j < w; j++) {
    let col = 0;
    for (let a = 0; a < N; a++) col += byA[a * w + j]!;
    const d = col / NN - M[j]!;
    shift += d * d;
  }
  return { byA, byB, byProduct, centredSumOfSquares: ss - NN * shift };
}
