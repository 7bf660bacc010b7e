/**
 * The whole analysis of one model (the paper's analysis notebook, plus the Fourier and coset views):
 * every section as plain numbers, ready for report.ts.
 */
import { type AnalysisInput } from './analysis-input.js';
import { hiddenAblations, type HiddenAblations } from './ablations.js';
import { COSET_DEFAULTS, cosetView, type CosetOptions, type CosetView } from './cosets.js';
import { embeddingFve, type EmbeddingFve } from './embeddings.js';
import { neuronFourier, type NeuronFourier } from './fourier.js';
import { logitAttribution, type LogitAttribution } from './logit-attribution.js';
import { logitComputation, type LogitComputation } from './logit-computation.js';
import { NEURON_DEFAULTS, neuronAnalysis, type NeuronAnalysis, type NeuronOptions } from './neurons.js';
import { rhoExtraction, type RhoExtraction } from './rho-extraction.js';

export interface AnalysisOptions extends NeuronOptions {
  cosetThreshold: CosetOptions['threshold'];
  cosetMaxOrder: CosetOptions['maxGroupOrder'];
}

export const ANALYSIS_DEFAULTS: AnalysisOptions = {
  ...NEURON_DEFAULTS,
  cosetThreshold: COSET_DEFAULTS.threshold,
  cosetMaxOrder: COSET_DEFAULTS.maxGroupOrder,
};

export interface Analysis {
  logits: LogitAttribution;
  embeddings: EmbeddingFve;
  neurons: NeuronAnalysis;
  ablations: HiddenAblations;
  rhoExtraction: RhoExtraction[];
  logitComputation: LogitComputation;
  fourier: NeuronFourier;
  cosets: CosetView;
  /** Seconds each section took. */
  timings: Record<string, number>;
}

export function analyzeModel(inp: AnalysisInput, opts: AnalysisOptions = ANALYSIS_DEFAULTS): Analysis {
  const timings: Record<string, number> = {};
  const timed = <T>(name: string, f: () => T): T => {
    const t0 = performance.now();
    const v = f();
    timings[name] = (performance.now() - t0) / 1000;
    return v;
  };
  const logits = timed('logits', () => logitAttribution(inp));
  const embeddings = timed('embeddings', () => embeddingFve(inp));
  const neurons = timed('neurons', () => neuronAnalysis(inp, opts));
  const ablations = timed('ablations', () => hiddenAblations(inp));
  const extraction = timed('rhoExtraction', () => rhoExtraction(inp));
  const computation = timed('logitComputation', () => logitComputation(inp, neurons, extraction));
  const fourier = timed('fourier', () => neuronFourier(inp));
  const cosets = timed('cosets', () => cosetView(inp, { threshold: opts.cosetThreshold, maxGroupOrder: opts.cosetMaxOrder }));
  return { logits, embeddings, neurons, ablations, rhoExtraction: extraction, logitComputation: computation, fourier, cosets, timings };
}
