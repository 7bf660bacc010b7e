/**
 * Real irreps from the table: genericRealIrreps on S5, S6 and groups of order 576–1008 given by
 * permutation generators, one core (no workers), median of a few runs after warm-up runs, against the
 * targets (S5 < 50 ms, S6 < 1 s, order ~1000 < 10 s). Also times `irreps(G)` (src/reps/irreps.ts, the
 * family dispatcher) when that module is present, and checks every result with checkIrreps.
 * Times include the conjugacy classes (memoised per group, so a fresh group is built for each run).
 * "cpu" is the median process CPU time per run, less sensitive to a busy machine than
 * wall time (it includes the garbage collector's threads).
 */
import {
  alternatingGroup,
  directProduct,
  cyclicGroup,
  dihedralGroup,
  permGroup,
  quaternionGroup,
  symmetricGroup,
} from '../../src/groups/families.js';
import type { Group } from '../../src/groups/group.js';
import { Rng } from '../../src/linalg/rng.js';
import { checkIrreps } from '../../src/reps/check.js';
import { genericRealIrreps } from '../../src/reps/generic.js';
import type { Irrep } from '../../src/reps/irrep.js';

const cases: { label: string; make: () => Group; targetMs: number }[] = [
  { label: 'S5', make: () => symmetricGroup(5), targetMs: 50 },
  { label: 'S6', make: () => symmetricGroup(6), targetMs: 1000 },
  { label: 'PSL(2,7)xC6', make: () => directProduct([permGroup('perm:(1,2,3,4,5,6,7);(1,2)(3,6)'), cyclicGroup(6)]), targetMs: 10000 },
  { label: 'perm:(1,...,9);(1,2,4,8,7,5)', make: () => permGroup('perm:(1,2,3,4,5,6,7,8,9);(1,2,4,8,7,5)'), targetMs: 10000 },
  { label: 'S4xS4 (perm)', make: () => permGroup('perm:(1,2,3,4);(1,2);(5,6,7,8);(5,6)'), targetMs: 10000 },
];

// family constructions only irreps(G) has (Young's form, restriction, products, formulas)
const familyCases: { label: string; make: () => Group; targetMs: number }[] = [
  { label: 'A5', make: () => alternatingGroup(5), targetMs: 50 },
  { label: 'A6', make: () => alternatingGroup(6), targetMs: 1000 },
  { label: 'A7', make: () => alternatingGroup(7), targetMs: 2000 },
  { label: 'S7', make: () => symmetricGroup(7), targetMs: 2000 },
  { label: 'D59', make: () => dihedralGroup(59), targetMs: 50 },
  { label: 'C4xQ8', make: () => directProduct([cyclicGroup(4), quaternionGroup()]), targetMs: 50 },
  { label: 'C3xS5', make: () => directProduct([cyclicGroup(3), symmetricGroup(5)]), targetMs: 200 },
];

let irrepsFn: ((G: Group) => Irrep[]) | undefined;
try {
  // resolved at run time so that this benchmark builds before src/reps/irreps.ts exists
  const mod = (await import(new URL('../../src/reps/irreps.js', import.meta.url).href)) as { irreps?: (G: Group) => Irrep[] };
  irrepsFn = mod.irreps;
} catch {
  irrepsFn = undefined;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time(label: string, make: () => Group, run: (G: Group) => Irrep[], targetMs: number, runs: number): void {
  const times: number[] = [];
  const cpu: number[] = [];
  let last: { G: Group; irr: Irrep[] } | undefined;
  for (let i = 0; i < (targetMs > 1000 ? 1 : 3); i++) run(make()); // warm-up (JIT tiers), not timed
  for (let i = 0; i < runs; i++) {
    const G = make(); // fresh group: nothing memoised
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const irr = run(G);
    times.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    last = { G, irr };
  }
  const report = checkIrreps(last!.G, last!.irr);
  const ms = median(times);
  console.log(
    `${label.padEnd(34)} N=${String(last!.G.order).padStart(4)}  ${String(last!.irr.length).padStart(2)} irreps  ` +
      `${ms.toFixed(1).padStart(8)} ms (median of ${runs}, min ${Math.min(...times).toFixed(1)}, cpu ${median(cpu).toFixed(1)})  target < ${targetMs} ms ` +
      `${ms < targetMs ? 'OK' : 'SLOW'}  max error ${report.maxError.toExponential(1)}${report.ok() ? '' : ' FAILED CHECKS'}`,
  );
}

console.log('genericRealIrreps (one core):');
for (const c of cases) time(c.label, c.make, (G) => genericRealIrreps(G, new Rng(0)), c.targetMs, c.targetMs > 1000 ? 3 : 7);
if (irrepsFn) {
  console.log('irreps(G) (src/reps/irreps.ts; memoised per group, so each run builds a fresh group):');
  for (const c of cases) time(c.label, c.make, irrepsFn, c.targetMs, 3);
  for (const c of familyCases) time(c.label, c.make, irrepsFn, c.targetMs, 3);
} else console.log('irreps(G): src/reps/irreps.ts is not on this branch yet; skipped');
