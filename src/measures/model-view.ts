/**
 * What the progress measures and analyses see of a trained model (REFERENCE §2 "metric-side objects",
 * §4): the same few float64 arrays for every architecture, so measures never dispatch on the model.
 *
 *            MLP                               transformer                      bilinear
 *   E_a      W_x · W[:d_e]      [N, h]          W_E[:N]          [N, d_model]     W_x  [N, d_e]
 *   E_b      W_y · W[d_e:]      [N, h]          W_E[:N]          [N, d_model]     W_y  [N, d_e]
 *   pre      E_a[a] + E_b[b]    [N², h]         mlp hook_pre, last position       W_x[a] ⊙ W_y[b]
 *   hidden   ReLU(pre)          [N², h]         mlp hook_post, last position      = pre
 *   U        W_U                [h, N]          W_out · W_U      [d_mlp, N]       W_U  [d_e, N]
 *   logits   hidden · U         [N², N]         the model's logits (all paths)    hidden · U
 *
 * Rows of pre/hidden/logits are all N² pairs in the original's order, row r = a·N + b. For the
 * transformer `hidden · U` is not the logits (attention and residual paths are left out, as in the
 * original, REFERENCE §7.2 item 13); measures that say "H U" use exactly that product.
 */
import type { ModelKind } from '../train/types.js';

export interface ModelView {
  kind: ModelKind;
  /** Group order. */
  N: number;
  /** Columns of E_a and E_b. */
  embedWidth: number;
  /** Hidden width h: columns of pre and hidden, rows of U. */
  h: number;
  E_a: Float64Array; // [N, embedWidth]
  E_b: Float64Array; // [N, embedWidth]
  pre: Float64Array; // [N*N, h]
  hidden: Float64Array; // [N*N, h]
  U: Float64Array; // [h, N]
  logits: Float64Array; // [N*N, N]
  /** Σ of squares of every trained parameter (REFERENCE §4; for the transformer too, unlike the original). */
  sumOfSquaredWeights: number;
}
