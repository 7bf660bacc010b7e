/**
 * The paper's one-layer transformer (REFERENCE §2.2), with TransformerLens's parameter names, shapes and
 * hook names: 1 layer, 4 heads, d_model 128, d_head 32, d_mlp 512, ReLU MLP, no LayerNorm, learned
 * positional embedding over n_ctx 3, causal attention scaled by 1/√d_head, d_vocab N+1 (token N is "="),
 * d_vocab_out N. The input of pair (a, b) is the sequence (a, b, N); the logits are read at the last position.
 *
 * This file holds the plain reference (the parameter list and init are in transformer-spec.ts, re-exported
 * here): a float64 forward over all three positions with an activation cache, and its backward, written op by
 * op (each op's backward closure sits next to its forward). The trainer is src/train/transformer-trainer.ts,
 * its fast path (per-token tables, WebAssembly) src/train/transformer-fast.ts.
 *
 * Biases exist (so saved files load in TransformerLens) but are frozen at zero like the original's
 * (`requires_grad=False` on every parameter whose name contains "b_"): no gradient step, no weight decay.
 */

export {
  D_HEAD,
  D_MLP,
  D_MODEL,
  INITIALIZER_RANGE,
  N_CTX,
  N_HEADS,
  initTransformerParams,
  isFrozenParam,
  transformerParamSpecs,
  type TransformerParamSpec,
} from './transformer-spec.js';
import { N_CTX, transformerParamSpecs } from './transformer-spec.js';

/** Parameters as given to the reference: float32 (as saved) or float64 (for finite differences). */
export interface ParamTensor {
  name: string;
  shape: number[];
  data: Float32Array | Float64Array;
}

/** One cached activation (float64, row-major). */
export interface CacheTensor {
  shape: number[];
  data: Float64Array;
}

/** TransformerLens's hook names, in forward order. */
export const TRANSFORMER_HOOK_NAMES = [
  'hook_embed',
  'hook_pos_embed',
  'blocks.0.hook_resid_pre',
  'blocks.0.attn.hook_q',
  'blocks.0.attn.hook_k',
  'blocks.0.attn.hook_v',
  'blocks.0.attn.hook_attn_scores',
  'blocks.0.attn.hook_pattern',
  'blocks.0.attn.hook_z',
  'blocks.0.hook_attn_out',
  'blocks.0.hook_resid_mid',
  'blocks.0.mlp.hook_pre',
  'blocks.0.mlp.hook_post',
  'blocks.0.hook_mlp_out',
  'blocks.0.hook_resid_post',
] as const;
export type TransformerHookName = (typeof TRANSFORMER_HOOK_NAMES)[number];

// ---------------------------------------------------------------------------------------------------------
// A minimal tape: a Var holds float64 data and (after backward) its gradient; every op pushes its backward.

class Var {
  grad: Float64Array | null = null;
  constructor(
    readonly data: Float64Array,
    readonly shape: number[],
  ) {}
  g(): Float64Array {
    return (this.grad ??= new Float64Array(this.data.length));
  }
}

type Tape = (() => void)[];

/** resid[r, p, :] = W_E[tokens[r, p], :]   [rows, 3] -> [rows, 3, D] */
function embed(tape: Tape, W_E: Var, tokens: Int32Array, rows: number): Var {
  const D = W_E.shape[1]!;
  const out = new Var(new Float64Array(rows * N_CTX * D), [rows, N_CTX, D]);
  for (let i = 0; i < rows * N_CTX; i++) out.data.set(W_E.data.subarray(tokens[i]! * D, tokens[i]! * D + D), i * D);
  tape.push(() => {
    const dW = W_E.g(),
      dy = out.g();
    for (let i = 0; i < rows * N_CTX; i++) {
      const t = tokens[i]! * D;
      for (let d = 0; d < D; d++) dW[t + d]! += dy[i * D + d]!;
    }
  });
  return out;
}

/** out[r, p, :] = W_pos[p, :]   -> [rows, 3, D] */
function posEmbed(tape: Tape, W_pos: Var, rows: number): Var {
  const D = W_pos.shape[1]!;
  const out = new Var(new Float64Array(rows * N_CTX * D), [rows, N_CTX, D]);
  for (let r = 0; r < rows; r++) out.data.set(W_pos.data, r * N_CTX * D);
  tape.push(() => {
    const dW = W_pos.g(),
      dy = out.g();
    for (let i = 0; i < dy.length; i++) dW[i % (N_CTX * D)]! += dy[i]!;
  });
  return out;
}

