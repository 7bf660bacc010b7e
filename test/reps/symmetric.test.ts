import { test } from 'node:test';
import assert from 'node:assert/strict';
import { symmetricGroup } from '../../src/groups/families.js';
import { mul } from '../../src/groups/group.js';
import { Rng } from '../../src/linalg/rng.js';
import { checkIrreps } from '../../src/reps/check.js';
import { hookDimension, partitions } from '../../src/reps/partitions.js';
import { symmetricIrrepName, symmetricIrreps, youngGenerators } from '../../src/reps/symmetric.js';
import { cycleType, expectCharacterTable, murnaghanNakayama } from './expect-characters.js';

test("S1..S6 by Young's orthogonal form: homomorphisms for the table, orthogonal, complete, orthogonal characters", () => {
  for (let n = 1; n <= 6; n++) {
    const G = symmetricGroup(n);
    const irr = symmetricIrreps(G, n);
    const report = checkIrreps(G, irr);
    assert.deepEqual(report.problems, [], `S${n}`);
    assert.ok(report.maxError < 1e-9, `S${n}: max error ${report.maxError}`);
    assert.equal(irr.length, partitions(n).length);
    assert.ok(irr.every((r) => r.type === 'real'));
  }
});

test('S_n names: original names, partitions otherwise; small n keep one name per irrep', () => {
  const names = (n: number) => symmetricIrreps(symmetricGroup(n), n).map((r) => r.name);
  assert.deepEqual(names(1), ['trivial']);
  assert.deepEqual(names(2), ['trivial', 'sign']);
  assert.deepEqual(names(3), ['trivial', 'sign', 'standard']);
  assert.deepEqual(names(4), ['trivial', 'sign', 'standard', 'standard_sign', 's4_2d']);
  assert.deepEqual(names(5), ['trivial', 'sign', 'standard', 'standard_sign', 's5_5d_b', 's5_6d', 's5_5d_a']);
  assert.deepEqual(names(6), [
    'trivial',
    'sign',
    'standard',
    'standard_sign',
    'p4_2',
    'p4_1_1',
    's6_5d_a',
    'p3_2_1',
    'p3_1_1_1',
    's6_5d_b',
    'p2_2_1_1',
  ]);
  assert.equal(symmetricIrrepName([4, 2, 1]), 'p4_2_1');
  for (const l of partitions(7)) assert.match(symmetricIrrepName(l), /^[a-z0-9_]+$/);
});

test('Young generators: symmetric involutions', () => {
  for (const l of [
    [3, 2],
    [3, 2, 1],
    [2, 2, 1, 1],
  ]) {
    const g = youngGenerators(l);
    assert.equal(g.dim, hookDimension(l));
    for (let i = 0; i < g.n - 1; i++)
      for (let t = 0; t < g.dim; t++) {
        const k = i * g.dim + t;
        const p = g.partner[k]!;
        const a = g.diag[k]!;
        if (p < 0) assert.equal(Math.abs(a), 1);
        else {
          // block [[a, b], [b, −a]] on (t, p): symmetric and squares to I
          assert.equal(g.partner[i * g.dim + p], t);
          assert.ok(Math.abs(g.diag[i * g.dim + p]! + a) < 1e-15);
          assert.ok(Math.abs(g.off[i * g.dim + p]! - g.off[k]!) < 1e-15);
          assert.ok(Math.abs(a * a + g.off[k]! ** 2 - 1) < 1e-15);
        }
      }
  }
});

/** Character table check through cycle types: every element of a cycle type must have the listed value. */
function expectByCycleType(n: number, types: string[], table: Record<string, number[]>): void {
  const G = symmetricGroup(n);
  const irr = symmetricIrreps(G, n);
  assert.deepEqual(irr.map((r) => r.name).sort(), Object.keys(table).sort());
  const seen = new Set<string>();
  for (let g = 0; g < G.order; g++) {
    const ct = cycleType(G.perms![g]!);
    const k = types.indexOf(ct);
    assert.ok(k >= 0, `cycle type ${ct} not listed`);
    seen.add(ct);
    for (const r of irr) assert.ok(Math.abs(r.character[g]! - table[r.name]![k]!) < 1e-9, `S${n} ${r.name} at ${G.labels[g]}: ${r.character[g]}`);
  }
  assert.equal(seen.size, types.length);
}

test('S3 character table by hand', () => {
  expectByCycleType(3, ['1,1,1', '2,1', '3'], { trivial: [1, 1, 1], sign: [1, -1, 1], standard: [2, 0, -1] });
});

test('S4 character table by hand (classes e, (12), (12)(34), (123), (1234))', () => {
  expectByCycleType(4, ['1,1,1,1', '2,1,1', '2,2', '3,1', '4'], {
    trivial: [1, 1, 1, 1, 1],
    sign: [1, -1, 1, 1, -1],
    standard: [3, 1, -1, 0, -1],
    standard_sign: [3, -1, -1, 0, 1],
    s4_2d: [2, 0, 2, -1, 0],
  });
});

