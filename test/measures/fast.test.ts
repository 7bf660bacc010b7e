import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Group } from '../../src/groups/group.js';
import { parseGroup } from '../../src/groups/parse.js';
import { orthonormalizeColumns } from '../../src/linalg/orthonormalize.js';
import { Rng } from '../../src/linalg/rng.js';
import { typeNorm, type Irrep } from '../../src/reps/irrep.js';
import { irreps } from '../../src/reps/irreps.js';
import { orthRep } from '../../src/reps/orth-rep.js';
import { measureColumns } from '../../src/measures/columns.js';
import { createMeasurer } from '../../src/measures/fast.js';
import type { ModelView } from '../../src/measures/model-view.js';
import type { ModelKind } from '../../src/types/trainer.js';
import { splitData } from '../../src/train/split.js';
import { UsageError } from '../../src/util/errors.js';

// ---- a small, literal implementation of REFERENCE §4 (N²-row matrices, Gram–Schmidt bases, N³ cubes)

function ce(X: Float64Array, N: number, rows: ArrayLike<number>, labels: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < rows.length; i++) {
    const o = rows[i]! * N;
    let m = -Infinity;
    for (let c = 0; c < N; c++) m = Math.max(m, X[o + c]!);
    let z = 0;
    for (let c = 0; c < N; c++) z += Math.exp(X[o + c]! - m);
    s += m + Math.log(z) - X[o + labels[i]!]!;
  }
  return s / rows.length;
}

function mm(A: Float64Array, B: Float64Array, m: number, k: number, n: number): Float64Array {
  const C = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) C[i * n + j]! += A[i * k + p]! * B[p * n + j]!;
  return C;
}

function mmTN(A: Float64Array, B: Float64Array, k: number, m: number, n: number): Float64Array {
  const C = new Float64Array(m * n);
  for (let p = 0; p < k; p++) for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) C[i * n + j]! += A[p * m + i]! * B[p * n + j]!;
  return C;
}

const sq = (a: Float64Array) => a.reduce((s, x) => s + x * x, 0);

