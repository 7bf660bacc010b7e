/**
 * orth_rep: an orthonormal basis of the span of an irrep's matrix coefficients g ↦ ρ(g)_ij, as the
 * columns of an [N, r] matrix, r = dim²/e(ρ) (e = 1, 2, 4 by type: for a complex or quaternionic irrep
 * the d² coefficient functions are linearly dependent). The original took the reduced QR of the
 * [N, d²] coefficient matrix. Here: for real type, the coefficient columns themselves scaled by √(d/N)
 * (orthonormal by Schur; checked); otherwise Gram–Schmidt with rank detection, columns in row-major
 * (i, j) order.
 */
import { memo, type Group } from '../groups/group.js';
import { orthonormalizeColumns } from '../linalg/orthonormalize.js';
import { Rng } from '../linalg/rng.js';
import { typeNorm, type Irrep } from './irrep.js';

/**
 * [N, r] row-major, r = dim²/e; memoised per irrep object. Throws if ⟨χ, χ⟩ is not e(type) or the
 * rank is not dim²/e (not an irrep of that type).
 */
export function orthRep(G: Group, rho: Irrep): Float64Array {
  return memo(rho, `orthRep:${G.order}`, () => {
    const N = G.order;
    const d2 = rho.dim * rho.dim;
    if (rho.matrices.length !== N * d2)
      throw new RangeError(`orthRep: ${rho.name} has ${rho.matrices.length} matrix entries, expected ${N * d2} for ${G.name}`);
    const e = typeNorm(rho.type);
    const norm = characterNorm(G, rho);
    if (!(Math.abs(norm - e) < 1e-6))
      throw new Error(`orthRep: ${rho.name} of ${G.name} has ⟨χ, χ⟩ = ${norm}, expected ${e} for a ${rho.type} irrep`);
    if (rho.type === 'real') {
      const q = schurScaled(G, rho);
      if (q) return q;
    }
    // [N, d²]: row g = vec ρ(g), which is exactly the layout of `matrices`; the rank is known, so
    // Gram–Schmidt stops when it is reached
    const expected = d2 / e;
    const { q, rank } = orthonormalizeColumns(rho.matrices, N, d2, 1e-8, expected);
    if (rank !== expected)
      throw new Error(
        `orthRep: ${rho.name} of ${G.name} has matrix coefficients of rank ${rank}, expected ${expected} for a ${rho.type} irrep of dim ${rho.dim}`,
      );
    return q;
  });
}

/** ⟨χ, χ⟩ from the traces of the matrices: 1, 2, 4 for a real, complex, quaternionic irrep. */
function characterNorm(G: Group, rho: Irrep): number {
  const N = G.order;
  const d = rho.dim;
  const chi = new Float64Array(N);
  for (let g = 0; g < N; g++) for (let i = 0; i < d; i++) chi[g]! += rho.matrices[g * d * d + i * d + i]!;
  let norm = 0;
  for (let g = 0; g < N; g++) norm += chi[g]! * chi[G.inverses[g]!]!;
  return norm / N;
}

/**
 * For a real-type orthogonal irrep, Schur orthogonality Σ_g ρ_ij(g) ρ_kl(g) = (N/d) δ_ik δ_jl says the
 * coefficient columns scaled by √(d/N) are already orthonormal: O(N·d²) instead of Gram–Schmidt's
 * O(N·d⁴). Checked on every column norm and a sample of pairs; undefined if a check fails.
 */
function schurScaled(G: Group, rho: Irrep): Float64Array | undefined {
  const N = G.order;
  const d2 = rho.dim * rho.dim;
  const d = rho.dim;
  const s = Math.sqrt(d / N);
  const q = new Float64Array(N * d2);
  for (let i = 0; i < q.length; i++) q[i] = rho.matrices[i]! * s;
  const norms = new Float64Array(d2);
  for (let g = 0; g < N; g++) for (let c = 0; c < d2; c++) norms[c]! += q[g * d2 + c]! ** 2;
  if (!norms.every((x) => Math.abs(x - 1) < 1e-8)) return undefined;
  const rng = new Rng(d2);
  for (let t = 0; t < Math.min(256, (d2 * (d2 - 1)) / 2); t++) {
    const a = rng.int(d2);
    const b = (a + 1 + rng.int(d2 - 1)) % d2;
    let dot = 0;
    for (let g = 0; g < N; g++) dot += q[g * d2 + a]! * q[g * d2 + b]!;
    if (!(Math.abs(dot) < 1e-8)) return undefined;
  }
  return q;
}
