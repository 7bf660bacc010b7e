import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseGroup } from '../../src/groups/parse.js';
import { Rng } from '../../src/linalg/rng.js';
import { matmul } from '../../src/linalg/matrix.js';
import { irreps } from '../../src/reps/irreps.js';
import { orthRep } from '../../src/reps/orth-rep.js';
import { crossEntropy } from '../../src/models/loss.js';
import { hiddenAblations } from '../../src/analysis/ablations.js';
import { randomMlpView } from './views.js';

/** The notebook's computation, directly: H − Q Qᵀ H with an explicit [N², r] basis, times U, CE on all pairs. */
function reference(
  G: ReturnType<typeof parseGroup>,
  H: Float64Array,
  U: Float64Array,
  h: number,
  basis: (a: number, b: number, k: number) => number,
  r: number,
): number {
  const N = G.order;
  const B = new Float64Array(N * N * r);
  for (let a = 0; a < N; a++) for (let b = 0; b < N; b++) for (let k = 0; k < r; k++) B[(a * N + b) * r + k] = basis(a, b, k);
  const C = new Float64Array(r * h); // Bᵀ H
  for (let i = 0; i < N * N; i++) for (let k = 0; k < r; k++) for (let j = 0; j < h; j++) C[k * h + j]! += B[i * r + k]! * H[i * h + j]!;
  const P = matmul(B, C, N * N, r, h);
  const A = H.map((x, i) => x - P[i]!);
  return crossEntropy(matmul(A, U, N * N, h, N), G.table, N);
}

for (const name of ['S3', 'C5', 'Q8']) {
  test(`hiddenAblations(${name}) agrees with explicit projections on a random MLP`, () => {
    const G = parseGroup(name);
    const irr = irreps(G);
    const N = G.order;
    const h = 7;
    const rng = new Rng(11);
    const view = randomMlpView(G, h, rng);
    const ab = hiddenAblations({ group: G, irreps: irr, view, train: new Int32Array(), test: new Int32Array(), keyReps: [] });
    assert.ok(Math.abs(ab.baseline - crossEntropy(view.logits, G.table, N)) < 1e-12);
    const s = 1 / Math.sqrt(N);
    const trivial = reference(G, view.hidden, view.U, h, () => 1 / N, 1);
    assert.equal(ab.irreps.length, irr.length - 1);
    for (const row of ab.irreps) {
      const Q = orthRep(
        G,
        irr.find((r) => r.name === row.name)!,
      );
      const r = Q.length / N;
      const want = {
        x: reference(G, view.hidden, view.U, h, (a, _b, k) => Q[a * r + k]! * s, r),
        y: reference(G, view.hidden, view.U, h, (_a, b, k) => Q[b * r + k]! * s, r),
        xy: reference(G, view.hidden, view.U, h, (a, b, k) => Q[G.table[a * N + b]! * r + k]! * s, r),
        trivial,
      };
      for (const k of ['x', 'y', 'xy', 'trivial'] as const) {
        assert.ok(Math.abs(row.loss[k] - want[k]) < 1e-9 * Math.max(1, want[k]), `${row.name} ${k}: ${row.loss[k]} vs ${want[k]}`);
        assert.ok(Math.abs(row.relative[k] - (want[k] - ab.baseline) / ab.baseline) < 1e-9);
      }
    }
  });
}
