/**
 * The Node adapter of the kernels: the only file that uses fs and worker_threads. It finds
 * `build/<name>.wasm` under the package root (found from this file's URL, so it works from dist/, from
 * src/ under tsx, and when installed as a package), and starts workers that run this same file.
 */
import { readFileSync, existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { KernelPlatform, KernelWorkerInit } from './platform.js';
import { runKernelWorker } from './phase-pool.js';

const WORKER_TAG = 'grokgroups-kernel-worker';

function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === 'grokgroups') return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find the grokgroups package root above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

const modules = new Map<string, WebAssembly.Module>();

export const nodePlatform: KernelPlatform = {
  async loadModule(name: string): Promise<WebAssembly.Module> {
    let m = modules.get(name);
    if (!m) {
      const file = join(packageRoot(), 'build', `${name}.wasm`);
      if (!existsSync(file)) throw new Error(`kernel ${file} is missing: run \`npm run build\``);
      // V8's dynamic tiering compiles with the baseline compiler and tiers up hot functions per call budget;
      // in worker threads the kernels stayed on baseline code for many steps (two threads ran slower than
      // one). Eager tier-up compiles every function with the optimising compiler in the background at once.
      setFlagsFromString('--no-wasm-dynamic-tiering');
      m = new WebAssembly.Module(readFileSync(file));
      modules.set(name, m);
    }
    return m;
  },

  startWorker(init: KernelWorkerInit) {
    return new Promise((resolve, reject) => {
      const w = new Worker(fileURLToPath(import.meta.url), { workerData: { tag: WORKER_TAG, init } });
      w.unref(); // a trainer that is never disposed does not keep the process alive
      const exited = new Promise<void>((res) => w.once('exit', () => res()));
      w.once('error', reject);
      w.once('message', () =>
        resolve({
          terminate: async () => {
            const t = setTimeout(() => void w.terminate(), 5000);
            await exited;
            clearTimeout(t);
          },
        }),
      );
    });
  },

  hardwareThreads: () => availableParallelism(),
};

if (!isMainThread && (workerData as { tag?: string } | null)?.tag === WORKER_TAG) {
  runKernelWorker((workerData as { init: KernelWorkerInit }).init, () => parentPort!.postMessage('ready'));
}
