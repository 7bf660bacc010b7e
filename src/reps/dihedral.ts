/**
 * Real irreps of the dihedral group D_n of order 2n (index x = r + s·n is r^r s^s, with
 * (r1,s1)·(r2,s2) = (r1 + (−1)^{s1} r2, s1 + s2); REFERENCE §1.3):
 * - `trivial`; `sign`: +1 on rotations, −1 on reflections;
 * - n even only: `sign_r`: ρ(r^a s^c) = (−1)^a (−1 on the rotation r, +1 on the reflection s) and
 *   `sign_rs`: ρ(r^a s^c) = (−1)^(a+c) (−1 on both r and s);
 * - `freq_k`, k = 1..⌈n/2⌉−1: ρ(r^a s^c) = R(θ)·F^c with θ = 2πak/n, R the rotation and F = diag(1, −1)
 *   (real type). This is a homomorphism for the table: F R(θ) F = R(−θ), so
 *   R(a1θ)F^{c1} · R(a2θ)F^{c2} = R((a1 + (−1)^{c1} a2)θ) F^{c1+c2}.
 * Σ dim² = 2 + 2[n even] + 4(⌈n/2⌉−1) = 2n. (The original built only `trivial` for even n.)
 */
import type { Irrep } from './irrep.js';
import { makeIrrep } from './make-irrep.js';

/** The real irreps of D_n: trivial, sign, (n even: sign_r, sign_rs), freq_1, freq_2, ... */
export function dihedralIrreps(n: number): Irrep[] {
  const N = 2 * n;
  const oneD = (name: string, f: (a: number, c: number) => number) =>
    makeIrrep(
      name,
      1,
      'real',
      Float64Array.from({ length: N }, (_, x) => f(x % n, x >= n ? 1 : 0)),
    );
  const out: Irrep[] = [oneD('trivial', () => 1), oneD('sign', (_a, c) => (c ? -1 : 1))];
  if (n % 2 === 0) {
    out.push(oneD('sign_r', (a) => (a % 2 ? -1 : 1)));
    out.push(oneD('sign_rs', (a, c) => ((a + c) % 2 ? -1 : 1)));
  }
  for (let k = 1; k <= Math.ceil(n / 2) - 1; k++) {
    const m = new Float64Array(4 * N); // [2n, 2, 2]
    for (let x = 0; x < N; x++) {
      const a = x % n;
      const f = x >= n ? -1 : 1; // R(θ)·diag(1, f)
      const t = (2 * Math.PI * ((k * a) % n)) / n;
      const c = Math.cos(t);
      const s = Math.sin(t);
      m.set([c, -s * f, s, c * f], 4 * x);
    }
    out.push(makeIrrep(`freq_${k}`, 2, 'real', m));
  }
  return out;
}
