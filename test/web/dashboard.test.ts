/**
 * The dashboard in a real headless Chromium (Debian's chromium via playwright-core): the runs table, a
 * run's curves, live updates while log.csv grows, the model heatmaps with hover, the analysis report, the
 * group page, compare, path traversal from the page, and the static build without a server.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { parseGroup } from '../../src/groups/parse.js';
import { irreps } from '../../src/reps/irreps.js';
import { startDashboard, type RunningServer } from '../../src/serve/server.js';
import { packageRoot } from '../../src/runs/package-root.js';
import { makeRunsFixture, SECRET, type RunsFixture } from '../serve/runs-fixture.js';
import { launchBrowser, newPage } from './browser.js';

let fx: RunsFixture;
let srv: RunningServer;
let browser: Browser;
let page: Page;
const errors: string[] = [];

before(async () => {
  fx = makeRunsFixture();
  srv = await startDashboard({ root: fx.runs, port: 0, host: '127.0.0.1', pollMs: 200 });
  browser = await launchBrowser();
  page = await newPage(browser, errors);
});
after(async () => {
  await browser?.close();
  await srv?.close();
  fx?.cleanup();
});

async function open(hash: string): Promise<void> {
  errors.length = 0;
  await page.goto(srv.url + hash);
  await page.waitForSelector('body[data-ready]');
}

function noErrors(): void {
  assert.deepEqual(errors, []);
}

test('the runs table lists every run with its status and grokking epoch', async () => {
  await open('#/runs');
  await page.waitForSelector('#runs-table tr[data-run-id]');
  const rows = await page.$$eval('#runs-table tbody tr', (trs) =>
    trs.map((tr) => ({ id: tr.getAttribute('data-run-id'), status: tr.getAttribute('data-status'), grok: tr.querySelector('td.grok')?.textContent })),
  );
  const api = (await (await fetch(srv.url + 'api/runs')).json()) as { runs: { id: string; status: string; grokEpoch: number | null }[] };
  assert.deepEqual(rows.map((r) => r.id).sort(), ['S4_MLP_seed0', 'S4_MLP_seed1', 'live/S4_live']);
  assert.equal(await page.evaluate('crossOriginIsolated'), true, 'served with COOP/COEP');
  for (const r of rows) {
    const a = api.runs.find((x) => x.id === r.id)!;
    assert.equal(r.status, a.status);
    assert.equal(r.grok, a.grokEpoch === null ? '–' : String(a.grokEpoch));
  }
  assert.deepEqual(Object.fromEntries(rows.map((r) => [r.id, r.status])), {
    S4_MLP_seed0: 'done',
    S4_MLP_seed1: 'failed',
    'live/S4_live': 'running',
  });
  noErrors();
});

test("a run's curves render as SVG with drawn paths", async () => {
  await open('#/run?id=S4_MLP_seed1');
  await page.waitForSelector('[data-figure="grokking_loss"] svg g.series path');
  const figures = await page.$$eval('[data-figure]', (els) => els.map((e) => e.getAttribute('data-figure')));
  assert.ok(figures.includes('grokking_acc'));
  assert.ok(figures.includes('logit_similarity'), `the synthetic run has the full measures: ${figures.join(', ')}`);
  const d = await page.$$eval('[data-figure="grokking_loss"] svg g.series path', (ps) => ps.map((p) => p.getAttribute('d') ?? ''));
  assert.equal(d.length, 2, 'train and test loss');
  for (const path of d) assert.ok(/^M[\d.]+ [\d.]+(L[\d.]+ [\d.]+){10,}/.test(path), `a drawn line: ${path.slice(0, 60)}`);
  noErrors();
});

test('a run being written updates on the page without a reload', async () => {
  await open(`#/run?id=${encodeURIComponent('live/S4_live')}`);
  await page.waitForSelector('#row-counts[data-log-rows="6"]');
  const before = await page.$eval('[data-figure="grokking_acc"] svg g.series path', (p) => p.getAttribute('d'));
  await page.evaluate('window.marker = 42');
  const added = fx.pendingLogLines.slice(0, 8);
  appendFileSync(fx.liveLog, added.join('\n') + '\n');
  await page.waitForSelector('#row-counts[data-log-rows="14"]', { timeout: 10000 });
  const lastEpoch = added[added.length - 1]!.split(',')[0]!;
  await page.waitForFunction(`document.getElementById('last-epoch')?.textContent === ${JSON.stringify(lastEpoch)}`, undefined, { timeout: 10000 });
  const after = await page.$eval('[data-figure="grokking_acc"] svg g.series path', (p) => p.getAttribute('d'));
  assert.notEqual(after, before, 'the curve was redrawn with the new rows');
  assert.ok((after?.split('L').length ?? 0) > (before?.split('L').length ?? 0));
  assert.equal(await page.evaluate('window.marker'), 42, 'same page: no reload');
  noErrors();
});

test('model heatmaps show values on hover; the analysis report renders', async () => {
  await open('#/run?id=S4_MLP_seed0&tab=model');
  await page.waitForSelector('#model .heatmap canvas');
  const n = await page.$$eval('#model .heatmap canvas', (cs) => cs.length);
  assert.ok(n >= 5, `logit slices, neurons and change of basis: ${n} heatmaps`);
  assert.ok(await page.$('#model .colorbar.sequential'), 'neuron activations (ReLU, never negative) on the sequential white -> red scale');
  assert.ok(await page.$('#model .colorbar:not(.sequential)'), 'logit slices on the diverging scale');
  const canvas = (await page.$('#model .heatmap canvas'))!;
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + 2, box.y + 2);
  await page.waitForSelector('#tooltip:not([hidden])');
  const api = (await (await fetch(srv.url + 'api/run/model?id=S4_MLP_seed0')).json()) as { labels: string[]; logitSlices: { values: number[] }[] };
  const tip = await page.$eval('#tooltip', (t) => t.textContent ?? '');
  assert.equal(tip, `row ${api.labels[0]}, col ${api.labels[0]}: ${api.logitSlices[0]!.values[0]}`);
  // a checkpoint instead of the final model
  const checkpoint = await page.$eval('#model-epoch option:nth-child(2)', (o) => o.getAttribute('value'));
  assert.ok(checkpoint !== null && checkpoint !== '');
  await page.selectOption('#model-epoch', checkpoint);
  await page.waitForFunction(
    `document.querySelector('#model-epoch')?.value === ${JSON.stringify(checkpoint)} && document.querySelectorAll('#model .heatmap canvas').length >= 5`,
  );
  await open('#/run?id=S4_MLP_seed0&tab=analysis');
  await page.waitForSelector('#analysis .markdown h2');
  const firstHeading = readFileSync(join(fx.runs, 'S4_MLP_seed0', 'analysis.md'), 'utf8')
    .split('\n')
    .find((l) => l.startsWith('# '))!
    .slice(2);
  assert.equal(await page.$eval('#analysis .markdown h2', (h) => h.textContent), firstHeading);
  assert.ok((await page.$$('#analysis .markdown table')).length > 0);
  noErrors();
});

test('the group page shows the character table computed in the browser', async () => {
  await open('#/group?name=D5');
  await page.waitForSelector('#character-table');
  const names = await page.$$eval('#character-table tbody tr', (trs) => trs.map((t) => t.getAttribute('data-irrep')));
  assert.deepEqual(
    names,
    irreps(parseGroup('D5')).map((r) => r.name),
  );
  // the FS column is explained: a tooltip on its header and a legend line under the table
  assert.match((await page.$eval('#fs-head', (t) => t.getAttribute('title'))) ?? '', /Frobenius–Schur indicator/);
  assert.match(await page.$eval('#fs-legend', (p) => p.textContent ?? ''), /^FS: Frobenius–Schur indicator .*quaternionic/);
  noErrors();
});

test('compare overlays the picked measure of several runs, with the across-runs figures; the runs filter', async () => {
  await open('#/compare?ids=S4_MLP_seed0,S4_MLP_seed1&col=test_loss');
  await page.waitForSelector('#compare-figure svg g.series path');
  assert.equal((await page.$$('#compare-figure svg g.series path')).length, 2);
  assert.equal(await page.$eval('#compare-column', (s) => (s as unknown as { value: string }).value), 'test_loss');
  await page.waitForSelector('#across-runs [data-figure="grokking_loss"] svg g.series path');
  // the fixture runs have basic measures only: the similarity figures are named as not drawn, by their new names
  const notDrawn = await page.$eval('#across-runs + p.muted', (p) => p.textContent ?? '');
  for (const f of ['mean_logit_similarity', 'key_rep_learning_order']) assert.match(notDrawn, new RegExp(`${f} \\(`));
  assert.doesNotMatch(notDrawn, /(^|[^_])rep_learning_order/, 'the old name is gone');
  // the runs table's filter
  await open('#/runs');
  await page.waitForSelector('#runs-table tr[data-run-id]');
  await page.fill('#runs-filter', 'running');
  const shown = await page.$$eval('#runs-table tbody tr', (trs) =>
    trs.filter((t) => !(t as unknown as { hidden: boolean }).hidden).map((t) => t.getAttribute('data-run-id')),
  );
  assert.deepEqual(shown, ['live/S4_live']);
  noErrors();
});

test('path traversal is refused for requests from the page', async () => {
  await open('#/runs');
  const got = (await page.evaluate(async () => {
    const out: [string, number, string][] = [];
    for (const p of [
      'files/%2e%2e/secret.txt',
      'files/S4_MLP_seed0/..%2f..%2fsecret.txt',
      'files/escape.txt',
      'files/escape-dir/secret.txt',
      'api/run/log?id=..',
      'files/S4_MLP_seed0/cfg.json',
    ]) {
      const r = await fetch(p);
      out.push([p, r.status, await r.text()]);
    }
    return out;
  })) as [string, number, string][];
  for (const [p, status, body] of got.slice(0, -1)) {
    assert.ok(!body.includes(SECRET), `${p} leaked the secret`);
    // Chromium itself resolves %2e%2e before sending (then the server answers 404 for /secret.txt); the rest reach the server
    assert.equal(status, p.startsWith('files/%2e') ? 404 : 403, p);
  }
  assert.equal(got[got.length - 1]![1], 200);
});

test('the static build works from a plain static server: group explorer, run files picked from disk', async () => {
  const staticErrors: string[] = [];
  const web = join(packageRoot(), 'dist-web');
  assert.ok(existsSync(join(web, 'index.html')), 'dist-web/index.html: run npm run build');
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' };
  const plain: Server = createServer((req, res) => {
    const p = normalize(join(web, decodeURIComponent((req.url ?? '/').split('?')[0]!)));
    const f = p.endsWith('/') ? join(p, 'index.html') : p;
    if (!f.startsWith(web) || !existsSync(f) || !statSync(f).isFile()) return void res.writeHead(404).end('not found');
    res.writeHead(200, { 'Content-Type': types[extname(f)] ?? 'application/octet-stream' });
    createReadStream(f).pipe(res);
  });
  await new Promise<void>((r) => plain.listen(0, '127.0.0.1', r));
  try {
    const p2 = await newPage(browser, staticErrors);
    await p2.goto(`http://127.0.0.1:${(plain.address() as AddressInfo).port}/sub/../`);
    await p2.waitForSelector('body[data-ready]');
    assert.equal(await p2.$eval('body', (b) => b.dataset.mode), 'static');
    await p2.waitForSelector('#character-table');
    assert.equal((await p2.$$('#character-table tbody tr')).length, irreps(parseGroup('S4')).length);
    // run files picked from disk: the runs table, then the curves, read in the browser
    await p2.goto(`http://127.0.0.1:${(plain.address() as AddressInfo).port}/#/runs`);
    await p2.waitForSelector('#pick-runs');
    await p2.setInputFiles('#pick-runs', join(fx.runs, 'S4_MLP_seed1'));
    await p2.waitForSelector('#runs-table tr[data-run-id="S4_MLP_seed1"]');
    const grok = await p2.$eval('#runs-table tr[data-run-id="S4_MLP_seed1"] td.grok', (td) => td.textContent);
    const api = (await (await fetch(srv.url + 'api/runs')).json()) as { runs: { id: string; grokEpoch: number | null }[] };
    assert.equal(grok, String(api.runs.find((r) => r.id === 'S4_MLP_seed1')!.grokEpoch), 'same grokking epoch as the server finds');
    await p2.click('#runs-table tr[data-run-id="S4_MLP_seed1"] a');
    await p2.waitForSelector('[data-figure="logit_similarity"] svg g.series path');
    // the model heatmaps of a picked run, built in the page from its files: the server's data, cell for cell
    await p2.goto(`http://127.0.0.1:${(plain.address() as AddressInfo).port}/#/runs`);
    await p2.setInputFiles('#pick-runs', join(fx.runs, 'S4_MLP_seed0'));
    await p2.waitForSelector('#runs-table tr[data-run-id="S4_MLP_seed0"]');
    await p2.click('#runs-table tr[data-run-id="S4_MLP_seed0"] a');
    await p2.click('a[data-tab="model"]');
    await p2.waitForSelector('#model .heatmap canvas');
    const model = (await (await fetch(srv.url + 'api/run/model?id=S4_MLP_seed0')).json()) as {
      labels: string[];
      keyReps: string[];
      logitSlices: { values: number[] }[];
      neuronClusters: { shown: unknown[] }[];
      changeOfBasis: unknown[];
      unembedInRepBasis: unknown[];
    };
    const expected =
      model.logitSlices.length +
      model.neuronClusters.reduce((n, c) => n + c.shown.length, 0) +
      model.changeOfBasis.length +
      model.unembedInRepBasis.length;
    assert.equal(await p2.$$eval('#model .heatmap canvas', (cs) => cs.length), expected, 'as many heatmaps as the server draws');
    assert.ok(expected >= 5);
    assert.match(await p2.$eval('#model p', (e) => e.textContent ?? ''), new RegExp(`key irreps: ${model.keyReps.join(', ')}\\.`));
    const box = (await (await p2.$('#model .heatmap canvas'))!.boundingBox())!;
    await p2.mouse.move(box.x + 2, box.y + 2);
    await p2.waitForSelector('#tooltip:not([hidden])');
    assert.equal(
      await p2.$eval('#tooltip', (t) => t.textContent ?? ''),
      `row ${model.labels[0]}, col ${model.labels[0]}: ${model.logitSlices[0]!.values[0]}`,
    );
    assert.deepEqual(
      staticErrors.filter((e) => !/Failed to load resource.*404/.test(e)),
      [],
      'only the api/runs probe may 404',
    );
    await p2.close();
  } finally {
    await new Promise<void>((r) => plain.close(() => r()));
  }
});
