/**
 * WGSL sources of the WebGPU trainer (src/train/webgpu-trainer.ts), shared by Node (`webgpu`, Dawn) and the
 * browser (navigator.gpu). Every kernel handles S members at once: a member's tensors are one slice of a
 * buffer, `stride` floats apart. Elementwise kernels use 256-thread workgroups over a 2-D grid
 * (index = (wg.y · num_workgroups.x + wg.x) · 256 + lid.x) so that counts beyond 65535 workgroups fit.
 */
import { elementwiseKernel, type ElementwiseKernel, LINEAR, MATMUL_DECLS, matmulMain } from './wgsl-kernel.js';

/** C[s] (M×Nc) = op(A[s]) (M×K) · op(B[s]) (K×Nc), 16×16 tiles; z = member. */
export const MATMUL_WGSL = /* wgsl */ `${MATMUL_DECLS}
var<workgroup> tA: array<array<f32, 16>, 16>;
var<workgroup> tB: array<array<f32, 16>, 16>;

${matmulMain(16, 'row', 'col')}
  var acc = 0.0;
  for (var k0 = 0u; k0 < p.K; k0 += 16u) {
    let ka = k0 + l.x;
    var va = 0.0;
    if (row < p.M && ka < p.K) {
      if (p.transA == 1u) { va = A[aBase + ka * p.lda + row]; } else { va = A[aBase + row * p.lda + ka]; }
    }
    tA[l.y][l.x] = va;
    let kb = k0 + l.y;
    var vb = 0.0;
    if (kb < p.K && col < p.Nc) {
      if (p.transB == 1u) { vb = B[bBase + col * p.ldb + kb]; } else { vb = B[bBase + kb * p.ldb + col]; }
    }
    tB[l.y][l.x] = vb;
    workgroupBarrier();
    for (var kk = 0u; kk < 16u; kk++) { acc += tA[l.y][kk] * tB[kk][l.x]; }
    workgroupBarrier();
  }
  if (row < p.M && col < p.Nc) { C[s * p.cStride + p.cOff + row * p.ldc + col] = acc; }
}
`;

/** The row sets' shared declarations: per member s, rows i < R with elements a = A_[s·R+i], b = B_[s·R+i]. */
const ROWS_HEADER = /* wgsl */ `
struct RowsU { S: u32, R: u32, N: u32, h: u32, d: u32, pStride: u32, offA: u32, offB: u32 }
${LINEAR}`;

/** A row kernel: ROWS_HEADER (then `structs`), the row set's uniform u at binding 0, then k's bindings. */
function rowsKernel({ structs = '', ...k }: Omit<ElementwiseKernel, 'header'> & { structs?: string }): string {
  return elementwiseKernel({ ...k, header: ROWS_HEADER + structs, bindings: ['uniform u: RowsU', ...k.bindings] });
}

/** The step uniform (per step slot: the step's index, AdamW's factors). */
const STEP_U = /* wgsl */ `
struct StepU { k: u32, total: u32, decay: f32, beta1: f32, oneMinusBeta1: f32, beta2: f32, oneMinusBeta2: f32,
               negStepSize: f32, bc2Sqrt: f32, eps: f32, pad0: f32, pad1: f32 }`;

/** MLP: hidden[s,i,j] = ReLU(Px[s, a_i, j] + Py[s, b_i, j])   [S, R, h] (si = s·R + i). */
export const MLP_HIDDEN_WGSL = rowsKernel({
  bindings: ['read rowA, rowB: u32', 'read P: f32 // [S, 2, N, h]: Px then Py', 'read_write hidden: f32'],
  count: 'u.S * u.R * u.h',
  split: ['j, si: u.h', '_, s: u.R'],
  body: /* wgsl */ `
  let base = s * 2u * u.N * u.h;
  let v = P[base + rowA[si] * u.h + j] + P[base + (u.N + rowB[si]) * u.h + j];
  hidden[idx] = max(v, 0.0);
`,
});

/** Bilinear: hidden[s,i,k] = W_x[s, a_i, k] · W_y[s, b_i, k]   [S, R, d]. */
export const BILINEAR_HIDDEN_WGSL = rowsKernel({
  bindings: ['read rowA, rowB: u32', 'read params: f32', 'read_write hidden: f32'],
  count: 'u.S * u.R * u.d',
  split: ['k, si: u.d', '_, s: u.R'],
  body: /* wgsl */ `
  let base = s * u.pStride;
  hidden[idx] = params[base + u.offA + rowA[si] * u.d + k] * params[base + u.offB + rowB[si] * u.d + k];
`,
});

/**
 * Row cross-entropy: ce[s·R+i] = logsumexp(logits) − logits[label]; correct[s·R+i] = argmax (first) == label.
 * With grad = 1 the logits are overwritten by dlogits = (softmax − onehot) / R.
 */
