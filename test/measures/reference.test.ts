import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cyclicGroup, dihedralGroup, directProduct, quaternionGroup, symmetricGroup } from '../../src/groups/families.js';
import type { Group } from '../../src/groups/group.js';
import { Rng } from '../../src/linalg/rng.js';
import { measureColumns } from '../../src/measures/columns.js';
import { characterCube64, crossEntropyOnRows, pairBasis, projectedSquaredNorm, referenceMeasures } from '../../src/measures/reference.js';
import { characterCube } from '../../src/reps/cube.js';
import { orthRep } from '../../src/reps/orth-rep.js';
import { irreps } from '../../src/reps/irreps.js';
import { crossEntropy, accuracy } from '../../src/models/loss.js';
import { labelsOf } from '../../src/train/trainer-state.js';
import { UsageError } from '../../src/util/errors.js';
import { handView, inCoefficientSpan, liftToPairs, randomMatrix, randomSplit, randomView } from './helpers.js';

const close = (x: number, y: number, tol = 1e-9, msg?: string) => assert.ok(Math.abs(x - y) <= tol * Math.max(1, Math.abs(y)), msg ?? `${x} vs ${y}`);
const sumOf = (row: Record<string, number>, G: Group, col: (name: string) => string) => irreps(G).reduce((s, r) => s + row[col(r.name)]!, 0);

const S4 = symmetricGroup(4);
const C3 = cyclicGroup(3);
const Q8 = quaternionGroup();
const C3xC3 = directProduct([C3, C3]);

test('irrep types of the test groups: C3/C3xC3 complex, Q8 quaternionic (the cases the true span matters for)', () => {
  assert.ok(irreps(C3).some((r) => r.type === 'complex'));
  assert.ok(irreps(C3xC3).filter((r) => r.type === 'complex').length >= 4);
  assert.ok(irreps(Q8).some((r) => r.type === 'quaternionic'));
});

test('standard measures: losses and accuracies of the view logits, all columns in measureColumns order', () => {
  const view = randomView(S4, 'mlp', 1);
  const { train, test } = randomSplit(24, 0.4, 3);
  const row = referenceMeasures({ group: S4, irreps: irreps(S4), view, train, test, keyReps: ['sign'] });
  assert.deepEqual(Object.keys(row), measureColumns(irreps(S4).map((r) => r.name)));
  const rowsOf = (rows: Int32Array) => {
    const L = new Float64Array(rows.length * 24);
    rows.forEach((r, i) => L.set(view.logits.subarray(r * 24, r * 24 + 24), i * 24));
    return L;
  };
  close(row.train_loss!, crossEntropy(rowsOf(train), labelsOf(S4, train), 24));
  close(row.test_loss!, crossEntropy(rowsOf(test), labelsOf(S4, test), 24));
  close(row.train_acc!, accuracy(rowsOf(train), labelsOf(S4, train), 24));
  close(row.test_acc!, accuracy(rowsOf(test), labelsOf(S4, test), 24));
  const all = Int32Array.from({ length: 576 }, (_, i) => i);
  close(row.all_loss!, crossEntropy(view.logits, labelsOf(S4, all), 24));
  close(row.test_loss_restricted_loss_ratio!, row.test_loss! / row.total_hidden_restricted_loss!);
  close(row.sum_of_squared_weights!, view.sumOfSquaredWeights);
  for (const [k, v] of Object.entries(row)) assert.ok(Number.isFinite(v), k);
});

test('characterCube64 is the float32 characterCube in float64', () => {
  for (const rho of irreps(S4)) {
    const a = characterCube64(S4, rho),
      b = characterCube(S4, rho);
    for (let i = 0; i < a.length; i += 7) assert.ok(Math.abs(a[i]! - b[i]!) < 1e-6);
  }
});

