/**
 * The ModelAnalysis the model figures draw (blocky sign neurons, change of basis, unembedding in the irrep
 * basis), from src/analysis: taken from a whole analyzeModel result when there is one (grokgroups analyze),
 * else computed with only what it needs (grokgroups figures): neuron clusters, ρ(ab) extraction and the
 * first part of the logit computation (U in the irrep basis).
 */
import type { AnalysisInput } from '../analysis/analysis-input.js';
import { unembedInRepBasisOf, type LogitComputation } from '../analysis/logit-computation.js';
import { NEURON_DEFAULTS, neuronAnalysis, type NeuronAnalysis, type NeuronOptions } from '../analysis/neurons.js';
import { rhoExtraction, type RhoExtraction } from '../analysis/rho-extraction.js';
import type { ModelAnalysis } from './model-figures.js';

/** The parts of an Analysis (src/analysis/analyze.ts) the figures draw. */
export interface AnalysisParts {
  neurons: Pick<NeuronAnalysis, 'clusters'>;
  rhoExtraction: readonly RhoExtraction[];
  logitComputation: Pick<LogitComputation, 'unembedInRepBasis'>;
}

/** The figures' view of an analysis already computed (no copy: the same arrays). */
export function modelAnalysisOf(a: AnalysisParts): ModelAnalysis {
  return { clusters: a.neurons.clusters, extraction: a.rhoExtraction, unembedInRepBasis: a.logitComputation.unembedInRepBasis };
}

/** Computes what the model figures need, with the analyses' own functions (key irreps from inp.keyReps). */
export function modelAnalysis(inp: AnalysisInput, opts: NeuronOptions = NEURON_DEFAULTS): ModelAnalysis {
  const extraction = rhoExtraction(inp);
  return { clusters: neuronAnalysis(inp, opts).clusters, extraction, unembedInRepBasis: unembedInRepBasisOf(inp, extraction) };
}
