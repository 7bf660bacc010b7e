// WebAssembly kernels of the transformer's fast training path (host: src/train/transformer-fast.ts).
// All arrays are float32 in the imported (shared) memory; pointers and strides come from the host.
//
// `gemm` is a small SIMD matrix product for the per-token tables. `rows` runs forward and backward of the
// last position for a range of train rows against the tables:
//   p_jh    = softmax_j(S0[a,h], S1[b,h], S2[h])                       attention of "=" on a, b, "="
//   y       = base + Σ_h p_0h T0[a,h] + p_1h T1[b,h] + p_2h T2[h]      [F + Np] = [mlp pre | direct logits]
//   logits  = y[F:] + relu(y[:F]) M                                     M = W_out W_U  [F, Np]
// and accumulates the gradients of T0, T1, T2, base, M, S0, S1, S2 and the float64 loss.

import { addInto, adamwRange, expv, hsum4 } from './_common';

// ---- C[i, j] (+)= Σ_k A[i*rsA + k*csA] B[k*ldb + j];  n % 4 == 0 ------------------------------------------
export function gemm(pA: usize, rsA: i32, csA: i32, pB: usize, ldb: i32, pC: usize, ldc: i32, m: i32, n: i32, k: i32, acc: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 1 < m; i += 2) {
    const a0 = pA + <usize>(i * rsA) * 4;
    const a1 = a0 + <usize>rsA * 4;
    const c0 = pC + <usize>(i * ldc) * 4;
    const c1 = c0 + <usize>ldc * 4;
    let j = 0;
    for (; j + 16 <= n; j += 16) {
      let x0 = zero, x1 = zero, x2 = zero, x3 = zero, y0 = zero, y1 = zero, y2 = zero, y3 = zero;
      let pb = pB + <usize>j * 4;
      for (let kk = 0; kk < k; kk++) {
        const s0 = f32x4.splat(load<f32>(a0 + <usize>(kk * csA) * 4));
        const s1 = f32x4.splat(load<f32>(a1 + <usize>(kk * csA) * 4));
        const b0 = v128.load(pb), b1 = v128.load(pb, 16), b2 = v128.load(pb, 32), b3 = v128.load(pb, 48);
        x0 = f32x4.add(x0, f32x4.mul(s0, b0));
        x1 = f32x4.add(x1, f32x4.mul(s0, b1));
        x2 = f32x4.add(x2, f32x4.mul(s0, b2));
        x3 = f32x4.add(x3, f32x4.mul(s0, b3));
        y0 = f32x4.add(y0, f32x4.mul(s1, b0));
        y1 = f32x4.add(y1, f32x4.mul(s1, b1));
        y2 = f32x4.add(y2, f32x4.mul(s1, b2));
        y3 = f32x4.add(y3, f32x4.mul(s1, b3));
        pb += <usize>ldb * 4;
      }
      const q0 = c0 + <usize>j * 4, q1 = c1 + <usize>j * 4;
      if (acc) {
        x0 = f32x4.add(x0, v128.load(q0)); x1 = f32x4.add(x1, v128.load(q0, 16));
        x2 = f32x4.add(x2, v128.load(q0, 32)); x3 = f32x4.add(x3, v128.load(q0, 48));
        y0 = f32x4.add(y0, v128.load(q1)); y1 = f32x4.add(y1, v128.load(q1, 16));
        y2 = f32x4.add(y2, v128.load(q1, 32)); y3 = f32x4.add(y3, v128.load(q1, 48));
      }
      v128.store(q0, x0); v128.store(q0, x1, 16); v128.store(q0, x2, 32); v128.store(q0, x3, 48);
      v128.store(q1, y0); v128.store(q1, y1, 16); v128.store(q1, y2, 32); v128.store(q1, y3, 48);
    }
    for (; j < n; j += 4) {
      let x0 = zero, y0 = zero;
      let pb = pB + <usize>j * 4;
      for (let kk = 0; kk < k; kk++) {
        const b0 = v128.load(pb);
        x0 = f32x4.add(x0, f32x4.mul(f32x4.splat(load<f32>(a0 + <usize>(kk * csA) * 4)), b0));
        y0 = f32x4.add(y0, f32x4.mul(f32x4.splat(load<f32>(a1 + <usize>(kk * csA) * 4)), b0));
        pb += <usize>ldb * 4;
      }
      const q0 = c0 + <usize>j * 4, q1 = c1 + <usize>j * 4;
      if (acc) { x0 = f32x4.add(x0, v128.load(q0)); y0 = f32x4.add(y0, v128.load(q1)); }
      v128.store(q0, x0);
      v128.store(q1, y0);
    }
  }
  if (i < m) {
    const a0 = pA + <usize>(i * rsA) * 4;
    const c0 = pC + <usize>(i * ldc) * 4;
    for (let j = 0; j < n; j += 4) {
      let x0 = zero;
      let pb = pB + <usize>j * 4;
      for (let kk = 0; kk < k; kk++) {
        x0 = f32x4.add(x0, f32x4.mul(f32x4.splat(load<f32>(a0 + <usize>(kk * csA) * 4)), v128.load(pb)));
        pb += <usize>ldb * 4;
      }
      const q0 = c0 + <usize>j * 4;
      if (acc) x0 = f32x4.add(x0, v128.load(q0));
      v128.store(q0, x0);
    }
  }
}


