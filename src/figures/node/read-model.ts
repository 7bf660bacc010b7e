/**
 * Reads what the model-based figures need from a run folder: the group and model kind from cfg.json,
 * the final parameters (model.safetensors), the split, and builds the float64 ModelView. Node only.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseGroup } from '../../groups/parse.js';
import { modelView } from '../../measures/model-view.js';
import { irreps } from '../../reps/irreps.js';
import { parseCfgObject } from '../../runs/config.js';
import { FILES, readJson, readSplit } from '../../runs/run-folder.js';
import { readSafetensors } from '../../runs/safetensors.js';
import type { NamedTensor } from '../../types/trainer.js';
import { ModelTooLargeError } from '../../util/errors.js';
import { MAX_MODEL_ORDER, type ModelData } from '../model-figures.js';

/** Why the model figures of a run cannot be drawn, or undefined if they can. */
export function modelMissing(dir: string): string | undefined {
  for (const f of [FILES.cfg, FILES.model, FILES.split]) if (!existsSync(join(dir, f))) return `the run has no ${f}`;
  return undefined;
}

/**
 * The run's final model, or the parameters in `file` (relative to the run folder, e.g. a checkpoint);
 * throws a UsageError on a bad cfg.json or parameters that do not fit it.
 */
export function readModel(dir: string, file: string = FILES.model): ModelData {
  const cfgPath = join(dir, FILES.cfg);
  const cfg = parseCfgObject(readJson(cfgPath), cfgPath, 'cfg');
  const group = parseGroup(cfg.group ?? 'S5');
  if (group.order > MAX_MODEL_ORDER)
    throw new ModelTooLargeError(`${group.name} has order ${group.order} > ${MAX_MODEL_ORDER}`, group.order, MAX_MODEL_ORDER);
  const saved = readSafetensors(join(dir, file));
  const params: NamedTensor[] = saved.tensors.map((t) => ({ name: t.name, shape: t.shape, data: Float32Array.from(t.data) }));
  const view = modelView(cfg.model ?? 'mlp', params, group.order);
  const { train, test } = readSplit(dir);
  return { group, irreps: irreps(group), view, train, test };
}
