import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cyclicGroup, quaternionGroup, symmetricGroup } from '../../src/groups/families.js';
import { identity, matmulTN, maxAbsDiff } from '../../src/linalg/matrix.js';
import { Rng } from '../../src/linalg/rng.js';
import { genericRealIrreps } from '../../src/reps/generic.js';
import { typeNorm } from '../../src/reps/irrep.js';
import { orthRep } from '../../src/reps/orth-rep.js';

for (const G of [cyclicGroup(5), quaternionGroup(), symmetricGroup(4)]) {
  test(`orthRep(${G.name}): orthonormal, rank dim²/e, spans the matrix coefficients, orthogonal across irreps`, () => {
    const N = G.order;
    const irr = genericRealIrreps(G, new Rng(1));
    const Qs = irr.map((rho) => {
      const Q = orthRep(G, rho);
      const r = (rho.dim * rho.dim) / typeNorm(rho.type);
      assert.equal(Q.length, N * r);
      assert.ok(maxAbsDiff(matmulTN(Q, Q, N, r, r), identity(r)) < 1e-12);
      // every coefficient column g ↦ ρ(g)_ij lies in the span: |c − Q Qᵀ c| ≈ 0
      const d2 = rho.dim * rho.dim;
      for (let ij = 0; ij < d2; ij++) {
        const c = Float64Array.from({ length: N }, (_, g) => rho.matrices[g * d2 + ij]!);
        const coef = matmulTN(Q, c, N, r, 1);
        let err = 0;
        for (let g = 0; g < N; g++) {
          let s = 0;
          for (let k = 0; k < r; k++) s += Q[g * r + k]! * coef[k]!;
          err = Math.max(err, Math.abs(s - c[g]!));
        }
        assert.ok(err < 1e-10, `${rho.name} column ${ij}: ${err}`);
      }
      assert.equal(orthRep(G, rho), Q); // memoised
      return { Q, r };
    });
    // Schur orthogonality: coefficient spaces of distinct irreps are orthogonal
    for (let a = 0; a < Qs.length; a++)
      for (let b = a + 1; b < Qs.length; b++) {
        const x = matmulTN(Qs[a]!.Q, Qs[b]!.Q, N, Qs[a]!.r, Qs[b]!.r);
        assert.ok(maxAbsDiff(x, new Float64Array(x.length)) < 1e-10);
      }
  });
}

test('orthRep: a complex 2-d irrep of C_n has 2 columns; a mislabelled type is refused', () => {
  const G = cyclicGroup(7);
  const rho = genericRealIrreps(G, new Rng(2))[1]!;
  assert.equal(rho.type, 'complex');
  assert.equal(orthRep(G, rho).length, 7 * 2);
  assert.throws(() => orthRep(G, { ...rho, type: 'real', indicator: 1 }), /⟨χ, χ⟩ = 2.*, expected 1/);
  const S3 = symmetricGroup(3);
  const std = genericRealIrreps(S3, new Rng(3))[2]!;
  assert.throws(() => orthRep(S3, { ...std, type: 'complex', indicator: 0 }), /expected 2/);
});
