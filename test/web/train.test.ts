/**
 * In-browser training in a real headless Chromium (Debian's chromium via playwright-core), from the static
 * build (dist-web/) on a plain static server: the "Train in browser" tab trains S3 in a Web Worker with the
 * WebAssembly kernels to train accuracy 1, draws the curves and per-irrep measures, shows the key irreps and
 * the analysis, and agrees with the same session run under Node. Without cross-origin isolation it runs one
 * kernel thread; under `grokgroups serve` (COOP/COEP headers: isolated) two, the second in its own worker on
 * the shared memory.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { runSession, type SessionMessage } from '../../src/browser/session.js';
import { BROWSER_PRESETS } from '../../src/browser/presets.js';
import { startDashboard } from '../../src/serve/server.js';
import { packageRoot } from '../../src/runs/package-root.js';
import { launchBrowser, newPage } from './browser.js';

const web = join(packageRoot(), 'dist-web');
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
};

/** A plain static server of dist-web/ (no COOP/COEP headers: not cross-origin isolated). */
async function staticServer(): Promise<{ url: string; close(): Promise<void> }> {
  const srv: Server = createServer((req, res) => {
    const p = normalize(join(web, decodeURIComponent((req.url ?? '/').split('?')[0]!)));
    const f = p.endsWith('/') ? join(p, 'index.html') : p;
    if (!f.startsWith(web) || !existsSync(f) || !statSync(f).isFile()) return void res.writeHead(404).end('not found');
    res.writeHead(200, { 'Content-Type': TYPES[extname(f)] ?? 'application/octet-stream' });
    createReadStream(f).pipe(res);
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}/`, close: () => new Promise<void>((r) => srv.close(() => r())) };
}

/** Console errors but the static build's probe of the server API (a 404 for api/runs: no server). */
const realErrors = (errors: string[]) => errors.filter((e) => !/status of 404/.test(e));

let browser: Browser;
before(async () => {
  assert.ok(
    existsSync(join(web, 'train-worker.js')) && existsSync(join(web, 'wasm', 'mlp.wasm')),
    'dist-web has the training worker and kernels: run npm run build',
  );
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

const S3 = BROWSER_PRESETS.find((p) => p.name === 'S3')!.request;
const EPOCHS = 300;

/** Opens the tab, picks the S3 preset with `epochs` epochs and `threads`, starts it. */
async function startS3(page: Page, url: string, epochs: number, threads: number): Promise<void> {
  await page.goto(url.includes('#') ? url : url + '#/train');
  await page.waitForSelector('body[data-ready]');
  await page.waitForSelector('#train-form');
  await page.selectOption('#train-preset', 'S3');
  await page.fill('#train-form input[name="num_epochs"]', String(epochs));
  await page.fill('#train-form input[name="threads"]', String(threads));
  await page.click('#train-start');
}

async function status(page: Page): Promise<Record<string, string>> {
  return page.$eval('#train-status', (el) => ({ ...(el as unknown as { dataset: Record<string, string> }).dataset }));
}

test('the static build trains S3 in the page to train accuracy 1 (one thread, not isolated), as under Node', async () => {
  const srv = await staticServer();
  const errors: string[] = [];
  const page = await newPage(browser, errors);
  try {
    assert.equal(await page.goto(srv.url).then(() => page.evaluate('crossOriginIsolated')), false);
    const t0 = Date.now();
    await startS3(page, srv.url, EPOCHS, 4);
    await page.waitForSelector('#train-status[data-state="done"]', { timeout: 60_000 });
    const browserMs = Date.now() - t0;
    const st = await status(page);
    assert.equal(st.threads, '1', 'not cross-origin isolated: one kernel thread whatever was asked');
    assert.equal(st.finalTrainAcc, '1');
    assert.equal(st.epoch, String(EPOCHS - 1));
    // the curves and per-irrep measures are drawn
    await page.waitForSelector('[data-figure="grokking_acc"] svg g.series path');
    const figures = await page.$$eval('#train-curves [data-figure]', (els) => els.map((e) => e.getAttribute('data-figure')));
    for (const f of ['similarity_now', 'grokking_loss', 'grokking_acc', 'logit_similarity'])
      assert.ok(figures.includes(f), `${f} in ${figures.join(', ')}`);
    // the same session under Node (same kernels, same seed): the same key irreps and final accuracies
    const msgs: SessionMessage[] = [];
    await runSession({ ...S3, num_epochs: EPOCHS, threads: 1 }, (m) => msgs.push(m));
    const done = msgs.find((m): m is Extract<SessionMessage, { type: 'done' }> => m.type === 'done')!;
    assert.equal(done.final.train_acc, 1);
    assert.equal(st.testAcc, String(done.final.test_acc));
    assert.equal(await page.$eval('#train-key-reps', (e) => e.textContent), done.keyReps.join(', ') || '(none)');
    assert.ok((await page.$$('#train-analysis h3')).length >= 3, 'the analysis report is rendered');
    assert.deepEqual(realErrors(errors), []);
    console.log(`# in-browser S3 ${EPOCHS} epochs: ${browserMs} ms from click to done`);

    // the fallback for browsers that cannot build a shared memory: the kernels on an unshared one, same results
    const p2 = await newPage(browser, errors);
    await startS3(p2, srv.url + '#/train?memory=unshared', EPOCHS, 1);
    await p2.waitForSelector('#train-status[data-state="done"]', { timeout: 60_000 });
    const st2 = await status(p2);
    assert.equal(st2.memory, 'unshared');
    assert.equal(st2.finalTrainAcc, '1');
    assert.equal(st2.testAcc, String(done.final.test_acc));
    await p2.close();
    assert.deepEqual(realErrors(errors), []);
  } finally {
    await page.close();
    await srv.close();
  }
});

