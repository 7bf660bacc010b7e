import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cyclicGroup, directProduct, quaternionGroup, symmetricGroup } from '../../src/groups/families.js';
import { checkIrreps } from '../../src/reps/check.js';
import { irreps } from '../../src/reps/irreps.js';
import { kroneckerMatrices, productIrreps } from '../../src/reps/product.js';

test('kroneckerMatrices: (A ⊗ B)[(i1,i2),(j1,j2)] = A[i1,j1]·B[i2,j2] at element (g, h)', () => {
  const C3 = cyclicGroup(3);
  const S3 = symmetricGroup(3);
  const a = irreps(C3).find((r) => r.name === 'freq_1')!;
  const b = irreps(S3).find((r) => r.name === 'standard')!;
  const { dim, matrices } = kroneckerMatrices([a, b], [3, 6]);
  assert.equal(dim, 4);
  for (let g = 0; g < 3; g++)
    for (let h = 0; h < 6; h++)
      for (let i1 = 0; i1 < 2; i1++)
        for (let i2 = 0; i2 < 2; i2++)
          for (let j1 = 0; j1 < 2; j1++)
            for (let j2 = 0; j2 < 2; j2++) {
              const want = a.matrices[g * 4 + i1 * 2 + j1]! * b.matrices[h * 4 + i2 * 2 + j2]!;
              assert.ok(matrices[(g * 6 + h) * 16 + (i1 * 2 + i2) * 4 + j1 * 2 + j2] === want); // === : 0 and −0 alike
            }
});

test('product irreps: homomorphisms, orthogonal, complete, orthogonal characters (splits where both factors are non-real)', () => {
  const cases = [
    [cyclicGroup(2), cyclicGroup(2), cyclicGroup(2)],
    [cyclicGroup(3), symmetricGroup(3)],
    [cyclicGroup(3), cyclicGroup(3)],
    [cyclicGroup(4), quaternionGroup()],
    [quaternionGroup(), quaternionGroup()],
    [cyclicGroup(3), cyclicGroup(3), cyclicGroup(3)],
  ];
  for (const factors of cases) {
    const G = directProduct(factors);
    const irr = productIrreps(G, factors.map(irreps));
    const report = checkIrreps(G, irr);
    assert.deepEqual(report.problems, [], G.name);
    assert.ok(report.maxError < 1e-9, `${G.name}: max error ${report.maxError}`);
  }
});

test('product names: factor names joined by _x_, trivial for the all-trivial one, _a/_b for split pieces', () => {
  const names = (fs: Parameters<typeof directProduct>[0]) =>
    productIrreps(directProduct(fs), fs.map(irreps)).map((r) => `${r.name}:${r.dim}${r.type[0]}`);
  assert.deepEqual(names([cyclicGroup(3), symmetricGroup(3)]), [
    'trivial:1r',
    'trivial_x_sign:1r',
    'trivial_x_standard:2r',
    'freq_1_x_trivial:2c',
    'freq_1_x_sign:2c',
    'freq_1_x_standard:4c',
  ]);
  assert.deepEqual(names([cyclicGroup(3), cyclicGroup(3)]), [
    'trivial:1r',
    'trivial_x_freq_1:2c',
    'freq_1_x_trivial:2c',
    'freq_1_x_freq_1_a:2c',
    'freq_1_x_freq_1_b:2c',
  ]);
  // C ⊗ H = M2(C): the 8-d tensor product is twice one 4-d complex irrep; H ⊗ H = M4(R): 4 copies of a 4-d real one
  const c4q8 = productIrreps(directProduct([cyclicGroup(4), quaternionGroup()]), [irreps(cyclicGroup(4)), irreps(quaternionGroup())]);
  const x = c4q8.find((r) => r.name === 'freq_1_x_4d_a')!;
  assert.equal(x.dim, 4);
  assert.equal(x.type, 'complex');
  const q8q8 = productIrreps(directProduct([quaternionGroup(), quaternionGroup()]), [irreps(quaternionGroup()), irreps(quaternionGroup())]);
  const y = q8q8.find((r) => r.name === '4d_a_x_4d_a')!;
  assert.equal(y.dim, 4);
  assert.equal(y.type, 'real');
});
