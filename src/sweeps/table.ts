/**
 * A small table model and its three renderings: CSV (full-precision numbers, for programs), Markdown and
 * LaTeX (numbers formatted as the paper's tables.py does: FVE as a percentage with two decimals, test and
 * restricted loss as 2-digit scientific, excluded loss with two decimals). A missing value (null) is "n/a".
 */

/** How a column's numbers are shown in Markdown and LaTeX. */
export type ColumnKind = 'text' | 'int' | 'percent' | 'sci' | 'fixed2' | 'fixed1';

export interface Column {
  key: string;
  /** Header in CSV and Markdown. */
  title: string;
  /** Header in LaTeX (math allowed); defaults to title, escaped. */
  tex?: string;
  kind: ColumnKind;
}

export type Cell = string | number | null;

export interface Table {
  /** File stem, e.g. mlp_all. */
  id: string;
  title: string;
  columns: Column[];
  rows: Record<string, Cell>[];
}

export const NA = 'n/a';

export function formatCell(v: Cell, kind: ColumnKind): string {
  if (v === null || v === undefined) return NA;
  if (typeof v === 'string') return v;
  if (!Number.isFinite(v)) return String(v);
  switch (kind) {
    case 'percent':
      return `${(100 * v).toFixed(2)}%`;
    case 'sci':
      return v.toExponential(2);
    case 'fixed2':
      return v.toFixed(2);
    case 'fixed1':
      return v.toFixed(1);
    case 'int':
      return String(Math.round(v));
    case 'text':
      return String(v);
  }
}

function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(t: Table): string {
  const lines = [t.columns.map((c) => csvField(c.title)).join(',')];
  for (const r of t.rows)
    lines.push(
      t.columns
        .map((c) => {
          const v = r[c.key];
          return csvField(v === null || v === undefined ? NA : String(v));
        })
        .join(','),
    );
  return lines.join('\n') + '\n';
}

function mdEscape(s: string): string {
  return s.replace(/\|/g, '\\|');
}

export function toMarkdown(t: Table): string {
  const head = `| ${t.columns.map((c) => mdEscape(c.title)).join(' | ')} |`;
  const rule = `|${t.columns.map((c) => (c.kind === 'text' ? '---' : '---:')).join('|')}|`;
  const body = t.rows.map((r) => `| ${t.columns.map((c) => mdEscape(formatCell(r[c.key] ?? null, c.kind))).join(' | ')} |`);
  return [`### ${t.title}`, '', head, rule, ...body].join('\n') + '\n';
}

export function texEscape(s: string): string {
  return s
    .replace(/\\/g, '\\textbackslash{}')
    .replace(/([&%$#_{}])/g, '\\$1')
    .replace(/~/g, '\\textasciitilde{}')
    .replace(/\^/g, '\\textasciicircum{}');
}

/** A group name in LaTeX math: S5 -> $S_{5}$, C2xS3 -> $C_{2} \times S_{3}$; anything else escaped text. */
export function texGroup(name: string): string {
  const parts = name.split('x');
  if (parts.every((p) => /^[A-Z]\d+$/.test(p) || p === 'Q8')) return `$${parts.map((p) => `${p[0]}_{${p.slice(1)}}`).join(' \\times ')}$`;
  return texEscape(name);
}

export function toLatex(t: Table, texCell: (key: string, v: Cell, formatted: string) => string = (_k, _v, f) => texEscape(f)): string {
  const lines = [
    `% ${t.title}`,
    `\\begin{tabular}{${'c'.repeat(t.columns.length)}}`,
    '\\toprule',
    t.columns.map((c) => c.tex ?? texEscape(c.title)).join(' & ') + ' \\\\',
    '\\midrule',
    ...t.rows.map((r) => t.columns.map((c) => texCell(c.key, r[c.key] ?? null, formatCell(r[c.key] ?? null, c.kind))).join(' & ') + ' \\\\'),
    '\\bottomrule',
    '\\end{tabular}',
  ];
  return lines.join('\n') + '\n';
}
