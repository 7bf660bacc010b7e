/**
 * Row sums of an [N², w] matrix over the pairs (a, b), row r = a·N + b, grouped three ways: by a (sum over
 * b), by b (sum over a) and by the product g = a·b (the N pairs with that product). These are all that the
 * hidden-layer measures need of the N² rows: a function of a, of b or of a·b, lifted to the N² rows, is
 * orthogonal to whatever the sums do not see.
 */

/**
 * Sa[a] = Σ_b M[(a,b)], Sb[b] = Σ_a M[(a,b)], Sg[g] = Σ_{a·b=g} M[(a,b)], each [N, w], overwritten;
 * table[r] = a·b for row r. Returns the centred sum of squares Σ_r ‖M[r] − mean row‖², accumulated in
 * the same pass around the first row (Σ ‖M[r] − M[0]‖² − N²·‖mean − M[0]‖², which keeps the
 * cancellation small when the columns have large means).
 */
export function pairSums(M: Float64Array, N: number, w: number, table: Int32Array, Sa: Float64Array, Sb: Float64Array, Sg: Float64Array): number {
  Sa.fill(0, 0, N * w);
  Sb.fill(0, 0, N * w);
  Sg.fill(0, 0, N * w);
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
        Sa[ao + j] += v;
        Sb[bo + j] += v;
        Sg[go + j] += v;
      }
    }
  }
  const NN = N * N;
  let shift = 0;
  for (let j = 0; j < w; j++) {
    let col = 0;
    for (let a = 0; a < N; a++) col += Sa[a * w + j]!;
    const d = col / NN - M[j]!;
    shift += d * d;
  }
  return ss - NN * shift;
}