function add(tape: Tape, x: Var, y: Var): Var {
  const out = new Var(new Float64Array(x.data.length), x.shape);
  for (let i = 0; i < out.data.length; i++) out.data[i] = x.data[i]! + y.data[i]!;
  tape.push(() => {
    const dy = out.g(),
      dx1 = x.g(),
      dx2 = y.g();
    for (let i = 0; i < dy.length; i++) {
      dx1[i]! += dy[i]!;
      dx2[i]! += dy[i]!;
    }
  });
  return out;
}

/** y = x W + b over the last axis: [..., K] x [K, M] + [M] -> [..., M] */
function linear(tape: Tape, x: Var, W: Var, b: Var): Var {
  const K = W.shape[0]!,
    M = W.shape[1]!;
  const rows = x.data.length / K;
  const out = new Var(new Float64Array(rows * M), [...x.shape.slice(0, -1), M]);
  const X = x.data,
    Wd = W.data,
    Y = out.data;
  for (let i = 0; i < rows; i++) {
    for (let m = 0; m < M; m++) Y[i * M + m] = b.data[m]!;
    for (let k = 0; k < K; k++) {
      const xv = X[i * K + k]!;
      if (xv === 0) continue;
      for (let m = 0; m < M; m++) Y[i * M + m]! += xv * Wd[k * M + m]!;
    }
  }
  tape.push(() => {
    const dY = out.g(),
      dX = x.g(),
      dW = W.g(),
      db = b.g();
    for (let i = 0; i < rows; i++) {
      for (let k = 0; k < K; k++) {
        let s = 0;
        const xv = X[i * K + k]!;
        for (let m = 0; m < M; m++) {
          const d = dY[i * M + m]!;
          s += d * Wd[k * M + m]!;
          dW[k * M + m]! += xv * d;
        }
        dX[i * K + k]! += s;
      }
      for (let m = 0; m < M; m++) db[m]! += dY[i * M + m]!;
    }
  });
  return out;
}

/** Per-head projection: out[r, p, h, :] = x[r, p, :] W[h] + b[h]   [rows, 3, D] x [H, D, E] -> [rows, 3, H, E] */
function headProject(tape: Tape, x: Var, W: Var, b: Var): Var {
  const [H, D, E] = W.shape as [number, number, number];
  const rows = x.data.length / D;
  const out = new Var(new Float64Array(rows * H * E), [...x.shape.slice(0, -1), H, E]);
  const X = x.data,
    Wd = W.data,
    Y = out.data;
  for (let i = 0; i < rows; i++)
    for (let h = 0; h < H; h++) {
      const o = (i * H + h) * E;
      for (let e = 0; e < E; e++) Y[o + e] = b.data[h * E + e]!;
      for (let d = 0; d < D; d++) {
        const xv = X[i * D + d]!;
        const w = (h * D + d) * E;
        for (let e = 0; e < E; e++) Y[o + e]! += xv * Wd[w + e]!;
      }
    }
  tape.push(() => {
    const dY = out.g(),
      dX = x.g(),
      dW = W.g(),
      db = b.g();
    for (let i = 0; i < rows; i++)
      for (let h = 0; h < H; h++) {
        const o = (i * H + h) * E;
        for (let e = 0; e < E; e++) db[h * E + e]! += dY[o + e]!;
        for (let d = 0; d < D; d++) {
          const xv = X[i * D + d]!;
          const w = (h * D + d) * E;
          let s = 0;
          for (let e = 0; e < E; e++) {
            s += dY[o + e]! * Wd[w + e]!;
            dW[w + e]! += xv * dY[o + e]!;
          }
          dX[i * D + d]! += s;
        }
      }
  });
  return out;
}

/**
 * Causal attention core. scores[r, h, q, k] = q·k / √E (−∞ where k > q), pattern = softmax over k,
 * z[r, q, h, :] = Σ_k pattern[r, h, q, k] v[r, k, h, :].
 * [rows, P, H, E] x3 -> scores, pattern [rows, H, P, P]; z [rows, P, H, E]
 */
