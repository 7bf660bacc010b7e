/**
 * irreps(G): the complete set of real irreducible representations of G, trivial first, memoised per
 * group. Dispatches on the family tag (see docs/irreps.md):
 * - C_n, D_n: closed formulas (cyclic.ts, dihedral.ts);
 * - S_n: Young's orthogonal form (symmetric.ts); A_n: its restriction, split where needed (alternating.ts);
 * - direct products: tensor products of the factors' irreps, split where needed (product.ts);
 * - Q8, permutation groups and groups given only by a table: genericRealIrreps with a fixed seed, and its
 *   systematic names (`trivial`, `1d_a`, `2d_a`, ...).
 * Every one satisfies ρ(a)ρ(b) = ρ(a·b) for the group's table (a·b = table[a*N+b]).
 */
import { memo, type Group } from '../groups/group.js';
import { Rng } from '../linalg/rng.js';
import { alternatingIrreps } from './alternating.js';
import { cyclicIrreps } from './cyclic.js';
import { dihedralIrreps } from './dihedral.js';
import { genericRealIrreps } from './generic.js';
import type { Irrep } from './irrep.js';
import { productIrreps } from './product.js';
import { symmetricIrreps } from './symmetric.js';

/** The fixed seed of every random choice made for irreps(G) (generic algorithm, splitting). */
export const IRREPS_SEED = 0;

function expectOrder(G: Group, order: number): void {
  if (G.order !== order) throw new Error(`irreps: ${G.name} is tagged ${G.family?.kind} but has order ${G.order}, expected ${order}`);
}

function factorial(n: number): number {
  let f = 1;
  for (let k = 2; k <= n; k++) f *= k;
  return f;
}

function computeIrreps(G: Group): Irrep[] {
  const f = G.family;
  switch (f?.kind) {
    case 'C':
      expectOrder(G, f.n);
      return cyclicIrreps(f.n);
    case 'D':
      expectOrder(G, 2 * f.n);
      return dihedralIrreps(f.n);
    case 'S':
      expectOrder(G, factorial(f.n));
      return symmetricIrreps(G, f.n);
    case 'A':
      expectOrder(G, f.n <= 1 ? 1 : factorial(f.n) / 2);
      return alternatingIrreps(G, f.n, new Rng(IRREPS_SEED));
    case 'product':
      expectOrder(
        G,
        f.factors.reduce((s, F) => s * F.order, 1),
      );
      return productIrreps(G, f.factors.map(irreps), new Rng(IRREPS_SEED));
    default:
      return genericRealIrreps(G, new Rng(IRREPS_SEED));
  }
}

/** The complete real irreps of G (memoised per group object); see the module comment. */
export function irreps(G: Group): Irrep[] {
  return memo(G, 'irreps', () => computeIrreps(G));
}

/** The irrep of G called `name`, or undefined. */
export function irrepByName(G: Group, name: string): Irrep | undefined {
  return irreps(G).find((r) => r.name === name);
}
