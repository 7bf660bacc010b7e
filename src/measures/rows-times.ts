/**
 * Selected rows of a matrix times another: out[i] = A[rows[i]] · B, [n, k] x [k, m] -> [n, m], float64.
 * Used for "H U" on the train rows where the view's logits are not H U (the transformer). Four rows at a
 * time, so each row of B is loaded once per four output rows.
 */
export function rowsTimes(A: Float64Array, rows: Int32Array, k: number, B: Float64Array, m: number, out: Float64Array): void {
  const n = rows.length;
  out.fill(0, 0, n * m);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const a0 = rows[i]! * k;
    const a1 = rows[i + 1]! * k;
    const a2 = rows[i + 2]! * k;
    const a3 = rows[i + 3]! * k;
    const o0 = i * m;
    const o1 = o0 + m;
    const o2 = o1 + m;
    const o3 = o2 + m;
    for (let p = 0; p < k; p++) {
      const x0 = A[a0 + p]!;
      const x1 = A[a1 + p]!;
      const x2 = A[a2 + p]!;
      const x3 = A[a3 + p]!;
      if (x0 === 0 && x1 === 0 && x2 === 0 && x3 === 0) continue; // post-ReLU rows are sparse
      const bp = p * m;
      for (let j = 0; j < m; j++) {
        const b = B[bp + j]!;
        out[o0 + j] += x0 * b;
        out[o1 + j] += x1 * b;
        out[o2 + j] += x2 * b;
        out[o3 + j] += x3 * b;
      }
    }
  }
  for (; i < n; i++) {
    const a0 = rows[i]! * k;
    const o0 = i * m;
    for (let p = 0; p < k; p++) {
      const x0 = A[a0 + p]!;
      if (x0 === 0) continue;
      const bp = p * m;
      for (let j = 0; j < m; j++) out[o0 + j] += x0 * B[bp + j]!;
    }
  }
}
