/**
 * `grokgroups serve [RUNS_DIR] [--port P] [--host H]`: the local web dashboard over a runs folder
 * (docs/dashboard.md). Read-only: it serves files under RUNS_DIR, never writes, never runs commands.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../runs/package-root.js';
import { startDashboard } from '../../serve/server.js';
import { commandHelp, HELP_OPTION, parseCommand, type CommandSpec } from '../options.js';
import { UsageError } from '../../util/errors.js';

const SPEC: CommandSpec = {
  name: 'serve',
  usage: ['[RUNS_DIR] [--port P] [--host H]'],
  description: `Serves a web dashboard of the run folders under RUNS_DIR (default: runs): every run with its status,
its curves updating live while it trains, the group's character table and irreps, heatmaps of the model
(logit cubes, neurons, change of basis), the analysis report, and runs compared side by side.
Read-only: it serves only files under RUNS_DIR, never writes and never runs commands.`,
  positionals: [{ name: 'RUNS_DIR', help: 'folder with run folders (searched 3 levels deep), or one run folder' }],
  options: [
    { name: 'port', kind: 'string', arg: 'P', help: 'TCP port (0 picks a free one)', default: 8080 },
    { name: 'host', kind: 'string', arg: 'H', help: 'address to listen on (127.0.0.1: this machine only)', default: '127.0.0.1' },
    HELP_OPTION,
  ],
};

export interface ServeArgs {
  dir: string;
  port: number;
  host: string;
  help: boolean;
}

export function readArgs(args: string[]): ServeArgs {
  const p = parseCommand(SPEC, args);
  const positionals = p.positionals;
  const help = p.help;
  if (positionals.length > 1)
    throw new UsageError(`serve takes one runs folder, got ${positionals.length}: ${positionals.map((p) => `"${p}"`).join(', ')}`);
  const portText = p.string('port') ?? '8080';
  const port = Number(portText);
  if (portText.trim() === '' || !Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port "${portText}" is not a port: expected an integer 0..65535`);
  const host = p.string('host') ?? '127.0.0.1';
  if (host.trim() === '') throw new UsageError('--host "" is empty: expected an address such as 127.0.0.1 or 0.0.0.0');
  return { dir: positionals[0] ?? 'runs', port, host, help };
}

export async function run(args: string[]): Promise<number> {
  const a = readArgs(args);
  if (a.help) {
    console.log(commandHelp(SPEC));
    return 0;
  }
  if (!existsSync(a.dir) || !statSync(a.dir).isDirectory())
    throw new UsageError(`RUNS_DIR "${a.dir}" is not a folder: expected a folder of runs written by grokgroups train`);
  if (!existsSync(join(packageRoot(), 'dist-web', 'index.html')))
    throw new UsageError('the web UI is not built (dist-web/index.html is missing): run `npm run build` first');
  let s;
  try {
    s = await startDashboard({ root: a.dir, port: a.port, host: a.host });
  } catch (e) {
    const err = e as Error & { code?: string };
    if (err.code === 'EADDRINUSE') throw new UsageError(`--port ${a.port} is in use: pick another port, or --port 0 for any free one`);
    if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND') throw new UsageError(`--host "${a.host}" is not an address of this machine`);
    throw e;
  }
  console.log(`grokgroups dashboard of ${a.dir} at ${s.url} (Ctrl-C to stop)`);
  await new Promise<void>((resolve) => {
    const stop = () => void s.close().then(resolve);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}
