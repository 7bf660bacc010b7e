/** Run folders read in the browser (static build): log.csv, metrics.csv, cfg.json, summary and analysis files. */
import type { CsvTable, RunInfo } from '../../src/serve/api-types.js';

export interface LocalRun {
  id: string;
  log: CsvTable;
  metrics: CsvTable;
  cfg: Record<string, unknown> | null;
  summary: Record<string, number> | null;
  analysisJson: unknown;
  analysisMd: string | null;
  hasModel: boolean;
  /** model.safetensors and split.json as picked (read only when the model heatmaps are asked for). */
  modelFile: File | null;
  splitFile: File | null;
  keyReps: string[] | null;
  keyRepsInOrder: string[] | null;
}

/** CSV text (complete lines) as a table; an unnamed first column (pandas' index) is dropped. */
export function parseCsv(text: string): CsvTable {
  const lines = text.split('\n').filter((l) => l.trim().length > 0);
  if (lines.length === 0) return { columns: [], rows: [] };
  const header = lines[0]!.split(',');
  const skip = header[0] === '' ? 1 : 0;
  const columns = header.slice(skip);
  const rows = lines.slice(1).map((l) => {
    const cells = l.split(',');
    return columns.map((_, i) => {
      const v = Number(cells[i + skip]);
      return Number.isFinite(v) ? v : null;
    });
  });
  const e = columns.indexOf('epoch');
  if (e >= 0) rows.sort((a, b) => (a[e] ?? 0) - (b[e] ?? 0));
  return { columns, rows };
}

function col(t: CsvTable, name: string): number | null {
  const i = t.columns.indexOf(name);
  const r = t.rows[t.rows.length - 1];
  return i < 0 || !r ? null : r[i]!;
}

export function grokEpoch(t: CsvTable): number | null {
  const e = t.columns.indexOf('epoch');
  const a = t.columns.indexOf('test_acc');
  if (e < 0 || a < 0) return null;
  for (const r of t.rows) if (r[a] !== null && r[a]! > 0.99) return r[e]!;
  return null;
}

/** cfg.json's model names (the original's classes) -> ours. */
export const MODEL_NAMES: Record<string, string> = { OneLayerMLP: 'mlp', Transformer: 'transformer', BilinearNet: 'bilinear' };

export function localRunInfo(r: LocalRun): RunInfo {
  const t = r.log.rows.length ? r.log : r.metrics;
  const s = (k: string) => (typeof r.cfg?.[k] === 'string' ? (r.cfg[k] as string) : null);
  const n = (k: string) => (typeof r.cfg?.[k] === 'number' ? (r.cfg[k] as number) : null);
  const model = s('model');
  return {
    id: r.id,
    name: r.id.split('/').pop() ?? r.id,
    status: r.hasModel && r.summary ? 'done' : 'failed',
    group: s('group_name') ?? s('group'),
    model: model === null ? null : (MODEL_NAMES[model] ?? model),
    seed: n('seed'),
    preset: s('preset'),
    epochs: n('num_epochs'),
    lastEpoch: col(t, 'epoch'),
    trainAcc: col(t, 'train_acc'),
    testAcc: col(t, 'test_acc'),
    trainLoss: col(t, 'train_loss'),
    testLoss: col(t, 'test_loss'),
    grokEpoch: grokEpoch(t),
    updated: null,
    hasModel: r.hasModel,
    hasMetrics: r.metrics.rows.length > 0,
    hasAnalysis: r.analysisJson !== null || r.analysisMd !== null,
  };
}

const lines = (t: string | null) =>
  t === null
    ? null
    : t
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l);

/** Groups files by their folder (webkitRelativePath, else one folder "dropped") into runs. */
export async function readLocalRuns(files: readonly File[]): Promise<LocalRun[]> {
  const byDir = new Map<string, Map<string, File>>();
  for (const f of files) {
    const rel = (f as File & { webkitRelativePath?: string }).webkitRelativePath || f.name;
    const parts = rel.split('/');
    const name = parts.pop()!;
    const dir = parts.join('/') || 'dropped';
    if (!byDir.has(dir)) byDir.set(dir, new Map());
    byDir.get(dir)!.set(name, f);
  }
  const out: LocalRun[] = [];
  for (const [dir, m] of byDir) {
    if (!m.has('log.csv') && !m.has('metrics.csv')) continue;
    const text = async (n: string) => (m.has(n) ? await m.get(n)!.text() : null);
    const json = async (n: string) => {
      const t = await text(n);
      try {
        return t === null ? null : (JSON.parse(t) as never);
      } catch {
        return null;
      }
    };
    out.push({
      id: dir,
      log: parseCsv((await text('log.csv')) ?? ''),
      metrics: parseCsv((await text('metrics.csv')) ?? ''),
      cfg: await json('cfg.json'),
      summary: await json('summary_metrics.json'),
      analysisJson: await json('analysis.json'),
      analysisMd: await text('analysis.md'),
      hasModel: m.has('model.safetensors'),
      modelFile: m.get('model.safetensors') ?? null,
      splitFile: m.get('split.json') ?? null,
      keyReps: lines(await text('key_reps.txt')),
      keyRepsInOrder: lines(await text('key_reps_in_order.txt')),
    });
  }
  return out;
}
