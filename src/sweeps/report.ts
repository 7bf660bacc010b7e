/**
 * The paper's universality tables (REFERENCE §5 "Tables", §6.2–6.3) from a sweep's run records:
 * - `<arch>_all` (mlp_all, transformer_all, bilinear_all): per group and seed, the key irreps in learning
 *   order (the irreps' own names, as in metrics.csv and the figures), test loss, excluded and restricted loss, logit FVE, W_a/W_b (transformer: W_E), W_U, MLP and
 *   MLP ρ(ab) FVE, and the grokking epoch;
 * - `<arch>_avg`: their means per group (with how many runs grokked);
 * - `key_irreps` and `key_irrep_counts`: per group × architecture across seeds, how often each irrep is key
 *   and is learned first, and how many runs have k key irreps (the S5 MLP 50-seed statistics of §6.2);
 * - `cells`: every set of runs that differ only by seed (the width sweep among them): runs, how many grokked
 *   (final test accuracy > 0.99), mean test loss, median grokking epoch.
 * As the original's tables.py, the per-seed tables leave out the width sweep and other variants (mainRuns);
 * they appear in `cells`. Values a run lacks are null ("n/a").
 */
import { GROK_ACC, type RunRecord } from './run-record.js';
import type { Cell, Column, Table } from './table.js';

const ARCH_FILE: Record<string, string> = { MLP: 'mlp', T: 'transformer', B: 'bilinear' };
const ARCH_TITLE: Record<string, string> = { MLP: 'MLP', T: 'Transformer', B: 'Bilinear net' };
const ARCH_ORDER = ['MLP', 'T', 'B'];

/** The summary_metrics.json columns of the tables, with the paper's headers. */
const METRIC_COLUMNS: { key: string; title: string; tex: string; kind: Column['kind']; archs?: string[] }[] = [
  { key: 'test_loss', title: 'Test Loss', tex: 'Test Loss', kind: 'sci' },
  { key: 'total_hidden_excluded_loss', title: 'Exc. Loss', tex: 'Exc. Loss', kind: 'fixed2' },
  { key: 'total_hidden_restricted_loss', title: 'Res. Loss', tex: 'Res. Loss', kind: 'sci' },
  { key: 'percent_logits_explained', title: 'Logit FVE', tex: 'Logit FVE', kind: 'percent' },
  { key: 'percent_x_embed_explained', title: 'W_a FVE', tex: '$W_a$ FVE', kind: 'percent', archs: ['MLP', 'B'] },
  { key: 'percent_x_embed_explained', title: 'W_E FVE', tex: '$W_E$ FVE', kind: 'percent', archs: ['T'] },
  { key: 'percent_y_embed_explained', title: 'W_b FVE', tex: '$W_b$ FVE', kind: 'percent', archs: ['MLP', 'B'] },
  { key: 'percent_unembed_explained', title: 'W_U FVE', tex: '$W_U$ FVE', kind: 'percent' },
  { key: 'percent_hidden_explained', title: 'MLP FVE', tex: 'MLP FVE', kind: 'percent' },
  { key: 'percent_hidden_xy_explained', title: 'MLP ρ(ab) FVE', tex: 'MLP $\\rho(ab)$ FVE', kind: 'percent' },
];

function metricColumns(arch: string, withLogit: boolean): Column[] {
  return METRIC_COLUMNS.filter((m) => (!m.archs || m.archs.includes(arch)) && (withLogit || m.key !== 'percent_logits_explained')).map((m) => ({
    key: m.key,
    title: m.title,
    tex: m.tex,
    kind: m.kind,
  }));
}

const GROUP_COL: Column = { key: 'group', title: 'Group', kind: 'text' };
const ARCH_COL: Column = { key: 'arch', title: 'Arch', kind: 'text' };
const RUNS_COL: Column = { key: 'runs', title: 'Runs', kind: 'int' };
const GROK_COL: Column = { key: 'grok_epoch', title: 'Grok Epoch', kind: 'int' };

function metric(r: RunRecord, key: string): number | null {
  const v = r.summary[key];
  return typeof v === 'number' && !Number.isNaN(v) ? v : null;
}

function grokCell(r: RunRecord): Cell {
  if (r.grokEpoch === undefined) return null;
  return r.grokEpoch === null ? 'never' : r.grokEpoch;
}

function grokked(r: RunRecord): boolean {
  return (metric(r, 'test_acc') ?? 0) > GROK_ACC;
}

