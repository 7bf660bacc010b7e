/**
 * The transformer's part of the GPU measurer (src/measures/webgpu-measurer.ts): its own forward over all N²
 * pairs (src/train/webgpu-transformer-forward.ts, one member), one block of whole a-rows at a time, so that
 * the host never holds an N²-row array. Its hidden layer H (the MLP's hook_post at the last position) is not a
 * function of E_a[a] and E_b[b] as the MLP's is, and its H U (with U = W_out W_U, REFERENCE §7.2 item 13) is
 * not its logits, so per block it stores H [nA·N, d_mlp], the logits and H U [nA·N, N].
 *
 * The hidden corrections R_ρ need S_g over every block before any block's excluded losses, so the passes
 * run in two sweeps:
 *   1. per block: the forward up to H, then H's sums (HIDDEN_BLOCK_SUMS_WGSL; the shift H[(0,0)] copied from
 *      the first block);
 *   2. R_ρ (rallPasses); per block: the forward again up to H (not when there is one block: H is still there),
 *      then the logits, H U, and blockReductions.
 * S5: one block (N·d_mlp floats a row, 273 a-rows fit in BLOCK_FLOATS); S6: 16 blocks of 45 a-rows.
 */
import type { FastTables } from './fast-tables.js';
import type { SmallView } from './model-view.js';
import { blockReductions, hiddenBuffers, matmul, rallPasses, u32, type FixedPart, type ModelPart } from './webgpu-measure-passes.js';
import { F, packParams, postToLogits, rowsToPost, tablePasses, tfForward, tfRowSet, transformerLayout } from '../train/webgpu-transformer-forward.js';
import type { NamedTensor } from '../types/trainer.js';
import { GpuKit, linearGrid, type Pass } from '../gpu/kernels.js';
import { COPY_WGSL, HIDDEN_BLOCK_SUMS_WGSL } from '../gpu/measure-wgsl.js';

/** The transformer's hidden width (d_mlp): a block row of H is this many floats. */
export const TF_HIDDEN_WIDTH = F;

/** The transformer's part: its forward's buffers, the block row sets and the two sweeps' passes. */
export function transformerPart(device: GPUDevice, t: FastTables, x: FixedPart): ModelPart {
  const { group, N } = t;
  const k = GpuKit.sharing(device);
  const l = transformerLayout(N);
  const W = k.storage('transformer weights', l.Pw);
  const Bs = k.storage('transformer biases', l.Pb);
  const fwd = tfForward(k, l, 1, N, x.blockRows, W, Bs, x.Lblk);
  const HU = k.storage('H U block', x.blockRows * N);
  const hb = hiddenBuffers(k, N, F);
  const comp = k.storage('hidden sums compensation', 2 * N * F);
  const sets = x.blocks.map((b) => tfRowSet(fwd, group, () => Int32Array.from({ length: b.nA * N }, (_, i) => b.a0 * N + i), b.nA * N));
  const passes: Pass[] = [...tablePasses(fwd, sets[0]!.tu)];
  x.blocks.forEach((b, i) => {
    passes.push(...rowsToPost(fwd, sets[i]!));
    if (i === 0) passes.push(k.pass(COPY_WGSL, [k.uniform(u32(F, 0, 0, 0)), fwd.post, hb.shift], linearGrid(F)));
    passes.push(
      k.pass(HIDDEN_BLOCK_SUMS_WGSL, [k.uniform(u32(N, F, b.a0, b.nA)), fwd.post, x.bOfBuf, hb.shift, hb.sums, comp], linearGrid(3 * N * F)),
    );
  });
  passes.push(...rallPasses(k, t, x, { h: F, ...hb }));
  x.blocks.forEach((b, i) => {
    const set = sets[i]!;
    const rows = set.R;
    if (x.blocks.length > 1) passes.push(...rowsToPost(fwd, set));
    passes.push(...postToLogits(fwd, set));
    // H U = post · U   [rows, F] x [F, N]
    passes.push(matmul(k, { M: rows, Nc: N, K: F, A: fwd.post, aOff: 0, lda: F, B: hb.U, bOff: 0, ldb: N, C: HU, cOff: 0, ldc: N }));
    passes.push(...blockReductions(k, t, x, b, HU));
  });

  const write = (params: readonly NamedTensor[], _f: SmallView) => {
    // the parameters were checked by transformerSmallView (tensors of other names are not packed)
    const hostW = new Float32Array(l.Pw);
    const hostB = new Float32Array(l.Pb);
    packParams(
      l,
      l.specs.map((s) => params.find((q) => q.name === s.name)!),
      hostW,
      hostB,
    );
    device.queue.writeBuffer(W, 0, hostW);
    device.queue.writeBuffer(Bs, 0, hostB);
  };
  return { h: F, kit: k, ...hb, clear: [hb.sums, comp], passes, write };
}
