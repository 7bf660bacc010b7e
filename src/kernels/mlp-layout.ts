/**
 * The shared-memory layout of the MLP / bilinear kernels (assembly/mlp.ts) and its config block. All
 * buffers are allocated once, 64-byte aligned, above the module's static data. Dimensions are padded to
 * multiples of 4 (Np, dp, hp); padding is zero and stays zero through training. The AssemblyScript side spells
 * the same numbers as `F_<NAME>`, `CFG_WORDS` and `PHASE_<NAME>`; test/kernels/layout-constants.test.ts checks
 * they agree.
 */
export const F = {
  N: 0,
  NP: 1,
  DP: 2,
  HP: 3,
  MODE: 4,
  CHUNKS: 5,
  TILE: 6,
  WX: 7,
  WY: 8,
  WTOP: 9,
  WBOT: 10,
  WU: 11,
  DWX: 12,
  DWY: 13,
  DWTOP: 14,
  DWBOT: 15,
  DWU: 16,
  EA: 17,
  EB: 18,
  DEA: 19,
  DEB: 20,
  WTT: 21,
  WBT: 22,
  PART: 23,
  PART_STRIDE: 24,
  SCRATCH: 25,
  SCRATCH_STRIDE: 26,
  ROWS_A: 27,
  ROWS_B: 28,
  ROWS_Y: 29,
  NROWS: 30,
  WITH_GRAD: 31,
  CHUNK_LOSS: 32,
  CHUNK_CORRECT: 33,
  P: 34,
  G: 35,
  M: 36,
  V: 37,
  S: 38,
  CHUNK_COUNTER: 39,
  // float32 words
  DECAY: 41,
  BETA1: 42,
  OMB1: 43,
  BETA2: 44,
  OMB2: 45,
  NEG_STEP: 46,
  BC2_SQRT: 47,
  EPS: 48,
  // profiling only (bench/): bits that skip parts of the row phase (assembly/mlp.ts F_SKIP)
  SKIP: 50,
} as const;
export const CFG_WORDS = 64;

export const PHASE = { EMBED: 1, ROWS: 2, REDUCE: 3, EMBED_BACKWARD: 4, ADAMW: 5 } as const;

/** Rows per tile of the row phase. */
export const TILE = 64;
/**
 * Row chunks with their own gradient partials, summed in chunk order: the chunking, hence every bit of the
 * result, is the same for any thread count up to MIN_CHUNKS.
 */
export const MIN_CHUNKS = 8;

export const ceil4 = (n: number) => Math.ceil(n / 4) * 4;

/** One padded parameter block inside P (and the same offsets inside G, M, V), in floats. */
export interface ParamSlot {
  name: string;
  /** Offset in floats from the start of the block. */
  offset: number;
  /** Padded [rows, cols]. */
  rows: number;
  cols: number;
}

export interface MlpLayout {
  mode: 0 | 1;
  N: number;
  Np: number;
  dp: number;
  hp: number;
  chunks: number;
  /** Total floats in a parameter block. */
  S: number;
  slots: ParamSlot[];
  /** Byte offsets. */
  P: number;
  G: number;
  M: number;
  V: number;
  Ea: number;
  Eb: number;
  dEa: number;
  dEb: number;
  WtT: number;
  WbT: number;
  part: number;
  partStride: number;
  scratch: number;
  scratchStride: number;
  train: { a: number; b: number; y: number; n: number };
  test: { a: number; b: number; y: number; n: number };
  chunkLoss: number;
  chunkCorrect: number;
  cfg: number;
  ctrl: number;
  bytes: number;
}

