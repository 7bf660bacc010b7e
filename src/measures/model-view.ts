/**
 * What the progress measures and analyses see of a trained model (REFERENCE §2 "metric-side objects",
 * §4): the same few float64 arrays for every architecture, so measures never dispatch on the model.
 *
 *            MLP                               transformer                      bilinear
 *   E_a      W_x · W[:d_e]      [N, h]          W_E[:N]          [N, d_model]     W_x  [N, d_e]
 *   E_b      W_y · W[d_e:]      [N, h]          W_E[:N]          [N, d_model]     W_y  [N, d_e]
 *   pre      E_a[a] + E_b[b]    [N², h]         mlp hook_pre, last position       W_x[a] ⊙ W_y[b]
 *   hidden   ReLU(pre)          [N², h]         mlp hook_post, last position      = pre
 *   U        W_U                [h, N]          W_out · W_U      [d_mlp, N]       W_U  [d_e, N]
 *   logits   hidden · U         [N², N]         the model's logits (all paths)    hidden · U
 *   hiddenU  -                                   hidden · U       [N², N]          -
 *
 * Rows of pre/hidden/logits are all N² pairs in the original's order, row r = a·N + b. For the
 * transformer `hidden · U` is not the logits (attention and residual paths are left out, as in the
 * original, REFERENCE §7.2 item 13); measures that say "H U" use exactly that product.
 */
import { dot, matmul } from '../linalg/matrix.js';
import { BILINEAR_PARAM_NAMES } from '../models/bilinear.js';
import { MLP_PARAM_NAMES } from '../models/mlp.js';
import { D_HEAD, D_MLP, D_MODEL, N_HEADS, isFrozenParam, transformerParamSpecs } from '../models/transformer-spec.js';
import type { ModelKind, NamedTensor } from '../types/trainer.js';
import { rowsTimes } from './rows-times.js';
import { sumOfSquares } from './sum-of-squares.js';
import { UsageError } from '../util/errors.js';

export interface ModelView {
  kind: ModelKind;
  /** Group order. */
  N: number;
  /** Columns of E_a and E_b. */
  embedWidth: number;
  /** Hidden width h: columns of pre and hidden, rows of U. */
  h: number;
  E_a: Float64Array; // [N, embedWidth]
  E_b: Float64Array; // [N, embedWidth]
  pre: Float64Array; // [N*N, h]
  hidden: Float64Array; // [N*N, h]
  U: Float64Array; // [h, N]
  logits: Float64Array; // [N*N, N]
  /** The transformer's hidden · U [N*N, N] (not its logits, which add the attention and residual paths). */
  hiddenU?: Float64Array;
  /** Σ of squares of every trained parameter (REFERENCE §4; for the transformer too, unlike the original). */
  sumOfSquaredWeights: number;
}

// ---------------------------------------------------------------------------------------------------------
// Building a view from saved parameters

/**
 * The view of a model of `kind` over a group of order N, from its parameters as saved (float32 named
 * tensors, checkpoint names: MLP W_x, W_y, W, W_U; bilinear W_x, W_y, W_U; transformer TransformerLens
 * names). Everything is computed in float64 over all N² pairs. Throws a UsageError naming the parameter
 * when a name is missing or a shape does not fit N.
 *
 * `reuse`: a view of the same model that is no longer needed; its large arrays (pre, hidden, logits, and
 * the transformer's hiddenU) are overwritten and returned in the new view instead of allocating them at every
 * checkpoint (S5: ~45 MB for the MLP, ~145 MB for the transformer).
 */
export function modelView(kind: ModelKind, params: readonly NamedTensor[], N: number, reuse?: ModelView): ModelView {
  if (!Number.isInteger(N) || N < 1) throw new UsageError(`modelView: group order ${N} is not a positive integer`);
  if (reuse && (reuse.kind !== kind || reuse.N !== N)) reuse = undefined;
  switch (kind) {
    case 'mlp':
      return mlpView(params, N, reuse);
    case 'bilinear':
      return bilinearView(params, N, reuse);
    case 'transformer':
      return transformerView(params, N, reuse);
    default:
      throw new UsageError(`modelView: model kind "${String(kind)}" is not one of mlp, transformer, bilinear`);
  }
}

