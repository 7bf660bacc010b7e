// `grokgroups eval --backend webgpu` and `train --measures full --backend webgpu`: the GPU measurer's
// metrics.csv, summary_metrics.json and key-irrep files agree with the CPU measurer's (--backend wasm) to
// float32 tolerance, and are not the CPU's bit for bit (the GPU did the work).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'node:test';
import { packageRoot } from '../../src/runs/package-root.js';
import { readCsvIfExists, type MetricsRow } from '../../src/runs/run-folder.js';

const BIN = join(packageRoot(), 'bin', 'grokgroups.js');
const SMALL = [
  '--group',
  'S3',
  '--embed-dim',
  '8',
  '--hidden-dim',
  '16',
  '--frac-train',
  '0.6',
  '--lr',
  '0.01',
  '--threads',
  '1',
  '--measures',
  'full',
  '--checkpoints',
  'log',
];

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r;
}

const json = (dir: string, f: string) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as MetricsRow;
const text = (dir: string, f: string) => readFileSync(join(dir, f), 'utf8');

/** Every column within 1e-5 + 1e-4·|cpu|; returns how many values are not bit-identical. */
function compareRows(what: string, gpu: MetricsRow[], cpu: MetricsRow[]): number {
  assert.equal(gpu.length, cpu.length, `${what}: rows`);
  assert.ok(cpu.length > 0);
  let differing = 0;
  gpu.forEach((g, i) => {
    const c = cpu[i]!;
    assert.deepEqual(Object.keys(g), Object.keys(c), `${what} row ${i}: columns`);
    for (const k of Object.keys(c)) {
      const d = Math.abs(g[k]! - c[k]!);
      assert.ok(d <= 1e-5 + 1e-4 * Math.abs(c[k]!), `${what} epoch ${c.epoch} ${k}: webgpu ${g[k]}, wasm ${c[k]}`);
      if (g[k] !== c[k]) differing++;
    }
  });
  return differing;
}

function compareRuns(what: string, gpuDir: string, cpuDir: string): void {
  const rows = compareRows(`${what} metrics.csv`, readCsvIfExists(join(gpuDir, 'metrics.csv')), readCsvIfExists(join(cpuDir, 'metrics.csv')));
  const summary = compareRows(`${what} summary`, [json(gpuDir, 'summary_metrics.json')], [json(cpuDir, 'summary_metrics.json')]);
  assert.ok(rows > 0 && summary > 0, `${what}: the webgpu values are the wasm ones bit for bit: was the GPU used?`);
  for (const f of ['key_reps.txt', 'key_reps_in_order.txt', 'irreps.txt']) assert.equal(text(gpuDir, f), text(cpuDir, f), `${what} ${f}`);
}

test('eval --backend webgpu writes the files eval --backend wasm writes, up to float32', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gg-gpu-eval-'));
  try {
    const [cpu, gpu] = [join(dir, 'cpu'), join(dir, 'gpu')];
    cli(['train', ...SMALL, '--epochs', '150', '--out', cpu]);
    cpSync(cpu, gpu, { recursive: true });
    cli(['eval', cpu, '--backend', 'wasm']);
    const r = cli(['eval', gpu, '--backend', 'webgpu']);
    assert.match(r.stdout, /checkpoints measured/);
    compareRuns('eval', gpu, cpu);
    assert.ok(readCsvIfExists(join(cpu, 'metrics.csv')).length > 50);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('train --measures full --backend webgpu measures on the GPU: its files agree with eval --backend wasm of the same run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gg-gpu-eval-'));
  try {
    const [gpu, cpu] = [join(dir, 'gpu'), join(dir, 'cpu')];
    cli(['train', ...SMALL, '--epochs', '80', '--seeds', '0-1', '--backend', 'webgpu', '--out', gpu]);
    cpSync(gpu, cpu, { recursive: true });
    const runs = readdirSync(gpu).sort();
    assert.equal(runs.length, 2);
    for (const run of runs) {
      cli(['eval', join(cpu, run), '--backend', 'wasm']);
      compareRuns(`train ${run}`, join(gpu, run), join(cpu, run));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('eval --backend webgpu of a transformer run measures it on the GPU and agrees with --backend wasm', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gg-gpu-eval-'));
  try {
    const [cpu, gpu] = [join(dir, 'cpu'), join(dir, 'gpu')];
    const args = ['--model', 'transformer', '--group', 'S3', '--frac-train', '0.6', '--lr', '0.003', '--threads', '1', '--checkpoints', 'log'];
    cli(['train', ...args, '--epochs', '40', '--measures', 'none', '--out', cpu]);
    cpSync(cpu, gpu, { recursive: true });
    cli(['eval', cpu, '--backend', 'wasm']);
    cli(['eval', gpu, '--backend', 'webgpu']);
    compareRuns('transformer eval', gpu, cpu);
    assert.ok(readCsvIfExists(join(cpu, 'metrics.csv')).length > 10);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
