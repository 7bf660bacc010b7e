// Training kernels of the MLP and bilinear net: WebAssembly SIMD (f32x4 / f64x2), compiled by
// AssemblyScript to build/mlp.wasm. Every instance (the main thread and each worker) imports the same shared
// memory; all buffers are laid out once by src/kernels/mlp-layout.ts and described by a config block of
// i32/f32 words at `cfg` (field numbers below, mirrored in src/kernels/mlp-layout.ts). Phases split their
// work by thread id so that results do not depend on the thread count (docs/kernels.md).
//
// Shapes (padded: Np, dp, hp are N, d_e, h rounded up to multiples of 4; padding is zero and stays zero):
//   MLP:      W_x, W_y [N, dp]; W_top, W_bot [dp, hp]; W_U [hp, Np]; E_a = W_x W_top, E_b = W_y W_bot [N, hp]
//             hidden = ReLU(E_a[a] + E_b[b]) [R, hp]; logits = hidden W_U [R, Np]
//   bilinear: E_a = W_x, E_b = W_y (hp = dp); hidden = E_a[a] ⊙ E_b[b]; logits = hidden W_U

import { addInto, adamwRange, expDiff4, hsum4 } from './_common';

// ---- config block fields (i32 word index) ----
const F_N: i32 = 0;
const F_NP: i32 = 1;
const F_DP: i32 = 2;
const F_HP: i32 = 3;
const F_MODE: i32 = 4; // 0 MLP, 1 bilinear
const F_CHUNKS: i32 = 5;
const F_TILE: i32 = 6;
const F_WX: i32 = 7;
const F_WY: i32 = 8;
const F_WTOP: i32 = 9;
const F_WBOT: i32 = 10;
const F_WU: i32 = 11;
const F_DWX: i32 = 12;
const F_DWY: i32 = 13;
const F_DWTOP: i32 = 14;
const F_DWBOT: i32 = 15;
const F_DWU: i32 = 16;
const F_EA: i32 = 17;
const F_EB: i32 = 18;
const F_DEA: i32 = 19;
const F_DEB: i32 = 20;
const F_WTT: i32 = 21;
const F_WBT: i32 = 22;
const F_PART: i32 = 23;
const F_PART_STRIDE: i32 = 24;
const F_SCRATCH: i32 = 25;
const F_SCRATCH_STRIDE: i32 = 26;
const F_ROWS_A: i32 = 27;
const F_ROWS_B: i32 = 28;
const F_ROWS_Y: i32 = 29;
const F_NROWS: i32 = 30;
const F_WITH_GRAD: i32 = 31;
const F_CHUNK_LOSS: i32 = 32;
const F_CHUNK_CORRECT: i32 = 33;
const F_P: i32 = 34;
const F_G: i32 = 35;
const F_M: i32 = 36;
const F_V: i32 = 37;
const F_S: i32 = 38;
const F_CHUNK_COUNTER: i32 = 39;
const F_DECAY: i32 = 41; // f32 fields from here
const F_BETA1: i32 = 42;
const F_OMB1: i32 = 43;
const F_BETA2: i32 = 44;
const F_OMB2: i32 = 45;
const F_NEG_STEP: i32 = 46;
const F_BC2_SQRT: i32 = 47;
const F_EPS: i32 = 48;
const F_SKIP: i32 = 50; // profiling only (leaves results wrong): skip bit 1 logits, 2 loss, 4 backward through W_U (16 only dW_U, 32 only dhidden); bit 8 adds a second loss pass
const CFG_WORDS: i32 = 64;

// Phases run by every thread with (tid, nthreads).
const PHASE_EMBED: i32 = 1; // E_a = W_x W_top, E_b = W_y W_bot, W_top^T, W_bot^T
const PHASE_ROWS: i32 = 2; // per-chunk forward, loss, backward into chunk partials
const PHASE_REDUCE: i32 = 3; // sum chunk partials in chunk order into dW_U, dE_a, dE_b
const PHASE_EMBED_BACKWARD: i32 = 4; // dW_x, dW_y, dW_top, dW_bot from dE_a, dE_b
const PHASE_ADAMW: i32 = 5; // AdamW over all parameters

export function cfg_words(): i32 {
  return CFG_WORDS;
}
export function heap_base(): usize {
  return __heap_base;
}

@inline function ci(cfg: usize, f: i32): usize {
  return <usize>load<i32>(cfg + (<usize>f << 2));
}
@inline function cf(cfg: usize, f: i32): f32 {
  return load<f32>(cfg + (<usize>f << 2));
}

/** Splits [0, n) into nth ranges aligned to `align`; returns the start of range `t` (t = nth gives n). */
@inline function splitAt(n: i32, nth: i32, t: i32, align: i32): i32 {
  const per = ((n + nth * align - 1) / (nth * align)) * align;
  const s = per * t;
  return s < n ? s : n;
}

export function run_phase(cfg: usize, phase: i32, tid: i32, nth: i32): void {
  if (phase == PHASE_EMBED) phaseEmbed(cfg, tid, nth);
  else if (phase == PHASE_ROWS) phaseRows(cfg, tid, nth);
  else if (phase == PHASE_REDUCE) phaseReduce(cfg, tid, nth);
  else if (phase == PHASE_EMBED_BACKWARD) phaseEmbedBackward(cfg, tid, nth);
  else if (phase == PHASE_ADAMW) phaseAdamw(cfg, tid, nth);
}

