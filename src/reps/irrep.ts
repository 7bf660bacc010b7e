/**
 * A real irreducible representation of a finite group, as orthogonal matrices with ρ(g)ρ(h) = ρ(g·h)
 * for the group's table (see Group: a·b = table[a*N+b]).
 *
 * Over the reals an irreducible representation is one of three types, after the complex irreducible
 * character(s) χ it comes from (Frobenius–Schur indicator ν(χ) = (1/|G|) Σ_g χ(g²)):
 * - 'real' (ν = 1): ρ ⊗ C is irreducible with character χ; dim = χ(1); ⟨χ_ρ, χ_ρ⟩ = 1.
 * - 'complex' (ν = 0): ρ ⊗ C = χ ⊕ χ̄; dim = 2χ(1); ⟨χ_ρ, χ_ρ⟩ = 2.
 * - 'quaternionic' (ν = -1): ρ ⊗ C = χ ⊕ χ; dim = 2χ(1); ⟨χ_ρ, χ_ρ⟩ = 4.
 * Completeness: Σ_ρ dim(ρ)² / e(ρ) = |G| with e = 1, 2, 4 by type.
 */
export type IrrepType = 'real' | 'complex' | 'quaternionic';

export interface Irrep {
  /** The original code's name where it has one (`trivial`, `sign`, `standard`, `s5_5d_a`, `freq_3`, ...). */
  readonly name: string;
  /** Real dimension of the matrices. */
  readonly dim: number;
  readonly type: IrrepType;
  /** Frobenius–Schur indicator of the complex irreducible character(s) it comes from: 1, 0 or -1. */
  readonly indicator: 1 | 0 | -1;
  /** [N] χ_ρ(g) = tr ρ(g) (the real character: for complex type χ + χ̄, for quaternionic 2χ). */
  readonly character: Float64Array;
  /** [N*dim*dim] ρ(g) row-major at offset g*dim*dim. */
  readonly matrices: Float64Array;
}

/** e(ρ): 1, 2 or 4 — ⟨χ_ρ, χ_ρ⟩, and the dimension of the commutant of ρ (R, C or H). */
export function typeNorm(type: IrrepType): 1 | 2 | 4 {
  return type === 'real' ? 1 : type === 'complex' ? 2 : 4;
}
