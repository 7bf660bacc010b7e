import { test } from 'node:test';
import assert from 'node:assert/strict';
import { composePerm, groupFromPermutations, invertPerm, permSign, permToCycles } from '../../src/groups/permutation.js';
import { checkAssociative, mul } from '../../src/groups/group.js';
import { conjugacyClasses, elementOrders } from '../../src/groups/classes.js';

const P = (...xs: number[]) => Int32Array.from(xs);

test('composePerm applies the left factor first', () => {
  const p = P(1, 0, 2); // (1,2)
  const q = P(0, 2, 1); // (2,3)
  // (p·q)(0) = q(p(0)) = q(1) = 2
  assert.deepEqual([...composePerm(p, q)], [2, 0, 1]);
  assert.equal(permToCycles(composePerm(p, q)), '(1,3,2)');
  assert.deepEqual([...composePerm(p, invertPerm(p))], [0, 1, 2]);
  assert.equal(permSign(P(1, 2, 0)), 1);
  assert.equal(permSign(P(1, 0, 2, 3)), -1);
});

test('groupFromPermutations builds S3 with a valid table, orders and classes', () => {
  const G = groupFromPermutations('S3', [P(1, 2, 0), P(1, 0, 2)]);
  assert.equal(G.order, 6);
  assert.ok(checkAssociative(G));
  assert.equal(G.labels[G.identity], '()');
  for (let a = 0; a < 6; a++) assert.equal(mul(G, a, G.inverses[a]!), G.identity);
  const orders = [...elementOrders(G)].sort();
  assert.deepEqual(orders, [1, 2, 2, 2, 3, 3]);
  const sizes = conjugacyClasses(G).classes.map((c) => c.length);
  assert.deepEqual(sizes.sort(), [1, 2, 3]);
});

test('groupFromPermutations refuses groups past the size limit', () => {
  assert.throws(() => groupFromPermutations('S5', [P(1, 2, 3, 4, 0), P(1, 0, 2, 3, 4)], 100), /more than 100 elements/);
});
