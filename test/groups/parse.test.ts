import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseGroup } from '../../src/groups/parse.js';
import { conjugacyClasses } from '../../src/groups/classes.js';
import { checkAssociative } from '../../src/groups/group.js';
import { UsageError } from '../../src/util/errors.js';

test('parseGroup reads every family and gives the expected orders', () => {
  const cases: [string, number, string][] = [
    ['C1', 1, 'C'],
    ['C12', 12, 'C'],
    ['C113', 113, 'C'],
    ['D3', 6, 'D'],
    ['D4', 8, 'D'],
    ['D59', 118, 'D'],
    ['D60', 120, 'D'],
    ['S1', 1, 'S'],
    ['S4', 24, 'S'],
    ['S5', 120, 'S'],
    ['A4', 12, 'A'],
    ['A5', 60, 'A'],
    ['Q8', 8, 'Q8'],
    ['C2xC2xC2', 8, 'product'],
    ['C3xS3', 18, 'product'],
    ['Q8xC3', 24, 'product'],
    ['perm:(1,2,3);(1,2)', 6, 'perm'],
    ['perm:(1,2,3,4,5);(1,2)(3,4)', 60, 'perm'],
  ];
  for (const [name, order, kind] of cases) {
    const G = parseGroup(name);
    assert.equal(G.order, order, name);
    assert.equal(G.name, name);
    assert.equal(G.family?.kind, kind, name);
  }
  assert.equal(parseGroup('S7').order, 5040);
});

test('parseGroup: class counts S5 7, A5 5, D4 5, Q8 5, D5 4, C3xS3 9', () => {
  for (const [name, k] of [
    ['S5', 7],
    ['A5', 5],
    ['D4', 5],
    ['Q8', 5],
    ['D5', 4],
    ['C3xS3', 9],
    ['C2xC2xC2', 8],
  ] as const)
    assert.equal(conjugacyClasses(parseGroup(name)).classes.length, k, name);
});

test('parseGroup: products are built from their factors, canonical names, shared objects', () => {
  const G = parseGroup('C2xD4');
  assert.ok(checkAssociative(G));
  const f = G.family;
  assert.ok(f?.kind === 'product');
  assert.deepEqual(
    f.factors.map((F) => F.name),
    ['C2', 'D4'],
  );
  assert.equal(parseGroup(' C05 ').name, 'C5');
  assert.equal(parseGroup('S4'), parseGroup('S4'));
  assert.equal(parseGroup('perm:(1,2) ; (2,3)').name, 'perm:(1,2);(2,3)');
});

/** Asserts a one-line UsageError whose message quotes the input and matches `hint`. */
function assertUsage(name: string, hint: RegExp): void {
  assert.throws(
    () => parseGroup(name),
    (e: unknown) => {
      assert.ok(e instanceof UsageError, `${name}: ${String(e)}`);
      assert.ok(!e.message.includes('\n'), `${name}: one line`);
      assert.ok(e.message.includes(`"${name}"`), `${name}: message names the input: ${e.message}`);
      assert.match(e.message, hint);
      return true;
    },
  );
}

test('parseGroup: unknown and malformed names', () => {
  assertUsage('Q9', /^unknown group "Q9": expected C<n>, D<n>, S<n>, A<n>, Q8, a product such as C2xS3, or perm:\(1,2,3\);\(1,2\)$/);
  assertUsage('D2x', /factor 2 of the product is empty/);
  assertUsage('xC3', /factor 1 of the product is empty/);
  assertUsage('C2xQ9', /"Q9" is not C<n>, D<n>, S<n>, A<n> or Q8/);
  assertUsage('c2', /expected C<n>/);
  assertUsage('C1.5', /expected C<n>/);
  assertUsage('C2*S3', /expected C<n>/);
  assertUsage('C2xperm:(1,2)', /is not C<n>/);
  assert.throws(
    () => parseGroup(''),
    (e) => e instanceof UsageError && /no group given/.test(e.message),
  );
});

test('parseGroup: sizes out of range', () => {
  assertUsage('S99', /S<n> needs 1 <= n <= 7/);
  assertUsage('S8', /n <= 7/);
  assertUsage('A8', /n <= 7/);
  assertUsage('S0', /1 <= n <= 7/);
  assertUsage('C0', /C<n> needs 1 <= n <= 5040/);
  assertUsage('C5041', /C<n> needs 1 <= n <= 5040/);
  assertUsage('D2', /D<n> needs 3 <= n <= 2520.*C2xC2/);
  assertUsage('D2521', /D<n> needs 3 <= n <= 2520/);
  assertUsage('C2xS9', /factor "S9" is out of range/);
  assertUsage('S5xS5', /14400 elements \(120 x 120\).*5040/);
  assertUsage('A7xC3', /7560 elements/);
  assertUsage('D2520xC2', /10080 elements/);
});

test('parseGroup: perm: generators that are not permutations, or too large a group', () => {
  assertUsage('perm:(1,2', /malformed permutation group.*such as perm:\(1,2,3\);\(1,2\)/);
  assertUsage('perm:', /malformed permutation group/);
  assertUsage('perm:(1,2);', /malformed permutation group/);
  assertUsage('perm:1,2', /malformed permutation group/);
  assertUsage('perm:(1,1)', /point 1 appears twice in generator "\(1,1\)"/);
  assertUsage('perm:(1,2)(2,3)', /point 2 appears twice/);
  assertUsage('perm:(1,a)', /"a" is not a point; points are integers 1\.\.5040/);
  assertUsage('perm:(1,2.5)', /"2\.5" is not a point/);
  assertUsage('perm:(0,1)', /"0" is not a point/);
  assertUsage('perm:(1,-2)', /"-2" is not a point/);
  assertUsage('perm:(1,2,3,4,5,6,7,8);(1,2)', /more than 5040 elements/);
});
