/**
 * Run names (the default run folder of `grokgroups train` and the run names of a sweep), docs/runs.md "Run names":
 *
 * - A run started from a preset is named after the preset: `<preset>_seed<s>` (`tiny_seed0`, `S5_MLP_seed1`,
 *   `S5_MLP_hidden_dim_32_seed1`: the paper's presets carry the original's run names). Each setting that changes
 *   the experiment (NAME_KEYS) and differs from the preset's own value adds `_<key>_<value>` before the seed, in
 *   NAME_KEYS order: `--preset tiny --group D6 --seed 1` gives `tiny_group_D6_seed1`, `--preset tiny --lr 0.003`
 *   `tiny_lr_0.003_seed0`. Settings that only change what is recorded or how fast (measures, checkpoints,
 *   threads, the backend) do not appear.
 * - A run without a preset keeps the original's names: `<group>_<MLP|T|B>_seed<s>`, with `_hidden_dim_<h>` when
 *   an MLP or bilinear net's hidden width differs from the default 128.
 *
 * Characters other than letters, digits, `.` and `-` in a value (and than letters, digits, `_`, `.` and `-` in a
 * group name) become `_`; a list value (betas) is joined with `-`.
 */
import { defaultConfig, MODEL_TAG, type RunConfig } from './config.js';
import { listPresets, loadPreset } from './presets.js';

/** The settings that define the experiment, in the order they appear in a name. */
export const NAME_KEYS = ['group', 'model', 'frac_train', 'num_epochs', 'lr', 'weight_decay', 'betas', 'embed_dim', 'hidden_dim'] as const;
export type NameKey = (typeof NAME_KEYS)[number];

/** A value as it appears in a run name. */
export function nameValue(v: unknown): string {
  const s = Array.isArray(v) ? v.join('-') : String(v);
  return s.replace(/[^A-Za-z0-9.-]+/g, '_');
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The settings of a known preset resolved over the defaults, or null when `name` is not a preset (any more). */
function presetSettings(name: string): RunConfig | null {
  if (!listPresets().includes(name)) return null;
  return { ...defaultConfig(), ...loadPreset(name) };
}

export interface RunNameOptions {
  /** Keys never named as differences from the preset (a sweep names its grid keys itself). */
  omit?: readonly string[];
  /** Words added before `_seed<s>`, after the differences (a sweep's tag and grid values). */
  extra?: readonly string[];
}

/** The name of the run of `cfg` (no folder): see the module comment. */
export function runName(cfg: RunConfig, o: RunNameOptions = {}): string {
  const parts: string[] = [];
  const preset = cfg.preset === null ? null : presetSettings(cfg.preset);
  if (preset) {
    parts.push(cfg.preset!);
    for (const k of NAME_KEYS) if (!o.omit?.includes(k) && !same(cfg[k], preset[k])) parts.push(`${k}_${nameValue(cfg[k])}`);
  } else {
    parts.push(`${cfg.group.replace(/[^A-Za-z0-9_.-]+/g, '_')}_${MODEL_TAG[cfg.model]}`);
    if (cfg.model !== 'transformer' && cfg.hidden_dim !== defaultConfig().hidden_dim) parts.push(`hidden_dim_${cfg.hidden_dim}`);
  }
  parts.push(...(o.extra ?? []), `seed${cfg.seed}`);
  return parts.join('_');
}

/** The default run folder of `grokgroups train`: runs/<run name>. */
export function defaultOutDir(cfg: RunConfig): string {
  return `runs/${runName(cfg)}`;
}
