/**
 * Figures of a few named metrics.csv columns over training: the totals of the progress measures
 * (REFERENCE §5: total excluded/restricted loss with train/test loss, sum of squared weights, test/
 * restricted loss ratio) and the FVE totals over the key irreps.
 */
import { column, trimRows, type Row, type RunData } from './run-data.js';
import type { LegendPosition } from './svg/line-chart.js';
import { lineChart } from './svg/line-chart.js';
import type { Panel } from './svg/panel.js';
import type { ScaleKind } from './svg/scale.js';
import { color } from './svg/theme.js';

export interface KeyLinesSpec {
  name: string;
  /** [column, legend label] pairs, drawn in this order with palette colours 0, 1, ... */
  keys: readonly (readonly [string, string])[];
  yLabel: string;
  x: ScaleKind;
  y: ScaleKind;
  legend: LegendPosition;
  /** Takes --trim and --phase-lines. */
  progress: boolean;
  /** Draw even when some keys are missing (they are left out), as long as one is there. */
  partial?: boolean;
}

export const KEY_LINE_FIGURES: readonly KeyLinesSpec[] = [
  {
    name: 'total_excluded_and_restricted_loss',
    keys: [
      ['total_hidden_excluded_loss', 'excluded loss'],
      ['total_hidden_restricted_loss', 'restricted loss'],
      ['test_loss', 'test loss'],
      ['train_loss', 'train loss'],
    ],
    yLabel: 'loss',
    x: 'linear',
    y: 'log',
    legend: 'auto',
    progress: true,
  },
  {
    name: 'sum_of_squared_weights',
    keys: [['sum_of_squared_weights', 'sum of squared weights']],
    yLabel: 'sum of squared weights',
    x: 'log',
    y: 'log',
    legend: 'none',
    progress: true,
  },
  {
    name: 'test_loss_restricted_loss_ratio',
    keys: [['test_loss_restricted_loss_ratio', 'test loss / restricted loss']],
    yLabel: 'test loss / restricted loss',
    x: 'log',
    y: 'log',
    legend: 'none',
    progress: true,
  },
  {
    name: 'percent_hidden',
    keys: [
      ['percent_hidden_explained', 'hidden FVE (key irreps)'],
      ['percent_hidden_xy_explained', 'hidden xy-part FVE (key irreps)'],
    ],
    yLabel: 'fraction of variance',
    x: 'log',
    y: 'linear',
    legend: 'auto',
    progress: false,
  },
  {
    name: 'fve_totals',
    keys: [
      ['percent_logits_explained', 'logits'],
      ['percent_x_embed_explained', 'x embedding'],
      ['percent_y_embed_explained', 'y embedding'],
      ['percent_unembed_explained', 'unembedding'],
      ['percent_hidden_explained', 'hidden'],
      ['percent_hidden_xy_explained', 'hidden, xy part'],
    ],
    yLabel: 'fraction of variance (key irreps)',
    x: 'log',
    y: 'linear',
    legend: 'right',
    progress: false,
  },
];

export function hasKeyColumns(rows: readonly Row[], spec: KeyLinesSpec): boolean {
  if (rows.length === 0) return false;
  const present = spec.keys.filter(([k]) => k in rows[0]!).length;
  return spec.partial ? present > 0 : present === spec.keys.length;
}

export interface KeyLinesOptions {
  trim?: number;
  phaseLines?: readonly number[];
}

export function keyLines(run: RunData, spec: KeyLinesSpec, o: KeyLinesOptions = {}): Panel {
  const rows = trimRows(run.metrics, spec.progress ? o.trim : undefined);
  const x = column(rows, 'epoch');
  const series = spec.keys
    .filter(([k]) => rows.length > 0 && k in rows[0]!)
    .map(([k, label], i) => ({ name: label, x, y: column(rows, k), color: color(i) }));
  return lineChart({
    series,
    xLabel: 'epoch',
    yLabel: spec.yLabel,
    x: spec.x,
    y: spec.y,
    xFormat: 'count',
    vlines: spec.progress ? o.phaseLines : undefined,
    legend: spec.legend,
  });
}
