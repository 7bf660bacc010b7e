/**
 * The epoch convention (docs/runs.md "Epochs"), one for every writer and display: epochs are numbered from 0,
 * as the original's training loop and checkpoints; "epoch e" is the model after epoch e's AdamW step (e + 1
 * steps). A run of E epochs (num_epochs) goes from epoch 0 to its last epoch E − 1, the epoch of
 * model.safetensors, summary_metrics.json, the last log.csv and metrics.csv rows and the final console line.
 * Progress is shown as `e / E − 1` (the epoch reached, of the last one).
 */

/** The last epoch of a run of `numEpochs` epochs. */
export function lastEpoch(numEpochs: number): number {
  return numEpochs - 1;
}

/** `e / E−1` for a progress display ("–" for an epoch not known yet; no total when num_epochs is unknown). */
export function epochOfLast(epoch: number | null, numEpochs: number | null): string {
  const e = epoch === null || !Number.isFinite(epoch) ? '–' : String(epoch);
  return numEpochs === null ? e : `${e} / ${lastEpoch(numEpochs)}`;
}
