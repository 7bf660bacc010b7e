/**
 * The fast path's backward below the kernel: from the table gradients (dT0, dT1, dT2, dbase, dM, dS0, dS1,
 * dS2, summed over rows by the kernel's TRAIN and REDUCE phases) down to every trainable weight, the table
 * products through the gemm queue, the score tables on the host in float64.
 */
import type { FastKernel, ParamLookup } from './transformer-fast-layout.js';

/** The trainable weights' gradients, in trainable order: W_E, W_pos, W_Q, W_K, W_V, W_O, W_in, W_out, W_U. */
export type WeightGrads = readonly Float32Array[];

/** Writes every trainable weight's gradient into `grads` (views of the store's zeroed gradient region). */
export function backward(k: FastKernel, P: ParamLookup, grads: WeightGrads): void {
  const dc = backwardTables(k, P, grads);
  backwardScores(k, P, grads, dc);
}

function named(grads: WeightGrads) {
  const [gWE, gWpos, gWQ, gWK, gWV, gWO, gWin, gWout, gWU] = grads;
  if (!gWE || !gWpos || !gWQ || !gWK || !gWV || !gWO || !gWin || !gWout || !gWU)
    throw new Error(`the transformer has 9 trainable weights, got ${grads.length}`);
  return { gWE, gWpos, gWQ, gWK, gWV, gWO, gWin, gWout, gWU };
}

/**
 * Through the value tables: three gemm batches give dW_out, dW_O, dWcat (-> dW_in, dW_U), dW_V and dX0, dX1;
 * returns dc [D], the gradient of the "=" residual c so far (float64).
 */
function backwardTables({ d, o, g, f32, gemm, flush }: FastKernel, P: ParamLookup, grads: WeightGrads): Float64Array {
  const { N, Np, D, H, E, F, HE, W } = d;
  const { gWV, gWO, gWin, gWout, gWU } = named(grads);
  const WV = P('blocks.0.attn.W_V'),
    bout = P('blocks.0.mlp.b_out');
  // batch 1. dW_out = dM W_U^T; d(c + b_O) = Wcat dbase; dV = dT P^T
  gemm(g.dM, Np, 1, o.WUpT, D, o.dWout, D, F, D, Np, 0); // [F, Np] x [Np, D]
  gemm(g.dbase, 0, 1, o.WcatT, D, o.dcb, D, 1, D, W, 0); // [1, W] x [W, D]
  for (let h = 0; h < H; h++) {
    gemm(g.dT0 + h * W, H * W, 1, o.PT + h * E, HE, o.dV0 + h * E, HE, N, E, W, 0); // [N, W] x [W, E]
    gemm(g.dT1 + h * W, H * W, 1, o.PT + h * E, HE, o.dV1 + h * E, HE, N, E, W, 0);
    gemm(g.dT2 + h * W, 0, 1, o.PT + h * E, HE, o.dv2 + h * E, HE, 1, E, W, 0);
  }
  flush();
  // batch 2. dP = V^T dT; V = X W_V' + b_V: dW_V' = X0^T dV0 + X1^T dV1; dX = dV W_V'^T
  for (let h = 0; h < H; h++) {
    gemm(o.V0 + h * E, 1, HE, g.dT0 + h * W, H * W, o.dP + h * E * W, W, E, W, N, 0); // [E, N] x [N, W]
    gemm(o.V1 + h * E, 1, HE, g.dT1 + h * W, H * W, o.dP + h * E * W, W, E, W, N, 1);
    gemm(o.v2 + h * E, 1, 0, g.dT2 + h * W, W, o.dP + h * E * W, W, E, W, 1, 1);
  }
  gemm(o.X0, 1, D, o.dV0, HE, o.dWVp, HE, D, HE, N, 0);
  gemm(o.X1, 1, D, o.dV1, HE, o.dWVp, HE, D, HE, N, 1);
  gemm(o.dV0, HE, 1, o.WVpT, D, o.dX0, D, N, D, HE, 0);
  gemm(o.dV1, HE, 1, o.WVpT, D, o.dX1, D, N, D, HE, 0);
  flush();
  // batch 3. P = W_O Wcat: dW_O = dP Wcat^T; dWcat = W_O^T dP + W_out^T dM (into [:, F:]) + (c + b_O)^T dbase
  gemm(o.dP, W, 1, o.WcatT, D, o.dWO, D, HE, D, W, 0);
  gemm(o.WO, 1, D, o.dP, W, o.dWcat, W, D, W, HE, 0);
  gemm(o.Wout, 1, D, g.dM, Np, o.dWcat + F, W, D, Np, F, 1); // [D, F] x [F, Np]
  gemm(o.cb, 1, 0, g.dbase, W, o.dWcat, W, D, W, 1, 1);
  flush();
  for (let j = 0; j < D; j++) for (let n = 0; n < N; n++) gWU[j * N + n]! += bout[j]! * f32[g.dbase + F + n]!;
  for (let j = 0; j < D; j++) {
    for (let i = 0; i < F; i++) gWin[j * F + i] = f32[o.dWcat + j * W + i]!;
    for (let n = 0; n < N; n++) gWU[j * N + n]! += f32[o.dWcat + j * W + F + n]!;
  }
  gWO.set(f32.subarray(o.dWO, o.dWO + HE * D));
  gWout.set(f32.subarray(o.dWout, o.dWout + F * D));
  const dc = new Float64Array(D);
  for (let j = 0; j < D; j++) dc[j] = f32[o.dcb + j]!;
  for (let h = 0; h < H; h++)
    for (let j = 0; j < D; j++) {
      const cd = f32[o.c + j]!;
      let s = 0;
      for (let e = 0; e < E; e++) {
        const w = (h * D + j) * E + e,
          dv = f32[o.dv2 + h * E + e]!;
        gWV[w] = f32[o.dWVp + j * HE + h * E + e]! + cd * dv;
        s += WV[w]! * dv;
      }
      dc[j]! += s;
    }
  return dc;
}

