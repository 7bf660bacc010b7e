/**
 * Per-irrep curves over training (log-spaced checkpoints, log x): one line per irrep of a metrics.csv
 * column template such as `logit_{}_rep_trace_similarity`. Each irrep keeps one colour in every figure
 * (its position among the run's non-trivial irreps). With more irreps than colours (C113 has 56), the key
 * irreps get the colours and the others are thin grey lines under one "other irreps" legend entry.
 */
import { IRREP_COLUMN, irrepColumn, similarityColumn } from '../measures/columns.js';
import { aggregateColumn, column, keyRepsOf, mean, nonTrivialIrreps, trimRows, type Row, type RunData } from './run-data.js';
import type { LegendPosition, Series } from './svg/line-chart.js';
import { lineChart } from './svg/line-chart.js';
import type { Panel } from './svg/panel.js';
import type { ScaleKind } from './svg/scale.js';
import { color, theme } from './svg/theme.js';

/** A per-irrep figure: its file name, the column template (`{}` = irrep name), the axis text. */
export interface IrrepFigureSpec {
  name: string;
  template: string;
  yLabel: string;
  y?: ScaleKind;
  /** x on a log axis (default true). */
  logX?: boolean;
  legend?: LegendPosition;
  /** Progress-measure figures take --trim and --phase-lines. */
  progress?: boolean;
}

/** The paper's per-irrep figures (REFERENCE §5), non-trivial irreps. */
export const IRREP_FIGURES: readonly IrrepFigureSpec[] = [
  { name: 'logit_similarity', template: IRREP_COLUMN.similarity, yLabel: 'cosine similarity' },
  { name: 'percent_x_embed', template: IRREP_COLUMN.xEmbed, yLabel: 'fraction of variance (x embedding)' },
  { name: 'percent_y_embed', template: IRREP_COLUMN.yEmbed, yLabel: 'fraction of variance (y embedding)' },
  { name: 'percent_unembed', template: IRREP_COLUMN.unembed, yLabel: 'fraction of variance (unembedding)' },
  { name: 'percent_hidden_x', template: IRREP_COLUMN.hiddenX, yLabel: 'fraction of variance (hidden, x part)' },
  { name: 'percent_hidden_y', template: IRREP_COLUMN.hiddenY, yLabel: 'fraction of variance (hidden, y part)' },
  { name: 'percent_hidden_xy', template: IRREP_COLUMN.hiddenXY, yLabel: 'fraction of variance (hidden, xy part)' },
  { name: 'total_percent_hidden', template: IRREP_COLUMN.totalHidden, yLabel: 'fraction of variance (hidden)' },
  { name: 'hidden_excluded_loss_by_rep', template: IRREP_COLUMN.hiddenExcluded, yLabel: 'excluded loss', y: 'log', progress: true, legend: 'right' },
  {
    name: 'hidden_restricted_loss_by_rep',
    template: IRREP_COLUMN.hiddenRestricted,
    yLabel: 'restricted loss',
    y: 'log',
    progress: true,
    legend: 'right',
  },
];

export interface IrrepCurveOptions {
  trim?: number;
  phaseLines?: readonly number[];
}

const MAX_COLOURED = 10;

/** Series for each irrep: colour by position; beyond 10 irreps only the key irreps are coloured. */
export function irrepSeries(
  irreps: readonly string[],
  key: readonly string[] | undefined,
  ys: (irrep: string) => { x: ArrayLike<number>; y: ArrayLike<number> },
): Series[] {
  const few = irreps.length <= MAX_COLOURED || !key;
  const coloured = few ? irreps : irreps.filter((r) => key!.includes(r));
  const others: Series[] = [];
  const main: Series[] = [];
  for (const r of irreps) {
    const k = coloured.indexOf(r);
    const d = ys(r);
    if (k >= 0) main.push({ name: r, ...d, color: color(few ? irreps.indexOf(r) : k) });
    else others.push({ name: 'other irreps', ...d, color: theme.muted, width: 1, legend: others.length === 0 });
  }
  return [...others, ...main];
}

/** One run's per-irrep curves for a spec (non-trivial irreps from the similarity columns). */
export function irrepCurves(run: RunData, spec: IrrepFigureSpec, o: IrrepCurveOptions = {}): Panel {
  const rows = trimRows(run.metrics, spec.progress ? o.trim : undefined);
  const irreps = nonTrivialIrreps(run.metrics);
  const series = irrepSeries(irreps, keyRepsOf(run), (r) => ({ x: column(rows, 'epoch'), y: column(rows, irrepColumn(spec.template, r)) }));
  return lineChart({
    series,
    xLabel: 'epoch',
    yLabel: spec.yLabel,
    x: spec.logX === false ? 'linear' : 'log',
    y: spec.y ?? 'linear',
    xFormat: 'count',
    vlines: spec.progress ? o.phaseLines : undefined,
    legend: spec.legend ?? 'right',
  });
}

/** Whether a run's metrics.csv has the columns of a spec for every non-trivial irrep. */
export function hasIrrepColumns(rows: readonly Row[], spec: IrrepFigureSpec): boolean {
  const irreps = nonTrivialIrreps(rows);
  return irreps.length > 0 && irreps.every((r) => irrepColumn(spec.template, r) in rows[0]!);
}

/**
 * `mean_logit_similarity` (the paper's S5_rep_learning_order, which despite its name plots this): the mean
 * over runs of each irrep's logit similarity against epoch (log x), at the checkpoints all runs share. Key
 * irreps: those key in any run. The learning order itself is key_rep_learning_order (learning-order.ts).
 */
export function meanLogitSimilarity(runs: readonly RunData[]): Panel {
  const irreps = nonTrivialIrreps(runs[0]!.metrics);
  const key = [...new Set(runs.flatMap((r) => keyRepsOf(r) ?? []))];
  const series = irrepSeries(irreps, key.length ? key : undefined, (r) => {
    const a = aggregateColumn(
      runs.map((x) => x.metrics),
      similarityColumn(r),
      mean,
    );
    return { x: a.epoch, y: a.value };
  });
  return lineChart({ series, xLabel: 'epoch', yLabel: `mean cosine similarity (${runs.length} runs)`, x: 'log', xFormat: 'count', legend: 'right' });
}
