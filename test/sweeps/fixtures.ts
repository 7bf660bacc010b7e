/**
 * Hand-made run folders for the report tests: the files a finished run holds (docs/runs.md, the measures
 * contract): cfg.json, summary_metrics.json, metrics.csv and, with full measures, the key-irrep files.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface FixtureRun {
  group: string;
  model: 'OneLayerMLP' | 'Transformer';
  seed: number;
  hidden?: number;
  /** metrics.csv as [epoch, test_acc] rows. */
  curve: [number, number][];
  summary: Record<string, number>;
  /** key_reps_in_order.txt; absent for a run with only basic measures. */
  keyReps?: string[];
}

export function writeFixtureRun(root: string, r: FixtureRun): string {
  const tag = r.model === 'Transformer' ? 'T' : 'MLP';
  const hidden = r.hidden ?? 128;
  const name = `${r.group}_${tag}${hidden !== 128 && tag !== 'T' ? `_hidden_dim_${hidden}` : ''}_seed${r.seed}`;
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  const cfg = {
    lr: 0.001,
    num_epochs: 1000,
    weight_decay: 1,
    betas: [0.9, 0.98],
    layers: { embed_dim: 2 * hidden, hidden_dim: hidden },
    model: r.model,
    frac_train: 0.4,
    seed: r.seed,
    group_name: r.group,
    measures: r.keyReps ? 'full' : 'basic',
    checkpoints: 'log',
    threads: 1,
    preset: null,
    version: '0.0.0',
  };
  writeFileSync(join(dir, 'cfg.json'), JSON.stringify(cfg, null, 2));
  writeFileSync(join(dir, 'summary_metrics.json'), JSON.stringify({ epoch: 999, ...r.summary }, null, 2));
  const lines = [',epoch,train_loss,test_loss,train_acc,test_acc', ...r.curve.map(([e, acc], i) => `${i},${e},0.1,0.2,1,${acc}`)];
  writeFileSync(join(dir, 'metrics.csv'), lines.join('\n') + '\n');
  if (r.keyReps) {
    writeFileSync(join(dir, 'key_reps.txt'), [...r.keyReps].sort().join('\n') + '\n');
    writeFileSync(join(dir, 'key_reps_in_order.txt'), r.keyReps.join('\n') + '\n');
  }
  return dir;
}

/** Full-measure summary columns the report reads, with the given values. */
export function fullSummary(v: {
  test_loss: number;
  test_acc?: number;
  logit: number;
  xa: number;
  xb: number;
  u: number;
  h: number;
  hxy: number;
  res: number;
  exc: number;
}): Record<string, number> {
  return {
    train_loss: 1e-7,
    test_loss: v.test_loss,
    train_acc: 1,
    test_acc: v.test_acc ?? 1,
    all_loss: v.test_loss,
    percent_logits_explained: v.logit,
    percent_x_embed_explained: v.xa,
    percent_y_embed_explained: v.xb,
    percent_unembed_explained: v.u,
    percent_hidden_explained: v.h,
    percent_hidden_xy_explained: v.hxy,
    total_hidden_restricted_loss: v.res,
    total_hidden_excluded_loss: v.exc,
  };
}

/** A sweep folder: S5 MLP seeds 1-2 and S5 T seed 1 with full measures, C5 MLP seed 1 and an S5 width run with basic ones, one unfinished run. */
export function writeFixtureSweep(root: string): void {
  writeFixtureRun(root, {
    group: 'S5',
    model: 'OneLayerMLP',
    seed: 1,
    curve: [
      [0, 0],
      [100, 0.5],
      [200, 0.995],
      [300, 1],
    ],
    keyReps: ['sign', 'standard'],
    summary: fullSummary({ test_loss: 2.94e-6, logit: 0.848, xa: 1.0, xb: 0.99, u: 0.94, h: 0.889, hxy: 0.13, res: 7.1e-7, exc: 7.59 }),
  });
  writeFixtureRun(root, {
    group: 'S5',
    model: 'OneLayerMLP',
    seed: 2,
    curve: [
      [300, 0.999],
      [0, 0],
      [200, 0.9],
    ],
    keyReps: ['sign', 'standard', 's5_5d_a'],
    summary: fullSummary({ test_loss: 1e-5, logit: 0.5, xa: 0.99, xb: 0.98, u: 0.96, h: 0.9, hxy: 0.1, res: 1e-6, exc: 10.41 }),
  });
  writeFixtureRun(root, {
    group: 'S5',
    model: 'Transformer',
    seed: 1,
    curve: [
      [0, 0],
      [50, 1],
    ],
    keyReps: ['sign', 'standard_sign'],
    summary: fullSummary({ test_loss: 3e-7, logit: 0.7, xa: 0.95, xb: 0.95, u: 0.99, h: 0.84, hxy: 0.08, res: 2e-6, exc: 30 }),
  });
  writeFixtureRun(root, {
    group: 'C5',
    model: 'OneLayerMLP',
    seed: 1,
    curve: [
      [0, 0],
      [10, 1],
    ],
    summary: { test_loss: 0.5, test_acc: 1, train_loss: 0.1, train_acc: 1 },
  });
  writeFixtureRun(root, {
    group: 'S5',
    model: 'OneLayerMLP',
    hidden: 32,
    seed: 1,
    curve: [
      [0, 0],
      [10, 0.3],
    ],
    summary: { test_loss: 4, test_acc: 0.3, train_loss: 0.1, train_acc: 1 },
  });
  mkdirSync(join(root, 'S5_MLP_seed3'));
  writeFileSync(join(root, 'S5_MLP_seed3', 'cfg.json'), '{}');
  mkdirSync(join(root, '.sweep'));
}
