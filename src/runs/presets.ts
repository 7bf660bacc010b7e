/**
 * Presets: configs/presets/<NAME>.json, each a partial cfg.json listing only what differs from the defaults
 * (src/runs/config.ts), with a "reason". One per experiment of the paper (REFERENCE §3), the width sweep,
 * and `tiny`, which groks in a minute or two on a laptop.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../util/errors.js';
import { parseCfgObject, type RunConfig } from './config.js';
import { packageRoot } from './package-root.js';

export function presetDir(): string {
  return join(packageRoot(), 'configs', 'presets');
}

/** Preset names, sorted. */
export function listPresets(): string[] {
  return readdirSync(presetDir())
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

/** The raw JSON of a preset file (with its reason). */
export function readPresetFile(name: string): Record<string, unknown> {
  const names = listPresets();
  if (!names.includes(name))
    throw new UsageError(`--preset "${name}": unknown preset; expected one of ${names.join(', ')} (or "list")`);
  const path = join(presetDir(), `${name}.json`);
  if (!existsSync(path)) throw new UsageError(`--preset "${name}": ${path} is missing`);
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

/** The settings of a preset, checked, with `preset` set to its name. */
export function loadPreset(name: string): Partial<RunConfig> {
  return { ...parseCfgObject(readPresetFile(name), `preset ${name}`, 'preset'), preset: name };
}
