/**
 * The contract between the training core (kernels, models, AdamW) and everything that drives it
 * (the training loop, run folders, the CLI, later the dashboard and sweeps).
 */
import type { Group } from '../groups/group.js';

export type ModelKind = 'mlp' | 'transformer' | 'bilinear';

/** embedDim/hiddenDim are the MLP's and bilinear net's d_e and h; the transformer's shape is fixed (REFERENCE §2.2). */
export interface ModelConfig {
  kind: ModelKind;
  embedDim: number;
  hiddenDim: number;
}

export interface OptimConfig {
  lr: number;
  weightDecay: number;
  betas: [number, number];
  /** AdamW epsilon (PyTorch's default 1e-8). */
  eps: number;
}

/** A named float32 tensor, row-major. Names are the parameter names written to safetensors. */
export interface NamedTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

export interface EvalResult {
  train_loss: number;
  train_acc: number;
  test_loss: number;
  test_acc: number;
}

/** Everything needed to continue training bit-for-bit. */
export interface TrainerState {
  /** Optimizer steps taken so far. */
  step: number;
  /** Model parameters in creation order. */
  params: NamedTensor[];
  /** AdamW moments, named `<param>.exp_avg` and `<param>.exp_avg_sq`. */
  optim: NamedTensor[];
}

export interface TrainerOptions {
  group: Group;
  model: ModelConfig;
  optim: OptimConfig;
  /** Seed of the parameter initialisation. */
  seed: number;
  /** Row indices r = a·N + b of the train and test pairs. */
  train: Int32Array;
  test: Int32Array;
  /** Worker threads for the compute kernels (>= 1). */
  threads: number;
  /** 'wasm' (default, fast), 'js' (the plain reference implementation) or 'webgpu' (WGSL shaders, src/gpu/). */
  backend?: Backend;
}

export type Backend = 'wasm' | 'js' | 'webgpu';

/** One member of a batch: its own seed (init), split and therefore its own AdamW state. */
export interface BatchMember {
  seed: number;
  /** Row indices r = a·N + b; every member of a batch has the same number of train rows (same frac_train). */
  train: Int32Array;
  test: Int32Array;
}

export interface BatchTrainerOptions extends Omit<TrainerOptions, 'seed' | 'train' | 'test'> {
  /** S >= 1 independent models trained side by side with the same group, model sizes and optimiser settings. */
  members: BatchMember[];
}

/**
 * S independent models trained in lockstep (one set of dispatches on the GPU). Member i must end up exactly
 * where a single Trainer with members[i]'s seed and split would (bit-for-bit on CPU backends, float32
 * tolerance on the GPU). Everything is async so that a GPU backend reads back only when asked.
 */
export interface BatchTrainer {
  readonly size: number;
  /** The GPU adapter's name on backend 'webgpu'; absent on the CPU backends. */
  readonly adapter?: string;
  /**
   * n full-batch AdamW steps of every member. Resolves to the pre-step train losses (float64 mean CE),
   * row-major [n][size]: losses[k * size + i] is member i's loss before its k-th step of this call.
   */
  run(n: number): Promise<Float64Array>;
  /** Loss and accuracy on each member's train and test rows with its current parameters. */
  evaluate(): Promise<EvalResult[]>;
  getStates(): Promise<TrainerState[]>;
  /** One state per member, in member order. */
  setStates(states: TrainerState[]): Promise<void>;
  dispose(): Promise<void>;
}

export interface Trainer {
  /** One full-batch AdamW step on the train rows; returns the train loss (float64 mean CE) before the step. */
  step(): number;
  /** Loss (float64 mean CE) and accuracy on the train and test rows with the current parameters. */
  evaluate(): EvalResult;
  getState(): TrainerState;
  setState(state: TrainerState): void;
  /** Releases worker threads. */
  dispose(): Promise<void>;
}
