/**
 * A row set (the train or the test rows of every member) as the WebGPU trainers' index buffers, shared by
 * src/train/webgpu-trainer.ts and webgpu-transformer.ts (each adds its own uniforms):
 *   rowA, rowB, labels   [S, R]     elements a, b and a·b of row i of member s (row r = a·N + b)
 *   byA.off, byB.off     [S, N+1]   the rows grouped by a and by b (CSR per member, src/gpu/kernels.ts groupRows)
 *   byA.idx, byB.idx     [S, R]
 */
import type { Group } from '../groups/group.js';
import { labelsOf } from './trainer-state.js';
import { groupRows, type GpuKit } from '../gpu/kernels.js';

/** A row set's index buffers: elements, labels and the rows grouped by a and by b (CSR per member). */
export interface RowIndex {
  R: number;
  rowA: GPUBuffer;
  rowB: GPUBuffer;
  labels: GPUBuffer;
  byA: { off: GPUBuffer; idx: GPUBuffer };
  byB: { off: GPUBuffer; idx: GPUBuffer };
}

/** The index buffers of the R rows rowsOf(s) of each member s < S. */
export function rowIndex(kit: GpuKit, group: Group, S: number, rowsOf: (s: number) => Int32Array, R: number): RowIndex {
  const N = group.order;
  const a = new Uint32Array(S * R);
  const b = new Uint32Array(S * R);
  const y = new Uint32Array(S * R);
  for (let s = 0; s < S; s++) {
    const rows = rowsOf(s);
    const lab = labelsOf(group, rows);
    for (let i = 0; i < R; i++) {
      a[s * R + i] = Math.floor(rows[i]! / N);
      b[s * R + i] = rows[i]! % N;
      y[s * R + i] = lab[i]!;
    }
  }
  const gA = groupRows(a, S, R, N);
  const gB = groupRows(b, S, R, N);
  return {
    R,
    rowA: kit.storage('row elements a', a),
    rowB: kit.storage('row elements b', b),
    labels: kit.storage('labels', y),
    byA: { off: kit.storage('rows by a', gA.off), idx: kit.storage('rows by a', gA.idx) },
    byB: { off: kit.storage('rows by b', gB.off), idx: kit.storage('rows by b', gB.idx) },
  };
}
