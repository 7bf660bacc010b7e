/**
 * What the fast progress measures (fast.ts) precompute once per run: everything that depends only on the
 * group, its irreps and the train/test split, not on the model — the split's labels and row index, the
 * conjugacy classes of g c⁻¹, each irrep's character on the classes, and every irrep's true coefficient span
 * Q_ρ [N, r_ρ] side by side in one [N, R] matrix.
 */
import { conjugacyClasses } from '../groups/classes.js';
import type { Group } from '../groups/group.js';
import type { Irrep } from '../reps/irrep.js';
import { orthRep } from '../reps/orth-rep.js';
import { UsageError } from '../util/errors.js';
import { TRIVIAL } from './columns.js';

export interface FastTables {
  group: Group;
  N: number;
  NN: number;
  /** Row indices r = a·N + b of the split. */
  train: Int32Array;
  test: Int32Array;
  nTr: number;
  /** trainY[i] = label (the product a·b) of train row i. */
  trainY: Int32Array;
  /** trainIndex[r] = i where train[i] = r, else −1. */
  trainIndex: Int32Array;
  /** Conjugacy classes: how many, their sizes, the identity's class (which is {1}). */
  nK: number;
  classSize: Float64Array;
  eK: number;
  /** gcClass[g·N + c] = class of g c⁻¹. [N²] */
  gcClass: Int32Array;
  /** Irreps in irreps(G) order: names, whether non-trivial. */
  nIrr: number;
  names: readonly string[];
  nontrivial: readonly boolean[];
  /** χ_ρ on the classes, [nIrr, nK]; Σ_x χ_ρ(x)², [nIrr]. */
  chiClass: Float64Array;
  sumChi2: Float64Array;
  /** Irrep i's columns of Qall are qOff[i] .. qOff[i+1]; R = qOff[nIrr]. */
  qOff: Int32Array;
  R: number;
  /** Every Q_ρ side by side: [N, R], and its transpose [R, N]. */
  Qall: Float64Array;
  QallT: Float64Array;
}

/** Checks the split (rows in range, train distinct and not empty) and precomputes the tables. */
export function fastTables(group: Group, irreps: readonly Irrep[], train: Int32Array, test: Int32Array): FastTables {
  const N = group.order;
  const NN = N * N;
  const table = group.table;
  for (const r of [train, test])
    for (let i = 0; i < r.length; i++)
      if (!(r[i]! >= 0 && r[i]! < NN)) throw new UsageError(`split row ${r[i]} is out of range: rows of ${group.name} are 0..${NN - 1}`);
  if (train.length === 0) throw new UsageError('the train split is empty: the excluded losses need train rows');
  const trainY = Int32Array.from(train, (r) => table[r]!);
  const nTr = train.length;
  // train rows must be distinct: their exps are kept by row
  const trainIndex = new Int32Array(NN).fill(-1);
  for (let i = 0; i < nTr; i++) {
    if (trainIndex[train[i]!]! >= 0) throw new UsageError(`split: train row ${train[i]} is listed twice`);
    trainIndex[train[i]!] = i;
  }
  const cc = conjugacyClasses(group);
  return { group, N, NN, train, test, nTr, trainY, trainIndex, ...classTables(group, cc), ...irrepTables(group, irreps, cc.classes) };
}

type Classes = ReturnType<typeof conjugacyClasses>;

function classTables(group: Group, { classes, classOf }: Classes): Pick<FastTables, 'nK' | 'classSize' | 'eK' | 'gcClass'> {
  const N = group.order;
  const eK = classOf[group.identity]!;
  if (classes[eK]!.length !== 1) throw new Error(`createMeasurer: the identity's class of ${group.name} is not {1}`);
  const gcClass = new Int32Array(N * N);
  for (let g = 0; g < N; g++) for (let c = 0; c < N; c++) gcClass[g * N + c] = classOf[group.table[g * N + group.inverses[c]!]!]!;
  return { nK: classes.length, classSize: Float64Array.from(classes, (k) => k.length), eK, gcClass };
}

function irrepTables(
  group: Group,
  irreps: readonly Irrep[],
  classes: Classes['classes'],
): Pick<FastTables, 'nIrr' | 'names' | 'nontrivial' | 'chiClass' | 'sumChi2' | 'qOff' | 'R' | 'Qall' | 'QallT'> {
  const N = group.order;
  const nIrr = irreps.length;
  const nK = classes.length;
  const chiClass = new Float64Array(nIrr * nK);
  const sumChi2 = new Float64Array(nIrr);
  const qOff = new Int32Array(nIrr + 1);
  const spans = irreps.map((rho, i) => {
    if (rho.character.length !== N)
      throw new Error(`createMeasurer: irrep ${rho.name} has ${rho.character.length} character values, expected ${N} for ${group.name}`);
    for (let k = 0; k < nK; k++) chiClass[i * nK + k] = rho.character[classes[k]![0]!]!;
    for (let x = 0; x < N; x++) sumChi2[i]! += rho.character[x]! ** 2;
    const q = orthRep(group, rho);
    qOff[i + 1] = qOff[i]! + q.length / N;
    return q;
  });
  const R = qOff[nIrr]!;
  const Qall = new Float64Array(N * R); // [N, R]
  const QallT = new Float64Array(R * N); // [R, N]
  spans.forEach((q, i) => {
    const r = qOff[i + 1]! - qOff[i]!;
    for (let g = 0; g < N; g++)
      for (let j = 0; j < r; j++) {
        Qall[g * R + qOff[i]! + j] = q[g * r + j]!;
        QallT[(qOff[i]! + j) * N + g] = q[g * r + j]!;
      }
  });
  return {
    nIrr,
    names: irreps.map((rho) => rho.name),
    nontrivial: irreps.map((rho) => rho.name !== TRIVIAL),
    chiClass,
    sumChi2,
    qOff,
    R,
    Qall,
    QallT,
  };
}

/** Sum over irrep blocks of ‖rows of X [R, w]‖², per irrep, into out [nIrr]. */
export function blockSquares(t: FastTables, X: Float64Array, w: number, out: Float64Array): void {
  for (let i = 0; i < t.nIrr; i++) {
    let s = 0;
    for (let p = t.qOff[i]! * w; p < t.qOff[i + 1]! * w; p++) s += X[p]! * X[p]!;
    out[i] = s;
  }
}

/** Σ_{i ∈ K} v[i]. */
export function sumOver(K: readonly number[], v: Float64Array): number {
  let s = 0;
  for (const i of K) s += v[i]!;
  return s;
}
