/**
 * Progress measures of one checkpoint on the GPU (src/measures/webgpu-measurer.ts) against the CPU measurer
 * (modelView + createMeasurer, one core): S4 and S5 MLP checkpoints (d_e 256, h 128, frac 0.4, random init)
 * and transformer checkpoints (its init) and, on a real GPU, S6 ones (N = 720, where the CPU path builds a
 * 3 GB float64 view for the MLP, three times that for the transformer, and takes minutes; pass "cpu" to time
 * it too). On SwiftShader (CPU) the numbers are a smoke test only: the S4 and S5 MLP, the S4 transformer.
 * Prints the first call (pipeline compilation) apart from the minimum over repeats, and the largest
 * difference between the two rows. Usage: VK_ICD_FILENAMES=... node dist/bench/gpu/webgpu-measures.bench.js [cpu]
 */
import { openGpu } from '../../src/gpu/device.js';
import { createGpuMeasurer } from '../../src/measures/webgpu-measurer.js';
import type { Group } from '../../src/groups/group.js';
import { parseGroup } from '../../src/groups/parse.js';
import type { MetricsRow } from '../../src/measures/columns.js';
import { createMeasurer } from '../../src/measures/fast.js';
import { modelView } from '../../src/measures/model-view.js';
import { initParams, paramSpecs } from '../../src/models/init.js';
import { initTransformerParams } from '../../src/models/transformer-spec.js';
import { irreps } from '../../src/reps/irreps.js';
import { splitData } from '../../src/train/split.js';

const ctx = await openGpu();
console.log(`adapter: ${ctx.adapterName}`);
const cpuAdapter = /swiftshader/i.test(ctx.adapterName);
if (cpuAdapter) console.log('SwiftShader (CPU) adapter: smoke numbers only (S4 and S5 MLP, S4 transformer)');
const withCpu = (name: string) => name !== 'S6' || process.argv.includes('cpu');

function maxDiff(cpu: MetricsRow, gpu: MetricsRow): { abs: number; rel: number; col: string } {
  let worst = { abs: 0, rel: 0, col: '' };
  for (const k of Object.keys(cpu)) {
    const abs = Math.abs(cpu[k]! - gpu[k]!);
    const rel = abs / Math.max(1e-12, Math.abs(cpu[k]!));
    if (abs / (1e-5 + 1e-4 * Math.abs(cpu[k]!)) > worst.abs / (1e-5 + 1e-4 * Math.abs(cpu[worst.col] ?? 0))) worst = { abs, rel, col: k };
  }
  return worst;
}

async function bench(G: Group, kind: 'mlp' | 'transformer', repeats: number): Promise<void> {
  const N = G.order;
  const t0 = performance.now();
  const irr = irreps(G);
  const { train, test } = splitData(N, 0.4, 2);
  const params = kind === 'mlp' ? initParams(paramSpecs({ kind: 'mlp', embedDim: 256, hiddenDim: 128 }, N), 1) : initTransformerParams(N, 1);
  const K = irr
    .filter((r) => r.name !== 'trivial')
    .slice(0, 2)
    .map((r) => r.name);
  const m = createGpuMeasurer(ctx, G, irr, kind, train, test);
  const setup = performance.now() - t0;
  let t = performance.now();
  let gpu = await m.measure(params, K);
  const first = performance.now() - t;
  let best = Infinity;
  for (let i = 0; i < repeats; i++) {
    t = performance.now();
    gpu = await m.measure(params, K);
    best = Math.min(best, performance.now() - t);
  }
  m.dispose();
  const model = kind === 'mlp' ? `MLP (N ${N}, d_e 256, h 128)` : `transformer (N ${N})`;
  let line = `${G.name} ${model} webgpu measures: ${best.toFixed(1)} ms (first call ${first.toFixed(0)} ms; irreps + setup ${setup.toFixed(0)} ms)`;
  if (withCpu(G.name)) {
    const cpuM = createMeasurer(G, irr, train, test);
    let cbest = Infinity;
    let cpu: MetricsRow = {};
    for (let i = 0; i < Math.max(1, Math.min(repeats, 3)); i++) {
      t = performance.now();
      cpu = cpuM.measure(modelView(kind, params, N), K);
      cbest = Math.min(cbest, performance.now() - t);
    }
    const d = maxDiff(cpu, gpu);
    line += `; cpu view + measures ${cbest.toFixed(1)} ms (${(cbest / best).toFixed(1)}x); largest difference ${d.abs.toExponential(2)} (relative ${d.rel.toExponential(2)}) in ${d.col}`;
  }
  console.log(line);
}

await bench(parseGroup('S4'), 'mlp', 3);
await bench(parseGroup('S5'), 'mlp', cpuAdapter ? 2 : 5);
if (!cpuAdapter) await bench(parseGroup('S6'), 'mlp', 3);
await bench(parseGroup('S4'), 'transformer', cpuAdapter ? 1 : 3);
if (!cpuAdapter) await bench(parseGroup('S5'), 'transformer', 3);
if (!cpuAdapter) await bench(parseGroup('S6'), 'transformer', 2);
ctx.device.destroy();
