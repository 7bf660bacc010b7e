/**
 * The one command-line parser of every `grokgroups` command: each command declares a table of its options
 * (name, kind, placeholder, help, default, short form, repeatable, range) and its positional arguments;
 * `parseCommand` reads argv against it and `commandHelp` writes its `--help` text from the same table.
 *
 * Accepted: `--name VALUE`, `--name=VALUE` (needed for a value starting with "--"), bare switches `--name`,
 * `-h` for `--help`, positional arguments anywhere, and `--` ending the options. An option given twice keeps
 * its last value, unless it is repeatable. Every error is a one-line
 * UsageError naming the command and the option: unknown option, missing value, a value for a switch, a
 * malformed value (`--name "v": expected ...`), a missing required option.
 */
import { packageVersion } from '../runs/package-root.js';
import { UsageError } from '../util/errors.js';

export type OptionKind = 'switch' | 'string' | 'int' | 'number' | 'choice';

export interface OptionDef {
  /** Without the dashes: `frac-train` for `--frac-train`. */
  name: string;
  kind: OptionKind;
  help: string;
  /** The value's placeholder in the help (default by kind: VALUE, N, X, or the choices joined by |). */
  arg?: string;
  /** Shown as `(default …)` in the help; the command applies it (it may depend on other options). */
  default?: string | number;
  /** A one-letter short form, `-h`. */
  short?: string;
  /** May be given several times; its values are collected in order. */
  repeatable?: boolean;
  required?: boolean;
  /** int: the inclusive range (default 0 .. MAX_SAFE_INTEGER). */
  min?: number;
  max?: number;
  /** number: which values are accepted, and how to say so (`expected …`). */
  accept?: (x: number) => boolean;
  expected?: string;
  /** choice: the accepted values. */
  choices?: readonly string[];
}

export interface PositionalDef {
  name: string;
  help: string;
}

export interface CommandSpec {
  name: string;
  /** What follows `grokgroups <name>` on each usage line. */
  usage: string[];
  /** Paragraphs between the usage and the options. */
  description?: string;
  positionals?: PositionalDef[];
  options: OptionDef[];
  /** Text after the options (examples, notes). */
  epilog?: string;
}

export type OptionValue = string | number | boolean;

export class ParsedArgs {
  constructor(
    private readonly values: Map<string, OptionValue[]>,
    readonly positionals: string[],
  ) {}

  has(name: string): boolean {
    return this.values.has(name);
  }
  /** The value of a string or choice option (the last one given), or undefined. */
  string(name: string): string | undefined {
    const v = this.values.get(name)?.at(-1);
    return v === undefined ? undefined : String(v);
  }
  /** The value of an int or number option, or undefined. */
  number(name: string): number | undefined {
    const v = this.values.get(name)?.at(-1);
    return v === undefined ? undefined : (v as number);
  }
  switch(name: string): boolean {
    return this.values.has(name);
  }
  /** Every value of a repeatable option, in order. */
  list(name: string): string[] {
    return (this.values.get(name) ?? []).map(String);
  }
  get help(): boolean {
    return this.values.has('help');
  }
}

/** The `--help` option every command has. */
export const HELP_OPTION: OptionDef = { name: 'help', kind: 'switch', short: 'h', help: 'show this help' };

function placeholder(o: OptionDef): string {
  if (o.kind === 'switch') return '';
  if (o.arg) return o.arg;
  if (o.kind === 'choice') return (o.choices ?? []).join('|');
  return o.kind === 'int' ? 'N' : o.kind === 'number' ? 'X' : 'VALUE';
}

function readValue(cmd: string, o: OptionDef, v: string): OptionValue {
  const flag = `--${o.name}`;
  switch (o.kind) {
    case 'int': {
      const lo = o.min ?? 0;
      const hi = o.max ?? Number.MAX_SAFE_INTEGER;
      const x = Number(v);
      if (!/^\s*\d+\s*$/.test(v) || !Number.isSafeInteger(x) || x < lo || x > hi)
        throw new UsageError(
          `${flag} "${v}": expected ${o.expected ?? (o.max === undefined ? `an integer >= ${lo}` : `an integer from ${lo} to ${hi}`)}`,
        );
      return x;
    }
    case 'number': {
      const x = v.trim() === '' ? NaN : Number(v);
      if (!Number.isFinite(x) || (o.accept && !o.accept(x))) throw new UsageError(`${flag} "${v}": expected ${o.expected ?? 'a finite number'}`);
      return x;
    }
    case 'choice':
      if (!(o.choices ?? []).includes(v)) throw new UsageError(`${flag} "${v}": expected one of ${(o.choices ?? []).join(', ')}`);
      return v;
    case 'string':
      return v;
    case 'switch':
      throw new UsageError(`option ${flag} for ${cmd} takes no value`);
  }
}

