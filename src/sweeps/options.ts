/**
 * Command-line options of the sweep, worker and report commands: `--flag VALUE`, `--flag=VALUE`, bare
 * `--switch`, and positional arguments. Unknown options and missing values are UsageErrors naming them.
 */
import { UsageError } from '../util/errors.js';

export interface OptionSpec {
  flag: string;
  /** The value's placeholder; absent for a switch. */
  arg?: string;
  help: string;
}

export interface ParsedOptions {
  values: Map<string, string>;
  flags: Set<string>;
  positional: string[];
}

export function parseOptions(args: string[], specs: readonly OptionSpec[]): ParsedOptions {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-h') {
      flags.add('--help');
      continue;
    }
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const flag = eq > 0 ? a.slice(0, eq) : a;
    const spec = specs.find((s) => s.flag === flag);
    if (!spec) throw new UsageError(`unknown option "${a}": expected one of ${specs.map((s) => s.flag).join(', ')}`);
    if (!spec.arg) {
      if (eq > 0) throw new UsageError(`option ${flag} takes no value, got "${a}"`);
      flags.add(flag);
      continue;
    }
    const v = eq > 0 ? a.slice(eq + 1) : args[++i];
    if (v === undefined || (eq < 0 && v.startsWith('--'))) throw new UsageError(`option ${flag} needs a value ${spec.arg}`);
    values.set(flag, v);
  }
  return { values, flags, positional };
}

export function optionsHelp(specs: readonly OptionSpec[]): string[] {
  return specs.map((s) => `  ${`${s.flag}${s.arg ? ' ' + s.arg : ''}`.padEnd(28)} ${s.help}`);
}

/** An integer option in [lo, hi]. */
export function intOption(flag: string, v: string, lo: number, hi: number): number {
  const x = Number(v);
  if (!/^\s*\d+\s*$/.test(v) || !Number.isSafeInteger(x) || x < lo || x > hi) throw new UsageError(`${flag} "${v}": expected an integer from ${lo} to ${hi}`);
  return x;
}
