/**
 * Worker threads of the transformer's fast path: each joins the shared WebAssembly memory, then runs its
 * share of each kernel phase (`run_phase(cfg, phase, tid, nthreads)` of assembly/transformer.ts) when the
 * main thread bumps a generation counter; the main thread runs share 0 itself and waits for the others, so
 * a phase is one synchronous call. Control words (Int32, in the shared memory): GEN, PHASE, DONE.
 * (The same protocol as the training core's phase pool; this file goes once that lands on main.)
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';

const GEN = 0, PHASE = 1, DONE = 2;
export const CTRL_WORDS = 4;
const EXIT = -1;
const SPIN = 20000;
const TAG = 'grokgroups-transformer-worker';

interface WorkerInit {
  module: object;
  memory: { buffer: SharedArrayBuffer };
  cfg: number;
  ctrl: number;
  tid: number;
  nthreads: number;
}

type RunPhase = (cfg: number, phase: number, tid: number, nthreads: number) => void;

function instantiate(module: object, memory: object): RunPhase {
  const WA = (globalThis as unknown as { WebAssembly: { Instance: new (m: object, i: object) => { exports: { run_phase: RunPhase } } } }).WebAssembly;
  return new WA.Instance(module, { env: { memory, abort: () => { throw new Error('kernel abort'); } } }).exports.run_phase;
}

export class TransformerPool {
  private disposed = false;
  private constructor(
    private readonly ctrl: Int32Array,
    private readonly runLocal: RunPhase,
    private readonly cfg: number,
    private readonly nthreads: number,
    private readonly workers: Worker[],
    private readonly exited: Promise<void>[],
  ) {}

  /** Starts nthreads − 1 workers on `memory` (control words at byte offset `ctrl`). */
  static async start(module: object, memory: { buffer: SharedArrayBuffer }, cfg: number, ctrl: number, nthreads: number): Promise<TransformerPool> {
    const ctrlWords = new Int32Array(memory.buffer, ctrl, CTRL_WORDS);
    ctrlWords.fill(0);
    const exited: Promise<void>[] = [];
    const workers: Worker[] = [];
    await Promise.all(
      Array.from({ length: nthreads - 1 }, (_, i) =>
        new Promise<void>((resolve, reject) => {
          const init: WorkerInit = { module, memory, cfg, ctrl, tid: i + 1, nthreads };
          const file = fileURLToPath(import.meta.url);
          // Under tsx (tests run from the .ts sources) the worker needs the TypeScript loader too.
          const execArgv = file.endsWith('.ts') ? [...process.execArgv, '--import', 'tsx'] : undefined;
          const w = new Worker(file, { workerData: { tag: TAG, init }, execArgv });
          workers.push(w);
          exited.push(new Promise<void>((res) => w.once('exit', () => res())));
          w.once('error', reject);
          w.once('message', () => {
            w.unref(); // a trainer that is never disposed does not keep the process alive
            resolve();
          });
        }),
      ),
    );
    return new TransformerPool(ctrlWords, instantiate(module, memory), cfg, nthreads, workers, exited);
  }

  /** Runs `phase` on every thread; returns when all are done. */
  run(phase: number): void {
    if (this.disposed) throw new Error('the trainer was disposed');
    const n = this.nthreads;
    if (n > 1) {
      Atomics.store(this.ctrl, PHASE, phase);
      Atomics.store(this.ctrl, DONE, 0);
      Atomics.add(this.ctrl, GEN, 1);
      Atomics.notify(this.ctrl, GEN);
    }
    this.runLocal(this.cfg, phase, 0, n);
    let spins = 0;
    for (let d = Atomics.load(this.ctrl, DONE); d < n - 1; d = Atomics.load(this.ctrl, DONE))
      if (++spins > SPIN) Atomics.wait(this.ctrl, DONE, d);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    if (this.exited.length === 0) return;
    Atomics.store(this.ctrl, PHASE, EXIT);
    Atomics.add(this.ctrl, GEN, 1);
    Atomics.notify(this.ctrl, GEN);
    for (const w of this.workers) w.ref();
    await Promise.all(this.exited);
  }
}

if (!isMainThread && (workerData as { tag?: string } | null)?.tag === TAG) {
  const init = (workerData as { init: WorkerInit }).init;
  const run = instantiate(init.module, init.memory);
  const ctrl = new Int32Array(init.memory.buffer, init.ctrl, CTRL_WORDS);
  parentPort!.postMessage('ready');
  let seen = Atomics.load(ctrl, GEN);
  for (;;) {
    let spins = 0;
    while (Atomics.load(ctrl, GEN) === seen) if (++spins > SPIN) Atomics.wait(ctrl, GEN, seen);
    seen = Atomics.load(ctrl, GEN);
    const phase = Atomics.load(ctrl, PHASE);
    if (phase === EXIT) break;
    run(init.cfg, phase, init.tid, init.nthreads);
    Atomics.add(ctrl, DONE, 1);
    Atomics.notify(ctrl, DONE);
  }
  parentPort!.close();
}
