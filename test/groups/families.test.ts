import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  alternatingGroup,
  cyclicGroup,
  dihedralGroup,
  directProduct,
  groupFromGenerators,
  permGroup,
  quaternionGroup,
  symmetricGroup,
} from '../../src/groups/families.js';
import { checkAssociative, groupFromTable, mul, type Group } from '../../src/groups/group.js';
import { conjugacyClasses, elementOrders } from '../../src/groups/classes.js';
import { composePerm, groupFromPermutations, permKey, permSign, permToCycles } from '../../src/groups/permutation.js';
import { UsageError } from '../../src/util/errors.js';

const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));
const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
const idx = (G: Group, label: string): number => {
  const i = G.labels.indexOf(label);
  assert.ok(i >= 0, `${G.name} has no element ${label}`);
  return i;
};

/** table[a][b] is the element whose permutation is perm_a then perm_b; perms are distinct. */
function assertTableMatchesPerms(G: Group): void {
  const N = G.order;
  const perms = G.perms;
  assert.ok(perms, `${G.name} has perms`);
  assert.equal(perms.length, N);
  assert.equal(new Set(perms.map(permKey)).size, N, `${G.name}: perms are distinct`);
  for (const p of perms) assert.equal(p.length, G.degree);
  assert.deepEqual(
    [...perms[G.identity]!],
    Array.from({ length: G.degree! }, (_, i) => i),
  );
  for (let a = 0; a < N; a++)
    for (let b = 0; b < N; b++) assert.deepEqual(composePerm(perms[a]!, perms[b]!), perms[mul(G, a, b)]!, `${G.name}: ${G.labels[a]}·${G.labels[b]}`);
}

function smallFamilies(): Group[] {
  return [
    cyclicGroup(1),
    cyclicGroup(5),
    cyclicGroup(6),
    dihedralGroup(3),
    dihedralGroup(4),
    dihedralGroup(5),
    dihedralGroup(6),
    symmetricGroup(1),
    symmetricGroup(2),
    symmetricGroup(3),
    symmetricGroup(4),
    symmetricGroup(5),
    alternatingGroup(1),
    alternatingGroup(3),
    alternatingGroup(4),
    alternatingGroup(5),
    quaternionGroup(),
    directProduct([cyclicGroup(2), symmetricGroup(3)]),
    directProduct([dihedralGroup(4), cyclicGroup(3)]),
    directProduct([quaternionGroup(), cyclicGroup(2), cyclicGroup(2)]),
    permGroup('perm:(1,2,3,4);(1,2)'),
  ];
}

test('every family: identity index 0, table agrees with perms, associative (small sizes)', () => {
  for (const G of smallFamilies()) {
    assert.equal(G.identity, 0, G.name);
    assert.equal(G.labels.length, G.order);
    assert.ok(checkAssociative(G), `${G.name} is associative`);
    assertTableMatchesPerms(G);
  }
});

test('cyclicGroup(n): orders, a·b = a+b mod n, labels and element orders', () => {
  for (const n of [1, 2, 7, 12, 113, 118]) {
    const G = cyclicGroup(n);
    assert.equal(G.order, n);
    assert.equal(G.name, `C${n}`);
    assert.deepEqual(G.family, { kind: 'C', n });
    assert.deepEqual(G.labels.slice(0, 3), ['0', '1', '2'].slice(0, n));
    for (const [a, b] of [
      [0, 0],
      [1, n - 1],
      [n - 1, n - 1],
      [Math.floor(n / 2), n - 2],
    ] as const)
      if (a < n && b >= 0 && b < n) assert.equal(mul(G, a, b), (a + b) % n);
    assert.deepEqual(
      [...elementOrders(G)],
      Array.from({ length: n }, (_, a) => n / gcd(n, a)),
    );
  }
  const C5 = cyclicGroup(5);
  assert.deepEqual([...C5.perms![1]!], [1, 2, 3, 4, 0]); // (1,2,3,4,5)
  assert.equal(permToCycles(C5.perms![2]!), '(1,3,5,2,4)');
});

