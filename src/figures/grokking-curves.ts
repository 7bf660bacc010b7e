/**
 * Grokking curves (the paper's S5_MLP_grokking_{loss,acc}): train and test loss (log y) or accuracy over
 * epochs. One run: its two curves. Several runs: the median over runs (at the epochs they share) in full
 * colour, each run's curves faded behind it.
 */
import { aggregateColumn, column, median, trimRows, type Row, type RunData } from './run-data.js';
import type { LegendPosition, Series } from './svg/line-chart.js';
import { lineChart } from './svg/line-chart.js';
import type { Panel } from './svg/panel.js';
import { color, theme } from './svg/theme.js';

export interface CurveOptions {
  /** Drop rows after this epoch. */
  trim?: number;
  /** Vertical lines at these epochs. */
  phaseLines?: readonly number[];
}

/** The rows the grokking curves use: log.csv (every 100 epochs) if present, else metrics.csv. */
export function curveRows(run: RunData): readonly Row[] {
  return run.log.length > 0 ? run.log : run.metrics;
}

function grokking(runs: readonly RunData[], what: 'loss' | 'acc', o: CurveOptions): Panel {
  const kinds = [
    { key: `train_${what}`, label: what === 'loss' ? 'train loss' : 'train accuracy', color: color(0) },
    { key: `test_${what}`, label: what === 'loss' ? 'test loss' : 'test accuracy', color: color(1) },
  ];
  const rows = runs.map((r) => trimRows(curveRows(r), o.trim));
  const series: Series[] = [];
  if (runs.length === 1) {
    for (const k of kinds) series.push({ name: k.label, x: column(rows[0]!, 'epoch'), y: column(rows[0]!, k.key), color: k.color });
  } else {
    for (const k of kinds)
      rows.forEach((rs, i) =>
        series.push({
          name: `${k.label}, each of ${runs.length} runs`,
          x: column(rs, 'epoch'),
          y: column(rs, k.key),
          color: k.color,
          opacity: theme.fadedOpacity,
          width: 1.25,
          legend: i === 0,
        }),
      );
    for (const k of kinds) {
      const m = aggregateColumn(rows, k.key, median);
      series.push({ name: `median ${k.label}`, x: m.epoch, y: m.value, color: k.color });
    }
  }
  // the corner the curves cover least: with many runs the faded curves fill the usual corner
  const legend: LegendPosition = 'auto';
  return lineChart({
    series,
    xLabel: 'epoch',
    yLabel: what === 'loss' ? 'loss' : 'accuracy',
    y: what === 'loss' ? 'log' : 'linear',
    xFormat: 'count',
    yDomain: what === 'acc' ? [0, 1] : undefined,
    vlines: o.phaseLines,
    legend,
  });
}

/** Train/test loss over epochs, log y. */
export function grokkingLoss(runs: readonly RunData[], o: CurveOptions = {}): Panel {
  return grokking(runs, 'loss', o);
}

/** Train/test accuracy over epochs. */
export function grokkingAcc(runs: readonly RunData[], o: CurveOptions = {}): Panel {
  return grokking(runs, 'acc', o);
}