function mean(xs: (number | null)[]): number | null {
  const v = xs.filter((x): x is number => x !== null);
  return v.length === 0 ? null : v.reduce((a, b) => a + b, 0) / v.length;
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * The runs of the per-seed tables: for each group × architecture, the runs of its plain cell
 * (`<group>_<arch>_seed<s>`, no width or other variant) when there is one, else of its only cell (so a sweep
 * of one variant, such as the tiny preset's hidden width 64, still gets the tables). Width sweeps and other
 * variants next to a plain cell appear in `cells` only, as in the original's tables.py.
 */
export function mainRuns(runs: RunRecord[]): RunRecord[] {
  const plainName = (r: RunRecord) => `${r.group.replace(/[^A-Za-z0-9_.-]+/g, '_')}_${r.arch}`;
  const cellsOf = new Map<string, Set<string>>();
  for (const r of runs) {
    const k = `${r.group}\u0000${r.arch}`;
    if (!cellsOf.has(k)) cellsOf.set(k, new Set());
    cellsOf.get(k)!.add(r.cell);
  }
  return runs.filter((r) => {
    const cells = cellsOf.get(`${r.group}\u0000${r.arch}`)!;
    return cells.has(plainName(r)) ? r.cell === plainName(r) : cells.size === 1;
  });
}

/** Groups in the paper's order (cyclic, dihedral, symmetric, alternating, then the rest), by order within. */
function groupOrder(a: string, b: string): number {
  const fam = (g: string) => {
    const i = 'CDSA'.indexOf(g[0]!);
    return /^[CDSA]\d+$/.test(g) ? i : 4;
  };
  return fam(a) - fam(b) || a.localeCompare(b, 'en', { numeric: true });
}

function byGroupSeed(a: RunRecord, b: RunRecord): number {
  return groupOrder(a.group, b.group) || a.seed - b.seed;
}

function groupsOf(runs: RunRecord[]): string[] {
  return [...new Set(runs.map((r) => r.group))].sort(groupOrder);
}

function perSeedTable(arch: string, runs: RunRecord[]): Table {
  return {
    id: `${ARCH_FILE[arch] ?? arch.toLowerCase()}_all`,
    title: `${ARCH_TITLE[arch] ?? arch}: per group and seed`,
    columns: [
      GROUP_COL,
      { key: 'seed', title: 'Seed', kind: 'int' },
      { key: 'key_irreps', title: 'Key Irreps', kind: 'text' },
      ...metricColumns(arch, true),
      GROK_COL,
    ],
    rows: [...runs].sort(byGroupSeed).map((r) => {
      const row: Record<string, Cell> = {
        group: r.group,
        seed: r.seed,
        key_irreps: r.keyReps === null ? null : r.keyReps.length === 0 ? 'none' : r.keyReps.join(', '),
        grok_epoch: grokCell(r),
      };
      for (const c of METRIC_COLUMNS) row[c.key] = metric(r, c.key);
      return row;
    }),
  };
}

function averageTable(arch: string, runs: RunRecord[]): Table {
  return {
    id: `${ARCH_FILE[arch] ?? arch.toLowerCase()}_avg`,
    title: `${ARCH_TITLE[arch] ?? arch}: means over seeds per group`,
    columns: [
      GROUP_COL,
      RUNS_COL,
      { key: 'grokked', title: 'Grokked', kind: 'text' },
      ...metricColumns(arch, false),
      { ...GROK_COL, title: 'Mean Grok Epoch' },
    ],
    rows: groupsOf(runs).map((g) => {
      const rs = runs.filter((r) => r.group === g);
      const row: Record<string, Cell> = { group: g, runs: rs.length, grokked: `${rs.filter(grokked).length}/${rs.length}` };
      for (const c of METRIC_COLUMNS) row[c.key] = mean(rs.map((r) => metric(r, c.key)));
      const epochs = rs.map((r) => r.grokEpoch);
      row.grok_epoch = epochs.every((e) => e === undefined)
        ? null
        : epochs.some((e) => typeof e === 'number')
          ? mean(epochs.map((e) => (typeof e === 'number' ? e : null)))
          : 'never';
      return row;
    }),
  };
}

function keyIrrepTables(cells: { group: string; arch: string; runs: RunRecord[] }[]): Table[] {
  const freq: Table = {
    id: 'key_irreps',
    title: 'Key irreps across seeds: how many runs have each as a key irrep, and learn it first',
    columns: [
      GROUP_COL,
      ARCH_COL,
      RUNS_COL,
      { key: 'irrep', title: 'Irrep', kind: 'text' },
      { key: 'key_in', title: 'Key In', kind: 'int' },
      { key: 'first', title: 'Learned First', kind: 'int' },
    ],
    rows: [],
  };
  const counts: Table = {
    id: 'key_irrep_counts',
    title: 'Number of key irreps across seeds',
    columns: [GROUP_COL, ARCH_COL, RUNS_COL, { key: 'k', title: 'Key Irreps', kind: 'int' }, { key: 'n', title: 'Runs With k', kind: 'int' }],
    rows: [],
  };
  for (const { group, arch, runs } of cells) {
    const known = runs.filter((r) => r.keyReps !== null);
    if (known.length === 0) {
      freq.rows.push({ group, arch, runs: runs.length, irrep: null, key_in: null, first: null });
      counts.rows.push({ group, arch, runs: runs.length, k: null, n: null });
      continue;
    }
    const keyIn = new Map<string, number>();
    const first = new Map<string, number>();
    const byK = new Map<number, number>();
    for (const r of known) {
      for (const k of r.keyReps!) keyIn.set(k, (keyIn.get(k) ?? 0) + 1);
      if (r.keyReps!.length > 0) first.set(r.keyReps![0]!, (first.get(r.keyReps![0]!) ?? 0) + 1);
      byK.set(r.keyReps!.length, (byK.get(r.keyReps!.length) ?? 0) + 1);
    }
    const irreps = [...keyIn.keys()].sort((a, b) => keyIn.get(b)! - keyIn.get(a)! || a.localeCompare(b, 'en', { numeric: true }));
    for (const i of irreps) freq.rows.push({ group, arch, runs: known.length, irrep: i, key_in: keyIn.get(i)!, first: first.get(i) ?? 0 });
    for (const k of [...byK.keys()].sort((a, b) => a - b)) counts.rows.push({ group, arch, runs: known.length, k, n: byK.get(k)! });
  }
  return [freq, counts];
}

function cellsTable(runs: RunRecord[]): Table {
  const cells = [...new Set(runs.map((r) => r.cell))];
  const first = (c: string) => runs.find((r) => r.cell === c)!;
  cells.sort(
    (a, b) =>
      groupOrder(first(a).group, first(b).group) ||
      ARCH_ORDER.indexOf(first(a).arch) - ARCH_ORDER.indexOf(first(b).arch) ||
      a.localeCompare(b, 'en', { numeric: true }),
  );
  return {
    id: 'cells',
    title: 'Every set of runs that differ only by seed (the width sweep among them)',
    columns: [
      { key: 'cell', title: 'Runs Of', kind: 'text' },
      GROUP_COL,
      ARCH_COL,
      { key: 'hidden', title: 'Hidden', kind: 'int' },
      { key: 'epochs', title: 'Epochs', kind: 'int' },
      { key: 'seeds', title: 'Seeds', kind: 'text' },
      { key: 'grokked', title: 'Grokked', kind: 'text' },
      { key: 'test_loss', title: 'Mean Test Loss', kind: 'sci' },
      { key: 'grok_epoch', title: 'Median Grok Epoch', kind: 'int' },
    ],
    rows: cells.map((c) => {
      const rs = runs.filter((r) => r.cell === c).sort((a, b) => a.seed - b.seed);
      const r0 = rs[0]!;
      const epochs = rs.map((r) => r.grokEpoch).filter((e): e is number => typeof e === 'number');
      return {
        cell: c,
        group: r0.group,
        arch: r0.arch,
        hidden: r0.arch === 'T' ? null : r0.hidden_dim,
        epochs: new Set(rs.map((r) => r.num_epochs)).size === 1 ? r0.num_epochs : null,
        seeds: seedList(rs.map((r) => r.seed)),
        grokked: `${rs.filter(grokked).length}/${rs.length}`,
        test_loss: mean(rs.map((r) => metric(r, 'test_loss'))),
        grok_epoch: rs.every((r) => r.grokEpoch === undefined) ? null : epochs.length === 0 ? 'never' : median(epochs),
      };
    }),
  };
}

/** 1,2,3,4,7 -> "1-4, 7". */
export function seedList(seeds: number[]): string {
  const s = [...new Set(seeds)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < s.length;) {
    let j = i;
    while (j + 1 < s.length && s[j + 1] === s[j]! + 1) j++;
    parts.push(j === i ? String(s[i]) : `${s[i]}-${s[j]}`);
    i = j + 1;
  }
  return parts.join(', ');
}

export function buildReport(runs: RunRecord[]): Table[] {
  const tables: Table[] = [];
  const plain = mainRuns(runs);
  const archs = ARCH_ORDER.filter((a) => plain.some((r) => r.arch === a));
  for (const a of archs)
    tables.push(
      perSeedTable(
        a,
        plain.filter((r) => r.arch === a),
      ),
    );
  for (const a of archs)
    tables.push(
      averageTable(
        a,
        plain.filter((r) => r.arch === a),
      ),
    );
  const cells = archs.flatMap((arch) =>
    groupsOf(plain.filter((r) => r.arch === arch)).map((group) => ({ group, arch, runs: plain.filter((r) => r.arch === arch && r.group === group) })),
  );
  if (cells.length > 0) tables.push(...keyIrrepTables(cells));
  if (runs.length > 0) tables.push(cellsTable(runs));
  return tables;
}
