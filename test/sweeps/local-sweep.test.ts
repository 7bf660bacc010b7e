// Spawns run processes from the build (dist/src/sweeps/run-child.js): `npm test` builds first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseGroup } from '../../src/groups/parse.js';
import { toCfgJson } from '../../src/runs/config.js';
import { trainRun } from '../../src/runs/train-run.js';
import { runLocalSweep, seedBatches, type SweepEvent } from '../../src/sweeps/local-sweep.js';
import { DONE_FILE } from '../../src/sweeps/run-status.js';
import { expandSweep, type SweepRun } from '../../src/sweeps/spec.js';
import { createTrainer } from '../../src/train/create-trainer.js';

const SPEC = {
  name: 't',
  measures: 'basic',
  overrides: { embed_dim: 8, hidden_dim: 8, frac_train: 0.6, lr: 0.01, num_epochs: 400, checkpoints: 'none' },
  runs: [
    { overrides: { group: 'C5' }, seeds: '1-5' },
    { overrides: { group: 'S3' }, seeds: 1 },
  ],
};

function runsByName(): Map<string, SweepRun> {
  return new Map(expandSweep(SPEC, 'spec').runs.map((r) => [r.name, r]));
}

/** Trains `run` in-process into `dir`, crashing after `stopAfter` epochs (its state stays at the last checkpoint). */
async function trainInProcess(run: SweepRun, dir: string, stopAfter = Infinity): Promise<void> {
  let steps = 0;
  await trainRun({
    cfg: run.cfg,
    group: parseGroup(run.cfg.group),
    outDir: dir,
    version: 'test',
    resume: false,
    createTrainer: async (opts) => {
      const t = await createTrainer(opts);
      const step = t.step.bind(t);
      t.step = () => {
        if (++steps > stopAfter) throw new Error('simulated crash');
        return step();
      };
      return t;
    },
  }).catch((e: Error) => {
    if (e.message !== 'simulated crash') throw e;
  });
}

