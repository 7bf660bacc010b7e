/**
 * Runs kernel phases on the calling thread (thread 0) plus nthreads − 1 workers that share one
 * WebAssembly.Memory. Synchronisation is through four control words in that memory, with Atomics
 * (a short spin, then Atomics.wait), so `run(phase)` is synchronous: it returns when every thread is done.
 */
import type { KernelPlatform, KernelWorkerHandle, KernelWorkerInit } from './platform.js';

const GEN = 0; // incremented by the main thread to start a phase
const PHASE = 1; // which phase (EXIT stops the workers)
const DONE = 2; // workers finished with the current phase
export const CTRL_WORDS = 4;
const EXIT = -1;
const SPIN = 2000;

interface KernelExports {
  run_phase(cfg: number, phase: number, tid: number, nthreads: number): void;
}

function instantiate(module: WebAssembly.Module, memory: WebAssembly.Memory): KernelExports {
  const abort = () => {
    throw new Error('kernel abort');
  };
  return new WebAssembly.Instance(module, { env: { memory, abort } }).exports as unknown as KernelExports;
}

/**
 * The loop of a worker thread: join the memory, call `ready` (the pool starts no phase before every
 * worker is ready, so none is missed), then wait for a phase, run its share, report, until told to exit.
 */
export function runKernelWorker(init: KernelWorkerInit, ready: () => void): void {
  const k = instantiate(init.module, init.memory);
  const ctrl = new Int32Array(init.memory.buffer, init.ctrlPtr, CTRL_WORDS);
  let seen = Atomics.load(ctrl, GEN);
  ready();
  for (;;) {
    let spins = 0;
    while (Atomics.load(ctrl, GEN) === seen) if (++spins > SPIN) Atomics.wait(ctrl, GEN, seen);
    seen = Atomics.load(ctrl, GEN);
    const phase = Atomics.load(ctrl, PHASE);
    if (phase === EXIT) return;
    k.run_phase(init.cfgPtr, phase, init.tid, init.nthreads);
    Atomics.add(ctrl, DONE, 1);
    Atomics.notify(ctrl, DONE);
  }
}

export class PhasePool {
  private readonly ctrl: Int32Array;
  private readonly kernels: KernelExports;
  private disposed = false;

  private constructor(
    private readonly init: Omit<KernelWorkerInit, 'tid'>,
    private readonly workers: KernelWorkerHandle[],
  ) {
    this.ctrl = new Int32Array(init.memory.buffer, init.ctrlPtr, CTRL_WORDS);
    this.kernels = instantiate(init.module, init.memory);
  }

  static async start(platform: KernelPlatform, init: Omit<KernelWorkerInit, 'tid'>): Promise<PhasePool> {
    const workers = await Promise.all(Array.from({ length: init.nthreads - 1 }, (_, i) => platform.startWorker({ ...init, tid: i + 1 })));
    return new PhasePool(init, workers);
  }

  /** Runs `phase` on all threads and returns when all are done. */
  run(phase: number): void {
    if (this.disposed) throw new Error('the trainer was disposed');
    const n = this.init.nthreads;
    if (n > 1) {
      Atomics.store(this.ctrl, PHASE, phase);
      Atomics.store(this.ctrl, DONE, 0);
      Atomics.add(this.ctrl, GEN, 1);
      Atomics.notify(this.ctrl, GEN);
    }
    this.kernels.run_phase(this.init.cfgPtr, phase, 0, n);
    let spins = 0;
    for (let d = Atomics.load(this.ctrl, DONE); d < n - 1; d = Atomics.load(this.ctrl, DONE)) if (++spins > SPIN) Atomics.wait(this.ctrl, DONE, d);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    Atomics.store(this.ctrl, PHASE, EXIT);
    Atomics.add(this.ctrl, GEN, 1);
    Atomics.notify(this.ctrl, GEN);
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
