/**
 * Key irreps from a model when the run folder does not list them (no key_reps.txt, no similarity columns):
 * REFERENCE §4's rule on the final logits, with the measures' own functions (cosine similarity of the
 * centred logits with each character cube, then keyReps' threshold 0.005).
 */
import type { Group } from '../groups/group.js';
import { keyReps, similarityColumn } from '../measures/key-reps.js';
import { centreLogits, characterCube64, cosineSimilarity } from '../measures/reference.js';
import type { Irrep } from '../reps/irrep.js';

export function keyRepsFromLogits(G: Group, list: readonly Irrep[], logits: Float64Array): string[] {
  const N = G.order;
  const centred = centreLogits(logits, N); // L − mean over outputs c: [N², N]
  const row: Record<string, number> = {};
  for (const rho of list) if (rho.name !== 'trivial') row[similarityColumn(rho.name)] = cosineSimilarity(centred, characterCube64(G, rho));
  return keyReps(row, list);
}
