/**
 * Which figures a set of run folders gives (REFERENCE §5), from their metrics alone: each figure whose
 * columns are present is drawn; the others are listed as skipped with the reason. Pure: the CLI writes
 * the files, the dashboard can show the panels.
 */
import { grokkingAcc, grokkingLoss } from './grokking-curves.js';
import { hasIrrepColumns, IRREP_FIGURES, irrepCurves, meanLogitSimilarity } from './irrep-curves.js';
import { keyRepLearningOrder } from './learning-order.js';
import { hasKeyColumns, KEY_LINE_FIGURES, keyLines } from './key-lines.js';
import { keyRepFrequency, numKeyReps } from './key-rep-stats.js';
import { keyRepsOf, nonTrivialIrreps, type RunData } from './run-data.js';
import type { Panel } from './svg/panel.js';

export interface FigureOptions {
  /** Drop checkpoints after this epoch (time-series figures). */
  trim?: number;
  /** Dashed vertical lines at these epochs (progress-measure figures). */
  phaseLines?: readonly number[];
}

export interface NamedFigure {
  /** File name without extension, e.g. `logit_similarity`. */
  name: string;
  panel: Panel;
}

export interface FigureSet {
  figures: NamedFigure[];
  skipped: { name: string; why: string }[];
}

const FULL = 'metrics.csv lacks its columns (train with --measures full)';
const NO_METRICS = 'the run has no metrics.csv rows';

/** The figures of one run: grokking curves, per-irrep curves, progress measures. */
export function runFigures(run: RunData, o: FigureOptions = {}): FigureSet {
  const out: FigureSet = { figures: [], skipped: [] };
  out.figures.push({ name: 'grokking_loss', panel: grokkingLoss([run], o) });
  out.figures.push({ name: 'grokking_acc', panel: grokkingAcc([run], o) });
  const why = run.metrics.length === 0 ? NO_METRICS : FULL;
  for (const spec of IRREP_FIGURES) {
    if (hasIrrepColumns(run.metrics, spec)) out.figures.push({ name: spec.name, panel: irrepCurves(run, spec, o) });
    else out.skipped.push({ name: spec.name, why });
  }
  for (const spec of KEY_LINE_FIGURES) {
    if (hasKeyColumns(run.metrics, spec)) out.figures.push({ name: spec.name, panel: keyLines(run, spec, o) });
    else out.skipped.push({ name: spec.name, why });
  }
  return out;
}

/**
 * The figures across several runs: median grokking curves with each run faded, the mean logit similarity
 * per irrep (the paper's S5_rep_learning_order plot), when each key irrep forms in each run (the learning
 * order), how often each irrep is key and the number of key irreps.
 */
export function acrossRunFigures(runs: readonly RunData[], o: FigureOptions = {}): FigureSet {
  const out: FigureSet = { figures: [], skipped: [] };
  out.figures.push({ name: 'grokking_loss', panel: grokkingLoss(runs, o) });
  out.figures.push({ name: 'grokking_acc', panel: grokkingAcc(runs, o) });
  const irreps = nonTrivialIrreps(runs[0]!.metrics);
  const sameIrreps = runs.every((r) => nonTrivialIrreps(r.metrics).join() === irreps.join());
  const keySets = runs.map(keyRepsOf);
  const noSim = irreps.length === 0 ? FULL : 'the runs have different irreps (different groups)';
  if (irreps.length > 0 && sameIrreps) {
    out.figures.push({ name: 'mean_logit_similarity', panel: meanLogitSimilarity(runs) });
    if (keySets.some((k) => k && k.length > 0)) out.figures.push({ name: 'key_rep_learning_order', panel: keyRepLearningOrder(runs) });
    else out.skipped.push({ name: 'key_rep_learning_order', why: 'no run has a key irrep' });
  } else out.skipped.push({ name: 'mean_logit_similarity', why: noSim }, { name: 'key_rep_learning_order', why: noSim });
  if (keySets.every((k) => k !== undefined)) {
    const sets = keySets as readonly (readonly string[])[];
    const order = sameIrreps && irreps.length > 0 ? irreps : [...new Set(sets.flat())];
    out.figures.push({ name: 'key_rep_frequency', panel: keyRepFrequency(sets, order) });
    out.figures.push({ name: 'num_key_reps', panel: numKeyReps(sets) });
  } else {
    const missing = runs.filter((_, i) => keySets[i] === undefined).map((r) => r.name);
    const why = `no key_reps.txt or similarity columns in ${missing.join(', ')}`;
    out.skipped.push({ name: 'key_rep_frequency', why }, { name: 'num_key_reps', why });
  }
  return out;
}