// ---------------------------------------------------------------------------------------------------
// GEMM: C[i, j] = Σ_k A(i, k) B[k, j] for rows i in [i0, i1) and all P columns (P a multiple of 4).
// A(i, k) is at A + 4·(i·ars + k·acs) (so Aᵀ is read by swapping the strides); B and C are row-major with
// P columns. Each output element sums k in increasing order, so row splits do not change the bits.
export function gemm(A: usize, ars: i32, acs: i32, B: usize, C: usize, i0: i32, i1: i32, K: i32, P: i32): void {
  const rs = <usize>ars << 2;
  const cs = <usize>acs << 2;
  const ldb = <usize>P << 2;
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    const a0 = A + <usize>i * rs;
    const a1 = a0 + rs;
    const a2 = a1 + rs;
    const a3 = a2 + rs;
    let j = 0;
    for (; j + 8 <= P; j += 8) {
      let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
      let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
      let pb = B + (<usize>j << 2);
      let ko: usize = 0;
      for (let k = 0; k < K; k++) {
        const b0 = v128.load(pb);
        const b1 = v128.load(pb, 16);
        let s = v128.load32_splat(a0 + ko);
        c00 = f32x4.add(c00, f32x4.mul(s, b0));
        c01 = f32x4.add(c01, f32x4.mul(s, b1));
        s = v128.load32_splat(a1 + ko);
        c10 = f32x4.add(c10, f32x4.mul(s, b0));
        c11 = f32x4.add(c11, f32x4.mul(s, b1));
        s = v128.load32_splat(a2 + ko);
        c20 = f32x4.add(c20, f32x4.mul(s, b0));
        c21 = f32x4.add(c21, f32x4.mul(s, b1));
        s = v128.load32_splat(a3 + ko);
        c30 = f32x4.add(c30, f32x4.mul(s, b0));
        c31 = f32x4.add(c31, f32x4.mul(s, b1));
        pb += ldb;
        ko += cs;
      }
      const pc = C + ((<usize>i * <usize>P + <usize>j) << 2);
      v128.store(pc, c00);
      v128.store(pc, c01, 16);
      v128.store(pc + ldb, c10);
      v128.store(pc + ldb, c11, 16);
      v128.store(pc + 2 * ldb, c20);
      v128.store(pc + 2 * ldb, c21, 16);
      v128.store(pc + 3 * ldb, c30);
      v128.store(pc + 3 * ldb, c31, 16);
    }
    for (; j < P; j += 4) {
      let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
      let pb = B + (<usize>j << 2);
      let ko: usize = 0;
      for (let k = 0; k < K; k++) {
        const b0 = v128.load(pb);
        c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(a0 + ko), b0));
        c1 = f32x4.add(c1, f32x4.mul(v128.load32_splat(a1 + ko), b0));
        c2 = f32x4.add(c2, f32x4.mul(v128.load32_splat(a2 + ko), b0));
        c3 = f32x4.add(c3, f32x4.mul(v128.load32_splat(a3 + ko), b0));
        pb += ldb;
        ko += cs;
      }
      const pc = C + ((<usize>i * <usize>P + <usize>j) << 2);
      v128.store(pc, c0);
      v128.store(pc + ldb, c1);
      v128.store(pc + 2 * ldb, c2);
      v128.store(pc + 3 * ldb, c3);
    }
  }
  for (; i < i1; i++) {
    const a0 = A + <usize>i * rs;
    for (let j = 0; j < P; j += 4) {
      let c0 = f32x4.splat(0);
      let pb = B + (<usize>j << 2);
      let ko: usize = 0;
      for (let k = 0; k < K; k++) {
        c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(a0 + ko), v128.load(pb)));
        pb += ldb;
        ko += cs;
      }
      v128.store(C + ((<usize>i * <usize>P + <usize>j) << 2), c0);
    }
  }
}

/** Bᵀ [cols, rows] of B [rows, cols], for output rows (= B columns) in [j0, j1). */
function transpose(B: usize, rows: i32, cols: i32, out: usize, j0: i32, j1: i32): void {
  for (let j = j0; j < j1; j++)
    for (let i = 0; i < rows; i++)
      store<f32>(out + ((<usize>j * <usize>rows + <usize>i) << 2), load<f32>(B + ((<usize>i * <usize>cols + <usize>j) << 2)));
}

function phaseEmbed(cfg: usize, tid: i32, nth: i32): void {
  if (<i32>ci(cfg, F_MODE) != 0) return;
  const N = <i32>ci(cfg, F_N);
  const dp = <i32>ci(cfg, F_DP);
  const hp = <i32>ci(cfg, F_HP);
  const i0 = splitAt(N, nth, tid, 4);
  const i1 = splitAt(N, nth, tid + 1, 4);
  // [N, dp] x [dp, hp] -> [N, hp]
  gemm(ci(cfg, F_WX), dp, 1, ci(cfg, F_WTOP), ci(cfg, F_EA), i0, i1, dp, hp);
  gemm(ci(cfg, F_WY), dp, 1, ci(cfg, F_WBOT), ci(cfg, F_EB), i0, i1, dp, hp);
  const j0 = splitAt(hp, nth, tid, 4);
  const j1 = splitAt(hp, nth, tid + 1, 4);
  transpose(ci(cfg, F_WTOP), dp, hp, ci(cfg, F_WTT), j0, j1); // [dp, hp] -> [hp, dp]
  transpose(ci(cfg, F_WBOT), dp, hp, ci(cfg, F_WBT), j0, j1);
}

