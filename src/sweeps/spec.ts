/**
 * A sweep spec (configs/sweeps/*.json, docs/sweeps.md): entries of presets × seeds × overrides (× an optional
 * grid of values), expanded into named runs, each a fully resolved RunConfig. Run names are `grokgroups train`'s
 * (src/runs/run-name.ts: `<preset>_seed<s>` plus the settings that differ from the preset, else
 * `<group>_<MLP|T|B>_seed<s>`), with `_<tag>` and `_<key>_<value>` for an entry's tag and every grid value
 * inserted before `_seed<s>`. Two runs with one name are refused. Every error names the bad value and what
 * would be accepted.
 */
import { readFileSync } from 'node:fs';
import { check, checkAgainstGroup, defaultConfig, type Measures, type RunConfig } from '../runs/config.js';
import { listPresets, loadPreset } from '../runs/presets.js';
import { nameValue, runName as baseRunName } from '../runs/run-name.js';
import type { Backend } from '../types/trainer.js';
import { UsageError } from '../util/errors.js';

/** One run of a sweep: its folder name (under the sweep's --out) and its resolved configuration. */
export interface SweepRun {
  name: string;
  cfg: RunConfig;
}

export interface Sweep {
  name: string;
  runs: SweepRun[];
  /** The trainer backend of the spec's "backend" (default wasm); on webgpu a local sweep trains seeds at once. */
  backend: Backend;
}

export const BACKENDS: readonly Backend[] = ['wasm', 'js', 'webgpu'];

/** Settings an entry's `overrides` (or the spec's top-level `overrides`) and `grid` may set. */
export const OVERRIDE_KEYS = [
  'group',
  'model',
  'frac_train',
  'num_epochs',
  'lr',
  'weight_decay',
  'betas',
  'embed_dim',
  'hidden_dim',
  'checkpoints',
  'measures',
  'threads',
] as const;
type OverrideKey = (typeof OVERRIDE_KEYS)[number];

const TOP_KEYS = ['name', 'description', 'measures', 'threads', 'backend', 'overrides', 'runs'];
const ENTRY_KEYS = ['presets', 'preset', 'seeds', 'overrides', 'grid', 'tag', 'comment'];
export const MEASURES: readonly Measures[] = ['none', 'basic', 'full'];
export const DEFAULT_MEASURES: Measures = 'full';
export const DEFAULT_THREADS = 1;
const MAX_RUNS = 100000;

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function checkKeys(o: Record<string, unknown>, allowed: readonly string[], where: string): void {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) throw new UsageError(`${where}: unknown key "${k}": expected ${allowed.join(', ')}`);
}

/** One setting, checked as the train command checks it (measures: none, basic or full). */
function checkSetting(key: string, v: unknown, where: string): [OverrideKey, unknown] {
  if (!(OVERRIDE_KEYS as readonly string[]).includes(key))
    throw new UsageError(`${where}: unknown setting "${key}": expected one of ${OVERRIDE_KEYS.join(', ')} (seeds go in "seeds")`);
  const label = `${where}: ${key}`;
  if (key === 'measures') {
    if (typeof v !== 'string' || !(MEASURES as readonly string[]).includes(v))
      throw new UsageError(`${label} ${JSON.stringify(v)}: expected one of ${MEASURES.join(', ')}`);
    return ['measures', v];
  }
  return [key as OverrideKey, check[key as Exclude<OverrideKey, 'measures'>](label, v)];
}

function parseOverrides(v: unknown, where: string): Partial<RunConfig> {
  if (v === undefined) return {};
  if (!isObject(v)) throw new UsageError(`${where}: expected an object of settings such as {"num_epochs": 1000, "lr": 0.01}`);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    const [key, value] = checkSetting(k, x, where);
    out[key] = value;
  }
  return out as Partial<RunConfig>;
}

/** Seeds: an integer, a list of integers, or a range "A-B" (inclusive). */
export function parseSeeds(v: unknown, where: string): number[] {
  const expected = 'an integer >= 0, a list of them, or a range "A-B" such as "1-4"';
  const one = (x: unknown): number => {
    if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < 0)
      throw new UsageError(`${where}: seeds ${JSON.stringify(v)}: expected ${expected}`);
    return x;
  };
  let seeds: number[];
  if (typeof v === 'string') {
    const m = /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(v);
    if (!m || Number(m[1]) > Number(m[2]) || Number(m[2]) - Number(m[1]) >= MAX_RUNS)
      throw new UsageError(`${where}: seeds ${JSON.stringify(v)}: expected ${expected}`);
    seeds = [];
    for (let s = Number(m[1]); s <= Number(m[2]); s++) seeds.push(s);
  } else if (Array.isArray(v) && v.length > 0) seeds = v.map(one);
  else if (typeof v === 'number') seeds = [one(v)];
  else throw new UsageError(`${where}: seeds ${JSON.stringify(v)}: expected ${expected}`);
  if (new Set(seeds).size !== seeds.length) throw new UsageError(`${where}: seeds ${JSON.stringify(v)}: a seed is listed twice`);
  return seeds;
}

/** The cartesian product of a grid {key: [values]}, in key order, the last key varying fastest. */
function gridPoints(v: unknown, where: string): [OverrideKey, unknown][][] {
  if (v === undefined) return [[]];
  if (!isObject(v) || Object.keys(v).length === 0)
    throw new UsageError(`${where}: expected an object {"setting": [value, ...]} such as {"lr": [0.001, 0.01]}`);
  let points: [OverrideKey, unknown][][] = [[]];
  for (const [k, values] of Object.entries(v)) {
    if (!Array.isArray(values) || values.length === 0)
      throw new UsageError(`${where}: ${k} ${JSON.stringify(values)}: expected a non-empty list of values`);
    const checked = values.map((x) => checkSetting(k, x, where));
    points = points.flatMap((p) => checked.map((c) => [...p, c]));
  }
  return points;
}

