/**
 * The original's checkpoint epochs (REFERENCE §3): {0} ∪ unique(int32(logspace(0, log10 E, 1000))) ∪ {E−1},
 * kept to the epochs a run of E epochs actually reaches (0..E−1). A checkpoint at epoch e is taken after
 * that epoch's optimizer step. Computed in float64 exactly as numpy does:
 * logspace = 10 ** linspace(0, log10 E, 1000), linspace(i) = i·step with step = stop/999 and the last value
 * set to stop exactly; the int32 cast truncates toward zero.
 */
export const CHECKPOINT_POINTS = 1000;

export function checkpointEpochs(numEpochs: number): number[] {
  if (!Number.isSafeInteger(numEpochs) || numEpochs < 1) throw new RangeError(`numEpochs must be a positive integer, got ${numEpochs}`);
  const stop = Math.log10(numEpochs);
  const step = stop / (CHECKPOINT_POINTS - 1);
  const set = new Set<number>([0, numEpochs - 1]);
  for (let i = 0; i < CHECKPOINT_POINTS; i++) {
    const y = i === CHECKPOINT_POINTS - 1 ? stop : i * step;
    set.add(Math.trunc(10 ** y));
  }
  return [...set].filter((e) => e < numEpochs).sort((a, b) => a - b);
}
