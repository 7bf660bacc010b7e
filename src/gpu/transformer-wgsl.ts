/**
 * WGSL sources of the transformer on WebGPU (src/train/webgpu-transformer.ts). The matmuls, the row
 * cross-entropy, the loss sums, the ReLU backward and AdamW are src/gpu/wgsl.ts's; these are the
 * transformer's own kernels. As there, S members are one slice each of every buffer and elementwise kernels
 * index a 2-D grid of 256-thread workgroups.
 *
 * Only the last position's logits enter the loss, and a layer's last position depends on positions 0 and 1
 * only through their keys and values, which depend on a alone or b alone. So the attention is computed from
 * per-token tables over T = 2N + 1 "tokens" t of a member:
 *   X[t] = W_E[t] + W_pos[0] (t < N, the a of a row), W_E[t − N] + W_pos[1] (N <= t < 2N, the b),
 *          W_E[N] + W_pos[2] (t = 2N, the "=" of the last position: the residual c)
 *   K[t, h] = X[t] W_K[h] + b_K[h], V[t, h] likewise, q[h] = c W_Q[h] + b_Q[h]
 *   sc[t, h] = q[h]·K[t, h] / √d_head
 * and row (a, b) attends with scores (sc[a, h], sc[N + b, h], sc[2N, h]) to values (V[a], V[N + b], V[2N]).
 */
import { elementwiseKernel, type ElementwiseKernel, LINEAR, MATMUL_DECLS, matmulMain } from './wgsl-kernel.js';

/** The uniform every kernel here reads: the sizes, the row count R of the row set, and parameter offsets. */
const TF_HEADER = /* wgsl */ `
struct TU { S: u32, R: u32, N: u32, T: u32, D: u32, H: u32, E: u32, F: u32, Pw: u32, Pb: u32,
            oWE: u32, oWpos: u32, oWQ: u32, oWK: u32, oWV: u32, oWO: u32, oWin: u32, oWout: u32, oWU: u32,
            obQ: u32, obK: u32, obV: u32, obO: u32, obin: u32, obout: u32, obU: u32, scale: f32, pad0: u32 }
@group(0) @binding(0) var<uniform> u: TU;
${LINEAR}`;

/**
 * An elementwise kernel on TF_HEADER (the uniform u at binding 0, the buffers from 1) whose first statement
 * is `let HE = u.H * u.E;` (the width of a token's keys or values), but where `HE: false` (the kernels over D).
 */
function tfKernel({ HE = true, ...k }: Omit<ElementwiseKernel, 'header' | 'first' | 'before'> & { HE?: boolean }): string {
  return elementwiseKernel({ ...k, header: TF_HEADER, first: 1, ...(HE ? { before: 'let HE = u.H * u.E;' } : {}) });
}

/** Token inputs X [S, T, D] from W_E and W_pos. */
export const TF_TOKENS_WGSL = tfKernel({
  HE: false,
  bindings: ['read W: f32', 'read_write X: f32'],
  count: 'u.S * u.T * u.D',
  split: ['d, st: u.D', 't, s: u.T'],
  body: /* wgsl */ `
  let w = s * u.Pw;
  var tok = u.N;
  var pos = 2u;
  if (t < u.N) { tok = t; pos = 0u; } else if (t < 2u * u.N) { tok = t - u.N; pos = 1u; }
  X[idx] = W[w + u.oWE + tok * u.D + d] + W[w + u.oWpos + pos * u.D + d];
`,
});

