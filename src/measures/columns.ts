/**
 * The columns of a progress-measures row (metrics.csv, summary_metrics.json), in order, for irreps named
 * in irreps(G) order (docs/measures.md; REFERENCE §4). `epoch`, which the caller adds, comes first and is
 * not listed here. "Non-trivial" means every irrep except the one named `trivial`.
 *
 * This file is the one place the per-irrep column names are spelled: measures, figures, the dashboard and
 * the key-rep rule all build them from IRREP_COLUMN, and KEY_REP_THRESHOLD is the one key-rep threshold.
 */

/** One row of metrics.csv: column name -> value. */
export type MetricsRow = Record<string, number>;

export const TRIVIAL = 'trivial';

/**
 * K = the non-trivial irreps whose logit trace similarity on the final model is above this (the original's
 * `determine_key_reps` since 9ba0c50; REFERENCE §4).
 */
export const KEY_REP_THRESHOLD = 0.005;

/** The per-irrep column templates: `{}` stands for the irrep's name. */
export const IRREP_COLUMN = {
  similarity: 'logit_{}_rep_trace_similarity',
  logitExcluded: 'logit_excluded_loss_{}_rep',
  logitRestricted: 'logit_restricted_loss_{}_rep',
  xEmbed: 'percent_x_embed_{}_rep',
  yEmbed: 'percent_y_embed_{}_rep',
  unembed: 'percent_unembed_{}_rep',
  hiddenX: 'percent_hidden_x_{}_rep',
  hiddenY: 'percent_hidden_y_{}_rep',
  hiddenXY: 'percent_hidden_xy_{}_rep',
  totalHidden: 'total_percent_hidden_{}_rep',
  /** The FVE of H̄ in X_ρ + Y_ρ + Z_ρ: the column of the original's committed batch CSVs (see hiddenShare). */
  hidden: 'percent_hidden_{}_rep',
  hiddenExcluded: 'hidden_excluded_loss_{}_rep',
  hiddenRestricted: 'hidden_restricted_loss_{}_rep',
} as const;

export type IrrepColumnTemplate = (typeof IRREP_COLUMN)[keyof typeof IRREP_COLUMN];

/** The column of `template` for irrep `name`: irrepColumn(IRREP_COLUMN.similarity, 'sign') = logit_sign_rep_trace_similarity. */
export function irrepColumn(template: string, name: string): string {
  return template.replace('{}', name);
}

/** The irrep a column of `template` is for, or undefined when `column` is not one of its columns. */
export function irrepOfColumn(template: string, column: string): string | undefined {
  const [head, tail] = template.split('{}') as [string, string];
  if (column.length <= head.length + tail.length || !column.startsWith(head) || !column.endsWith(tail)) return undefined;
  return column.slice(head.length, column.length - tail.length);
}

/** logit_{ρ}_rep_trace_similarity. */
export function similarityColumn(name: string): string {
  return irrepColumn(IRREP_COLUMN.similarity, name);
}

/**
 * percent_hidden_{ρ}_rep: the share of H̄ in X_ρ + Y_ρ + Z_ρ. For a non-trivial irrep the three spans are
 * orthogonal (Σ_g ρ(g) = 0), so it is x + y + xy (= total_percent_hidden); for the trivial irrep they are one
 * span, the constants, so it is the x share (0 up to rounding on the centred H̄).
 */
export function hiddenShare(name: string, x: number, y: number, xy: number): number {
  return name === TRIVIAL ? x : x + y + xy;
}

/** The measure columns for irreps `irrepNames` (irreps(G) order, trivial included). */
export function measureColumns(irrepNames: readonly string[]): string[] {
  const all = [...irrepNames];
  const nt = all.filter((n) => n !== TRIVIAL);
  const C = IRREP_COLUMN;
  const per = (names: readonly string[], ...templates: string[]) => names.flatMap((r) => templates.map((t) => irrepColumn(t, r)));
  return [
    'train_loss',
    'test_loss',
    'train_acc',
    'test_acc',
    'all_loss',
    ...per(nt, C.similarity),
    'percent_logits_explained',
    ...per(nt, C.logitExcluded, C.logitRestricted),
    'total_logit_excluded_loss',
    'total_logit_restricted_loss',
    ...per(all, C.xEmbed, C.yEmbed, C.unembed),
    'percent_x_embed_explained',
    'percent_y_embed_explained',
    'percent_unembed_explained',
    ...per(all, C.hiddenX, C.hiddenY, C.hiddenXY, C.totalHidden, C.hidden, C.hiddenExcluded, C.hiddenRestricted),
    'percent_hidden_explained',
    'percent_hidden_xy_explained',
    'total_hidden_excluded_loss',
    'total_hidden_restricted_loss',
    'test_loss_restricted_loss_ratio',
    'sum_of_squared_weights',
  ];
}
