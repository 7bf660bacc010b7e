// Runs every compiled test file (dist/test/**/*.test.js) with node's test runner.
// Extra arguments are passed through as a filter on file paths: `npm test -- reps` runs dist/test/reps/*.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const testDir = join(root, 'dist', 'test');
const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith('.test.js')) files.push(p);
  }
})(testDir);
const filters = process.argv.slice(2);
const chosen = files.filter((f) => filters.length === 0 || filters.some((s) => relative(root, f).includes(s)));
if (chosen.length === 0) {
  console.error(`no test files match ${JSON.stringify(filters)} under ${testDir}`);
  process.exit(1);
}
// The WebGPU tests (test/gpu, test/train/webgpu-trainer.test.ts) run on Chromium's SwiftShader Vulkan driver where no other is chosen (docs/gpu.md).
const SWIFTSHADER = '/usr/lib/chromium/vk_swiftshader_icd.json';
const env = { ...process.env };
if (!env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER)) env.VK_ICD_FILENAMES = SWIFTSHADER;
// What some tests need from the machine (.ci/run installs all of it). A missing one is said once, before and
// again after the run; its tests still run and fail with that message (never skipped).
const chromium = env.CHROMIUM ?? '/usr/bin/chromium';
const prerequisites = [
  {
    tests: ['test/sweeps/queue.test'],
    what: 'the sweep queue tests (test/sweeps/queue) need redis-server',
    install: 'apt-get install redis-server',
    present: () => !spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).error,
  },
  {
    tests: ['test/web/', 'test/gpu/'],
    what: `the browser and WebGPU tests (test/web, test/gpu) need Chromium at ${chromium} (or $CHROMIUM) and the Vulkan loader`,
    install: 'apt-get install chromium libvulkan1',
    present: () => existsSync(chromium),
  },
  {
    tests: ['test/python/'],
    what: 'the Python loader test (test/python) needs a python3 with torch ($GROKGROUPS_PYTHON, python3 or /usr/bin/python3)',
    install: 'apt-get install python3-torch',
    present: () =>
      [env.GROKGROUPS_PYTHON, 'python3', '/usr/bin/python3'].some(
        (py) => py && spawnSync(py, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0,
      ),
  },
];
const missing = prerequisites
  .filter((p) => chosen.some((f) => p.tests.some((t) => relative(root, f).includes(t.replace(/^test\//, 'dist/test/')))) && !p.present())
  .map((p) => `run-tests: ${p.what}, which is missing: install it with \`${p.install}\` (.ci/run installs everything the tests need)`);
for (const m of missing) console.error(m);
const r = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...chosen], { stdio: 'inherit', cwd: root, env });
for (const m of missing) console.error(m);
process.exit(r.status ?? 1);
