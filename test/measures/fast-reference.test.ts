import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseGroup } from '../../src/groups/parse.js';
import { createMeasurer } from '../../src/measures/fast.js';
import { referenceMeasures } from '../../src/measures/reference.js';
import { irreps } from '../../src/reps/irreps.js';
import type { ModelKind } from '../../src/types/trainer.js';
import { randomSplit, randomView } from './helpers.js';

// The fast path against the direct formulas on random models: every column to 1e-6 relative (absolute
// below 1), for odd and even cyclic, dihedral, S4, A4, complex-type (C3xC3) and quaternionic (Q8) irreps.
const TOL = 1e-6;

const cases: { group: string; keys: (names: string[]) => string[] }[] = [
  { group: 'C7', keys: (n) => n.slice(1, 3) },
  { group: 'C8', keys: (n) => n.slice(1) },
  { group: 'D5', keys: (n) => n.slice(2) },
  { group: 'S4', keys: (n) => n.filter((x) => x === 'sign' || x === 'standard') },
  { group: 'A4', keys: () => [] },
  { group: 'C3xC3', keys: (n) => n.slice(1, 4) },
  { group: 'Q8', keys: (n) => n.slice(-1) },
];
const kinds: ModelKind[] = ['mlp', 'transformer', 'bilinear'];

for (const { group, keys } of cases) {
  test(`fast measures = referenceMeasures on ${group} (mlp, transformer, bilinear; random models)`, (t) => {
    const G = parseGroup(group);
    const irr = irreps(G);
    const K = keys(irr.map((r) => r.name));
    const { train, test: testRows } = randomSplit(G.order, 0.45, G.order);
    const measurer = createMeasurer(G, irr, train, testRows);
    for (const [i, kind] of kinds.entries()) {
      const view = randomView(G, kind, 10 + i, { randomBiases: kind === 'transformer', scale: kind === 'transformer' ? 4 : 2 });
      const fast = measurer.measure(view, K);
      const ref = referenceMeasures({ group: G, irreps: irr, view, train, test: testRows, keyReps: K });
      assert.deepEqual(Object.keys(fast), Object.keys(ref));
      let worst = 0;
      let worstKey = '';
      for (const [k, want] of Object.entries(ref)) {
        const err = Math.abs(fast[k]! - want) / Math.max(1, Math.abs(want));
        if (!(err <= worst)) [worst, worstKey] = [err, k];
      }
      t.diagnostic(`${group} ${kind}: max relative difference ${worst.toExponential(1)} (${worstKey}); K = [${K.join(', ')}]`);
      assert.ok(worst < TOL, `${group} ${kind}: ${worstKey} fast ${fast[worstKey]} vs reference ${ref[worstKey]}`);
      // the model is not trivially anything: accuracies and similarities vary
      assert.ok(Object.keys(ref).some((k) => k.endsWith('_trace_similarity') && Math.abs(ref[k]!) > 1e-4));
    }
  });
}