/** Keys and values K, V [S, T, H·E] of every token, and the query q [S, H·E] of "=". */
export const TF_QKV_WGSL = tfKernel({
  bindings: ['read W, Bs, X: f32', 'read_write K, V, q: f32'],
  count: 'u.S * u.T * HE',
  split: ['j, st: HE', 't, s: u.T'],
  body: /* wgsl */ `
  let h = j / u.E;
  let e = j % u.E;
  let w = s * u.Pw + h * u.D * u.E + e;
  let x = (s * u.T + t) * u.D;
  var k = 0.0;
  var v = 0.0;
  var qq = 0.0;
  let last = t == u.T - 1u;
  for (var d = 0u; d < u.D; d++) {
    let xd = X[x + d];
    k += xd * W[w + u.oWK + d * u.E];
    v += xd * W[w + u.oWV + d * u.E];
    if (last) { qq += xd * W[w + u.oWQ + d * u.E]; }
  }
  let b = s * u.Pb + j;
  K[idx] = k + Bs[b + u.obK];
  V[idx] = v + Bs[b + u.obV];
  if (last) { q[s * HE + j] = qq + Bs[b + u.obQ]; }
`,
});

/** Attention scores of "=" against every token: sc[s, t, h] = q[h]·K[t, h] · scale   [S, T, H]. */
export const TF_SCORES_WGSL = tfKernel({
  bindings: ['read q, K: f32', 'read_write sc: f32'],
  count: 'u.S * u.T * u.H',
  split: ['h, st: u.H', '_, s: u.T'],
  body: /* wgsl */ `
  var acc = 0.0;
  for (var e = 0u; e < u.E; e++) { acc += q[s * HE + h * u.E + e] * K[st * HE + h * u.E + e]; }
  sc[idx] = acc * u.scale;
`,
});

/**
 * The last position's attention per row: pattern p = softmax(sc[a, h], sc[N + b, h], sc[2N, h]) and
 * z[s, i, h, :] = p0 V[a, h] + p1 V[N + b, h] + p2 V[2N, h]   [S, R, H·E]; attn[s, i, h, 0..3] = p
 * (attn is [S, R, H, 6]: the pattern, then the score gradients of the backward).
 */
export const TF_ATTN_WGSL = tfKernel({
  bindings: ['read rowA, rowB: u32', 'read sc, V: f32', 'read_write z, attn: f32'],
  count: 'u.S * u.R * HE',
  split: ['j, si: HE', '_, s: u.R'],
  body: /* wgsl */ `
  let h = j / u.E;
  let t0 = s * u.T + rowA[si];
  let t1 = s * u.T + u.N + rowB[si];
  let t2 = s * u.T + u.T - 1u;
  let s0 = sc[t0 * u.H + h];
  let s1 = sc[t1 * u.H + h];
  let s2 = sc[t2 * u.H + h];
  let mx = max(max(s0, s1), s2);
  let e0 = exp(s0 - mx);
  let e1 = exp(s1 - mx);
  let e2 = exp(s2 - mx);
  let sum = e0 + e1 + e2;
  let p0 = e0 / sum;
  let p1 = e1 / sum;
  let p2 = e2 / sum;
  z[idx] = p0 * V[t0 * HE + j] + p1 * V[t1 * HE + j] + p2 * V[t2 * HE + j];
  if (j % u.E == 0u) {
    let o = (si * u.H + h) * 6u;
    attn[o] = p0;
    attn[o + 1u] = p1;
    attn[o + 2u] = p2;
  }
`,
});

/**
 * Row adds on a [S, R, w] activation, in place:
 * Y[s, i, j] += (flags & 1 ? X[s, i, j] : 0) + (flags & 2 ? V1[s·v1Stride + v1Off + j] : 0) + (flags & 4 ? V2[...] : 0),
 * then ReLU where flags & 8.
 */
export const TF_ROW_ADD_WGSL = elementwiseKernel({
  header: /* wgsl */ `
struct AddU { R: u32, w: u32, total: u32, flags: u32, v1Stride: u32, v1Off: u32, v2Stride: u32, v2Off: u32 }
${LINEAR}`,
  bindings: ['uniform u: AddU', 'read_write Y: f32', 'read X, V1, V2: f32'],
  count: 'u.total',
  body: /* wgsl */ `
  let j = idx % u.w;
  let s = idx / (u.R * u.w);
  var y = Y[idx];
  if ((u.flags & 1u) != 0u) { y += X[idx]; }
  if ((u.flags & 2u) != 0u) { y += V1[s * u.v1Stride + u.v1Off + j]; }
  if ((u.flags & 4u) != 0u) { y += V2[s * u.v2Stride + u.v2Off + j]; }
  if ((u.flags & 8u) != 0u) { y = max(y, 0.0); }
  Y[idx] = y;
`,
});

