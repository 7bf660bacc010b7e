/**
 * The group Fourier transform (as in sn-grok, REFERENCE §7.1) of each neuron's input-side
 * pre-activations left(a) and right(b) (neuron-inputs.ts).
 *
 *   f̂(ρ) = Σ_σ f(σ) ρ(σ)             (a dim×dim matrix)
 *   power_ρ(f) = d_ρ ‖f̂(ρ)‖² / (e_ρ |G|²)
 *
 * with d_ρ the real dimension and e_ρ = 1, 2, 4 for a real irrep of real, complex or quaternionic type.
 * sn-grok's formula (e = 1) is for the complex irreps of S_n, all of real type. A real irrep of complex
 * type is ψ ⊕ ψ̄ over C (d = 2 d_ψ, ‖f̂(ρ)‖² = 2‖f̂(ψ)‖² for real f) and one of quaternionic type is ψ ⊕ ψ
 * (d = 2 d_ψ, ‖f̂(ρ)‖² = 2‖f̂(ψ)‖²), so dividing by e makes power_ρ exactly the complex powers of the
 * complex irreps it contains (ψ and ψ̄, or ψ once), and Plancherel holds over the real irreps:
 * Σ_ρ power_ρ(f) = (1/|G|) Σ_σ f(σ)² (the mean square). It equals ‖P_ρ f‖²/|G|, P_ρ the projection on
 * ρ's coefficient span, so it does not depend on ρ's basis.
 */
import type { Group } from '../groups/group.js';
import { typeNorm, type Irrep } from '../reps/irrep.js';
import type { AnalysisInput } from './analysis-input.js';
import { neuronInputs } from './neuron-inputs.js';

/** f̂(ρ) = Σ_σ f(σ) ρ(σ): [dim, dim]. f is read at f[σ·stride + offset]. */
export function groupFourierTransform(G: Group, rho: Irrep, f: ArrayLike<number>, stride = 1, offset = 0): Float64Array {
  const d2 = rho.dim * rho.dim;
  const out = new Float64Array(d2);
  for (let s = 0; s < G.order; s++) {
    const v = f[s * stride + offset]!;
    if (v === 0) continue;
    const o = s * d2;
    for (let k = 0; k < d2; k++) out[k]! += v * rho.matrices[o + k]!;
  }
  return out;
}

/** power_ρ(f) for every irrep, irreps order: [irreps.length]; sums to the mean square of f. */
export function fourierPower(G: Group, irreps: readonly Irrep[], f: ArrayLike<number>, stride = 1, offset = 0): Float64Array {
  const N = G.order;
  return Float64Array.from(irreps, (rho) => {
    const F = groupFourierTransform(G, rho, f, stride, offset);
    let s = 0;
    for (const x of F) s += x * x;
    return (rho.dim * s) / (typeNorm(rho.type) * N * N);
  });
}

export interface NeuronSpectrum {
  /** Share of the mean square per irrep (irreps order); NaN for a zero function. */
  shares: number[];
  /** The non-trivial irrep with the most power, and its share of the non-constant power. */
  dominant: string | null;
  dominantShare: number;
}

export interface NeuronFourier {
  irreps: string[];
  source: string;
  neurons: { neuron: number; left: NeuronSpectrum; right: NeuronSpectrum; interaction: number }[];
  /** Over all neurons: Σ power_ρ / Σ total power, for left and for right (irreps order). */
  totalShares: { left: number[]; right: number[] };
  /** Number of neurons whose left input is dominated by each non-trivial irrep. */
  dominantCounts: Record<string, number>;
}

function spectrum(power: Float64Array, names: readonly string[]): NeuronSpectrum {
  let total = 0;
  for (const p of power) total += p;
  const shares = Array.from(power, (p) => (total > 0 ? p / total : NaN));
  const trivial = names.indexOf('trivial');
  let best = -1;
  for (let i = 0; i < power.length; i++) if (i !== trivial && (best < 0 || power[i]! > power[best]!)) best = i;
  const nonConstant = total - (trivial >= 0 ? power[trivial]! : 0);
  const ok = best >= 0 && nonConstant > 1e-12 * total;
  return { shares, dominant: ok ? names[best]! : null, dominantShare: ok ? power[best]! / nonConstant : NaN };
}

export function neuronFourier(inp: AnalysisInput): NeuronFourier {
  const G = inp.group;
  const { h } = inp.view;
  const io = neuronInputs(inp.view);
  const names = inp.irreps.map((r) => r.name);
  const sumL = new Float64Array(names.length);
  const sumR = new Float64Array(names.length);
  const dominantCounts: Record<string, number> = {};
  for (const n of names) if (n !== 'trivial') dominantCounts[n] = 0;
  const neurons = [];
  for (let n = 0; n < h; n++) {
    const pl = fourierPower(G, inp.irreps, io.left, h, n);
    const pr = fourierPower(G, inp.irreps, io.right, h, n);
    for (let i = 0; i < names.length; i++) {
      sumL[i]! += pl[i]!;
      sumR[i]! += pr[i]!;
    }
    const left = spectrum(pl, names);
    if (left.dominant) dominantCounts[left.dominant]!++;
    neurons.push({ neuron: n, left, right: spectrum(pr, names), interaction: io.interaction[n]! });
  }
  const norm = (s: Float64Array) => {
    const t = s.reduce((x, y) => x + y, 0);
    return Array.from(s, (x) => (t > 0 ? x / t : NaN));
  };
  return { irreps: names, source: io.source, neurons, totalShares: { left: norm(sumL), right: norm(sumR) }, dominantCounts };
}
