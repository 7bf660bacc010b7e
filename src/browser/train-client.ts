/**
 * The page's side of in-browser training: starts the training worker (train-worker.js), forwards its
 * messages, and stops it. One worker per session; it is terminated when the session ends.
 */
import type { SessionMessage, SessionRequest, TrainWorkerCommand } from './session-types.js';

interface WorkerLike {
  postMessage(m: TrainWorkerCommand): void;
  terminate(): void;
  onmessage: ((e: { data: SessionMessage }) => void) | null;
  onerror: ((e: { message?: string }) => void) | null;
}
const g = globalThis as unknown as {
  Worker: new (url: string, opts: { type: 'module'; name?: string }) => WorkerLike;
  crossOriginIsolated?: boolean;
  navigator?: { hardwareConcurrency?: number };
};

export interface TrainingHandle {
  /** Asks the session to stop after the current epoch (it still posts 'done', with the analysis). */
  stop(): void;
  /** Ends the worker at once (no 'done'). */
  kill(): void;
  /** Resolves with the last message ('done' or 'error'). */
  finished: Promise<SessionMessage>;
}

export interface StartOptions {
  /** URL of train-worker.js (the kernel worker and wasm/ are found next to it unless given). */
  workerUrl: string;
  wasmBase?: string;
  kernelWorkerUrl?: string;
  /** Kernels on an unshared memory (one thread), as where the browser cannot build a shared one. */
  unsharedMemory?: boolean;
}

/** Kernel threads the page can offer: navigator.hardwareConcurrency when cross-origin isolated, else 1. */
export function availableThreads(): number {
  return g.crossOriginIsolated ? Math.max(1, g.navigator?.hardwareConcurrency ?? 1) : 1;
}

export function startTraining(request: SessionRequest, onMessage: (m: SessionMessage) => void, o: StartOptions): TrainingHandle {
  const w = new g.Worker(o.workerUrl, { type: 'module', name: 'grokgroups-train' });
  let settle!: (m: SessionMessage) => void;
  const finished = new Promise<SessionMessage>((resolve) => (settle = resolve));
  const end = (m: SessionMessage) => {
    w.terminate();
    settle(m);
  };
  w.onmessage = (e) => {
    onMessage(e.data);
    if (e.data.type === 'done' || e.data.type === 'error') end(e.data);
  };
  w.onerror = (e) => {
    const m: SessionMessage = { type: 'error', message: `training worker: ${e.message ?? 'failed'}` };
    onMessage(m);
    end(m);
  };
  w.postMessage({ type: 'start', request, wasmBase: o.wasmBase, kernelWorkerUrl: o.kernelWorkerUrl, unsharedMemory: o.unsharedMemory });
  return {
    stop: () => w.postMessage({ type: 'stop' }),
    kill: () => end({ type: 'error', message: 'stopped' }),
    finished,
  };
}