function bruteMeasures(
  G: Group,
  irr: readonly Irrep[],
  view: ModelView,
  train: Int32Array,
  test: Int32Array,
  K: readonly string[],
): Record<string, number> {
  const N = G.order;
  const NN = N * N;
  const T = G.table;
  const { logits: L, hidden: H, U, h } = view;
  const all = Int32Array.from({ length: NN }, (_, r) => r);
  const label = (rows: Int32Array) => Int32Array.from(rows, (r) => T[r]!);
  const out: Record<string, number> = {};
  const argmaxHits = (rows: Int32Array) => {
    let hits = 0;
    for (const r of rows) {
      let best = 0;
      for (let c = 1; c < N; c++) if (L[r * N + c]! > L[r * N + best]!) best = c;
      if (best === T[r]) hits++;
    }
    return hits / rows.length;
  };
  out.train_loss = ce(L, N, train, label(train));
  out.test_loss = ce(L, N, test, label(test));
  out.train_acc = argmaxHits(train);
  out.test_acc = argmaxHits(test);
  out.all_loss = ce(L, N, all, label(all));
  const Lc = new Float64Array(L);
  for (let r = 0; r < NN; r++) {
    let m = 0;
    for (let c = 0; c < N; c++) m += L[r * N + c]! / N;
    for (let c = 0; c < N; c++) Lc[r * N + c]! -= m;
  }
  const nLc = Math.sqrt(sq(Lc));
  const P: Record<string, Float64Array> = {};
  let expl = 0;
  for (const rho of irr) {
    if (rho.name === 'trivial') continue;
    const cube = new Float64Array(NN * N);
    for (let r = 0; r < NN; r++) for (let c = 0; c < N; c++) cube[r * N + c] = rho.character[T[T[r]! * N + G.inverses[c]!]!]!;
    let dot = 0;
    for (let p = 0; p < cube.length; p++) dot += Lc[p]! * cube[p]!;
    const nT = Math.sqrt(sq(cube));
    const sim = dot / Math.max(nLc * nT, 1e-8);
    out[`logit_${rho.name}_rep_trace_similarity`] = sim;
    expl += sim * sim;
    P[rho.name] = cube.map((t) => (sim * nLc * t) / nT);
  }
  out.percent_logits_explained = expl;
  const logitLosses = (Pm: Float64Array) =>
    [
      ce(
        Lc.map((x, p) => x - Pm[p]!),
        N,
        train,
        label(train),
      ),
      ce(Pm, N, all, label(all)),
    ] as const;
  for (const rho of irr) {
    if (rho.name === 'trivial') continue;
    const [exc, res] = logitLosses(P[rho.name]!);
    out[`logit_excluded_loss_${rho.name}_rep`] = exc;
    out[`logit_restricted_loss_${rho.name}_rep`] = res;
  }
  const PK = new Float64Array(NN * N);
  for (const k of K) P[k]!.forEach((x, p) => (PK[p]! += x));
  [out.total_logit_excluded_loss, out.total_logit_restricted_loss] = logitLosses(PK);
  const embed: Record<string, number> = {};
  for (const rho of irr) {
    const Q = orthRep(G, rho);
    const r = Q.length / N;
    for (const [key, E, w] of [
      ['x', view.E_a, view.embedWidth],
      ['y', view.E_b, view.embedWidth],
    ] as const)
      embed[`percent_${key}_embed_${rho.name}_rep`] = sq(mmTN(Q, E, N, r, w)) / sq(E);
    const Ut = new Float64Array(N * h);
    for (let p = 0; p < h; p++) for (let c = 0; c < N; c++) Ut[c * h + p] = U[p * N + c]!;
    embed[`percent_unembed_${rho.name}_rep`] = sq(mmTN(Q, Ut, N, r, h)) / sq(U);
    for (const k of ['x_embed', 'y_embed', 'unembed']) out[`percent_${k}_${rho.name}_rep`] = embed[`percent_${k}_${rho.name}_rep`]!;
  }
  for (const k of ['x_embed', 'y_embed', 'unembed']) out[`percent_${k}_explained`] = K.reduce((s, n) => s + embed[`percent_${k}_${n}_rep`]!, 0);
  // hidden
  const mu = new Float64Array(h);
  for (let r = 0; r < NN; r++) for (let j = 0; j < h; j++) mu[j]! += H[r * h + j]! / NN;
  const Hc = H.map((x, p) => x - mu[p % h]!);
  const HU = mm(H, U, NN, h, N);
  const hid: Record<string, number> = {};
  const HK = new Float64Array(NN * h);
  for (const rho of irr) {
    const d2 = rho.dim * rho.dim;
    const rank = d2 / typeNorm(rho.type);
    const fve: number[] = [];
    let QZ: Float64Array | undefined;
    // [X_ρ Y_ρ Z_ρ] side by side [N², 3d²]: percent_hidden_{ρ}_rep is the FVE in their joint span
    const XYZ = new Float64Array(NN * 3 * d2);
    for (const [w, which] of (['x', 'y', 'xy'] as const).entries()) {
      const X = new Float64Array(NN * d2);
      for (let a = 0; a < N; a++)
        for (let b = 0; b < N; b++) {
          const g = which === 'x' ? a : which === 'y' ? b : T[a * N + b]!;
          for (let p = 0; p < d2; p++) X[(a * N + b) * d2 + p] = XYZ[(a * N + b) * 3 * d2 + w * d2 + p] = rho.matrices[g * d2 + p]!;
        }
      const { q, rank: got } = orthonormalizeColumns(X, NN, d2, 1e-8, rank);
      assert.equal(got, rank);
      fve.push(sq(mmTN(q, Hc, NN, rank, h)) / sq(Hc));
      if (which === 'xy') QZ = q;
    }
    const Hr = mm(QZ!, mmTN(QZ!, H, NN, rank, h), NN, rank, h); // Q_Z Q_Zᵀ H
    if (K.includes(rho.name)) Hr.forEach((x, p) => (HK[p]! += x));
    const HrU = mm(Hr, U, NN, h, N);
    hid[`x_${rho.name}`] = fve[0]!;
    hid[`xy_${rho.name}`] = fve[2]!;
    hid[`t_${rho.name}`] = fve[0]! + fve[1]! + fve[2]!;
    out[`percent_hidden_x_${rho.name}_rep`] = fve[0]!;
    out[`percent_hidden_y_${rho.name}_rep`] = fve[1]!;
    out[`percent_hidden_xy_${rho.name}_rep`] = fve[2]!;
    out[`total_percent_hidden_${rho.name}_rep`] = fve[0]! + fve[1]! + fve[2]!;
    const joint = rho.name === 'trivial' ? 1 : 3 * rank; // the trivial irrep's three spans are the constants
    const qj = orthonormalizeColumns(XYZ, NN, 3 * d2, 1e-8, joint);
    assert.equal(qj.rank, joint);
    out[`percent_hidden_${rho.name}_rep`] = sq(mmTN(qj.q, Hc, NN, joint, h)) / sq(Hc);
    out[`hidden_excluded_loss_${rho.name}_rep`] = ce(
      HU.map((x, p) => x - HrU[p]!),
      N,
      train,
      label(train),
    );
    out[`hidden_restricted_loss_${rho.name}_rep`] = ce(HrU, N, all, label(all));
  }
  out.percent_hidden_explained = K.reduce((s, n) => s + hid[`t_${n}`]!, 0);
  out.percent_hidden_xy_explained = K.reduce((s, n) => s + hid[`xy_${n}`]!, 0);
  const HKU = mm(HK, U, NN, h, N);
  out.total_hidden_excluded_loss = ce(
    HU.map((x, p) => x - HKU[p]!),
    N,
    train,
    label(train),
  );
  out.total_hidden_restricted_loss = ce(HKU, N, all, label(all));
  out.test_loss_restricted_loss_ratio = out.test_loss / out.total_hidden_restricted_loss;
  out.sum_of_squared_weights = view.sumOfSquaredWeights;
  return out;
}

