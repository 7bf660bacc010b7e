/**
 * Real irreps of the cyclic group C_n (element a = rotation by a, a·b = a+b mod n), as in the original
 * (REFERENCE §1.2): `trivial`; `sign` ρ(a) = (−1)^a when n is even; `freq_k` for k = 1..⌈n/2⌉−1, the
 * rotation R(2πka/n) = [[cos, −sin], [sin, cos]] (complex type: over C it is e^{2πika/n} ⊕ its conjugate).
 * Σ dim²/e = 1 + [n even] + 4(⌈n/2⌉−1)/2 = n.
 */
import type { Irrep } from './irrep.js';
import { makeIrrep } from './make-irrep.js';

/** The real irreps of C_n in the original's order: trivial, sign (n even), freq_1, freq_2, ... */
export function cyclicIrreps(n: number): Irrep[] {
  const out: Irrep[] = [makeIrrep('trivial', 1, 'real', new Float64Array(n).fill(1))];
  if (n % 2 === 0)
    out.push(
      makeIrrep(
        'sign',
        1,
        'real',
        Float64Array.from({ length: n }, (_, a) => (a % 2 === 0 ? 1 : -1)),
      ),
    );
  for (let k = 1; k <= Math.ceil(n / 2) - 1; k++) {
    const m = new Float64Array(4 * n); // [n, 2, 2]
    for (let a = 0; a < n; a++) {
      const t = (2 * Math.PI * ((k * a) % n)) / n; // reduce ka mod n first: exact angles for large a
      const c = Math.cos(t);
      const s = Math.sin(t);
      m.set([c, -s, s, c], 4 * a);
    }
    out.push(makeIrrep(`freq_${k}`, 2, 'complex', m));
  }
  return out;
}
