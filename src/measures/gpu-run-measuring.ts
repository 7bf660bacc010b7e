/**
 * Measuring one run's model at successive checkpoints on the GPU (`eval --backend webgpu`, `train --measures
 * full --backend webgpu`): the asynchronous twin of runMeasuring (src/measures/run-measuring.ts), through the GPU
 * measurer (webgpu-measurer.ts) for every model.
 */
import type { Group } from '../groups/group.js';
import type { MetricsRow } from './columns.js';
import type { AsyncRunMeasuring } from './run-measuring.js';
import { irreps as irrepsOf } from '../reps/irreps.js';
import type { ModelKind } from '../types/trainer.js';
import type { GpuContext } from '../gpu/device.js';
import { createGpuMeasurer } from './webgpu-measurer.js';

/** The run's measuring on ctx's device; dispose() frees its buffers (the caller owns the device). */
export function gpuRunMeasuring(ctx: GpuContext, group: Group, kind: ModelKind, train: Int32Array, test: Int32Array): AsyncRunMeasuring {
  const irreps = irrepsOf(group);
  const m = createGpuMeasurer(ctx, group, irreps, kind, train, test);
  return {
    group,
    irreps,
    async measure(params, epoch, keys): Promise<MetricsRow> {
      return { epoch, ...(await m.measure(params, keys)) };
    },
    dispose: () => m.dispose(),
  };
}