function phaseEmbedBackward(cfg: usize, tid: i32, nth: i32): void {
  if (<i32>ci(cfg, F_MODE) != 0) return;
  const N = <i32>ci(cfg, F_N);
  const dp = <i32>ci(cfg, F_DP);
  const hp = <i32>ci(cfg, F_HP);
  const i0 = splitAt(N, nth, tid, 4);
  const i1 = splitAt(N, nth, tid + 1, 4);
  // dW_x = dE_a W_topᵀ: [N, hp] x [hp, dp] -> [N, dp]
  gemm(ci(cfg, F_DEA), hp, 1, ci(cfg, F_WTT), ci(cfg, F_DWX), i0, i1, hp, dp);
  gemm(ci(cfg, F_DEB), hp, 1, ci(cfg, F_WBT), ci(cfg, F_DWY), i0, i1, hp, dp);
  const k0 = splitAt(dp, nth, tid, 4);
  const k1 = splitAt(dp, nth, tid + 1, 4);
  // dW_top = W_xᵀ dE_a: [dp, N] x [N, hp] -> [dp, hp]
  gemm(ci(cfg, F_WX), 1, dp, ci(cfg, F_DEA), ci(cfg, F_DWTOP), k0, k1, N, hp);
  gemm(ci(cfg, F_WY), 1, dp, ci(cfg, F_DEB), ci(cfg, F_DWBOT), k0, k1, N, hp);
}

// ---------------------------------------------------------------------------------------------------
// exp(v - m) on f32x4 lanes for v <= m (the softmax terms of a logits row; m is the row maximum):
//   - the difference is taken exactly: s = fl(v - m) plus its rounding error e (TwoSum), x = s + e;
//   - x = n·ln2 + r with |r| <= ln2/2 + ulp (ln2 split in a 12-bit head, so n·head and s - n·head are exact);
//   - exp(r) by its Taylor polynomial to degree 7 (truncation error < 6e-9 relative), times 2^n built in the
//     exponent bits. The result is within ~2 ulp of float32 of the exact exp(v - m).

/** exp(v - m) for one pair of float32 values with the arithmetic of expDiff4 (for tests). */
export function exp_diff_f32(v: f32, m: f32): f32 {
  return f32x4.extract_lane(expDiff4(f32x4.splat(v), f32x4.splat(m)), 0);
}

// ---------------------------------------------------------------------------------------------------
// Row phase. Per thread scratch (bytes, from scratch + tid·stride):
//   H     [T, hp] f32      hidden of the tile
//   L     [T, Np] f32      logits of the tile, then dlogits
//   CNT   [T] i32          number of active hidden units of each row
//   HT    [hp, T] f32      hidden of the tile transposed (rows past the tile's end zero)
//   RL    [T + 4] i32      byte offsets in L of the tile rows where hidden unit k is active
//   HV    [T + 4] f32      hidden[t, k] of those rows
//   PAIRS [T, hp] (i32, f32) active units of each row (hidden != 0; all units for the bilinear net) as
//                          (byte offset of W_U row k, hidden[k])
//   KOFF  [T, hp] i32      byte offset k·4 of each active unit in an hp row, in the order of PAIRS
//   DP    [T, hp] f32      dhidden of the tile (gradient of the pre-activation for the MLP)

/**
 * Byte shuffles that compress a vector of two 8-byte pairs [p0, p1] to its active pairs, by 2-bit mask:
 * 0 and 1 and 3 keep the order (the inactive tail is overwritten later or never read), 2 moves p1 first.
 */
const COMPRESS2 = memory.data<u8>([
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
  8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15,
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
], 16);

/** Byte shuffles that compress a vector of four 4-byte lanes to its active lanes, in order, by 4-bit mask. */
const COMPRESS4 = memory.data<u8>([
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, // 0000
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, // 0001
  4, 5, 6, 7, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, // 0010
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, // 0011
  8, 9, 10, 11, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, // 0100
  0, 1, 2, 3, 8, 9, 10, 11, 8, 9, 10, 11, 12, 13, 14, 15, // 0101
  4, 5, 6, 7, 8, 9, 10, 11, 8, 9, 10, 11, 12, 13, 14, 15, // 0110
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, // 0111
  12, 13, 14, 15, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, // 1000
  0, 1, 2, 3, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15, // 1001
  4, 5, 6, 7, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15, // 1010
  0, 1, 2, 3, 4, 5, 6, 7, 12, 13, 14, 15, 12, 13, 14, 15, // 1011
  8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15, // 1100
  0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 15, 12, 13, 14, 15, // 1101
  4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 12, 13, 14, 15, // 1110
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, // 1111
], 16);

/**
 * logits[t, :] = Σ_i h_i · W_U[k_i, :] over the active (offset of W_U row k_i, h_i) pairs of each tile row t,
 * in increasing k. Column blocks outermost, so a block of W_U (h × 32 floats) stays in L1 across the tile.
 */