test('with a WebGPU adapter (SwiftShader) the page trains S3 on WebGPU to accuracy 1, as the same session under Node', async () => {
  const srv = await staticServer();
  const gpuBrowser = await launchBrowser(undefined, true);
  const errors: string[] = [];
  const page = await newPage(gpuBrowser, errors);
  try {
    const t0 = Date.now();
    await startS3(page, srv.url, S3.num_epochs, 1);
    await page.waitForSelector('#train-status[data-state="done"]', { timeout: 120_000 });
    const st = await status(page);
    assert.equal(st.backend, 'webgpu', 'auto picks WebGPU where navigator.gpu gives an adapter');
    assert.equal(st.finalTrainAcc, '1');
    assert.equal(st.testAcc, '1', 'the S3 preset groks');
    // the same session on Node's WebGPU (Dawn on SwiftShader): same accuracies, same key irreps
    const msgs: SessionMessage[] = [];
    await runSession({ ...S3, backend: 'webgpu' }, (m) => msgs.push(m));
    const done = msgs.find((m): m is Extract<SessionMessage, { type: 'done' }> => m.type === 'done');
    assert.ok(done, JSON.stringify(msgs.find((m) => m.type === 'error')));
    assert.equal(done.final.test_acc, 1);
    assert.equal(await page.$eval('#train-key-reps', (e) => e.textContent), done.keyReps.join(', ') || '(none)');
    assert.deepEqual(realErrors(errors), []);
    console.log(`# in-browser S3 ${S3.num_epochs} epochs on WebGPU (SwiftShader): ${Date.now() - t0} ms from click to done`);
  } finally {
    await page.close();
    await gpuBrowser.close();
    await srv.close();
  }
});

test('with a WebGPU adapter (SwiftShader) auto trains the transformer on WebGPU too, following the same session on wasm', async () => {
  const srv = await staticServer();
  const gpuBrowser = await launchBrowser(undefined, true);
  const errors: string[] = [];
  const page = await newPage(gpuBrowser, errors);
  try {
    const epochs = 30;
    const lr = 1e-3;
    await page.goto(srv.url + '#/train');
    await page.waitForSelector('body[data-ready]');
    await page.waitForSelector('#train-form');
    await page.selectOption('#train-preset', 'S3');
    await page.selectOption('#train-form select[name="model"]', 'transformer');
    await page.fill('#train-form input[name="num_epochs"]', String(epochs));
    await page.fill('#train-form input[name="lr"]', String(lr));
    await page.fill('#train-form input[name="threads"]', '1');
    await page.click('#train-start');
    await page.waitForSelector('#train-status[data-state="done"]', { timeout: 120_000 });
    const st = await status(page);
    assert.equal(st.backend, 'webgpu', 'auto picks WebGPU for the transformer as well');
    // the same request on the wasm kernels under Node: float32 on both, so equal to float32 tolerance
    const msgs: SessionMessage[] = [];
    await runSession({ ...S3, model: 'transformer', num_epochs: epochs, lr, backend: 'wasm' }, (m) => msgs.push(m));
    const done = msgs.find((m): m is Extract<SessionMessage, { type: 'done' }> => m.type === 'done');
    assert.ok(done, JSON.stringify(msgs.find((m) => m.type === 'error')));
    const gpuLoss = Number(st.finalTrainLoss);
    assert.ok(Number.isFinite(gpuLoss) && gpuLoss < Math.log(6), `the page's final train loss ${st.finalTrainLoss} is below chance`);
    assert.ok(Math.abs(gpuLoss - done.final.train_loss) <= 1e-3 * done.final.train_loss + 1e-5, `WebGPU ${gpuLoss} vs wasm ${done.final.train_loss}`);
    assert.equal(st.finalTrainAcc, String(done.final.train_acc));
    assert.deepEqual(realErrors(errors), []);
  } finally {
    await page.close();
    await gpuBrowser.close();
    await srv.close();
  }
});

test('under grokgroups serve (cross-origin isolated) the page trains with two kernel threads (workers on shared memory); stop ends a long run', async () => {
  const runs = mkdtempSync(join(tmpdir(), 'gg-train-web-'));
  const srv = await startDashboard({ root: runs, port: 0, host: '127.0.0.1', pollMs: 200 });
  const errors: string[] = [];
  const page = await newPage(browser, errors);
  try {
    await startS3(page, srv.url, EPOCHS, 2);
    await page.waitForSelector('#train-status[data-state="done"]', { timeout: 60_000 });
    const st = await status(page);
    assert.equal(st.threads, '2');
    assert.equal(st.finalTrainAcc, '1');

    await startS3(page, srv.url, 10_000_000, 1);
    await page.waitForSelector('#train-status[data-state="running"]');
    await page.waitForFunction("Number(document.getElementById('train-status')?.dataset.epoch) >= 20", undefined, { timeout: 30_000 });
    await page.click('#train-stop');
    await page.waitForSelector('#train-status[data-state="done"]', { timeout: 30_000 });
    const stopped = await status(page);
    assert.ok(Number(stopped.epoch) < 10_000_000 - 1);
    assert.match(await page.$eval('#train-status', (e) => e.textContent ?? ''), /stopped after \d+ epochs/);
    assert.deepEqual(realErrors(errors), []);
  } finally {
    await page.close();
    await srv.close();
    rmSync(runs, { recursive: true, force: true });
  }
});
