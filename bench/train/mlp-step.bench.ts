/**
 * ms per full training step (forward, float64 loss, backward, AdamW) of the S5 MLP (d_e 256, h 128,
 * frac_train 0.4: 5760 train rows), ours ('wasm' backend, 1 and GG_THREADS threads) against PyTorch
 * (bench/train/torch_mlp_step.py: the original concatenate-then-multiply formulation and the factored one) in three
 * thread settings: torch and OpenBLAS on 1 thread, torch on 1 and OpenBLAS on GG_THREADS, both on GG_THREADS, in
 * the same run. The speed-ups are against PyTorch's fastest setting for each formulation. Then the peak RSS of a
 * plain long training loop (bench/train/mlp-rss.ts).
 * Ours is measured in interleaved rounds before and after PyTorch; medians are reported, since other
 * processes share the machine. Env: GG_THREADS (default 2), GG_RSS_STEPS (default 1000).
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { groupFromPermutations } from '../../src/groups/permutation.js';
import { createTrainer } from '../../src/train/create-trainer.js';
import { DEFAULT_OPTIM } from '../../src/train/adamw.js';
import { splitData } from '../../src/train/split.js';
import type { Trainer } from '../../src/types/trainer.js';
import { runTorch, settingName, TORCH_MISSING, torchSettings } from './torch-settings.js';

const S5 = groupFromPermutations('S5', [Int32Array.from([1, 2, 3, 4, 0]), Int32Array.from([1, 0, 2, 3, 4])]);
const { train, test } = splitData(S5.order, 0.4, 1);
const threadsN = Number(process.env.GG_THREADS ?? 2);
const stepsPerRound = 20;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const make = (threads: number) =>
  createTrainer({ group: S5, model: { kind: 'mlp', embedDim: 256, hiddenDim: 128 }, optim: DEFAULT_OPTIM, seed: 1, train, test, threads });
const trainers: [number, Trainer][] = [
  [1, await make(1)],
  [threadsN, await make(threadsN)],
];
const rounds = new Map<number, number[]>(trainers.map(([n]) => [n, []]));
const cpu1: number[] = []; // process CPU time per step on 1 thread: less sensitive to other processes
function measureRounds(n: number): void {
  for (let r = 0; r < n; r++)
    for (const [threads, t] of trainers) {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      for (let i = 0; i < stepsPerRound; i++) t.step();
      rounds.get(threads)!.push((performance.now() - t0) / stepsPerRound);
      const c = process.cpuUsage(c0);
      if (threads === 1) cpu1.push((c.user + c.system) / 1000 / stepsPerRound);
    }
}
for (const [, t] of trainers) for (let i = 0; i < 10; i++) t.step(); // warm-up (tier-up of the wasm code)
measureRounds(4);

/** PyTorch's median wall and CPU ms per step by formulation ('original', 'factored') in one thread setting. */
function torchRun(setting: [number, number]) {
  const { stdout, why } = runTorch('torch_mlp_step.py', ['0.4', '20', '5'], setting);
  const wall = new Map<string, number>();
  const cpu = new Map<string, number>();
  for (const m of (stdout ?? '').matchAll(/torch_(\w+?)_(cpu_)?ms_per_step=([\d.]+)/g)) (m[2] ? cpu : wall).set(m[1]!, Number(m[3]));
  return { wall, cpu, why };
}
const torchRuns = torchSettings(threadsN).map((s) => [settingName(s), torchRun(s)] as const);
measureRounds(4);
for (const [, t] of trainers) await t.dispose();

const ours1 = median(rounds.get(1)!);
const oursN = median(rounds.get(threadsN)!);
console.log(
  `ours (wasm, 1 thread): ${ours1.toFixed(2)} ms/step (median of ${rounds.get(1)!.length} rounds of ${stepsPerRound} steps; rounds ${rounds
    .get(1)!
    .map((x) => x.toFixed(1))
    .join(' ')})`,
);
console.log(`ours (wasm, 1 thread), CPU time: median ${median(cpu1).toFixed(2)}, min ${Math.min(...cpu1).toFixed(2)} ms/step`);
console.log(
  `ours (wasm, ${threadsN} threads): ${oursN.toFixed(2)} ms/step (rounds ${rounds
    .get(threadsN)!
    .map((x) => x.toFixed(1))
    .join(' ')})`,
);
const label = { original: 'original formulation (concatenate, then x W)', factored: 'factored ((W_x W_top)[a] + (W_y W_bottom)[b])' };
const best = new Map<string, [number, string]>(); // formulation -> [ms, setting]
for (const [setting, run] of torchRuns) {
  for (const name of ['original', 'factored'] as const) {
    const ms = run.wall.get(name);
    if (ms === undefined) continue;
    console.log(`PyTorch (${setting}), ${label[name]}: ${ms.toFixed(2)} ms/step (CPU time ${run.cpu.get(name)?.toFixed(2) ?? '?'} ms)`);
    if (!best.has(name) || ms < best.get(name)![0]) best.set(name, [ms, setting]);
  }
}
const orig = best.get('original');
const fact = best.get('factored');
if (!orig || !fact) {
  console.log(`PyTorch: not measured (${torchRuns.map(([, r]) => r.why).find((w) => w) ?? TORCH_MISSING})`);
} else {
  for (const [lab, ms] of [
    ['1 thread', ours1],
    [`${threadsN} threads`, oursN],
  ] as const)
    console.log(
      `speed-up, ours ${lab}: ${(orig[0] / ms).toFixed(2)}x vs PyTorch original (its fastest: ${orig[1]}), ` +
        `${(fact[0] / ms).toFixed(2)}x vs PyTorch factored (its fastest: ${fact[1]})`,
    );
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const rssSteps = process.env.GG_RSS_STEPS ?? '1000';
const rss = spawnSync(process.execPath, [join(root, 'dist', 'bench', 'train', 'mlp-rss.js'), rssSteps, String(threadsN)], { encoding: 'utf8' });
console.log(rss.status === 0 ? `long loop: ${rss.stdout.trim()} (target peak < 300 MB)` : `long loop failed: ${rss.stderr}`);
