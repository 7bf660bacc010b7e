/**
 * A run's CSV files (log.csv, metrics.csv) as compact JSON tables: column names once, then one array of
 * numbers per row (NaN and infinities as null, which JSON cannot hold). A trailing line without its
 * newline (a writer caught mid-append) is left out until it is complete. Node only.
 */
import { readFileSync, statSync } from 'node:fs';
import { parseNumberCsv } from '../runs/run-folder.js';

import type { CsvTable } from './api-types.js';

export type { CsvTable };

/** The complete lines of a CSV text, parsed; rows sorted by epoch when there is an epoch column. */
export function parseCsvTable(text: string): CsvTable {
  const end = text.lastIndexOf('\n');
  const complete = end < 0 ? '' : text.slice(0, end + 1);
  const parsed = parseNumberCsv(complete);
  if (parsed.length === 0) {
    const header = complete.split('\n')[0] ?? '';
    const cols = header.split(',');
    return { columns: header === '' ? [] : cols[0] === '' ? cols.slice(1) : cols, rows: [] };
  }
  const columns = Object.keys(parsed[0]!);
  if (columns.includes('epoch')) parsed.sort((a, b) => a.epoch! - b.epoch!);
  return { columns, rows: parsed.map((r) => columns.map((c) => (Number.isFinite(r[c]) ? r[c]! : null))) };
}

interface Cached {
  size: number;
  mtimeMs: number;
  table: CsvTable;
}
const cache = new Map<string, Cached>();

/** The file's table (empty when it does not exist), re-read only when its size or mtime changed. */
export function readCsvTable(path: string): CsvTable {
  let st;
  try {
    st = statSync(path);
  } catch {
    cache.delete(path);
    return { columns: [], rows: [] };
  }
  const c = cache.get(path);
  if (c && c.size === st.size && c.mtimeMs === st.mtimeMs) return c.table;
  const table = parseCsvTable(readFileSync(path, 'utf8'));
  cache.set(path, { size: st.size, mtimeMs: st.mtimeMs, table });
  if (cache.size > 2000) cache.delete(cache.keys().next().value!);
  return table;
}

/** The first epoch whose test accuracy is above `threshold` (the grokking epoch), or null. */
export function grokEpoch(t: CsvTable, threshold = 0.99): number | null {
  const e = t.columns.indexOf('epoch');
  const a = t.columns.indexOf('test_acc');
  if (e < 0 || a < 0) return null;
  for (const r of t.rows) if (r[a] !== null && r[a]! > threshold) return r[e]!;
  return null;
}
