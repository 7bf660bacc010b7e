/**
 * The dashboard's heatmap data (src/serve/model-json.ts) of a run folder's final model or one of its
 * checkpoints, cached until the file changes. Node only (reads the model file).
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { readModel } from '../figures/node/read-model.js';
import { readRun } from '../figures/node/read-run.js';
import { keyRepsOf } from '../figures/run-data.js';
import { checkpointFile, FILES } from '../runs/run-folder.js';
import { ElementIndexError } from '../util/errors.js';
import type { Matrix, ModelJson } from './api-types.js';
import { buildModelJson } from './model-json.js';

export type { Matrix, ModelJson };

const cache = new Map<string, { key: string; json: ModelJson }>();

/**
 * The model data of the run folder `dir` at output element c (default: the identity), from
 * model.safetensors or, given `epoch`, from checkpoints/epoch_<epoch>.safetensors; cached until the file
 * changes. Throws a ModelTooLargeError for a group too large to draw, an ElementIndexError for a c out of range.
 */
export function modelJson(dir: string, c?: number, epoch?: number): ModelJson {
  const file = epoch === undefined ? FILES.model : checkpointFile(epoch);
  const mt = statSync(join(dir, file)).mtimeMs;
  const key = `${file}:${mt}:${c ?? ''}`;
  const hit = cache.get(dir);
  if (hit && hit.key === key) return hit.json;
  const m = readModel(dir, file);
  const cc = c ?? m.group.identity;
  if (!(Number.isInteger(cc) && cc >= 0 && cc < m.group.order)) throw new ElementIndexError(Number(c), m.group.order);
  let given: readonly string[] | null;
  try {
    given = keyRepsOf(readRun(dir)) ?? null;
  } catch {
    given = null; // no readable run files: the key irreps come from the model's logits
  }
  const json = { ...buildModelJson(m, given, cc), epoch: epoch ?? null };
  cache.set(dir, { key, json });
  if (cache.size > 16) cache.delete(cache.keys().next().value!);
  return json;
}