function logitsTile(PAIRS: usize, CNT: usize, nt: i32, hp: i32, WU: usize, Np: i32, L: usize): void {
  const pb = <usize>hp << 3;
  const nb = <usize>Np << 2;
  let j = 0;
  for (; j + 24 <= Np; j += 24) {
    const base = WU + (<usize>j << 2);
    for (let t = 0; t < nt; t++) {
      const pr = PAIRS + <usize>t * pb;
      const cnt = load<i32>(CNT + (<usize>t << 2));
      let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0), c4 = f32x4.splat(0), c5 = f32x4.splat(0);
      const qe = pr + (<usize>cnt << 3);
      for (let q = pr; q < qe; q += 8) {
        const s = v128.load32_splat(q, 4);
        const p = base + <usize>load<i32>(q);
        c0 = f32x4.add(c0, f32x4.mul(s, v128.load(p)));
        c1 = f32x4.add(c1, f32x4.mul(s, v128.load(p, 16)));
        c2 = f32x4.add(c2, f32x4.mul(s, v128.load(p, 32)));
        c3 = f32x4.add(c3, f32x4.mul(s, v128.load(p, 48)));
        c4 = f32x4.add(c4, f32x4.mul(s, v128.load(p, 64)));
        c5 = f32x4.add(c5, f32x4.mul(s, v128.load(p, 80)));
      }
      const o = L + <usize>t * nb + (<usize>j << 2);
      v128.store(o, c0);
      v128.store(o, c1, 16);
      v128.store(o, c2, 32);
      v128.store(o, c3, 48);
      v128.store(o, c4, 64);
      v128.store(o, c5, 80);
    }
  }
  for (; j + 16 <= Np; j += 16) {
    const base = WU + (<usize>j << 2);
    for (let t = 0; t < nt; t++) {
      const pr = PAIRS + <usize>t * pb;
      const cnt = load<i32>(CNT + (<usize>t << 2));
      let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
      for (let i = 0; i < cnt; i++) {
        const q = pr + (<usize>i << 3);
        const s = v128.load32_splat(q, 4);
        const p = base + <usize>load<i32>(q);
        c0 = f32x4.add(c0, f32x4.mul(s, v128.load(p)));
        c1 = f32x4.add(c1, f32x4.mul(s, v128.load(p, 16)));
        c2 = f32x4.add(c2, f32x4.mul(s, v128.load(p, 32)));
        c3 = f32x4.add(c3, f32x4.mul(s, v128.load(p, 48)));
      }
      const o = L + <usize>t * nb + (<usize>j << 2);
      v128.store(o, c0);
      v128.store(o, c1, 16);
      v128.store(o, c2, 32);
      v128.store(o, c3, 48);
    }
  }
  for (; j + 8 <= Np; j += 8) {
    const base = WU + (<usize>j << 2);
    for (let t = 0; t < nt; t++) {
      const pr = PAIRS + <usize>t * pb;
      const cnt = load<i32>(CNT + (<usize>t << 2));
      let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
      for (let i = 0; i < cnt; i++) {
        const q = pr + (<usize>i << 3);
        const s = v128.load32_splat(q, 4);
        const p = base + <usize>load<i32>(q);
        c0 = f32x4.add(c0, f32x4.mul(s, v128.load(p)));
        c1 = f32x4.add(c1, f32x4.mul(s, v128.load(p, 16)));
      }
      const o = L + <usize>t * nb + (<usize>j << 2);
      v128.store(o, c0);
      v128.store(o, c1, 16);
    }
  }
  for (; j + 4 <= Np; j += 4) {
    const base = WU + (<usize>j << 2);
    for (let t = 0; t < nt; t++) {
      const pr = PAIRS + <usize>t * pb;
      const cnt = load<i32>(CNT + (<usize>t << 2));
      let c0 = f32x4.splat(0);
      for (let i = 0; i < cnt; i++) {
        const q = pr + (<usize>i << 3);
        const s = v128.load32_splat(q, 4);
        const p = base + <usize>load<i32>(q);
        c0 = f32x4.add(c0, f32x4.mul(s, v128.load(p)));
      }
      const o = L + <usize>t * nb + (<usize>j << 2);
      v128.store(o, c0);
    }
  }
}


/**
 * Cross-entropy of one logits row L[0..N) (padding up to Np overwritten): returns the float64 loss
 * log Σ exp(l - max) + max - l[y], the float32 terms exp(l - max) (expDiff4) summed in float64. With grad,
 * overwrites L with (softmax - onehot(y))·invR in float32 (the y entry from float64).
 * Stores the argmax (first maximum) at argmaxOut.
 */
function crossEntropyRow(L: usize, N: i32, Np: i32, y: i32, invR: f64, withGrad: bool, argmaxOut: usize): f64 {
  let mv = f32x4.splat(-3.0e38);
  const N4 = N & ~3;
  for (let c = 0; c < N4; c += 4) mv = f32x4.pmax(mv, v128.load(L + (<usize>c << 2)));
  let mx = max(max(f32x4.extract_lane(mv, 0), f32x4.extract_lane(mv, 1)), max(f32x4.extract_lane(mv, 2), f32x4.extract_lane(mv, 3)));
  for (let c = N4; c < N; c++) mx = max(mx, load<f32>(L + (<usize>c << 2)));
  if (!withGrad) {
    let best = 0;
    while (best < N - 1 && load<f32>(L + (<usize>best << 2)) != mx) best++;
    store<i32>(argmaxOut, best);
  }
  for (let c = N; c < Np; c++) store<f32>(L + (<usize>c << 2), -3.0e38);
  const ly = <f64>load<f32>(L + (<usize>y << 2));
  const m = f32x4.splat(mx);
  let s0 = f64x2.splat(0);
  let s1 = f64x2.splat(0);
  let s2 = f64x2.splat(0);
  let s3 = f64x2.splat(0);
  let j = 0;
  for (; j + 8 <= Np; j += 8) { // two independent vectors per iteration
    const o = <usize>j << 2;
    const e0 = expDiff4(v128.load(L + o), m);
    const e1 = expDiff4(v128.load(L + o, 16), m);
    if (withGrad) {
      v128.store(L + o, e0);
      v128.store(L + o, e1, 16);
    }
    s0 = f64x2.add(s0, f64x2.promote_low_f32x4(e0));
    s1 = f64x2.add(s1, f64x2.promote_low_f32x4(v128.shuffle<f32>(e0, e0, 2, 3, 0, 1)));
    s2 = f64x2.add(s2, f64x2.promote_low_f32x4(e1));
    s3 = f64x2.add(s3, f64x2.promote_low_f32x4(v128.shuffle<f32>(e1, e1, 2, 3, 0, 1)));
  }
  if (j < Np) {
    const o = <usize>j << 2;
    const e = expDiff4(v128.load(L + o), m);
    if (withGrad) v128.store(L + o, e);
    s0 = f64x2.add(s0, f64x2.promote_low_f32x4(e));
    s1 = f64x2.add(s1, f64x2.promote_low_f32x4(v128.shuffle<f32>(e, e, 2, 3, 0, 1)));
  }
  const sum = f64x2.add(f64x2.add(s0, s1), f64x2.add(s2, s3));
  const total = f64x2.extract_lane(sum, 0) + f64x2.extract_lane(sum, 1);
  const loss = Math.log(total) + <f64>mx - ly;
  if (withGrad) {
    const py = <f64>load<f32>(L + (<usize>y << 2)) / total;
    const scale = f32x4.splat(<f32>(invR / total));
    for (let j = 0; j < Np; j += 4) {
      const o = <usize>j << 2;
      v128.store(L + o, f32x4.mul(v128.load(L + o), scale));
    }
    store<f32>(L + (<usize>y << 2), <f32>((py - 1.0) * invR));
    for (let c = N; c < Np; c++) store<f32>(L + (<usize>c << 2), 0);
  }
  return loss;
}


