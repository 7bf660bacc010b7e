import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cyclicGroup } from '../../src/groups/families.js';
import { checkIrreps } from '../../src/reps/check.js';
import { cyclicIrreps } from '../../src/reps/cyclic.js';
import { expectCharacterTable } from './expect-characters.js';

test('C_n irreps: homomorphisms, orthogonal, complete, character orthogonality with type norms', () => {
  for (const n of [1, 2, 3, 5, 6, 12, 113]) {
    const G = cyclicGroup(n);
    const irr = cyclicIrreps(n);
    const report = checkIrreps(G, irr);
    assert.deepEqual(report.problems, [], `C${n}`);
    assert.ok(report.maxError < 1e-9, `C${n}: max error ${report.maxError}`);
  }
});

test('C_n names and types follow the original: trivial, sign (n even), freq_1..freq_{ceil(n/2)-1}', () => {
  assert.deepEqual(
    cyclicIrreps(1).map((r) => r.name),
    ['trivial'],
  );
  assert.deepEqual(
    cyclicIrreps(2).map((r) => r.name),
    ['trivial', 'sign'],
  );
  assert.deepEqual(
    cyclicIrreps(6).map((r) => r.name),
    ['trivial', 'sign', 'freq_1', 'freq_2'],
  );
  assert.deepEqual(
    cyclicIrreps(7).map((r) => r.name),
    ['trivial', 'freq_1', 'freq_2', 'freq_3'],
  );
  assert.equal(cyclicIrreps(113).length, 57); // trivial + 56 freq_k (REFERENCE §1.2)
  assert.equal(cyclicIrreps(118).length, 60); // trivial + sign + 58
  for (const r of cyclicIrreps(12)) {
    assert.equal(r.type, r.dim === 1 ? 'real' : 'complex');
    assert.equal(r.indicator, r.dim === 1 ? 1 : 0);
  }
});

test('C5 character table by hand: freq_k(a) = 2cos(2πka/5)', () => {
  const G = cyclicGroup(5);
  const g = (Math.sqrt(5) - 1) / 2; // 2cos(72°)
  const G2 = -(Math.sqrt(5) + 1) / 2; // 2cos(144°)
  expectCharacterTable(G, cyclicIrreps(5), ['0', '1', '2', '3', '4'], {
    trivial: [1, 1, 1, 1, 1],
    freq_1: [2, g, G2, G2, g],
    freq_2: [2, G2, g, g, G2],
  });
});

test('C_n freq_k is the rotation R(2πka/n) with the original sign convention', () => {
  const rho = cyclicIrreps(8).find((r) => r.name === 'freq_1')!;
  const m = rho.matrices.subarray(4 * 2, 4 * 3); // a = 2: rotation by 90°
  const want = [0, -1, 1, 0];
  m.forEach((x, i) => assert.ok(Math.abs(x - want[i]!) < 1e-15, `entry ${i}: ${x}`));
});
