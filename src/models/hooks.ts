/**
 * Activation caches, TransformerLens-style but scoped to one call: a forward pass given a set of hook
 * names records those activations (all of them when no names are given) into a fresh Map it returns.
 * Nothing is registered globally and nothing outlives the call.
 */
import type { NamedTensor } from '../types/trainer.js';

export type ActivationCache = Map<string, NamedTensor>;

/** Records activations into a new cache, keeping only the requested names (or all, if `names` is undefined). */
export class CacheRecorder {
  readonly cache: ActivationCache = new Map();
  private readonly wanted: Set<string> | null;

  constructor(
    readonly hookNames: readonly string[],
    names?: readonly string[],
  ) {
    if (names) {
      for (const n of names) if (!hookNames.includes(n)) throw new Error(`unknown hook "${n}": expected one of ${hookNames.join(', ')}`);
    }
    this.wanted = names ? new Set(names) : null;
  }

  /** Stores a copy of `data` as float32 under `name` if it was asked for. */
  record(name: string, shape: number[], data: Float32Array | Float64Array): void {
    if (this.wanted && !this.wanted.has(name)) return;
    this.cache.set(name, { name, shape, data: data instanceof Float32Array ? data.slice() : Float32Array.from(data) });
  }
}
