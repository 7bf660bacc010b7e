/**
 * Parameter initialisation as the original (REFERENCE §2.1): parameters are created in order, each
 * filled row-major with N(0,1) draws from one `new Rng(seed)` times a scale, rounded to float32.
 */
import { Rng } from '../linalg/rng.js';
import type { ModelConfig, NamedTensor } from '../types/trainer.js';

export interface ParamSpec {
  name: string;
  shape: [number, number];
  /** Multiplies the N(0,1) draws. */
  scale: number;
}

/** The parameters of an MLP or bilinear net over a group of order N, in creation order. */
export function paramSpecs(model: ModelConfig, N: number): ParamSpec[] {
  const d = model.embedDim;
  const h = model.hiddenDim;
  if (model.kind === 'mlp')
    return [
      { name: 'W_x', shape: [N, d], scale: 1 / Math.sqrt(d) },
      { name: 'W_y', shape: [N, d], scale: 1 / Math.sqrt(d) },
      { name: 'W', shape: [2 * d, h], scale: 1 / Math.sqrt(2 * d) },
      { name: 'W_U', shape: [h, N], scale: 1 / Math.sqrt(h) },
    ];
  if (model.kind === 'bilinear')
    return [
      { name: 'W_x', shape: [N, d], scale: 1 / Math.sqrt(d) },
      { name: 'W_y', shape: [N, d], scale: 1 / Math.sqrt(d) },
      { name: 'W_U', shape: [d, N], scale: 1 / Math.sqrt(d) },
    ];
  throw new Error(`paramSpecs: no MLP-style parameters for model kind ${model.kind}`);
}

/** Draws the parameters of `specs` from `new Rng(seed)` in order. */
export function initParams(specs: readonly ParamSpec[], seed: number): NamedTensor[] {
  const rng = new Rng(seed);
  return specs.map(({ name, shape, scale }) => {
    const data = new Float32Array(shape[0] * shape[1]);
    for (let i = 0; i < data.length; i++) data[i] = rng.normal() * scale;
    return { name, shape: [...shape], data };
  });
}
