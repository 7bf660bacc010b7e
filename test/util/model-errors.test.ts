import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readModel } from '../../src/figures/node/read-model.js';
import { runFigureSet } from '../../src/figures/node/run-figure-set.js';
import { readRun } from '../../src/figures/node/read-run.js';
import { kernelMemory, MAX_KERNEL_PAGES } from '../../src/kernels/platform.js';
import { nodePlatform } from '../../src/kernels/node-platform.js';
import { modelJson } from '../../src/serve/model-data.js';
import { MAX_MODEL_ORDER } from '../../src/figures/model-figures.js';
import { ElementIndexError, ModelTooLargeError, UsageError } from '../../src/util/errors.js';
import { packageRoot } from '../../src/runs/package-root.js';

const FIXTURE = join(packageRoot(), 'test', 'fixtures', 'serve', 'S4_MLP_seed0');

function withRun(edit: (dir: string) => void, body: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'gg-errors-'));
  try {
    cpSync(FIXTURE, dir, { recursive: true });
    edit(dir);
    body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the error classes are distinct from RangeError and from each other, with their numbers', () => {
  const big = new ModelTooLargeError('too big', 300, 256);
  const idx = new ElementIndexError(30, 24);
  assert.ok(big instanceof Error && !(big instanceof RangeError) && !(big instanceof ElementIndexError));
  assert.ok(idx instanceof Error && !(idx instanceof RangeError) && !(idx instanceof ModelTooLargeError) && !(idx instanceof UsageError));
  assert.equal(big.name, 'ModelTooLargeError');
  assert.deepEqual([big.size, big.limit], [300, 256]);
  assert.equal(idx.message, 'c=30 is not an element index 0..23');
});

test('readModel throws a ModelTooLargeError for a group above MAX_MODEL_ORDER; runFigureSet skips the model figures', () => {
  withRun(
    (dir) => {
      const cfg = JSON.parse(readFileSync(join(dir, 'cfg.json'), 'utf8')) as Record<string, unknown>;
      writeFileSync(join(dir, 'cfg.json'), JSON.stringify({ ...cfg, group: 'CyclicGroup', group_parameter: 300, group_name: 'C300' }));
    },
    (dir) => {
      assert.throws(
        () => readModel(dir),
        (e: unknown) => e instanceof ModelTooLargeError && e.size === 300 && e.limit === MAX_MODEL_ORDER,
      );
      const set = runFigureSet(dir, readRun(dir));
      assert.ok(
        set.skipped.some((s) => /too large to draw/.test(s.why)),
        JSON.stringify(set.skipped),
      );
    },
  );
});

test('modelJson throws an ElementIndexError for c outside the group, and works for c inside', () => {
  withRun(
    () => {},
    (dir) => {
      assert.throws(
        () => modelJson(dir, 24),
        (e: unknown) => e instanceof ElementIndexError && e.index === 24 && e.order === 24,
      );
      assert.equal(modelJson(dir, 3).c, 3);
    },
  );
});

test('kernelMemory refuses more than 4 GiB with a ModelTooLargeError', () => {
  assert.throws(() => kernelMemory(nodePlatform, MAX_KERNEL_PAGES + 1, MAX_KERNEL_PAGES + 1), ModelTooLargeError);
});
