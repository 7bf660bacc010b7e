/**
 * Real irreps of S_n by Young's orthogonal form, one per partition λ of n (all of real type).
 *
 * Basis: the standard Young tableaux T of shape λ. For the adjacent transposition s_i = (i, i+1), let
 * r = c_T(i+1) − c_T(i) be the axial distance (c = content col − row of the box holding a value). Then
 *   ρ(s_i) e_T = (1/r) e_T + √(1 − 1/r²) e_{s_i T},
 * where s_i T swaps i and i+1 (standard whenever |r| > 1; r = ±1 means same row / column, ρ(s_i) e_T = ±e_T).
 * Each ρ(s_i) is symmetric and orthogonal, with at most two nonzeros per column, and the ρ(s_i) satisfy
 * the Coxeter relations of S_n. So s_i ↦ ρ(s_i) extends to a homomorphism for any table in which the
 * elements t_i = (i, i+1) satisfy them, ours included; every element is then reached breadth-first from
 * the identity, ρ(x·t_i) = ρ(x)ρ(t_i), which gives ρ(a·b) = ρ(a)ρ(b) for the table's product (a·b =
 * apply a, then b), at O(dim²) per element. (The original's generator-built irreps were
 * anti-homomorphisms for its table: REFERENCE §1.4.)
 *
 * Names: `trivial` (n), `sign` (1^n), `standard` (n−1,1), `standard_sign` (2,1^(n−2)), the original's
 * `s4_2d` (2,2), `s5_5d_a` (2,2,1), `s5_5d_b` (3,2), `s5_6d` (3,1,1), `s6_5d_a` (3,3), `s6_5d_b` (2,2,2),
 * and `p<parts joined by _>` for every other partition (`p4_2`, `p3_2_1`). Where two of the first four
 * coincide (S1, S2, S3) the earlier name wins. Order: trivial, sign, standard, standard_sign, then the
 * others in decreasing lexicographic order of λ.
 */
import type { Group } from '../groups/group.js';
import type { Irrep } from './irrep.js';
import { makeIrrep } from './make-irrep.js';
import { partitionName, partitions, standardTableaux, type Partition } from './partitions.js';

/** The sparse matrices ρ(s_i), i = 1..n−1, of Young's orthogonal form for λ. */
export interface YoungGenerators {
  readonly n: number;
  readonly dim: number;
  /** [(n−1)*dim] entry (T, T) of ρ(s_i) at (i−1)*dim + T: 1/r. */
  readonly diag: Float64Array;
  /** [(n−1)*dim] index of s_i T, or −1 when ρ(s_i) e_T = ±e_T. */
  readonly partner: Int32Array;
  /** [(n−1)*dim] entry (s_i T, T) of ρ(s_i): √(1 − 1/r²). */
  readonly off: Float64Array;
}

export function youngGenerators(lambda: Partition): YoungGenerators {
  const tab = standardTableaux(lambda);
  const { n, count: d, contents } = tab;
  const index = new Map<string, number>();
  for (let t = 0; t < d; t++) index.set(contents.subarray(t * n, t * n + n).join(','), t);
  const m = Math.max(n - 1, 0);
  const diag = new Float64Array(m * d);
  const partner = new Int32Array(m * d).fill(-1);
  const off = new Float64Array(m * d);
  for (let i = 1; i < n; i++)
    for (let t = 0; t < d; t++) {
      const c = contents.subarray(t * n, t * n + n);
      const r = c[i]! - c[i - 1]!; // values i+1 and i sit at 0-based positions i and i−1
      const k = (i - 1) * d + t;
      diag[k] = 1 / r;
      if (Math.abs(r) === 1) continue;
      const swapped = Array.from(c);
      [swapped[i - 1], swapped[i]] = [swapped[i]!, swapped[i - 1]!];
      const p = index.get(swapped.join(','));
      if (p === undefined) throw new Error(`youngGenerators: s_${i} T is not a standard tableau for λ = (${lambda.join(',')})`);
      partner[k] = p;
      off[k] = Math.sqrt(1 - 1 / (r * r));
    }
  return { n, dim: d, diag, partner, off };
}

/** A generator of the group for the breadth-first walk: its element index and its word in the s_i (1-based i). */
export interface YoungWordGenerator {
  readonly element: number;
  readonly word: readonly number[];
}

/** Breadth-first tree of G from the identity by right multiplication with the generators. */
export interface BfsTree {
  /** Elements in breadth-first order (identity first). */
  readonly order: Int32Array;
  readonly parent: Int32Array;
  /** Index of the generator with order[q] = parent · generator. */
  readonly via: Int32Array;
}

export function bfsTree(G: Group, gens: readonly number[]): BfsTree {
  const N = G.order;
  const parent = new Int32Array(N).fill(-1);
  const via = new Int32Array(N);
  const order = new Int32Array(N);
  order[0] = G.identity;
  parent[G.identity] = G.identity;
  let len = 1;
  for (let q = 0; q < len; q++) {
    const x = order[q]!;
    for (let j = 0; j < gens.length; j++) {
      const y = G.table[x * N + gens[j]!]!;
      if (parent[y]! < 0) {
        parent[y] = x;
        via[y] = j;
        order[len++] = y;
      }
    }
  }
  if (len !== N) throw new Error(`bfsTree: the generators reach ${len} of the ${N} elements of ${G.name}`);
  return { order, parent, via };
}