// ---- the per-row pass ------------------------------------------------------------------------------------
// Context block (i32 slots, set by the host; pointers are byte offsets):
const C_N = 0, C_NP = 1, C_F = 2, C_H = 3, C_R = 4;
const C_A = 7, C_B = 8, C_Y = 9; // i32 [rows] tokens a, b and labels
const C_S0 = 10, C_S1 = 11, C_S2 = 12, C_T0 = 13, C_T1 = 14, C_T2 = 15, C_BASE = 16, C_M = 17;
// Per-thread gradient blocks [dT0 | dT1 | dT2 | dbase | dM | dS0 | dS1 | dS2], GSIZE floats, GSTRIDE bytes apart;
// per-thread scratch, SSTRIDE bytes apart; per-thread float64 loss sums at LOSS.
const C_GBASE = 18, C_GSTRIDE = 19, C_GSIZE = 20, C_SBASE = 21, C_SSTRIDE = 22;
const C_LOSS = 27, C_LOGITS = 28, C_INVR = 29; // C_INVR: f32 bits of 1/rows
// AdamW over the flat trainable parameters: pointers to p, g, exp_avg, exp_avg_sq, their length, and the
// float32 scalars of the step (src/train/adamw.ts `adamwScalars`), as f32 bits.
const C_OP = 30, C_OG = 31, C_OM = 32, C_OV = 33, C_ON = 34;
const C_DECAY = 35, C_B1 = 36, C_OMB1 = 37, C_B2 = 38, C_OMB2 = 39, C_NEGSTEP = 40, C_BC2 = 41, C_EPS = 42;
// A batch of independent gemm jobs: JOBS points to [count, then 11 i32 per job: the arguments of `gemm`].
const C_JOBS = 43;
export const CTX_SLOTS = 48;

/** The phases run by every thread (src/train/transformer-fast.ts starts them). */
const PHASE_TRAIN = 0, PHASE_LOGITS = 1, PHASE_REDUCE = 2, PHASE_ADAMW = 3, PHASE_GEMMS = 4;

/** Runs this thread's share of `phase` (thread tid of nthreads) on the context at `cfg`. */
export function run_phase(cfg: usize, phase: i32, tid: i32, nthreads: i32): void {
  if (phase == PHASE_REDUCE) {
    // block0[i] += Σ_t block_t[i] over this thread's slice of the gradient block
    const G = ctx(cfg, C_GSIZE);
    const lo = ((G / 4) * tid / nthreads) * 4, hi = ((G / 4) * (tid + 1) / nthreads) * 4;
    const g0 = ptr(cfg, C_GBASE), stride = <usize>ctx(cfg, C_GSTRIDE);
    for (let t = 1; t < nthreads; t++) addInto(g0 + <usize>lo * 4, g0 + <usize>t * stride + <usize>lo * 4, hi - lo);
    return;
  }
  if (phase == PHASE_GEMMS) {
    // each job's output rows are split evenly across threads (jobs of a batch that write the same rows
    // have the same m, so those rows go to the same thread, in job order)
    const jobs = ptr(cfg, C_JOBS);
    const count = load<i32>(jobs);
    for (let j = 0; j < count; j++) {
      const q = jobs + 4 + <usize>j * 44;
      const m = load<i32>(q, 28);
      const i0 = m * tid / nthreads, i1 = m * (tid + 1) / nthreads;
      if (i1 <= i0) continue;
      const rsA = load<i32>(q, 4), ldc = load<i32>(q, 24);
      gemm(<usize>load<i32>(q) + <usize>(i0 * rsA) * 4, rsA, load<i32>(q, 8), <usize>load<i32>(q, 12), load<i32>(q, 16),
        <usize>load<i32>(q, 20) + <usize>(i0 * ldc) * 4, ldc, i1 - i0, load<i32>(q, 32), load<i32>(q, 36), load<i32>(q, 40));
    }
    return;
  }
  if (phase == PHASE_ADAMW) {
    const n = ctx(cfg, C_ON);
    const lo = ((n / 4) * tid / nthreads) * 4, hi = ((n / 4) * (tid + 1) / nthreads) * 4;
    adamwPhase(cfg, lo, hi);
    return;
  }
  const R = ctx(cfg, C_R);
  rows(cfg, phase == PHASE_TRAIN ? 1 : 0, R * tid / nthreads, R * (tid + 1) / nthreads, tid);
}

