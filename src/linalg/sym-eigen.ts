/**
 * Eigen-decomposition of a real symmetric matrix: Householder reduction to tridiagonal form, then
 * implicit symmetric QR steps with Wilkinson shifts (Golub & Van Loan §8.3), accumulating the
 * orthogonal transform. O(n³); fine up to a few thousand.
 */

export interface SymEigen {
  /** [n] eigenvalues, ascending. */
  readonly values: Float64Array;
  /** [n, n] row-major; column j is the unit eigenvector of values[j]. */
  readonly vectors: Float64Array;
  /** [n, n] row-major; row j is the unit eigenvector of values[j] (the transpose of `vectors`). */
  readonly rows: Float64Array;
}

/**
 * Eigenvalues (ascending) and orthonormal eigenvectors of the symmetric n×n matrix `a` (row-major;
 * only symmetry is assumed, the lower triangle is what is read). `a` is not modified.
 */
export function symEigen(a: Float64Array, n: number): SymEigen {
  if (a.length < n * n) throw new RangeError(`symEigen: matrix has ${a.length} entries, expected ${n * n}`);
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) A[i * n + j] = A[j * n + i] = a[i * n + j]!;
  // Z = Qᵀ, with A = Q T Qᵀ: rows of Z become the eigenvectors.
  const Z = new Float64Array(n * n);
  for (let i = 0; i < n; i++) Z[i * n + i] = 1;
  const d = new Float64Array(n);
  const e = new Float64Array(Math.max(n - 1, 0));
  tridiagonalize(A, Z, d, e, n);
  tridiagonalQR(d, e, Z, n);
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => d[i]! - d[j]!);
  const values = new Float64Array(n);
  const rows = new Float64Array(n * n);
  const vectors = new Float64Array(n * n);
  order.forEach((src, j) => {
    values[j] = d[src]!;
    rows.set(Z.subarray(src * n, src * n + n), j * n);
    for (let r = 0; r < n; r++) vectors[r * n + j] = Z[src * n + r]!;
  });
  return { values, vectors, rows };
}

/**
 * Householder tridiagonalisation in place: A (full symmetric storage) is overwritten; d, e receive the
 * diagonal and sub-diagonal of T, and Z (initially I) becomes Qᵀ = H_{n-3}···H_0, accumulated backwards
 * (Z ← Z H_k for k descending) so that each step only touches the trailing block.
 */
function tridiagonalize(A: Float64Array, Z: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  const p = new Float64Array(n);
  const w = new Float64Array(n);
  // reflectors: vs[k] = v (entries lo..n-1 used), betas[k] = β (0 = none)
  const vs: Float64Array[] = [];
  const betas = new Float64Array(Math.max(n, 1));
  for (let k = 0; k + 2 < n; k++) {
    const lo = k + 1; // the reflector acts on indices lo..n-1
    const v = new Float64Array(n);
    vs.push(v);
    // x = A[lo.., k]
    let scale = 0;
    for (let i = lo; i < n; i++) scale = Math.max(scale, Math.abs(A[i * n + k]!));
    if (scale === 0) continue;
    let sigma = 0;
    for (let i = lo; i < n; i++) {
      v[i] = A[i * n + k]! / scale;
      if (i > lo) sigma += v[i]! * v[i]!;
    }
    if (sigma === 0) continue; // already tridiagonal in this column
    const x0 = v[lo]!;
    const norm = Math.sqrt(x0 * x0 + sigma);
    const alpha = x0 >= 0 ? -norm : norm; // H x = alpha e1 (scaled)
    v[lo] = x0 - alpha;
    const beta = 2 / (v[lo]! * v[lo]! + sigma);
    betas[k] = beta;
    // Column/row k: H applied gives alpha*scale at (lo, k), zeros below.
    A[lo * n + k] = A[k * n + lo] = alpha * scale;
    for (let i = lo + 1; i < n; i++) A[i * n + k] = A[k * n + i] = 0;
    // Trailing block: B ← H B H with H = I − β v vᵀ, as B − v wᵀ − w vᵀ.
    let pv = 0;
    for (let i = lo; i < n; i++) {
      let s = 0;
      const row = i * n;
      for (let j = lo; j < n; j++) s += A[row + j]! * v[j]!;
      p[i] = beta * s;
      pv += p[i]! * v[i]!;
    }
    const K = (beta / 2) * pv;
    for (let i = lo; i < n; i++) w[i] = p[i]! - K * v[i]!;
    for (let i = lo; i < n; i++) {
      const row = i * n;
      const vi = v[i]!;
      const wi = w[i]!;
      for (let j = lo; j < n; j++) A[row + j]! -= vi * w[j]! + wi * v[j]!;
    }
  }
  // Z = H_{n-3}···H_0 = ((H_{n-3}···H_1) H_0): start from I and multiply by H_k on the right, k
  // descending; before step k, Z differs from I only in the block (k+2.., k+2..), so only rows and
  // columns lo.. change.
  for (let k = vs.length - 1; k >= 0; k--) {
    const beta = betas[k]!;
    if (beta === 0) continue;
    const v = vs[k]!;
    const lo = k + 1;
    for (let i = lo; i < n; i++) {
      const row = i * n;
      let t = 0;
      for (let j = lo; j < n; j++) t += Z[row + j]! * v[j]!;
      t *= beta;
      if (t === 0) continue;
      for (let j = lo; j < n; j++) Z[row + j]! -= t * v[j]!;
    }
  }
  for (let i = 0; i < n; i++) d[i] = A[i * n + i]!;
  for (let i = 0; i + 1 < n; i++) e[i] = A[(i + 1) * n + i]!;
}

