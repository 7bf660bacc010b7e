/**
 * Where the UI's data comes from. With `grokgroups serve`: the JSON API (relative URLs, so the dashboard
 * works under any path prefix) and Server-Sent Events for live runs. In the static build (no server):
 * run folders the user picks or drops, read in the browser (no live updates; the heatmaps of the final model
 * only, built in the page).
 */
import type { AnalysisFiles, CsvTable, ModelJson, RunDetail, RunInfo, TableEvent } from '../../src/serve/api-types.js';
import { localModelJson, localModelMissing } from './local-model.js';
import { localRunInfo, type LocalRun } from './local-runs.js';

export interface Source {
  mode: 'server' | 'static';
  listRuns(): Promise<RunInfo[]>;
  run(id: string): Promise<RunDetail>;
  table(id: string, file: 'log' | 'metrics'): Promise<CsvTable>;
  analysis(id: string): Promise<AnalysisFiles>;
  /** The model heatmaps' data: of the final model, or of the checkpoint of `epoch`. */
  model(id: string, c?: number, epoch?: number): Promise<ModelJson>;
  /** Live tables and status of a run; returns a function that stops watching. */
  watch(id: string, onTable: (e: TableEvent) => void, onStatus: (info: RunInfo) => void): () => void;
}

async function getJson<T>(url: string): Promise<T> {
  const r = await fetch(url, { cache: 'no-store' });
  const text = await r.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`${url}: HTTP ${r.status}, not JSON`);
  }
  if (!r.ok) throw new Error((body as { error?: string }).error ?? `HTTP ${r.status}`);
  return body as T;
}

const q = (id: string, extra = '') => `?id=${encodeURIComponent(id)}${extra}`;

export class ServerSource implements Source {
  readonly mode = 'server' as const;
  async listRuns(): Promise<RunInfo[]> {
    return (await getJson<{ runs: RunInfo[] }>('api/runs')).runs;
  }
  run(id: string): Promise<RunDetail> {
    return getJson(`api/run${q(id)}`);
  }
  table(id: string, file: 'log' | 'metrics'): Promise<CsvTable> {
    return getJson(`api/run/${file}${q(id)}`);
  }
  analysis(id: string): Promise<AnalysisFiles> {
    return getJson(`api/run/analysis${q(id)}`);
  }
  model(id: string, c?: number, epoch?: number): Promise<ModelJson> {
    return getJson(`api/run/model${q(id, (c === undefined ? '' : `&c=${c}`) + (epoch === undefined ? '' : `&epoch=${epoch}`))}`);
  }
  watch(id: string, onTable: (e: TableEvent) => void, onStatus: (info: RunInfo) => void): () => void {
    const es = new EventSource(`api/run/events${q(id)}`);
    es.addEventListener('table', (e) => onTable(JSON.parse((e as MessageEvent<string>).data) as TableEvent));
    es.addEventListener('status', (e) => onStatus(JSON.parse((e as MessageEvent<string>).data) as RunInfo));
    return () => es.close();
  }
}

/** Run folders read in the browser from picked or dropped files. */
export class StaticSource implements Source {
  readonly mode = 'static' as const;
  readonly runs = new Map<string, LocalRun>();
  private get(id: string): LocalRun {
    const r = this.runs.get(id);
    if (!r) throw new Error(`no run "${id}" loaded: pick its folder on the Runs page`);
    return r;
  }
  async listRuns(): Promise<RunInfo[]> {
    return [...this.runs.values()].map(localRunInfo);
  }
  async run(id: string): Promise<RunDetail> {
    const r = this.get(id);
    return {
      ...localRunInfo(r),
      cfg: r.cfg,
      summary: r.summary,
      modelMissing: localModelMissing(r),
      checkpoints: [],
      keyReps: r.keyReps,
      keyRepsInOrder: r.keyRepsInOrder,
    };
  }
  async table(id: string, file: 'log' | 'metrics'): Promise<CsvTable> {
    return this.get(id)[file];
  }
  async analysis(id: string): Promise<AnalysisFiles> {
    const r = this.get(id);
    return { json: r.analysisJson, markdown: r.analysisMd };
  }
  async model(id: string, c?: number, epoch?: number): Promise<ModelJson> {
    if (epoch !== undefined) throw new Error('the static build draws the final model only (checkpoints need `grokgroups serve`)');
    return localModelJson(this.get(id), c);
  }
  watch(id: string, onTable: (e: TableEvent) => void, onStatus: (info: RunInfo) => void): () => void {
    const r = this.get(id);
    queueMicrotask(() => {
      for (const file of ['log', 'metrics'] as const) onTable({ file, reset: true, from: 0, columns: r[file].columns, rows: r[file].rows });
      onStatus(localRunInfo(r));
    });
    return () => {};
  }
}

/** The server's API if it answers, else the static source. */
export async function detectSource(): Promise<Source> {
  try {
    const r = await fetch('api/runs', { cache: 'no-store' });
    if (r.ok && (r.headers.get('content-type') ?? '').includes('application/json')) return new ServerSource();
  } catch {
    // no server (file:// or a static host)
  }
  return new StaticSource();
}
