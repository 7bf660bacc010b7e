/**
 * WebGPU trainer step time: the S5 MLP (d_e 256, h 128, frac 0.4) with 1 and with 50 seeds batched, and the
 * S5 transformer (the paper's: frac 0.6) with 1 and 10 seeds, on whatever adapter the machine gives
 * (VK_ICD_FILENAMES picks the Vulkan driver; docs/gpu.md). On SwiftShader (CPU) the numbers are a smoke
 * test only. Usage: node dist/bench/gpu/webgpu-step.bench.js [steps] [MLP seeds,...] [transformer seeds,...] [group]
 * A seed list "-" runs none of that model; group (default S5) is any name --group takes (S6, A5, ...).
 * On a real GPU each configuration is timed in 3 rounds of `steps` steps (median; one readback per round).
 */
import { parseGroup } from '../../src/groups/parse.js';
import { groupFromPermutations } from '../../src/groups/permutation.js';
import { createWebGpuTrainer } from '../../src/train/webgpu-trainer.js';
import { DEFAULT_OPTIM } from '../../src/train/adamw.js';
import { splitData } from '../../src/train/split.js';

const groupName = process.argv[5] ?? 'S5';
const G =
  groupName === 'S5' ? groupFromPermutations('S5', [Int32Array.from([1, 2, 3, 4, 0]), Int32Array.from([1, 0, 2, 3, 4])]) : parseGroup(groupName);
const members = (S: number, frac: number) => Array.from({ length: S }, (_, seed) => ({ seed, ...splitData(G.order, frac, seed) }));
const MODELS = {
  MLP: { model: { kind: 'mlp', embedDim: 256, hiddenDim: 128 }, frac: 0.4 },
  transformer: { model: { kind: 'transformer', embedDim: 1, hiddenDim: 1 }, frac: 0.6 },
} as const;
const make = (S: number, which: keyof typeof MODELS = 'MLP') =>
  createWebGpuTrainer({
    group: G,
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
const list = (arg: string | undefined, dflt: string) => ((arg ?? dflt) === '-' ? [] : (arg ?? dflt).split(',').map(Number));
const counts = list(process.argv[3], cpu ? '1,4' : '1,50');
const tCounts = list(process.argv[4], cpu ? '1' : '1,10');
const rounds = cpu ? 1 : 3;
for (const [which, seedCounts] of [
  ['MLP', counts],
  ['transformer', tCounts],
] as const)
  for (const S of seedCounts) {
    const t = await make(S, which);
    await t.run(cpu ? 1 : 3); // warm-up: pipeline compilation
    const times: number[] = [];
    let losses: Float64Array = new Float64Array(0);
    for (let r = 0; r < rounds; r++) {
      const t0 = performance.now();
      losses = await t.run(steps);
      times.push((performance.now() - t0) / steps);
    }
    const ms = [...times].sort((x, y) => x - y)[Math.floor(times.length / 2)]!;
    console.log(
      `${G.name} ${which} webgpu, ${S} seed(s): ${ms.toFixed(2)} ms/step, ${(ms / S).toFixed(3)} ms per seed-step (${steps} steps` +
        `${rounds > 1 ? `, median of ${rounds} rounds: ${times.map((x) => x.toFixed(2)).join(' ')}` : ''}, last loss ${losses[losses.length - 1]!.toFixed(4)})`,
    );
    await t.dispose();
  }
