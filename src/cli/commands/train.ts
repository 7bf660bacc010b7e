/**
 * `grokgroups train`: resolves a run configuration (defaults -> --preset or --config -> options), then trains
 * into a run folder (docs/runs.md), or continues one with --resume. Progress goes to stderr, the final metrics
 * to stdout. Exit codes: 0 done, 1 stopped on a NaN/infinite loss, 2 bad usage (nothing written), 130 interrupted
 * (Ctrl-C/SIGTERM: stopped after the current epoch with its state saved).
 */
import { basename, join } from 'node:path';
import {
  check,
  checkAgainstGroup,
  defaultConfig,
  defaultOutDir,
  parseCfgObject,
  parseSeedList,
  resolveConfig,
  type ConfigKey,
  type RunConfig,
} from '../../runs/config.js';
import { packageVersion } from '../../runs/package-root.js';
import { listPresets, loadPreset, readPresetFile } from '../../runs/presets.js';
import { readJson } from '../../runs/run-folder.js';
import { checkRunFolder, trainOnConsole } from '../../runs/train-console.js';
import type { MemberRun } from '../../runs/train-run.js';
import type { Backend } from '../../train/types.js';
import { parseOptions, type OptionSpec as BaseOptionSpec } from '../../sweeps/options.js';
import { UsageError } from '../../util/errors.js';

export const summary = 'train a model on a group\'s multiplication table into a run folder';

interface OptionSpec extends BaseOptionSpec {
  key?: ConfigKey;
}

const OPTIONS: OptionSpec[] = [
  { flag: '--preset', arg: 'NAME', help: 'start from a preset (configs/presets/NAME.json); "list" lists them' },
  { flag: '--config', arg: 'FILE', help: 'start from a cfg.json (e.g. RUN/cfg.json, to reproduce a run)' },
  { flag: '--group', arg: 'G', key: 'group', help: 'group: C<n>, D<n>, S<n>, A<n>, Q8, products such as C2xS3' },
  { flag: '--model', arg: 'M', key: 'model', help: 'mlp | transformer | bilinear' },
  { flag: '--seed', arg: 'S', key: 'seed', help: 'seed of the data split and the initialisation' },
  { flag: '--seeds', arg: 'LIST', help: 'train several seeds at once (e.g. 1-4 or 0,3,7), one run folder each, as --seed S would write it' },
  { flag: '--frac-train', arg: 'F', key: 'frac_train', help: 'fraction of the N² pairs used for training, 0 < F < 1' },
  { flag: '--epochs', arg: 'E', key: 'num_epochs', help: 'number of full-batch AdamW steps' },
  { flag: '--lr', arg: 'X', key: 'lr', help: 'AdamW learning rate' },
  { flag: '--weight-decay', arg: 'X', key: 'weight_decay', help: 'AdamW (decoupled) weight decay' },
  { flag: '--betas', arg: 'B1,B2', key: 'betas', help: 'AdamW betas' },
  { flag: '--embed-dim', arg: 'D', key: 'embed_dim', help: 'MLP/bilinear embedding width per input (ignored by the transformer)' },
  { flag: '--hidden-dim', arg: 'H', key: 'hidden_dim', help: 'MLP/bilinear hidden width (ignored by the transformer)' },
  {
    flag: '--measures',
    arg: 'none|basic|full',
    key: 'measures',
    help: 'metrics.csv at each checkpoint: none; basic (losses, accuracies, weight norm); or full (every progress measure, then key_reps.txt: docs/measures.md)',
  },
  { flag: '--checkpoints', arg: 'none|log', key: 'checkpoints', help: 'write parameters at the log-spaced checkpoint epochs, or not' },
  { flag: '--threads', arg: 'T', key: 'threads', help: 'worker threads of the compute kernels' },
  { flag: '--backend', arg: 'wasm|js|webgpu', help: 'trainer: wasm (WebAssembly kernels), js (plain reference) or webgpu (GPU, docs/gpu.md); not part of cfg.json (default wasm)' },
  { flag: '--out', arg: 'DIR', help: 'run folder (default runs/<group>_<MLP|T|B>_seed<s>); must not exist unless --resume; with --seeds, the folder holding each seed\'s run folder' },
  { flag: '--resume', help: 'continue the run in --out from its last checkpoint (or start it if absent)' },
  { flag: '--help', help: 'show this help' },
];

function showDefault(key: ConfigKey, d: RunConfig): string {
  const v = d[key];
  return Array.isArray(v) ? v.join(',') : String(v);
}

