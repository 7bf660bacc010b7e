/**
 * WebGPU trainer step time: the S5 MLP (d_e 256, h 128, frac 0.4) with 1 and with 50 seeds batched, and the
 * S5 transformer (the paper's: frac 0.6) with 1 and 10 seeds, on whatever adapter the machine gives
 * (VK_ICD_FILENAMES picks the Vulkan driver; docs/gpu.md). On SwiftShader (CPU) the numbers are a smoke
 * test only. Usage: node dist/bench/gpu/webgpu-step.bench.js [steps] [MLP seeds,...] [transformer seeds,...]
 */
import { groupFromPermutations } from '../../src/groups/permutation.js';
import { createWebGpuTrainer } from '../../src/train/webgpu-trainer.js';
import { DEFAULT_OPTIM } from '../../src/train/adamw.js';
import { splitData } from '../../src/train/split.js';

const S5 = groupFromPermutations('S5', [Int32Array.from([1, 2, 3, 4, 0]), Int32Array.from([1, 0, 2, 3, 4])]);
const members = (S: number, frac: number) => Array.from({ length: S }, (_, seed) => ({ seed, ...splitData(S5.order, frac, seed) }));
const MODELS = {
  MLP: { model: { kind: 'mlp', embedDim: 256, hiddenDim: 128 }, frac: 0.4 },
  transformer: { model: { kind: 'transformer', embedDim: 1, hiddenDim: 1 }, frac: 0.6 },
} as const;
const make = (S: number, which: keyof typeof MODELS = 'MLP') =>
  createWebGpuTrainer({
    group: S5,
    model: MODELS[which].model,
    optim: DEFAULT_OPTIM,
    threads: 1,
    backend: 'webgpu',
    members: members(S, MODELS[which].frac),
  });
const probe = await make(1);
const adapter = probe.adapter ?? 'unknown adapter';
await probe.dispose();
console.log(`adapter: ${adapter}`);
// SwiftShader runs the shaders on the CPU: without arguments, a short smoke run (1 step; 1 and 4 seeds).
const cpu = /swiftshader/i.test(adapter);
if (cpu && process.argv.length <= 2)
  console.log(
    'SwiftShader (CPU) adapter: smoke numbers only, 1 step with 1 and 4 seeds, the transformer with 1 (pass "3 1,50 1,10" for the full run)',
  );
const steps = Number(process.argv[2] ?? (cpu ? 1 : 3));
const counts = (process.argv[3] ?? (cpu ? '1,4' : '1,50')).split(',').map(Number);
const tCounts = (process.argv[4] ?? (cpu ? '1' : '1,10')).split(',').map(Number);
for (const [which, list] of [
  ['MLP', counts],
  ['transformer', tCounts],
] as const)
  for (const S of list) {
    const t = await make(S, which);
    await t.run(1); // warm-up: pipeline compilation
    const t0 = performance.now();
    const losses = await t.run(steps);
    const ms = (performance.now() - t0) / steps;
    console.log(
      `S5 ${which} webgpu, ${S} seed(s): ${ms.toFixed(1)} ms/step, ${(ms / S).toFixed(2)} ms per seed-step (${steps} steps, last loss ${losses[losses.length - 1]!.toFixed(4)})`,
    );
    await t.dispose();
  }
