/**
 * Cross-entropy of one row of logits, the kernels under the fast progress measures (fast.ts). All float64.
 *
 * `crossEntropyRow` is the plain stable form, written so that a small loss keeps its relative precision:
 * with m = max_c z_c at c*, CE = log1p(Σ_{c≠c*} exp(z_c − m)) + (m − z_y), a sum of two non-negative
 * terms (the usual m + log Σ exp(z − m) − z_y loses the digits of a loss near 0 to cancellation).
 *
 * `crossEntropyFactored` evaluates CE(z − r) with z = one logits row and r = a row of a correction that
 * is shared by many rows, without an exp per entry: exp(z_c − r_c) = e_c · f_c · const, where
 * e_c = exp(z_c − max z) is computed once per row (`expRow`) and f_c = exp(−r_c − max(−r)) once per
 * correction row, so each loss is one dot product and one log1p. Exact (to rounding) while every product
 * e_c f_c stays a normal double: the caller checks zRange + rRange < EXP_RANGE_SAFE, where the ranges are
 * max − min of z and of −r, and otherwise falls back to crossEntropyRow on the explicit difference.
 */

/** Below this sum of ranges every product e_c f_c ≥ exp(−600) ≈ 1e-261: no underflow, full precision. */
export const EXP_RANGE_SAFE = 600;

/** CE of z[off .. off+N) with label y (0 ≤ y < N). */
export function crossEntropyRow(z: Float64Array, off: number, N: number, y: number): number {
  return crossEntropyAtMax(z, off, N, y, firstMax(z, off, N));
}

/** The index (within the row) of the first maximum of z[off .. off+N). */
function firstMax(z: Float64Array, off: number, N: number): number {
  let m = z[off]!;
  let cm = 0;
  for (let c = 1; c < N; c++) {
    const v = z[off + c]!;
    if (v > m) {
      m = v;
      cm = c;
    }
  }
  return cm;
}

/** crossEntropyRow's stable form, given the row's first maximum cm. */
function crossEntropyAtMax(z: Float64Array, off: number, N: number, y: number, cm: number): number {
  const m = z[off + cm]!;
  let s = 0;
  for (let c = 0; c < N; c++) if (c !== cm) s += Math.exp(z[off + c]! - m);
  return crossEntropyFromExpSum(s, m, z[off + y]!);
}

/**
 * The one CE formula of the measures: log1p(s) + (m − z_y), given m = max_c z_c (at c*), s = Σ_{c≠c*}
 * exp(z_c − m) and the label's logit z_y. Callers that already have the exps (the fast logit pass, the
 * class-summed restricted loss) use it directly.
 */
export function crossEntropyFromExpSum(s: number, m: number, zy: number): number {
  return Math.log1p(s) + (m - zy);
}

/**
 * e[eOff + c] = exp(z[off + c] − max z) for c < N. Returns the index of the first maximum (argmax);
 * writes max − min of the row into range[rangeIdx].
 */
export function expRow(z: Float64Array, off: number, N: number, e: Float64Array, eOff: number, range: Float64Array, rangeIdx: number): number {
  let m = z[off]!;
  let lo = m;
  let cm = 0;
  for (let c = 1; c < N; c++) {
    const v = z[off + c]!;
    if (v > m) {
      m = v;
      cm = c;
    } else if (v < lo) lo = v;
  }
  for (let c = 0; c < N; c++) e[eOff + c] = Math.exp(z[off + c]! - m);
  range[rangeIdx] = m - lo;
  return cm;
}

/**
 * CE(z − r) with label y from e = exp(z − max z) (row at eOff) and f = exp(−r − max(−r)) (row at fOff):
 * log1p(Σ_{c≠y} e_c f_c / (e_y f_y)). Valid only under the range condition in the file comment.
 */
export function crossEntropyFactored(e: Float64Array, eOff: number, f: Float64Array, fOff: number, N: number, y: number): number {
  let rest = 0;
  for (let c = 0; c < y; c++) rest += e[eOff + c]! * f[fOff + c]!;
  for (let c = y + 1; c < N; c++) rest += e[eOff + c]! * f[fOff + c]!;
  return Math.log1p(rest / (e[eOff + y]! * f[fOff + y]!));
}

/**
 * f[fOff + c] = exp(−r[off + c] − max(−r)) for c < N; returns max − min of −r (= max r − min r).
 */
export function negExpRow(r: Float64Array, off: number, N: number, f: Float64Array, fOff: number): number {
  let lo = r[off]!;
  let hi = lo;
  for (let c = 1; c < N; c++) {
    const v = r[off + c]!;
    if (v < lo) lo = v;
    else if (v > hi) hi = v;
  }
  // max(−r) = −min r
  for (let c = 0; c < N; c++) f[fOff + c] = Math.exp(lo - r[off + c]!);
  return hi - lo;
}

/**
 * Σ of crossEntropyRow over z's rows `rows` (row r at r·N) with labels[i] for rows[i], and how many rows
 * have their first maximum at the label (accuracy as argmax = label).
 */
export function crossEntropySum(z: Float64Array, rows: Int32Array, labels: Int32Array, N: number): { loss: number; correct: number } {
  let loss = 0;
  let correct = 0;
  for (let i = 0; i < rows.length; i++) {
    const off = rows[i]! * N;
    const y = labels[i]!;
    const cm = firstMax(z, off, N);
    loss += crossEntropyAtMax(z, off, N, y, cm);
    if (cm === y) correct++;
  }
  return { loss, correct };
}
