/**
 * Splitting an orthogonal representation W of G into its distinct irreducible real constituents.
 *
 * A random symmetric A, averaged over the group (the Reynolds operator Ā = (1/|G|) Σ_g W(g) A W(g)ᵀ),
 * is a random symmetric element of the commutant of W ≅ ⊕_ρ ρ^{m_ρ}, i.e. of ⊕_ρ M_{m_ρ}(K_ρ). For a
 * generic A each eigenspace of Ā is one irreducible copy. Every eigenvalue cluster is checked for
 * irreducibility through its character: (⟨χ, χ⟩, (1/|G|) Σ χ(g²)) must be (1, 1), (2, 0) or (4, −2) (real,
 * complex, quaternionic); any other pair means merged clusters, and the split is retried with a new A.
 * One copy is kept per distinct character. Cost O(N·dim³).
 */
import type { Group } from '../groups/group.js';
import type { Rng } from '../linalg/rng.js';
import { symEigen } from '../linalg/sym-eigen.js';
import { characterInner, frobeniusSchurSum } from './check.js';
import { sortAndNameIrreps } from './generic.js';
import type { Irrep, IrrepType } from './irrep.js';

interface Cluster {
  /** [dim, k] orthonormal columns */
  readonly q: Float64Array;
  readonly k: number;
  readonly type: IrrepType;
  readonly character: Float64Array;
}

/** The type of an irreducible real character from (⟨χ, χ⟩, FS sum), or undefined when χ is reducible. */
function irreducibleType(norm: number, fs: number, k: number, tol = 1e-6): IrrepType | undefined {
  if (Math.abs(norm - 1) < tol && Math.abs(fs - 1) < tol) return 'real';
  if (Math.abs(norm - 2) < tol && Math.abs(fs) < tol && k % 2 === 0) return 'complex';
  if (Math.abs(norm - 4) < tol && Math.abs(fs + 2) < tol && k % 4 === 0) return 'quaternionic';
  return undefined;
}

/**
 * The distinct irreducible real constituents of the orthogonal representation given by `matrices`
 * ([N*dim*dim], W(g) row-major at g*dim*dim, W(a)W(b) = W(a·b)), one Irrep each, sorted and named
 * `trivial` / `<dim>d_<letter>` (see sortAndNameIrreps) for the caller to rename.
 */