export function parseCommand(spec: CommandSpec, args: readonly string[]): ParsedArgs {
  const cmd = spec.name;
  const values = new Map<string, OptionValue[]>();
  const positionals: string[] = [];
  const expectedList = () => spec.options.map((o) => `--${o.name}`).join(', ');
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      i++;
      break;
    }
    let def: OptionDef | undefined;
    let inline: string | undefined;
    let shown = a;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      shown = `--${name}`;
      inline = eq > 0 ? a.slice(eq + 1) : undefined;
      def = spec.options.find((o) => o.name === name);
    } else if (/^-[A-Za-z]$/.test(a)) {
      def = spec.options.find((o) => o.short === a.slice(1));
    } else {
      positionals.push(a);
      continue;
    }
    if (!def) throw new UsageError(`unknown option "${shown}" for ${cmd}: expected one of ${expectedList()}`);
    const flag = `--${def.name}`;
    let value: OptionValue;
    if (def.kind === 'switch') {
      if (inline !== undefined) throw new UsageError(`option ${flag} for ${cmd} takes no value, got "${a}"`);
      value = true;
    } else {
      const v = inline ?? args[i + 1];
      if (v === undefined || (inline === undefined && v.startsWith('--')))
        throw new UsageError(`option "${flag}" for ${cmd} needs a value ${placeholder(def)} (write ${flag}=VALUE for a value starting with "--")`);
      if (inline === undefined) i++;
      value = readValue(cmd, def, v);
    }
    // A repeatable option collects its values; for any other the last one given counts.
    const list = def.repeatable ? (values.get(def.name) ?? []) : [];
    list.push(value);
    values.set(def.name, list);
  }
  positionals.push(...args.slice(i));
  if (!values.has('help'))
    for (const o of spec.options)
      if (o.required && !values.has(o.name)) throw new UsageError(`${cmd} needs --${o.name} ${placeholder(o)}: ${o.help}`);
  return new ParsedArgs(values, positionals);
}

const WIDTH = 100;

/** `text` wrapped at WIDTH, continuation lines indented by `indent` spaces. */
function wrap(first: string, text: string, indent: number): string[] {
  const lines: string[] = [];
  let line = first;
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line.length + 1 + word.length > WIDTH && line.trim() !== '' && line.length > indent) {
      lines.push(line);
      line = ' '.repeat(indent) + word;
    } else line += (line.length === 0 || line.endsWith(' ') ? '' : ' ') + word;
  }
  lines.push(line);
  return lines;
}

/** The command's `--help` text, from its table, ending with a line naming the version. */
export function commandHelp(spec: CommandSpec): string {
  const lines = spec.usage.map((u, i) => `${i === 0 ? 'usage:' : '      '} grokgroups ${spec.name}${u ? ' ' + u : ''}`);
  if (spec.description) lines.push('', spec.description);
  const rows: [string, string][] = [];
  for (const p of spec.positionals ?? []) rows.push([p.name, p.help]);
  for (const o of spec.options) {
    const left = `${o.short ? `-${o.short}, ` : ''}--${o.name}${o.kind === 'switch' ? '' : ' ' + placeholder(o)}`;
    const extra = [o.required ? 'required' : '', o.repeatable ? 'repeatable' : '', o.default !== undefined ? `default ${o.default}` : ''].filter(
      (s) => s !== '',
    );
    rows.push([left, `${o.help}${extra.length ? ` (${extra.join('; ')})` : ''}`]);
  }
  const w = Math.min(30, Math.max(...rows.map(([l]) => l.length)) + 2);
  if (spec.positionals?.length) {
    lines.push('', 'arguments:');
    for (const [l, h] of rows.slice(0, spec.positionals.length)) lines.push(...wrap(`  ${l.padEnd(w)} `, h, w + 3));
  }
  lines.push('', 'options:');
  for (const [l, h] of rows.slice(spec.positionals?.length ?? 0)) lines.push(...wrap(`  ${l.length >= w ? l + ' ' : l.padEnd(w) + ' '}`, h, w + 3));
  if (spec.epilog) lines.push('', spec.epilog);
  lines.push('', `grokgroups ${packageVersion()} (grokgroups --version); all commands: grokgroups --help; docs: README.md, docs/*.md`);
  return lines.join('\n');
}

/** Parses a command's arguments; with --help prints its help and returns null (the command then exits 0). */
export function parseOrHelp(spec: CommandSpec, args: string[]): ParsedArgs | null {
  const p = parseCommand(spec, args);
  if (!p.help) return p;
  console.log(commandHelp(spec));
  return null;
}

/**
 * The one positional argument of a command that needs exactly one: none → "<command> needs <what>, such as
 * `<example>`", more → "<command> takes one <noun>, got 2: ...".
 */
export function onePositional(spec: CommandSpec, p: ParsedArgs, what: { needs: string; one: string; example: string }): string {
  const ps = p.positionals;
  if (ps.length === 1) return ps[0]!;
  if (ps.length === 0) throw new UsageError(`${spec.name} needs ${what.needs}, such as \`${what.example}\``);
  throw new UsageError(`${spec.name} takes one ${what.one}, got ${ps.length}: ${ps.map((x) => `"${x}"`).join(', ')}`);
}

/** Refuses positional arguments beyond `max` (and fewer than `min`), naming what the command takes. */
export function checkPositionals(spec: CommandSpec, p: ParsedArgs, min: number, max: number, what: string): void {
  const n = p.positionals.length;
  if (n >= min && n <= max) return;
  const got = n === 0 ? 'none' : p.positionals.map((x) => `"${x}"`).join(' ');
  if (max === 0) throw new UsageError(`${spec.name} takes no positional arguments, got ${got}`);
  throw new UsageError(`${spec.name} takes ${what}, got ${got}`);
}