/** The run's name as `grokgroups train` names it (src/runs/run-name.ts), with the tag and every grid value before the seed. */
function runName(cfg: RunConfig, tag: string | undefined, grid: [OverrideKey, unknown][]): string {
  const extra = [...(tag ? [tag] : []), ...grid.map(([k, v]) => `${k}_${nameValue(v)}`)];
  return baseRunName(cfg, { omit: grid.map(([k]) => k), extra });
}

/** Expands a parsed spec object into its runs; `source` names it in errors. */
export function expandSweep(obj: unknown, source: string): Sweep {
  if (!isObject(obj)) throw new UsageError(`${source}: expected a JSON object with "runs"`);
  checkKeys(obj, TOP_KEYS, source);
  const name = obj.name === undefined ? 'sweep' : obj.name;
  if (typeof name !== 'string' || !/^[A-Za-z0-9_.-]+$/.test(name))
    throw new UsageError(`${source}: name ${JSON.stringify(obj.name)}: expected letters, digits, "_", "." or "-"`);
  const top: Partial<RunConfig> = {
    measures: DEFAULT_MEASURES,
    threads: DEFAULT_THREADS,
    ...parseOverrides(obj.overrides, `${source}: overrides`),
  };
  if (obj.measures !== undefined) top.measures = checkSetting('measures', obj.measures, source)[1] as Measures;
  if (obj.threads !== undefined) top.threads = checkSetting('threads', obj.threads, source)[1] as number;
  const backend = obj.backend === undefined ? 'wasm' : obj.backend;
  if (typeof backend !== 'string' || !(BACKENDS as readonly string[]).includes(backend))
    throw new UsageError(`${source}: backend ${JSON.stringify(obj.backend)}: expected one of ${BACKENDS.join(', ')}`);
  if (!Array.isArray(obj.runs) || obj.runs.length === 0)
    throw new UsageError(`${source}: runs: expected a non-empty list of entries such as {"presets": ["S5_MLP"], "seeds": "1-4"}`);
  const runs: SweepRun[] = [];
  const byName = new Map<string, string>();
  const groupsChecked = new Map<string, boolean>();
  const presetCache = new Map<string, Partial<RunConfig>>();
  const preset = (p: string) => {
    if (!presetCache.has(p)) presetCache.set(p, loadPreset(p));
    return presetCache.get(p)!;
  };
  const known = listPresets();
  obj.runs.forEach((entry, i) => {
    const where = `${source}: runs[${i}]`;
    if (!isObject(entry)) throw new UsageError(`${where}: expected an object such as {"presets": ["S5_MLP"], "seeds": "1-4"}`);
    checkKeys(entry, ENTRY_KEYS, where);
    if (entry.presets !== undefined && entry.preset !== undefined) throw new UsageError(`${where}: give "presets" or "preset", not both`);
    let presets: (string | null)[] = [null];
    if (entry.preset !== undefined) presets = [entry.preset as string];
    if (entry.presets !== undefined) {
      if (!Array.isArray(entry.presets) || entry.presets.length === 0)
        throw new UsageError(`${where}: presets ${JSON.stringify(entry.presets)}: expected a non-empty list of preset names`);
      presets = entry.presets as string[];
    }
    for (const p of presets)
      if (p !== null && (typeof p !== 'string' || !known.includes(p)))
        throw new UsageError(`${where}: preset ${JSON.stringify(p)}: unknown; expected one of ${known.join(', ')}`);
    if (entry.seeds === undefined) throw new UsageError(`${where}: seeds missing: expected an integer, a list, or a range "A-B" such as "1-4"`);
    const seeds = parseSeeds(entry.seeds, where);
    const overrides = parseOverrides(entry.overrides, `${where}: overrides`);
    const points = gridPoints(entry.grid, `${where}: grid`);
    const tag = entry.tag;
    if (tag !== undefined && (typeof tag !== 'string' || !/^[A-Za-z0-9.-][A-Za-z0-9_.-]*$/.test(tag)))
      throw new UsageError(`${where}: tag ${JSON.stringify(tag)}: expected letters, digits, "_", "." or "-"`);
    for (const p of presets)
      for (const point of points)
        for (const seed of seeds) {
          const cfg: RunConfig = { ...defaultConfig(), ...(p ? preset(p) : {}), ...top, ...overrides, ...Object.fromEntries(point), seed };
          if (!groupsChecked.has(`${cfg.group}/${cfg.frac_train}`)) {
            checkAgainstGroup(cfg, `${where}: frac_train`);
            groupsChecked.set(`${cfg.group}/${cfg.frac_train}`, true);
          }
          const name = runName(cfg, tag as string | undefined, point);
          const prev = byName.get(name);
          if (prev !== undefined)
            throw new UsageError(`${where}: run ${name} is also made by ${prev}; give one of the entries a "tag" or a "grid" to tell them apart`);
          byName.set(name, where);
          runs.push({ name, cfg });
          if (runs.length > MAX_RUNS) throw new UsageError(`${source}: more than ${MAX_RUNS} runs`);
        }
  });
  return { name, runs, backend: backend as Backend };
}

/** Reads and expands a spec file. */
export function readSweepSpec(path: string): Sweep {
  let obj: unknown;
  try {
    obj = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`sweep spec "${path}": cannot read it as JSON (${(e as Error).message.split('\n')[0]})`);
  }
  return expandSweep(obj, path);
}