export function splitRep(G: Group, matrices: Float64Array, dim: number, rng: Rng): Irrep[] {
  const N = G.order;
  const dd = dim * dim;
  if (!Number.isInteger(dim) || dim < 1) throw new RangeError(`splitRep: dim must be a positive integer, got ${dim}`);
  if (matrices.length !== N * dd)
    throw new RangeError(`splitRep: expected ${N * dd} matrix entries for ${G.name} in dimension ${dim}, got ${matrices.length}`);
  let best: { gap: number; clusters: Cluster[] } | undefined;
  let lastProblem = '';
  const WA = new Float64Array(dd);
  for (let attempt = 0; attempt < 8; attempt++) {
    const A = new Float64Array(dd);
    for (let i = 0; i < dim; i++) for (let j = 0; j <= i; j++) A[i * dim + j] = A[j * dim + i] = rng.normal();
    // Ā = (1/N) Σ_g W(g) A W(g)ᵀ: [dim, dim] x [dim, dim] x [dim, dim] per element
    const Abar = new Float64Array(dd);
    for (let g = 0; g < N; g++) {
      const o = g * dd;
      WA.fill(0);
      for (let i = 0; i < dim; i++)
        for (let p = 0; p < dim; p++) {
          const w = matrices[o + i * dim + p]!;
          if (w === 0) continue;
          for (let j = 0; j < dim; j++) WA[i * dim + j]! += w * A[p * dim + j]!;
        }
      for (let i = 0; i < dim; i++)
        for (let j = 0; j <= i; j++) {
          let s = 0;
          for (let p = 0; p < dim; p++) s += WA[i * dim + p]! * matrices[o + j * dim + p]!;
          Abar[i * dim + j]! += s;
        }
    }
    for (let i = 0; i < dim; i++) for (let j = 0; j <= i; j++) Abar[j * dim + i] = Abar[i * dim + j] = Abar[i * dim + j]! / N;
    const { values, rows } = symEigen(Abar, dim);
    const scale = Math.max(Math.abs(values[0]!), Math.abs(values[dim - 1]!), 1e-300);
    // clusters of (numerically) equal eigenvalues; `gap` = smallest gap between clusters, relative
    const bounds: number[] = [0];
    let gap = Infinity;
    for (let i = 1; i < dim; i++) {
      const d = (values[i]! - values[i - 1]!) / scale;
      if (d > 1e-8) {
        bounds.push(i);
        gap = Math.min(gap, d);
      }
    }
    bounds.push(dim);
    const clusters: Cluster[] = [];
    let ok = true;
    for (let c = 0; c + 1 < bounds.length && ok; c++) {
      const k = bounds[c + 1]! - bounds[c]!;
      const q = new Float64Array(dim * k); // columns = eigenvectors of the cluster
      for (let j = 0; j < k; j++) for (let i = 0; i < dim; i++) q[i * k + j] = rows[(bounds[c]! + j) * dim + i]!;
      // χ(g) = tr(W(g) P), P = Q Qᵀ
      const P = new Float64Array(dd);
      for (let i = 0; i < dim; i++)
        for (let j = 0; j < dim; j++) {
          let s = 0;
          for (let p = 0; p < k; p++) s += q[i * k + p]! * q[j * k + p]!;
          P[i * dim + j] = s;
        }
      const character = new Float64Array(N);
      for (let g = 0; g < N; g++) {
        let s = 0;
        const o = g * dd;
        for (let i = 0; i < dim; i++) for (let j = 0; j < dim; j++) s += matrices[o + i * dim + j]! * P[j * dim + i]!;
        character[g] = s;
      }
      const type = irreducibleType(characterInner(G, character, character), frobeniusSchurSum(G, character), k);
      if (!type) {
        lastProblem = `an eigenspace of dimension ${k} is reducible`;
        ok = false;
      } else clusters.push({ q, k, type, character });
    }
    if (!ok) continue;
    if (!best || gap > best.gap) best = { gap, clusters };
    if (gap > 1e-3) break;
  }
  if (!best)
    throw new Error(`splitRep(${G.name}, dim ${dim}): no split into irreducibles found (${lastProblem}); is the input an orthogonal representation?`);
  // one copy per distinct character
  const kept: Cluster[] = [];
  for (const c of best.clusters) {
    if (!kept.some((k) => k.k === c.k && c.character.every((x, g) => Math.abs(x - k.character[g]!) < 1e-6))) kept.push(c);
  }
  const out = kept.map((c) => {
    const k = c.k;
    const mats = new Float64Array(N * k * k);
    const WQ = new Float64Array(dim * k);
    for (let g = 0; g < N; g++) {
      const o = g * dd;
      // W(g) Q: [dim, dim] x [dim, k] -> [dim, k]; then Qᵀ (W(g) Q): [k, dim] x [dim, k] -> [k, k]
      WQ.fill(0);
      for (let i = 0; i < dim; i++)
        for (let p = 0; p < dim; p++) {
          const w = matrices[o + i * dim + p]!;
          if (w === 0) continue;
          for (let j = 0; j < k; j++) WQ[i * k + j]! += w * c.q[p * k + j]!;
        }
      const og = g * k * k;
      for (let p = 0; p < dim; p++)
        for (let i = 0; i < k; i++) {
          const qi = c.q[p * k + i]!;
          if (qi === 0) continue;
          for (let j = 0; j < k; j++) mats[og + i * k + j]! += qi * WQ[p * k + j]!;
        }
    }
    const character = new Float64Array(N);
    for (let g = 0; g < N; g++) for (let i = 0; i < k; i++) character[g]! += mats[g * k * k + i * k + i]!;
    const indicator = c.type === 'real' ? 1 : c.type === 'complex' ? 0 : -1;
    return { dim: k, type: c.type, indicator, character, matrices: mats } as const;
  });
  return sortAndNameIrreps(G, out);
}