/** dst[0..n) += a[0..n) ⊙ b[0..n). */
@inline function addProductInto(dst: usize, a: usize, b: usize, n: i32): void {
  for (let j = 0; j < n; j += 4) {
    const o = <usize>j << 2;
    v128.store(dst + o, f32x4.add(v128.load(dst + o), f32x4.mul(v128.load(a + o), v128.load(b + o))));
  }
}

function phaseRows(cfg: usize, tid: i32, nth: i32): void {
  const N = <i32>ci(cfg, F_N);
  const Np = <i32>ci(cfg, F_NP);
  const hp = <i32>ci(cfg, F_HP);
  const mode = <i32>ci(cfg, F_MODE);
  const C = <i32>ci(cfg, F_CHUNKS);
  const T = <i32>ci(cfg, F_TILE);
  const WU = ci(cfg, F_WU);
  const Ea = ci(cfg, F_EA);
  const Eb = ci(cfg, F_EB);
  const rowsA = ci(cfg, F_ROWS_A);
  const rowsB = ci(cfg, F_ROWS_B);
  const rowsY = ci(cfg, F_ROWS_Y);
  const R = <i32>ci(cfg, F_NROWS);
  const withGrad = ci(cfg, F_WITH_GRAD) != 0;
  const invR: f64 = 1.0 / <f64>R;
  const partStride = ci(cfg, F_PART_STRIDE);
  const partLen = (hp * Np + 2 * N * hp);
  // scratch
  const sc = ci(cfg, F_SCRATCH) + <usize>tid * ci(cfg, F_SCRATCH_STRIDE);
  const H = sc;
  const L = H + ((<usize>T * <usize>hp) << 2);
  const CNT = L + ((<usize>T * <usize>Np) << 2);
  const RL = (CNT + ((<usize>T) << 2) + 15) & ~15;
  const HV = RL + ((<usize>T + 4) << 2);
  const ARGMAX = HV + ((<usize>T + 4) << 2);
  const PAIRS = (ARGMAX + 4 + 15) & ~15;
  const KOFF = PAIRS + ((<usize>T * <usize>hp) << 3);
  const DP = KOFF + ((<usize>T * <usize>hp) << 2);
  const HT = DP + ((<usize>T * <usize>hp) << 2);
  const hb = <usize>hp << 2;
  const nb = <usize>Np << 2;
  const counter = cfg + (<usize>F_CHUNK_COUNTER << 2);
  const skip = <i32>ci(cfg, F_SKIP);

  while (true) {
    const c = atomic.add<i32>(counter, 1);
    if (c >= C) break;
    const r0 = <i32>((<i64>R * <i64>c) / <i64>C);
    const r1 = <i32>((<i64>R * <i64>(c + 1)) / <i64>C);
    const part = ci(cfg, F_PART) + <usize>c * partStride;
    const dWUp = part;
    const dEap = part + ((<usize>hp * <usize>Np) << 2);
    const dEbp = dEap + ((<usize>N * <usize>hp) << 2);
    if (withGrad) memory.fill(part, 0, <usize>partLen << 2);
    let lossSum: f64 = 0;
    let correct = 0;
    for (let t0 = r0; t0 < r1; t0 += T) {
      const nt = min(T, r1 - t0);
      // Pass 1: hidden and active lists of every tile row.
      for (let t = 0; t < nt; t++) {
        const row = <usize>(t0 + t);
        const a = <usize>load<i32>(rowsA + (row << 2));
        const b = <usize>load<i32>(rowsB + (row << 2));
        const h = H + <usize>t * hb;
        const pr = PAIRS + <usize>t * (hb << 1);
        const kr = KOFF + <usize>t * hb;
        const ea = Ea + a * hb;
        const eb = Eb + b * hb;
        let cnt = 0;
        if (mode == 0) {
          // hidden = ReLU(E_a[a] + E_b[b]) (pmax keeps a NaN); the active list, 4 units at a time: the pairs
          // (offset, hidden) of units k..k+3 as two 2-pair vectors, each compressed to its active pairs by a
          // byte shuffle chosen by its 2-bit mask, stored at the cursor, which advances by the active count.
          // NaN counts as active, so a diverged model reports a NaN loss as PyTorch's would.
          const zero = f32x4.splat(0);
          let offs = i32x4(0, <i32>nb, 2 * <i32>nb, 3 * <i32>nb);
          const step = i32x4.splat(4 * <i32>nb);
          let koffs = i32x4(0, 4, 8, 12);
          const kstep = i32x4.splat(16);
          let cur = pr;
          let kcur = kr;
          for (let k = 0; k < hp; k += 4) {
            const o = <usize>k << 2;
            const v = f32x4.pmax(f32x4.add(v128.load(ea + o), v128.load(eb + o)), zero);
            v128.store(h + o, v);
            const m = i32x4.bitmask(f32x4.ne(v, zero));
            const m01 = m & 3;
            const m23 = m >> 2;
            v128.store(cur, i8x16.swizzle(v128.shuffle<i32>(offs, v, 0, 4, 1, 5), v128.load(COMPRESS2 + (<usize>m01 << 4))));
            cur += <usize>popcnt<i32>(m01) << 3;
            v128.store(cur, i8x16.swizzle(v128.shuffle<i32>(offs, v, 2, 6, 3, 7), v128.load(COMPRESS2 + (<usize>m23 << 4))));
            cur += <usize>popcnt<i32>(m23) << 3;
            v128.store(kcur, i8x16.swizzle(koffs, v128.load(COMPRESS4 + (<usize>m << 4))));
            kcur += <usize>popcnt<i32>(m) << 2;
            offs = i32x4.add(offs, step);
            koffs = i32x4.add(koffs, kstep);
          }
          cnt = <i32>((cur - pr) >> 3);
        } else {
          for (let k = 0; k < hp; k += 4) {
            const o = <usize>k << 2;
            v128.store(h + o, f32x4.mul(v128.load(ea + o), v128.load(eb + o)));
          }
          for (let k = 0; k < hp; k++) {
            store<i32>(pr + (<usize>k << 3), k * <i32>nb);
            store<f32>(pr + (<usize>k << 3), load<f32>(h + (<usize>k << 2)), 4);
            store<i32>(kr + (<usize>k << 2), k << 2);
          }
          cnt = hp;
        }
        store<i32>(CNT + (<usize>t << 2), cnt);
      }
      // Pass 2: logits of the tile.
      if (!(skip & 1)) logitsTile(PAIRS, CNT, nt, hp, WU, Np, L);
      if (!withGrad) {
        // Pass 3 (evaluation): loss and argmax of every tile row.
        for (let t = 0; t < nt; t++) {
          const y = load<i32>(rowsY + (<usize>(t0 + t) << 2));
          lossSum += crossEntropyRow(L + <usize>t * nb, N, Np, y, invR, false, ARGMAX);
          correct += <i32>(load<i32>(ARGMAX) == y);
        }
      } else {
        // Pass 3: loss and dlogits of every tile row.
        for (let t = 0; t < nt; t++) {
          const y = load<i32>(rowsY + (<usize>(t0 + t) << 2));
          if (skip & 8) lossSum += crossEntropyRow(L + <usize>t * nb, N, Np, y, invR, false, ARGMAX);
          if (!(skip & 2)) lossSum += crossEntropyRow(L + <usize>t * nb, N, Np, y, invR, true, ARGMAX);
        }
        // Pass 4: dW_U, unit by unit, and dhidden, row by row.
        if (!(skip & 4)) {
          transposeTile(H, HT, nt, T, hp);
          if (!(skip & 16)) dWUTile(HT, L, RL, HV, nt, T, hp, Np, dWUp, mode == 1);
          if (!(skip & 32)) dhiddenTile(PAIRS, KOFF, CNT, nt, hp, Np, WU, L, DP);
        }
        // Pass 5: scatter dhidden into the chunk's dE partials.
        for (let t = 0; t < nt; t++) {
          const row = <usize>(t0 + t);
          const a = <usize>load<i32>(rowsA + (row << 2));
          const b = <usize>load<i32>(rowsB + (row << 2));
          const dp = DP + <usize>t * hb;
          if (mode == 0) {
            addInto(dEap + a * hb, dp, hp);
            addInto(dEbp + b * hb, dp, hp);
          } else {
            addProductInto(dEap + a * hb, dp, Eb + b * hb, hp);
            addProductInto(dEbp + b * hb, dp, Ea + a * hb, hp);
          }
        }
      }
    }
    store<f64>(ci(cfg, F_CHUNK_LOSS) + (<usize>c << 3), lossSum);
    store<i32>(ci(cfg, F_CHUNK_CORRECT) + (<usize>c << 2), correct);
  }
}