export function helpText(): string {
  const d = defaultConfig();
  const lines = [
    'usage: grokgroups train [options]',
    '',
    'Trains one model into a run folder. Settings resolve as defaults -> --preset (or --config) -> options;',
    'the defaults are the paper\'s S5 MLP mainline (seed 0). See docs/runs.md for the run folder.',
    '',
    'options:',
  ];
  for (const o of OPTIONS) {
    const left = `  ${o.flag}${o.arg ? ' ' + o.arg : ''}`;
    const def = o.key ? ` (default ${showDefault(o.key, d)})` : '';
    lines.push(`${left.padEnd(30)} ${o.help}${def}`);
  }
  lines.push('', 'examples:', '  grokgroups train --preset tiny', '  grokgroups train --preset S5_MLP --seed 1', '  grokgroups train --preset tiny --seeds 1-4', '  grokgroups train --config runs/S5_MLP_seed1/cfg.json --out runs/again');
  return lines.join('\n');
}

export function presetListText(): string {
  const names = listPresets();
  const w = Math.max(...names.map((n) => n.length));
  return names.map((n) => `${n.padEnd(w)}  ${String(readPresetFile(n).reason ?? '')}`).join('\n');
}

interface ParsedArgs {
  values: Map<string, string>;
  flags: Set<string>;
}

export function parseArgs(args: string[]): ParsedArgs {
  const { values, flags, positional } = parseOptions(args, OPTIONS);
  if (positional.length > 0)
    throw new UsageError(`unexpected argument "${positional[0]}": train takes only options (expected one of ${OPTIONS.map((o) => o.flag).join(', ')})`);
  return { values, flags };
}

export interface TrainPlan {
  /** One run per seed (one for a plain run), in --seeds order. */
  runs: MemberRun[];
  resume: boolean;
  backend: Backend;
}

const BACKENDS: readonly Backend[] = ['wasm', 'js', 'webgpu'];

/** Everything the command decides before writing anything; throws UsageError on any bad input. */
export function plan(args: string[]): TrainPlan | { print: string } {
  const { values, flags } = parseArgs(args);
  if (flags.has('--help')) return { print: helpText() };
  const presetName = values.get('--preset');
  if (presetName === 'list') return { print: presetListText() };
  const configPath = values.get('--config');
  if (presetName !== undefined && configPath !== undefined) throw new UsageError('--preset and --config cannot be combined: a cfg.json is already fully resolved');
  let base: Partial<RunConfig> = {};
  if (presetName !== undefined) base = loadPreset(presetName);
  if (configPath !== undefined) {
    let obj: unknown;
    try {
      obj = readJson(configPath);
    } catch (e) {
      throw new UsageError(`--config "${configPath}": cannot read it as JSON (${(e as Error).message.split('\n')[0]})`);
    }
    base = parseCfgObject(obj, configPath, 'cfg');
  }
  const cli: Partial<RunConfig> = {};
  for (const o of OPTIONS) {
    const v = values.get(o.flag);
    if (o.key && v !== undefined) (cli as Record<string, unknown>)[o.key] = check[o.key](o.flag, v);
  }
  const resume = flags.has('--resume');
  const backendValue = values.get('--backend') ?? 'wasm';
  if (!(BACKENDS as readonly string[]).includes(backendValue)) throw new UsageError(`--backend "${backendValue}": expected one of ${BACKENDS.join(', ')}`);
  const backend = backendValue as Backend;
  const seedsValue = values.get('--seeds');
  const out = values.get('--out');
  const explicit = { ...base, ...cli } as Record<string, unknown>;
  let runs: MemberRun[];
  if (seedsValue === undefined) {
    const cfg = resolveConfig(base, cli);
    const outDir = out ?? defaultOutDir(cfg);
    runs = [{ cfg: checkRunFolder(cfg, outDir, resume, explicit), outDir }];
  } else {
    if (cli.seed !== undefined) throw new UsageError('--seed and --seeds cannot be combined: --seeds lists every seed');
    const seeds = parseSeedList('--seeds', seedsValue);
    // The seed is the member's own: a --config's seed is replaced, not compared.
    delete explicit.seed;
    runs = seeds.map((seed) => {
      const cfg = resolveConfig(base, { ...cli, seed });
      const outDir = out === undefined ? defaultOutDir(cfg) : join(out, basename(defaultOutDir(cfg)));
      return { cfg: checkRunFolder(cfg, outDir, resume, explicit, out === undefined ? 'run folder' : '--out'), outDir };
    });
  }
  for (const r of runs) checkAgainstGroup(r.cfg, cli.frac_train !== undefined ? '--frac-train' : 'frac_train');
  return { runs, resume, backend };
}

export async function run(args: string[]): Promise<number> {
  const p = plan(args);
  if ('print' in p) {
    console.log(p.print);
    return 0;
  }
  const { runs, resume, backend } = p;
  const group = checkAgainstGroup(runs[0]!.cfg);
  const single = runs.length === 1 && !args.includes('--seeds') && !args.some((a) => a.startsWith('--seeds='));
  const again = args.includes('--resume') ? args : [...args, '--resume'];
  const resumeCommand = single ? `grokgroups train --out ${runs[0]!.outDir} --resume` : `grokgroups train ${again.join(' ')}`;
  const { code } = await trainOnConsole({ runs, group, resume, backend, version: packageVersion(), resumeCommand });
  return code;
}
