/**
 * Logit attribution (notebook "Logit Attribution"; REFERENCE §4 logit level): how much of the centred
 * logits L̃ = L − mean_c L is the character cube T_ρ[a, b, c] = χ_ρ(a·b·c⁻¹) of each non-trivial irrep.
 * - similarity_ρ = cos(vec L̃, vec T_ρ); percentExplained = Σ_ρ similarity_ρ² (the cubes are orthogonal);
 * - P_ρ = ⟨L̃, T_ρ⟩/‖T_ρ‖² · T_ρ, the projection on the cube: excludedLoss_ρ = CE((L̃ − P_ρ)[train]),
 *   restrictedLoss_ρ = CE(P_ρ, all pairs); the totals use P = Σ_{ρ∈K} P_ρ.
 * Cubes are never built: ⟨L̃, T_ρ⟩ = Σ_{g,c} S[g, c] χ(g c⁻¹) with S[g] = Σ_{ab=g} L̃[(a,b)], and
 * ‖T_ρ‖² = N² Σ_x χ(x)².
 */
import type { Group } from '../groups/group.js';
import type { Irrep } from '../reps/irrep.js';
import { keyIrreps, nonTrivialIrreps, type AnalysisInput } from './analysis-input.js';
import { productLogitsLoss, rowsLoss } from './losses.js';
import { pairSums } from '../measures/pair-sums.js';
import { centreLogits } from '../measures/reference.js';
import { sumOfSquares } from '../measures/sum-of-squares.js';

export interface LogitAttribution {
  /** Non-trivial irrep name -> cos(L̃, T_ρ). */
  similarity: Record<string, number>;
  /** Σ over non-trivial irreps of similarity². */
  percentExplained: number;
  /** Non-trivial irrep name -> CE on the train pairs of L̃ minus its projection on T_ρ. */
  excludedLoss: Record<string, number>;
  /** Non-trivial irrep name -> CE on all pairs of the projection of L̃ on T_ρ alone. */
  restrictedLoss: Record<string, number>;
  /** The same with the projection on the span of the key reps' cubes (K empty: nothing removed / zero logits). */
  totalExcludedLoss: number;
  totalRestrictedLoss: number;
}

export { centreLogits };

/** [N, N] table[x, c] = Σ_ρ weight_ρ χ_ρ(x·c⁻¹): a combination of cube slices (the cube at row (a,b) is slice a·b). */
function cubeSlices(G: Group, parts: readonly { rho: Irrep; weight: number }[]): Float64Array {
  const N = G.order;
  const f = new Float64Array(N);
  for (const { rho, weight } of parts) for (let x = 0; x < N; x++) f[x]! += weight * rho.character[x]!;
  const t = new Float64Array(N * N);
  for (let x = 0; x < N; x++) for (let c = 0; c < N; c++) t[x * N + c] = f[G.table[x * N + G.inverses[c]!]!]!;
  return t;
}

export function logitAttribution(inp: AnalysisInput): LogitAttribution {
  const G = inp.group;
  const N = G.order;
  const Lc = centreLogits(inp.view.logits, N); // [N², N]
  const normL = Math.sqrt(sumOfSquares(Lc));
  const S = pairSums(Lc, N, N, G.table).byProduct; // [N, N]
  const coef = new Map<string, number>(); // ⟨L̃, T_ρ⟩ / ‖T_ρ‖²
  const similarity: Record<string, number> = {};
  let percentExplained = 0;
  for (const rho of nonTrivialIrreps(inp.irreps)) {
    let ip = 0;
    for (let g = 0; g < N; g++) for (let c = 0; c < N; c++) ip += S[g * N + c]! * rho.character[G.table[g * N + G.inverses[c]!]!]!;
    const normT2 = N * N * sumOfSquares(rho.character);
    const sim = ip / Math.max(normL * Math.sqrt(normT2), 1e-8);
    similarity[rho.name] = sim;
    percentExplained += sim * sim;
    coef.set(rho.name, ip / normT2);
  }
  const sub = new Float64Array(N * N * N); // [N², N], only the train rows filled
  const excluded = (parts: { rho: Irrep; weight: number }[]) => {
    const t = cubeSlices(G, parts);
    const rows = inp.train;
    for (const r of rows) {
      const g = G.table[r]!;
      for (let c = 0; c < N; c++) sub[r * N + c] = Lc[r * N + c]! - t[g * N + c]!;
    }
    return rowsLoss(G, sub, rows);
  };
  const restricted = (parts: { rho: Irrep; weight: number }[]) => productLogitsLoss(G, cubeSlices(G, parts));
  const excludedLoss: Record<string, number> = {};
  const restrictedLoss: Record<string, number> = {};
  for (const rho of nonTrivialIrreps(inp.irreps)) {
    const parts = [{ rho, weight: coef.get(rho.name)! }];
    excludedLoss[rho.name] = excluded(parts);
    restrictedLoss[rho.name] = restricted(parts);
  }
  const keyParts = keyIrreps(inp).map((rho) => ({ rho, weight: coef.get(rho.name) ?? 0 }));
  return {
    similarity,
    percentExplained,
    excludedLoss,
    restrictedLoss,
    totalExcludedLoss: excluded(keyParts),
    totalRestrictedLoss: restricted(keyParts),
  };
}
