import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodePlatform } from '../../src/kernels/node-platform.js';
import { setKernelPlatform, type KernelPlatform } from '../../src/kernels/platform.js';
import { unshareMemoryImport } from '../../src/kernels/unshare-memory.js';
import { parseGroup } from '../../src/groups/parse.js';
import { packageRoot } from '../../src/runs/package-root.js';
import { createTrainer } from '../../src/train/create-trainer.js';
import { splitData } from '../../src/train/split.js';
import type { ModelKind } from '../../src/types/trainer.js';

const wasm = (name: string) => new Uint8Array(readFileSync(join(packageRoot(), 'build', `${name}.wasm`)));
const env = (shared: boolean) => ({ env: { memory: new WebAssembly.Memory({ initial: 1, maximum: 65536, shared }), abort: () => {} } });

test('unshareMemoryImport: the kernels then link to an unshared memory and no longer to a shared one', () => {
  for (const name of ['mlp', 'transformer']) {
    const original = wasm(name);
    const patched = unshareMemoryImport(original);
    assert.equal(patched.length, original.length);
    let diff = 0;
    for (let i = 0; i < patched.length; i++) if (patched[i] !== original[i]) diff++;
    assert.equal(diff, 1, `${name}: one byte (the limits flag) changes`);
    assert.equal(unshareMemoryImport(patched).join(), patched.join(), 'idempotent');
    assert.doesNotThrow(() => new WebAssembly.Instance(new WebAssembly.Module(patched), env(false)), name);
    assert.throws(() => new WebAssembly.Instance(new WebAssembly.Module(patched), env(true)), /memory/i);
    assert.throws(() => new WebAssembly.Instance(new WebAssembly.Module(original), env(false)), /memory/i);
  }
  assert.throws(() => unshareMemoryImport(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8])), /not a WebAssembly module/);
});

/** Losses of `steps` steps and the final evaluation on the current platform. */
async function losses(kind: ModelKind, steps: number): Promise<number[]> {
  const G = parseGroup('S3');
  const { train, test: rest } = splitData(6, 0.6, 4);
  const t = await createTrainer({
    group: G,
    model: { kind, embedDim: 8, hiddenDim: 16 },
    optim: { lr: 1e-2, weightDecay: 1, betas: [0.9, 0.98], eps: 1e-8 },
    seed: 2,
    train,
    test: rest,
    threads: 1,
  });
  try {
    const out = Array.from({ length: steps }, () => t.step());
    const ev = t.evaluate();
    return [...out, ev.train_loss, ev.test_loss, ev.train_acc, ev.test_acc];
  } finally {
    await t.dispose();
  }
}

test('on a platform without shared memory the kernels train on an unshared memory, bit-identically', async () => {
  const unshared: KernelPlatform = {
    ...nodePlatform,
    sharedMemory: false,
    loadModule: async (name) => new WebAssembly.Module(unshareMemoryImport(wasm(name))),
  };
  for (const [kind, steps] of [
    ['mlp', 40],
    ['bilinear', 40],
    ['transformer', 3],
  ] as const) {
    setKernelPlatform(nodePlatform);
    const want = await losses(kind, steps);
    setKernelPlatform(unshared);
    try {
      assert.deepEqual(await losses(kind, steps), want, kind);
    } finally {
      setKernelPlatform(nodePlatform);
    }
  }
});
