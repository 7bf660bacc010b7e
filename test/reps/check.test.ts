import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cyclicGroup, quaternionGroup, symmetricGroup } from '../../src/groups/families.js';
import type { Group } from '../../src/groups/group.js';
import type { Irrep, IrrepType } from '../../src/reps/irrep.js';
import {
  characterInner,
  checkIrrep,
  checkIrreps,
  classFunctionError,
  frobeniusSchurSum,
  generatingSet,
  homomorphismError,
} from '../../src/reps/check.js';

function makeIrrep(G: Group, name: string, dim: number, type: IrrepType, mat: (g: number) => number[]): Irrep {
  const matrices = new Float64Array(G.order * dim * dim);
  const character = new Float64Array(G.order);
  for (let g = 0; g < G.order; g++) {
    const m = mat(g);
    matrices.set(m, g * dim * dim);
    for (let i = 0; i < dim; i++) character[g]! += m[i * dim + i]!;
  }
  const indicator = type === 'real' ? 1 : type === 'complex' ? 0 : -1;
  return { name, dim, type, indicator, character, matrices };
}

/** S3 by hand: trivial, sign, and the standard rep on the sum-zero plane of the natural rep. */
function s3Irreps(G: Group): Irrep[] {
  const B = [
    [1 / Math.SQRT2, 1 / Math.sqrt(6)],
    [-1 / Math.SQRT2, 1 / Math.sqrt(6)],
    [0, -2 / Math.sqrt(6)],
  ];
  const sign = (g: number) => {
    const p = G.perms![g]!;
    let inv = 0;
    for (let i = 0; i < 3; i++) for (let j = i + 1; j < 3; j++) if (p[i]! > p[j]!) inv++;
    return inv % 2 ? -1 : 1;
  };
  const std = (g: number) => {
    const p = G.perms![g]!; // natural rep P[r][p(r)] = 1, a homomorphism for "apply a, then b"
    const out: number[] = [];
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 2; j++) {
        let s = 0;
        for (let r = 0; r < 3; r++) s += B[r]![i]! * B[p[r]!]![j]!;
        out.push(s);
      }
    return out;
  };
  return [makeIrrep(G, 'trivial', 1, 'real', () => [1]), makeIrrep(G, 'sign', 1, 'real', (g) => [sign(g)]), makeIrrep(G, 'standard', 2, 'real', std)];
}

/** Q8: the four 1-d reps and left multiplication on H = R^4 (quaternionic). */
function q8Irreps(G: Group): Irrep[] {
  // quaternion (w, x, y, z) of element p: ±(1, i, j, k)[p >> 1]
  const q = (p: number) => {
    const v = [0, 0, 0, 0];
    v[p >> 1] = p & 1 ? -1 : 1;
    return v;
  };
  const qmul = ([a, b, c, d]: number[], [e, f, g, h]: number[]) => [
    a! * e! - b! * f! - c! * g! - d! * h!,
    a! * f! + b! * e! + c! * h! - d! * g!,
    a! * g! - b! * h! + c! * e! + d! * f!,
    a! * h! + b! * g! - c! * f! + d! * e!,
  ];
  const left = (p: number) => {
    const m = new Array<number>(16).fill(0);
    for (let k = 0; k < 4; k++) {
      const e = [0, 0, 0, 0];
      e[k] = 1;
      const col = qmul(q(p), e);
      for (let r = 0; r < 4; r++) m[r * 4 + k] = col[r]!;
    }
    return m;
  };
  // 1-d reps: kernels contain ±1 and one of i, j, k
  const oneD = (u: number) => (p: number) => [p >> 1 === 0 || p >> 1 === u ? 1 : -1];
  return [
    makeIrrep(G, 'trivial', 1, 'real', () => [1]),
    makeIrrep(G, '1d_a', 1, 'real', oneD(1)),
    makeIrrep(G, '1d_b', 1, 'real', oneD(2)),
    makeIrrep(G, '1d_c', 1, 'real', oneD(3)),
    makeIrrep(G, '4d_a', 4, 'quaternionic', left),
  ];
}

/** C_n: trivial, (n even) sign, and rotations by 2πka/n for 1 <= k < n/2 (complex type). */
function cyclicIrreps(G: Group): Irrep[] {
  const n = G.order;
  const out = [makeIrrep(G, 'trivial', 1, 'real', () => [1])];
  if (n % 2 === 0) out.push(makeIrrep(G, 'sign', 1, 'real', (a) => [a % 2 ? -1 : 1]));
  for (let k = 1; 2 * k < n; k++) {
    out.push(
      makeIrrep(G, `freq_${k}`, 2, 'complex', (a) => {
        const t = (2 * Math.PI * k * a) / n;
        return [Math.cos(t), -Math.sin(t), Math.sin(t), Math.cos(t)];
      }),
    );
  }
  return out;
}

