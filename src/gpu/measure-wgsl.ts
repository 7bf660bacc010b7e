/**
 * WGSL sources of the GPU measurer (src/measures/webgpu-measurer.ts): the MLP's or bilinear net's forward over
 * all N² pairs, one block of whole a-rows (rows r = a·N + b, a0 ≤ a < a0 + nA) at a time, and the reductions
 * the fast progress measures need (src/measures/fast-*.ts; derivations in docs/measures.md "Fast path"), so
 * that only arrays of N², N·h, N·N, nTr·nK or nTr·#irreps floats leave the GPU. All float32; sums over
 * many terms are Kahan-compensated per thread.
 *
 * The MLP's and bilinear net's hidden layer is never stored: H[(a,b), j] = ReLU(E_a[a,j] + E_b[b,j]) (MLP) or
 * E_a[a,j]·E_b[b,j] (bilinear) is recomputed where it is read (`emb` = E_a then E_b, [2, N, h]). The
 * transformer's is stored one block at a time (HIDDEN_BLOCK_SUMS_WGSL).
 */
import { type Bindings, elementwiseKernel, type ElementwiseKernel, LINEAR } from './wgsl-kernel.js';

const COMMON = /* wgsl */ `
const NEG_BIG = -3.4028234e38;
${LINEAR}
// log(1 + x) keeping the relative precision of small x (WGSL has no log1p)
fn log1p_(x: f32) -> f32 {
  let u = 1.0 + x;
  if (u == 1.0) { return x; }
  return log(u) * (x / (u - 1.0));
}
// s += v, Kahan-compensated (c: the running compensation)
fn kahan_add(s: ptr<function, f32>, c: ptr<function, f32>, v: f32) {
  let y = v - *c;
  let t = *s + y;
  *c = (t - *s) - y;
  *s = t;
}
fn hid(mlp: u32, ea: f32, eb: f32) -> f32 {
  if (mlp == 1u) { return max(ea + eb, 0.0); }
  return ea * eb;
}
`;

/** An elementwise kernel here: COMMON, the uniform's `struct`, the bindings; thread index t. */
const measureKernel = (struct: string, k: Omit<ElementwiseKernel, 'header' | 'index'>): string =>
  elementwiseKernel({ header: `${COMMON}\n${struct}`, index: 't', ...k });

/**
 * The hidden layer's sums over the N² pairs, without the hidden layer: out [4, N, h] =
 * S_a[a] = Σ_b H[(a,b)], S_b[b] = Σ_a H[(a,b)], S_g[g] = Σ_{a·b=g} H[(a,b)] (b = a⁻¹g = bOf[g·N + a]) and
 * Q[a] = Σ_b (H[(a,b)] − shift)² (the centred sum of squares around `shift`, as pairSums does around row 0).
 */
export const HIDDEN_SUMS_WGSL = measureKernel('struct HsU { N: u32, h: u32, mlp: u32, pad: u32 }', {
  bindings: ['uniform u: HsU', 'read emb: f32', 'read bOf: u32', 'read shift: f32', 'read_write out: f32'],
  setup: 'let nh = u.N * u.h;',
  count: '3u * nh',
  split: ['j, xm: u.h', 'x, m: u.N'],
  body: /* wgsl */ `
  var s = 0.0;
  var cs = 0.0;
  var q = 0.0;
  var cq = 0.0;
  for (var i = 0u; i < u.N; i++) {
    var a = x;
    var b = i;
    if (m == 1u) { a = i; b = x; } else if (m == 2u) { a = i; b = bOf[x * u.N + i]; }
    let v = hid(u.mlp, emb[a * u.h + j], emb[nh + b * u.h + j]);
    kahan_add(&s, &cs, v);
    if (m == 0u) {
      let d = v - shift[j];
      kahan_add(&q, &cq, d * d);
    }
  }
  out[m * nh + x * u.h + j] = s;
  if (m == 0u) { out[3u * nh + x * u.h + j] = q; }
`,
});

/**
 * The hidden sums of one block of a stored hidden layer H [nA·N, h] (rows (a, b), a0 ≤ a < a0 + nA; the
 * transformer's), into out [4, N, h] as HIDDEN_SUMS_WGSL lays them out: S_a and Q of the block's a, written;
 * S_b and S_g, added to across blocks with Kahan compensation (comp [2, N, h], like out zeroed before the first
 * block).
 */
