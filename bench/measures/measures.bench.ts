/**
 * Progress measures for one checkpoint, one core: S5 MLP (d_e 256, h 128, frac 0.4) at a random init —
 * modelView (building the float64 view from float32 parameters), the fast measures (src/measures/fast.ts),
 * the direct formulas (src/measures/reference.ts, once, when that module is present) and the ratio; then
 * the S5 transformer (frac 0.6) view + measures. Targets (issue #3): fast measures < 100 ms and ≥ 20×
 * faster than the direct formulas. Times are the minimum over repeats (the machine is shared; the minimum
 * is the least disturbed run), with process CPU time of that run beside it.
 */
import { parseGroup } from '../../src/groups/parse.js';
import { createMeasurer } from '../../src/measures/fast.js';
import { modelView, type ModelView } from '../../src/measures/model-view.js';
import { initParams, paramSpecs } from '../../src/models/init.js';
import { initTransformerParams } from '../../src/models/transformer.js';
import { irreps } from '../../src/reps/irreps.js';
import { splitData } from '../../src/train/split.js';
import type { NamedTensor } from '../../src/train/types.js';

type Reference = (inp: { group: unknown; irreps: unknown; view: ModelView; train: Int32Array; test: Int32Array; keyReps: readonly string[] }) => Record<string, number>;
let referenceMeasures: Reference | undefined;
try {
  // resolved at run time so that this benchmark builds before src/measures/reference.ts exists
  const mod = (await import(new URL('../../src/measures/reference.js', import.meta.url).href)) as { referenceMeasures?: Reference };
  referenceMeasures = mod.referenceMeasures;
} catch {
  referenceMeasures = undefined;
}

function timeMin<T>(runs: number, f: () => T): { ms: number; cpu: number; value: T } {
  let best = { ms: Infinity, cpu: 0, value: undefined as T };
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const value = f();
    const ms = performance.now() - t0;
    const c = process.cpuUsage(c0);
    if (ms < best.ms) best = { ms, cpu: (c.user + c.system) / 1000, value };
  }
  return best;
}

const fmt = (t: { ms: number; cpu: number }) => `${t.ms.toFixed(1).padStart(8)} ms (cpu ${t.cpu.toFixed(1)})`;

const G = parseGroup('S5');
const irr = irreps(G);
const N = G.order;
const K = irr.filter((r) => r.name !== 'trivial').slice(0, 2).map((r) => r.name);

function bench(label: string, params: NamedTensor[], kind: 'mlp' | 'transformer', frac: number, runs: number, withReference: boolean): void {
  const { train, test } = splitData(N, frac, 2);
  const setup = timeMin(1, () => createMeasurer(G, irr, train, test));
  const measurer = setup.value;
  const view = timeMin(runs, () => modelView(kind, params, N));
  measurer.measure(view.value, K); // warm-up (JIT tiers)
  const fast = timeMin(runs * 2, () => measurer.measure(view.value, K));
  console.log(`${label}: createMeasurer (once per run) ${fmt(setup)}`);
  console.log(`${label}: modelView               ${fmt(view)}`);
  console.log(`${label}: fast measures           ${fmt(fast)}  target < 100 ms ${fast.ms < 100 ? 'OK' : 'SLOW'}`);
  console.log(`${label}: view + fast measures    ${(view.ms + fast.ms).toFixed(1).padStart(8)} ms`);
  if (!withReference) return;
  if (!referenceMeasures) {
    console.log(`${label}: reference: src/measures/reference.ts is not on this branch yet; skipped`);
    return;
  }
  const ref = timeMin(1, () => referenceMeasures!({ group: G, irreps: irr, view: view.value, train, test, keyReps: K }));
  let worst = 0;
  let worstKey = '';
  for (const [k, want] of Object.entries(ref.value)) {
    const err = Math.abs(fast.value[k]! - want) / Math.max(1, Math.abs(want));
    if (!(err <= worst)) [worst, worstKey] = [err, k];
  }
  const ratio = ref.ms / fast.ms;
  console.log(`${label}: reference (direct)      ${fmt(ref)}  fast is ${ratio.toFixed(0)}x faster, target >= 20x ${ratio >= 20 ? 'OK' : 'SLOW'}`);
  console.log(`${label}: max relative difference fast vs reference ${worst.toExponential(1)} (${worstKey})`);
}

console.log('progress measures, S5 (N = 120), one core, minimum over repeats; the machine may be shared (see cpu)');
bench('S5 MLP', initParams(paramSpecs({ kind: 'mlp', embedDim: 256, hiddenDim: 128 }, N), 1), 'mlp', 0.4, 5, true);
bench('S5 transformer', initTransformerParams(N, 1), 'transformer', 0.6, 3, false);