export function planLayout(
  kind: 'mlp' | 'bilinear',
  N: number,
  d_e: number,
  h: number,
  nTrain: number,
  nTest: number,
  threads: number,
  heapBase: number,
): MlpLayout {
  const mode = kind === 'mlp' ? 0 : 1;
  const Np = ceil4(N);
  const dp = ceil4(d_e);
  const hp = mode === 0 ? ceil4(h) : dp;
  let off = Math.ceil(heapBase / 64) * 64;
  const alloc = (bytes: number) => {
    const at = off;
    off = Math.ceil((off + bytes) / 64) * 64;
    return at;
  };
  const slots: ParamSlot[] = [];
  let S = 0;
  const slot = (name: string, rows: number, cols: number) => {
    slots.push({ name, offset: S, rows, cols });
    S += rows * cols;
  };
  slot('W_x', N, dp);
  slot('W_y', N, dp);
  if (mode === 0) {
    slot('W_top', dp, hp);
    slot('W_bot', dp, hp);
  }
  slot('W_U', hp, Np);
  const P = alloc(S * 4);
  const G = alloc(S * 4);
  const M = alloc(S * 4);
  const V = alloc(S * 4);
  const at = (base: number, name: string) => base + slots.find((s) => s.name === name)!.offset * 4;
  const Ea = mode === 0 ? alloc(N * hp * 4) : at(P, 'W_x');
  const Eb = mode === 0 ? alloc(N * hp * 4) : at(P, 'W_y');
  const dEa = mode === 0 ? alloc(N * hp * 4) : at(G, 'W_x');
  const dEb = mode === 0 ? alloc(N * hp * 4) : at(G, 'W_y');
  const WtT = alloc(hp * dp * 4);
  const WbT = alloc(hp * dp * 4);
  const chunks = Math.max(MIN_CHUNKS, threads);
  const partStride = Math.ceil(((hp * Np + 2 * N * hp) * 4) / 64) * 64;
  const part = alloc(chunks * partStride);
  // Mirrors the scratch carve-up at the top of phaseRows in assembly/mlp.ts, with slack.
  const scratchStride = Math.ceil((TILE * hp * 24 + TILE * 48 + TILE * Np * 4 + TILE * 8 + Np * 8 + 256) / 64) * 64;
  const scratch = alloc(threads * scratchStride);
  const rowsOf = (n: number) => ({ a: alloc(n * 4), b: alloc(n * 4), y: alloc(n * 4), n });
  const train = rowsOf(nTrain);
  const test = rowsOf(nTest);
  const chunkLoss = alloc(chunks * 8);
  const chunkCorrect = alloc(chunks * 4);
  const cfg = alloc(CFG_WORDS * 4);
  const ctrl = alloc(64);
  return {
    mode,
    N,
    Np,
    dp,
    hp,
    chunks,
    S,
    slots,
    P,
    G,
    M,
    V,
    Ea,
    Eb,
    dEa,
    dEb,
    WtT,
    WbT,
    part,
    partStride,
    scratch,
    scratchStride,
    train,
    test,
    chunkLoss,
    chunkCorrect,
    cfg,
    ctrl,
    bytes: off,
  };
}

/** Writes the fixed fields of the config block. */
export function writeConfig(i32: Int32Array, L: MlpLayout): void {
  const c = L.cfg / 4;
  const set = (f: number, v: number) => (i32[c + f] = v);
  const slotAt = (base: number, name: string) => {
    const s = L.slots.find((x) => x.name === name);
    return s ? base + s.offset * 4 : 0;
  };
  set(F.N, L.N);
  set(F.NP, L.Np);
  set(F.DP, L.dp);
  set(F.HP, L.hp);
  set(F.MODE, L.mode);
  set(F.CHUNKS, L.chunks);
  set(F.TILE, TILE);
  set(F.WX, slotAt(L.P, 'W_x'));
  set(F.WY, slotAt(L.P, 'W_y'));
  set(F.WTOP, slotAt(L.P, 'W_top'));
  set(F.WBOT, slotAt(L.P, 'W_bot'));
  set(F.WU, slotAt(L.P, 'W_U'));
  set(F.DWX, slotAt(L.G, 'W_x'));
  set(F.DWY, slotAt(L.G, 'W_y'));
  set(F.DWTOP, slotAt(L.G, 'W_top'));
  set(F.DWBOT, slotAt(L.G, 'W_bot'));
  set(F.DWU, slotAt(L.G, 'W_U'));
  set(F.EA, L.Ea);
  set(F.EB, L.Eb);
  set(F.DEA, L.dEa);
  set(F.DEB, L.dEb);
  set(F.WTT, L.WtT);
  set(F.WBT, L.WbT);
  set(F.PART, L.part);
  set(F.PART_STRIDE, L.partStride);
  set(F.SCRATCH, L.scratch);
  set(F.SCRATCH_STRIDE, L.scratchStride);
  set(F.CHUNK_LOSS, L.chunkLoss);
  set(F.CHUNK_CORRECT, L.chunkCorrect);
  set(F.P, L.P);
  set(F.G, L.G);
  set(F.M, L.M);
  set(F.V, L.V);
  set(F.S, L.S);
}
