import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseGroup } from '../../src/groups/parse.js';
import { splitData } from '../../src/train/split.js';
import { checkpointEpochs } from '../../src/runs/checkpoint-schedule.js';
import { parseCfgObject, resolveConfig, type RunConfig } from '../../src/runs/config.js';
import { parseNumberCsv, readSplit, readState } from '../../src/runs/run-folder.js';
import { readSafetensors } from '../../src/runs/safetensors.js';
import { NonFiniteLossError, trainRun, trainRuns, type TrainEvent } from '../../src/runs/train-run.js';
import { createBatchTrainer } from '../../src/train/create-batch-trainer.js';
import { DeviceLostError } from '../../src/util/errors.js';
import { createTrainer } from '../../src/train/create-trainer.js';
import type { BatchTrainer, BatchTrainerOptions, Trainer, TrainerOptions } from '../../src/types/trainer.js';

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'gg-run-'));
}

const small = (over: Partial<RunConfig> = {}): RunConfig =>
  resolveConfig({}, { group: 'C5', num_epochs: 250, embed_dim: 8, hidden_dim: 8, frac_train: 0.6, seed: 1, threads: 1, ...over });

test('trainRun writes every file of the run folder contract, and each loads back', async () => {
  const dir = tmp();
  try {
    const cfg = small();
    const events: TrainEvent[] = [];
    const summary = await trainRun({ cfg, group: parseGroup('C5'), outDir: dir, version: '0.0.0-test', resume: false, onEvent: (e) => events.push(e) });
    assert.deepEqual(readdirSync(dir).sort(), ['cfg.json', 'checkpoints', 'log.csv', 'metrics.csv', 'model.safetensors', 'split.json', 'state.safetensors', 'summary_metrics.json']);

    // cfg.json reproduces the config
    const back = resolveConfig(parseCfgObject(JSON.parse(readFileSync(join(dir, 'cfg.json'), 'utf8')), 'cfg.json', 'cfg'), {});
    assert.deepEqual(back, cfg);

    // split.json is splitData's split, a partition of the 25 rows
    const split = readSplit(dir);
    const ref = splitData(5, 0.6, 1);
    assert.deepEqual([...split.train], [...ref.train]);
    assert.deepEqual([...split.test], [...ref.test]);
    assert.equal(split.train.length, 15);
    assert.deepEqual([...split.train, ...split.test].sort((a, b) => a - b), [...Array(25).keys()]);

    // log.csv: every 100 epochs and the last
    const log = parseNumberCsv(readFileSync(join(dir, 'log.csv'), 'utf8'));
    assert.equal(readFileSync(join(dir, 'log.csv'), 'utf8').split('\n')[0], 'epoch,train_loss,test_loss,train_acc,test_acc');
    assert.deepEqual(log.map((r) => r.epoch), [0, 100, 200, 249]);
    assert.ok(log.every((r) => Number.isFinite(r.train_loss) && r.test_acc! >= 0 && r.test_acc! <= 1));
    assert.ok(log[3]!.train_loss! < log[0]!.train_loss!, 'the train loss went down');

    // metrics.csv: one row per checkpoint, a leading unnamed index column
    const metricsText = readFileSync(join(dir, 'metrics.csv'), 'utf8');
    assert.equal(metricsText.split('\n')[0], ',epoch,train_loss,test_loss,train_acc,test_acc,all_loss,sum_of_squared_weights');
    assert.equal(metricsText.split('\n')[2]!.split(',')[0], '1');
    const metrics = parseNumberCsv(metricsText);
    const schedule = checkpointEpochs(250);
    assert.deepEqual(metrics.map((r) => r.epoch), schedule);
    for (const r of metrics) assert.ok(Math.abs(r.all_loss! - (15 * r.train_loss! + 10 * r.test_loss!) / 25) < 1e-12);

    // checkpoints: one file per checkpoint epoch with the MLP's parameter names and shapes
    assert.deepEqual(
      readdirSync(join(dir, 'checkpoints')).sort(),
      schedule.map((e) => `epoch_${e}.safetensors`).sort(),
    );
    const shapes = (f: ReturnType<typeof readSafetensors>) => f.tensors.map((t) => `${t.name}[${t.shape}]`);
    const last = readSafetensors(join(dir, 'checkpoints', 'epoch_249.safetensors'));
    assert.deepEqual(shapes(last), ['W_x[5,8]', 'W_y[5,8]', 'W[16,8]', 'W_U[8,5]']);
    assert.equal(last.metadata.epoch, '249');
    let ss = 0;
    for (const t of last.tensors) for (const v of t.data) ss += v * v;
    assert.ok(Math.abs(ss - metrics.at(-1)!.sum_of_squared_weights!) < 1e-9 * ss);

    // model.safetensors is the final model = the state after epoch E-1's step
    const model = readSafetensors(join(dir, 'model.safetensors'));
    assert.deepEqual(shapes(model), shapes(last));
    for (let i = 0; i < 4; i++) assert.deepEqual(model.tensors[i]!.data, last.tensors[i]!.data);
    const state = readState(dir);
    assert.equal(state.step, 250);
    assert.deepEqual(state.params.map((p) => p.name), ['W_x', 'W_y', 'W', 'W_U']);
    assert.equal(state.optim.length, 8);

    // summary_metrics.json: the final row's metrics, the last epoch num_epochs − 1 (docs/runs.md Epochs)
    const sm = JSON.parse(readFileSync(join(dir, 'summary_metrics.json'), 'utf8')) as Record<string, number>;
    assert.equal(metrics.at(-1)!.epoch, 249);
    assert.deepEqual(sm, metrics.at(-1));
    assert.deepEqual(summary, sm);

    // events: start, one per epoch, one per log row, one per checkpoint, done
    assert.equal(events[0]!.type, 'start');
    assert.equal(events.filter((e) => e.type === 'epoch').length, 250);
    assert.equal(events.filter((e) => e.type === 'log').length, 4);
    assert.equal(events.filter((e) => e.type === 'checkpoint').length, schedule.length);
    assert.equal(events.at(-1)!.type, 'done');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('trainRun with --checkpoints none and --measures none writes no checkpoint files and no metrics.csv', async () => {
  const dir = tmp();
  try {
    await trainRun({ cfg: small({ num_epochs: 120, checkpoints: 'none', measures: 'none' }), group: parseGroup('C5'), outDir: dir, version: '0', resume: false });
    assert.deepEqual(readdirSync(dir).sort(), ['cfg.json', 'log.csv', 'model.safetensors', 'split.json', 'state.safetensors', 'summary_metrics.json']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

async function resumeMatches(cfg: RunConfig, stopAt: number, files: string[]) {
  const a = tmp();
  const b = tmp();
  try {
    const G = parseGroup(cfg.group);
    await trainRun({ cfg, group: G, outDir: a, version: '0', resume: false });
    // Run b to 150 epochs' worth by training a 300-epoch config and stopping it through an event.
    class Stop extends Error {}
    await assert.rejects(
      trainRun({ cfg, group: G, outDir: b, version: '0', resume: false, onEvent: (e) => { if (e.type === 'checkpoint' && e.epoch >= stopAt) throw new Stop(); } }),
      Stop,
    );
    assert.ok(readState(b).step < cfg.num_epochs);
    await trainRun({ cfg, group: G, outDir: b, version: '0', resume: true });
    for (const f of files) assert.ok(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), f);
  } finally {
    rmSync(a, { recursive: true, force: true });
    rmSync(b, { recursive: true, force: true });
  }
}

const ALL = ['log.csv', 'metrics.csv', 'model.safetensors', 'state.safetensors', 'summary_metrics.json', 'split.json', 'cfg.json'];

test('trainRun resumed from its state gives the same files as an uninterrupted run (MLP)', async () => {
  await resumeMatches(small({ num_epochs: 200 }), 100, [...ALL, 'checkpoints/epoch_199.safetensors']);
});

test('trainRun resumed from its state gives the same files as an uninterrupted run (transformer)', async () => {
  await resumeMatches(small({ group: 'C3', model: 'transformer', num_epochs: 30 }), 12, [...ALL, 'checkpoints/epoch_29.safetensors']);
});

test('trainRun stops on a non-finite loss, naming the epoch and the loss, and keeps no bad state', async () => {
  const dir = tmp();
  try {
    const err = await trainRun({ cfg: small({ lr: 1e30 }), group: parseGroup('C5'), outDir: dir, version: '0', resume: false }).then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(err instanceof NonFiniteLossError, String(err));
    assert.match(err.message, /^epoch \d+: \w+ is (NaN|Infinity|-Infinity); the run stopped/);
    assert.ok(!existsSync(join(dir, 'model.safetensors')));
    assert.ok(!existsSync(join(dir, 'summary_metrics.json')));
    if (err.lastGoodEpoch === null) assert.ok(!existsSync(join(dir, 'state.safetensors')));
    else {
      const s = readState(dir);
      assert.equal(s.step, err.lastGoodEpoch + 1);
      for (const p of s.params) assert.ok(p.data.every(Number.isFinite));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('trainRun keeps the last good state when a loss turns NaN after some checkpoints', async () => {
  const dir = tmp();
  try {
    // The real trainer, with a fault injected: the pre-step loss of epoch 40 is reported as NaN.
    const faulty = async (opts: TrainerOptions): Promise<Trainer> => {
      const t = await createTrainer(opts);
      let epoch = 0;
      return {
        step: () => {
          const l = t.step();
          return epoch++ === 40 ? NaN : l;
        },
        evaluate: () => t.evaluate(),
        getState: () => t.getState(),
        setState: (s) => t.setState(s),
        dispose: () => t.dispose(),
      };
    };
    const err = await trainRun({ cfg: small(), group: parseGroup('C5'), outDir: dir, version: '0', resume: false, createTrainer: faulty }).then(() => null, (e: unknown) => e);
    assert.ok(err instanceof NonFiniteLossError);
    assert.equal(err.message, 'epoch 40: train_loss is NaN; the run stopped. The last good state is epoch 39 (state.safetensors).');
    assert.equal(readState(dir).step, 40);
    const metrics = parseNumberCsv(readFileSync(join(dir, 'metrics.csv'), 'utf8'));
    assert.equal(metrics.at(-1)!.epoch, 39);
    assert.deepEqual(parseNumberCsv(readFileSync(join(dir, 'log.csv'), 'utf8')).map((r) => r.epoch), [0]);
    assert.ok(existsSync(join(dir, 'checkpoints', 'epoch_39.safetensors')));
    assert.ok(!existsSync(join(dir, 'checkpoints', 'epoch_40.safetensors')));
    assert.ok(!existsSync(join(dir, 'model.safetensors')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// ---- several seeds at once (trainRuns) ----

/** Every file of a run folder, relative paths, sorted. */
function filesOf(dir: string, sub = ''): string[] {
  return readdirSync(join(dir, sub), { withFileTypes: true })
    .flatMap((d) => (d.isDirectory() ? filesOf(dir, join(sub, d.name)) : [join(sub, d.name)]))
    .sort();
}

/**
 * No file of a run folder holds a time: cfg.json has the version and thread count but no date, log.csv and
 * metrics.csv only epochs and measures. So batched folders must equal single-run folders byte for byte,
 * with no field excluded.
 */
function assertSameFolders(a: string, b: string): void {
  assert.deepEqual(filesOf(b), filesOf(a));
  for (const f of filesOf(a)) assert.ok(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), `${b}/${f} differs from ${a}/${f}`);
}

test('trainRuns: a batched 4-seed run writes the same folders, byte for byte, as four single runs', async () => {
  const root = tmp();
  try {
    const G = parseGroup('C5');
    const seeds = [0, 3, 4, 7];
    const runs = seeds.map((seed) => ({ cfg: small({ seed, num_epochs: 220 }), outDir: join(root, 'batch', `seed${seed}`) }));
    const events: [string, number][] = [];
    const results = await trainRuns({ runs, group: G, version: '0', resume: false, onEvent: (e, m) => events.push([e.type, m]) });
    assert.equal(events[0]![0], 'batch');
    assert.equal(events.filter(([t]) => t === 'epoch').length, 4 * 220);
    for (const [i, seed] of seeds.entries()) {
      const single = join(root, 'single', `seed${seed}`);
      const summary = await trainRun({ cfg: small({ seed, num_epochs: 220 }), group: G, outDir: single, version: '0', resume: false });
      assert.deepEqual(results[i]!.summary, summary);
      assertSameFolders(single, runs[i]!.outDir);
    }
    // The members really differ.
    assert.ok(!readFileSync(join(runs[0]!.outDir, 'model.safetensors')).equals(readFileSync(join(runs[1]!.outDir, 'model.safetensors'))));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('trainRuns with --measures full (transformer): each member equals its single run, closing pass included', async () => {
  const root = tmp();
  try {
    const G = parseGroup('C3');
    const cfg = (seed: number) => small({ group: 'C3', model: 'transformer', num_epochs: 30, measures: 'full', seed });
    const runs = [1, 2].map((seed) => ({ cfg: cfg(seed), outDir: join(root, 'batch', `seed${seed}`) }));
    await trainRuns({ runs, group: G, version: '0', resume: false });
    for (const [i, seed] of [1, 2].entries()) {
      const single = join(root, `single${seed}`);
      await trainRun({ cfg: cfg(seed), group: G, outDir: single, version: '0', resume: false });
      assert.ok(existsSync(join(single, 'key_reps.txt')));
      assertSameFolders(single, runs[i]!.outDir);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('trainRuns: a member whose loss turns NaN stops as its single run would; the others finish', async () => {
  const root = tmp();
  try {
    const G = parseGroup('C5');
    // Member 1's trainer reports a NaN pre-step loss at epoch 40 (a fault injected into the real trainer).
    let made = 0;
    const faulty = async (opts: TrainerOptions): Promise<Trainer> => {
      const t = await createTrainer(opts);
      const bad = made++ === 1;
      let epoch = 0;
      return { ...t, step: () => { const l = t.step(); return bad && epoch++ === 40 ? NaN : l; }, evaluate: () => t.evaluate(), getState: () => t.getState(), setState: (s) => t.setState(s), dispose: () => t.dispose() };
    };
    const runs = [1, 2, 3].map((seed) => ({ cfg: small({ seed, num_epochs: 120 }), outDir: join(root, `seed${seed}`) }));
    const results = await trainRuns({ runs, group: G, version: '0', resume: false, createTrainer: faulty });
    assert.ok(results[1]!.error instanceof NonFiniteLossError);
    assert.equal(results[1]!.error.message, 'epoch 40: train_loss is NaN; the run stopped. The last good state is epoch 39 (state.safetensors).');
    assert.equal(readState(runs[1]!.outDir).step, 40);
    assert.ok(!existsSync(join(runs[1]!.outDir, 'model.safetensors')));
    for (const i of [0, 2]) {
      const single = join(root, `single${i}`);
      await trainRun({ cfg: runs[i]!.cfg, group: G, outDir: single, version: '0', resume: false });
      assertSameFolders(single, runs[i]!.outDir);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

/** A batch trainer whose device is lost after `k` steps: the real lockstep trainer, with the fault injected. */
function losesDeviceAfter(k: number) {
  return async (opts: BatchTrainerOptions): Promise<BatchTrainer> => {
    const t = await createBatchTrainer(opts);
    let steps = 0;
    const lost = () => new DeviceLostError('test', 'the GPU device was lost (test)');
    return {
      size: t.size,
      run: async (n) => {
        if (steps + n > k) throw lost();
        steps += n;
        return t.run(n);
      },
      evaluate: async () => {
        if (steps >= k) throw lost();
        return t.evaluate();
      },
      getStates: () => t.getStates(),
      setStates: (s) => t.setStates(s),
      dispose: () => t.dispose(),
    };
  };
}

test('trainRuns: a lost device stops every member at its last checkpoint; resumed (on any backend) it completes, with the uninterrupted files on the same backend', async () => {
  const root = tmp();
  try {
    const G = parseGroup('C5');
    const seeds = [0, 5];
    const cfg = (seed: number) => small({ seed, num_epochs: 200 });
    const runs = seeds.map((seed) => ({ cfg: cfg(seed), outDir: join(root, `seed${seed}`) }));
    await assert.rejects(trainRuns({ runs, group: G, version: '0', resume: false, createBatchTrainer: losesDeviceAfter(130) }), DeviceLostError);
    // The evaluation after step 130 already fails: the last checkpoint written is the one before.
    const lastCheckpoint = checkpointEpochs(200).filter((e) => e + 1 < 130).at(-1)!;
    for (const r of runs) {
      assert.equal(readState(r.outDir).step, lastCheckpoint + 1);
      assert.ok(existsSync(join(r.outDir, 'checkpoints', `epoch_${lastCheckpoint}.safetensors`)));
      assert.ok(!existsSync(join(r.outDir, 'model.safetensors')));
    }
    // Resumed on another backend ('js': same maths, other rounding) it completes...
    const copies = runs.map((r) => ({ ...r, outDir: r.outDir + '-js' }));
    for (const [i, r] of runs.entries()) cpSync(r.outDir, copies[i]!.outDir, { recursive: true });
    const onJs = await trainRuns({ runs: copies, group: G, version: '0', resume: true, backend: 'js' });
    assert.ok(onJs.every((r) => r.summary && r.summary.epoch === 199));
    // ... and on the same backend it gives the uninterrupted run's files.
    const results = await trainRuns({ runs, group: G, version: '0', resume: true });
    assert.ok(results.every((r) => r.summary));
    for (const [i, seed] of seeds.entries()) {
      const single = join(root, `single${seed}`);
      await trainRun({ cfg: cfg(seed), group: G, outDir: single, version: '0', resume: false });
      assertSameFolders(single, runs[i]!.outDir);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('trainRuns trains members that resume from different epochs in sets, each set as one batch', async () => {
  const root = tmp();
  try {
    const G = parseGroup('C5');
    const cfg = (seed: number) => small({ seed, num_epochs: 150 });
    const runs = [1, 2, 3].map((seed) => ({ cfg: cfg(seed), outDir: join(root, `seed${seed}`) }));
    // Seed 2 alone first, stopped after its checkpoint at epoch 100.
    class Stop extends Error {}
    await assert.rejects(trainRun({ ...runs[1]!, group: G, version: '0', resume: false, onEvent: (e) => { if (e.type === 'checkpoint' && e.epoch >= 100) throw new Stop(); } }), Stop);
    const sets: { members: number[]; startEpoch: number }[] = [];
    await trainRuns({ runs, group: G, version: '0', resume: true, onEvent: (e) => { if (e.type === 'batch') sets.push({ members: e.members, startEpoch: e.startEpoch }); } });
    const stoppedAt = checkpointEpochs(150).filter((e) => e >= 100)[0]! + 1;
    assert.deepEqual(sets, [{ members: [0, 2], startEpoch: 0 }, { members: [1], startEpoch: stoppedAt }]);
    for (const r of runs) {
      const single = join(root, `single-${r.cfg.seed}`);
      await trainRun({ cfg: r.cfg, group: G, outDir: single, version: '0', resume: false });
      assertSameFolders(single, r.outDir);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
