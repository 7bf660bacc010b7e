/**
 * The model heatmaps of a run folder picked in the static build: the same data as `grokgroups serve`'s
 * api/run/model (src/serve/model-json.ts), built in the page from the picked model.safetensors, split.json and
 * cfg.json. The final model only (the server also reads checkpoints).
 */
import { MAX_MODEL_ORDER } from '../../src/figures/model-figures.js';
import { keyRepsOf } from '../../src/figures/run-data.js';
import { parseGroup } from '../../src/groups/parse.js';
import { modelView } from '../../src/measures/model-view.js';
import { irreps } from '../../src/reps/irreps.js';
import { decodeSafetensors } from '../../src/runs/safetensors-codec.js';
import type { ModelJson } from '../../src/serve/api-types.js';
import { buildModelJson } from '../../src/serve/model-json.js';
import type { ModelKind } from '../../src/types/trainer.js';
import { MODEL_NAMES, type LocalRun } from './local-runs.js';
import { runData } from './run-data.js';

const KINDS: readonly ModelKind[] = ['mlp', 'transformer', 'bilinear'];

/** Why the picked files cannot give the heatmaps, or null when they can. */
export function localModelMissing(r: LocalRun): string | null {
  if (!r.modelFile) return 'the picked folder has no model.safetensors';
  if (!r.splitFile) return 'the picked folder has no split.json';
  if (!r.cfg) return 'the picked folder has no readable cfg.json';
  return null;
}

function isRows(x: unknown): x is number[] {
  return Array.isArray(x) && x.every((v) => Number.isInteger(v));
}

/** The heatmap data of a picked run's final model at output element c (default: the identity). */
export async function localModelJson(r: LocalRun, c?: number): Promise<ModelJson> {
  const missing = localModelMissing(r);
  if (missing) throw new Error(missing);
  const cfg = r.cfg!;
  const groupName = typeof cfg.group_name === 'string' ? cfg.group_name : typeof cfg.group === 'string' ? cfg.group : null;
  if (!groupName) throw new Error('cfg.json names no group');
  const name = String(cfg.model ?? 'mlp');
  const kind = (MODEL_NAMES[name] ?? name) as ModelKind;
  if (!KINDS.includes(kind)) throw new Error(`cfg.json: model "${name}" is not one of ${KINDS.join(', ')}`);
  const G = parseGroup(groupName);
  if (G.order > MAX_MODEL_ORDER) throw new Error(`${G.name} has order ${G.order} > ${MAX_MODEL_ORDER}: too large to draw`);
  const cc = c ?? G.identity;
  if (!(Number.isInteger(cc) && cc >= 0 && cc < G.order)) throw new Error(`c=${c} is not an element index 0..${G.order - 1}`);
  const saved = decodeSafetensors(new Uint8Array(await r.modelFile!.arrayBuffer()), 'model.safetensors');
  const params = saved.tensors.map((t) => ({ name: t.name, shape: t.shape, data: Float32Array.from(t.data) }));
  const split = JSON.parse(await r.splitFile!.text()) as { train?: unknown; test?: unknown };
  if (!isRows(split.train) || !isRows(split.test)) throw new Error('split.json: "train" and "test" must be lists of row indices');
  const view = modelView(kind, params, G.order);
  const m = { group: G, irreps: irreps(G), view, train: Int32Array.from(split.train), test: Int32Array.from(split.test) };
  // the key irreps as the server finds them: key_reps_in_order.txt, key_reps.txt, else the metrics' similarities
  const given = keyRepsOf(runData(r.id, r.log, r.metrics, r)) ?? null;
  return { ...buildModelJson(m, given, cc), epoch: null };
}
