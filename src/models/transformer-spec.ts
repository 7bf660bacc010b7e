/**
 * The transformer's sizes, parameter list (TransformerLens names, shapes, creation order) and init: what a
 * saved model is read against. Pure, without the training code of src/models/transformer.ts (which
 * re-exports all of it), so that the measures and the browser's model view need not load the kernels.
 */
import { Rng } from '../linalg/rng.js';
import type { NamedTensor } from '../types/trainer.js';

export const D_MODEL = 128;
export const N_HEADS = 4;
export const D_HEAD = 32;
export const D_MLP = 512;
export const N_CTX = 3;
/** TransformerLens's GPT-2-style init scale, 0.8/√d_model. */
export const INITIALIZER_RANGE = 0.8 / Math.sqrt(D_MODEL);

export interface TransformerParamSpec {
  name: string;
  shape: number[];
  /** Weights are drawn N(0, INITIALIZER_RANGE); biases start (and stay) at zero. */
  init: 'normal' | 'zero';
}

/** The parameters of the transformer over a group of order N, in creation order (= init draw order). */
export function transformerParamSpecs(N: number): TransformerParamSpec[] {
  const H = N_HEADS,
    D = D_MODEL,
    E = D_HEAD,
    F = D_MLP;
  const w = (name: string, shape: number[]): TransformerParamSpec => ({ name, shape, init: 'normal' });
  const b = (name: string, shape: number[]): TransformerParamSpec => ({ name, shape, init: 'zero' });
  return [
    w('embed.W_E', [N + 1, D]),
    w('pos_embed.W_pos', [N_CTX, D]),
    w('blocks.0.attn.W_Q', [H, D, E]),
    w('blocks.0.attn.W_K', [H, D, E]),
    w('blocks.0.attn.W_V', [H, D, E]),
    w('blocks.0.attn.W_O', [H, E, D]),
    b('blocks.0.attn.b_Q', [H, E]),
    b('blocks.0.attn.b_K', [H, E]),
    b('blocks.0.attn.b_V', [H, E]),
    b('blocks.0.attn.b_O', [D]),
    w('blocks.0.mlp.W_in', [D, F]),
    b('blocks.0.mlp.b_in', [F]),
    w('blocks.0.mlp.W_out', [F, D]),
    b('blocks.0.mlp.b_out', [D]),
    w('unembed.W_U', [D, N]),
    b('unembed.b_U', [N]),
  ];
}

/** Frozen parameters (the biases): the original set requires_grad=False on every name containing "b_". */
export function isFrozenParam(name: string): boolean {
  return name.includes('b_');
}

/**
 * Initial parameters: one `new Rng(seed)`; the weights, in the creation order above, each filled row-major
 * with N(0,1)·INITIALIZER_RANGE draws rounded to float32; the biases are zero and draw nothing.
 * (TransformerLens's GPT-2 init does the same per parameter; the draws differ since our Rng is not torch's.)
 */
export function initTransformerParams(N: number, seed: number): NamedTensor[] {
  const rng = new Rng(seed);
  return transformerParamSpecs(N).map(({ name, shape, init }) => {
    const data = new Float32Array(shape.reduce((x, y) => x * y, 1));
    if (init === 'normal') for (let i = 0; i < data.length; i++) data[i] = rng.normal() * INITIALIZER_RANGE;
    return { name, shape: [...shape], data };
  });
}
