/**
 * Complete real irreducible representations of any finite group, from its Cayley table alone.
 *
 * 1. Real central idempotents. The real class orbits O = C ∪ C⁻¹ span the symmetric part of the centre
 *    of R[G], a commutative algebra of self-adjoint elements (one real irrep per orbit). Left
 *    multiplication by a random combination a = Σ r_k O_k is symmetric in the orthonormal basis
 *    O_k/√|O_k|; its eigenvectors are the real central idempotents f_ρ, recovered as the projection of
 *    the identity onto each eigenvector. ψ = |G|·f_ρ is χ(1)·χ_ρ, which gives the dimension and the
 *    type up front: ψ(1) = χ(1)² (real or quaternionic, told apart by Σ ψ(g²)) or 2χ(1)² (complex).
 * 2. A primitive idempotent inside f_ρ R[G] ≅ M_m(K) (K = R, C, H; m = 1 needs none: e = f_ρ).
 *    For m <= 12, Lanczos with the sparse symmetric element s = Σ r_t (h_t + h_t⁻¹) acting by left
 *    multiplication on the Krylov space of f_ρ, which is the commutative algebra of polynomials in
 *    s f_ρ (dimension m for generic s); its spectral projectors are self-adjoint primitive idempotents.
 *    Rounding errors outside that algebra grow like (‖s‖/β)^m, so for larger m (or if Lanczos fails):
 *    repeated squaring of y = x x* for a random x ∈ f_ρ R[G], which converges to the projector of its
 *    top eigenvalue. Either way one Newton step e ← 3e² − 2e³ polishes e; the left ideal R[G]·e is the irrep.
 * 3. The module R[G]·e has the Gram matrix ⟨g·e, h·e⟩ = e(g⁻¹h). A pivoted Cholesky factorisation of
 *    it (rank dim ρ) gives coordinates ℓ_g ∈ R^dim of g·e in an orthonormal basis, and
 *    ρ(h) = [ℓ_{h·g_j}]_j [ℓ_{g_j}]_j⁻¹ for the pivots g_j: orthogonal, with ρ(a)ρ(b) = ρ(a·b) exactly
 *    up to rounding (left multiplication is a homomorphism for the table's product).
 * Cost: O(N·#orbits + #orbits³) for the centre (plus O(N·#orbits²) polishing when #orbits <= 128),
 * O(N²) per irrep for the polishing products (about 15 of them when squaring), O(N·dim²) for the
 * Cholesky step and O(N·dim³) for the matrices; no N×N matrix is formed.
 */
import { conjugacyClasses, elementOrders } from '../groups/classes.js';
import type { Group } from '../groups/group.js';
import { Rng } from '../linalg/rng.js';
import { symEigen } from '../linalg/sym-eigen.js';
import type { Irrep, IrrepType } from './irrep.js';

/** The real class orbits {C ∪ C⁻¹}, the identity's first, in the order of the conjugacy classes. */
export interface RealClassOrbits {
  /** [N] orbitOf[g] = k. */
  readonly orbitOf: Int32Array;
  /** A representative (the smallest element) of each orbit. */
  readonly reps: Int32Array;
  readonly sizes: Int32Array;
}

export function realClassOrbits(G: Group): RealClassOrbits {
  const { classes, classOf } = conjugacyClasses(G);
  const orbitOfClass = new Int32Array(classes.length).fill(-1);
  const reps: number[] = [];
  const sizes: number[] = [];
  classes.forEach((C, c) => {
    if (orbitOfClass[c]! >= 0) return;
    const k = reps.length;
    const ci = classOf[G.inverses[C[0]!]!]!;
    orbitOfClass[c] = k;
    orbitOfClass[ci] = k;
    reps.push(Math.min(C[0]!, classes[ci]![0]!));
    sizes.push(C.length + (ci === c ? 0 : classes[ci]!.length));
  });
  const orbitOf = Int32Array.from(classOf, (c) => orbitOfClass[c]!);
  return { orbitOf, reps: Int32Array.from(reps), sizes: Int32Array.from(sizes) };
}

/** A real central idempotent and what it says about its irrep. */
export interface CentralIdempotent {
  /** [N] f(g), the coefficient of g. */
  readonly f: Float64Array;
  /** χ(1) of the complex irreducible character(s). */
  readonly chi1: number;
  readonly type: IrrepType;
  /** The real dimension of the irrep. */
  readonly dim: number;
  /** [N] the real character χ_ρ (from f, before any matrix is built). */
  readonly character: Float64Array;
}

