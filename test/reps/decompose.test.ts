import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alternatingGroup, cyclicGroup, directProduct, quaternionGroup, symmetricGroup } from '../../src/groups/families.js';
import type { Group } from '../../src/groups/group.js';
import { permKey } from '../../src/groups/permutation.js';
import { Rng } from '../../src/linalg/rng.js';
import { symEigen } from '../../src/linalg/sym-eigen.js';
import { characterInner, checkIrreps } from '../../src/reps/check.js';
import { splitRep } from '../../src/reps/decompose.js';
import { genericRealIrreps } from '../../src/reps/generic.js';
import type { Irrep } from '../../src/reps/irrep.js';

const summary = (irr: readonly Irrep[]) => irr.map((r) => `${r.dim}${r.type[0]}`).join(' ');

/** Kronecker product of square matrices: [a, a] ⊗ [b, b] -> [ab, ab]. */
function kron(x: Float64Array, a: number, y: Float64Array, b: number, out: Float64Array, off: number): void {
  const n = a * b;
  for (let i = 0; i < a; i++)
    for (let j = 0; j < a; j++)
      for (let k = 0; k < b; k++) for (let l = 0; l < b; l++) out[off + (i * b + k) * n + j * b + l] = x[i * a + j]! * y[k * b + l]!;
}

/** A random orthogonal n×n matrix (eigenvectors of a random symmetric matrix). */
function randomOrthogonal(rng: Rng, n: number): Float64Array {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = rng.normal();
  return symEigen(a, n).vectors;
}

/** U Wᵍ Uᵀ for all g. */
function conjugate(W: Float64Array, N: number, n: number, U: Float64Array): Float64Array {
  const out = new Float64Array(W.length);
  for (let g = 0; g < N; g++)
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < n; p++) for (let q = 0; q < n; q++) s += U[i * n + p]! * W[g * n * n + p * n + q]! * U[j * n + q]!;
        out[g * n * n + i * n + j] = s;
      }
  return out;
}

function assertValid(G: Group, irr: Irrep[], complete = false): void {
  const r = checkIrreps(G, irr, { complete });
  assert.deepEqual(r.problems, []);
  assert.ok(r.maxError < 1e-9, `max error ${r.maxError}`);
}

test('splitRep: tensor product of two complex 2-d irreps of C3xC5 splits into two complex 2-d irreps', () => {
  const A = cyclicGroup(3);
  const B = cyclicGroup(5);
  const G = directProduct([A, B]);
  const ra = genericRealIrreps(A, new Rng(1))[1]!;
  const rb = genericRealIrreps(B, new Rng(2))[2]!;
  const W = new Float64Array(G.order * 16);
  for (let a = 0; a < 3; a++) for (let b = 0; b < 5; b++) kron(ra.matrices.subarray(a * 4), 2, rb.matrices.subarray(b * 4), 2, W, (a * 5 + b) * 16);
  const out = splitRep(G, W, 4, new Rng(3));
  assert.equal(summary(out), '2c 2c');
  assertValid(G, out);
  // the two constituents' characters add up to the tensor character
  for (let g = 0; g < G.order; g++) {
    const chi = ra.character[Math.floor(g / 5)]! * rb.character[g % 5]!;
    assert.ok(Math.abs(out[0]!.character[g]! + out[1]!.character[g]! - chi) < 1e-9);
  }
});

test('splitRep: restrictions from S5 to A5 (6-d splits into 3 + 3, 4-d stays irreducible)', () => {
  const S5 = symmetricGroup(5);
  const A5 = alternatingGroup(5);
  const index = new Map(S5.perms!.map((p, i) => [permKey(p), i]));
  const toS = A5.perms!.map((p) => index.get(permKey(p))!);
  const s5 = genericRealIrreps(S5, new Rng(0));
  const restrict = (r: Irrep) => {
    const dd = r.dim * r.dim;
    const m = new Float64Array(A5.order * dd);
    toS.forEach((s, a) => m.set(r.matrices.subarray(s * dd, s * dd + dd), a * dd));
    return m;
  };
  const six = s5.find((r) => r.dim === 6)!;
  const split6 = splitRep(A5, restrict(six), 6, new Rng(4));
  assert.equal(summary(split6), '3r 3r');
  assertValid(A5, split6);
  const four = s5.find((r) => r.dim === 4)!;
  const split4 = splitRep(A5, restrict(four), 4, new Rng(5));
  assert.equal(summary(split4), '4r');
  assertValid(A5, split4);
  // the A5 3-d irreps found match those of genericRealIrreps(A5) by character
  const a5 = genericRealIrreps(A5, new Rng(6)).filter((r) => r.dim === 3);
  for (const r of split6) assert.ok(a5.some((s) => Math.abs(characterInner(A5, r.character, s.character) - 1) < 1e-9));
});

test('splitRep: a disguised sum with multiplicities (S3: std ⊕ std ⊕ sign, randomly rotated) keeps one copy of each', () => {
  const G = symmetricGroup(3);
  const irr = genericRealIrreps(G, new Rng(0));
  const sign = irr[1]!;
  const std = irr[2]!;
  const n = 5;
  const W = new Float64Array(G.order * n * n);
  for (let g = 0; g < G.order; g++) {
    const o = g * n * n;
    for (const off of [0, 2])
      for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) W[o + (off + i) * n + off + j] = std.matrices[g * 4 + i * 2 + j]!;
    W[o + 4 * n + 4] = sign.matrices[g]!;
  }
  const rng = new Rng(8);
  const out = splitRep(G, conjugate(W, G.order, n, randomOrthogonal(rng, n)), n, rng);
  assert.deepEqual(
    out.map((r) => r.name),
    ['1d_a', '2d_a'],
  );
  assertValid(G, out);
  assert.ok(Math.abs(characterInner(G, out[0]!.character, sign.character) - 1) < 1e-9);
});

test('splitRep: the regular representation of Q8 yields all five irreps, the 4-d one quaternionic', () => {
  const G = quaternionGroup();
  const N = G.order;
  const W = new Float64Array(N * N * N);
  // left-regular: W(g) e_x = e_{g·x}
  for (let g = 0; g < N; g++) for (let x = 0; x < N; x++) W[g * N * N + G.table[g * N + x]! * N + x] = 1;
  const out = splitRep(G, W, N, new Rng(9));
  assert.equal(summary(out), '1r 1r 1r 1r 4q');
  assert.equal(out[0]!.name, 'trivial');
  assertValid(G, out, true);
});

test('splitRep refuses mismatched sizes', () => {
  assert.throws(() => splitRep(cyclicGroup(3), new Float64Array(5), 1, new Rng(0)), /expected 3 matrix entries/);
});