function causalAttention(tape: Tape, q: Var, k: Var, v: Var): { scores: Var; pattern: Var; z: Var } {
  const [rows, P, H, E] = q.shape as [number, number, number, number];
  const scale = 1 / Math.sqrt(E);
  const scores = new Var(new Float64Array(rows * H * P * P), [rows, H, P, P]);
  const pattern = new Var(new Float64Array(rows * H * P * P), [rows, H, P, P]);
  const z = new Var(new Float64Array(rows * P * H * E), [rows, P, H, E]);
  const at = (r: number, p: number, h: number) => ((r * P + p) * H + h) * E;
  for (let r = 0; r < rows; r++)
    for (let h = 0; h < H; h++)
      for (let i = 0; i < P; i++) {
        const s = ((r * H + h) * P + i) * P;
        let max = -Infinity;
        for (let j = 0; j < P; j++) {
          if (j > i) {
            scores.data[s + j] = -Infinity;
            continue;
          }
          let dot = 0;
          for (let e = 0; e < E; e++) dot += q.data[at(r, i, h) + e]! * k.data[at(r, j, h) + e]!;
          scores.data[s + j] = dot * scale;
          if (dot * scale > max) max = dot * scale;
        }
        let sum = 0;
        for (let j = 0; j <= i; j++) sum += pattern.data[s + j] = Math.exp(scores.data[s + j]! - max);
        for (let j = 0; j <= i; j++) {
          const pj = (pattern.data[s + j]! /= sum);
          for (let e = 0; e < E; e++) z.data[at(r, i, h) + e]! += pj * v.data[at(r, j, h) + e]!;
        }
      }
  tape.push(() => {
    const dz = z.g(),
      dq = q.g(),
      dk = k.g(),
      dv = v.g(),
      dPat = pattern.g(),
      dS = scores.g();
    for (let r = 0; r < rows; r++)
      for (let h = 0; h < H; h++)
        for (let i = 0; i < P; i++) {
          const s = ((r * H + h) * P + i) * P;
          // z = Σ_j p_j v_j
          let dot = 0;
          for (let j = 0; j <= i; j++) {
            const pj = pattern.data[s + j]!;
            let dp = 0;
            for (let e = 0; e < E; e++) {
              dp += dz[at(r, i, h) + e]! * v.data[at(r, j, h) + e]!;
              dv[at(r, j, h) + e]! += pj * dz[at(r, i, h) + e]!;
            }
            dPat[s + j]! += dp;
            dot += pj * dPat[s + j]!;
          }
          // softmax: ds_j = p_j (dp_j − Σ p dp); scores = q·k·scale
          for (let j = 0; j <= i; j++) {
            const ds = pattern.data[s + j]! * (dPat[s + j]! - dot);
            dS[s + j]! += ds;
            for (let e = 0; e < E; e++) {
              dq[at(r, i, h) + e]! += ds * scale * k.data[at(r, j, h) + e]!;
              dk[at(r, j, h) + e]! += ds * scale * q.data[at(r, i, h) + e]!;
            }
          }
        }
  });
  return { scores, pattern, z };
}

/** attn_out[r, p, :] = Σ_h z[r, p, h, :] W_O[h] + b_O   [rows, P, H, E] x [H, E, D] -> [rows, P, D] */
function headsOut(tape: Tape, z: Var, W_O: Var, b_O: Var): Var {
  const [H, E, D] = W_O.shape as [number, number, number];
  const rows = z.data.length / (H * E);
  const out = new Var(new Float64Array(rows * D), [...z.shape.slice(0, -2), D]);
  const Z = z.data,
    W = W_O.data,
    Y = out.data;
  for (let i = 0; i < rows; i++) {
    for (let d = 0; d < D; d++) Y[i * D + d] = b_O.data[d]!;
    for (let he = 0; he < H * E; he++) {
      const zv = Z[i * H * E + he]!;
      for (let d = 0; d < D; d++) Y[i * D + d]! += zv * W[he * D + d]!;
    }
  }
  tape.push(() => {
    const dY = out.g(),
      dZ = z.g(),
      dW = W_O.g(),
      db = b_O.g();
    for (let i = 0; i < rows; i++) {
      for (let d = 0; d < D; d++) db[d]! += dY[i * D + d]!;
      for (let he = 0; he < H * E; he++) {
        const zv = Z[i * H * E + he]!;
        let s = 0;
        for (let d = 0; d < D; d++) {
          s += dY[i * D + d]! * W[he * D + d]!;
          dW[he * D + d]! += zv * dY[i * D + d]!;
        }
        dZ[i * H * E + he]! += s;
      }
    }
  });
  return out;
}

