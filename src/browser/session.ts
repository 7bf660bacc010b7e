/**
 * A training session for the dashboard's "Train in browser" tab: trains one model with the same trainers as
 * the command line (createBatchTrainer: WebGPU where an adapter is found, else the WebAssembly kernels on
 * whatever KernelPlatform is installed; the steps between two logged or measured epochs go as one run(n)) and
 * reports through `post` what the page draws live: losses and accuracies every `logEvery` epochs, every
 * progress measure (the columns of metrics.csv; on the GPU when the trainer is, else the CPU measurer) at
 * log-spaced checkpoints, and at the end
 * the key irreps, their learning order and the analysis report.
 *
 * Platform-free (no node: imports, no DOM): the browser runs it in a Web Worker (train-worker.ts) with the
 * browser kernel platform; the tests run it under Node with the Node platform. The loop yields to the event
 * loop every `YIELD_MS` so that a stop request (a message to the worker) is seen; `shouldStop` is polled then.
 */
import type { Group } from '../groups/group.js';
import { parseGroup } from '../groups/parse.js';
import { analyzeModel } from '../analysis/analyze.js';
import { ANALYSIS_DEFAULTS } from '../analysis/analyze.js';
import { analysisMarkdown } from '../analysis/report.js';
import { KEY_REP_THRESHOLD, measureColumns } from '../measures/columns.js';
import { keyReps, keyRepsInOrder } from '../measures/key-reps.js';
import { modelView } from '../measures/model-view.js';
import { gpuRunMeasuring } from '../measures/gpu-run-measuring.js';
import { runMeasuring, type AsyncRunMeasuring } from '../measures/run-measuring.js';
import type { MetricsRow } from '../measures/columns.js';
import { openGpu } from '../gpu/device.js';
import { createBatchTrainer } from '../train/create-batch-trainer.js';
import { splitData } from '../train/split.js';
import type { BatchTrainer, BatchTrainerOptions, EvalResult, ModelKind, NamedTensor } from '../types/trainer.js';
import type { AnalysisSummary, SessionMessage, SessionRequest } from './session-types.js';
import { UsageError } from '../util/errors.js';

export type { AnalysisSummary, IrrepInfo, SessionMessage, SessionRequest } from './session-types.js';

export const YIELD_MS = 50;
const DEFAULT_MEASURE_POINTS = 200;

function bad(field: string, v: unknown, expected: string): never {
  throw new UsageError(`${field} ${JSON.stringify(v)}: expected ${expected}`);
}

function intField(r: Record<string, unknown>, field: string, lo: number, hi: number): number {
  const v = r[field];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < lo || v > hi) bad(field, v, `an integer from ${lo} to ${hi}`);
  return v;
}

function numField(r: Record<string, unknown>, field: string, ok: (x: number) => boolean, expected: string): number {
  const v = r[field];
  if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v)) bad(field, v, expected);
  return v;
}

export interface CheckedRequest extends Required<Omit<SessionRequest, 'group'>> {
  group: Group;
}

