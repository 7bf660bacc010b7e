/**
 * createTrainer: the one entry point of the training core. Dispatches on the model kind and backend:
 * MLP and bilinear net on 'wasm' (default, src/kernels/) or 'js' (plain reference, src/train/js-trainer.ts).
 */
import { UsageError } from '../util/errors.js';
import { createWasmTrainer } from './wasm-trainer.js';
import { createJsTrainer } from './js-trainer.js';
import { createTransformerTrainer } from './transformer-trainer.js';
import type { Trainer, TrainerOptions } from '../types/trainer.js';

export async function createTrainer(opts: TrainerOptions): Promise<Trainer> {
  const backend = opts.backend ?? 'wasm';
  if (backend !== 'wasm' && backend !== 'js') throw new UsageError(`backend "${backend}" is not one of wasm, js`);
  switch (opts.model.kind) {
    case 'mlp':
    case 'bilinear':
      return backend === 'js' ? createJsTrainer(opts) : createWasmTrainer(opts);
    case 'transformer':
      return createTransformerTrainer(opts);
    default:
      throw new UsageError(`model kind "${opts.model.kind}" is not supported here: expected mlp, bilinear or transformer`);
  }
}
