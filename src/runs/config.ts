/**
 * Run configuration: defaults -> preset -> command line (or a cfg.json given with --config), resolved into one
 * RunConfig and written as the run's cfg.json. cfg.json keeps the original's keys (lr, num_epochs,
 * weight_decay, betas, layers{embed_dim, hidden_dim}, model, group, group_parameter, frac_train, seed) and
 * adds ours (group_name, measures, checkpoints, threads, preset, version); docs/runs.md describes each.
 * A preset file is a partial cfg.json plus a "reason". Every check names the bad value and the valid range.
 */
import { availableParallelism } from 'node:os';
import { parseGroup } from '../groups/parse.js';
import type { Group } from '../groups/group.js';
import type { ModelKind } from '../types/trainer.js';
import { UsageError } from '../util/errors.js';
import { checkpointEpochs } from './checkpoint-schedule.js';

export type Measures = 'none' | 'basic' | 'full';
export type CheckpointMode = 'none' | 'log';

export interface RunConfig {
  /** Canonical group name, e.g. "S5" (cfg.json: group_name, plus the original's group/group_parameter). */
  group: string;
  model: ModelKind;
  seed: number;
  frac_train: number;
  num_epochs: number;
  lr: number;
  weight_decay: number;
  betas: [number, number];
  embed_dim: number;
  hidden_dim: number;
  measures: Measures;
  checkpoints: CheckpointMode;
  threads: number;
  /** The preset the run started from, or null. Informational. */
  preset: string | null;
}

export type ConfigKey = Exclude<keyof RunConfig, 'preset'>;

/** The defaults: the paper's S5 MLP mainline (REFERENCE §3) with seed 0, on all cores. */
export function defaultConfig(): RunConfig {
  return {
    group: 'S5',
    model: 'mlp',
    seed: 0,
    frac_train: 0.4,
    num_epochs: 250000,
    lr: 1e-3,
    weight_decay: 1.0,
    betas: [0.9, 0.98],
    embed_dim: 256,
    hidden_dim: 128,
    // resolveConfig replaces it by defaultMeasures(num_epochs) when neither the base nor the command line sets it.
    measures: 'basic',
    checkpoints: 'log',
    threads: availableParallelism(),
    preset: null,
  };
}

export const MODEL_CLASS: Record<ModelKind, string> = { mlp: 'OneLayerMLP', transformer: 'Transformer', bilinear: 'BilinearNet' };
export const MODEL_TAG: Record<ModelKind, string> = { mlp: 'MLP', transformer: 'T', bilinear: 'B' };
const GROUP_CLASS: Record<string, string> = { C: 'CyclicGroup', D: 'DihedralGroup', S: 'SymmetricGroup', A: 'AlternatingGroup' };

// ---- value checks; `label` is how the user spelled the setting ("--frac-train" or "cfg.json: frac_train") ----

function show(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v);
}

function bad(label: string, v: unknown, expected: string): never {
  throw new UsageError(`${label} ${show(v)}: expected ${expected}`);
}

/** A number from a command-line string or a JSON value; strings must be plain decimal/exponent numbers. */
function toNumber(label: string, v: unknown, expected: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i.test(v)) return Number(v);
  return bad(label, v, expected);
}

function intIn(label: string, v: unknown, lo: number, hi: number, expected: string): number {
  const x = toNumber(label, v, expected);
  if (!Number.isSafeInteger(x) || x < lo || x > hi) bad(label, v, expected);
  return x;
}

function oneOf<T extends string>(label: string, v: unknown, options: readonly T[]): T {
  if (typeof v !== 'string' || !(options as readonly string[]).includes(v)) bad(label, v, `one of ${options.join(', ')}`);
  return v as T;
}

export const MAX_EPOCHS = 1e9;
export const MAX_DIM = 65536;
export const MAX_THREADS = 256;

