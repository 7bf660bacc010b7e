import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dihedralGroup } from '../../src/groups/families.js';
import { checkIrreps } from '../../src/reps/check.js';
import { dihedralIrreps } from '../../src/reps/dihedral.js';
import { expectCharacterTable } from './expect-characters.js';

test('D_n irreps (odd and even n): homomorphisms for the table, orthogonal, complete, orthogonal characters', () => {
  for (const n of [3, 4, 5, 6, 7, 12, 59]) {
    const G = dihedralGroup(n);
    const report = checkIrreps(G, dihedralIrreps(n));
    assert.deepEqual(report.problems, [], `D${n}`);
    assert.ok(report.maxError < 1e-9, `D${n}: max error ${report.maxError}`);
  }
});

test('D_n names: trivial, sign, (even n) sign_r, sign_rs, then freq_k; all real type', () => {
  assert.deepEqual(
    dihedralIrreps(5).map((r) => r.name),
    ['trivial', 'sign', 'freq_1', 'freq_2'],
  );
  assert.deepEqual(
    dihedralIrreps(6).map((r) => r.name),
    ['trivial', 'sign', 'sign_r', 'sign_rs', 'freq_1', 'freq_2'],
  );
  const d59 = dihedralIrreps(59); // order 118: 2 one-dimensional + 29 two-dimensional (REFERENCE §1.3)
  assert.equal(d59.filter((r) => r.dim === 1).length, 2);
  assert.equal(d59.filter((r) => r.dim === 2).length, 29);
  assert.ok(d59.every((r) => r.type === 'real' && r.indicator === 1));
});

test('D_n freq_k on r^a s is R(θ)·diag(1,−1) = [[cos, sin], [sin, −cos]] (REFERENCE §1.3)', () => {
  const n = 5;
  const rho = dihedralIrreps(n).find((r) => r.name === 'freq_2')!;
  const a = 3;
  const t = (2 * Math.PI * a * 2) / n;
  const m = rho.matrices.subarray(4 * (a + n), 4 * (a + n + 1));
  const want = [Math.cos(t), Math.sin(t), Math.sin(t), -Math.cos(t)];
  m.forEach((x, i) => assert.ok(Math.abs(x - want[i]!) < 1e-12, `entry ${i}: ${x} vs ${want[i]}`));
});

test('D4 character table by hand', () => {
  const G = dihedralGroup(4);
  expectCharacterTable(G, dihedralIrreps(4), ['e', 'r^2', 'r', 's', 'r s'], {
    trivial: [1, 1, 1, 1, 1],
    sign: [1, 1, 1, -1, -1],
    sign_r: [1, 1, -1, 1, -1],
    sign_rs: [1, 1, -1, -1, 1],
    freq_1: [2, -2, 0, 0, 0],
  });
});

test('D3 character table by hand', () => {
  const G = dihedralGroup(3);
  expectCharacterTable(G, dihedralIrreps(3), ['e', 'r', 's'], {
    trivial: [1, 1, 1],
    sign: [1, 1, -1],
    freq_1: [2, -1, 0],
  });
});