/** HT [hp, T] = H [nt, hp]ᵀ, by 4 × 4 blocks; the rows of H from nt up to a multiple of 4 are zeroed first. */
function transposeTile(H: usize, HT: usize, nt: i32, T: i32, hp: i32): void {
  const hb = <usize>hp << 2;
  const tb = <usize>T << 2;
  const nt4 = (nt + 3) & ~3;
  memory.fill(H + <usize>nt * hb, 0, <usize>(nt4 - nt) * hb);
  for (let t = 0; t < nt4; t += 4) {
    const r = H + <usize>t * hb;
    for (let k = 0; k < hp; k += 4) {
      const o = <usize>k << 2;
      const r0 = v128.load(r + o), r1 = v128.load(r + hb + o), r2 = v128.load(r + 2 * hb + o), r3 = v128.load(r + 3 * hb + o);
      const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
      const t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
      const t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
      const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
      const q = HT + <usize>k * tb + (<usize>t << 2);
      v128.store(q, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
      v128.store(q + tb, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7));
      v128.store(q + 2 * tb, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5));
      v128.store(q + 3 * tb, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7));
    }
  }
}

/**
 * dW_U[k, :] += Σ_t hidden[t, k] · dl[t, :] over the tile rows t where hidden[t, k] != 0 (every row for the
 * bilinear net), in increasing t, one hidden unit k at a time: the active rows of unit k are listed from HT four
 * rows at a time (compressed by the bitmask of the nonzero ones, as in pass 1), then a 24-column block of dW_U[k]
 * stays in registers while those rows stream past.
 */
