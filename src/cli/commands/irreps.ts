/**
 * `grokgroups irreps <GROUP> [--json] [--matrices]`: the real irreducible representations of a group.
 * By default a character table (classes as columns, one row per irrep); with --json the whole group and
 * its irreps as one JSON document (docs/irreps-json.md), with --matrices also every irrep's matrices.
 */
import { conjugacyClasses, elementOrders } from '../../groups/classes.js';
import type { Group } from '../../groups/group.js';
import { parseGroup } from '../../groups/parse.js';
import type { Irrep } from '../../reps/irrep.js';
import { irreps } from '../../reps/irreps.js';
import { cleanNumber, irrepsJsonChunks } from '../../reps/irreps-json.js';
import { commandHelp, HELP_OPTION, parseCommand, type CommandSpec } from '../options.js';
import { UsageError } from '../../util/errors.js';

export { cleanNumber, irrepsJsonChunks };

const SPEC: CommandSpec = {
  name: 'irreps',
  usage: ['<GROUP> [--json] [--matrices]'],
  description: `Prints the real irreducible representations of GROUP as a character table: one column per conjugacy
class (its size, element order and a representative), one row per irrep (name, dimension, type).`,
  positionals: [{ name: 'GROUP', help: 'C<n>, D<n>, S<n>, A<n>, Q8, a product such as C2xS3, or perm:(1,2,3);(1,2)' }],
  options: [
    { name: 'json', kind: 'switch', help: 'print the group and its irreps as JSON instead (format: docs/irreps-json.md)' },
    { name: 'matrices', kind: 'switch', help: "with --json, add each irrep's matrices, one per element" },
    HELP_OPTION,
  ],
};

interface ParsedArgs {
  group: string;
  json: boolean;
  matrices: boolean;
  help: boolean;
}

function readArgs(args: string[]): ParsedArgs {
  const p = parseCommand(SPEC, args);
  const positionals = p.positionals;
  const help = p.help;
  if (!help && positionals.length !== 1)
    throw new UsageError(
      positionals.length === 0
        ? 'irreps needs a group, such as `grokgroups irreps S5`: expected C<n>, D<n>, S<n>, A<n>, Q8, a product such as C2xS3, or perm:(1,2,3);(1,2)'
        : `irreps takes one group, got ${positionals.length}: ${positionals.map((p) => `"${p}"`).join(', ')}`,
    );
  const json = p.switch('json');
  const matrices = p.switch('matrices');
  if (matrices && !json) throw new UsageError('option "--matrices" needs --json: the matrices are only written as JSON');
  return { group: positionals[0] ?? '', json, matrices, help };
}

/** Character values for the table: integers as integers, anything else to 3 decimals. */
function formatCharacter(v: number): string {
  const r = Math.round(v);
  if (Math.abs(v - r) < 1e-9) return String(r + 0);
  const s = v.toFixed(3);
  return s === '-0.000' ? '0.000' : s;
}

/** The character table as aligned text lines. */
export function characterTableText(G: Group, list: readonly Irrep[]): string[] {
  const { classes } = conjugacyClasses(G);
  const orders = elementOrders(G);
  const reps = classes.map((c) => c[0]!);
  const header = [
    ['class', '', '', ...classes.map((_, k) => String(k + 1))],
    ['size', '', '', ...classes.map((c) => String(c.length))],
    ['order', '', '', ...reps.map((g) => String(orders[g]))],
    ['representative', '', '', ...reps.map((g) => G.labels[g]!)],
  ];
  const rows = [
    ['irrep', 'dim', 'type', ...classes.map(() => '')],
    ...list.map((rho) => [rho.name, String(rho.dim), rho.type, ...reps.map((g) => formatCharacter(rho.character[g]!))]),
  ];
  const all = [...header, ...rows];
  const width = all[0]!.map((_, j) => Math.max(...(j < 3 ? rows : all).map((r) => r[j]!.length)));
  // the header rows' labels span the name, dim and type columns: widen the name column if they need it
  const labelWidth = Math.max(width[0]! + 1 + width[1]! + 1 + width[2]!, ...header.map((r) => r[0]!.length));
  width[0] = labelWidth - 1 - width[1]! - 1 - width[2]!;
  const lines = [`${G.name}: order ${G.order}, ${classes.length} conjugacy classes, ${list.length} real irreps`, ''];
  for (const r of header) lines.push([r[0]!.padStart(labelWidth), ...r.slice(3).map((s, j) => s.padStart(width[j + 3]!))].join('  '));
  for (const r of rows) {
    const left = `${r[0]!.padEnd(width[0]!)} ${r[1]!.padStart(width[1]!)} ${r[2]!.padEnd(width[2]!)}`;
    lines.push([left, ...r.slice(3).map((s, j) => s.padStart(width[j + 3]!))].join('  ').trimEnd());
  }
  return lines;
}

/** Writes chunks to stdout in blocks of about 1 MB, waiting when the stream asks us to. */
async function writeChunks(parts: Iterable<string>): Promise<void> {
  let buf: string[] = [];
  let size = 0;
  const flush = async () => {
    if (size === 0) return;
    const ok = process.stdout.write(buf.join(''));
    buf = [];
    size = 0;
    if (!ok) await new Promise<void>((resolve) => process.stdout.once('drain', resolve));
  };
  for (const p of parts) {
    buf.push(p);
    size += p.length;
    if (size >= 1 << 20) await flush();
  }
  await flush();
}

export async function run(args: string[]): Promise<number> {
  const opts = readArgs(args);
  if (opts.help) {
    console.log(commandHelp(SPEC));
    return 0;
  }
  const G = parseGroup(opts.group);
  const list = irreps(G);
  if (opts.json) await writeChunks(irrepsJsonChunks(G, list, opts.matrices));
  else await writeChunks(characterTableText(G, list).map((l) => l + '\n'));
  return 0;
}