export const HIDDEN_BLOCK_SUMS_WGSL = measureKernel('struct HbU { N: u32, h: u32, a0: u32, nA: u32 }', {
  bindings: ['uniform u: HbU', 'read H: f32', 'read bOf: u32', 'read shift: f32', 'read_write out, comp: f32'],
  setup: 'let nh = u.N * u.h;',
  count: '3u * nh',
  split: ['j, xm: u.h', 'x, m: u.N'],
  body: /* wgsl */ `
  let at = x * u.h + j;
  if (m == 0u) {
    if (x < u.a0 || x >= u.a0 + u.nA) { return; }
    let o = (x - u.a0) * u.N;
    var s = 0.0;
    var cs = 0.0;
    var q = 0.0;
    var cq = 0.0;
    for (var b = 0u; b < u.N; b++) {
      let v = H[(o + b) * u.h + j];
      kahan_add(&s, &cs, v);
      let d = v - shift[j];
      kahan_add(&q, &cq, d * d);
    }
    out[at] = s;
    out[3u * nh + at] = q;
    return;
  }
  var s = out[m * nh + at];
  var cs = comp[(m - 1u) * nh + at];
  for (var a = u.a0; a < u.a0 + u.nA; a++) {
    var b = x;
    if (m == 2u) { b = bOf[x * u.N + a]; }
    let v = H[((a - u.a0) * u.N + b) * u.h + j];
    kahan_add(&s, &cs, v);
  }
  out[m * nh + at] = s;
  comp[(m - 1u) * nh + at] = cs;
`,
});

/** out[t] = src[t] for t < n: the transformer's hidden shift, H[(0,0)], from the first block. */
export const COPY_WGSL = measureKernel('struct CpU { n: u32, pad0: u32, pad1: u32, pad2: u32 }', {
  bindings: ['uniform u: CpU', 'read src: f32', 'read_write out: f32'],
  count: 'u.n',
  body: /* wgsl */ `
  out[t] = src[t];
`,
});

/**
 * One block's logits L [rows, N] = H · U for rows = nA·N pairs from a0 (H recomputed from emb as it is
 * loaded): 64 × 64 tiles, 4 × 4 outputs per thread.
 */
export const BLOCK_LOGITS_WGSL = /* wgsl */ `${COMMON}
struct LgU { N: u32, h: u32, mlp: u32, a0: u32, rows: u32, pad0: u32, pad1: u32, pad2: u32 }
@group(0) @binding(0) var<uniform> u: LgU;
@group(0) @binding(1) var<storage, read> emb: array<f32>;
@group(0) @binding(2) var<storage, read> U: array<f32>;
@group(0) @binding(3) var<storage, read_write> L: array<f32>;
var<workgroup> tA: array<array<f32, 64>, 16>; // [k][row]
var<workgroup> tB: array<array<f32, 64>, 16>; // [k][col]
@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) l: vec3u) {
  let nh = u.N * u.h;
  let row0 = wg.y * 64u;
  let col0 = wg.x * 64u;
  let tid = l.y * 16u + l.x;
  // rows l.y + 16·i (i = 0..3) x cols l.x + 16·j: acc_i holds the four columns of row i
  var acc0 = vec4f(0.0);
  var acc1 = vec4f(0.0);
  var acc2 = vec4f(0.0);
  var acc3 = vec4f(0.0);
  for (var k0 = 0u; k0 < u.h; k0 += 16u) {
    // 1024 entries of each tile, 4 per thread
    for (var e = 0u; e < 4u; e++) {
      let idx = tid + e * 256u;
      let kk = idx / 64u;
      let rr = idx % 64u;
      let k = k0 + kk;
      let row = row0 + rr;
      var va = 0.0;
      if (row < u.rows && k < u.h) {
        let a = u.a0 + row / u.N;
        let b = row % u.N;
        va = hid(u.mlp, emb[a * u.h + k], emb[nh + b * u.h + k]);
      }
      tA[kk][rr] = va;
      let col = col0 + rr;
      var vb = 0.0;
      if (col < u.N && k < u.h) { vb = U[k * u.N + col]; }
      tB[kk][rr] = vb;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < 16u; kk++) {
      let av = vec4f(tA[kk][l.y], tA[kk][l.y + 16u], tA[kk][l.y + 32u], tA[kk][l.y + 48u]);
      let bv = vec4f(tB[kk][l.x], tB[kk][l.x + 16u], tB[kk][l.x + 32u], tB[kk][l.x + 48u]);
      acc0 += av.x * bv;
      acc1 += av.y * bv;
      acc2 += av.z * bv;
      acc3 += av.w * bv;
    }
    workgroupBarrier();
  }
  let accs = array<vec4f, 4>(acc0, acc1, acc2, acc3);
  for (var i = 0u; i < 4u; i++) {
    let row = row0 + l.y + 16u * i;
    let v = accs[i];
    for (var jj = 0u; jj < 4u; jj++) {
      let col = col0 + l.x + 16u * jj;
      if (row < u.rows && col < u.N) { L[row * u.N + col] = v[jj]; }
    }
  }
}
`;