test('logits = the character cube of a non-trivial irrep: its similarity 1, others 0, logits explained 1', () => {
  for (const [G, name] of [
    [S4, 'standard'],
    [C3xC3, irreps(C3xC3).find((r) => r.type === 'complex')!.name],
    [Q8, irreps(Q8).find((r) => r.type === 'quaternionic')!.name],
  ] as const) {
    const N = G.order;
    const rho = irreps(G).find((r) => r.name === name)!;
    const rng = new Rng(4);
    const h = 6;
    const cube = characterCube64(G, rho);
    const logits = cube.map((x) => 3 * x + 0.7); // shifted by a constant per row: L̃ is 3·T_ρ
    const view = handView(N, { hidden: randomMatrix(rng, N * N, h), U: randomMatrix(rng, h, N), h, logits });
    const { train, test } = randomSplit(N, 0.5, 1);
    const row = referenceMeasures({ group: G, irreps: irreps(G), view, train, test, keyReps: [name] });
    for (const r of irreps(G)) {
      if (r.name === 'trivial') continue;
      close(row[`logit_${r.name}_rep_trace_similarity`]!, r.name === name ? 1 : 0, 1e-12, `${G.name} ${r.name}`);
    }
    close(row.percent_logits_explained!, 1, 1e-12);
    // P_ρ = L̃ = 3 T_ρ: restricted loss is the model's own loss; excluded leaves zero logits (ln N)
    const T = G.table;
    close(row[`logit_restricted_loss_${name}_rep`]!, crossEntropyOnRows(logits, N, T), 1e-12);
    close(row.total_logit_restricted_loss!, row.all_loss!, 1e-12);
    close(row[`logit_excluded_loss_${name}_rep`]!, Math.log(N), 1e-12);
    close(row.total_logit_excluded_loss!, Math.log(N), 1e-12);
  }
});

test("embeddings in the span of ρ's coefficients: x/y embed FVE of ρ is 1, of every other irrep 0", () => {
  for (const G of [S4, C3xC3, Q8, dihedralGroup(5)]) {
    const N = G.order;
    const rng = new Rng(7);
    for (const rho of irreps(G)) {
      const E_a = inCoefficientSpan(rho, N, 5, rng);
      const E_b = inCoefficientSpan(rho, N, 5, rng);
      const U = Float64Array.from({ length: 3 * N }, () => 0);
      const Ut = inCoefficientSpan(rho, N, 3, rng); // Uᵀ [N, 3] in the span
      for (let c = 0; c < N; c++) for (let j = 0; j < 3; j++) U[j * N + c] = Ut[c * 3 + j]!;
      const view = handView(N, { hidden: randomMatrix(rng, N * N, 3), U, h: 3, E_a, E_b });
      const { train, test } = randomSplit(N, 0.5, 2);
      const row = referenceMeasures({ group: G, irreps: irreps(G), view, train, test, keyReps: [] });
      for (const other of irreps(G)) {
        const want = other === rho ? 1 : 0;
        close(row[`percent_x_embed_${other.name}_rep`]!, want, 1e-10, `${G.name} ${rho.name}/${other.name} x`);
        close(row[`percent_y_embed_${other.name}_rep`]!, want, 1e-10, `${G.name} ${rho.name}/${other.name} y`);
        close(row[`percent_unembed_${other.name}_rep`]!, want, 1e-10, `${G.name} ${rho.name}/${other.name} U`);
      }
      assert.equal(row.percent_x_embed_explained, 0); // K empty
    }
  }
});

test('hidden exactly in span ρ(ab): percent_hidden_xy_ρ = 1, restricted loss with K = {ρ} = the model loss', () => {
  for (const G of [S4, C3xC3, Q8]) {
    const N = G.order;
    const rng = new Rng(11);
    const h = 7;
    for (const rho of irreps(G).filter((r) => r.name !== 'trivial')) {
      const hidden = liftToPairs(G, inCoefficientSpan(rho, N, h, rng), h, 'ab'); // H[(a,b)] = f(ab)
      const view = handView(N, { hidden, U: randomMatrix(rng, h, N), h });
      const { train, test } = randomSplit(N, 0.4, 5);
      const row = referenceMeasures({ group: G, irreps: irreps(G), view, train, test, keyReps: [rho.name] });
      const n = rho.name;
      close(row[`percent_hidden_xy_${n}_rep`]!, 1, 1e-10, `${G.name} ${n}`);
      close(row[`percent_hidden_x_${n}_rep`]!, 0, 1e-10);
      close(row[`percent_hidden_y_${n}_rep`]!, 0, 1e-10);
      close(row[`total_percent_hidden_${n}_rep`]!, 1, 1e-10);
      close(row[`percent_hidden_${n}_rep`]!, 1, 1e-10, "the committed batch CSVs' column: share in X + Y + Z");
      close(row.percent_hidden_explained!, 1, 1e-10);
      close(row.percent_hidden_xy_explained!, 1, 1e-10);
      close(row.total_hidden_restricted_loss!, row.all_loss!, 1e-10);
      close(row[`hidden_restricted_loss_${n}_rep`]!, row.all_loss!, 1e-10);
      close(row.total_hidden_excluded_loss!, Math.log(N), 1e-10); // (H − H_ρ) U = 0
      for (const other of irreps(G)) if (other !== rho) close(row[`total_percent_hidden_${other.name}_rep`]!, 0, 1e-10);
      for (const other of irreps(G)) if (other !== rho) close(row[`percent_hidden_${other.name}_rep`]!, 0, 1e-10);
      // the trivial projection of this centred H is 0: restricted loss ln N
      close(row.hidden_restricted_loss_trivial_rep!, Math.log(N), 1e-10);
    }
  }
});

