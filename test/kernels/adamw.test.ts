import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nodePlatform } from '../../src/kernels/node-platform.js';
import { Rng } from '../../src/linalg/rng.js';
import { adamwScalars, adamwUpdate } from '../../src/train/adamw.js';

// Both kernels run AdamW through the one shared kernel (assembly/_common.ts `adamwRange`), each exporting it
// as `adamw`; both must agree bit for bit with the JS reference src/train/adamw.ts `adamwUpdate`.
const N = 1 << 17; // 131,072 values per seed
const PAGES = Math.ceil((4 * N * 4) / 65536) + 16;

type AdamwExport = (...args: number[]) => void;

async function kernel(name: 'mlp' | 'transformer') {
  const module = await nodePlatform.loadModule(name);
  const memory = new WebAssembly.Memory({ initial: PAGES, maximum: PAGES, shared: true });
  const k = new WebAssembly.Instance(module, { env: { memory, abort: () => {} } }).exports as Record<string, unknown>;
  const heapBase = (name === 'mlp' ? k.heap_base : k.heapBase) as () => number;
  return { adamw: k.adamw as AdamwExport, f32: new Float32Array(memory.buffer), base: Math.ceil(heapBase() / 64) * 64 };
}

/** Values spread over many binades, as gradients and second moments are in training (v >= 0, some exactly 0). */
function inputs(seed: number): Float32Array[] {
  const rng = new Rng(seed);
  const spread = (lo: number, hi: number) => rng.normal() * 10 ** (lo + (hi - lo) * rng.float());
  const p = Float32Array.from({ length: N }, () => spread(-3, 0.5));
  const g = Float32Array.from({ length: N }, (_, i) => (i % 97 === 0 ? 0 : spread(-7, 0)));
  const m = Float32Array.from({ length: N }, () => spread(-7, -1));
  const v = Float32Array.from({ length: N }, (_, i) => (i % 89 === 0 ? 0 : Math.abs(spread(-14, -1))));
  return [p, g, m, v];
}

function firstMismatch(a: Float32Array, b: Float32Array): string {
  let count = 0;
  let first = -1;
  for (let i = 0; i < a.length; i++) {
    if (!Object.is(a[i], b[i])) {
      count++;
      if (first < 0) first = i;
    }
  }
  return count === 0 ? '' : `${count} of ${a.length} differ, first at ${first}: ${a[first]} vs ${b[first]}`;
}

for (const name of ['mlp', 'transformer'] as const) {
  test(`${name} kernel adamw is bit-identical to src/train/adamw.ts on ${N} values, seeds 0..5, several steps`, async () => {
    const k = await kernel(name);
    const at = (i: number) => k.base + i * N * 4;
    const cfgs = [
      { lr: 1e-3, weightDecay: 1.0, betas: [0.9, 0.98] as [number, number], eps: 1e-8 }, // the paper's
      { lr: 0.01, weightDecay: 0.5, betas: [0.9, 0.999] as [number, number], eps: 1e-6 },
    ];
    for (let seed = 0; seed <= 5; seed++) {
      const cfg = cfgs[seed % 2]!;
      const js = inputs(seed);
      js.forEach((x, i) => k.f32.set(x, at(i) / 4));
      for (const step of [1, 7, 40000]) {
        const s = adamwScalars(cfg, step);
        // fresh gradients each step; parameters and moments carry over
        const g = inputs(1000 + seed * 10 + step)[1]!;
        js[1] = g;
        k.f32.set(g, at(1) / 4);
        k.adamw(at(0), at(1), at(2), at(3), 0, N, s.decay, s.beta1, s.oneMinusBeta1, s.beta2, s.oneMinusBeta2, s.negStepSize, s.bc2Sqrt, s.eps);
        adamwUpdate(js[0]!, g, js[2]!, js[3]!, s);
        for (const [i, what] of [
          [0, 'p'],
          [2, 'exp_avg'],
          [3, 'exp_avg_sq'],
        ] as const) {
          const diff = firstMismatch(k.f32.subarray(at(i) / 4, at(i) / 4 + N), js[i]!);
          assert.equal(diff, '', `${name} seed ${seed} step ${step} ${what}: ${diff}`);
        }
      }
    }
  });
}
