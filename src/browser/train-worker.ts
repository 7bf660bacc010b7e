/**
 * Entry of the training Web Worker (bundled as train-worker.js): the page posts a TrainWorkerStart, the
 * worker installs the browser kernel platform and runs the session (session.ts), posting its messages
 * back; a later `{ type: 'stop' }` ends the session after the current epoch.
 */
import { setKernelPlatform } from '../kernels/platform.js';
import { createBrowserPlatform, maxThreads } from './browser-platform.js';
import { runSession } from './session.js';
import type { TrainWorkerCommand } from './session-types.js';

interface WorkerScope {
  location: { href: string };
  addEventListener(type: 'message', f: (e: { data: TrainWorkerCommand }) => void): void;
  postMessage(m: unknown): void;
}
const scope = globalThis as unknown as WorkerScope;

let stop = false;
let started = false;
scope.addEventListener('message', (e) => {
  const cmd = e.data;
  if (cmd.type === 'stop') {
    stop = true;
    return;
  }
  if (cmd.type !== 'start' || started) return;
  started = true;
  const here = scope.location.href;
  setKernelPlatform(
    createBrowserPlatform({
      wasmBase: new URL(cmd.wasmBase ?? 'wasm/', here).href,
      kernelWorkerUrl: new URL(cmd.kernelWorkerUrl ?? 'kernel-worker.js', here).href,
      unsharedMemory: cmd.unsharedMemory,
    }),
  );
  const request = { ...cmd.request, threads: cmd.unsharedMemory ? 1 : Math.min(cmd.request.threads ?? 1, maxThreads()) };
  void runSession(
    request,
    (m) => scope.postMessage(m),
    () => stop,
  );
});
