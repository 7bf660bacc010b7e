/**
 * A finite group is data: a Cayley table over element indices 0..order-1, plus labels.
 * Everything else (classes, irreps, cubes) is a function of it, computed when asked and memoised
 * (see `memo`), never in a constructor.
 *
 * Convention: `table[a * order + b]` is the index of a·b. Where elements are permutations, a·b means
 * "apply a, then b" (as sympy's `a*b`, and as the original code's tables): (a·b)(i) = b(a(i)).
 */
export interface Group {
  /** Canonical name, e.g. "S5", "D59", "C2xS3", or "perm:(1,2,3);(1,2)". */
  readonly name: string;
  readonly order: number;
  /** [order*order] row-major: table[a*order+b] = a·b. */
  readonly table: Int32Array;
  readonly identity: number;
  /** [order] inverses[a] = a⁻¹. */
  readonly inverses: Int32Array;
  /** Human-readable element labels (cycle notation for permutation groups, "r^2 s" for dihedral, ...). */
  readonly labels: readonly string[];
  /** For groups acting on points: perms[g][i] = image of point i (0-based) under g. */
  readonly perms?: readonly Int32Array[];
  /** Number of points acted on, when perms is set. */
  readonly degree?: number;
  /** How the group was built, for algorithms that know the family (Young's form for S_n, ...). */
  readonly family?: GroupFamily;
}

export type GroupFamily =
  { kind: 'C' | 'D' | 'S' | 'A'; n: number } | { kind: 'Q8' } | { kind: 'product'; factors: readonly Group[] } | { kind: 'perm' };

/** a·b */
export function mul(G: Group, a: number, b: number): number {
  return G.table[a * G.order + b]!;
}

/**
 * Builds a Group from a table, checking that it is a group table (closure, identity, inverses; not
 * associativity, which costs O(N³): see `checkAssociative`).
 */
export function groupFromTable(
  name: string,
  table: Int32Array,
  labels: readonly string[],
  perms?: readonly Int32Array[],
  family?: GroupFamily,
): Group {
  const N = labels.length;
  if (table.length !== N * N) throw new Error(`group ${name}: table has ${table.length} entries, expected ${N * N}`);
  let identity = -1;
  for (let e = 0; e < N && identity < 0; e++) {
    let ok = true;
    for (let x = 0; x < N && ok; x++) ok = table[e * N + x] === x && table[x * N + e] === x;
    if (ok) identity = e;
  }
  if (identity < 0) throw new Error(`group ${name}: table has no identity`);
  const inverses = new Int32Array(N).fill(-1);
  for (let a = 0; a < N; a++) {
    for (let b = 0; b < N; b++) {
      if (table[a * N + b] === identity) {
        inverses[a] = b;
        break;
      }
    }
    if (inverses[a]! < 0) throw new Error(`group ${name}: element ${labels[a]} has no inverse`);
  }
  return {
    name,
    order: N,
    table,
    identity,
    inverses,
    labels,
    ...(perms ? { perms, degree: perms[0]?.length ?? 0 } : {}),
    ...(family ? { family } : {}),
  };
}

/** True if the table is associative (O(N³); for tests). */
export function checkAssociative(G: Group): boolean {
  const N = G.order;
  const T = G.table;
  for (let a = 0; a < N; a++)
    for (let b = 0; b < N; b++) {
      const ab = T[a * N + b]!;
      for (let c = 0; c < N; c++) if (T[ab * N + c] !== T[a * N + T[b * N + c]!]) return false;
    }
  return true;
}

/**
 * Memoises a derived property of a group (or any object) by identity: `memo(G, 'classes', () => ...)`.
 */
const caches = new WeakMap<object, Map<string, unknown>>();
export function memo<T>(owner: object, key: string, compute: () => T): T {
  let m = caches.get(owner);
  if (!m) caches.set(owner, (m = new Map()));
  if (m.has(key)) return m.get(key) as T;
  const v = compute();
  m.set(key, v);
  return v;
}
