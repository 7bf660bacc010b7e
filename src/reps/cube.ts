/**
 * The character cube of an irrep (the original's `logit_trace_tensor_cube`): T[a, b, c] = χ_ρ(a·b·c⁻¹),
 * not centred and not normalised, as float32. Built by table lookups: the c-slice depends only on a·b,
 * so the N distinct slices are computed once and copied.
 */
import type { Group } from '../groups/group.js';
import type { Irrep } from './irrep.js';

/** [N*N*N] χ_ρ(a·b·c⁻¹) at a*N*N + b*N + c (N³ floats: 1.5 GB for S6; not memoised). */
export function characterCube(G: Group, rho: Irrep): Float32Array {
  const N = G.order;
  const T = G.table;
  // slices[x*N + c] = χ(x·c⁻¹): [N, N]
  const slices = new Float32Array(N * N);
  for (let x = 0; x < N; x++) for (let c = 0; c < N; c++) slices[x * N + c] = rho.character[T[x * N + G.inverses[c]!]!]!;
  const cube = new Float32Array(N * N * N);
  for (let a = 0; a < N; a++)
    for (let b = 0; b < N; b++) {
      const ab = T[a * N + b]!;
      cube.set(slices.subarray(ab * N, ab * N + N), (a * N + b) * N);
    }
  return cube;
}
