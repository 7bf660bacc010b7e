/**
 * Integer partitions and standard Young tableaux, for Young's orthogonal form (symmetric.ts) and the
 * names of the S_n and A_n irreps.
 *
 * A partition λ = (λ1 >= λ2 >= ... > 0) of n is the shape of a Young diagram; a standard Young tableau
 * fills it with 1..n increasing along rows and down columns. The content of box (row, col) is col − row.
 */

export type Partition = readonly number[];

/** All partitions of n, in decreasing lexicographic order: (n), (n−1,1), (n−2,2), (n−2,1,1), ... */
export function partitions(n: number): Partition[] {
  const out: number[][] = [];
  const rec = (rest: number, max: number, prefix: number[]) => {
    if (rest === 0) {
      out.push(prefix.slice());
      return;
    }
    for (let p = Math.min(rest, max); p >= 1; p--) {
      prefix.push(p);
      rec(rest - p, p, prefix);
      prefix.pop();
    }
  };
  rec(n, n, []);
  if (n === 0) return [[]];
  return out;
}

/** The conjugate partition λ' (transpose of the diagram). */
export function conjugatePartition(lambda: Partition): Partition {
  const out: number[] = [];
  for (let c = 0; c < (lambda[0] ?? 0); c++) out.push(lambda.filter((r) => r > c).length);
  return out;
}

/** Lexicographic comparison: > 0 when a comes before b in `partitions` order (a is larger). */
export function comparePartitions(a: Partition, b: Partition): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export function partitionsEqual(a: Partition, b: Partition): boolean {
  return comparePartitions(a, b) === 0;
}

/** The partition name used where no other name applies: `p` + parts joined by `_`, e.g. `p3_2_1`. */
export function partitionName(lambda: Partition): string {
  return `p${lambda.join('_')}`;
}

/** Hook lengths of the boxes on the main diagonal (for self-conjugate λ, the A_n splitting class). */
export function diagonalHooks(lambda: Partition): number[] {
  const conj = conjugatePartition(lambda);
  const out: number[] = [];
  for (let i = 0; i < lambda.length && lambda[i]! > i; i++) out.push(lambda[i]! - i + conj[i]! - i - 1);
  return out;
}

/** The number of standard Young tableaux of shape λ (the dimension of its S_n irrep), by the hook length formula. */
export function hookDimension(lambda: Partition): number {
  const n = lambda.reduce((s, r) => s + r, 0);
  const conj = conjugatePartition(lambda);
  let num = 1;
  for (let k = 2; k <= n; k++) num *= k;
  let den = 1;
  lambda.forEach((len, i) => {
    for (let j = 0; j < len; j++) den *= len - j + conj[j]! - i - 1;
  });
  return Math.round(num / den);
}

/**
 * The standard Young tableaux of shape λ, each as the content (col − row) of the box holding each of
 * 1..n: contents[t*n + (v−1)]. Also the row of each value (to tell "same row" from "same column").
 * Order: depth-first, placing n, n−1, ..., 1 at removable corners from the top row down.
 */
export interface Tableaux {
  readonly n: number;
  readonly count: number;
  /** [count*n] content of the box holding value v at t*n + v − 1. */
  readonly contents: Int32Array;
  /** [count*n] row of the box holding value v. */
  readonly rows: Int32Array;
}

export function standardTableaux(lambda: Partition): Tableaux {
  const n = lambda.reduce((s, r) => s + r, 0);
  const shape = lambda.slice();
  const contents: number[] = [];
  const rows: number[] = [];
  const cur = new Int32Array(n);
  const curRow = new Int32Array(n);
  const rec = (v: number) => {
    if (v === 0) {
      contents.push(...cur);
      rows.push(...curRow);
      return;
    }
    for (let i = 0; i < shape.length; i++) {
      const len = shape[i]!;
      if (len === 0) continue;
      if (i + 1 < shape.length && shape[i + 1]! >= len) continue; // not a removable corner
      shape[i] = len - 1;
      cur[v - 1] = len - 1 - i;
      curRow[v - 1] = i;
      rec(v - 1);
      shape[i] = len;
    }
  };
  rec(n);
  return { n, count: contents.length / Math.max(n, 1) || 1, contents: Int32Array.from(contents), rows: Int32Array.from(rows) };
}
