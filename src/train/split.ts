/**
 * The train/test split of the composition task (REFERENCE §3): rows r = a·N + b of all N² pairs are
 * shuffled with `new Rng(seed).permutation(N*N)`; the first ⌊frac·N²⌋ shuffled rows are train, the rest
 * test. Unlike the original, seed 0 shuffles like any other seed.
 */
import { Rng } from '../linalg/rng.js';
import { UsageError } from '../util/errors.js';

export interface DataSplit {
  train: Int32Array;
  test: Int32Array;
}

export function splitData(N: number, fracTrain: number, seed: number): DataSplit {
  if (!Number.isInteger(N) || N < 1) throw new UsageError(`group order ${N} is not a positive integer`);
  if (!(fracTrain >= 0 && fracTrain <= 1)) throw new UsageError(`frac_train ${fracTrain} is not a number in [0, 1]`);
  const rows = new Rng(seed).permutation(N * N);
  const nTrain = Math.floor(fracTrain * N * N);
  return { train: rows.slice(0, nTrain), test: rows.slice(nTrain) };
}
