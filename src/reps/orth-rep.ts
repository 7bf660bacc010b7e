/**
 * orth_rep: an orthonormal basis of the span of an irrep's matrix coefficients g ↦ ρ(g)_ij, as the
 * columns of an [N, r] matrix, r = dim²/e(ρ) (e = 1, 2, 4 by type: for a complex or quaternionic irrep
 * the d² coefficient functions are linearly dependent). The original took the reduced QR of the
 * [N, d²] coefficient matrix; here Gram–Schmidt with rank detection, columns in row-major (i, j) order.
 */
import { memo, type Group } from '../groups/group.js';
import { orthonormalizeColumns } from '../linalg/orthonormalize.js';
import { typeNorm, type Irrep } from './irrep.js';

/** [N, r] row-major, r = dim²/e; memoised per irrep object. Throws if the rank is not dim²/e. */
export function orthRep(G: Group, rho: Irrep): Float64Array {
  return memo(rho, `orthRep:${G.order}`, () => {
    const N = G.order;
    const d2 = rho.dim * rho.dim;
    if (rho.matrices.length !== N * d2) throw new RangeError(`orthRep: ${rho.name} has ${rho.matrices.length} matrix entries, expected ${N * d2} for ${G.name}`);
    // [N, d²]: row g = vec ρ(g), which is exactly the layout of `matrices`
    const { q, rank } = orthonormalizeColumns(rho.matrices, N, d2, 1e-8);
    const expected = d2 / typeNorm(rho.type);
    if (rank !== expected) throw new Error(`orthRep: ${rho.name} of ${G.name} has matrix coefficients of rank ${rank}, expected ${expected} for a ${rho.type} irrep of dim ${rho.dim}`);
    return q;
  });
}
