/**
 * A plain long training loop of the S5 MLP (d_e 256, h 128, frac 0.4, 'wasm', 2 threads), run as its own
 * process by mlp-step.bench.ts; prints `steps=<n> peak_rss_mb=<MB> final_loss=<loss>`.
 * Usage: node dist/bench/train/mlp-rss.js [steps] [threads]
 */
import { groupFromPermutations } from '../../src/groups/permutation.js';
import { createTrainer } from '../../src/train/create-trainer.js';
import { DEFAULT_OPTIM } from '../../src/train/adamw.js';
import { splitData } from '../../src/train/split.js';

const steps = Number(process.argv[2] ?? 1000);
const threads = Number(process.argv[3] ?? 2);
const S5 = groupFromPermutations('S5', [Int32Array.from([1, 2, 3, 4, 0]), Int32Array.from([1, 0, 2, 3, 4])]);
const { train, test } = splitData(S5.order, 0.4, 1);
const t = await createTrainer({
  group: S5,
  model: { kind: 'mlp', embedDim: 256, hiddenDim: 128 },
  optim: DEFAULT_OPTIM,
  seed: 1,
  train,
  test,
  threads,
});
let loss = NaN;
for (let i = 0; i < steps; i++) {
  loss = t.step();
  if (i % 100 === 0) t.evaluate();
}
await t.dispose();
console.log(`steps=${steps} peak_rss_mb=${(process.resourceUsage().maxRSS / 1024).toFixed(1)} final_loss=${loss}`);
