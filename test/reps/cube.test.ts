import { test } from 'node:test';
import assert from 'node:assert/strict';
import { symmetricGroup, quaternionGroup } from '../../src/groups/families.js';
import { mul } from '../../src/groups/group.js';
import { Rng } from '../../src/linalg/rng.js';
import { characterCube } from '../../src/reps/cube.js';
import { genericRealIrreps } from '../../src/reps/generic.js';

for (const G of [symmetricGroup(4), quaternionGroup()]) {
  test(`characterCube(${G.name}): χ(a·b·c⁻¹) at random positions, zero sums along c, trivial all ones`, () => {
    const N = G.order;
    const irr = genericRealIrreps(G, new Rng(0));
    const rng = new Rng(1);
    for (const rho of irr) {
      const cube = characterCube(G, rho);
      assert.equal(cube.length, N * N * N);
      for (let t = 0; t < 300; t++) {
        const [a, b, c] = [rng.int(N), rng.int(N), rng.int(N)];
        const want = rho.character[mul(G, mul(G, a, b), G.inverses[c]!)]!;
        assert.ok(Math.abs(cube[a * N * N + b * N + c]! - want) < 1e-6);
      }
      for (let t = 0; t < 20; t++) {
        const [a, b] = [rng.int(N), rng.int(N)];
        let s = 0;
        for (let c = 0; c < N; c++) s += cube[a * N * N + b * N + c]!;
        if (rho.name === 'trivial') assert.equal(s, N);
        else assert.ok(Math.abs(s) < 1e-4, `${rho.name}: Σ_c = ${s}`);
      }
    }
    assert.ok(characterCube(G, irr[0]!).every((x) => x === 1));
  });
}