/** Column sums over the rows: out[s, j] = Σ_i x[s, i, j]   [S, R, w] -> [S, w]. */
export const TF_COLSUM_WGSL = elementwiseKernel({
  header: /* wgsl */ `
struct ColU { R: u32, w: u32, total: u32, pad: u32 }
${LINEAR}`,
  bindings: ['uniform u: ColU', 'read x: f32', 'read_write out: f32'],
  count: 'u.total',
  split: ['j, s: u.w'],
  body: /* wgsl */ `
  var acc = 0.0;
  for (var i = 0u; i < u.R; i++) { acc += x[(s * u.R + i) * u.w + j]; }
  out[idx] = acc;
`,
});

/**
 * Attention backward per row and head: with dz the gradient of z and v_k the three values,
 * dp_k = dz·v_k, ds_k = p_k (dp_k − Σ p dp): attn[s, i, h, 3 + k] = ds_k (the gradient of the scaled score).
 */
export const TF_ATTN_BACKWARD_WGSL = tfKernel({
  bindings: ['read rowA, rowB: u32', 'read V, dz: f32', 'read_write attn: f32'],
  count: 'u.S * u.R * u.H',
  split: ['h, si: u.H', '_, s: u.R'],
  body: /* wgsl */ `
  let v0 = (s * u.T + rowA[si]) * HE + h * u.E;
  let v1 = (s * u.T + u.N + rowB[si]) * HE + h * u.E;
  let v2 = (s * u.T + u.T - 1u) * HE + h * u.E;
  let g = si * HE + h * u.E;
  var dp0 = 0.0;
  var dp1 = 0.0;
  var dp2 = 0.0;
  for (var e = 0u; e < u.E; e++) {
    let d = dz[g + e];
    dp0 += d * V[v0 + e];
    dp1 += d * V[v1 + e];
    dp2 += d * V[v2 + e];
  }
  let o = idx * 6u;
  let p0 = attn[o];
  let p1 = attn[o + 1u];
  let p2 = attn[o + 2u];
  let dot = p0 * dp0 + p1 * dp1 + p2 * dp2;
  attn[o + 3u] = p0 * (dp0 - dot);
  attn[o + 4u] = p1 * (dp1 - dot);
  attn[o + 5u] = p2 * (dp2 - dot);
`,
});

/**
 * Token gradients gathered over the rows that use a token (CSR lists by a and by b; all rows for "="):
 * dV[s, t, h·E + e] = Σ_i p_k[i, h] dz[i, h, e], dSc[s, t, h] = Σ_i ds_k[i, h], with k = 0 (t < N: rows with
 * a = t), 1 (N <= t < 2N: rows with b = t − N), 2 (t = 2N: every row).
 */
