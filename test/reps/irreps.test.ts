import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cyclicGroup, dihedralGroup, quaternionGroup } from '../../src/groups/families.js';
import { parseGroup } from '../../src/groups/parse.js';
import { groupFromTable } from '../../src/groups/group.js';
import { checkIrreps } from '../../src/reps/check.js';
import { irrepByName, irreps } from '../../src/reps/irreps.js';
import { expectCharacterTable } from './expect-characters.js';

test('irreps(G) for every family: complete, homomorphisms, orthogonal, class functions, unique names, trivial first', () => {
  for (const name of [
    'C1',
    'C5',
    'C6',
    'C12',
    'D3',
    'D4',
    'D5',
    'D6',
    'S1',
    'S2',
    'S3',
    'S4',
    'S5',
    'A3',
    'A4',
    'A5',
    'Q8',
    'C2xC2xC2',
    'C3xS3',
    'C3xC3',
    'C4xQ8',
    'perm:(1,2,3,4);(1,2)',
  ]) {
    const G = parseGroup(name);
    const irr = irreps(G);
    const report = checkIrreps(G, irr);
    assert.deepEqual(report.problems, [], name);
    assert.ok(report.maxError < 1e-9, `${name}: max error ${report.maxError}`);
    for (const r of irr) assert.match(r.name, /^[a-z0-9_]+$/, `${name}: ${r.name} is not usable in a CSV column name`);
  }
});

test('irreps(G) is memoised per group and dispatches on the family', () => {
  const G = dihedralGroup(6);
  assert.equal(irreps(G), irreps(G));
  assert.deepEqual(
    irreps(G).map((r) => r.name),
    ['trivial', 'sign', 'sign_r', 'sign_rs', 'freq_1', 'freq_2'],
  );
  assert.equal(irrepByName(cyclicGroup(7), 'freq_3')?.dim, 2);
  assert.equal(irrepByName(cyclicGroup(7), 'freq_4'), undefined);
  // an untagged table goes to the generic algorithm and its systematic names
  const C4 = cyclicGroup(4);
  const T = groupFromTable('C4 table', C4.table, C4.labels);
  assert.deepEqual(
    irreps(T).map((r) => r.name),
    ['trivial', '1d_a', '2d_a'],
  );
});

test('D4 vs Q8: the same complex character table, different real irreps (D4 five real-type, Q8 one quaternionic 4-d)', () => {
  const D4 = dihedralGroup(4);
  const Q8 = quaternionGroup();
  expectCharacterTable(D4, irreps(D4), ['e', 'r^2', 'r', 's', 'r s'], {
    trivial: [1, 1, 1, 1, 1],
    sign: [1, 1, 1, -1, -1],
    sign_r: [1, 1, -1, 1, -1],
    sign_rs: [1, 1, -1, -1, 1],
    freq_1: [2, -2, 0, 0, 0],
  });
  assert.ok(irreps(D4).every((r) => r.type === 'real'));
  expectCharacterTable(Q8, irreps(Q8), ['1', '-1', 'i', 'j', 'k'], {
    trivial: [1, 1, 1, 1, 1],
    '1d_a': [1, 1, 1, -1, -1],
    '1d_b': [1, 1, -1, 1, -1],
    '1d_c': [1, 1, -1, -1, 1],
    '4d_a': [4, -4, 0, 0, 0], // 2 × the 2-d complex character (2, −2, 0, 0, 0) of D4's freq_1
  });
  const q = irrepByName(Q8, '4d_a')!;
  assert.equal(q.type, 'quaternionic');
  assert.equal(q.indicator, -1);
});
