/**
 * The transformer's full-batch training step on S5 (frac_train 0.6: 8640 train rows), ours ('wasm' backend)
 * against the same model and AdamW written plainly in PyTorch (bench/train/torch_transformer_step.py) in the
 * thread settings of bench/train/torch-settings.ts, in the same run: ours on 1 thread and on 2 (or GG_THREADS)
 * threads; the speed-ups are against PyTorch's fastest setting.
 */
import { groupFromPermutations } from '../../src/groups/permutation.js';
import { createTransformerTrainer } from '../../src/train/transformer-trainer.js';
import { DEFAULT_OPTIM } from '../../src/train/adamw.js';
import { splitData } from '../../src/train/split.js';
import { runTorch, settingName, TORCH_MISSING, torchSettings } from './torch-settings.js';

const S5 = groupFromPermutations('S5', [Int32Array.from([1, 2, 3, 4, 0]), Int32Array.from([1, 0, 2, 3, 4])]);
const { train, test } = splitData(S5.order, 0.6, 1);
const warmup = 3,
  steps = 20;

async function measure(threads: number): Promise<number> {
  const trainer = await createTransformerTrainer({
    group: S5,
    model: { kind: 'transformer', embedDim: 0, hiddenDim: 0 },
    optim: DEFAULT_OPTIM,
    seed: 1,
    train,
    test,
    threads,
  });
  for (let i = 0; i < warmup; i++) trainer.step();
  const times: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    trainer.step();
    times.push(performance.now() - t0);
  }
  await trainer.dispose();
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  console.log(
    `ours (wasm, ${threads} thread${threads > 1 ? 's' : ''}): ${median.toFixed(1)} ms/step (median of ${steps}, min ${times[0]!.toFixed(1)}) on S5, ${train.length} train rows`,
  );
  return median;
}
const ours1 = await measure(1);
const oursN = await measure(Number(process.env.GG_THREADS ?? 2));

// PyTorch, plain, in each thread setting.
let best: [number, string] | null = null;
let why = '';
for (const setting of torchSettings(Number(process.env.GG_THREADS ?? 2))) {
  const r = runTorch('torch_transformer_step.py', [String(train.length), String(steps)], setting);
  const m = /torch_ms_per_step=([\d.]+)/.exec(r.stdout ?? '');
  if (!m) {
    why ||= r.why;
    continue;
  }
  const ms = Number(m[1]);
  console.log(`PyTorch (${settingName(setting)}, plain model): ${ms.toFixed(1)} ms/step`);
  if (!best || ms < best[0]) best = [ms, settingName(setting)];
}
if (!best) console.log(`PyTorch: not measured (${why || TORCH_MISSING})`);
else
  console.log(
    `speed-up vs PyTorch's fastest (${best[1]}): ${(best[0] / ours1).toFixed(2)}x on 1 thread, ` +
      `${(best[0] / oursN).toFixed(2)}x on ${process.env.GG_THREADS ?? 2}`,
  );
