/**
 * Settings for the "Train in browser" tab: small groups that grok in a browser tab in seconds to minutes
 * (docs/dashboard.md, "Training in the browser", has the measured times). `tiny` is configs/presets/tiny.json.
 */
import type { SessionRequest } from './session-types.js';

export interface BrowserPreset {
  name: string;
  label: string;
  request: SessionRequest;
}

const base = { model: 'mlp', seed: 0, weight_decay: 1, betas: [0.9, 0.98] } as const;

export const BROWSER_PRESETS: BrowserPreset[] = [
  {
    // S3 has only 36 pairs: with 70% train and lr 1e-2 it memorises and does not generalise; a larger train
    // share, lr and weight decay make it grok (test/browser/presets.test.ts trains it to test accuracy 1)
    name: 'S3',
    label: 'S3, 1000 epochs (a few seconds; groks)',
    request: {
      ...base,
      betas: [0.9, 0.98],
      group: 'S3',
      frac_train: 0.8,
      num_epochs: 1000,
      lr: 3e-2,
      weight_decay: 3,
      embed_dim: 32,
      hidden_dim: 128,
    },
  },
  {
    name: 'tiny',
    label: 'tiny: S4, 3000 epochs (groks at ~1500)',
    request: { ...base, betas: [0.9, 0.98], group: 'S4', frac_train: 0.7, num_epochs: 3000, lr: 1e-2, embed_dim: 32, hidden_dim: 64 },
  },
  {
    name: 'D7',
    label: 'D7, 3000 epochs (groks at ~1200-1800)',
    request: { ...base, betas: [0.9, 0.98], group: 'D7', frac_train: 0.7, num_epochs: 3000, lr: 1e-2, embed_dim: 32, hidden_dim: 64 },
  },
  {
    name: 'S5',
    label: 'S5, 2000 epochs (memorises by ~200, groks at ~1000; about half a minute)',
    request: { ...base, betas: [0.9, 0.98], group: 'S5', frac_train: 0.5, num_epochs: 2000, lr: 1e-2, embed_dim: 64, hidden_dim: 128 },
  },
  {
    name: 'C59',
    label: 'C59, 2500 epochs (groks at ~1300)',
    request: { ...base, betas: [0.9, 0.98], group: 'C59', frac_train: 0.4, num_epochs: 2500, lr: 1e-2, embed_dim: 64, hidden_dim: 128 },
  },
];