/** The parameter called `name` as float64, checked against `shape`. */
function param(params: readonly NamedTensor[], kind: ModelKind, name: string, shape: readonly number[]): Float64Array {
  const t = params.find((p) => p.name === name);
  if (!t) throw new UsageError(`${kind} parameter ${name} is missing (parameters given: ${params.map((p) => p.name).join(', ') || 'none'})`);
  if (t.shape.join() !== shape.join()) throw new UsageError(`${kind} parameter ${name} has shape [${t.shape}], expected [${shape}]`);
  return Float64Array.from(t.data);
}

function sumSquares(tensors: readonly NamedTensor[]): number {
  return tensors.reduce((s, t) => s + sumOfSquares(t.data), 0);
}

/** hidden · U over all rows: [N², h] x [h, N] -> [N², N] (register-blocked: about 2× linalg's matmul here) */
function hiddenTimesU(hidden: Float64Array, U: Float64Array, N: number, h: number, out?: Float64Array): Float64Array {
  return rowsTimes(hidden, null, h, U, N, out);
}

/**
 * reuse's array `name` when it has `length` entries, else a new one (contents are overwritten by the caller).
 * modelView passes only a view of the same kind, so an MLP view's hidden is never its pre.
 */
function scratch(reuse: ModelView | undefined, name: 'pre' | 'hidden' | 'logits' | 'hiddenU', length: number): Float64Array {
  const a = reuse?.[name];
  return a && a.length === length ? a : new Float64Array(length);
}

/** A view's small arrays (no N²-row array): what the GPU measurer (src/measures/webgpu-measurer.ts) starts from. */
export type SmallView = Omit<ModelView, 'pre' | 'hidden' | 'logits' | 'hiddenU'>;

/** The small view of the MLP or the bilinear net, whose hidden layer is a function of E_a[a] and E_b[b] (factoredView). */
export type FactoredView = SmallView & { kind: 'mlp' | 'bilinear' };

/**
 * The MLP's or the bilinear net's E_a, E_b, U and weight norm, in float64, from its parameters (checked as
 * modelView checks them): with these, hidden[(a,b)] = ReLU(E_a[a] + E_b[b]) (MLP) or E_a[a] ⊙ E_b[b]
 * (bilinear), and logits = hidden · U.
 */
export function factoredView(kind: 'mlp' | 'bilinear', params: readonly NamedTensor[], N: number): FactoredView {
  const W_xT = params.find((p) => p.name === 'W_x');
  if (!W_xT || W_xT.shape.length !== 2) throw new UsageError(`${kind} parameter W_x is missing or not a matrix`);
  const d_e = W_xT.shape[1]!;
  const W_x = param(params, kind, 'W_x', [N, d_e]);
  const W_y = param(params, kind, 'W_y', [N, d_e]);
  if (kind === 'bilinear') {
    const W_U = param(params, 'bilinear', 'W_U', [d_e, N]);
    const used = params.filter((p) => BILINEAR_PARAM_NAMES.includes(p.name as (typeof BILINEAR_PARAM_NAMES)[number]));
    return { kind, N, embedWidth: d_e, h: d_e, E_a: W_x, E_b: W_y, U: W_U, sumOfSquaredWeights: sumSquares(used) };
  }
  const W_T = params.find((p) => p.name === 'W');
  if (!W_T || W_T.shape.length !== 2) throw new UsageError(`mlp parameter W is missing or not a matrix`);
  const h = W_T.shape[1]!;
  const W = param(params, 'mlp', 'W', [2 * d_e, h]);
  const W_U = param(params, 'mlp', 'W_U', [h, N]);
  const E_a = matmul(W_x, W.subarray(0, d_e * h), N, d_e, h); // [N, d_e] x [d_e, h] -> [N, h]
  const E_b = matmul(W_y, W.subarray(d_e * h), N, d_e, h); // [N, d_e] x [d_e, h] -> [N, h]
  const used = params.filter((p) => MLP_PARAM_NAMES.includes(p.name as (typeof MLP_PARAM_NAMES)[number]));
  return { kind, N, embedWidth: h, h, E_a, E_b, U: W_U, sumOfSquaredWeights: sumSquares(used) };
}