/** Y = X · ρ(s_i) for dense X [dim, dim] (O(dim²)). */
function timesGenerator(
  Y: Float64Array,
  yo: number,
  X: Float64Array,
  xo: number,
  d: number,
  diag: Float64Array,
  partner: Int32Array,
  off: Float64Array,
  base: number,
): void {
  for (let row = 0; row < d; row++) {
    const xr = xo + row * d;
    const yr = yo + row * d;
    for (let t = 0; t < d; t++) {
      const p = partner[base + t]!;
      const v = diag[base + t]! * X[xr + t]!;
      Y[yr + t] = p >= 0 ? v + off[base + t]! * X[xr + p]! : v;
    }
  }
}

/**
 * [N*dim*dim] Young's orthogonal form of λ on every element of G, walking the tree: ρ(y) = ρ(parent)·ρ(word),
 * where gens[j].word lists the s_i whose table product is the element gens[j].element.
 */
export function youngFormMatrices(
  G: Group,
  lambda: Partition,
  gens: readonly YoungWordGenerator[],
  tree?: BfsTree,
): { dim: number; matrices: Float64Array } {
  const yg = youngGenerators(lambda);
  const { dim: d, diag, partner, off } = yg;
  const dd = d * d;
  const N = G.order;
  const t =
    tree ??
    bfsTree(
      G,
      gens.map((g) => g.element),
    );
  const M = new Float64Array(N * dd); // [N, d, d]
  for (let i = 0; i < d; i++) M[G.identity * dd + i * d + i] = 1;
  const tmpA = new Float64Array(dd);
  const tmpB = new Float64Array(dd);
  const words = gens.map((g) => Int32Array.from(g.word));
  for (let q = 1; q < N; q++) {
    const y = t.order[q]!;
    const word = words[t.via[y]!]!;
    const L = word.length;
    if (L === 1) {
      timesGenerator(M, y * dd, M, t.parent[y]! * dd, d, diag, partner, off, (word[0]! - 1) * d);
      continue;
    }
    // longer words: ping-pong through two buffers, the last step writes into M
    let src = M;
    let so = t.parent[y]! * dd;
    for (let w = 0; w < L; w++) {
      const last = w === L - 1;
      const dst = last ? M : w % 2 === 0 ? tmpA : tmpB;
      const dOff = last ? y * dd : 0;
      timesGenerator(dst, dOff, src, so, d, diag, partner, off, (word[w]! - 1) * d);
      src = dst;
      so = dOff;
    }
  }
  return { dim: d, matrices: M };
}

/** The element of G (by its perms) that swaps points i−1 and i (0-based) and fixes the rest, i = 1..n−1. */
export function findPermElement(G: Group, image: (p: number) => number): number {
  const perms = G.perms;
  const n = G.degree ?? 0;
  if (!perms) throw new Error(`${G.name}: Young's form needs the group's permutations`);
  for (let g = 0; g < G.order; g++) {
    const p = perms[g]!;
    let ok = true;
    for (let x = 0; x < n && ok; x++) ok = p[x] === image(x);
    if (ok) return g;
  }
  throw new Error(`${G.name}: no element with the permutation asked for`);
}

/** The adjacent transposition s_i = (i, i+1) (1-based points) as a map on 0-based points. */
export function adjacentTransposition(i: number): (p: number) => number {
  return (p) => (p === i - 1 ? i : p === i ? i - 1 : p);
}

const FIRST_NAMES = ['trivial', 'sign', 'standard', 'standard_sign'];

/** The name of the S_n irrep of λ (see the module comment). */
export function symmetricIrrepName(lambda: Partition): string {
  const n = lambda.reduce((s, r) => s + r, 0);
  const key = lambda.join(',');
  if (lambda.length === 1) return 'trivial';
  if (lambda.every((r) => r === 1)) return 'sign';
  if (lambda.length === 2 && lambda[1] === 1) return 'standard';
  if (lambda[0] === 2 && lambda.slice(1).every((r) => r === 1)) return 'standard_sign';
  const original: Record<string, string> = {
    '2,2': 's4_2d',
    '2,2,1': 's5_5d_a',
    '3,2': 's5_5d_b',
    '3,1,1': 's5_6d',
    '3,3': 's6_5d_a',
    '2,2,2': 's6_5d_b',
  };
  return (n >= 4 && n <= 6 && original[key]) || partitionName(lambda);
}

/** Orders partitions as the irreps are listed: trivial, sign, standard, standard_sign, then the rest. */
export function symmetricIrrepOrder(n: number): Partition[] {
  const all = partitions(n);
  const rank = (l: Partition) => {
    const k = FIRST_NAMES.indexOf(symmetricIrrepName(l));
    return k >= 0 ? k : FIRST_NAMES.length;
  };
  return all
    .map((l, i) => ({ l, i, r: rank(l) }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((x) => x.l);
}

/** The complete real irreps of S_n (G must carry its permutations of n points, family {kind: 'S', n}). */
export function symmetricIrreps(G: Group, n: number): Irrep[] {
  const gens: YoungWordGenerator[] = [];
  for (let i = 1; i < n; i++) gens.push({ element: findPermElement(G, adjacentTransposition(i)), word: [i] });
  const tree = bfsTree(
    G,
    gens.map((g) => g.element),
  );
  return symmetricIrrepOrder(n).map((lambda) => {
    const { dim, matrices } = youngFormMatrices(G, lambda, gens, tree);
    return makeIrrep(symmetricIrrepName(lambda), dim, 'real', matrices);
  });
}
