/**
 * Cross-entropy and accuracy of float32 logits, computed as in the original's `loss_fn`: the logits are
 * promoted to float64, log-softmaxed, and the NLL of the correct class averaged over rows. Unlike the
 * original we average at every size (no ×8 chunk-sum bug for > 15000 rows, REFERENCE §3).
 */

type Logits = Float32Array | Float64Array;

/** Per-row loss -log softmax(logits[r])[labels[r]] in float64. */
export function rowCrossEntropy(logits: Logits, N: number, r: number, label: number): number {
  const o = r * N;
  let max = -Infinity;
  for (let c = 0; c < N; c++) if (logits[o + c]! > max) max = logits[o + c]!;
  let sum = 0;
  for (let c = 0; c < N; c++) sum += Math.exp(logits[o + c]! - max);
  return Math.log(sum) + max - logits[o + label]!;
}

/** Mean cross-entropy (float64) over the rows of logits [rows, N] with labels [rows]. */
export function crossEntropy(logits: Logits, labels: Int32Array, N: number): number {
  const rows = labels.length;
  if (rows === 0) return NaN;
  let total = 0;
  for (let r = 0; r < rows; r++) total += rowCrossEntropy(logits, N, r, labels[r]!);
  return total / rows;
}

/**
 * Gradient of the mean cross-entropy w.r.t. the logits: (softmax(logits[r]) - onehot(labels[r])) / rows,
 * written into `out` [rows, N] (same element type as `out`). Returns the mean loss (float64).
 */
export function crossEntropyBackward(logits: Logits, labels: Int32Array, N: number, out: Logits): number {
  const rows = labels.length;
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const o = r * N;
    let max = -Infinity;
    for (let c = 0; c < N; c++) if (logits[o + c]! > max) max = logits[o + c]!;
    let sum = 0;
    for (let c = 0; c < N; c++) sum += Math.exp(logits[o + c]! - max);
    const y = labels[r]!;
    total += Math.log(sum) + max - logits[o + y]!;
    for (let c = 0; c < N; c++) out[o + c] = (Math.exp(logits[o + c]! - max) / sum - (c === y ? 1 : 0)) / rows;
  }
  return rows === 0 ? NaN : total / rows;
}

/** Fraction of rows whose argmax (first maximum on ties) equals the label. */
export function accuracy(logits: Logits, labels: Int32Array, N: number): number {
  const rows = labels.length;
  if (rows === 0) return NaN;
  let correct = 0;
  for (let r = 0; r < rows; r++) {
    const o = r * N;
    let best = 0;
    for (let c = 1; c < N; c++) if (logits[o + c]! > logits[o + best]!) best = c;
    if (best === labels[r]) correct++;
  }
  return correct / rows;
}
