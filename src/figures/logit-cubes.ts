/**
 * The paper's `logit_cubes`: one slice c of the observed logit cube L[a, b, c] next to the same slice of
 * each key irrep's character cube χ_ρ(a·b·c⁻¹) (REFERENCE §1.6), each scaled by its largest |value| so
 * all share the colour scale [-1, 1]. If the model computes logits ∝ Σ_ρ χ_ρ(a b c⁻¹), the observed slice
 * is a mix of the irreps' slices. The original showed c = element 0; we default to the identity (the slice
 * is then χ(a·b)) and accept any c.
 */
import type { Group } from '../groups/group.js';
import type { Irrep } from '../reps/irrep.js';
import { heatmap, type HeatmapFacet } from './svg/heatmap.js';
import type { Panel } from './svg/panel.js';

function normalised(values: Float64Array): Float64Array {
  let m = 0;
  for (const v of values) m = Math.max(m, Math.abs(v));
  return m > 0 ? values.map((v) => v / m) : values;
}

/** [N, N] slice c of the logits [N², N]: out[a*N + b] = logits[(a*N + b)*N + c]. */
export function logitSlice(logits: Float64Array, N: number, c: number): Float64Array {
  const out = new Float64Array(N * N);
  for (let r = 0; r < N * N; r++) out[r] = logits[r * N + c]!;
  return out;
}

/** [N, N] slice c of ρ's character cube: χ_ρ(a·b·c⁻¹). */
export function cubeSlice(G: Group, rho: Irrep, c: number): Float64Array {
  const N = G.order;
  const out = new Float64Array(N * N);
  const cInv = G.inverses[c]!;
  for (let a = 0; a < N; a++) for (let b = 0; b < N; b++) out[a * N + b] = rho.character[G.table[G.table[a * N + b]! * N + cInv]!]!;
  return out;
}

export interface LogitCubesOptions {
  /** The output element of the slice (default: the identity). */
  c?: number;
}

export function logitCubes(G: Group, irreps: readonly Irrep[], logits: Float64Array, keyReps: readonly string[], o: LogitCubesOptions = {}): Panel {
  const N = G.order;
  const c = o.c ?? G.identity;
  const facets: HeatmapFacet[] = [{ title: 'observed logits', rows: N, cols: N, values: normalised(logitSlice(logits, N, c)) }];
  for (const name of keyReps) {
    const rho = irreps.find((r) => r.name === name);
    if (!rho) throw new Error(`logitCubes: key irrep "${name}" is not an irrep of ${G.name}`);
    facets.push({ title: name, rows: N, cols: N, values: normalised(cubeSlice(G, rho, c)) });
  }
  return heatmap({ facets, range: 1, xLabel: 'b', yLabel: 'a', columns: 4 });
}
