import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseGroup } from '../../src/groups/parse.js';
import { BROWSER_PRESETS } from '../../src/browser/presets.js';
import { runSession, type SessionMessage } from '../../src/browser/session.js';
import { createTrainer } from '../../src/train/create-trainer.js';
import { splitData } from '../../src/train/split.js';

// The Train in browser tab's first preset must grok in a few seconds: test accuracy 1 at the end, on the
// session the tab runs (wasm kernels) and on the plain JS trainer.
const s3 = BROWSER_PRESETS[0]!;

test('the first browser preset (S3) groks: the session reaches test accuracy 1', async () => {
  assert.equal(s3.name, 'S3');
  const msgs: SessionMessage[] = [];
  await runSession(
    { ...s3.request, threads: 1, measurePoints: 10, measureShare: 1, analysis: false },
    (m) => msgs.push(m),
    () => false,
  );
  assert.deepEqual(
    msgs.filter((m) => m.type === 'error'),
    [],
  );
  const done = msgs.find((m): m is Extract<SessionMessage, { type: 'done' }> => m.type === 'done')!;
  assert.equal(done.epochs, s3.request.num_epochs);
  assert.equal(done.final.train_acc, 1);
  assert.equal(done.final.test_acc, 1, `test accuracy ${done.final.test_acc}: the preset memorises without grokking`);
});

test('the first browser preset (S3) groks on the JS trainer too', async () => {
  const r = s3.request;
  const G = parseGroup(r.group);
  const split = splitData(G.order, r.frac_train, r.seed);
  const trainer = await createTrainer({
    backend: 'js',
    group: G,
    model: { kind: r.model, embedDim: r.embed_dim, hiddenDim: r.hidden_dim },
    optim: { lr: r.lr, weightDecay: r.weight_decay, betas: r.betas ?? [0.9, 0.98], eps: 1e-8 },
    seed: r.seed,
    train: split.train,
    test: split.test,
    threads: 1,
  });
  for (let e = 0; e < r.num_epochs; e++) trainer.step();
  const ev = trainer.evaluate();
  assert.equal(ev.train_acc, 1);
  assert.equal(ev.test_acc, 1);
});
