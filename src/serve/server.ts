/**
 * The dashboard's HTTP server (docs/dashboard.md): the web UI (the esbuild bundle in dist-web/), a
 * read-only JSON API over the run folders under one root, raw files under that root, and live updates
 * by Server-Sent Events. Only GET and HEAD; nothing is ever written and no command is run. Node only.
 */
import { createReadStream, existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import { conjugacyClasses } from '../groups/classes.js';
import { parseGroup } from '../groups/parse.js';
import { irrepsJsonChunks } from '../reps/irreps-json.js';
import { MAX_MODEL_ORDER } from '../figures/model-figures.js';
import { modelMissing } from '../figures/node/read-model.js';
import { irreps } from '../reps/irreps.js';
import { packageRoot } from '../runs/package-root.js';
import { checkpointEpochsOnDisk } from '../runs/eval-run.js';
import { checkpointFile, FILES } from '../runs/run-folder.js';
import { ElementIndexError, ModelTooLargeError, UsageError } from '../util/errors.js';
import { readCsvTable } from './csv-rows.js';
import { streamRun } from './live.js';
import { modelJson } from './model-data.js';
import { findRuns, isRunFolder, runInfo } from './run-index.js';
import { pathSegments, resolveInside, runIdSegments } from './safe-path.js';

export interface ServeOptions {
  /** The runs folder (must exist). */
  root: string;
  port: number;
  host: string;
  /** How often live streams look at the files (ms, default 1000). */
  pollMs?: number;
  /** The built web UI (default: <package>/dist-web). */
  webDir?: string;
}

export interface RunningServer {
  server: Server;
  /** e.g. http://127.0.0.1:8080/ */
  url: string;
  close(): Promise<void>;
}

/** Largest group the group API lists irreps of (irreps of bigger groups take long to build). */
export const MAX_GROUP_API_ORDER = 5040;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.pdf': 'application/pdf',
  '.wasm': 'application/wasm',
  '.safetensors': 'application/octet-stream',
};

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function sendJson(res: ServerResponse, status: number, value: unknown, head = false): void {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(head ? undefined : body);
}

function sendFile(res: ServerResponse, path: string, head: boolean, extra: Record<string, string> = {}): void {
  const st = statSync(path);
  if (!st.isFile()) throw new HttpError(404, 'not a file');
  res.writeHead(200, {
    'Content-Type': TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': st.size,
    'Cache-Control': 'no-cache',
    ...extra,
  });
  if (head) res.end();
  else createReadStream(path).pipe(res);
}

/** Loopback hosts: when bound to one, requests must name it (a DNS-rebinding page cannot). */
const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/i;

/** What a request handler needs besides the request: the resolved runs folder and the options. */
interface ServerContext {
  opts: ServeOptions;
  realRoot: string;
  webDir: string;
  pollMs: number;
}

/** An API route: answers `res` for the query `q` (HEAD: headers only). */
type Route = (ctx: ServerContext, res: ServerResponse, q: URLSearchParams, head: boolean) => void;

/** The run folder of `?id=` (an id from /api/runs), checked to be a run inside the runs folder. */
function runDir(ctx: ServerContext, q: URLSearchParams): { dir: string; id: string } {
  const id = q.get('id');
  if (id === null || id === '') throw new HttpError(400, 'missing ?id=<run id> (an id from /api/runs)');
  const segs = runIdSegments(id);
  if (segs === 'forbidden') throw new HttpError(403, `run id "${id}" leaves the runs folder`);
  const dir = resolveInside(ctx.realRoot, segs);
  if (dir === 'forbidden') throw new HttpError(403, `run id "${id}" leaves the runs folder`);
  if (dir === 'missing' || !statSync(dir).isDirectory() || !isRunFolder(dir)) throw new HttpError(404, `no run "${id}"`);
  return { dir, id };
}

function readJsonOrNull(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch {
    return null;
  }
}

function readListOrNull(path: string): string[] | null {
  return existsSync(path)
    ? readFileSync(path, 'utf8')
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l)
    : null;
}

const runsRoute: Route = (ctx, res, _q, head) => {
  const runs = findRuns(ctx.realRoot).flatMap((id) => {
    const dir = resolveInside(ctx.realRoot, id === '.' ? [] : id.split('/'));
    return typeof dir === 'string' && dir !== 'missing' && dir !== 'forbidden' ? [runInfo(dir, id)] : [];
  });
  sendJson(res, 200, { root: ctx.opts.root, runs }, head);
};

