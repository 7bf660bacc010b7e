/**
 * `grokgroups eval RUN`: every progress measure of a run from its saved checkpoints and final model
 * (src/runs/eval-run.ts): metrics.csv, summary_metrics.json, key_reps.txt, key_reps_in_order.txt, irreps.txt.
 */
import { existsSync, statSync } from 'node:fs';
import { evalRun, KEY_THRESHOLD, ORDER_THRESHOLD } from '../../runs/eval-run.js';
import { CHECKPOINT_UNIT, Progress } from '../../runs/progress.js';
import { UsageError } from '../../util/errors.js';
import { numberOption, parseCommandArgs } from '../parse-options.js';

export const summary = 'compute every progress measure of a run from its checkpoints: metrics.csv, summary_metrics.json, key_reps.txt';

const HELP = `usage: grokgroups eval RUN [--final] [--key-threshold X] [--order-threshold X]

Measures a run folder written by \`grokgroups train\` (any --measures) as the original's eval.py did:
the key irreps K are the non-trivial irreps whose logit trace similarity on the final model
(model.safetensors) is above --key-threshold; every checkpoint (checkpoints/epoch_<e>.safetensors) is
then measured with K for the totals. Writes metrics.csv (one row a checkpoint, the original's columns),
summary_metrics.json (the final model), key_reps.txt, key_reps_in_order.txt and irreps.txt, replacing
those files. \`train --measures full\` ends with the same pass. See docs/measures.md.

options:
  --final                only the final model: summary_metrics.json and the key-irrep files (metrics.csv kept)
  --key-threshold X      similarity above which an irrep is key (default ${KEY_THRESHOLD})
  --order-threshold X    similarity at which a key irrep counts as learned, for key_reps_in_order.txt (default ${ORDER_THRESHOLD})
  --help                 show this help`;

const OPTIONS = {
  final: { type: 'boolean' },
  'key-threshold': { type: 'string' },
  'order-threshold': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export interface EvalPlan {
  dir: string;
  final: boolean;
  keyThreshold: number;
  orderThreshold: number;
}

export function planEval(args: string[]): EvalPlan | { print: string } {
  const { values, positionals } = parseCommandArgs('eval', args, OPTIONS);
  if (values.help) return { print: HELP };
  if (positionals.length !== 1)
    throw new UsageError(
      positionals.length === 0
        ? 'eval needs a run folder, such as `grokgroups eval runs/S5_MLP_seed2`'
        : `eval takes one run folder, got ${positionals.length}: ${positionals.map((p) => `"${p}"`).join(', ')}`,
    );
  const sim = (flag: string, v: string | undefined, def: number) =>
    v === undefined ? def : numberOption(flag, v, (x) => x >= -1 && x <= 1, 'a similarity -1 <= X <= 1');
  const dir = positionals[0]!;
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`run folder "${dir}" does not exist`);
  return {
    dir,
    final: values.final === true,
    keyThreshold: sim('key-threshold', values['key-threshold'], KEY_THRESHOLD),
    orderThreshold: sim('order-threshold', values['order-threshold'], ORDER_THRESHOLD),
  };
}

export async function run(args: string[]): Promise<number> {
  const p = planEval(args);
  if ('print' in p) {
    console.log(p.print);
    return 0;
  }
  const err = process.stderr;
  let progress: Progress | null = null;
  const t0 = Date.now();
  const res = evalRun({
    ...p,
    onEvent: (e) => {
      if (e.type === 'start') {
        err.write(`${p.dir}: key irreps ${e.keyReps.join(', ') || '(none)'}; measuring ${e.checkpoints} checkpoints\n`);
        if (e.checkpoints > 0) progress = new Progress(err, e.checkpoints, 0, undefined, undefined, CHECKPOINT_UNIT);
      } else if (e.type === 'checkpoint') progress?.tick(e.index);
      else progress?.finish();
    },
  });
  const s = res.summary;
  const f = (k: string) => (s[k] === undefined ? 'n/a' : Number(s[k]).toPrecision(4));
  console.log(
    [
      `${p.dir}: ${res.rows.length} checkpoints measured in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
      `  key irreps in learning order: ${res.keyRepsInOrder.join(', ') || '(none)'}`,
      `  percent_logits_explained ${f('percent_logits_explained')}, x/y embed ${f('percent_x_embed_explained')}/${f('percent_y_embed_explained')}, ` +
        `unembed ${f('percent_unembed_explained')}, hidden ${f('percent_hidden_explained')} (ρ(ab) ${f('percent_hidden_xy_explained')})`,
      `  restricted loss ${f('total_hidden_restricted_loss')}, excluded loss ${f('total_hidden_excluded_loss')}, test loss ${f('test_loss')}`,
    ].join('\n'),
  );
  return 0;
}