export const CROSS_ENTROPY_WGSL = rowsKernel({
  structs: `
struct CeU { grad: u32, pad0: u32, pad1: u32, pad2: u32 }`,
  bindings: ['uniform c: CeU', 'read labels: u32', 'read_write logits, ce, correct: f32'],
  index: 'si',
  count: 'u.S * u.R',
  body: /* wgsl */ `
  let o = si * u.N;
  var mx = logits[o];
  var best = 0u;
  for (var k = 1u; k < u.N; k++) { let v = logits[o + k]; if (v > mx) { mx = v; best = k; } }
  var sum = 0.0;
  for (var k = 0u; k < u.N; k++) { sum += exp(logits[o + k] - mx); }
  let y = labels[si];
  ce[si] = log(sum) + mx - logits[o + y];
  correct[si] = select(0.0, 1.0, best == y);
  if (c.grad == 1u) {
    let inv = 1.0 / (sum * f32(u.R));
    let invR = 1.0 / f32(u.R);
    for (var k = 0u; k < u.N; k++) {
      var g = exp(logits[o + k] - mx) * inv;
      if (k == y) { g -= invR; }
      logits[o + k] = g;
    }
  }
`,
});

/**
 * Per-member sums of a row vector x[s·R + i] (256 threads per member; Kahan per thread, then a tree):
 * out[outBase + k·kMul + s] where k is the step's index from the step uniform.
 */
export const REDUCE_WGSL = /* wgsl */ `
struct RedU { R: u32, outBase: u32, kMul: u32, pad: u32 }${STEP_U}
@group(0) @binding(0) var<uniform> r: RedU;
@group(0) @binding(1) var<uniform> st: StepU;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;
var<workgroup> part: array<f32, 256>;
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) l: vec3u) {
  let s = wg.x;
  var sum = 0.0;
  var comp = 0.0;
  for (var i = l.x; i < r.R; i += 256u) {
    let y = x[s * r.R + i] - comp;
    let t = sum + y;
    comp = (t - sum) - y;
    sum = t;
  }
  part[l.x] = sum;
  workgroupBarrier();
  for (var w = 128u; w > 0u; w >>= 1u) {
    if (l.x < w) { part[l.x] += part[l.x + w]; }
    workgroupBarrier();
  }
  if (l.x == 0u) { out[r.outBase + st.k * r.kMul + s] = part[0]; }
}
`;

/**
 * Sums of rows grouped by an element (CSR lists per member): for each (s, g, j),
 * out[s·outStride + outOff + g·width + j] = Σ_{i in list(s,g)} src[(s·R + i)·width + j] · (mul ? other[s, e_i, j] : 1)
 * where list(s, g) = idx[s·R + off[s·(N+1)+g] .. s·R + off[s·(N+1)+g+1]) and e_i the other element of row i.
 * mode 0: plain sum (MLP: dPx, dPy from dpre); mode 1: times params[s, otherOff + e_i·width + j] (bilinear).
 */
export const GROUP_SUM_WGSL = rowsKernel({
  structs: `
struct GsU { width: u32, outStride: u32, outOff: u32, mode: u32, otherOff: u32, pad0: u32, pad1: u32, pad2: u32 }`,
  bindings: ['uniform g: GsU', 'read off, idx, otherElem: u32', 'read src, params: f32', 'read_write out: f32'],
  index: 't',
  count: 'u.S * u.N * g.width',
  body: /* wgsl */ `
  let j = t % g.width;
  let sg = t / g.width;
  let s = sg / u.N;
  let e = sg % u.N;
  let o0 = off[s * (u.N + 1u) + e];
  let o1 = off[s * (u.N + 1u) + e + 1u];
  var acc = 0.0;
  for (var q = o0; q < o1; q++) {
    let i = idx[s * u.R + q];
    var v = src[(s * u.R + i) * g.width + j];
    if (g.mode == 1u) { v *= params[s * u.pStride + g.otherOff + otherElem[s * u.R + i] * g.width + j]; }
    acc += v;
  }
  out[s * g.outStride + g.outOff + e * g.width + j] = acc;
`,
});

/** dpre = dhidden · (hidden > 0), in place on dhidden. */
export const RELU_BACKWARD_WGSL = elementwiseKernel({
  header: `
struct CountU { n: u32, pad0: u32, pad1: u32, pad2: u32 }
${LINEAR}`,
  bindings: ['uniform u: CountU', 'read hidden: f32', 'read_write dh: f32'],
  index: 'i',
  count: 'u.n',
  body: /* wgsl */ `
  if (hidden[i] <= 0.0) { dh[i] = 0.0; }
`,
});

/** AdamW as src/train/adamw.ts (PyTorch), per element in float32 over all members' parameters. */
export const ADAMW_WGSL = elementwiseKernel({
  header: `${STEP_U}
${LINEAR}`,
  bindings: ['uniform st: StepU', 'read grad: f32', 'read_write p, m, v: f32'],
  index: 'i',
  count: 'st.total',
  body: /* wgsl */ `
  let g = grad[i];
  let pi = p[i] * st.decay;
  let mi = m[i] * st.beta1 + g * st.oneMinusBeta1;
  let vi = v[i] * st.beta2 + (g * st.oneMinusBeta2) * g;
  let denom = sqrt(vi) / st.bc2Sqrt + st.eps;
  p[i] = pi + (st.negStepSize * mi) / denom;
  m[i] = mi;
  v[i] = vi;
`,
});