function dWUTile(HT: usize, L: usize, RL: usize, HV: usize, nt: i32, T: i32, hp: i32, Np: i32, dWU: usize, allRows: bool): void {
  const tb = <usize>T << 2;
  const nb = <usize>Np << 2;
  const zero = f32x4.splat(0);
  const step = i32x4.splat(4 * <i32>nb);
  for (let k = 0; k < hp; k++) {
    const hk = HT + <usize>k * tb;
    let n = 0;
    let offs = i32x4(0, <i32>nb, 2 * <i32>nb, 3 * <i32>nb);
    for (let t = 0; t < nt; t += 4) {
      const v = v128.load(hk + (<usize>t << 2));
      let m = allRows ? 15 : i32x4.bitmask(f32x4.ne(v, zero));
      if (t + 4 > nt) m &= (1 << (nt - t)) - 1;
      const sh = v128.load(COMPRESS4 + (<usize>m << 4));
      v128.store(HV + (<usize>n << 2), i8x16.swizzle(v, sh));
      v128.store(RL + (<usize>n << 2), i8x16.swizzle(offs, sh));
      n += popcnt<i32>(m);
      offs = i32x4.add(offs, step);
    }
    if (n == 0) continue;
    const gk = dWU + <usize>k * nb;
    let j = 0;
    for (; j + 24 <= Np; j += 24) {
      const o = <usize>j << 2;
      let c0 = v128.load(gk + o), c1 = v128.load(gk + o, 16), c2 = v128.load(gk + o, 32);
      let c3 = v128.load(gk + o, 48), c4 = v128.load(gk + o, 64), c5 = v128.load(gk + o, 80);
      const base = L + o;
      const re = RL + (<usize>n << 2);
      for (let r = RL, h = HV; r < re; r += 4, h += 4) {
        const s = v128.load32_splat(h);
        const p = base + <usize>load<i32>(r);
        c0 = f32x4.add(c0, f32x4.mul(s, v128.load(p)));
        c1 = f32x4.add(c1, f32x4.mul(s, v128.load(p, 16)));
        c2 = f32x4.add(c2, f32x4.mul(s, v128.load(p, 32)));
        c3 = f32x4.add(c3, f32x4.mul(s, v128.load(p, 48)));
        c4 = f32x4.add(c4, f32x4.mul(s, v128.load(p, 64)));
        c5 = f32x4.add(c5, f32x4.mul(s, v128.load(p, 80)));
      }
      v128.store(gk + o, c0);
      v128.store(gk + o, c1, 16);
      v128.store(gk + o, c2, 32);
      v128.store(gk + o, c3, 48);
      v128.store(gk + o, c4, 64);
      v128.store(gk + o, c5, 80);
    }
    for (; j + 12 <= Np; j += 12) {
      const o = <usize>j << 2;
      let c0 = v128.load(gk + o), c1 = v128.load(gk + o, 16), c2 = v128.load(gk + o, 32);
      const base = L + o;
      for (let i = 0; i < n; i++) {
        const s = v128.load32_splat(HV + (<usize>i << 2));
        const p = base + <usize>load<i32>(RL + (<usize>i << 2));
        c0 = f32x4.add(c0, f32x4.mul(s, v128.load(p)));
        c1 = f32x4.add(c1, f32x4.mul(s, v128.load(p, 16)));
        c2 = f32x4.add(c2, f32x4.mul(s, v128.load(p, 32)));
      }
      v128.store(gk + o, c0);
      v128.store(gk + o, c1, 16);
      v128.store(gk + o, c2, 32);
    }
    for (; j < Np; j += 4) {
      const o = <usize>j << 2;
      let c0 = v128.load(gk + o);
      const base = L + o;
      for (let i = 0; i < n; i++) {
        const s = v128.load32_splat(HV + (<usize>i << 2));
        c0 = f32x4.add(c0, f32x4.mul(s, v128.load(base + <usize>load<i32>(RL + (<usize>i << 2)))));
      }
      v128.store(gk + o, c0);
    }
  }
}

/**
 * dhidden[t, k] = dl[t, :] · W_U[k, :] for the active units k of each tile row t (zero elsewhere), four units
 * at a time: four lane-wise partial sums over the columns, then one hsum4 (the same additions for every unit,
 * however the units are grouped).
 */
