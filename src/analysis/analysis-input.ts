/**
 * What every analysis of a trained model reads (the paper's analysis notebook, REFERENCE §2, §4): the
 * group, its real irreps, the model seen through a ModelView, the data split and the key reps. The
 * analyses are pure functions of this: no files, no model code.
 */
import type { Irrep } from '../reps/irrep.js';
import type { MeasureInput } from '../measures/reference.js';

/** The measures' input; K (keyReps) in the order the analyses report it. */
export type AnalysisInput = MeasureInput;

/** The irreps named in K, in K's order; throws on a name the group does not have. */
export function keyIrreps(inp: AnalysisInput): Irrep[] {
  return inp.keyReps.map((name) => {
    const rho = inp.irreps.find((r) => r.name === name);
    if (!rho) throw new Error(`key rep "${name}" is not an irrep of ${inp.group.name}`);
    return rho;
  });
}

/** The non-trivial irreps (every irrep but the first, which irreps(G) makes the trivial one). */
export function nonTrivialIrreps(irreps: readonly Irrep[]): Irrep[] {
  return irreps.filter((r) => r.name !== 'trivial');
}