/**
 * Per row of a block (one 64-thread workgroup a row): stats[r] = (CE at the label a·b, 1 if the first argmax
 * is the label else 0, mean, Σ_c (L − mean)²) for r = r0 + the row. CE in crossEntropyRow's stable form,
 * log1p(Σ_{c≠c*} exp(L_c − max)) + (max − L_y).
 */
export const ROW_STATS_WGSL = /* wgsl */ `${COMMON}
struct RsU { N: u32, rows: u32, r0: u32, pad: u32 }
@group(0) @binding(0) var<uniform> u: RsU;
@group(0) @binding(1) var<storage, read> L: array<f32>;
@group(0) @binding(2) var<storage, read> table: array<u32>;
@group(0) @binding(3) var<storage, read_write> stats: array<f32>;
var<workgroup> wv: array<f32, 64>;
var<workgroup> wi: array<u32, 64>;
var<workgroup> w2: array<f32, 64>;
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) l: vec3u) {
  let q = wg.y * nwg.x + wg.x;
  if (q >= u.rows) { return; }
  let o = q * u.N;
  var m = NEG_BIG;
  var mi = 0xffffffffu;
  var s = 0.0;
  for (var c = l.x; c < u.N; c += 64u) {
    let v = L[o + c];
    s += v;
    if (v > m) { m = v; mi = c; }
  }
  wv[l.x] = m;
  wi[l.x] = mi;
  w2[l.x] = s;
  workgroupBarrier();
  for (var w = 32u; w > 0u; w >>= 1u) {
    if (l.x < w) {
      let ov = wv[l.x + w];
      let oi = wi[l.x + w];
      if (ov > wv[l.x] || (ov == wv[l.x] && oi < wi[l.x])) { wv[l.x] = ov; wi[l.x] = oi; }
      w2[l.x] += w2[l.x + w];
    }
    workgroupBarrier();
  }
  let mx = wv[0];
  let cm = wi[0];
  let mean = w2[0] / f32(u.N);
  workgroupBarrier();
  var se = 0.0;
  var ss = 0.0;
  for (var c = l.x; c < u.N; c += 64u) {
    let v = L[o + c];
    if (c != cm) { se += exp(v - mx); }
    let d = v - mean;
    ss += d * d;
  }
  wv[l.x] = se;
  w2[l.x] = ss;
  workgroupBarrier();
  for (var w = 32u; w > 0u; w >>= 1u) {
    if (l.x < w) {
      wv[l.x] += wv[l.x + w];
      w2[l.x] += w2[l.x + w];
    }
    workgroupBarrier();
  }
  if (l.x == 0u) {
    let r = u.r0 + q;
    let y = table[r];
    stats[r * 4u] = log1p_(wv[0]) + (mx - L[o + y]);
    stats[r * 4u + 1u] = select(0.0, 1.0, cm == y);
    stats[r * 4u + 2u] = mean;
    stats[r * 4u + 3u] = w2[0];
  }
}
`;

/**
 * A kernel over a block's train rows and `n` columns each: thread t is column `col` = t % n of the pair
 * p = trOff + t / n of trRows. Its uniform `struct` is { N, n, count, trOff, rowBase, pads } and its buffers
 * L, trRows, table, then `more`; the body starts with r (the row), i (its train index), y (its label a·b)
 * and o (where its logits start in L).
 */
function trainRowsKernel(struct: string, n: string, col: string, more: readonly Bindings[], body: string): string {
  return measureKernel(`struct ${struct} { N: u32, ${n}: u32, count: u32, trOff: u32, rowBase: u32, pad0: u32, pad1: u32, pad2: u32 }`, {
    bindings: [`uniform u: ${struct}`, 'read L: f32', 'read trRows, table: u32', ...more],
    count: `u.count * u.${n}`,
    body: /* wgsl */ `
  let ${col} = t % u.${n};
  let p = u.trOff + t / u.${n};
  let r = trRows[2u * p];
  let i = trRows[2u * p + 1u];
  let y = table[r];
  let o = (r - u.rowBase) * u.N;
${body.replace(/^\n/, '')}`,
  });
}