test('dihedralGroup(n): order 2n for even and odd n, r^r s^s indexing, the relation s r = r⁻¹ s', () => {
  for (const n of [3, 4, 5, 6, 59, 60]) {
    const G = dihedralGroup(n);
    assert.equal(G.order, 2 * n);
    assert.deepEqual(G.family, { kind: 'D', n });
    const r = idx(G, 'r');
    const s = idx(G, 's');
    assert.equal(r, 1);
    assert.equal(s, n);
    assert.equal(G.labels[0], 'e');
    assert.equal(G.labels[2], 'r^2');
    assert.equal(G.labels[n + 2], 'r^2 s');
    assert.equal(mul(G, r, s), n + 1); // r·s = "r s"
    assert.equal(mul(G, s, r), 2 * n - 1); // s·r = r^(n-1) s
    assert.equal(mul(G, s, s), 0);
    const orders = elementOrders(G);
    for (let k = 0; k < n; k++) {
      assert.equal(orders[k], n / gcd(n, k));
      assert.equal(orders[n + k], 2);
    }
    // classes: (n+3)/2 for odd n, n/2+3 for even n
    assert.equal(conjugacyClasses(G).classes.length, n % 2 ? (n + 3) / 2 : n / 2 + 3);
  }
  const D59 = dihedralGroup(59);
  assert.equal(D59.order, 118);
  const D5 = dihedralGroup(5);
  assert.deepEqual([...D5.perms![1]!], [1, 2, 3, 4, 0]); // r: i -> i+1
  assert.deepEqual([...D5.perms![5]!], [0, 4, 3, 2, 1]); // s: i -> n+2-i, fixing 1
});

test('symmetricGroup(n): n! elements in lexicographic one-line order, cycle labels', () => {
  for (let n = 1; n <= 6; n++) {
    const G = symmetricGroup(n);
    assert.equal(G.order, factorial(n));
    assert.deepEqual(G.family, { kind: 'S', n });
    const lines = G.perms!.map((p) => [...p].join(','));
    assert.deepEqual([...lines].sort(), lines, `S${n} is in lexicographic order`);
    assert.deepEqual(G.labels, G.perms!.map(permToCycles));
  }
  assert.deepEqual(symmetricGroup(3).labels, ['()', '(2,3)', '(1,2)', '(1,2,3)', '(1,3,2)', '(1,3)']);
  const S5 = symmetricGroup(5);
  assert.equal(S5.labels[0], '()');
  assert.equal(conjugacyClasses(S5).classes.length, 7);
  const counts = new Map<number, number>();
  for (const o of elementOrders(S5)) counts.set(o, (counts.get(o) ?? 0) + 1);
  assert.deepEqual(
    [...counts.entries()].sort((a, b) => a[0] - b[0]),
    [
      [1, 1],
      [2, 25],
      [3, 20],
      [4, 30],
      [5, 24],
      [6, 20],
    ],
  );
  assert.equal(conjugacyClasses(symmetricGroup(4)).classes.length, 5);
});

test('alternatingGroup(n): the even permutations, lexicographic', () => {
  for (let n = 1; n <= 6; n++) {
    const G = alternatingGroup(n);
    assert.equal(G.order, n < 2 ? 1 : factorial(n) / 2);
    assert.ok(G.perms!.every((p) => permSign(p) === 1));
    const lines = G.perms!.map((p) => [...p].join(','));
    assert.deepEqual([...lines].sort(), lines);
  }
  const A5 = alternatingGroup(5);
  assert.equal(conjugacyClasses(A5).classes.length, 5);
  assert.deepEqual([...new Set(elementOrders(A5))].sort(), [1, 2, 3, 5]);
  assert.equal(conjugacyClasses(alternatingGroup(4)).classes.length, 4);
});

test('the largest sizes: S7, A7, C5040, D2520', () => {
  for (const [G, N] of [
    [symmetricGroup(7), 5040],
    [alternatingGroup(7), 2520],
    [cyclicGroup(5040), 5040],
    [dihedralGroup(2520), 5040],
  ] as const) {
    assert.equal(G.order, N);
    assert.equal(G.table.length, N * N);
    for (let a = 0; a < N; a += 97) assert.equal(mul(G, a, G.inverses[a]!), 0);
  }
});

