// Test helper: literal character tables, one value per conjugacy class, given by a representative's label.
import assert from 'node:assert/strict';
import { conjugacyClasses } from '../../src/groups/classes.js';
import type { Group } from '../../src/groups/group.js';
import type { Irrep } from '../../src/reps/irrep.js';

/**
 * Asserts that each irrep's character equals the expected value on every element of each listed class
 * (classes named by a representative's label), and that the listed classes cover the whole group.
 */
export function expectCharacterTable(
  G: Group,
  irreps: readonly Irrep[],
  reps: readonly string[],
  table: Record<string, readonly number[]>,
  tol = 1e-9,
): void {
  const { classes, classOf } = conjugacyClasses(G);
  const classIdx = reps.map((label) => {
    const g = G.labels.indexOf(label);
    assert.ok(g >= 0, `${G.name}: no element labelled ${label}`);
    return classOf[g]!;
  });
  assert.equal(new Set(classIdx).size, reps.length, `${G.name}: the representatives ${reps.join(' ')} are not in distinct classes`);
  assert.equal(
    classIdx.reduce((s, c) => s + classes[c]!.length, 0),
    G.order,
    `${G.name}: the listed classes do not cover the group`,
  );
  assert.deepEqual(irreps.map((r) => r.name).sort(), Object.keys(table).sort(), `${G.name}: irrep names`);
  for (const rho of irreps) {
    const want = table[rho.name]!;
    assert.equal(want.length, reps.length);
    classIdx.forEach((c, k) => {
      for (const g of classes[c]!)
        assert.ok(
          Math.abs(rho.character[g]! - want[k]!) < tol,
          `${G.name} ${rho.name} at ${G.labels[g]} (class of ${reps[k]}): ${rho.character[g]} != ${want[k]}`,
        );
    });
  }
}

/** Cycle type of a permutation, e.g. "3,1,1" (parts in decreasing order, fixed points included). */
export function cycleType(p: Int32Array): string {
  const seen = new Uint8Array(p.length);
  const parts: number[] = [];
  for (let i = 0; i < p.length; i++) {
    if (seen[i]) continue;
    let len = 0;
    for (let j = i; !seen[j]; j = p[j]!) {
      seen[j] = 1;
      len++;
    }
    parts.push(len);
  }
  return parts.sort((a, b) => b - a).join(',');
}

/**
 * χ^λ(μ) by the Murnaghan–Nakayama rule on beta-sets (independent of Young's form): removing a rim hook of
 * length r moves one bead b to b − r (a free position), with sign (−1)^(beads strictly between).
 */
export function murnaghanNakayama(lambda: readonly number[], mu: readonly number[]): number {
  const k = lambda.length;
  const rec = (beta: number[], m: number): number => {
    if (m === mu.length) return 1;
    const r = mu[m]!;
    let total = 0;
    for (const b of beta) {
      const c = b - r;
      if (c < 0 || beta.includes(c)) continue;
      const between = beta.filter((x) => x > c && x < b).length;
      total +=
        (between % 2 ? -1 : 1) *
        rec(
          beta.map((x) => (x === b ? c : x)),
          m + 1,
        );
    }
    return total;
  };
  return rec(
    lambda.map((l, i) => l + k - 1 - i),
    0,
  );
}
