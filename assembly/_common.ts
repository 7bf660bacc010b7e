// Arithmetic shared by the kernels (assembly/mlp.ts, assembly/transformer.ts): AdamW, exp, horizontal sums,
// vector accumulation. Not compiled on its own (scripts/build.mjs skips files starting with `_`); each kernel
// imports it, and @inline functions are inlined there.

// ---- AdamW ----------------------------------------------------------------------------------------------

/**
 * AdamW on elements [i0, i1) of the float32 blocks P (parameters), G (gradients), M (exp_avg), V (exp_avg_sq)
 * (i1 - i0 a multiple of 4), operation by operation as src/train/adamw.ts `adamwUpdate`, so results are
 * bit-identical: float32 throughout, except √v / √(1−β2^t), computed in float64 and rounded once (as the JS
 * `Math.sqrt(v) / bc2Sqrt`):
 *   p·decay;  m·β1 + g·(1−β1);  v·β2 + (g·(1−β2))·g;  p + (−lr/(1−β1^t))·m / (√v / √(1−β2^t) + eps).
 * The scalars are src/train/adamw.ts `adamwScalars` (float32).
 */
// @ts-ignore: decorator
@inline export function adamwRange(P: usize, G: usize, M: usize, V: usize, i0: i32, i1: i32, decay: f32, beta1: f32,
  omb1: f32, beta2: f32, omb2: f32, negStep: f32, bc2Sqrt: f32, eps: f32): void {
  const vd = f32x4.splat(decay);
  const vb1 = f32x4.splat(beta1);
  const vo1 = f32x4.splat(omb1);
  const vb2 = f32x4.splat(beta2);
  const vo2 = f32x4.splat(omb2);
  const vs = f32x4.splat(negStep);
  const bc2d = f64x2.splat(<f64>bc2Sqrt);
  const ve = f32x4.splat(eps);
  for (let i = i0; i < i1; i += 4) {
    const o = <usize>i << 2;
    const g = v128.load(G + o);
    const p = f32x4.mul(v128.load(P + o), vd);
    const m = f32x4.add(f32x4.mul(v128.load(M + o), vb1), f32x4.mul(g, vo1));
    const v = f32x4.add(f32x4.mul(v128.load(V + o), vb2), f32x4.mul(f32x4.mul(g, vo2), g));
    const q01 = f64x2.div(f64x2.sqrt(f64x2.promote_low_f32x4(v)), bc2d);
    const q23 = f64x2.div(f64x2.sqrt(f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 2, 3))), bc2d);
    const q = v128.shuffle<f32>(f32x4.demote_f64x2_zero(q01), f32x4.demote_f64x2_zero(q23), 0, 1, 4, 5);
    const denom = f32x4.add(q, ve);
    v128.store(P + o, f32x4.add(p, f32x4.div(f32x4.mul(vs, m), denom)));
    v128.store(M + o, m);
    v128.store(V + o, v);
  }
}

// ---- exp ------------------------------------------------------------------------------------------------

// Lanes with x < EXP_CUTOFF give 0 (their share of a row's sum is below 1e-27, far under float64's
// resolution next to the maximum's term 1; and their gradient would be a float32 denormal). NaN stays NaN.
const EXP_CUTOFF: f32 = -64.0;
const LOG2E: f32 = 1.4426950408889634;
const LN2_HEAD: f32 = 0.693115234375; // 2839 / 4096
const LN2_TAIL: f32 = 3.194618494528623e-5; // ln 2 - LN2_HEAD

/** exp(v - m) lane-wise for v <= m (the MLP's softmax terms), to ~1 ulp of float32. */
// @ts-ignore: decorator
@inline export function expDiff4(v: v128, m: v128): v128 {
  const s = f32x4.sub(v, m);
  const z = f32x4.sub(s, v);
  const e = f32x4.sub(f32x4.sub(v, f32x4.sub(s, z)), f32x4.add(m, z));
  const sc = f32x4.pmax(s, f32x4.splat(EXP_CUTOFF)); // keeps n in range; NaN passes through
  // t = sc·log2e + 1.5·2^23 rounds to an integer n in the low mantissa bits of t: n = t - 1.5·2^23, and
  // (bits(t) + 127) << 23 is the float 2^n (the high bits shift out).
  const t = f32x4.add(f32x4.mul(sc, f32x4.splat(LOG2E)), f32x4.splat(12582912.0));
  const n = f32x4.sub(t, f32x4.splat(12582912.0));
  let r = f32x4.sub(sc, f32x4.mul(n, f32x4.splat(LN2_HEAD)));
  r = f32x4.add(f32x4.sub(r, f32x4.mul(n, f32x4.splat(LN2_TAIL))), e);
  let p = f32x4.splat(1.984126984126984e-4); // 1/7!
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3888888888888889e-3)); // 1/6!
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.333333333333333e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1666666666666664e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(0.16666666666666666));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(0.5));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0));
  const scale = i32x4.shl(i32x4.add(t, i32x4.splat(127)), 23);
  return v128.andnot(f32x4.mul(p, scale), f32x4.lt(s, f32x4.splat(EXP_CUTOFF)));
}

/** exp(x) lane-wise for x <= 0 (the transformer's softmax terms), Cephes-style 2^n · p(r), relative error ~2e-7. */
// @ts-ignore: decorator
@inline export function expv(x: v128): v128 {
  x = f32x4.max(x, f32x4.splat(-87.0));
  const n = f32x4.nearest(f32x4.mul(x, f32x4.splat(1.44269504088896341)));
  let r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  const r2 = f32x4.mul(r, r);
  p = f32x4.add(f32x4.add(f32x4.mul(p, r2), r), f32x4.splat(1.0));
  const e = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return f32x4.mul(p, e);
}

// ---- sums ---------------------------------------------------------------------------------------------------

/** The four horizontal sums of a0..a3 as one vector [Σa0, Σa1, Σa2, Σa3], each (x0 + x2) + (x1 + x3). */
// @ts-ignore: decorator
@inline export function hsum4(a0: v128, a1: v128, a2: v128, a3: v128): v128 {
  const t0 = f32x4.add(v128.shuffle<f32>(a0, a1, 0, 4, 1, 5), v128.shuffle<f32>(a0, a1, 2, 6, 3, 7));
  const t1 = f32x4.add(v128.shuffle<f32>(a2, a3, 0, 4, 1, 5), v128.shuffle<f32>(a2, a3, 2, 6, 3, 7));
  return f32x4.add(v128.shuffle<f32>(t0, t1, 0, 1, 4, 5), v128.shuffle<f32>(t0, t1, 2, 3, 6, 7));
}

/** dst[0..n) += src[0..n) (n a multiple of 4): the reduction of chunk / per-thread partials. */
// @ts-ignore: decorator
@inline export function addInto(dst: usize, src: usize, n: i32): void {
  for (let j = 0; j < n; j += 4) {
    const o = <usize>j << 2;
    v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
  }
}