/** A random view with the shapes and relations of `kind` (not from real parameters). */
function randomView(kind: ModelKind, N: number, h: number, rng: Rng, scale = 1): ModelView {
  const NN = N * N;
  const rand = (n: number, s: number) => Float64Array.from({ length: n }, () => rng.normal() * s);
  const w = kind === 'transformer' ? 2 * h : h;
  const E_a = rand(N * w, scale);
  const E_b = kind === 'transformer' ? E_a : rand(N * w, scale);
  const pre = new Float64Array(NN * h);
  const mix = rand(w * h, 1 / Math.sqrt(w));
  for (let a = 0; a < N; a++)
    for (let b = 0; b < N; b++)
      for (let j = 0; j < h; j++) {
        const r = (a * N + b) * h + j;
        if (kind === 'bilinear') pre[r] = E_a[a * w + j]! * E_b[b * w + j]!;
        else if (kind === 'mlp') pre[r] = E_a[a * w + j]! + E_b[b * w + j]!;
        else {
          let s = rng.normal() * 0.3;
          for (let p = 0; p < w; p += 7) s += mix[p * h + j]! * (E_a[a * w + p]! + 0.5 * E_a[b * w + p]!);
          pre[r] = s;
        }
      }
  const hidden = kind === 'bilinear' ? pre : pre.map((x) => Math.max(0, x));
  const U = rand(h * N, scale / Math.sqrt(h));
  const logits = mm(hidden, U, NN, h, N);
  if (kind === 'transformer') for (let p = 0; p < logits.length; p++) logits[p]! += rng.normal() * scale; // other paths
  return { kind, N, embedWidth: w, h, E_a, E_b, pre, hidden, U, logits, sumOfSquaredWeights: sq(E_a) + sq(U) };
}

function assertClose(fast: Record<string, number>, want: Record<string, number>, label: string, tol = 1e-9): void {
  assert.deepEqual(Object.keys(fast), Object.keys(want), `${label}: columns`);
  for (const k of Object.keys(want)) {
    const a = fast[k]!;
    const b = want[k]!;
    const err = Math.abs(a - b) / Math.max(1, Math.abs(b));
    assert.ok(err < tol, `${label} ${k}: fast ${a} vs direct ${b}`);
  }
}

const kinds: ModelKind[] = ['mlp', 'transformer', 'bilinear'];

for (const [name, K] of [
  ['C5', ['freq_1']],
  ['C6', ['freq_1', 'sign']],
  ['D5', []],
  ['S4', ['sign', 'standard']],
  ['A4', []],
  ['C3xC3', []],
  ['Q8', []],
] as const) {
  test(`createMeasurer agrees with the direct formulas on ${name} (mlp, transformer, bilinear views)`, () => {
    const G = parseGroup(name);
    const irr = irreps(G);
    const N = G.order;
    const { train, test: testRows } = splitData(N, 0.5, 3);
    const keys = K.length ? [...K] : irr.slice(1, 3).map((r) => r.name);
    const measurer = createMeasurer(G, irr, train, testRows);
    const rng = new Rng(N);
    for (const kind of kinds) {
      const view = randomView(kind, N, 6, rng);
      assertClose(measurer.measure(view, keys), bruteMeasures(G, irr, view, train, testRows, keys), `${name} ${kind}`);
    }
  });
}

