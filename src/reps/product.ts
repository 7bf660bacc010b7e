/**
 * Real irreps of a direct product G1 × G2 × ... from the factors' irreps.
 *
 * Every real irrep of the product is a constituent of a tensor product ρ1 ⊗ ρ2 ⊗ ... of real irreps of
 * the factors (matrices: Kronecker products, element index row-major over the factors as in
 * directProduct). The commutant of the tensor product is End(ρ1) ⊗_R End(ρ2) ⊗ ...: with at most one
 * factor of non-real type it is R, C or H and the tensor product is irreducible, of that type; with two
 * or more (C ⊗ C = C ⊕ C, C ⊗ H = M2(C), H ⊗ H = M4(R), ...) it is reducible and splitRep splits it
 * into its distinct constituents. Different tuples of factor irreps share no constituent, so this is
 * the complete set.
 *
 * Names: the factors' names joined by `_x_` (`sign_x_standard`), `trivial` for the all-trivial one, and
 * `_a`, `_b`, ... for the distinct pieces of a split tensor product (in splitRep's order). Order: tuples
 * row-major, the first factor slowest (so `trivial` comes first).
 */
import type { Group } from '../groups/group.js';
import { Rng } from '../linalg/rng.js';
import { splitRep } from './decompose.js';
import { nameLetters } from './generic.js';
import type { Irrep } from './irrep.js';
import { makeIrrep, renameIrrep } from './make-irrep.js';

/** [N*D*D] ⊗_k ρ_k(g_k) at the product element (g_1, g_2, ...) (row-major, first factor slowest). */
export function kroneckerMatrices(factors: readonly Irrep[], orders: readonly number[]): { dim: number; matrices: Float64Array } {
  let dim = 1;
  let n = 1;
  let M: Float64Array = new Float64Array([1]);
  factors.forEach((rho, k) => {
    const m = orders[k]!;
    const e = rho.dim;
    const D = dim * e;
    const out = new Float64Array(n * m * D * D); // [n*m, D, D]
    for (let g = 0; g < n; g++)
      for (let h = 0; h < m; h++) {
        const o = (g * m + h) * D * D;
        const ao = g * dim * dim;
        const bo = h * e * e;
        for (let i1 = 0; i1 < dim; i1++)
          for (let j1 = 0; j1 < dim; j1++) {
            const a = M[ao + i1 * dim + j1]!;
            if (a === 0) continue;
            for (let i2 = 0; i2 < e; i2++) {
              const row = o + (i1 * e + i2) * D + j1 * e;
              const brow = bo + i2 * e;
              for (let j2 = 0; j2 < e; j2++) out[row + j2] = a * rho.matrices[brow + j2]!;
            }
          }
      }
    M = out;
    dim = D;
    n *= m;
  });
  return { dim, matrices: M };
}

/** The complete real irreps of G = F1 × F2 × ... given each factor's complete real irreps. */
export function productIrreps(G: Group, factorIrreps: readonly (readonly Irrep[])[], rng: Rng = new Rng(0)): Irrep[] {
  const orders = factorIrreps.map((irr) => irr[0]!.character.length);
  const out: Irrep[] = [];
  const tuple: Irrep[] = [];
  const rec = (k: number) => {
    if (k < factorIrreps.length) {
      for (const rho of factorIrreps[k]!) {
        tuple.push(rho);
        rec(k + 1);
        tuple.pop();
      }
      return;
    }
    const name = tuple.every((r) => r.name === 'trivial') ? 'trivial' : tuple.map((r) => r.name).join('_x_');
    const { dim, matrices } = kroneckerMatrices(tuple, orders);
    const nonReal = tuple.filter((r) => r.type !== 'real');
    if (nonReal.length <= 1) {
      out.push(makeIrrep(name, dim, nonReal[0]?.type ?? 'real', matrices));
      return;
    }
    const pieces = splitRep(G, matrices, dim, rng);
    if (pieces.length === 1) out.push(renameIrrep(pieces[0]!, name));
    else pieces.forEach((p, i) => out.push(renameIrrep(p, `${name}_${nameLetters(i)}`)));
  };
  rec(0);
  return out;
}
