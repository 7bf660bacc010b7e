/**
 * `grokgroups demo`: the main job on a small built-in default, end to end. Trains the `tiny` preset (S4,
 * MLP, groks in well under a minute) with every progress measure, analyses the trained model like the
 * paper's notebook, draws the figures, and says where everything is. Run again, it continues (or reuses)
 * the same folder: a finished run is only measured, analysed and drawn again.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { checkPositionals, HELP_OPTION, parseOrHelp, type CommandSpec } from '../options.js';
import * as analyze from './analyze.js';
import * as figures from './figures.js';
import * as train from './train.js';

const DEFAULT_OUT = join('runs', 'demo');

const SPEC: CommandSpec = {
  name: 'demo',
  usage: ['[--out DIR] [--preset NAME] [--seed S]'],
  description: `Trains --preset (default tiny: S4, MLP, 3000 epochs) with --measures full into --out (default ${DEFAULT_OUT}),
then \`grokgroups figures\` and \`grokgroups analyze\` on it (analysis.md shows the figures), and prints where the run folder, the report
and the figures are. An existing --out is continued (--resume), so running it again is cheap.`,
  options: [
    { name: 'out', kind: 'string', arg: 'DIR', help: 'run folder', default: DEFAULT_OUT },
    { name: 'preset', kind: 'string', arg: 'NAME', help: 'preset to train (`grokgroups train --preset list` lists them)', default: 'tiny' },
    { name: 'seed', kind: 'string', arg: 'S', help: "seed (default: the preset's)" },
    HELP_OPTION,
  ],
};

export async function run(args: string[]): Promise<number> {
  const p = parseOrHelp(SPEC, args);
  if (!p) return 0;
  checkPositionals(SPEC, p, 0, 0, 'no positional arguments');
  const out = p.string('out') ?? DEFAULT_OUT;
  const trainArgs = ['--preset', p.string('preset') ?? 'tiny', '--measures', 'full', '--out', out];
  const seed = p.string('seed');
  if (seed !== undefined) trainArgs.push('--seed', seed);
  if (existsSync(out)) trainArgs.push('--resume');
  const steps: [string, () => Promise<number>][] = [
    ['train', () => train.run(trainArgs)],
    ['figures', () => figures.run([out])],
    ['analyze', () => analyze.run([out, '--no-figures'])], // analysis.md shows the figures just drawn
  ];
  for (const [name, step] of steps) {
    console.log(`\n== grokgroups ${name} ==`);
    const code = await step();
    if (code !== 0) {
      process.stderr.write(`grokgroups: demo stopped: ${name} exited with ${code}\n`);
      return code;
    }
  }
  console.log(
    [
      '',
      `run folder:  ${out}  (cfg.json, metrics.csv, key_reps_in_order.txt, model.safetensors, checkpoints/)`,
      `report:      ${join(out, 'analysis.md')}  (numbers in ${join(out, 'analysis.json')})`,
      `figures:     ${join(out, 'figures')}/`,
    ].join('\n'),
  );
  return 0;
}
