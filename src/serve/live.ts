/**
 * Live updates of one run over Server-Sent Events: on connect the whole log.csv and metrics.csv tables and
 * the run's status; then every `pollMs` the files' size and mtime are checked and only what changed is sent:
 * the new rows (`from` = the index of the first), or the whole table again (`reset`) when a file was
 * rewritten with fewer rows or other columns (a resumed run), and the status when it changes. Node only.
 */
import { statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { FILES } from '../runs/run-folder.js';
import type { TableEvent } from './api-types.js';
import { readCsvTable } from './csv-rows.js';
import { runInfo } from './run-index.js';

const HEARTBEAT_MS = 15000;

function send(res: ServerResponse, event: string, data: unknown): void {
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

/** Streams the run folder `dir` (id `id`) to `res` until the client goes away. */
export function streamRun(res: ServerResponse, dir: string, id: string, pollMs: number): void {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.write('retry: 2000\n\n');
  const files = { log: join(dir, FILES.log), metrics: join(dir, FILES.metrics) } as const;
  const sent = { log: { stamp: '', rows: 0, columns: '' }, metrics: { stamp: '', rows: 0, columns: '' } };
  let status = '';
  let lastWrite = Date.now();

  const stamp = (p: string) => {
    try {
      const st = statSync(p);
      return `${st.size}:${st.mtimeMs}:${st.ino}`;
    } catch {
      return 'none';
    }
  };

  const tick = () => {
    for (const file of ['log', 'metrics'] as const) {
      const s = stamp(files[file]);
      const prev = sent[file];
      if (s === prev.stamp) continue;
      const t = readCsvTable(files[file]);
      prev.stamp = s;
      const cols = t.columns.join(',');
      if (cols !== prev.columns || t.rows.length < prev.rows) {
        send(res, 'table', { file, reset: true, from: 0, columns: t.columns, rows: t.rows } satisfies TableEvent);
      } else if (t.rows.length > prev.rows) {
        send(res, 'table', { file, reset: false, from: prev.rows, columns: t.columns, rows: t.rows.slice(prev.rows) } satisfies TableEvent);
      } else continue;
      prev.columns = cols;
      prev.rows = t.rows.length;
      lastWrite = Date.now();
    }
    const info = runInfo(dir, id);
    const js = JSON.stringify(info);
    if (js !== status) {
      status = js;
      send(res, 'status', info);
      lastWrite = Date.now();
    }
    if (Date.now() - lastWrite > HEARTBEAT_MS) {
      res.write(': keep-alive\n\n');
      lastWrite = Date.now();
    }
  };
  // a file vanishing or being replaced between stat and read must not take the server down
  const safeTick = () => {
    try {
      tick();
    } catch (e) {
      send(res, 'problem', { error: (e as Error).message });
    }
  };
  safeTick();
  const timer = setInterval(safeTick, pollMs);
  const stop = () => clearInterval(timer);
  res.on('close', stop);
  res.on('error', stop);
}
