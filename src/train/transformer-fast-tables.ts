/**
 * The fast path's forward tables (src/train/transformer-fast.ts's header has the maths): from the
 * parameters, the residual inputs X0, X1, c, the attention-score tables S0, S1, S2, and through the gemm
 * queue the value tables T0, T1, T2, base and M that the kernel's per-row pass reads.
 */
import type { FastKernel, ParamLookup } from './transformer-fast-layout.js';

/** Builds every table from the parameters. */
export function buildTables(k: FastKernel, P: ParamLookup): void {
  residualsAndScores(k, P);
  tableProducts(k, P);
}

/** X0, X1 [N, D], c and c + b_O [D]; v2 [HE]; the host's q, k2, u, ks; S0, S1 [N, H] and S2 [H]. */
function residualsAndScores({ d, o, f32, host }: FastKernel, P: ParamLookup): void {
  const { N, D, H, E, sc } = d;
  const { q, k2, u, ks } = host;
  const WE = P('embed.W_E'),
    Wpos = P('pos_embed.W_pos'),
    WQ = P('blocks.0.attn.W_Q'),
    WK = P('blocks.0.attn.W_K'),
    WV = P('blocks.0.attn.W_V');
  const bQ = P('blocks.0.attn.b_Q'),
    bK = P('blocks.0.attn.b_K'),
    bV = P('blocks.0.attn.b_V'),
    bO = P('blocks.0.attn.b_O');
  for (let t = 0; t < N; t++)
    for (let j = 0; j < D; j++) {
      f32[o.X0 + t * D + j] = WE[t * D + j]! + Wpos[j]!;
      f32[o.X1 + t * D + j] = WE[t * D + j]! + Wpos[D + j]!;
    }
  for (let j = 0; j < D; j++) {
    f32[o.c + j] = WE[N * D + j]! + Wpos[2 * D + j]!;
    f32[o.cb + j] = f32[o.c + j]! + bO[j]!;
  }
  // query, key and value of "=": q, k2, v2 [H, E]; u[h] = sc W_K[h] q[h] so that S0[t, h] = X0[t]·u[h] + ks[h]
  for (let h = 0; h < H; h++)
    for (let e = 0; e < E; e++) {
      let sq = bQ[h * E + e]!,
        sk = bK[h * E + e]!,
        sv = bV[h * E + e]!;
      for (let j = 0; j < D; j++) {
        const cd = f32[o.c + j]!,
          w = (h * D + j) * E + e;
        sq += cd * WQ[w]!;
        sk += cd * WK[w]!;
        sv += cd * WV[w]!;
      }
      q[h * E + e] = sq;
      k2[h * E + e] = sk;
      f32[o.v2 + h * E + e] = sv;
    }
  for (let h = 0; h < H; h++) {
    let s2 = 0,
      kb = 0;
    for (let e = 0; e < E; e++) {
      s2 += k2[h * E + e]! * q[h * E + e]!;
      kb += bK[h * E + e]! * q[h * E + e]!;
    }
    f32[o.S2 + h] = sc * s2;
    ks[h] = sc * kb;
    for (let j = 0; j < D; j++) {
      let s = 0;
      for (let e = 0; e < E; e++) s += WK[(h * D + j) * E + e]! * q[h * E + e]!;
      u[h * D + j] = sc * s;
    }
  }
  for (let t = 0; t < N; t++)
    for (let h = 0; h < H; h++) {
      let s0 = ks[h]!,
        s1 = ks[h]!;
      for (let j = 0; j < D; j++) {
        s0 += f32[o.X0 + t * D + j]! * u[h * D + j]!;
        s1 += f32[o.X1 + t * D + j]! * u[h * D + j]!;
      }
      f32[o.S0 + t * H + h] = s0;
      f32[o.S1 + t * H + h] = s1;
    }
}

