/**
 * `grokgroups report DIR`: the paper's universality tables (src/sweeps/report.ts) from the finished run folders
 * under DIR (a sweep's --out): written as CSV, Markdown and LaTeX into DIR/report/ (or --save D), and printed
 * on stdout in one format. Unfinished runs are left out and named on stderr.
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { acrossRunFigures, type FigureSet } from '../../figures/figure-set.js';
import { readRun } from '../../figures/node/read-run.js';
import { writeFigureSet } from '../../figures/node/run-figure-set.js';
import type { RunData } from '../../figures/run-data.js';
import { HELP_OPTION, parseOrHelp, type CommandSpec } from '../options.js';
import { buildReport } from '../../sweeps/report.js';
import { readSweepRecords, type RunRecord } from '../../sweeps/run-record.js';
import { parseSeeds } from '../../sweeps/spec.js';
import { texGroup, texEscape, toCsv, toLatex, toMarkdown, type Table } from '../../sweeps/table.js';
import { UsageError } from '../../util/errors.js';

const FORMATS = ['md', 'csv', 'latex'] as const;
type Format = (typeof FORMATS)[number];

const SPEC: CommandSpec = {
  name: 'report',
  usage: ['DIR [--format md|csv|latex] [--seeds A-B] [--save D | --no-save] [--no-figures]'],
  description: [
    "The paper's universality tables from the finished runs under DIR (e.g. a sweep's --out): per architecture",
    'and group, per seed (key irreps in learning order, test/excluded/restricted loss, logit, W_a, W_b, W_U, MLP and',
    'MLP ρ(ab) FVE, grokking epoch) and averaged; key-irrep frequencies and counts across seeds; every set of runs',
    'differing only by seed (the width sweep). A value a run lacks (e.g. FVE of a --measures basic run) is "n/a".',
    'Files: <table>.csv, <table>.md, <table>.tex for each table, and figures/<cell>_<figure>.svg: for each set of runs',
    'differing only by seed (e.g. S5_MLP), the median grokking curves, the mean logit similarity per irrep, and',
    'the key-irrep frequencies and counts (docs/figures.md). See docs/sweeps.md.',
  ].join('\n'),
  positionals: [{ name: 'DIR', help: "a folder holding run folders (a sweep's --out)" }],
  options: [
    { name: 'format', kind: 'choice', choices: FORMATS, help: 'what stdout shows; the files hold all three', default: 'md' },
    { name: 'seeds', kind: 'string', arg: 'A-B', help: "only runs with these seeds, e.g. 1-4 as the paper's tables", default: 'all' },
    { name: 'save', kind: 'string', arg: 'D', help: 'folder for the table files', default: 'DIR/report' },
    { name: 'no-save', kind: 'switch', help: 'print only, write no files' },
    { name: 'no-figures', kind: 'switch', help: 'write the tables only, not the figures across seeds' },
    HELP_OPTION,
  ],
};

function texCell(key: string, v: unknown, formatted: string): string {
  return key === 'group' && typeof v === 'string' ? texGroup(v) : texEscape(formatted);
}

function render(t: Table, f: Format): string {
  if (f === 'csv') return toCsv(t);
  if (f === 'latex') return toLatex(t, texCell);
  return toMarkdown(t);
}

/**
 * The figures across seeds of each cell (runs differing only by seed, e.g. S5_MLP), written as
 * `<cell>_<figure>.svg` into dir (the paper's S5_MLP_grokking_loss, ...). Returns how many were written.
 */
async function writeCellFigures(root: string, runs: readonly RunRecord[], dir: string): Promise<number> {
  const cells = new Map<string, RunData[]>();
  for (const r of runs) {
    let data: RunData;
    try {
      data = readRun(join(root, r.name));
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      continue; // a finished run without metrics.csv or log.csv rows: nothing to draw
    }
    cells.set(r.cell, [...(cells.get(r.cell) ?? []), data]);
  }
  let n = 0;
  for (const [cell, data] of cells) {
    const set = acrossRunFigures(data);
    const named: FigureSet = { figures: set.figures.map((f) => ({ ...f, name: `${cell}_${f.name}` })), skipped: [] };
    n += (await writeFigureSet(named, dir, ['svg'], cell, () => {})).length;
  }
  return n;
}

export async function run(args: string[]): Promise<number> {
  const p = parseOrHelp(SPEC, args);
  if (!p) return 0;
  const positional = p.positionals;
  if (positional.length !== 1)
    throw new UsageError(
      `report takes one folder DIR (a sweep's --out), got ${positional.length === 0 ? 'none' : positional.map((p) => `"${p}"`).join(' ')}`,
    );
  const dir = positional[0]!;
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new UsageError(`report "${dir}": not a folder; expected a sweep's --out folder holding run folders`);
  const format = (p.string('format') ?? 'md') as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`--format "${format}": expected one of ${FORMATS.join(', ')}`);
  if (p.switch('no-save') && p.has('save')) throw new UsageError('--save and --no-save cannot be combined');
  const seeds = p.has('seeds')
    ? new Set(parseSeeds(/^\d+$/.test(p.string('seeds')!) ? Number(p.string('seeds')) : p.string('seeds'), '--seeds'))
    : null;
  const rec = readSweepRecords(dir);
  const runs = seeds ? rec.runs.filter((r) => seeds.has(r.seed)) : rec.runs;
  if (rec.unfinished.length > 0)
    process.stderr.write(
      `report: ${rec.unfinished.length} unfinished run${rec.unfinished.length === 1 ? '' : 's'} left out: ${rec.unfinished.join(' ')}\n`,
    );
  if (runs.length === 0)
    throw new UsageError(`report "${dir}": no finished run folders (with summary_metrics.json)${seeds ? ' with those seeds' : ''} under it`);
  const tables = buildReport(runs);
  if (!p.switch('no-save')) {
    const out = p.string('save') ?? join(dir, 'report');
    mkdirSync(out, { recursive: true });
    for (const t of tables) {
      writeFileSync(join(out, `${t.id}.csv`), toCsv(t));
      writeFileSync(join(out, `${t.id}.md`), toMarkdown(t));
      writeFileSync(join(out, `${t.id}.tex`), toLatex(t, texCell));
    }
    process.stderr.write(`report: ${runs.length} runs, ${tables.length} tables written to ${out} (.csv, .md, .tex)\n`);
    if (!p.switch('no-figures')) {
      const figDir = join(out, 'figures');
      const n = await writeCellFigures(dir, runs, figDir);
      process.stderr.write(`report: ${n} figures across seeds written to ${figDir} (.svg)\n`);
    }
  }
  process.stdout.write(
    tables.map((t) => (format === 'md' ? render(t, format) : `${format === 'csv' ? '#' : '%'} ${t.id}\n${render(t, format)}`)).join('\n'),
  );
  return 0;
}
