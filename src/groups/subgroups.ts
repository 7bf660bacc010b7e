/**
 * All subgroups of a finite group, from its table: start from {e} and join every subgroup found with one
 * element of each of its left cosets (⟨H, g⟩ = ⟨H, gh⟩), closing under multiplication; every subgroup is
 * reached because it is a chain of such joins from {e}. About 10⁴ closures for S5 (156 subgroups).
 * Also their conjugacy classes and coset partitions.
 */
import type { Group } from './group.js';

export interface Subgroup {
  /** Element indices, ascending. */
  elements: Int32Array;
  /** A generating set (the elements joined on the way). */
  generators: number[];
}

export interface SubgroupInfo extends Subgroup {
  order: number;
  /** Index of its conjugacy class in `classes`. */
  conjugacyClass: number;
  normal: boolean;
  cyclic: boolean;
  abelian: boolean;
}

export interface SubgroupLattice {
  /** Sorted by order, then by first differing element. */
  subgroups: SubgroupInfo[];
  /** Conjugacy classes of subgroups: member indices into `subgroups`. */
  classes: number[][];
}

/** ⟨gens⟩: the closure of {e} under right multiplication by the generators. */
export function subgroupGeneratedBy(G: Group, gens: readonly number[]): Int32Array {
  const N = G.order;
  const seen = new Uint8Array(N);
  const list = [G.identity];
  seen[G.identity] = 1;
  for (let i = 0; i < list.length; i++) {
    const x = list[i]!;
    for (const g of gens) {
      const y = G.table[x * N + g]!;
      if (!seen[y]) {
        seen[y] = 1;
        list.push(y);
      }
    }
  }
  return Int32Array.from(list).sort();
}

function keyOf(elements: Int32Array): string {
  return elements.join(',');
}

/**
 * Every subgroup of G. Throws a RangeError when more than `maxSubgroups` are found (a guard against
 * groups too large to enumerate this way).
 */
export function allSubgroups(G: Group, maxSubgroups = 20000): Subgroup[] {
  const N = G.order;
  const found = new Map<string, number>();
  const subs: Subgroup[] = [];
  const add = (elements: Int32Array, generators: number[]) => {
    const k = keyOf(elements);
    if (found.has(k)) return;
    if (subs.length >= maxSubgroups) throw new RangeError(`${G.name} has more than ${maxSubgroups} subgroups`);
    found.set(k, subs.length);
    subs.push({ elements, generators });
  };
  add(Int32Array.of(G.identity), []);
  const covered = new Uint8Array(N);
  for (let q = 0; q < subs.length; q++) {
    const H = subs[q]!;
    if (H.elements.length === N) continue;
    covered.fill(0);
    for (const h of H.elements) covered[h] = 1;
    for (let g = 0; g < N; g++) {
      if (covered[g]) continue;
      for (const h of H.elements) covered[G.table[g * N + h]!] = 1;
      const gens = [...H.generators, g];
      add(subgroupGeneratedBy(G, gens), gens);
    }
  }
  return subs;
}

/** Orders each element's powers reach: the order of g. */
function elementOrder(G: Group, g: number): number {
  let x = g;
  let k = 1;
  while (x !== G.identity) {
    x = G.table[x * G.order + g]!;
    k++;
  }
  return k;
}

/** The subgroups of G with their conjugacy classes and properties. */
export function subgroupLattice(G: Group, maxSubgroups?: number): SubgroupLattice {
  const N = G.order;
  const raw = allSubgroups(G, maxSubgroups).sort((a, b) => {
    if (a.elements.length !== b.elements.length) return a.elements.length - b.elements.length;
    for (let i = 0; i < a.elements.length; i++) if (a.elements[i] !== b.elements[i]) return a.elements[i]! - b.elements[i]!;
    return 0;
  });
  const index = new Map(raw.map((s, i) => [keyOf(s.elements), i]));
  const cls = new Int32Array(raw.length).fill(-1);
  const classes: number[][] = [];
  const conj = new Int32Array(N);
  for (let i = 0; i < raw.length; i++) {
    if (cls[i]! >= 0) continue;
    const c = classes.length;
    const members = [i];
    cls[i] = c;
    const H = raw[i]!.elements;
    for (let g = 0; g < N; g++) {
      const gi = G.inverses[g]!;
      for (let t = 0; t < H.length; t++) conj[t] = G.table[G.table[gi * N + H[t]!]! * N + g]!;
      const j = index.get(keyOf(conj.slice(0, H.length).sort()))!;
      if (cls[j]! < 0) {
        cls[j] = c;
        members.push(j);
      }
    }
    classes.push(members.sort((a, b) => a - b));
  }
  const subgroups = raw.map((s, i) => {
    const order = s.elements.length;
    let cyclic = false;
    for (const x of s.elements)
      if (elementOrder(G, x) === order) {
        cyclic = true;
        break;
      }
    let abelian = true;
    for (const x of s.generators) for (const y of s.generators) if (G.table[x * N + y] !== G.table[y * N + x]) abelian = false;
    return { ...s, order, conjugacyClass: cls[i]!, normal: classes[cls[i]!]!.length === 1, cyclic, abelian };
  });
  return { subgroups, classes };
}

/** Coset labels [N]: element x is in coset label[x] of the left cosets gH (side 'left') or right cosets Hg. */
export function cosetLabels(G: Group, H: Int32Array, side: 'left' | 'right'): Int32Array {
  const N = G.order;
  const label = new Int32Array(N).fill(-1);
  let next = 0;
  for (let x = 0; x < N; x++) {
    if (label[x]! >= 0) continue;
    for (const h of H) label[side === 'left' ? G.table[x * N + h]! : G.table[h * N + x]!] = next;
    next++;
  }
  return label;
}