export const TF_TOKEN_GRADS_WGSL = tfKernel({
  bindings: ['read offA, idxA, offB, idxB: u32', 'read attn, dz: f32', 'read_write dV, dSc: f32'],
  count: 'u.S * u.T * HE',
  split: ['j, st: HE', 't, s: u.T'],
  body: /* wgsl */ `
  let h = j / u.E;
  let head = j % u.E == 0u;
  var acc = 0.0;
  var accS = 0.0;
  if (t == u.T - 1u) {
    for (var i = 0u; i < u.R; i++) {
      let o = ((s * u.R + i) * u.H + h) * 6u;
      acc += attn[o + 2u] * dz[(s * u.R + i) * HE + j];
      if (head) { accS += attn[o + 5u]; }
    }
  } else {
    var k = 0u;
    var e = t;
    var o0 = 0u;
    var o1 = 0u;
    if (t < u.N) {
      o0 = offA[s * (u.N + 1u) + e];
      o1 = offA[s * (u.N + 1u) + e + 1u];
    } else {
      k = 1u;
      e = t - u.N;
      o0 = offB[s * (u.N + 1u) + e];
      o1 = offB[s * (u.N + 1u) + e + 1u];
    }
    for (var p = o0; p < o1; p++) {
      var i = 0u;
      if (k == 0u) { i = idxA[s * u.R + p]; } else { i = idxB[s * u.R + p]; }
      let o = ((s * u.R + i) * u.H + h) * 6u;
      acc += attn[o + k] * dz[(s * u.R + i) * HE + j];
      if (head) { accS += attn[o + 3u + k]; }
    }
  }
  dV[idx] = acc;
  if (head) { dSc[st * u.H + h] = accS; }
`,
});

/** Key and query gradients: dK[s, t, j] = scale·dSc[t, h]·q[j] (t < T); dq[s, j] = scale·Σ_t dSc[t, h] K[t, j]. */
export const TF_QK_BACKWARD_WGSL = tfKernel({
  bindings: ['read q, K, dSc: f32', 'read_write dK, dq: f32'],
  count: 'u.S * (u.T + 1u) * HE',
  split: ['j, st: HE', 't, s: (u.T + 1u)'],
  body: /* wgsl */ `
  let h = j / u.E;
  if (t < u.T) {
    dK[(s * u.T + t) * HE + j] = u.scale * dSc[(s * u.T + t) * u.H + h] * q[s * HE + j];
  } else {
    var acc = 0.0;
    for (var tt = 0u; tt < u.T; tt++) { acc += dSc[(s * u.T + tt) * u.H + h] * K[(s * u.T + tt) * HE + j]; }
    dq[s * HE + j] = u.scale * acc;
  }
`,
});

/** Projection weight gradients: dW_K[h, d, e] = Σ_t X[t, d] dK[t, h·E + e], dW_V likewise, dW_Q = c[d] dq[h·E + e]. */
export const TF_PROJ_GRADS_WGSL = tfKernel({
  bindings: ['read X, dK, dV, dq: f32', 'read_write grads: f32'],
  count: 'u.S * u.H * u.D * u.E',
  split: ['e, hd: u.E', 'd, sh: u.D', 'h, s: u.H'],
  body: /* wgsl */ `
  let j = h * u.E + e;
  var ak = 0.0;
  var av = 0.0;
  for (var t = 0u; t < u.T; t++) {
    let x = X[(s * u.T + t) * u.D + d];
    ak += x * dK[(s * u.T + t) * HE + j];
    av += x * dV[(s * u.T + t) * HE + j];
  }
  let w = s * u.Pw + (h * u.D + d) * u.E + e;
  grads[w + u.oWK] = ak;
  grads[w + u.oWV] = av;
  grads[w + u.oWQ] = X[(s * u.T + u.T - 1u) * u.D + d] * dq[s * HE + j];
`,
});

/**
 * Token input gradients dX[s, t, d] = Σ_{h,e} dK[t, h, e] W_K[h, d, e] + dV[t, h, e] W_V[h, d, e], and for
 * t = 2N (c) also + Σ dq[h, e] W_Q[h, d, e] + dc[d] (the residual's column sum).
 */
export const TF_DX_WGSL = tfKernel({
  bindings: ['read W, dK, dV, dq, dc: f32', 'read_write dX: f32'],
  count: 'u.S * u.T * u.D',
  split: ['d, st: u.D', 't, s: u.T'],
  body: /* wgsl */ `
  let last = t == u.T - 1u;
  var acc = 0.0;
  for (var h = 0u; h < u.H; h++) {
    let w = s * u.Pw + (h * u.D + d) * u.E;
    for (var e = 0u; e < u.E; e++) {
      let j = st * HE + h * u.E + e;
      acc += dK[j] * W[w + u.oWK + e] + dV[j] * W[w + u.oWV + e];
      if (last) { acc += dq[s * HE + h * u.E + e] * W[w + u.oWQ + e]; }
    }
  }
  if (last) { acc += dc[s * u.D + d]; }
  dX[idx] = acc;
`,
});