export const check = {
  group(label: string, v: unknown): string {
    if (typeof v !== 'string') bad(label, v, 'a group name such as S5, C113, D59, A5 or C2xS3');
    try {
      return parseGroup(v).name;
    } catch (e) {
      if (e instanceof UsageError) throw new UsageError(`${label} ${show(v)}: ${e.message}`);
      throw e;
    }
  },
  model(label: string, v: unknown): ModelKind {
    return oneOf(label, v, ['mlp', 'transformer', 'bilinear'] as const);
  },
  seed: (label: string, v: unknown) => intIn(label, v, 0, Number.MAX_SAFE_INTEGER, 'an integer >= 0'),
  frac_train(label: string, v: unknown): number {
    const expected = 'a number F with 0 < F < 1';
    const x = toNumber(label, v, expected);
    if (!(x > 0 && x < 1)) bad(label, v, expected);
    return x;
  },
  num_epochs: (label: string, v: unknown) => intIn(label, v, 1, MAX_EPOCHS, `an integer from 1 to ${MAX_EPOCHS}`),
  lr(label: string, v: unknown): number {
    const expected = 'a finite number > 0';
    const x = toNumber(label, v, expected);
    if (!(x > 0 && Number.isFinite(x))) bad(label, v, expected);
    return x;
  },
  weight_decay(label: string, v: unknown): number {
    const expected = 'a finite number >= 0';
    const x = toNumber(label, v, expected);
    if (!(x >= 0 && Number.isFinite(x))) bad(label, v, expected);
    return x;
  },
  betas(label: string, v: unknown): [number, number] {
    const expected = 'two numbers B1,B2 with 0 <= B < 1';
    const parts = typeof v === 'string' ? v.split(',') : Array.isArray(v) ? v : null;
    if (!parts || parts.length !== 2) bad(label, v, expected);
    const b = parts.map((p) => toNumber(label, p, expected));
    if (!b.every((x) => x >= 0 && x < 1)) bad(label, v, expected);
    return [b[0]!, b[1]!];
  },
  embed_dim: (label: string, v: unknown) => intIn(label, v, 1, MAX_DIM, `an integer from 1 to ${MAX_DIM}`),
  hidden_dim: (label: string, v: unknown) => intIn(label, v, 1, MAX_DIM, `an integer from 1 to ${MAX_DIM}`),
  measures: (label: string, v: unknown): Measures => oneOf(label, v, ['none', 'basic', 'full'] as const),
  checkpoints: (label: string, v: unknown) => oneOf(label, v, ['none', 'log'] as const),
  threads: (label: string, v: unknown) => intIn(label, v, 1, MAX_THREADS, `an integer from 1 to ${MAX_THREADS}`),
} satisfies Record<ConfigKey, (label: string, v: unknown) => unknown>;

// ---- cfg.json <-> RunConfig ----

/** The cfg.json object of a resolved config, in the original's key order followed by ours. */
export function toCfgJson(cfg: RunConfig, version: string): Record<string, unknown> {
  const out: Record<string, unknown> = {
    lr: cfg.lr,
    num_epochs: cfg.num_epochs,
    weight_decay: cfg.weight_decay,
    betas: cfg.betas,
    layers: { embed_dim: cfg.embed_dim, hidden_dim: cfg.hidden_dim },
    model: MODEL_CLASS[cfg.model],
  };
  const fam = /^([CDSA])(\d+)$/.exec(cfg.group);
  if (fam) {
    out.group = GROUP_CLASS[fam[1]!];
    out.group_parameter = Number(fam[2]);
  }
  Object.assign(out, {
    frac_train: cfg.frac_train,
    seed: cfg.seed,
    group_name: cfg.group,
    measures: cfg.measures,
    checkpoints: cfg.checkpoints,
    threads: cfg.threads,
    preset: cfg.preset,
    version,
  });
  return out;
}

const PRESET_KEYS = ['reason', 'group_name', 'group', 'group_parameter', 'model', 'layers', 'lr', 'num_epochs', 'weight_decay', 'betas', 'frac_train', 'seed', 'measures', 'checkpoints'];
const CFG_KEYS = [...PRESET_KEYS.filter((k) => k !== 'reason'), 'threads', 'preset', 'version', 'extra_name'];

/**
 * Reads a cfg.json object (ours, or the original's: group/group_parameter and model class names) or a preset
 * file (a partial cfg.json with a "reason") into the settings it contains. Unknown keys are refused.
 */
