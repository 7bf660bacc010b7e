/**
 * Real irreps of A_n by restricting Young's orthogonal form (symmetric.ts) from S_n.
 *
 * For λ ≠ λ' the restrictions of λ and λ' to A_n are equal and irreducible (real type); we keep the
 * larger of the two (decreasing lexicographic order). For self-conjugate λ = λ' the restriction is the
 * sum of two conjugate irreducible characters, which over the reals is either
 * - one irrep of complex type (the restriction itself: its characters are not real, e.g. (2,2) in A4), or
 * - two real-type irreps (e.g. (3,1,1) in A5), split apart with splitRep.
 * The Frobenius–Schur sum of the restricted character tells which (0 or 2).
 *
 * Matrices: A_n is walked breadth-first by the 3-cycles t_i·t_{i+1} = (i, i+1)·(i+1, i+2) (i = 1..n−2,
 * which generate A_n), with ρ(t_i·t_{i+1}) = ρ(s_i)ρ(s_{i+1}) from Young's form; a homomorphism for the
 * table's product because Young's form is one on S_n, and A_n's table is S_n's restricted.
 *
 * Names: from the partition λ (the larger of λ, λ'): `trivial` (n), `standard` (n−1,1), otherwise
 * `p<parts>`; the two pieces of a split self-conjugate λ get `_a` and `_b` (`_a` has the larger character
 * at the first element, in element order, where they differ). A5 uses the original's names: `trivial`,
 * `standard` (4-d), `a5_5d_a` (5-d, from (3,2) ~ (2,2,1)), `a5_3d_a` and `a5_3d_b` (3-d, from (3,1,1)),
 * where `a5_3d_a` is the one whose character on the 5-cycle (1,2,3,4,5) is the golden ratio (1+√5)/2.
 */
import type { Group } from '../groups/group.js';
import { Rng } from '../linalg/rng.js';
import { frobeniusSchurSum } from './check.js';
import { splitRep } from './decompose.js';
import type { Irrep } from './irrep.js';
import { makeIrrep, renameIrrep } from './make-irrep.js';
import { comparePartitions, conjugatePartition, partitionName, partitions, type Partition } from './partitions.js';
import { adjacentTransposition, bfsTree, findPermElement, youngFormMatrices, type YoungWordGenerator } from './symmetric.js';

/** The base name of the A_n irrep(s) from λ (λ the larger of λ, λ'). */
export function alternatingBaseName(lambda: Partition): string {
  const n = lambda.reduce((s, r) => s + r, 0);
  if (lambda.length === 1) return 'trivial';
  if (lambda.length === 2 && lambda[1] === 1) return 'standard';
  if (n === 5 && lambda.join(',') === '3,2') return 'a5_5d_a';
  return partitionName(lambda);
}

/** Orders two split pieces: the one with the larger character at the first element where they differ first. */
function compareCharacters(a: Irrep, b: Irrep, tol = 1e-6): number {
  for (let g = 0; g < a.character.length; g++) {
    const d = a.character[g]! - b.character[g]!;
    if (Math.abs(d) > tol) return -d;
  }
  return 0;
}

/** The complete real irreps of A_n (G must carry its permutations of n points, family {kind: 'A', n}). */
export function alternatingIrreps(G: Group, n: number, rng: Rng = new Rng(0)): Irrep[] {
  if (n <= 2) return [makeIrrep('trivial', 1, 'real', new Float64Array(G.order).fill(1))];
  const gens: YoungWordGenerator[] = [];
  for (let i = 1; i <= n - 2; i++) {
    const s = adjacentTransposition(i);
    const t = adjacentTransposition(i + 1);
    gens.push({ element: findPermElement(G, (x) => t(s(x))), word: [i, i + 1] }); // apply s_i, then s_{i+1}
  }
  const tree = bfsTree(
    G,
    gens.map((g) => g.element),
  );
  const out: Irrep[] = [];
  for (const lambda of partitions(n)) {
    const conj = conjugatePartition(lambda);
    const c = comparePartitions(lambda, conj);
    if (c < 0) continue; // the restriction of λ' is the same
    const base = alternatingBaseName(lambda);
    const { dim, matrices } = youngFormMatrices(G, lambda, gens, tree);
    const restricted = makeIrrep(base, dim, 'real', matrices);
    if (c > 0) {
      out.push(restricted);
      continue;
    }
    const fs = frobeniusSchurSum(G, restricted.character);
    if (Math.abs(fs) < 0.5) {
      out.push(makeIrrep(base, dim, 'complex', matrices));
      continue;
    }
    const pieces = splitRep(G, matrices, dim, rng);
    if (pieces.length !== 2 || pieces.some((p) => p.type !== 'real' || 2 * p.dim !== dim))
      throw new Error(`alternatingIrreps: the restriction of (${lambda.join(',')}) to A${n} did not split into two real irreps`);
    let [a, b] = [...pieces].sort(compareCharacters) as [Irrep, Irrep];
    if (n === 5) {
      // a5_3d_a: character (1+√5)/2 on the 5-cycle (1,2,3,4,5)
      const cyc = findPermElement(G, (x) => (x + 1) % 5);
      if (a.character[cyc]! < b.character[cyc]!) [a, b] = [b, a];
      out.push(renameIrrep(a, 'a5_3d_a'), renameIrrep(b, 'a5_3d_b'));
    } else out.push(renameIrrep(a, `${base}_a`), renameIrrep(b, `${base}_b`));
  }
  return out;
}
