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
  FULL_MEASURES_MAX_SHARE,
  MEASURE_STEPS_PER_CHECKPOINT,
  parseCfgObject,
  parseSeedList,
  resolveConfig,
  type ConfigKey,
  type RunConfig,
} from '../../runs/config.js';
import { packageVersion } from '../../runs/package-root.js';
import { listPresets, loadPreset, readPresetFile } from '../../runs/presets.js';
import { readJson } from '../../runs/run-folder.js';
import { defaultOutDir } from '../../runs/run-name.js';
import { checkRunFolder, trainOnConsole } from '../../runs/train-console.js';
import type { MemberRun } from '../../runs/train-run.js';
import type { Backend } from '../../types/trainer.js';
import { checkPositionals, commandHelp, HELP_OPTION, parseCommand, type CommandSpec, type OptionDef, type ParsedArgs } from '../options.js';
import { UsageError } from '../../util/errors.js';

/** The options that set a run setting, and which (checked by config.ts's `check`, which names the option). */
const KEYS: Partial<Record<string, ConfigKey>> = {
  group: 'group',
  model: 'model',
  seed: 'seed',
  'frac-train': 'frac_train',
  epochs: 'num_epochs',
  lr: 'lr',
  'weight-decay': 'weight_decay',
  betas: 'betas',
  'embed-dim': 'embed_dim',
  'hidden-dim': 'hidden_dim',
  measures: 'measures',
  checkpoints: 'checkpoints',
  threads: 'threads',
};

function showDefault(key: ConfigKey, d: RunConfig): string {
  const v = d[key];
  return Array.isArray(v) ? v.join(',') : String(v);
}

const BACKENDS: readonly Backend[] = ['wasm', 'js', 'webgpu'];

function setting(name: string, arg: string, help: string): OptionDef {
  return { name, kind: 'string', arg, help, default: showDefault(KEYS[name]!, defaultConfig()) };
}

export const SPEC: CommandSpec = {
  name: 'train',
  usage: ['[options]'],
  description:
    'Trains one model (or, with --seeds, several seeds at once) into a run folder. Settings resolve as defaults ->\n' +
    "--preset (or --config) -> options; the defaults are the paper's S5 MLP mainline (seed 0). See docs/runs.md\n" +
    'for the run folder.',
  options: [
    { name: 'preset', kind: 'string', arg: 'NAME', help: 'start from a preset (configs/presets/NAME.json); "list" lists them' },
    { name: 'config', kind: 'string', arg: 'FILE', help: 'start from a cfg.json (e.g. RUN/cfg.json, to reproduce a run)' },
    setting('group', 'G', 'group: C<n>, D<n>, S<n>, A<n>, Q8, products such as C2xS3'),
    setting('model', 'M', 'mlp | transformer | bilinear'),
    setting('seed', 'S', 'seed of the data split and the initialisation'),
    {
      name: 'seeds',
      kind: 'string',
      arg: 'LIST',
      help: 'train several seeds at once (e.g. 1-4 or 0,3,7), one run folder each, as --seed S would write it',
    },
    setting('frac-train', 'F', 'fraction of the N² pairs used for training, 0 < F < 1'),
    setting('epochs', 'E', 'number of full-batch AdamW steps'),
    setting('lr', 'X', 'AdamW learning rate'),
    setting('weight-decay', 'X', 'AdamW (decoupled) weight decay'),
    setting('betas', 'B1,B2', 'AdamW betas'),
    setting('embed-dim', 'D', 'MLP/bilinear embedding width per input (ignored by the transformer)'),
    setting('hidden-dim', 'H', 'MLP/bilinear hidden width (ignored by the transformer)'),
    {
      name: 'measures',
      kind: 'string',
      arg: 'none|basic|full',
      help:
        'metrics.csv at each checkpoint: none; basic (losses, accuracies, weight norm); or full (every progress measure, then key_reps.txt: docs/measures.md). ' +
        `Default: full where its estimated cost, 2 passes × ${MEASURE_STEPS_PER_CHECKPOINT} steps × the checkpoints, is under ${FULL_MEASURES_MAX_SHARE * 100}% of the E steps ` +
        "(from about 232k epochs on: the paper's 250k-epoch runs), else basic (then `grokgroups eval RUN` measures everything afterwards)",
      default: 'full or basic, by --epochs',
    },
    setting('checkpoints', 'none|log', 'write parameters at the log-spaced checkpoint epochs, or not'),
    setting('threads', 'T', 'worker threads of the compute kernels'),
    {
      name: 'backend',
      kind: 'choice',
      choices: BACKENDS,
      default: 'wasm',
      help: 'trainer: wasm (WebAssembly kernels), js (plain reference) or webgpu (GPU, docs/gpu.md); not part of cfg.json',
    },
    {
      name: 'out',
      kind: 'string',
      arg: 'DIR',
      help: "run folder (default runs/<preset>_seed<s> with a preset, else runs/<group>_<MLP|T|B>_seed<s>: docs/runs.md); must not exist unless --resume; with --seeds, the folder holding each seed's run folder",
    },
    { name: 'resume', kind: 'switch', help: 'continue the run in --out from its last checkpoint (or start it if absent)' },
    HELP_OPTION,
  ],
  epilog: [
    'examples:',
    '  grokgroups train --preset tiny',
    '  grokgroups train --preset S5_MLP --seed 1',
    '  grokgroups train --preset tiny --seeds 1-4',
    '  grokgroups train --config runs/S5_MLP_seed1/cfg.json --out runs/again',
  ].join('\n'),
};

