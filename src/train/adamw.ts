/**
 * AdamW as PyTorch's `torch.optim.AdamW` (single-tensor path of torch 1.12, the original's version), on
 * float32 parameters and moments. Per element, in float32 with the scalars rounded to float32:
 *   p  = p·(1 − lr·wd)                         decoupled weight decay, before the Adam update
 *   m  = m·β1 + (1 − β1)·g
 *   v  = v·β2 + ((1 − β2)·g)·g
 *   p  = p + (−lr/(1 − β1^t))·m / (√v / √(1 − β2^t) + eps)
 * Every operation is rounded to float32 in this order, so the WebAssembly kernel (assembly/mlp.ts
 * `adamw`) gives bit-identical results.
 */
import type { OptimConfig } from '../types/trainer.js';

export const DEFAULT_OPTIM: OptimConfig = { lr: 1e-3, weightDecay: 1.0, betas: [0.9, 0.98], eps: 1e-8 };

/** The float32 scalars of step number `step` (1-based, as PyTorch's `state['step']` after increment). */
export interface AdamWScalars {
  decay: number;
  beta1: number;
  oneMinusBeta1: number;
  beta2: number;
  oneMinusBeta2: number;
  negStepSize: number;
  bc2Sqrt: number;
  eps: number;
}

export function adamwScalars(cfg: OptimConfig, step: number): AdamWScalars {
  const [b1, b2] = cfg.betas;
  const f = Math.fround;
  return {
    decay: f(1 - cfg.lr * cfg.weightDecay),
    beta1: f(b1),
    oneMinusBeta1: f(1 - b1),
    beta2: f(b2),
    oneMinusBeta2: f(1 - b2),
    negStepSize: f(-(cfg.lr / (1 - b1 ** step))),
    bc2Sqrt: f(Math.sqrt(1 - b2 ** step)),
    eps: f(cfg.eps),
  };
}

/** One AdamW update of one parameter tensor in place (p, m, v updated; g read). */
export function adamwUpdate(p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, s: AdamWScalars): void {
  const f = Math.fround;
  for (let i = 0; i < p.length; i++) {
    const gi = g[i]!;
    const pi = f(p[i]! * s.decay);
    const mi = f(f(m[i]! * s.beta1) + f(gi * s.oneMinusBeta1));
    const vi = f(f(v[i]! * s.beta2) + f(f(gi * s.oneMinusBeta2) * gi));
    const denom = f(f(Math.sqrt(vi) / s.bc2Sqrt) + s.eps);
    p[i] = f(pi + f(f(s.negStepSize * mi) / denom));
    m[i] = mi;
    v[i] = vi;
  }
}

/** AdamW state over a list of parameter tensors: moments exp_avg / exp_avg_sq and the step count. */
export class AdamW {
  step = 0;
  readonly exp_avg: Float32Array[];
  readonly exp_avg_sq: Float32Array[];

  constructor(
    readonly cfg: OptimConfig,
    sizes: readonly number[],
  ) {
    this.exp_avg = sizes.map((n) => new Float32Array(n));
    this.exp_avg_sq = sizes.map((n) => new Float32Array(n));
  }

  /** Applies one step to `params` given `grads` (same order and sizes as the constructor's). */
  update(params: readonly Float32Array[], grads: readonly Float32Array[]): void {
    this.step++;
    const s = adamwScalars(this.cfg, this.step);
    for (let i = 0; i < params.length; i++) adamwUpdate(params[i]!, grads[i]!, this.exp_avg[i]!, this.exp_avg_sq[i]!, s);
  }
}