/** (a∗b)(z) = Σ_x a(x) b(x⁻¹z), the product in R[G] (O(N · |support a|)). */
export function convolve(G: Group, a: Float64Array, b: Float64Array): Float64Array {
  const N = G.order;
  const T = G.table;
  const out = new Float64Array(N);
  for (let x = 0; x < N; x++) {
    const ax = a[x]!;
    if (ax === 0) continue;
    const row = G.inverses[x]! * N;
    for (let z = 0; z < N; z++) out[z]! += ax * b[T[row + z]!]!;
  }
  return out;
}

function isSquare(n: number): number {
  const s = Math.round(Math.sqrt(n));
  return s * s === n ? s : 0;
}

/**
 * The real central idempotents of R[G], one per real irrep, with dims, types and characters.
 * Throws if no random combination separates the irreps after several tries (not seen in practice).
 */
export function centralIdempotents(G: Group, rng: Rng): CentralIdempotent[] {
  const N = G.order;
  const T = G.table;
  const inv = G.inverses;
  const { orbitOf, reps, sizes } = realClassOrbits(G);
  const R = reps.length;
  let lastProblem = '';
  let best: { gap: number; out: CentralIdempotent[] } | undefined;
  for (let attempt = 0; attempt < 8; attempt++) {
    const r = Float64Array.from({ length: R }, () => rng.normal());
    // M[k][j] = coefficient of O_k in a·O_j = Σ_x r(orbit x) [x⁻¹ z_k ∈ O_j]
    const M = new Float64Array(R * R);
    for (let k = 0; k < R; k++) {
      const z = reps[k]!;
      for (let x = 0; x < N; x++) M[k * R + orbitOf[T[inv[x]! * N + z]!]!]! += r[orbitOf[x]!]!;
    }
    // normalised basis O_k/√|O_k|: Mhat[k][j] = M[k][j] √(|O_k|/|O_j|), symmetric up to rounding
    const S = new Float64Array(R * R);
    let scale = 0;
    for (let k = 0; k < R; k++)
      for (let j = 0; j <= k; j++) {
        const a = M[k * R + j]! * Math.sqrt(sizes[k]! / sizes[j]!);
        const b = M[j * R + k]! * Math.sqrt(sizes[j]! / sizes[k]!);
        S[k * R + j] = S[j * R + k] = (a + b) / 2;
        scale = Math.max(scale, Math.abs(a));
      }
    const { values, rows } = symEigen(S, R);
    let minGap = Infinity;
    for (let i = 1; i < R; i++) minGap = Math.min(minGap, values[i]! - values[i - 1]!);
    // The eigenvectors are accurate to about ε/gap (relative); every idempotent is then checked
    // (integral dimension, indicator ±1), so a small gap is accepted when nothing better turns up.
    const gap = R > 1 ? minGap / scale : 1;
    if (!(gap > 1e-12)) {
      lastProblem = `eigenvalues of the class-sum combination too close (relative gap ${gap})`;
      continue;
    }
    if (best && gap <= best.gap) continue;
    const out: CentralIdempotent[] = [];
    let ok = true;
    for (let i = 0; i < R && ok; i++) {
      const u = rows.subarray(i * R, i * R + R);
      // values on the orbits, polished by one Newton step f ← 3f² − 2f³ in the centre (O(N·R) per
      // product, so O(N·R²) for all: skipped for many orbits, where the irreps are small)
      let fo = Float64Array.from(u, (x, k) => (u[0]! * x) / Math.sqrt(sizes[k]!));
      if (R <= POLISH_MAX_ORBITS) {
        const f2 = centralProduct(G, orbitOf, reps, fo, fo);
        const f3 = centralProduct(G, orbitOf, reps, f2, fo);
        fo = Float64Array.from(fo, (_, k) => 3 * f2[k]! - 2 * f3[k]!);
      }
      const f = Float64Array.from(orbitOf, (k) => fo[k]!);
      const id = centralIdempotentInfo(G, f);
      if (typeof id === 'string') {
        lastProblem = id;
        ok = false;
      } else out.push(id);
    }
    if (!ok) continue;
    if (gap > 1e-8) return out;
    best = { gap, out };
  }
  if (best) return best.out;
  throw new Error(`centralIdempotents(${G.name}): ${lastProblem}`);
}

/** Central idempotents get a Newton step when there are at most this many real class orbits. */
const POLISH_MAX_ORBITS = 128;