// @ts-ignore: decorator
@inline function ctx(p: usize, slot: i32): i32 {
  return load<i32>(p + <usize>slot * 4);
}
// @ts-ignore: decorator
@inline function ptr(p: usize, slot: i32): usize {
  return <usize>load<i32>(p + <usize>slot * 4);
}

/** Zeroes n floats at p (n % 4 == 0). */
function zero4(p: usize, n: i32): void {
  const z = f32x4.splat(0);
  for (let i = 0; i < n; i += 4) v128.store(p + <usize>i * 4, z);
}

/**
 * Runs rows [R0, R1) of the context at `c`. MODE 0: forward only, writes logits [rows, N] at LOGITS (row index
 * relative to R0). MODE 1: forward + backward, accumulating into the (zeroed-here) gradient buffers and the
 * float64 loss sum at LOSS.
 */
function rows(c: usize, mode: i32, r0: i32, r1: i32, tid: i32): void {
  const N = ctx(c, C_N), Np = ctx(c, C_NP), F = ctx(c, C_F), H = ctx(c, C_H);
  const W = F + Np;
  const pa = ptr(c, C_A), pbt = ptr(c, C_B), py = ptr(c, C_Y);
  const S0 = ptr(c, C_S0), S1 = ptr(c, C_S1), S2 = ptr(c, C_S2);
  const T0 = ptr(c, C_T0), T1 = ptr(c, C_T1), T2 = ptr(c, C_T2), base = ptr(c, C_BASE), M = ptr(c, C_M);
  const dT0 = ptr(c, C_GBASE) + <usize>tid * <usize>ctx(c, C_GSTRIDE);
  const dT1 = dT0 + <usize>(N * H * W) * 4, dT2 = dT1 + <usize>(N * H * W) * 4, dbase = dT2 + <usize>(H * W) * 4;
  const dM = dbase + <usize>W * 4, dS0 = dM + <usize>(F * Np) * 4, dS1 = dS0 + <usize>(N * H) * 4, dS2 = dS1 + <usize>(N * H) * 4;
  const invR = reinterpret<f32>(ctx(c, C_INVR));
  // scratch: y [W], dy [W], e [Np], act i32 [F], p f32 [3*H] (padded to 16), dp [3*H]
  const y = ptr(c, C_SBASE) + <usize>tid * <usize>ctx(c, C_SSTRIDE);
  const dy = y + <usize>W * 4;
  const ev = dy + <usize>W * 4;
  const act = ev + <usize>Np * 4;
  const pp = act + <usize>F * 4;
  const dpp = pp + 64;
  const logitsOut = ptr(c, C_LOGITS);
  const lossAt = ptr(c, C_LOSS) + <usize>tid * 8;
  const rowBytes = <usize>H * <usize>W * 4;

  if (mode == 1) zero4(dT0, ctx(c, C_GSIZE));
  let lossSum: f64 = 0;

  for (let r = r0; r < r1; r++) {
    const a = load<i32>(pa + <usize>r * 4), b = load<i32>(pbt + <usize>r * 4);
    // attention of the last position, per head: softmax over (a, b, "=")
    for (let h = 0; h < H; h++) {
      const e0 = load<f32>(S0 + <usize>(a * H + h) * 4), e1 = load<f32>(S1 + <usize>(b * H + h) * 4), e2 = load<f32>(S2 + <usize>h * 4);
      const mx = max(e0, max(e1, e2));
      const x0 = Mathf.exp(e0 - mx), x1 = Mathf.exp(e1 - mx), x2 = Mathf.exp(e2 - mx);
      const inv: f32 = 1.0 / (x0 + x1 + x2);
      store<f32>(pp + <usize>h * 4, x0 * inv);
      store<f32>(pp + <usize>(H + h) * 4, x1 * inv);
      store<f32>(pp + <usize>(2 * H + h) * 4, x2 * inv);
    }
    const ta = T0 + <usize>a * rowBytes, tb = T1 + <usize>b * rowBytes;
    // y = base + Σ_h p0 T0[a,h] + p1 T1[b,h] + p2 T2[h]   (H = 4 fixed by the model)
    {
      const p00 = f32x4.splat(load<f32>(pp)), p01 = f32x4.splat(load<f32>(pp, 4)), p02 = f32x4.splat(load<f32>(pp, 8)), p03 = f32x4.splat(load<f32>(pp, 12));
      const p10 = f32x4.splat(load<f32>(pp, 16)), p11 = f32x4.splat(load<f32>(pp, 20)), p12 = f32x4.splat(load<f32>(pp, 24)), p13 = f32x4.splat(load<f32>(pp, 28));
      const p20 = f32x4.splat(load<f32>(pp, 32)), p21 = f32x4.splat(load<f32>(pp, 36)), p22 = f32x4.splat(load<f32>(pp, 40)), p23 = f32x4.splat(load<f32>(pp, 44));
      const hs = <usize>W * 4;
      for (let j = 0; j < W; j += 4) {
        const o = <usize>j * 4;
        let s = v128.load(base + o);
        s = f32x4.add(s, f32x4.mul(p00, v128.load(ta + o)));
        s = f32x4.add(s, f32x4.mul(p01, v128.load(ta + hs + o)));
        s = f32x4.add(s, f32x4.mul(p02, v128.load(ta + 2 * hs + o)));
        s = f32x4.add(s, f32x4.mul(p03, v128.load(ta + 3 * hs + o)));
        s = f32x4.add(s, f32x4.mul(p10, v128.load(tb + o)));
        s = f32x4.add(s, f32x4.mul(p11, v128.load(tb + hs + o)));
        s = f32x4.add(s, f32x4.mul(p12, v128.load(tb + 2 * hs + o)));
        s = f32x4.add(s, f32x4.mul(p13, v128.load(tb + 3 * hs + o)));
        s = f32x4.add(s, f32x4.mul(p20, v128.load(T2 + o)));
        s = f32x4.add(s, f32x4.mul(p21, v128.load(T2 + hs + o)));
        s = f32x4.add(s, f32x4.mul(p22, v128.load(T2 + 2 * hs + o)));
        s = f32x4.add(s, f32x4.mul(p23, v128.load(T2 + 3 * hs + o)));
        v128.store(y + o, s);
      }
    }
    // active hidden units (pre > 0)
    let nact = 0;
    for (let k = 0; k < F; k++) {
      store<i32>(act + <usize>nact * 4, k);
      nact += i32(load<f32>(y + <usize>k * 4) > 0);
    }
    // logits = y[F:] + Σ_{k active} y[k] M[k, :], 32 columns at a time
    const yl = y + <usize>F * 4;
    for (let j = 0; j < Np; j += 32) {
      const o = <usize>j * 4;
      let l0 = v128.load(yl + o), l1 = v128.load(yl + o, 16), l2 = v128.load(yl + o, 32), l3 = v128.load(yl + o, 48);
      let l4 = v128.load(yl + o, 64), l5 = v128.load(yl + o, 80), l6 = v128.load(yl + o, 96), l7 = v128.load(yl + o, 112);
      for (let t = 0; t < nact; t++) {
        const k = load<i32>(act + <usize>t * 4);
        const s = f32x4.splat(load<f32>(y + <usize>k * 4));
        const pm = M + (<usize>k * <usize>Np + <usize>j) * 4;
        l0 = f32x4.add(l0, f32x4.mul(s, v128.load(pm)));
        l1 = f32x4.add(l1, f32x4.mul(s, v128.load(pm, 16)));
        l2 = f32x4.add(l2, f32x4.mul(s, v128.load(pm, 32)));
        l3 = f32x4.add(l3, f32x4.mul(s, v128.load(pm, 48)));
        l4 = f32x4.add(l4, f32x4.mul(s, v128.load(pm, 64)));
        l5 = f32x4.add(l5, f32x4.mul(s, v128.load(pm, 80)));
        l6 = f32x4.add(l6, f32x4.mul(s, v128.load(pm, 96)));
        l7 = f32x4.add(l7, f32x4.mul(s, v128.load(pm, 112)));
      }
      v128.store(yl + o, l0); v128.store(yl + o, l1, 16); v128.store(yl + o, l2, 32); v128.store(yl + o, l3, 48);
      v128.store(yl + o, l4, 64); v128.store(yl + o, l5, 80); v128.store(yl + o, l6, 96); v128.store(yl + o, l7, 112);
    }
    if (mode == 0) {
      const out = logitsOut + <usize>(r * N) * 4;
      for (let cc = 0; cc < N; cc++) store<f32>(out + <usize>cc * 4, load<f32>(yl + <usize>cc * 4));
      continue;
    }
    // softmax cross-entropy: loss in float64 from f32 exponentials, dlogits = (softmax − onehot) / rows
    const lab = load<i32>(py + <usize>r * 4);
    let mx = load<f32>(yl);
    let amx = 0;
    for (let cc = 1; cc < N; cc++) {
      const v = load<f32>(yl + <usize>cc * 4);
      if (v > mx) { mx = v; amx = cc; }
    }
    const mxv = f32x4.splat(mx);
    let sv = f32x4.splat(0);
    for (let j = 0; j < Np; j += 4) {
      const o = <usize>j * 4;
      const e = expv(f32x4.sub(v128.load(yl + o), mxv));
      v128.store(ev + o, e);
    }
    for (let cc = N; cc < Np; cc++) store<f32>(ev + <usize>cc * 4, 0);
    store<f32>(ev + <usize>amx * 4, 0);
    for (let j = 0; j < Np; j += 4) sv = f32x4.add(sv, v128.load(ev + <usize>j * 4));
    const others: f64 = <f64>f32x4.extract_lane(sv, 0) + <f64>f32x4.extract_lane(sv, 1) + <f64>f32x4.extract_lane(sv, 2) + <f64>f32x4.extract_lane(sv, 3);
    store<f32>(ev + <usize>amx * 4, 1);
    lossSum += Math.log1p(others) + <f64>mx - <f64>load<f32>(yl + <usize>lab * 4);
    const scale = f32x4.splat(<f32>(<f64>invR / (1.0 + others)));
    const dl = dy + <usize>F * 4;
    for (let j = 0; j < Np; j += 4) v128.store(dl + <usize>j * 4, f32x4.mul(v128.load(ev + <usize>j * 4), scale));
    store<f32>(dl + <usize>lab * 4, load<f32>(dl + <usize>lab * 4) - invR);
    // dpre[k] = dlogits · M[k, :] on active units (0 elsewhere); dM[k, :] += post[k] dlogits
    zero4(dy, F);
    for (let j = 0; j < Np; j += 32) {
      const o = <usize>j * 4;
      const g0 = v128.load(dl + o), g1 = v128.load(dl + o, 16), g2 = v128.load(dl + o, 32), g3 = v128.load(dl + o, 48);
      const g4 = v128.load(dl + o, 64), g5 = v128.load(dl + o, 80), g6 = v128.load(dl + o, 96), g7 = v128.load(dl + o, 112);
      for (let t = 0; t < nact; t++) {
        const k = load<i32>(act + <usize>t * 4);
        const pm = M + (<usize>k * <usize>Np + <usize>j) * 4;
        const pd = dM + (<usize>k * <usize>Np + <usize>j) * 4;
        const s = f32x4.splat(load<f32>(y + <usize>k * 4));
        let q = f32x4.add(f32x4.add(f32x4.mul(g0, v128.load(pm)), f32x4.mul(g1, v128.load(pm, 16))),
          f32x4.add(f32x4.mul(g2, v128.load(pm, 32)), f32x4.mul(g3, v128.load(pm, 48))));
        q = f32x4.add(q, f32x4.add(f32x4.add(f32x4.mul(g4, v128.load(pm, 64)), f32x4.mul(g5, v128.load(pm, 80))),
          f32x4.add(f32x4.mul(g6, v128.load(pm, 96)), f32x4.mul(g7, v128.load(pm, 112)))));
        v128.store(pd, f32x4.add(v128.load(pd), f32x4.mul(s, g0)));
        v128.store(pd, f32x4.add(v128.load(pd, 16), f32x4.mul(s, g1)), 16);
        v128.store(pd, f32x4.add(v128.load(pd, 32), f32x4.mul(s, g2)), 32);
        v128.store(pd, f32x4.add(v128.load(pd, 48), f32x4.mul(s, g3)), 48);
        v128.store(pd, f32x4.add(v128.load(pd, 64), f32x4.mul(s, g4)), 64);
        v128.store(pd, f32x4.add(v128.load(pd, 80), f32x4.mul(s, g5)), 80);
        v128.store(pd, f32x4.add(v128.load(pd, 96), f32x4.mul(s, g6)), 96);
        v128.store(pd, f32x4.add(v128.load(pd, 112), f32x4.mul(s, g7)), 112);
        const pk = dy + <usize>k * 4;
        store<f32>(pk, load<f32>(pk) + f32x4.extract_lane(q, 0) + f32x4.extract_lane(q, 1) + f32x4.extract_lane(q, 2) + f32x4.extract_lane(q, 3));
      }
    }
    // dp_jh = dy · T_j[., h];  dT_j[., h] += p_jh dy;  dbase += dy
    {
      const hs = <usize>W * 4;
      const p00 = f32x4.splat(load<f32>(pp)), p01 = f32x4.splat(load<f32>(pp, 4)), p02 = f32x4.splat(load<f32>(pp, 8)), p03 = f32x4.splat(load<f32>(pp, 12));
      const p10 = f32x4.splat(load<f32>(pp, 16)), p11 = f32x4.splat(load<f32>(pp, 20)), p12 = f32x4.splat(load<f32>(pp, 24)), p13 = f32x4.splat(load<f32>(pp, 28));
      const p20 = f32x4.splat(load<f32>(pp, 32)), p21 = f32x4.splat(load<f32>(pp, 36)), p22 = f32x4.splat(load<f32>(pp, 40)), p23 = f32x4.splat(load<f32>(pp, 44));
      const da = dT0 + <usize>a * rowBytes, db = dT1 + <usize>b * rowBytes;
      let q00 = f32x4.splat(0), q01 = q00, q02 = q00, q03 = q00;
      let q10 = q00, q11 = q00, q12 = q00, q13 = q00;
      let q20 = q00, q21 = q00, q22 = q00, q23 = q00;
      for (let j = 0; j < W; j += 4) {
        const o = <usize>j * 4;
        const g = v128.load(dy + o);
        v128.store(dbase + o, f32x4.add(v128.load(dbase + o), g));
        q00 = f32x4.add(q00, f32x4.mul(g, v128.load(ta + o)));
        q01 = f32x4.add(q01, f32x4.mul(g, v128.load(ta + hs + o)));
        q02 = f32x4.add(q02, f32x4.mul(g, v128.load(ta + 2 * hs + o)));
        q03 = f32x4.add(q03, f32x4.mul(g, v128.load(ta + 3 * hs + o)));
        v128.store(da + o, f32x4.add(v128.load(da + o), f32x4.mul(p00, g)));
        v128.store(da + hs + o, f32x4.add(v128.load(da + hs + o), f32x4.mul(p01, g)));
        v128.store(da + 2 * hs + o, f32x4.add(v128.load(da + 2 * hs + o), f32x4.mul(p02, g)));
        v128.store(da + 3 * hs + o, f32x4.add(v128.load(da + 3 * hs + o), f32x4.mul(p03, g)));
      }
      for (let j = 0; j < W; j += 4) {
        const o = <usize>j * 4;
        const g = v128.load(dy + o);
        q10 = f32x4.add(q10, f32x4.mul(g, v128.load(tb + o)));
        q11 = f32x4.add(q11, f32x4.mul(g, v128.load(tb + hs + o)));
        q12 = f32x4.add(q12, f32x4.mul(g, v128.load(tb + 2 * hs + o)));
        q13 = f32x4.add(q13, f32x4.mul(g, v128.load(tb + 3 * hs + o)));
        v128.store(db + o, f32x4.add(v128.load(db + o), f32x4.mul(p10, g)));
        v128.store(db + hs + o, f32x4.add(v128.load(db + hs + o), f32x4.mul(p11, g)));
        v128.store(db + 2 * hs + o, f32x4.add(v128.load(db + 2 * hs + o), f32x4.mul(p12, g)));
        v128.store(db + 3 * hs + o, f32x4.add(v128.load(db + 3 * hs + o), f32x4.mul(p13, g)));
      }
      for (let j = 0; j < W; j += 4) {
        const o = <usize>j * 4;
        const g = v128.load(dy + o);
        q20 = f32x4.add(q20, f32x4.mul(g, v128.load(T2 + o)));
        q21 = f32x4.add(q21, f32x4.mul(g, v128.load(T2 + hs + o)));
        q22 = f32x4.add(q22, f32x4.mul(g, v128.load(T2 + 2 * hs + o)));
        q23 = f32x4.add(q23, f32x4.mul(g, v128.load(T2 + 3 * hs + o)));
        v128.store(dT2 + o, f32x4.add(v128.load(dT2 + o), f32x4.mul(p20, g)));
        v128.store(dT2 + hs + o, f32x4.add(v128.load(dT2 + hs + o), f32x4.mul(p21, g)));
        v128.store(dT2 + 2 * hs + o, f32x4.add(v128.load(dT2 + 2 * hs + o), f32x4.mul(p22, g)));
        v128.store(dT2 + 3 * hs + o, f32x4.add(v128.load(dT2 + 3 * hs + o), f32x4.mul(p23, g)));
      }
      v128.store(dpp, hsum4(q00, q01, q02, q03));
      v128.store(dpp, hsum4(q10, q11, q12, q13), 16);
      v128.store(dpp, hsum4(q20, q21, q22, q23), 32);
    }
    // softmax backward per head: ds_j = p_j (dp_j − Σ_j' p_j' dp_j')
    for (let h = 0; h < H; h++) {
      const p0 = load<f32>(pp + <usize>h * 4), p1 = load<f32>(pp + <usize>(H + h) * 4), p2 = load<f32>(pp + <usize>(2 * H + h) * 4);
      const d0 = load<f32>(dpp + <usize>h * 4), d1 = load<f32>(dpp + <usize>(H + h) * 4), d2 = load<f32>(dpp + <usize>(2 * H + h) * 4);
      const m = p0 * d0 + p1 * d1 + p2 * d2;
      const s0 = dS0 + <usize>(a * H + h) * 4, s1 = dS1 + <usize>(b * H + h) * 4, s2 = dS2 + <usize>h * 4;
      store<f32>(s0, load<f32>(s0) + p0 * (d0 - m));
      store<f32>(s1, load<f32>(s1) + p1 * (d1 - m));
      store<f32>(s2, load<f32>(s2) + p2 * (d2 - m));
    }
  }
  if (mode == 1) store<f64>(lossAt, lossSum);
}

