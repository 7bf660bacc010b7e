/**
 * The key irreps' learning order across runs (`key_rep_learning_order`): when each irrep forms in each run,
 * read from metrics.csv. An irrep forms at the first checkpoint (by epoch) where its logit trace similarity is
 * above ORDER_THRESHOLD (0.05), the threshold by which the original's `determine_key_rep_order.py` orders the
 * key irreps (REFERENCE §4). The figure shows, per irrep that is key in some run, the fraction of the runs in
 * which it has formed by each epoch (log x): the curve that rises first is learned first, its spread over
 * epochs is the spread over seeds; the legend gives each irrep's median formation epoch.
 */
import { ORDER_THRESHOLD } from '../measures/key-reps.js';
import { similarityColumn } from '../measures/columns.js';
import { keyRepsOf, median, nonTrivialIrreps, type Row, type RunData } from './run-data.js';
import { irrepSeries } from './irrep-curves.js';
import { lineChart } from './svg/line-chart.js';
import type { Panel } from './svg/panel.js';

/** The first epoch (rows in epoch order) at which `irrep`'s logit similarity is above `threshold`; null if never. */
export function formationEpoch(rows: readonly Row[], irrep: string, threshold = ORDER_THRESHOLD): number | null {
  const col = similarityColumn(irrep);
  let first: number | null = null;
  for (const r of rows) if (r[col]! > threshold && r.epoch !== undefined && (first === null || r.epoch < first)) first = r.epoch;
  return first;
}

/** Per irrep key in some run (in the runs' irreps order), its formation epoch in each run (null: never). */
export function formationEpochs(runs: readonly RunData[], threshold = ORDER_THRESHOLD): { irrep: string; epochs: (number | null)[] }[] {
  const key = new Set(runs.flatMap((r) => keyRepsOf(r) ?? []));
  const irreps = nonTrivialIrreps(runs[0]?.metrics ?? []).filter((r) => key.has(r));
  return irreps.map((irrep) => ({ irrep, epochs: runs.map((r) => formationEpoch(r.metrics, irrep, threshold)) }));
}

/** Fraction of the runs in which each key irrep has formed, against epoch (the union of the runs' checkpoints). */
export function keyRepLearningOrder(runs: readonly RunData[], threshold = ORDER_THRESHOLD): Panel {
  const formed = formationEpochs(runs, threshold);
  const grid = [...new Set(runs.flatMap((r) => r.metrics.map((m) => m.epoch!)))].filter(Number.isFinite).sort((a, b) => a - b);
  const n = runs.length;
  const byIrrep = new Map(formed.map((f) => [f.irrep, f.epochs.filter((e): e is number => e !== null)]));
  const names = formed.map((f) => f.irrep);
  // colours as in the per-irrep figures (position among all non-trivial irreps); only the key irreps drawn
  const all = nonTrivialIrreps(runs[0]?.metrics ?? []);
  const series = irrepSeries(all, names, (irrep) => {
    // a step at each checkpoint: the fraction only changes where a run has a checkpoint
    const es = byIrrep.get(irrep) ?? [];
    const x: number[] = [];
    const y: number[] = [];
    grid.forEach((t, i) => {
      const v = es.filter((e) => e <= t).length / n;
      if (i > 0) (x.push(t), y.push(y[y.length - 1]!));
      (x.push(t), y.push(v));
    });
    return { x, y };
  })
    .filter((s) => byIrrep.has(s.name))
    .map((s) => {
      const es = byIrrep.get(s.name)!;
      const when = es.length ? `median epoch ${median(es)}` : 'never';
      return { ...s, name: `${s.name} (${when}; ${es.length}/${n} runs)` };
    });
  return lineChart({
    series,
    xLabel: 'epoch',
    yLabel: `runs in which it has formed (of ${n})`,
    x: 'log',
    xFormat: 'count',
    yDomain: [0, 1],
    legend: 'auto',
  });
}
