import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseGroup } from '../../src/groups/parse.js';
import { measureColumns } from '../../src/measures/columns.js';
import { irreps } from '../../src/reps/irreps.js';
import { createTrainer } from '../../src/train/create-trainer.js';
import { splitData } from '../../src/train/split.js';
import { checkRequest, measureEpochs, runSession, type SessionMessage, type SessionRequest } from '../../src/browser/session.js';

const S3: SessionRequest = {
  group: 'S3',
  model: 'mlp',
  seed: 3,
  frac_train: 0.7,
  num_epochs: 300,
  lr: 1e-2,
  weight_decay: 1,
  embed_dim: 16,
  hidden_dim: 32,
  threads: 1,
  logEvery: 10,
  measurePoints: 40,
  measureShare: 1,
};

async function collect(req: SessionRequest, stop?: (msgs: SessionMessage[]) => boolean): Promise<SessionMessage[]> {
  const msgs: SessionMessage[] = [];
  await runSession(
    req,
    (m) => msgs.push(m),
    () => (stop ? stop(msgs) : false),
  );
  return msgs;
}

const ofType = <T extends SessionMessage['type']>(msgs: SessionMessage[], t: T) =>
  msgs.filter((m): m is Extract<SessionMessage, { type: T }> => m.type === t);

test('a session trains S3 to train accuracy 1, with the measure columns of metrics.csv and the analysis', async () => {
  const msgs = await collect(S3);
  assert.deepEqual(ofType(msgs, 'error'), []);
  const start = ofType(msgs, 'start')[0]!;
  assert.equal(msgs[0], start);
  const names = irreps(parseGroup('S3')).map((r) => r.name);
  assert.deepEqual(start.columns, measureColumns(names));
  assert.deepEqual(
    start.irreps.map((r) => r.name),
    names,
  );
  assert.equal(start.nTrain, Math.floor(0.7 * 36));

  const logs = ofType(msgs, 'log');
  assert.deepEqual(
    logs.map((l) => l.epoch),
    [...Array(30).keys()].map((i) => i * 10).concat([299]),
  );
  assert.equal(logs.at(-1)!.train_acc, 1);
  assert.ok(logs.at(-1)!.train_loss < logs[0]!.train_loss / 10, 'the train loss fell');

  const measures = ofType(msgs, 'measures');
  assert.deepEqual(
    measures.map((m) => m.epoch),
    measureEpochs(300, 40),
    'measureShare 1: every scheduled checkpoint',
  );
  for (const m of measures) assert.deepEqual(Object.keys(m.row), start.columns);
  const lastRow = measures.at(-1)!.row;
  assert.equal(lastRow.train_acc, 1);
  assert.ok(lastRow.percent_logits_explained! > 0 && lastRow.percent_logits_explained! <= 1 + 1e-9);

  const done = ofType(msgs, 'done')[0]!;
  assert.equal(msgs.at(-1), done);
  assert.equal(done.stopped, false);
  assert.equal(done.epochs, 300);
  assert.equal(done.final.train_acc, 1);
  // key reps: the non-trivial irreps whose last logit similarity is above 0.005, in irreps order
  const expectKey = names.filter((n) => n !== 'trivial' && lastRow[`logit_${n}_rep_trace_similarity`]! > 0.005);
  assert.deepEqual(done.keyReps, expectKey);
  assert.deepEqual([...done.keyRepsInOrder].sort(), [...expectKey].sort());
  assert.match(done.analysisMarkdown!, /^# Analysis of in-browser S3 mlp seed 3/);
  assert.match(done.analysisMarkdown!, /## 1\. Logit attribution/);
  assert.deepEqual(
    Object.keys(done.analysisSummary!.similarity),
    names.filter((n) => n !== 'trivial'),
  );
});

test('the session trains with the same trainer as the command line: identical losses', async () => {
  const req = { ...S3, num_epochs: 41, logEvery: 20, measurePoints: 0, analysis: false };
  const logs = ofType(await collect(req), 'log');
  const G = parseGroup('S3');
  const { train, test: rest } = splitData(6, 0.7, 3);
  const t = await createTrainer({
    group: G,
    model: { kind: 'mlp', embedDim: 16, hiddenDim: 32 },
    optim: { lr: 1e-2, weightDecay: 1, betas: [0.9, 0.98], eps: 1e-8 },
    seed: 3,
    train,
    test: rest,
    threads: 1,
  });
  try {
    const want: number[][] = [];
    for (let e = 0; e < 41; e++) {
      const loss = t.step();
      if (e % 20 === 0) {
        const ev = t.evaluate();
        want.push([e, loss, ev.test_loss, ev.train_acc, ev.test_acc]);
      }
    }
    assert.deepEqual(
      logs.map((l) => [l.epoch, l.train_loss, l.test_loss, l.train_acc, l.test_acc]),
      want,
    );
  } finally {
    await t.dispose();
  }
});

test('stop ends a long session after the current epoch, measures that epoch and reports it', async () => {
  const req = { ...S3, num_epochs: 10_000_000, logEvery: 1, measurePoints: 10, analysis: false };
  const t0 = Date.now();
  const msgs = await collect(req, (m) => m.some((x) => x.type === 'log' && x.epoch >= 5));
  assert.ok(Date.now() - t0 < 20_000, 'stopped quickly');
  const done = ofType(msgs, 'done')[0]!;
  assert.equal(done.stopped, true);
  assert.ok(done.epochs > 5 && done.epochs < 10_000_000);
  assert.equal(ofType(msgs, 'log').at(-1)!.epoch, done.epochs - 1);
  assert.equal(ofType(msgs, 'measures').at(-1)!.epoch, done.epochs - 1);
  assert.equal(done.analysisMarkdown, null);
});

test('a bad request is one error message naming the field', async () => {
  for (const [over, pattern] of [
    [{ group: 'S9' }, /^group "S9": /],
    [{ frac_train: 1.5 }, /^frac_train 1\.5: expected a number F with 0 < F < 1$/],
    [{ num_epochs: 0 }, /^num_epochs 0: /],
    [{ model: 'cnn' }, /^model "cnn": expected one of mlp, bilinear, transformer$/],
  ] as const) {
    const msgs = await collect({ ...S3, ...over } as SessionRequest);
    assert.equal(msgs.length, 1);
    assert.equal(msgs[0]!.type, 'error');
    assert.match((msgs[0] as { message: string }).message, pattern);
  }
  assert.throws(() => checkRequest({ ...S3, hidden_dim: 2.5 }), /^UsageError: hidden_dim 2\.5: expected an integer from 1 to 65536$/);
});

test('measureEpochs: log-spaced, distinct, first 0 and last E-1', () => {
  const e = measureEpochs(3000, 200);
  assert.equal(e[0], 0);
  assert.equal(e.at(-1), 2999);
  assert.ok(e.every((x, i) => i === 0 || x > e[i - 1]!));
  assert.ok(e.length > 100 && e.length <= 202);
  assert.deepEqual(measureEpochs(10, 0), [9]);
});

test('the bilinear net and the transformer train in a session too, with the same measure columns', async () => {
  for (const [model, epochs] of [
    ['bilinear', 60],
    ['transformer', 4],
  ] as const) {
    const msgs = await collect({ ...S3, model, num_epochs: epochs, measurePoints: 2 });
    assert.deepEqual(ofType(msgs, 'error'), [], model);
    const start = ofType(msgs, 'start')[0]!;
    const measures = ofType(msgs, 'measures');
    assert.deepEqual(
      measures.map((m) => m.epoch),
      measureEpochs(epochs, 2),
      model,
    );
    for (const m of measures) assert.deepEqual(Object.keys(m.row), start.columns, model);
    const done = ofType(msgs, 'done')[0]!;
    assert.equal(done.epochs, epochs);
    assert.match(done.analysisMarkdown!, new RegExp(`^# Analysis of in-browser S3 ${model} seed 3`));
  }
  const bil = ofType(await collect({ ...S3, model: 'bilinear', analysis: false, measurePoints: 0 }), 'done')[0]!;
  assert.equal(bil.final.train_acc, 1, 'the bilinear net memorises S3 in 300 epochs');
});

test('a session on WebGPU (Dawn in Node) measures on the GPU: its rows follow a wasm session of the same seed', async () => {
  for (const [model, epochs] of [
    ['mlp', 40],
    ['transformer', 4],
  ] as const) {
    const req = { ...S3, model, num_epochs: epochs, measurePoints: 4, analysis: false };
    const gpu = await collect({ ...req, backend: 'webgpu' });
    const cpu = await collect({ ...req, backend: 'wasm' });
    assert.deepEqual(ofType(gpu, 'error'), [], model);
    const [gs, cs] = [ofType(gpu, 'start')[0]!, ofType(cpu, 'start')[0]!];
    assert.deepEqual([gs.backend, gs.measuresOn, cs.backend, cs.measuresOn], ['webgpu', 'webgpu', 'wasm', 'cpu'], model);
    const [gm, cm] = [ofType(gpu, 'measures'), ofType(cpu, 'measures')];
    assert.deepEqual(
      gm.map((m) => m.epoch),
      cm.map((m) => m.epoch),
    );
    let differing = 0;
    gm.forEach((g, i) => {
      for (const k of cs.columns) {
        const [x, y] = [g.row[k]!, cm[i]!.row[k]!];
        assert.ok(Math.abs(x - y) <= 1e-4 + 1e-3 * Math.abs(y), `${model} epoch ${g.epoch} ${k}: webgpu ${x}, wasm ${y}`);
        if (x !== y) differing++;
      }
    });
    assert.ok(differing > 0, `${model}: the webgpu rows are the wasm rows bit for bit`);
  }
});