const runRoute: Route = (ctx, res, q, head) => {
  const { dir, id } = runDir(ctx, q);
  sendJson(
    res,
    200,
    {
      ...runInfo(dir, id),
      cfg: readJsonOrNull(join(dir, FILES.cfg)),
      summary: readJsonOrNull(join(dir, FILES.summary)),
      modelMissing: modelMissing(dir) ?? null,
      checkpoints: checkpointEpochsOnDisk(dir),
      keyReps: readListOrNull(join(dir, 'key_reps.txt')),
      keyRepsInOrder: readListOrNull(join(dir, 'key_reps_in_order.txt')),
    },
    head,
  );
};

const csvRoute =
  (file: string): Route =>
  (ctx, res, q, head) =>
    sendJson(res, 200, readCsvTable(join(runDir(ctx, q).dir, file)), head);

const analysisRoute: Route = (ctx, res, q, head) => {
  const { dir } = runDir(ctx, q);
  const epoch = q.get('epoch');
  if (epoch !== null && !/^\d+$/.test(epoch)) throw new HttpError(400, `epoch "${epoch}" is not an integer ≥ 0`);
  const base = epoch === null ? 'analysis' : `analysis_epoch_${epoch}`;
  const markdown = existsSync(join(dir, `${base}.md`)) ? readFileSync(join(dir, `${base}.md`), 'utf8') : null;
  sendJson(res, 200, { json: existsSync(join(dir, `${base}.json`)) ? readJsonOrNull(join(dir, `${base}.json`)) : null, markdown }, head);
};

const modelRoute: Route = (ctx, res, q, head) => {
  const { dir } = runDir(ctx, q);
  const eText = q.get('epoch');
  const missing = eText === null ? modelMissing(dir) : [FILES.cfg, FILES.split].find((f) => !existsSync(join(dir, f)));
  if (missing) throw new HttpError(404, eText === null ? missing : `the run has no ${missing}`);
  const cText = q.get('c');
  if (cText !== null && !/^\d+$/.test(cText)) throw new HttpError(400, `c "${cText}" is not an element index`);
  if (eText !== null && !/^\d+$/.test(eText)) throw new HttpError(400, `epoch "${eText}" is not an integer ≥ 0`);
  if (eText !== null && !existsSync(join(dir, checkpointFile(Number(eText)))))
    throw new HttpError(404, `the run has no checkpoint of epoch ${eText}`);
  try {
    return sendJson(res, 200, modelJson(dir, cText === null ? undefined : Number(cText), eText === null ? undefined : Number(eText)), head);
  } catch (e) {
    if (e instanceof ModelTooLargeError) throw new HttpError(422, `${e.message} (model views are built up to order ${MAX_MODEL_ORDER})`);
    if (e instanceof ElementIndexError) throw new HttpError(422, e.message);
    throw e;
  }
};

const eventsRoute: Route = (ctx, res, q, head) => {
  const { dir, id } = runDir(ctx, q);
  if (head) return void res.writeHead(200, { 'Content-Type': 'text/event-stream' }).end();
  streamRun(res, dir, id, ctx.pollMs);
};

const groupRoute: Route = (_ctx, res, q, head) => {
  const name = q.get('name');
  if (name === null || name === '') throw new HttpError(400, 'missing ?name=<group> (e.g. S4, D7, C2xS3)');
  const G = parseGroup(name);
  if (G.order > MAX_GROUP_API_ORDER) throw new HttpError(422, `${G.name} has order ${G.order} > ${MAX_GROUP_API_ORDER}`);
  const matrices = q.get('matrices') === '1';
  const doc = JSON.parse([...irrepsJsonChunks(G, irreps(G), matrices)].join('')) as Record<string, unknown>;
  const { classes } = conjugacyClasses(G);
  sendJson(res, 200, { ...doc, classRepresentatives: classes.map((c) => G.labels[c[0]!]) }, head);
};

/** The JSON API (docs/dashboard.md), by path under /api/. */
const ROUTES: Record<string, Route> = {
  runs: runsRoute,
  run: runRoute,
  'run/log': csvRoute(FILES.log),
  'run/metrics': csvRoute(FILES.metrics),
  'run/analysis': analysisRoute,
  'run/model': modelRoute,
  'run/events': eventsRoute,
  group: groupRoute,
};

