import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { startDashboard, type RunningServer } from '../../src/serve/server.js';
import type { CsvTable, ModelJson, RunDetail, RunInfo, TableEvent } from '../../src/serve/api-types.js';
import { makeRunsFixture, SECRET, type RunsFixture } from './runs-fixture.js';

let fx: RunsFixture;
let srv: RunningServer;
let port: number;

before(async () => {
  fx = makeRunsFixture();
  srv = await startDashboard({ root: fx.runs, port: 0, host: '127.0.0.1', pollMs: 100 });
  port = Number(new URL(srv.url).port);
});
after(async () => {
  await srv.close();
  fx.cleanup();
});

/** A GET with the path sent exactly as given (no URL normalisation of `..`). */
function raw(path: string, method = 'GET', host = `127.0.0.1:${port}`): Promise<{ status: number; body: string; type: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, type: String(res.headers['content-type'] ?? '') }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function json<T>(path: string): Promise<T> {
  const r = await raw(path);
  assert.equal(r.status, 200, `${path}: ${r.body}`);
  assert.match(r.type, /application\/json/);
  return JSON.parse(r.body) as T;
}

/** The first epoch with test_acc > 0.99, read straight from the CSV text. */
function grokFromCsv(path: string): number | null {
  const [head, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  const cols = head!.split(',');
  for (const l of lines) {
    const cells = l.split(',');
    if (Number(cells[cols.indexOf('test_acc')]) > 0.99) return Number(cells[cols.indexOf('epoch')]);
  }
  return null;
}

test('api/runs lists every run folder (nested too) with status, group, model, seed and grokking epoch', async () => {
  const { runs } = await json<{ runs: RunInfo[] }>('/api/runs');
  const byId = new Map(runs.map((r) => [r.id, r]));
  assert.deepEqual([...byId.keys()].sort(), ['S4_MLP_seed0', 'S4_MLP_seed1', 'live/S4_live']);
  const done = byId.get('S4_MLP_seed0')!;
  assert.equal(done.status, 'done');
  assert.equal(done.group, 'S4');
  assert.equal(done.model, 'mlp');
  assert.equal(done.seed, 0);
  assert.equal(done.hasModel, true);
  assert.equal(done.hasAnalysis, true);
  const g0 = grokFromCsv(join(fx.runs, 'S4_MLP_seed0', 'log.csv'));
  assert.ok(g0 !== null && g0 > 0);
  assert.equal(done.grokEpoch, g0);
  const old = byId.get('S4_MLP_seed1')!;
  assert.equal(old.status, 'failed', 'no model and nothing written for an hour');
  assert.equal(old.grokEpoch, grokFromCsv(join(fx.runs, 'S4_MLP_seed1', 'log.csv')));
  assert.equal(old.hasModel, false);
  const live = byId.get('live/S4_live')!;
  assert.equal(live.status, 'running');
  assert.equal(live.grokEpoch, null, 'the first rows are before grokking');
  assert.equal(live.lastEpoch, 500);
});

test('api/run/log and api/run/metrics give the CSV rows as a table', async () => {
  const log = await json<CsvTable>('/api/run/log?id=S4_MLP_seed0');
  const text = readFileSync(join(fx.runs, 'S4_MLP_seed0', 'log.csv'), 'utf8')
    .trim()
    .split('\n');
  assert.deepEqual(log.columns, text[0]!.split(','));
  assert.equal(log.rows.length, text.length - 1);
  assert.deepEqual(log.rows[3], text[4]!.split(',').map(Number));
  const metrics = await json<CsvTable>('/api/run/metrics?id=S4_MLP_seed1');
  assert.equal(metrics.columns[0], 'epoch', 'the unnamed pandas index column is dropped');
  assert.ok(metrics.columns.includes('logit_sign_rep_trace_similarity'));
  const nested = await json<CsvTable>(`/api/run/log?id=${encodeURIComponent('live/S4_live')}`);
  assert.equal(nested.rows.length, 6);
  const d = await json<RunDetail>('/api/run?id=S4_MLP_seed0');
  assert.equal((d.cfg as { group_name?: string }).group_name, 'S4');
  assert.equal(d.modelMissing, null);
  assert.equal(typeof d.summary?.test_acc, 'number');
  assert.equal(d.keyReps, null, 'the tiny run has no key_reps.txt');
  const d1 = await json<RunDetail>('/api/run?id=S4_MLP_seed1');
  assert.deepEqual(
    d1.keyRepsInOrder,
    readFileSync(join(fx.runs, 'S4_MLP_seed1', 'key_reps_in_order.txt'), 'utf8')
      .trim()
      .split('\n'),
  );
  assert.deepEqual(
    d1.keyReps,
    readFileSync(join(fx.runs, 'S4_MLP_seed1', 'key_reps.txt'), 'utf8')
      .trim()
      .split('\n'),
  );
});

test('api/run/analysis returns analysis.md; api/run/model gives logit slices, neurons and change of basis', async () => {
  const a = await json<{ json: unknown; markdown: string | null }>('/api/run/analysis?id=S4_MLP_seed0');
  assert.equal(a.markdown, readFileSync(join(fx.runs, 'S4_MLP_seed0', 'analysis.md'), 'utf8'));
  assert.equal(a.json, null);
  const m = await json<ModelJson>('/api/run/model?id=S4_MLP_seed0');
  assert.equal(m.N, 24);
  assert.equal(m.labels.length, 24);
  assert.ok(m.keyReps.length > 0);
  assert.equal(m.logitSlices.length, 1 + m.keyReps.length);
  for (const s of m.logitSlices) {
    assert.equal(s.values.length, 24 * 24);
    assert.equal(Math.max(...s.values.map(Math.abs)), 1, 'each slice is scaled by its largest |value|');
  }
  const sign = m.neuronClusters.find((c) => c.irrep === 'sign');
  assert.ok(sign && sign.neurons.length > 0 && sign.shown.length > 0);
  assert.equal(sign.shown[0]!.values.length, 24 * 24);
  assert.ok(m.changeOfBasis.length > 0);
  for (const cb of m.changeOfBasis) assert.equal(cb.values.length, cb.rows * m.h);
  const other = await json<ModelJson>('/api/run/model?id=S4_MLP_seed0&c=5');
  assert.equal(other.c, 5);
  assert.notDeepEqual(other.logitSlices[0]!.values, m.logitSlices[0]!.values);
  assert.equal((await raw('/api/run/model?id=S4_MLP_seed1')).status, 404, 'a run without a model');
  assert.equal((await raw('/api/run/model?id=S4_MLP_seed0&c=99')).status, 422);
  assert.equal((await raw('/api/run/model?id=S4_MLP_seed0&c=x')).status, 400);
});

test('api/group gives the character table and irreps (docs/irreps-json.md); bad names are 400', async () => {
  const g = await json<{ group: string; order: number; classes: unknown[]; irreps: { name: string; dim: number; character: number[] }[] }>(
    '/api/group?name=S4',
  );
  assert.equal(g.group, 'S4');
  assert.equal(g.order, 24);
  assert.equal(g.classes.length, 5);
  assert.equal(g.irreps.length, 5);
  assert.equal(
    g.irreps.reduce((s, r) => s + r.dim * r.dim, 0),
    24,
    'Σ dim² = |G|',
  );
  const bad = await raw('/api/group?name=X9');
  assert.equal(bad.status, 400);
  assert.match(JSON.parse(bad.body).error, /X9/);
});

test('path traversal is refused: .., encoded .., encoded slashes, symlinks out of the folder, bad run ids', async () => {
  const sent = [
    '/files/../secret.txt',
    '/files/%2e%2e/secret.txt',
    '/files/%2E%2E%2Fsecret.txt',
    '/files/S4_MLP_seed0/..%2f..%2fsecret.txt',
    '/files/escape.txt',
    '/files/escape-dir/secret.txt',
    '/files/..%5csecret.txt',
    '/files/S4_MLP_seed0%00/cfg.json',
    '/api/run/log?id=..',
    '/api/run/log?id=../runs/S4_MLP_seed0',
    `/api/run/log?id=${encodeURIComponent('escape-dir')}`,
    '/../../etc/passwd',
    '/%2e%2e/%2e%2e/etc/passwd',
  ];
  for (const p of sent) {
    const r = await raw(p);
    assert.ok(r.status === 403 || r.status === 404, `${p} answered ${r.status}`);
    assert.ok(!r.body.includes(SECRET), `${p} leaked the file`);
    assert.ok(!r.body.includes('root:'), `${p} leaked /etc/passwd`);
  }
  assert.equal((await raw('/files/escape.txt')).status, 403);
  assert.equal((await raw('/files/%2e%2e/secret.txt')).status, 403);
  // what is inside is served, as data
  const ok = await raw('/files/S4_MLP_seed0/cfg.json');
  assert.equal(ok.status, 200);
  assert.match(ok.body, /"group_name": "S4"/);
  assert.equal((await raw('/files/S4_MLP_seed0/nothing.txt')).status, 404);
});

test('read-only: other methods are 405, nothing is written; a foreign Host header is refused on loopback', async () => {
  const before = snapshot(fx.runs);
  for (const m of ['POST', 'PUT', 'DELETE', 'PATCH']) assert.equal((await raw('/files/S4_MLP_seed0/cfg.json', m)).status, 405);
  await json('/api/runs');
  await json('/api/run/model?id=S4_MLP_seed0');
  assert.deepEqual(snapshot(fx.runs), before);
  assert.equal((await raw('/api/runs', 'GET', 'evil.example:80')).status, 403);
});

function snapshot(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      const st = statSync(p, { throwIfNoEntry: false });
      if (!st || n.startsWith('escape')) continue;
      if (st.isDirectory()) walk(p);
      else out.push(`${p}:${st.size}:${st.mtimeMs}`);
    }
  };
  walk(dir);
  return out;
}

