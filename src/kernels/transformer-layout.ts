/**
 * The context block and phases of the transformer kernels (assembly/transformer.ts), as the host
 * (src/train/transformer-fast.ts) writes and starts them. The AssemblyScript side spells the same numbers
 * as `C_<NAME>`, `CTX_SLOTS` and `PHASE_<NAME>`; test/kernels/layout-constants.test.ts checks they agree.
 */

/** Context slots (i32 words; pointers are byte offsets; DECAY..EPS and INVR are f32 bits). */
export const C = {
  N: 0,
  NP: 1,
  F: 2,
  H: 3,
  R: 4,
  A: 7,
  B: 8,
  Y: 9,
  S0: 10,
  S1: 11,
  S2: 12,
  T0: 13,
  T1: 14,
  T2: 15,
  BASE: 16,
  M: 17,
  GBASE: 18,
  GSTRIDE: 19,
  GSIZE: 20,
  SBASE: 21,
  SSTRIDE: 22,
  LOSS: 27,
  LOGITS: 28,
  INVR: 29,
  OP: 30,
  OG: 31,
  OM: 32,
  OV: 33,
  ON: 34,
  DECAY: 35,
  B1: 36,
  OMB1: 37,
  B2: 38,
  OMB2: 39,
  NEGSTEP: 40,
  BC2: 41,
  EPS: 42,
  JOBS: 43,
} as const;
export const CTX_SLOTS = 48;

/** Kernel phases (`run_phase`). */
export const PHASE = { TRAIN: 0, LOGITS: 1, REDUCE: 2, ADAMW: 3, GEMMS: 4 } as const;
