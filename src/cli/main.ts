/**
 * The `grokgroups` command: dispatches to one module per subcommand (src/cli/commands/<name>.ts), each
 * exporting `run(args): Promise<number>` (the exit code) and a one-line `summary`.
 * `grokgroups --version` (or -V) prints `grokgroups <package.json version>`.
 * A UsageError becomes one line on stderr and exit code 2; anything else is a bug and keeps its stack.
 */
import { packageVersion } from '../runs/package-root.js';
import { UsageError } from '../util/errors.js';

export interface Command {
  summary: string;
  run(args: string[]): Promise<number>;
}

/** Subcommand names, in the order `grokgroups --help` lists them. */
export const COMMANDS = ['demo', 'irreps', 'train', 'presets', 'eval', 'analyze', 'figures', 'sweep', 'worker', 'report', 'serve'] as const;

async function load(name: string): Promise<Command> {
  return (await import(`./commands/${name}.js`)) as Command;
}

export async function usage(): Promise<string> {
  const lines = ['usage: grokgroups <command> [options]', '', 'commands:'];
  for (const name of COMMANDS) lines.push(`  ${name.padEnd(10)} ${(await load(name)).summary}`);
  lines.push('', 'Run `grokgroups <command> --help` for a command\'s options, `grokgroups --version` (-V) for the version.');
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
      console.log(await usage());
      return name === undefined ? 2 : 0;
    }
    if (!(COMMANDS as readonly string[]).includes(name))
      throw new UsageError(`unknown command "${name}": expected one of ${COMMANDS.join(', ')}`);
    return await (await load(name)).run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`grokgroups: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
