// Without redis-server the sweep queue tests fail with one message naming what to install: said by
// scripts/run-tests.mjs before and after the run, and as the queue test's failure; never a skip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../src/runs/package-root.js';

test('with no redis-server on PATH the queue test fails (not skipped) with one message: apt-get install redis-server', () => {
  const empty = mkdtempSync(join(tmpdir(), 'gg-nopath-'));
  try {
    // The test file name is matched exactly, so this test does not run itself.
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: empty };
    delete env.NODE_TEST_CONTEXT; // else the inner node --test sees itself inside this test and runs nothing
    const r = spawnSync(process.execPath, [join(packageRoot(), 'scripts', 'run-tests.mjs'), 'sweeps/queue.test'], { encoding: 'utf8', env });
    const out = r.stdout + r.stderr;
    assert.notEqual(r.status, 0, out);
    assert.match(out, /^# tests 1$/m);
    assert.match(out, /^# fail 1$/m);
    assert.match(out, /^# skipped 0$/m);
    // The queue test's own failure names what is missing and how to install it.
    assert.match(out, /error: 'redis-server is not installed: the sweep queue tests need it: apt-get install redis-server/);
    // run-tests says it before and after the run (the last line, below the test output).
    const note =
      /^run-tests: the sweep queue tests \(test\/sweeps\/queue\) need redis-server, which is missing: install it with `apt-get install redis-server`/;
    const lines = r.stderr.trimEnd().split('\n');
    assert.match(lines[0]!, note);
    assert.match(lines.at(-1)!, note);
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});