export function helpText(): string {
  return commandHelp(SPEC);
}

export function presetListText(): string {
  const names = listPresets();
  const w = Math.max(...names.map((n) => n.length));
  return names.map((n) => `${n.padEnd(w)}  ${String(readPresetFile(n).reason ?? '')}`).join('\n');
}

export function parseArgs(args: string[]): ParsedArgs {
  const p = parseCommand(SPEC, args);
  checkPositionals(SPEC, p, 0, 0, 'only options');
  return p;
}

export interface TrainPlan {
  /** One run per seed (one for a plain run), in --seeds order. */
  runs: MemberRun[];
  resume: boolean;
  backend: Backend;
  /** No preset, cfg.json or option chose the measures: the final line says how to get the full ones of a basic run. */
  measuresDefaulted: boolean;
}

/** Everything the command decides before writing anything; throws UsageError on any bad input. */
export function plan(args: string[]): TrainPlan | { print: string } {
  const p = parseArgs(args);
  if (p.help) return { print: helpText() };
  const presetName = p.string('preset');
  if (presetName === 'list') return { print: presetListText() };
  const configPath = p.string('config');
  if (presetName !== undefined && configPath !== undefined)
    throw new UsageError('--preset and --config cannot be combined: a cfg.json is already fully resolved');
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
  for (const [name, key] of Object.entries(KEYS)) {
    const v = p.string(name);
    if (key && v !== undefined) (cli as Record<string, unknown>)[key] = check[key](`--${name}`, v);
  }
  const resume = p.switch('resume');
  const backend = (p.string('backend') ?? 'wasm') as Backend;
  const seedsValue = p.string('seeds');
  const out = p.string('out');
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
  return { runs, resume, backend, measuresDefaulted: base.measures === undefined && cli.measures === undefined };
}

export async function run(args: string[]): Promise<number> {
  const p = plan(args);
  if ('print' in p) {
    console.log(p.print);
    return 0;
  }
  const { runs, resume, backend, measuresDefaulted } = p;
  const group = checkAgainstGroup(runs[0]!.cfg);
  const single = runs.length === 1 && !args.includes('--seeds') && !args.some((a) => a.startsWith('--seeds='));
  const again = args.includes('--resume') ? args : [...args, '--resume'];
  const resumeCommand = single ? `grokgroups train --out ${runs[0]!.outDir} --resume` : `grokgroups train ${again.join(' ')}`;
  const { code } = await trainOnConsole({ runs, group, resume, backend, version: packageVersion(), resumeCommand, measuresHint: measuresDefaulted });
  return code;
}