function dhiddenTile(PAIRS: usize, KOFF: usize, CNT: usize, nt: i32, hp: i32, Np: i32, WU: usize, L: usize, DP: usize): void {
  const hb = <usize>hp << 2;
  const nb = <usize>Np << 2;
  memory.fill(DP, 0, <usize>nt * hb);
  const z = f32x4.splat(0);
  for (let t = 0; t < nt; t++) {
    const pr = PAIRS + <usize>t * (hb << 1);
    const kr = KOFF + <usize>t * hb;
    const cnt = load<i32>(CNT + (<usize>t << 2));
    const dl = L + <usize>t * nb;
    const dk = DP + <usize>t * hb;
    let i = 0;
    for (; i + 4 <= cnt; i += 4) {
      const q = pr + (<usize>i << 3);
      const p0 = WU + <usize>load<i32>(q);
      const p1 = WU + <usize>load<i32>(q, 8);
      const p2 = WU + <usize>load<i32>(q, 16);
      const p3 = WU + <usize>load<i32>(q, 24);
      let a0 = z, a1 = z, a2 = z, a3 = z;
      let o: usize = 0;
      for (; o + 32 <= nb; o += 32) { // two column vectors per iteration, summed before the accumulator
        const d = v128.load(dl + o);
        const e = v128.load(dl + o, 16);
        a0 = f32x4.add(a0, f32x4.add(f32x4.mul(d, v128.load(p0 + o)), f32x4.mul(e, v128.load(p0 + o, 16))));
        a1 = f32x4.add(a1, f32x4.add(f32x4.mul(d, v128.load(p1 + o)), f32x4.mul(e, v128.load(p1 + o, 16))));
        a2 = f32x4.add(a2, f32x4.add(f32x4.mul(d, v128.load(p2 + o)), f32x4.mul(e, v128.load(p2 + o, 16))));
        a3 = f32x4.add(a3, f32x4.add(f32x4.mul(d, v128.load(p3 + o)), f32x4.mul(e, v128.load(p3 + o, 16))));
      }
      if (o < nb) {
        const d = v128.load(dl + o);
        a0 = f32x4.add(a0, f32x4.mul(d, v128.load(p0 + o)));
        a1 = f32x4.add(a1, f32x4.mul(d, v128.load(p1 + o)));
        a2 = f32x4.add(a2, f32x4.mul(d, v128.load(p2 + o)));
        a3 = f32x4.add(a3, f32x4.mul(d, v128.load(p3 + o)));
      }
      const r = hsum4(a0, a1, a2, a3);
      const kq = kr + (<usize>i << 2);
      store<f32>(dk + <usize>load<i32>(kq), f32x4.extract_lane(r, 0));
      store<f32>(dk + <usize>load<i32>(kq, 4), f32x4.extract_lane(r, 1));
      store<f32>(dk + <usize>load<i32>(kq, 8), f32x4.extract_lane(r, 2));
      store<f32>(dk + <usize>load<i32>(kq, 12), f32x4.extract_lane(r, 3));
    }
    for (; i < cnt; i++) {
      const p0 = WU + <usize>load<i32>(pr + (<usize>i << 3));
      let a0 = z;
      let o: usize = 0;
      for (; o + 32 <= nb; o += 32)
        a0 = f32x4.add(a0, f32x4.add(f32x4.mul(v128.load(dl + o), v128.load(p0 + o)), f32x4.mul(v128.load(dl + o, 16), v128.load(p0 + o, 16))));
      if (o < nb) a0 = f32x4.add(a0, f32x4.mul(v128.load(dl + o), v128.load(p0 + o)));
      store<f32>(dk + <usize>load<i32>(kr + (<usize>i << 2)), f32x4.extract_lane(hsum4(a0, z, z, z), 0));
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Reduction of the chunk partials [dW_U (hp·Np) | dE_a (N·hp) | dE_b (N·hp)] in chunk order 0..C-1.
function reduceSegment(cfg: usize, dst: usize, off: i32, len: i32, s0: i32, s1: i32): void {
  // The part of [off, off + len) inside [s0, s1), relative to the segment.
  const a = max(s0, off) - off;
  const b = min(s1, off + len) - off;
  if (a >= b) return;
  const C = <i32>ci(cfg, F_CHUNKS);
  const part = ci(cfg, F_PART) + (<usize>off << 2);
  const stride = ci(cfg, F_PART_STRIDE);
  for (let j = a; j < b; j += 4) {
    const o = <usize>j << 2;
    let s = v128.load(part + o);
    for (let c = 1; c < C; c++) s = f32x4.add(s, v128.load(part + <usize>c * stride + o));
    v128.store(dst + o, s);
  }
}

function phaseReduce(cfg: usize, tid: i32, nth: i32): void {
  const N = <i32>ci(cfg, F_N);
  const Np = <i32>ci(cfg, F_NP);
  const hp = <i32>ci(cfg, F_HP);
  const total = hp * Np + 2 * N * hp;
  const s0 = splitAt(total, nth, tid, 4);
  const s1 = splitAt(total, nth, tid + 1, 4);
  reduceSegment(cfg, ci(cfg, F_DWU), 0, hp * Np, s0, s1);
  reduceSegment(cfg, ci(cfg, F_DEA), hp * Np, N * hp, s0, s1);
  reduceSegment(cfg, ci(cfg, F_DEB), hp * Np + N * hp, N * hp, s0, s1);
}

// ---------------------------------------------------------------------------------------------------
// AdamW (PyTorch's op order, float32; see src/train/adamw.ts) over the parameter block [0, S): the shared
// kernel of assembly/_common.ts, exported for tests.
export function adamw(P: usize, G: usize, M: usize, V: usize, i0: i32, i1: i32, decay: f32, beta1: f32, omb1: f32,
  beta2: f32, omb2: f32, negStep: f32, bc2Sqrt: f32, eps: f32): void {
  adamwRange(P, G, M, V, i0, i1, decay, beta1, omb1, beta2, omb2, negStep, bc2Sqrt, eps);
}

function phaseAdamw(cfg: usize, tid: i32, nth: i32): void {
  const S = <i32>ci(cfg, F_S);
  const i0 = splitAt(S, nth, tid, 4);
  const i1 = splitAt(S, nth, tid + 1, 4);
  adamw(ci(cfg, F_P), ci(cfg, F_G), ci(cfg, F_M), ci(cfg, F_V), i0, i1, cf(cfg, F_DECAY), cf(cfg, F_BETA1),
    cf(cfg, F_OMB1), cf(cfg, F_BETA2), cf(cfg, F_OMB2), cf(cfg, F_NEG_STEP), cf(cfg, F_BC2_SQRT), cf(cfg, F_EPS));
}
