/**
 * Orthonormalisation with rank detection: classical Gram–Schmidt applied twice per vector ("twice is
 * enough", numerically as good as modified Gram–Schmidt with re-orthogonalisation), dropping vectors
 * whose residual is below a tolerance.
 */

/** An orthonormal set of vectors of length `len`, grown one vector at a time. */
export class OrthonormalBasis {
  /** The basis vectors, each of length `len`. */
  readonly vectors: Float64Array[] = [];
  private readonly coef: number[] = [];

  constructor(readonly len: number) {}

  get size(): number {
    return this.vectors.length;
  }

  /**
   * Orthogonalises a copy of v against the basis and adds it when its residual norm exceeds
   * `tol` (absolute); returns whether it was added. v itself is not modified.
   */
  add(v: ArrayLike<number>, tol: number): boolean {
    const r = Float64Array.from(v);
    const len = this.len;
    for (let pass = 0; pass < 2; pass++) {
      const k = this.vectors.length;
      for (let i = 0; i < k; i++) {
        const q = this.vectors[i]!;
        let s = 0;
        for (let j = 0; j < len; j++) s += q[j]! * r[j]!;
        this.coef[i] = s;
      }
      for (let i = 0; i < k; i++) {
        const q = this.vectors[i]!;
        const s = this.coef[i]!;
        if (s === 0) continue;
        for (let j = 0; j < len; j++) r[j]! -= s * q[j]!;
      }
    }
    let nrm = 0;
    for (let j = 0; j < len; j++) nrm += r[j]! * r[j]!;
    nrm = Math.sqrt(nrm);
    if (!(nrm > tol)) return false;
    for (let j = 0; j < len; j++) r[j]! /= nrm;
    this.vectors.push(r);
    return true;
  }

  /** [size, len] row-major: the basis vectors as rows. */
  toRows(): Float64Array {
    const out = new Float64Array(this.vectors.length * this.len);
    this.vectors.forEach((q, i) => out.set(q, i * this.len));
    return out;
  }

  /** [len, size] row-major: the basis vectors as columns. */
  toColumns(): Float64Array {
    const k = this.vectors.length;
    const out = new Float64Array(this.len * k);
    this.vectors.forEach((q, i) => {
      for (let j = 0; j < this.len; j++) out[j * k + i] = q[j]!;
    });
    return out;
  }
}

export interface Orthonormalized {
  /** [m, rank] row-major, orthonormal columns spanning the column space of the input. */
  readonly q: Float64Array;
  readonly rank: number;
  /** The input columns that were kept (each adds a new direction), ascending. */
  readonly kept: readonly number[];
}

/**
 * An orthonormal basis of the column space of the m×n matrix `a` (row-major), columns taken in order;
 * a column is dropped when its residual is below relTol times the largest column norm. Stops once
 * `maxRank` columns are kept (when the rank is known, this skips the remaining columns).
 */
export function orthonormalizeColumns(a: Float64Array, m: number, n: number, relTol = 1e-9, maxRank = Math.min(m, n)): Orthonormalized {
  const cols: Float64Array[] = [];
  let maxNorm = 0;
  for (let j = 0; j < n; j++) {
    const c = new Float64Array(m);
    let s = 0;
    for (let i = 0; i < m; i++) {
      c[i] = a[i * n + j]!;
      s += c[i]! * c[i]!;
    }
    maxNorm = Math.max(maxNorm, Math.sqrt(s));
    cols.push(c);
  }
  const basis = new OrthonormalBasis(m);
  const kept: number[] = [];
  const tol = relTol * maxNorm;
  cols.forEach((c, j) => {
    if (basis.size < maxRank && basis.add(c, tol)) kept.push(j);
  });
  return { q: basis.toColumns(), rank: basis.size, kept };
}
