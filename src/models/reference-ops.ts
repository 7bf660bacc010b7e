/**
 * The plain TypeScript reference ops of the MLP and bilinear net: each op's backward right below its
 * forward. Arrays are row-major; every op works on Float32Array (training) or Float64Array (gradient
 * checks) and returns arrays of its input's type. Sums are accumulated in float64 and stored rounded.
 */
export type Arr = Float32Array | Float64Array;

export function zerosLike(x: Arr, n: number): Arr {
  return x instanceof Float64Array ? new Float64Array(n) : new Float32Array(n);
}

/** out[r, :] = W[idx[r], :]. // [n, d] gathered by [R] -> [R, d] */
export function gatherRows(W: Arr, d: number, idx: Int32Array): Arr {
  const out = zerosLike(W, idx.length * d);
  for (let r = 0; r < idx.length; r++) out.set(W.subarray(idx[r]! * d, idx[r]! * d + d), r * d);
  return out;
}
/** Backward of gatherRows: dW[idx[r], :] += dOut[r, :]. // [R, d] -> [n, d] */
export function gatherRowsBackward(dOut: Arr, d: number, idx: Int32Array, n: number): Arr {
  const dW = zerosLike(dOut, n * d);
  for (let r = 0; r < idx.length; r++) for (let j = 0; j < d; j++) dW[idx[r]! * d + j]! += dOut[r * d + j]!;
  return dW;
}

/** [A | B] column-wise. // [R, d1], [R, d2] -> [R, d1 + d2] */
export function concatCols(A: Arr, d1: number, B: Arr, d2: number, R: number): Arr {
  const out = zerosLike(A, R * (d1 + d2));
  for (let r = 0; r < R; r++) {
    out.set(A.subarray(r * d1, r * d1 + d1), r * (d1 + d2));
    out.set(B.subarray(r * d2, r * d2 + d2), r * (d1 + d2) + d1);
  }
  return out;
}
/** Backward of concatCols: splits dOut into its two column blocks. */
export function concatColsBackward(dOut: Arr, d1: number, d2: number, R: number): [Arr, Arr] {
  const dA = zerosLike(dOut, R * d1);
  const dB = zerosLike(dOut, R * d2);
  for (let r = 0; r < R; r++) {
    dA.set(dOut.subarray(r * (d1 + d2), r * (d1 + d2) + d1), r * d1);
    dB.set(dOut.subarray(r * (d1 + d2) + d1, (r + 1) * (d1 + d2)), r * d2);
  }
  return [dA, dB];
}

/** C = A B. // [M, K] x [K, P] -> [M, P] */
export function matmul(A: Arr, B: Arr, M: number, K: number, P: number): Arr {
  const C = zerosLike(A, M * P);
  const row = new Float64Array(P);
  for (let i = 0; i < M; i++) {
    row.fill(0);
    for (let k = 0; k < K; k++) {
      const a = A[i * K + k]!;
      if (a === 0) continue;
      for (let j = 0; j < P; j++) row[j]! += a * B[k * P + j]!;
    }
    C.set(row, i * P);
  }
  return C;
}
/** Backward of matmul: dA = dC Bᵀ ([M, P] x [P, K]), dB = Aᵀ dC ([K, M] x [M, P]). */
export function matmulBackward(dC: Arr, A: Arr, B: Arr, M: number, K: number, P: number): [Arr, Arr] {
  const dA = zerosLike(dC, M * K);
  for (let i = 0; i < M; i++)
    for (let k = 0; k < K; k++) {
      let s = 0;
      for (let j = 0; j < P; j++) s += dC[i * P + j]! * B[k * P + j]!;
      dA[i * K + k] = s;
    }
  const dB64 = new Float64Array(K * P);
  for (let i = 0; i < M; i++)
    for (let k = 0; k < K; k++) {
      const a = A[i * K + k]!;
      if (a === 0) continue;
      for (let j = 0; j < P; j++) dB64[k * P + j]! += a * dC[i * P + j]!;
    }
  const dB = zerosLike(dC, K * P);
  dB.set(dB64);
  return [dA, dB];
}

/** max(x, 0) elementwise (NaN stays NaN, as in PyTorch). */
export function relu(x: Arr): Arr {
  const out = zerosLike(x, x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i]! > 0 || Number.isNaN(x[i]) ? x[i]! : 0;
  return out;
}
/** Backward of relu: dx = dy where x > 0, else 0. */
export function reluBackward(dy: Arr, x: Arr): Arr {
  const dx = zerosLike(dy, dy.length);
  for (let i = 0; i < x.length; i++) dx[i] = x[i]! > 0 ? dy[i]! : 0;
  return dx;
}

/** A ⊙ B elementwise. */
export function mul(A: Arr, B: Arr): Arr {
  const out = zerosLike(A, A.length);
  for (let i = 0; i < A.length; i++) out[i] = A[i]! * B[i]!;
  return out;
}
/** Backward of mul: dA = dOut ⊙ B, dB = dOut ⊙ A. */
export function mulBackward(dOut: Arr, A: Arr, B: Arr): [Arr, Arr] {
  return [mul(dOut, B), mul(dOut, A)];
}