// @ts-ignore: decorator
@inline function ctxF32(c: usize, slot: i32): f32 {
  return reinterpret<f32>(load<i32>(c + <usize>slot * 4));
}

/** AdamW on elements [lo, hi) of the flat trainable parameters: the shared kernel of assembly/_common.ts. */
function adamwPhase(c: usize, lo: i32, hi: i32): void {
  adamwRange(ptr(c, C_OP), ptr(c, C_OG), ptr(c, C_OM), ptr(c, C_OV), lo, hi, ctxF32(c, C_DECAY), ctxF32(c, C_B1), ctxF32(c, C_OMB1),
    ctxF32(c, C_B2), ctxF32(c, C_OMB2), ctxF32(c, C_NEGSTEP), ctxF32(c, C_BC2), ctxF32(c, C_EPS));
}

/** AdamW on [i0, i1) of the blocks P, G, M, V (the shared kernel, exported for tests). */
export function adamw(P: usize, G: usize, M: usize, V: usize, i0: i32, i1: i32, decay: f32, beta1: f32, omb1: f32,
  beta2: f32, omb2: f32, negStep: f32, bc2Sqrt: f32, eps: f32): void {
  adamwRange(P, G, M, V, i0, i1, decay, beta1, omb1, beta2, omb2, negStep, bc2Sqrt, eps);
}


/** End of this module's static data (the math tables of Mathf.exp, ...): the host allocates above it. */
export function heapBase(): usize {
  return __heap_base;
}
