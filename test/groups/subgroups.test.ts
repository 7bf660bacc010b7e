import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alternatingGroup, cyclicGroup, dihedralGroup, quaternionGroup, symmetricGroup } from '../../src/groups/families.js';
import { allSubgroups, cosetLabels, subgroupLattice } from '../../src/groups/subgroups.js';

// known subgroup counts (total, conjugacy classes): S3 6/4, S4 30/11, A4 10/5, Q8 6/6, C12 6/6, D4 10/8, S5 156/19, A5 59/9
const cases = [
  [symmetricGroup(3), 6, 4],
  [symmetricGroup(4), 30, 11],
  [alternatingGroup(4), 10, 5],
  [quaternionGroup(), 6, 6],
  [cyclicGroup(12), 6, 6],
  [dihedralGroup(4), 10, 8],
  [symmetricGroup(5), 156, 19],
  [alternatingGroup(5), 59, 9],
] as const;

for (const [G, total, classes] of cases) {
  test(`subgroupLattice(${G.name}): ${total} subgroups in ${classes} conjugacy classes, each closed under the product`, () => {
    const L = subgroupLattice(G);
    assert.equal(L.subgroups.length, total);
    assert.equal(L.classes.length, classes);
    const N = G.order;
    for (const s of L.subgroups) {
      const inH = new Set(s.elements);
      for (const x of s.elements) for (const y of s.elements) assert.ok(inH.has(G.table[x * N + y]!));
      assert.equal(N % s.order, 0, 'Lagrange');
    }
    assert.equal(L.subgroups[0]!.order, 1);
    assert.equal(L.subgroups.at(-1)!.order, N);
    const normals = L.subgroups.filter((s) => s.normal).length;
    if (G.name === 'S4') assert.equal(normals, 4); // 1, V4, A4, S4
    if (G.name === 'A5') assert.equal(normals, 2); // simple
  });
}

test('allSubgroups refuses to go past maxSubgroups', () => {
  assert.throws(() => allSubgroups(symmetricGroup(4), 10), /more than 10 subgroups/);
});

test('cosetLabels: left cosets gH and right cosets Hg partition G into [G:H] blocks of |H|', () => {
  const G = symmetricGroup(4);
  const N = G.order;
  const H = subgroupLattice(G).subgroups.find((s) => s.order === 6)!.elements;
  for (const side of ['left', 'right'] as const) {
    const lab = cosetLabels(G, H, side);
    const sizes = new Map<number, number>();
    for (const l of lab) sizes.set(l, (sizes.get(l) ?? 0) + 1);
    assert.equal(sizes.size, 4);
    for (const v of sizes.values()) assert.equal(v, 6);
    // x and x·h (left) or h·x (right) share a coset
    for (let x = 0; x < N; x++) for (const h of H) assert.equal(lab[side === 'left' ? G.table[x * N + h]! : G.table[h * N + x]!], lab[x]);
  }
});
