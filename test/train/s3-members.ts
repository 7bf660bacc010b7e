// What the WebGPU trainer tests share: batch members on S3 with their own random splits, and float distances.
import assert from 'node:assert/strict';
import { Rng } from '../../src/linalg/rng.js';
import type { BatchMember } from '../../src/types/trainer.js';

/** A member with its own random 20/16 split of S3's 36 pairs, shuffled by the seed rngBase + seed. */
export function s3Member(seed: number, rngBase: number): BatchMember {
  const rows = Array.from({ length: 36 }, (_, i) => i);
  const rng = new Rng(rngBase + seed);
  for (let i = rows.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [rows[i], rows[j]] = [rows[j]!, rows[i]!];
  }
  return { seed, train: Int32Array.from(rows.slice(0, 20)), test: Int32Array.from(rows.slice(20)) };
}

/** max_i |a_i − b_i| (asserts equal lengths). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** ‖a − b‖ / ‖b‖ (0 when both are 0). */
export function relL2(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0,
    n = 0;
  for (let i = 0; i < b.length; i++) ((d += (a[i]! - b[i]!) ** 2), (n += b[i]! ** 2));
  return n === 0 ? Math.sqrt(d) : Math.sqrt(d / n);
}