function mlpView(params: readonly NamedTensor[], N: number, reuse?: ModelView): ModelView {
  const f = factoredView('mlp', params, N);
  const { h, E_a, E_b } = f;
  const pre = scratch(reuse, 'pre', N * N * h); // [N², h]
  const hidden = scratch(reuse, 'hidden', N * N * h);
  for (let a = 0; a < N; a++)
    for (let b = 0; b < N; b++) {
      const o = (a * N + b) * h;
      for (let j = 0; j < h; j++) {
        const x = E_a[a * h + j]! + E_b[b * h + j]!;
        pre[o + j] = x;
        hidden[o + j] = x > 0 ? x : 0;
      }
    }
  return { ...f, pre, hidden, logits: hiddenTimesU(hidden, f.U, N, h, scratch(reuse, 'logits', N * N * N)) };
}

function bilinearView(params: readonly NamedTensor[], N: number, reuse?: ModelView): ModelView {
  const f = factoredView('bilinear', params, N);
  const { h: d_e, E_a: W_x, E_b: W_y } = f;
  const pre = scratch(reuse, 'pre', N * N * d_e); // [N², d_e]: W_x[a] ⊙ W_y[b]
  for (let a = 0; a < N; a++)
    for (let b = 0; b < N; b++) {
      const o = (a * N + b) * d_e;
      for (let j = 0; j < d_e; j++) pre[o + j] = W_x[a * d_e + j]! * W_y[b * d_e + j]!;
    }
  return { ...f, pre, hidden: pre, logits: hiddenTimesU(pre, f.U, N, d_e, scratch(reuse, 'logits', N * N * N)) };
}

/**
 * The transformer's per-token tables at the last position (see transformerView): per head h the scaled
 * scores of "=" against a (s0 [H, N]), b (s1 [H, N]) and itself (s2 [H]); the value vectors through W_O[h]
 * then W_in (toIn[h][position]: [N, F] for a and b, [1, F] for "=") and then W_U (toU: [N or 1, N]); and the
 * constant parts of pre (preBase [F]) and of the logits (logitBase [N]).
 */
interface TokenTables {
  s0: Float64Array;
  s1: Float64Array;
  s2: Float64Array;
  toIn: Float64Array[][];
  toU: Float64Array[][];
  preBase: Float64Array;
  logitBase: Float64Array;
}