/**
 * Through the scores S_j[t, h] = X_j[t]·u[h] + ks[h], S2[h] = sc k2[h]·q[h] (u[h] = sc W_K[h] q[h],
 * ks[h] = sc b_K[h]·q[h]) to dW_Q, dW_K, then the embeddings: X0 = W_E[:N] + W_pos[0],
 * X1 = W_E[:N] + W_pos[1], c = W_E[N] + W_pos[2].
 */
function backwardScores({ d, o, g, f32, host }: FastKernel, P: ParamLookup, grads: WeightGrads, dc: Float64Array): void {
  const { N, D, H, E, HE, sc } = d;
  const { q, k2, u } = host;
  const { gWE, gWpos, gWQ, gWK } = named(grads);
  const WQ = P('blocks.0.attn.W_Q'),
    WK = P('blocks.0.attn.W_K'),
    bK = P('blocks.0.attn.b_K');
  const du = new Float64Array(H * D),
    dks = new Float64Array(H),
    dq = new Float64Array(HE);
  for (let t = 0; t < N; t++)
    for (let h = 0; h < H; h++) {
      const g0 = f32[g.dS0 + t * H + h]!,
        g1 = f32[g.dS1 + t * H + h]!;
      dks[h]! += g0 + g1;
      for (let j = 0; j < D; j++) {
        f32[o.dX0 + t * D + j]! += g0 * u[h * D + j]!;
        f32[o.dX1 + t * D + j]! += g1 * u[h * D + j]!;
        du[h * D + j]! += g0 * f32[o.X0 + t * D + j]! + g1 * f32[o.X1 + t * D + j]!;
      }
    }
  for (let h = 0; h < H; h++) {
    const g2 = f32[g.dS2 + h]!;
    for (let e = 0; e < E; e++) {
      const dk2 = sc * g2 * q[h * E + e]!;
      let s = sc * g2 * k2[h * E + e]! + sc * dks[h]! * bK[h * E + e]!;
      for (let j = 0; j < D; j++) {
        const w = (h * D + j) * E + e;
        gWK[w] = sc * du[h * D + j]! * q[h * E + e]! + f32[o.c + j]! * dk2;
        s += sc * WK[w]! * du[h * D + j]!;
        dc[j]! += WK[w]! * dk2;
      }
      dq[h * E + e] = s;
    }
    for (let j = 0; j < D; j++) {
      let s = 0;
      for (let e = 0; e < E; e++) {
        const w = (h * D + j) * E + e;
        gWQ[w] = f32[o.c + j]! * dq[h * E + e]!;
        s += WQ[w]! * dq[h * E + e]!;
      }
      dc[j]! += s;
    }
  }
  for (let t = 0; t < N; t++)
    for (let j = 0; j < D; j++) {
      const g0 = f32[o.dX0 + t * D + j]!,
        g1 = f32[o.dX1 + t * D + j]!;
      gWE[t * D + j] = g0 + g1;
      gWpos[j]! += g0;
      gWpos[D + j]! += g1;
    }
  for (let j = 0; j < D; j++) {
    gWE[N * D + j] = dc[j]!;
    gWpos[2 * D + j] = dc[j]!;
  }
}
