/**
 * `grokgroups figures RUN... [--out DIR] [--format svg|png|pdf] [--trim EPOCH] [--phase-lines E1,E2,...]`:
 * the paper's figures (REFERENCE §5) from run folders alone (docs/figures.md).
 */
import { dirname, join, resolve } from 'node:path';
import { acrossRunFigures, type FigureOptions } from '../../figures/figure-set.js';
import { readRun } from '../../figures/node/read-run.js';
import { FORMATS, type FigureFormat } from '../../figures/node/render.js';
import { runFigureSet, writeFigureSet } from '../../figures/node/run-figure-set.js';
import type { RunData } from '../../figures/run-data.js';
import { commandHelp, HELP_OPTION, parseCommand, type CommandSpec } from '../options.js';
import { UsageError } from '../../util/errors.js';

const SPEC: CommandSpec = {
  name: 'figures',
  usage: ['RUN... [--out DIR] [--format svg|png|pdf] [--trim EPOCH] [--phase-lines E1,E2,...]'],
  description: `Draws the paper's figures from run folders (docs/figures.md lists them): grokking curves, per-irrep
curves over training, excluded/restricted losses, sum of squared weights; with several runs also the median
grokking curves, the mean logit similarity per irrep, and key-irrep counts across runs. Figures whose
metrics.csv columns are missing (runs trained without --measures full) are skipped and listed.`,
  positionals: [{ name: 'RUN', help: 'a run folder written by grokgroups train' }],
  options: [
    {
      name: 'out',
      kind: 'string',
      arg: 'DIR',
      help: "where to write (one RUN: default RUN/figures; several: the figures across runs go to DIR, default <the runs' common parent>/figures, and each run's own to DIR/<run name>/)",
    },
    { name: 'format', kind: 'string', arg: 'F', help: 'svg, png or pdf, or several separated by commas (svg,pdf)', default: 'svg' },
    { name: 'trim', kind: 'string', arg: 'EPOCH', help: 'leave out checkpoints after EPOCH (figures over epochs)' },
    {
      name: 'phase-lines',
      kind: 'string',
      arg: 'L',
      help: 'dashed vertical lines at these epochs on the progress-measure figures, e.g. 2000,87000,120000',
    },
    HELP_OPTION,
  ],
};

export interface FiguresArgs {
  runs: string[];
  out?: string;
  formats: FigureFormat[];
  trim?: number;
  phaseLines?: number[];
  help: boolean;
}

function epochValue(s: string, what: string): number {
  const v = Number(s);
  if (s.trim() === '' || !Number.isInteger(v) || v < 0) throw new UsageError(`${what} "${s}" is not an epoch: expected an integer ≥ 0`);
  return v;
}

export function readArgs(args: string[]): FiguresArgs {
  const p = parseCommand(SPEC, args);
  const positionals = p.positionals;
  const help = p.help;
  const values = { format: p.string('format'), trim: p.string('trim'), 'phase-lines': p.string('phase-lines'), out: p.string('out') };
  if (!help && positionals.length === 0)
    throw new UsageError('figures needs at least one run folder, such as `grokgroups figures runs/S5_MLP_seed2`');
  const formats = (values.format ?? 'svg').split(',').map((f) => f.trim());
  for (const f of formats)
    if (!(FORMATS as readonly string[]).includes(f))
      throw new UsageError(`--format "${values.format}" is not a figure format: expected svg, png, pdf or several of them separated by commas`);
  const trim = values.trim === undefined ? undefined : epochValue(values.trim, '--trim');
  const phaseLines =
    values['phase-lines'] === undefined ? undefined : values['phase-lines'].split(',').map((s) => epochValue(s, '--phase-lines value'));
  if (values.out !== undefined && values.out.trim() === '') throw new UsageError('--out "" is empty: expected a folder');
  return { runs: positionals, out: values.out, formats: [...new Set(formats)] as FigureFormat[], trim, phaseLines, help };
}

/** The folder every run is in, if they share one. */
function commonParent(dirs: readonly string[]): string | undefined {
  const parents = new Set(dirs.map((d) => dirname(resolve(d))));
  return parents.size === 1 ? [...parents][0] : undefined;
}

export async function run(args: string[]): Promise<number> {
  const a = readArgs(args);
  if (a.help) {
    console.log(commandHelp(SPEC));
    return 0;
  }
  const runs: RunData[] = a.runs.map(readRun);
  const o: FigureOptions = { trim: a.trim, phaseLines: a.phaseLines };
  let count = 0;
  if (runs.length === 1) {
    const out = a.out ?? join(a.runs[0]!, 'figures');
    count += (await writeFigureSet(runFigureSet(a.runs[0]!, runs[0]!, o), out, a.formats, runs[0]!.name)).length / a.formats.length;
  } else {
    const names = runs.map((r) => r.name);
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (a.out !== undefined && dup !== undefined)
      throw new UsageError(`two run folders are named "${dup}": with --out each run's figures go to DIR/<run name>, so the names must differ`);
    const out = a.out ?? join(commonParent(a.runs) ?? '.', 'figures');
    count += (await writeFigureSet(acrossRunFigures(runs, o), out, a.formats, `${runs.length} runs`)).length / a.formats.length;
    for (let i = 0; i < runs.length; i++) {
      const dir = a.out !== undefined ? join(a.out, runs[i]!.name) : join(a.runs[i]!, 'figures');
      count += (await writeFigureSet(runFigureSet(a.runs[i]!, runs[i]!, o), dir, a.formats, runs[i]!.name)).length / a.formats.length;
    }
  }
  console.log(`${count} figures (${a.formats.join(', ')})`);
  return 0;
}