/**
 * Implicit symmetric QR with Wilkinson shifts on the tridiagonal (d, e), e[i] coupling i and i+1.
 * Each rotation of rows (k, k+1) of T is also applied to rows k, k+1 of Z.
 */
function tridiagonalQR(d: Float64Array, e: Float64Array, Z: Float64Array, n: number): void {
  const eps = Number.EPSILON;
  let hi = n - 1;
  let iterations = 0;
  const maxIterations = 50 * Math.max(n, 1);
  while (hi > 0) {
    if (Math.abs(e[hi - 1]!) <= eps * (Math.abs(d[hi - 1]!) + Math.abs(d[hi]!))) {
      e[hi - 1] = 0;
      hi--;
      continue;
    }
    let lo = hi - 1;
    while (lo > 0) {
      if (Math.abs(e[lo - 1]!) <= eps * (Math.abs(d[lo - 1]!) + Math.abs(d[lo]!))) {
        e[lo - 1] = 0;
        break;
      }
      lo--;
    }
    if (++iterations > maxIterations) throw new Error('symEigen: QR iteration did not converge');
    // Wilkinson shift from the trailing 2x2 block.
    const b = e[hi - 1]!;
    const dd = (d[hi - 1]! - d[hi]!) / 2;
    const mu = d[hi]! - (b * b) / (dd + (dd >= 0 ? 1 : -1) * Math.hypot(dd, b));
    let x = d[lo]! - mu;
    let z = e[lo]!;
    for (let k = lo; k < hi; k++) {
      const r = Math.hypot(x, z);
      let c = 1;
      let s = 0;
      if (r !== 0) {
        c = x / r;
        s = z / r;
      }
      if (k > lo) e[k - 1] = r;
      const a = d[k]!;
      const bk = e[k]!;
      const c2 = d[k + 1]!;
      const cs = c * s;
      d[k] = c * c * a + 2 * cs * bk + s * s * c2;
      d[k + 1] = s * s * a - 2 * cs * bk + c * c * c2;
      e[k] = cs * (c2 - a) + (c * c - s * s) * bk;
      if (k + 1 < hi) {
        const f = e[k + 1]!;
        z = s * f; // bulge at (k, k+2)
        e[k + 1] = c * f;
        x = e[k]!;
      }
      const rk = k * n;
      const rk1 = rk + n;
      for (let j = 0; j < n; j++) {
        const zk = Z[rk + j]!;
        const zk1 = Z[rk1 + j]!;
        Z[rk + j] = c * zk + s * zk1;
        Z[rk1 + j] = c * zk1 - s * zk;
      }
    }
  }
}