function transformerTables(P: Record<string, Float64Array>, N: number): TokenTables {
  const H = N_HEADS,
    D = D_MODEL,
    E = D_HEAD,
    F = D_MLP;
  const W_E = P['embed.W_E']!,
    W_pos = P['pos_embed.W_pos']!;
  const W_Q = P['blocks.0.attn.W_Q']!,
    W_K = P['blocks.0.attn.W_K']!,
    W_V = P['blocks.0.attn.W_V']!,
    W_O = P['blocks.0.attn.W_O']!;
  const b_Q = P['blocks.0.attn.b_Q']!,
    b_K = P['blocks.0.attn.b_K']!,
    b_V = P['blocks.0.attn.b_V']!,
    b_O = P['blocks.0.attn.b_O']!;
  const W_in = P['blocks.0.mlp.W_in']!,
    b_in = P['blocks.0.mlp.b_in']!,
    b_out = P['blocks.0.mlp.b_out']!;
  const W_U = P['unembed.W_U']!,
    b_U = P['unembed.b_U']!;

  // r_p for the three positions: r0[a], r1[b] ([N, D] each), r2 ([D])
  const r0 = new Float64Array(N * D),
    r1 = new Float64Array(N * D),
    r2 = new Float64Array(D);
  for (let t = 0; t < N; t++)
    for (let d = 0; d < D; d++) {
      r0[t * D + d] = W_E[t * D + d]! + W_pos[d]!;
      r1[t * D + d] = W_E[t * D + d]! + W_pos[D + d]!;
    }
  for (let d = 0; d < D; d++) r2[d] = W_E[N * D + d]! + W_pos[2 * D + d]!;

  /** x W[h] + b[h]: [rows, D] x [D, E] -> [rows, E] */
  const headProj = (x: Float64Array, rows: number, W: Float64Array, b: Float64Array, h: number): Float64Array => {
    const out = matmul(x, W.subarray(h * D * E, (h + 1) * D * E), rows, D, E);
    for (let i = 0; i < rows; i++) for (let e = 0; e < E; e++) out[i * E + e]! += b[h * E + e]!;
    return out;
  };
  const scale = 1 / Math.sqrt(E);
  // Per head: scores s0[a], s1[b], s2; output tables of the value vectors through W_O[h] (to d_model),
  // then through W_in (to d_mlp) and W_U (to logits).
  const s0 = new Float64Array(H * N),
    s1 = new Float64Array(H * N),
    s2 = new Float64Array(H);
  const toIn: Float64Array[][] = [],
    toU: Float64Array[][] = []; // [h][position]: [N or 1, F] / [N or 1, N]
  for (let h = 0; h < H; h++) {
    const q = headProj(r2, 1, W_Q, b_Q, h); // [1, E]
    const k0 = headProj(r0, N, W_K, b_K, h),
      k1 = headProj(r1, N, W_K, b_K, h),
      k2 = headProj(r2, 1, W_K, b_K, h);
    for (let t = 0; t < N; t++) {
      s0[h * N + t] = dot(q, k0.subarray(t * E, t * E + E)) * scale;
      s1[h * N + t] = dot(q, k1.subarray(t * E, t * E + E)) * scale;
    }
    s2[h] = dot(q, k2) * scale;
    const W_Oh = W_O.subarray(h * E * D, (h + 1) * E * D); // [E, D]
    const vs = [headProj(r0, N, W_V, b_V, h), headProj(r1, N, W_V, b_V, h), headProj(r2, 1, W_V, b_V, h)];
    toIn[h] = [];
    toU[h] = [];
    for (const v of vs) {
      const rows = v.length / E;
      const o = matmul(v, W_Oh, rows, E, D); // [rows, E] x [E, D] -> [rows, D]
      toIn[h]!.push(matmul(o, W_in, rows, D, F)); // [rows, D] x [D, F] -> [rows, F]
      toU[h]!.push(matmul(o, W_U, rows, D, N)); // [rows, D] x [D, N] -> [rows, N]
    }
  }
  // Constant parts: (r2 + b_O) W_in + b_in and (r2 + b_O) W_U + b_out W_U + b_U
  const c = new Float64Array(D);
  for (let d = 0; d < D; d++) c[d] = r2[d]! + b_O[d]!;
  const preBase = matmul(c, W_in, 1, D, F);
  for (let f = 0; f < F; f++) preBase[f]! += b_in[f]!;
  const logitBase = matmul(c, W_U, 1, D, N);
  const boutU = matmul(b_out, W_U, 1, D, N);
  for (let n = 0; n < N; n++) logitBase[n]! += boutU[n]! + b_U[n]!;
  return { s0, s1, s2, toIn, toU, preBase, logitBase };
}

/**
 * The transformer at the last position, in float64, by per-token tables (the same maths as
 * runWithCache, which is the test oracle). With tokens (a, b, =) and causal attention, the last query
 * attends to key/value vectors that depend on a only (position 0), b only (position 1) or nothing
 * (position 2), so per head h with softmax weights p_h0(a,b), p_h1, p_h2:
 *   resid_mid = r2 + b_O + Σ_h (p_h0 v_h(a) + p_h1 v_h(b) + p_h2 v_h(=)) W_O[h]
 *   pre       = resid_mid W_in + b_in      (tables v W_O[h] W_in: [N, d_mlp] per head and position)
 *   logits    = (resid_mid + ReLU(pre) W_out + b_out) W_U + b_U
 * where r_p = W_E[token_p] + W_pos[p].
 */
