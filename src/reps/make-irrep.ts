/**
 * Builds an Irrep record from its matrices: the character is their trace, the indicator follows the type.
 * Shared by the family constructions (cyclic, dihedral, symmetric, alternating, products).
 */
import type { Irrep, IrrepType } from './irrep.js';

const INDICATOR = { real: 1, complex: 0, quaternionic: -1 } as const;

/** [N*dim*dim] row-major matrices -> Irrep with character χ(g) = tr ρ(g). */
export function makeIrrep(name: string, dim: number, type: IrrepType, matrices: Float64Array): Irrep {
  const dd = dim * dim;
  const N = matrices.length / dd;
  const character = new Float64Array(N);
  for (let g = 0; g < N; g++) {
    let t = 0;
    for (let i = 0; i < dim; i++) t += matrices[g * dd + i * dim + i]!;
    character[g] = t;
  }
  return { name, dim, type, indicator: INDICATOR[type], character, matrices };
}

/** The same irrep under another name. */
export function renameIrrep(rho: Irrep, name: string): Irrep {
  return { ...rho, name };
}