/** Checks every field (one-line UsageError naming the field and value) and fills in the defaults. */
export function checkRequest(req: SessionRequest): CheckedRequest {
  const r = req as unknown as Record<string, unknown>;
  if (typeof r.group !== 'string') bad('group', r.group, 'a group name such as S4, D7 or C59');
  let group: Group;
  try {
    group = parseGroup(r.group);
  } catch (e) {
    throw new UsageError(`group ${JSON.stringify(r.group)}: ${(e as Error).message}`);
  }
  if (!['mlp', 'bilinear', 'transformer'].includes(r.model as string)) bad('model', r.model, 'one of mlp, bilinear, transformer');
  const num_epochs = intField(r, 'num_epochs', 1, 1e9);
  const betas = (r.betas ?? [0.9, 0.98]) as [number, number];
  if (!Array.isArray(betas) || betas.length !== 2 || !betas.every((b) => typeof b === 'number' && b >= 0 && b < 1))
    bad('betas', r.betas, 'two numbers B1,B2 with 0 <= B < 1');
  const logEvery = r.logEvery === undefined ? Math.max(1, Math.round(num_epochs / 400)) : intField(r, 'logEvery', 1, 1e9);
  return {
    group,
    model: r.model as ModelKind,
    seed: intField(r, 'seed', 0, Number.MAX_SAFE_INTEGER),
    frac_train: numField(r, 'frac_train', (x) => x > 0 && x < 1, 'a number F with 0 < F < 1'),
    num_epochs,
    lr: numField(r, 'lr', (x) => x > 0, 'a finite number > 0'),
    weight_decay: numField(r, 'weight_decay', (x) => x >= 0, 'a finite number >= 0'),
    betas,
    embed_dim: intField(r, 'embed_dim', 1, 65536),
    hidden_dim: intField(r, 'hidden_dim', 1, 65536),
    threads: r.threads === undefined ? 1 : intField(r, 'threads', 1, 256),
    backend:
      r.backend === undefined
        ? 'auto'
        : ['auto', 'webgpu', 'wasm'].includes(r.backend as string)
          ? (r.backend as CheckedRequest['backend'])
          : bad('backend', r.backend, 'one of auto, webgpu, wasm'),
    logEvery,
    measurePoints: r.measurePoints === undefined ? DEFAULT_MEASURE_POINTS : intField(r, 'measurePoints', 0, 1e6),
    measureShare: r.measureShare === undefined ? 0.25 : numField(r, 'measureShare', (x) => x > 0 && x <= 1, 'a number in (0, 1]'),
    analysis: r.analysis === undefined ? true : Boolean(r.analysis),
  };
}

/**
 * `points` log-spaced epochs of a run of E epochs: {0, E−1} ∪ {⌊10^(i·log10(E)/(points−1))⌋}, as the CLI's
 * checkpoint schedule (src/runs/checkpoint-schedule.ts) with fewer points. Sorted, distinct, all < E.
 */
export function measureEpochs(E: number, points: number): number[] {
  if (points <= 0) return [E - 1];
  const stop = Math.log10(E);
  const set = new Set<number>([0, E - 1]);
  for (let i = 0; i < points; i++) set.add(Math.trunc(10 ** (points === 1 ? stop : (i * stop) / (points - 1))));
  return [...set].filter((e) => e < E).sort((a, b) => a - b);
}

/**
 * The session's trainer: WebGPU when asked, or on 'auto' (every model) when the browser has navigator.gpu
 * and it gives an adapter; otherwise the WebAssembly kernels.
 */