test('quaternionGroup(): i² = j² = k² = ijk = −1, 5 classes, orders', () => {
  const Q = quaternionGroup();
  assert.equal(Q.order, 8);
  assert.deepEqual(Q.labels, ['1', '-1', 'i', '-i', 'j', '-j', 'k', '-k']);
  const [one, m1, i, j, k] = ['1', '-1', 'i', 'j', 'k'].map((l) => idx(Q, l)) as [number, number, number, number, number];
  assert.equal(one, 0);
  for (const x of [i, j, k]) assert.equal(mul(Q, x, x), m1);
  assert.equal(mul(Q, mul(Q, i, j), k), m1);
  assert.equal(mul(Q, i, j), k);
  assert.equal(mul(Q, j, i), idx(Q, '-k'));
  assert.equal(mul(Q, j, k), i);
  assert.equal(mul(Q, k, i), j);
  assert.deepEqual([...elementOrders(Q)], [1, 2, 4, 4, 4, 4, 4, 4]);
  assert.equal(conjugacyClasses(Q).classes.length, 5);
  // perm of g is right multiplication x -> x·g
  for (let g = 0; g < 8; g++) for (let x = 0; x < 8; x++) assert.equal(Q.perms![g]![x], mul(Q, x, g));
});

test('directProduct: row-major indices, component-wise table, labels, name, disjoint-union perms', () => {
  const C3 = cyclicGroup(3);
  const S3 = symmetricGroup(3);
  const G = directProduct([C3, S3]);
  assert.equal(G.name, 'C3xS3');
  assert.equal(G.order, 18);
  assert.equal(G.family?.kind, 'product');
  assert.equal(G.labels[1 * 6 + 3], '(1, (1,2,3))');
  for (let a = 0; a < 18; a++)
    for (let b = 0; b < 18; b++) assert.equal(mul(G, a, b), mul(C3, Math.floor(a / 6), Math.floor(b / 6)) * 6 + mul(S3, a % 6, b % 6));
  assert.equal(G.degree, 6);
  assert.deepEqual([...G.perms![1 * 6 + 3]!], [1, 2, 0, 4, 5, 3]);
  assert.equal(conjugacyClasses(G).classes.length, 9);

  const C2 = cyclicGroup(2);
  const E8 = directProduct([C2, C2, C2]);
  assert.equal(E8.order, 8);
  assert.equal(E8.name, 'C2xC2xC2');
  assert.deepEqual([...elementOrders(E8)], [1, 2, 2, 2, 2, 2, 2, 2]);
  assert.equal(conjugacyClasses(E8).classes.length, 8);
  assert.equal(mul(E8, 0b011, 0b110), 0b101);

  // a factor without perms: no perms on the product
  const bare = groupFromTable('Z2', Int32Array.from([0, 1, 1, 0]), ['+', '-']);
  const P = directProduct([bare, C3]);
  assert.equal(P.order, 6);
  assert.equal(P.perms, undefined);
  assert.throws(
    () => directProduct([symmetricGroup(5), symmetricGroup(5)]),
    (e) => e instanceof UsageError && /14400 elements.*5040/.test(e.message),
  );
  assert.throws(() => directProduct([]), UsageError);
});

test('groupFromGenerators gives the same group, element order and labels as groupFromPermutations', () => {
  const P = (...xs: number[]) => Int32Array.from(xs);
  for (const gens of [[P(1, 2, 3, 0), P(1, 0, 2, 3)], [P(1, 0, 3, 2), P(2, 3, 0, 1)], [P(1, 2, 0, 4, 3)], [P(0, 1, 2)]]) {
    const A = groupFromGenerators('x', gens);
    const B = groupFromPermutations('x', gens);
    assert.deepEqual(A.labels, B.labels);
    assert.deepEqual(A.table, B.table);
  }
  assert.throws(() => groupFromGenerators('S5', [P(1, 2, 3, 4, 0), P(1, 0, 2, 3, 4)], undefined, 100), /more than 100 elements/);
});

test('permGroup: breadth-first order, points 1..max over all generators', () => {
  const G = permGroup('perm:(1,2,3);(1,2)');
  assert.equal(G.order, 6);
  assert.equal(G.name, 'perm:(1,2,3);(1,2)');
  assert.deepEqual(G.family, { kind: 'perm' });
  assert.deepEqual(G.labels.slice(0, 3), ['()', '(1,2,3)', '(1,2)']);
  const H = permGroup('perm:(1,2);(3,4,5)');
  assert.equal(H.degree, 5);
  assert.equal(H.order, 6);
  assert.equal(conjugacyClasses(H).classes.length, 6); // C2 x C3 = C6, abelian
  const K = permGroup('perm:(2,3)(5)');
  assert.equal(K.degree, 5);
  assert.equal(K.order, 2);
  assert.equal(permGroup('perm:()').order, 1);
});
