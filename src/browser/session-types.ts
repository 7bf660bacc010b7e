/**
 * The messages of an in-browser training session (session.ts) and its request: the contract between the
 * training worker and the page. Types only, importing nothing with a platform, so the page's type check
 * (web/tsconfig.json, DOM only) can read it.
 */
import type { EvalResult, ModelKind } from '../types/trainer.js';

/** What the page asks for (the form of the tab). Names follow cfg.json where it has one. */
export interface SessionRequest {
  group: string;
  model: ModelKind;
  seed: number;
  frac_train: number;
  num_epochs: number;
  lr: number;
  weight_decay: number;
  betas?: [number, number];
  /** The MLP's and bilinear net's d_e and h (ignored by the transformer, whose shape is fixed). */
  embed_dim: number;
  hidden_dim: number;
  /** Kernel threads (1 without cross-origin isolation; the page decides). Default 1. */
  threads?: number;
  /**
   * 'auto' (default): WebGPU when navigator.gpu gives an adapter (every model), else the WebAssembly kernels;
   * 'webgpu' or 'wasm' to choose.
   */
  backend?: 'auto' | 'webgpu' | 'wasm';
  /** Epochs between 'log' messages (each costs one evaluation). Default: about 400 over the run. */
  logEvery?: number;
  /** How many log-spaced checkpoints get the progress measures (the CLI has 1000). Default 200. */
  measurePoints?: number;
  /**
   * Most of the wall time the measures may take: a scheduled checkpoint is skipped while measuring has
   * taken more than this share so far (the last epoch is always measured). 1 measures every scheduled
   * checkpoint (deterministic; what the tests use). Default 0.25.
   */
  measureShare?: number;
  /** Run the analysis of the trained model at the end. Default true. */
  analysis?: boolean;
}

export interface IrrepInfo {
  name: string;
  dim: number;
  type: string;
}

export type SessionMessage =
  | {
      type: 'start';
      group: string;
      N: number;
      model: ModelKind;
      numEpochs: number;
      nTrain: number;
      nTest: number;
      threads: number;
      /** The trainer that runs: 'webgpu' (with its adapter's name) or 'wasm'. */
      backend: 'webgpu' | 'wasm';
      adapter: string | null;
      /** Where the progress measures run: on the GPU (float32, with a WebGPU trainer) or the CPU measurer (float64). */
      measuresOn: 'webgpu' | 'cpu';
      irreps: IrrepInfo[];
      /** The measure columns of every 'measures' row (without epoch), metrics.csv order. */
      columns: string[];
    }
  | {
      type: 'log';
      epoch: number;
      /** Train loss before the epoch's step (as log.csv); the rest after it. */
      train_loss: number;
      test_loss: number;
      train_acc: number;
      test_acc: number;
      elapsedMs: number;
      stepsPerSec: number;
    }
  | { type: 'measures'; epoch: number; row: Record<string, number>; ms: number }
  | { type: 'status'; text: string }
  | {
      type: 'done';
      /** True when stopped before num_epochs. */
      stopped: boolean;
      /** Epochs trained. */
      epochs: number;
      final: EvalResult;
      elapsedMs: number;
      stepsPerSec: number;
      keyReps: string[];
      keyRepsInOrder: string[];
      /** analysis.md of the final model (null when analysis was off or failed). */
      analysisMarkdown: string | null;
      analysisSummary: AnalysisSummary | null;
    }
  | { type: 'error'; message: string };

/** The numbers of the analysis the page shows as charts (the rest is in the Markdown). */
export interface AnalysisSummary {
  /** Non-trivial irrep -> logit similarity. */
  similarity: Record<string, number>;
  percentLogitsExplained: number;
  /** Irrep -> share of x/y embedding and unembedding. */
  embeddings: { name: string; x: number; y: number; unembed: number }[];
  /** Irrep -> neurons in its cluster. */
  clusters: { irrep: string; key: boolean; neurons: number }[];
  deadNeurons: number;
  seconds: number;
}

/** What the page posts to the training worker (train-worker.ts). */
export interface TrainWorkerStart {
  type: 'start';
  request: SessionRequest;
  /** Folder of the .wasm kernels; default `wasm/` next to this script. */
  wasmBase?: string;
  /** The kernel worker script; default `kernel-worker.js` next to this script. */
  kernelWorkerUrl?: string;
  /** Run the kernels on an unshared memory even where a shared one can be built (one thread). */
  unsharedMemory?: boolean;
}
export type TrainWorkerCommand = TrainWorkerStart | { type: 'stop' };