async function openTrainer(c: CheckedRequest, opts: BatchTrainerOptions): Promise<{ trainer: BatchTrainer; backend: 'webgpu' | 'wasm' }> {
  // 'auto' looks for a browser's GPU only (navigator.gpu); under Node a session runs on wasm unless asked
  const browserGpu = (globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu !== undefined;
  if (c.backend === 'webgpu' || (c.backend === 'auto' && browserGpu)) {
    try {
      return { trainer: await createBatchTrainer({ ...opts, backend: 'webgpu' }), backend: 'webgpu' };
    } catch (e) {
      if (c.backend === 'webgpu' || !(e instanceof UsageError)) throw e;
    }
  }
  return { trainer: await createBatchTrainer({ ...opts, backend: 'wasm' }), backend: 'wasm' };
}

const yieldNow = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** What a session trains and measures with, once its request is checked. */
interface Session {
  c: CheckedRequest;
  G: Group;
  N: number;
  split: { train: Int32Array; test: Int32Array };
  trainer: BatchTrainer;
  backend: 'webgpu' | 'wasm';
  /** The progress measures: on the GPU exactly when the trainer is (openMeasuring). */
  measuring: AsyncRunMeasuring;
  /** The model's parameters now. */
  params(): Promise<NamedTensor[]>;
}

/**
 * The progress measures of a session: on the GPU (a device of their own) when the trainer runs on WebGPU,
 * else the CPU measurer.
 */
async function openMeasuring(backend: 'webgpu' | 'wasm', G: Group, model: ModelKind, split: Session['split']): Promise<AsyncRunMeasuring> {
  if (backend === 'webgpu') {
    const ctx = await openGpu();
    try {
      const m = gpuRunMeasuring(ctx, G, model, split.train, split.test);
      const dispose = () => {
        m.dispose();
        ctx.device.destroy();
      };
      return { ...m, dispose };
    } catch (e) {
      ctx.device.destroy();
      throw e;
    }
  }
  const cpu = runMeasuring(G, model, split.train, split.test);
  return { ...cpu, measure: async (p, e, k) => cpu.measure(p, e, k), dispose: () => {} };
}

/** The split, trainer and measuring of a checked request; `opened` gets each part to dispose as soon as it exists. */
async function openSession(c: CheckedRequest, opened: (d: { dispose(): unknown }) => void): Promise<Session> {
  const G = c.group;
  const N = G.order;
  const split = splitData(N, c.frac_train, c.seed);
  if (split.train.length === 0) throw new UsageError(`frac_train ${c.frac_train}: no train pairs for ${G.name} (N² = ${N * N})`);
  const { trainer, backend } = await openTrainer(c, {
    group: G,
    model: { kind: c.model, embedDim: c.embed_dim, hiddenDim: c.hidden_dim },
    optim: { lr: c.lr, weightDecay: c.weight_decay, betas: c.betas, eps: 1e-8 },
    members: [{ seed: c.seed, train: split.train, test: split.test }],
    threads: c.threads,
  });
  opened(trainer);
  const measuring = await openMeasuring(backend, G, c.model, split);
  opened(measuring);
  return { c, G, N, split, trainer, backend, measuring, params: async () => (await trainer.getStates())[0]!.params };
}

/** The epochs trained, whether a stop cut them short, and every measures row. */
interface Trained {
  rows: MetricsRow[];
  stopped: boolean;
  epochs: number;
  elapsedMs: number;
}

/** Trains to num_epochs or a stop, posting 'log' and 'measures' messages; the last epoch trained is always measured. */
async function trainSession(s: Session, post: (m: SessionMessage) => void, shouldStop: () => boolean): Promise<Trained> {
  const { c, trainer, measuring } = s;
  const E = c.num_epochs;
  const schedule = new Set(measureEpochs(E, c.measurePoints));
  const rows: MetricsRow[] = [];
  const t0 = performance.now();
  let measureMs = 0;
  let lastYield = t0;
  let stopped = false;
  let epoch = 0;
  const measureNow = async (e: number): Promise<void> => {
    const tm = performance.now();
    const row = await measuring.measure(await s.params(), e, []);
    const ms = performance.now() - tm;
    measureMs += ms;
    rows.push(row);
    const { epoch: _e, ...cols } = row;
    post({ type: 'measures', epoch: e, row: cols, ms });
  };
  while (epoch < E) {
    // the steps up to the next epoch that is logged, measured or last go as one run(n)
    let next = epoch;
    while (next < E - 1 && next % c.logEvery !== 0 && !schedule.has(next)) next++;
    const losses = await trainer.run(next - epoch + 1);
    const bad = losses.findIndex((l) => !Number.isFinite(l));
    if (bad >= 0) throw new Error(`epoch ${epoch + bad}: train_loss is ${losses[bad]}; the session stopped`);
    epoch = next;
    const trainLoss = losses[losses.length - 1]!;
    const last = epoch === E - 1;
    if (epoch % c.logEvery === 0 || last) {
      const ev = (await trainer.evaluate())[0]!;
      const elapsedMs = performance.now() - t0;
      post({
        type: 'log',
        epoch,
        train_loss: trainLoss,
        test_loss: ev.test_loss,
        train_acc: ev.train_acc,
        test_acc: ev.test_acc,
        elapsedMs,
        stepsPerSec: ((epoch + 1) * 1000) / elapsedMs,
      });
    }
    if (schedule.has(epoch) && (last || c.measureShare >= 1 || measureMs <= c.measureShare * (performance.now() - t0))) await measureNow(epoch);
    epoch++;
    if (performance.now() - lastYield > YIELD_MS) {
      await yieldNow();
      lastYield = performance.now();
      if (!last && shouldStop()) {
        stopped = true;
        break;
      }
    }
  }
  const epochs = stopped ? epoch : E;
  if (stopped && rows.at(-1)?.epoch !== epochs - 1) await measureNow(epochs - 1);
  return { rows, stopped, epochs, elapsedMs: performance.now() - t0 };
}

/** The analysis of the trained model (float64 view on the CPU): its report and the summary the page shows. */
async function analyseSession(
  s: Session,
  key: string[],
  final: EvalResult,
  epochs: number,
  post: (m: SessionMessage) => void,
): Promise<{ md: string; summary: AnalysisSummary }> {
  const { c, G, N, split } = s;
  post({ type: 'status', text: 'analysing the trained model' });
  await yieldNow();
  const ta = performance.now();
  const view = modelView(c.model, await s.params(), N);
  const a = analyzeModel({ group: G, irreps: s.measuring.irreps, view, train: split.train, test: split.test, keyReps: key });
  const all = (final.train_loss * split.train.length + final.test_loss * split.test.length) / (N * N);
  const md = analysisMarkdown(
    {
      run: `in-browser ${G.name} ${c.model} seed ${c.seed}`,
      group: G.name,
      model: c.model,
      epoch: epochs - 1,
      params: '(in memory)',
      N,
      h: view.h,
      keyReps: key,
      keyRepsSource: `logit similarity above ${KEY_REP_THRESHOLD} at the last epoch`,
      losses: { train: final.train_loss, test: final.test_loss, all, trainAcc: final.train_acc, testAcc: final.test_acc },
      options: ANALYSIS_DEFAULTS,
      version: 'browser',
    },
    a,
  );
  const summary: AnalysisSummary = {
    similarity: a.logits.similarity,
    percentLogitsExplained: a.logits.percentExplained,
    embeddings: a.embeddings.irreps.map((r) => ({ name: r.name, x: r.x, y: r.y, unembed: r.unembed })),
    clusters: a.neurons.clusters.map((k) => ({ irrep: k.irrep, key: k.key, neurons: k.neurons.length })),
    deadNeurons: a.neurons.dead.length,
    seconds: (performance.now() - ta) / 1000,
  };
  return { md, summary };
}

/**
 * Runs one session to its end (or to a stop), posting every message through `post`. Never throws: a bad
 * request or a failure is posted as an 'error' message (and returned as false).
 */
export async function runSession(req: SessionRequest, post: (m: SessionMessage) => void, shouldStop: () => boolean = () => false): Promise<boolean> {
  const toDispose: { dispose(): unknown }[] = [];
  try {
    const c = checkRequest(req);
    const s = await openSession(c, (d) => toDispose.push(d));
    const irr = s.measuring.irreps;
    post({
      type: 'start',
      group: s.G.name,
      N: s.N,
      model: c.model,
      numEpochs: c.num_epochs,
      nTrain: s.split.train.length,
      nTest: s.split.test.length,
      threads: s.backend === 'webgpu' ? 1 : c.threads,
      backend: s.backend,
      adapter: s.trainer.adapter ?? null,
      measuresOn: s.backend === 'webgpu' ? 'webgpu' : 'cpu',
      irreps: irr.map((r) => ({ name: r.name, dim: r.dim, type: r.type })),
      columns: measureColumns(irr.map((r) => r.name)),
    });
    const t = await trainSession(s, post, shouldStop);
    const final = (await s.trainer.evaluate())[0]!;
    const key = keyReps(t.rows.at(-1)!, irr);
    const analysis = c.analysis ? await analyseSession(s, key, final, t.epochs, post) : null;
    post({
      type: 'done',
      stopped: t.stopped,
      epochs: t.epochs,
      final,
      elapsedMs: t.elapsedMs,
      stepsPerSec: (t.epochs * 1000) / t.elapsedMs,
      keyReps: key,
      keyRepsInOrder: keyRepsInOrder(t.rows, key),
      analysisMarkdown: analysis?.md ?? null,
      analysisSummary: analysis?.summary ?? null,
    });
    return true;
  } catch (e) {
    post({ type: 'error', message: (e as Error).message ?? String(e) });
    return false;
  } finally {
    for (const d of toDispose.reverse()) await d.dispose();
  }
}
