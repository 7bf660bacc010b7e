/**
 * The figures drawn from a trained model rather than from metrics.csv (REFERENCE §5): logit cube slices,
 * the sign neurons' activations, and the maps into a key irrep's basis. The neuron clusters, the change of
 * basis and the unembedding in the irrep basis are computed by src/analysis (neuronAnalysis,
 * rhoExtraction, logitComputation); this module only draws them, so it takes their results as plain data.
 */
import type { Group } from '../groups/group.js';
import type { Irrep } from '../reps/irrep.js';
import type { ModelView } from '../measures/model-view.js';
import type { FigureSet } from './figure-set.js';
import { logitCubes } from './logit-cubes.js';
import { neuronActivations, orderBy } from './neuron-activations.js';
import { changeOfBasis, unembedInRepBasis } from './rep-basis-maps.js';

/** What the analyses found, in the shape src/analysis returns it (only the fields drawn). */
export interface ModelAnalysis {
  /** neuronAnalysis(...).clusters */
  clusters: readonly { irrep: string; neurons: readonly number[] }[];
  /** rhoExtraction(...): Ĉ [rank, h] per key irrep. */
  extraction: readonly { irrep: string; rank: number; changeOfBasis: Float64Array }[];
  /** logitComputation(...).unembedInRepBasis: [rank, rank] per key irrep. */
  unembedInRepBasis: readonly { irrep: string; rank: number; matrix: Float64Array }[];
}

/** Largest group order whose logits [N², N] we build for figures (S5: 120; S6's 720³ floats would be 3 GB). */
export const MAX_MODEL_ORDER = 256;

/** A model with what its heatmaps and figures need: group, irreps, float64 view and split. */
export interface ModelData {
  group: Group;
  irreps: Irrep[];
  view: ModelView;
  train: Int32Array;
  test: Int32Array;
}

export interface ModelFigureInput {
  group: Group;
  irreps: readonly Irrep[];
  view: ModelView;
  /** Key irreps, in learning order. */
  keyReps: readonly string[];
  /** Without it, only the logit cubes are drawn. */
  analysis?: ModelAnalysis;
}

export function modelFigures(inp: ModelFigureInput): FigureSet {
  const out: FigureSet = { figures: [], skipped: [] };
  const { group: G, view } = inp;
  out.figures.push({ name: 'logit_cubes', panel: logitCubes(G, inp.irreps, view.logits, inp.keyReps) });
  const a = inp.analysis;
  if (!a) {
    for (const name of ['blocky_sign_neurons', 'hidden_to_<irrep>_rep_change_of_basis', 'unembedding_matrix_in_<irrep>_rep_basis'])
      out.skipped.push({ name, why: 'needs the neuron analysis (src/analysis)' });
    return out;
  }
  const sign = inp.irreps.find((r) => r.name === 'sign');
  const signCluster = a.clusters.find((c) => c.irrep === 'sign');
  if (sign && signCluster && signCluster.neurons.length > 0)
    out.figures.push({
      name: 'blocky_sign_neurons',
      panel: neuronActivations(view.hidden, G.order, view.h, signCluster.neurons, {
        order: orderBy(sign.character),
        orderNote: '(even elements first)',
      }),
    });
  else out.skipped.push({ name: 'blocky_sign_neurons', why: sign ? 'no neuron is assigned to the sign irrep' : `${G.name} has no sign irrep` });
  for (const e of a.extraction)
    out.figures.push({ name: `hidden_to_${e.irrep}_rep_change_of_basis`, panel: changeOfBasis(e.changeOfBasis, e.rank, view.h, e.irrep) });
  for (const u of a.unembedInRepBasis)
    out.figures.push({ name: `unembedding_matrix_in_${u.irrep}_rep_basis`, panel: unembedInRepBasis(u.matrix, u.rank, u.irrep) });
  if (inp.keyReps.length === 0) out.skipped.push({ name: 'hidden_to_<irrep>_rep_change_of_basis', why: 'the run has no key irreps' });
  return out;
}