test('hidden losses use hidden·U, not the logits (the transformer case)', () => {
  const G = S4,
    N = 24,
    h = 5;
  const rng = new Rng(2);
  const rho = irreps(G).find((r) => r.name === 'standard')!;
  const hidden = liftToPairs(G, inCoefficientSpan(rho, N, h, rng), h, 'ab');
  const U = randomMatrix(rng, h, N);
  const view = handView(N, { hidden, U, h, logits: new Float64Array(N * N * N) });
  const { train, test } = randomSplit(N, 0.4, 5);
  const row = referenceMeasures({ group: G, irreps: irreps(G), view, train, test, keyReps: ['standard'] });
  close(row.all_loss!, Math.log(N), 1e-12);
  const HU = handView(N, { hidden, U, h }).logits;
  close(row.total_hidden_restricted_loss!, crossEntropyOnRows(HU, N, G.table), 1e-10);
  assert.ok(Math.abs(row.total_hidden_restricted_loss! - Math.log(N)) > 1e-3);
});

test('K empty: key-rep sums are 0, restricted losses are ln N, excluded losses are the (train) losses', () => {
  const view = randomView(C3xC3, 'bilinear', 4);
  const { train, test } = randomSplit(9, 0.5, 1);
  const row = referenceMeasures({ group: C3xC3, irreps: irreps(C3xC3), view, train, test, keyReps: [] });
  for (const c of [
    'percent_x_embed_explained',
    'percent_y_embed_explained',
    'percent_unembed_explained',
    'percent_hidden_explained',
    'percent_hidden_xy_explained',
  ])
    assert.equal(row[c], 0, c);
  close(row.total_logit_restricted_loss!, Math.log(9), 1e-12);
  close(row.total_hidden_restricted_loss!, Math.log(9), 1e-12);
  close(row.total_logit_excluded_loss!, row.train_loss!, 1e-12); // centring does not change CE
  close(row.total_hidden_excluded_loss!, row.train_loss!, 1e-10); // bilinear: H U = logits
});

test('random views over all irreps: embedding FVEs sum to 1; hidden x / y / xy FVEs of functions of a, b, ab sum to 1', () => {
  for (const G of [C3, C3xC3, Q8, S4, cyclicGroup(6)]) {
    const N = G.order;
    const rng = new Rng(N);
    const Gi = irreps(G);
    for (const kind of N <= 9 ? (['mlp', 'bilinear', 'transformer'] as const) : (['mlp', 'bilinear'] as const)) {
      const view = randomView(G, kind, 3, { randomBiases: true });
      const { train, test } = randomSplit(N, 0.5, 1);
      const row = referenceMeasures({ group: G, irreps: Gi, view, train, test, keyReps: Gi.filter((r) => r.name !== 'trivial').map((r) => r.name) });
      close(
        sumOf(row, G, (n) => `percent_x_embed_${n}_rep`),
        1,
        1e-12,
        `${G.name} ${kind} x`,
      );
      close(
        sumOf(row, G, (n) => `percent_y_embed_${n}_rep`),
        1,
        1e-12,
      );
      close(
        sumOf(row, G, (n) => `percent_unembed_${n}_rep`),
        1,
        1e-12,
      );
      // the X, Y, Z spaces of non-trivial irreps are orthogonal and miss the constants: a total FVE ≤ 1
      assert.ok(row.percent_hidden_explained! <= 1 + 1e-12);
      assert.ok(row.percent_logits_explained! <= 1 + 1e-12);
    }
    // hidden a function of a (b, ab): Σ_ρ percent_hidden_x (y, xy) = 1 over all irreps
    const h = 4;
    for (const [pick, col] of [
      ['a', 'percent_hidden_x'],
      ['b', 'percent_hidden_y'],
      ['ab', 'percent_hidden_xy'],
    ] as const) {
      const hidden = liftToPairs(G, randomMatrix(rng, N, h), h, pick);
      const view = handView(N, { hidden, U: randomMatrix(rng, h, N), h });
      const row = referenceMeasures({ group: G, irreps: Gi, view, train: Int32Array.of(0, 1), test: Int32Array.of(2), keyReps: [] });
      close(
        sumOf(row, G, (n) => `${col}_${n}_rep`),
        1,
        1e-10,
        `${G.name} ${col}`,
      );
    }
  }
});