/** The product of two elements of the symmetric centre given by their values on the orbits: O(N · #orbits). */
function centralProduct(G: Group, orbitOf: Int32Array, reps: Int32Array, a: Float64Array, b: Float64Array): Float64Array {
  const N = G.order;
  const T = G.table;
  const out = new Float64Array(reps.length);
  for (let k = 0; k < reps.length; k++) {
    const z = reps[k]!;
    let s = 0;
    for (let x = 0; x < N; x++) s += a[orbitOf[x]!]! * b[orbitOf[T[G.inverses[x]! * N + z]!]!]!;
    out[k] = s;
  }
  return out;
}

/** One Newton step towards the nearest idempotent, e ← 3e² − 2e³ (quadratic convergence). */
function polishIdempotent(G: Group, e: Float64Array): Float64Array {
  const e2 = convolve(G, e, e);
  const e3 = convolve(G, e2, e);
  return Float64Array.from(e, (_, g) => 3 * e2[g]! - 2 * e3[g]!);
}

/**
 * A linear character takes root-of-unity values, so χ_ρ(g) is ±1 (real type) or 2cos(2πj/o(g))
 * (complex type, χ + χ̄). Replaces the computed values by those exact ones, in place, when every value
 * is within 1e-6 of one; returns whether it did. This makes the many 1-d and 2-d irreps of groups
 * with many classes (where the centre's eigenvectors are least accurate) exact to rounding.
 */
function snapLinearCharacter(G: Group, character: Float64Array, complex: boolean): boolean {
  const N = G.order;
  const orders = elementOrders(G);
  const snapped = new Float64Array(N);
  for (let g = 0; g < N; g++) {
    const x = character[g]!;
    let v: number;
    if (!complex) v = x < 0 ? -1 : 1;
    else {
      const o = orders[g]!;
      const j = Math.round((Math.acos(Math.max(-1, Math.min(1, x / 2))) * o) / (2 * Math.PI));
      v = 2 * Math.cos((2 * Math.PI * j) / o);
    }
    if (!(Math.abs(v - x) < 1e-6)) return false;
    snapped[g] = v;
  }
  character.set(snapped);
  return true;
}

/** Dimension, type and character from a real central idempotent f, or why f is not one. */
function centralIdempotentInfo(G: Group, f: Float64Array): CentralIdempotent | string {
  const N = G.order;
  const psi1 = N * f[G.identity]!; // Σ over its complex characters of χ(1)²
  const n = Math.round(psi1);
  if (!(Math.abs(psi1 - n) < 1e-6) || n < 1) return `f(1)·|G| = ${psi1} is not a positive integer`;
  let chi1 = isSquare(n);
  let type: IrrepType;
  if (chi1 > 0) {
    // one complex character χ: real (ν = 1) or quaternionic (ν = −1), from Σ χ(g²)
    let fs = 0;
    for (let g = 0; g < N; g++) fs += f[G.table[g * N + g]!]!;
    const nu = fs / chi1; // (1/|G|) Σ_g χ(g²) with χ = N f / χ(1)
    if (Math.abs(nu - 1) < 1e-6) type = 'real';
    else if (Math.abs(nu + 1) < 1e-6) type = 'quaternionic';
    else return `Frobenius–Schur indicator ${nu} of a central idempotent with f(1)|G| = ${n} is not ±1`;
  } else {
    if (n % 2 !== 0 || !(chi1 = isSquare(n / 2))) return `f(1)·|G| = ${n} is neither a square nor twice a square`;
    type = 'complex';
  }
  const dim = type === 'real' ? chi1 : 2 * chi1;
  // ψ(g) = N f(g⁻¹) = χ(1)·(Σ of its complex characters); χ_ρ = ψ/χ(1), or 2ψ/χ(1) for quaternionic
  const c = (type === 'quaternionic' ? 2 : 1) / chi1;
  const character = Float64Array.from(f, (_, g) => N * f[G.inverses[g]!]! * c);
  if (chi1 === 1 && snapLinearCharacter(G, character, type === 'complex')) {
    // f from the exact character: f(g) = χ(1) χ_ρ(g⁻¹) / N
    for (let g = 0; g < N; g++) f[g] = character[G.inverses[g]!]! / N;
  }
  return { f, chi1, type, dim, character };
}

/** Above this m, Lanczos loses the Krylov space to rounding (errors grow like (‖s‖/β)^m); see below. */
export const LANCZOS_MAX_M = 12;