test('api/run/events streams the tables, then only the rows appended to log.csv', async () => {
  const events: TableEvent[] = [];
  const res = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: `/api/run/events?id=${encodeURIComponent('live/S4_live')}` }, resolve)
      .on('error', reject)
      .end();
  });
  assert.match(String(res.headers['content-type']), /text\/event-stream/);
  let buf = '';
  const waitFor = (pred: () => boolean) =>
    new Promise<void>((resolve, reject) => {
      const t = setTimeout(
        () => reject(new Error(`timed out; events: ${JSON.stringify(events.map((e) => [e.file, e.reset, e.from, e.rows.length]))}`)),
        8000,
      );
      const check = () => {
        if (pred()) {
          clearTimeout(t);
          res.off('data', onData);
          resolve();
        }
      };
      const onData = () => check();
      res.on('data', onData);
      check();
    });
  res.setEncoding('utf8');
  res.on('data', (d: string) => {
    buf += d;
    let i;
    while ((i = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, i);
      buf = buf.slice(i + 2);
      const ev = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (ev === 'table' && data) events.push(JSON.parse(data) as TableEvent);
    }
  });
  await waitFor(() => events.length >= 1);
  assert.deepEqual([events[0]!.file, events[0]!.reset, events[0]!.rows.length], ['log', true, 6]);
  appendFileSync(fx.liveLog, fx.pendingLogLines.slice(0, 3).join('\n') + '\n');
  await waitFor(() => events.length >= 2);
  assert.deepEqual([events[1]!.reset, events[1]!.from, events[1]!.rows.length], [false, 6, 3]);
  assert.deepEqual(events[1]!.rows[0], fx.pendingLogLines[0]!.split(',').map(Number));
  // a half-written line is held back until its newline arrives
  appendFileSync(fx.liveLog, fx.pendingLogLines[3]!.slice(0, 5));
  await new Promise((r) => setTimeout(r, 400));
  assert.equal(events.length, 2);
  appendFileSync(fx.liveLog, fx.pendingLogLines[3]!.slice(5) + '\n');
  await waitFor(() => events.length >= 3);
  assert.deepEqual([events[2]!.from, events[2]!.rows.length], [9, 1]);
  res.destroy();
});

