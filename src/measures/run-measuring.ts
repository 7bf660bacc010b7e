/**
 * Measuring one run's model at successive checkpoints: the measurer of its group, irreps and split is built
 * once, and each checkpoint's float64 view reuses the previous one's arrays (src/measures/model-view.ts).
 * Pure: `train --measures full` and `eval` (src/runs) and the browser's training session use it.
 */
import type { Group } from '../groups/group.js';
import type { Irrep } from '../reps/irrep.js';
import { irreps as irrepsOf } from '../reps/irreps.js';
import type { ModelKind, NamedTensor } from '../types/trainer.js';
import type { MetricsRow } from './columns.js';
import { createMeasurer, type Measurer } from './fast.js';
import { modelView, type ModelView } from './model-view.js';

/** Measures a model of one run (its group, irreps, split and architecture) from its saved parameters. */
export interface RunMeasuring {
  group: Group;
  irreps: Irrep[];
  /** Every measure of REFERENCE §4 for these parameters, totals over `keys`; `epoch` first. */
  measure(params: readonly NamedTensor[], epoch: number, keys: readonly string[]): MetricsRow;
}

/**
 * The same on a device whose results come back asynchronously (the GPU measurer, src/measures/gpu-run-measuring.ts):
 * `measure` resolves to the row runMeasuring's would give (float32 tolerance); dispose() frees its buffers.
 */
export interface AsyncRunMeasuring {
  group: Group;
  irreps: Irrep[];
  measure(params: readonly NamedTensor[], epoch: number, keys: readonly string[]): Promise<MetricsRow>;
  dispose(): void;
}

export function runMeasuring(group: Group, kind: ModelKind, train: Int32Array, test: Int32Array): RunMeasuring {
  const irreps = irrepsOf(group);
  const measurer: Measurer = createMeasurer(group, irreps, train, test);
  let last: ModelView | undefined; // the previous call's view: its arrays are reused (rows are plain numbers)
  return {
    group,
    irreps,
    measure(params, epoch, keys) {
      const view = modelView(kind, params, group.order, last);
      last = view;
      return { epoch, ...measurer.measure(view, keys) };
    },
  };
}