/** The weight copies the kernel multiplies by, then two gemm batches: V0, V1, P, base, M; then T0, T1, T2. */
function tableProducts({ d, o, f32, gemm, flush }: FastKernel, P: ParamLookup): void {
  const { N, Np, D, H, E, F, HE, W } = d;
  const WV = P('blocks.0.attn.W_V'),
    WO = P('blocks.0.attn.W_O'),
    bV = P('blocks.0.attn.b_V'),
    Win = P('blocks.0.mlp.W_in'),
    bin = P('blocks.0.mlp.b_in');
  const Wout = P('blocks.0.mlp.W_out'),
    bout = P('blocks.0.mlp.b_out'),
    WU = P('unembed.W_U'),
    bU = P('unembed.b_U');
  // values V0, V1 [N, H*E] = X W_V' + b_V with W_V'[d, h*E + e] = W_V[h, d, e]
  for (let h = 0; h < H; h++)
    for (let j = 0; j < D; j++)
      for (let e = 0; e < E; e++) {
        const w = WV[(h * D + j) * E + e]!;
        f32[o.WVp + j * HE + h * E + e] = w;
        f32[o.WVpT + (h * E + e) * D + j] = w;
      }
  // Wcat = [W_in | W_U | 0] [D, W] and its transpose; W_U padded [D, Np] and its transpose; W_O, W_out copies
  f32.fill(0, o.Wcat, o.Wcat + D * W);
  f32.fill(0, o.WUp, o.WUp + D * Np);
  for (let j = 0; j < D; j++) {
    f32.set(Win.subarray(j * F, j * F + F), o.Wcat + j * W);
    f32.set(WU.subarray(j * N, j * N + N), o.Wcat + j * W + F);
    f32.set(WU.subarray(j * N, j * N + N), o.WUp + j * Np);
  }
  transpose(f32, o.Wcat, D, W, o.WcatT);
  transpose(f32, o.WUp, D, Np, o.WUpT);
  f32.set(WO, o.WO);
  f32.set(Wout, o.Wout);
  // batch 1. values V0, V1 [N, HE] = X W_V' (+ b_V below); P[h] = W_O[h] Wcat [HE, W];
  // base = (c + b_O) Wcat (+ biases below); M = W_out W_U [F, Np]
  gemm(o.X0, D, 1, o.WVp, HE, o.V0, HE, N, HE, D, 0); // [N, D] x [D, HE] -> [N, HE]
  gemm(o.X1, D, 1, o.WVp, HE, o.V1, HE, N, HE, D, 0);
  gemm(o.WO, D, 1, o.Wcat, W, o.P, W, HE, W, D, 0); // [HE, D] x [D, W] -> [HE, W]
  gemm(o.cb, 0, 1, o.Wcat, W, o.base, W, 1, W, D, 0); // [1, D] x [D, W]
  gemm(o.Wout, D, 1, o.WUp, Np, o.M, Np, F, Np, D, 0); // [F, D] x [D, Np] -> [F, Np]
  flush();
  for (let t = 0; t < N; t++)
    for (let j = 0; j < HE; j++) {
      f32[o.V0 + t * HE + j]! += bV[j]!;
      f32[o.V1 + t * HE + j]! += bV[j]!;
    }
  transpose(f32, o.P, HE, W, o.PT);
  for (let j = 0; j < F; j++) f32[o.base + j]! += bin[j]!;
  for (let n = 0; n < N; n++) {
    let s = bU[n]!;
    for (let j = 0; j < D; j++) s += bout[j]! * WU[j * N + n]!;
    f32[o.base + F + n]! += s;
  }
  // batch 2. T0[:, h] = V0[:, h] P[h]   [N, E] x [E, W] -> [N, W] (row stride H*W); T1 likewise; T2[h] = v2[h] P[h]
  for (let h = 0; h < H; h++) {
    gemm(o.V0 + h * E, HE, 1, o.P + h * E * W, W, o.T0 + h * W, H * W, N, W, E, 0);
    gemm(o.V1 + h * E, HE, 1, o.P + h * E * W, W, o.T1 + h * W, H * W, N, W, E, 0);
    gemm(o.v2 + h * E, 0, 1, o.P + h * E * W, W, o.T2 + h * W, W, 1, W, E, 0);
  }
  flush();
}

/** dst[j, i] = src[i, j]: [rows, cols] -> [cols, rows], on float offsets of one array. */
function transpose(a: Float32Array, src: number, rows: number, cols: number, dst: number): void {
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) a[dst + j * rows + i] = a[src + i * cols + j]!;
}