test('createMeasurer: huge logits take the direct log-sum-exp fallback and still agree', () => {
  const G = parseGroup('S3');
  const irr = irreps(G);
  const { train, test: testRows } = splitData(6, 0.5, 1);
  const m = createMeasurer(G, irr, train, testRows);
  for (const kind of kinds) {
    const view = randomView(kind, 6, 5, new Rng(7), 40); // logits of order 10³ and more: exp ranges past 600
    let range = 0;
    for (let r = 0; r < 36; r++)
      range = Math.max(range, Math.max(...view.logits.subarray(r * 6, r * 6 + 6)) - Math.min(...view.logits.subarray(r * 6, r * 6 + 6)));
    assert.ok(range > 600, `logit range ${range} is large enough to need the fallback`);
    assertClose(m.measure(view, ['standard']), bruteMeasures(G, irr, view, train, testRows, ['standard']), `S3 ${kind} huge`);
  }
});

test('createMeasurer: K empty gives zero totals and restricted losses ln N; a measurer is reusable', () => {
  const G = parseGroup('D4');
  const irr = irreps(G);
  const { train, test: testRows } = splitData(8, 0.4, 0);
  const m = createMeasurer(G, irr, train, testRows);
  const rng = new Rng(1);
  const v1 = randomView('mlp', 8, 4, rng);
  const v2 = randomView('mlp', 8, 9, rng); // another hidden width through the same measurer
  const first = m.measure(v1, []);
  assert.equal(first.percent_hidden_explained, 0);
  assert.equal(first.percent_x_embed_explained, 0);
  assert.ok(Math.abs(first.total_hidden_restricted_loss! - Math.log(8)) < 1e-12);
  assert.ok(Math.abs(first.total_logit_restricted_loss! - Math.log(8)) < 1e-12);
  assert.ok(Math.abs(first.total_hidden_excluded_loss! - first.train_loss!) < 1e-12, 'nothing excluded: the train loss of H U');
  assertClose(m.measure(v2, ['sign_r', 'freq_1']), bruteMeasures(G, irr, v2, train, testRows, ['sign_r', 'freq_1']), 'D4 second view');
  assertClose(m.measure(v1, []), first, 'D4 first view again');
});

test('createMeasurer: bad key reps and views are rejected', () => {
  const G = parseGroup('C4');
  const { train, test: testRows } = splitData(4, 0.5, 0);
  const m = createMeasurer(G, irreps(G), train, testRows);
  const v = randomView('mlp', 4, 3, new Rng(0));
  assert.throws(
    () => m.measure(v, ['nope']),
    (e: unknown) => e instanceof UsageError && /nope/.test(e.message) && /freq_1/.test(e.message),
  );
  assert.throws(() => m.measure(v, ['freq_1', 'freq_1']), UsageError);
  assert.throws(() => m.measure(randomView('mlp', 5, 3, new Rng(0)), []), UsageError);
  assert.throws(() => createMeasurer(G, irreps(G), Int32Array.from([16]), testRows), UsageError);
});

test('createMeasurer: the row has exactly the columns of measureColumns, in order', () => {
  for (const name of ['S3', 'C4', 'Q8']) {
    const G = parseGroup(name);
    const irr = irreps(G);
    const { train, test: testRows } = splitData(G.order, 0.5, 0);
    const row = createMeasurer(G, irr, train, testRows).measure(randomView('mlp', G.order, 3, new Rng(0)), []);
    assert.deepEqual(Object.keys(row), measureColumns(irr.map((r) => r.name)));
    assert.ok(Object.values(row).every(Number.isFinite), `${name}: every value finite`);
  }
});

test('createMeasurer: a transformer view that carries hiddenU gives the same row as one that does not', () => {
  const G = parseGroup('A4');
  const irr = irreps(G);
  const { train, test: testRows } = splitData(12, 0.6, 5);
  const m = createMeasurer(G, irr, train, testRows);
  const view = randomView('transformer', 12, 5, new Rng(2));
  const withHU: ModelView = { ...view, hiddenU: mm(view.hidden, view.U, 144, 5, 12) };
  const a = m.measure(view, ['standard']);
  const b = m.measure(withHU, ['standard']);
  assertClose(b, a, 'A4 hiddenU', 1e-12);
  // and a wrong hiddenU changes the hidden excluded losses (it is read)
  const wrong: ModelView = { ...view, hiddenU: withHU.hiddenU!.map((x) => 2 * x) };
  assert.notEqual(m.measure(wrong, ['standard']).hidden_excluded_loss_trivial_rep, a.hidden_excluded_loss_trivial_rep);
});