test('a symlink that leads back inside the runs folder is followed (the real path is what counts)', async () => {
  const r = await raw(`/api/run/log?id=${encodeURIComponent('escape-dir/runs/S4_MLP_seed0')}`);
  assert.equal(r.status, 200);
  assert.equal((await raw(`/api/run/log?id=escape-dir`)).status, 403);
});

test('api/run/model?epoch=E draws a checkpoint; api/run lists the checkpoints', async () => {
  const d = await json<RunDetail>('/api/run?id=S4_MLP_seed0');
  const onDisk = readdirSync(join(fx.runs, 'S4_MLP_seed0', 'checkpoints'))
    .map((f) => Number(/^epoch_(\d+)\./.exec(f)![1]))
    .sort((a, b) => a - b);
  assert.ok(onDisk.length > 0);
  assert.deepEqual(d.checkpoints, onDisk);
  const e = onDisk[0]!;
  const final = await json<ModelJson>('/api/run/model?id=S4_MLP_seed0');
  const mid = await json<ModelJson>(`/api/run/model?id=S4_MLP_seed0&epoch=${e}`);
  assert.equal(final.epoch, null);
  assert.equal(mid.epoch, e);
  assert.deepEqual(mid.keyReps, final.keyReps, "the run's key irreps, whatever the epoch");
  assert.notDeepEqual(mid.logitSlices[0]!.values, final.logitSlices[0]!.values);
  assert.equal((await raw('/api/run/model?id=S4_MLP_seed0&epoch=7')).status, 404);
  assert.equal((await raw('/api/run/model?id=S4_MLP_seed0&epoch=-1')).status, 400);
});
