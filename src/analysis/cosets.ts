/**
 * The coset view (Stander et al., REFERENCE §7.1): for each neuron, the subgroup H whose left cosets gH
 * its left input left(a) is most nearly constant on, and the subgroup K whose right cosets Kg its right
 * input right(b) is most nearly constant on (left/right: neuron-inputs.ts).
 *
 *   score(f, cosets) = 1 − Σ_x (f(x) − mean of f on x's coset)² / Σ_x (f(x) − mean f)²
 *
 * the share of f's variance explained by coset membership: 1 when f is constant on every coset. The
 * trivial subgroup always scores 1 and bigger subgroups have fewer, coarser cosets, so the neuron's
 * subgroup is the largest one scoring ≥ threshold (ties: the higher score). A constant (dead) input has
 * no variance and no subgroup. Subgroups are enumerated completely (src/groups/subgroups.ts) for groups
 * of order ≤ maxGroupOrder; larger groups are skipped.
 */
import { cosetLabels, subgroupLattice, type SubgroupInfo } from '../groups/subgroups.js';
import type { AnalysisInput } from './analysis-input.js';
import { neuronInputs } from './neuron-inputs.js';

export interface CosetOptions {
  /** A subgroup counts for a neuron when its coset score is at least this. */
  threshold: number;
  /** Enumerate subgroups only for groups up to this order. */
  maxGroupOrder: number;
}

export const COSET_DEFAULTS: CosetOptions = { threshold: 0.9, maxGroupOrder: 120 };

export interface SubgroupChoice {
  /** Index into `subgroups`. */
  subgroup: number;
  order: number;
  score: number;
}

export interface CosetView {
  /** Why the analysis did not run, when it did not. */
  skipped?: string;
  threshold: number;
  source: string;
  subgroups: (Omit<SubgroupInfo, 'elements' | 'generators'> & { index: number; generators: string[]; elements: number[] })[];
  classes: number[][];
  neurons: { neuron: number; left: SubgroupChoice | null; right: SubgroupChoice | null; conjugate: boolean | null }[];
  /** Neurons counted by (left subgroup's class, right subgroup's class), most frequent first. */
  pairs: { leftClass: number; rightClass: number; order: [number, number]; count: number }[];
}

/** 1 − within-coset variance / total variance of f[x·stride + offset]; NaN when f is constant. */
export function cosetScore(f: ArrayLike<number>, labels: Int32Array, cosets: number, stride = 1, offset = 0): number {
  const N = labels.length;
  const sum = new Float64Array(cosets);
  const cnt = new Float64Array(cosets);
  let mean = 0;
  for (let x = 0; x < N; x++) {
    const v = f[x * stride + offset]!;
    sum[labels[x]!]! += v;
    cnt[labels[x]!]!++;
    mean += v;
  }
  mean /= N;
  let total = 0;
  let within = 0;
  for (let x = 0; x < N; x++) {
    const v = f[x * stride + offset]!;
    total += (v - mean) ** 2;
    within += (v - sum[labels[x]!]! / cnt[labels[x]!]!) ** 2;
  }
  let ss = 0;
  for (let x = 0; x < N; x++) ss += f[x * stride + offset]! ** 2;
  if (!(total > 1e-20 * ss)) return NaN;
  return 1 - within / total;
}

export function cosetView(inp: AnalysisInput, opts: CosetOptions = COSET_DEFAULTS): CosetView {
  const G = inp.group;
  const N = G.order;
  const io = neuronInputs(inp.view);
  const { h } = inp.view;
  if (N > opts.maxGroupOrder)
    return {
      skipped: `${G.name} has order ${N} > ${opts.maxGroupOrder} (raise --coset-max-order to enumerate its subgroups)`,
      threshold: opts.threshold,
      source: io.source,
      subgroups: [],
      classes: [],
      neurons: [],
      pairs: [],
    };
  const lattice = subgroupLattice(G);
  const subs = lattice.subgroups;
  const left = subs.map((s) => cosetLabels(G, s.elements, 'left'));
  const right = subs.map((s) => cosetLabels(G, s.elements, 'right'));
  const choose = (f: Float64Array, n: number, labels: Int32Array[]): SubgroupChoice | null => {
    let best: SubgroupChoice | null = null;
    for (let i = 0; i < subs.length; i++) {
      const order = subs[i]!.order;
      if (order === N) continue; // one coset: no variance explained
      const score = cosetScore(f, labels[i]!, N / order, h, n);
      if (Number.isNaN(score)) return null;
      if (score < opts.threshold - 1e-12) continue;
      if (!best || order > best.order || (order === best.order && score > best.score)) best = { subgroup: i, order, score };
    }
    return best;
  };
  const neurons = [];
  const pairCount = new Map<string, number>();
  for (let n = 0; n < h; n++) {
    const l = choose(io.left, n, left);
    const r = choose(io.right, n, right);
    const conjugate = l && r ? subs[l.subgroup]!.conjugacyClass === subs[r.subgroup]!.conjugacyClass : null;
    neurons.push({ neuron: n, left: l, right: r, conjugate });
    if (l && r) {
      const k = `${subs[l.subgroup]!.conjugacyClass},${subs[r.subgroup]!.conjugacyClass}`;
      pairCount.set(k, (pairCount.get(k) ?? 0) + 1);
    }
  }
  const classOrder = (c: number) => subs[lattice.classes[c]![0]!]!.order;
  const pairs = [...pairCount.entries()]
    .map(([k, count]) => {
      const [lc, rc] = k.split(',').map(Number) as [number, number];
      return { leftClass: lc, rightClass: rc, order: [classOrder(lc), classOrder(rc)] as [number, number], count };
    })
    .sort((a, b) => b.count - a.count || a.leftClass - b.leftClass || a.rightClass - b.rightClass);
  return {
    threshold: opts.threshold,
    source: io.source,
    subgroups: subs.map((s, index) => ({
      index,
      order: s.order,
      conjugacyClass: s.conjugacyClass,
      normal: s.normal,
      cyclic: s.cyclic,
      abelian: s.abelian,
      generators: s.generators.map((g) => G.labels[g]!),
      elements: Array.from(s.elements),
    })),
    classes: lattice.classes,
    neurons,
    pairs,
  };
}