/**
 * Per train row of a block and conjugacy class k: the class's log-sum-exp in two parts, cls[i, k] =
 * (m, s) with m = max L[r, c] and s = Σ exp(L[r, c] − m) over the c with y·c⁻¹ in class k (y = a·b; those
 * c are ordC[y·N + kOff[k] .. y·N + kOff[k+1])). trRows holds (row, train index) pairs sorted by row; the
 * block's are count pairs from trOff; rowBase = the block's first row.
 */
export const CLASS_STATS_WGSL = trainRowsKernel(
  'CsU',
  'nK',
  'k',
  ['read ordC, kOff: u32', 'read_write cls: f32'],
  /* wgsl */ `
  let j0 = y * u.N + kOff[k];
  let j1 = y * u.N + kOff[k + 1u];
  var m = NEG_BIG;
  for (var j = j0; j < j1; j++) { m = max(m, L[o + ordC[j]]); }
  var s = 0.0;
  for (var j = j0; j < j1; j++) { s += exp(L[o + ordC[j]] - m); }
  cls[(i * u.nK + k) * 2u] = m;
  cls[(i * u.nK + k) * 2u + 1u] = s;
`,
);

/**
 * The hidden excluded losses per train row of a block and correction e (every irrep, then the key irreps'
 * sum): hex[i·nE + e] = CE(L[r] − Rall[e, y], y), stable form as in ROW_STATS.
 */
export const HIDDEN_EXCLUDED_WGSL = trainRowsKernel(
  'HeU',
  'nE',
  'e',
  ['read Rall: f32', 'read_write hex: f32'],
  /* wgsl */ `
  let ro = (e * u.N + y) * u.N;
  var zm = NEG_BIG;
  var cm = 0u;
  for (var c = 0u; c < u.N; c++) {
    let z = L[o + c] - Rall[ro + c];
    if (z > zm) { zm = z; cm = c; }
  }
  var se = 0.0;
  for (var c = 0u; c < u.N; c++) {
    if (c != cm) { se += exp((L[o + c] - Rall[ro + c]) - zm); }
  }
  hex[i * u.nE + e] = log1p_(se) + (zm - (L[o + y] - Rall[ro + y]));
`,
);

/**
 * M̃[g, c] += Σ_{a in the block} (L[(a, a⁻¹g), c] − mean of that row), Kahan-compensated across blocks
 * (Mc holds the compensation). One thread per (g, c).
 */
export const PRODUCT_SUMS_WGSL = measureKernel('struct MaU { N: u32, a0: u32, nA: u32, pad: u32 }', {
  bindings: ['uniform u: MaU', 'read L, stats: f32', 'read bOf: u32', 'read_write M, Mc: f32'],
  count: 'u.N * u.N',
  body: /* wgsl */ `
  let g = t / u.N;
  let c = t % u.N;
  var s = M[t];
  var cs = Mc[t];
  for (var a = u.a0; a < u.a0 + u.nA; a++) {
    let b = bOf[g * u.N + a];
    let r = a * u.N + b;
    let v = L[(r - u.a0 * u.N) * u.N + c] - stats[r * 4u + 2u];
    kahan_add(&s, &cs, v);
  }
  M[t] = s;
  Mc[t] = cs;
`,
});

/** The hidden restricted losses: out[e·N + g] = CE(Rall[e, g], g) (one thread per (e, g)). */
export const HIDDEN_RESTRICTED_WGSL = measureKernel('struct HrU { N: u32, nE: u32, pad0: u32, pad1: u32 }', {
  bindings: ['uniform u: HrU', 'read Rall: f32', 'read_write out: f32'],
  count: 'u.nE * u.N',
  body: /* wgsl */ `
  let g = t % u.N;
  let o = t * u.N;
  var m = NEG_BIG;
  var cm = 0u;
  for (var c = 0u; c < u.N; c++) { let v = Rall[o + c]; if (v > m) { m = v; cm = c; } }
  var se = 0.0;
  for (var c = 0u; c < u.N; c++) { if (c != cm) { se += exp(Rall[o + c] - m); } }
  out[t] = log1p_(se) + (m - Rall[o + g]);
`,
});