export interface GenericIrrepsOptions {
  /** Use Lanczos for primitive idempotents up to this m (default LANCZOS_MAX_M), repeated squaring above. */
  readonly lanczosMaxM?: number;
}

/**
 * A self-adjoint primitive idempotent e with e·f = e, polished to rounding level. m = the size of
 * the matrix algebra f·R[G] ≅ M_m(K).
 */
function primitiveIdempotent(G: Group, ci: CentralIdempotent, rng: Rng, lanczosMaxM: number): Float64Array {
  const m = ci.type === 'quaternionic' ? ci.chi1 / 2 : ci.chi1;
  if (m === 1) return ci.f;
  if (m <= lanczosMaxM) {
    const e = lanczosIdempotent(G, ci.f, m, rng);
    if (e) return polishIdempotent(G, e);
  }
  return polishIdempotent(G, squaringIdempotent(G, ci.f, rng));
}

/**
 * Power iteration by repeated squaring: y = x·x* for a random x ∈ f·R[G] is a positive element
 * (X Xᴴ in M_m(K)); y^(2^k), rescaled, tends to the spectral projector of its top eigenvalue, which is
 * simple over K for a random x, hence a primitive idempotent. O(N²) per squaring; about
 * log2(1/gap) + 5 of them. Stable for any m, unlike Lanczos.
 */
function squaringIdempotent(G: Group, f: Float64Array, rng: Rng): Float64Array {
  const N = G.order;
  const e1 = G.identity;
  for (let attempt = 0; attempt < 4; attempt++) {
    const terms = Math.min(N, 8);
    const r = new Float64Array(N);
    for (let t = 0; t < terms; t++) r[rng.int(N)]! += rng.normal();
    const x = convolve(G, r, f); // = f·r (f is central); sparse r first
    const xs = Float64Array.from(x, (_, g) => x[G.inverses[g]!]!);
    let y = convolve(G, x, xs);
    for (let k = 0; k < 60; k++) {
      const y1 = y[e1]!;
      if (!(y1 > 0)) break;
      const y2 = convolve(G, y, y);
      // converged when y2 = c·y, c = y2(1)/y(1); then e = y2/c²
      const c = y2[e1]! / y1;
      let err = 0;
      let big = 0;
      for (let g = 0; g < N; g++) {
        err = Math.max(err, Math.abs(y2[g]! - c * y[g]!));
        big = Math.max(big, Math.abs(y2[g]!));
      }
      if (err < 1e-11 * big) return Float64Array.from(y2, (v) => v / (c * c));
      const s = 1 / y2[e1]!;
      y = Float64Array.from(y2, (v) => v * s);
    }
  }
  throw new Error(`genericRealIrreps(${G.name}): repeated squaring did not converge to a primitive idempotent`);
}

/**
 * A primitive idempotent by Lanczos on left multiplication by a sparse random symmetric s inside
 * f·R[G] (see the module comment), or undefined if the Krylov space does not close at dimension m.
 * Cheap (O(N·m·(terms + m))), but rounding errors outside the commutative subalgebra grow with m.
 */
