/**
 * node:util parseArgs for a subcommand, with its errors turned into one-line UsageErrors that name the
 * command and the option (unknown option, missing value), and number options read with their range.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../util/errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export function parseCommandArgs<O extends Options>(command: string, args: string[], options: O): ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>> {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    const err = e as Error & { code?: string };
    if (typeof err.code !== 'string' || !err.code.startsWith('ERR_PARSE_ARGS')) throw e;
    const opt = /'(-[^' ]*)/.exec(err.message)?.[1];
    if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION')
      throw new UsageError(`unknown option "${opt}" for ${command}: expected ${Object.keys(options).map((o) => '--' + o).join(', ')}`);
    if (/ambiguous|argument missing/.test(err.message))
      throw new UsageError(`option "${opt}" for ${command} needs a value (write ${opt}=VALUE for a value starting with "-")`);
    throw new UsageError(`${command}: ${err.message.split('\n')[0]}`);
  }
}

/** The number in option `--flag`'s value `v`, which must satisfy `ok` (described by `range`). */
export function numberOption(flag: string, v: string, ok: (x: number) => boolean, range: string): number {
  const x = v.trim() === '' ? NaN : Number(v);
  if (!Number.isFinite(x) || !ok(x)) throw new UsageError(`--${flag} "${v}": expected ${range}`);
  return x;
}
