/**
 * The columns of a progress-measures row (metrics.csv, summary_metrics.json), in order, for irreps named
 * in irreps(G) order (docs/measures.md; REFERENCE §4). `epoch`, which the caller adds, comes first and is
 * not listed here. "Non-trivial" means every irrep except the one named `trivial`.
 */

/** One row of metrics.csv: column name -> value. */
export type MetricsRow = Record<string, number>;

export const TRIVIAL = 'trivial';

/** The measure columns for irreps `irrepNames` (irreps(G) order, trivial included). */
export function measureColumns(irrepNames: readonly string[]): string[] {
  const all = [...irrepNames];
  const nt = all.filter((n) => n !== TRIVIAL);
  const cols = ['train_loss', 'test_loss', 'train_acc', 'test_acc', 'all_loss'];
  for (const r of nt) cols.push(`logit_${r}_rep_trace_similarity`);
  cols.push('percent_logits_explained');
  for (const r of nt) cols.push(`logit_excluded_loss_${r}_rep`, `logit_restricted_loss_${r}_rep`);
  cols.push('total_logit_excluded_loss', 'total_logit_restricted_loss');
  for (const r of all) cols.push(`percent_x_embed_${r}_rep`, `percent_y_embed_${r}_rep`, `percent_unembed_${r}_rep`);
  cols.push('percent_x_embed_explained', 'percent_y_embed_explained', 'percent_unembed_explained');
  for (const r of all)
    cols.push(
      `percent_hidden_x_${r}_rep`,
      `percent_hidden_y_${r}_rep`,
      `percent_hidden_xy_${r}_rep`,
      `total_percent_hidden_${r}_rep`,
      `hidden_excluded_loss_${r}_rep`,
      `hidden_restricted_loss_${r}_rep`,
    );
  cols.push('percent_hidden_explained', 'percent_hidden_xy_explained', 'total_hidden_excluded_loss', 'total_hidden_restricted_loss');
  cols.push('test_loss_restricted_loss_ratio', 'sum_of_squared_weights');
  return cols;
}
