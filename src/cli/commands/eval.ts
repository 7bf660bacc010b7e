/**
 * `grokgroups eval RUN`: every progress measure of a run from its saved checkpoints and final model
 * (src/runs/eval-run.ts): metrics.csv, summary_metrics.json, key_reps.txt, key_reps_in_order.txt, irreps.txt.
 */
import { existsSync, statSync } from 'node:fs';
import { evalRun, KEY_THRESHOLD, ORDER_THRESHOLD } from '../../runs/eval-run.js';
import { CHECKPOINT_UNIT, Progress } from '../../runs/progress.js';
import type { Backend } from '../../types/trainer.js';
import { UsageError } from '../../util/errors.js';
import { commandHelp, HELP_OPTION, onePositional, parseCommand, type CommandSpec } from '../options.js';

const SIMILARITY = { kind: 'number', arg: 'X', accept: (x: number) => x >= -1 && x <= 1, expected: 'a similarity -1 <= X <= 1' } as const;

const BACKENDS: readonly Backend[] = ['wasm', 'js', 'webgpu'];

const SPEC: CommandSpec = {
  name: 'eval',
  usage: ['RUN [--final] [--key-threshold X] [--order-threshold X] [--backend wasm|js|webgpu]'],
  description: `Measures a run folder written by \`grokgroups train\` (any --measures) as the original's eval.py did:
the key irreps K are the non-trivial irreps whose logit trace similarity on the final model
(model.safetensors) is above --key-threshold; every checkpoint (checkpoints/epoch_<e>.safetensors) is
then measured with K for the totals. Writes metrics.csv (one row a checkpoint, the original's columns),
summary_metrics.json (the final model), key_reps.txt, key_reps_in_order.txt and irreps.txt, replacing
those files. \`train --measures full\` ends with the same pass. See docs/measures.md; --backend webgpu
computes the measures on the GPU in float32, for every model (docs/gpu.md).`,
  positionals: [{ name: 'RUN', help: 'a run folder' }],
  options: [
    { name: 'final', kind: 'switch', help: 'only the final model: summary_metrics.json and the key-irrep files (metrics.csv kept)' },
    { name: 'key-threshold', ...SIMILARITY, help: 'similarity above which an irrep is key', default: KEY_THRESHOLD },
    {
      name: 'order-threshold',
      ...SIMILARITY,
      help: 'similarity at which a key irrep counts as learned, for key_reps_in_order.txt',
      default: ORDER_THRESHOLD,
    },
    {
      name: 'backend',
      kind: 'choice',
      choices: BACKENDS,
      default: 'wasm',
      help: 'where the measures run: wasm or js (the CPU measurer, float64) or webgpu (the GPU measurer, float32, every model)',
    },
    HELP_OPTION,
  ],
};

export interface EvalPlan {
  dir: string;
  final: boolean;
  keyThreshold: number;
  orderThreshold: number;
  backend: Backend;
}

export function planEval(args: string[]): EvalPlan | { print: string } {
  const p = parseCommand(SPEC, args);
  if (p.help) return { print: commandHelp(SPEC) };
  const dir = onePositional(SPEC, p, { needs: 'a run folder', one: 'run folder', example: 'grokgroups eval runs/S5_MLP_seed2' });
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`run folder "${dir}" does not exist`);
  return {
    dir,
    final: p.switch('final'),
    keyThreshold: p.number('key-threshold') ?? KEY_THRESHOLD,
    orderThreshold: p.number('order-threshold') ?? ORDER_THRESHOLD,
    backend: (p.string('backend') ?? 'wasm') as Backend,
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
  const res = await evalRun({
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
