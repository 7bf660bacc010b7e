/**
 * `grokgroups train`: resolves a run configuration (defaults -> --preset or --config -> options), then trains
 * into a run folder (docs/runs.md), or continues one with --resume. Progress goes to stderr, the final metrics
 * to stdout. Exit codes: 0 done, 1 stopped on a NaN/infinite loss, 2 bad usage (nothing written), 130 interrupted
 * (Ctrl-C/SIGTERM: stopped after the current epoch with its state saved).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  check,
  checkAgainstGroup,
  defaultConfig,
  defaultOutDir,
  MODEL_TAG,
  parseCfgObject,
  resolveConfig,
  type ConfigKey,
  type RunConfig,
} from '../../runs/config.js';
import { packageVersion } from '../../runs/package-root.js';
import { listPresets, loadPreset, readPresetFile } from '../../runs/presets.js';
import { CHECKPOINT_UNIT, Progress } from '../../runs/progress.js';
import { FILES, readJson } from '../../runs/run-folder.js';
import { NonFiniteLossError, RunInterrupted, trainRun } from '../../runs/train-run.js';
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
  { flag: '--out', arg: 'DIR', help: 'run folder (default runs/<group>_<MLP|T|B>_seed<s>); must not exist unless --resume' },
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
  lines.push('', 'examples:', '  grokgroups train --preset tiny', '  grokgroups train --preset S5_MLP --seed 1', '  grokgroups train --config runs/S5_MLP_seed1/cfg.json --out runs/again');
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

function isNonEmptyDir(p: string): boolean {
  return existsSync(p) && (!statSync(p).isDirectory() || readdirSync(p).length > 0);
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export interface TrainPlan {
  cfg: RunConfig;
  outDir: string;
  resume: boolean;
}

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
  let cfg = resolveConfig(base, cli);
  const resume = flags.has('--resume');
  const outDir = values.get('--out') ?? defaultOutDir(cfg);
  if (existsSync(outDir) && !statSync(outDir).isDirectory()) throw new UsageError(`--out "${outDir}": exists and is not a folder`);
  if (isNonEmptyDir(outDir)) {
    if (!resume) throw new UsageError(`--out "${outDir}": already exists; pass --resume to continue that run, or choose another --out`);
    const cfgPath = join(outDir, FILES.cfg);
    if (existsSync(cfgPath)) {
      const stored = resolveConfig(parseCfgObject(readJson(cfgPath), cfgPath, 'cfg'), {});
      const explicit = { ...base, ...cli } as Record<string, unknown>;
      for (const [k, v] of Object.entries(explicit)) {
        const s = (stored as unknown as Record<string, unknown>)[k];
        if (!same(v, s)) throw new UsageError(`--resume: ${k} ${JSON.stringify(v)} differs from ${cfgPath} (${JSON.stringify(s)}); drop it or choose another --out`);
      }
      cfg = stored;
    }
  }
  checkAgainstGroup(cfg, cli.frac_train !== undefined ? '--frac-train' : 'frac_train');
  return { cfg, outDir, resume };
}

export async function run(args: string[]): Promise<number> {
  const p = plan(args);
  if ('print' in p) {
    console.log(p.print);
    return 0;
  }
  const { cfg, outDir, resume } = p;
  const group = checkAgainstGroup(cfg);
  const err = process.stderr;
  let progress: Progress | null = null;
  // Ctrl-C (or SIGTERM) stops after the current epoch with its state saved; a second one exits at once.
  const abort = new AbortController();
  const onSignal = () => {
    if (abort.signal.aborted) process.exit(130);
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const summaryRow = await trainRun({
      signal: abort.signal,
      cfg,
      group,
      outDir,
      version: packageVersion(),
      resume,
      onEvent: (e) => {
        switch (e.type) {
          case 'start':
            err.write(
              `${e.resumed ? `resuming at epoch ${e.startEpoch}` : 'training'} ${cfg.group} ${MODEL_TAG[cfg.model]} seed ${cfg.seed}` +
                `${cfg.preset ? ` (preset ${cfg.preset})` : ''} -> ${outDir}: ${cfg.num_epochs} epochs, ${e.nTrain} train / ${e.nTest} test pairs, ${cfg.threads} threads\n`,
            );
            progress = new Progress(err, cfg.num_epochs, e.startEpoch);
            progress.setLog(e.lastLog);
            break;
          case 'epoch':
            progress?.tick(e.epoch);
            break;
          case 'log':
            progress?.setLog(e.row);
            break;
          case 'eval':
            if (e.event.type === 'start') {
              progress?.finish();
              err.write(`measuring ${e.event.checkpoints} checkpoints with key irreps ${e.event.keyReps.join(', ') || '(none)'}\n`);
              progress = e.event.checkpoints > 0 ? new Progress(err, e.event.checkpoints, 0, undefined, undefined, CHECKPOINT_UNIT) : null;
            } else if (e.event.type === 'checkpoint') progress?.tick(e.event.index);
            else {
              progress?.finish();
              progress = null;
              err.write(`key irreps in learning order: ${e.event.keyRepsInOrder.join(', ') || '(none)'}\n`);
            }
            break;
          case 'done':
            progress?.finish();
            break;
        }
      },
    });
    const show = (k: string) => `${k} ${summaryRow[k]}`;
    console.log(`${outDir}: ${['epoch', 'train_loss', 'test_loss', 'train_acc', 'test_acc'].map(show).join(', ')}`);
    return 0;
  } catch (e) {
    if (e instanceof NonFiniteLossError) {
      if (progress) err.write('\n');
      err.write(`grokgroups: ${e.message}\n`);
      return 1;
    }
    if (e instanceof RunInterrupted) {
      if (progress) err.write('\n');
      err.write(`grokgroups: ${e.message}: grokgroups train --out ${outDir} --resume\n`);
      return 130;
    }
    throw e;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