test('runLocalSweep skips finished runs, resumes interrupted ones, reports failures and runs the rest', async () => {
  const root = mkdtempSync(join(tmpdir(), 'gg-sweep-'));
  try {
    const runs = runsByName();
    const [A, B, C, D, E] = [
      'C5_MLP_hidden_dim_8_seed1',
      'C5_MLP_hidden_dim_8_seed2',
      'S3_MLP_hidden_dim_8_seed1',
      'C5_MLP_hidden_dim_8_seed3',
      'C5_MLP_hidden_dim_8_seed4',
    ].map((n) => runs.get(n)!);
    // A: finished by an earlier sweep.
    const first = await runLocalSweep({ runs: [A!], outRoot: root, jobs: 1 });
    assert.deepEqual(first.done, [A!.name]);
    const doneA = readFileSync(join(root, A!.name, DONE_FILE), 'utf8');
    // B: interrupted after 250 epochs (state at its last checkpoint before that).
    await trainInProcess(B!, join(root, B!.name), 250);
    assert.ok(existsSync(join(root, B!.name, 'state.safetensors')) && !existsSync(join(root, B!.name, 'summary_metrics.json')));
    // D: its folder is taken by a file: train refuses it (exit 2).
    writeFileSync(join(root, D!.name), 'not a folder');
    // E: its folder holds another configuration: never touched.
    mkdirSync(join(root, E!.name));
    const otherCfg = JSON.stringify({ ...toCfgJson(E!.cfg, 'x'), lr: 0.5 });
    writeFileSync(join(root, E!.name, 'cfg.json'), otherCfg);

    const events: SweepEvent[] = [];
    const res = await runLocalSweep({ runs: [A!, B!, C!, D!, E!], outRoot: root, jobs: 2, onEvent: (e) => events.push(e) });
    assert.deepEqual(res.skipped, [A!.name]);
    assert.deepEqual([...res.done].sort(), [B!.name, C!.name].sort());
    assert.deepEqual(res.failed.map((f) => f.name).sort(), [D!.name, E!.name].sort());
    assert.match(res.failed.find((f) => f.name === D!.name)!.message, /exists and is not a folder/);
    assert.match(res.failed.find((f) => f.name === E!.name)!.message, /has lr 0\.5 but the sweep asks for 0\.01/);
    assert.equal(readFileSync(join(root, A!.name, DONE_FILE), 'utf8'), doneA, 'a finished run is not run again');
    assert.ok(!events.some((e) => e.type === 'start' && (e.name === A!.name || e.name === E!.name)));
    assert.equal(readFileSync(join(root, E!.name, 'cfg.json'), 'utf8'), otherCfg);
    const endB = events.find((e) => e.type === 'end' && e.name === B!.name);
    assert.ok(endB && endB.type === 'end' && endB.outcome.resumedAt !== null && endB.outcome.resumedAt > 0, 'B resumed from its checkpoint');
    for (const r of [B!, C!]) assert.ok(existsSync(join(root, r.name, DONE_FILE)) && existsSync(join(root, r.name, 'summary_metrics.json')));
    // The resumed run ends exactly as an uninterrupted one.
    const ref = join(root, 'reference');
    await trainInProcess(B!, ref);
    for (const f of ['log.csv', 'metrics.csv', 'model.safetensors', 'summary_metrics.json'])
      assert.ok(readFileSync(join(root, B!.name, f)).equals(readFileSync(join(ref, f))), `${f} differs from an uninterrupted run`);
    assert.match(readFileSync(join(root, '.sweep', 'logs', `${B!.name}.log`), 'utf8'), /resuming at epoch \d+/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('runLocalSweep: aborting stops the running runs with their state saved; the next sweep resumes them', async () => {
  const root = mkdtempSync(join(tmpdir(), 'gg-sweep-'));
  try {
    const run = { ...runsByName().get('C5_MLP_hidden_dim_8_seed5')! };
    run.cfg = { ...run.cfg, num_epochs: 3000 };
    const abort = new AbortController();
    const dir = join(root, run.name);
    const res = await runLocalSweep({
      runs: [run],
      outRoot: root,
      jobs: 1,
      signal: abort.signal,
      onEvent: (e) => {
        if (e.type !== 'start') return;
        const poll = setInterval(() => {
          if (existsSync(join(dir, 'state.safetensors'))) {
            clearInterval(poll);
            abort.abort();
          }
        }, 20);
      },
    });
    assert.deepEqual(res.interrupted, [run.name]);
    assert.deepEqual(res.failed, []);
    assert.ok(!existsSync(join(dir, DONE_FILE)));
    const again: SweepEvent[] = [];
    const res2 = await runLocalSweep({ runs: [run], outRoot: root, jobs: 1, onEvent: (e) => again.push(e) });
    assert.deepEqual(res2.done, [run.name]);
    const end = again.find((e) => e.type === 'end');
    assert.ok(end && end.type === 'end' && end.outcome.resumedAt !== null && end.outcome.resumedAt > 0);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('seedBatches groups the runs that differ only in their seed', () => {
  const runs = [...runsByName().values()];
  const sets = seedBatches(runs).map((set) => set.map((r) => r.name));
  assert.deepEqual(sets, [
    ['C5_MLP_hidden_dim_8_seed1', 'C5_MLP_hidden_dim_8_seed2', 'C5_MLP_hidden_dim_8_seed3', 'C5_MLP_hidden_dim_8_seed4', 'C5_MLP_hidden_dim_8_seed5'],
    ['S3_MLP_hidden_dim_8_seed1'],
  ]);
});

test('runLocalSweep with batchSeeds trains each set of seeds in one process, with the same files as one process per run', async () => {
  const root = mkdtempSync(join(tmpdir(), 'gg-sweep-'));
  try {
    const byName = runsByName();
    const runs = ['C5_MLP_hidden_dim_8_seed1', 'C5_MLP_hidden_dim_8_seed2', 'C5_MLP_hidden_dim_8_seed3', 'S3_MLP_hidden_dim_8_seed1'].map((n) =>
      byName.get(n)!,
    );
    // Seed 2 was started before (interrupted after 250 epochs): its set resumes it on its own.
    await trainInProcess(runs[1]!, join(root, 'batched', runs[1]!.name), 250);
    const events: SweepEvent[] = [];
    const batched = await runLocalSweep({ runs, outRoot: join(root, 'batched'), jobs: 2, batchSeeds: true, onEvent: (e) => events.push(e) });
    assert.deepEqual([...batched.done].sort(), runs.map((r) => r.name).sort());
    const pids = new Map(events.flatMap((e) => (e.type === 'start' ? [[e.name, e.pid] as const] : [])));
    assert.equal(pids.get(runs[0]!.name), pids.get(runs[2]!.name), 'seeds 1 and 3 share a process');
    assert.notEqual(pids.get(runs[0]!.name), pids.get(runs[3]!.name));
    const endB = events.find((e) => e.type === 'end' && e.name === runs[1]!.name);
    assert.ok(endB && endB.type === 'end' && endB.outcome.resumedAt !== null && endB.outcome.resumedAt > 0, 'seed 2 resumed');
    assert.match(
      readFileSync(join(root, 'batched', '.sweep', 'logs', `${runs[2]!.name}.log`), 'utf8'),
      /training 2 seeds at once(.|\n)*resuming at epoch \d+ C5 MLP seed 2/,
    );
    const single = await runLocalSweep({ runs, outRoot: join(root, 'single'), jobs: 2 });
    assert.equal(single.done.length, 4);
    for (const r of runs)
      for (const f of ['cfg.json', 'split.json', 'log.csv', 'metrics.csv', 'model.safetensors', 'state.safetensors', 'summary_metrics.json'])
        // Seed 2's cfg.json was written by the in-process start above, with version "test".
        if (!(r === runs[1] && f === 'cfg.json'))
          assert.ok(readFileSync(join(root, 'batched', r.name, f)).equals(readFileSync(join(root, 'single', r.name, f))), `${r.name}/${f}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