function relu(tape: Tape, x: Var): Var {
  const out = new Var(new Float64Array(x.data.length), x.shape);
  for (let i = 0; i < out.data.length; i++) out.data[i] = x.data[i]! > 0 ? x.data[i]! : 0;
  tape.push(() => {
    const dy = out.g(),
      dx = x.g();
    for (let i = 0; i < dy.length; i++) if (x.data[i]! > 0) dx[i]! += dy[i]!;
  });
  return out;
}

// ---------------------------------------------------------------------------------------------------------

/** The tokens (a, b, "=") of rows r = a·N + b: [rows, 3]. */
export function transformerTokens(N: number, rows: Int32Array): Int32Array {
  const tokens = new Int32Array(rows.length * N_CTX);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (!(r >= 0 && r < N * N)) throw new RangeError(`row ${r} is outside 0..${N * N - 1}`);
    tokens[3 * i] = Math.floor(r / N);
    tokens[3 * i + 1] = r % N;
    tokens[3 * i + 2] = N;
  }
  return tokens;
}

function paramVars(params: readonly ParamTensor[]): Map<string, Var> {
  const vars = new Map<string, Var>();
  for (const p of params) vars.set(p.name, new Var(Float64Array.from(p.data), p.shape));
  for (const spec of transformerParamSpecs(vars.get('unembed.W_U')?.shape[1] ?? 0)) {
    const v = vars.get(spec.name);
    if (!v || v.shape.join() !== spec.shape.join())
      throw new RangeError(`transformer parameter ${spec.name}: expected shape [${spec.shape}], got ${v ? `[${v.shape}]` : 'none'}`);
  }
  return vars;
}

interface ForwardResult {
  vars: Map<string, Var>;
  tape: Tape;
  /** [rows, 3, N] */
  logits: Var;
  hooks: Map<TransformerHookName, Var>;
}

function forward(params: readonly ParamTensor[], rows: Int32Array): ForwardResult {
  const vars = paramVars(params);
  const P = (name: string) => vars.get(name)!;
  const N = P('unembed.W_U').shape[1]!;
  const R = rows.length;
  const tape: Tape = [];
  const hooks = new Map<TransformerHookName, Var>();
  const hook = (name: TransformerHookName, v: Var) => (hooks.set(name, v), v);

  const tokens = transformerTokens(N, rows);
  const e = hook('hook_embed', embed(tape, P('embed.W_E'), tokens, R)); // [R, 3, D]
  const pe = hook('hook_pos_embed', posEmbed(tape, P('pos_embed.W_pos'), R)); // [R, 3, D]
  const resid_pre = hook('blocks.0.hook_resid_pre', add(tape, e, pe));
  const q = hook('blocks.0.attn.hook_q', headProject(tape, resid_pre, P('blocks.0.attn.W_Q'), P('blocks.0.attn.b_Q'))); // [R, 3, H, E]
  const k = hook('blocks.0.attn.hook_k', headProject(tape, resid_pre, P('blocks.0.attn.W_K'), P('blocks.0.attn.b_K')));
  const v = hook('blocks.0.attn.hook_v', headProject(tape, resid_pre, P('blocks.0.attn.W_V'), P('blocks.0.attn.b_V')));
  const att = causalAttention(tape, q, k, v);
  hook('blocks.0.attn.hook_attn_scores', att.scores); // [R, H, 3, 3]
  hook('blocks.0.attn.hook_pattern', att.pattern);
  hook('blocks.0.attn.hook_z', att.z); // [R, 3, H, E]
  const attn_out = hook('blocks.0.hook_attn_out', headsOut(tape, att.z, P('blocks.0.attn.W_O'), P('blocks.0.attn.b_O'))); // [R, 3, D]
  const resid_mid = hook('blocks.0.hook_resid_mid', add(tape, resid_pre, attn_out));
  const pre = hook('blocks.0.mlp.hook_pre', linear(tape, resid_mid, P('blocks.0.mlp.W_in'), P('blocks.0.mlp.b_in'))); // [R, 3, F]
  const post = hook('blocks.0.mlp.hook_post', relu(tape, pre));
  const mlp_out = hook('blocks.0.hook_mlp_out', linear(tape, post, P('blocks.0.mlp.W_out'), P('blocks.0.mlp.b_out'))); // [R, 3, D]
  const resid_post = hook('blocks.0.hook_resid_post', add(tape, resid_mid, mlp_out));
  const logits = linear(tape, resid_post, P('unembed.W_U'), P('unembed.b_U')); // [R, 3, N]
  return { vars, tape, logits, hooks };
}

