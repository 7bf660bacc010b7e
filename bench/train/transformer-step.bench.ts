/**
 * The transformer's full-batch training step on S5 (frac_train 0.6: 8640 train rows), ours ('wasm' backend)
 * against the same model and AdamW written plainly in PyTorch (bench/train/torch_transformer_step.py,
 * torch.set_num_threads(1)), in the same run: ours on 1 thread and on 2 (or GG_THREADS) threads.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { groupFromPermutations } from '../../src/groups/permutation.js';
import { createTransformerTrainer } from '../../src/models/transformer.js';
import { DEFAULT_OPTIM } from '../../src/train/adamw.js';
import { splitData } from '../../src/train/split.js';

const S5 = groupFromPermutations('S5', [Int32Array.from([1, 2, 3, 4, 0]), Int32Array.from([1, 0, 2, 3, 4])]);
const { train, test } = splitData(S5.order, 0.6, 1);
const warmup = 3, steps = 20;

async function measure(threads: number): Promise<number> {
  const trainer = await createTransformerTrainer({
    group: S5, model: { kind: 'transformer', embedDim: 0, hiddenDim: 0 }, optim: DEFAULT_OPTIM, seed: 1, train, test, threads,
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
  console.log(`ours (wasm, ${threads} thread${threads > 1 ? 's' : ''}): ${median.toFixed(1)} ms/step (median of ${steps}, min ${times[0]!.toFixed(1)}) on S5, ${train.length} train rows`);
  return median;
}
const ours1 = await measure(1);
const oursN = await measure(Number(process.env.GG_THREADS ?? 2));

// PyTorch, plain, one thread.
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const script = join(root, 'bench', 'train', 'torch_transformer_step.py');
const python = '/usr/bin/python3';
const r = existsSync(python) ? spawnSync(python, [script, String(train.length), String(steps)], { encoding: 'utf8' }) : null;
const m = r?.status === 0 ? /torch_ms_per_step=([\d.]+)/.exec(r.stdout) : null;
if (!m) {
  console.log(`PyTorch: not measured (${python} with torch is missing: apt-get install -y python3-torch libopenblas0-pthread)${r?.stderr ? `\n${r.stderr.trim().split('\n').slice(-2).join('\n')}` : ''}`);
} else {
  const torchMs = Number(m[1]);
  console.log(`PyTorch (1 thread, plain model): ${torchMs.toFixed(1)} ms/step`);
  console.log(`speed-up: ${(torchMs / ours1).toFixed(2)}x on 1 thread, ${(torchMs / oursN).toFixed(2)}x on ${process.env.GG_THREADS ?? 2}`);
}
