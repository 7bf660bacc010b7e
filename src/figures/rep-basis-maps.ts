/**
 * Two maps into an irrep's basis (the paper's `hidden_to_standard_rep_change_of_basis` and
 * `unembedding_matrix_in_rep_basis`), as heatmaps of matrices computed by src/analysis:
 * - the change of basis from neurons to the coordinates of ρ(ab) [r, h] (unit rows);
 * - the unembedding in the irrep's basis, Ĉ · U · Q_ρ[inverses] [r, r]: ρ(ab) coordinates in, ρ(c⁻¹)
 *   coordinates out; for the algorithm tr ρ(ab)ρ(c⁻¹) it is a scaled permutation (the transposition
 *   (i, j) → (j, i)).
 */
import { heatmap } from './svg/heatmap.js';
import type { Panel } from './svg/panel.js';

/** [r, h] change of basis, neurons across. */
export function changeOfBasis(matrix: Float64Array, r: number, h: number, irrep: string): Panel {
  if (matrix.length !== r * h) throw new RangeError(`changeOfBasis: ${matrix.length} values for [${r}, ${h}]`);
  return heatmap({
    facets: [{ rows: r, cols: h, values: matrix }],
    xLabel: 'neuron',
    yLabel: `${irrep} basis`,
    facetSize: Math.min(900, h * Math.max(5, 100 / r)),
  }); // at least 100 px high, 5 px per neuron
}

/** [r, r] unembedding in the rep basis. */
export function unembedInRepBasis(matrix: Float64Array, r: number, irrep: string): Panel {
  if (matrix.length !== r * r) throw new RangeError(`unembedInRepBasis: ${matrix.length} values for [${r}, ${r}]`);
  return heatmap({
    facets: [{ rows: r, cols: r, values: matrix, title: irrep }],
    xLabel: 'output rep basis',
    yLabel: 'input rep basis',
    facetSize: 260,
  });
}