function lanczosIdempotent(G: Group, f: Float64Array, m: number, rng: Rng): Float64Array | undefined {
  const N = G.order;
  const T = G.table;
  const inv = G.inverses;
  let best: { gap: number; e: Float64Array } | undefined;
  for (let attempt = 0; attempt < 4; attempt++) {
    const terms = Math.min(N, 4 + 2 * attempt);
    const h = Int32Array.from({ length: terms }, () => rng.int(N));
    const r = Float64Array.from({ length: terms }, () => rng.normal());
    const scale = r.reduce((s, x) => s + 2 * Math.abs(x), 0);
    // s∗X: (h∗X)(z) = X(h⁻¹z), so (s∗X)(z) = Σ_t r_t (X(h_t⁻¹ z) + X(h_t z))
    const apply = (X: Float64Array): Float64Array => {
      const out = new Float64Array(N);
      for (let t = 0; t < terms; t++) {
        const rt = r[t]!;
        const a = inv[h[t]!]! * N;
        const b = h[t]! * N;
        for (let z = 0; z < N; z++) out[z]! += rt * (X[T[a + z]!]! + X[T[b + z]!]!);
      }
      return out;
    };
    const Q: Float64Array[] = [];
    const alpha = new Float64Array(m);
    const beta = new Float64Array(m);
    let nf = 0;
    for (let g = 0; g < N; g++) nf += f[g]! * f[g]!;
    nf = Math.sqrt(nf);
    Q.push(Float64Array.from(f, (x) => x / nf));
    let ok = true;
    for (let j = 0; j < m && ok; j++) {
      const w = apply(Q[j]!);
      for (let pass = 0; pass < 2; pass++)
        for (let i = 0; i <= j; i++) {
          const q = Q[i]!;
          let c = 0;
          for (let z = 0; z < N; z++) c += q[z]! * w[z]!;
          if (pass === 0 && i === j) alpha[j] = c;
          else if (i === j) alpha[j]! += c;
          for (let z = 0; z < N; z++) w[z]! -= c * q[z]!;
        }
      let bw = 0;
      for (let z = 0; z < N; z++) bw += w[z]! * w[z]!;
      bw = Math.sqrt(bw);
      if (j + 1 < m) {
        if (!(bw > 1e-6 * scale)) {
          // Krylov space of dimension j + 1 < m: s is not generic enough
          ok = false;
        } else {
          beta[j] = bw;
          Q.push(Float64Array.from(w, (x) => x / bw));
        }
      } else if (!(bw < 1e-8 * scale)) {
        // Krylov space larger than m: lost to rounding
        ok = false;
      }
    }
    if (!ok) continue;
    // tridiagonal T: α on the diagonal, β off it (Q's vectors are re-orthogonalised, so T is exact)
    const Tm = new Float64Array(m * m);
    for (let j = 0; j < m; j++) {
      Tm[j * m + j] = alpha[j]!;
      if (j + 1 < m) Tm[j * m + j + 1] = Tm[(j + 1) * m + j] = beta[j]!;
    }
    const { values, rows } = symEigen(Tm, m);
    let gap = Infinity;
    for (let i = 1; i < m; i++) gap = Math.min(gap, values[i]! - values[i - 1]!);
    gap /= scale;
    if (best && gap <= best.gap) continue;
    // e = ⟨f, u⟩ u with u = Σ_j y_j q_j, the eigenvector of the largest eigenvalue; ⟨f, u⟩ = ‖f‖ y_0
    const y = rows.subarray((m - 1) * m, m * m);
    const e = new Float64Array(N);
    for (let j = 0; j < m; j++) {
      const c = nf * y[0]! * y[j]!;
      const q = Q[j]!;
      for (let z = 0; z < N; z++) e[z]! += c * q[z]!;
    }
    best = { gap, e };
    if (gap > 1e-3) break;
  }
  // e = e² only to ~1e-13 relative to e(1) (which is small: about dim/N), and the matrices built from it
  // amplify that; the caller's Newton step (two O(N²) products) brings it to rounding level.
  return best && best.gap > 1e-9 ? best.e : undefined;
}

/**
 * The representation on the left ideal R[G]·e, for a self-adjoint primitive idempotent e, in an
 * orthonormal basis: [N*dim*dim] ρ(h) row-major at h*dim*dim.
 */
function irrepMatricesFromIdempotent(G: Group, e: Float64Array, dim: number): Float64Array {
  const N = G.order;
  const T = G.table;
  const inv = G.inverses;
  // Pivoted Cholesky of K[g][h] = e(g⁻¹h): L is [N, dim], row g = coordinates of g·e.
  const L = new Float64Array(N * dim);
  const resid = new Float64Array(N).fill(e[G.identity]!);
  const pivots = new Int32Array(dim);
  const e1 = e[G.identity]!;
  for (let p = 0; p < dim; p++) {
    let gp = 0;
    for (let g = 1; g < N; g++) if (resid[g]! > resid[gp]!) gp = g;
    const piv = resid[gp]!;
    if (!(piv > 1e-6 * e1)) throw new Error(`genericRealIrreps(${G.name}): left ideal has dimension ${p} < ${dim}`);
    pivots[p] = gp;
    const sp = Math.sqrt(piv);
    for (let g = 0; g < N; g++) {
      let c = e[T[inv[g]! * N + gp]!]!; // K[g][gp]
      for (let q = 0; q < p; q++) c -= L[g * dim + q]! * L[gp * dim + q]!;
      const v = c / sp;
      L[g * dim + p] = v;
      resid[g]! -= v * v;
    }
    resid[gp] = 0;
  }
  let maxResid = 0;
  for (let g = 0; g < N; g++) maxResid = Math.max(maxResid, resid[g]!);
  if (!(maxResid < 1e-8 * e1)) throw new Error(`genericRealIrreps(${G.name}): left ideal has dimension > ${dim} (residual ${maxResid / e1})`);
  // P[i][j] = L[g_j][i]: upper triangular. ρ(h) = P_h P⁻¹ with P_h[i][j] = L[h·g_j][i].
  const Pinv = new Float64Array(dim * dim); // inverse of an upper-triangular matrix, column by column
  for (let j = dim - 1; j >= 0; j--) {
    Pinv[j * dim + j] = 1 / L[pivots[j]! * dim + j]!;
    for (let i = j - 1; i >= 0; i--) {
      let s = 0;
      for (let k = i + 1; k <= j; k++) s += L[pivots[k]! * dim + i]! * Pinv[k * dim + j]!;
      Pinv[i * dim + j] = -s / L[pivots[i]! * dim + i]!;
    }
  }
  const out = new Float64Array(N * dim * dim);
  const Ph = new Float64Array(dim * dim);
  for (let h = 0; h < N; h++) {
    for (let j = 0; j < dim; j++) {
      const row = T[h * N + pivots[j]!]! * dim;
      for (let i = 0; i < dim; i++) Ph[i * dim + j] = L[row + i]!;
    }
    const o = h * dim * dim;
    for (let i = 0; i < dim; i++)
      for (let k = 0; k < dim; k++) {
        const a = Ph[i * dim + k]!;
        if (a === 0) continue;
        for (let j = k; j < dim; j++) out[o + i * dim + j]! += a * Pinv[k * dim + j]!;
      }
  }
  return out;
}

