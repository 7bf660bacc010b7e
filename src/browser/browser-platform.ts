/**
 * The browser adapter of the kernels (the counterpart of src/kernels/node-platform.ts): fetches
 * `<wasmBase><name>.wasm` and runs kernel threads in module Web Workers (kernel-worker.ts).
 *
 * The kernels import a shared WebAssembly.Memory (built with --sharedMemory; the threads join it). Giving it
 * to another worker needs SharedArrayBuffer, which browsers allow only to cross-origin isolated pages (COOP
 * `same-origin` + COEP `require-corp`). Without isolation the session runs one kernel thread, on its own
 * worker, and starts no kernel workers; `maxThreads()` says which. Chromium builds a shared memory even
 * then (only posting it to another worker is refused); a browser that refuses to build one gets the
 * kernels with their memory import made unshared (src/kernels/unshare-memory.ts) and an unshared memory.
 */
import type { KernelPlatform, KernelWorkerInit } from '../kernels/platform.js';
import { unshareMemoryImport } from '../kernels/unshare-memory.js';

/** The few worker globals this file uses (the project compiles without the DOM library). */
interface WorkerLike {
  postMessage(m: unknown): void;
  terminate(): void;
  addEventListener(type: 'message' | 'error', f: (e: { data?: unknown; message?: string }) => void): void;
}
interface BrowserGlobals {
  fetch(url: string): Promise<{ ok: boolean; status: number; arrayBuffer(): Promise<ArrayBuffer> }>;
  Worker: new (url: string, opts: { type: 'module'; name?: string }) => WorkerLike;
  navigator?: { hardwareConcurrency?: number };
  crossOriginIsolated?: boolean;
}
const g = globalThis as unknown as BrowserGlobals;

/** Whether this page or worker may share memory with other workers (cross-origin isolated). */
export function isCrossOriginIsolated(): boolean {
  return g.crossOriginIsolated === true;
}

/** Kernel threads this context can run: hardware threads when isolated (and memory can be shared), else 1. */
export function maxThreads(): number {
  return isCrossOriginIsolated() && canShareMemory() ? Math.max(1, g.navigator?.hardwareConcurrency ?? 1) : 1;
}

/** Whether this context can construct a shared WebAssembly.Memory at all. */
export function canShareMemory(): boolean {
  try {
    new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    return true;
  } catch {
    return false;
  }
}

export interface BrowserPlatformOptions {
  /** URL of the folder holding the kernels (`mlp.wasm`, `transformer.wasm`), ending in '/'. */
  wasmBase: string;
  /** URL of the bundled kernel-worker.js (needed only for more than one thread). */
  kernelWorkerUrl: string;
  /** Use unshared memory even where shared memory can be built (tests the fallback). */
  unsharedMemory?: boolean;
}

export function createBrowserPlatform(o: BrowserPlatformOptions): KernelPlatform {
  const modules = new Map<string, Promise<WebAssembly.Module>>();
  const shared = !o.unsharedMemory && canShareMemory();
  return {
    sharedMemory: shared,

    loadModule(name: string): Promise<WebAssembly.Module> {
      let m = modules.get(name);
      if (!m) {
        const url = new URL(`${name}.wasm`, o.wasmBase).href;
        m = g.fetch(url).then(async (r) => {
          if (!r.ok) throw new Error(`kernel ${url}: HTTP ${r.status}`);
          const bytes = new Uint8Array(await r.arrayBuffer());
          return WebAssembly.compile(shared ? bytes : unshareMemoryImport(bytes));
        });
        modules.set(name, m);
      }
      return m;
    },

    startWorker(init: KernelWorkerInit) {
      if (!isCrossOriginIsolated() || !shared)
        return Promise.reject(new Error('more than one kernel thread needs a cross-origin isolated page (COOP/COEP headers); use 1 thread'));
      return new Promise((resolve, reject) => {
        const w = new g.Worker(o.kernelWorkerUrl, { type: 'module', name: `kernel-${init.tid}` });
        w.addEventListener('error', (e) => reject(new Error(`kernel worker ${init.tid}: ${e.message ?? 'failed to start'}`)));
        w.addEventListener('message', () =>
          resolve({
            // The pool has told the worker to exit (it returns from its loop); nothing is left to wait for.
            terminate: async () => w.terminate(),
          }),
        );
        w.postMessage(init);
      });
    },

    hardwareThreads: () => maxThreads(),
  };
}
