/**
 * The `grokgroups` command: dispatches to one module per subcommand (src/cli/commands/<name>.ts), each
 * exporting `run(args): Promise<number>` (the exit code). Only the command run is imported (some pull in
 * large dependencies: Redis clients, PDF and PNG writers), so its one-line summary for `grokgroups --help`
 * is kept here.
 * `grokgroups --version` (or -V) prints `grokgroups <package.json version>`.
 * A UsageError becomes one line on stderr and exit code 2; anything else is a bug and keeps its stack.
 */
import { packageVersion } from '../runs/package-root.js';
import { UsageError } from '../util/errors.js';

export interface Command {
  run(args: string[]): Promise<number>;
}

/** Each subcommand's one-line summary, in the order `grokgroups --help` lists them. */
const SUMMARIES = {
  demo: 'the main job on a small default: train S4 with every measure, analyse, draw figures',
  irreps: "print the character table of a group's real irreps (or everything as JSON)",
  train: "train a model on a group's multiplication table into a run folder",
  presets: 'list the training presets (configs/presets/*.json) with their reasons',
  eval: 'compute every progress measure of a run from its checkpoints: metrics.csv, summary_metrics.json, key_reps.txt',
  analyze: "analyse a trained run like the paper's notebook: RUN/analysis.json and RUN/analysis.md",
  figures: "draw the paper's figures (SVG, PNG or PDF) from one or more run folders",
  sweep: 'run a sweep of runs (presets × seeds × overrides) here, or enqueue it for workers',
  worker: 'pull sweep runs from a Redis queue (sweep --queue) and run them into a shared folder',
  report: "the paper's universality tables (CSV, Markdown, LaTeX) from a sweep's run folders",
  serve: 'a local web dashboard of the runs in a folder: live curves, irreps, heatmaps, analysis',
} as const;

/** Subcommand names, in the order `grokgroups --help` lists them. */
export const COMMANDS = Object.keys(SUMMARIES) as (keyof typeof SUMMARIES)[];

async function load(name: string): Promise<Command> {
  return (await import(`./commands/${name}.js`)) as Command;
}

export function usage(): string {
  const lines = ['usage: grokgroups <command> [options]', '', 'commands:'];
  for (const name of COMMANDS) lines.push(`  ${name.padEnd(10)} ${SUMMARIES[name]}`);
  lines.push('', "Run `grokgroups <command> --help` for a command's options, `grokgroups --version` (-V) for the version.");
  lines.push('Documentation: README.md and docs/*.md in the package folder.');
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === '--version' || name === '-V') {
      console.log(`grokgroups ${packageVersion()}`);
      return 0;
    }
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      console.log(usage());
      return name === undefined ? 2 : 0;
    }
    if (!(COMMANDS as readonly string[]).includes(name)) throw new UsageError(`unknown command "${name}": expected one of ${COMMANDS.join(', ')}`);
    return await (await load(name)).run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`grokgroups: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
