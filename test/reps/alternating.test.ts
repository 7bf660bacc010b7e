import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alternatingGroup } from '../../src/groups/families.js';
import type { Group } from '../../src/groups/group.js';
import type { Irrep } from '../../src/reps/irrep.js';
import { checkIrreps } from '../../src/reps/check.js';
import { alternatingBaseName, alternatingIrreps } from '../../src/reps/alternating.js';
import { comparePartitions, conjugatePartition, partitions } from '../../src/reps/partitions.js';
import { cycleType, expectCharacterTable, murnaghanNakayama } from './expect-characters.js';

const phi = (1 + Math.sqrt(5)) / 2;

/** A_n and its irreps, built once per n for the tests below. */
const built = new Map<number, { G: Group; irr: Irrep[] }>();
function alt(n: number): { G: Group; irr: Irrep[] } {
  let b = built.get(n);
  if (!b) {
    const G = alternatingGroup(n);
    built.set(n, (b = { G, irr: alternatingIrreps(G, n) }));
  }
  return b;
}

test("A1..A6 by restricting Young's form: homomorphisms for the table, orthogonal, complete, orthogonal characters", () => {
  for (let n = 1; n <= 6; n++) {
    const G = alternatingGroup(n);
    const report = checkIrreps(G, alternatingIrreps(G, n));
    assert.deepEqual(report.problems, [], `A${n}`);
    assert.ok(report.maxError < 1e-9, `A${n}: max error ${report.maxError}`);
  }
});

test('A_n names and types', () => {
  const info = (n: number) => alternatingIrreps(alternatingGroup(n), n).map((r) => `${r.name}:${r.dim}${r.type[0]}`);
  assert.deepEqual(info(2), ['trivial:1r']);
  assert.deepEqual(info(3), ['trivial:1r', 'standard:2c']);
  assert.deepEqual(info(4), ['trivial:1r', 'standard:3r', 'p2_2:2c']);
  assert.deepEqual(info(5), ['trivial:1r', 'standard:4r', 'a5_5d_a:5r', 'a5_3d_a:3r', 'a5_3d_b:3r']);
  assert.deepEqual(info(6), ['trivial:1r', 'standard:5r', 'p4_2:9r', 'p4_1_1:10r', 'p3_3:5r', 'p3_2_1_a:8r', 'p3_2_1_b:8r']);
});

test('A4 character table by hand (the 2-d irrep is of complex type: real character 2cos(2π/3) = −1 on 3-cycles)', () => {
  const G = alternatingGroup(4);
  expectCharacterTable(G, alternatingIrreps(G, 4), ['()', '(1,2)(3,4)', '(1,2,3)', '(1,3,2)'], {
    trivial: [1, 1, 1, 1],
    standard: [3, -1, 0, 0],
    p2_2: [2, 2, -1, -1],
  });
});

test('A5 character table by hand: a5_3d_a is φ on (1,2,3,4,5) (REFERENCE §1.5: characters 3, −1, 0, φ, 1−φ)', () => {
  const G = alternatingGroup(5);
  expectCharacterTable(G, alternatingIrreps(G, 5), ['()', '(1,2)(3,4)', '(1,2,3)', '(1,2,3,4,5)', '(1,3,5,2,4)'], {
    trivial: [1, 1, 1, 1, 1],
    standard: [4, 0, 1, -1, -1],
    a5_5d_a: [5, 1, -1, 0, 0],
    a5_3d_a: [3, -1, 0, phi, 1 - phi],
    a5_3d_b: [3, -1, 0, 1 - phi, phi],
  });
});

test('A7: complete (Σ dim²/e = 2520), the (4,1,1,1) restriction is of complex type', () => {
  const { irr } = alt(7);
  assert.equal(
    irr.reduce((s, r) => s + (r.dim * r.dim) / (r.type === 'complex' ? 2 : 1), 0),
    2520,
  );
  assert.equal(irr.find((r) => r.name === 'p4_1_1_1')?.type, 'complex');
  assert.equal(new Set(irr.map((r) => r.name)).size, irr.length);
});

test('A6, A7: the irreps from λ add up to the restriction of χ^λ (Murnaghan–Nakayama), split pieces included', () => {
  for (const n of [6, 7]) {
    const { G, irr } = alt(n);
    for (const lambda of partitions(n)) {
      if (comparePartitions(lambda, conjugatePartition(lambda)) < 0) continue;
      const base = alternatingBaseName(lambda);
      const mine = irr.filter((r) => r.name === base || r.name === `${base}_a` || r.name === `${base}_b`);
      assert.ok(mine.length >= 1, `A${n}: nothing named ${base}`);
      for (let g = 0; g < G.order; g++) {
        const want = murnaghanNakayama(lambda, cycleType(G.perms![g]!).split(',').map(Number));
        const got = mine.reduce((s, r) => s + r.character[g]!, 0);
        assert.ok(Math.abs(got - want) < 1e-9, `A${n} ${base} at ${G.labels[g]}: ${got} != ${want}`);
      }
    }
  }
});