function transformerView(params: readonly NamedTensor[], N: number, reuse?: ModelView): ModelView {
  const P = transformerParams(params, N);
  const { s0, s1, s2, toIn, toU, preBase, logitBase } = transformerTables(P, N);
  const small = transformerSmall(P, params, N);
  const U = small.U;
  const H = N_HEADS,
    F = D_MLP;
  const pre = scratch(reuse, 'pre', N * N * F); // [N², F]
  const hidden = scratch(reuse, 'hidden', N * N * F);
  const logits = scratch(reuse, 'logits', N * N * N); // [N², N]
  const p = new Float64Array(3);
  for (let a = 0; a < N; a++)
    for (let b = 0; b < N; b++) {
      const r = a * N + b;
      const pr = pre.subarray(r * F, r * F + F);
      const lr = logits.subarray(r * N, r * N + N);
      pr.set(preBase);
      lr.set(logitBase);
      for (let h = 0; h < H; h++) {
        const x0 = s0[h * N + a]!,
          x1 = s1[h * N + b]!,
          x2 = s2[h]!;
        const m = Math.max(x0, x1, x2);
        p[0] = Math.exp(x0 - m);
        p[1] = Math.exp(x1 - m);
        p[2] = Math.exp(x2 - m);
        const z = p[0] + p[1] + p[2];
        const [A, B, C] = toIn[h]!;
        const [AU, BU, CU] = toU[h]!;
        const w0 = p[0] / z,
          w1 = p[1] / z,
          w2 = p[2] / z;
        for (let f = 0; f < F; f++) pr[f]! += w0 * A![a * F + f]! + w1 * B![b * F + f]! + w2 * C![f]!;
        for (let n = 0; n < N; n++) lr[n]! += w0 * AU![a * N + n]! + w1 * BU![b * N + n]! + w2 * CU![n]!;
      }
      for (let f = 0; f < F; f++) {
        const x = pr[f]!;
        hidden[r * F + f] = x > 0 ? x : 0;
      }
    }
  // logits += hidden · U: [N², F] x [F, N] (register-blocked; about 4× the zero-skipping row loop here), kept
  // in the view for the measures that read H U
  const hiddenU = hiddenTimesU(hidden, U, N, F, scratch(reuse, 'hiddenU', N * N * N));
  for (let i = 0; i < logits.length; i++) logits[i]! += hiddenU[i]!;
  return { ...small, pre, hidden, logits, hiddenU };
}

/** Every transformer parameter as float64, checked against its spec (a UsageError names a missing or misshapen one). */
function transformerParams(params: readonly NamedTensor[], N: number): Record<string, Float64Array> {
  const P: Record<string, Float64Array> = {};
  for (const s of transformerParamSpecs(N)) P[s.name] = param(params, 'transformer', s.name, s.shape);
  return P;
}

/** The transformer's small view from its checked parameters P: E_a = E_b = W_E[:N], U = W_out · W_U. */
function transformerSmall(P: Record<string, Float64Array>, params: readonly NamedTensor[], N: number): SmallView {
  const specs = transformerParamSpecs(N);
  const W_E = P['embed.W_E']!;
  const U = matmul(P['blocks.0.mlp.W_out']!, P['unembed.W_U']!, D_MLP, D_MODEL, N); // [F, D] x [D, N] -> [F, N]
  const trained = params.filter((t) => specs.some((s) => s.name === t.name) && !isFrozenParam(t.name));
  const E = W_E.slice(0, N * D_MODEL);
  return { kind: 'transformer', N, embedWidth: D_MODEL, h: D_MLP, E_a: E, E_b: E.slice(), U, sumOfSquaredWeights: sumSquares(trained) };
}

/**
 * The transformer's small view (E_a = E_b = W_E[:N] [N, d_model], U = W_out · W_U [d_mlp, N], the weight norm)
 * from its parameters, checked as modelView checks them: what the GPU measurer needs besides its own forward.
 */
export function transformerSmallView(params: readonly NamedTensor[], N: number): SmallView {
  if (!Number.isInteger(N) || N < 1) throw new UsageError(`transformerSmallView: group order ${N} is not a positive integer`);
  return transformerSmall(transformerParams(params, N), params, N);
}
