/**
 * What the dashboard's heatmaps show of a model, as plain JSON: the observed logit slice at one output element
 * next to each key irrep's character-cube slice (as the logit_cubes figure), the hidden activations of a few
 * neurons per irrep cluster, and each key irrep's change of basis (neurons -> ρ(ab) coordinates) and
 * unembedding in the irrep basis, from src/analysis. Pure: `grokgroups serve` (src/serve/model-data.ts) and the
 * static build (web/src/local-model.ts) both build it.
 */
import type { AnalysisInput } from '../analysis/analysis-input.js';
import { logitComputation } from '../analysis/logit-computation.js';
import { neuronAnalysis } from '../analysis/neurons.js';
import { rhoExtraction } from '../analysis/rho-extraction.js';
import { cubeSlice, logitSlice } from '../figures/logit-cubes.js';
import type { ModelData } from '../figures/model-figures.js';
import { orderBy } from '../figures/neuron-activations.js';
import { keyRepsFromLogits } from '../figures/model-key-reps.js';
import type { Matrix, ModelJson } from './api-types.js';

/** Neurons drawn per cluster. */
export const NEURONS_SHOWN = 6;

const round = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(5)) : 0);
const arr = (a: ArrayLike<number>) => Array.from(a, round);

function normalised(values: Float64Array): Float64Array {
  let m = 0;
  for (const v of values) m = Math.max(m, Math.abs(v));
  return m > 0 ? values.map((v) => v / m) : values;
}

/**
 * The heatmaps' data of a model at output element c. `given`: the run's key irreps (key_reps.txt or its
 * similarity columns), or null to find them from the model's logits.
 */
export function buildModelJson(m: ModelData, given: readonly string[] | null, c: number): ModelJson {
  const { group: G, irreps, view } = m;
  const N = G.order;
  const keyReps = [...(given ?? keyRepsFromLogits(G, irreps, view.logits))];
  const labels = [...G.labels];
  const axis = { rowLabels: labels, colLabels: labels };
  const out: ModelJson = {
    group: G.name,
    N,
    h: view.h,
    kind: view.kind,
    labels,
    c,
    epoch: null,
    keyReps,
    logitSlices: [{ title: `observed logits (c = ${labels[c]})`, rows: N, cols: N, values: arr(normalised(logitSlice(view.logits, N, c))), ...axis }],
    neuronClusters: [],
    changeOfBasis: [],
    unembedInRepBasis: [],
    skipped: [],
  };
  for (const name of keyReps) {
    const rho = irreps.find((r) => r.name === name);
    if (rho) out.logitSlices.push({ title: `χ_${name}(a·b·c⁻¹)`, rows: N, cols: N, values: arr(normalised(cubeSlice(G, rho, c))), ...axis });
  }
  const inp: AnalysisInput = {
    group: G,
    irreps,
    view,
    train: m.train,
    test: m.test,
    keyReps: keyReps.filter((k) => irreps.some((r) => r.name === k)),
  };
  try {
    const neurons = neuronAnalysis(inp);
    for (const cl of neurons.clusters) {
      const rho = irreps.find((r) => r.name === cl.irrep);
      const order = cl.irrep === 'sign' && rho ? orderBy(rho.character) : Array.from({ length: N }, (_, i) => i);
      const ordered = order.map((g) => labels[g]!);
      const shown = cl.neurons.slice(0, NEURONS_SHOWN).map((n): Matrix => {
        const values = new Array<number>(N * N);
        for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) values[i * N + j] = round(view.hidden[(order[i]! * N + order[j]!) * view.h + n]!);
        return { title: `neuron ${n}`, rows: N, cols: N, values, rowLabels: ordered, colLabels: ordered };
      });
      out.neuronClusters.push({ irrep: cl.irrep, key: cl.key, neurons: cl.neurons, shown });
    }
    const extraction = rhoExtraction(inp);
    for (const e of extraction)
      out.changeOfBasis.push({ title: `neurons → ${e.irrep} basis`, rows: e.rank, cols: view.h, values: arr(e.changeOfBasis) });
    const comp = logitComputation(inp, neurons, extraction);
    for (const u of comp.unembedInRepBasis)
      out.unembedInRepBasis.push({ title: `W_U in the ${u.irrep} basis`, rows: u.rank, cols: u.rank, values: arr(u.matrix) });
    if (extraction.length === 0) out.skipped.push({ name: 'change of basis', why: 'the run has no key irreps' });
  } catch (e) {
    out.skipped.push({ name: 'neuron analysis', why: (e as Error).message });
  }
  return out;
}