test('S5 character table against REFERENCE §1.4 (classes e, (12), (12)(34), (123), (123)(45), (1234), (12345))', () => {
  const G = symmetricGroup(5);
  expectCharacterTable(G, symmetricIrreps(G, 5), ['()', '(1,2)', '(1,2)(3,4)', '(1,2,3)', '(1,2,3)(4,5)', '(1,2,3,4)', '(1,2,3,4,5)'], {
    trivial: [1, 1, 1, 1, 1, 1, 1],
    sign: [1, -1, 1, 1, -1, -1, 1],
    standard: [4, 2, 0, 1, -1, 0, -1],
    standard_sign: [4, -2, 0, 1, 1, 0, -1],
    s5_5d_a: [5, -1, 1, -1, -1, 1, 0],
    s5_5d_b: [5, 1, 1, -1, 1, -1, 0],
    s5_6d: [6, 0, -2, 0, 0, 0, 1],
  });
});

test('S5 standard: the permutation action minus the trivial one (character = fixed points − 1)', () => {
  const G = symmetricGroup(5);
  const std = symmetricIrreps(G, 5).find((r) => r.name === 'standard')!;
  for (let g = 0; g < G.order; g++) {
    const fixed = G.perms![g]!.filter((x, i) => x === i).length;
    assert.ok(Math.abs(std.character[g]! - (fixed - 1)) < 1e-9, `${G.labels[g]}: ${std.character[g]}`);
  }
});

/** Every S_n irrep's character equals χ^λ from the Murnaghan–Nakayama rule, λ found through its name. */
function expectMurnaghanNakayama(G: ReturnType<typeof symmetricGroup>, n: number, irr: ReturnType<typeof symmetricIrreps>): void {
  const byName = new Map(partitions(n).map((l) => [symmetricIrrepName(l), l]));
  const memo = new Map<string, number>();
  for (const r of irr) {
    const lambda = byName.get(r.name)!;
    assert.ok(lambda, r.name);
    for (let g = 0; g < G.order; g++) {
      const ct = cycleType(G.perms![g]!);
      const key = `${lambda.join(',')}|${ct}`;
      let want = memo.get(key);
      if (want === undefined) memo.set(key, (want = murnaghanNakayama(lambda, ct.split(',').map(Number))));
      assert.ok(Math.abs(r.character[g]! - want) < 1e-9, `S${n} ${r.name} at ${G.labels[g]}: ${r.character[g]} != ${want}`);
    }
  }
}

test('S6 characters against the Murnaghan–Nakayama rule (and the rule against the S5 table of REFERENCE §1.4)', () => {
  // the rule itself, on known values: S5 s5_6d = (3,1,1) on (12)(34) is −2, s5_5d_a = (2,2,1) on (1234) is 1
  assert.equal(murnaghanNakayama([3, 1, 1], [2, 2, 1]), -2);
  assert.equal(murnaghanNakayama([2, 2, 1], [4, 1]), 1);
  assert.equal(murnaghanNakayama([3, 2, 1], [1, 1, 1, 1, 1, 1]), 16);
  const G = symmetricGroup(6);
  expectMurnaghanNakayama(G, 6, symmetricIrreps(G, 6));
});

test('S7: complete (15 irreps, Σ dim² = 5040), characters by Murnaghan–Nakayama, homomorphism on random pairs, orthogonal', () => {
  const G = symmetricGroup(7);
  const irr = symmetricIrreps(G, 7);
  expectMurnaghanNakayama(G, 7, irr);
  assert.equal(irr.length, 15);
  assert.equal(
    irr.reduce((s, r) => s + r.dim * r.dim, 0),
    5040,
  );
  assert.equal(new Set(irr.map((r) => r.name)).size, 15);
  const rng = new Rng(7);
  for (const r of irr.filter((x) => x.dim >= 20)) {
    const d = r.dim;
    const M = r.matrices;
    for (let trial = 0; trial < 8; trial++) {
      const a = rng.int(G.order);
      const b = rng.int(G.order);
      const ab = mul(G, a, b);
      let err = 0;
      let orth = 0;
      for (let i = 0; i < d; i++)
        for (let j = 0; j < d; j++) {
          let s = 0;
          let o = 0;
          for (let p = 0; p < d; p++) {
            s += M[a * d * d + i * d + p]! * M[b * d * d + p * d + j]!;
            o += M[a * d * d + i * d + p]! * M[a * d * d + j * d + p]!;
          }
          err = Math.max(err, Math.abs(s - M[ab * d * d + i * d + j]!));
          orth = Math.max(orth, Math.abs(o - (i === j ? 1 : 0)));
        }
      assert.ok(err < 1e-9 && orth < 1e-9, `${r.name}: hom error ${err}, orthogonality error ${orth}`);
    }
  }
});
