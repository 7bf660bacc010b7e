import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CHECKPOINT_UNIT, formatDuration, Progress } from '../../src/runs/progress.js';

function sink(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, stream: { isTTY, columns: 120, write: (s: string) => (chunks.push(s), true) } };
}

test('formatDuration', () => {
  assert.equal(formatDuration(42.4), '42s');
  assert.equal(formatDuration(125), '2m05s');
  assert.equal(formatDuration(3 * 3600 + 7 * 60), '3h07m');
  assert.equal(formatDuration(Infinity), '?');
});

test('Progress on a pipe prints a plain line every interval with epoch, losses, accuracies, steps/s and ETA', () => {
  let t = 0;
  const { chunks, stream } = sink(false);
  const p = new Progress(stream, 1000, 0, 10000, () => t);
  p.setLog({ epoch: 0, train_loss: 1.5, test_loss: 2.25, train_acc: 0.5, test_acc: 0.125 });
  for (let e = 0; e < 480; e++) {
    t += 40; // 25 steps/s
    p.tick(e);
  }
  assert.equal(chunks.length, 1, chunks.join('|')); // 19.2 s elapsed, one line at 10 s (250 epochs)
  assert.match(chunks[0]!, /^epoch 249\/999 \(25\.0%\)  loss 1\.5000\/2\.2500  acc 0\.500\/0\.125  25\.0 steps\/s  ETA 30s\n$/);
  p.finish();
  assert.equal(chunks.length, 2);
  assert.match(chunks[1]!, /^epoch 479\/999 \(48\.0%\)/, 'epoch 479 (from 0) reached of the last, 999');
  p.finish();
  assert.equal(chunks.length, 2, 'no duplicate final line');
});

test('Progress on a TTY redraws one line in place with a bar', () => {
  let t = 0;
  const { chunks, stream } = sink(true);
  const p = new Progress(stream, 100, 0, 10000, () => t);
  for (let e = 0; e < 50; e++) {
    t += 50;
    p.tick(e);
  }
  assert.ok(chunks.length >= 20);
  assert.ok(chunks.every((c) => c.startsWith('\r[') && c.endsWith('\x1b[K')));
  assert.match(chunks.at(-1)!, /#{15}\.{15}\] epoch 49\/99 \(50\.0%\)/);
  p.finish();
  assert.equal(chunks.at(-1), '\n');
});

test('Progress with several members shows their train-loss range and each test accuracy; on a TTY cut to its width', () => {
  const row = (train_loss: number, test_acc: number) => ({ epoch: 100, train_loss, test_loss: 1, train_acc: 1, test_acc });
  const p = new Progress({ write: () => true }, 1000, 0, 10000, () => 0);
  p.setLog(row(0.5, 0.25), 0);
  p.setLog(row(0.125, 1), 2);
  p.tick(99);
  assert.equal(p.line(), 'epoch 99/999 (10.0%)  train loss 0.1250..0.5000  test acc 0.25 - 1.00');
  const out: string[] = [];
  const tty = new Progress({ write: (s) => (out.push(s), true), isTTY: true, columns: 40 }, 1000, 0, 10000, () => 0);
  for (let i = 0; i < 8; i++) tty.setLog(row(0.5, 0.5), i);
  tty.finish();
  const drawn = out[0]!.replace('\r', '').replace('\x1b[K', '');
  assert.equal(drawn.length, 39);
});

test('Progress: epochs are shown from 0 (none yet: -), checkpoints as counts', () => {
  const p = new Progress({ write: () => true }, 3000, 0, 10000, () => 0);
  assert.match(p.line(), /^epoch -\/2999 \(0\.0%\)/);
  p.tick(0);
  assert.match(p.line(), /^epoch 0\/2999 /);
  p.tick(2999);
  assert.match(p.line(), /^epoch 2999\/2999 \(100\.0%\)/);
  const resumed = new Progress({ write: () => true }, 3000, 1500, 10000, () => 0);
  assert.match(resumed.line(), /^epoch 1499\/2999 \(50\.0%\)/);
  const c = new Progress({ write: () => true }, 522, 0, 10000, () => 0, CHECKPOINT_UNIT);
  c.tick(521);
  assert.match(c.line(), /^checkpoint 522\/522 \(100\.0%\)/);
});
