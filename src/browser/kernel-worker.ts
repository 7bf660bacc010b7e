/**
 * Entry of a kernel thread's Web Worker (bundled as kernel-worker.js): receives a KernelWorkerInit (the
 * compiled module and the shared memory), joins the memory and runs phases until the pool says exit.
 */
import type { KernelWorkerInit } from '../kernels/platform.js';
import { runKernelWorker } from '../kernels/phase-pool.js';

interface WorkerScope {
  addEventListener(type: 'message', f: (e: { data: KernelWorkerInit }) => void, opts?: { once: boolean }): void;
  postMessage(m: unknown): void;
}
const scope = globalThis as unknown as WorkerScope;

scope.addEventListener('message', (e) => runKernelWorker(e.data, () => scope.postMessage('ready')), { once: true });
