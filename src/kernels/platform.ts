/**
 * What the compute kernels need from their host, so that the same code runs under Node (worker_threads,
 * fs: src/kernels/node-platform.ts) and later in a browser Web Worker.
 */
import { ModelTooLargeError } from '../util/errors.js';

/** Everything a kernel worker needs to join the shared memory and run phases. */
export interface KernelWorkerInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  /** Byte offsets of the kernel config block and the control words (src/kernels/phase-pool.ts). */
  cfgPtr: number;
  ctrlPtr: number;
  tid: number;
  nthreads: number;
}

export interface KernelWorkerHandle {
  /** Waits for the worker to finish (after it was told to exit) or stops it. */
  terminate(): Promise<void>;
}

export interface KernelPlatform {
  /** The compiled kernel module `build/<name>.wasm`. */
  loadModule(name: string): Promise<WebAssembly.Module>;
  /** Starts a worker running `runKernelWorker(init)`; resolves once it has joined the memory. */
  startWorker(init: KernelWorkerInit): Promise<KernelWorkerHandle>;
  /** Number of hardware threads. */
  hardwareThreads(): number;
  /**
   * False where the host cannot make a shared memory (then loadModule returns modules whose memory import
   * is unshared, src/kernels/unshare-memory.ts, and only one thread runs). Default true.
   */
  sharedMemory?: boolean;
}

/** The most 64 KiB pages a kernel's memory may have (4 GiB; the kernels are built with --maximumMemory 65536). */
export const MAX_KERNEL_PAGES = 65536;

/**
 * The kernels' memory on `platform`: shared unless the platform cannot share memory. A model whose buffers
 * need more than MAX_KERNEL_PAGES pages throws a ModelTooLargeError.
 */
export function kernelMemory(platform: KernelPlatform, initial: number, maximum: number): WebAssembly.Memory {
  if (initial > MAX_KERNEL_PAGES)
    throw new ModelTooLargeError(
      `the kernels need ${initial * 64} KiB of memory, more than WebAssembly's 4 GiB`,
      initial * 65536,
      MAX_KERNEL_PAGES * 65536,
    );
  return new WebAssembly.Memory({ initial, maximum, shared: platform.sharedMemory !== false });
}

let current: KernelPlatform | null = null;

/** Installs the platform (the Node adapter installs itself on first use; a browser build calls this). */
export function setKernelPlatform(p: KernelPlatform): void {
  current = p;
}

export async function getKernelPlatform(): Promise<KernelPlatform> {
  if (!current) {
    const { nodePlatform } = await import('./node-platform.js');
    current = nodePlatform;
  }
  return current;
}