/** /files/...: a file under the runs folder, as data (never a page). */
function serveRunFile(ctx: ServerContext, res: ServerResponse, segs: readonly string[], head: boolean): void {
  const p = resolveInside(ctx.realRoot, segs);
  if (p === 'forbidden') throw new HttpError(403, 'path leaves the runs folder');
  if (p === 'missing') throw new HttpError(404, 'no such file');
  // run folders are data, never pages: no scripts, no plugins, not framed
  sendFile(res, p, head, {
    'Content-Security-Policy': "default-src 'none'; img-src data:; style-src 'unsafe-inline'; sandbox",
    'X-Content-Type-Options': 'nosniff',
  });
}

/** Anything else: the built web UI. */
function serveWeb(ctx: ServerContext, res: ServerResponse, segs: readonly string[], head: boolean): void {
  const rel = segs.length === 0 ? ['index.html'] : segs;
  const p = resolveInside(ctx.webDir, rel);
  if (p === 'forbidden') throw new HttpError(403, 'path leaves the web folder');
  if (p === 'missing') {
    if (segs.length === 0) throw new HttpError(500, `the web UI is not built (${ctx.webDir}/index.html missing): run \`npm run build\``);
    throw new HttpError(404, 'not found');
  }
  sendFile(res, p, head);
}

/**
 * The headers every answer gets, and the refusals before routing: methods other than GET/HEAD, and (bound to a
 * loopback host) requests naming another host. Returns false when the request was answered here.
 */
function admit(req: IncomingMessage, res: ServerResponse, loopbackOnly: boolean): boolean {
  // cross-origin isolated pages may share WebAssembly memory between workers (in-browser training's
  // kernel threads); everything the dashboard loads is same-origin, so this costs nothing
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  const method = req.method ?? 'GET';
  if (method !== 'GET' && method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }).end('read-only: GET and HEAD only\n');
    return false;
  }
  if (loopbackOnly && !LOOPBACK.test(req.headers.host ?? '')) {
    res.writeHead(403, { 'Content-Type': 'text/plain' }).end('forbidden host\n');
    return false;
  }
  return true;
}

/** An error as the JSON answer: HttpError with its status, UsageError 400, anything else 500. */
function sendError(res: ServerResponse, e: unknown, head: boolean): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (e instanceof HttpError) return sendJson(res, e.status, { error: e.message }, head);
  if (e instanceof UsageError) return sendJson(res, 400, { error: e.message }, head);
  sendJson(res, 500, { error: (e as Error).message }, head);
}

export function createDashboardServer(opts: ServeOptions): Server {
  const ctx: ServerContext = {
    opts,
    realRoot: realpathSync(opts.root),
    webDir: opts.webDir ?? join(packageRoot(), 'dist-web'),
    pollMs: opts.pollMs ?? 1000,
  };
  const loopbackOnly = /^(127\.|localhost$|::1$)/.test(opts.host);
  return createServer((req, res) => {
    if (!admit(req, res, loopbackOnly)) return;
    const head = req.method === 'HEAD';
    const raw = req.url ?? '/';
    const qi = raw.indexOf('?');
    const q = new URLSearchParams(qi < 0 ? '' : raw.slice(qi + 1));
    const segs = pathSegments(qi < 0 ? raw : raw.slice(0, qi));
    try {
      if (segs === 'forbidden') throw new HttpError(403, 'path leaves the served folder');
      if (segs[0] === 'api') {
        const route = segs.slice(1).join('/');
        const handler = Object.hasOwn(ROUTES, route) ? ROUTES[route] : undefined;
        if (!handler) throw new HttpError(404, `no API route "${route}"`);
        return handler(ctx, res, q, head);
      }
      if (segs[0] === 'files') return serveRunFile(ctx, res, segs.slice(1), head);
      return serveWeb(ctx, res, segs, head);
    } catch (e) {
      sendError(res, e, head);
    }
  });
}

/** Starts the server; resolves once it listens (port 0: any free port, see `url`). */
export async function startDashboard(opts: ServeOptions): Promise<RunningServer> {
  const server = createDashboardServer(opts);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    server,
    url: `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${addr.port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