/**
 * Embedding gradients from the token gradients, rows r of [W_E (N + 1 rows) | W_pos (3 rows)] (adjacent in
 * the weights): dW_E[t] = dX[t] + dX[N + t], dW_E[N] = dX[2N], dW_pos[0] = Σ_{t<N} dX[t],
 * dW_pos[1] = Σ_{t<N} dX[N + t], dW_pos[2] = dX[2N].
 */
export const TF_EMBED_GRADS_WGSL = tfKernel({
  HE: false,
  bindings: ['read dX: f32', 'read_write grads: f32'],
  setup: 'let rows = u.N + 4u;',
  count: 'u.S * rows * u.D',
  split: ['d, sr: u.D', 'r, s: rows'],
  body: /* wgsl */ `
  let x = s * u.T * u.D + d;
  var g = 0.0;
  if (r < u.N) {
    g = dX[x + r * u.D] + dX[x + (u.N + r) * u.D];
  } else if (r == u.N || r == u.N + 3u) {
    g = dX[x + (u.T - 1u) * u.D];
  } else {
    let off = select(u.N, 0u, r == u.N + 1u);
    for (var t = 0u; t < u.N; t++) { g += dX[x + (off + t) * u.D]; }
  }
  grads[s * u.Pw + u.oWE + r * u.D + d] = g;
`,
});

/**
 * MATMUL_WGSL's product (same uniform, same order of each output's k sum) in 64×64 output tiles per
 * 256-thread workgroup, each thread holding a 4×4 block (rows l.y + 16i, columns l.x + 16j) and reading its
 * A rows and B columns straight from the buffers, without workgroup memory or barriers. For the
 * transformer's wide products (d_mlp 512) this takes 16× fewer workgroups than the 16×16 kernel, and on
 * CPU drivers (SwiftShader), where barriers are what costs, it is about 5× faster per step.
 */
export const MATMUL64_WGSL = /* wgsl */ `${MATMUL_DECLS}

${matmulMain(64, 'row0', 'col0')}
  // clamped indices (their products are not stored)
  var ar: vec4u;
  var bc: vec4u;
  for (var i = 0u; i < 4u; i++) {
    ar[i] = min(row0 + 16u * i, p.M - 1u);
    bc[i] = min(col0 + 16u * i, p.Nc - 1u);
  }
  var aS = vec4u(p.lda, p.lda, p.lda, p.lda) * ar;
  var aK = 1u;
  if (p.transA == 1u) { aS = ar; aK = p.lda; }
  var bS = bc;
  var bK = p.ldb;
  if (p.transB == 1u) { bS = vec4u(p.ldb, p.ldb, p.ldb, p.ldb) * bc; bK = 1u; }
  var acc: array<vec4f, 4>;
  for (var k = 0u; k < p.K; k++) {
    let ab = aBase + k * aK;
    let bb = bBase + k * bK;
    let b = vec4f(B[bb + bS.x], B[bb + bS.y], B[bb + bS.z], B[bb + bS.w]);
    acc[0] += A[ab + aS.x] * b;
    acc[1] += A[ab + aS.y] * b;
    acc[2] += A[ab + aS.z] * b;
    acc[3] += A[ab + aS.w] * b;
  }
  for (var i = 0u; i < 4u; i++) {
    let row = row0 + 16u * i;
    if (row >= p.M) { continue; }
    for (var j = 0u; j < 4u; j++) {
      let col = col0 + 16u * j;
      if (col < p.Nc) { C[s * p.cStride + p.cOff + row * p.ldc + col] = acc[i][j]; }
    }
  }
}
`;
