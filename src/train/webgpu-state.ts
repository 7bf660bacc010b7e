/**
 * A WebGPU batch's TrainerStates: where each parameter tensor and its AdamW moments live in the GPU buffers,
 * and the copies between those buffers and the members' TrainerStates (src/train/trainer-state.ts's format,
 * so a state moves between the backends). Shared by src/train/webgpu-trainer.ts and webgpu-transformer.ts.
 *
 * Buffers, per member s a slice `layout.n` floats long:
 *   parameter banks   [S, bank.layout.n]   each tensor of `specs` in exactly one bank
 *   m, v              [S, moments.n]       the moments of `optimSpecs`
 */
import { packState, unpackState, type TensorSpec } from './trainer-state.js';
import type { TrainerState } from '../types/trainer.js';
import { UsageError } from '../util/errors.js';
import type { GpuKit } from '../gpu/kernels.js';

/** Offsets of tensors concatenated in list order within one member's slice, and the slice's length n (floats). */
export interface TensorLayout {
  at: Map<string, number>;
  n: number;
}

export const sizeOf = (shape: readonly number[]): number => shape.reduce((x, y) => x * y, 1);

export function tensorLayout(list: readonly TensorSpec[]): TensorLayout {
  const at = new Map<string, number>();
  let n = 0;
  for (const p of list) {
    at.set(p.name, n);
    n += sizeOf(p.shape);
  }
  return { at, n };
}

/** The GPU buffers that hold a batch's state (see the file comment). */
export interface GpuStateBuffers {
  /** Every parameter, in state (creation) order. */
  specs: readonly TensorSpec[];
  /** The parameters with AdamW moments, in the moment buffers' order. */
  optimSpecs: readonly TensorSpec[];
  /** The parameter buffers, each with the layout of the tensors it holds. */
  banks: readonly { buf: GPUBuffer; layout: TensorLayout }[];
  m: GPUBuffer;
  v: GPUBuffer;
  moments: TensorLayout;
}

/** Member s's tensor p of `buf` [S, layout.n] (a view). */
const sliceOf = (buf: Float32Array, s: number, layout: TensorLayout) => (p: TensorSpec) =>
  buf.subarray(s * layout.n + layout.at.get(p.name)!, s * layout.n + layout.at.get(p.name)! + sizeOf(p.shape));

/** The bank that holds each of `specs`. */
const homes = (g: GpuStateBuffers) => g.specs.map((p) => g.banks.findIndex((b) => b.layout.at.has(p.name)));

/** Reads the S members' states back (banks in order, then m and v). */
export async function readStates(kit: GpuKit, g: GpuStateBuffers, S: number, step: number): Promise<TrainerState[]> {
  const banks: Float32Array[] = [];
  for (const b of g.banks) banks.push(await kit.read(b.buf, S * b.layout.n));
  const [m, v] = [await kit.read(g.m, S * g.moments.n), await kit.read(g.v, S * g.moments.n)];
  const home = homes(g);
  return Array.from({ length: S }, (_, s): TrainerState => {
    const params = g.specs.map((p, i) => sliceOf(banks[home[i]!]!, s, g.banks[home[i]!]!.layout)(p));
    return packState(step, g.specs, params, g.optimSpecs.map(sliceOf(m, s, g.moments)), g.optimSpecs.map(sliceOf(v, s, g.moments)), g.optimSpecs);
  });
}

/** Writes S states (all at one step) into the buffers and returns that step. */
export function writeStates(device: GPUDevice, g: GpuStateBuffers, S: number, states: readonly TrainerState[]): number {
  if (states.length !== S) throw new UsageError(`setStates: ${states.length} states for a batch of ${S}`);
  const un = states.map((st) => unpackState(st, g.specs, g.optimSpecs));
  if (un.some((u) => u.step !== un[0]!.step))
    throw new UsageError(`setStates: the members' states are at different steps (${un.map((u) => u.step).join(', ')}); a batch trains in lockstep`);
  const banks = g.banks.map((b) => new Float32Array(S * b.layout.n));
  const [m, v] = [new Float32Array(S * g.moments.n), new Float32Array(S * g.moments.n)];
  const home = homes(g);
  un.forEach((u, s) => {
    g.specs.forEach((p, i) => {
      const { layout } = g.banks[home[i]!]!;
      banks[home[i]!]!.set(u.params[i]!, s * layout.n + layout.at.get(p.name)!);
    });
    g.optimSpecs.forEach((p, i) => {
      m.set(u.exp_avg[i]!, s * g.moments.n + g.moments.at.get(p.name)!);
      v.set(u.exp_avg_sq[i]!, s * g.moments.n + g.moments.at.get(p.name)!);
    });
  });
  g.banks.forEach((b, i) => device.queue.writeBuffer(b.buf, 0, banks[i]!));
  device.queue.writeBuffer(g.m, 0, m);
  device.queue.writeBuffer(g.v, 0, v);
  return un[0]!.step;
}