export function parseCfgObject(obj: unknown, source: string, kind: 'cfg' | 'preset'): Partial<RunConfig> {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) throw new UsageError(`${source}: expected a JSON object`);
  const o = obj as Record<string, unknown>;
  const allowed = kind === 'preset' ? PRESET_KEYS : CFG_KEYS;
  for (const k of Object.keys(o))
    if (!allowed.includes(k)) throw new UsageError(`${source}: unknown key "${k}": expected ${allowed.join(', ')}`);
  const L = (k: string) => `${source}: ${k}`;
  const out: Partial<RunConfig> = {};
  if (kind === 'preset' && typeof o.reason !== 'string') throw new UsageError(`${source}: a preset needs a "reason" string`);
  if (o.group_name !== undefined) out.group = check.group(L('group_name'), o.group_name);
  else if (o.group !== undefined || o.group_parameter !== undefined) {
    const cls = Object.entries(GROUP_CLASS).find(([, c]) => c === o.group);
    if (!cls) bad(L('group'), o.group, `one of ${Object.values(GROUP_CLASS).join(', ')} (with group_parameter), or a group_name`);
    const n = intIn(L('group_parameter'), o.group_parameter, 1, 5040, 'a positive integer');
    out.group = check.group(L('group'), `${cls[0]}${n}`);
  }
  if (o.model !== undefined) {
    const kindOf = Object.entries(MODEL_CLASS).find(([, c]) => c === o.model);
    if (!kindOf) bad(L('model'), o.model, `one of ${Object.values(MODEL_CLASS).join(', ')}`);
    out.model = kindOf[0] as ModelKind;
  }
  if (o.layers !== undefined) {
    const l = o.layers as Record<string, unknown>;
    if (l === null || typeof l !== 'object' || Array.isArray(l) || Object.keys(l).some((k) => k !== 'embed_dim' && k !== 'hidden_dim'))
      bad(L('layers'), o.layers, 'an object {"embed_dim": D, "hidden_dim": H}');
    if (l.embed_dim !== undefined) out.embed_dim = check.embed_dim(L('layers.embed_dim'), l.embed_dim);
    if (l.hidden_dim !== undefined) out.hidden_dim = check.hidden_dim(L('layers.hidden_dim'), l.hidden_dim);
  }
  for (const k of ['lr', 'num_epochs', 'weight_decay', 'betas', 'frac_train', 'seed', 'measures', 'checkpoints', 'threads'] as const)
    if (o[k] !== undefined) (out as Record<string, unknown>)[k] = check[k](L(k), o[k]);
  if (o.preset !== undefined && o.preset !== null) {
    if (typeof o.preset !== 'string') bad(L('preset'), o.preset, 'a preset name or null');
    out.preset = o.preset;
  }
  return out;
}

/**
 * The cost of `--measures full` in optimizer steps of the same run, per checkpoint and pass: measured 8–20 on
 * 2 cores for C24, D6, S4, A5, C113, D59, S5, S6 (order 12 to 720), MLPs of h 32–128 and the S5 transformer,
 * with no trend in the group's order or the model's size (docs/runs.md "The default measures").
 */
export const MEASURE_STEPS_PER_CHECKPOINT = 16;
/** `full` is the default when its estimated cost is below this share of the training time. */
export const FULL_MEASURES_MAX_SHARE = 0.1;

/**
 * The estimated cost of `--measures full` as a share of the training time of a run of `numEpochs` epochs:
 * two passes (live, then the closing pass) over the C(E) checkpoint epochs, each checkpoint costing
 * MEASURE_STEPS_PER_CHECKPOINT steps, over E steps.
 */
export function fullMeasuresShare(numEpochs: number): number {
  return (2 * checkpointEpochs(numEpochs).length * MEASURE_STEPS_PER_CHECKPOINT) / numEpochs;
}

/** The measures of a run that does not choose: full where it costs under 10% of the training (the paper's 250k-epoch runs), else basic. */
export function defaultMeasures(numEpochs: number): Measures {
  return fullMeasuresShare(numEpochs) < FULL_MEASURES_MAX_SHARE ? 'full' : 'basic';
}

/** defaults <- base (a preset or a cfg.json) <- command line; measures, when neither sets them, by defaultMeasures. */
export function resolveConfig(base: Partial<RunConfig>, cli: Partial<RunConfig>): RunConfig {
  const cfg = { ...defaultConfig(), ...base, ...cli };
  if (base.measures === undefined && cli.measures === undefined) cfg.measures = defaultMeasures(cfg.num_epochs);
  return cfg;
}

/**
 * Checks that need the group: the split must leave at least one train and one test pair.
 * Returns the group so the caller builds it once.
 */
export function checkAgainstGroup(cfg: RunConfig, fracLabel = '--frac-train'): Group {
  const G = parseGroup(cfg.group);
  const rows = G.order * G.order;
  const nTrain = Math.floor(cfg.frac_train * rows);
  if (nTrain < 1 || nTrain >= rows)
    bad(fracLabel, cfg.frac_train, `a fraction that leaves at least one train and one test pair of ${cfg.group}'s ${rows} (it gives ${nTrain} train pairs)`);
  return G;
}

/** The most seeds one `train --seeds` trains at once. */
export const MAX_SEEDS = 4096;

/** A seed list as `--seeds` takes it: ranges and single seeds, comma-separated ("1-4", "0,3,7", "0,5-8"); no repeats. */
export function parseSeedList(label: string, v: string): number[] {
  const expected = 'seeds such as 1-4 or 0,3,7 (integers >= 0, ranges A-B with A <= B, no repeats)';
  const seeds: number[] = [];
  for (const part of v.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!m) bad(label, v, expected);
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || b < a) bad(label, v, expected);
    if (seeds.length + (b - a + 1) > MAX_SEEDS) bad(label, v, `at most ${MAX_SEEDS} seeds`);
    for (let s = a; s <= b; s++) seeds.push(s);
  }
  if (new Set(seeds).size !== seeds.length) bad(label, v, expected);
  return seeds;
}
