/**
 * One run folder's figures, from its metrics and its final model (`grokgroups figures`), and writing a
 * FigureSet to a folder (also `grokgroups analyze`, `grokgroups report`). Node only.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { NeuronOptions } from '../../analysis/neurons.js';
import { writeFileAtomic } from '../../runs/atomic-write.js';
import { ModelTooLargeError } from '../../util/errors.js';
import { runFigures, type FigureOptions, type FigureSet } from '../figure-set.js';
import { modelAnalysis } from '../model-analysis.js';
import { modelFigures } from '../model-figures.js';
import { keyRepsOf, type RunData } from '../run-data.js';
import { svgDocument } from '../svg/panel.js';
import { keyRepsFromLogits } from '../model-key-reps.js';
import { modelMissing, readModel } from './read-model.js';
import { renderFigure, type FigureFormat } from './render.js';

/** The model figures' names, `<irrep>` standing for each key irrep. */
export const MODEL_FIGURES = [
  'logit_cubes',
  'blocky_sign_neurons',
  'hidden_to_<irrep>_rep_change_of_basis',
  'unembedding_matrix_in_<irrep>_rep_basis',
];

/**
 * A run's figures: from its metrics, and from its final model when the folder has one (the neuron
 * clusters with the thresholds `neurons`, default the analysis notebook's).
 */
export function runFigureSet(dir: string, run: RunData, o: FigureOptions = {}, neurons?: NeuronOptions): FigureSet {
  const set = runFigures(run, o);
  const missing = modelMissing(dir);
  if (missing) {
    for (const name of MODEL_FIGURES) set.skipped.push({ name, why: missing });
    return set;
  }
  let model;
  try {
    model = readModel(dir);
  } catch (e) {
    if (!(e instanceof ModelTooLargeError)) throw e;
    for (const name of MODEL_FIGURES) set.skipped.push({ name, why: `${e.message}: too large to draw from the model` });
    return set;
  }
  const { group, irreps, view, train, test } = model;
  const keyReps = keyRepsOf(run) ?? keyRepsFromLogits(group, irreps, view.logits);
  const analysis = modelAnalysis({ group, irreps, view, train, test, keyReps }, neurons);
  const m = modelFigures({ group, irreps, view, keyReps, analysis });
  return { figures: [...set.figures, ...m.figures], skipped: [...set.skipped, ...m.skipped] };
}

/**
 * Writes each figure in each format into `dir` (created), printing each path and then each skipped figure
 * as `<label>: skipped <name>: <why>` through `print`. Returns the paths written.
 */
export async function writeFigureSet(
  set: FigureSet,
  dir: string,
  formats: readonly FigureFormat[],
  label: string,
  print: (line: string) => void = console.log,
): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const f of set.figures) {
    const svg = svgDocument(f.panel);
    for (const fmt of formats) {
      const path = join(dir, `${f.name}.${fmt}`);
      writeFileAtomic(path, await renderFigure(svg, fmt));
      written.push(path);
      print(path);
    }
  }
  for (const s of set.skipped) print(`${label}: skipped ${s.name}: ${s.why}`);
  return written;
}