test('logit projections of a random view: Σ_ρ sim² = percent_logits_explained ≤ 1, = 1 with logits in the cube span', () => {
  const G = dihedralGroup(5),
    N = 10;
  const Gi = irreps(G).filter((r) => r.name !== 'trivial');
  const view = randomView(G, 'mlp', 9);
  const { train, test } = randomSplit(N, 0.5, 1);
  const row = referenceMeasures({ group: G, irreps: irreps(G), view, train, test, keyReps: [] });
  close(
    Gi.reduce((s, r) => s + row[`logit_${r.name}_rep_trace_similarity`]! ** 2, 0),
    row.percent_logits_explained!,
    1e-12,
  );
  assert.ok(row.percent_logits_explained! < 1);
  const rng = new Rng(1);
  const logits = new Float64Array(N * N * N);
  const coef = Gi.map(() => rng.normal());
  Gi.forEach((r, i) => characterCube64(G, r).forEach((x, j) => (logits[j]! += coef[i]! * x)));
  const row2 = referenceMeasures({ group: G, irreps: irreps(G), view: { ...view, logits }, train, test, keyReps: Gi.map((r) => r.name) });
  close(row2.percent_logits_explained!, 1, 1e-12);
  close(row2.total_logit_restricted_loss!, row2.all_loss!, 1e-12);
});

test('pairBasis spans have the true rank d²/e and are orthonormal', () => {
  for (const G of [C3xC3, Q8]) {
    const N = G.order;
    for (const rho of irreps(G)) {
      const e = rho.type === 'real' ? 1 : rho.type === 'complex' ? 2 : 4;
      for (const space of ['x', 'y', 'xy'] as const) {
        const Q = pairBasis(G, rho, space);
        const r = Q.length / (N * N);
        assert.equal(r, (rho.dim * rho.dim) / e);
        for (let i = 0; i < r; i++)
          for (let j = 0; j < r; j++) {
            let s = 0;
            for (let k = 0; k < N * N; k++) s += Q[k * r + i]! * Q[k * r + j]!;
            close(s, i === j ? 1 : 0, 1e-12);
          }
      }
    }
  }
});

test('referenceMeasures rejects unknown or repeated key reps and a view of another group', () => {
  const view = randomView(C3, 'mlp', 1);
  const base = { group: C3, irreps: irreps(C3), view, train: Int32Array.of(0), test: Int32Array.of(1) };
  assert.throws(
    () => referenceMeasures({ ...base, keyReps: ['standard'] }),
    (e: unknown) => e instanceof UsageError && /standard/.test(e.message),
  );
  assert.throws(() => referenceMeasures({ ...base, keyReps: ['freq_1', 'freq_1'] }), UsageError);
  assert.throws(() => referenceMeasures({ ...base, group: S4, irreps: irreps(S4), keyReps: [] }), UsageError);
});

test('pairBasis spans the same space as orthRep lifted to pairs (so embedding and hidden spans agree)', () => {
  for (const G of [S4, Q8, C3xC3]) {
    const N = G.order;
    for (const rho of irreps(G)) {
      const Q = orthRep(G, rho);
      const r = Q.length / N;
      for (const [space, pick] of [
        ['x', 'a'],
        ['y', 'b'],
        ['xy', 'ab'],
      ] as const) {
        const V = liftToPairs(
          G,
          Q.map((x) => x / Math.sqrt(N)),
          r,
          pick,
        ); // orthonormal columns, [N², r]
        close(projectedSquaredNorm(pairBasis(G, rho, space), r, V, N * N, r), r, 1e-12, `${G.name} ${rho.name} ${space}`);
      }
    }
  }
});
