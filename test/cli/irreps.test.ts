import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../../src/runs/package-root.js';

const root = packageRoot();

/** Runs the built CLI: `node bin/grokgroups.js ...args`. */
function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'grokgroups.js'), ...args], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface IrrepsJson {
  group: string;
  order: number;
  identity: number;
  elements: { label: string; perm?: number[] }[];
  table: number[][];
  classes: { size: number; order: number; elements: number[] }[];
  irreps: { name: string; dim: number; type: string; indicator: number; character: number[]; matrices?: number[][][] }[];
}

const norm: Record<string, number> = { real: 1, complex: 2, quaternionic: 4 };

test('grokgroups irreps S3 prints the character table', () => {
  const { code, stdout, stderr } = cli('irreps', 'S3');
  assert.equal(code, 0, stderr);
  assert.equal(stderr, '');
  const lines = stdout.trimEnd().split('\n');
  assert.match(lines[0]!, /^S3: order 6, 3 conjugacy classes, 3 real irreps$/);
  const field = (label: string) =>
    lines
      .find((l) => l.trimStart().startsWith(label + ' '))!
      .trim()
      .split(/\s+/)
      .slice(1);
  // classes: identity, the transpositions (first is (2,3), index 1), the 3-cycles
  assert.deepEqual(field('size'), ['1', '3', '2']);
  assert.deepEqual(field('order'), ['1', '2', '3']);
  assert.deepEqual(field('representative'), ['()', '(2,3)', '(1,2,3)']);
  const start = lines.findIndex((l) => /^irrep\s+dim\s+type/.test(l));
  assert.ok(start > 0);
  const rows = lines.slice(start + 1).map((l) => l.trim().split(/\s+/));
  assert.equal(rows.length, 3);
  assert.deepEqual(rows[0], ['trivial', '1', 'real', '1', '1', '1']);
  const rest = rows
    .slice(1)
    .map((r) => r.slice(1).join(' '))
    .sort();
  assert.deepEqual(rest, ['1 real 1 -1 1', '2 real 2 0 -1']);
  // aligned: the class rows and the irrep rows all end in the same column
  const ends = lines
    .slice(2)
    .filter((l) => !/^irrep\s/.test(l))
    .map((l) => l.length);
  assert.equal(new Set(ends).size, 1, `aligned columns:\n${stdout}`);
});

test('grokgroups irreps S4 --json: 5 irreps whose dims² (over type norms) sum to 24', () => {
  const { code, stdout, stderr } = cli('irreps', 'S4', '--json');
  assert.equal(code, 0, stderr);
  const doc = JSON.parse(stdout) as IrrepsJson;
  assert.equal(doc.group, 'S4');
  assert.equal(doc.order, 24);
  assert.equal(doc.identity, 0);
  assert.equal(doc.elements.length, 24);
  assert.deepEqual(doc.elements[0], { label: '()', perm: [1, 2, 3, 4] });
  assert.equal(doc.table.length, 24);
  assert.ok(doc.table.every((row) => row.length === 24));
  assert.deepEqual(
    doc.classes.map((c) => c.size).sort((a, b) => a - b),
    [1, 3, 6, 6, 8],
  );
  assert.equal(doc.irreps.length, 5);
  assert.equal(doc.irreps[0]!.name, 'trivial');
  assert.equal(
    doc.irreps.reduce((s, r) => s + (r.dim * r.dim) / norm[r.type]!, 0),
    24,
  );
  for (const r of doc.irreps) {
    assert.equal(r.character.length, 24);
    assert.equal(r.character[0], r.dim);
    assert.ok(
      r.character.every((v) => Number.isInteger(v)),
      `S4 characters are integers: ${r.name}`,
    );
    assert.equal(r.matrices, undefined);
  }
  // perms compose as the table says: perm of a·b = perm a, then perm b
  for (let a = 0; a < 24; a += 5)
    for (let b = 0; b < 24; b += 7) {
      const pa = doc.elements[a]!.perm!;
      const pb = doc.elements[b]!.perm!;
      assert.deepEqual(
        doc.elements[doc.table[a]![b]!]!.perm,
        pa.map((i) => pb[i - 1]),
      );
    }
});

test('grokgroups irreps --json --matrices: one dim×dim matrix per element, a homomorphism', () => {
  const { code, stdout, stderr } = cli('irreps', 'D4', '--json', '--matrices');
  assert.equal(code, 0, stderr);
  const doc = JSON.parse(stdout) as IrrepsJson;
  assert.equal(doc.order, 8);
  assert.equal(
    doc.irreps.reduce((s, r) => s + (r.dim * r.dim) / norm[r.type]!, 0),
    8,
  );
  for (const r of doc.irreps) {
    const M = r.matrices!;
    assert.equal(M.length, 8);
    for (const m of M) {
      assert.equal(m.length, r.dim);
      for (const row of m) assert.equal(row.length, r.dim);
    }
    // trace = character; ρ(a)ρ(b) = ρ(a·b)
    M.forEach((m, g) => assert.ok(Math.abs(m.reduce((s, row, i) => s + row[i]!, 0) - r.character[g]!) < 1e-9));
    for (let a = 0; a < 8; a++)
      for (let b = 0; b < 8; b++) {
        const ab = M[doc.table[a]![b]!]!;
        for (let i = 0; i < r.dim; i++)
          for (let j = 0; j < r.dim; j++) {
            let s = 0;
            for (let k = 0; k < r.dim; k++) s += M[a]![i]![k]! * M[b]![k]![j]!;
            assert.ok(Math.abs(s - ab[i]![j]!) < 1e-9, `${r.name}: ρ(${a})ρ(${b})`);
          }
      }
  }
});

test('grokgroups irreps: bad group names exit 2 with one line on stderr and nothing on stdout', () => {
  for (const name of ['Q9', 'D2x', 'S99', 'perm:(1,2']) {
    const { code, stdout, stderr } = cli('irreps', name);
    assert.equal(code, 2, name);
    assert.equal(stdout, '', name);
    assert.match(stderr, /^grokgroups: [^\n]+\n$/, name);
    assert.ok(stderr.includes(`"${name}"`), `${name}: ${stderr}`);
  }
});

test('grokgroups irreps: bad options and arguments exit 2 naming them', () => {
  const bad = cli('irreps', 'S3', '--jsno');
  assert.equal(bad.code, 2);
  assert.equal(bad.stdout, '');
  assert.match(bad.stderr, /^grokgroups: unknown option "--jsno"[^\n]*\n$/);
  assert.match(cli('irreps').stderr, /^grokgroups: irreps needs a group/);
  assert.equal(cli('irreps', 'S3', 'S4').code, 2);
  assert.match(cli('irreps', 'S3', '--matrices').stderr, /"--matrices" needs --json/);
  const help = cli('irreps', '--help');
  assert.equal(help.code, 0);
  assert.match(help.stdout, /usage: grokgroups irreps <GROUP>/);
});
