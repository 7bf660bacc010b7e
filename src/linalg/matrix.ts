/**
 * Dense float64 matrices as row-major Float64Arrays with their dimensions passed alongside:
 * an m×n matrix A has A[i*n + j] at row i, column j. Products, transposes and small helpers; pure.
 * Pass `subarray` views to work on matrices stored at an offset in a larger buffer.
 */

/** The n×n identity. */
export function identity(n: number): Float64Array {
  const I = new Float64Array(n * n);
  for (let i = 0; i < n; i++) I[i * n + i] = 1;
  return I;
}

/** [m, n] -> [n, m] */
export function transpose(a: Float64Array, m: number, n: number): Float64Array {
  const t = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    const row = i * n;
    for (let j = 0; j < n; j++) t[j * m + i] = a[row + j]!;
  }
  return t;
}

/** A B: [m, k] x [k, n] -> [m, n]; written into `out` when given (which must not alias a or b). */
export function matmul(a: Float64Array, b: Float64Array, m: number, k: number, n: number, out?: Float64Array): Float64Array {
  const c = out ?? new Float64Array(m * n);
  if (out) c.fill(0, 0, m * n);
  for (let i = 0; i < m; i++) {
    const ci = i * n;
    for (let p = 0; p < k; p++) {
      const aip = a[i * k + p]!;
      if (aip === 0) continue;
      const bp = p * n;
      for (let j = 0; j < n; j++) c[ci + j]! += aip * b[bp + j]!;
    }
  }
  return c;
}

/** Aᵀ B: A is [k, m], B is [k, n] -> [m, n]. */
export function matmulTN(a: Float64Array, b: Float64Array, k: number, m: number, n: number, out?: Float64Array): Float64Array {
  const c = out ?? new Float64Array(m * n);
  if (out) c.fill(0, 0, m * n);
  for (let p = 0; p < k; p++) {
    const ap = p * m;
    const bp = p * n;
    for (let i = 0; i < m; i++) {
      const api = a[ap + i]!;
      if (api === 0) continue;
      const ci = i * n;
      for (let j = 0; j < n; j++) c[ci + j]! += api * b[bp + j]!;
    }
  }
  return c;
}

/** A Bᵀ: A is [m, k], B is [n, k] -> [m, n]. */
export function matmulNT(a: Float64Array, b: Float64Array, m: number, k: number, n: number, out?: Float64Array): Float64Array {
  const c = out ?? new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    const ai = i * k;
    for (let j = 0; j < n; j++) {
      const bj = j * k;
      let s = 0;
      for (let p = 0; p < k; p++) s += a[ai + p]! * b[bj + p]!;
      c[i * n + j] = s;
    }
  }
  return c;
}

/** max |a_i − b_i| over the first `len` entries (all of a by default). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>, len = a.length): number {
  let m = 0;
  for (let i = 0; i < len; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (d > m || Number.isNaN(d)) m = Number.isNaN(d) ? Infinity : d;
  }
  return m;
}

/** max |A Aᵀ − I| for a square n×n matrix (0 for an orthogonal one). */
export function orthogonalityError(a: Float64Array, n: number): number {
  let m = 0;
  for (let i = 0; i < n; i++)
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let p = 0; p < n; p++) s += a[i * n + p]! * a[j * n + p]!;
      const d = Math.abs(s - (i === j ? 1 : 0));
      if (!(d <= m)) m = Number.isNaN(d) ? Infinity : d;
    }
  return m;
}

/** The Euclidean dot product of two vectors of equal length. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>, len = a.length): number {
  let s = 0;
  for (let i = 0; i < len; i++) s += a[i]! * b[i]!;
  return s;
}
