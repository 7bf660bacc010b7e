/**
 * Measuring one run's model at successive checkpoints on the GPU (`eval --backend webgpu`, `train --measures
 * full --backend webgpu`): the asynchronous twin of runMeasuring (src/measures/run-measuring.ts). The MLP and
 * the bilinear net go through the GPU measurer (webgpu-measurer.ts); the transformer, whose view needs its
 * own forward, is measured on the CPU (createMeasurer on its float64 view), as with --backend wasm.
 */
import type { Group } from '../groups/group.js';
import type { MetricsRow } from './columns.js';
import { runMeasuring, type AsyncRunMeasuring } from './run-measuring.js';
import { irreps as irrepsOf } from '../reps/irreps.js';
import type { ModelKind } from '../types/trainer.js';
import type { GpuContext } from '../gpu/device.js';
import { createGpuMeasurer } from './webgpu-measurer.js';

/** The run's measuring on ctx's device; dispose() frees its buffers (the caller owns the device). */
export function gpuRunMeasuring(ctx: GpuContext, group: Group, kind: ModelKind, train: Int32Array, test: Int32Array): AsyncRunMeasuring {
  if (kind === 'transformer') {
    const cpu = runMeasuring(group, kind, train, test);
    return { ...cpu, onGpu: false, measure: async (params, epoch, keys) => cpu.measure(params, epoch, keys), dispose: () => {} };
  }
  const irreps = irrepsOf(group);
  const m = createGpuMeasurer(ctx, group, irreps, kind, train, test);
  return {
    group,
    irreps,
    onGpu: true,
    async measure(params, epoch, keys): Promise<MetricsRow> {
      return { epoch, ...(await m.measure(params, keys)) };
    },
    dispose: () => m.dispose(),
  };
}