const INDICATOR = { real: 1, complex: 0, quaternionic: -1 } as const;

/** Letters for names: a..z, then aa, ab, ... */
export function nameLetters(i: number): string {
  let s = '';
  for (let k = i + 1; k > 0; k = Math.floor((k - 1) / 26)) s = String.fromCharCode(97 + ((k - 1) % 26)) + s;
  return s;
}

/**
 * Sorts irreps (trivial first, then by dim, then by character values in element order, larger first)
 * and names them `trivial`, `<dim>d_<letter>` with letters counted per dimension.
 */
export function sortAndNameIrreps<T extends Omit<Irrep, 'name'>>(G: Group, irreps: readonly T[], tol = 1e-6): (T & Irrep)[] {
  const isTrivial = (r: T) => r.dim === 1 && r.character.every((x) => Math.abs(x - 1) < tol);
  const cmp = (a: T, b: T): number => {
    const ta = isTrivial(a);
    const tb = isTrivial(b);
    if (ta !== tb) return ta ? -1 : 1;
    if (a.dim !== b.dim) return a.dim - b.dim;
    for (let g = 0; g < G.order; g++) {
      const d = a.character[g]! - b.character[g]!;
      if (Math.abs(d) > tol) return -d;
    }
    return 0;
  };
  const sorted = [...irreps].sort(cmp);
  const count = new Map<number, number>();
  return sorted.map((r) => {
    if (isTrivial(r)) return { ...r, name: 'trivial' };
    const k = count.get(r.dim) ?? 0;
    count.set(r.dim, k + 1);
    return { ...r, name: `${r.dim}d_${nameLetters(k)}` };
  });
}

/**
 * The complete set of real irreps of G, computed from its table (see the module comment), sorted and
 * named by `sortAndNameIrreps`. Deterministic for a given rng state.
 */
export function genericRealIrreps(G: Group, rng: Rng, opts: GenericIrrepsOptions = {}): Irrep[] {
  const lanczosMaxM = opts.lanczosMaxM ?? LANCZOS_MAX_M;
  const d2 = G.order;
  const reps = centralIdempotents(G, rng).map((ci) => {
    let matrices: Float64Array | undefined;
    let lastError: unknown;
    for (let attempt = 0; attempt < 4 && !matrices; attempt++) {
      try {
        matrices = irrepMatricesFromIdempotent(G, primitiveIdempotent(G, ci, rng, lanczosMaxM), ci.dim);
      } catch (err) {
        lastError = err;
      }
    }
    if (!matrices) throw lastError;
    const dim = ci.dim;
    const character = new Float64Array(d2);
    for (let g = 0; g < d2; g++) {
      let t = 0;
      for (let i = 0; i < dim; i++) t += matrices[g * dim * dim + i * dim + i]!;
      character[g] = t;
    }
    return { dim, type: ci.type, indicator: INDICATOR[ci.type], character, matrices };
  });
  return sortAndNameIrreps(G, reps);
}