test('checkIrreps accepts hand-built complete sets: S3, Q8, C6, C7', () => {
  for (const [G, irr] of [
    [symmetricGroup(3), s3Irreps(symmetricGroup(3))],
    [quaternionGroup(), q8Irreps(quaternionGroup())],
    [cyclicGroup(6), cyclicIrreps(cyclicGroup(6))],
    [cyclicGroup(7), cyclicIrreps(cyclicGroup(7))],
  ] as const) {
    const r = checkIrreps(G, irr);
    assert.deepEqual(r.problems, [], `${G.name}: ${r.problems.join('; ')}`);
    assert.ok(r.maxError < 1e-12, `${G.name}: max error ${r.maxError}`);
    assert.ok(r.ok());
    assert.equal(r.completeness, G.order);
    assert.equal(r.innerProducts.length, irr.length * irr.length);
  }
});

test('check functions catch a broken matrix, a wrong type, a missing irrep and a non-class function', () => {
  const G = symmetricGroup(3);
  const irr = s3Irreps(G);
  const std = irr[2]!;
  const broken = { ...std, matrices: std.matrices.slice() };
  broken.matrices[4 * 3]! += 0.1; // ρ(element 3)[0][0]
  assert.ok(homomorphismError(G, broken) > 0.05);
  const r = checkIrreps(G, [irr[0]!, irr[1]!, broken]);
  assert.ok(!r.ok());
  assert.ok(r.irreps[2]!.orthogonality > 0.05);
  // sign declared complex: odd dim and indicator problems
  const wrongType: Irrep = { ...irr[1]!, type: 'complex', indicator: 0 };
  assert.ok(checkIrrep(G, wrongType).problems.length > 0);
  // standard declared complex (even dim): the norm and Frobenius–Schur checks catch it
  const c = checkIrrep(G, { ...std, type: 'complex', indicator: 0 });
  assert.ok(c.norm > 0.9 && c.frobeniusSchur > 0.9);
  // incomplete set
  const inc = checkIrreps(G, irr.slice(0, 2));
  assert.ok(inc.problems.some((p) => p.startsWith('incomplete')));
  assert.ok(checkIrreps(G, irr.slice(0, 2), { complete: false }).ok());
  // duplicates break orthogonality
  const dup = checkIrreps(G, [irr[0]!, irr[1]!, std, { ...std, name: 'standard2' }], { complete: false });
  assert.ok(dup.innerProductError > 0.9);
  // a function that is not constant on classes
  const f = new Float64Array(6);
  f[1] = 1;
  assert.ok(classFunctionError(G, f) > 0.5);
  assert.ok(classFunctionError(G, std.character) < 1e-14);
});

test('characterInner and frobeniusSchurSum on Q8 and C5', () => {
  const Q = quaternionGroup();
  const h = q8Irreps(Q)[4]!;
  assert.ok(Math.abs(characterInner(Q, h.character, h.character) - 4) < 1e-12);
  assert.ok(Math.abs(frobeniusSchurSum(Q, h.character) + 2) < 1e-12);
  const C = cyclicGroup(5);
  const r = cyclicIrreps(C)[1]!;
  assert.ok(Math.abs(characterInner(C, r.character, r.character) - 2) < 1e-12);
  assert.ok(Math.abs(frobeniusSchurSum(C, r.character)) < 1e-12);
});

test('generatingSet generates the group and is small', () => {
  for (const G of [symmetricGroup(5), quaternionGroup(), cyclicGroup(12)]) {
    const gens = generatingSet(G);
    assert.ok(gens.length <= Math.log2(G.order) + 1);
    const seen = new Set([G.identity]);
    const queue = [G.identity];
    for (let i = 0; i < queue.length; i++)
      for (const s of gens) {
        const y = G.table[queue[i]! * G.order + s]!;
        if (!seen.has(y)) (seen.add(y), queue.push(y));
      }
    assert.equal(seen.size, G.order);
  }
  // S5 (N > 200) uses generators plus a sample; a correct irrep still passes
  const S5 = symmetricGroup(5);
  const sign = makeIrrep(S5, 'sign', 1, 'real', (g) => {
    const p = S5.perms![g]!;
    let inv = 0;
    for (let i = 0; i < 5; i++) for (let j = i + 1; j < 5; j++) if (p[i]! > p[j]!) inv++;
    return [inv % 2 ? -1 : 1];
  });
  assert.equal(homomorphismError(S5, sign), 0);
});
