import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alternatingGroup, cyclicGroup, dihedralGroup, permGroup, quaternionGroup, symmetricGroup } from '../../src/groups/families.js';
import { conjugacyClasses } from '../../src/groups/classes.js';
import { groupFromTable, type Group } from '../../src/groups/group.js';
import { Rng } from '../../src/linalg/rng.js';
import { checkIrreps } from '../../src/reps/check.js';
import { centralIdempotents, genericRealIrreps, nameLetters, sortAndNameIrreps } from '../../src/reps/generic.js';
import type { Irrep } from '../../src/reps/irrep.js';

/** C3 x C3 given only as a table: (a1, a2)·(b1, b2) = (a1+b1, a2+b2) mod 3, index 3*x1 + x2. */
function c3xc3Table(): Group {
  const T = new Int32Array(81);
  for (let a = 0; a < 9; a++)
    for (let b = 0; b < 9; b++) T[a * 9 + b] = (((a / 3) | 0) + ((b / 3) | 0)) % 3 * 3 + ((a % 3) + (b % 3)) % 3;
  return groupFromTable('C3xC3', T, Array.from({ length: 9 }, (_, i) => `(${(i / 3) | 0},${i % 3})`));
}

/** The number of orbits {C, C⁻¹} of conjugacy classes, computed independently of generic.ts. */
function realClassCount(G: Group): number {
  const { classes, classOf } = conjugacyClasses(G);
  const seen = new Set<string>();
  for (const C of classes) {
    const a = classOf[C[0]!]!;
    const b = classOf[G.inverses[C[0]!]!]!;
    seen.add(`${Math.min(a, b)},${Math.max(a, b)}`);
  }
  return seen.size;
}

const summary = (irr: readonly Irrep[]) => irr.map((r) => `${r.dim}${r.type[0]}`).join(' ');

const groups: [string, () => Group, string][] = [
  ['C5', () => cyclicGroup(5), '1r 2c 2c'],
  ['C6', () => cyclicGroup(6), '1r 1r 2c 2c'],
  ['S3', () => symmetricGroup(3), '1r 1r 2r'],
  ['D4', () => dihedralGroup(4), '1r 1r 1r 1r 2r'],
  ['Q8', () => quaternionGroup(), '1r 1r 1r 1r 4q'],
  ['A4', () => alternatingGroup(4), '1r 2c 3r'],
  ['C3xC3 (table)', c3xc3Table, '1r 2c 2c 2c 2c'],
  ['S4', () => symmetricGroup(4), '1r 1r 2r 3r 3r'],
  ['A5', () => alternatingGroup(5), '1r 3r 3r 4r 5r'],
  // PSL(2,7) x C2, order 336, from permutation generators: irreps of PSL(2,7) are 1, 3+3̄ (complex), 6, 7, 8
  ['PSL(2,7)xC2', () => permGroup('perm:(1,2,3,4,5,6,7);(1,2)(3,6);(8,9)'), '1r 1r 6r 6r 6c 6c 7r 7r 8r 8r'],
];

for (const [label, make, types] of groups) {
  test(`genericRealIrreps(${label}): complete, orthogonal homomorphisms with the right types`, () => {
    const G = make();
    const irr = genericRealIrreps(G, new Rng(0));
    const report = checkIrreps(G, irr);
    assert.deepEqual(report.problems, []);
    assert.ok(report.maxError < 1e-10, `${label}: max error ${report.maxError}`);
    assert.equal(report.completeness, G.order);
    assert.equal(irr.length, realClassCount(G));
    assert.equal(summary(irr), types);
    assert.equal(irr[0]!.name, 'trivial');
    for (const r of irr) assert.equal(r.indicator, r.type === 'real' ? 1 : r.type === 'complex' ? 0 : -1);
  });
}

test('genericRealIrreps: names, and determinism per seed; characters do not depend on the seed', () => {
  const G = symmetricGroup(4);
  const a = genericRealIrreps(G, new Rng(5));
  const b = genericRealIrreps(G, new Rng(5));
  const c = genericRealIrreps(G, new Rng(6));
  assert.deepEqual(a.map((r) => r.name), ['trivial', '1d_a', '2d_a', '3d_a', '3d_b']);
  assert.deepEqual(c.map((r) => r.name), a.map((r) => r.name));
  a.forEach((r, i) => {
    assert.deepEqual([...r.matrices], [...b[i]!.matrices]);
    for (let g = 0; g < G.order; g++) assert.ok(Math.abs(r.character[g]! - c[i]!.character[g]!) < 1e-9);
  });
  // 1d_a is the sign: −1 on transpositions
  assert.ok([...a[1]!.character].every((x) => x === 1 || Math.abs(Math.abs(x) - 1) < 1e-12));
});

test('centralIdempotents sum to the identity element and are idempotent in value at 1', () => {
  const G = quaternionGroup();
  const cis = centralIdempotents(G, new Rng(1));
  const sum = new Float64Array(G.order);
  for (const c of cis) c.f.forEach((x, g) => (sum[g] += x));
  sum.forEach((x, g) => assert.ok(Math.abs(x - (g === G.identity ? 1 : 0)) < 1e-12));
  // f(1) = dim V_ρ / |G| = dim² / (e |G|)
  for (const c of cis) {
    const e = c.type === 'real' ? 1 : c.type === 'complex' ? 2 : 4;
    assert.ok(Math.abs(c.f[G.identity]! * G.order - (c.dim * c.dim) / e) < 1e-12);
  }
});

test('nameLetters and sortAndNameIrreps', () => {
  assert.deepEqual([0, 1, 25, 26, 27, 701, 702].map(nameLetters), ['a', 'b', 'z', 'aa', 'ab', 'zz', 'aaa']);
  const G = cyclicGroup(2);
  const mk = (dim: number, chi: number[]) => ({ dim, type: 'real' as const, indicator: 1 as const, character: Float64Array.from(chi), matrices: new Float64Array(2 * dim * dim) });
  const named = sortAndNameIrreps(G, [mk(2, [2, 0]), mk(1, [1, -1]), mk(1, [1, 1]), mk(2, [2, 1])]);
  assert.deepEqual(named.map((r) => `${r.name}:${r.character[1]}`), ['trivial:1', '1d_a:-1', '2d_a:1', '2d_b:0']);
});