/** Last-position logits [rows, N] of full logits [rows, 3, N]. */
function lastPosition(logits: Float64Array, rows: number, N: number): Float64Array {
  const out = new Float64Array(rows * N);
  for (let r = 0; r < rows; r++) out.set(logits.subarray((r * N_CTX + N_CTX - 1) * N, (r * N_CTX + N_CTX) * N), r * N);
  return out;
}

export interface RunWithCacheResult {
  /** [rows, 3, N], as TransformerLens returns them. */
  logits: CacheTensor;
  /** [rows, N]: the logits at the last position (the model's output). */
  lastLogits: CacheTensor;
  /** The requested activations (all hooks by default), keyed by TransformerLens hook name. */
  cache: Map<TransformerHookName, CacheTensor>;
}

/**
 * The reference forward over all three positions on rows r = a·N + b, with the activations of `names`
 * (default: every hook) cached. Nothing is kept after the call returns.
 */
export function runWithCache(params: readonly ParamTensor[], rows: Int32Array, names?: readonly string[]): RunWithCacheResult {
  const known = new Set<string>(TRANSFORMER_HOOK_NAMES);
  for (const n of names ?? []) if (!known.has(n)) throw new RangeError(`unknown hook "${n}": expected one of ${TRANSFORMER_HOOK_NAMES.join(', ')}`);
  const { logits, hooks } = forward(params, rows);
  const N = logits.shape[2]!;
  const cache = new Map<TransformerHookName, CacheTensor>();
  for (const name of TRANSFORMER_HOOK_NAMES) {
    if (names && !names.includes(name)) continue;
    const v = hooks.get(name)!;
    cache.set(name, { shape: [...v.shape], data: v.data });
  }
  return {
    logits: { shape: [...logits.shape], data: logits.data },
    lastLogits: { shape: [rows.length, N], data: lastPosition(logits.data, rows.length, N) },
    cache,
  };
}

export interface ReferenceGradients {
  /** Mean cross-entropy (float64) of the last-position logits against labels. */
  loss: number;
  /** [rows, N] last-position logits. */
  logits: Float64Array;
  /** d loss / d parameter for every parameter (biases included), keyed by name. */
  grads: Map<string, Float64Array>;
}

/**
 * Reference loss and exact float64 gradients of every parameter: mean cross-entropy of the last-position
 * logits of rows r = a·N + b against labels[i] (the group product a·b).
 */
export function referenceLossAndGrads(params: readonly ParamTensor[], rows: Int32Array, labels: Int32Array): ReferenceGradients {
  return lossAndGrads(params, rows, labels, true);
}

/** The reference mean cross-entropy alone (forward only). */
export function referenceLoss(params: readonly ParamTensor[], rows: Int32Array, labels: Int32Array): number {
  return lossAndGrads(params, rows, labels, false).loss;
}

function lossAndGrads(params: readonly ParamTensor[], rows: Int32Array, labels: Int32Array, backward: boolean): ReferenceGradients {
  const { vars, tape, logits } = forward(params, rows);
  const N = logits.shape[2]!;
  const R = rows.length;
  const last = lastPosition(logits.data, R, N);
  // Cross-entropy in float64 and its gradient, seeded into the last position only.
  const dLogits = logits.g();
  let total = 0;
  for (let r = 0; r < R; r++) {
    const o = r * N;
    let max = -Infinity;
    for (let c = 0; c < N; c++) max = Math.max(max, last[o + c]!);
    let sum = 0;
    for (let c = 0; c < N; c++) sum += Math.exp(last[o + c]! - max);
    total += Math.log(sum) + max - last[o + labels[r]!]!;
    const d = (r * N_CTX + N_CTX - 1) * N;
    for (let c = 0; c < N; c++) dLogits[d + c] = (Math.exp(last[o + c]! - max) / sum - (c === labels[r] ? 1 : 0)) / R;
  }
  const grads = new Map<string, Float64Array>();
  if (!backward) return { loss: total / R, logits: last, grads };
  for (let i = tape.length - 1; i >= 0; i--) tape[i]!();
  for (const [name, v] of vars) grads.set(name, v.grad ?? new Float64Array(v.data.length));
  return { loss: total / R, logits: last, grads };
}
