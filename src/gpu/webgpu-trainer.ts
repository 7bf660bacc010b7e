/**
 * The WebGPU trainer (backend 'webgpu'): S members batched in one set of WGSL dispatches.
 * Placeholder for the integration of the branches that build it; replaced by the real trainer.
 */
import { UsageError } from '../util/errors.js';
import type { BatchTrainer, BatchTrainerOptions } from '../train/types.js';

export async function createWebGpuTrainer(opts: BatchTrainerOptions): Promise<BatchTrainer> {
  throw new UsageError(`backend "webgpu" is not available in this build (model ${opts.model.kind}): use --backend wasm`);
}
