/** Sums of squares, the one definition the measures, the model views and the analyses share. */

/** Σ_i a[i]². */
export function sumOfSquares(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * a[i]!;
  return s;
}

/** Per column of M [rows, k], the sum of squares: [k]. */
export function columnSquares(M: ArrayLike<number>, rows: number, k: number): Float64Array {
  const out = new Float64Array(k);
  for (let r = 0; r < rows; r++) for (let j = 0; j < k; j++) out[j]! += M[r * k + j]! * M[r * k + j]!;
  return out;
}
